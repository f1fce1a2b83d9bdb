/*
 * vmk (vmk.h), the part that runs before the kernel: the parameter block, its validation, the
 * report line, and booting the kernel natively (M-mode firmware: PMP, trap delegation, the SBI
 * shutdown call) or under the hypervisor (hv_boot).
 */
#include "vmk-kernel.h"
#include "hv.h"
#include "priv.h"

const struct vmk_desc *vmk_desc;
static uint8_t kernel_stack[16 * 1024] __attribute__((aligned(16)));

/* What the native kernel's processes raise that the kernel handles (machine.adoc "Machine Trap
 * Delegation Registers"): ECALL from U and the faults it reports. The kernel's own ECALL (SBI)
 * stays in M, the firmware. */
#define MEDELEG_KERNEL                                                                                   \
    ((1UL << EXC_FETCH_MISALIGNED) | (1UL << EXC_FETCH_ACCESS) | (1UL << EXC_ILLEGAL) |                  \
     (1UL << EXC_BREAKPOINT) | (1UL << EXC_LOAD_MISALIGNED) | (1UL << EXC_LOAD_ACCESS) |                 \
     (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_STORE_ACCESS) | (1UL << EXC_ECALL_U) |                  \
     (1UL << EXC_FETCH_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) | (1UL << EXC_STORE_PAGE_FAULT))

/* One volatile read per field: the loader may have written any of them. Zero picks a default. */
void vmk_read_params(struct rvh_params *p)
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

int vmk_virtualized(const struct rvh_params *p)
{
    return p->mode == BENCH_MODE_VS || p->mode == BENCH_MODE_VU;
}

uint64_t vmk_procs(const struct vmk_desc *d, const struct rvh_params *p)
{
    return d->procs ? d->procs(p) : 1;
}

/* A leaf level for a page size (pt.h: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB), or -1. */
int vmk_page_level(uint64_t size)
{
    for (unsigned level = 0; level <= 2; level++)
        if (size == pt_level_size(level))
            return (int)level;
    return -1;
}

/* Offset of the leaves covering the arena from the start of DRAM, and their span. */
uint64_t vmk_window_lo(const struct rvh_params *p)
{
    return (p->arena_pa - BENCH_PA_BASE) & ~(p->page_size - 1);
}

uint64_t vmk_region(const struct rvh_params *p)
{
    uint64_t size = p->page_size;
    uint64_t hi = (p->arena_pa - BENCH_PA_BASE + p->footprint_bytes + size - 1) & ~(size - 1);
    return hi - vmk_window_lo(p);
}

/* The bytes of guest memory from arena_pa that hold every process's working set. */
static uint64_t arena_span(const struct vmk_desc *d, const struct rvh_params *p)
{
    return (vmk_procs(d, p) - 1) * vmk_region(p) + p->footprint_bytes;
}

static const char *validate(const struct vmk_desc *d, const struct rvh_params *p)
{
    if (p->magic != RVH_PARAMS_MAGIC || p->version != RVH_PARAMS_VERSION)
        return "rvh_params magic/version mismatch";
    if (p->mode > BENCH_MODE_VU || p->mode < d->min_mode)
        return d->min_mode == BENCH_MODE_VS ? "mode must be 3 (VS) or 4 (VU): it runs under the hypervisor"
                                            : "mode must be 1 (S), 2 (U), 3 (VS) or 4 (VU): it needs address translation";
    if (vmk_page_level(p->page_size) < 0)
        return "page_size must be 4096, 2097152 or 1073741824";
    if (p->footprint_bytes < VMK_PAGE || p->footprint_bytes % VMK_PAGE)
        return "footprint_bytes must be a nonzero multiple of 4096";
    uint64_t procs = vmk_procs(d, p);
    if (procs < 1 || procs > VMK_MAX_PROCS)
        return "processes must be 1..8";
    if (p->arena_pa % PAGE_SIZE != 0 || p->arena_pa < (uint64_t)(uintptr_t)__stack_top)
        return "arena_pa must be 4 KiB aligned and above the program image";
    if (p->footprint_bytes > BENCH_GIB || p->arena_pa + arena_span(d, p) > BENCH_PA_BASE + BENCH_GIB)
        return "the working sets must end within the first 1 GiB of DRAM";
    if (vmk_virtualized(p)) {
        if (p->vs_levels != 3 && p->vs_levels != 4)
            return "vs_levels must be 3 (Sv39) or 4 (Sv48)";
        if (p->lazy > 1 || p->untagged > 1)
            return "lazy and untagged must be 0 or 1";
        if (p->memvirt == HV_MEMVIRT_GSTAGE_ONLY && procs > 1)
            return "several processes need VS-stage tables (not memvirt 1)";
        if (p->memvirt == HV_MEMVIRT_DIRECT && p->page_size != PAGE_SIZE)
            return "memvirt 3 (direct) maps host frames page by page: page_size must be 4096";
        if (p->memvirt == HV_MEMVIRT_DIRECT && p->arena_pa + arena_span(d, p) > vmk_p2m_limit())
            return "memvirt 3 (direct): the working sets must end within 32 MiB of the start of DRAM";
    }
    return d->validate ? d->validate(p) : NULL;
}

