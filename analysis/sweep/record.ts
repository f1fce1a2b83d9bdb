import { createHash } from 'node:crypto';
import type { MachineConfig } from '../../pipeline/config.js';
import type { RunResult } from '../../pipeline/machine.js';
import { sortKeys, type FenceJson, type RunSummary } from '../stats-output.js';

/**
 * What a sweep stores for one point, and the content hash it is stored under. A point's result
 * depends only on its identity (simulator version, workload name and ELF hash, resolved
 * configuration, repeat number), so the hash of that identity names the result: a re-run finds it
 * and skips the point, and the same sweep always produces the same bytes. Host timing is not part
 * of a result; it is kept beside it (HostRecord).
 */

/** /2: records hold the run's fence records (`fences`); /1 records, which lack them, are run again. */
export const POINT_FORMAT = 'rvhsim-sweep-point/2';

export interface WorkloadIdentity {
  /** Catalog name or the path as the sweep file wrote it. */
  name: string;
  /** SHA-256 of the ELF file. */
  sha256: string;
}

export interface PointIdentity {
  /** rvhsim package version. */
  version: string;
  workload: WorkloadIdentity;
  /** 0-based repeat number (sweep `repeats`). */
  repeat: number;
  config: MachineConfig;
}

/** The reasons a run ended, as a sweep reports them; everything but 'ok' is a failure. */
export type PointStatus = 'ok' | 'guest-failure' | 'deadlock' | 'limit';

/** A finished simulation. Deterministic: the same identity gives the same record. */
export interface PointRecord extends PointIdentity {
  format: typeof POINT_FORMAT;
  key: string;
  status: PointStatus;
  result: Omit<RunResult, 'hostSeconds'>;
  /** Every registered statistic by name (units and descriptions: `rvhsim run --stats-txt`). */
  stats: Record<string, number>;
  /** The first mmu.tlb.fenceRecordLimit fences with their costs (RunSummary.fences). */
  fences: FenceJson[];
}

/**
 * A point that produced no result: a user error found only when it ran (a parameter the ELF does
 * not have), an exception in the simulator, or a worker that died. Kept apart from results and
 * retried by the next run of the sweep, since a host failure need not repeat.
 */
export interface ErrorRecord extends PointIdentity {
  format: typeof POINT_FORMAT;
  key: string;
  status: 'error';
  error: { kind: 'user' | 'internal' | 'worker'; message: string };
}

/** Host-side facts of one run (not deterministic, never hashed or compared). */
export interface HostRecord {
  key: string;
  hostSeconds: number;
  /**
   * CPU time of the thread that ran the point, over all of it (loading the ELF, the run,
   * formatting the statistics); next to hostSeconds (the run alone, wall clock) it shows a worker
   * that waited for a core. Absent where the OS does not say (common/thread-cpu.ts).
   */
  cpuSeconds?: number;
  mips: number;
  /** Heap and external (ArrayBuffer) bytes of the isolate that ran the point, the most seen so far. */
  peakHeapBytes: number;
  finishedAt: string;
}

/** One point as the pool hands it to a worker. */
export interface PointTask {
  index: number;
  key: string;
  version: string;
  workload: WorkloadIdentity & { elf: string };
  repeat: number;
  config: MachineConfig;
}

/** statsText: the point's statistics in gem5 stats.txt form (with units and descriptions), stored beside its record. */
export type PointOutcome = { kind: 'result'; record: PointRecord; host: HostRecord; statsText?: string } | { kind: 'error'; record: ErrorRecord; host?: HostRecord };

/** JSON with every object's keys sorted: one text per value, whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** The content hash a point is stored under: SHA-256 of the canonical JSON of its identity and the record format. */
export function pointKey(id: PointIdentity): string {
  const identity = { format: POINT_FORMAT, version: id.version, workload: { name: id.workload.name, sha256: id.workload.sha256 }, repeat: id.repeat, config: id.config };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}

export function statusOf(result: Pick<RunResult, 'reason' | 'exitCode'>): PointStatus {
  if (result.reason === 'limit') return 'limit';
  if (result.reason === 'deadlock') return 'deadlock';
  return result.exitCode === 0 ? 'ok' : 'guest-failure';
}

export function identityOf(task: PointTask): PointIdentity {
  return { version: task.version, workload: { name: task.workload.name, sha256: task.workload.sha256 }, repeat: task.repeat, config: task.config };
}

/** The stored record of a finished run. */
export function recordFromSummary(task: PointTask, summary: RunSummary): PointRecord {
  const { hostSeconds: _host, ...result } = summary.result;
  const stats: Record<string, number> = {};
  for (const line of summary.stats) stats[line.name] = line.value;
  return { format: POINT_FORMAT, key: task.key, ...identityOf(task), status: statusOf(result), result, stats, fences: summary.fences };
}

export function errorRecord(task: PointTask, kind: ErrorRecord['error']['kind'], message: string): ErrorRecord {
  return { format: POINT_FORMAT, key: task.key, ...identityOf(task), status: 'error', error: { kind, message } };
}

/** The text a record is stored as: canonical, indented for diffs, one trailing newline. */
export function formatRecord(record: PointRecord | ErrorRecord | HostRecord): string {
  return JSON.stringify(sortKeys(record), null, 2) + '\n';
}
