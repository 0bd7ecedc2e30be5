#!/usr/bin/python3
"""factor_diff.py [BUILD] — differential test of ha's factorizations against
NumPy: qr, svd, eigh, inv, det, solve, lstsq, cholesky on fixed random
matrices (float32 and float64, split None/0/1), run under tests/mpirun.sh
-n P for P = 1..4.  Factorizations are compared in their unique forms: R
and Q up to the sign of each row/column (|R|, |Q|), singular values and
U, Vh up to column signs, eigenvalues, and inv/det/solve/lstsq/cholesky
values directly.  Tolerance: 1e-4 (float32, relative to the largest entry)
and 1e-10 (float64).  Ends with "N passed, N failed"."""
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
HA = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(ROOT, BUILD), "ha")
rng = np.random.default_rng(7)


def lit(a):
    return repr(a.astype(np.float64).tolist())


cases = []     # (label, numpy result, ha expression)
prog = ["def out(label, x):\n    print(label, repr(x.tolist() if isinstance(x, DNDarray) else x))\n"]
for dt in ("float32", "float64"):
    for shape in ((12, 4), (4, 11), (7, 7)):
        M = rng.standard_normal(shape).astype(dt)
        for split in ("None", "0", "1"):
            tag = "%s_%dx%d_%s" % (dt, shape[0], shape[1], split)
            prog.append("A = ht.array(%s, dtype=ht.%s, split=%s)" % (lit(M), dt, split))
            Mq = M.astype(np.float64)
            Q, R = np.linalg.qr(Mq)
            prog.append("Q, R = ht.linalg.qr(A)\nout('absQ_%s', ht.abs(Q))\nout('absR_%s', ht.abs(R))" % (tag, tag))
            cases += [("absQ_" + tag, np.abs(Q), dt), ("absR_" + tag, np.abs(R), dt)]
            U, S, Vh = np.linalg.svd(Mq, full_matrices=False)
            prog.append("U, S, Vh = ht.linalg.svd(A)\nout('S_%s', S)\nout('absU_%s', ht.abs(U))\n"
                        "out('absVh_%s', ht.abs(Vh))" % (tag, tag, tag))
            cases += [("S_" + tag, S, dt), ("absU_" + tag, np.abs(U), dt), ("absVh_" + tag, np.abs(Vh), dt)]
            if shape[0] == shape[1]:
                Sym = Mq + Mq.T
                P = Mq @ Mq.T + np.eye(shape[0])
                b = rng.standard_normal(shape[0])
                prog.append("Sy = ht.array(%s, dtype=ht.%s, split=%s)" % (lit(Sym), dt, split))
                prog.append("P = ht.array(%s, dtype=ht.%s, split=%s)" % (lit(P), dt, split))
                prog.append("b = ht.array(%s, dtype=ht.%s)" % (lit(b), dt))
                prog.append("w, V = ht.linalg.eigh(Sy)\nout('w_%s', w)\nout('inv_%s', ht.linalg.inv(A))\n"
                            "out('det_%s', float(ht.linalg.det(A)))\nout('solve_%s', ht.linalg.solve(A, b))\n"
                            "out('chol_%s', ht.linalg.cholesky(P))" % ((tag,) * 5))
                bq = b.astype(dt).astype(np.float64)
                cases += [("w_" + tag, np.linalg.eigvalsh(Sym.astype(dt).astype(np.float64)), dt),
                          ("inv_" + tag, np.linalg.inv(Mq), dt), ("det_" + tag, np.linalg.det(Mq), dt),
                          ("solve_" + tag, np.linalg.solve(Mq, bq), dt),
                          ("chol_" + tag, np.linalg.cholesky(P.astype(dt).astype(np.float64)), dt)]
            b = rng.standard_normal(shape[0])
            prog.append("b = ht.array(%s, dtype=ht.%s, split=%s)\nx, res, rk, s = ht.linalg.lstsq(A, b)\n"
                        "out('lstsq_%s', x)\nout('rank_%s', rk)" % (lit(b), dt, "None" if split == "None" else "0",
                                                                   tag, tag))
            x, res, rk, s = np.linalg.lstsq(Mq, b.astype(dt).astype(np.float64), rcond=None)
            cases += [("lstsq_" + tag, x, dt), ("rank_" + tag, rk, "int")]

src = "\n".join(prog) + "\n"
passed = failed = 0
with tempfile.NamedTemporaryFile("w", suffix=".ha", delete=False) as f:
    f.write(src)
    path = f.name
try:
    for p in (1, 2, 3, 4):
        r = subprocess.run(["sh", os.path.join(ROOT, "tests", "mpirun.sh"), "-n", str(p), HA, path],
                           capture_output=True, text=True, timeout=300)
        got = {}
        for line in r.stdout.splitlines():
            label, _, val = line.partition(" ")
            got[label] = eval(val)
        for label, want, dt in cases:
            if label not in got:
                failed += 1
                print("FAIL -n %d %s: missing (%s)" % (p, label, r.stderr.strip()[-300:]))
                continue
            g = np.asarray(got[label], dtype=np.float64)
            w = np.asarray(want, dtype=np.float64)
            if dt == "int":
                ok = g.shape == w.shape and np.array_equal(g, w)
            else:
                tol = 1e-4 if dt == "float32" else 1e-10
                scale = max(1.0, float(np.max(np.abs(w))) if w.size else 1.0)
                ok = g.shape == w.shape and bool(np.all(np.abs(g - w) <= tol * scale))
            if ok:
                passed += 1
            else:
                failed += 1
                print("FAIL -n %d %s: got %s want %s" % (p, label, g, w))
finally:
    os.unlink(path)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
