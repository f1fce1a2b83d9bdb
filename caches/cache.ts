/**
 * One set-associative, physically tagged (HPA) cache timing model. It keeps tags, valid/dirty
 * bits and replacement state, and answers how long an access takes; it never holds data, so no
 * functional result can depend on it (STYLE.md: timing is separate from semantics).
 *
 * Policies:
 * - write-back + write-allocate: a store miss fetches the line (a read of the next level) and
 *   dirties it; a dirty victim is written to the next level. The write-back is off the critical
 *   path (a victim buffer is assumed): it is issued when the fill returns and its latency is not
 *   charged to anyone, though it does occupy the DRAM channel and row buffers.
 * - write-through + no-write-allocate: every store is passed to the next level as a write and a
 *   store miss allocates nothing, so no line is ever dirty. A store costs the hit latency whether
 *   it hits or misses: the store reaches the next level through a write buffer (CVA6 has one,
 *   CVA6ConfigWtDcacheWbufDepth = 8) assumed never full, so only its traffic is modelled.
 * - a miss prefers an invalid way (lowest index), as CVA6's caches do; otherwise the policy's
 *   victim (replacement.ts).
 * - inclusion is the next level's business: an inclusive L2 lists its inner caches and
 *   invalidates its victim's line in them (back-invalidation, see evict()).
 */
import { ConfigError } from '../common/errors.js';
import type { StatScope } from '../common/stats.js';
import type { Requester } from './hierarchy.js';
import { makeReplacement, type ReplacementKind, type ReplacementPolicy } from './replacement.js';

/** What a cache misses into: another cache or the DRAM model. */
export interface MemoryLevel {
  /** Latency of an access arriving at cycle `now`; write=true for write-through store traffic. */
  access(pa: number, who: Requester, write: boolean, now: number): number;
  /** A dirty line of the level above arriving at cycle `when`; nobody waits for it. */
  writeback(pa: number, when: number): void;
}

export interface CacheParams {
  sizeBytes: number;
  ways: number;
  lineBytes: number;
  hitLatency: number;
  replacement: ReplacementKind;
  /** Seed of the random policy's generator (ignored by the others). */
  seed: number;
  writeBack: boolean;
}

/** Statistic name of each requester, indexed by Requester (hierarchy.ts). */
export const REQUESTER_NAMES = ['fetch', 'load', 'store', 'walkerVS', 'walkerG', 'walkerNative'] as const;

const VALID = 1;
const DIRTY = 2;

export class Cache implements MemoryLevel {
  readonly sets: number;
  readonly ways: number;
  readonly lineBytes: number;
  readonly hitLatency: number;
  readonly writeBack: boolean;
  /** Set by the hierarchy once the level below exists. */
  next: MemoryLevel | null = null;
  /** Caches above this one that must not keep a line this one evicts (inclusive L2); else empty. */
  inner: Cache[] = [];

  private readonly setMask: number;
  /** Line number (pa / lineBytes) of each way, set-major; meaningful only when VALID. */
  private readonly tags: Float64Array;
  private readonly state: Uint8Array;
  private readonly repl: ReplacementPolicy;

  readonly accesses = new Float64Array(REQUESTER_NAMES.length);
  readonly hits = new Float64Array(REQUESTER_NAMES.length);
  readonly misses = new Float64Array(REQUESTER_NAMES.length);
  evictions = 0;
  writebacks = 0;
  writebacksReceived = 0;
  backInvalidations = 0;
  flushes = 0;

  constructor(
    readonly name: string,
    p: CacheParams,
    stats: StatScope | null,
  ) {
    const sets = p.sizeBytes / (p.ways * p.lineBytes);
    if (!isPow2(p.lineBytes)) throw new ConfigError(`caches.${name}.lineBytes must be a power of two, got ${p.lineBytes}`);
    if (!Number.isInteger(sets) || !isPow2(sets)) {
      throw new ConfigError(`caches.${name}: sizeBytes / (ways * lineBytes) = ${sets} sets, which must be a power of two`);
    }
    this.sets = sets;
    this.ways = p.ways;
    this.lineBytes = p.lineBytes;
    this.hitLatency = p.hitLatency;
    this.writeBack = p.writeBack;
    this.setMask = sets - 1;
    this.tags = new Float64Array(sets * p.ways);
    this.state = new Uint8Array(sets * p.ways);
    this.repl = makeReplacement(p.replacement, sets, p.ways, p.seed);
    if (stats !== null) this.registerStats(stats);
  }

  access(pa: number, who: Requester, write: boolean, now: number): number {
    const line = Math.floor(pa / this.lineBytes);
    // ToInt32 keeps the low 32 bits of any integer below 2^53 exactly, so & is a true modulo.
    const set = line & this.setMask;
    const base = set * this.ways;
    const hitLatency = this.hitLatency;
    this.accesses[who]++;

    for (let w = 0; w < this.ways; w++) {
      if ((this.state[base + w] & VALID) !== 0 && this.tags[base + w] === line) {
        this.hits[who]++;
        this.repl.touch(set, w);
        if (write) {
          if (this.writeBack) this.state[base + w] |= DIRTY;
          else this.nextLevel().access(pa, who, true, now + hitLatency);
        }
        return hitLatency;
      }
    }

    this.misses[who]++;
    if (write && !this.writeBack) {
      // No-write-allocate: the store goes on to the next level; its latency is hidden (write buffer).
      this.nextLevel().access(pa, who, true, now + hitLatency);
      return hitLatency;
    }
    // Allocate: fetch the line first, then pick the victim, since an inclusive level below may
    // have back-invalidated lines of this set while filling.
    const lineBase = line * this.lineBytes;
    const fill = this.nextLevel().access(lineBase, who, false, now + hitLatency);
    const way = this.victimWay(set, base);
    this.evict(base + way, now + hitLatency + fill);
    this.tags[base + way] = line;
    this.state[base + way] = write ? VALID | DIRTY : VALID;
    this.repl.touch(set, way);
    return hitLatency + fill;
  }

