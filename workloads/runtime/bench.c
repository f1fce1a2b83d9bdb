/*
 * The harness of the bench-* programs (bench.h): parameter validation, Sv39 tables for modes 1
 * and 2, entering the kernel in M, S or U, the virtualized modes 3 and 4 (the hypervisor boots a
 * guest whose kernel runs this same harness in VS-mode, paging with its own VS-stage tables under
 * memvirt nested and shadow) and the one-line report.
 */
#include "bench.h"
#include "guest.h"
#include "hv.h"
#include "priv.h"
#include "pt.h"

extern char __stack_top[];

#define RWXAD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RWAD  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

static struct bench_ctx ctx;
static struct pt bench_pt;
/* U-mode stack (mode 2), reached through the U alias of the image. */
static uint8_t u_stack[16 * 1024] __attribute__((aligned(16)));
/* What the S-mode kernel of mode 2 starts in U, as U addresses it. */
static uint64_t u_pc, u_arg, u_sp, u_ra;

static const char *validate(const struct bench_desc *d, const struct rvh_params *p)
{
    const char *bad = bench_check_params(p, BENCH_MODE_M);
    if (bad)
        return bad;
    if (p->footprint_bytes < d->min_footprint)
        return "footprint_bytes below the kernel's minimum";
    if (p->arena_pa % PAGE_SIZE != 0 || p->arena_pa < (uint64_t)(uintptr_t)__stack_top)
        return "arena_pa must be 4 KiB aligned and above the program image";
    if (p->arena_pa + p->footprint_bytes > BENCH_PA_BASE + BENCH_GIB || p->footprint_bytes > BENCH_GIB)
        return "the arena must end within the first 1 GiB of DRAM";
    if (bench_virtualized(p) && (bad = bench_check_guest_params(p)))
        return bad;
    if (d->validate)
        return d->validate(p);
    return NULL;
}

/*
 * Sv39 tables (supervisor.adoc "Sv39: Page-Based 39-bit Virtual-Memory System"): the image with
 * 1 GiB leaves (and its U alias in mode 2), the arena's leaves of page_size in the data window.
 * A and D are preset: under Svade a clear A/D bit would page-fault (supervisor.adoc "Virtual
 * Address Translation Process" step 7), and the kernel is not measuring that.
 */
static uint64_t build_tables(const struct rvh_params *p, int user, unsigned levels)
{
    uint64_t u = user ? PTE_U : 0;
    pt_init(&bench_pt, levels);
    pt_map(&bench_pt, BENCH_PA_BASE, BENCH_PA_BASE, 2, RWXAD);
    if (user)
        pt_map(&bench_pt, BENCH_PA_BASE + BENCH_U_OFF, BENCH_PA_BASE, 2, RWXAD | PTE_U);
    unsigned level = (unsigned)bench_page_level(p->page_size);
    uint64_t lo = bench_window_lo(p), hi = lo + bench_window_span(p);
    for (uint64_t off = lo; off < hi; off += p->page_size)
        pt_map(&bench_pt, BENCH_VA_DATA + off, BENCH_PA_BASE + off, level, RWAD | u);
    return pt_satp(&bench_pt);
}

/* Mode 2: the S-mode kernel starts the benchmark in U and returns when it is done. */
static uint64_t s_kernel(uint64_t unused)
{
    (void)unused;
    return priv_enter_s(PRV_U, u_pc, u_arg, u_sp, u_ra);
}

static void run_paged(const struct bench_desc *d, const struct rvh_params *p)
{
    int user = p->mode == BENCH_MODE_U;
    priv_init();
    uint64_t satp = build_tables(p, user, 3);
    ctx.arena = (uint8_t *)(uintptr_t)(BENCH_VA_DATA + (p->arena_pa - BENCH_PA_BASE));
    csr_write(satp, satp);
    __asm__ volatile("sfence.vma" ::: "memory");
    if (!user) {
        priv_enter_m(PRV_S, (uint64_t)(uintptr_t)d->kernel, (uint64_t)(uintptr_t)&ctx, 0,
                     (uint64_t)(uintptr_t)priv_return_stub);
    } else {
        u_pc = (uint64_t)(uintptr_t)d->kernel + BENCH_U_OFF;
        u_arg = (uint64_t)(uintptr_t)&ctx + BENCH_U_OFF;
        u_sp = (uint64_t)(uintptr_t)(u_stack + sizeof u_stack) + BENCH_U_OFF;
        u_ra = (uint64_t)(uintptr_t)priv_return_stub + BENCH_U_OFF;
        run_in_mode(PRV_S, s_kernel, 0);
    }
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
}

static int is_default(const struct rvh_params *p)
{
    const struct rvh_params *q = &rvh_params_default;
    return p->seed == q->seed && p->footprint_bytes == q->footprint_bytes && p->iterations == q->iterations &&
           p->arg0 == q->arg0 && p->arg1 == q->arg1 && p->arg2 == q->arg2 && p->arg3 == q->arg3;
}

static void print_params(const struct bench_desc *d, const struct rvh_params *p)
{
    bench_print_params(d->name, p, 0, d->arg_names);
}

