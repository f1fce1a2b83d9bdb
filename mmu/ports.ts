/**
 * The contract between the timing-side MMU models (issue 5): the TLB organisation
 * (mmu/tlb/) asks a walker (mmu/walker/) for translations it does not hold, and both take part
 * in fences. Everything here is timing: the functional hart has already decided what each access
 * does; these models decide what it costs and which structure would have held it.
 *
 * Page numbers are exact JS numbers (VA/GPA bits 58:12, as the walk computes them), physical
 * page numbers likewise (PA / 4096). Levels: 0 is a 4 KiB leaf, 1 a 2 MiB (mega)page, 2 a 1 GiB
 * (giga)page, ...; LEVELS-1 is the root.
 */
import type { Word } from '../caches/word.js';
import type { Access, Priv } from './access.js';
import { doubleFields } from '../common/double-fields.js';

/** A G-stage translation cache the walker may consult (the G-stage TLB of the separate and hybrid organisations). */
export interface GStageTlbPort {
  /**
   * The host-physical page number for guest-physical page `gpaPage` under `vmid` at time `now`,
   * or -1 on a miss. Counts its own hit/miss statistics; `latency` says what the lookup cost.
   */
  lookupG(vmid: number, gpaPage: number, now: number): number;
  /** Cycles the last lookupG took (hit or miss). */
  readonly latency: number;
  /**
   * G-stage leaf level of the translation the last lookupG hit (the leaf's own level, even if the
   * TLB stored it splintered), so that a walker building a combined entry knows its G-stage page
   * size. Meaningful only after a hit.
   */
  readonly level: number;
  /**
   * Fill after a G-stage walk: the leaf maps gpaPage (at `level`) to hpaPage. flags: the G-stage
   * leaf PTE's bits 7:0 (V R W X U G A D), or 0 when the walker does not know them (the strict
   * TLB mode then re-checks that translation by a walk rather than trust unknown permissions).
   */
  insertG(vmid: number, gpaPage: number, hpaPage: number, level: number, flags: number): void;
}

/**
 * What a timing walk found: every field after walk()/walkG() returned 0; after a fault only
 * cycles and the reference counts (the reads the walk made before it faulted still cost time).
 */
export class WalkResult {
  /** Physical address of the translated byte (exact, below 2^53). */
  pa = 0;
  /** Guest-physical page number (V=1); for a native walk, equal to the physical page number. */
  gpaPage = 0;
  /** Leaf level of the first stage (native or VS); -1 when that stage is Bare. */
  vsLevel = -1;
  /** Leaf level of the G-stage; -1 when hgatp is Bare or for a native walk. */
  gLevel = -1;
  /** The level over which the whole GVA→HPA (or VA→PA) mapping is linear: the smaller leaf. */
  level = 0;
  /**
   * The first-stage leaf is global: exempt from ASID-specific fences. Its PTE has G=1, or a
   * non-leaf PTE above it has (supervisor.adoc "Sv32": "For non-leaf PTEs, the global setting
   * implies that all mappings in the subsequent levels of the page table are global"); the latter
   * only when the walker can read PTE values (PteReader).
   */
  global = false;
  /**
   * Bits 7:0 (V R W X U G A D) of the first-stage (native or VS) leaf PTE and of the G-stage leaf
   * PTE as the walk used them (after any A/D update); 0 for a Bare stage. A TLB entry keeps them
   * so that the strict TLB mode checks an access against the permissions it cached.
   */
  pteFlags = 0;
  gPteFlags = 0;
  /** Cycles the walk took (PTE reads through the caches, page-walk cache and nested-TLB lookups). */
  cycles = 0;
  /** Memory references the walk made (PTE reads that were not skipped by a walk cache). */
  refs = 0;
  /** Of refs: first-stage (native/VS) PTE reads, and G-stage PTE reads. */
  refsFirst = 0;
  refsG = 0;

  constructor() {
    doubleFields(this, 'pa', 'gpaPage');
  }
}

/**
 * The scope of one invalidation, as the fence or CSR write defines it (supervisor.adoc
 * "SFENCE.VMA", hypervisor.adoc "Hypervisor Memory-Management Fence Instructions"). -1 means
 * "all" for vmid, asid and page.
 */
export class FenceScope {
  /** Which translations: 'first' (native when virt=false, VS-stage when virt=true) or 'g' (G-stage). */
  stage: 'first' | 'g' = 'first';
  /** For stage 'first': V=1 (VS-stage) or V=0 (native) translations. */
  virt = false;
  /** VMID whose translations are meant (V=1 first stage, G-stage); -1: every VMID. */
  vmid = -1;
  /** ASID (first stage only); -1: every ASID. Global entries (PTE.G) are exempt from an ASID-specific fence. */
  asid = -1;
  /** Page: GVA/VA page for 'first', GPA page for 'g'; -1: every page. */
  page = -1;
}

/** A walker with walk caches, as the TLB organisation sees it. */
export interface WalkerPort {
  readonly out: WalkResult;
  /**
   * Timing walk of a translation the functional hart made (or is about to make) in context
   * (priv, virt). `g`: the G-stage TLB to consult for the final GPA (and, if so configured, for
   * the guest page-table pages), or null; the walker fills it with what it walks. hlvx: an HLVX
   * load (virt only), whose walk checks execute permission in place of read permission in both
   * stages (hypervisor.adoc norm:hlsv_u_op). Returns 0 or the fault cause (then nothing is filled).
   */
  walk(vaLo: number, vaHi: number, access: Access, priv: Priv, virt: boolean, now: number, g: GStageTlbPort | null, hlvx?: boolean): number;
  /**
   * Timing walk of the G-stage alone for guest-physical page gpaPage (separate organisation: VS
   * hit, G miss); hlvx as for walk.
   */
  walkG(gpaPage: number, access: Access, now: number, hlvx?: boolean): number;
  /** Drop the walk caches' entries in scope; returns how many entries each structure dropped. */
  invalidate(scope: FenceScope): WalkCacheInvalidation;
}

/** Entries a fence dropped from the walker's structures. */
export interface WalkCacheInvalidation {
  pwcFirst: number;
  pwcG: number;
  nestedTlb: number;
}

/**
 * Reads a PTE's value from physical memory as the hart's walker does (mmu/walk.ts
 * PteMemory.readPte): the timed walker re-reads the non-leaf PTEs of a walk for their G bits,
 * which the PTE observer (mmu/walk.ts PteObserver, called before each read) cannot report.
 */
export interface PteReader {
  readPte(pa: number, out: Word): boolean;
}
