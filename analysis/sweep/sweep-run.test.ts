import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtPackage, type BuiltPackage } from './test-support/built-package.js';

/**
 * The sweep with real worker threads and a real CLI process. Workers load JavaScript, so these
 * tests run the built package (test-support/built-package.ts builds it once per source state).
 */

type ExpandModule = typeof import('./expand.js');
type RunSweepModule = typeof import('./run-sweep.js');

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-sweep-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', '..', 'workloads', 'bin');
let pkg: BuiltPackage;
let expand: ExpandModule;
let sweeps: RunSweepModule;

beforeAll(async () => {
  pkg = builtPackage();
  expand = (await import(pkg.dist('analysis/sweep/expand.js'))) as ExpandModule;
  sweeps = (await import(pkg.dist('analysis/sweep/run-sweep.js'))) as RunSweepModule;
}, 180_000);

function writeSweep(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Every file of a store's points/ directory with its bytes. */
function storedPoints(out: string): Map<string, string> {
  const points = join(out, 'points');
  if (!existsSync(points)) return new Map();
  return new Map(readdirSync(points).map((f) => [f, readFileSync(join(points, f), 'utf8')]));
}

/** How many point records (done points) a store holds. */
function storedRecords(out: string): number {
  return [...storedPoints(out).keys()].filter((f) => f.endsWith('.json')).length;
}

// Eight short points in detailed mode (about 0.1-0.3 s each): long enough to interrupt a sweep
// between two of them, short enough for a test.
const steadySweep = writeSweep(
  'steady',
  `name: steady
set: { run.mode: detailed }
workloads:
  - { workload: bench-gups, params: { iterations: 1024 } }
  - { workload: bench-chase, params: { iterations: 4000 } }
axes:
  - set: { caches.walkerLevel: [l1d, l2], caches.l1d.sizeBytes: [16384, 32768] }
`,
);

describe('sweep run on the worker pool', () => {
  it('isolates failures: a guest failure, a limit, a run-time user error and a crashed worker each become a record, the other points finish', async () => {
    copyFileSync(join(bin, 'hello.elf'), join(dir, 'noparams.elf'));
    const file = writeSweep(
      'failing',
      `set: { run.mode: functional }
workloads:
  - hello
  - { workload: bench-gups, params: { footprint_bytes: 1000 } }
  - { workload: ./noparams.elf, params: { seed: 1 } }
  - bench-crc32
axes:
  - set: { run.maxInsns: [100000000, 100] }
`,
    );
    // A worker module that dies (as on a native crash or running out of memory) on point 6.
    const crashing = join(dir, 'crashing-worker.mjs');
    writeFileSync(crashing, `import run from ${JSON.stringify(pkg.dist('analysis/sweep/worker.js'))};\nexport default (task) => (task.index === 6 ? process.exit(9) : run(task));\n`);
    const plan = expand.planSweep(file);
    const out = join(dir, 'failing-store');
    const s = await sweeps.runSweep({ plan, out, jobs: 2, workerFile: crashing });
    expect(s).toMatchObject({ points: 8, distinct: 8, alreadyStored: 0, ran: 8, ok: 1, missing: 0, interrupted: false });
    expect(s.failures.map((f) => [f.index, f.status])).toEqual([
      [1, 'limit'],
      [2, 'guest-failure'],
      [3, 'limit'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'limit'],
    ]);
    expect(s.failures[3]!.message).toMatch(/noparams\.elf: .*no rvh_params parameter block/);
    expect(s.failures[5]!.message).toBe('the worker thread running this point died: worker exited with code: 9');

    // The next run retries only the points without a result: the crash does not recur, the user error does.
    const again = await sweeps.runSweep({ plan, out, jobs: 2 });
    expect(again).toMatchObject({ alreadyStored: 5, ran: 3, ok: 2 });
    expect(again.failures.map((f) => [f.index, f.status])).toEqual([
      [1, 'limit'],
      [2, 'guest-failure'],
      [3, 'limit'],
      [4, 'error'],
      [5, 'error'],
      [7, 'limit'],
    ]);
  });

  it('stores the same bytes with 1 and with 2 workers, and a second run skips every stored point without rewriting it', async () => {
    const plan = expand.planSweep(steadySweep);
    const one = join(dir, 'steady-1');
    const two = join(dir, 'steady-2');
    const s1 = await sweeps.runSweep({ plan, out: one, jobs: 1 });
    const s2 = await sweeps.runSweep({ plan, out: two, jobs: 2 });
    expect(s1).toMatchObject({ points: 8, ran: 8, ok: 8, failures: [] });
    expect(s2).toMatchObject({ points: 8, ran: 8, ok: 8, failures: [] });
    expect(storedPoints(two)).toEqual(storedPoints(one));
    // Each point: its record and its gem5-style stats.txt.
    expect([...storedPoints(one).keys()].sort()).toEqual(plan.points.flatMap((p) => [`${p.key}.json`, `${p.key}.stats.txt`]).sort());

    const mtimes = readdirSync(join(one, 'points')).map((f) => statSync(join(one, 'points', f)).mtimeMs);
    const again = await sweeps.runSweep({ plan, out: one, jobs: 2 });
    expect(again).toMatchObject({ alreadyStored: 8, ran: 0, ok: 8 });
    expect(readdirSync(join(one, 'points')).map((f) => statSync(join(one, 'points', f)).mtimeMs)).toEqual(mtimes);
  });
});

describe('a sweep killed mid-run resumes where it stopped', () => {
  interface Exit {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }

  /** Starts `rvhsim sweep run` as a child process. */
  function startSweep(out: string, ...extra: string[]): { child: ChildProcess; done: Promise<Exit> } {
    const child = spawn(process.execPath, [...pkg.cli, 'sweep', 'run', steadySweep, '--jobs', '1', '--out', out, '--progress', 'lines', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
  }

  async function untilStored(out: string, n: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (storedRecords(out) < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} points stored in ${out} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The uninterrupted sweep's points: the store of the test above, or a fresh run when that one was skipped. */
  async function reference(): Promise<Map<string, string>> {
    const earlier = storedPoints(join(dir, 'steady-2'));
    if (earlier.size === 16) return earlier;
    const out = join(dir, 'reference');
    if (!existsSync(out)) await sweeps.runSweep({ plan: expand.planSweep(steadySweep), out, jobs: 2 });
    return storedPoints(out);
  }

  it('after SIGKILL: every finished point is kept whole, the re-run runs only the rest, and the store ends with exactly the uninterrupted bytes', async () => {
    const out = join(dir, 'killed');
    const first = startSweep(out);
    await untilStored(out, 2);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const survivors = new Map([...storedPoints(out)].filter(([f]) => f.endsWith('.json')));
    expect(survivors.size).toBeGreaterThanOrEqual(2);
    expect(survivors.size).toBeLessThan(8);
    for (const text of survivors.values()) expect(() => JSON.parse(text) as unknown).not.toThrow();

    const second = startSweep(out);
    const resumed = await second.done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`already stored  ${survivors.size}\\n  ran now         ${8 - survivors.size} `));
    const expected = await reference();
    expect(storedPoints(out)).toEqual(expected);
    for (const [name, text] of survivors) expect(expected.get(name)).toBe(text);
    expect(readdirSync(join(out, 'tmp'))).toEqual([]);
  });

  it('after SIGINT: the sweep stops with exit code 130, says how to resume, and the re-run completes it', async () => {
    const out = join(dir, 'interrupted');
    const first = startSweep(out);
    await untilStored(out, 1);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.stderr).toMatch(new RegExp(`^sweep steady: 8 points, 0 already stored in ${out}, 8 to run on 1 worker\\(s\\)\n`));
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/interrupted: \d+ of 8 points are stored; run the same command again to resume/);
    expect(storedRecords(out)).toBeLessThan(8);
    const resumed = await startSweep(out).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/sweep steady: \d+\/\d+ points, 0 failed, [\d.]+ points\/s, ETA 0\.0 s\n$/);
    expect(storedPoints(out)).toEqual(await reference());
  });

  it('--index runs one point in its own process and stores the bytes the pool stored for it', async () => {
    const out = join(dir, 'by-index');
    const plan = expand.planSweep(steadySweep);
    const r = await startSweep(out, '--index', '5').done;
    expect(r.code).toBe(0);
    const key = plan.points[5]!.key;
    const ref = await reference();
    expect([...storedPoints(out)].sort()).toEqual([`${key}.json`, `${key}.stats.txt`].map((f) => [f, ref.get(f)]));
  });
});
