#!/usr/bin/python3
"""arrays_numpy.py — bench/arrays.ha's measurements in NumPy (one process,
NumPy's own threading: none for these operations).  Same output format:
one line "NAME SECONDS" per measurement, the median of 3 repeats of the
time per operation."""
import time

import numpy as np

N = 20000000
M = 5000


def median3(ts):
    return sorted(ts)[1]


def timed(k, body):
    t0 = time.perf_counter()
    for _ in range(k):
        body()
    return (time.perf_counter() - t0) / k


rng = np.random.default_rng(0)
a = rng.random(N, dtype=np.float32)
b = rng.random(N, dtype=np.float32)
res = {}


def add():
    res["c"] = a + b


def expr():
    res["d"] = np.exp(a) * 2 + b


print("add", median3([timed(10, add) for _ in range(3)]))
print("expr", median3([timed(5, expr) for _ in range(3)]))
del a, b
res.clear()

for split in (0, 1):
    # NumPy has no split; both rows time the same C-ordered array
    x = rng.random((M, M), dtype=np.float32)
    for axis in (0, 1):
        print("sum_split%d_axis%d" % (split, axis),
              median3([timed(10, lambda: x.sum(axis=axis)) for _ in range(3)]))
    del x

p = np.arange(10, dtype=np.float32)
q = np.arange(10, dtype=np.float32)


def t_small(k):
    t0 = time.perf_counter()
    for _ in range(k):
        r = p + q
    return (time.perf_counter() - t0) / k


def t_loop(k):
    t0 = time.perf_counter()
    for _ in range(k):
        pass
    return (time.perf_counter() - t0) / k


print("small_add", median3([t_small(200000) for _ in range(3)]))
print("empty_loop", median3([t_loop(200000) for _ in range(3)]))
