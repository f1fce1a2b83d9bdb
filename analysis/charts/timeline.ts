import { format, scaleLinear, zoom, zoomIdentity, type D3ZoomEvent, type ScaleLinear, type ZoomTransform } from 'd3';
import { continuousTicks, drawXAxis, drawYAxis, valueAxis, xAxisHeight } from './axis.js';
import { beginChart, clickable, drawEmpty, isValue, plotArea, r2, seriesColour, seriesDash, textWidth, type ChartOptions, type G, type PlotArea } from './frame.js';
import { seriesItems, topLegend, type LegendItem } from './legend.js';
import type { ChartTheme } from './theme.js';

/**
 * Values over time (a trace's per-interval counters) with shaded intervals (`rect.band`: guest
 * time slices, phases) and instants (`line.marker`: fences, traps, satp writes), one colour per
 * marker kind. A legend above names the series (when there are several), the band labels and
 * the marker kinds, each with its colour. Only the visible range is drawn, under a clip path. With
 * `zoomable` in a browser, d3-zoom on the time axis re-renders the marks for the visible range,
 * within `domain`; under linkedom (no SVG geometry) zoom is not attached and the chart is the
 * static view of `view`.
 */

export interface TimelineData {
  series: { name: string; t: number[]; v: number[] }[];
  bands: { start: number; end: number; label: string }[];
  markers: { t: number; kind: string; label: string }[];
  tTitle: string;
  /** Title of the value axis. */
  vTitle?: string;
}

export interface TimelineOptions extends ChartOptions {
  zoomable?: boolean;
  /** The time range of the unzoomed chart, which zooming out or panning cannot leave (default: everything). */
  domain?: [number, number];
  /** The time range shown first, within `domain` (default: all of `domain`): a zoom restored from a saved state. */
  view?: [number, number];
  /** Prefix of the clip path's id; give each timeline on one page its own (default 'rvh-timeline'). */
  idPrefix?: string;
  /** Called with the visible range after each zoom or pan by the user. */
  onZoom?: (domain: [number, number]) => void;
  /** Called when a marker is clicked, with its index in data.markers. */
  onSelectMarker?: (marker: number) => void;
}

const fmtTip = format('.6~g');

/** Bands are shaded, not filled: the series and markers stay readable on top. */
const BAND_OPACITY = 0.12;

/** Colour of the i-th band label (sorted): palette from 1, the first colour being the series'. */
function bandColour(theme: ChartTheme, i: number): string {
  return seriesColour(theme, 1 + i);
}

/** Colour of the i-th marker kind (sorted): palette from 5, apart from the first bands'. */
function markerColour(theme: ChartTheme, i: number): string {
  return seriesColour(theme, 5 + i);
}

