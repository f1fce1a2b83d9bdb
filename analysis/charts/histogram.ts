import { bin, format, scaleLinear, thresholdSturges } from 'd3';
import { continuousTicks, drawXAxis, drawYAxis, valueAxis, xAxisHeight } from './axis.js';
import { beginChart, clickable, drawEmpty, isValue, plotArea, r2, seriesColour, textWidth, type ChartOptions } from './frame.js';

/**
 * The distribution of a list of values (walk latencies, references per walk): `bins` equal-width
 * bins from the smallest to the largest value (Sturges' rule when not given), `rect.bin` per bin,
 * empty bins included so the bins always tile the range.
 */

export interface HistogramData {
  values: number[];
  bins?: number;
  xTitle: string;
  yTitle?: string;
}

export interface HistogramOptions extends ChartOptions {
  onSelect?: (bin: number) => void;
}

const fmtTip = format('.4~g');

export function histogram(svg: SVGSVGElement, data: HistogramData, opts: HistogramOptions): void {
  const { size, theme } = opts;
  const root = beginChart(svg, 'histogram', opts);
  const values = data.values.filter(isValue);
  if (values.length === 0) {
    drawEmpty(root, opts);
    return;
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const count = lo === hi ? 1 : Math.max(1, Math.floor(data.bins ?? thresholdSturges(values)));
  // Explicit equal-width thresholds: d3's default would round them to "nice" values and change the bin count.
  const thresholds = Array.from({ length: count - 1 }, (_, i) => lo + ((i + 1) * (hi - lo)) / count);
  const bins = bin()
    .domain([lo, hi])
    .thresholds(thresholds)(values);
  const yTitle = data.yTitle ?? 'count';
  const { y, count: yCount, left } = valueAxis([0, Math.max(1, ...bins.map((b) => b.length))], size.height, theme, yTitle);
  const x = scaleLinear()
    .domain(lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi])
    .range([left, Math.max(left + 1, size.width - 8)]);
  const xCount = Math.max(2, Math.floor((size.width - left - 8) / (theme.fontSize * 6)));
  // Room for half of the widest tick label past the right end of the axis.
  const right = 4 + Math.max(4, ...continuousTicks(x, xCount).map((t) => textWidth(t.label, theme) / 2));
  x.range([left, Math.max(left + 1, size.width - right)]);
  const xTicks = continuousTicks(x, xCount);
  const bottom = 2 + xAxisHeight(xTicks, theme, data.xTitle, (size.width - left - right) / Math.max(1, xTicks.length));
  const area = plotArea(size, { top: 4 + theme.fontSize / 2, right, bottom, left });
  y.range([area.y1, area.y0]);

  const g = root.append('g').attr('class', 'plot');
  drawYAxis(g, area, continuousTicks(y, yCount), yTitle, theme, { grid: true });
  drawXAxis(g, area, xTicks, data.xTitle, theme, { slot: (area.x1 - area.x0) / Math.max(1, xTicks.length), width: size.width });
  const marks = g.append('g').attr('class', 'marks');
  bins.forEach((b, i) => {
    const x0 = lo === hi ? x.range()[0]! : x(b.x0!);
    const x1 = lo === hi ? x.range()[1]! : x(b.x1!);
    const rect = marks
      .append('rect')
      .attr('class', 'bin')
      .attr('x', r2(x0 + 0.5))
      .attr('y', r2(y(b.length)))
      .attr('width', r2(Math.max(0, x1 - x0 - 1)))
      .attr('height', r2(y(0) - y(b.length)))
      .attr('fill', seriesColour(theme, 4));
    rect.append('title').text(`[${fmtTip(b.x0!)}, ${fmtTip(b.x1!)}${i === bins.length - 1 ? ']' : ')'}: ${b.length}`);
    clickable(rect, opts.onSelect, i);
  });
}
