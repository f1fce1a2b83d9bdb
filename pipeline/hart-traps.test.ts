import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, t0 } from './test-support/asm.js';
import { CODE, DATA, M_HANDLER, PRIV, PTE, S_HANDLER, TestHart, UNMAPPED, interruptCause } from './test-support/harness.js';

/** mstatus fields (machine.adoc "Machine Status (mstatus and mstatush) Registers"). */
const SIE = 1n << 1n, MIE = 1n << 3n, SPIE = 1n << 5n, MPIE = 1n << 7n, SPP = 1n << 8n;
const MPP_SHIFT = 11n, MPP = 3n << 11n, MPRV = 1n << 17n, TSR = 1n << 22n;
const mpp = (t: TestHart) => (t.csr('mstatus') & MPP) >> MPP_SHIFT;

/** Run `words` at CODE in privilege `priv` until the halt handler stops the run. */
function runAt(t: TestHart, priv: Priv, ...words: (number | number[])[]): void {
  t.code(CODE, (a) => a.emit(...words));
  t.start(CODE, priv);
  expect(t.runSteps(200).reason).toBe('exit');
}

describe('trap entry to M-mode', () => {
  it('ECALL from M sets mepc to the ECALL, mcause 11, mtval 0, MPP=M, MPIE=MIE, MIE=0 and jumps to mtvec (machine.adoc norm:ecall_op2, norm:ecall_ebreak_epc_value, norm:mstatus_xpie_xie_xpp_trap_op)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MIE);
    t.setCsr('mtval', 0x1234n);
    runAt(t, Priv.M, A.addi(a0, 0, 1), A.ecall());
    expect(t.csr('mepc')).toBe(CODE + 4n);
    expect(t.csr('mcause')).toBe(11n);
    expect(t.csr('mtval')).toBe(0n);
    expect(mpp(t)).toBe(3n);
    expect(t.csr('mstatus') & (MIE | MPIE)).toBe(MPIE);
    expect(t.priv).toBe(Priv.M);
    expect(t.pc > M_HANDLER && t.pc < M_HANDLER + 0x40n).toBe(true);
  });

  it('ECALL and EBREAK do not retire: minstret does not count them (machine.adoc norm:ecall_ebreak_no_minstret_inc)', () => {
    const t = new TestHart();
    t.code(CODE, (a) => a.emit(A.addi(a0, 0, 1), A.ecall()));
    t.step(2);
    expect(t.instret).toBe(1);
    expect(t.csr('mcause')).toBe(11n);
  });

  it('ECALL from U-mode without delegation traps to M with mcause 8 and MPP=U (machine.adoc norm:trap_def_M_mode)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MPP); // MPP=M before the trap, to see it overwritten
    runAt(t, Priv.U, A.ecall());
    expect(t.csr('mcause')).toBe(8n);
    expect(mpp(t)).toBe(0n);
    expect(t.priv).toBe(Priv.M);
  });

  it('ECALL from S-mode without delegation traps to M with mcause 9 and MPP=S', () => {
    const t = new TestHart();
    runAt(t, Priv.S, A.ecall());
    expect(t.csr('mcause')).toBe(9n);
    expect(mpp(t)).toBe(1n);
  });

  it('EBREAK sets mtval and mepc to the address of the EBREAK, cause 3 (machine.adoc norm:mtval_vaddr_wr1, "On a breakpoint exception raised by an EBREAK")', () => {
    const t = new TestHart();
    runAt(t, Priv.M, A.addi(a0, 0, 1), A.ebreak());
    expect(t.csr('mcause')).toBe(3n);
    expect(t.csr('mepc')).toBe(CODE + 4n);
    expect(t.csr('mtval')).toBe(CODE + 4n);
  });

  it('C.EBREAK behaves as EBREAK: cause 3, mepc = mtval = its address (machine.adoc norm:ebreak_op2 NOTE)', () => {
    const t = new TestHart();
    t.code(CODE, (a) => a.c(A.c_nop(), A.c_ebreak()));
    t.start(CODE);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(3n);
    expect(t.csr('mepc')).toBe(CODE + 2n);
    expect(t.csr('mtval')).toBe(CODE + 2n);
  });

  it('an illegal 32-bit instruction writes its bits to mtval, right-justified with upper bits zero (machine.adoc norm:mtval_instr_bits_lead-in, norm:mtval_ill_instr_exc_in_low_bits)', () => {
    const t = new TestHart();
    const bad = A.csrrw(a0, CSR.mstatus, a0); // M-level CSR from U-mode: illegal
    runAt(t, Priv.U, bad);
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mtval')).toBe(BigInt(bad));
    expect(t.csr('mepc')).toBe(CODE);
  });

  it('an illegal instruction with bit 31 set still gives a zero-extended mtval (norm:mtval_ill_instr_exc_in_low_bits)', () => {
    const t = new TestHart();
    const bad = A.csrrw(a0, 0xfff, a0); // nonexistent CSR 0xfff; instruction bits 0xfff51573
    runAt(t, Priv.M, bad);
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mtval')).toBe(BigInt(bad));
    expect(t.csr('mtval') >> 32n).toBe(0n);
  });

  it('an illegal compressed instruction writes only its 16 bits to mtval (machine.adoc norm:mtval_instr_bits_list: "the actual faulting instruction")', () => {
    const t = new TestHart();
    t.code(CODE, (a) => a.c(0x0004, A.c_nop())); // c.addi4spn with nzuimm=0: reserved
    t.poke(CODE + 2n, 2, 0xffffn); // the next parcel must not leak into mtval
    t.start(CODE);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mtval')).toBe(0x0004n);
  });

  it('a load from unmapped physical memory is a load access fault with mtval = the address (machine.adoc norm:mtval_vaddr_wr1)', () => {
    const t = new TestHart();
    runAt(t, Priv.M, A.li64(a0, UNMAPPED + 0x10n), A.ld(t0, a0, 8));
    expect(t.csr('mcause')).toBe(5n);
    expect(t.csr('mtval')).toBe(UNMAPPED + 0x18n);
  });

  it('a store to unmapped physical memory is a store access fault (cause 7) with mtval = the address', () => {
    const t = new TestHart();
    runAt(t, Priv.M, A.li64(a0, UNMAPPED), A.sw(a0, a0, -4));
    expect(t.csr('mcause')).toBe(7n);
    expect(t.csr('mtval')).toBe(UNMAPPED - 4n);
  });

  it('a jump to unmapped memory is an instruction access fault: mepc = mtval = the target (machine.adoc norm:mtval_vaddr_wr1)', () => {
    const t = new TestHart();
    runAt(t, Priv.M, A.li64(a0, UNMAPPED + 0x100n), A.jalr(0, a0, 0));
    expect(t.csr('mcause')).toBe(1n);
    expect(t.csr('mepc')).toBe(UNMAPPED + 0x100n);
    expect(t.csr('mtval')).toBe(UNMAPPED + 0x100n);
  });

  it('misaligned load and store (hart.misaligned=trap) raise causes 4 and 6 with mtval = the address (machine.adoc "Machine Cause Register")', () => {
    const t = new TestHart();
    runAt(t, Priv.M, A.li64(a0, DATA + 3n), A.lw(t0, a0, 0));
    expect([t.csr('mcause'), t.csr('mtval')]).toEqual([4n, DATA + 3n]);
    const u = new TestHart();
    runAt(u, Priv.M, A.li64(a0, DATA + 2n), A.sd(t0, a0, 0));
    expect([u.csr('mcause'), u.csr('mtval')]).toEqual([6n, DATA + 2n]);
  });

  it('an instruction that straddles a page boundary and faults on its second half reports mtval = the second page, mepc = the instruction (machine.adoc norm:mtval_varlen_wr, norm:mepc_varlen_wr)', () => {
    const t = new TestHart();
    const pt = t.pageTables(3);
    t.mapKernelIdentity(pt);
    const va = 0x4000_0000n;
    pt.map(va, 0x8020_0000n, 0, PTE.V | PTE.R | PTE.X | PTE.A); // next page unmapped
    t.code(va + 0xffcn, (a) => a.c(A.c_nop()).emit(A.addi(a0, a0, 1)), 0x8020_0ffcn); // the addi starts at 0xffe
    t.useTables(pt);
    t.start(va + 0xffcn, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(12n);
    expect(t.csr('mepc')).toBe(va + 0xffen);
    expect(t.csr('mtval')).toBe(va + 0x1000n);
  });

  it('a fetch from an address at or above 2^53 in M-mode (no memory there) is an instruction access fault with mtval = the full address', () => {
    const t = new TestHart();
    const target = 0x0020_0000_0000_1000n;
    runAt(t, Priv.M, A.li64(a0, target), A.jalr(0, a0, 0));
    expect(t.csr('mcause')).toBe(1n);
    expect(t.csr('mtval')).toBe(target);
    expect(t.csr('mepc')).toBe(target);
  });

  it('JALR clears bit 0 of the target, so an odd target is not misaligned (rv64.adoc "Unconditional Jumps")', () => {
    const t = new TestHart();
    t.code(CODE + 0x100n, (a) => a.emit(A.ecall()));
    runAt(t, Priv.M, A.li64(a0, CODE + 0x101n), A.jalr(A.ra, a0, 0));
    expect(t.csr('mcause')).toBe(11n);
    expect(t.csr('mepc')).toBe(CODE + 0x100n);
  });

  it('hypervisor instructions are illegal while misa.H=0 (hypervisor.adoc; machine.adoc "Machine ISA (misa) Register")', () => {
    const hfenceVvma = 0x2200_0073;
    const hlvB = ((0x30 << 25) | (11 << 15) | (4 << 12) | (10 << 7) | 0x73) >>> 0;
    for (const insn of [hfenceVvma, hlvB]) {
      const t = new TestHart({ hart: { h: false } });
      runAt(t, Priv.M, insn);
      expect(t.csr('mcause')).toBe(2n);
      expect(t.csr('mtval')).toBe(BigInt(insn));
    }
  });

  it('a trap in M-mode stays in M even when its medeleg bit is set (machine.adoc norm:trap_never_trans_lower)', () => {
    const t = new TestHart();
    t.setCsr('medeleg', 0xffffn);
    t.setCsr('scause', 0x77n);
    runAt(t, Priv.M, 0); // 32-bit zero word decodes as c.illegal (all-zero halfword)
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('scause')).toBe(0x77n);
  });
});

