import { Priv } from '../mmu/access.js';
import { Csr, VS_SUBSTITUTE } from './csr-addr.js';
import { isHCsr } from './csr-h.js';
import { HS, MS, type Hart } from './hart.js';
import { stce, vstce } from './interrupts.js';

/**
 * Which CSRs exist and who may access them (zicsr.adoc; machine.adoc "CSR Address Mapping
 * Conventions"; hypervisor.adoc "Hypervisor and Virtual Supervisor CSRs", "Virtual
 * Instruction Exception"; sstc.adoc). The S -> VS substitution of V=1 is resolved here and only
 * here (resolveCsr), so the rest of the CSR file never asks whether the hart is virtualized.
 */

export const enum CsrCheck {
  Ok = 0,
  Illegal = 1,
  /** hypervisor.adoc: a virtual-instruction exception (cause 22). */
  Virtual = 2,
}

/** The CSR an access really reaches: with V=1 an S-level CSR number reaches its VS CSR (norm:H_vscsrs_sub). */
export function resolveCsr(h: Hart, csr: number): number {
  if (!h.virt) return csr;
  return VS_SUBSTITUTE.get(csr) ?? csr;
}

export function csrExists(h: Hart, csr: number): boolean {
  switch (csr) {
    case Csr.sstatus: case Csr.sie: case Csr.stvec: case Csr.scounteren: case Csr.senvcfg:
    case Csr.sscratch: case Csr.sepc: case Csr.scause: case Csr.stval: case Csr.sip: case Csr.satp:
    case Csr.mvendorid: case Csr.marchid: case Csr.mimpid: case Csr.mhartid: case Csr.mconfigptr:
    case Csr.mstatus: case Csr.misa: case Csr.medeleg: case Csr.mideleg: case Csr.mie: case Csr.mtvec:
    case Csr.mcounteren: case Csr.menvcfg: case Csr.mcountinhibit:
    case Csr.mscratch: case Csr.mepc: case Csr.mcause: case Csr.mtval: case Csr.mip:
    case Csr.mcycle: case Csr.minstret:
      return true;
    case Csr.stimecmp:
      return h.config.hart.sstc;
    case Csr.vstimecmp:
      return h.config.hart.sstc && h.hasH;
  }
  if (isHCsr(csr)) return h.hasH; // vstimecmp was decided above (it needs Sstc too)
  if (csr >= Csr.cycle && csr <= Csr.hpmcounter31) return true;
  if (csr >= Csr.mhpmcounter3 && csr <= Csr.mhpmcounter31) return true;
  if (csr >= Csr.mhpmevent3 && csr <= Csr.mhpmevent31) return true;
  // PMP: on RV64 only the even pmpcfg registers exist (machine.adoc "Physical Memory Protection CSRs").
  if (csr >= Csr.pmpcfg0 && csr <= Csr.pmpcfg15) return (csr & 1) === 0;
  if (csr >= Csr.pmpaddr0 && csr <= Csr.pmpaddr63) return true;
  return false;
}

function isCounter(csr: number): boolean {
  return csr >= Csr.cycle && csr <= Csr.hpmcounter31;
}

/**
 * The check of an access made in HS-mode or U-mode (V=0). With `ignoreTvm` it answers the
 * hypervisor chapter's "would the same access be allowed in HS-mode, assuming mstatus.TVM=0"
 * (an access is then HS-qualified).
 */
function checkV0(h: Hart, csr: number, write: boolean, priv: Priv, ignoreTvm: boolean): CsrCheck {
  const level = (csr >>> 8) & 3; // 0 user, 1 supervisor, 2 hypervisor/VS, 3 machine
  if (priv === Priv.U ? level !== 0 : level > 2) return CsrCheck.Illegal;
  if (write && csr >>> 10 === 3) return CsrCheck.Illegal;
  const tvm = !ignoreTvm && (h.mstatus & MS.TVM) !== 0;
  // machine.adoc "Virtualization Support in mstatus"; hypervisor.adoc norm:hgatp_tvm_illegal.
  if (tvm && priv === Priv.S && (csr === Csr.satp || csr === Csr.hgatp)) return CsrCheck.Illegal;
  if (isCounter(csr)) {
    const bit = 1 << (csr - Csr.cycle);
    if ((h.mcounteren & bit) === 0) return CsrCheck.Illegal;
    if (priv === Priv.U && (h.scounteren & bit) === 0) return CsrCheck.Illegal;
  }
  // sstc.adoc / machine.adoc: stimecmp and vstimecmp below M need menvcfg.STCE and mcounteren.TM.
  if ((csr === Csr.stimecmp || csr === Csr.vstimecmp) && (!stce(h) || (h.mcounteren & 2) === 0)) return CsrCheck.Illegal;
  return CsrCheck.Ok;
}

/**
 * Access check for a CSR instruction on CSR number `csr` as written in the instruction.
 * Illegal for nonexistent CSRs, insufficient privilege, writes to read-only CSRs and the
 * TVM/counter/Sstc rules; Virtual where hypervisor.adoc "Virtual Instruction Exception" lists
 * an HS-qualified access prevented only by V=1.
 */
export function csrCheck(h: Hart, csr: number, write: boolean): CsrCheck {
  if (!csrExists(h, csr)) return CsrCheck.Illegal;
  if (h.priv === Priv.M) return write && csr >>> 10 === 3 ? CsrCheck.Illegal : CsrCheck.Ok;
  if (!h.virt) return checkV0(h, csr, write, h.priv, false);

  // V = 1. Anything HS-mode could not do either is an illegal instruction (M CSRs, writes to
  // read-only CSRs, counters disabled by mcounteren, Sstc off in menvcfg).
  const level = (csr >>> 8) & 3;
  if (checkV0(h, csr, write, Priv.S, true) !== CsrCheck.Ok) return CsrCheck.Illegal;
  // norm:H_vscsrs_acc_vs / H_virtinst_vu_vs_nonhigh_allowedhs_tvm0: hypervisor and VS CSRs.
  if (level === 2) return CsrCheck.Virtual;
  // norm:H_virtinst_vu_nonhigh_supervisor_allowedhs_tvm0: supervisor CSRs from VU-mode.
  if (level === 1 && h.priv === Priv.U) return CsrCheck.Virtual;
  if (isCounter(csr)) {
    // hypervisor.adoc "hcounteren": cleared bits make counters a virtual-instruction exception
    // in VS/VU (mcounteren is 1 here, checked above); in VU scounteren too.
    const bit = 1 << (csr - Csr.cycle);
    if ((h.hcounteren & bit) === 0) return CsrCheck.Virtual;
    if (h.priv === Priv.U && (h.scounteren & bit) === 0) return CsrCheck.Virtual;
  }
  // norm:H_virtinst_vs_sfence_sinval_satp_vtvm1: satp (really vsatp) with hstatus.VTVM.
  if (csr === Csr.satp && (h.hstatus & HS.VTVM) !== 0) return CsrCheck.Virtual;
  // hypervisor.adoc "henvcfg" STCE and "hcounteren" TM: stimecmp (really vstimecmp) in VS-mode.
  if (csr === Csr.stimecmp && (!vstce(h) || (h.hcounteren & 2) === 0)) return CsrCheck.Virtual;
  return CsrCheck.Ok;
}
