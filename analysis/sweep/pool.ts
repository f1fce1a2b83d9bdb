import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { errorRecord, type PointOutcome, type PointTask } from './record.js';
import { LongestFirst } from './schedule.js';

/**
 * Runs points on a piscina pool of worker threads, one simulation per task, at most `jobs` at a
 * time, longest first as learnt during the run (schedule.ts). Every task ends in exactly one
 * outcome: the worker's result or error record, or, when the worker itself died (out of memory, a
 * native crash, process.exit), an error record saying so; the pool replaces the dead worker and
 * the sweep goes on. Only an abort (SIGINT) ends tasks without an outcome: what had finished has
 * been reported, the rest is lost.
 */

export interface PoolOptions {
  jobs: number;
  /** Worker module (JavaScript). Default: worker.js beside this file, i.e. dist/analysis/sweep/worker.js. */
  workerFile?: string;
  signal?: AbortSignal;
  /**
   * Workers to run on, kept after the run (a study's sweeps share one); `jobs` is then ignored.
   * Default: a pool of `jobs` workers for this run alone, torn down at its end.
   */
  pool?: WorkerPool;
}

export function defaultWorkerFile(): string {
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

/**
 * Sweep worker threads that outlive one run. Every worker compiles the simulator's hot code and
 * the translated blocks for itself (measured: 7 s of CPU on V8's compiler and GC threads for one
 * worker over half of the paper study's TLB sweep), so a study that ran each sweep on fresh
 * workers paid that again per sweep, on both cores at once. The threads start at the first task.
 */
export class WorkerPool {
  private piscina: Piscina<PointTask, PointOutcome> | null = null;

  constructor(
    readonly jobs: number,
    private readonly workerFile: string = defaultWorkerFile(),
  ) {}

  /** Starts the workers unless they run already; throws if the worker module is missing. */
  start(): Piscina<PointTask, PointOutcome> {
    if (this.piscina !== null) return this.piscina;
    if (!existsSync(this.workerFile)) {
      // Worker threads load JavaScript: from sources (vitest) there is no worker.js beside pool.ts.
      throw new Error(`sweep worker ${this.workerFile} does not exist; workers run the built JavaScript (npm run build)`);
    }
    this.piscina = new Piscina<PointTask, PointOutcome>({ filename: pathToFileURL(this.workerFile).href, minThreads: this.jobs, maxThreads: this.jobs, idleTimeout: 60_000 });
    return this.piscina;
  }

  /** Stops every worker (a running task is abandoned). */
  async destroy(): Promise<void> {
    const p = this.piscina;
    this.piscina = null;
    if (p !== null) await p.destroy();
  }
}

/** Resolves when every task has an outcome, or after an abort once the running tasks are stopped. */
export async function runTasks(tasks: readonly PointTask[], opts: PoolOptions, onOutcome: (task: PointTask, outcome: PointOutcome) => void): Promise<void> {
  if (tasks.length === 0 || opts.signal?.aborted) return;
  const pool = opts.pool ?? new WorkerPool(Math.max(1, Math.min(opts.jobs, tasks.length)), opts.workerFile);
  const jobs = Math.min(pool.jobs, tasks.length);
  const piscina = pool.start();
  const signal = opts.signal;
  const aborted = (): boolean => signal?.aborted === true;
  const order = new LongestFirst(tasks);
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && !aborted()) {
      const task = order.next();
      if (task === undefined) return;
      let outcome: PointOutcome;
      try {
        const start = performance.now();
        outcome = await piscina.run(task, { signal: signal ?? null });
        order.finished(task, (performance.now() - start) / 1000);
      } catch (e) {
        // Aborted, or the pool is being torn down after a failure to store: no outcome to report.
        if (aborted() || failed) return;
        outcome = { kind: 'error', record: errorRecord(task, 'worker', `the worker thread running this point died: ${e instanceof Error ? e.message : String(e)}`) };
      }
      try {
        onOutcome(task, outcome);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
  } finally {
    // A shared pool stays; after a failure its owner tears it down, which stops the other lanes' points.
    if (opts.pool === undefined) await pool.destroy();
  }
}
