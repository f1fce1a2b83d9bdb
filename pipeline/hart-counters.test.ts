import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, a3, a4, a5, t0 } from './test-support/asm.js';
import { CODE, MTIME, TestHart } from './test-support/harness.js';

const NOP = A.addi(0, 0, 0);
const SKIP_HANDLER = 0x8002_0000n;

/** An M-mode handler that resumes after the trapping instruction (mepc += 4). */
function installSkipHandler(t: TestHart): void {
  t.code(SKIP_HANDLER, (a) => a.emit(A.csrr(t0, CSR.mepc), A.addi(t0, t0, 4), A.csrw(CSR.mepc, t0), A.mret()));
  t.setCsr('mtvec', SKIP_HANDLER);
}

function runM(t: TestHart, ...words: (number | number[])[]): void {
  t.code(CODE, (a) => a.emit(...words, A.exitSeq()));
  t.start(CODE);
  expect(t.runSteps(1000).reason).toBe('exit');
}

describe('mcycle and minstret (machine.adoc "Hardware Performance Monitor"; zicntr.adoc)', () => {
  it('minstret counts retired instructions and instret shadows it (machine.adoc norm:minstret_op, norm:cycle_instret_hpmcounter_op_rdonly)', () => {
    const t = new TestHart();
    runM(t, A.csrr(a0, CSR.minstret), NOP, NOP, NOP, NOP, NOP, A.csrr(a1, CSR.minstret), A.csrr(a2, CSR.instret));
    expect(t.x(a1) - t.x(a0)).toBe(6n);
    expect(t.x(a2) - t.x(a1)).toBe(1n);
  });

  it('mcycle counts cycles (one per instruction in functional mode) and cycle shadows it (machine.adoc norm:mcycle_op)', () => {
    const t = new TestHart();
    runM(t, A.csrr(a0, CSR.mcycle), NOP, NOP, NOP, A.csrr(a1, CSR.mcycle), A.csrr(a2, CSR.cycle));
    expect(t.x(a1) - t.x(a0)).toBe(4n);
    expect(t.x(a2) - t.x(a1)).toBe(1n);
  });

  it('a write to minstret or mcycle takes effect after the writing instruction, which does not count itself (machine.adoc norm:mcycle_minstret_wr)', () => {
    const t = new TestHart();
    runM(t, A.li64(a1, 1000n), A.csrw(CSR.minstret, a1), A.csrr(a0, CSR.minstret), A.csrr(a2, CSR.instret),
      A.li64(a1, 5000n), A.csrw(CSR.mcycle, a1), A.csrr(a3, CSR.mcycle), A.csrr(a4, CSR.cycle));
    expect([t.x(a0), t.x(a2)]).toEqual([1000n, 1001n]);
    expect([t.x(a3), t.x(a4)]).toEqual([5000n, 5001n]);
  });

  it('CSRRW on minstret returns the old count and writes the new one (zicsr.adoc; norm:mcycle_minstret_wr)', () => {
    const t = new TestHart();
    runM(t, NOP, NOP, A.li64(a1, 7n), A.csrrw(a0, CSR.minstret, a1), A.csrr(a2, CSR.minstret));
    expect(t.x(a0)).toBe(3n); // nop, nop, li retired before
    expect(t.x(a2)).toBe(7n);
  });

  it('counters are 64 bits wide: minstret carries out of bit 31 (machine.adoc norm:mcycle_minstret_sz)', () => {
    const t = new TestHart();
    runM(t, A.li64(a1, 0xffff_fffen), A.csrw(CSR.minstret, a1), NOP, NOP, NOP, A.csrr(a0, CSR.minstret));
    expect(t.x(a0)).toBe(0x1_0000_0001n);
  });

  it('mcountinhibit.CY and .IR freeze mcycle and minstret, and clearing them resumes counting (machine.adoc norm:mcountinhibit_op2)', () => {
    const t = new TestHart();
    runM(t,
      A.csrwi(CSR.mcountinhibit, 0b101),
      A.csrr(a0, CSR.minstret), A.csrr(a2, CSR.mcycle), NOP, NOP, NOP, A.csrr(a1, CSR.minstret), A.csrr(a3, CSR.mcycle),
      A.csrwi(CSR.mcountinhibit, 0),
      A.csrr(a4, CSR.minstret), NOP, NOP, A.csrr(a5, CSR.minstret));
    expect(t.x(a1)).toBe(t.x(a0));
    expect(t.x(a3)).toBe(t.x(a2));
    expect(t.x(a5) - t.x(a4)).toBe(3n);
  });

  it('mcountinhibit does not stop time, and its TM bit is read-only zero (machine.adoc norm:mcountinhibit_only_inc; counterinh figure)', () => {
    const t = new TestHart();
    runM(t, A.csrwi(CSR.mcountinhibit, 0b111), A.csrr(a0, CSR.mcountinhibit), A.csrr(a1, CSR.time), NOP, A.csrr(a2, CSR.time));
    expect(t.x(a0)).toBe(0b101n);
    expect(t.x(a2)).toBeGreaterThanOrEqual(t.x(a1));
    expect(t.cycles).toBeGreaterThan(0);
  });

  it('time reads mtime, and an MMIO write of mtime is seen by the time CSR (machine.adoc norm:time_op_rdonly)', () => {
    const t = new TestHart({ platform: { cpuHz: 10_000_000, timebaseHz: 10_000_000 } });
    runM(t, A.csrr(a0, CSR.time), A.li64(t0, MTIME), A.ld(a1, t0, 0), A.li64(a2, 1_000_000n), A.sd(a2, t0, 0), A.csrr(a3, CSR.time));
    // one tick per cycle: the ld runs li64(MTIME).length + 1 cycles after the csrr
    expect(t.x(a1) - t.x(a0)).toBe(BigInt(A.li64(t0, MTIME).length + 1));
    expect(t.x(a3)).toBe(1_000_001n); // written at the sd's cycle, read one cycle later
  });
});

