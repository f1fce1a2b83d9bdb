/*
 * bench-gups: HPCC RandomAccess-style random updates. The arena is a table of footprint/8 64-bit
 * words (a power of two), T[i] = i; each update XORs a pseudo-random word r into T[r mod size],
 * r stepping through the HPCC shift register (r' = r << 1 ^ (r < 0 ? 7 : 0)).
 *
 * Parameters: seed (r's start is splitmix64(seed), forced nonzero), footprint_bytes (table size, a
 * power of two, >= 64), iterations (updates). Checksum: the table folded in order after the updates.
 * Self-check (any parameters): XOR is its own inverse, so replaying the same updates must restore
 * T[i] = i everywhere (HPCC's verification, here exact).
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 64 * BENCH_KIB, .iterations = 32768, .mode = BENCH_MODE_S,
             .page_size = 4096);

#define POLY 7UL

static uint64_t first(uint64_t seed)
{
    uint64_t r = bench_mix(seed);
    return r ? r : 1;
}

static void updates(uint64_t *t, uint64_t mask, uint64_t r, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++) {
        r = r << 1 ^ ((int64_t)r < 0 ? POLY : 0);
        t[r & mask] ^= r;
    }
}

static void gups(struct bench_ctx *c)
{
    uint64_t *t = (uint64_t *)c->arena;
    uint64_t words = c->p.footprint_bytes / 8;
    uint64_t mask = words - 1;
    for (uint64_t i = 0; i < words; i++)
        t[i] = i;
    updates(t, mask, first(c->p.seed), c->p.iterations);
    uint64_t h = BENCH_FOLD_INIT;
    for (uint64_t i = 0; i < words; i++)
        h = bench_fold(h, t[i]);
    c->checksum = h;
    updates(t, mask, first(c->p.seed), c->p.iterations);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < words; i++)
        bad |= t[i] ^ i;
    c->selfcheck_ok = bad == 0;
}

static const char *check_footprint(const struct rvh_params *p)
{
    uint64_t n = p->footprint_bytes;
    return (n & (n - 1)) == 0 ? NULL : "footprint_bytes must be a power of two";
}

static const struct bench_desc desc = {
    .name = "bench-gups",
    .kernel = gups,
    .min_footprint = 64,
    .validate = check_footprint,
    .reference = 0x7669ec2e26d07598UL,
};

int main(void)
{
    return bench_run(&desc);
}
