import { execFileSync } from 'node:child_process';

/**
 * Sweep throughput for `npm run bench`: one sweep run from scratch into a temporary store with a
 * given number of workers, in a fresh node process, so that its peak RSS is the sweep's own
 * (main thread plus workers) and not the rest of the benchmark's.
 */

export interface SweepThroughput {
  jobs: number;
  /** Which part of the sweep ran: every `of`-th point from the `index`-th; null: all of it. */
  slice: SweepSlice | null;
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

export interface SweepSlice {
  index: number;
  of: number;
}

// Runs in the child: argv = [node, sweep file or STUDY#SWEEP, jobs, slice index, slices]; prints one JSON line.
const CHILD = `
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { planSweep } = await import(new URL('./expand.js', process.env.RVHSIM_SWEEP_DIR).href);
const { runSweep } = await import(new URL('./run-sweep.js', process.env.RVHSIM_SWEEP_DIR).href);
const { threadCpuSeconds } = await import(new URL('../../common/thread-cpu.js', process.env.RVHSIM_SWEEP_DIR).href);
const [file, jobs, sliceIndex, slices] = process.argv.slice(1);
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
  // Slices by content-hash order: every slice gets a mix of each axis (index order would alias with an axis).
  const order = [...plan.points].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  plan = { ...plan, points: order.filter((_, i) => i % Number(slices) === Number(sliceIndex)).sort((a, b) => a.index - b.index) };
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
export function measureSweepThroughput(sweepFile: string, jobs: number, slice: SweepSlice | null = null): SweepThroughput {
  const { index, of } = slice ?? { index: 0, of: 1 };
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, sweepFile, String(jobs), String(index), String(of)], {
    encoding: 'utf8',
    env: { ...process.env, RVHSIM_SWEEP_DIR: new URL('./', import.meta.url).href },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const r = JSON.parse(text.trim().split('\n').pop()!) as Omit<SweepThroughput, 'jobs' | 'slice' | 'pointsPerSecond'>;
  return { jobs, slice, ...r, pointsPerSecond: r.points / r.seconds };
}

/**
 * The sweep with 1 and with 2 workers, in `slices` slices (every slices-th point in the order of
 * their content hashes, so that each slice has the sweep's mix of workloads and configurations:
 * every other point in plan order would put all of one value of the innermost axis, such as
 * native or virtualized, in one slice), each slice run with both in turn and the order
 * alternating (1, 2 | 2, 1 | ...). This VM's neighbours slow it by up to 50% for minutes at a
 * time; measured back to back over the same points, and with the order reversed half of the
 * time, both worker counts see the same conditions on average. Every run is a fresh process, so
 * each slice pays the workers' JIT start-up again: slices must stay long.
 */
export function measurePairedSweep(sweepFile: string, slices: number): SweepThroughput[] {
  const runs: SweepThroughput[] = [];
  for (let index = 0; index < slices; index++) {
    for (const jobs of index % 2 === 0 ? [1, 2] : [2, 1]) runs.push(measureSweepThroughput(sweepFile, jobs, slices === 1 ? null : { index, of: slices }));
  }
  return runs;
}

function cpuLine(c: NonNullable<SweepThroughput['cpu']>): string {
  const other = Math.max(0, c.total - c.points - c.main);
  return `${c.total.toFixed(1)} s: simulations ${c.points.toFixed(1)} s, main thread ${c.main.toFixed(1)} s, other threads (V8 compiler, GC, worker start-up) ${other.toFixed(1)} s`;
}

/**
 * The bench's sweep lines: throughput per run, the speed-up against its target (null: reported,
 * not judged), memory. Runs come in pairs over the same points (1 and 2 workers, in either order:
 * measurePairedSweep), pair i being the i-th run of each; the speed-up is the whole sweep's,
 * the pairs' 1-worker time over their 2-worker time, with each pair's own ratio shown. The
 * CPU-bound ceiling is what the 2-worker runs would reach with both cores busy from start to
 * end: 1-worker time / (2-worker CPU / 2).
 */
export function formatSweepThroughput(runs: readonly SweepThroughput[], target: number | null): string[] {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = runs.map(
    (r) =>
      `sweep${r.slice === null ? '' : ` slice ${r.slice.index + 1}/${r.slice.of}`} with ${r.jobs} worker${r.jobs === 1 ? ' ' : 's'}: ${r.points} points in ${r.seconds.toFixed(1)} s, ${r.pointsPerSecond.toFixed(2)} points/s` +
      `${r.failures > 0 ? ` (${r.failures} failed)` : ''}; peak RSS ${mib(r.peakRssBytes)}, peak worker heap ${mib(r.peakWorkerHeapBytes)}` +
      (r.cpu === null ? '' : `; CPU ${cpuLine(r.cpu)}`),
  );
  const ones = runs.filter((r) => r.jobs === 1);
  const twos = runs.filter((r) => r.jobs === 2);
  const pairs = Math.min(ones.length, twos.length);
  if (pairs === 0) return lines;
  const sum = (rs: readonly SweepThroughput[], f: (r: SweepThroughput) => number) => rs.slice(0, pairs).reduce((a, r) => a + f(r), 0);
  // Points per second over all pairs (the same points on both sides when nothing failed).
  const speedup = sum(twos, (r) => r.points) / sum(twos, (r) => r.seconds) / (sum(ones, (r) => r.points) / sum(ones, (r) => r.seconds));
  const perPair = Array.from({ length: pairs }, (_, i) => twos[i]!.pointsPerSecond / ones[i]!.pointsPerSecond);
  const cpuKnown = twos.slice(0, pairs).every((r) => r.cpu !== null);
  const ceiling = cpuKnown ? sum(ones, (r) => r.seconds) / (sum(twos, (r) => r.cpu!.total) / 2) : null;
  const memory = Math.max(...Array.from({ length: pairs }, (_, i) => twos[i]!.peakRssBytes - ones[i]!.peakRssBytes), 0);
  lines.push(
    `sweep speed-up 2 vs 1 workers: ${speedup.toFixed(2)}x${pairs > 1 ? ` (over ${pairs} pairs: ${perPair.map((x) => x.toFixed(2)).join(', ')})` : ''} ` +
      (target === null ? '(not judged)' : `(target >= ${target}x: ${speedup >= target ? 'met' : 'NOT met'})`) +
      (ceiling !== null ? `; CPU-bound ceiling ${ceiling.toFixed(2)}x` : '') +
      `; memory per added worker ~${mib(memory)} RSS`,
  );
  return lines;
}
