/*
 * The hypervisor (hv.h): boot from M-mode, the HS-mode run loop, scheduling guests on timer
 * interrupts, SBI calls and guest-page faults.
 */
#include "hv-guest.h"

struct hv_config hv_cfg;
struct hv_guest hv_guests[HV_MAX_GUESTS];
uint64_t hv_events[HV_STAT_COUNT];
static unsigned current;
static uint64_t slice_end;
static uint8_t hv_stack[16 * 1024] __attribute__((aligned(16)));

#define CSR_STIMECMP 0x14d
#define NO_TIMER (~0UL)

/* Exceptions a guest raises that the guest kernel handles itself (hypervisor.adoc "Hypervisor
 * Trap Delegation Registers"): misaligned, access faults, illegal instruction, breakpoint, ECALL
 * from VU, page faults. Guest-page faults, virtual instructions and ECALL from VS come to the hv. */
#define HEDELEG_GUEST                                                                                    \
    ((1UL << EXC_FETCH_MISALIGNED) | (1UL << EXC_FETCH_ACCESS) | (1UL << EXC_ILLEGAL) |                  \
     (1UL << EXC_BREAKPOINT) | (1UL << EXC_LOAD_MISALIGNED) | (1UL << EXC_LOAD_ACCESS) |                 \
     (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_STORE_ACCESS) | (1UL << EXC_ECALL_U) |                  \
     (1UL << EXC_FETCH_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) | (1UL << EXC_STORE_PAGE_FAULT))

/* memvirt=shadow and direct: the guest's page faults come to the hv first (the shadow's hidden
 * faults and the emulated UART behind an unmapped guest virtual page); the rest it reflects. */
#define PAGE_FAULTS ((1UL << EXC_FETCH_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) | (1UL << EXC_STORE_PAGE_FAULT))

/* What M-mode hands to HS (machine.adoc "Machine Trap Delegation Registers"): the guest's
 * exceptions above plus those the hv takes. */
#define MEDELEG_HS                                                                                       \
    (HEDELEG_GUEST | (1UL << EXC_ECALL_VS) | (1UL << EXC_FETCH_GUEST_PAGE) |                            \
     (1UL << EXC_LOAD_GUEST_PAGE) | (1UL << EXC_VIRTUAL_INSN) | (1UL << EXC_STORE_GUEST_PAGE))

int hv_guest_paravirt;

/* Modes that run the guests with hgatp Bare (hypervisor.adoc "hgatp": then "software must write
 * zero to the remaining fields", VMID included: every guest shares VMID 0). */
static int bare_gstage(const struct hv_config *c)
{
    return c->memvirt == HV_MEMVIRT_SHADOW || c->memvirt == HV_MEMVIRT_DIRECT;
}

static int shadowed(const struct hv_config *c)
{
    return c->memvirt == HV_MEMVIRT_SHADOW;
}

static int is_page_size(uint64_t s)
{
    return s == PAGE_SIZE || s == pt_level_size(1) || s == pt_level_size(2);
}

const char *hv_check_config(const struct hv_config *c)
{
    if (c->guests < 1 || c->guests > HV_MAX_GUESTS)
        return "guests must be 0..4 (0 = 1)";
    if (c->gstage_levels != 3 && c->gstage_levels != 4)
        return "gstage_levels must be 3 (Sv39x4) or 4 (Sv48x4)";
    if (!is_page_size(c->gstage_page))
        return "gstage_page_size must be 4096, 2097152 or 1073741824";
    if (c->memvirt > HV_MEMVIRT_DIRECT)
        return "memvirt must be 0 (nested), 1 (gstage-only), 2 (shadow) or 3 (direct)";
    if (c->memvirt == HV_MEMVIRT_DIRECT && !hv_guest_paravirt)
        return "memvirt 3 (direct) needs a guest kernel that maps host frames itself (the fence-* and storm-* programs)";
    if (c->mmio_decode > 2)
        return "mmio_decode must be 0 (htinst), 1 (HLVX) or 2 (both, compared)";
    if (c->vmid + (c->untagged ? 0 : c->guests - 1) > 0x3fff)
        return "vmid must leave room for one VMID per guest below 2^14";
    if (c->guests > 1 && c->gstage_page == pt_level_size(2))
        return "several guests need gstage_page_size <= 2 MiB (each gets its own host memory)";
    if (c->guests * hv_guest_stride(c) > HPT_GIB)
        return "the guests' memory (guests x image and arena span) must fit in the first 1 GiB of DRAM";
    if (bare_gstage(c) && c->guests * hv_guest_stride(c) + hv_shadow_pool_bytes() > HPT_GIB)
        return "the guests' memory and the shadow tables must fit in the first 1 GiB of DRAM";
    return NULL;
}

