/*
 * h-traps: where traps go with the hypervisor extension and what they write (hypervisor.adoc
 * "Traps": "Trap Cause Codes", "Trap Entry", "Trap Return"): routing through medeleg/mideleg then
 * hedeleg/hideleg; mepc/sepc/vsepc, the causes, tvals, htval/mtval2, htinst/mtinst,
 * hstatus.SPV/SPVP/GVA and mstatus.MPV/GVA for ECALLs from VS and VU, illegal instructions,
 * breakpoints, guest-page faults, VS-stage page faults taken in VS, VS-level interrupts;
 * MRET/SRET and V. One line per check; exit code = failures.
 */
#include "hpriv.h"
#include "hpt.h"

#define INSN_CUSTOM0 0x0000000bu   /* custom-0 major opcode: no extension defines it here */

static uint64_t do_ecall(uint64_t arg)
{
    (void)arg;
    uint64_t at;
    __asm__ volatile(".option push\n\t.option norvc\n\tli a7, 0\n\tla %0, 1f\n1:\tecall\n\t.option pop" : "=&r"(at) : : "a7", "memory");
    return at;
}

static uint64_t do_custom0(uint64_t arg)
{
    (void)arg;
    return H_AT(".word 0x0000000b");
}

static uint64_t do_ebreak(uint64_t arg)
{
    (void)arg;
    return H_AT("ebreak");
}

/* ---------------------------------------------------------------- ECALL */

static void test_ecall(void)
{
    uint64_t at;
    /* hypervisor.adoc "Trap Cause Codes": "environment calls from VS-mode are assigned cause 10";
     * "Trap Entry": not delegated, a trap goes to M with MPV = V and MPP = the nominal privilege. */
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_ecall, 0);
    check_htrap("ecall from VS", HLVL_M, EXC_ECALL_VS, at, 0, 0);
    check_htrap_prev("ecall from VS", 1, PRV_S);
    check_htrap_gva("ecall from VS", 0);
    check_htrap_tinst("ecall from VS", 0);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, do_ecall, 0);
    check_htrap("ecall from VU", HLVL_M, EXC_ECALL_U, at, 0, 0);
    check_htrap_prev("ecall from VU", 1, PRV_U);
    check_htrap_gva("ecall from VU", 0);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_HS, do_ecall, 0);
    check_htrap("ecall from HS", HLVL_M, EXC_ECALL_S, at, 0, 0);
    check_htrap_prev("ecall from HS", 0, PRV_S);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_U, do_ecall, 0);
    check_htrap("ecall from U", HLVL_M, EXC_ECALL_U, at, 0, 0);
    check_htrap_prev("ecall from U", 0, PRV_U);

    /* Delegated by medeleg: the trap goes to HS; hstatus.SPV = V, SPP = nominal privilege, and
     * "If V was 1 before the trap, field SPVP in hstatus is set the same as sstatus.SPP". */
    csr_write(medeleg, 1UL << EXC_ECALL_VS | 1UL << EXC_ECALL_U);
    csr_clear(hstatus, HSTATUS_SPVP);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_ecall, 0);
    check_htrap("ecall from VS, medeleg[10]=1", HLVL_HS, EXC_ECALL_VS, at, 0, 0);
    check_htrap_prev("ecall from VS, medeleg[10]=1", 1, PRV_S);
    check_htrap_gva("ecall from VS, medeleg[10]=1", 0);
    check_htrap_tinst("ecall from VS, medeleg[10]=1", 0);
    check("ecall from VS, medeleg[10]=1: hstatus.SPVP = 1", (htrap_rec.hstatus & HSTATUS_SPVP) ? 1 : 0, 1);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, do_ecall, 0);
    check_htrap("ecall from VU, medeleg[8]=1", HLVL_HS, EXC_ECALL_U, at, 0, 0);
    check_htrap_prev("ecall from VU, medeleg[8]=1", 1, PRV_U);
    check("ecall from VU, medeleg[8]=1: hstatus.SPVP = 0", (htrap_rec.hstatus & HSTATUS_SPVP) ? 1 : 0, 0);

    /* "if V=0 before a trap, SPVP is left unchanged on trap entry". */
    csr_set(hstatus, HSTATUS_SPVP);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_U, do_ecall, 0);
    check_htrap("ecall from U, medeleg[8]=1", HLVL_HS, EXC_ECALL_U, at, 0, 0);
    check_htrap_prev("ecall from U, medeleg[8]=1", 0, PRV_U);
    check("ecall from U, medeleg[8]=1: hstatus.SPVP unchanged (1)", (htrap_rec.hstatus & HSTATUS_SPVP) ? 1 : 0, 1);

    /* Further delegated by hedeleg[8]: VU's ECALL goes to VS; "Register hstatus and the HS-level
     * sstatus are not modified, and the virtualization mode V remains 1". */
    csr_write(medeleg, 1UL << EXC_ECALL_U);   /* the VS handler's own ECALLs then go straight to M */
    csr_write(hedeleg, 1UL << EXC_ECALL_U);
    csr_write(sepc, 0x80000ee0UL);
    csr_write(scause, 3);
    uint64_t hst = csr_read(hstatus);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, do_ecall, 0);
    check_htrap("ecall from VU, hedeleg[8]=1", HLVL_VS, EXC_ECALL_U, at, 0, CHECK_SKIP);
    check_htrap_prev("ecall from VU, hedeleg[8]=1", 1, PRV_U);
    check("ecall from VU, hedeleg[8]=1: HS sepc unchanged", csr_read(sepc), 0x80000ee0UL);
    check("ecall from VU, hedeleg[8]=1: HS scause unchanged", csr_read(scause), 3);
    check("ecall from VU, hedeleg[8]=1: hstatus unchanged", csr_read(hstatus), hst);
    h_reset();
}

