import { parseHTML } from 'linkedom';

/**
 * Server-side rendering of a chart: the dashboard's chart functions draw into an SVG element of a
 * linkedom document, and the element's markup becomes a standalone SVG file. The chart carries
 * its fonts and colours as attributes (nothing external to load), and linkedom serialises
 * attributes and children in the order they were set, so the same chart and data give the same
 * bytes.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface SvgMeta {
  /** The figure's title: the SVG's <title> (shown by viewers, read by screen readers; not drawn). */
  title?: string;
  /** A longer description: the SVG's <desc>. */
  description?: string;
}

/** Runs `draw` on a fresh SVG element and returns the standalone SVG document it drew. */
export function renderSvg(draw: (svg: SVGSVGElement) => void, meta: SvgMeta = {}): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = document.createElementNS(SVG_NS, 'svg') as unknown as SVGSVGElement;
  document.body.appendChild(svg as unknown as Node);
  draw(svg);
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('version', '1.1');
  // Title and description come first (SVG 1.1 "The 'desc' and 'title' elements"), after the chart has emptied the element.
  for (const [tag, text] of [
    ['desc', meta.description],
    ['title', meta.title],
  ] as const) {
    if (text === undefined || text === '') continue;
    const el = svg.ownerDocument.createElementNS(SVG_NS, tag);
    el.textContent = text;
    svg.insertBefore(el, svg.firstChild);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}
