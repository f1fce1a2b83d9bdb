import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, s2, t0, t1 } from './test-support/asm.js';
import { CLINT, CODE, MTIMECMP, M_HANDLER, S_HANDLER, TestHart, interruptCause } from './test-support/harness.js';

const SIE = 1n << 1n, MIE = 1n << 3n;
const SSIP = 1n << 1n, MSIP = 1n << 3n, STIP = 1n << 5n, MTIP = 1n << 7n, SEIP = 1n << 9n, MEIP = 1n << 11n;
const STCE = 1n << 63n;

/** One timer tick per cycle, so that mtime equals the cycle count. */
const oneTickPerCycle = () => new TestHart({ platform: { cpuHz: 10_000_000, timebaseHz: 10_000_000 } });

/** A program that spins, counting iterations in a0. */
function spin(t: TestHart, at = CODE): void {
  t.code(at, (a) => a.label('l').emit(A.addi(a0, a0, 1)).j('l'));
}

/** Handlers that record `time` in s2 and then halt. */
function timeRecordingHandlers(t: TestHart): void {
  t.code(M_HANDLER, (a) => a.emit(A.csrr(s2, CSR.time), A.exitSeq()));
  t.code(S_HANDLER, (a) => a.emit(A.csrr(s2, CSR.time), A.exitSeq()));
}

