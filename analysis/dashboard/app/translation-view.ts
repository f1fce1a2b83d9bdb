import { groupedBars, stackedBars } from '../../charts/index.js';
import { comparisonOrder } from './compare-model.js';
import { element, figure, message, THEME } from './dom.js';
import { filterPoints } from './model.js';
import { translationCharts } from './translation-model.js';
import type { ViewContext } from './view.js';

/** Translation: walk rate, references per walk by stage and level, walk-cache hit rates and TLB miss rates per point. */
export function translationView(container: HTMLElement, ctx: ViewContext): void {
  const { model } = ctx;
  const points = filterPoints(model, ctx.state.filters);
  if (points.length === 0) return message(container, model.points.length === 0 ? 'No stored sweep points in this results directory.' : 'No stored point matches the filters.');
  const ordered = comparisonOrder(model, points);
  const t = translationCharts(model, points);
  const pick = (i: number): void => ctx.showPoints(t.walksPerKiloInsn.groups[i]!, [ordered[i]!]);
  const grid = element(container, 'div', { class: 'grid' });
  const opts = (f: ReturnType<typeof figure>) => ({ size: f.size, theme: THEME });

  const walks = figure(grid, 'walks', 'Page walks per kilo-instruction');
  walks.note('mmu.walker.walksNative / walksVirt / walksG per 1000 instructions.');
  groupedBars(walks.svg, t.walksPerKiloInsn, { ...opts(walks), onSelect: pick });

  const refs = figure(grid, 'refs-per-walk', 'PTE references per walk, by stage and level');
  refs.note('mmu.walker.refs.<stage>.l<level> / mmu.walker.walks: native, VS-stage and G-stage reads.');
  stackedBars(refs.svg, t.refsPerWalk, { ...opts(refs), onSelect: pick });

  const pwc = figure(grid, 'pwc-hit-rates', 'Walk-cache hit rates');
  pwc.note('1 - misses / lookups of the first-stage and G-stage page-walk caches and the nested TLB.');
  groupedBars(pwc.svg, t.pwcHitRates, { ...opts(pwc), onSelect: pick });

  const tlb = figure(grid, 'tlb-miss-rates', 'TLB miss rate per structure');
  tlb.note('mmu.<tlb>.misses / mmu.<tlb>.accesses.');
  groupedBars(tlb.svg, t.tlbMissRates, { ...opts(tlb), onSelect: pick });
}
