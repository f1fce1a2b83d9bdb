import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.js';
import { presetConfig } from '../../pipeline/presets.js';
import { loadConfig } from '../config-load.js';
import { expandSweep, planSweep, pointLabel, type SweepPlan } from './expand.js';
import { pointKey } from './record.js';
import { parseSweep } from './sweep-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-expand-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', '..', 'workloads', 'bin');

function plan(doc: object, name = 'study'): SweepPlan {
  const file = join(dir, `${name}.yaml`);
  return expandSweep({ file, name, sweep: parseSweep(doc, file) }, '9.9.9');
}

function errorOf(doc: object, name = 'bad'): string {
  try {
    plan(doc, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the sweep was accepted');
}

const sizes = (p: SweepPlan) => p.points.map((q) => q.config.caches.l1d.sizeBytes);

describe('sweep expansion', () => {
  it('multiplies out workloads, then the axes in file order, then the paths of a set axis, then seeds, then repeats', () => {
    const p = plan({
      workloads: ['bench-gups', 'bench-chase'],
      axes: [{ set: { 'caches.l1d.sizeBytes': [16384, 32768], 'caches.walkerLevel': ['l1d', 'l2'] } }, { set: { 'run.params.page_size': [4096, 2097152] } }],
      seeds: [1, 2],
      repeats: 2,
    });
    expect(p.points).toHaveLength(2 * 2 * 2 * 2 * 2 * 2);
    expect(p.points.map((q) => q.index)).toEqual([...Array(64).keys()]);
    expect(p.points.slice(0, 32).every((q) => q.workload.name === 'bench-gups')).toBe(true);
    const first = p.points.slice(0, 9).map((q) => pointLabel(q, 2));
    expect(first).toEqual([
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=4096 run.params.seed=1 repeat=0',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=4096 run.params.seed=1 repeat=1',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=4096 run.params.seed=2 repeat=0',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=4096 run.params.seed=2 repeat=1',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=2097152 run.params.seed=1 repeat=0',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=2097152 run.params.seed=1 repeat=1',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=2097152 run.params.seed=2 repeat=0',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l1d run.params.page_size=2097152 run.params.seed=2 repeat=1',
      'bench-gups caches.l1d.sizeBytes=16384 caches.walkerLevel=l2 run.params.page_size=4096 run.params.seed=1 repeat=0',
    ]);
    // Every point's configuration carries its own values.
    for (const q of p.points) {
      const value = (path: string) => q.coordinates.find((c) => c.path === path)!.value;
      expect(q.config.caches.l1d.sizeBytes).toBe(value('caches.l1d.sizeBytes'));
      expect(q.config.caches.walkerLevel).toBe(value('caches.walkerLevel'));
      expect(q.config.run.params).toEqual({ page_size: value('run.params.page_size'), seed: value('run.params.seed') });
    }
  });

  it('advances the lists of a zip axis together', () => {
    const p = plan({ workloads: ['bench-gups'], axes: [{ zip: { 'caches.l2.sizeBytes': [262144, 524288, 1048576], 'caches.l2.ways': [4, 8, 16] } }] });
    expect(p.points.map((q) => [q.config.caches.l2!.sizeBytes, q.config.caches.l2!.ways])).toEqual([
      [262144, 4],
      [524288, 8],
      [1048576, 16],
    ]);
  });

  it('rejects zipped lists of different lengths, naming both fields', () => {
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-gups'], axes: [{ zip: { 'caches.l2.sizeBytes': [262144, 524288], 'caches.l2.ways': [4] } }] })).toBe(
      `${f}: axes[0].zip["caches.l2.ways"]: has 1 values but axes[0].zip["caches.l2.sizeBytes"] has 2; zipped lists must be the same length`,
    );
  });

  it('layers base preset, set, workload params and axis values over the schema defaults; the guest UART defaults to none', () => {
    const p = plan({
      base: 'tiny',
      set: { 'run.mode': 'functional', 'run.params.iterations': 5 },
      workloads: [{ workload: 'bench-chase', params: { footprint_bytes: 8192, iterations: 7 } }],
      axes: [{ set: { 'run.params.iterations': [9] } }],
    });
    const expected = loadConfig({ overrides: presetConfig('tiny'), sets: ['platform.uart=none', 'run.mode=functional', 'run.params.iterations=9', 'run.params.footprint_bytes=8192'] });
    expect(p.points).toHaveLength(1);
    expect(p.points[0]!.config).toEqual(expected);
    expect(p.points[0]!.config.platform.uart).toBe('none');
    expect(plan({ set: { 'platform.uart': 'capture' }, workloads: ['bench-gups'] }).points[0]!.config.platform.uart).toBe('capture');
  });

  it('takes the base from a configuration file beside the sweep file, or from an inline object', () => {
    writeFileSync(join(dir, 'base.json'), JSON.stringify({ caches: { l1d: { sizeBytes: 8192 } } }));
    expect(sizes(plan({ base: 'base.json', workloads: ['bench-gups'] }))).toEqual([8192]);
    expect(sizes(plan({ base: { caches: { l1d: { sizeBytes: 4096, ways: 2 } } }, workloads: ['bench-gups'] }))).toEqual([4096]);
  });

  it('resolves a workload path relative to the sweep file and records the ELF hash', () => {
    copyFileSync(join(bin, 'hello.elf'), join(dir, 'mine.elf'));
    const p = plan({ workloads: ['./mine.elf', 'hello'] });
    expect(p.points.map((q) => q.workload.elf)).toEqual([join(dir, 'mine.elf'), join(bin, 'hello.elf')]);
    expect(p.points[0]!.workload.sha256).toBe(p.points[1]!.workload.sha256);
    expect(p.points[0]!.workload.sha256).toMatch(/^[0-9a-f]{64}$/);
    // A path's name is its base name; same bytes under another name is another identity.
    expect(p.points.map((q) => q.workload.name)).toEqual(['mine', 'hello']);
    expect(p.points[0]!.key).not.toBe(p.points[1]!.key);
  });

  it('gives every point the content hash of its identity; the same sweep gives the same keys, a repeated workload the same key', () => {
    const doc = { workloads: ['bench-gups', 'bench-gups'], axes: [{ set: { 'caches.l1d.sizeBytes': [16384, 32768] } }], repeats: 2 };
    const a = plan(doc);
    const b = plan(doc);
    expect(b.points.map((q) => q.key)).toEqual(a.points.map((q) => q.key));
    for (const q of a.points) expect(q.key).toBe(pointKey({ version: '9.9.9', workload: q.workload, repeat: q.repeat, config: q.config }));
    expect(new Set(a.points.map((q) => q.key)).size).toBe(4);
    expect(a.points[4]!.key).toBe(a.points[0]!.key);
  });

  it('names the sweep field of a path that is not in the configuration schema', () => {
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-gups'], axes: [{ set: { 'caches.l1d.size': [1] } }] })).toMatch(
      new RegExp(`^${f.replace(/[.]/g, '\\.')}: axes\\[0\\]\\.set\\["caches\\.l1d\\.size"\\]\\[0\\]: unknown key "caches\\.l1d\\.size"; valid keys at caches\\.l1d: sizeBytes, `),
    );
    expect(errorOf({ workloads: ['bench-gups'], set: { 'run.turbo': true } })).toMatch(/bad\.yaml: set\["run\.turbo"\]: unknown key "run\.turbo"; valid keys at run: mode, params, maxInsns/);
  });

  it('names the point, its coordinates and the configuration field of a value the schema rejects', () => {
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-gups'], axes: [{ set: { 'timing.pipeline.mulLatency': [3, 0] } }] })).toBe(
      `${f}: point 1 (workload bench-gups, axes[0].set["timing.pipeline.mulLatency"][1] = 0): config: timing.pipeline.mulLatency: expected >= 1, got 0 (from --set timing.pipeline.mulLatency=0)`,
    );
  });

  it('rejects two axes (or an axis and the seeds) that vary the same path', () => {
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-gups'], axes: [{ set: { 'run.params.seed': [1] } }], seeds: [3] })).toBe(
      `${f}: seeds: run.params.seed is already varied by axes[0].set["run.params.seed"]`,
    );
    expect(errorOf({ workloads: ['bench-gups'], axes: [{ set: { 'caches.l1d.ways': [4] } }, { zip: { 'caches.l1d.ways': [8] } }] })).toBe(
      `${f}: axes[1].zip["caches.l1d.ways"]: caches.l1d.ways is already varied by axes[0].set["caches.l1d.ways"]`,
    );
  });

  it('names the workload entry of an unknown catalog name or a missing ELF', () => {
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-gups', 'bench-nope'] })).toMatch(new RegExp(`^${f.replace(/[.]/g, '\\.')}: workloads\\[1\\]: unknown workload "bench-nope"`));
    expect(errorOf({ workloads: ['./nope.elf'] })).toMatch(`${f}: workloads[0]: unknown workload "${join(dir, 'nope.elf')}": neither a catalog name nor an existing file`);
  });

  it("checks a catalog workload's parameters at planning time and keys them by rvh_params field", () => {
    const p = plan({ workloads: [{ workload: 'bench-chase', params: { stride: 128 } }], axes: [{ set: { 'run.params.page_size': [4096, 2097152] } }] });
    expect(p.points.map((q) => q.config.run.params)).toEqual([
      { arg0: 128, page_size: 4096 },
      { arg0: 128, page_size: 2097152 },
    ]);
    expect(plan({ workloads: [{ workload: 'bench-chase', params: { arg0: 128 } }] }).points[0]!.key).toBe(plan({ workloads: [{ workload: 'bench-chase', params: { stride: 128 } }] }).points[0]!.key);
    const f = join(dir, 'bad.yaml');
    expect(errorOf({ workloads: ['bench-chase'], axes: [{ set: { 'run.params.page_size': [4096, 8192] } }] })).toBe(
      `${f}: point 1 (workload bench-chase, axes[0].set["run.params.page_size"][1] = 8192): --param page_size=8192: bench-chase's page_size must be one of 4096, 2097152, 1073741824`,
    );
    expect(errorOf({ workloads: ['hello'], seeds: [1] })).toMatch(/bad\.yaml: point 0 \(workload hello, seeds\[0\] = 1\): --param seed: hello has no parameter "seed"/);
  });

  it('plans the shipped examples', () => {
    const examples = join(import.meta.dirname, '..', '..', 'examples');
    const small = planSweep(join(examples, 'sweep-small.yaml'));
    expect(small.name).toBe('small');
    expect(small.points.length).toBeGreaterThan(8);
    expect(small.points.every((q) => q.config.run.mode === 'detailed')).toBe(true);
    const paper = planSweep(join(examples, 'sweep-paper.yaml'));
    expect(paper.name).toBe('paper');
    expect(new Set(paper.points.map((q) => q.key)).size).toBe(paper.points.length);
  });
});
