import { describe, expect, it } from 'vitest';
import { StatRegistry } from '../../common/stats.js';
import { Access } from '../access.js';
import { FenceKind } from './fence-records.js';
import { TlbModel, TlbSide, gpaPageOfRs1 } from './mmu-model.js';
import { type MmuTlbConfigInput, mmuTlbSchema } from './tlb-config.js';
import { FakeContext, FakeWalker } from './test-support/fake-walker.js';

const S = 1; // privilege S, V=0
const VS = 1 | 4; // privilege S, V=1
const M = 3;
const M2 = 512; // 4 KiB pages in 2 MiB
const P = 4096;

const small = (entries: number, pageSizes: ('4K' | '2M' | '1G')[] = ['4K', '2M', '1G'], hitLatency = 1) => ({
  hitLatency,
  arrays: [{ entries, ways: 0, replacement: 'lru' as const, seed: 1, pageSizes }],
});

const BASE: MmuTlbConfigInput = {
  organisation: 'combined',
  itlb: small(8),
  dtlb: small(8),
  l2: null,
  gTlb: null,
  asidTagging: true,
  vmidTagging: true,
  gvmaByGpa: 'flush-vmid',
  fenceCost: { sfenceVma: 3, hfenceVvma: 4, hfenceGvma: 5, sinval: 2, sfenceWInval: 1, sfenceInvalIr: 1, atpFlush: 6, perEntry: 0 },
  shadowWindow: 1000,
  fenceRecordLimit: 100,
};

const ORG: Record<'combined' | 'separate' | 'hybrid', MmuTlbConfigInput> = {
  combined: {},
  separate: { organisation: 'separate', gTlb: small(8, ['4K', '2M', '1G'], 2) },
  hybrid: { organisation: 'hybrid', gTlb: small(8, ['4K', '2M', '1G'], 2) },
};

function setup(over: MmuTlbConfigInput = {}) {
  const ctx = new FakeContext();
  const walker = new FakeWalker(ctx);
  const reg = new StatRegistry();
  const m = new TlbModel(mmuTlbSchema.parse({ ...BASE, ...over }), walker, ctx, reg.scope('mmu'));
  return { ctx, walker, reg, m };
}

type Model = ReturnType<typeof setup>['m'];

/** A data access to page `page` (+ byte offset), as physical address or -1. */
function ld(m: Model, page: number, mode = S, now = 0, offset = 0x123): number {
  const va = page * P + offset;
  return m.translate(TlbSide.D, va % 2 ** 32 | 0, Math.floor(va / 2 ** 32), Access.Load, mode, now);
}

/** A fence at cycle `now` with rs1 = `rs1` (null: x0) and rs2 = `rs2` (null: x0). */
function fence(m: Model, kind: FenceKind, rs1: number | null = null, rs2: number | null = null, now = 0): number {
  const v = rs1 ?? 0;
  return m.fence(kind, v % 2 ** 32 | 0, Math.floor(v / 2 ** 32), rs1 !== null, rs2 ?? 0, rs2 !== null, 0x8000_0000 | 0, 0, now);
}

/** Whether translating `page` now walks (and so was not held by any TLB). */
function walks(m: Model, page: number, mode = S, now = 0): boolean {
  ld(m, page, mode, now);
  return m.walked;
}

