/**
 * A page-walk cache of non-leaf PTEs for one kind of walk (first-stage or G-stage), in the
 * organisations of Barr, Cox and Rixner, "Translation Caching: Skip, Don't Walk (the Page
 * Table)", ISCA 2010:
 *  - 'split': one array per non-leaf level (their "split translation cache", as in Intel's
 *    paging-structure caches);
 *  - 'unified': one array whose entries are tagged with their level (their "unified
 *    translation cache", as in AMD's page walk cache);
 *  - 'tpc': a translation-path cache, each entry the upper indices of one page's path with the
 *    PTEs along it, matched by the longest common prefix (fully associative);
 *  - 'none'.
 *
 * Entries are timing state only: the walk itself is the functional one, whose reads the walker
 * skips where this cache would have held the PTE. An entry for level i is keyed by the page
 * number bits that index levels LEVELS-1..i (page number / 512^i: for the G-stage this takes in
 * the x4 root's 11-bit index, hypervisor.adoc norm:hgatp_mode_x4, since the walker passes the
 * whole GPA page) and stands for the non-leaf PTE read at level i; a hit there lets the walk skip
 * the reads at levels LEVELS-1..i. Non-leaf PTEs live at levels 1..LEVELS-1 (supervisor.adoc
 * "Virtual Address Translation Process" step 4: level 0 holds leaves only).
 *
 * Global entries: a walk whose non-leaf PTE at level g has G=1 made global every mapping at
 * level g and below (supervisor.adoc "Sv32": "For non-leaf PTEs, the global setting implies that
 * all mappings in the subsequent levels of the page table are global"; "Global mappings are those
 * that exist in all address spaces"). Its entries for those levels match every ASID of their
 * context (V, VMID), and an ASID-specific fence keeps them (supervisor.adoc
 * norm:sfence_vma_asid_only: "except for entries containing global mappings"). The G-stage has
 * no global mappings (hypervisor.adoc norm:H_vm_gpa_g: the G bit "must be ignored by hardware").
 */
import { LEVEL_SPAN } from '../pte.js';
import { KeyStore } from './key-store.js';
import { MAX_NONLEAF_LEVEL, type PwcConfig } from './walker-config.js';


/** An entry's kind: its level and the paging mode's level count, so that Sv39 and Sv48 never alias. */
function kindOf(level: number, levels: number): number {
  return level + 8 * levels;
}

/**
 * An address space number (mmu/walker/timed-walker.ts firstSpace) keeps the ASID in these bits;
 * a global entry matches whatever they hold.
 */
export const SPACE_ASID_BITS = 0xffff;
/** The spaceMask of a global 'split' / 'unified' entry (key-store.ts): every space bit but the ASID. */
const GLOBAL_MASK = ~SPACE_ASID_BITS;

export class PageWalkCache {
  readonly enabled: boolean;
  readonly latency: number;
  /** Lookups that hit, by the level of the entry that won (index 1..4). */
  readonly hits = new Float64Array(MAX_NONLEAF_LEVEL + 1);
  lookups = 0;
  misses = 0;
  /** Entries written (new or refreshed path) and valid entries they replaced. */
  fills = 0;
  /** Of fills: entries written global (for 'tpc', paths with at least one global level). */
  globalFills = 0;
  evictions = 0;
  /** Entries fences dropped. */
  invalidated = 0;
  private readonly organisation: PwcConfig['organisation'];
  /** 'split': the array of each non-leaf level (index 1..4); 'unified' and 'tpc': one array. */
  private readonly byLevel: (KeyStore | null)[] = [];
  private readonly single: KeyStore | null = null;

  constructor(cfg: PwcConfig) {
    this.organisation = cfg.organisation;
    this.enabled = cfg.organisation !== 'none';
    this.latency = this.enabled ? cfg.latency : 0;
    this.byLevel.push(null);
    if (cfg.organisation === 'split') {
      const sizes = cfg.entriesByLevel ?? [cfg.entries];
      for (let l = 1; l <= MAX_NONLEAF_LEVEL; l++) {
        const entries = sizes[Math.min(l - 1, sizes.length - 1)]!;
        this.byLevel.push(new KeyStore(entries, cfg.ways, cfg.replacement, cfg.seed + l));
      }
    } else if (cfg.organisation !== 'none') {
      this.single = new KeyStore(cfg.entries, cfg.ways, cfg.replacement, cfg.seed);
    }
  }

  /**
   * The deepest level in (minLevel, levels-1] whose non-leaf PTE for page `vpn` in address space
   * `space` is cached, or `levels` on a miss (nothing to skip). minLevel is the deepest level the
   * walk itself read: entries at or below it cannot serve this walk. The winner is touched.
   */
  lookup(space: number, vpn: number, levels: number, minLevel: number): number {
    if (!this.enabled) return levels;
    this.lookups++;
    const from = Math.max(minLevel + 1, 1);
    const hit = this.organisation === 'tpc' ? this.lookupPath(space, vpn, levels, from) : this.lookupEntries(space, vpn, levels, from);
    if (hit < levels) this.hits[hit]!++;
    else this.misses++;
    return hit;
  }

