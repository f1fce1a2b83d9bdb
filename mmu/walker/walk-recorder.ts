/**
 * Records the PTE reads of one functional translation, in order, as the timed walker replays
 * them (mmu/walk.ts PteObserver: physical address, stage, level, and the page number the stage
 * translates). Allocation-free per walk: the arrays grow only if a walk ever outruns them.
 */
import { Word } from '../../caches/word.js';
import type { PteReader } from '../ports.js';
import { PTE_G } from '../pte.js';
import type { Translator } from '../translate.js';
import type { PteObserver, StageKind } from '../walk.js';

/** Recorded stage codes. */
export const enum Rec {
  Native = 0,
  Vs = 1,
  G = 2,
}

export class WalkRecorder {
  /** Reads recorded since begin(). */
  n = 0;
  pa = new Float64Array(64);
  stage = new Uint8Array(64);
  level = new Int8Array(64);
  vpn = new Float64Array(64);
  /** Where PTE values are read back from (globalFrom); null: they are unknown. */
  mem: PteReader | null = null;
  private readonly pte = new Word();
  private saved: PteObserver | null = null;
  private readonly observer: PteObserver = (pa: number, stage: StageKind, level: number, vpn: number): void => {
    if (this.n === this.pa.length) this.grow();
    const i = this.n++;
    this.pa[i] = pa;
    this.stage[i] = stage === 'vs' ? Rec.Vs : stage === 'g' ? Rec.G : Rec.Native;
    this.level[i] = level;
    this.vpn[i] = vpn;
  };

  /** Starts recording t's PTE reads, setting its own observer aside. */
  begin(t: Translator): void {
    this.n = 0;
    this.saved = t.onPteAccess;
    t.onPteAccess = this.observer;
  }

  /** Stops recording and puts t's own observer back. */
  end(t: Translator): void {
    t.onPteAccess = this.saved;
    this.saved = null;
  }

  /** The deepest level among recorded reads [from, to); 5 (above every root) when there are none. */
  minLevel(from: number, to: number): number {
    let m = 5;
    for (let i = from; i < to; i++) if (this.level[i]! < m) m = this.level[i]!;
    return m;
  }

  /**
   * The highest level whose recorded `stage` read above level `leaf` (a non-leaf PTE of the walk)
   * has G=1, or 0 when none has or PTE values are unknown (no `mem`). supervisor.adoc "Sv32": "For
   * non-leaf PTEs, the global setting implies that all mappings in the subsequent levels of the
   * page table are global": the walk's mappings at that level and every level below are global.
   * The PTEs are read back after the walk, which never writes a non-leaf PTE (A/D updates are
   * the leaf's, supervisor.adoc "Virtual Address Translation Process" step 9). Cold-ish: once per
   * successful walk, a read per non-leaf level.
   */
  globalFrom(stage: Rec, leaf: number): number {
    const mem = this.mem;
    if (mem === null) return 0;
    let top = 0;
    for (let i = 0; i < this.n; i++) {
      const level = this.level[i]!;
      if (this.stage[i] !== stage || level <= leaf || level <= top) continue;
      if (mem.readPte(this.pa[i]!, this.pte) && (this.pte.lo & PTE_G) !== 0) top = level;
    }
    return top;
  }

  private grow(): void {
    const cap = this.pa.length * 2;
    const pa = new Float64Array(cap);
    const stage = new Uint8Array(cap);
    const level = new Int8Array(cap);
    const vpn = new Float64Array(cap);
    pa.set(this.pa);
    stage.set(this.stage);
    level.set(this.level);
    vpn.set(this.vpn);
    this.pa = pa;
    this.stage = stage;
    this.level = level;
    this.vpn = vpn;
  }
}
