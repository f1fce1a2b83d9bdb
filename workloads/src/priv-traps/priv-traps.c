/*
 * priv-traps: synchronous traps and privilege transitions without address translation
 * (machine.adoc "Machine-Level ISA", supervisor.adoc "Supervisor-Level ISA"): ECALL from each
 * mode, illegal instructions and their mtval, EBREAK, access faults on unmapped physical memory,
 * MRET/SRET and their xPP/xPIE updates, mtvec/stvec Direct vs Vectored, medeleg delegation,
 * TSR/TW/TVM, CSR privilege and the counter enables. One line per check; exit code = failures.
 */
#include "priv.h"

/* Executes `insn` at a local label and returns the label's address (the expected epc). */
#define AT(insn)                                                                              \
    ({                                                                                        \
        uint64_t at_;                                                                         \
        __asm__ volatile("la %0, 1f\n1:\t" insn : "=&r"(at_) : : "t0", "t1", "memory"); \
        at_;                                                                                  \
    })

/* Physical addresses with nothing behind them on QEMU virt and on rvhsim. */
#define UNMAPPED_PA 0x800000UL

/* Encodings whose bits mtval must report (machine.adoc "Machine Trap Value Register"). */
#define INSN_CSRW_CYCLE 0xc0001073u   /* csrrw x0, cycle, x0: write to a read-only CSR */
#define INSN_CUSTOM0    0x0000000bu   /* custom-0 major opcode: no extension defines it here */
#define INSN_C_LWSP_X0  0x4002u       /* c.lwsp with rd=x0: reserved (zca.adoc) */
#define INSN_C_JR_X0    0x8002u       /* c.jr with rs1=x0: reserved */
#define INSN_C_UNIMP    0x0000u       /* all-zero 16-bit: defined illegal */
#define INSN_SRET       0x10200073u
#define INSN_MRET       0x30200073u
#define INSN_WFI        0x10500073u
#define INSN_SFENCE_VMA 0x12000073u

extern char vec_table_m[], vec_table_s[];
extern volatile uint64_t vec_slot_m, vec_slot_s;
void priv_m_trap_entry(void);
void priv_s_trap_entry(void);

static uint32_t insn_at(uint64_t pc)
{
    uint16_t lo = *(volatile uint16_t *)(uintptr_t)pc;
    if (insn_length(lo) == 2)
        return lo;
    return lo | (uint32_t)*(volatile uint16_t *)(uintptr_t)(pc + 2) << 16;
}

/* ---------------------------------------------------------------- ECALL */

static uint64_t do_ecall(uint64_t arg)
{
    (void)arg;
    return AT("ecall");
}

static void test_ecall(void)
{
    uint64_t at;
    trap_arm(RESUME_NEXT);
    at = do_ecall(0);
    check_trap("ecall from M", PRV_M, EXC_ECALL_M, at, 0);

    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_ecall, 0);
    check_trap("ecall from S", PRV_M, EXC_ECALL_S, at, 0);
    check("ecall from S: mstatus.MPP = S", MSTATUS_MPP_FIELD(trap_rec.status), PRV_S);

    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_ecall, 0);
    check_trap("ecall from U", PRV_M, EXC_ECALL_U, at, 0);
    check("ecall from U: mstatus.MPP = U", MSTATUS_MPP_FIELD(trap_rec.status), PRV_U);
}

/* ---------------------------------------------------------------- illegal instruction, EBREAK */

static void test_illegal_and_ebreak(void)
{
    uint64_t at;
    trap_arm(RESUME_NEXT);
    at = AT(".word 0xc0001073");
    check_trap("csrw cycle (read-only CSR) in M", PRV_M, EXC_ILLEGAL, at, INSN_CSRW_CYCLE);

    trap_arm(RESUME_NEXT);
    at = AT(".word 0x0000000b");
    check_trap("custom-0 opcode in M", PRV_M, EXC_ILLEGAL, at, INSN_CUSTOM0);

    trap_arm(RESUME_NEXT);
    at = AT(".half 0x4002");
    check_trap("c.lwsp rd=x0 (reserved) in M", PRV_M, EXC_ILLEGAL, at, INSN_C_LWSP_X0);

    trap_arm(RESUME_NEXT);
    at = AT(".half 0x8002");
    check_trap("c.jr rs1=x0 (reserved) in M", PRV_M, EXC_ILLEGAL, at, INSN_C_JR_X0);

    trap_arm(RESUME_NEXT);
    at = AT(".half 0x0000");
    check_trap("16-bit all-zero instruction in M", PRV_M, EXC_ILLEGAL, at, INSN_C_UNIMP);

    /* machine.adoc: on EBREAK, mtval is written with either zero or the instruction's address. */
    trap_arm(RESUME_NEXT);
    at = AT(".word 0x00100073");
    check_trap("ebreak in M", PRV_M, EXC_BREAKPOINT, at, CHECK_SKIP);
    check("ebreak in M: mtval is 0 or the pc", trap_rec.tval == 0 || trap_rec.tval == at, 1);

    trap_arm(RESUME_NEXT);
    at = AT(".half 0x9002");
    check_trap("c.ebreak in M", PRV_M, EXC_BREAKPOINT, at, CHECK_SKIP);
    check("c.ebreak in M: mtval is 0 or the pc", trap_rec.tval == 0 || trap_rec.tval == at, 1);
}

