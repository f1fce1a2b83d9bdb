import { describe, expect, it } from 'vitest';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { PTE_A, PTE_D, PTE_U, PTE_V, PTE_X } from './pte.js';
import { PageTables, RWX_AD, halves, pte } from './test-support/page-tables.js';
import { SatpMode, Translator, levelsForMode } from './translate.js';
import type { StageKind } from './walk.js';

const VA = 0xffff_ffc0_0020_1234n; // canonical in Sv39, Sv48 and Sv57
const PA = 0x8123_4000n;

function translator(levels = 3, flags = RWX_AD) {
  const pt = new PageTables(levels);
  pt.map(VA, PA, 0, flags);
  const t = new Translator(pt.mem);
  t.satpMode = levels === 3 ? SatpMode.Sv39 : levels === 4 ? SatpMode.Sv48 : SatpMode.Sv57;
  t.satpPpn = pt.rootPpn;
  return { pt, t };
}

function tr(t: Translator, va: bigint, access: Access, priv: Priv): number {
  const [lo, hi] = halves(va);
  return t.translate(lo, hi, access, priv);
}

describe('Translator', () => {
  for (const [mode, levels] of [[SatpMode.Sv39, 3], [SatpMode.Sv48, 4], [SatpMode.Sv57, 5]] as const) {
    it(`walks ${levels} levels from satp.PPN for satp.MODE=${mode} (supervisor.adoc "Encoding of satp MODE field")`, () => {
      expect(levelsForMode(mode)).toBe(levels);
      const { pt, t } = translator(levels);
      const seen: StageKind[] = [];
      t.onPteAccess = (_pa, stage) => seen.push(stage);
      expect(tr(t, VA, Access.Load, Priv.S)).toBe(0);
      expect(t.out.pa).toBe(Number(PA) + 0x234);
      expect(pt.mem.reads).toHaveLength(levels);
      expect(seen).toEqual(Array<StageKind>(levels).fill('native'));
    });
  }

  it('does not translate in M-mode even with satp set (supervisor.adoc norm:satp_op_active)', () => {
    const { pt, t } = translator();
    expect(tr(t, 0x8000_1234n, Access.Fetch, Priv.M)).toBe(0);
    expect(t.out.pa).toBe(0x8000_1234);
    expect(pt.mem.reads).toHaveLength(0);
  });

  it('does not translate when satp.MODE is Bare (supervisor.adoc norm:satp_mode)', () => {
    const { pt, t } = translator();
    t.satpMode = SatpMode.Bare;
    for (const priv of [Priv.U, Priv.S]) {
      expect(tr(t, 0x1234_5678_9abcn, Access.Store, priv)).toBe(0);
      expect(t.out.pa).toBe(0x1234_5678_9abc);
    }
    expect(pt.mem.reads).toHaveLength(0);
  });

  for (const [access, af] of [
    [Access.Fetch, Cause.InstructionAccessFault],
    [Access.Load, Cause.LoadAccessFault],
    [Access.Store, Cause.StoreAccessFault],
  ] as const) {
    it(`raises an access fault for an untranslated address at or above 2^53, where nothing lives (access ${access})`, () => {
      const { t } = translator();
      expect(tr(t, 1n << 53n, access, Priv.M)).toBe(af);
      expect(tr(t, 0xffff_ffff_ffff_fff0n, access, Priv.M)).toBe(af);
      t.satpMode = SatpMode.Bare;
      expect(tr(t, (1n << 53n) - 1n, access, Priv.S)).toBe(0);
      expect(t.out.pa).toBe(2 ** 53 - 1);
    });
  }

  it('raises a page fault for a VA that is non-canonical in Sv39 though canonical in Sv48 (supervisor.adoc norm:Sv39_va_signext)', () => {
    const { t } = translator(3);
    expect(tr(t, 0x0000_0040_0000_0000n, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
    expect(tr(t, 0x0000_0040_0000_0000n, Access.Fetch, Priv.U)).toBe(Cause.InstructionPageFault);
  });

  it('applies mstatus.SUM to S-mode accesses of U pages (supervisor.adoc norm:sstatus_sum)', () => {
    const { t } = translator(3, RWX_AD | PTE_U);
    expect(tr(t, VA, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
    t.sum = true;
    expect(tr(t, VA, Access.Load, Priv.S)).toBe(0);
    expect(tr(t, VA, Access.Fetch, Priv.S)).toBe(Cause.InstructionPageFault);
    expect(tr(t, VA, Access.Fetch, Priv.U)).toBe(0);
  });

  it('applies mstatus.MXR to loads of execute-only pages (supervisor.adoc norm:sstatus_mxr)', () => {
    const { t } = translator(3, PTE_V | PTE_X | PTE_A | PTE_D);
    expect(tr(t, VA, Access.Load, Priv.S)).toBe(Cause.LoadPageFault);
    t.mxr = true;
    expect(tr(t, VA, Access.Load, Priv.S)).toBe(0);
  });

  it('faults on A=0 under Svade and updates the PTE under Svadu (svadu.adoc, menvcfg.ADUE)', () => {
    const { pt, t } = translator(3, RWX_AD & ~(PTE_A | PTE_D));
    expect(tr(t, VA, Access.Store, Priv.S)).toBe(Cause.StorePageFault);
    t.adue = true;
    expect(tr(t, VA, Access.Store, Priv.S)).toBe(0);
    expect(pt.read(pt.pteAddr(VA, 0))).toBe(pte(PA, RWX_AD));
    expect(t.out.pteLo & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
  });

  it('rejects a satp.MODE it does not implement as a simulator bug, not a guest fault', () => {
    const { t } = translator();
    t.satpMode = 11; // Sv64: reserved
    expect(() => tr(t, VA, Access.Load, Priv.S)).toThrow(/satp.MODE 11/);
  });
});
