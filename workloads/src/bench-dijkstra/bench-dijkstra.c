/*
 * bench-dijkstra: single-source shortest paths on a dense directed graph with the O(n^2) array
 * form of Dijkstra's algorithm, as MiBench's network/dijkstra (adjacency matrix, repeated sources).
 * The arena holds the n x n matrix of 32-bit weights (0 = no edge; an edge exists with probability
 * 1/2 and weighs 1..100), then the distance and done arrays.
 *
 * Parameters: seed (the graph), footprint_bytes (>= 4n^2 + 9n), iterations (sources: source k is
 * k mod n), arg0 = n (nodes, 2..4096). Checksum: every distance of every run folded in order
 * (unreachable = 2^32-1). Self-check (any parameters), a shortest-path certificate for each run:
 * dist[source] = 0; no edge u->v has dist[u] + w < dist[v]; every other reached node has an edge
 * u->v with dist[u] + w = dist[v]; unreached nodes have no edge from a reached node.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 32 * BENCH_KIB, .iterations = 6, .mode = BENCH_MODE_S,
             .page_size = 4096, .arg0 = 64);

#define INF 0xffffffffu

static void shortest(const uint32_t *w, uint64_t n, uint64_t src, uint32_t *dist, uint8_t *done)
{
    for (uint64_t v = 0; v < n; v++) {
        dist[v] = INF;
        done[v] = 0;
    }
    dist[src] = 0;
    for (;;) {
        uint64_t u = n;
        uint32_t best = INF;
        for (uint64_t v = 0; v < n; v++)
            if (!done[v] && dist[v] < best) {
                best = dist[v];
                u = v;
            }
        if (u == n)
            return;
        done[u] = 1;
        const uint32_t *row = w + u * n;
        for (uint64_t v = 0; v < n; v++)
            if (row[v] && best + row[v] < dist[v])
                dist[v] = best + row[v];
    }
}

static int certified(const uint32_t *w, uint64_t n, uint64_t src, const uint32_t *dist)
{
    if (dist[src] != 0)
        return 0;
    for (uint64_t v = 0; v < n; v++) {
        int tight = v == src;
        for (uint64_t u = 0; u < n; u++) {
            uint32_t e = w[u * n + v];
            if (!e || dist[u] == INF)
                continue;
            uint64_t via = (uint64_t)dist[u] + e;
            if (via < dist[v])
                return 0;
            tight |= via == dist[v];
        }
        if (dist[v] != INF && !tight)
            return 0;
    }
    return 1;
}

static void dijkstra(struct bench_ctx *c)
{
    uint64_t n = c->p.arg0;
    uint32_t *w = (uint32_t *)c->arena;
    uint32_t *dist = w + n * n;
    uint8_t *done = (uint8_t *)(dist + n);
    uint64_t st = c->p.seed;
    for (uint64_t i = 0; i < n * n; i++) {
        uint64_t r = bench_rand(&st);
        w[i] = (r & 1) && i / n != i % n ? (uint32_t)((r >> 1) % 100 + 1) : 0;
    }
    uint64_t h = BENCH_FOLD_INIT;
    int ok = 1;
    for (uint64_t k = 0; k < c->p.iterations; k++) {
        uint64_t src = k % n;
        shortest(w, n, src, dist, done);
        for (uint64_t v = 0; v < n; v++)
            h = bench_fold(h, dist[v]);
        ok &= certified(w, n, src, dist);
    }
    c->checksum = h;
    c->selfcheck_ok = ok;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->arg0 < 2 || p->arg0 > 4096)
        return "n (arg0) must be 2..4096";
    return p->footprint_bytes >= 4 * p->arg0 * p->arg0 + 9 * p->arg0 ? NULL : "footprint_bytes must be >= 4n^2 + 9n";
}

static const struct bench_desc desc = {
    .name = "bench-dijkstra",
    .kernel = dijkstra,
    .min_footprint = 34,
    .arg_names = {"n", NULL, NULL, NULL},
    .validate = check_params,
    .reference = 0x3471c42fdd09708aUL,
};

int main(void)
{
    return bench_run(&desc);
}
