/*
 * bench-intloop: a tight integer loop for the simulator's MIPS figure. Each iteration is one
 * xorshift64 step plus an accumulate (shift/xor/add, a counter and a branch: 9 instructions at -O2),
 * 22 million iterations, about 200 million instructions. The result is printed and checked so the
 * loop cannot be optimised away and a wrong simulator shows up as a failure.
 */
#include "rt.h"

#define ITERATIONS 22000000u
/* Computed on the host with the same recurrence. */
#define EXPECTED_SUM 0x5000e5591d382c88ull

int main(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint64_t sum = 0;
    for (uint32_t i = ITERATIONS; i != 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x;
    }
    int match = sum == EXPECTED_SUM;
    printf("bench-intloop: %u iterations, sum 0x%016lx (expected 0x%016lx) %s\n", ITERATIONS, (unsigned long)sum,
           (unsigned long)EXPECTED_SUM, match ? "PASS" : "FAIL");
    return !match;
}
