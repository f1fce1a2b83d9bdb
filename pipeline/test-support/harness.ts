/**
 * Test-only harness for the hart behaviour tests (pipeline/hart-*.test.ts): a Machine with the
 * UART captured, code and data placed at physical addresses, page tables built in its DRAM, runs
 * that stop at the test finisher (or a WFI deadlock, or a step budget), and the architectural
 * state read back as BigInts.
 *
 * Default layout (all physical, inside DRAM at 0x8000_0000):
 *   CODE       0x8000_0000  test program (the reset pc)
 *   M_HANDLER  0x8001_0000  default mtvec: stops the run through the finisher ("halt")
 *   S_HANDLER  0x8001_1000  default stvec: the same halt, run in S-mode
 *   DATA       0x8010_0000  scratch data
 *   TABLES     0x8040_0000  page tables (bump-allocated by pageTables())
 * The halt handlers clobber t5/t6 only, so a test can read every other register and the trap
 * CSRs of the trap that ended the run.
 */
import { Word } from '../../caches/word.js';
import { PageTables } from '../../mmu/test-support/page-tables.js';
import { Priv } from '../../mmu/access.js';
import { machineConfigSchema, type MachineConfig } from '../config.js';
import { csrRead, csrWrite } from '../csr.js';
import { toBigInt } from '../int64.js';
import { Machine, type RunResult } from '../machine.js';
import { Asm, CSR, exitSeq, j, type CsrName } from './asm.js';

export const CODE = 0x8000_0000n;
export const M_HANDLER = 0x8001_0000n;
export const S_HANDLER = 0x8001_1000n;
export const DATA = 0x8010_0000n;
export const TABLES = 0x8040_0000n;
export const FINISHER = 0x10_0000n;
export const CLINT = 0x200_0000n;
export const MTIMECMP = CLINT + 0x4000n;
export const MTIME = CLINT + 0xbff8n;
export const PLIC = 0xc00_0000n;
export const UART = 0x1000_0000n;
/** Nothing is mapped here (between the PLIC and the UART on QEMU virt). */
export const UNMAPPED = 0x4000_0000n;

/** Leaf PTE flag bits (supervisor.adoc, Sv39 PTE format). */
export const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, G: 32, A: 64, D: 128 } as const;

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export interface StopInfo {
  reason: 'exit' | 'limit' | 'deadlock';
  exitCode: number;
  /** Calls to Machine.step() made (instructions retired plus traps taken). */
  steps: number;
}

/** mstatus.MPP / SPP values (machine.adoc "Privilege and Global Interrupt-Enable Stack"). */
export const PRIV = { U: 0, S: 1, M: 3 } as const;

export class TestHart {
  readonly m: Machine;
  readonly config: MachineConfig;
  private readonly w = new Word();

  /**
   * A machine with uart='capture' and the interpreter (blockTranslation false) unless the
   * overrides say otherwise. The halt handlers are installed and mtvec/stvec point at them.
   */
  constructor(overrides: DeepPartial<{ platform: MachineConfig['platform']; hart: MachineConfig['hart']; run: MachineConfig['run'] }> = {}) {
    this.config = machineConfigSchema.parse({
      platform: { uart: 'capture', ...overrides.platform },
      // translateThreshold 1: when a test turns the translator on, blocks compile at first sight.
      hart: { blockTranslation: false, translateThreshold: 1, ...overrides.hart },
      // Functional mode unless asked: the hart tests count cycles as one per step.
      run: { mode: 'functional', ...overrides.run },
    });
    this.m = new Machine(this.config);
    this.code(M_HANDLER, (a) => a.emit(exitSeq(0), j(0)));
    this.code(S_HANDLER, (a) => a.emit(exitSeq(0), j(0)));
    this.setCsr('mtvec', M_HANDLER);
    this.setCsr('stvec', S_HANDLER);
    this.setPc(CODE);
  }

  // ---------------------------------------------------------------- placing code and data

  /** Assemble a program whose first instruction is at virtual `va` and store it at physical `pa` (default: va). */
  code(va: bigint, build: (a: Asm) => void, pa: bigint = va): Asm {
    const a = new Asm(va);
    build(a);
    this.writeBytes(pa, a.bytes());
    return a;
  }

  writeBytes(pa: bigint, bytes: Uint8Array): void {
    this.m.platform.bus.dram.writeBytes(Number(pa), bytes);
  }

