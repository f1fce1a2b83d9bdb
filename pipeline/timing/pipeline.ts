import type { StatScope } from '../../common/stats.js';
import type { PipelineConfig } from './timing-config.js';

/**
 * The five-stage in-order pipeline (IF ID EX MEM WB) as a timing model. The functional hart
 * decides what each instruction does; this model decides when each stage happens, from the
 * instruction's class, its registers and the stalls the memory side reports. It never changes
 * an architectural result.
 *
 * Each instruction i gets stage entry cycles f, d, e, m, w. A stage holds one instruction, so
 * i enters a stage no earlier than i-1 entered the next one (in-order, blocking):
 *   f = max(fetchReady, d[i-1])            IF; an I-side stall keeps it there
 *   d = max(f + fetchStall + 1, e[i-1])    ID
 *   e = max(d + 1, m[i-1], operands ready, functional unit free)
 *   m = max(e + 1, w[i-1])                 MEM; a D-side stall keeps it there
 *   w = max(m + memStall + 1, w[i-1] + 1)  WB: the instruction completes
 * Multiply and divide run in their own unit (a scoreboard holds their destination until
 * e + latency), so independent instructions flow past them as in Rocket.
 *
 * CPI stack: every cycle is charged to exactly one cause. Instruction i adds w[i] - w[i-1]
 * cycles: one to `base` and the rest to the causes that made it late, found by walking its
 * chain back from WB (own D-side stall, then the EX-stage wait, then the fetch side). Whatever
 * the walk cannot place goes to the binding cause, so the categories always sum to the cycle
 * count exactly.
 */

/** Instruction classes the pipeline distinguishes. */
export const enum Kind {
  Alu = 0,
  Mul = 1,
  Div = 2,
  Load = 3,
  Store = 4,
  Branch = 5,
  Jump = 6,
  /** Anything else that flows like an ALU op (CSR reads, LUI, ...). */
  Other = 7,
}

/** CPI-stack categories (issue 4). */
export const enum Stall {
  Base = 0,
  ICache,
  ITlb,
  DCache,
  DTlb,
  LoadUse,
  LongLatency,
  Branch,
  Trap,
  Fence,
  Csr,
  Wfi,
  DataHazard,
  COUNT,
}

export const STALL_NAMES = ['base', 'icache', 'itlb', 'dcache', 'dtlb', 'loadUse', 'longLatency', 'branch', 'trap', 'fence', 'csr', 'wfi', 'dataHazard'];
const STALL_DESCRIPTIONS = [
  'one cycle per instruction (the ideal pipeline)',
  'instruction fetch waiting for the L1I and below',
  'instruction fetch waiting for ITLB misses and their walks',
  'loads/stores waiting for the L1D and below (and consumers of late loads)',
  'loads/stores waiting for DTLB misses and their walks',
  'a consumer waiting one or more cycles for a load that hit',
  'waiting for a multiply/divide result or for a busy divider',
  'refetch after a branch or jump misprediction',
  'trap and interrupt entry, MRET/SRET',
  'FENCE, FENCE.I, SFENCE.VMA, HFENCE.*',
  'serialising CSR writes',
  'WFI waiting for an interrupt',
  'a consumer waiting for a register written by an ALU, CSR or jump instruction (only without forwarding)',
];

/** Modes for the per-mode breakdown: M, HS (S with V=0), U, VS, VU. */
export const MODE_NAMES = ['M', 'HS', 'U', 'VS', 'VU'];

/** The five-stage mode index of a (privilege, V) pair. */
export function modeIndex(priv: number, virt: boolean): number {
  if (priv === 3) return 0;
  if (virt) return priv === 1 ? 3 : 4;
  return priv === 1 ? 1 : 2;
}

export class PipelineModel {
  // The state below is public for one reader only: the timed block code (weave.ts), which keeps
  // it in locals while a block runs and writes it back at every exit.
  /** Stage entry cycles of the previous instruction. */
  pf = 0;
  pd = 0;
  pe = 0;
  pm = 0;
  pw = 0;
  /** Earliest cycle the next fetch may start (after a redirect), and why it is late. */
  fetchReady = 0;
  fetchReadyCause: Stall = Stall.Base;
  /** Scoreboard: cycle a register's value can be used in EX, and why it is late. */
  readonly regReady = new Float64Array(32);
  readonly regCause = new Uint8Array(32);
  mulFree = 0;
  divFree = 0;

  /** The CPI stack (cycles per category) and per-mode cycles and instructions. */
  readonly stack = new Float64Array(Stall.COUNT);
  readonly modeCycles = new Float64Array(5);
  readonly modeInsns = new Float64Array(5);
  instructions = 0;

