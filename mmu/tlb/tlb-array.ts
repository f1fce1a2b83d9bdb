/**
 * One TLB array: a set-associative (or fully associative) store of translation entries for a
 * set of page sizes, in typed arrays, with no allocation per lookup. It holds timing state only:
 * the functional hart has already decided what each access does.
 *
 * An entry maps a range of input pages [base, end) (VA/GVA pages, or GPA pages for a G-stage
 * entry; page numbers are VA bits 58:12 as in mmu/ports.ts) linearly onto output pages starting
 * at `out` (PA pages, or GPA pages for a VS-stage entry). An empty slot has end = 0, so no page
 * number lies in it and the lookup needs no separate valid check.
 *
 * Tags: `tag` is what the hardware compares (V, VMID, ASID, and the vsatp-Bare bit, with a field
 * forced to zero when its tagging is off); `trueTag` is the same with every field present. The
 * hardware never looks at trueTag: it only lets fences count which invalidations were stale and
 * which collateral. A global entry (PTE.G) or one made with vsatp Bare matches any ASID: its mask
 * clears the ASID field.
 */
import { LEVEL_SPAN } from '../pte.js';
import { makeReplacement, type ReplacementKind, type ReplacementPolicy } from '../../caches/replacement.js';
import { ConfigError } from '../../common/errors.js';
import type { FenceScope } from '../ports.js';
import { doubleFields } from '../../common/double-fields.js';

/** What an entry translates. */
export const enum EntryKind {
  /** V=0: VA → PA (satp). */
  Native = 0,
  /** V=1 first stage only: GVA → GPA (vsatp), the separate organisation's VS-stage entries. */
  Vs = 1,
  /** V=1 both stages: GVA → HPA. */
  Combined = 2,
  /** G-stage only: GPA → HPA (hgatp). */
  G = 3,
}

/** Tag fields (int32): ASID 15:0, VMID 29:16, V 30, vsatp-Bare 31. */
export const TAG_ASID_MASK = 0xffff;
export const TAG_VMID_SHIFT = 16;
export const TAG_VMID_MASK = 0x3fff; // VMIDMAX = 14 for Sv39x4 and wider (hypervisor.adoc norm:hgatp_vmid_lsbs)
export const TAG_V = 1 << 30;
export const TAG_VS_BARE = 1 << 31;
/** Mask of an entry that matches any ASID. */
export const MASK_ANY_ASID = ~TAG_ASID_MASK;

const FLAG_GLOBAL = 1;
const FLAG_VS_BARE = 2;


/** The tagging a structure's hardware has (the model's configuration). */
export interface TagPolicy {
  readonly asidTagging: boolean;
  readonly vmidTagging: boolean;
  /** HFENCE.GVMA may match combined entries by their GPA ('keep-gpa'). */
  readonly keepGpa: boolean;
}

export interface TlbArrayParams {
  entries: number;
  /** 0: fully associative. */
  ways: number;
  replacement: ReplacementKind;
  seed: number;
  /** Levels held (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
  levels: readonly number[];
}

/**
 * A translation to store, described at the accessed page. Reused by its owner (one instance per
 * model), so a fill allocates nothing.
 */
export class TlbFill {
  kind: EntryKind = EntryKind.Native;
  /** Hardware tag and true tag (see the file comment); mask: -1, or MASK_ANY_ASID. */
  tag = 0;
  trueTag = 0;
  mask = -1;
  global = false;
  vsBare = false;
  /** The accessed input page, its output page and its guest-physical page. */
  page = 0;
  outPage = 0;
  gpaPage = 0;
  /** The level over which the mapping is linear, and the first-stage and G-stage leaf levels (-1: none). */
  level = 0;
  firstLevel = -1;
  gLevel = -1;
  /**
   * Leaf PTE bits 7:0 of the first stage (native or VS) in bits 7:0 and of the G-stage in bits
   * 15:8 (mmu/ports.ts WalkResult.pteFlags); a byte is 0 for a stage the entry does not hold, or
   * whose flags the filler did not know. Only the strict TLB mode reads them.
   */
  perm = 0;

