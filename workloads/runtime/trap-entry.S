/*
 * M-mode trap vector: saves every integer register and the trap CSRs into a struct trap_frame
 * (rt.h) on the current stack, calls trap_dispatch(frame) in C, then restores and returns with
 * mret to frame->mepc (which the handler may have moved past the trapping instruction).
 */
#include "frame.h"

    .text
    .balign 4
    .globl trap_entry
trap_entry:
    addi    sp, sp, -FRAME_SIZE
    SAVE_GPRS
    addi    t0, sp, FRAME_SIZE      /* the interrupted sp */
    sd      t0, 2*8(sp)
    sd      zero, 0(sp)
    csrr    t0, mepc
    sd      t0, EPC_OFF(sp)
    csrr    t0, mcause
    sd      t0, CAUSE_OFF(sp)
    csrr    t0, mtval
    sd      t0, TVAL_OFF(sp)
    csrr    t0, mstatus
    sd      t0, STATUS_OFF(sp)

    mv      a0, sp
    call    trap_dispatch

    ld      t0, EPC_OFF(sp)
    csrw    mepc, t0
    RESTORE_GPRS
    addi    sp, sp, FRAME_SIZE
    mret
