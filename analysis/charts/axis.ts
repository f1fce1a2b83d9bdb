import { format, scaleLinear, type ScaleBand, type ScaleContinuousNumeric, type ScaleLinear } from 'd3';
import { lineHeight, r2, textWidth, type G, type PlotArea } from './frame.js';
import type { ChartTheme } from './theme.js';

/**
 * Axes drawn from ticks computed beforehand ({ position, label }), so that the layout can measure
 * the labels before it fixes the margins, and every chart kind (continuous, logarithmic, banded)
 * draws its axes the same way. d3-axis is not used: it offsets ticks by half a pixel depending on
 * `window.devicePixelRatio`, which would make the output depend on where it was rendered.
 */

export interface Tick {
  /** Position along the axis in chart coordinates. */
  pos: number;
  label: string;
}

const TICK = 3;
const GAP = 2;
/**
 * Where a label could cross the chart's edge, its estimated width is taken 10% larger: textWidth
 * runs up to ~8% short for lowercase sans-serif text (DejaVu Sans, Chromium's default on Linux).
 */
const HEADROOM = 1.1;

/** Ticks of a continuous scale, about `count` of them, labelled with d3's precision for the step (SI prefixes for large values). */
export function continuousTicks(scale: ScaleContinuousNumeric<number, number>, count: number): Tick[] {
  const values = scale.ticks(count);
  const max = Math.max(...values.map(Math.abs));
  const fmt = max >= 1e5 ? format('~s') : scale.tickFormat(count);
  return values.map((v) => ({ pos: scale(v), label: fmt(v) }));
}

/** About one y tick per four lines of text: enough to read values off, few enough to stay quiet. */
export function yTickCount(height: number, fontSize: number): number {
  return Math.max(2, Math.floor(height / (fontSize * 4)));
}

/** A linear value (y) axis over `domain` for a plot about `height` tall, and the left margin its labels and title need. */
export function valueAxis(domain: [number, number], height: number, theme: ChartTheme, title: string): { y: ScaleLinear<number, number>; count: number; left: number } {
  const count = yTickCount(height, theme.fontSize);
  // nice(count) ends the axis on a tick, so the highest mark never stands above the last label.
  const y = scaleLinear().domain(domain).nice(count);
  const left = 4 + yAxisWidth(continuousTicks(y.range([0, 1]), count), theme, title);
  return { y, count, left };
}

/** Labels of values given for a log or categorical axis: integers as they are, others to 3 significant digits. */
export const valueLabel = format('~r');

/** Height below the plot the x axis needs: ticks, labels (rotated when they would overlap), title. */
export function xAxisHeight(ticks: readonly Tick[], theme: ChartTheme, title: string, slot: number): number {
  const rotated = xLabelsRotated(ticks, theme, slot);
  const widest = Math.max(0, ...ticks.map((t) => textWidth(t.label, theme)));
  const labels = rotated ? widest * Math.SQRT1_2 + theme.fontSize : lineHeight(theme.fontSize);
  return TICK + GAP + labels + (title === '' ? 0 : GAP + lineHeight(theme.titleFontSize));
}

/** Width left of the plot the y axis needs: title, labels, ticks. */
export function yAxisWidth(ticks: readonly Tick[], theme: ChartTheme, title: string): number {
  const widest = Math.max(0, ...ticks.map((t) => textWidth(t.label, theme)));
  return (title === '' ? 0 : lineHeight(theme.titleFontSize) + GAP) + widest + GAP + TICK;
}

/** The widest label a y axis can take within `width` (yAxisWidth's inverse). */
export function yLabelRoom(theme: ChartTheme, title: string, width: number): number {
  return width - (title === '' ? 0 : lineHeight(theme.titleFontSize) + GAP) - GAP - TICK;
}

