import { describe, expect, it } from 'vitest';
import { Word } from '../caches/word.js';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_X } from './pte.js';
import { PageTables, RWX_AD, URWX_AD, halves, pte } from './test-support/page-tables.js';
import { TwoStage, VS_TABLE_HPA, joinHalves } from './test-support/two-stage.js';
import { HgatpMode, SatpMode, Translator, htvalOf, isGuestPageFault } from './translate.js';
import type { StageKind } from './walk.js';

const TWO = 'hypervisor.adoc "Two-Stage Address Translation"';
const GPT = 'hypervisor.adoc "Guest Physical Address Translation"';
const GPF = 'hypervisor.adoc "Guest-Page Faults"';
const HLV = 'hypervisor.adoc "Hypervisor Virtual-Machine Load and Store Instructions"';

const ACCESSES = [
  { access: Access.Fetch, name: 'fetch', pf: Cause.InstructionPageFault, gpf: Cause.InstructionGuestPageFault, af: Cause.InstructionAccessFault },
  { access: Access.Load, name: 'load', pf: Cause.LoadPageFault, gpf: Cause.LoadGuestPageFault, af: Cause.LoadAccessFault },
  { access: Access.Store, name: 'store', pf: Cause.StorePageFault, gpf: Cause.StoreGuestPageFault, af: Cause.StoreAccessFault },
] as const;

const CONFIGS = [
  { vs: 'Sv39', g: 'Sv39x4', vsLevels: 3, gLevels: 3, refs: 15 },
  { vs: 'Sv48', g: 'Sv48x4', vsLevels: 4, gLevels: 4, refs: 24 },
  { vs: 'Sv57', g: 'Sv57x4', vsLevels: 5, gLevels: 5, refs: 35 },
  { vs: 'Sv39', g: 'Sv57x4', vsLevels: 3, gLevels: 5, refs: 23 },
  { vs: 'Sv57', g: 'Sv39x4', vsLevels: 5, gLevels: 3, refs: 23 },
] as const;

/** Canonical in every VS mode (bit 37 and above clear), with an odd page offset. */
const GVA = 0x0000_0012_3455_6abdn;
/** A data GPA in a region that no G-stage leaf of the VS table region covers. */
const GPA = 0x1_0075_6abdn;
const HPA = 0x9abc_dabdn;

function span(level: number): bigint {
  return 1n << (12n + 9n * BigInt(level));
}

function down(a: bigint, level: number): bigint {
  return a & ~(span(level) - 1n);
}

/** A setup with GVA → GPA (VS 4 KiB) → HPA (G 4 KiB), everything A/D set. */
function basic(vsLevels = 3, gLevels = 3, vsFlags = RWX_AD, gFlags = URWX_AD) {
  const s = new TwoStage(vsLevels, gLevels);
  s.map(GVA, GPA, HPA, 0, 0, vsFlags, gFlags);
  return s;
}

