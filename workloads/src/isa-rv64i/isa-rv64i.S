/*
 * isa-rv64i: RV64I base integer instructions (unpriv "RV32I Base Integer Instruction Set" and
 * rv64.adoc "RV64I Base Integer Instruction Set"). Uncompressed encodings throughout
 * (.option norvc), so the 32-bit forms are what is tested; isa-rv64c covers the 16-bit ones.
 * Prints one line per check; exit code = number of failed checks.
 */
#include "asm-test.h"

    .option norvc
    TEST_MAIN_BEGIN

    /* ADD / SUB: 64-bit wrap-around, no 32-bit truncation (rv64.adoc "Integer Computational Instructions") */
    TEST_RR         add, 1, 1, 2
    TEST_RR         add, 0x7fffffffffffffff, 1, 0x8000000000000000
    TEST_RR         add, -1, 1, 0
    TEST_RR         add, 0x8000000000000000, 0x8000000000000000, 0
    TEST_RR         add, 0xffffffff, 1, 0x100000000
    TEST_RR         add, 0x8000000000000000, -1, 0x7fffffffffffffff
    TEST_RR         sub, 0, 1, 0xffffffffffffffff
    TEST_RR         sub, 0x8000000000000000, 1, 0x7fffffffffffffff
    TEST_RR         sub, 1, -1, 2
    TEST_RR         sub, 0x7fffffffffffffff, -1, 0x8000000000000000
    TEST_RR         sub, 0x100000000, 1, 0xffffffff
    TEST_RR_RD_RS1  add, 0xd, 0xb, 0x18
    TEST_RR_RD_RS2  sub, 0xe, 0xb, 3
    TEST_RR_SAME    add, 13, 26
    TEST_RR_SAME    sub, 0x123456789, 0
    TEST_RR_X0_RS1  sub, 5, -5
    TEST_RR_X0_RD   add, 1, 2

    /* ADDI: 12-bit immediate is sign-extended */
    TEST_RI         addi, 0, 0x7ff, 0x7ff
    TEST_RI         addi, 0, -0x800, 0xfffffffffffff800
    TEST_RI         addi, 0x7fffffffffffffff, 1, 0x8000000000000000
    TEST_RI         addi, -1, 1, 0
    TEST_RI         addi, 0x80000000, -1, 0x7fffffff
    TEST_RI_RD_RS1  addi, 0x64, -1, 0x63

    /* SLT / SLTU / SLTI / SLTIU: signed vs unsigned compare of the sign bit */
    TEST_RR         slt, -1, 0, 1
    TEST_RR         slt, 0, -1, 0
    TEST_RR         slt, 0x8000000000000000, 0x7fffffffffffffff, 1
    TEST_RR         slt, 0x7fffffffffffffff, 0x8000000000000000, 0
    TEST_RR         slt, 1, 1, 0
    TEST_RR         slt, -2, -1, 1
    TEST_RR         sltu, -1, 0, 0
    TEST_RR         sltu, 0, -1, 1
    TEST_RR         sltu, 0x8000000000000000, 0x7fffffffffffffff, 0
    TEST_RR         sltu, 0x7fffffffffffffff, 0x8000000000000000, 1
    TEST_RR         sltu, 1, 1, 0
    TEST_RR         sltu, -2, -1, 1
    TEST_RR_X0_RS1  sltu, 7, 1
    TEST_RR_X0_RS1  sltu, 0, 0
    TEST_RI         slti, -1, 0, 1
    TEST_RI         slti, 0, -1, 0
    TEST_RI         slti, 0x8000000000000000, -0x800, 1
    TEST_RI         slti, 0x7ff, 0x7ff, 0
    TEST_RI         sltiu, 0, -1, 1
    TEST_RI         sltiu, -1, -1, 0
    TEST_RI         sltiu, 0xfffffffffffff800, -0x800, 0
    TEST_RI         sltiu, 0, 1, 1
    TEST_RI         sltiu, 1, 1, 0
    TEST_RI         sltiu, 0x8000000000000000, 0x7ff, 0

    /* AND / OR / XOR and immediates (immediate sign-extended to 64 bits) */
    TEST_RR         and, 0xff00ff00f0f0cccc, 0x0ff00ff0aaaa5555, 0xf000f00a0a04444
    TEST_RR         or, 0xff00ff00f0f0cccc, 0x0ff00ff0aaaa5555, 0xfff0fff0fafadddd
    TEST_RR         xor, 0xff00ff00f0f0cccc, 0x0ff00ff0aaaa5555, 0xf0f0f0f05a5a9999
    TEST_RR_SAME    xor, 0xff00ff00f0f0cccc, 0
    TEST_RI         andi, 0xff00ff00f0f0cccc, -1, 0xff00ff00f0f0cccc
    TEST_RI         andi, 0xff00ff00f0f0cccc, 0x7ff, 0x4cc
    TEST_RI         andi, 0xff00ff00f0f0cccc, -0x800, 0xff00ff00f0f0c800
    TEST_RI         andi, 0xff00ff00f0f0cccc, 0x555, 0x444
    TEST_RI         ori, 0xff00ff00f0f0cccc, -1, 0xffffffffffffffff
    TEST_RI         ori, 0xff00ff00f0f0cccc, 0x7ff, 0xff00ff00f0f0cfff
    TEST_RI         ori, 0xff00ff00f0f0cccc, -0x800, 0xfffffffffffffccc
    TEST_RI         ori, 0xff00ff00f0f0cccc, 0x555, 0xff00ff00f0f0cddd
    TEST_RI         xori, 0xff00ff00f0f0cccc, -1, 0xff00ff0f0f3333
    TEST_RI         xori, 0xff00ff00f0f0cccc, 0x7ff, 0xff00ff00f0f0cb33
    TEST_RI         xori, 0xff00ff00f0f0cccc, -0x800, 0xff00ff0f0f34cc
    TEST_RI         xori, 0xff00ff00f0f0cccc, 0x555, 0xff00ff00f0f0c999

    /* SLL / SRL / SRA: shift amount is rs2[5:0] */
    TEST_RR         sll, 1, 0x3f, 0x8000000000000000
    TEST_RR         sll, 0x8000000000000000, 0x3f, 0
    TEST_RR         sll, 0xffffffffffffffff, 0x20, 0xffffffff00000000
    TEST_RR         sll, 0x80000000, 0x1f, 0x4000000000000000
    TEST_RR         sll, 0x8000000000000000, 0x20, 0
    TEST_RR         sll, 0x7fffffffffffffff, 0x3f, 0x8000000000000000
    TEST_RR         sll, 0x123456789abcdef0, 0x40, 0x123456789abcdef0
    TEST_RR         sll, 0x123456789abcdef0, 0x41, 0x2468acf13579bde0
    TEST_RR         sll, 0x8000000000000000, 0xffffffffffffffc1, 0
    TEST_RR         sll, -1, 0, 0xffffffffffffffff
    TEST_RR         srl, 1, 0x3f, 0
    TEST_RR         srl, 0x8000000000000000, 0x3f, 1
    TEST_RR         srl, 0xffffffffffffffff, 0x20, 0xffffffff
    TEST_RR         srl, 0x80000000, 0x1f, 1
    TEST_RR         srl, 0x8000000000000000, 0x20, 0x80000000
    TEST_RR         srl, 0x7fffffffffffffff, 0x3f, 0
    TEST_RR         srl, 0x123456789abcdef0, 0x40, 0x123456789abcdef0
    TEST_RR         srl, 0x123456789abcdef0, 0x41, 0x91a2b3c4d5e6f78
    TEST_RR         srl, 0x8000000000000000, 0xffffffffffffffc1, 0x4000000000000000
    TEST_RR         srl, -1, 0, 0xffffffffffffffff
    TEST_RR         sra, 1, 0x3f, 0
    TEST_RR         sra, 0x8000000000000000, 0x3f, 0xffffffffffffffff
    TEST_RR         sra, 0xffffffffffffffff, 0x20, 0xffffffffffffffff
    TEST_RR         sra, 0x80000000, 0x1f, 1
    TEST_RR         sra, 0x8000000000000000, 0x20, 0xffffffff80000000
    TEST_RR         sra, 0x7fffffffffffffff, 0x3f, 0
    TEST_RR         sra, 0x123456789abcdef0, 0x40, 0x123456789abcdef0
    TEST_RR         sra, 0x123456789abcdef0, 0x41, 0x91a2b3c4d5e6f78
    TEST_RR         sra, 0x8000000000000000, 0xffffffffffffffc1, 0xc000000000000000
    TEST_RR         sra, -1, 0, 0xffffffffffffffff

    /* SLLI / SRLI / SRAI: 6-bit shamt */
    TEST_RI         slli, 1, 0x3f, 0x8000000000000000
    TEST_RI         slli, 0x8000000000000000, 0x3f, 0
    TEST_RI         slli, 0x8000000000000000, 0x20, 0
    TEST_RI         slli, 0x8000000000000000, 0x1f, 0
    TEST_RI         slli, 0x80000000, 0x1f, 0x4000000000000000
    TEST_RI         slli, 0x80000000, 0x20, 0x8000000000000000
    TEST_RI         slli, 0x123456789abcdef0, 0, 0x123456789abcdef0
    TEST_RI         slli, 0xfedcba9876543210, 4, 0xedcba98765432100
    TEST_RI         srli, 1, 0x3f, 0
    TEST_RI         srli, 0x8000000000000000, 0x3f, 1
    TEST_RI         srli, 0x8000000000000000, 0x20, 0x80000000
    TEST_RI         srli, 0x8000000000000000, 0x1f, 0x100000000
    TEST_RI         srli, 0x80000000, 0x1f, 1
    TEST_RI         srli, 0x80000000, 0x20, 0
    TEST_RI         srli, 0x123456789abcdef0, 0, 0x123456789abcdef0
    TEST_RI         srli, 0xfedcba9876543210, 4, 0xfedcba987654321
    TEST_RI         srai, 1, 0x3f, 0
    TEST_RI         srai, 0x8000000000000000, 0x3f, 0xffffffffffffffff
    TEST_RI         srai, 0x8000000000000000, 0x20, 0xffffffff80000000
    TEST_RI         srai, 0x8000000000000000, 0x1f, 0xffffffff00000000
    TEST_RI         srai, 0x80000000, 0x1f, 1
    TEST_RI         srai, 0x80000000, 0x20, 0
    TEST_RI         srai, 0x123456789abcdef0, 0, 0x123456789abcdef0
    TEST_RI         srai, 0xfedcba9876543210, 4, 0xffedcba987654321

    /* W-ops: operate on the low 32 bits, sign-extend the 32-bit result (rv64.adoc) */
    TEST_RR         addw, 0x7fffffff, 1, 0xffffffff80000000
    TEST_RR         addw, 0xffffffff00000001, 1, 2
    TEST_RR         addw, 0x80000000, 0x80000000, 0
    TEST_RR         addw, 0x00000000ffffffff, 0, 0xffffffffffffffff
    TEST_RR         addw, 0x123456787fffffff, 0x8765432100000000, 0x7fffffff
    TEST_RR         subw, 0, 1, 0xffffffffffffffff
    TEST_RR         subw, 0x80000000, 1, 0x7fffffff
    TEST_RR         subw, 0x100000000, 0, 0
    TEST_RR         subw, 0xffffffff7fffffff, 0xffffffff, 0xffffffff80000000
    TEST_RR         subw, 1, 0x7fffffff, 0xffffffff80000002
    TEST_RR         sllw, 1, 0x1f, 0xffffffff80000000
    TEST_RR         sllw, 1, 0x20, 1
    TEST_RR         sllw, 0xffffffff, 0x10, 0xffffffffffff0000
    TEST_RR         sllw, 0x80000000, 0, 0xffffffff80000000
    TEST_RR         sllw, 0x80000000, 0x1f, 0
    TEST_RR         sllw, 0xffffffff80000000, 1, 0
    TEST_RR         sllw, -1, 0x20, 0xffffffffffffffff
    TEST_RR         sllw, 0x7fffffff, 0x1f, 0xffffffff80000000
    TEST_RR         sllw, 0x1234567800000010, 4, 0x100
    TEST_RR         sllw, 0x80000000, 0xffffffffffffffe1, 0
    TEST_RR         srlw, 1, 0x1f, 0
    TEST_RR         srlw, 1, 0x20, 1
    TEST_RR         srlw, 0xffffffff, 0x10, 0xffff
    TEST_RR         srlw, 0x80000000, 0, 0xffffffff80000000
    TEST_RR         srlw, 0x80000000, 0x1f, 1
    TEST_RR         srlw, 0xffffffff80000000, 1, 0x40000000
    TEST_RR         srlw, -1, 0x20, 0xffffffffffffffff
    TEST_RR         srlw, 0x7fffffff, 0x1f, 0
    TEST_RR         srlw, 0x1234567800000010, 4, 1
    TEST_RR         srlw, 0x80000000, 0xffffffffffffffe1, 0x40000000
    TEST_RR         sraw, 1, 0x1f, 0
    TEST_RR         sraw, 1, 0x20, 1
    TEST_RR         sraw, 0xffffffff, 0x10, 0xffffffffffffffff
    TEST_RR         sraw, 0x80000000, 0, 0xffffffff80000000
    TEST_RR         sraw, 0x80000000, 0x1f, 0xffffffffffffffff
    TEST_RR         sraw, 0xffffffff80000000, 1, 0xffffffffc0000000
    TEST_RR         sraw, -1, 0x20, 0xffffffffffffffff
    TEST_RR         sraw, 0x7fffffff, 0x1f, 0
    TEST_RR         sraw, 0x1234567800000010, 4, 1
    TEST_RR         sraw, 0x80000000, 0xffffffffffffffe1, 0xffffffffc0000000
    TEST_RI         addiw, 0x7fffffff, 1, 0xffffffff80000000
    TEST_RI         addiw, 0x00000000ffffffff, 0, 0xffffffffffffffff
    TEST_RI         addiw, 0x1234567880000000, 0, 0xffffffff80000000
    TEST_RI         addiw, 0, -0x800, 0xfffffffffffff800
    TEST_RI         addiw, 0xffffffff80000000, -1, 0x7fffffff
    TEST_RI         slliw, 1, 0x1f, 0xffffffff80000000
    TEST_RI         slliw, 0x100000001, 0, 1
    TEST_RI         slliw, 0x80000000, 0, 0xffffffff80000000
    TEST_RI         slliw, -1, 0x1f, 0xffffffff80000000
    TEST_RI         slliw, 0x80000000, 0x1f, 0
    TEST_RI         slliw, 0xfedcba9876543210, 4, 0x65432100
    TEST_RI         slliw, 0x7fffffff, 1, 0xfffffffffffffffe
    TEST_RI         srliw, 1, 0x1f, 0
    TEST_RI         srliw, 0x100000001, 0, 1
    TEST_RI         srliw, 0x80000000, 0, 0xffffffff80000000
    TEST_RI         srliw, -1, 0x1f, 1
    TEST_RI         srliw, 0x80000000, 0x1f, 1
    TEST_RI         srliw, 0xfedcba9876543210, 4, 0x7654321
    TEST_RI         srliw, 0x7fffffff, 1, 0x3fffffff
    TEST_RI         sraiw, 1, 0x1f, 0
    TEST_RI         sraiw, 0x100000001, 0, 1
    TEST_RI         sraiw, 0x80000000, 0, 0xffffffff80000000
    TEST_RI         sraiw, -1, 0x1f, 0xffffffffffffffff
    TEST_RI         sraiw, 0x80000000, 0x1f, 0xffffffffffffffff
    TEST_RI         sraiw, 0xfedcba9876543210, 4, 0x7654321
    TEST_RI         sraiw, 0x7fffffff, 1, 0x3fffffff
    TEST_RR_RD_RS1  addw, 0x7fffffff, 0x7fffffff, 0xfffffffffffffffe

    /* LUI: 20-bit immediate into [31:12], sign-extended from bit 31 (rv64.adoc) */
    TEST_U          lui, 0x80000, 0xffffffff80000000
    TEST_U          lui, 0x7ffff, 0x7ffff000
    TEST_U          lui, 0xfffff, 0xfffffffffffff000
    TEST_U          lui, 0, 0

    /* AUIPC: pc of the auipc itself + sign-extended (imm << 12) */
