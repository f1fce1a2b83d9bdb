import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, a3, a4, t0, t1 } from './test-support/asm.js';
import { CLINT, CODE, DATA, MTIMECMP, MTIME, PTE, TestHart, UART, UNMAPPED } from './test-support/harness.js';

const SKIP_HANDLER = 0x8002_0000n;

/** An M-mode handler that resumes after the trapping instruction (mepc += 4). */
function installSkipHandler(t: TestHart): void {
  t.code(SKIP_HANDLER, (a) => a.emit(A.csrr(t0, CSR.mepc), A.addi(t0, t0, 4), A.csrw(CSR.mepc, t0), A.mret()));
  t.setCsr('mtvec', SKIP_HANDLER);
}

function runM(t: TestHart, ...words: (number | number[])[]): void {
  t.code(CODE, (a) => a.emit(...words, A.exitSeq()));
  t.start(CODE);
  expect(t.runSteps(2000).reason).toBe('exit');
}

type Options = ConstructorParameters<typeof TestHart>[0];

/** Runs `words` in M on a fresh hart; returns the mcause/mtval of the trap that stopped it (the halt handler). */
function trapOf(opts: Options, ...words: (number | number[])[]): [bigint, bigint] {
  const t = new TestHart(opts);
  runM(t, ...words);
  return [t.csr('mcause'), t.csr('mtval')];
}

describe('loads and stores', () => {
  it('every load width sign- or zero-extends as its instruction says (rv64.adoc "Load and Store Instructions")', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 0x8081_8283_8485_8687n);
    runM(t, A.li64(t0, DATA), A.lb(a0, t0, 0), A.lbu(a1, t0, 0), A.lh(a2, t0, 2), A.lhu(a3, t0, 2), A.lw(a4, t0, 4), A.lwu(t1, t0, 4), A.ld(A.s2, t0, 0));
    expect([t.x(a0), t.x(a1), t.x(a2), t.x(a3), t.x(a4), t.x(t1), t.x(A.s2)]).toEqual([
      0xffff_ffff_ffff_ff87n, 0x87n, 0xffff_ffff_ffff_8485n, 0x8485n, 0xffff_ffff_8081_8283n, 0x8081_8283n, 0x8081_8283_8485_8687n]);
  });

  it('stores write exactly their width, little-endian', () => {
    const t = new TestHart();
    t.poke(DATA, 8, -1n);
    t.poke(DATA + 8n, 8, -1n);
    runM(t, A.li64(t0, DATA), A.li64(a0, 0x1122_3344_5566_7788n), A.sb(a0, t0, 0), A.sh(a0, t0, 2), A.sw(a0, t0, 4), A.sd(a0, t0, 8));
    expect(t.peek(DATA)).toBe(0x5566_7788_7788_ff88n);
    expect(t.peek(DATA + 8n)).toBe(0x1122_3344_5566_7788n);
  });
});

