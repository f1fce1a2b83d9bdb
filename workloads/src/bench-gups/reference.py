#!/usr/bin/env python3
"""Host reference for bench-gups at its default parameters (prints the checksum bench-gups.c holds)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, M, fold, mix  # noqa: E402

seed, footprint, iterations = 1, 64 * 1024, 32768
words = footprint // 8
t = list(range(words))
r = mix(seed) or 1
for _ in range(iterations):
    r = ((r << 1) & M) ^ (7 if r >> 63 else 0)
    t[r & (words - 1)] ^= r
h = FOLD_INIT
for v in t:
    h = fold(h, v)
print(f"0x{h:016x}")
