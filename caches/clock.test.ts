import { describe, expect, it } from 'vitest';
import { ConfigError } from '../common/errors.js';
import { Clock } from './clock.js';

/** Exact reference: floor(c * tb / hz) + offset in BigInt. */
function refMtime(c: number, hz: number, tb: number, offset = 0n): bigint {
  return (BigInt(c) * BigInt(tb)) / BigInt(hz) + offset;
}

/** A deterministic pseudo-random safe integer below `limit` (xorshift, fixed seed). */
function* randomInts(count: number, limit: number, seed = 0x9e3779b9): Generator<number> {
  let s = BigInt(seed);
  for (let i = 0; i < count; i++) {
    s ^= (s << 13n) & 0xffff_ffff_ffff_ffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffff_ffff_ffff_ffffn;
    yield Number(s % BigInt(limit));
  }
}

const RATIOS: [number, number][] = [
  [1_000_000_000, 10_000_000], // the default: 100 cycles per tick
  [3_000_000_007, 10_000_000], // coprime: num*den > 2^53, the BigInt path
  [1_000_000, 10_000_000], // timebase faster than the core: 10 ticks per cycle
  [1_234_567, 1_000_003], // awkward reduced fraction, still on the number path
  [7, 7],
];

describe('Clock: mtime derived from cycles (machine.adoc "Machine Timer Registers")', () => {
  it('advances one tick every cpuHz/timebaseHz cycles, flooring in between', () => {
    const c = new Clock(1_000_000_000, 10_000_000);
    expect(c.mtime()).toBe(0);
    c.cycles = 99;
    expect(c.mtime()).toBe(0);
    c.cycles = 100;
    expect(c.mtime()).toBe(1);
    c.cycles = 12_345;
    expect(c.mtime()).toBe(123);
  });

  it.each(RATIOS)('is exact up to 2^53 cycles (cpuHz=%d, timebaseHz=%d)', (hz, tb) => {
    const c = new Clock(hz, tb);
    const limit = Math.floor(Number.MAX_SAFE_INTEGER / Math.max(1, tb / hz));
    for (const cycles of [limit, limit - 1, ...randomInts(300, limit)]) {
      c.cycles = cycles;
      expect(BigInt(c.mtime())).toBe(refMtime(cycles, hz, tb));
    }
  });

  it('continues counting from a value written with setMtime', () => {
    const c = new Clock(1_000_000_000, 10_000_000);
    c.cycles = 5_000;
    c.setMtime(1_000_000);
    expect(c.mtime()).toBe(1_000_000);
    c.cycles += 250;
    expect(c.mtime()).toBe(1_000_002);
    c.setMtime(0);
    expect(c.mtime()).toBe(0);
    c.cycles += 100;
    expect(c.mtime()).toBe(1);
  });

  it('rejects frequencies that are not positive integers with a ConfigError naming the field', () => {
    expect(() => new Clock(1.5e9 + 0.5, 10_000_000)).toThrow(ConfigError);
    expect(() => new Clock(1e9, 0)).toThrow(/timebaseHz/);
  });
});

describe('Clock.cycleWhenMtimeReaches (WFI skip-ahead)', () => {
  it.each(RATIOS)('returns the smallest cycle count with mtime >= t (cpuHz=%d, timebaseHz=%d)', (hz, tb) => {
    const c = new Clock(hz, tb);
    c.cycles = 1_000;
    c.setMtime(777_777); // a non-zero offset
    const reached = c.mtime();
    for (const t of [reached + 1, reached + 2, ...[...randomInts(200, 2 ** 40)].map((x) => x + reached)]) {
      const when = c.cycleWhenMtimeReaches(t);
      const probe = new Clock(hz, tb);
      probe.cycles = c.cycles;
      probe.setMtime(reached);
      probe.cycles = when;
      expect(probe.mtime()).toBeGreaterThanOrEqual(t);
      probe.cycles = when - 1;
      expect(probe.mtime()).toBeLessThan(t);
    }
  });

  it('is never later than now for a time already reached', () => {
    const c = new Clock(1_000_000_000, 10_000_000);
    c.cycles = 10_000;
    expect(c.cycleWhenMtimeReaches(50)).toBeLessThanOrEqual(c.cycles);
    expect(c.cycleWhenMtimeReaches(100)).toBe(10_000);
    expect(c.cycleWhenMtimeReaches(101)).toBe(10_100);
  });

  it('is Infinity for a time of 2^53 or more (e.g. mtimecmp reset to all ones)', () => {
    const c = new Clock(1_000_000_000, 10_000_000);
    expect(c.cycleWhenMtimeReaches(2 ** 53)).toBe(Infinity);
    expect(c.cycleWhenMtimeReaches(2 ** 64)).toBe(Infinity);
    // Reachable in ticks but not in cycles below 2^53: 2^52 ticks need 100 * 2^52 cycles.
    expect(c.cycleWhenMtimeReaches(2 ** 52)).toBe(Infinity);
  });
});
