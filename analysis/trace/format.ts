/**
 * The rvhsim trace: what a traced run records, as the writer streams it and the reader returns it.
 * This file is the contract between the recorder (trace/writer.ts, trace/recorder.ts), the reader
 * (trace/reader.ts) and the exporters (trace/export-*.ts): records are plain objects, one msgpack
 * map each, told apart by `t`.
 *
 * Time is in core cycles (the timing model's clock); exporters map 1 cycle to 1 ns.
 * Modes are indices into MODE_NAMES (pipeline/timing/pipeline.ts): 0 M, 1 HS, 2 U, 3 VS, 4 VU.
 * 64-bit guest values (pc, tval, rs1) are bigint.
 */

import type { FenceSnapshot } from '../../mmu/tlb/fence-records.js';

export const TRACE_FORMAT = 'rvhsim-trace';
/** Bumped on any change a reader of the previous version would misread. */
export const TRACE_VERSION = 1;

/** A sampled statistic: a name from the run's StatRegistry, with its unit and description. */
export interface TraceCounter {
  name: string;
  unit: string;
  description: string;
}

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  simulator: { name: 'rvhsim'; version: string };
  workload: { name: string; path: string; sha256: string };
  /** The resolved MachineConfig the run used (as JSON data). */
  config: unknown;
  /** Cycles between interval samples (0: no samples). */
  intervalCycles: number;
  /** The columns of every SampleRecord.deltas, in order. */
  counters: TraceCounter[];
  /** The pipeline window: instructions [startInsn, endInsn) by retirement number (0-based), or null. */
  window: { startInsn: number; endInsn: number } | null;
  /** Mode names by index (MODE_NAMES), so a reader needs no simulator import. */
  modes: string[];
}

/** One interval: statistics deltas since the previous sample (or the start). */
export interface SampleRecord {
  t: 'sample';
  /** Cycle at which the interval ended. */
  cycle: number;
  /** Instructions retired by then (cumulative). */
  instret: number;
  /** Cycles and retired instructions of the interval (IPC = insns / cycles). */
  cycles: number;
  insns: number;
  /** Cycles spent in each mode during the interval (index: mode). */
  modeCycles: number[];
  /** Change of each header counter over the interval (header.counters order). */
  deltas: number[];
}

/** A synchronous exception or interrupt taken. */
export interface TrapRecord {
  t: 'trap';
  cycle: number;
  instret: number;
  pc: bigint;
  cause: number;
  interrupt: boolean;
  tval: bigint;
  /** Mode before and after the trap. */
  from: number;
  to: number;
}

/** MRET / SRET: mode before and after. */
export interface ReturnRecord {
  t: 'return';
  cycle: number;
  instret: number;
  pc: bigint;
  insn: 'mret' | 'sret';
  from: number;
  to: number;
}

/** V changed (0→1 entering a guest, 1→0 leaving it): emitted beside the trap/return that did it. */
export interface WorldSwitchRecord {
  t: 'world';
  cycle: number;
  instret: number;
  /** V after the switch. */
  virt: boolean;
  from: number;
  to: number;
}

/** A fence (or a satp/vsatp/hgatp write acting like one) with its cost (mmu/tlb/fence-records.ts FenceSnapshot). */
export interface FenceTraceRecord extends Omit<FenceSnapshot, 'kind'> {
  t: 'fence';
  /** FENCE_KIND_NAMES entry (a plain string: a reader may meet kinds a newer simulator added). */
  kind: string;
}

/** A TLB structure emptied whole (a fence or ATP write that flushed everything in it). */
export interface FlushRecord {
  t: 'flush';
  cycle: number;
  /** TLB_NAMES entry. */
  structure: string;
  entries: number;
  /** FENCE_KIND_NAMES entry of what caused it. */
  reason: string;
}

/** One instruction of the pipeline window: the cycle it entered each stage. */
export interface InsnRecord {
  t: 'insn';
  /** Retirement number (0-based over the run). */
  seq: number;
  pc: bigint;
  /** The instruction bits (16-bit compressed ones in the low half). */
  bits: number;
  /** Disassembly, e.g. "addi a0, a0, 1". */
  text: string;
  mode: number;
  /** Stage entry cycles IF, ID, EX, MEM, WB. */
  stages: [number, number, number, number, number];
}

/** The last record of a complete trace. A trace without it was cut short. */
export interface EndRecord {
  t: 'end';
  cycle: number;
  instret: number;
  /** RunResult.reason and exitCode. */
  reason: string;
  exitCode: number;
  /** Records written before this one. */
  records: number;
}

export type TraceRecord = SampleRecord | TrapRecord | ReturnRecord | WorldSwitchRecord | FenceTraceRecord | FlushRecord | InsnRecord | EndRecord;
