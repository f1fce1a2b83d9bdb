import { format } from 'd3';
import { barFrame } from './bar-layout.js';
import { beginChart, clickable, drawEmpty, isValue, r2, seriesColour, type ChartOptions } from './frame.js';

/**
 * One bar per configuration made of layers (a CPI stack: base, branch, I-TLB, D-TLB, caches...):
 * `rect.segment` per non-zero value, positive layers stacked up from zero in layer order,
 * negative ones down from it, a legend of the layers.
 */

export interface StackedBarsData {
  bars: string[];
  layers: string[];
  /** values[bar][layer]. */
  values: number[][];
  yTitle: string;
  xTitle?: string;
}

export interface StackedBarsOptions extends ChartOptions {
  onSelect?: (bar: number, layer: number) => void;
}

const fmtTip = format('.4~g');

export function stackedBars(svg: SVGSVGElement, data: StackedBarsData, opts: StackedBarsOptions): void {
  const { theme } = opts;
  const root = beginChart(svg, 'stacked-bars', opts);
  const segments: { bi: number; li: number; v: number; from: number; to: number }[] = [];
  data.bars.forEach((_, bi) => {
    let up = 0;
    let down = 0;
    data.layers.forEach((_, li) => {
      const v = data.values[bi]?.[li];
      if (!isValue(v) || v === 0) return;
      if (v > 0) segments.push({ bi, li, v, from: up, to: (up += v) });
      else segments.push({ bi, li, v, from: down, to: (down += v) });
    });
  });
  if (segments.length === 0) {
    drawEmpty(root, opts);
    return;
  }
  const ends = segments.map((s) => s.to);
  const { g, x, y } = barFrame(root, { categories: data.bars, legend: data.layers, extent: [Math.min(...ends), Math.max(...ends)], xTitle: data.xTitle ?? '', yTitle: data.yTitle }, opts);
  const marks = g.append('g').attr('class', 'marks');
  for (const s of segments) {
    const top = y(Math.max(s.from, s.to));
    const bottom = y(Math.min(s.from, s.to));
    const rect = marks
      .append('rect')
      .attr('class', 'segment')
      .attr('x', r2(x(s.bi)!))
      .attr('y', r2(top))
      .attr('width', r2(x.bandwidth()))
      .attr('height', r2(bottom - top))
      .attr('fill', seriesColour(theme, s.li));
    rect.append('title').text(`${data.bars[s.bi]}, ${data.layers[s.li]}: ${fmtTip(s.v)}`);
    clickable(rect, opts.onSelect, s.bi, s.li);
  }
}
