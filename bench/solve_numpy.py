# solve_numpy.py — numpy.linalg.solve of the same size as bench/solve.ha.
import time
import numpy as np
n = 4000
rng = np.random.default_rng(0)
A = rng.standard_normal((n, n))
b = rng.standard_normal(n)
best = 1e9
for i in range(3):
    t0 = time.perf_counter()
    x = np.linalg.solve(A, b)
    best = min(best, time.perf_counter() - t0)
err = np.linalg.norm(A @ x - b) / (np.linalg.norm(A) * np.linalg.norm(x))
print("backward error %.1e" % err)
print("TIME", best)
