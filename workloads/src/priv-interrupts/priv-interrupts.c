/*
 * priv-interrupts: interrupt sources, enables, delegation and priority (machine.adoc "Machine
 * Interrupt Registers (mip and mie)", "Machine Trap Delegation Registers", "Wait for Interrupt";
 * sstc.adoc; the CLINT and PLIC of QEMU virt). The handlers only record events; the program
 * prints their order and causes afterwards, never times or counts of polling loops.
 */
#include "priv.h"

/* PLIC (riscv-plic-spec memory map as QEMU virt lays it out): context 0 = hart 0 M, 1 = hart 0 S. */
#define PLIC_PRIORITY(src)  (PLIC_BASE + 4UL * (src))
#define PLIC_PENDING        (PLIC_BASE + 0x1000UL)
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000UL + 0x80UL * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_THRESHOLD(ctx) + 4)
#define UART0_IRQ           10

/* NS16550A registers: IER (1), IIR (2), LSR (5). */
#define UART_IER     1
#define UART_IIR     2
#define UART_LSR     5
#define LSR_TEMT     0x40
#define IER_ETBEI    0x02
#define IIR_ID_MASK  0x0f
#define IIR_THRE     0x02

#define CSR_STIMECMP 0x14d

static inline void mmio_write32(uint64_t a, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)a = v;
}

static inline uint32_t mmio_read32(uint64_t a)
{
    return *(volatile uint32_t *)(uintptr_t)a;
}

static inline void uart_reg_write(unsigned reg, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)(UART_BASE_ADDR + reg) = v;
}

static inline uint8_t uart_reg_read(unsigned reg)
{
    return *(volatile uint8_t *)(uintptr_t)(UART_BASE_ADDR + reg);
}

/*
 * Enables the THR-empty interrupt once the transmitter is idle, so that THRE is set when ETBEI
 * rises (the datasheet's condition for the interrupt) whatever the host did with earlier output.
 */
static void uart_etbei_on(void)
{
    for (int i = 0; i < 1000000 && !(uart_reg_read(UART_LSR) & LSR_TEMT); i++)
        ;
    uart_reg_write(UART_IER, IER_ETBEI);
}

/* ---------------------------------------------------------------- event log */

struct event {
    int level;
    uint64_t cause;
    uint32_t claim;   /* external interrupts: the PLIC claim */
    uint32_t iir;     /* external interrupts from the UART: IIR's interrupt ID */
    uint64_t status;  /* xstatus at the trap */
};

#define MAX_EVENTS 16
static volatile struct event events[MAX_EVENTS];
static volatile unsigned n_events;

static void events_reset(void)
{
    n_events = 0;
    for (unsigned i = 0; i < MAX_EVENTS; i++) {
        events[i].level = -1;
        events[i].cause = 0;
        events[i].claim = 0;
        events[i].iir = 0;
    }
}

/* Serves one external interrupt at PLIC context ctx: claim, quiet the UART, complete. */
static uint32_t plic_serve(unsigned ctx, volatile struct event *e)
{
    uint32_t id = mmio_read32(PLIC_CLAIM(ctx));
    if (id == UART0_IRQ) {
        e->iir = uart_reg_read(UART_IIR) & IIR_ID_MASK;   /* reading IIR clears the THRE interrupt */
        uart_reg_write(UART_IER, 0);
    }
    if (id != 0)
        mmio_write32(PLIC_CLAIM(ctx), id);
    return id;
}

/* When set, S-level timer interrupts are cleared through stimecmp (Sstc) instead of sie.STIE. */
static volatile int sstc_active;
/* When set, SEI at S is served through PLIC context 1; otherwise SEI is the software mip.SEIP bit. */
static volatile int sei_from_plic;

