import { createHash } from 'node:crypto';
import type { MachineConfig } from '../../../pipeline/config.js';
import { POINT_FORMAT, type PointRecord, type PointStatus } from '../../sweep/record.js';
import type { SweepPlan } from '../../sweep/expand.js';
import { MANIFEST_FORMAT, ResultStore, type Manifest } from '../../sweep/store.js';

/**
 * A result store written from hand-made records (no simulation): the layout `rvhsim sweep run`
 * leaves, with the coordinates and statistics the tests choose.
 */

export interface FixturePoint {
  workload: string;
  coordinates: { path: string; value: unknown }[];
  stats: Record<string, number>;
  /** Configuration fields besides the coordinates (the coordinates are written into it too). */
  config?: Record<string, unknown>;
  status?: PointStatus;
}

export function writeFixtureStore(dir: string, name: string, points: readonly FixturePoint[]): ResultStore {
  const store = ResultStore.create(dir);
  const manifest: Manifest = { format: MANIFEST_FORMAT, name, version: '0.0.0-test', points: [] };
  points.forEach((p, index) => {
    const config = structuredClone(p.config ?? {}) as Record<string, unknown>;
    for (const c of p.coordinates) setPath(config, c.path, c.value);
    const key = createHash('sha256').update(JSON.stringify([p.workload, p.coordinates])).digest('hex');
    manifest.points.push({ index, key, workload: { name: p.workload, sha256: '0'.repeat(64) }, repeat: 0, coordinates: p.coordinates });
    const record: PointRecord = {
      format: POINT_FORMAT,
      key,
      version: '0.0.0-test',
      workload: { name: p.workload, sha256: '0'.repeat(64) },
      repeat: 0,
      config: config as unknown as MachineConfig,
      status: p.status ?? 'ok',
      result: { reason: 'exit', exitCode: 0, message: 'exit 0', instret: 1000, cycles: 2000 } as unknown as PointRecord['result'],
      stats: p.stats,
      fences: [],
    };
    store.writeResult(record, { key, hostSeconds: 1, mips: 1, peakHeapBytes: 0, finishedAt: '2000-01-01T00:00:00.000Z' });
  });
  store.writeManifest(manifest);
  return store;
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = root;
  for (const p of parts.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts.at(-1)!] = value;
}

/**
 * The TLB study in miniature: 2 workloads x 3 organisations x 2 DTLB sizes x 2 modes, CPI numbers
 * made up so that each coordinate changes them predictably.
 */
export function tlbFixture(): FixturePoint[] {
  const points: FixturePoint[] = [];
  const orgs = ['combined', 'separate', 'hybrid'];
  for (const [w, workload] of ['bench-gups', 'bench-chase'].entries()) {
    for (const [o, organisation] of orgs.entries()) {
      for (const entries of [8, 32]) {
        for (const mode of [1, 3]) {
          const instructions = 1_000_000;
          const dtlb = (mode === 3 ? 300_000 : 100_000) * (8 / entries) * (1 + o / 10) * (1 + w);
          const base = instructions;
          points.push({
            workload,
            coordinates: [
              { path: 'mmu.tlb.organisation', value: organisation },
              { path: 'mmu.tlb.dtlb.arrays', value: [{ entries }] },
              { path: 'run.params.mode', value: mode },
            ],
            config: { run: { mode: 'detailed' } },
            stats: {
              'timing.instructions': instructions,
              'timing.cycles': base + dtlb,
              'timing.cpi.base': base,
              'timing.cpi.dtlb': dtlb,
              'mmu.walker.walks': 1000,
              'mmu.walker.refs': mode === 3 ? 15_000 : 3000,
            },
          });
        }
      }
    }
  }
  return points;
}

/**
 * Stores a result for every point of a planned sweep (hand-made statistics from `stats`), so that
 * running the sweep finds everything done and starts no worker.
 */
export function prefillPlan(plan: SweepPlan, dir: string, stats: (config: MachineConfig) => Record<string, number>): void {
  const store = ResultStore.create(dir);
  for (const p of plan.points) {
    const record: PointRecord = {
      format: POINT_FORMAT,
      key: p.key,
      version: plan.version,
      workload: { name: p.workload.name, sha256: p.workload.sha256 },
      repeat: p.repeat,
      config: p.config,
      status: 'ok',
      result: { reason: 'exit', exitCode: 0, message: 'exit 0' } as unknown as PointRecord['result'],
      stats: stats(p.config),
      fences: [],
    };
    store.writeResult(record, { key: p.key, hostSeconds: 0, mips: 0, peakHeapBytes: 0, finishedAt: '2000-01-01T00:00:00.000Z' });
  }
}