/* ---------------------------------------------------------------- access faults */

static uint64_t do_load_unmapped(uint64_t arg)
{
    (void)arg;
    return load64(UNMAPPED_PA);
}

static void test_access_faults(void)
{
    trap_arm(RESUME_NEXT);
    load64(UNMAPPED_PA);
    check_trap("load from unmapped physical memory", PRV_M, EXC_LOAD_ACCESS, CHECK_SKIP, UNMAPPED_PA);

    trap_arm(RESUME_NEXT);
    load32(UNMAPPED_PA + 0x1234);
    check_trap("lwu from unmapped physical memory", PRV_M, EXC_LOAD_ACCESS, CHECK_SKIP, UNMAPPED_PA + 0x1234);

    trap_arm(RESUME_NEXT);
    store64(UNMAPPED_PA + 8, 1);
    check_trap("store to unmapped physical memory", PRV_M, EXC_STORE_ACCESS, CHECK_SKIP, UNMAPPED_PA + 8);

    /* A fetch fault reports the target in both mepc and mtval; resume at the caller. */
    trap_arm(RESUME_RA);
    call_addr(UNMAPPED_PA + 0x40, 0);
    check_trap("fetch from unmapped physical memory", PRV_M, EXC_FETCH_ACCESS, UNMAPPED_PA + 0x40, UNMAPPED_PA + 0x40);

    trap_arm(RESUME_NEXT);
    run_in_mode(PRV_S, do_load_unmapped, 0);
    check_trap("load from unmapped physical memory in S", PRV_M, EXC_LOAD_ACCESS, CHECK_SKIP, UNMAPPED_PA);
    check("load access fault in S: mstatus.MPP = S", MSTATUS_MPP_FIELD(trap_rec.status), PRV_S);
}

/* ---------------------------------------------------------------- MRET / SRET */

/* MRET with MPP=M: MIE <- MPIE, MPIE <- 1, MPP <- U; MPRV is kept because the new mode is M. */
static uint64_t mret_to_m(int mpie)
{
    uint64_t st;
    csr_clear(mstatus, MSTATUS_MIE);
    csr_set(mstatus, MSTATUS_MPP | MSTATUS_MPRV);
    if (mpie)
        csr_set(mstatus, MSTATUS_MPIE);
    else
        csr_clear(mstatus, MSTATUS_MPIE);
    __asm__ volatile("la t0, 1f\n"
                     "csrw mepc, t0\n"
                     "mret\n"
                     "1: csrr %0, mstatus\n"
                     "li t0, %1\n"
                     "csrc mstatus, t0\n"
                     : "=&r"(st)
                     : "i"(MSTATUS_MPRV | MSTATUS_MIE)
                     : "t0", "memory");
    return st;
}

/* Runs in M: SRET from M to S with SPIE=1, SIE=0; S then returns through the stub. */
static uint64_t m_sret_to_s(uint64_t arg)
{
    (void)arg;
    csr_set(sstatus, MSTATUS_SPP | MSTATUS_SPIE);
    csr_clear(sstatus, MSTATUS_SIE);
    csr_write(sepc, (uint64_t)(uintptr_t)priv_return_stub);
    __asm__ volatile("sret" ::: "memory");
    __builtin_unreachable();
}

/* Runs in S: SRET to U with SPIE=1, SIE=0; U returns through the stub (ECALL from U to M). */
static uint64_t s_sret_to_u(uint64_t arg)
{
    (void)arg;
    csr_clear(sstatus, MSTATUS_SPP | MSTATUS_SIE);
    csr_set(sstatus, MSTATUS_SPIE);
    csr_write(sepc, (uint64_t)(uintptr_t)priv_return_stub);
    __asm__ volatile("sret" ::: "memory");
    __builtin_unreachable();
}

