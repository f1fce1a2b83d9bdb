import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { a0, a1, s0, t0 } from './test-support/asm.js';
import { CODE, DATA, M_HANDLER, PTE, S_HANDLER, TestHart } from './test-support/harness.js';
import { ENVCFG, G_URW, G_URWX, GUEST_DATA_GPA, GUEST_DATA_HPA, Guest, HS, MS, VS_RWX, VS_TABLE_GPA, V_HANDLER, hypHart, startVirt, virt } from './test-support/hyp.js';

/**
 * Trap entry and return with the H extension, through the whole hart: where each trap goes
 * (hypervisor.adoc "Trap Entry", norm:H_trap_deleg), what the trap CSRs receive
 * (norm:H_trap_m_csrwrites, norm:H_trap_hs_csrwrites, norm:H_trap_vs_csrwrites, "Guest-Page
 * Faults", "Transformed Instruction or Pseudoinstruction for mtinst or htinst"), MRET/SRET
 * ("Trap Return") and MPRV with MPV=1.
 */

const ENTRY = 'hypervisor.adoc "Trap Entry"';
const ALL = (1n << 64n) - 1n;
const mppOf = (t: TestHart) => (t.csr('mstatus') & MS.MPP) >> 11n;
const inHandler = (t: TestHart, base: bigint) => t.pc >= base && t.pc < base + 0x40n;

/** Where the trap that ended the run went. */
function target(t: TestHart): 'M' | 'HS' | 'VS' {
  if (inHandler(t, M_HANDLER)) return 'M';
  if (inHandler(t, S_HANDLER)) return 'HS';
  if (inHandler(t, V_HANDLER)) return 'VS';
  throw new Error(`pc 0x${t.pc.toString(16)} is in no halt handler`);
}

/** Run `words` at CODE in (V, priv) until a halt handler stops the run. */
function run(t: TestHart, v: boolean, priv: Priv, ...words: (number | number[])[]): void {
  t.code(CODE, (a) => a.emit(...words));
  if (v) startVirt(t, CODE, priv as Priv.S | Priv.U);
  else t.start(CODE, priv);
  expect(t.runSteps(500).reason).toBe('exit');
}

