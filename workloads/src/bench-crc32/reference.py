#!/usr/bin/env python3
"""Host reference for bench-crc32 at its default parameters: zlib computes the CRC."""
import sys
import zlib
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import Rng  # noqa: E402

seed, footprint, iterations = 1, 8 * 1024, 4
r = Rng(seed)
data = b''.join(r.next().to_bytes(8, 'little') for _ in range(footprint // 8))[:footprint - 4]
print(f"0x{zlib.crc32(data * iterations):016x}")
