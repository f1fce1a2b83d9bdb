import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, a3, a4, a5, s0, s1, s2, s3, s4, t0, t1, t2 } from './test-support/asm.js';
import { CODE, PTE, TestHart } from './test-support/harness.js';
import type { RunResult } from './machine.js';
import { G_URWX, GUEST_DATA_GPA, GUEST_DATA_HPA, Guest, HS, MS, VS_RWX, VS_TABLE_HPA, hypHart, startVirt } from './test-support/hyp.js';

/**
 * The block translator stays exact with V=1 (blocks.ts; hypervisor.adoc "Two-Stage Address
 * Translation"): the same guest runs with hart.blockTranslation false (the interpreter, the
 * reference) and true, and the complete state must match, H state included.
 *
 * The guest: VS-mode enters a VU loop over eight data pages. Pages 4-7 have no VS-stage PTE
 * (a VS page fault, delegated to VS, whose handler installs it and SFENCE.VMAs) and pages 6-7
 * no G-stage PTE (a guest-page fault to HS, whose handler installs it and HFENCE.GVMAs).
 */

const D = 0x4000_0000n; // GVA of the data pages
const USER = 0x6000_0000n; // GVA of the VU code
const USER_PA = CODE + 0x2000n;
const VS_HANDLER = CODE + 0x3000n;
const HS_HANDLER = CODE + 0x4000n;
const UPTE = PTE.V | PTE.R | PTE.W | PTE.U | PTE.A | PTE.D;

const CSRS: A.CsrName[] = ['mstatus', 'mepc', 'mcause', 'mtval', 'mtval2', 'mtinst', 'sstatus', 'sepc', 'scause', 'stval', 'hstatus',
  'htval', 'htinst', 'hgatp', 'vsstatus', 'vsepc', 'vscause', 'vstval', 'vsatp', 'vstvec', 'minstret', 'mcycle', 'time', 'hip', 'mip'];

type Setup = (t: TestHart) => void;

function snapshot(t: TestHart, r: RunResult) {
  const mem = (pa: bigint, n: number) => Buffer.from(t.m.platform.bus.dram.readBytes(Number(pa), n)).toString('hex');
  return {
    reason: r.reason,
    pc: t.pc,
    priv: t.priv,
    virt: t.m.hart.virt,
    x: Array.from({ length: 32 }, (_, i) => t.x(i)),
    instret: t.instret,
    cycles: t.cycles,
    exceptions: t.m.hart.exceptions,
    trapsTo: Array.from(t.m.hart.trapsTo),
    csrs: Object.fromEntries(CSRS.map((n) => [n, t.csr(n)])),
    data: mem(GUEST_DATA_HPA, 0x8000),
    vsTables: mem(VS_TABLE_HPA, 0x4000),
  };
}

function both(setup: Setup, maxInsns: number) {
  const run = (blockTranslation: boolean) => {
    const t = hypHart({ hart: { blockTranslation } });
    setup(t);
    return { t, snap: snapshot(t, t.run(maxInsns)) };
  };
  return { interp: run(false), blocks: run(true) };
}

function expectSame(setup: Setup, maxInsns: number) {
  const r = both(setup, maxInsns);
  expect(r.blocks.snap).toEqual(r.interp.snap);
  expect(r.blocks.t.m.engine!.blocksTranslated, 'the translator was used').toBeGreaterThan(0);
  return r;
}

