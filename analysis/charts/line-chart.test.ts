import { describe, expect, it } from 'vitest';
import { lineChart, type LineChartData } from './line-chart.js';
import { badNumbers, count, markup, newSvg, renderTwice } from './test-support/dom.js';
import { PAPER_THEME, SCREEN_THEME } from './theme.js';

const size = { width: 252, height: 160 };
const opts = { size, theme: PAPER_THEME };

const tlbSizes: LineChartData = {
  series: [
    { name: 'combined', points: [{ x: 8, y: 1.31 }, { x: 16, y: 1.2 }, { x: 32, y: 1.11 }, { x: 64, y: 1.05 }] },
    { name: 'separate', points: [{ x: 8, y: 1.42 }, { x: 16, y: 1.29 }, { x: 32, y: 1.17 }, { x: 64, y: 1.08 }] },
    { name: 'hybrid', points: [{ x: 8, y: 1.36 }, { x: 16, y: 1.22 }, { x: 32, y: 1.13 }] },
  ],
  xTitle: 'L1 DTLB entries',
  yTitle: 'CPI',
  logX: true,
};

describe('lineChart', () => {
  it('draws one path.line per series and one circle.point per point, with a legend entry per series', () => {
    const svg = newSvg();
    lineChart(svg, tlbSizes, opts);
    expect(count(svg, 'path.line')).toBe(3);
    expect(count(svg, 'circle.point')).toBe(11);
    expect(count(svg, '.legend-entry')).toBe(3);
    expect(svg.getAttribute('viewBox')).toBe('0 0 252 160');
    expect(svg.getAttribute('width')).toBe('252pt');
  });

  it('ticks a log2 x axis at the data x values', () => {
    const svg = newSvg();
    lineChart(svg, tlbSizes, opts);
    const labels = Array.from(svg.querySelectorAll('.x-axis .tick-label')).map((t) => t.textContent);
    expect(labels).toEqual(['8', '16', '32', '64']);
  });

  it('uses the given x tick labels', () => {
    const svg = newSvg();
    lineChart(svg, { ...tlbSizes, xTicks: [{ value: 8, label: '8 e' }, { value: 64, label: '64 e' }, { value: 1024, label: 'outside' }] }, opts);
    const labels = Array.from(svg.querySelectorAll('.x-axis .tick-label')).map((t) => t.textContent);
    expect(labels).toEqual(['8 e', '64 e']);
  });

  it('skips points with non-finite coordinates (and x <= 0 on a log axis) and series left without points', () => {
    const svg = newSvg();
    lineChart(
      svg,
      {
        series: [
          { name: 'a', points: [{ x: 0, y: 1 }, { x: 2, y: Number.NaN }, { x: 4, y: 2 }] },
          { name: 'b', points: [] },
        ],
        xTitle: 'x',
        yTitle: 'y',
        logX: true,
      },
      opts,
    );
    expect(count(svg, 'path.line')).toBe(1);
    expect(count(svg, 'circle.point')).toBe(1);
    expect(badNumbers(svg)).toEqual([]);
  });

  it('says "no data" when nothing can be plotted', () => {
    const svg = newSvg();
    lineChart(svg, { series: [], xTitle: 'x', yTitle: 'y' }, opts);
    expect(count(svg, 'text.empty')).toBe(1);
    expect(count(svg, 'path.line')).toBe(0);
  });

  it('writes coordinates rounded to 0.01 and the same bytes for the same input', () => {
    const [a, b] = renderTwice((svg) => lineChart(svg, { ...tlbSizes, series: [{ name: 'thirds', points: [{ x: 1 / 3, y: 2 / 3 }, { x: 2 / 3, y: 1 / 7 }] }], logX: false }, opts));
    expect(a).toBe(b);
    const svg = newSvg();
    lineChart(svg, { ...tlbSizes, series: [{ name: 'thirds', points: [{ x: 1 / 3, y: 2 / 3 }, { x: 2 / 3, y: 1 / 7 }] }], logX: false }, opts);
    expect(badNumbers(svg)).toEqual([]);
  });

  it('replaces what was drawn before when it draws again into the same element', () => {
    const svg = newSvg();
    lineChart(svg, tlbSizes, { size, theme: SCREEN_THEME });
    lineChart(svg, tlbSizes, opts);
    const fresh = newSvg();
    lineChart(fresh, tlbSizes, opts);
    expect(markup(svg)).toBe(markup(fresh));
  });

  it('calls onSelect with the series and point index of a clicked point', () => {
    const svg = newSvg();
    const picked: [number, number][] = [];
    lineChart(svg, tlbSizes, { ...opts, onSelect: (s, p) => picked.push([s, p]) });
    const points = svg.querySelectorAll('circle.point');
    points[5]!.dispatchEvent(new (svg.ownerDocument.defaultView as unknown as typeof globalThis).Event('click'));
    expect(picked).toEqual([[1, 1]]);
  });
});