describe(`exception routing (${ENTRY}, norm:H_trap_deleg)`, () => {
  it('ECALL from VS-mode without delegation goes to M with mcause 10, MPV=1, MPP=S, and V becomes 0 (norm:H_cause, norm:H_trap_m_csrwrites, table h-mpp)', () => {
    const t = hypHart();
    run(t, true, Priv.S, A.addi(a0, 0, 1), A.ecall());
    expect(target(t)).toBe('M');
    expect(t.csr('mcause')).toBe(10n);
    expect(t.csr('mepc')).toBe(CODE + 4n);
    expect(t.csr('mtval')).toBe(0n);
    expect(t.csr('mstatus') & (MS.MPV | MS.GVA)).toBe(MS.MPV);
    expect(mppOf(t)).toBe(1n);
    expect(t.csr('mtval2')).toBe(0n);
    expect(t.csr('mtinst')).toBe(0n);
    expect(virt(t)).toBe(false);
    expect(t.priv).toBe(Priv.M);
  });

  it('ECALL from VU-mode goes to M with mcause 8, MPV=1, MPP=U (norm:H_cause: "Environment call from U-mode or VU-mode")', () => {
    const t = hypHart();
    run(t, true, Priv.U, A.ecall());
    expect(target(t)).toBe('M');
    expect(t.csr('mcause')).toBe(8n);
    expect(t.csr('mstatus') & MS.MPV).toBe(MS.MPV);
    expect(mppOf(t)).toBe(0n);
  });

  it('a trap from HS-mode into M leaves MPV=0 and MPP=S (table h-mpp)', () => {
    const t = hypHart();
    t.setCsr('mstatus', MS.MPV);
    run(t, false, Priv.S, A.ecall());
    expect(t.csr('mcause')).toBe(9n);
    expect(t.csr('mstatus') & MS.MPV).toBe(0n);
    expect(mppOf(t)).toBe(1n);
  });

  it('ECALL from VS delegated by medeleg goes to HS (hedeleg bit 10 is read-only zero): scause 10, SPV=1, SPVP=1, SPP=1, V=0 (norm:H_trap_hs_csrwrites, table h-spp)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 10n);
    t.setCsr('hedeleg', ALL);
    run(t, true, Priv.S, A.ecall());
    expect(target(t)).toBe('HS');
    expect(t.csr('scause')).toBe(10n);
    expect(t.csr('sepc')).toBe(CODE);
    expect(t.csr('stval')).toBe(0n);
    expect(t.csr('hstatus') & (HS.SPV | HS.SPVP | HS.GVA)).toBe(HS.SPV | HS.SPVP);
    expect(t.csr('sstatus') & MS.SPP).toBe(MS.SPP);
    expect(t.csr('htval')).toBe(0n);
    expect(t.csr('htinst')).toBe(0n);
    expect(virt(t)).toBe(false);
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('a trap from VU-mode into HS sets SPV=1 and SPVP=0, SPP=0 (norm:hstatus_spvp_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 8n);
    t.setCsr('hstatus', HS.SPVP);
    run(t, true, Priv.U, A.ecall());
    expect(target(t)).toBe('HS');
    expect(t.csr('scause')).toBe(8n);
    expect(t.csr('hstatus') & (HS.SPV | HS.SPVP)).toBe(HS.SPV);
    expect(t.csr('sstatus') & MS.SPP).toBe(0n);
  });

  it('a trap from HS-mode into HS sets SPV=0 and leaves SPVP unchanged (norm:hstatus_spvp_op: "if V=0 before a trap, SPVP is left unchanged")', () => {
    for (const spvp of [0n, HS.SPVP]) {
      const t = hypHart();
      t.setCsr('medeleg', 1n << 2n);
      t.setCsr('hedeleg', 1n << 2n);
      t.setCsr('hstatus', HS.SPV | HS.GVA | spvp);
      run(t, false, Priv.S, A.c_illegal());
      expect(target(t)).toBe('HS');
      expect(t.csr('scause')).toBe(2n);
      expect(t.csr('hstatus') & (HS.SPV | HS.SPVP | HS.GVA)).toBe(spvp);
    }
  });

  it('ECALL from VU delegated by medeleg and hedeleg goes to VS: vscause 8, vsepc, vsstatus.SPP=0, V stays 1; hstatus, sepc/scause and mstatus are untouched (norm:H_trap_vs_csrwrites)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 8n);
    t.setCsr('hedeleg', 1n << 8n);
    const hstatus = HS.SPVP | HS.GVA | HS.HU;
    t.setCsr('hstatus', hstatus);
    t.setCsr('vsstatus', MS.SPP | MS.SIE);
    t.setCsr('mstatus', MS.SIE);
    run(t, true, Priv.U, A.addi(a0, 0, 1), A.ecall());
    expect(target(t)).toBe('VS');
    expect(t.csr('vscause')).toBe(8n);
    expect(t.csr('vsepc')).toBe(CODE + 4n);
    expect(t.csr('vstval')).toBe(0n);
    expect(t.csr('vsstatus') & (MS.SPP | MS.SIE | MS.SPIE)).toBe(MS.SPIE);
    expect(virt(t)).toBe(true);
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('hstatus') & 0xffff_ffffn).toBe(hstatus);
    expect(t.csr('scause')).toBe(0n);
    expect(t.csr('sepc')).toBe(0n);
    expect(t.csr('mstatus') & (MS.SIE | MS.SPIE)).toBe(MS.SIE);
  });

  it('a trap from VS-mode into VS sets vsstatus.SPP=1 (table h-vspp)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 2n);
    t.setCsr('hedeleg', 1n << 2n);
    run(t, true, Priv.S, A.c_illegal());
    expect(target(t)).toBe('VS');
    expect(t.csr('vscause')).toBe(2n);
    expect(t.csr('vsstatus') & MS.SPP).toBe(MS.SPP);
  });

  it('hedeleg alone does nothing: an exception in VS not delegated by medeleg goes to M (norm:hedeleg_op)', () => {
    const t = hypHart();
    t.setCsr('hedeleg', 1n << 2n);
    run(t, true, Priv.S, A.c_illegal());
    expect(target(t)).toBe('M');
    expect(t.csr('mcause')).toBe(2n);
  });

  it('hedeleg does not apply with V=0: an exception in U-mode delegated by both goes to HS, not VS (norm:H_trap_deleg)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 8n);
    t.setCsr('hedeleg', 1n << 8n);
    run(t, false, Priv.U, A.ecall());
    expect(target(t)).toBe('HS');
    expect(t.csr('scause')).toBe(8n);
    expect(t.csr('hstatus') & HS.SPV).toBe(0n);
  });

  it('a trap never goes below the mode it occurs in: an exception in M-mode stays in M whatever medeleg/hedeleg say (machine.adoc norm:medeleg_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', ALL);
    t.setCsr('hedeleg', ALL);
    run(t, false, Priv.M, A.c_illegal());
    expect(target(t)).toBe('M');
    expect(t.csr('mcause')).toBe(2n);
  });

  it('guest-page faults and virtual-instruction exceptions cannot go to VS: hedeleg bits 20-23 are read-only zero, so they go to HS (norm:H_guest_page_fault)', () => {
    const t = hypHart();
    t.setCsr('medeleg', ALL);
    t.setCsr('hedeleg', ALL);
    run(t, true, Priv.S, A.csrr(a0, A.CSR.hstatus));
    expect(target(t)).toBe('HS');
    expect(t.csr('scause')).toBe(22n);
  });

  it('entering HS from V=1: sstatus.SPIE = SIE, SIE = 0 on the HS-level sstatus; vsstatus is untouched (norm:H_trap_hs_csrwrites)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 10n);
    t.setCsr('mstatus', MS.SIE);
    t.setCsr('vsstatus', MS.SIE);
    run(t, true, Priv.S, A.ecall());
    expect(t.csr('mstatus') & (MS.SIE | MS.SPIE)).toBe(MS.SPIE);
    expect(t.csr('vsstatus') & (MS.SIE | MS.SPIE)).toBe(MS.SIE);
  });

  it('entering M from V=1: MPIE = MIE, MIE = 0; vsstatus and hstatus are untouched (norm:H_trap_m_csrwrites)', () => {
    const t = hypHart();
    t.setCsr('mstatus', MS.MIE);
    t.setCsr('vsstatus', MS.SIE);
    t.setCsr('hstatus', HS.SPVP);
    run(t, true, Priv.S, A.ecall());
    expect(t.csr('mstatus') & (MS.MIE | MS.MPIE)).toBe(MS.MPIE);
    expect(t.csr('vsstatus') & MS.SIE).toBe(MS.SIE);
    expect(t.csr('hstatus') & (HS.SPV | HS.SPVP)).toBe(HS.SPVP);
  });
});