/* ---------------------------------------------------------------- illegal instruction, breakpoint */

static void test_illegal_breakpoint(void)
{
    uint64_t at;
    /* machine.adoc "Machine Trap Value Register": on an illegal instruction xtval is zero or the
     * faulting instruction bits. */
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_custom0, 0);
    check_htrap("custom-0 opcode in VS", HLVL_M, EXC_ILLEGAL, at, CHECK_SKIP, 0);
    check_true("custom-0 opcode in VS: mtval is 0 or the instruction", htrap_rec.tval == 0 || htrap_rec.tval == INSN_CUSTOM0);
    check_htrap_prev("custom-0 opcode in VS", 1, PRV_S);
    check_htrap_tinst("custom-0 opcode in VS", 0);

    csr_write(medeleg, 1UL << EXC_ILLEGAL);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_custom0, 0);
    check_htrap("custom-0 opcode in VS, medeleg[2]=1", HLVL_HS, EXC_ILLEGAL, at, CHECK_SKIP, 0);
    check_htrap_prev("custom-0 opcode in VS, medeleg[2]=1", 1, PRV_S);
    check_htrap_gva("custom-0 opcode in VS, medeleg[2]=1", 0);

    csr_write(hedeleg, 1UL << EXC_ILLEGAL);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_custom0, 0);
    check_htrap("custom-0 opcode in VS, hedeleg[2]=1", HLVL_VS, EXC_ILLEGAL, at, CHECK_SKIP, CHECK_SKIP);
    check_true("custom-0 opcode in VS, hedeleg[2]=1: vstval is 0 or the instruction",
               htrap_rec.tval == 0 || htrap_rec.tval == INSN_CUSTOM0);
    check_htrap_prev("custom-0 opcode in VS, hedeleg[2]=1", 1, PRV_S);

    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, do_custom0, 0);
    check_htrap("custom-0 opcode in VU, hedeleg[2]=1", HLVL_VS, EXC_ILLEGAL, at, CHECK_SKIP, CHECK_SKIP);
    check_htrap_prev("custom-0 opcode in VU, hedeleg[2]=1", 1, PRV_U);
    h_reset();

    /* hypervisor.adoc "Hypervisor Status (hstatus) Register", GVA: "For any trap (breakpoint, ...)
     * that writes a guest virtual address to stval, GVA is set to 1"; EBREAK writes 0 or the pc
     * (machine.adoc), so GVA must be 1 exactly when a nonzero tval was written. */
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VS, do_ebreak, 0);
    check_htrap("ebreak in VS", HLVL_M, EXC_BREAKPOINT, at, CHECK_SKIP, 0);
    check_true("ebreak in VS: mtval is 0 or the pc", htrap_rec.tval == 0 || htrap_rec.tval == at);
    check_true("ebreak in VS: mstatus.GVA = 1 iff mtval is nonzero", htrap_rec.gva == (htrap_rec.tval != 0));

    csr_write(medeleg, 1UL << EXC_BREAKPOINT);
    htrap_arm(RESUME_NEXT);
    at = h_call(H_VU, do_ebreak, 0);
    check_htrap("ebreak in VU, medeleg[3]=1", HLVL_HS, EXC_BREAKPOINT, at, CHECK_SKIP, 0);
    check_true("ebreak in VU, medeleg[3]=1: hstatus.GVA = 1 iff stval is nonzero", htrap_rec.gva == (htrap_rec.tval != 0));

    htrap_arm(RESUME_NEXT);
    at = h_call(H_HS, do_ebreak, 0);
    check_htrap("ebreak in HS, medeleg[3]=1", HLVL_HS, EXC_BREAKPOINT, at, CHECK_SKIP, 0);
    check_htrap_gva("ebreak in HS, medeleg[3]=1", 0);
    check_htrap_prev("ebreak in HS, medeleg[3]=1", 0, PRV_S);
    h_reset();
}

