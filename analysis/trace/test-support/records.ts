/**
 * Synthetic traces for the exporter and command tests: record factories with defaults, and one
 * small run whose every number the tests can check by hand.
 */
import { MODE_NAMES } from '../../../pipeline/timing/pipeline.js';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type EndRecord,
  type FenceTraceRecord,
  type FlushRecord,
  type InsnRecord,
  type ReturnRecord,
  type SampleRecord,
  type TraceHeader,
  type TraceRecord,
  type TrapRecord,
  type WorldSwitchRecord,
} from '../format.js';

export const M = 0;
export const HS = 1;
export const U = 2;
export const VS = 3;
export const VU = 4;

export function traceHeader(overrides: Partial<TraceHeader> = {}): TraceHeader {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    simulator: { name: 'rvhsim', version: '0.1.0' },
    workload: { name: 'synthetic', path: '/tmp/synthetic.elf', sha256: 'ab'.repeat(32) },
    config: { run: { mode: 'detailed' } },
    intervalCycles: 1000,
    counters: [
      { name: 'mmu.dtlb.miss', unit: 'count', description: 'D-TLB misses' },
      { name: 'caches.l1d.bytes', unit: 'bytes', description: 'bytes read from the L1D' },
      { name: 'walker.cycles', unit: 'cycles', description: 'cycles spent walking' },
    ],
    window: null,
    modes: [...MODE_NAMES],
    ...overrides,
  };
}

export function sample(r: Partial<SampleRecord> & Pick<SampleRecord, 'cycle' | 'instret'>): SampleRecord {
  return { t: 'sample', cycles: 1000, insns: 0, modeCycles: [0, 0, 0, 0, 0], deltas: [0, 0, 0], ...r };
}

export function trap(r: Partial<TrapRecord> & Pick<TrapRecord, 'cycle' | 'cause' | 'from' | 'to'>): TrapRecord {
  return { t: 'trap', instret: 0, pc: 0x8000_0000n, interrupt: false, tval: 0n, ...r };
}

export function ret(r: Partial<ReturnRecord> & Pick<ReturnRecord, 'cycle' | 'from' | 'to'>): ReturnRecord {
  return { t: 'return', instret: 0, pc: 0x8000_0100n, insn: r.from === M ? 'mret' : 'sret', ...r };
}

export function world(r: Partial<WorldSwitchRecord> & Pick<WorldSwitchRecord, 'cycle' | 'virt' | 'from' | 'to'>): WorldSwitchRecord {
  return { t: 'world', instret: 0, ...r };
}

export function fence(r: Partial<FenceTraceRecord> & Pick<FenceTraceRecord, 'cycle' | 'kind'>): FenceTraceRecord {
  return {
    t: 'fence',
    seq: 0,
    pc: 0x8000_0200n,
    rs1: null,
    rs2: null,
    cycles: 0,
    dropped: [0, 0, 0, 0],
    stale: [0, 0, 0, 0],
    pwcFirst: 0,
    pwcG: 0,
    nestedTlb: 0,
    shadowWalks: 0,
    shadowCycles: 0,
    ...r,
  };
}

export function flush(r: Partial<FlushRecord> & Pick<FlushRecord, 'cycle' | 'structure'>): FlushRecord {
  return { t: 'flush', entries: 0, reason: 'sfence-vma', ...r };
}

export function end(r: Partial<EndRecord> & Pick<EndRecord, 'cycle' | 'instret' | 'records'>): EndRecord {
  return { t: 'end', reason: 'exit', exitCode: 0, ...r };
}

/**
 * Instructions seq, seq+1, ... of an in-order five-stage pipeline: one instruction fetched per
 * cycle from `firstIf`, each stage one cycle, except that `memStall[i]` extra cycles in MEM of
 * the i-th instruction hold it and everything behind it.
 */
export function pipelineInsns(firstSeq: number, count: number, firstIf: number, memStall: Record<number, number> = {}): InsnRecord[] {
  const out: InsnRecord[] = [];
  // Next free cycle of each stage: an instruction enters a stage once its predecessor left it.
  const free = [firstIf, firstIf, firstIf, firstIf, firstIf];
  for (let i = 0; i < count; i++) {
    const stages: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    let t = free[0]!;
    for (let s = 0; s < 5; s++) {
      t = Math.max(t, free[s]!);
      stages[s] = t;
      const stay = s === 3 ? 1 + (memStall[i] ?? 0) : 1;
      t += stay;
    }
    // A stage is free again when the instruction moved on from it to the next one.
    for (let s = 0; s < 4; s++) free[s] = stages[s + 1]!;
    free[4] = stages[4] + 1;
    out.push({
      t: 'insn',
      seq: firstSeq + i,
      pc: 0x8000_1000n + BigInt(4 * i),
      bits: 0x0015_0513,
      text: `addi a0, a0, ${i}`,
      mode: VS,
      stages,
    });
  }
  return out;
}

/**
 * The reference run: starts in M, MRETs to HS at 150, SRETs into the guest (VS, V=1) at 400,
 * fences and flushes in the guest, traps back to HS with an ecall at 1500, and exits at 2300.
 * Samples every 1000 cycles plus the partial last interval; a five-instruction pipeline window.
 */
export function referenceTrace(options: { window?: boolean; end?: boolean } = {}): { header: TraceHeader; records: TraceRecord[] } {
  const withWindow = options.window ?? true;
  const header = traceHeader({ window: withWindow ? { startInsn: 100, endInsn: 105 } : null });
  const records: TraceRecord[] = [
    ret({ cycle: 150, instret: 90, from: M, to: HS }),
    ret({ cycle: 400, instret: 100, from: HS, to: VS, pc: 0x8000_0300n }),
    world({ cycle: 400, instret: 100, virt: true, from: HS, to: VS }),
    ...(withWindow ? pipelineInsns(100, 5, 401, { 2: 2 }) : []),
    sample({ cycle: 1000, instret: 500, cycles: 1000, insns: 500, modeCycles: [150, 250, 0, 600, 0], deltas: [7, 4096, 120] }),
    fence({ cycle: 1200, seq: 0, kind: 'hfence-vvma', rs1: 0x4000n, rs2: 3, cycles: 12, dropped: [1, 2, 5, 0], stale: [1, 1, 3, 0], pwcFirst: 2, shadowWalks: 4, shadowCycles: 80 }),
    flush({ cycle: 1200, structure: 'l2tlb', entries: 5, reason: 'hfence-vvma' }),
    trap({ cycle: 1500, instret: 800, cause: 10, from: VS, to: HS, pc: 0x8000_0400n }),
    world({ cycle: 1500, instret: 800, virt: false, from: VS, to: HS }),
    trap({ cycle: 1700, instret: 900, cause: 5, interrupt: true, from: HS, to: HS, pc: 0x8000_0500n }),
    sample({ cycle: 2000, instret: 1000, cycles: 1000, insns: 500, modeCycles: [0, 500, 0, 500, 0], deltas: [3, 1024, 40] }),
    sample({ cycle: 2300, instret: 1150, cycles: 300, insns: 150, modeCycles: [0, 300, 0, 0, 0], deltas: [1, 0, 0] }),
  ];
  if (options.end ?? true) records.push(end({ cycle: 2300, instret: 1150, records: records.length }));
  return { header, records };
}
