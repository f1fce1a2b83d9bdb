import { describe, expect, it } from 'vitest';
import { PRESETS, cachesSchema } from '../../caches/cache-config.js';
import { MemoryHierarchy, Requester } from '../../caches/hierarchy.js';
import { Cause } from '../../common/causes.js';
import { StatRegistry } from '../../common/stats.js';
import { Access, Priv } from '../access.js';
import { FenceScope, type GStageTlbPort } from '../ports.js';
import { PTE_A, PTE_D, PTE_G } from '../pte.js';
import { PageTables, RWX_AD, URWX_AD, halves } from '../test-support/page-tables.js';
import { TwoStage, VS_TABLE_GPA } from '../test-support/two-stage.js';
import { SatpMode, Translator } from '../translate.js';
import type { StageKind } from '../walk.js';
import { TimedWalker } from './timed-walker.js';
import { type WalkerConfigInput, walkerSchema } from './walker-config.js';

const TWO = 'hypervisor.adoc "Two-Stage Address Translation"';
const GVA = 0x0000_0012_3455_6abdn;
const GPA = 0x1_0075_6abdn;
const HPA = 0x9abc_dabdn;
const PAGE = 0x1000n;

const OFF = { organisation: 'none' } as const;
const NONE: WalkerConfigInput = { pwcFirst: OFF, pwcG: OFF, nestedTlb: null };
const PWC = (latency = 0) => ({ organisation: 'split', entries: 4, ways: 0, replacement: 'lru', latency }) as const;
const NTLB = (latency = 0) => ({ entries: 8, ways: 0, replacement: 'lru', latency }) as const;

const CACHES = cachesSchema.parse(PRESETS['inorder-default'].caches);

function build(t: Translator, walker: WalkerConfigInput) {
  const reg = new StatRegistry();
  const caches = new MemoryHierarchy(CACHES, reg.scope('caches'));
  const w = new TimedWalker(walkerSchema.parse(walker), t, caches, reg.scope('mmu'));
  return { w, caches, reg, stat: (name: string) => reg.snapshot()[name] };
}

/** GVA → GPA → HPA with 4 KiB pages at both stages, and the `extra` pages after each mapped alike. */
function twoStage(vsLevels: number, gLevels: number, walker: WalkerConfigInput, extra = 1) {
  const s = new TwoStage(vsLevels, gLevels);
  for (let k = 0n; k <= BigInt(extra); k++) s.map(GVA + k * PAGE, GPA + k * PAGE, HPA + k * PAGE, 0, 0);
  s.t.hgatpVmid = 5;
  s.t.vsatpAsid = 9;
  return { s, ...build(s.t, walker) };
}

function walkV(w: TimedWalker, gva: bigint, g: GStageTlbPort | null = null, access = Access.Load, now = 0): number {
  const [lo, hi] = halves(gva);
  return w.walk(lo, hi, access, Priv.S, true, now, g);
}

/** A G-stage TLB standing in for the organisation's, recording what the walker asks of it. */
class FakeGTlb implements GStageTlbPort {
  readonly latency = 2;
  readonly level = 0; // every G-stage leaf in these tests is a 4 KiB page
  readonly held = new Map<string, number>();
  readonly lookups: number[] = [];
  readonly inserts: [number, number, number, number][] = [];
  lookupG(vmid: number, gpaPage: number): number {
    this.lookups.push(gpaPage);
    return this.held.get(`${vmid}:${gpaPage}`) ?? -1;
  }
  insertG(vmid: number, gpaPage: number, hpaPage: number, level: number): void {
    this.inserts.push([vmid, gpaPage, hpaPage, level]);
    this.held.set(`${vmid}:${gpaPage}`, hpaPage);
  }
}

const page = (a: bigint) => Number(a >> 12n);

