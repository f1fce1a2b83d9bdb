import { parseHTML } from 'linkedom';

/** A fresh SVG element in its own linkedom document (charts only use svg.ownerDocument). */
export function newSvg(): SVGSVGElement {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.appendChild(svg);
  return svg as unknown as SVGSVGElement;
}

/** Elements under `svg` matching `selector`. */
export function count(svg: SVGSVGElement, selector: string): number {
  return svg.querySelectorAll(selector).length;
}

/** The SVG's markup. */
export function markup(svg: SVGSVGElement): string {
  return svg.outerHTML;
}

/**
 * Numbers in attribute values written with more than two decimals, or NaN/Infinity: what the
 * charts' rounding rule forbids (text content such as tooltips is not checked).
 */
export function badNumbers(svg: SVGSVGElement): string[] {
  const bad: string[] = [];
  for (const el of [svg, ...Array.from(svg.querySelectorAll('*'))]) {
    for (const a of Array.from(el.attributes)) {
      if (/\d\.\d{3,}|NaN|Infinity|undefined/.test(a.value)) bad.push(`<${el.tagName} ${a.name}="${a.value}">`);
    }
  }
  return bad;
}

/** Renders twice into fresh documents and returns both markups (for byte-identity checks). */
export function renderTwice(draw: (svg: SVGSVGElement) => void): [string, string] {
  const a = newSvg();
  draw(a);
  const b = newSvg();
  draw(b);
  return [markup(a), markup(b)];
}

/** A chart drawn into a fresh SVG. */
export function render<D, O>(chart: (svg: SVGSVGElement, data: D, opts: O) => void, data: D, opts: O): SVGSVGElement {
  const svg = newSvg();
  chart(svg, data, opts);
  return svg;
}

/** The text of the tick labels of one axis, in drawing order. */
export function tickLabels(svg: SVGSVGElement, axis: 'x' | 'y'): (string | null)[] {
  return Array.from(svg.querySelectorAll(`.${axis}-axis .tick-label`)).map((t) => t.textContent);
}

/** What the determinism rules ask of a chart: the same bytes from two renders, and every attribute number rounded to 0.01. */
export function stability<D, O>(chart: (svg: SVGSVGElement, data: D, opts: O) => void, data: D, opts: O): { sameBytes: boolean; badNumbers: string[] } {
  const [a, b] = renderTwice((svg) => chart(svg, data, opts));
  return { sameBytes: a === b, badNumbers: badNumbers(render(chart, data, opts)) };
}
