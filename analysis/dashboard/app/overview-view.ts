import { groupedBars, heatmap, lineChart } from '../../charts/index.js';
import { element, figure, message, selectControl, THEME } from './dom.js';
import { defaultMetric, metricChoices, parseDashboardMetric, type Metric, type Model } from './model.js';
import { averagedAxes, overviewChart } from './overview-model.js';
import type { ViewContext } from './view.js';

/**
 * Sweep overview: pick a metric and one or two axes. Two axes: a heatmap; one: lines (numeric
 * axis) or grouped bars, a series per workload. Clicking a cell, point or bar lists its points.
 */

export function overviewView(container: HTMLElement, ctx: ViewContext): void {
  const { model, state } = ctx;
  if (model.points.length === 0) return message(container, 'No stored sweep points in this results directory.');
  const metric = resolveMetric(model, state.metric, container);
  const x = model.axes.some((a) => a.path === state.x) ? state.x : (model.axes[0]?.path ?? '');
  const y = state.y !== x && model.axes.some((a) => a.path === state.y) ? state.y : '';

  const controls = element(container, 'div', { class: 'controls' });
  const choices = metricChoices(model).map((c) => ({ value: c.expr, label: c.label, group: c.label === c.expr ? 'statistics' : 'metrics' }));
  if (!choices.some((c) => c.value === metric.expr)) choices.unshift({ value: metric.expr, label: metric.expr, group: 'from the URL' });
  selectControl(controls, 'metric', 'Metric', choices, metric.expr, (v) => ctx.setState({ metric: v }));
  const axisChoices = model.axes.map((a) => ({ value: a.path, label: a.path }));
  selectControl(controls, 'x', 'X axis', axisChoices, x, (v) => ctx.setState({ x: v, y: v === y ? '' : y }));
  selectControl(controls, 'y', 'Y axis', [{ value: '', label: '(none: lines or bars)' }, ...axisChoices.filter((c) => c.value !== x)], y, (v) => ctx.setState({ x, y: v }));

  const req = { metric, x, y: y === '' ? null : y, filters: state.filters };
  const chart = overviewChart(model, req);
  if (chart.kind === 'none') return message(container, chart.reason);
  const fig = figure(container, 'overview', `${metric.label} by ${x}${y === '' ? '' : ` and ${y}`}`, 420);
  const averaged = averagedAxes(model, req);
  fig.note(averaged.length === 0 ? 'Click a cell, point or bar for its points.' : `Each mark is the mean over ${averaged.join(', ')} (fix them with the filters above). Click a mark for its points.`);
  const opts = { size: fig.size, theme: THEME };
  switch (chart.kind) {
    case 'heatmap':
      heatmap(fig.svg, chart.data, { ...opts, onSelect: (xi, yi) => ctx.showPoints(`${x} = ${chart.data.xLabels[xi]}, ${y} = ${chart.data.yLabels[yi]}`, chart.members[yi]![xi]!, metric) });
      break;
    case 'line':
      lineChart(fig.svg, chart.data, {
        ...opts,
        onSelect: (si, pi) => ctx.showPoints(`${chart.data.series[si]!.name}, ${x} = ${chart.data.series[si]!.points[pi]!.label ?? ''}`, chart.members[si]![pi]!, metric),
      });
      break;
    case 'bars':
      groupedBars(fig.svg, chart.data, { ...opts, onSelect: (gi, si) => ctx.showPoints(`${x} = ${chart.data.groups[gi]}, ${chart.data.series[si]}`, chart.members[gi]![si]!, metric) });
      break;
  }
}

/** The metric of the state, or the default one if it is empty or names an unknown statistic (said so on the page). */
function resolveMetric(model: Model, expr: string, container: HTMLElement): Metric {
  const known = new Set(model.statNames);
  if (expr !== '') {
    try {
      return parseDashboardMetric(expr, known);
    } catch (e) {
      message(container, `${(e as Error).message}; showing the default metric.`);
    }
  }
  return parseDashboardMetric(defaultMetric(model), known);
}
