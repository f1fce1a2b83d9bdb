/*
 * storm-remap: a page remap storm (issue 6). The body (runtime/vmk.h) tags every 4 KiB page of a
 * footprint_bytes working set, then `iterations` times moves a seeded random page to another
 * frame and makes `fence_rate` touches (0 = one per page) walking the pages in order. Right after
 * each move it reads the moved page's tag.
 *
 * by (arg0): who moves the page
 *   0 = the kernel, in its own page table: copy to a spare frame, rewrite the leaf, SFENCE.VMA by
 *       address, poison the old frame (native S/U, and the guest kernel's VS-stage in modes 3/4;
 *       under memvirt=shadow the hv sees the SFENCE.VMA and drops the shadow leaf);
 *   1 = the hypervisor, in the G-stage (modes 3/4): the guest kernel calls RVHS remap(gpa), the hv
 *       copies the page, rewrites the G-stage leaf, executes HFENCE.GVMA gpa, vmid and poisons the
 *       old host page (hypervisor.adoc "Hypervisor Memory-Management Fence Instructions").
 * Both need 4 KiB leaves at the stage that moves (page_size, or gstage_page_size for by=1).
 *
 * Self-check: the moved page reads its own tag right after the move and after (a stale translation
 * reads the poison), and every page's counter equals its touches (a store through a stale
 * translation is lost). The checksum depends on seed, footprint, iterations and fence_rate only.
 */
#include "vmk.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 64 * BENCH_KIB, .iterations = 64, .mode = BENCH_MODE_S,
             .page_size = 4096, .fence_rate = 0, .arg0 = 0);

static void body(struct vmk_env *e)
{
    uint64_t rate = e->p.fence_rate ? e->p.fence_rate : e->pages;
    uint64_t rng = e->p.seed ^ 0x72656d6170UL;
    long err = 0;
    vmk_ws_init(e);
    vmk_ws_touch(e, e->pages);
    for (uint64_t i = 0; i < e->p.iterations; i++) {
        uint64_t page = bench_rand(&rng) % e->pages;
        err |= vmk_remap(e, page, e->p.arg0);
        e->bad += vmk_page(e, page)[0] != (vmk_tag(e->p.seed, page) ^ e->key);
        vmk_ws_touch(e, rate);
    }
    vmk_ws_check(e);
    if (err)
        e->ok = 0;
}

static const char *check_params(const struct rvh_params *p)
{
    int virt = p->mode == BENCH_MODE_VS || p->mode == BENCH_MODE_VU;
    if (p->arg0 > 1)
        return "by must be 0 (the kernel, its page table) or 1 (the hypervisor, the G-stage)";
    if (p->arg0 == 1 && !virt)
        return "by 1 (the hypervisor) needs a guest: mode 3 or 4";
    if (p->arg0 == 1 && p->gstage_page_size != 4096)
        return "by 1 needs gstage_page_size 4096";
    if (p->arg0 == 1 && p->memvirt == 3)
        return "by 1 needs a guest-physical map the hv owns (not memvirt 3: the guest's tables hold host frames)";
    if (p->arg0 == 0 && p->page_size != 4096)
        return "by 0 needs page_size 4096";
    if (p->arg0 == 0 && virt && p->memvirt == 1)
        return "by 0 needs the guest kernel's page table (not memvirt 1)";
    return NULL;
}

static const struct vmk_desc desc = {
    .name = "storm-remap",
    .body = body,
    .arg_names = {"by", NULL, NULL, NULL},
    .prints_fence_rate = 1,
    .min_mode = BENCH_MODE_S,
    .validate = check_params,
};

int main(void)
{
    return vmk_run(&desc);
}
