import { describe, expect, it } from 'vitest';
import { Cache, type CacheParams, type MemoryLevel } from './cache.js';
import { Requester } from './hierarchy.js';

/** A level below that answers every access in `latency` cycles and records what reached it. */
class Recorder implements MemoryLevel {
  reads: number[] = [];
  writes: number[] = [];
  writebacks: number[] = [];
  constructor(readonly latency = 10) {}
  access(pa: number, _who: Requester, write: boolean, _now: number): number {
    (write ? this.writes : this.reads).push(pa);
    return this.latency;
  }
  writeback(pa: number, _when: number): void {
    this.writebacks.push(pa);
  }
}

function makeCache(p: Partial<CacheParams>): { c: Cache; below: Recorder } {
  const c = new Cache('t', { sizeBytes: 256, ways: 1, lineBytes: 32, hitLatency: 1, replacement: 'lru', seed: 1, writeBack: true, ...p }, null);
  const below = new Recorder();
  c.next = below;
  return { c, below };
}

const load = (c: Cache, pa: number) => c.access(pa, Requester.Load, false, 0);
const store = (c: Cache, pa: number) => c.access(pa, Requester.Store, true, 0);

/** 'H' or 'M' per access, from the latency (hit = hitLatency 1, miss = 1 + 10). */
function outcomes(c: Cache, pas: number[]): string {
  return pas.map((pa) => (load(c, pa) === 1 ? 'H' : 'M')).join('');
}

describe('Cache: hits and misses', () => {
  it('direct-mapped: same line hits, a conflicting line in the same set evicts it', () => {
    const { c } = makeCache({ sizeBytes: 256, ways: 1 }); // 8 sets of one 32-byte line
    expect(outcomes(c, [0, 4, 32, 256, 0, 256])).toBe('MHMMMM');
    expect(c.hits[Requester.Load]).toBe(1);
    expect(c.misses[Requester.Load]).toBe(5);
    expect(c.evictions).toBe(3);
  });

  it('a miss costs the hit latency plus the level below; a hit only the hit latency', () => {
    const { c } = makeCache({ hitLatency: 3 });
    expect(load(c, 0x8000_0000)).toBe(13);
    expect(load(c, 0x8000_0008)).toBe(3);
  });

  it('4-way LRU set: the least recently used line is the victim', () => {
    const { c } = makeCache({ sizeBytes: 256, ways: 4 }); // 2 sets; lines 0, 64, 128, 192, 256 share set 0
    expect(outcomes(c, [0, 64, 128, 192, 0, 64, 128, 192, 256, 64, 0, 128])).toBe('MMMMHHHHMHMM');
    expect(c.contains(192)).toBe(false);
    for (const pa of [0, 64, 128, 256]) expect(c.contains(pa)).toBe(true);
  });

  it('tags by full line address, so addresses above 2^32 do not alias lower ones', () => {
    const { c } = makeCache({});
    load(c, 0x1_0000_0040);
    expect(c.contains(0x40)).toBe(false);
    expect(c.contains(0x1_0000_0040)).toBe(true);
    expect(load(c, 0x1_0000_0050)).toBe(1);
  });
});

describe('Cache: replacement policies', () => {
  // One set of four ways: A B C D fill it, A is reused, E needs a victim.
  const [A, B, C, D, E] = [0, 32, 64, 96, 128];

  it('LRU evicts B after A B C D A E', () => {
    const { c } = makeCache({ sizeBytes: 128, ways: 4, replacement: 'lru' });
    for (const pa of [A, B, C, D, A, E]) load(c, pa);
    expect(c.contains(B)).toBe(false);
    expect(c.contains(C)).toBe(true);
  });

  it('tree-PLRU evicts C after A B C D A E: touching A points the root at the C/D half', () => {
    const { c } = makeCache({ sizeBytes: 128, ways: 4, replacement: 'tree-plru' });
    for (const pa of [A, B, C, D, A, E]) load(c, pa);
    expect(c.contains(C)).toBe(false);
    expect(c.contains(B)).toBe(true);
  });

  it('random replacement is reproducible for a seed and differs between seeds', () => {
    // 400 loads over 8 lines of a single 4-way set, in a fixed scrambled order.
    const stream: number[] = [];
    let x = 12345;
    for (let i = 0; i < 400; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      stream.push(((x >>> 16) % 8) * 32);
    }
    const run = (seed: number) => outcomes(makeCache({ sizeBytes: 128, ways: 4, replacement: 'random', seed }).c, stream);
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });
});

