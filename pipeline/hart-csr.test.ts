import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, t0 } from './test-support/asm.js';
import { CODE, TestHart } from './test-support/harness.js';

const SIE = 1n << 1n, MIE = 1n << 3n, SPIE = 1n << 5n, MPIE = 1n << 7n, SPP = 1n << 8n, MPP = 3n << 11n;
const MPRV = 1n << 17n, SUM = 1n << 18n, MXR = 1n << 19n, TVM = 1n << 20n, TW = 1n << 21n, TSR = 1n << 22n;
const ECALL_CAUSE: Record<number, bigint> = { [Priv.U]: 8n, [Priv.S]: 9n, [Priv.M]: 11n };

/**
 * Runs `words` then ECALL in `priv`; 'illegal' if an illegal-instruction exception was taken,
 * 'ok' if the ECALL was reached (or the hart waits in WFI).
 */
function outcome(t: TestHart, priv: Priv, ...words: (number | number[])[]): 'illegal' | 'ok' {
  t.code(CODE, (a) => a.emit(...words, A.ecall()));
  t.start(CODE, priv);
  const r = t.runSteps(500);
  if (r.reason === 'deadlock') return 'ok';
  expect(r.reason).toBe('exit');
  const cause = t.csr('mcause');
  if (cause === 2n) return 'illegal';
  expect(cause).toBe(ECALL_CAUSE[priv]);
  return 'ok';
}