/* ------------------------------------------------------------------ console */

static void console_flush(struct hv_guest *g)
{
    for (unsigned i = 0; i < g->line_len; i++)
        uart_putc(g->line[i]);
    g->line_len = 0;
}

/* Whole lines per guest, so that time-sliced guests never interleave within a line. */
void hv_console_putc(struct hv_guest *g, char c)
{
    g->line[g->line_len++] = c;
    if (c == '\n' || g->line_len == sizeof g->line)
        console_flush(g);
}

void hv_fatal(const struct hv_guest *g, const char *what, uint64_t a, uint64_t b)
{
    for (unsigned i = 0; i < hv_cfg.guests; i++)
        console_flush(&hv_guests[i]);
    printf("hv: guest %u: %s 0x%lx 0x%lx (pc 0x%lx)\n", g->index, what, a, b, g->ctx.pc);
    exit(EXIT_UNEXPECTED_TRAP);
}

/* A trap of the hypervisor itself (sscratch was 0): a bug. */
void hv_self_trap(void)
{
    printf("hv: trap in HS-mode: scause 0x%lx sepc 0x%lx stval 0x%lx\n", csr_read(scause), csr_read(sepc),
           csr_read(stval));
    exit(EXIT_UNEXPECTED_TRAP);
}

/* ------------------------------------------------------------------ scheduling */

static uint64_t time_now(void)
{
    return csr_read(time);
}

static unsigned running_guests(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < hv_cfg.guests; i++)
        n += !hv_guests[i].done;
    return n;
}

/* stimecmp (Sstc) at the earliest of the slice end and the guests' own timers. */
static void arm_timer(void)
{
    uint64_t next = running_guests() > 1 ? slice_end : NO_TIMER;
    for (unsigned i = 0; i < hv_cfg.guests; i++)
        if (!hv_guests[i].done && hv_guests[i].timer < next)
            next = hv_guests[i].timer;
    csr_write(0x14d, next);
}

static void save_vs(struct hv_guest *g)
{
    g->vsstatus = csr_read(vsstatus);
    g->vsie = csr_read(vsie);
    g->vstvec = csr_read(vstvec);
    g->vsscratch = csr_read(vsscratch);
    g->vsepc = csr_read(vsepc);
    g->vscause = csr_read(vscause);
    g->vstval = csr_read(vstval);
    g->vsatp = csr_read(vsatp);
}

static void load_vs(const struct hv_guest *g)
{
    csr_write(vsstatus, g->vsstatus);
    csr_write(vsie, g->vsie);
    csr_write(vstvec, g->vstvec);
    csr_write(vsscratch, g->vsscratch);
    csr_write(vsepc, g->vsepc);
    csr_write(vscause, g->vscause);
    csr_write(vstval, g->vstval);
    csr_write(vsatp, g->vsatp);
    csr_write(hgatp, g->hgatp);
    /* hypervisor.adoc "Hypervisor Guest Address Translation and Protection (hgatp) Register": a
     * reused VMID needs HFENCE.GVMA; untagged guests all share one VMID, so flush both stages
     * (so do guests under hgatp Bare: they all have VMID 0). */
    if (hv_cfg.untagged || bare_gstage(&hv_cfg)) {
        hv_hfence_gvma_all();
        hv_hfence_vvma_all();
    }
}

static void switch_to(unsigned next)
{
    if (next == current)
        return;
    save_vs(&hv_guests[current]);
    current = next;
    load_vs(&hv_guests[current]);
    hv_count(&hv_guests[current], HV_STAT_SLICES);
}