describe('xtval, GVA and htval/mtval2 (hypervisor.adoc norm:hstatus_gva_op, norm:mstatus_gva_op, norm:htval_trapval)', () => {
  it('an illegal instruction in VS-mode writes the instruction bits to stval with GVA=0, htval=0, htinst=0 (norm:hstatus_gva_op: "For any other trap into HS-mode, GVA is set to 0")', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 2n);
    t.setCsr('hstatus', HS.GVA);
    t.setCsr('htval', 0x55n);
    t.setCsr('htinst', 0x66n);
    const bad = A.csrr(a0, A.CSR.mstatus);
    run(t, true, Priv.S, bad);
    expect(t.csr('scause')).toBe(2n);
    expect(t.csr('stval')).toBe(BigInt(bad));
    expect(t.csr('hstatus') & HS.GVA).toBe(0n);
    expect(t.csr('htval')).toBe(0n);
    expect(t.csr('htinst')).toBe(0n);
  });

  it('EBREAK in VS-mode writes its guest virtual address to stval with GVA=1 (breakpoint) (norm:hstatus_gva_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 3n);
    run(t, true, Priv.S, A.addi(a0, 0, 0), A.ebreak());
    expect(t.csr('scause')).toBe(3n);
    expect(t.csr('stval')).toBe(CODE + 4n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
  });

  it('a misaligned load in VS-mode taken into M sets mstatus.GVA=1, mtval = the address, mtval2=0 (norm:mstatus_gva_op, norm:mtval2_trapval)', () => {
    const t = hypHart();
    run(t, true, Priv.S, A.li64(a0, DATA + 3n), A.lw(a1, a0, 0));
    expect(t.csr('mcause')).toBe(4n);
    expect(t.csr('mtval')).toBe(DATA + 3n);
    expect(t.csr('mstatus') & MS.GVA).toBe(MS.GVA);
    expect(t.csr('mtval2')).toBe(0n);
  });

  it('a misaligned SC in VS-mode (address-misaligned before the reservation check) writes its guest virtual address with GVA=1, into HS and into M (norm:hstatus_gva_op, norm:mstatus_gva_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 6n);
    run(t, true, Priv.S, A.li64(a0, DATA + 4n), A.sc_d(a1, a1, a0));
    expect(t.csr('scause')).toBe(6n);
    expect(t.csr('stval')).toBe(DATA + 4n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
    const m = hypHart();
    run(m, true, Priv.U, A.li64(a0, DATA + 2n), A.sc_w(a1, a1, a0));
    expect(m.csr('mcause')).toBe(6n);
    expect(m.csr('mstatus') & MS.GVA).toBe(MS.GVA);
  });

  it('a page fault in HS-mode sets GVA=0 (its address is not a guest virtual address) (norm:hstatus_gva_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 13n);
    t.setCsr('hstatus', HS.GVA);
    const pt = t.pageTables(3);
    t.mapKernelIdentity(pt);
    t.useTables(pt);
    run(t, false, Priv.S, A.li64(a0, 0x4000_0000n), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(13n);
    expect(t.csr('stval')).toBe(0x4000_0000n);
    expect(t.csr('hstatus') & HS.GVA).toBe(0n);
  });
});

