import type { CachesConfig } from '../../caches/cache-config.js';
import { MemoryHierarchy, Requester } from '../../caches/hierarchy.js';
import type { StatScope } from '../../common/stats.js';
import { Access, Priv } from '../../mmu/access.js';
import type { Translator } from '../../mmu/translate.js';
import { FenceKind } from '../../mmu/tlb/fence-records.js';
import { TlbModel, TlbSide } from '../../mmu/tlb/mmu-model.js';
import { StrictTranslation } from '../../mmu/tlb/strict.js';
import type { MmuTlbConfig } from '../../mmu/tlb/tlb-config.js';
import { FenceSanitizer } from '../../mmu/sanitizer/fence-sanitizer.js';
import { PteTracker, type TrackerHost } from '../../mmu/sanitizer/pte-tracker.js';
import { TimedWalker } from '../../mmu/walker/timed-walker.js';
import type { WalkerConfig } from '../../mmu/walker/walker-config.js';
import { Csr } from '../csr-addr.js';
import { Decoded, Op } from '../ops.js';
import { Kind, PipelineModel, Stall, modeIndex } from './pipeline.js';
import type { PredictorConfig } from './predictor-config.js';
import { BranchKind, BranchPredictor, PenaltyClass, classifyJal, classifyJalr } from './predictor.js';
import type { PipelineConfig } from './timing-config.js';

export interface TimingConfig {
  pipeline: PipelineConfig;
  predictor: PredictorConfig;
  caches: CachesConfig;
  mmu: {
    tlb: MmuTlbConfig;
    walker: WalkerConfig;
    /** Strict TLB mode and the fence sanitizer (pipeline/config.ts mmuSchema); absent: off. */
    strict?: boolean;
    sanitizer?: 'off' | 'report' | 'fail';
    sanitizerRecords?: number;
  };
}

/**
 * Detailed timing of one hart: for every retired instruction it asks the ITLB/L1I (fetch), the
 * branch predictor (control transfers), the DTLB/L1D (loads, stores, AMOs) what they cost, and
 * feeds the pipeline model. Runs beside the functional hart and never changes its results.
 */
export class TimingModel {
  /**
   * The pipeline parameters, kept apart from the rest of the configuration: the configuration
   * object's hidden class differs between sweep points (its MMU part has other members), and hot
   * code reading through it deoptimised at every new kind of point.
   */
  private readonly pcfg: PipelineConfig;
  readonly pipeline: PipelineModel;
  readonly caches: MemoryHierarchy;
  readonly predictor: BranchPredictor;
  /** The TLB organisation (mmu/tlb) and its walker with walk caches (mmu/walker). */
  readonly tlbs: TlbModel;
  readonly walker: TimedWalker;
  /**
   * The hart's integer registers (lo, hi pairs), read after a fence or CSR instruction retired
   * for its operands (neither writes rs1 or rs2); set by the machine.
   */
  regs: Int32Array | null = null;
  private readonly l1iHit: number;
  private readonly l1dHit: number;
  /** log2 of the L1I line: the fetch unit's granule (the timed block code needs it too). */
  readonly lineShift: number;
  /** The virtual line (pc >>> lineShift, pc's high half, fetch context) fetched last; -1: none. */
  private lastVLine = -1;
  private lastVHi = 0;
  private lastFetchCtx = -1;
  private sideCause: Stall = Stall.Base;
  private sideTlb = 0;
  /** Why the last fetchAt / dataAt stalled (valid when it returned more than 0). */
  fetchCause: Stall = Stall.ICache;
  memCause: Stall = Stall.DCache;
  /** Of the last fetchAt / dataAt stall, the cycles the TLBs and the walk took (the CPI stack's I-TLB / D-TLB share). */
  fetchTlb = 0;
  memTlb = 0;
  /**
   * The PTE tracking behind the strict mode and the fence sanitizer (mmu/sanitizer), the
   * sanitizer, and the strict mode's translation for the hart (mmu/tlb/strict.ts); null when off.
   */
  readonly tracker: PteTracker | null = null;
  readonly sanitizer: FenceSanitizer | null = null;
  readonly strict: StrictTranslation | null = null;

