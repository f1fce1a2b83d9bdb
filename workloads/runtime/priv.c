/*
 * C side of the priv-* trap vectors (priv-entry.S): returns from priv_enter_* calls, a program's
 * hook, the one-shot expected-trap catcher, otherwise a report and exit(EXIT_UNEXPECTED_TRAP).
 */
#include "priv.h"

struct priv_context {
    uint64_t ra, sp, s[12];
    uint64_t level;   /* the caller's privilege */
    uint64_t ie;      /* the caller's xIE bit, restored through xPIE */
};

extern struct priv_context priv_ctx[];
extern uint64_t priv_depth;
extern char priv_m_stack_top[], priv_s_stack_top[];
void priv_m_trap_entry(void);
void priv_s_trap_entry(void);
void priv_resume(void);
void priv_forward_return(uint64_t result, uint64_t via_illegal) __attribute__((noreturn));
void priv_forward_illegal(void);

volatile uint64_t priv_return_status;
volatile struct trap_record trap_rec = {-1, 0, 0, 0, 0};
static volatile uint64_t armed_resume;
static volatile int armed;
static priv_hook_fn hook;

void priv_set_hook(priv_hook_fn h)
{
    hook = h;
}

void trap_arm(uint64_t resume)
{
    trap_rec.level = -1;
    trap_rec.cause = 0;
    trap_rec.epc = 0;
    trap_rec.tval = 0;
    trap_rec.status = 0;
    armed_resume = resume;
    __asm__ volatile("" ::: "memory");
    armed = 1;
}

int64_t trap_cause(void)
{
    armed = 0;
    return trap_rec.level < 0 ? -1 : (int64_t)trap_rec.cause;
}

const char *name2(const char *a, const char *b)
{
    static char buf[160];
    size_t n = 0;
    for (; *a && n < sizeof buf - 1; a++)
        buf[n++] = *a;
    for (; *b && n < sizeof buf - 1; b++)
        buf[n++] = *b;
    buf[n] = 0;
    return buf;
}

void check_trap(const char *what, int level, uint64_t cause, uint64_t epc, uint64_t tval)
{
    int64_t got = trap_cause();
    check(name2(what, ": trap taken at the expected level"), (uint64_t)(int64_t)trap_rec.level, (uint64_t)(int64_t)level);
    check(name2(what, ": cause"), (uint64_t)got, cause);
    if (epc != CHECK_SKIP)
        check(name2(what, ": epc"), trap_rec.epc, epc);
    if (tval != CHECK_SKIP)
        check(name2(what, ": tval"), trap_rec.tval, tval);
}

void check_no_trap(const char *what)
{
    check(name2(what, ": no trap"), (uint64_t)trap_cause(), (uint64_t)-1);
}

void priv_init(void)
{
    /*
     * machine.adoc "Physical Memory Protection": with PMP entries implemented, an S/U access that
     * matches none fails. Entry 0 = NAPOT over all of memory, RWX (a platform with no PMP ignores it).
     */
    csr_write(pmpaddr0, ~0UL);
    csr_write(pmpcfg0, 0x1f);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(mie, 0);
    csr_write(satp, 0);
    csr_write(mscratch, (uint64_t)(uintptr_t)priv_m_stack_top);
    csr_write(sscratch, (uint64_t)(uintptr_t)priv_s_stack_top);
    csr_write(stvec, (uint64_t)(uintptr_t)priv_s_trap_entry);
    csr_write(mtvec, (uint64_t)(uintptr_t)priv_m_trap_entry);
}

/* The ECALL from priv_return_stub: pop the caller's context and xRET into priv_resume. */
static void priv_return(struct priv_frame *f, int level)
{
    struct priv_context *ctx = &priv_ctx[priv_depth - 1];
    priv_return_status = f->status;
    if ((int)ctx->level > level) {
        /* S-mode handler, M-mode caller. If this ECALL came from S itself, ECALL-from-S is delegated. */
        priv_forward_return(f->x[10], f->cause == EXC_ECALL_S);
    }
    priv_depth--;
    f->epc = (uint64_t)(uintptr_t)priv_resume;
    if (level == PRV_M) {
        f->status &= ~(MSTATUS_MPP | MSTATUS_MPIE);
        f->status |= ctx->level << MSTATUS_MPP_SHIFT;
        if (ctx->level == PRV_M && ctx->ie)
            f->status |= MSTATUS_MPIE;
    } else {
        f->status |= MSTATUS_SPP;
        f->status &= ~MSTATUS_SPIE;
        if (ctx->ie)
            f->status |= MSTATUS_SPIE;
    }
}

void priv_dispatch(struct priv_frame *f, int level)
{
    int ecall = f->cause == EXC_ECALL_U || f->cause == EXC_ECALL_S || f->cause == EXC_ECALL_M;
    int forwarded = level == PRV_M && f->cause == EXC_ILLEGAL && f->epc == (uint64_t)(uintptr_t)priv_forward_illegal;
    if ((ecall || forwarded) && f->x[17] == PRIV_RETURN_MAGIC && priv_depth > 0) {
        priv_return(f, level);
        return;
    }
    if (hook && hook(f, level))
        return;
    if (armed) {
        armed = 0;
        trap_rec.level = level;
        trap_rec.cause = f->cause;
        trap_rec.epc = f->epc;
        trap_rec.tval = f->tval;
        trap_rec.status = f->status;
        if (armed_resume == RESUME_NEXT)
            f->epc += insn_length(*(volatile uint16_t *)(uintptr_t)f->epc);
        else if (armed_resume == RESUME_RA)
            f->epc = f->x[1];
        else if (armed_resume != RESUME_RETRY)
            f->epc = armed_resume;
        return;
    }
    printf("unexpected trap at %s level: cause 0x%lx epc 0x%lx tval 0x%lx\n", level == PRV_M ? "M" : "S",
           f->cause, f->epc, f->tval);
    exit(EXIT_UNEXPECTED_TRAP);
}
