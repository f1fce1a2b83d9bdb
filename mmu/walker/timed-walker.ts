/**
 * The timed page walker (issue 5): what a translation the TLBs missed costs, with page-walk
 * caches and a nested TLB in front of the memory hierarchy.
 *
 * It runs the functional translation (mmu/translate.ts) with a recorder on the PTE observer, so
 * the sequence of PTE reads is exactly the spec's walk: for a two-stage walk, for each VS level
 * from the root down, the G-stage walk of that VS PTE's guest-physical address and then the VS
 * PTE read, and finally the G-stage walk of the final GPA (hypervisor.adoc "Two-Stage Address
 * Translation", norm:H_vm_gstagetrans). It then replays the sequence, skipping the reads a walk
 * cache would have saved, and charges every remaining read through the cache hierarchy, one
 * after the other (the walker is serial). A timing structure never changes the functional result.
 */
import { type MemoryHierarchy, Requester } from '../../caches/hierarchy.js';
import type { StatScope } from '../../common/stats.js';
import { Access, type Priv } from '../access.js';
import { type GStageTlbPort, type FenceScope, type PteReader, type WalkCacheInvalidation, type WalkerPort, WalkResult } from '../ports.js';
import { PAGE_SIZE, PTE_G, pageNumber } from '../pte.js';
import { HgatpMode, SatpMode, type Translator, levelsForMode } from '../translate.js';
import { NestedTlb } from './nested-tlb.js';
import { PageWalkCache, SPACE_ASID_BITS } from './pwc.js';
import { Rec, WalkRecorder } from './walk-recorder.js';
import { type WalkerConfig } from './walker-config.js';
import { HIST_LAST, LEVELS_MAX, registerWalkerStats } from './walker-stats.js';
import { doubleFields } from '../../common/double-fields.js';

/**
 * A first-stage address space: V=0 by ASID; V=1 by VMID and ASID (the effective ASID,
 * hypervisor.adoc "Two-Stage Address Translation"). The ASID sits in the bits a global
 * page-walk-cache entry ignores (pwc.ts SPACE_ASID_BITS).
 */
function firstSpace(virt: boolean, vmid: number, asid: number): number {
  return virt ? (1 << 30) | ((vmid & 0x3fff) << 16) | (asid & SPACE_ASID_BITS) : asid & SPACE_ASID_BITS;
}

/**
 * Structures are consulted as a walker would: the first-stage PWC once per walk (all levels in
 * parallel, deepest hit wins); for each guest page-table page the nested TLB, then (ptPagesViaGTlb)
 * the organisation's G-stage TLB, then the G-stage PWC; for the final GPA the organisation's
 * G-stage TLB, then the G-stage PWC. Each lookup adds its latency. Only a walk that succeeds fills
 * anything; its G-stage fills land as the replay goes, so the later G walks of the same 2D walk
 * profit from the earlier ones. After a fault, out.cycles / refs still hold what the walk spent.
 */
export class TimedWalker implements WalkerPort {
  readonly out = new WalkResult();
  readonly pwcFirst: PageWalkCache;
  readonly pwcG: PageWalkCache;
  readonly nestedTlb: NestedTlb | null;

  // Statistics (raw counts; the caller divides, e.g. by instructions for walks per kilo-instruction).
  walksNative = 0;
  walksVirt = 0;
  walksG = 0;
  faults = 0;
  cycles = 0;
  refsFirst = 0;
  refsG = 0;
  /** Charged PTE reads by stage (row: Rec.Native, Rec.Vs, Rec.G) and level. */
  readonly refsByLevel = new Float64Array(3 * LEVELS_MAX);
  /** Walks by how many memory references they made. */
  readonly refsHistogram = new Float64Array(HIST_LAST + 1);
  /** PTE reads the functional walk made that a structure saved. */
  skippedByPwcFirst = 0;
  skippedByPwcG = 0;
  skippedByNestedTlb = 0;
  skippedByGTlb = 0;

  /** The PTE reads of the last walk, in order (the fence sanitizer records them per TLB entry). */
  readonly rec = new WalkRecorder();

