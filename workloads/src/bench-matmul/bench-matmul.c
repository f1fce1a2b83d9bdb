/*
 * bench-matmul: C = A * B for n x n matrices of 64-bit integers (arithmetic mod 2^64), i-k-j loop
 * order (row-major, unit stride in the inner loop). The arena holds A, B and C (24 n^2 bytes).
 *
 * Parameters: seed (A and B), footprint_bytes (>= 24 n^2; only 24 n^2 are used), iterations
 * (multiplications; each one recomputes C from scratch), arg0 = n (>= 1). Checksum: C folded in
 * row-major order. Self-check (any parameters): Freivalds' test with two vectors, all ones and a
 * seeded random one, C x == A (B x) exactly.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 24 * 1024, .iterations = 2, .mode = BENCH_MODE_M,
             .page_size = 4096, .arg0 = 32);

#define MAX_N 4096

static void matmul(struct bench_ctx *c)
{
    uint64_t n = c->p.arg0;
    uint64_t *a = (uint64_t *)c->arena, *b = a + n * n, *m = b + n * n;
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < 2 * n * n; i++)
        a[i] = bench_rand(&st);

    for (uint64_t it = 0; it < c->p.iterations; it++) {
        for (uint64_t i = 0; i < n * n; i++)
            m[i] = 0;
        for (uint64_t i = 0; i < n; i++)
            for (uint64_t k = 0; k < n; k++) {
                uint64_t aik = a[i * n + k];
                const uint64_t *bk = b + k * n;
                uint64_t *mi = m + i * n;
                for (uint64_t j = 0; j < n; j++)
                    mi[j] += aik * bk[j];
            }
    }
    uint64_t h = BENCH_FOLD_INIT;
    for (uint64_t i = 0; i < n * n; i++)
        h = bench_fold(h, m[i]);
    c->checksum = h;

    /* Freivalds: x, then y = B x, then compare A y with C x element by element. */
    static uint64_t x[MAX_N], y[MAX_N];
    int ok = c->p.iterations > 0;
    for (int round = 0; round < 2 && ok; round++) {
        uint64_t xs = c->p.seed ^ 0x5bd1e995;
        for (uint64_t j = 0; j < n; j++)
            x[j] = round == 0 ? 1 : bench_rand(&xs);
        for (uint64_t k = 0; k < n; k++) {
            uint64_t s = 0;
            for (uint64_t j = 0; j < n; j++)
                s += b[k * n + j] * x[j];
            y[k] = s;
        }
        for (uint64_t i = 0; i < n; i++) {
            uint64_t ay = 0, cx = 0;
            for (uint64_t k = 0; k < n; k++) {
                ay += a[i * n + k] * y[k];
                cx += m[i * n + k] * x[k];
            }
            ok &= ay == cx;
        }
    }
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->arg0 < 1 || p->arg0 > MAX_N)
        return "n (arg0) must be 1..4096";
    if (p->iterations < 1)
        return "iterations must be >= 1";
    return p->footprint_bytes >= 24 * p->arg0 * p->arg0 ? NULL : "footprint_bytes must be >= 24 n^2";
}

static const struct bench_desc desc = {
    .name = "bench-matmul",
    .kernel = matmul,
    .min_footprint = 24,
    .arg_names = {"n", NULL, NULL, NULL},
    .validate = check_params,
    .reference = 0x627824c60c5c17bcUL,
};

int main(void)
{
    return bench_run(&desc);
}