/** Labels turn 45 degrees when the widest would not fit the space between two ticks. */
export function xLabelsRotated(ticks: readonly Tick[], theme: ChartTheme, slot: number): boolean {
  return ticks.some((t) => textWidth(t.label, theme) > slot * 0.95);
}

/**
 * How far left of its tick a rotated label reaches: the label ends at the tick and runs down-left
 * at 45 degrees, so its width and its glyphs' height (ascent, less the dy that moves the baseline
 * down) both count by sqrt(1/2). A quarter of the font size stands for the ascent past dy.
 */
export function rotatedLabelReach(label: string, theme: ChartTheme): number {
  return Math.SQRT1_2 * (HEADROOM * textWidth(label, theme) + theme.fontSize * 0.25);
}

/** Space kept between a label and the chart's edge. */
const EDGE = 2;

/**
 * Moves the start of a band scale's range right until every x label, rotated as drawXAxis will
 * rotate it, ends inside the chart (x >= 0); returns the new start and the labels to draw. A
 * band's centre lies at a fixed fraction f of the range [start, end], so the smallest start for
 * a label reaching r left of its centre solves start + (end - start) * f = r. The plot keeps at
 * least half its width, and rotated labels reach at most `maxDepth` below the axis (they take
 * sqrt(1/2) of their width and about a line): longer labels are shortened instead (shortenLabel).
 */
export function fitRotatedBandLabels(x: ScaleBand<number>, labels: readonly string[], theme: ChartTheme, maxDepth: number): { start: number; labels: string[] } {
  const [a, end] = x.range() as [number, number];
  const centre = (i: number): number => x(i)! + x.bandwidth() / 2;
  if (!xLabelsRotated(labels.map((label, i) => ({ pos: centre(i), label })), theme, x.step())) return { start: a, labels: [...labels] };
  const shallow = labels.map((label) => shortenLabel(label, theme, (maxDepth - theme.fontSize) / Math.SQRT1_2));
  const fractions = labels.map((_, i) => (centre(i) - a) / (end - a));
  let start = a;
  shallow.forEach((label, i) => (start = Math.max(start, (rotatedLabelReach(label, theme) + EDGE - end * fractions[i]!) / (1 - fractions[i]!))));
  start = Math.min(start, a + (end - a) / 2);
  x.range([start, end]);
  const room = (i: number): number => ((centre(i) - EDGE) / Math.SQRT1_2 - theme.fontSize * 0.25) / HEADROOM;
  return { start, labels: shallow.map((label, i) => shortenLabel(label, theme, room(i))) };
}

/** `label` cut with an ellipsis to at most `width` (as textWidth estimates it at `fontSize`); unchanged when it fits. */
export function shortenLabel(label: string, theme: ChartTheme, width: number, fontSize: number = theme.fontSize): string {
  if (textWidth(label, theme, fontSize) <= width) return label;
  const chars = Array.from(label);
  let n = chars.length - 1;
  while (n > 0 && textWidth(`${chars.slice(0, n).join('')}…`, theme, fontSize) > width) n--;
  return `${chars.slice(0, n).join('')}…`;
}

/**
 * A title read bottom to top, centred on (cx, cy): a y axis's, or a colour ramp's. It runs along
 * the plot's side, so one longer than `length` (the plot's height; a short chart has little) is
 * shortened with an ellipsis, and the full title goes in a <title> child for the tooltip.
 */
