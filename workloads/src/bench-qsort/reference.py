#!/usr/bin/env python3
"""Host reference for bench-qsort at its default parameters: Python's sorted()."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

seed, footprint, iterations = 1, 16 * 1024, 2
h = FOLD_INIT
for it in range(iterations):
    r = Rng(seed + it)
    for v in sorted(r.next() for _ in range(footprint // 8)):
        h = fold(h, v)
print(f"0x{h:016x}")
