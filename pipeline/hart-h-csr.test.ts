import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, a3 } from './test-support/asm.js';
import { CODE, MTIME, TestHart } from './test-support/harness.js';
import { ENVCFG, Guest, HS, IP, MS, hypHart, startVirt } from './test-support/hyp.js';

/**
 * The hypervisor extension's CSRs as software sees them: existence, read-only and WARL fields,
 * the S -> VS substitution of V=1 and the aliasing among mip/hip/hvip/vsip and mie/hie/vsie
 * (hypervisor.adoc "Hypervisor and Virtual Supervisor CSRs", "Machine-Level CSRs").
 */

const ALL = (1n << 64n) - 1n;
const bit = (...bits: number[]) => bits.reduce((s, b) => s | (1n << BigInt(b)), 0n);

/** Run `words` at CODE with V=1 in `priv`, then stop through the finisher (reachable: both stages Bare). */
function runVirt(t: TestHart, priv: Priv.S | Priv.U, ...words: (number | number[])[]): void {
  t.code(CODE, (a) => a.emit(...words, A.exitSeq()));
  startVirt(t, CODE, priv);
  expect(t.runSteps(500).reason).toBe('exit');
  expect(t.m.hart.exceptions + t.m.hart.interrupts, 'no trap was taken').toBe(0);
}

/** A hart whose mtime stands still at `time` (one tick per 10^9 cycles). */
function frozenTime(time: bigint): TestHart {
  const t = hypHart({ platform: { cpuHz: 1_000_000_000, timebaseHz: 1 } });
  t.poke(MTIME, 8, time);
  return t;
}

describe('misa and the machine-level delegation registers with H (hypervisor.adoc "Machine-Level CSRs")', () => {
  it('misa.H (bit 7) is set when the H extension is implemented and clear when not (machine.adoc "misa"; hypervisor.adoc ext:h)', () => {
    expect(hypHart().csr('misa') & bit(7)).toBe(bit(7));
    expect(new TestHart({ hart: { h: false } }).csr('misa') & bit(7)).toBe(0n);
  });

  it('without H, hypervisor CSRs do not exist: reading hstatus even from M-mode is an illegal instruction (hypervisor.adoc norm:H_csrs_hs_not_vs; zicsr.adoc: nonexistent CSRs are illegal)', () => {
    const t = new TestHart({ hart: { h: false } });
    t.code(CODE, (a) => a.emit(A.csrr(a0, CSR.hstatus)));
    t.step(1);
    expect(t.csr('mcause')).toBe(2n);
  });

  it('mideleg bits 10, 6, 2 (VSEI, VSTI, VSSI) are read-only one, bit 12 (SGEI) is zero with GEILEN=0 (hypervisor.adoc norm:mideleg_acc_h)', () => {
    const t = hypHart();
    expect(t.csr('mideleg') & (IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP)).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('mideleg', 0n);
    expect(t.csr('mideleg')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('mideleg', ALL);
    expect(t.csr('mideleg')).toBe(IP.SSIP | IP.STIP | IP.SEIP | IP.VSSIP | IP.VSTIP | IP.VSEIP);
  });

  it('with GEILEN > 0, mideleg bit 12 (SGEI) is read-only one too (hypervisor.adoc norm:mideleg_acc_h)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.setCsr('mideleg', 0n);
    expect(t.csr('mideleg')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP);
  });

  it('medeleg bits 10 (ECALL from VS) and 20-23 (guest-page faults, virtual instruction) are writable with H; bit 11 (ECALL from M) stays read-only zero (hypervisor.adoc "Trap Cause Codes"; machine.adoc "medeleg")', () => {
    const t = hypHart();
    t.setCsr('medeleg', ALL);
    const v = t.csr('medeleg');
    expect(v & bit(10, 20, 21, 22, 23)).toBe(bit(10, 20, 21, 22, 23));
    expect(v & bit(11)).toBe(0n);
    expect(v & bit(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15)).toBe(bit(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15));
    const noH = new TestHart({ hart: { h: false } });
    noH.setCsr('medeleg', ALL);
    expect(noH.csr('medeleg') & bit(10, 20, 21, 22, 23)).toBe(0n);
  });
});

