#!/usr/bin/env python3
"""Host reference for bench-stringsearch at its default parameters (bytes.find)."""
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

seed, footprint, iterations = 1, 8 * 1024, 8
r = Rng(seed)
t = bytes(ord('a') + (r.next() & 15) for _ in range(footprint))
h = FOLD_INIT
for k in range(iterations):
    m = 4 + k % 9
    v = r.next()
    if k % 2 == 0:
        at = v % (footprint - m + 1)
        p = t[at:at + m]
    else:
        p = bytes(ord('a') + ((v >> (4 * j)) & 15) for j in range(m))
    count, first, pos = 0, footprint, t.find(p)
    if pos >= 0:
        first = pos
    while pos >= 0:
        count += 1
        pos = t.find(p, pos + 1)
    h = fold(fold(h, count), first)
print(f"0x{h:016x}")
