/*
 * bench-chase: a dependent pointer chase through one random cycle over the whole footprint (a
 * latency probe for caches, TLBs and page walks). The arena holds footprint/stride nodes, `stride`
 * bytes apart; word 0 of a node points at the next node (a virtual address as the running mode
 * sees it), word 1 holds the node's index. The cycle is a uniformly random cyclic permutation
 * (Sattolo's algorithm), so every node is visited once per lap.
 *
 * Parameters: seed (the permutation), footprint_bytes, iterations (links followed, from node 0),
 * arg0 = stride (bytes between nodes, a multiple of 16, >= 16; footprint/stride >= 2 nodes).
 * Checksum: fold of the number of nodes, the index of the node reached and the sum of the indices
 * of the last 64 nodes visited. Self-check (any parameters): one more lap from node 0 returns to
 * node 0 after exactly `nodes` links, never earlier (the links form a single cycle), and the sum
 * of indices over that lap is nodes*(nodes-1)/2.
 */
#include "bench.h"

BENCH_PARAMS(.seed = 1, .footprint_bytes = 64 * BENCH_KIB, .iterations = 100000, .mode = BENCH_MODE_U,
             .page_size = 4096, .arg0 = 64);

struct node {
    struct node *next;
    uint64_t index;
};

#define TAIL 64

static void chase(struct bench_ctx *c)
{
    uint64_t stride = c->p.arg0;
    uint64_t nodes = c->p.footprint_bytes / stride;
    uint8_t *base = c->arena;
#define NODE(i) ((struct node *)(base + (i) * stride))
    /* Sattolo: p starts as the identity (kept in .index), then swap p[i] with p[j], j < i. */
    for (uint64_t i = 0; i < nodes; i++)
        NODE(i)->index = i;
    uint64_t st = c->p.seed;
    for (uint64_t i = nodes - 1; i > 0; i--) {
        uint64_t j = bench_rand(&st) % i;
        uint64_t t = NODE(i)->index;
        NODE(i)->index = NODE(j)->index;
        NODE(j)->index = t;
    }
    /* Node i links to node p[i]; then .index becomes the node's own index again. */
    for (uint64_t i = 0; i < nodes; i++)
        NODE(i)->next = NODE(NODE(i)->index);
    for (uint64_t i = 0; i < nodes; i++)
        NODE(i)->index = i;

    struct node *p = NODE(0);
    uint64_t n = c->p.iterations;
    uint64_t head = n > TAIL ? n - TAIL : 0;
    for (uint64_t k = 0; k < head; k++)
        p = p->next;
    uint64_t tail_sum = 0;
    for (uint64_t k = head; k < n; k++) {
        p = p->next;
        tail_sum += p->index;
    }
    c->checksum = bench_fold(bench_fold(bench_fold(BENCH_FOLD_INIT, nodes), p->index), tail_sum);

    struct node *q = NODE(0);
    uint64_t lap = 0, sum = 0;
    do {
        q = q->next;
        sum += q->index;
        lap++;
    } while (q != NODE(0) && lap <= nodes);
#undef NODE
    c->selfcheck_ok = lap == nodes && sum == nodes * (nodes - 1) / 2;
}

static const char *check_params(const struct rvh_params *p)
{
    if (p->arg0 < 16 || p->arg0 % 16 != 0)
        return "stride (arg0) must be a multiple of 16";
    return p->footprint_bytes / p->arg0 >= 2 ? NULL : "footprint_bytes must hold at least 2 nodes";
}

static const struct bench_desc desc = {
    .name = "bench-chase",
    .kernel = chase,
    .min_footprint = 32,
    .arg_names = {"stride", NULL, NULL, NULL},
    .validate = check_params,
    .reference = 0x7a97c72c07c1f634UL,
};

int main(void)
{
    return bench_run(&desc);
}
