import { describe, expect, it } from 'vitest';
import { ConfigError } from '../common/errors.js';
import { PageTables, pte } from '../mmu/test-support/page-tables.js';
import { machineConfigSchema } from './config.js';
import { csrWrite } from './csr.js';
import { CSR_NAMES } from './csr-addr.js';
import { Machine } from './machine.js';
import { Word } from '../caches/word.js';
import * as A from './test-support/asm.js';
import { Asm, CSR, a0, a1, t0, t1, t2, t3 } from './test-support/asm.js';

/**
 * The strict TLB mode and the fence sanitizer on a whole machine (detailed mode), with a small
 * S-mode program that reads a page, rewrites its leaf PTE and reads it again, with or without
 * SFENCE.VMA in between (supervisor.adoc "Supervisor Memory-Management Fence Instruction").
 */
const CODE = 0x8000_0000n;
const HANDLER = 0x8001_0000n;
const TABLES = 0x8040_0000n;
const VA = 0x4000_0000n;
const OLD = 0x8010_0000n;
const NEW = 0x8010_1000n;
const V = 1, R = 2, W = 4, X = 8, AD = 64 | 128;
const CSR_SSTATUS = CSR.sstatus;

interface Options {
  strict?: boolean;
  sanitizer?: 'off' | 'report' | 'fail';
  fence?: boolean;
  /**
   * Set and clear sstatus.SUM between the store and the load: it takes effect at once
   * (supervisor.adoc norm:sfence_vma_sum_mxr_effect), so the hart drops its software TLB, while
   * a hardware TLB keeps its entries.
   */
  toggleSum?: boolean;
  blocks?: boolean;
  tlb?: Record<string, unknown>;
}

function run(o: Options) {
  const cfg = machineConfigSchema.parse({
    platform: { uart: 'capture' },
    hart: { blockTranslation: o.blocks ?? true, translateThreshold: 1 },
    run: { mode: 'detailed' },
    mmu: { strict: o.strict ?? false, sanitizer: o.sanitizer ?? 'off', tlb: o.tlb ?? {} },
  });
  const m = new Machine(cfg);
  const bus = m.platform.bus;
  const pt = new PageTables(3, false, bus, TABLES);
  pt.map(0n, 0n, 2, V | R | W | AD); // devices (the finisher)
  pt.map(0x8000_0000n, 0x8000_0000n, 2, V | R | W | X | AD); // DRAM, identity
  const leaf = pt.map(VA, OLD, 0, V | R | W | AD);
  poke(m, OLD, 0x1111n);
  poke(m, NEW, 0x2222n);
  const prog = new Asm(CODE);
  prog.li(t0, VA).emit(A.ld(a0, t0, 0)).li(t1, leaf).li(t2, pte(NEW, V | R | W | AD));
  prog.label('store').emit(A.sd(t2, t1, 0));
  if (o.fence) prog.emit(A.sfence_vma(t0, 0));
  if (o.toggleSum) prog.li(t3, 1n << 18n).emit(A.csrs(CSR_SSTATUS, t3), A.csrc(CSR_SSTATUS, t3));
  prog.label('use').emit(A.ld(a1, t0, 0), A.ecall());
  bus.dram.writeBytes(Number(CODE), prog.bytes());
  bus.dram.writeBytes(Number(HANDLER), new Asm(HANDLER).emit(A.exitSeq(0), A.j(0)).bytes());
  csr(m, 'mtvec', HANDLER);
  csr(m, 'satp', (8n << 60n) | (pt.root >> 12n));
  m.hart.setPc(Number(CODE), 0);
  m.hart.priv = 1; // S
  const result = m.run(10_000);
  const x = (r: number) => BigInt.asUintN(64, (BigInt(m.hart.x[2 * r + 1]!) << 32n) | BigInt(m.hart.x[2 * r]! >>> 0));
  return { m, result, prog, a1: x(a1), stats: m.stats.snapshot() };
}

function poke(m: Machine, pa: bigint, v: bigint): void {
  m.platform.bus.store(Number(pa), 8, Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)));
}

