import { describe, expect, it } from 'vitest';
import { Bus } from '../caches/bus.js';
import type { Word } from '../caches/word.js';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './pte.js';
import { BusPteMemory, PageTables, RWX_AD, URWX_AD, halves, pte } from './test-support/page-tables.js';
import {
  type PermContext,
  PteCas,
  type PteAddrTranslator,
  type PteMemory,
  type PteObserver,
  type StageKind,
  type StageParams,
  WalkOut,
  walk,
} from './walk.js';

const GPF = 'hypervisor.adoc "Guest Physical Address Translation"';
const ACCESSES = [
  { access: Access.Fetch, name: 'fetch', gpf: Cause.InstructionGuestPageFault, af: Cause.InstructionAccessFault },
  { access: Access.Load, name: 'load', gpf: Cause.LoadGuestPageFault, af: Cause.LoadAccessFault },
  { access: Access.Store, name: 'store', gpf: Cause.StoreGuestPageFault, af: Cause.StoreAccessFault },
] as const;

function perm(p: Partial<PermContext> = {}): PermContext {
  return { priv: Priv.S, sum: false, mxr: false, adue: false, hlvx: false, ...p };
}

function gstage(pt: PageTables): StageParams {
  return { levels: pt.levels, rootPpn: pt.rootPpn, kind: 'g' };
}

function run(pt: PageTables, gpa: bigint, access: Access, p: Partial<PermContext> = {}, faultAs = access) {
  const out = new WalkOut();
  const [lo, hi] = halves(gpa);
  return { cause: walk(lo, hi, access, gstage(pt), perm(p), pt.mem, out, null, null, faultAs), out };
}

