/*
 * h-csrs: the CSRs the hypervisor extension adds or changes (hypervisor.adoc "Hypervisor and
 * Virtual Supervisor CSRs", "Machine-Level CSRs"): misa.H, hstatus fields, hedeleg/hideleg
 * writable bits, mideleg's read-only-one VS bits, hvip/hip/hie/mip/vsip/vsie aliasing, the S->VS
 * CSR substitution when V=1, hgatp WARL rules, htimedelta, hcounteren, henvcfg, mtval2/mtinst.
 * Nothing printed depends on GEILEN or VMIDLEN, which the hart is read for. Exit code = failures.
 */
#include "hpriv.h"

static uint64_t popcount(uint64_t v)
{
    uint64_t n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* GEILEN from hgeie (hypervisor.adoc "Hypervisor Guest External Interrupt Registers"). */
static uint64_t geilen;

/* ---------------------------------------------------------------- misa, hstatus */

static void test_misa_hstatus(void)
{
    /* hypervisor.adoc: "The hypervisor extension is enabled by setting bit 7 in the misa CSR". */
    check("misa.H is set", (csr_read(misa) >> 7) & 1, 1);

    /* "Hypervisor Status (hstatus) Register": VSXL is WARL encoded like misa.MXL; VS-mode runs the
     * RV64 code of this program, so it reads 2 (64-bit). */
    check("hstatus.VSXL reads 2 (VSXLEN=64)", (csr_read(hstatus) & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT, 2);

    uint64_t saved = csr_read(hstatus);
    csr_write(hstatus, ~0UL);
    uint64_t all = csr_read(hstatus);
    csr_write(hstatus, saved);
    /* VTSR, VTW, VTVM, HU, SPVP, SPV and GVA are plain read/write bits; the WPRI fields are
     * read-only zero ("Implementations that do not furnish these fields must make them read-only
     * zero"); VGEIN, VSBE (WARL) and HUPMM (Ssnpm) are the implementation's and are left out. */
    uint64_t fixed = HSTATUS_VTSR | HSTATUS_VTW | HSTATUS_VTVM | HSTATUS_HU | HSTATUS_SPVP | HSTATUS_SPV | HSTATUS_GVA;
    check("hstatus: all-ones write sets exactly VTSR VTW VTVM HU SPVP SPV GVA outside VGEIN VSBE VSXL HUPMM",
          all & ~(HSTATUS_VGEIN | HSTATUS_VSBE | HSTATUS_VSXL | HSTATUS_HUPMM), fixed);
    uint64_t vsxl = (all & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT;
    check_true("hstatus.VSXL after writing 3 holds a legal XLEN encoding (1 or 2)", vsxl == 1 || vsxl == 2);
    check("hstatus.VSXL is 2 again after writing 2", (csr_read(hstatus) & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT, 2);

    /* "Hypervisor Guest External Interrupt Registers": bits GEILEN:1 of hgeie are writable, all
     * other bits read-only zero (bit 0 included). */
    csr_write(hgeie, ~0UL);
    uint64_t ge = csr_read(hgeie);
    csr_write(hgeie, 0);
    geilen = popcount(ge);
    check_true("hgeie: writable bits are GEILEN:1 (bit 0 read-only zero, no gaps)", (ge & 1) == 0 && ge == ((1UL << (geilen + 1)) - 2));
    check_true("GEILEN is at most 63", geilen <= 63);
    /* "VGEIN is a WLRL field that must be able to hold values between zero and ... GEILEN". */
    csr_clear(hstatus, HSTATUS_VGEIN);
    csr_set(hstatus, geilen << HSTATUS_VGEIN_SHIFT);
    check("hstatus.VGEIN holds GEILEN", (csr_read(hstatus) & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT, geilen);
    csr_clear(hstatus, HSTATUS_VGEIN);
    check("hstatus.VGEIN holds 0", csr_read(hstatus) & HSTATUS_VGEIN, 0);
    /* hgeip is read-only (CSR number 0xE12: bits 11:10 = 11). */
    check("hgeip reads 0 with no guest external interrupt pending", csr_read(hgeip), 0);
    htrap_arm(RESUME_NEXT);
    uint64_t at = H_AT("csrw hgeip, zero");
    check_htrap("csrw hgeip (read-only CSR) in M", HLVL_M, EXC_ILLEGAL, at, CHECK_SKIP, CHECK_SKIP);
}

/* ---------------------------------------------------------------- delegation registers */

static void test_delegation(void)
{
    /* hypervisor.adoc "Hypervisor Trap Delegation (hedeleg and hideleg) Registers", table of hedeleg
     * bits that must be writable or read-only zero. Bit 0 is writable only if IALIGN=32 (not with C). */
    const uint64_t must_write = 1UL << 1 | 1UL << 2 | 1UL << 3 | 1UL << 4 | 1UL << 5 | 1UL << 6 | 1UL << 7 | 1UL << 8 |
                                1UL << 12 | 1UL << 13 | 1UL << 15 | 1UL << 18 | 1UL << 19;
    const uint64_t must_zero = 1UL << 9 | 1UL << 10 | 1UL << 11 | 1UL << 16 | 1UL << 20 | 1UL << 21 | 1UL << 22 | 1UL << 23;
    csr_write(hedeleg, ~0UL);
    uint64_t he = csr_read(hedeleg);
    csr_write(hedeleg, 0);
    check("hedeleg: bits 1-8, 12, 13, 15, 18, 19 are writable", he & must_write, must_write);
    check("hedeleg: bits 9-11, 16, 20-23 (ecalls from HS/VS/M, double trap, guest-page faults, virtual instruction) are read-only zero",
          he & must_zero, 0);
    check("hedeleg reads 0 after writing 0", csr_read(hedeleg), 0);

    /* "Among bits 15:0 of hideleg, bits 10, 6, and 2 ... are writable, and bits 12, 9, 5, and 1 ...
     * are read-only zeros." */
    csr_write(hideleg, ~0UL);
    uint64_t hi = csr_read(hideleg);
    csr_write(hideleg, 0);
    check("hideleg: of bits 12, 10, 9, 6, 5, 2, 1 exactly 10, 6, 2 are writable", hi & 0x1666, 0x444);

    /* "Machine Interrupt Delegation (mideleg) Register": bits 10, 6 and 2 are read-only one; bit 12
     * is read-only one if GEILEN is nonzero. */
    csr_write(mideleg, 0);
    uint64_t md = csr_read(mideleg);
    check("mideleg: bits 10, 6, 2 (VS-level interrupts) read one after writing 0", md & 0x444, 0x444);
    check_true("mideleg: bit 12 (SGEI) reads one after writing 0 if GEILEN is nonzero", geilen == 0 || ((md >> 12) & 1));
}

/* ---------------------------------------------------------------- interrupt registers */

static void test_interrupt_registers(void)
{
    /* hypervisor.adoc "Hypervisor Interrupt (hvip, hip, and hie) Registers". */
    csr_write(hvip, ~0UL);
    uint64_t hv = csr_read(hvip);
    csr_write(hvip, 0);
    check("hvip: of bits 12:0 exactly VSEIP, VSTIP, VSSIP are writable", hv & 0x1fff, 0x444);

    csr_write(hie, ~0UL);
    uint64_t he = csr_read(hie);
    csr_write(hie, 0);
    /* "A bit in hie shall be writable if the corresponding interrupt can ever become pending in
     * hip"; "for each writable bit in sie, the corresponding bit shall be read-only zero in both
     * hip and hie". */
    check("hie: of bits 11:0 exactly VSEIE, VSTIE, VSSIE are writable (S-level bits read-only zero)", he & 0xfff, 0x444);
    check_true("hie: SGEIE is writable if GEILEN is nonzero", geilen == 0 || (he & MIP_SGEIP));

    /* "VSSIP in hip is an alias (writable) of the same bit in hvip"; mip's VS bits alias hip's
     * ("Machine Interrupt (mip and mie) Registers"). */
    csr_write(hvip, MIP_VSSIP);
    check("hvip.VSSIP=1 shows in hip.VSSIP", csr_read(hip) & MIP_VSSIP, MIP_VSSIP);
    check("hvip.VSSIP=1 shows in mip.VSSIP", csr_read(mip) & MIP_VSSIP, MIP_VSSIP);
    csr_clear(hip, MIP_VSSIP);
    check("clearing hip.VSSIP clears hvip.VSSIP", csr_read(hvip) & MIP_VSSIP, 0);
    csr_set(mip, MIP_VSSIP);
    check("setting mip.VSSIP sets hvip.VSSIP", csr_read(hvip) & MIP_VSSIP, MIP_VSSIP);
    csr_write(hvip, 0);

    csr_write(hvip, MIP_VSTIP);
    check("hvip.VSTIP=1 shows in hip.VSTIP", csr_read(hip) & MIP_VSTIP, MIP_VSTIP);
    check("hvip.VSTIP=1 shows in mip.VSTIP", csr_read(mip) & MIP_VSTIP, MIP_VSTIP);
    csr_clear(hip, MIP_VSTIP);
    check("hip.VSTIP is read-only (stays 1 while hvip.VSTIP=1)", csr_read(hip) & MIP_VSTIP, MIP_VSTIP);
    csr_write(hvip, MIP_VSEIP);
    check("hvip.VSEIP=1 shows in hip.VSEIP", csr_read(hip) & MIP_VSEIP, MIP_VSEIP);
    csr_clear(hip, MIP_VSEIP);
    check("hip.VSEIP is read-only (stays 1 while hvip.VSEIP=1)", csr_read(hip) & MIP_VSEIP, MIP_VSEIP);
    csr_write(hvip, 0);
    check("hip.VSTIP and hip.VSEIP clear with hvip (nothing else pending)", csr_read(hip) & (MIP_VSTIP | MIP_VSEIP), 0);
    /* "SGEIP is read-only in hip, and is 1 if and only if ... hgeip and hgeie is nonzero". */
    csr_set(hip, MIP_SGEIP);
    check("hip.SGEIP is read-only zero with no guest external interrupt pending", csr_read(hip) & MIP_SGEIP, 0);
    check("sip shows none of the VS-level bits (sip and hip are mutually exclusive)", csr_read(sip) & 0x1444, 0);

    /* "Virtual Supervisor Interrupt (vsip and vsie) Registers": with hideleg bit i zero the vsip/vsie
     * bit is read-only zero; with it set, vsip.SSIP/vsie.SSIE alias hip.VSSIP/hie.VSSIE. */
    csr_write(hvip, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
    check("vsip reads 0 while hideleg is 0", csr_read(vsip) & 0x222, 0);
    csr_write(hideleg, 0x444);
    check("vsip.SSIP aliases hip.VSSIP with hideleg.VSSI set", csr_read(vsip) & MIP_SSIP, MIP_SSIP);
    check("vsip.STIP aliases hip.VSTIP with hideleg.VSTI set", csr_read(vsip) & MIP_STIP, MIP_STIP);
    check("vsip.SEIP aliases hip.VSEIP with hideleg.VSEI set", csr_read(vsip) & MIP_SEIP, MIP_SEIP);
    csr_clear(vsip, MIP_SSIP);
    check("clearing vsip.SSIP clears hvip.VSSIP", csr_read(hvip) & MIP_VSSIP, 0);
    csr_write(vsie, MIP_SSIP | MIP_STIP | MIP_SEIP);
    check("vsie.SEIE/STIE/SSIE write hie.VSEIE/VSTIE/VSSIE", csr_read(hie) & 0x444, 0x444);
    check("hie.VS bits show in mie", csr_read(mie) & 0x444, 0x444);
    csr_write(hie, 0);
    check("vsie reads 0 after hie is cleared", csr_read(vsie) & 0x222, 0);
    csr_write(hideleg, 0);
    csr_write(hie, MIP_VSSIP);
    check("vsie.SSIE reads 0 while hideleg.VSSI is 0", csr_read(vsie) & MIP_SSIP, 0);
    csr_write(hie, 0);
    csr_write(hvip, 0);
}

/* ---------------------------------------------------------------- VS CSRs and the substitution */

extern char h_vs_stack_top[];
static volatile uint64_t vs_seen[8];

static uint64_t vs_csr_probe(uint64_t arg)
{
    (void)arg;
    /* hypervisor.adoc: "When V=1, the VS CSRs substitute for the corresponding supervisor CSRs".
     * sscratch is the VS trap stack pointer: restore it before anything can trap. */
    uint64_t sp_save = csr_read(sscratch);
    csr_write(sscratch, 0x5c5c);
    vs_seen[0] = sp_save;
    csr_write(sscratch, sp_save);
    vs_seen[1] = csr_read(sepc);
    csr_write(sepc, 0x80001230UL);
    vs_seen[2] = csr_read(scause);
    csr_write(scause, 7);
    vs_seen[3] = csr_read(stval);
    csr_write(stval, 0xabc);
    vs_seen[4] = csr_read(sstatus) & MSTATUS_SUM;
    vs_seen[5] = csr_read(satp);
    vs_seen[6] = csr_read(stvec);
    return 0;
}

/* The value written to sscratch in VS shows in vsscratch (read from VS through sscratch). */
static uint64_t vs_sscratch_roundtrip(uint64_t arg)
{
    uint64_t sp_save = csr_read(sscratch);
    csr_write(sscratch, arg);
    uint64_t v = csr_read(sscratch);
    csr_write(sscratch, sp_save);
    return v;
}

/* A satp write with an unsupported MODE in VS: "when V=1, a write to satp with an unsupported MODE
 * value is ignored and no write to vsatp is effected" (mode 1 is reserved). */
static uint64_t vs_satp_reserved_mode(uint64_t arg)
{
    csr_write(satp, 0x1000000000000000UL | arg);
    return csr_read(satp);
}

static void test_vs_csrs(void)
{
    uint64_t hs_sscratch = csr_read(sscratch);
    csr_write(vsepc, 0x80004440UL);
    csr_write(vscause, 13);
    csr_write(vstval, 0x1111);
    csr_write(sepc, 0x80009990UL);
    csr_write(scause, 5);
    csr_write(stval, 0x2222);
    csr_set(vsstatus, MSTATUS_SUM);
    csr_clear(sstatus, MSTATUS_SUM);
    csr_write(vsatp, 0);
    csr_write(satp, 0);
    h_call(H_VS, vs_csr_probe, 0);
    check("VS csrr sscratch reads vsscratch (the VS trap stack top)", vs_seen[0], (uint64_t)(uintptr_t)h_vs_stack_top);
    check("VS csrr sepc reads vsepc", vs_seen[1], 0x80004440UL);
    check("VS csrr scause reads vscause", vs_seen[2], 13);
    check("VS csrr stval reads vstval", vs_seen[3], 0x1111);
    check("VS csrr sstatus reads vsstatus (SUM set there, clear in HS sstatus)", vs_seen[4], MSTATUS_SUM);
    check("VS csrr satp reads vsatp", vs_seen[5], 0);
    check("VS csrr stvec reads vstvec", vs_seen[6] == csr_read(vstvec), 1);
    check("VS csrw sepc wrote vsepc", csr_read(vsepc), 0x80001230UL);
    check("VS csrw scause wrote vscause", csr_read(vscause), 7);
    check("VS csrw stval wrote vstval", csr_read(vstval), 0xabc);
    check("HS sepc untouched by VS", csr_read(sepc), 0x80009990UL);
    check("HS scause untouched by VS", csr_read(scause), 5);
    check("HS stval untouched by VS", csr_read(stval), 0x2222);
    check("HS sscratch untouched by VS", csr_read(sscratch), hs_sscratch);
    check("HS satp untouched by VS satp writes", csr_read(satp), 0);
    check("VS csrw sscratch writes vsscratch", h_call(H_VS, vs_sscratch_roundtrip, 0x600dUL), 0x600dUL);
    csr_clear(vsstatus, MSTATUS_SUM);

    csr_write(vsatp, 0);
    check("VS satp write with a reserved MODE is ignored (satp reads back unchanged)", h_call(H_VS, vs_satp_reserved_mode, 0x77), 0);
    check("... and vsatp is unchanged", csr_read(vsatp), 0);
}

/* ---------------------------------------------------------------- hgatp */

static uint64_t hgatp_root[4 * 512] __attribute__((aligned(16384)));

static void test_hgatp(void)
{
    uint64_t ppn = (uint64_t)(uintptr_t)hgatp_root >> 12;
    /* "the lowest two bits of the physical page number (PPN) in hgatp always read as zeros" in the
     * paged modes. */
    csr_write(hgatp, HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT | ppn | 3);
    uint64_t g = csr_read(hgatp);
    check("hgatp: Sv39x4 is supported", g >> HGATP_MODE_SHIFT, HGATP_MODE_SV39X4);
    check("hgatp: PPN[1:0] read as zero in Sv39x4", g & 3, 0);
    check("hgatp: PPN above bit 1 reads as written", g & HGATP_PPN_MASK & ~3UL, ppn);

    /* "The least-significant bits of VMID are implemented first"; VMIDMAX is 14 for Sv39x4. */
    csr_write(hgatp, HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT | HGATP_VMID_MASK | ppn);
    uint64_t vmid = (csr_read(hgatp) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
    check_true("hgatp: implemented VMID bits are the low VMIDLEN bits (VMIDLEN <= 14)", (vmid & (vmid + 1)) == 0);

    /* "A write to hgatp with an unsupported MODE value is not ignored as it is for satp. Instead,
     * the fields of hgatp are WARL in the normal way": MODE takes a supported value, and if that is
     * not Bare the (legal) PPN written is there. */
    uint64_t other = ppn + 4;   /* another 16-KiB-aligned PPN */
    csr_write(hgatp, HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT | ppn);
    csr_write(hgatp, 1UL << HGATP_MODE_SHIFT | other);
    g = csr_read(hgatp);
    uint64_t mode = g >> HGATP_MODE_SHIFT;
    check_true("hgatp: a reserved MODE write leaves MODE Bare, Sv39x4, Sv48x4 or Sv57x4", mode == 0 || (mode >= 8 && mode <= 10));
    check_true("hgatp: a reserved MODE write is not ignored (non-Bare MODE reads the new PPN)", mode == 0 || (g & HGATP_PPN_MASK) == other);
    csr_write(hgatp, 0);
    check("hgatp: Bare with zero fields reads 0", csr_read(hgatp), 0);
}

/* ---------------------------------------------------------------- htimedelta, counters */

static uint64_t read_time(uint64_t arg)
{
    (void)arg;
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

static void test_time_counters(void)
{
    /* hypervisor.adoc "Hypervisor Time Delta (htimedelta) Register": "reading the time CSR in VS or
     * VU mode returns the sum of the contents of htimedelta and the actual value of time". */
    const uint64_t deltas[2] = {1UL << 40, (uint64_t)-(int64_t)(1UL << 50)};
    for (int i = 0; i < 2; i++) {
        csr_write(htimedelta, deltas[i]);
        check("htimedelta reads back", csr_read(htimedelta), deltas[i]);
        uint64_t t0 = read_time(0);
        uint64_t tvs = h_call(H_VS, read_time, 0);
        uint64_t tvu = h_call(H_VU, read_time, 0);
        uint64_t t1 = read_time(0);
        check_true(i ? "VS time = time + htimedelta (negative delta)" : "VS time = time + htimedelta",
                   tvs - deltas[i] >= t0 && tvs - deltas[i] <= t1);
        check_true(i ? "VU time = time + htimedelta (negative delta)" : "VU time = time + htimedelta",
                   tvu - deltas[i] >= t0 && tvu - deltas[i] <= t1);
        uint64_t ths = h_call(H_HS, read_time, 0);
        check_true(i ? "HS time ignores htimedelta (negative delta)" : "HS time ignores htimedelta", ths >= t0 && ths <= read_time(0));
    }
    csr_write(htimedelta, 0);

    /* "The counter-enable register hcounteren is a 32-bit register". */
    csr_write(hcounteren, ~0UL);
    check("hcounteren is 32 bits wide", csr_read(hcounteren) >> 32, 0);
    csr_write(hcounteren, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR);
    check("hcounteren CY/TM/IR hold 1", csr_read(hcounteren) & 7, 7);
}

/* ---------------------------------------------------------------- henvcfg, mstatus, mtval2/mtinst */

static void test_misc(void)
{
    /* machine.adoc "Machine Environment Configuration Register (menvcfg)": "henvcfg.PBMTE is
     * read-only zero if menvcfg.PBMTE is zero", likewise ADUE, and (Sstc) STCE. */
    uint64_t menv = csr_read(menvcfg);
    const uint64_t PBMTE = 1UL << 62, ADUE = 1UL << 61, STCE = 1UL << 63;
    csr_clear(menvcfg, PBMTE | ADUE | STCE);
    csr_write(henvcfg, PBMTE | ADUE | STCE);
    uint64_t henv = csr_read(henvcfg);
    check("henvcfg.PBMTE reads 0 while menvcfg.PBMTE is 0", henv & PBMTE, 0);
    check("henvcfg.ADUE reads 0 while menvcfg.ADUE is 0", henv & ADUE, 0);
    check("henvcfg.STCE reads 0 while menvcfg.STCE is 0", henv & STCE, 0);
    csr_write(henvcfg, ~0UL);
    /* The henvcfg layout has WPRI bits 1 and 8..31 (hypervisor.adoc "Hypervisor Environment
     * Configuration Register (henvcfg)"). */
    check("henvcfg: WPRI bits 1 and 31:8 read zero", csr_read(henvcfg) & (0xffffff00UL | 2UL), 0);
    csr_write(henvcfg, 0);
    csr_write(menvcfg, menv);

    /* hypervisor.adoc "Machine Status (mstatus and mstatush) Registers": MPV and GVA are fields of
     * mstatus for MXLEN=64. */
    csr_set(mstatus, MSTATUS_MPV | MSTATUS_GVA);
    check("mstatus.MPV and mstatus.GVA are writable", csr_read(mstatus) & (MSTATUS_MPV | MSTATUS_GVA), MSTATUS_MPV | MSTATUS_GVA);
    csr_clear(mstatus, MSTATUS_MPV | MSTATUS_GVA);
    check("mstatus.MPV and mstatus.GVA clear", csr_read(mstatus) & (MSTATUS_MPV | MSTATUS_GVA), 0);

    /* "The hypervisor extension ... adds CSRs mtval2 and mtinst"; both must hold zero. */
    htrap_arm(RESUME_NEXT);
    csr_write(mtval2, 0);
    csr_write(mtinst, 0);
    csr_write(htval, 0);
    csr_write(htinst, 0);
    check_no_htrap("mtval2, mtinst, htval, htinst exist in M");
    check("mtval2 holds 0", csr_read(mtval2), 0);
    check("mtinst holds 0", csr_read(mtinst), 0);
    check("htval holds 0", csr_read(htval), 0);
    check("htinst holds 0", csr_read(htinst), 0);
}

int main(void)
{
    h_init();
    test_misa_hstatus();
    h_reset();
    test_delegation();
    h_reset();
    test_interrupt_registers();
    h_reset();
    test_vs_csrs();
    h_reset();
    test_hgatp();
    h_reset();
    test_time_counters();
    h_reset();
    test_misc();
    return check_summary("h-csrs");
}