describe('Cache: write policies', () => {
  it('write-back: a store miss fetches and dirties the line; evicting it writes it back', () => {
    const { c, below } = makeCache({ sizeBytes: 64, ways: 1 }); // 2 sets
    expect(store(c, 0)).toBe(11);
    expect(below.reads).toEqual([0]); // write-allocate: the line is fetched
    expect(c.isDirty(0)).toBe(true);
    load(c, 32); // other set: nothing leaves
    expect(below.writebacks).toEqual([]);
    load(c, 64); // set 0 again: the dirty line goes
    expect(below.writebacks).toEqual([0]);
    expect(c.writebacks).toBe(1);
    expect(c.evictions).toBe(1);
    expect(below.writes).toEqual([]);
  });

  it('write-back: evicting a clean line writes nothing', () => {
    const { c, below } = makeCache({ sizeBytes: 64, ways: 1 });
    load(c, 0);
    load(c, 64);
    expect(c.evictions).toBe(1);
    expect(c.writebacks).toBe(0);
    expect(below.writebacks).toEqual([]);
  });

  it('write-through: every store goes below, a store miss allocates nothing, no line is ever dirty', () => {
    const { c, below } = makeCache({ writeBack: false, hitLatency: 2 });
    expect(store(c, 0x100)).toBe(2); // miss: the write buffer hides the traffic
    expect(c.contains(0x100)).toBe(false);
    expect(below.reads).toEqual([]);
    load(c, 0x100);
    expect(store(c, 0x104)).toBe(2); // hit
    expect(below.writes).toEqual([0x100, 0x104]);
    expect(below.reads).toEqual([0x100]);
    expect(c.dirtyLines()).toBe(0);
    expect(c.hits[Requester.Store]).toBe(1);
    expect(c.misses[Requester.Store]).toBe(1);
  });
});

describe('Cache: working-set sweeps with LRU (1 KiB, 4-way, 64-byte lines: 4 sets of 4)', () => {
  function sweepMisses(workingSetBytes: number, passes: number): number {
    const { c } = makeCache({ sizeBytes: 1024, ways: 4, lineBytes: 64 });
    for (let p = 0; p < passes; p++) for (let a = 0; a < workingSetBytes; a += 64) load(c, a);
    return c.misses[Requester.Load];
  }

  it('a working set that fits misses only on first touch', () => {
    expect(sweepMisses(512, 4)).toBe(8);
    expect(sweepMisses(1024, 4)).toBe(16);
  });

  it('one line more than the capacity makes its set miss on every access', () => {
    // 17 lines: set 0 cycles through 5 lines with 4 ways; the 12 other lines stay.
    expect(sweepMisses(1024 + 64, 4)).toBe(17 + 3 * 5);
  });

  it('a stride over twice the capacity misses on every access', () => {
    expect(sweepMisses(2048, 4)).toBe(32 * 4);
  });
});

describe('Cache: geometry errors name the cache', () => {
  it('rejects a set count that is not a power of two', () => {
    expect(() => makeCache({ sizeBytes: 96, ways: 1 })).toThrow(/caches\.t: .*3 sets/);
  });

  it('rejects tree-PLRU over a non-power-of-two associativity', () => {
    expect(() => makeCache({ sizeBytes: 96, ways: 3, replacement: 'tree-plru' })).toThrow(/power-of-two/);
  });
});
