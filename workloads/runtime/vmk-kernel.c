/*
 * The vmk kernel (vmk.h) in S-mode or VS-mode: address spaces, processes and their system calls,
 * the fence and remap services, and the report line.
 */
#include "vmk-kernel.h"
#include "guest.h"
#include "hv.h"
#include "priv.h"

#define RWXAD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

struct space {
    struct vmk_pt pt;
    uint64_t satp;
    uint64_t asid;
};

static struct rvh_params params;
static uint64_t procs, policy, via, paged, direct;
static struct vmk_env envs[VMK_MAX_PROCS];
static struct space spaces[VMK_MAX_PROCS];
static struct lower_ctx ctxs[VMK_MAX_PROCS];
static int done[VMK_MAX_PROCS];
static uint8_t stacks[VMK_MAX_PROCS][8 * 1024] __attribute__((aligned(16)));

/* Frames the kernel moves remapped pages to; each remap returns the old frame here. */
#define SPARE_FRAMES 4
static uint8_t spare[SPARE_FRAMES][PAGE_SIZE] __attribute__((aligned(4096)));
static uint64_t free_frames[SPARE_FRAMES];
static unsigned free_count;

static void fail(const char *what, uint64_t a, uint64_t b) __attribute__((noreturn));
static void fail(const char *what, uint64_t a, uint64_t b)
{
    csr_write(satp, guest_boot_satp);
    vmk_print_params(vmk_desc, &params);
    printf(" FAIL (%s 0x%lx 0x%lx)\n", what, a, b);
    sbi_shutdown(EXIT_UNEXPECTED_TRAP);
}

/* ------------------------------------------------------------------ address spaces */

/* The image (and its U alias) for the kernel: one 1 GiB leaf each, which also reaches every frame
 * of the arena; with memvirt=direct 4 KiB leaves of host frames over guest RAM only (the image
 * and the arena), as 1 GiB of host memory would not be this guest's. */
static void map_image(struct space *s, int user)
{
    if (!direct) {
        vmk_pt_map(&s->pt, BENCH_PA_BASE, BENCH_PA_BASE, 2, RWXAD);
        if (user)
            vmk_pt_map(&s->pt, BENCH_PA_BASE + BENCH_U_OFF, BENCH_PA_BASE, 2, RWXAD | PTE_U);
        return;
    }
    for (uint64_t pa = BENCH_PA_BASE; pa < (uint64_t)(uintptr_t)__stack_top; pa += PAGE_SIZE) {
        vmk_pt_map(&s->pt, pa, pa, 0, RWXAD);
        if (user)
            vmk_pt_map(&s->pt, pa + BENCH_U_OFF, pa, 0, RWXAD | PTE_U);
    }
    uint64_t end = params.arena_pa + (procs - 1) * bench_window_span(&params) + params.footprint_bytes;
    for (uint64_t pa = params.arena_pa; pa < end; pa += PAGE_SIZE)
        vmk_pt_map(&s->pt, pa, pa, 0, RWAD);
}

static void build_space(unsigned k, int user)
{
    struct space *s = &spaces[k];
    const struct rvh_params *p = &params;
    uint64_t u = user ? PTE_U : 0;
    vmk_pt_init(&s->pt, (unsigned)(bench_virtualized(p) ? p->vs_levels : 3));
    if (k == 0) {
        map_image(s, user);
    } else {
        /* The same image gigabytes in every address space: share process 0's entries. */
        *vmk_pt_slot(&s->pt, BENCH_PA_BASE, 2) = *vmk_pt_slot(&spaces[0].pt, BENCH_PA_BASE, 2);
        if (user)
            *vmk_pt_slot(&s->pt, BENCH_PA_BASE + BENCH_U_OFF, 2) = *vmk_pt_slot(&spaces[0].pt, BENCH_PA_BASE + BENCH_U_OFF, 2);
    }
    unsigned level = (unsigned)bench_page_level(p->page_size);
    uint64_t lo = bench_window_lo(p), region = bench_window_span(p);
    for (uint64_t off = 0; off < region; off += p->page_size)
        vmk_pt_map(&s->pt, BENCH_VA_DATA + lo + off, BENCH_PA_BASE + lo + k * region + off, level, RWAD | u);
    s->asid = policy == VMK_SWITCH_SHARED ? 0 : k + 1;
    s->satp = vmk_pt_satp(&s->pt, s->asid);
}

