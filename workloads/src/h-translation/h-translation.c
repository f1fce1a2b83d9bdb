/*
 * h-translation: two-stage address translation from VS and VU (hypervisor.adoc "Two-Stage Address
 * Translation", "Guest Physical Address Translation", "Guest-Page Faults", "Memory-Management
 * Fences"), for Sv39 over Sv39x4, Sv48 over Sv48x4 and Sv57 over Sv57x4: leaves of 4 KiB, 2 MiB
 * and 1 GiB at both stages, the two extra guest-physical bits, guest-physical addresses too wide,
 * G-stage U=0 leaves, guest-page faults on implicit VS-stage PTE reads (htval = the PTE's address,
 * htinst = a pseudoinstruction), vsstatus.SUM/MXR against HS-level MXR, VU accesses, HFENCE.VVMA /
 * HFENCE.GVMA after PTE changes, and a VMID switch. One line per check; exit code = failures.
 */
#include "hpriv.h"
#include "hpt.h"

/* Guest physical addresses (all below 2^39, inside every Sv*x4 space). */
#define GPA_4K      0x10000000UL   /* G-stage 4 KiB leaf */
#define GPA_4K_B    0x10001000UL
#define GPA_2M      0x20000000UL   /* G-stage 2 MiB leaf */
#define GPA_1G      0x140000000UL  /* G-stage 1 GiB leaf onto DRAM's first gigabyte */
#define GPA_USER0   0x10002000UL   /* G-stage leaf with U=0 */
#define GPA_XONLY   0x10003000UL   /* G-stage leaf with R=0, X=1 */
#define GPA_HOLE    0x30000000UL   /* nothing at the G-stage */

/* Guest virtual addresses. */
#define GVA_4K      0x40000000UL   /* VS 4 KiB leaf -> GPA_4K */
#define GVA_2M      0x40200000UL   /* VS 2 MiB leaf -> GPA_2M */
#define GVA_1G      0xc0000000UL   /* VS 1 GiB leaf -> GPA_1G */
#define GVA_USER0   0x40001000UL   /* VS leaf -> GPA_USER0 */
#define GVA_GXONLY  0x40002000UL   /* VS leaf (R) -> GPA_XONLY */
#define GVA_VXONLY  0x40003000UL   /* VS leaf with R=0, X=1 -> GPA_4K */
#define GVA_VUSER   0x40004000UL   /* VS leaf with U=1 -> GPA_4K */
#define GVA_IMPLICIT 0x40600000UL  /* its VS level-0 table sits at GPA_HOLE */

/* Host memory for 2 MiB leaves: 2 MiB aligned, past the program image, inside 128 MiB of DRAM. */
#define HPA_2M      0x80600000UL

static uint64_t *page_a, *page_b;

static uint64_t hpa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void fence_all(void)
{
    __asm__ volatile(H_ASM("hfence.gvma\n\thfence.vvma") ::: "memory");
}

/* A load in VS (mode H_VU: in VU). The catcher is armed, so a load that faults returns its own
 * address instead of stopping the program; a test that expects the fault checks htrap_rec. */
static uint64_t load_in(int mode, uint64_t gva)
{
    htrap_arm(RESUME_NEXT);
    uint64_t v = h_call(mode, h_probe_ld, gva);
    htrap_cause();
    return v;
}

static uint64_t vs_load(uint64_t gva)
{
    return load_in(H_VS, gva);
}

static int mode_supported(unsigned levels)
{
    struct hpt t;
    hpt_init_gstage(&t, levels);
    csr_write(hgatp, hpt_hgatp(&t, 0));
    int ok = (csr_read(hgatp) >> HGATP_MODE_SHIFT) == (levels == 3 ? 8UL : levels == 4 ? 9UL : 10UL);
    csr_write(hgatp, 0);
    return ok;
}

