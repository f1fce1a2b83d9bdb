import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_LIMIT, EXIT_USER_ERROR } from '../cli.js';
import { cli } from '../test-support/cli.js';
import { EXIT_SWEEP_FAILURES } from './commands.js';
import { ResultStore } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', '..', 'workloads', 'bin');

// Six points: hello exits 0 or stops at a 100-instruction limit; bench-gups with a table that is
// not a power of two rejects its parameters (guest exit 2); an ELF without a parameter block given
// a parameter fails when it is loaded (a user error found at run time).
copyFileSync(join(bin, 'hello.elf'), join(dir, 'noparams.elf'));
const sweepFile = join(dir, 'cmd.yaml');
writeFileSync(
  sweepFile,
  `set: { run.mode: functional }
workloads:
  - hello
  - { workload: bench-gups, params: { footprint_bytes: 1000 } }
  - { workload: ./noparams.elf, params: { seed: 1 } }
axes:
  - set: { run.maxInsns: [100000000, 100] }
`,
);

describe('rvhsim sweep plan', () => {
  it('lists the points in run order with their keys and states', async () => {
    const r = await cli('sweep', 'plan', sweepFile, '--out', join(dir, 'plan-store'));
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`sweep cmd (${sweepFile}): 6 points, 0 stored in ${join(dir, 'plan-store')}`);
    expect(lines.slice(2).map((l) => l.replace(/ [0-9a-f]{12} /, ' KEY '))).toEqual([
      '    0  KEY  pending  hello run.maxInsns=100000000',
      '    1  KEY  pending  hello run.maxInsns=100',
      '    2  KEY  pending  bench-gups run.maxInsns=100000000',
      '    3  KEY  pending  bench-gups run.maxInsns=100',
      '    4  KEY  pending  noparams run.maxInsns=100000000',
      '    5  KEY  pending  noparams run.maxInsns=100',
    ]);
  });

  it('prints the plan as JSON with each point\'s resolved configuration', async () => {
    const r = await cli('sweep', 'plan', sweepFile, '--json', '--out', join(dir, 'plan-store'));
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as { name: string; points: { index: number; key: string; state: string; config: { run: { maxInsns: number; params: object } } }[] };
    expect(plan.name).toBe('cmd');
    expect(plan.points.map((p) => p.config.run.maxInsns)).toEqual([100000000, 100, 100000000, 100, 100000000, 100]);
    expect(plan.points[2]!.config.run.params).toEqual({ footprint_bytes: 1000 });
    expect(plan.points.every((p) => /^[0-9a-f]{64}$/.test(p.key) && p.state === 'pending')).toBe(true);
  });

  it('fails with exit code 2 and a message naming the file for a bad sweep file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'workloads: [hello]\naxes: [{ set: { run.maxinsns: [1] } }]\n');
    const r = await cli('sweep', 'plan', bad);
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(new RegExp(`rvhsim: ${bad}: axes\\[0\\]\\.set\\["run\\.maxinsns"\\]\\[0\\]: unknown key "run\\.maxinsns"`));
  });
});

describe('rvhsim sweep run --index (one point, in this process)', () => {
  const out = join(dir, 'store');

  it('runs one point into the store, then finds it there instead of running it again', async () => {
    const first = await cli('sweep', 'run', sweepFile, '--index', '0', '--out', out);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^sweep cmd point 0 of 6 \(hello run\.maxInsns=100000000\): ok: guest passed\n/);
    const store = new ResultStore(out);
    const [key] = store.keys();
    expect(store.read(key!)?.status).toBe('ok');
    const bytes = readFileSync(join(out, 'points', `${key}.json`));
    const again = await cli('sweep', 'run', sweepFile, '--index', '0', '--out', out, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ index: 0, key, ran: false, status: 'ok' });
    expect(readFileSync(join(out, 'points', `${key}.json`))).toEqual(bytes);
  });

  it('stores a limit, a guest failure and a run-time user error, each with the exit code rvhsim run would give', async () => {
    const limit = await cli('sweep', 'run', sweepFile, '--index', '1', '--out', out, '--json');
    expect(limit.code).toBe(EXIT_LIMIT);
    expect(JSON.parse(limit.out)).toMatchObject({ status: 'limit', ran: true });
    const guest = await cli('sweep', 'run', sweepFile, '--index', '2', '--out', out, '--json');
    expect(guest.code).toBe(EXIT_SWEEP_FAILURES);
    expect(JSON.parse(guest.out)).toMatchObject({ status: 'guest-failure', message: 'guest failed with exit code 2' });
    const user = await cli('sweep', 'run', sweepFile, '--index', '4', '--out', out, '--json');
    expect(user.code).toBe(EXIT_USER_ERROR);
    const o = JSON.parse(user.out) as { key: string; status: string; message: string };
    expect(o.status).toBe('error');
    expect(o.message).toMatch(/noparams\.elf: .*no rvh_params parameter block/);
    // The error is recorded apart from results: the point is not done.
    const store = new ResultStore(out);
    expect(store.has(o.key)).toBe(false);
    expect(store.readError(o.key)?.error.kind).toBe('user');
    const plan = await cli('sweep', 'plan', sweepFile, '--out', out);
    expect(plan.out.split('\n').slice(2, 8).map((l) => l.split(/\s+/)[3])).toEqual(['stored', 'stored', 'stored', 'pending', 'error', 'pending']);
  });

  it('writes the manifest: every point in order with its key and coordinates', () => {
    const manifest = new ResultStore(out).readManifest()!;
    expect(manifest.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(manifest.points[3]).toMatchObject({ workload: { name: 'bench-gups' }, coordinates: [{ path: 'run.maxInsns', value: 100 }] });
    expect(readdirSync(join(out, 'tmp'))).toEqual([]);
  });

  it('rejects an index outside the plan with exit code 2', async () => {
    const r = await cli('sweep', 'run', sweepFile, '--index', '6', '--out', out);
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toBe(`rvhsim: --index 6: the sweep ${sweepFile} has 6 points (0..5)\n`);
    expect(existsSync(join(out, 'points'))).toBe(true);
  });
});
