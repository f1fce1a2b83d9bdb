/*
 * bench-memcpy: copies of seeded sizes and alignments with a word-at-a-time memcpy (byte head
 * until the destination is 8-byte aligned, then 64-bit words: plain when the source is aligned
 * too, otherwise each destination word merged from two aligned source words with shifts; byte
 * tail). The arena's first half is the source (seeded bytes), the second half the destination.
 *
 * Parameters: seed (contents, sizes, offsets), footprint_bytes (multiple of 16, >= 256),
 * iterations (copies). Copy k has source and destination offsets in 0..63 and a length in
 * 0..half-128, where half = footprint/2, or a full-half copy when arg0 = 1 (k's lengths then all
 * equal half-128, offsets still vary). Checksum: fold of every copy's length, offsets and the
 * XOR of the destination words it touched.
 * Self-check (any parameters): after each copy the destination range equals the source range
 * byte for byte and the bytes just before and after it are untouched guard bytes.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 8 * BENCH_KIB, .iterations = 32, .mode = BENCH_MODE_U,
             .page_size = BENCH_GIB);

#define GUARD 0xa5

static uint8_t *copy(uint8_t *dst, const uint8_t *src, uint64_t n)
{
    uint8_t *d = dst;
    while (n && ((uintptr_t)d & 7)) {
        *d++ = *src++;
        n--;
    }
    uint64_t *dw = (uint64_t *)d;
    unsigned shift = (unsigned)((uintptr_t)src & 7) * 8;
    if (shift == 0) {
        const uint64_t *sw = (const uint64_t *)src;
        for (; n >= 32; n -= 32, dw += 4, sw += 4) {
            uint64_t w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
            dw[0] = w0;
            dw[1] = w1;
            dw[2] = w2;
            dw[3] = w3;
        }
        for (; n >= 8; n -= 8)
            *dw++ = *sw++;
        src = (const uint8_t *)sw;
    } else if (n >= 16) {
        /* Little-endian merge: dst word = lo >> shift | hi << (64 - shift). Reads stay within the
         * source words that hold copied bytes: stop while a whole further word is needed. */
        const uint64_t *sw = (const uint64_t *)((uintptr_t)src & ~7UL);
        uint64_t lo = *sw++;
        for (; n >= 16; n -= 8) {
            uint64_t hi = *sw++;
            *dw++ = lo >> shift | hi << (64 - shift);
            lo = hi;
        }
        src = (const uint8_t *)(sw - 1) + shift / 8;
    }
    d = (uint8_t *)dw;
    while (n--)
        *d++ = *src++;
    return dst;
}

static void memcpy_kernel(struct bench_ctx *c)
{
    uint64_t half = c->p.footprint_bytes / 2;
    uint8_t *src = c->arena, *dst = c->arena + half;
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < half; i += 8)
        *(uint64_t *)(src + i) = bench_rand(&st);
    for (uint64_t i = 0; i < half; i++)
        dst[i] = GUARD;

    uint64_t h = BENCH_FOLD_INIT;
    int ok = 1;
    uint64_t max = half - 128;
    for (uint64_t k = 0; k < c->p.iterations; k++) {
        uint64_t r = bench_rand(&st);
        uint64_t so = r & 63, doff = (r >> 6 & 63) + 1;
        uint64_t n = c->p.arg0 == 1 ? max : (r >> 12) % (max + 1);
        copy(dst + doff, src + so, n);
        uint64_t x = 0;
        for (uint64_t i = 0; i < n; i++) {
            ok &= dst[doff + i] == src[so + i];
            x ^= (uint64_t)dst[doff + i] << (8 * (i & 7));
        }
        ok &= dst[doff - 1] == GUARD && dst[doff + n] == GUARD;
        h = bench_fold(bench_fold(bench_fold(h, n), so << 8 | doff), x);
        /* Restore the guard bytes for the next copy. */
        for (uint64_t i = 0; i < n; i++)
            dst[doff + i] = GUARD;
    }
    c->checksum = h;
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->footprint_bytes % 16 != 0)
        return "footprint_bytes must be a multiple of 16";
    return p->arg0 <= 1 ? NULL : "full (arg0) must be 0 or 1";
}

static const struct bench_desc desc = {
    .name = "bench-memcpy",
    .kernel = memcpy_kernel,
    .min_footprint = 256,
    .arg_names = {"full", NULL, NULL, NULL},
    .validate = check_params,
    .reference = 0xc3c68bb0201aacddUL,
};

int main(void)
{
    return bench_run(&desc);
}