describe('TLB model: lookups and walks', () => {
  it('walks on a miss and hits afterwards; stall is the hit latency plus the walk', () => {
    const { m, walker } = setup();
    walker.mapNative(0, 5, 0, 77);
    expect(ld(m, 5)).toBe(77 * P + 0x123);
    expect([m.walked, m.stall]).toEqual([true, 1 + 100]);
    expect(ld(m, 5)).toBe(77 * P + 0x123);
    expect([m.walked, m.stall]).toEqual([false, 1]);
    expect([m.dtlb.accesses, m.dtlb.hits, m.dtlb.misses, m.itlb.accesses]).toEqual([2, 1, 1, 0]);
  });

  it('bypasses the TLBs in M-mode and with satp Bare (supervisor.adoc norm:satp_op_active, norm:satp_mode)', () => {
    const { m, ctx } = setup();
    expect(ld(m, 5, M)).toBe(5 * P + 0x123);
    ctx.satpMode = 0;
    expect(ld(m, 6, S)).toBe(6 * P + 0x123);
    expect([m.stall, m.dtlb.accesses]).toEqual([0, 0]);
  });

  it('bypasses the TLBs with V=1 when vsatp and hgatp are both Bare', () => {
    const { m, ctx } = setup();
    ctx.vsatpMode = 0;
    ctx.hgatpMode = 0;
    expect(ld(m, 6, VS)).toBe(6 * P + 0x123);
    expect(m.dtlb.accesses).toBe(0);
  });

  it('refills the L1 from an L2 hit without walking; stall adds the L2 latency', () => {
    const { m, walker } = setup({ dtlb: small(1), l2: small(16, ['4K', '2M', '1G'], 3) });
    walker.mapNative(0, 1, 0, 11).mapNative(0, 2, 0, 12);
    ld(m, 1);
    ld(m, 2); // evicts page 1 from the one-entry L1
    expect(ld(m, 1)).toBe(11 * P + 0x123);
    expect([m.walked, m.stall]).toEqual([false, 1 + 3]);
    ld(m, 1);
    expect([m.walked, m.stall]).toEqual([false, 1]);
  });

  it('holds a 2 MiB page as one entry where the array holds 2M, splintered where it holds only 4K', () => {
    for (const [sizes, neighbourWalks] of [
      [['4K', '2M', '1G'], false],
      [['4K'], true],
    ] as const) {
      const { m, walker } = setup({ dtlb: small(8, [...sizes]) });
      walker.mapNative(0, 3 * M2, 1, 9 * M2);
      expect(ld(m, 3 * M2 + 4)).toBe((9 * M2 + 4) * P + 0x123);
      expect(walks(m, 3 * M2 + 5)).toBe(neighbourWalks);
      expect(ld(m, 3 * M2 + 5)).toBe((9 * M2 + 5) * P + 0x123);
    }
  });

  it('returns -1 and fills nothing when the walk faults', () => {
    const { m } = setup();
    expect(ld(m, 5)).toBe(-1);
    expect(m.walked).toBe(true);
    expect(m.dtlb.validCount()).toBe(0);
  });

  it('uses the ITLB for fetches and the DTLB for data', () => {
    const { m, walker } = setup();
    walker.mapNative(0, 5, 0, 77);
    m.translate(TlbSide.I, 5 * P, 0, Access.Fetch, S, 0);
    expect([m.itlb.misses, m.dtlb.accesses]).toEqual([1, 0]);
  });
});