  constructor(
    private readonly cfg: PipelineConfig,
    stats: StatScope | null,
  ) {
    if (stats !== null) this.registerStats(stats);
    // The stage cycles (pf..pw, fetchReady, mulFree, divFree) are left out of doubleFields on
    // purpose: started as doubles they made detailed mode on bench-intloop 18% slower (298 -> 245
    // MIPS) and tracing 3x as costly (npm run bench trace); they turn double once per worker.
  }

  /** Cycle at which the last instruction completed: the simulated time. */
  get now(): number {
    return this.pw;
  }

  /**
   * One instruction. fetchStall/fetchCause: cycles the I-side held it in IF (0 on a hit), of
   * which fetchTlb were the ITLB's (lookups and walk: charged to I-TLB, the rest to fetchCause).
   * memStall/memCause/memTlb: the same for the D-side in MEM (memTlb charged to D-TLB). redirect: 0 when the front end fetched
   * the right next pc; 1 when fetch went wrong but decode redirected it (the next fetch waits for
   * ID); 2 for a misprediction found at the resolve stage. Returns its WB cycle.
   */
  insn(
    kind: Kind,
    rd: number,
    rs1: number,
    rs2: number,
    fetchStall: number,
    fetchCause: Stall,
    fetchTlb: number,
    memStall: number,
    memCause: Stall,
    memTlb: number,
    redirect: number,
    mode: number,
  ): number {
    const cfg = this.cfg;
    // IF / ID
    const f = Math.max(this.fetchReady, this.pd);
    const d = Math.max(f + fetchStall + 1, this.pe);
    // EX: operands and the functional unit.
    const op = this.operands(rs1, rs2);
    const unit = kind === Kind.Mul ? this.mulFree : kind === Kind.Div ? this.divFree : 0;
    const e = Math.max(d + 1, this.pm, op, unit);
    const m = Math.max(e + 1, this.pw);
    const w = Math.max(m + memStall + 1, this.pw + 1);

    // Charge this instruction before the scoreboard moves (chargeLate reads its operands) and
    // before its own redirect can colour the causes it is charged.
    this.stack[Stall.Base]! += 1;
    if (w - this.pw > 1) this.chargeLate(w - this.pw - 1, memStall, memCause, memTlb, e, d, rs1, rs2, unit, f, fetchStall, fetchCause, fetchTlb, this.pd, this.pm);
    this.account(w - this.pw, mode);

    // Result availability for consumers (scoreboard).
    if (rd !== 0) {
      let ready: number;
      let cause: Stall = Stall.Base;
      switch (kind) {
        case Kind.Load:
          ready = m + memStall + 1;
          cause = memStall > 0 ? memCause : Stall.LoadUse;
          break;
        case Kind.Mul:
          ready = e + cfg.mulLatency;
          cause = Stall.LongLatency;
          break;
        case Kind.Div:
          ready = e + cfg.divLatency;
          cause = Stall.LongLatency;
          break;
        default:
          ready = e + 1;
          cause = Stall.DataHazard; // waited on only when forwarding is off
      }
      if (!cfg.forwarding) ready = Math.max(ready, w + 1);
      this.regReady[rd] = ready;
      this.regCause[rd] = cause;
    }
    if (kind === Kind.Mul) this.mulFree = cfg.mulPipelined ? e + 1 : e + cfg.mulLatency;
    if (kind === Kind.Div) this.divFree = cfg.divPipelined ? e + 1 : e + cfg.divLatency;

    // Where the next fetch may start: after decode or after resolution when fetch went wrong.
    if (redirect === 1) this.redirect(d + 1, Stall.Branch);
    else if (redirect === 2) {
      const resolve = cfg.branchResolveStage === 'ID' ? d : cfg.branchResolveStage === 'EX' ? e : m;
      this.redirect(resolve + 1, Stall.Branch);
    }
    this.pf = f;
    this.pd = d;
    this.pe = e;
    this.pm = m;
    this.pw = w;
    return w;
  }

  /** The next fetch may not start before `cycle`; a later delay is charged to `cause`. */
  redirect(cycle: number, cause: Stall): void {
    if (cycle >= this.fetchReady) {
      this.fetchReady = cycle;
      this.fetchReadyCause = cause;
    }
  }

  /**
   * A serialising event after the last instruction (CSR write, fence, xRET): the pipeline
   * drains, then refetches `extra` cycles later; the refill is charged to `cause`.
   */
  serialize(extra: number, cause: Stall): void {
    this.redirect(this.pw + extra, cause);
  }

  /**
   * A trap or interrupt: the instruction at the head does not complete; the hart redirects to
   * the handler. One cycle (the trap itself) plus the penalty before the next fetch, all charged
   * to Trap.
   */
  trap(penalty: number, mode: number): void {
    const t = Math.max(this.pw + 1, this.fetchReady);
    this.stack[Stall.Trap]! += t - this.pw;
    this.modeCycles[mode]! += t - this.pw;
    this.pw = t;
    this.pm = Math.max(this.pm, t - 1);
    this.pe = Math.max(this.pe, t - 2);
    this.pd = Math.max(this.pd, t - 3);
    this.redirect(t + penalty, Stall.Trap);
  }

