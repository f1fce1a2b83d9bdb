#!/usr/bin/env python3
"""Host reference for bench-chase at its default parameters."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

seed, footprint, iterations, stride = 1, 64 * 1024, 100000, 64
nodes = footprint // stride
p = list(range(nodes))
r = Rng(seed)
for i in range(nodes - 1, 0, -1):
    j = r.next() % i
    p[i], p[j] = p[j], p[i]
x, tail = 0, 0
for k in range(iterations):
    x = p[x]
    if k >= iterations - 64:
        tail += x
print(f"0x{fold(fold(fold(FOLD_INIT, nodes), x), tail):016x}")