/* ---------------------------------------------------------------- guest-page faults */

#define GPA_UNMAPPED 0x40000000UL      /* inside no G-stage leaf */
#define GPA_USER0    0x40201000UL      /* G-stage leaf with U=0 */

static void test_guest_page_faults(void)
{
    struct hpt g;
    uint64_t page = (uint64_t)(uintptr_t)hpt_alloc_page();
    csr_write(hgatp, hpt_gstage_identity(&g, 3, 0));
    hpt_map(&g, GPA_USER0, page, 0, HPT_G_RWX & ~PTE_U);
    __asm__ volatile(H_ASM("hfence.gvma") ::: "memory");
    uint64_t epc_ld = (uint64_t)(uintptr_t)h_probe_ld_insn, epc_sd = (uint64_t)(uintptr_t)h_probe_sd_insn;

    /* hypervisor.adoc "Guest-Page Faults": "mtval or stval is written with the faulting guest virtual
     * address as usual, and mtval2 or htval is written either with zero or with the faulting guest
     * physical address, shifted right by 2 bits". vsatp is Bare, so GVA = GPA. */
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_ld, GPA_UNMAPPED + 0x18);
    check_htrap("load from a GPA with no G-stage mapping in VS", HLVL_M, EXC_LOAD_GUEST_PAGE, epc_ld, GPA_UNMAPPED + 0x18, CHECK_SKIP);
    check_htrap_tval2_gpa("load guest-page fault in VS", GPA_UNMAPPED + 0x18);
    check_htrap_prev("load guest-page fault in VS", 1, PRV_S);
    check_htrap_gva("load guest-page fault in VS", 1);
    check_htrap_tinst("load guest-page fault in VS", tinst_transform_load(INSN_PROBE_LD, 0));

    htrap_arm(RESUME_NEXT);
    h_call(H_VU, h_probe_sd, GPA_UNMAPPED + 0x20);
    check_htrap("store to a GPA with no G-stage mapping in VU", HLVL_M, EXC_STORE_GUEST_PAGE, epc_sd, GPA_UNMAPPED + 0x20, CHECK_SKIP);
    check_htrap_tval2_gpa("store guest-page fault in VU", GPA_UNMAPPED + 0x20);
    check_htrap_prev("store guest-page fault in VU", 1, PRV_U);
    check_htrap_gva("store guest-page fault in VU", 1);
    check_htrap_tinst("store guest-page fault in VU", tinst_transform_store(INSN_PROBE_SD, 0));

    /* Delegated to HS ("Guest-page-fault traps may be delegated from M-mode to HS-mode ... but
     * cannot be delegated to other privilege modes"): hedeleg[21] is read-only zero. */
    csr_write(medeleg, 1UL << EXC_LOAD_GUEST_PAGE | 1UL << EXC_STORE_GUEST_PAGE | 1UL << EXC_FETCH_GUEST_PAGE);
    csr_write(hedeleg, 1UL << EXC_LOAD_GUEST_PAGE | 1UL << EXC_STORE_GUEST_PAGE | 1UL << EXC_FETCH_GUEST_PAGE);
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_ld, GPA_USER0 + 0x30);
    check_htrap("load from a G-stage leaf with U=0 in VS, medeleg[21]=1", HLVL_HS, EXC_LOAD_GUEST_PAGE, epc_ld, GPA_USER0 + 0x30, CHECK_SKIP);
    check_htrap_tval2_gpa("load guest-page fault (U=0 G-stage leaf), HS", GPA_USER0 + 0x30);
    check_htrap_prev("load guest-page fault (U=0 G-stage leaf), HS", 1, PRV_S);
    check_htrap_gva("load guest-page fault (U=0 G-stage leaf), HS", 1);
    check("load guest-page fault (U=0 G-stage leaf), HS: hstatus.SPVP = 1", (htrap_rec.hstatus & HSTATUS_SPVP) ? 1 : 0, 1);
    check_htrap_tinst("load guest-page fault (U=0 G-stage leaf), HS", tinst_transform_load(INSN_PROBE_LD, 0));

    htrap_arm(RESUME_NEXT);
    h_call(H_VU, h_probe_sd, GPA_USER0 + 0x38);
    check_htrap("store to a G-stage leaf with U=0 in VU, medeleg[23]=1", HLVL_HS, EXC_STORE_GUEST_PAGE, epc_sd, GPA_USER0 + 0x38, CHECK_SKIP);
    check_htrap_tval2_gpa("store guest-page fault (U=0 G-stage leaf), HS", GPA_USER0 + 0x38);
    check_htrap_prev("store guest-page fault (U=0 G-stage leaf), HS", 1, PRV_U);
    check_htrap_gva("store guest-page fault (U=0 G-stage leaf), HS", 1);

    /* Instruction guest-page fault: epc = tval = the target; "For exceptions that prevent the
     * fetching of an instruction, only zero or a pseudoinstruction value may be written" and a
     * pseudoinstruction only for implicit VS-stage accesses: htinst = 0. */
    htrap_arm(RESUME_RA);
    h_call(H_VS, (h_fn)(uintptr_t)(GPA_UNMAPPED + 0x100), 0);
    check_htrap("fetch from a GPA with no G-stage mapping in VS", HLVL_HS, EXC_FETCH_GUEST_PAGE, GPA_UNMAPPED + 0x100,
                GPA_UNMAPPED + 0x100, CHECK_SKIP);
    check_htrap_tval2_gpa("instruction guest-page fault", GPA_UNMAPPED + 0x100);
    check_htrap_gva("instruction guest-page fault", 1);
    check_htrap_tinst("instruction guest-page fault", 0);
    h_reset();
}

