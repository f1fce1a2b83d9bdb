/**
 * What each fence did and cost (the HFENCE study): one FenceRecord per fence for the trace
 * writer (kept up to a limit) and exact per-kind aggregates registered as statistics
 * `mmu.fence.<kind>.<what>`.
 *
 * "stale": a dropped entry inside the fence's architectural scope (it mapped something the fence
 * was about). "collateral": dropped only because the organisation could not tell it apart
 * (missing ASID/VMID tags, 'flush-vmid'). The fence shadow: page walks, within the configured
 * window after the fence, that refill a collaterally dropped entry; they are charged to the fence.
 */
import type { StatScope } from '../../common/stats.js';
import type { WalkCacheInvalidation } from '../ports.js';

/** Fences and the CSR writes that can act like one. */
export const enum FenceKind {
  /** SFENCE.VMA executed with V=0: HS-level (native) translations. */
  SfenceVma = 0,
  /** SFENCE.VMA executed with V=1: the current VMID's VS-stage translations (hypervisor.adoc norm:sfence_vma_v1). */
  SfenceVmaV1 = 1,
  SinvalVma = 2,
  SinvalVmaV1 = 3,
  HfenceVvma = 4,
  HinvalVvma = 5,
  HfenceGvma = 6,
  HinvalGvma = 7,
  SfenceWInval = 8,
  SfenceInvalIr = 9,
  /** satp / vsatp / hgatp writes: they flush only when the tag that would separate them is off. */
  SatpWrite = 10,
  VsatpWrite = 11,
  HgatpWrite = 12,
}

/** Statistic and trace name of each FenceKind. */
export const FENCE_KIND_NAMES = [
  'sfence-vma',
  'sfence-vma-v1',
  'sinval-vma',
  'sinval-vma-v1',
  'hfence-vvma',
  'hinval-vvma',
  'hfence-gvma',
  'hinval-gvma',
  'sfence-w-inval',
  'sfence-inval-ir',
  'satp-write',
  'vsatp-write',
  'hgatp-write',
] as const;
export type FenceKindName = (typeof FENCE_KIND_NAMES)[number];

/** The TLB structures a fence can reach, as indices into FenceRecord.dropped / stale. */
export const enum TlbId {
  ITlb = 0,
  DTlb = 1,
  L2Tlb = 2,
  GTlb = 3,
}
export const TLB_NAMES = ['itlb', 'dtlb', 'l2tlb', 'gtlb'] as const;
const WALK_CACHE_NAMES = ['pwcFirst', 'pwcG', 'nestedTlb'] as const;

export class FenceRecord {
  /** TLB cycles the fence itself took (what fence() returned). */
  cycles = 0;
  /** Entries dropped and, of those, stale, per TLB structure (indexed by TlbId). */
  readonly dropped = [0, 0, 0, 0];
  readonly stale = [0, 0, 0, 0];
  /** Entries the walker's caches dropped. */
  pwcFirst = 0;
  pwcG = 0;
  nestedTlb = 0;
  /** Walks (and their cycles) in the shadow window that refilled an entry this fence dropped collaterally; final once shadowWindow cycles have passed. */
  shadowWalks = 0;
  shadowCycles = 0;

  constructor(
    /** Order among all fences of the run, from 0. */
    readonly seq: number,
    readonly kind: FenceKind,
    /** Cycle the fence executed at. */
    readonly time: number,
    readonly pc: bigint,
    /** rs1 and rs2 values, or null for x0 (rs2 as the ASID/VMID field the fence uses). */
    readonly rs1: bigint | null,
    readonly rs2: number | null,
  ) {}

  get kindName(): FenceKindName {
    return FENCE_KIND_NAMES[this.kind];
  }

  get totalDropped(): number {
    return this.dropped[0] + this.dropped[1] + this.dropped[2] + this.dropped[3];
  }

  get totalStale(): number {
    return this.stale[0] + this.stale[1] + this.stale[2] + this.stale[3];
  }

  get collateral(): number {
    return this.totalDropped - this.totalStale;
  }

  /** The record as plain data: what the trace and the run summary keep of it. */
  snapshot(): FenceSnapshot {
    return {
      seq: this.seq,
      kind: this.kindName,
      cycle: this.time,
      pc: this.pc,
      rs1: this.rs1,
      rs2: this.rs2,
      cycles: this.cycles,
      dropped: [...this.dropped],
      stale: [...this.stale],
      pwcFirst: this.pwcFirst,
      pwcG: this.pwcG,
      nestedTlb: this.nestedTlb,
      shadowWalks: this.shadowWalks,
      shadowCycles: this.shadowCycles,
    };
  }
}

