import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1 } from './test-support/asm.js';
import { CODE, DATA, TestHart } from './test-support/harness.js';
import { ENVCFG, HS, IP, MS, hypHart, startVirt } from './test-support/hyp.js';

/**
 * The virtual-instruction exception (cause 22) and where the illegal-instruction exception must
 * win instead (hypervisor.adoc "Trap Cause Codes", norm:H_cause_virtual_instruction: an
 * HS-qualified instruction prevented only by V=1 raises a virtual-instruction exception;
 * anything HS-mode could not do either, assuming mstatus.TSR=TVM=0, is illegal).
 */

type Mode = 'HS' | 'U' | 'VS' | 'VU' | 'M';
type Outcome = 'ok' | 'illegal' | 'virtual';

/**
 * Run one instruction in `mode` followed by the finisher; which exception it raised (none:
 * 'ok'). Traps go to M; the trap value must be the instruction bits for both exceptions
 * (norm:H_virtinst_xtval).
 */
function outcome(t: TestHart, mode: Mode, insn: number): Outcome {
  t.code(CODE, (a) => a.emit(insn, A.exitSeq()));
  const priv = mode === 'HS' || mode === 'VS' ? Priv.S : mode === 'M' ? Priv.M : Priv.U;
  if (mode === 'VS' || mode === 'VU') startVirt(t, CODE, priv as Priv.S | Priv.U);
  else t.start(CODE, priv);
  const r = t.runSteps(200);
  if (r.reason === 'deadlock') return 'ok';
  expect(r.reason).toBe('exit');
  if (t.m.hart.exceptions === 0) return 'ok';
  const cause = t.csr('mcause');
  expect([2n, 22n], `mcause ${cause}`).toContain(cause);
  expect(t.csr('mtval')).toBe(BigInt(insn));
  expect(t.csr('mepc')).toBe(CODE);
  return cause === 22n ? 'virtual' : 'illegal';
}

/** The outcome in each mode, each on a fresh hart prepared by `setup`. */
function outcomes(insn: number, modes: Mode[], setup: (t: TestHart) => void = () => {}): Record<string, Outcome> {
  const r: Record<string, Outcome> = {};
  for (const m of modes) {
    const t = hypHart();
    setup(t);
    r[m] = outcome(t, m, insn);
  }
  return r;
}

const H_CSRS: A.CsrName[] = ['hstatus', 'hedeleg', 'hideleg', 'hie', 'htimedelta', 'hcounteren', 'hgeie', 'henvcfg', 'htval', 'hip', 'hvip',
  'htinst', 'hgatp', 'hgeip'];
const VS_CSRS: A.CsrName[] = ['vsstatus', 'vsie', 'vstvec', 'vsscratch', 'vsepc', 'vscause', 'vstval', 'vsip', 'vsatp'];