/* The next guest still running after `from`, round robin; exits when none is. */
static void schedule_next(void)
{
    for (unsigned k = 1; k <= hv_cfg.guests; k++) {
        unsigned i = (current + k) % hv_cfg.guests;
        if (!hv_guests[i].done) {
            switch_to(i);
            return;
        }
    }
    int code = 0;
    for (unsigned i = 0; i < hv_cfg.guests && !code; i++)
        code = hv_guests[i].exit_code;
    exit(code);
}

static void timer_interrupt(struct hv_guest *g)
{
    uint64_t now = time_now();
    for (unsigned i = 0; i < hv_cfg.guests; i++) {
        if (hv_guests[i].timer <= now) {
            hv_guests[i].timer = NO_TIMER;
            hv_guests[i].vstip = 1;
        }
    }
    if (running_guests() > 1 && now >= slice_end) {
        slice_end = now + hv_cfg.slice_ticks;
        hv_count(g, HV_STAT_SWITCHES);
        schedule_next();
    }
    arm_timer();
}

/* ------------------------------------------------------------------ SBI */

struct sbi_ret {
    long error;
    uint64_t value;
};

/* A VS-stage fence for the guest over [start, start + size): HFENCE.VVMA per page, or all of
 * the guest's (SBI spec: size 0 and start 0, or size -1, mean everything). */
static void guest_vvma(uint64_t start, uint64_t size, uint64_t asid, int by_asid)
{
    if ((start == 0 && size == 0) || size == ~0UL || size > 64 * PAGE_SIZE) {
        if (by_asid)
            __asm__ volatile(H_ASM("hfence.vvma zero, %0") : : "r"(asid) : "memory");
        else
            hv_hfence_vvma_all();
        return;
    }
    for (uint64_t a = start & ~(PAGE_SIZE - 1); a < start + size; a += PAGE_SIZE)
        hv_hfence_vvma(a, asid, by_asid);
}

/* A G-stage fence a guest asks for covers only its own VMID and guest physical range. */
static void guest_gvma(struct hv_guest *g, uint64_t start, uint64_t size)
{
    if ((start == 0 && size == 0) || size == ~0UL || size > 64 * PAGE_SIZE) {
        __asm__ volatile(H_ASM("hfence.gvma zero, %0") : : "r"(g->vmid) : "memory");
        return;
    }
    for (uint64_t a = start & ~(PAGE_SIZE - 1); a < start + size; a += PAGE_SIZE)
        hv_hfence_gvma(a, g->vmid);
}

/* The RVHS fence service (hv-sbi.h): exactly the HFENCE the guest names, so that a fence
 * microbenchmark measures one instruction kind with known operands (hypervisor.adoc "Hypervisor
 * Memory-Management Fence Instructions": rs1 = x0 means every address, rs2 = x0 every ASID/VMID). */
#define HV_FENCE_MAX_COUNT 512
static long guest_fence(struct hv_guest *g, uint64_t kind, uint64_t addr, uint64_t count, uint64_t asid)
{
    int by_addr = kind == HV_FENCE_VVMA_ADDR || kind == HV_FENCE_GVMA_ADDR;
    if (kind >= HV_FENCE_KINDS || (by_addr && (count == 0 || count > HV_FENCE_MAX_COUNT)))
        return SBI_ERR_INVALID_PARAM;
    switch (kind) {
    case HV_FENCE_VVMA_ADDR:
        for (uint64_t i = 0; i < count; i++)
            hv_hfence_vvma(addr + i * PAGE_SIZE, 0, 0);
        break;
    case HV_FENCE_VVMA_ASID:
        __asm__ volatile(H_ASM("hfence.vvma zero, %0") : : "r"(asid) : "memory");
        break;
    case HV_FENCE_VVMA_ALL:
        hv_hfence_vvma_all();
        break;
    case HV_FENCE_GVMA_ADDR:
        for (uint64_t i = 0; i < count; i++)
            hv_hfence_gvma(addr + i * PAGE_SIZE, g->vmid);
        break;
    case HV_FENCE_GVMA_VMID:
        __asm__ volatile(H_ASM("hfence.gvma zero, %0") : : "r"(g->vmid) : "memory");
        break;
    case HV_FENCE_GVMA_ALL:
        hv_hfence_gvma_all();
        break;
    default:   /* HV_FENCE_NONE */
        break;
    }
    return SBI_SUCCESS;
}

