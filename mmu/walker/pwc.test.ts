import { describe, expect, it } from 'vitest';
import { PageWalkCache } from './pwc.js';
import { walkerSchema } from './walker-config.js';

type Org = 'split' | 'unified' | 'tpc';
const BARR = 'Barr, Cox and Rixner, ISCA 2010';

function pwc(organisation: Org | 'none', over: Record<string, unknown> = {}) {
  const cfg = walkerSchema.parse({ pwcFirst: { organisation, entries: 8, ways: 0, replacement: 'lru', latency: 3, ...over } }).pwcFirst;
  return new PageWalkCache(cfg);
}

/** A page number from Sv48 indices, root (level 3) first. */
function vpn(i3: number, i2: number, i1: number, i0: number): number {
  return ((i3 * 512 + i2) * 512 + i1) * 512 + i0;
}

/** What a full Sv48 walk of page v (4 KiB leaf) leaves: the non-leaf PTEs of levels 3..1. */
function walked(p: PageWalkCache, space: number, v: number): void {
  p.fill(space, v, 4, 3, 1);
}

describe('page-walk cache: every organisation', () => {
  for (const org of ['split', 'unified', 'tpc'] as const) {
    describe(org, () => {
      it(`lets a walk of a neighbouring page skip every level down to 1, the deepest hit winning (${BARR})`, () => {
        const p = pwc(org);
        expect(p.lookup(0, vpn(1, 2, 3, 4), 4, 0)).toBe(4); // cold: nothing to skip
        walked(p, 0, vpn(1, 2, 3, 4));
        expect(p.lookup(0, vpn(1, 2, 3, 5), 4, 0)).toBe(1); // same level-0 table
        expect(p.lookup(0, vpn(1, 2, 9, 5), 4, 0)).toBe(2); // same level-1 table
        expect(p.lookup(0, vpn(1, 7, 9, 5), 4, 0)).toBe(3); // same level-2 table
        expect(p.lookup(0, vpn(2, 2, 3, 4), 4, 0)).toBe(4); // another root entry
        expect([p.lookups, p.misses, p.hits[1], p.hits[2], p.hits[3]]).toEqual([5, 2, 1, 1, 1]);
        expect(p.latency).toBe(3);
      });

      it('never serves a level at or below the deepest level the walk itself read (a superpage leaf)', () => {
        const p = pwc(org);
        walked(p, 0, vpn(1, 2, 3, 4));
        expect(p.lookup(0, vpn(1, 2, 3, 5), 4, 1)).toBe(2); // this walk's leaf is at level 1
      });

      it('keeps address spaces apart', () => {
        const p = pwc(org);
        walked(p, 5, vpn(1, 2, 3, 4));
        expect(p.lookup(6, vpn(1, 2, 3, 4), 4, 0)).toBe(4);
        expect(p.lookup(5, vpn(1, 2, 3, 4), 4, 0)).toBe(1);
      });

      it('keeps paging modes apart: an Sv39 walk does not use Sv48 entries', () => {
        const p = pwc(org);
        walked(p, 0, vpn(0, 2, 3, 4));
        expect(p.lookup(0, vpn(0, 2, 3, 5), 3, 0)).toBe(3);
      });

      it('drops the entries of the address spaces a fence selects', () => {
        const p = pwc(org);
        walked(p, 1, vpn(1, 2, 3, 4));
        walked(p, 2, vpn(1, 2, 3, 4));
        const dropped = p.invalidate((space) => space === 1);
        expect(dropped).toBe(org === 'tpc' ? 1 : 3);
        expect(p.invalidated).toBe(dropped);
        expect(p.lookup(1, vpn(1, 2, 3, 4), 4, 0)).toBe(4);
        expect(p.lookup(2, vpn(1, 2, 3, 4), 4, 0)).toBe(1);
      });

      it('keys G-stage entries by the whole x4 root index: GPA bits 40:39 are part of the level-2 tag of Sv39x4 (hypervisor.adoc norm:hgatp_mode_x4)', () => {
        const p = pwc(org);
        const page = 0x4040_0; // GPA 0x4040_0000
        p.fill(0, page, 3, 2, 1);
        expect(p.lookup(0, page + 1, 3, 0)).toBe(1);
        expect(p.lookup(0, page + 2 ** 27, 3, 0)).toBe(3); // GPA bit 39 set: another root PTE
        expect(p.lookup(0, page + 2 ** 28, 3, 0)).toBe(3); // GPA bit 40 set
      });
    });
  }

  it("'none' holds nothing, costs nothing and counts no lookups", () => {
    const p = pwc('none');
    walked(p, 0, vpn(1, 2, 3, 4));
    expect(p.lookup(0, vpn(1, 2, 3, 4), 4, 0)).toBe(4);
    expect([p.enabled, p.latency, p.lookups, p.occupancy()]).toEqual([false, 0, 0, 0]);
  });
});

