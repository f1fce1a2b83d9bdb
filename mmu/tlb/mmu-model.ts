/**
 * The TLB organisation of the timing model (issue 5): L1 ITLB and DTLB, an optional shared L2
 * TLB and an optional G-stage TLB, holding V=1 translations combined, separately or in the
 * hybrid way (tlb-config.ts), in front of a walker with its own walk caches (WalkerPort). It
 * answers what each translation costs and which entries each fence or CSR write drops, and
 * records every fence (fence-records.ts). Timing only: the functional hart has already decided
 * what every access and fence does.
 */
import { PAGE_SIZE, pageNumber } from '../pte.js';
import { Priv, type Access } from '../access.js';
import { FenceScope, type GStageTlbPort, type WalkerPort } from '../ports.js';
import type { StatScope } from '../../common/stats.js';
import { ConfigError } from '../../common/errors.js';
import { FenceKind, FenceLog, type FenceRecord, TlbId } from './fence-records.js';
import { FenceShadow } from './fence-shadow.js';
import { EntryKind, InvalidationCount, MASK_ANY_ASID, TAG_ASID_MASK, TAG_V, TAG_VMID_MASK, TAG_VMID_SHIFT, TAG_VS_BARE, type TagPolicy, type TlbArray, TlbFill } from './tlb-array.js';
import type { MmuTlbConfig } from './tlb-config.js';
import { TlbStructure } from './tlb-structure.js';

/** Which L1 TLB a translation goes through. */
export const enum TlbSide {
  I = 0,
  D = 1,
}

/**
 * A bit of translate()'s mode beside privilege | V << 2: the access is an HLVX load, whose walk
 * needs execute permission in place of read permission in both stages (hypervisor.adoc
 * norm:hlsv_u_op). It changes the walk's permission check only, never a tag or a lookup.
 */
export const MODE_HLVX = 8;

/** The translation context the TLBs tag by; mmu/translate.ts Translator satisfies it. */
export interface TranslationContext {
  readonly satpMode: number;
  readonly satpAsid: number;
  readonly vsatpMode: number;
  readonly vsatpAsid: number;
  readonly hgatpMode: number;
  readonly hgatpVmid: number;
}

const enum Org {
  Combined = 0,
  Separate = 1,
  Hybrid = 2,
}


/** Which of the last walk's PTE reads a filled entry was built from (TlbWatch.filled). */
export const enum FillSource {
  /** Every read: a native entry, or a combined one (both stages, page-table pages included). */
  Walk = 0,
  /** A VS-stage entry (GVA → GPA): every read but the G-stage walk of the final GPA. */
  FirstStage = 1,
  /** A G-stage entry for one guest-physical page: the G-stage reads that translated that page. */
  GStage = 2,
}

/**
 * An observer of what the TLBs hold and use (the fence sanitizer and the strict mode's PTE
 * tracking, mmu/sanitizer). Entries are named by organisation-wide slot ids (TlbArray.idBase +
 * slot) and TlbArray.gen tells whether the entry seen is still there. Never changes what the
 * model does.
 */
export interface TlbWatch {
  /** translate() begins for an access of `mode` (privilege | V << 2) to (vaLo, vaHi). */
  access(vaLo: number, vaHi: number, access: Access, mode: number): void;
  /** Slot `id` was just filled from the last walk's reads (`from`); gpaPage: the page a G-stage entry maps. */
  filled(id: number, from: FillSource, gpaPage: number): void;
  /** Slot `to` was refilled from slot `from` (an L1 entry from the L2). */
  copied(from: number, to: number): void;
  /** Slot `id` answered a lookup: the access used its translation. */
  hit(id: number): void;
  /** The walker walked (success or fault): the access used what its reads found. */
  walked(): void;
  /** A fence retired after the TLBs dropped what it reaches; vmid: hgatp.VMID as it executed. */
  fence(kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, vmid: number): void;
}

/** The G-stage TLB as the walker sees it (mmu/ports.ts GStageTlbPort). */
class GStageTlb implements GStageTlbPort {
  readonly latency: number;
  level = 0;
  watch: TlbWatch | null = null;
  private readonly fill = new TlbFill();

  constructor(
    readonly structure: TlbStructure,
    private readonly vmidTagging: boolean,
  ) {
    this.latency = structure.hitLatency;
  }

  key(vmid: number): number {
    return this.vmidTagging ? (vmid & TAG_VMID_MASK) << TAG_VMID_SHIFT : 0;
  }

