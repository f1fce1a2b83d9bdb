import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import { pte } from '../mmu/test-support/page-tables.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, a2, t0, t1 } from './test-support/asm.js';
import { CODE, DATA, PTE, TestHart, UNMAPPED, satpValue } from './test-support/harness.js';

const SUM = 1n << 18n, MXR = 1n << 19n, MPRV = 1n << 17n;
const ADUE = 1n << 61n;
const RW_AD = PTE.V | PTE.R | PTE.W | PTE.A | PTE.D;
const RWX_AD = RW_AD | PTE.X;
/** A user data page at this VA (gigapage index 1 in every mode, so it needs its own tables). */
const UVA = 0x4000_0000n;
/** The physical page behind UVA. */
const UPA = 0x8020_0000n;

/** Tables with the kernel identity gigapages; returns them. */
function kernelTables(t: TestHart, levels: 3 | 4 | 5 = 3) {
  const pt = t.pageTables(levels);
  t.mapKernelIdentity(pt);
  return pt;
}

/** Run `words` at CODE (identity-mapped for S) in `priv` and then ECALL; returns mcause. */
function runS(t: TestHart, priv: Priv, ...words: (number | number[])[]): bigint {
  t.code(CODE, (a) => a.emit(...words, A.ecall()));
  t.start(CODE, priv);
  expect(t.runSteps(500).reason).toBe('exit');
  return t.csr('mcause');
}

describe('translation through the hart: Sv39, Sv48, Sv57 with every page size (supervisor.adoc "Virtual Address Translation Process")', () => {
  for (const levels of [3, 4, 5] as const) {
    const mode = { 3: 'Sv39', 4: 'Sv48', 5: 'Sv57' }[levels];
    const vaBits = 12 + 9 * levels;
    for (let level = 0; level < levels; level++) {
      for (const priv of [Priv.S, Priv.U]) {
        const pageSize = 1n << BigInt(12 + 9 * level);
        const sizeName = ['4 KiB', '2 MiB', '1 GiB', '512 GiB', '256 TiB'][level];
        it(`${mode}: ${priv === Priv.S ? 'S' : 'U'}-mode fetches, loads and stores through a ${sizeName} page mapped in the upper half (supervisor.adoc "${mode}: Addressing and Memory Protection")`, () => {
          const t = new TestHart();
          const pt = t.pageTables(levels);
          // VA: two pages below the top of the address space (canonical, upper half); PA: the
          // page-aligned region that holds DATA (address 0 for the largest pages).
          const va = BigInt.asUintN(64, -2n * pageSize);
          expect(va >> BigInt(vaBits - 1)).toBe((1n << BigInt(64 - vaBits + 1)) - 1n);
          const paBase = DATA - (DATA % pageSize);
          pt.map(va, paBase, level, RWX_AD | (priv === Priv.U ? PTE.U : 0));
          t.useTables(pt);
          const vdata = va + (DATA - paBase);
          const vcode = vdata + 0x800n;
          t.poke(DATA, 8, 0x1122_3344_5566_7788n);
          const prog = t.code(vcode, (a) => a.li(t0, vdata).emit(A.ld(a0, t0, 0), A.addi(a1, 0, 0x55), A.sd(a1, t0, 8)).label('ecall').emit(A.ecall()), DATA + 0x800n);
          t.start(vcode, priv);
          expect(t.runSteps(200).reason).toBe('exit');
          expect(t.csr('mcause')).toBe(priv === Priv.U ? 8n : 9n);
          expect(t.csr('mepc')).toBe(prog.addr('ecall'));
          expect(t.x(a0)).toBe(0x1122_3344_5566_7788n);
          expect(t.peek(DATA + 8n)).toBe(0x55n);
        });
      }
    }
  }

  it('satp.MODE=Bare: S-mode and U-mode addresses are physical (supervisor.adoc norm:satp_mode)', () => {
    const t = new TestHart();
    t.poke(DATA, 8, 42n);
    expect(runS(t, Priv.U, A.li64(t0, DATA), A.ld(a0, t0, 0))).toBe(8n);
    expect(t.x(a0)).toBe(42n);
  });

  it('M-mode is never translated, whatever satp says (supervisor.adoc norm:satp_op_active)', () => {
    const t = new TestHart();
    const pt = t.pageTables(3); // empty: every S access would fault
    t.useTables(pt);
    t.poke(DATA, 8, 42n);
    expect(runS(t, Priv.M, A.li64(t0, DATA), A.ld(a0, t0, 0))).toBe(11n);
    expect(t.x(a0)).toBe(42n);
  });
});

