import { describe, expect, it } from 'vitest';
import { formatSweepThroughput, type SweepThroughput } from './bench-sweep.js';

const run = (jobs: number, seconds: number, cpuTotal: number | null, rss = 100 * 2 ** 20): SweepThroughput => ({
  jobs,
  points: 24,
  seconds,
  pointsPerSecond: 24 / seconds,
  failures: 0,
  peakRssBytes: rss,
  peakWorkerHeapBytes: 50 * 2 ** 20,
  cpu: cpuTotal === null ? null : { total: cpuTotal, points: cpuTotal - 3, main: 0.5 },
});

describe('formatSweepThroughput (npm run bench sweep)', () => {
  it('pairs the rounds in order and judges the median speed-up; the ceiling is 1-worker time over half the 2-worker CPU', () => {
    const runs = [run(1, 20, 22), run(2, 10, 22), run(1, 20, 22), run(2, 16, 24), run(1, 18, 20), run(2, 10, 24, 180 * 2 ** 20)];
    const lines = formatSweepThroughput(runs, 1.8);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^sweep with 1 worker : 24 points in 20\.0 s, 1\.20 points\/s; .*CPU 22\.0 s: simulations 19\.0 s, main thread 0\.5 s, other threads .* 2\.5 s$/);
    // Pairs: 20/10 = 2.00, 20/16 = 1.25, 18/10 = 1.80 -> median 1.80, met.
    expect(lines[6]).toContain('sweep speed-up 2 vs 1 workers: 1.80x (median of 2.00, 1.25, 1.80) (target >= 1.8x: met)');
    // Ceilings: 20/11 = 1.82, 20/12 = 1.67, 18/12 = 1.50 -> median 1.67.
    expect(lines[6]).toContain('CPU-bound ceiling 1.67x');
    expect(lines[6]).toContain('memory per added worker ~80 MiB RSS');
  });

  it('a single round says NOT met below the target, and leaves out what it does not know', () => {
    const lines = formatSweepThroughput([run(1, 19, null), run(2, 11.5, null)], 1.8);
    expect(lines[2]).toBe('sweep speed-up 2 vs 1 workers: 1.65x (target >= 1.8x: NOT met); memory per added worker ~0 MiB RSS');
  });

  it('without a target the speed-up is reported, not judged', () => {
    const lines = formatSweepThroughput([run(1, 19, null), run(2, 10, null)], null);
    expect(lines[2]).toBe('sweep speed-up 2 vs 1 workers: 1.90x (not judged); memory per added worker ~0 MiB RSS');
  });
});
