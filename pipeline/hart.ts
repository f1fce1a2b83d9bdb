import type { Bus } from '../caches/bus.js';
import type { Clint } from '../caches/clint.js';
import type { Clock } from '../caches/clock.js';
import type { Plic } from '../caches/plic.js';
import { Priv } from '../mmu/access.js';
import { Translator } from '../mmu/translate.js';
import type { MachineConfig } from './config.js';
import { checkInterrupts, mip, nextTimerCycle, stce, waitForInterrupt } from './interrupts.js';
import { Lsu } from './lsu.js';
import { mret, sret, takeTrap } from './trap.js';
import { doubleFields } from '../common/double-fields.js';

/** mstatus bit positions, bits 31:0 (machine.adoc "Machine Status Register (mstatus)"). */
export const enum MS {
  SIE = 1 << 1,
  MIE = 1 << 3,
  SPIE = 1 << 5,
  MPIE = 1 << 7,
  SPP = 1 << 8,
  MPP_SHIFT = 11,
  MPP = 3 << 11,
  MPRV = 1 << 17,
  SUM = 1 << 18,
  MXR = 1 << 19,
  TVM = 1 << 20,
  TW = 1 << 21,
  TSR = 1 << 22,
}

/** hstatus bit positions, bits 31:0 (hypervisor.adoc "Hypervisor Status (hstatus) Register"). */
export const enum HS {
  GVA = 1 << 6,
  SPV = 1 << 7,
  SPVP = 1 << 8,
  HU = 1 << 9,
  VGEIN_SHIFT = 12,
  VGEIN = 0x3f << 12,
  VTVM = 1 << 20,
  VTW = 1 << 21,
  VTSR = 1 << 22,
}

/** Slots of the plain 64-bit CSRs kept in Hart.r64 as (lo, hi) pairs. */
export const enum R64 {
  mscratch = 0,
  mepc,
  mcause,
  mtval,
  mtvec,
  sscratch,
  sepc,
  scause,
  stval,
  stvec,
  stimecmp,
  // H extension
  mtval2,
  mtinst,
  htval,
  htinst,
  htimedelta,
  vsscratch,
  vsepc,
  vscause,
  vstval,
  vstvec,
  vstimecmp,
  COUNT,
}

/** Bits of mip/mie (machine.adoc "Machine Interrupt Registers"; hypervisor.adoc adds VS and SGE bits). */
export const enum IP {
  SSIP = 1 << 1,
  VSSIP = 1 << 2,
  MSIP = 1 << 3,
  STIP = 1 << 5,
  VSTIP = 1 << 6,
  MTIP = 1 << 7,
  SEIP = 1 << 9,
  VSEIP = 1 << 10,
  MEIP = 1 << 11,
  SGEIP = 1 << 12,
}

/** Interrupts of VS level (hideleg can pass them on to VS-mode). */
export const VS_INTERRUPTS = IP.VSSIP | IP.VSTIP | IP.VSEIP;

/**
 * The data-access context: privilege in bits 1:0 (U, S, M) and the virtualization mode in bit
 * 2. Loads and stores, the software TLB and translated blocks pass it as one small number.
 */
export const CTX_V = 4;

/**
 * The architectural state of one RV64 hart with the H extension. Instruction semantics live in
 * execute.ts (interpreter) and the block translator; CSR rules in csr*.ts; trap entry and return
 * in trap.ts; interrupt selection in interrupts.ts; memory access in lsu.ts.
 */
export class Hart {
  /** x[2r] = low half, x[2r+1] = high half of register r. x0 stays 0. */
  readonly x = new Int32Array(64);
  pcLo = 0;
  pcHi = 0;
  /** Nominal privilege (U, S, M); with virt, S is VS-mode and U is VU-mode. */
  priv: Priv = Priv.M;
  /** The virtualization mode V (hypervisor.adoc "Privilege Modes"). */
  virt = false;

  /** mstatus bits 31:0; bits 63:32 are UXL=SXL=2 and the two H fields below. */
  mstatus = 0;
  /** mstatus.MPV (bit 39) and mstatus.GVA (bit 38). */
  mpv = false;
  mgva = false;
  /** Plain 64-bit CSRs, see R64. */
  readonly r64 = new Int32Array(2 * R64.COUNT);
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  /** Software-writable bits of mip: SSIP, STIP (when not Sstc-driven), SEIP. */
  mipSw = 0;
  mcounteren = 0;
  scounteren = 0;
  mcountinhibit = 0;
  /** menvcfg as halves (bits 63 STCE, 61 ADUE live in the high half). */
  menvcfgLo = 0;
  menvcfgHi = 0;
  senvcfg = 0;
  satpMode = 0;
  satpAsid = 0;
  satpPpn = 0;

