import { describe, expect, it } from 'vitest';
import { timeline, type TimelineData } from './timeline.js';
import { badNumbers, count, render, renderTwice, stability, tickLabels } from './test-support/dom.js';
import { outside, shownText } from './test-support/extent.js';
import { textWidth } from './frame.js';
import { PAPER_THEME, SCREEN_THEME } from './theme.js';

const opts = { size: { width: 600, height: 200 }, theme: SCREEN_THEME };

const trace: TimelineData = {
  series: [
    { name: 'DTLB misses', t: [0, 100, 200, 300, 400], v: [5, 9, 2, 7, 4] },
    { name: 'walk cycles', t: [0, 100, 200, 300, 400], v: [50, 90, 20, 70, 40] },
  ],
  bands: [
    { start: 0, end: 150, label: 'guest 0' },
    { start: 150, end: 300, label: 'guest 1' },
    { start: 300, end: 400, label: 'guest 0' },
  ],
  markers: [
    { t: 150, kind: 'hfence.gvma', label: 'switch to guest 1' },
    { t: 300, kind: 'hfence.gvma', label: 'switch to guest 0' },
    { t: 320, kind: 'satp', label: 'satp write' },
  ],
  tTitle: 'cycles',
};

describe('timeline', () => {
  it('draws a path.line per series, a rect.band per interval and a line.marker per instant', () => {
    const svg = render(timeline, trace, opts);
    expect(count(svg, 'path.line')).toBe(2);
    expect(count(svg, 'rect.band')).toBe(3);
    expect(count(svg, 'line.marker')).toBe(3);
    expect(count(svg, 'clipPath')).toBe(1);
  });

  it('draws only what falls in the given domain', () => {
    const svg = render(timeline, trace, { ...opts, domain: [160, 310] });
    expect(count(svg, 'rect.band')).toBe(2);
    expect(count(svg, 'line.marker')).toBe(1);
    // The line keeps one sample on each side of the domain so it reaches the clip edges.
    expect(svg.querySelector('path.line')!.getAttribute('d')!.match(/[ML]/g)!.length).toBe(4);
  });

  it('gives one colour to markers of one kind', () => {
    const svg = render(timeline, trace, opts);
    const colours = Array.from(svg.querySelectorAll('line.marker')).map((m) => m.getAttribute('stroke'));
    expect(colours[0]).toBe(colours[1]);
    expect(colours[2]).not.toBe(colours[0]);
  });

  it('names the series, each band label and each marker kind in a legend, in the colours of their marks', () => {
    const svg = render(timeline, trace, opts);
    const entries = Array.from(svg.querySelectorAll('.legend-entry'));
    expect(entries.map((e) => e.textContent)).toEqual(['DTLB misses', 'walk cycles', 'guest 0', 'guest 1', 'hfence.gvma', 'satp']);
    for (const label of ['guest 0', 'guest 1']) {
      const swatch = entries.find((e) => e.textContent === label)!.querySelector('rect')!;
      const band = Array.from(svg.querySelectorAll('rect.band')).find((b) => b.querySelector('title')!.textContent!.startsWith(`${label}:`))!;
      expect(swatch.closest('.legend-entry')!.getAttribute('class')).toBe('legend-entry band');
      expect([swatch.getAttribute('fill'), swatch.getAttribute('fill-opacity')]).toEqual([band.getAttribute('fill'), band.getAttribute('fill-opacity')]);
    }
    for (const kind of ['hfence.gvma', 'satp']) {
      const swatch = entries.find((e) => e.textContent === kind)!.querySelector('line')!;
      const marker = Array.from(svg.querySelectorAll('line.marker')).find((m) => m.querySelector('title')!.textContent!.startsWith(`${kind} at`))!;
      expect(swatch.closest('.legend-entry')!.getAttribute('class')).toBe('legend-entry marker');
      expect(swatch.getAttribute('stroke')).toBe(marker.getAttribute('stroke'));
      // Upright, like the marker it stands for.
      expect(swatch.getAttribute('x1')).toBe(swatch.getAttribute('x2'));
    }
  });

  it('names bands and markers even for a single series (which the value axis names), and puts the legend above the plot', () => {
    const svg = render(timeline, { ...trace, series: trace.series.slice(0, 1) }, opts);
    expect(Array.from(svg.querySelectorAll('.legend-entry')).map((e) => e.textContent)).toEqual(['guest 0', 'guest 1', 'hfence.gvma', 'satp']);
    const plotTop = Number(svg.querySelector('clipPath rect')!.getAttribute('y'));
    for (const t of Array.from(svg.querySelectorAll('.legend text'))) expect(Number(t.getAttribute('y'))).toBeLessThan(plotTop);
    expect(count(render(timeline, { ...trace, series: trace.series.slice(0, 1), bands: [], markers: [] }, opts), '.legend')).toBe(0);
  });

  it('starts at `view` within `domain`, and shows all of the domain for a view outside it', () => {
    const zoomed = render(timeline, trace, { ...opts, domain: [0, 400], view: [160, 310] });
    expect(count(zoomed, 'rect.band')).toBe(2);
    expect(count(zoomed, 'line.marker')).toBe(1);
    const stale = render(timeline, trace, { ...opts, domain: [0, 400], view: [500, 900] });
    expect(count(stale, 'line.marker')).toBe(3);
  });

  it('shortens a value-axis title too long for a 180 px chart to the plot height, with the full title as its tooltip', () => {
    const long = 'mmu.walker.refs.gstage per kilo-cycle';
    for (const theme of [SCREEN_THEME, PAPER_THEME]) {
      const svg = render(timeline, { ...trace, vTitle: long }, { size: { width: 600, height: 180 }, theme });
      const title = svg.querySelector('.y-axis .axis-title')!;
      const clip = svg.querySelector('clipPath rect')!;
      expect(shownText(title).endsWith('…')).toBe(true);
      expect(textWidth(shownText(title), theme, theme.titleFontSize)).toBeLessThanOrEqual(Number(clip.getAttribute('height')));
      expect(title.querySelector('title')!.textContent).toBe(long);
    }
    const tall = render(timeline, { ...trace, vTitle: long }, { size: { width: 600, height: 400 }, theme: SCREEN_THEME });
    expect(tall.querySelector('.y-axis .axis-title')!.textContent).toBe(long);
  });

  it('does not attach zoom under linkedom, and draws the same as without it', () => {
    const [plain] = renderTwice((svg) => timeline(svg, trace, opts));
    const [zoomable] = renderTwice((svg) => timeline(svg, trace, { ...opts, zoomable: true }));
    expect(zoomable).toBe(plain);
  });

  it('keeps a long series to a few samples per pixel column', () => {
    const t = Array.from({ length: 100_000 }, (_, i) => i);
    const v = t.map((i) => (i * 7919) % 101);
    const svg = render(timeline, { series: [{ name: 's', t, v }], bands: [], markers: [], tTitle: 't' }, { ...opts, size: { width: 300, height: 120 } });
    const vertices = svg.querySelector('path.line')!.getAttribute('d')!.match(/[ML]/g)!.length;
    expect(vertices).toBeLessThanOrEqual(4 * 300);
    expect(vertices).toBeGreaterThan(100);
  });

  it('handles an empty trace, and series whose t and v differ in length', () => {
    const none = render(timeline, { series: [], bands: [], markers: [], tTitle: 't' }, opts);
    expect(count(none, 'text.empty')).toBe(1);
    const ragged = render(timeline, { series: [{ name: 's', t: [1, 2, 3], v: [1] }], bands: [], markers: [], tTitle: 't' }, opts);
    expect(count(ragged, 'path.line')).toBe(1);
    expect(badNumbers(ragged)).toEqual([]);
  });

  it('keeps the last time label (200k at the end of the axis) and every mark within the SVG', () => {
    const run = { series: [{ name: 'IPC', t: [0, 100_000, 200_000], v: [0.5, 0.8, 0.4] }], bands: [{ start: 0, end: 200_000, label: 'HS' }], markers: [{ t: 150_050, kind: 'fence', label: 'sfence.vma' }], tTitle: 'cycle', vTitle: 'IPC' };
    for (const theme of [SCREEN_THEME, PAPER_THEME]) {
      for (const width of [252, 600, 1228]) {
        const svg = render(timeline, run, { size: { width, height: 200 }, theme, domain: [0, 200_000] });
        expect(tickLabels(svg, 'x').at(-1)).toBe('200k');
        expect(outside(svg, theme)).toEqual([]);
      }
    }
  });

  it('renders the same bytes for the same input, with coordinates rounded to 0.01', () => {
    expect(stability(timeline, trace, { ...opts, domain: [13.37, 333.3333] })).toEqual({ sameBytes: true, badNumbers: [] });
  });
});
