/*
 * Shadow paging (hv-shadow.h): the page pool, shadow tables per guest satp, filling them from the
 * guest's own tables on page faults, and the emulated satp accesses and SFENCE.VMAs.
 */
#include "hv-guest.h"

#define POOL_PAGES 512
static uint64_t pool_free[POOL_PAGES];
static unsigned pool_count;

#define CSR_SATP 0x180

uint64_t hv_shadow_pool_bytes(void)
{
    return POOL_PAGES * PAGE_SIZE;
}

void hv_shadow_boot(uint64_t base)
{
    for (unsigned i = POOL_PAGES; i-- > 0;)
        pool_free[pool_count++] = base + i * PAGE_SIZE;
}

static uint64_t page_alloc(void)
{
    if (!pool_count)
        return 0;
    uint64_t p = pool_free[--pool_count];
    uint64_t *w = (uint64_t *)(uintptr_t)p;
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        w[i] = 0;
    return p;
}

static void page_free(uint64_t p)
{
    pool_free[pool_count++] = p;
}

/* HFENCE.VVMA for the VS-stage of the running guest (hgatp Bare: VMID 0, shared by every guest in
 * this mode). The hv changed shadow PTEs: hypervisor.adoc "Hypervisor Memory-Management Fence
 * Instructions". A by-address fence orders the leaf only, so a new or dropped table needs all. */
static void fence_all(void)
{
    hv_hfence_vvma_all();
}

/* ------------------------------------------------------------------ slots */

static void slot_clear(struct hv_shadow_slot *s)
{
    for (unsigned i = 0; i < s->npages; i++)
        page_free(s->pages[i]);
    s->npages = 0;
    s->nregions = 0;
    s->regions_overflow = 0;
    uint64_t *root = (uint64_t *)(uintptr_t)s->root;
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        root[i] = 0;
}

static void slot_drop(struct hv_shadow_slot *s)
{
    slot_clear(s);
    page_free(s->root);
    s->used = 0;
}

/* Drops every slot no guest is running on; 1 if that freed anything. */
static int reclaim(void)
{
    int freed = 0;
    for (unsigned i = 0; i < hv_cfg.guests; i++) {
        struct hv_shadow *sh = &hv_guests[i].shadow;
        for (unsigned k = 0; k < HV_SHADOW_SLOTS; k++) {
            if (sh->slots[k].used && k != sh->current) {
                slot_drop(&sh->slots[k]);
                freed = 1;
            }
        }
    }
    fence_all();
    return freed;
}

/* The slot for a guest satp value: an existing one, a free one, or the next victim's. */
static unsigned slot_for(struct hv_guest *g, uint64_t key)
{
    struct hv_shadow *sh = &g->shadow;
    unsigned free_slot = HV_SHADOW_SLOTS;
    for (unsigned k = 0; k < HV_SHADOW_SLOTS; k++) {
        if (sh->slots[k].used && sh->slots[k].key == key)
            return k;
        if (!sh->slots[k].used && free_slot == HV_SHADOW_SLOTS)
            free_slot = k;
    }
    if (free_slot == HV_SHADOW_SLOTS) {
        free_slot = sh->next_victim++ % HV_SHADOW_SLOTS;
        if (free_slot == sh->current)
            free_slot = sh->next_victim++ % HV_SHADOW_SLOTS;
        slot_drop(&sh->slots[free_slot]);
        fence_all();
    }
    struct hv_shadow_slot *s = &sh->slots[free_slot];
    s->root = page_alloc();
    if (!s->root && reclaim())
        s->root = page_alloc();
    if (!s->root)
        hv_fatal(g, "shadow page pool exhausted: satp, pages", key, POOL_PAGES);
    s->used = 1;
    s->key = key;
    s->levels = hv_vs_levels(key);
    s->npages = 0;
    s->nregions = 0;
    s->regions_overflow = 0;
    return free_slot;
}

/* vsatp for the shadow of slot k: the guest's ASID tags its shadow entries in the TLB. */
static uint64_t real_vsatp(const struct hv_shadow_slot *s)
{
    uint64_t mode = s->levels == 3 ? SATP_MODE_SV39 : s->levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV57;
    return mode << SATP_MODE_SHIFT | SATP_ASID(s->key) << 44 | s->root >> 12;
}

/* The guest's satp becomes `v`: its shadow is made current (writing satp implies no
 * invalidation, supervisor.adoc "satp": the shadows stay as the guest's fences left them). */
static void set_satp(struct hv_guest *g, uint64_t v)
{
    struct hv_shadow *sh = &g->shadow;
    sh->satp = v;
    sh->current = slot_for(g, SATP_MODE(v) == SATP_MODE_BARE ? 0 : v);
    g->vsatp = real_vsatp(&sh->slots[sh->current]);
    csr_write(vsatp, g->vsatp);
}