  // H extension state (hypervisor.adoc)
  /** hstatus bits 31:0 (VSXL = 2 in bits 33:32 is constant). */
  hstatus = 0;
  hedeleg = 0;
  hideleg = 0;
  /** hvip: VSSIP, VSTIP, VSEIP written by the hypervisor. */
  hvip = 0;
  /** hgeie bits 31:0 and 63:32. */
  hgeie = 0;
  hgeieHi = 0;
  /**
   * Guest external interrupt lines (hgeip, read-only to software; driven by the platform), bits
   * 31:0 and 63:32: GEILEN may be up to 63 on RV64 (hypervisor.adoc norm:geilen).
   */
  hgeip = 0;
  hgeipHi = 0;
  henvcfgLo = 0;
  henvcfgHi = 0;
  hcounteren = 0;
  /** vsstatus bits 31:0 (UXL = 2 in bits 33:32 is constant). */
  vsstatus = 0;
  vsatpMode = 0;
  vsatpAsid = 0;
  vsatpPpn = 0;
  hgatpMode = 0;
  hgatpVmid = 0;
  hgatpPpn = 0;

  /** Counters. instret counts retired instructions; cycles live in the clock. */
  instret = 0;
  /** mcycle/minstret/mhpmcounter bases: value = base + (source now - source at base). */
  readonly counterBase = new Int32Array(2 * 32);
  readonly counterMark = new Float64Array(32);
  readonly mhpmevent = new Float64Array(32);
  /** Event code (mhpmeventN value) -> the current count of that event (zihpm.adoc). */
  readonly hpmEvents = new Map<number, () => number>();
  /**
   * Event codes whose count the writing instruction itself still increments when it retires
   * (instret, cycles): a write to a counter counting them is offset by one, as for minstret.
   */
  readonly hpmRetireEvents = new Set<number>();

  /** Statistics counted here. */
  exceptions = 0;
  interrupts = 0;
  /** Traps by the mode that took them: [M, HS, VS]. */
  readonly trapsTo = new Float64Array(3);

  /** LR reservation (virtual address, value loaded), cleared by traps and xRET like QEMU. */
  resValid = false;
  resLo = 0;
  resHi = 0;
  resValLo = 0;
  resValHi = 0;

  /**
   * Extra trap information for the next takeTrap (trap.ts): whether xtval holds a guest virtual
   * address, the value for htval/mtval2 (a guest-physical address >> 2) and for htinst/mtinst.
   * Set by whoever raises the trap; takeTrap consumes and clears them.
   */
  trapGva = false;
  trapGpaLo = 0;
  trapGpaHi = 0;
  trapTinst = 0;

  /** Cycle count at which interrupts must next be re-evaluated; 0 = at once. */
  nextInterruptCheck = 0;

  readonly translator: Translator;
  readonly lsu: Lsu;
  readonly misaHi: number;
  readonly misaLo: number;
  /** Whether the H extension is implemented (config hart.h). */
  readonly hasH: boolean;

  constructor(
    readonly config: MachineConfig,
    readonly bus: Bus,
    readonly clock: Clock,
    readonly clint: Clint,
    readonly plic: Plic,
  ) {
    this.hasH = config.hart.h;
    this.lsu = new Lsu(this, bus, config.hart.misaligned === 'emulate');
    this.translator = new Translator(this.lsu.ptes);
    // misa: MXL=2 (64-bit) in bits 63:62; extensions A, C, (H), I, M, S, U.
    this.misaHi = 2 << 30;
    this.misaLo = (1 << 0) | (1 << 2) | (this.hasH ? 1 << 7 : 0) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
    this.reset();
    doubleFields(this, 'satpPpn', 'vsatpPpn', 'hgatpPpn', 'nextInterruptCheck', 'instret', 'trapGpaLo');
  }

  reset(): void {
    this.x.fill(0);
    this.priv = Priv.M;
    this.virt = false;
    this.mstatus = 0;
    this.mpv = this.mgva = false;
    this.r64.fill(0);
    // stimecmp/vstimecmp reset to all ones so that an enabled Sstc does not fire at once.
    this.setR64(R64.stimecmp, -1, -1);
    this.setR64(R64.vstimecmp, -1, -1);
    this.medeleg = this.mie = this.mipSw = 0;
    // hypervisor.adoc "Machine Interrupt Delegation (mideleg) Register": VS-level interrupts
    // (and SGEI when GEILEN > 0) are read-only one.
    this.mideleg = this.readOnlyMideleg();
    this.mcounteren = this.scounteren = this.mcountinhibit = 0;
    this.menvcfgLo = this.menvcfgHi = this.senvcfg = 0;
    this.satpMode = this.satpAsid = this.satpPpn = 0;
    this.hstatus = this.hedeleg = this.hideleg = this.hvip = this.hgeie = this.hgeieHi = this.hgeip = this.hgeipHi = 0;
    this.henvcfgLo = this.henvcfgHi = this.hcounteren = this.vsstatus = 0;
    this.vsatpMode = this.vsatpAsid = this.vsatpPpn = 0;
    this.hgatpMode = this.hgatpVmid = this.hgatpPpn = 0;
    this.instret = 0;
    this.counterBase.fill(0);
    this.counterMark.fill(0);
    this.mhpmevent.fill(0);
    this.resValid = false;
    this.trapGva = false;
    this.trapGpaLo = this.trapGpaHi = this.trapTinst = 0;
    this.nextInterruptCheck = 0;
    this.syncTranslation();
  }

