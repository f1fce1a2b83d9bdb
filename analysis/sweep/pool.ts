import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { errorRecord, type PointOutcome, type PointTask } from './record.js';

/**
 * Runs points on a piscina pool of worker threads, one simulation per task, at most `jobs` at a
 * time, in the order given. Every task ends in exactly one outcome: the worker's result or error
 * record, or, when the worker itself died (out of memory, a native crash, process.exit), an error
 * record saying so; the pool replaces the dead worker and the sweep goes on. Only an abort
 * (SIGINT) ends tasks without an outcome: what had finished has been reported, the rest is lost.
 */

export interface PoolOptions {
  jobs: number;
  /** Worker module (JavaScript). Default: worker.js beside this file, i.e. dist/analysis/sweep/worker.js. */
  workerFile?: string;
  signal?: AbortSignal;
}

export function defaultWorkerFile(): string {
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

/** Resolves when every task has an outcome, or after an abort once the running tasks are stopped. */
export async function runTasks(tasks: readonly PointTask[], opts: PoolOptions, onOutcome: (task: PointTask, outcome: PointOutcome) => void): Promise<void> {
  if (tasks.length === 0 || opts.signal?.aborted) return;
  const workerFile = opts.workerFile ?? defaultWorkerFile();
  if (!existsSync(workerFile)) {
    // Worker threads load JavaScript: from sources (vitest) there is no worker.js beside pool.ts.
    throw new Error(`sweep worker ${workerFile} does not exist; workers run the built JavaScript (npm run build)`);
  }
  const jobs = Math.max(1, Math.min(opts.jobs, tasks.length));
  const pool = new Piscina<PointTask, PointOutcome>({ filename: pathToFileURL(workerFile).href, minThreads: jobs, maxThreads: jobs, idleTimeout: 60_000 });
  const signal = opts.signal;
  const aborted = (): boolean => signal?.aborted === true;
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < tasks.length && !failed && !aborted()) {
      const task = tasks[next++]!;
      let outcome: PointOutcome;
      try {
        outcome = await pool.run(task, { signal: signal ?? null });
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
    await pool.destroy();
  }
}
