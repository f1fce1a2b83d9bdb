import { describe, expect, it } from 'vitest';
import { groupedBars, type GroupedBarsData } from './grouped-bars.js';
import { badNumbers, count, newSvg, renderTwice } from './test-support/dom.js';
import { PAPER_THEME } from './theme.js';

const opts = { size: { width: 252, height: 160 }, theme: PAPER_THEME };

const walkCaches: GroupedBarsData = {
  groups: ['bench-gups', 'bench-chase', 'bench-stride'],
  series: ['none', 'PWC', 'nested TLB', 'both'],
  values: [
    [15, 6.2, 9.1, 4.4],
    [14.8, 6.9, null, 4.9],
    [12.1, 3.3, 7.5, 2.9],
  ],
  yTitle: 'references per walk',
};

describe('groupedBars', () => {
  it('draws a rect.bar per value and leaves a gap for a missing one', () => {
    const svg = newSvg();
    groupedBars(svg, walkCaches, opts);
    expect(count(svg, 'rect.bar')).toBe(11);
    expect(count(svg, '.legend-entry')).toBe(4);
    expect(Array.from(svg.querySelectorAll('.x-axis .tick-label')).map((t) => t.textContent)).toEqual(walkCaches.groups);
  });

  it('grows bars up from zero, and down from it for negative values', () => {
    const svg = newSvg();
    groupedBars(svg, { groups: ['a'], series: ['up', 'down'], values: [[2, -1]], yTitle: 'change' }, opts);
    const [up, down] = Array.from(svg.querySelectorAll('rect.bar'));
    const bottomOfUp = Number(up!.getAttribute('y')) + Number(up!.getAttribute('height'));
    expect(Number(down!.getAttribute('y'))).toBeCloseTo(bottomOfUp, 1);
    expect(count(svg, 'line.zero')).toBe(1);
  });

  it('draws an error whisker per bar that has both ends', () => {
    const svg = newSvg();
    const low = walkCaches.values.map((row) => row.map((v) => (v === null ? null : v - 0.5)));
    const high = walkCaches.values.map((row) => row.map((v) => (v === null ? null : v + 0.5)));
    groupedBars(svg, { ...walkCaches, errors: { low, high } }, opts);
    expect(count(svg, 'line.error')).toBe(11);
  });

  it('says "no data" when every value is missing', () => {
    const svg = newSvg();
    groupedBars(svg, { ...walkCaches, values: [[null]] }, opts);
    expect(count(svg, 'text.empty')).toBe(1);
    expect(count(svg, 'rect.bar')).toBe(0);
  });

  it('rotates group labels that would overlap', () => {
    const svg = newSvg();
    const groups = Array.from({ length: 12 }, (_, i) => `a-long-workload-name-${i}`);
    groupedBars(svg, { groups, series: ['x'], values: groups.map(() => [1]), yTitle: 'y' }, opts);
    expect(svg.querySelector('.x-axis .tick-label')!.getAttribute('transform')).toContain('rotate(-45)');
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    const [a, b] = renderTwice((svg) => groupedBars(svg, walkCaches, opts));
    expect(a).toBe(b);
    const svg = newSvg();
    groupedBars(svg, walkCaches, opts);
    expect(badNumbers(svg)).toEqual([]);
  });
});