static uint64_t do_mret(uint64_t arg)
{
    (void)arg;
    return AT(".word 0x30200073");
}

static uint64_t do_sret(uint64_t arg)
{
    (void)arg;
    return AT(".word 0x10200073");
}

static void test_xret(void)
{
    uint64_t st = mret_to_m(1);
    check("mret to M, MPIE=1: MIE = 1", (st & MSTATUS_MIE) != 0, 1);
    check("mret to M, MPIE=1: MPIE = 1", (st & MSTATUS_MPIE) != 0, 1);
    check("mret to M: MPP = U (least-privileged mode)", MSTATUS_MPP_FIELD(st), PRV_U);
    check("mret to M: MPRV kept", (st & MSTATUS_MPRV) != 0, 1);
    st = mret_to_m(0);
    check("mret to M, MPIE=0: MIE = 0", (st & MSTATUS_MIE) != 0, 0);
    check("mret to M, MPIE=0: MPIE = 1", (st & MSTATUS_MPIE) != 0, 1);

    /*
     * MRET to S with MPIE=1, MIE=0; S's return ECALL shows what MRET did. (That an xRET to a mode
     * below M also clears MPRV is not checked: QEMU 7.2 keeps MPRV, see README.)
     */
    csr_clear(mstatus, MSTATUS_MIE);
    csr_set(mstatus, MSTATUS_MPIE);
    priv_enter_m(PRV_S, (uint64_t)(uintptr_t)priv_return_stub, 0, 0, 0);
    st = priv_return_status;
    check("mret to S: the next trap comes from S (MPP = S)", MSTATUS_MPP_FIELD(st), PRV_S);
    check("mret to S: MIE was set from MPIE (MPIE at the next trap = 1)", (st & MSTATUS_MPIE) != 0, 1);
    check("back in M: MIE restored to 0", (csr_read(mstatus) & MSTATUS_MIE) != 0, 0);

    run_in_mode(PRV_M, m_sret_to_s, 0);
    st = priv_return_status;
    check("sret from M to S: the next trap comes from S", MSTATUS_MPP_FIELD(st), PRV_S);
    check("sret from M to S: SIE <- SPIE (1)", (st & MSTATUS_SIE) != 0, 1);
    check("sret from M to S: SPIE <- 1", (st & MSTATUS_SPIE) != 0, 1);
    check("sret from M to S: SPP <- U", (st & MSTATUS_SPP) != 0, 0);

    run_in_mode(PRV_S, s_sret_to_u, 0);
    st = priv_return_status;
    check("sret from S to U: the next trap comes from U", MSTATUS_MPP_FIELD(st), PRV_U);
    check("sret from S to U: SIE <- SPIE (1)", (st & MSTATUS_SIE) != 0, 1);
    check("sret from S to U: SPIE <- 1", (st & MSTATUS_SPIE) != 0, 1);
    csr_clear(sstatus, MSTATUS_SIE);

    uint64_t at;
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_mret, 0);
    check_trap("mret in S", PRV_M, EXC_ILLEGAL, at, INSN_MRET);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_mret, 0);
    check_trap("mret in U", PRV_M, EXC_ILLEGAL, at, INSN_MRET);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_sret, 0);
    check_trap("sret in U", PRV_M, EXC_ILLEGAL, at, INSN_SRET);
}

/* ---------------------------------------------------------------- mtvec / stvec modes */

static volatile uint64_t irq_cause;
static volatile int irq_level;
static volatile int irq_count;

/* Takes MSI and SSI: records the cause and clears the source. */
static int irq_hook(struct priv_frame *f, int level)
{
    if (!(f->cause & CAUSE_INTERRUPT))
        return 0;
    irq_cause = f->cause;
    irq_level = level;
    irq_count++;
    switch (f->cause & ~CAUSE_INTERRUPT) {
    case IRQ_MSI:
        msip_write(0);
        break;
    case IRQ_SSI:
        if (level == PRV_S)
            csr_clear(sip, MIP_SSIP);
        else
            csr_clear(mip, MIP_SSIP);
        break;
    default:
        return 0;
    }
    return 1;
}

/* Raises MSI with MIE=1 and waits (bounded) for the handler. */
static void machine_software_interrupt(void)
{
    irq_count = 0;
    csr_write(mie, MIP_MSIP);
    csr_set(mstatus, MSTATUS_MIE);
    msip_write(1);
    for (int i = 0; i < 100000 && irq_count == 0; i++)
        __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
}