  /**
   * A walk read the non-leaf PTEs for page `vpn` at levels `upper` down to `lower` (upper ≥
   * lower ≥ 1; nothing when upper < lower): cache them. globalFrom: the highest level from which
   * the walk's mappings are global (a non-leaf PTE there or above had G=1), 0 when none is.
   */
  fill(space: number, vpn: number, levels: number, upper: number, lower: number, globalFrom = 0): void {
    if (!this.enabled || upper < lower) return;
    if (this.organisation === 'tpc') {
      this.fillPath(space, vpn, levels, lower, globalFrom);
      return;
    }
    for (let l = upper; l >= lower; l--) {
      const store = this.storeFor(l)!;
      const global = l <= globalFrom;
      store.insert(Math.floor(vpn / LEVEL_SPAN[l]!), space, kindOf(l, levels), 0, l, global ? GLOBAL_MASK : -1);
      this.fills++;
      if (global) this.globalFills++;
      if (store.lastEvicted) this.evictions++;
    }
  }

  /**
   * Drops the entries `selects` picks by their address space and whether they hold only global
   * mappings (fences: an ASID-specific one keeps those); returns how many.
   */
  invalidate(selects: (space: number, global: boolean) => boolean): number {
    let n = 0;
    const tpc = this.organisation === 'tpc';
    for (const store of this.stores()) {
      n += store.drop((slot) => selects(store.space[slot]!, tpc ? pathGlobal(store, slot) : store.spaceMask[slot] !== -1));
    }
    this.invalidated += n;
    return n;
  }

  /** Valid entries, over every array. */
  occupancy(): number {
    let n = 0;
    for (const store of this.stores()) n += store.occupancy();
    return n;
  }

  private stores(): KeyStore[] {
    const all: KeyStore[] = [];
    for (const s of this.byLevel) if (s !== null) all.push(s);
    if (this.single !== null) all.push(this.single);
    return all;
  }

  private storeFor(level: number): KeyStore | null {
    return this.single ?? this.byLevel[level] ?? null;
  }

  /** 'split' and 'unified': every level is looked up at once; the deepest hit wins. */
  private lookupEntries(space: number, vpn: number, levels: number, from: number): number {
    for (let l = from; l < levels; l++) {
      if (this.storeFor(l)!.find(Math.floor(vpn / LEVEL_SPAN[l]!), space, kindOf(l, levels)) >= 0) return l;
    }
    return levels;
  }

  /*
   * 'tpc': an entry's tag is its path's page number / 512 (every index above level 0), its aux
   * the deepest level whose PTE it holds and its value the level from which its mappings are
   * global (0: none); it serves level l for page vpn when the two agree on the indices of levels
   * LEVELS-1..l, in another address space of the same context only at its global levels. Fully
   * associative: every entry is compared.
   */
  private lookupPath(space: number, vpn: number, levels: number, from: number): number {
    const s = this.single!;
    const kind = kindOf(0, levels);
    let best = levels;
    let bestSlot = -1;
    for (let slot = 0; slot < s.entries; slot++) {
      if (s.valid[slot] !== 1 || s.kind[slot] !== kind) continue;
      let limit = best;
      if (s.space[slot] !== space) {
        if (((s.space[slot]! ^ space) & GLOBAL_MASK) !== 0) continue;
        limit = Math.min(best, s.value[slot]! + 1);
      }
      const path = s.tag[slot]! * LEVEL_SPAN[1];
      for (let l = Math.max(from, s.aux[slot]!); l < limit; l++) {
        if (Math.floor(path / LEVEL_SPAN[l]!) === Math.floor(vpn / LEVEL_SPAN[l]!)) {
          best = l;
          bestSlot = slot;
          break;
        }
      }
    }
    if (bestSlot >= 0) s.touch(bestSlot);
    return best;
  }

  /**
   * 'tpc' fill with the path of `vpn` down to level `lower`, global from level globalFrom: an
   * entry whose whole path is a prefix of it is extended (or just touched, if it already reaches
   * as deep); otherwise the path takes a new entry, sharing its upper indices with others as the
   * organisation does. An entry of another address space counts only when both paths are global
   * from the root down (then the path is the same in every address space).
   */
  private fillPath(space: number, vpn: number, levels: number, lower: number, globalFrom: number): void {
    const s = this.single!;
    const kind = kindOf(0, levels);
    const wholeGlobal = globalFrom >= levels - 1;
    for (let slot = 0; slot < s.entries; slot++) {
      if (s.valid[slot] !== 1 || s.kind[slot] !== kind) continue;
      if (s.space[slot] !== space && !(wholeGlobal && pathGlobal(s, slot) && ((s.space[slot]! ^ space) & GLOBAL_MASK) === 0)) continue;
      const depth = s.aux[slot]!;
      const path = s.tag[slot]! * LEVEL_SPAN[1];
      const at = Math.max(depth, lower);
      if (Math.floor(path / LEVEL_SPAN[at]!) !== Math.floor(vpn / LEVEL_SPAN[at]!)) continue;
      if (depth <= lower) {
        s.touch(slot); // this path is already held
        return;
      }
      s.invalidateSlot(slot); // extended below: the entry takes the deeper path
      break;
    }
    s.insert(Math.floor(vpn / LEVEL_SPAN[1]), space, kind, globalFrom, lower);
    this.fills++;
    if (globalFrom > 0) this.globalFills++;
    if (s.lastEvicted) this.evictions++;
  }
}

/** A 'tpc' entry whose every level holds global mappings (its root-level PTE had G=1): it belongs to no one ASID. */
function pathGlobal(s: KeyStore, slot: number): boolean {
  // kind = kindOf(0, levels): the root is level kind / 8 - 1.
  return s.value[slot]! > 0 && s.value[slot]! >= (s.kind[slot]! >> 3) - 1;
}
