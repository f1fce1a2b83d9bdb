import { format, interpolateRgbBasis, scaleBand, scaleLinear, scaleSequential } from 'd3';
import { continuousTicks, drawVerticalTitle, drawXAxis, drawYAxis, fitRotatedBandLabels, shortenLabel, xAxisHeight, yAxisWidth, yLabelRoom, type Tick } from './axis.js';
import { beginChart, clickable, drawEmpty, lineHeight, plotArea, r2, tableCells, textWidth, type ChartOptions, type G, type PlotArea } from './frame.js';
import type { ChartTheme } from './theme.js';

/**
 * A grid of values over two categorical axes (2D-walk references per VS-stage x G-stage page
 * size, CPI per configuration pair): `rect.cell` per cell with a value, `rect.missing` for one
 * without, the value printed in the cell when it fits, and a colour ramp (`rect.ramp` steps)
 * on the right. The first y label is the top row, as in a table.
 */

export interface HeatmapData {
  xLabels: string[];
  yLabels: string[];
  /** values[y][x]; null (or a missing row or entry) is a cell without a value. */
  values: (number | null)[][];
  xTitle: string;
  yTitle: string;
  /** What the values are: the ramp's title. */
  metric: string;
}

export interface HeatmapOptions extends ChartOptions {
  onSelect?: (x: number, y: number) => void;
  /** Print values in the cells (default: when they fit). */
  showValues?: boolean;
}

/** The share of the chart's height rotated column labels may take. */
const MAX_LABEL_DEPTH = 0.4;
const RAMP_STEPS = 24;
const RAMP_TICKS = 4;
const RAMP_WIDTH = 8;
/** Between the cells and the ramp, and between the ramp and its labels. */
const RAMP_GAP = 6;
const RAMP_LABEL_GAP = 5;
const fmtCell = format('.3~g');

export function heatmap(svg: SVGSVGElement, data: HeatmapData, opts: HeatmapOptions): void {
  const { size, theme } = opts;
  const root = beginChart(svg, 'heatmap', opts);
  const table = tableCells(data.yLabels.length, data.xLabels.length, data.values).map(({ row: yi, col: xi, v }) => ({ xi, yi, v }));
  const cells = table.flatMap((c) => (c.v === null ? [] : [{ ...c, v: c.v }]));
  if (data.xLabels.length === 0 || data.yLabels.length === 0) {
    drawEmpty(root, opts);
    return;
  }

  const vs = cells.map((c) => c.v);
  const lo = vs.length === 0 ? 0 : Math.min(...vs);
  const hi = vs.length === 0 ? 1 : Math.max(...vs);
  const colour = scaleSequential(interpolateRgbBasis([...theme.sequential])).domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]);
  const ramp = rampLayout(colour.domain() as [number, number], theme);
  const right = 4 + ramp.width;

  // Row labels too long for half the width left of the ramp are shortened: the cells keep the rest.
  const yLabels = data.yLabels.map((label) => shortenLabel(label, theme, yLabelRoom(theme, data.yTitle, (size.width - right) / 2 - 4)));
  const yAxisLeft = 4 + yAxisWidth(yLabels.map((label) => ({ pos: 0, label })), theme, data.yTitle);
  const x = scaleBand<number>()
    .domain(data.xLabels.map((_, i) => i))
    .range([yAxisLeft, yAxisLeft + Math.max(1, size.width - yAxisLeft - right)])
    .paddingInner(0.04);
  const fitted = fitRotatedBandLabels(x, data.xLabels, theme, MAX_LABEL_DEPTH * size.height);
  const left = fitted.start;
  const xTicks: Tick[] = fitted.labels.map((label, i) => ({ pos: x(i)! + x.bandwidth() / 2, label }));
  const bottom = 2 + xAxisHeight(xTicks, theme, data.xTitle, x.step());
  const top = 6;
  const area = plotArea(size, { top, right, bottom, left });
  const y = scaleBand<number>()
    .domain(data.yLabels.map((_, i) => i))
    .range([area.y0, area.y1])
    .paddingInner(0.04);
  const yTicks: Tick[] = yLabels.map((label, i) => ({ pos: y(i)! + y.bandwidth() / 2, label }));

  const g = root.append('g').attr('class', 'plot');
  drawYAxis(g, area, yTicks, data.yTitle, theme);
  drawXAxis(g, area, xTicks, data.xTitle, theme, { slot: x.step(), width: size.width });

  const marks = g.append('g').attr('class', 'marks');
  for (const { xi, yi, v } of table) {
    if (v !== null) continue;
    marks.append('rect').attr('class', 'missing').attr('x', r2(x(xi)!)).attr('y', r2(y(yi)!)).attr('width', r2(x.bandwidth())).attr('height', r2(y.bandwidth())).attr('fill', theme.missingColor);
  }
  const fits = (label: string): boolean => textWidth(label, theme) + 2 <= x.bandwidth() && theme.fontSize + 1 <= y.bandwidth();
  for (const c of cells) {
    const rect = marks.append('rect').attr('class', 'cell').attr('x', r2(x(c.xi)!)).attr('y', r2(y(c.yi)!)).attr('width', r2(x.bandwidth())).attr('height', r2(y.bandwidth())).attr('fill', colour(c.v));
    const label = fmtCell(c.v);
    rect.append('title').text(`${data.xLabels[c.xi]}, ${data.yLabels[c.yi]}: ${data.metric} = ${label}`);
    clickable(rect, opts.onSelect, c.xi, c.yi);
    if (opts.showValues ?? fits(label)) {
      const [d0, d1] = colour.domain() as [number, number];
      const t = (c.v - d0) / (d1 - d0);
      marks
        .append('text')
        .attr('class', 'cell-label')
        .attr('x', r2(x(c.xi)! + x.bandwidth() / 2))
        .attr('y', r2(y(c.yi)! + y.bandwidth() / 2 + theme.fontSize * 0.35))
        .attr('text-anchor', 'middle')
        .attr('pointer-events', 'none')
        .attr('fill', t < 0.6 ? '#ffffff' : '#000000')
        .text(label);
    }
  }
  drawRamp(g, theme, colour, colour.domain() as [number, number], ramp, area, data.metric);
}

