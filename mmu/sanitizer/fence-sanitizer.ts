/**
 * The fence sanitizer (issue 5): reports every use of a translation whose page-table entry changed
 * without the fence the spec requires, without changing what the simulation does.
 *
 * A store that changes a PTE some modelled TLB entry was built from (pte-tracker.ts) opens a debt,
 * a Mark (marks.ts), for the translation that entry holds: supervisor.adoc
 * norm:sfence_vma_ordering_semantics lets any access use any translation "valid at any time since
 * the most recent SFENCE.VMA that subsumes that address", so from the store until a fence that
 * subsumes the translation (SFENCE.VMA for V=0 PTEs, HFENCE.VVMA or SFENCE.VMA with V=1 for
 * VS-stage PTEs, HFENCE.GVMA for G-stage PTEs, or the Svinval sequence in their place) every
 * access through it is a violation. The modelled TLBs decide which translations were cached when
 * the PTE changed; from then on the debt belongs to the translation, not to the entry: an access
 * that hits the old entry uses the stale translation (`stale` in the record), one that walks
 * because this organisation dropped or evicted the entry meanwhile is reported as well, since
 * another organisation could have kept it. Each debt is reported once, at its first use.
 *
 * Everything here only observes: no statistic outside mmu.sanitizer.* and no architectural result
 * depends on it.
 */
import type { StatScope } from '../../common/stats.js';
import { Access } from '../access.js';
import { FenceKind } from '../tlb/fence-records.js';
import { TlbFill } from '../tlb/tlb-array.js';
import type { TlbModel, TranslationContext } from '../tlb/mmu-model.js';
import type { WalkRecorder } from '../walker/walk-recorder.js';
import { type AccessSite, Mark, MarkState, REQUIRED_FENCE, type RequiredFence, Stage, covers, leafRange, needsNoFence, pteValue } from './marks.js';
import type { Dep, TrackerListener } from './pte-tracker.js';

/** One violation, as plain JSON (RunResult.sanitizer.records). 64-bit values are hex strings. */
export interface SanitizerRecord {
  /** The fence the spec requires between the store and the use. */
  required: RequiredFence;
  /** The translated address the changed PTE maps (page-aligned): a VA, GVA or GPA by addressKind. */
  address: string;
  addressKind: 'va' | 'gva' | 'gpa';
  /** A leaf PTE (an address-specific fence suffices) or a non-leaf one (rs1 must be x0). */
  leaf: boolean;
  /** hgatp.VMID of the translation (VS- and G-stage), else null. */
  vmid: number | null;
  /** ASID of a first-stage translation; null for the G-stage and for global mappings. */
  asid: number | null;
  /** Physical address of the PTE, its value before and after the store. */
  pte: string;
  oldPte: string;
  newPte: string;
  store: SiteRecord;
  use: SiteRecord & {
    /** The virtual address accessed (a GVA with V=1). */
    va: string;
    access: 'fetch' | 'load' | 'store';
    /** True when the access hit the old TLB entry (it used the stale translation); false when it walked. */
    stale: boolean;
  };
}

export interface SiteRecord {
  /** null while unknown (never in a finished run's records but for a block that trapped). */
  pc: string | null;
  /** 'M', 'S', 'U' with virt false ('S' is HS-mode with the H extension); 'S' / 'U' are VS / VU with virt true. */
  priv: 'U' | 'S' | 'M';
  virt: boolean;
}

/** What RunResult carries about the sanitizer (pipeline/machine.ts). */
export interface SanitizerReport {
  mode: 'report' | 'fail';
  violations: number;
  /** The first mmu.sanitizerRecords violations, in the order they happened. */
  records: SanitizerRecord[];
}

