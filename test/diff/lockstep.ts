/**
 * Lockstep comparison of rvhsim against QEMU: QEMU runs the ELF one instruction per translation
 * block with its CPU state logged before each (qemu-log.ts), and rvhsim's Machine is stepped
 * alongside (Machine.step(): one instruction retired or one trap taken, the same unit as one
 * QEMU dump). At every step pc and x1..x31 are compared; the first difference is reported with
 * both states and the instruction that produced it.
 *
 * Register synchronisation: QEMU's reset code (in its boot ROM at 0x1000) leaves values in a few
 * registers (a1 = device tree address, a2, t0) that rvhsim does not model. Comparison starts
 * when QEMU reaches the ELF's entry, and a register is compared from the moment it holds the
 * same value on both sides or the guest writes it (an instruction with that rd retires without
 * a trap), so these leftovers are not differences.
 *
 * Known trap deviations (compare.ts) are accepted: the differing values (cause, tval, a stale
 * mtval2, a missing GVA bit in mstatus/hstatus) are recorded as equivalent qemu:rvhsim pairs
 * for the next 80 steps, the trap handler's run, so the registers it reads them into are not
 * reported either. A trap is checked against the cause registers of the level it went to
 * (M, or S when delegated). Runs are meant to stop at the end of the random programs' memory
 * hash (symbol hash_done); past it the epilogue prints the trap log, whose digits differ too.
 */
import { spawn } from 'node:child_process';
import { parseElf, type ElfImage } from '../../workloads/elf.js';
import { isHlvHsv, knownTrapDeviation } from './compare.js';
import type { IsaProfile } from './illegal-encodings.js';
import { QemuLogParser, type QemuCpuState } from './qemu-log.js';
import { QEMU_BIN, qemuBaseArgs, tempElf } from './qemu-run.js';
import { diffConfig, loadMachine, rvhsimIsa } from './rvhsim-run.js';
import { writtenRegister } from './rv-written.js';
import type { DebugState, Machine } from '../../pipeline/machine.js';

export interface LockstepOptions {
  /** Extensions QEMU should offer (default: what rvhsim's misa reports). */
  isa?: IsaProfile;
  /** Stop successfully when QEMU's pc reaches this address. */
  stopAt?: bigint;
  /** CSRs (QEMU's names) compared at every step besides pc and x. Default none. */
  csrs?: readonly string[];
  timeoutMs?: number;
}

export type LockstepResult =
  | { ok: true; steps: number; end: 'qemu-exited' | 'max-steps' | 'stop-pc'; accepted: string[] }
  | { ok: false; step: number; pc: bigint; diffs: string[]; report: string };

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;
const FETCH_FAULTS = new Set([1n, 12n, 20n]);
const S_LEVEL = 1n << 62n;

/** The instruction bits at `pc` in the image (16 bits for a compressed one), or undefined outside it. */
export function instructionAt(image: ElfImage, pc: bigint): number | undefined {
  const half = (a: number): number | undefined => {
    for (const s of image.segments) {
      if (a >= s.paddr && a + 2 <= s.paddr + s.data.length) return s.data[a - s.paddr]! | (s.data[a - s.paddr + 1]! << 8);
    }
    return undefined;
  };
  const lo = half(Number(pc));
  if (lo === undefined || (lo & 3) !== 3) return lo;
  const hi = half(Number(pc) + 2);
  return hi === undefined ? undefined : (lo | (hi << 16)) >>> 0;
}

class Comparator {
  private readonly synced = new Array<boolean>(32).fill(false);
  /** qemu:rvhsim value pairs a known trap deviation explains, with the step they expire at. */
  private readonly equivalent = new Map<string, number>();
  private step = 0;
  readonly accepted: string[] = [];

  constructor(private readonly image: ElfImage, private readonly csrs: readonly string[]) {
    this.synced[0] = true;
  }

  /** The instruction just executed wrote register `rd` (it retired: no trap followed). */
  written(rd: number | undefined): void {
    if (rd !== undefined) this.synced[rd] = true;
  }

  /** Differences between QEMU's state before step k and rvhsim's. */
  diffs(q: QemuCpuState, r: DebugState, step: number): string[] {
    this.step = step;
    const out: string[] = [];
    if (q.trap && !q.trap.async) this.checkTrap(q, r, out);
    if (q.pc !== r.pc) out.push(`pc: qemu=${hex(q.pc)} rvhsim=${hex(r.pc)}`);
    for (let i = 1; i < 32; i++) {
      const qv = BigInt.asUintN(64, q.x[i]!);
      const rv = BigInt.asUintN(64, r.x[i]!);
      if (qv === rv) this.synced[i] = true;
      else if (this.synced[i] && !this.isEquivalent(qv, rv)) out.push(`x${i}/${ABI[i]}: qemu=${hex(qv)} rvhsim=${hex(rv)}`);
    }
    for (const name of this.csrs) {
      const qv = q.csrs.get(name);
      const rv = r.csr(name);
      if (qv !== undefined && rv !== undefined && qv !== rv) out.push(`${name}: qemu=${hex(qv)} rvhsim=${hex(rv)}`);
    }
    return out;
  }

