import type { GroupedBarsData, HeatmapData, LineChartData } from '../../charts/index.js';
import { filterPoints, mean, presentLabels, type Axis, type Filters, type Metric, type Model, type Point } from './model.js';

/**
 * The sweep overview: one metric over one or two axes. Two axes give a heatmap; one axis gives a
 * line chart when its values are numbers, grouped bars otherwise, with one series per workload.
 * Points that differ only on axes not shown (and not fixed by a filter) are averaged; `members`
 * keeps them for the drill-down.
 */

export interface OverviewRequest {
  metric: Metric;
  x: string;
  /** Second axis for a heatmap, or null. */
  y: string | null;
  filters: Filters;
}

export type OverviewChart =
  | { kind: 'heatmap'; data: HeatmapData; members: Point[][][] }
  | { kind: 'line'; data: LineChartData; members: Point[][][] }
  | { kind: 'bars'; data: GroupedBarsData; members: Point[][][] }
  | { kind: 'none'; reason: string };

/** Series name when the points have one workload. */
const ALL = 'all points';

export function overviewChart(model: Model, req: OverviewRequest): OverviewChart {
  const xAxis = model.axes.find((a) => a.path === req.x);
  if (xAxis === undefined) return { kind: 'none', reason: model.axes.length === 0 ? 'the points do not differ on any axis' : 'pick an x axis' };
  const yAxis = req.y === null || req.y === req.x ? undefined : model.axes.find((a) => a.path === req.y);
  const points = filterPoints(model, without(req.filters, [xAxis.path, yAxis?.path]));
  if (points.length === 0) return { kind: 'none', reason: 'no stored point matches the filters' };
  const xLabels = presentLabels(xAxis, points);
  if (yAxis !== undefined) {
    const yLabels = presentLabels(yAxis, points);
    const members = yLabels.map((yl) => xLabels.map((xl) => points.filter((p) => p.coords[xAxis.path] === xl && p.coords[yAxis.path] === yl)));
    const values = members.map((row) => row.map((cell) => mean(cell.map((p) => req.metric.value(p.stats)))));
    return { kind: 'heatmap', data: { xLabels, yLabels, values, xTitle: xAxis.path, yTitle: yAxis.path, metric: req.metric.label }, members };
  }
  const seriesNames = seriesOf(xAxis, points);
  const inSeries = (p: Point, s: string): boolean => s === ALL || p.workload === s;
  if (xAxis.numeric) {
    const xs = xAxis.values.filter((_, i) => xLabels.includes(xAxis.labels[i]!)) as number[];
    const members = seriesNames.map((s) => xLabels.map((xl) => points.filter((p) => inSeries(p, s) && p.coords[xAxis.path] === xl)));
    const series = seriesNames.map((name, si) => ({
      name,
      points: xs.flatMap((x, xi) => {
        const y = mean(members[si]![xi]!.map((p) => req.metric.value(p.stats)));
        return y === null ? [] : [{ x, y, label: xLabels[xi]! }];
      }),
    }));
    // Keep members aligned with the drawn points (those with a value).
    const drawn = members.map((row) => row.filter((cell) => mean(cell.map((p) => req.metric.value(p.stats))) !== null));
    const positive = xs.every((x) => x > 0);
    // Sweeps space sizes geometrically (8, 16, 32, 64 entries): a log axis spaces them evenly.
    const logX = positive && xs.length > 2 && Math.max(...xs) / Math.min(...xs) >= 8;
    const xTicks = xs.map((value, i) => ({ value, label: xLabels[i]! }));
    return { kind: 'line', data: { series, xTitle: xAxis.path, yTitle: req.metric.label, logX, xTicks }, members: drawn };
  }
  const members = xLabels.map((xl) => seriesNames.map((s) => points.filter((p) => inSeries(p, s) && p.coords[xAxis.path] === xl)));
  const values = members.map((row) => row.map((cell) => mean(cell.map((p) => req.metric.value(p.stats)))));
  return { kind: 'bars', data: { groups: xLabels, series: seriesNames, values, yTitle: req.metric.label, xTitle: xAxis.path }, members };
}

/** One series per workload when the x axis is not the workload and there are several. */
function seriesOf(xAxis: Axis, points: readonly Point[]): string[] {
  const workloads = [...new Set(points.map((p) => p.workload))];
  return xAxis.path === 'workload' || workloads.length < 2 ? [ALL] : workloads;
}

function without(filters: Filters, paths: readonly (string | undefined)[]): Filters {
  return Object.fromEntries(Object.entries(filters).filter(([path]) => !paths.includes(path)));
}

/** The axes a request averages over: varying among the points, not shown, not filtered. */
export function averagedAxes(model: Model, req: Pick<OverviewRequest, 'x' | 'y' | 'filters'>): string[] {
  const points = filterPoints(model, without(req.filters, [req.x, req.y ?? undefined]));
  // Without a y axis the workloads are series, not averaged.
  return model.axes
    .filter((a) => a.path !== req.x && a.path !== req.y && !(a.path === 'workload' && req.y === null) && req.filters[a.path] === undefined)
    .filter((a) => new Set(points.map((p) => p.coords[a.path])).size > 1)
    .map((a) => a.path);
}
