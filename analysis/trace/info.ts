/**
 * `rvhsim trace info`: what a trace holds, in one screen. The numbers are accumulated record by
 * record (TraceInfoCollector) so that a trace of any size is summarised in one streaming pass.
 */
import { trapName } from '../../common/causes.js';
import type { TraceHeader, TraceRecord } from './format.js';
import type { TraceDamage, TraceReadResult } from './reader.js';

/** Trap causes are named as the spec's cause tables name them (common/causes.ts). */
export { trapName };

/** A mode index as the header names it. */
export function modeName(header: TraceHeader, mode: number): string {
  return header.modes[mode] ?? `mode ${mode}`;
}

export interface FenceKindInfo {
  count: number;
  /** TLB cycles of the fences themselves, and the shadow walks charged to them. */
  cycles: number;
  shadowWalks: number;
  shadowCycles: number;
}

/** Everything `trace info` reports, as data (also the `--json` output). */
export interface TraceInfo {
  workload: TraceHeader['workload'];
  simulator: TraceHeader['simulator'];
  version: number;
  intervalCycles: number;
  counters: string[];
  window: TraceHeader['window'];
  records: Record<TraceRecord['t'], number>;
  /** Earliest and latest cycle of any record (null for a trace without records). */
  firstCycle: number | null;
  lastCycle: number | null;
  /** Retired instructions: the end record's count, else the largest count a record carries. */
  instructions: number;
  /** instructions / lastCycle: the run starts at cycle 0. */
  ipc: number | null;
  /** Cycles per mode summed over the samples, and as percentages of their total. */
  modeCycles: Record<string, number>;
  modePercent: Record<string, number>;
  traps: { cause: number; interrupt: boolean; name: string; count: number }[];
  worldSwitches: { enter: number; leave: number };
  fences: Record<string, FenceKindInfo>;
  flushes: Record<string, { count: number; entries: number }>;
  end: { reason: string; exitCode: number } | null;
  complete: boolean;
  damage: TraceDamage | null;
}

const RECORD_TYPES: readonly TraceRecord['t'][] = ['sample', 'trap', 'return', 'world', 'fence', 'flush', 'insn', 'end'];

/** Accumulates the summary of a trace one record at a time. */
export class TraceInfoCollector {
  private readonly records = Object.fromEntries(RECORD_TYPES.map((t) => [t, 0])) as Record<TraceRecord['t'], number>;
  private firstCycle: number | null = null;
  private lastCycle: number | null = null;
  private maxInstret = 0;
  private readonly modeCycles: number[];
  private readonly traps = new Map<string, { cause: number; interrupt: boolean; count: number }>();
  private readonly world = { enter: 0, leave: 0 };
  private readonly fences = new Map<string, FenceKindInfo>();
  private readonly flushes = new Map<string, { count: number; entries: number }>();
  private endRecord: { cycle: number; instret: number; reason: string; exitCode: number } | null = null;

  constructor(private readonly header: TraceHeader) {
    this.modeCycles = header.modes.map(() => 0);
  }

  record(r: TraceRecord): void {
    this.records[r.t]++;
    if (r.t === 'insn') {
      this.seeCycle(r.stages[0]);
      this.seeCycle(r.stages[4]);
      this.maxInstret = Math.max(this.maxInstret, r.seq + 1);
      return;
    }
    this.seeCycle(r.cycle);
    if ('instret' in r) this.maxInstret = Math.max(this.maxInstret, r.instret);
    switch (r.t) {
      case 'sample':
        r.modeCycles.forEach((c, m) => (this.modeCycles[m] = (this.modeCycles[m] ?? 0) + c));
        break;
      case 'trap': {
        const key = `${r.interrupt ? 'i' : 'e'}${r.cause}`;
        const entry = this.traps.get(key);
        if (entry === undefined) this.traps.set(key, { cause: r.cause, interrupt: r.interrupt, count: 1 });
        else entry.count++;
        break;
      }
      case 'world':
        if (r.virt) this.world.enter++;
        else this.world.leave++;
        break;
      case 'fence': {
        const f = this.fences.get(r.kind) ?? { count: 0, cycles: 0, shadowWalks: 0, shadowCycles: 0 };
        f.count++;
        f.cycles += r.cycles;
        f.shadowWalks += r.shadowWalks;
        f.shadowCycles += r.shadowCycles;
        this.fences.set(r.kind, f);
        break;
      }
      case 'flush': {
        const f = this.flushes.get(r.structure) ?? { count: 0, entries: 0 };
        f.count++;
        f.entries += r.entries;
        this.flushes.set(r.structure, f);
        break;
      }
      case 'end':
        this.endRecord = { cycle: r.cycle, instret: r.instret, reason: r.reason, exitCode: r.exitCode };
        break;
      case 'return':
        break;
    }
  }

