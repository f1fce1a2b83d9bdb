/*
 * uint64_t *ubench_loaduse_kernel(uint64_t *p, uint64_t iters)
 *
 * One iteration: 16 LDs chained through a0 (a0 = *a0) and the loop's two instructions, the
 * counter decrement after the 8th link and the loop branch after the 16th. Neither reads the
 * chain, so each fills the load-use bubble of the link before it and an iteration costs exactly
 * 16 link latencies. The loop is 36 bytes of compressed instructions inside one 64-byte line.
 */
    .section .text.ubench_loaduse_kernel, "ax", @progbits
    .globl ubench_loaduse_kernel
    .balign 64
ubench_loaduse_kernel:
1:  ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    addi    a1, a1, -1
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    bnez    a1, 1b
    ret