describe('timed walker without walk caches: every PTE read of the 2D walk reaches the hierarchy', () => {
  const cases = [
    { vs: 'Sv39', g: 'Sv39x4', vsLevels: 3, gLevels: 3, refs: 15 },
    { vs: 'Sv48', g: 'Sv48x4', vsLevels: 4, gLevels: 4, refs: 24 },
    { vs: 'Sv57', g: 'Sv57x4', vsLevels: 5, gLevels: 5, refs: 35 },
  ];
  for (const c of cases) {
    it(`makes ${c.refs} memory references for ${c.vs} over ${c.g}: ${c.vsLevels} VS + ${c.vsLevels} × ${c.gLevels} + ${c.gLevels} G (${TWO})`, () => {
      const { w, caches, stat } = twoStage(c.vsLevels, c.gLevels, NONE);
      for (let round = 1; round <= 2; round++) {
        expect(walkV(w, GVA)).toBe(0);
        expect([w.out.refs, w.out.refsFirst, w.out.refsG]).toEqual([c.refs, c.vsLevels, c.refs - c.vsLevels]);
        expect(caches.l1d.accesses[Requester.WalkerVS]).toBe(round * c.vsLevels);
        expect(caches.l1d.accesses[Requester.WalkerG]).toBe(round * (c.refs - c.vsLevels));
        expect(caches.l1d.accesses[Requester.WalkerNative]).toBe(0);
      }
      expect(stat('caches.l1d.accesses.walkerVS')).toBe(2 * c.vsLevels);
      expect(stat('caches.l1d.accesses.walkerG')).toBe(2 * (c.refs - c.vsLevels));
      expect(stat(`mmu.walker.refsPerWalk.${c.refs}`)).toBe(2);
      expect(stat('mmu.walker.refs')).toBe(2 * c.refs);
      expect(stat('mmu.walker.walksVirt')).toBe(2);
      for (let l = 0; l < c.vsLevels; l++) expect(stat(`mmu.walker.refs.vs.l${l}`)).toBe(2);
      for (let l = 0; l < c.gLevels; l++) expect(stat(`mmu.walker.refs.g.l${l}`)).toBe(2 * (c.vsLevels + 1));
    });
  }

  it('charges the reads one after the other: its cycles are what the same reads cost a hierarchy in that order, time advancing by each', () => {
    const { s, w } = twoStage(3, 3, NONE);
    const seen: [number, StageKind][] = [];
    s.t.onPteAccess = (pa, stage) => seen.push([pa, stage]);
    s.translate(GVA, Access.Load, Priv.S);
    s.t.onPteAccess = null;
    const reference = new MemoryHierarchy(CACHES, null);
    let cycles = 0;
    for (const [pa, stage] of seen) cycles += reference.access(pa, stage === 'vs' ? Requester.WalkerVS : Requester.WalkerG, 1000 + cycles);
    expect(walkV(w, GVA, null, Access.Load, 1000)).toBe(0);
    expect(w.out.cycles).toBe(cycles);
    expect(w.cycles).toBe(cycles);
  });

  it('reports the translation: pa, GPA page, both leaf levels, the combined level, PTE.G of the VS leaf', () => {
    const { s, w } = twoStage(3, 3, NONE);
    s.vpt.map(GVA + 0x20_0000n, 0x1_0060_0000n, 1, RWX_AD | PTE_G); // a global VS 2 MiB page over G 4 KiB pages
    s.gpt.map(0x1_0060_0000n, 0xa000_0000n, 0, URWX_AD);
    expect(walkV(w, GVA)).toBe(0);
    expect([w.out.pa, w.out.gpaPage, w.out.vsLevel, w.out.gLevel, w.out.level, w.out.global]).toEqual([Number(HPA), page(GPA), 0, 0, 0, false]);
    expect(walkV(w, (GVA + 0x20_0000n) & ~0x1f_ffffn)).toBe(0);
    expect([w.out.pa, w.out.gpaPage, w.out.vsLevel, w.out.gLevel, w.out.level, w.out.global]).toEqual([0xa000_0000, page(0x1_0060_0000n), 1, 0, 0, true]);
  });

  it('never changes the functional result: the hart\'s own observer is put back', () => {
    const { s, w } = twoStage(3, 3, NONE);
    const mine = () => {};
    s.t.onPteAccess = mine;
    walkV(w, GVA);
    expect(s.t.onPteAccess).toBe(mine);
  });
});