  /** mideleg bits that read as one (H: VSSI, VSTI, VSEI, and SGEI when GEILEN > 0). */
  readOnlyMideleg(): number {
    if (!this.hasH) return 0;
    return IP.VSSIP | IP.VSTIP | IP.VSEIP | (this.config.hart.geilen > 0 ? IP.SGEIP : 0);
  }

  setPc(lo: number, hi: number): void {
    this.pcLo = lo;
    this.pcHi = hi;
  }

  setR64(slot: R64, lo: number, hi: number): void {
    this.r64[2 * slot] = lo;
    this.r64[2 * slot + 1] = hi;
  }

  /** The context of instruction fetch: current privilege and V. */
  fetchCtx(): number {
    return this.virt ? this.priv | CTX_V : this.priv;
  }

  /**
   * The context of explicit loads and stores: with MPRV=1 in M-mode, MPP and MPV
   * (machine.adoc "Memory Privilege in mstatus"; hypervisor.adoc table "Effect of MPRV").
   */
  dataPriv(): number {
    if (this.priv === Priv.M && (this.mstatus & MS.MPRV) !== 0) {
      const mpp = (this.mstatus >>> MS.MPP_SHIFT) & 3;
      if (mpp === Priv.M) return Priv.M;
      return this.mpv ? mpp | CTX_V : mpp;
    }
    return this.virt ? this.priv | CTX_V : this.priv;
  }

  /** The context of HLV/HLVX/HSV: V=1 with the privilege in hstatus.SPVP (hypervisor.adoc norm:hlsv_priv). */
  hlvCtx(): number {
    return ((this.hstatus & HS.SPVP) !== 0 ? Priv.S : Priv.U) | CTX_V;
  }

  /** Push the translation-relevant CSR state to the translator and drop cached translations. */
  syncTranslation(): void {
    const t = this.translator;
    t.satpMode = this.satpMode;
    t.satpAsid = this.satpAsid;
    t.satpPpn = this.satpPpn;
    t.sum = (this.mstatus & MS.SUM) !== 0;
    t.mxr = (this.mstatus & MS.MXR) !== 0;
    t.adue = this.config.hart.svadu && (this.menvcfgHi & (1 << 29)) !== 0;
    if (this.hasH) {
      t.vsatpMode = this.vsatpMode;
      t.vsatpAsid = this.vsatpAsid;
      t.vsatpPpn = this.vsatpPpn;
      t.hgatpMode = this.hgatpMode;
      t.hgatpVmid = this.hgatpVmid;
      t.hgatpPpn = this.hgatpPpn;
      t.vsSum = (this.vsstatus & MS.SUM) !== 0;
      t.vsMxr = (this.vsstatus & MS.MXR) !== 0;
      t.vsAdue = this.config.hart.svadu && (this.henvcfgHi & (1 << 29)) !== 0;
    }
    this.lsu.flush();
  }

  /** The event count behind mhpmcounter i: whatever its mhpmevent selects (0 if unknown). */
  hpmSource(i: number): number {
    const f = this.hpmEvents.get(this.mhpmevent[i]!);
    return f === undefined ? 0 : f();
  }

  // Rules that live in their own modules, reached through the hart.

  takeTrap(cause: number, interrupt: boolean, tvalLo: number, tvalHi: number): void {
    takeTrap(this, cause, interrupt, tvalLo, tvalHi);
  }

  /**
   * Take the fault the LSU recorded for an explicit memory access. `tinst` is the transformed
   * instruction with a zero address offset (0 when there is none); eaLo the low half of the
   * access's original virtual address (for the offset field).
   */
  memoryTrap(tinst: number, eaLo: number): void {
    const l = this.lsu;
    this.trapGva = l.faultVirt;
    this.trapGpaLo = l.faultGpaLo;
    this.trapGpaHi = l.faultGpaHi;
    if (l.faultImplicit) this.trapTinst = l.faultImplicitWrite ? 0x3020 : 0x3000;
    else if (tinst !== 0 && this.config.hart.tinst === 'transformed') this.trapTinst = tinst | (((l.faultLo - eaLo) & 31) << 15);
    takeTrap(this, l.fault, false, l.faultLo, l.faultHi);
  }

  /** Take the fault the LSU recorded for an instruction fetch. */
  fetchTrap(): void {
    const l = this.lsu;
    this.trapGva = l.faultVirt;
    this.trapGpaLo = l.faultGpaLo;
    this.trapGpaHi = l.faultGpaHi;
    if (l.faultImplicit) this.trapTinst = l.faultImplicitWrite ? 0x3020 : 0x3000;
    takeTrap(this, l.fault, false, l.faultLo, l.faultHi);
  }

  mret(): void {
    mret(this);
  }

  sret(): void {
    sret(this);
  }

  mip(): number {
    return mip(this);
  }

  stce(): boolean {
    return stce(this);
  }

  checkInterrupts(): boolean {
    return checkInterrupts(this);
  }

  nextTimerCycle(onlyEnabled = false): number {
    return nextTimerCycle(this, onlyEnabled);
  }

  waitForInterrupt(): boolean {
    return waitForInterrupt(this);
  }
}
