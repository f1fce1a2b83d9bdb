/*
 * isa-rv64m: the M extension on RV64 (m.adoc): products, high halves with every sign
 * combination, and division including the divide-by-zero and overflow results, which never trap.
 * Uncompressed encodings (.option norvc). One line per check; exit code = failed checks.
 */
#include "asm-test.h"

    .option norvc
    TEST_MAIN_BEGIN

    /* MUL: low 64 bits of the product (m.adoc "Multiplication Operations") */
    TEST_RR         mul, 3, 7, 0x15
    TEST_RR         mul, -3, 7, 0xffffffffffffffeb
    TEST_RR         mul, -1, -1, 1
    TEST_RR         mul, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR         mul, 0x7fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_RR         mul, 0x100000000, 0x100000000, 0
    TEST_RR         mul, 0x123456789abcdef, 0xfedcba987654321, 0x22236d88fe5618cf

    /* MULH (signed x signed), MULHSU (signed x unsigned), MULHU (unsigned x unsigned): high 64 bits */
    TEST_RR         mulh, 3, 7, 0
    TEST_RR         mulh, -1, -1, 0
    TEST_RR         mulh, -1, 1, 0xffffffffffffffff
    TEST_RR         mulh, 1, -1, 0xffffffffffffffff
    TEST_RR         mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    TEST_RR         mulh, 0x8000000000000000, -1, 0
    TEST_RR         mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000
    TEST_RR         mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    TEST_RR         mulh, -2, 3, 0xffffffffffffffff
    TEST_RR         mulh, 0x123456789abcdef, 0xfedcba987654321, 0x121fa00ad77d74
    TEST_RR         mulh, -7, 0x8000000000000001, 3
    TEST_RR         mulhsu, 3, 7, 0
    TEST_RR         mulhsu, -1, -1, 0xffffffffffffffff
    TEST_RR         mulhsu, -1, 1, 0xffffffffffffffff
    TEST_RR         mulhsu, 1, -1, 0
    TEST_RR         mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000
    TEST_RR         mulhsu, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR         mulhsu, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000
    TEST_RR         mulhsu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    TEST_RR         mulhsu, -2, 3, 0xffffffffffffffff
    TEST_RR         mulhsu, 0x123456789abcdef, 0xfedcba987654321, 0x121fa00ad77d74
    TEST_RR         mulhsu, -7, 0x8000000000000001, 0xfffffffffffffffc
    TEST_RR         mulhu, 3, 7, 0
    TEST_RR         mulhu, -1, -1, 0xfffffffffffffffe
    TEST_RR         mulhu, -1, 1, 0
    TEST_RR         mulhu, 1, -1, 0
    TEST_RR         mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    TEST_RR         mulhu, 0x8000000000000000, -1, 0x7fffffffffffffff
    TEST_RR         mulhu, 0x8000000000000000, 0x7fffffffffffffff, 0x3fffffffffffffff
    TEST_RR         mulhu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    TEST_RR         mulhu, -2, 3, 2
    TEST_RR         mulhu, 0x123456789abcdef, 0xfedcba987654321, 0x121fa00ad77d74
    TEST_RR         mulhu, -7, 0x8000000000000001, 0x7ffffffffffffffd
    TEST_RR_RD_RS1  mulhu, -1, -1, 0xfffffffffffffffe
    TEST_RR_RD_RS2  mulh, 0x8000000000000000, 2, 0xffffffffffffffff
    TEST_RR_SAME    mulhsu, -1, 0xffffffffffffffff

    /* MULW: low 32 bits of the product, sign-extended; upper input bits ignored */
    TEST_RR         mulw, 3, 7, 0x15
    TEST_RR         mulw, 0x7fffffff, 2, 0xfffffffffffffffe
    TEST_RR         mulw, 0x10000, 0x8000, 0xffffffff80000000
    TEST_RR         mulw, 0xffffffff00000003, 0x1234567800000005, 0xf
    TEST_RR         mulw, -1, -1, 1
    TEST_RR         mulw, 0x80000000, -1, 0xffffffff80000000

    /* DIV / DIVU / REM / REMU: truncating division; x/0 and MIN/-1 produce no trap (m.adoc "Division Operations", table "Semantics for division by zero and division overflow") */
    TEST_RR         div, 0x14, 6, 3
    TEST_RR         div, -0x14, 6, 0xfffffffffffffffd
    TEST_RR         div, 0x14, -6, 0xfffffffffffffffd
    TEST_RR         div, -0x14, -6, 3
    TEST_RR         div, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR         div, 0x8000000000000000, 1, 0x8000000000000000
    TEST_RR         div, 0x8000000000000000, 2, 0xc000000000000000
    TEST_RR         div, 7, 0, 0xffffffffffffffff
    TEST_RR         div, -7, 0, 0xffffffffffffffff
    TEST_RR         div, 0, 0, 0xffffffffffffffff
    TEST_RR         div, 0x7fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_RR         div, -1, 1, 0xffffffffffffffff
    TEST_RR         divu, 0x14, 6, 3
    TEST_RR         divu, -0x14, 6, 0x2aaaaaaaaaaaaaa7
    TEST_RR         divu, 0x14, -6, 0
    TEST_RR         divu, -0x14, -6, 0
    TEST_RR         divu, 0x8000000000000000, -1, 0
    TEST_RR         divu, 0x8000000000000000, 1, 0x8000000000000000
    TEST_RR         divu, 0x8000000000000000, 2, 0x4000000000000000
    TEST_RR         divu, 7, 0, 0xffffffffffffffff
    TEST_RR         divu, -7, 0, 0xffffffffffffffff
    TEST_RR         divu, 0, 0, 0xffffffffffffffff
    TEST_RR         divu, 0x7fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_RR         divu, -1, 1, 0xffffffffffffffff
    TEST_RR         rem, 0x14, 6, 2
    TEST_RR         rem, -0x14, 6, 0xfffffffffffffffe
    TEST_RR         rem, 0x14, -6, 2
    TEST_RR         rem, -0x14, -6, 0xfffffffffffffffe
    TEST_RR         rem, 0x8000000000000000, -1, 0
    TEST_RR         rem, 0x8000000000000000, 1, 0
    TEST_RR         rem, 0x8000000000000000, 2, 0
    TEST_RR         rem, 7, 0, 7
    TEST_RR         rem, -7, 0, 0xfffffffffffffff9
    TEST_RR         rem, 0, 0, 0
    TEST_RR         rem, 0x7fffffffffffffff, 0x7fffffffffffffff, 0
    TEST_RR         rem, -1, 1, 0
    TEST_RR         remu, 0x14, 6, 2
    TEST_RR         remu, -0x14, 6, 2
    TEST_RR         remu, 0x14, -6, 0x14
    TEST_RR         remu, -0x14, -6, 0xffffffffffffffec
    TEST_RR         remu, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR         remu, 0x8000000000000000, 1, 0
    TEST_RR         remu, 0x8000000000000000, 2, 0
    TEST_RR         remu, 7, 0, 7
    TEST_RR         remu, -7, 0, 0xfffffffffffffff9
    TEST_RR         remu, 0, 0, 0
    TEST_RR         remu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0
    TEST_RR         remu, -1, 1, 0
    TEST_RR_X0_RS1  div, 5, 0
    TEST_RR_X0_RD   div, 5, 0
    TEST_RR_RD_RS1  rem, -0x14, 6, 0xfffffffffffffffe
    TEST_RR_RD_RS2  divu, 0x64, 7, 0xe

    /* DIVW / DIVUW / REMW / REMUW: 32-bit operands, sign-extended 32-bit result */
    TEST_RR         divw, 0x14, 6, 3
    TEST_RR         divw, -0x14, 6, 0xfffffffffffffffd
    TEST_RR         divw, 0x14, -6, 0xfffffffffffffffd
    TEST_RR         divw, 0x80000000, -1, 0xffffffff80000000
    TEST_RR         divw, 0x80000000, 1, 0xffffffff80000000
    TEST_RR         divw, 0xffffffff80000000, 0xffffffff, 0xffffffff80000000
    TEST_RR         divw, 7, 0, 0xffffffffffffffff
    TEST_RR         divw, 0xfffffff9, 0, 0xffffffffffffffff
    TEST_RR         divw, 0x8000000000000007, 0, 0xffffffffffffffff
    TEST_RR         divw, 0x100000014, 0x200000006, 3
    TEST_RR         divw, 0xffffffff, 2, 0
    TEST_RR         divuw, 0x14, 6, 3
    TEST_RR         divuw, -0x14, 6, 0x2aaaaaa7
    TEST_RR         divuw, 0x14, -6, 0
    TEST_RR         divuw, 0x80000000, -1, 0
    TEST_RR         divuw, 0x80000000, 1, 0xffffffff80000000
    TEST_RR         divuw, 0xffffffff80000000, 0xffffffff, 0
    TEST_RR         divuw, 7, 0, 0xffffffffffffffff
    TEST_RR         divuw, 0xfffffff9, 0, 0xffffffffffffffff
    TEST_RR         divuw, 0x8000000000000007, 0, 0xffffffffffffffff
    TEST_RR         divuw, 0x100000014, 0x200000006, 3
    TEST_RR         divuw, 0xffffffff, 2, 0x7fffffff
    TEST_RR         remw, 0x14, 6, 2
    TEST_RR         remw, -0x14, 6, 0xfffffffffffffffe
    TEST_RR         remw, 0x14, -6, 2
    TEST_RR         remw, 0x80000000, -1, 0
    TEST_RR         remw, 0x80000000, 1, 0
    TEST_RR         remw, 0xffffffff80000000, 0xffffffff, 0
    TEST_RR         remw, 7, 0, 7
    TEST_RR         remw, 0xfffffff9, 0, 0xfffffffffffffff9
    TEST_RR         remw, 0x8000000000000007, 0, 7
    TEST_RR         remw, 0x100000014, 0x200000006, 2
    TEST_RR         remw, 0xffffffff, 2, 0xffffffffffffffff
    TEST_RR         remuw, 0x14, 6, 2
    TEST_RR         remuw, -0x14, 6, 2
    TEST_RR         remuw, 0x14, -6, 0x14
    TEST_RR         remuw, 0x80000000, -1, 0xffffffff80000000
    TEST_RR         remuw, 0x80000000, 1, 0
    TEST_RR         remuw, 0xffffffff80000000, 0xffffffff, 0xffffffff80000000
    TEST_RR         remuw, 7, 0, 7
    TEST_RR         remuw, 0xfffffff9, 0, 0xfffffffffffffff9
    TEST_RR         remuw, 0x8000000000000007, 0, 7
    TEST_RR         remuw, 0x100000014, 0x200000006, 2
    TEST_RR         remuw, 0xffffffff, 2, 1

    TEST_MAIN_END "isa-rv64m"