  /** Physical store of `size` bytes through the bus (so DRAM and MMIO alike). */
  poke(pa: bigint, size: 1 | 2 | 4 | 8, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    const ok = this.m.platform.bus.store(Number(pa), size, Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)));
    if (!ok) throw new Error(`poke: nothing at 0x${pa.toString(16)}`);
  }

  /** Physical load, zero-extended. */
  peek(pa: bigint, size: 1 | 2 | 4 | 8 = 8): bigint {
    if (!this.m.platform.bus.load(Number(pa), size, this.w)) throw new Error(`peek: nothing at 0x${pa.toString(16)}`);
    const v = BigInt.asUintN(64, toBigInt(this.w.lo, this.w.hi));
    return size === 8 ? v : v & ((1n << BigInt(8 * size)) - 1n);
  }

  // ---------------------------------------------------------------- state

  setPc(pc: bigint): void {
    const v = BigInt.asUintN(64, pc);
    this.m.hart.setPc(Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)));
  }

  /** Start at `pc` in privilege `priv` (as if an xRET had just gone there). */
  start(pc: bigint, priv: Priv = Priv.M): void {
    this.setPc(pc);
    this.m.hart.priv = priv;
    this.m.hart.nextInterruptCheck = 0;
  }

  get pc(): bigint {
    return this.m.debugState().pc;
  }

  get priv(): number {
    return this.m.hart.priv;
  }

  /** x[r] as an unsigned 64-bit value. */
  x(r: number): bigint {
    return BigInt.asUintN(64, this.m.debugState().x[r]!);
  }

  /** x[r] as a signed 64-bit value. */
  xs(r: number): bigint {
    return BigInt.asIntN(64, this.m.debugState().x[r]!);
  }

  setX(r: number, v: bigint): void {
    if (r === 0) return;
    const u = BigInt.asUintN(64, v);
    this.m.hart.x[2 * r] = Number(BigInt.asIntN(32, u & 0xffff_ffffn));
    this.m.hart.x[2 * r + 1] = Number(BigInt.asIntN(32, u >> 32n));
  }

  /** Read any CSR (by name or number) as M-mode software would, without access checks. */
  csr(c: CsrName | number): bigint {
    const num = typeof c === 'number' ? c : CSR[c];
    const h = this.m.hart;
    const saved = h.priv;
    h.priv = Priv.M;
    csrRead(h, num, this.w);
    h.priv = saved;
    return BigInt.asUintN(64, toBigInt(this.w.lo, this.w.hi));
  }

  /** Write any CSR (by name or number) through its WARL rules, as M-mode software would. */
  setCsr(c: CsrName | number, value: bigint): void {
    const num = typeof c === 'number' ? c : CSR[c];
    const v = BigInt.asUintN(64, value);
    csrWrite(this.m.hart, num, Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)), this.w);
  }

  get cycles(): number {
    return this.m.hart.clock.cycles;
  }

  get instret(): number {
    return this.m.hart.instret;
  }

  get uart(): string {
    return this.m.uartText;
  }

  // ---------------------------------------------------------------- running

  /**
   * Step through the interpreter until the finisher ends the run, a WFI deadlocks, or `maxSteps`
   * calls to step() (each retires one instruction or takes one trap). Unlike Machine.run, a
   * storm of traps cannot hang this loop.
   */
  runSteps(maxSteps = 10_000): StopInfo {
    for (let steps = 0; ; steps++) {
      const r = this.m.run(0); // executes nothing: reports whether the run has ended
      if (r.reason !== 'limit' || steps >= maxSteps) return { reason: r.reason, exitCode: r.exitCode, steps };
      this.m.step();
    }
  }

  /** Step exactly n times (an interrupt or exception taken counts as one step). */
  step(n = 1): void {
    for (let i = 0; i < n; i++) this.m.step();
  }

  /** Machine.run: blocks when config.hart.blockTranslation, else the interpreter. */
  run(maxInsns: number): RunResult {
    return this.m.run(maxInsns);
  }

  // ---------------------------------------------------------------- paging

  private nextTables = TABLES;

  /** Page tables of `levels` levels (3 Sv39, 4 Sv48, 5 Sv57) in this machine's DRAM. */
  pageTables(levels: 3 | 4 | 5): PageTables {
    const pt = new PageTables(levels, false, this.m.platform.bus, this.nextTables);
    this.nextTables += 0x10_0000n;
    return pt;
  }

  /**
   * Identity gigapages for S-mode: VA [0, 1 GiB) -> the devices (RW), VA [2 GiB, 3 GiB) -> DRAM
   * (RWX), both with A and D set and U clear, so the halt handlers and the test code run in S.
   */
  mapKernelIdentity(pt: PageTables): void {
    pt.map(0n, 0n, 2, PTE.V | PTE.R | PTE.W | PTE.A | PTE.D);
    pt.map(0x8000_0000n, 0x8000_0000n, 2, PTE.V | PTE.R | PTE.W | PTE.X | PTE.A | PTE.D);
  }

  /** Turn translation on with these tables (satp write as M-mode). */
  useTables(pt: PageTables, asid = 0): void {
    this.setCsr('satp', satpValue(pt.levels, pt.root, asid));
  }

  // ---------------------------------------------------------------- platform

  /**
   * Make the PLIC assert an external interrupt to context 0 (M: mip.MEIP) or 1 (S: mip.SEIP)
   * from source `src`, through its MMIO registers (priority 1, enabled, threshold 0).
   */
  raiseExternal(ctx: 'M' | 'S', src = 5): void {
    const c = ctx === 'M' ? 0n : 1n;
    this.poke(PLIC + 4n * BigInt(src), 4, 1n);
    this.poke(PLIC + 0x2000n + 0x80n * c, 4, this.peek(PLIC + 0x2000n + 0x80n * c, 4) | (1n << BigInt(src)));
    this.m.platform.plic.setSource(src, true);
  }

  /** Stop the context seeing any source (clears its enable bits). */
  lowerExternal(ctx: 'M' | 'S'): void {
    this.poke(PLIC + 0x2000n + 0x80n * (ctx === 'M' ? 0n : 1n), 4, 0n);
  }
}

/** satp = MODE << 60 | ASID << 44 | PPN (supervisor.adoc "satp"). */
export function satpValue(levels: number, root: bigint, asid = 0): bigint {
  const mode = BigInt(levels + 5); // Sv39 = 8, Sv48 = 9, Sv57 = 10
  return (mode << 60n) | (BigInt(asid) << 44n) | (root >> 12n);
}

/** mcause/scause of an interrupt (machine.adoc "Machine Cause Register"). */
export function interruptCause(code: number): bigint {
  return (1n << 63n) | BigInt(code);
}
