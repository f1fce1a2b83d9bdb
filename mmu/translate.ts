/**
 * Functional translation for the hart: native single-stage (satp) and, for V=1 accesses, the
 * two-stage VS-stage + G-stage translation of hypervisor.adoc "Two-Stage Address Translation".
 * No TLB: the hart keeps its own software TLB and calls translate() on a miss; modelled TLBs are
 * separate.
 */
import type { Word } from '../caches/word.js';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { LEVEL_BITS, LEVEL_BYTES, PAGE_SHIFT, PAGE_SIZE } from './pte.js';
import {
  type PermContext,
  type PteAddrTranslator,
  type PteMemory,
  type PteObserver,
  type StageKind,
  type StageParams,
  WalkOut,
  accessFaultFor,
  walk,
} from './walk.js';
import { doubleFields } from '../common/double-fields.js';

/** satp.MODE (and vsatp.MODE) encodings for SXLEN=64 (supervisor.adoc, "Encoding of satp MODE field"). */
export const enum SatpMode {
  Bare = 0,
  Sv39 = 8,
  Sv48 = 9,
  Sv57 = 10,
}

/** hgatp.MODE encodings for HSXLEN=64 (hypervisor.adoc, "Encoding of hgatp MODE field"). */
export const enum HgatpMode {
  Bare = 0,
  Sv39x4 = 8,
  Sv48x4 = 9,
  Sv57x4 = 10,
}

/**
 * Page-table levels of a paged satp, vsatp or hgatp mode (the x4 modes have the levels of the
 * scheme they widen, hypervisor.adoc norm:hgatp_mode_x4). `csr` names the register in the error.
 */
export function levelsForMode(mode: number, csr = 'satp'): number {
  switch (mode) {
    case SatpMode.Sv39:
      return 3;
    case SatpMode.Sv48:
      return 4;
    case SatpMode.Sv57:
      return 5;
    default:
      // The satp write rule (norm:satp_mode_op_unsupported), vsatp's (norm:vsatp_mode_unsupported_v1)
      // and hgatp's WARL MODE (norm:hgatp_mode_warl) keep other modes out.
      throw new Error(`${csr}.MODE ${mode} is not a paged mode this hart implements`);
  }
}

/**
 * The value for htval / mtval2 on a guest-page fault: the faulting guest-physical address
 * (out.faultGpaLo/Hi) shifted right by 2 bits (hypervisor.adoc norm:htval_trapval), as int32
 * halves in `into`.
 */
export function htvalOf(out: WalkOut, into: Word): void {
  into.lo = (out.faultGpaLo >>> 2) | (out.faultGpaHi << 30);
  into.hi = out.faultGpaHi >>> 2;
}

/** True for the three guest-page-fault causes (20, 21, 23). */
export function isGuestPageFault(cause: number): boolean {
  return cause === Cause.InstructionGuestPageFault || cause === Cause.LoadGuestPageFault || cause === Cause.StoreGuestPageFault;
}

/**
 * Reused per-walk parameters: the walk takes them by reference, so nothing is allocated. One
 * class for every stage (and one for permissions) so the walk's property reads see one shape.
 */
class Stage implements StageParams {
  levels = 3;
  rootPpn = 0;
  constructor(readonly kind: StageKind) {
    doubleFields(this, 'rootPpn');
  }
}

class Perm implements PermContext {
  priv: Priv = Priv.S;
  sum = false;
  mxr = false;
  adue = false;
  hlvx = false;
}

/**
 * The G-stage translation of VS-stage PTE addresses (hypervisor.adoc norm:H_vm_gstagetrans:
 * "subject to G-stage address translation alone").
 */
class GStagePteAddr implements PteAddrTranslator {
  pa = 0;
  /**
   * norm:H_vm_gpapriv: checked "as though for an implicit load or store", as a U-mode access.
   * MXR stays false: it makes pages readable by explicit loads only (norm:hlsv_sstatus_mxr), and
   * HLVX's execute-for-read swap concerns the explicit access only (norm:hlsv_u_op).
   */
  readonly perm = new Perm();
  observer: PteObserver | null = null;
  private readonly out = new WalkOut();

