import type { GroupedBarsData, StackedBarsData } from '../../charts/index.js';
import { STALL_NAMES } from '../../../pipeline/timing/pipeline.js';
import { configLabel, distinguishingAxes, LABEL_SEPARATOR, mean, pointLabels, type Model, type Point } from './model.js';

/**
 * Configuration comparison: the CPI stack (timing.cpi.*, per instruction) of each point side by
 * side, a configuration's native and virtualized runs next to each other; and the CPI of each
 * configuration native vs virtualized as grouped bars.
 */

const CPI_PREFIX = 'timing.cpi.';
const INSTRUCTIONS = 'timing.instructions';

/** The CPI stack components present, in the pipeline's order (STALL_NAMES: base, front end, memory, ...), unknown ones last. */
export function cpiLayers(model: Model): string[] {
  const names = model.statNames.filter((n) => n.startsWith(CPI_PREFIX)).map((n) => n.slice(CPI_PREFIX.length));
  const rank = (n: string): number => (STALL_NAMES.includes(n) ? STALL_NAMES.indexOf(n) : STALL_NAMES.length);
  return names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Points ordered by configuration, native before virtualized, then sweep order. */
export function comparisonOrder(model: Model, points: readonly Point[]): Point[] {
  const axes = distinguishingAxes(model, points);
  const firstIndex = new Map<string, number>();
  for (const p of points) {
    const c = configLabel(model, p, axes);
    if (!firstIndex.has(c)) firstIndex.set(c, p.index);
  }
  return [...points].sort(
    (a, b) => firstIndex.get(configLabel(model, a, axes))! - firstIndex.get(configLabel(model, b, axes))! || Number(a.virtualized) - Number(b.virtualized) || a.index - b.index,
  );
}

/** One stacked bar per point: cycles of each CPI component per instruction; components zero everywhere are left out. */
export function cpiStacks(model: Model, points: readonly Point[]): StackedBarsData {
  const ordered = comparisonOrder(model, points);
  const { labels, title } = pointLabels(model, ordered);
  const all = cpiLayers(model);
  const perInsn = (p: Point, layer: string): number => {
    const insns = p.stats[INSTRUCTIONS] ?? 0;
    return insns > 0 ? (p.stats[CPI_PREFIX + layer] ?? 0) / insns : 0;
  };
  const layers = all.filter((l) => ordered.some((p) => perInsn(p, l) > 0));
  return {
    bars: labels,
    layers,
    values: ordered.map((p) => layers.map((l) => perInsn(p, l))),
    yTitle: 'cycles per instruction',
    xTitle: title,
  };
}

/** CPI of each configuration, native and virtualized (means over repeats); null if that run is missing. */
export function nativeVsVirtualized(model: Model, points: readonly Point[]): GroupedBarsData | null {
  if (!points.some((p) => p.virtualized) || points.every((p) => p.virtualized)) return null;
  const ordered = comparisonOrder(model, points);
  const axes = distinguishingAxes(model, ordered);
  const groups = [...new Set(ordered.map((p) => configLabel(model, p, axes)))];
  const cpi = (p: Point): number | undefined => {
    const insns = p.stats[INSTRUCTIONS];
    const cycles = p.stats['timing.cycles'];
    return insns === undefined || cycles === undefined || insns === 0 ? undefined : cycles / insns;
  };
  const values = groups.map((g) =>
    [false, true].map((virt) => mean(ordered.filter((p) => p.virtualized === virt && configLabel(model, p, axes) === g).map(cpi))),
  );
  const xTitle = axes.filter((a) => !model.virtualizationAxes.includes(a.path)).map((a) => a.path).join(LABEL_SEPARATOR);
  return { groups, series: ['native', 'virtualized'], values, yTitle: 'CPI', xTitle };
}
