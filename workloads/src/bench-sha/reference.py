#!/usr/bin/env python3
"""Host reference for bench-sha at its default parameters: hashlib computes SHA-256."""
import hashlib
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
msg = bytearray(b''.join(r.next().to_bytes(8, 'little') for _ in range((footprint + 7) // 8))[:footprint])
d = hashlib.sha256(msg).digest()
for _ in range(1, iterations):
    msg[0:32] = d
    d = hashlib.sha256(msg).digest()
h = FOLD_INIT
for i in range(0, 32, 8):
    h = fold(h, int.from_bytes(d[i:i + 8], 'big'))
print(f"0x{h:016x}")
