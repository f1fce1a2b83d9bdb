import { describe, expect, it } from 'vitest';
import { groupedBars, type GroupedBarsData } from './grouped-bars.js';
import { count, render, stability, tickLabels } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
import { PAPER_THEME, SCREEN_THEME } from './theme.js';

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

/** Twelve groups named like dashboard configurations: too long to stand upright under their bars. */
const longGroups = Array.from({ length: 12 }, (_, i) => `bench-gups · combined · ${8 << i} · native`);

describe('groupedBars', () => {
  it('draws a rect.bar per value and leaves a gap for a missing one', () => {
    const svg = render(groupedBars, walkCaches, opts);
    expect(count(svg, 'rect.bar')).toBe(11);
    expect(count(svg, '.legend-entry')).toBe(4);
    expect(tickLabels(svg, 'x')).toEqual(walkCaches.groups);
  });

  it('grows bars up from zero, and down from it for negative values', () => {
    const svg = render(groupedBars, { groups: ['a'], series: ['up', 'down'], values: [[2, -1]], yTitle: 'change' }, opts);
    const [up, down] = Array.from(svg.querySelectorAll('rect.bar'));
    const bottomOfUp = Number(up!.getAttribute('y')) + Number(up!.getAttribute('height'));
    expect(Number(down!.getAttribute('y'))).toBeCloseTo(bottomOfUp, 1);
    expect(count(svg, 'line.zero')).toBe(1);
  });

  it('draws an error whisker per bar that has both ends', () => {
    const low = walkCaches.values.map((row) => row.map((v) => (v === null ? null : v - 0.5)));
    const high = walkCaches.values.map((row) => row.map((v) => (v === null ? null : v + 0.5)));
    const svg = render(groupedBars, { ...walkCaches, errors: { low, high } }, opts);
    expect(count(svg, 'line.error')).toBe(11);
  });

  it('says "no data" when every value is missing', () => {
    const svg = render(groupedBars, { ...walkCaches, values: [[null]] }, opts);
    expect(count(svg, 'text.empty')).toBe(1);
    expect(count(svg, 'rect.bar')).toBe(0);
  });

  it('rotates group labels that would overlap', () => {
    const groups = Array.from({ length: 12 }, (_, i) => `a-long-workload-name-${i}`);
    const svg = render(groupedBars, { groups, series: ['x'], values: groups.map(() => [1]), yTitle: 'y' }, opts);
    expect(svg.querySelector('.x-axis .tick-label')!.getAttribute('transform')).toContain('rotate(-45)');
  });

  it('moves the plot right so that the first rotated group label is not cut at the left edge', () => {
    for (const theme of [SCREEN_THEME, PAPER_THEME]) {
      for (const width of [252, 598]) {
        const svg = render(groupedBars, { groups: longGroups, series: ['x', 'y'], values: longGroups.map(() => [1, 2]), yTitle: 'walks per kilo-instruction' }, { size: { width, height: 340 }, theme });
        expect(svg.querySelector('.x-axis .tick-label')!.getAttribute('transform')).toContain('rotate(-45)');
        expect(outside(svg, theme)).toEqual([]);
      }
    }
  });

  it('shortens rotated group labels, with an ellipsis, that would take more than 40% of the height', () => {
    const svg = render(groupedBars, { groups: longGroups, series: ['x'], values: longGroups.map(() => [1]), yTitle: 'y' }, { size: { width: 598, height: 120 }, theme: SCREEN_THEME });
    const labels = tickLabels(svg, 'x');
    expect(labels.every((l) => l!.endsWith('…') && longGroups.some((g) => g.startsWith(l!.slice(0, -1))))).toBe(true);
    expect(outside(svg, SCREEN_THEME)).toEqual([]);
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    expect(stability(groupedBars, walkCaches, opts)).toEqual({ sameBytes: true, badNumbers: [] });
  });
});
