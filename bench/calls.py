# calls.py — calls with keyword arguments and defaults.
# bench/run.sh runs it beside calls.ha (the same program) under python3.
import time
def add(a, b=1):
    return a + b
def g(n):
    s = 0
    for i in range(n):
        s = add(s, b=i) + add(1)
    return s
t0 = time.perf_counter()
print(g(500000))
print("TIME", time.perf_counter() - t0)