describe('timed walker: the reduction each structure gives on a controlled walk', () => {
  // The VS tables (root, level 1, level 0) are the first pages of VS_TABLE_GPA, each mapped by a
  // G-stage 4 KiB page; the data GPA lies under another Sv39x4 root entry (GPA bits 40:30 = 4, the
  // tables' are 1) but under the same Sv48x4 root entry (bits 48:39 = 0).
  describe('first-stage page-walk cache', () => {
    it('skips the VS reads above the leaf, with their G-stage walks, for a page whose level-0 table is cached: 15 → 7, 24 → 9 (Barr et al.)', () => {
      for (const [levels, cold, warm] of [[3, 15, 7], [4, 24, 9]] as const) {
        const { w, stat } = twoStage(levels, levels, { ...NONE, pwcFirst: PWC() });
        expect(walkV(w, GVA)).toBe(0);
        expect(w.out.refs).toBe(cold);
        expect(walkV(w, GVA + PAGE)).toBe(0);
        expect(w.out.refs).toBe(warm); // the G walk of the leaf table, the VS leaf, the final G walk
        expect([w.out.refsFirst, w.out.refsG]).toEqual([1, 2 * levels]);
        expect(stat('mmu.pwc.first.l1.hits')).toBe(1);
        expect(stat('mmu.walker.refs.vs.l1')).toBe(1); // only the cold walk read it
        expect(stat('mmu.walker.skipped.pwcFirst')).toBe((levels - 1) * (levels + 1));
      }
    });

    it('skips only the root read (and its G walk) when only the root entry is shared: 15 → 11', () => {
      const { s, w, stat } = twoStage(3, 3, { ...NONE, pwcFirst: PWC() });
      const far = GVA + 0x20_0000n; // another 2 MiB region of the same 1 GiB region
      s.map(far, GPA + 0x20_0000n, HPA + 0x20_0000n, 0, 0);
      walkV(w, GVA);
      expect(walkV(w, far)).toBe(0);
      expect(w.out.refs).toBe(11);
      expect(stat('mmu.pwc.first.l2.hits')).toBe(1);
    });

    it('adds its latency to the walk', () => {
      const a = twoStage(3, 3, NONE);
      const b = twoStage(3, 3, { ...NONE, pwcFirst: PWC(7) });
      walkV(a.w, GVA);
      walkV(b.w, GVA);
      expect(b.w.out.cycles).toBe(a.w.out.cycles + 7);
    });

    it('serves V=0 walks too, tagged by ASID: Sv39 3 → 1, and a new ASID starts cold (supervisor.adoc "SFENCE.VMA": ASID-tagged caches)', () => {
      const pt = new PageTables(3);
      pt.map(GVA, 0x8765_4000n, 0, RWX_AD);
      pt.map(GVA + PAGE, 0x8765_5000n, 0, RWX_AD);
      const t = new Translator(pt.mem);
      t.satpMode = SatpMode.Sv39;
      t.satpPpn = pt.rootPpn;
      t.satpAsid = 1;
      const { w, caches, stat } = build(t, { ...NONE, pwcFirst: PWC() });
      const [lo, hi] = halves(GVA);
      expect(w.walk(lo, hi, Access.Fetch, Priv.U, false, 0, null)).toBe(Cause.InstructionPageFault); // U=0 page
      expect(w.walk(lo, hi, Access.Load, Priv.S, false, 0, null)).toBe(0);
      expect([w.out.refs, w.out.refsFirst, w.out.pa, w.out.gpaPage, w.out.vsLevel, w.out.gLevel]).toEqual([3, 3, 0x8765_4abd, 0x87654, 0, -1]);
      const [lo2, hi2] = halves(GVA + PAGE);
      expect(w.walk(lo2, hi2, Access.Load, Priv.S, false, 0, null)).toBe(0);
      expect(w.out.refs).toBe(1);
      t.satpAsid = 2;
      expect(w.walk(lo2, hi2, Access.Load, Priv.S, false, 0, null)).toBe(0);
      expect(w.out.refs).toBe(3);
      expect(caches.l1d.accesses[Requester.WalkerNative]).toBe(3 + 3 + 1 + 3);
      expect(stat('mmu.walker.walksNative')).toBe(4);
      expect(stat('mmu.walker.faults')).toBe(1);
    });

    it('makes no reference at all for an M-mode or Bare access', () => {
      const t = new Translator(new PageTables(3).mem);
      const { w } = build(t, { ...NONE, pwcFirst: PWC() });
      expect(w.walk(0x8000_1234, 0, Access.Load, Priv.S, false, 0, null)).toBe(0);
      expect([w.out.pa, w.out.refs, w.out.cycles, w.out.vsLevel]).toEqual([0x8000_1234, 0, 0, -1]);
    });
  });

  describe('G-stage page-walk cache', () => {
    it('lets the G walks of the later table pages, and of a warm walk, skip to level 0: cold 15 → 11 (Sv39x4) and 24 → 14 (Sv48x4), warm 7 and 9', () => {
      for (const [levels, cold, warm] of [[3, 11, 7], [4, 14, 9]] as const) {
        const { w, stat } = twoStage(levels, levels, { ...NONE, pwcG: PWC() });
        expect(walkV(w, GVA)).toBe(0);
        expect(w.out.refs).toBe(cold);
        expect(walkV(w, GVA)).toBe(0);
        expect(w.out.refs).toBe(warm); // each G walk reads its leaf only
        expect(w.out.refsG).toBe(levels + 1);
        expect(stat('mmu.pwc.g.l1.hits')).toBe(levels - 1 + levels + 1);
      }
    });

    it('uses the x4 root\'s two extra index bits: a GPA differing only in bit 39 misses at the root (hypervisor.adoc norm:hgatp_mode_x4)', () => {
      const s = new TwoStage(3, 3, { vsBare: true });
      const a = 0x1_0075_6000n;
      const b = a | (1n << 39n);
      for (const gpa of [a, a + PAGE, b]) s.gpt.map(gpa, HPA & ~0xfffn, 0, URWX_AD);
      const { w } = build(s.t, { ...NONE, pwcG: PWC() });
      expect(w.walkG(page(a), Access.Load, 0)).toBe(0);
      expect(w.out.refs).toBe(3);
      expect(w.walkG(page(a + PAGE), Access.Load, 0)).toBe(0);
      expect(w.out.refs).toBe(1);
      expect(w.walkG(page(b), Access.Load, 0)).toBe(0);
      expect(w.out.refs).toBe(3);
    });
  });

  describe('nested TLB (Bhargava et al., ASPLOS 2008)', () => {
    it('skips the G walks of the guest page-table pages it holds: 15 → 6, 24 → 8', () => {
      for (const [levels, warm] of [[3, 6], [4, 8]] as const) {
        const { w, stat } = twoStage(levels, levels, { ...NONE, nestedTlb: NTLB() });
        expect(walkV(w, GVA)).toBe(0);
        expect(w.out.refs).toBe(levels * (levels + 1) + levels);
        expect(walkV(w, GVA)).toBe(0);
        expect(w.out.refs).toBe(warm); // the VS reads and the final G walk
        expect([w.out.refsFirst, w.out.refsG]).toEqual([levels, levels]);
        expect([stat('mmu.nestedTlb.hits'), stat('mmu.nestedTlb.misses'), stat('mmu.nestedTlb.fills')]).toEqual([levels, levels, levels]);
        expect(stat('mmu.walker.skipped.nestedTlb')).toBe(levels * levels);
      }
    });

    it('serves the Svadu write translation of the VS leaf\'s page from the entry its read translation just filled (supervisor.adoc step 9)', () => {
      const s = new TwoStage(3, 3);
      s.map(GVA, GPA, HPA, 0, 0, RWX_AD & ~(PTE_A | PTE_D));
      s.t.adue = true;
      s.t.vsAdue = true;
      const plain = build(s.t, NONE);
      expect(walkV(plain.w, GVA)).toBe(0);
      expect(plain.w.out.refs).toBe(15 + 3); // the G walk for writing the leaf
      s.vpt.write(s.vpt.pteAddr(GVA, 0), (s.vpt.read(s.vpt.pteAddr(GVA, 0)) & ~BigInt(PTE_A | PTE_D))); // clear A/D again
      const nested = build(s.t, { ...NONE, nestedTlb: NTLB() });
      expect(walkV(nested.w, GVA)).toBe(0);
      expect(nested.w.out.refs).toBe(15);
    });
  });

  describe('all together (the tiny preset: latency 1 each)', () => {
    it('walks a neighbouring page with 2 references: the VS leaf and the final G leaf', () => {
      const { w, stat } = twoStage(3, 3, { pwcFirst: PWC(1), pwcG: PWC(1), nestedTlb: NTLB(1) });
      walkV(w, GVA);
      expect(walkV(w, GVA + PAGE)).toBe(0);
      expect([w.out.refs, w.out.refsFirst, w.out.refsG]).toEqual([2, 1, 1]);
      expect(w.out.pa).toBe(Number(HPA + PAGE));
      // Lookups: first-stage PWC, nested TLB (leaf table page), G-stage PWC (final GPA).
      const reads = 2 * CACHES.l1d.hitLatency; // both PTE lines are in the L1D from the first walk
      expect(w.out.cycles).toBe(3 + reads);
      expect(stat('mmu.walker.refsPerWalk.2')).toBe(1);
    });
  });

  describe("the organisation's G-stage TLB (GStageTlbPort)", () => {
    it('is consulted for the final GPA before the G walk and filled after it; a hit skips that walk: 15 → 12', () => {
      const { w, stat } = twoStage(3, 3, NONE);
      const g = new FakeGTlb();
      expect(walkV(w, GVA, g)).toBe(0);
      expect(g.lookups).toEqual([page(GPA)]);
      expect(g.inserts).toEqual([[5, page(GPA), page(HPA), 0]]);
      const cold = w.out.cycles;
      expect(walkV(w, GVA, g)).toBe(0);
      expect(w.out.refs).toBe(12);
      expect(stat('mmu.walker.skipped.gTlb')).toBe(3);
      expect(cold).toBeGreaterThan(w.out.cycles);
    });

    it('with ptPagesViaGTlb, is also consulted and filled for the guest page-table pages', () => {
      const { s, w } = twoStage(3, 3, { ...NONE, ptPagesViaGTlb: true });
      const g = new FakeGTlb();
      walkV(w, GVA, g);
      const tables = [2, 1, 0].map((l) => page(s.vpt.pteAddr(GVA, l)));
      expect(g.lookups).toEqual([...tables, page(GPA)]);
      expect(g.inserts.map(([, gpa, hpa]) => [gpa, hpa])).toEqual([...tables.map((p) => [p, page(s.hostOf(BigInt(p) << 12n))]), [page(GPA), page(HPA)]]);
      expect(walkV(w, GVA, g)).toBe(0);
      expect(w.out.refs).toBe(3); // the VS reads only
      expect(w.out.cycles).toBe(4 * g.latency + 3 * CACHES.l1d.hitLatency);
    });

    it('is not consulted for a page-table page the nested TLB held', () => {
      const { w } = twoStage(3, 3, { ...NONE, nestedTlb: NTLB(), ptPagesViaGTlb: true });
      const g = new FakeGTlb();
      walkV(w, GVA, g);
      g.lookups.length = 0;
      walkV(w, GVA, g);
      expect(g.lookups).toEqual([page(GPA)]);
    });
  });
});