void hv_shadow_init(struct hv_guest *g)
{
    struct hv_shadow *sh = &g->shadow;
    sh->satp = 0;
    sh->current = slot_for(g, 0);
    g->vsatp = real_vsatp(&sh->slots[sh->current]);
    g->hgatp = 0;   /* Bare: "software must write zero to the remaining fields in hgatp" */
}

/* The level-0 shadow PTE of va (allocating tables when `alloc`); NULL when absent or out of
 * pages. *linked is set when a table was added. */
static uint64_t *shadow_pte(struct hv_shadow_slot *s, uint64_t va, int alloc, int *linked)
{
    uint64_t *table = (uint64_t *)(uintptr_t)s->root;
    for (unsigned i = s->levels - 1; i > 0; i--) {
        uint64_t *e = &table[(va >> (12 + 9 * i)) & 511];
        if (!(*e & PTE_V)) {
            if (!alloc || s->npages == HV_SHADOW_SLOT_PAGES)
                return NULL;
            uint64_t p = page_alloc();
            if (!p)
                return NULL;
            s->pages[s->npages++] = p;
            *e = pte_make(p, PTE_V);
            *linked = 1;
        }
        table = (uint64_t *)(uintptr_t)pte_pa(*e);
    }
    return &table[(va >> 12) & 511];
}

static int in_region(const struct hv_shadow_slot *s, uint64_t va)
{
    if (s->regions_overflow)
        return 1;
    for (unsigned i = 0; i < s->nregions; i++)
        if (va - s->region_base[i] < s->region_size[i])
            return 1;
    return 0;
}

static void add_region(struct hv_shadow_slot *s, uint64_t va, uint64_t size)
{
    uint64_t base = va & ~(size - 1);
    for (unsigned i = 0; i < s->nregions; i++)
        if (s->region_base[i] == base && s->region_size[i] == size)
            return;
    if (s->nregions == HV_SHADOW_REGIONS) {
        s->regions_overflow = 1;
        return;
    }
    s->region_base[s->nregions] = base;
    s->region_size[s->nregions++] = size;
}

/* ------------------------------------------------------------------ traps */

int hv_shadow_page_fault(struct hv_guest *g, uint64_t cause, uint64_t tinst)
{
    uint64_t va = g->ctx.tval;
    int user = !(g->ctx.status & MSTATUS_SPP);
    struct hv_vs_leaf leaf = {0, 0, 0};
    uint64_t fault = hv_vs_walk(g, g->shadow.satp, va, cause, user, &leaf);
    if (fault) {
        hv_reflect(g, fault, va);
        return 1;
    }
    if (leaf.gpa >> 12 == HV_UART_GPA >> 12 && cause != EXC_FETCH_PAGE_FAULT)
        return hv_mmio(g, cause == EXC_STORE_PAGE_FAULT ? EXC_STORE_GUEST_PAGE : EXC_LOAD_GUEST_PAGE, leaf.gpa, tinst);
    uint64_t hpa = hv_mem_hpa(g, leaf.gpa & ~(PAGE_SIZE - 1));
    if (hpa == ~0UL)
        return 0;
    /* The shadow leaf: the guest's permissions, writable only once the guest's D is set (so that
     * the first store still reaches the guest's Svade fault), A and D preset, never global. */
    uint64_t w = (leaf.pte & PTE_W) && (leaf.pte & PTE_D) ? PTE_W | PTE_D : 0;
    uint64_t pte = pte_make(hpa, PTE_V | PTE_A | w | (leaf.pte & (PTE_R | PTE_X | PTE_U)));
    struct hv_shadow_slot *s = &g->shadow.slots[g->shadow.current];
    int linked = 0;
    uint64_t *e = shadow_pte(s, va, 1, &linked);
    if (!e) {
        /* Out of table pages: start this shadow afresh (and take back unused ones). */
        if (s->npages == HV_SHADOW_SLOT_PAGES)
            slot_clear(s);
        else
            reclaim();
        e = shadow_pte(s, va, 1, &linked);
        linked = 1;
        if (!e)
            hv_fatal(g, "shadow page pool exhausted: va, pages", va, POOL_PAGES);
    }
    if (*e == pte)
        hv_fatal(g, "shadow fill made no progress: va, pte", va, pte);
    *e = pte;
    if (leaf.level > 0)
        add_region(s, va, pt_level_size(leaf.level));
    /* supervisor.adoc "This specification permits the caching of PTEs whose V (Valid) bit is
     * clear": the entry just written may be cached as invalid. */
    if (linked)
        fence_all();
    else
        hv_hfence_vvma(va, 0, 0);
    hv_count(g, HV_STAT_SHADOW_FILLS);
    return 1;
}

