/*
 * C side of the h-* trap vectors (hpriv-entry.S): mode switching through MRET/SRET, returns from
 * h_enter calls (forwarded upwards when a lower level took them), a program's hook, the one-shot
 * expected-trap catcher, otherwise a report and exit(EXIT_UNEXPECTED_TRAP).
 */
#include "hpriv.h"

struct h_context {
    uint64_t ra, sp, s[12];
    uint64_t mode;    /* the caller's mode (H_M, H_HS or H_VS) */
    uint64_t ie;      /* the caller's xIE bit, restored through xPIE when its own level resumes it */
};

extern struct h_context h_ctx[];
extern uint64_t h_depth;
extern char h_m_stack_top[], h_hs_stack_top[], h_vs_stack_top[];
void h_m_trap_entry(void);
void h_hs_trap_entry(void);
void h_vs_trap_entry(void);
void h_resume(void);
uint64_t h_switch(int use_sret, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra);
void h_forward_return(uint64_t result, uint64_t via_illegal) __attribute__((noreturn));
void h_forward_illegal(void);
void h_vs_panic(uint64_t cause, uint64_t epc, uint64_t tval) __attribute__((noreturn));

volatile int h_mode_now = H_M;
volatile struct htrap_record htrap_rec = {.level = HLVL_NONE};
static volatile uint64_t armed_resume;
static volatile int armed;
static h_hook_fn hook;
/* medeleg as the last M-mode h_enter saw it: HS needs it to forward a return to M (it cannot read medeleg). */
static volatile uint64_t medeleg_seen;

void h_set_hook(h_hook_fn h)
{
    hook = h;
}

void check_true(const char *name, int cond)
{
    check(name, cond ? 1 : 0, 1);
}

/* ------------------------------------------------------------------ the catcher */

void htrap_arm(uint64_t resume)
{
    htrap_rec.level = HLVL_NONE;
    htrap_rec.cause = htrap_rec.epc = htrap_rec.tval = htrap_rec.tval2 = htrap_rec.tinst = 0;
    htrap_rec.status = htrap_rec.hstatus = htrap_rec.vsstatus = 0;
    htrap_rec.pv = htrap_rec.pp = 0;
    htrap_rec.gva = -1;
    armed_resume = resume;
    __asm__ volatile("" ::: "memory");
    armed = 1;
}

int64_t htrap_cause(void)
{
    armed = 0;
    return htrap_rec.level == HLVL_NONE ? -1 : (int64_t)htrap_rec.cause;
}

void check_htrap(const char *what, int level, uint64_t cause, uint64_t epc, uint64_t tval, uint64_t tval2)
{
    int64_t got = htrap_cause();
    check(name2(what, ": trap taken at the expected level"), (uint64_t)(int64_t)htrap_rec.level, (uint64_t)(int64_t)level);
    check(name2(what, ": cause"), (uint64_t)got, cause);
    if (epc != CHECK_SKIP)
        check(name2(what, ": epc"), htrap_rec.epc, epc);
    if (tval != CHECK_SKIP)
        check(name2(what, ": tval"), htrap_rec.tval, tval);
    if (tval2 != CHECK_SKIP)
        check(name2(what, level == HLVL_M ? ": mtval2" : ": htval"), htrap_rec.tval2, tval2);
}

void check_htrap_prev(const char *what, int pv, int pp)
{
    /* Names do not depend on the level that took the trap: the expected output must not change
     * when an implementation (QEMU) takes a trap at the wrong level (that check fails alone). */
    const char *v = ": previous V (mstatus.MPV / hstatus.SPV / V stays 1)";
    const char *p = ": previous privilege (MPP / SPP)";
    check(name2(what, v), (uint64_t)htrap_rec.pv, (uint64_t)pv);
    check(name2(what, p), (uint64_t)htrap_rec.pp, (uint64_t)pp);
}

void check_htrap_gva(const char *what, int gva)
{
    check(name2(what, ": GVA (mstatus.GVA / hstatus.GVA)"), (uint64_t)(int64_t)htrap_rec.gva,
          (uint64_t)(int64_t)gva);
}