describe('hypervisor and VS CSRs (norm:H_virtinst_vu_vs_nonhigh_allowedhs_tvm0, norm:H_vscsrs_acc_vs, norm:H_vscsrs_acc_u)', () => {
  for (const name of [...H_CSRS, ...VS_CSRS]) {
    it(`reading ${name} is fine in HS and M, a virtual instruction in VS and VU, illegal in U (norm:H_virtinst_vu_vs_nonhigh_allowedhs_tvm0, norm:H_vscsrs_acc_u)`, () => {
      expect(outcomes(A.csrr(a0, CSR[name]), ['M', 'HS', 'VS', 'VU', 'U'])).toEqual({ M: 'ok', HS: 'ok', VS: 'virtual', VU: 'virtual', U: 'illegal' });
    });
  }

  it('writing a hypervisor CSR (hstatus, vsscratch) from VS is a virtual instruction (norm:H_virtinst_vu_vs_nonhigh_allowedhs_tvm0)', () => {
    expect(outcomes(A.csrw(CSR.hstatus, 0), ['VS', 'VU'])).toEqual({ VS: 'virtual', VU: 'virtual' });
    expect(outcomes(A.csrw(CSR.vsscratch, a0), ['VS'])).toEqual({ VS: 'virtual' });
  });

  it('writing the read-only hgeip is illegal everywhere, also in VS/VU (not allowed in HS either) (norm:H_cause_virtual_instruction: not HS-qualified)', () => {
    expect(outcomes(A.csrw(CSR.hgeip, a0), ['M', 'HS', 'VS', 'VU'])).toEqual({ M: 'illegal', HS: 'illegal', VS: 'illegal', VU: 'illegal' });
  });

  it('vstimecmp by its own number: a virtual instruction in VS when HS could access it (menvcfg.STCE, mcounteren.TM), else illegal (norm:H_virtinst_vu_vs_nonhigh_allowedhs_tvm0; machine.adoc norm:menvcfg_stce_op2)', () => {
    const on = (t: TestHart) => {
      t.setCsr('menvcfg', ENVCFG.STCE);
      t.setCsr('mcounteren', 2n);
    };
    expect(outcomes(A.csrr(a0, CSR.vstimecmp), ['HS', 'VS'], on)).toEqual({ HS: 'ok', VS: 'virtual' });
    expect(outcomes(A.csrr(a0, CSR.vstimecmp), ['HS', 'VS'])).toEqual({ HS: 'illegal', VS: 'illegal' });
  });

  it('hgatp with mstatus.TVM=1: illegal in HS (norm:hgatp_tvm_illegal) but virtual in VS, where TVM is assumed 0 for HS-qualification', () => {
    const tvm = (t: TestHart) => t.setCsr('mstatus', MS.TVM);
    expect(outcomes(A.csrr(a0, CSR.hgatp), ['HS', 'VS', 'M'], tvm)).toEqual({ HS: 'illegal', VS: 'virtual', M: 'ok' });
  });

  it('mstatus.TVM=1 has no effect on vsatp in HS-mode (norm:mstatus_tvm_hs)', () => {
    expect(outcomes(A.csrr(a0, CSR.vsatp), ['HS'], (t) => t.setCsr('mstatus', MS.TVM))).toEqual({ HS: 'ok' });
  });

  it('a nonexistent hypervisor-level CSR number (0x6ff) is illegal from VS, not virtual (norm:H_virtinst_vu_vs_nonhigh_allowedhs_tvm0: "an implemented ... CSR")', () => {
    expect(outcomes(A.csrr(a0, 0x6ff), ['HS', 'VS'])).toEqual({ HS: 'illegal', VS: 'illegal' });
  });
});