  constructor(
    private readonly mem: PteMemory,
    private readonly stage: Stage,
  ) {
    this.perm.priv = Priv.U;
    doubleFields(this, 'pa');
  }

  translatePteAddr(addr: number, write: boolean, access: Access): number {
    // addr is exact (8-aligned, below 2^56), so this split into halves is exact.
    const hi = Math.floor(addr / 2 ** 32);
    const lo = (addr - hi * 2 ** 32) | 0;
    // Any fault is "reported for the original access type" (norm:H_vm_gpapriv): faultAs = access.
    const implicit = write ? Access.Store : Access.Load;
    const c = walk(lo, hi, implicit, this.stage, this.perm, this.mem, this.out, null, this.observer, access);
    if (c === 0) this.pa = this.out.pa;
    return c;
  }
}

export class Translator {
  // Context, set by the hart whenever satp / mstatus / menvcfg / privilege change.
  /** satp.MODE: 0 Bare, 8 Sv39, 9 Sv48, 10 Sv57. */
  satpMode = 0;
  /** satp.ASID: unused by the walk itself; kept for the TLBs that tag entries with it. */
  satpAsid = 0;
  /** satp.PPN: the root page table's PPN. */
  satpPpn = 0;
  /** mstatus.SUM / mstatus.MXR (with V=1, MXR is the HS-level MXR acting on both stages). */
  sum = false;
  mxr = false;
  /**
   * menvcfg.ADUE: Svadu hardware A/D updating for native and G-stage walks; false means Svade
   * (fault on A=0 / D=0) (machine.adoc norm:menvcfg_adue_op).
   */
  adue = false;

  // H context, set by the hart whenever vsatp / hgatp / vsstatus / henvcfg change.
  /** vsatp.MODE: 0 Bare, 8 Sv39, 9 Sv48, 10 Sv57. */
  vsatpMode = 0;
  /** vsatp.ASID: unused by the walk; for TLB tags. */
  vsatpAsid = 0;
  /** vsatp.PPN: the guest-physical PPN of the VS-stage root table. */
  vsatpPpn = 0;
  /** hgatp.MODE: 0 Bare, 8 Sv39x4, 9 Sv48x4, 10 Sv57x4. */
  hgatpMode = 0;
  /** hgatp.VMID: unused by the walk; for TLB tags. */
  hgatpVmid = 0;
  /** hgatp.PPN as the CSR holds it (PPN[1:0] read as zero in the x4 modes). */
  hgatpPpn = 0;
  /** vsstatus.SUM / vsstatus.MXR: VS-stage only (hypervisor.adoc norm:vsstatus_mxr_vm). */
  vsSum = false;
  vsMxr = false;
  /**
   * henvcfg.ADUE: Svadu for the VS-stage (norm:henvcfg_adue_op). Takes effect only with `adue`:
   * henvcfg.ADUE is read-only zero while menvcfg.ADUE is zero (norm:menvcfg_adue_henvcfg_adue_rdonly0).
   */
  vsAdue = false;

  /** Sees every PTE read: stage 'native', or 'vs' / 'g' for two-stage walks. */
  onPteAccess: PteObserver | null = null;
  /** Result of the last translate. */
  readonly out = new WalkOut();

  private readonly stage = new Stage('native');
  private readonly perm = new Perm();
  private readonly vsStage = new Stage('vs');
  private readonly vsPerm = new Perm();
  private readonly gStage = new Stage('g');
  /** The G-stage check of the final GPA: the explicit access, as U-mode (norm:H_vm_gpapriv). */
  private readonly gPerm = new Perm();
  private readonly gOut = new WalkOut();
  private readonly gPteAddr: GStagePteAddr;

  constructor(private readonly mem: PteMemory) {
    this.gPerm.priv = Priv.U;
    this.gPteAddr = new GStagePteAddr(mem, this.gStage);
    doubleFields(this, 'satpPpn', 'vsatpPpn', 'hgatpPpn');
  }

