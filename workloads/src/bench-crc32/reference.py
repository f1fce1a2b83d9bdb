#!/usr/bin/env python3
"""Host reference for bench-crc32 at its default parameters: zlib computes the CRC."""
import zlib
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

seed, footprint, iterations = 1, 8 * 1024, 4
r = Rng(seed)
data = b''.join(r.next().to_bytes(8, 'little') for _ in range(footprint // 8))[:footprint - 4]
print(f"0x{zlib.crc32(data * iterations):016x}")