describe('machine and supervisor CSRs with V=1 (hypervisor.adoc norm:H_cause_virtual_instruction)', () => {
  it('M-level CSRs (mstatus, mscratch, mtval2, mtinst) are illegal from VS and VU: HS could not access them either (norm:H_cause_virtual_instruction)', () => {
    for (const name of ['mstatus', 'mscratch', 'mtval2', 'mtinst'] as const) {
      expect(outcomes(A.csrr(a0, CSR[name]), ['VS', 'VU', 'M']), name).toEqual({ VS: 'illegal', VU: 'illegal', M: 'ok' });
    }
  });

  it('S-level CSRs from VU-mode are a virtual instruction (norm:H_virtinst_vu_nonhigh_supervisor_allowedhs_tvm0); from U-mode illegal', () => {
    for (const name of ['sstatus', 'sscratch', 'sepc', 'sip', 'satp', 'scounteren', 'senvcfg'] as const) {
      expect(outcomes(A.csrr(a0, CSR[name]), ['VS', 'VU', 'U']), name).toEqual({ VS: 'ok', VU: 'virtual', U: 'illegal' });
    }
  });

  it('a nonexistent S-level CSR number (0x1ff) is illegal from VU, not virtual (not HS-qualified) (norm:H_virtinst_vu_nonhigh_supervisor_allowedhs_tvm0)', () => {
    expect(outcomes(A.csrr(a0, 0x1ff), ['VU', 'VS'])).toEqual({ VU: 'illegal', VS: 'illegal' });
  });

  it('satp in VS-mode with hstatus.VTVM=1 is a virtual instruction (norm:H_virtinst_vs_sfence_sinval_satp_vtvm1); mstatus.TVM does not affect VS (norm:mstatus_modes)', () => {
    expect(outcomes(A.csrr(a0, CSR.satp), ['VS', 'HS'], (t) => t.setCsr('hstatus', HS.VTVM))).toEqual({ VS: 'virtual', HS: 'ok' });
    expect(outcomes(A.csrr(a0, CSR.satp), ['VS', 'HS'], (t) => t.setCsr('mstatus', MS.TVM))).toEqual({ VS: 'ok', HS: 'illegal' });
  });

  it('stimecmp in VS-mode: virtual with henvcfg.STCE=0 or hcounteren.TM=0, allowed with both; illegal when menvcfg.STCE=0 or mcounteren.TM=0 (norm:henvcfg_stce, norm:hcounteren_acc)', () => {
    const env = (menv: boolean, mtm: boolean, henv: boolean, htm: boolean) => (t: TestHart) => {
      t.setCsr('menvcfg', menv ? ENVCFG.STCE : 0n);
      t.setCsr('mcounteren', mtm ? 2n : 0n);
      t.setCsr('henvcfg', henv ? ENVCFG.STCE : 0n);
      t.setCsr('hcounteren', htm ? 2n : 0n);
    };
    const insn = A.csrr(a0, CSR.stimecmp);
    expect(outcomes(insn, ['VS'], env(true, true, true, true))).toEqual({ VS: 'ok' });
    expect(outcomes(insn, ['VS'], env(true, true, false, true))).toEqual({ VS: 'virtual' });
    expect(outcomes(insn, ['VS'], env(true, true, true, false))).toEqual({ VS: 'virtual' });
    expect(outcomes(insn, ['VS', 'HS'], env(false, true, true, true))).toEqual({ VS: 'illegal', HS: 'illegal' });
    expect(outcomes(insn, ['VS', 'HS'], env(true, false, true, true))).toEqual({ VS: 'illegal', HS: 'illegal' });
    expect(outcomes(insn, ['VU'], env(true, true, true, true))).toEqual({ VU: 'virtual' });
  });
});

describe('counters with V=1 (hypervisor.adoc norm:hcounteren_op, norm:H_virtinst_vs_nonhighctr_h0_m1, norm:H_virtinst_vu_nonhighctr_h0_s0_m1)', () => {
  const en = (m: bigint, h: bigint, s: bigint) => (t: TestHart) => {
    t.setCsr('mcounteren', m);
    t.setCsr('hcounteren', h);
    t.setCsr('scounteren', s);
  };
  for (const [name, b] of [['cycle', 1n], ['time', 2n], ['instret', 4n], ['hpmcounter3', 8n], ['hpmcounter31', 1n << 31n]] as const) {
    it(`${name}: hcounteren bit clear with mcounteren set -> virtual in VS and VU; mcounteren clear -> illegal; all set -> allowed (norm:hcounteren_op)`, () => {
      const insn = A.csrr(a0, CSR[name]);
      expect(outcomes(insn, ['VS', 'VU', 'HS'], en(b, 0n, b))).toEqual({ VS: 'virtual', VU: 'virtual', HS: 'ok' });
      expect(outcomes(insn, ['VS', 'VU'], en(0n, b, b))).toEqual({ VS: 'illegal', VU: 'illegal' });
      expect(outcomes(insn, ['VS', 'VU'], en(b, b, b))).toEqual({ VS: 'ok', VU: 'ok' });
    });
  }

  it('in VU-mode a counter also needs scounteren: hcounteren set, scounteren clear -> virtual; VS ignores scounteren (norm:H_virtinst_vu_nonhighctr_h0_s0_m1)', () => {
    expect(outcomes(A.csrr(a0, CSR.cycle), ['VS', 'VU', 'U'], en(1n, 1n, 0n))).toEqual({ VS: 'ok', VU: 'virtual', U: 'illegal' });
  });
});