describe('misaligned accesses (config hart.misaligned)', () => {
  it('trap mode: every misaligned load/store width raises address-misaligned (4 / 6) with mtval = the address and leaves memory untouched (machine.adoc "Machine Cause Register"; norm:mtval_vaddr_wr1)', () => {
    for (const [insn, off, cause] of [[A.lh(a0, t0, 1), 1n, 4n], [A.lw(a0, t0, 2), 2n, 4n], [A.ld(a0, t0, 4), 4n, 4n], [A.lhu(a0, t0, 3), 3n, 4n],
      [A.sh(a0, t0, 1), 1n, 6n], [A.sw(a0, t0, 6), 6n, 6n], [A.sd(a0, t0, 7), 7n, 6n]] as [number, bigint, bigint][]) {
      const t = new TestHart({ hart: { misaligned: 'trap' } });
      runM(t, A.li64(t0, DATA), A.li64(a0, -1n), insn);
      expect([t.csr('mcause'), t.csr('mtval')]).toEqual([cause, DATA + off]);
      expect(t.peek(DATA) | t.peek(DATA + 8n)).toBe(0n);
    }
  });

  it('emulate mode: misaligned loads and stores of every width give the aligned result (rv64.adoc "Misaligned accesses")', () => {
    const t = new TestHart({ hart: { misaligned: 'emulate' } });
    t.poke(DATA, 8, 0x0706_0504_0302_0100n);
    t.poke(DATA + 8n, 8, 0x0f0e_0d0c_0b0a_0908n);
    runM(t, A.li64(t0, DATA), A.ld(a0, t0, 3), A.lw(a1, t0, 5), A.lh(a2, t0, 7), A.lhu(a3, t0, 9),
      A.li64(a4, 0xa1a2_a3a4_a5a6_a7a8n), A.sd(a4, t0, 17), A.sw(a4, t0, 27), A.sh(a4, t0, 33));
    expect([t.x(a0), t.x(a1), t.x(a2), t.x(a3)]).toEqual([0x0a09_0807_0605_0403n, 0x0807_0605n, 0x0807n, 0x0a09n]);
    expect(t.peek(DATA + 16n)).toBe(0xa2a3_a4a5_a6a7_a800n);
    expect(t.peek(DATA + 24n)).toBe(0x00a5_a6a7_a800_00a1n);
    expect(t.peek(DATA + 32n)).toBe(0x0000_0000_00a7_a800n);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('emulate mode: a misaligned load that crosses a page boundary reads both pages; its sign extension is of the whole value', () => {
    const t = new TestHart({ hart: { misaligned: 'emulate' } });
    t.poke(DATA + 0xff8n, 8, 0x8877_6655_4433_2211n);
    t.poke(DATA + 0x1000n, 8, 0x00ff_eedd_ccbb_aa99n);
    runM(t, A.li64(t0, DATA + 0xffen), A.lw(a0, t0, 0), A.ld(a1, t0, 0));
    expect(t.x(a0)).toBe(0xffff_ffff_aa99_8877n);
    expect(t.x(a1)).toBe(0xeedd_ccbb_aa99_8877n);
  });

  it('emulate mode: when the second page of a misaligned load faults, mtval is the address of that portion (the page boundary) (machine.adoc norm:mtval_vaddr_wr2)', () => {
    const t = new TestHart({ hart: { misaligned: 'emulate' } });
    const pt = t.pageTables(3);
    t.mapKernelIdentity(pt);
    const va = 0x4000_0000n;
    pt.map(va, DATA, 0, PTE.V | PTE.R | PTE.W | PTE.A | PTE.D); // va + 0x1000 unmapped
    t.useTables(pt);
    t.code(CODE, (a) => a.emit(A.li64(t0, va + 0xffcn), A.ld(a0, t0, 0)));
    t.start(CODE, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(13n);
    expect(t.csr('mtval')).toBe(va + 0x1000n);
  });

  it('emulate mode: when the second page of a misaligned store faults, mtval is the page boundary and the first page is not written (machine.adoc norm:mtval_vaddr_wr2)', () => {
    const t = new TestHart({ hart: { misaligned: 'emulate' } });
    const pt = t.pageTables(3);
    t.mapKernelIdentity(pt);
    const va = 0x4000_0000n;
    pt.map(va, DATA, 0, PTE.V | PTE.R | PTE.W | PTE.A | PTE.D);
    pt.map(va + 0x1000n, DATA + 0x1000n, 0, PTE.V | PTE.R | PTE.A | PTE.D); // read-only
    t.useTables(pt);
    t.code(CODE, (a) => a.emit(A.li64(t0, va + 0xffen), A.li64(a0, -1n), A.sw(a0, t0, 0)));
    t.start(CODE, Priv.S);
    expect(t.runSteps(100).reason).toBe('exit');
    expect(t.csr('mcause')).toBe(15n);
    expect(t.csr('mtval')).toBe(va + 0x1000n);
    expect(t.peek(DATA + 0xff8n)).toBe(0n);
  });

  it('emulate mode: a misaligned load that runs off the end of memory is a load access fault at the first missing byte (machine.adoc norm:mtval_vaddr_wr2)', () => {
    const t = { hart: { misaligned: 'emulate' as const }, platform: { dramSizeMiB: 64 } };
    const end = 0x8000_0000n + 64n * 1024n * 1024n;
    expect(trapOf(t, A.li64(t0, end - 3n), A.ld(a0, t0, 0))).toEqual([5n, end]);
    expect(trapOf(t, A.li64(t0, end - 1n), A.sw(a0, t0, 0))).toEqual([7n, end]);
  });
});

describe('LR/SC and AMOs (Zalrsc, Zaamo)', () => {
  it('misaligned LR raises load address-misaligned (4); misaligned SC and AMOs raise store/AMO address-misaligned (6), even with misaligned=emulate (Zalrsc/Zaamo: "If the address is not naturally aligned, an address-misaligned exception ... will be generated")', () => {
    for (const misaligned of ['trap', 'emulate'] as const) {
      const t = { hart: { misaligned } };
      expect(trapOf(t, A.li64(t0, DATA + 4n), A.lr_d(a0, t0))).toEqual([4n, DATA + 4n]);
      expect(trapOf(t, A.li64(t0, DATA + 2n), A.lr_w(a0, t0))).toEqual([4n, DATA + 2n]);
      expect(trapOf(t, A.li64(t0, DATA + 2n), A.amoadd_w(a0, a1, t0))).toEqual([6n, DATA + 2n]);
      expect(trapOf(t, A.li64(t0, DATA + 4n), A.amoswap_d(a0, a1, t0))).toEqual([6n, DATA + 4n]);
      expect(trapOf(t, A.li64(t0, DATA + 1n), A.sc_w(a0, a1, t0)), `sc.w, ${misaligned}`).toEqual([6n, DATA + 1n]);
      expect(trapOf(t, A.li64(t0, DATA + 4n), A.sc_d(a0, a1, t0)), `sc.d, ${misaligned}`).toEqual([6n, DATA + 4n]);
    }
  });

  it('LR then SC to the same address succeeds: rd=0 and memory updated; SC.W writes 4 bytes, LR.W sign-extends (Zalrsc)', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 0xaaaa_aaaa_8000_0001n);
    t.poke(DATA + 8n, 8, 5n);
    runM(t, A.li64(t0, DATA), A.li64(a1, 0x1234_5678n), A.lr_w(a0, t0), A.sc_w(a2, a1, t0),
      A.addi(t1, t0, 8), A.lr_d(a3, t1), A.sc_d(a4, a1, t1));
    expect(t.x(a0)).toBe(0xffff_ffff_8000_0001n);
    expect(t.x(a2)).toBe(0n);
    expect(t.peek(DATA)).toBe(0xaaaa_aaaa_1234_5678n);
    expect(t.x(a3)).toBe(5n);
    expect(t.x(a4)).toBe(0n);
    expect(t.peek(DATA + 8n)).toBe(0x1234_5678n);
  });

  it('SC without a reservation fails (rd nonzero) with no memory access and no fault, even at an unmapped address (Zalrsc)', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 0x77n);
    runM(t, A.li64(t0, DATA), A.li64(a1, 0x99n), A.sc_d(a0, a1, t0), A.li64(t1, UNMAPPED), A.sc_w(a2, a1, t1));
    expect(t.x(a0)).not.toBe(0n);
    expect(t.x(a2)).not.toBe(0n);
    expect(t.peek(DATA)).toBe(0x77n);
    expect(t.csr('mcause')).toBe(0n);
  });

  it('every SC clears the reservation: a second SC fails (Zalrsc)', () => {
    const t = new TestHart();
    runM(t, A.li64(t0, DATA), A.addi(a1, 0, 1), A.lr_d(a0, t0), A.sc_d(a2, a1, t0), A.addi(a1, 0, 2), A.sc_d(a3, a1, t0));
    expect([t.x(a2), t.x(a3) !== 0n]).toEqual([0n, true]);
    expect(t.peek(DATA)).toBe(1n);
  });

  it('SC to an address outside the reservation set of the last LR fails (Zalrsc: "The SC must fail if the address is not within the reservation set")', () => {
    const t = new TestHart();
    runM(t, A.li64(t0, DATA), A.addi(t1, t0, 256), A.addi(a1, 0, 1), A.lr_d(a0, t0), A.sc_d(a2, a1, t1));
    expect(t.x(a2)).not.toBe(0n);
    expect(t.peek(DATA + 256n)).toBe(0n);
  });

  it('a trap between LR and SC clears the reservation, so the SC fails (machine.adoc norm:xret_clr_lr_resv; this hart clears it on every trap)', () => {
    const t = new TestHart();
    installSkipHandler(t);
    runM(t, A.li64(t0, DATA), A.addi(a1, 0, 1), A.lr_d(a0, t0), A.ecall(), A.sc_d(a2, a1, t0));
    expect(t.x(a2)).not.toBe(0n);
    expect(t.peek(DATA)).toBe(0n);
  });

  it('LR to unmapped memory is a load access fault; an AMO there is a store/AMO access fault (machine.adoc "Machine Cause Register")', () => {
    const t = {};
    expect(trapOf(t, A.li64(t0, UNMAPPED), A.lr_d(a0, t0))).toEqual([5n, UNMAPPED]);
    expect(trapOf(t, A.li64(t0, UNMAPPED), A.amoadd_d(a0, a1, t0))).toEqual([7n, UNMAPPED]);
  });

  const AMO_OPS = ['swap', 'add', 'xor', 'and', 'or', 'min', 'max', 'minu', 'maxu'] as const;
  function amoRef(op: (typeof AMO_OPS)[number], bits: 32 | 64, old: bigint, src: bigint): bigint {
    const s = (v: bigint) => BigInt.asIntN(bits, v);
    const u = (v: bigint) => BigInt.asUintN(bits, v);
    switch (op) {
      case 'swap': return u(src);
      case 'add': return u(old + src);
      case 'xor': return u(old ^ src);
      case 'and': return u(old & src);
      case 'or': return u(old | src);
      case 'min': return u(s(old) < s(src) ? old : src);
      case 'max': return u(s(old) > s(src) ? old : src);
      case 'minu': return u(u(old) < u(src) ? old : src);
      case 'maxu': return u(u(old) > u(src) ? old : src);
    }
  }

  it('every AMO.W returns the old word sign-extended and stores op(old, rs2[31:0]), leaving the neighbouring word alone (Zaamo "Atomic Memory Operations")', () => {
    for (const [old, src] of [[0x8000_0005n, 0x1234_5678_0000_0007n], [0x0000_0007n, 0xffff_ffff_8000_0005n], [0xffff_fff0n, 0x10n]]) {
      for (const op of AMO_OPS) {
        const t = new TestHart();
        t.poke(DATA, 4, old);
        t.poke(DATA + 4n, 4, 0xdead_beefn);
        runM(t, A.li64(t0, DATA), A.li64(a1, src), A.amoOp(op, 'w', a0, a1, t0));
        expect(t.x(a0), `amo${op}.w rd`).toBe(BigInt.asUintN(64, BigInt.asIntN(32, old)));
        expect(t.peek(DATA, 4), `amo${op}.w mem, old=${old.toString(16)}`).toBe(amoRef(op, 32, old, src & 0xffff_ffffn));
        expect(t.peek(DATA + 4n, 4)).toBe(0xdead_beefn);
      }
    }
  });

  it('every AMO.D returns the old doubleword and stores op(old, rs2) (Zaamo)', () => {
    for (const [old, src] of [[0x8000_0000_0000_0005n, 0x7n], [0x7n, 0x8000_0000_0000_0005n], [0xffff_ffff_0000_0000n, 0x1_0000_0000n]]) {
      for (const op of AMO_OPS) {
        const t = new TestHart();
        t.poke(DATA + 8n, 8, old);
        runM(t, A.li64(t0, DATA + 8n), A.li64(a1, src), A.amoOp(op, 'd', a0, a1, t0));
        expect(t.x(a0), `amo${op}.d rd`).toBe(old);
        expect(t.peek(DATA + 8n), `amo${op}.d mem, old=${old.toString(16)}`).toBe(amoRef(op, 64, old, src));
      }
    }
  });

  it('an AMO with rd=x0 still performs the store; rd=rs2 returns the old value (Zaamo)', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 10n);
    runM(t, A.li64(t0, DATA), A.addi(a1, 0, 5), A.amoadd_d(0, a1, t0), A.amoadd_d(a1, a1, t0));
    expect(t.peek(DATA)).toBe(20n);
    expect(t.x(a1)).toBe(15n);
  });
});

