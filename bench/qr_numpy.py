# qr_numpy.py [M N] — NumPy's reduced QR of an M x N float32 matrix, best
# of 3: by default 200000 x 100, the size of bench/qr.ha; run_qr.sh passes
# the sizes it substitutes into bench/qr_split1.ha.
import sys
import time
import numpy as np
m, n = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (200000, 100)
A = np.random.default_rng(0).standard_normal((m, n), dtype=np.float32)
best = 1e9
for i in range(3):
    t0 = time.perf_counter()
    Q, R = np.linalg.qr(A)
    best = min(best, time.perf_counter() - t0)
res = np.linalg.norm(A - Q @ R) / np.linalg.norm(A)
Q64 = Q.astype(np.float64)
orth = np.linalg.norm(Q64.T @ Q64 - np.eye(min(m, n)))
print("residual %.1e orthogonality %.1e" % (res, orth))
print("TIME", best)
