/*
 * Assembler macros for the self-checking ISA programs (workloads/src/isa-*). Each macro sets up
 * operands, executes the instruction under test and calls check(name, got, want) (check.c), which
 * prints one line. Register conventions:
 *   - operands in t1, t2; result in t3; the name string is built from the macro arguments;
 *   - check() is an ordinary C call: every caller-saved register is dead after a check, so each
 *     test sets up all of its own state;
 *   - a `got` register given to CHECK/CHECK_VAL must not be a0..a2 (they carry the arguments).
 * Include with #include "asm-test.h" from a .S file (C preprocessor, then GNU as macros).
 */
#ifndef RVHSIM_ASM_TEST_H
#define RVHSIM_ASM_TEST_H

/*
 * main: an 80-byte frame. 0..47(sp) is scratch for tests that need sp-relative memory; s0 and s1
 * are saved so that tests may use them (isa-rv64c needs x8..x15).
 */
.macro TEST_MAIN_BEGIN
    .text
    .globl main
    .balign 4
main:
    addi    sp, sp, -80
    sd      s0, 56(sp)
    sd      s1, 64(sp)
    sd      ra, 72(sp)
.endm

.macro TEST_MAIN_END program
    la      a0, .Lprogram\@
    call    check_summary
    ld      s0, 56(sp)
    ld      s1, 64(sp)
    ld      ra, 72(sp)
    addi    sp, sp, 80
    ret
    .pushsection .rodata.str, "a", @progbits
.Lprogram\@: .asciz "\program"
    .popsection
.endm

/* check(name, got, want) with both values in registers. */
.macro CHECK name, got, want
    mv      a1, \got
    mv      a2, \want
    la      a0, .Lname\@
    call    check
    .pushsection .rodata.str, "a", @progbits
.Lname\@: .asciz "\name"
    .popsection
.endm

/* check(name, got, want) against a constant. */
.macro CHECK_VAL name, got, want
    mv      a1, \got
    li      a2, \want
    la      a0, .Lname\@
    call    check
    .pushsection .rodata.str, "a", @progbits
.Lname\@: .asciz "\name"
    .popsection
.endm

/* rd = rs1 op rs2 */
.macro TEST_RR inst, a, b, want
    li      t1, \a
    li      t2, \b
    \inst   t3, t1, t2
    CHECK_VAL "\inst \a, \b", t3, \want
.endm

/* rd == rs1: the source is read before the destination is written */
.macro TEST_RR_RD_RS1 inst, a, b, want
    li      t1, \a
    li      t2, \b
    \inst   t1, t1, t2
    CHECK_VAL "\inst \a, \b (rd=rs1)", t1, \want
.endm

/* rd == rs2 */
.macro TEST_RR_RD_RS2 inst, a, b, want
    li      t1, \a
    li      t2, \b
    \inst   t2, t1, t2
    CHECK_VAL "\inst \a, \b (rd=rs2)", t2, \want
.endm

/* rs1 == rs2 */
.macro TEST_RR_SAME inst, a, want
    li      t1, \a
    \inst   t3, t1, t1
    CHECK_VAL "\inst \a, \a (rs1=rs2)", t3, \want
.endm

/* x0 as rs1 reads zero */
.macro TEST_RR_X0_RS1 inst, b, want
    li      t2, \b
    \inst   t3, x0, t2
    CHECK_VAL "\inst x0, \b", t3, \want
.endm

/* x0 as rd: the result is discarded */
.macro TEST_RR_X0_RD inst, a, b
    li      t1, \a
    li      t2, \b
    \inst   x0, t1, t2
    CHECK_VAL "\inst \a, \b -> x0", x0, 0
.endm

/* rd = rs1 op imm */
.macro TEST_RI inst, a, imm, want
    li      t1, \a
    \inst   t3, t1, \imm
    CHECK_VAL "\inst \a, \imm", t3, \want
.endm

.macro TEST_RI_RD_RS1 inst, a, imm, want
    li      t1, \a
    \inst   t1, t1, \imm
    CHECK_VAL "\inst \a, \imm (rd=rs1)", t1, \want
.endm

/* rd = op rs1 (unary, e.g. sext.w, neg) */
.macro TEST_R inst, a, want
    li      t1, \a
    \inst   t3, t1
    CHECK_VAL "\inst \a", t3, \want
.endm

/* rd = inst imm (lui) */
.macro TEST_U inst, imm, want
    \inst   t3, \imm
    CHECK_VAL "\inst \imm", t3, \want
.endm

/* rd = load off(label) */
.macro TEST_LOAD inst, label, off, want
    la      t1, \label
    \inst   t3, \off(t1)
    CHECK_VAL "\inst \label+\off", t3, \want
.endm

/*
 * Store `value` at off(label) over a doubleword prefilled with `fill`, then check the whole
 * aligned doubleword at `label` (only the stored bytes may change).
 */
.macro TEST_STORE inst, label, fill, off, value, want
    la      t1, \label
    li      t2, \fill
    sd      t2, 0(t1)
    li      t2, \value
    \inst   t2, \off(t1)
    ld      t3, 0(t1)
    CHECK_VAL "\inst \value at \label+\off", t3, \want
.endm

/* A branch: t3 = 1 if it was taken, 0 if it fell through. */
.macro TEST_BR inst, a, b, taken
    li      t1, \a
    li      t2, \b
    li      t3, 0
    \inst   t1, t2, .Ltaken\@
    j       .Ldone\@
.Ltaken\@:
    li      t3, 1
.Ldone\@:
    CHECK_VAL "\inst \a, \b taken", t3, \taken
.endm

/* One-operand branch (beqz, bnez, ...). */
.macro TEST_BR1 inst, a, taken
    li      t1, \a
    li      t3, 0
    \inst   t1, .Ltaken\@
    j       .Ldone\@
.Ltaken\@:
    li      t3, 1
.Ldone\@:
    CHECK_VAL "\inst \a taken", t3, \taken
.endm

/*
 * Expected traps. TRAP_BEGIN arms the runtime's one-shot catcher (trap.c); the instruction(s)
 * under test follow; TRAP_END checks the recorded mcause (-1 means no trap was taken) and that
 * mepc pointed at the instruction labelled `at`. The catcher resumes after the trapping instruction.
 */
.macro TRAP_BEGIN
    call    trap_expect
.endm

.macro TRAP_END name, cause
    call    trap_taken_cause
    mv      t3, a0
    CHECK_VAL "\name: mcause", t3, \cause
.endm

.macro TRAP_END_AT name, cause, at
    TRAP_END "\name", \cause
    call    trap_taken_epc
    mv      t3, a0
    la      t4, \at
    CHECK   "\name: mepc", t3, t4
.endm

/* Standard exception codes (machine.adoc "Machine Cause Register", table of mcause values). */
#define CAUSE_NONE              -1
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_ECALL_M           11

#endif
