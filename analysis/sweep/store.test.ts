import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../pipeline/config.js';
import { canonicalJson, errorRecord, formatRecord, pointKey, POINT_FORMAT, type HostRecord, type PointIdentity, type PointRecord, type PointTask } from './record.js';
import { ResultStore, writeFileAtomic } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'rvhsim-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const identity = (): PointIdentity => ({ version: '1.2.3', workload: { name: 'bench-gups', sha256: 'ab'.repeat(32) }, repeat: 0, config: defaultConfig() });

function record(id: PointIdentity, instret = 10): PointRecord {
  return {
    format: POINT_FORMAT,
    key: pointKey(id),
    ...id,
    status: 'ok',
    result: { reason: 'exit', exitCode: 0, instret, cycles: 2 * instret, message: 'guest passed' },
    stats: { 'hart.instret': instret, 'hart.cycles': 2 * instret },
    fences: [],
  };
}

const host = (key: string): HostRecord => ({ key, hostSeconds: 0.5, mips: 1, peakHeapBytes: 1 << 20, finishedAt: '2024-01-01T00:00:00.000Z' });

describe('the content hash of a point', () => {
  it('is the SHA-256 of the canonical JSON of the record format, version, workload, repeat and configuration', () => {
    const id = identity();
    const canonical = canonicalJson({ format: POINT_FORMAT, version: id.version, workload: id.workload, repeat: 0, config: id.config });
    expect(pointKey(id)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on the order in which the configuration object was built', () => {
    const id = identity();
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const shuffled = { ...id, config: reversed(id.config) as PointIdentity['config'] };
    expect(JSON.stringify(shuffled.config)).not.toBe(JSON.stringify(id.config));
    expect(pointKey(shuffled)).toBe(pointKey(id));
  });

  it('changes with any input: a configuration value, the ELF hash, the workload name, the repeat, the simulator version', () => {
    const base = pointKey(identity());
    const variants: PointIdentity[] = [
      { ...identity(), config: { ...defaultConfig(), run: { ...defaultConfig().run, maxInsns: 7 } } },
      { ...identity(), workload: { name: 'bench-gups', sha256: 'cd'.repeat(32) } },
      { ...identity(), workload: { name: 'bench-chase', sha256: 'ab'.repeat(32) } },
      { ...identity(), repeat: 1 },
      { ...identity(), version: '1.2.4' },
    ];
    const keys = variants.map(pointKey);
    expect(new Set([base, ...keys]).size).toBe(6);
  });
});

describe('the result store', () => {
  it('stores a result under its key, reads it back byte for byte, and counts it as done', () => {
    const store = ResultStore.create(mkdtempSync(join(root, 'store-')));
    const r = record(identity());
    expect(store.has(r.key)).toBe(false);
    store.writeResult(r, host(r.key));
    expect(store.has(r.key)).toBe(true);
    expect(store.readText(r.key)).toBe(formatRecord(r));
    expect(store.read(r.key)).toEqual(r);
    expect(store.readHost(r.key)).toEqual(host(r.key));
    expect(store.keys()).toEqual([r.key]);
  });

  it('writes the gem5-style stats.txt beside the record, and it does not count as a record', () => {
    const dir = mkdtempSync(join(root, 'store-'));
    const store = ResultStore.create(dir);
    const r = record(identity());
    const text = 'hart.instret  42  # Instructions retired (insns)\n';
    store.writeResult(r, host(r.key), text);
    expect(readFileSync(join(dir, 'points', `${r.key}.stats.txt`), 'utf8')).toBe(text);
    expect(store.keys()).toEqual([r.key]);
  });

  it('writes records canonically: sorted keys at every level, two-space indent, one trailing newline', () => {
    const r = record(identity());
    const text = formatRecord(r);
    expect(text.endsWith('}\n')).toBe(true);
    const top = Object.keys(JSON.parse(text) as object);
    expect(top).toEqual([...top].sort());
    expect(formatRecord({ ...r, stats: { b: 1, a: 2 } })).toContain('"a": 2,\n    "b": 1');
  });

  it('lists keys sorted and ignores anything in points/ that is not a record name', () => {
    const dir = mkdtempSync(join(root, 'store-'));
    const store = ResultStore.create(dir);
    const rs = [0, 1, 2].map((repeat) => record({ ...identity(), repeat }));
    for (const r of rs) store.writeResult(r, host(r.key));
    writeFileSync(join(dir, 'points', 'notes.txt'), 'x');
    writeFileSync(join(dir, 'points', `${rs[0]!.key}.json.swp`), 'x');
    expect(store.keys()).toEqual(rs.map((r) => r.key).sort());
  });

  it('keeps an error record apart from results and removes it once the point has a result', () => {
    const store = ResultStore.create(mkdtempSync(join(root, 'store-')));
    const id = identity();
    const task: PointTask = { index: 0, key: pointKey(id), version: id.version, workload: { ...id.workload, elf: '/x.elf' }, repeat: 0, config: id.config };
    store.writeError(errorRecord(task, 'worker', 'the worker thread running this point died'));
    expect(store.has(task.key)).toBe(false);
    expect(store.errorKeys()).toEqual([task.key]);
    expect(store.readError(task.key)?.error).toEqual({ kind: 'worker', message: 'the worker thread running this point died' });
    store.writeResult(record(id), host(task.key));
    expect(store.errorKeys()).toEqual([]);
    expect(store.keys()).toEqual([task.key]);
  });

  it('writes through a temporary file: nothing is left in tmp/, and a rewrite replaces the whole file', () => {
    const dir = mkdtempSync(join(root, 'store-'));
    const store = ResultStore.create(dir);
    const r = record(identity(), 1000);
    store.writeResult(r, host(r.key));
    store.writeResult(record(identity(), 5), host(r.key));
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(store.read(r.key)?.result.instret).toBe(5);
    expect(readFileSync(join(dir, 'points', `${r.key}.json`), 'utf8')).toBe(formatRecord(record(identity(), 5)));
  });

  it('leaves no temporary file behind when the rename fails', () => {
    const dir = mkdtempSync(join(root, 'store-'));
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'occupied'), 'x');
    expect(() => writeFileAtomic(join(dir, 'target'), 'text', dir)).toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });

  it('removes temporaries of dead processes of this host, keeping those of live processes and other hosts', () => {
    const dir = mkdtempSync(join(root, 'store-'));
    const store = ResultStore.create(dir);
    const tag = hostname().replace(/[^A-Za-z0-9-]/g, '_');
    const dead = 2 ** 22 + 12345; // above Linux's pid_max: never a live process
    const names = [`${tag}.${dead}.abc123.tmp`, `${tag}.${process.pid}.abc124.tmp`, `elsewhere.${dead}.abc125.tmp`];
    for (const n of names) writeFileSync(join(dir, 'tmp', n), 'partial');
    expect(store.removeStaleTemporaries()).toBe(1);
    expect(readdirSync(join(dir, 'tmp')).sort()).toEqual(names.slice(1).sort());
  });
});