static int shutdown(struct hv_guest *g, uint64_t reason)
{
    console_flush(g);
    g->done = 1;
    if (reason == SBI_SRST_REASON_NONE)
        g->exit_code = 0;
    else if (reason >= SBI_SRST_REASON_EXIT_CODE)
        g->exit_code = (int)(reason & 0xff);
    else
        g->exit_code = 1;
    schedule_next();
    arm_timer();
    return 1;
}

static struct sbi_ret sbi_call(struct hv_guest *g)
{
    uint64_t *x = g->ctx.x;
    uint64_t eid = x[17], fid = x[16];
    struct sbi_ret r = {SBI_SUCCESS, 0};
    switch (eid) {
    case SBI_EID_LEGACY_PUTCHAR:
        hv_console_putc(g, (char)x[10]);
        break;
    case SBI_EID_BASE:
        if (fid == SBI_BASE_SPEC_VERSION)
            r.value = 2UL << 24;   /* v2.0 */
        else if (fid == SBI_BASE_PROBE_EXTENSION)
            r.value = x[10] == SBI_EID_TIME || x[10] == SBI_EID_RFENCE || x[10] == SBI_EID_SRST ||
                      x[10] == SBI_EID_RVHS || x[10] == SBI_EID_LEGACY_PUTCHAR;
        else
            r.error = SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EID_TIME:
        if (fid != SBI_TIME_SET_TIMER) {
            r.error = SBI_ERR_NOT_SUPPORTED;
            break;
        }
        /* SBI spec: set_timer programs the next event and clears the pending timer interrupt. */
        g->timer = x[10];
        g->vstip = 0;
        arm_timer();
        break;
    case SBI_EID_RFENCE:
        /* One hart per guest: the hart mask (a0, a1) always names this one. */
        switch (fid) {
        case SBI_RFENCE_FENCE_I:
            __asm__ volatile("fence.i" ::: "memory");
            break;
        case SBI_RFENCE_SFENCE_VMA:
        case SBI_RFENCE_HFENCE_VVMA:
            guest_vvma(x[12], x[13], 0, 0);
            break;
        case SBI_RFENCE_SFENCE_VMA_ASID:
        case SBI_RFENCE_HFENCE_VVMA_ASID:
            guest_vvma(x[12], x[13], x[14], 1);
            break;
        case SBI_RFENCE_HFENCE_GVMA:
        case SBI_RFENCE_HFENCE_GVMA_VMID:
            guest_gvma(g, x[12], x[13]);
            break;
        default:
            r.error = SBI_ERR_NOT_SUPPORTED;
        }
        break;
    case SBI_EID_RVHS:
        if (fid == SBI_RVHS_REMAP && hv_cfg.memvirt == HV_MEMVIRT_DIRECT) {
            r.error = SBI_ERR_NOT_SUPPORTED;   /* the guest's own tables hold the host page */
        } else if (fid == SBI_RVHS_REMAP) {
            r.error = hv_mem_remap(g, x[10], &r.value);
            if (r.error == SBI_SUCCESS && shadowed(&hv_cfg))
                hv_shadow_flush(g);   /* shadow leaves still point at the old host page */
        } else if (fid == SBI_RVHS_FRAME && hv_cfg.memvirt == HV_MEMVIRT_DIRECT) {
            /* Direct memory: the host page behind a guest RAM page, for the guest's own PTEs. */
            r.value = hv_mem_hpa(g, x[10] & ~(PAGE_SIZE - 1));
            if (r.value == ~0UL)
                r.error = SBI_ERR_INVALID_ADDRESS;
        } else if (fid == SBI_RVHS_STAT && x[10] < HV_STAT_COUNT)
            r.value = g->stats[x[10]];
        else if (fid == SBI_RVHS_GUEST_STATE && x[10] < hv_cfg.guests)
            r.value = hv_guests[x[10]].done ? 1 | (uint64_t)hv_guests[x[10]].exit_code << 1 : 0;
        else if (fid == SBI_RVHS_FENCE)
            r.error = guest_fence(g, x[10], x[11], x[12], x[13]);
        else
            r.error = SBI_ERR_NOT_SUPPORTED;
        break;
    default:
        r.error = SBI_ERR_NOT_SUPPORTED;
    }
    return r;
}