describe('timer interrupts', () => {
  it('MTI: a guest write of mtimecmp through the CLINT at 0x2004000 with MTIE and MIE set makes the handler run once mtime >= mtimecmp (machine.adoc "Machine Timer Registers", norm:intr_mip_mie_op)', () => {
    const t = oneTickPerCycle();
    timeRecordingHandlers(t);
    const prog = t.code(CODE, (a) => a
      .li(t0, MTIMECMP).li(t1, 300).emit(A.sd(t1, t0, 0))
      .li(t1, MTIP).emit(A.csrw(CSR.mie, t1), A.csrsi(CSR.mstatus, 8))
      .label('l').emit(A.addi(a0, a0, 1)).j('l'));
    expect(t.runSteps(1000).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(interruptCause(7));
    expect(t.x(s2)).toBeGreaterThanOrEqual(300n);
    expect(t.x(s2)).toBeLessThanOrEqual(302n);
    expect(t.x(a0)).toBeGreaterThan(100n);
    expect([prog.addr('l'), prog.addr('l') + 4n]).toContain(t.csr('mepc'));
  });

  it('MTI is not taken before mtime reaches mtimecmp, and mip.MTIP follows mtime >= mtimecmp (machine.adoc norm:mip_mtip_rdonly)', () => {
    const t = oneTickPerCycle();
    t.poke(MTIMECMP, 8, 50n);
    t.setCsr('mie', MTIP);
    t.setCsr('mstatus', MIE);
    spin(t);
    t.step(49);
    expect(t.csr('mcause')).toBe(0n);
    expect(t.csr('mip') & MTIP).toBe(0n);
    t.step(1); // mtime reaches 50 during this instruction
    expect(t.csr('mip') & MTIP).toBe(MTIP);
    expect(t.csr('mcause')).toBe(0n);
    t.step(1); // taken at the next instruction boundary
    expect(t.csr('mcause')).toBe(interruptCause(7));
    t.poke(MTIMECMP, 8, 1000n); // norm: cleared by writing the memory-mapped mtimecmp
    expect(t.csr('mip') & MTIP).toBe(0n);
  });

  it('STI via Sstc: with menvcfg.STCE=1 an S-mode write of stimecmp raises a delegated STI once time >= stimecmp, and a later stimecmp clears STIP (sstc.adoc; supervisor.adoc norm:mip_sip_stip_op)', () => {
    const t = oneTickPerCycle();
    timeRecordingHandlers(t);
    t.setCsr('menvcfg', STCE);
    t.setCsr('mcounteren', 2n);
    t.setCsr('mideleg', STIP);
    t.setCsr('mie', STIP);
    t.setCsr('mstatus', SIE);
    t.code(CODE, (a) => a.emit(A.csrr(a1, CSR.time), A.addi(a1, a1, 200), A.csrw(CSR.stimecmp, a1)).label('l').emit(A.addi(a0, a0, 1)).j('l'));
    t.start(CODE, Priv.S);
    expect(t.runSteps(1000).reason).toBe('exit');
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(interruptCause(5));
    expect(t.x(s2) >= t.x(a1) && t.x(s2) <= t.x(a1) + 2n).toBe(true);
    expect(t.csr('sip') & STIP).toBe(STIP);
    t.setCsr('stimecmp', -1n);
    expect(t.csr('sip') & STIP).toBe(0n);
  });

  it('with STCE=0, mip.STIP is the software-written bit again and stimecmp has no effect (machine.adoc norm:menvcfg_stce_op2)', () => {
    const t = new TestHart();
    t.setCsr('stimecmp', 0n);
    expect(t.csr('mip') & STIP).toBe(0n);
    t.setCsr('mip', STIP);
    expect(t.csr('mip') & STIP).toBe(STIP);
    t.setCsr('menvcfg', STCE); // stimecmp (0) <= time: STIP now reflects the comparator
    expect(t.csr('mip') & STIP).toBe(STIP);
    t.setCsr('stimecmp', -1n);
    expect(t.csr('mip') & STIP).toBe(0n);
  });
});

describe('interrupt priority and enables (machine.adoc "Machine Interrupt Registers (mip and mie)")', () => {
  it('takes simultaneous M-mode interrupts in the order MEI, MSI, MTI, SEI, SSI, STI (machine.adoc norm:intr_M_mode_pri)', () => {
    const t = new TestHart();
    t.raiseExternal('M');
    t.poke(CLINT, 4, 1n); // msip
    t.poke(MTIMECMP, 8, 0n);
    t.setCsr('mip', SEIP | SSIP | STIP);
    t.setCsr('mie', MEIP | MSIP | MTIP | SEIP | SSIP | STIP);
    spin(t);
    const order: [number, bigint][] = [[11, MEIP], [3, MSIP], [7, MTIP], [9, SEIP], [1, SSIP], [5, STIP]];
    for (const [cause, bit] of order) {
      t.setCsr('mstatus', MIE);
      t.start(CODE, Priv.M);
      t.step();
      expect(t.csr('mcause'), `expected cause ${cause}`).toBe(interruptCause(cause));
      t.setCsr('mie', t.csr('mie') & ~bit);
    }
  });

  it('takes simultaneous delegated S-mode interrupts in the order SEI, SSI, STI (supervisor.adoc norm:sip_sie_priority_bit_order)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', SEIP | SSIP | STIP);
    t.setCsr('mip', SEIP | SSIP | STIP);
    t.setCsr('mie', SEIP | SSIP | STIP);
    spin(t);
    for (const [cause, bit] of [[9, SEIP], [1, SSIP], [5, STIP]] as [number, bigint][]) {
      t.start(CODE, Priv.U);
      t.step();
      expect(t.priv).toBe(Priv.S);
      expect(t.csr('scause')).toBe(interruptCause(cause));
      t.setCsr('mie', t.csr('mie') & ~bit);
    }
  });

  it('an interrupt to M takes priority over a delegated interrupt to S (machine.adoc norm:intr_M_mode_highest_pri)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', SEIP);
    t.setCsr('mip', SEIP | SSIP); // SSI stays with M
    t.setCsr('mie', SEIP | SSIP);
    t.setCsr('mstatus', SIE);
    spin(t);
    t.start(CODE, Priv.S);
    t.step();
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mcause')).toBe(interruptCause(1));
  });

  it('an M-level interrupt is not taken in M-mode with mstatus.MIE=0 but is taken from S and U whatever MIE says (machine.adoc norm:intr_mip_mie_op, norm:mstatus_xie_intr_en_dis)', () => {
    const t = new TestHart();
    t.poke(MTIMECMP, 8, 0n);
    t.setCsr('mie', MTIP);
    spin(t);
    t.step(5);
    expect(t.csr('mcause')).toBe(0n);
    expect(t.x(a0)).toBe(3n); // 3 addi and 2 jumps: no trap
    for (const p of [Priv.S, Priv.U]) {
      t.setCsr('mstatus', 0n);
      t.start(CODE, p);
      t.step();
      expect(t.priv).toBe(Priv.M);
      expect(t.csr('mcause')).toBe(interruptCause(7));
      expect(t.csr('mepc')).toBe(CODE);
      expect((t.csr('mstatus') >> 11n) & 3n).toBe(BigInt(p));
      t.setCsr('mcause', 0n);
    }
  });

  it('an interrupt whose mie bit is clear is never taken', () => {
    const t = new TestHart();
    t.poke(MTIMECMP, 8, 0n);
    t.setCsr('mie', MSIP);
    spin(t);
    t.start(CODE, Priv.U);
    t.step(4);
    expect(t.priv).toBe(Priv.U);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('delegated S-level interrupts are not taken in M-mode even with MIE=SIE=1 (machine.adoc norm:trap_del_intr_priv_lvl)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', STIP | SSIP);
    t.setCsr('mip', STIP | SSIP);
    t.setCsr('mie', STIP | SSIP);
    t.setCsr('mstatus', MIE | SIE);
    spin(t);
    t.step(6);
    expect(t.priv).toBe(Priv.M);
    expect([t.csr('mcause'), t.csr('scause')]).toEqual([0n, 0n]);
  });

  it('a delegated interrupt is taken in U-mode regardless of SIE, and in S-mode only with SIE=1 (supervisor.adoc norm:sie_sip_supervisor_strap)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', STIP);
    t.setCsr('mip', STIP);
    t.setCsr('mie', STIP);
    spin(t);
    t.start(CODE, Priv.S);
    t.step(3);
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(0n);
    t.start(CODE, Priv.U);
    t.step();
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(interruptCause(5));
    expect(t.csr('sepc')).toBe(CODE);
    expect(t.csr('mstatus') & (1n << 8n)).toBe(0n); // SPP = U
    t.setCsr('mstatus', SIE);
    t.setCsr('scause', 0n);
    t.start(CODE, Priv.S);
    t.step();
    expect(t.csr('scause')).toBe(interruptCause(5));
  });

  it('an undelegated S-level interrupt traps to M from any mode, including M with MIE=1 (machine.adoc norm:trap_del_intr_priv_lvl)', () => {
    const t = new TestHart();
    t.setCsr('mip', STIP);
    t.setCsr('mie', STIP);
    spin(t);
    t.start(CODE, Priv.S);
    t.step();
    expect(t.priv).toBe(Priv.M);
    expect(t.csr('mcause')).toBe(interruptCause(5));
    t.setCsr('mcause', 0n);
    t.setCsr('mstatus', MIE);
    t.start(CODE, Priv.M);
    t.step();
    expect(t.csr('mcause')).toBe(interruptCause(5));
  });

  it('interrupt conditions are evaluated right after an MRET: a pending M interrupt is taken at the first instruction of S (machine.adoc norm:intr_mip_mie_xret_csrwr)', () => {
    const t = new TestHart();
    t.poke(MTIMECMP, 8, 0n);
    t.setCsr('mie', MTIP);
    t.setCsr('mstatus', 1n << 11n); // MPP=S, MIE=0
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.mret()));
    spin(t, CODE + 0x100n);
    t.step(2);
    expect(t.csr('mcause')).toBe(interruptCause(7));
    expect(t.csr('mepc')).toBe(CODE + 0x100n);
    expect(t.x(a0)).toBe(0n);
  });

  it('SSIP set by S-mode software through sip is taken right after the CSR write (machine.adoc norm:mip_ssip_acc, norm:intr_mip_mie_xret_csrwr)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', SSIP);
    t.setCsr('mie', SSIP);
    t.setCsr('mstatus', SIE);
    t.code(CODE, (a) => a.emit(A.csrsi(CSR.sip, 2), A.addi(a0, a0, 1)));
    t.start(CODE, Priv.S);
    t.step(2);
    expect(t.csr('scause')).toBe(interruptCause(1));
    expect(t.csr('sepc')).toBe(CODE + 4n);
    expect(t.x(a0)).toBe(0n);
  });

  it('SSIP set by M-mode software through mip is taken after MRET to U (delegated)', () => {
    const t = new TestHart();
    t.setCsr('mideleg', SSIP);
    t.setCsr('mie', SSIP);
    t.setCsr('mepc', CODE + 0x100n);
    t.code(CODE, (a) => a.emit(A.csrsi(CSR.mip, 2), A.mret()));
    spin(t, CODE + 0x100n);
    t.step(3);
    expect(t.priv).toBe(Priv.S);
    expect(t.csr('scause')).toBe(interruptCause(1));
    expect(t.csr('sepc')).toBe(CODE + 0x100n);
  });

  it('MSI: a guest store to the CLINT msip register raises a machine software interrupt (machine.adoc norm:mip_msip_rdonly)', () => {
    const t = new TestHart();
    t.setCsr('mie', MSIP);
    t.setCsr('mstatus', MIE);
    t.code(CODE, (a) => a.li(t0, CLINT).emit(A.addi(t1, 0, 1), A.sw(t1, t0, 0), A.addi(a0, 0, 5)));
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(interruptCause(3));
    expect(t.x(a0)).toBe(0n);
  });

  it('MEI: the PLIC context-0 line sets mip.MEIP and traps (machine.adoc norm:mip_meip_rdonly)', () => {
    const t = new TestHart();
    t.setCsr('mie', MEIP);
    t.setCsr('mstatus', MIE);
    t.raiseExternal('M');
    expect(t.csr('mip') & MEIP).toBe(MEIP);
    spin(t);
    t.step();
    expect(t.csr('mcause')).toBe(interruptCause(11));
  });
});

