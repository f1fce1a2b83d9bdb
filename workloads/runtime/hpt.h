/*
 * Page tables for two-stage translation (hypervisor.adoc "Two-Stage Address Translation"), built
 * at run time from a static pool of host pages:
 *
 *  - G-stage tables (Sv39x4, Sv48x4, Sv57x4; "Guest Physical Address Translation"): the root is
 *    16 KiB, 16-KiB aligned, and indexed by two more bits of the guest physical address; inputs
 *    are guest physical addresses, outputs host (supervisor) physical addresses. G-stage leaves
 *    need U=1: "all memory accesses ... are considered to be user-level accesses".
 *  - VS-stage tables (Sv39, Sv48, Sv57): ordinary tables, but they live in guest-physical memory:
 *    the PPNs in their PTEs (and in vsatp) are guest physical addresses. A VS-stage table is
 *    created with the offset (host physical - guest physical) of the guest memory that holds it;
 *    0 when the G-stage maps that memory at its own address.
 *
 * Leaf levels: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB, 4 = 256 TiB.
 */
#ifndef RVHSIM_HPT_H
#define RVHSIM_HPT_H

#include "pt.h"

struct hpt {
    unsigned levels;      /* 3 (Sv39/Sv39x4), 4 (Sv48/Sv48x4) or 5 (Sv57/Sv57x4) */
    int gstage;           /* 1: G-stage (x4 root), 0: VS-stage */
    uint64_t *root;       /* host pointer to the root table */
    int64_t host_minus_table; /* host physical address - the address the table's PTEs use */
};

/* A zeroed 4 KiB host page from the pool (exits with a message when the pool is used up). */
uint64_t *hpt_alloc_page(void);
/* `n` zeroed contiguous host pages aligned to `align` bytes (a power of two >= 4096). */
void *hpt_alloc(unsigned n, uint64_t align);

/* An empty G-stage table: root of 4 pages, 16-KiB aligned. */
void hpt_init_gstage(struct hpt *t, unsigned levels);
/* An empty VS-stage table whose pages sit in guest memory at host = guest + hpa_minus_gpa. */
void hpt_init_vsstage(struct hpt *t, unsigned levels, int64_t hpa_minus_gpa);

/*
 * The PTE slot (a host pointer) that maps `in` at `level`, allocating pointer PTEs (V=1,
 * R=W=X=0) on the way down. Exits if a leaf sits above `level` on the path.
 */
uint64_t *hpt_slot(struct hpt *t, uint64_t in, unsigned level);
/* Writes the leaf PTE mapping `in` to `out` at `level`. */
void hpt_map(struct hpt *t, uint64_t in, uint64_t out, unsigned level, uint64_t flags);
/* Maps [in, in+size) to [out, out+size) with the largest leaves that fit. */
void hpt_map_range(struct hpt *t, uint64_t in, uint64_t out, uint64_t size, uint64_t flags);

/* The address a PTE of this table uses for host page `host` (a guest physical address for a
 * VS-stage table, the host address for a G-stage one). */
uint64_t hpt_addr_of(const struct hpt *t, const void *host);
/* The guest physical address of the PTE slot that maps `in` at `level` (a VS-stage table's
 * implicit access address: what htval reports when reading that PTE faults). */
uint64_t hpt_slot_addr(struct hpt *t, uint64_t in, unsigned level);

/* hgatp for a G-stage table: MODE from the level count, VMID, PPN of the root. */
uint64_t hpt_hgatp(const struct hpt *t, uint64_t vmid);
/* vsatp for a VS-stage table: MODE from the level count, ASID, guest PPN of the root. */
uint64_t hpt_vsatp(const struct hpt *t, uint64_t asid);

/* Leaf flags: a G-stage leaf is always a user page; both stages get A and D preset so that no
 * check depends on Svade vs Svadu. */
#define HPT_G_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define HPT_VS_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* The usual guest: G-stage identity map of DRAM (first 1 GiB at 0x80000000) plus the UART and the
 * test finisher; returns hgatp with `vmid`. */
uint64_t hpt_gstage_identity(struct hpt *t, unsigned levels, uint64_t vmid);
/* A VS-stage identity map of the same DRAM gigabyte for VS-mode code (U=0) and its hgatp-free
 * vsatp with `asid`; tables sit at their own guest physical address (identity G-stage). */
uint64_t hpt_vsstage_identity(struct hpt *t, unsigned levels, uint64_t asid);

#define HPT_DRAM_BASE 0x80000000UL
#define HPT_GIB (1UL << 30)

#endif