static void ecall_from_vs(struct hv_guest *g)
{
    uint64_t *x = g->ctx.x;
    if (x[17] == SBI_EID_SRST && x[16] == SBI_SRST_RESET) {
        g->ctx.pc += 4;
        shutdown(g, x[11]);
        return;
    }
    struct sbi_ret r = sbi_call(g);
    x[10] = (uint64_t)r.error;
    if (x[17] != SBI_EID_LEGACY_PUTCHAR)
        x[11] = r.value;
    g->ctx.pc += 4;   /* ECALL has no compressed form */
}

/* ------------------------------------------------------------------ traps */

static void guest_page_fault(struct hv_guest *g, uint64_t cause, uint64_t htval, uint64_t htinst)
{
    /* hypervisor.adoc "Hypervisor Trap Value (htval) Register": the guest physical address shifted
     * right by 2; stval's low bits complete it (both hold the same faulting address's offset). */
    uint64_t gpa = htval << 2 | (g->ctx.tval & 3);
    if (htval == 0)
        hv_fatal(g, "guest-page fault without a guest physical address in htval: cause, stval", cause, g->ctx.tval);
    if (gpa >> 12 == HV_UART_GPA >> 12 && cause != EXC_FETCH_GUEST_PAGE) {
        if (!hv_mmio(g, cause, gpa, htinst))
            hv_fatal(g, "undecodable MMIO access: gpa, htinst", gpa, htinst);
        return;
    }
    if (hv_mem_demand_map(g, gpa)) {
        hv_count(g, HV_STAT_GPF_MAPPED);
        return;
    }
    hv_fatal(g, "guest-page fault outside guest memory: cause, gpa", cause, gpa);
}

static void handle_trap(struct hv_guest *g, uint64_t cause)
{
    if (cause & CAUSE_INTERRUPT) {
        if ((cause & ~CAUSE_INTERRUPT) == IRQ_STI) {
            timer_interrupt(g);
            return;
        }
        hv_fatal(g, "unexpected interrupt: cause, stval", cause, g->ctx.tval);
    }
    switch (cause) {
    case EXC_ECALL_VS:
        ecall_from_vs(g);
        return;
    case EXC_FETCH_GUEST_PAGE:
    case EXC_LOAD_GUEST_PAGE:
    case EXC_STORE_GUEST_PAGE:
        guest_page_fault(g, cause, csr_read(htval), csr_read(htinst));
        return;
    case EXC_FETCH_PAGE_FAULT:
    case EXC_LOAD_PAGE_FAULT:
    case EXC_STORE_PAGE_FAULT:
        /* Only undelegated under hgatp Bare (hv_main). */
        if (!(shadowed(&hv_cfg) ? hv_shadow_page_fault(g, cause, csr_read(htinst))
                                : hv_direct_page_fault(g, cause, csr_read(htinst))))
            hv_fatal(g, "page fault outside guest memory: cause, va", cause, g->ctx.tval);
        return;
    case EXC_VIRTUAL_INSN:
        if (shadowed(&hv_cfg) && hv_shadow_virtual_insn(g))
            return;
        /* hypervisor.adoc: "When not emulating the trapping instruction, a hypervisor should
         * convert a virtual-instruction trap into an illegal-instruction exception for the guest". */
        hv_reflect(g, EXC_ILLEGAL, g->ctx.tval);
        return;
    default:
        hv_fatal(g, "unexpected trap: cause, stval", cause, g->ctx.tval);
    }
}

/* ------------------------------------------------------------------ boot */

