/**
 * Which modelled TLB entries were built from which page-table entries, and which of them a store
 * has since changed (issue 5, "Strict mode and the fence sanitizer").
 *
 * On every fill the tracker remembers the physical addresses of the PTEs the walk read for that
 * entry: first-stage and G-stage, including the G-stage PTEs that translated the guest's
 * page-table pages (hypervisor.adoc norm:H_vm_gstagetrans). It asks the host to watch those pages,
 * so that every store to them reaches store(); a store that changes the value of a PTE word
 * entries were built from is a page-table change. A/D updates made by a walk are not (the host
 * does not report them): they are the hardware's own writes (supervisor.adoc "Virtual Address
 * Translation Process" step 9), which need no fence.
 *
 * Two users: the fence sanitizer (fence-sanitizer.ts) learns of each change and of every use of
 * the TLBs; the strict TLB mode (mmu/tlb/strict.ts) needs the hart's own cached translations (its
 * software TLB) to follow the modelled TLBs, so the tracker has the host drop them whenever they
 * could disagree: when a PTE they may have come from changes, and when a TLB entry whose PTE
 * changed leaves the TLBs (evicted or fenced) so that the next access walks and sees the change.
 */
import { Word } from '../../caches/word.js';
import type { Access } from '../access.js';
import type { FenceKind } from '../tlb/fence-records.js';
import { FillSource, type TlbModel, type TlbWatch } from '../tlb/mmu-model.js';
import { Rec, type WalkRecorder } from '../walker/walk-recorder.js';
import type { AccessSite } from './marks.js';

/** One PTE read of the walk behind one TLB entry. */
export class Dep {
  constructor(
    /** The entry: organisation-wide slot id and its generation when filled (TlbArray.gen). */
    readonly id: number,
    readonly gen: number,
    readonly word: PteWord,
    /** The walk stage that read it (walk-recorder.ts Rec), its level, and the page that stage translated. */
    readonly stage: Rec,
    readonly level: number,
    readonly page: number,
    /** The leaf of that stage's walk (an address-specific fence reaches it). */
    readonly leaf: boolean,
  ) {}
}

/**
 * Per-word dependency lists are pruned of replaced entries when they reach this length, then when
 * they double what survived (a root PTE is behind every live entry: pruning it at a fixed length
 * would scan them all on every fill).
 */
const PRUNE_AT = 32;

/** A PTE some entry was built from: its value as last read, and the entries that read it. */
export class PteWord {
  lo = 0;
  hi = 0;
  deps: Dep[] = [];
  /** deps is pruned of replaced entries when it reaches this length (twice what survived the last pruning). */
  pruneAt = PRUNE_AT;
  constructor(readonly pa: number) {}
}

/** What the tracker needs from the machine around it. */
export interface TrackerHost {
  /** The PTE's current value (false: nothing there). */
  readPte(pa: number, out: Word): boolean;
  /** From now on every store to the 4 KiB page holding pa must reach PteTracker.store. */
  watchPage(pa: number): void;
  /** Drop every translation the hart caches outside the modelled TLBs (strict mode). */
  flushHartTranslations(): void;
}

/** Who hears about changes and uses (the fence sanitizer). */
export interface TrackerListener {
  access(vaLo: number, vaHi: number, access: Access, mode: number): void;
  /** The PTE behind `dep` changed from old to new by a store at `site`; dep's entry is still in the TLBs. */
  changed(dep: Dep, oldLo: number, oldHi: number, newLo: number, newHi: number, site: AccessSite): void;
  copied(from: number, to: number): void;
  hit(id: number): void;
  walked(rec: WalkRecorder): void;
  fence(kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, vmid: number): void;
}

/** The reads behind one slot's entry. */
class SlotDeps {
  constructor(
    readonly gen: number,
    readonly deps: Dep[],
  ) {}
}


