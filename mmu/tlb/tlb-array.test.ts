import { describe, expect, it } from 'vitest';
import { FenceScope } from '../ports.js';
import { type CollateralSink, EntryKind, InvalidationCount, MASK_ANY_ASID, TAG_V, TAG_VMID_SHIFT, type TagPolicy, TlbArray, type TlbArrayParams, TlbFill } from './tlb-array.js';

const TAGGED: TagPolicy = { asidTagging: true, vmidTagging: true, keepGpa: false };
const M2 = 512; // 4 KiB pages in a 2 MiB page

function array(p: Partial<TlbArrayParams> = {}, policy: TagPolicy = TAGGED): TlbArray {
  return new TlbArray({ entries: 4, ways: 0, replacement: 'lru', seed: 1, levels: [0, 1, 2], ...p }, policy);
}

interface FillSpec {
  kind?: EntryKind;
  tag?: number;
  global?: boolean;
  page: number;
  out: number;
  gpa?: number;
  level?: number;
  firstLevel?: number;
  gLevel?: number;
}

function fill(s: FillSpec): TlbFill {
  const f = new TlbFill();
  f.kind = s.kind ?? EntryKind.Native;
  f.tag = s.tag ?? 0;
  f.trueTag = f.tag;
  f.global = s.global ?? false;
  f.mask = f.global ? MASK_ANY_ASID : -1;
  f.page = s.page;
  f.outPage = s.out;
  f.gpaPage = s.gpa ?? s.out;
  f.level = s.level ?? 0;
  f.firstLevel = s.firstLevel ?? f.level;
  f.gLevel = s.gLevel ?? -1;
  return f;
}

function scope(p: Partial<FenceScope>): FenceScope {
  return Object.assign(new FenceScope(), p);
}

class Sink implements CollateralSink {
  readonly pages: number[] = [];
  collateral(_k: EntryKind, _t: number, _m: number, base: number): void {
    this.pages.push(base);
  }
}

function drop(a: TlbArray, s: FenceScope, sink: Sink | null = null): InvalidationCount {
  const c = new InvalidationCount();
  a.invalidate(s, false, c, sink);
  return c;
}

