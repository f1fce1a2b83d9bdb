import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import type { PageTables } from '../mmu/test-support/page-tables.js';
import * as A from './test-support/asm.js';
import { a0, a1, t0, t1, t2 } from './test-support/asm.js';
import { CODE, DATA, PTE, TestHart } from './test-support/harness.js';

const RW_AD = PTE.V | PTE.R | PTE.W | PTE.A | PTE.D;
/** The pages under test: N consecutive 4 KiB pages from here (gigapage 1, its own tables). */
const UVA = 0x4000_0000n;
/** Every page maps to OLD first, then the test remaps them all to NEW. */
const OLD = DATA;
const NEW = DATA + 0x1000n;

/** A hart in S-mode under Sv39 with `pages` pages at UVA mapped to OLD; returns the tables. */
function setUp(pages: number) {
  const t = new TestHart();
  const pt = t.pageTables(3);
  t.mapKernelIdentity(pt);
  for (let k = 0; k < pages; k++) pt.map(UVA + BigInt(k) * 0x1000n, OLD, 0, RW_AD);
  t.useTables(pt);
  t.poke(OLD, 8, 1n);
  t.poke(NEW, 8, 2n);
  return { t, pt };
}

function remapAll(pt: PageTables, pages: number): void {
  for (let k = 0; k < pages; k++) pt.map(UVA + BigInt(k) * 0x1000n, NEW, 0, RW_AD);
}

/** Instructions that sum the first doubleword of every page into a0 (label `name` for the loop). */
function sumLoop(a: A.Asm, pages: number, name: string): A.Asm {
  return a
    .li(t0, UVA)
    .li(t1, pages)
    .li(t2, 0x1000)
    .emit(A.addi(a0, 0, 0))
    .label(name)
    .emit(A.ld(a1, t0, 0), A.add(a0, a0, a1), A.add(t0, t0, t2), A.addi(t1, t1, -1))
    .bne(t1, 0, name);
}

/**
 * Runs S-mode code that sums the pages, stops at `remap` (the test remaps every page to NEW
 * there), then runs `between` and sums again. Returns both sums. (The run's exit is final, so
 * both passes are one program.)
 */
function sumTwice(t: TestHart, pages: number, remap: () => void, between: number[]): [bigint, bigint] {
  const prog = t.code(CODE, (a) => sumLoop(a, pages, 'first').label('remap').emit(...between, A.addi(0, 0, 0)).label('second'));
  t.code(prog.addr('second'), (a) => sumLoop(a, pages, 'again').emit(A.ecall()));
  t.start(CODE, Priv.S);
  for (let steps = 0; t.pc !== prog.addr('remap'); steps++) {
    expect(steps).toBeLessThan(20 * pages + 100);
    t.step();
  }
  const first = t.x(a0);
  remap();
  expect(t.runSteps(20 * pages + 100).reason).toBe('exit');
  return [first, t.x(a0)];
}

// The software TLB (pipeline/lsu.ts) remembers its fills so that a flush clears only those; past
// FILL_LOG (1024) fills it clears everything. Both paths must drop every translation.
describe('the software TLB drops every translation on SFENCE.VMA (supervisor.adoc "Supervisor Memory-Management Fence Instruction")', () => {
  for (const pages of [100, 1100]) {
    it(`${pages} pages loaded (${pages > 1024 ? 'more' : 'fewer'} fills than the fill log holds), remapped, then SFENCE.VMA: every load sees the new mapping`, () => {
      const { t, pt } = setUp(pages);
      const remap = () => remapAll(pt, pages);
      expect(sumTwice(t, pages, remap, [A.sfence_vma()])).toEqual([BigInt(pages), 2n * BigInt(pages)]);
    });

    // The control: without the fence the hart may go on using the old translations (supervisor.adoc:
    // PTE changes need SFENCE.VMA to be seen), and this one does for all of them, so the case
    // above would fail if the flush missed any.
    it(`${pages} pages loaded, remapped, no fence: every load still uses its cached translation`, () => {
      const { t, pt } = setUp(pages);
      const remap = () => remapAll(pt, pages);
      expect(sumTwice(t, pages, remap, [])).toEqual([BigInt(pages), BigInt(pages)]);
    });
  }
});

describe('Lsu.flushStores drops store translations and keeps load translations', () => {
  for (const pages of [100, 1100]) {
    it(`${pages} pages loaded and stored, remapped, flushStores: stores go to the new page, loads still hit the old one`, () => {
      const { t, pt } = setUp(pages);
      const lsu = t.m.hart.lsu;
      const va = (k: number) => Number(UVA) + k * 0x1000;
      for (let k = 0; k < pages; k++) {
        expect(lsu.load(va(k), 0, 8, Priv.S)).toBe(true);
        expect(lsu.store(va(k), 0, 8, 1, 0, Priv.S)).toBe(true);
      }
      remapAll(pt, pages);
      lsu.flushStores();
      for (let k = 0; k < pages; k++) {
        expect(lsu.store(va(k), 0, 8, k + 10, 0, Priv.S)).toBe(true);
        expect(t.peek(NEW)).toBe(BigInt(k + 10));
        expect(lsu.load(va(k), 0, 8, Priv.S)).toBe(true);
        expect(lsu.vlo).toBe(1);
      }
      expect(t.peek(OLD)).toBe(1n);
    });
  }
});
