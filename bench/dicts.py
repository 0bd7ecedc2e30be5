# dicts.py — dict get/set with int keys, items() iteration.
# bench/run.sh runs it beside dicts.ha (the same program) under python3.
import time
def f(n):
    d = {}
    for i in range(n):
        k = i % 1000
        d[k] = d.get(k, 0) + i
    s = 0
    for k, v in d.items():
        s += v
    return s
t0 = time.perf_counter()
print(f(1000000))
print("TIME", time.perf_counter() - t0)