describe('page protection', () => {
  it('S-mode loads and stores to a U=1 page fault with SUM=0 and succeed with SUM=1 (machine.adoc norm:mstatus_sum_op)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, UPA, 0, RW_AD | PTE.U);
    t.useTables(pt);
    expect(runS(t, Priv.S, A.li64(t0, UVA + 8n), A.ld(a0, t0, 0))).toBe(13n);
    expect(t.csr('mtval')).toBe(UVA + 8n);
    const u = new TestHart();
    const pu = kernelTables(u);
    pu.map(UVA, UPA, 0, RW_AD | PTE.U);
    u.useTables(pu);
    u.setCsr('mstatus', SUM);
    u.poke(UPA + 8n, 8, 9n);
    expect(runS(u, Priv.S, A.li64(t0, UVA + 8n), A.ld(a0, t0, 0), A.sd(a0, t0, 8))).toBe(9n);
    expect(u.x(a0)).toBe(9n);
    expect(u.peek(UPA + 16n)).toBe(9n);
  });

  it('S-mode never executes from a U=1 page, even with SUM=1 (supervisor.adoc "Virtual Address Translation Process" step 6)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, UPA, 0, RWX_AD | PTE.U);
    t.useTables(pt);
    t.setCsr('mstatus', SUM);
    expect(runS(t, Priv.S, A.li64(t0, UVA), A.jalr(0, t0, 0))).toBe(12n);
    expect(t.csr('mtval')).toBe(UVA);
    expect(t.csr('mepc')).toBe(UVA);
  });

  it('U-mode accesses to a U=0 page fault (load 13, store 15, fetch 12) (supervisor.adoc norm:pte_u)', () => {
    for (const [insn, cause] of [[A.ld(a0, t0, 0), 13n], [A.sd(a0, t0, 0), 15n], [A.jalr(0, t0, 0), 12n]] as [number, bigint][]) {
      const t = new TestHart();
      const pt = t.pageTables(3);
      pt.map(CODE, CODE, 0, RWX_AD | PTE.U);
      pt.map(UVA, UPA, 0, RWX_AD);
      t.useTables(pt);
      expect(runS(t, Priv.U, A.li64(t0, UVA), insn)).toBe(cause);
      expect(t.csr('mtval')).toBe(UVA);
    }
  });

  it('a store to a page without W is a store page fault; a fetch from a page without X is an instruction page fault (supervisor.adoc step 8)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, UPA, 0, PTE.V | PTE.R | PTE.A | PTE.D);
    t.useTables(pt);
    expect(runS(t, Priv.S, A.li64(t0, UVA + 0x10n), A.ld(a0, t0, 0), A.sw(a0, t0, 0))).toBe(15n);
    expect(t.csr('mtval')).toBe(UVA + 0x10n);
    expect(t.csr('mepc')).toBe(CODE + 4n * BigInt(A.li64(t0, UVA + 0x10n).length + 1));
    const u = new TestHart();
    const pu = kernelTables(u);
    pu.map(UVA, UPA, 0, RW_AD);
    u.useTables(pu);
    expect(runS(u, Priv.S, A.li64(t0, UVA + 0x10n), A.jalr(0, t0, 0))).toBe(12n);
    expect(u.csr('mtval')).toBe(UVA + 0x10n);
  });

  it('MXR makes loads from execute-only pages succeed; without it they fault; stores still fault (machine.adoc norm:mstatus_mxr_op)', () => {
    const mk = (mxr: boolean) => {
      const t = new TestHart();
      const pt = kernelTables(t);
      pt.map(UVA, UPA, 0, PTE.V | PTE.X | PTE.A | PTE.D);
      t.useTables(pt);
      if (mxr) t.setCsr('mstatus', MXR);
      t.poke(UPA, 8, 0x99n);
      return t;
    };
    const off = mk(false);
    expect(runS(off, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0))).toBe(13n);
    const on = mk(true);
    expect(runS(on, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0))).toBe(9n);
    expect(on.x(a0)).toBe(0x99n);
    const st = mk(true);
    expect(runS(st, Priv.S, A.li64(t0, UVA), A.sd(a0, t0, 0))).toBe(15n);
  });

  it('clearing SUM or MXR takes effect at once, without SFENCE.VMA, even after the page was used (supervisor.adoc norm:sfence_vma_sum_mxr_effect)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, UPA, 0, RW_AD | PTE.U);
    t.useTables(pt);
    t.setCsr('mstatus', SUM);
    t.setX(a1, SUM);
    expect(runS(t, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0), A.sd(a0, t0, 8), A.csrc(CSR.sstatus, a1), A.ld(a2, t0, 0))).toBe(13n);
    expect(t.csr('mepc')).toBe(CODE + 4n * BigInt(A.li64(t0, UVA).length + 3));

    const u = new TestHart();
    const pu = kernelTables(u);
    pu.map(UVA, UPA, 0, PTE.V | PTE.X | PTE.A);
    u.useTables(pu);
    u.setCsr('mstatus', MXR);
    u.setX(a1, MXR);
    expect(runS(u, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0), A.csrc(CSR.sstatus, a1), A.ld(a2, t0, 0))).toBe(13n);
    expect(u.csr('mepc')).toBe(CODE + 4n * BigInt(A.li64(t0, UVA).length + 2));
  });

  it('a superpage whose PPN is not aligned to its size is a page fault (supervisor.adoc "Virtual Address Translation Process" step 5: misaligned superpage)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, DATA + 0x1000n, 1, RW_AD); // a 2 MiB leaf at a 4 KiB-aligned PPN
    t.useTables(pt);
    expect(runS(t, Priv.S, A.li64(t0, UVA + 0x10n), A.ld(a0, t0, 0))).toBe(13n);
    expect(t.csr('mtval')).toBe(UVA + 0x10n);
  });

  it('a leaf that points at unmapped physical memory gives an access fault with mtval = the virtual address (machine.adoc norm:mtval_vaddr_not_paddr)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    pt.map(UVA, UNMAPPED, 0, RW_AD);
    t.useTables(pt);
    expect(runS(t, Priv.S, A.li64(t0, UVA + 0x18n), A.ld(a0, t0, 0))).toBe(5n);
    expect(t.csr('mtval')).toBe(UVA + 0x18n);
  });
});