  lookupG(vmid: number, gpaPage: number, _now: number): number {
    const hpaPage = this.structure.lookup(this.key(vmid), gpaPage, true);
    if (hpaPage >= 0) {
      this.level = this.structure.hitGLevel();
      if (this.watch !== null) this.watch.hit(this.structure.hitId);
    }
    return hpaPage;
  }

  insertG(vmid: number, gpaPage: number, hpaPage: number, level: number, flags: number): void {
    const f = this.fill;
    f.kind = EntryKind.G;
    f.tag = this.key(vmid);
    f.trueTag = (vmid & TAG_VMID_MASK) << TAG_VMID_SHIFT;
    f.mask = -1;
    f.global = false;
    f.vsBare = false;
    f.page = gpaPage;
    f.outPage = hpaPage;
    f.gpaPage = gpaPage;
    f.level = level;
    f.firstLevel = -1;
    f.gLevel = level;
    f.perm = (flags & 0xff) << 8;
    if (this.structure.insert(f) && this.watch !== null) this.watch.filled(this.structure.fillId, FillSource.GStage, gpaPage);
  }
}

export class TlbModel {
  /** Cycles the last translate cost beyond a zero-latency L1 hit: lookups of every structure consulted, and walk cycles. */
  stall = 0;
  /** The last translate walked (fully or the G-stage alone). */
  walked = false;
  /**
   * Strict TLB mode (strict.ts): a hybrid walk that found the final GPA in the G-stage TLB builds
   * its combined entry from that entry's host page, as the hardware would, even where the G-stage
   * PTE has changed since. Off, entries take the page tables' current answer.
   */
  strict = false;
  /** After held() found an entry: its leaf flags (TlbFill.perm; a G-stage TLB entry's in bits 15:8). */
  heldPerm = 0;
  /** After held() returned HELD_VS_ONLY: the guest-physical page of the VS-stage entry it found. */
  heldGpaPage = 0;
  /** After held() found a G-stage TLB entry (separate organisation): where it is. */
  private heldGArray: TlbArray | null = null;
  private heldGSlot = -1;

  readonly itlb: TlbStructure;
  readonly dtlb: TlbStructure;
  readonly l2: TlbStructure | null;
  readonly gTlb: TlbStructure | null;
  /** Per-fence records and per-kind aggregates. */
  readonly log: FenceLog;
  /**
   * Called when a fence or CSR-write flush (r) left a TLB structure with no valid entry after
   * dropping `entries` from it (the trace's flush records); null when nobody listens.
   */
  onFlush: ((structure: TlbId, entries: number, r: FenceRecord) => void) | null = null;

  /** Every array of every structure, in slot-id order (TlbArray.idBase). */
  readonly arrays: readonly TlbArray[];

  private readonly org: Org;
  private watcher: TlbWatch | null = null;
  private readonly asidTagging: boolean;
  private readonly vmidTagging: boolean;
  private readonly gPort: GStageTlb | null;
  private readonly shadow: FenceShadow;
  private readonly fill = new TlbFill();
  private readonly scope = new FenceScope();
  private readonly count = new InvalidationCount();
  /** The IDs as of the last atpWrite of each CSR: a tag-less design flushes when they change. */
  private prevSatpAsid: number;
  private prevVsatpAsid: number;
  private prevVmid: number;