export class PteTracker implements TlbWatch {
  /** Sees changes and uses; null when only the strict mode tracks. */
  listener: TrackerListener | null = null;
  /** Stores that changed a PTE word some TLB entry was built from. */
  pteChanges = 0;
  /** Times the hart's cached translations were dropped to follow the modelled TLBs (strict). */
  hartFlushes = 0;

  private readonly words = new Map<number, PteWord>();
  private readonly slots = new Map<number, SlotDeps>();
  /** Strict mode: (slot id, generation) pairs of live entries whose PTEs changed since their fill. */
  private changedSlots: number[] = [];
  private readonly w = new Word();
  /** Scratch: per recorded read, the deepest level of its (stage, page) walk. */
  private leafLevel = new Int8Array(64);

  constructor(
    private readonly tlbs: TlbModel,
    /** The walker's record of its last walk (mmu/walker/timed-walker.ts TimedWalker.rec). */
    private readonly rec: WalkRecorder,
    private readonly host: TrackerHost,
    /** Strict mode: keep the hart's cached translations in step with the modelled TLBs. */
    private readonly strict: boolean,
  ) {}

  /** PTE words being tracked (tests, statistics). */
  get trackedWords(): number {
    return this.words.size;
  }

  // ------------------------------------------------------------------ TlbWatch

  access(vaLo: number, vaHi: number, access: Access, mode: number): void {
    if (this.listener !== null) this.listener.access(vaLo, vaHi, access, mode);
  }

  filled(id: number, from: FillSource, gpaPage: number): void {
    const a = this.tlbs.arrayOf(id);
    const gen = a.gen[id - a.idBase]!;
    const rec = this.rec;
    const n = rec.n;
    this.computeLeafLevels();
    // The final GPA's G-stage walk comes after the last VS-stage read (a VS-stage entry excludes it).
    let lastVs = -1;
    for (let i = 0; i < n; i++) if (rec.stage[i] === Rec.Vs) lastVs = i;
    const deps: Dep[] = [];
    for (let i = 0; i < n; i++) {
      const stage = rec.stage[i] as Rec;
      const page = rec.vpn[i]!;
      if (from === FillSource.GStage && (stage !== Rec.G || page !== gpaPage)) continue;
      if (from === FillSource.FirstStage && stage === Rec.G && i > lastVs && page === gpaPage) continue;
      const word = this.word(rec.pa[i]!);
      if (deps.some((d) => d.word === word)) continue; // the same PTE read again (a Svadu retry, a write translation)
      const d = new Dep(id, gen, word, stage, rec.level[i]!, page, rec.level[i] === this.leafLevel[i]);
      deps.push(d);
      this.addDep(word, d);
    }
    this.slots.set(id, new SlotDeps(gen, deps));
    if (this.strict) this.recheck();
  }

  copied(from: number, to: number): void {
    const src = this.live(from);
    const a = this.tlbs.arrayOf(to);
    const gen = a.gen[to - a.idBase]!;
    const deps: Dep[] = [];
    if (src !== null) {
      for (const d of src.deps) {
        const c = new Dep(to, gen, d.word, d.stage, d.level, d.page, d.leaf);
        deps.push(c);
        this.addDep(d.word, c);
      }
    }
    this.slots.set(to, new SlotDeps(gen, deps));
    if (this.listener !== null) this.listener.copied(from, to);
    if (this.strict) this.recheck();
  }

  hit(id: number): void {
    if (this.listener !== null) this.listener.hit(id);
  }

  walked(): void {
    if (this.listener !== null) this.listener.walked(this.rec);
  }

  fence(kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, vmid: number): void {
    if (this.listener !== null) this.listener.fence(kind, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2, vmid);
    if (this.strict) this.recheck();
  }

  // ------------------------------------------------------------------ stores

