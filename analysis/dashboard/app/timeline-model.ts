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
    markers: trace.markers.map((m) => ({ t: m.t, kind: m.kind, label: m.label })),
    tTitle: 'cycle',
    vTitle: counter === undefined ? IPC : `${chosen} per kilo-cycle`,
  };
}

/** Markers inside [lo, hi] (what a zoomed timeline shows). */
export function markersIn(data: TimelineData, lo: number, hi: number): number {
  return data.markers.filter((m) => m.t >= lo && m.t <= hi).length;
}
