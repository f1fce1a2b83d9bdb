import { describe, expect, it } from 'vitest';
import { Bus } from '../../caches/bus.js';
import { MemoryHierarchy, Requester } from '../../caches/hierarchy.js';
import { StatRegistry } from '../../common/stats.js';
import { Priv } from '../../mmu/access.js';
import { DRAM_BASE, DRAM_SIZE, PageTables, RWX_AD } from '../../mmu/test-support/page-tables.js';
import { SatpMode, Translator } from '../../mmu/translate.js';
import { machineConfigSchema } from '../config.js';
import { Decoded, Op } from '../ops.js';
import { presetConfig } from '../presets.js';
import { TimingModel } from './timing-model.js';

/**
 * How TimingModel attributes a load's MEM stall (sideStall): the cycles the TLBs took (L1 and L2
 * TLB lookups and the walk) go to the D-TLB category of the CPI stack, the cycles the L1D access
 * took beyond a hit to the D-cache category; each is charged exactly, whichever is longer, and
 * the stack sums to the cycles. Driven through retire() like the machine's detailed step, with a
 * real Sv39 translator and the inorder-default preset (DRAM bandwidth unlimited, so that a cold
 * miss costs the same whenever it happens).
 */
const CODE = 0x8000_0000;
/** VA_A and VA_B map the same physical page (an alias); VA_C and VA_D their own. */
const VA_A = 0x4000_0000n;
const VA_B = 0x4000_1000n;
const VA_C = 0x4000_2000n;
const VA_D = 0x4000_3000n;
const PA_AB = 0x8020_0000n;
const PA_C = 0x8030_0000n;
const PA_D = 0x8040_0000n;
const S = Priv.S;
const M = Priv.M;

function setup() {
  const input = presetConfig('inorder-default');
  const cfg = machineConfigSchema.parse({ ...input, caches: { ...input.caches, dram: { ...input.caches!.dram, transferCycles: 0 } } });
  const bus = new Bus(DRAM_BASE, DRAM_SIZE);
  const pt = new PageTables(3, false, bus);
  pt.map(VA_A, PA_AB, 0, RWX_AD);
  pt.map(VA_B, PA_AB, 0, RWX_AD);
  pt.map(VA_C, PA_C, 0, RWX_AD);
  pt.map(VA_D, PA_D, 0, RWX_AD);
  const t = new Translator(pt.mem);
  t.satpMode = SatpMode.Sv39;
  t.satpPpn = pt.rootPpn;
  const reg = new StatRegistry();
  const tm = new TimingModel({ ...cfg.timing, caches: cfg.caches, mmu: cfg.mmu }, t, reg);
  // What a cold line costs beyond an L1D hit, from a hierarchy of its own.
  const fresh = new MemoryHierarchy(cfg.caches, new StatRegistry().scope('caches'));
  const coldExtra = fresh.access(Number(PA_AB) + 0x800, Requester.Load, 0) - cfg.caches.l1d.hitLatency;
  const tlbLookups = cfg.mmu.tlb.dtlb.hitLatency + cfg.mmu.tlb.l2!.hitLatency;
  let pc = CODE;
  const d = new Decoded();
  /** Retires one instruction (fetched in M-mode from one warm line), returning the statistics' changes. */
  const retire = (op: Op, ea: bigint | null) => {
    const before = reg.snapshot();
    d.set(op, 0, 0, 0, 0);
    const eaLo = ea === null ? 0 : Number(ea & 0xffff_ffffn) | 0;
    tm.retire(d, pc, 0, pc + 4, 0, eaLo, 0, M, S); // data in S-mode (as with MPRV): translated by satp
    pc += 4;
    const after = reg.snapshot();
    const delta = (name: string) => after[name]! - before[name]!;
    const stack = Object.keys(after).filter((k) => k.startsWith('timing.cpi.')).reduce((sum, k) => sum + delta(k), 0);
    return { dtlb: delta('timing.cpi.dtlb'), dcache: delta('timing.cpi.dcache'), cycles: delta('timing.cycles'), stack, walk: delta('mmu.walker.cycles') };
  };
  retire(Op.ADDI, null); // brings the code line into the L1I; the next instructions fetch from it
  return { tm, retire, coldExtra, tlbLookups, reg };
}

describe('TimingModel: a load stall split between the D-TLB and the D-cache (pipeline/timing/timing-model.ts sideStall)', () => {
  it('a TLB hit with a cache miss: every stall cycle is the cache\'s', () => {
    const { tm, retire, coldExtra } = setup();
    retire(Op.LD, VA_A); // walk and fill
    const r = retire(Op.LD, VA_A + 0x800n); // same page (L1 TLB hit), another line (cold)
    expect(tm.memTlb).toBe(0);
    expect(r.walk).toBe(0);
    expect(r).toMatchObject({ dtlb: 0, dcache: coldExtra, cycles: 1 + coldExtra, stack: 1 + coldExtra });
  });

  it('a TLB miss whose walk finds the data line cached: every stall cycle is the TLB\'s', () => {
    const { tm, retire, tlbLookups } = setup();
    retire(Op.LD, VA_A); // PA_AB's first line is now in the L1D
    const r = retire(Op.LD, VA_B); // another page, the same physical line
    expect(r.walk).toBeGreaterThan(0);
    expect(tm.memTlb).toBe(tlbLookups + r.walk);
    expect(r).toMatchObject({ dtlb: tlbLookups + r.walk, dcache: 0, cycles: 1 + tlbLookups + r.walk, stack: 1 + tlbLookups + r.walk });
  });

  it('a walk longer than the cache miss behind it: the TLB share to the D-TLB, the miss to the D-cache, exactly', () => {
    const { retire, coldExtra, tlbLookups } = setup();
    const r = retire(Op.LD, VA_A); // cold: three PTE reads from DRAM, then the data line from DRAM
    expect(r.walk).toBeGreaterThan(coldExtra);
    expect(r).toMatchObject({ dtlb: tlbLookups + r.walk, dcache: coldExtra, cycles: 1 + tlbLookups + r.walk + coldExtra, stack: r.cycles });
  });

  it('a cache miss longer than the walk in front of it: split the same way', () => {
    const { retire, coldExtra, tlbLookups } = setup();
    retire(Op.LD, VA_A); // the leaf PTEs of VA_A..VA_D share a line, now cached with the upper levels
    const r = retire(Op.LD, VA_D);
    expect(r.walk).toBeGreaterThan(0);
    expect(r.walk).toBeLessThan(coldExtra);
    expect(r).toMatchObject({ dtlb: tlbLookups + r.walk, dcache: coldExtra, cycles: 1 + tlbLookups + r.walk + coldExtra, stack: r.cycles });
  });

  it('the CPI stack sums to the cycles over a run of mixed cases', () => {
    const { retire, reg } = setup();
    for (const va of [VA_C, VA_C + 0x40n, VA_B, VA_A + 0x80n, VA_D + 0x100n, VA_C]) retire(Op.LD, va);
    const s = reg.snapshot();
    const stack = Object.keys(s).filter((k) => k.startsWith('timing.cpi.')).reduce((sum, k) => sum + s[k]!, 0);
    expect(stack).toBe(s['timing.cycles']);
    expect(s['timing.cpi.dtlb']).toBeGreaterThan(0);
    expect(s['timing.cpi.dcache']).toBeGreaterThan(0);
  });
});
