/*
 * storm-vm: a VM switch storm (issue 6). The hypervisor (runtime/hv.h) time-slices `guests`
 * guests every `slice_ticks` timer ticks; each guest kernel (runtime/vmk.h) runs the body in VS
 * (mode 3) or as a VU process (mode 4): it tags every 4 KiB page of its footprint_bytes working
 * set and sweeps it `iterations` times. Every guest uses the same guest physical and virtual
 * addresses on its own host pages. With distinct VMIDs the hv switches without fences; with
 * `untagged` = 1 every guest uses one VMID and each switch executes HFENCE.GVMA and HFENCE.VVMA
 * (hypervisor.adoc "hgatp": "if a VMID is reused, it may be necessary to execute an HFENCE.GVMA").
 * There is no native mode: there is no VM to switch without the hypervisor.
 *
 * Self-check: every guest read only its own tags (another guest's entry, used across a switch,
 * reads that guest's) and its counters equal its touches; every guest prints the same line.
 */
#include "vmk.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 64 * BENCH_KIB, .iterations = 64, .mode = BENCH_MODE_VS,
             .page_size = 4096, .guests = 2);

static void body(struct vmk_env *e)
{
    vmk_ws_init(e);
    for (uint64_t r = 0; r < e->p.iterations; r++)
        vmk_ws_touch(e, e->pages);
    vmk_ws_check(e);
}

static const struct vmk_desc desc = {
    .name = "storm-vm",
    .body = body,
    .min_mode = BENCH_MODE_VS,
};

int main(void)
{
    return vmk_run(&desc);
}