describe('two-stage translation: results', () => {
  for (const c of CONFIGS) {
    it(`translates GVA → GPA → SPA with ${c.vs} over ${c.g}, 4 KiB pages at both stages (${TWO}, norm:H_vm_twostage)`, () => {
      const s = basic(c.vsLevels, c.gLevels);
      expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
      const out = s.t.out;
      expect(out.pa).toBe(Number(HPA));
      expect(s.gpa).toBe(GPA);
      expect(out.vsLevel).toBe(0);
      expect(out.gLevel).toBe(0);
      expect(out.level).toBe(0);
      expect(out.pageShift).toBe(12);
      expect(out.pageBase).toBe(Number(HPA & ~0xfffn));
      expect(joinHalves(out.pteLo, out.pteHi)).toBe(pte(GPA & ~0xfffn, RWX_AD));
      expect(joinHalves(out.gPteLo, out.gPteHi)).toBe(pte(HPA & ~0xfffn, URWX_AD));
      expect(out.implicitFault).toBe(false);
    });

    it(`makes exactly ${c.refs} PTE references for an uncached ${c.vs} over ${c.g} walk: ${c.vsLevels} × (${c.gLevels} G + 1 VS) + ${c.gLevels} G (${TWO}, norm:H_vm_gstagetrans)`, () => {
      const s = basic(c.vsLevels, c.gLevels);
      const seen: [number, StageKind, number][] = [];
      s.t.onPteAccess = (pa, stage, level) => seen.push([pa, stage, level]);
      expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(0);
      expect(seen).toHaveLength(c.refs);

      // The exact sequence, computed from the tables: each VS PTE's GPA is G-walked, then read.
      const expected: [number, StageKind, number][] = [];
      const gWalk = (gpa: bigint) => {
        for (let l = c.gLevels - 1; l >= 0; l--) expected.push([Number(s.gpt.pteAddr(gpa, l)), 'g', l]);
      };
      for (let l = c.vsLevels - 1; l >= 0; l--) {
        const pteGpa = s.vpt.pteAddr(GVA, l);
        gWalk(pteGpa);
        expected.push([Number(s.hostOf(pteGpa)), 'vs', l]);
      }
      gWalk(GPA);
      expect(seen).toEqual(expected);
      expect(s.mem.reads).toEqual(expected.map(([pa]) => pa)); // the observer sees every read
      expect(s.mem.cas).toHaveLength(0);
    });
  }

  it(`reports fewer G-stage references when the VS tables sit in a G-stage superpage (${GPT})`, () => {
    const s = new TwoStage(3, 3, { tableLevel: 1 });
    s.map(GVA, GPA, HPA, 0, 0);
    const stages: string[] = [];
    s.t.onPteAccess = (_pa, stage, level) => stages.push(`${stage}${level}`);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(stages).toEqual(['g2', 'g1', 'vs2', 'g2', 'g1', 'vs1', 'g2', 'g1', 'vs0', 'g2', 'g1', 'g0']);
  });

  describe('superpages at both stages (supervisor.adoc "Virtual Address Translation Process" step 10, per stage)', () => {
    it(`maps a VS 2 MiB page over G 4 KiB pages: SPA = the G page of GPA + offset, combined page 4 KiB (${TWO})`, () => {
      const s = new TwoStage(3, 3);
      // GVA 0x12_3455_6abd in the 2 MiB page 0x12_3440_0000 → GPA 0x1_0060_0000 + 0x15_6abd.
      s.vpt.map(GVA, 0x1_0060_0000n, 1, RWX_AD);
      s.gpt.map(0x1_0075_6000n, 0x9abc_d000n, 0, URWX_AD);
      expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
      expect(s.gpa).toBe(0x1_0075_6abdn);
      expect(s.t.out.pa).toBe(0x9abc_dabd);
      expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([1, 0, 0]);
      expect(s.t.out.pageBase).toBe(0x9abc_d000);
    });

    it(`maps a VS 4 KiB page over a G 2 MiB page: combined page 4 KiB (${TWO})`, () => {
      const s = new TwoStage(3, 3);
      s.vpt.map(GVA, 0x1_0075_6000n, 0, RWX_AD);
      s.gpt.map(0x1_0060_0000n, 0xa000_0000n, 1, URWX_AD);
      expect(s.translate(GVA, Access.Store, Priv.S)).toBe(0);
      expect(s.gpa).toBe(0x1_0075_6abdn);
      expect(s.t.out.pa).toBe(0xa015_6abd);
      expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([0, 1, 0]);
      expect(s.t.out.pageShift).toBe(12);
    });

    it(`maps a VS 1 GiB page over a G 2 MiB page: combined page 2 MiB (${TWO})`, () => {
      const s = new TwoStage(3, 3);
      s.vpt.map(GVA, 0x1_4000_0000n, 2, RWX_AD); // GPA 0x1_4000_0000 + 0x3455_6abd
      s.gpt.map(0x1_7440_0000n, 0xc020_0000n, 1, URWX_AD);
      expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(0);
      expect(s.gpa).toBe(0x1_7455_6abdn);
      expect(s.t.out.pa).toBe(0xc035_6abd);
      expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([2, 1, 1]);
      expect(s.t.out.pageShift).toBe(21);
      expect(s.t.out.pageBase).toBe(0xc020_0000);
    });

    it(`maps a VS 1 GiB page over a G 1 GiB page: combined page 1 GiB (${TWO})`, () => {
      const s = new TwoStage(3, 3);
      s.vpt.map(GVA, 0x1_4000_0000n, 2, RWX_AD);
      s.gpt.map(0x1_4000_0000n, 0x1_c000_0000n, 2, URWX_AD);
      expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
      expect(s.t.out.pa).toBe(0x1_f455_6abd);
      expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([2, 2, 2]);
      expect(s.t.out.pageBase).toBe(0x1_c000_0000);
    });

    for (const c of CONFIGS.slice(0, 3)) {
      for (let vsLevel = 0; vsLevel < c.vsLevels; vsLevel++) {
        for (let gLevel = 0; gLevel < c.gLevels; gLevel++) {
          it(`${c.vs} over ${c.g}: a VS level-${vsLevel} page over a G level-${gLevel} page gives the exact SPA and the smaller page (${TWO})`, () => {
            const s = new TwoStage(c.vsLevels, c.gLevels);
            const vaBits = 12n + 9n * BigInt(c.vsLevels);
            const gva = 0x0000_7bcd_ef98_7653n & ((1n << (vaBits - 1n)) - 1n); // lower half: canonical
            // GPA region far from the VS tables' G mappings, inside the x4 width.
            const region = c.gLevels === 5 ? 1n << 50n : 1n << 40n;
            const gpaBase = region + (0x5n << (12n + 9n * BigInt(vsLevel)));
            const hpaBase = 0x3n << (12n + 9n * BigInt(gLevel));
            s.vpt.map(gva, gpaBase, vsLevel, RWX_AD);
            const gpa = gpaBase + (gva & (span(vsLevel) - 1n));
            s.gpt.map(gpa, hpaBase, gLevel, URWX_AD);
            const hpa = hpaBase + (gpa & (span(gLevel) - 1n));
            expect(s.gpt.lookup(s.vpt.lookup(gva)!)).toBe(hpa); // the reference walk agrees

            expect(s.translate(gva, Access.Load, Priv.S)).toBe(0);
            expect(s.gpa).toBe(gpa);
            expect(BigInt(s.t.out.pa)).toBe(hpa);
            const level = Math.min(vsLevel, gLevel);
            expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([vsLevel, gLevel, level]);
            expect(BigInt(s.t.out.pageBase)).toBe(down(hpa, level));
          });
        }
      }
    }
  });

  it(`takes GPA = GVA when vsatp is Bare and walks the G-stage alone (${TWO}: "either stage ... can be effectively disabled")`, () => {
    const s = new TwoStage(3, 3, { vsBare: true });
    s.gpt.map(GPA, HPA, 0, URWX_AD);
    const stages: string[] = [];
    s.t.onPteAccess = (_pa, stage, level) => stages.push(`${stage}${level}`);
    expect(s.translate(GPA, Access.Load, Priv.U)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
    expect(s.gpa).toBe(GPA);
    expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([-1, 0, 0]);
    expect(stages).toEqual(['g2', 'g1', 'g0']);
  });

  it(`takes SPA = GPA when hgatp is Bare and reads the VS tables at their GPAs (${GPT}, norm:hgatp_mode_bare_trans)`, () => {
    const s = new TwoStage(3, 3, { gBare: true });
    s.vpt.map(GVA, 0x4000_0000n, 2, RWX_AD); // 1 GiB VS page
    const seen: [number, string][] = [];
    s.t.onPteAccess = (pa, stage) => seen.push([pa, stage]);
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(0);
    expect(s.t.out.pa).toBe(0x4000_0000 + 0x3455_6abd);
    expect(s.gpa).toBe(0x7455_6abdn);
    expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([2, -1, 2]);
    expect(seen).toEqual([[Number(s.vpt.pteAddr(GVA, 2)), 'vs']]);
    expect(s.vpt.pteAddr(GVA, 2) >> 12n).toBe(VS_TABLE_HPA >> 12n); // the root, at GPA = HPA
  });

  it(`is the identity when both stages are Bare, with an access fault at or above 2^53 (${GPT}, norm:hgatp_mode_bare_trans)`, () => {
    const s = new TwoStage(3, 3, { gBare: true, vsBare: true });
    expect(s.translate(0x8000_1234n, Access.Fetch, Priv.S)).toBe(0);
    expect(s.t.out.pa).toBe(0x8000_1234);
    expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([-1, -1, 0]);
    for (const a of ACCESSES) expect(s.translate(1n << 53n, a.access, Priv.S)).toBe(a.af);
    expect(s.mem.reads).toHaveLength(0);
  });

  for (const a of ACCESSES) {
    it(`raises a ${a.name} access fault, not a guest-page fault, for a VS leaf GPA ≥ 2^53 with hgatp Bare (${GPT}: no memory there)`, () => {
      const s = new TwoStage(3, 3, { gBare: true });
      s.vpt.map(GVA, 1n << 54n, 0, RWX_AD);
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.af);
    });
  }

  it('leaves the native path untouched when virt=false, whatever vsatp and hgatp hold (supervisor.adoc norm:satp_op_active)', () => {
    const s = basic();
    const native = new PageTables(3, false, s.bus, BigInt(0x8300_0000));
    native.map(GVA, 0x8765_4000n, 0, RWX_AD);
    s.t.satpMode = SatpMode.Sv39;
    s.t.satpPpn = native.rootPpn;
    const stages: StageKind[] = [];
    s.t.onPteAccess = (_pa, stage) => stages.push(stage);
    const [lo, hi] = halves(GVA);
    expect(s.t.translate(lo, hi, Access.Load, Priv.S)).toBe(0);
    expect(s.t.out.pa).toBe(0x8765_4abd);
    expect(stages).toEqual(['native', 'native', 'native']);
    expect(s.t.translate(lo, hi, Access.Load, Priv.S, true)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
  });

  it(`roots the G-stage at hgatp.PPN with PPN[1:0] taken as zero (hypervisor.adoc norm:hgatp_ppn_op)`, () => {
    const s = basic();
    s.t.hgatpPpn = s.gpt.rootPpn + 3;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
  });

  it('rejects an hgatp.MODE or vsatp.MODE it does not implement as a simulator bug, not a guest fault', () => {
    const s = basic();
    s.t.hgatpMode = 11;
    expect(() => s.translate(GVA, Access.Load, Priv.S)).toThrow(/hgatp.MODE 11/);
    s.t.hgatpMode = HgatpMode.Sv39x4;
    s.t.vsatpMode = 7;
    expect(() => s.translate(GVA, Access.Load, Priv.S)).toThrow(/vsatp.MODE 7/);
  });
});

describe('two-stage translation: guest-page faults', () => {
  for (const a of ACCESSES) {
    it(`raises a ${a.name} guest-page fault for an unmapped final GPA, reporting that GPA, not implicit (${GPF}, norm:mtval2_htval_virtaddr)`, () => {
      const s = new TwoStage(3, 3);
      s.vpt.map(GVA, GPA, 0, RWX_AD); // no G-stage mapping for GPA
      const c = s.translate(GVA, a.access, Priv.S);
      expect(c).toBe(a.gpf);
      expect(isGuestPageFault(c)).toBe(true);
      expect(s.t.out.implicitFault).toBe(false);
      expect(s.faultGpa).toBe(GPA);
      const w = new Word();
      htvalOf(s.t.out, w);
      expect(joinHalves(w.lo, w.hi)).toBe(GPA >> 2n);
    });

    it(`raises a ${a.name} guest-page fault with the PTE's GPA when the G-stage does not map a VS leaf table, marked implicit (${GPF}, hypervisor.adoc norm:htval_trapval)`, () => {
      const s = basic();
      const leafGpa = s.vpt.pteAddr(GVA, 0);
      s.gpt.write(s.tableGLeaf(leafGpa), 0n);
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.gpf);
      expect(s.t.out.implicitFault).toBe(true);
      expect(s.t.out.implicitWrite).toBe(false);
      expect(s.faultGpa).toBe(leafGpa);
      expect(BigInt(s.t.out.faultGpa)).toBe(leafGpa);
    });

    it(`raises a ${a.name} guest-page fault for a G-stage leaf with U=0, for VS and VU accesses alike (${GPT}, norm:H_vm_gpapriv: "as though executed in U-mode")`, () => {
      // A VS page with U=0 for the VS-mode access, U=1 for the VU-mode one: the VS-stage passes.
      for (const [priv, vsFlags] of [[Priv.S, RWX_AD], [Priv.U, URWX_AD]] as const) {
        const s = basic(3, 3, vsFlags, RWX_AD);
        expect(s.translate(GVA, a.access, priv)).toBe(a.gpf);
        expect(s.t.out.implicitFault).toBe(false);
      }
    });

    it(`raises a ${a.name} guest-page fault when a VS table page has U=0 at the G-stage, as the original access type (${GPT}, norm:H_vm_gpapriv)`, () => {
      const s = basic();
      const rootGpa = s.vpt.pteAddr(GVA, 2);
      s.gpt.write(s.tableGLeaf(rootGpa), pte(VS_TABLE_HPA, RWX_AD));
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.gpf);
      expect(s.t.out.implicitFault).toBe(true);
      expect(s.faultGpa).toBe(rootGpa);
    });

    it(`raises a ${a.name} access fault when a VS table's G-stage mapping leads where no memory is (supervisor.adoc step 2)`, () => {
      const s = basic();
      const leafGpa = s.vpt.pteAddr(GVA, 0);
      s.gpt.write(s.tableGLeaf(leafGpa), pte(0x1000_0000n, URWX_AD)); // below DRAM
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.af);
    });

    it(`raises a ${a.name} page fault (not a guest-page fault) for a VS-stage leaf with V=0 (${TWO}; supervisor.adoc step 3)`, () => {
      const s = basic(3, 3, RWX_AD & ~PTE_V);
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.pf);
      expect(isGuestPageFault(a.pf)).toBe(false);
    });
  }

  const widths = [
    { g: 'Sv39x4', levels: 3, bits: 41n },
    { g: 'Sv48x4', levels: 4, bits: 50n },
    { g: 'Sv57x4', levels: 5, bits: 59n },
  ];
  for (const { g, levels, bits } of widths) {
    it(`with vsatp Bare, accepts the largest ${bits}-bit GPA and faults on GVA bit ${bits} or 63 under ${g}, reporting the full GPA (hypervisor.adoc norm:hgatp_mode_${g.toLowerCase()})`, () => {
      const s = new TwoStage(3, levels, { vsBare: true });
      const top = (1n << bits) - 1n;
      s.gpt.map(top, 0x8000_0000n, 0, URWX_AD);
      expect(s.translate(top, Access.Load, Priv.S)).toBe(0);
      expect(s.t.out.pa).toBe(0x8000_0fff);
      s.mem.reads.length = 0;
      for (const bad of [(1n << bits) | 0x1234n, (1n << 63n) | 0x1235n]) {
        expect(s.translate(bad, Access.Store, Priv.S)).toBe(Cause.StoreGuestPageFault);
        expect(s.faultGpa).toBe(bad);
        const w = new Word();
        htvalOf(s.t.out, w);
        expect(joinHalves(w.lo, w.hi)).toBe(bad >> 2n);
      }
      expect(s.mem.reads).toHaveLength(0);
    });
  }

  it(`keeps a VS leaf's GPA beyond 2^53 exact: a guest-page fault under Sv39x4, translated under Sv57x4 (${GPT}, norm:hgatp_mode_sv57x4)`, () => {
    const wide = (1n << 54n) | 0x0012_3000n; // + GVA offset 0xabd: not exact as a JS number
    const faulty = new TwoStage(3, 3);
    faulty.vpt.map(GVA, wide, 0, RWX_AD);
    expect(faulty.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadGuestPageFault);
    expect(faulty.t.out.implicitFault).toBe(false);
    expect(faulty.faultGpa).toBe(wide | 0xabdn);
    const w = new Word();
    htvalOf(faulty.t.out, w);
    expect(joinHalves(w.lo, w.hi)).toBe((wide | 0xabdn) >> 2n);

    const ok = new TwoStage(3, 5);
    ok.map(GVA, wide, 0x8123_4000n, 0, 0);
    expect(ok.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(ok.gpa).toBe(wide | 0xabdn);
    expect(ok.t.out.pa).toBe(0x8123_4abd);
  });
});