  /** WFI: simulated time jumps to `cycle` (the wake-up); the gap is WFI idle time. */
  idleUntil(cycle: number, mode: number): void {
    if (cycle <= this.pw) return;
    const gap = cycle - this.pw;
    this.stack[Stall.Wfi]! += gap;
    this.modeCycles[mode]! += gap;
    this.pw = cycle;
    this.pm = Math.max(this.pm, cycle - 1);
    this.pe = Math.max(this.pe, cycle - 2);
    this.pd = Math.max(this.pd, cycle - 3);
    this.fetchReady = Math.max(this.fetchReady, cycle - 4);
  }

  private account(delta: number, mode: number): void {
    this.instructions++;
    this.modeCycles[mode]! += delta;
    this.modeInsns[mode]! += 1;
  }

  /** Cause of the operand operands() found latest (Base when none was late). */
  private opCause: Stall = Stall.Base;

  /** The cycle the later of rs1/rs2 can be used in EX (x0 always can); its cause in opCause. */
  private operands(rs1: number, rs2: number): number {
    let op = 0;
    this.opCause = Stall.Base;
    if (rs1 !== 0 && this.regReady[rs1]! > op) {
      op = this.regReady[rs1]!;
      this.opCause = this.regCause[rs1]!;
    }
    if (rs2 !== 0 && this.regReady[rs2]! > op) {
      op = this.regReady[rs2]!;
      this.opCause = this.regCause[rs2]!;
    }
    return op;
  }

  /**
   * Charge the `late` cycles (>= 1) an instruction took beyond its one base cycle along its
   * critical chain, before its destination enters the scoreboard and before its redirect:
   * unit is when its functional unit was free, prevD/prevM the previous instruction's ID and
   * MEM cycles. Also called by the timed block code (weave.ts), which keeps those in locals.
   */
  chargeLate(
    late: number,
    memStall: number,
    memCause: Stall,
    memTlb: number,
    e: number,
    d: number,
    rs1: number,
    rs2: number,
    unit: number,
    f: number,
    fetchStall: number,
    fetchCause: Stall,
    fetchTlb: number,
    prevD: number,
    prevM: number,
  ): void {
    const op = this.operands(rs1, rs2);
    const opCause = this.opCause;
    const s = this.stack;
    // 1. Its own D-side stall: the DTLB's share (lookups, walk) first, the caches' after it.
    const mem = Math.min(late, memStall);
    if (mem > 0) {
      const tlb = Math.min(mem, memTlb);
      if (tlb > 0) s[Stall.DTlb]! += tlb;
      if (mem > tlb) s[memCause]! += mem - tlb;
      late -= mem;
    }
    if (late <= 0) return;
    // 2. Waiting to enter EX: operands or a busy unit, beyond what ID delivered.
    const exWait = e - Math.max(d + 1, prevM);
    if (exWait > 0) {
      const amount = Math.min(late, exWait);
      s[op >= unit ? opCause : Stall.LongLatency]! += amount;
      late -= amount;
    }
    if (late <= 0) return;
    // 3. The fetch side: a redirect, then an I-side stall.
    const redirect = Math.min(late, Math.max(0, f - prevD));
    if (redirect > 0) {
      s[this.fetchReadyCause]! += redirect;
      late -= redirect;
    }
    const fetch = Math.min(late, fetchStall);
    if (fetch > 0) {
      const tlb = Math.min(fetch, fetchTlb);
      if (tlb > 0) s[Stall.ITlb]! += tlb;
      if (fetch > tlb) s[fetchCause]! += fetch - tlb;
      late -= fetch;
    }
    // Anything left is pipeline refill behind the same binding cause.
    if (late > 0) s[exWait > 0 ? (op >= unit ? opCause : Stall.LongLatency) : this.fetchReadyCause]! += late;
  }

  private registerStats(scope: StatScope): void {
    const cpi = scope.scope('cpi');
    for (let i = 0; i < Stall.COUNT; i++) {
      cpi.register(STALL_NAMES[i]!, 'cycles', `CPI stack: ${STALL_DESCRIPTIONS[i]}`, () => this.stack[i]!);
    }
    scope.register('cycles', 'cycles', 'Cycles of the timed run (sum of the CPI stack)', () => this.pw);
    scope.register('instructions', 'insns', 'Instructions timed by the pipeline', () => this.instructions);
    const modes = scope.scope('mode');
    MODE_NAMES.forEach((name, i) => {
      modes.register(`${name}.cycles`, 'cycles', `Cycles spent in ${name}-mode`, () => this.modeCycles[i]!);
      modes.register(`${name}.insns`, 'insns', `Instructions retired in ${name}-mode`, () => this.modeInsns[i]!);
    });
  }
}
