/*
 * Sv39/Sv48/Sv57 page tables built at run time (supervisor.adoc "Sv39: Page-Based 39-bit Virtual-
 * Memory System", "Sv48", "Sv57"). Tables and data pages come from a static pool in DRAM; a table's
 * address is physical, and the priv-sv* programs identity-map DRAM so that S-mode can edit PTEs
 * through the same pointers.
 */
#ifndef RVHSIM_PT_H
#define RVHSIM_PT_H

#include "rt.h"

/* PTE bits (supervisor.adoc "Sv32: ... Page Table Entry", same layout for Sv39/48/57). */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

/* satp (supervisor.adoc "Supervisor Address Translation and Protection (satp) Register"). */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0UL
#define SATP_MODE_SV39 8UL
#define SATP_MODE_SV48 9UL
#define SATP_MODE_SV57 10UL

#define PAGE_SIZE 4096UL

struct pt {
    unsigned levels;  /* 3 (Sv39), 4 (Sv48) or 5 (Sv57) */
    uint64_t *root;
};

static inline uint64_t pte_make(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << PTE_PPN_SHIFT | flags;
}

static inline uint64_t pte_pa(uint64_t pte)
{
    return ((pte >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12;
}

/* Bytes mapped by one leaf at `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB, 4: 256 TiB). */
static inline uint64_t pt_level_size(unsigned level)
{
    return PAGE_SIZE << (9 * level);
}

/* A zeroed 4 KiB page from the pool (exits with a message when the pool is used up). */
uint64_t *pt_alloc_page(void);

/* An empty table with `levels` levels; its root is a fresh page. */
void pt_init(struct pt *pt, unsigned levels);

/*
 * The PTE slot that maps `va` at `level`, allocating pointer PTEs (V=1, R=W=X=0) on the way down.
 * Exits if a leaf sits above `level` on the path.
 */
uint64_t *pt_slot(struct pt *pt, uint64_t va, unsigned level);

/* Writes the leaf PTE for `va` at `level` (pa must suit the level unless a test wants otherwise). */
void pt_map(struct pt *pt, uint64_t va, uint64_t pa, unsigned level, uint64_t flags);

/* satp for this table: MODE from the level count, ASID 0, PPN of the root. */
uint64_t pt_satp(const struct pt *pt);

#endif