  // The walk being replayed.
  private now = 0;
  private fill = false;
  private vmid = 0;
  private gLevels = 0;
  private gPort: GStageTlbPort | null = null;
  /** The level from which the walk's first-stage mappings are global (WalkRecorder.globalFrom); 0: none. */
  private globalFrom = 0;

  /**
   * `stats` is the `mmu` scope: names come out as mmu.walker.*, mmu.pwc.first.*, mmu.pwc.g.*,
   * mmu.nestedTlb.*. `pteMem` reads PTE values back for the G bits of non-leaf PTEs (global
   * walk-cache and TLB entries); null: those G bits are taken as 0 (only a leaf's own G counts).
   */
  constructor(
    private readonly cfg: WalkerConfig,
    private readonly translator: Translator,
    private readonly caches: MemoryHierarchy,
    stats: StatScope,
    pteMem: PteReader | null = null,
  ) {
    this.rec.mem = pteMem;
    this.pwcFirst = new PageWalkCache(cfg.pwcFirst);
    this.pwcG = new PageWalkCache(cfg.pwcG);
    this.nestedTlb = cfg.nestedTlb === null ? null : new NestedTlb(cfg.nestedTlb);
    registerWalkerStats(stats, this);
    doubleFields(this, 'now');
  }

  walk(vaLo: number, vaHi: number, access: Access, priv: Priv, virt: boolean, now: number, g: GStageTlbPort | null, hlvx = false): number {
    const t = this.translator;
    const rec = this.rec;
    rec.begin(t);
    let cause: number;
    try {
      // hypervisor.adoc norm:hlsv_u_op: for HLVX "execute permission takes the place of read
      // permission during address translation", in both stages, as the hart's own walk did.
      cause = t.translate(vaLo, vaHi, access, priv, virt, hlvx);
    } finally {
      rec.end(t);
    }
    this.begin(now, cause);
    const o = this.out;
    const tOut = t.out;
    // The level from which the first stage's mappings are global (non-leaf G bits), 0: none.
    this.globalFrom = 0;
    if (!virt) {
      this.walksNative++;
      if (rec.n > 0) {
        if (this.fill) this.globalFrom = rec.globalFrom(Rec.Native, tOut.level);
        this.replayFirst(firstSpace(false, 0, t.satpAsid), levelsForMode(t.satpMode));
      }
      o.vsLevel = rec.n > 0 ? tOut.level : -1;
      o.gLevel = -1;
    } else {
      this.walksVirt++;
      this.vmid = t.hgatpVmid;
      this.gLevels = t.hgatpMode === HgatpMode.Bare ? 0 : levelsForMode(t.hgatpMode, 'hgatp');
      this.gPort = g;
      if (this.fill && tOut.vsLevel >= 0) this.globalFrom = rec.globalFrom(Rec.Vs, tOut.vsLevel);
      this.replayVirt(cause);
      o.vsLevel = tOut.vsLevel;
      o.gLevel = tOut.gLevel;
    }
    if (cause === 0) {
      o.pa = tOut.pa;
      o.gpaPage = virt ? pageNumber(tOut.gpaLo, tOut.gpaHi) : Math.floor(tOut.pa / PAGE_SIZE);
      o.level = tOut.level;
      // supervisor.adoc "Sv32": the leaf's G, or a non-leaf G above it, makes the mapping global.
      o.global = o.vsLevel >= 0 && ((tOut.pteLo & PTE_G) !== 0 || this.globalFrom > 0);
      o.pteFlags = o.vsLevel >= 0 ? tOut.pteLo & 0xff : 0;
      o.gPteFlags = o.gLevel >= 0 ? tOut.gPteLo & 0xff : 0;
    }
    return this.finish(cause);
  }

