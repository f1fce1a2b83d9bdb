/**
 * The page-table walk of supervisor.adoc "Virtual Address Translation Process", for every stage:
 * native single-stage (satp), VS-stage (vsatp) and G-stage (hgatp, hypervisor.adoc "Guest
 * Physical Address Translation"). It reads top to bottom in the order of the spec's steps.
 *
 * Allocation-free: callers keep one StageParams, PermContext and WalkOut and reuse them.
 */
import { Cause } from '../common/causes.js';
import { Word } from '../caches/word.js';
import { Access, Priv } from './access.js';
import {
  LEVEL_BITS,
  LEVEL_SPAN,
  pageNumber,
  PAGES_PER_HI,
  PAGE_SHIFT,
  PAGE_SIZE,
  PPN_LIMIT,
  PTE_A,
  PTE_D,
  PTE_HI_N,
  PTE_HI_PBMT,
  PTE_HI_RESERVED,
  PTE_R,
  PTE_SIZE,
  PTE_U,
  PTE_V,
  PTE_W,
  PTE_X,
  SVNAPOT_IMPLEMENTED,
  SVPBMT_IMPLEMENTED,
  isLeaf,
  ptePpn,
} from './pte.js';
import { doubleFields } from '../common/double-fields.js';

/** Which translation a walk performs; also reported to the PTE-access observer. */
export type StageKind = 'native' | 'vs' | 'g';

/**
 * Sees every PTE read (after PTE-address translation): the timing model charges cache accesses.
 * pa: the PTE's physical address; level: the PTE's level (LEVELS-1 is the root); vpn: the page
 * number this stage's walk translates (VA bits 58:12 as an exact number: the GVA/VA page for
 * 'native' and 'vs', the GPA page for 'g'), which the page-walk caches and the nested TLB tag by.
 */
export type PteObserver = (pa: number, stage: StageKind, level: number, vpn: number) => void;

/** Outcome of an atomic A/D update (supervisor.adoc "Virtual Address Translation Process" step 9). */
export const enum PteCas {
  /** The PTE held the expected value and now holds the new one. */
  Stored = 0,
  /** The PTE no longer holds the expected value: nothing written; the walk re-reads it (step 2). */
  Changed = 1,
  /** A store to the PTE would violate a PMA/PMP check: access fault of the original access type. */
  AccessFault = 2,
}

/** Physical memory as the walker sees it; implemented by the hart over the Bus. */
export interface PteMemory {
  /** Reads the 8-byte PTE at pa (always < 2^53, 8-aligned). False: access fault (step 2). */
  readPte(pa: number, out: Word): boolean;
  /**
   * Atomically: if the PTE at pa equals expect, write new (step 9). The walk then re-reads the
   * same PTE on Changed, as the spec's "return to step 2" says, and retries until the update
   * succeeds or a check fails; it never restarts from the root.
   */
  casPte(pa: number, expectLo: number, expectHi: number, newLo: number, newHi: number): PteCas;
}

/**
 * Translates the address of each PTE before it is read or updated. Absent for native and G-stage
 * walks (PTE addresses are physical); for the VS-stage it is the G-stage translation of the
 * guest-physical PTE address (hypervisor.adoc "Two-Stage Address Translation": such accesses are
 * "subject to G-stage address translation alone").
 */
export interface PteAddrTranslator {
  /**
   * addr is exact (a multiple of 8 below 2^56). write=false for the step-2 read, true before a
   * step-9 A/D update (checked "as though for an implicit load or store", hypervisor.adoc "Guest
   * Physical Address Translation"). access is the original access type: any fault is reported for
   * it. Returns 0 and leaves the translated address in `pa`, or the Cause to raise.
   */
  translatePteAddr(addr: number, write: boolean, access: Access): number;
  readonly pa: number;
}

export interface StageParams {
  /** 3 Sv39(x4), 4 Sv48(x4), 5 Sv57(x4). */
  levels: number;
  /** Root table PPN (up to 44 bits). For the G-stage the root is 16 KiB, 16 KiB-aligned. */
  rootPpn: number;
  /**
   * 'g': x4 widened root (2 extra address bits), leaves must have U=1, faults are guest-page
   * faults. 'native' and 'vs' walk alike; the name is passed to the observer.
   */
  kind: StageKind;
}