/* Records every interrupt and silences its source, so each one is taken exactly once. */
static int irq_hook(struct priv_frame *f, int level)
{
    if (!(f->cause & CAUSE_INTERRUPT))
        return 0;
    unsigned i = n_events;
    volatile struct event *e = &events[i < MAX_EVENTS ? i : MAX_EVENTS - 1];
    n_events = i + 1;
    e->level = level;
    e->cause = f->cause;
    e->status = f->status;
    switch (f->cause & ~CAUSE_INTERRUPT) {
    case IRQ_MSI:
        msip_write(0);
        break;
    case IRQ_MTI:
        mtimecmp_write(~0UL);
        break;
    case IRQ_SSI:
        if (level == PRV_S)
            csr_clear(sip, MIP_SSIP);
        else
            csr_clear(mip, MIP_SSIP);
        break;
    case IRQ_STI:
        if (sstc_active)
            csr_write(0x14d, ~0UL);
        else if (level == PRV_S)
            csr_clear(sie, MIP_STIP);   /* S cannot clear STIP: mask it until M does */
        else
            csr_clear(mip, MIP_STIP);
        break;
    case IRQ_SEI:
        if (level == PRV_S && sei_from_plic)
            e->claim = plic_serve(1, e);
        else
            csr_clear(mip, MIP_SEIP);
        break;
    case IRQ_MEI:
        e->claim = plic_serve(0, e);
        break;
    default:
        return 0;
    }
    return 1;
}

/* Waits (bounded, with WFI) until `count` events have been recorded. */
static void wait_events(unsigned count)
{
    for (int i = 0; i < 200000 && n_events < count; i++)
        __asm__ volatile("wfi");
}

static void spin(int n)
{
    for (int i = 0; i < n; i++)
        __asm__ volatile("nop");
}

static void check_event(const char *what, unsigned i, int level, unsigned irq)
{
    check(name2(what, ": level"), (uint64_t)(int64_t)events[i].level, (uint64_t)(int64_t)level);
    check(name2(what, ": cause"), events[i].cause, CAUSE_INTERRUPT | irq);
}

/* ---------------------------------------------------------------- CLINT: MTI, MSI */

