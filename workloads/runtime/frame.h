/*
 * The trap frame every trap vector of the runtime builds on its stack (assembler side of
 * struct trap_frame in rt.h, struct priv_frame in priv.h and the h-* frame in hpriv.h):
 * x0..x31 at 8*n (slot 0 holds zero, slot 2 the interrupted sp), then the trap CSRs.
 * Included by trap-entry.S, priv-entry.S and hpriv-entry.S.
 */
#define FRAME_SIZE  (36 * 8)
#define EPC_OFF     (32 * 8)
#define CAUSE_OFF   (33 * 8)
#define TVAL_OFF    (34 * 8)
#define STATUS_OFF  (35 * 8)

/* Store x1 and x3..x31 into their frame slots (sp, x2, is the caller's business). */
.macro SAVE_GPRS
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, \n*8(sp)
    .endr
.endm

/* Load x1 and x3..x31 back from their frame slots. */
.macro RESTORE_GPRS
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, \n*8(sp)
    .endr
.endm
