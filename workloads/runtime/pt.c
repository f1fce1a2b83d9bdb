/* Run-time page-table building for the priv-sv* programs (pt.h). */
#include "pt.h"

#define POOL_PAGES 64

static uint8_t pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
static unsigned pool_used;

uint64_t *pt_alloc_page(void)
{
    if (pool_used == POOL_PAGES) {
        printf("pt: page pool exhausted (%u pages)\n", POOL_PAGES);
        exit(EXIT_UNEXPECTED_TRAP);
    }
    uint64_t *page = (uint64_t *)pool[pool_used++];
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        page[i] = 0;
    return page;
}

void pt_init(struct pt *pt, unsigned levels)
{
    pt->levels = levels;
    pt->root = pt_alloc_page();
}

/* supervisor.adoc "Virtual Address Translation Process": VPN[i] is 9 bits at 12 + 9*i. */
static unsigned vpn(uint64_t va, unsigned level)
{
    return (unsigned)(va >> (12 + 9 * level)) & 511;
}

uint64_t *pt_slot(struct pt *pt, uint64_t va, unsigned level)
{
    uint64_t *table = pt->root;
    for (unsigned i = pt->levels - 1; i > level; i--) {
        uint64_t *slot = &table[vpn(va, i)];
        if (!(*slot & PTE_V)) {
            *slot = pte_make((uint64_t)(uintptr_t)pt_alloc_page(), PTE_V);
        } else if (*slot & (PTE_R | PTE_W | PTE_X)) {
            printf("pt: a leaf at level %u is in the way of va 0x%lx\n", i, va);
            exit(EXIT_UNEXPECTED_TRAP);
        }
        table = (uint64_t *)(uintptr_t)pte_pa(*slot);
    }
    return &table[vpn(va, level)];
}

void pt_map(struct pt *pt, uint64_t va, uint64_t pa, unsigned level, uint64_t flags)
{
    *pt_slot(pt, va, level) = pte_make(pa, flags);
}

uint64_t pt_satp(const struct pt *pt)
{
    uint64_t mode = pt->levels == 3 ? SATP_MODE_SV39 : pt->levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV57;
    return mode << SATP_MODE_SHIFT | (uint64_t)(uintptr_t)pt->root >> 12;
}
