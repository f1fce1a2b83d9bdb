/**
 * The nested TLB of Bhargava, Serebrin, Spadini and Manne, "Accelerating Two-Dimensional Page
 * Walks for Virtualized Systems", ASPLOS 2008: it caches the G-stage translations (GPA page →
 * HPA page) of the pages that hold guest page tables, so that a hit skips the whole G-stage walk
 * of a VS-stage PTE address (hypervisor.adoc norm:H_vm_gstagetrans: such accesses are "subject
 * to G-stage address translation alone"). Entries are tagged with the VMID; each keeps the level
 * of the G-stage leaf it came from, so that a fence for any address that leaf maps finds it.
 */
import { LEVEL_SPAN } from '../pte.js';
import { KeyStore } from './key-store.js';
import type { NestedTlbConfig } from './walker-config.js';


export class NestedTlb {
  readonly latency: number;
  hits = 0;
  misses = 0;
  fills = 0;
  evictions = 0;
  /** Entries fences dropped. */
  invalidated = 0;
  private readonly store: KeyStore;

  constructor(cfg: NestedTlbConfig) {
    this.latency = cfg.latency;
    this.store = new KeyStore(cfg.entries, cfg.ways, cfg.replacement, cfg.seed);
  }

  /** The host-physical page of guest-physical page `gpaPage` under `vmid`, or -1 on a miss. */
  lookup(vmid: number, gpaPage: number): number {
    const slot = this.store.find(gpaPage, vmid, 0);
    if (slot < 0) {
      this.misses++;
      return -1;
    }
    this.hits++;
    return this.store.value[slot]!;
  }

  /** After a G-stage walk of a page-table page: its G-stage leaf, at `level`, maps gpaPage to hpaPage. */
  insert(vmid: number, gpaPage: number, hpaPage: number, level: number): void {
    this.store.insert(gpaPage, vmid, 0, hpaPage, level);
    this.fills++;
    if (this.store.lastEvicted) this.evictions++;
  }

  /**
   * Drops the entries of `vmid` (-1: every VMID) whose G-stage leaf maps guest-physical page
   * `page` (-1: every page); returns how many (hypervisor.adoc norm:hfence-gvma_op).
   */
  invalidate(vmid: number, page: number): number {
    const s = this.store;
    const n = s.drop((slot) => {
      if (vmid !== -1 && s.space[slot] !== vmid) return false;
      if (page === -1) return true;
      const span = LEVEL_SPAN[s.aux[slot]!]!;
      return Math.floor(s.tag[slot]! / span) === Math.floor(page / span);
    });
    this.invalidated += n;
    return n;
  }

  occupancy(): number {
    return this.store.occupancy();
  }
}