describe('trap delegation to S-mode', () => {
  it('delegates a U-mode ecall to S when medeleg[8]=1 and sets sepc/scause/stval, SPP=0, SPIE=SIE, SIE=0; M registers untouched (machine.adoc norm:trap_del_S_mode_op, norm:trap_del_S_mode_no_M_mode)', () => {
    const t = new TestHart();
    t.setCsr('medeleg', 1n << 8n);
    t.setCsr('mstatus', SIE | SPP | MPIE | (1n << MPP_SHIFT));
    t.setCsr('mepc', 0x111n << 2n);
    t.setCsr('mcause', 0x22n);
    t.setCsr('mtval', 0x33n);
    t.setCsr('stval', 0x44n);
    runAt(t, Priv.U, A.addi(a0, 0, 7), A.ecall());
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('sepc')).toBe(CODE + 4n);
    expect(t.csr('scause')).toBe(8n);
    expect(t.csr('stval')).toBe(0n);
    const s = t.csr('mstatus');
    expect(s & SPP).toBe(0n);
    expect(s & SPIE).toBe(SPIE);
    expect(s & SIE).toBe(0n);
    expect(s & (MPIE | MPP)).toBe(MPIE | (1n << MPP_SHIFT));
    expect([t.csr('mepc'), t.csr('mcause'), t.csr('mtval')]).toEqual([0x111n << 2n, 0x22n, 0x33n]);
    expect(t.pc > S_HANDLER && t.pc < S_HANDLER + 0x40n).toBe(true);
  });

  it('takes a delegated trap horizontally in S: SPP=S, SPIE=0 when SIE was 0 (machine.adoc norm:trap_horiz)', () => {
    const t = new TestHart();
    t.setCsr('medeleg', 1n << 2n);
    t.setCsr('mstatus', SPIE);
    runAt(t, Priv.S, A.mret());
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(2n);
    expect(t.csr('stval')).toBe(BigInt(A.mret()));
    expect(t.csr('mstatus') & (SPP | SPIE | SIE)).toBe(SPP);
  });

  it('does not delegate an exception whose medeleg bit is clear', () => {
    const t = new TestHart();
    t.setCsr('medeleg', 1n << 8n);
    runAt(t, Priv.S, A.ecall());
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mcause')).toBe(9n);
  });

  it('medeleg[11] (ECALL from M) is read-only zero and no bit is read-only one (machine.adoc norm:medeleg_when_rd0, norm:medeleg_no_rd1)', () => {
    const t = new TestHart();
    t.setCsr('medeleg', 0n);
    expect(t.csr('medeleg')).toBe(0n);
    t.setCsr('medeleg', -1n);
    const v = t.csr('medeleg');
    expect(v & (1n << 11n)).toBe(0n);
    expect(v & (1n << 16n)).toBe(0n); // norm:medeleg_16_no_rd0
    for (const c of [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 12n, 13n, 15n]) expect(v & (1n << c), `bit ${c}`).not.toBe(0n);
  });

  it('without H, mideleg holds only the supervisor interrupts SSI, STI, SEI (machine.adoc norm:mideleg_no_rd1, norm:medeleg_mideleg_warl)', () => {
    const t = new TestHart({ hart: { h: false } });
    t.setCsr('mideleg', -1n);
    expect(t.csr('mideleg')).toBe(0x222n);
    t.setCsr('mideleg', 0n);
    expect(t.csr('mideleg')).toBe(0n);
  });

  it('a delegated page fault in U-mode goes to S with stval = the faulting address (supervisor.adoc "Supervisor Trap Value (stval) Register")', () => {
    const t = new TestHart();
    const pt = t.pageTables(3);
    t.mapKernelIdentity(pt);
    const uva = 0x4000_0000n;
    pt.map(uva, 0x8020_0000n, 0, PTE.V | PTE.R | PTE.X | PTE.U | PTE.A);
    t.code(uva, (a) => a.emit(A.li64(a0, 0x5000_0008n), A.ld(t0, a0, 0)), 0x8020_0000n);
    t.useTables(pt);
    t.setCsr('medeleg', 1n << 13n);
    t.start(uva, Priv.U);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(13n);
    expect(t.csr('stval')).toBe(0x5000_0008n);
    expect(t.csr('sepc')).toBe(uva + 8n);
  });
});

