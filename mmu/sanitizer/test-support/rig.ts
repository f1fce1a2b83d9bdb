/**
 * Test support (mmu/sanitizer and strict-mode tests): one TLB organisation over real page tables
 * (a native Sv39 table and a two-stage Sv39 / Sv39x4 setup on one Bus), with the timed walker, the
 * PTE tracker, the fence sanitizer and the strict translation wired the way pipeline/machine.ts
 * and pipeline/timing/timing-model.ts wire them. Stores go through the Bus so the tracker sees
 * them; the walker's own A/D updates do not. BigInt throughout: cold code.
 */
import { PAGE_WATCHED } from '../../../caches/bus.js';
import { PRESETS, cachesSchema } from '../../../caches/cache-config.js';
import { MemoryHierarchy } from '../../../caches/hierarchy.js';
import { StatRegistry } from '../../../common/stats.js';
import { Access, Priv } from '../../access.js';
import { PageTables, RWX_AD, URWX_AD, halves, pte } from '../../test-support/page-tables.js';
import { TwoStage } from '../../test-support/two-stage.js';
import { FenceKind } from '../../tlb/fence-records.js';
import { TlbModel, TlbSide } from '../../tlb/mmu-model.js';
import { StrictTranslation } from '../../tlb/strict.js';
import { type MmuTlbConfigInput, mmuTlbSchema } from '../../tlb/tlb-config.js';
import { SatpMode, Translator } from '../../translate.js';
import { BusPteMemory } from '../../bus-pte-memory.js';
import { TimedWalker } from '../../walker/timed-walker.js';
import { walkerSchema } from '../../walker/walker-config.js';
import { FenceSanitizer } from '../fence-sanitizer.js';
import type { AccessSite } from '../marks.js';
import { PteTracker } from '../pte-tracker.js';

export type Organisation = 'combined' | 'separate' | 'hybrid';
export const ORGANISATIONS: readonly Organisation[] = ['combined', 'separate', 'hybrid'];

/** Privilege | V << 2, as the TLB model takes it. */
export const S = 1;
export const VS = 1 | 4;
export const HS_SITE: AccessSite = { pcLo: 0x8000_1000, pcHi: 0, pcKnown: true, priv: Priv.S, virt: false };

const small = (entries: number) => ({ hitLatency: 0, arrays: [{ entries, ways: 0, replacement: 'lru' as const, seed: 1, pageSizes: ['4K' as const, '2M' as const, '1G' as const] }] });

export function tlbConfig(org: Organisation, over: MmuTlbConfigInput = {}): MmuTlbConfigInput {
  return {
    organisation: org,
    itlb: small(8),
    dtlb: small(8),
    l2: small(32),
    gTlb: org === 'combined' ? null : small(16),
    asidTagging: true,
    vmidTagging: true,
    ...over,
  };
}

/** Addresses of the fixtures: a native page, and a guest page reached through both stages. */
export const VA = 0x4000_2000n;
export const PA = 0x8100_0000n;
export const PA2 = 0x8100_4000n;
export const GVA = 0x12_3456_7000n;
export const GPA = 0x9000_0000n;
export const GPA2 = 0x9000_8000n;
export const HPA = 0x8200_0000n;
export const HPA2 = 0x8200_8000n;
export const VMID = 5;
export const ASID = 9;

export class Rig {
  readonly two = new TwoStage(3, 3);
  readonly native: PageTables;
  /** The translator the hart would use (context fields are the tests' to change). */
  readonly t: Translator;
  readonly reg = new StatRegistry();
  readonly tlbs: TlbModel;
  readonly walker: TimedWalker;
  readonly tracker: PteTracker;
  readonly san: FenceSanitizer;
  readonly strict: StrictTranslation;
  /** Times the tracker asked for the hart's cached translations to be dropped. */
  hartFlushes = 0;
  private readonly mem: BusPteMemory;
  private now = 0;

