import { UserError } from '../../common/errors.js';
import type { ChartOptions } from '../charts/frame.js';
import { groupedBars } from '../charts/grouped-bars.js';
import { heatmap } from '../charts/heatmap.js';
import { lineChart } from '../charts/line-chart.js';
import { stackedBars } from '../charts/stacked-bars.js';
import type { FigureTable } from './figure-data.js';
import type { FigureSpec } from './figure-spec.js';

/**
 * A figure's table turned into the input of its chart function (the same functions the dashboard
 * draws with) and into the rows x columns layout of its LaTeX table.
 */

/** The plotted numbers as a grid: what the LaTeX table prints. */
export interface PivotTable {
  /** Header of the row-label column. */
  corner: string;
  rows: string[];
  columns: string[];
  /** cells[row][column]. */
  cells: (number | null)[][];
}

export interface FigureChart {
  draw(svg: SVGSVGElement, opts: ChartOptions): void;
  pivot: PivotTable;
}

export function figureChart(spec: FigureSpec, table: FigureTable): FigureChart {
  switch (spec.kind) {
    case 'line':
      return lineFigure(spec, table);
    case 'bars':
      return barsFigure(spec, table);
    case 'heatmap':
      return heatmapFigure(spec, table);
    case 'stacked':
      return stackedFigure(spec, table);
  }
}

/**
 * The series a table's cells fall into: each combination of the dimensions after x that some cell
 * has, in the dimensions' order; a series is named by its values' labels ('' without series
 * dimensions).
 */
function seriesOf(table: FigureTable): { names: string[]; index: (cell: { at: number[] }) => number } {
  const combos = new Map<string, number[]>();
  for (const c of table.cells) combos.set(c.at.slice(1).join(','), c.at.slice(1));
  const sorted = [...combos.values()].sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  const position = new Map(sorted.map((combo, i) => [combo.join(','), i]));
  return {
    names: sorted.map((combo) => combo.map((v, i) => table.dims[i + 1]!.values[v]!.label).join(', ')),
    index: (c) => position.get(c.at.slice(1).join(','))!,
  };
}

function metricTitle(spec: { metricLabel?: string | undefined; metric: string }): string {
  return spec.metricLabel ?? spec.metric;
}

function grid(rows: number, columns: number): (number | null)[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => null as number | null));
}

function lineFigure(spec: Extract<FigureSpec, { kind: 'line' }>, table: FigureTable): FigureChart {
  const x = table.dims[0]!;
  const nonNumeric = x.values.filter((v) => v.number === undefined);
  if (nonNumeric.length > 0) {
    throw new UserError(`figure ${spec.output}: a line chart needs numbers on x, but ${spec.x.path} has ${nonNumeric.map((v) => v.key).join(', ')}; use "kind": "bars", or a path into the value (e.g. ${spec.x.path}.0.entries)`);
  }
  const series = seriesOf(table);
  const names = series.names.map((n) => (n === '' ? metricTitle(spec) : n));
  const points = names.map(() => [] as { x: number; y: number; label: string }[]);
  const cells = grid(x.values.length, names.length);
  for (const c of table.cells) {
    const s = series.index(c);
    cells[c.at[0]!]![s] = c.values[0]!;
    if (c.values[0] !== null) points[s]!.push({ x: x.values[c.at[0]!]!.number!, y: c.values[0]!, label: `${x.title} = ${x.values[c.at[0]!]!.label}` });
  }
  const labelled = spec.x.labels !== undefined || spec.x.format === 'bytes';
  const data = {
    series: names.map((name, i) => ({ name, points: points[i]! })),
    xTitle: x.title,
    yTitle: metricTitle(spec),
    logX: spec.logX,
    yZero: spec.yZero,
    ...(labelled ? { xTicks: x.values.map((v) => ({ value: v.number!, label: v.label })) } : {}),
  };
  return {
    draw: (svg, opts) => lineChart(svg, data, opts),
    pivot: { corner: x.title, rows: x.values.map((v) => v.label), columns: names, cells },
  };
}

function barsFigure(spec: Extract<FigureSpec, { kind: 'bars' }>, table: FigureTable): FigureChart {
  const x = table.dims[0]!;
  const series = seriesOf(table);
  const names = series.names.map((n) => (n === '' ? metricTitle(spec) : n));
  const values = grid(x.values.length, names.length);
  for (const c of table.cells) values[c.at[0]!]![series.index(c)] = c.values[0]!;
  const groups = x.values.map((v) => v.label);
  const data = { groups, series: names, values, yTitle: metricTitle(spec), xTitle: x.title };
  return {
    draw: (svg, opts) => groupedBars(svg, data, opts),
    pivot: { corner: x.title, rows: groups, columns: names, cells: values },
  };
}

function heatmapFigure(spec: Extract<FigureSpec, { kind: 'heatmap' }>, table: FigureTable): FigureChart {
  const [x, y] = [table.dims[0]!, table.dims[1]!];
  const values = grid(y.values.length, x.values.length);
  for (const c of table.cells) values[c.at[1]!]![c.at[0]!] = c.values[0]!;
  const data = { xLabels: x.values.map((v) => v.label), yLabels: y.values.map((v) => v.label), values, xTitle: x.title, yTitle: y.title, metric: metricTitle(spec) };
  return {
    draw: (svg, opts) => heatmap(svg, data, opts),
    pivot: { corner: `${y.title} / ${x.title}`, rows: data.yLabels, columns: data.xLabels, cells: values },
  };
}

function stackedFigure(spec: Extract<FigureSpec, { kind: 'stacked' }>, table: FigureTable): FigureChart {
  const bars = table.cells.map((c) =>
    c.at
      .map((v, i) => table.dims[i]!.values[v]!.label)
      .join(', '),
  );
  const layers = table.metrics.map((m) => m.label);
  const values = table.cells.map((c) => c.values.map((v) => v ?? 0));
  const corner = table.dims.map((d) => d.title).join(', ');
  const data = { bars, layers, values, yTitle: spec.metricLabel ?? 'value', xTitle: corner };
  return {
    draw: (svg, opts) => stackedBars(svg, data, opts),
    pivot: { corner, rows: bars, columns: layers, cells: table.cells.map((c) => c.values) },
  };
}
