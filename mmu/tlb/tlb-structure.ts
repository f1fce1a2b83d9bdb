/**
 * One TLB structure (ITLB, DTLB, shared L2 TLB or G-stage TLB): the arrays probed in parallel on
 * a lookup, where a fill goes, its hit latency, its statistics and the storage its entries need.
 */
import type { StatScope } from '../../common/stats.js';
import type { FenceScope } from '../ports.js';
import { type CollateralSink, EntryKind, InvalidationCount, type TagPolicy, TlbArray, type TlbFill } from './tlb-array.js';
import { levelOf, type TlbStructureConfig } from './tlb-config.js';
import { doubleFields } from '../../common/double-fields.js';

/** Levels a fill can have: 4 KiB up to the Sv57 256 TiB page. */
const MAX_LEVEL = 4;

export class TlbStructure {
  readonly arrays: readonly TlbArray[];
  readonly hitLatency: number;
  /** Bits one slot needs (the widest array's), and the whole structure's storage (entryBits). */
  readonly entryBits: number;
  readonly storageBits: number;

  accesses = 0;
  hits = 0;
  misses = 0;
  /** The V=1 part of accesses / hits / misses. */
  accessesV1 = 0;
  hitsV1 = 0;
  missesV1 = 0;
  /** Invalidation operations (fences, tag-less CSR-write flushes) that dropped an entry here, and the entries dropped. */
  flushes = 0;
  invalidations = 0;
  /** The array of the last hit. */
  hitArray: TlbArray | null = null;
  /** Organisation-wide slot id (TlbArray.idBase + slot) of the last hit, and of the last fill (-1: none could hold it). */
  hitId = -1;
  fillId = -1;
  /** After peek() found a page: the array and slot holding it. */
  peekArray: TlbArray | null = null;
  peekSlot = -1;

  /**
   * The last hit (input page, tag, output page): a repeat is answered without probing. It is
   * the most recently used entry of its set already, so skipping the replacement update changes
   * no victim. Any fill or invalidation forgets it (lastPage = -1).
   */
  private lastPage = -1;
  private lastKey = 0;
  private lastOut = 0;
  /** For a fill of level L, the index of the array it goes to (-1: none can hold it). */
  private readonly fillArray = new Int8Array(MAX_LEVEL + 1);
  private readonly count = new InvalidationCount();

  constructor(
    readonly name: string,
    cfg: TlbStructureConfig,
    policy: TagPolicy,
    holds: readonly EntryKind[],
    stats: StatScope | null,
  ) {
    this.hitLatency = cfg.hitLatency;
    this.arrays = cfg.arrays.map((a) => new TlbArray({ entries: a.entries, ways: a.ways, replacement: a.replacement, seed: a.seed, levels: a.pageSizes.map(levelOf) }, policy));
    for (let level = 0; level <= MAX_LEVEL; level++) {
      // The array keeping the most of the page: the exact size if one holds it, else the largest
      // smaller size (splintering); the first such array on a tie.
      let best = -1;
      let bestLevel = -1;
      for (let k = 0; k < this.arrays.length; k++) {
        const s = this.arrays[k].storedLevel(level);
        if (s > bestLevel) {
          bestLevel = s;
          best = k;
        }
      }
      this.fillArray[level] = best;
    }
    let widest = 0;
    let total = 0;
    for (const a of this.arrays) {
      const bits = slotBits(holds, policy, Math.log2(a.sets));
      widest = Math.max(widest, bits);
      total += bits * a.entries;
    }
    this.entryBits = widest;
    this.storageBits = total;
    if (stats !== null) this.registerStats(stats, holds);
    doubleFields(this, 'lastPage', 'lastKey', 'lastOut');
  }

  /** The output page of input page `page` under hardware tag `key`, or -1 on a miss; counts the access. */
  lookup(key: number, page: number, virt: boolean): number {
    this.accesses++;
    if (virt) this.accessesV1++;
    if (page === this.lastPage && key === this.lastKey) {
      this.hits++;
      if (virt) this.hitsV1++;
      return this.lastOut;
    }
    const arrays = this.arrays;
    for (let k = 0; k < arrays.length; k++) {
      const a = arrays[k];
      const out = a.lookup(key, page);
      if (out >= 0) {
        this.hits++;
        if (virt) this.hitsV1++;
        this.hitArray = a;
        this.hitId = a.idBase + a.lastSlot;
        this.lastPage = page;
        this.lastKey = key;
        this.lastOut = out;
        return out;
      }
    }
    this.misses++;
    if (virt) this.missesV1++;
    return -1;
  }

  /**
   * The output page lookup() would return for (key, page), without counting or touching anything;
   * -1 on a miss. A hit leaves its array and slot in peekArray / peekSlot.
   */
  peek(key: number, page: number): number {
    const arrays = this.arrays;
    for (let k = 0; k < arrays.length; k++) {
      const a = arrays[k];
      const i = a.find(key, page);
      if (i >= 0) {
        this.peekArray = a;
        this.peekSlot = i;
        return a.outOf(i, page);
      }
    }
    return -1;
  }

  /** Describe the last hit's translation of `page` in `f` (to refill a smaller structure). */
  describeHit(page: number, f: TlbFill): void {
    const a = this.hitArray;
    if (a === null) throw new Error(`${this.name}: no hit to describe`);
    a.describe(a.lastSlot, page, f);
  }

  /** G-stage leaf level of the last hit's translation. */
  hitGLevel(): number {
    const a = this.hitArray;
    return a === null ? -1 : a.gLeafLevel(a.lastSlot);
  }

