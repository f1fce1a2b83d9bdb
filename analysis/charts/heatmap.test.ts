import { describe, expect, it } from 'vitest';
import { heatmap, type HeatmapData } from './heatmap.js';
import { badNumbers, count, render, stability, tickLabels } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
import { PAPER_THEME, SCREEN_THEME } from './theme.js';

const opts = { size: { width: 252, height: 160 }, theme: PAPER_THEME };

const pageSizes: HeatmapData = {
  xLabels: ['4 KiB', '2 MiB', '1 GiB'],
  yLabels: ['4 KiB', '2 MiB', '1 GiB'],
  values: [
    [15, 11, 7],
    [11, 5, 4],
    [7, null, 3],
  ],
  xTitle: 'VS-stage page size',
  yTitle: 'G-stage page size',
  metric: 'references per walk',
};

describe('heatmap', () => {
  it('draws a rect.cell for each cell with a value and a rect.missing for each without', () => {
    const svg = render(heatmap, pageSizes, opts);
    expect(count(svg, 'rect.cell')).toBe(8);
    expect(count(svg, 'rect.missing')).toBe(1);
  });

  it('prints each value in its cell and draws a colour ramp with the metric as its title', () => {
    const svg = render(heatmap, pageSizes, opts);
    const labels = Array.from(svg.querySelectorAll('text.cell-label')).map((t) => t.textContent);
    expect(labels).toEqual(['15', '11', '7', '11', '5', '4', '7', '3']);
    expect(count(svg, 'rect.ramp')).toBeGreaterThan(4);
    expect(Array.from(svg.querySelectorAll('.colour-ramp .axis-title')).map((t) => t.textContent)).toEqual(['references per walk']);
  });

  it('colours the largest value with the last stop of the sequential scale and the smallest with the first', () => {
    const svg = render(heatmap, pageSizes, opts);
    const cells = Array.from(svg.querySelectorAll('rect.cell'));
    const fill = (i: number) => cells[i]!.getAttribute('fill');
    expect(fill(0)).toBe('rgb(253, 231, 37)'); // 15, the maximum: viridis yellow #fde725
    expect(fill(7)).toBe('rgb(68, 1, 84)'); // 3, the minimum: viridis purple #440154
  });

  it('handles rows shorter than the labels, all-missing data and no labels', () => {
    const short = render(heatmap, { ...pageSizes, values: [[1, 2]] }, opts);
    expect(count(short, 'rect.cell')).toBe(2);
    expect(count(short, 'rect.missing')).toBe(7);
    const none = render(heatmap, { ...pageSizes, values: [] }, opts);
    expect(count(none, 'rect.cell')).toBe(0);
    expect(badNumbers(none)).toEqual([]);
    const empty = render(heatmap, { ...pageSizes, xLabels: [] }, opts);
    expect(count(empty, 'text.empty')).toBe(1);
  });

  it('keeps the colour ramp, its labels and its title within the SVG, whatever the size and the values', () => {
    const values = [
      [150_000, 220_000],
      [-0.0512, 0.0234],
    ];
    for (const theme of [SCREEN_THEME, PAPER_THEME]) {
      for (const width of [252, 400, 598]) {
        const svg = render(heatmap, { xLabels: ['combined', 'separate'], yLabels: ['native', 'virtualized'], values, xTitle: 'organisation', yTitle: 'mode', metric: 'walk cycles per kilo-instruction' }, { size: { width, height: 180 }, theme });
        expect(outside(svg, theme)).toEqual([]);
      }
    }
  });

  it('shortens row labels too long for half the width, so that the cells and the ramp still fit', () => {
    const long = 'bench-gups · combined · 8 · native · with a very long tail';
    const svg = render(heatmap, { ...pageSizes, yLabels: [long, '2 MiB', '1 GiB'] }, { size: { width: 252, height: 180 }, theme: SCREEN_THEME });
    const shown = tickLabels(svg, 'y')[0]!;
    expect(shown.endsWith('…') && long.startsWith(shown.slice(0, -1))).toBe(true);
    expect(outside(svg, SCREEN_THEME)).toEqual([]);
    // The tooltip still names the row in full.
    expect(svg.querySelector('rect.cell title')!.textContent).toContain(long);
  });

  it('keeps rotated column labels within the SVG', () => {
    const xLabels = Array.from({ length: 6 }, (_, i) => `bench-gups · combined · ${8 << i} · native`);
    const svg = render(heatmap, { ...pageSizes, xLabels, values: [[1, 2, 3, 4, 5, 6]] }, { size: { width: 400, height: 300 }, theme: SCREEN_THEME });
    expect(svg.querySelector('.x-axis .tick-label')!.getAttribute('transform')).toContain('rotate(-45)');
    expect(outside(svg, SCREEN_THEME)).toEqual([]);
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    expect(stability(heatmap, pageSizes, { ...opts, size: { width: 251.333, height: 157.777 } })).toEqual({ sameBytes: true, badNumbers: [] });
  });
});
