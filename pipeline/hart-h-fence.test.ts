import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import { pte } from '../mmu/test-support/page-tables.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, ra, s1, s2, t0, t1 } from './test-support/asm.js';
import { CODE, M_HANDLER, TestHart } from './test-support/harness.js';
import { G_URWX, GUEST_DATA_GPA, GUEST_DATA_HPA, Guest, HS, MS, VS_RWX, VS_TABLE_GPA, hypHart, startVirt } from './test-support/hyp.js';

/**
 * The hypervisor fences (hypervisor.adoc "Hypervisor Memory-Management Fence Instructions",
 * "Memory-Management Fences"; svinval.adoc): who may execute them, and that after a guest or
 * G-stage page-table change the fence makes the new translation visible to loads, stores and
 * instruction fetch (the soft TLB and the block engine's caches must not keep a stale one).
 * Before the fence either translation is allowed, so nothing is asserted there.
 */

const FENCES = 'hypervisor.adoc "Hypervisor Memory-Management Fence Instructions"';
const GVA = 0x4000_0000n;
const FN = 0x5000_0000n;
const HS_CODE = CODE + 0x8000n;
const GUEST_CODE = CODE + 0x1000n;

/** Run one instruction in HS/U/M and stop; the trap cause (to M) or null. */
function outcome(t: TestHart, priv: Priv, insn: number): bigint | null {
  t.code(CODE, (a) => a.emit(insn, A.exitSeq()));
  t.start(CODE, priv);
  expect(t.runSteps(100).reason).toBe('exit');
  return t.m.hart.exceptions === 0 ? null : t.csr('mcause');
}

describe(`who may execute HFENCE.VVMA, HFENCE.GVMA, HINVAL.VVMA, HINVAL.GVMA (${FENCES}, norm:hfence-vvma_hfence-gvma_exceptions)`, () => {
  const all: [string, () => number, boolean][] = [
    ['hfence.vvma', () => A.hfence_vvma(a0, a1), false], ['hfence.gvma', () => A.hfence_gvma(a0, a1), true],
    ['hinval.vvma', () => A.hinval_vvma(a0, a1), false], ['hinval.gvma', () => A.hinval_gvma(a0, a1), true],
  ];
  for (const [name, insn, gvma] of all) {
    it(`${name}: valid in HS and M, illegal in U even with hstatus.HU=1; with mstatus.TVM=1 ${gvma ? 'illegal in HS (norm:mstatus_tvm_hs)' : 'still valid in HS (norm:hfence-vvma_tvm)'}, valid in M`, () => {
      expect(outcome(hypHart(), Priv.S, insn())).toBe(null);
      expect(outcome(hypHart(), Priv.M, insn())).toBe(null);
      const u = hypHart();
      u.setCsr('hstatus', HS.HU);
      expect(outcome(u, Priv.U, insn())).toBe(2n);
      const tvm = hypHart();
      tvm.setCsr('mstatus', MS.TVM);
      expect(outcome(tvm, Priv.S, insn())).toBe(gvma ? 2n : null);
      const m = hypHart();
      m.setCsr('mstatus', MS.TVM);
      expect(outcome(m, Priv.M, insn())).toBe(null);
    });
  }

  it('HFENCE.VVMA is not trapped by hstatus.VTVM in HS-mode (norm:hfence-vvma_tvm)', () => {
    const t = hypHart();
    t.setCsr('hstatus', HS.VTVM);
    expect(outcome(t, Priv.S, A.hfence_vvma())).toBe(null);
  });

  it('HINVAL.* are illegal without Svinval (svinval.adoc)', () => {
    expect(outcome(hypHart({ hart: { svinval: false } }), Priv.S, A.hinval_vvma())).toBe(2n);
    expect(outcome(hypHart({ hart: { svinval: false } }), Priv.M, A.hinval_gvma())).toBe(2n);
  });
});

/** A guest with GVA -> GPA page k -> HPA page k (k = 0, 1), each page holding a distinct word. */
function dataGuest(blockTranslation: boolean) {
  const t = hypHart({ hart: { blockTranslation } });
  const g = new Guest(t).enable();
  for (const k of [0n, 1n, 2n]) t.poke(GUEST_DATA_HPA + k * 0x1000n, 8, 0x1000n + k);
  g.map(GVA, GUEST_DATA_GPA, GUEST_DATA_HPA);
  g.gmap(GUEST_DATA_GPA + 0x1000n, GUEST_DATA_HPA + 0x1000n);
  return { t, g };
}