void vmk_print_params(const struct vmk_desc *d, const struct rvh_params *p)
{
    static const char *const modes[] = {"M", "S", "U", "VS", "VU"};
    printf("%s: mode=%s page=%lu seed=%lu footprint=%lu iterations=%lu", d->name,
           p->mode <= BENCH_MODE_VU ? modes[p->mode] : "?", p->page_size, p->seed, p->footprint_bytes, p->iterations);
    if (d->prints_fence_rate)
        printf(" fence_rate=%lu", p->fence_rate);
    const uint64_t args[4] = {p->arg0, p->arg1, p->arg2, p->arg3};
    for (unsigned i = 0; i < 4; i++)
        if (d->arg_names[i])
            printf(" %s=%lu", d->arg_names[i], args[i]);
}

/* ------------------------------------------------------------------ booting the kernel */

/* The native firmware's one SBI call: SRST shutdown from the S-mode kernel ends the run. */
static int firmware_ecall(struct priv_frame *f, int level)
{
    if (level != PRV_M || f->cause != EXC_ECALL_S || f->x[17] != SBI_EID_SRST)
        return 0;
    uint64_t reason = f->x[11];
    exit(reason == SBI_SRST_REASON_NONE ? 0 : reason >= SBI_SRST_REASON_EXIT_CODE ? (int)(reason & 0xff) : 1);
}

static uint64_t native_entry(uint64_t unused)
{
    (void)unused;
    vmk_kernel(0);
}

static void guest_entry(uint64_t index, uint64_t unused)
{
    (void)unused;
    vmk_kernel(index);
}

int vmk_run(const struct vmk_desc *d)
{
    struct rvh_params p;
    vmk_desc = d;
    vmk_read_params(&p);
    const char *bad = validate(d, &p);
    struct hv_config hc = {
        .guests = (unsigned)p.guests,
        .gstage_levels = (unsigned)p.gstage_levels,
        .gstage_page = p.gstage_page_size,
        .memvirt = p.memvirt,
        .lazy = (int)p.lazy,
        .vmid = p.vmid,
        .untagged = (int)p.untagged,
        .mmio_decode = (int)p.mmio_decode,
        .slice_ticks = p.slice_ticks,
        .mem_gpa = p.arena_pa,
        .mem_size = bad ? 0 : arena_span(d, &p),
        .entry = (uint64_t)(uintptr_t)guest_entry,
        .arg = 0,
    };
    hv_guest_paravirt = 1;   /* vmk maps host frames itself with memvirt=direct */
    if (!bad && vmk_virtualized(&p))
        bad = hv_check_config(&hc);
    if (bad) {
        vmk_print_params(d, &p);
        printf(" FAIL (%s)\n", bad);
        return 2;
    }
    if (vmk_virtualized(&p))
        hv_boot(&hc);
    priv_init();
    csr_write(medeleg, MEDELEG_KERNEL);
    priv_set_hook(firmware_ecall);
    priv_enter_m(PRV_S, (uint64_t)(uintptr_t)native_entry, 0, (uint64_t)(uintptr_t)(kernel_stack + sizeof kernel_stack),
                 (uint64_t)(uintptr_t)priv_return_stub);
    printf("%s: FAIL (the kernel returned)\n", d->name);
    return EXIT_UNEXPECTED_TRAP;
}
