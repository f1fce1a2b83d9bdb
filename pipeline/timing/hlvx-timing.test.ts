import { describe, expect, it } from 'vitest';
import { Word } from '../../caches/word.js';
import { Priv } from '../../mmu/access.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from '../../mmu/pte.js';
import { PageTables } from '../../mmu/test-support/page-tables.js';
import { HELD_NONE, TlbSide } from '../../mmu/tlb/mmu-model.js';
import { machineConfigSchema } from '../config.js';
import { csrRead, csrWrite } from '../csr.js';
import { CSR_NAMES } from '../csr-addr.js';
import { Machine } from '../machine.js';
import * as A from '../test-support/asm.js';
import { Asm, a0, a1, a2 } from '../test-support/asm.js';

/**
 * HLVX in the detailed mode's TLB model: hypervisor.adoc "Hypervisor Virtual-Machine Load and
 * Store Instructions" (norm:hlsv_u_op): for HLVX.HU / HLVX.WU "execute permission takes the place
 * of read permission during address translation ... the memory being read must be executable in
 * both stages of address translation, but read permission is not required". The timed walk of
 * the DTLB miss must make the same check as the hart's walk, or it "faults" (charged, nothing
 * filled) where the access succeeded.
 */
const HLSV = 'hypervisor.adoc norm:hlsv_u_op';
const CODE = 0x8000_0000n;
const HANDLER = 0x8001_0000n;
const G_TABLES = 0x8080_0000n;
const VS_TABLE_GPA = 0xc040_0000n;
const VS_TABLE_HPA = 0x8140_0000n;
/** Page 0: VS-stage execute-only; page 1: G-stage execute-only. */
const GVA = 0x4000_0000n;
const GPA = 0xc000_0000n;
const HPA = 0x8100_0000n;
const WORD = 0x1122_3344_5566_7788n;
const AD = PTE_A | PTE_D;
const VS_XONLY = PTE_V | PTE_X | AD;
const VS_RWX = PTE_V | PTE_R | PTE_W | PTE_X | AD;
const G_URWX = VS_RWX | PTE_U;
const G_UXONLY = VS_XONLY | PTE_U;
const HSTATUS_SPVP = 1n << 8n;

const G_TLB = { hitLatency: 1, arrays: [{ entries: 16, ways: 0, replacement: 'lru', seed: 4, pageSizes: ['4K', '2M', '1G'] }] } as const;
const ORGANISATIONS = {
  combined: { organisation: 'combined' },
  separate: { organisation: 'separate', gTlb: G_TLB },
  hybrid: { organisation: 'hybrid', gTlb: G_TLB },
} as const;

/** A detailed-mode machine in HS-mode (satp Bare) with a guest: GVA page k -> GPA page k -> HPA page k. */
function guestMachine(tlb: Record<string, unknown>, strict: boolean) {
  const cfg = machineConfigSchema.parse({
    platform: { uart: 'capture' },
    hart: { blockTranslation: false },
    run: { mode: 'detailed' },
    mmu: { tlb, strict },
  });
  const m = new Machine(cfg);
  const bus = m.platform.bus;
  const gpt = new PageTables(3, true, bus, G_TABLES);
  for (let k = 0n; k < 16n; k++) gpt.map(VS_TABLE_GPA + k * 0x1000n, VS_TABLE_HPA + k * 0x1000n, 0, G_URWX & ~PTE_X);
  gpt.map(GPA, HPA, 0, G_URWX);
  gpt.map(GPA + 0x1000n, HPA + 0x1000n, 0, G_UXONLY);
  const vpt = new PageTables(3, false, bus, VS_TABLE_GPA, (gpa) => gpt.lookup(gpa)!);
  vpt.map(GVA, GPA, 0, VS_XONLY);
  vpt.map(GVA + 0x1000n, GPA + 0x1000n, 0, VS_RWX);
  poke(m, HPA + 0x10n, WORD);
  poke(m, HPA + 0x1010n, WORD + 1n);
  setCsr(m, 'hgatp', (8n << 60n) | (gpt.root >> 12n)); // Sv39x4, VMID 0
  setCsr(m, 'vsatp', (8n << 60n) | (vpt.root >> 12n)); // Sv39
  setCsr(m, 'hstatus', HSTATUS_SPVP); // HLV/HLVX act as VS-mode accesses (norm:hlsv_priv)
  setCsr(m, 'mtvec', HANDLER);
  bus.dram.writeBytes(Number(HANDLER), new Asm(HANDLER).emit(A.exitSeq(0), A.j(0)).bytes());
  return m;
}

/** Runs `body` in HS-mode and stops; returns the machine, mcause if a trap was taken (else null) and x(r). */
function run(tlb: Record<string, unknown>, ...body: (number | number[])[]) {
  return runIn(tlb, false, body);
}

