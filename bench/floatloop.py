# floatloop.py — the same program as floatloop.ha, for bench/run.sh.
import time
def floatloop(n):
    s = 0.0
    x = 0.5
    for i in range(n):
        s += x * x / (1.0 + x)
        x = x + 1e-6
    return s


t0 = time.perf_counter()
result = floatloop(10000000)
elapsed = time.perf_counter() - t0
print(result)
print("TIME", elapsed)
