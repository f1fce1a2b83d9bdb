/*
 * The guest's own VS-stage translation, done in software by the hv (hv-shadow.h), and passing an
 * exception on to the guest kernel: what shadow paging needs to decide whether a page fault the
 * hardware raised on the shadow is the guest's or the shadow's.
 */
#include "hv-guest.h"

/* supervisor.adoc "Sv39: Page-Based 39-bit Virtual-Memory System": PTE bits 63:54 (N, PBMT,
 * reserved) are not used by the guests; the walk treats them as reserved ("Virtual Address
 * Translation Process" step 3), as an implementation without Svnapot and Svpbmt does. */
#define PTE_HIGH_SHIFT 54

unsigned hv_vs_levels(uint64_t satp)
{
    unsigned mode = (unsigned)SATP_MODE(satp);
    return mode == SATP_MODE_BARE ? 3 : mode - 5;   /* Sv39 = 8, Sv48 = 9, Sv57 = 10 */
}

static uint64_t access_fault_of(uint64_t page_fault)
{
    return page_fault == EXC_FETCH_PAGE_FAULT ? EXC_FETCH_ACCESS
         : page_fault == EXC_LOAD_PAGE_FAULT ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS;
}

/* The permission checks of supervisor.adoc "Virtual Address Translation Process" steps 6 (U, SUM,
 * MXR), 8 (R/W/X) and 9 (A/D) for an access of kind `cause` (its page-fault cause) at VU (`user`)
 * or VS. */
static int allowed(uint64_t pte, uint64_t cause, int user, uint64_t vsstatus)
{
    int u = (pte & PTE_U) != 0;
    if (user ? !u : u && (cause == EXC_FETCH_PAGE_FAULT || !(vsstatus & MSTATUS_SUM)))
        return 0;
    if (cause == EXC_FETCH_PAGE_FAULT && !(pte & PTE_X))
        return 0;
    if (cause == EXC_LOAD_PAGE_FAULT && !(pte & PTE_R) && !((vsstatus & MSTATUS_MXR) && (pte & PTE_X)))
        return 0;
    if (cause == EXC_STORE_PAGE_FAULT && !(pte & PTE_W))
        return 0;
    /* henvcfg.ADUE = 0: the VS-stage behaves as Svade (hypervisor.adoc "henvcfg"): a clear A, or
     * a clear D on a store, is a page fault for the guest. */
    return (pte & PTE_A) && (cause != EXC_STORE_PAGE_FAULT || (pte & PTE_D));
}

uint64_t hv_vs_walk(struct hv_guest *g, uint64_t satp, uint64_t va, uint64_t cause, int user, struct hv_vs_leaf *leaf)
{
    if (SATP_MODE(satp) == SATP_MODE_BARE) {
        leaf->gpa = va;
        leaf->pte = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | (user ? PTE_U : 0);
        leaf->level = 0;
        return 0;
    }
    unsigned levels = hv_vs_levels(satp), bits = 12 + 9 * levels;
    /* supervisor.adoc "Sv39": the address's upper bits must all equal its top bit (likewise Sv48/57). */
    if ((uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits)) != va)
        return cause;
    uint64_t vsstatus = csr_read(vsstatus);
    uint64_t table = SATP_PPN(satp) << 12;
    for (unsigned i = levels; i-- > 0;) {
        uint64_t at = hv_mem_hpa(g, table + ((va >> (12 + 9 * i)) & 511) * 8);
        if (at == ~0UL)
            return access_fault_of(cause);   /* step 2: the PTE is outside guest memory */
        uint64_t pte = *(volatile uint64_t *)(uintptr_t)at;
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || pte >> PTE_HIGH_SHIFT)
            return cause;
        if (!(pte & (PTE_R | PTE_X))) {
            table = pte_pa(pte);
            continue;
        }
        uint64_t span = pt_level_size(i);
        if (pte_pa(pte) & (span - 1))
            return cause;   /* step 5: a misaligned superpage */
        if (!allowed(pte, cause, user, vsstatus))
            return cause;
        leaf->gpa = pte_pa(pte) + (va & (span - 1));
        leaf->pte = pte;
        leaf->level = i;
        return 0;
    }
    return cause;
}

void hv_reflect(struct hv_guest *g, uint64_t cause, uint64_t tval)
{
    /* hypervisor.adoc "Trap Entry" (when a trap is taken into VS-mode): vsstatus.SPP = the
     * previous mode (the HS-level SPP after a trap from V=1: 1 for VS, 0 for VU), SPIE = SIE,
     * SIE = 0; vsepc, vscause, vstval; the pc goes to vstvec's BASE (synchronous). */
    uint64_t vs = csr_read(vsstatus);
    uint64_t spie = (vs & MSTATUS_SIE) ? MSTATUS_SPIE : 0;
    vs = (vs & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE)) | (g->ctx.status & MSTATUS_SPP) | spie;
    csr_write(vsstatus, vs);
    csr_write(vsepc, g->ctx.pc);
    csr_write(vscause, cause);
    csr_write(vstval, tval);
    g->ctx.pc = csr_read(vstvec) & ~3UL;
    g->ctx.status |= MSTATUS_SPP;   /* the guest kernel runs in VS */
    hv_count(g, HV_STAT_REFLECTED);
}