describe('G-stage walk (Sv39x4, Sv48x4, Sv57x4)', () => {
  it(`indexes the 16 KiB x4 root with GPA bits 40:30, using the 2 extra bits (${GPF}, norm:hgatp_mode_x4)`, () => {
    const pt = new PageTables(3, true);
    const gpas = [0n, 1n, 2n, 3n].map((top) => (top << 39n) | 0x1234_5678n);
    gpas.forEach((gpa, k) => pt.map(gpa, 0x8000_0000n + BigInt(k) * 0x1000n, 0, URWX_AD));
    gpas.forEach((gpa, k) => {
      pt.mem.reads.length = 0;
      const { cause, out } = run(pt, gpa, Access.Load);
      expect(cause).toBe(0);
      expect(out.pa).toBe(0x8000_0000 + k * 0x1000 + 0x678);
      expect(BigInt(pt.mem.reads[0]!)).toBe(pt.root + ((gpa >> 30n) & 0x7ffn) * 8n);
    });
    expect(BigInt(pt.mem.reads[0]!)).toBeGreaterThanOrEqual(pt.root + 0x3000n); // last 4 KiB of the root
  });

  it(`maps a root-level 1 GiB leaf without copying the 2 extra bits into the PA (${GPF}; supervisor.adoc step 10)`, () => {
    const pt = new PageTables(3, true);
    const gpa = (2n << 39n) | (5n << 30n) | 0x2345_6789n;
    pt.map(gpa, 0x4000_0000n, 2, URWX_AD);
    const { cause, out } = run(pt, gpa, Access.Store);
    expect(cause).toBe(0);
    expect(out.pa).toBe(0x4000_0000 + 0x2345_6789);
    expect(out.level).toBe(2);
  });

  const widths = [
    { name: 'Sv39x4', levels: 3, bits: 41n },
    { name: 'Sv48x4', levels: 4, bits: 50n },
    { name: 'Sv57x4', levels: 5, bits: 59n },
  ];
  for (const { name, levels, bits } of widths) {
    it(`accepts the largest ${bits}-bit GPA under ${name} (hypervisor.adoc norm:hgatp_mode_${name.toLowerCase()})`, () => {
      const pt = new PageTables(levels, true);
      const gpa = (1n << bits) - 1n;
      pt.map(gpa, 0x8000_0000n, 0, URWX_AD);
      const { cause, out } = run(pt, gpa, Access.Load);
      expect(cause).toBe(0);
      expect(out.pa).toBe(0x8000_0fff);
    });

    for (const a of ACCESSES) {
      for (const bad of [bits, 63n]) {
        it(`raises a ${a.name} guest-page fault for a GPA with bit ${bad} set under ${name}, reading no PTE (hypervisor.adoc norm:hgatp_mode_${name.toLowerCase()})`, () => {
          const pt = new PageTables(levels, true);
          const gpa = (1n << bad) | 0x1000n;
          pt.map(gpa, 0x8000_0000n, 0, URWX_AD);
          expect(run(pt, gpa, a.access).cause).toBe(a.gpf);
          expect(pt.mem.reads).toHaveLength(0);
        });
      }
    }
  }

  for (const a of ACCESSES) {
    it(`raises a ${a.name} guest-page fault for a U=0 leaf, whatever the privilege (${GPF}: "the current privilege mode is always taken to be U-mode")`, () => {
      const pt = new PageTables(3, true);
      pt.map(0x1000n, 0x8000_0000n, 0, RWX_AD);
      expect(run(pt, 0x1000n, a.access, { priv: Priv.S, sum: true }).cause).toBe(a.gpf);
      expect(run(pt, 0x1000n, a.access, { priv: Priv.U }).cause).toBe(a.gpf);
    });

    it(`allows a ${a.name} of a U=1 leaf even when the access is from S/VS-mode (${GPF}, norm:H_vm_gpapriv)`, () => {
      const pt = new PageTables(3, true);
      pt.map(0x1000n, 0x8000_0000n, 0, URWX_AD);
      expect(run(pt, 0x1000n, a.access, { priv: Priv.S, sum: false }).cause).toBe(0);
    });
  }

  const faults: [string, (pt: PageTables) => void][] = [
    ['V=0', (pt) => pt.map(0x1000n, 0x8000_0000n, 0, URWX_AD & ~PTE_V)],
    ['W=1 R=0', (pt) => pt.map(0x1000n, 0x8000_0000n, 0, PTE_V | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)],
    ['reserved bit 54', (pt) => pt.setPte(0x1000n, 0, pte(0x8000_0000n, URWX_AD) | (1n << 54n))],
    ['PBMT bits', (pt) => pt.setPte(0x1000n, 0, pte(0x8000_0000n, URWX_AD) | (1n << 61n))],
    ['N bit', (pt) => pt.setPte(0x1000n, 0, pte(0x8000_0000n, URWX_AD) | (1n << 63n))],
    ['a pointer at level 0', (pt) => pt.setPte(0x1000n, 0, pte(0x8000_0000n, PTE_V))],
    ['a misaligned 2 MiB leaf', (pt) => pt.map(0x1000n, 0x8000_1000n, 1, URWX_AD)],
    ['A=0 under Svade', (pt) => pt.map(0x1000n, 0x8000_0000n, 0, URWX_AD & ~PTE_A)],
    ['no permission for the access', (pt) => pt.map(0x1000n, 0x8000_0000n, 0, PTE_V | PTE_U | PTE_A | PTE_D | PTE_X | PTE_R)],
  ];
  for (const [what, build] of faults) {
    it(`turns the page fault for ${what} into a store guest-page fault (${GPF}: "guest-page-fault exceptions are raised instead")`, () => {
      const pt = new PageTables(3, true);
      build(pt);
      expect(run(pt, 0x1000n, Access.Store).cause).toBe(Cause.StoreGuestPageFault);
    });
  }

  for (const a of ACCESSES) {
    it(`keeps ordinary ${a.name} access faults when a G-stage PTE read fails (supervisor.adoc "Virtual Address Translation Process" step 2)`, () => {
      const pt = new PageTables(3, true);
      pt.setPte(0x1000n, 1, pte(0x1000_0000n, PTE_V)); // a table where there is no memory
      expect(run(pt, 0x1000n, a.access).cause).toBe(a.af);
    });
  }

  it(`checks a VS-page-table access as a load but reports the original access type (${GPF}, norm:H_vm_gpapriv)`, () => {
    const pt = new PageTables(3, true);
    pt.map(0x1000n, 0x8000_0000n, 0, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D); // read-only
    expect(run(pt, 0x1000n, Access.Load, {}, Access.Fetch).cause).toBe(0);
    expect(run(pt, 0x1000n, Access.Store, {}, Access.Fetch).cause).toBe(Cause.InstructionGuestPageFault);
    pt.map(0x2000n, 0x8000_0000n, 0, RWX_AD); // U=0
    expect(run(pt, 0x2000n, Access.Load, {}, Access.Store).cause).toBe(Cause.StoreGuestPageFault);
  });
});

