/**
 * Sv39/Sv48/Sv57 page-table-entry layout (supervisor.adoc "Sv39: Page-Based 39-bit Virtual-Memory
 * System", figure sv39pte; the same 8-byte format serves Sv48, Sv57 and the G-stage x4 modes,
 * hypervisor.adoc "Guest Physical Address Translation").
 *
 * A PTE is held as two int32 halves like every 64-bit guest value: `lo` carries bits 31:0 (the
 * flag bits and PPN[21:0]), `hi` bits 63:32 (PPN[43:22] and the reserved/extension bits).
 */

/** Page size and PTE size for every RV64 scheme (supervisor.adoc "Sv39": PAGESIZE=2^12, PTESIZE=8). */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PTE_SIZE = 8;
/** Bits of VPN consumed per level (supervisor.adoc "Sv39": 2^9 PTEs per table). */
export const LEVEL_BITS = 9;
/**
 * Address bits 58:12 as an exact number: the page number a walk translates (every VPN field,
 * including an x4 root's two extra bits), which TLBs and walk caches tag by.
 */
export function pageNumber(lo: number, hi: number): number {
  return (hi & 0x07ff_ffff) * PAGES_PER_HI + (lo >>> PAGE_SHIFT);
}
/**
 * 2^(32-PAGE_SHIFT): the 4 KiB pages in one unit of an address's `hi` half. A literal on purpose:
 * V8 does not fold `2 ** (32 - PAGE_SHIFT)` and calls pow() on every evaluation, which cost the
 * detailed model a sixth of its time when pageNumber ran on every TLB lookup.
 */
export const PAGES_PER_HI = 0x10_0000;
/** 2^(9*i): the number of 4 KiB pages a level-i PTE spans (level 0 a 4 KiB page ... level 4 Sv57's 256 TiB). */
export const LEVEL_SPAN = [1, 2 ** 9, 2 ** 18, 2 ** 27, 2 ** 36] as const;
/** The bytes a level-i PTE maps: PAGE_SIZE × LEVEL_SPAN[i] (4 KiB, 2 MiB, 1 GiB, 512 GiB, 256 TiB). */
export const LEVEL_BYTES = [2 ** 12, 2 ** 21, 2 ** 30, 2 ** 39, 2 ** 48] as const;

// Flag bits 9:0, in `lo` (supervisor.adoc "Sv32: Addressing and Memory Protection", sv32pte).
export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
export const PTE_G = 1 << 5;
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;

// Bits in `hi` (PTE bit n is hi bit n-32).
/** PPN[43:22] = PTE bits 53:32. */
export const PTE_HI_PPN_MASK = 0x003f_ffff;
/** PTE bits 60:54: reserved for future standard use (supervisor.adoc "Sv39", norm:Sv39_pte_future_rsv). */
export const PTE_HI_RESERVED = 0x1fc0_0000;
/** PTE bits 62:61: PBMT (svpbmt.adoc; reserved when Svpbmt is absent, norm:Sv39_pte_svpbmt_rsv). */
export const PTE_HI_PBMT = 0x6000_0000;
/** PTE bit 63: N (svnapot.adoc; reserved when Svnapot is absent, norm:Sv39_pte_svnapot_rsv). */
export const PTE_HI_N = 0x8000_0000 | 0; // as int32, so `hi & PTE_HI_N` compares against a signed value

/**
 * Optional extensions that give meaning to PTE bits 63:61. Neither is implemented: while these are
 * false the bits are reserved and a PTE with any of them set raises a page fault. Turning one on
 * requires implementing its semantics in walk.ts (svpbmt.adoc, svnapot.adoc).
 */
export const SVPBMT_IMPLEMENTED = false;
export const SVNAPOT_IMPLEMENTED = false;

/** PTE.PPN (bits 53:10) as a number; exact, at most 44 bits. */
export function ptePpn(lo: number, hi: number): number {
  return (hi & PTE_HI_PPN_MASK) * 0x40_0000 + (lo >>> 10);
}

/** A leaf has R=1 or X=1; R=W=X=0 points to the next level (supervisor.adoc, pteperm table). */
export function isLeaf(lo: number): boolean {
  return (lo & (PTE_R | PTE_X)) !== 0;
}

/**
 * PPNs at or above this put the page at or above 2^53, where this platform has no memory (and a
 * JS number could not hold every byte address): such pages are reported as access faults.
 */
export const PPN_LIMIT = 2 ** (53 - PAGE_SHIFT);
