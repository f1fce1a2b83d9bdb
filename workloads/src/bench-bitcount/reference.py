#!/usr/bin/env python3
"""Host reference for bench-bitcount at its default parameters (int.bit_count)."""
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

seed, footprint, iterations = 1, 4 * 1024, 2
r = Rng(seed)
w = [r.next() for _ in range(footprint // 8)]
h, total = FOLD_INIT, 0
for it in range(iterations):
    mask = mix(it)
    s = sum(bin(x ^ mask).count('1') for x in w)
    total += s
    h = fold(h, s)
print(f"0x{fold(h, total):016x}")
