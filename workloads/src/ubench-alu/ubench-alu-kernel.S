/*
 * uint64_t ubench_alu_kernel(uint64_t iters)
 *
 * One iteration: 16 ADDIs chained through a0 and the loop's two instructions, the counter
 * decrement after the 8th link and the loop branch after the 16th. Neither reads the chain, so
 * without forwarding each sits in the bubble of the link before it and an iteration costs
 * exactly 16 link latencies; with forwarding every instruction takes one cycle (18 per
 * iteration). The whole loop is 36 bytes of compressed instructions inside one 64-byte line, so
 * instruction fetch stays in one cache line.
 */
    .section .text.ubench_alu_kernel, "ax", @progbits
    .globl ubench_alu_kernel
    .balign 64
ubench_alu_kernel:
    mv      a1, a0
    li      a0, 0
1:  addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a1, a1, -1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    addi    a0, a0, 1
    bnez    a1, 1b
    ret
