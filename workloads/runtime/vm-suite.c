/*
 * Paging checks shared by priv-sv39/48/57 (vm-suite.h), following supervisor.adoc "Virtual Address
 * Translation Process": leaf sizes from 4 KiB up to the largest the mode has, upper-half addresses,
 * a page fault for every step of the walk that can fail, U/SUM/MXR, A/D handling, SFENCE.VMA, MPRV
 * from M-mode, and satp's WARL MODE field. Page faults are delegated to S (medeleg) and checked
 * there (scause/stval); the suite itself runs in S-mode with translation on.
 *
 * Virtual layout (the same for every mode; no G bits, ASID 0):
 *   0x0000_0000  1 GiB  -> PA 0            RW      devices (UART, CLINT, PLIC, finisher)
 *   0x4000_0000  4 KiB and 2 MiB test mappings (TEST_PAGE(n), VA_SUPER, VA_MISALIGNED_2M)
 *   0x8000_0000  1 GiB  -> PA 0x8000_0000  RWX     the program, identity-mapped for S
 *   0xc000_0000  1 GiB  -> PA 0x8000_0000  RWX U   the program as U-mode sees it (U_OFF)
 *   VA_GIGA      1 GiB  -> PA 0x8000_0000  RW      gigapage check
 *   VA_HIGH_*    upper half (negative addresses): a gigapage and the last 4 KiB page
 *   2^39 / 2^48  512 GiB (Sv48, Sv57) / 256 TiB (Sv57) leaves -> PA 0
 */
#include "vm-suite.h"
#include "priv.h"
#include "pt.h"

#define GIB (1UL << 30)
#define MIB (1UL << 20)

#define VA_IO            0x0UL
#define VA_TEST          0x40000000UL
#define VA_KERNEL        0x80000000UL
#define VA_USER          0xc0000000UL
#define U_OFF            (VA_USER - VA_KERNEL)
#define VA_GIGA          0x100000000UL
#define VA_UNMAPPED_GIGA 0x140000000UL
#define VA_MISALIGNED_1G 0x180000000UL
#define VA_HIGH_GIGA     0xffffffff80000000UL
#define VA_HIGH_PAGE     0xfffffffffffff000UL
#define VA_512G          (1UL << 39)
#define VA_256T          (1UL << 48)
#define VA_SUPER         (VA_TEST + 6 * MIB)   /* 2 MiB leaf -> SUPER_PA */
#define VA_MISALIGNED_2M (VA_TEST + 8 * MIB)   /* 2 MiB leaf with PPN[0] != 0 */

/* A 2 MiB-aligned DRAM region past the program image (QEMU virt has 128 MiB from 0x80000000). */
#define SUPER_PA    0x80600000UL
#define SUPER_OFF   0x12340UL
#define MAGIC_SUPER 0x5e5e5e5e00c0ffeeUL
#define MAGIC1      0x1111111111111111UL
#define MAGIC2      0x2222222222222222UL

/* 4 KiB test pages, VA_TEST + n * 4 KiB. */
enum {
    P_RW, P_INVALID, P_XONLY, P_RO, P_CODE, P_NOEXEC, P_USER, P_UCODE, P_UXONLY, P_URO, P_WONLY,
    P_WX, P_POINTER, P_RESERVED, P_SWAP, P_AD, P_ADCODE, P_ADHW
};
#define TEST_PAGE(n) (VA_TEST + (uint64_t)(n) * PAGE_SIZE)

#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define RXA  (PTE_V | PTE_R | PTE_X | PTE_A)

static struct pt pt;
static unsigned levels;
static uint64_t *d1, *d2, *code;   /* data page 1, data page 2, a code page */
static int svadu;                  /* menvcfg.ADUE is writable */

/* U-mode code (run at its U_OFF alias): one access, then return into priv_return_stub. */
void vm_u_load(void);
void vm_u_store(void);
__asm__(".text\n"
        ".balign 4\n"
        ".globl vm_u_load\n"
        "vm_u_load:\n"
        "    ld a0, 0(a0)\n"
        "    ret\n"
        ".globl vm_u_store\n"
        "vm_u_store:\n"
        "    li t0, 0x77\n"
        "    sd t0, 0(a0)\n"
        "    li a0, 0\n"
        "    ret\n");

