import { parseMetric } from '../../sweep/report.js';
import type { DashboardData, DashboardFence, DashboardTrace } from '../dashboard-data.js';

/**
 * The embedded DashboardData as the views use it: statistics as records again, axis values with
 * display labels, each point classified native or virtualized, and metric expressions evaluated.
 * Pure functions of the data (no DOM), shared by every view and tested in Node.
 */

export interface Axis {
  path: string;
  values: unknown[];
  /** Display label of each value (same order). */
  labels: string[];
  /** Every value is a number: the axis can be a line chart's x. */
  numeric: boolean;
}

export interface Point {
  index: number;
  key: string;
  workload: string;
  status: string;
  /** Axis path -> value label. */
  coords: Record<string, string>;
  stats: Readonly<Record<string, number>>;
  /** The run spent cycles with V=1 (in VS- or VU-mode). */
  virtualized: boolean;
  fences: DashboardFence[];
  fenceTotal: number;
}

export interface Model {
  title: string;
  version: string;
  axes: Axis[];
  points: Point[];
  statNames: string[];
  traces: DashboardTrace[];
  /** Axes whose value alone decides whether a point is virtualized (e.g. run.params.mode). */
  virtualizationAxes: string[];
}

/** V=1 modes in the per-mode cycle statistics (pipeline/timing/pipeline.ts MODE_NAMES). */
const VIRTUAL_MODE_CYCLES = ['timing.mode.VS.cycles', 'timing.mode.VU.cycles'];

export function buildModel(data: DashboardData): Model {
  const axes = data.axes.map((a): Axis => ({ path: a.path, values: a.values, labels: a.values.map(valueLabel), numeric: a.values.every((v) => typeof v === 'number') }));
  const points = data.points.map((p): Point => {
    const stats: Record<string, number> = {};
    p.values.forEach((v, i) => {
      if (v !== null) stats[data.statNames[i]!] = v;
    });
    const coords: Record<string, string> = {};
    for (const a of axes) coords[a.path] = valueLabel(p.coordinates[a.path]);
    return {
      index: p.index,
      key: p.key,
      workload: p.workload,
      status: p.status,
      coords,
      stats,
      virtualized: VIRTUAL_MODE_CYCLES.some((n) => (stats[n] ?? 0) > 0),
      fences: p.fences,
      fenceTotal: p.fenceTotal,
    };
  });
  return { title: data.title, version: data.version, axes, points, statNames: data.statNames, traces: data.traces, virtualizationAxes: virtualizationAxes(axes, points) };
}

/** A coordinate value as text: strings bare, other values as compact JSON with unquoted keys. */
export function valueLabel(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '-';
  return (JSON.stringify(v) ?? String(v)).replace(/"([A-Za-z_$][\w$]*)":/g, '$1:');
}

function virtualizationAxes(axes: readonly Axis[], points: readonly Point[]): string[] {
  return axes
    .filter((a) => {
      const flagOf = new Map<string, boolean>();
      for (const p of points) {
        const label = p.coords[a.path]!;
        const seen = flagOf.get(label);
        if (seen !== undefined && seen !== p.virtualized) return false;
        flagOf.set(label, p.virtualized);
      }
      return new Set(flagOf.values()).size === 2;
    })
    .map((a) => a.path);
}

// ---- metrics ----------------------------------------------------------------------------------

/** A metric: `[k*]a[/b]`, a statistic or a ratio of two (sweep report syntax) times an optional factor. */
export interface Metric {
  expr: string;
  label: string;
  value(stats: Readonly<Record<string, number>>): number | undefined;
}

/** The metrics offered first, where the points have their statistics. */
export const METRIC_PRESETS: readonly { expr: string; label: string }[] = [
  { expr: 'timing.cycles/timing.instructions', label: 'CPI' },
  { expr: 'timing.cpi.itlb/timing.instructions', label: 'CPI: I-TLB' },
  { expr: 'timing.cpi.dtlb/timing.instructions', label: 'CPI: D-TLB' },
  { expr: '1000*mmu.walker.walks/timing.instructions', label: 'walks per kilo-instruction' },
  { expr: 'mmu.walker.refs/mmu.walker.walks', label: 'PTE references per walk' },
  { expr: 'mmu.walker.cycles/mmu.walker.walks', label: 'cycles per walk' },
  { expr: 'mmu.dtlb.misses/mmu.dtlb.accesses', label: 'D-TLB miss rate' },
  { expr: '1000*mmu.dtlb.misses/timing.instructions', label: 'D-TLB misses per kilo-instruction' },
];