export function drawVerticalTitle(parent: G, title: string, cx: number, cy: number, length: number, theme: ChartTheme): void {
  const shown = shortenLabel(title, theme, length / HEADROOM, theme.titleFontSize);
  const text = parent
    .append('text')
    .attr('class', 'axis-title')
    .attr('transform', `translate(${r2(cx)},${r2(cy)}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', theme.titleFontSize)
    .text(shown);
  if (shown !== title) text.append('title').text(title);
}

/**
 * The x axis along the bottom of `area`, with optional vertical grid lines. An upright label that
 * would cross the chart's edge (`width`: the SVG's width; a zoomed time axis can put a long one
 * at the end) is anchored at its tick on that side instead of centred.
 */
export function drawXAxis(parent: G, area: PlotArea, ticks: readonly Tick[], title: string, theme: ChartTheme, opts: { grid?: boolean; slot: number; width: number }): void {
  const g = parent.append('g').attr('class', 'axis x-axis');
  const y = area.y1;
  if (opts.grid === true) {
    const grid = g.append('g').attr('class', 'grid');
    for (const t of ticks) grid.append('line').attr('x1', r2(t.pos)).attr('x2', r2(t.pos)).attr('y1', r2(area.y0)).attr('y2', r2(y)).attr('stroke', theme.gridColor).attr('stroke-width', 0.5);
  }
  g.append('line').attr('class', 'domain').attr('x1', r2(area.x0)).attr('x2', r2(area.x1)).attr('y1', r2(y)).attr('y2', r2(y)).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
  const rotated = xLabelsRotated(ticks, theme, opts.slot);
  for (const t of ticks) {
    g.append('line').attr('class', 'tick').attr('x1', r2(t.pos)).attr('x2', r2(t.pos)).attr('y1', r2(y)).attr('y2', r2(y + TICK)).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
    const label = g.append('text').attr('class', 'tick-label').text(t.label);
    const ty = y + TICK + GAP;
    if (rotated) {
      label.attr('transform', `translate(${r2(t.pos)},${r2(ty)}) rotate(-45)`).attr('text-anchor', 'end').attr('dy', r2(theme.fontSize * 0.7));
    } else {
      const half = (HEADROOM * textWidth(t.label, theme)) / 2;
      const anchor = t.pos + half > opts.width ? 'end' : t.pos - half < 0 ? 'start' : 'middle';
      label.attr('x', r2(t.pos)).attr('y', r2(ty + theme.fontSize * 0.8)).attr('text-anchor', anchor);
    }
  }
  if (title !== '') {
    g.append('text')
      .attr('class', 'axis-title')
      .attr('x', r2((area.x0 + area.x1) / 2))
      .attr('y', r2(y + xAxisHeight(ticks, theme, title, opts.slot) - GAP))
      .attr('text-anchor', 'middle')
      .attr('font-size', theme.titleFontSize)
      .text(title);
  }
}

/** The y axis along the left of `area`, with optional horizontal grid lines. */
export function drawYAxis(parent: G, area: PlotArea, ticks: readonly Tick[], title: string, theme: ChartTheme, opts: { grid?: boolean } = {}): void {
  const g = parent.append('g').attr('class', 'axis y-axis');
  const x = area.x0;
  if (opts.grid === true) {
    const grid = g.append('g').attr('class', 'grid');
    for (const t of ticks) grid.append('line').attr('x1', r2(x)).attr('x2', r2(area.x1)).attr('y1', r2(t.pos)).attr('y2', r2(t.pos)).attr('stroke', theme.gridColor).attr('stroke-width', 0.5);
  }
  g.append('line').attr('class', 'domain').attr('x1', r2(x)).attr('x2', r2(x)).attr('y1', r2(area.y0)).attr('y2', r2(area.y1)).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
  for (const t of ticks) {
    g.append('line').attr('class', 'tick').attr('x1', r2(x - TICK)).attr('x2', r2(x)).attr('y1', r2(t.pos)).attr('y2', r2(t.pos)).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
    g.append('text')
      .attr('class', 'tick-label')
      .attr('x', r2(x - TICK - GAP))
      .attr('y', r2(t.pos + theme.fontSize * 0.35))
      .attr('text-anchor', 'end')
      .text(t.label);
  }
  if (title !== '') {
    const cx = x - yAxisWidth(ticks, theme, title) + theme.titleFontSize * 0.8;
    drawVerticalTitle(g, title, cx, (area.y0 + area.y1) / 2, area.y1 - area.y0, theme);
  }
}
