/**
 * The chart functions shared by the browser dashboard and the paper-figure renderer: one function
 * per chart kind, data in, SVG out (into the element given), no global state. They use d3 for
 * scales, shapes and (timeline only, in a browser) zoom, and only the SVG element's own document.
 */
export { groupedBars, type GroupedBarsData, type GroupedBarsOptions } from './grouped-bars.js';
export { heatmap, type HeatmapData, type HeatmapOptions } from './heatmap.js';
export { histogram, type HistogramData, type HistogramOptions } from './histogram.js';
export { lineChart, type LineChartData, type LineChartOptions, type LinePoint } from './line-chart.js';
export { stackedBars, type StackedBarsData, type StackedBarsOptions } from './stacked-bars.js';
export { OKABE_ITO, PAPER_SIZES, PAPER_THEME, SCREEN_THEME, VIRIDIS_STOPS, type ChartSize, type ChartTheme } from './theme.js';
export { timeline, type TimelineData, type TimelineOptions } from './timeline.js';
