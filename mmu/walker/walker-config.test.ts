import { describe, expect, it } from 'vitest';
import { WALKER_PRESETS, type WalkerPresetName, walkerSchema } from './walker-config.js';

describe('walker configuration', () => {
  it('defaults to the inorder-default preset', () => {
    expect(walkerSchema.parse({})).toEqual(walkerSchema.parse(WALKER_PRESETS['inorder-default'].walker));
  });

  for (const name of Object.keys(WALKER_PRESETS) as WalkerPresetName[]) {
    it(`accepts the ${name} preset as written, every field given`, () => {
      const input = WALKER_PRESETS[name].walker;
      expect(walkerSchema.parse(input)).toEqual(input);
    });
  }

  it('has no walk cache at all in the cva6-like preset (CVA6 walks every level of both stages)', () => {
    const c = walkerSchema.parse(WALKER_PRESETS['cva6-like'].walker);
    expect([c.pwcFirst.organisation, c.pwcG.organisation, c.nestedTlb]).toEqual(['none', 'none', null]);
  });

  it('describes every field', () => {
    const shape = walkerSchema.shape;
    for (const key of Object.keys(shape) as (keyof typeof shape)[]) expect(shape[key].description, key).toBeTruthy();
  });

  const bad: [string, unknown, RegExp][] = [
    ['a translation-path cache with ways', { pwcFirst: { organisation: 'tpc', entries: 8, ways: 2 } }, /fully associative: ways must be 0/],
    ['ways that do not divide the entries', { pwcG: { organisation: 'unified', entries: 6, ways: 4 } }, /must divide/],
    ['tree-plru over a non-power-of-two set', { pwcG: { organisation: 'unified', entries: 6, ways: 0, replacement: 'tree-plru' } }, /power-of-two associativity/],
    ['per-level sizes outside split', { pwcFirst: { organisation: 'unified', entriesByLevel: [4, 2] } }, /'split' organisation only/],
    ['a split level that the ways do not divide', { pwcFirst: { organisation: 'split', entries: 4, entriesByLevel: [4, 3], ways: 2, replacement: 'lru' } }, /must divide the entries of every array \(3\)/],
    ['a nested TLB with ways that do not divide its entries', { nestedTlb: { entries: 6, ways: 4 } }, /must divide/],
    ['an unknown field', { pwcFirst: { organization: 'split' } }, /organization/],
  ];
  for (const [what, input, message] of bad) {
    it(`rejects ${what}, naming the problem`, () => {
      const r = walkerSchema.safeParse(input);
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).toMatch(message);
    });
  }
});
