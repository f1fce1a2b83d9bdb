/*
 * h-virtinst: the virtual-instruction exception (cause 22) for every case in hypervisor.adoc
 * "Trap Cause Codes" ("Specifically, a virtual-instruction exception is raised for the following
 * cases"), the cases that stay illegal-instruction exceptions (not HS-qualified, U-mode with V=0,
 * mstatus.TW, mcounteren), and the cases where the instruction simply runs (mstatus.TVM/TSR do not
 * apply in VS). xtval on a virtual-instruction trap "is written the same as for an
 * illegal-instruction trap": zero or the instruction bits. One line per check; exit code = failures.
 */
#include "hpriv.h"

#define NO_TRAP (-1)

/* --- One probe per instruction: each returns the address of the instruction it executes. --- */
#define PROBE(fn, insn)                      \
    static uint64_t fn(uint64_t arg)         \
    {                                        \
        (void)arg;                           \
        return H_AT(insn);                   \
    }

PROBE(p_csrr_hstatus, "csrr t0, hstatus")
PROBE(p_csrw_hstatus, "csrw hstatus, zero")
PROBE(p_csrr_hgatp, "csrr t0, hgatp")
PROBE(p_csrr_htimedelta, "csrr t0, htimedelta")
PROBE(p_csrr_hgeip, "csrr t0, hgeip")
PROBE(p_csrw_hgeip, "csrw hgeip, zero")
PROBE(p_csrr_vsstatus, "csrr t0, vsstatus")
PROBE(p_csrr_vsatp, "csrr t0, vsatp")
PROBE(p_csrr_mstatus, "csrr t0, mstatus")
PROBE(p_csrr_mscratch, "csrr t0, mscratch")
PROBE(p_csrr_sscratch, "csrr t0, sscratch")
PROBE(p_csrr_sstatus, "csrr t0, sstatus")
PROBE(p_csrr_satp, "csrr t0, satp")
PROBE(p_csrr_stimecmp, "csrr t0, stimecmp")
PROBE(p_csrw_cycle, "csrw cycle, zero")
PROBE(p_csrr_cycleh, "csrr t0, 0xc80")
PROBE(p_rdcycle, "csrr t0, cycle")
PROBE(p_rdtime, "csrr t0, time")
PROBE(p_rdinstret, "csrr t0, instret")
PROBE(p_rdhpm3, "csrr t0, hpmcounter3")
PROBE(p_hfence_vvma, "hfence.vvma zero, zero")
PROBE(p_hfence_gvma, "hfence.gvma zero, zero")
PROBE(p_hlv_w, "hlv.w t0, (sp)")
PROBE(p_hlvx_hu, "hlvx.hu t0, (sp)")
PROBE(p_hsv_w, "hsv.w zero, (sp)")
PROBE(p_sfence_vma, "sfence.vma zero, zero")
PROBE(p_sinval_vma, ".option arch, +svinval\n\tsinval.vma zero, zero")
PROBE(p_wfi, "wfi")
PROBE(p_mret, "mret")

/* SRET probes: if SRET does not trap it must land just after itself. In VS the probe points vsepc
 * there (and keeps V=1, vsstatus.SPP=S); VU cannot write vsepc, so M presets it to p_sret_vu_next. */
uint64_t p_sret_vs(uint64_t arg);
uint64_t p_sret_vu(uint64_t arg);
extern char p_sret_vu_next[];
__asm__(".option push\n.option norvc\n.text\n.balign 4\n"
        "p_sret_vs:\n"
        "  la t0, 1f\n  csrw sepc, t0\n  li t0, 0x100\n  csrs sstatus, t0\n"
        "  la a0, 2f\n2: sret\n1: ret\n"
        "p_sret_vu:\n"
        "  la a0, 2f\n2: sret\n"
        ".globl p_sret_vu_next\np_sret_vu_next: ret\n"
        ".option pop\n");

struct vcase {
    const char *name;
    int mode;
    h_fn fn;
    int64_t cause;          /* EXC_VIRTUAL_INSN, EXC_ILLEGAL or NO_TRAP */
    uint64_t mstatus_set;   /* TW/TVM/TSR */
    uint64_t hstatus_set;   /* VTW/VTVM/VTSR/HU */
    uint64_t mcounteren, hcounteren, scounteren;
    uint64_t henvcfg;       /* for stimecmp */
};