export function timeline(svg: SVGSVGElement, data: TimelineData, opts: TimelineOptions): void {
  const { size, theme } = opts;
  const root = beginChart(svg, 'timeline', opts);
  const series = data.series.map((s) => samples(s.t, s.v));
  const times = [...series.flatMap((s) => s.map((p) => p[0])), ...data.bands.flatMap((b) => [b.start, b.end]), ...data.markers.map((m) => m.t)].filter(isValue);
  if (times.length === 0) {
    drawEmpty(root, opts);
    return;
  }
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const full: [number, number] = t0 === t1 ? [t0 - 1, t1 + 1] : [t0, t1];
  const domain: [number, number] = opts.domain ?? full;
  const view = visibleRange(domain, opts.view);
  const kinds = [...new Set(data.markers.map((m) => m.kind))].sort();
  const bandLabels = [...new Set(data.bands.map((b) => b.label))].sort();

  const legend = topLegend(legendItems(data, bandLabels, kinds, theme), opts, 1);
  const top = legend.top;
  const values = series.flatMap((s) => s.map((p) => p[1]));
  const vTitle = data.vTitle ?? '';
  const { y, count: yCount, left } = valueAxis(values.length === 0 ? [0, 1] : [Math.min(0, ...values), Math.max(0, ...values) || 1], size.height - top, theme, vTitle);
  const probe = scaleLinear().domain(domain).range([left, size.width - 10]);
  const xCount = Math.max(2, Math.floor((size.width - left - 10) / (theme.fontSize * 7)));
  const probeTicks = continuousTicks(probe, xCount);
  // Room for half of the widest tick label past the right end of the axis.
  const right = 4 + Math.max(6, ...probeTicks.map((t) => textWidth(t.label, theme) / 2));
  const bottom = 2 + xAxisHeight(probeTicks, theme, data.tTitle, (size.width - left - right) / Math.max(1, probeTicks.length));
  const area = plotArea(size, { top, right, bottom, left });
  y.range([area.y1, area.y0]);

  const clipId = `${opts.idPrefix ?? 'rvh-timeline'}-clip`;
  root
    .append('defs')
    .append('clipPath')
    .attr('id', clipId)
    .append('rect')
    .attr('x', r2(area.x0))
    .attr('y', r2(area.y0))
    .attr('width', r2(area.x1 - area.x0))
    .attr('height', r2(area.y1 - area.y0));
  const plot = root.append('g').attr('class', 'plot');
  const body = plot.append('g').attr('class', 'body');
  legend.draw(plot);

  const draw = (visible: [number, number]): void => {
    const bodyNode = body.node()!;
    while (bodyNode.firstChild !== null) bodyNode.removeChild(bodyNode.firstChild);
    const x = scaleLinear().domain(visible).range([area.x0, area.x1]);
    drawYAxis(body, area, continuousTicks(y, yCount), vTitle, theme, { grid: true });
    const ticks = continuousTicks(x, xCount);
    drawXAxis(body, area, ticks, data.tTitle, theme, { slot: (area.x1 - area.x0) / Math.max(1, ticks.length), width: size.width });
    const marks = body.append('g').attr('class', 'marks').attr('clip-path', `url(#${clipId})`);
    drawBands(marks, data, bandLabels, x, area, theme);
    drawSeries(marks, data, series, x, y, theme);
    drawMarkers(marks, data, kinds, x, area, theme, opts.onSelectMarker);
  };
  draw(view);

  if (opts.zoomable === true && hasSvgGeometry(svg)) {
    const base = scaleLinear().domain(domain).range([area.x0, area.x1]);
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 1e6])
      .extent([
        [area.x0, area.y0],
        [area.x1, area.y1],
      ])
      .translateExtent([
        [area.x0, -Infinity],
        [area.x1, Infinity],
      ])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        // Only the user's wheel and drags: the transform set below to show `view` is drawn already.
        if (event.sourceEvent === null) return;
        const visible = event.transform.rescaleX(base).domain() as [number, number];
        draw(visible);
        opts.onZoom?.(visible);
      });
    root.call(behaviour);
    if (view[0] !== domain[0] || view[1] !== domain[1]) root.call(behaviour.transform, showing(view, base));
  }
}

/** `view` clipped to `domain`; all of `domain` without a view or when nothing of it is left. */
function visibleRange(domain: [number, number], view: [number, number] | undefined): [number, number] {
  if (view === undefined) return domain;
  const lo = Math.max(domain[0], view[0]);
  const hi = Math.min(domain[1], view[1]);
  return isValue(lo) && isValue(hi) && lo < hi ? [lo, hi] : domain;
}

/** The zoom transform under which `base` (the unzoomed time scale) shows `view` across its range: x' = k * base(t) + tx. */
function showing(view: [number, number], base: ScaleLinear<number, number>): ZoomTransform {
  const [x0, x1] = base.range() as [number, number];
  const k = (x1 - x0) / (base(view[1]) - base(view[0]));
  return zoomIdentity.translate(x0 - k * base(view[0]), 0).scale(k);
}

/** The series (when there are several), then the band labels, then the marker kinds, in the colours drawn. */
function legendItems(data: TimelineData, bandLabels: readonly string[], kinds: readonly string[], theme: ChartTheme): LegendItem[] {
  return [
    ...(data.series.length < 2
      ? []
      : seriesItems(
          data.series.map((s) => s.name),
          'line',
          theme,
        )),
    ...bandLabels.map((name, i): LegendItem => ({ name, swatch: 'box', colour: bandColour(theme, i), fillOpacity: BAND_OPACITY, role: 'band' })),
    ...kinds.map((name, i): LegendItem => ({ name, swatch: 'rule', colour: markerColour(theme, i), role: 'marker' })),
  ];
}

/** A browser's SVG implementation (linkedom has no geometry, so d3-zoom could not measure it). */
function hasSvgGeometry(svg: SVGSVGElement): boolean {
  return typeof (svg as { createSVGPoint?: unknown }).createSVGPoint === 'function';
}

/** The (t, v) pairs of a series with both finite, in time order. */
function samples(t: readonly number[], v: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < Math.min(t.length, v.length); i++) if (isValue(t[i]) && isValue(v[i])) out.push([t[i]!, v[i]!]);
  return out.sort((a, b) => a[0] - b[0]);
}