describe('TLB model: V=1 entry kinds', () => {
  it('combined: one entry maps GVA to HPA at the smaller of the two leaf sizes', () => {
    const { m, walker, ctx } = setup();
    ctx.hgatpVmid = 1;
    walker.mapVs(1, 0, 4 * M2, 1, 6 * M2).mapG(1, 6 * M2 + 2, 0, 900).mapG(1, 6 * M2 + 3, 0, 901);
    expect(ld(m, 4 * M2 + 2, VS)).toBe(900 * P + 0x123);
    expect(walks(m, 4 * M2 + 2, VS)).toBe(false);
    expect(walks(m, 4 * M2 + 3, VS)).toBe(true); // the G-stage leaf is 4 KiB: another entry
    expect(m.dtlb.hitsV1).toBe(1);
  });

  it('separate: a VS-stage hit then a G-stage TLB miss walks the G-stage alone; each lookup adds its latency', () => {
    const { m, walker, ctx } = setup(ORG.separate);
    ctx.hgatpVmid = 1;
    walker.mapVs(1, 0, 10, 0, 20).mapVs(1, 0, 11, 0, 20).mapG(1, 20, 0, 300);
    ld(m, 10, VS); // full walk: fills the VS entry and the G-stage TLB
    expect(walker.walks[0].withG).toBe(true);
    expect(ld(m, 11, VS)).toBe(300 * P + 0x123); // VS miss, full walk whose final GPA hits the G-TLB
    expect(walker.walks).toHaveLength(2);
    // Drop the G-stage entry only; the VS entries stay.
    fence(m, FenceKind.HfenceGvma, (20 * P) / 4, 1);
    expect(ld(m, 10, VS)).toBe(300 * P + 0x123);
    expect(walker.gWalks).toEqual([20]);
    expect(m.stall).toBe(1 + 2 + 40);
    ld(m, 10, VS);
    expect([m.walked, m.stall]).toEqual([false, 1 + 2]);
  });

  it('separate with vsatp Bare goes straight to the G-stage TLB (GPA = GVA)', () => {
    const { m, walker, ctx } = setup(ORG.separate);
    ctx.vsatpMode = 0;
    walker.mapG(0, 7, 0, 70);
    expect(ld(m, 7, VS)).toBe(70 * P + 0x123);
    expect(walker.gWalks).toEqual([7]);
    expect(m.dtlb.accesses).toBe(0);
  });

  it('hybrid: combined L1 entries, and the walker finds the final GPA in the G-stage TLB', () => {
    const { m, walker, ctx } = setup(ORG.hybrid);
    ctx.hgatpVmid = 1;
    walker.mapVs(1, 0, 10, 0, 20).mapVs(1, 0, 11, 0, 20).mapG(1, 20, 0, 300);
    ld(m, 10, VS);
    expect(m.stall).toBe(1 + 100 + 2 + 40);
    ld(m, 11, VS);
    expect(m.stall).toBe(1 + 100 + 2); // G-stage TLB hit inside the walk
    expect(m.gTlb?.hits).toBe(1);
  });

  it("hybrid: a G-stage TLB hit tells the walker the G leaf's size, so 'keep-gpa' still finds the combined entry by any GPA in that leaf", () => {
    const { m, walker, ctx } = setup({ ...ORG.hybrid, gvmaByGpa: 'keep-gpa', dtlb: small(8, ['4K']) });
    ctx.hgatpVmid = 1;
    walker.mapVs(1, 0, 10, 0, M2 + 1).mapVs(1, 0, 11, 0, M2 + 2).mapG(1, M2, 1, 4 * M2);
    ld(m, 10, VS); // G-stage walk: the 2 MiB G leaf goes to the G-stage TLB
    ld(m, 11, VS); // its final GPA hits there
    expect(m.gTlb?.hits).toBe(1);
    fence(m, FenceKind.HfenceGvma, ((M2 + 300) * P) / 4, 1);
    expect(m.log.records[0].dropped[1]).toBe(2);
  });

  it('does not use an entry made with vsatp Bare once vsatp is paged (supervisor.adoc norm:sfence_vma_mode_effect)', () => {
    const { m, walker, ctx } = setup();
    ctx.vsatpMode = 0;
    walker.mapG(0, 10, 0, 500).mapVs(0, 0, 10, 0, 11).mapG(0, 11, 0, 600);
    expect(ld(m, 10, VS)).toBe(500 * P + 0x123);
    ctx.vsatpMode = 8;
    expect(ld(m, 10, VS)).toBe(600 * P + 0x123);
    expect(m.walked).toBe(true);
  });
});

/** Fill the DTLB with: native pages 1 (ASID 1), 2 (ASID 2), 3 (global); V=1 pages 10, 11 of VMID 1 (ASID 1) and 12 of VMID 2. */
function populate(over: MmuTlbConfigInput = {}) {
  const t = setup({ dtlb: small(16), ...over });
  const { m, walker, ctx } = t;
  walker.mapNative(1, 1, 0, 101).mapNative(2, 2, 0, 102).mapNative(1, 3, 0, 103, true);
  walker.mapVs(1, 1, 10, 0, 30).mapVs(1, 1, 11, 0, 31).mapG(1, 30, 0, 130).mapG(1, 31, 0, 131);
  walker.mapVs(2, 1, 12, 0, 30).mapG(2, 30, 0, 230);
  const at = (asid: number, vmid: number) => {
    ctx.satpAsid = asid;
    ctx.vsatpAsid = asid;
    ctx.hgatpVmid = vmid;
  };
  at(1, 1);
  ld(m, 1);
  ld(m, 3);
  ld(m, 10, VS);
  ld(m, 11, VS);
  at(2, 2);
  ld(m, 2);
  at(1, 2);
  ld(m, 12, VS);
  at(1, 1);
  walker.walks.length = 0;
  walker.gWalks.length = 0;
  return { ...t, at };
}