/** Run an HS program to the finisher (no traps expected). */
function runHs(t: TestHart, build: (a: A.Asm) => void): void {
  t.code(HS_CODE, (a) => { build(a); a.emit(A.exitSeq()); });
  t.start(HS_CODE, Priv.S);
  expect(t.run(10_000).reason).toBe('exit');
  expect(t.m.hart.exceptions).toBe(0);
}

for (const blockTranslation of [false, true]) {
  const mode = blockTranslation ? 'translated blocks' : 'interpreter';
  describe(`fences make page-table changes visible (${FENCES}; ${mode})`, () => {
    it('HFENCE.VVMA after HS changes a VS-stage PTE: the next HLV uses the new guest mapping (norm:hfence-vvma_hfence-gvma_op)', () => {
      const { t, g } = dataGuest(blockTranslation);
      const vsPte = g.hostOf(g.vpt!.pteAddr(GVA, 0));
      t.setCsr('hstatus', HS.SPVP);
      runHs(t, (a) => a
        .li(a1, GVA).emit(A.hlv_d(s1, a1), A.hlv_d(s1, a1))
        .li(t0, vsPte).li(t1, pte(GUEST_DATA_GPA + 0x1000n, VS_RWX)).emit(A.sd(t1, t0, 0), A.hfence_vvma(), A.hlv_d(s2, a1)));
      expect(t.x(s1)).toBe(0x1000n);
      expect(t.x(s2)).toBe(0x1001n);
    });

    it('HFENCE.GVMA after HS changes a G-stage PTE: the next HLV and HSV use the new host page (norm:hfence-gvma_op)', () => {
      const { t, g } = dataGuest(blockTranslation);
      const gPte = g.gpt.pteAddr(GUEST_DATA_GPA, 0);
      t.setCsr('hstatus', HS.SPVP);
      runHs(t, (a) => a
        .li(a1, GVA).emit(A.hlv_d(s1, a1), A.hsv_d(s1, a1))
        .li(t0, gPte).li(t1, pte(GUEST_DATA_HPA + 0x2000n, G_URWX)).emit(A.sd(t1, t0, 0), A.hfence_gvma(), A.hlv_d(s2, a1), A.hsv_d(a1, a1)));
      expect(t.x(s1)).toBe(0x1000n);
      expect(t.x(s2)).toBe(0x1002n);
      expect(t.peek(GUEST_DATA_HPA + 0x2000n)).toBe(GVA);
      expect(t.peek(GUEST_DATA_HPA)).toBe(0x1000n);
    });

    it('HINVAL.VVMA between SFENCE.W.INVAL and SFENCE.INVAL.IR makes a VS-stage change visible (svinval.adoc)', () => {
      const { t, g } = dataGuest(blockTranslation);
      const vsPte = g.hostOf(g.vpt!.pteAddr(GVA, 0));
      t.setCsr('hstatus', HS.SPVP);
      runHs(t, (a) => a
        .li(a1, GVA).emit(A.hlv_d(s1, a1))
        .li(t0, vsPte).li(t1, pte(GUEST_DATA_GPA + 0x1000n, VS_RWX))
        .emit(A.sd(t1, t0, 0), A.sfence_w_inval(), A.hinval_vvma(a1, 0), A.sfence_inval_ir(), A.hlv_d(s2, a1)));
      expect(t.x(s2)).toBe(0x1001n);
    });

    it('SFENCE.VMA in VS-mode after the guest changes its own PTE: the guest sees the new mapping (norm:sfence_vma_v1)', () => {
      const { t, g } = dataGuest(blockTranslation);
      g.vmap(0xc000_0000n, 0xc000_0000n, 2, VS_RWX); // the guest's view of its own tables: GVA = GPA
      const ptGpa = g.vpt!.pteAddr(GVA, 0);
      expect(ptGpa >= VS_TABLE_GPA).toBe(true);
      t.code(GUEST_CODE, (a) => a
        .li(a1, GVA).emit(A.ld(s1, a1, 0), A.ld(s1, a1, 0))
        .li(t0, ptGpa).li(t1, pte(GUEST_DATA_GPA + 0x1000n, VS_RWX)).emit(A.sd(t1, t0, 0), A.sfence_vma(), A.ld(s2, a1, 0))
        .emit(A.exitSeq()));
      startVirt(t, GUEST_CODE, Priv.S);
      expect(t.run(10_000).reason).toBe('exit');
      expect(t.m.hart.exceptions).toBe(0);
      expect([t.x(s1), t.x(s2)]).toEqual([0x1000n, 0x1001n]);
    });

    /**
     * The guest calls FN (GVA) twice, with an ECALL to HS between; the HS handler rewrites a
     * page-table entry behind FN, fences and returns. The second call must run the new code.
     */
    function remapCode(change: (g: Guest) => [bigint, bigint], fence: number) {
      const t = hypHart({ hart: { blockTranslation } });
      const g = new Guest(t).enable();
      const fnGpa = GUEST_DATA_GPA + 0x9000n;
      for (const [k, v] of [[0n, 1], [1n, 2], [2n, 3]] as const) {
        t.code(GUEST_DATA_HPA + 0x9000n + k * 0x1000n, (a) => a.emit(A.addi(a0, 0, v), A.jalr(0, ra, 0)));
      }
      g.map(FN, fnGpa, GUEST_DATA_HPA + 0x9000n);
      g.gmap(fnGpa + 0x1000n, GUEST_DATA_HPA + 0xa000n);
      const [where, value] = change(g);
      t.setCsr('medeleg', 1n << 10n);
      t.code(HS_CODE, (a) => a
        .li(t0, where).li(t1, value).emit(A.sd(t1, t0, 0), fence)
        .emit(A.csrr(t0, CSR.sepc), A.addi(t0, t0, 4), A.csrw(CSR.sepc, t0), A.sret()));
      t.setCsr('stvec', HS_CODE);
      t.code(GUEST_CODE, (a) => a
        .label('top').li(t0, FN).emit(A.jalr(ra, t0, 0), A.addi(s1, a0, 0), A.ecall())
        .li(t0, FN).emit(A.jalr(ra, t0, 0), A.addi(s2, a0, 0), A.exitSeq()));
      startVirt(t, GUEST_CODE, Priv.S);
      expect(t.run(10_000).reason).toBe('exit');
      expect(t.csr('mcause')).toBe(0n);
      return t;
    }

    it('instruction fetch: HFENCE.GVMA after HS remaps the G-stage page of guest code: the guest runs the new code (norm:hfence-gvma_op)', () => {
      const t = remapCode((g) => [g.gpt.pteAddr(GUEST_DATA_GPA + 0x9000n, 0), pte(GUEST_DATA_HPA + 0xb000n, G_URWX)], A.hfence_gvma());
      expect([t.x(s1), t.x(s2)]).toEqual([1n, 3n]);
    });

    it('instruction fetch: HFENCE.VVMA after HS remaps the VS-stage page of guest code: the guest runs the new code (norm:hfence-vvma_hfence-gvma_op)', () => {
      const t = remapCode((g) => [g.hostOf(g.vpt!.pteAddr(FN, 0)), pte(GUEST_DATA_GPA + 0xa000n, VS_RWX)], A.hfence_vvma());
      expect([t.x(s1), t.x(s2)]).toEqual([1n, 2n]);
    });
  });
}

