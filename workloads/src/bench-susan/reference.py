#!/usr/bin/env python3
"""Host reference for bench-susan at its default parameters (prints the checksum bench-susan.c holds).

Written from the definition in bench-susan.c's header with Python integers: each weight computed
from its offset and brightness difference, borders by clamped coordinates, one pass at a time."""
import math
import sys
from pathlib import Path
sys.dont_write_bytecode = True  # no __pycache__ in workloads/runtime
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'runtime'))
from bench_reference import FOLD_INIT, M, Rng, fold, mix  # noqa: E402

ONE = 1 << 16

def exp_neg(xq):
    """exp(-xq / 2^16) in Q16 as (1 - x/64)^64."""
    if xq >= 64 * ONE:
        return 0
    y = ONE - (xq >> 6)
    for _ in range(6):
        y = (y * y) >> 16
    return y

# The defaults; other parameters may be given as: seed footprint iterations radius threshold.
seed, footprint, iterations, radius, t = [int(a, 0) for a in sys.argv[1:6]] if len(sys.argv) == 6 else (1, 3 * 1024, 2, 1, 20)
s = math.isqrt(footprint // 2)

base = mix(seed)
rng = Rng(seed)
img = []
for y in range(s):
    row = []
    for x in range(s):
        level = mix((base + (y // 8) * 65536 + x // 8) & M) & 0xFF
        row.append(min(255, max(0, level + (rng.next() & 31) - 16)))
    img.append(row)

def weight(dx, dy, d):
    sw = exp_neg(((dx * dx + dy * dy) << 16) // (2 * radius * radius))
    bw = exp_neg(((d * d) << 16) // (t * t))
    return (bw * sw) >> 16

for _ in range(iterations):
    out = []
    for y in range(s):
        row = []
        for x in range(s):
            c = img[y][x]
            total = acc = 0
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    if dx == 0 and dy == 0:
                        continue
                    v = img[min(s - 1, max(0, y + dy))][min(s - 1, max(0, x + dx))]
                    w = weight(dx, dy, abs(v - c))
                    total += w
                    acc += w * v
            row.append((acc + total // 2) // total if total else c)
        out.append(row)
    img = out

flat = bytes(p for row in img for p in row)
h = fold(FOLD_INIT, s)
for i in range(0, len(flat), 8):
    h = fold(h, int.from_bytes(flat[i:i + 8].ljust(8, b'\0'), 'little'))
print(f"0x{h:016x}")
