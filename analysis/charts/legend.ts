import { lineHeight, r2, seriesColour, seriesDash, textWidth, type ChartOptions, type G } from './frame.js';
import type { ChartTheme } from './theme.js';

/**
 * The legend: entries left to right across the top of the chart (from its left edge, so the
 * layout needs no plot margins), wrapping onto further rows when the width runs out. Each entry
 * is a swatch drawn like the marks it names (a series' line, a bar's box, a shaded interval, a
 * vertical marker) and its name. The layout is computed first (its height sets the chart's top
 * margin), then drawn.
 */

/** line: a series' line and point; box: a bar or shaded interval; rule: a vertical marker line. */
export type SwatchKind = 'line' | 'box' | 'rule';

export interface LegendItem {
  name: string;
  swatch: SwatchKind;
  colour: string;
  /** Dash pattern of a line swatch ('' or absent = solid). */
  dash?: string;
  /** Fill opacity of a box swatch standing for a translucent mark; the box is then outlined in the colour, so a pale fill still reads. */
  fillOpacity?: number;
  /** A class the entry takes besides `legend-entry`, saying what kind of mark it names. */
  role?: string;
}

export interface LegendLayout {
  entries: { item: LegendItem; x: number; row: number }[];
  height: number;
}

/** The legend's distance from the chart's top and left edges. */
const INSET = 4;
const SWATCH_WIDTH: Record<SwatchKind, number> = { line: 14, box: 7, rule: 5 };
const ENTRY_GAP = 8;
const LABEL_GAP = 3;

/** Legend items for series `names` in series colours (and dashes, for lines). */
export function seriesItems(names: readonly string[], swatch: 'line' | 'box', theme: ChartTheme): LegendItem[] {
  return names.map((name, i) => (swatch === 'line' ? { name, swatch, colour: seriesColour(theme, i), dash: seriesDash(theme, i) } : { name, swatch, colour: seriesColour(theme, i) }));
}

/** Entries for `items`, wrapped to `width`; no legend (height 0) for fewer than `minEntries` items. */
export function layoutLegend(items: readonly LegendItem[], theme: ChartTheme, width: number, minEntries = 2): LegendLayout {
  if (items.length < minEntries || items.length === 0) return { entries: [], height: 0 };
  const entries: LegendLayout['entries'] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = SWATCH_WIDTH[item.swatch] + LABEL_GAP + textWidth(item.name, theme);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    entries.push({ item, x, row });
    x += w + ENTRY_GAP;
  }
  return { entries, height: (row + 1) * lineHeight(theme.fontSize) + 2 };
}

/** Draws a legend laid out by layoutLegend with its top-left corner at (x, y). */
export function drawLegend(parent: G, layout: LegendLayout, theme: ChartTheme, x: number, y: number): void {
  if (layout.entries.length === 0) return;
  const g = parent.append('g').attr('class', 'legend');
  const lh = lineHeight(theme.fontSize);
  for (const { item, x: ex0, row } of layout.entries) {
    const ex = x + ex0;
    const mid = y + row * lh + lh / 2;
    const entry = g.append('g').attr('class', item.role === undefined ? 'legend-entry' : `legend-entry ${item.role}`);
    drawSwatch(entry, item, theme, ex, mid);
    entry
      .append('text')
      .attr('x', r2(ex + SWATCH_WIDTH[item.swatch] + LABEL_GAP))
      .attr('y', r2(mid + theme.fontSize * 0.35))
      .text(item.name);
  }
}

function drawSwatch(entry: G, item: LegendItem, theme: ChartTheme, x: number, mid: number): void {
  const w = SWATCH_WIDTH[item.swatch];
  switch (item.swatch) {
    case 'line': {
      const line = entry.append('line').attr('x1', r2(x)).attr('x2', r2(x + w)).attr('y1', r2(mid)).attr('y2', r2(mid)).attr('stroke', item.colour).attr('stroke-width', theme.lineWidth);
      if (item.dash !== undefined && item.dash !== '') line.attr('stroke-dasharray', item.dash);
      entry.append('circle').attr('cx', r2(x + w / 2)).attr('cy', r2(mid)).attr('r', theme.pointRadius).attr('fill', item.colour);
      break;
    }
    case 'box': {
      const box = entry.append('rect').attr('x', r2(x)).attr('y', r2(mid - w / 2)).attr('width', w).attr('height', w).attr('fill', item.colour);
      if (item.fillOpacity !== undefined) box.attr('fill-opacity', item.fillOpacity).attr('stroke', item.colour).attr('stroke-width', 0.75);
      break;
    }
    case 'rule': {
      // As tall as the text beside it: a marker crosses the whole plot, its swatch the whole line.
      const half = theme.fontSize * 0.5;
      entry.append('line').attr('x1', r2(x + w / 2)).attr('x2', r2(x + w / 2)).attr('y1', r2(mid - half)).attr('y2', r2(mid + half)).attr('stroke', item.colour).attr('stroke-width', theme.lineWidth);
      break;
    }
  }
}

/** A legend across the top of a chart, and where the plot below it may begin. */
export interface TopLegend {
  /** The plot's top margin: below the legend, with room for the half of the top tick label above the axis. */
  top: number;
  draw(parent: G): void;
}

/** A legend of `items` across the top of the chart; none for fewer than `minEntries` (default two: one series needs no legend). */
export function topLegend(items: readonly LegendItem[], { size, theme }: ChartOptions, minEntries = 2): TopLegend {
  const layout = layoutLegend(items, theme, size.width - 2 * INSET, minEntries);
  return { top: INSET + layout.height + theme.fontSize / 2, draw: (parent) => drawLegend(parent, layout, theme, INSET, INSET) };
}
