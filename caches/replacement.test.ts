import { describe, expect, it } from 'vitest';
import { LruPolicy, RandomPolicy, TreePlruPolicy } from './replacement.js';

describe('replacement policies in a full set', () => {
  it('LRU picks the way used longest ago, per set', () => {
    const p = new LruPolicy(2, 4);
    for (const w of [0, 1, 2, 3]) p.touch(0, w);
    for (const w of [3, 2, 1, 0]) p.touch(1, w);
    expect(p.victim(0)).toBe(0);
    expect(p.victim(1)).toBe(3);
    p.touch(0, 0);
    expect(p.victim(0)).toBe(1);
  });

  it('tree-PLRU follows the node bits away from the most recent uses', () => {
    const p = new TreePlruPolicy(1, 8);
    for (let w = 0; w < 8; w++) p.touch(0, w);
    // After uses 0..7 every node points left (its last use came from its right subtree): way 0.
    expect(p.victim(0)).toBe(0);
    // Using 0 turns the root to the 4..7 half, whose nodes still point left: way 4.
    p.touch(0, 0);
    expect(p.victim(0)).toBe(4);
    // Using 4 turns the root back left, where node 2 now points right (away from 0): way 2.
    p.touch(0, 4);
    expect(p.victim(0)).toBe(2);
  });

  it('tree-PLRU with one way always picks way 0', () => {
    const p = new TreePlruPolicy(4, 1);
    p.touch(3, 0);
    expect(p.victim(3)).toBe(0);
  });

  it('seeded random: the same seed gives the same sequence, victims stay in range', () => {
    const a = new RandomPolicy(8, 42);
    const b = new RandomPolicy(8, 42);
    const c = new RandomPolicy(8, 43);
    const sa = Array.from({ length: 32 }, () => a.victim(0));
    const sb = Array.from({ length: 32 }, () => b.victim(0));
    const sc = Array.from({ length: 32 }, () => c.victim(0));
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const v of sa) expect(v >= 0 && v < 8).toBe(true);
    expect(new Set(sa).size).toBeGreaterThan(4); // it actually spreads over the ways
  });

  it('seed 0 still yields a working generator (xorshift must not start at 0)', () => {
    const r = new RandomPolicy(4, 0);
    const outs = new Set(Array.from({ length: 16 }, () => r.next()));
    expect(outs.size).toBe(16);
  });
});