describe('page-walk cache: how the organisations differ (Barr, Cox and Rixner, ISCA 2010)', () => {
  it('split: each level has its own array, so deep entries cannot crowd out the upper ones', () => {
    const p = pwc('split', { entries: 2 });
    for (let i1 = 0; i1 < 4; i1++) walked(p, 0, vpn(1, 2, i1, 0)); // four level-1 entries, one level-2/3 path
    expect(p.lookup(0, vpn(1, 2, 0, 7), 4, 0)).toBe(2); // level-1 entry of i1=0 evicted, level 2 kept
    expect(p.lookup(0, vpn(1, 2, 3, 7), 4, 0)).toBe(1);
  });

  it('split: entriesByLevel sizes each level, the last size serving the levels beyond the list', () => {
    const p = pwc('split', { entries: 8, entriesByLevel: [1, 4] });
    walked(p, 0, vpn(1, 2, 3, 0));
    walked(p, 0, vpn(1, 2, 4, 0));
    expect(p.lookup(0, vpn(1, 2, 3, 9), 4, 0)).toBe(2); // level 1 holds one entry: i1=3 is gone
    expect(p.occupancy()).toBe(1 + 1 + 1);
  });

  it('unified: all levels share the entries, so a path of three levels takes three of them', () => {
    const p = pwc('unified', { entries: 4 });
    walked(p, 0, vpn(1, 2, 3, 0)); // 3 entries: levels 3, 2, 1
    walked(p, 0, vpn(5, 6, 7, 0)); // 3 more: evicts the two oldest (levels 3 and 2 of the first)
    expect(p.occupancy()).toBe(4);
    expect(p.evictions).toBe(2);
    expect(p.lookup(0, vpn(1, 2, 3, 9), 4, 0)).toBe(1); // level 1 survived
    expect(p.lookup(0, vpn(1, 2, 8, 9), 4, 0)).toBe(4); // level 2 of that path is gone
  });

  it('tpc: one entry per path, matched by the longest common prefix of indices', () => {
    const p = pwc('tpc', { entries: 2 });
    walked(p, 0, vpn(1, 2, 3, 0));
    expect(p.occupancy()).toBe(1);
    walked(p, 0, vpn(1, 2, 3, 5)); // the same path: nothing new
    expect(p.occupancy()).toBe(1);
    walked(p, 0, vpn(1, 2, 4, 0)); // shares levels 3 and 2: a second entry all the same
    expect(p.occupancy()).toBe(2);
    walked(p, 0, vpn(9, 9, 9, 0)); // evicts the least recently used path (1, 2, 3)
    expect(p.lookup(0, vpn(1, 2, 3, 7), 4, 0)).toBe(2); // (1, 2, 4) still gives levels 3 and 2
  });

  it('tpc: a partial path (walk ended in a superpage) is extended by a later, deeper walk under it', () => {
    const p = pwc('tpc', { entries: 2 });
    p.fill(0, vpn(1, 2, 3, 0), 4, 3, 2); // leaf at level 1: PTEs of levels 3 and 2 only
    expect(p.lookup(0, vpn(1, 2, 8, 0), 4, 0)).toBe(2);
    walked(p, 0, vpn(1, 2, 8, 0));
    expect(p.occupancy()).toBe(1);
    expect(p.lookup(0, vpn(1, 2, 8, 1), 4, 0)).toBe(1);
  });
});
