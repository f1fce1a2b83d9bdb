import { describe, expect, it } from 'vitest';
import { formatSweepThroughput, type SweepThroughput } from './bench-sweep.js';

const run = (jobs: number, seconds: number, cpuTotal: number | null, rss = 100 * 2 ** 20, slice: SweepThroughput['slice'] = null): SweepThroughput => ({
  jobs,
  slice,
  points: 24,
  seconds,
  pointsPerSecond: 24 / seconds,
  failures: 0,
  peakRssBytes: rss,
  peakWorkerHeapBytes: 50 * 2 ** 20,
  cpu: cpuTotal === null ? null : { total: cpuTotal, points: cpuTotal - 3, main: 0.5 },
});

describe('formatSweepThroughput (npm run bench sweep)', () => {
  it('pairs the runs in order and judges the whole speed-up (1-worker over 2-worker time); the ceiling is 1-worker time over half the 2-worker CPU', () => {
    // Three slices, the order alternating as measurePairedSweep runs them.
    const slice = (index: number) => ({ index, of: 3 });
    const runs = [
      run(1, 20, 22, undefined, slice(0)),
      run(2, 10, 22, undefined, slice(0)),
      run(2, 16, 24, undefined, slice(1)),
      run(1, 20, 22, undefined, slice(1)),
      run(1, 18, 20, undefined, slice(2)),
      run(2, 10, 24, 180 * 2 ** 20, slice(2)),
    ];
    const lines = formatSweepThroughput(runs, 1.8);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^sweep slice 1\/3 with 1 worker : 24 points in 20\.0 s, 1\.20 points\/s; .*CPU 22\.0 s: simulations 19\.0 s, main thread 0\.5 s, other threads .* 2\.5 s$/);
    expect(lines[2]).toMatch(/^sweep slice 2\/3 with 2 workers: 24 points in 16\.0 s/);
    // Whole: (20 + 20 + 18) / (10 + 16 + 10) = 58 / 36 = 1.61, NOT met though two of three pairs are >= 1.8.
    expect(lines[6]).toContain('sweep speed-up 2 vs 1 workers: 1.61x (over 3 pairs: 2.00, 1.25, 1.80) (target >= 1.8x: NOT met)');
    // Ceiling: 58 / ((22 + 24 + 24) / 2) = 1.66.
    expect(lines[6]).toContain('CPU-bound ceiling 1.66x');
    // Simulations: (19 + 21 + 21) / (19 + 19 + 17) - 1 = 61 / 55 - 1 = +10.9%.
    expect(lines[6]).toContain('simulation CPU with 2 workers +10.9% (shared caches and memory)');
    expect(lines[6]).toContain('memory per added worker ~80 MiB RSS');
  });

  it('judges met at the target', () => {
    const lines = formatSweepThroughput([run(1, 36, null), run(2, 20, null)], 1.8);
    expect(lines[2]).toContain('1.80x (target >= 1.8x: met)');
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
