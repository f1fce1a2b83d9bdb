import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import { decode } from './decode.js';
import { Decoded, OP_NAMES } from './ops.js';
import * as A from './test-support/asm.js';
import { a0, a1, a2 } from './test-support/asm.js';
import { CODE, M_HANDLER, PTE, S_HANDLER, TestHart } from './test-support/harness.js';
import { G_URW, G_URWX, GUEST_DATA_GPA, GUEST_DATA_HPA, Guest, HS, MS, VS_RWX, hypHart } from './test-support/hyp.js';

/**
 * HLV, HLVX and HSV through the hart (hypervisor.adoc "Hypervisor Virtual-Machine Load and
 * Store Instructions"): the explicit access is made as though V=1 at privilege hstatus.SPVP,
 * with two-stage translation, whatever the current mode and MPRV say.
 */

const HLSV = 'hypervisor.adoc "Hypervisor Virtual-Machine Load and Store Instructions"';
const GVA = 0x4000_0000n;
const WORD = 0x8081_8283_8485_8687n;
const G_UX = PTE.V | PTE.X | PTE.U | PTE.A | PTE.D;

/** Pages: GVA +0 supervisor RWX, +0x1000 user RWX, +0x2000 supervisor X-only, +0x3000 G-stage X-only, +0x4000 supervisor RW (no X). */
function hlvGuest(overrides: Parameters<typeof hypHart>[0] = {}) {
  const t = hypHart(overrides);
  const g = new Guest(t).enable();
  const page = (k: bigint, vsFlags: number, gFlags = G_URWX) => {
    g.map(GVA + k * 0x1000n, GUEST_DATA_GPA + k * 0x1000n, GUEST_DATA_HPA + k * 0x1000n, vsFlags, gFlags);
    t.poke(GUEST_DATA_HPA + k * 0x1000n + 0x10n, 8, WORD + k);
  };
  page(0n, VS_RWX);
  page(1n, VS_RWX | PTE.U);
  page(2n, PTE.V | PTE.X | PTE.A | PTE.D);
  page(3n, VS_RWX, G_UX);
  page(4n, VS_RWX & ~PTE.X);
  return { t, g };
}

/** Run `words` at CODE in `priv` (V=0) and stop: returns the cause of the trap taken, or null if none. */
function run(t: TestHart, priv: Priv, ...words: (number | number[])[]): bigint | null {
  t.code(CODE, (a) => a.emit(...words, A.exitSeq()));
  t.start(CODE, priv);
  expect(t.runSteps(300).reason).toBe('exit');
  if (t.m.hart.exceptions === 0) return null;
  if (t.pc >= M_HANDLER && t.pc < M_HANDLER + 0x40n) return t.csr('mcause');
  expect(t.pc >= S_HANDLER && t.pc < S_HANDLER + 0x40n).toBe(true);
  return t.csr('scause');
}

describe('the H encoders agree with the decoder (pipeline/test-support/asm.ts)', () => {
  it('hlv.*, hlvx.*, hsv.*, hfence.*, hinval.* decode to themselves with their operands (riscv-opcodes rv_h, rv64_h, rv_svinval_h)', () => {
    const cases: [number, string, Partial<Decoded>][] = [
      [A.hlv_b(5, 6), 'hlv.b', { rd: 5, rs1: 6 }], [A.hlv_bu(5, 6), 'hlv.bu', {}], [A.hlv_h(5, 6), 'hlv.h', {}], [A.hlv_hu(5, 6), 'hlv.hu', {}],
      [A.hlv_w(5, 6), 'hlv.w', {}], [A.hlv_wu(5, 6), 'hlv.wu', {}], [A.hlv_d(31, 1), 'hlv.d', { rd: 31, rs1: 1 }],
      [A.hlvx_hu(5, 6), 'hlvx.hu', {}], [A.hlvx_wu(5, 6), 'hlvx.wu', {}],
      [A.hsv_b(7, 8), 'hsv.b', { rs2: 7, rs1: 8 }], [A.hsv_h(7, 8), 'hsv.h', {}], [A.hsv_w(7, 8), 'hsv.w', {}], [A.hsv_d(7, 8), 'hsv.d', { rs2: 7, rs1: 8 }],
      [A.hfence_vvma(1, 2), 'hfence.vvma', { rs1: 1, rs2: 2 }], [A.hfence_gvma(3, 4), 'hfence.gvma', { rs1: 3, rs2: 4 }],
      [A.hinval_vvma(1, 2), 'hinval.vvma', {}], [A.hinval_gvma(), 'hinval.gvma', {}],
    ];
    for (const [w, name, fields] of cases) {
      const d = new Decoded();
      decode(w, d);
      expect(OP_NAMES[d.op], `0x${w.toString(16)}`).toBe(name);
      expect(d).toMatchObject(fields);
    }
  });
});

