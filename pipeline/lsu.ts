import { PAGE_CODE, PAGE_WATCHED, readChunk, type Bus } from '../caches/bus.js';
import { CHUNK_MASK } from '../caches/sparse-memory.js';
import { Word } from '../caches/word.js';
import { Cause } from '../common/causes.js';
import { Access, Priv } from '../mmu/access.js';
import type { StrictTranslation } from '../mmu/tlb/strict.js';
import { BusPteMemory } from '../mmu/bus-pte-memory.js';
import type { Hart } from './hart.js';
import { doubleFields } from '../common/double-fields.js';

const TLB_BITS = 8;
const TLB_SIZE = 1 << TLB_BITS;
const TLB_MASK = TLB_SIZE - 1;
/**
 * One soft-TLB set per (access kind, context), the context being privilege | V << 2 (hart.ts
 * CTX_V): index = ((access << 3) | ctx) << TLB_BITS. Guest and host translations of the same
 * virtual address thus never meet.
 */
const SETS = 24;
/**
 * The second level: 4096 pages (16 MiB) per set, looked up only when the first level misses. A
 * benchmark's arena of a few MiB then fits, and random accesses over it (GUPS, pointer chasing)
 * stop paying a functional walk per access (a two-stage one is 5 walks, 12 PTE reads under Sv39
 * over Sv39x4) that the modelled TLBs never see (measured: 1M-iteration virtualized GUPS over
 * 4 MiB in detailed mode, 7.8 s -> 5.5 s). The first level stays as small as it was, so the fast
 * path's tables, and workloads that fit them, are unchanged.
 */
const L2_BITS = 12;
const L2_SIZE = 1 << L2_BITS;
const L2_MASK = L2_SIZE - 1;
/**
 * Second-level fills remembered for flushing: a flush (fences, satp and mstatus writes: thousands
 * per run in a fence study) clears only those instead of all SETS * L2_SIZE tags. Past this many
 * fills it clears everything, a cost spread over that many translations.
 */
const FILL_LOG = 1024;

/** The soft-TLB tag of the page holding (vaLo, vaHi): VA bits 63:12 as a number (exact below 2^53). */
function pageTag(vaLo: number, vaHi: number): number {
  return vaHi * 1048576 + (vaLo >>> 12);
}

/** The first-level slot of vaLo's page in the set of (access, ctx); the fast paths inline the same. */
function l1Index(vaLo: number, access: Access, ctx: number): number {
  return (((access << 3) | ctx) << TLB_BITS) | ((vaLo >>> 12) & TLB_MASK);
}

function l2Index(vaLo: number, access: Access, ctx: number): number {
  return (((access << 3) | ctx) << L2_BITS) | ((vaLo >>> 12) & L2_MASK);
}

const ACCESS_FAULT = [Cause.InstructionAccessFault, Cause.LoadAccessFault, Cause.StoreAccessFault];
const MISALIGNED = [Cause.InstructionAddressMisaligned, Cause.LoadAddressMisaligned, Cause.StoreAddressMisaligned];

/**
 * The hart's load/store unit, functional part: a direct-mapped software TLB (two levels, see
 * L2_BITS) from virtual page to a DRAM chunk (the fast path: one compare and a DataView access),
 * and a slow path that translates through the MMU and goes to the bus (MMIO, misaligned
 * accesses, faults).
 * Cached translations follow the architecture's own caching rules: they are dropped on
 * SFENCE.VMA, satp and the mstatus/menvcfg bits that change translation.
 * This software TLB is a simulator device for speed, not a model of a TLB: modelled TLBs
 * (later issue) keep their own state and statistics.
 */
export class Lsu {
  private readonly tag = new Float64Array(SETS * TLB_SIZE).fill(NaN);
  private readonly chunk: (DataView | null)[] = new Array<DataView | null>(SETS * TLB_SIZE).fill(null);
  private readonly off = new Int32Array(SETS * TLB_SIZE);
  private readonly l2Tag = new Float64Array(SETS * L2_SIZE).fill(NaN);
  private readonly l2Chunk: (DataView | null)[] = new Array<DataView | null>(SETS * L2_SIZE).fill(null);
  private readonly l2Off = new Int32Array(SETS * L2_SIZE);
  /** Second-level indices filled since the last flush (the first FILL_LOG of them). */
  private readonly filled = new Int32Array(FILL_LOG);
  private fills = 0;
  private readonly w = new Word();

