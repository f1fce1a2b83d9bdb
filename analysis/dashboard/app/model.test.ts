import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../common/errors.js';
import { loadDashboardData } from '../data.js';
import type { DashboardData } from '../dashboard-data.js';
import { AXES, DTLB_ENTRIES, FENCES_NATIVE, FENCES_VIRTUALIZED, fixtureStats, fixturePoints, ORGANISATIONS, TRACE_FENCES, TRACE_STRETCHES, TRACE_WORLD_SWITCHES, WORKLOADS, writeFixtureStore, writeFixtureTrace } from '../test-support/fixture.js';
import { cpiStacks, nativeVsVirtualized } from './compare-model.js';
import { fenceCharts } from './fence-model.js';
import { buildModel, filterPoints, metricChoices, parseDashboardMetric, valueLabel, type Model } from './model.js';
import { averagedAxes, overviewChart } from './overview-model.js';
import { emptyState, formatHash, parseHash } from './state.js';
import { IPC, timelineData, timelineSeriesChoices, visibleRange } from './timeline-model.js';
import { translationCharts } from './translation-model.js';

let dir: string;
let data: DashboardData;
let model: Model;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-model-'));
  writeFixtureStore(dir);
  writeFixtureTrace(dir);
  data = loadDashboardData(dir);
  model = buildModel(data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cpi = () => parseDashboardMetric('timing.cycles/timing.instructions', new Set(model.statNames));
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('buildModel', () => {
  it('calls a point virtualized when it spent cycles in VS or VU, and finds the axis that decides it', () => {
    expect(model.points.filter((p) => p.virtualized).map((p) => p.coords[AXES.mode])).toEqual(new Array(24).fill('3'));
    expect(model.virtualizationAxes).toEqual([AXES.mode]);
  });

  it('labels coordinate values: strings bare, numbers as digits, objects as compact JSON', () => {
    expect(valueLabel('combined')).toBe('combined');
    expect(valueLabel(16)).toBe('16');
    expect(valueLabel(null)).toBe('null');
    expect(valueLabel([{ entries: 8, ways: 2 }])).toBe('[{entries:8,ways:2}]');
  });
});

describe('metrics', () => {
  it('evaluates a ratio, and a factor times a ratio', () => {
    const p = model.points[0]!;
    const s = fixtureStats(fixturePoints()[0]!);
    expect(cpi().value(p.stats)).toBeCloseTo(s['timing.cycles']! / s['timing.instructions']!);
    expect(parseDashboardMetric('1000*mmu.walker.walks/timing.instructions', new Set(model.statNames)).value(p.stats)).toBeCloseTo((1000 * s['mmu.walker.walks']!) / 1e6);
  });

  it('rejects a statistic the points do not have with a UserError naming it', () => {
    expect(() => parseDashboardMetric('mmu.nothing/timing.cycles', new Set(model.statNames))).toThrow(UserError);
    expect(() => parseDashboardMetric('mmu.nothing/timing.cycles', new Set(model.statNames))).toThrow(/mmu\.nothing/);
  });

  it('offers the presets whose statistics exist first, then every statistic', () => {
    const choices = metricChoices(model);
    expect(choices[0]).toEqual({ expr: 'timing.cycles/timing.instructions', label: 'CPI' });
    expect(choices.some((c) => c.expr === 'mmu.walker.walks')).toBe(true);
    expect(choices.filter((c) => c.expr.includes('/')).every((c) => c.expr.replace(/^\d+\*/, '').split('/').every((n) => model.statNames.includes(n)))).toBe(true);
  });
});

describe('overviewChart', () => {
  it('draws two axes as a heatmap, each cell the mean over the axes not shown', () => {
    const chart = overviewChart(model, { metric: cpi(), x: AXES.org, y: AXES.entries, filters: {} });
    if (chart.kind !== 'heatmap') throw new Error(chart.kind);
    expect(chart.data.xLabels).toEqual(ORGANISATIONS);
    expect(chart.data.yLabels).toEqual(DTLB_ENTRIES.map(String));
    expect(chart.members[1]![2]!).toHaveLength(WORKLOADS.length * 2);
    const expected = meanOf(
      fixturePoints()
        .filter((p) => p.org === 'hybrid' && p.entries === 16)
        .map((p) => fixtureStats(p))
        .map((s) => s['timing.cycles']! / s['timing.instructions']!),
    );
    expect(chart.data.values[1]![2]).toBeCloseTo(expected);
    expect(averagedAxes(model, { x: AXES.org, y: AXES.entries, filters: {} })).toEqual(['workload', AXES.mode]);
  });

  it('restricts to the filtered points', () => {
    const chart = overviewChart(model, { metric: cpi(), x: AXES.org, y: AXES.entries, filters: { workload: 'bench-chase', [AXES.mode]: '3' } });
    if (chart.kind !== 'heatmap') throw new Error(chart.kind);
    expect(chart.members.flat().map((cell) => cell.length)).toEqual(new Array(12).fill(1));
    expect(chart.members[0]![0]![0]!.workload).toBe('bench-chase');
  });

  it('draws one numeric axis as lines, one series per workload, x ticks at the sweep values', () => {
    const chart = overviewChart(model, { metric: cpi(), x: AXES.entries, y: null, filters: {} });
    if (chart.kind !== 'line') throw new Error(chart.kind);
    expect(chart.data.series.map((s) => s.name)).toEqual(WORKLOADS);
    expect(chart.data.series[0]!.points.map((p) => p.x)).toEqual(DTLB_ENTRIES);
    expect(chart.data.xTicks?.map((t) => t.value)).toEqual(DTLB_ENTRIES);
    expect(chart.data.logX).toBe(true);
    expect(chart.members[0]![0]!.every((p) => p.workload === WORKLOADS[0] && p.coords[AXES.entries] === '8')).toBe(true);
  });

  it('draws one categorical axis as grouped bars', () => {
    const chart = overviewChart(model, { metric: cpi(), x: AXES.org, y: null, filters: {} });
    if (chart.kind !== 'bars') throw new Error(chart.kind);
    expect(chart.data.groups).toEqual(ORGANISATIONS);
    expect(chart.data.series).toEqual(WORKLOADS);
    expect(chart.data.values).toHaveLength(3);
  });

  it('says why there is nothing to draw', () => {
    expect(overviewChart(model, { metric: cpi(), x: 'nope', y: null, filters: {} }).kind).toBe('none');
    expect(overviewChart(model, { metric: cpi(), x: AXES.org, y: null, filters: { workload: 'other' } })).toEqual({ kind: 'none', reason: 'no stored point matches the filters' });
  });
});

describe('configuration comparison', () => {
  it('stacks CPI components per instruction in the pipeline order, leaving out components zero everywhere', () => {
    const stacks = cpiStacks(model, filterPoints(model, { workload: 'bench-gups', [AXES.org]: 'combined' }));
    expect(stacks.layers).toEqual(['base', 'icache', 'itlb', 'dcache', 'dtlb', 'fence']);
    expect(stacks.bars).toHaveLength(8);
    expect(stacks.values[0]![0]).toBe(1);
    const total = stacks.values[0]!.reduce((a, b) => a + b, 0);
    const s = fixtureStats(fixturePoints()[0]!);
    expect(total).toBeCloseTo(s['timing.cycles']! / s['timing.instructions']!);
  });

  it('puts a configuration\'s native and virtualized runs side by side', () => {
    const stacks = cpiStacks(model, filterPoints(model, { workload: 'bench-gups', [AXES.org]: 'combined' }));
    expect(stacks.bars.slice(0, 2)).toEqual(['8 · native', '8 · virt']);
    expect(stacks.xTitle).toBe(`${AXES.entries} · native/virt`);
    const nv = nativeVsVirtualized(model, filterPoints(model, { workload: 'bench-gups', [AXES.org]: 'combined' }))!;
    expect(nv.groups).toEqual(['8', '16', '32', '64']);
    expect(nv.xTitle).toBe(AXES.entries);
    expect(nv.series).toEqual(['native', 'virtualized']);
    expect(nv.values[0]![1]!).toBeGreaterThan(nv.values[0]![0]!);
  });

  it('has no native-vs-virtualized chart when the points are all of one kind', () => {
    expect(nativeVsVirtualized(model, filterPoints(model, { [AXES.mode]: '1' }))).toBeNull();
  });
});

describe('translation charts', () => {
  it('gives walks per kilo-instruction by kind, references per walk by stage and level, walk-cache hit rates and TLB miss rates', () => {
    const points = filterPoints(model, { workload: 'bench-gups', [AXES.entries]: '8' });
    const t = translationCharts(model, points);
    expect(t.walksPerKiloInsn.groups).toHaveLength(6);
    expect(t.walksPerKiloInsn.series).toEqual(['native', 'two-stage (V=1)']);
    const s = fixtureStats(fixturePoints()[0]!);
    expect(t.walksPerKiloInsn.values[0]).toEqual([(1000 * s['mmu.walker.walks']!) / 1e6, 0]);
    expect(t.refsPerWalk.layers).toEqual(['native.l2', 'native.l1', 'native.l0', 'vs.l2', 'vs.l1', 'vs.l0', 'g.l2', 'g.l1', 'g.l0']);
    expect(t.refsPerWalk.values[1]!.reduce((a, b) => a + b, 0)).toBeCloseTo(15);
    expect(t.pwcHitRates.series).toEqual(['first-stage PWC', 'G-stage PWC']);
    expect(t.pwcHitRates.values[0]).toEqual([0.7, null]);
    expect(t.tlbMissRates.series).toEqual(['dtlb', 'gtlb', 'itlb']);
    expect(t.tlbMissRates.values[0]![0]).toBeCloseTo(0.2);
  });
});

describe('fence charts', () => {
  it('counts fences by kind, native and virtualized apart, and histograms the kept fences\' cycles', () => {
    const f = fenceCharts(model, model.points);
    expect(f.kinds).toEqual(['sfence-vma', 'sfence-vma-v1', 'hfence-vvma', 'hfence-gvma']);
    expect(f.counts.series).toEqual(['native', 'virtualized']);
    expect(f.counts.values[0]).toEqual([24 * FENCES_NATIVE, 0]);
    expect(f.counts.values[3]).toEqual([0, 24 * 2]);
    expect(f.costSource).toBe('points');
    expect(f.cost.values).toHaveLength(24 * FENCES_NATIVE + 24 * FENCES_VIRTUALIZED);
    expect(f.staleVsCollateral.layers).toEqual(['stale', 'collateral']);
    expect(f.staleVsCollateral.values[0]).toEqual([24 * 5 * FENCES_NATIVE, 8 * 2 * FENCES_NATIVE]);
    expect(f.shadow.values[0]).toEqual([24 * 3 * FENCES_NATIVE, 8 * 40 * FENCES_NATIVE]);
  });

  it('histograms the traces\' fences when the points kept none', () => {
    const bare = buildModel({ ...data, points: data.points.map((p) => ({ ...p, fences: [], fenceTotal: 0 })) });
    const f = fenceCharts(bare, bare.points);
    expect(f.costSource).toBe('traces');
    expect(f.cost.values).toHaveLength(TRACE_FENCES);
  });
});

describe('timeline', () => {
  it('plots IPC or a counter per kilo-cycle, with mode bands and fence and world-switch markers', () => {
    const trace = model.traces[0]!;
    expect(timelineSeriesChoices(trace)).toEqual([IPC, 'mmu.dtlb.misses', 'mmu.walker.walks']);
    const ipc = timelineData(trace, IPC);
    expect(ipc.series[0]!.v[0]).toBeCloseTo(0.8);
    expect(ipc.series[0]!.v[50]).toBeCloseTo(0.4);
    expect(ipc.bands.map((b) => b.label)).toEqual(TRACE_STRETCHES.map((s) => trace.modes[s.mode]));
    expect(ipc.markers).toHaveLength(13);
    const misses = timelineData(trace, 'mmu.dtlb.misses');
    expect(misses.series[0]!.name).toBe('mmu.dtlb.misses per kilo-cycle');
    expect(misses.series[0]!.v[0]).toBeCloseTo(5);
  });

  it('calls the marker kinds what the legend names them: fence and world switch', () => {
    const kinds = timelineData(model.traces[0]!, IPC).markers.map((m) => m.kind);
    expect(new Set(kinds)).toEqual(new Set(['fence', 'world switch']));
    expect(kinds.filter((k) => k === 'world switch')).toHaveLength(TRACE_WORLD_SWITCHES);
  });

  it('shows a saved zoom clipped to the trace, and the whole trace for none or one outside it', () => {
    expect(visibleRange([0, 200_000], null)).toEqual([0, 200_000]);
    expect(visibleRange([0, 200_000], [51_234.5, 80_000.25])).toEqual([51_234.5, 80_000.25]);
    expect(visibleRange([0, 200_000], [150_000, 250_000])).toEqual([150_000, 200_000]);
    expect(visibleRange([0, 200_000], [300_000, 400_000])).toEqual([0, 200_000]);
  });
});

describe('URL hash state', () => {
  it('round-trips view, metric, axes and filters, and ignores an unknown view', () => {
    const state = { view: 'fences' as const, metric: '1000*mmu.walker.walks/timing.instructions', x: AXES.org, y: '', filters: { workload: 'bench-gups', [AXES.mode]: '3' }, trace: '', series: '', zoom: null };
    expect(parseHash(formatHash(state))).toEqual(state);
    expect(parseHash('#view=bogus').view).toBe('overview');
  });

  it('keeps the timeline zoom exactly (shortest round-trip decimals), and drops a malformed one', () => {
    const zoom: [number, number] = [48_231.29871806112, 71_231.81290003 + 1 / 3];
    const state = { ...emptyState(), view: 'timeline' as const, trace: 'fixture.rvtrace', zoom };
    const hash = formatHash(state);
    expect(hash).toContain(`zoom=${zoom[0]}..${zoom[1]}`);
    expect(parseHash(hash)).toEqual(state);
    expect(formatHash(emptyState())).not.toContain('zoom');
    for (const bad of ['', '5', '5..', '..5', '9..5', '5..5', 'a..b', '1..2..3', '0..Infinity']) expect(parseHash(`#view=timeline&zoom=${bad}`).zoom).toBeNull();
  });
});