describe('two-stage translation: permissions', () => {
  it(`checks the VS-stage U bit against vsstatus.SUM, ignoring the HS-level SUM (${HLV}, norm:hlsv_trans)`, () => {
    const s = basic(3, 3, URWX_AD);
    s.t.sum = true; // HS-level SUM: ignored
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
    s.t.vsSum = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(0);
    // supervisor.adoc: "Irrespective of SUM, the supervisor may not execute code on pages with U=1."
    expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(Cause.InstructionPageFault);
    expect(s.translate(GVA, Access.Fetch, Priv.U)).toBe(0);
  });

  it('raises a page fault for a VU access to a VS-stage page with U=0 (supervisor.adoc step 6)', () => {
    const s = basic();
    for (const a of ACCESSES) expect(s.translate(GVA, a.access, Priv.U)).toBe(a.pf);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
  });

  it(`lets vsstatus.MXR or the HS-level MXR read a VS-stage execute-only page (${TWO}, norm:vsstatus_mxr_vm, norm:sstatus_mxr_vm)`, () => {
    const s = basic(3, 3, PTE_V | PTE_X | PTE_A | PTE_D);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
    s.t.vsMxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    s.t.vsMxr = false;
    s.t.mxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(Cause.StorePageFault); // MXR never grants W
  });

  it(`lets only the HS-level MXR read a G-stage execute-only page (${TWO}: "Setting MXR at VS-level does not override guest-physical page protections")`, () => {
    const s = basic(3, 3, RWX_AD, PTE_V | PTE_X | PTE_U | PTE_A | PTE_D);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadGuestPageFault);
    s.t.vsMxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadGuestPageFault);
    s.t.mxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(0);
  });

  it(`does not let MXR make an execute-only G-stage page of VS page tables readable: those reads are implicit (${HLV}, norm:hlsv_sstatus_mxr: "readable by explicit loads")`, () => {
    const s = basic();
    const leafGpa = s.vpt.pteAddr(GVA, 0);
    s.gpt.write(s.tableGLeaf(leafGpa), pte(s.hostOf(leafGpa) & ~0xfffn, PTE_V | PTE_X | PTE_U | PTE_A | PTE_D));
    s.t.mxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadGuestPageFault);
    expect(s.t.out.implicitFault).toBe(true);
    expect(s.faultGpa).toBe(leafGpa);
  });

  const XO_VS = PTE_V | PTE_X | PTE_A | PTE_D;
  const XO_G = PTE_V | PTE_X | PTE_U | PTE_A | PTE_D;
  it(`lets HLVX read a page that is execute-only at both stages (${HLV}, norm:hlsv_u_op: "executable in both stages ... read permission is not required")`, () => {
    const s = basic(3, 3, XO_VS, XO_G);
    expect(s.translate(GVA, Access.Load, Priv.S, true)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
    expect(s.translate(GVA, Access.Load, Priv.S, false)).toBe(Cause.LoadPageFault);
  });

  it(`raises a load page fault for HLVX of a VS-stage read-only page, even with MXR (${HLV}, norm:hlsv_u_op: execute takes the place of read)`, () => {
    const s = basic(3, 3, PTE_V | PTE_R | PTE_A | PTE_D);
    s.t.mxr = true;
    s.t.vsMxr = true;
    expect(s.translate(GVA, Access.Load, Priv.S, true)).toBe(Cause.LoadPageFault);
    expect(s.translate(GVA, Access.Load, Priv.S, false)).toBe(0);
  });

  it(`raises a load guest-page fault for HLVX of a G-stage read-only page (${HLV}, norm:hlsv_u_op)`, () => {
    const s = basic(3, 3, RWX_AD, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D);
    expect(s.translate(GVA, Access.Load, Priv.S, true)).toBe(Cause.LoadGuestPageFault);
    expect(s.t.out.implicitFault).toBe(false);
    expect(s.translate(GVA, Access.Load, Priv.S, false)).toBe(0);
  });

  it(`reads VS page tables through G-stage pages without X during HLVX: those reads are implicit loads (${GPT}, norm:H_vm_gpapriv)`, () => {
    const s = new TwoStage(3, 3, { tableFlags: PTE_V | PTE_R | PTE_U | PTE_A | PTE_D });
    s.map(GVA, GPA, HPA, 0, 0, XO_VS, XO_G);
    expect(s.translate(GVA, Access.Load, Priv.S, true)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
  });

  it(`reads VS page tables through read-only G-stage pages for every access type (${GPT}: "as though for an implicit load")`, () => {
    const s = new TwoStage(3, 3, { tableFlags: PTE_V | PTE_R | PTE_U | PTE_A | PTE_D });
    s.map(GVA, GPA, HPA, 0, 0);
    for (const a of ACCESSES) expect(s.translate(GVA, a.access, Priv.S)).toBe(0);
  });
});

