#!/usr/bin/env python3
"""Host reference for bench-matmul at its default parameters (a direct product)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, M, Rng, fold  # noqa: E402

seed, n = 1, 32
r = Rng(seed)
a = [[r.next() for _ in range(n)] for _ in range(n)]
b = [[r.next() for _ in range(n)] for _ in range(n)]
h = FOLD_INIT
for i in range(n):
    for j in range(n):
        h = fold(h, sum(a[i][k] * b[k][j] for k in range(n)) & M)
print(f"0x{h:016x}")