/** Which of the populated translations are still held (no walk needed), as [page, mode, asid, vmid] keys. */
function held(t: ReturnType<typeof populate>): string[] {
  const out: string[] = [];
  const probes: [number, number, number, number][] = [
    [1, S, 1, 1],
    [2, S, 2, 1],
    [3, S, 1, 1],
    [10, VS, 1, 1],
    [11, VS, 1, 1],
    [12, VS, 1, 2],
  ];
  for (const [page, mode, asid, vmid] of probes) {
    t.at(asid, vmid);
    const before = t.walker.walks.length + t.walker.gWalks.length;
    // Probe without disturbing: a hit fills nothing; a miss refills, which later probes do not depend on.
    ld(t.m, page, mode);
    if (t.walker.walks.length + t.walker.gWalks.length === before) out.push(`${mode === VS ? 'v' : 'n'}${page}`);
  }
  t.at(1, 1);
  return out;
}

const ALL = ['n1', 'n2', 'n3', 'v10', 'v11', 'v12'];

describe.each(['combined', 'separate', 'hybrid'] as const)('TLB model fences, %s organisation', (org) => {
  const make = (over: MmuTlbConfigInput = {}) => populate({ ...ORG[org], ...over });

  it('SFENCE.VMA x0, x0 with V=0 drops every native entry and no V=1 entry (supervisor.adoc norm:sfence_vma_all_asid_va; hypervisor.adoc norm:sfence_vma_v0)', () => {
    const t = make();
    expect(fence(t.m, FenceKind.SfenceVma)).toBe(3);
    const r = t.m.log.records[0];
    expect([r.dropped[0], r.dropped[1], r.totalStale, r.collateral]).toEqual([0, 3, 3, 0]);
    expect(held(t)).toEqual(['v10', 'v11', 'v12']);
  });

  it('SFENCE.VMA rs1 drops the leaf entries of that page only (norm:sfence_vma_va_all_asid)', () => {
    const t = make();
    fence(t.m, FenceKind.SfenceVma, 2 * P + 0x10);
    expect(held(t)).toEqual(['n1', 'n3', ...ALL.slice(3)]);
  });

  it('SFENCE.VMA rs2 drops that ASID except global entries (norm:sfence_vma_asid_only)', () => {
    const t = make();
    fence(t.m, FenceKind.SfenceVma, null, 1);
    expect(held(t)).toEqual(['n2', 'n3', ...ALL.slice(3)]);
  });

  it("SFENCE.VMA with V=1 drops the current VMID's VS-stage translations only, never G-stage entries (hypervisor.adoc norm:sfence_vma_v1)", () => {
    const t = make();
    const gBefore = t.m.gTlb?.validCount() ?? 0;
    fence(t.m, FenceKind.SfenceVmaV1);
    expect(t.m.gTlb?.validCount() ?? 0).toBe(gBefore);
    expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v12']);
    expect([t.m.log.records[0].totalStale, t.m.log.records[0].collateral]).toEqual([2, 0]);
  });

  it('SFENCE.VMA with V=1 and rs1 drops only that guest page of the current VMID', () => {
    const t = make();
    fence(t.m, FenceKind.SfenceVmaV1, 11 * P);
    expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v10', 'v12']);
  });

  it("HFENCE.VVMA acts like SFENCE.VMA with V=1 for the current hgatp.VMID (hypervisor.adoc norm:hfence-vvma_mode)", () => {
    const t = make();
    t.at(1, 2);
    expect(fence(t.m, FenceKind.HfenceVvma)).toBe(4);
    expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v10', 'v11']);
  });

  it('HFENCE.GVMA x0, rs2 drops every combined and G-stage entry of that VMID, and no native or VS-stage entry (norm:hfence-gvma_op)', () => {
    const t = make();
    expect(fence(t.m, FenceKind.HfenceGvma, null, 1)).toBe(5);
    const r = t.m.log.records[0];
    expect(r.collateral).toBe(0);
    if (org === 'separate') {
      expect(r.dropped[3]).toBe(2); // G-TLB: GPA pages 30 and 31 of VMID 1
      // The VS entries stay; VMID 1's G-stage translations walk again, VMID 2's still hit.
      expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v12']);
      expect(t.walker.gWalks).toEqual([30, 31]);
      expect(t.walker.walks).toHaveLength(0);
    } else {
      expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v12']);
    }
  });

  it('HFENCE.GVMA by address takes rs1 = GPA >> 2', () => {
    expect(gpaPageOfRs1(0x4000_0c00, 0)).toBe(0x10_0003); // GPA 0x1_0000_3000
    expect(gpaPageOfRs1(0, 1)).toBe(2 ** 22); // rs1 bit 32 is GPA bit 34
  });

  it("HFENCE.GVMA rs1 drops what maps that GPA page; combined entries by 'flush-vmid' (all of the VMID) or 'keep-gpa' (only that page)", () => {
    for (const gvmaByGpa of ['flush-vmid', 'keep-gpa'] as const) {
      const t = make({ gvmaByGpa });
      fence(t.m, FenceKind.HfenceGvma, (30 * P) / 4, 1);
      const r = t.m.log.records[0];
      if (org === 'separate') {
        expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v11', 'v12']); // v10's G-stage entry (GPA 30) went
        expect(t.walker.gWalks).toEqual([30]);
        expect(r.collateral).toBe(0);
      } else if (gvmaByGpa === 'flush-vmid') {
        expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v12']);
        expect(r.collateral).toBe(1); // v11 (GPA 31) was outside the scope
      } else {
        expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v11', 'v12']);
        expect(r.collateral).toBe(0);
      }
    }
  });

  it('SINVAL.VMA, HINVAL.VVMA and HINVAL.GVMA drop what their fence counterparts drop (svinval.adoc)', () => {
    const pairs: [FenceKind, FenceKind, number | null, number | null, number, number][] = [
      [FenceKind.SfenceVma, FenceKind.SinvalVma, 1 * P, null, 1, 1],
      [FenceKind.HfenceVvma, FenceKind.HinvalVvma, null, 1, 1, 1],
      [FenceKind.HfenceGvma, FenceKind.HinvalGvma, null, 1, 1, 1],
      [FenceKind.SfenceVmaV1, FenceKind.SinvalVmaV1, 10 * P, null, 1, 1],
    ];
    for (const [f, inval, rs1, rs2] of pairs) {
      const a = make();
      const b = make();
      fence(a.m, f, rs1, rs2);
      expect(fence(b.m, inval, rs1, rs2)).toBe(2);
      expect(held(b)).toEqual(held(a));
      expect(b.m.log.records[0].dropped).toEqual(a.m.log.records[0].dropped);
    }
  });

  it('SFENCE.W.INVAL and SFENCE.INVAL.IR only cost cycles', () => {
    const t = make();
    expect(fence(t.m, FenceKind.SfenceWInval)).toBe(1);
    expect(fence(t.m, FenceKind.SfenceInvalIr)).toBe(1);
    expect(held(t)).toEqual(ALL);
    expect(t.walker.scopes).toHaveLength(0);
  });

  it("passes each fence's scope to the walker's caches", () => {
    const t = make();
    t.at(1, 3);
    fence(t.m, FenceKind.HfenceVvma, 10 * P, 7);
    fence(t.m, FenceKind.HfenceGvma, (30 * P) / 4, 1);
    expect(t.walker.scopes.map((s) => ({ ...s }))).toEqual([
      { stage: 'first', virt: true, vmid: 3, asid: 7, page: 10 },
      { stage: 'g', virt: false, vmid: 1, asid: -1, page: 30 },
    ]);
  });
});