/** Where the colour ramp's parts start, right of the plot's right edge, and the width of all of it (the right margin less the edge). */
interface RampLayout {
  ramp: number;
  labels: number;
  title: number;
  width: number;
}

function rampLayout(domain: [number, number], theme: ChartTheme): RampLayout {
  const widest = Math.max(0, ...continuousTicks(scaleLinear().domain(domain), RAMP_TICKS).map((t) => textWidth(t.label, theme)));
  const labels = RAMP_GAP + RAMP_WIDTH + RAMP_LABEL_GAP;
  // Read bottom to top like the y axis title: rotated -90 degrees the glyphs lie left of the
  // baseline (ascent, 0.8 of the size), and the descent right of it within the line height.
  const title = labels + widest + 2 + theme.titleFontSize * 0.8;
  return { ramp: RAMP_GAP, labels, title, width: labels + widest + 2 + lineHeight(theme.titleFontSize) };
}

/** The colour ramp: RAMP_STEPS stacked rects from low (bottom) to high (top), ticks, the metric as title. */
function drawRamp(parent: G, theme: ChartTheme, colour: (v: number) => string, domain: [number, number], layout: RampLayout, area: PlotArea, metric: string): void {
  const { y0, y1 } = area;
  const x = area.x1 + layout.ramp;
  const g = parent.append('g').attr('class', 'colour-ramp');
  const scale = scaleLinear().domain(domain).range([y1, y0]);
  const step = (y1 - y0) / RAMP_STEPS;
  for (let i = 0; i < RAMP_STEPS; i++) {
    const v = domain[0] + ((i + 0.5) / RAMP_STEPS) * (domain[1] - domain[0]);
    g.append('rect')
      .attr('class', 'ramp')
      .attr('x', r2(x))
      .attr('y', r2(y1 - (i + 1) * step))
      .attr('width', RAMP_WIDTH)
      .attr('height', r2(step + (i < RAMP_STEPS - 1 ? 0.3 : 0)))
      .attr('fill', colour(v));
  }
  for (const t of continuousTicks(scale, RAMP_TICKS)) {
    g.append('line').attr('x1', r2(x + RAMP_WIDTH)).attr('x2', r2(x + RAMP_WIDTH + RAMP_LABEL_GAP - 2)).attr('y1', r2(t.pos)).attr('y2', r2(t.pos)).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
    g.append('text')
      .attr('class', 'tick-label')
      .attr('x', r2(area.x1 + layout.labels))
      .attr('y', r2(t.pos + theme.fontSize * 0.35))
      .text(t.label);
  }
  const tx = area.x1 + layout.title;
  drawVerticalTitle(g, metric, tx, (y0 + y1) / 2, y1 - y0, theme);
}