describe('hypervisor instructions with V=1 (norm:H_virtinst_vu_vs_hinst, norm:hlsv_virtinst, norm:hfence-vvma_hfence-gvma_exceptions)', () => {
  const insns: [string, number][] = [
    ['hlv.b', A.hlv_b(a0, a1)], ['hlv.d', A.hlv_d(a0, a1)], ['hlvx.hu', A.hlvx_hu(a0, a1)], ['hlvx.wu', A.hlvx_wu(a0, a1)],
    ['hsv.w', A.hsv_w(a0, a1)], ['hsv.d', A.hsv_d(a0, a1)], ['hfence.vvma', A.hfence_vvma()], ['hfence.gvma', A.hfence_gvma()],
    ['hinval.vvma', A.hinval_vvma()], ['hinval.gvma', A.hinval_gvma()],
  ];
  for (const [name, insn] of insns) {
    const access = name.startsWith('hlv') || name.startsWith('hsv');
    it(`${name} is a virtual instruction in VS and VU, illegal in U${access ? ' with hstatus.HU=0 (norm:hlsv_illegalinst), valid with HU=1' : ''}`, () => {
      const hu = (t: TestHart) => {
        t.setCsr('hstatus', HS.HU);
        t.setX(a1, DATA); // a valid address (vsatp and hgatp Bare)
      };
      expect(outcomes(insn, ['VS', 'VU', 'U'], hu)).toEqual({ VS: 'virtual', VU: 'virtual', U: access ? 'ok' : 'illegal' });
      expect(outcomes(insn, ['U'], (t) => t.setX(a1, DATA))).toEqual({ U: 'illegal' });
    });
  }
});