describe('TLB model: fence cost', () => {
  it('costs the per-kind cycles plus perEntry for each TLB and walk-cache entry dropped', () => {
    const t = populate({ fenceCost: { sfenceVma: 3, perEntry: 0.5 } });
    t.walker.walkCacheDrops = { pwcFirst: 2, pwcG: 0, nestedTlb: 0 };
    expect(fence(t.m, FenceKind.SfenceVma)).toBe(3 + Math.ceil(0.5 * (3 + 2)));
    const r = t.m.log.records[0];
    expect([r.cycles, r.pwcFirst]).toEqual([6, 2]);
  });
});

describe('TLB model: ASID and VMID tagging off', () => {
  it('a satp write that changes the ASID flushes the non-global native entries, all collateral, as satp-write', () => {
    const t = populate({ asidTagging: false });
    t.ctx.satpAsid = 5;
    expect(t.m.atpWrite('satp', 50)).toBe(6);
    const r = t.m.log.records[0];
    expect([r.kindName, r.time, r.dropped[1], r.totalStale, r.collateral]).toEqual(['satp-write', 50, 2, 0, 2]);
    expect(held(t)).toEqual(['n3', 'v10', 'v11', 'v12']);
  });

  it('a satp write that keeps the ASID, or any satp write with ASID tagging, flushes nothing', () => {
    const off = populate({ asidTagging: false });
    off.m.atpWrite('satp', 0); // populate() moved to ASID 1 behind the model's back: this write flushes
    expect(off.m.atpWrite('satp', 0)).toBe(0); // same ASID again
    const on = populate({ asidTagging: true });
    on.ctx.satpAsid = 5;
    expect(on.m.atpWrite('satp', 0)).toBe(0);
    expect([off.m.log.records.length, on.m.log.records.length]).toEqual([1, 0]);
  });

  it("a vsatp write that changes the ASID flushes the current VMID's V=1 first-stage entries", () => {
    const t = populate({ asidTagging: false });
    t.ctx.vsatpAsid = 9;
    expect(t.m.atpWrite('vsatp', 0)).toBe(6);
    expect(t.m.log.records[0].kindName).toBe('vsatp-write');
    t.ctx.vsatpAsid = 1;
    t.m.atpWrite('vsatp', 0); // and back: the hardware cannot know the entries are gone already
    expect(held(t)).toEqual(['n1', 'n2', 'n3', 'v12']);
  });

  it('an hgatp write that changes the VMID flushes every V=1 and G-stage entry, as hgatp-write', () => {
    for (const org of ['combined', 'separate'] as const) {
      const t = populate({ ...ORG[org], vmidTagging: false });
      t.ctx.hgatpVmid = 2;
      expect(t.m.atpWrite('hgatp', 0)).toBe(6);
      expect(t.m.log.records[0].kindName).toBe('hgatp-write');
      expect(t.m.gTlb?.validCount() ?? 0).toBe(0);
      expect(held(t)).toEqual(['n1', 'n2', 'n3']);
    }
  });

  it('without VMID tags a fence for another VMID drops the current VMID\'s entries as collateral', () => {
    // populate() switched VMIDs without telling the model (no hgatp-write flush), so the untagged
    // DTLB holds V=1 entries of VMID 1 and 2 that an HFENCE.VVMA for VMID 2 cannot tell apart.
    const t = populate({ vmidTagging: false });
    t.at(1, 2);
    fence(t.m, FenceKind.HfenceVvma);
    const r = t.m.log.records[0];
    expect(r.totalDropped).toBe(3);
    expect([r.totalStale, r.collateral]).toEqual([1, 2]);
  });
});