export interface PermContext {
  /** Effective privilege of the access, U or S (M never walks). Ignored for the G-stage (always U). */
  priv: Priv;
  sum: boolean;
  mxr: boolean;
  /** Svadu hardware A/D updating (menvcfg/henvcfg.ADUE); when false, Svade faults apply. */
  adue: boolean;
  /** HLVX: execute permission takes the place of read permission (hypervisor.adoc "hlsv_u_op"). */
  hlvx: boolean;
}

/**
 * Result of a walk, and of Translator.translate (which fills the two-stage fields). On success
 * every field but the fault fields is set.
 */
export class WalkOut {
  /**
   * Physical address of the translated byte. For a VS-stage walk it is the guest-physical
   * address instead, exact only below 2^53: gpaLo/gpaHi hold it exactly.
   */
  pa = 0;
  /** Level of the leaf PTE: 0 for a 4 KiB page, 1 for 2 MiB, ... */
  level = 0;
  /** log2 of the page size: 12 + 9 * level. */
  pageShift = PAGE_SHIFT;
  /** Physical address of the start of the (super)page. */
  pageBase = 0;
  /** The leaf PTE as used (after any A/D update). */
  pteLo = 0;
  pteHi = 0;
  /** On a fault: true when it came from translating a PTE address (VS-stage implicit access). */
  implicitFault = false;
  /**
   * With implicitFault: the guest-physical address of the PTE whose translation faulted (exact:
   * a multiple of 8 below 2^56 has at most 53 significant bits). After a two-stage translate that
   * failed in the G-stage of the final GPA it is that GPA, exact only below 2^53.
   */
  faultGpa = 0;
  /** faultGpa exactly, as int32 halves (always exact). */
  faultGpaLo = 0;
  faultGpaHi = 0;
  /**
   * With implicitFault: the faulting implicit access was the step-9 A/D update (a write) rather
   * than a PTE read; selects htinst's write pseudoinstruction (hypervisor.adoc
   * norm:H_trap_xtinst_guestpage_rw).
   */
  implicitWrite = false;

  // Two-stage results (VS-stage walk output, and Translator.translate with virt=true).
  /**
   * The guest-physical address of the translated byte as int32 halves: set by a VS-stage walk
   * (GPAs reach 2^56 from a PTE, 2^64 with vsatp Bare, beyond a number's exact range).
   */
  gpaLo = 0;
  gpaHi = 0;
  /** Leaf level of the VS-stage (Translator, virt=true); -1 when vsatp is Bare. */
  vsLevel = -1;
  /** Leaf level of the G-stage (Translator, virt=true); -1 when hgatp is Bare. */
  gLevel = -1;
  /** The G-stage leaf PTE as used (Translator, virt=true); 0 when hgatp is Bare. */
  gPteLo = 0;
  gPteHi = 0;

  constructor() {
    doubleFields(this, 'pa', 'pageBase', 'faultGpa');
  }
}

/** Holds each PTE just long enough to copy it: the walk re-enters through PteAddrTranslator. */
const pteBuf = new Word();

/** The page fault or guest-page fault "corresponding to the original access type". */
export function pageFaultFor(access: Access, gStage: boolean): Cause {
  if (gStage) {
    // hypervisor.adoc "Guest Physical Address Translation": guest-page faults instead of page faults.
    if (access === Access.Fetch) return Cause.InstructionGuestPageFault;
    return access === Access.Load ? Cause.LoadGuestPageFault : Cause.StoreGuestPageFault;
  }
  if (access === Access.Fetch) return Cause.InstructionPageFault;
  return access === Access.Load ? Cause.LoadPageFault : Cause.StorePageFault;
}

/** The access fault "corresponding to the original access type". */
export function accessFaultFor(access: Access): Cause {
  if (access === Access.Fetch) return Cause.InstructionAccessFault;
  return access === Access.Load ? Cause.LoadAccessFault : Cause.StoreAccessFault;
}