/* ---------------------------------------------------------------- VS-stage page fault taken in VS */

#define GVA_UNMAPPED 0x7f000000UL

static void test_vs_page_fault(void)
{
    struct hpt g, vs;
    csr_write(hgatp, hpt_gstage_identity(&g, 3, 0));
    csr_write(vsatp, hpt_vsstage_identity(&vs, 3, 0));
    __asm__ volatile(H_ASM("hfence.gvma\n\thfence.vvma") ::: "memory");
    uint64_t epc_ld = (uint64_t)(uintptr_t)h_probe_ld_insn;

    /* Not delegated by hedeleg: a VS-stage page fault goes to HS with stval = the guest virtual
     * address, GVA = 1, htval = 0 ("For other traps, htval is set to zero"). */
    csr_write(medeleg, 1UL << EXC_LOAD_PAGE_FAULT);
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_ld, GVA_UNMAPPED + 8);
    check_htrap("VS-stage load page fault in VS, medeleg[13]=1", HLVL_HS, EXC_LOAD_PAGE_FAULT, epc_ld, GVA_UNMAPPED + 8, 0);
    check_htrap_gva("VS-stage load page fault in VS, medeleg[13]=1", 1);
    check_htrap_prev("VS-stage load page fault in VS, medeleg[13]=1", 1, PRV_S);
    check_htrap_tinst("VS-stage load page fault in VS, medeleg[13]=1", tinst_transform_load(INSN_PROBE_LD, 0));

    /* hedeleg[13]=1: the guest takes its own page fault in VS (vscause 13, vstval = the address). */
    csr_write(hedeleg, 1UL << EXC_LOAD_PAGE_FAULT);
    csr_write(scause, 0);
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_ld, GVA_UNMAPPED + 16);
    check_htrap("VS-stage load page fault in VS, hedeleg[13]=1", HLVL_VS, EXC_LOAD_PAGE_FAULT, epc_ld, GVA_UNMAPPED + 16, CHECK_SKIP);
    check_htrap_prev("VS-stage load page fault in VS, hedeleg[13]=1", 1, PRV_S);
    check("VS-stage load page fault in VS, hedeleg[13]=1: HS scause unchanged", csr_read(scause), 0);
    h_reset();
}

/* ---------------------------------------------------------------- interrupts */

static uint64_t spin_with_sie(uint64_t arg)
{
    /* sstatus here is vsstatus: SIE enables VS-level interrupts in VS-mode. */
    if (arg)
        csr_set(sstatus, MSTATUS_SIE);
    for (int i = 0; i < 200; i++)
        __asm__ volatile("nop");
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

static uint64_t spin(uint64_t arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++)
        __asm__ volatile("nop");
    return 0;
}

