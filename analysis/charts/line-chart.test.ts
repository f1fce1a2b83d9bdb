import { describe, expect, it } from 'vitest';
import { lineChart, type LineChartData } from './line-chart.js';
import { badNumbers, count, markup, render, stability, tickLabels } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
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
    const svg = render(lineChart, tlbSizes, opts);
    expect(count(svg, 'path.line')).toBe(3);
    expect(count(svg, 'circle.point')).toBe(11);
    expect(count(svg, '.legend-entry')).toBe(3);
    expect(svg.getAttribute('viewBox')).toBe('0 0 252 160');
    expect(svg.getAttribute('width')).toBe('252pt');
  });

  it('ticks a log2 x axis at the data x values', () => {
    const svg = render(lineChart, tlbSizes, opts);
    const labels = tickLabels(svg, 'x');
    expect(labels).toEqual(['8', '16', '32', '64']);
  });

  it('uses the given x tick labels', () => {
    const svg = render(lineChart, { ...tlbSizes, xTicks: [{ value: 8, label: '8 e' }, { value: 64, label: '64 e' }, { value: 1024, label: 'outside' }] }, opts);
    const labels = tickLabels(svg, 'x');
    expect(labels).toEqual(['8 e', '64 e']);
  });

  it('skips points with non-finite coordinates (and x <= 0 on a log axis) and series left without points', () => {
    const svg = render(
      lineChart,
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
    const svg = render(lineChart, { series: [], xTitle: 'x', yTitle: 'y' }, opts);
    expect(count(svg, 'text.empty')).toBe(1);
    expect(count(svg, 'path.line')).toBe(0);
  });

  it('writes coordinates rounded to 0.01 and the same bytes for the same input', () => {
    expect(stability(lineChart, { ...tlbSizes, series: [{ name: 'thirds', points: [{ x: 1 / 3, y: 2 / 3 }, { x: 2 / 3, y: 1 / 7 }] }], logX: false }, opts)).toEqual({ sameBytes: true, badNumbers: [] });
  });

  it('keeps the last x label, the points and the legend within the SVG', () => {
    const svg = render(lineChart, { ...tlbSizes, xTicks: [{ value: 8, label: '8 entries' }, { value: 64, label: '64 entries' }] }, opts);
    expect(outside(svg, PAPER_THEME)).toEqual([]);
  });

  it('replaces what was drawn before when it draws again into the same element', () => {
    const svg = render(lineChart, tlbSizes, { size, theme: SCREEN_THEME });
    lineChart(svg, tlbSizes, opts);
    const fresh = render(lineChart, tlbSizes, opts);
    expect(markup(svg)).toBe(markup(fresh));
  });

  it('calls onSelect with the series and point index of a clicked point', () => {
    const picked: [number, number][] = [];
    const svg = render(lineChart, tlbSizes, { ...opts, onSelect: (s, p) => picked.push([s, p]) });
    const points = svg.querySelectorAll('circle.point');
    points[5]!.dispatchEvent(new (svg.ownerDocument.defaultView as unknown as typeof globalThis).Event('click'));
    expect(picked).toEqual([[1, 1]]);
  });
});
