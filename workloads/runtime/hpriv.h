/*
 * Hypervisor-extension runtime for the h-* programs (hypervisor.adoc): H CSR encodings, trap
 * vectors at M, HS and VS (hpriv-entry.S), running code in M, HS, U, VS or VU and coming back, and
 * an expected-trap catcher that records everything a trap into M, HS or VS writes (cause, epc,
 * tval, htval/mtval2, htinst/mtinst, hstatus.GVA/SPV/SPVP, mstatus.MPV/GVA, vsstatus).
 *
 * Program shape: main() runs in M, calls h_init(), then h_call(mode, fn, arg) to run fn in another
 * mode. Guest code (VS/VU) is the program's own code: h_init() leaves hgatp and vsatp Bare, so a
 * guest virtual address is the host physical address; page tables (hpt.h) that identity-map DRAM
 * keep that true. Every trap goes through h_dispatch() (hpriv.c), never through trap.c or priv.c.
 */
#ifndef RVHSIM_HPRIV_H
#define RVHSIM_HPRIV_H

#include "priv.h"

/* The assembler knows the H instructions only with the extension switched on. */
#define H_ASM(insns) ".option push\n\t.option arch, +h\n\t" insns "\n\t.option pop"

/* --- Modes for h_call (V in bit 2, nominal privilege in bits 1:0; hypervisor.adoc "Privilege Modes"). --- */
#define H_U  0
#define H_HS 1
#define H_M  3
#define H_VU 4
#define H_VS 5
#define H_MODE_V(m) (((m) >> 2) & 1)
#define H_MODE_PRV(m) ((m) & 3)

/* --- Levels that take traps (the trap record's `level`). --- */
#define HLVL_NONE (-1)
#define HLVL_VS 1
#define HLVL_HS 2
#define HLVL_M  3

/* --- hstatus (hypervisor.adoc "Hypervisor Status (hstatus) Register"). --- */
#define HSTATUS_VSBE  (1UL << 5)
#define HSTATUS_GVA   (1UL << 6)
#define HSTATUS_SPV   (1UL << 7)
#define HSTATUS_SPVP  (1UL << 8)
#define HSTATUS_HU    (1UL << 9)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN (0x3fUL << HSTATUS_VGEIN_SHIFT)
#define HSTATUS_VTVM  (1UL << 20)
#define HSTATUS_VTW   (1UL << 21)
#define HSTATUS_VTSR  (1UL << 22)
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL  (3UL << HSTATUS_VSXL_SHIFT)
#define HSTATUS_HUPMM (3UL << 48)

/* --- mstatus fields added by H (hypervisor.adoc "Machine Status (mstatus and mstatush) Registers"). --- */
#define MSTATUS_GVA (1UL << 38)
#define MSTATUS_MPV (1UL << 39)
#define MSTATUS_SPP_FIELD(s) (((s) >> 8) & 1)

/* --- Interrupts added by H (hypervisor.adoc "Trap Cause Codes"). --- */
#define IRQ_VSSI 2
#define IRQ_VSTI 6
#define IRQ_VSEI 10
#define IRQ_SGEI 12
#define MIP_VSSIP (1UL << IRQ_VSSI)
#define MIP_VSTIP (1UL << IRQ_VSTI)
#define MIP_VSEIP (1UL << IRQ_VSEI)
#define MIP_SGEIP (1UL << IRQ_SGEI)

/* --- Exception codes added by H. --- */
#define EXC_ECALL_VS          10
#define EXC_FETCH_GUEST_PAGE  20
#define EXC_LOAD_GUEST_PAGE   21
#define EXC_VIRTUAL_INSN      22
#define EXC_STORE_GUEST_PAGE  23

/* --- hgatp (hypervisor.adoc "Hypervisor Guest Address Translation and Protection (hgatp) Register"). --- */
#define HGATP_MODE_SHIFT 60
#define HGATP_MODE_BARE   0UL
#define HGATP_MODE_SV39X4 8UL
#define HGATP_MODE_SV48X4 9UL
#define HGATP_MODE_SV57X4 10UL
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK  (0x3fffUL << HGATP_VMID_SHIFT)
#define HGATP_PPN_MASK   ((1UL << 44) - 1)