  constructor(org: Organisation, over: MmuTlbConfigInput = {}, opts: { strict?: boolean } = {}) {
    const bus = this.two.bus;
    this.native = new PageTables(3, false, bus, BigInt(0x8000_0000 + 0x80_0000));
    this.mem = new BusPteMemory(bus);
    // The fixture's translator, over memory that behaves like the hart's.
    const t = new Translator(this.mem);
    this.t = t;
    t.vsatpMode = this.two.t.vsatpMode;
    t.vsatpPpn = this.two.t.vsatpPpn;
    t.hgatpMode = this.two.t.hgatpMode;
    t.hgatpPpn = this.two.t.hgatpPpn;
    t.satpMode = SatpMode.Sv39;
    t.satpPpn = this.native.rootPpn;
    t.satpAsid = ASID;
    t.vsatpAsid = ASID;
    t.hgatpVmid = VMID;
    t.adue = true;
    t.vsAdue = true;
    const caches = new MemoryHierarchy(cachesSchema.parse(PRESETS['inorder-default'].caches), this.reg.scope('caches'));
    const mmu = this.reg.scope('mmu');
    this.walker = new TimedWalker(walkerSchema.parse({}), t, caches, mmu);
    this.tlbs = new TlbModel(mmuTlbSchema.parse(tlbConfig(org, over)), this.walker, t, mmu);
    this.tracker = new PteTracker(
      this.tlbs,
      this.walker.rec,
      { readPte: (pa, out) => bus.load(pa, 8, out), watchPage: (pa) => bus.setPageFlag(pa, PAGE_WATCHED), flushHartTranslations: () => this.hartFlushes++ },
      opts.strict ?? false,
    );
    this.tlbs.watch = this.tracker;
    this.san = new FenceSanitizer(this.tlbs, t, 100, mmu.scope('sanitizer'));
    this.tracker.listener = this.san;
    this.strict = new StrictTranslation(this.tlbs, t, null);
    this.strict.onDrop = () => this.tracker.recheck();
    bus.onStore((pa, size) => {
      if (!this.mem.walkerStore) this.tracker.store(pa, size, HS_SITE);
    });
    // The fixtures: VA -> PA natively; GVA -> GPA -> HPA; spare targets PA2 / GPA2 / HPA2.
    this.native.map(VA, PA, 0, RWX_AD);
    this.two.map(GVA, GPA, HPA, 0, 0);
    this.two.gpt.map(GPA2, HPA2, 0, URWX_AD);
  }

  /** The timing model's translation of a load (or `access`) in mode `mode`: the physical address, or -1. */
  access(va: bigint, mode: number, access = Access.Load): bigint {
    const [lo, hi] = halves(va);
    const pa = this.tlbs.translate(access === Access.Fetch ? TlbSide.I : TlbSide.D, lo, hi, access, mode, this.now++);
    return pa < 0 ? -1n : BigInt(pa);
  }

  /** The strict mode's functional translation (0 cause) as a physical address, or -1. */
  functional(va: bigint, mode: number, access = Access.Load): bigint {
    const [lo, hi] = halves(va);
    const cause = this.strict.translate(lo, hi, access, mode, false);
    return cause === 0 ? BigInt(this.strict.pa) : -1n;
  }

  /** A guest or hypervisor store of a PTE value (through the Bus, as a hart's store). */
  storePte(at: bigint, value: bigint): void {
    const [lo, hi] = halves(value);
    this.two.bus.store(Number(at), 8, lo, hi);
  }

  /** The G-stage leaf of gpa, the VS-stage leaf of gva (host address), the native leaf of va. */
  gLeaf(gpa: bigint): bigint {
    return this.two.gpt.pteAddr(gpa, 0);
  }
  vsLeaf(gva: bigint): bigint {
    return this.two.hostOf(this.two.vpt.pteAddr(gva, 0));
  }
  nativeLeaf(va: bigint): bigint {
    return this.native.pteAddr(va, 0);
  }

  /** Remap: the G-stage leaf of GPA to HPA2, the VS leaf of GVA to GPA2, the native leaf of VA to PA2. */
  remapG(): bigint {
    const at = this.gLeaf(GPA);
    this.storePte(at, pte(HPA2, URWX_AD));
    return at;
  }
  remapVs(): bigint {
    const at = this.vsLeaf(GVA);
    this.storePte(at, pte(GPA2, RWX_AD));
    return at;
  }
  remapNative(): bigint {
    const at = this.nativeLeaf(VA);
    this.storePte(at, pte(PA2, RWX_AD));
    return at;
  }

  /** A fence as the timing model retires it: rs1 / rs2 values, null for x0. */
  fence(kind: FenceKind, rs1: bigint | null = null, rs2: number | null = null): void {
    const [lo, hi] = halves(rs1 ?? 0n);
    this.tlbs.fence(kind, lo, hi, rs1 !== null, rs2 ?? 0, rs2 !== null, 0x8000_2000 | 0, 0, this.now++);
  }

  stat(name: string): number | undefined {
    return this.reg.snapshot()[name];
  }
}
