import { groupedBars, stackedBars } from '../../charts/index.js';
import { cpiStacks, comparisonOrder, nativeVsVirtualized } from './compare-model.js';
import { configLabel, distinguishingAxes, filterPoints } from './model.js';
import { figure, message, THEME } from './dom.js';
import type { ViewContext } from './view.js';

/**
 * Configuration comparison: the CPI stack of every selected point side by side (a configuration's
 * native run beside its virtualized one), and total CPI native vs virtualized per configuration.
 */

export function compareView(container: HTMLElement, ctx: ViewContext): void {
  const { model } = ctx;
  const points = filterPoints(model, ctx.state.filters);
  if (points.length === 0) return message(container, model.points.length === 0 ? 'No stored sweep points in this results directory.' : 'No stored point matches the filters.');
  const ordered = comparisonOrder(model, points);
  const stacks = cpiStacks(model, points);
  const fig = figure(container, 'cpi-stacks', 'CPI stack per configuration', 440);
  fig.note(`${points.length} point${points.length === 1 ? '' : 's'}; cycles per instruction by cause (timing.cpi.*). Click a bar for its point.`);
  stackedBars(fig.svg, stacks, { size: fig.size, theme: THEME, onSelect: (bi) => ctx.showPoints(stacks.bars[bi]!, [ordered[bi]!]) });

  const nv = nativeVsVirtualized(model, points);
  const nvFig = figure(container, 'native-vs-virtualized', 'CPI native vs virtualized', 340);
  if (nv === null) {
    nvFig.note('The selected points are all native or all virtualized.');
    groupedBars(nvFig.svg, { groups: [], series: [], values: [], yTitle: 'CPI' }, { size: nvFig.size, theme: THEME });
    return;
  }
  const axes = distinguishingAxes(model, ordered);
  nvFig.note('Mean CPI of each configuration run natively and under the hypervisor (V=1). Click a bar for its points.');
  groupedBars(nvFig.svg, nv, {
    size: nvFig.size,
    theme: THEME,
    onSelect: (gi, si) => ctx.showPoints(`${nv.groups[gi]}, ${nv.series[si]}`, ordered.filter((p) => configLabel(model, p, axes) === nv.groups[gi] && p.virtualized === (si === 1))),
  });
}
