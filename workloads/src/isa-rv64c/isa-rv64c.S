/*
 * isa-rv64c: the compressed instructions of RV64 (zca.adoc), each written as its explicit c.*
 * mnemonic so the assembler cannot pick the 32-bit form. Results go to a3..a5/s0/s1 (the CL/CS/CA
 * formats reach only x8..x15; check() takes its arguments in a0..a2). One line per check;
 * exit code = failed checks.
 */
#include "asm-test.h"

/* Run one compressed op on a3 (and a4), check a3. */
.macro TEST_C1 inst, imm, a, want
    li      a3, \a
    \inst   a3, \imm
    CHECK_VAL "\inst \a, \imm", a3, \want
.endm

.macro TEST_C2 inst, a, b, want
    li      a3, \a
    li      a4, \b
    \inst   a3, a4
    CHECK_VAL "\inst \a, \b", a3, \want
.endm

/* C.BEQZ / C.BNEZ take x8..x15 only: a3 = 1 if taken. */
.macro TEST_CB inst, a, taken
    li      a4, \a
    li      a3, 0
    \inst   a4, .Ltaken\@
    c.j     .Ldone\@
.Ltaken\@:
    li      a3, 1
.Ldone\@:
    CHECK_VAL "\inst \a taken", a3, \taken
.endm

    .option rvc
    TEST_MAIN_BEGIN

    /* C.LI / C.LUI: 6-bit immediates, sign-extended (zca.adoc "Integer Constant-Generation Instructions") */
    c.li    a3, -32
    CHECK_VAL "c.li -32", a3, -32
    c.li    a3, 31
    CHECK_VAL "c.li 31", a3, 31
    c.lui   a3, 1
    CHECK_VAL "c.lui 1", a3, 0x1000
    c.lui   a3, 0x1f
    CHECK_VAL "c.lui 0x1f", a3, 0x1f000
    c.lui   a3, 0xfffe0
    CHECK_VAL "c.lui 0xfffe0 (nzimm -32)", a3, 0xfffffffffffe0000
    c.lui   a3, 0xfffff
    CHECK_VAL "c.lui 0xfffff (nzimm -1)", a3, 0xfffffffffffff000

    /* C.ADDI / C.ADDIW: 64-bit wrap vs 32-bit result sign-extended (zca.adoc "Integer Register-Immediate Operations") */
    TEST_C1 c.addi, -32, 0, -32
    TEST_C1 c.addi, 31, 0x7fffffffffffffe1, 0x8000000000000000
    TEST_C1 c.addi, 1, 0xffffffff, 0x100000000
    TEST_C1 c.addiw, 1, 0x7fffffff, 0xffffffff80000000
    TEST_C1 c.addiw, 0, 0x1ffffffff, 0xffffffffffffffff
    TEST_C1 c.addiw, -1, 0, 0xffffffffffffffff
    TEST_C1 c.addiw, 0, 0x1234567880000000, 0xffffffff80000000

    /* C.ADDI16SP / C.ADDI4SPN: stack-pointer forms */
    mv      a4, sp
    c.addi16sp sp, -64
    sub     a3, a4, sp
    c.addi16sp sp, 64
    sub     s0, sp, a4              /* s0 survives the first check() call */
    CHECK_VAL "c.addi16sp -64", a3, 64
    CHECK_VAL "c.addi16sp +64 restores sp", s0, 0
    mv      a4, sp
    c.addi16sp sp, 496
    sub     a3, sp, a4
    c.addi16sp sp, -512
    c.addi16sp sp, 16
    sub     s0, sp, a4
    CHECK_VAL "c.addi16sp 496", a3, 496
    CHECK_VAL "c.addi16sp -512 then 16 restores sp", s0, 0
    c.addi4spn a3, sp, 1020
    sub     a3, a3, sp
    CHECK_VAL "c.addi4spn 1020", a3, 1020
    c.addi4spn a3, sp, 4
    sub     a3, a3, sp
    CHECK_VAL "c.addi4spn 4", a3, 4

    /* C.SLLI / C.SRLI / C.SRAI (6-bit shamt) and C.ANDI (sign-extended immediate) */
    TEST_C1 c.slli, 63, 1, 0x8000000000000000
    TEST_C1 c.slli, 32, 0xffffffff, 0xffffffff00000000
    TEST_C1 c.slli, 1, 0xc000000000000001, 0x8000000000000002
    TEST_C1 c.srli, 63, 0x8000000000000000, 1
    TEST_C1 c.srli, 32, 0xffffffff00000000, 0xffffffff
    TEST_C1 c.srli, 1, 0x8000000000000000, 0x4000000000000000
    TEST_C1 c.srai, 63, 0x8000000000000000, 0xffffffffffffffff
    TEST_C1 c.srai, 32, 0x8000000000000000, 0xffffffff80000000
    TEST_C1 c.srai, 1, 0x7ffffffffffffffe, 0x3fffffffffffffff
    TEST_C1 c.andi, -1, 0xfedcba9876543210, 0xfedcba9876543210
    TEST_C1 c.andi, -32, 0xfedcba987654321f, 0xfedcba9876543200
    TEST_C1 c.andi, 0x1f, 0xfedcba987654321f, 0x1f
    TEST_C1 c.andi, 0, 0xffffffffffffffff, 0

    /* C.MV / C.ADD (any register), C.SUB/XOR/OR/AND/ADDW/SUBW (x8..x15) (zca.adoc "Integer Register-Register Operations") */
    TEST_C2 c.mv, 1, 0x123456789abcdef0, 0x123456789abcdef0
    TEST_C2 c.add, 0x7fffffffffffffff, 1, 0x8000000000000000
    TEST_C2 c.add, 0xffffffff, 1, 0x100000000
    TEST_C2 c.sub, 0, 1, 0xffffffffffffffff
    TEST_C2 c.xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
    TEST_C2 c.or, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0
    TEST_C2 c.and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00
    TEST_C2 c.addw, 0x7fffffff, 1, 0xffffffff80000000
    TEST_C2 c.addw, 0xffffffff00000001, 0x00000000ffffffff, 0
    TEST_C2 c.subw, 0x80000000, 1, 0x7fffffff
    TEST_C2 c.subw, 0, 1, 0xffffffffffffffff
    li      t1, 5
    li      t2, 6
    c.add   t1, t2
    CHECK_VAL "c.add on t1/t2 (full register range)", t1, 11
    li      t2, 42
    c.mv    t6, t2
    CHECK_VAL "c.mv t6, t2", t6, 42

    /* C.LW / C.LD / C.SW / C.SD: scaled unsigned offsets up to 124 / 248; C.LW sign-extends */
    la      a4, c_data
    c.lw    a3, 0(a4)
    CHECK_VAL "c.lw 0 sign-extends", a3, 0xffffffff89abcdef
    la      a4, c_data
    c.lw    a3, 4(a4)
    CHECK_VAL "c.lw 4", a3, 0x01234567
    la      a4, c_data
    c.lw    a3, 124(a4)
    CHECK_VAL "c.lw 124", a3, 0xffffffffcafef00d
    la      a4, c_data
    c.ld    a3, 0(a4)
    CHECK_VAL "c.ld 0", a3, 0x0123456789abcdef
    la      a4, c_data
    c.ld    a3, 248(a4)
    CHECK_VAL "c.ld 248", a3, 0x8877665544332211
    la      a4, c_buf
    li      a5, -1
    sd      a5, 0(a4)
    li      a3, 0x1111111122222222
    c.sw    a3, 0(a4)
    ld      a5, 0(a4)
    CHECK_VAL "c.sw writes one word", a5, 0xffffffff22222222
    la      a4, c_buf
    li      a3, 0x0123456789abcdef
    c.sd    a3, 8(a4)
    ld      a5, 8(a4)
    CHECK_VAL "c.sd 8", a5, 0x0123456789abcdef
    la      a4, c_buf
    li      a3, 0x5a5a5a5a5a5a5a5a
    c.sd    a3, 248(a4)
    ld      a5, 248(a4)
    CHECK_VAL "c.sd 248", a5, 0x5a5a5a5a5a5a5a5a
    la      a4, c_buf
    li      a3, 0x77
    c.sw    a3, 124(a4)
    lwu     a5, 124(a4)
    CHECK_VAL "c.sw 124", a5, 0x77

    /* C.LWSP / C.LDSP / C.SWSP / C.SDSP on main's scratch area */
    li      a3, 0xfedcba9880000001
    c.sdsp  a3, 8(sp)
    c.ldsp  a4, 8(sp)
    CHECK_VAL "c.sdsp/c.ldsp 8", a4, 0xfedcba9880000001
    c.lwsp  a4, 8(sp)
    CHECK_VAL "c.lwsp 8 sign-extends", a4, 0xffffffff80000001
    li      a3, 0x12345678
    c.swsp  a3, 12(sp)
    c.ldsp  a4, 8(sp)
    CHECK_VAL "c.swsp 12 writes the upper word", a4, 0x1234567880000001
    li      t1, 0x33
    c.sdsp  t1, 40(sp)
    c.ldsp  t2, 40(sp)
    CHECK_VAL "c.sdsp/c.ldsp with t1/t2", t2, 0x33

    /* C.J / C.BEQZ / C.BNEZ (zca.adoc "Control Transfer Instructions") */
    li      a3, 0
    c.j     1f
    li      a3, 1
