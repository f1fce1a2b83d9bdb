import { heatmap } from './heatmap.js';
import { timeline } from './timeline.js';
import { PAPER_THEME, SCREEN_THEME, type ChartTheme } from './theme.js';

export interface Case { name: string; theme: ChartTheme; draw: (svg: SVGSVGElement) => void }
const cases: Case[] = [];
const add = (name: string, theme: ChartTheme, draw: (svg: SVGSVGElement, t: ChartTheme) => void): void => void cases.push({ name, theme, draw: (svg) => draw(svg, theme) });
for (const [tn, theme] of [['screen', SCREEN_THEME], ['paper', PAPER_THEME]] as const) {
  for (const width of [252, 400, 598]) {
    const size = { width, height: 180 };
    add(`heatmap-longy-${tn}-${width}`, theme, (svg, t) => heatmap(svg, { xLabels: ['a', 'b'], yLabels: ['bench-gups · combined · 8 · native', 'x'], values: [[1, 2], [3, 4]], xTitle: 'x', yTitle: 'configuration', metric: 'CPI' }, { size, theme: t }));
    add(`heatmap-neg-${tn}-${width}`, theme, (svg, t) => heatmap(svg, { xLabels: ['a', 'b'], yLabels: ['c', 'd'], values: [[-0.0512, 0.0234], [-0.0311, -0.0444]], xTitle: 'x', yTitle: 'y', metric: 'CPI change' }, { size, theme: t }));
    add(`heatmap-same-${tn}-${width}`, theme, (svg, t) => heatmap(svg, { xLabels: ['a', 'b'], yLabels: ['c', 'd'], values: [[1234567, 1234567], [1234567, 1234567]], xTitle: '', yTitle: '', metric: 'cycles' }, { size, theme: t }));
    for (const domain of [[0, 200000], [0, 100001], [100, 1234567], [150000, 150123], [150000.5, 150001.7], [199000, 200000], [-5, 7]] as [number, number][]) {
      add(`timeline-${domain.join('-')}-${tn}-${width}`, theme, (svg, t) => timeline(svg, { series: [{ name: 'IPC', t: [0, 100000, 200000], v: [0.5, 0.8, 0.4] }], bands: [], markers: [], tTitle: 'cycle', vTitle: 'IPC' }, { size, theme: t, domain }));
    }
  }
}
export const CASES = cases;
