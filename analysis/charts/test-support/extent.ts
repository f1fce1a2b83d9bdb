import { textWidth } from '../frame.js';
import type { ChartTheme } from '../theme.js';

/**
 * Where a chart's marks and labels lie horizontally, in SVG coordinates, as the charts estimate
 * text (frame.ts textWidth: no layout engine under linkedom): a label's box is its estimated
 * width by its font size (ascent 0.8, descent 0.2 of it), placed by its x/y or
 * translate(...) rotate(...), text-anchor and dy, and turned with it.
 */

export interface Extent {
  /** Tag and class, and the text of a label. */
  what: string;
  x0: number;
  x1: number;
}

const ASCENT = 0.8;
const DESCENT = 0.2;

/** Horizontal extents of every text, rect, line and circle under `svg` (the background rect included). */
export function extents(svg: SVGSVGElement, theme: ChartTheme): Extent[] {
  const out: Extent[] = [];
  for (const el of Array.from(svg.querySelectorAll('text, rect, line, circle'))) {
    if (el.closest('clipPath') !== null) continue;
    const what = `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`;
    const n = (name: string): number => Number(el.getAttribute(name) ?? 0);
    switch (el.tagName.toLowerCase()) {
      case 'text':
        out.push({ what: `${what} "${shownText(el)}"`, ...textExtent(el, theme) });
        break;
      case 'rect':
        out.push({ what, x0: n('x'), x1: n('x') + n('width') });
        break;
      case 'line':
        out.push({ what, x0: Math.min(n('x1'), n('x2')), x1: Math.max(n('x1'), n('x2')) });
        break;
      case 'circle':
        out.push({ what, x0: n('cx') - n('r'), x1: n('cx') + n('r') });
        break;
    }
  }
  return out;
}

/** The extents that stick out of [0, width] (the SVG's viewBox width) by more than `tolerance`. */
export function outside(svg: SVGSVGElement, theme: ChartTheme, tolerance = 0.01): string[] {
  const width = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
  return extents(svg, theme)
    .filter((e) => e.x0 < -tolerance || e.x1 > width + tolerance)
    .map((e) => `${e.what} [${e.x0.toFixed(2)}, ${e.x1.toFixed(2)}] outside [0, ${width}]`);
}

/** The text a <text> element shows: its content less any <title> child (a tooltip, not drawn). */
export function shownText(el: Element): string {
  return Array.from(el.childNodes)
    .filter((n) => n.nodeName.toLowerCase() !== 'title')
    .map((n) => n.textContent ?? '')
    .join('');
}

function textExtent(el: Element, theme: ChartTheme): { x0: number; x1: number } {
  const fontSize = Number(el.getAttribute('font-size') ?? theme.fontSize);
  const w = textWidth(shownText(el), theme, fontSize);
  const anchor = el.getAttribute('text-anchor') ?? 'start';
  const left = anchor === 'middle' ? -w / 2 : anchor === 'end' ? -w : 0;
  const dy = Number(el.getAttribute('dy') ?? 0);
  // The glyph box in the text's own coordinates (baseline along +x, y down).
  const corners: [number, number][] = [
    [left, dy - ASCENT * fontSize],
    [left + w, dy - ASCENT * fontSize],
    [left, dy + DESCENT * fontSize],
    [left + w, dy + DESCENT * fontSize],
  ];
  const transform = el.getAttribute('transform');
  let tx = Number(el.getAttribute('x') ?? 0);
  let angle = 0;
  if (transform !== null) {
    const t = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(transform);
    const r = /rotate\(([-\d.]+)\)/.exec(transform);
    tx = t === null ? 0 : Number(t[1]);
    angle = r === null ? 0 : (Number(r[1]) * Math.PI) / 180;
  }
  const xs = corners.map(([x, y]) => tx + x * Math.cos(angle) - y * Math.sin(angle));
  return { x0: Math.min(...xs), x1: Math.max(...xs) };
}
