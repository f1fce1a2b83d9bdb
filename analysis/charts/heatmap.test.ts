import { describe, expect, it } from 'vitest';
import { heatmap, type HeatmapData } from './heatmap.js';
import { badNumbers, count, newSvg, renderTwice } from './test-support/dom.js';
import { PAPER_THEME } from './theme.js';

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
    const svg = newSvg();
    heatmap(svg, pageSizes, opts);
    expect(count(svg, 'rect.cell')).toBe(8);
    expect(count(svg, 'rect.missing')).toBe(1);
  });

  it('prints each value in its cell and draws a colour ramp with the metric as its title', () => {
    const svg = newSvg();
    heatmap(svg, pageSizes, opts);
    const labels = Array.from(svg.querySelectorAll('text.cell-label')).map((t) => t.textContent);
    expect(labels).toEqual(['15', '11', '7', '11', '5', '4', '7', '3']);
    expect(count(svg, 'rect.ramp')).toBeGreaterThan(4);
    expect(Array.from(svg.querySelectorAll('.colour-ramp .axis-title')).map((t) => t.textContent)).toEqual(['references per walk']);
  });

  it('colours the largest value with the last stop of the sequential scale and the smallest with the first', () => {
    const svg = newSvg();
    heatmap(svg, pageSizes, opts);
    const cells = Array.from(svg.querySelectorAll('rect.cell'));
    const fill = (i: number) => cells[i]!.getAttribute('fill');
    expect(fill(0)).toBe('rgb(253, 231, 37)'); // 15, the maximum: viridis yellow #fde725
    expect(fill(7)).toBe('rgb(68, 1, 84)'); // 3, the minimum: viridis purple #440154
  });

  it('handles rows shorter than the labels, all-missing data and no labels', () => {
    const short = newSvg();
    heatmap(short, { ...pageSizes, values: [[1, 2]] }, opts);
    expect(count(short, 'rect.cell')).toBe(2);
    expect(count(short, 'rect.missing')).toBe(7);
    const none = newSvg();
    heatmap(none, { ...pageSizes, values: [] }, opts);
    expect(count(none, 'rect.cell')).toBe(0);
    expect(badNumbers(none)).toEqual([]);
    const empty = newSvg();
    heatmap(empty, { ...pageSizes, xLabels: [] }, opts);
    expect(count(empty, 'text.empty')).toBe(1);
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    const [a, b] = renderTwice((svg) => heatmap(svg, pageSizes, { ...opts, size: { width: 251.333, height: 157.777 } }));
    expect(a).toBe(b);
    const svg = newSvg();
    heatmap(svg, pageSizes, { ...opts, size: { width: 251.333, height: 157.777 } });
    expect(badNumbers(svg)).toEqual([]);
  });
});