void check_no_htrap(const char *what)
{
    check(name2(what, ": no trap"), (uint64_t)htrap_cause(), (uint64_t)-1);
}

void check_htrap_tval2_gpa(const char *what, uint64_t gpa)
{
    uint64_t v = htrap_rec.tval2;
    check_true(name2(what, ": mtval2/htval is 0 or the guest physical address >> 2"),
               v == 0 || v == gpa >> 2);
}

void check_htrap_tinst(const char *what, uint64_t transformed)
{
    uint64_t v = htrap_rec.tinst;
    const char *n = transformed ? ": mtinst/htinst is 0 or the transformed instruction" : ": mtinst/htinst is 0";
    check_true(name2(what, n), v == 0 || (transformed != 0 && v == transformed));
}

/* ------------------------------------------------------------------ setup */

void h_init(void)
{
    /*
     * machine.adoc "Physical Memory Protection": with PMP entries implemented, an S/U access that
     * matches none fails; entry 0 = NAPOT over all of memory, RWX. PMP applies to supervisor
     * physical addresses whatever V is (hypervisor.adoc "Two-Stage Address Translation").
     */
    csr_write(pmpaddr0, ~0UL);
    csr_write(pmpcfg0, 0x1f);
    csr_write(mscratch, (uint64_t)(uintptr_t)h_m_stack_top);
    csr_write(sscratch, (uint64_t)(uintptr_t)h_hs_stack_top);
    csr_write(vsscratch, (uint64_t)(uintptr_t)h_vs_stack_top);
    csr_write(stvec, (uint64_t)(uintptr_t)h_hs_trap_entry);
    csr_write(vstvec, (uint64_t)(uintptr_t)h_vs_trap_entry);
    csr_write(mtvec, (uint64_t)(uintptr_t)h_m_trap_entry);
    h_reset();
}