function runIn(tlb: Record<string, unknown>, strict: boolean, body: (number | number[])[]) {
  const m = guestMachine(tlb, strict);
  m.platform.bus.dram.writeBytes(Number(CODE), new Asm(CODE).emit(...body, A.exitSeq(0)).bytes());
  m.hart.setPc(Number(CODE), 0);
  m.hart.priv = Priv.S;
  m.run(1000);
  const trapped = m.hart.exceptions > 0;
  const x = (r: number) => BigInt.asUintN(64, (BigInt(m.hart.x[2 * r + 1]!) << 32n) | BigInt(m.hart.x[2 * r]! >>> 0));
  return { m, mcause: trapped ? readCsr(m, 'mcause') : null, x, stats: m.stats.snapshot() };
}

/** What the DTLB organisation holds for the guest access to gva from VS-mode (physical address or HELD_NONE). */
function dtlbHeld(m: Machine, gva: bigint): number {
  return m.timing!.tlbs.held(TlbSide.D, Number(gva & 0xffff_ffffn) | 0, Number(gva >> 32n), 4 | Priv.S);
}

function poke(m: Machine, pa: bigint, v: bigint): void {
  m.platform.bus.store(Number(pa), 8, Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)));
}

function csrNumber(name: string): number {
  return Number(Object.entries(CSR_NAMES).find(([, n]) => n === name)![0]);
}

function setCsr(m: Machine, name: string, v: bigint): void {
  csrWrite(m.hart, csrNumber(name), Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)), new Word());
}

function readCsr(m: Machine, name: string): bigint {
  const w = new Word();
  csrRead(m.hart, csrNumber(name), w);
  return BigInt.asUintN(64, (BigInt(w.hi) << 32n) | BigInt(w.lo >>> 0));
}

describe(`HLVX in the timing model's TLBs and walker (${HLSV})`, () => {
  for (const [name, tlb] of Object.entries(ORGANISATIONS)) {
    it(`${name}: an HLVX.WU from HS to an execute-only VS page walks without a fault and fills the DTLB (${HLSV})`, () => {
      const r = run(tlb, A.li64(a1, GVA + 0x10n), A.hlvx_wu(a0, a1));
      expect(r.mcause).toBe(null);
      expect(r.x(a0)).toBe(WORD & 0xffff_ffffn);
      expect(r.stats['mmu.walker.walksVirt']).toBe(1);
      expect(r.stats['mmu.walker.faults']).toBe(0);
      expect(dtlbHeld(r.m, GVA + 0x10n)).toBe(Number(HPA + 0x10n));
    });

    it(`${name}: an HLV.W to the same page takes a load page fault (13) in the hart, and the timing model neither walks nor fills for it (${HLSV}: read permission is required without X)`, () => {
      const r = run(tlb, A.li64(a1, GVA + 0x10n), A.hlv_w(a0, a1));
      expect(r.mcause).toBe(13n);
      expect(r.stats['mmu.walker.walksVirt']).toBe(0);
      expect(dtlbHeld(r.m, GVA + 0x10n)).toBe(HELD_NONE);
    });

    it(`${name}: an HLVX.HU to a G-stage execute-only page walks both stages with X in place of R (${HLSV}: "executable in both stages")`, () => {
      const r = run(tlb, A.li64(a1, GVA + 0x1010n), A.hlvx_hu(a0, a1));
      expect(r.mcause).toBe(null);
      expect(r.x(a0)).toBe((WORD + 1n) & 0xffffn);
      expect(r.stats['mmu.walker.faults']).toBe(0);
      expect(dtlbHeld(r.m, GVA + 0x1010n)).toBe(Number(HPA + 0x1010n));
    });
  }

  it(`strict mode: the DTLB entry an HLVX filled answers the next HLVX by its cached X, and refuses an HLV.W, which walks and takes the load page fault (${HLSV}; mmu/tlb/strict.ts)`, () => {
    const r = runIn(ORGANISATIONS.combined, true, [A.li64(a1, GVA + 0x10n), A.hlvx_wu(a0, a1), A.hlvx_wu(a2, a1), A.hlv_w(a0, a1)]);
    expect(r.x(a2)).toBe(WORD & 0xffff_ffffn);
    expect(r.mcause).toBe(13n);
    expect(r.stats['mmu.strict.heldHits']).toBeGreaterThan(0);
    expect(r.stats['mmu.strict.refetches']).toBe(1);
    expect(r.stats['mmu.walker.faults']).toBe(0); // the faulting HLV.W never retires: the timing model does not walk for it
  });

  it(`separate: after HFENCE.GVMA drops the G-stage TLB entry, the G-stage-only walk of an HLVX checks X at the G-stage too (${HLSV}; hypervisor.adoc norm:hfence-gvma_op)`, () => {
    const r = run(ORGANISATIONS.separate, A.li64(a1, GVA + 0x1010n), A.hlvx_hu(a0, a1), A.hfence_gvma(0, 0), A.hlvx_hu(a2, a1));
    expect(r.mcause).toBe(null);
    expect(r.x(a2)).toBe((WORD + 1n) & 0xffffn);
    expect(r.stats['mmu.walker.walksVirt']).toBe(1);
    expect(r.stats['mmu.walker.walksG']).toBe(1); // the VS-stage entry stayed: the fence is G-stage only
    expect(r.stats['mmu.walker.faults']).toBe(0);
    expect(dtlbHeld(r.m, GVA + 0x1010n)).toBe(Number(HPA + 0x1010n));
  });
});