  constructor(
    private readonly cfg: MmuTlbConfig,
    private readonly walker: WalkerPort,
    private readonly ctx: TranslationContext,
    stats: StatScope | null,
  ) {
    this.org = cfg.organisation === 'separate' ? Org.Separate : cfg.organisation === 'hybrid' ? Org.Hybrid : Org.Combined;
    if (this.org === Org.Separate && cfg.gTlb === null) throw new ConfigError("mmu.tlb: organisation 'separate' needs gTlb");
    if (this.org === Org.Combined && cfg.gTlb !== null) throw new ConfigError("mmu.tlb: organisation 'combined' has no G-stage TLB (gTlb must be null)");
    this.asidTagging = cfg.asidTagging;
    this.vmidTagging = cfg.vmidTagging;
    const policy: TagPolicy = { asidTagging: cfg.asidTagging, vmidTagging: cfg.vmidTagging, keepGpa: cfg.gvmaByGpa === 'keep-gpa' };
    const firstKinds = [EntryKind.Native, this.org === Org.Separate ? EntryKind.Vs : EntryKind.Combined];
    const sub = (name: string) => (stats === null ? null : stats.scope(name));
    this.itlb = new TlbStructure('itlb', cfg.itlb, policy, firstKinds, sub('itlb'));
    this.dtlb = new TlbStructure('dtlb', cfg.dtlb, policy, firstKinds, sub('dtlb'));
    this.l2 = cfg.l2 === null ? null : new TlbStructure('l2tlb', cfg.l2, policy, firstKinds, sub('l2tlb'));
    this.gTlb = cfg.gTlb === null ? null : new TlbStructure('gtlb', cfg.gTlb, policy, [EntryKind.G], sub('gtlb'));
    this.gPort = this.gTlb === null ? null : new GStageTlb(this.gTlb, cfg.vmidTagging);
    const arrays: TlbArray[] = [];
    let ids = 0;
    for (const s of [this.itlb, this.dtlb, this.l2, this.gTlb]) {
      if (s === null) continue;
      for (const a of s.arrays) {
        a.idBase = ids;
        ids += a.entries;
        arrays.push(a);
      }
    }
    this.arrays = arrays;
    this.log = new FenceLog(cfg.fenceRecordLimit, sub('fence'));
    let entries = 0;
    for (const s of [this.itlb, this.dtlb, this.l2, this.gTlb]) if (s !== null) for (const a of s.arrays) entries += a.entries;
    // Two fences' worth of drops: enough for the fences whose windows overlap in practice.
    this.shadow = new FenceShadow(2 * entries, cfg.shadowWindow);
    this.prevSatpAsid = ctx.satpAsid & TAG_ASID_MASK;
    this.prevVsatpAsid = ctx.vsatpAsid & TAG_ASID_MASK;
    this.prevVmid = ctx.hgatpVmid & TAG_VMID_MASK;
  }

  /** The observer of fills, uses and fences (mmu/sanitizer); null: none, and no cost. */
  get watch(): TlbWatch | null {
    return this.watcher;
  }

  set watch(w: TlbWatch | null) {
    this.watcher = w;
    if (this.gPort !== null) this.gPort.watch = w;
  }

  /** The array holding organisation-wide slot `id`. */
  arrayOf(id: number): TlbArray {
    const arrays = this.arrays;
    for (let k = arrays.length - 1; k >= 0; k--) if (id >= arrays[k]!.idBase) return arrays[k]!;
    throw new Error(`TLB slot id ${id} out of range`);
  }

  /**
   * The physical address of (vaLo, vaHi) accessed from `mode` (privilege | V << 2, with MODE_HLVX
   * for an HLVX) at cycle `now`, through side's L1 TLB, the L2 and the G-stage TLB as the
   * organisation has them, and a walk on a miss; -1 if the walk faults (nothing is filled).
   * Leaves `stall` and `walked`.
   */
  translate(side: TlbSide, vaLo: number, vaHi: number, access: Access, mode: number, now: number): number {
    this.stall = 0;
    this.walked = false;
    const hlvx = (mode & MODE_HLVX) !== 0;
    mode &= ~MODE_HLVX;
    const w = this.watcher;
    if (w !== null) w.access(vaLo, vaHi, access, mode);
    const c = this.ctx;
    const virt = (mode & 4) !== 0;
    // supervisor.adoc norm:satp_op_active / norm:satp_mode: M-mode and Bare do not translate;
    // with V=1 both stages Bare likewise (hypervisor.adoc norm:H_vm_twostage).
    if (virt ? c.vsatpMode === 0 && c.hgatpMode === 0 : (mode & 3) === Priv.M || c.satpMode === 0) return vaHi * 4294967296 + (vaLo >>> 0);
    const page = pageNumber(vaLo, vaHi);
    const offset = vaLo & 0xfff;
    const l1 = side === TlbSide.I ? this.itlb : this.dtlb;
    if (virt && this.org === Org.Separate) return this.translateSeparate(l1, vaLo, vaHi, page, offset, access, mode, now, hlvx);

    const key = virt ? this.virtKey() : this.nativeKey();
    this.stall = l1.hitLatency;
    let out = l1.lookup(key, page, virt);
    if (out >= 0) {
      if (w !== null) w.hit(l1.hitId);
      return out * PAGE_SIZE + offset;
    }
    const l2 = this.l2;
    if (l2 !== null) {
      this.stall += l2.hitLatency;
      out = l2.lookup(key, page, virt);
      if (out >= 0) {
        l2.describeHit(page, this.fill);
        if (w !== null) w.hit(l2.hitId);
        if (l1.insert(this.fill) && w !== null) w.copied(l2.hitId, l1.fillId);
        return out * PAGE_SIZE + offset;
      }
    }
    // Combined and hybrid: one walk of both stages; hybrid lets the walker use the G-stage TLB.
    const cause = this.walk(vaLo, vaHi, access, mode, virt, now, this.org === Org.Hybrid ? this.gPort : null, hlvx);
    if (w !== null) w.walked();
    if (cause !== 0) return -1;
    const o = this.walker.out;
    // (A walker given the G-stage TLB fills it itself: mmu/ports.ts WalkerPort.walk.)
    this.fillFirst(l1, virt, virt ? EntryKind.Combined : EntryKind.Native, page);
    this.chargeShadow(false, this.trueKey(virt), page, o.cycles, now);
    return this.strict ? this.fill.outPage * PAGE_SIZE + offset : o.pa;
  }