  result(complete: boolean, damage: TraceDamage | null): TraceInfo {
    const h = this.header;
    const instructions = this.endRecord?.instret ?? this.maxInstret;
    const cycles = this.endRecord?.cycle ?? this.lastCycle;
    const modeTotal = this.modeCycles.reduce((a, b) => a + b, 0);
    const modeCycles: Record<string, number> = {};
    const modePercent: Record<string, number> = {};
    this.modeCycles.forEach((c, m) => {
      modeCycles[modeName(h, m)] = c;
      modePercent[modeName(h, m)] = modeTotal === 0 ? 0 : (100 * c) / modeTotal;
    });
    return {
      workload: h.workload,
      simulator: h.simulator,
      version: h.version,
      intervalCycles: h.intervalCycles,
      counters: h.counters.map((c) => c.name),
      window: h.window,
      records: { ...this.records },
      firstCycle: this.firstCycle,
      lastCycle: this.lastCycle,
      instructions,
      ipc: cycles === null || cycles === 0 ? null : instructions / cycles,
      modeCycles,
      modePercent,
      traps: [...this.traps.values()]
        .map((t) => ({ ...t, name: trapName(t.cause, t.interrupt) }))
        .sort((a, b) => b.count - a.count || Number(a.interrupt) - Number(b.interrupt) || a.cause - b.cause),
      worldSwitches: { ...this.world },
      fences: Object.fromEntries([...this.fences].sort(([a], [b]) => (a < b ? -1 : 1))),
      flushes: Object.fromEntries([...this.flushes].sort(([a], [b]) => (a < b ? -1 : 1))),
      end: this.endRecord === null ? null : { reason: this.endRecord.reason, exitCode: this.endRecord.exitCode },
      complete,
      damage,
    };
  }

  private seeCycle(c: number): void {
    if (this.firstCycle === null || c < this.firstCycle) this.firstCycle = c;
    if (this.lastCycle === null || c > this.lastCycle) this.lastCycle = c;
  }
}

/** What the trace reader returns (readTrace), with the records in any iterable. */
export type TraceContents = Omit<TraceReadResult, 'records'> & { records: Iterable<TraceRecord> };

/** The summary of a whole trace already in memory. */
export function collectTraceInfo(result: TraceContents): TraceInfo {
  const collector = new TraceInfoCollector(result.header);
  for (const r of result.records) collector.record(r);
  return collector.result(result.complete, result.damage);
}

/** The `trace info` text of a trace already in memory. */
export function traceInfo(result: TraceContents): string {
  return formatTraceInfo(collectTraceInfo(result));
}

export function formatTraceInfo(info: TraceInfo): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => void lines.push(`${label.padEnd(14)}${value}`);
  row('workload', `${info.workload.name} (${info.workload.path}, sha256 ${info.workload.sha256.slice(0, 12)})`);
  row('simulator', `${info.simulator.name} ${info.simulator.version}, trace format version ${info.version}`);
  row('interval', info.intervalCycles === 0 ? 'no samples' : `${count(info.intervalCycles)} cycles`);
  row('counters', formatCounters(info.counters));
  row('window', info.window === null ? 'none' : `instructions ${count(info.window.startInsn)}..${count(info.window.endInsn)} (${count(info.window.endInsn - info.window.startInsn)})`);
  const total = Object.values(info.records).reduce((a, b) => a + b, 0);
  const present = Object.entries(info.records).filter(([, n]) => n > 0);
  row('records', `${count(total)}${present.length === 0 ? '' : `: ${present.map(([t, n]) => `${t} ${count(n)}`).join(', ')}`}`);
  row('cycles', info.firstCycle === null || info.lastCycle === null ? 'none' : `${count(info.firstCycle)}..${count(info.lastCycle)}`);
  row('instructions', count(info.instructions));
  row('IPC', info.ipc === null ? 'n/a' : info.ipc.toFixed(3));
  const modes = Object.entries(info.modePercent).filter(([m]) => (info.modeCycles[m] ?? 0) > 0);
  row('mode cycles', modes.length === 0 ? 'no samples' : modes.map(([m, p]) => `${m} ${p.toFixed(1)}%`).join(', '));
  row('traps', info.traps.length === 0 ? 'none' : `${count(info.traps.reduce((a, t) => a + t.count, 0))}`);
  for (const t of info.traps) lines.push(`  ${count(t.count).padStart(10)}  ${t.interrupt ? 'interrupt' : 'exception'} ${t.cause}: ${t.name}`);
  row('world', `${count(info.worldSwitches.enter)} guest entries, ${count(info.worldSwitches.leave)} guest exits`);
  const fenceKinds = Object.entries(info.fences);
  row('fences', fenceKinds.length === 0 ? 'none' : `${count(fenceKinds.reduce((a, [, f]) => a + f.count, 0))}`);
  for (const [kind, f] of fenceKinds) {
    lines.push(`  ${count(f.count).padStart(10)}  ${kind}: ${count(f.cycles)} cycles, ${count(f.shadowWalks)} shadow walks (${count(f.shadowCycles)} cycles)`);
  }
  const flushes = Object.entries(info.flushes);
  row('TLB flushes', flushes.length === 0 ? 'none' : flushes.map(([s, f]) => `${s} ${count(f.count)} (${count(f.entries)} entries)`).join(', '));
  if (info.damage !== null) row('state', `INCOMPLETE at byte ${info.damage.offset}: ${info.damage.reason}; the summary covers the records before it`);
  else if (!info.complete) row('state', 'INCOMPLETE: the trace ends without its end record; the summary covers the records there are');
  else row('state', `complete (${info.end === null ? 'end record' : `${info.end.reason}, exit code ${info.end.exitCode}`})`);
  return lines.join('\n') + '\n';
}

/** A few counters by name; many by their first name component, which says which model counts them. */
function formatCounters(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  if (names.length <= LISTED_COUNTERS) return `${names.length}: ${names.join(', ')}`;
  const groups = new Map<string, number>();
  for (const n of names) groups.set(n.split('.')[0]!, (groups.get(n.split('.')[0]!) ?? 0) + 1);
  return `${names.length}: ${[...groups].map(([g, k]) => `${g}.* ${k}`).join(', ')} (--json lists them)`;
}

const LISTED_COUNTERS = 8;

/** Integers with thousands separators, as the run summary prints them. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
