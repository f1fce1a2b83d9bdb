/*
 * The vmk kernel's page tables (vmk.h; supervisor.adoc "Sv39"/"Sv48"/"Sv57"): pt.c's layout, but
 * every PPN names a frame, which is the address itself, or with memvirt=direct the host frame the
 * hypervisor gives for that guest page (RVHS frame, hv-sbi.h): then hgatp is Bare and the guest's
 * own tables translate straight to host physical addresses, table pointers included.
 */
#include "vmk-kernel.h"
#include "guest.h"

static int direct;

/* The host frames of the first 32 MiB of DRAM (the image and small arenas), asked once each. */
#define P2M_PAGES 8192
static uint64_t p2m[P2M_PAGES];

/* Table pages: their frame and where the kernel reaches them. */
#define MAX_TABLES 64
static uint64_t table_frame[MAX_TABLES];
static uint64_t *table_page[MAX_TABLES];
static unsigned tables;

void vmk_pt_direct(int on)
{
    direct = on;
}

uint64_t vmk_p2m_limit(void)
{
    return BENCH_PA_BASE + P2M_PAGES * PAGE_SIZE;
}

uint64_t vmk_frame(uint64_t pa)
{
    if (!direct)
        return pa;
    uint64_t page = pa & ~(PAGE_SIZE - 1), i = (page - BENCH_PA_BASE) / PAGE_SIZE;
    if (page < BENCH_PA_BASE || i >= P2M_PAGES)
        return sbi_frame(page) + (pa - page);
    if (!p2m[i])
        p2m[i] = sbi_frame(page);
    if (p2m[i] == ~0UL) {
        printf("vmk: no host frame for guest page 0x%lx\n", page);
        sbi_shutdown(EXIT_UNEXPECTED_TRAP);
    }
    return p2m[i] + (pa - page);
}

static uint64_t *table_at(uint64_t frame)
{
    for (unsigned i = 0; i < tables; i++)
        if (table_frame[i] == frame)
            return table_page[i];
    printf("vmk: a PTE names frame 0x%lx, which is no table of the kernel\n", frame);
    sbi_shutdown(EXIT_UNEXPECTED_TRAP);
}

static uint64_t *new_table(void)
{
    if (tables == MAX_TABLES) {
        printf("vmk: more than %u page-table pages\n", MAX_TABLES);
        sbi_shutdown(EXIT_UNEXPECTED_TRAP);
    }
    uint64_t *page = pt_alloc_page();
    table_page[tables] = page;
    table_frame[tables++] = vmk_frame((uint64_t)(uintptr_t)page);
    return page;
}

void vmk_pt_init(struct vmk_pt *t, unsigned levels)
{
    t->levels = levels;
    t->root = new_table();
}

/* supervisor.adoc "Virtual Address Translation Process": VPN[i] is 9 bits at 12 + 9 i. */
uint64_t *vmk_pt_slot(struct vmk_pt *t, uint64_t va, unsigned level)
{
    uint64_t *table = t->root;
    for (unsigned i = t->levels - 1; i > level; i--) {
        uint64_t *slot = &table[(va >> (12 + 9 * i)) & 511];
        if (!(*slot & PTE_V)) {
            uint64_t *next = new_table();
            *slot = pte_make(table_frame[tables - 1], PTE_V);
            table = next;
        } else {
            table = table_at(pte_pa(*slot));
        }
    }
    return &table[(va >> (12 + 9 * level)) & 511];
}

void vmk_pt_map(struct vmk_pt *t, uint64_t va, uint64_t pa, unsigned level, uint64_t flags)
{
    *vmk_pt_slot(t, va, level) = pte_make(vmk_frame(pa), flags);
}

uint64_t vmk_pt_satp(const struct vmk_pt *t, uint64_t asid)
{
    uint64_t mode = t->levels == 3 ? SATP_MODE_SV39 : t->levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV57;
    uint64_t root = (uint64_t)(uintptr_t)t->root;
    for (unsigned i = 0; i < tables; i++)
        if (table_page[i] == t->root)
            root = table_frame[i];
    return mode << SATP_MODE_SHIFT | (asid & 0xffff) << 44 | root >> 12;
}