function drawBands(marks: G, data: TimelineData, labels: readonly string[], x: ScaleLinear<number, number>, area: PlotArea, theme: ChartTheme): void {
  const [d0, d1] = x.domain() as [number, number];
  data.bands.forEach((b) => {
    if (!isValue(b.start) || !isValue(b.end) || b.end < d0 || b.start > d1) return;
    const xa = x(Math.max(b.start, d0));
    const xb = x(Math.min(b.end, d1));
    const rect = marks
      .append('rect')
      .attr('class', 'band')
      .attr('x', r2(xa))
      .attr('y', r2(area.y0))
      .attr('width', r2(Math.max(0, xb - xa)))
      .attr('height', r2(area.y1 - area.y0))
      .attr('fill', bandColour(theme, labels.indexOf(b.label)))
      .attr('fill-opacity', BAND_OPACITY);
    rect.append('title').text(`${b.label}: ${fmtTip(b.start)} to ${fmtTip(b.end)}`);
    if (xb - xa > b.label.length * theme.fontSize * theme.charWidth + 4) {
      marks
        .append('text')
        .attr('class', 'band-label')
        .attr('x', r2(xa + 2))
        .attr('y', r2(area.y0 + theme.fontSize))
        .attr('fill', theme.axisColor)
        .text(b.label);
    }
  });
}

function drawSeries(marks: G, data: TimelineData, series: readonly [number, number][][], x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, theme: ChartTheme): void {
  const [d0, d1] = x.domain() as [number, number];
  const columns = Math.max(1, Math.ceil(Math.abs(x.range()[1]! - x.range()[0]!)));
  series.forEach((points, si) => {
    // The visible samples and one on each side, so the line runs to the clip edges.
    let a = points.findIndex((p) => p[0] >= d0);
    if (a < 0) a = points.length;
    let b = points.findIndex((p) => p[0] > d1);
    if (b < 0) b = points.length;
    const visible = decimate(points.slice(Math.max(0, a - 1), Math.min(points.length, b + 1)), x, columns);
    if (visible.length === 0) return;
    const d = visible.map((p, i) => `${i === 0 ? 'M' : 'L'}${r2(x(p[0]))},${r2(y(p[1]))}`).join('');
    const path = marks
      .append('path')
      .attr('class', 'line')
      .attr('d', d)
      .attr('fill', 'none')
      .attr('stroke', seriesColour(theme, si))
      .attr('stroke-width', theme.lineWidth);
    const dash = seriesDash(theme, si);
    if (dash !== '') path.attr('stroke-dasharray', dash);
    path.append('title').text(data.series[si]!.name);
  });
}

/**
 * At most four samples per pixel column (first, lowest, highest, last): the drawn line is the
 * same, the path stays small however long the trace.
 */
function decimate(points: [number, number][], x: ScaleLinear<number, number>, columns: number): [number, number][] {
  if (points.length <= 4 * columns) return points;
  const out: [number, number][] = [];
  let i = 0;
  while (i < points.length) {
    const col = Math.floor(x(points[i]![0]));
    let j = i;
    let lo = i;
    let hi = i;
    while (j < points.length && Math.floor(x(points[j]![0])) === col) {
      if (points[j]![1] < points[lo]![1]) lo = j;
      if (points[j]![1] > points[hi]![1]) hi = j;
      j++;
    }
    for (const k of [...new Set([i, lo, hi, j - 1])].sort((p, q) => p - q)) out.push(points[k]!);
    i = j;
  }
  return out;
}

function drawMarkers(marks: G, data: TimelineData, kinds: readonly string[], x: ScaleLinear<number, number>, area: PlotArea, theme: ChartTheme, onSelect: ((marker: number) => void) | undefined): void {
  const [d0, d1] = x.domain() as [number, number];
  data.markers.forEach((m, i) => {
    if (!isValue(m.t) || m.t < d0 || m.t > d1) return;
    const line = marks
      .append('line')
      .attr('class', 'marker')
      .attr('x1', r2(x(m.t)))
      .attr('x2', r2(x(m.t)))
      .attr('y1', r2(area.y0))
      .attr('y2', r2(area.y1))
      .attr('stroke', markerColour(theme, kinds.indexOf(m.kind)))
      .attr('stroke-width', theme.lineWidth);
    line.append('title').text(`${m.kind} at ${fmtTip(m.t)}: ${m.label}`);
    clickable(line, onSelect, i);
  });
}
