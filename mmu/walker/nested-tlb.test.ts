import { describe, expect, it } from 'vitest';
import { NestedTlb } from './nested-tlb.js';
import { nestedTlbSchema } from './walker-config.js';

const cfg = (over = {}) => nestedTlbSchema.parse({ entries: 4, ways: 0, replacement: 'lru', latency: 2, ...over });

describe('nested TLB (Bhargava et al., ASPLOS 2008)', () => {
  it('maps a guest page-table page to its host page under one VMID, counting hits and misses', () => {
    const t = new NestedTlb(cfg());
    expect(t.latency).toBe(2);
    expect(t.lookup(3, 0x40400)).toBe(-1);
    t.insert(3, 0x40400, 0x80400, 0);
    expect(t.lookup(3, 0x40400)).toBe(0x80400);
    expect(t.lookup(4, 0x40400)).toBe(-1); // another VM
    expect([t.hits, t.misses, t.fills]).toEqual([1, 2, 1]);
  });

  it('evicts when full and counts the eviction', () => {
    const t = new NestedTlb(cfg({ entries: 2 }));
    t.insert(0, 1, 11, 0);
    t.insert(0, 2, 12, 0);
    t.insert(0, 3, 13, 0);
    expect(t.evictions).toBe(1);
    expect(t.lookup(0, 1)).toBe(-1);
  });

  describe('HFENCE.GVMA (hypervisor.adoc norm:hfence-gvma_op)', () => {
    it('with a GPA drops the entries whose G-stage leaf maps it, superpage leaves included, for that VMID only', () => {
      const t = new NestedTlb(cfg());
      t.insert(1, 0x40400, 0x80400, 0); // 4 KiB leaf
      t.insert(1, 0x40401, 0x80401, 0);
      t.insert(1, 0x40600, 0x80600, 1); // from a 2 MiB leaf covering pages 0x40600..0x407ff
      t.insert(2, 0x40400, 0x90400, 0);
      expect(t.invalidate(1, 0x40400)).toBe(1);
      expect(t.lookup(1, 0x40401)).toBe(0x80401);
      expect(t.lookup(2, 0x40400)).toBe(0x90400);
      expect(t.invalidate(1, 0x407ff)).toBe(1); // another page of the same 2 MiB leaf
      expect(t.lookup(1, 0x40600)).toBe(-1);
      expect(t.invalidated).toBe(2);
    });

    it('without a GPA drops a VMID\'s entries, or every entry with no VMID', () => {
      const t = new NestedTlb(cfg());
      t.insert(1, 10, 20, 0);
      t.insert(1, 11, 21, 0);
      t.insert(2, 10, 30, 0);
      expect(t.invalidate(1, -1)).toBe(2);
      expect(t.occupancy()).toBe(1);
      expect(t.invalidate(-1, -1)).toBe(1);
      expect(t.occupancy()).toBe(0);
    });
  });
});