/* --- Counter-enable bits (zicntr.adoc; machine.adoc "Machine Counter-Enable Register"). --- */
#define COUNTEREN_CY (1UL << 0)
#define COUNTEREN_TM (1UL << 1)
#define COUNTEREN_IR (1UL << 2)
#define COUNTEREN_HPM3 (1UL << 3)

/* --- Special pseudoinstructions for htinst/mtinst (hypervisor.adoc "Transformed Instruction or
 *     Pseudoinstruction for mtinst or htinst"), RV64 forms. --- */
#define TINST_PSEUDO_READ64  0x00003000UL
#define TINST_PSEUDO_WRITE64 0x00003020UL

/* Transformations of a trapping 32-bit load or store (same section): immediate fields zeroed,
 * the Addr. Offset field (rs1's place) holding `offset`. */
static inline uint64_t tinst_transform_load(uint32_t insn, unsigned offset)
{
    return (insn & 0x00007fffu & ~(0x1fu << 15)) | (uint64_t)(offset & 0x1f) << 15;
}

static inline uint64_t tinst_transform_store(uint32_t insn, unsigned offset)
{
    return (insn & 0x01f0707fu & ~(0x1fu << 15)) | (uint64_t)(offset & 0x1f) << 15;
}

/* HLV/HLVX/HSV: every field kept except rs1, which becomes the Addr. Offset. */
static inline uint64_t tinst_transform_hlsv(uint32_t insn, unsigned offset)
{
    return (insn & ~(0x1fu << 15)) | (uint64_t)(offset & 0x1f) << 15;
}

/* --- The expected-trap record. --- */
struct htrap_record {
    int level;          /* HLVL_VS, HLVL_HS or HLVL_M; HLVL_NONE when no trap came */
    uint64_t cause;     /* xcause at that level (vscause in VS) */
    uint64_t epc;
    uint64_t tval;
    uint64_t tval2;     /* htval (HS) or mtval2 (M); 0 at VS */
    uint64_t tinst;     /* htinst (HS) or mtinst (M); 0 at VS */
    uint64_t status;    /* mstatus (M), HS sstatus (HS) or vsstatus (VS, read as sstatus) */
    uint64_t hstatus;   /* at M and HS: hstatus when the trap was taken; 0 at VS */
    uint64_t vsstatus;  /* at M and HS: vsstatus when the trap was taken */
    int pv;             /* previous virtualization mode: mstatus.MPV (M), hstatus.SPV (HS), 1 (VS) */
    int pp;             /* previous nominal privilege: MPP (M) or SPP (HS, VS) */
    int gva;            /* mstatus.GVA (M) or hstatus.GVA (HS); -1 at VS, which has no GVA */
};
extern volatile struct htrap_record htrap_rec;

/* Arms the one-shot catcher: the next trap at any level is recorded and resumed as `resume` says
 * (RESUME_NEXT, RESUME_RA, RESUME_RETRY or an address; priv.h). An interrupt is recorded and then
 * disabled at the level that took it (its bit in mie, sie/hie, or the guest's sie) so that it does
 * not come back; use RESUME_RETRY for interrupts. */
void htrap_arm(uint64_t resume);
/* Disarms the catcher; the recorded cause, or -1 when no trap came. */
int64_t htrap_cause(void);

/* One check per field: level, cause, epc, tval, tval2 (CHECK_SKIP leaves epc/tval/tval2 out). */
void check_htrap(const char *what, int level, uint64_t cause, uint64_t epc, uint64_t tval, uint64_t tval2);
/* Checks the previous-mode fields of the last trap: pv (MPV/SPV) and pp (MPP/SPP). */
void check_htrap_prev(const char *what, int pv, int pp);
/* Checks the recorded GVA bit (mstatus.GVA at M, hstatus.GVA at HS). */
void check_htrap_gva(const char *what, int gva);
/* Disarms the catcher and checks that no trap came. */
void check_no_htrap(const char *what);
/* A guest-page fault's htval/mtval2: "either zero or the guest physical address that faulted,
 * shifted right by 2 bits" (hypervisor.adoc "Hypervisor Trap Value (htval) Register"). */