  constructor() {
    doubleFields(this, 'tag', 'trueTag', 'page', 'outPage', 'gpaPage');
  }
}

/** Counts an invalidation accumulates (reused by the caller). */
export class InvalidationCount {
  dropped = 0;
  stale = 0;
}

/** Where an invalidation reports each collaterally dropped entry (the fence shadow). */
export interface CollateralSink {
  collateral(kind: EntryKind, trueTag: number, mask: number, base: number, end: number): void;
}

export class TlbArray {
  readonly entries: number;
  readonly ways: number;
  readonly sets: number;
  /** Levels held, ascending. */
  readonly levels: readonly number[];
  evictions = 0;
  /** Slot of the last hit (valid right after lookup returned a page). */
  lastSlot = -1;
  /** Slot the last successful insert wrote. */
  lastFill = -1;
  /** Index of this array's slot 0 among all slots of its TLB organisation (set by mmu-model.ts). */
  idBase = 0;
  /**
   * Per slot, how many times its content was replaced or dropped: an observer that remembers
   * (slot, generation) knows whether the entry it saw is still the one there (mmu/sanitizer).
   */
  readonly gen: Uint32Array;

  private readonly setMask: number;
  private readonly base: Float64Array;
  private readonly end: Float64Array;
  private readonly out: Float64Array;
  private readonly gpa: Float64Array;
  private readonly tag: Int32Array;
  private readonly trueTag: Int32Array;
  private readonly mask: Int32Array;
  private readonly kind: Uint8Array;
  private readonly flags: Uint8Array;
  private readonly level: Int8Array;
  private readonly firstLevel: Int8Array;
  private readonly gLevel: Int8Array;
  private readonly perm: Uint16Array;
  private readonly repl: ReplacementPolicy;
  /** Slot of the last hit or fill: probed first (most accesses repeat the last page). */
  private mru = 0;

  constructor(
    p: TlbArrayParams,
    private readonly policy: TagPolicy,
  ) {
    const ways = p.ways === 0 ? p.entries : p.ways;
    const sets = p.entries / ways;
    if (!Number.isInteger(sets) || (sets & (sets - 1)) !== 0) throw new ConfigError(`TLB array: entries / ways = ${sets} sets, which must be a power of two`);
    if (p.levels.length === 0) throw new ConfigError('TLB array holds no page size');
    this.entries = p.entries;
    this.ways = ways;
    this.sets = sets;
    this.setMask = sets - 1;
    this.levels = [...p.levels].sort((a, b) => a - b);
    const n = p.entries;
    this.base = new Float64Array(n);
    this.end = new Float64Array(n);
    this.out = new Float64Array(n);
    this.gpa = new Float64Array(n);
    this.tag = new Int32Array(n);
    this.trueTag = new Int32Array(n);
    this.mask = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.level = new Int8Array(n);
    this.firstLevel = new Int8Array(n);
    this.gLevel = new Int8Array(n);
    this.perm = new Uint16Array(n);
    this.gen = new Uint32Array(n);
    this.repl = makeReplacement(p.replacement, sets, ways, p.seed);
  }

  /** The level an entry for a page of `level` is stored at: the largest held level not above it, or -1. */
  storedLevel(level: number): number {
    let best = -1;
    for (let k = 0; k < this.levels.length; k++) if (this.levels[k] <= level) best = this.levels[k];
    return best;
  }

  /**
   * The output page for input page `page` under hardware tag `key`, or -1 on a miss. The hit
   * slot is left in `lastSlot`. Touches the replacement state on a hit.
   */
  lookup(key: number, page: number): number {
    const i = this.find(key, page);
    return i < 0 ? -1 : this.hit(i, page);
  }

  /**
   * The slot holding input page `page` under hardware tag `key`, or -1: lookup's answer without
   * its side effects (no replacement update, no MRU change, nothing counted). The strict TLB mode
   * reads the translation a lookup is about to use this way.
   */
  find(key: number, page: number): number {
    const base = this.base;
    const end = this.end;
    const mask = this.mask;
    const tag = this.tag;
    const mru = this.mru;
    if (page >= base[mru] && page < end[mru] && (key & mask[mru]) === tag[mru]) return mru;
    if (this.sets === 1) {
      for (let i = 0; i < this.ways; i++) if (page >= base[i] && page < end[i] && (key & mask[i]) === tag[i]) return i;
      return -1;
    }
    const levels = this.levels;
    for (let k = 0; k < levels.length; k++) {
      const first = (Math.floor(page / LEVEL_SPAN[levels[k]]) & this.setMask) * this.ways;
      for (let i = first; i < first + this.ways; i++) if (page >= base[i] && page < end[i] && (key & mask[i]) === tag[i]) return i;
    }
    return -1;
  }

