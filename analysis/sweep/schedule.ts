import type { PointTask } from './record.js';

/**
 * The order a sweep's points go to the workers: longest first, as learnt during the run. Points
 * of one workload with the same parameters (the same kernel, size and mode) take about as long
 * as each other, whatever the MMU and cache axes say, so they form a group. A group not yet
 * started goes first, then one started but not yet timed (in plan order, to learn costs early);
 * then the group whose points have taken longest on average. The short points are left for the
 * end, where they fill the cores instead of one long point running alone: on the paper study's
 * TLB sweep in plan order, the 2-worker runs lost 4% of their time to a core left idle at the end.
 * The order changes nothing but when each point runs: every point's result is its own.
 */
export class LongestFirst {
  private readonly groups: Group[] = [];
  private readonly groupOf = new Map<PointTask, Group>();

  constructor(tasks: readonly PointTask[]) {
    const byKey = new Map<string, Group>();
    for (const t of tasks) {
      const key = `${t.workload.name}\0${t.workload.sha256}\0${JSON.stringify(t.config.run.params)}`;
      let g = byKey.get(key);
      if (g === undefined) {
        g = { pending: [], next: 0, seconds: 0, timed: 0 };
        byKey.set(key, g);
        this.groups.push(g);
      }
      g.pending.push(t);
      this.groupOf.set(t, g);
    }
  }

  /** The next point to run, or undefined when every point has been handed out. */
  next(): PointTask | undefined {
    let best: Group | undefined;
    for (const g of this.groups) {
      if (g.next === g.pending.length) continue;
      if (best === undefined || rank(g) < rank(best) || (rank(g) === 2 && rank(best) === 2 && mean(g) > mean(best))) best = g;
      if (rank(best) === 0) break;
    }
    return best === undefined ? undefined : best.pending[best.next++];
  }

  /** How long a point handed out by next() took. */
  finished(task: PointTask, seconds: number): void {
    const g = this.groupOf.get(task);
    if (g === undefined) return;
    g.seconds += seconds;
    g.timed++;
  }
}

/** 0: never started; 1: started, none finished yet (cost unknown either way); 2: timed. */
function rank(g: Group): number {
  return g.timed > 0 ? 2 : g.next > 0 ? 1 : 0;
}

function mean(g: Group): number {
  return g.seconds / g.timed;
}

interface Group {
  /** The group's points in plan order; those before `next` have been handed out. */
  pending: PointTask[];
  next: number;
  /** Seconds taken by the `timed` points that finished. */
  seconds: number;
  timed: number;
}
