/**
 * Runs an ELF on qemu-system-riscv64 (QEMU virt, no firmware) for the differential tests.
 *
 * The CPU is QEMU 7.2's generic rv64 with the extensions rvhsim does not implement turned off
 * (Zba/Zbb/Zbc/Zbs are on by default in 7.2; F and D are off so their encodings are illegal
 * regardless of mstatus.FS), Svinval turned on (rvhsim implements it) and H matching rvhsim. With `-bios none`
 * QEMU's reset vector jumps to the start of DRAM (0x80000000), not to e_entry, so ELFs run here
 * must have their entry there.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaProfile } from './illegal-encodings.js';

export const QEMU_BIN = process.env.RVHSIM_QEMU ?? 'qemu-system-riscv64';

/** QEMU's -cpu value for a run; `h` follows whether rvhsim implements H (misa.H). */
export function qemuCpu(isa: IsaProfile): string {
  return `rv64,zba=false,zbb=false,zbc=false,zbs=false,f=false,d=false,svinval=true,h=${isa.h}`;
}

export function qemuBaseArgs(kernel: string, isa: IsaProfile): string[] {
  return ['-M', 'virt', '-cpu', qemuCpu(isa), '-bios', 'none', '-nographic', '-monitor', 'none', '-kernel', kernel];
}

/** True when qemu-system-riscv64 can be started. */
export function qemuAvailable(): boolean {
  const r = spawnSync(QEMU_BIN, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export interface QemuResult {
  /** UART output (QEMU -nographic sends the serial port to stdout). */
  uart: string;
  /** Process exit code: the finisher's code (0 for 0x5555), or null when killed by the timeout. */
  exitCode: number | null;
  timedOut: boolean;
  stderr: string;
}

/** Writes the ELF to a private temporary directory and returns its path and a cleanup function. */
export function tempElf(elf: Uint8Array, name = 'prog.elf'): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-diff-'));
  const path = join(dir, name);
  writeFileSync(path, elf);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs an ELF file to completion (the guest exits through the test finisher) or the timeout. */
export function runQemuFile(path: string, isa: IsaProfile, timeoutMs = 30_000, extraArgs: readonly string[] = []): Promise<QemuResult> {
  return runQemuArgs([...qemuBaseArgs(path, isa), ...extraArgs], timeoutMs);
}

/** Runs QEMU with a full argument list, asynchronously (so two can run at once). */
export function runQemuArgs(args: readonly string[], timeoutMs = 30_000): Promise<QemuResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ uart: Buffer.concat(out).toString('latin1'), exitCode: timedOut ? null : code, timedOut, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export async function runQemu(elf: Uint8Array, isa: IsaProfile, timeoutMs?: number): Promise<QemuResult> {
  const f = tempElf(elf);
  try {
    return await runQemuFile(f.path, isa, timeoutMs);
  } finally {
    f.cleanup();
  }
}

/** A counting semaphore: at most `n` QEMU processes at a time (the machine has two cores). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.n) this.active++;
    else await new Promise<void>((r) => this.waiting.push(r)); // the releasing run hands its slot over
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
