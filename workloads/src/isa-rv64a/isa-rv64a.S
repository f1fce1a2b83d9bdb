/*
 * isa-rv64a: the A extension on RV64 (a.adoc): every AMO in .W and .D form, LR/SC success and
 * the SC failures the spec makes certain, and misaligned atomics. Uncompressed encodings.
 * One line per check; exit code = failed checks.
 */
#include "asm-test.h"

/*
 * Preset the doubleword at amo_buf to `init`, run `inst rd, operand, (amo_buf + off)`, then check
 * rd and the whole doubleword (a .W AMO must leave the other word alone).
 */
.macro TEST_AMO inst, off, init, operand, want_rd, want_mem
    la      t0, amo_buf
    li      t1, \init
    sd      t1, 0(t0)
    addi    t0, t0, \off
    li      t2, \operand
    \inst   t3, t2, (t0)
    CHECK_VAL "\inst [\init] \operand: rd", t3, \want_rd
    la      t0, amo_buf
    ld      t3, 0(t0)
    CHECK_VAL "\inst [\init] \operand: memory", t3, \want_mem
.endm

/* A trap was taken at `at` with an address-misaligned cause (see the misaligned tests below). */
.macro TRAP_END_MISALIGNED_AMO name, at
    call    trap_taken_cause
    addi    t3, a0, -CAUSE_MISALIGNED_STORE
    seqz    t3, t3
    addi    t4, a0, -CAUSE_MISALIGNED_LOAD
    seqz    t4, t4
    or      t3, t3, t4
    CHECK_VAL "\name: address-misaligned trap", t3, 1
    call    trap_taken_epc
    mv      t3, a0
    la      t4, \at
    CHECK   "\name: mepc", t3, t4
.endm

    .option norvc
    TEST_MAIN_BEGIN

    /* AMO*.W: rd = old value sign-extended from 32 bits; memory = op(old, rs2), upper word untouched */
    TEST_AMO        amoswap.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 1
    TEST_AMO        amoswap.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amoswap.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x1234567880000000
    TEST_AMO        amoswap.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba9800000003
    TEST_AMO        amoadd.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0
    TEST_AMO        amoadd.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amoadd.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x12345678ffffffff
    TEST_AMO        amoadd.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba9800000001
    TEST_AMO        amoxor.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xfffffffe
    TEST_AMO        amoxor.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amoxor.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x12345678ffffffff
    TEST_AMO        amoxor.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba98fffffffd
    TEST_AMO        amoand.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 1
    TEST_AMO        amoand.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x8000000000000000
    TEST_AMO        amoand.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x1234567800000000
    TEST_AMO        amoand.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba9800000002
    TEST_AMO        amoor.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffff
    TEST_AMO        amoor.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amoor.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x12345678ffffffff
    TEST_AMO        amoor.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba98ffffffff
    TEST_AMO        amomin.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffff
    TEST_AMO        amomin.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amomin.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x1234567880000000
    TEST_AMO        amomin.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba98fffffffe
    TEST_AMO        amomax.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 1
    TEST_AMO        amomax.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x8000000000000000
    TEST_AMO        amomax.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x123456787fffffff
    TEST_AMO        amomax.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba9800000003
    TEST_AMO        amominu.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 1
    TEST_AMO        amominu.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x8000000000000000
    TEST_AMO        amominu.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x123456787fffffff
    TEST_AMO        amominu.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba9800000003
    TEST_AMO        amomaxu.w, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffff
    TEST_AMO        amomaxu.w, 0, 0x8000000000000000, 0x7fffffffffffffff, 0, 0x80000000ffffffff
    TEST_AMO        amomaxu.w, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x7fffffff, 0x1234567880000000
    TEST_AMO        amomaxu.w, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfffffffffffffffe, 0xfedcba98fffffffe

    /* AMO*.D: rd = old value; memory = op(old, rs2) */
    TEST_AMO        amoswap.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 1
    TEST_AMO        amoswap.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO        amoswap.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0xfedcba9880000000
    TEST_AMO        amoswap.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0x123456700000003
    TEST_AMO        amoadd.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 0x100000000
    TEST_AMO        amoadd.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    TEST_AMO        amoadd.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0x11111110ffffffff
    TEST_AMO        amoadd.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 1
    TEST_AMO        amoxor.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 0xfffffffe
    TEST_AMO        amoxor.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    TEST_AMO        amoxor.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0xece8ece0ffffffff
    TEST_AMO        amoxor.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0xfffffffffffffffd
    TEST_AMO        amoand.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 1
    TEST_AMO        amoand.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0
    TEST_AMO        amoand.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0x1214121800000000
    TEST_AMO        amoand.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 2
    TEST_AMO        amoor.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 0xffffffff
    TEST_AMO        amoor.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    TEST_AMO        amoor.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0xfefcfef8ffffffff
    TEST_AMO        amoor.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0xffffffffffffffff
    TEST_AMO        amomin.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 1
    TEST_AMO        amomin.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000
    TEST_AMO        amomin.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0xfedcba9880000000
    TEST_AMO        amomin.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0xfedcba98fffffffe
    TEST_AMO        amomax.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 0xffffffff
    TEST_AMO        amomax.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO        amomax.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0x123456787fffffff
    TEST_AMO        amomax.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0x123456700000003
    TEST_AMO        amominu.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 1
    TEST_AMO        amominu.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO        amominu.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0x123456787fffffff
    TEST_AMO        amominu.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0x123456700000003
    TEST_AMO        amomaxu.d, 0, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff, 0xffffffff
    TEST_AMO        amomaxu.d, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000
    TEST_AMO        amomaxu.d, 0, 0x123456787fffffff, 0xfedcba9880000000, 0x123456787fffffff, 0xfedcba9880000000
    TEST_AMO        amomaxu.d, 0, 0xfedcba98fffffffe, 0x0123456700000003, 0xfedcba98fffffffe, 0xfedcba98fffffffe

    /* A .W AMO on the upper word of a doubleword */
    TEST_AMO        amoadd.w, 4, 0x7fffffff00000005, 1, 0x7fffffff, 0x8000000000000005
    TEST_AMO        amoswap.w, 4, 0x0000000011111111, 0xffffffff, 0, 0xffffffff11111111

    /* Ordering bits change nothing for a single hart */
    TEST_AMO        amoadd.d.aq, 0, 40, 2, 40, 42
    TEST_AMO        amoadd.d.rl, 0, 40, 2, 40, 42
    TEST_AMO        amoadd.w.aqrl, 0, 40, 2, 40, 42

    /* rd = x0: memory is still updated */
    la      t0, amo_buf
    li      t1, 5
    sd      t1, 0(t0)
    li      t2, 7
    amoadd.d x0, t2, (t0)
    ld      t3, 0(t0)
    CHECK_VAL "amoadd.d rd=x0: memory", t3, 12

    /* rd = rs2: the operand is read before rd is written */
    la      t0, amo_buf
    li      t1, 100
    sd      t1, 0(t0)
    li      t2, 23
    amoadd.d t2, t2, (t0)
    CHECK_VAL "amoadd.d rd=rs2: rd", t2, 100
    ld      t3, 0(t0)
    CHECK_VAL "amoadd.d rd=rs2: memory", t3, 123

    /* LR.D / SC.D to the same address: SC succeeds (rd = 0) and writes */
    la      t0, amo_buf
    li      t1, 0x1111222233334444
    sd      t1, 0(t0)
    lr.d    t3, (t0)
    CHECK_VAL "lr.d value", t3, 0x1111222233334444
    li      t2, 0x5555666677778888
    sc.d    t4, t2, (t0)
    CHECK_VAL "sc.d after lr.d succeeds", t4, 0
    ld      t3, 0(t0)
    CHECK_VAL "sc.d success writes", t3, 0x5555666677778888

    /* A second SC with no LR in between must fail (a.adoc: an SC may succeed only if there is no other SC between the LR and itself) */
    la      t0, amo_buf
    li      t2, 0x0bad0bad0bad0bad
    sc.d    t4, t2, (t0)
    CHECK_VAL "second sc.d fails with code 1", t4, 1
    ld      t3, 0(t0)
    CHECK_VAL "failed sc.d does not write", t3, 0x5555666677778888

    /* SC to an address outside the reservation set must fail */
    la      t0, amo_buf
    la      t5, amo_far
    li      t1, 77
    sd      t1, 0(t5)
    lr.d    t3, (t0)
    li      t2, 99
    sc.d    t4, t2, (t5)
    CHECK_VAL "sc.d to another address fails", t4, 1
    ld      t3, 0(t5)
    CHECK_VAL "failed sc.d elsewhere does not write", t3, 77

    /* LR.W sign-extends; SC.W writes only its word */
    la      t0, amo_buf
    li      t1, 0xaaaaaaaa80000000
    sd      t1, 0(t0)
    lr.w    t3, (t0)
    CHECK_VAL "lr.w sign-extends", t3, 0xffffffff80000000
    li      t2, 0x123456789
    sc.w    t4, t2, (t0)
    CHECK_VAL "sc.w after lr.w succeeds", t4, 0
    ld      t3, 0(t0)
    CHECK_VAL "sc.w writes one word", t3, 0xaaaaaaaa23456789
    sc.w    t4, t2, (t0)
    CHECK_VAL "second sc.w fails with code 1", t4, 1

    /* An LR/SC retry loop (a.adoc "Lock-free atomic increment" pattern): ten increments */
    la      t0, amo_buf
    sd      zero, 0(t0)
    li      t5, 10
