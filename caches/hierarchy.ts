/**
 * The memory hierarchy as the timing model sees it: L1I and L1D, an optional unified L2, then
 * DRAM, all physically tagged by host-physical address. The pipeline asks it how long each
 * access takes; the walker charges each PTE read through it (mmu/walk.ts onPteAccess). It only
 * keeps tags and replacement state and never decides a functional result.
 *
 * Routing: instruction fetch → L1I; loads and stores → L1D; walker PTE reads → L1D or L2
 * (`walkerLevel`). Walker accesses are reads: PTE A/D updates are not charged here. A walker
 * entering at the L2 does not look at the L1D, even if a store left the PTE's line dirty there
 * (no coherence in a timing-only model).
 *
 * Callers split accesses so that none straddles a line.
 */
import type { StatScope } from '../common/stats.js';
import { Cache, type MemoryLevel } from './cache.js';
import type { CachesConfig } from './cache-config.js';
import { Dram } from './dram.js';

/** Who makes an access; statistics are split by it (cache.ts REQUESTER_NAMES follows this order). */
export const enum Requester {
  Fetch = 0,
  Load = 1,
  Store = 2,
  WalkerVS = 3,
  WalkerG = 4,
  WalkerNative = 5,
}

export class MemoryHierarchy {
  readonly l1i: Cache;
  readonly l1d: Cache;
  readonly l2: Cache | null;
  readonly dram: Dram;
  /** Where walker PTE reads enter: the L1D or the L2. */
  private readonly walkerEntry: MemoryLevel;

  /** `stats` is the scope the statistics go under (`caches` in a run: `caches.l1d.hits.load`). */
  constructor(cfg: CachesConfig, stats: StatScope | null) {
    this.dram = new Dram(cfg.dram, stats?.scope('dram') ?? null);
    this.l1i = new Cache('l1i', { ...cfg.l1i, writeBack: true }, stats?.scope('l1i') ?? null);
    this.l1d = new Cache('l1d', { ...cfg.l1d, writeBack: cfg.l1d.writePolicy === 'write-back' }, stats?.scope('l1d') ?? null);
    if (cfg.l2 !== null) {
      const l2 = new Cache('l2', { ...cfg.l2, writeBack: cfg.l2.writePolicy === 'write-back' }, stats?.scope('l2') ?? null);
      l2.next = this.dram;
      if (cfg.l2.inclusion === 'inclusive') l2.inner = [this.l1i, this.l1d];
      this.l2 = l2;
      this.l1i.next = l2;
      this.l1d.next = l2;
    } else {
      this.l2 = null;
      this.l1i.next = this.dram;
      this.l1d.next = this.dram;
    }
    this.walkerEntry = cfg.walkerLevel === 'l2' && this.l2 !== null ? this.l2 : this.l1d;
  }

  /**
   * Latency in cycles of an access to physical address pa by `who` at core time `now` (cycles;
   * used for DRAM bandwidth queuing). It includes the hit latency of the first level and updates
   * tags, replacement state, dirty bits and write-backs.
   */
  access(pa: number, who: Requester, now: number): number {
    switch (who) {
      case Requester.Fetch:
        return this.l1i.access(pa, who, false, now);
      case Requester.Load:
        return this.l1d.access(pa, who, false, now);
      case Requester.Store:
        return this.l1d.access(pa, who, true, now);
      default:
        return this.walkerEntry.access(pa, who, false, now);
    }
  }

  /** FENCE.I: drop every L1I line (later cache-maintenance operations get siblings of this). */
  invalidateL1I(): void {
    this.l1i.invalidateAll(0);
  }
}