  /** Result of the last successful load. */
  vlo = 0;
  vhi = 0;
  /** The fault of the last failed access: cause and the faulting virtual address. */
  fault = 0;
  faultLo = 0;
  faultHi = 0;
  /** Whether the faulting access was a guest (V=1) access: its address is a guest virtual address. */
  faultVirt = false;
  /** For guest-page faults: the faulting guest-physical address >> 2 (for htval/mtval2), else 0. */
  faultGpaLo = 0;
  faultGpaHi = 0;
  /** For guest-page faults: caused by an implicit VS-stage PTE access (a write when updating A/D). */
  faultImplicit = false;
  faultImplicitWrite = false;
  /** Physical address of the last translated access (for AMOs and LR/SC). */
  lastPa = 0;

  /** Translations performed on soft-TLB misses (functional walks, or identity in M-mode/Bare). */
  translations = 0;

  /**
   * Strict TLB mode (mmu/tlb/strict.ts): translations come from the modelled TLBs where they hold
   * the page. This software TLB then caches what they answered and is flushed whenever they could
   * answer differently (mmu/sanitizer/pte-tracker.ts). null: the page tables in memory answer.
   */
  strict: StrictTranslation | null = null;
  /** The page-table memory the hart's walks use (its walkerStore tells A/D updates from page-table changes). */
  readonly ptes: BusPteMemory;

  constructor(
    private readonly hart: Hart,
    private readonly bus: Bus,
    private readonly emulateMisaligned: boolean,
  ) {
    this.ptes = new BusPteMemory(bus);
    doubleFields(this, 'lastPa', 'faultLo', 'faultGpaLo');
  }

  /** Called after every flush (the block engine drops its pc -> block cache with it). */
  onFlush: (() => void) | null = null;

  flush(): void {
    this.tag.fill(NaN);
    if (this.fills > FILL_LOG) this.l2Tag.fill(NaN);
    else for (let k = 0; k < this.fills; k++) this.l2Tag[this.filled[k]!] = NaN;
    this.fills = 0;
    if (this.onFlush !== null) this.onFlush();
  }

  /** Drop store translations only (a page became watched or gained translated code). */
  flushStores(): void {
    this.tag.fill(NaN, (Access.Store << 3) * TLB_SIZE, SETS * TLB_SIZE);
    const first = (Access.Store << 3) * L2_SIZE;
    if (this.fills > FILL_LOG) this.l2Tag.fill(NaN, first, SETS * L2_SIZE);
    else {
      // Other entries stay logged: clearing them again at the next flush is harmless.
      for (let k = 0; k < this.fills; k++) if (this.filled[k]! >= first) this.l2Tag[this.filled[k]!] = NaN;
    }
  }

  /**
   * On a first-level miss: if the second level holds the page, copy it to the first level and
   * return true (the caller then retries its fast path, which hits).
   */
  private refill(vaLo: number, vaHi: number, access: Access, ctx: number): boolean {
    const tag = pageTag(vaLo, vaHi);
    const j = l2Index(vaLo, access, ctx);
    if (this.l2Tag[j] !== tag) return false;
    const i = l1Index(vaLo, access, ctx);
    this.tag[i] = tag;
    this.chunk[i] = this.l2Chunk[j]!;
    this.off[i] = this.l2Off[j]!;
    return true;
  }

  // ------------------------------------------------------------------ loads

  /** Load size bytes (1, 2, 4, 8), zero-extended into vlo/vhi. False on a fault (see fault*). */
  load(vaLo: number, vaHi: number, size: number, ctx: number): boolean {
    const pageOff = vaLo & 0xfff;
    const i = (((Access.Load << 3) | ctx) << TLB_BITS) | ((vaLo >>> 12) & TLB_MASK);
    if (this.tag[i] === vaHi * 1048576 + (vaLo >>> 12) && (vaLo & (size - 1)) === 0) {
      const c = this.chunk[i]!;
      const o = this.off[i]! + pageOff;
      switch (size) {
        case 1:
          this.vlo = c.getUint8(o);
          this.vhi = 0;
          return true;
        case 2:
          this.vlo = c.getUint16(o, true);
          this.vhi = 0;
          return true;
        case 4:
          this.vlo = c.getInt32(o, true);
          this.vhi = 0;
          return true;
        default:
          this.vlo = c.getInt32(o, true);
          this.vhi = c.getInt32(o + 4, true);
          return true;
      }
    }
    return this.loadSlow(vaLo, vaHi, size, ctx, Access.Load);
  }