static void test_interrupts(void)
{
    /* hypervisor.adoc "Hypervisor Trap Delegation": "When a virtual supervisor external interrupt
     * (code 10) is delegated to VS-mode, it is automatically translated ... into a supervisor
     * external interrupt (code 9) for VS-mode", likewise 6 -> 5 and 2 -> 1. */
    static const struct {
        uint64_t bit;
        uint64_t vs_code;
        const char *name;
    } irq[3] = {{MIP_VSSIP, IRQ_SSI, "VSSIP"}, {MIP_VSTIP, IRQ_STI, "VSTIP"}, {MIP_VSEIP, IRQ_SEI, "VSEIP"}};
    for (int i = 0; i < 3; i++) {
        csr_write(hideleg, irq[i].bit);
        csr_write(hie, irq[i].bit);
        csr_write(hvip, irq[i].bit);
        htrap_arm(RESUME_RETRY);
        h_call(H_VS, spin_with_sie, 1);
        check_htrap(name2(irq[i].name, " via hvip, hideleg set: taken in VS"), HLVL_VS, CAUSE_INTERRUPT | irq[i].vs_code, CHECK_SKIP,
                    0, CHECK_SKIP);
        csr_write(hvip, 0);
    }

    /* Not taken in VS while vsstatus.SIE=0 ... */
    csr_write(hideleg, MIP_VSSIP);
    csr_write(hie, MIP_VSSIP);
    csr_write(hvip, MIP_VSSIP);
    htrap_arm(RESUME_RETRY);
    h_call(H_VS, spin_with_sie, 0);
    check_no_htrap("VSSIP pending, vsstatus.SIE=0, in VS");
    /* ... but always in VU, which is less privileged than VS (supervisor.adoc "Supervisor Interrupt
     * Registers": interrupts for a more privileged mode are enabled). */
    htrap_arm(RESUME_RETRY);
    h_call(H_VU, spin, 0);
    check_htrap("VSSIP pending, vsstatus.SIE=0, in VU", HLVL_VS, CAUSE_INTERRUPT | IRQ_SSI, CHECK_SKIP, 0, CHECK_SKIP);
    check_htrap_prev("VSSIP taken in VS from VU", 1, PRV_U);
    csr_write(hvip, 0);

    /* Not delegated by hideleg: a VS-level interrupt goes to HS (mideleg bit 2 is read-only one)
     * with its own code 2, whatever sstatus.SIE (HS is more privileged than VS). */
    csr_write(hideleg, 0);
    csr_write(hie, MIP_VSSIP);
    csr_write(hvip, MIP_VSSIP);
    htrap_arm(RESUME_RETRY);
    h_call(H_VS, spin_with_sie, 1);
    check_htrap("VSSIP via hvip, hideleg clear: taken in HS", HLVL_HS, CAUSE_INTERRUPT | IRQ_VSSI, CHECK_SKIP, 0, CHECK_SKIP);
    check_htrap_prev("VSSIP taken in HS from VS", 1, PRV_S);
    check_htrap_tinst("VSSIP taken in HS from VS", 0);
    csr_write(hvip, 0);

    /* ... and is not taken in HS while sstatus.SIE=0 (HS-mode: interrupts need SIE). */
    csr_write(hie, MIP_VSSIP);
    csr_write(hvip, MIP_VSSIP);
    htrap_arm(RESUME_RETRY);
    h_call(H_HS, spin, 0);
    check_no_htrap("VSSIP pending, sstatus.SIE=0, in HS");
    csr_write(hvip, 0);
    h_reset();
}

/* ---------------------------------------------------------------- MRET / SRET and V */

/* A hook that brings an ECALL from VS with a7 = "SR" back to M after it (MPP=M, MPV=0). */
#define BACK_TO_M_MAGIC 0x5352UL
static int back_to_m(struct priv_frame *f, int level)
{
    if (level != HLVL_M || f->cause != EXC_ECALL_VS || f->x[17] != BACK_TO_M_MAGIC)
        return 0;
    htrap_rec.hstatus = csr_read(hstatus);
    htrap_rec.pv = (f->status & MSTATUS_MPV) ? 1 : 0;
    htrap_rec.pp = (int)MSTATUS_MPP_FIELD(f->status);
    htrap_rec.cause = f->cause;
    f->epc += 4;
    f->status = (f->status & ~(MSTATUS_MPP | MSTATUS_MPV)) | MSTATUS_MPP;
    return 1;
}

