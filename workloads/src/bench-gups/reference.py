#!/usr/bin/env python3
"""Host reference for bench-gups at its default parameters (prints the checksum bench-gups.c holds)."""
M = (1 << 64) - 1

def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)

def fold(h, v):
    return ((h ^ v) * 0x100000001B3) & M

seed, footprint, iterations = 1, 64 * 1024, 32768
words = footprint // 8
t = list(range(words))
r = splitmix(seed)[1] or 1
for _ in range(iterations):
    r = ((r << 1) & M) ^ (7 if r >> 63 else 0)
    t[r & (words - 1)] ^= r
h = 0xCBF29CE484222325
for v in t:
    h = fold(h, v)
print(f"0x{h:016x}")