  /** Load for instruction fetch: a 16-bit parcel into vlo. */
  fetch16(vaLo: number, vaHi: number, ctx: number): boolean {
    const i = (((Access.Fetch << 3) | ctx) << TLB_BITS) | ((vaLo >>> 12) & TLB_MASK);
    if (this.tag[i] === vaHi * 1048576 + (vaLo >>> 12)) {
      this.vlo = this.chunk[i]!.getUint16(this.off[i]! + (vaLo & 0xfff), true);
      return true;
    }
    return this.loadSlow(vaLo, vaHi, 2, ctx, Access.Fetch);
  }

  /**
   * Fetch the instruction at pc: 16 bits, then 16 more if it is a 32-bit instruction
   * (zca.adoc: instructions are 16-bit aligned and may cross a page). The raw bits go to vlo.
   */
  fetch(pcLo: number, pcHi: number, ctx: number): boolean {
    if (!this.fetch16(pcLo, pcHi, ctx)) return false;
    const low = this.vlo;
    if ((low & 3) !== 3) return true;
    const nlo = (pcLo + 2) | 0;
    const nhi = (pcHi + ((pcLo >>> 0) + 2 > 0xffffffff ? 1 : 0)) | 0;
    if (!this.fetch16(nlo, nhi, ctx)) return false;
    this.vlo = low | (this.vlo << 16);
    return true;
  }

  private loadSlow(vaLo: number, vaHi: number, size: number, ctx: number, access: Access): boolean {
    if ((vaLo & (size - 1)) !== 0 && access !== Access.Fetch) {
      if (!this.emulateMisaligned) return this.setFault(MISALIGNED[access]!, vaLo, vaHi, ctx);
      return this.misalignedLoad(vaLo, vaHi, size, ctx);
    }
    if (this.refill(vaLo, vaHi, access, ctx)) return access === Access.Fetch ? this.fetch16(vaLo, vaHi, ctx) : this.load(vaLo, vaHi, size, ctx);
    if (!this.translate(vaLo, vaHi, access, ctx)) return false;
    const pa = this.lastPa;
    // Device regions are not executable (machine.adoc "Physical Memory Attributes": an
    // instruction fetch from a region without execute permission raises an access fault).
    if (access === Access.Fetch && !this.bus.dram.contains(pa, size)) return this.setFault(Cause.InstructionAccessFault, vaLo, vaHi, ctx);
    if (!this.bus.load(pa, size, this.w)) return this.setFault(ACCESS_FAULT[access]!, vaLo, vaHi, ctx);
    this.vlo = this.w.lo;
    this.vhi = this.w.hi;
    this.fill(vaLo, vaHi, access, ctx, pa);
    return true;
  }

