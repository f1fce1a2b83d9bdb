import { describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import type { SweepPlan, SweepPoint } from './expand.js';
import type { PointRecord } from './record.js';
import { DEFAULT_METRICS, buildReport, formatReport, parseMetric } from './report.js';

function point(index: number, org: string, mode: number): SweepPoint {
  return {
    index,
    key: `k${index}`,
    workload: { name: 'bench-gups', elf: '/x.elf', sha256: '0' },
    coordinates: [
      { field: 'axes[0].set["mmu.tlb.organisation"][0]', path: 'mmu.tlb.organisation', value: org },
      { field: 'axes[1].set["run.params.mode"][0]', path: 'run.params.mode', value: mode },
    ],
    repeat: 0,
    config: {} as SweepPoint['config'],
  };
}

const plan = { name: 't', file: 't.yaml', version: '0', repeats: 1, points: [point(0, 'combined', 1), point(1, 'separate', 3), point(2, 'hybrid', 3)] } as SweepPlan;
const stats = (cycles: number, walks: number, refs: number): Record<string, number> => ({ 'timing.cycles': cycles, 'timing.instructions': 1000, 'mmu.walker.walks': walks, 'mmu.walker.refs': refs });
const records = new Map<string, PointRecord>([
  ['k0', { status: 'ok', stats: stats(2500, 10, 30) } as PointRecord],
  ['k1', { status: 'ok', stats: stats(3000, 0, 0) } as PointRecord],
]);
const store = { read: (key: string) => records.get(key) };

describe('sweep report: stored points side by side', () => {
  it('gives one row per stored point with the varying coordinates and each metric; ratios of two statistics; missing points counted', () => {
    const r = buildReport(plan, store, ['timing.cycles/timing.instructions', 'mmu.walker.refs/mmu.walker.walks', 'mmu.walker.walks']);
    expect(r.axes).toEqual(['mmu.tlb.organisation', 'run.params.mode']);
    expect(r.rows.map((row) => row.coordinates)).toEqual([['combined', '1'], ['separate', '3']]);
    expect(r.rows[0]!.values).toEqual([2.5, 3, 10]);
    // No walks: refs per walk is undefined, printed as '-', not a division by zero.
    expect(r.rows[1]!.values).toEqual([3, undefined, 0]);
    expect(r.missing).toBe(1);
    const text = formatReport(r);
    expect(text.split('\n')[0]).toMatch(/^#\s+workload\s+mmu\.tlb\.organisation\s+run\.params\.mode\s+status\s+timing\.cycles\/timing\.instructions/);
    expect(text).toMatch(/separate\s+3\s+ok\s+3\s+-\s+0/);
    expect(text).toContain('(1 point not stored yet');
  });

  it('prints CSV with quoting', () => {
    const r = buildReport(plan, store, ['mmu.walker.walks']);
    expect(formatReport(r, true).split('\n').slice(0, 2)).toEqual(['#,workload,mmu.tlb.organisation,run.params.mode,status,mmu.walker.walks', '0,bench-gups,combined,1,ok,10']);
  });

  it('rejects a metric that names no statistic, naming it', () => {
    expect(() => parseMetric('mmu.walker.walkz', new Set(['mmu.walker.walks']))).toThrow(UserError);
    expect(() => parseMetric('a/b/c', new Set(['a', 'b', 'c']))).toThrow(/a statistic name or a ratio/);
  });

  it('the default metrics skip statistics a run does not have (a functional-mode sweep has no timing.*)', () => {
    const r = buildReport(plan, store, DEFAULT_METRICS);
    expect(r.metrics).toEqual(['timing.cycles/timing.instructions', 'mmu.walker.walks', 'mmu.walker.refs/mmu.walker.walks']);
  });
});
