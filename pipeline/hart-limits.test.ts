import { describe, expect, it } from 'vitest';
import * as A from './test-support/asm.js';
import { t0, t1 } from './test-support/asm.js';
import { CODE, TestHart, UART, UNMAPPED } from './test-support/harness.js';

describe('runaway guests end with a clear result, never a hang or a host exception', () => {
  for (const blockTranslation of [false, true]) {
    it(`a trap storm (mtvec points at unmapped memory) stops at the limit with a message naming it (blocks=${blockTranslation})`, () => {
      const t = new TestHart({ hart: { blockTranslation } });
      t.code(CODE, (a) => a.emit(A.ecall()));
      t.setCsr('mtvec', UNMAPPED);
      const r = t.run(10_000);
      expect(r.reason).toBe('limit');
      expect(r.message).toMatch(/trap storm/);
      expect(r.instret).toBe(0);
    });

    it(`a WFI that nothing can wake ends the run as a deadlock with pc at the WFI (machine.adoc "Wait for Interrupt") (blocks=${blockTranslation})`, () => {
      const t = new TestHart({ hart: { blockTranslation } });
      t.code(CODE, (a) => a.emit(A.addi(t0, 0, 1), A.wfi()));
      const r = t.run(1000);
      expect(r.reason).toBe('deadlock');
      expect(t.pc).toBe(CODE + 4n);
      expect(r.message).toMatch(/0x80000004/);
    });
  }

  it('an instruction fetch from a device region raises an instruction access fault with mtval = pc (machine.adoc "Physical Memory Attributes")', () => {
    const t = new TestHart();
    t.code(CODE, (a) => a.li(t1, UART).emit(A.jalr(0, t1, 0)));
    t.setCsr('mtvec', 0x8001_0000n);
    t.runSteps(50);
    expect(t.csr('mcause')).toBe(1n);
    expect(t.csr('mtval')).toBe(UART);
    expect(t.csr('mepc')).toBe(UART);
  });

  it('an hpm counter counting instret, when written, does not count the writing instruction (zihpm.adoc, as minstret)', () => {
    const t = new TestHart();
    // mhpmevent3 = 2 (hart.instret); mhpmcounter3 = 100; read it back on the next instruction.
    t.code(CODE, (a) =>
      a.li(t0, 2n).emit(A.csrrw(0, 0x323, t0)).li(t0, 100n).emit(A.csrrw(0, 0xb03, t0), A.csrrs(t1, 0xb03, 0), A.ebreak()),
    );
    t.runSteps(50);
    expect(t.x(t1)).toBe(100n);
  });
});