/*
 * Makes process k's address space current. supervisor.adoc "Supervisor Address Translation and
 * Protection (satp) Register": writing satp implies no invalidation; "if an ASID is reused, it may
 * be necessary to execute an SFENCE.VMA instruction ... after ... writing satp": the fence-ASID
 * policy fences the incoming ASID as a kernel recycling ASIDs would, the shared policy (one ASID
 * for every process) has to fence everything.
 */
static void use_space(unsigned k)
{
    if (!paged)
        return;
    const struct space *s = &spaces[k];
    if (csr_read(satp) == s->satp)
        return;
    csr_write(satp, s->satp);
    if (policy == VMK_SWITCH_FENCE_ASID)
        __asm__ volatile("sfence.vma zero, %0" : : "r"(s->asid) : "memory");
    else if (policy == VMK_SWITCH_SHARED)
        __asm__ volatile("sfence.vma" ::: "memory");
}

/* ------------------------------------------------------------------ services */

/* SFENCE.VMA in S-mode, or at V=1 the same instruction on the guest's VS-stage (hypervisor.adoc
 * "SFENCE.VMA ... when V=1 ... applies to the VS-stage ... of the current VMID"). */
static void sfence(uint64_t kind, uint64_t va, uint64_t count, uint64_t asid)
{
    if (kind == HV_FENCE_VVMA_ADDR) {
        for (uint64_t i = 0; i < count; i++)
            __asm__ volatile("sfence.vma %0, zero" : : "r"(va + i * PAGE_SIZE) : "memory");
    } else if (kind == HV_FENCE_VVMA_ASID) {
        __asm__ volatile("sfence.vma zero, %0" : : "r"(asid) : "memory");
    } else if (kind == HV_FENCE_VVMA_ALL) {
        __asm__ volatile("sfence.vma" ::: "memory");
    }
}

/* SBI RFENCE (SBI spec "RFENCE Extension"): one hart (mask 1, base 0); size -1 = everything. */
static long rfence(uint64_t kind, uint64_t va, uint64_t gpa, uint64_t count, uint64_t asid, uint64_t vmid)
{
    uint64_t size = count * PAGE_SIZE;
    switch (kind) {
    case HV_FENCE_VVMA_ADDR:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 0, va, size, 0).error;
    case HV_FENCE_VVMA_ASID:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, 0, ~0UL, asid).error;
    case HV_FENCE_VVMA_ALL:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 0, 0, ~0UL, 0).error;
    case HV_FENCE_GVMA_ADDR:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_HFENCE_GVMA_VMID, 1, 0, gpa, size, vmid).error;
    case HV_FENCE_GVMA_VMID:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_HFENCE_GVMA_VMID, 1, 0, 0, ~0UL, vmid).error;
    case HV_FENCE_GVMA_ALL:
        return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_HFENCE_GVMA, 1, 0, 0, ~0UL, 0).error;
    default:   /* nothing to fence: the cost of the call alone */
        return sbi_hv_fence(HV_FENCE_NONE, 0, 0, 0);
    }
}

/* Kernel-only services are never inlined into the body's entry points: a process runs those at
 * the U alias and must not touch the kernel's variables, not even speculatively hoisted loads. */
static __attribute__((noinline)) long kernel_fence(struct vmk_env *e, uint64_t kind, uint64_t first, uint64_t count)
{
    if (kind >= HV_FENCE_KINDS || first >= e->pages || count > e->pages - first)
        return SBI_ERR_INVALID_PARAM;
    uint64_t va = e->data + first * PAGE_SIZE, gpa = e->data_gpa + first * PAGE_SIZE;
    uint64_t asid = spaces[e->proc].asid;
    if (!e->virt || via == VMK_VIA_LOCAL) {
        if (kind >= HV_FENCE_GVMA_ADDR)
            return SBI_ERR_NOT_SUPPORTED;
        sfence(kind, va, count, asid);
        return SBI_SUCCESS;
    }
    if (via == VMK_VIA_RFENCE)
        return rfence(kind, va, gpa, count, asid, params.vmid + e->guest);
    return sbi_hv_fence(kind, kind == HV_FENCE_GVMA_ADDR ? gpa : va, count, asid);
}