.Lauipc0:
    auipc   t3, 0
    la      t4, .Lauipc0
    CHECK   "auipc 0", t3, t4
.Lauipc1:
    auipc   t3, 1
    la      t4, .Lauipc1
    li      t5, 0x1000
    add     t4, t4, t5
    CHECK   "auipc 1", t3, t4
.Lauipc2:
    auipc   t3, 0xfffff
    la      t4, .Lauipc2
    li      t5, -0x1000
    add     t4, t4, t5
    CHECK   "auipc 0xfffff (negative)", t3, t4

    /* Loads: LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend (rv64.adoc "Load and Store Instructions") */
    TEST_LOAD       lb, ld_data, 0, 0xffffffffffffff88
    TEST_LOAD       lb, ld_data, 8, 0x78
    TEST_LOAD       lb, ld_data, 7, 0xffffffffffffff81
    TEST_LOAD       lbu, ld_data, 0, 0x88
    TEST_LOAD       lbu, ld_data, 7, 0x81
    TEST_LOAD       lh, ld_data, 0, 0xffffffffffff8788
    TEST_LOAD       lh, ld_data, 6, 0xffffffffffff8182
    TEST_LOAD       lh, ld_data, 8, 0x7978
    TEST_LOAD       lhu, ld_data, 0, 0x8788
    TEST_LOAD       lhu, ld_data, 6, 0x8182
    TEST_LOAD       lw, ld_data, 0, 0xffffffff85868788
    TEST_LOAD       lw, ld_data, 4, 0xffffffff81828384
    TEST_LOAD       lw, ld_data, 8, 0x7b7a7978
    TEST_LOAD       lwu, ld_data, 0, 0x85868788
    TEST_LOAD       lwu, ld_data, 4, 0x81828384
    TEST_LOAD       ld, ld_data, 0, 0x8182838485868788
    TEST_LOAD       ld, ld_data, 8, 0x7f7e7d7c7b7a7978
    TEST_LOAD       ld, ld_data_end, -16, 0x8182838485868788
    TEST_LOAD       lbu, ld_data_end, -1, 0x7f
    TEST_LOAD       lh, ld_data_end, -2, 0x7f7e

    /* x0 as a load destination: the load happens, the value is discarded */
    la      t1, ld_data
    ld      x0, 0(t1)
    CHECK_VAL "ld -> x0", x0, 0

    /* Stores write only their own bytes; upper bits of rs2 are ignored */
    TEST_STORE      sb, st_buf, 0xa5a5a5a5a5a5a5a5, 0, 0x12ef, 0xa5a5a5a5a5a5a5ef
    TEST_STORE      sb, st_buf, 0xa5a5a5a5a5a5a5a5, 7, 0xef, 0xefa5a5a5a5a5a5a5
    TEST_STORE      sh, st_buf, 0xa5a5a5a5a5a5a5a5, 2, 0x1234beef, 0xa5a5a5a5beefa5a5
    TEST_STORE      sh, st_buf, 0xa5a5a5a5a5a5a5a5, 6, 0xbeef, 0xbeefa5a5a5a5a5a5
    TEST_STORE      sw, st_buf, 0xa5a5a5a5a5a5a5a5, 0, 0xffffffffdeadbeef, 0xa5a5a5a5deadbeef
    TEST_STORE      sw, st_buf, 0xa5a5a5a5a5a5a5a5, 4, 0xdeadbeef, 0xdeadbeefa5a5a5a5
    TEST_STORE      sd, st_buf, 0xa5a5a5a5a5a5a5a5, 0, 0x0123456789abcdef, 0x0123456789abcdef
    TEST_STORE      sd, st_buf_end, 0xa5a5a5a5a5a5a5a5, -8, 0x55, 0xa5a5a5a5a5a5a5a5

    /* Conditional branches (unpriv "Conditional Branches") */
    TEST_BR         beq, 1, 1, 1
    TEST_BR         beq, 1, 2, 0
    TEST_BR         beq, 0x100000000, 0, 0
    TEST_BR         bne, 1, 1, 0
    TEST_BR         bne, 0x100000000, 0, 1
    TEST_BR         blt, -1, 0, 1
    TEST_BR         blt, 0, -1, 0
    TEST_BR         blt, 0x8000000000000000, 0x7fffffffffffffff, 1
    TEST_BR         blt, 5, 5, 0
    TEST_BR         bge, -1, -1, 1
    TEST_BR         bge, 0, -1, 1
    TEST_BR         bge, -1, 0, 0
    TEST_BR         bge, 0x7fffffffffffffff, 0x8000000000000000, 1
    TEST_BR         bltu, -1, 0, 0
    TEST_BR         bltu, 0, -1, 1
    TEST_BR         bltu, 0x7fffffffffffffff, 0x8000000000000000, 1
    TEST_BR         bltu, 5, 5, 0
    TEST_BR         bgeu, -1, 0, 1
    TEST_BR         bgeu, 1, 1, 1
    TEST_BR         bgeu, 0, 1, 0
    TEST_BR         bgeu, 0x7fffffffffffffff, 0x8000000000000000, 0

    /* A backward branch: five trips round a loop */
    li      t1, 5
    li      t3, 0
