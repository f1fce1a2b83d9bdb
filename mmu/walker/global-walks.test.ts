import { describe, expect, it } from 'vitest';
import { Bus } from '../../caches/bus.js';
import { PRESETS, cachesSchema } from '../../caches/cache-config.js';
import { MemoryHierarchy } from '../../caches/hierarchy.js';
import type { Word } from '../../caches/word.js';
import { StatRegistry } from '../../common/stats.js';
import { Access, Priv } from '../access.js';
import { FenceScope, type PteReader } from '../ports.js';
import { PTE_G } from '../pte.js';
import { DRAM_BASE, DRAM_SIZE, PageTables, RWX_AD, halves } from '../test-support/page-tables.js';
import { TwoStage } from '../test-support/two-stage.js';
import { SatpMode, Translator } from '../translate.js';
import { TimedWalker } from './timed-walker.js';
import { walkerSchema } from './walker-config.js';

/**
 * The timed walker reads the G bits of the non-leaf PTEs it walked (through a PteReader) and
 * makes the page-walk-cache entries and the leaf global accordingly: supervisor.adoc "Sv32": "For
 * non-leaf PTEs, the global setting implies that all mappings in the subsequent levels of the
 * page table are global"; SFENCE.VMA with rs2≠x0 keeps "entries containing global mappings"
 * (norm:sfence_vma_asid_only).
 */
const SV32_G = 'supervisor.adoc "Sv32" G bit';
const VA = 0x12_3456_7000n;
const PA = 0x8020_0000n;
const CACHES = cachesSchema.parse(PRESETS['inorder-default'].caches);

type Org = 'split' | 'unified' | 'tpc';

function walkerFor(t: Translator, org: Org, reader: PteReader | null) {
  const reg = new StatRegistry();
  const caches = new MemoryHierarchy(CACHES, reg.scope('caches'));
  const cfg = walkerSchema.parse({
    pwcFirst: { organisation: org, entries: 8, ways: 0, replacement: 'lru', latency: 0 },
    pwcG: { organisation: 'none' },
    nestedTlb: null,
  });
  return { w: new TimedWalker(cfg, t, caches, reg.scope('mmu'), reader), stat: (name: string) => reg.snapshot()[name] };
}

/** Sv39 (V=0) tables mapping VA and the next page; `gLevel`: the non-leaf level whose PTE gets G=1 (null: none). */
function native(org: Org, gLevel: number | null, withReader = true) {
  const bus = new Bus(DRAM_BASE, DRAM_SIZE);
  const pt = new PageTables(3, false, bus);
  pt.map(VA, PA, 0, RWX_AD);
  pt.map(VA + 0x1000n, PA + 0x1000n, 0, RWX_AD);
  if (gLevel !== null) {
    const at = pt.pteAddr(VA, gLevel);
    pt.write(at, pt.read(at) | BigInt(PTE_G));
  }
  const t = new Translator(pt.mem);
  t.satpMode = SatpMode.Sv39;
  t.satpPpn = pt.rootPpn;
  t.satpAsid = 1;
  const reader: PteReader = { readPte: (pa: number, out: Word) => bus.load(pa, 8, out) };
  return { t, ...walkerFor(t, org, withReader ? reader : null) };
}

function walk(w: TimedWalker, va: bigint, virt = false): number {
  const [lo, hi] = halves(va);
  return w.walk(lo, hi, Access.Load, Priv.S, virt, 0, null);
}

function asidFence(asid: number): FenceScope {
  const s = new FenceScope();
  s.asid = asid;
  return s;
}

describe(`timed walker: global mappings from non-leaf G bits (${SV32_G})`, () => {
  for (const org of ['split', 'unified', 'tpc'] as const) {
    describe(org, () => {
      it(`a root PTE with G=1 lets a walk in another ASID skip the non-leaf reads (${SV32_G}: "exist in all address spaces")`, () => {
        const { t, w, stat } = native(org, 2);
        expect(walk(w, VA)).toBe(0);
        expect(w.out.refs).toBe(3);
        t.satpAsid = 2;
        expect(walk(w, VA + 0x1000n)).toBe(0);
        expect(w.out.refs).toBe(1); // the leaf only: levels 2 and 1 came from the walk cache
        expect(stat('mmu.pwc.first.globalFills')).toBeGreaterThan(0);
      });

      it('without G, a walk in another ASID reads every level again', () => {
        const { t, w, stat } = native(org, null);
        walk(w, VA);
        t.satpAsid = 2;
        walk(w, VA + 0x1000n);
        expect(w.out.refs).toBe(3);
        expect(stat('mmu.pwc.first.globalFills')).toBe(0);
      });

      it('without a PTE reader the G bits are unknown: nothing is global (the walker never guesses)', () => {
        const { t, w } = native(org, 2, false);
        walk(w, VA);
        t.satpAsid = 2;
        walk(w, VA + 0x1000n);
        expect(w.out.refs).toBe(3);
        expect(w.out.global).toBe(false);
      });

      it(`an ASID-specific SFENCE.VMA keeps the global entries, a fence for every ASID drops them (${'supervisor.adoc norm:sfence_vma_asid_only, norm:sfence_vma_all_asid_va'})`, () => {
        const { t, w } = native(org, 2);
        walk(w, VA);
        expect(w.invalidate(asidFence(1)).pwcFirst).toBe(0);
        t.satpAsid = 3;
        walk(w, VA + 0x1000n);
        expect(w.out.refs).toBe(1);
        expect(w.invalidate(asidFence(-1)).pwcFirst).toBeGreaterThan(0);
        walk(w, VA);
        expect(w.out.refs).toBe(3);
      });
    });
  }

  it(`the leaf is global when a non-leaf PTE above it has G=1, though its own G is 0 (${SV32_G}: "all mappings in the subsequent levels")`, () => {
    const a = native('split', 1);
    walk(a.w, VA);
    expect(a.w.out.global).toBe(true);
    const b = native('split', null);
    walk(b.w, VA);
    expect(b.w.out.global).toBe(false);
  });

  it(`VS-stage: a global guest root serves the guest's other ASIDs, not another VMID (${SV32_G}; hypervisor.adoc "Two-Stage Address Translation")`, () => {
    const s = new TwoStage(3, 3);
    const gva = 0x10_0000_0000n;
    s.map(gva, 0x1_0000_0000n, 0x8200_0000n, 0, 0);
    s.map(gva + 0x1000n, 0x1_0000_1000n, 0x8200_1000n, 0, 0);
    const at = s.vpt.pteAddr(gva, 2);
    s.vpt.write(at, s.vpt.read(at) | BigInt(PTE_G));
    s.t.vsatpAsid = 1;
    s.t.hgatpVmid = 5;
    const { w } = walkerFor(s.t, 'split', { readPte: (pa: number, out: Word) => s.bus.load(pa, 8, out) });
    expect(walk(w, gva, true)).toBe(0);
    expect([w.out.refsFirst, w.out.global]).toEqual([3, true]);
    s.t.vsatpAsid = 2;
    walk(w, gva + 0x1000n, true);
    expect(w.out.refsFirst).toBe(1);
    s.t.hgatpVmid = 6;
    walk(w, gva + 0x1000n, true);
    expect(w.out.refsFirst).toBe(3);
  });
});
