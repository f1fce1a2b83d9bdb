/*
 * ubench-loaduse: a chain of dependent loads that all hit in the L1D (each LD reads a doubleword
 * holding its own address), for the timing model's analytic checks
 * (pipeline/timing/ubench.test.ts): every link is a load whose address is the previous load's
 * result, so each pays the load-use bubble. The test writes ubench_iters after loading the ELF
 * and compares runs with different counts. The output never depends on timing.
 */
#include "rt.h"

/* Parameters live in .data even when zero (never .bss, which crt0 clears after the test wrote them). */
#define UBENCH_PARAM __attribute__((section(".data.ubench_params")))

/* Iterations of the kernel; the value here is what QEMU and the committed-workload tests run. */
UBENCH_PARAM volatile uint64_t ubench_iters = 1000;

/* The chain's only node: it points at itself. */
static uint64_t cell;

/* Runs `iters` (>= 1) iterations of 16 chained LDs from p (ubench-loaduse-kernel.S); returns the last pointer. */
uint64_t *ubench_loaduse_kernel(uint64_t *p, uint64_t iters);

int main(void)
{
    uint64_t n = ubench_iters;
    cell = (uint64_t)&cell;
    uint64_t *got = n == 0 ? &cell : ubench_loaduse_kernel(&cell, n);
    int ok = got == &cell;
    printf("ubench-loaduse: %s\n", ok ? "ok" : "FAIL");
    return !ok;
}