/* In VS: SRET (with vsstatus.SIE=0, so SPIE=0) into VU code that ECALLs. */
static uint64_t vs_sret_to_vu(uint64_t arg)
{
    (void)arg;
    csr_clear(sstatus, MSTATUS_SIE);
    return h_call(H_VU, do_ecall, 0);
}

static void test_xret(void)
{
    /* hypervisor.adoc "Trap Return": "MRET then in mstatus/mstatush sets MPV=0, MPP=0"; "the
     * virtualization mode V is set to MPV, unless MPP=3, in which case V remains 0". */
    uint64_t st;
    __asm__ volatile("li t0, 0x8000001800\n\t"    /* MPV | MPP=M */
                     "csrs mstatus, t0\n\t"
                     "la t0, 1f\n\t"
                     "csrw mepc, t0\n\t"
                     "mret\n"
                     "1:\tcsrr %0, mstatus"
                     : "=r"(st)
                     :
                     : "t0", "memory");
    check("MRET with MPP=M, MPV=1: still in M (mstatus readable), MPV cleared", st & MSTATUS_MPV, 0);
    check("MRET with MPP=M, MPV=1: MPP cleared to U", MSTATUS_MPP_FIELD(st), PRV_U);

    /* "When executed in M-mode or HS-mode (i.e., V=0), SRET first determines what the new privilege
     * mode will be according to the values in hstatus.SPV and sstatus.SPP ... SRET then sets
     * hstatus.SPV=0". The VS code ECALLs to M, which leaves hstatus alone. */
    h_set_hook(back_to_m);
    htrap_rec.cause = 0;
    __asm__ volatile("li t0, 0x80\n\t"             /* hstatus.SPV */
                     "csrs hstatus, t0\n\t"
                     "li t0, 0x100\n\t"            /* sstatus.SPP = S */
                     "csrs sstatus, t0\n\t"
                     "la t0, 1f\n\t"
                     "csrw sepc, t0\n\t"
                     "sret\n"
                     "1:\tli a7, 0x5352\n\t"
                     "ecall"
                     :
                     :
                     : "t0", "a7", "memory");
    h_set_hook(0);
    check("SRET in M with SPV=1, SPP=S: the next ecall is from VS (cause 10)", htrap_rec.cause, EXC_ECALL_VS);
    check("SRET in M with SPV=1, SPP=S: mstatus.MPV = 1 at the ecall", (uint64_t)htrap_rec.pv, 1);
    check("SRET in M with SPV=1, SPP=S: mstatus.MPP = S at the ecall", (uint64_t)htrap_rec.pp, PRV_S);
    check("SRET in M: hstatus.SPV cleared", htrap_rec.hstatus & HSTATUS_SPV, 0);

    /* "When executed in VS-mode (i.e., V=1), SRET sets the privilege mode according to
     * vsstatus.SPP, in vsstatus sets SPP=0, SIE=SPIE, and SPIE=1, and lastly sets pc=vsepc";
     * HS sstatus is not involved. */
    csr_set(sstatus, MSTATUS_SPP);
    csr_clear(sstatus, MSTATUS_SPIE);
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, vs_sret_to_vu, 0);
    check_htrap("SRET in VS with vsstatus.SPP=U, then ecall", HLVL_M, EXC_ECALL_U, CHECK_SKIP, 0, 0);
    check_htrap_prev("SRET in VS with vsstatus.SPP=U: the ecall came from VU", 1, PRV_U);
    check("SRET in VS: vsstatus.SPP = 0", htrap_rec.vsstatus & MSTATUS_SPP, 0);
    check("SRET in VS: vsstatus.SPIE = 1", htrap_rec.vsstatus & MSTATUS_SPIE, MSTATUS_SPIE);
    check("SRET in VS: vsstatus.SIE = old SPIE (0)", htrap_rec.vsstatus & MSTATUS_SIE, 0);
    check("SRET in VS: HS sstatus.SPP untouched", csr_read(sstatus) & MSTATUS_SPP, MSTATUS_SPP);
    check("SRET in VS: HS sstatus.SPIE untouched", csr_read(sstatus) & MSTATUS_SPIE, 0);
    h_reset();
}

int main(void)
{
    h_init();
    test_ecall();
    test_illegal_breakpoint();
    test_guest_page_faults();
    test_vs_page_fault();
    test_interrupts();
    test_xret();
    return check_summary("h-traps");
}
