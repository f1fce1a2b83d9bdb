/*
 * The guests' memory (hv.h, "Guest memory"): placement, the G-stage tables (hpt.h), demand
 * mapping from guest-page faults, the page-remap service and the HFENCE helpers.
 */
#include "hv-guest.h"

#define G_LEAF (HPT_G_RWX)

/* Pages a remap moves guest pages to; each remap returns the old page here. */
#define HV_SPARE_PAGES 4
static uint8_t spare_pages[HV_SPARE_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
static uint64_t free_pages[HV_SPARE_PAGES + 1];
static unsigned free_count;
static uint64_t remaps;

static unsigned leaf_level(uint64_t size)
{
    return size == pt_level_size(2) ? 2 : size == pt_level_size(1) ? 1 : 0;
}

static uint64_t image_end(void)
{
    return (uint64_t)(uintptr_t)__stack_top;
}

static uint64_t span_end(const struct hv_config *c)
{
    uint64_t end = image_end();
    if (c->mem_size && c->mem_gpa + c->mem_size > end)
        end = c->mem_gpa + c->mem_size;
    return end;
}

uint64_t hv_guest_stride(const struct hv_config *c)
{
    uint64_t page = c->gstage_page;
    return (span_end(c) - HV_IMAGE_GPA + page - 1) & ~(page - 1);
}

/* Guest RAM: the image and the data memory. */
static int in_ram(uint64_t gpa)
{
    if (gpa >= HV_IMAGE_GPA && gpa < image_end())
        return 1;
    return hv_cfg.mem_size && gpa >= hv_cfg.mem_gpa && gpa < hv_cfg.mem_gpa + hv_cfg.mem_size;
}

static int in_data_memory(uint64_t gpa)
{
    return hv_cfg.mem_size && gpa >= hv_cfg.mem_gpa && gpa < hv_cfg.mem_gpa + hv_cfg.mem_size;
}

void hv_hfence_gvma_all(void)
{
    __asm__ volatile(H_ASM("hfence.gvma zero, zero") ::: "memory");
}

/* hypervisor.adoc "Hypervisor Memory-Management Fence Instructions": rs1 holds the guest physical
 * address shifted right by 2, rs2 the VMID. */
void hv_hfence_gvma(uint64_t gpa, uint64_t vmid)
{
    __asm__ volatile(H_ASM("hfence.gvma %0, %1") : : "r"(gpa >> 2), "r"(vmid) : "memory");
}

void hv_hfence_vvma_all(void)
{
    __asm__ volatile(H_ASM("hfence.vvma zero, zero") ::: "memory");
}

/* HFENCE.VVMA applies to the VMID in hgatp, i.e. the running guest's. */
void hv_hfence_vvma(uint64_t va, uint64_t asid, int by_asid)
{
    if (by_asid)
        __asm__ volatile(H_ASM("hfence.vvma %0, %1") : : "r"(va), "r"(asid) : "memory");
    else
        __asm__ volatile(H_ASM("hfence.vvma %0, zero") : : "r"(va) : "memory");
}

/* Copies whole 4 KiB pages a doubleword at a time (the runtime's memcpy goes byte by byte, which
 * made copying a guest's image dominate short virtualized runs). */
static void copy_pages(uint64_t dst, uint64_t src, uint64_t bytes)
{
    uint64_t *d = (uint64_t *)(uintptr_t)dst;
    const uint64_t *s = (const uint64_t *)(uintptr_t)src;
    for (uint64_t i = 0; i < bytes / 8; i++)
        d[i] = s[i];
}

/* Maps the G-stage leaf that holds gpa (already-valid leaves are kept). */
static void map_leaf(struct hv_guest *g, uint64_t gpa)
{
    uint64_t page = hv_cfg.gstage_page;
    uint64_t base = gpa & ~(page - 1);
    uint64_t *slot = hpt_slot(&g->gstage, base, leaf_level(page));
    if (!(*slot & PTE_V))
        *slot = pte_make(base + g->host_offset, G_LEAF);
}

/* Every leaf covering [gpa, gpa + size). */
static void map_region(struct hv_guest *g, uint64_t gpa, uint64_t size)
{
    uint64_t page = hv_cfg.gstage_page;
    for (uint64_t a = gpa & ~(page - 1); a < gpa + size; a += page)
        map_leaf(g, a);
}

void hv_mem_init(struct hv_guest *g)
{
    g->host_offset = g->index * hv_guest_stride(&hv_cfg);
    if (g->host_offset) {
        /* A private copy of the image: the guest's code, data and boot stack at its link addresses. */
        copy_pages(HV_IMAGE_GPA + g->host_offset, HV_IMAGE_GPA, image_end() - HV_IMAGE_GPA);
    }
    if (!free_count) {
        for (unsigned i = 0; i < HV_SPARE_PAGES; i++)
            free_pages[free_count++] = (uint64_t)(uintptr_t)spare_pages[i];
    }
    hpt_init_gstage(&g->gstage, hv_cfg.gstage_levels);
    if (!hv_cfg.lazy) {
        map_region(g, HV_IMAGE_GPA, image_end() - HV_IMAGE_GPA);
        if (hv_cfg.mem_size)
            map_region(g, hv_cfg.mem_gpa, hv_cfg.mem_size);
    }
    g->hgatp = hpt_hgatp(&g->gstage, g->vmid);
}

int hv_mem_demand_map(struct hv_guest *g, uint64_t gpa)
{
    if (!hv_cfg.lazy || !in_ram(gpa))
        return 0;
    map_leaf(g, gpa);
    /* supervisor.adoc "This specification permits the caching of PTEs whose V (Valid) bit is
     * clear": the invalid G-stage entry may be cached, so fence the new one in. */
    hv_hfence_gvma(gpa, g->vmid);
    return 1;
}

long hv_mem_remap(struct hv_guest *g, uint64_t gpa, uint64_t *count)
{
    if (hv_cfg.gstage_page != PAGE_SIZE)
        return SBI_ERR_NOT_SUPPORTED;
    /* Only the data memory: guest 0 shares its image pages with the hypervisor. */
    if (!in_data_memory(gpa))
        return SBI_ERR_INVALID_ADDRESS;
    uint64_t page = gpa & ~(PAGE_SIZE - 1);
    map_leaf(g, page);
    uint64_t *slot = hpt_slot(&g->gstage, page, 0);
    uint64_t old = pte_pa(*slot);
    uint64_t fresh = free_pages[--free_count];
    copy_pages(fresh, old, PAGE_SIZE);
    *slot = pte_make(fresh, G_LEAF);
    /* hypervisor.adoc "Hypervisor Memory-Management Fence Instructions": the old translation may
     * be cached for this VMID until HFENCE.GVMA with its guest physical address (remap_nofence
     * leaves it out on purpose: rvhsim's fence sanitizer and strict TLB mode must expose that). */
    if (!hv_cfg.remap_nofence)
        hv_hfence_gvma(page, g->vmid);
    /* Poison the old page: a stale translation would now read garbage, not the guest's data. */
    memset((void *)(uintptr_t)old, 0xa5, PAGE_SIZE);
    free_pages[free_count++] = old;
    *count = ++remaps;
    return SBI_SUCCESS;
}

/* The host physical address behind guest RAM address gpa, or ~0 outside guest RAM. In the shadow
 * and direct modes hgatp is Bare and the G-stage table is only the hv's own map of the guest's
 * memory (it follows remaps; a lazy leaf is mapped here on first use). */
uint64_t hv_mem_hpa(struct hv_guest *g, uint64_t gpa)
{
    if (!in_ram(gpa))
        return ~0UL;
    uint64_t page = hv_cfg.gstage_page;
    map_leaf(g, gpa);
    uint64_t *slot = hpt_slot(&g->gstage, gpa & ~(page - 1), leaf_level(page));
    return pte_pa(*slot) + (gpa & (page - 1));
}
