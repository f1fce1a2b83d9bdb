import { describe, expect, it } from 'vitest';
import type { MachineConfig } from '../../pipeline/config.js';
import type { PointTask } from './record.js';
import { LongestFirst } from './schedule.js';

/** A point of workload `name` with run parameters `params`; only what LongestFirst reads is real. */
function task(index: number, name: string, params: Record<string, number>): PointTask {
  return {
    index,
    key: `k${index}`,
    version: 'test',
    workload: { name, sha256: `sha-${name}`, elf: `${name}.elf` },
    repeat: 0,
    config: { run: { params } } as unknown as MachineConfig,
  };
}

/** Hands out every point, one worker at a time: each finishes before the next is asked for. */
function serialOrder(tasks: PointTask[], seconds: (t: PointTask) => number): number[] {
  const order = new LongestFirst(tasks);
  const out: number[] = [];
  for (let t = order.next(); t !== undefined; t = order.next()) {
    out.push(t.index);
    order.finished(t, seconds(t));
  }
  return out;
}

describe('LongestFirst: the order a sweep hands points to its workers', () => {
  it('times one point of each group in plan order, then runs the groups longest first', () => {
    // Three groups: a (1 s per point), b (5 s), c (3 s); two points each, in plan order a a b b c c.
    const tasks = [task(0, 'a', {}), task(1, 'a', {}), task(2, 'b', {}), task(3, 'b', {}), task(4, 'c', {}), task(5, 'c', {})];
    const cost: Record<string, number> = { a: 1, b: 5, c: 3 };
    expect(serialOrder(tasks, (t) => cost[t.workload.name]!)).toEqual([0, 2, 4, 3, 5, 1]);
  });

  it('tells points of one workload apart by their run parameters (the kernel size and mode), not by other axes', () => {
    const tasks = [task(0, 'gups', { mode: 1 }), task(1, 'gups', { mode: 3 }), task(2, 'gups', { mode: 1 }), task(3, 'gups', { mode: 3 })];
    // Virtualized (mode 3) points take longer: after one of each, the other mode-3 point goes first.
    expect(serialOrder(tasks, (t) => (t.config.run.params['mode'] === 3 ? 4 : 1))).toEqual([0, 1, 3, 2]);
  });

  it('hands out a started group again only when no group is left unstarted, and every point exactly once', () => {
    const tasks = [task(0, 'a', {}), task(1, 'a', {}), task(2, 'b', {}), task(3, 'a', {})];
    const order = new LongestFirst(tasks);
    // Two workers start before anything finishes: one point of each group.
    expect([order.next()!.index, order.next()!.index]).toEqual([0, 2]);
    // Nothing timed yet: the started groups in plan order.
    expect(order.next()!.index).toBe(1);
    order.finished(tasks[0]!, 2);
    expect(order.next()!.index).toBe(3);
    expect(order.next()).toBeUndefined();
  });
});
