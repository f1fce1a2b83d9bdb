#!/usr/bin/env python3
"""Host reference for bench-memcpy at its default parameters (Python slices do the copies)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

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