describe('timed walker: faults', () => {
  it('charges the reads of a walk that ends in a VS page fault, fills nothing, and consults no G-stage TLB', () => {
    const { s, w, stat } = twoStage(3, 3, { pwcFirst: PWC(), pwcG: PWC(), nestedTlb: NTLB() });
    s.vpt.write(s.vpt.pteAddr(GVA, 0), 0n);
    const g = new FakeGTlb();
    expect(walkV(w, GVA, g)).toBe(Cause.LoadPageFault);
    expect(w.out.refs).toBe(3 * (3 + 1)); // nothing is filled, not even for the later G walks of this walk
    expect(g.lookups).toEqual([]);
    expect([w.pwcFirst.occupancy(), w.pwcG.occupancy(), w.nestedTlb?.occupancy()]).toEqual([0, 0, 0]);
    expect(stat('mmu.walker.faults')).toBe(1);
  });

  it('takes a G-stage fault on a page-table page for what it is: the nested TLB is asked, not the G-stage TLB (hypervisor.adoc "Guest-Page Faults")', () => {
    const { s, w } = twoStage(3, 3, NONE);
    s.gpt.write(s.tableGLeaf(s.vpt.pteAddr(GVA, 0)), 0n);
    const g = new FakeGTlb();
    expect(walkV(w, GVA, g)).toBe(Cause.LoadGuestPageFault);
    expect(w.out.refs).toBe(3 + 1 + 3 + 1 + 3);
    expect(g.lookups).toEqual([]);
  });

  it('asks the G-stage TLB before the final G walk that then faults, and fills nothing', () => {
    const { s, w } = twoStage(3, 3, NONE);
    s.gpt.write(s.gpt.pteAddr(GPA, 0), 0n);
    const g = new FakeGTlb();
    expect(walkV(w, GVA, g)).toBe(Cause.LoadGuestPageFault);
    expect(w.out.refs).toBe(15);
    expect(g.lookups).toEqual([page(GPA)]);
    expect(g.inserts).toEqual([]);
  });
});