describe('two-stage translation: A/D bits (Svade / Svadu per stage)', () => {
  const NO_A = RWX_AD & ~(PTE_A | PTE_D);

  it(`faults on a VS-stage A=0 under Svade (henvcfg.ADUE=0) even when menvcfg.ADUE=1 (hypervisor.adoc norm:henvcfg_adue_op)`, () => {
    const s = basic(3, 3, NO_A);
    s.t.adue = true;
    for (const a of ACCESSES) expect(s.translate(GVA, a.access, Priv.S)).toBe(a.pf);
    expect(s.mem.cas).toHaveLength(0);
  });

  it(`ignores henvcfg.ADUE while menvcfg.ADUE=0, which makes it read-only zero (machine.adoc norm:menvcfg_adue_henvcfg_adue_rdonly0)`, () => {
    const s = basic(3, 3, NO_A);
    s.t.vsAdue = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
  });

  it(`sets VS-stage A and D under Svadu (henvcfg.ADUE=1), writing the PTE through the G-stage (svadu.adoc; supervisor.adoc step 9)`, () => {
    const s = basic(3, 3, NO_A);
    s.t.adue = true;
    s.t.vsAdue = true;
    const leaf = s.vpt.pteAddr(GVA, 0);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.vpt.read(leaf)).toBe(pte(GPA & ~0xfffn, NO_A | PTE_A));
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(0);
    expect(s.vpt.read(leaf)).toBe(pte(GPA & ~0xfffn, RWX_AD));
    expect(s.mem.cas).toEqual([Number(s.hostOf(leaf)), Number(s.hostOf(leaf))]);
  });

  it(`sets D in the G-stage PTE of a VS table page when a VS A/D update writes it (supervisor.adoc: "updates to the D bit in G-stage PTEs may be performed by an implicit access to a VS-stage PTE")`, () => {
    const s = new TwoStage(3, 3, { tableFlags: URWX_AD & ~PTE_D });
    s.map(GVA, GPA, HPA, 0, 0, NO_A);
    s.t.adue = true;
    s.t.vsAdue = true;
    const leaf = s.vpt.pteAddr(GVA, 0);
    const gLeaf = s.tableGLeaf(leaf);
    const rootGLeaf = s.tableGLeaf(s.vpt.pteAddr(GVA, 2));
    expect(gLeaf).not.toBe(rootGLeaf);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.gpt.read(gLeaf)).toBe(pte(s.hostOf(leaf) & ~0xfffn, URWX_AD)); // written: D set
    expect(s.gpt.read(rootGLeaf) & BigInt(PTE_D)).toBe(0n); // only read: D still clear
  });

  for (const a of ACCESSES) {
    it(`raises a ${a.name} guest-page fault, implicit write, when a VS A update meets a read-only G-stage page (${GPT}: "as though for an implicit ... store", reported "for the original access type")`, () => {
      const s = new TwoStage(3, 3);
      s.map(GVA, GPA, HPA, 0, 0, NO_A);
      const leaf = s.vpt.pteAddr(GVA, 0);
      s.gpt.write(s.tableGLeaf(leaf), pte(s.hostOf(leaf) & ~0xfffn, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D));
      s.t.adue = true;
      s.t.vsAdue = true;
      expect(s.translate(GVA, a.access, Priv.S)).toBe(a.gpf);
      expect(s.t.out.implicitFault).toBe(true);
      expect(s.t.out.implicitWrite).toBe(true); // htinst: the write pseudoinstruction
      expect(s.faultGpa).toBe(leaf);
      expect(s.vpt.read(leaf)).toBe(pte(GPA & ~0xfffn, NO_A));
      expect(s.mem.cas).toHaveLength(0);
    });
  }

  it(`raises an implicit guest-page fault under G-stage Svade when the G-stage PTE of a VS table page has A=0 (${GPT}, svadu.adoc)`, () => {
    const s = new TwoStage(3, 3, { tableFlags: URWX_AD & ~(PTE_A | PTE_D) });
    s.map(GVA, GPA, HPA, 0, 0);
    expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(Cause.InstructionGuestPageFault);
    expect(s.t.out.implicitFault).toBe(true);
    expect(s.t.out.implicitWrite).toBe(false);
    s.t.adue = true; // menvcfg.ADUE: the G-stage sets A itself
    expect(s.translate(GVA, Access.Fetch, Priv.S)).toBe(0);
    expect(s.gpt.read(s.tableGLeaf(s.vpt.pteAddr(GVA, 2))) & BigInt(PTE_A | PTE_D)).toBe(BigInt(PTE_A));
  });

  it(`faults on a G-stage data leaf with A=0 or (for stores) D=0 under Svade and sets them under Svadu per menvcfg.ADUE (machine.adoc norm:menvcfg_adue_op)`, () => {
    const s = basic(3, 3, RWX_AD, URWX_AD & ~(PTE_A | PTE_D));
    const gLeaf = s.gpt.pteAddr(GPA, 0);
    s.t.vsAdue = true; // VS-stage setting: no effect on the G-stage
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(Cause.LoadGuestPageFault);
    expect(s.t.out.implicitFault).toBe(false);
    s.t.adue = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(s.gpt.read(gLeaf)).toBe(pte(HPA & ~0xfffn, (URWX_AD & ~PTE_D) | PTE_A));
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(0);
    expect(s.gpt.read(gLeaf)).toBe(pte(HPA & ~0xfffn, URWX_AD));
  });

  it(`needs G-stage write permission on a page whose VS-stage D bit is set by a store (${GPT}, norm:H_vm_gpapriv)`, () => {
    const s = new TwoStage(3, 3);
    s.map(GVA, GPA, HPA, 0, 0, RWX_AD & ~PTE_D);
    const leaf = s.vpt.pteAddr(GVA, 0);
    s.gpt.write(s.tableGLeaf(leaf), pte(s.hostOf(leaf) & ~0xfffn, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D));
    s.t.adue = true;
    s.t.vsAdue = true;
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0); // A already set: no write needed
    expect(s.translate(GVA, Access.Store, Priv.S)).toBe(Cause.StoreGuestPageFault);
    expect(s.t.out.implicitWrite).toBe(true);
  });
});

