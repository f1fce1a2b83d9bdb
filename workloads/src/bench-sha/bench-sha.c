/*
 * bench-sha: SHA-256 (FIPS 180-4) over a seeded message, in the spirit of MiBench's security/sha.
 * The arena holds the message (footprint_bytes bytes).
 *
 * Parameters: seed (the message), footprint_bytes (message length, >= 64), iterations (>= 1:
 * digest = SHA-256(message); then `iterations - 1` times the digest replaces the message's first
 * 32 bytes and is hashed again). Checksum: the final digest's four 64-bit big-endian words folded.
 * Self-check (any parameters): SHA-256("abc") equals the FIPS 180-4 example digest, and the last
 * hash computed in one update equals the same hash fed in pieces of 1, 63, 64, 65, ... bytes
 * (exercising every buffering path).
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 4 * BENCH_KIB, .iterations = 2, .mode = BENCH_MODE_U,
             .page_size = 4096);

struct sha256 {
    uint32_t h[8];
    uint8_t buf[64];
    uint64_t len;   /* bytes hashed so far */
};

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 section 5.3.3: the initial hash value. */
static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
    return x >> n | x << (32 - n);
}

/* FIPS 180-4 section 6.2.2: the compression of one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ w[t - 15] >> 3;
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ w[t - 2] >> 10;
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void sha_init(struct sha256 *s)
{
    for (int i = 0; i < 8; i++)
        s->h[i] = H0[i];
    s->len = 0;
}

static void sha_update(struct sha256 *s, const uint8_t *p, uint64_t n)
{
    uint64_t fill = s->len % 64;
    s->len += n;
    if (fill) {
        while (n && fill < 64) {
            s->buf[fill++] = *p++;
            n--;
        }
        if (fill < 64)
            return;
        compress(s->h, s->buf);
    }
    for (; n >= 64; n -= 64, p += 64)
        compress(s->h, p);
    for (uint64_t i = 0; i < n; i++)
        s->buf[i] = p[i];
}

/* FIPS 180-4 section 5.1.1: padding with 1, zeros and the 64-bit big-endian bit length. */
static void sha_final(struct sha256 *s, uint32_t out[8])
{
    uint64_t bits = s->len * 8;
    uint8_t pad[72];
    uint64_t n = 64 - (s->len % 64);
    if (n < 9)
        n += 64;
    for (uint64_t i = 0; i < n; i++)
        pad[i] = 0;
    pad[0] = 0x80;
    for (int i = 0; i < 8; i++)
        pad[n - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha_update(s, pad, n);
    for (int i = 0; i < 8; i++)
        out[i] = s->h[i];
}

static void sha(struct sha256 *s, const uint8_t *p, uint64_t n, uint32_t out[8])
{
    sha_init(s);
    sha_update(s, p, n);
    sha_final(s, out);
}

static void sha_kernel(struct bench_ctx *c)
{
    struct sha256 s;
    uint32_t d[8], e[8];

    /* FIPS 180-4 example (NIST "SHA256.pdf"): SHA-256("abc"). */
    uint8_t abc[3] = {'a', 'b', 'c'};
    sha(&s, abc, 3, d);
    int ok = d[0] == 0xba7816bf && d[1] == 0x8f01cfea && d[2] == 0x414140de && d[3] == 0x5dae2223 &&
             d[4] == 0xb00361a3 && d[5] == 0x96177a9c && d[6] == 0xb410ff61 && d[7] == 0xf20015ad;

    uint8_t *msg = c->arena;
    uint64_t n = c->p.footprint_bytes;
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < n; i += 8) {
        uint64_t r = bench_rand(&st);
        for (uint64_t j = 0; j < 8 && i + j < n; j++)
            msg[i + j] = (uint8_t)(r >> (8 * j));
    }
    sha(&s, msg, n, d);
    for (uint64_t it = 1; it < c->p.iterations; it++) {
        for (int i = 0; i < 32; i++)
            msg[i] = (uint8_t)(d[i / 4] >> (24 - 8 * (i % 4)));
        sha(&s, msg, n, d);
    }

    /* The same message in growing pieces: 1, 63, 64, 65, 1, 63, ... bytes. */
    sha_init(&s);
    uint64_t off = 0;
    for (unsigned k = 0; off < n; k++) {
        uint64_t piece = (k % 4 == 0) ? 1 : (k % 4 == 1) ? 63 : (k % 4 == 2) ? 64 : 65;
        if (piece > n - off)
            piece = n - off;
        sha_update(&s, msg + off, piece);
        off += piece;
    }
    sha_final(&s, e);
    for (int i = 0; i < 8; i++)
        ok &= d[i] == e[i];

    uint64_t h = BENCH_FOLD_INIT;
    for (int i = 0; i < 8; i += 2)
        h = bench_fold(h, (uint64_t)d[i] << 32 | d[i + 1]);
    c->checksum = h;
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    return p->iterations >= 1 ? NULL : "iterations must be >= 1";
}

static const struct bench_desc desc = {
    .name = "bench-sha",
    .kernel = sha_kernel,
    .min_footprint = 64,
    .validate = check_params,
    .reference = 0x680c761b55809517UL,
};

int main(void)
{
    return bench_run(&desc);
}
