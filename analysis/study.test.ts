import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, UserError } from '../common/errors.js';
import { prefillPlan } from './figure/test-support/fixture-store.js';
import { builtPackage } from './sweep/test-support/built-package.js';
import type { MachineConfig } from '../pipeline/config.js';
import { checkStudyFigures, readStudy, runStudy } from './study.js';

const examples = join(import.meta.dirname, '..', 'examples');
const tmp = mkdtempSync(join(tmpdir(), 'rvhsim-study-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const SPEC = {
  kind: 'line',
  title: 'CPI by DTLB size',
  metric: 'timing.cycles/timing.instructions',
  x: 'mmu.tlb.dtlb.arrays.0.entries',
  series: { path: 'run.params.mode', labels: { '1': 'native', '3': 'virtualized' } },
  logX: true,
  output: 'cpi',
};

/** CPI 1 natively, 1.5 virtualized, plus 256/entries. */
function tinyStats(config: MachineConfig): Record<string, number> {
  const entries = (config.mmu.tlb.dtlb.arrays[0] as { entries: number }).entries;
  return { 'timing.cycles': 1000 + (config.run.params.mode === 3 ? 500 : 0) + 256 / entries, 'timing.instructions': 1000 };
}

const STUDY = `
name: tiny
sweeps:
  tlb:
    base: inorder-default
    workloads: [bench-gups]
    axes:
      - set: { mmu.tlb.dtlb.arrays: [[{ entries: 8 }], [{ entries: 32 }]] }
      - set: { run.params.mode: [1, 3] }
figures:
  - { spec: cpi.json, sweep: tlb }
`;

describe('the example studies', () => {
  for (const [file, points] of [
    ['study-default.yaml', 65],
    ['study-paper.yaml', 264],
  ] as const) {
    it(`${file} expands to ${points} points and its figures fit its sweeps`, () => {
      const study = readStudy(join(examples, file));
      expect(study.sweeps.reduce((n, s) => n + s.plan.points.length, 0)).toBe(points);
      expect(study.figures.length).toBeGreaterThanOrEqual(4);
      expect(() => checkStudyFigures(study)).not.toThrow();
    });
  }
});

describe('study files a user can get wrong', () => {
  it('names a figure that plots a sweep the study does not have', () => {
    write('cpi.json', JSON.stringify(SPEC));
    const file = write('bad-sweep.yaml', STUDY.replace('sweep: tlb }', 'sweep: tlbs }'));
    expect(() => readStudy(file)).toThrow(ConfigError);
    expect(() => readStudy(file)).toThrow(/bad-sweep\.yaml: figures\[0\]\.sweep: no sweep named tlbs \(sweeps: tlb\)/);
  });

  it('names the study and sweep of an error inside a sweep', () => {
    const file = write('bad-axis.yaml', STUDY.replace('run.params.mode: [1, 3]', 'run.params.mode: []'));
    expect(() => readStudy(file)).toThrow(/bad-axis\.yaml#tlb: axes\[1\]\.set\["run\.params\.mode"\]: an axis needs at least one value/);
  });

  it('finds a figure path that names nothing in the sweep before anything runs', () => {
    write('typo.json', JSON.stringify({ ...SPEC, x: 'mmu.tlb.dtlb.arrays.0.entires', output: 'typo' }));
    const file = write('typo.yaml', STUDY.replace('cpi.json', 'typo.json'));
    expect(() => checkStudyFigures(readStudy(file))).toThrow(UserError);
    expect(() => checkStudyFigures(readStudy(file))).toThrow(/typo\.json: .*mmu\.tlb\.dtlb\.arrays\.0\.entires is neither a coordinate of the sweep nor a configuration field/);
  });

  it('finds points that would share a cell without an aggregate before anything runs', () => {
    write('crowded.json', JSON.stringify({ ...SPEC, series: [], output: 'crowded' }));
    const file = write('crowded.yaml', STUDY.replace('cpi.json', 'crowded.json'));
    expect(() => checkStudyFigures(readStudy(file))).toThrow(/2 points fall on the cell .*; they differ in run\.params\.mode/);
  });

  it('rejects a study without sweeps and reports invalid YAML with the file', () => {
    expect(() => readStudy(write('empty.yaml', 'name: e\nsweeps: {}\n'))).toThrow(/empty\.yaml: sweeps: a study needs at least one sweep/);
    expect(() => readStudy(write('broken.yaml', 'name: [\n'))).toThrow(/broken\.yaml: not valid YAML/);
  });
});

describe('runStudy', () => {
  it('renders the figures of sweeps whose points are all stored, running nothing, and names where everything is', async () => {
    write('cpi.json', JSON.stringify(SPEC));
    const file = write('tiny.yaml', STUDY);
    const out = join(tmp, 'out');
    // Every point stored beforehand (hand-made records under the plan's keys): no worker is started.
    prefillPlan(readStudy(file).sweeps[0]!.plan, join(out, 'tlb'), tinyStats);
    const log: string[] = [];
    const r = await runStudy({
      sweepFile: file,
      out,
      jobs: 1,
      pdf: false,
      progress: 'none',
      log: (t) => log.push(t),
      workerFile: join(tmp, 'no-worker.js'),
      dashboard: (s) => join(s.dir, `${s.study}-${s.sweep}.html`),
    });
    expect(r.resultsDir).toBe(out);
    expect(r.stores).toEqual([{ sweep: 'tlb', dir: join(out, 'tlb') }]);
    expect(r.sweeps[0]).toMatchObject({ name: 'tiny-tlb', points: 4, alreadyStored: 4, ran: 0, ok: 4 });
    expect(r.failures).toBe(0);
    expect(r.figures).toEqual(['svg', 'csv', 'tex'].map((ext) => join(out, 'figures', `cpi.${ext}`)));
    expect(readFileSync(join(out, 'figures', 'cpi.csv'), 'utf8')).toBe(
      ['mmu.tlb.dtlb.arrays.0.entries,run.params.mode,timing.cycles/timing.instructions,points', '8,native,1.032,1', '8,virtualized,1.532,1', '32,native,1.008,1', '32,virtualized,1.508,1', ''].join('\n'),
    );
    expect(existsSync(join(out, 'tlb', 'manifest.json'))).toBe(true);
    expect(log.join('')).toContain('study tiny: 1 sweep, 4 points, 1 figures, into');
    expect(r.dashboards).toEqual([join(out, 'tlb', 'tiny-tlb.html')]);
  });

  it('runs every sweep of a study on the same workers, so that each compiles the simulator once per study, not once per sweep', async () => {
    // A worker module that answers every point with an error naming its thread.
    const record = builtPackage().dist('analysis/sweep/record.js');
    const worker = write(
      'thread-worker.mjs',
      `import { threadId } from 'node:worker_threads';
import { errorRecord } from ${JSON.stringify(record)};
export default (task) => ({ kind: 'error', record: errorRecord(task, 'internal', 'thread ' + threadId), host: { key: task.key, hostSeconds: 0, mips: 0, peakHeapBytes: 0, finishedAt: new Date().toISOString() } });
`,
    );
    const sweep = (wl: string) => `    base: inorder-default\n    workloads: [${wl}]\n    axes:\n      - set: { run.params.mode: [1, 3] }\n`;
    const file = write('two-sweeps.yaml', `name: two\nsweeps:\n  a:\n${sweep('bench-gups')}  b:\n${sweep('bench-chase')}`);
    const r = await runStudy({ sweepFile: file, out: join(tmp, 'two-sweeps'), jobs: 1, figures: false, pdf: false, progress: 'none', log: () => {}, workerFile: worker });
    const messages = r.sweeps.flatMap((s) => s.failures.map((f) => f.message));
    expect(r.sweeps.map((s) => s.ran)).toEqual([2, 2]);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toMatch(/^thread \d+$/);
    expect(new Set(messages).size).toBe(1);
  });

  it('renders a plain sweep file with the figures given', async () => {
    write('cpi.json', JSON.stringify(SPEC));
    const sweepFile = write('plain.yaml', 'name: plain\nbase: inorder-default\nworkloads: [bench-gups]\n');
    const study = readStudy(sweepFile, [join(tmp, 'cpi.json')]);
    expect(study.sweeps.map((s) => s.key)).toEqual(['plain']);
    expect(study.figures.map((f) => f.sweep)).toEqual(['plain']);
  });
});