  writeback(pa: number, when: number): void {
    this.writebacksReceived++;
    if (!this.writeBack) {
      this.nextLevel().writeback(pa, when);
      return;
    }
    const line = Math.floor(pa / this.lineBytes);
    const set = line & this.setMask;
    const base = set * this.ways;
    for (let w = 0; w < this.ways; w++) {
      if ((this.state[base + w] & VALID) !== 0 && this.tags[base + w] === line) {
        this.state[base + w] |= DIRTY;
        this.repl.touch(set, w);
        return;
      }
    }
    // Not present (only possible when not inclusive): the whole line arrives, so it is
    // allocated dirty without a fetch.
    const way = this.victimWay(set, base);
    this.evict(base + way, when);
    this.tags[base + way] = line;
    this.state[base + way] = VALID | DIRTY;
    this.repl.touch(set, way);
  }

  /** Invalidates every line (FENCE.I on the L1I); dirty lines are written back first. */
  invalidateAll(now: number): void {
    this.flushes++;
    for (let i = 0; i < this.state.length; i++) {
      if ((this.state[i] & DIRTY) !== 0) {
        this.writebacks++;
        this.nextLevel().writeback(this.tags[i] * this.lineBytes, now);
      }
      this.state[i] = 0;
    }
  }

  /**
   * Drops every line inside [pa, pa + bytes) (back-invalidation from an inclusive outer level).
   * Returns true if one was dirty: its data then travels with the outer level's victim.
   */
  invalidateRange(pa: number, bytes: number): boolean {
    let dirty = false;
    for (let a = pa; a < pa + bytes; a += this.lineBytes) {
      const line = Math.floor(a / this.lineBytes);
      const base = (line & this.setMask) * this.ways;
      for (let w = 0; w < this.ways; w++) {
        const i = base + w;
        if ((this.state[i] & VALID) !== 0 && this.tags[i] === line) {
          if ((this.state[i] & DIRTY) !== 0) dirty = true;
          this.state[i] = 0;
          this.backInvalidations++;
        }
      }
    }
    return dirty;
  }

  /** Whether the line holding pa is present (tests, debugging). */
  contains(pa: number): boolean {
    return this.findWay(pa) >= 0;
  }

  /** Whether the line holding pa is present and dirty. */
  isDirty(pa: number): boolean {
    const i = this.findWay(pa);
    return i >= 0 && (this.state[i] & DIRTY) !== 0;
  }

  /** Number of dirty lines (tests: a write-through cache never has one). */
  dirtyLines(): number {
    let n = 0;
    for (let i = 0; i < this.state.length; i++) if ((this.state[i] & DIRTY) !== 0) n++;
    return n;
  }

  private findWay(pa: number): number {
    const line = Math.floor(pa / this.lineBytes);
    const base = (line & this.setMask) * this.ways;
    for (let w = 0; w < this.ways; w++) {
      if ((this.state[base + w] & VALID) !== 0 && this.tags[base + w] === line) return base + w;
    }
    return -1;
  }

  private victimWay(set: number, base: number): number {
    for (let w = 0; w < this.ways; w++) if ((this.state[base + w] & VALID) === 0) return w;
    return this.repl.victim(set);
  }

  /** Empties slot i: counts the eviction, back-invalidates inner caches, writes back if dirty. */
  private evict(i: number, when: number): void {
    const st = this.state[i];
    if ((st & VALID) === 0) return;
    this.evictions++;
    const pa = this.tags[i] * this.lineBytes;
    let dirty = (st & DIRTY) !== 0;
    for (let k = 0; k < this.inner.length; k++) {
      if (this.inner[k].invalidateRange(pa, this.lineBytes)) dirty = true;
    }
    this.state[i] = 0;
    if (dirty) {
      this.writebacks++;
      this.nextLevel().writeback(pa, when);
    }
  }

  private nextLevel(): MemoryLevel {
    const n = this.next;
    if (n === null) throw new Error(`cache ${this.name} has no next level`);
    return n;
  }

  private registerStats(s: StatScope): void {
    for (let r = 0; r < REQUESTER_NAMES.length; r++) {
      const who = REQUESTER_NAMES[r];
      s.register(`accesses.${who}`, 'count', `${this.name} accesses by ${who}`, () => this.accesses[r]);
      s.register(`hits.${who}`, 'count', `${this.name} hits by ${who}`, () => this.hits[r]);
      s.register(`misses.${who}`, 'count', `${this.name} misses by ${who}`, () => this.misses[r]);
    }
    s.register('evictions', 'lines', `Valid lines ${this.name} replaced (clean or dirty)`, () => this.evictions);
    s.register('writebacks', 'lines', `Dirty lines ${this.name} wrote to the next level (on eviction or flush)`, () => this.writebacks);
    s.register('writebacksReceived', 'lines', `Dirty lines written back into ${this.name} from the level above (not in accesses)`, () => this.writebacksReceived);
    s.register('backInvalidations', 'lines', `Lines ${this.name} lost because an inclusive outer cache evicted them`, () => this.backInvalidations);
    s.register('flushes', 'count', `Whole-cache invalidations of ${this.name} (FENCE.I on the L1I)`, () => this.flushes);
  }
}

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
