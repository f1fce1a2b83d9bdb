import { select } from 'd3';
import { describe, expect, it } from 'vitest';
import { drawXAxis, shortenLabel, type Tick } from './axis.js';
import { textWidth, type G } from './frame.js';
import { newSvg } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
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
