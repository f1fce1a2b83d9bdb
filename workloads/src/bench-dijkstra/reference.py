#!/usr/bin/env python3
"""Host reference for bench-dijkstra at its default parameters (a binary-heap Dijkstra)."""
import heapq
M = (1 << 64) - 1

class Rng:
    """splitmix64, as bench_rand() in workloads/runtime/bench.h."""
    def __init__(self, seed):
        self.s = seed & M
    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

def mix(x):
    return Rng(x).next()

def fold(h, v):
    return ((h ^ (v & M)) * 0x100000001B3) & M

FOLD_INIT = 0xCBF29CE484222325

seed, iterations, n = 1, 6, 64
INF = 0xFFFFFFFF
r = Rng(seed)
w = []
for i in range(n * n):
    v = r.next()
    w.append((v >> 1) % 100 + 1 if (v & 1) and i // n != i % n else 0)
h = FOLD_INIT
for k in range(iterations):
    src = k % n
    dist = [INF] * n
    dist[src] = 0
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v in range(n):
            e = w[u * n + v]
            if e and d + e < dist[v]:
                dist[v] = d + e
                heapq.heappush(heap, (dist[v], v))
    for d in dist:
        h = fold(h, d)
print(f"0x{h:016x}")