describe('translations of different contexts never meet (the soft TLB is keyed by privilege and V)', () => {
  it('the same address loaded in HS (satp Bare: physical) and in VS (two-stage) gives each its own data (hypervisor.adoc norm:H_vm_twostage: translation depends on V)', () => {
    const t = hypHart();
    const g = new Guest(t).enable();
    const va = 0x8002_0000n; // HS: physical; guest: GVA -> GPA identity (VS gigapage) -> G-stage remapped below
    g.gmap(0x8000_0000n, 0x8000_0000n, 1, 0); // drop the identity 2 MiB G page ...
    g.gmap(0x8000_0000n, 0x8000_0000n, 0, G_URWX); // ... and map 4 KiB pages instead: code
    g.gmap(0x8001_0000n, 0x8001_0000n, 0, G_URWX); // the halt handlers
    g.gmap(0x8001_2000n, 0x8001_2000n, 0, G_URWX);
    g.gmap(va, GUEST_DATA_HPA + 0x4000n, 0, G_URWX);
    t.poke(va, 8, 0xaaaan);
    t.poke(GUEST_DATA_HPA + 0x4000n, 8, 0xbbbbn);
    t.setCsr('medeleg', 1n << 10n);
    t.code(CODE, (a) => a
      .li(a1, va).emit(A.ld(s1, a1, 0))
      .li(t0, HS.SPV).emit(A.csrs(CSR.hstatus, t0))
      .li(t0, MS.SPP).emit(A.csrs(CSR.sstatus, t0))
      .la(t0, 'guest').emit(A.csrw(CSR.sepc, t0), A.sret())
      .label('guest').emit(A.ld(s2, a1, 0), A.exitSeq()));
    t.start(CODE, Priv.S);
    expect(t.run(1000).reason).toBe('exit');
    expect(t.pc < M_HANDLER || t.pc > M_HANDLER + 0x40n).toBe(true);
    expect([t.x(s1), t.x(s2)]).toEqual([0xaaaan, 0xbbbbn]);
  });
});
