import type { GroupedBarsData, StackedBarsData } from '../../charts/index.js';
import { comparisonOrder } from './compare-model.js';
import { pointLabels, type Model, type Point } from './model.js';

/**
 * The translation view, one group (or bar) per point: walks per kilo-instruction by kind, PTE
 * references per walk by stage and level, page-walk-cache hit rates and TLB miss rates per
 * structure. Statistic names: mmu/walker/walker-stats.ts and mmu/tlb/tlb-structure.ts.
 */

export interface TranslationCharts {
  walksPerKiloInsn: GroupedBarsData;
  refsPerWalk: StackedBarsData;
  pwcHitRates: GroupedBarsData;
  tlbMissRates: GroupedBarsData;
}

const WALK_KINDS = [
  { stat: 'mmu.walker.walksNative', name: 'native' },
  { stat: 'mmu.walker.walksVirt', name: 'two-stage (V=1)' },
  { stat: 'mmu.walker.walksG', name: 'G-stage only' },
];
/** Rows of the walker's refs-by-level table (walker-stats.ts STAGE_NAMES), levels 0..4. */
const STAGES = ['native', 'vs', 'g'];
const LEVELS = [4, 3, 2, 1, 0];
const WALK_CACHES = [
  { prefix: 'mmu.pwc.first', name: 'first-stage PWC' },
  { prefix: 'mmu.pwc.g', name: 'G-stage PWC' },
  { prefix: 'mmu.nestedTlb', name: 'nested TLB' },
];
/** mmu.<name>.accesses statistics that are not TLB structures. */
const NOT_TLBS = new Set(['walker', 'pwc', 'fence', 'nestedTlb']);

export function translationCharts(model: Model, points: readonly Point[]): TranslationCharts {
  const ordered = comparisonOrder(model, points);
  const { labels, title } = pointLabels(model, ordered);
  const stat = (p: Point, name: string): number => p.stats[name] ?? 0;
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

  const walkKinds = WALK_KINDS.filter((k) => ordered.some((p) => stat(p, k.stat) > 0));
  const walksPerKiloInsn: GroupedBarsData = {
    groups: labels,
    series: walkKinds.map((k) => k.name),
    values: ordered.map((p) => walkKinds.map((k) => ratio(1000 * stat(p, k.stat), stat(p, 'timing.instructions')))),
    yTitle: 'walks per kilo-instruction',
    xTitle: title,
  };

  const refLayers = STAGES.flatMap((st) => LEVELS.map((l) => `${st}.l${l}`)).filter((layer) => ordered.some((p) => stat(p, `mmu.walker.refs.${layer}`) > 0));
  const refsPerWalk: StackedBarsData = {
    bars: labels,
    layers: refLayers,
    values: ordered.map((p) => refLayers.map((layer) => ratio(stat(p, `mmu.walker.refs.${layer}`), stat(p, 'mmu.walker.walks')) ?? 0)),
    yTitle: 'PTE references per walk',
    xTitle: title,
  };

  const caches = WALK_CACHES.filter((c) => model.statNames.includes(`${c.prefix}.misses`) && ordered.some((p) => lookups(p, c.prefix) > 0));
  const pwcHitRates: GroupedBarsData = {
    groups: labels,
    series: caches.map((c) => c.name),
    values: ordered.map((p) => caches.map((c) => ratio(lookups(p, c.prefix) - stat(p, `${c.prefix}.misses`), lookups(p, c.prefix)))),
    yTitle: 'hit rate',
    xTitle: title,
  };

  const tlbs = tlbStructures(model).filter((t) => ordered.some((p) => stat(p, `mmu.${t}.accesses`) > 0));
  const tlbMissRates: GroupedBarsData = {
    groups: labels,
    series: tlbs,
    values: ordered.map((p) => tlbs.map((t) => ratio(stat(p, `mmu.${t}.misses`), stat(p, `mmu.${t}.accesses`)))),
    yTitle: 'miss rate',
    xTitle: title,
  };
  return { walksPerKiloInsn, refsPerWalk, pwcHitRates, tlbMissRates };
}

/** Lookups of a walk cache: the page-walk caches count them; the nested TLB counts hits and misses. */
function lookups(p: Point, prefix: string): number {
  const l = p.stats[`${prefix}.lookups`];
  return l !== undefined ? l : (p.stats[`${prefix}.hits`] ?? 0) + (p.stats[`${prefix}.misses`] ?? 0);
}

/** TLB structures with statistics (mmu.<name>.accesses and .misses), e.g. itlb, dtlb, l2tlb, gtlb. */
export function tlbStructures(model: Model): string[] {
  const names = model.statNames.map((n) => /^mmu\.([^.]+)\.accesses$/.exec(n)?.[1]).filter((n): n is string => n !== undefined && !NOT_TLBS.has(n));
  return names.filter((n) => model.statNames.includes(`mmu.${n}.misses`));
}