  /** Store a translation in the array that keeps most of it; false if none can hold it. */
  insert(f: TlbFill): boolean {
    this.lastPage = -1;
    this.fillId = -1;
    const k = this.fillArray[Math.min(f.level, MAX_LEVEL)];
    if (k < 0) return false;
    const a = this.arrays[k];
    if (!a.insert(f)) return false;
    this.fillId = a.idBase + a.lastFill;
    return true;
  }

  /** Drop the entry in slot i of array a, uncounted (TlbArray.dropSlot). */
  dropSlot(a: TlbArray, i: number): void {
    this.lastPage = -1;
    a.dropSlot(i);
  }

  /** Apply one invalidation; returns the entries dropped and adds them (and the stale ones) to `into`. */
  invalidate(scope: FenceScope, archNone: boolean, into: InvalidationCount, sink: CollateralSink | null): number {
    this.lastPage = -1;
    const c = this.count;
    c.dropped = 0;
    c.stale = 0;
    for (let k = 0; k < this.arrays.length; k++) this.arrays[k].invalidate(scope, archNone, c, sink);
    if (c.dropped > 0) this.flushes++;
    this.invalidations += c.dropped;
    into.dropped += c.dropped;
    into.stale += c.stale;
    return c.dropped;
  }

  get evictions(): number {
    let n = 0;
    for (const a of this.arrays) n += a.evictions;
    return n;
  }

  validCount(): number {
    let n = 0;
    for (const a of this.arrays) n += a.validCount();
    return n;
  }

  private registerStats(s: StatScope, holds: readonly EntryKind[]): void {
    const n = this.name;
    s.register('accesses', 'count', `${n} lookups`, () => this.accesses);
    s.register('hits', 'count', `${n} lookups that hit`, () => this.hits);
    s.register('misses', 'count', `${n} lookups that missed`, () => this.misses);
    if (holds.some((k) => k !== EntryKind.G)) {
      s.register('v1.accesses', 'count', `${n} lookups of V=1 translations`, () => this.accessesV1);
      s.register('v1.hits', 'count', `${n} lookups of V=1 translations that hit`, () => this.hitsV1);
      s.register('v1.misses', 'count', `${n} lookups of V=1 translations that missed`, () => this.missesV1);
    }
    s.register('evictions', 'entries', `Valid ${n} entries replaced by a fill`, () => this.evictions);
    s.register('flushes', 'count', `Fences and tag-less CSR-write flushes that dropped at least one ${n} entry`, () => this.flushes);
    s.register('invalidations', 'entries', `${n} entries dropped by fences and CSR-write flushes`, () => this.invalidations);
    s.register('entryBits', 'bits', `Bits of one ${n} entry (tag, payload, flags; Sv39/Sv39x4 widths; see slotBits in mmu/tlb/tlb-structure.ts)`, () => this.entryBits);
    s.register('storageBits', 'bits', `Bits of all ${n} entries`, () => this.storageBits);
  }
}

// Field widths for Sv39 and Sv39x4, the schemes of the presets (supervisor.adoc "Sv39",
// hypervisor.adoc "Guest Physical Address Translation"): 27-bit VPN, 29-bit GPA page (41-bit
// GPA), 44-bit PPN, ASIDMAX 16, VMIDMAX 14.
const VPN_BITS = 27;
const GPPN_BITS = 29;
const PPN_BITS = 44;
const ASID_BITS = 16;
const VMID_BITS = 14;
/** First-stage permissions kept: R W X U A D. */
const PERM_BITS = 6;
/** G-stage permissions kept: R W X A D (U is always 1 in a usable G-stage leaf). */
const G_PERM_BITS = 5;
/** Valid bit, stored page size (2 bits), leaf page size for fences by address across splinters (2 bits). */
const COMMON_BITS = 1 + 2 + 2;

/**
 * The bits one slot needs to hold any of `kinds`: the cost model behind 'keep-gpa' (a combined
 * entry that can be found by GPA stores the 29-bit GPA page and the G-stage leaf size, 31 bits)
 * and behind ASID/VMID tagging. The tag loses the set-index bits.
 */
export function slotBits(kinds: readonly EntryKind[], p: TagPolicy, indexBits: number): number {
  const asid = p.asidTagging ? ASID_BITS : 0;
  const vmid = p.vmidTagging ? VMID_BITS : 0;
  let widest = 0;
  for (const k of kinds) {
    let b = COMMON_BITS;
    switch (k) {
      case EntryKind.Native: // V, VPN tag, ASID, G, permissions, PPN
        b += 1 + (VPN_BITS - indexBits) + asid + 1 + PERM_BITS + PPN_BITS;
        break;
      case EntryKind.Vs: // V, GVA page tag, VMID, ASID, G, permissions, GPA page
        b += 1 + (VPN_BITS - indexBits) + vmid + asid + 1 + PERM_BITS + GPPN_BITS;
        break;
      case EntryKind.Combined: // V, vsatp-Bare, GVA page tag, VMID, ASID, G, both stages' permissions, PPN (+ GPA page and G leaf size)
        b += 2 + (VPN_BITS - indexBits) + vmid + asid + 1 + PERM_BITS + G_PERM_BITS + PPN_BITS + (p.keepGpa ? GPPN_BITS + 2 : 0);
        break;
      case EntryKind.G: // GPA page tag, VMID, G-stage permissions, PPN
        b += (GPPN_BITS - indexBits) + vmid + G_PERM_BITS + PPN_BITS;
        break;
    }
    widest = Math.max(widest, b);
  }
  return widest;
}
