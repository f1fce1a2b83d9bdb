/*
 * M-mode trap vector: saves every integer register and the trap CSRs into a struct trap_frame
 * (rt.h) on the current stack, calls trap_dispatch(frame) in C, then restores and returns with
 * mret to frame->mepc (which the handler may have moved past the trapping instruction).
 */
#define FRAME_SIZE  (36 * 8)
#define MEPC_OFF    (32 * 8)
#define MCAUSE_OFF  (33 * 8)
#define MTVAL_OFF   (34 * 8)
#define MSTATUS_OFF (35 * 8)

    .text
    .balign 4
    .globl trap_entry
trap_entry:
    addi    sp, sp, -FRAME_SIZE
    sd      x1, 1*8(sp)
    sd      x3, 3*8(sp)
    sd      x4, 4*8(sp)
    sd      x5, 5*8(sp)
    sd      x6, 6*8(sp)
    sd      x7, 7*8(sp)
    sd      x8, 8*8(sp)
    sd      x9, 9*8(sp)
    sd      x10, 10*8(sp)
    sd      x11, 11*8(sp)
    sd      x12, 12*8(sp)
    sd      x13, 13*8(sp)
    sd      x14, 14*8(sp)
    sd      x15, 15*8(sp)
    sd      x16, 16*8(sp)
    sd      x17, 17*8(sp)
    sd      x18, 18*8(sp)
    sd      x19, 19*8(sp)
    sd      x20, 20*8(sp)
    sd      x21, 21*8(sp)
    sd      x22, 22*8(sp)
    sd      x23, 23*8(sp)
    sd      x24, 24*8(sp)
    sd      x25, 25*8(sp)
    sd      x26, 26*8(sp)
    sd      x27, 27*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
    addi    t0, sp, FRAME_SIZE      /* the interrupted sp */
    sd      t0, 2*8(sp)
    sd      zero, 0(sp)
    csrr    t0, mepc
    sd      t0, MEPC_OFF(sp)
    csrr    t0, mcause
    sd      t0, MCAUSE_OFF(sp)
    csrr    t0, mtval
    sd      t0, MTVAL_OFF(sp)
    csrr    t0, mstatus
    sd      t0, MSTATUS_OFF(sp)

    mv      a0, sp
    call    trap_dispatch

    ld      t0, MEPC_OFF(sp)
    csrw    mepc, t0
    ld      x1, 1*8(sp)
    ld      x3, 3*8(sp)
    ld      x4, 4*8(sp)
    ld      x5, 5*8(sp)
    ld      x6, 6*8(sp)
    ld      x7, 7*8(sp)
    ld      x8, 8*8(sp)
    ld      x9, 9*8(sp)
    ld      x10, 10*8(sp)
    ld      x11, 11*8(sp)
    ld      x12, 12*8(sp)
    ld      x13, 13*8(sp)
    ld      x14, 14*8(sp)
    ld      x15, 15*8(sp)
    ld      x16, 16*8(sp)
    ld      x17, 17*8(sp)
    ld      x18, 18*8(sp)
    ld      x19, 19*8(sp)
    ld      x20, 20*8(sp)
    ld      x21, 21*8(sp)
    ld      x22, 22*8(sp)
    ld      x23, 23*8(sp)
    ld      x24, 24*8(sp)
    ld      x25, 25*8(sp)
    ld      x26, 26*8(sp)
    ld      x27, 27*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
    addi    sp, sp, FRAME_SIZE
    mret
