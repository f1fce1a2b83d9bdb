import type { DashboardTrace } from '../dashboard-data.js';
import type { TimelineData } from '../../charts/index.js';

/**
 * The trace timeline: one sampled quantity over time (IPC, or a counter per kilo-cycle), the mode
 * the hart spent each stretch in as bands (V=1 modes VS/VU apart from M/HS/U), and fences and world
 * switches as markers.
 */

export const IPC = 'IPC';

/** The quantities a trace can plot: IPC, then its counters. */
export function timelineSeriesChoices(trace: DashboardTrace): string[] {
  return trace.samples.end.length === 0 ? [] : [IPC, ...trace.samples.counters.map((c) => c.name)];
}

export function timelineData(trace: DashboardTrace, series: string): TimelineData {
  const s = trace.samples;
  const counter = s.counters.find((c) => c.name === series);
  const chosen = counter === undefined ? IPC : counter.name;
  const v =
    counter === undefined
      ? s.insns.map((insns, i) => (s.cycles[i]! > 0 ? insns / s.cycles[i]! : 0))
      : counter.deltas.map((d, i) => (s.cycles[i]! > 0 ? (1000 * d) / s.cycles[i]! : 0));
  return {
    series: s.end.length === 0 ? [] : [{ name: counter === undefined ? chosen : `${chosen} per kilo-cycle`, t: [...s.end], v }],
    bands: trace.residency.map((r) => ({ start: r.start, end: r.end, label: trace.modes[r.mode] ?? `mode ${r.mode}` })),
    markers: trace.markers.map((m) => ({ t: m.t, kind: MARKER_KIND_NAMES[m.kind], label: m.label })),
    tTitle: 'cycle',
    vTitle: counter === undefined ? IPC : `${chosen} per kilo-cycle`,
  };
}

/** What the legend and tooltips call each marker kind of a DashboardTrace. */
const MARKER_KIND_NAMES: Record<DashboardTrace['markers'][number]['kind'], string> = { fence: 'fence', world: 'world switch' };

/** A saved zoom clipped to the trace's cycles; the whole trace without one, or when none of it is left (a link to another trace). */
export function visibleRange(domain: [number, number], zoom: [number, number] | null): [number, number] {
  if (zoom === null) return domain;
  const lo = Math.max(domain[0], zoom[0]);
  const hi = Math.min(domain[1], zoom[1]);
  return lo < hi ? [lo, hi] : domain;
}

/** Markers inside [lo, hi] (what a zoomed timeline shows). */
export function markersIn(data: TimelineData, lo: number, hi: number): number {
  return data.markers.filter((m) => m.t >= lo && m.t <= hi).length;
}
