import type { PointOutcome, PointTask } from './record.js';
import { runPoint } from './run-point.js';

/** The piscina worker of a sweep: one simulation per task (pool.ts). Runs from dist/ as JavaScript. */
export default function runTask(task: PointTask): PointOutcome {
  return runPoint(task);
}
