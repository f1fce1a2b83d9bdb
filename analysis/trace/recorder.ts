/**
 * Records a detailed-mode run as a trace (issue 7, "Traces"): interval samples of chosen
 * statistics, traps, xRETs and the world switches they make, fences with their final cost,
 * whole-structure TLB flushes, and an optional pipeline window. It attaches to a Machine through
 * the model hooks (pipeline/trace-probe.ts, TlbModel.log.onRecord, TlbModel.onFlush) and streams
 * every record to a TraceWriter as it happens.
 *
 * Detailed mode only: functional mode has no pipeline clock, caches, TLBs or fence costs to
 * record, so a recorder refuses it with a UserError rather than write a trace of nothing.
 *
 * Fence records are written once final: their shadow counts (walks refilling what a fence
 * dropped collaterally) can grow for mmu.tlb.shadowWindow cycles after the fence, so a fence is
 * written at the first boundary after its window closed, or at the end of the run. A trace is
 * therefore in time order except that a fence record comes up to a window later than its cycle.
 */
import { UserError } from '../../common/errors.js';
import type { StatDescriptor } from '../../common/stats.js';
import { FENCE_KIND_NAMES, type FenceRecord, TLB_NAMES, type TlbId } from '../../mmu/tlb/fence-records.js';
import { disassemble } from '../../pipeline/disasm.js';
import type { Machine, RunResult } from '../../pipeline/machine.js';
import type { Decoded } from '../../pipeline/ops.js';
import { MODE_NAMES, modeIndex } from '../../pipeline/timing/pipeline.js';
import type { TimingModel } from '../../pipeline/timing/timing-model.js';
import { setHartTraceProbe, type HartTraceProbe, type RunTracer } from '../../pipeline/trace-probe.js';
import { TRACE_FORMAT, TRACE_VERSION, type FenceTraceRecord, type TraceCounter, type TraceHeader } from './format.js';
import { TraceWriter } from './writer.js';

/**
 * The statistics sampled by default, by name pattern: per-structure TLB and cache misses, the
 * walker's walks and cycles, page-walk-cache and nested-TLB hits, fences by kind (their costs
 * are in the fence records), traps, and the CPI stack (cycles by cause) so an interval's IPC can
 * be explained.
 */
export const DEFAULT_TRACE_COUNTERS: readonly RegExp[] = [
  /^hart\.(exceptions|interrupts)$/,
  /^timing\.cpi\./,
  /^mmu\.(itlb|dtlb|l2tlb|gtlb)\.(accesses|misses|v1\.misses)$/,
  /^caches\.(l1i|l1d|l2)\.misses\./,
  /^mmu\.walker\.(walks|walksNative|walksVirt|walksG|cycles|refs)$/,
  /^mmu\.pwc\.(first|g)\.(lookups|misses|l\d\.hits)$/,
  /^mmu\.nestedTlb\.(hits|misses)$/,
  /^mmu\.fence\.[^.]+\.count$/,
];

export interface TraceOptions {
  /** The trace file to write. */
  path: string;
  /** Cycles between interval samples; 0: no samples. */
  intervalCycles: number;
  /** Instructions [startInsn, endInsn) by retirement number (0-based) to record stage by stage, or null. */
  window: { startInsn: number; endInsn: number } | null;
  /** Statistics to sample (name patterns); default DEFAULT_TRACE_COUNTERS. */
  counters?: readonly RegExp[];
}

/** What the header says about the run beyond the machine's own configuration. */
export interface TraceIdentity {
  workload: { name: string; path: string; sha256: string };
  simulatorVersion: string;
}

export class TraceRecorder implements RunTracer, HartTraceProbe {
  nextBoundary = Infinity;
  readonly windowStart: number;
  readonly windowEnd: number;

  private readonly writer: TraceWriter;
  private readonly tm: TimingModel;
  private readonly interval: number;
  private readonly shadowWindow: number;
  private readonly counters: StatDescriptor[];
  private readonly reads: (() => number)[];
  private readonly prevCounters: Float64Array;
  private readonly counterDeltas: Float64Array;
  private readonly prevModeCycles: Float64Array;
  private readonly modeDeltas: Float64Array;
  private lastCycle: number;
  private lastInstret: number;
  private nextSample = Infinity;
  /** Fences whose shadow window is still open, oldest first. */
  private readonly pendingFences: FenceRecord[] = [];
  private detached = false;