  /** Output page of slot i for input page `page` (inside the slot's range). */
  outOf(i: number, page: number): number {
    return this.out[i] + (page - this.base[i]);
  }

  /** First input page slot i maps. */
  baseOf(i: number): number {
    return this.base[i];
  }

  /** Leaf flags slot i holds (TlbFill.perm). */
  permOf(i: number): number {
    return this.perm[i];
  }

  /** Whether slot i holds an entry. */
  valid(i: number): boolean {
    return this.end[i] !== 0;
  }

  /** Drop slot i without counting it anywhere (the strict mode's refetch of an entry whose cached permissions refuse an access). */
  dropSlot(i: number): void {
    if (this.end[i] === 0) return;
    this.base[i] = 0;
    this.end[i] = 0;
    this.gen[i]++;
  }

  private hit(i: number, page: number): number {
    this.mru = i;
    this.lastSlot = i;
    if (this.sets === 1) this.repl.touch(0, i);
    else this.repl.touch((i / this.ways) | 0, i % this.ways);
    return this.out[i] + (page - this.base[i]);
  }

  /**
   * Describe slot i's translation of input page `page` in `f` (to refill an L1 from an L2 hit);
   * the level stays the stored one.
   */
  describe(i: number, page: number, f: TlbFill): void {
    const off = page - this.base[i];
    f.kind = this.kind[i] as EntryKind;
    f.tag = this.tag[i];
    f.trueTag = this.trueTag[i];
    f.mask = this.mask[i];
    f.global = (this.flags[i] & FLAG_GLOBAL) !== 0;
    f.vsBare = (this.flags[i] & FLAG_VS_BARE) !== 0;
    f.page = page;
    f.outPage = this.out[i] + off;
    f.gpaPage = this.gpa[i] + off;
    f.level = this.level[i];
    f.firstLevel = this.firstLevel[i];
    f.gLevel = this.gLevel[i];
    f.perm = this.perm[i];
  }

  /**
   * Store `f`, splintered to the largest held size not above its level. Returns false if this
   * array holds no size small enough. A slot already holding the same entry is rewritten in
   * place, so filling twice (walker and organisation both) is harmless.
   */
  insert(f: TlbFill): boolean {
    const level = this.storedLevel(f.level);
    if (level < 0) return false;
    const span = LEVEL_SPAN[level];
    const base = f.page - (f.page % span);
    const ways = this.ways;
    const set = this.sets === 1 ? 0 : Math.floor(base / span) & this.setMask;
    const first = set * ways;
    let way = -1;
    for (let w = 0; w < ways; w++) {
      const i = first + w;
      if (this.end[i] !== 0 && this.base[i] === base && this.level[i] === level && this.tag[i] === (f.tag & f.mask) && this.kind[i] === f.kind) {
        way = w;
        break;
      }
    }
    if (way < 0) {
      for (let w = 0; w < ways; w++) {
        if (this.end[first + w] === 0) {
          way = w;
          break;
        }
      }
    }
    if (way < 0) {
      way = this.repl.victim(set);
      this.evictions++;
    }
    const i = first + way;
    const off = f.page - base;
    this.base[i] = base;
    this.end[i] = base + span;
    this.out[i] = f.outPage - off;
    this.gpa[i] = f.gpaPage - off;
    this.tag[i] = f.tag & f.mask;
    this.trueTag[i] = f.trueTag & f.mask;
    this.mask[i] = f.mask;
    this.kind[i] = f.kind;
    this.flags[i] = (f.global ? FLAG_GLOBAL : 0) | (f.vsBare ? FLAG_VS_BARE : 0);
    this.level[i] = level;
    this.firstLevel[i] = f.firstLevel;
    this.gLevel[i] = f.gLevel;
    this.perm[i] = f.perm;
    this.gen[i]++;
    this.lastFill = i;
    this.repl.touch(set, way);
    this.mru = i;
    return true;
  }

