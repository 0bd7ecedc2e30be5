# strs.py — str(int), list append, str.join and str.split.
# bench/run.sh runs it beside strs.ha (the same program) under python3.
import time
def f(n):
    parts = []
    for i in range(n):
        parts.append(str(i))
    s = ",".join(parts)
    return len(s) + len(s.split(","))
t0 = time.perf_counter()
print(f(300000))
print("TIME", time.perf_counter() - t0)