/* Runs in S: raises SSI through sip.SSIP with SIE=1 and waits for the S-mode handler. */
static uint64_t s_raise_ssi(uint64_t arg)
{
    (void)arg;
    irq_count = 0;
    csr_set(sie, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_set(sip, MIP_SSIP);
    for (int i = 0; i < 100000 && irq_count == 0; i++)
        __asm__ volatile("nop");
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, MIP_SSIP);
    return irq_count;
}

static void test_vectored(void)
{
    priv_set_hook(irq_hook);
    uint64_t base = (uint64_t)(uintptr_t)vec_table_m;

    csr_write(mtvec, base | 1);
    check("mtvec MODE=Vectored is kept", csr_read(mtvec), base | 1);
    vec_slot_m = 99;
    trap_arm(RESUME_NEXT);
    uint64_t at = AT("ecall");
    check_trap("vectored mtvec: ecall", PRV_M, EXC_ECALL_M, at, 0);
    check("vectored mtvec: an exception enters at BASE", vec_slot_m, 0);

    vec_slot_m = 99;
    machine_software_interrupt();
    check("vectored mtvec: MSI taken", irq_cause, CAUSE_INTERRUPT | IRQ_MSI);
    check("vectored mtvec: MSI enters at BASE + 4*3", vec_slot_m, IRQ_MSI);

    csr_write(mtvec, base);
    vec_slot_m = 99;
    machine_software_interrupt();
    check("direct mtvec: MSI taken", irq_cause, CAUSE_INTERRUPT | IRQ_MSI);
    check("direct mtvec: an interrupt enters at BASE", vec_slot_m, 0);
    csr_write(mtvec, (uint64_t)(uintptr_t)priv_m_trap_entry);

    uint64_t sbase = (uint64_t)(uintptr_t)vec_table_s;
    csr_write(stvec, sbase | 1);
    check("stvec MODE=Vectored is kept", csr_read(stvec), sbase | 1);
    csr_write(mideleg, MIP_SSIP);
    vec_slot_s = 99;
    irq_level = -1;
    run_in_mode(PRV_S, s_raise_ssi, 0);
    check("vectored stvec: delegated SSI taken in S", (uint64_t)irq_level, PRV_S);
    check("vectored stvec: scause", irq_cause, CAUSE_INTERRUPT | IRQ_SSI);
    check("vectored stvec: SSI enters at BASE + 4*1", vec_slot_s, IRQ_SSI);
    csr_write(mideleg, 0);
    csr_write(stvec, (uint64_t)(uintptr_t)priv_s_trap_entry);
    priv_set_hook(0);
}

/* ---------------------------------------------------------------- medeleg */

static uint64_t do_ebreak(uint64_t arg)
{
    (void)arg;
    return AT(".word 0x00100073");
}

static uint64_t do_illegal(uint64_t arg)
{
    (void)arg;
    return AT(".word 0xc0001073");
}

static void test_delegation(void)
{
    uint64_t at;

    /* supervisor.adoc "Supervisor Status Register": a trap into S sets SPP, SPIE <- SIE, SIE <- 0. */
    csr_write(medeleg, 1UL << EXC_ECALL_U);
    csr_set(sstatus, MSTATUS_SIE);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_ecall, 0);
    check_trap("ecall from U, medeleg[8]=1", PRV_S, EXC_ECALL_U, at, 0);
    check("ecall from U delegated: sstatus.SPP = U", (trap_rec.status & MSTATUS_SPP) != 0, 0);
    check("ecall from U delegated: sstatus.SPIE = old SIE (1)", (trap_rec.status & MSTATUS_SPIE) != 0, 1);
    check("ecall from U delegated: sstatus.SIE = 0", (trap_rec.status & MSTATUS_SIE) != 0, 0);
    csr_clear(sstatus, MSTATUS_SIE);

    csr_write(medeleg, 1UL << EXC_ECALL_S);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_ecall, 0);
    check_trap("ecall from S, medeleg[9]=1", PRV_S, EXC_ECALL_S, at, 0);
    check("ecall from S delegated: sstatus.SPP = S", (trap_rec.status & MSTATUS_SPP) != 0, 1);
    check("ecall from S delegated: sstatus.SPIE = old SIE (0)", (trap_rec.status & MSTATUS_SPIE) != 0, 0);

    csr_write(medeleg, 1UL << EXC_ILLEGAL);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_illegal, 0);
    check_trap("illegal instruction in S, medeleg[2]=1", PRV_S, EXC_ILLEGAL, at, INSN_CSRW_CYCLE);

    csr_write(medeleg, 1UL << EXC_BREAKPOINT);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_ebreak, 0);
    check_trap("ebreak in U, medeleg[3]=1", PRV_S, EXC_BREAKPOINT, at, CHECK_SKIP);
    check("ebreak in U delegated: stval is 0 or the pc", trap_rec.tval == 0 || trap_rec.tval == at, 1);

    /* machine.adoc "Machine Trap Delegation Registers": traps never go to a less-privileged mode. */
    csr_write(medeleg, ~0UL);
    trap_arm(RESUME_NEXT);
    at = do_illegal(0);
    check_trap("illegal instruction in M, medeleg all ones", PRV_M, EXC_ILLEGAL, at, INSN_CSRW_CYCLE);
    trap_arm(RESUME_NEXT);
    at = do_ecall(0);
    check_trap("ecall from M, medeleg all ones", PRV_M, EXC_ECALL_M, at, 0);
    trap_arm(RESUME_NEXT);
    load64(UNMAPPED_PA);
    check_trap("load access fault in M, medeleg all ones", PRV_M, EXC_LOAD_ACCESS, CHECK_SKIP, UNMAPPED_PA);
    csr_write(medeleg, 0);

}

