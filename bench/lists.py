# lists.py — list append, iteration over a list, a filtered comprehension, indexing.
# bench/run.sh runs it beside lists.ha (the same program) under python3.
import time
def f(n):
    xs = []
    for i in range(n):
        xs.append(i * 2)
    t = 0
    for x in xs:
        t += x
    ys = [x + 1 for x in xs if x % 3 == 0]
    return t + len(ys) + xs[n // 2]
t0 = time.perf_counter()
print(f(1000000))
print("TIME", time.perf_counter() - t0)
