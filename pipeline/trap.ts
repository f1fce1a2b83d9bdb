import { Interrupt } from '../common/causes.js';
import { Priv } from '../mmu/access.js';
import { HS, MS, R64, type Hart } from './hart.js';
import { hartTraceProbe } from './trace-probe.js';

/**
 * Trap entry and return (machine.adoc "Machine Trap Delegation Registers", "Trap-Return
 * Instructions"; supervisor.adoc "Supervisor Trap Handling"; hypervisor.adoc "Trap Entry",
 * "Trap Return").
 */

/** Which mode a trap goes to. */
export const enum Target {
  M = 0,
  HS = 1,
  VS = 2,
}

/**
 * hypervisor.adoc "Trap Entry": a trap goes to M-mode unless delegated by medeleg/mideleg, then
 * to HS-mode unless it occurred with V=1 and hedeleg/hideleg delegates it further to VS-mode.
 * A trap never goes to a less-privileged mode than the one it occurred in.
 */
export function trapTarget(h: Hart, cause: number, interrupt: boolean): Target {
  if (h.priv === Priv.M) return Target.M;
  const bit = cause < 32 ? 1 << cause : 0;
  if (((interrupt ? h.mideleg : h.medeleg) & bit) === 0) return Target.M;
  if (h.virt && ((interrupt ? h.hideleg : h.hedeleg) & bit) !== 0) return Target.VS;
  return Target.HS;
}

/**
 * hypervisor.adoc norm:hideleg_trans: a VS-level interrupt delivered to VS-mode is reported as
 * the corresponding supervisor interrupt (VSSI 2 -> 1, VSTI 6 -> 5, VSEI 10 -> 9).
 */
function vsInterruptCode(cause: number): number {
  return cause === Interrupt.VSSI || cause === Interrupt.VSTI || cause === Interrupt.VSEI ? cause - 1 : cause;
}

/**
 * Take a synchronous exception or an interrupt. The extra information of h.trapGva,
 * h.trapGpa*, h.trapTinst (set by the caller for memory faults) is consumed here.
 */
export function takeTrap(h: Hart, cause: number, interrupt: boolean, tvalLo: number, tvalHi: number): void {
  const fromCtx = h.fetchCtx();
  const epcLo = h.pcLo;
  const epcHi = h.pcHi;
  if (interrupt) h.interrupts++;
  else h.exceptions++;
  const causeHi = interrupt ? 1 << 31 : 0;
  const target = trapTarget(h, cause, interrupt);
  h.trapsTo[target]!++;
  // On an interrupt the trap-instruction register is always zero (norm:H_trap_xtinst_interrupt).
  const gva = !interrupt && h.trapGva;
  const gpaLo = interrupt ? 0 : h.trapGpaLo;
  const gpaHi = interrupt ? 0 : h.trapGpaHi;
  const tinst = interrupt ? 0 : h.trapTinst;
  h.trapGva = false;
  h.trapGpaLo = h.trapGpaHi = h.trapTinst = 0;

  if (target === Target.VS) {
    // hypervisor.adoc "Trap Entry": into VS-mode, vsstatus.SPP/SPIE/SIE and vsepc, vscause,
    // vstval are written; hstatus and the HS-level sstatus are not; V stays 1.
    const code = interrupt ? vsInterruptCode(cause) : cause;
    h.setR64(R64.vscause, code, causeHi);
    h.setR64(R64.vsepc, h.pcLo, h.pcHi);
    h.setR64(R64.vstval, tvalLo, tvalHi);
    h.vsstatus = pushStatus(h.vsstatus, MS.SIE, MS.SPIE, MS.SPP, h.priv === Priv.S ? MS.SPP : 0);
    h.priv = Priv.S;
    jumpToVector(h, R64.vstvec, code, interrupt);
  } else if (target === Target.HS) {
    h.setR64(R64.scause, cause, causeHi);
    h.setR64(R64.sepc, h.pcLo, h.pcHi);
    h.setR64(R64.stval, tvalLo, tvalHi);
    h.mstatus = pushStatus(h.mstatus, MS.SIE, MS.SPIE, MS.SPP, h.priv === Priv.S ? MS.SPP : 0);
    if (h.hasH) {
      // hstatus.SPV = V; SPVP = nominal privilege only if V was 1; GVA; htval; htinst.
      let hs = h.hstatus & ~(HS.SPV | HS.GVA);
      if (h.virt) hs = (hs & ~HS.SPVP) | HS.SPV | (h.priv === Priv.S ? HS.SPVP : 0);
      if (gva) hs |= HS.GVA;
      h.hstatus = hs;
      h.setR64(R64.htval, gpaLo, gpaHi);
      h.setR64(R64.htinst, tinst, 0);
    }
    h.priv = Priv.S;
    h.virt = false;
    jumpToVector(h, R64.stvec, cause, interrupt);
  } else {
    h.setR64(R64.mcause, cause, causeHi);
    h.setR64(R64.mepc, h.pcLo, h.pcHi);
    h.setR64(R64.mtval, tvalLo, tvalHi);
    let s = pushStatus(h.mstatus, MS.MIE, MS.MPIE, 0, 0);
    s = (s & ~MS.MPP) | (h.priv << MS.MPP_SHIFT);
    h.mstatus = s;
    if (h.hasH) {
      h.mpv = h.virt;
      h.mgva = gva;
      h.setR64(R64.mtval2, gpaLo, gpaHi);
      h.setR64(R64.mtinst, tinst, 0);
    }
    h.priv = Priv.M;
    h.virt = false;
    jumpToVector(h, R64.mtvec, cause, interrupt);
  }
  // machine.adoc: a trap may clear the LR reservation; QEMU does.
  h.resValid = false;
  h.nextInterruptCheck = 0;
  const probe = hartTraceProbe(h);
  if (probe !== undefined) probe.trap(cause, interrupt, epcLo, epcHi, tvalLo, tvalHi, fromCtx, h.fetchCtx());
}

