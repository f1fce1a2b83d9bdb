#!/usr/bin/env python3
"""Host reference for bench-chase at its default parameters."""
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

seed, footprint, iterations, stride = 1, 64 * 1024, 100000, 64
nodes = footprint // stride
p = list(range(nodes))
r = Rng(seed)
for i in range(nodes - 1, 0, -1):
    j = r.next() % i
    p[i], p[j] = p[j], p[i]
x, tail = 0, 0
for k in range(iterations):
    x = p[x]
    if k >= iterations - 64:
        tail += x
print(f"0x{fold(fold(fold(FOLD_INIT, nodes), x), tail):016x}")
