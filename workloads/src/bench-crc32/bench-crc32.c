/*
 * bench-crc32: table-driven CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial value and
 * final XOR ~0), as MiBench's telecomm/CRC32. The arena holds footprint-4 bytes of seeded data
 * followed by 4 bytes for the CRC.
 *
 * Parameters: seed (the data), footprint_bytes (multiple of 8, >= 16), iterations (the CRC covers
 * the data repeated `iterations` times, >= 1). Checksum: that CRC.
 * Self-check (any parameters): the table matches a bitwise CRC on "123456789" (0xCBF43926, the
 * standard check value), and appending the data's CRC little-endian gives a message whose CRC is
 * the CRC-32 residue 0x2144DF1C.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 8 * BENCH_KIB, .iterations = 4, .mode = BENCH_MODE_M,
             .page_size = 4096);

#define POLY 0xedb88320u
#define RESIDUE 0x2144df1cu

static uint32_t table[256];

static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = crc >> 1 ^ (POLY & -(crc & 1));
    }
    return crc;
}

static uint32_t crc_table(uint32_t crc, const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        crc = crc >> 8 ^ table[(crc ^ p[i]) & 0xff];
    return crc;
}

static void crc32(struct bench_ctx *c)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint8_t b = (uint8_t)i;
        table[i] = crc_bitwise(0, &b, 1);
    }
    /* The check string, built without a pointer in initialized data (bench.h). */
    uint8_t check[9];
    for (int i = 0; i < 9; i++)
        check[i] = (uint8_t)('1' + i);
    int ok = ~crc_bitwise(~0u, check, 9) == 0xcbf43926u && ~crc_table(~0u, check, 9) == 0xcbf43926u;

    uint8_t *data = c->arena;
    uint64_t n = c->p.footprint_bytes - 4;
    uint64_t s = c->p.seed;
    for (uint64_t i = 0; i < c->p.footprint_bytes / 8; i++)
        ((uint64_t *)data)[i] = bench_rand(&s);

    uint32_t crc = ~0u;
    for (uint64_t it = 0; it < c->p.iterations; it++)
        crc = crc_table(crc, data, n);
    c->checksum = (uint32_t)~crc;

    uint32_t once = ~crc_table(~0u, data, n);
    for (int i = 0; i < 4; i++)
        data[n + i] = (uint8_t)(once >> (8 * i));
    ok &= ~crc_table(~0u, data, n + 4) == RESIDUE;
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->footprint_bytes % 8 != 0)
        return "footprint_bytes must be a multiple of 8";
    return p->iterations >= 1 ? NULL : "iterations must be >= 1";
}

static const struct bench_desc desc = {
    .name = "bench-crc32",
    .kernel = crc32,
    .min_footprint = 16,
    .validate = check_params,
    .reference = 0x00000000fb158ed9UL,
};

int main(void)
{
    return bench_run(&desc);
}
