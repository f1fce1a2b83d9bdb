/*
 * isa-zicsr: CSR instruction semantics (zicsr.adoc "CSR Instructions") on M-mode CSRs, the
 * illegal-instruction cases (writes to read-only CSRs, unimplemented CSRs, reserved encodings;
 * machine.adoc / csrs.adoc "CSR Address Mapping Conventions"), and MRET. Uncompressed encodings.
 * One line per check; exit code = failed checks.
 */
#include "asm-test.h"

#define MSTATUS_MPP     (3 << 11)
#define MISA_NEEDED     ((1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20))   /* A C I M S U */

/* An instruction that must raise illegal-instruction: checks mcause, mepc, and that rd kept its value. */
.macro TEST_ILLEGAL name, insn:vararg
    li      t3, 0x5a5a
    TRAP_BEGIN
.Lill\@:
    \insn
    mv      s0, t3
    TRAP_END_AT "\name", CAUSE_ILLEGAL, .Lill\@
    CHECK_VAL "\name: rd unchanged", s0, 0x5a5a
.endm

/* An instruction that must not trap. */
.macro TEST_NO_TRAP name, insn:vararg
    TRAP_BEGIN
    \insn
    TRAP_END "\name", CAUSE_NONE
.endm

    .option norvc
    TEST_MAIN_BEGIN

    /* CSRRW: rd = old value, CSR = rs1 */
    li      t1, 0x0123456789abcdef
    csrw    mscratch, t1
    csrr    t3, mscratch
    CHECK_VAL "csrw/csrr mscratch (all 64 bits)", t3, 0x0123456789abcdef
    li      t2, 0xfedcba9876543210
    csrrw   t3, mscratch, t2
    CHECK_VAL "csrrw returns the old value", t3, 0x0123456789abcdef
    csrr    t3, mscratch
    CHECK_VAL "csrrw writes rs1", t3, 0xfedcba9876543210
    li      t1, 0x1111
    csrw    mscratch, t1
    li      t1, 0x2222
    csrrw   t1, mscratch, t1
    CHECK_VAL "csrrw rd=rs1: rd gets the old value", t1, 0x1111
    csrr    t3, mscratch
    CHECK_VAL "csrrw rd=rs1: CSR gets the old rs1", t3, 0x2222

    /* CSRRS / CSRRC: set / clear the bits of rs1, return the old value */
    li      t1, 0xf0f0
    csrw    mscratch, t1
    li      t2, 0x0ff0000000000000
    csrrs   t3, mscratch, t2
    CHECK_VAL "csrrs returns the old value", t3, 0xf0f0
    csrr    t3, mscratch
    CHECK_VAL "csrrs sets bits", t3, 0x0ff000000000f0f0
    li      t2, 0x0f000000000000f0
    csrrc   t3, mscratch, t2
    CHECK_VAL "csrrc returns the old value", t3, 0x0ff000000000f0f0
    csrr    t3, mscratch
    CHECK_VAL "csrrc clears bits", t3, 0x00f000000000f000
    csrrs   t3, mscratch, x0
    csrr    t4, mscratch
    CHECK   "csrrs rs1=x0 reads without writing", t3, t4

    /* Immediate forms: uimm is a 5-bit zero-extended value */
    csrrwi  t3, mscratch, 31
    csrr    t3, mscratch
    CHECK_VAL "csrrwi 31 (zero-extended)", t3, 31
    csrrci  t3, mscratch, 0x15
    CHECK_VAL "csrrci returns the old value", t3, 31
    csrr    t3, mscratch
    CHECK_VAL "csrrci clears bits", t3, 0x0a
    csrrsi  t3, mscratch, 0x10
    csrr    t3, mscratch
    CHECK_VAL "csrrsi sets bits", t3, 0x1a
    csrrsi  t3, mscratch, 0
    csrr    t4, mscratch
    CHECK   "csrrsi uimm=0 does not write", t3, t4

    /* sscratch is another fully writable scratch register */
    li      t1, 0xa5a5a5a55a5a5a5a
    csrw    sscratch, t1
    csrr    t3, sscratch
    CHECK_VAL "sscratch holds 64 bits", t3, 0xa5a5a5a55a5a5a5a
    csrr    t3, mscratch
    CHECK_VAL "sscratch is not mscratch", t3, 0x1a

    /*
     * mepc holds any 2-byte-aligned address when IALIGN=16 (machine.adoc "Machine Exception
     * Program Counter"). mepc[0] must read zero, but QEMU 7.2 returns it as written, so that
     * case is left to rvhsim's unit tests.
     */
    li      t1, 0x80001002
    csrw    mepc, t1
    csrr    t3, mepc
    CHECK_VAL "mepc holds a 2-byte-aligned address", t3, 0x80001002

    /* mtvec holds a 4-byte-aligned Direct-mode base */
    csrr    s1, mtvec
    la      t1, .Lfake_vector
    csrw    mtvec, t1
    csrr    t3, mtvec
    csrw    mtvec, s1
    la      t4, .Lfake_vector
    CHECK   "mtvec holds a direct-mode base", t3, t4

    /* mstatus.MPP holds M (3) and U (0) */
    li      t1, MSTATUS_MPP
    csrs    mstatus, t1
    csrr    t3, mstatus
    srli    t3, t3, 11
    andi    t3, t3, 3
    CHECK_VAL "mstatus.MPP = M", t3, 3
    li      t1, MSTATUS_MPP
    csrc    mstatus, t1
    csrr    t3, mstatus
    srli    t3, t3, 11
    andi    t3, t3, 3
    li      t1, MSTATUS_MPP
    csrs    mstatus, t1
    CHECK_VAL "mstatus.MPP = U", t3, 0

    /* Identification */
    csrr    t3, mhartid
    CHECK_VAL "mhartid is 0", t3, 0
    csrr    t3, misa
    srli    t3, t3, 62
    CHECK_VAL "misa.MXL = 2 (64-bit)", t3, 2
    csrr    t3, misa
    li      t1, MISA_NEEDED
    and     t3, t3, t1
    CHECK_VAL "misa has A C I M S U", t3, MISA_NEEDED

    /* Counters advance (values are never printed: they differ between platforms) */
    rdinstret s0
    nop
    nop
    nop
    nop
    rdinstret t3
    sltu    t3, s0, t3
    CHECK_VAL "instret advances", t3, 1
    rdcycle s0
    li      t1, 100
