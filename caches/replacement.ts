/**
 * Victim selection for one set-associative structure (caches here; the TLB models may reuse it).
 * A policy only orders the ways of a set: the cache itself prefers an invalid way when the set
 * has one, and asks the policy only when every way is valid. Allocation-free: each policy keeps
 * its state for all sets in one typed array, sized once.
 */
import { ConfigError } from '../common/errors.js';

export type ReplacementKind = 'lru' | 'tree-plru' | 'random';

export interface ReplacementPolicy {
  /** The way was just used (hit or fill): it becomes the most recently used. */
  touch(set: number, way: number): void;
  /** The way to evict from a full set. */
  victim(set: number): number;
}

/** True LRU: a use stamp per line; the victim is the way with the oldest stamp. */
export class LruPolicy implements ReplacementPolicy {
  private readonly stamps: Float64Array;
  private clock = 0;

  constructor(
    sets: number,
    private readonly ways: number,
  ) {
    this.stamps = new Float64Array(sets * ways);
  }

  touch(set: number, way: number): void {
    this.stamps[set * this.ways + way] = ++this.clock;
  }

  victim(set: number): number {
    const base = set * this.ways;
    let best = 0;
    let oldest = this.stamps[base];
    for (let w = 1; w < this.ways; w++) {
      const s = this.stamps[base + w];
      if (s < oldest) {
        oldest = s;
        best = w;
      }
    }
    return best;
  }
}

/**
 * Tree pseudo-LRU: ways-1 node bits per set in a binary tree over the ways (node 1 is the root,
 * node n has children 2n and 2n+1, leaf ways+w is way w). Each bit says on which side the victim
 * lies (0 left, 1 right); a use points every node on the way's path away from it. Unlike LRU,
 * it forgets the order inside the half it points away from: after A B C D A in a 4-way set it
 * evicts C, where LRU evicts B.
 */
export class TreePlruPolicy implements ReplacementPolicy {
  private readonly bits: Uint8Array;
  private readonly levels: number;

  constructor(
    sets: number,
    private readonly ways: number,
  ) {
    if ((ways & (ways - 1)) !== 0) throw new ConfigError(`tree-PLRU needs a power-of-two associativity, got ${ways} ways`);
    this.levels = Math.log2(ways);
    this.bits = new Uint8Array(sets * ways); // index 0 of each set is unused
  }

  touch(set: number, way: number): void {
    const base = set * this.ways;
    let node = 1;
    for (let level = this.levels - 1; level >= 0; level--) {
      const right = (way >>> level) & 1;
      this.bits[base + node] = right ^ 1;
      node = 2 * node + right;
    }
  }

  victim(set: number): number {
    const base = set * this.ways;
    let node = 1;
    for (let level = 0; level < this.levels; level++) node = 2 * node + this.bits[base + node];
    return node - this.ways;
  }
}

/**
 * Random replacement from a seeded xorshift32 generator (Marsaglia 2003), so a run is
 * reproducible for a given seed; hardware uses an LFSR for the same purpose (CVA6's
 * wt_dcache_missunit and cva6_icache, Rocket's RandomReplacement).
 */
export class RandomPolicy implements ReplacementPolicy {
  private state: number;

  constructor(
    private readonly ways: number,
    seed: number,
  ) {
    // Scramble the seed so that small neighbouring seeds start far apart; xorshift never leaves 0.
    let s = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
    s ^= s >>> 13;
    this.state = s === 0 ? 1 : s;
  }

  touch(_set: number, _way: number): void {}

  /** The next raw 32-bit output of the generator (exposed for tests). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }

  victim(_set: number): number {
    return this.next() % this.ways;
  }
}

export function makeReplacement(kind: ReplacementKind, sets: number, ways: number, seed: number): ReplacementPolicy {
  switch (kind) {
    case 'lru':
      return new LruPolicy(sets, ways);
    case 'tree-plru':
      return new TreePlruPolicy(sets, ways);
    case 'random':
      return new RandomPolicy(ways, seed);
  }
}