/**
 * Translates the 64-bit address (vaLo, vaHi) for `access`. Returns 0 with the result in `out`,
 * or a Cause. `faultAs` is the access type faults are reported for; it differs from `access` only
 * when the G-stage translates a VS-stage PTE address (checked as an implicit load/store, reported
 * as the original access, hypervisor.adoc "Guest Physical Address Translation").
 *
 * A page (or page table) at or above 2^53 is reported as an access fault: the platform has no
 * memory there, so the access itself would fault. A VS-stage walk's result is a guest-physical
 * address, which has no such limit: it is left exact in out.gpaLo/gpaHi for the G-stage.
 */
export function walk(
  vaLo: number,
  vaHi: number,
  access: Access,
  stage: StageParams,
  perm: PermContext,
  mem: PteMemory,
  out: WalkOut,
  pteAddr: PteAddrTranslator | null = null,
  onPteAccess: PteObserver | null = null,
  faultAs: Access = access,
): number {
  const g = stage.kind === 'g';
  const levels = stage.levels;
  const vaBits = PAGE_SHIFT + LEVEL_BITS * levels; // 39, 48, 57
  const pageFault = pageFaultFor(faultAs, g);
  out.implicitFault = false;

  if (g) {
    // hypervisor.adoc norm:hgatp_mode_sv39x4 (and x4 siblings): bits 63:41/50/59 must be zero.
    if (vaHi >>> (vaBits + 2 - 32) !== 0) return pageFault;
  } else {
    // supervisor.adoc norm:Sv39_va_signext (Sv48, Sv57 alike): bits 63:vaBits equal bit vaBits-1.
    const top = vaHi >> (vaBits - 1 - 32);
    if (top !== 0 && top !== -1) return pageFault;
  }
  // VA bits 58:12 as an exact number: every VPN field, including the x4 root's two extra bits.
  const vpn = pageNumber(vaLo, vaHi);

  // Step 1: a = root PPN × PAGESIZE, i = LEVELS-1.
  let a = stage.rootPpn * PAGE_SIZE;
  let i = levels - 1;
  for (;;) {
    // The x4 root (only) is indexed by 11 bits (hypervisor.adoc norm:hgatp_mode_x4).
    const indexBits = g && i === levels - 1 ? LEVEL_BITS + 2 : LEVEL_BITS;
    const index = Math.floor(vpn / LEVEL_SPAN[i]!) % (1 << indexBits);
    const pteAt = a + index * PTE_SIZE;

    // Step 2: read the PTE at a + va.vpn[i]×PTESIZE; a PMA/PMP violation is an access fault.
    let ptePa = pteAt;
    if (pteAddr !== null) {
      const c = pteAddr.translatePteAddr(pteAt, false, faultAs);
      if (c !== 0) return implicitFault(out, pteAt, false, c);
      ptePa = pteAddr.pa;
    }
    if (ptePa >= 2 ** 53) return accessFaultFor(faultAs); // no memory above 2^53
    if (onPteAccess !== null) onPteAccess(ptePa, stage.kind, i, vpn);
    if (!mem.readPte(ptePa, pteBuf)) return accessFaultFor(faultAs);
    let lo = pteBuf.lo;
    const hi = pteBuf.hi;

    // Step 3: invalid, reserved encodings and reserved bits are page faults.
    if ((lo & PTE_V) === 0) return pageFault; // V=0
    if ((lo & PTE_R) === 0 && (lo & PTE_W) !== 0) return pageFault; // W=1 with R=0 is reserved
    if ((hi & PTE_HI_RESERVED) !== 0) return pageFault; // norm:Sv39_pte_future_rsv (bits 60:54)
    if (!SVPBMT_IMPLEMENTED && (hi & PTE_HI_PBMT) !== 0) return pageFault; // norm:Sv39_pte_svpbmt_rsv
    if (!SVNAPOT_IMPLEMENTED && (hi & PTE_HI_N) !== 0) return pageFault; // norm:Sv39_pte_svnapot_rsv
    const leaf = isLeaf(lo);
    // "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use."
    if (!leaf && (lo & (PTE_D | PTE_A | PTE_U)) !== 0) return pageFault;
    const ppn = ptePpn(lo, hi);

    // Step 4: a pointer to the next level; none below level 0.
    if (!leaf) {
      i = i - 1;
      if (i < 0) return pageFault;
      a = ppn * PAGE_SIZE;
      continue;
    }

    // Step 5: a superpage's PPN[i-1:0] must be zero (misaligned superpage).
    const span = LEVEL_SPAN[i]!;
    if (i > 0 && ppn % span !== 0) return pageFault;

    // Step 6: the U bit against privilege and SUM. The G-stage always checks as U-mode
    // (hypervisor.adoc norm:H_vm_gpapriv). S-mode never executes U pages, whatever SUM says.
    const userPage = (lo & PTE_U) !== 0;
    if (g || perm.priv === Priv.U) {
      if (!userPage) return pageFault;
    } else if (userPage && (access === Access.Fetch || !perm.sum)) {
      return pageFault;
    }

    // Step 7 (shadow-stack pages, Zicfiss) does not apply: Zicfiss is not implemented.

    // Step 8: R/W/X against the access type (MXR: X also grants loads; HLVX: X replaces R).
    if (!permits(lo, access, perm)) return pageFault;

    // Step 9: A=0, or a store with D=0.
    const needD = access === Access.Store;
    if ((lo & PTE_A) === 0 || (needD && (lo & PTE_D) === 0)) {
      if (!perm.adue) return pageFault; // Svade: fault (svadu.adoc: ADUE=0 falls back to Svade)
      // Svadu: the update is an implicit store to the PTE, G-stage-translated for the VS-stage.
      let casPa = ptePa;
      if (pteAddr !== null) {
        const c = pteAddr.translatePteAddr(pteAt, true, faultAs);
        if (c !== 0) return implicitFault(out, pteAt, true, c);
        casPa = pteAddr.pa;
      }
      const newLo = lo | PTE_A | (needD ? PTE_D : 0);
      const r = mem.casPte(casPa, lo, hi, newLo, hi);
      if (r === PteCas.AccessFault) return accessFaultFor(faultAs);
      if (r === PteCas.Changed) continue; // "If the comparison fails, return to step 2."
      lo = newLo;
    }

    // Step 10: pa.ppn[i-1:0] = va.vpn[i-1:0], pa.ppn[LEVELS-1:i] = pte.ppn[LEVELS-1:i].
    const pagePpn = ppn + (vpn % span);
    const offset = vaLo & (PAGE_SIZE - 1);
    if (stage.kind === 'vs') {
      // A guest-physical address (up to 2^56): the G-stage decides whether anything lives there
      // (hypervisor.adoc norm:H_vm_twostage), so no 2^53 limit here; kept exact as halves.
      out.gpaLo = ((pagePpn % PAGES_PER_HI) * PAGE_SIZE + offset) | 0;
      out.gpaHi = Math.floor(pagePpn / PAGES_PER_HI);
    } else if (pagePpn >= PPN_LIMIT) {
      return accessFaultFor(faultAs); // no memory above 2^53
    }
    out.pa = pagePpn * PAGE_SIZE + offset;
    out.level = i;
    out.pageShift = PAGE_SHIFT + LEVEL_BITS * i;
    out.pageBase = ppn * PAGE_SIZE;
    out.pteLo = lo;
    out.pteHi = hi;
    return 0;
  }
}

/** Step 8: does the leaf's R/W/X allow this access (supervisor.adoc, sstatus MXR; HLVX)? */
function permits(lo: number, access: Access, perm: PermContext): boolean {
  if (access === Access.Fetch) return (lo & PTE_X) !== 0;
  if (access === Access.Store) return (lo & PTE_W) !== 0; // W=1 implies R=1 (step 3), as AMOs need
  if (perm.hlvx) return (lo & PTE_X) !== 0;
  return (lo & PTE_R) !== 0 || (perm.mxr && (lo & PTE_X) !== 0);
}

/** A fault translating a VS-stage PTE address (hypervisor.adoc "Guest-Page Faults", htval). */
function implicitFault(out: WalkOut, gpa: number, write: boolean, cause: number): number {
  out.implicitFault = true;
  out.implicitWrite = write;
  out.faultGpa = gpa;
  // gpa is exact (below 2^56, 8-aligned), so the split is exact.
  const hi = Math.floor(gpa / 2 ** 32);
  out.faultGpaLo = (gpa - hi * 2 ** 32) | 0;
  out.faultGpaHi = hi;
  return cause;
}
