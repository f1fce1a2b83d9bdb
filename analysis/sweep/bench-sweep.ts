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
}

// Runs in the child: argv = [node, sweep file, jobs]; prints one JSON line.
const CHILD = `
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { planSweep } = await import(new URL('./expand.js', process.env.RVHSIM_SWEEP_DIR).href);
const { runSweep } = await import(new URL('./run-sweep.js', process.env.RVHSIM_SWEEP_DIR).href);
const [file, jobs] = process.argv.slice(1);
const out = mkdtempSync(join(tmpdir(), 'rvhsim-bench-sweep-'));
try {
  const plan = planSweep(file);
  const start = performance.now();
  const s = await runSweep({ plan, out, jobs: Number(jobs) });
  const seconds = (performance.now() - start) / 1000;
  let heap = 0;
  for (const f of readdirSync(join(out, 'host'))) heap = Math.max(heap, JSON.parse(readFileSync(join(out, 'host', f), 'utf8')).peakHeapBytes);
  console.log(JSON.stringify({ points: s.ran, seconds, failures: s.failures.length, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakWorkerHeapBytes: heap }));
} finally {
  rmSync(out, { recursive: true, force: true });
}
`;

export function measureSweepThroughput(sweepFile: string, jobs: number): SweepThroughput {
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, sweepFile, String(jobs)], {
    encoding: 'utf8',
    env: { ...process.env, RVHSIM_SWEEP_DIR: new URL('./', import.meta.url).href },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const r = JSON.parse(text.trim().split('\n').pop()!) as Omit<SweepThroughput, 'jobs' | 'pointsPerSecond'>;
  return { jobs, ...r, pointsPerSecond: r.points / r.seconds };
}

/** The bench's sweep lines: throughput per worker count, the speed-up against its target, memory. */
export function formatSweepThroughput(runs: readonly SweepThroughput[], target: number): string[] {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = runs.map(
    (r) =>
      `sweep with ${r.jobs} worker${r.jobs === 1 ? ' ' : 's'}: ${r.points} points in ${r.seconds.toFixed(1)} s, ${r.pointsPerSecond.toFixed(2)} points/s` +
      `${r.failures > 0 ? ` (${r.failures} failed)` : ''}; peak RSS ${mib(r.peakRssBytes)}, peak worker heap ${mib(r.peakWorkerHeapBytes)}`,
  );
  const one = runs.find((r) => r.jobs === 1);
  const two = runs.find((r) => r.jobs === 2);
  if (one !== undefined && two !== undefined) {
    const speedup = two.pointsPerSecond / one.pointsPerSecond;
    lines.push(
      `sweep speed-up 2 vs 1 workers: ${speedup.toFixed(2)}x (target >= ${target}x: ${speedup >= target ? 'met' : 'NOT met'}); ` +
        `memory per added worker ~${mib(Math.max(0, two.peakRssBytes - one.peakRssBytes))} RSS`,
    );
  }
  return lines;
}