int hv_direct_page_fault(struct hv_guest *g, uint64_t cause, uint64_t tinst)
{
    uint64_t va = g->ctx.tval;
    if (csr_read(vsatp) == real_vsatp(&g->shadow.slots[g->shadow.current]))
        return hv_shadow_page_fault(g, cause, tinst);
    if (va >> 12 == HV_UART_GPA >> 12 && cause != EXC_FETCH_PAGE_FAULT)
        return hv_mmio(g, cause == EXC_STORE_PAGE_FAULT ? EXC_STORE_GUEST_PAGE : EXC_LOAD_GUEST_PAGE, va, tinst);
    hv_reflect(g, cause, va);
    return 1;
}

/* SFENCE.VMA rs1, rs2 from the guest: drop what it orders. rs1 = x0: whole shadows; else the leaf
 * of the address, or the whole shadow where a guest superpage covers it. rs2 != x0: only shadows
 * of that ASID (supervisor.adoc "Supervisor Memory-Management Fence Instruction"). */
static void emulate_sfence(struct hv_guest *g, unsigned rs1, unsigned rs2)
{
    uint64_t va = g->ctx.x[rs1], asid = g->ctx.x[rs2] & 0xffff;
    int dropped_tables = 0;
    for (unsigned k = 0; k < HV_SHADOW_SLOTS; k++) {
        struct hv_shadow_slot *s = &g->shadow.slots[k];
        if (!s->used || (rs2 != 0 && SATP_ASID(s->key) != asid))
            continue;
        if (rs1 == 0 || in_region(s, va)) {
            slot_clear(s);
            dropped_tables = 1;
        } else {
            int unused = 0;
            uint64_t *e = shadow_pte(s, va, 0, &unused);
            if (e)
                *e = 0;
        }
    }
    if (dropped_tables)
        fence_all();
    else
        hv_hfence_vvma(va, asid, rs2 != 0);
}

static uint64_t hlvx_hu(uint64_t va)
{
    uint64_t v;
    __asm__ volatile(H_ASM("hlvx.hu %0, (%1)") : "=r"(v) : "r"(va) : "memory");
    return v;
}

int hv_shadow_virtual_insn(struct hv_guest *g)
{
    /* hypervisor.adoc: "On a virtual-instruction trap, mtval or stval is written the same as for
     * an illegal-instruction trap": the instruction bits, or zero, and then it is read as a fetch
     * would read it, with HLVX. Only VS-mode's own satp and SFENCE.VMA are emulated. */
    uint32_t insn = (uint32_t)g->ctx.tval;
    if (insn == 0)
        insn = (uint32_t)hlvx_hu(g->ctx.pc) | (uint32_t)hlvx_hu(g->ctx.pc + 2) << 16;
    unsigned funct3 = (insn >> 12) & 7, rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;
    if ((insn & 0x7f) != 0x73 || !(g->ctx.status & MSTATUS_SPP))
        return 0;
    uint64_t *x = g->ctx.x;
    if (funct3 == 0 && insn >> 25 == 0x09 && rd == 0) {
        emulate_sfence(g, rs1, rs2);
    } else if (funct3 != 0 && funct3 != 4 && insn >> 20 == CSR_SATP) {
        /* CSRRW/S/C[I] on satp (zicsr.adoc): CSRRS/C with rs1 = x0 (uimm 0) do not write. */
        uint64_t src = (funct3 & 4) ? rs1 : x[rs1], old = g->shadow.satp, v = old;
        int write = (funct3 & 3) == 1 || rs1 != 0;
        if ((funct3 & 3) == 1)
            v = src;
        else if ((funct3 & 3) == 2)
            v = old | src;
        else
            v = old & ~src;
        /* supervisor.adoc "satp": "If satp is written with an unsupported MODE, the entire write
         * has no effect"; Bare, Sv39, Sv48 and Sv57 are supported. */
        uint64_t mode = SATP_MODE(v);
        if (write && (mode == SATP_MODE_BARE || (mode >= SATP_MODE_SV39 && mode <= SATP_MODE_SV57)))
            set_satp(g, v);
        if (rd != 0)
            x[rd] = old;
    } else {
        return 0;
    }
    g->ctx.pc += 4;
    hv_count(g, HV_STAT_VTVM_TRAPS);
    return 1;
}

void hv_shadow_flush(struct hv_guest *g)
{
    for (unsigned k = 0; k < HV_SHADOW_SLOTS; k++)
        if (g->shadow.slots[k].used)
            slot_clear(&g->shadow.slots[k]);
    fence_all();
}