describe('memory-mapped I/O through loads and stores', () => {
  it('reads mtime and writes/reads mtimecmp of the CLINT, as 64-bit and 32-bit halves (machine.adoc "Machine Timer Registers")', () => {
    const t = new TestHart({ platform: { cpuHz: 10_000_000, timebaseHz: 10_000_000 } });
    runM(t, A.li64(t0, MTIME), A.ld(a0, t0, 0), A.li64(t1, MTIMECMP), A.li64(a1, 0x1_2345_6789n), A.sd(a1, t1, 0),
      A.lw(a2, t1, 0), A.lw(a3, t1, 4), A.addi(a4, 0, 0x55), A.sw(a4, t1, 4), A.ld(A.s2, t1, 0));
    expect(t.x(a0)).toBe(BigInt(A.li64(t0, MTIME).length + 1)); // one tick per cycle; the ld is instruction 3
    expect([t.x(a2), t.x(a3)]).toEqual([0x2345_6789n, 1n]);
    expect(t.x(A.s2)).toBe(0x55_2345_6789n);
  });

  it('byte stores to the UART transmit register appear in the captured output; LSR reads THRE|TEMT', () => {
    const t = new TestHart();
    runM(t, A.li64(t0, UART), A.addi(a0, 0, 0x68), A.sb(a0, t0, 0), A.addi(a0, 0, 0x69), A.sb(a0, t0, 0), A.lbu(a1, t0, 5));
    expect(t.uart).toBe('hi');
    expect(t.x(a1) & 0x60n).toBe(0x60n);
  });

  it('an access size a device does not accept is an access fault: a byte store to the CLINT (cause 7), a doubleword load of msip (cause 5)', () => {
    const t = {};
    expect(trapOf(t, A.li64(t0, MTIMECMP), A.sb(a0, t0, 0))).toEqual([7n, MTIMECMP]);
    expect(trapOf(t, A.li64(t0, CLINT), A.ld(a0, t0, 0))).toEqual([5n, CLINT]);
  });

  it('AMOs work on plain memory reached through an MMIO-free page after MMIO traffic (the soft TLB does not cache MMIO)', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 1n);
    runM(t, A.li64(t0, CLINT), A.addi(a0, 0, 1), A.sw(a0, t0, 0), A.sw(0, t0, 0), A.lw(a2, t0, 0), A.li64(t1, DATA), A.amoadd_d(a1, a0, t1), A.ld(a3, t1, 0));
    expect([t.x(a2), t.x(a1), t.x(a3)]).toEqual([0n, 1n, 2n]);
  });
});