/** FenceRecord.snapshot(): what the trace (FenceTraceRecord) and the run summary (FenceJson) keep of a fence. */
export interface FenceSnapshot {
  /** Order among all fences of the run, from 0. */
  seq: number;
  kind: FenceKindName;
  /** Cycle the fence executed at. */
  cycle: number;
  pc: bigint;
  /** rs1 and rs2 values, or null for x0 (rs2 as the ASID/VMID field the fence uses). */
  rs1: bigint | null;
  rs2: number | null;
  /** TLB cycles of the fence itself. */
  cycles: number;
  /** Entries dropped / stale per TLB structure, indexed like TLB_NAMES (itlb, dtlb, l2tlb, gtlb). */
  dropped: number[];
  stale: number[];
  /** Entries the walker's caches dropped. */
  pwcFirst: number;
  pwcG: number;
  nestedTlb: number;
  /** Shadow walks charged to this fence and their cycles (final once its shadow window closed or the run ended). */
  shadowWalks: number;
  shadowCycles: number;
}

const KINDS = FENCE_KIND_NAMES.length;

export class FenceLog {
  /** The first `limit` fences of the run. */
  readonly records: FenceRecord[] = [];
  /** Called with every record when its fence completes (the trace writer), kept or not. */
  onRecord: ((r: FenceRecord) => void) | null = null;

  // Aggregates by kind (index FenceKind; dropped by FenceKind * 4 + TlbId, walk caches by FenceKind * 3 + k).
  readonly count = new Float64Array(KINDS);
  readonly cycles = new Float64Array(KINDS);
  readonly dropped = new Float64Array(KINDS * 4);
  readonly stale = new Float64Array(KINDS);
  readonly collateral = new Float64Array(KINDS);
  readonly walkCacheDropped = new Float64Array(KINDS * 3);
  readonly shadowWalks = new Float64Array(KINDS);
  readonly shadowCycles = new Float64Array(KINDS);
  private seq = 0;

  constructor(
    readonly limit: number,
    stats: StatScope | null,
  ) {
    if (stats !== null) this.registerStats(stats);
  }

  /** A new record for a fence executing now (rs1 / rs2 as int32 halves; has*: the register is not x0). */
  begin(kind: FenceKind, now: number, pcLo: number, pcHi: number, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean): FenceRecord {
    return new FenceRecord(this.seq++, kind, now, toU64(pcLo, pcHi), hasRs1 ? toU64(rs1Lo, rs1Hi) : null, hasRs2 ? rs2 : null);
  }

  addWalkCaches(r: FenceRecord, inv: WalkCacheInvalidation): void {
    r.pwcFirst += inv.pwcFirst;
    r.pwcG += inv.pwcG;
    r.nestedTlb += inv.nestedTlb;
  }

  /** The fence completed in `cycles`: aggregate it, keep it if under the limit, pass it on. */
  end(r: FenceRecord, cycles: number): void {
    r.cycles = cycles;
    const k = r.kind;
    this.count[k]++;
    this.cycles[k] += cycles;
    for (let t = 0; t < 4; t++) this.dropped[k * 4 + t] += r.dropped[t];
    this.stale[k] += r.totalStale;
    this.collateral[k] += r.collateral;
    this.walkCacheDropped[k * 3] += r.pwcFirst;
    this.walkCacheDropped[k * 3 + 1] += r.pwcG;
    this.walkCacheDropped[k * 3 + 2] += r.nestedTlb;
    if (this.records.length < this.limit) this.records.push(r);
    if (this.onRecord !== null) this.onRecord(r);
  }

  /** A walk of `cycles` in r's shadow refilled an entry r dropped collaterally. */
  chargeShadow(r: FenceRecord, cycles: number): void {
    r.shadowWalks++;
    r.shadowCycles += cycles;
    this.shadowWalks[r.kind]++;
    this.shadowCycles[r.kind] += cycles;
  }

  private registerStats(s: StatScope): void {
    for (let k = 0; k < KINDS; k++) {
      const name = FENCE_KIND_NAMES[k];
      const f = s.scope(name);
      f.register('count', 'fences', `${name} executed`, () => this.count[k]);
      f.register('cycles', 'cycles', `TLB cycles spent in ${name} itself`, () => this.cycles[k]);
      for (let t = 0; t < 4; t++) {
        f.register(`dropped.${TLB_NAMES[t]}`, 'entries', `${TLB_NAMES[t]} entries ${name} invalidated`, () => this.dropped[k * 4 + t]);
      }
      for (let w = 0; w < 3; w++) {
        f.register(`dropped.${WALK_CACHE_NAMES[w]}`, 'entries', `Walker ${WALK_CACHE_NAMES[w]} entries ${name} invalidated`, () => this.walkCacheDropped[k * 3 + w]);
      }
      f.register('stale', 'entries', `TLB entries ${name} invalidated that were inside its architectural scope`, () => this.stale[k]);
      f.register('collateral', 'entries', `TLB entries ${name} invalidated outside its architectural scope (missing tags, flush-vmid)`, () => this.collateral[k]);
      f.register('shadowWalks', 'walks', `Page walks within the shadow window after ${name} that refilled a collaterally dropped entry`, () => this.shadowWalks[k]);
      f.register('shadowCycles', 'cycles', `Cycles of those shadow walks`, () => this.shadowCycles[k]);
    }
  }
}

function toU64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
