#!/usr/bin/env python3
"""Host reference for bench-sha at its default parameters: hashlib computes SHA-256."""
import hashlib
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, Rng, fold  # noqa: E402

seed, footprint, iterations = 1, 4 * 1024, 2
r = Rng(seed)
msg = bytearray(b''.join(r.next().to_bytes(8, 'little') for _ in range((footprint + 7) // 8))[:footprint])
d = hashlib.sha256(msg).digest()
for _ in range(1, iterations):
    msg[0:32] = d
    d = hashlib.sha256(msg).digest()
h = FOLD_INIT
for i in range(0, 32, 8):
    h = fold(h, int.from_bytes(d[i:i + 8], 'big'))
print(f"0x{h:016x}")