  walkG(gpaPage: number, access: Access, now: number, hlvx = false): number {
    const t = this.translator;
    const rec = this.rec;
    rec.begin(t);
    let cause: number;
    try {
      // HLVX needs execute permission at the G-stage (hypervisor.adoc norm:hlsv_u_op), which
      // translateG has no flag for: at the G-stage that is exactly a fetch's check (X in place
      // of R; U required and A set as for any G-stage access, norm:H_vm_gpapriv). Only the cause
      // of a fault would differ, and a timing walk uses it as "faulted" alone.
      // gpaPage is exact (below 2^47): its halves are exact too.
      cause = t.translateG(((gpaPage % 2 ** 20) * PAGE_SIZE) | 0, Math.floor(gpaPage / 2 ** 20) | 0, hlvx ? Access.Fetch : access);
    } finally {
      rec.end(t);
    }
    this.begin(now, cause);
    this.walksG++;
    this.vmid = t.hgatpVmid;
    this.gLevels = t.hgatpMode === HgatpMode.Bare ? 0 : levelsForMode(t.hgatpMode, 'hgatp');
    this.gPort = null;
    // The organisation calls this after its own G-stage TLB missed: only the G-stage PWC is left.
    if (rec.n > 0) this.replayGWalk(0, rec.n);
    const o = this.out;
    o.vsLevel = -1;
    o.gLevel = t.out.gLevel;
    if (cause === 0) {
      o.pa = t.out.pa;
      o.gpaPage = gpaPage;
      o.level = t.out.level;
      o.global = false;
      o.pteFlags = 0;
      o.gPteFlags = t.out.gPteLo & 0xff;
    }
    return this.finish(cause);
  }

  invalidate(scope: FenceScope): WalkCacheInvalidation {
    const r: WalkCacheInvalidation = { pwcFirst: 0, pwcG: 0, nestedTlb: 0 };
    if (scope.stage === 'first') {
      // supervisor.adoc norm:sfence_vma_va_all_asid / norm:sfence_vma_va_asid: with rs1≠x0 the
      // fence covers only "address-translation cache entries that contain leaf page table
      // entries corresponding to the virtual address": non-leaf entries stay. HFENCE.VVMA is
      // "much the same as temporarily entering VS-mode and executing SFENCE.VMA"
      // (hypervisor.adoc norm:hfence-vvma_mode). With rs1=x0 every entry of the address space
      // goes (norm:sfence_vma_all_asid_va, norm:sfence_vma_asid_only), except, with rs2≠x0,
      // "entries containing global mappings" (norm:sfence_vma_asid_only): global entries stay.
      if (scope.page !== -1) return r;
      const want = scope.virt;
      const vmid = scope.vmid;
      const asid = scope.asid;
      r.pwcFirst = this.pwcFirst.invalidate((space, global) => {
        if ((space >>> 30 === 1) !== want) return false;
        // norm:hfence-vvma_limits: a VS-stage fence applies to one VMID (when given).
        if (want && vmid !== -1 && ((space >>> 16) & 0x3fff) !== (vmid & 0x3fff)) return false;
        return asid === -1 || (!global && (space & SPACE_ASID_BITS) === (asid & SPACE_ASID_BITS));
      });
      return r;
    }
    // HFENCE.GVMA (hypervisor.adoc norm:hfence-gvma_op) "perform[s] a function similar to
    // SFENCE.VMA" for the G-stage structures (norm:hfence-vvma_hfence-gvma_op): an
    // address-specific fence covers the leaf translations of that guest-physical address (the
    // nested TLB holds G-stage leaves) but not the non-leaf entries of the G-stage PWC. The first-
    // stage PWC maps GVAs to GPAs: "HFENCE.GVMA need not flush the former cache" (its NOTE).
    const vmid = scope.vmid;
    if (scope.page === -1) r.pwcG = this.pwcG.invalidate((space) => vmid === -1 || space === vmid);
    if (this.nestedTlb !== null) r.nestedTlb = this.nestedTlb.invalidate(vmid, scope.page);
    return r;
  }

  /** Walks of every kind. */
  get walks(): number {
    return this.walksNative + this.walksVirt + this.walksG;
  }

  private begin(now: number, cause: number): void {
    const o = this.out;
    o.cycles = 0;
    o.refs = 0;
    o.refsFirst = 0;
    o.refsG = 0;
    this.now = now;
    // A walk that faults fills nothing (ports.ts WalkerPort.walk).
    this.fill = cause === 0;
  }

