#!/usr/bin/env python3
"""Host reference for bench-bitcount at its default parameters (int.bit_count)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold, mix  # noqa: E402

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