  /**
   * `host` connects the PTE tracking to the machine (watched pages, PTE reads, the hart's cached
   * translations); required when cfg.mmu.strict or cfg.mmu.sanitizer asks for them. The walker
   * also reads PTEs through it for the G bits of non-leaf PTEs (global walk-cache and TLB
   * entries); without it only a leaf's own G bit makes a mapping global.
   */
  constructor(
    cfg: TimingConfig,
    private readonly translator: Translator,
    stats: { scope(prefix: string): StatScope },
    host: TrackerHost | null = null,
  ) {
    this.pcfg = cfg.pipeline;
    this.pipeline = new PipelineModel(cfg.pipeline, stats.scope('timing'));
    this.caches = new MemoryHierarchy(cfg.caches, stats.scope('caches'));
    this.predictor = new BranchPredictor(cfg.predictor, stats.scope('predictor'));
    const mmu = stats.scope('mmu');
    this.walker = new TimedWalker(cfg.mmu.walker, translator, this.caches, mmu, host);
    this.tlbs = new TlbModel(cfg.mmu.tlb, this.walker, translator, mmu);
    const strict = cfg.mmu.strict === true;
    const sanitize = cfg.mmu.sanitizer !== undefined && cfg.mmu.sanitizer !== 'off';
    if (strict || sanitize) {
      if (host === null) throw new Error('TimingModel: strict mode and the fence sanitizer need a TrackerHost');
      const tracker = new PteTracker(this.tlbs, this.walker.rec, host, strict);
      this.tlbs.watch = tracker;
      this.tracker = tracker;
      if (sanitize) {
        const san = new FenceSanitizer(this.tlbs, translator, cfg.mmu.sanitizerRecords ?? 16, mmu.scope('sanitizer'));
        tracker.listener = san;
        this.sanitizer = san;
      }
      if (strict) {
        const st = new StrictTranslation(this.tlbs, translator, mmu.scope('strict'));
        st.onDrop = () => tracker.recheck();
        this.strict = st;
        mmu.register('strict.hartFlushes', 'count', "Times the hart's software TLB was dropped to follow the modelled TLBs (strict mode; simulator internal)", () => tracker.hartFlushes);
      }
    }
    this.l1iHit = cfg.caches.l1i.hitLatency;
    this.l1dHit = cfg.caches.l1d.hitLatency;
    this.lineShift = Math.log2(cfg.caches.l1i.lineBytes);
  }

  /** The pipeline parameters (the timed block code is specialised to them). */
  get pipelineConfig(): PipelineConfig {
    return this.pcfg;
  }

  /** Simulated time: the cycle at which the last instruction completed. */
  get now(): number {
    return this.pipeline.now;
  }

  /**
   * What one side (fetch or data) cost at cycle `now` after the TLB organisation translated its
   * address to `pa` (-1: no translation, never for a retired access): the TLBs' cycles
   * (tlbs.stall) plus the cache's beyond a hit. Leaves the TLB share in sideTlb and, in
   * sideCause, the cause of the rest: the cache when it took any, else the TLB.
   */
  private sideStall(pa: number, who: Requester, hitLatency: number, now: number, tlbCause: Stall, cacheCause: Stall): number {
    const tlb = this.tlbs.stall;
    let stall = tlb;
    let cause = tlb > 0 ? tlbCause : cacheCause;
    if (pa >= 0) {
      const extra = this.caches.access(pa, who, now) - hitLatency;
      if (extra > 0) {
        cause = cacheCause;
        stall += extra;
      }
    }
    this.sideCause = cause;
    this.sideTlb = tlb;
    return stall;
  }

