import { describe, expect, it } from 'vitest';
import { KeyStore } from './key-store.js';

describe('KeyStore', () => {
  it('finds a key only under its own tag, space and kind, and keeps its payload', () => {
    const s = new KeyStore(4, 0, 'lru', 1);
    const slot = s.insert(0x12345, 7, 3, 0x999, 2);
    expect(s.find(0x12345, 7, 3)).toBe(slot);
    expect([s.value[slot], s.aux[slot]]).toEqual([0x999, 2]);
    expect(s.find(0x12345, 8, 3)).toBe(-1);
    expect(s.find(0x12345, 7, 4)).toBe(-1);
    expect(s.find(0x12346, 7, 3)).toBe(-1);
  });

  it('holds tags up to 2^47 exactly', () => {
    const s = new KeyStore(2, 0, 'lru', 1);
    s.insert(2 ** 47 - 1, 0, 0, 0, 0);
    expect(s.find(2 ** 47 - 2, 0, 0)).toBe(-1);
    expect(s.find(2 ** 47 - 1, 0, 0)).toBeGreaterThanOrEqual(0);
  });

  it('rewrites the payload of a key already present instead of taking a second way', () => {
    const s = new KeyStore(2, 0, 'lru', 1);
    const a = s.insert(5, 0, 0, 1, 0);
    expect(s.insert(5, 0, 0, 2, 1)).toBe(a);
    expect(s.occupancy()).toBe(1);
    expect(s.value[a]).toBe(2);
    expect(s.lastEvicted).toBe(false);
  });

  it('fills invalid ways first, then evicts the least recently used way of the set', () => {
    const s = new KeyStore(2, 0, 'lru', 1);
    s.insert(1, 0, 0, 0, 0);
    s.insert(2, 0, 0, 0, 0);
    expect(s.lastEvicted).toBe(false);
    s.find(1, 0, 0); // 2 is now the LRU
    s.insert(3, 0, 0, 0, 0);
    expect(s.lastEvicted).toBe(true);
    expect(s.find(2, 0, 0)).toBe(-1);
    expect(s.find(1, 0, 0)).toBeGreaterThanOrEqual(0);
    expect(s.find(3, 0, 0)).toBeGreaterThanOrEqual(0);
  });

  it('does not reorder on probe, only on find', () => {
    const s = new KeyStore(2, 0, 'lru', 1);
    s.insert(1, 0, 0, 0, 0);
    s.insert(2, 0, 0, 0, 0);
    s.probe(1, 0, 0); // 1 stays the LRU
    s.insert(3, 0, 0, 0, 0);
    expect(s.probe(1, 0, 0)).toBe(-1);
  });

  it('places keys by tag (offset by kind) into sets: keys of different sets never evict each other', () => {
    const s = new KeyStore(4, 2, 'lru', 1); // 2 sets of 2 ways
    expect([s.sets, s.ways]).toEqual([2, 2]);
    for (const tag of [0, 2, 4]) s.insert(tag, 0, 0, 0, 0); // all in set 0: 0 is evicted
    s.insert(1, 0, 0, 0, 0); // set 1
    expect(s.probe(0, 0, 0)).toBe(-1);
    expect(s.probe(2, 0, 0)).toBeGreaterThanOrEqual(0);
    expect(s.probe(4, 0, 0)).toBeGreaterThanOrEqual(0);
    expect(s.setOf(4, 1)).toBe(1);
  });

  it('drops what a predicate selects and counts it', () => {
    const s = new KeyStore(4, 0, 'lru', 1);
    for (let t = 0; t < 4; t++) s.insert(t, t % 2, 0, 0, 0);
    expect(s.drop((slot) => s.space[slot] === 1)).toBe(2);
    expect(s.occupancy()).toBe(2);
    expect(s.probe(1, 1, 0)).toBe(-1);
    expect(s.probe(2, 0, 0)).toBeGreaterThanOrEqual(0);
  });

  it('rejects a geometry whose ways do not divide the entries', () => {
    expect(() => new KeyStore(6, 4, 'lru', 1)).toThrow(/6 entries cannot have 4 ways/);
  });
});