/* The guest page behind a data leaf's frame: the frame itself, or with memvirt=direct the spare
 * or arena page whose host frame it is (data leaves only ever hold those). */
static uint64_t page_of_frame(uint64_t frame)
{
    if (!direct)
        return frame;
    for (unsigned i = 0; i < SPARE_FRAMES; i++)
        if (vmk_frame((uint64_t)(uintptr_t)spare[i]) == frame)
            return (uint64_t)(uintptr_t)spare[i];
    uint64_t end = params.arena_pa + (procs - 1) * bench_window_span(&params) + params.footprint_bytes;
    for (uint64_t pa = params.arena_pa; pa < end; pa += PAGE_SIZE)
        if (vmk_frame(pa) == frame)
            return pa;
    fail("a data leaf names an unknown frame: frame, pages", frame, procs);
}

/* Moves the page to a spare frame: copy, rewrite the leaf, SFENCE.VMA its address (supervisor.adoc
 * "Supervisor Memory-Management Fence Instruction": a leaf PTE changed, rs1 = the virtual
 * address), then poison the old frame so that a stale translation reads garbage. The kernel reaches
 * every frame through the image's identity mapping (guest physical = virtual below 0xc000_0000). */
static __attribute__((noinline)) long kernel_remap(struct vmk_env *e, uint64_t page, uint64_t by_hv)
{
    if (page >= e->pages)
        return SBI_ERR_INVALID_PARAM;
    if (by_hv)
        return e->virt ? sbi_remap(e->data_gpa + page * PAGE_SIZE) : SBI_ERR_NOT_SUPPORTED;
    if (!paged || params.page_size != PAGE_SIZE)
        return SBI_ERR_NOT_SUPPORTED;
    uint64_t va = e->data + page * PAGE_SIZE;
    uint64_t *slot = vmk_pt_slot(&spaces[e->proc].pt, va, 0);
    uint64_t old = page_of_frame(pte_pa(*slot));
    uint64_t fresh = free_frames[--free_count];
    uint64_t *to = (uint64_t *)(uintptr_t)fresh, *from = (uint64_t *)(uintptr_t)old;
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        to[i] = from[i];
    *slot = pte_make(vmk_frame(fresh), *slot & 0x3ff);
    __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        from[i] = 0xa5a5a5a5a5a5a5a5UL;
    free_frames[free_count++] = old;
    return SBI_SUCCESS;
}

