import { describe, expect, it } from 'vitest';
import { SCRATCH_BASE, SCRATCH_SIZE, SHANDLER_BASE, TEXT_BASE } from './harness.js';
import { buildGStageTables, buildPageTables, PageTableArea, PT_BASE, S_STAGE_OFFSET, type PagingMode } from './paging.js';
import { Prng } from './prng.js';

/** Builds S-stage tables in a fresh area; returns the area's bytes and satp. */
function build(rng: Prng, mode: PagingMode, ...rest: [bigint, number, bigint, bigint, number, boolean]): { data: Uint8Array; satp: bigint; description: string[] } {
  const area = new PageTableArea();
  const t = buildPageTables(rng, area, mode, ...rest);
  return { data: area.data, satp: t.atp, description: t.description };
}

/**
 * A minimal walk over the generated tables (supervisor.adoc "Virtual Address Translation
 * Process", steps 2-6 without permission checks): the leaf PTE and its level, or undefined when a
 * PTE on the way is invalid.
 */
function walk(data: Uint8Array, satp: bigint, va: bigint, gStage = false): { pte: bigint; level: number } | undefined {
  const dv = new DataView(data.buffer);
  const levels = satp >> 60n === 8n ? 3 : 4;
  let table = (satp & ((1n << 44n) - 1n)) << 12n;
  for (let level = levels - 1; level >= 0; level--) {
    const topBits = gStage && level === levels - 1 ? 0x7ffn : 0x1ffn; // x4: two more index bits at the root
    const index = (va >> (12n + 9n * BigInt(level))) & topBits;
    const pte = dv.getBigUint64(Number(table - PT_BASE + index * 8n), true);
    if ((pte & 1n) === 0n || (pte & 0x6n) === 0x4n) return undefined; // invalid, or W without R (reserved)
    if ((pte & 0xan) !== 0n) return { pte, level }; // R or X: a leaf
    table = ((pte >> 10n) & ((1n << 44n) - 1n)) << 12n;
  }
  return undefined;
}

const ppnOf = (pte: bigint): bigint => (pte >> 10n) & ((1n << 44n) - 1n);

describe('random page tables', () => {
  for (const mode of ['sv39', 'sv48'] as PagingMode[]) {
    it(`${mode}: satp names the mode and the root table, and text maps to itself as R+X+A at 4 KiB or 1 GiB`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const t = build(new Prng(seed), mode, TEXT_BASE, 4, SHANDLER_BASE, SCRATCH_BASE, SCRATCH_SIZE / 0x1000, seed % 2 === 0);
        expect(t.satp).toBe(((mode === 'sv39' ? 8n : 9n) << 60n) | ((PT_BASE + BigInt(S_STAGE_OFFSET)) >> 12n));
        const stub = walk(t.data, t.satp, SHANDLER_BASE)!;
        expect(stub.pte & 0x1an).toBe(0xan); // R, X, not U: the S-mode trap stub always runs
        for (let p = 0n; p < 4n; p++) {
          const va = TEXT_BASE + p * 0x1000n;
          const leaf = walk(t.data, t.satp, va)!;
          expect(leaf.level === 0 || leaf.level === 2).toBe(true);
          const pageBits = 12n + 9n * BigInt(leaf.level);
          const pa = (ppnOf(leaf.pte) << 12n) + (va & ((1n << pageBits) - 1n));
          expect(pa).toBe(va);
          expect(leaf.pte & 0xan).toBe(0xan); // R, X
          if (leaf.level === 0) expect(leaf.pte & 0x40n).toBe(0x40n); // A (a 1 GiB leaf may start with A=0)
        }
      }
    });
  }

  it('maps scratch pages as the description says, including invalid and malformed PTEs and superpages', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const t = build(new Prng(seed), seed % 2 ? 'sv39' : 'sv48', TEXT_BASE, 4, SHANDLER_BASE, SCRATCH_BASE, 4, true);
      for (const line of t.description) seen.add(line.replace(/0x[0-9a-f]+/g, '').replace(/\+U/g, '').replace(/ x\d+ pages/, ''));
      const leaf = walk(t.data, t.satp, SCRATCH_BASE + 0x1000n);
      const d = t.description.find((l) => l.startsWith('scratch page 0x80201000') || l.includes('leaf'))!;
      if (d.includes('invalid') || d.endsWith('w-only') || d.endsWith('w-only+U')) expect(leaf).toBeUndefined();
      else if (d.includes('2 MiB')) expect(leaf?.level).toBe(1);
      else if (d.includes('1 GiB')) expect(leaf?.level).toBe(2);
      else expect(leaf?.level).toBe(0);
      if (d.includes('misaligned') && leaf) expect(ppnOf(leaf.pte) & 0x1ffn).not.toBe(0n);
    }
    for (const kind of ['rw', 'r', 'rw-A0', 'rw-D0', 'x', 'rx', 'invalid', 'w-only', 'reserved-bit', 'pbmt', 'napot']) {
      expect([...seen].some((l) => l.startsWith('scratch page') && l.endsWith(`: ${kind}`))).toBe(true);
    }
    expect([...seen].some((l) => l.includes('2 MiB leaf') && l.includes('(misaligned PPN)'))).toBe(true);
    expect([...seen].some((l) => l.includes('1 GiB leaf'))).toBe(true);
  });

  it('builds G-stage tables with a 16 KiB-aligned root that map scratch guest-physical pages to themselves', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const mode of ['sv39x4', 'sv48x4'] as const) {
        const area = new PageTableArea();
        const t = buildGStageTables(new Prng(seed), area, mode, SCRATCH_BASE, 4);
        expect(t.atp >> 60n).toBe(mode === 'sv39x4' ? 8n : 9n);
        const root = (t.atp & ((1n << 44n) - 1n)) << 12n;
        expect(root % 0x4000n).toBe(0n);
        for (let p = 0n; p < 4n; p++) {
          const gpa = SCRATCH_BASE + p * 0x1000n;
          const leaf = walk(area.data, t.atp, gpa, true);
          if (!leaf) continue; // an invalid or reserved kind
          const pageBits = 12n + 9n * BigInt(leaf.level);
          expect((ppnOf(leaf.pte) << 12n) + (gpa & ((1n << pageBits) - 1n))).toBe(gpa);
        }
      }
    }
  });

  it('is a pure function of the seed', () => {
    const a = build(new Prng(5), 'sv48', TEXT_BASE, 4, SHANDLER_BASE, SCRATCH_BASE, 4, true);
    const b = build(new Prng(5), 'sv48', TEXT_BASE, 4, SHANDLER_BASE, SCRATCH_BASE, 4, true);
    expect(a).toEqual(b);
  });
});