describe('CSR access rules (zicsr.adoc; machine.adoc "CSR Address Mapping Conventions")', () => {
  it('the lowest privilege that may access a CSR is csr[9:8]: S-level CSRs are illegal from U, M-level ones from S', () => {
    expect(outcome(new TestHart(), Priv.U, A.csrr(a0, CSR.sstatus))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.U, A.csrr(a0, CSR.sscratch))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.S, A.csrr(a0, CSR.sscratch))).toBe('ok');
    expect(outcome(new TestHart(), Priv.S, A.csrr(a0, CSR.mscratch))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.S, A.csrr(a0, CSR.mstatus))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.csrr(a0, CSR.sscratch), A.csrr(a0, CSR.mscratch))).toBe('ok');
  });

  it('writing a read-only CSR (csr[11:10]=3) is illegal, reading it with CSRRS rs1=x0 is legal (zicsr.adoc "CSR Instructions")', () => {
    expect(outcome(new TestHart(), Priv.M, A.csrr(a0, CSR.mvendorid))).toBe('ok');
    expect(outcome(new TestHart(), Priv.M, A.csrrsi(a0, CSR.mhartid, 0), A.csrrci(a0, CSR.marchid, 0), A.csrrc(a0, CSR.mimpid, 0))).toBe('ok');
    expect(outcome(new TestHart(), Priv.M, A.csrw(CSR.mvendorid, a0))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.csrrwi(0, CSR.mhartid, 0))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.csrrsi(a0, CSR.mhartid, 1))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.csrr(a0, CSR.cycle))).toBe('ok');
    expect(outcome(new TestHart(), Priv.M, A.csrw(CSR.cycle, 0))).toBe('illegal');
  });

  it('CSRRS/CSRRC with rs1 != x0 attempt the write even when the register holds 0, so they are illegal on a read-only CSR (zicsr.adoc "CSR Instructions")', () => {
    const t = new TestHart();
    expect(outcome(t, Priv.M, A.addi(a1, 0, 0), A.csrrs(a0, CSR.mvendorid, a1))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.addi(a1, 0, 0), A.csrrc(a0, CSR.mvendorid, a1))).toBe('illegal');
  });

  it('CSRRS/CSRRC with rs1=x0 only read, and CSRRW with rd=x0 writes without reading into x0 (zicsr.adoc "CSR Instructions")', () => {
    const t = new TestHart();
    t.setCsr('mscratch', 0x55n);
    t.code(CODE, (a) => a.emit(A.csrrs(a0, CSR.mscratch, 0), A.csrrc(a1, CSR.mscratch, 0), A.li64(a2, 0x77n), A.csrrw(0, CSR.mscratch, a2)));
    t.step(4);
    expect([t.x(a0), t.x(a1), t.x(0), t.csr('mscratch')]).toEqual([0x55n, 0x55n, 0n, 0x77n]);
  });

  it('CSRRS/CSRRC set and clear the bits of rs1 and return the old value; the immediate forms use the 5-bit zimm', () => {
    const t = new TestHart();
    t.setCsr('mscratch', 0xf0n);
    t.code(CODE, (a) => a.emit(A.li64(a1, 0x0fn), A.csrrs(a0, CSR.mscratch, a1), A.csrrci(a2, CSR.mscratch, 0x11), A.csrrsi(t0, CSR.mscratch, 0)));
    t.step(4);
    expect([t.x(a0), t.x(a2), t.x(t0)]).toEqual([0xf0n, 0xffn, 0xeen]);
  });

  it('satp is illegal in S-mode when mstatus.TVM=1 (read or write), legal with TVM=0 and in M-mode (machine.adoc norm:mstatus_tvm_warl_op)', () => {
    const tvm = () => { const t = new TestHart(); t.setCsr('mstatus', TVM); return t; };
    expect(outcome(tvm(), Priv.S, A.csrr(a0, CSR.satp))).toBe('illegal');
    expect(outcome(tvm(), Priv.S, A.csrw(CSR.satp, 0))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.S, A.csrr(a0, CSR.satp), A.csrw(CSR.satp, 0))).toBe('ok');
    expect(outcome(tvm(), Priv.M, A.csrr(a0, CSR.satp), A.csrw(CSR.satp, 0))).toBe('ok');
  });

  it('SFENCE.VMA and SINVAL.VMA are illegal in S-mode with TVM=1 and in U-mode (machine.adoc norm:mstatus_tvm_warl_op; supervisor.adoc "Supervisor Memory-Management Fence Instruction")', () => {
    const tvm = () => { const t = new TestHart(); t.setCsr('mstatus', TVM); return t; };
    expect(outcome(tvm(), Priv.S, A.sfence_vma())).toBe('illegal');
    expect(outcome(tvm(), Priv.S, A.sinval_vma())).toBe('illegal');
    expect(outcome(new TestHart(), Priv.S, A.sfence_vma(), A.sinval_vma(a0, a1))).toBe('ok');
    expect(outcome(new TestHart(), Priv.U, A.sfence_vma())).toBe('illegal');
    expect(outcome(tvm(), Priv.M, A.sfence_vma())).toBe('ok');
  });

  it('SFENCE.W.INVAL and SFENCE.INVAL.IR are illegal in U-mode and unaffected by TVM (svinval.adoc)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', TVM);
    expect(outcome(t, Priv.S, A.sfence_w_inval(), A.sfence_inval_ir())).toBe('ok');
    expect(outcome(new TestHart(), Priv.U, A.sfence_w_inval())).toBe('illegal');
    expect(outcome(new TestHart(), Priv.U, A.sfence_inval_ir())).toBe('illegal');
  });

  it('the Svinval instructions are illegal when hart.svinval=false', () => {
    expect(outcome(new TestHart({ hart: { svinval: false } }), Priv.M, A.sinval_vma())).toBe('illegal');
    expect(outcome(new TestHart({ hart: { svinval: false } }), Priv.M, A.sfence_w_inval())).toBe('illegal');
  });

  it('WFI is illegal in U-mode (machine.adoc norm:mstatus_tw_umode_op) and in S-mode with TW=1 (norm:mstatus_tw_op), legal in S with TW=0 and in M with TW=1', () => {
    expect(outcome(new TestHart(), Priv.U, A.wfi())).toBe('illegal');
    const tw = () => { const t = new TestHart(); t.setCsr('mstatus', TW); return t; };
    expect(outcome(tw(), Priv.S, A.wfi())).toBe('illegal');
    // A pending, locally enabled interrupt that is masked (delegated SSI, SIE=0 in S) lets WFI complete.
    const s = new TestHart();
    s.setCsr('mideleg', 2n);
    s.setCsr('mie', 2n);
    s.setCsr('mip', 2n);
    expect(outcome(s, Priv.S, A.wfi())).toBe('ok');
    const m = tw();
    m.setCsr('mie', 2n);
    m.setCsr('mip', 2n);
    expect(outcome(m, Priv.M, A.wfi())).toBe('ok');
  });

  it('cycle, time, instret and hpmcounterN are gated by mcounteren from S and by mcounteren & scounteren from U (machine.adoc norm:mcounteren_clr_ill_inst_exc; supervisor.adoc norm:scounteren_op)', () => {
    const counters: [number, number][] = [[CSR.cycle, 0], [CSR.time, 1], [CSR.instret, 2], [CSR.hpmcounter3, 3], [CSR.hpmcounter31, 31]];
    for (const [csr, bit] of counters) {
      const name = `0x${csr.toString(16)}`;
      const with_ = (m: bigint, s: bigint) => { const t = new TestHart(); t.setCsr('mcounteren', m); t.setCsr('scounteren', s); return t; };
      const all = 0xffff_ffffn, only = 1n << BigInt(bit), others = all ^ only;
      expect(outcome(with_(others, all), Priv.S, A.csrr(a0, csr)), `${name} S, mcounteren bit clear`).toBe('illegal');
      expect(outcome(with_(only, 0n), Priv.S, A.csrr(a0, csr)), `${name} S, mcounteren bit set`).toBe('ok');
      expect(outcome(with_(only, 0n), Priv.U, A.csrr(a0, csr)), `${name} U, scounteren bit clear`).toBe('illegal');
      expect(outcome(with_(others, all), Priv.U, A.csrr(a0, csr)), `${name} U, mcounteren bit clear`).toBe('illegal');
      expect(outcome(with_(only, only), Priv.U, A.csrr(a0, csr)), `${name} U, both set`).toBe('ok');
      expect(outcome(with_(0n, 0n), Priv.M, A.csrr(a0, csr)), `${name} M`).toBe('ok');
    }
  });

  it('stimecmp from S needs menvcfg.STCE=1 and mcounteren.TM=1; from U it is illegal; M may always access it (sstc.adoc; machine.adoc norm:menvcfg_stce_op2, norm:mcounteren_tm_clr)', () => {
    const STCE = 1n << 63n;
    const mk = (stce: boolean, tm: boolean) => {
      const t = new TestHart();
      t.setCsr('menvcfg', stce ? STCE : 0n);
      t.setCsr('mcounteren', tm ? 2n : 0n);
      t.setCsr('scounteren', 2n);
      return t;
    };
    expect(outcome(mk(true, true), Priv.S, A.csrr(a0, CSR.stimecmp), A.csrw(CSR.stimecmp, a0))).toBe('ok');
    expect(outcome(mk(false, true), Priv.S, A.csrr(a0, CSR.stimecmp))).toBe('illegal');
    expect(outcome(mk(true, false), Priv.S, A.csrr(a0, CSR.stimecmp))).toBe('illegal');
    expect(outcome(mk(true, true), Priv.U, A.csrr(a0, CSR.stimecmp))).toBe('illegal');
    expect(outcome(mk(false, false), Priv.M, A.csrr(a0, CSR.stimecmp), A.csrw(CSR.stimecmp, a0))).toBe('ok');
  });

  it('stimecmp and menvcfg.STCE do not exist without Sstc (norm:menvcfg_stce_rdonly0)', () => {
    const t = new TestHart({ hart: { sstc: false } });
    expect(outcome(t, Priv.M, A.csrr(a0, CSR.stimecmp))).toBe('illegal');
    t.setCsr('menvcfg', -1n);
    expect(t.csr('menvcfg') >> 63n).toBe(0n);
  });

  it('without the H extension (hart.h=false), nonexistent CSRs are illegal even in M-mode: H CSRs, RV32-only high halves, custom space, 0xb01 (zicsr.adoc; machine.adoc "CSR Listing")', () => {
    for (const csr of [0x600 /* hstatus */, 0x680 /* hgatp */, 0x310 /* mstatush */, 0xc80 /* cycleh */, 0xb80 /* mcycleh */, 0x7c0, 0x5c0, 0xb01, 0x7a0 /* tselect */, 0x30c /* mstateen0 */]) {
      expect(outcome(new TestHart({ hart: { h: false } }), Priv.M, A.csrr(a0, csr)), `csr 0x${csr.toString(16)}`).toBe('illegal');
    }
  });

  it('only the even pmpcfg registers exist on RV64; with zero PMP entries they read zero and ignore writes (machine.adoc "Physical Memory Protection CSRs")', () => {
    expect(outcome(new TestHart(), Priv.M, A.csrr(a0, CSR.pmpcfg1))).toBe('illegal');
    expect(outcome(new TestHart(), Priv.M, A.csrr(a0, 0x3af))).toBe('illegal');
    const t = new TestHart();
    expect(outcome(t, Priv.M, A.li64(a1, -1n), A.csrw(CSR.pmpcfg0, a1), A.csrw(CSR.pmpcfg2, a1), A.csrw(CSR.pmpaddr0, a1),
      A.csrr(a0, CSR.pmpcfg0), A.csrr(a2, CSR.pmpaddr0), A.csrr(t0, 0x3ae))).toBe('ok');
    expect([t.x(a0), t.x(a2), t.x(t0)]).toEqual([0n, 0n, 0n]);
  });
});