  /**
   * Drop every entry the hardware matches for `scope` (its tags and policy may match more than
   * the scope asks: missing ASID/VMID tags, 'flush-vmid'); count how many were inside the
   * scope's architectural meaning (stale) and report the others to `sink` (collateral).
   * archNone: the operation has no architectural scope (a tag-less CSR-write flush): every
   * drop is collateral.
   */
  invalidate(scope: FenceScope, archNone: boolean, count: InvalidationCount, sink: CollateralSink | null): void {
    for (let i = 0; i < this.entries; i++) {
      if (this.end[i] === 0) continue;
      if (!this.matches(i, scope, true)) continue;
      count.dropped++;
      if (!archNone && this.matches(i, scope, false)) count.stale++;
      else if (sink !== null) sink.collateral(this.kind[i] as EntryKind, this.trueTag[i], this.mask[i], this.base[i], this.end[i]);
      this.base[i] = 0;
      this.end[i] = 0;
      this.gen[i]++;
    }
  }

  /**
   * Whether slot i is in `scope`: as the hardware sees it (hw, through its tags) or as the spec
   * means it (the true ASID and VMID, the leaf pages the entry came from).
   */
  private matches(i: number, s: FenceScope, hw: boolean): boolean {
    const kind = this.kind[i] as EntryKind;
    const vmid = (this.trueTag[i] >>> TAG_VMID_SHIFT) & TAG_VMID_MASK;
    const vmidBlind = hw && !this.policy.vmidTagging;
    if (s.stage === 'first') {
      if (s.virt) {
        // hypervisor.adoc norm:sfence_vma_v1 / norm:hfence-vvma_hfence-gvma_op: VS-stage
        // translations of one VMID. An entry made with vsatp Bare holds no VS-stage translation.
        if (kind !== EntryKind.Vs && kind !== EntryKind.Combined) return false;
        if ((this.flags[i] & FLAG_VS_BARE) !== 0) return false;
        if (s.vmid >= 0 && !vmidBlind && vmid !== s.vmid) return false;
      } else if (kind !== EntryKind.Native) {
        // norm:sfence_vma_v0: V=0 fences act on HS-level translations only.
        return false;
      }
      if (s.asid >= 0) {
        // supervisor.adoc norm:sfence_vma_asid_only / norm:sfence_vma_va_asid: "except for
        // entries containing global mappings".
        if ((this.flags[i] & FLAG_GLOBAL) !== 0) return false;
        if (!(hw && !this.policy.asidTagging) && (this.trueTag[i] & TAG_ASID_MASK) !== s.asid) return false;
      }
      // norm:sfence_vma_va_all_asid: entries "that contain leaf page table entries corresponding
      // to the virtual address": the whole first-stage leaf page, including every splinter of it.
      if (s.page >= 0) return inLeaf(this.base[i], this.firstLevel[i] >= 0 ? this.firstLevel[i] : this.level[i], s.page);
      return true;
    }
    // G-stage scope (hypervisor.adoc norm:hfence-gvma_op): G-stage entries, and the combined
    // entries whose GPA → HPA part came from the G-stage.
    if (kind !== EntryKind.G && kind !== EntryKind.Combined) return false;
    if (s.vmid >= 0 && !vmidBlind && vmid !== s.vmid) return false;
    if (s.page < 0) return true;
    // The note under norm:hfence-gvma_op: without the GPA a combined entry cannot be found by
    // address, so 'flush-vmid' drops every entry of the VMID.
    if (hw && kind === EntryKind.Combined && !this.policy.keepGpa) return true;
    return inLeaf(this.gpa[i], this.gLevel[i] >= 0 ? this.gLevel[i] : this.level[i], s.page);
  }

  /** G-stage leaf level of slot i's translation (-1: none). */
  gLeafLevel(i: number): number {
    return this.gLevel[i];
  }

  /** Valid entries (tests, statistics). */
  validCount(): number {
    let n = 0;
    for (let i = 0; i < this.entries; i++) if (this.end[i] !== 0) n++;
    return n;
  }

  /** Drop everything without counting (reset). */
  clear(): void {
    this.base.fill(0);
    this.end.fill(0);
    for (let i = 0; i < this.entries; i++) this.gen[i]++;
  }
}

/** Whether `page` lies in the leaf page of `level` that contains page `inside`. */
function inLeaf(inside: number, level: number, page: number): boolean {
  const span = LEVEL_SPAN[level];
  const start = inside - (inside % span);
  return page >= start && page < start + span;
}