static uint64_t syscall(uint64_t n, uint64_t a0, uint64_t a1, uint64_t a2)
{
    register uint64_t r_a0 __asm__("a0") = a0;
    register uint64_t r_a1 __asm__("a1") = a1;
    register uint64_t r_a2 __asm__("a2") = a2;
    register uint64_t r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

long vmk_fence(struct vmk_env *e, uint64_t kind, uint64_t first, uint64_t count)
{
    if (e->user)
        return (long)syscall(VMK_SYS_FENCE, kind, first, count);
    return kernel_fence(e, kind, first, count);
}

long vmk_remap(struct vmk_env *e, uint64_t page, uint64_t by_hv)
{
    if (e->user)
        return (long)syscall(VMK_SYS_REMAP, page, by_hv, 0);
    return kernel_remap(e, page, by_hv);
}

void vmk_yield(struct vmk_env *e)
{
    if (e->user)
        syscall(VMK_SYS_YIELD, 0, 0, 0);
}

struct vmk_env *vmk_switch(struct vmk_env *e, uint64_t proc)
{
    if (e->user || proc >= procs)
        fail("vmk_switch outside the kernel: proc, user", proc, e->user);
    use_space((unsigned)proc);
    return &envs[proc];
}

/* ------------------------------------------------------------------ processes */

static unsigned next_live(unsigned cur)
{
    for (unsigned k = 1; k <= procs; k++) {
        unsigned i = (cur + k) % (unsigned)procs;
        if (!done[i])
            return i;
    }
    return cur;
}

/* Runs the processes round robin until every one has exited; a yield passes the hart on. */
static void run_processes(uint64_t off)
{
    for (unsigned k = 0; k < procs; k++) {
        struct lower_ctx *c = &ctxs[k];
        c->pc = (uint64_t)(uintptr_t)vmk_desc->body + off;
        c->x[10] = (uint64_t)(uintptr_t)&envs[k] + off;
        c->x[2] = (uint64_t)(uintptr_t)(stacks[k] + sizeof stacks[k]) + off;
        c->x[1] = (uint64_t)(uintptr_t)guest_exit_stub + off;
    }
    unsigned cur = 0, live = (unsigned)procs;
    use_space(cur);
    while (live) {
        struct lower_ctx *c = &ctxs[cur];
        /* SRET to U (VU at V=1): sstatus.SPP = 0 (supervisor.adoc "Supervisor Status Register"). */
        c->status &= ~MSTATUS_SPP;
        uint64_t cause = ctx_enter(c);
        if (cause != EXC_ECALL_U)
            fail("trap from a process: cause, pc", cause, c->pc);
        c->pc += 4;
        uint64_t *x = c->x;
        switch (x[17]) {
        case VMK_SYS_FENCE:
            x[10] = (uint64_t)kernel_fence(&envs[cur], x[10], x[11], x[12]);
            break;
        case VMK_SYS_REMAP:
            x[10] = (uint64_t)kernel_remap(&envs[cur], x[10], x[11]);
            break;
        case VMK_SYS_YIELD:
        case VMK_SYS_EXIT:
            if (x[17] == VMK_SYS_EXIT) {
                done[cur] = 1;
                live--;
            }
            cur = next_live(cur);
            use_space(cur);
            break;
        default:
            fail("unknown system call: a7, pc", x[17], c->pc);
        }
    }
}

/* ------------------------------------------------------------------ the kernel */

void vmk_kernel(uint64_t index)
{
    const struct vmk_desc *d = vmk_desc;
    struct rvh_params *p = &params;
    guest_init();
    bench_read_params(p);
    procs = vmk_procs(d, p);
    policy = d->switch_policy ? d->switch_policy(p) : VMK_SWITCH_TAGGED;
    via = d->via ? d->via(p) : VMK_VIA_RVHS;
    int virt = bench_virtualized(p);
    int user = p->mode == BENCH_MODE_U || p->mode == BENCH_MODE_VU;
    /* Shadow paging is invisible to the guest kernel: it builds the same tables as nested. The
     * direct mode builds them too, of host frames. */
    direct = virt && p->memvirt == HV_MEMVIRT_DIRECT;
    paged = !virt || p->memvirt != HV_MEMVIRT_GSTAGE_ONLY;
    vmk_pt_direct((int)direct);
    for (unsigned i = 0; i < SPARE_FRAMES; i++)
        free_frames[free_count++] = (uint64_t)(uintptr_t)spare[i];
    uint64_t window = BENCH_VA_DATA + (p->arena_pa - BENCH_PA_BASE);
    for (unsigned k = 0; k < procs; k++) {
        struct vmk_env *e = &envs[k];
        e->p = *p;
        e->user = (uint64_t)user;
        e->virt = (uint64_t)virt;
        e->guest = index;
        e->proc = k;
        e->procs = procs;
        e->data_gpa = p->arena_pa + k * bench_window_span(p);
        e->data = paged ? window : e->data_gpa;
        e->pages = p->footprint_bytes / VMK_PAGE;
        e->key = bench_mix(index << 8 | (k + 1));
        if (paged)
            build_space(k, user);
    }
    if (!user) {
        use_space(0);
        d->body(&envs[0]);
    } else {
        /* A process runs at the image's U alias (paged) or at its guest physical address. */
        run_processes(paged ? BENCH_U_OFF : 0);
    }
    csr_write(satp, guest_boot_satp);
    __asm__ volatile("sfence.vma" ::: "memory");

    uint64_t h = BENCH_FOLD_INIT, ok = 1;
    for (unsigned k = 0; k < procs; k++) {
        h = procs == 1 ? envs[k].checksum : bench_fold(h, envs[k].checksum);
        ok &= envs[k].ok;
    }
    vmk_print_params(d, p);
    printf(" checksum=0x%016lx %s\n", h, ok ? "ok" : "FAIL (self-check)");
    sbi_shutdown(ok ? 0 : 1);
}