  /**
   * The separate organisation with V=1: the VS-stage entry (GVA → GPA) from the L1 or L2, then
   * the G-stage TLB (GPA → HPA), in series (hypervisor.adoc "Hypervisor Memory-Management Fence
   * Instructions", the note's "two address-translation caches").
   */
  private translateSeparate(l1: TlbStructure, vaLo: number, vaHi: number, page: number, offset: number, access: Access, mode: number, now: number, hlvx: boolean): number {
    const c = this.ctx;
    let gpaPage = page; // vsatp Bare: GPA = GVA (hypervisor.adoc norm:H_vm_twostage)
    if (c.vsatpMode !== 0) {
      const key = this.virtKey();
      this.stall = l1.hitLatency;
      const w = this.watcher;
      gpaPage = l1.lookup(key, page, true);
      if (gpaPage >= 0 && w !== null) w.hit(l1.hitId);
      const l2 = this.l2;
      if (gpaPage < 0 && l2 !== null) {
        this.stall += l2.hitLatency;
        gpaPage = l2.lookup(key, page, true);
        if (gpaPage >= 0) {
          l2.describeHit(page, this.fill);
          if (w !== null) w.hit(l2.hitId);
          if (l1.insert(this.fill) && w !== null) w.copied(l2.hitId, l1.fillId);
        }
      }
      if (gpaPage < 0) {
        const cause = this.walk(vaLo, vaHi, access, mode, true, now, this.gPort, hlvx);
        if (w !== null) w.walked();
        if (cause !== 0) return -1;
        const o = this.walker.out;
        this.fillFirst(l1, true, EntryKind.Vs, page);
        if (!this.chargeShadow(false, this.trueKey(true), page, o.cycles, now) && o.gLevel >= 0) {
          this.chargeShadow(true, this.trueGKey(), o.gpaPage, o.cycles, now);
        }
        // Strict: the walker took the final GPA's host page from the G-stage TLB if it held it.
        const held = this.strict && c.hgatpMode !== 0 ? this.heldG(o.gpaPage) : -1;
        return held >= 0 ? held * PAGE_SIZE + offset : o.pa;
      }
    }
    if (c.hgatpMode === 0) return gpaPage * PAGE_SIZE + offset; // norm:hgatp_mode_bare_trans: SPA = GPA
    const g = this.gPort;
    if (g === null) throw new Error('separate organisation without a G-stage TLB');
    this.stall += g.latency;
    const hpaPage = g.lookupG(c.hgatpVmid, gpaPage, now);
    if (hpaPage >= 0) return hpaPage * PAGE_SIZE + offset;
    // VS hit, G miss: walk the G-stage alone.
    const cause = this.walker.walkG(gpaPage, access, now + this.stall, hlvx);
    this.walked = true;
    if (this.watcher !== null) this.watcher.walked();
    const o = this.walker.out;
    this.stall += o.cycles;
    if (cause !== 0) return -1;
    const hpa = Math.floor(o.pa / PAGE_SIZE);
    g.insertG(c.hgatpVmid, gpaPage, hpa, o.gLevel, o.gPteFlags);
    this.chargeShadow(true, this.trueGKey(), gpaPage, o.cycles, now);
    return hpa * PAGE_SIZE + offset;
  }

