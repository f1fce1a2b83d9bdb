import { select } from 'd3';
import { describe, expect, it } from 'vitest';
import { drawXAxis, drawYAxis, shortenLabel, type Tick } from './axis.js';
import { textWidth, type G } from './frame.js';
import { newSvg } from './test-support/dom.js';
import { outside, shownText } from './test-support/extent.js';
import { SCREEN_THEME } from './theme.js';

const theme = SCREEN_THEME;
const area = { x0: 40, x1: 280, y0: 10, y1: 150 };

/** An x axis drawn into a 300 x 180 SVG, as a zoomed timeline draws it with ticks of the visible range. */
function axis(ticks: Tick[]): SVGSVGElement {
  const svg = newSvg();
  svg.setAttribute('viewBox', '0 0 300 180');
  drawXAxis(select(svg).append('g') as unknown as G, area, ticks, 'cycle', theme, { slot: 60, width: 300 });
  return svg;
}

const anchors = (svg: SVGSVGElement): (string | null)[] => Array.from(svg.querySelectorAll('.tick-label')).map((t) => t.getAttribute('text-anchor'));

describe('drawXAxis', () => {
  it('centres upright labels under their ticks', () => {
    const svg = axis([
      { pos: 100, label: '150k' },
      { pos: 200, label: '160k' },
    ]);
    expect(anchors(svg)).toEqual(['middle', 'middle']);
  });

  it('anchors a label at its tick when centred it would cross the right or left edge (a zoomed axis ending on a long label)', () => {
    const svg = axis([
      { pos: 10, label: '150.005k' },
      { pos: 160, label: '150.01k' },
      { pos: 280, label: '150.015k' },
    ]);
    expect(anchors(svg)).toEqual(['start', 'middle', 'end']);
    expect(outside(svg, theme)).toEqual([]);
  });
});

describe('shortenLabel', () => {
  it('keeps a label that fits and cuts one that does not, with an ellipsis, to the width', () => {
    expect(shortenLabel('bench-gups', theme, 200)).toBe('bench-gups');
    const short = shortenLabel('bench-gups · combined · 8 · native', theme, 60);
    expect(short.endsWith('…')).toBe(true);
    expect(textWidth(short, theme)).toBeLessThanOrEqual(60);
    expect('bench-gups · combined · 8 · native'.startsWith(short.slice(0, -1))).toBe(true);
  });
});

describe('drawYAxis', () => {
  /** A y axis along a plot `height` tall, titled `title`. */
  function yAxis(title: string, height: number): Element {
    const svg = newSvg();
    const plot = { x0: 60, x1: 280, y0: 10, y1: 10 + height };
    drawYAxis(select(svg).append('g') as unknown as G, plot, [{ pos: plot.y1, label: '0' }], title, theme);
    return svg.querySelector('.axis-title')!;
  }
  const long = 'mmu.walker.refs.gstage per kilo-cycle';

  it('cuts a title longer than the plot is tall with an ellipsis, and keeps the full title in a <title> child for the tooltip', () => {
    const title = yAxis(long, 120);
    const shown = shownText(title);
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect(textWidth(shown, theme, theme.titleFontSize)).toBeLessThanOrEqual(120);
    expect(title.querySelector('title')!.textContent).toBe(long);
  });

  it('leaves a title that fits the plot whole, without a tooltip', () => {
    const title = yAxis(long, 400);
    expect(title.textContent).toBe(long);
    expect(title.querySelector('title')).toBeNull();
  });
});