.Lincrement:
    lr.d.aq t3, (t0)
    addi    t3, t3, 1
    sc.d.rl t4, t3, (t0)
    bnez    t4, .Lincrement
    addi    t5, t5, -1
    bnez    t5, .Lincrement
    ld      t3, 0(t0)
    CHECK_VAL "lr/sc increment loop", t3, 10

    /*
     * Misaligned atomics raise an exception (rvhsim and QEMU do not emulate them). machine.adoc
     * ("Machine Cause Register": AMOs generate store/AMO exceptions) requires cause 6 for an AMO,
     * but QEMU 7.2 reports 4 (load address misaligned); so that the output is the same on both,
     * this check accepts either, and rvhsim's own unit tests pin the exact cause.
     */
    la      t0, amo_buf
    addi    t0, t0, 2
    li      t2, 1
    TRAP_BEGIN
.Lmis_amo:
    amoadd.w t3, t2, (t0)
    TRAP_END_MISALIGNED_AMO "misaligned amoadd.w", .Lmis_amo
    la      t0, amo_buf
    addi    t0, t0, 4
    li      t2, 1
    TRAP_BEGIN
.Lmis_amod:
    amoswap.d t3, t2, (t0)
    TRAP_END_MISALIGNED_AMO "misaligned amoswap.d", .Lmis_amod
    la      t0, amo_buf
    addi    t0, t0, 1
    TRAP_BEGIN
.Lmis_lr:
    lr.w    t3, (t0)
    TRAP_END_AT "misaligned lr.w", CAUSE_MISALIGNED_LOAD, .Lmis_lr
    /* No misaligned SC check: QEMU fails an SC without a matching reservation before any access check. */

    TEST_MAIN_END "isa-rv64a"

    .data
    .balign 64
amo_buf:
    .dword  0
    .balign 64
    .skip   256
amo_far:
    .dword  0
