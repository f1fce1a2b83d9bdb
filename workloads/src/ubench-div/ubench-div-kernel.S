/*
 * The ubench-div kernels. Each iteration is 8 operations and the loop's two instructions: the
 * counter decrement after the 4th operation and the loop branch after the 8th. Neither reads an
 * operation's result, so each waits in the shadow of the operation before it and an iteration
 * costs exactly 8 times what one operation costs. Each loop is 36 bytes inside one 64-byte line.
 * a0 = x, a1 = iterations (>= 1); a2 = 1 is the divisor or multiplier, so x never changes.
 */
    .section .text.ubench_div_kernels, "ax", @progbits

/* uint64_t ubench_div_chain(uint64_t x, uint64_t iters): x = x / 1, each DIV reading the last. */
    .globl ubench_div_chain
    .balign 64
ubench_div_chain:
    li      a2, 1
1:  div     a0, a0, a2
    div     a0, a0, a2
    div     a0, a0, a2
    div     a0, a0, a2
    addi    a1, a1, -1
    div     a0, a0, a2
    div     a0, a0, a2
    div     a0, a0, a2
    div     a0, a0, a2
    bnez    a1, 1b
    ret

/* uint64_t ubench_div_independent(uint64_t x, uint64_t iters): t0..t3 = x / 1, read by nobody. */
    .globl ubench_div_independent
    .balign 64
ubench_div_independent:
    li      a2, 1
1:  div     t0, a0, a2
    div     t1, a0, a2
    div     t2, a0, a2
    div     t3, a0, a2
    addi    a1, a1, -1
    div     t0, a0, a2
    div     t1, a0, a2
    div     t2, a0, a2
    div     t3, a0, a2
    bnez    a1, 1b
    ret

/* uint64_t ubench_mul_chain(uint64_t x, uint64_t iters): x = x * 1, each MUL reading the last. */
    .globl ubench_mul_chain
    .balign 64
ubench_mul_chain:
    li      a2, 1
1:  mul     a0, a0, a2
    mul     a0, a0, a2
    mul     a0, a0, a2
    mul     a0, a0, a2
    addi    a1, a1, -1
    mul     a0, a0, a2
    mul     a0, a0, a2
    mul     a0, a0, a2
    mul     a0, a0, a2
    bnez    a1, 1b
    ret