describe('TLB model: the fence shadow', () => {
  it('charges a walk within the window that refills a collaterally dropped entry to the fence, once', () => {
    const t = populate({ asidTagging: false });
    t.ctx.satpAsid = 2;
    t.m.atpWrite('satp', 100);
    const r = t.m.log.records[0];
    t.at(2, 1);
    ld(t.m, 2, S, 500); // ASID 2's page 2 was dropped collaterally by the ASID change
    expect([r.shadowWalks, r.shadowCycles]).toEqual([1, 100]);
    t.m.fence(FenceKind.SfenceVma, 0, 0, false, 2, true, 0, 0, 600); // stale drop of page 2
    ld(t.m, 2, S, 700);
    expect([r.shadowWalks, t.m.log.shadowWalks[FenceKind.SatpWrite], t.m.log.shadowWalks[FenceKind.SfenceVma]]).toEqual([1, 1, 0]);
  });

  it('does not charge walks after the window', () => {
    const t = populate({ asidTagging: false, shadowWindow: 100 });
    t.ctx.satpAsid = 2;
    t.m.atpWrite('satp', 100);
    t.at(2, 1);
    ld(t.m, 2, S, 201);
    expect(t.m.log.records[0].shadowWalks).toBe(0);
  });

  it("charges refills of 'flush-vmid' collateral after HFENCE.GVMA by address", () => {
    const t = populate({ gvmaByGpa: 'flush-vmid' });
    fence(t.m, FenceKind.HfenceGvma, (30 * P) / 4, 1, 10);
    ld(t.m, 10, VS, 20); // stale: GPA 30 was the fence's page
    ld(t.m, 11, VS, 30); // collateral
    const agg = t.m.log;
    expect([agg.shadowWalks[FenceKind.HfenceGvma], agg.shadowCycles[FenceKind.HfenceGvma]]).toEqual([1, 140]);
  });
});