  /** A full timing walk starting after the lookups so far; adds its cycles to stall. */
  private walk(vaLo: number, vaHi: number, access: Access, mode: number, virt: boolean, now: number, g: GStageTlbPort | null, hlvx: boolean): number {
    const cause = this.walker.walk(vaLo, vaHi, access, (mode & 3) as Priv, virt, now + this.stall, g, hlvx);
    this.walked = true;
    // A faulting walk still spent its cycles on the reads it made (mmu/ports.ts WalkResult).
    this.stall += this.walker.out.cycles;
    return cause;
  }

  /** Fill the L2 and the L1 with the first-stage (native, VS or combined) translation the walker just made. */
  private fillFirst(l1: TlbStructure, virt: boolean, kind: EntryKind, page: number): void {
    const o = this.walker.out;
    const f = this.fill;
    f.kind = kind;
    f.tag = virt ? this.virtKey() : this.nativeKey();
    f.trueTag = this.trueKey(virt);
    f.vsBare = virt && this.ctx.vsatpMode === 0;
    // supervisor.adoc "Sv32: ... G bit": a global mapping exists in every address space.
    f.global = o.global;
    f.mask = o.global ? MASK_ANY_ASID : -1;
    f.page = page;
    if (kind === EntryKind.Vs) {
      f.outPage = o.gpaPage;
      f.gpaPage = o.gpaPage;
      f.level = o.vsLevel;
      f.firstLevel = o.vsLevel;
      f.gLevel = -1;
      f.perm = o.pteFlags & 0xff;
    } else {
      f.outPage = Math.floor(o.pa / PAGE_SIZE);
      f.gpaPage = virt ? o.gpaPage : f.outPage;
      // A combined entry maps GVA → HPA linearly only over the smaller of the two leaves.
      f.level = o.level;
      f.firstLevel = virt ? o.vsLevel : o.level;
      f.gLevel = virt ? o.gLevel : -1;
      f.perm = (o.pteFlags & 0xff) | (virt ? (o.gPteFlags & 0xff) << 8 : 0);
      if (this.strict && kind === EntryKind.Combined && this.org === Org.Hybrid && this.ctx.hgatpMode !== 0) {
        const held = this.heldG(o.gpaPage);
        if (held >= 0) {
          f.outPage = held;
          f.perm = (f.perm & 0xff) | this.heldPerm;
        }
      }
    }
    const w = this.watcher;
    const from = kind === EntryKind.Vs ? FillSource.FirstStage : FillSource.Walk;
    if (this.l2 !== null && this.l2.insert(f) && w !== null) w.filled(this.l2.fillId, from, o.gpaPage);
    if (l1.insert(f) && w !== null) w.filled(l1.fillId, from, o.gpaPage);
  }

  /** Charges a walk to the fence that collaterally dropped its translation, if any; true if charged. */
  private chargeShadow(gStage: boolean, trueKey: number, page: number, cycles: number, now: number): boolean {
    const r = this.shadow.match(gStage, trueKey, page, now);
    if (r === null) return false;
    this.log.chargeShadow(r, cycles);
    return true;
  }

  /**
   * The translation the TLBs hold for an access from `mode` to (vaLo, vaHi) on `side`, found as
   * translate() would find it but without counting, replacing or filling anything: the strict
   * mode's functional answer (mmu/tlb/strict.ts). Returns the physical address, HELD_NONE when no
   * structure holds it (the access walks), or, in the separate organisation with V=1, HELD_VS_ONLY
   * when only the VS-stage entry is held (heldGpaPage: its GPA page; the G-stage walks). After a
   * find, heldPerm is the entry's leaf flags (with a G-stage TLB entry's in bits 15:8); dropHeld
   * removes it. Translation must be on (the caller handles M-mode and Bare).
   */
  held(side: TlbSide, vaLo: number, vaHi: number, mode: number): number {
    const virt = (mode & 4) !== 0;
    const page = pageNumber(vaLo, vaHi);
    const offset = vaLo & 0xfff;
    const l1 = side === TlbSide.I ? this.itlb : this.dtlb;
    this.heldGArray = null;
    const separate = virt && this.org === Org.Separate;
    let out = -1;
    if (!separate || this.ctx.vsatpMode !== 0) {
      const key = virt ? this.virtKey() : this.nativeKey();
      out = this.heldIn(l1, key, page);
      if (out < 0 && this.l2 !== null) out = this.heldIn(this.l2, key, page);
      if (out < 0) return HELD_NONE;
      if (!separate) return out * PAGE_SIZE + offset;
    } else {
      out = page; // vsatp Bare: GPA = GVA (hypervisor.adoc norm:H_vm_twostage)
      this.heldPerm = 0;
    }
    // Separate: the G-stage TLB translates the VS-stage entry's GPA (hgatp Bare: SPA = GPA).
    if (this.ctx.hgatpMode === 0) return out * PAGE_SIZE + offset;
    const g = this.gTlb!;
    const hpa = g.peek(this.gPort!.key(this.ctx.hgatpVmid), out);
    const gPerm = hpa < 0 ? 0 : g.peekArray!.permOf(g.peekSlot) & 0xff00;
    // A G-stage entry whose flags the walker did not know (a page-table page's) is walked again.
    if (gPerm === 0) {
      this.heldGpaPage = out;
      return HELD_VS_ONLY;
    }
    this.heldGArray = g.peekArray;
    this.heldGSlot = g.peekSlot;
    this.heldPerm = (this.heldPerm & 0xff) | gPerm;
    return hpa * PAGE_SIZE + offset;
  }