static void test_machine_timer(void)
{
    mtimecmp_write(0);
    check("mtimecmp <= mtime: mip.MTIP = 1", (csr_read(mip) & MIP_MTIP) != 0, 1);
    csr_set(mip, MIP_MTIP);
    mtimecmp_write(~0UL);
    check("mtimecmp = max: mip.MTIP = 0 (and not writable)", (csr_read(mip) & MIP_MTIP) != 0, 0);

    /* machine.adoc: an interrupt is taken only when pending, enabled in mie and MIE=1 (in M). */
    events_reset();
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    mtimecmp_write(mtime_read() + 10000000UL);   /* a second away: not during this check */
    spin(100);
    check("MTI before mtimecmp: not taken", n_events, 0);
    mtimecmp_write(mtime_read() + 200);
    wait_events(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("MTI after mtimecmp: taken once", n_events, 1);
    check_event("MTI", 0, PRV_M, IRQ_MTI);
    check("MTI: mstatus.MPIE = 1 (MIE was 1)", (events[0].status & MSTATUS_MPIE) != 0, 1);
    check("MTI: mstatus.MPP = M", MSTATUS_MPP_FIELD(events[0].status), PRV_M);

    /* MTIE=0: pending but not taken. */
    events_reset();
    csr_write(mie, 0);
    csr_set(mstatus, MSTATUS_MIE);
    mtimecmp_write(0);
    spin(100);
    csr_clear(mstatus, MSTATUS_MIE);
    check("MTI with MTIE=0: not taken", n_events, 0);
    mtimecmp_write(~0UL);
}

static void test_machine_software(void)
{
    msip_write(1);
    check("msip=1: mip.MSIP = 1", (csr_read(mip) & MIP_MSIP) != 0, 1);
    msip_write(0);
    check("msip=0: mip.MSIP = 0", (csr_read(mip) & MIP_MSIP) != 0, 0);

    events_reset();
    csr_write(mie, MIP_MSIP);
    msip_write(1);
    spin(50);
    check("MSI with MIE=0: not taken", n_events, 0);
    csr_set(mstatus, MSTATUS_MIE);
    spin(50);
    csr_clear(mstatus, MSTATUS_MIE);
    check("MSI after MIE=1: taken once", n_events, 1);
    check_event("MSI", 0, PRV_M, IRQ_MSI);
    check("MSI handler cleared msip", (csr_read(mip) & MIP_MSIP) != 0, 0);
    csr_write(mie, 0);
}

/* machine.adoc "Wait for Interrupt": WFI resumes on a locally enabled pending interrupt, MIE or not. */
static void test_wfi_masked(void)
{
    events_reset();
    csr_write(mie, MIP_MTIP);
    mtimecmp_write(mtime_read() + 200);
    for (int i = 0; i < 200000 && !(csr_read(mip) & MIP_MTIP); i++)
        __asm__ volatile("wfi");
    check("wfi with MIE=0: resumes once MTIP is pending", (csr_read(mip) & MIP_MTIP) != 0, 1);
    check("wfi with MIE=0: no trap taken", n_events, 0);
    csr_set(mstatus, MSTATUS_MIE);
    spin(20);
    csr_clear(mstatus, MSTATUS_MIE);
    check("then MIE=1: MTI taken", n_events, 1);
    check_event("MTI after wfi", 0, PRV_M, IRQ_MTI);
    csr_write(mie, 0);
}

/* ---------------------------------------------------------------- priority */

static void uart_thre_irq_enable(void)
{
    mmio_write32(PLIC_PRIORITY(UART0_IRQ), 1);
    mmio_write32(PLIC_THRESHOLD(0), 0);
    mmio_write32(PLIC_ENABLE(0), 1u << UART0_IRQ);
    uart_etbei_on();
}

/*
 * Makes the interrupts in `set` pending with MIE=0 (MSI through msip, MTI through mtimecmp,
 * SSI/STI/SEI through mip), then sets MIE and lets the handler take them one by one.
 */
static uint64_t take_all(uint64_t set)
{
    events_reset();
    csr_write(mideleg, 0);
    csr_write(mie, set);
    csr_set(mip, set & (MIP_STIP | MIP_SSIP | MIP_SEIP));
    if (set & MIP_MTIP)
        mtimecmp_write(0);
    if (set & MIP_MSIP)
        msip_write(1);
    uint64_t pending = 0;
    for (int i = 0; i < 1000 && (pending & set) != set; i++)
        pending = csr_read(mip);
    csr_set(mstatus, MSTATUS_MIE);
    spin(50);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    return pending & set;
}

static void test_priority(void)
{
    /*
     * machine.adoc "Machine Interrupt Registers": M-mode interrupts are taken in the decreasing
     * priority order MEI, MSI, MTI, SEI, SSI, STI. QEMU 7.2 takes the lowest-numbered pending
     * interrupt first, so only the sets where both orders agree are checked here (README).
     */
    uint64_t pending = take_all(MIP_MSIP | MIP_MTIP | MIP_SEIP);
    check("priority {MSI, MTI, SEI}: all pending", pending, MIP_MSIP | MIP_MTIP | MIP_SEIP);
    check("priority {MSI, MTI, SEI}: three taken", n_events, 3);
    check_event("priority {MSI, MTI, SEI} 1st (MSI)", 0, PRV_M, IRQ_MSI);
    check_event("priority {MSI, MTI, SEI} 2nd (MTI)", 1, PRV_M, IRQ_MTI);
    check_event("priority {MSI, MTI, SEI} 3rd (SEI)", 2, PRV_M, IRQ_SEI);

    pending = take_all(MIP_SSIP | MIP_STIP);
    check("priority {SSI, STI}: both pending", pending, MIP_SSIP | MIP_STIP);
    check("priority {SSI, STI}: two taken", n_events, 2);
    check_event("priority {SSI, STI} 1st (SSI)", 0, PRV_M, IRQ_SSI);
    check_event("priority {SSI, STI} 2nd (STI)", 1, PRV_M, IRQ_STI);

    pending = take_all(MIP_MSIP | MIP_STIP);
    check("priority {MSI, STI}: both pending", pending, MIP_MSIP | MIP_STIP);
    check("priority {MSI, STI}: two taken", n_events, 2);
    check_event("priority {MSI, STI} 1st (MSI)", 0, PRV_M, IRQ_MSI);
    check_event("priority {MSI, STI} 2nd (STI)", 1, PRV_M, IRQ_STI);
    check("priority: nothing left pending", csr_read(mip) & (MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP), 0);
}

/* ---------------------------------------------------------------- PLIC */

static void test_plic(void)
{
    /*
     * riscv-plic: a source interrupts a context only when its priority exceeds the threshold.
     * While IER.ETBEI=1 nothing is printed: every transmitted byte would raise THRE again.
     */
    mmio_write32(PLIC_PRIORITY(UART0_IRQ), 1);
    mmio_write32(PLIC_ENABLE(0), 1u << UART0_IRQ);
    mmio_write32(PLIC_THRESHOLD(0), 1);
    uart_etbei_on();
    spin(20);
    uint64_t gw_pending = (mmio_read32(PLIC_PENDING) >> UART0_IRQ) & 1;
    uint64_t meip_thr1 = csr_read(mip) & MIP_MEIP;
    mmio_write32(PLIC_THRESHOLD(0), 0);
    spin(20);
    uint64_t meip_thr0 = csr_read(mip) & MIP_MEIP;
    uint32_t id = mmio_read32(PLIC_CLAIM(0));
    uint64_t claimed_pending = (mmio_read32(PLIC_PENDING) >> UART0_IRQ) & 1;
    uint64_t claimed_meip = csr_read(mip) & MIP_MEIP;
    uint64_t iir1 = uart_reg_read(UART_IIR) & IIR_ID_MASK;
    uint64_t iir2 = uart_reg_read(UART_IIR) & IIR_ID_MASK;
    uart_reg_write(UART_IER, 0);
    mmio_write32(PLIC_CLAIM(0), id);
    spin(20);
    uint32_t again = mmio_read32(PLIC_CLAIM(0));
    if (again != 0)
        mmio_write32(PLIC_CLAIM(0), again);
    uint64_t done_meip = csr_read(mip) & MIP_MEIP;

    check("PLIC: UART THRE pending at the gateway", gw_pending, 1);
    check("PLIC: priority 1, threshold 1: mip.MEIP = 0", meip_thr1 != 0, 0);
    check("PLIC: priority 1, threshold 0: mip.MEIP = 1", meip_thr0 != 0, 1);
    check("PLIC: claim returns UART0 (10)", id, UART0_IRQ);
    check("PLIC: claimed source no longer pending", claimed_pending, 0);
    check("PLIC: after the claim mip.MEIP = 0", claimed_meip != 0, 0);
    check("UART: IIR = THR empty", iir1, IIR_THRE);
    check("UART: IIR read again: no interrupt", iir2, 1);
    check("PLIC: after completion nothing to claim", again, 0);
    check("PLIC: after completion mip.MEIP = 0", done_meip != 0, 0);

    /* The same through the trap: MEI, claim/complete in the handler. */
    events_reset();
    csr_write(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);
    uart_thre_irq_enable();
    spin(50);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    check("MEI from the UART: taken once", n_events, 1);
    check_event("MEI", 0, PRV_M, IRQ_MEI);
    check("MEI: claim = UART0 (10)", events[0].claim, UART0_IRQ);
    check("MEI: UART IIR = THR empty", events[0].iir, IIR_THRE);
    mmio_write32(PLIC_ENABLE(0), 0);
}

/* ---------------------------------------------------------------- delegation to S */

/* Runs in S: enables `ie` and waits for one event (WFI only for the timer, which always fires). */
static uint64_t s_enable_and_wait(uint64_t ie)
{
    csr_set(sie, ie);
    csr_set(sstatus, MSTATUS_SIE);
    for (int i = 0; i < 200000 && n_events == 0; i++) {
        if (ie == MIP_STIP)
            __asm__ volatile("wfi");
        else
            __asm__ volatile("nop");
    }
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, ie);
    return n_events;
}