static const char *tag;
static const char *nm(const char *what)
{
    static char buf[2][160];
    static int which;
    char *b = buf[which ^= 1];
    size_t n = 0;
    for (const char *p = tag; *p && n < sizeof buf[0] - 1; p++)
        b[n++] = *p;
    for (const char *p = what; *p && n < sizeof buf[0] - 1; p++)
        b[n++] = *p;
    b[n] = 0;
    return b;
}

static void suite(unsigned levels)
{
    h_reset();
    struct hpt g, vs;
    csr_write(hgatp, hpt_gstage_identity(&g, levels, 1));
    uint64_t vsatp = hpt_vsstage_identity(&vs, levels, 0);
    csr_write(vsatp, vsatp);

    page_a[1] = 0xa1a1a1a1UL + levels;
    page_b[1] = 0xb2b2b2b2UL + levels;
    *(volatile uint64_t *)(HPA_2M + 0x1008) = 0xc3c3c3c3UL + levels;

    /* G-stage leaves of three sizes (hypervisor.adoc: "Except as noted, all other aspects of Sv39,
     * Sv48, or Sv57 are adopted unchanged for G-stage translation"). */
    hpt_map(&g, GPA_4K, hpa(page_a), 0, HPT_G_RWX);
    hpt_map(&g, GPA_4K_B, hpa(page_b), 0, HPT_G_RWX);
    hpt_map(&g, GPA_2M, HPA_2M, 1, HPT_G_RWX);
    hpt_map(&g, GPA_1G, HPT_DRAM_BASE, 2, HPT_G_RWX);
    hpt_map(&g, GPA_USER0, hpa(page_a), 0, HPT_G_RWX & ~PTE_U);
    hpt_map(&g, GPA_XONLY, hpa(page_a), 0, (HPT_G_RWX & ~(PTE_R | PTE_W)));
    /* VS-stage leaves of three sizes onto them. */
    hpt_map(&vs, GVA_4K, GPA_4K, 0, HPT_VS_RWX);
    hpt_map(&vs, GVA_2M, GPA_2M, 1, HPT_VS_RWX);
    hpt_map(&vs, GVA_1G, GPA_1G, 2, HPT_VS_RWX);
    hpt_map(&vs, GVA_USER0, GPA_USER0, 0, HPT_VS_RWX);
    hpt_map(&vs, GVA_GXONLY, GPA_XONLY, 0, HPT_VS_RWX);
    hpt_map(&vs, GVA_VXONLY, GPA_4K, 0, HPT_VS_RWX & ~(PTE_R | PTE_W));
    hpt_map(&vs, GVA_VUSER, GPA_4K, 0, HPT_VS_RWX | PTE_U);
    fence_all();

    check(nm(": VS 4 KiB leaf over G-stage 4 KiB leaf"), vs_load(GVA_4K + 8), page_a[1]);
    check(nm(": VS 2 MiB leaf over G-stage 2 MiB leaf"), vs_load(GVA_2M + 0x1008), 0xc3c3c3c3UL + levels);
    check(nm(": VS 1 GiB leaf over G-stage 1 GiB leaf"), vs_load(GVA_1G + (hpa(page_b) - HPT_DRAM_BASE) + 8), page_b[1]);
    check(nm(": VS 4 KiB leaf over G-stage 1 GiB leaf (identity DRAM)"), vs_load(hpa(page_b) + 8), page_b[1]);
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_sd, GVA_4K + 16);
    check_no_htrap(nm(": VS store through both stages"));
    check(nm(": VS store reached the host page"), page_a[2], GVA_4K + 16);

    /* A G-stage leaf with U=0: "all memory accesses ... are considered to be user-level accesses",
     * so it faults; stval = the guest virtual address, htval/mtval2 = the guest physical one. */
    htrap_arm(RESUME_NEXT);
    vs_load(GVA_USER0 + 0x40);
    check_htrap(nm(": load through a G-stage leaf with U=0"), HLVL_M, EXC_LOAD_GUEST_PAGE, (uint64_t)(uintptr_t)h_probe_ld_insn,
                GVA_USER0 + 0x40, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": G-stage U=0 leaf"), GPA_USER0 + 0x40);
    check_htrap_gva(nm(": G-stage U=0 leaf"), 1);
    check_htrap_tinst(nm(": G-stage U=0 leaf"), tinst_transform_load(INSN_PROBE_LD, 0));

    /* "Guest-page faults": an implicit access for VS-stage translation that faults at the G-stage
     * reports the original access type, htval/mtval2 = the guest physical address of the PTE (or
     * 0), and then "the value written to mtinst or htinst must be taken from" the
     * pseudoinstructions (0x00003000 for an RV64 read); with mtval2 = 0 it may be 0 or the
     * transformed instruction. */
    uint64_t *slot = hpt_slot(&vs, GVA_IMPLICIT, 1);
    *slot = pte_make(GPA_HOLE, PTE_V);
    uint64_t pte_gpa = GPA_HOLE + ((GVA_IMPLICIT >> 12) & 511) * 8;
    __asm__ volatile(H_ASM("hfence.vvma") ::: "memory");
    htrap_arm(RESUME_NEXT);
    vs_load(GVA_IMPLICIT + 0x10);
    check_htrap(nm(": load whose VS-stage PTE is at an unmapped GPA"), HLVL_M, EXC_LOAD_GUEST_PAGE,
                (uint64_t)(uintptr_t)h_probe_ld_insn, GVA_IMPLICIT + 0x10, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": implicit PTE read fault: the PTE's address"), pte_gpa);
    check_htrap_gva(nm(": implicit PTE read fault"), 1);
    check_true(nm(": implicit PTE read fault: mtinst is the read pseudoinstruction when mtval2 is nonzero (else 0 or the transformed load)"),
               htrap_rec.tval2 ? htrap_rec.tinst == TINST_PSEUDO_READ64
                               : (htrap_rec.tinst == 0 || htrap_rec.tinst == TINST_PSEUDO_READ64 ||
                                  htrap_rec.tinst == tinst_transform_load(INSN_PROBE_LD, 0)));
    htrap_arm(RESUME_NEXT);
    h_call(H_VS, h_probe_sd, GVA_IMPLICIT + 0x18);
    check_htrap(nm(": store whose VS-stage PTE is at an unmapped GPA"), HLVL_M, EXC_STORE_GUEST_PAGE,
                (uint64_t)(uintptr_t)h_probe_sd_insn, GVA_IMPLICIT + 0x18, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": implicit PTE read fault on a store"), pte_gpa);
    check_true(nm(": implicit PTE read fault on a store: mtinst is the read pseudoinstruction when mtval2 is nonzero (else 0 or the transformed store)"),
               htrap_rec.tval2 ? htrap_rec.tinst == TINST_PSEUDO_READ64
                               : (htrap_rec.tinst == 0 || htrap_rec.tinst == TINST_PSEUDO_READ64 ||
                                  htrap_rec.tinst == tinst_transform_store(INSN_PROBE_SD, 0)));

    /* MXR (hypervisor.adoc "Two-Stage Address Translation"): "The vsstatus field MXR ... only
     * overrides VS-stage page protection"; "Setting MXR at HS-level, however, overrides both
     * VS-stage and G-stage execute-only permissions". */
    htrap_arm(RESUME_NEXT);
    vs_load(GVA_VXONLY + 8);
    check_htrap(nm(": load from a VS-stage execute-only page"), HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_VXONLY + 8, 0);
    csr_set(vsstatus, MSTATUS_MXR);
    check(nm(": VS-stage execute-only page readable with vsstatus.MXR=1"), vs_load(GVA_VXONLY + 8), page_a[1]);
    htrap_arm(RESUME_NEXT);
    vs_load(GVA_GXONLY + 8);
    check_htrap(nm(": G-stage execute-only page with vsstatus.MXR=1"), HLVL_M, EXC_LOAD_GUEST_PAGE, CHECK_SKIP, GVA_GXONLY + 8, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": G-stage execute-only page"), GPA_XONLY + 8);
    csr_clear(vsstatus, MSTATUS_MXR);
    csr_set(mstatus, MSTATUS_MXR);
    check(nm(": G-stage execute-only page readable with HS-level MXR=1"), vs_load(GVA_GXONLY + 8), page_a[1]);
    check(nm(": VS-stage execute-only page readable with HS-level MXR=1"), vs_load(GVA_VXONLY + 8), page_a[1]);
    csr_clear(mstatus, MSTATUS_MXR);

    /* SUM: vsstatus.SUM governs VS-mode access to VS-stage user pages; HS-level SUM does not
     * (hypervisor.adoc "Machine Status Registers": for VS-level accesses "vsstatus.SUM applies
     * instead of the HS-level SUM bit"). */
    csr_set(mstatus, MSTATUS_SUM);
    htrap_arm(RESUME_NEXT);
    vs_load(GVA_VUSER + 8);
    check_htrap(nm(": VS load from a VS-stage U=1 page, vsstatus.SUM=0"), HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_VUSER + 8, 0);
    check_htrap_gva(nm(": VS-stage page fault"), 1);
    csr_clear(mstatus, MSTATUS_SUM);
    csr_set(vsstatus, MSTATUS_SUM);
    check(nm(": VS load from a VS-stage U=1 page, vsstatus.SUM=1"), vs_load(GVA_VUSER + 8), page_a[1]);
    csr_clear(vsstatus, MSTATUS_SUM);

    /* The two extra guest-physical bits: a GPA just below 2^(VA bits + 2) is translated ... */
    unsigned vabits = 12 + 9 * levels;
    uint64_t gpa_low = (1UL << vabits) + 0x6000;
    uint64_t gpa_high = (1UL << (vabits + 1)) + 0x5000;
    hpt_map(&g, gpa_low, hpa(page_a), 0, HPT_G_RWX);
    hpt_map(&g, gpa_high, hpa(page_b), 0, HPT_G_RWX);
    __asm__ volatile(H_ASM("hfence.gvma") ::: "memory");
    csr_write(vsatp, 0);
    check(nm(": GPA with the lower x4 bit set (vsatp Bare)"), vs_load(gpa_low + 8), page_a[1]);
    check(nm(": GPA with the top x4 bit set (vsatp Bare)"), vs_load(gpa_high + 8), page_b[1]);
    /* ... and one at 2^(VA bits + 2) is too wide: "Address bits 63:41 must all be zeros, or else a
     * guest-page-fault exception occurs" (63:50, 63:59 for Sv48x4, Sv57x4). */
    uint64_t gpa_wide = (1UL << (vabits + 2)) + 0x10;
    htrap_arm(RESUME_NEXT);
    vs_load(gpa_wide);
    check_htrap(nm(": GPA wider than the G-stage mode"), HLVL_M, EXC_LOAD_GUEST_PAGE, CHECK_SKIP, gpa_wide, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": GPA too wide"), gpa_wide);
    csr_write(vsatp, vsatp);

    /* VU: VS-stage U=1 pages only (VU code runs from a VS table that maps DRAM with U=1). */
    struct hpt vsu;
    csr_write(vsatp, hpt_vsstage_identity(&vsu, levels, 1));
    *hpt_slot(&vsu, HPT_DRAM_BASE, 2) |= PTE_U;
    hpt_map(&vsu, GVA_4K, GPA_4K, 0, HPT_VS_RWX);
    hpt_map(&vsu, GVA_VUSER, GPA_4K, 0, HPT_VS_RWX | PTE_U);
    hpt_map(&vsu, GVA_USER0, GPA_USER0, 0, HPT_VS_RWX | PTE_U);
    fence_all();
    check(nm(": VU load from a VS-stage U=1 page"), load_in(H_VU, GVA_VUSER + 8), page_a[1]);
    htrap_arm(RESUME_NEXT);
    h_call(H_VU, h_probe_ld, GVA_4K + 8);
    check_htrap(nm(": VU load from a VS-stage U=0 page"), HLVL_M, EXC_LOAD_PAGE_FAULT, CHECK_SKIP, GVA_4K + 8, 0);
    check_htrap_prev(nm(": VU load from a VS-stage U=0 page"), 1, PRV_U);
    htrap_arm(RESUME_NEXT);
    h_call(H_VU, h_probe_ld, GVA_USER0 + 8);
    check_htrap(nm(": VU load through a G-stage U=0 leaf"), HLVL_M, EXC_LOAD_GUEST_PAGE, CHECK_SKIP, GVA_USER0 + 8, CHECK_SKIP);
    check_htrap_tval2_gpa(nm(": VU, G-stage U=0 leaf"), GPA_USER0 + 8);
    csr_write(vsatp, vsatp);
    fence_all();

    /* HFENCE.VVMA / HFENCE.GVMA (hypervisor.adoc "Hypervisor Memory-Management Fence
     * Instructions") make PTE changes visible. */
    check(nm(": before the VS PTE change"), vs_load(GVA_4K + 8), page_a[1]);
    hpt_map(&vs, GVA_4K, GPA_4K_B, 0, HPT_VS_RWX);
    __asm__ volatile(H_ASM("hfence.vvma %0, zero") : : "r"(GVA_4K) : "memory");
    check(nm(": VS PTE change seen after HFENCE.VVMA of its address"), vs_load(GVA_4K + 8), page_b[1]);
    hpt_map(&vs, GVA_4K, GPA_4K, 0, HPT_VS_RWX);
    __asm__ volatile(H_ASM("hfence.vvma") ::: "memory");
    check(nm(": VS PTE change back seen after HFENCE.VVMA"), vs_load(GVA_4K + 8), page_a[1]);
    hpt_map(&g, GPA_4K, hpa(page_b), 0, HPT_G_RWX);
    __asm__ volatile(H_ASM("hfence.gvma %0, zero") : : "r"(GPA_4K >> 2) : "memory");
    check(nm(": G-stage PTE change seen after HFENCE.GVMA of its GPA"), vs_load(GVA_4K + 8), page_b[1]);
    hpt_map(&g, GPA_4K, hpa(page_a), 0, HPT_G_RWX);
    __asm__ volatile(H_ASM("hfence.gvma") ::: "memory");
    check(nm(": G-stage PTE change back seen after HFENCE.GVMA"), vs_load(GVA_4K + 8), page_a[1]);

    /* A second guest (VMID 2) whose G-stage maps GPA_4K elsewhere; the VS tables are shared. */
    struct hpt g2;
    uint64_t hgatp2 = hpt_gstage_identity(&g2, levels, 2);
    hpt_map(&g2, GPA_4K, hpa(page_b), 0, HPT_G_RWX);
    uint64_t hgatp1 = csr_read(hgatp);
    csr_write(hgatp, hgatp2);
    __asm__ volatile(H_ASM("hfence.gvma zero, %0\n\thfence.vvma") : : "r"(2UL) : "memory");
    check(nm(": VMID 2 sees its own G-stage mapping"), vs_load(GVA_4K + 8), page_b[1]);
    csr_write(hgatp, hgatp1);
    __asm__ volatile(H_ASM("hfence.gvma zero, %0\n\thfence.vvma") : : "r"(1UL) : "memory");
    check(nm(": back to VMID 1"), vs_load(GVA_4K + 8), page_a[1]);
    h_reset();
}

int main(void)
{
    h_init();
    page_a = hpt_alloc_page();
    page_b = hpt_alloc_page();
    static const char *const tags[3] = {"Sv39 over Sv39x4", "Sv48 over Sv48x4", "Sv57 over Sv57x4"};
    for (unsigned levels = 3; levels <= 5; levels++) {
        check_true(name2(tags[levels - 3], ": hgatp accepts the mode"), mode_supported(levels));
        tag = tags[levels - 3];
        suite(levels);
    }
    return check_summary("h-translation");
}
