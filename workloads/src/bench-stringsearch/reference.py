#!/usr/bin/env python3
"""Host reference for bench-stringsearch at its default parameters (bytes.find)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

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