#define CNT (COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR | COUNTEREN_HPM3)
#define STCE (1UL << 63)

static int svinval;   /* whether the hart implements Svinval (probed in HS) */

static void run_case(const struct vcase *c)
{
    h_reset();
    csr_set(mstatus, c->mstatus_set);
    csr_set(hstatus, c->hstatus_set);
    csr_write(mcounteren, c->mcounteren);
    csr_write(hcounteren, c->hcounteren);
    csr_write(scounteren, c->scounteren);
    csr_write(henvcfg, c->henvcfg);
    csr_write(vsepc, (uint64_t)(uintptr_t)p_sret_vu_next);
    htrap_arm(RESUME_NEXT);
    uint64_t at = h_call(c->mode, c->fn, 0);
    if (c->cause == NO_TRAP) {
        check_no_htrap(c->name);
        return;
    }
    /* Instructions are only 2-byte aligned (C): read the word as two halves, never as a
     * misaligned 32-bit load (which an implementation may trap). */
    uint32_t insn = (uint32_t)*(volatile uint16_t *)(uintptr_t)at | ((uint32_t)*(volatile uint16_t *)(uintptr_t)(at + 2) << 16);
    check_htrap(c->name, HLVL_M, (uint64_t)c->cause, at, CHECK_SKIP, 0);
    check_true(name2(c->name, ": mtval is 0 or the instruction"), htrap_rec.tval == 0 || htrap_rec.tval == insn);
    if (c->cause == EXC_VIRTUAL_INSN) {
        check_htrap_prev(c->name, 1, H_MODE_PRV(c->mode));
        check_htrap_tinst(c->name, 0);
    }
}

