/*
 * Trap vectors and privilege switching for the priv-* programs (priv.h).
 *
 * Each level has its own trap stack, found through its scratch CSR (machine.adoc "Machine Scratch
 * Register (mscratch)"): on entry sp and xscratch are swapped, so a trap from S- or U-mode code
 * whose sp is a virtual address never pushes through it. While a handler runs, xscratch holds its
 * frame's address so that a nested trap at the same level pushes below it.
 *
 * priv_enter_m / priv_enter_s save the caller's callee-saved registers in a small context stack and
 * xRET into the target mode; the target comes back by returning into priv_return_stub, whose ECALL
 * priv_dispatch() (priv.c) turns into an xRET to priv_resume in the caller's mode.
 */
#include "frame.h"

#define CTX_SIZE    128
#define PRIV_RETURN_MAGIC 0x52564853

/* Save every register but sp into the frame at sp; t0 = the interrupted sp. */
.macro SAVE_REGS
    SAVE_GPRS
    sd      zero, 0(sp)
.endm

.macro RESTORE_REGS
    RESTORE_GPRS
    ld      sp, 2*8(sp)
.endm

/*
 * One trap vector. `level` is PRV_M (3) or PRV_S (1); `x` is the CSR prefix (m or s); `ppmask` the
 * status bits a handler may change through frame->status (xPP and xPIE).
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
    call    priv_dispatch

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

    TRAP_VECTOR priv_m_trap_entry, 3, m, 0x1880
    TRAP_VECTOR priv_s_trap_entry, 1, s, 0x120

/*
 * Saves ra, sp, s0..s11 and the caller's level and interrupt-enable bit in the next context slot;
 * a0..a4 are left alone. \level is the caller's privilege, \ie the value of its xIE bit (0/1).
 */
.macro SAVE_CONTEXT level, ie_csr, ie_bit
    la      t0, priv_depth
    ld      t1, 0(t0)
    slli    t2, t1, 7
    la      t3, priv_ctx
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
    li      t4, \level
    sd      t4, 112(t2)
    csrr    t4, \ie_csr
    srli    t4, t4, \ie_bit
    andi    t4, t4, 1
    sd      t4, 120(t2)
.endm

    .text
    .balign 4
    .globl priv_enter_m
/* uint64_t priv_enter_m(prv, pc, arg, sp, ra) -- from M-mode */
priv_enter_m:
    SAVE_CONTEXT 3, mstatus, 3
    li      t4, 3 << 11                 /* mstatus.MPP = prv */
    csrc    mstatus, t4
    slli    t4, a0, 11
    csrs    mstatus, t4
    csrw    mepc, a1
    la      t4, priv_m_stack_top
    csrw    mscratch, t4
    la      t4, priv_s_stack_top
    csrw    sscratch, t4
    beqz    a3, 1f
    mv      sp, a3
1:  mv      ra, a4
    mv      a0, a2
    mret

    .globl priv_enter_s
/* uint64_t priv_enter_s(prv, pc, arg, sp, ra) -- from S-mode; prv is U or S */
priv_enter_s:
    SAVE_CONTEXT 1, sstatus, 1
    li      t4, 1 << 8                  /* sstatus.SPP = prv */
    csrc    sstatus, t4
    slli    t4, a0, 8
    csrs    sstatus, t4
    csrw    sepc, a1
    la      t4, priv_s_stack_top
    csrw    sscratch, t4
    beqz    a3, 1f
    mv      sp, a3
1:  mv      ra, a4
    mv      a0, a2
    sret

    .globl priv_return_stub
/* The code entered by priv_enter_* returns here; a0 is its result. */
priv_return_stub:
    li      a7, PRIV_RETURN_MAGIC
    ecall
1:  j       1b

    .globl priv_resume
/* priv_dispatch returns here, in the caller's mode, after popping its context (a0 = result). */
priv_resume:
    la      t0, priv_depth
    ld      t1, 0(t0)
    slli    t2, t1, 7
    la      t3, priv_ctx
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
    ret

    .globl priv_forward_return, priv_forward_illegal
/*
 * An S-mode handler passes a return meant for an M-mode caller on to M: ECALL again, or, when
 * ECALL from S is itself delegated (a1 != 0), an access to an M-mode CSR (illegal from S), which
 * priv_dispatch recognises by its address.
 */
priv_forward_return:
    li      a7, PRIV_RETURN_MAGIC
    bnez    a1, priv_forward_illegal
    ecall
1:  j       1b
priv_forward_illegal:
    csrr    zero, mscratch
1:  j       1b

    .bss
    .balign 16
    .globl priv_m_stack_top, priv_s_stack_top
priv_m_stack:
    .skip   8192
priv_m_stack_top:
priv_s_stack:
    .skip   8192
priv_s_stack_top:
    .globl priv_ctx, priv_depth
    .balign 16
priv_ctx:
    .skip   CTX_SIZE * 4
priv_depth:
    .skip   8
