/*
 * Privileged-architecture helpers for the priv-* programs: CSR access, the mstatus/mip/cause
 * encodings, M- and S-mode trap vectors with their own stacks (priv-entry.S, priv.c), running a
 * function in S- or U-mode and coming back, an expected-trap catcher that records the trap at
 * whichever level took it, and the CLINT/PLIC addresses of QEMU virt.
 *
 * priv_init() replaces crt0's mtvec with priv_m_trap_entry; from then on every trap goes through
 * priv_dispatch() (priv.c), never through trap.c.
 */
#ifndef RVHSIM_PRIV_H
#define RVHSIM_PRIV_H

#include "rt.h"

/* Privilege levels as encoded in mstatus.MPP (machine.adoc "Privilege Levels"). */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* --- CSR access: the CSR is named as in assembler (mstatus, sie, 0x14d, ...). --- */
#define csr_read(csr)                                              \
    ({                                                             \
        uint64_t v_;                                               \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory"); \
        v_;                                                        \
    })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")

/* --- mstatus / sstatus fields (machine.adoc "Machine Status Registers (mstatus and mstatush)"). --- */
#define MSTATUS_SIE  (1UL << 1)
#define MSTATUS_MIE  (1UL << 3)
#define MSTATUS_SPIE (1UL << 5)
#define MSTATUS_MPIE (1UL << 7)
#define MSTATUS_SPP  (1UL << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP  (3UL << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_SUM  (1UL << 18)
#define MSTATUS_MXR  (1UL << 19)
#define MSTATUS_TVM  (1UL << 20)
#define MSTATUS_TW   (1UL << 21)
#define MSTATUS_TSR  (1UL << 22)
#define MSTATUS_MPP_FIELD(s) (((s) >> MSTATUS_MPP_SHIFT) & 3)

/* --- Interrupts: bit numbers in mip/mie and the cause code (machine.adoc "Machine Cause Register"). --- */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1UL << IRQ_SSI)
#define MIP_MSIP (1UL << IRQ_MSI)
#define MIP_STIP (1UL << IRQ_STI)
#define MIP_MTIP (1UL << IRQ_MTI)
#define MIP_SEIP (1UL << IRQ_SEI)
#define MIP_MEIP (1UL << IRQ_MEI)
#define CAUSE_INTERRUPT (1UL << 63)

/* --- Exception codes (machine.adoc "Machine Cause Register", table of mcause values). --- */
#define EXC_FETCH_MISALIGNED   0
#define EXC_FETCH_ACCESS       1
#define EXC_ILLEGAL            2
#define EXC_BREAKPOINT         3
#define EXC_LOAD_MISALIGNED    4
#define EXC_LOAD_ACCESS        5
#define EXC_STORE_MISALIGNED   6
#define EXC_STORE_ACCESS       7
#define EXC_ECALL_U            8
#define EXC_ECALL_S            9
#define EXC_ECALL_M            11
#define EXC_FETCH_PAGE_FAULT   12
#define EXC_LOAD_PAGE_FAULT    13
#define EXC_STORE_PAGE_FAULT   15

/* --- menvcfg (machine.adoc "Machine Environment Configuration Register (menvcfg)"). --- */
#define MENVCFG_ADUE (1UL << 61)
#define MENVCFG_STCE (1UL << 63)

/* --- QEMU virt devices (hw/riscv/virt.c). --- */
#define CLINT_MSIP     0x2000000UL    /* hart 0 */
#define CLINT_MTIMECMP 0x2004000UL    /* hart 0 */
#define CLINT_MTIME    0x200bff8UL
#define PLIC_BASE      0x0c000000UL
#define UART_BASE_ADDR 0x10000000UL

static inline uint64_t mtime_read(void)
{
    return *(volatile uint64_t *)CLINT_MTIME;
}

static inline void mtimecmp_write(uint64_t v)
{
    *(volatile uint64_t *)CLINT_MTIMECMP = v;
}

static inline void msip_write(uint32_t v)
{
    *(volatile uint32_t *)CLINT_MSIP = v;
}

/* --- Traps. --- */

/* What the trap vectors save; `level` says whose CSRs epc..status are (PRV_M: m*, PRV_S: s*). */
struct priv_frame {
    uint64_t x[32];   /* x[2] is the interrupted sp and is restored from here */
    uint64_t epc;     /* the handler may change it: the vector returns there */
    uint64_t cause;
    uint64_t tval;
    uint64_t status;  /* on return only xPP and xPIE are written back (M: MPP, MPIE; S: SPP, SPIE) */
};

