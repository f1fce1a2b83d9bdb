"""The host side of bench.h's seeded generator and checksum folds, for the bench-*/reference.py
scripts: a reference checksum computed with these equals the kernel's bit for bit."""
M = (1 << 64) - 1


class Rng:
    """splitmix64, as bench_rand() in workloads/runtime/bench.h."""
    def __init__(self, seed):
        self.s = seed & M

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)


def mix(x):
    """bench_mix(): one splitmix64 step from x."""
    return Rng(x).next()


def fold(h, v):
    """bench_fold(): FNV-1a-style, order-dependent."""
    return ((h ^ (v & M)) * 0x100000001B3) & M


FOLD_INIT = 0xCBF29CE484222325
