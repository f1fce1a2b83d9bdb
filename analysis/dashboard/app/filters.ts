import { element, selectControl } from './dom.js';
import type { ViewContext } from './view.js';

/**
 * The point filter shared by the sweep views: per axis, all values or one. In the overview the
 * axes on the chart are not filtered (their selects are disabled).
 */
export function filterBar(parent: HTMLElement, ctx: ViewContext, onChart: readonly string[]): void {
  const { model, state } = ctx;
  if (model.axes.length === 0) return;
  const bar = element(parent, 'div', { class: 'filters' });
  element(bar, 'span', { class: 'filters-title' }, 'Points:');
  for (const axis of model.axes) {
    const current = state.filters[axis.path] ?? '';
    const choices = [{ value: '', label: 'all' }, ...axis.labels.map((l) => ({ value: l, label: l }))];
    const sel = selectControl(bar, `f.${axis.path}`, axis.path, choices, current, (v) => {
      const filters = { ...state.filters };
      if (v === '') delete filters[axis.path];
      else filters[axis.path] = v;
      ctx.setState({ filters });
    });
    if (onChart.includes(axis.path)) {
      sel.disabled = true;
      sel.title = 'on the chart';
    }
  }
}