describe('CSR values and WARL rules', () => {
  it('without H, misa reads MXL=2 (RV64) and the extensions A, C, I, M, S, U, and ignores writes (machine.adoc "Machine ISA (misa) Register")', () => {
    const t = new TestHart({ hart: { h: false } });
    const expected = (2n << 62n) | (1n << 0n) | (1n << 2n) | (1n << 8n) | (1n << 12n) | (1n << 18n) | (1n << 20n);
    expect(outcome(t, Priv.M, A.csrr(a0, CSR.misa), A.csrw(CSR.misa, 0), A.csrr(a1, CSR.misa))).toBe('ok');
    expect(t.x(a0)).toBe(expected);
    expect(t.x(a1)).toBe(expected);
  });

  it('mvendorid, marchid, mimpid, mhartid and mconfigptr read zero (machine.adoc "Machine Vendor ID Register": 0 = not implemented / non-commercial)', () => {
    const t = new TestHart();
    t.setX(a0, 1n); t.setX(a1, 1n); t.setX(a2, 1n); t.setX(t0, 1n); t.setX(A.t1, 1n);
    expect(outcome(t, Priv.M, A.csrr(a0, CSR.mvendorid), A.csrr(a1, CSR.marchid), A.csrr(a2, CSR.mimpid), A.csrr(t0, CSR.mhartid), A.csrr(A.t1, CSR.mconfigptr))).toBe('ok');
    expect([t.x(a0), t.x(a1), t.x(a2), t.x(t0), t.x(A.t1)]).toEqual([0n, 0n, 0n, 0n, 0n]);
  });

  it('mstatus reads SXL=UXL=2 in bits 35:32 (machine.adoc "Base ISA Control in mstatus Register")', () => {
    const t = new TestHart();
    expect((t.csr('mstatus') >> 32n) & 0xfn).toBe(0xan);
    t.setCsr('mstatus', 0n);
    expect((t.csr('mstatus') >> 32n) & 0xfn).toBe(0xan);
  });

  it('sstatus is a view of mstatus: it shows only SIE, SPIE, SPP, SUM, MXR and UXL=2 in bits 33:32 (supervisor.adoc norm:sstatus, norm:sstatus_uxl)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MIE | MPIE | MPP | MPRV | TVM | TW | TSR | SIE | SUM);
    expect(t.csr('sstatus')).toBe((2n << 32n) | SIE | SUM);
  });

  it('writing sstatus changes only the S fields of mstatus (supervisor.adoc norm:sstatus)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MIE | (1n << 11n));
    expect(outcome(t, Priv.S, A.li64(a0, -1n), A.csrw(CSR.sstatus, a0), A.csrr(a1, CSR.sstatus))).toBe('ok');
    expect(t.x(a1)).toBe((2n << 32n) | SIE | SPIE | SPP | SUM | MXR);
    // The ECALL's trap to M leaves the S fields alone (and moves MIE, still 1, to MPIE).
    const m = t.csr('mstatus');
    expect(m & (SIE | SPIE | SPP | SUM | MXR)).toBe(SIE | SPIE | SPP | SUM | MXR);
    expect(m & (MPRV | TVM | TW | TSR)).toBe(0n);
    expect(m & (MIE | MPIE)).toBe(MPIE);
  });

  it('mstatus.MPP is WARL: writing the reserved value 2 reads back as a supported mode (machine.adoc norm:mstatus_xpp_warl)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', 2n << 11n);
    const mpp = (t.csr('mstatus') >> 11n) & 3n;
    expect([0n, 1n, 3n]).toContain(mpp);
    for (const v of [0n, 1n, 3n]) {
      t.setCsr('mstatus', v << 11n);
      expect((t.csr('mstatus') >> 11n) & 3n).toBe(v);
    }
  });

  it('sie is mie masked by mideleg: undelegated bits read zero and ignore writes (supervisor.adoc "Supervisor Interrupt Registers"; machine.adoc "Restricted views of the mip and mie registers")', () => {
    const t = new TestHart();
    t.setCsr('mie', 0xaaan);
    expect(t.csr('sie')).toBe(0n);
    t.setCsr('sie', 0n);
    expect(t.csr('mie')).toBe(0xaaan);
    t.setCsr('mideleg', 0x20n); // STI
    expect(t.csr('sie')).toBe(0x20n);
    t.setCsr('sie', 0xfffn);
    expect(t.csr('mie')).toBe(0xaaan);
    t.setCsr('sie', 0n);
    expect(t.csr('mie')).toBe(0xa8an);
  });

  it('sip is mip masked by mideleg; only SSIP is writable through sip (supervisor.adoc norm:sip_ssip_sie_ssie, norm:sip_stip_sie_stie)', () => {
    const t = new TestHart();
    t.setCsr('mip', 0x22n); // SSIP and STIP, written by M
    expect(t.csr('sip')).toBe(0n);
    t.setCsr('mideleg', 0x222n);
    expect(t.csr('sip')).toBe(0x22n);
    t.setCsr('sip', 0n);
    expect(t.csr('mip')).toBe(0x20n); // STIP is read-only in sip
    t.setCsr('sip', 0x222n);
    expect(t.csr('mip')).toBe(0x22n);
    t.setCsr('mideleg', 0x20n);
    t.setCsr('sip', 0n); // SSIP not delegated: not writable through sip
    expect(t.csr('mip')).toBe(0x22n);
  });

  it('without H, mip: SSIP, STIP and SEIP are writable by M; MSIP, MTIP and MEIP are read-only (machine.adoc norm:mip_msip_rdonly, norm:mip_mtip_rdonly, norm:mip_meip_rdonly)', () => {
    const t = new TestHart({ hart: { h: false } });
    t.setCsr('mip', 0xfffn);
    expect(t.csr('mip') & 0xaaan).toBe(0x222n);
    t.setCsr('mie', -1n);
    expect(t.csr('mie')).toBe(0xaaan);
  });

  it('mip.STIP is read-only while menvcfg.STCE=1 (machine.adoc norm:mip_stip_stimecmp_acc)', () => {
    const t = new TestHart();
    t.setCsr('menvcfg', 1n << 63n);
    t.setCsr('mip', 0x20n);
    expect(t.csr('mip') & 0x20n).toBe(0n);
  });

  it('satp: a write with an unsupported MODE has no effect at all (supervisor.adoc norm:satp_mode_op_unsupported)', () => {
    const t = new TestHart({ hart: { satpModes: ['sv39'] } });
    const sv39 = (8n << 60n) | (0x1234n << 44n) | 0x80400n;
    t.setCsr('satp', sv39);
    expect(t.csr('satp')).toBe(sv39);
    for (const mode of [9n, 10n, 1n, 7n, 11n, 15n]) {
      t.setCsr('satp', (mode << 60n) | (0x5555n << 44n) | 0x80500n);
      expect(t.csr('satp'), `mode ${mode}`).toBe(sv39);
    }
    // the same from an S-mode CSR instruction (satp Bare, so that S-mode code runs untranslated)
    const u = new TestHart({ hart: { satpModes: ['sv39'] } });
    expect(outcome(u, Priv.S, A.li64(a0, (9n << 60n) | (1n << 44n) | 0x1n), A.csrw(CSR.satp, a0), A.csrr(a1, CSR.satp))).toBe('ok');
    expect(u.x(a1)).toBe(0n);
  });

  it('satp: ASIDLEN is 16 and the PPN holds 44 bits (supervisor.adoc norm:asidlen, norm:satp_ppn_sv39_sz)', () => {
    const t = new TestHart();
    t.setCsr('satp', (8n << 60n) | (0xffffn << 44n) | ((1n << 44n) - 1n));
    expect(t.csr('satp')).toBe((8n << 60n) | (0xffffn << 44n) | ((1n << 44n) - 1n));
    t.setCsr('satp', 0n);
    expect(t.csr('satp')).toBe(0n);
  });

  it('mepc and sepc clear bit 0 (IALIGN=16 with C) (machine.adoc "Machine Exception Program Counter (mepc) Register")', () => {
    const t = new TestHart();
    t.setCsr('mepc', 0x8000_0003n);
    t.setCsr('sepc', 0x8000_0007n);
    expect([t.csr('mepc'), t.csr('sepc')]).toEqual([0x8000_0002n, 0x8000_0006n]);
  });

  it('menvcfg keeps FIOM, ADUE (Svadu) and STCE (Sstc) and reads zero elsewhere (machine.adoc "Machine Environment Configuration Register")', () => {
    const t = new TestHart();
    t.setCsr('menvcfg', -1n);
    expect(t.csr('menvcfg')).toBe((1n << 63n) | (1n << 61n) | 1n);
    const u = new TestHart({ hart: { svadu: false, sstc: false } });
    u.setCsr('menvcfg', -1n);
    expect(u.csr('menvcfg')).toBe(1n);
  });
});