describe('two-stage translation: edge cases', () => {
  it('rejects effective privilege M with V=1 as a simulator bug (hypervisor.adoc norm:H_vm_gpatrans)', () => {
    const t = new Translator(new PageTables(3).mem);
    expect(() => t.translate(0, 0, Access.Load, Priv.M, true)).toThrow(/privilege M/);
  });

  it(`re-walks the G-stage for writing before a VS Svadu update, and reports those reads too (${GPT}: "as though for an implicit ... store")`, () => {
    const s = basic(3, 3, RWX_AD & ~PTE_A);
    s.t.adue = true;
    s.t.vsAdue = true;
    const stages: string[] = [];
    s.t.onPteAccess = (_pa, stage) => stages.push(stage);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    expect(stages.filter((x) => x === 'g')).toHaveLength(12 + 3); // 3 more for the write of the leaf
    expect(stages.filter((x) => x === 'vs')).toHaveLength(3);
  });
});

describe('the G-stage alone (Translator.translateG, for the timed walker)', () => {
  it(`translates a GPA by hgatp alone, as translate does with vsatp Bare (${TWO}: "either stage ... can be effectively disabled")`, () => {
    const s = basic(); // the VS tables and GVA mapping are there but must not be read
    const stages: string[] = [];
    s.t.onPteAccess = (_pa, stage, level) => stages.push(`${stage}${level}`);
    const [lo, hi] = halves(GPA);
    expect(s.t.translateG(lo, hi, Access.Load)).toBe(0);
    expect(s.t.out.pa).toBe(Number(HPA));
    expect(s.gpa).toBe(GPA);
    expect([s.t.out.vsLevel, s.t.out.gLevel, s.t.out.level]).toEqual([-1, 0, 0]);
    expect(s.t.out.pageBase).toBe(Number(HPA & ~0xfffn));
    expect(joinHalves(s.t.out.gPteLo, s.t.out.gPteHi)).toBe(pte(HPA & ~0xfffn, URWX_AD));
    expect(stages).toEqual(['g2', 'g1', 'g0']);
  });

  it(`reports a G-stage superpage's level and the GPA's offset in it (${GPT})`, () => {
    const s = new TwoStage(4, 4);
    s.gpt.map(0x1_0060_0000n, 0xa000_0000n, 1, URWX_AD);
    const [lo, hi] = halves(0x1_0075_6abdn);
    expect(s.t.translateG(lo, hi, Access.Store)).toBe(0);
    expect(s.t.out.pa).toBe(0xa015_6abd);
    expect([s.t.out.gLevel, s.t.out.level, s.t.out.pageShift]).toEqual([1, 1, 21]);
  });

  for (const a of ACCESSES) {
    it(`raises a ${a.name} guest-page fault for an unmapped GPA and reports it for htval, not implicit (${GPF}, norm:mtval2_htval_virtaddr)`, () => {
      const s = new TwoStage(3, 3);
      const [lo, hi] = halves(GPA);
      expect(s.t.translateG(lo, hi, a.access)).toBe(a.gpf);
      expect(s.t.out.implicitFault).toBe(false);
      expect(s.faultGpa).toBe(GPA);
    });
  }

  it(`checks the access as a U-mode access: a G-stage leaf with U=0 faults (${GPT}, norm:H_vm_gpapriv)`, () => {
    const s = new TwoStage(3, 3);
    s.gpt.map(GPA, HPA, 0, RWX_AD);
    const [lo, hi] = halves(GPA);
    expect(s.t.translateG(lo, hi, Access.Fetch)).toBe(Cause.InstructionGuestPageFault);
  });

  it(`faults on a GPA wider than Sv39x4's 41 bits without reading a PTE (hypervisor.adoc norm:hgatp_mode_sv39x4)`, () => {
    const s = new TwoStage(3, 3);
    const [lo, hi] = halves(1n << 41n);
    expect(s.t.translateG(lo, hi, Access.Load)).toBe(Cause.LoadGuestPageFault);
    expect(s.mem.reads).toHaveLength(0);
  });

  it(`takes SPA = GPA when hgatp is Bare, with an access fault at or above 2^53 (${GPT}, norm:hgatp_mode_bare_trans)`, () => {
    const s = new TwoStage(3, 3, { gBare: true });
    const [lo, hi] = halves(0x8000_1234n);
    expect(s.t.translateG(lo, hi, Access.Load)).toBe(0);
    expect(s.t.out.pa).toBe(0x8000_1234);
    expect([s.t.out.vsLevel, s.t.out.gLevel]).toEqual([-1, -1]);
    const [flo, fhi] = halves(1n << 53n);
    expect(s.t.translateG(flo, fhi, Access.Store)).toBe(Cause.StoreAccessFault);
  });
});