  /**
   * The fetch side of the instruction at pc, fetched in context fetchCtx at cycle `now`: a fetch
   * unit translates and reads a whole line at a time, so the ITLB and the L1I are consulted when
   * the pc enters a new line (or after a redirect that resets the line: traps, xRET, FENCE.I),
   * not for every instruction in it. Returns the cycles IF is held; fetchCause says why.
   */
  fetchAt(pcLo: number, pcHi: number, fetchCtx: number, now: number): number {
    const vline = pcLo >>> this.lineShift;
    if (vline === this.lastVLine && pcHi === this.lastVHi && fetchCtx === this.lastFetchCtx) {
      this.fetchTlb = 0;
      return 0;
    }
    this.lastVLine = vline;
    this.lastVHi = pcHi;
    this.lastFetchCtx = fetchCtx;
    if (this.sanitizer !== null) this.sanitizer.usePc(pcLo, pcHi, true);
    const pa = this.tlbs.translate(TlbSide.I, pcLo, pcHi, Access.Fetch, fetchCtx, now);
    const stall = this.sideStall(pa, Requester.Fetch, this.l1iHit, now, Stall.ITlb, Stall.ICache);
    this.fetchCause = this.sideCause;
    this.fetchTlb = this.sideTlb;
    return stall;
  }

  /**
   * The data side of a load (store=false) or store/AMO (store=true) at effective address ea in
   * context dataCtx (privilege | V << 2, with mmu-model.ts MODE_HLVX for an HLVX) at cycle
   * `now`: the DTLB, then the L1D. Returns the cycles MEM is held; memCause says why.
   */
  dataAt(eaLo: number, eaHi: number, store: boolean, dataCtx: number, now: number): number {
    // Called by the timed block code, which does not pass the instruction's pc (the machine
    // supplies it to the sanitizer when the block leaves).
    if (this.sanitizer !== null) this.sanitizer.usePc(0, 0, false);
    return this.dataSide(eaLo, eaHi, store, dataCtx, now);
  }

  private dataSide(eaLo: number, eaHi: number, store: boolean, dataCtx: number, now: number): number {
    const pa = this.tlbs.translate(TlbSide.D, eaLo, eaHi, store ? Access.Store : Access.Load, dataCtx, now);
    const stall = this.sideStall(pa, store ? Requester.Store : Requester.Load, this.l1dHit, now, Stall.DTlb, Stall.DCache);
    this.memCause = this.sideCause;
    this.memTlb = this.sideTlb;
    return stall;
  }

  /**
   * A control transfer at pc resolved: did the front end fetch the right next pc? Returns the
   * pipeline's redirect class: 0 right, 1 wrong but redirected at decode, 2 found at the resolve
   * stage. (For a conditional branch the predictor is given its target even when not taken:
   * BTFN reads the offset's sign.)
   */
  branchAt(pcLo: number, pcHi: number, kind: BranchKind, taken: boolean, tLo: number, tHi: number, len: number): number {
    return this.predictor.resolve(pcLo, pcHi, kind, taken, tLo, tHi, len) ? 0 : penalty(this.predictor);
  }

