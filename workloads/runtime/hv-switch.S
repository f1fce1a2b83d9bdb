/*
 * Entering a lower context and taking its traps (hv-ctx.h), for the hypervisor in HS-mode and for
 * the guest kernel in VS-mode: the same instructions name HS CSRs in HS and VS CSRs in VS.
 */
#include "hv-ctx.h"

    .text
    .balign 4
    .globl ctx_enter
/* uint64_t ctx_enter(struct lower_ctx *c) */
ctx_enter:
    sd      ra, CTX_HOST + 0*8(a0)
    sd      sp, CTX_HOST + 1*8(a0)
    sd      gp, CTX_HOST + 2*8(a0)
    sd      tp, CTX_HOST + 3*8(a0)
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    sd      s\n, CTX_HOST + (4+\n)*8(a0)
    .endr
    ld      t0, CTX_PC(a0)
    csrw    sepc, t0
    /* SRET returns to the privilege in SPP and sets SIE from SPIE (supervisor.adoc "Supervisor
     * Status Register"); from HS, hstatus.SPV=1 (set by the caller) makes the target virtual. */
    li      t1, CTX_STATUS_MASK
    ld      t0, CTX_STATUS(a0)
    and     t0, t0, t1
    csrc    sstatus, t1
    csrs    sstatus, t0
    csrw    sscratch, a0
    .irp n, 1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, CTX_X + \n*8(a0)
    .endr
    ld      a0, CTX_X + 10*8(a0)
    sret

/*
 * A trap vector: sscratch holds the lower context while it runs and 0 while the supervisor runs.
 * `fatal` is called (on the interrupted stack) for a trap of the supervisor itself.
 */
.macro LOWER_VECTOR name, fatal
    .text
    .balign 4
    .globl \name
\name:
    csrrw   sp, sscratch, sp
    beqz    sp, 1f
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, CTX_X + \n*8(sp)
    .endr
    csrrw   t0, sscratch, zero          /* the lower sp; from now on the supervisor runs */
    sd      t0, CTX_X + 2*8(sp)
    csrr    t0, sepc
    sd      t0, CTX_PC(sp)
    csrr    t0, sstatus
    sd      t0, CTX_STATUS(sp)
    csrr    t1, stval
    sd      t1, CTX_TVAL(sp)
    csrr    a0, scause
    sd      a0, CTX_CAUSE(sp)
    mv      t0, sp
    ld      ra, CTX_HOST + 0*8(t0)
    ld      sp, CTX_HOST + 1*8(t0)
    ld      gp, CTX_HOST + 2*8(t0)
    ld      tp, CTX_HOST + 3*8(t0)
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    ld      s\n, CTX_HOST + (4+\n)*8(t0)
    .endr
    ret                                  /* from ctx_enter, a0 = scause */
1:  csrrw   sp, sscratch, sp            /* back to the supervisor's sp, sscratch = 0 */
    j       \fatal
.endm

    LOWER_VECTOR hv_trap_vector, hv_self_trap
    LOWER_VECTOR guest_trap_vector, guest_self_trap

/*
 * void hv_handover(uint64_t pc, uint64_t sp, uint64_t arg), from M-mode: MRET into HS-mode
 * (mstatus.MPP = S, MPV = 0; hypervisor.adoc "Trap Return") at pc with sp and a0 = arg.
 */
    .globl hv_handover
hv_handover:
    li      t0, (3 << 11) | (1 << 7)    /* MPP, MPIE */
    csrc    mstatus, t0
    li      t0, 1 << 11                 /* MPP = S */
    csrs    mstatus, t0
    li      t0, 1
    slli    t0, t0, 39                  /* MPV */
    csrc    mstatus, t0
    csrw    mepc, a0
    mv      sp, a1
    mv      a0, a2
    mret