describe('mip.SEIP: software bit OR the external line (machine.adoc norm:intr_sei_op, norm:mip_seip_rdcsr, norm:mip_seip_wrcsr)', () => {
  it('CSRRS on mip returns SEIP = B | E but writes SEIP from B alone', () => {
    const t = new TestHart();
    t.raiseExternal('S'); // E = 1, B = 0
    t.code(CODE, (a) => a.emit(A.csrrsi(a0, CSR.mip, 2)));
    t.step();
    expect(t.x(a0) & SEIP).toBe(SEIP);
    expect(t.csr('mip') & (SEIP | SSIP)).toBe(SEIP | SSIP);
    t.lowerExternal('S'); // E = 0: B must still be 0
    expect(t.csr('mip') & SEIP).toBe(0n);
  });

  it('CSRRC on mip clears the software bit B; SEIP still reads 1 while the line E is high', () => {
    const t = new TestHart();
    t.setCsr('mip', SEIP); // B = 1
    t.raiseExternal('S'); // E = 1
    t.code(CODE, (a) => a.li(a1, SEIP).emit(A.csrrc(a0, CSR.mip, a1), A.csrr(a2, CSR.mip)));
    t.step(A.li64(a1, SEIP).length + 2);
    expect(t.x(a0) & SEIP).toBe(SEIP);
    expect(t.x(a2) & SEIP).toBe(SEIP);
    t.lowerExternal('S');
    expect(t.csr('mip') & SEIP).toBe(0n);
  });

  it('CSRRW on mip writes B directly from the source (machine.adoc NOTE: "B is simply written with t1[9]")', () => {
    const t = new TestHart();
    t.raiseExternal('S');
    t.code(CODE, (a) => a.li(a1, SEIP).emit(A.csrrw(a0, CSR.mip, a1)));
    t.step(A.li64(a1, SEIP).length + 1);
    t.lowerExternal('S');
    expect(t.csr('mip') & SEIP).toBe(SEIP);
  });
});

