/*
 * uint64_t ubench_chase_kernel(uint64_t p, uint64_t iters)
 *
 * One iteration: 8 LDs chained through a0 (a0 = *a0) and the loop's two instructions, the
 * counter decrement after the 4th link and the loop branch after the 8th. Neither reads the
 * chain, so each waits in the shadow of the load before it and an iteration costs exactly 8
 * link latencies. The loop is 20 bytes of compressed instructions at the start of a 64-byte line:
 * fetch never leaves that line, so the chase's evictions cannot make the loop itself miss.
 */
    .section .text.ubench_chase_kernel, "ax", @progbits
    .globl ubench_chase_kernel
    .balign 64
ubench_chase_kernel:
1:  ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    addi    a1, a1, -1
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    ld      a0, 0(a0)
    bnez    a1, 1b
    ret
