import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { ResultStore } from '../sweep/store.js';
import { loadDashboardData } from './data.js';
import { AXES, DTLB_ENTRIES, FENCES_NATIVE, fixtureStats, fixturePoints, ORGANISATIONS, TRACE_FENCES, TRACE_WORLD_SWITCHES, writeFixtureStore, writeFixtureTrace } from './test-support/fixture.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-data-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('loadDashboardData', () => {
  it('takes the points in sweep order with the coordinates that vary, leaving out points without a result', () => {
    const dir = tempDir();
    writeFixtureStore(dir, { omit: [3] });
    const data = loadDashboardData(dir);
    expect(data.title).toBe('fixture');
    expect(data.points).toHaveLength(47);
    expect(data.points.map((p) => p.index).slice(0, 4)).toEqual([0, 1, 2, 4]);
    // repeat never varies, so it is no axis; workload does.
    expect(data.axes.map((a) => a.path)).toEqual(['workload', AXES.org, AXES.entries, AXES.mode]);
    expect(data.axes[1]!.values).toEqual(ORGANISATIONS);
    expect(data.axes[2]!.values).toEqual(DTLB_ENTRIES);
    expect(data.points[0]!.coordinates).toEqual({ workload: 'bench-gups', [AXES.org]: 'combined', [AXES.entries]: 8, [AXES.mode]: 1 });
  });

  it('stores statistics as one name table and a value row per point', () => {
    const dir = tempDir();
    writeFixtureStore(dir);
    const data = loadDashboardData(dir);
    const expected = fixtureStats(fixturePoints()[5]!);
    const p = data.points[5]!;
    expect([...data.statNames].sort()).toEqual(data.statNames);
    for (const [name, value] of Object.entries(expected)) expect(p.values[data.statNames.indexOf(name)]).toBe(value);
  });

  it('reduces each kept fence to its cost: stale and collateral summed over the TLB structures', () => {
    const dir = tempDir();
    writeFixtureStore(dir);
    const p = loadDashboardData(dir).points[0]!;
    expect(p.fences).toHaveLength(FENCES_NATIVE);
    expect(p.fenceTotal).toBe(FENCES_NATIVE);
    // The fixture's fences drop [1, 5, 0, 0] entries of which [1, 4, 0, 0] are stale.
    expect(p.fences[0]).toEqual({ kind: 'sfence-vma', cycle: 1000, cycles: 1, stale: 5, collateral: 1, shadowCycles: 0 });
  });

  it('thins kept fences evenly to the per-point limit, still counting all', () => {
    const dir = tempDir();
    writeFixtureStore(dir);
    const p = loadDashboardData(dir, { maxFencesPerPoint: 7 }).points[0]!;
    expect(p.fences.length).toBeLessThanOrEqual(7);
    expect(p.fenceTotal).toBe(FENCES_NATIVE);
  });

  it('includes *.rvtrace files in the directory and in traces/, and those named with --trace, once each', () => {
    const dir = tempDir();
    writeFixtureStore(dir);
    const inTraces = writeFixtureTrace(join(dir, 'traces'), 'a.rvtrace');
    const elsewhere = writeFixtureTrace(tempDir(), 'b.rvtrace');
    const data = loadDashboardData(dir, { traces: [elsewhere, inTraces] });
    expect(data.traces.map((t) => t.name)).toEqual(['a.rvtrace', 'b.rvtrace']);
    const t = data.traces[0]!;
    expect(t.complete).toBe(true);
    expect(t.damage).toBeNull();
    expect(t.markerTotals).toEqual({ fence: TRACE_FENCES, world: TRACE_WORLD_SWITCHES });
  });

  it('loads a directory holding only traces', () => {
    const dir = tempDir();
    writeFixtureTrace(dir);
    const data = loadDashboardData(dir);
    expect(data.points).toEqual([]);
    expect(data.traces).toHaveLength(1);
  });

  it('shows every stored result, workload as the only coordinate, when the store has no manifest', () => {
    const from = tempDir();
    writeFixtureStore(from);
    const dir = tempDir();
    const store = ResultStore.create(dir);
    const source = new ResultStore(from);
    for (const key of source.keys().slice(0, 3)) store.writeResult(source.read(key)!, source.readHost(key)!);
    const data = loadDashboardData(dir);
    expect(data.points).toHaveLength(3);
    expect(data.axes).toEqual([]);
    expect(data.title).toBe(dir.split('/').pop());
  });

  it('refuses a missing directory, an empty one and a missing --trace file with a UserError naming it', () => {
    const dir = tempDir();
    expect(() => loadDashboardData(join(dir, 'nope'))).toThrow(UserError);
    expect(() => loadDashboardData(dir)).toThrow(/no stored results/);
    expect(() => loadDashboardData(dir, { traces: [join(dir, 'x.rvtrace')] })).toThrow(/x\.rvtrace: no such file/);
  });
});
