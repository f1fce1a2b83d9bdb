/*
 * The default workload of `rvhsim run` (no ELF given): a small integer benchmark. Each round fills
 * a buffer from a xorshift32 generator, takes its CRC-32, heapsorts it, checks the order and takes
 * the CRC-32 again. The printed values depend only on the computation, so the UART output is the
 * same on QEMU and rvhsim; the exit code is 0 only if the final checksum is the expected one.
 * About 42 million instructions (measure with `make MEASURE=1` and QEMU -icount shift=0).
 */
#include "rt.h"

#define WORDS 16384
#define ROUNDS 3
/* Computed independently on the host (Python zlib.crc32 over the same data). */
#define EXPECTED_CHECKSUM 0x9f227c66u

static uint32_t buf[WORDS];

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit at a time: branchy integer work. */
static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void sift_down(uint32_t *a, size_t root, size_t end)
{
    while (2 * root + 1 < end) {
        size_t child = 2 * root + 1;
        if (child + 1 < end && a[child] < a[child + 1])
            child++;
        if (a[root] >= a[child])
            return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort(uint32_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static int is_sorted(const uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

int main(void)
{
    uint32_t state = 0x2545f491u;
    uint32_t checksum = 0;
    int failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < WORDS; i++)
            buf[i] = xorshift32(&state);
        uint32_t crc_fill = crc32((const uint8_t *)buf, sizeof buf);
        heapsort(buf, WORDS);
        int sorted = is_sorted(buf, WORDS);
        uint32_t crc_sorted = crc32((const uint8_t *)buf, sizeof buf);
        printf("round %d: crc32 0x%08x, sorted %s, crc32 0x%08x\n", round, crc_fill, sorted ? "yes" : "NO", crc_sorted);
        failures += !sorted;
        checksum = checksum * 31u + crc_fill;
        checksum = checksum * 31u + crc_sorted;
    }
    int match = checksum == EXPECTED_CHECKSUM;
    printf("default: checksum 0x%08x (expected 0x%08x) %s\n", checksum, EXPECTED_CHECKSUM, match ? "PASS" : "FAIL");
    return failures + !match;
}