/** G-stage translation of VS-stage PTE addresses, as the H extension will wire it. */
class GStagePteAddr implements PteAddrTranslator {
  pa = 0;
  readonly calls: [number, boolean][] = [];
  private readonly out = new WalkOut();
  constructor(
    private readonly gpt: PageTables,
    private readonly observer: PteObserver | null,
    private readonly adue = false,
  ) {}

  translatePteAddr(addr: number, write: boolean, access: Access): number {
    this.calls.push([addr, write]);
    const [lo, hi] = halves(BigInt(addr));
    const implicit = write ? Access.Store : Access.Load;
    const c = walk(lo, hi, implicit, gstage(this.gpt), perm({ adue: this.adue }), this.gpt.mem, this.out, null, this.observer, access);
    this.pa = this.out.pa;
    return c;
  }
}

function vsWalk(vpt: PageTables, va: bigint, access: Access, mem: PteMemory, xlate: PteAddrTranslator, p: Partial<PermContext> = {}, observer: PteObserver | null = null) {
  const out = new WalkOut();
  const [lo, hi] = halves(va);
  const stage: StageParams = { levels: vpt.levels, rootPpn: vpt.rootPpn, kind: 'vs' };
  return { cause: walk(lo, hi, access, stage, perm(p), mem, out, xlate, observer), out };
}

describe('walk: PTE-address translation (VS-stage)', () => {
  // Guest-physical memory lives in its own Bus at 0; the "host" sees it at GPA + HOST.
  const HOST = 0x1_0000_0000;
  class OffsetXlate implements PteAddrTranslator {
    pa = 0;
    readonly calls: [number, boolean, Access][] = [];
    translatePteAddr(addr: number, write: boolean, access: Access): number {
      this.calls.push([addr, write, access]);
      this.pa = addr + HOST;
      return 0;
    }
  }
  class HostView implements PteMemory {
    readonly reads: number[] = [];
    constructor(private readonly inner: BusPteMemory) {}
    readPte(pa: number, out: Word): boolean {
      this.reads.push(pa);
      return this.inner.readPte(pa - HOST, out);
    }
    casPte(pa: number, el: number, eh: number, nl: number, nh: number): PteCas {
      return this.inner.casPte(pa - HOST, el, eh, nl, nh);
    }
  }
  const guest = () => new PageTables(3, false, new Bus(0, 16 * 1024 * 1024), 0x10_0000n);
  const VA = 0x0000_0020_1234_5678n;

  it('sends every PTE address through the translator and reads only the translated addresses', () => {
    const vpt = guest();
    vpt.map(VA, 0x40_0000n, 0, RWX_AD);
    const xlate = new OffsetXlate();
    const mem = new HostView(vpt.mem);
    const seen: [number, StageKind, number][] = [];
    const { cause, out } = vsWalk(vpt, VA, Access.Store, mem, xlate, {}, (pa, s, l) => seen.push([pa, s, l]));
    expect(cause).toBe(0);
    expect(out.pa).toBe(0x40_0678); // a guest-physical address: the caller G-translates it
    const gpas = [2, 1, 0].map((l) => Number(vpt.pteAddr(VA, l)));
    expect(xlate.calls).toEqual(gpas.map((g) => [g, false, Access.Store]));
    expect(mem.reads).toEqual(gpas.map((g) => g + HOST));
    expect(seen).toEqual(gpas.map((g, k) => [g + HOST, 'vs', 2 - k]));
  });

  it('translates the leaf PTE address again, for writing, before a Svadu A/D update', () => {
    const vpt = guest();
    const leaf = vpt.map(VA, 0x40_0000n, 0, RWX_AD & ~(PTE_A | PTE_D));
    const xlate = new OffsetXlate();
    expect(vsWalk(vpt, VA, Access.Load, new HostView(vpt.mem), xlate, { adue: true }).cause).toBe(0);
    expect(xlate.calls.at(-1)).toEqual([Number(leaf), true, Access.Load]);
    expect(vpt.read(leaf)).toBe(pte(0x40_0000n, RWX_AD & ~PTE_D));
  });
});

