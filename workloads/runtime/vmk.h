/*
 * vmk: the small kernel of the fence and storm microbenchmarks (fence-*, storm-*; issue 6). One
 * kernel, written once, runs natively in S-mode (M-mode firmware underneath) or as the guest
 * kernel in VS-mode under the hypervisor (hv.h): in VS-mode the supervisor CSR names reach the VS
 * CSRs (hypervisor.adoc "When V=1, the VS CSRs substitute for the corresponding supervisor CSRs"),
 * so satp below is vsatp and SFENCE.VMA fences the guest's own VS-stage translations.
 *
 * The kernel gives every process an address space of its own (Sv39/Sv48 tables with pt.c, an ASID
 * each) and runs the workload's body
 *   - in the kernel itself (rvh_params.mode 1 = S, 3 = VS), in process 0's address space, or
 *   - as processes in U-mode (mode 2) or VU-mode (mode 4), round robin, each started at the body
 *     with its own stack; they reach the kernel through ECALL (VMK_SYS_*).
 * The body calls the same services in every mode (vmk_fence, vmk_remap, vmk_yield); in a process
 * they are system calls, in the kernel direct calls.
 *
 * Address space of process k (supervisor.adoc "Sv39"/"Sv48"; the bench.h layout):
 *   0x8000_0000   1 GiB -> 0x8000_0000  RWX      the image, for the kernel (identity)
 *   0xc000_0000   1 GiB -> 0x8000_0000  RWX U    the image as a process sees it (modes 2/4)
 *   BENCH_VA_DATA + (arena_pa - 0x8000_0000)  -> arena_pa + k * region   the working set, leaves
 *                 of page_size (U in modes 2/4); region = the footprint rounded to the leaf size
 * All processes see their working set at the same virtual address, each on its own frames.
 * With memvirt=1 (gstage-only) there are no VS-stage tables: one process, guest physical addresses.
 *
 * Code that runs in a process (the body and what it calls) must not touch global variables: it
 * runs at the U alias of the image and gp points at the kernel's view. It gets everything through
 * its struct vmk_env.
 */
#ifndef RVHSIM_VMK_H
#define RVHSIM_VMK_H

#include "bench.h"
#include "hv-sbi.h"

#define VMK_MAX_PROCS 8
#define VMK_PAGE 4096UL

/* How the kernel changes address space between processes. */
#define VMK_SWITCH_TAGGED 0UL      /* distinct ASIDs (k + 1), no fence */
#define VMK_SWITCH_FENCE_ASID 1UL  /* distinct ASIDs, SFENCE.VMA x0, asid after each satp write */
#define VMK_SWITCH_SHARED 2UL      /* every process uses ASID 0: SFENCE.VMA x0, x0 after each satp write */

/* How a fence asked for in modes 3/4 reaches the hardware (fence-hfence `via`). */
#define VMK_VIA_RVHS 0UL    /* RVHS fence service: the hv executes exactly the HFENCE named */
#define VMK_VIA_RFENCE 1UL  /* SBI RFENCE, the standard interface (the hv keeps GVMA to the guest's VMID) */
#define VMK_VIA_LOCAL 2UL   /* the guest kernel's own SFENCE.VMA (VVMA kinds; V=1: its VS-stage) */

/* System calls: a7 = number, a0.. arguments, a0 = result. */
#define VMK_SYS_FENCE 1UL   /* (kind, first page, pages) */
#define VMK_SYS_REMAP 2UL   /* (page, by_hv) */
#define VMK_SYS_YIELD 3UL
#define VMK_SYS_EXIT 93UL   /* GUEST_SYS_EXIT: the body returned */

/* What a body gets; the kernel keeps one per process. */
struct vmk_env {
    struct rvh_params p;
    uint64_t user;       /* 1: the body runs in U/VU and its services are system calls */
    uint64_t virt;       /* 1: under the hypervisor */
    uint64_t guest;      /* guest index (0 natively) */
    uint64_t proc, procs;
    uint64_t data;       /* the working set's virtual address, as the body sees it */
    uint64_t data_gpa;   /* its guest physical address (natively: physical) */
    uint64_t pages;      /* footprint_bytes / 4 KiB */
    uint64_t key;        /* this guest's and process's salt of the page tags */
    uint64_t cursor;     /* the next page to touch */
    uint64_t touches;    /* touches so far */
    uint64_t bad;        /* touches that read a wrong tag */
    uint64_t checksum;   /* out: the body's result, independent of mode, guest and process */
    uint64_t ok;         /* out: 1 when the body's self-check passed */
};

