import type { Bus } from '../caches/bus.js';
import type { Clint } from '../caches/clint.js';
import type { Clock } from '../caches/clock.js';
import type { Plic } from '../caches/plic.js';
import { Cause, Interrupt } from '../common/causes.js';
import { Priv } from '../mmu/access.js';
import { Translator } from '../mmu/translate.js';
import type { MachineConfig } from './config.js';
import { Lsu } from './lsu.js';

/** mstatus bit positions (machine.adoc, "Machine Status Register (mstatus)"). */
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
  COUNT,
}

/** Bits of mip/mie (machine.adoc, "Machine Interrupt Registers (mip and mie)"). */
export const enum IP {
  SSIP = 1 << 1,
  MSIP = 1 << 3,
  STIP = 1 << 5,
  MTIP = 1 << 7,
  SEIP = 1 << 9,
  MEIP = 1 << 11,
}

const S_INTERRUPTS = IP.SSIP | IP.STIP | IP.SEIP;
const M_INTERRUPTS = IP.MSIP | IP.MTIP | IP.MEIP;
/** machine.adoc: "MEI, MSI, MTI, SEI, SSI, STI" decreasing priority. */
const INTERRUPT_PRIORITY = [Interrupt.MEI, Interrupt.MSI, Interrupt.MTI, Interrupt.SEI, Interrupt.SSI, Interrupt.STI];

/**
 * The architectural state of one RV64 hart and the rules that change privilege: trap entry,
 * xRET, interrupt selection. Instruction semantics live in execute.ts (interpreter) and the
 * block translator; CSR semantics in csr.ts; memory access in lsu.ts.
 */
export class Hart {
  /** x[2r] = low half, x[2r+1] = high half of register r. x0 stays 0. */
  readonly x = new Int32Array(64);
  pcLo = 0;
  pcHi = 0;
  priv: Priv = Priv.M;

  /** mstatus bits 31:0 (bits 63:32 are constant: UXL=SXL=2, SD=0 without F/V). */
  mstatus = 0;
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

  /** Counters. instret counts retired instructions; cycles live in the clock. */
  instret = 0;
  /** mcycle/minstret/mhpmcounter bases: value = base + (source now - source at base). */
  readonly counterBase = new Int32Array(2 * 32);
  readonly counterMark = new Float64Array(32);
  readonly mhpmevent = new Float64Array(32);

  /** Statistics counted here. */
  exceptions = 0;
  interrupts = 0;

  /** LR reservation (virtual address, value loaded), cleared by traps and xRET like QEMU. */
  resValid = false;
  resLo = 0;
  resHi = 0;
  resValLo = 0;
  resValHi = 0;

  /** Cycle count at which interrupts must next be re-evaluated; 0 = at once. */
  nextInterruptCheck = 0;
  /** Set while WFI waits. */
  waiting = false;

  /** Event code (mhpmeventN value) -> the current count of that event (zihpm.adoc). */
  readonly hpmEvents = new Map<number, () => number>();
  /**
   * Event codes whose count the writing instruction itself still increments when it retires
   * (instret, cycles): a write to a counter counting them is offset by one, as for minstret.
   */
  readonly hpmRetireEvents = new Set<number>();

  readonly translator: Translator;
  readonly lsu: Lsu;
  readonly misaHi: number;
  readonly misaLo: number;

