# closure.py — calls of a closure (a free variable read per call).
# bench/run.sh runs it beside closure.ha (the same program) under python3.
import time
def make(k):
    def f(x):
        return x * k
    return f
def run(n):
    f = make(3)
    s = 0
    for i in range(n):
        s += f(i)
    return s
t0 = time.perf_counter()
print(run(500000))
print("TIME", time.perf_counter() - t0)
