/*
 * Vectored trap tables for priv-traps (machine.adoc "Machine Trap-Vector Base-Address Register
 * (mtvec)", MODE=Vectored: exceptions go to BASE, interrupt `cause` to BASE+4*cause). Each slot
 * records its number in vec_slot_m / vec_slot_s and continues in the ordinary vector.
 */
.macro SLOT_STUB x, n, target
vec_\x\()_\n:
    csrrw   sp, \x\()scratch, sp
    addi    sp, sp, -16
    sd      t0, 0(sp)
    sd      t1, 8(sp)
    la      t0, vec_slot_\x
    li      t1, \n
    sd      t1, 0(t0)
    ld      t0, 0(sp)
    ld      t1, 8(sp)
    addi    sp, sp, 16
    csrrw   sp, \x\()scratch, sp
    j       \target
.endm

.macro TABLE x, target
    .text
    .balign 64
    .globl vec_table_\x
vec_table_\x:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j       vec_\x\()_\n
    .endr
    .option pop
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    SLOT_STUB \x, \n, \target
    .endr
.endm

    TABLE m, priv_m_trap_entry
    TABLE s, priv_s_trap_entry

    .bss
    .balign 8
    .globl vec_slot_m, vec_slot_s
vec_slot_m: .skip 8
vec_slot_s: .skip 8
