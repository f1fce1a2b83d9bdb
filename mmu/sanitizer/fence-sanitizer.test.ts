import { describe, expect, it } from 'vitest';
import { Access } from '../access.js';
import { PTE_A, PTE_D, PTE_R, PTE_V, PTE_W, PTE_X } from '../pte.js';
import { RWX_AD, URWX_AD, pte } from '../test-support/page-tables.js';
import { VS_TABLE_GPA } from '../test-support/two-stage.js';
import { FenceKind } from '../tlb/fence-records.js';
import { describeViolation } from './fence-sanitizer.js';
import { ASID, GPA, GVA, HPA, HPA2, ORGANISATIONS, PA, Rig, S, VA, VMID, VS } from './test-support/rig.js';

const ORDERING = 'supervisor.adoc norm:sfence_vma_ordering_semantics';
const GVMA = 'hypervisor.adoc norm:hfence-gvma_op';
const VVMA = 'hypervisor.adoc norm:hfence-vvma_mode';

describe.each(ORGANISATIONS)('fence sanitizer, %s organisation', (org) => {
  it(`reports a use of a guest page whose G-stage leaf changed without HFENCE.GVMA (${GVMA}, ${ORDERING})`, () => {
    const r = new Rig(org);
    expect(r.access(GVA, VS)).toBe(HPA);
    const at = r.remapG();
    r.access(GVA, VS);
    expect(r.san.violations).toBe(1);
    expect(r.stat('mmu.sanitizer.violations.hfence-gvma')).toBe(1);
    const rec = r.san.records[0]!;
    expect(rec).toMatchObject({ required: 'hfence-gvma', address: `0x${GPA.toString(16)}`, addressKind: 'gpa', leaf: true, vmid: VMID, pte: `0x${at.toString(16)}` });
    expect(rec.use).toMatchObject({ virt: true, priv: 'S', access: 'load', stale: true, va: `0x${GVA.toString(16)}` });
    expect(rec.newPte).toBe(`0x${pte(HPA2, URWX_AD).toString(16)}`);
    expect(describeViolation(rec)).toContain('missing HFENCE.GVMA');
  });

  it(`is satisfied by HFENCE.GVMA with the page's GPA >> 2 and the VMID (${GVMA})`, () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.HfenceGvma, GPA >> 2n, VMID);
    expect(r.access(GVA, VS)).toBe(HPA2);
    expect([r.san.violations, r.san.openDebts]).toEqual([0, 0]);
  });

  it('is not satisfied by HFENCE.VVMA after a G-stage change, nor by HFENCE.GVMA for another GPA or VMID', () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.HfenceVvma);
    r.fence(FenceKind.HfenceGvma, (GPA + 0x1000n) >> 2n, VMID);
    r.fence(FenceKind.HfenceGvma, null, VMID + 1);
    r.fence(FenceKind.SfenceVma);
    r.access(GVA, VS);
    expect(r.san.violations).toBe(1);
    expect(r.san.records[0]!.required).toBe('hfence-gvma');
  });

  it(`reports a VS-stage leaf change as needing HFENCE.VVMA, satisfied also by SFENCE.VMA with V=1 (${VVMA}, norm:sfence_vma_v1)`, () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapVs();
    r.fence(FenceKind.HfenceGvma); // the wrong stage
    r.access(GVA, VS);
    expect(r.san.records.map((x) => [x.required, x.address, x.asid, x.vmid])).toEqual([['hfence-vvma', `0x${GVA.toString(16)}`, ASID, VMID]]);
    const fixed = new Rig(org);
    fixed.access(GVA, VS);
    fixed.remapVs();
    fixed.fence(FenceKind.SfenceVmaV1, GVA, ASID);
    fixed.access(GVA, VS);
    expect(fixed.san.violations).toBe(0);
  });

  it('ties a VS-stage debt to the VMID that was in hgatp: HFENCE.VVMA under another VMID does not pay it (hypervisor.adoc norm:hfence-vvma_limits)', () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapVs();
    r.t.hgatpVmid = VMID + 1;
    r.fence(FenceKind.HfenceVvma);
    r.t.hgatpVmid = VMID;
    r.access(GVA, VS);
    expect(r.san.violations).toBe(1);
  });

  it('reports a native leaf change as needing SFENCE.VMA; an address- and ASID-specific one pays it (supervisor.adoc norm:sfence_vma_va_asid)', () => {
    const r = new Rig(org);
    expect(r.access(VA, S)).toBe(PA);
    r.remapNative();
    r.fence(FenceKind.SfenceVma, VA + 0x1000n, ASID); // another page
    r.fence(FenceKind.SfenceVma, VA, ASID + 1); // another address space
    r.fence(FenceKind.HfenceVvma); // not HS-level translations
    r.access(VA, S);
    expect(r.san.records.map((x) => [x.required, x.addressKind])).toEqual([['sfence-vma', 'va']]);
    const fixed = new Rig(org);
    fixed.access(VA, S);
    fixed.remapNative();
    fixed.fence(FenceKind.SfenceVma, VA + 0x123n, ASID);
    fixed.access(VA, S);
    expect(fixed.san.violations).toBe(0);
  });

  it('ignores a store to a page-table page word no translation was built from', () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.access(VA, S);
    const leaf = r.gLeaf(GPA);
    r.storePte(leaf + 8n * 7n, pte(HPA2, URWX_AD)); // a neighbouring, unused slot of the same table
    r.storePte(r.nativeLeaf(VA) + 8n, pte(HPA2, RWX_AD));
    r.access(GVA, VS);
    r.access(VA, S);
    expect([r.san.debts, r.san.violations, r.tracker.pteChanges]).toEqual([0, 0, 0]);
  });

  it('ignores rewriting the same value and raising the permissions of a valid leaf (supervisor.adoc: SFENCE.VMA may be lazy then)', () => {
    const r = new Rig(org);
    const at = r.nativeLeaf(VA);
    r.storePte(at, pte(PA, PTE_V | PTE_R | PTE_A));
    r.access(VA, S);
    r.storePte(at, pte(PA, PTE_V | PTE_R | PTE_A));
    r.storePte(at, pte(PA, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
    r.access(VA, S);
    expect([r.san.debts, r.san.violations]).toEqual([0, 0]);
    // Lowering them is a change that needs the fence.
    r.storePte(at, pte(PA, PTE_V | PTE_R | PTE_A));
    r.access(VA, S);
    expect(r.san.violations).toBe(1);
  });

  it('does not take a walk\'s own A/D update for a page-table change (supervisor.adoc "Virtual Address Translation Process" step 9)', () => {
    const r = new Rig(org);
    r.storePte(r.nativeLeaf(VA), pte(PA, PTE_V | PTE_R | PTE_W));
    r.access(VA, S); // the walk sets A
    r.access(VA, S, Access.Store); // a DTLB hit; the functional store would set D through its own walk
    r.t.translate(Number(VA), 0, Access.Store, 1);
    r.fence(FenceKind.SfenceVma);
    r.access(VA, S, Access.Store);
    r.t.translate(Number(VA), 0, Access.Store, 1);
    expect([r.san.debts, r.tracker.pteChanges]).toEqual([0, 0]);
  });

  it('needs rs1 = x0 for a non-leaf PTE: an address-specific fence does not pay it (supervisor.adoc, the note on non-leaf PTEs)', () => {
    const r = new Rig(org);
    r.access(VA, S);
    const nonLeaf = r.native.pteAddr(VA, 1);
    const table = r.native.alloc();
    r.native.write(table + ((VA >> 12n) & 511n) * 8n, pte(PA, RWX_AD));
    r.storePte(nonLeaf, pte(table, PTE_V)); // same mapping through a new leaf table
    r.fence(FenceKind.SfenceVma, VA, ASID);
    r.access(VA, S);
    expect(r.san.records.map((x) => [x.required, x.leaf])).toEqual([['sfence-vma', false]]);
    const fixed = new Rig(org);
    fixed.access(VA, S);
    fixed.storePte(fixed.native.pteAddr(VA, 1), pte(table, PTE_V));
    fixed.fence(FenceKind.SfenceVma, null, ASID);
    fixed.access(VA, S);
    expect(fixed.san.violations).toBe(0);
  });

  it('names the page-table page\'s GPA when the G-stage PTE mapping a VS page-table page changes (hypervisor.adoc norm:H_vm_gstagetrans)', () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    const tablePage = VS_TABLE_GPA; // the VS root table's page
    const gLeaf = r.two.tableGLeaf(tablePage);
    const old = r.two.gpt.read(gLeaf);
    r.storePte(gLeaf, old & ~BigInt(PTE_X)); // drop X: a change that needs a fence
    r.fence(FenceKind.HfenceGvma, GPA >> 2n, VMID); // the data page's GPA, not the table's
    r.access(GVA, VS);
    expect(r.san.records.map((x) => [x.required, x.address])).toEqual([['hfence-gvma', `0x${tablePage.toString(16)}`]]);
  });

  it('follows the Svinval sequence: SINVAL alone does not pay a debt, SFENCE.W.INVAL + HINVAL.GVMA + SFENCE.INVAL.IR does (svinval.adoc)', () => {
    const bare = new Rig(org);
    bare.access(GVA, VS);
    bare.remapG();
    bare.fence(FenceKind.HinvalGvma, GPA >> 2n, VMID);
    bare.fence(FenceKind.SfenceInvalIr);
    bare.access(GVA, VS);
    expect(bare.san.violations).toBe(1);
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.SfenceWInval);
    r.fence(FenceKind.HinvalGvma, GPA >> 2n, VMID);
    expect(r.san.openDebts).toBe(1); // invalidated, not yet ordered before later walks
    r.fence(FenceKind.SfenceInvalIr);
    r.access(GVA, VS);
    expect([r.san.violations, r.san.openDebts]).toEqual([0, 0]);
  });

  it('reports each debt once, and counts every later use', () => {
    const r = new Rig(org);
    r.access(GVA, VS);
    r.remapG();
    for (let k = 0; k < 3; k++) r.access(GVA, VS);
    expect([r.san.violations, r.san.uses, r.san.records.length]).toEqual([1, 3, 1]);
  });
});

describe('fence sanitizer: organisation-independent debts', () => {
  it('reports a use after the organisation dropped the stale entry for another reason, as not stale (flush-vmid HFENCE.VVMA drops combined entries)', () => {
    const r = new Rig('combined');
    r.access(GVA, VS);
    r.remapG();
    r.fence(FenceKind.HfenceVvma); // drops the combined GVA -> HPA entry, but pays only VS-stage debts
    expect(r.access(GVA, VS)).toBe(HPA2);
    expect(r.san.records.map((x) => [x.required, x.use.stale])).toEqual([['hfence-gvma', false]]);
  });

  it('opens no debt for a page-table change no TLB entry depends on (an invalid PTE was never cached)', () => {
    const r = new Rig('combined');
    r.remapG();
    r.access(GVA, VS);
    expect([r.san.debts, r.san.violations]).toEqual([0, 0]);
  });
});
