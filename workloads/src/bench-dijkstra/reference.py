#!/usr/bin/env python3
"""Host reference for bench-dijkstra at its default parameters (a binary-heap Dijkstra)."""
import heapq
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

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
