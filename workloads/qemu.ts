import { spawnSync } from 'node:child_process';

/**
 * Runs a workload ELF on QEMU's `virt` machine, the reference platform rvhsim mirrors: M-mode
 * entry at the ELF entry with no firmware (-bios none), the NS16550A UART on stdout and the
 * SiFive test finisher turning the guest's exit code into QEMU's exit status.
 */

export const QEMU_BINARY = 'qemu-system-riscv64';

export interface QemuRunOptions {
  /** Wall-clock limit; the QEMU process is killed when it expires. Default 20 s. */
  timeoutMs?: number;
  /** Appended to the command line, e.g. ['-icount', 'shift=0']. */
  extraArgs?: string[];
  /** QEMU's -cpu value (default 'rv64'; 'rv64,h=true' for the h-* programs). */
  cpu?: string;
}

export interface QemuRunResult {
  /** The guest's finisher code (0 = pass); -1 when QEMU was killed or could not start. */
  exitCode: number;
  /** Everything the guest wrote to the UART, one char per byte. */
  uart: string;
  timedOut: boolean;
}

/** The command line used for every run (exported so a failing test can print it). */
/**
 * `-icount shift=0,sleep=off` ties QEMU's virtual clock (and so mtime) to instructions executed
 * instead of host time: runs are deterministic and independent of host load (a loaded CI
 * machine once starved a timer test of wall-clock time), and WFI warps to the next deadline.
 */
export const QEMU_MACHINE_ARGS = ['-M', 'virt', '-bios', 'none', '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-icount', 'shift=0,sleep=off'] as const;

/** cpu: QEMU's -cpu value; 'rv64,h=true' for programs that need the H extension. */
export function qemuArgs(elfPath: string, extraArgs: readonly string[] = [], cpu = 'rv64'): string[] {
  return [...QEMU_MACHINE_ARGS, '-cpu', cpu, '-kernel', elfPath, ...extraArgs];
}

export function runOnQemu(elfPath: string, opts: QemuRunOptions = {}): QemuRunResult {
  const result = spawnSync(QEMU_BINARY, qemuArgs(elfPath, opts.extraArgs, opts.cpu), {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const uart = result.stdout ? result.stdout.toString('latin1') : '';
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw new Error(`${QEMU_BINARY} could not run: ${result.error.message}`);
  return { exitCode: result.status ?? -1, uart, timedOut };
}

let available: boolean | undefined;

/** Whether qemu-system-riscv64 can be started (checked once per process). */
export function qemuAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync(QEMU_BINARY, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    available = !probe.error && probe.status === 0;
  }
  return available;
}