  /**
   * A store of `size` bytes at physical address pa retired (already in memory), made at `site`.
   * Every tracked PTE word it overlaps whose value changed is a page-table change.
   */
  store(pa: number, size: number, site: AccessSite): void {
    if (this.words.size === 0) return;
    let flushed = false;
    const last = pa + size - 1;
    for (let at = pa - (pa % 8); at <= last; at += 8) {
      const word = this.words.get(at);
      if (word === undefined) continue;
      if (!this.host.readPte(at, this.w)) continue;
      const lo = this.w.lo;
      const hi = this.w.hi;
      if (lo === word.lo && hi === word.hi) continue; // the same value written again
      const oldLo = word.lo;
      const oldHi = word.hi;
      word.lo = lo;
      word.hi = hi;
      this.pteChanges++;
      // The hart may have cached a translation read through this PTE: it must now come from the
      // modelled TLBs again (a stale entry there still answers; a walk sees the new PTE).
      if (this.strict && !flushed) {
        flushed = true;
        this.flushHart();
      }
      for (const d of word.deps) {
        if (!this.isLive(d)) continue;
        if (this.strict) this.changedSlots.push(d.id, d.gen);
        if (this.listener !== null) this.listener.changed(d, oldLo, oldHi, lo, hi, site);
      }
    }
  }

  /**
   * Strict mode: if a TLB entry whose PTE changed has left the TLBs since the last check, the next
   * access walks and sees the change, so the hart's cached copies of the old translation must go.
   */
  recheck(): void {
    const c = this.changedSlots;
    if (c.length === 0) return;
    let gone = false;
    let keep = 0;
    for (let k = 0; k < c.length; k += 2) {
      const id = c[k]!;
      const a = this.tlbs.arrayOf(id);
      if (a.gen[id - a.idBase] !== c[k + 1]) {
        gone = true;
        continue;
      }
      c[keep++] = id;
      c[keep++] = c[k + 1]!;
    }
    c.length = keep;
    if (gone) this.flushHart();
  }

  // ------------------------------------------------------------------ internals

  private flushHart(): void {
    this.hartFlushes++;
    this.host.flushHartTranslations();
  }

  /** The tracked word at pa, created (and its page watched) on first sight; its value refreshed. */
  private word(pa: number): PteWord {
    let word = this.words.get(pa);
    if (word === undefined) {
      word = new PteWord(pa);
      this.words.set(pa, word);
      this.host.watchPage(pa);
    }
    // The walk just used the PTE as it is now (after any A/D update it made itself).
    if (this.host.readPte(pa, this.w)) {
      word.lo = this.w.lo;
      word.hi = this.w.hi;
    }
    return word;
  }

  private addDep(word: PteWord, d: Dep): void {
    if (word.deps.length >= word.pruneAt) {
      word.deps = word.deps.filter((x) => this.isLive(x));
      word.pruneAt = Math.max(PRUNE_AT, 2 * word.deps.length);
    }
    word.deps.push(d);
  }

  /** Whether dep's entry is still the one in its slot. */
  isLive(d: Dep): boolean {
    const a = this.tlbs.arrayOf(d.id);
    return a.gen[d.id - a.idBase] === d.gen && a.valid(d.id - a.idBase);
  }

  /** The deps of slot id if its entry is still the one they were recorded for. */
  private live(id: number): SlotDeps | null {
    const s = this.slots.get(id);
    if (s === undefined) return null;
    const a = this.tlbs.arrayOf(id);
    return a.gen[id - a.idBase] === s.gen ? s : null;
  }

  /** For each recorded read, the deepest level read by the same stage for the same page: that walk's leaf. */
  private computeLeafLevels(): void {
    const rec = this.rec;
    const n = rec.n;
    if (this.leafLevel.length < n) this.leafLevel = new Int8Array(rec.pa.length);
    const leaf = this.leafLevel;
    for (let i = 0; i < n; i++) {
      let m = rec.level[i]!;
      for (let j = 0; j < n; j++) if (rec.stage[j] === rec.stage[i] && rec.vpn[j] === rec.vpn[i] && rec.level[j]! < m) m = rec.level[j]!;
      leaf[i] = m;
    }
  }
}