void h_reset(void)
{
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(hedeleg, 0);
    csr_write(hideleg, 0);
    csr_write(hvip, 0);
    csr_write(mie, 0);
    csr_write(hie, 0);
    csr_write(sie, 0);
    csr_write(vsie, 0);
    csr_write(satp, 0);
    csr_write(hgatp, 0);
    csr_write(vsatp, 0);
    csr_write(mcounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_write(hcounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_write(scounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    csr_write(htimedelta, 0);
    csr_clear(hstatus, HSTATUS_VTSR | HSTATUS_VTW | HSTATUS_VTVM | HSTATUS_HU | HSTATUS_SPVP | HSTATUS_SPV | HSTATUS_GVA);
    csr_clear(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MXR | MSTATUS_SUM | MSTATUS_MPRV | MSTATUS_MPV |
                           MSTATUS_SIE | MSTATUS_SPIE);
    csr_clear(vsstatus, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SIE | MSTATUS_SPIE);
    /* hypervisor.adoc "Hypervisor Memory-Management Fence Instructions": start every group with
     * empty address-translation caches. */
    __asm__ volatile(H_ASM("sfence.vma\n\thfence.gvma\n\thfence.vvma") ::: "memory");
}

/* ------------------------------------------------------------------ mode switching */

static int mode_level(int mode)
{
    return mode == H_M ? HLVL_M : mode == H_HS ? HLVL_HS : HLVL_VS;
}

uint64_t h_enter(int mode, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra)
{
    int from = h_mode_now;
    struct h_context *slot = &h_ctx[h_depth];
    slot->mode = (uint64_t)from;
    if (from == H_M) {
        uint64_t st = csr_read(mstatus);
        slot->ie = (st & MSTATUS_MIE) ? 1 : 0;
        medeleg_seen = csr_read(medeleg);
        /* A fresh start for every lower level's trap stack. */
        csr_write(sscratch, (uint64_t)(uintptr_t)h_hs_stack_top);
        csr_write(vsscratch, (uint64_t)(uintptr_t)h_vs_stack_top);
        /* hypervisor.adoc "Trap Return": MRET goes to the mode MPP and MPV encode. */
        st &= ~(MSTATUS_MPP | MSTATUS_MPV);
        st |= (uint64_t)H_MODE_PRV(mode) << MSTATUS_MPP_SHIFT;
        if (H_MODE_V(mode))
            st |= MSTATUS_MPV;
        csr_write(mstatus, st);
        h_mode_now = mode;
        return h_switch(0, pc, arg, sp, ra);
    } else {
        /* From HS (V=0: SPV and SPP choose the mode) or from VS (vsstatus.SPP alone). */
        uint64_t st = csr_read(sstatus);
        slot->ie = (st & MSTATUS_SIE) ? 1 : 0;
        st &= ~(MSTATUS_SPP | MSTATUS_SPIE);
        if (H_MODE_PRV(mode) == PRV_S)
            st |= MSTATUS_SPP;
        if (slot->ie)
            st |= MSTATUS_SPIE;   /* SRET leaves the caller's SIE as it was */
        if (from == H_HS) {
            csr_write(vsscratch, (uint64_t)(uintptr_t)h_vs_stack_top);
            /* SRET from HS: V = SPV ("Trap Return"). SPVP follows the guest mode, as a trap from it
             * would have set it, so that HLV/HSV in the caller see the guest's privilege. */
            if (H_MODE_V(mode)) {
                csr_set(hstatus, HSTATUS_SPV);
                if (H_MODE_PRV(mode) == PRV_S)
                    csr_set(hstatus, HSTATUS_SPVP);
                else
                    csr_clear(hstatus, HSTATUS_SPVP);
            } else {
                csr_clear(hstatus, HSTATUS_SPV);
            }
        }
        csr_write(sstatus, st);
        h_mode_now = mode;
        /* h_switch "returns" through h_resume with the callee's result. */
        return h_switch(1, pc, arg, sp, ra);
    }
}

uint64_t h_call(int mode, h_fn fn, uint64_t arg)
{
    return h_enter(mode, (uint64_t)(uintptr_t)fn, arg, 0, (uint64_t)(uintptr_t)h_return_stub);
}

/* The ECALL from h_return_stub (or one forwarded from a lower level). */
static void h_return(struct priv_frame *f, int level)
{
    struct h_context *ctx = &h_ctx[h_depth - 1];
    int caller = (int)ctx->mode;
    int caller_level = mode_level(caller);
    if (caller_level > level) {
        if (level == HLVL_VS)
            h_forward_return(f->x[10], 0);
        /* HS: ECALL from HS goes to M unless medeleg[9] sends it back here. */
        h_forward_return(f->x[10], (medeleg_seen >> EXC_ECALL_S) & 1);
    }
    h_depth--;
    h_mode_now = caller;
    f->epc = (uint64_t)(uintptr_t)h_resume;
    if (level == HLVL_M) {
        f->status &= ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPV);
        f->status |= (uint64_t)H_MODE_PRV(caller) << MSTATUS_MPP_SHIFT;
        if (H_MODE_V(caller))
            f->status |= MSTATUS_MPV;
        if (caller == H_M && ctx->ie)
            f->status |= MSTATUS_MPIE;
        csr_write(sscratch, (uint64_t)(uintptr_t)h_hs_stack_top);
        csr_write(vsscratch, (uint64_t)(uintptr_t)h_vs_stack_top);
    } else if (level == HLVL_HS) {
        f->status |= MSTATUS_SPP;
        f->status &= ~MSTATUS_SPIE;
        if (caller == H_HS && ctx->ie)
            f->status |= MSTATUS_SPIE;
        if (H_MODE_V(caller))
            csr_set(hstatus, HSTATUS_SPV);
        else
            csr_clear(hstatus, HSTATUS_SPV);
        csr_write(vsscratch, (uint64_t)(uintptr_t)h_vs_stack_top);
    } else {
        f->status |= MSTATUS_SPP;
        f->status &= ~MSTATUS_SPIE;
        if (ctx->ie)
            f->status |= MSTATUS_SPIE;
    }
}

/* ------------------------------------------------------------------ dispatch */

static const char *level_name(int level)
{
    return level == HLVL_M ? "M" : level == HLVL_HS ? "HS" : "VS";
}

static void unexpected(const char *lvl, uint64_t cause, uint64_t epc, uint64_t tval) __attribute__((noreturn));
static void unexpected(const char *lvl, uint64_t cause, uint64_t epc, uint64_t tval)
{
    printf("unexpected trap at %s level: cause 0x%lx epc 0x%lx tval 0x%lx\n", lvl, cause, epc, tval);
    exit(EXIT_UNEXPECTED_TRAP);
}

/* Stops an interrupt from coming back: clears its enable bit at the level that took it. */
static void disable_interrupt(int level, uint64_t code)
{
    uint64_t bit = 1UL << (code & 63);
    if (level == HLVL_M)
        csr_clear(mie, bit);
    else if (level == HLVL_HS && (bit & (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP | MIP_SGEIP)))
        csr_clear(hie, bit);
    else
        csr_clear(sie, bit);   /* HS: sie; VS: the guest's sie, i.e. vsie */
}

void h_dispatch(struct priv_frame *f, int level)
{
    uint64_t tval2 = 0, tinst = 0, hst = 0, vsst = 0;
    if (level == HLVL_M) {
        tval2 = csr_read(mtval2);
        tinst = csr_read(mtinst);
        hst = csr_read(hstatus);
        vsst = csr_read(vsstatus);
    } else if (level == HLVL_HS) {
        tval2 = csr_read(htval);
        tinst = csr_read(htinst);
        hst = csr_read(hstatus);
        vsst = csr_read(vsstatus);
    }
    int is_interrupt = (f->cause & CAUSE_INTERRUPT) != 0;
    int ecall = !is_interrupt && (f->cause == EXC_ECALL_U || f->cause == EXC_ECALL_S || f->cause == EXC_ECALL_VS ||
                                  f->cause == EXC_ECALL_M);
    if (ecall && f->x[17] == H_PANIC_MAGIC)
        unexpected("VS", f->x[10], f->x[11], f->x[12]);
    int forwarded = level == HLVL_M && f->cause == EXC_ILLEGAL && f->epc == (uint64_t)(uintptr_t)h_forward_illegal;
    if ((ecall || forwarded) && f->x[17] == H_RETURN_MAGIC && h_depth > 0) {
        h_return(f, level);
        return;
    }
    if (hook && hook(f, level))
        return;
    if (armed) {
        armed = 0;
        htrap_rec.level = level;
        htrap_rec.cause = f->cause;
        htrap_rec.epc = f->epc;
        htrap_rec.tval = f->tval;
        htrap_rec.tval2 = tval2;
        htrap_rec.tinst = tinst;
        htrap_rec.status = f->status;
        htrap_rec.hstatus = hst;
        htrap_rec.vsstatus = vsst;
        if (level == HLVL_M) {
            htrap_rec.pv = (f->status & MSTATUS_MPV) ? 1 : 0;
            htrap_rec.pp = (int)MSTATUS_MPP_FIELD(f->status);
            htrap_rec.gva = (f->status & MSTATUS_GVA) ? 1 : 0;
        } else if (level == HLVL_HS) {
            htrap_rec.pv = (hst & HSTATUS_SPV) ? 1 : 0;
            htrap_rec.pp = (int)MSTATUS_SPP_FIELD(f->status);
            htrap_rec.gva = (hst & HSTATUS_GVA) ? 1 : 0;
        } else {
            htrap_rec.pv = 1;
            htrap_rec.pp = (int)MSTATUS_SPP_FIELD(f->status);
            htrap_rec.gva = -1;
        }
        if (is_interrupt)
            disable_interrupt(level, f->cause);
        if (armed_resume == RESUME_NEXT)
            f->epc += insn_length(*(volatile uint16_t *)(uintptr_t)f->epc);
        else if (armed_resume == RESUME_RA)
            f->epc = f->x[1];
        else if (armed_resume != RESUME_RETRY)
            f->epc = armed_resume;
        return;
    }
    if (level == HLVL_VS)
        h_vs_panic(f->cause, f->epc, f->tval);
    unexpected(level_name(level), f->cause, f->epc, f->tval);
}