describe('walk: VS-stage over a real G-stage (two-stage translation)', () => {
  // One host Bus. GPA 0x8020_0000.. maps to the same SPA (a 2 MiB G-stage leaf), so VS tables
  // built there hold GPAs that are also their host addresses.
  const VA = 0x0000_0010_0040_3abcn;
  function setup(gFlags = URWX_AD, vsLeaf = RWX_AD) {
    const gpt = new PageTables(3, true);
    const vpt = new PageTables(3, false, gpt.bus, 0x8020_0000n);
    gpt.map(0x8020_0000n, 0x8020_0000n, 1, gFlags);
    vpt.map(VA, 0x9000_0000n, 0, vsLeaf);
    return { gpt, vpt };
  }

  it(`interleaves G-stage and VS-stage PTE reads: 2 G reads before each of the 3 VS reads (hypervisor.adoc "Two-Stage Address Translation", norm:H_vm_gstagetrans)`, () => {
    const { gpt, vpt } = setup();
    const seen: string[] = [];
    const obs: PteObserver = (_pa, s, l) => seen.push(`${s}${l}`);
    const { cause, out } = vsWalk(vpt, VA, Access.Fetch, vpt.mem, new GStagePteAddr(gpt, obs), {}, obs);
    expect(cause).toBe(0);
    expect(out.pa).toBe(0x9000_0abc);
    expect(seen).toEqual(['g2', 'g1', 'vs2', 'g2', 'g1', 'vs1', 'g2', 'g1', 'vs0']);
  });

  for (const a of ACCESSES) {
    it(`reports a G-stage fault on a VS PTE address as a ${a.name} guest-page fault with the PTE's GPA (hypervisor.adoc norm:H_vm_gpapriv, "Guest-Page Faults")`, () => {
      const { gpt, vpt } = setup(RWX_AD); // U=0 in the G-stage leaf
      const { cause, out } = vsWalk(vpt, VA, a.access, vpt.mem, new GStagePteAddr(gpt, null));
      expect(cause).toBe(a.gpf);
      expect(out.implicitFault).toBe(true);
      expect(BigInt(out.faultGpa)).toBe(vpt.pteAddr(VA, 2));
    });
  }

  it(`lets a read-only G-stage mapping serve VS PTE reads, but not a Svadu update through it (${GPF}: "as though for an implicit load or store")`, () => {
    const { gpt, vpt } = setup(PTE_V | PTE_R | PTE_U | PTE_A | PTE_D, RWX_AD & ~PTE_A);
    const xlate = new GStagePteAddr(gpt, null);
    const { cause, out } = vsWalk(vpt, VA, Access.Load, vpt.mem, xlate, { adue: true });
    expect(cause).toBe(Cause.LoadGuestPageFault);
    expect(out.implicitFault).toBe(true);
    expect(xlate.calls.at(-1)![1]).toBe(true);
  });

  it('sets A/D in the G-stage PTE when a VS-stage A update writes through it (Svadu, supervisor.adoc "When two-stage address translation is in use")', () => {
    const { gpt, vpt } = setup(URWX_AD & ~(PTE_A | PTE_D), RWX_AD & ~PTE_A);
    const gLeaf = gpt.pteAddr(0x8020_0000n, 1);
    const vsLeaf = vpt.pteAddr(VA, 0);
    const xlate = new GStagePteAddr(gpt, null, true);
    expect(vsWalk(vpt, VA, Access.Load, vpt.mem, xlate, { adue: true }).cause).toBe(0);
    expect(gpt.read(gLeaf)).toBe(pte(0x8020_0000n, URWX_AD));
    expect(vpt.read(vsLeaf)).toBe(pte(0x9000_0000n, RWX_AD));
  });
});
