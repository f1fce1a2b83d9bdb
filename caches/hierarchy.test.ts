import { describe, expect, it } from 'vitest';
import { StatRegistry } from '../common/stats.js';
import { REQUESTER_NAMES } from './cache.js';
import { cachesSchema, PRESETS, type CachesConfigInput } from './cache-config.js';
import { MemoryHierarchy, Requester } from './hierarchy.js';

/** Small, fully specified caches: L1s 256 B 4-way 64-byte lines (1 set), L2 256 B direct-mapped (4 sets). */
function build(over: Partial<CachesConfigInput> = {}, l2Over: Record<string, unknown> = {}) {
  const l1 = { sizeBytes: 256, ways: 4, lineBytes: 64, replacement: 'lru' as const };
  const cfg = cachesSchema.parse({
    l1i: { ...l1, hitLatency: 1 },
    l1d: { ...l1, hitLatency: 2 },
    l2: { sizeBytes: 256, ways: 1, lineBytes: 64, hitLatency: 10, replacement: 'lru', inclusion: 'non-inclusive', ...l2Over },
    dram: { latency: 100, transferCycles: 0 },
    ...over,
  });
  const reg = new StatRegistry();
  const h = new MemoryHierarchy(cfg, reg.scope('caches'));
  return { h, reg };
}

const A = 0x8000_0000;
const C = A + 256; // same L2 set as A (L2: 4 sets of 64 bytes)

describe('MemoryHierarchy: latencies add up level by level', () => {
  it('L1 miss + L2 miss, then L1 hit; another L1 missing into a warm L2', () => {
    const { h } = build();
    expect(h.access(A, Requester.Load, 0)).toBe(2 + 10 + 100);
    expect(h.access(A + 8, Requester.Load, 0)).toBe(2);
    expect(h.access(A, Requester.Fetch, 0)).toBe(1 + 10); // L1I misses, the L2 has the line
  });

  it('without an L2, L1 misses go straight to DRAM', () => {
    const { h } = build({ l2: null });
    expect(h.l2).toBeNull();
    expect(h.access(A, Requester.Store, 0)).toBe(2 + 100);
    expect(h.access(A, Requester.Load, 0)).toBe(2);
  });
});

describe('MemoryHierarchy: routing', () => {
  it('fetch goes to the L1I, loads and stores to the L1D', () => {
    const { h } = build();
    h.access(A, Requester.Fetch, 0);
    h.access(A + 64, Requester.Load, 0);
    h.access(A + 128, Requester.Store, 0);
    expect(h.l1i.accesses[Requester.Fetch]).toBe(1);
    expect(h.l1d.accesses[Requester.Load]).toBe(1);
    expect(h.l1d.accesses[Requester.Store]).toBe(1);
    expect(h.l1i.accesses[Requester.Load] + h.l1d.accesses[Requester.Fetch]).toBe(0);
  });

  it('walker PTE reads enter at the L1D when walkerLevel is l1d', () => {
    const { h } = build({ walkerLevel: 'l1d' });
    expect(h.access(A, Requester.WalkerVS, 0)).toBe(2 + 10 + 100);
    expect(h.access(A, Requester.WalkerG, 0)).toBe(2);
    expect(h.l1d.accesses[Requester.WalkerVS]).toBe(1);
    expect(h.l1d.hits[Requester.WalkerG]).toBe(1);
  });

  it('walker PTE reads bypass the L1D when walkerLevel is l2', () => {
    const { h } = build({ walkerLevel: 'l2' });
    expect(h.access(A, Requester.WalkerNative, 0)).toBe(10 + 100);
    expect(h.access(A, Requester.WalkerVS, 0)).toBe(10);
    expect(h.l1d.accesses[Requester.WalkerNative] + h.l1d.accesses[Requester.WalkerVS]).toBe(0);
    expect(h.l2?.hits[Requester.WalkerVS]).toBe(1);
    expect(h.l1d.contains(A)).toBe(false);
  });

  it('FENCE.I empties the L1I only', () => {
    const { h } = build();
    h.access(A, Requester.Fetch, 0);
    h.access(A, Requester.Load, 0);
    h.invalidateL1I();
    expect(h.access(A, Requester.Fetch, 0)).toBe(1 + 10);
    expect(h.access(A, Requester.Load, 0)).toBe(2);
    expect(h.l1i.flushes).toBe(1);
  });
});

describe('MemoryHierarchy: write policies across levels', () => {
  it('write-back L1D: a dirty eviction is written back into the L2, which holds it dirty', () => {
    const { h } = build();
    h.access(A, Requester.Store, 0);
    for (let i = 1; i <= 4; i++) h.access(A + 64 * i, Requester.Load, 0); // 4 more lines: A is the LRU victim
    expect(h.l1d.contains(A)).toBe(false);
    expect(h.l1d.writebacks).toBe(1);
    expect(h.l2?.writebacksReceived).toBe(1);
    expect(h.l2?.isDirty(A)).toBe(true);
  });

  it('write-through L1D: no dirty line, every store reaches the L2 as a store', () => {
    const { h } = build({ l1d: { sizeBytes: 256, ways: 4, lineBytes: 64, hitLatency: 2, writePolicy: 'write-through' } });
    h.access(A, Requester.Store, 0); // miss, not allocated
    h.access(A, Requester.Load, 0);
    h.access(A + 8, Requester.Store, 0); // hit
    h.access(A + 64, Requester.Store, 0); // miss
    expect(h.l1d.dirtyLines()).toBe(0);
    expect(h.l1d.contains(A + 64)).toBe(false);
    expect(h.l2?.accesses[Requester.Store]).toBe(3);
    expect(h.l2?.isDirty(A)).toBe(true); // the write-back L2 absorbs the stores
    expect(h.l1d.writebacks).toBe(0);
  });
});