describe('TLB model: records and statistics', () => {
  it('keeps records up to the limit while the aggregates stay exact, and hands every record to the trace writer', () => {
    const t = populate({ fenceRecordLimit: 2 });
    const seen: number[] = [];
    t.m.log.onRecord = (r) => seen.push(r.seq);
    for (let i = 0; i < 5; i++) fence(t.m, FenceKind.SfenceVma);
    expect(t.m.log.records.map((r) => r.seq)).toEqual([0, 1]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(t.reg.snapshot()['mmu.fence.sfence-vma.count']).toBe(5);
    expect(t.reg.snapshot()['mmu.fence.sfence-vma.dropped.dtlb']).toBe(3);
  });

  it('records pc, rs1 and rs2 of a fence (null for x0)', () => {
    const t = populate();
    t.m.fence(FenceKind.SfenceVma, 0x1000, 0xffff_ffff | 0, true, 0, false, 0x8000_0010 | 0, 0, 9);
    const r = t.m.log.records[0];
    expect([r.pc, r.rs1, r.rs2, r.time]).toEqual([0x8000_0010n, 0xffff_ffff_0000_1000n, null, 9]);
  });

  it('registers per-structure statistics under mmu.<tlb> and fence aggregates under mmu.fence.<kind>', () => {
    const { reg } = setup({ ...ORG.separate, l2: small(16) });
    const names = reg.descriptors().map((d) => d.name);
    for (const s of ['itlb', 'dtlb', 'l2tlb', 'gtlb']) {
      for (const w of ['accesses', 'hits', 'misses', 'evictions', 'flushes', 'invalidations', 'storageBits']) expect(names).toContain(`mmu.${s}.${w}`);
    }
    expect(names).toContain('mmu.dtlb.v1.misses');
    expect(names).not.toContain('mmu.gtlb.v1.misses');
    for (const w of ['count', 'cycles', 'dropped.itlb', 'dropped.pwcG', 'stale', 'collateral', 'shadowWalks', 'shadowCycles']) {
      expect(names).toContain(`mmu.fence.hfence-gvma.${w}`);
    }
    expect(names).toContain('mmu.fence.hgatp-write.count');
  });

  it("prices 'keep-gpa' as wider combined entries (mmu.<tlb>.storageBits)", () => {
    const flush = setup({ gvmaByGpa: 'flush-vmid' }).reg.snapshot();
    const keep = setup({ gvmaByGpa: 'keep-gpa' }).reg.snapshot();
    expect(keep['mmu.dtlb.entryBits'] - flush['mmu.dtlb.entryBits']).toBe(31); // 29-bit GPA page + 2-bit G leaf size
    expect(keep['mmu.dtlb.storageBits']).toBe(keep['mmu.dtlb.entryBits'] * 8);
  });
});