  constructor(
    readonly config: MachineConfig,
    readonly bus: Bus,
    readonly clock: Clock,
    readonly clint: Clint,
    readonly plic: Plic,
  ) {
    this.lsu = new Lsu(this, bus, config.hart.misaligned === 'emulate');
    this.translator = new Translator(this.lsu);
    // misa: MXL=2 (64-bit) in bits 63:62; extensions A, C, I, M, S, U.
    this.misaHi = 2 << 30;
    this.misaLo = (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
    this.reset();
  }

  reset(): void {
    this.x.fill(0);
    this.priv = Priv.M;
    this.mstatus = 0;
    this.r64.fill(0);
    // stimecmp resets to all ones so that an enabled Sstc does not fire at once.
    this.r64[2 * R64.stimecmp] = -1;
    this.r64[2 * R64.stimecmp + 1] = -1;
    this.medeleg = this.mideleg = this.mie = this.mipSw = 0;
    this.mcounteren = this.scounteren = this.mcountinhibit = 0;
    this.menvcfgLo = this.menvcfgHi = this.senvcfg = 0;
    this.satpMode = this.satpAsid = this.satpPpn = 0;
    this.instret = 0;
    this.counterBase.fill(0);
    this.counterMark.fill(0);
    this.mhpmevent.fill(0);
    this.resValid = false;
    this.nextInterruptCheck = 0;
    this.waiting = false;
    this.syncTranslation();
  }

  setPc(lo: number, hi: number): void {
    this.pcLo = lo;
    this.pcHi = hi;
  }

  /** Privilege used by loads and stores: MPP when MPRV=1 in M-mode (machine.adoc "Memory Privilege in mstatus"). */
  dataPriv(): Priv {
    if (this.priv === Priv.M && (this.mstatus & MS.MPRV) !== 0) return ((this.mstatus >>> MS.MPP_SHIFT) & 3) as Priv;
    return this.priv;
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
    this.lsu.flush();
  }

  /** The event count behind mhpmcounter i: whatever its mhpmevent selects (0 if unknown). */
  hpmSource(i: number): number {
    const f = this.hpmEvents.get(this.mhpmevent[i]!);
    return f === undefined ? 0 : f();
  }

  // ---------------------------------------------------------------- traps

  /**
   * Take a synchronous exception or an interrupt (machine.adoc "Machine Trap Delegation
   * Registers", supervisor.adoc "Supervisor Trap Handling"). The trap goes to S-mode when the
   * current privilege is S or U and the matching medeleg/mideleg bit is set; it never goes to a
   * lower privilege than the current one.
   */
  takeTrap(cause: number, interrupt: boolean, tvalLo: number, tvalHi: number): void {
    if (interrupt) this.interrupts++;
    else this.exceptions++;
    const bit = 1 << cause;
    const delegated = this.priv !== Priv.M && ((interrupt ? this.mideleg : this.medeleg) & bit) !== 0;
    const causeHi = interrupt ? 1 << 31 : 0;
    if (delegated) {
      this.setR64(R64.scause, cause, causeHi);
      this.setR64(R64.sepc, this.pcLo, this.pcHi);
      this.setR64(R64.stval, tvalLo, tvalHi);
      let s = this.mstatus;
      s = (s & ~MS.SPIE) | ((s & MS.SIE) !== 0 ? MS.SPIE : 0);
      s = (s & ~MS.SPP) | (this.priv === Priv.S ? MS.SPP : 0);
      s &= ~MS.SIE;
      this.mstatus = s;
      this.priv = Priv.S;
      this.jumpToVector(R64.stvec, cause, interrupt);
    } else {
      this.setR64(R64.mcause, cause, causeHi);
      this.setR64(R64.mepc, this.pcLo, this.pcHi);
      this.setR64(R64.mtval, tvalLo, tvalHi);
      let s = this.mstatus;
      s = (s & ~MS.MPIE) | ((s & MS.MIE) !== 0 ? MS.MPIE : 0);
      s = (s & ~MS.MPP) | (this.priv << MS.MPP_SHIFT);
      s &= ~MS.MIE;
      this.mstatus = s;
      this.priv = Priv.M;
      this.jumpToVector(R64.mtvec, cause, interrupt);
    }
    // machine.adoc "Wait for Interrupt" / "Load-Reserved": a trap may clear the reservation; QEMU does.
    this.resValid = false;
    this.waiting = false;
    this.nextInterruptCheck = 0;
  }

  /** xtvec MODE 1 (Vectored): interrupts jump to BASE + 4*cause; exceptions to BASE. */
  private jumpToVector(slot: R64, cause: number, interrupt: boolean): void {
    const lo = this.r64[2 * slot]!;
    const hi = this.r64[2 * slot + 1]!;
    let base = lo & ~3;
    if ((lo & 3) === 1 && interrupt) {
      const t = (base >>> 0) + 4 * cause;
      this.pcLo = t | 0;
      this.pcHi = (hi + (t > 0xffffffff ? 1 : 0)) | 0;
      return;
    }
    this.pcLo = base;
    this.pcHi = hi;
  }

  /** MRET (machine.adoc "Trap-Return Instructions"). Returns false if illegal here. */
  mret(): void {
    const s = this.mstatus;
    const mpp = ((s >>> MS.MPP_SHIFT) & 3) as Priv;
    let n = s;
    n = (n & ~MS.MIE) | ((n & MS.MPIE) !== 0 ? MS.MIE : 0);
    n |= MS.MPIE;
    n &= ~MS.MPP; // MPP set to the least-privileged supported mode (U)
    if (mpp !== Priv.M) n &= ~MS.MPRV; // "If xPP != M, xRET also sets MPRV=0"
    this.mstatus = n;
    this.priv = mpp;
    this.pcLo = this.r64[2 * R64.mepc]!;
    this.pcHi = this.r64[2 * R64.mepc + 1]!;
    this.afterReturn();
  }

  /** SRET (supervisor.adoc "Supervisor Status Register"; machine.adoc "Trap-Return Instructions"). */
  sret(): void {
    const s = this.mstatus;
    const spp = (s & MS.SPP) !== 0 ? Priv.S : Priv.U;
    let n = s;
    n = (n & ~MS.SIE) | ((n & MS.SPIE) !== 0 ? MS.SIE : 0);
    n |= MS.SPIE;
    n &= ~MS.SPP;
    n &= ~MS.MPRV; // SPP is never M, so SRET always clears MPRV
    this.mstatus = n;
    this.priv = spp;
    this.pcLo = this.r64[2 * R64.sepc]!;
    this.pcHi = this.r64[2 * R64.sepc + 1]!;
    this.afterReturn();
  }

  private afterReturn(): void {
    this.resValid = false;
    this.nextInterruptCheck = 0;
  }

  setR64(slot: R64, lo: number, hi: number): void {
    this.r64[2 * slot] = lo;
    this.r64[2 * slot + 1] = hi;
  }

  // ---------------------------------------------------------------- interrupts

  /** mip as software reads it: software bits OR the platform's interrupt lines. */
  mip(): number {
    let ip = this.mipSw;
    if (this.clint.msip(0)) ip |= IP.MSIP;
    if (this.clint.mtip(0)) ip |= IP.MTIP;
    if (this.plic.meip()) ip |= IP.MEIP;
    if (this.plic.seip()) ip |= IP.SEIP;
    if (this.stce()) {
      // sstc.adoc: with STCE=1, STIP reflects stimecmp <= time and is read-only.
      ip &= ~IP.STIP;
      if (this.stimecmpReached()) ip |= IP.STIP;
    }
    return ip;
  }

  stce(): boolean {
    return this.config.hart.sstc && (this.menvcfgHi & (1 << 31)) !== 0;
  }

  private stimecmpReached(): boolean {
    const lo = this.r64[2 * R64.stimecmp]! >>> 0;
    const hi = this.r64[2 * R64.stimecmp + 1]! >>> 0;
    return this.clock.mtime() >= hi * 4294967296 + lo;
  }

  /**
   * The highest-priority interrupt that is pending, enabled and allowed at the current
   * privilege, or -1 (machine.adoc "Machine Interrupt Registers": M-level interrupts are
   * enabled when priv < M or MIE=1; S-level (delegated) when priv < S, or priv = S and SIE=1).
   */
  pendingInterrupt(): number {
    const pending = this.mip() & this.mie;
    if (pending === 0) return -1;
    const mEnabled = this.priv !== Priv.M || (this.mstatus & MS.MIE) !== 0;
    const sEnabled = this.priv === Priv.U || (this.priv === Priv.S && (this.mstatus & MS.SIE) !== 0);
    const toM = pending & ~this.mideleg;
    const toS = pending & this.mideleg;
    // Interrupts to M-mode take priority over any interrupts to lower privilege modes.
    if (mEnabled && toM !== 0) return pickByPriority(toM);
    if (sEnabled && this.priv !== Priv.M && toS !== 0) return pickByPriority(toS);
    return -1;
  }

  /**
   * Called at instruction (interpreter) or block (translator) boundaries when
   * clock.cycles >= nextInterruptCheck. Takes an interrupt if one is due; otherwise schedules
   * the next check at the next timer deadline. Returns true if a trap was taken.
   */
  checkInterrupts(): boolean {
    const irq = this.pendingInterrupt();
    if (irq >= 0) {
      this.takeTrap(irq, true, 0, 0);
      return true;
    }
    this.nextInterruptCheck = this.nextTimerCycle();
    return false;
  }

  /**
   * The cycle at which a timer comparator that has not fired yet will fire (mtimecmp, and
   * stimecmp under Sstc); Infinity if none will. A comparator that has already fired needs no
   * schedule: its pending bit is set, and anything that could make it deliverable (a CSR write,
   * a privilege change, a device write) resets nextInterruptCheck to 0.
   */
  nextTimerCycle(onlyEnabled = false): number {
    let t = Infinity;
    const now = this.clock.mtime();
    if (!onlyEnabled || (this.mie & IP.MTIP) !== 0) {
      const cmp = this.clint.mtimecmp(0);
      if (cmp > now) t = this.clock.cycleWhenMtimeReaches(cmp);
    }
    if (this.stce() && (!onlyEnabled || (this.mie & IP.STIP) !== 0)) {
      const cmp = (this.r64[2 * R64.stimecmp + 1]! >>> 0) * 4294967296 + (this.r64[2 * R64.stimecmp]! >>> 0);
      if (cmp > now) t = Math.min(t, this.clock.cycleWhenMtimeReaches(cmp));
    }
    return t;
  }

  /**
   * WFI (machine.adoc "Wait for Interrupt"): resume when any interrupt is pending and locally
   * enabled in mie, whatever the global enables and delegation. The wait skips simulated time to
   * the next deadline of an enabled timer. Returns false if nothing can ever wake the hart
   * (no other agent on this platform raises an interrupt while the hart sleeps).
   */
  waitForInterrupt(): boolean {
    if ((this.mip() & this.mie) !== 0) return true;
    const next = this.nextTimerCycle(true);
    if (!Number.isFinite(next)) return false;
    if (next > this.clock.cycles) this.clock.cycles = next;
    return (this.mip() & this.mie) !== 0;
  }
}

function pickByPriority(bits: number): number {
  for (const irq of INTERRUPT_PRIORITY) if ((bits & (1 << irq)) !== 0) return irq;
  return -1;
}

export const INTERRUPT_MASKS = { S_INTERRUPTS, M_INTERRUPTS };
export { Cause };