  /**
   * priv is the effective privilege of this access (after MPRV); virt is the effective V (V=1,
   * HLV/HLVX/HSV, or MPRV with MPV=1), with priv then S (VS) or U (VU). hlvx: an HLVX load, where
   * execute permission replaces read permission in both stages (virt=true only).
   * Returns 0 with the physical address in out.pa, or a Cause; see translateVirt for what a
   * two-stage translation leaves in `out`. The walk checks the address is canonical for the mode
   * (supervisor.adoc norm:Sv39_va_signext: page fault of the access type). An untranslated
   * address is the full 64-bit value: 2^53 or more is an access fault (no memory).
   */
  translate(vaLo: number, vaHi: number, access: Access, priv: Priv, virt = false, hlvx = false): number {
    if (virt) return this.translateVirt(vaLo, vaHi, access, priv, hlvx);
    // supervisor.adoc norm:satp_op_active: satp is active only in S-mode and U-mode;
    // norm:satp_mode: with MODE=Bare, supervisor virtual addresses equal physical addresses.
    if (priv === Priv.M || this.satpMode === SatpMode.Bare) return this.identity(vaLo, vaHi, access);
    const stage = this.stage;
    stage.levels = levelsForMode(this.satpMode);
    stage.rootPpn = this.satpPpn;
    const perm = this.perm;
    perm.priv = priv;
    perm.sum = this.sum;
    perm.mxr = this.mxr;
    perm.adue = this.adue;
    return walk(vaLo, vaHi, access, stage, perm, this.mem, this.out, null, this.onPteAccess);
  }

  /**
   * Two-stage translation (hypervisor.adoc norm:H_vm_twostage): GVA → GPA by vsatp, GPA → SPA by
   * hgatp. On success `out` holds pa, gpaLo/gpaHi, vsLevel / gLevel (-1 for a Bare stage), the
   * VS leaf in pteLo/pteHi and the G leaf in gPteLo/gPteHi, and as level / pageShift / pageBase
   * the smaller of the two pages (the span over which GVA → SPA is one linear mapping). On a
   * guest-page fault, faultGpaLo/Hi hold the faulting GPA and implicitFault / implicitWrite say
   * whether it was a VS-stage PTE access (htval, htinst, norm:H_trap_xtinst_guestpage).
   */
  private translateVirt(vaLo: number, vaHi: number, access: Access, priv: Priv, hlvx: boolean): number {
    // hypervisor.adoc norm:H_vm_gpatrans: "the effective privilege mode must be VS-mode or VU-mode".
    if (priv === Priv.M) throw new Error('a V=1 access cannot have effective privilege M');
    const out = this.out;
    out.implicitFault = false;
    const gBare = this.hgatpMode === HgatpMode.Bare;

    // First stage: vsatp, or GPA = GVA when vsatp is Bare (norm:H_vm_twostage: "either stage of
    // translation can be effectively disabled").
    let gpaLo = vaLo | 0;
    let gpaHi = vaHi | 0;
    if (this.vsatpMode === SatpMode.Bare) {
      out.vsLevel = -1;
      out.pteLo = 0;
      out.pteHi = 0;
    } else {
      const vs = this.vsStage;
      vs.levels = levelsForMode(this.vsatpMode, 'vsatp');
      vs.rootPpn = this.vsatpPpn;
      const p = this.vsPerm;
      p.priv = priv;
      // norm:hlsv_trans: vsstatus.SUM applies, the HS-level SUM is ignored.
      p.sum = this.vsSum;
      // norm:vsstatus_mxr_vm / norm:sstatus_mxr_vm: either MXR overrides VS-stage protection.
      p.mxr = this.vsMxr || this.mxr;
      p.adue = this.vsAdue && this.adue;
      p.hlvx = hlvx;
      // norm:H_vm_gstagetrans: VS page-table accesses go through the G-stage (none when Bare:
      // the PTE's GPA is its physical address, norm:hgatp_mode_bare_trans).
      let pteAddr: GStagePteAddr | null = null;
      if (!gBare) {
        this.setGRoot();
        pteAddr = this.gPteAddr;
        pteAddr.perm.adue = this.adue;
        pteAddr.observer = this.onPteAccess;
      }
      const c = walk(vaLo, vaHi, access, vs, p, this.mem, out, pteAddr, this.onPteAccess);
      if (c !== 0) return c;
      gpaLo = out.gpaLo;
      gpaHi = out.gpaHi;
      out.vsLevel = out.level;
    }
    return this.secondStage(gpaLo, gpaHi, access, hlvx);
  }