1:  addi    t1, t1, -1
    bnez    t1, 1b
    rdcycle t3
    sltu    t3, s0, t3
    CHECK_VAL "cycle advances", t3, 1

    /* Reading a read-only CSR is legal when nothing is written (zicsr.adoc: rs1=x0 / uimm=0 do not write) */
    TEST_NO_TRAP "csrrs mvendorid, x0", csrrs t3, mvendorid, x0
    TEST_NO_TRAP "csrrsi mhartid, 0", csrrsi t3, mhartid, 0
    TEST_NO_TRAP "csrrci mimpid, 0", csrrci t3, mimpid, 0
    TEST_NO_TRAP "rdcycle", rdcycle t3

    /* Writing a read-only CSR (csr[11:10] = 3) raises illegal-instruction, even with x0 as the source */
    li      t1, 1
    TEST_ILLEGAL "csrw mvendorid", csrrw t3, mvendorid, t1
    TEST_ILLEGAL "csrrw mhartid, x0", csrrw t3, mhartid, x0
    TEST_ILLEGAL "csrrsi mimpid, 1", csrrsi t3, mimpid, 1
    li      t1, 1
    TEST_ILLEGAL "csrrc marchid, t1", csrrc t3, marchid, t1
    li      t1, 1
    TEST_ILLEGAL "csrw cycle", csrrw t3, cycle, t1
    li      t1, 1
    TEST_ILLEGAL "csrw instret", csrrw t3, instret, t1

    /* An unimplemented CSR (custom space 0x8c0) */
    TEST_ILLEGAL "csrr 0x8c0", csrrs t3, 0x8c0, x0

    /* Reserved encodings: the all-zero 16-bit parcel (zca.adoc) and an OP with funct7 = 0x7f */
    TEST_ILLEGAL "16-bit 0x0000", .2byte 0
    .2byte  0x0001                  /* c.nop: back to 4-byte alignment (gas assumes it under norvc) */
    TEST_ILLEGAL "OP funct7=0x7f", .4byte 0xfe000033

    /* MRET returns to mepc in the privilege mode held in MPP (machine.adoc "Trap-Return Instructions") */
    li      t1, MSTATUS_MPP
    csrs    mstatus, t1
    la      t1, .Lafter_mret
    csrw    mepc, t1
    li      t3, 0
    mret
    li      t3, 1
.Lafter_mret:
    CHECK_VAL "mret jumps to mepc", t3, 0
    csrr    t3, mstatus
    srli    t3, t3, 11
    andi    t3, t3, 3
    CHECK_VAL "mret to M leaves MPP = U (least-privileged mode)", t3, 0
    li      t1, MSTATUS_MPP
    csrs    mstatus, t1

    TEST_MAIN_END "isa-zicsr"

    .balign 4
.Lfake_vector:
    j       .Lfake_vector
