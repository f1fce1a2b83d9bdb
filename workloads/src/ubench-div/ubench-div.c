/*
 * ubench-div: long-latency arithmetic for the timing model's analytic checks
 * (pipeline/timing/ubench.test.ts). ubench_kind selects the kernel:
 *   0  a chain of dependent DIVs (each divides the previous quotient by 1);
 *   1  independent DIVs (the same operands, four destinations, nothing reads them);
 *   2  a chain of dependent MULs (each multiplies the previous product by 1).
 * The test writes ubench_kind and ubench_iters after loading the ELF and compares runs with
 * different iteration counts. The output never depends on timing.
 */
#include "rt.h"

/* Parameters live in .data even when zero (never .bss, which crt0 clears after the test wrote them). */
#define UBENCH_PARAM __attribute__((section(".data.ubench_params")))

/* Kernel and iterations; the values here are what QEMU and the committed-workload tests run. */
UBENCH_PARAM volatile uint64_t ubench_kind = 0;
UBENCH_PARAM volatile uint64_t ubench_iters = 200;

/* Each runs `iters` (>= 1) iterations of 8 operations (ubench-div-kernel.S) and returns x (the chain's value). */
uint64_t ubench_div_chain(uint64_t x, uint64_t iters);
uint64_t ubench_div_independent(uint64_t x, uint64_t iters);
uint64_t ubench_mul_chain(uint64_t x, uint64_t iters);

#define SEED 0x123456789abcdefull

int main(void)
{
    uint64_t n = ubench_iters;
    uint64_t kind = ubench_kind;
    uint64_t got = SEED;
    if (n != 0) {
        if (kind == 0) got = ubench_div_chain(SEED, n);
        else if (kind == 1) got = ubench_div_independent(SEED, n);
        else got = ubench_mul_chain(SEED, n);
    }
    int ok = kind <= 2 && got == SEED;
    printf("ubench-div: %s\n", ok ? "ok" : "FAIL");
    return !ok;
}
