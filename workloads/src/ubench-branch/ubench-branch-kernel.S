/*
 * The ubench-branch kernels. Uncompressed, so that the layout is exact: in the alternating and
 * random kernels the pattern branch sits at offset 4 of the loop and the loop branch at offset
 * 40, 36 bytes later. Their predictor-table indices (pc bits [n:1], XOR a global history of at
 * most 3 bits for gshare) then differ for every table of 16 entries or more, so the two
 * branches never share a counter. Nothing in the loops stalls (every result is forwarded to the
 * next instruction), so the only cycles beyond one per instruction are branch penalties.
 */
    .section .text.ubench_branch_kernels, "ax", @progbits
    .option push
    .option norvc

/* uint64_t ubench_branch_loop(uint64_t iters): the backward loop branch, taken iters - 1 times. */
    .globl ubench_branch_loop
    .balign 64
ubench_branch_loop:
1:  addi    a0, a0, -1
    bnez    a0, 1b
    ret

/*
 * uint64_t ubench_branch_alternating(uint64_t iters): bit = iteration & 1; the pattern branch is
 * taken when bit = 1 (skipping the count of fall-throughs). The five NOPs stand where the random
 * kernel steps its generator, so both loops have the same layout.
 */
    .globl ubench_branch_alternating
    .balign 64
ubench_branch_alternating:
    li      a3, 0                   /* fall-throughs */
    li      a4, 0                   /* bit 0: this iteration's outcome */
1:  andi    t1, a4, 1
    bnez    t1, 2f                  /* pattern branch: forward, taken on odd iterations */
    addi    a3, a3, 1
2:  xori    a4, a4, 1
    nop
    nop
    nop
    nop
    nop
    addi    a0, a0, -1
    bnez    a0, 1b                  /* loop branch: backward */
    mv      a0, a3
    ret

/*
 * uint64_t ubench_branch_random(uint64_t iters, uint64_t seed): bit = x & 1 with x the xorshift64
 * state (Marsaglia 2003, shifts 13, 7, 17), starting at seed and stepped after each branch.
 */
    .globl ubench_branch_random
    .balign 64
ubench_branch_random:
    li      a3, 0                   /* fall-throughs */
    mv      a4, a1                  /* x */
1:  andi    t1, a4, 1
    bnez    t1, 2f                  /* pattern branch: forward, taken when bit 0 of x is 1 */
    addi    a3, a3, 1
2:  slli    t0, a4, 13
    xor     a4, a4, t0
    srli    t0, a4, 7
    xor     a4, a4, t0
    slli    t0, a4, 17
    xor     a4, a4, t0
    addi    a0, a0, -1
    bnez    a0, 1b                  /* loop branch: backward */
    mv      a0, a3
    ret

    .option pop