  /**
   * A misaligned load done as bytes, each translated (both pages are checked first). Bytes go in
   * ascending order so that an access fault reports the first byte of the portion that faulted
   * (machine.adoc norm:mtval_vaddr_wr2), as the byte-wise stores below do.
   */
  private misalignedLoad(vaLo: number, vaHi: number, size: number, ctx: number): boolean {
    if (!this.checkPages(vaLo, vaHi, size, Access.Load, ctx)) return false;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < size; k++) {
      const alo = (vaLo + k) | 0;
      const ahi = (vaHi + ((vaLo >>> 0) + k > 0xffffffff ? 1 : 0)) | 0;
      if (!this.translate(alo, ahi, Access.Load, ctx)) return false;
      if (!this.bus.load(this.lastPa, 1, this.w)) return this.setFault(Cause.LoadAccessFault, alo, ahi, ctx);
      if (k >= 4) hi |= (this.w.lo & 0xff) << (8 * (k - 4));
      else lo |= (this.w.lo & 0xff) << (8 * k);
    }
    this.vlo = lo;
    this.vhi = hi;
    return true;
  }

  // ------------------------------------------------------------------ stores

  store(vaLo: number, vaHi: number, size: number, lo: number, hi: number, ctx: number): boolean {
    const i = (((Access.Store << 3) | ctx) << TLB_BITS) | ((vaLo >>> 12) & TLB_MASK);
    if (this.tag[i] === vaHi * 1048576 + (vaLo >>> 12) && (vaLo & (size - 1)) === 0) {
      const c = this.chunk[i]!;
      const o = this.off[i]! + (vaLo & 0xfff);
      switch (size) {
        case 1:
          c.setUint8(o, lo);
          return true;
        case 2:
          c.setUint16(o, lo, true);
          return true;
        case 4:
          c.setInt32(o, lo, true);
          return true;
        default:
          c.setInt32(o, lo, true);
          c.setInt32(o + 4, hi, true);
          return true;
      }
    }
    return this.storeSlow(vaLo, vaHi, size, lo, hi, ctx);
  }

  private storeSlow(vaLo: number, vaHi: number, size: number, lo: number, hi: number, ctx: number): boolean {
    if ((vaLo & (size - 1)) !== 0) {
      if (!this.emulateMisaligned) return this.setFault(Cause.StoreAddressMisaligned, vaLo, vaHi, ctx);
      if (!this.checkPages(vaLo, vaHi, size, Access.Store, ctx)) return false;
      for (let k = 0; k < size; k++) {
        const alo = (vaLo + k) | 0;
        const ahi = (vaHi + ((vaLo >>> 0) + k > 0xffffffff ? 1 : 0)) | 0;
        if (!this.translate(alo, ahi, Access.Store, ctx)) return false;
        const b = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
        if (!this.bus.store(this.lastPa, 1, b & 0xff, 0)) return this.setFault(Cause.StoreAccessFault, alo, ahi, ctx);
      }
      return true;
    }
    if (this.refill(vaLo, vaHi, Access.Store, ctx)) return this.store(vaLo, vaHi, size, lo, hi, ctx);
    if (!this.translate(vaLo, vaHi, Access.Store, ctx)) return false;
    const pa = this.lastPa;
    if (!this.bus.store(pa, size, lo, hi)) return this.setFault(Cause.StoreAccessFault, vaLo, vaHi, ctx);
    if ((this.bus.pageFlagsAt(pa) & (PAGE_WATCHED | PAGE_CODE)) === 0) this.fill(vaLo, vaHi, Access.Store, ctx, pa);
    return true;
  }

  /**
   * Translate both portions of a misaligned access before any byte moves, so that a fault leaves
   * memory untouched. The second portion is checked at its first byte, the start of the next
   * page: "mtval will contain the virtual address of the portion of the access that caused the
   * fault" (machine.adoc norm:mtval_vaddr_wr2).
   */
  private checkPages(vaLo: number, vaHi: number, size: number, access: Access, ctx: number): boolean {
    if (!this.translate(vaLo, vaHi, access, ctx)) return false;
    const first = vaLo >>> 0;
    const last = first + size - 1;
    const secondPage = last - (last % 4096);
    if (secondPage <= first) return true; // one page
    return this.translate(secondPage | 0, (vaHi + (secondPage > 0xffffffff ? 1 : 0)) | 0, access, ctx);
  }

  // ------------------------------------------------------------ translation

  /** Translate one access; on success lastPa holds the physical address. */
  translate(vaLo: number, vaHi: number, access: Access, ctx: number, hlvx = false): boolean {
    const t = this.hart.translator;
    this.translations++;
    const strict = this.strict;
    const cause = strict === null ? t.translate(vaLo, vaHi, access, (ctx & 3) as Priv, ctx >= 4, hlvx) : strict.translate(vaLo, vaHi, access, ctx, hlvx);
    if (cause !== 0) {
      this.setFault(cause, vaLo, vaHi, ctx);
      if (cause === Cause.InstructionGuestPageFault || cause === Cause.LoadGuestPageFault || cause === Cause.StoreGuestPageFault) {
        // hypervisor.adoc "htval": the faulting guest-physical address shifted right by 2.
        const o = t.out;
        this.faultGpaLo = (o.faultGpaLo >>> 2) | (o.faultGpaHi << 30);
        this.faultGpaHi = o.faultGpaHi >>> 2;
        this.faultImplicit = o.implicitFault;
        this.faultImplicitWrite = o.implicitFault && o.implicitWrite;
      }
      return false;
    }
    this.lastPa = strict === null ? t.out.pa : strict.pa;
    return true;
  }

  /**
   * HLVX.HU / HLVX.WU (hypervisor.adoc "Hypervisor Virtual-Machine Load and Store
   * Instructions"): a load that needs execute permission instead of read permission in both
   * stages. Never cached in the software TLB (its permission check differs from a load's).
   */
  loadHlvx(vaLo: number, vaHi: number, size: number, ctx: number): boolean {
    if ((vaLo & (size - 1)) !== 0 && !this.emulateMisaligned) return this.setFault(Cause.LoadAddressMisaligned, vaLo, vaHi, ctx);
    // Byte by byte, each translated with execute permission (size is 2 or 4: cheap, and exact
    // for an access that crosses a page). The physical attributes must grant execute: only
    // DRAM is executable on this platform.
    let v = 0;
    for (let k = 0; k < size; k++) {
      const alo = (vaLo + k) | 0;
      const ahi = (vaHi + ((vaLo >>> 0) + k > 0xffffffff ? 1 : 0)) | 0;
      if (!this.translate(alo, ahi, Access.Load, ctx, true)) return false;
      if (!this.bus.dram.contains(this.lastPa, 1) || !this.bus.load(this.lastPa, 1, this.w)) {
        return this.setFault(Cause.LoadAccessFault, alo, ahi, ctx);
      }
      v |= (this.w.lo & 0xff) << (8 * k);
    }
    this.vlo = v;
    this.vhi = 0;
    return true;
  }

  /** Translate and check alignment for an AMO / SC (always trap when misaligned). */
  translateAtomic(vaLo: number, vaHi: number, size: number, access: Access, ctx: number): boolean {
    if ((vaLo & (size - 1)) !== 0) return this.setFault(MISALIGNED[access]!, vaLo, vaHi, ctx);
    return this.translate(vaLo, vaHi, access, ctx);
  }

  /** Physical access for AMOs after translateAtomic. */
  loadPhys(pa: number, size: number, access: Access, vaLo: number, vaHi: number, ctx: number): boolean {
    if (!this.bus.load(pa, size, this.w)) return this.setFault(ACCESS_FAULT[access]!, vaLo, vaHi, ctx);
    this.vlo = this.w.lo;
    this.vhi = this.w.hi;
    return true;
  }

  storePhys(pa: number, size: number, lo: number, hi: number, vaLo: number, vaHi: number, ctx: number): boolean {
    if (!this.bus.store(pa, size, lo, hi)) return this.setFault(Cause.StoreAccessFault, vaLo, vaHi, ctx);
    return true;
  }

  private fill(vaLo: number, vaHi: number, access: Access, ctx: number, pa: number): void {
    const pageBase = pa - (pa % 4096);
    const c = this.bus.ramChunk(pageBase, 4096);
    if (c === null) return; // MMIO: always the slow path
    const tag = pageTag(vaLo, vaHi);
    const off = (pageBase - this.bus.dram.base) & CHUNK_MASK;
    const i = l1Index(vaLo, access, ctx);
    this.tag[i] = tag;
    this.chunk[i] = c;
    this.off[i] = off;
    const j = l2Index(vaLo, access, ctx);
    this.l2Tag[j] = tag;
    this.l2Chunk[j] = c;
    this.l2Off[j] = off;
    if (this.fills < FILL_LOG) this.filled[this.fills++] = j;
    else this.fills = FILL_LOG + 1; // overflowed: the next flush clears everything
  }

  private setFault(cause: number, lo: number, hi: number, ctx: number): false {
    this.fault = cause;
    this.faultLo = lo;
    this.faultHi = hi;
    this.faultVirt = ctx >= 4;
    this.faultGpaLo = this.faultGpaHi = 0;
    this.faultImplicit = this.faultImplicitWrite = false;
    return false;
  }

}

export { readChunk };