describe('MPRV (machine.adoc "Memory Privilege in mstatus Register")', () => {
  it('MPRV=1 with MPP=S makes M-mode loads and stores translate as S, while fetches stay untranslated (machine.adoc norm:mstatus_mprv_ldst_op, norm:mstatus_mprv_inst_xlat_op)', () => {
    const t = new TestHart();
    const pt = t.pageTables(3); // no identity map: an M fetch that translated would fault
    pt.map(UVA, UPA, 0, RW_AD);
    t.useTables(pt);
    t.setCsr('mstatus', MPRV | (1n << 11n));
    t.poke(UPA, 8, 0x1234n);
    expect(runS(t, Priv.M, A.li64(t0, UVA), A.ld(a0, t0, 0), A.sd(a0, t0, 8))).toBe(11n);
    expect(t.x(a0)).toBe(0x1234n);
    expect(t.peek(UPA + 8n)).toBe(0x1234n);
  });

  it('an MPRV load that faults is a page fault taken in M with mtval = the virtual address', () => {
    const t = new TestHart();
    const pt = t.pageTables(3);
    t.useTables(pt);
    t.setCsr('mstatus', MPRV | (1n << 11n));
    expect(runS(t, Priv.M, A.li64(t0, UVA + 0x40n), A.ld(a0, t0, 0))).toBe(13n);
    expect(t.csr('mtval')).toBe(UVA + 0x40n);
    expect(t.priv).toBe(Priv.M);
  });

  it('MPRV with MPP=S honours SUM for U pages; with MPP=U U pages are accessible (machine.adoc norm:mstatus_sum_op_mprv_mpp)', () => {
    const mk = (mstatus: bigint) => {
      const t = new TestHart();
      const pt = t.pageTables(3);
      pt.map(UVA, UPA, 0, RW_AD | PTE.U);
      t.useTables(pt);
      t.setCsr('mstatus', mstatus);
      return t;
    };
    expect(runS(mk(MPRV | (1n << 11n)), Priv.M, A.li64(t0, UVA), A.ld(a0, t0, 0))).toBe(13n);
    expect(runS(mk(MPRV | (1n << 11n) | SUM), Priv.M, A.li64(t0, UVA), A.ld(a0, t0, 0))).toBe(11n);
    expect(runS(mk(MPRV), Priv.M, A.li64(t0, UVA), A.ld(a0, t0, 0))).toBe(11n);
  });

  it('MPRV=1 with MPP=M leaves M-mode accesses untranslated', () => {
    const t = new TestHart();
    t.useTables(t.pageTables(3));
    t.setCsr('mstatus', MPRV | (3n << 11n));
    t.poke(DATA, 8, 5n);
    expect(runS(t, Priv.M, A.li64(t0, DATA), A.ld(a0, t0, 0))).toBe(11n);
    expect(t.x(a0)).toBe(5n);
  });
});