  private finish(cause: number): number {
    const o = this.out;
    if (cause !== 0) this.faults++;
    this.cycles += o.cycles;
    this.refsFirst += o.refsFirst;
    this.refsG += o.refsG;
    this.refsHistogram[Math.min(o.refs, HIST_LAST)]!++;
    return cause;
  }

  /** Charges recorded read i through the hierarchy, after what the walk has spent so far. */
  private charge(i: number): void {
    const o = this.out;
    const rec = this.rec;
    const stage = rec.stage[i]!;
    const who = stage === Rec.Vs ? Requester.WalkerVS : stage === Rec.G ? Requester.WalkerG : Requester.WalkerNative;
    o.cycles += this.caches.access(rec.pa[i]!, who, this.now + o.cycles);
    o.refs++;
    if (stage === Rec.G) o.refsG++;
    else o.refsFirst++;
    this.refsByLevel[stage * LEVELS_MAX + rec.level[i]!]!++;
  }

  /** A native walk: every recorded read is a first-stage read of one page. */
  private replayFirst(space: number, levels: number): void {
    const rec = this.rec;
    const n = rec.n;
    const vpn = rec.vpn[0]!;
    const leaf = rec.minLevel(0, n);
    const pwc = this.pwcFirst;
    const hit = pwc.lookup(space, vpn, levels, leaf);
    this.out.cycles += pwc.latency;
    for (let i = 0; i < n; i++) {
      if (rec.level[i]! >= hit) this.skippedByPwcFirst++;
      else this.charge(i);
    }
    // The non-leaf PTEs this walk read: below the hit, above the leaf.
    if (this.fill) pwc.fill(space, vpn, levels, Math.min(hit, levels) - 1, leaf + 1, this.globalFrom);
  }

  /**
   * A V=1 walk: VS reads, each after the G-stage walk of its address, then the final G walk.
   * G reads are grouped into walks (each starts at the root, or on a new page); a group followed
   * by a VS read translated that PTE's address; one followed by another group was the write
   * translation of the PTE just read (a Svadu A/D update, supervisor.adoc step 9); the last one is
   * the final GPA's, unless the walk died translating a PTE address (out.implicitFault). A
   * page-table write translation whose update then faults is taken for the final walk: it
   * only makes the walk consult the G-stage TLB instead of the nested TLB for that fault.
   */
  private replayVirt(cause: number): void {
    const t = this.translator;
    const rec = this.rec;
    const n = rec.n;
    let vsReads = 0;
    let vsLeaf = LEVELS_MAX;
    let gva = 0;
    for (let i = 0; i < n; i++) {
      if (rec.stage[i] !== Rec.Vs) continue;
      if (vsReads++ === 0) gva = rec.vpn[i]!;
      if (rec.level[i]! < vsLeaf) vsLeaf = rec.level[i]!;
    }
    const vsLevels = t.vsatpMode === SatpMode.Bare ? 0 : levelsForMode(t.vsatpMode, 'vsatp');
    const space = firstSpace(true, t.hgatpVmid, t.vsatpAsid);
    let hit = LEVELS_MAX;
    if (vsReads > 0) {
      hit = this.pwcFirst.lookup(space, gva, vsLevels, vsLeaf);
      this.out.cycles += this.pwcFirst.latency;
    }
    const lastGroupIsFinal = vsReads === 0 || cause === 0 || !t.out.implicitFault;
    let lastVs = -1;
    let i = 0;
    while (i < n) {
      if (rec.stage[i] === Rec.Vs) {
        if (rec.level[i]! >= hit) this.skippedByPwcFirst++;
        else this.charge(i);
        lastVs = i;
        i++;
        continue;
      }
      const end = this.groupEnd(i);
      if (end < n && rec.stage[end] === Rec.Vs) {
        // The G-stage walk of the next VS PTE's address; skipped along with that PTE on a hit.
        if (rec.level[end]! >= hit) this.skippedByPwcFirst += end - i;
        else this.replayTablePage(i, end, Math.floor(rec.pa[end]! / PAGE_SIZE));
      } else if (end < n || !lastGroupIsFinal) {
        this.replayTablePage(i, end, lastVs >= 0 ? Math.floor(rec.pa[lastVs]! / PAGE_SIZE) : -1);
      } else {
        this.replayFinal(i, end);
      }
      i = end;
    }
    if (this.fill && vsReads > 0) this.pwcFirst.fill(space, gva, vsLevels, Math.min(hit, vsLevels) - 1, vsLeaf + 1, this.globalFrom);
  }

