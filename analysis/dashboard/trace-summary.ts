import type { FenceTraceRecord, SampleRecord, TraceHeader, TraceRecord } from '../trace/format.js';
import { TimelineEvents } from '../trace/timeline-events.js';
import type { DashboardFence, DashboardTrace } from './dashboard-data.js';

/**
 * A trace reduced to what the timeline and fence views draw, at a size a web page can hold
 * whatever the length of the run: consecutive interval samples merged (sums, so a merged IPC is
 * still instructions over cycles), modes as runs of the dominant mode per merged interval, and
 * fence / world-switch events thinned evenly when there are more than the limit.
 */

export interface TraceLimits {
  /** Merged intervals kept (also the resolution of the residency bands). */
  maxSamples: number;
  /** Markers kept per kind (fence, world). */
  maxMarkers: number;
  /** Fence costs kept for the cost histogram. */
  maxFences: number;
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = { maxSamples: 1000, maxMarkers: 2000, maxFences: 5000 };

export interface TraceInput {
  name: string;
  header: TraceHeader;
  records: readonly TraceRecord[];
  complete: boolean;
  damage: string | null;
}

export function summariseTrace(input: TraceInput, limits: TraceLimits = DEFAULT_TRACE_LIMITS): DashboardTrace {
  const { header, records } = input;
  const samples: SampleRecord[] = [];
  const fenceRecords: FenceTraceRecord[] = [];
  const worlds: { t: number; label: string }[] = [];
  const modeSlices: { start: number; end: number; mode: number }[] = [];
  const timeline = new TimelineEvents(header, {
    sample: (r) => samples.push(r),
    fence: (r) => fenceRecords.push(r),
    world: (r) => worlds.push({ t: r.cycle, label: r.virt ? 'enter guest (V=1)' : 'leave guest (V=0)' }),
    end: (s, end) => {
      if (s.track === 'mode') modeSlices.push({ start: s.start, end, mode: s.value });
    },
  });
  for (const r of records) timeline.record(r);
  timeline.finish();
  const endCycle = timeline.lastCycle;
  const merged = mergeSamples(samples, header, limits.maxSamples);
  const residency = samples.length > 0 ? residencyFromSamples(samples, limits.maxSamples) : residencyFromModeSlices(modeSlices, endCycle, header.modes.length, limits.maxSamples);
  const fences = fenceRecords.map(fenceCost);
  const markers = [
    ...thin(fenceRecords, limits.maxMarkers).map((f) => ({ t: f.cycle, kind: 'fence' as const, label: f.kind })),
    ...thin(worlds, limits.maxMarkers).map((w) => ({ t: w.t, kind: 'world' as const, label: w.label })),
  ].sort((a, b) => a.t - b.t);
  return {
    name: input.name,
    workload: header.workload.name,
    complete: input.complete,
    damage: input.damage,
    endCycle,
    modes: [...header.modes],
    samples: merged,
    residency,
    markers,
    markerTotals: { fence: fenceRecords.length, world: worlds.length },
    fences: thin(fences, limits.maxFences),
  };
}

/**
 * A fence reduced to its cost, from a trace's FenceTraceRecord or a point's FenceJson (same field
 * names): stale and collateral (dropped but not stale) summed over the TLB structures.
 */
export function fenceCost(f: Pick<FenceTraceRecord, 'kind' | 'cycle' | 'cycles' | 'dropped' | 'stale' | 'shadowCycles'>): DashboardFence {
  const dropped = f.dropped.reduce((a, b) => a + b, 0);
  const stale = f.stale.reduce((a, b) => a + b, 0);
  return { kind: f.kind, cycle: f.cycle, cycles: f.cycles, stale, collateral: dropped - stale, shadowCycles: f.shadowCycles };
}

/** Every k-th item, k chosen so that at most `max` remain (the first is always kept). */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const stride = Math.ceil(items.length / max);
  return items.filter((_, i) => i % stride === 0);
}

function groupSize(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, max)));
}

function mergeSamples(samples: readonly SampleRecord[], header: TraceHeader, max: number): DashboardTrace['samples'] {
  const k = groupSize(samples.length, max);
  const end: number[] = [];
  const cycles: number[] = [];
  const insns: number[] = [];
  const deltas = header.counters.map(() => [] as number[]);
  for (let g = 0; g < samples.length; g += k) {
    const group = samples.slice(g, g + k);
    end.push(group[group.length - 1]!.cycle);
    cycles.push(group.reduce((a, s) => a + s.cycles, 0));
    insns.push(group.reduce((a, s) => a + s.insns, 0));
    deltas.forEach((column, c) => column.push(group.reduce((a, s) => a + (s.deltas[c] ?? 0), 0)));
  }
  const counters = header.counters
    .map((c, i) => ({ name: c.name, unit: c.unit, deltas: deltas[i]! }))
    .filter((c) => c.deltas.some((d) => d !== 0));
  return { end, cycles, insns, counters };
}

type Residency = DashboardTrace['residency'];

/** Runs of equal dominant mode over merged samples (each sample covers (previous end, end]). */
function residencyFromSamples(samples: readonly SampleRecord[], max: number): Residency {
  const k = groupSize(samples.length, max);
  const spans: { start: number; end: number; modeCycles: number[] }[] = [];
  for (let g = 0; g < samples.length; g += k) {
    const group = samples.slice(g, g + k);
    const first = group[0]!;
    const modeCycles: number[] = [];
    for (const s of group) s.modeCycles.forEach((c, m) => (modeCycles[m] = (modeCycles[m] ?? 0) + c));
    spans.push({ start: first.cycle - first.cycles, end: group[group.length - 1]!.cycle, modeCycles });
  }
  return runsOfDominantMode(spans);
}

/**
 * Without samples, the mode follows the traps and returns (trace/timeline-events.ts). Time
 * [0, endCycle] is cut into at most `max` equal buckets and each bucket gets the mode it spent
 * the most cycles in.
 */
function residencyFromModeSlices(slices: readonly { start: number; end: number; mode: number }[], endCycle: number, modes: number, max: number): Residency {
  if (slices.length === 0 || endCycle <= 0) return [];
  const buckets = Math.min(max, Math.max(1, Math.ceil(endCycle)));
  const width = endCycle / buckets;
  const modeCycles = Array.from({ length: buckets }, () => new Array<number>(modes).fill(0));
  const add = (start: number, end: number, mode: number): void => {
    for (let b = Math.floor(start / width); b < buckets && b * width < end; b++) {
      const overlap = Math.min(end, (b + 1) * width) - Math.max(start, b * width);
      if (overlap > 0) modeCycles[b]![mode] = (modeCycles[b]![mode] ?? 0) + overlap;
    }
  };
  for (const s of slices) add(s.start, s.end, s.mode);
  return runsOfDominantMode(modeCycles.map((mc, b) => ({ start: b * width, end: (b + 1) * width, modeCycles: mc })));
}

function runsOfDominantMode(spans: readonly { start: number; end: number; modeCycles: readonly number[] }[]): Residency {
  const runs: Residency = [];
  for (const s of spans) {
    let mode = -1;
    let most = 0;
    s.modeCycles.forEach((c, m) => {
      if (c > most) [mode, most] = [m, c];
    });
    if (mode < 0) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.mode === mode && last.end === s.start) last.end = s.end;
    else runs.push({ start: s.start, end: s.end, mode });
  }
  return runs;
}
