/*
 * Shadow paging for the hypervisor (memvirt=2; hv.h, workloads/README.md "Shadow and direct
 * memory virtualization"). The guest runs with hgatp Bare, so guest physical = host physical
 * (hypervisor.adoc "hgatp": "When MODE=Bare, guest physical addresses are equal to supervisor
 * physical addresses"), and with vsatp pointing at a shadow table the hv keeps: guest virtual ->
 * host physical, 4 KiB leaves, filled on demand from the page faults the hv no longer delegates.
 * hstatus.VTVM=1 makes every guest access to satp and every SFENCE.VMA a virtual-instruction
 * exception (hypervisor.adoc "Hypervisor Status Register": "When VTVM=1, an attempt in VS-mode to
 * execute SFENCE.VMA or SINVAL.VMA or to access CSR satp raises a virtual-instruction
 * exception"): the hv keeps the satp the guest wrote, switches shadow tables, and drops shadow
 * entries where the guest fences. The architecture obliges a guest to fence after changing a PTE
 * (supervisor.adoc "Supervisor Memory-Management Fence Instruction"), so the fences are where the
 * shadow learns of every change.
 *
 * The direct mode (memvirt=3, paravirtual) uses the same pieces: the guest also runs under hgatp
 * Bare and starts on the shadow of satp Bare (its boot table: guest virtual = guest physical ->
 * host physical, so that every guest finds its image at its link address); then it writes vsatp
 * itself (no VTVM) with tables of host frames it gets from RVHS frame(gpa), and the hv sees its
 * page faults only to emulate the UART, which stays unmapped at its guest physical address.
 *
 * Internal to the hv (hv.c, hv-shadow.c); the guest's state lives in struct hv_guest.
 */
#ifndef RVHSIM_HV_SHADOW_H
#define RVHSIM_HV_SHADOW_H

#include <stdint.h>

#define HV_SHADOW_SLOTS 10         /* shadow tables kept per guest (one per guest satp value) */
#define HV_SHADOW_SLOT_PAGES 64    /* table pages below one shadow root */
#define HV_SHADOW_REGIONS 8        /* guest superpages one shadow covers with 4 KiB leaves */

/* One shadow table: the guest's address space named by `key` (its satp: MODE, ASID, PPN). */
struct hv_shadow_slot {
    int used;
    uint64_t key;
    uint64_t root;                /* host address of the shadow root table */
    unsigned levels;              /* the guest's mode: 3 (Sv39; also for Bare), 4 or 5 */
    unsigned npages;
    uint64_t pages[HV_SHADOW_SLOT_PAGES];
    /* Guest superpages the shadow splits into 4 KiB leaves: a fence at one address inside must
     * drop them all (the overflow flag makes every such fence drop the whole table). */
    unsigned nregions;
    int regions_overflow;
    uint64_t region_base[HV_SHADOW_REGIONS], region_size[HV_SHADOW_REGIONS];
};

struct hv_shadow {
    uint64_t satp;                /* what the guest last wrote to satp (what it reads back) */
    unsigned current;             /* the slot of that satp */
    unsigned next_victim;
    struct hv_shadow_slot slots[HV_SHADOW_SLOTS];
};

struct hv_guest;

/* Bytes of host memory the shadow tables use (a pool of pages right after the guests' memory). */
uint64_t hv_shadow_pool_bytes(void);
/* Hands the pool at host address `base` to the shadow allocator (once, at boot). */
void hv_shadow_boot(uint64_t base);
/* The guest starts with satp Bare: its shadow maps guest virtual = guest physical. Sets hgatp
 * Bare and the vsatp the hv loads for it. */
void hv_shadow_init(struct hv_guest *g);
/* A virtual-instruction exception from the guest: satp access or SFENCE.VMA emulated (pc
 * advanced). 0: not one of those. */
int hv_shadow_virtual_insn(struct hv_guest *g);
/* A page fault from the guest (not delegated in this mode): a shadow leaf filled, the UART
 * emulated, or the fault passed on to the guest. 0: the guest translation leads outside its memory. */
int hv_shadow_page_fault(struct hv_guest *g, uint64_t cause, uint64_t tinst);
/* A page fault in the direct mode: on the boot table, filled as a shadow; in the guest's own
 * tables, the UART emulated at its guest physical address or the fault passed on to the guest. */
int hv_direct_page_fault(struct hv_guest *g, uint64_t cause, uint64_t tinst);
/* Drops every shadow entry of the guest (its guest-physical memory moved: RVHS remap). */
void hv_shadow_flush(struct hv_guest *g);

/* hv-vswalk.c: the guest's VS-stage translation in software. */
#define SATP_MODE(v) ((v) >> SATP_MODE_SHIFT)
#define SATP_ASID(v) (((v) >> 44) & 0xffff)
#define SATP_PPN(v) ((v) & ((1UL << 44) - 1))

struct hv_vs_leaf {
    uint64_t gpa;
    uint64_t pte;      /* the guest's leaf (for Bare: the permissions the access needs) */
    unsigned level;
};

/* Levels of a satp mode (Bare: 3, the shadow of Bare is Sv39). */
unsigned hv_vs_levels(uint64_t satp);
/* Walks the guest's tables under `satp` for an access of kind `cause` (its page-fault cause) at
 * VU (`user`) or VS, as supervisor.adoc "Virtual Address Translation Process" does. 0 and *leaf,
 * or the cause of the exception the guest's own translation raises. */
uint64_t hv_vs_walk(struct hv_guest *g, uint64_t satp, uint64_t va, uint64_t cause, int user, struct hv_vs_leaf *leaf);
/* Passes a synchronous exception on to the guest kernel, as the hart would have had hedeleg
 * delegated it (also used by the direct mode). */
void hv_reflect(struct hv_guest *g, uint64_t cause, uint64_t tval);

#endif
