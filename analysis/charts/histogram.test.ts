import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.js';
import { badNumbers, count, render, stability } from './test-support/dom.js';
import { PAPER_THEME } from './theme.js';

const opts = { size: { width: 252, height: 160 }, theme: PAPER_THEME };
const latencies = [3, 3, 4, 4, 4, 5, 9, 15, 15, 16, 22, 40];

describe('histogram', () => {
  it('draws exactly the requested number of rect.bin, empty bins included', () => {
    const svg = render(histogram, { values: latencies, bins: 8, xTitle: 'walk cycles' }, opts);
    expect(count(svg, 'rect.bin')).toBe(8);
    const heights = Array.from(svg.querySelectorAll('rect.bin')).map((r) => Number(r.getAttribute('height')));
    expect(heights.filter((h) => h === 0).length).toBeGreaterThan(0);
  });

  it('counts every value once', () => {
    const svg = render(histogram, { values: latencies, bins: 5, xTitle: 'walk cycles' }, opts);
    const counts = Array.from(svg.querySelectorAll('rect.bin title')).map((t) => Number(t.textContent!.split(': ')[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(latencies.length);
  });

  it('uses Sturges bins by default, one bin when all values are equal, and "no data" for none', () => {
    const sturges = render(histogram, { values: latencies, xTitle: 'x' }, opts);
    expect(count(sturges, 'rect.bin')).toBe(Math.ceil(Math.log2(latencies.length)) + 1);
    const same = render(histogram, { values: [7, 7, 7], xTitle: 'x' }, opts);
    expect(count(same, 'rect.bin')).toBe(1);
    expect(badNumbers(same)).toEqual([]);
    const none = render(histogram, { values: [Number.NaN], xTitle: 'x' }, opts);
    expect(count(none, 'text.empty')).toBe(1);
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    expect(stability(histogram, { values: latencies.map((v) => v / 3), bins: 7, xTitle: 'x' }, opts)).toEqual({ sameBytes: true, badNumbers: [] });
  });
});
