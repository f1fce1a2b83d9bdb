import { execFileSync } from 'node:child_process';

/**
 * Sweep throughput for `npm run bench`: one sweep run from scratch into a temporary store with a
 * given number of workers, in a fresh node process, so that its peak RSS is the sweep's own
 * (main thread plus workers) and not the rest of the benchmark's.
 */

export interface SweepThroughput {
  jobs: number;
  points: number;
  seconds: number;
  pointsPerSecond: number;
  failures: number;
  /** Peak resident set of the whole process (main thread and every worker). */
  peakRssBytes: number;
  /** The largest heap + external size any worker isolate reported. */
  peakWorkerHeapBytes: number;
  /**
   * CPU seconds during the sweep: of every thread of the process; of the worker threads while
   * they ran points (the simulations); of the main thread (planning aside: scheduling, storing).
   * The rest is other threads': V8's optimising compiler and GC helpers, and worker start-up.
   * Null where per-thread CPU time is not available (common/thread-cpu.ts).
   */
  cpu: { total: number; points: number; main: number } | null;
}

// Runs in the child: argv = [node, sweep file or STUDY#SWEEP, jobs]; prints one JSON line.
const CHILD = `
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { planSweep } = await import(new URL('./expand.js', process.env.RVHSIM_SWEEP_DIR).href);
const { runSweep } = await import(new URL('./run-sweep.js', process.env.RVHSIM_SWEEP_DIR).href);
const { threadCpuSeconds } = await import(new URL('../../common/thread-cpu.js', process.env.RVHSIM_SWEEP_DIR).href);
const [file, jobs] = process.argv.slice(1);
const out = mkdtempSync(join(tmpdir(), 'rvhsim-bench-sweep-'));
try {
  const hash = file.lastIndexOf('#');
  let plan;
  if (hash < 0) plan = planSweep(file);
  else {
    const { readStudy } = await import(new URL('../study.js', process.env.RVHSIM_SWEEP_DIR).href);
    const key = file.slice(hash + 1);
    plan = readStudy(file.slice(0, hash)).sweeps.find((s) => s.key === key)?.plan;
    if (plan === undefined) throw new Error(file + ': the study has no sweep ' + key);
  }
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = threadCpuSeconds();
  const s = await runSweep({ plan, out, jobs: Number(jobs) });
  const seconds = (performance.now() - start) / 1000;
  const cpu1 = process.cpuUsage(cpu0);
  const main1 = threadCpuSeconds();
  let heap = 0;
  let points = 0;
  let pointsKnown = true;
  for (const f of readdirSync(join(out, 'host'))) {
    const h = JSON.parse(readFileSync(join(out, 'host', f), 'utf8'));
    heap = Math.max(heap, h.peakHeapBytes);
    if (typeof h.cpuSeconds === 'number') points += h.cpuSeconds;
    else pointsKnown = false;
  }
  const cpu = main0 === null || main1 === null || !pointsKnown ? null : { total: (cpu1.user + cpu1.system) / 1e6, points, main: main1 - main0 };
  console.log(JSON.stringify({ points: s.ran, seconds, failures: s.failures.length, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakWorkerHeapBytes: heap, cpu }));
} finally {
  rmSync(out, { recursive: true, force: true });
}
`;

/** sweepFile: a sweep file, or `STUDY.yaml#KEY` for one sweep of a study file. */
export function measureSweepThroughput(sweepFile: string, jobs: number): SweepThroughput {
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, sweepFile, String(jobs)], {
    encoding: 'utf8',
    env: { ...process.env, RVHSIM_SWEEP_DIR: new URL('./', import.meta.url).href },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const r = JSON.parse(text.trim().split('\n').pop()!) as Omit<SweepThroughput, 'jobs' | 'pointsPerSecond'>;
  return { jobs, ...r, pointsPerSecond: r.points / r.seconds };
}

function cpuLine(c: NonNullable<SweepThroughput['cpu']>): string {
  const other = Math.max(0, c.total - c.points - c.main);
  return `${c.total.toFixed(1)} s: simulations ${c.points.toFixed(1)} s, main thread ${c.main.toFixed(1)} s, other threads (V8 compiler, GC, worker start-up) ${other.toFixed(1)} s`;
}

/**
 * The bench's sweep lines: throughput per run, the speed-up against its target (null: reported,
 * not judged), memory. Runs may come in several rounds (1 worker, 2 workers, 1 worker, ...): the
 * i-th run with 1 worker pairs with the i-th with 2, and the speed-up is the median pair's, since
 * this machine's neighbours move a single pair of short sweeps by up to 20%. The CPU-bound
 * ceiling is what the 2-worker run would reach with both cores busy from start to end:
 * 1-worker time / (2-worker CPU / 2).
 */
export function formatSweepThroughput(runs: readonly SweepThroughput[], target: number | null): string[] {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = runs.map(
    (r) =>
      `sweep with ${r.jobs} worker${r.jobs === 1 ? ' ' : 's'}: ${r.points} points in ${r.seconds.toFixed(1)} s, ${r.pointsPerSecond.toFixed(2)} points/s` +
      `${r.failures > 0 ? ` (${r.failures} failed)` : ''}; peak RSS ${mib(r.peakRssBytes)}, peak worker heap ${mib(r.peakWorkerHeapBytes)}` +
      (r.cpu === null ? '' : `; CPU ${cpuLine(r.cpu)}`),
  );
  const ones = runs.filter((r) => r.jobs === 1);
  const twos = runs.filter((r) => r.jobs === 2);
  const pairs = Math.min(ones.length, twos.length);
  if (pairs === 0) return lines;
  const speedups = Array.from({ length: pairs }, (_, i) => twos[i]!.pointsPerSecond / ones[i]!.pointsPerSecond);
  const speedup = median(speedups);
  const ceilings = Array.from({ length: pairs }, (_, i) => (twos[i]!.cpu === null ? NaN : ones[i]!.seconds / (twos[i]!.cpu!.total / 2))).filter((c) => !Number.isNaN(c));
  const memory = Math.max(...Array.from({ length: pairs }, (_, i) => twos[i]!.peakRssBytes - ones[i]!.peakRssBytes), 0);
  lines.push(
    `sweep speed-up 2 vs 1 workers: ${speedup.toFixed(2)}x${pairs > 1 ? ` (median of ${speedups.map((x) => x.toFixed(2)).join(', ')})` : ''} ` +
      (target === null ? '(not judged)' : `(target >= ${target}x: ${speedup >= target ? 'met' : 'NOT met'})`) +
      (ceilings.length > 0 ? `; CPU-bound ceiling ${median(ceilings).toFixed(2)}x` : '') +
      `; memory per added worker ~${mib(memory)} RSS`,
  );
  return lines;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
