import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.js';
import { fieldName, readSweepFile } from './sweep-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-sweep-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sweepFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(file: string): string {
  try {
    readSweepFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe('sweep files', () => {
  it('reads YAML with defaults: name from the file, no axes, one repeat, an empty set', () => {
    const s = readSweepFile(sweepFile('tiny-study.yaml', 'workloads: [bench-gups]\n'));
    expect(s.name).toBe('tiny-study');
    expect(s.sweep).toEqual({ workloads: ['bench-gups'], set: {}, axes: [], repeats: 1 });
  });

  it('reads the same sweep from JSON and from YAML', () => {
    const doc = {
      name: 'j',
      base: 'tiny',
      set: { 'run.mode': 'functional' },
      workloads: [{ workload: 'bench-chase', params: { footprint_bytes: 4096 } }],
      axes: [{ set: { 'caches.l1d.sizeBytes': [16384, 32768] } }, { zip: { 'caches.l2.sizeBytes': [262144, 524288], 'caches.l2.ways': [8, 16] } }],
      seeds: [1, 2],
      repeats: 2,
    };
    const fromJson = readSweepFile(sweepFile('j.json', JSON.stringify(doc)));
    const yaml = `name: j
base: tiny
set: { run.mode: functional }
workloads:
  - { workload: bench-chase, params: { footprint_bytes: 0x1000 } }
axes:
  - set: { caches.l1d.sizeBytes: [16384, 32768] }
  - zip: { caches.l2.sizeBytes: [262144, 524288], caches.l2.ways: [8, 16] }
seeds: [1, 2]
repeats: 2
`;
    expect(readSweepFile(sweepFile('j.yaml', yaml)).sweep).toEqual(fromJson.sweep);
  });

  it('names the file and the field of an unknown top-level key, listing the valid keys', () => {
    const f = sweepFile('unknown.yaml', 'workloads: [bench-gups]\naxis: []\n');
    expect(errorOf(f)).toBe(`${f}: (top level): unknown key "axis"; valid keys: name, base, set, workloads, axes, seeds, repeats`);
  });

  it('names the axis field when an axis value is not a list', () => {
    const f = sweepFile('scalar-axis.yaml', 'workloads: [bench-gups]\naxes:\n  - set: { caches.l1d.sizeBytes: 16384 }\n');
    expect(errorOf(f)).toBe(`${f}: axes[0].set["caches.l1d.sizeBytes"]: expected a list, got 16384`);
  });

  it('names the workload entry that has an unknown key', () => {
    const f = sweepFile('bad-workload.yaml', 'workloads:\n  - bench-gups\n  - { workload: bench-chase, param: { seed: 1 } }\n');
    expect(errorOf(f)).toBe(`${f}: workloads[1]: unknown key "param"; valid keys: workload, params`);
  });

  it('names the field of a negative workload parameter', () => {
    const f = sweepFile('neg.yaml', 'workloads:\n  - { workload: bench-chase, params: { seed: -1 } }\n');
    expect(errorOf(f)).toBe(`${f}: workloads[0].params.seed: expected >= 0, got -1`);
  });

  it('names an axis key that is not a configuration path, and an axis that is neither set nor zip', () => {
    const f = sweepFile('bad-path.yaml', 'workloads: [bench-gups]\naxes:\n  - set: { "l1d size": [1] }\n');
    expect(errorOf(f)).toBe(`${f}: axes[0].set["l1d size"]: invalid key: expected a dotted configuration path such as caches.l1d.sizeBytes`);
    const g = sweepFile('both.yaml', 'workloads: [bench-gups]\naxes:\n  - { set: { a: [1] }, zip: { b: [2] } }\n');
    expect(errorOf(g)).toBe(`${g}: axes[0]: an axis is either { set: { path: [values] } } or { zip: { path: [values] } }, not both or neither, got an object {"set":{"a":[1]},"zip":{"b":[2]}}`);
  });

  it('rejects a sweep without workloads and a name that is not a directory name', () => {
    expect(errorOf(sweepFile('none.yaml', 'workloads: []\n'))).toMatch(/none\.yaml: workloads: a sweep needs at least one workload/);
    expect(errorOf(sweepFile('slash.yaml', 'name: a/b\nworkloads: [x]\n'))).toMatch(/slash\.yaml: name: expected letters, digits/);
  });

  it('gives the line and column of a YAML syntax error and of a JSON one', () => {
    const broken = sweepFile('broken.yaml', 'workloads: [bench-gups\nrepeats: 2\n');
    expect(errorOf(broken)).toMatch(new RegExp(`^${broken}:2:1: not valid YAML: [^\\n]*\\]$`));
    expect(errorOf(sweepFile('broken.json', '{\n  "workloads": [1,]\n}'))).toBe(`${join(dir, 'broken.json')}:2:19: not valid JSON`);
  });

  it('says when the file does not exist', () => {
    expect(errorOf(join(dir, 'missing.yaml'))).toBe(`${join(dir, 'missing.yaml')}: cannot read sweep file: no such file`);
  });

  it('writes field paths with indices in brackets and dotted keys quoted', () => {
    expect(fieldName(['axes', 0, 'set', 'caches.l1d.sizeBytes', 1])).toBe('axes[0].set["caches.l1d.sizeBytes"][1]');
    expect(fieldName([])).toBe('(top level)');
  });
});
