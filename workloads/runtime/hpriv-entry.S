/*
 * Trap vectors and mode switching for the h-* programs (hpriv.h).
 *
 * Three vectors, one per level that can take a trap (hypervisor.adoc "Trap Entry"): M (mtvec),
 * HS (stvec while V=0) and VS (vstvec; it runs in VS-mode, where sscratch/sepc/scause/stval/sstatus
 * are the VS CSRs, "When V=1, the VS CSRs substitute for the corresponding supervisor CSRs").
 * Each level has its own trap stack, found through its scratch CSR (mscratch, sscratch, vsscratch):
 * on entry sp and the scratch CSR are swapped, so a guest's sp is never pushed through; while a
 * handler runs the scratch CSR holds its frame, so a nested trap at the same level pushes below.
 *
 * h_switch saves the caller's callee-saved registers in a context stack and MRETs or SRETs into
 * the mode hpriv.c prepared; the callee comes back through h_return_stub's ECALL, which
 * h_dispatch turns into an xRET to h_resume in the caller's mode.
 */
#include "frame.h"

#define CTX_SIZE    128
#define CTX_SLOTS   6
#define H_RETURN_MAGIC 0x48525456
#define H_PANIC_MAGIC  0x4850414e

.macro SAVE_REGS
    SAVE_GPRS
    sd      zero, 0(sp)
.endm

.macro RESTORE_REGS
    RESTORE_GPRS
    ld      sp, 2*8(sp)
.endm

/*
 * One vector: `level` is HLVL_* (3 M, 2 HS, 1 VS), `x` the CSR prefix (m or s), `ppmask` the
 * status bits a handler may change through frame->status (M: MPP, MPIE, MPV; S: SPP, SPIE).
 */
.macro TRAP_VECTOR name, level, x, ppmask
    .text
    .balign 4
    .globl \name
\name:
    csrrw   sp, \x\()scratch, sp
    addi    sp, sp, -FRAME_SIZE
    SAVE_REGS
    csrr    t0, \x\()scratch            /* the interrupted sp */
    sd      t0, 2*8(sp)
    csrw    \x\()scratch, sp            /* a nested trap pushes below this frame */
    csrr    t0, \x\()epc
    sd      t0, EPC_OFF(sp)
    csrr    t0, \x\()cause
    sd      t0, CAUSE_OFF(sp)
    csrr    t0, \x\()tval
    sd      t0, TVAL_OFF(sp)
    csrr    t0, \x\()status
    sd      t0, STATUS_OFF(sp)

    mv      a0, sp
    li      a1, \level
    call    h_dispatch

    ld      t0, EPC_OFF(sp)
    csrw    \x\()epc, t0
    li      t1, \ppmask
    ld      t0, STATUS_OFF(sp)
    and     t0, t0, t1
    csrc    \x\()status, t1
    csrs    \x\()status, t0
    addi    t0, sp, FRAME_SIZE
    csrw    \x\()scratch, t0
    RESTORE_REGS
    \x\()ret
.endm

    TRAP_VECTOR h_m_trap_entry, 3, m, 0x8000001880
    TRAP_VECTOR h_hs_trap_entry, 2, s, 0x120
    TRAP_VECTOR h_vs_trap_entry, 1, s, 0x120

/*
 * uint64_t h_switch(int use_sret, pc, arg, sp, ra): hpriv.c has set xPP/xPV and the caller's slot's
 * mode and ie fields; this saves ra, sp, s0..s11 in slot h_depth, pushes it and xRETs to pc. It
 * returns (through h_resume) with the callee's result.
 */
    .text
    .balign 4
    .globl h_switch
h_switch:
    la      t0, h_depth
    ld      t1, 0(t0)
    slli    t2, t1, 7
    la      t3, h_ctx
    add     t2, t2, t3
    addi    t1, t1, 1
    sd      t1, 0(t0)
    sd      ra, 0(t2)
    sd      sp, 8(t2)
    sd      s0, 16(t2)
    sd      s1, 24(t2)
    sd      s2, 32(t2)
    sd      s3, 40(t2)
    sd      s4, 48(t2)
    sd      s5, 56(t2)
    sd      s6, 64(t2)
    sd      s7, 72(t2)
    sd      s8, 80(t2)
    sd      s9, 88(t2)
    sd      s10, 96(t2)
    sd      s11, 104(t2)
    beqz    a3, 1f
    mv      sp, a3
1:  mv      ra, a4
    bnez    a0, 2f
    csrw    mepc, a1
    mv      a0, a2
    mret
2:  csrw    sepc, a1
    mv      a0, a2
    sret

    .globl h_return_stub
/* The code entered by h_enter returns here; a0 is its result. */
h_return_stub:
    li      a7, H_RETURN_MAGIC
    ecall
1:  j       1b

    .globl h_resume
/* h_dispatch returns here, in the caller's mode, after popping its slot (a0 = result). */
h_resume:
    la      t0, h_depth
    ld      t1, 0(t0)
    slli    t2, t1, 7
    la      t3, h_ctx
    add     t2, t2, t3
    ld      ra, 0(t2)
    ld      sp, 8(t2)
    ld      s0, 16(t2)
    ld      s1, 24(t2)
    ld      s2, 32(t2)
    ld      s3, 40(t2)
    ld      s4, 48(t2)
    ld      s5, 56(t2)
    ld      s6, 64(t2)
    ld      s7, 72(t2)
    ld      s8, 80(t2)
    ld      s9, 88(t2)
    ld      s10, 96(t2)
    ld      s11, 104(t2)
    li      a7, 0                       /* no stale magic for the caller's next ECALL */
    ret

/*
 * Single-access probes for any mode (hpriv.h): a load of the doubleword at a0, a store of a0 to
 * itself. The access instruction has its own label, the epc a fault reports.
 */
    .option push
    .option norvc
    .globl h_probe_ld, h_probe_ld_insn, h_probe_sd, h_probe_sd_insn
h_probe_ld:
h_probe_ld_insn:
    ld      a0, 0(a0)
    ret
h_probe_sd:
h_probe_sd_insn:
    sd      a0, 0(a0)
    ret
    .option pop

    .globl h_forward_return, h_forward_illegal, h_vs_panic
/*
 * A handler below the caller's level passes the return on upwards: an ECALL, or, from HS when
 * ECALL from HS-mode is itself delegated (a1 != 0), an access to an M-mode CSR (illegal in HS),
 * which h_dispatch recognises by its address.
 */
h_forward_return:
    li      a7, H_RETURN_MAGIC
    bnez    a1, h_forward_illegal
    ecall
1:  j       1b
h_forward_illegal:
    csrr    zero, mscratch
1:  j       1b

/* An unexpected trap in VS: a0..a2 = vscause, vsepc, vstval go up to HS or M, which print them. */
h_vs_panic:
    li      a7, H_PANIC_MAGIC
    ecall
1:  j       1b

    .bss
    .balign 16
    .globl h_m_stack_top, h_hs_stack_top, h_vs_stack_top
h_m_stack:
    .skip   8192
h_m_stack_top:
h_hs_stack:
    .skip   8192
h_hs_stack_top:
h_vs_stack:
    .skip   8192
h_vs_stack_top:
    .globl h_ctx, h_depth
    .balign 16
h_ctx:
    .skip   CTX_SIZE * CTX_SLOTS
h_depth:
    .skip   8
