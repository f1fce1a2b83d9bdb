/*
 * storm-process: an address-space switch storm (issue 6). `processes` (arg0) address spaces, each
 * with its own working set of footprint_bytes at the same virtual address on its own frames; for
 * `iterations` rounds each process makes `switch_every` (arg1) touches of its pages and the kernel
 * switches to the next one (runtime/vmk.h).
 *   modes 2/4: the processes run in U/VU and yield to the kernel (a system call) every
 *              switch_every touches; the kernel writes satp (vsatp) and resumes the next one;
 *   modes 1/3: the kernel itself walks the address spaces in turn, touching each one in S/VS.
 * switch_fence (arg2), what the kernel does at a switch (supervisor.adoc "Supervisor Address
 * Translation and Protection (satp) Register": "if an ASID is reused, it may be necessary to
 * execute an SFENCE.VMA"):
 *   0 = process k has ASID k+1, no fence (the TLB keeps every process's entries);
 *   1 = ASID k+1 and SFENCE.VMA x0, asid of the incoming process (a kernel recycling ASIDs);
 *   2 = every process has ASID 0 and the kernel executes SFENCE.VMA x0, x0 at every switch.
 *
 * Self-check: every process read only its own tags (a stale entry of another address space reads
 * another process's) and each page's counter equals its touches. The checksum folds the
 * processes' identical results: it depends on seed, footprint, iterations, processes and
 * switch_every, never on the mode or switch_fence.
 */
#include "vmk.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 16 * BENCH_KIB, .iterations = 32, .mode = BENCH_MODE_U,
             .page_size = 4096, .arg0 = 4, .arg1 = 8, .arg2 = VMK_SWITCH_TAGGED);

static void body(struct vmk_env *e)
{
    uint64_t every = e->p.arg1;
    if (e->user) {
        vmk_ws_init(e);
        for (uint64_t r = 0; r < e->p.iterations; r++) {
            vmk_ws_touch(e, every);
            vmk_yield(e);
        }
        vmk_ws_check(e);
        return;
    }
    for (uint64_t k = 0; k < e->procs; k++)
        vmk_ws_init(vmk_switch(e, k));
    for (uint64_t r = 0; r < e->p.iterations; r++)
        for (uint64_t k = 0; k < e->procs; k++)
            vmk_ws_touch(vmk_switch(e, k), every);
    for (uint64_t k = 0; k < e->procs; k++)
        vmk_ws_check(vmk_switch(e, k));
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->arg0 < 1 || p->arg0 > 8)
        return "processes must be 1..8";
    if (p->arg1 < 1)
        return "switch_every must be at least 1";
    if (p->arg2 > VMK_SWITCH_SHARED)
        return "switch_fence must be 0 (ASIDs), 1 (ASIDs, SFENCE.VMA by ASID) or 2 (no ASIDs, SFENCE.VMA all)";
    return NULL;
}

static uint64_t processes(const struct rvh_params *p)
{
    return p->arg0;
}

static uint64_t policy(const struct rvh_params *p)
{
    return p->arg2;
}

static const struct vmk_desc desc = {
    .name = "storm-process",
    .body = body,
    .arg_names = {"processes", "switch_every", "switch_fence", NULL},
    .min_mode = BENCH_MODE_S,
    .validate = check_params,
    .procs = processes,
    .switch_policy = policy,
};

int main(void)
{
    return vmk_run(&desc);
}