  /**
   * One retired instruction: d executed at pc; control went to next; ea is the effective address
   * of its memory access (if any) made in dataCtx (as for dataAt); fetchCtx is privilege | V << 2 at fetch.
   */
  retire(d: Decoded, pcLo: number, pcHi: number, nextLo: number, nextHi: number, eaLo: number, eaHi: number, fetchCtx: number, dataCtx: number): void {
    const mode = modeIndex(fetchCtx & 3, fetchCtx >= 4);
    const op = d.op;
    const now = this.now;
    const fetchStall = this.fetchAt(pcLo, pcHi, fetchCtx, now);
    const kind = classify(op);
    let memStall = 0;
    let memTlb = 0;
    if (kind === Kind.Load || kind === Kind.Store) {
      if (this.sanitizer !== null) this.sanitizer.usePc(pcLo, pcHi, true);
      memStall = this.dataSide(eaLo, eaHi, isStoreLike(op), dataCtx, now);
      memTlb = this.memTlb;
    }
    let redirect = 0;
    if (kind === Kind.Branch) {
      const fallLo = (pcLo + d.len) | 0;
      const taken = nextLo !== fallLo || nextHi !== pcHi;
      const tLo = (pcLo + d.imm) | 0;
      const tHi = (pcHi + Math.floor(((pcLo >>> 0) + d.imm) / 4294967296)) | 0;
      redirect = this.branchAt(pcLo, pcHi, BranchKind.Conditional, taken, tLo, tHi, d.len);
    } else if (kind === Kind.Jump) {
      const bk = op === Op.JAL ? classifyJal(d.rd) : classifyJalr(d.rd, d.rs1);
      redirect = this.branchAt(pcLo, pcHi, bk, true, nextLo, nextHi, d.len);
    }
    this.pipeline.insn(kind, d.rd, d.rs1, d.rs2, fetchStall, this.fetchCause, this.fetchTlb, memStall, this.memCause, memTlb, redirect, mode);
    this.serialising(d, pcLo, pcHi, fetchCtx >= 4);
  }

  /** Pipeline effects of system instructions (after they complete); virt: executed with V=1. */
  private serialising(d: Decoded, pcLo: number, pcHi: number, virt: boolean): void {
    const p = this.pcfg;
    switch (d.op) {
      case Op.CSRRW: case Op.CSRRWI:
        this.pipeline.serialize(p.csrPenalty + this.atpWrite(d.csr, virt), Stall.Csr);
        return;
      case Op.CSRRS: case Op.CSRRC: case Op.CSRRSI: case Op.CSRRCI:
        if (d.rs1 !== 0) this.pipeline.serialize(p.csrPenalty + this.atpWrite(d.csr, virt), Stall.Csr);
        return;
      case Op.FENCE:
        this.pipeline.serialize(p.fencePenalty, Stall.Fence);
        return;
      case Op.FENCE_I:
        this.caches.invalidateL1I();
        this.lastVLine = -1;
        this.pipeline.serialize(p.fenceIPenalty, Stall.Fence);
        return;
      case Op.SFENCE_VMA: case Op.SINVAL_VMA: case Op.HFENCE_VVMA: case Op.HFENCE_GVMA: case Op.HINVAL_VVMA: case Op.HINVAL_GVMA:
      case Op.SFENCE_W_INVAL: case Op.SFENCE_INVAL_IR: {
        const cycles = this.vmaFence(d, pcLo, pcHi, virt);
        this.lastVLine = -1; // the next fetch translates again
        this.pipeline.serialize(p.vmaFencePenalty + cycles, Stall.Fence);
        return;
      }
      case Op.MRET: case Op.SRET:
        this.lastVLine = -1;
        this.pipeline.serialize(p.xretPenalty, Stall.Trap);
        return;
    }
  }

  /** A trap or interrupt taken in mode `ctx` (privilege | V << 2 before the trap). */
  trap(ctx: number): void {
    this.lastVLine = -1;
    this.pipeline.trap(this.pcfg.trapPenalty, modeIndex(ctx & 3, ctx >= 4));
  }

  /** WFI slept until `cycle`. */
  idleUntil(cycle: number, ctx: number): void {
    this.pipeline.idleUntil(cycle, modeIndex(ctx & 3, ctx >= 4));
  }

  /**
   * The hart's translation context changed (satp, privilege, MXR/SUM, a fence): the fetch unit
   * translates its next line again. The modelled TLBs keep their entries: only fences and, with
   * tagging off, satp/vsatp/hgatp writes remove them, as in hardware.
   */
  translationChanged(): void {
    this.lastVLine = -1;
  }