describe('guest-page faults through the hart (hypervisor.adoc "Guest-Page Faults", norm:htval_trapval, norm:H_trap_xtinst_guestpage)', () => {
  const GVA = 0x4000_0000n;
  const OFF = 0x128n;
  /** A guest whose GVA page maps to GUEST_DATA_GPA, which the G-stage does not map. */
  function gpfGuest(opts: Parameters<typeof hypHart>[0] = {}, deleg = true) {
    const t = hypHart(opts);
    if (deleg) t.setCsr('medeleg', (1n << 20n) | (1n << 21n) | (1n << 23n) | (1n << 13n));
    const g = new Guest(t).enable();
    g.vmap(GVA, GUEST_DATA_GPA);
    return { t, g };
  }

  it('a load guest-page fault: cause 21, stval = GVA, htval = GPA >> 2, GVA=1, SPV=1, htinst = the transformed load (funct3, rd, opcode; rs1 and offset zero)', () => {
    const { t } = gpfGuest();
    const insn = A.ld(a1, a0, Number(OFF));
    run(t, true, Priv.S, A.li64(a0, GVA), insn);
    expect(target(t)).toBe('HS');
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('stval')).toBe(GVA + OFF);
    expect(t.csr('htval')).toBe((GUEST_DATA_GPA + OFF) >> 2n);
    expect(t.csr('hstatus') & (HS.GVA | HS.SPV)).toBe(HS.GVA | HS.SPV);
    expect(t.csr('htinst')).toBe(BigInt((3 << 12) | (a1 << 7) | 0x03));
    expect(t.csr('sepc')).toBe(CODE + BigInt(4 * A.li64(a0, GVA).length));
  });

  it('a store guest-page fault: cause 23, htinst = the transformed store (rs2, funct3, opcode)', () => {
    const { t } = gpfGuest();
    run(t, true, Priv.S, A.li64(a0, GVA), A.sw(a1, a0, 0x40));
    expect(t.csr('scause')).toBe(23n);
    expect(t.csr('stval')).toBe(GVA + 0x40n);
    expect(t.csr('htval')).toBe((GUEST_DATA_GPA + 0x40n) >> 2n);
    expect(t.csr('htinst')).toBe(BigInt((a1 << 20) | (2 << 12) | 0x23));
  });

  it('an AMO guest-page fault: htinst is the AMO with rs1 (bits 19:15) zero (transformedatomicinst)', () => {
    const { t } = gpfGuest();
    const amo = A.amoadd_d(a1, t0, a0);
    run(t, true, Priv.S, A.li64(a0, GVA), amo);
    expect(t.csr('scause')).toBe(23n);
    expect(t.csr('htinst')).toBe(BigInt(amo & ~(0x1f << 15)));
  });

  it('a compressed load guest-page fault: htinst is the transformed 32-bit load with bit 1 cleared ("For a standard compressed instruction")', () => {
    const { t } = gpfGuest();
    t.code(CODE, (a) => a.li(s0, GVA).c(A.c_lw(a0, s0, 8)));
    startVirt(t, CODE, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('htinst')).toBe(BigInt((2 << 12) | (a0 << 7) | 0x01));
    expect(t.csr('stval')).toBe(GVA + 8n);
  });

  it('a compressed store guest-page fault taken into M: mtinst is the transformed SW with bit 1 cleared, mtval2 = GPA >> 2 (norm:mtval2_trapval; "For a standard compressed instruction")', () => {
    const { t } = gpfGuest({}, false);
    t.code(CODE, (a) => a.li(s0, GVA).c(A.c_sw(a0, s0, 0x7c)));
    startVirt(t, CODE, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(23n);
    expect(t.csr('mtinst')).toBe(BigInt((a0 << 20) | (2 << 12) | 0x21));
    expect(t.csr('mtval2')).toBe((GUEST_DATA_GPA + 0x7cn) >> 2n);
  });

  it('a misaligned load whose second page faults: stval and htval name the faulting portion, htinst Addr. Offset = its distance from the original address (norm:H_straddle, norm:H_tinst_addr_offset)', () => {
    const { t, g } = gpfGuest({ hart: { misaligned: 'emulate' } });
    const page = GVA + 0x10000n; // GVA of a page whose GPA the G-stage does not map
    g.map(page - 0x1000n, GUEST_DATA_GPA + 0x8000n, GUEST_DATA_HPA + 0x8000n);
    g.vmap(page, GUEST_DATA_GPA + 0x10000n);
    run(t, true, Priv.S, A.li64(a0, page - 5n), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('stval')).toBe(page);
    expect(t.csr('htval')).toBe((GUEST_DATA_GPA + 0x10000n) >> 2n);
    expect(t.csr('htinst')).toBe(BigInt((5 << 15) | (3 << 12) | (a1 << 7) | 0x03));
  });

  it("with hart.tinst = 'zero', htinst is 0 for an explicit access's guest-page fault (hypervisor.adoc: 'the value written to mtinst or htinst may always be zero')", () => {
    const { t } = gpfGuest({ hart: { tinst: 'zero' } });
    run(t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('htval')).toBe(GUEST_DATA_GPA >> 2n);
    expect(t.csr('htinst')).toBe(0n);
  });

  it('an instruction guest-page fault: cause 20, sepc = stval = the GVA, htval = GPA >> 2, htinst = 0 (table tinst-values: no transformation for fetches)', () => {
    const { t, g } = gpfGuest();
    g.vmap(GVA + 0x1000n, GUEST_DATA_GPA + 0x1000n);
    run(t, true, Priv.S, A.li64(a0, GVA + 0x1010n), A.jalr(0, a0, 0));
    expect(t.csr('scause')).toBe(20n);
    expect(t.csr('sepc')).toBe(GVA + 0x1010n);
    expect(t.csr('stval')).toBe(GVA + 0x1010n);
    expect(t.csr('htval')).toBe((GUEST_DATA_GPA + 0x1010n) >> 2n);
    expect(t.csr('htinst')).toBe(0n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
  });

  it('a 32-bit instruction straddling into a page whose GPA is not mapped: instruction guest-page fault with sepc = the instruction, stval = the page boundary, htval = its GPA >> 2 (norm:H_straddle)', () => {
    const { t } = gpfGuest();
    const at = 0x807f_fffen; // the G-stage identity map of guest RAM ends at 0x8080_0000
    t.poke(at, 2, BigInt(A.addi(a0, 0, 1) & 0xffff)); // low half only: the high half is never fetched
    run(t, true, Priv.S, A.li64(a1, at), A.jalr(0, a1, 0));
    expect(t.csr('scause')).toBe(20n);
    expect(t.csr('sepc')).toBe(at);
    expect(t.csr('stval')).toBe(at + 2n);
    expect(t.csr('htval')).toBe((at + 2n) >> 2n);
    expect(t.csr('htinst')).toBe(0n);
  });

  it('a guest-page fault on an implicit VS-stage PTE read: htval = the PTE GPA >> 2, htinst = 0x3000, reported as the original access type (norm:H_trap_xtinst_guestpage, norm:H_vm_gpapriv)', () => {
    const { t, g } = gpfGuest();
    g.gmap(GUEST_DATA_GPA, GUEST_DATA_HPA);
    const leafGpa = g.vmap(GVA, GUEST_DATA_GPA);
    const tablePage = leafGpa & ~0xfffn;
    g.gpt.setPte(tablePage, 0, 0n); // the VS leaf table's page is no longer guest-physical memory
    run(t, true, Priv.S, A.li64(a0, GVA), A.sd(a1, a0, 0));
    expect(t.csr('scause')).toBe(23n);
    expect(t.csr('stval')).toBe(GVA);
    expect(t.csr('htval')).toBe(leafGpa >> 2n);
    expect(t.csr('htinst')).toBe(0x3000n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
    expect(tablePage >= VS_TABLE_GPA).toBe(true);
  });

  it("the implicit fault's pseudoinstruction is written even with hart.tinst = 'zero' (zero is not allowed there) (norm:H_trap_xtinst_guestpage)", () => {
    const { t, g } = gpfGuest({ hart: { tinst: 'zero' } });
    const leafGpa = g.vmap(GVA, GUEST_DATA_GPA);
    g.gpt.setPte(leafGpa & ~0xfffn, 0, 0n);
    run(t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('htinst')).toBe(0x3000n);
  });

  it('a guest-page fault on the implicit A/D update of a VS-stage PTE (Svadu): htinst = 0x3020, htval = the PTE GPA >> 2 (norm:H_trap_xtinst_guestpage_rw)', () => {
    const { t, g } = gpfGuest();
    t.setCsr('menvcfg', ENVCFG.ADUE);
    t.setCsr('henvcfg', ENVCFG.ADUE);
    g.gmap(GUEST_DATA_GPA, GUEST_DATA_HPA);
    const leafGpa = g.vmap(GVA, GUEST_DATA_GPA, 0, VS_RWX & ~PTE.A & ~PTE.D);
    g.gpt.setPte(leafGpa & ~0xfffn, 0, 0n);
    g.gmap(leafGpa & ~0xfffn, g.hostOf(VS_TABLE_GPA) + (leafGpa & ~0xfffn) - VS_TABLE_GPA, 0, G_URW & ~PTE.W); // readable, not writable
    run(t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(21n);
    expect(t.csr('htval')).toBe(leafGpa >> 2n);
    expect(t.csr('htinst')).toBe(0x3020n);
  });

  it('a guest-page fault taken into M: mtval = GVA, mtval2 = GPA >> 2, mtinst = the transformed load, GVA=1, MPV=1 (norm:mtval2_trapval, norm:mstatus_gva_op)', () => {
    const { t } = gpfGuest({}, false);
    run(t, true, Priv.S, A.li64(a0, GVA), A.lw(a1, a0, 4));
    expect(target(t)).toBe('M');
    expect(t.csr('mcause')).toBe(21n);
    expect(t.csr('mtval')).toBe(GVA + 4n);
    expect(t.csr('mtval2')).toBe((GUEST_DATA_GPA + 4n) >> 2n);
    expect(t.csr('mtinst')).toBe(BigInt((2 << 12) | (a1 << 7) | 0x03));
    expect(t.csr('mstatus') & (MS.GVA | MS.MPV)).toBe(MS.GVA | MS.MPV);
    expect(t.csr('htval')).toBe(0n);
  });

  it('a VS-stage page fault (not guest-page) into HS: cause 13, GVA=1, htval=0 (norm:hstatus_gva_op, norm:htval_trapval)', () => {
    const { t, g } = gpfGuest();
    g.vmap(GVA + 0x2000n, GUEST_DATA_GPA, 0, VS_RWX & ~PTE.R & ~PTE.W);
    t.setCsr('htval', 0x99n);
    run(t, true, Priv.S, A.li64(a0, GVA + 0x2000n), A.ld(a1, a0, 0));
    expect(t.csr('scause')).toBe(13n);
    expect(t.csr('stval')).toBe(GVA + 0x2000n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
    expect(t.csr('htval')).toBe(0n);
  });
});

describe('VS-stage faults delegated to VS and the A/D rules of each stage (hypervisor.adoc norm:henvcfg_adue_op; machine.adoc norm:menvcfg_adue_op)', () => {
  const GVA = 0x4000_0000n;

  it('a VS-stage page fault delegated by medeleg and hedeleg goes to VS: vscause 13, vstval = GVA; htval and hstatus.GVA are untouched (norm:H_trap_vs_csrwrites)', () => {
    const t = hypHart();
    const g = new Guest(t).enable();
    g.vmap(GVA, GUEST_DATA_GPA, 0, VS_RWX & ~PTE.R & ~PTE.W);
    t.setCsr('medeleg', 1n << 13n);
    t.setCsr('hedeleg', 1n << 13n);
    t.setCsr('htval', 0x77n);
    run(t, true, Priv.S, A.li64(a0, GVA + 0x18n), A.ld(a1, a0, 0));
    expect(target(t)).toBe('VS');
    expect(t.csr('vscause')).toBe(13n);
    expect(t.csr('vstval')).toBe(GVA + 0x18n);
    expect(t.csr('htval')).toBe(0x77n);
    expect(t.csr('hstatus') & HS.GVA).toBe(0n);
  });

  /** A guest page whose VS leaf and G leaf lack A/D as asked; returns the two leaves' host addresses. */
  function adGuest(vsAD: boolean, gAD: boolean) {
    const t = hypHart();
    const g = new Guest(t).enable();
    const noAD = ~PTE.A & ~PTE.D;
    g.gmap(GUEST_DATA_GPA, GUEST_DATA_HPA, 0, gAD ? G_URWX : G_URWX & noAD);
    const vsLeaf = g.hostOf(g.vmap(GVA, GUEST_DATA_GPA, 0, vsAD ? VS_RWX : VS_RWX & noAD));
    const gLeaf = g.gpt.pteAddr(GUEST_DATA_GPA, 0);
    t.poke(GUEST_DATA_HPA, 8, 0x5an);
    t.setCsr('medeleg', (1n << 13n) | (1n << 15n) | (1n << 21n) | (1n << 23n));
    return { t, vsLeaf, gLeaf };
  }

  it('Svade at the VS-stage (henvcfg.ADUE=0): a VS leaf with A=0 is a page fault; with menvcfg.ADUE=1 and henvcfg.ADUE=1 the hart sets A (and D on a store) (norm:henvcfg_adue_op)', () => {
    const a = adGuest(false, true);
    a.t.setCsr('menvcfg', ENVCFG.ADUE);
    run(a.t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0), A.ecall());
    expect(a.t.csr('scause')).toBe(13n);
    const b = adGuest(false, true);
    b.t.setCsr('menvcfg', ENVCFG.ADUE);
    b.t.setCsr('henvcfg', ENVCFG.ADUE);
    run(b.t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0), A.sd(a1, a0, 8), A.ecall());
    expect(b.t.csr('mcause')).toBe(10n);
    expect(b.t.x(a1)).toBe(0x5an);
    expect(b.t.peek(b.vsLeaf) & BigInt(PTE.A | PTE.D)).toBe(BigInt(PTE.A | PTE.D));
  });

  it('the G-stage follows menvcfg.ADUE alone: a G leaf with A=0 is a guest-page fault with ADUE=0 and is updated with ADUE=1 (henvcfg.ADUE=0) (machine.adoc norm:menvcfg_adue_op)', () => {
    const a = adGuest(true, false);
    run(a.t, true, Priv.S, A.li64(a0, GVA), A.ld(a1, a0, 0), A.ecall());
    expect(a.t.csr('scause')).toBe(21n);
    expect(a.t.csr('htval')).toBe(GUEST_DATA_GPA >> 2n);
    const b = adGuest(true, false);
    b.t.setCsr('menvcfg', ENVCFG.ADUE);
    run(b.t, true, Priv.S, A.li64(a0, GVA), A.sd(a1, a0, 0), A.ecall());
    expect(b.t.csr('mcause')).toBe(10n);
    expect(b.t.peek(b.gLeaf) & BigInt(PTE.A | PTE.D)).toBe(BigInt(PTE.A | PTE.D));
  });
});

describe('trap return (hypervisor.adoc "Trap Return", norm:mret_h, norm:sret_v0, norm:sret_v1)', () => {
  it('MRET with MPP=S, MPV=1 enters VS-mode (V=1) and clears MPV; MPP becomes U (norm:mret_h, norm:mstatus_mpv_op)', () => {
    const t = hypHart();
    t.setCsr('mepc', 0x8000_0100n);
    t.setCsr('mstatus', MS.MPV | (1n << 11n));
    run(t, false, Priv.M, A.mret());
    expect(t.csr('vscause') === 0n && t.csr('mcause') !== 0n).toBe(true); // CODE+0x100 holds zeros: illegal
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mepc')).toBe(0x8000_0100n);
    expect(t.csr('mstatus') & MS.MPV).toBe(MS.MPV); // set again by the trap from V=1
    expect(mppOf(t)).toBe(1n);
  });

  it('MRET to VU then ECALL: V=1 and U-mode (cause 8, MPV=1, MPP=U); after MRET MPV reads 0 (norm:mret_h)', () => {
    const t = hypHart();
    t.code(CODE + 0x100n, (a) => a.emit(A.ecall()));
    t.setCsr('mepc', CODE + 0x100n);
    t.setCsr('mstatus', MS.MPV);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.start(CODE);
    t.step(1);
    expect(virt(t)).toBe(true);
    expect(t.priv).toBe(Priv.U);
    expect(t.csr('mstatus') & (MS.MPV | MS.MPP)).toBe(0n);
    expect(t.runSteps(50).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(8n);
    expect(t.csr('mstatus') & MS.MPV).toBe(MS.MPV);
  });

  it('MRET with MPP=M ignores MPV: V stays 0, MPV is cleared (table h-mpp: "MPV is ignored when MPP=3")', () => {
    const t = hypHart();
    t.code(CODE + 0x100n, (a) => a.emit(A.addi(a0, 0, 7)));
    t.setCsr('mepc', CODE + 0x100n);
    t.setCsr('mstatus', MS.MPV | MS.MPP);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.start(CODE);
    t.step(1);
    expect(virt(t)).toBe(false);
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mstatus') & MS.MPV).toBe(0n);
  });

  it('SRET in HS-mode with SPV=1 enters VS (SPP=1) or VU (SPP=0); SPV is cleared, SIE=SPIE, SPIE=1, SPP=0 (norm:sret_v0)', () => {
    for (const [spp, priv] of [[MS.SPP, Priv.S], [0n, Priv.U]] as const) {
      const t = hypHart();
      t.setCsr('sepc', CODE + 0x100n);
      t.setCsr('hstatus', HS.SPV | HS.SPVP);
      t.setCsr('mstatus', MS.SPIE | spp);
      t.code(CODE, (a) => a.emit(A.sret()));
      t.start(CODE, Priv.S);
      t.step(1);
      expect(virt(t)).toBe(true);
      expect(t.priv).toBe(priv);
      expect(t.pc).toBe(CODE + 0x100n);
      expect(t.csr('hstatus') & (HS.SPV | HS.SPVP)).toBe(HS.SPVP);
      expect(t.csr('mstatus') & (MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SIE | MS.SPIE);
    }
  });

  it('SRET in HS-mode with SPV=0 stays at V=0 (norm:sret_v0, norm:hstatus_spv_sret)', () => {
    const t = hypHart();
    t.setCsr('sepc', CODE + 0x100n);
    t.setCsr('mstatus', MS.SPP);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.start(CODE, Priv.S);
    t.step(1);
    expect(virt(t)).toBe(false);
    expect(t.priv).toBe(Priv.S);
  });

  it('SRET in M-mode (V=0) also takes V from hstatus.SPV (norm:sret_v0: "When executed in M-mode or HS-mode")', () => {
    const t = hypHart();
    t.setCsr('sepc', CODE + 0x100n);
    t.setCsr('hstatus', HS.SPV);
    t.setCsr('mstatus', MS.SPP);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.start(CODE, Priv.M);
    t.step(1);
    expect(virt(t)).toBe(true);
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('hstatus') & HS.SPV).toBe(0n);
  });

  it('SRET in VS-mode returns through vsstatus and vsepc and keeps V=1; hstatus.SPV, sepc and mstatus are not used (norm:sret_v1)', () => {
    const t = hypHart();
    t.setCsr('vsepc', CODE + 0x200n);
    t.setCsr('vsstatus', MS.SPIE); // SPP=0: to VU
    t.setCsr('sepc', CODE + 0x300n);
    t.setCsr('hstatus', HS.SPV);
    t.setCsr('mstatus', MS.SPP);
    t.code(CODE, (a) => a.emit(A.sret()));
    startVirt(t, CODE, Priv.S);
    t.step(1);
    expect(virt(t)).toBe(true);
    expect(t.priv).toBe(Priv.U);
    expect(t.pc).toBe(CODE + 0x200n);
    expect(t.csr('vsstatus') & (MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SIE | MS.SPIE);
    expect(t.csr('hstatus') & HS.SPV).toBe(HS.SPV);
    expect(t.csr('mstatus') & MS.SPP).toBe(MS.SPP);
  });

  it('a round trip: HS enters the guest with SRET, the guest ECALLs back to HS, which reads SPV=1 and the guest pc (norm:hstatus_spv_sret, norm:hstatus_spv_op)', () => {
    const t = hypHart();
    t.setCsr('medeleg', 1n << 10n);
    t.code(CODE, (a) => a
      .li(t0, HS.SPV).emit(A.csrs(A.CSR.hstatus, t0))
      .li(t0, MS.SPP).emit(A.csrs(A.CSR.sstatus, t0))
      .la(t0, 'guest').emit(A.csrw(A.CSR.sepc, t0), A.sret())
      .label('guest').emit(A.addi(a0, 0, 42), A.ecall()));
    t.start(CODE, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('scause')).toBe(10n);
    expect(t.x(a0)).toBe(42n);
    expect(t.csr('hstatus') & HS.SPV).toBe(HS.SPV);
  });
});

describe('MPRV with MPV=1 (hypervisor.adoc norm:mstatus_mprv_hypervisor, table h-mprv)', () => {
  const GVA = 0x4000_0000n;
  function mprvGuest(vsFlags: number) {
    const t = hypHart();
    const g = new Guest(t).enable();
    g.map(GVA, GUEST_DATA_GPA + 0x3000n, GUEST_DATA_HPA + 0x5000n, vsFlags);
    t.poke(GUEST_DATA_HPA + 0x5010n, 8, 0x1122_3344_5566_7788n);
    return { t, g };
  }

  it('an M-mode load with MPRV=1, MPV=1, MPP=S is translated by both stages (GVA -> GPA -> HPA) (norm:mstatus_mprv_hypervisor)', () => {
    const { t } = mprvGuest(VS_RWX);
    t.setCsr('mstatus', MS.MPRV | MS.MPV | (1n << 11n));
    t.code(CODE, (a) => a.li(a0, GVA + 0x10n).emit(A.ld(a1, a0, 0), A.sd(a1, a0, 8)));
    t.start(CODE);
    t.step(A.li64(a0, GVA + 0x10n).length + 2);
    expect(t.x(a1)).toBe(0x1122_3344_5566_7788n);
    expect(t.peek(GUEST_DATA_HPA + 0x5018n)).toBe(0x1122_3344_5566_7788n);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('with MPP=S and MPV=1, vsstatus.SUM applies instead of the HS-level SUM: a VS U-page load faults with vsstatus.SUM=0 (mstatus.SUM=1) and succeeds with vsstatus.SUM=1 (table h-mprv)', () => {
    const user = VS_RWX | PTE.U;
    const a = mprvGuest(user);
    a.t.setCsr('mstatus', MS.MPRV | MS.MPV | (1n << 11n) | MS.SUM);
    run(a.t, false, Priv.M, A.li64(a0, GVA + 0x10n), A.ld(a1, a0, 0), A.ecall());
    expect(a.t.csr('mcause')).toBe(13n);
    expect(a.t.csr('mtval')).toBe(GVA + 0x10n);
    expect(a.t.csr('mstatus') & MS.GVA).toBe(MS.GVA);
    expect(a.t.csr('mstatus') & MS.MPV).toBe(0n); // the trap came from M-mode (V=0)

    const b = mprvGuest(user);
    b.t.setCsr('mstatus', MS.MPRV | MS.MPV | (1n << 11n));
    b.t.setCsr('vsstatus', MS.SUM);
    run(b.t, false, Priv.M, A.li64(a0, GVA + 0x10n), A.ld(a1, a0, 0), A.ecall());
    expect(b.t.csr('mcause')).toBe(11n);
    expect(b.t.x(a1)).toBe(0x1122_3344_5566_7788n);
  });

  it('with MPP=U and MPV=1, the access is a VU access: a VS supervisor page faults (table h-mprv)', () => {
    const { t } = mprvGuest(VS_RWX);
    t.setCsr('mstatus', MS.MPRV | MS.MPV);
    t.setCsr('vsstatus', MS.SUM);
    run(t, false, Priv.M, A.li64(a0, GVA + 0x10n), A.ld(a1, a0, 0), A.ecall());
    expect(t.csr('mcause')).toBe(13n);
  });

  it('with MPV=0 and MPP=S, the same load uses HS-level translation (satp Bare: physical) (table h-mprv)', () => {
    const { t } = mprvGuest(VS_RWX);
    t.poke(DATA, 8, 0x77n);
    t.setCsr('mstatus', MS.MPRV | (1n << 11n));
    run(t, false, Priv.M, A.li64(a0, DATA), A.ld(a1, a0, 0), A.ecall());
    expect(t.csr('mcause')).toBe(11n);
    expect(t.x(a1)).toBe(0x77n);
  });

  it('instruction fetch is not affected by MPRV: M-mode keeps running at physical addresses (machine.adoc "Memory Privilege in mstatus")', () => {
    const { t } = mprvGuest(VS_RWX);
    t.setCsr('mstatus', MS.MPRV | MS.MPV | (1n << 11n));
    run(t, false, Priv.M, A.addi(a0, 0, 3), A.ecall());
    expect(t.csr('mcause')).toBe(11n);
    expect(t.x(a0)).toBe(3n);
  });
});