/** The guest described above; `vsLevels`/`gLevels` pick the two stages' modes. */
function lazyGuest(vsLevels: 3 | 4 | 5, gLevels: 3 | 4 | 5, iterations: number): Setup {
  return (t) => {
    const g = new Guest(t, { vsLevels, gLevels }).enable();
    g.vmap(0xc000_0000n, 0xc000_0000n, 2, VS_RWX); // the guest's own view of its tables (GVA = GPA)
    g.vmap(USER, USER_PA, 0, PTE.V | PTE.R | PTE.X | PTE.U | PTE.A | PTE.D);
    for (let k = 0n; k < 8n; k++) {
      if (k < 6n) g.gmap(GUEST_DATA_GPA + k * 0x1000n, GUEST_DATA_HPA + k * 0x1000n);
      if (k < 4n) g.vmap(D + k * 0x1000n, GUEST_DATA_GPA + k * 0x1000n, 0, UPTE);
      else g.vpt!.pteAddr(D + k * 0x1000n, 0); // the leaf table exists, the PTE is invalid
      t.poke(GUEST_DATA_HPA + k * 0x1000n + 0x100n, 8, 0x0101_0101n * (k + 1n));
    }
    const vsLeaf0 = g.vpt!.pteAddr(D, 0); // guest-physical (= guest-virtual through 0xc000_0000)
    const gLeaf0 = g.gpt.pteAddr(GUEST_DATA_GPA, 0); // host-physical

    // Traps: VS page faults (13, 15) to VS; guest-page faults (21, 23) to HS; the final ECALL from VU to M.
    t.setCsr('medeleg', (1n << 13n) | (1n << 15n) | (1n << 21n) | (1n << 23n));
    t.setCsr('hedeleg', (1n << 13n) | (1n << 15n));
    t.setCsr('stvec', HS_HANDLER);
    t.setCsr('vstvec', VS_HANDLER);

    t.code(VS_HANDLER, (a) => a
      .emit(A.csrr(t0, CSR.stval), A.srli(t0, t0, 12)).li(t1, D >> 12n).emit(A.sub(t0, t0, t1))
      .li(t1, GUEST_DATA_GPA >> 12n).emit(A.add(t1, t1, t0), A.slli(t1, t1, 10), A.ori(t1, t1, UPTE))
      .emit(A.slli(t0, t0, 3)).li(t2, vsLeaf0).emit(A.add(t0, t0, t2), A.sd(t1, t0, 0), A.sfence_vma(), A.sret()));
    t.code(HS_HANDLER, (a) => a
      .emit(A.csrr(t0, CSR.htval), A.srli(t0, t0, 10)).li(t1, GUEST_DATA_GPA >> 12n).emit(A.sub(t0, t0, t1))
      .li(t1, GUEST_DATA_HPA >> 12n).emit(A.add(t1, t1, t0), A.slli(t1, t1, 10), A.ori(t1, t1, G_URWX))
      .emit(A.slli(t0, t0, 3)).li(t2, gLeaf0).emit(A.add(t0, t0, t2), A.sd(t1, t0, 0), A.hfence_gvma(), A.sret()));
    t.code(USER_PA, (a) => {
      a.li(s0, D).li(s1, 0).li(s2, iterations).li(s3, 0).li(s4, 0x9e37_79b9n);
      a.label('loop')
        .emit(A.slli(a0, s1, 1), A.add(a0, a0, s1), A.andi(a0, a0, 7), A.slli(a0, a0, 12), A.add(a0, a0, s0))
        .emit(A.andi(a1, s1, 0x1f8), A.add(a0, a0, a1))
        .emit(A.ld(a2, a0, 0x100), A.add(s3, s3, a2), A.xor(s3, s3, s4), A.mul(s4, s4, s3), A.addi(s4, s4, 7))
        .emit(A.sd(s3, a0, 0x100), A.lw(a3, a0, 0x104), A.add(s3, s3, a3), A.sb(s1, a0, 0x101))
        .c(A.c_lw(a4, a0, 8), A.c_sw(a4, a0, 12))
        .emit(A.amoadd_d(a5, s1, a0), A.add(s3, s3, a5), A.lhu(a5, a0, 0x102), A.add(s3, s3, a5), A.addi(s1, s1, 1));
      a.blt(s1, s2, 'loop').emit(A.ecall());
    });
    // VS-mode entry: go to the VU loop with SRET (vsstatus.SPP = 0).
    t.code(CODE, (a) => a.li(t0, USER).emit(A.csrw(CSR.sepc, t0), A.sret()));
    startVirt(t, CODE, Priv.S);
  };
}