1:  CHECK_VAL "c.j forward skips", a3, 0
    li      a3, 3
    li      a4, 0
2:  c.addi  a4, 5
    c.addi  a3, -1
    c.bnez  a3, 2b
    CHECK_VAL "c.bnez backward loop", a4, 15
    TEST_CB  c.beqz, 0, 1
    TEST_CB  c.beqz, 0x100000000, 0
    TEST_CB  c.bnez, 0, 0
    TEST_CB  c.bnez, 0x8000000000000000, 1

    /* C.JR and C.JALR: C.JALR links pc + 2 */
    la      a4, 3f
    li      a3, 0
    c.jr    a4
    li      a3, 1
3:  CHECK_VAL "c.jr", a3, 0
    la      a4, 5f
4:  c.jalr  a4
5:  la      a5, 4b + 2
    CHECK   "c.jalr links pc+2", ra, a5

    /* A 32-bit instruction at an address that is 2 mod 4, reached by a jump */
    la      a4, .Lodd_target
    jalr    ra, 0(a4)
    CHECK_VAL "32-bit instruction at 4n+2", a3, 0x5a5
    la      a4, .Lodd_target
    andi    a4, a4, 3
    CHECK_VAL "the target is 2 mod 4", a4, 2

    /* C.NOP changes nothing; C.EBREAK traps with mepc at the 16-bit instruction */
    li      a3, 9
    c.nop
    CHECK_VAL "c.nop", a3, 9
    TRAP_BEGIN
6:  c.ebreak
    TRAP_END_AT "c.ebreak", CAUSE_BREAKPOINT, 6b

    TEST_MAIN_END "isa-rv64c"

/* A subroutine whose first (32-bit) instruction sits at 4n+2. */
    .balign 4
    c.nop
.Lodd_target:
    li      a3, 0x5a5
    ret

    .data
    .balign 8
c_data:
    .dword  0x0123456789abcdef
    .skip   124 - 8
    .word   0xcafef00d
    .skip   248 - 128
    .dword  0x8877665544332211
c_buf:
    .skip   256
