/**
 * Functional native (single-stage, satp) translation for the hart. No TLB: the hart keeps its own
 * software TLB and calls translate() on a miss; modelled TLBs are separate.
 */
import { type Access, Priv } from './access.js';
import { PAGE_SHIFT, PAGE_SIZE } from './pte.js';
import {
  type PermContext,
  type PteMemory,
  type PteObserver,
  type StageKind,
  type StageParams,
  WalkOut,
  accessFaultFor,
  walk,
} from './walk.js';

/** satp.MODE encodings for SXLEN=64 (supervisor.adoc, "Encoding of satp MODE field"). */
export const enum SatpMode {
  Bare = 0,
  Sv39 = 8,
  Sv48 = 9,
  Sv57 = 10,
}

/** Page-table levels of a paged satp (or vsatp/hgatp, same encodings) mode. */
export function levelsForMode(mode: number): number {
  switch (mode) {
    case SatpMode.Sv39:
      return 3;
    case SatpMode.Sv48:
      return 4;
    case SatpMode.Sv57:
      return 5;
    default:
      // The satp write rule (norm:satp_mode_op_unsupported) keeps other modes out.
      throw new Error(`satp.MODE ${mode} is not a paged mode this hart implements`);
  }
}

/** Reused per-walk parameters: the walk takes them by reference, so nothing is allocated. */
class NativeStage implements StageParams {
  levels = 3;
  rootPpn = 0;
  readonly kind: StageKind = 'native';
}

class NativePerm implements PermContext {
  priv: Priv = Priv.S;
  sum = false;
  mxr = false;
  adue = false;
  readonly hlvx = false;
}

export class Translator {
  // Context, set by the hart whenever satp / mstatus / menvcfg / privilege change.
  /** satp.MODE: 0 Bare, 8 Sv39, 9 Sv48, 10 Sv57. */
  satpMode = 0;
  /** satp.ASID: unused by the walk itself; kept for the TLBs that tag entries with it. */
  satpAsid = 0;
  /** satp.PPN: the root page table's PPN. */
  satpPpn = 0;
  /** mstatus.SUM / mstatus.MXR. */
  sum = false;
  mxr = false;
  /** menvcfg.ADUE: Svadu hardware A/D updating; false means Svade (fault on A=0 / D=0). */
  adue = false;
  onPteAccess: PteObserver | null = null;
  /** Result of the last translate. */
  readonly out = new WalkOut();

  private readonly stage = new NativeStage();
  private readonly perm = new NativePerm();

  constructor(private readonly mem: PteMemory) {}

  /**
   * priv is the effective privilege of this access (after MPRV). M-mode or Bare: identity.
   * Returns 0 with the physical address in out.pa, or a Cause. The walk checks the address is
   * canonical for the mode (supervisor.adoc norm:Sv39_va_signext: page fault of the access type).
   * An untranslated address is the full 64-bit value: 2^53 or more is an access fault (no memory).
   */
  translate(vaLo: number, vaHi: number, access: Access, priv: Priv): number {
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