describe('A and D bits: Svade and Svadu (svadu.adoc; machine.adoc norm:menvcfg_adue_op)', () => {
  function adTest(opts: ConstructorParameters<typeof TestHart>[0], adue: boolean, flags: number, insn: number) {
    const t = new TestHart(opts);
    const pt = kernelTables(t);
    const at = pt.map(UVA, UPA, 0, flags);
    t.useTables(pt);
    if (adue) t.setCsr('menvcfg', ADUE);
    const cause = runS(t, Priv.S, A.li64(t0, UVA), insn);
    return { cause, pte: t.peek(at) };
  }

  it('Svade (ADUE=0): a load through a PTE with A=0 is a load page fault and the PTE is unchanged', () => {
    const flags = PTE.V | PTE.R | PTE.W;
    const r = adTest({}, false, flags, A.ld(a0, t0, 0));
    expect(r.cause).toBe(13n);
    expect(r.pte).toBe(pte(UPA, flags));
  });

  it('Svade: a store through a PTE with D=0 is a store page fault and the PTE is unchanged', () => {
    const flags = PTE.V | PTE.R | PTE.W | PTE.A;
    const r = adTest({}, false, flags, A.sd(a0, t0, 0));
    expect(r.cause).toBe(15n);
    expect(r.pte).toBe(pte(UPA, flags));
  });

  it('Svadu (menvcfg.ADUE=1): a load sets A in the PTE in memory; a store sets A and D', () => {
    const flags = PTE.V | PTE.R | PTE.W;
    const load = adTest({}, true, flags, A.ld(a0, t0, 0));
    expect(load.cause).toBe(9n);
    expect(load.pte).toBe(pte(UPA, flags | PTE.A));
    const store = adTest({}, true, flags, A.sd(a0, t0, 0));
    expect(store.cause).toBe(9n);
    expect(store.pte).toBe(pte(UPA, flags | PTE.A | PTE.D));
  });

  it('Svadu: a fetch through a PTE with A=0 sets A', () => {
    const t = new TestHart();
    const pt = t.pageTables(3);
    const at = pt.map(CODE, CODE, 0, PTE.V | PTE.R | PTE.X);
    pt.map(0n, 0n, 2, RW_AD); // the finisher
    pt.map(0x8001_0000n, 0x8001_0000n, 0, RWX_AD); // halt handler page (M runs untranslated anyway)
    t.useTables(pt);
    t.setCsr('menvcfg', ADUE);
    expect(runS(t, Priv.S, A.addi(a0, 0, 1))).toBe(9n);
    expect(t.peek(at)).toBe(pte(CODE, PTE.V | PTE.R | PTE.X | PTE.A));
  });

  it('without Svadu (hart.svadu=false) ADUE is read-only zero and A=0 still faults (machine.adoc norm:menvcfg_adue_rdonly0)', () => {
    const r = adTest({ hart: { svadu: false } }, true, PTE.V | PTE.R | PTE.W, A.ld(a0, t0, 0));
    expect(r.cause).toBe(13n);
  });
});