describe('timed walker: G-stage only (walkG)', () => {
  it('walks the G-stage of one GPA page and reports its leaf', () => {
    const { w, caches, stat } = twoStage(4, 4, NONE);
    expect(w.walkG(page(GPA), Access.Store, 10)).toBe(0);
    expect([w.out.pa, w.out.gpaPage, w.out.vsLevel, w.out.gLevel, w.out.level, w.out.refs, w.out.refsG]).toEqual([Number(HPA & ~0xfffn), page(GPA), -1, 0, 0, 4, 4]);
    expect(caches.l1d.accesses[Requester.WalkerG]).toBe(4);
    expect(stat('mmu.walker.walksG')).toBe(1);
  });

  it('returns the guest-page fault of an unmapped GPA', () => {
    const { w } = twoStage(3, 3, NONE);
    expect(w.walkG(page(GPA) + 0x10, Access.Fetch, 0)).toBe(Cause.InstructionGuestPageFault);
    expect(w.out.refs).toBe(3);
  });
});

describe('timed walker: fences', () => {
  function scope(over: Partial<FenceScope>): FenceScope {
    return Object.assign(new FenceScope(), over);
  }

  /** A warm walker with V=1 entries of VMID 5 / ASID 9 and V=0 entries of ASID 3. */
  function warm() {
    const r = twoStage(3, 3, { pwcFirst: PWC(), pwcG: PWC(), nestedTlb: NTLB() });
    walkV(r.w, GVA);
    const native = new PageTables(3, false, r.s.bus, BigInt(0x8300_0000));
    native.map(GVA, 0x8765_4000n, 0, RWX_AD);
    r.s.t.satpMode = SatpMode.Sv39;
    r.s.t.satpPpn = native.rootPpn;
    r.s.t.satpAsid = 3;
    const [lo, hi] = halves(GVA);
    expect(r.w.walk(lo, hi, Access.Load, Priv.S, false, 0, null)).toBe(0);
    return r;
  }

  it('SFENCE.VMA / HFENCE.VVMA with an address keep the non-leaf entries (supervisor.adoc norm:sfence_vma_va_asid: only "entries that contain leaf page table entries")', () => {
    const { w } = warm();
    for (const virt of [false, true]) expect(w.invalidate(scope({ virt, page: page(GVA), asid: -1 }))).toEqual({ pwcFirst: 0, pwcG: 0, nestedTlb: 0 });
    expect(walkV(w, GVA + PAGE)).toBe(0);
    expect(w.out.refsFirst).toBe(1);
  });

  it('SFENCE.VMA with an ASID drops the V=0 entries of that ASID only (norm:sfence_vma_asid_only)', () => {
    const { w } = warm();
    expect(w.invalidate(scope({ asid: 4 })).pwcFirst).toBe(0);
    expect(w.invalidate(scope({ asid: 3 }))).toEqual({ pwcFirst: 2, pwcG: 0, nestedTlb: 0 });
    expect(walkV(w, GVA + PAGE)).toBe(0);
    expect(w.out.refsFirst).toBe(1); // the VS-stage entries stay
  });

  it('HFENCE.VVMA drops the V=1 entries of the VMID it names, all ASIDs or one (hypervisor.adoc norm:hfence-vvma_limits)', () => {
    const { w } = warm();
    expect(w.invalidate(scope({ virt: true, vmid: 6 })).pwcFirst).toBe(0);
    expect(w.invalidate(scope({ virt: true, vmid: 5, asid: 8 })).pwcFirst).toBe(0);
    expect(w.invalidate(scope({ virt: true, vmid: 5, asid: 9 })).pwcFirst).toBe(2);
    expect(w.pwcFirst.occupancy()).toBe(2); // the V=0 ones
    expect(w.invalidate(scope({ virt: false })).pwcFirst).toBe(2);
  });

  it('HFENCE.GVMA with a GPA drops the nested-TLB entry of that page but keeps the non-leaf G-stage entries (hypervisor.adoc norm:hfence-gvma_op, "similar to SFENCE.VMA")', () => {
    const { s, w, stat } = warm();
    const leafTable = page(s.vpt.pteAddr(GVA, 0));
    expect(w.invalidate(scope({ stage: 'g', vmid: 5, page: leafTable }))).toEqual({ pwcFirst: 0, pwcG: 0, nestedTlb: 1 });
    expect(w.invalidate(scope({ stage: 'g', vmid: 6, page: page(VS_TABLE_GPA) })).nestedTlb).toBe(0);
    expect(stat('mmu.nestedTlb.invalidated')).toBe(1);
  });

  it('HFENCE.GVMA without a GPA drops the G-stage PWC and nested-TLB entries of its VMID, and no first-stage entry (its NOTE: "need not flush the former cache")', () => {
    const { w, stat } = warm();
    expect(w.invalidate(scope({ stage: 'g', vmid: 6 }))).toEqual({ pwcFirst: 0, pwcG: 0, nestedTlb: 0 });
    const r = w.invalidate(scope({ stage: 'g', vmid: 5 }));
    expect(r.pwcFirst).toBe(0);
    expect(r.pwcG).toBeGreaterThan(0);
    expect(r.nestedTlb).toBe(3);
    expect(w.pwcG.occupancy() + (w.nestedTlb?.occupancy() ?? 0)).toBe(0);
    expect(stat('mmu.pwc.g.invalidated')).toBe(r.pwcG);
    expect(w.invalidate(scope({ stage: 'g' }))).toEqual({ pwcFirst: 0, pwcG: 0, nestedTlb: 0 });
  });
});

describe('timed walker: statistics', () => {
  it('registers its counters under mmu.walker, mmu.pwc.first / g and mmu.nestedTlb', () => {
    const { reg } = twoStage(3, 3, { pwcFirst: PWC(), pwcG: PWC(), nestedTlb: NTLB() });
    const names = reg.descriptors().map((d) => d.name);
    for (const n of ['mmu.walker.walks', 'mmu.walker.cycles', 'mmu.walker.refs.g.l4', 'mmu.walker.refsPerWalk.0', 'mmu.walker.refsPerWalk.40plus', 'mmu.pwc.first.l1.hits', 'mmu.pwc.g.l4.hits', 'mmu.pwc.first.misses', 'mmu.nestedTlb.hits']) {
      expect(names).toContain(n);
    }
  });
});