/* ---------------------------------------------------------------- TSR, TW, TVM */

static uint64_t do_wfi(uint64_t arg)
{
    (void)arg;
    return AT(".word 0x10500073");
}

static uint64_t do_sfence(uint64_t arg)
{
    (void)arg;
    return AT(".word 0x12000073");
}

static uint64_t do_read_satp(uint64_t arg)
{
    (void)arg;
    return AT("csrr t0, satp");
}

static void test_virtualization_traps(void)
{
    uint64_t at;
    csr_set(mstatus, MSTATUS_TSR);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_sret, 0);
    check_trap("sret in S with TSR=1", PRV_M, EXC_ILLEGAL, at, INSN_SRET);
    csr_clear(mstatus, MSTATUS_TSR);

    csr_set(mstatus, MSTATUS_TW);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_wfi, 0);
    check_trap("wfi in S with TW=1", PRV_M, EXC_ILLEGAL, at, INSN_WFI);
    csr_clear(mstatus, MSTATUS_TW);

    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_U, do_wfi, 0);
    check_trap("wfi in U with TW=0", PRV_M, EXC_ILLEGAL, at, INSN_WFI);

    trap_arm(RESUME_NEXT);
    run_in_mode(PRV_S, do_read_satp, 0);
    check_no_trap("csrr satp in S with TVM=0");
    trap_arm(RESUME_NEXT);
    run_in_mode(PRV_S, do_sfence, 0);
    check_no_trap("sfence.vma in S with TVM=0");

    csr_set(mstatus, MSTATUS_TVM);
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_read_satp, 0);
    check_trap("csrr satp in S with TVM=1", PRV_M, EXC_ILLEGAL, at, insn_at(at));
    trap_arm(RESUME_NEXT);
    at = run_in_mode(PRV_S, do_sfence, 0);
    check_trap("sfence.vma in S with TVM=1", PRV_M, EXC_ILLEGAL, at, INSN_SFENCE_VMA);
    trap_arm(RESUME_NEXT);
    do_read_satp(0);
    check_no_trap("csrr satp in M with TVM=1");
    csr_clear(mstatus, MSTATUS_TVM);
}

/* ---------------------------------------------------------------- CSR privilege */

#define CSR_PROBE(fn, insn)               \
    static uint64_t fn(uint64_t arg)      \
    {                                     \
        (void)arg;                        \
        return AT(insn);                  \
    }
CSR_PROBE(rd_mstatus, "csrr t0, mstatus")
CSR_PROBE(rd_mhartid, "csrr t0, mhartid")
CSR_PROBE(wr_medeleg, "csrw medeleg, zero")
CSR_PROBE(rd_mscratch, "csrr t0, mscratch")
CSR_PROBE(rd_sstatus, "csrr t0, sstatus")
CSR_PROBE(rd_sscratch, "csrr t0, sscratch")
CSR_PROBE(wr_stvec, "csrw stvec, t0")
CSR_PROBE(rd_sepc, "csrr t0, sepc")

struct csr_case {
    const char *name;
    int prv;
    priv_fn fn;
    int illegal;
};

