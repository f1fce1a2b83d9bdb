import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, ra, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t0, t1, t2 } from './test-support/asm.js';
import { CODE, DATA, MTIMECMP, PTE, TestHart, UART } from './test-support/harness.js';
import type { RunResult } from './machine.js';
import type { CsrName } from './test-support/asm.js';

/**
 * The block translator must be exact (blocks.ts): every program here runs once with
 * hart.blockTranslation=false (the interpreter, the reference) and once with it true, and the
 * complete architectural state must match: registers, pc, privilege, instret, cycles, CSRs,
 * memory and UART output.
 */

const CSRS: CsrName[] = ['mstatus', 'mepc', 'mcause', 'mtval', 'mip', 'mie', 'mscratch', 'sepc', 'scause', 'stval', 'satp',
  'mcycle', 'minstret', 'time', 'medeleg', 'mideleg', 'mtvec', 'stvec'];

type Setup = (t: TestHart) => void;

function snapshot(t: TestHart, r: RunResult) {
  return {
    reason: r.reason,
    exitCode: r.exitCode,
    pc: t.pc,
    priv: t.priv,
    x: Array.from({ length: 32 }, (_, i) => t.x(i)),
    instret: t.instret,
    cycles: t.cycles,
    csrs: Object.fromEntries(CSRS.map((n) => [n, t.csr(n)])),
    uart: t.uart,
    data: Buffer.from(t.m.platform.bus.dram.readBytes(Number(DATA), 0x2000)).toString('hex'),
  };
}

/** Run the same setup with and without the translator; returns both snapshots (interpreter first). */
function both(setup: Setup, maxInsns: number, platform: ConstructorParameters<typeof TestHart>[0] = {}) {
  const run = (blockTranslation: boolean) => {
    const t = new TestHart({ ...platform, hart: { ...platform?.hart, blockTranslation } });
    setup(t);
    return { t, snap: snapshot(t, t.run(maxInsns)) };
  };
  const interp = run(false);
  const blocks = run(true);
  return { interp, blocks };
}

function expectSame(setup: Setup, maxInsns: number, opts: ConstructorParameters<typeof TestHart>[0] = {}) {
  const { interp, blocks } = both(setup, maxInsns, opts);
  expect(blocks.snap).toEqual(interp.snap);
  const translated = blocks.t.m.engine!.blocksTranslated;
  expect(translated, 'the translator was used').toBeGreaterThan(0);
  return { interp, blocks };
}

/** Print two bytes of s3 (the checksum) as characters and stop. */
function printAndExit(a: A.Asm): void {
  a.li(t0, UART).emit(A.andi(t1, s3, 0x3f), A.addi(t1, t1, 0x40), A.sb(t1, t0, 0), A.srli(t1, s3, 8), A.andi(t1, t1, 0x3f), A.addi(t1, t1, 0x40), A.sb(t1, t0, 0));
  a.emit(A.exitSeq());
}

