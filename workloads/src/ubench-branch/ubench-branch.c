/*
 * ubench-branch: conditional-branch patterns for the timing model's analytic checks of the branch
 * predictors (pipeline/timing/ubench.test.ts). ubench_kind selects the kernel:
 *   0  the loop branch alone: a backward branch taken on every iteration but the last;
 *   1  alternating: a forward branch taken on odd iterations (0-based), then the loop branch;
 *   2  random: a forward branch taken when bit 0 of a xorshift64 state is 1 (the state starts
 *      at ubench_seed and steps once per iteration after the branch), then the loop branch.
 * The test writes ubench_kind, ubench_iters and ubench_seed after loading the ELF, computes each
 * predictor's mispredictions from its definition and the outcome sequence, and compares runs
 * with different iteration counts. The output never depends on timing.
 */
#include "rt.h"

/* Parameters live in .data even when zero (never .bss, which crt0 clears after the test wrote them). */
#define UBENCH_PARAM __attribute__((section(".data.ubench_params")))

/* Kernel, iterations and xorshift seed; the values here are what QEMU and the committed-workload tests run. */
#define DEFAULT_ITERS 1000
#define DEFAULT_SEED 0x9e3779b97f4a7c15ull
UBENCH_PARAM volatile uint64_t ubench_kind = 2;
UBENCH_PARAM volatile uint64_t ubench_iters = DEFAULT_ITERS;
UBENCH_PARAM volatile uint64_t ubench_seed = DEFAULT_SEED;

/*
 * Fall-throughs of the random kernel with the default seed and iterations (bit 0 of the
 * xorshift64 state clear), counted on the host. Recounting here would cost time that grows with
 * ubench_iters, which the test varies: other parameters are only checked for plausibility.
 */
#define DEFAULT_RANDOM_FALLTHROUGHS 474

/* Each runs `iters` (>= 1) iterations (ubench-branch-kernel.S) and returns how often the pattern branch fell through. */
uint64_t ubench_branch_loop(uint64_t iters);
uint64_t ubench_branch_alternating(uint64_t iters);
uint64_t ubench_branch_random(uint64_t iters, uint64_t seed);

int main(void)
{
    uint64_t kind = ubench_kind;
    uint64_t n = ubench_iters;
    uint64_t seed = ubench_seed;
    int ok = kind <= 2;
    if (n != 0) {
        if (kind == 0) {
            ok &= ubench_branch_loop(n) == 0;
        } else if (kind == 1) {
            ok &= ubench_branch_alternating(n) == (n + 1) / 2; /* even iterations fall through */
        } else {
            uint64_t got = ubench_branch_random(n, seed);
            int defaults = (n == DEFAULT_ITERS) & (seed == DEFAULT_SEED);
            ok &= defaults ? got == DEFAULT_RANDOM_FALLTHROUGHS : got <= n;
        }
    }
    printf("ubench-branch: %s\n", ok ? "ok" : "FAIL");
    return !ok;
}