  /** End (exclusive) of the G-stage walk starting at recorded read i: where the page changes or a walk restarts above. */
  private groupEnd(i: number): number {
    const rec = this.rec;
    let k = i + 1;
    while (k < rec.n && rec.stage[k] === Rec.G && rec.vpn[k] === rec.vpn[k - 1] && rec.level[k]! <= rec.level[k - 1]!) k++;
    return k;
  }

  /**
   * The G-stage translation of a guest page-table page (reads [from, to), GPA page in their vpn,
   * host page hpaPage): the nested TLB first, then (if so configured) the organisation's G-stage
   * TLB, then the G-stage PWC and the walk. Fills what missed.
   */
  private replayTablePage(from: number, to: number, hpaPage: number): void {
    const gpaPage = this.rec.vpn[from]!;
    const o = this.out;
    const ntlb = this.nestedTlb;
    if (ntlb !== null) {
      o.cycles += ntlb.latency;
      if (ntlb.lookup(this.vmid, gpaPage) >= 0) {
        this.skippedByNestedTlb += to - from;
        return;
      }
    }
    const g = this.cfg.ptPagesViaGTlb ? this.gPort : null;
    if (g !== null && this.gTlbHit(g, gpaPage, from, to)) return;
    this.replayGWalk(from, to);
    if (!this.fill) return;
    const level = this.rec.minLevel(from, to);
    ntlb?.insert(this.vmid, gpaPage, hpaPage, level);
    // The recorder keeps addresses, not values: a page-table page's G-stage flags are unknown.
    g?.insertG(this.vmid, gpaPage, hpaPage, level, 0);
  }

  /** The G-stage walk of the final GPA: the organisation's G-stage TLB first (when given). */
  private replayFinal(from: number, to: number): void {
    const gpaPage = this.rec.vpn[from]!;
    const g = this.gPort;
    if (g !== null && this.gTlbHit(g, gpaPage, from, to)) return;
    this.replayGWalk(from, to);
    const t = this.translator.out;
    if (this.fill && g !== null) g.insertG(this.vmid, gpaPage, Math.floor(t.pa / PAGE_SIZE), t.gLevel, t.gPteLo & 0xff);
  }

  /** The organisation's G-stage TLB holds gpaPage: the G-stage reads [from, to) are skipped. Charges the lookup. */
  private gTlbHit(g: GStageTlbPort, gpaPage: number, from: number, to: number): boolean {
    const o = this.out;
    const h = g.lookupG(this.vmid, gpaPage, this.now + o.cycles);
    o.cycles += g.latency;
    if (h < 0) return false;
    this.skippedByGTlb += to - from;
    return true;
  }

  /** A G-stage walk (reads [from, to) of one GPA page) behind the G-stage PWC; fills it at once, so later walks of this 2D walk profit. */
  private replayGWalk(from: number, to: number): void {
    const rec = this.rec;
    const gpaPage = rec.vpn[from]!;
    const leaf = rec.minLevel(from, to);
    const pwc = this.pwcG;
    const hit = pwc.lookup(this.vmid, gpaPage, this.gLevels, leaf);
    this.out.cycles += pwc.latency;
    for (let i = from; i < to; i++) {
      if (rec.level[i]! >= hit) this.skippedByPwcG++;
      else this.charge(i);
    }
    if (this.fill) pwc.fill(this.vmid, gpaPage, this.gLevels, Math.min(hit, this.gLevels) - 1, leaf + 1);
  }
}
