import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../common/errors.js';
import { checkParams, closestNames, findWorkload, resolveWorkload, WORKLOAD_MODES, WORKLOADS, type WorkloadEntry } from './catalog.js';
import { loadElfFile } from './elf.js';
import { RVH_PARAMS_FIELDS, RVH_PARAMS_MAGIC, RVH_PARAMS_SYMBOL } from './params.js';

const here = import.meta.dirname;
const programs = readdirSync(join(here, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const committed = readdirSync(join(here, 'bin'))
  .filter((f) => f.endsWith('.elf'))
  .map((f) => f.slice(0, -'.elf'.length))
  .sort();
const names = WORKLOADS.map((w) => w.name).sort();

/** A field of the compiled rvh_params block of a committed ELF, or null when it has no block. */
function compiledParam(name: string, field: (typeof RVH_PARAMS_FIELDS)[number]): bigint | null {
  const image = loadElfFile(join(here, 'bin', `${name}.elf`));
  const block = image.symbols.get(RVH_PARAMS_SYMBOL);
  if (block === undefined) return null;
  const at = block + BigInt(8 * RVH_PARAMS_FIELDS.indexOf(field));
  const seg = image.segments.find((s) => at >= s.vaddr && at + 8n <= s.vaddr + BigInt(s.data.length));
  if (seg === undefined) throw new Error(`${name}: rvh_params.${field} outside the initialised segments`);
  return new DataView(seg.data.buffer, seg.data.byteOffset).getBigUint64(Number(at - seg.vaddr), true);
}

function entry(name: string): WorkloadEntry {
  const e = findWorkload(name);
  if (e === undefined) throw new Error(`no catalog entry ${name}`);
  return e;
}

describe('the workload catalog matches the filesystem', () => {
  it('has one entry per program directory in workloads/src, and no other', () => {
    expect(names).toEqual(programs);
  });

  it('has a committed ELF in workloads/bin for every entry, and no ELF without an entry', () => {
    expect(committed).toEqual(names);
  });
});

describe('catalog parameters', () => {
  for (const w of WORKLOADS) {
    it(`${w.name}: every parameter default equals the value compiled into its rvh_params block, and it has parameters exactly when it has the block`, () => {
      expect(w.parameters.length > 0).toBe(compiledParam(w.name, 'magic') === RVH_PARAMS_MAGIC);
      for (const p of w.parameters) expect(compiledParam(w.name, p.field), p.name).toBe(BigInt(p.default));
    });
  }

  it('every default lies within its range, among its allowed values and on its multiple', () => {
    for (const w of WORKLOADS) {
      for (const p of w.parameters) {
        expect(p.default, `${w.name} ${p.name}`).toBeGreaterThanOrEqual(p.min);
        expect(p.default, `${w.name} ${p.name}`).toBeLessThanOrEqual(p.max);
        if (p.values) expect(p.values).toContain(p.default);
        if (p.multipleOf) expect(p.default % p.multipleOf).toBe(0);
      }
    }
  });

  it('a benchmark kernel\'s modes are exactly what its mode parameter selects (rvh_params.mode 0 = M, 1 = S, 2 = U, 3 = VS, 4 = VU)', () => {
    for (const w of WORKLOADS) {
      const mode = w.parameters.find((p) => p.field === 'mode');
      if (mode === undefined) continue;
      const selectable = WORKLOAD_MODES.slice(mode.min, mode.max + 1);
      expect(w.modes, w.name).toEqual(selectable);
    }
  });

  it('names parameters uniquely, by name and by field, within each workload', () => {
    for (const w of WORKLOADS) {
      expect(new Set(w.parameters.map((p) => p.name)).size, w.name).toBe(w.parameters.length);
      expect(new Set(w.parameters.map((p) => p.field)).size, w.name).toBe(w.parameters.length);
    }
  });

  it('lists every MiBench-style kernel of issue 6 as a benchmark that runs natively in M, S and U', () => {
    for (const name of ['bench-qsort', 'bench-dijkstra', 'bench-sha', 'bench-crc32', 'bench-bitcount', 'bench-stringsearch', 'bench-susan']) {
      expect(entry(name).kind).toBe('benchmark');
      expect(entry(name).modes).toEqual(expect.arrayContaining(['M', 'S', 'U']));
    }
  });
});

describe('resolveWorkload', () => {
  it('maps a catalog name to its committed ELF under the package root', () => {
    expect(resolveWorkload('bench-susan')).toEqual({ name: 'bench-susan', elf: join(here, 'bin', 'bench-susan.elf') });
  });

  it('passes a path to an existing file through, named by its base name', () => {
    const path = join(here, 'bin', 'hello.elf');
    expect(resolveWorkload(path)).toEqual({ name: 'hello', elf: path });
  });

  it('rejects an unknown name with a UserError naming it and the closest catalog names', () => {
    expect(() => resolveWorkload('bench-shaa')).toThrow(UserError);
    expect(() => resolveWorkload('bench-shaa')).toThrow(/unknown workload "bench-shaa".*did you mean bench-sha\b/);
    expect(() => resolveWorkload('no/such/file.elf')).toThrow(/unknown workload "no\/such\/file\.elf"/);
  });

  it('suggests names that contain the query or are a few edits away', () => {
    expect(closestNames('susan')).toEqual(['bench-susan']);
    expect(closestNames('priv-sv38')[0]).toBe('priv-sv39');
    expect(closestNames('zzzzzzzzzzzzzzzz')).toEqual([]);
  });
});

describe('checkParams', () => {
  const chase = entry('bench-chase');

  it('keys the values by the rvh_params field, accepting a kernel argument by its name or its field', () => {
    expect(checkParams(chase, { stride: 128, footprint_bytes: 4096 })).toEqual({ arg0: 128, footprint_bytes: 4096 });
    expect(checkParams(chase, { arg0: 32 })).toEqual({ arg0: 32 });
  });

  it('rejects an unknown key naming the key, the workload and its parameters', () => {
    expect(() => checkParams(chase, { radius: 2 })).toThrow(/--param radius: bench-chase has no parameter "radius"; its parameters: seed, footprint_bytes, .*stride/);
    expect(() => checkParams(entry('hello'), { seed: 2 })).toThrow(/hello has no parameter "seed"; it takes no parameters/);
  });

  it('rejects a value outside the range naming the key, the workload and the range', () => {
    expect(() => checkParams(entry('bench-susan'), { radius: 9 })).toThrow(/--param radius=9: bench-susan's radius \(arg0\) must be in 1\.\.8/);
    expect(() => checkParams(chase, { mode: 5 })).toThrow(/bench-chase's mode must be in 0\.\.4/);
  });

  it('rejects a value outside an enumeration or off its multiple', () => {
    expect(() => checkParams(chase, { page_size: 8192 })).toThrow(/page_size must be one of 4096, 2097152, 1073741824/);
    expect(() => checkParams(chase, { stride: 24 })).toThrow(/stride \(arg0\) must be a multiple of 16/);
  });
});