  /**
   * The host-physical page the G-stage TLB holds for guest-physical page gpaPage under the
   * current VMID, as a walk that consults it would use it (the separate and hybrid organisations'
   * walker, for the final GPA); -1 when none does or its flags are unknown. heldPerm gets its flags
   * in bits 15:8; dropHeld removes it.
   */
  heldG(gpaPage: number): number {
    this.heldGArray = null;
    const g = this.gTlb;
    if (g === null || this.org === Org.Combined || this.ctx.hgatpMode === 0) return -1;
    const hpa = g.peek(this.gPort!.key(this.ctx.hgatpVmid), gpaPage);
    if (hpa < 0) return -1;
    const gPerm = g.peekArray!.permOf(g.peekSlot) & 0xff00;
    if (gPerm === 0) return -1;
    this.heldGArray = g.peekArray;
    this.heldGSlot = g.peekSlot;
    this.heldPerm = gPerm;
    return hpa;
  }

  private heldIn(s: TlbStructure, key: number, page: number): number {
    const out = s.peek(key, page);
    if (out >= 0) this.heldPerm = s.peekArray!.permOf(s.peekSlot);
    return out;
  }

  /**
   * Drop the entry held() found from the L1 and the L2 (and its G-stage TLB entry), uncounted:
   * the strict mode refetches an entry whose cached permissions refuse an access, as a TLB that
   * re-walks on a permission miss would (the entry's replacement is the refetch itself).
   */
  dropHeld(side: TlbSide, vaLo: number, vaHi: number, mode: number): void {
    const virt = (mode & 4) !== 0;
    const key = virt ? this.virtKey() : this.nativeKey();
    const page = pageNumber(vaLo, vaHi);
    for (const s of [side === TlbSide.I ? this.itlb : this.dtlb, this.l2]) {
      if (s === null || s.peek(key, page) < 0) continue;
      s.dropSlot(s.peekArray!, s.peekSlot);
    }
    if (this.heldGArray !== null) this.gTlb!.dropSlot(this.heldGArray, this.heldGSlot);
    this.heldGArray = null;
  }

