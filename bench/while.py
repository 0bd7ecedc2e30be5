# while.py — a module-level while loop on globals with % and +=.
# bench/run.sh runs it beside while.ha (the same program) under python3.
import time
t0 = time.perf_counter()
i = 0
s = 0
while i < 2000000:
    s = s + i % 7
    i += 1
print(s)
print("TIME", time.perf_counter() - t0)