function csr(m: Machine, name: string, v: bigint): void {
  const num = Number(Object.entries(CSR_NAMES).find(([, n]) => n === name)![0]);
  csrWrite(m.hart, num, Number(BigInt.asIntN(32, v & 0xffff_ffffn)), Number(BigInt.asIntN(32, v >> 32n)), new Word());
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

describe('fence sanitizer on a machine', () => {
  for (const blocks of [true, false]) {
    it(`reports the unfenced PTE store and the load that used the old translation, with their pcs (${blocks ? 'translated blocks' : 'interpreter'})`, () => {
      const { result, prog, a1: value } = run({ sanitizer: 'report', blocks });
      expect(result.reason).toBe('exit');
      expect(result.exitCode).toBe(0);
      expect(value).toBe(0x1111n); // the hart's software TLB still held the old translation
      const rep = result.sanitizer!;
      expect(rep.violations).toBe(1);
      expect(rep.records[0]).toMatchObject({
        required: 'sfence-vma',
        address: hex(VA),
        addressKind: 'va',
        leaf: true,
        store: { pc: hex(prog.addr('store')), priv: 'S', virt: false },
        use: { pc: hex(prog.addr('use')), priv: 'S', virt: false, va: hex(VA), access: 'load', stale: true },
      });
    });
  }

  it('reports nothing when SFENCE.VMA with the address orders the store before the load (supervisor.adoc norm:sfence_vma_va_all_asid)', () => {
    const { result } = run({ sanitizer: 'report', fence: true });
    expect(result.sanitizer).toEqual({ mode: 'report', violations: 0, records: [] });
  });

  it('changes no result and no statistic outside mmu.sanitizer.* (and the simulator-internal sim.*, translator.*)', () => {
    const off = run({});
    const on = run({ sanitizer: 'report' });
    const model = (s: Record<string, number>) => Object.fromEntries(Object.entries(s).filter(([k]) => !/^(mmu\.sanitizer|sim|translator)\./.test(k)));
    expect(model(on.stats)).toEqual(model(off.stats));
    expect(Object.keys(on.stats).filter((k) => k.startsWith('mmu.sanitizer.'))).not.toHaveLength(0);
    expect({ ...on.result, hostSeconds: 0, sanitizer: undefined }).toEqual({ ...off.result, hostSeconds: 0, sanitizer: undefined });
    expect(off.result.sanitizer).toBeUndefined();
  });

  it("'fail' stops the run at the first violation with exit code 1 and the violation as its message", () => {
    const { result, m } = run({ sanitizer: 'fail' });
    expect([result.reason, result.exitCode]).toEqual(['exit', 1]);
    expect(result.message).toMatch(/^stopped by the fence sanitizer: missing SFENCE\.VMA: leaf PTE at 0x[0-9a-f]+ for virtual page 0x40000000/);
    expect(m.uartText).toBe('');
  });

  it('needs detailed mode: functional mode has no modelled TLBs (ConfigError)', () => {
    for (const mmu of [{ strict: true }, { sanitizer: 'report' as const }]) {
      const cfg = machineConfigSchema.parse({ run: { mode: 'functional' }, mmu });
      expect(() => new Machine(cfg)).toThrow(ConfigError);
    }
  });
});

describe('strict TLB mode on a machine', () => {
  for (const blocks of [true, false]) {
    it(`an unfenced PTE change stays invisible while the modelled TLB holds the old entry, whatever drops the hart's own software TLB (${blocks ? 'translated blocks' : 'interpreter'})`, () => {
      expect(run({ strict: true, toggleSum: true, blocks }).a1).toBe(0x1111n);
      // Without strict mode the software TLB is all there is: once dropped, the hart walks again.
      expect(run({ strict: false, toggleSum: true, blocks }).a1).toBe(0x2222n);
    });
  }

  it('SFENCE.VMA makes the new translation visible (supervisor.adoc norm:sfence_vma_va_all_asid)', () => {
    expect(run({ strict: true, fence: true }).a1).toBe(0x2222n);
  });

  it('an eviction from the modelled TLB makes it visible too: the next access walks', () => {
    const tiny = { hitLatency: 0, arrays: [{ entries: 1, pageSizes: ['4K', '2M', '1G'] }] };
    const r = run({ strict: true, toggleSum: true, tlb: { dtlb: tiny, l2: null } });
    // The one-entry DTLB lost the page to the leaf PTE's own page (the store's translation).
    expect(r.a1).toBe(0x2222n);
  });
});