  /**
   * A fence (or Svinval instruction) executed at pc at cycle `now`: rs1 and rs2 values, hasRs1 /
   * hasRs2 false for x0. Drops the entries of every structure (and the walker's caches) that the
   * organisation matches, records the fence, and returns the TLB cycles it costs. satp / vsatp /
   * hgatp writes go through atpWrite.
   */
  fence(kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, pcLo: number, pcHi: number, now: number): number {
    const fc = this.cfg.fenceCost;
    const asidArg = hasRs2 ? rs2 & TAG_ASID_MASK : -1;
    const r = this.begin(kind, now, pcLo, pcHi, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2);
    let base: number;
    switch (kind) {
      case FenceKind.SfenceVma:
      case FenceKind.SinvalVma:
        // supervisor.adoc norm:sfence_vma_all_asid_va .. norm:sfence_vma_va_asid with
        // hypervisor.adoc norm:sfence_vma_v0 (V=0: HS-level translations); svinval.adoc
        // norm:Svinval_sinval_vma_invalidates_same_as_sfence_vma.
        this.invalidate(this.setScope('first', false, -1, asidArg, hasRs1 ? pageNumber(rs1Lo, rs1Hi) : -1), false, r);
        base = kind === FenceKind.SfenceVma ? fc.sfenceVma : fc.sinval;
        break;
      case FenceKind.SfenceVmaV1:
      case FenceKind.SinvalVmaV1:
      case FenceKind.HfenceVvma:
      case FenceKind.HinvalVvma:
        // hypervisor.adoc norm:sfence_vma_v1 (V=1: guest VA and guest ASID, current VMID) and
        // norm:hfence-vvma_mode ("much the same as temporarily entering VS-mode and executing
        // SFENCE.VMA", for hgatp.VMID as it is now); never G-stage translations.
        this.invalidate(this.setScope('first', true, this.ctx.hgatpVmid & TAG_VMID_MASK, asidArg, hasRs1 ? pageNumber(rs1Lo, rs1Hi) : -1), false, r);
        base = kind === FenceKind.SfenceVmaV1 ? fc.sfenceVma : kind === FenceKind.HfenceVvma ? fc.hfenceVvma : fc.sinval;
        break;
      case FenceKind.HfenceGvma:
      case FenceKind.HinvalGvma:
        // hypervisor.adoc norm:hfence-gvma_op: rs1 = guest-physical address >> 2, rs2 = VMID
        // (norm:hfence-gvma_vmid); svinval.adoc norm:Svinval_hinval_gvma_uses_vmid.
        this.invalidate(this.setScope('g', false, hasRs2 ? rs2 & TAG_VMID_MASK : -1, -1, hasRs1 ? gpaPageOfRs1(rs1Lo, rs1Hi) : -1), false, r);
        base = kind === FenceKind.HfenceGvma ? fc.hfenceGvma : fc.sinval;
        break;
      case FenceKind.SfenceWInval:
        // svinval.adoc: it only orders earlier stores before later SINVAL.VMA.
        base = fc.sfenceWInval;
        break;
      case FenceKind.SfenceInvalIr:
        // svinval.adoc norm:Svinval_sfence_w_inval_orders_before_sinval_vma: it only orders.
        base = fc.sfenceInvalIr;
        break;
      default:
        throw new Error(`fence(): kind ${kind} is a CSR write; use atpWrite`);
    }
    if (this.watcher !== null) this.watcher.fence(kind, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2, this.ctx.hgatpVmid & TAG_VMID_MASK);
    return this.finish(r, base);
  }

  /**
   * satp / vsatp / hgatp was written (the context already holds the new value). The spec needs
   * no invalidation (supervisor.adoc norm:sfence_vma_asid_effect: a new ASID takes effect
   * immediately, and tags keep address spaces apart; hypervisor.adoc norm:hgatp_op_hfence_gvma),
   * so a tagged design does nothing. Without the tag, the entries of the old ID must go when the
   * ID changes, counted as a fence of kind satp-write / vsatp-write / hgatp-write with every drop
   * collateral. A vsatp.MODE change between Bare and paged needs no flush: entries made with
   * vsatp Bare carry their own tag bit. Returns the TLB cycles (0 when nothing is flushed).
   */
  atpWrite(csr: 'satp' | 'vsatp' | 'hgatp', now: number): number {
    const c = this.ctx;
    switch (csr) {
      case 'satp': {
        const asid = c.satpAsid & TAG_ASID_MASK;
        const old = this.prevSatpAsid;
        this.prevSatpAsid = asid;
        if (this.asidTagging || asid === old) return 0;
        const r = this.begin(FenceKind.SatpWrite, now, 0, 0, 0, 0, false, 0, false);
        // The tag-less hardware drops every non-global native entry (global ones stay: they
        // belong to every address space).
        this.invalidate(this.setScope('first', false, -1, old, -1), true, r);
        return this.finish(r, this.cfg.fenceCost.atpFlush);
      }
      case 'vsatp': {
        const asid = c.vsatpAsid & TAG_ASID_MASK;
        const old = this.prevVsatpAsid;
        this.prevVsatpAsid = asid;
        if (this.asidTagging || asid === old) return 0;
        const r = this.begin(FenceKind.VsatpWrite, now, 0, 0, 0, 0, false, 0, false);
        this.invalidate(this.setScope('first', true, c.hgatpVmid & TAG_VMID_MASK, old, -1), true, r);
        return this.finish(r, this.cfg.fenceCost.atpFlush);
      }
      case 'hgatp': {
        const vmid = c.hgatpVmid & TAG_VMID_MASK;
        const old = this.prevVmid;
        this.prevVmid = vmid;
        if (this.vmidTagging || vmid === old) return 0;
        const r = this.begin(FenceKind.HgatpWrite, now, 0, 0, 0, 0, false, 0, false);
        // Every V=1 first-stage entry, then every G-stage and combined entry, of the old VMID
        // (all of them, the hardware having no VMID to compare).
        this.invalidate(this.setScope('first', true, old, -1, -1), true, r);
        this.invalidate(this.setScope('g', false, old, -1, -1), true, r);
        return this.finish(r, this.cfg.fenceCost.atpFlush);
      }
    }
  }

