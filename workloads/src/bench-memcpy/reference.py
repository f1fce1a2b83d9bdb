#!/usr/bin/env python3
"""Host reference for bench-memcpy at its default parameters (Python slices do the copies)."""
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

seed, footprint, iterations, full = 1, 8 * 1024, 32, 0
half = footprint // 2
r = Rng(seed)
src = b''.join(r.next().to_bytes(8, 'little') for _ in range(half // 8))
h, mx = FOLD_INIT, half - 128
for _ in range(iterations):
    v = r.next()
    so, do = v & 63, ((v >> 6) & 63) + 1
    n = mx if full else (v >> 12) % (mx + 1)
    x = 0
    for i, byte in enumerate(src[so:so + n]):
        x ^= byte << (8 * (i & 7))
    h = fold(fold(fold(h, n), so << 8 | do), x)
print(f"0x{h:016x}")
