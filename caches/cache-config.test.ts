import { describe, expect, it } from 'vitest';
import { cachesSchema, PRESET_EXTRAS, PRESETS, type PresetName } from './cache-config.js';
import { MemoryHierarchy } from './hierarchy.js';

const NAMES = Object.keys(PRESETS) as PresetName[];

describe('caches configuration schema', () => {
  it('defaults to the inorder-default preset', () => {
    expect(cachesSchema.parse({})).toEqual(cachesSchema.parse(PRESETS['inorder-default'].caches));
  });

  it.each(NAMES)('preset %s validates and builds a hierarchy', (name) => {
    const cfg = cachesSchema.parse(PRESETS[name].caches);
    expect(() => new MemoryHierarchy(cfg, null)).not.toThrow();
  });

  it('preset geometry follows its sources', () => {
    const cva6 = new MemoryHierarchy(cachesSchema.parse(PRESETS['cva6-like'].caches), null);
    expect([cva6.l1i.sets, cva6.l1i.ways, cva6.l1i.lineBytes]).toEqual([256, 4, 16]); // 16 KiB 4-way
    expect([cva6.l1d.sets, cva6.l1d.ways, cva6.l1d.lineBytes, cva6.l1d.writeBack]).toEqual([256, 8, 16, false]); // 32 KiB 8-way WT
    expect(cva6.l2).toBeNull();
    const rocket = new MemoryHierarchy(cachesSchema.parse(PRESETS['inorder-default'].caches), null);
    expect([rocket.l1i.sets, rocket.l1d.sets, rocket.l2?.sets]).toEqual([64, 64, 1024]);
  });

  it('cva6-like extras hold the CVA6 TLB and predictor numbers', () => {
    const x = PRESET_EXTRAS['cva6-like'];
    expect([x.itlb.entries, x.dtlb.entries, x.sharedTlbEntries, x.pageWalkCacheEntries]).toEqual([16, 16, 0, 0]);
    expect([x.btbEntries, x.bhtEntries, x.rasEntries, x.walkers]).toEqual([32, 128, 2, 1]);
    expect(x.itlb.replacement).toBe('tree-plru');
  });

  it('an L2 can be left out', () => {
    expect(cachesSchema.parse({ l2: null }).l2).toBeNull();
  });

  it('rejects a walker entering at a missing L2, naming the field', () => {
    const r = cachesSchema.safeParse({ l2: null, walkerLevel: 'l2' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['walkerLevel']);
  });

  it('rejects geometry the model cannot index, at the offending field', () => {
    const sets = cachesSchema.safeParse({ l1d: { sizeBytes: 3 * 64 * 8 } });
    expect(sets.error?.issues.map((i) => i.path.join('.'))).toEqual(['l1d.sizeBytes']);
    const plru = cachesSchema.safeParse({ l1i: { ways: 3, sizeBytes: 3 * 64 * 4, replacement: 'tree-plru' } });
    expect(plru.error?.issues.map((i) => i.path.join('.'))).toEqual(['l1i.ways']);
    const line = cachesSchema.safeParse({ l1d: { lineBytes: 128, sizeBytes: 128 * 8 * 4 }, l2: { lineBytes: 64 } });
    expect(line.error?.issues.map((i) => i.path.join('.'))).toEqual(['l2.lineBytes']);
  });

  it('rejects unknown keys (strict sections)', () => {
    expect(cachesSchema.safeParse({ l1d: { size: 1024 } }).success).toBe(false);
    expect(cachesSchema.safeParse({ l3: {} }).success).toBe(false);
  });
});