/** A loop that exercises every RV64I ALU and M instruction, some compressed ones, and a page-straddling instruction. */
const aluLoop: Setup = (t) => {
  t.code(CODE, (a) => {
    a.li(s0, 0x0123_4567_89ab_cdefn).li(s1, -0x7edc_ba98_7654_3211n).li(s2, 150).li(s3, 0).li(s4, 0)
      .li(s5, -(2n ** 63n)).li(s6, -1).li(s7, -(2n ** 31n)).li(s8, 6364136223846793005n);
    a.label('loop');
    const mix = (op: number) => a.emit(op, A.xor(s3, s3, t0), A.slli(t2, s3, 1), A.add(s3, s3, t2));
    for (const f of [A.add, A.sub, A.sll, A.slt, A.sltu, A.xor, A.srl, A.sra, A.or, A.and, A.addw, A.subw, A.sllw, A.srlw, A.sraw,
      A.mul, A.mulh, A.mulhsu, A.mulhu, A.div, A.divu, A.rem, A.remu, A.mulw, A.divw, A.divuw, A.remw, A.remuw]) {
      mix(f(t0, s0, s1));
      mix(f(t0, s1, s4));
    }
    a.emit(A.andi(t1, s4, 7)); // zero one iteration in eight: division by zero
    for (const f of [A.div, A.divu, A.rem, A.remu, A.divw, A.divuw, A.remw, A.remuw]) mix(f(t0, s0, t1));
    mix(A.div(t0, s5, s6)); mix(A.rem(t0, s5, s6)); mix(A.divw(t0, s7, s6)); mix(A.remw(t0, s7, s6)); // overflow
    for (const op of [A.addi(t0, s0, -77), A.slti(t0, s1, 5), A.sltiu(t0, s0, -1), A.xori(t0, s1, 0x555), A.ori(t0, s0, -0x100), A.andi(t0, s1, 0x7f0),
      A.slli(t0, s0, 13), A.srli(t0, s1, 7), A.srai(t0, s1, 33), A.addiw(t0, s0, 2047), A.slliw(t0, s1, 31), A.srliw(t0, s1, 3), A.sraiw(t0, s1, 17),
      A.lui(t0, 0x80000), A.auipc(t0, 0x12345)]) mix(op);
    a.c(A.c_addi(s0, -3), A.c_mv(t0, s1), A.c_add(t0, s0));
    mix(A.addi(t0, t0, 0));
    // the LCG step keeps the operands moving
    a.emit(A.mul(s0, s0, s8), A.addi(s0, s0, 1442), A.srli(t0, s0, 17), A.xor(s1, s1, t0), A.addi(s4, s4, 1));
    a.blt(s4, s2, 'loop');
    printAndExit(a);
  });
};

