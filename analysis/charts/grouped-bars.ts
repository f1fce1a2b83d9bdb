import { format, scaleBand } from 'd3';
import { barFrame } from './bar-layout.js';
import { beginChart, clickable, drawEmpty, isValue, r2, seriesColour, tableCells, type ChartOptions } from './frame.js';

/**
 * Bars side by side within each group (walk-cache configurations per workload): `rect.bar` per
 * value, a gap for a missing one, optional error whiskers (`line.error`, e.g. the spread over
 * seeds) and a legend of the series.
 */

export interface GroupedBarsData {
  groups: string[];
  series: string[];
  /** values[group][series]; null is a missing bar. */
  values: (number | null)[][];
  yTitle: string;
  xTitle?: string;
  /** Whisker ends per bar, [group][series] like values. */
  errors?: { low: (number | null)[][]; high: (number | null)[][] };
}

export interface GroupedBarsOptions extends ChartOptions {
  onSelect?: (group: number, series: number) => void;
}

const fmtTip = format('.4~g');

export function groupedBars(svg: SVGSVGElement, data: GroupedBarsData, opts: GroupedBarsOptions): void {
  const { theme } = opts;
  const root = beginChart(svg, 'grouped-bars', opts);
  const bars = tableCells(data.groups.length, data.series.length, data.values).flatMap(({ row: gi, col: si, v }) => (v === null ? [] : [{ gi, si, v }]));
  if (bars.length === 0) {
    drawEmpty(root, opts);
    return;
  }
  const whiskers = [...(data.errors?.low.flat() ?? []), ...(data.errors?.high.flat() ?? [])].filter(isValue);
  const all = [...bars.map((b) => b.v), ...whiskers];
  const { g, x, y } = barFrame(root, { categories: data.groups, legend: data.series, extent: [Math.min(...all), Math.max(...all)], xTitle: data.xTitle ?? '', yTitle: data.yTitle }, opts);
  const inner = scaleBand<number>()
    .domain(data.series.map((_, i) => i))
    .range([0, x.bandwidth()])
    .paddingInner(0.05);
  const marks = g.append('g').attr('class', 'marks');
  for (const b of bars) {
    const x0 = x(b.gi)! + inner(b.si)!;
    const [top, bottom] = b.v >= 0 ? [y(b.v), y(0)] : [y(0), y(b.v)];
    const rect = marks
      .append('rect')
      .attr('class', 'bar')
      .attr('x', r2(x0))
      .attr('y', r2(top))
      .attr('width', r2(inner.bandwidth()))
      .attr('height', r2(bottom - top))
      .attr('fill', seriesColour(theme, b.si));
    rect.append('title').text(`${data.groups[b.gi]}, ${data.series[b.si]}: ${fmtTip(b.v)}`);
    clickable(rect, opts.onSelect, b.gi, b.si);
    const low = data.errors?.low[b.gi]?.[b.si];
    const high = data.errors?.high[b.gi]?.[b.si];
    if (isValue(low) && isValue(high)) {
      const cx = x0 + inner.bandwidth() / 2;
      const cap = Math.min(3, inner.bandwidth() / 3);
      const w = marks.append('g').attr('class', 'whisker').attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
      w.append('line').attr('class', 'error').attr('x1', r2(cx)).attr('x2', r2(cx)).attr('y1', r2(y(low))).attr('y2', r2(y(high)));
      for (const v of [low, high]) w.append('line').attr('x1', r2(cx - cap)).attr('x2', r2(cx + cap)).attr('y1', r2(y(v))).attr('y2', r2(y(v)));
    }
  }
}