describe('TLB array lookups', () => {
  it('translates every 4 KiB page of a 2 MiB entry by its offset in the page', () => {
    const a = array();
    a.insert(fill({ page: 3 * M2 + 7, out: 10 * M2 + 7, level: 1 }));
    expect(a.lookup(0, 3 * M2)).toBe(10 * M2);
    expect(a.lookup(0, 3 * M2 + 511)).toBe(10 * M2 + 511);
    expect(a.lookup(0, 4 * M2)).toBe(-1);
  });

  it('misses under another ASID, but a global entry matches every ASID (supervisor.adoc "global mappings")', () => {
    const a = array();
    a.insert(fill({ tag: 5, page: 1, out: 100 }));
    a.insert(fill({ tag: 5, page: 2, out: 200, global: true }));
    expect(a.lookup(6, 1)).toBe(-1);
    expect(a.lookup(5, 1)).toBe(100);
    expect(a.lookup(6, 2)).toBe(200);
  });

  it('keeps V=0 and V=1 entries of the same page apart', () => {
    const a = array();
    a.insert(fill({ page: 1, out: 100 }));
    expect(a.lookup(TAG_V, 1)).toBe(-1);
  });

  it('evicts the least recently used entry of a full fully associative array', () => {
    const a = array();
    for (let p = 1; p <= 4; p++) a.insert(fill({ page: p, out: 100 + p }));
    expect(a.lookup(0, 1)).toBe(101); // 1 is now the most recent; 2 the least
    a.insert(fill({ page: 5, out: 105 }));
    expect(a.evictions).toBe(1);
    expect(a.lookup(0, 2)).toBe(-1);
    for (const p of [1, 3, 4, 5]) expect(a.lookup(0, p)).toBe(100 + p);
  });

  it('indexes a direct-mapped array by the page number: pages sets apart collide, neighbours do not', () => {
    const a = array({ entries: 8, ways: 1, levels: [0] });
    a.insert(fill({ page: 1, out: 101 }));
    a.insert(fill({ page: 2, out: 102 }));
    expect([a.lookup(0, 1), a.lookup(0, 2)]).toEqual([101, 102]);
    a.insert(fill({ page: 9, out: 109 })); // 9 mod 8 = 1
    expect([a.lookup(0, 1), a.lookup(0, 9)]).toEqual([-1, 109]);
  });

  it('finds a 2 MiB entry in a set-associative multi-size array by probing at the 2 MiB index', () => {
    const a = array({ entries: 8, ways: 2, levels: [0, 1] });
    a.insert(fill({ page: 5 * M2, out: 9 * M2, level: 1 }));
    a.insert(fill({ page: 5 * M2 + 3, out: 77, level: 0 })); // another translation in its own 4 KiB set
    expect(a.lookup(0, 5 * M2 + 100)).toBe(9 * M2 + 100);
  });

  it('stores a 2 MiB page splintered in a 4K-only array: only the accessed 4 KiB page hits', () => {
    const a = array({ levels: [0] });
    expect(a.storedLevel(1)).toBe(0);
    expect(a.insert(fill({ page: 2 * M2 + 10, out: 8 * M2 + 10, level: 1 }))).toBe(true);
    expect(a.lookup(0, 2 * M2 + 10)).toBe(8 * M2 + 10);
    expect(a.lookup(0, 2 * M2 + 11)).toBe(-1);
  });

  it('stores a 1 GiB page as a 2 MiB entry in an array that holds 4K and 2M only', () => {
    const a = array({ levels: [0, 1] });
    expect(a.storedLevel(2)).toBe(1);
    a.insert(fill({ page: 512 * M2 + M2 + 3, out: 1024 * M2 + M2 + 3, level: 2 }));
    expect(a.lookup(0, 512 * M2 + M2)).toBe(1024 * M2 + M2);
    expect(a.lookup(0, 512 * M2 + 2 * M2)).toBe(-1);
  });

  it('cannot store a 4 KiB page in a superpage-only array', () => {
    const a = array({ levels: [1, 2] });
    expect(a.storedLevel(0)).toBe(-1);
    expect(a.insert(fill({ page: 1, out: 1 }))).toBe(false);
    expect(a.validCount()).toBe(0);
  });

  it('rewrites an entry filled twice in place (walker and organisation may both fill)', () => {
    const a = array();
    a.insert(fill({ page: 1, out: 100 }));
    a.insert(fill({ page: 1, out: 100 }));
    expect(a.validCount()).toBe(1);
  });
});