describe('SFENCE.VMA, SINVAL.VMA, SFENCE.W.INVAL, WFI, SRET, MRET with V=1 (hypervisor.adoc "Trap Cause Codes")', () => {
  it('SFENCE.VMA and SINVAL.VMA: virtual in VS with VTVM=1, allowed in VS with VTVM=0 even when mstatus.TVM=1; virtual in VU (norm:H_virtinst_vs_sfence_sinval_satp_vtvm1, norm:H_virtinst_vu_sret_sfence)', () => {
    for (const insn of [A.sfence_vma(), A.sinval_vma(a0, a1)]) {
      expect(outcomes(insn, ['VS', 'HS'], (t) => t.setCsr('hstatus', HS.VTVM))).toEqual({ VS: 'virtual', HS: 'ok' });
      expect(outcomes(insn, ['VS', 'HS'], (t) => t.setCsr('mstatus', MS.TVM))).toEqual({ VS: 'ok', HS: 'illegal' });
      expect(outcomes(insn, ['VU', 'U'])).toEqual({ VU: 'virtual', U: 'illegal' });
    }
  });

  it('SFENCE.W.INVAL and SFENCE.INVAL.IR: virtual in VU, allowed in VS whatever VTVM says (svinval.adoc)', () => {
    for (const insn of [A.sfence_w_inval(), A.sfence_inval_ir()]) {
      expect(outcomes(insn, ['VS', 'VU', 'U'], (t) => t.setCsr('hstatus', HS.VTVM))).toEqual({ VS: 'ok', VU: 'virtual', U: 'illegal' });
    }
  });

  /** A pending, locally enabled VS interrupt that VS-mode cannot take (SIE=0): WFI then completes at once. */
  const wakeable = (t: TestHart) => {
    t.setCsr('hideleg', IP.VSSIP);
    t.setCsr('hvip', IP.VSSIP);
    t.setCsr('hie', IP.VSSIP);
  };

  it('WFI: virtual in VS with VTW=1 and TW=0 (norm:H_virtinst_wfi_vtw1_tw0), allowed with VTW=0', () => {
    expect(outcomes(A.wfi(), ['VS'], (t) => { wakeable(t); t.setCsr('hstatus', HS.VTW); })).toEqual({ VS: 'virtual' });
    expect(outcomes(A.wfi(), ['VS', 'HS'], wakeable)).toEqual({ VS: 'ok', HS: 'ok' });
  });

  it('WFI: virtual in VU with TW=0 (norm:H_virtinst_vu_wfi_tw0); illegal in U', () => {
    expect(outcomes(A.wfi(), ['VU', 'U'])).toEqual({ VU: 'virtual', U: 'illegal' });
  });

  it('WFI with mstatus.TW=1 is illegal in every mode but M, VS with VTW=1 included (norm:mstatus_modes: "TW affects execution in all modes except M-mode")', () => {
    const tw = (t: TestHart) => { t.setCsr('mstatus', MS.TW); t.setCsr('hstatus', HS.VTW); };
    expect(outcomes(A.wfi(), ['VS', 'VU', 'HS', 'U', 'M'], tw)).toEqual({ VS: 'illegal', VU: 'illegal', HS: 'illegal', U: 'illegal', M: 'ok' });
  });

  it('SRET: virtual in VS with VTSR=1 (norm:H_virtinst_vs_sret_vtsr1) and in VU (norm:H_virtinst_vu_sret_sfence); mstatus.TSR=1 does not affect VS', () => {
    expect(outcomes(A.sret(), ['VS'], (t) => t.setCsr('hstatus', HS.VTSR))).toEqual({ VS: 'virtual' });
    expect(outcomes(A.sret(), ['VU', 'U'])).toEqual({ VU: 'virtual', U: 'illegal' });
    const tsr = (t: TestHart) => {
      t.setCsr('mstatus', MS.TSR);
      t.setCsr('vsepc', CODE + 4n); // SRET in VS returns to the finisher sequence
      t.setCsr('vsstatus', MS.SPP);
      t.setCsr('sepc', CODE + 4n);
      t.setCsr('hstatus', HS.SPV);
    };
    expect(outcomes(A.sret(), ['VS', 'HS'], tsr)).toEqual({ VS: 'ok', HS: 'illegal' });
  });

  it('MRET is illegal in VS and VU: it is not HS-qualified (norm:H_cause_virtual_instruction)', () => {
    expect(outcomes(A.mret(), ['VS', 'VU', 'HS'])).toEqual({ VS: 'illegal', VU: 'illegal', HS: 'illegal' });
  });

  it('a virtual-instruction exception delegated to HS writes the instruction bits to stval (norm:H_virtinst_xtval) with GVA=0', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 22n);
    t.setCsr('hstatus', HS.GVA);
    const insn = A.csrr(a0, CSR.hgatp);
    t.code(CODE, (a) => a.emit(insn));
    startVirt(t, CODE, Priv.U);
    expect(t.runSteps(50).reason).toBe('exit');
    expect(t.csr('scause')).toBe(22n);
    expect(t.csr('stval')).toBe(BigInt(insn));
    expect(t.csr('sepc')).toBe(CODE);
    expect(t.csr('hstatus') & (HS.GVA | HS.SPV | HS.SPVP)).toBe(HS.SPV);
  });
});

describe('without the H extension (config hart.h = false)', () => {
  it('HLV, HSV, HFENCE.* and HINVAL.* are illegal even in M-mode (hypervisor.adoc norm:H_cause: the instructions exist only with H)', () => {
    for (const insn of [A.hlv_d(a0, a1), A.hsv_w(a0, a1), A.hlvx_hu(a0, a1), A.hfence_vvma(), A.hfence_gvma(), A.hinval_vvma(), A.hinval_gvma()]) {
      const t = new TestHart({ hart: { h: false } });
      t.setX(a1, DATA);
      expect(outcome(t, 'M', insn)).toBe('illegal');
    }
  });

  it('mstatus.MPV and GVA are read-only zero and mideleg has no read-only ones (hypervisor.adoc "Machine Status Registers" apply only with H)', () => {
    const t = new TestHart({ hart: { h: false } });
    t.setCsr('mstatus', MS.MPV | MS.GVA);
    expect(t.csr('mstatus') & (MS.MPV | MS.GVA)).toBe(0n);
    t.setCsr('mideleg', 0n);
    expect(t.csr('mideleg')).toBe(0n);
    t.setCsr('mie', (1n << 64n) - 1n);
    expect(t.csr('mie') & (IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP)).toBe(0n);
  });
});
