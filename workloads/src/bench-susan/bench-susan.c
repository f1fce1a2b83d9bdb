/*
 * bench-susan: SUSAN-style structure-preserving smoothing of a grey image, in the spirit of
 * MiBench's automotive/susan -s (Smith and Brady, "SUSAN - a new approach to low level image
 * processing"). Each pixel becomes the weighted mean of its neighbours within a square mask of
 * radius r, the centre excluded; a neighbour's weight is the product of a spatial Gaussian and
 * its brightness similarity to the centre,
 *     w = exp(-(dx^2 + dy^2) / (2 r^2)) * exp(-((I_n - I_c) / t)^2),
 * so neighbours across an edge (a brightness step much larger than t) hardly count and edges stay
 * sharp. Integer arithmetic only (Q16 fixed point, exp(-x) as (1 - x/64)^64 by six squarings); a
 * pixel whose weights all vanish keeps its value; pixels past the border are the nearest border
 * pixel (replicated edges). The arena holds two s x s images, s = floor(sqrt(footprint / 2)), one
 * byte per pixel; the input is 8 x 8 blocks of seeded grey levels plus seeded noise in -16..15.
 *
 * Parameters: seed (the image), footprint_bytes (>= 32), iterations (passes >= 1, each smoothing
 * the previous result), arg0 = radius (1..8), arg1 = threshold t (1..255). Checksum: s, then the
 * final image folded as little-endian 64-bit words (zero-padded).
 * Self-check (any parameters): a second, separately written smoothing (column order, coordinates
 * clamped for every pixel, weight tables of its own indexed by |dI| and dx^2 + dy^2) reproduces
 * the last pass pixel for pixel, and a flat image stays flat.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 3 * BENCH_KIB, .iterations = 2, .mode = BENCH_MODE_S,
             .page_size = 4096, .arg0 = 1, .arg1 = 20);

#define MAX_RADIUS 8
#define MASK_MAX ((2 * MAX_RADIUS + 1) * (2 * MAX_RADIUS + 1))
#define Q 16
#define ONE (1UL << Q)
#define BLOCK 8

/* exp(-x) in Q16 for x = xq / 2^16 >= 0: (1 - x/64)^64, which is 0 from x = 64 on. */
static uint64_t exp_neg_q16(uint64_t xq)
{
    if (xq >= 64 * ONE)
        return 0;
    uint64_t y = ONE - (xq >> 6);
    for (int i = 0; i < 6; i++)
        y = (y * y) >> Q;
    return y;
}

static uint64_t brightness_weight(uint64_t d, uint64_t t)
{
    return exp_neg_q16((d * d << Q) / (t * t));
}

static uint64_t spatial_weight(uint64_t r2, uint64_t radius)
{
    return exp_neg_q16((r2 << Q) / (2 * radius * radius));
}

/* floor(sqrt(n)), digit by digit. */
static uint64_t isqrt(uint64_t n)
{
    uint64_t r = 0;
    for (uint64_t b = 1UL << 62; b; b >>= 2) {
        if (n >= r + b) {
            n -= r + b;
            r = (r >> 1) + b;
        } else {
            r >>= 1;
        }
    }
    return r;
}

/* ---- The kernel: tables by signed difference and mask offset, a fast path inside the border. */

struct mask {
    uint64_t n;                    /* neighbours, centre excluded */
    int64_t dy[MASK_MAX], dx[MASK_MAX];
    uint64_t sw[MASK_MAX];         /* spatial weight of each neighbour */
    uint64_t bw[511];              /* brightness weight of I_n - I_c, indexed by the difference + 255 */
};

static struct mask mask;

static void mask_init(struct mask *m, uint64_t radius, uint64_t t)
{
    int64_t r = (int64_t)radius;
    m->n = 0;
    for (int64_t dy = -r; dy <= r; dy++)
        for (int64_t dx = -r; dx <= r; dx++)
            if (dy || dx) {
                m->dy[m->n] = dy;
                m->dx[m->n] = dx;
                m->sw[m->n] = spatial_weight((uint64_t)(dy * dy + dx * dx), radius);
                m->n++;
            }
    for (int64_t d = -255; d <= 255; d++)
        m->bw[d + 255] = brightness_weight((uint64_t)(d < 0 ? -d : d), t);
}

static uint8_t mean(uint64_t acc, uint64_t sum, uint8_t centre)
{
    return sum ? (uint8_t)((acc + sum / 2) / sum) : centre;
}

static int64_t clamp(int64_t v, int64_t s)
{
    return v < 0 ? 0 : v >= s ? s - 1 : v;
}

static void smooth(const struct mask *m, const uint8_t *in, uint8_t *out, uint64_t s, uint64_t radius)
{
    int64_t off[MASK_MAX];
    for (uint64_t k = 0; k < m->n; k++)
        off[k] = m->dy[k] * (int64_t)s + m->dx[k];
    const uint64_t *bw = m->bw + 255;
    for (uint64_t y = 0; y < s; y++) {
        int inner_row = y >= radius && y + radius < s;
        for (uint64_t x = 0; x < s; x++) {
            const uint8_t *c = in + y * s + x;
            int64_t ci = *c;
            uint64_t sum = 0, acc = 0;
            if (inner_row && x >= radius && x + radius < s) {
                for (uint64_t k = 0; k < m->n; k++) {
                    int64_t v = c[off[k]];
                    uint64_t w = (bw[v - ci] * m->sw[k]) >> Q;
                    sum += w;
                    acc += w * (uint64_t)v;
                }
            } else {
                for (uint64_t k = 0; k < m->n; k++) {
                    int64_t v = in[clamp((int64_t)y + m->dy[k], (int64_t)s) * (int64_t)s + clamp((int64_t)x + m->dx[k], (int64_t)s)];
                    uint64_t w = (bw[v - ci] * m->sw[k]) >> Q;
                    sum += w;
                    acc += w * (uint64_t)v;
                }
            }
            out[y * s + x] = mean(acc, sum, (uint8_t)ci);
        }
    }
}