const PRIV = ['U', 'S', 'S', 'M'] as const;
const ACCESS = ['fetch', 'load', 'store'] as const;
const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export class FenceSanitizer implements TrackerListener {
  /** Debts reported (first uses), in total and by the fence they lacked (REQUIRED_FENCE order). */
  violations = 0;
  readonly byFence = [0, 0, 0];
  /** Every access through a translation with an open debt, and of those the TLB hits on the old entry. */
  uses = 0;
  staleUses = 0;
  /** Debts opened (a change that needs a fence, for one cached translation). */
  debts = 0;
  readonly records: SanitizerRecord[] = [];
  /** Called at each violation ('fail' stops the run at the first). */
  onViolation: ((r: SanitizerRecord) => void) | null = null;
  /** Called when a store or use inside a translated block left a pc to fill in (resolvePc). */
  onUnknownPc: (() => void) | null = null;

  private readonly open = new Map<string, Mark>();
  private readonly byPte = new Map<number, Mark[]>();
  private readonly bySlot = new Map<number, { gen: number; marks: Mark[] }>();
  /** Stores and uses made inside a translated block, whose pc resolvePc fills in. */
  private readonly unknownSites: AccessSite[] = [];
  private readonly unknownRecords: SiteRecord[] = [];
  private readonly fill = new TlbFill();
  // The access being translated (access()), and its pc (usePc()).
  private useLo = 0;
  private useHi = 0;
  private useAccess: Access = Access.Load;
  private useMode = 0;
  private usePcLo = 0;
  private usePcHi = 0;
  private usePcKnown = false;

  constructor(
    private readonly tlbs: TlbModel,
    private readonly ctx: TranslationContext,
    private readonly recordLimit: number,
    stats: StatScope | null,
  ) {
    if (stats !== null) this.registerStats(stats);
  }

  /** Debts not yet paid. */
  get openDebts(): number {
    return this.open.size;
  }

  /** Stores and uses waiting for resolvePc. */
  get unknownPcs(): number {
    return this.unknownSites.length + this.unknownRecords.length;
  }

  /** The pc of the instruction whose accesses are translated next (known: false inside a translated block). */
  usePc(pcLo: number, pcHi: number, known: boolean): void {
    this.usePcLo = pcLo;
    this.usePcHi = pcHi;
    this.usePcKnown = known;
  }

  /**
   * The instruction the waiting stores and uses belong to was at pc (the machine, when the block
   * they happened in left: it leaves right after that instruction); null: not known after all.
   */
  resolvePc(pc: { lo: number; hi: number } | null): void {
    for (const s of this.unknownSites) {
      if (pc === null) continue;
      s.pcLo = pc.lo;
      s.pcHi = pc.hi;
      s.pcKnown = true;
    }
    const text = pc === null ? null : hex((BigInt(pc.hi >>> 0) << 32n) | BigInt(pc.lo >>> 0));
    for (const r of this.unknownRecords) r.pc = text;
    this.unknownSites.length = 0;
    this.unknownRecords.length = 0;
  }

  /** The report for RunResult. */
  report(mode: 'report' | 'fail'): SanitizerReport {
    return { mode, violations: this.violations, records: this.records.map((r) => ({ ...r, store: { ...r.store }, use: { ...r.use } })) };
  }

  // ------------------------------------------------------------- TrackerListener

  access(vaLo: number, vaHi: number, access: Access, mode: number): void {
    this.useLo = vaLo;
    this.useHi = vaHi;
    this.useAccess = access;
    this.useMode = mode;
  }

  changed(dep: Dep, oldLo: number, oldHi: number, newLo: number, newHi: number, site: AccessSite): void {
    if (dep.leaf && needsNoFence(oldLo, oldHi, newLo, newHi)) return;
    const a = this.tlbs.arrayOf(dep.id);
    const slot = dep.id - a.idBase;
    a.describe(slot, a.baseOf(slot), this.fill);
    const f = this.fill;
    const stage = dep.stage as number as Stage; // Rec and Stage share their numbering
    const vmid = stage === Stage.Native ? 0 : (f.trueTag >>> 16) & 0x3fff;
    const asid = stage === Stage.G || f.global ? -1 : f.trueTag & 0xffff;
    // A leaf's fence may name any address in its page; a non-leaf PTE needs rs1 = x0.
    const [first, end] = dep.leaf ? leafRange(dep.page, dep.level) : [0, Infinity];
    const key = `${stage}/${vmid}/${asid}/${dep.word.pa}/${first}`;
    let m = this.open.get(key);
    if (m === undefined) {
      const store: AccessSite = { ...site };
      if (!store.pcKnown) {
        this.unknownSites.push(store);
        this.onUnknownPc?.();
      }
      m = new Mark(stage, vmid, asid, dep.word.pa, pteValue(oldLo, oldHi), pteValue(newLo, newHi), dep.leaf, dep.page, first, end, store);
      this.open.set(key, m);
      const list = this.byPte.get(m.ptePa);
      if (list === undefined) this.byPte.set(m.ptePa, [m]);
      else list.push(m);
      this.debts++;
    }
    this.attach(dep.id, a.gen[slot]!, m);
  }

  copied(from: number, to: number): void {
    const src = this.slotMarks(from);
    if (src === null) return;
    const a = this.tlbs.arrayOf(to);
    for (const m of src) this.attach(to, a.gen[to - a.idBase]!, m);
  }

  hit(id: number): void {
    if (this.open.size === 0) return;
    const marks = this.slotMarks(id);
    if (marks === null) return;
    for (const m of marks) if (m.state !== MarkState.Cleared) this.use(m, true);
  }

  walked(rec: WalkRecorder): void {
    if (this.open.size === 0) return;
    const c = this.ctx;
    for (let i = 0; i < rec.n; i++) {
      const marks = this.byPte.get(rec.pa[i]!);
      if (marks === undefined) continue;
      const stage = rec.stage[i] as number as Stage;
      const page = rec.vpn[i]!;
      for (const m of marks) {
        if (m.state === MarkState.Cleared || m.stage !== stage || page < m.firstPage || page >= m.endPage) continue;
        // The same translation: same address space (a global one in every ASID).
        if (stage === Stage.Native && m.asid >= 0 && m.asid !== (c.satpAsid & 0xffff)) continue;
        if (stage !== Stage.Native && m.vmid !== (c.hgatpVmid & 0x3fff)) continue;
        if (stage === Stage.Vs && m.asid >= 0 && m.asid !== (c.vsatpAsid & 0xffff)) continue;
        this.use(m, false);
      }
    }
  }

  fence(kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, vmid: number): void {
    if (this.open.size === 0) return;
    for (const [key, m] of this.open) {
      switch (kind) {
        case FenceKind.SfenceWInval:
          // svinval.adoc: orders earlier stores before later SINVAL.VMA / HINVAL.* only.
          if (m.state === MarkState.Pending) m.state = MarkState.StoreOrdered;
          continue;
        case FenceKind.SfenceInvalIr:
          // norm:Svinval_sfence_w_inval_orders_before_sinval_vma: completes the earlier invalidations.
          if (m.state === MarkState.Invalidated) this.clear(key, m);
          continue;
        case FenceKind.SinvalVma:
        case FenceKind.SinvalVmaV1:
        case FenceKind.HinvalVvma:
        case FenceKind.HinvalGvma:
          // norm:Svinval_sinval_vma_invalidates_same_as_sfence_vma: "only ordered with respect to
          // SFENCE.VMA, SFENCE.W.INVAL, and SFENCE.INVAL.IR": a store not yet ordered by
          // SFENCE.W.INVAL may still be invisible to it.
          if (m.state === MarkState.StoreOrdered && covers(m, kind, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2, vmid)) m.state = MarkState.Invalidated;
          continue;
        default:
          if (covers(m, kind, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2, vmid)) this.clear(key, m);
      }
    }
  }

  // ------------------------------------------------------------- internals

  private clear(key: string, m: Mark): void {
    m.state = MarkState.Cleared;
    this.open.delete(key);
    const list = this.byPte.get(m.ptePa);
    if (list === undefined) return;
    const rest = list.filter((x) => x !== m);
    if (rest.length === 0) this.byPte.delete(m.ptePa);
    else this.byPte.set(m.ptePa, rest);
  }

  private attach(id: number, gen: number, m: Mark): void {
    const s = this.bySlot.get(id);
    if (s === undefined || s.gen !== gen) this.bySlot.set(id, { gen, marks: [m] });
    else if (!s.marks.includes(m)) s.marks.push(m);
  }

  /** The marks of slot id's entry, if it is still the entry they were attached to. */
  private slotMarks(id: number): Mark[] | null {
    const s = this.bySlot.get(id);
    if (s === undefined) return null;
    const a = this.tlbs.arrayOf(id);
    return a.gen[id - a.idBase] === s.gen ? s.marks : null;
  }

  /** The access being translated used the translation `m` is about. */
  private use(m: Mark, stale: boolean): void {
    this.uses++;
    if (stale) this.staleUses++;
    if (m.reported) return;
    m.reported = true;
    this.violations++;
    this.byFence[m.stage]!++;
    const r = this.record(m, stale);
    if (this.records.length < this.recordLimit) {
      this.records.push(r);
      if (r.store.pc === null) this.unknownRecords.push(r.store);
      if (r.use.pc === null) this.unknownRecords.push(r.use);
      if (r.store.pc === null || r.use.pc === null) this.onUnknownPc?.();
    }
    this.onViolation?.(r);
  }

  private record(m: Mark, stale: boolean): SanitizerRecord {
    const virt = (this.useMode & 4) !== 0;
    return {
      required: m.required,
      address: hex(m.page * 4096),
      addressKind: m.stage === Stage.Native ? 'va' : m.stage === Stage.Vs ? 'gva' : 'gpa',
      leaf: m.leaf,
      vmid: m.stage === Stage.Native ? null : m.vmid,
      asid: m.asid < 0 ? null : m.asid,
      pte: hex(m.ptePa),
      oldPte: hex(m.oldPte),
      newPte: hex(m.newPte),
      store: site(m.store),
      use: {
        pc: this.usePcKnown ? hex((BigInt(this.usePcHi >>> 0) << 32n) | BigInt(this.usePcLo >>> 0)) : null,
        priv: PRIV[this.useMode & 3]!,
        virt,
        va: hex((BigInt(this.useHi >>> 0) << 32n) | BigInt(this.useLo >>> 0)),
        access: ACCESS[this.useAccess]!,
        stale,
      },
    };
  }

  private registerStats(s: StatScope): void {
    s.register('violations', 'count', 'Translations used after a store changed their page-table entry and before the fence the spec requires (each counted at its first use)', () => this.violations);
    REQUIRED_FENCE.forEach((name, i) => {
      s.register(`violations.${name}`, 'count', `Violations whose missing fence was ${name.toUpperCase().replace('-', '.')}`, () => this.byFence[i]!);
    });
    s.register('uses', 'count', 'Accesses through a translation whose page-table entry changed without the required fence (every use, not only the first)', () => this.uses);
    s.register('staleUses', 'count', 'Of those uses, TLB hits on the entry built from the old page-table entry', () => this.staleUses);
    s.register('debts', 'count', 'Page-table changes that required a fence for a translation the TLBs held', () => this.debts);
  }
}

