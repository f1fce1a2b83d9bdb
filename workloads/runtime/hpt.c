/* Run-time two-stage page-table building for the h-* programs (hpt.h). */
#include "hpt.h"
#include "hpriv.h"

#define HPT_POOL_PAGES 160

static uint8_t pool[HPT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(16384)));
static unsigned pool_used;

void *hpt_alloc(unsigned n, uint64_t align)
{
    unsigned step = (unsigned)(align / PAGE_SIZE);
    unsigned first = (pool_used + step - 1) / step * step;
    if (first + n > HPT_POOL_PAGES) {
        printf("hpt: page pool exhausted (%u pages)\n", HPT_POOL_PAGES);
        exit(EXIT_UNEXPECTED_TRAP);
    }
    pool_used = first + n;
    uint64_t *p = (uint64_t *)pool[first];
    for (unsigned i = 0; i < n * PAGE_SIZE / 8; i++)
        p[i] = 0;
    return p;
}

uint64_t *hpt_alloc_page(void)
{
    return hpt_alloc(1, PAGE_SIZE);
}

void hpt_init_gstage(struct hpt *t, unsigned levels)
{
    t->levels = levels;
    t->gstage = 1;
    t->host_minus_table = 0;
    /* hypervisor.adoc "Guest Physical Address Translation": "the root page table ... is expanded by
     * a factor of 4 to be 16 KiB ... aligned to a 16 KiB boundary". */
    t->root = hpt_alloc(4, 16384);
}

void hpt_init_vsstage(struct hpt *t, unsigned levels, int64_t hpa_minus_gpa)
{
    t->levels = levels;
    t->gstage = 0;
    t->host_minus_table = hpa_minus_gpa;
    t->root = hpt_alloc_page();
}

uint64_t hpt_addr_of(const struct hpt *t, const void *host)
{
    return (uint64_t)(uintptr_t)host - (uint64_t)t->host_minus_table;
}

static uint64_t *host_of(const struct hpt *t, uint64_t addr)
{
    return (uint64_t *)(uintptr_t)(addr + (uint64_t)t->host_minus_table);
}

/* supervisor.adoc "Virtual Address Translation Process": VPN[i] is 9 bits at 12 + 9*i; for the
 * G-stage root, VPN[LEVELS-1] has 2 more bits (hypervisor.adoc "Sv39x4 ... 2 more bits at the high
 * end in VPN[2]"). */
static unsigned index_at(const struct hpt *t, uint64_t in, unsigned level)
{
    unsigned bits = (t->gstage && level == t->levels - 1) ? 11 : 9;
    return (unsigned)(in >> (12 + 9 * level)) & ((1u << bits) - 1);
}

uint64_t *hpt_slot(struct hpt *t, uint64_t in, unsigned level)
{
    uint64_t *table = t->root;
    for (unsigned i = t->levels - 1; i > level; i--) {
        uint64_t *slot = &table[index_at(t, in, i)];
        if (!(*slot & PTE_V)) {
            *slot = pte_make(hpt_addr_of(t, hpt_alloc_page()), PTE_V);
        } else if (*slot & (PTE_R | PTE_W | PTE_X)) {
            printf("hpt: a leaf at level %u is in the way of 0x%lx\n", i, in);
            exit(EXIT_UNEXPECTED_TRAP);
        }
        table = host_of(t, pte_pa(*slot));
    }
    return &table[index_at(t, in, level)];
}

uint64_t hpt_slot_addr(struct hpt *t, uint64_t in, unsigned level)
{
    return hpt_addr_of(t, hpt_slot(t, in, level));
}

void hpt_map(struct hpt *t, uint64_t in, uint64_t out, unsigned level, uint64_t flags)
{
    *hpt_slot(t, in, level) = pte_make(out, flags);
}

void hpt_map_range(struct hpt *t, uint64_t in, uint64_t out, uint64_t size, uint64_t flags)
{
    while (size) {
        unsigned level = 2;
        while (level > 0 && (((in | out) & (pt_level_size(level) - 1)) || size < pt_level_size(level)))
            level--;
        hpt_map(t, in, out, level, flags);
        in += pt_level_size(level);
        out += pt_level_size(level);
        size -= pt_level_size(level);
    }
}

static uint64_t mode_for(unsigned levels)
{
    /* Sv39x4/Sv48x4/Sv57x4 are 8/9/10 in hgatp, the same numbers as Sv39/Sv48/Sv57 in satp. */
    return levels == 3 ? 8UL : levels == 4 ? 9UL : 10UL;
}

uint64_t hpt_hgatp(const struct hpt *t, uint64_t vmid)
{
    return mode_for(t->levels) << HGATP_MODE_SHIFT | (vmid << HGATP_VMID_SHIFT & HGATP_VMID_MASK) |
           (uint64_t)(uintptr_t)t->root >> 12;
}

uint64_t hpt_vsatp(const struct hpt *t, uint64_t asid)
{
    return mode_for(t->levels) << SATP_MODE_SHIFT | (asid & 0xffff) << 44 | hpt_addr_of(t, t->root) >> 12;
}

uint64_t hpt_gstage_identity(struct hpt *t, unsigned levels, uint64_t vmid)
{
    hpt_init_gstage(t, levels);
    hpt_map(t, HPT_DRAM_BASE, HPT_DRAM_BASE, 2, HPT_G_RWX);
    hpt_map(t, UART_BASE_ADDR, UART_BASE_ADDR, 0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    hpt_map(t, 0x100000UL, 0x100000UL, 0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    return hpt_hgatp(t, vmid);
}

uint64_t hpt_vsstage_identity(struct hpt *t, unsigned levels, uint64_t asid)
{
    hpt_init_vsstage(t, levels, 0);
    hpt_map(t, HPT_DRAM_BASE, HPT_DRAM_BASE, 2, HPT_VS_RWX);
    return hpt_vsatp(t, asid);
}