  constructor(
    private readonly machine: Machine,
    opts: TraceOptions,
    identity: TraceIdentity,
  ) {
    const tm = machine.timing;
    if (tm === null) {
      throw new UserError(`${opts.path}: tracing needs detailed mode (run.mode "detailed", --mode detailed): functional mode has no pipeline cycles, caches or TLBs to record`);
    }
    if (!Number.isSafeInteger(opts.intervalCycles) || opts.intervalCycles < 0) {
      throw new UserError(`trace interval ${opts.intervalCycles}: expected a whole number of cycles (0: no samples)`);
    }
    const w = opts.window;
    if (w !== null && !(Number.isSafeInteger(w.startInsn) && Number.isSafeInteger(w.endInsn) && w.startInsn >= 0 && w.endInsn > w.startInsn)) {
      throw new UserError(`trace window ${w.startInsn}:${w.endInsn}: expected START:END with 0 <= START < END (instructions by retirement number)`);
    }
    this.tm = tm;
    this.interval = opts.intervalCycles;
    this.shadowWindow = machine.config.mmu.tlb.shadowWindow;
    this.windowStart = w === null ? Infinity : w.startInsn;
    this.windowEnd = w === null ? Infinity : w.endInsn;
    const patterns = opts.counters ?? DEFAULT_TRACE_COUNTERS;
    this.counters = machine.stats.descriptors().filter((d) => patterns.some((p) => p.test(d.name)));
    this.reads = this.counters.map((d) => d.read);
    this.prevCounters = Float64Array.from(this.reads, (read) => read());
    this.counterDeltas = new Float64Array(this.counters.length);
    this.prevModeCycles = Float64Array.from(tm.pipeline.modeCycles);
    this.modeDeltas = new Float64Array(this.prevModeCycles.length);
    const h = machine.hart;
    this.lastCycle = tm.now;
    this.lastInstret = h.instret;
    if (this.interval > 0) this.nextSample = this.nextMultiple(this.lastCycle);
    this.nextBoundary = this.nextSample;

    const header: TraceHeader = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      simulator: { name: 'rvhsim', version: identity.simulatorVersion },
      workload: identity.workload,
      // As JSON data: what a JSON configuration file of the run would hold.
      config: JSON.parse(JSON.stringify(machine.config)) as unknown,
      intervalCycles: this.interval,
      counters: this.counters.map((d): TraceCounter => ({ name: d.name, unit: d.unit, description: d.description })),
      window: w === null ? null : { startInsn: w.startInsn, endInsn: w.endInsn },
      modes: [...MODE_NAMES],
    };
    this.writer = new TraceWriter(opts.path, header);

