import { describe, expect, it } from 'vitest';
import { Access, Priv } from '../access.js';
import { PTE_A, PTE_D, PTE_R, PTE_V, PTE_W } from '../pte.js';
import { RWX_AD, pte } from '../test-support/page-tables.js';
import { ASID, GPA, GVA, HPA, HPA2, ORGANISATIONS, PA, PA2, Rig, S, VA, VMID, VS } from '../sanitizer/test-support/rig.js';
import { FenceKind } from './fence-records.js';
import { cachedLeafAllows } from './strict.js';

const ORDERING = 'supervisor.adoc norm:sfence_vma_ordering_semantics';

describe.each(ORGANISATIONS)('strict TLB mode, %s organisation', (org) => {
  it(`keeps translating a remapped guest page to the old host page until HFENCE.GVMA (${ORDERING}, hypervisor.adoc norm:hfence-gvma_op)`, () => {
    const r = new Rig(org, {}, { strict: true });
    expect(r.functional(GVA, VS)).toBe(HPA); // nothing held: walks
    r.access(GVA, VS); // the timing model's lookup fills the TLBs
    r.remapG();
    expect(r.functional(GVA, VS)).toBe(HPA);
    r.access(GVA, VS);
    r.fence(FenceKind.HfenceVvma); // the wrong fence (it may drop a combined entry: the organisation's choice)
    const afterVvma = r.functional(GVA, VS);
    // Combined: HFENCE.VVMA dropped the GVA -> HPA entry and the walk sees the new G-stage PTE;
    // separate and hybrid: the G-stage TLB still holds GPA -> HPA, and the walk uses it.
    expect(afterVvma).toBe(org === 'combined' ? HPA2 : HPA);
    // The timing model's own lookup (a walk refilling the L1) agrees with what the hart used.
    expect(r.access(GVA, VS)).toBe(afterVvma);
    expect(r.functional(GVA, VS)).toBe(afterVvma);
    r.fence(FenceKind.HfenceGvma, GPA >> 2n, VMID);
    expect(r.functional(GVA, VS)).toBe(HPA2);
  });

  it('keeps a guest page\'s old VS-stage translation until HFENCE.VVMA (hypervisor.adoc norm:hfence-vvma_mode)', () => {
    const r = new Rig(org, {}, { strict: true });
    r.access(GVA, VS);
    r.remapVs(); // GVA -> GPA2 -> HPA2
    expect(r.functional(GVA, VS)).toBe(HPA);
    r.fence(FenceKind.HfenceVvma, GVA, ASID);
    expect(r.functional(GVA, VS)).toBe(HPA2);
  });

  it('keeps a native page\'s old translation until SFENCE.VMA (supervisor.adoc norm:sfence_vma_va_asid)', () => {
    const r = new Rig(org, {}, { strict: true });
    r.access(VA, S);
    r.remapNative();
    expect(r.functional(VA, S)).toBe(PA);
    r.fence(FenceKind.SfenceVma, VA, ASID);
    expect(r.functional(VA, S)).toBe(PA2);
  });

  it('sees the new translation once the stale entry is evicted, and has the hart drop its cached copies then', () => {
    const r = new Rig(org, { itlb: tiny(), dtlb: tiny(), l2: null }, { strict: true });
    r.access(VA, S);
    const flushesBefore = r.hartFlushes;
    r.remapNative();
    expect(r.hartFlushes).toBe(flushesBefore + 1); // the PTE the hart's copy came from changed
    expect(r.functional(VA, S)).toBe(PA);
    for (let k = 1n; k <= 2n; k++) {
      r.native.map(VA + k * 0x1000n, PA + k * 0x1000n, 0, RWX_AD);
      r.access(VA + k * 0x1000n, S); // two more pages evict the stale entry from the two-entry DTLB
    }
    expect(r.hartFlushes).toBe(flushesBefore + 2); // the changed entry left the TLBs
    expect(r.functional(VA, S)).toBe(PA2);
  });

  it('uses the permissions the entry cached: a store still succeeds after its PTE became read-only, until the fence', () => {
    const r = new Rig(org, {}, { strict: true });
    r.access(VA, S, Access.Store);
    r.storePte(r.nativeLeaf(VA), pte(PA, PTE_V | PTE_R | PTE_A | PTE_D));
    expect(r.functional(VA, S, Access.Store)).toBe(PA);
    r.fence(FenceKind.SfenceVma, VA);
    expect(r.functional(VA, S, Access.Store)).toBe(-1n); // store page fault from the new PTE
  });

  it('refetches an entry whose cached permissions refuse the access: a store to a page cached clean walks and sets D', () => {
    const r = new Rig(org, {}, { strict: true });
    const at = r.nativeLeaf(VA);
    r.storePte(at, pte(PA, PTE_V | PTE_R | PTE_W | PTE_A)); // D = 0: a load caches it clean
    r.access(VA, S);
    expect(r.functional(VA, S, Access.Store)).toBe(PA);
    expect(r.strict.refetches).toBe(1);
    expect(r.native.read(at) & BigInt(PTE_D)).toBe(BigInt(PTE_D));
  });
});