describe('trap vectors', () => {
  it('vectored mtvec sends an interrupt to BASE+4*cause (mtval 0) and an exception to BASE (machine.adoc norm:mtvec_mode_vectored_op, norm:mtval_other_traps_zero)', () => {
    const t = new TestHart({ platform: { cpuHz: 10_000_000 } });
    const base = 0x8002_0000n;
    t.code(base, (a) => a.emit(A.exitSeq()));
    t.code(base + 28n, (a) => a.emit(A.exitSeq()));
    t.setCsr('mtvec', base | 1n);
    t.poke(0x200_4000n, 8, 0n); // mtimecmp = 0: MTIP pending at once
    t.setCsr('mie', 1n << 7n);
    t.setCsr('mstatus', MIE);
    t.setCsr('mtval', 0x1234n);
    t.code(CODE, (a) => a.emit(A.addi(a0, 0, 1)));
    t.step();
    expect(t.csr('mcause')).toBe(interruptCause(7));
    expect(t.pc).toBe(base + 28n);
    expect(t.csr('mepc')).toBe(CODE);
    expect(t.csr('mtval')).toBe(0n); // norm:mtval_other_traps_zero

    const u = new TestHart();
    u.setCsr('mtvec', base | 1n);
    u.code(CODE, (a) => a.emit(A.ecall()));
    u.step();
    expect(u.pc).toBe(base);
  });

  it('vectored stvec sends a delegated interrupt to BASE+4*cause (supervisor.adoc norm:stvec_op)', () => {
    const t = new TestHart();
    const base = 0x8002_0000n;
    t.setCsr('stvec', base | 1n);
    t.setCsr('mideleg', 1n << 1n);
    t.setCsr('mie', 1n << 1n);
    t.setCsr('mip', 1n << 1n); // SSIP
    t.code(CODE, (a) => a.emit(A.addi(a0, 0, 1)));
    t.setCsr('stval', 0x1234n);
    t.start(CODE, Priv.U);
    t.step();
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(interruptCause(1));
    expect(t.pc).toBe(base + 4n);
    expect(t.csr('stval')).toBe(0n); // supervisor.adoc norm:stval_op_other_traps
  });

  it('direct mtvec sends interrupts to BASE too (machine.adoc norm:mtvec_mode_direct_op)', () => {
    const t = new TestHart();
    t.setCsr('mip', 1n << 1n);
    t.setCsr('mie', 1n << 1n);
    t.code(CODE, (a) => a.emit(A.addi(a0, 0, 1)));
    t.start(CODE, Priv.S);
    t.step();
    expect(t.csr('mcause')).toBe(interruptCause(1));
    expect(t.pc).toBe(M_HANDLER);
  });

  it('a write of a reserved xtvec MODE (>= 2) leaves xtvec unchanged (machine.adoc norm:mtvec_mode_enc: >=2 reserved; WARL)', () => {
    const t = new TestHart();
    runAt(t, Priv.M,
      A.li64(a0, 0x8003_0002n), A.csrw(CSR.mtvec, a0), A.csrw(CSR.stvec, a0),
      A.li64(a0, 0x8003_0003n), A.csrw(CSR.stvec, a0),
      A.csrr(A.s2, CSR.mtvec), A.csrr(A.s3, CSR.stvec), A.ecall());
    expect(t.x(A.s2)).toBe(M_HANDLER);
    expect(t.x(A.s3)).toBe(S_HANDLER);
  });
});