static uint64_t s_raise_ssi(uint64_t arg)
{
    (void)arg;
    csr_set(sie, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_set(sip, MIP_SSIP);
    spin(50);
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, MIP_SSIP);
    return n_events;
}

static uint64_t u_idle(uint64_t arg)
{
    (void)arg;
    spin(50);
    return 0;
}

/* Runs in S with SIE=0: WFI completes on the pending, locally enabled, masked SSI. */
static uint64_t s_wfi_masked(uint64_t arg)
{
    (void)arg;
    csr_set(sie, MIP_SSIP);
    __asm__ volatile("wfi");
    csr_clear(sie, MIP_SSIP);
    return csr_read(sip) & MIP_SSIP;
}

static uint64_t s_idle(uint64_t arg)
{
    (void)arg;
    spin(50);
    return 0;
}

static void test_delegation(void)
{
    /* SSIP delegated; S sets it through sip and takes it with SIE=1. */
    events_reset();
    csr_write(mideleg, MIP_SSIP);
    run_in_mode(PRV_S, s_raise_ssi, 0);
    check("S sets sip.SSIP, mideleg.SSI=1: taken once", n_events, 1);
    check_event("delegated SSI", 0, PRV_S, IRQ_SSI);
    check("delegated SSI: sstatus.SPP = S", (events[0].status & MSTATUS_SPP) != 0, 1);
    check("delegated SSI: sstatus.SPIE = 1", (events[0].status & MSTATUS_SPIE) != 0, 1);

    /* A delegated interrupt is never taken in M, whatever MIE says. */
    events_reset();
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE);
    spin(50);
    csr_clear(mstatus, MSTATUS_MIE);
    check("delegated SSI pending in M with MIE=1: not taken", n_events, 0);
    /* In U, S-level interrupts are enabled whatever SIE says (machine.adoc "Machine Status Registers"). */
    csr_clear(sstatus, MSTATUS_SIE);
    run_in_mode(PRV_U, u_idle, 0);
    check("delegated SSI pending, then U with SIE=0: taken once", n_events, 1);
    check_event("delegated SSI from U", 0, PRV_S, IRQ_SSI);
    check("delegated SSI from U: sstatus.SPP = U", (events[0].status & MSTATUS_SPP) != 0, 0);

    /* WFI in S, TW=0, with a pending, enabled but masked (SIE=0) interrupt: completes, no trap. */
    events_reset();
    csr_set(mip, MIP_SSIP);
    uint64_t still = run_in_mode(PRV_S, s_wfi_masked, 0);
    check("wfi in S with a masked pending SSI: completes without a trap", n_events, 0);
    check("wfi in S: SSIP still pending afterwards", still != 0, 1);
    csr_clear(mip, MIP_SSIP);

    /* Not delegated: SSI pending while in S goes to M even with MIE=0. */
    events_reset();
    csr_write(mideleg, 0);
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    run_in_mode(PRV_S, s_idle, 0);
    check("SSI not delegated, pending in S: taken once", n_events, 1);
    check_event("SSI not delegated, from S", 0, PRV_M, IRQ_SSI);
    check("SSI not delegated: mstatus.MPP = S", MSTATUS_MPP_FIELD(events[0].status), PRV_S);
    csr_write(mie, 0);

    /* STIP written by M (menvcfg.STCE=0), delegated: S takes STI; its handler masks STIE. */
    events_reset();
    csr_write(menvcfg, 0);
    csr_write(mideleg, MIP_STIP);
    csr_set(mip, MIP_STIP);
    run_in_mode(PRV_S, s_enable_and_wait, MIP_STIP);
    check("M sets mip.STIP, mideleg.STI=1: S takes it once", n_events, 1);
    check_event("delegated STI (mip.STIP)", 0, PRV_S, IRQ_STI);
    csr_clear(mip, MIP_STIP);
    check("M clears mip.STIP", (csr_read(mip) & MIP_STIP) != 0, 0);

    /* SEI from the PLIC's S context (context 1), delegated. */
    events_reset();
    csr_write(mideleg, MIP_SEIP);
    sei_from_plic = 1;
    mmio_write32(PLIC_PRIORITY(UART0_IRQ), 1);
    mmio_write32(PLIC_ENABLE(0), 0);
    mmio_write32(PLIC_ENABLE(1), 1u << UART0_IRQ);
    mmio_write32(PLIC_THRESHOLD(1), 0);
    uart_etbei_on();
    spin(20);
    uint64_t seip = csr_read(mip) & MIP_SEIP;
    run_in_mode(PRV_S, s_enable_and_wait, MIP_SEIP);
    sei_from_plic = 0;
    mmio_write32(PLIC_ENABLE(1), 0);
    check("PLIC context 1: mip.SEIP = 1", seip != 0, 1);
    check("SEI from the PLIC, mideleg.SEI=1: S takes it once", n_events, 1);
    check_event("delegated SEI", 0, PRV_S, IRQ_SEI);
    check("delegated SEI: claim = UART0 (10)", events[0].claim, UART0_IRQ);
    check("delegated SEI: UART IIR = THR empty", events[0].iir, IIR_THRE);
    check("after the S handler: mip.SEIP = 0", (csr_read(mip) & MIP_SEIP) != 0, 0);
    csr_write(mideleg, 0);
}

