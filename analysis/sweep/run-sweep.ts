import { pointLabel, taskOf, type SweepPlan, type SweepPoint } from './expand.js';
import { runTasks, type WorkerPool } from './pool.js';
import type { Progress } from './progress.js';
import type { ErrorRecord, PointOutcome, PointStatus } from './record.js';
import { runPoint } from './run-point.js';
import { MANIFEST_FORMAT, ResultStore, type Manifest } from './store.js';

/**
 * Runs a planned sweep into a result store: points already stored are skipped, the others run on
 * the worker pool and each is stored the moment it finishes, so an interrupted sweep resumes
 * where it stopped. Points with equal content hashes (the same workload and configuration listed
 * twice) run once. The summary is read back from the store, so it covers points finished by
 * earlier runs as well.
 */

export interface RunSweepOptions {
  plan: SweepPlan;
  /** Result store directory. */
  out: string;
  jobs: number;
  /** Pool worker module (tests); default dist/analysis/sweep/worker.js. */
  workerFile?: string;
  /** Workers shared with other runs (a study's sweeps, pool.ts); then `jobs` and `workerFile` are the pool's. */
  pool?: WorkerPool;
  /** Aborting stops the sweep: running points are abandoned, finished ones stay stored. */
  signal?: AbortSignal;
  /** Called once with the number of points to run now. */
  progress?: (toRun: number) => Progress;
}

export interface PointFailure {
  index: number;
  key: string;
  label: string;
  status: Exclude<PointStatus, 'ok'> | 'error';
  message: string;
}

export interface SweepSummary {
  name: string;
  out: string;
  /** Points of the plan, and distinct results among them. */
  points: number;
  distinct: number;
  /** Distinct points already stored when the run began. */
  alreadyStored: number;
  /** Distinct points this run finished (with a result or an error record). */
  ran: number;
  /** Distinct points whose stored result is ok. */
  ok: number;
  /** Distinct points that ended without an ok result, in plan order. */
  failures: PointFailure[];
  /** Distinct points with neither a result nor an error (an interrupted sweep). */
  missing: number;
  interrupted: boolean;
  seconds: number;
}

export async function runSweep(opts: RunSweepOptions): Promise<SweepSummary> {
  const start = performance.now();
  const { plan } = opts;
  const store = openStore(plan, opts.out);
  const distinct = distinctPoints(plan);
  const pending = distinct.filter((p) => !store.has(p.key));
  const progress = opts.progress?.(pending.length);
  let done = 0;
  let failed = 0;
  try {
    await runTasks(
      pending.map((p) => taskOf(plan, p)),
      { jobs: opts.jobs, workerFile: opts.workerFile, signal: opts.signal, pool: opts.pool },
      (_task, outcome) => {
        storeOutcome(store, outcome);
        done++;
        if (outcome.kind === 'error' || outcome.record.status !== 'ok') failed++;
        progress?.update(done, failed);
      },
    );
  } finally {
    progress?.stop();
  }
  return summarize(plan, store, { alreadyStored: distinct.length - pending.length, ran: done, interrupted: opts.signal?.aborted === true, seconds: (performance.now() - start) / 1000 });
}

/** The outcome of `rvhsim sweep run --index I`: one point, run in this process unless already stored. */
export interface IndexOutcome {
  point: SweepPoint;
  /** False when the store already held the point. */
  ran: boolean;
  status: PointStatus | 'error';
  message: string;
  /** For status 'error': what failed (a user error found at run time, or the simulator). */
  errorKind?: ErrorRecord['error']['kind'];
}

/**
 * Runs point `index` of the plan into the store (the contract of a cluster array job: every task
 * expands the same sweep file and runs its own index; all share one store).
 */
export function runSweepIndex(plan: SweepPlan, index: number, out: string): IndexOutcome {
  const point = plan.points[index];
  if (point === undefined) throw new RangeError(`index ${index} is outside the sweep's ${plan.points.length} points`);
  const store = openStore(plan, out);
  const stored = store.read(point.key);
  if (stored !== undefined) return { point, ran: false, status: stored.status, message: stored.result.message };
  const outcome = runPoint(taskOf(plan, point));
  storeOutcome(store, outcome);
  return outcome.kind === 'result'
    ? { point, ran: true, status: outcome.record.status, message: outcome.record.result.message }
    : { point, ran: true, status: 'error', message: outcome.record.error.message, errorKind: outcome.record.error.kind };
}

export function manifestOf(plan: SweepPlan): Manifest {
  return {
    format: MANIFEST_FORMAT,
    name: plan.name,
    version: plan.version,
    points: plan.points.map((p) => ({
      index: p.index,
      key: p.key,
      workload: { name: p.workload.name, sha256: p.workload.sha256 },
      repeat: p.repeat,
      coordinates: p.coordinates.map((c) => ({ path: c.path, value: c.value })),
    })),
  };
}

function openStore(plan: SweepPlan, out: string): ResultStore {
  const store = ResultStore.create(out);
  store.removeStaleTemporaries();
  store.writeManifest(manifestOf(plan));
  return store;
}

function storeOutcome(store: ResultStore, outcome: PointOutcome): void {
  if (outcome.kind === 'result') store.writeResult(outcome.record, outcome.host, outcome.statsText);
  else store.writeError(outcome.record, outcome.host);
}

/** The first point of each content hash, in plan order. */
function distinctPoints(plan: SweepPlan): SweepPoint[] {
  const seen = new Set<string>();
  const out: SweepPoint[] = [];
  for (const p of plan.points) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    out.push(p);
  }
  return out;
}

function summarize(plan: SweepPlan, store: ResultStore, run: Pick<SweepSummary, 'alreadyStored' | 'ran' | 'interrupted' | 'seconds'>): SweepSummary {
  const distinct = distinctPoints(plan);
  const failures: PointFailure[] = [];
  let ok = 0;
  let missing = 0;
  for (const p of distinct) {
    const base = { index: p.index, key: p.key, label: pointLabel(p, plan.repeats) };
    const record = store.read(p.key);
    if (record !== undefined) {
      if (record.status === 'ok') ok++;
      else failures.push({ ...base, status: record.status, message: record.result.message });
      continue;
    }
    const error = store.readError(p.key);
    if (error !== undefined) failures.push({ ...base, status: 'error', message: error.error.message });
    else missing++;
  }
  return { name: plan.name, out: store.dir, points: plan.points.length, distinct: distinct.length, ok, failures, missing, ...run };
}
