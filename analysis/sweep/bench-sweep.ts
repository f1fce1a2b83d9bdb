import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Sweep throughput for `npm run bench`: a sweep run from scratch into temporary stores with a
 * given number of workers, in a node process of its own, so that its peak RSS is the sweep's own
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

// The child: argv = [node, sweep file or STUDY#SWEEP, jobs]. It reads "INDEX SLICES" lines on
// stdin, runs that slice of the sweep on its one pool of workers and prints one JSON line per slice.
const CHILD = `
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
const dir = process.env.RVHSIM_SWEEP_DIR;
const { planSweep } = await import(new URL('./expand.js', dir).href);
const { runSweep } = await import(new URL('./run-sweep.js', dir).href);
const { WorkerPool } = await import(new URL('./pool.js', dir).href);
const { threadCpuSeconds } = await import(new URL('../../common/thread-cpu.js', dir).href);
const [file, jobs] = process.argv.slice(1);
const hash = file.lastIndexOf('#');
let whole;
if (hash < 0) whole = planSweep(file);
else {
  const { readStudy } = await import(new URL('../study.js', dir).href);
  const key = file.slice(hash + 1);
  whole = readStudy(file.slice(0, hash)).sweeps.find((s) => s.key === key)?.plan;
  if (whole === undefined) throw new Error(file + ': the study has no sweep ' + key);
}
// Slices by content-hash order: every slice gets a mix of each axis (index order would alias with an axis).
const order = [...whole.points].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
const pool = new WorkerPool(Number(jobs));
try {
  for await (const line of createInterface({ input: process.stdin })) {
    const [sliceIndex, slices] = line.split(' ').map(Number);
    const plan = { ...whole, points: order.filter((_, i) => i % slices === sliceIndex).sort((a, b) => a.index - b.index) };
    const out = mkdtempSync(join(tmpdir(), 'rvhsim-bench-sweep-'));
    try {
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      const main0 = threadCpuSeconds();
      const s = await runSweep({ plan, out, jobs: Number(jobs), pool });
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
  }
} finally {
  await pool.destroy();
}
`;

/** A child process that runs slices of one sweep with `jobs` workers, keeping its workers between slices. */
class SweepChild {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(
    private readonly sweepFile: string,
    readonly jobs: number,
  ) {
    this.child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, sweepFile, String(jobs)], {
      env: { ...process.env, RVHSIM_SWEEP_DIR: new URL('./', import.meta.url).href },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  async run(slice: SweepSlice | null): Promise<SweepThroughput> {
    const { index, of } = slice ?? { index: 0, of: 1 };
    this.child.stdin!.write(`${index} ${of}\n`);
    const line = await this.lines.next();
    if (line.done === true) throw new Error(`the sweep benchmark's child (${this.sweepFile}, ${this.jobs} workers) ended without a result (exit code ${this.child.exitCode})`);
    const r = JSON.parse(line.value) as Omit<SweepThroughput, 'jobs' | 'slice' | 'pointsPerSecond'>;
    return { jobs: this.jobs, slice, ...r, pointsPerSecond: r.points / r.seconds };
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    this.child.stdin!.end();
    await exited;
  }
}

/**
 * The sweep with 1 and with 2 workers, in `slices` slices (every slices-th point in the order of
 * their content hashes, so that each slice has the sweep's mix of workloads and configurations:
 * every other point in plan order would put all of one value of the innermost axis, such as
 * native or virtualized, in one slice), each slice run with both in turn and the order
 * alternating (1, 2 | 2, 1 | ...). This VM's neighbours slow it by up to 50% for minutes at a
 * time; measured back to back over the same points, and with the order reversed half of the
 * time, both worker counts see the same conditions on average. Each worker count runs in one
 * process that keeps its workers from slice to slice, as one sweep (or a study) keeps them: every
 * worker compiles the simulator once, in its first slice. (A fresh process per slice paid that
 * again per slice: 10-11 s of compile-thread CPU per 2-worker slice of the paper study's TLB
 * sweep, where one run of the whole sweep pays it once.)
 */
export async function measurePairedSweep(sweepFile: string, slices: number): Promise<SweepThroughput[]> {
  const children = new Map<number, SweepChild>();
  const childFor = (jobs: number): SweepChild => {
    let c = children.get(jobs);
    if (c === undefined) children.set(jobs, (c = new SweepChild(sweepFile, jobs)));
    return c;
  };
  const runs: SweepThroughput[] = [];
  try {
    for (let index = 0; index < slices; index++) {
      for (const jobs of index % 2 === 0 ? [1, 2] : [2, 1]) runs.push(await childFor(jobs).run(slices === 1 ? null : { index, of: slices }));
    }
  } finally {
    await Promise.all([...children.values()].map((c) => c.close()));
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
 * end: 1-worker time / (2-worker CPU / 2). The simulations' CPU with 2 workers against 1 shows
 * contention: on this VM it ranged from 0% on a quiet host to +34% under the neighbours' load.
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
  // The same points' simulation CPU with 2 workers against 1: above 0 when the two simulations, or
  // the host's other tenants, slow each other through shared caches and memory.
  const contention = cpuKnown && ones.slice(0, pairs).every((r) => r.cpu !== null) ? sum(twos, (r) => r.cpu!.points) / sum(ones, (r) => r.cpu!.points) - 1 : null;
  const memory = Math.max(...Array.from({ length: pairs }, (_, i) => twos[i]!.peakRssBytes - ones[i]!.peakRssBytes), 0);
  lines.push(
    `sweep speed-up 2 vs 1 workers: ${speedup.toFixed(2)}x${pairs > 1 ? ` (over ${pairs} pairs: ${perPair.map((x) => x.toFixed(2)).join(', ')})` : ''} ` +
      (target === null ? '(not judged)' : `(target >= ${target}x: ${speedup >= target ? 'met' : 'NOT met'})`) +
      (ceiling !== null ? `; CPU-bound ceiling ${ceiling.toFixed(2)}x` : '') +
      (contention !== null ? `; simulation CPU with 2 workers ${contention >= 0 ? '+' : ''}${(100 * contention).toFixed(1)}% (shared caches and memory)` : '') +
      `; memory per added worker ~${mib(memory)} RSS`,
  );
  return lines;
}