struct vmk_desc {
    const char *name;
    void (*body)(struct vmk_env *e);
    const char *arg_names[4];      /* arg0..arg3 printed under these names (NULL: not printed) */
    int prints_fence_rate;
    uint64_t min_mode;             /* 1, or 3 for a workload that only makes sense under the hv */
    /* A parameter check beyond the common ones (may be NULL): a message or NULL. */
    const char *(*validate)(const struct rvh_params *p);
    /* Processes (address spaces) for these parameters (NULL: 1). */
    uint64_t (*procs)(const struct rvh_params *p);
    /* VMK_SWITCH_* for these parameters (NULL: tagged). */
    uint64_t (*switch_policy)(const struct rvh_params *p);
    /* VMK_VIA_* for these parameters (NULL: RVHS). */
    uint64_t (*via)(const struct rvh_params *p);
};

/* From main (M-mode): validates, boots the kernel natively or under the hv, never returns on
 * success (the run's exit code comes from the kernel's shutdown); 2 for bad parameters. */
int vmk_run(const struct vmk_desc *d);

/* ---- services for the body, in any mode */

/* A TLB fence (HV_FENCE_* kinds, hv-sbi.h) over pages [first, first + count) of the working set
 * for the by-address kinds. Natively the VVMA kinds are the kernel's SFENCE.VMA. */
long vmk_fence(struct vmk_env *e, uint64_t kind, uint64_t first, uint64_t count);
/* Moves working-set page `page` to another frame: by the kernel in its page table (by_hv = 0) or
 * by the hv in the G-stage (by_hv = 1). Returns 0 or an SBI error. */
long vmk_remap(struct vmk_env *e, uint64_t page, uint64_t by_hv);
/* A process gives the hart to the next one (nothing in the kernel). */
void vmk_yield(struct vmk_env *e);
/* Kernel mode only: the address space of process `proc` becomes current (with the switch policy's
 * fence) and its env is returned. */
struct vmk_env *vmk_switch(struct vmk_env *e, uint64_t proc);

/* ---- the working set: every 4 KiB page holds its tag (word 0) and a touch counter (word 1) */

/* The tag of page `page` before the address space's salt. */
static inline uint64_t vmk_tag(uint64_t seed, uint64_t page)
{
    return bench_mix(seed ^ (page << 24) ^ 0x7461677461677461UL);
}

static inline volatile uint64_t *vmk_page(const struct vmk_env *e, uint64_t page)
{
    return (volatile uint64_t *)(uintptr_t)(e->data + page * VMK_PAGE);
}

/* Writes every page's tag and a zero counter; the first touch starts at a seeded page. */
static inline void vmk_ws_init(struct vmk_env *e)
{
    for (uint64_t page = 0; page < e->pages; page++) {
        volatile uint64_t *w = vmk_page(e, page);
        w[0] = vmk_tag(e->p.seed, page) ^ e->key;
        w[1] = 0;
    }
    e->cursor = bench_mix(e->p.seed + 0x6375727372UL) % e->pages;
    e->touches = 0;
    e->bad = 0;
}

/* n touches, page after page: check the tag, count the touch. A translation that is stale (the
 * page moved, another address space's entry) reads another page's tag or the poison. */
static inline void vmk_ws_touch(struct vmk_env *e, uint64_t n)
{
    uint64_t page = e->cursor, bad = 0;
    for (uint64_t i = 0; i < n; i++) {
        volatile uint64_t *w = vmk_page(e, page);
        bad += w[0] != (vmk_tag(e->p.seed, page) ^ e->key);
        w[1] = w[1] + 1;
        page = page + 1 == e->pages ? 0 : page + 1;
    }
    e->cursor = page;
    e->touches += n;
    e->bad += bad;
}

/* The self-check after the touches: every tag intact and every counter equal to the touches that
 * page got (a store through a stale translation is lost). Sets e->checksum and e->ok. */
static inline void vmk_ws_check(struct vmk_env *e)
{
    uint64_t start = bench_mix(e->p.seed + 0x6375727372UL) % e->pages;
    uint64_t h = BENCH_FOLD_INIT, wrong = 0;
    for (uint64_t page = 0; page < e->pages; page++) {
        volatile uint64_t *w = vmk_page(e, page);
        uint64_t d = (page + e->pages - start) % e->pages;
        uint64_t want = e->touches > d ? (e->touches - d - 1) / e->pages + 1 : 0;
        uint64_t tag = w[0] ^ e->key, count = w[1];
        wrong += tag != vmk_tag(e->p.seed, page) || count != want;
        h = bench_fold(bench_fold(h, tag), count);
    }
    e->checksum = h;
    e->ok = wrong == 0 && e->bad == 0;
}

#endif