describe('hardware performance counters (zihpm.adoc; machine.adoc norm:mhpmevent_sz_warl_op)', () => {
  it('mhpmevent3 = 3 selects hart.exceptions: mhpmcounter3 counts the traps taken (config hart.hpmEvents)', () => {
    const t = new TestHart();
    installSkipHandler(t);
    runM(t, A.csrwi(CSR.mhpmevent3, 3), A.csrr(a0, CSR.mhpmcounter3), A.ecall(), A.ecall(), NOP, A.ebreak(), A.csrr(a1, CSR.mhpmcounter3), A.csrr(a2, CSR.mhpmevent3));
    expect(t.x(a1) - t.x(a0)).toBe(3n);
    expect(t.x(a2)).toBe(3n);
  });

  it('an event code mapped to hart.instret counts like minstret; event 0 ("no event") does not count (machine.adoc norm:mhpmevent_enc)', () => {
    const t = new TestHart({ hart: { hpmEvents: { '7': 'hart.instret' } } });
    runM(t, A.csrwi(CSR.mhpmevent4, 7), A.csrr(a0, CSR.mhpmcounter4), NOP, NOP, A.csrr(a1, CSR.mhpmcounter4),
      A.csrr(a2, CSR.mhpmcounter3), NOP, A.csrr(a3, CSR.mhpmcounter3));
    expect(t.x(a1) - t.x(a0)).toBe(3n);
    expect(t.x(a3)).toBe(t.x(a2));
  });

  it('mhpmcounterN is writable and keeps counting from the written value; hpmcounterN shadows it from S when enabled (machine.adoc norm:mhpmcounter_warl)', () => {
    const t = new TestHart();
    installSkipHandler(t);
    t.setCsr('mcounteren', 1n << 3n);
    t.setCsr('mhpmevent3', 3n);
    t.setCsr('mhpmcounter3', 100n);
    t.code(CODE, (a) => a.emit(A.ecall(), A.csrr(a0, CSR.hpmcounter3), A.ebreak()));
    t.start(CODE, Priv.S);
    t.step(6); // ecall trap, 4 handler instructions, csrr
    expect(t.x(a0)).toBe(101n);
  });

  it('counters beyond hart.hpmCounters are read-only zero, with their event selectors (machine.adoc norm:mhpmcounter_mhpmevent_rdonly0)', () => {
    const t = new TestHart({ hart: { hpmCounters: 2 } });
    installSkipHandler(t);
    runM(t, A.li64(a1, 3n), A.csrw(CSR.mhpmevent5, a1), A.li64(a1, 99n), A.csrw(CSR.mhpmcounter5, a1), A.ecall(),
      A.csrr(a0, CSR.mhpmcounter5), A.csrr(a2, CSR.mhpmevent5), A.csrr(a3, 0xc05), A.csrr(a4, CSR.mhpmcounter31),
      A.csrwi(CSR.mhpmevent4, 3), A.ecall(), A.csrr(a5, CSR.mhpmcounter4));
    expect([t.x(a0), t.x(a2), t.x(a3), t.x(a4)]).toEqual([0n, 0n, 0n, 0n]);
    expect(t.x(a5)).toBe(1n);
  });

  it('mcountinhibit.HPM3 freezes mhpmcounter3 (machine.adoc norm:mcountinhibit_op2)', () => {
    const t = new TestHart();
    installSkipHandler(t);
    runM(t, A.csrwi(CSR.mhpmevent3, 3), A.ecall(), A.csrwi(CSR.mcountinhibit, 8), A.ecall(), A.ecall(), A.csrr(a0, CSR.mhpmcounter3),
      A.csrwi(CSR.mcountinhibit, 0), A.ecall(), A.csrr(a1, CSR.mhpmcounter3));
    expect([t.x(a0), t.x(a1)]).toEqual([1n, 2n]);
  });

  it('changing mhpmevent keeps the count reached so far (machine.adoc norm:mhpmevent_sz_warl_op)', () => {
    const t = new TestHart();
    installSkipHandler(t);
    runM(t, A.csrwi(CSR.mhpmevent3, 3), A.ecall(), A.ecall(), A.csrwi(CSR.mhpmevent3, 0), A.ecall(), A.csrr(a0, CSR.mhpmcounter3));
    expect(t.x(a0)).toBe(2n);
  });
});
