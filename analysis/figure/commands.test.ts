import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../test-support/cli.js';
import { readStudy } from '../study.js';
import { prefillPlan, tlbFixture, writeFixtureStore } from './test-support/fixture-store.js';

/** The rvhsim CLI in-process (analysis/test-support/cli.ts); a user error is exit code 2 with its message on stderr. */
const rvhsim = cli;

const tmp = mkdtempSync(join(tmpdir(), 'rvhsim-figure-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const store = join(tmp, 'store');
writeFixtureStore(store, 'tlb', tlbFixture());
const spec = join(tmp, 'orgs.json');
writeFileSync(
  spec,
  JSON.stringify({ kind: 'bars', title: 'refs', metric: 'mmu.walker.refs/mmu.walker.walks', x: 'workload', series: 'mmu.tlb.organisation', aggregate: 'mean', output: 'orgs' }),
);

describe('rvhsim figure', () => {
  it('writes the SVG, CSV and TeX files into --out and prints their paths', async () => {
    const out = join(tmp, 'figs');
    const r = await rvhsim('figure', spec, '--results', store, '--out', out, '--no-pdf');
    expect(r.code).toBe(0);
    expect(r.out).toBe(['svg', 'csv', 'tex'].map((e) => `${join(out, `orgs.${e}`)}\n`).join(''));
    expect(readFileSync(join(out, 'orgs.csv'), 'utf8').split('\n')[1]).toBe('bench-gups,combined,9,4');
  });

  it('asks for --results when the spec names no store', async () => {
    const r = await rvhsim('figure', spec, '--out', join(tmp, 'x'), '--no-pdf');
    expect(r.code).toBe(2);
    expect(r.err).toContain('orgs.json: the spec names no "results" store; give one with --results DIR');
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });

  it('reports a spec error with the file and field', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'bars', title: 't', x: 'workload', output: 'b' }));
    const r = await rvhsim('figure', bad, '--results', store, '--no-pdf');
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.json: metric: missing (required)');
  });
});

describe('rvhsim study', () => {
  it('renders the figures of a study whose points are stored and prints where the results and figures are', async () => {
    const figSpec = join(tmp, 'modes.json');
    writeFileSync(figSpec, JSON.stringify({ kind: 'bars', title: 'CPI', metric: 'timing.cycles/timing.instructions', x: 'run.params.mode', output: 'modes' }));
    const file = join(tmp, 'tiny.yaml');
    writeFileSync(file, 'name: tiny\nsweeps:\n  modes:\n    base: inorder-default\n    workloads: [bench-gups]\n    axes: [{ set: { run.params.mode: [1, 3] } }]\nfigures:\n  - { spec: modes.json, sweep: modes }\n');
    const out = join(tmp, 'study-out');
    prefillPlan(readStudy(file).sweeps[0]!.plan, join(out, 'modes'), (c) => ({ 'timing.cycles': c.run.params.mode === 3 ? 1500 : 1000, 'timing.instructions': 1000 }));
    const r = await rvhsim('study', file, '--out', out, '--no-pdf', '--progress', 'none');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^study tiny: done in .*\n  results  ${out}/modes  \\(2 ok\\)\n  figures  ${out}/figures/  \\(3 files: svg, csv, tex\\)\n(  dashboard  ${out}/modes/dashboard\\.html\n)?$`));
    expect(readFileSync(join(out, 'figures', 'modes.csv'), 'utf8')).toBe('run.params.mode,timing.cycles/timing.instructions,points\n1,1,1\n3,1.5,1\n');
  });

  it('says which file is wrong before running anything', async () => {
    const r = await rvhsim('study', join(tmp, 'none.yaml'), '--no-pdf', '--progress', 'none');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/none\.yaml: cannot read study file: no such file/);
  });
});