int main(void)
{
    h_init();
    csr_set(menvcfg, STCE);

    /* Svinval decides whether SINVAL.VMA is HS-qualified at all. */
    htrap_arm(RESUME_NEXT);
    h_call(H_HS, p_sinval_vma, 0);
    svinval = htrap_cause() == -1;

    const uint64_t V = EXC_VIRTUAL_INSN, I = EXC_ILLEGAL;
    const struct vcase cases[] = {
        /* "in VS-mode or VU-mode, attempts to access an implemented non-high-half hypervisor CSR or
         * VS CSR when the same access (read/write) would be allowed in HS-mode, assuming
         * mstatus.TVM=0" */
        {"csrr hstatus in VS", H_VS, p_csrr_hstatus, V, 0, 0, 7, 7, 7, 0},
        {"csrw hstatus in VS", H_VS, p_csrw_hstatus, V, 0, 0, 7, 7, 7, 0},
        {"csrr htimedelta in VS", H_VS, p_csrr_htimedelta, V, 0, 0, 7, 7, 7, 0},
        {"csrr hgatp in VS with mstatus.TVM=1", H_VS, p_csrr_hgatp, V, MSTATUS_TVM, 0, 7, 7, 7, 0},
        {"csrr hgeip in VS", H_VS, p_csrr_hgeip, V, 0, 0, 7, 7, 7, 0},
        {"csrr vsstatus in VS", H_VS, p_csrr_vsstatus, V, 0, 0, 7, 7, 7, 0},
        {"csrr vsatp in VS", H_VS, p_csrr_vsatp, V, 0, 0, 7, 7, 7, 0},
        {"csrr hstatus in VU", H_VU, p_csrr_hstatus, V, 0, 0, 7, 7, 7, 0},
        {"csrr vsstatus in VU", H_VU, p_csrr_vsstatus, V, 0, 0, 7, 7, 7, 0},
        /* Not HS-qualified: a write to a read-only CSR, M-level CSRs, MRET, a high-half CSR on
         * RV64 ("When XLEN>32, an attempt to access a high-half CSR always raises an
         * illegal-instruction exception"). */
        {"csrw hgeip (read-only CSR) in VS", H_VS, p_csrw_hgeip, I, 0, 0, 7, 7, 7, 0},
        {"csrr mstatus in VS", H_VS, p_csrr_mstatus, I, 0, 0, 7, 7, 7, 0},
        {"csrr mscratch in VS", H_VS, p_csrr_mscratch, I, 0, 0, 7, 7, 7, 0},
        {"csrr mstatus in VU", H_VU, p_csrr_mstatus, I, 0, 0, 7, 7, 7, 0},
        {"csrw cycle (read-only CSR) in VS", H_VS, p_csrw_cycle, I, 0, 0, 7, 7, 7, 0},
        {"csrr cycleh (RV32 only) in VS", H_VS, p_csrr_cycleh, I, 0, 0, 7, 7, 7, 0},
        {"mret in VS", H_VS, p_mret, I, 0, 0, 7, 7, 7, 0},
        /* "in VS-mode or VU-mode, attempts to execute a hypervisor instruction (HLV, HLVX, HSV, or
         * HFENCE)" */
        {"hfence.vvma in VS", H_VS, p_hfence_vvma, V, 0, 0, 7, 7, 7, 0},
        {"hfence.gvma in VS", H_VS, p_hfence_gvma, V, 0, 0, 7, 7, 7, 0},
        {"hlv.w in VS", H_VS, p_hlv_w, V, 0, 0, 7, 7, 7, 0},
        {"hlvx.hu in VS", H_VS, p_hlvx_hu, V, 0, 0, 7, 7, 7, 0},
        {"hsv.w in VS", H_VS, p_hsv_w, V, 0, 0, 7, 7, 7, 0},
        {"hfence.vvma in VU", H_VU, p_hfence_vvma, V, 0, 0, 7, 7, 7, 0},
        {"hlv.w in VU with hstatus.HU=1", H_VU, p_hlv_w, V, 0, HSTATUS_HU, 7, 7, 7, 0},
        /* U-mode with V=0: "attempts to do the same in U-mode cause an illegal-instruction
         * exception"; "When HU=0, all hypervisor instructions cause an illegal-instruction
         * exception in U-mode". */
        {"hfence.vvma in U", H_U, p_hfence_vvma, I, 0, 0, 7, 7, 7, 0},
        {"hlv.w in U with hstatus.HU=0", H_U, p_hlv_w, I, 0, 0, 7, 7, 7, 0},
        {"csrr sstatus in U", H_U, p_csrr_sstatus, I, 0, 0, 7, 7, 7, 0},
        {"csrr hstatus in U", H_U, p_csrr_hstatus, I, 0, 0, 7, 7, 7, 0},
        /* HS with mstatus.TVM=1: "Attempting to execute HFENCE.GVMA in HS-mode when mstatus.TVM=1
         * also causes an illegal-instruction exception"; hgatp likewise; "Neither mstatus.TVM nor
         * hstatus.VTVM causes HFENCE.VVMA to trap". */
        {"hfence.gvma in HS with mstatus.TVM=1", H_HS, p_hfence_gvma, I, MSTATUS_TVM, 0, 7, 7, 7, 0},
        {"csrr hgatp in HS with mstatus.TVM=1", H_HS, p_csrr_hgatp, I, MSTATUS_TVM, 0, 7, 7, 7, 0},
        {"hfence.vvma in HS with mstatus.TVM=1", H_HS, p_hfence_vvma, NO_TRAP, MSTATUS_TVM, 0, 7, 7, 7, 0},
        {"csrr vsatp in HS with mstatus.TVM=1", H_HS, p_csrr_vsatp, NO_TRAP, MSTATUS_TVM, 0, 7, 7, 7, 0},
        /* "in VU-mode, attempts to access an implemented non-high-half supervisor CSR when the same
         * access (read/write) would be allowed in HS-mode" */
        {"csrr sscratch in VU", H_VU, p_csrr_sscratch, V, 0, 0, 7, 7, 7, 0},
        {"csrr sstatus in VU", H_VU, p_csrr_sstatus, V, 0, 0, 7, 7, 7, 0},
        {"csrr satp in VU", H_VU, p_csrr_satp, V, 0, 0, 7, 7, 7, 0},
        /* "in VU-mode, attempts to execute WFI when mstatus.TW=0, or to execute a supervisor
         * instruction (SRET or SFENCE)" */
        {"wfi in VU", H_VU, p_wfi, V, 0, 0, 7, 7, 7, 0},
        {"sret in VU", H_VU, p_sret_vu, V, 0, 0, 7, 7, 7, 0},
        {"sfence.vma in VU", H_VU, p_sfence_vma, V, 0, 0, 7, 7, 7, 0},
        /* "in VS-mode, attempts to execute WFI when hstatus.VTW=1 and mstatus.TW=0"; with TW=1
         * (machine.adoc "TW ... affects execution in all modes except M-mode") it is illegal. */
        {"wfi in VS with hstatus.VTW=1", H_VS, p_wfi, V, 0, HSTATUS_VTW, 7, 7, 7, 0},
        {"wfi in VS with mstatus.TW=1", H_VS, p_wfi, I, MSTATUS_TW, 0, 7, 7, 7, 0},
        {"wfi in VS with mstatus.TW=1 and hstatus.VTW=1", H_VS, p_wfi, I, MSTATUS_TW, HSTATUS_VTW, 7, 7, 7, 0},
        {"wfi in VU with mstatus.TW=1", H_VU, p_wfi, I, MSTATUS_TW, 0, 7, 7, 7, 0},
        /* "in VS-mode, attempts to execute SRET when hstatus.VTSR=1"; "The TSR and TVM fields of
         * mstatus affect execution only in HS-mode, not in VS-mode". */
        {"sret in VS with hstatus.VTSR=1", H_VS, p_sret_vs, V, 0, HSTATUS_VTSR, 7, 7, 7, 0},
        {"sret in VS with mstatus.TSR=1", H_VS, p_sret_vs, NO_TRAP, MSTATUS_TSR, 0, 7, 7, 7, 0},
        /* "in VS-mode, attempts to execute an SFENCE.VMA or SINVAL.VMA instruction or to access
         * satp, when hstatus.VTVM=1" */
        {"sfence.vma in VS with hstatus.VTVM=1", H_VS, p_sfence_vma, V, 0, HSTATUS_VTVM, 7, 7, 7, 0},
        {"csrr satp in VS with hstatus.VTVM=1", H_VS, p_csrr_satp, V, 0, HSTATUS_VTVM, 7, 7, 7, 0},
        {"sfence.vma in VS with mstatus.TVM=1", H_VS, p_sfence_vma, NO_TRAP, MSTATUS_TVM, 0, 7, 7, 7, 0},
        {"csrr satp in VS with mstatus.TVM=1", H_VS, p_csrr_satp, NO_TRAP, MSTATUS_TVM, 0, 7, 7, 7, 0},
        /* "in VS-mode, attempts to access a non-high-half counter CSR when the corresponding bit in
         * hcounteren is 0 and the same bit in mcounteren is 1"; with the mcounteren bit 0 it is
         * illegal (machine.adoc "Machine Counter-Enable Register"). */
        {"rdcycle in VS with hcounteren.CY=0", H_VS, p_rdcycle, V, 0, 0, CNT, CNT & ~COUNTEREN_CY, CNT, 0},
        {"rdtime in VS with hcounteren.TM=0", H_VS, p_rdtime, V, 0, 0, CNT, CNT & ~COUNTEREN_TM, CNT, 0},
        {"rdinstret in VS with hcounteren.IR=0", H_VS, p_rdinstret, V, 0, 0, CNT, CNT & ~COUNTEREN_IR, CNT, 0},
        {"hpmcounter3 in VS with hcounteren.HPM3=0", H_VS, p_rdhpm3, V, 0, 0, CNT, CNT & ~COUNTEREN_HPM3, CNT, 0},
        {"rdcycle in VS with mcounteren.CY=0", H_VS, p_rdcycle, I, 0, 0, CNT & ~COUNTEREN_CY, CNT, CNT, 0},
        {"rdcycle in VS with every counteren set", H_VS, p_rdcycle, NO_TRAP, 0, 0, CNT, CNT, 0, 0},
        /* "in VU-mode, attempts to access a non-high-half counter CSR when the corresponding bit in
         * either hcounteren or scounteren is 0 and the same bit in mcounteren is 1" */
        {"rdcycle in VU with scounteren.CY=0", H_VU, p_rdcycle, V, 0, 0, CNT, CNT, CNT & ~COUNTEREN_CY, 0},
        {"rdcycle in VU with hcounteren.CY=0", H_VU, p_rdcycle, V, 0, 0, CNT, CNT & ~COUNTEREN_CY, CNT, 0},
        {"rdtime in VU with scounteren.TM=0", H_VU, p_rdtime, V, 0, 0, CNT, CNT, CNT & ~COUNTEREN_TM, 0},
        {"rdcycle in VU with mcounteren.CY=0", H_VU, p_rdcycle, I, 0, 0, CNT & ~COUNTEREN_CY, CNT, CNT, 0},
        {"rdcycle in VU with every counteren set", H_VU, p_rdcycle, NO_TRAP, 0, 0, CNT, CNT, CNT, 0},
        /* Sstc: "When STCE bit is henvcfg is zero, an attempt to access stimecmp (really vstimecmp)
         * when V=1 raises a virtual-instruction exception"; with STCE=1, "when the TM bit in the
         * hcounteren register is clear, attempts to access the vstimecmp register (via stimecmp)
         * while executing in VS-mode will cause a virtual-instruction exception if the same bit in
         * mcounteren is set". */
        {"csrr stimecmp in VS with henvcfg.STCE=0", H_VS, p_csrr_stimecmp, V, 0, 0, CNT, CNT, CNT, 0},
        {"csrr stimecmp in VS with henvcfg.STCE=1, hcounteren.TM=0", H_VS, p_csrr_stimecmp, V, 0, 0, CNT, CNT & ~COUNTEREN_TM, CNT, STCE},
        {"csrr stimecmp in VS with henvcfg.STCE=1", H_VS, p_csrr_stimecmp, NO_TRAP, 0, 0, CNT, CNT, CNT, STCE},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);

    /* SINVAL.VMA with VTVM=1 is a virtual-instruction exception where Svinval makes it HS-qualified,
     * an illegal instruction where the hart has no Svinval. */
    h_reset();
    csr_set(hstatus, HSTATUS_VTVM);
    htrap_arm(RESUME_NEXT);
    uint64_t at = h_call(H_VS, p_sinval_vma, 0);
    check_htrap("sinval.vma in VS with hstatus.VTVM=1 (virtual instruction, or illegal without Svinval)", HLVL_M,
                svinval ? EXC_VIRTUAL_INSN : EXC_ILLEGAL, at, CHECK_SKIP, 0);

    /* Delegated through medeleg[22]: HS gets it with hstatus.SPV=1, GVA=0, stval the same as for an
     * illegal instruction, htinst 0 ("Virtual instruction": zero or a custom value only). */
    h_reset();
    csr_write(medeleg, 1UL << EXC_VIRTUAL_INSN);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, p_csrr_hstatus, 0);
    check_htrap("csrr hstatus in VS, medeleg[22]=1", HLVL_HS, EXC_VIRTUAL_INSN, at, CHECK_SKIP, 0);
    check_true("csrr hstatus in VS, medeleg[22]=1: stval is 0 or the instruction",
               htrap_rec.tval == 0 || htrap_rec.tval == *(volatile uint32_t *)(uintptr_t)at);
    check_htrap_prev("csrr hstatus in VS, medeleg[22]=1", 1, PRV_S);
    check_htrap_gva("csrr hstatus in VS, medeleg[22]=1", 0);
    check_htrap_tinst("csrr hstatus in VS, medeleg[22]=1", 0);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, p_csrr_sscratch, 0);
    check_htrap("csrr sscratch in VU, medeleg[22]=1", HLVL_HS, EXC_VIRTUAL_INSN, at, CHECK_SKIP, 0);
    check_htrap_prev("csrr sscratch in VU, medeleg[22]=1", 1, PRV_U);
    h_reset();
    csr_clear(menvcfg, STCE);
    return check_summary("h-virtinst");
}