describe('TLB array invalidation', () => {
  it('drops every splinter of a 2 MiB leaf on a fence by an address anywhere in it (supervisor.adoc norm:sfence_vma_va_all_asid)', () => {
    const a = array({ levels: [0] });
    a.insert(fill({ page: M2 + 1, out: 4 * M2 + 1, level: 1 }));
    a.insert(fill({ page: M2 + 2, out: 4 * M2 + 2, level: 1 }));
    a.insert(fill({ page: 2 * M2, out: 50 }));
    const c = drop(a, scope({ stage: 'first', page: M2 + 300 }));
    expect([c.dropped, c.stale]).toEqual([2, 2]);
    expect(a.lookup(0, 2 * M2)).toBe(50);
  });

  it("spares global entries on an ASID-specific fence (supervisor.adoc norm:sfence_vma_asid_only)", () => {
    const a = array();
    a.insert(fill({ tag: 3, page: 1, out: 1 }));
    a.insert(fill({ tag: 3, page: 2, out: 2, global: true }));
    a.insert(fill({ tag: 4, page: 3, out: 3 }));
    const c = drop(a, scope({ stage: 'first', asid: 3 }));
    expect([c.dropped, c.stale]).toEqual([1, 1]);
    expect([a.lookup(3, 2), a.lookup(4, 3)]).toEqual([2, 3]);
  });

  it('without ASID tags drops every non-global entry on an ASID-specific fence, the other ASIDs as collateral', () => {
    const untagged: TagPolicy = { asidTagging: false, vmidTagging: true, keepGpa: false };
    const a = array({}, untagged);
    // Hardware tags are 0 (no ASID field); the true ASIDs are 3 and 4.
    const f = (asid: number, page: number) => Object.assign(fill({ page, out: page }), { tag: 0, trueTag: asid });
    a.insert(f(3, 1));
    a.insert(f(4, 2));
    a.insert(Object.assign(f(4, 3), { global: true, mask: MASK_ANY_ASID }));
    const sink = new Sink();
    const c = drop(a, scope({ stage: 'first', asid: 3 }), sink);
    expect([c.dropped, c.stale]).toEqual([2, 1]);
    expect(sink.pages).toEqual([2]);
    expect(a.lookup(0, 3)).toBe(3);
  });

  it('never drops native entries on a V=1 fence, nor V=1 entries on a V=0 fence (hypervisor.adoc norm:sfence_vma_v0, norm:sfence_vma_v1)', () => {
    const a = array();
    a.insert(fill({ page: 1, out: 1 }));
    a.insert(fill({ kind: EntryKind.Combined, tag: TAG_V, page: 2, out: 2, gLevel: 0 }));
    expect(drop(a, scope({ stage: 'first', virt: true, vmid: 0 })).dropped).toBe(1);
    expect(a.lookup(0, 1)).toBe(1);
    expect(drop(a, scope({ stage: 'first', virt: false })).dropped).toBe(1);
    expect(a.validCount()).toBe(0);
  });

  it('a G-stage fence by GPA drops G entries of that page only, never first-stage entries (hypervisor.adoc norm:hfence-gvma_op)', () => {
    const a = array();
    const g = (gpa: number, level = 0) => fill({ kind: EntryKind.G, tag: 1 << TAG_VMID_SHIFT, page: gpa, out: gpa + 1000, gpa, level, firstLevel: -1, gLevel: level });
    a.insert(g(M2 + 4, 1));
    a.insert(g(7));
    a.insert(fill({ kind: EntryKind.Vs, tag: TAG_V | (1 << TAG_VMID_SHIFT), page: M2 + 4, out: M2 + 4 }));
    const c = drop(a, scope({ stage: 'g', vmid: 1, page: M2 + 200 }));
    expect([c.dropped, c.stale]).toEqual([1, 1]);
    expect(a.validCount()).toBe(2);
  });

  it("with 'flush-vmid' a G-stage fence by GPA drops every combined entry of the VMID, counting the other pages as collateral", () => {
    const a = array();
    const comb = (vmid: number, page: number, gpa: number) =>
      fill({ kind: EntryKind.Combined, tag: TAG_V | (vmid << TAG_VMID_SHIFT), page, out: page + 5000, gpa, gLevel: 0 });
    a.insert(comb(1, 10, 20));
    a.insert(comb(1, 11, 21));
    a.insert(comb(2, 12, 20));
    const sink = new Sink();
    const c = drop(a, scope({ stage: 'g', vmid: 1, page: 20 }), sink);
    expect([c.dropped, c.stale]).toEqual([2, 1]);
    expect(sink.pages).toEqual([11]);
    expect(a.lookup(TAG_V | (2 << TAG_VMID_SHIFT), 12)).toBe(5012);
  });

  it("with 'keep-gpa' a G-stage fence by GPA drops only the combined entries whose G-stage page holds the address", () => {
    const a = array({}, { asidTagging: true, vmidTagging: true, keepGpa: true });
    const tag = TAG_V | (1 << TAG_VMID_SHIFT);
    a.insert(fill({ kind: EntryKind.Combined, tag, page: 10, out: 5010, gpa: M2 + 3, gLevel: 1 })); // G leaf: a 2 MiB page
    a.insert(fill({ kind: EntryKind.Combined, tag, page: 11, out: 5011, gpa: 21, gLevel: 0 }));
    const c = drop(a, scope({ stage: 'g', vmid: 1, page: M2 + 400 }));
    expect([c.dropped, c.stale]).toEqual([1, 1]);
    expect(a.lookup(tag, 11)).toBe(5011);
  });
});