describe('the block translator gives the same results as the interpreter with V=1 (blocks.ts, block-codegen.ts)', () => {
  it('a VU loop over lazily mapped pages: VS page faults handled in VS, guest-page faults in HS, Sv39 over Sv39x4 (hypervisor.adoc norm:H_vm_twostage, norm:H_trap_deleg)', () => {
    const { interp } = expectSame(lazyGuest(3, 3, 300), 1_000_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.snap.csrs.mcause).toBe(8n); // the final ECALL from VU
    expect(interp.snap.trapsTo[2]).toBe(4); // four VS page faults (pages 4-7)
    expect(interp.snap.trapsTo[1]).toBe(2); // two guest-page faults (pages 6-7)
  });

  it('the same with Sv48 over Sv57x4 and Sv57 over Sv48x4 (hypervisor.adoc norm:hgatp_mode_sv)', () => {
    expectSame(lazyGuest(4, 5, 120), 1_000_000);
    expectSame(lazyGuest(5, 4, 120), 1_000_000);
  });

  it('stops at exactly the same instruction when the limit falls inside a guest block, a handler or a fault (hypervisor.adoc norm:H_trap_deleg)', () => {
    for (const limit of [3, 17, 40, 41, 42, 100, 257, 1000, 2345]) {
      const r = both(lazyGuest(3, 3, 300), limit);
      expect(r.blocks.snap, `limit ${limit}`).toEqual(r.interp.snap);
      expect(r.interp.snap.reason).toBe('limit');
    }
  });

  it('a VS-mode loop with loads and stores through two stages, interrupted by VS timer interrupts (vstimecmp, delivered to VS) (hypervisor.adoc norm:hip_vstip_op, norm:hideleg_trans)', () => {
    const setup: Setup = (t) => {
      const g = new Guest(t).enable();
      for (let k = 0n; k < 4n; k++) g.map(D + k * 0x1000n, GUEST_DATA_GPA + k * 0x1000n, GUEST_DATA_HPA + k * 0x1000n);
      t.setCsr('menvcfg', 1n << 63n);
      t.setCsr('henvcfg', 1n << 63n);
      t.setCsr('mcounteren', 2n);
      t.setCsr('hcounteren', 2n);
      t.setCsr('htimedelta', 12_345n);
      t.setCsr('hideleg', 1n << 6n);
      t.setCsr('hie', 1n << 6n);
      t.setCsr('vsstatus', MS.SIE);
      t.setCsr('hstatus', HS.SPVP);
      // VS timer handler: count in s2, re-arm 50 ticks ahead, return.
      t.code(VS_HANDLER, (a) => a.emit(A.addi(s2, s2, 1), A.csrr(t0, CSR.time), A.addi(t0, t0, 50), A.csrw(CSR.stimecmp, t0), A.sret()));
      t.setCsr('vstvec', VS_HANDLER);
      t.code(CODE, (a) => a
        .li(s0, D).li(s1, 0).li(s3, 0).emit(A.csrr(t0, CSR.time), A.addi(t0, t0, 50), A.csrw(CSR.stimecmp, t0))
        .li(a3, 0x3ff8).label('l').emit(A.and(a0, s1, a3), A.add(a0, a0, s0), A.ld(a1, a0, 0), A.add(s3, s3, a1), A.addi(a1, s1, 3), A.sd(a1, a0, 0))
        .emit(A.xor(s3, s3, s1), A.addi(s1, s1, 8)).li(a2, 40_000).blt(s1, a2, 'l')
        .emit(A.exitSeq()));
      startVirt(t, CODE, Priv.S);
    };
    const { interp } = expectSame(setup, 2_000_000);
    expect(interp.snap.reason).toBe('exit');
    expect(interp.snap.x[s2]).toBeGreaterThan(3n);
  });
});