  /** Equivalences last for the trap handler's run (it reads the trap CSRs and logs them). */
  private accept(qemu: bigint, rvhsim: bigint): void {
    const until = this.step + 80;
    this.equivalent.set(`${BigInt.asUintN(64, qemu)}:${BigInt.asUintN(64, rvhsim)}`, until);
    // the handler marks causes of traps taken into S-mode with bit 62 before logging them
    this.equivalent.set(`${BigInt.asUintN(64, qemu | S_LEVEL)}:${BigInt.asUintN(64, rvhsim | S_LEVEL)}`, until);
  }

  private isEquivalent(qemu: bigint, rvhsim: bigint): boolean {
    return (this.equivalent.get(`${qemu}:${rvhsim}`) ?? -1) >= this.step;
  }

  private checkTrap(q: QemuCpuState, r: DebugState, out: string[]): void {
    const t = q.trap!;
    // The trap went to M-mode or, delegated, to S-mode: read that level's cause registers.
    const x = r.priv === 3 ? 'm' : 's';
    const rv = { cause: r.csr(`${x}cause`) ?? -1n, tval: r.csr(`${x}tval`) ?? -1n, epc: r.csr(`${x}epc`) ?? -1n };
    // QEMU 7.2 leaves mtval2 / htval stale on traps other than guest-page faults ('qemu-stale-tval2').
    if (![20n, 21n, 23n].includes(t.cause)) {
      const name = x === 'm' ? 'mtval2' : 'htval';
      const qv = q.csrs.get(name);
      if (qv !== undefined && qv !== 0n && r.csr(name) === 0n) this.accept(qv, 0n);
    }
    // QEMU 7.2 does not set GVA for HLV/HLVX/HSV faults with V=0 (compare.ts 'qemu-hlv-gva'): the
    // handler's read of mstatus / hstatus (and the bits it extracts) may differ in that bit.
    const insnAtEpc = instructionAt(this.image, t.epc);
    if (insnAtEpc !== undefined && isHlvHsv(insnAtEpc)) {
      const status = x === 'm' ? 'mstatus' : 'hstatus';
      const gva = x === 'm' ? 1n << 38n : 1n << 6n;
      const qs = q.csrs.get(status);
      const rs = r.csr(status);
      if (qs !== undefined && rs !== undefined && (qs | gva) === rs && qs !== rs) {
        this.accept(qs, rs);
        this.accept(qs >> (x === 'm' ? 38n : 6n), rs >> (x === 'm' ? 38n : 6n));
        this.accept((qs >> (x === 'm' ? 38n : 6n)) & 3n, (rs >> (x === 'm' ? 38n : 6n)) & 3n);
        this.accepted.push(`qemu-hlv-gva at ${hex(t.epc)}`);
      }
    }
    if (rv.cause === t.cause && rv.tval === t.tval && rv.epc === t.epc) return;
    const insn = instructionAt(this.image, t.epc);
    const rule = insn === undefined || rv.epc !== t.epc ? undefined : knownTrapDeviation(insn, t.epc, t, rv);
    if (rule) {
      this.accept(t.cause, rv.cause);
      this.accept(t.tval, rv.tval);
      this.accepted.push(`${rule} at ${hex(t.epc)}`);
      return;
    }
    const rvText = rv.epc === t.epc ? `rvhsim ${x}cause=${rv.cause} ${x}tval=${hex(rv.tval)}` : 'rvhsim took no trap there';
    out.push(`trap at ${hex(t.epc)}: qemu cause=${t.cause} tval=${hex(t.tval)} (${t.desc}); ${rvText}`);
  }
}

function describe(image: ElfImage, disasm: Map<bigint, string>, pc: bigint | undefined): string {
  if (pc === undefined) return '(none: the first compared state)';
  const text = disasm.get(pc);
  if (text) return `${hex(pc)}: ${text}`;
  const insn = instructionAt(image, pc);
  return `${hex(pc)}: ${insn === undefined ? '(outside the image)' : insn.toString(16).padStart((insn & 3) === 3 ? 8 : 4, '0')}`;
}

const PRIV = ['U', 'S', 'reserved', 'M'];