describe('the PTE observer: the page number each stage translates (mmu/walk.ts PteObserver)', () => {
  it(`passes the GVA page for VS-stage reads and the GPA page for G-stage reads: of the VS PTE for its translation, of the data for the final one (${TWO})`, () => {
    const s = basic();
    const seen: [StageKind, number, bigint][] = [];
    s.t.onPteAccess = (_pa, stage, level, vpn) => seen.push([stage, level, BigInt(vpn)]);
    expect(s.translate(GVA, Access.Load, Priv.S)).toBe(0);
    const expected: [StageKind, number, bigint][] = [];
    for (let l = 2; l >= 0; l--) {
      const pteGpaPage = s.vpt.pteAddr(GVA, l) >> 12n;
      for (let gl = 2; gl >= 0; gl--) expected.push(['g', gl, pteGpaPage]);
      expected.push(['vs', l, GVA >> 12n]);
    }
    for (let gl = 2; gl >= 0; gl--) expected.push(['g', gl, GPA >> 12n]);
    expect(seen).toEqual(expected);
  });

  it('passes the full GPA page, with the two extra x4 root-index bits (hypervisor.adoc norm:hgatp_mode_x4)', () => {
    const s = new TwoStage(3, 3, { vsBare: true });
    const wide = (3n << 39n) | 0x5000n; // GPA bits 40:39 set: only the x4 root's index reaches them
    s.gpt.map(wide, HPA, 0, URWX_AD);
    const vpns: number[] = [];
    s.t.onPteAccess = (_pa, _stage, _level, vpn) => vpns.push(vpn);
    expect(s.translate(wide, Access.Load, Priv.S)).toBe(0);
    expect(vpns).toEqual([Number(wide >> 12n), Number(wide >> 12n), Number(wide >> 12n)]);
  });

  it('passes the VA page for native reads', () => {
    const pt = new PageTables(3);
    pt.map(GVA, 0x8765_4000n, 0, RWX_AD);
    const t = new Translator(pt.mem);
    t.satpMode = SatpMode.Sv39;
    t.satpPpn = pt.rootPpn;
    const seen: [StageKind, number][] = [];
    t.onPteAccess = (_pa, stage, _level, vpn) => seen.push([stage, vpn]);
    const [lo, hi] = halves(GVA);
    expect(t.translate(lo, hi, Access.Load, Priv.S)).toBe(0);
    expect(seen).toEqual(Array(3).fill(['native', Number(GVA >> 12n)]));
  });
});