    setHartTraceProbe(h, this);
    machine.tracer = this;
    const tlbs = tm.tlbs;
    tlbs.log.onRecord = (r) => this.fenceDone(r);
    tlbs.onFlush = (id, entries, r) => this.flushed(id, entries, r);
  }

  /** File bytes written so far. */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  get records(): number {
    return this.writer.records;
  }

  // ---------------------------------------------------------------- RunTracer

  boundary(): void {
    const now = this.machine.hart.clock.cycles;
    if (now >= this.nextSample) {
      this.sample(now);
      this.nextSample = this.nextMultiple(now);
    }
    this.writeFinalFences(now);
    this.schedule();
  }

  insn(seq: number, pcLo: number, pcHi: number, d: Decoded, fetchCtx: number): void {
    const p = this.tm.pipeline;
    this.writer.write({
      t: 'insn',
      seq,
      pc: u64(pcLo, pcHi),
      bits: d.raw >>> 0,
      text: disassemble(d),
      mode: mode(fetchCtx),
      stages: [p.pf, p.pd, p.pe, p.pm, p.pw],
    });
  }

  // ---------------------------------------------------------------- HartTraceProbe

  trap(cause: number, interrupt: boolean, pcLo: number, pcHi: number, tvalLo: number, tvalHi: number, fromCtx: number, toCtx: number): void {
    const h = this.machine.hart;
    const cycle = h.clock.cycles;
    this.writer.write({ t: 'trap', cycle, instret: h.instret, pc: u64(pcLo, pcHi), cause, interrupt, tval: u64(tvalLo, tvalHi), from: mode(fromCtx), to: mode(toCtx) });
    this.worldSwitch(cycle, fromCtx, toCtx);
  }

  xret(insn: 'mret' | 'sret', pcLo: number, pcHi: number, fromCtx: number, toCtx: number): void {
    const h = this.machine.hart;
    const cycle = h.clock.cycles;
    this.writer.write({ t: 'return', cycle, instret: h.instret, pc: u64(pcLo, pcHi), insn, from: mode(fromCtx), to: mode(toCtx) });
    this.worldSwitch(cycle, fromCtx, toCtx);
  }

  // ---------------------------------------------------------------- end of the run

  /**
   * The run ended: the last (partial) interval, every fence still waiting (final now), the end
   * record; then the file is closed and the recorder detached.
   */
  finish(result: RunResult): void {
    if (this.detached) return;
    const h = this.machine.hart;
    const now = h.clock.cycles;
    if (this.interval > 0 && (now > this.lastCycle || h.instret > this.lastInstret)) this.sample(now);
    this.writeFinalFences(Infinity);
    this.writer.write({ t: 'end', cycle: now, instret: h.instret, reason: result.reason, exitCode: result.exitCode, records: this.writer.records });
    this.abort();
  }

  /** Close the trace without an end record (the run failed) and detach; idempotent. */
  abort(): void {
    if (this.detached) return;
    this.detached = true;
    const m = this.machine;
    setHartTraceProbe(m.hart, null);
    if (m.tracer === this) m.tracer = null;
    this.tm.tlbs.log.onRecord = null;
    this.tm.tlbs.onFlush = null;
    this.writer.close();
  }

  // ---------------------------------------------------------------- records

  /** One interval, without allocating: deltas go through reused arrays straight into the writer's block. */
  private sample(now: number): void {
    const h = this.machine.hart;
    const modeCycles = this.tm.pipeline.modeCycles;
    const modes = this.modeDeltas;
    for (let i = 0; i < modeCycles.length; i++) {
      modes[i] = modeCycles[i]! - this.prevModeCycles[i]!;
      this.prevModeCycles[i] = modeCycles[i]!;
    }
    const deltas = this.counterDeltas;
    const reads = this.reads;
    for (let i = 0; i < reads.length; i++) {
      const v = reads[i]!();
      deltas[i] = v - this.prevCounters[i]!;
      this.prevCounters[i] = v;
    }
    this.writer.writeSample(now, h.instret, now - this.lastCycle, h.instret - this.lastInstret, modes, deltas);
    this.lastCycle = now;
    this.lastInstret = h.instret;
  }

  private worldSwitch(cycle: number, fromCtx: number, toCtx: number): void {
    const virt = toCtx >= 4;
    if (virt === fromCtx >= 4) return;
    this.writer.write({ t: 'world', cycle, instret: this.machine.hart.instret, virt, from: mode(fromCtx), to: mode(toCtx) });
  }

  private fenceDone(r: FenceRecord): void {
    this.pendingFences.push(r);
    // A window of 0 cycles charges nothing after the fence: the record is final now.
    if (this.shadowWindow <= 0) this.writeFinalFences(Infinity);
    this.schedule();
  }

  /** Fences whose shadow window closed before `now` (FenceShadow.match forgets drops older than the window). */
  private writeFinalFences(now: number): void {
    const q = this.pendingFences;
    let n = 0;
    while (n < q.length && (now === Infinity || q[n]!.time + this.shadowWindow < now)) this.writer.write(fenceRecord(q[n++]!));
    if (n > 0) q.splice(0, n);
  }

  private flushed(id: TlbId, entries: number, r: FenceRecord): void {
    this.writer.write({ t: 'flush', cycle: r.time, structure: TLB_NAMES[id], entries, reason: FENCE_KIND_NAMES[r.kind] });
  }

  /** The next boundary: the next sample, or the cycle after the oldest pending fence's window. */
  private schedule(): void {
    const q = this.pendingFences;
    const fence = q.length === 0 ? Infinity : q[0]!.time + this.shadowWindow + 1;
    this.nextBoundary = Math.min(this.nextSample, fence);
  }

  /** The first multiple of the interval after `cycle`: samples stay on a fixed grid however late a boundary is seen. */
  private nextMultiple(cycle: number): number {
    return (Math.floor(cycle / this.interval) + 1) * this.interval;
  }
}

function fenceRecord(r: FenceRecord): FenceTraceRecord {
  return { t: 'fence', ...r.snapshot() };
}

/** The mode index (MODE_NAMES) of a context, privilege | V << 2. */
function mode(ctx: number): number {
  return modeIndex(ctx & 3, ctx >= 4);
}

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