void check_htrap_tval2_gpa(const char *what, uint64_t gpa);
/* The trap instruction register holds zero or `transformed` (0: only zero is allowed). */
void check_htrap_tinst(const char *what, uint64_t transformed);

/* check(name, cond, 1) with a clearer call site. */
void check_true(const char *name, int cond);

/* --- Setup and mode switching. --- */

/* Trap vectors and stacks for M, HS and VS; PMP entry 0 = all memory RWX; no delegation anywhere;
 * hgatp, vsatp and satp Bare; every counter enabled at every level (mcounteren, hcounteren,
 * scounteren all ones in CY/TM/IR). Called once from M at the start of main(). */
void h_init(void);

/* Resets the state a program's group may have changed back to h_init's values: medeleg, mideleg,
 * hedeleg, hideleg, hvip, hie/mie, hstatus, hgatp, vsatp, mstatus TVM/TW/TSR/MXR/SUM/MPRV,
 * vsstatus SUM/MXR, counter enables. Called from M. */
void h_reset(void);

/* The mode the hart is in, as the runtime tracks it (H_M, H_HS, H_VS, ...). */
extern volatile int h_mode_now;

/* Runs fn(arg) in `mode` and returns its result. Callable from M (any mode: MRET with MPP/MPV),
 * from HS (H_HS, H_U, H_VS, H_VU: SRET with sstatus.SPP and hstatus.SPV, and hstatus.SPVP set to
 * the guest's privilege) and from VS (H_VS, H_VU: SRET with vsstatus.SPP). fn runs on the caller's
 * stack with translation as the target mode has it: guest code needs its code and stack mapped at
 * their physical addresses. The callee comes back by returning (into h_return_stub, whose ECALL
 * whichever level takes it turns into an xRET to the caller, forwarding it upwards first when that
 * level is below the caller's). The caller's own xIE bit is preserved. */
typedef uint64_t (*h_fn)(uint64_t arg);
uint64_t h_call(int mode, h_fn fn, uint64_t arg);

/* The same with an explicit pc, sp (0: the caller's) and return address (h_return_stub to come
 * back through the runtime). */
uint64_t h_enter(int mode, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra);
void h_return_stub(void);

/* The magic a7 of the ECALL that ends an h_enter, and of the one that reports an unexpected trap
 * taken in VS (a0..a2 = vscause, vsepc, vstval) to HS or M, which print it and exit. */
#define H_RETURN_MAGIC 0x48525456UL
#define H_PANIC_MAGIC  0x4850414eUL

/* A program's own handler, tried before the catcher: return nonzero when it handled the trap.
 * `level` is HLVL_*; the frame is the vector's (epc/status are written back on return). */
typedef int (*h_hook_fn)(struct priv_frame *f, int level);
void h_set_hook(h_hook_fn hook);

/* --- Probes that run in any mode. --- */

/* Executes `insn` (a string of assembler) at a local label and yields the label's address (the
 * expected epc). `insn` may use t0/t1; the H instructions are enabled. */
#define H_AT(insn)                                                                                        \
    ({                                                                                                    \
        uint64_t at_;                                                                                     \
        __asm__ volatile(H_ASM(".option norvc\n\tla %0, 1f\n1:\t" insn) : "=&r"(at_) : : "t0", "t1", "memory"); \
        at_;                                                                                              \
    })

/* h_probe_ld(addr) loads the doubleword at addr (`ld a0, 0(a0)`); h_probe_sd(addr) stores addr
 * there (`sd a0, 0(a0)`). Both are h_fn, for h_call; a fault's epc is h_probe_ld_insn /
 * h_probe_sd_insn. A load that traps and resumes (RESUME_NEXT) returns its address unchanged. */
uint64_t h_probe_ld(uint64_t addr);
uint64_t h_probe_sd(uint64_t addr);
extern char h_probe_ld_insn[], h_probe_sd_insn[];
#define INSN_PROBE_LD 0x00053503u   /* ld a0, 0(a0) */
#define INSN_PROBE_SD 0x00a53023u   /* sd a0, 0(a0) */

/* An ECALL whose a7 is not a runtime magic. */
static inline void h_ecall(void)
{
    register uint64_t a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : "+r"(a7) : : "memory");
}

#endif