.Lloop:
    addi    t3, t3, 3
    addi    t1, t1, -1
    bnez    t1, .Lloop
    CHECK_VAL "backward bnez loop", t3, 15

    /* JAL: rd = pc + 4, the jumped-over instruction does not execute */
    li      t3, 0
    jal     t0, .Ljal_target
.Ljal_link:
    li      t3, 1
.Ljal_target:
    la      t4, .Ljal_link
    CHECK   "jal link = pc+4", t0, t4
    CHECK_VAL "jal skips", t3, 0

    /* JALR: target = (rs1 + imm) & ~1 (unpriv "Unconditional Jumps") */
    la      t1, .Ljalr_t1
    li      t3, 0
    jalr    t0, 0(t1)
.Ljalr_l1:
    li      t3, 2
.Ljalr_t1:
    la      t4, .Ljalr_l1
    CHECK   "jalr link = pc+4", t0, t4
    CHECK_VAL "jalr jumps", t3, 0

    la      t1, .Ljalr_t2
    addi    t1, t1, 1
    li      t3, 0
    jalr    t0, 0(t1)
    li      t3, 2
.Ljalr_t2:
    CHECK_VAL "jalr clears bit 0 of rs1+imm (rs1 odd)", t3, 0

    la      t1, .Ljalr_t3
    addi    t1, t1, -4
    li      t3, 0
    jalr    t0, 5(t1)
    li      t3, 2
