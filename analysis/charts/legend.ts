import { lineHeight, r2, seriesColour, seriesDash, textWidth, type ChartOptions, type G } from './frame.js';
import type { ChartTheme } from './theme.js';

/**
 * The series legend: entries left to right across the top of the chart (from its left edge, so
 * the layout needs no plot margins), wrapping onto further rows when the width runs out. The
 * layout is computed first (its height sets the chart's top margin), then drawn.
 */

export type SwatchKind = 'line' | 'box';

export interface LegendLayout {
  entries: { name: string; index: number; x: number; row: number }[];
  height: number;
}

/** The legend's distance from the chart's top and left edges. */
const INSET = 4;
const SWATCH_LINE = 14;
const SWATCH_BOX = 7;
const ENTRY_GAP = 8;
const LABEL_GAP = 3;

function swatchWidth(kind: SwatchKind): number {
  return kind === 'line' ? SWATCH_LINE : SWATCH_BOX;
}

/** Entries for `names`, wrapped to `width`; no legend (height 0) for fewer than `minEntries` names. */
export function layoutLegend(names: readonly string[], kind: SwatchKind, theme: ChartTheme, width: number, minEntries = 2): LegendLayout {
  if (names.length < minEntries) return { entries: [], height: 0 };
  const entries: LegendLayout['entries'] = [];
  let x = 0;
  let row = 0;
  names.forEach((name, index) => {
    const w = swatchWidth(kind) + LABEL_GAP + textWidth(name, theme);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    entries.push({ name, index, x, row });
    x += w + ENTRY_GAP;
  });
  return { entries, height: (row + 1) * lineHeight(theme.fontSize) + 2 };
}

/** Draws a legend laid out by layoutLegend with its top-left corner at (x, y). */
export function drawLegend(parent: G, layout: LegendLayout, kind: SwatchKind, theme: ChartTheme, x: number, y: number): void {
  if (layout.entries.length === 0) return;
  const g = parent.append('g').attr('class', 'legend');
  const lh = lineHeight(theme.fontSize);
  for (const e of layout.entries) {
    const ex = x + e.x;
    const mid = y + e.row * lh + lh / 2;
    const item = g.append('g').attr('class', 'legend-entry');
    const colour = seriesColour(theme, e.index);
    if (kind === 'line') {
      const line = item.append('line').attr('x1', r2(ex)).attr('x2', r2(ex + SWATCH_LINE)).attr('y1', r2(mid)).attr('y2', r2(mid)).attr('stroke', colour).attr('stroke-width', theme.lineWidth);
      const dash = seriesDash(theme, e.index);
      if (dash !== '') line.attr('stroke-dasharray', dash);
      item.append('circle').attr('cx', r2(ex + SWATCH_LINE / 2)).attr('cy', r2(mid)).attr('r', theme.pointRadius).attr('fill', colour);
    } else {
      item.append('rect').attr('x', r2(ex)).attr('y', r2(mid - SWATCH_BOX / 2)).attr('width', SWATCH_BOX).attr('height', SWATCH_BOX).attr('fill', colour);
    }
    item
      .append('text')
      .attr('x', r2(ex + swatchWidth(kind) + LABEL_GAP))
      .attr('y', r2(mid + theme.fontSize * 0.35))
      .text(e.name);
  }
}

/** A legend of series across the top of a chart, and where the plot below it may begin. */
export interface TopLegend {
  /** The plot's top margin: below the legend, with room for the half of the top tick label above the axis. */
  top: number;
  draw(parent: G): void;
}

export function topLegend(names: readonly string[], kind: SwatchKind, { size, theme }: ChartOptions): TopLegend {
  const layout = layoutLegend(names, kind, theme, size.width - 2 * INSET);
  return { top: INSET + layout.height + theme.fontSize / 2, draw: (parent) => drawLegend(parent, layout, kind, theme, INSET, INSET) };
}