/* The end of the line after the kernel ran: checksum and verdict. Returns the exit code. */
static int report(const struct bench_desc *d, const struct rvh_params *p)
{
    printf(" checksum=0x%016lx", ctx.checksum);
    if (!ctx.selfcheck_ok) {
        printf(" FAIL (self-check)\n");
        return 1;
    }
    if (is_default(p) && ctx.checksum != d->reference) {
        printf(" FAIL (reference checksum 0x%016lx)\n", d->reference);
        return 1;
    }
    printf(" ok\n");
    return 0;
}

/* ------------------------------------------------------------------ virtualized modes 3 and 4 */

static void bench_guest(uint64_t index, uint64_t desc) __attribute__((noreturn));

/*
 * The guest kernel's address space for the kernel (supervisor.adoc "Sv39"/"Sv48", in guest
 * memory: GVA -> GPA): the same layout as modes 1 and 2, plus the UART page at its guest physical
 * address, which the hv leaves out of the G-stage and emulates.
 */
static uint64_t build_guest_tables(const struct rvh_params *p, int user)
{
    uint64_t satp = build_tables(p, user, (unsigned)p->vs_levels);
    pt_map(&bench_pt, HV_UART_GPA, HV_UART_GPA, 0, RWAD);
    return satp;
}

/*
 * Whether the guest kernel pages (builds and loads VS-stage tables): nested, over the hv's G-stage,
 * and shadow, where the same satp writes and SFENCE.VMAs trap to the hv through hstatus.VTVM
 * (hypervisor.adoc "Hypervisor Status Register") and it runs the guest on shadow GVA -> HPA tables
 * of these. The guest cannot tell the two apart; gstage-only leaves vsatp Bare.
 */
static int guest_pages(const struct rvh_params *p)
{
    return p->memvirt == HV_MEMVIRT_NESTED || p->memvirt == HV_MEMVIRT_SHADOW;
}

/* The guest kernel (VS-mode): runs the benchmark in VS (mode 3) or as a VU process (mode 4). */
static void run_guest(const struct bench_desc *d, const struct rvh_params *p)
{
    int user = p->mode == BENCH_MODE_VU;
    int paged = guest_pages(p);
    uint64_t satp = 0;
    if (paged) {
        satp = build_guest_tables(p, user);
        ctx.arena = (uint8_t *)(uintptr_t)(BENCH_VA_DATA + (p->arena_pa - BENCH_PA_BASE));
        csr_write(satp, satp);   /* vsatp */
        __asm__ volatile("sfence.vma" ::: "memory");
    } else {
        /* gstage-only: vsatp Bare, the kernel uses guest physical addresses. */
        ctx.arena = (uint8_t *)(uintptr_t)p->arena_pa;
    }
    if (!user) {
        d->kernel(&ctx);
    } else {
        /* In VU the kernel runs at the image's U alias (paged) or at its guest physical address. */
        uint64_t off = paged ? BENCH_U_OFF : 0;
        static struct guest_proc proc;
        proc.ctx.pc = (uint64_t)(uintptr_t)d->kernel + off;
        proc.ctx.x[10] = (uint64_t)(uintptr_t)&ctx + off;
        proc.ctx.x[2] = (uint64_t)(uintptr_t)(u_stack + sizeof u_stack) + off;
        proc.ctx.x[1] = (uint64_t)(uintptr_t)guest_exit_stub + off;
        proc.satp = paged ? satp | 1UL << 44 : 0;   /* the process: ASID 1 */
        uint64_t cause = guest_run(&proc);
        if (cause != EXC_ECALL_U || proc.ctx.x[17] != GUEST_SYS_EXIT) {
            printf(" FAIL (trap from VU: cause 0x%lx pc 0x%lx tval 0x%lx)\n", cause, proc.ctx.pc, proc.ctx.tval);
            sbi_shutdown(EXIT_UNEXPECTED_TRAP);
        }
    }
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
}

/* Guest entry (VS-mode, vsatp Bare, on the guest's boot stack): the same report as natively. */
static void bench_guest(uint64_t index, uint64_t desc)
{
    (void)index;
    const struct bench_desc *d = (const struct bench_desc *)(uintptr_t)desc;
    struct rvh_params p;
    guest_init();
    bench_read_params(&p);
    print_params(d, &p);
    ctx.p = p;
    ctx.checksum = 0;
    ctx.selfcheck_ok = 0;
    run_guest(d, &p);
    sbi_shutdown(report(d, &p));
}

int bench_run(const struct bench_desc *d)
{
    struct rvh_params p;
    bench_read_params(&p);
    const char *bad = validate(d, &p);
    struct hv_config hc;
    if (!bad && bench_virtualized(&p)) {
        bench_hv_config(&hc, &p, bench_guest, (uint64_t)(uintptr_t)d);
        bad = hv_check_config(&hc);
    }
    if (bad) {
        print_params(d, &p);
        printf(" FAIL (%s)\n", bad);
        return 2;
    }
    if (bench_virtualized(&p))
        hv_boot(&hc);   /* the guest prints the line; the exit code comes from its SBI shutdown */

    print_params(d, &p);
    ctx.p = p;
    ctx.checksum = 0;
    ctx.selfcheck_ok = 0;
    if (p.mode == BENCH_MODE_M) {
        ctx.arena = (uint8_t *)(uintptr_t)p.arena_pa;
        d->kernel(&ctx);
    } else {
        run_paged(d, &p);
    }
    return report(d, &p);
}