static inline void sfence_va(uint64_t va)
{
    __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

static inline void sfence_all(void)
{
    __asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

/* Rewrites the 4 KiB leaf of test page n and fences it. */
static void set_page(unsigned n, uint64_t pte)
{
    *pt_slot(&pt, TEST_PAGE(n), 0) = pte;
    sfence_va(TEST_PAGE(n));
}

/* From S: run U-mode code at pc (a U_OFF alias) with a0 = arg. Traps in it resume at ra. */
static uint64_t u_run(uint64_t pc, uint64_t arg)
{
    return priv_enter_s(PRV_U, pc, arg, 0, (uint64_t)(uintptr_t)priv_return_stub + U_OFF);
}

static uint64_t u_fn(void (*fn)(void))
{
    return (uint64_t)(uintptr_t)fn + U_OFF;
}

/* Checks a page fault taken in S with stval = va. */
static void check_pf(const char *what, uint64_t cause, uint64_t va)
{
    check_trap(what, PRV_S, cause, CHECK_SKIP, va);
}

static void s_load_pf(const char *what, uint64_t va)
{
    trap_arm(RESUME_NEXT);
    load64(va);
    check_pf(what, EXC_LOAD_PAGE_FAULT, va);
}

static void s_store_pf(const char *what, uint64_t va)
{
    trap_arm(RESUME_NEXT);
    store64(va, 0x99);
    check_pf(what, EXC_STORE_PAGE_FAULT, va);
}

static void s_fetch_pf(const char *what, uint64_t va)
{
    trap_arm(RESUME_RA);
    call_addr(va, 0);
    check_pf(what, EXC_FETCH_PAGE_FAULT, va);
}

static void s_load_ok(const char *what, uint64_t va, uint64_t want)
{
    trap_arm(RESUME_NEXT);
    uint64_t v = load64(va);
    check_no_trap(what);
    check(name2(what, ": value"), v, want);
}

/* ---------------------------------------------------------------- mapping sizes */

static void s_sizes(void)
{
    s_load_ok("4 KiB page: load", TEST_PAGE(P_RW), MAGIC1);
    trap_arm(RESUME_NEXT);
    store64(TEST_PAGE(P_RW) + 8, 0xabcdef);
    check_no_trap("4 KiB page: store");
    check("4 KiB page: the store reached the physical page", d1[1], 0xabcdef);
    s_load_ok("2 MiB page: load", VA_SUPER + SUPER_OFF, MAGIC_SUPER);
    s_load_ok("1 GiB page: load", VA_GIGA + (SUPER_PA - VA_KERNEL) + SUPER_OFF, MAGIC_SUPER);
    if (levels >= 4)
        s_load_ok("512 GiB page: load", VA_512G + SUPER_PA + SUPER_OFF, MAGIC_SUPER);
    if (levels >= 5)
        s_load_ok("256 TiB page: load", VA_256T + SUPER_PA + SUPER_OFF, MAGIC_SUPER);
    s_load_ok("upper-half 1 GiB page: load", VA_HIGH_GIGA + (SUPER_PA - VA_KERNEL) + SUPER_OFF, MAGIC_SUPER);
    s_load_ok("upper-half last 4 KiB page: load", VA_HIGH_PAGE + 16, MAGIC2);
    trap_arm(RESUME_RA);
    uint64_t r = call_addr(TEST_PAGE(P_CODE), 0);
    check_no_trap("4 KiB page R+X: fetch");
    check("4 KiB page R+X: the code ran", r, 42);
}

/* ---------------------------------------------------------------- page faults */

static void s_faults(void)
{
    uint64_t va_bits = 12 + 9 * (uint64_t)levels;

    /* Step 3: V=0, or W=1 with R=0, or a reserved bit set. */
    s_load_pf("V=0 leaf: load", TEST_PAGE(P_INVALID));
    s_store_pf("V=0 leaf: store", TEST_PAGE(P_INVALID) + 8);
    s_fetch_pf("V=0 leaf: fetch", TEST_PAGE(P_INVALID));
    s_load_pf("V=0 at the 1 GiB level: load", VA_UNMAPPED_GIGA + 0x40);
    s_load_pf("W=1 R=0 (reserved): load", TEST_PAGE(P_WONLY));
    s_store_pf("W=1 R=0 (reserved): store", TEST_PAGE(P_WONLY));
    s_fetch_pf("W=1 R=0 X=1 (reserved): fetch", TEST_PAGE(P_WX));
    s_load_pf("reserved PTE bit 54 set: load", TEST_PAGE(P_RESERVED));

    /* Step 4: a pointer PTE at the last level. */
    s_load_pf("non-leaf PTE at level 0: load", TEST_PAGE(P_POINTER));

    /* Step 5: misaligned superpages. */
    s_load_pf("misaligned 2 MiB page (PPN[0] != 0): load", VA_MISALIGNED_2M + 0x100);
    s_load_pf("misaligned 1 GiB page (PPN[1] != 0): load", VA_MISALIGNED_1G + 0x100);

    /* Step 8: R/W/X. */
    s_load_pf("X-only page, MXR=0: load", TEST_PAGE(P_XONLY));
    csr_set(sstatus, MSTATUS_MXR);
    s_load_ok("X-only page, MXR=1: load", TEST_PAGE(P_XONLY), MAGIC1);
    csr_clear(sstatus, MSTATUS_MXR);
    s_store_pf("X-only page: store", TEST_PAGE(P_XONLY));
    s_store_pf("read-only page: store", TEST_PAGE(P_RO) + 0x10);
    s_load_ok("read-only page: load", TEST_PAGE(P_RO), MAGIC1);
    s_fetch_pf("X=0 page: fetch", TEST_PAGE(P_NOEXEC));

    /* Step 6: U bit and SUM for S-mode. */
    s_load_pf("U page from S, SUM=0: load", TEST_PAGE(P_USER));
    s_store_pf("U page from S, SUM=0: store", TEST_PAGE(P_USER));
    csr_set(sstatus, MSTATUS_SUM);
    s_load_ok("U page from S, SUM=1: load", TEST_PAGE(P_USER), MAGIC1);
    trap_arm(RESUME_NEXT);
    store64(TEST_PAGE(P_USER) + 0x18, 0x5a);
    check_no_trap("U page from S, SUM=1: store");
    s_fetch_pf("U page from S, SUM=1: fetch", TEST_PAGE(P_UCODE));
    csr_clear(sstatus, MSTATUS_SUM);

    /* Non-canonical addresses: bits 63..VA_BITS must equal bit VA_BITS-1. */
    uint64_t nc = 1UL << (va_bits - 1);
    s_load_pf("non-canonical address (bit VA_BITS-1 set, upper bits clear): load", nc);
    s_store_pf("non-canonical address: store", nc + 8);
    s_fetch_pf("non-canonical address: fetch", nc);
    s_load_pf("non-canonical address (top bit set, bit VA_BITS-1 clear): load", 1UL << 63);
}

/* ---------------------------------------------------------------- U-mode */

static void s_user(void)
{
    uint64_t v;
    trap_arm(RESUME_RA);
    v = u_run(u_fn(vm_u_load), TEST_PAGE(P_USER));
    check_no_trap("U page from U: load");
    check("U page from U: load value", v, MAGIC1);

    trap_arm(RESUME_RA);
    u_run(u_fn(vm_u_load), TEST_PAGE(P_RW));
    check_pf("S page from U: load", EXC_LOAD_PAGE_FAULT, TEST_PAGE(P_RW));

    csr_set(sstatus, MSTATUS_SUM);
    trap_arm(RESUME_RA);
    u_run(u_fn(vm_u_load), TEST_PAGE(P_RW));
    check_pf("S page from U, SUM=1: load", EXC_LOAD_PAGE_FAULT, TEST_PAGE(P_RW));
    csr_clear(sstatus, MSTATUS_SUM);

    trap_arm(RESUME_RA);
    u_run(u_fn(vm_u_store), TEST_PAGE(P_URO) + 0x20);
    check_pf("read-only U page from U: store", EXC_STORE_PAGE_FAULT, TEST_PAGE(P_URO) + 0x20);

    trap_arm(RESUME_RA);
    u_run(u_fn(vm_u_store), TEST_PAGE(P_USER) + 0x20);
    check_no_trap("U page from U: store");
    check("U page from U: the store reached memory", d1[4], 0x77);

    trap_arm(RESUME_RA);
    u_run(u_fn(vm_u_load), TEST_PAGE(P_UXONLY));
    check_pf("X-only U page from U, MXR=0: load", EXC_LOAD_PAGE_FAULT, TEST_PAGE(P_UXONLY));
    csr_set(sstatus, MSTATUS_MXR);
    trap_arm(RESUME_RA);
    v = u_run(u_fn(vm_u_load), TEST_PAGE(P_UXONLY));
    check_no_trap("X-only U page from U, MXR=1: load");
    check("X-only U page from U, MXR=1: load value", v, MAGIC1);
    csr_clear(sstatus, MSTATUS_MXR);

    trap_arm(RESUME_RA);
    v = u_run(TEST_PAGE(P_UCODE), 0);
    check_no_trap("U code page from U: fetch");
    check("U code page from U: the code ran", v, 42);

    trap_arm(RESUME_RA);
    u_run(TEST_PAGE(P_CODE), 0);
    check_pf("S code page from U: fetch", EXC_FETCH_PAGE_FAULT, TEST_PAGE(P_CODE));
}

/* ---------------------------------------------------------------- SFENCE.VMA */

static void s_sfence(void)
{
    set_page(P_SWAP, pte_make((uint64_t)(uintptr_t)d1, RWAD));
    s_load_ok("sfence: first mapping", TEST_PAGE(P_SWAP), MAGIC1);
    *pt_slot(&pt, TEST_PAGE(P_SWAP), 0) = pte_make((uint64_t)(uintptr_t)d2, RWAD);
    sfence_va(TEST_PAGE(P_SWAP));
    s_load_ok("sfence.vma va after changing the PTE: new mapping", TEST_PAGE(P_SWAP), MAGIC2);
    *pt_slot(&pt, TEST_PAGE(P_SWAP), 0) = 0;
    sfence_all();
    s_load_pf("sfence.vma x0, x0 after clearing V: load", TEST_PAGE(P_SWAP));
}

/* ---------------------------------------------------------------- A and D bits */

static uint64_t *ad_pte;
static uint64_t ad_va;
static volatile unsigned ad_faults;
static volatile int64_t ad_first_cause;

/* An S-mode page-fault handler in the Svade style: set A (and D for a store), fence, retry. */
static int ad_hook(struct priv_frame *f, int level)
{
    if (level != PRV_S || !ad_pte || f->tval != ad_va)
        return 0;
    if (f->cause != EXC_FETCH_PAGE_FAULT && f->cause != EXC_LOAD_PAGE_FAULT && f->cause != EXC_STORE_PAGE_FAULT)
        return 0;
    uint64_t need = PTE_A | (f->cause == EXC_STORE_PAGE_FAULT ? PTE_D : 0);
    if ((*ad_pte & need) == need)
        return 0;
    *ad_pte |= need;
    sfence_va(ad_va);
    if (ad_faults++ == 0)
        ad_first_cause = (int64_t)f->cause;
    return 1;
}

static void ad_begin(unsigned page, uint64_t offset)
{
    ad_pte = pt_slot(&pt, TEST_PAGE(page), 0);
    ad_va = TEST_PAGE(page) + offset;
    ad_faults = 0;
    ad_first_cause = -1;
    priv_set_hook(ad_hook);
}

/*
 * supervisor.adoc "Virtual Address Translation Process" step 9 and machine.adoc menvcfg.ADUE: with
 * Svadu implemented (ADUE writable), ADUE=0 means Svade (a page fault, `svade_cause`) and ADUE=1 a
 * hardware update (no fault). Without Svadu (ADUE read-only 0) either scheme is allowed; then the
 * check only demands that whatever happened is one of the two.
 */
static void ad_check(const char *what, int adue, uint64_t svade_cause)
{
    priv_set_hook(0);
    int64_t got = ad_first_cause;
    int64_t want;
    if (svadu)
        want = adue ? -1 : (int64_t)svade_cause;
    else
        want = got == -1 ? -1 : (int64_t)svade_cause;
    check(name2(what, ": page fault under Svade, none with hardware A/D update"), (uint64_t)got, (uint64_t)want);
    check(name2(what, ": at most one fault"), ad_faults <= 1, 1);
    ad_pte = 0;
}

static void s_ad_svade(void)
{
    set_page(P_AD, pte_make((uint64_t)(uintptr_t)d2, PTE_V | PTE_R | PTE_W));
    ad_begin(P_AD, 0);
    uint64_t v = load64(ad_va);
    ad_check("A=0: load", 0, EXC_LOAD_PAGE_FAULT);
    check("A=0: load value after the retry", v, MAGIC2);
    check("A=0: load: PTE.A = 1 afterwards", (*pt_slot(&pt, TEST_PAGE(P_AD), 0) & PTE_A) != 0, 1);
    check("A=0: load: PTE.D still 0", (*pt_slot(&pt, TEST_PAGE(P_AD), 0) & PTE_D) != 0, 0);

    ad_begin(P_AD, 0x28);
    store64(ad_va, 0x600d);
    ad_check("A=1 D=0: store", 0, EXC_STORE_PAGE_FAULT);
    check("A=1 D=0: store reached memory", d2[5], 0x600d);
    check("A=1 D=0: store: PTE.D = 1 afterwards", (*pt_slot(&pt, TEST_PAGE(P_AD), 0) & PTE_D) != 0, 1);

    set_page(P_ADCODE, pte_make((uint64_t)(uintptr_t)code, PTE_V | PTE_R | PTE_X));
    ad_begin(P_ADCODE, 0);
    uint64_t r = call_addr(ad_va, 0);
    ad_check("A=0: fetch", 0, EXC_FETCH_PAGE_FAULT);
    check("A=0: fetch: the code ran after the retry", r, 42);
    check("A=0: fetch: PTE.A = 1 afterwards", (*pt_slot(&pt, TEST_PAGE(P_ADCODE), 0) & PTE_A) != 0, 1);
}

/* Runs with menvcfg.ADUE=1 (written by M; without Svadu the write has no effect). */
static void s_ad_hardware(void)
{
    set_page(P_ADHW, pte_make((uint64_t)(uintptr_t)d2, PTE_V | PTE_R | PTE_W));
    ad_begin(P_ADHW, 0x30);
    store64(ad_va, 0xd00d);
    ad_check("ADUE=1, A=0 D=0: store", 1, EXC_STORE_PAGE_FAULT);
    uint64_t pte = *pt_slot(&pt, TEST_PAGE(P_ADHW), 0);
    check("ADUE=1: store reached memory", d2[6], 0xd00d);
    check("ADUE=1: store: PTE.A = 1 and PTE.D = 1 afterwards", pte & (PTE_A | PTE_D), PTE_A | PTE_D);
}

static uint64_t s_main(uint64_t arg)
{
    (void)arg;
    s_sizes();
    s_faults();
    s_user();
    s_sfence();
    s_ad_svade();
    return 0;
}

static uint64_t s_main_adue(uint64_t arg)
{
    (void)arg;
    s_ad_hardware();
    return 0;
}

/* ---------------------------------------------------------------- M-mode: MPRV, satp */

/* One load from M-mode with MPRV=1 and mstatus bits `set` (MPP, SUM, MXR); nothing else translated. */
static uint64_t mprv_load(uint64_t va, uint64_t set)
{
    uint64_t v = PROBE_SENTINEL;
    __asm__ volatile("li t0, %[clear]\n"
                     "csrc mstatus, t0\n"
                     "csrs mstatus, %[set]\n"
                     "ld %[v], 0(%[va])\n"
                     "li t0, %[clear]\n"
                     "csrc mstatus, t0\n"
                     : [v] "+r"(v)
                     : [va] "r"(va), [set] "r"(set | MSTATUS_MPRV),
                       [clear] "i"(MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR)
                     : "t0", "memory");
    return v;
}

static void mprv_ok(const char *what, uint64_t va, uint64_t set, uint64_t want)
{
    trap_arm(RESUME_NEXT);
    uint64_t v = mprv_load(va, set);
    check_no_trap(what);
    check(name2(what, ": value"), v, want);
}

static void mprv_fault(const char *what, uint64_t va, uint64_t set, uint64_t cause)
{
    trap_arm(RESUME_NEXT);
    mprv_load(va, set);
    /* A trap from M-mode is never delegated: it stays in M even though medeleg[13] = 1. */
    check_trap(what, PRV_M, cause, CHECK_SKIP, va);
}

#define MPP_S ((uint64_t)PRV_S << MSTATUS_MPP_SHIFT)
#define MPP_U ((uint64_t)PRV_U << MSTATUS_MPP_SHIFT)
#define MPP_M ((uint64_t)PRV_M << MSTATUS_MPP_SHIFT)

static void m_mprv(void)
{
    mprv_ok("MPRV=1 MPP=S: load is translated", TEST_PAGE(P_RW), MPP_S, MAGIC1);
    mprv_ok("MPRV=1 MPP=S: 2 MiB page", VA_SUPER + SUPER_OFF, MPP_S, MAGIC_SUPER);
    mprv_fault("MPRV=1 MPP=S: unmapped page", TEST_PAGE(P_INVALID), MPP_S, EXC_LOAD_PAGE_FAULT);
    mprv_fault("MPRV=1 MPP=S, SUM=0: U page", TEST_PAGE(P_USER), MPP_S, EXC_LOAD_PAGE_FAULT);
    mprv_ok("MPRV=1 MPP=S, SUM=1: U page", TEST_PAGE(P_USER), MPP_S | MSTATUS_SUM, MAGIC1);
    mprv_fault("MPRV=1 MPP=S, MXR=0: X-only page", TEST_PAGE(P_XONLY), MPP_S, EXC_LOAD_PAGE_FAULT);
    mprv_ok("MPRV=1 MPP=S, MXR=1: X-only page", TEST_PAGE(P_XONLY), MPP_S | MSTATUS_MXR, MAGIC1);
    mprv_ok("MPRV=1 MPP=U: U page", TEST_PAGE(P_USER), MPP_U, MAGIC1);
    mprv_fault("MPRV=1 MPP=U: S page", TEST_PAGE(P_RW), MPP_U, EXC_LOAD_PAGE_FAULT);
    /*
     * With MPP=M nothing is translated: VA_GIGA is then a physical address with nothing behind it
     * (QEMU virt: 128 MiB of DRAM; rvhsim's default: 2 GiB, ending at VA_GIGA).
     */
    mprv_fault("MPRV=1 MPP=M: not translated", VA_GIGA + SUPER_OFF, MPP_M, EXC_LOAD_ACCESS);
    trap_arm(RESUME_NEXT);
    load64(VA_GIGA + SUPER_OFF);
    check_trap("M-mode load with MPRV=0: not translated", PRV_M, EXC_LOAD_ACCESS, CHECK_SKIP, VA_GIGA + SUPER_OFF);
}

static void m_satp(uint64_t satp)
{
    static const char *const modes[] = {"Sv39", "Sv48", "Sv57"};
    csr_write(satp, satp);
    check(name2(modes[levels - 3], " is supported: satp keeps MODE and root PPN"), csr_read(satp), satp);
    /* supervisor.adoc satp: writing an unsupported MODE has no effect at all (MODE 1-7 reserved, 11 = Sv64). */
    csr_write(satp, 11UL << SATP_MODE_SHIFT | 0x1234);
    check("satp MODE=11 (Sv64, unsupported): write ignored", csr_read(satp), satp);
    csr_write(satp, 1UL << SATP_MODE_SHIFT | 0x1234);
    check("satp MODE=1 (reserved): write ignored", csr_read(satp), satp);
    csr_write(satp, 0);
    check("satp MODE=Bare: accepted", csr_read(satp), 0);
}

/* ---------------------------------------------------------------- setup */

static void build_tables(void)
{
    pt_init(&pt, levels);
    d1 = pt_alloc_page();
    d2 = pt_alloc_page();
    code = pt_alloc_page();
    uint64_t *high = pt_alloc_page();
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++) {
        d1[i] = MAGIC1;
        d2[i] = MAGIC2;
        high[i] = MAGIC2;
    }
    /* addi a0, zero, 42; jalr zero, 0(ra) */
    ((uint32_t *)code)[0] = 0x02a00513;
    ((uint32_t *)code)[1] = 0x00008067;
    __asm__ volatile("fence.i" ::: "memory");
    *(volatile uint64_t *)(uintptr_t)(SUPER_PA + SUPER_OFF) = MAGIC_SUPER;

    uint64_t pd1 = (uint64_t)(uintptr_t)d1, pcode = (uint64_t)(uintptr_t)code;
    pt_map(&pt, VA_IO, 0, 2, RWAD);
    pt_map(&pt, VA_KERNEL, VA_KERNEL, 2, RWAD | PTE_X);
    pt_map(&pt, VA_USER, VA_KERNEL, 2, RWAD | PTE_X | PTE_U);
    pt_map(&pt, VA_GIGA, VA_KERNEL, 2, RWAD);
    pt_map(&pt, VA_MISALIGNED_1G, VA_KERNEL + 2 * MIB, 2, RWAD);
    pt_map(&pt, VA_HIGH_GIGA, VA_KERNEL, 2, RWAD);
    pt_map(&pt, VA_HIGH_PAGE, (uint64_t)(uintptr_t)high, 0, RWAD);
    if (levels >= 4)
        pt_map(&pt, VA_512G, 0, 3, RWAD);
    if (levels >= 5)
        pt_map(&pt, VA_256T, 0, 4, RWAD);
    pt_map(&pt, VA_SUPER, SUPER_PA, 1, RWAD);
    pt_map(&pt, VA_MISALIGNED_2M, SUPER_PA + PAGE_SIZE, 1, RWAD);

    pt_map(&pt, TEST_PAGE(P_RW), pd1, 0, RWAD);
    pt_map(&pt, TEST_PAGE(P_INVALID), pd1, 0, RWAD & ~PTE_V);
    pt_map(&pt, TEST_PAGE(P_XONLY), pd1, 0, PTE_V | PTE_X | PTE_A);
    pt_map(&pt, TEST_PAGE(P_RO), pd1, 0, PTE_V | PTE_R | PTE_A);
    pt_map(&pt, TEST_PAGE(P_CODE), pcode, 0, RXA);
    pt_map(&pt, TEST_PAGE(P_NOEXEC), pcode, 0, PTE_V | PTE_R | PTE_A);
    pt_map(&pt, TEST_PAGE(P_USER), pd1, 0, RWAD | PTE_U);
    pt_map(&pt, TEST_PAGE(P_UCODE), pcode, 0, RXA | PTE_U);
    pt_map(&pt, TEST_PAGE(P_UXONLY), pd1, 0, PTE_V | PTE_X | PTE_U | PTE_A);
    pt_map(&pt, TEST_PAGE(P_URO), pd1, 0, PTE_V | PTE_R | PTE_U | PTE_A);
    pt_map(&pt, TEST_PAGE(P_WONLY), pd1, 0, PTE_V | PTE_W | PTE_A | PTE_D);
    pt_map(&pt, TEST_PAGE(P_WX), pcode, 0, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D);
    pt_map(&pt, TEST_PAGE(P_POINTER), (uint64_t)(uintptr_t)pt_alloc_page(), 0, PTE_V);
    *pt_slot(&pt, TEST_PAGE(P_RESERVED), 0) = pte_make(pd1, RWAD) | 1UL << 54;
}

int vm_suite(unsigned lv, const char *program)
{
    levels = lv;
    priv_init();
    build_tables();

    /* machine.adoc menvcfg.ADUE: writable only when Svadu is implemented. */
    csr_write(menvcfg, MENVCFG_ADUE);
    svadu = (csr_read(menvcfg) & MENVCFG_ADUE) != 0;
    csr_write(menvcfg, 0);

    uint64_t satp = pt_satp(&pt);
    m_satp(satp);

    csr_write(medeleg, 1UL << EXC_FETCH_PAGE_FAULT | 1UL << EXC_LOAD_PAGE_FAULT | 1UL << EXC_STORE_PAGE_FAULT);
    csr_write(satp, satp);
    __asm__ volatile("sfence.vma" ::: "memory");
    run_in_mode(PRV_S, s_main, 0);
    csr_write(menvcfg, MENVCFG_ADUE);
    run_in_mode(PRV_S, s_main_adue, 0);
    csr_write(menvcfg, 0);
    m_mprv();
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    csr_write(medeleg, 0);
    return check_summary(program);
}
