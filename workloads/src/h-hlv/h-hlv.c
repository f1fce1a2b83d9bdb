/*
 * h-hlv: the hypervisor virtual-machine loads and stores (hypervisor.adoc "Hypervisor
 * Virtual-Machine Load and Store Instructions"): HLV.{B,BU,H,HU,W,WU,D}, HLVX.{HU,WU} and
 * HSV.{B,H,W,D} from HS, from M (MPRV does not apply) and from U with hstatus.HU=1; the effective
 * privilege from hstatus.SPVP; vsstatus.SUM and the HS-level SUM; HLVX needing execute permission
 * only; vsstatus.MXR (VS stage only) against HS-level MXR (both stages); the faults they raise
 * (GVA=1 with SPV/MPV=0, htval/mtval2, htinst/mtinst). One line per check; exit code = failures.
 */
#include "hpriv.h"
#include "hpt.h"

/* One probe per instruction: a0 = guest virtual address in, the loaded value out. The stores
 * write STORE_VALUE. The instruction's own label is `fn`_insn (the epc of a fault). */
#define STORE_VALUE 0x8877665544332211UL
#define HPROBE(fn, body)                                                                      \
    uint64_t fn(uint64_t a);                                                                  \
    extern char fn##_insn[];                                                                  \
    __asm__(".text\n.balign 4\n.option push\n.option arch, +h\n.option norvc\n" #fn ":\n"     \
            "  li a1, 0x8877665544332211\n" #fn "_insn: " body "\n  ret\n.option pop\n");

HPROBE(p_hlv_b, "hlv.b a0, (a0)")
HPROBE(p_hlv_bu, "hlv.bu a0, (a0)")
HPROBE(p_hlv_h, "hlv.h a0, (a0)")
HPROBE(p_hlv_hu, "hlv.hu a0, (a0)")
HPROBE(p_hlv_w, "hlv.w a0, (a0)")
HPROBE(p_hlv_wu, "hlv.wu a0, (a0)")
HPROBE(p_hlv_d, "hlv.d a0, (a0)")
HPROBE(p_hlvx_hu, "hlvx.hu a0, (a0)")
HPROBE(p_hlvx_wu, "hlvx.wu a0, (a0)")
HPROBE(p_hsv_b, "hsv.b a1, (a0)")
HPROBE(p_hsv_h, "hsv.h a1, (a0)")
HPROBE(p_hsv_w, "hsv.w a1, (a0)")
HPROBE(p_hsv_d, "hsv.d a1, (a0)")

/* Guest physical and virtual addresses. */
#define GPA_DATA  0x10000000UL   /* G-stage RW -> page_d */
#define GPA_XONLY 0x10001000UL   /* G-stage execute-only -> page_d */
#define GPA_RONLY 0x10002000UL   /* G-stage read-only (no X) -> page_d */
#define GPA_HOLE  0x30000000UL   /* nothing at the G-stage */
#define GVA_DATA  0x40000000UL   /* VS RW, U=0 -> GPA_DATA */
#define GVA_DATAU 0x40001000UL   /* VS RW, U=1 -> GPA_DATA */
#define GVA_VX    0x40002000UL   /* VS execute-only -> GPA_XONLY */
#define GVA_VR    0x40003000UL   /* VS read-only (no X) -> GPA_DATA */
#define GVA_GR    0x40004000UL   /* VS R+X -> GPA_RONLY */
#define GVA_HOLE  0x40005000UL   /* VS RW -> GPA_HOLE */
#define GVA_NONE  0x7f000000UL   /* nothing at the VS stage */

#define DATA0 0xf0e1d2c3b4a59687UL

static uint64_t *page_d;

static uint32_t insn_of(const char *label)
{
    return *(volatile uint32_t *)(uintptr_t)label;
}

/* Runs probe fn at gva in `mode` with the catcher armed; a faulting load returns gva. */
static uint64_t run(int mode, h_fn fn, uint64_t gva)
{
    htrap_arm(RESUME_NEXT);
    uint64_t v = mode == H_M ? fn(gva) : h_call(mode, fn, gva);
    return v;
}

/* a followed by b in one of two rotating buffers (name2's single buffer would be overwritten by
 * the check helpers, which use it for their own names). */
static const char *cat(const char *a, const char *b)
{
    static char buf[2][160];
    static int which;
    char *out = buf[which ^= 1];
    size_t n = 0;
    for (; *a && n < sizeof buf[0] - 1; a++)
        out[n++] = *a;
    for (; *b && n < sizeof buf[0] - 1; b++)
        out[n++] = *b;
    out[n] = 0;
    return out;
}

static void expect_value(const char *name, int mode, h_fn fn, uint64_t gva, uint64_t want)
{
    uint64_t v = run(mode, fn, gva);
    char own[160];
    const char *c = cat(name, "");
    size_t i = 0;
    for (; c[i] && i < sizeof own - 1; i++)
        own[i] = c[i];
    own[i] = 0;
    check_no_htrap(own);
    check(cat(own, ": value"), v, want);
}

static void setup(void)
{
    struct hpt g, vs;
    csr_write(hgatp, hpt_gstage_identity(&g, 3, 0));
    hpt_map(&g, GPA_DATA, (uint64_t)(uintptr_t)page_d, 0, HPT_G_RWX);
    hpt_map(&g, GPA_XONLY, (uint64_t)(uintptr_t)page_d, 0, PTE_V | PTE_X | PTE_U | PTE_A | PTE_D);
    hpt_map(&g, GPA_RONLY, (uint64_t)(uintptr_t)page_d, 0, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D);
    csr_write(vsatp, hpt_vsstage_identity(&vs, 3, 0));
    hpt_map(&vs, GVA_DATA, GPA_DATA, 0, HPT_VS_RWX & ~PTE_X);
    hpt_map(&vs, GVA_DATAU, GPA_DATA, 0, (HPT_VS_RWX & ~PTE_X) | PTE_U);
    hpt_map(&vs, GVA_VX, GPA_XONLY, 0, PTE_V | PTE_X | PTE_A | PTE_D);
    hpt_map(&vs, GVA_VR, GPA_DATA, 0, PTE_V | PTE_R | PTE_A | PTE_D);
    hpt_map(&vs, GVA_GR, GPA_RONLY, 0, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D);
    hpt_map(&vs, GVA_HOLE, GPA_HOLE, 0, HPT_VS_RWX);
    __asm__ volatile(H_ASM("hfence.gvma\n\thfence.vvma") ::: "memory");
    page_d[0] = DATA0;
    page_d[1] = 0;
}

/* ---------------------------------------------------------------- values from HS */

static void test_values(int mode, const char *where)
{
#define NAME(s) (cat(where, s))
    /* "For every RV32I or RV64I load instruction ... there is a corresponding virtual-machine load
     * instruction"; sign and zero extension as for LB ... LD. hstatus.SPVP=1: VS-level access. */
    expect_value(NAME(": hlv.b"), mode, p_hlv_b, GVA_DATA, 0xffffffffffffff87UL);
    expect_value(NAME(": hlv.bu"), mode, p_hlv_bu, GVA_DATA, 0x87UL);
    expect_value(NAME(": hlv.h"), mode, p_hlv_h, GVA_DATA, 0xffffffffffff9687UL);
    expect_value(NAME(": hlv.hu"), mode, p_hlv_hu, GVA_DATA, 0x9687UL);
    expect_value(NAME(": hlv.w"), mode, p_hlv_w, GVA_DATA, 0xffffffffb4a59687UL);
    expect_value(NAME(": hlv.wu"), mode, p_hlv_wu, GVA_DATA, 0xb4a59687UL);
    expect_value(NAME(": hlv.d"), mode, p_hlv_d, GVA_DATA, DATA0);
    /* HLVX: "the memory being read must be executable in both stages of address translation, but
     * read permission is not required". */
    expect_value(NAME(": hlvx.hu from an execute-only page (both stages)"), mode, p_hlvx_hu, GVA_VX, 0x9687UL);
    expect_value(NAME(": hlvx.wu from an execute-only page (both stages)"), mode, p_hlvx_wu, GVA_VX, 0xb4a59687UL);

    static const struct {
        h_fn fn;
        const char *name;
        uint64_t want;
    } st[4] = {{p_hsv_b, ": hsv.b", 0x11UL}, {p_hsv_h, ": hsv.h", 0x2211UL}, {p_hsv_w, ": hsv.w", 0x44332211UL}, {p_hsv_d, ": hsv.d", STORE_VALUE}};
    for (int i = 0; i < 4; i++) {
        page_d[1] = 0;
        run(mode, st[i].fn, GVA_DATA + 8);
        const char *n = NAME(st[i].name);
        check_no_htrap(n);
        check(cat(n, ": memory"), page_d[1], st[i].want);
    }
#undef NAME
}

/* ---------------------------------------------------------------- faults */

static void test_faults(void)
{
    uint64_t epc;
    /* HLV.W on an execute-only VS page: a load page fault (VS stage), reported with GVA=1 and
     * "SPV=0 but GVA=1" ("the explicit memory access of an HLV, HLVX, or HSV instruction"). */
    run(H_HS, p_hlv_w, GVA_VX + 4);
    epc = (uint64_t)(uintptr_t)p_hlv_w_insn;
    check_htrap("hlv.w in HS from a VS execute-only page", HLVL_M, EXC_LOAD_PAGE_FAULT, epc, GVA_VX + 4, 0);
    check_htrap_gva("hlv.w in HS from a VS execute-only page", 1);
    check_htrap_prev("hlv.w in HS from a VS execute-only page", 0, PRV_S);
    check_htrap_tinst("hlv.w in HS from a VS execute-only page", tinst_transform_hlsv(insn_of(p_hlv_w_insn), 0));

    /* "HS-level sstatus.MXR makes execute-only pages readable by explicit loads for both stages",
     * "whereas vsstatus.MXR affects only the first translation stage". */
    csr_set(vsstatus, MSTATUS_MXR);
    run(H_HS, p_hlv_w, GVA_VX + 4);
    check_htrap("hlv.w in HS from execute-only pages with vsstatus.MXR=1", HLVL_M, EXC_LOAD_GUEST_PAGE, epc, GVA_VX + 4, CHECK_SKIP);
    check_htrap_tval2_gpa("hlv.w with vsstatus.MXR=1 (G-stage execute-only)", GPA_XONLY + 4);
    check_htrap_gva("hlv.w with vsstatus.MXR=1 (G-stage execute-only)", 1);
    csr_clear(vsstatus, MSTATUS_MXR);
    csr_set(sstatus, MSTATUS_MXR);
    expect_value("hlv.w in HS from execute-only pages with HS-level MXR=1", H_HS, p_hlv_w, GVA_VX, 0xffffffffb4a59687UL);
    csr_clear(sstatus, MSTATUS_MXR);

    /* HLVX needs execute permission at each stage. */
    run(H_HS, p_hlvx_hu, GVA_VR);
    check_htrap("hlvx.hu in HS from a VS read-only page", HLVL_M, EXC_LOAD_PAGE_FAULT, (uint64_t)(uintptr_t)p_hlvx_hu_insn, GVA_VR, 0);
    run(H_HS, p_hlvx_wu, GVA_GR);
    check_htrap("hlvx.wu in HS from a G-stage read-only page", HLVL_M, EXC_LOAD_GUEST_PAGE, (uint64_t)(uintptr_t)p_hlvx_wu_insn, GVA_GR,
                CHECK_SKIP);
    check_htrap_tval2_gpa("hlvx.wu from a G-stage read-only page", GPA_RONLY);

    /* A guest-page fault at M, then delegated to HS. */
    run(H_HS, p_hlv_d, GVA_HOLE + 0x10);
    epc = (uint64_t)(uintptr_t)p_hlv_d_insn;
    check_htrap("hlv.d in HS to a GPA with no G-stage mapping", HLVL_M, EXC_LOAD_GUEST_PAGE, epc, GVA_HOLE + 0x10, CHECK_SKIP);
    check_htrap_tval2_gpa("hlv.d guest-page fault at M", GPA_HOLE + 0x10);
    check_htrap_gva("hlv.d guest-page fault at M", 1);
    check_htrap_prev("hlv.d guest-page fault at M", 0, PRV_S);
    check_htrap_tinst("hlv.d guest-page fault at M", tinst_transform_hlsv(insn_of(p_hlv_d_insn), 0));

    csr_write(medeleg, 1UL << EXC_LOAD_GUEST_PAGE | 1UL << EXC_STORE_GUEST_PAGE | 1UL << EXC_LOAD_PAGE_FAULT);
    run(H_HS, p_hlv_d, GVA_HOLE + 0x18);
    check_htrap("hlv.d in HS to a GPA with no G-stage mapping, medeleg[21]=1", HLVL_HS, EXC_LOAD_GUEST_PAGE, epc, GVA_HOLE + 0x18, CHECK_SKIP);
    check_htrap_tval2_gpa("hlv.d guest-page fault at HS", GPA_HOLE + 0x18);
    check_htrap_gva("hlv.d guest-page fault at HS", 1);
    check_htrap_prev("hlv.d guest-page fault at HS", 0, PRV_S);
    check_htrap_tinst("hlv.d guest-page fault at HS", tinst_transform_hlsv(insn_of(p_hlv_d_insn), 0));

    run(H_HS, p_hsv_d, GVA_HOLE + 0x20);
    check_htrap("hsv.d in HS to a GPA with no G-stage mapping, medeleg[23]=1", HLVL_HS, EXC_STORE_GUEST_PAGE,
                (uint64_t)(uintptr_t)p_hsv_d_insn, GVA_HOLE + 0x20, CHECK_SKIP);
    check_htrap_tval2_gpa("hsv.d guest-page fault at HS", GPA_HOLE + 0x20);
    check_htrap_gva("hsv.d guest-page fault at HS", 1);
    check_htrap_tinst("hsv.d guest-page fault at HS", tinst_transform_hlsv(insn_of(p_hsv_d_insn), 0));

    run(H_HS, p_hlv_d, GVA_NONE);
    check_htrap("hlv.d in HS with no VS-stage mapping, medeleg[13]=1", HLVL_HS, EXC_LOAD_PAGE_FAULT, epc, GVA_NONE, 0);
    check_htrap_gva("hlv.d VS-stage page fault at HS", 1);
    check_htrap_prev("hlv.d VS-stage page fault at HS", 0, PRV_S);
    csr_write(medeleg, 0);
}

/* ---------------------------------------------------------------- effective privilege */

static void test_privilege(void)
{
    /* "The effective privilege mode of the explicit memory access is VU when hstatus.SPVP=0, and VS
     * when hstatus.SPVP=1." */
    csr_clear(hstatus, HSTATUS_SPVP);
    run(H_HS, p_hlv_d, GVA_DATA);
    check_htrap("hlv.d with SPVP=0 (VU access) from a VS U=0 page", HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_DATA, 0);
    expect_value("hlv.d with SPVP=0 (VU access) from a VS U=1 page", H_HS, p_hlv_d, GVA_DATAU, DATA0);
    csr_set(hstatus, HSTATUS_SPVP);
    run(H_HS, p_hlv_d, GVA_DATAU);
    check_htrap("hlv.d with SPVP=1 from a VS U=1 page, vsstatus.SUM=0", HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_DATAU, 0);
    /* "the HS-level sstatus.SUM is ignored" */
    csr_set(sstatus, MSTATUS_SUM);
    run(H_HS, p_hlv_d, GVA_DATAU);
    check_htrap("hlv.d with SPVP=1 from a VS U=1 page, vsstatus.SUM=0, HS SUM=1", HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_DATAU, 0);
    csr_clear(sstatus, MSTATUS_SUM);
    csr_set(vsstatus, MSTATUS_SUM);
    expect_value("hlv.d with SPVP=1 from a VS U=1 page, vsstatus.SUM=1", H_HS, p_hlv_d, GVA_DATAU, DATA0);
    csr_clear(vsstatus, MSTATUS_SUM);

    /* From U: "valid only in M-mode or HS-mode, or in U-mode when hstatus.HU=1". */
    csr_set(hstatus, HSTATUS_HU);
    expect_value("hlv.d in U with hstatus.HU=1", H_U, p_hlv_d, GVA_DATA, DATA0);
    page_d[1] = 0;
    run(H_U, p_hsv_d, GVA_DATA + 8);
    check_no_htrap("hsv.d in U with hstatus.HU=1");
    check("hsv.d in U with hstatus.HU=1: memory", page_d[1], STORE_VALUE);
    csr_clear(hstatus, HSTATUS_HU);
    run(H_U, p_hlv_d, GVA_DATA);
    check_htrap("hlv.d in U with hstatus.HU=0", HLVL_M, EXC_ILLEGAL, (uint64_t)(uintptr_t)p_hlv_d_insn, CHECK_SKIP, 0);

    /* "MPRV does not affect the virtual-machine load/store instructions". */
    csr_clear(mstatus, MSTATUS_MPP);   /* MPP=U, MPV=0 */
    csr_set(mstatus, MSTATUS_MPRV);
    uint64_t v = run(H_M, p_hlv_d, GVA_DATA);
    csr_clear(mstatus, MSTATUS_MPRV);
    check_no_htrap("hlv.d in M with MPRV=1, MPP=U");
    check("hlv.d in M with MPRV=1, MPP=U: value", v, DATA0);
}

int main(void)
{
    h_init();
    page_d = hpt_alloc_page();
    setup();
    csr_set(hstatus, HSTATUS_SPVP);
    test_values(H_HS, "HS");
    test_values(H_M, "M");
    test_faults();
    test_privilege();
    h_reset();
    return check_summary("h-hlv");
}
