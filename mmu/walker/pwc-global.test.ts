import { describe, expect, it } from 'vitest';
import { PageWalkCache } from './pwc.js';
import { walkerSchema } from './walker-config.js';

/**
 * Global entries of the page-walk caches. supervisor.adoc "Sv32": "Global mappings are those that
 * exist in all address spaces. For non-leaf PTEs, the global setting implies that all mappings in
 * the subsequent levels of the page table are global"; norm:sfence_vma_asid_only: an
 * ASID-specific fence invalidates the ASID's entries "except for entries containing global
 * mappings".
 */
const SV32_G = 'supervisor.adoc "Sv32" G bit';
const ASID_FENCE = 'supervisor.adoc norm:sfence_vma_asid_only';

function pwc(organisation: 'split' | 'unified' | 'tpc', entries = 8) {
  return new PageWalkCache(walkerSchema.parse({ pwcFirst: { organisation, entries, ways: 0, replacement: 'lru', latency: 1 } }).pwcFirst);
}

/** A page number from Sv48 indices, root (level 3) first. */
function vpn(i3: number, i2: number, i1: number, i0: number): number {
  return ((i3 * 512 + i2) * 512 + i1) * 512 + i0;
}

/** Address spaces as the timed walker packs them: V=0 by ASID; V=1 by VMID and ASID. */
const native = (asid: number) => asid;
const guest = (vmid: number, asid: number) => (1 << 30) | (vmid << 16) | asid;

/** An ASID-specific fence's selection (timed-walker.ts invalidate): the ASID's non-global entries. */
const asidFence = (asid: number) => (space: number, global: boolean) => !global && (space & 0xffff) === asid;

describe(`page-walk cache: global entries (${SV32_G})`, () => {
  for (const org of ['split', 'unified', 'tpc'] as const) {
    describe(org, () => {
      it(`serves a path made global by the root PTE's G to every ASID of the same context (${SV32_G}: "exist in all address spaces")`, () => {
        const p = pwc(org);
        p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 3);
        expect(p.lookup(native(2), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.lookup(native(7), vpn(1, 2, 9, 5), 4, 0)).toBe(2);
        expect(p.globalFills).toBe(org === 'tpc' ? 1 : 3);
      });

      it('keeps a path without G to its own ASID', () => {
        const p = pwc(org);
        p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 0);
        expect(p.lookup(native(2), vpn(1, 2, 3, 5), 4, 0)).toBe(4);
        expect(p.lookup(native(1), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.globalFills).toBe(0);
      });

      it(`shares a path global from level 1 only at that level, and the levels above it stay the ASID's own (${SV32_G}: "subsequent levels")`, () => {
        const p = pwc(org);
        p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 1); // the level-1 PTE has G=1, levels 3 and 2 do not
        expect(p.lookup(native(2), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.lookup(native(2), vpn(1, 2, 9, 5), 4, 0)).toBe(4); // needs the non-global level 2
        expect(p.lookup(native(1), vpn(1, 2, 9, 5), 4, 0)).toBe(2);
      });

      it('does not share a global path across V=0 and V=1, nor across VMIDs (a VS-stage global mapping is global within its guest)', () => {
        const p = pwc(org);
        p.fill(guest(5, 1), vpn(1, 2, 3, 4), 4, 3, 1, 3);
        expect(p.lookup(guest(5, 2), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.lookup(guest(6, 1), vpn(1, 2, 3, 5), 4, 0)).toBe(4);
        expect(p.lookup(native(1), vpn(1, 2, 3, 5), 4, 0)).toBe(4);
      });

      it(`keeps global entries through a fence for their ASID and drops the ASID's other entries (${ASID_FENCE})`, () => {
        const p = pwc(org);
        p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 3); // global
        p.fill(native(1), vpn(5, 6, 7, 8), 4, 3, 1, 0); // the ASID's own
        const dropped = p.invalidate(asidFence(1));
        expect(dropped).toBe(org === 'tpc' ? 1 : 3);
        expect(p.lookup(native(1), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.lookup(native(3), vpn(1, 2, 3, 5), 4, 0)).toBe(1);
        expect(p.lookup(native(1), vpn(5, 6, 7, 9), 4, 0)).toBe(4);
      });

      it('drops global entries too when the fence is for every address space (supervisor.adoc norm:sfence_vma_all_asid_va)', () => {
        const p = pwc(org);
        p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 3);
        expect(p.invalidate(() => true)).toBe(org === 'tpc' ? 1 : 3);
        expect(p.lookup(native(1), vpn(1, 2, 3, 5), 4, 0)).toBe(4);
      });
    });
  }

  it(`split / unified: an ASID fence keeps exactly the levels that hold global mappings (${ASID_FENCE})`, () => {
    for (const org of ['split', 'unified'] as const) {
      const p = pwc(org);
      p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 2); // levels 2 and 1 global, level 3 the ASID's
      expect(p.invalidate(asidFence(1))).toBe(1);
      expect(p.lookup(native(4), vpn(1, 2, 8, 5), 4, 0)).toBe(2);
    }
  });

  it(`tpc: a path global only below its root is dropped by its ASID's fence (one entry holds the non-global root too; dropping more is legal, supervisor.adoc NOTE after norm:sfence_vma_invalid_va)`, () => {
    const p = pwc('tpc');
    p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 2);
    expect(p.invalidate(asidFence(1))).toBe(1);
    expect(p.occupancy()).toBe(0);
  });

  it('tpc: a whole-global path walked from another ASID is the same path: it is touched, not held twice', () => {
    const p = pwc('tpc', 2);
    p.fill(native(1), vpn(1, 2, 3, 4), 4, 3, 1, 3);
    p.fill(native(2), vpn(1, 2, 3, 9), 4, 3, 1, 3);
    expect(p.occupancy()).toBe(1);
    p.fill(native(2), vpn(1, 2, 3, 9), 4, 3, 1, 0); // the same VA, not global in ASID 2: its own entry
    expect(p.occupancy()).toBe(2);
  });
});
