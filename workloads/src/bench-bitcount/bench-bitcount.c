/*
 * bench-bitcount: population counts of seeded 64-bit words by four methods, as MiBench's
 * automotive/bitcount compares several: a shift-and-test loop, Kernighan's x &= x - 1, a byte
 * lookup table and the SWAR (parallel) count. The arena holds footprint/8 words.
 *
 * Parameters: seed, footprint_bytes (multiple of 8), iterations (passes: each pass counts every
 * word with every method; pass k XORs the words with k's mask first). Checksum: the total count
 * folded with each pass's count. Self-check (any parameters): the four methods agree on every pass.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 4 * BENCH_KIB, .iterations = 2, .mode = BENCH_MODE_S,
             .page_size = 2 * BENCH_MIB);

static uint8_t table[256];

static uint64_t by_shift(uint64_t x)
{
    uint64_t n = 0;
    for (int i = 0; i < 64; i++, x >>= 1)
        n += x & 1;
    return n;
}

static uint64_t by_kernighan(uint64_t x)
{
    uint64_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static uint64_t by_table(uint64_t x)
{
    uint64_t n = 0;
    for (int i = 0; i < 8; i++, x >>= 8)
        n += table[x & 0xff];
    return n;
}

static uint64_t by_swar(uint64_t x)
{
    x = x - (x >> 1 & 0x5555555555555555UL);
    x = (x & 0x3333333333333333UL) + (x >> 2 & 0x3333333333333333UL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
    return x * 0x0101010101010101UL >> 56;
}

static void bitcount(struct bench_ctx *c)
{
    for (unsigned i = 0; i < 256; i++)
        table[i] = (uint8_t)by_kernighan(i);
    uint64_t *w = (uint64_t *)c->arena;
    uint64_t n = c->p.footprint_bytes / 8;
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < n; i++)
        w[i] = bench_rand(&st);

    uint64_t h = BENCH_FOLD_INIT, total = 0;
    int ok = 1;
    for (uint64_t it = 0; it < c->p.iterations; it++) {
        uint64_t mask = bench_mix(it);
        uint64_t s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t x = w[i] ^ mask;
            s1 += by_shift(x);
            s2 += by_kernighan(x);
            s3 += by_table(x);
            s4 += by_swar(x);
        }
        ok &= s1 == s2 && s2 == s3 && s3 == s4;
        total += s1;
        h = bench_fold(h, s1);
    }
    c->checksum = bench_fold(h, total);
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    return p->footprint_bytes % 8 == 0 ? NULL : "footprint_bytes must be a multiple of 8";
}

static const struct bench_desc desc = {
    .name = "bench-bitcount",
    .kernel = bitcount,
    .min_footprint = 8,
    .validate = check_params,
    .reference = 0x4a81baf8b6809f6fUL,
};

int main(void)
{
    return bench_run(&desc);
}