function stateReport(q: QemuCpuState, r: DebugState): string {
  const lines: string[] = [];
  for (let i = 0; i < 32; i += 4) {
    const cells: string[] = [];
    for (let j = i; j < i + 4; j++) {
      const qv = BigInt.asUintN(64, q.x[j]!);
      const rv = BigInt.asUintN(64, r.x[j]!);
      cells.push(`${`x${j}/${ABI[j]}`.padEnd(8)} ${qv.toString(16).padStart(16, '0')}${qv === rv ? '' : `≠${rv.toString(16).padStart(16, '0')}`}`);
    }
    lines.push('    ' + cells.join('  '));
  }
  for (const name of ['mstatus', 'mepc', 'mcause', 'mtval']) {
    const qv = q.csrs.get(name);
    const rv = r.csr(name);
    lines.push(`    ${name.padEnd(8)} qemu=${qv === undefined ? '?' : hex(qv)} rvhsim=${rv === undefined ? '?' : hex(rv)}`);
  }
  return lines.join('\n');
}

/**
 * Runs `elf` on QEMU and rvhsim in lockstep for at most `maxSteps` instructions (counted from the
 * ELF entry) and reports the first divergence.
 */
export async function lockstep(elf: Uint8Array, maxSteps: number, opts: LockstepOptions = {}): Promise<LockstepResult> {
  const image = parseElf(elf, 'lockstep.elf');
  const machine: Machine = loadMachine(elf, diffConfig({ blockTranslation: false }), 'lockstep.elf');
  const isa = opts.isa ?? rvhsimIsa();
  const cmp = new Comparator(image, opts.csrs ?? []);
  const parser = new QemuLogParser();
  const file = tempElf(elf);
  const child = spawn(QEMU_BIN, [...qemuBaseArgs(file.path, isa), '-singlestep', '-d', 'cpu,nochain,int,in_asm'], { stdio: ['ignore', 'ignore', 'pipe'] });

  let started = false;
  let steps = 0;
  let prevPc: bigint | undefined;
  let prevPriv: number | undefined;
  let result: LockstepResult | undefined;
  // What QEMU executed at pc (its disassembly starts with the instruction bits), else the image.
  const executedBits = (pc: bigint): number | undefined => {
    const text = parser.disasm.get(pc);
    return text ? Number.parseInt(text.split(' ')[0]!, 16) : instructionAt(image, pc);
  };

  const consume = (states: QemuCpuState[]): void => {
    for (const q of states) {
      if (result) return;
      if (!started) {
        if (q.pc !== image.entry) continue;
        started = true;
      }
      let r = machine.debugState();
      // QEMU logs no state for an instruction whose fetch faults (the trap is raised before the
      // block exists); rvhsim steps through it as a trap. Catch up by one step.
      if (q.pc !== r.pc && q.trap && FETCH_FAULTS.has(q.trap.cause) && q.trap.epc === r.pc) {
        machine.step();
        r = machine.debugState();
      }
      if (prevPc !== undefined && !q.trap) cmp.written(writtenRegister(executedBits(prevPc) ?? 0x13));
      const diffs = cmp.diffs(q, r, steps);
      if (diffs.length > 0) {
        const report = [
          `lockstep: first divergence before step ${steps} (counted from the entry), at pc ${hex(q.pc)}`,
          `  last instruction executed: ${describe(image, parser.disasm, prevPc)}${prevPriv === undefined ? '' : ` in ${PRIV[prevPriv] ?? prevPriv}-mode (rvhsim's privilege before it)`}`,
          ...diffs.map((d) => `  ${d}`),
          `  state (qemu value, ≠rvhsim value where they differ):`,
          stateReport(q, r),
        ].join('\n');
        result = { ok: false, step: steps, pc: q.pc, diffs, report };
        return;
      }
      if (opts.stopAt !== undefined && q.pc === opts.stopAt) {
        result = { ok: true, steps, end: 'stop-pc', accepted: cmp.accepted };
        return;
      }
      if (steps >= maxSteps) {
        result = { ok: true, steps, end: 'max-steps', accepted: cmp.accepted };
        return;
      }
      prevPriv = r.priv;
      machine.step();
      prevPc = q.pc;
      steps++;
    }
  };

  try {
    return await new Promise<LockstepResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`lockstep: QEMU did not finish within ${opts.timeoutMs ?? 120_000} ms (${steps} steps compared)`));
      }, opts.timeoutMs ?? 120_000);
      const finish = (): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(result!);
      };
      child.stderr.setEncoding('latin1');
      child.stderr.on('data', (chunk: string) => {
        if (result) return;
        consume(parser.push(chunk));
        if (result) finish();
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', () => {
        if (!result) {
          consume(parser.end());
          if (!result) {
            result = started
              ? { ok: true, steps, end: 'qemu-exited', accepted: cmp.accepted }
              : { ok: false, step: 0, pc: 0n, diffs: ['QEMU never reached the ELF entry'], report: `lockstep: QEMU never reached the entry ${hex(image.entry)} (with -bios none it starts at 0x80000000)` };
          }
        }
        finish();
      });
    });
  } finally {
    file.cleanup();
  }
}
