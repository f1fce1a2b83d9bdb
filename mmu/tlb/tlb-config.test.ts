import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MMU_TLB_PRESETS, fenceCostSchema, mmuTlbSchema, tlbArraySchema, tlbStructureSchema } from './tlb-config.js';

const NAMES = Object.keys(MMU_TLB_PRESETS) as (keyof typeof MMU_TLB_PRESETS)[];

/** The issue paths of a failed parse, dotted. */
function issuePaths(input: unknown): string[] {
  const r = mmuTlbSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error?.issues.map((i) => i.path.join('.')) ?? [];
}

const l1 = (entries: number, ways = 0) => ({ arrays: [{ entries, ways }] });

describe('MMU TLB configuration schema', () => {
  it('defaults to the inorder-default preset', () => {
    expect(mmuTlbSchema.parse({})).toEqual(mmuTlbSchema.parse(MMU_TLB_PRESETS['inorder-default']));
  });

  it.each(NAMES)('preset %s validates', (name) => {
    expect(mmuTlbSchema.safeParse(MMU_TLB_PRESETS[name]).success).toBe(true);
  });

  it('cva6-like follows cv64a6_imafdch_sv39: two 16-entry fully associative PLRU TLBs of combined entries, no shared TLB, found by GPA', () => {
    const c = mmuTlbSchema.parse(MMU_TLB_PRESETS['cva6-like']);
    for (const t of [c.itlb, c.dtlb]) {
      expect(t.arrays).toHaveLength(1);
      expect([t.arrays[0].entries, t.arrays[0].ways, t.arrays[0].replacement]).toEqual([16, 0, 'tree-plru']);
      expect(t.arrays[0].pageSizes).toEqual(['4K', '2M', '1G']);
    }
    expect([c.organisation, c.l2, c.gTlb, c.asidTagging, c.vmidTagging, c.gvmaByGpa]).toEqual(['combined', null, null, true, true, 'keep-gpa']);
  });

  it('inorder-default follows Rocket: 32 4 KiB + 4 superpage fully associative L1 entries, a 512-entry direct-mapped 4K-only L2, no tags', () => {
    const c = mmuTlbSchema.parse(MMU_TLB_PRESETS['inorder-default']);
    expect(c.dtlb.arrays.map((a) => [a.entries, a.ways, a.pageSizes])).toEqual([
      [32, 0, ['4K']],
      [4, 0, ['2M', '1G']],
    ]);
    expect(c.l2?.arrays.map((a) => [a.entries, a.ways, a.pageSizes])).toEqual([[512, 1, ['4K']]]);
    expect([c.asidTagging, c.vmidTagging, c.gvmaByGpa]).toEqual([false, false, 'flush-vmid']);
  });

  it("rejects the separate organisation without a G-stage TLB, at gTlb", () => {
    expect(issuePaths({ organisation: 'separate' })).toEqual(['gTlb']);
  });

  it('rejects a G-stage TLB in the combined organisation, at gTlb', () => {
    expect(issuePaths({ organisation: 'combined', gTlb: l1(8) })).toEqual(['gTlb']);
  });

  it('accepts hybrid with or without a G-stage TLB', () => {
    expect(mmuTlbSchema.safeParse({ organisation: 'hybrid' }).success).toBe(true);
    expect(mmuTlbSchema.safeParse({ organisation: 'hybrid', gTlb: l1(8) }).success).toBe(true);
  });

  it('rejects a set count that is not a power of two, at the array', () => {
    expect(issuePaths({ dtlb: l1(24, 2) })).toEqual(['dtlb.arrays.0.ways']);
  });

  it('rejects tree-PLRU over a non-power-of-two associativity', () => {
    expect(issuePaths({ itlb: { arrays: [{ entries: 12, ways: 0, replacement: 'tree-plru' }] } })).toEqual(['itlb.arrays.0.replacement']);
    expect(mmuTlbSchema.safeParse({ itlb: { arrays: [{ entries: 12, ways: 0, replacement: 'lru' }] } }).success).toBe(true);
  });

  it('rejects a structure where no array holds 4 KiB pages', () => {
    expect(issuePaths({ dtlb: { arrays: [{ entries: 8, pageSizes: ['2M', '1G'] }] } })).toEqual(['dtlb.arrays']);
  });

  it('rejects a page size listed twice', () => {
    expect(issuePaths({ dtlb: { arrays: [{ entries: 8, pageSizes: ['4K', '4K'] }] } })).toEqual(['dtlb.arrays.0.pageSizes']);
  });

  it('describes every field (gem5-style declared parameters)', () => {
    const undocumented: string[] = [];
    const walk = (obj: z.ZodObject, path: string) => {
      for (const [k, v] of Object.entries(obj.shape)) {
        const field = v as z.ZodType;
        if (!field.description) undocumented.push(`${path}${k}`);
      }
    };
    walk(mmuTlbSchema, '');
    walk(tlbStructureSchema, 'structure.');
    walk(tlbArraySchema, 'array.');
    walk(fenceCostSchema, 'fenceCost.');
    expect(undocumented).toEqual([]);
  });
});