describe('address-space changes', () => {
  it('SFENCE.VMA makes a changed PTE visible to later loads (supervisor.adoc norm:sfence_vma_invalidation)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    const at = pt.map(UVA, UPA, 0, RW_AD);
    t.useTables(pt);
    t.poke(UPA, 8, 1n);
    t.poke(UPA + 0x1000n, 8, 2n);
    expect(runS(t, Priv.S,
      A.li64(t0, UVA), A.ld(a0, t0, 0),
      A.li64(t1, at), A.li64(a2, pte(UPA + 0x1000n, RW_AD)), A.sd(a2, t1, 0),
      A.sfence_vma(), A.ld(a1, t0, 0))).toBe(9n);
    expect([t.x(a0), t.x(a1)]).toEqual([1n, 2n]);
  });

  it('SFENCE.VMA with rs1 = the page also makes the change visible (supervisor.adoc norm:sfence_vma_va_all_asid)', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    const at = pt.map(UVA, UPA, 0, RW_AD);
    t.useTables(pt);
    t.poke(UPA + 0x1000n, 8, 2n);
    expect(runS(t, Priv.S,
      A.li64(t0, UVA), A.ld(a0, t0, 0),
      A.li64(t1, at), A.li64(a2, pte(UPA + 0x1000n, RW_AD)), A.sd(a2, t1, 0),
      A.sfence_vma(t0, 0), A.ld(a1, t0, 0))).toBe(9n);
    expect(t.x(a1)).toBe(2n);
  });

  it('a PTE made invalid and fenced turns later accesses into page faults', () => {
    const t = new TestHart();
    const pt = kernelTables(t);
    const at = pt.map(UVA, UPA, 0, RW_AD);
    t.useTables(pt);
    expect(runS(t, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0), A.li64(t1, at), A.sd(0, t1, 0), A.sfence_vma(), A.ld(a1, t0, 0))).toBe(13n);
  });

  it('a satp write switches address spaces: the same VA reads different pages under two ASIDs (supervisor.adoc norm:sfence_vma_asid_effect)', () => {
    const t = new TestHart();
    const p1 = kernelTables(t);
    const p2 = kernelTables(t);
    p1.map(UVA, UPA, 0, RW_AD);
    p2.map(UVA, UPA + 0x1000n, 0, RW_AD);
    t.poke(UPA, 8, 11n);
    t.poke(UPA + 0x1000n, 8, 22n);
    t.setCsr('satp', satpValue(3, p1.root, 1));
    expect(runS(t, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0), A.li64(t1, satpValue(3, p2.root, 2)), A.csrw(CSR.satp, t1), A.ld(a1, t0, 0),
      A.li64(t1, 0n), A.csrw(CSR.satp, t1), A.li64(t0, UPA), A.ld(a2, t0, 0))).toBe(9n);
    expect([t.x(a0), t.x(a1), t.x(a2)]).toEqual([11n, 22n, 11n]);
  });

  it('switching between Sv39 and Sv48 tables with a satp write takes effect at once (supervisor.adoc norm:sfence_vma_mode_effect)', () => {
    const t = new TestHart();
    const p39 = kernelTables(t, 3);
    const p48 = kernelTables(t, 4);
    p39.map(UVA, UPA, 0, RW_AD);
    p48.map(UVA, UPA + 0x1000n, 0, RW_AD);
    t.poke(UPA, 8, 39n);
    t.poke(UPA + 0x1000n, 8, 48n);
    t.setCsr('satp', satpValue(3, p39.root, 3));
    expect(runS(t, Priv.S, A.li64(t0, UVA), A.ld(a0, t0, 0), A.li64(t1, satpValue(4, p48.root, 4)), A.csrw(CSR.satp, t1), A.ld(a1, t0, 0))).toBe(9n);
    expect([t.x(a0), t.x(a1)]).toEqual([39n, 48n]);
  });
});

describe('non-canonical virtual addresses (supervisor.adoc norm:Sv39_va_signext and the Sv48/Sv57 equivalents)', () => {
  const cases: [3 | 4 | 5, bigint][] = [[3, 0x0000_0080_0000_0000n], [3, 0xffff_ff7f_ffff_f000n], [4, 0x0000_8000_0000_0000n], [5, 0x0100_0000_0000_0000n]];
  for (const [levels, va] of cases) {
    it(`Sv${12 + 9 * levels}: load, store and fetch at 0x${va.toString(16)} raise page faults 13, 15, 12 with the address in mtval`, () => {
      for (const [insn, cause] of [[A.ld(a0, t0, 0), 13n], [A.sd(a0, t0, 0), 15n], [A.jalr(0, t0, 0), 12n]] as [number, bigint][]) {
        const t = new TestHart();
        t.useTables(kernelTables(t, levels));
        expect(runS(t, Priv.S, A.li64(t0, va), insn)).toBe(cause);
        expect(t.csr('mtval')).toBe(va);
      }
    });
  }

  it('the same address is canonical under Sv48 and translates (Sv48 accepts bit 39 as part of the VA)', () => {
    const t = new TestHart();
    const pt = kernelTables(t, 4);
    pt.map(0x0000_0080_0000_0000n, UPA, 0, RW_AD);
    t.useTables(pt);
    t.poke(UPA, 8, 48n);
    expect(runS(t, Priv.S, A.li64(t0, 0x0000_0080_0000_0000n), A.ld(a0, t0, 0))).toBe(9n);
    expect(t.x(a0)).toBe(48n);
  });
});