static void guest_init(struct hv_guest *g, unsigned index)
{
    g->index = index;
    g->vmid = hv_cfg.untagged ? hv_cfg.vmid : hv_cfg.vmid + index;
    g->timer = NO_TIMER;
    hv_mem_init(g);
    if (bare_gstage(&hv_cfg))
        hv_shadow_init(g);
    g->ctx.pc = hv_cfg.entry;
    g->ctx.x[10] = index;
    g->ctx.x[11] = hv_cfg.arg;
    g->ctx.x[2] = (uint64_t)(uintptr_t)__stack_top;   /* the guest's own boot stack (its copy) */
    /* Enter VS-mode: SPP = 1 with hstatus.SPV = 1 (hypervisor.adoc "Trap Return"). */
    g->ctx.status = MSTATUS_SPP;
}

static void hv_main(void) __attribute__((noreturn));
static void hv_main(void)
{
    csr_write(stvec, (uint64_t)(uintptr_t)hv_trap_vector);
    csr_write(sscratch, 0);
    csr_write(hedeleg, bare_gstage(&hv_cfg) ? HEDELEG_GUEST & ~PAGE_FAULTS : HEDELEG_GUEST);
    csr_write(hideleg, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
    csr_write(hcounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_write(scounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_write(htimedelta, 0);
    csr_write(hvip, 0);
    csr_clear(hstatus, HSTATUS_VTSR | HSTATUS_VTW | HSTATUS_VTVM | HSTATUS_HU);
    csr_set(hstatus, HSTATUS_SPV);
    if (bare_gstage(&hv_cfg)) {
        /* The shadow's page pool sits right after the guests' memory. */
        hv_shadow_boot(HV_IMAGE_GPA + hv_cfg.guests * hv_guest_stride(&hv_cfg));
    }
    if (shadowed(&hv_cfg)) {
        /* hypervisor.adoc "Hypervisor Status Register": "When VTVM=1, an attempt in VS-mode to
         * execute SFENCE.VMA or SINVAL.VMA or to access CSR satp raises a virtual-instruction
         * exception": the guest's address-space changes come to the hv. */
        csr_set(hstatus, HSTATUS_VTVM);
    }
    for (unsigned i = 0; i < hv_cfg.guests; i++)
        guest_init(&hv_guests[i], i);
    for (unsigned i = 0; i < hv_cfg.guests; i++)
        hv_guests[i].stats[HV_STAT_SLICES] = i == 0;
    current = 0;
    for (unsigned i = hv_cfg.guests; i-- > 0;) {
        /* Every guest starts with reset-like VS CSRs; load guest 0's last. */
        load_vs(&hv_guests[i]);
    }
    hv_hfence_gvma_all();
    hv_hfence_vvma_all();
    slice_end = time_now() + hv_cfg.slice_ticks;
    /* The HS timer interrupt reaches HS whenever V=1, whatever sstatus.SIE (machine.adoc "Machine
     * Interrupt Registers": interrupts for a higher privilege are always enabled). */
    csr_write(sie, MIP_STIP);
    arm_timer();
    for (;;) {
        struct hv_guest *g = &hv_guests[current];
        csr_write(hvip, g->vstip ? MIP_VSTIP : 0);
        uint64_t cause = ctx_enter(&g->ctx);
        handle_trap(g, cause);
    }
}

void hv_boot(const struct hv_config *c)
{
    hv_cfg = *c;
    /* machine.adoc "Physical Memory Protection": S/U accesses need a matching entry; entry 0 =
     * NAPOT over everything, RWX (the hv is the platform's only supervisor). */
    csr_write(pmpaddr0, ~0UL);
    csr_write(pmpcfg0, 0x1f);
    csr_write(medeleg, MEDELEG_HS);
    csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
    csr_write(mie, 0);
    /* Sstc: stimecmp for the hv's time slices (machine.adoc "Machine Environment Configuration"). */
    csr_set(menvcfg, MENVCFG_STCE);
    csr_write(mcounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_clear(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV | MSTATUS_SIE);
    csr_write(satp, 0);
    hv_handover((uint64_t)(uintptr_t)hv_main, (uint64_t)(uintptr_t)(hv_stack + sizeof hv_stack), 0);
}
