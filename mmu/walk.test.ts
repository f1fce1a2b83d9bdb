import { describe, expect, it } from 'vitest';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { PTE_A, PTE_D, PTE_G, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './pte.js';
import { PageTables, RWX_AD, halves, pte } from './test-support/page-tables.js';
import { type PermContext, PteCas, WalkOut, walk } from './walk.js';

const ALG = 'supervisor.adoc "Virtual Address Translation Process"';
const VA = 0x0000_0012_3456_7abcn;
const PA = 0x8040_0000n;
const ACCESSES = [
  { access: Access.Fetch, name: 'fetch', pf: Cause.InstructionPageFault, af: Cause.InstructionAccessFault },
  { access: Access.Load, name: 'load', pf: Cause.LoadPageFault, af: Cause.LoadAccessFault },
  { access: Access.Store, name: 'store', pf: Cause.StorePageFault, af: Cause.StoreAccessFault },
] as const;

function perm(p: Partial<PermContext> = {}): PermContext {
  return { priv: Priv.S, sum: false, mxr: false, adue: false, hlvx: false, ...p };
}

function run(pt: PageTables, va: bigint, access: Access, p: Partial<PermContext> = {}) {
  const out = new WalkOut();
  const [lo, hi] = halves(va);
  const stage = { levels: pt.levels, rootPpn: pt.rootPpn, kind: 'native' as const };
  const cause = walk(lo, hi, access, stage, perm(p), pt.mem, out);
  return { cause, out };
}

/** Sv39 tables with VA mapped by a 4 KiB leaf carrying `flags`. */
function sv39(flags: number, level = 0): PageTables {
  const pt = new PageTables(3);
  pt.map(VA, PA, level, flags);
  return pt;
}

describe('walk: PTE validity and reserved encodings (step 3)', () => {
  for (const a of ACCESSES) {
    it(`raises a ${a.name} page fault for a V=0 leaf (${ALG} step 3)`, () => {
      expect(run(sv39(RWX_AD & ~PTE_V), VA, a.access).cause).toBe(a.pf);
    });

    it(`raises a ${a.name} page fault for a V=0 root entry (${ALG} step 3)`, () => {
      const pt = new PageTables(3);
      expect(run(pt, VA, a.access).cause).toBe(a.pf);
      expect(pt.mem.reads).toHaveLength(1);
    });

    it(`raises a ${a.name} page fault for the reserved encoding W=1 R=0 (${ALG} step 3)`, () => {
      expect(run(sv39(PTE_V | PTE_W | PTE_A | PTE_D), VA, a.access).cause).toBe(a.pf);
      expect(run(sv39(PTE_V | PTE_W | PTE_X | PTE_A | PTE_D), VA, a.access).cause).toBe(a.pf);
    });
  }

  for (let bit = 54n; bit <= 60n; bit++) {
    it(`raises a page fault when reserved PTE bit ${bit} is set (supervisor.adoc norm:Sv39_pte_future_rsv)`, () => {
      const pt = new PageTables(3);
      pt.setPte(VA, 0, pte(PA, RWX_AD) | (1n << bit));
      expect(run(pt, VA, Access.Load).cause).toBe(Cause.LoadPageFault);
    });
  }

  it('raises a page fault for reserved bits 60:54 in a non-leaf PTE too (supervisor.adoc norm:Sv39_pte_future_rsv)', () => {
    const pt = sv39(RWX_AD);
    const ptr = pt.pteAddr(VA, 1);
    pt.write(ptr, pt.read(ptr) | (1n << 57n));
    expect(run(pt, VA, Access.Store).cause).toBe(Cause.StorePageFault);
  });

  for (const bit of [61n, 62n]) {
    it(`raises a page fault when PBMT bit ${bit} is set without Svpbmt (supervisor.adoc norm:Sv39_pte_svpbmt_rsv)`, () => {
      const pt = new PageTables(3);
      pt.setPte(VA, 0, pte(PA, RWX_AD) | (1n << bit));
      expect(run(pt, VA, Access.Fetch).cause).toBe(Cause.InstructionPageFault);
    });
  }

  it('raises a page fault when N (bit 63) is set without Svnapot (supervisor.adoc norm:Sv39_pte_svnapot_rsv)', () => {
    const pt = new PageTables(3);
    pt.setPte(VA, 0, pte(PA, RWX_AD) | (1n << 63n));
    expect(run(pt, VA, Access.Load).cause).toBe(Cause.LoadPageFault);
  });

  it('ignores the G bit and the RSW field (supervisor.adoc "Sv32": RSW is ignored)', () => {
    const pt = new PageTables(3);
    pt.setPte(VA, 0, pte(PA, RWX_AD | PTE_G) | (3n << 8n));
    expect(run(pt, VA, Access.Load).cause).toBe(0);
  });
});

describe('walk: non-leaf PTEs (steps 3-4)', () => {
  for (const a of ACCESSES) {
    it(`raises a ${a.name} page fault for a pointer PTE at level 0 (${ALG} step 4)`, () => {
      const pt = new PageTables(3);
      pt.setPte(VA, 0, pte(PA, PTE_V));
      expect(run(pt, VA, a.access).cause).toBe(a.pf);
      expect(pt.mem.reads).toHaveLength(3);
    });
  }

  for (const [name, bit] of [['A', PTE_A], ['D', PTE_D], ['U', PTE_U]] as const) {
    it(`raises a page fault for a non-leaf PTE with ${name}=1 (supervisor.adoc: "For non-leaf PTEs, the D, A, and U bits are reserved")`, () => {
      const pt = sv39(RWX_AD);
      const ptr = pt.pteAddr(VA, 2);
      pt.write(ptr, pt.read(ptr) | BigInt(bit));
      expect(run(pt, VA, Access.Load).cause).toBe(Cause.LoadPageFault);
      expect(pt.mem.reads).toHaveLength(1);
    });
  }
});

describe('walk: misaligned superpages (step 5)', () => {
  for (const a of ACCESSES) {
    it(`raises a ${a.name} page fault for a 2 MiB leaf whose PPN[0] is non-zero (${ALG} step 5)`, () => {
      expect(run(sv39(RWX_AD, 1), VA, a.access).cause).toBe(0);
      expect(run(sv39(RWX_AD, 1), VA, a.access).out.pa).toBe(Number(PA) + Number(VA & 0x1f_ffffn));
      const pt = new PageTables(3);
      pt.map(VA, PA + 0x1000n, 1, RWX_AD);
      expect(run(pt, VA, a.access).cause).toBe(a.pf);
    });
  }

  it(`raises a page fault for a 1 GiB leaf whose PPN[1] is non-zero (${ALG} step 5)`, () => {
    const pt = new PageTables(3);
    pt.map(VA, 0x8000_0000n + 0x20_0000n, 2, RWX_AD);
    expect(run(pt, VA, Access.Load).cause).toBe(Cause.LoadPageFault);
  });
});

describe('walk: U bit, SUM and MXR (steps 6 and 8)', () => {
  const R = PTE_V | PTE_R | PTE_A | PTE_D;
  const RW = R | PTE_W;
  const X = PTE_V | PTE_X | PTE_A | PTE_D;
  const RWX = RWX_AD;
  // [priv, sum, U bit, access, allowed] -- supervisor.adoc "Sv32: Addressing and Memory Protection" and norm:sstatus_sum
  const matrix: [Priv, boolean, boolean, Access, boolean][] = [];
  for (const priv of [Priv.U, Priv.S]) {
    for (const sum of [false, true]) {
      for (const u of [false, true]) {
        for (const access of [Access.Fetch, Access.Load, Access.Store]) {
          const allowed = priv === Priv.U ? u : !u || (sum && access !== Access.Fetch);
          matrix.push([priv, sum, u, access, allowed]);
        }
      }
    }
  }
  for (const [priv, sum, u, access, allowed] of matrix) {
    const pf = ACCESSES[access].pf;
    it(`${priv === Priv.U ? 'U' : 'S'}-mode ${ACCESSES[access].name}, SUM=${+sum}, U=${+u}: ${allowed ? 'allowed' : 'page fault'} (${ALG} step 6, norm:sstatus_sum)`, () => {
      const pt = sv39(RWX | (u ? PTE_U : 0));
      expect(run(pt, VA, access, { priv, sum }).cause).toBe(allowed ? 0 : pf);
    });
  }

  it(`needs X for a fetch (supervisor.adoc norm:fetch_page_fault_no_x)`, () => {
    expect(run(sv39(RW), VA, Access.Fetch).cause).toBe(Cause.InstructionPageFault);
    expect(run(sv39(X), VA, Access.Fetch).cause).toBe(0);
  });

  it(`needs R for a load (supervisor.adoc norm:load_page_fault_no_r)`, () => {
    expect(run(sv39(X), VA, Access.Load).cause).toBe(Cause.LoadPageFault);
    expect(run(sv39(R), VA, Access.Load).cause).toBe(0);
  });

  it(`needs W for a store or AMO, so a read-only page raises a store page fault (supervisor.adoc norm:store_page_fault_no_w)`, () => {
    expect(run(sv39(R), VA, Access.Store).cause).toBe(Cause.StorePageFault);
    expect(run(sv39(X | PTE_R), VA, Access.Store).cause).toBe(Cause.StorePageFault);
    expect(run(sv39(RW), VA, Access.Store).cause).toBe(0);
  });

  it(`lets MXR=1 loads read execute-only pages, but not stores or fetches of R-only pages (supervisor.adoc norm:sstatus_mxr)`, () => {
    expect(run(sv39(X), VA, Access.Load, { mxr: true }).cause).toBe(0);
    expect(run(sv39(X), VA, Access.Store, { mxr: true }).cause).toBe(Cause.StorePageFault);
    expect(run(sv39(R), VA, Access.Fetch, { mxr: true }).cause).toBe(Cause.InstructionPageFault);
  });

  it(`MXR does not lift the U-bit check (supervisor.adoc norm:sstatus_mxr, step 6 before step 8)`, () => {
    expect(run(sv39(X | PTE_U), VA, Access.Load, { mxr: true }).cause).toBe(Cause.LoadPageFault);
    expect(run(sv39(X | PTE_U), VA, Access.Load, { mxr: true, sum: true }).cause).toBe(0);
  });

  it(`HLVX needs X in place of R, whatever MXR says (hypervisor.adoc norm:hlsv_u_op)`, () => {
    expect(run(sv39(X), VA, Access.Load, { hlvx: true }).cause).toBe(0);
    expect(run(sv39(R), VA, Access.Load, { hlvx: true }).cause).toBe(Cause.LoadPageFault);
    expect(run(sv39(R), VA, Access.Load, { hlvx: true, mxr: true }).cause).toBe(Cause.LoadPageFault);
  });
});

describe('walk: accessed and dirty bits (step 9)', () => {
  for (const a of ACCESSES) {
    it(`Svade: raises a ${a.name} page fault when A=0 (supervisor.adoc norm:svade_access_ad_bit_clear)`, () => {
      const pt = sv39(RWX_AD & ~PTE_A);
      expect(run(pt, VA, a.access).cause).toBe(a.pf);
      expect(pt.mem.cas).toHaveLength(0);
    });
  }

  it('Svade: raises a store page fault when D=0, but loads and fetches succeed (supervisor.adoc norm:svade_access_ad_bit_clear)', () => {
    expect(run(sv39(RWX_AD & ~PTE_D), VA, Access.Store).cause).toBe(Cause.StorePageFault);
    expect(run(sv39(RWX_AD & ~PTE_D), VA, Access.Load).cause).toBe(0);
    expect(run(sv39(RWX_AD & ~PTE_D), VA, Access.Fetch).cause).toBe(0);
  });

  for (const a of [ACCESSES[0], ACCESSES[1]]) {
    it(`Svadu: a ${a.name} sets A in the PTE in memory and leaves D clear (${ALG} step 9)`, () => {
      const pt = sv39(RWX_AD & ~(PTE_A | PTE_D));
      const at = pt.pteAddr(VA, 0);
      const { cause, out } = run(pt, VA, a.access, { adue: true });
      expect(cause).toBe(0);
      expect(pt.read(at)).toBe(pte(PA, (RWX_AD & ~PTE_D) | PTE_A));
      expect(out.pteLo & (PTE_A | PTE_D)).toBe(PTE_A);
      expect(pt.mem.cas).toEqual([Number(at)]);
    });
  }

  it(`Svadu: a store sets both A and D in the PTE in memory (${ALG} step 9)`, () => {
    const pt = sv39(RWX_AD & ~(PTE_A | PTE_D));
    const at = pt.pteAddr(VA, 0);
    const { cause, out } = run(pt, VA, Access.Store, { adue: true });
    expect(cause).toBe(0);
    expect(pt.read(at)).toBe(pte(PA, RWX_AD));
    expect(out.pteLo & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
  });

  it(`Svadu: sets D on a superpage leaf when only D is clear (${ALG} step 9)`, () => {
    const pt = new PageTables(3);
    const at = pt.map(VA, 0x8000_0000n, 2, RWX_AD & ~PTE_D);
    expect(run(pt, VA, Access.Store, { adue: true }).cause).toBe(0);
    expect(pt.read(at)).toBe(pte(0x8000_0000n, RWX_AD));
  });

  it('Svadu: no update when A and D are already set', () => {
    const pt = sv39(RWX_AD);
    expect(run(pt, VA, Access.Store, { adue: true }).cause).toBe(0);
    expect(pt.mem.cas).toHaveLength(0);
  });

  it(`Svadu: permission faults come before any A/D update (${ALG} steps 8-9)`, () => {
    const pt = sv39(PTE_V | PTE_R);
    const at = pt.pteAddr(VA, 0);
    expect(run(pt, VA, Access.Store, { adue: true }).cause).toBe(Cause.StorePageFault);
    expect(pt.read(at)).toBe(pte(PA, PTE_V | PTE_R));
  });

  it(`Svadu: when the compare fails it re-reads the same PTE, not the root ("return to step 2")`, () => {
    const pt = sv39(RWX_AD & ~PTE_A);
    pt.mem.casScript.push(PteCas.Changed);
    const { cause } = run(pt, VA, Access.Load, { adue: true });
    expect(cause).toBe(0);
    const leaf = Number(pt.pteAddr(VA, 0));
    expect(pt.mem.reads.slice(2)).toEqual([leaf, leaf]);
    expect(pt.mem.cas).toEqual([leaf, leaf]);
  });

  it(`Svadu: the re-read sees a PTE changed to invalid and faults (${ALG} step 9 then step 3)`, () => {
    const pt = sv39(RWX_AD & ~PTE_A);
    const at = pt.pteAddr(VA, 0);
    const mem = pt.mem;
    const cas = mem.casPte.bind(mem);
    mem.casPte = (pa, el, eh, nl, nh) => {
      pt.write(at, 0n); // another hart unmapped it between the read and the update
      return cas(pa, el, eh, nl, nh);
    };
    expect(run(pt, VA, Access.Load, { adue: true }).cause).toBe(Cause.LoadPageFault);
  });

  for (const a of ACCESSES) {
    it(`Svadu: a PTE store that would fault raises a ${a.name} access fault (${ALG} step 9)`, () => {
      const pt = sv39(RWX_AD & ~PTE_A);
      pt.mem.casScript.push(PteCas.AccessFault);
      expect(run(pt, VA, a.access, { adue: true }).cause).toBe(a.af);
    });
  }
});

describe('walk: access faults on PTE reads (step 2)', () => {
  for (const a of ACCESSES) {
    it(`raises a ${a.name} access fault when the root table lies outside DRAM (${ALG} step 2)`, () => {
      const pt = new PageTables(3);
      const out = new WalkOut();
      const [lo, hi] = halves(VA);
      const stage = { levels: 3, rootPpn: 0x1000, kind: 'native' as const }; // PA 0x100_0000: nothing there
      expect(walk(lo, hi, a.access, stage, perm(), pt.mem, out)).toBe(a.af);
      expect(pt.mem.reads).toEqual([0x100_0000 + Number((VA >> 30n) & 0x1ffn) * 8]);
    });
  }

  it(`raises an access fault when a pointer PTE leads outside DRAM (${ALG} step 2)`, () => {
    const pt = new PageTables(3);
    pt.setPte(VA, 1, pte(0x4000_0000n, PTE_V));
    expect(run(pt, VA, Access.Store).cause).toBe(Cause.StoreAccessFault);
    expect(pt.mem.reads).toHaveLength(3);
  });

  it('raises an access fault without reading when a table lies at or above 2^53 (no memory there)', () => {
    const pt = new PageTables(3);
    pt.setPte(VA, 1, pte(1n << 53n, PTE_V));
    expect(run(pt, VA, Access.Load).cause).toBe(Cause.LoadAccessFault);
    expect(pt.mem.reads).toHaveLength(2);
  });

  it('raises an access fault when the leaf maps a page at or above 2^53 (no memory there)', () => {
    const pt = new PageTables(3);
    pt.map(VA, (1n << 53n) + 0x5000n, 0, RWX_AD);
    expect(run(pt, VA, Access.Fetch).cause).toBe(Cause.InstructionAccessFault);
    pt.map(VA, (1n << 53n) - 0x1000n, 0, RWX_AD);
    const { cause, out } = run(pt, VA, Access.Fetch);
    expect(cause).toBe(0);
    expect(out.pa).toBe(2 ** 53 - 0x1000 + 0xabc);
  });
});
