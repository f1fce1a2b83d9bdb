import { describe, expect, it } from 'vitest';
import { FenceScope } from '../ports.js';
import { EntryKind, InvalidationCount, TlbArray, TlbFill } from './tlb-array.js';

/** What the strict mode and the fence sanitizer read from a TLB array besides lookups. */
function array(): TlbArray {
  return new TlbArray({ entries: 2, ways: 0, replacement: 'lru', seed: 1, levels: [0] }, { asidTagging: true, vmidTagging: true, keepGpa: false });
}

function fill(page: number, out: number, perm = 0): TlbFill {
  const f = new TlbFill();
  f.kind = EntryKind.Native;
  f.page = page;
  f.outPage = out;
  f.gpaPage = out;
  f.perm = perm;
  return f;
}

describe('TLB array slots: find, generations, cached flags', () => {
  it('find() answers as lookup() without touching the replacement order', () => {
    const a = array();
    a.insert(fill(1, 11));
    a.insert(fill(2, 12));
    // LRU order: page 1 is the victim. find() on it must not save it.
    expect(a.outOf(a.find(0, 1), 1)).toBe(11);
    a.insert(fill(3, 13));
    expect(a.find(0, 1)).toBe(-1);
    expect(a.lookup(0, 2)).toBe(12);
  });

  it('bumps a slot\'s generation whenever its entry is replaced or dropped, and remembers the last fill', () => {
    const a = array();
    a.insert(fill(1, 11));
    const slot = a.lastFill;
    const g0 = a.gen[slot]!;
    a.dropSlot(slot);
    expect([a.valid(slot), a.gen[slot]]).toEqual([false, g0 + 1]);
    a.insert(fill(1, 11));
    const s = a.lastFill;
    const g1 = a.gen[s]!;
    const all = new FenceScope();
    a.invalidate(all, false, new InvalidationCount(), null);
    expect(a.gen[s]).toBe(g1 + 1);
  });

  it('keeps the leaf flags a fill carried (TlbFill.perm)', () => {
    const a = array();
    a.insert(fill(7, 17, 0xdf | (0xcf << 8)));
    expect(a.permOf(a.find(0, 7))).toBe(0xdf | (0xcf << 8));
  });
});