  private begin(kind: FenceKind, now: number, pcLo: number, pcHi: number, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean): FenceRecord {
    const r = this.log.begin(kind, now, pcLo, pcHi, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2);
    this.shadow.begin(r, now);
    return r;
  }

  private finish(r: FenceRecord, base: number): number {
    const entries = r.totalDropped + r.pwcFirst + r.pwcG + r.nestedTlb;
    const cycles = base + Math.ceil(this.cfg.fenceCost.perEntry * entries);
    this.log.end(r, cycles);
    return cycles;
  }

  private setScope(stage: 'first' | 'g', virt: boolean, vmid: number, asid: number, page: number): FenceScope {
    const s = this.scope;
    s.stage = stage;
    s.virt = virt;
    s.vmid = vmid;
    s.asid = asid;
    s.page = page;
    return s;
  }

  /** Apply one scope to every structure and to the walker's caches, counting into r. */
  private invalidate(s: FenceScope, archNone: boolean, r: FenceRecord): void {
    this.invalidateIn(this.itlb, TlbId.ITlb, s, archNone, r);
    this.invalidateIn(this.dtlb, TlbId.DTlb, s, archNone, r);
    if (this.l2 !== null) this.invalidateIn(this.l2, TlbId.L2Tlb, s, archNone, r);
    if (this.gTlb !== null) this.invalidateIn(this.gTlb, TlbId.GTlb, s, archNone, r);
    this.log.addWalkCaches(r, this.walker.invalidate(s));
  }

  private invalidateIn(t: TlbStructure, id: TlbId, s: FenceScope, archNone: boolean, r: FenceRecord): void {
    const c = this.count;
    c.dropped = 0;
    c.stale = 0;
    t.invalidate(s, archNone, c, this.shadow);
    r.dropped[id] += c.dropped;
    r.stale[id] += c.stale;
    if (this.onFlush !== null && c.dropped > 0 && t.validCount() === 0) this.onFlush(id, c.dropped, r);
  }

  /** Hardware tag of a native translation now. */
  private nativeKey(): number {
    return this.asidTagging ? this.ctx.satpAsid & TAG_ASID_MASK : 0;
  }

  /** Hardware tag of a V=1 translation now: V, VMID, and the ASID or the vsatp-Bare bit. */
  private virtKey(): number {
    const c = this.ctx;
    let k = TAG_V;
    if (this.vmidTagging) k |= (c.hgatpVmid & TAG_VMID_MASK) << TAG_VMID_SHIFT;
    if (c.vsatpMode === 0) k |= TAG_VS_BARE;
    else if (this.asidTagging) k |= c.vsatpAsid & TAG_ASID_MASK;
    return k;
  }

  /** The tag with every field present (fence accounting only). */
  private trueKey(virt: boolean): number {
    const c = this.ctx;
    if (!virt) return c.satpAsid & TAG_ASID_MASK;
    const k = TAG_V | ((c.hgatpVmid & TAG_VMID_MASK) << TAG_VMID_SHIFT);
    return c.vsatpMode === 0 ? k | TAG_VS_BARE : k | (c.vsatpAsid & TAG_ASID_MASK);
  }

  private trueGKey(): number {
    return (this.ctx.hgatpVmid & TAG_VMID_MASK) << TAG_VMID_SHIFT;
  }
}

/** TlbModel.held(): no structure holds the translation. */
export const HELD_NONE = -1;
/** TlbModel.held(), separate organisation: the VS-stage entry is held, its G-stage translation is not. */
export const HELD_VS_ONLY = -2;

/**
 * The guest-physical page of HFENCE.GVMA's rs1, which holds the GPA shifted right by 2
 * (hypervisor.adoc norm:hfence-gvma_op): GPA bits 58:12 are rs1 bits 56:10.
 */
export function gpaPageOfRs1(lo: number, hi: number): number {
  return (hi & 0x01ff_ffff) * 2 ** 22 + (lo >>> 10);
}
