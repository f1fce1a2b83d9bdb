/*
 * ubench-alu: a chain of dependent ADDIs, each reading the result of the one before, for the
 * timing model's analytic checks (pipeline/timing/ubench.test.ts). With forwarding a link costs
 * one cycle (CPI 1); without it a consumer waits until its producer has written back (3 cycles).
 * The test runs the program twice with different iteration counts (it writes ubench_iters in
 * DRAM after loading the ELF) and divides the difference of the statistics by the difference of
 * the iterations, so the prologue and the epilogue cancel. The output never depends on timing.
 */
#include "rt.h"

/* Parameters live in .data even when zero (never .bss, which crt0 clears after the test wrote them). */
#define UBENCH_PARAM __attribute__((section(".data.ubench_params")))

/* Iterations of the kernel; the value here is what QEMU and the committed-workload tests run. */
UBENCH_PARAM volatile uint64_t ubench_iters = 1000;

/* Runs `iters` (>= 1) iterations of 16 chained ADDIs (ubench-alu-kernel.S); returns the chain's value. */
uint64_t ubench_alu_kernel(uint64_t iters);

int main(void)
{
    uint64_t n = ubench_iters;
    uint64_t got = n == 0 ? 0 : ubench_alu_kernel(n);
    int ok = got == n * 16;
    printf("ubench-alu: %s\n", ok ? "ok" : "FAIL");
    return !ok;
}
