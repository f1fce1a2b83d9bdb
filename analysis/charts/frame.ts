import { select, type Selection } from 'd3';
import type { ChartSize, ChartTheme } from './theme.js';

/**
 * What every chart does before it draws: empty the SVG, size it, give it the theme's font, and
 * the rules that keep output byte-identical across runs and between Node (linkedom) and a browser:
 * only `svg.ownerDocument` is used (never `window` or a global `document`), every coordinate
 * written to an attribute is rounded to 0.01, and text widths come from an estimate rather than
 * a layout engine (linkedom has none).
 */

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
export type G = Selection<SVGGElement, unknown, null, undefined>;

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Options every chart takes. */
export interface ChartOptions {
  size: ChartSize;
  theme: ChartTheme;
}

/** A coordinate as written to an attribute: rounded to 0.01 (no 17-digit floats, no -0). */
export function r2(v: number): number {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r;
}

/** Empties `svg` and sets its size, viewBox, font and background; returns the root selection. */
export function beginChart(svg: SVGSVGElement, kind: string, { size, theme }: ChartOptions): Svg {
  while (svg.firstChild !== null) svg.removeChild(svg.firstChild);
  const root = select(svg)
    .attr('class', `rvh-chart ${kind}`)
    .attr('width', `${r2(size.width)}${theme.sizeUnit}`)
    .attr('height', `${r2(size.height)}${theme.sizeUnit}`)
    .attr('viewBox', `0 0 ${r2(size.width)} ${r2(size.height)}`)
    .attr('font-family', theme.fontFamily)
    .attr('font-size', theme.fontSize)
    .attr('fill', theme.textColor);
  if (theme.background !== 'none') {
    root.append('rect').attr('class', 'background').attr('width', r2(size.width)).attr('height', r2(size.height)).attr('fill', theme.background);
  }
  return root;
}

/**
 * Estimated width of `text` at `fontSize`: the theme's average advance per glyph, scaled for
 * capitals and wide letters (about 1.35 times it in Times and DejaVu) and narrow glyphs (about half).
 */
export function textWidth(text: string, theme: ChartTheme, fontSize: number = theme.fontSize): number {
  let units = 0;
  for (const c of text) units += /[A-Zmw@%]/.test(c) ? 1.35 : /[ilj.,:;'|!()[\] tfr\/-]/.test(c) ? 0.55 : 1;
  return units * fontSize * theme.charWidth;
}

/** The i-th series colour. */
export function seriesColour(theme: ChartTheme, i: number): string {
  return theme.palette[i % theme.palette.length]!;
}

/** The i-th series dash pattern ('' = solid). */
export function seriesDash(theme: ChartTheme, i: number): string {
  return theme.dashes.length === 0 ? '' : theme.dashes[i % theme.dashes.length]!;
}

/** A centred note in place of a chart with nothing to draw. */
export function drawEmpty(root: Svg, { size, theme }: ChartOptions, message = 'no data'): void {
  root
    .append('text')
    .attr('class', 'empty')
    .attr('x', r2(size.width / 2))
    .attr('y', r2(size.height / 2))
    .attr('text-anchor', 'middle')
    .attr('dominant-baseline', 'middle')
    .attr('fill', theme.axisColor)
    .text(message);
}

/** A plot area: the rectangle inside the margins. */
export interface PlotArea {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function plotArea(size: ChartSize, m: Margins): PlotArea {
  return { x0: m.left, x1: Math.max(m.left + 1, size.width - m.right), y0: m.top, y1: Math.max(m.top + 1, size.height - m.bottom) };
}

/** Line height of text at `fontSize`. */
export function lineHeight(fontSize: number): number {
  return fontSize * 1.25;
}

/** Finite numbers only (NaN and infinities are missing values). */
export function isValue(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The cells of a table `values[row][col]` in row-major order; a non-finite, null or missing entry is null. */
export function tableCells(rows: number, cols: number, values: readonly (readonly (number | null)[] | undefined)[]): { row: number; col: number; v: number | null }[] {
  const cells: { row: number; col: number; v: number | null }[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const v = values[row]?.[col];
      cells.push({ row, col, v: isValue(v) ? v : null });
    }
  }
  return cells;
}

/** With a handler, a click on `mark` calls it with `args` (and the pointer says it is clickable). */
export function clickable<E extends Element, A extends unknown[]>(mark: Selection<E, unknown, null, undefined>, handler: ((...args: A) => void) | undefined, ...args: A): void {
  if (handler !== undefined) mark.style('cursor', 'pointer').on('click', () => handler(...args));
}
