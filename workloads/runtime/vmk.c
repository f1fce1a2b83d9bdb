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

uint64_t vmk_procs(const struct vmk_desc *d, const struct rvh_params *p)
{
    return d->procs ? d->procs(p) : 1;
}

/* The bytes of guest memory from arena_pa that hold every process's working set. */
static uint64_t arena_span(const struct vmk_desc *d, const struct rvh_params *p)
{
    return (vmk_procs(d, p) - 1) * bench_window_span(p) + p->footprint_bytes;
}

static const char *validate(const struct vmk_desc *d, const struct rvh_params *p)
{
    const char *bad = bench_check_params(p, d->min_mode);
    if (bad)
        return bad;
    if (p->footprint_bytes < VMK_PAGE || p->footprint_bytes % VMK_PAGE)
        return "footprint_bytes must be a nonzero multiple of 4096";
    uint64_t procs = vmk_procs(d, p);
    if (procs < 1 || procs > VMK_MAX_PROCS)
        return "processes must be 1..8";
    if (p->arena_pa % PAGE_SIZE != 0 || p->arena_pa < (uint64_t)(uintptr_t)__stack_top)
        return "arena_pa must be 4 KiB aligned and above the program image";
    if (p->footprint_bytes > BENCH_GIB || p->arena_pa + arena_span(d, p) > BENCH_PA_BASE + BENCH_GIB)
        return "the working sets must end within the first 1 GiB of DRAM";
    if (bench_virtualized(p)) {
        if ((bad = bench_check_guest_params(p)))
            return bad;
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
    bench_print_params(d->name, p, d->prints_fence_rate, d->arg_names);
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
    bench_read_params(&p);
    const char *bad = validate(d, &p);
    struct hv_config hc;
    bench_hv_config(&hc, &p, guest_entry, 0);
    hc.mem_size = bad ? 0 : arena_span(d, &p);   /* every process's working set */
    hv_guest_paravirt = 1;   /* vmk maps host frames itself with memvirt=direct */
    if (!bad && bench_virtualized(&p))
        bad = hv_check_config(&hc);
    if (bad) {
        vmk_print_params(d, &p);
        printf(" FAIL (%s)\n", bad);
        return 2;
    }
    if (bench_virtualized(&p))
        hv_boot(&hc);
    priv_init();
    csr_write(medeleg, MEDELEG_KERNEL);
    priv_set_hook(firmware_ecall);
    priv_enter_m(PRV_S, (uint64_t)(uintptr_t)native_entry, 0, (uint64_t)(uintptr_t)(kernel_stack + sizeof kernel_stack),
                 (uint64_t)(uintptr_t)priv_return_stub);
    printf("%s: FAIL (the kernel returned)\n", d->name);
    return EXIT_UNEXPECTED_TRAP;
}
