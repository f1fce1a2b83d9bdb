import { groupedBars, histogram, stackedBars } from '../../charts/index.js';
import { element, figure, message, THEME } from './dom.js';
import { fenceCharts } from './fence-model.js';
import { filterPoints, sum } from './model.js';
import type { ViewContext } from './view.js';

/** Fences: how many of each kind, what one costs, what they dropped (stale vs collateral) and their shadow. */
export function fenceView(container: HTMLElement, ctx: ViewContext): void {
  const { model } = ctx;
  const points = filterPoints(model, ctx.state.filters);
  if (points.length === 0 && model.traces.length === 0) return message(container, 'No stored point matches the filters.');
  const f = fenceCharts(model, points);
  const opts = (fig: ReturnType<typeof figure>) => ({ size: fig.size, theme: THEME });
  const grid = element(container, 'div', { class: 'grid' });

  const counts = figure(grid, 'fence-counts', 'Fences executed, by kind');
  counts.note(`mmu.fence.<kind>.count summed over ${points.length} point${points.length === 1 ? '' : 's'}, native and virtualized runs apart.`);
  groupedBars(counts.svg, f.counts, opts(counts));

  const cost = figure(grid, 'fence-cost', 'Cost of one fence');
  const kept = sum(points.map((p) => p.fenceTotal));
  const shown = sum(points.map((p) => p.fences.length));
  cost.note(
    f.costSource === 'points'
      ? `TLB cycles of the ${shown === kept ? kept : `${shown} (evenly thinned from ${kept})`} fences the runs kept (mmu.tlb.fenceRecordLimit per run).`
      : f.costSource === 'traces'
        ? `TLB cycles of the ${f.cost.values.length} fences in the traces (the points kept none).`
        : 'No fence records: the runs kept none and there is no trace.',
  );
  histogram(cost.svg, f.cost, opts(cost));

  const dropped = figure(grid, 'stale-vs-collateral', 'Entries invalidated: stale vs collateral');
  dropped.note('Stale: inside the fence\'s architectural scope. Collateral: dropped only because the TLB could not tell it apart (missing ASID/VMID tags).');
  stackedBars(dropped.svg, f.staleVsCollateral, opts(dropped));

  const shadow = figure(grid, 'fence-shadow', 'Fence cycles and shadow cycles');
  shadow.note('Shadow: walks soon after a fence that refilled an entry it dropped collaterally (mmu.fence.<kind>.shadowCycles).');
  groupedBars(shadow.svg, f.shadow, opts(shadow));
}