describe('hedeleg and hideleg (hypervisor.adoc "Hypervisor Trap Delegation Registers")', () => {
  it('hedeleg: bits 1-8, 12, 13, 15 are writable; bits 9, 10, 11, 16, 20, 21, 22, 23 are read-only zero (table "Bits of hedeleg that must be writable or must be read-only zero", norm:hedeleg_acc)', () => {
    const t = hypHart();
    t.setCsr('hedeleg', ALL);
    const v = t.csr('hedeleg');
    const writable = bit(1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15);
    expect(v & writable).toBe(writable);
    expect(v & bit(9, 10, 11, 16, 20, 21, 22, 23)).toBe(0n);
    t.setCsr('hedeleg', 0n);
    expect(t.csr('hedeleg')).toBe(0n);
  });

  it('hideleg: bits 10, 6, 2 are writable, bits 12, 9, 5, 1 (S-level and SGEI) read-only zero (norm:hideleg_acc)', () => {
    const t = hypHart({ hart: { geilen: 3 } });
    t.setCsr('hideleg', ALL);
    expect(t.csr('hideleg')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('hideleg', IP.VSTIP);
    expect(t.csr('hideleg')).toBe(IP.VSTIP);
  });
});

describe('hstatus (hypervisor.adoc "Hypervisor Status Register")', () => {
  it('VSXL (bits 33:32) reads 2 (VSXLEN=64) and ignores writes (norm:vsxl_ro); VSBE (bit 5) is read-only zero (norm:hstatus_vsbe_op)', () => {
    const t = hypHart();
    expect((t.csr('hstatus') >> 32n) & 3n).toBe(2n);
    t.setCsr('hstatus', HS.VSBE);
    expect(t.csr('hstatus') & HS.VSBE).toBe(0n);
    expect((t.csr('hstatus') >> 32n) & 3n).toBe(2n);
    t.setCsr('hstatus', 1n << 32n);
    expect((t.csr('hstatus') >> 32n) & 3n).toBe(2n);
  });

  it('GVA, SPV, SPVP, HU, VTVM, VTW, VTSR are writable (hypervisor.adoc norm:hstatus_spv_op, norm:hstatus_spvp_op, norm:hstatus_gva_op, norm:hstatus_hu_op, norm:hstatus_vtvm_op)', () => {
    const t = hypHart();
    const fields = HS.GVA | HS.SPV | HS.SPVP | HS.HU | HS.VTVM | HS.VTW | HS.VTSR;
    t.setCsr('hstatus', fields);
    expect(t.csr('hstatus') & fields).toBe(fields);
    t.setCsr('hstatus', 0n);
    expect(t.csr('hstatus') & fields).toBe(0n);
  });

  it('VGEIN holds every value 0..GEILEN (WLRL, norm:hstatus_vgein_op)', () => {
    const t = hypHart({ hart: { geilen: 5 } });
    for (let v = 0n; v <= 5n; v++) {
      t.setCsr('hstatus', v << HS.VGEIN_SHIFT);
      expect((t.csr('hstatus') >> HS.VGEIN_SHIFT) & 0x3fn).toBe(v);
    }
  });

  it('with GEILEN=0, VGEIN is read-only zero (norm:hstatus_vgein_op: "GEILEN may be zero, in which case VGEIN may be read-only zero")', () => {
    const t = hypHart();
    t.setCsr('hstatus', 1n << HS.VGEIN_SHIFT);
    expect((t.csr('hstatus') >> HS.VGEIN_SHIFT) & 0x3fn).toBe(0n);
  });
});

describe('hgatp, vsatp and satp writes (hypervisor.adoc "hgatp", "vsatp")', () => {
  const hgatp = (mode: bigint, vmid: bigint, ppn: bigint) => (mode << 60n) | (vmid << 44n) | ppn;

  it('hgatp takes a supported MODE, VMID and PPN; PPN[1:0] read as zero (norm:hgatp_ppn_op)', () => {
    const t = hypHart();
    t.setCsr('hgatp', hgatp(9n, 0x1234n, 0x8_1234_5673n));
    expect(t.csr('hgatp')).toBe(hgatp(9n, 0x1234n, 0x8_1234_5670n));
  });

  it('a write with an unsupported MODE is not ignored as for satp: MODE keeps its old value and the other fields are written (norm:hgatp_mode_warl)', () => {
    const t = hypHart({ hart: { hgatpModes: ['sv39x4'] } });
    t.setCsr('hgatp', hgatp(8n, 1n, 0x80400n));
    t.setCsr('hgatp', hgatp(9n, 7n, 0x80808n)); // Sv48x4 is not implemented here
    expect(t.csr('hgatp')).toBe(hgatp(8n, 7n, 0x80808n));
    t.setCsr('hgatp', hgatp(3n, 2n, 0x80c00n)); // a reserved MODE
    expect(t.csr('hgatp')).toBe(hgatp(8n, 2n, 0x80c00n));
  });

  it('VMID keeps VMIDLEN low bits: writing all ones reads back 2^VMIDLEN - 1 (norm:hgatp_vmid_lsbs), also for VMIDLEN = 0 and 14', () => {
    for (const [bits, expected] of [[5, 0x1fn], [0, 0n], [14, 0x3fffn]] as const) {
      const t = hypHart({ hart: { vmidBits: bits } });
      t.setCsr('hgatp', hgatp(8n, 0x3fffn, 0x80400n));
      expect((t.csr('hgatp') >> 44n) & 0xffffn).toBe(expected);
    }
  });

  it('vsatp: a write with an unsupported MODE is ignored entirely, as for satp (norm:vsatp_mode_unsupported_v0)', () => {
    const t = hypHart({ hart: { satpModes: ['sv39'] } });
    const good = (8n << 60n) | (5n << 44n) | 0x80123n;
    t.setCsr('vsatp', good);
    t.setCsr('vsatp', (9n << 60n) | (6n << 44n) | 0x80456n);
    expect(t.csr('vsatp')).toBe(good);
    t.setCsr('satp', good);
    t.setCsr('satp', (10n << 60n) | 0x80999n);
    expect(t.csr('satp')).toBe(good);
  });

  it('with V=1, a write of satp reaches vsatp; one with an unsupported MODE is ignored and writes nothing (norm:vsatp_mode_unsupported_v1); HS satp is untouched', () => {
    const t = hypHart({ hart: { satpModes: ['sv39'] } });
    const g = new Guest(t).enable(); // the guest's code stays mapped whatever ASID vsatp names
    const hsSatp = (8n << 60n) | 0x80777n;
    t.setCsr('satp', hsSatp);
    const first = g.vsatp(3n);
    runVirt(t, Priv.S, A.li64(a0, first), A.csrw(CSR.satp, a0), A.li64(a1, (9n << 60n) | 0x80defn), A.csrw(CSR.satp, a1), A.csrr(a2, CSR.satp));
    expect(t.csr('vsatp')).toBe(first);
    expect(t.x(a2)).toBe(first);
    expect(t.csr('satp')).toBe(hsSatp);
  });
});

describe('henvcfg (hypervisor.adoc "henvcfg"; machine.adoc "menvcfg")', () => {
  it('henvcfg.STCE and ADUE are read-only zero while menvcfg.STCE / ADUE are zero (machine.adoc norm:menvcfg_stce_op2, norm:menvcfg_adue_henvcfg_adue_rdonly0)', () => {
    const t = hypHart();
    t.setCsr('henvcfg', ENVCFG.STCE | ENVCFG.ADUE | 1n);
    expect(t.csr('henvcfg')).toBe(1n);
    t.setCsr('menvcfg', ENVCFG.STCE | ENVCFG.ADUE);
    t.setCsr('henvcfg', ENVCFG.STCE | ENVCFG.ADUE | 1n);
    expect(t.csr('henvcfg')).toBe(ENVCFG.STCE | ENVCFG.ADUE | 1n);
    t.setCsr('menvcfg', ENVCFG.ADUE);
    expect(t.csr('henvcfg') & ENVCFG.STCE).toBe(0n);
    expect(t.csr('henvcfg') & ENVCFG.ADUE).toBe(ENVCFG.ADUE);
  });

  it('without Sstc or Svadu the bits are read-only zero in henvcfg too (norm:henvcfg_stce, norm:henvcfg_adue_op)', () => {
    const t = hypHart({ hart: { sstc: false, svadu: false } });
    t.setCsr('menvcfg', ENVCFG.STCE | ENVCFG.ADUE);
    t.setCsr('henvcfg', ENVCFG.STCE | ENVCFG.ADUE);
    expect(t.csr('henvcfg')).toBe(0n);
  });
});

describe('htimedelta (hypervisor.adoc norm:htimedelta_sz_acc_op)', () => {
  const readTime = (t: TestHart, priv: Priv.S | Priv.U) => {
    t.setCsr('mcounteren', 2n);
    t.setCsr('hcounteren', 2n);
    t.setCsr('scounteren', 2n);
    runVirt(t, priv, A.csrr(a0, CSR.time));
    return t.x(a0);
  };

  it('time read in VS-mode and VU-mode is time + htimedelta; in HS-mode it is time (norm:htimedelta_sz_acc_op)', () => {
    for (const priv of [Priv.S, Priv.U] as const) {
      const t = frozenTime(1000n);
      t.setCsr('htimedelta', 234n);
      expect(readTime(t, priv)).toBe(1234n);
    }
    const t = frozenTime(1000n);
    t.setCsr('htimedelta', 234n);
    t.setCsr('mcounteren', 2n);
    t.code(CODE, (a) => a.emit(A.csrr(a0, CSR.time)));
    t.start(CODE, Priv.S);
    t.step(1);
    expect(t.x(a0)).toBe(1000n);
  });

  it('the sum is exact for a large htimedelta (above 2^53) (norm:htimedelta_sz_acc_op)', () => {
    const t = frozenTime(0x10n);
    t.setCsr('htimedelta', 0x1234_5678_9abc_def1n);
    expect(readTime(t, Priv.S)).toBe(0x1234_5678_9abc_df01n);
  });

  it('overflow is ignored: a "negative" htimedelta gives time - delta, wrapping modulo 2^64 (NOTE under norm:htimedelta_sz_acc_op)', () => {
    const t = frozenTime(100n);
    t.setCsr('htimedelta', -5n);
    expect(readTime(t, Priv.S)).toBe(95n);
    const u = frozenTime(3n);
    u.setCsr('htimedelta', -5n);
    expect(readTime(u, Priv.S)).toBe(BigInt.asUintN(64, -2n));
  });
});

describe('S -> VS substitution with V=1 (hypervisor.adoc norm:H_vscsrs_sub, norm:H_vscsrs_v1)', () => {
  // [S CSR, its VS CSR, value M-mode puts in the HS CSR, in the VS CSR, value the guest writes, what the VS CSR then holds]
  const pairs: [A.CsrName, A.CsrName, bigint, bigint, bigint, bigint][] = [
    ['sscratch', 'vsscratch', 0x1111n, 0x2222n, 0x3333n, 0x3333n],
    ['sepc', 'vsepc', 0x8000_1000n, 0x8000_2000n, 0x8000_3001n, 0x8000_3000n],
    ['scause', 'vscause', 13n, 15n, 2n, 2n],
    ['stval', 'vstval', 0xdeadn, 0xbeefn, 0xcafen, 0xcafen],
    ['stvec', 'vstvec', 0x8001_1000n, 0x8001_2000n, 0x8001_2001n, 0x8001_2001n],
    ['sstatus', 'vsstatus', MS.SUM, MS.MXR, MS.SUM | MS.SPP, MS.SUM | MS.SPP | (2n << 32n)],
  ];
  for (const [s, vs, hsVal, vsVal, write, after] of pairs) {
    it(`${s} in VS-mode reads and writes ${vs}; the HS-level ${s} keeps its value (norm:H_vscsrs_sub, norm:H_vscsrs_v1)`, () => {
      const t = hypHart();
      t.setCsr(s, hsVal);
      t.setCsr(vs, vsVal);
      const hsBefore = t.csr(s);
      const vsBefore = t.csr(vs);
      runVirt(t, Priv.S, A.csrr(a0, CSR[s]), A.li64(a1, write), A.csrw(CSR[s], a1), A.csrr(a2, CSR[s]));
      expect(t.x(a0)).toBe(vsBefore);
      expect(t.csr(vs)).toBe(after);
      expect(t.x(a2)).toBe(after);
      expect(t.csr(s)).toBe(hsBefore);
    });
  }

  it('satp in VS-mode reads and writes vsatp; the HS-level satp keeps its value (norm:H_vscsrs_sub, norm:vsatp_sz_acc_op)', () => {
    const t = hypHart();
    const g = new Guest(t).enable();
    const hsSatp = (9n << 60n) | (1n << 44n) | 0x80400n;
    t.setCsr('satp', hsSatp);
    t.setCsr('vsatp', g.vsatp(5n));
    runVirt(t, Priv.S, A.csrr(a0, CSR.satp), A.li64(a1, g.vsatp(7n)), A.csrw(CSR.satp, a1), A.csrr(a2, CSR.satp));
    expect(t.x(a0)).toBe(g.vsatp(5n));
    expect(t.csr('vsatp')).toBe(g.vsatp(7n));
    expect(t.x(a2)).toBe(g.vsatp(7n));
    expect(t.csr('satp')).toBe(hsSatp);
  });

  it('sie and sip in VS-mode reach vsie and vsip (through hideleg), not the HS-level sie/sip (norm:vsip_vsie_sz_acc_op)', () => {
    const t = hypHart();
    t.setCsr('mideleg', IP.SSIP | IP.STIP | IP.SEIP);
    t.setCsr('hideleg', IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('mie', IP.STIP); // HS-level sie.STIE (STIP is not pending)
    t.setCsr('mip', IP.SSIP); // HS-level sip.SSIP (SSIE is off)
    t.setCsr('hvip', IP.VSTIP);
    runVirt(t, Priv.S, A.csrr(a0, CSR.sie), A.csrr(a1, CSR.sip), A.li64(a2, bit(1, 5, 9)), A.csrw(CSR.sie, a2), A.li64(a3, bit(1)), A.csrs(CSR.sip, a3));
    expect(t.x(a0)).toBe(0n); // vsie: no VS interrupt enabled
    expect(t.x(a1)).toBe(bit(5)); // vsip.STIP = hip.VSTIP
    expect(t.csr('mie')).toBe(IP.STIP | IP.VSSIP | IP.VSTIP | IP.VSEIP); // vsie bits i-1 -> hie bits i
    expect(t.csr('hvip')).toBe(IP.VSTIP | IP.VSSIP); // vsip.SSIP -> hvip.VSSIP
    expect(t.csr('sip')).toBe(IP.SSIP);
    expect(t.csr('sie')).toBe(IP.STIP);
  });

  it('stimecmp in VS-mode reaches vstimecmp (with henvcfg.STCE and hcounteren.TM set); stimecmp keeps its value (sstc.adoc; hypervisor.adoc "vstimecmp")', () => {
    const t = hypHart();
    t.setCsr('menvcfg', ENVCFG.STCE);
    t.setCsr('henvcfg', ENVCFG.STCE);
    t.setCsr('mcounteren', 2n);
    t.setCsr('hcounteren', 2n);
    t.setCsr('stimecmp', 0x7777_0000n);
    t.setCsr('vstimecmp', 0x5555_0000n);
    runVirt(t, Priv.S, A.csrr(a0, CSR.stimecmp), A.li64(a1, 0x6666_0000n), A.csrw(CSR.stimecmp, a1));
    expect(t.x(a0)).toBe(0x5555_0000n);
    expect(t.csr('vstimecmp')).toBe(0x6666_0000n);
    expect(t.csr('stimecmp')).toBe(0x7777_0000n);
  });

  it('scounteren and senvcfg have no VS counterpart: in VS-mode they reach the HS-level registers (norm:H_scsrs_nomatch)', () => {
    const t = hypHart();
    t.setCsr('scounteren', 5n);
    runVirt(t, Priv.S, A.csrr(a0, CSR.scounteren), A.csrwi(CSR.scounteren, 2), A.csrwi(CSR.senvcfg, 1));
    expect(t.x(a0)).toBe(5n);
    expect(t.csr('scounteren')).toBe(2n);
    expect(t.csr('senvcfg')).toBe(1n);
  });

  it('with V=0 the VS CSRs are plain registers: HS-mode sscratch is the HS one (norm:H_vscsrs_v0)', () => {
    const t = hypHart();
    t.setCsr('vsscratch', 9n);
    t.setCsr('sscratch', 4n);
    t.code(CODE, (a) => a.emit(A.csrr(a0, CSR.sscratch), A.csrr(a1, CSR.vsscratch)));
    t.start(CODE, Priv.S);
    t.step(2);
    expect([t.x(a0), t.x(a1)]).toEqual([4n, 9n]);
  });
});

describe('vsstatus fields (hypervisor.adoc "vsstatus")', () => {
  it('SIE, SPIE, SPP, SUM, MXR are writable; UXL (bits 33:32) reads 2; M-level fields do not exist (norm:vsstatus_sz_acc_op, norm:vsstatus_uxl_op)', () => {
    const t = hypHart();
    t.setCsr('vsstatus', ALL);
    expect(t.csr('vsstatus')).toBe(MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR | (2n << 32n));
    t.setCsr('vsstatus', 0n);
    expect(t.csr('vsstatus')).toBe(2n << 32n);
  });

  it('a write of sstatus in VS-mode changes vsstatus, never mstatus (norm:vsstatus_sz_acc_op)', () => {
    const t = hypHart();
    t.setCsr('mstatus', MS.SUM);
    runVirt(t, Priv.S, A.li64(a0, MS.SIE | MS.MXR), A.csrw(CSR.sstatus, a0));
    expect(t.csr('vsstatus')).toBe(MS.SIE | MS.MXR | (2n << 32n));
    expect(t.csr('mstatus') & (MS.SIE | MS.SUM | MS.MXR)).toBe(MS.SUM);
  });
});

describe('vsip and vsie alias hip and hie through hideleg (hypervisor.adoc norm:vsip_vsie_ssi, _sti, _sei)', () => {
  it('with hideleg = 0, vsip and vsie read zero and ignore writes although hip and hie have the bits (norm:vsip_vsie_ssi, norm:vsip_vsie_sti, norm:vsip_vsie_sei)', () => {
    const t = hypHart();
    t.setCsr('hvip', IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('hie', IP.VSSIP | IP.VSTIP | IP.VSEIP);
    expect(t.csr('vsip')).toBe(0n);
    expect(t.csr('vsie')).toBe(0n);
    t.setCsr('vsie', 0n);
    t.setCsr('vsip', 0n);
    expect(t.csr('hie')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
    expect(t.csr('hvip')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
  });

  it('with a hideleg bit set, vsip/vsie bit i-1 is hip/hie bit i; only vsip.SSIP is writable (norm:vsip_vsie_ssi, norm:hip_vssip_vssie_op)', () => {
    const t = hypHart();
    t.setCsr('hideleg', IP.VSSIP | IP.VSTIP | IP.VSEIP);
    t.setCsr('hvip', IP.VSTIP | IP.VSEIP);
    expect(t.csr('vsip')).toBe(bit(5, 9));
    t.setCsr('vsip', bit(1)); // SSIP writable, STIP/SEIP not
    expect(t.csr('hvip')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
    expect(t.csr('hip') & IP.VSSIP).toBe(IP.VSSIP);
    t.setCsr('vsip', 0n);
    expect(t.csr('hvip')).toBe(IP.VSTIP | IP.VSEIP);
    t.setCsr('vsie', bit(1, 9));
    expect(t.csr('hie')).toBe(IP.VSSIP | IP.VSEIP);
    t.setCsr('hideleg', IP.VSEIP);
    expect(t.csr('vsie')).toBe(bit(9));
  });
});

describe('hip, hie, hvip and mip/mie (hypervisor.adoc "hvip, hip, and hie", norm:mip_mie_alias)', () => {
  it('hip.VSSIP is writable and aliases hvip.VSSIP and mip.VSSIP (norm:hip_vssip_vssie_op)', () => {
    const t = hypHart();
    t.setCsr('hip', IP.VSSIP);
    expect(t.csr('hvip')).toBe(IP.VSSIP);
    expect(t.csr('mip') & IP.VSSIP).toBe(IP.VSSIP);
    t.setCsr('mip', 0n);
    expect(t.csr('hvip')).toBe(0n);
    expect(t.csr('hip')).toBe(0n);
    t.setCsr('mip', IP.VSSIP);
    expect(t.csr('hip')).toBe(IP.VSSIP);
  });

  it('hip.VSTIP and hip.VSEIP are read-only and show hvip.VSTIP and hvip.VSEIP (norm:hip_vstip_vstie_acc_op, norm:hip_vseip_vseie_op)', () => {
    const t = hypHart();
    t.setCsr('hvip', IP.VSTIP | IP.VSEIP);
    expect(t.csr('hip')).toBe(IP.VSTIP | IP.VSEIP);
    expect(t.csr('mip') & (IP.VSTIP | IP.VSEIP)).toBe(IP.VSTIP | IP.VSEIP);
    t.setCsr('hip', 0n);
    expect(t.csr('hip')).toBe(IP.VSTIP | IP.VSEIP);
    t.setCsr('mip', 0n);
    expect(t.csr('hip')).toBe(IP.VSTIP | IP.VSEIP);
    t.setCsr('hvip', 0n);
    expect(t.csr('hip')).toBe(0n);
  });

  it('hvip: only VSSIP, VSTIP, VSEIP are writable (norm:hvip_acc)', () => {
    const t = hypHart();
    t.setCsr('hvip', ALL);
    expect(t.csr('hvip')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
  });

  it('hie holds VSSIE, VSTIE, VSEIE (and SGEIE with GEILEN > 0), aliased in mie; sie/sip never show these bits (norm:sie_hip_hie_mutex, norm:hie_acc)', () => {
    const t = hypHart({ hart: { geilen: 2 } });
    t.setCsr('hie', ALL);
    expect(t.csr('hie')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP);
    expect(t.csr('mie') & (IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP)).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP | IP.SGEIP);
    t.setCsr('mideleg', ALL);
    t.setCsr('hvip', IP.VSSIP | IP.VSTIP | IP.VSEIP);
    expect(t.csr('sie')).toBe(0n);
    expect(t.csr('sip')).toBe(0n);
    t.setCsr('mie', 0n);
    expect(t.csr('hie')).toBe(0n);
    const g0 = hypHart();
    g0.setCsr('hie', ALL);
    expect(g0.csr('hie')).toBe(IP.VSSIP | IP.VSTIP | IP.VSEIP);
  });

  it('hip.SGEIP is 1 iff hgeip & hgeie is nonzero, and read-only (norm:hip_sgeip_sgeie_acc_op)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.m.hart.hgeip = 0b0100; // the platform raises guest external interrupt line 2
    t.setCsr('hgeie', 0b0010n);
    expect(t.csr('hip') & IP.SGEIP).toBe(0n);
    t.setCsr('hgeie', 0b0110n);
    expect(t.csr('hip') & IP.SGEIP).toBe(IP.SGEIP);
    expect(t.csr('mip') & IP.SGEIP).toBe(IP.SGEIP);
    t.setCsr('hip', 0n);
    expect(t.csr('hip') & IP.SGEIP).toBe(IP.SGEIP);
    expect(t.csr('hgeip')).toBe(0b0100n);
  });

  it('hgeie: bits GEILEN:1 are writable, bit 0 and the bits above GEILEN are read-only zero (norm:geilen)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.setCsr('hgeie', ALL);
    expect(t.csr('hgeie')).toBe(0b11110n);
    const z = hypHart();
    z.setCsr('hgeie', ALL);
    expect(z.csr('hgeie')).toBe(0n);
  });

  it('hgeip is read-only: a write from HS-mode is an illegal instruction (csr[11:10] = 3) (norm:hgeip_sz_acc_op)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.code(CODE, (a) => a.emit(A.csrr(a0, CSR.hgeip), A.csrw(CSR.hgeip, a0)));
    t.start(CODE, Priv.S);
    t.step(2);
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mepc')).toBe(CODE + 4n);
  });

  it('hip.VSEIP includes the hgeip line selected by hstatus.VGEIN, whatever hgeie says (norm:hip_vseip_vseie_op, norm:hgeie_op)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.m.hart.hgeip = 0b1000;
    expect(t.csr('hip') & IP.VSEIP).toBe(0n);
    t.setCsr('hstatus', 3n << HS.VGEIN_SHIFT);
    expect(t.csr('hip') & IP.VSEIP).toBe(IP.VSEIP);
    expect(t.csr('hip') & IP.SGEIP).toBe(0n);
    t.setCsr('hstatus', 2n << HS.VGEIN_SHIFT);
    expect(t.csr('hip') & IP.VSEIP).toBe(0n);
  });
});

describe('GEILEN above 31 (hypervisor.adoc norm:geilen: "The maximum this number can be ... is 63 for RV64")', () => {
  it('with GEILEN=40, hgeie bits 40:1 are writable and bits 63:41 read-only zero', () => {
    const t = hypHart({ hart: { geilen: 40 } });
    t.setCsr('hgeie', ALL);
    expect(t.csr('hgeie')).toBe((1n << 41n) - 2n);
    const all = hypHart({ hart: { geilen: 63 } });
    all.setCsr('hgeie', ALL);
    expect(all.csr('hgeie')).toBe(ALL - 1n);
    const g32 = hypHart({ hart: { geilen: 32 } });
    g32.setCsr('hgeie', ALL);
    expect(g32.csr('hgeie')).toBe((1n << 33n) - 2n);
  });

  it('guest external interrupt lines above 31 reach hgeip, SGEIP (with hgeie) and, through VGEIN, VSEIP (norm:hgeip_hgeie_fields, norm:hip_vseip_vseie_op)', () => {
    const t = hypHart({ hart: { geilen: 40 } });
    t.m.hart.hgeipHi = 1 << (37 - 32); // the platform raises line 37
    expect(t.csr('hgeip')).toBe(1n << 37n);
    expect(t.csr('hip') & (IP.SGEIP | IP.VSEIP)).toBe(0n);
    t.setCsr('hgeie', 1n << 37n);
    expect(t.csr('hip') & IP.SGEIP).toBe(IP.SGEIP);
    t.setCsr('hstatus', 37n << HS.VGEIN_SHIFT);
    expect((t.csr('hstatus') >> HS.VGEIN_SHIFT) & 0x3fn).toBe(37n);
    expect(t.csr('hip') & IP.VSEIP).toBe(IP.VSEIP);
  });
});