describe(`HLV and HSV results (${HLSV}, norm:hlsv_op)`, () => {
  const loads: [string, (rd: number, rs1: number) => number, bigint][] = [
    ['hlv.b', A.hlv_b, BigInt.asUintN(64, -0x79n)], ['hlv.bu', A.hlv_bu, 0x87n],
    ['hlv.h', A.hlv_h, BigInt.asUintN(64, -0x7979n)], ['hlv.hu', A.hlv_hu, 0x8687n],
    ['hlv.w', A.hlv_w, 0xffff_ffff_8485_8687n], ['hlv.wu', A.hlv_wu, 0x8485_8687n],
    ['hlv.d', A.hlv_d, WORD], ['hlvx.hu', A.hlvx_hu, 0x8687n], ['hlvx.wu', A.hlvx_wu, 0x8485_8687n],
  ];
  for (const [name, f, expected] of loads) {
    it(`${name} in HS-mode loads through both stages and extends like its load (GVA -> GPA -> HPA) (norm:hlsv_op, norm:hlsv_trans)`, () => {
      const { t } = hlvGuest();
      t.setCsr('hstatus', HS.SPVP);
      expect(run(t, Priv.S, A.li64(a1, GVA + 0x10n), f(a0, a1))).toBe(null);
      expect(t.x(a0)).toBe(expected);
    });
  }

  for (const [name, f, size] of [['hsv.b', A.hsv_b, 1], ['hsv.h', A.hsv_h, 2], ['hsv.w', A.hsv_w, 4], ['hsv.d', A.hsv_d, 8]] as const) {
    it(`${name} in HS-mode stores ${size} byte(s) through both stages (norm:hlsv_op, norm:hlsv_trans)`, () => {
      const { t } = hlvGuest();
      t.setCsr('hstatus', HS.SPVP);
      expect(run(t, Priv.S, A.li64(a1, GVA + 0x20n), A.li64(a2, 0x1122_3344_5566_7788n), f(a2, a1))).toBe(null);
      const mask = size === 8 ? (1n << 64n) - 1n : (1n << BigInt(8 * size)) - 1n;
      expect(t.peek(GUEST_DATA_HPA + 0x20n)).toBe(0x1122_3344_5566_7788n & mask);
    });
  }

  it('valid in M-mode, and in U-mode with hstatus.HU=1; illegal in U-mode with HU=0 (norm:hlsv_mode, norm:hlsv_illegalinst)', () => {
    for (const [priv, hu, expected] of [[Priv.M, 0n, null], [Priv.U, HS.HU, null], [Priv.U, 0n, 2n]] as const) {
      const { t } = hlvGuest();
      t.setCsr('hstatus', HS.SPVP | hu);
      expect(run(t, priv, A.li64(a1, GVA + 0x10n), A.hlv_d(a0, a1)), `priv ${priv}`).toBe(expected);
      if (expected === null) expect(t.x(a0)).toBe(WORD);
    }
  });

  it('with vsatp Bare the GVA is the GPA: only the G-stage translates (norm:H_vm_twostage)', () => {
    const t = hypHart();
    const g = new Guest(t, { vsLevels: 0 }).enable();
    g.gmap(GUEST_DATA_GPA, GUEST_DATA_HPA + 0x7000n);
    t.poke(GUEST_DATA_HPA + 0x7008n, 8, 0x42n);
    expect(run(t, Priv.S, A.li64(a1, GUEST_DATA_GPA + 8n), A.hlv_d(a0, a1))).toBe(null);
    expect(t.x(a0)).toBe(0x42n);
  });
});

