/*
 * fence-hfence: the cost of a TLB fence and of refilling the working set after it (issue 6, fence
 * microbenchmarks). The body (runtime/vmk.h) tags every 4 KiB page of a footprint_bytes working
 * set, then `iterations` times: one fence, then `fence_rate` touches (0 = one per page: the whole
 * working set refilled) walking the pages in order. A touch reads the page's tag and counts itself
 * in the page.
 *
 * fence (arg0), with the HFENCE operands (hypervisor.adoc "Hypervisor Memory-Management Fence
 * Instructions"; modes 3/4) and the native instruction (modes 1/2, the kernel's SFENCE.VMA):
 *   0 none        the service call alone (the baseline: fence k costs run(k) - run(0))
 *   1 vvma-addr   HFENCE.VVMA gva, x0 per page of `span` pages    | SFENCE.VMA va, x0 per page
 *   2 vvma-asid   HFENCE.VVMA x0, asid                             | SFENCE.VMA x0, asid
 *   3 vvma-all    HFENCE.VVMA x0, x0                               | SFENCE.VMA x0, x0
 *   4 gvma-addr   HFENCE.GVMA gpa >> 2, vmid per page of `span`    | (modes 3/4 only)
 *   5 gvma-vmid   HFENCE.GVMA x0, vmid                             | (modes 3/4 only)
 *   6 gvma-all    HFENCE.GVMA x0, x0                               | (modes 3/4 only)
 * span (arg1): pages per by-address fence, 1..64; fence i names pages from (i * span) mod pages.
 * via (arg2), modes 3/4: 0 = the guest kernel asks the hv through the RVHS fence service, which
 * executes exactly that HFENCE; 1 = SBI RFENCE (remote_sfence_vma[_asid] for VVMA,
 * remote_hfence_gvma[_vmid] for GVMA: the hv confines GVMA to the guest's VMID, so gvma-all
 * becomes by-VMID); 2 = the guest kernel's own SFENCE.VMA at V=1 (VVMA kinds only).
 * In modes 2 and 4 the body is a process and every fence is a system call to its kernel.
 *
 * Self-check: every touch read its page's own tag and every page's counter equals the touches it
 * got. The checksum folds tags and counters: it depends on seed, footprint, iterations and
 * fence_rate only, never on the mode, the fence or the path.
 */
#include "vmk.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 64 * BENCH_KIB, .iterations = 64, .mode = BENCH_MODE_S,
             .page_size = 4096, .fence_rate = 0, .arg0 = HV_FENCE_VVMA_ADDR, .arg1 = 1, .arg2 = VMK_VIA_RVHS);

static void body(struct vmk_env *e)
{
    uint64_t rate = e->p.fence_rate ? e->p.fence_rate : e->pages;
    uint64_t kind = e->p.arg0, span = e->p.arg1;
    long err = 0;
    vmk_ws_init(e);
    vmk_ws_touch(e, e->pages);
    for (uint64_t i = 0; i < e->p.iterations; i++) {
        uint64_t first = (i * span) % e->pages;
        if (first + span > e->pages)
            first = e->pages - span;
        err |= vmk_fence(e, kind, first, span);
        vmk_ws_touch(e, rate);
    }
    vmk_ws_check(e);
    if (err)
        e->ok = 0;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->arg0 >= HV_FENCE_KINDS)
        return "fence must be 0..6 (none, vvma-addr, vvma-asid, vvma-all, gvma-addr, gvma-vmid, gvma-all)";
    if (p->arg1 < 1 || p->arg1 > 64 || p->arg1 > p->footprint_bytes / 4096)
        return "span must be 1..64 pages and at most the working set";
    if (p->arg2 > VMK_VIA_LOCAL)
        return "via must be 0 (RVHS fence), 1 (SBI RFENCE) or 2 (the guest's own SFENCE.VMA)";
    int virt = p->mode == BENCH_MODE_VS || p->mode == BENCH_MODE_VU;
    if (p->arg0 >= HV_FENCE_GVMA_ADDR && !virt)
        return "fence 4..6 (HFENCE.GVMA) need a guest: mode 3 or 4";
    if (p->arg0 >= HV_FENCE_GVMA_ADDR && p->arg2 == VMK_VIA_LOCAL)
        return "via 2 (the guest's own SFENCE.VMA) cannot fence the G-stage";
    return NULL;
}

static uint64_t via(const struct rvh_params *p)
{
    return p->arg2;
}

static const struct vmk_desc desc = {
    .name = "fence-hfence",
    .body = body,
    .arg_names = {"fence", "span", "via", NULL},
    .prints_fence_rate = 1,
    .min_mode = BENCH_MODE_S,
    .validate = check_params,
    .via = via,
};

int main(void)
{
    return vmk_run(&desc);
}