/* ---------------------------------------------------------------- Sstc */

static uint64_t s_read_stimecmp(uint64_t arg)
{
    (void)arg;
    uint64_t at;
    __asm__ volatile("la %0, 1f\n1: csrr t0, 0x14d" : "=&r"(at) : : "t0", "memory");
    return at;
}

/* Runs in S: stimecmp in the past makes STIP pending, in the future clears it. */
static uint64_t s_stimecmp_pending(uint64_t arg)
{
    (void)arg;
    csr_write(0x14d, 0);
    uint64_t past = csr_read(sip) & MIP_STIP;
    csr_write(0x14d, ~0UL);
    uint64_t future = csr_read(sip) & MIP_STIP;
    return (past ? 1 : 0) | (future ? 2 : 0);
}

/* Runs in S: arms stimecmp a little ahead and waits for the S timer interrupt. */
static uint64_t s_timer_wait(uint64_t arg)
{
    (void)arg;
    csr_write(0x14d, csr_read(time) + 200);
    return s_enable_and_wait(MIP_STIP);
}

static void test_sstc(void)
{
    uint64_t at;
    csr_write(mcounteren, 2);   /* TM */
    csr_write(menvcfg, 0);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, s_read_stimecmp, 0);
    check_trap("stimecmp in S with menvcfg.STCE=0", PRV_M, EXC_ILLEGAL, at, CHECK_SKIP);

    csr_write(menvcfg, MENVCFG_STCE);
    check("menvcfg.STCE is writable (Sstc)", csr_read(menvcfg) & MENVCFG_STCE, MENVCFG_STCE);
    csr_write(mcounteren, 0);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, s_read_stimecmp, 0);
    check_trap("stimecmp in S with mcounteren.TM=0", PRV_M, EXC_ILLEGAL, at, CHECK_SKIP);
    csr_write(mcounteren, 2);
    trap_arm(RESUME_NEXT);
    run_in_mode(PRV_S, s_read_stimecmp, 0);
    check_no_trap("stimecmp in S with STCE=1, TM=1");

    csr_write(mideleg, MIP_STIP);
    uint64_t r = run_in_mode(PRV_S, s_stimecmp_pending, 0);
    check("stimecmp = 0: sip.STIP = 1", r & 1, 1);
    check("stimecmp = max: sip.STIP = 0", (r >> 1) & 1, 0);

    events_reset();
    sstc_active = 1;
    r = run_in_mode(PRV_S, s_timer_wait, 0);
    sstc_active = 0;
    check("stimecmp reached: S takes STI once", n_events, 1);
    check_event("Sstc STI", 0, PRV_S, IRQ_STI);
    check("after the handler: mip.STIP = 0", (csr_read(mip) & MIP_STIP) != 0, 0);

    csr_write(mideleg, 0);
    csr_write(menvcfg, 0);
    csr_write(mcounteren, 0);
}

int main(void)
{
    priv_init();
    priv_set_hook(irq_hook);
    mtimecmp_write(~0UL);
    test_machine_timer();
    test_machine_software();
    test_wfi_masked();
    test_priority();
    test_plic();
    test_delegation();
    test_sstc();
    return check_summary("priv-interrupts");
}