static void test_csr_privilege(void)
{
    static const struct csr_case cases[] = {
        {"csrr mstatus in S", PRV_S, rd_mstatus, 1},
        {"csrr mhartid in S", PRV_S, rd_mhartid, 1},
        {"csrw medeleg in S", PRV_S, wr_medeleg, 1},
        {"csrr mscratch in S", PRV_S, rd_mscratch, 1},
        {"csrr sstatus in S", PRV_S, rd_sstatus, 0},
        {"csrr sscratch in S", PRV_S, rd_sscratch, 0},
        {"csrr sepc in S", PRV_S, rd_sepc, 0},
        {"csrr sstatus in U", PRV_U, rd_sstatus, 1},
        {"csrr sscratch in U", PRV_U, rd_sscratch, 1},
        {"csrw stvec in U", PRV_U, wr_stvec, 1},
        {"csrr mstatus in U", PRV_U, rd_mstatus, 1},
        {"csrr satp in U", PRV_U, do_read_satp, 1},
    };
    uint64_t saved_sscratch = csr_read(sscratch);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct csr_case *c = &cases[i];
        trap_arm(RESUME_NEXT);
        uint64_t at = run_in_mode(c->prv, c->fn, 0);
        if (c->illegal)
            check_trap(c->name, PRV_M, EXC_ILLEGAL, at, insn_at(at));
        else
            check_no_trap(c->name);
    }
    csr_write(sscratch, saved_sscratch);
}

/* ---------------------------------------------------------------- counter enables */

CSR_PROBE(rd_cycle, "rdcycle t0")
CSR_PROBE(rd_time, "rdtime t0")
CSR_PROBE(rd_instret, "rdinstret t0")

/* zicntr.adoc / machine.adoc "Counter-Enable Registers": only trap vs no trap, never values. */
static void counter_case(const char *name, int prv, priv_fn fn, int illegal)
{
    trap_arm(RESUME_NEXT);
    uint64_t at = run_in_mode(prv, fn, 0);
    if (illegal)
        check_trap(name, PRV_M, EXC_ILLEGAL, at, insn_at(at));
    else
        check_no_trap(name);
}

static void test_counters(void)
{
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
    counter_case("rdcycle in S, mcounteren.CY=0", PRV_S, rd_cycle, 1);
    counter_case("rdtime in S, mcounteren.TM=0", PRV_S, rd_time, 1);
    counter_case("rdinstret in S, mcounteren.IR=0", PRV_S, rd_instret, 1);
    counter_case("rdcycle in U, mcounteren.CY=0", PRV_U, rd_cycle, 1);
    trap_arm(RESUME_NEXT);
    rd_cycle(0);
    rd_time(0);
    rd_instret(0);
    check_no_trap("rdcycle/rdtime/rdinstret in M with mcounteren=0");

    csr_write(mcounteren, 7);
    counter_case("rdcycle in S, mcounteren.CY=1", PRV_S, rd_cycle, 0);
    counter_case("rdtime in S, mcounteren.TM=1", PRV_S, rd_time, 0);
    counter_case("rdinstret in S, mcounteren.IR=1", PRV_S, rd_instret, 0);
    counter_case("rdcycle in U, scounteren.CY=0", PRV_U, rd_cycle, 1);
    counter_case("rdtime in U, scounteren.TM=0", PRV_U, rd_time, 1);
    counter_case("rdinstret in U, scounteren.IR=0", PRV_U, rd_instret, 1);

    csr_write(scounteren, 1);
    counter_case("rdcycle in U, mcounteren.CY=1 scounteren.CY=1", PRV_U, rd_cycle, 0);
    counter_case("rdtime in U, scounteren.TM=0", PRV_U, rd_time, 1);
    csr_write(scounteren, 7);
    counter_case("rdtime in U, mcounteren.TM=1 scounteren.TM=1", PRV_U, rd_time, 0);
    counter_case("rdinstret in U, mcounteren.IR=1 scounteren.IR=1", PRV_U, rd_instret, 0);
    csr_write(mcounteren, 5);
    counter_case("rdtime in U, mcounteren.TM=0 scounteren.TM=1", PRV_U, rd_time, 1);
    counter_case("rdtime in S, mcounteren.TM=0", PRV_S, rd_time, 1);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
}

int main(void)
{
    priv_init();
    test_ecall();
    test_illegal_and_ebreak();
    test_access_faults();
    test_xret();
    test_vectored();
    test_delegation();
    test_virtualization_traps();
    test_csr_privilege();
    test_counters();
    return check_summary("priv-traps");
}
