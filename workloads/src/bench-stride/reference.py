#!/usr/bin/env python3
"""Host reference for bench-stride at its default parameters (a direct sum)."""
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

seed, footprint, iterations, stride = 1, 256 * 1024, 48, 64
r = Rng(seed)
c0, d = r.next(), r.next() | 1
a = [(c0 + i * d) & M for i in range(footprint // 8)]
print(f"0x{(iterations * sum(a[::stride // 8])) & M:016x}")
