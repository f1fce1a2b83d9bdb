/*
 * bench-stringsearch: Boyer-Moore-Horspool search, as MiBench's office/stringsearch, counting every
 * occurrence of each pattern in a seeded text over a 16-letter alphabet ('a'..'p'). The arena
 * holds the text (footprint_bytes bytes).
 *
 * Parameters: seed (text and patterns), footprint_bytes (text length, >= 64), iterations
 * (patterns; pattern k has length 4 + k mod 9; even k are copied from a seeded text position, so
 * they occur at least once, odd k are seeded random letters). Checksum: fold of each pattern's
 * match count and first match position (text length when none).
 * Self-check (any parameters): a naive search finds the same count and first position for every
 * pattern, and every copied pattern occurs.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 8 * BENCH_KIB, .iterations = 8, .mode = BENCH_MODE_U,
             .page_size = 2 * BENCH_MIB);

#define MAX_PAT 12

static uint64_t horspool(const uint8_t *t, uint64_t n, const uint8_t *p, uint64_t m, uint64_t *first)
{
    uint64_t shift[256];
    for (int i = 0; i < 256; i++)
        shift[i] = m;
    for (uint64_t i = 0; i + 1 < m; i++)
        shift[p[i]] = m - 1 - i;
    uint64_t count = 0;
    *first = n;
    for (uint64_t pos = 0; pos + m <= n; pos += shift[t[pos + m - 1]]) {
        uint64_t j = m;
        while (j > 0 && t[pos + j - 1] == p[j - 1])
            j--;
        if (j == 0) {
            if (count++ == 0)
                *first = pos;
        }
    }
    return count;
}

static uint64_t naive(const uint8_t *t, uint64_t n, const uint8_t *p, uint64_t m, uint64_t *first)
{
    uint64_t count = 0;
    *first = n;
    for (uint64_t pos = 0; pos + m <= n; pos++) {
        uint64_t j = 0;
        while (j < m && t[pos + j] == p[j])
            j++;
        if (j == m && count++ == 0)
            *first = pos;
    }
    return count;
}

static void stringsearch(struct bench_ctx *c)
{
    uint8_t *t = c->arena;
    uint64_t n = c->p.footprint_bytes;
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < n; i++)
        t[i] = (uint8_t)('a' + (bench_rand(&st) & 15));
    uint64_t h = BENCH_FOLD_INIT;
    int ok = 1;
    for (uint64_t k = 0; k < c->p.iterations; k++) {
        uint8_t p[MAX_PAT];
        uint64_t m = 4 + k % 9;
        uint64_t r = bench_rand(&st);
        if (k % 2 == 0) {
            uint64_t at = r % (n - m + 1);
            for (uint64_t j = 0; j < m; j++)
                p[j] = t[at + j];
        } else {
            for (uint64_t j = 0; j < m; j++)
                p[j] = (uint8_t)('a' + (r >> (4 * j) & 15));
        }
        uint64_t f1, f2;
        uint64_t c1 = horspool(t, n, p, m, &f1);
        uint64_t c2 = naive(t, n, p, m, &f2);
        ok &= c1 == c2 && f1 == f2 && (k % 2 == 1 || c1 > 0);
        h = bench_fold(bench_fold(h, c1), f1);
    }
    c->checksum = h;
    c->selfcheck_ok = ok;
}

static const struct bench_desc desc = {
    .name = "bench-stringsearch",
    .kernel = stringsearch,
    .min_footprint = 64,
    .reference = 0x16e11fd84f1451acUL,
};

int main(void)
{
    return bench_run(&desc);
}