describe(`the effective privilege is hstatus.SPVP (${HLSV}, norm:hlsv_priv, norm:hlsv_trans)`, () => {
  it('SPVP=1 (VS): a supervisor page is accessible, a user page is not (load page fault) (norm:hlsv_priv)', () => {
    const a = hlvGuest();
    a.t.setCsr('hstatus', HS.SPVP);
    expect(run(a.t, Priv.S, A.li64(a1, GVA + 0x10n), A.hlv_d(a0, a1))).toBe(null);
    const b = hlvGuest();
    b.t.setCsr('hstatus', HS.SPVP);
    expect(run(b.t, Priv.S, A.li64(a1, GVA + 0x1010n), A.hlv_d(a0, a1))).toBe(13n);
  });

  it('SPVP=0 (VU): a user page is accessible, a supervisor page is not (norm:hlsv_priv)', () => {
    const a = hlvGuest();
    expect(run(a.t, Priv.S, A.li64(a1, GVA + 0x1010n), A.hlv_d(a0, a1))).toBe(null);
    expect(a.t.x(a0)).toBe(WORD + 1n);
    const b = hlvGuest();
    expect(run(b.t, Priv.S, A.li64(a1, GVA + 0x10n), A.hlv_d(a0, a1))).toBe(13n);
  });

  it('vsstatus.SUM applies and the HS-level sstatus.SUM is ignored: with SPVP=1, a user page needs vsstatus.SUM (norm:hlsv_trans)', () => {
    const a = hlvGuest();
    a.t.setCsr('hstatus', HS.SPVP);
    a.t.setCsr('mstatus', MS.SUM);
    expect(run(a.t, Priv.S, A.li64(a1, GVA + 0x1010n), A.hlv_d(a0, a1))).toBe(13n);
    const b = hlvGuest();
    b.t.setCsr('hstatus', HS.SPVP);
    b.t.setCsr('vsstatus', MS.SUM);
    expect(run(b.t, Priv.S, A.li64(a1, GVA + 0x1010n), A.hlv_d(a0, a1))).toBe(null);
    expect(b.t.x(a0)).toBe(WORD + 1n);
  });

  it('MPRV does not affect them: in M-mode with MPRV=1, MPP=U, MPV=0 an HLV still goes through both stages at SPVP (norm:mstatus_mprv_hlsv)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('mstatus', MS.MPRV);
    expect(run(t, Priv.M, A.li64(a1, GVA + 0x10n), A.hlv_d(a0, a1))).toBe(null);
    expect(t.x(a0)).toBe(WORD);
  });
});

describe(`HLVX needs execute permission instead of read (${HLSV}, norm:hlsv_u_op)`, () => {
  it('an X-only VS page: HLVX reads it, HLV takes a load page fault (norm:hlsv_u_op)', () => {
    const a = hlvGuest();
    a.t.setCsr('hstatus', HS.SPVP);
    expect(run(a.t, Priv.S, A.li64(a1, GVA + 0x2010n), A.hlvx_wu(a0, a1))).toBe(null);
    expect(a.t.x(a0)).toBe((WORD + 2n) & 0xffff_ffffn);
    const b = hlvGuest();
    b.t.setCsr('hstatus', HS.SPVP);
    expect(run(b.t, Priv.S, A.li64(a1, GVA + 0x2010n), A.hlv_wu(a0, a1))).toBe(13n);
  });

  it('an X-only G-stage page: HLVX reads it, HLV takes a load guest-page fault (norm:hlsv_u_op)', () => {
    const a = hlvGuest();
    a.t.setCsr('hstatus', HS.SPVP);
    expect(run(a.t, Priv.S, A.li64(a1, GVA + 0x3010n), A.hlvx_hu(a0, a1))).toBe(null);
    expect(a.t.x(a0)).toBe((WORD + 3n) & 0xffffn);
    const b = hlvGuest();
    b.t.setCsr('hstatus', HS.SPVP);
    expect(run(b.t, Priv.S, A.li64(a1, GVA + 0x3010n), A.hlv_hu(a0, a1))).toBe(21n);
  });

  it('a readable but not executable page: HLVX raises a load page fault (13), not an instruction page fault (NOTE: "they still raise the same exceptions as other load instructions")', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('medeleg', 1n << 13n);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x4010n), A.hlvx_wu(a0, a1))).toBe(13n);
    expect(t.csr('stval')).toBe(GVA + 0x4010n);
  });

  it('a G-stage page without X: HLVX raises a load guest-page fault (21) (norm:hlsv_u_op)', () => {
    const { t, g } = hlvGuest();
    g.map(GVA + 0x5000n, GUEST_DATA_GPA + 0x5000n, GUEST_DATA_HPA + 0x5000n, VS_RWX, G_URW);
    t.setCsr('hstatus', HS.SPVP);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x5010n), A.hlvx_hu(a0, a1))).toBe(21n);
  });
});