/** The site as a record; a pc still unknown stays null until resolvePc. */
function site(s: AccessSite): SiteRecord {
  return {
    pc: s.pcKnown ? hex((BigInt(s.pcHi >>> 0) << 32n) | BigInt(s.pcLo >>> 0)) : null,
    priv: PRIV[s.priv & 3]!,
    virt: s.virt,
  };
}

/** Human name of a required fence for a record's virtualization context. */
const FENCE_TEXT: Record<RequiredFence, string> = {
  'sfence-vma': 'SFENCE.VMA',
  'hfence-vvma': 'HFENCE.VVMA (or SFENCE.VMA in VS-mode)',
  'hfence-gvma': 'HFENCE.GVMA',
};

const modeText = (s: SiteRecord) => (s.virt ? (s.priv === 'U' ? 'VU' : 'VS') : s.priv === 'S' ? 'S/HS' : s.priv);

/** One readable line for a violation (rvhsim run prints the first few). */
export function describeViolation(r: SanitizerRecord): string {
  const what = r.addressKind === 'va' ? 'virtual' : r.addressKind === 'gva' ? 'guest-virtual' : 'guest-physical';
  const space = [r.vmid === null ? '' : `VMID ${r.vmid}`, r.addressKind === 'gpa' ? '' : r.asid === null ? 'global' : `ASID ${r.asid}`].filter((x) => x !== '').join(', ');
  return (
    `missing ${FENCE_TEXT[r.required]}: ${r.leaf ? 'leaf' : 'non-leaf'} PTE at ${r.pte} for ${what} page ${r.address}` +
    `${space === '' ? '' : ` (${space})`} changed ${r.oldPte} -> ${r.newPte} by a store at pc ${r.store.pc ?? '?'} (${modeText(r.store)}),` +
    ` then used by a ${r.use.access} of ${r.use.va} at pc ${r.use.pc ?? '?'} (${modeText(r.use)})` +
    (r.use.stale ? ' through the old TLB entry' : ' (re-walked here; another TLB could have kept the old entry)')
  );
}