describe('WFI (machine.adoc "Wait for Interrupt")', () => {
  it('skips simulated time to the next enabled timer deadline and takes the interrupt on the following instruction: mepc = WFI + 4 (machine.adoc norm:wfi_mepc_val)', () => {
    const t = oneTickPerCycle();
    timeRecordingHandlers(t);
    t.poke(MTIMECMP, 8, 1_000_000n);
    t.setCsr('mie', MTIP);
    t.setCsr('mstatus', MIE);
    t.code(CODE, (a) => a.emit(A.wfi(), A.addi(a0, a0, 1)));
    const r = t.runSteps(100);
    expect(r.reason).toBe('exit');
    expect(r.steps).toBeLessThan(30);
    expect(t.csr('mcause')).toBe(interruptCause(7));
    expect(t.csr('mepc')).toBe(CODE + 4n);
    expect(t.x(s2)).toBeGreaterThanOrEqual(1_000_000n);
    expect(t.x(s2)).toBeLessThan(1_000_010n);
    expect(t.cycles).toBeGreaterThanOrEqual(1_000_000);
    expect(t.x(a0)).toBe(0n);
  });

  it('the skipped time shows in mcycle (cycles jump) but not in minstret (machine.adoc norm:mcycle_op, norm:minstret_op)', () => {
    const t = oneTickPerCycle();
    t.poke(MTIMECMP, 8, 5000n);
    t.setCsr('mie', MTIP);
    t.code(CODE, (a) => a.emit(A.csrr(a0, CSR.mcycle), A.csrr(a1, CSR.minstret), A.wfi(), A.csrr(a2, CSR.mcycle), A.csrr(A.a3, CSR.minstret), A.exitSeq()));
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.x(a2) - t.x(a0)).toBeGreaterThanOrEqual(4990n);
    expect(t.x(A.a3) - t.x(a1)).toBe(3n);
  });

  it('returns when an interrupt is pending and locally enabled even with MIE=0, and execution continues after the WFI without a trap (machine.adoc norm:wfi_unaffected_conditions, norm:wfi_no_intr_pc)', () => {
    const t = oneTickPerCycle();
    t.poke(MTIMECMP, 8, 20_000n);
    t.setCsr('mie', MTIP);
    t.code(CODE, (a) => a.emit(A.wfi(), A.addi(a0, a0, 1), A.csrr(a1, CSR.time), A.exitSeq()));
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.x(a0)).toBe(1n);
    expect(t.x(a1)).toBeGreaterThanOrEqual(20_000n);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('wakes for a delegated interrupt while in M-mode (WFI ignores mideleg) without taking it (machine.adoc norm:wfi_unaffected_conditions)', () => {
    const t = oneTickPerCycle();
    t.setCsr('menvcfg', STCE);
    t.setCsr('stimecmp', 7000n);
    t.setCsr('mideleg', STIP);
    t.setCsr('mie', STIP);
    t.setCsr('mstatus', MIE | SIE);
    t.code(CODE, (a) => a.emit(A.wfi(), A.addi(a0, a0, 1), A.exitSeq()));
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.x(a0)).toBe(1n);
    expect(t.cycles).toBeGreaterThanOrEqual(7000);
    expect([t.csr('mcause'), t.csr('scause')]).toEqual([0n, 0n]);
  });

  it('with nothing that could wake the hart, run() stops with reason "deadlock" (interpreter and block translator)', () => {
    for (const blockTranslation of [false, true]) {
      const t = new TestHart({ hart: { blockTranslation } });
      t.code(CODE, (a) => a.emit(A.addi(a0, 0, 1), A.wfi(), A.addi(a0, 0, 2)));
      const r = t.run(1000);
      expect(r.reason, `blockTranslation=${blockTranslation}`).toBe('deadlock');
      expect(t.x(a0)).toBe(1n);
    }
  });

  it('a pending interrupt that is not locally enabled does not wake WFI (machine.adoc norm:wfi_unaffected_conditions: "should honor the individual interrupt enables")', () => {
    const t = new TestHart();
    t.poke(MTIMECMP, 8, 0n); // MTIP pending, MTIE clear
    t.setCsr('mie', MSIP);
    t.code(CODE, (a) => a.emit(A.wfi(), A.addi(a0, 0, 2)));
    expect(t.run(100).reason).toBe('deadlock');
  });

  it('a WFI with a pending-and-enabled interrupt in M with MIE=0 completes at once (no time skipped)', () => {
    const t = new TestHart();
    t.setCsr('mie', SSIP);
    t.setCsr('mip', SSIP);
    t.code(CODE, (a) => a.emit(A.wfi(), A.addi(a0, 0, 2)));
    t.step(2);
    expect(t.x(a0)).toBe(2n);
    expect(t.cycles).toBe(2);
  });
});