describe('strict TLB mode: HFENCE.GVMA by address in a combined TLB (hypervisor.adoc, the note under norm:hfence-gvma_op)', () => {
  it("'flush-vmid' drops every combined entry of the VMID, so a fence for another GPA ends the stale translation too", () => {
    const r = new Rig('combined', { gvmaByGpa: 'flush-vmid' }, { strict: true });
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.HfenceGvma, (GPA + 0x10_0000n) >> 2n, VMID);
    expect(r.functional(GVA, VS)).toBe(HPA2);
  });

  it("'keep-gpa' drops only the entries of the fenced GPA: a fence for another GPA leaves the stale one in use", () => {
    const r = new Rig('combined', { gvmaByGpa: 'keep-gpa' }, { strict: true });
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.HfenceGvma, (GPA + 0x10_0000n) >> 2n, VMID);
    expect(r.functional(GVA, VS)).toBe(HPA);
    r.fence(FenceKind.HfenceGvma, GPA >> 2n, VMID);
    expect(r.functional(GVA, VS)).toBe(HPA2);
  });
});

describe('strict TLB mode: the separate organisation', () => {
  it('walks the G-stage for a held VS-stage entry\'s (stale) GPA when the G-stage TLB no longer holds it', () => {
    const r = new Rig('separate', {}, { strict: true });
    r.access(GVA, VS);
    r.remapVs(); // GVA -> GPA2 now, not fenced
    r.fence(FenceKind.HfenceGvma, GPA >> 2n, VMID); // drops GPA's G-stage entry only
    expect(r.functional(GVA, VS)).toBe(HPA); // old GPA, G-stage walked afresh
  });
});

describe('cachedLeafAllows (supervisor.adoc "Virtual Address Translation Process" steps 6, 8, 9)', () => {
  const RW_AD = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
  it('checks U against the privilege and SUM, R/W/X against the access, and A/D', () => {
    expect(cachedLeafAllows(RW_AD, Access.Load, Priv.S, false, false, false, false)).toBe(true);
    expect(cachedLeafAllows(RW_AD, Access.Fetch, Priv.S, false, false, false, false)).toBe(false);
    expect(cachedLeafAllows(RW_AD | 0x10, Access.Load, Priv.S, false, false, false, false)).toBe(false); // U page, SUM=0
    expect(cachedLeafAllows(RW_AD | 0x10, Access.Load, Priv.S, true, false, false, false)).toBe(true);
    expect(cachedLeafAllows(RW_AD, Access.Load, Priv.U, false, false, false, true)).toBe(false); // G-stage needs U
    expect(cachedLeafAllows(RW_AD & ~PTE_D, Access.Store, Priv.S, false, false, false, false)).toBe(false);
    expect(cachedLeafAllows(PTE_V | 0x8 | PTE_A, Access.Load, Priv.S, false, true, false, false)).toBe(true); // MXR: X grants loads
  });
});

function tiny() {
  return { hitLatency: 0, arrays: [{ entries: 2, ways: 0, replacement: 'lru' as const, seed: 1, pageSizes: ['4K' as const] }] };
}
