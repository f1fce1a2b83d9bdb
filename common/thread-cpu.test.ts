import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from './thread-cpu.js';

describe('threadCpuSeconds', () => {
  it.runIf(existsSync('/proc/thread-self/stat'))('counts the CPU time this thread spends, never more than the time that passed, and not time spent waiting', async () => {
    const before = threadCpuSeconds()!;
    const t0 = performance.now();
    let x = 0;
    while (threadCpuSeconds()! - before < 0.2 && performance.now() - t0 < 20_000) for (let i = 0; i < 100_000; i++) x += Math.sqrt(i);
    const spun = threadCpuSeconds()!;
    const wall = (performance.now() - t0) / 1000;
    expect(x).toBeGreaterThan(0);
    expect(spun - before).toBeGreaterThanOrEqual(0.2);
    // Slack of a few clock ticks: the kernel charges CPU time a whole tick at a time, to the
    // thread running when the tick fires, so either end can be off by a tick or more.
    expect(spun - before).toBeLessThanOrEqual(wall + 0.05);
    await new Promise((r) => setTimeout(r, 300));
    expect(threadCpuSeconds()! - spun).toBeLessThan(0.1);
  });

  it.runIf(!existsSync('/proc/thread-self/stat'))('is null where /proc/thread-self does not exist', () => {
    expect(threadCpuSeconds()).toBeNull();
  });
});