/* A program's own handler, tried first: return nonzero when it handled the trap. */
typedef int (*priv_hook_fn)(struct priv_frame *f, int level);
void priv_set_hook(priv_hook_fn hook);

/* The last expected trap (see trap_arm). level is PRV_M or PRV_S, or -1 when none was taken. */
struct trap_record {
    int level;
    uint64_t cause;
    uint64_t epc;
    uint64_t tval;
    uint64_t status;  /* mstatus or sstatus as the handler saw it (after the trap updated xPP/xPIE) */
};
extern volatile struct trap_record trap_rec;

/* Where an expected trap resumes. Any other value is an address to resume at. */
#define RESUME_NEXT  0UL  /* after the trapping instruction (read at epc: code must be identity-mapped) */
#define RESUME_RA    1UL  /* at ra: the trapping code was entered by a call (fetch faults, U-mode probes) */
#define RESUME_RETRY 2UL  /* re-execute the trapping instruction */

/* Arms the one-shot catcher: the next trap (at M or S) is recorded in trap_rec and resumed. */
void trap_arm(uint64_t resume);
/* Disarms it and returns the recorded cause, or -1 if no trap was taken. */
int64_t trap_cause(void);

/* The caller's xstatus as the handler saw it at the ECALL that ended the last priv_enter_* call. */
extern volatile uint64_t priv_return_status;

/* "a" followed by "b" in a static buffer (valid until the next call): check() names. */
const char *name2(const char *a, const char *b);

/*
 * Disarms the catcher and checks trap_rec, one line per field: the level that took the trap, the
 * cause, epc and tval. CHECK_SKIP as epc or tval leaves that field out.
 */
#define CHECK_SKIP (~0UL)
void check_trap(const char *what, int level, uint64_t cause, uint64_t epc, uint64_t tval);
/* Disarms the catcher and checks that no trap was taken. */
void check_no_trap(const char *what);

/* Installs the trap vectors and stacks, PMP entry 0 = all memory RWX for S/U, no delegation. */
void priv_init(void);

/*
 * Enter privilege `prv` at `pc` with a0 = arg, sp (0: the caller's), ra = `ra`, and come back when
 * the code returns to priv_return_stub (a magic ECALL). Returns the code's a0. priv_enter_m is
 * called from M-mode (MRET), priv_enter_s from S-mode (SRET, prv U or S).
 */
uint64_t priv_enter_m(uint64_t prv, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra);
uint64_t priv_enter_s(uint64_t prv, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra);
void priv_return_stub(void);

typedef uint64_t (*priv_fn)(uint64_t arg);

/* From M-mode: run fn(arg) in privilege prv on the caller's stack (no translation needed). */
static inline uint64_t run_in_mode(int prv, priv_fn fn, uint64_t arg)
{
    return priv_enter_m((uint64_t)prv, (uint64_t)(uintptr_t)fn, arg, 0, (uint64_t)(uintptr_t)priv_return_stub);
}

/* The magic a7 value of the ECALL that ends a priv_enter_* call. */
#define PRIV_RETURN_MAGIC 0x52564853UL

/*
 * Single loads and stores at an address held in a register (no compiler assumptions about the
 * object behind it). A load that traps with RESUME_NEXT leaves `sentinel`-initialised results.
 */
#define PROBE_SENTINEL 0x5a5a5a5a5a5a5a5aUL
static inline uint64_t load64(uint64_t addr)
{
    uint64_t v = PROBE_SENTINEL;
    __asm__ volatile("ld %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
    return v;
}

static inline uint64_t load32(uint64_t addr)
{
    uint64_t v = PROBE_SENTINEL;
    __asm__ volatile("lwu %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
    return v;
}

static inline void store64(uint64_t addr, uint64_t v)
{
    __asm__ volatile("sd %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}

static inline void store32(uint64_t addr, uint32_t v)
{
    __asm__ volatile("sw %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}

/* Calls code at `addr` (a fetch probe: arm RESUME_RA to come back from a fetch fault). */
static inline uint64_t call_addr(uint64_t addr, uint64_t arg)
{
    register uint64_t a0 __asm__("a0") = arg;
    __asm__ volatile("jalr %1"
                     : "+r"(a0)
                     : "r"(addr)
                     : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a1", "a2", "a3", "a4", "a5", "a6",
                       "a7", "memory");
    return a0;
}

/* Length in bytes of the instruction whose low half is `low` (zca.adoc: bits [1:0] != 11 is 16-bit). */
static inline uint64_t insn_length(uint16_t low)
{
    return (low & 3) == 3 ? 4 : 2;
}

#endif
