/*
 * bench-qsort: quicksort of seeded 64-bit keys, in the spirit of MiBench's automotive/qsort
 * (which sorts with the C library's qsort). Median-of-three partitioning, insertion sort below 16
 * elements, recursion only into the smaller side (stack depth O(log n)). The arena holds the array.
 *
 * Parameters: seed, footprint_bytes (array of footprint/8 keys, >= 8 keys), iterations (arrays
 * sorted; array k is generated from seed + k). Checksum: every sorted array folded in order.
 * Self-check (any parameters): each result is non-decreasing and is a permutation of its input
 * (an order-independent multiset hash, the sum and XOR of mixed keys, is unchanged).
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 16 * BENCH_KIB, .iterations = 2, .mode = BENCH_MODE_M,
             .page_size = 4096);

#define INSERTION_MAX 16

static void insertion(uint64_t *a, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        int64_t j = i - 1;
        for (; j >= 0 && a[j] > v; j--)
            a[j + 1] = a[j];
        a[j + 1] = v;
    }
}

static inline void swap(uint64_t *a, int64_t i, int64_t j)
{
    uint64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(uint64_t *a, int64_t n)
{
    while (n > INSERTION_MAX) {
        int64_t m = n / 2;
        /* Median of three: order a[0], a[m], a[n-1], then use a[m] as the pivot. */
        if (a[m] < a[0])
            swap(a, 0, m);
        if (a[n - 1] < a[0])
            swap(a, 0, n - 1);
        if (a[n - 1] < a[m])
            swap(a, m, n - 1);
        uint64_t pivot = a[m];
        int64_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(a, i, j);
            i++;
            j--;
        }
        /* Hoare partition: a[0..j] <= pivot <= a[j+1..n-1]. */
        int64_t left = j + 1, right = n - left;
        if (left < right) {
            quicksort(a, left);
            a += left;
            n = right;
        } else {
            quicksort(a + left, right);
            n = left;
        }
    }
    insertion(a, n);
}

static void qsort_kernel(struct bench_ctx *c)
{
    uint64_t *a = (uint64_t *)c->arena;
    int64_t n = (int64_t)(c->p.footprint_bytes / 8);
    uint64_t h = BENCH_FOLD_INIT;
    int ok = 1;
    for (uint64_t it = 0; it < c->p.iterations; it++) {
        uint64_t st = c->p.seed + it, sum = 0, x = 0;
        for (int64_t i = 0; i < n; i++) {
            a[i] = bench_rand(&st);
            sum += bench_mix(a[i]);
            x ^= bench_mix(a[i]);
        }
        quicksort(a, n);
        for (int64_t i = 0; i < n; i++) {
            if (i > 0 && a[i - 1] > a[i])
                ok = 0;
            sum -= bench_mix(a[i]);
            x ^= bench_mix(a[i]);
            h = bench_fold(h, a[i]);
        }
        ok &= sum == 0 && x == 0;
    }
    c->checksum = h;
    c->selfcheck_ok = ok;
}

static const struct bench_desc desc = {
    .name = "bench-qsort",
    .kernel = qsort_kernel,
    .min_footprint = 64,
    .reference = 0xaefcc70adac3a438UL,
};

int main(void)
{
    return bench_run(&desc);
}