/* ---- The check: the same smoothing written another way, compared pixel by pixel. */

static uint64_t ref_bw[256];                                  /* by |I_n - I_c| */
static uint64_t ref_sw[2 * MAX_RADIUS * MAX_RADIUS + 1];      /* by dx^2 + dy^2 */

static uint64_t pixel_at(const uint8_t *img, uint64_t s, int64_t x, int64_t y)
{
    if (x < 0)
        x = 0;
    if (x > (int64_t)s - 1)
        x = (int64_t)s - 1;
    if (y < 0)
        y = 0;
    if (y > (int64_t)s - 1)
        y = (int64_t)s - 1;
    return img[(uint64_t)y * s + (uint64_t)x];
}

/* Number of pixels of `out` that differ from smoothing `in` once. */
static uint64_t reference_mismatches(const uint8_t *in, const uint8_t *out, uint64_t s, uint64_t radius, uint64_t t)
{
    for (uint64_t d = 0; d < 256; d++)
        ref_bw[d] = brightness_weight(d, t);
    for (uint64_t r2 = 0; r2 <= 2 * radius * radius; r2++)
        ref_sw[r2] = spatial_weight(r2, radius);
    int64_t r = (int64_t)radius;
    uint64_t bad = 0;
    for (int64_t x = 0; x < (int64_t)s; x++) {
        for (int64_t y = 0; y < (int64_t)s; y++) {
            uint64_t c = pixel_at(in, s, x, y);
            uint64_t sum = 0, acc = 0;
            for (int64_t dx = r; dx >= -r; dx--) {
                for (int64_t dy = r; dy >= -r; dy--) {
                    if (dx == 0 && dy == 0)
                        continue;
                    uint64_t v = pixel_at(in, s, x + dx, y + dy);
                    uint64_t w = ref_bw[v > c ? v - c : c - v] * ref_sw[dx * dx + dy * dy] >> Q;
                    sum += w;
                    acc += w * v;
                }
            }
            uint64_t want = sum == 0 ? c : (acc + sum / 2) / sum;
            bad += want != out[(uint64_t)y * s + (uint64_t)x];
        }
    }
    return bad;
}

/* A flat image stays flat: every weight is the spatial one and the mean is the level itself. */
static int flat_stays_flat(uint64_t radius)
{
    enum { S = 5, LEVEL = 77 };
    uint8_t in[S * S], out[S * S];
    for (int i = 0; i < S * S; i++)
        in[i] = LEVEL;
    smooth(&mask, in, out, S, radius);
    int ok = 1;
    for (int i = 0; i < S * S; i++)
        ok &= out[i] == LEVEL;
    return ok;
}

/* ---- The benchmark. */

static void make_image(uint8_t *img, uint64_t s, uint64_t seed)
{
    uint64_t base = bench_mix(seed);
    uint64_t st = seed;
    for (uint64_t y = 0; y < s; y++) {
        for (uint64_t x = 0; x < s; x++) {
            int64_t level = (int64_t)(bench_mix(base + (y / BLOCK) * 65536 + x / BLOCK) & 0xff);
            int64_t v = level + (int64_t)(bench_rand(&st) & 31) - 16;
            img[y * s + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

static void susan(struct bench_ctx *c)
{
    uint64_t s = isqrt(c->p.footprint_bytes / 2);
    uint64_t radius = c->p.arg0, t = c->p.arg1;
    uint8_t *img[2] = {c->arena, c->arena + s * s};
    make_image(img[0], s, c->p.seed);
    mask_init(&mask, radius, t);
    uint64_t it;
    for (it = 0; it < c->p.iterations; it++)
        smooth(&mask, img[it & 1], img[(it + 1) & 1], s, radius);
    const uint8_t *last_in = img[(it + 1) & 1], *result = img[it & 1];

    uint64_t h = bench_fold(BENCH_FOLD_INIT, s);
    for (uint64_t i = 0; i < s * s; i += 8) {
        uint64_t word = 0;
        for (uint64_t j = 0; j < 8 && i + j < s * s; j++)
            word |= (uint64_t)result[i + j] << (8 * j);
        h = bench_fold(h, word);
    }
    c->checksum = h;
    c->selfcheck_ok = reference_mismatches(last_in, result, s, radius, t) == 0 && flat_stays_flat(radius);
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->iterations < 1)
        return "iterations must be >= 1";
    if (p->arg0 < 1 || p->arg0 > MAX_RADIUS)
        return "radius (arg0) must be 1..8";
    return p->arg1 >= 1 && p->arg1 <= 255 ? NULL : "threshold (arg1) must be 1..255";
}

static const struct bench_desc desc = {
    .name = "bench-susan",
    .kernel = susan,
    .min_footprint = 32,
    .arg_names = {"radius", "threshold", NULL, NULL},
    .validate = check_params,
    .reference = 0x2246c2a2d2f1804dUL,
};

int main(void)
{
    return bench_run(&desc);
}
