import { format, line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { continuousTicks, drawXAxis, drawYAxis, valueAxis, valueLabel, xAxisHeight, type Tick } from './axis.js';
import { beginChart, clickable, drawEmpty, isValue, plotArea, r2, seriesColour, seriesDash, type ChartOptions } from './frame.js';
import { seriesItems, topLegend } from './legend.js';

/**
 * Lines over a numeric x axis, one per series (a TLB organisation across TLB sizes, a fence rate
 * sweep): `path.line` per series with points, `circle.point` per point, a legend above when there
 * are several series. A logarithmic x axis (base 2 when every x is a power of two) ticks at the
 * data's x values unless `xTicks` says otherwise.
 */

export interface LinePoint {
  x: number;
  y: number;
  /** Shown in the point's tooltip (e.g. the configuration it came from). */
  label?: string;
}

export interface LineChartData {
  series: { name: string; points: LinePoint[] }[];
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  xTicks?: { value: number; label: string }[];
  /** Start the y axis at zero (default true); false fits it to the data. */
  yZero?: boolean;
}

export interface LineChartOptions extends ChartOptions {
  onSelect?: (series: number, point: number) => void;
}

const INSET = 6;
const fmtTip = format('.4~g');

export function lineChart(svg: SVGSVGElement, data: LineChartData, opts: LineChartOptions): void {
  const { size, theme } = opts;
  const root = beginChart(svg, 'line-chart', opts);
  const usable = (p: LinePoint): boolean => isValue(p.x) && isValue(p.y) && (data.logX !== true || p.x > 0);
  const all = data.series.flatMap((s) => s.points.filter(usable));
  if (all.length === 0) {
    drawEmpty(root, opts);
    return;
  }

  const legend = topLegend(
    seriesItems(
      data.series.map((s) => s.name),
      'line',
      theme,
    ),
    opts,
  );
  const top = legend.top;

  const ys = all.map((p) => p.y);
  const yLo = data.yZero === false ? Math.min(...ys) : Math.min(0, ...ys);
  const yHi = Math.max(...ys);
  const { y, count: yCount, left } = valueAxis(yLo === yHi ? [yLo - 1, yHi + 1] : [yLo, yHi], size.height - top, theme, data.yTitle);

  const xs = all.map((p) => p.x);
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const x: ScaleContinuousNumeric<number, number> =
    data.logX === true
      ? scaleLog()
          .base(xs.every(isPowerOfTwo) ? 2 : 10)
          .domain(xLo === xHi ? [xLo / 2, xHi * 2] : [xLo, xHi])
      : scaleLinear().domain(xLo === xHi ? [xLo - 1, xHi + 1] : [xLo, xHi]);
  const right = 4 + Math.max(INSET, lastLabelOverhang(data, xHi, theme.fontSize * theme.charWidth));
  const plotWidth = Math.max(1, size.width - left - right);
  x.range([left + INSET, left + plotWidth - INSET]);
  const xTicks = xTickList(data, x, xs, Math.max(2, Math.floor(plotWidth / (theme.fontSize * 6))));
  const bottom = 2 + xAxisHeight(xTicks, theme, data.xTitle, plotWidth / Math.max(1, xTicks.length));
  const area = plotArea(size, { top, right, bottom, left });
  y.range([area.y1, area.y0]);
  const yTicks = continuousTicks(y, yCount);

  const g = root.append('g').attr('class', 'plot');
  drawYAxis(g, area, yTicks, data.yTitle, theme, { grid: true });
  drawXAxis(g, area, xTicks, data.xTitle, theme, { slot: plotWidth / Math.max(1, xTicks.length), width: size.width });

  const path = line<LinePoint>()
    .x((p) => x(p.x))
    .y((p) => y(p.y))
    .digits(2);
  const marks = g.append('g').attr('class', 'marks');
  data.series.forEach((s, si) => {
    const points = s.points.map((p, pi) => ({ p, pi })).filter(({ p }) => usable(p));
    if (points.length === 0) return;
    const colour = seriesColour(theme, si);
    const sorted = [...points].sort((a, b) => a.p.x - b.p.x);
    const ln = marks
      .append('path')
      .attr('class', 'line')
      .attr('d', path(sorted.map(({ p }) => p)))
      .attr('fill', 'none')
      .attr('stroke', colour)
      .attr('stroke-width', theme.lineWidth);
    const dash = seriesDash(theme, si);
    if (dash !== '') ln.attr('stroke-dasharray', dash);
    for (const { p, pi } of points) {
      const c = marks.append('circle').attr('class', 'point').attr('cx', r2(x(p.x))).attr('cy', r2(y(p.y))).attr('r', theme.pointRadius).attr('fill', colour);
      c.append('title').text(`${s.name}${p.label === undefined ? '' : ` (${p.label})`}: x = ${fmtTip(p.x)}, y = ${fmtTip(p.y)}`);
      clickable(c, opts.onSelect, si, pi);
    }
  });
  legend.draw(g);
}

function isPowerOfTwo(v: number): boolean {
  return v > 0 && Number.isInteger(Math.log2(v));
}

function xTickList(data: LineChartData, x: ScaleContinuousNumeric<number, number>, xs: readonly number[], count: number): Tick[] {
  const [d0, d1] = x.domain() as [number, number];
  const inside = (v: number): boolean => v >= Math.min(d0, d1) && v <= Math.max(d0, d1);
  if (data.xTicks !== undefined) return data.xTicks.filter((t) => inside(t.value)).map((t) => ({ pos: x(t.value), label: t.label }));
  if (data.logX === true) {
    const distinct = [...new Set(xs)].sort((a, b) => a - b);
    const values = distinct.length <= 12 ? distinct : x.ticks(count).filter(inside);
    return values.map((v) => ({ pos: x(v), label: valueLabel(v) }));
  }
  return continuousTicks(x, count);
}

/** Half the width of the rightmost tick label, which may stick out past the plot. */
function lastLabelOverhang(data: LineChartData, xHi: number, charWidth: number): number {
  const last = data.xTicks?.filter((t) => t.value <= xHi).at(-1)?.label ?? valueLabel(xHi);
  return (last.length * charWidth) / 2;
}
