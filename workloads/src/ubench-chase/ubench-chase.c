/*
 * ubench-chase: a pointer chase over a working set, for the timing model's analytic checks of the
 * cache hierarchy (pipeline/timing/ubench.test.ts). The arena holds `nodes` nodes `stride` bytes
 * apart; node i points at node (A*i + C) mod nodes, a linear congruential step with full period
 * (Hull-Dobell: C odd, A = 1 mod 4, nodes a power of two), so the chase visits every node once per
 * cycle of `nodes` links in a scrambled order and, with a stride of one cache line, touches
 * every set of a cache with a power-of-two number of sets equally often (the same recurrence
 * taken mod the set count has full period too).
 *
 * Parameters (written by the test after loading the ELF; the values here are what QEMU and the
 * committed-workload tests run):
 *   ubench_nodes   power of two
 *   ubench_stride  bytes between nodes, a multiple of 8
 *   ubench_build   links the program writes, starting at node 0 (at most nodes; fewer builds
 *                  only a prefix of the cycle, for working sets too large to build whole)
 *   ubench_links   links chased, starting at node 0, a multiple of 8, at most what was built
 *   ubench_arena   physical address of node 0
 * The output never depends on timing.
 */
#include "rt.h"

/* Parameters live in .data even when zero (never .bss, which crt0 clears after the test wrote them). */
#define UBENCH_PARAM __attribute__((section(".data.ubench_params")))

UBENCH_PARAM volatile uint64_t ubench_nodes = 1024;
UBENCH_PARAM volatile uint64_t ubench_stride = 64;
UBENCH_PARAM volatile uint64_t ubench_build = 1024;
UBENCH_PARAM volatile uint64_t ubench_links = 4096;
/* 32 MiB above the image: room for a 64 MiB arena inside QEMU virt's default 128 MiB of RAM. */
UBENCH_PARAM volatile uint64_t ubench_arena = 0x82000000;

/* Knuth's MMIX LCG constants: A = 1 mod 4 and C odd give full period modulo any power of two. */
#define LCG_A 6364136223846793005ull
#define LCG_C 1442695040888963407ull

/* Chases `iters` (>= 1) iterations of 8 links from p (ubench-chase-kernel.S); returns the last pointer. */
uint64_t ubench_chase_kernel(uint64_t p, uint64_t iters);

int main(void)
{
    uint64_t nodes = ubench_nodes;
    uint64_t stride = ubench_stride;
    uint64_t build = ubench_build;
    uint64_t links = ubench_links;
    uint64_t arena = ubench_arena;
    /* A whole cycle can be chased round and round; a prefix only as far as it was built. The
     * checks are combined with & rather than &&: the instructions main runs must not depend on
     * ubench_links, whose difference between two runs the test measures. */
    uint64_t chaseable = build | -(uint64_t)(build == nodes);
    int ok = (nodes != 0) & ((nodes & (nodes - 1)) == 0) & (stride % 8 == 0) & (stride != 0) & (links % 8 == 0) &
             (build <= nodes) & (links <= chaseable);
    if (ok) {
        uint64_t mask = nodes - 1;
        uint64_t i = 0;
        for (uint64_t k = 0; k < build; k++) {
            uint64_t next = (i * LCG_A + LCG_C) & mask;
            *(volatile uint64_t *)(arena + i * stride) = arena + next * stride;
            i = next;
        }
        uint64_t p = links == 0 ? arena : ubench_chase_kernel(arena, links / 8);
        /* The full check would step the recurrence `links` times, and that cost would grow with
         * the parameter the test varies: check only that the chase ended on a node. */
        ok = p >= arena && p < arena + nodes * stride && (p - arena) % stride == 0;
    }
    printf("ubench-chase: %s\n", ok ? "ok" : "FAIL");
    return !ok;
}
