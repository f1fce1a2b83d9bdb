/*
 * bench-stride: a strided read sweep over the arena (cache-line and TLB reach probes). The arena
 * holds footprint/8 64-bit words a[i] = c + i*d (c and d from the seed, d odd); each sweep adds
 * a[0], a[s], a[2s], ... (s = stride/8) for every element inside the footprint.
 *
 * Parameters: seed, footprint_bytes (multiple of 8), iterations (sweeps), arg0 = stride (bytes,
 * a multiple of 8, >= 8). Checksum: the sum over all sweeps (mod 2^64).
 * Self-check (any parameters): the sum equals its closed form, iterations * (m*c + d*s*m(m-1)/2)
 * for m = ceil(words/s) elements per sweep.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 256 * BENCH_KIB, .iterations = 48, .mode = BENCH_MODE_U,
             .page_size = 2 * BENCH_MIB, .arg0 = 64);

static void stride_kernel(struct bench_ctx *c)
{
    uint64_t *a = (uint64_t *)c->arena;
    uint64_t words = c->p.footprint_bytes / 8;
    uint64_t s = c->p.arg0 / 8;
    uint64_t st = c->p.seed;
    uint64_t c0 = bench_rand(&st);
    uint64_t d = bench_rand(&st) | 1;
    for (uint64_t i = 0, v = c0; i < words; i++, v += d)
        a[i] = v;

    uint64_t sum = 0;
    for (uint64_t it = 0; it < c->p.iterations; it++)
        for (uint64_t i = 0; i < words; i += s)
            sum += a[i];
    c->checksum = sum;

    uint64_t m = (words + s - 1) / s;
    /* m(m-1)/2 without overflow for any m < 2^63: halve the even factor first. */
    uint64_t tri = (m % 2 == 0) ? (m / 2) * (m - 1) : m * ((m - 1) / 2);
    uint64_t per_sweep = m * c0 + d * s * tri;
    c->selfcheck_ok = sum == c->p.iterations * per_sweep;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->footprint_bytes % 8 != 0)
        return "footprint_bytes must be a multiple of 8";
    return p->arg0 >= 8 && p->arg0 % 8 == 0 ? NULL : "stride (arg0) must be a multiple of 8";
}

static const struct bench_desc desc = {
    .name = "bench-stride",
    .kernel = stride_kernel,
    .min_footprint = 8,
    .arg_names = {"stride", NULL, NULL, NULL},
    .validate = check_params,
    .reference = 0xf26009a1416f0000UL,
};

int main(void)
{
    return bench_run(&desc);
}
