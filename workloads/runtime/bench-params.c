/*
 * The parameter block `rvh_params` (bench.h) as both harnesses take it: bench_run() (bench.c, the
 * bench-* kernels) and vmk_run() (vmk.c, the fence-* and storm-* programs) read it, check the
 * rules it has for every program, print it and turn its virtualized-mode fields into the hv's
 * configuration here, so that a field means the same in every program.
 */
#include "bench.h"
#include "hv.h"
#include "pt.h"

/* One volatile read per field: the loader may have written any of them. Zero picks a default. */
void bench_read_params(struct rvh_params *p)
{
    p->magic = rvh_params.magic;
    p->version = rvh_params.version;
    p->seed = rvh_params.seed;
    p->footprint_bytes = rvh_params.footprint_bytes;
    p->iterations = rvh_params.iterations;
    p->mode = rvh_params.mode;
    p->page_size = rvh_params.page_size;
    p->arena_pa = rvh_params.arena_pa ? rvh_params.arena_pa : BENCH_ARENA_DEFAULT;
    p->guests = rvh_params.guests ? rvh_params.guests : 1;
    p->fence_rate = rvh_params.fence_rate;
    p->arg0 = rvh_params.arg0;
    p->arg1 = rvh_params.arg1;
    p->arg2 = rvh_params.arg2;
    p->arg3 = rvh_params.arg3;
    p->gstage_levels = rvh_params.gstage_levels ? rvh_params.gstage_levels : 3;
    p->gstage_page_size = rvh_params.gstage_page_size ? rvh_params.gstage_page_size : PAGE_SIZE;
    p->vs_levels = rvh_params.vs_levels ? rvh_params.vs_levels : 3;
    p->memvirt = rvh_params.memvirt;
    p->lazy = rvh_params.lazy;
    p->vmid = rvh_params.vmid;
    p->untagged = rvh_params.untagged;
    p->mmio_decode = rvh_params.mmio_decode;
    p->slice_ticks = rvh_params.slice_ticks ? rvh_params.slice_ticks : BENCH_SLICE_DEFAULT;
}

int bench_virtualized(const struct rvh_params *p)
{
    return p->mode == BENCH_MODE_VS || p->mode == BENCH_MODE_VU;
}

/* A leaf level for a page size (pt.h: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB), or -1. */
int bench_page_level(uint64_t size)
{
    for (unsigned level = 0; level <= 2; level++)
        if (size == pt_level_size(level))
            return (int)level;
    return -1;
}

uint64_t bench_window_lo(const struct rvh_params *p)
{
    return (p->arena_pa - BENCH_PA_BASE) & ~(p->page_size - 1);
}

uint64_t bench_window_span(const struct rvh_params *p)
{
    uint64_t size = p->page_size;
    uint64_t hi = (p->arena_pa - BENCH_PA_BASE + p->footprint_bytes + size - 1) & ~(size - 1);
    return hi - bench_window_lo(p);
}

/* The modes from min_mode up, as the message says it: what a harness with that floor accepts. */
static const char *mode_rule(uint64_t min_mode)
{
    if (min_mode == BENCH_MODE_M)
        return "mode must be 0 (M), 1 (S), 2 (U), 3 (VS) or 4 (VU)";
    if (min_mode == BENCH_MODE_VS)
        return "mode must be 3 (VS) or 4 (VU): it runs under the hypervisor";
    return "mode must be 1 (S), 2 (U), 3 (VS) or 4 (VU): it needs address translation";
}

const char *bench_check_params(const struct rvh_params *p, uint64_t min_mode)
{
    if (p->magic != RVH_PARAMS_MAGIC || p->version != RVH_PARAMS_VERSION)
        return "rvh_params magic/version mismatch";
    if (p->mode > BENCH_MODE_VU || p->mode < min_mode)
        return mode_rule(min_mode);
    if (bench_page_level(p->page_size) < 0)
        return "page_size must be 4096, 2097152 or 1073741824";
    return NULL;
}

const char *bench_check_guest_params(const struct rvh_params *p)
{
    if (p->vs_levels != 3 && p->vs_levels != 4)
        return "vs_levels must be 3 (Sv39) or 4 (Sv48)";
    if (p->lazy > 1 || p->untagged > 1)
        return "lazy and untagged must be 0 or 1";
    return NULL;
}

void bench_print_params(const char *name, const struct rvh_params *p, int with_fence_rate, const char *const arg_names[4])
{
    static const char *const modes[] = {"M", "S", "U", "VS", "VU"};
    printf("%s: mode=%s page=%lu seed=%lu footprint=%lu iterations=%lu", name,
           p->mode <= BENCH_MODE_VU ? modes[p->mode] : "?", p->page_size, p->seed, p->footprint_bytes, p->iterations);
    if (with_fence_rate)
        printf(" fence_rate=%lu", p->fence_rate);
    const uint64_t args[4] = {p->arg0, p->arg1, p->arg2, p->arg3};
    for (unsigned i = 0; i < 4; i++)
        if (arg_names[i])
            printf(" %s=%lu", arg_names[i], args[i]);
}

void bench_hv_config(struct hv_config *c, const struct rvh_params *p, void (*entry)(uint64_t index, uint64_t arg),
                     uint64_t arg)
{
    *c = (struct hv_config){
        .guests = (unsigned)p->guests,
        .gstage_levels = (unsigned)p->gstage_levels,
        .gstage_page = p->gstage_page_size,
        .memvirt = p->memvirt,
        .lazy = (int)p->lazy,
        .vmid = p->vmid,
        .untagged = (int)p->untagged,
        .mmio_decode = (int)p->mmio_decode,
        .slice_ticks = p->slice_ticks,
        .mem_gpa = p->arena_pa,
        .mem_size = p->footprint_bytes,
        .remap_nofence = 0,
        .entry = (uint64_t)(uintptr_t)entry,
        .arg = arg,
    };
}
