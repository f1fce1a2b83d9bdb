import type { Bus } from '../caches/bus.js';
import { Word } from '../caches/word.js';
import { PteCas, type PteMemory } from './walk.js';

/**
 * Page-table memory as one hart sees it: PTEs read from and A/D updates written to the bus.
 * walkerStore is true while an A/D update is being stored, so a store observer (the PTE tracker,
 * mmu/sanitizer/pte-tracker.ts) can tell the hardware's own write from a page-table change.
 */
export class BusPteMemory implements PteMemory {
  walkerStore = false;
  private readonly w = new Word();

  constructor(private readonly bus: Pick<Bus, 'load' | 'store'>) {}

  readPte(pa: number, out: Word): boolean {
    return this.bus.load(pa, 8, out);
  }

  /** One hart and no DMA: nothing can change a PTE between the walker's read and this update. */
  casPte(pa: number, expectLo: number, expectHi: number, newLo: number, newHi: number): PteCas {
    if (!this.bus.load(pa, 8, this.w)) return PteCas.AccessFault;
    if (this.w.lo !== expectLo || this.w.hi !== expectHi) return PteCas.Changed;
    this.walkerStore = true;
    try {
      return this.bus.store(pa, 8, newLo, newHi) ? PteCas.Stored : PteCas.AccessFault;
    } finally {
      this.walkerStore = false;
    }
  }
}