describe(`MXR for HLV (${HLSV}, norm:hlsv_sstatus_mxr, norm:hlsv_vsstatus_mxr)`, () => {
  it('vsstatus.MXR makes a VS X-only page readable by HLV (norm:hlsv_vsstatus_mxr)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('vsstatus', MS.MXR);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x2010n), A.hlv_d(a0, a1))).toBe(null);
    expect(t.x(a0)).toBe(WORD + 2n);
  });

  it('vsstatus.MXR does not reach the G-stage: a G-stage X-only page still faults (21) (norm:hlsv_vsstatus_mxr, norm:vsstatus_mxr_vm)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('vsstatus', MS.MXR);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x3010n), A.hlv_d(a0, a1))).toBe(21n);
  });

  it('the HS-level sstatus.MXR makes X-only pages readable at both stages (norm:hlsv_sstatus_mxr)', () => {
    for (const page of [0x2010n, 0x3010n]) {
      const { t } = hlvGuest();
      t.setCsr('hstatus', HS.SPVP);
      t.setCsr('mstatus', MS.MXR);
      expect(run(t, Priv.S, A.li64(a1, GVA + page), A.hlv_d(a0, a1))).toBe(null);
      expect(t.x(a0)).toBe(WORD + (page >> 12n));
    }
  });
});

describe(`faults of HLV/HSV (${HLSV}; hypervisor.adoc norm:hstatus_gva_op NOTE: "SPV=0 but GVA=1")`, () => {
  it('a guest-page fault of HLV.W in HS-mode: scause 21, stval = GVA, htval = GPA >> 2, GVA=1, SPV=0, SPVP kept, htinst = the HLV with rs1 zero (norm:htval_trapval; transformedvmaccessinst)', () => {
    const { t, g } = hlvGuest();
    g.vmap(GVA + 0x6000n, GUEST_DATA_GPA + 0x6000n); // the G-stage does not map this GPA
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('medeleg', 1n << 21n);
    const insn = A.hlv_w(a0, a1);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x6008n), insn)).toBe(21n);
    expect(t.csr('stval')).toBe(GVA + 0x6008n);
    expect(t.csr('htval')).toBe((GUEST_DATA_GPA + 0x6008n) >> 2n);
    expect(t.csr('hstatus') & (HS.GVA | HS.SPV | HS.SPVP)).toBe(HS.GVA | HS.SPVP);
    expect(t.csr('htinst')).toBe(BigInt(insn & ~(0x1f << 15)));
  });

  it('a page fault of HSV.D: scause 15 with GVA=1, SPV=0 (norm:hstatus_gva_op)', () => {
    const { t } = hlvGuest();
    t.setCsr('medeleg', 1n << 15n);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x10n), A.hsv_d(a0, a1))).toBe(15n); // SPVP=0: VU, supervisor page
    expect(t.csr('stval')).toBe(GVA + 0x10n);
    expect(t.csr('hstatus') & (HS.GVA | HS.SPV)).toBe(HS.GVA);
  });

  it('a fault of an HLV in M-mode goes to M with mstatus.GVA=1 and MPV=0 (norm:mstatus_gva_op, norm:mstatus_mpv_op)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    expect(run(t, Priv.M, A.li64(a1, GVA + 0x1010n), A.hlv_b(a0, a1))).toBe(13n);
    expect(t.csr('mtval')).toBe(GVA + 0x1010n);
    expect(t.csr('mstatus') & (MS.GVA | MS.MPV)).toBe(MS.GVA);
  });

  it('a misaligned HLV.D raises load address-misaligned with stval = the GVA and GVA=1 (norm:hstatus_gva_op)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    t.setCsr('medeleg', 1n << 4n);
    expect(run(t, Priv.S, A.li64(a1, GVA + 0x13n), A.hlv_d(a0, a1))).toBe(4n);
    expect(t.csr('stval')).toBe(GVA + 0x13n);
    expect(t.csr('hstatus') & HS.GVA).toBe(HS.GVA);
  });

  it('HLV in HS leaves the HS soft TLB alone: a plain load of the same address afterwards is an HS (satp Bare) access (norm:hlsv_priv: only the explicit access of the HLV acts as though V=1)', () => {
    const { t } = hlvGuest();
    t.setCsr('hstatus', HS.SPVP);
    expect(run(t, Priv.S, A.li64(a1, GUEST_DATA_HPA + 0x10n), A.li64(a2, GVA + 0x10n), A.hlv_d(a0, a2), A.ld(a2, a1, 0))).toBe(null);
    expect(t.x(a0)).toBe(WORD);
    expect(t.x(a2)).toBe(WORD);
  });
});
