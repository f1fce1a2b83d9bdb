/*
 * The hypervisor's view of one guest (internal to hv.c, hv-mem.c, hv-mmio.c): its register
 * context, the VS CSRs it owns while descheduled, its G-stage table and memory placement, its
 * console line and its event counts.
 */
#ifndef RVHSIM_HV_GUEST_H
#define RVHSIM_HV_GUEST_H

#include "hpt.h"
#include "hv-ctx.h"
#include "hv-shadow.h"
#include "hv.h"

struct hv_guest {
    struct lower_ctx ctx;     /* first: ctx_enter's argument */
    unsigned index;
    uint64_t vmid;
    uint64_t hgatp;
    struct hpt gstage;
    uint64_t host_offset;     /* host physical - guest physical, for every guest RAM page */
    /* VS CSRs, saved while another guest runs (hypervisor.adoc "Virtual Supervisor CSRs"). */
    uint64_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
    uint64_t timer;           /* SBI set_timer deadline (~0: none) */
    int vstip;                /* the guest's timer interrupt is pending (hvip.VSTIP) */
    int done;
    int exit_code;
    unsigned line_len;
    char line[160];           /* console output up to the next newline */
    uint64_t stats[HV_STAT_COUNT];
    struct hv_shadow shadow;  /* memvirt=shadow: the guest's satp and its shadow tables */
};

extern struct hv_config hv_cfg;
extern struct hv_guest hv_guests[HV_MAX_GUESTS];

/* hv-mem.c: the guest's memory and G-stage. */
extern char __stack_top[];
uint64_t hv_guest_stride(const struct hv_config *c);
void hv_mem_init(struct hv_guest *g);
int hv_mem_demand_map(struct hv_guest *g, uint64_t gpa);   /* 1: a leaf was mapped */
long hv_mem_remap(struct hv_guest *g, uint64_t gpa, uint64_t *count);
uint64_t hv_mem_hpa(struct hv_guest *g, uint64_t gpa);   /* ~0: not guest RAM */
void hv_hfence_gvma_all(void);
void hv_hfence_gvma(uint64_t gpa, uint64_t vmid);
void hv_hfence_vvma_all(void);
void hv_hfence_vvma(uint64_t va, uint64_t asid, int by_asid);

/* hv-mmio.c: a guest-page fault on the UART page. 1: emulated (pc advanced), 0: not decodable. */
int hv_mmio(struct hv_guest *g, uint64_t cause, uint64_t gpa, uint64_t tinst);

/* Counts an event for the guest (its RVHS stats) and in hv_events, the totals over all guests
 * (a global symbol, so that a simulator test can read it after the run). */
extern uint64_t hv_events[HV_STAT_COUNT];
static inline void hv_count(struct hv_guest *g, unsigned which)
{
    g->stats[which]++;
    hv_events[which]++;
}

/* hv.c: one character of a guest's console. */
void hv_console_putc(struct hv_guest *g, char c);
void hv_fatal(const struct hv_guest *g, const char *what, uint64_t a, uint64_t b) __attribute__((noreturn));

#endif