  /**
   * The G-stage alone for guest-physical address (gpaLo, gpaHi), as the last step of a two-stage
   * translation whose VS-stage is Bare (hypervisor.adoc norm:H_vm_twostage): the timing walker
   * uses it to walk the G-stage of a GPA whose VS-stage translation a TLB already held. The
   * context (hgatp, mstatus.MXR, menvcfg.ADUE) is the translator's; the access is checked as a
   * U-mode access (norm:H_vm_gpapriv). Leaves in `out` what translate(virt=true) leaves with
   * vsatp Bare: pa, gpaLo/gpaHi, vsLevel = -1, gLevel, level, pageShift, pageBase, gPteLo/gPteHi.
   */
  translateG(gpaLo: number, gpaHi: number, access: Access): number {
    const out = this.out;
    out.implicitFault = false;
    out.vsLevel = -1;
    out.pteLo = 0;
    out.pteHi = 0;
    return this.secondStage(gpaLo | 0, gpaHi | 0, access, false);
  }

  /** hgatp's root for the G-stage walks (hgatp not Bare). */
  private setGRoot(): void {
    const g = this.gStage;
    g.levels = levelsForMode(this.hgatpMode, 'hgatp');
    // norm:hgatp_ppn_op: the root is 16 KiB-aligned; PPN[1:0] read as zeros.
    g.rootPpn = this.hgatpPpn - (this.hgatpPpn % 4);
  }

  /** Second stage (hgatp) of the GPA the first stage produced; fills the two-stage fields of `out`. */
  private secondStage(gpaLo: number, gpaHi: number, access: Access, hlvx: boolean): number {
    const out = this.out;
    out.gpaLo = gpaLo;
    out.gpaHi = gpaHi;
    if (this.hgatpMode === HgatpMode.Bare) {
      // norm:hgatp_mode_bare_trans: SPA = GPA; nothing lives at or above 2^53.
      if (gpaHi >>> 21 !== 0) return accessFaultFor(access);
      out.pa = gpaHi * 2 ** 32 + (gpaLo >>> 0);
      out.gLevel = -1;
      out.gPteLo = 0;
      out.gPteHi = 0;
    } else {
      this.setGRoot();
      const gp = this.gPerm;
      // norm:hlsv_sstatus_mxr: only the HS-level MXR reaches the G-stage; norm:hlsv_u_op: HLVX
      // needs execute permission in both stages.
      gp.mxr = this.mxr;
      gp.adue = this.adue;
      gp.hlvx = hlvx;
      const gOut = this.gOut;
      const c = walk(gpaLo, gpaHi, access, this.gStage, gp, this.mem, gOut, null, this.onPteAccess);
      if (c !== 0) {
        // "Guest-Page Faults": htval gets the GPA of the original access (norm:mtval2_htval_virtaddr).
        out.faultGpaLo = gpaLo;
        out.faultGpaHi = gpaHi;
        out.faultGpa = (gpaHi >>> 0) * 2 ** 32 + (gpaLo >>> 0);
        return c;
      }
      out.pa = gOut.pa;
      out.gLevel = gOut.level;
      out.gPteLo = gOut.pteLo;
      out.gPteHi = gOut.pteHi;
    }

    // The combined mapping is linear over the smaller of the two (aligned) pages.
    const vsL = out.vsLevel;
    const gL = out.gLevel;
    const level = vsL < 0 ? (gL < 0 ? 0 : gL) : gL < 0 || vsL < gL ? vsL : gL;
    out.level = level;
    out.pageShift = PAGE_SHIFT + LEVEL_BITS * level;
    out.pageBase = out.pa - (out.pa % LEVEL_BYTES[level]!);
    return 0;
  }

  private identity(vaLo: number, vaHi: number, access: Access): number {
    if (vaHi >>> 21 !== 0) return accessFaultFor(access); // >= 2^53: nothing lives there
    const out = this.out;
    out.pa = vaHi * 2 ** 32 + (vaLo >>> 0);
    out.level = 0;
    out.pageShift = PAGE_SHIFT;
    out.pageBase = out.pa - (out.pa % PAGE_SIZE);
    out.pteLo = 0;
    out.pteHi = 0;
    out.implicitFault = false;
    return 0;
  }
}