/** Parses a metric expression against the known statistics; throws (a UserError) naming the fault. */
export function parseDashboardMetric(expr: string, known: ReadonlySet<string>): Metric {
  const scaled = /^\s*(\d+(?:\.\d+)?)\s*\*\s*(.+)$/.exec(expr);
  const factor = scaled === null ? 1 : Number(scaled[1]);
  const inner = parseMetric(scaled === null ? expr.trim() : scaled[2]!.trim(), known);
  const preset = METRIC_PRESETS.find((p) => p.expr === expr);
  return {
    expr,
    label: preset?.label ?? expr,
    value: (s) => {
      const v = inner.value(s);
      return v === undefined ? undefined : v * factor;
    },
  };
}

/** Presets whose statistics the points have, then every statistic. */
export function metricChoices(model: Model): { expr: string; label: string }[] {
  const known = new Set(model.statNames);
  const presets = METRIC_PRESETS.filter((p) => p.expr.replace(/^\d+(\.\d+)?\*/, '').split('/').every((n) => known.has(n)));
  return [...presets, ...model.statNames.map((n) => ({ expr: n, label: n }))];
}

export function defaultMetric(model: Model): string {
  return metricChoices(model)[0]?.expr ?? '';
}

export function mean(values: readonly (number | undefined)[]): number | null {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
}

// ---- selecting points -------------------------------------------------------------------------

/** Axis path -> the value label points must have; an axis not named is not restricted. */
export type Filters = Readonly<Record<string, string>>;

export function filterPoints(model: Model, filters: Filters): Point[] {
  const active = Object.entries(filters).filter(([path]) => model.axes.some((a) => a.path === path));
  return model.points.filter((p) => active.every(([path, label]) => p.coords[path] === label));
}

/** The labels of `axis` that occur among `points`, in axis order. */
export function presentLabels(axis: Axis, points: readonly Point[]): string[] {
  const present = new Set(points.map((p) => p.coords[axis.path]));
  return axis.labels.filter((l) => present.has(l));
}

/** Axes on which `points` differ: what a label must show to tell them apart. */
export function distinguishingAxes(model: Model, points: readonly Point[]): Axis[] {
  return model.axes.filter((a) => new Set(points.map((p) => p.coords[a.path])).size > 1);
}

/** Separates the values in a point's label. */
export const LABEL_SEPARATOR = ' · ';

/** A point's configuration among others: its values on `axes` except those deciding virtualization, or 'all'. */
export function configLabel(model: Model, p: Point, axes: readonly Axis[]): string {
  const kept = axes.filter((a) => !model.virtualizationAxes.includes(a.path));
  return kept.length === 0 ? 'all' : kept.map((a) => p.coords[a.path]).join(LABEL_SEPARATOR);
}

/**
 * Short category labels for `points` on a chart: their values on the axes where they differ, with
 * "native" / "virt" in place of the axes that decide virtualization; and the axis title that says
 * what the values are (the axis paths).
 */
export function pointLabels(model: Model, points: readonly Point[]): { labels: string[]; title: string } {
  const axes = distinguishingAxes(model, points).filter((a) => !model.virtualizationAxes.includes(a.path));
  const mixed = points.some((p) => p.virtualized) && points.some((p) => !p.virtualized);
  const labels = points.map((p) => {
    const parts = [...axes.map((a) => p.coords[a.path]!), ...(mixed ? [p.virtualized ? 'virt' : 'native'] : [])];
    return parts.length === 0 ? `#${p.index}` : parts.join(LABEL_SEPARATOR);
  });
  const title = [...axes.map((a) => a.path), ...(mixed ? ['native/virt'] : [])].join(LABEL_SEPARATOR);
  return { labels, title };
}

export function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