  /** A retired SFENCE.VMA / SINVAL / HFENCE / HINVAL: the TLB organisation's cycles for it. */
  private vmaFence(d: Decoded, pcLo: number, pcHi: number, virt: boolean): number {
    const x = this.regs;
    const rs1Lo = x === null ? 0 : x[2 * d.rs1]!;
    const rs1Hi = x === null ? 0 : x[2 * d.rs1 + 1]!;
    const rs2 = x === null ? 0 : x[2 * d.rs2]!;
    let kind: FenceKind;
    switch (d.op) {
      // hypervisor.adoc norm:sfence_vma_v1: with V=1, SFENCE.VMA acts on the current VMID's VS-stage.
      case Op.SFENCE_VMA: kind = virt ? FenceKind.SfenceVmaV1 : FenceKind.SfenceVma; break;
      case Op.SINVAL_VMA: kind = virt ? FenceKind.SinvalVmaV1 : FenceKind.SinvalVma; break;
      case Op.HFENCE_VVMA: kind = FenceKind.HfenceVvma; break;
      case Op.HINVAL_VVMA: kind = FenceKind.HinvalVvma; break;
      case Op.HFENCE_GVMA: kind = FenceKind.HfenceGvma; break;
      case Op.HINVAL_GVMA: kind = FenceKind.HinvalGvma; break;
      case Op.SFENCE_W_INVAL: kind = FenceKind.SfenceWInval; break;
      default: kind = FenceKind.SfenceInvalIr;
    }
    return this.tlbs.fence(kind, rs1Lo, rs1Hi, d.rs1 !== 0, rs2, d.rs2 !== 0, pcLo, pcHi, this.now);
  }

  /** A CSR instruction that may have written satp/vsatp/hgatp (with V=1, satp is vsatp): cycles of any flush. */
  private atpWrite(csr: number, virt: boolean): number {
    if (csr === Csr.satp) return this.tlbs.atpWrite(virt ? 'vsatp' : 'satp', this.now);
    if (csr === Csr.vsatp) return this.tlbs.atpWrite('vsatp', this.now);
    if (csr === Csr.hgatp) return this.tlbs.atpWrite('hgatp', this.now);
    return 0;
  }
}

/** The pipeline's redirect class for a wrong fetch: decode-stage (1) or resolve-stage (2). */
function penalty(p: BranchPredictor): number {
  return p.lastPenaltyClass === PenaltyClass.FrontEnd ? 1 : 2;
}

/** Whether a memory instruction writes memory (stores, SC, AMOs, HSV): the DTLB and L1D see a store. */
export function isStoreLike(op: Op): boolean {
  return (op >= Op.SB && op <= Op.SD) || (op >= Op.SC_W && op <= Op.AMOMAXU_D && op !== Op.LR_D) || (op >= Op.HSV_B && op <= Op.HSV_D);
}

/** The pipeline class of an instruction. */
export function classify(op: Op): Kind {
  if (op >= Op.JAL && op <= Op.JALR) return Kind.Jump;
  if (op >= Op.BEQ && op <= Op.BGEU) return Kind.Branch;
  if (op >= Op.LB && op <= Op.LWU) return Kind.Load;
  if (op === Op.LR_W || op === Op.LR_D || (op >= Op.HLV_B && op <= Op.HLVX_WU)) return Kind.Load;
  if (op >= Op.SB && op <= Op.SD) return Kind.Store;
  if (op >= Op.SC_W && op <= Op.AMOMAXU_D) return Kind.Load; // AMOs and SC write rd from memory
  if (op >= Op.HSV_B && op <= Op.HSV_D) return Kind.Store;
  if (op === Op.MUL || op === Op.MULH || op === Op.MULHSU || op === Op.MULHU || op === Op.MULW) return Kind.Mul;
  if (op >= Op.DIV && op <= Op.REMUW) return Kind.Div; // MULW was returned above
  if (op >= Op.LUI && op <= Op.SRAW) return Kind.Alu;
  return Kind.Other;
}
