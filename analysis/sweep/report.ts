import { UserError } from '../../common/errors.js';
import type { SweepPlan } from './expand.js';
import type { PointRecord } from './record.js';
import type { ResultStore } from './store.js';

/**
 * `rvhsim sweep report`: the stored points of a sweep side by side, one row per point, with the
 * coordinates that vary and chosen metrics. A metric is a statistic's dotted name, or a ratio
 * `a/b` of two (per-instruction CPI components, references per walk, ...); the built-in set
 * answers "what did translation cost here".
 */

/** A column: its header and how to compute it from a point's statistics. */
export interface Metric {
  name: string;
  value(stats: Readonly<Record<string, number>>): number | undefined;
}

/** The default columns: CPI, the translation share of it, and the walker's work. */
export const DEFAULT_METRICS = [
  'timing.cycles/timing.instructions',
  'timing.cpi.itlb/timing.instructions',
  'timing.cpi.dtlb/timing.instructions',
  'mmu.dtlb.misses',
  'mmu.walker.walks',
  'mmu.walker.refs/mmu.walker.walks',
  'mmu.walker.cycles/mmu.walker.walks',
];

/** Parse a metric: a statistic name or `a/b`; names are checked against a record's statistics. */
export function parseMetric(text: string, known: ReadonlySet<string>): Metric {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p.length === 0)) throw new UserError(`--metric ${text}: expected a statistic name or a ratio a/b`);
  for (const p of parts) {
    if (!known.has(p)) throw new UserError(`--metric ${text}: no statistic named ${p} (rvhsim run --stats-txt lists them)`);
  }
  if (parts.length === 1) return { name: text, value: (s) => s[text] };
  const [a, b] = parts as [string, string];
  return { name: text, value: (s) => (s[a] === undefined || s[b] === undefined || s[b] === 0 ? undefined : s[a] / s[b]) };
}

export interface ReportRow {
  index: number;
  workload: string;
  coordinates: string[];
  status: string;
  values: (number | undefined)[];
}

export interface Report {
  /** Headers of the coordinate columns: the axis paths that vary. */
  axes: string[];
  metrics: string[];
  rows: ReportRow[];
  missing: number;
}

/** The report over the points of `plan` found in `store` (points not yet run are counted, not shown). */
export function buildReport(plan: SweepPlan, store: Pick<ResultStore, 'read'>, metricTexts: readonly string[]): Report {
  const records: [number, PointRecord][] = [];
  for (const p of plan.points) {
    const r = store.read(p.key);
    if (r !== undefined) records.push([p.index, r]);
  }
  const known = new Set(records.flatMap(([, r]) => Object.keys(r.stats)));
  const metrics = records.length === 0 ? [] : metricTexts.filter((m) => metricTexts !== DEFAULT_METRICS || m.split('/').every((x) => known.has(x))).map((m) => parseMetric(m, known));
  const axes = [...new Set(plan.points.flatMap((p) => p.coordinates.map((c) => c.path)))];
  const rows = records.map(([index, r]): ReportRow => {
    const p = plan.points[index]!;
    return {
      index,
      workload: p.workload.name,
      coordinates: axes.map((a) => {
        const c = p.coordinates.find((x) => x.path === a);
        return c === undefined ? '' : typeof c.value === 'string' ? c.value : JSON.stringify(c.value);
      }),
      status: r.status,
      values: metrics.map((m) => m.value(r.stats)),
    };
  });
  return { axes, metrics: metrics.map((m) => m.name), rows, missing: plan.points.length - records.length };
}

function cell(v: number | undefined): string {
  if (v === undefined) return '-';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}

/** The report as an aligned text table (or CSV), one row per stored point in plan order. */
export function formatReport(r: Report, csv = false): string {
  const header = ['#', 'workload', ...r.axes, 'status', ...r.metrics];
  const body = r.rows.map((row) => [String(row.index), row.workload, ...row.coordinates, row.status, ...row.values.map(cell)]);
  if (csv) {
    const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return [header, ...body].map((line) => line.map(q).join(',')).join('\n') + '\n';
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (line: string[]) => line.map((c, i) => (i < 2 + r.axes.length + 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [fmt(header), ...body.map(fmt)];
  if (r.missing > 0) lines.push(`(${r.missing} point${r.missing === 1 ? '' : 's'} not stored yet: rvhsim sweep run)`);
  return lines.join('\n') + '\n';
}