describe('the block translator gives the same results as the interpreter (blocks.ts, block-codegen.ts)', () => {
  it('an arithmetic loop with every ALU and M operation, compressed instructions and division corner cases', () => {
    const { interp } = expectSame(aluLoop, 10_000_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.snap.uart.length).toBe(2);
  });

  it('stops at exactly the same instruction when the instruction limit falls inside a block or a self-loop', () => {
    for (const limit of [1, 7, 50, 333, 1000, 4321]) {
      const { interp } = both(aluLoop, limit);
      expect(interp.snap.reason).toBe('limit');
      expect(interp.snap.instret).toBe(limit);
      expectSame(aluLoop, limit);
    }
  });

  it('a tight self-loop with loads and stores (including rd = rs1 and rd = x0), also when the limit falls inside it', () => {
    const setup: Setup = (t) => t.code(CODE, (a) => a
      .li(s0, DATA).li(s1, 0).li(s2, 1000).emit(A.sd(s0, s0, 0x100))
      .label('l').emit(A.ld(t0, s0, 0), A.add(t0, t0, s1), A.sd(t0, s0, 0), A.sw(s1, s0, 8), A.lhu(t1, s0, 8), A.add(s3, s3, t1),
        A.ld(0, s0, 16), A.addi(s6, s0, 0x100), A.ld(s6, s6, 0), A.add(s3, s3, s6), A.addi(s1, s1, 1)).blt(s1, s2, 'l')
      .emit(A.exitSeq()));
    expectSame(setup, 100_000);
    for (const limit of [10, 11, 12, 100, 1234, 5555]) expectSame(setup, limit);
  });

  it('compressed jumps and branches, JAL/JALR links and JALR with rd = rs1 inside blocks', () => {
    expectSame((t) => t.code(CODE, (a) => a
      .li(s1, 0).li(s2, 300)
      .label('l').c(A.c_addi(s1, 1)).emit(A.andi(a0, s1, 3)).cbeqz(a0, 'skip').c(A.c_addi(a0, 5)).label('skip')
      .jal(ra, 'fn').emit(A.add(s3, s3, a1))
      .la(a2, 'fn2').emit(A.jalr(a2, a2, 0), A.add(s3, s3, a2))
      .emit(A.sub(a0, s1, s2)).cbnez(a0, 'l')
      .cj('done')
      .label('fn').emit(A.auipc(a1, 0), A.jalr(0, ra, 0))
      .label('fn2').emit(A.addi(s4, s4, 1)).emit(A.jalr(0, a2, 0))
      .label('done').emit(A.exitSeq())), 100_000);
  });

  it('code running at an upper-half virtual address (pc bits 63:32 all ones) in S-mode', () => {
    const va = 0xffff_ffff_c000_0000n;
    expectSame((t) => {
      const pt = t.pageTables(3);
      t.mapKernelIdentity(pt);
      pt.map(va, 0x8000_0000n, 2, PTE.V | PTE.R | PTE.W | PTE.X | PTE.A | PTE.D);
      t.useTables(pt);
      t.code(va + 0x5_0000n, (a) => a
        .li(s1, 0).li(s2, 200).la(s5, 'data')
        .label('l').emit(A.auipc(a0, 0), A.add(s3, s3, a0), A.ld(a1, s5, 0), A.addi(a1, a1, 1), A.sd(a1, s5, 0)).jal(ra, 'fn').emit(A.addi(s1, s1, 1)).blt(s1, s2, 'l')
        .emit(A.exitSeq())
        .label('fn').emit(A.add(s4, s4, ra), A.jalr(0, ra, 0))
        .align(8).label('data').dwords(0n), 0x8005_0000n);
      t.start(va + 0x5_0000n, Priv.S);
    }, 100_000);
  });

  it('a 32-bit instruction straddling a page boundary runs the same in both modes', () => {
    expectSame((t) => t.code(CODE, (a) => {
      a.li(s1, 0).li(s2, 20).j('loop');
      while ((a.pc + 2n) % 4096n !== 0n) a.c(A.c_nop());
      a.label('loop').emit(A.addi(s3, s3, 7), A.addi(s1, s1, 1)).blt(s1, s2, 'loop');
      a.emit(A.exitSeq());
    }), 100_000);
  });

  it('a finisher store in the middle of a block ends the run right after that store in both modes', () => {
    const { interp } = expectSame((t) => t.code(CODE, (a) => a.li(s1, 0).label('l').emit(A.addi(s1, s1, 1)).li(s2, 10).blt(s1, s2, 'l')
      .emit(A.exitSeq(), A.addi(s3, 0, 1), A.addi(s4, 0, 2))), 10_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.t.x(s3)).toBe(0n);
  });

  it('loads and stores with page faults and misaligned accesses in the middle of blocks, handled in S (delegated) and M', () => {
    const UVA = 0x4000_0000n;
    const setup: Setup = (t) => {
      const pt = t.pageTables(3);
      t.mapKernelIdentity(pt);
      pt.map(UVA, DATA, 0, PTE.V | PTE.R | PTE.W | PTE.A | PTE.D);
      pt.map(UVA + 0x1000n, DATA + 0x1000n, 0, PTE.V | PTE.R | PTE.A); // read-only: stores fault (15, to M)
      // UVA + 0x2000 unmapped: loads fault (13, delegated to S)
      t.useTables(pt);
      t.setCsr('medeleg', 1n << 13n);
      t.code(0x8002_0000n, (a) => a.emit(A.csrr(t0, CSR.mepc), A.addi(t0, t0, 4), A.csrw(CSR.mepc, t0), A.addi(s11, s11, 1), A.mret()));
      t.code(0x8002_1000n, (a) => a.emit(A.csrr(t0, CSR.sepc), A.addi(t0, t0, 4), A.csrw(CSR.sepc, t0), A.addi(s10, s10, 1), A.sret()));
      t.setCsr('mtvec', 0x8002_0000n);
      t.setCsr('stvec', 0x8002_1000n);
      t.code(CODE, (a) => a
        .li(s5, UVA).li(s6, UVA + 0x2000n).li(s7, UVA + 0x1000n).li(s1, 0).li(s2, 40)
        .label('l').emit(
          A.sd(s1, s5, 0), A.ld(s0, s5, 0), A.add(s3, s3, s0),
          A.ld(s4, s6, 8), // load page fault: S handler
          A.addi(s3, s3, 3), A.sw(s3, s5, 16),
          A.sd(s3, s7, 0), // store page fault: M handler
          A.ld(s8, s7, 0), A.lw(s9, s5, 18), // misaligned (trap mode): M handler
          A.xor(s3, s3, s8), A.addi(s1, s1, 1))
        .blt(s1, s2, 'l')
        .emit(A.exitSeq()));
      t.start(CODE, Priv.S);
    };
    const { interp } = expectSame(setup, 100_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.t.x(s10)).toBe(40n);
    expect(interp.t.x(s11)).toBe(80n);
  });

  it('a timer interrupt arriving in the middle of a loop is taken at the same instruction, again and again', () => {
    const setup: Setup = (t) => {
      t.code(0x8002_0000n, (a) => a.li(t0, MTIMECMP).emit(A.ld(t1, t0, 0), A.addi(t1, t1, 37), A.sd(t1, t0, 0), A.addi(s10, s10, 1), A.mret()));
      t.setCsr('mtvec', 0x8002_0000n);
      t.poke(MTIMECMP, 8, 5n);
      t.code(CODE, (a) => a
        .li(t0, 1n << 7n).emit(A.csrw(CSR.mie, t0), A.csrsi(CSR.mstatus, 8))
        .li(s5, DATA).li(s1, 0).li(s2, 3000)
        .label('l').emit(A.ld(s0, s5, 0), A.addi(s0, s0, 3), A.sd(s0, s5, 0), A.mul(s3, s3, s0), A.addi(s3, s3, 1), A.addi(s1, s1, 1))
        .blt(s1, s2, 'l')
        .label('l2').emit(A.addi(s4, s4, 1), A.xor(s3, s3, s4)).blt(s4, s2, 'l2')
        .emit(A.exitSeq()));
    };
    const { interp } = expectSame(setup, 1_000_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.t.x(s10)).toBeGreaterThan(5n);
    for (const limit of [999, 5003, 12345]) expectSame(setup, limit);
  });

  it('a timer interrupt ends a WFI-based idle loop identically', () => {
    const setup: Setup = (t) => {
      t.code(0x8002_0000n, (a) => a.li(t0, MTIMECMP).emit(A.ld(t1, t0, 0), A.addi(t1, t1, 500), A.sd(t1, t0, 0), A.addi(s10, s10, 1), A.mret()));
      t.setCsr('mtvec', 0x8002_0000n);
      t.poke(MTIMECMP, 8, 100n);
      t.code(CODE, (a) => a
        .li(t0, 1n << 7n).emit(A.csrw(CSR.mie, t0), A.csrsi(CSR.mstatus, 8))
        .label('idle').emit(A.wfi(), A.addi(s1, s1, 1)).li(s2, 20).blt(s10, s2, 'idle')
        .emit(A.exitSeq()));
    };
    const { interp } = expectSame(setup, 100_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.t.x(s10)).toBe(20n);
  });

  it('self-modifying code: after a store and FENCE.I the new instruction runs (zifencei.adoc "FENCE.I")', () => {
    for (const patch of ['sw', 'amoswap', 'sh']) {
      const setup: Setup = (t) => t.code(CODE, (a) => {
        a.li(s1, 0).li(s2, 5)
          .label('l1').jal(ra, 'fn').emit(A.addi(s1, s1, 1)).blt(s1, s2, 'l1')
          .la(t0, 'fn').li(t1, A.addi(a0, a0, 100));
        if (patch === 'sw') a.emit(A.sw(t1, t0, 0));
        else if (patch === 'amoswap') a.emit(A.amoswap_w(t2, t1, t0));
        else a.emit(A.sh(t1, t0, 0), A.srli(t1, t1, 16), A.sh(t1, t0, 2));
        a.emit(A.fence_i()).jal(ra, 'fn').jal(ra, 'fn').emit(A.exitSeq());
        a.label('fn').emit(A.addi(a0, a0, 1), A.addi(a2, a2, 3), A.jalr(0, ra, 0));
      });
      const { interp, blocks } = expectSame(setup, 100_000);
      expect(interp.t.x(a0), patch).toBe(205n);
      expect(blocks.t.x(a0), patch).toBe(205n);
    }
  });

  it('self-modifying code in a loop: each iteration rewrites the instruction just after its FENCE.I, whose translated block must be rebuilt', () => {
    const setup: Setup = (t) => t.code(CODE, (a) => {
      a.li(s1, 0).li(s2, 4).la(s5, 'target').li(s6, A.addi(a1, a1, 10))
        .label('l')
        .emit(A.addi(a1, a1, 1))
        .emit(A.sw(s6, s5, 0), A.fence_i())
        .label('target').emit(A.addi(a1, a1, 1000), A.addi(s1, s1, 1)).blt(s1, s2, 'l')
        .emit(A.exitSeq());
    });
    const { interp } = expectSame(setup, 100_000);
    expect(interp.t.x(a1)).toBe(44n);
  });

  it('random programs (seeded): ALU, M, loads and stores of every width, forward branches, compressed ops, in a loop, with misaligned accesses emulated', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const setup = randomProgram(seed);
      const { interp, blocks } = both(setup, 200_000, { hart: { misaligned: 'emulate' } });
      expect(interp.snap.reason).toBe('exit');
      expect(blocks.snap, `seed ${seed}`).toEqual(interp.snap);
      const limit = 100 + seed * 37;
      const cut = both(setup, limit, { hart: { misaligned: 'emulate' } });
      expect(cut.blocks.snap, `seed ${seed}, limit ${limit}`).toEqual(cut.interp.snap);
    }
  });

  it('random programs (seeded) under a stream of timer interrupts taken at arbitrary points of their blocks', () => {
    for (let seed = 100; seed < 120; seed++) {
      const program = randomProgram(seed);
      const setup: Setup = (t) => {
        program(t);
        // handler: mtimecmp += 3 + seed % 5 ticks, count in s8; uses only t3/t4
        t.code(0x8002_0000n, (a) => a.li(A.t3, MTIMECMP).emit(A.ld(A.t4, A.t3, 0), A.addi(A.t4, A.t4, 3 + (seed % 5)), A.sd(A.t4, A.t3, 0), A.addi(s8, s8, 1), A.mret()));
        t.setCsr('mtvec', 0x8002_0000n);
        t.poke(MTIMECMP, 8, 2n);
        t.setCsr('mie', 1n << 7n);
        t.setCsr('mstatus', 1n << 3n);
      };
      // 10 cycles per mtime tick: an interrupt every 30 to 70 cycles
      const { interp, blocks } = both(setup, 200_000, { hart: { misaligned: 'emulate' }, platform: { cpuHz: 100_000_000 } });
      expect(interp.snap.reason).toBe('exit');
      expect(interp.t.x(s8)).toBeGreaterThan(20n);
      expect(blocks.snap, `seed ${seed}`).toEqual(interp.snap);
    }
  });

  // blocks.ts caches blocks by physical address; AUIPC values, branch targets and exit pcs are
  // constants in the code, so a virtual alias of the same code must get a block of its own.
  it('the same physical code reached through two virtual addresses computes pc-relative values from the pc it runs at (blocks are keyed by physical address and pc)', () => {
    // A routine at physical FN runs first in M-mode at VA = FN, then in S-mode at VA ALIAS (same
    // physical page). AUIPC and the block's fall-through pc must be those of the running VA.
    const FN = 0x8003_0000n;
    const ALIAS = 0x4000_0000n;
    const setup: Setup = (t) => {
      t.code(FN, (a) => a.emit(A.auipc(a0, 0), A.addi(a1, a1, 1)).bne(a1, 0, 'ret').label('ret').emit(A.auipc(a2, 0), A.jalr(0, ra, 0)));
      const pt = t.pageTables(3);
      t.mapKernelIdentity(pt);
      pt.map(ALIAS, FN, 0, PTE.V | PTE.R | PTE.X | PTE.A);
      t.code(CODE, (a) => a
        .li(t0, FN).emit(A.jalr(ra, t0, 0), A.addi(s1, a0, 0), A.addi(s2, a2, 0))
        .li(t0, (8n << 60n) | (pt.root >> 12n)).emit(A.csrw(CSR.satp, t0))
        .la(t0, 'smode').emit(A.csrw(CSR.mepc, t0)).li(t0, 1n << 11n).emit(A.csrs(CSR.mstatus, t0), A.mret())
        .label('smode').li(t0, ALIAS).emit(A.jalr(ra, t0, 0), A.addi(s3, a0, 0), A.addi(s4, a2, 0))
        .emit(A.exitSeq()));
    };
    const { interp, blocks } = both(setup, 10_000);
    expect(interp.snap.reason).toBe('exit');
    expect([interp.t.x(s1), interp.t.x(s2), interp.t.x(s3), interp.t.x(s4)]).toEqual([FN, FN + 12n, ALIAS, ALIAS + 12n]);
    expect(blocks.snap).toEqual(interp.snap);
  });
});