describe('MRET and SRET', () => {
  it('MRET to S: privilege from MPP, MIE=MPIE, MPIE=1, MPP=U, pc=mepc, MPRV cleared (machine.adoc norm:mstatus_xret_op, norm:xret_op)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MPIE | (1n << MPP_SHIFT) | MPRV);
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.code(CODE + 0x100n, (a) => a.emit(A.ecall()));
    t.start(CODE);
    expect(t.runSteps(100).reason).toBe('exit');
    // the ecall then trapped back: mcause 9 proves S-mode, MPIE now holds the MIE=1 that MRET set
    expect(t.csr('mcause')).toBe(9n);
    expect(t.csr('mepc')).toBe(CODE + 0x100n);
    const s = t.csr('mstatus');
    expect(s & MPRV).toBe(0n);
    expect(s & MPIE).toBe(MPIE);
  });

  it('MRET sets MIE from MPIE, MPIE to 1 and MPP to U (checked right after the MRET) (machine.adoc norm:mstatus_xret_op)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MIE | (1n << MPP_SHIFT)); // MPIE=0
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.step();
    expect(t.priv).toBe(Priv.S);
    expect(t.pc).toBe(CODE + 0x100n);
    expect(t.csr('mstatus') & (MIE | MPIE | MPP)).toBe(MPIE);
  });

  it('MRET with MPP=M stays in M and keeps MPRV (machine.adoc norm:mstatus_mprv_clr_mret_sret_less_priv)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MPP | MPRV);
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.step();
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mstatus') & MPRV).toBe(MPRV);
    expect(mpp(t)).toBe(0n);
  });

  it('MRET to U clears MPRV', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MPRV);
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.mret()));
    t.step();
    expect(t.priv).toBe(Priv.U);
    expect(t.csr('mstatus') & MPRV).toBe(0n);
  });

  it('SRET from S to U: SIE=SPIE, SPIE=1, SPP=U, pc=sepc (machine.adoc norm:mstatus_xret_op; supervisor.adoc norm:sstatus_spp)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', SPIE | SIE);
    t.setCsr('sepc', CODE + 0x200n);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.start(CODE, Priv.S);
    t.step();
    expect(t.priv).toBe(Priv.U);
    expect(t.pc).toBe(CODE + 0x200n);
    expect(t.csr('mstatus') & (SIE | SPIE | SPP)).toBe(SIE | SPIE);
  });

  it('SRET to S (SPP=1) returns to S and sets SPP to U', () => {
    const t = new TestHart();
    t.setCsr('mstatus', SPP);
    t.setCsr('sepc', CODE + 0x200n);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.start(CODE, Priv.S);
    t.step();
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('mstatus') & (SIE | SPIE | SPP)).toBe(SPIE);
  });

  it('SRET executed in M pops the S-level stack and clears MPRV (machine.adoc norm:xret_in_higher_mode)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', MPRV | SPP);
    t.setCsr('sepc', CODE + 0x200n);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.step();
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('mstatus') & MPRV).toBe(0n);
  });

  it('SRET is illegal in U-mode (machine.adoc norm:xret_in_lower_mode)', () => {
    const t = new TestHart();
    runAt(t, Priv.U, A.sret());
    expect(t.csr('mcause')).toBe(2n);
    expect(t.csr('mtval')).toBe(BigInt(A.sret()));
    expect(mpp(t)).toBe(0n);
  });

  it('SRET is illegal in S-mode when mstatus.TSR=1 and legal when TSR=0 (machine.adoc norm:mstatus_tsr_op)', () => {
    const t = new TestHart();
    t.setCsr('mstatus', TSR);
    runAt(t, Priv.S, A.sret());
    expect(t.csr('mcause')).toBe(2n);
    expect(mpp(t)).toBe(1n);

    const u = new TestHart();
    u.setCsr('sepc', CODE + 0x100n);
    u.code(CODE, (a) => a.emit(A.sret()));
    u.start(CODE, Priv.S);
    u.step();
    expect(u.csr('mcause')).toBe(0n);
    expect(u.pc).toBe(CODE + 0x100n);
  });

  it('TSR does not affect SRET in M-mode (machine.adoc norm:mstatus_tsr_op: "while executing in S-mode")', () => {
    const t = new TestHart();
    t.setCsr('mstatus', TSR);
    t.setCsr('sepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.sret()));
    t.step();
    expect(t.pc).toBe(CODE + 0x100n);
  });

  it('MRET is illegal in S-mode and in U-mode (machine.adoc norm:xret_in_lower_mode)', () => {
    for (const p of [Priv.S, Priv.U]) {
      const t = new TestHart();
      runAt(t, p, A.mret());
      expect(t.csr('mcause')).toBe(2n);
      expect(t.csr('mtval')).toBe(BigInt(A.mret()));
      expect(mpp(t)).toBe(BigInt(p === Priv.S ? PRIV.S : PRIV.U));
    }
  });
});