describe('MemoryHierarchy: L2 inclusion', () => {
  it('inclusive: an L2 eviction back-invalidates the L1 copy', () => {
    const { h } = build({}, { inclusion: 'inclusive' });
    h.access(A, Requester.Load, 0);
    h.access(C, Requester.Load, 0); // L2 set conflict: A leaves the L2, and so the L1D
    expect(h.l1d.contains(A)).toBe(false);
    expect(h.l1d.backInvalidations).toBe(1);
    expect(h.access(A, Requester.Load, 0)).toBe(2 + 10 + 100);
  });

  it('inclusive: a dirty L1 copy dropped by back-invalidation is written to DRAM with the L2 victim', () => {
    const { h, reg } = build({}, { inclusion: 'inclusive' });
    h.access(A, Requester.Store, 0);
    h.access(C, Requester.Load, 0);
    expect(h.l2?.writebacks).toBe(1);
    expect(reg.snapshot()['caches.dram.writes']).toBe(1);
  });

  it('non-inclusive: the L1 keeps its copy when the L2 evicts', () => {
    const { h, reg } = build({}, { inclusion: 'non-inclusive' });
    h.access(A, Requester.Store, 0);
    h.access(C, Requester.Load, 0);
    expect(h.l1d.contains(A)).toBe(true);
    expect(h.l2?.contains(A)).toBe(false);
    expect(h.access(A, Requester.Load, 0)).toBe(2);
    expect(reg.snapshot()['caches.dram.writes']).toBe(0); // the dirty data is still in the L1D
  });
});

describe('MemoryHierarchy: statistics', () => {
  /** A deterministic mixed stream over 16 KiB through the tiny preset. */
  function runTiny() {
    const reg = new StatRegistry();
    const h = new MemoryHierarchy(cachesSchema.parse(PRESETS.tiny.caches), reg.scope('caches'));
    let x = 0x2545f491;
    for (let i = 0; i < 3000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const who = ((x >>> 0) % 6) as Requester;
      const pa = 0x8000_0000 + (((x >>> 8) & 0x3ff) << 4);
      h.access(pa, who, i);
    }
    return { h, s: reg.snapshot() };
  }

  it('registers gem5-style names for every cache and requester, and the DRAM counters', () => {
    const { s } = runTiny();
    for (const c of ['l1i', 'l1d', 'l2']) {
      for (const r of REQUESTER_NAMES) for (const k of ['accesses', 'hits', 'misses']) expect(s).toHaveProperty([`caches.${c}.${k}.${r}`]);
      for (const k of ['evictions', 'writebacks']) expect(s).toHaveProperty([`caches.${c}.${k}`]);
    }
    for (const k of ['accesses', 'rowHits', 'rowMisses', 'queueCycles']) expect(s).toHaveProperty([`caches.dram.${k}`]);
  });

  it('names requesters in Requester order', () => {
    expect(REQUESTER_NAMES[Requester.Fetch]).toBe('fetch');
    expect(REQUESTER_NAMES[Requester.Store]).toBe('store');
    expect(REQUESTER_NAMES[Requester.WalkerVS]).toBe('walkerVS');
    expect(REQUESTER_NAMES[Requester.WalkerG]).toBe('walkerG');
    expect(REQUESTER_NAMES[Requester.WalkerNative]).toBe('walkerNative');
  });

  it('hits + misses = accesses for every cache and requester', () => {
    const { s } = runTiny();
    for (const c of ['l1i', 'l1d', 'l2']) {
      for (const r of REQUESTER_NAMES) {
        expect(s[`caches.${c}.hits.${r}`] + s[`caches.${c}.misses.${r}`]).toBe(s[`caches.${c}.accesses.${r}`]);
      }
    }
    expect(s['caches.l1d.accesses.walkerG']).toBeGreaterThan(0);
  });

  it('traffic is conserved between levels (write-back L1D, write-back non-inclusive L2)', () => {
    const { h, s } = runTiny();
    const sum = (c: string, k: string) => REQUESTER_NAMES.reduce((t, r) => t + s[`caches.${c}.${k}.${r}`], 0);
    expect(sum('l2', 'accesses')).toBe(sum('l1i', 'misses') + sum('l1d', 'misses'));
    expect(s['caches.l2.writebacksReceived']).toBe(s['caches.l1d.writebacks']);
    expect(s['caches.dram.writes']).toBe(s['caches.l2.writebacks']);
    expect(s['caches.dram.accesses'] - s['caches.dram.writes']).toBe(sum('l2', 'misses'));
    expect(h.l1i.writebacks).toBe(0);
  });
});
