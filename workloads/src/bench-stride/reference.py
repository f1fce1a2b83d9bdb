#!/usr/bin/env python3
"""Host reference for bench-stride at its default parameters (a direct sum)."""
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import M, Rng  # noqa: E402

seed, footprint, iterations, stride = 1, 256 * 1024, 48, 64
r = Rng(seed)
c0, d = r.next(), r.next() | 1
a = [(c0 + i * d) & M for i in range(footprint // 8)]
print(f"0x{(iterations * sum(a[::stride // 8])) & M:016x}")
