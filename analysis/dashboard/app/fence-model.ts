import { FENCE_KIND_NAMES } from '../../../mmu/tlb/fence-records.js';
import type { GroupedBarsData, HistogramData, StackedBarsData } from '../../charts/index.js';
import { sum, type Model, type Point } from './model.js';

/**
 * The fence view over the selected points: fences of each kind (native and virtualized runs
 * apart), the cost of single fences as a histogram (the fences the runs kept, else those of the
 * traces), entries dropped inside the fence's scope (stale) vs outside it (collateral), and the
 * fence's own cycles vs its shadow (walks refilling collaterally dropped entries). Statistics:
 * mmu.fence.<kind>.* (mmu/tlb/fence-records.ts).
 */

export interface FenceCharts {
  /** Fence kinds executed by any selected point, FENCE_KIND_NAMES order. */
  kinds: string[];
  counts: GroupedBarsData;
  cost: HistogramData;
  /** Where the histogram's fences come from. */
  costSource: 'points' | 'traces' | 'none';
  staleVsCollateral: StackedBarsData;
  shadow: GroupedBarsData;
}

export function fenceCharts(model: Model, points: readonly Point[]): FenceCharts {
  const total = (kind: string, what: string, of: readonly Point[] = points): number => sum(of.map((p) => p.stats[`mmu.fence.${kind}.${what}`] ?? 0));
  const kinds = FENCE_KIND_NAMES.filter((k) => total(k, 'count') > 0);
  const classes = [
    { name: 'native', points: points.filter((p) => !p.virtualized) },
    { name: 'virtualized', points: points.filter((p) => p.virtualized) },
  ].filter((c) => c.points.length > 0);
  const counts: GroupedBarsData = {
    groups: [...kinds],
    series: classes.map((c) => c.name),
    values: kinds.map((k) => classes.map((c) => total(k, 'count', c.points))),
    yTitle: 'fences executed',
  };
  const kept = points.flatMap((p) => p.fences);
  const traced = model.traces.flatMap((t) => t.fences);
  const costSource = kept.length > 0 ? 'points' : traced.length > 0 ? 'traces' : 'none';
  const cost: HistogramData = {
    values: (costSource === 'points' ? kept : traced).map((f) => f.cycles),
    xTitle: 'TLB cycles of one fence',
    yTitle: 'fences',
  };
  const staleVsCollateral: StackedBarsData = {
    bars: [...kinds],
    layers: ['stale', 'collateral'],
    values: kinds.map((k) => [total(k, 'stale'), total(k, 'collateral')]),
    yTitle: 'TLB entries dropped',
  };
  const shadow: GroupedBarsData = {
    groups: [...kinds],
    series: ['fence cycles', 'shadow cycles'],
    values: kinds.map((k) => [total(k, 'cycles'), total(k, 'shadowCycles')]),
    yTitle: 'cycles',
  };
  return { kinds: [...kinds], counts, cost, costSource, staleVsCollateral, shadow };
}