/** A seeded pseudo-random program for differential testing (LCG: Knuth's MMIX constants). */
function randomProgram(seed: number): Setup {
  let state = BigInt(seed) * 0x9e37_79b9_7f4a_7c15n;
  const next = (): number => {
    state = BigInt.asUintN(64, state * 6364136223846793005n + 1442695040888963407n);
    return Number(state >> 33n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]!;
  const reg = () => 5 + (next() % 16); // x5..x20
  const imm12 = () => pick([0, 1, -1, 2047, -2048, 5, -7, 0x555, -0x556, next() % 4096 - 2048]);
  const sh64 = () => pick([0, 1, 31, 32, 33, 63, next() % 64]);
  const sh32 = () => pick([0, 1, 15, 31, next() % 32]);
  const rOps = [A.add, A.sub, A.sll, A.slt, A.sltu, A.xor, A.srl, A.sra, A.or, A.and, A.addw, A.subw, A.sllw, A.srlw, A.sraw,
    A.mul, A.mulh, A.mulhsu, A.mulhu, A.div, A.divu, A.rem, A.remu, A.mulw, A.divw, A.divuw, A.remw, A.remuw];
  const iOps = [A.addi, A.slti, A.sltiu, A.xori, A.ori, A.andi, A.addiw];
  const loads = [A.lb, A.lh, A.lw, A.ld, A.lbu, A.lhu, A.lwu];
  const stores = [A.sb, A.sh, A.sw, A.sd];
  const branches = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
  const init = Array.from({ length: 16 }, () => BigInt.asUintN(64, (BigInt(next()) << 33n) ^ BigInt(next()) ^ (BigInt(next()) << 62n)));
  const body: ((a: A.Asm) => void)[] = [];
  let labels = 0;
  const pendingLabels: [number, string][] = [];
  for (let i = 0; i < 120; i++) {
    const kind = next() % 20;
    if (kind < 7) { const f = pick(rOps); const [d, x, y] = [reg(), reg(), reg()]; body.push((a) => a.emit(f(d, x, y))); }
    else if (kind < 10) { const f = pick(iOps); const [d, x, v] = [reg(), reg(), imm12()]; body.push((a) => a.emit(f(d, x, v))); }
    else if (kind < 11) {
      const w = next() % 6; const [d, x] = [reg(), reg()];
      const insn = w === 0 ? A.slli(d, x, sh64()) : w === 1 ? A.srli(d, x, sh64()) : w === 2 ? A.srai(d, x, sh64()) : w === 3 ? A.slliw(d, x, sh32()) : w === 4 ? A.srliw(d, x, sh32()) : A.sraiw(d, x, sh32());
      body.push((a) => a.emit(insn));
    } else if (kind < 12) { const [d, u] = [reg(), next() % 0x100000]; const insn = next() % 2 ? A.lui(d, u) : A.auipc(d, u); body.push((a) => a.emit(insn)); }
    else if (kind < 15) { const f = pick(loads); const [d, off] = [reg(), next() % 2040]; body.push((a) => a.emit(f(d, s11, off))); }
    else if (kind < 17) { const f = pick(stores); const [v, off] = [reg(), next() % 2040]; body.push((a) => a.emit(f(v, s11, off))); }
    else if (kind < 18) { const [d, v] = [reg(), (next() % 63) - 31 || 1]; body.push((a) => a.c(A.c_addi(d, v))); }
    else if (kind < 19) { const [d, x] = [reg(), reg()]; const insn = next() % 2 ? A.c_mv(d, x) : A.c_add(d, x); body.push((a) => a.c(insn)); }
    else {
      const name = `f${labels++}`; const [x, y, b] = [reg(), reg(), pick(branches)];
      body.push((a) => a[b](x, y, name));
      pendingLabels.push([i + 1 + (next() % 4), name]);
    }
  }
  // Every random choice is made above: the returned setup builds the same program each time.
  return (t) => {
    init.forEach((v, i) => t.setX(5 + i, v));
    t.code(CODE, (a) => {
      a.li(s11, DATA).li(s10, 0).li(s9, 15).label('top');
      body.forEach((emit, i) => {
        for (const [at, name] of pendingLabels) if (at === i) a.label(name);
        emit(a);
      });
      for (const [at, name] of pendingLabels) if (at >= body.length) a.label(name);
      a.emit(A.addi(s10, s10, 1)).blt(s10, s9, 'top').emit(A.exitSeq());
    });
  };
}