.Ljalr_t3:
    CHECK_VAL "jalr clears bit 0 of rs1+imm (imm odd)", t3, 0

    la      t1, .Ljalr_t4 + 16
    jalr    t0, -16(t1)
    li      t3, 2
.Ljalr_t4:
    la      t4, .Ljalr_t4 - 4
    CHECK   "jalr negative offset", t0, t4

    la      t1, .Ljalr_t5
    jalr    t1, 0(t1)
.Ljalr_l5:
    nop
.Ljalr_t5:
    la      t4, .Ljalr_l5
    CHECK   "jalr rd=rs1 uses the old rs1", t1, t4

    /* FENCE variants execute as no-ops in a single hart */
    li      t3, 0
    fence
    fence   rw, rw
    fence.tso
    fence.i
    li      t3, 1
    CHECK_VAL "fence, fence.tso, fence.i execute", t3, 1

    /* FENCE.I makes a store to instruction memory visible to fetch (zifencei.adoc) */
    call    smc_slot
    CHECK_VAL "smc_slot before patch", t3, 1
    la      t1, smc_slot
    li      t2, 0x00200e13          /* addi t3, zero, 2 */
    sw      t2, 0(t1)
    fence.i
    call    smc_slot
    CHECK_VAL "fence.i then patched code runs", t3, 2

    /* ECALL from M-mode: mcause 11, mepc = the ecall (machine.adoc "Machine Cause Register") */
    TRAP_BEGIN
.Lecall:
    ecall
    TRAP_END_AT "ecall", CAUSE_ECALL_M, .Lecall
    TRAP_BEGIN
.Lebreak:
    ebreak
    TRAP_END_AT "ebreak", CAUSE_BREAKPOINT, .Lebreak

    TEST_MAIN_END "isa-rv64i"

/* Patched at run time by the fence.i test: starts as "t3 = 1; return". */
    .balign 4
smc_slot:
    addi    t3, zero, 1
    ret

    .data
    .balign 8
ld_data:
    .dword  0x8182838485868788
    .dword  0x7f7e7d7c7b7a7978
ld_data_end:
st_buf:
    .dword  0
st_buf_end:
