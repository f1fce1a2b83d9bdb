import { describe, expect, it } from 'vitest';
import { stackedBars, type StackedBarsData } from './stacked-bars.js';
import { count, render, stability } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
import { PAPER_THEME, SCREEN_THEME } from './theme.js';

const opts = { size: { width: 252, height: 160 }, theme: PAPER_THEME };

const cpiStacks: StackedBarsData = {
  bars: ['native', 'virtualized'],
  layers: ['base', 'dcache', 'dtlb', 'branch'],
  values: [
    [1, 0.62, 0.05, 0],
    [1, 0.64, 0.31, 0.02],
  ],
  yTitle: 'CPI',
};

describe('stackedBars', () => {
  it('draws a rect.segment per non-zero value, stacked in layer order', () => {
    const svg = render(stackedBars, cpiStacks, opts);
    expect(count(svg, 'rect.segment')).toBe(7);
    const segs = Array.from(svg.querySelectorAll('rect.segment')).slice(0, 3);
    // The second segment of the first bar sits directly on the first.
    expect(Number(segs[1]!.getAttribute('y')) + Number(segs[1]!.getAttribute('height'))).toBeCloseTo(Number(segs[0]!.getAttribute('y')), 1);
    expect(count(svg, '.legend-entry')).toBe(4);
  });

  it('makes the stack as tall as the sum of its layers', () => {
    const svg = render(stackedBars, { bars: ['a', 'b'], layers: ['x', 'y'], values: [[1, 1], [2, 0]], yTitle: 'v' }, opts);
    const segs = Array.from(svg.querySelectorAll('rect.segment'));
    const height = (i: number) => Number(segs[i]!.getAttribute('height'));
    expect(height(0) + height(1)).toBeCloseTo(height(2), 1);
  });

  it('says "no data" for bars without layers', () => {
    const svg = render(stackedBars, { bars: [], layers: [], values: [], yTitle: 'CPI' }, opts);
    expect(count(svg, 'text.empty')).toBe(1);
  });

  it('keeps rotated bar labels and every segment within the SVG', () => {
    const bars = Array.from({ length: 9 }, (_, i) => `bench-gups · separate · ${8 << i} · virtualized`);
    const svg = render(stackedBars, { bars, layers: ['base', 'dtlb'], values: bars.map(() => [1, 0.4]), yTitle: 'CPI' }, { size: { width: 598, height: 340 }, theme: SCREEN_THEME });
    expect(outside(svg, SCREEN_THEME)).toEqual([]);
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    expect(stability(stackedBars, cpiStacks, opts)).toEqual({ sameBytes: true, badNumbers: [] });
  });
});