/** xPIE = xIE, xIE = 0, and (for S/VS) xPP = the previous nominal privilege. */
function pushStatus(status: number, ie: number, pie: number, pp: number, ppValue: number): number {
  let s = (status & ~pie) | ((status & ie) !== 0 ? pie : 0);
  s &= ~ie;
  if (pp !== 0) s = (s & ~pp) | ppValue;
  return s;
}

/** xtvec MODE 1 (Vectored): interrupts jump to BASE + 4*cause; exceptions to BASE. */
function jumpToVector(h: Hart, slot: R64, cause: number, interrupt: boolean): void {
  const lo = h.r64[2 * slot]!;
  const hi = h.r64[2 * slot + 1]!;
  const base = lo & ~3;
  if ((lo & 3) === 1 && interrupt) {
    const t = (base >>> 0) + 4 * cause;
    h.pcLo = t | 0;
    h.pcHi = (hi + (t > 0xffffffff ? 1 : 0)) | 0;
    return;
  }
  h.pcLo = base;
  h.pcHi = hi;
}

/**
 * MRET (machine.adoc "Trap-Return Instructions"; hypervisor.adoc "Trap Return"): privilege from
 * MPP and V from MPV (unless MPP=M); MIE=MPIE, MPIE=1, MPP=U, MPV=0; MPRV cleared when
 * returning below M.
 */
export function mret(h: Hart): void {
  const fromCtx = h.fetchCtx();
  const pcLo = h.pcLo;
  const pcHi = h.pcHi;
  const s = h.mstatus;
  const mpp = ((s >>> MS.MPP_SHIFT) & 3) as Priv;
  let n = (s & ~MS.MIE) | ((s & MS.MPIE) !== 0 ? MS.MIE : 0);
  n |= MS.MPIE;
  n &= ~MS.MPP;
  if (mpp !== Priv.M) n &= ~MS.MPRV;
  h.mstatus = n;
  h.virt = mpp !== Priv.M && h.mpv;
  h.mpv = false;
  h.priv = mpp;
  h.pcLo = h.r64[2 * R64.mepc]!;
  h.pcHi = h.r64[2 * R64.mepc + 1]!;
  afterReturn(h, 'mret', pcLo, pcHi, fromCtx);
}

/**
 * SRET. With V=0 (HS-mode or M-mode): privilege from sstatus.SPP and V from hstatus.SPV, then
 * SPV=0, SPP=U, SIE=SPIE, SPIE=1, MPRV=0. With V=1 (VS-mode): the same on vsstatus, V stays 1.
 */
export function sret(h: Hart): void {
  const fromCtx = h.fetchCtx();
  const pcLo = h.pcLo;
  const pcHi = h.pcHi;
  if (h.virt) {
    const s = h.vsstatus;
    const spp = (s & MS.SPP) !== 0 ? Priv.S : Priv.U;
    h.vsstatus = ((s & ~(MS.SIE | MS.SPP)) | ((s & MS.SPIE) !== 0 ? MS.SIE : 0)) | MS.SPIE;
    h.priv = spp;
    h.pcLo = h.r64[2 * R64.vsepc]!;
    h.pcHi = h.r64[2 * R64.vsepc + 1]!;
    afterReturn(h, 'sret', pcLo, pcHi, fromCtx);
    return;
  }
  const s = h.mstatus;
  const spp = (s & MS.SPP) !== 0 ? Priv.S : Priv.U;
  let n = (s & ~(MS.SIE | MS.SPP)) | ((s & MS.SPIE) !== 0 ? MS.SIE : 0);
  n |= MS.SPIE;
  n &= ~MS.MPRV; // SPP is never M, so SRET always clears MPRV
  h.mstatus = n;
  if (h.hasH) {
    h.virt = (h.hstatus & HS.SPV) !== 0;
    h.hstatus &= ~HS.SPV;
  }
  h.priv = spp;
  h.pcLo = h.r64[2 * R64.sepc]!;
  h.pcHi = h.r64[2 * R64.sepc + 1]!;
  afterReturn(h, 'sret', pcLo, pcHi, fromCtx);
}

/** pcLo/pcHi: the xRET's own pc; fromCtx: the context it executed in (for a trace probe). */
function afterReturn(h: Hart, insn: 'mret' | 'sret', pcLo: number, pcHi: number, fromCtx: number): void {
  h.resValid = false;
  h.nextInterruptCheck = 0;
  const probe = hartTraceProbe(h);
  if (probe !== undefined) probe.xret(insn, pcLo, pcHi, fromCtx, h.fetchCtx());
}
