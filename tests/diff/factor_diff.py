#!/usr/bin/python3
"""factor_diff.py [BUILD] — differential test of ha's factorizations against
NumPy: qr, svd, eigh, inv, det, solve, lstsq, cholesky on fixed random
matrices, run under tests/mpirun.sh -n P for P = 1..4.

Part 1 (float32/float64, 2-D, split None/0/1): factorizations compared in
their unique forms: R and Q up to the sign of each row/column (|R|, |Q|),
singular values and U, Vh up to column signs, eigenvalues, and
inv/det/solve/lstsq/cholesky values directly.  Tolerance: 1e-4 (float32,
relative to the largest entry) and 1e-10 (float64).

Part 2 (complex64/complex128 2-D on every split; float32..complex128
batched 3-D and 4-D, split on a batch axis and on a matrix axis; solve with
broadcasting batch axes): factors that are unique only up to phases are
checked by their defining properties — reconstruction (QR = A, U S Vh = A,
A V = V diag(w)) and orthonormality (Q^H Q = I ...) within 1e-5 (32-bit) /
1e-12 (64-bit), relative — plus S, w, inv, det, solve, cholesky and lstsq
compared with NumPy directly (1e-4 / 1e-10), and every result's dtype,
shape and split against the documented rules (include/ha_factor.h).
Ends with "N passed, N failed"."""
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

# ---- part 2: complex, batched, broadcasting solve ----
checks = []    # (label, function(got) -> True or a failure description)
prog.append("def meta(x):\n    return [x.dtype.__name__, list(x.shape), x.split]\n"
            "def outm(label, x):\n    out(label, x)\n    out(label + '.meta', meta(x))\n")
REAL = {"float32": "float32", "float64": "float64", "complex64": "float32", "complex128": "float64"}
BITS32 = ("float32", "complex64")


def clit(a):
    if np.iscomplexobj(a):
        return repr(a.astype(np.complex128).tolist())
    return lit(a)


def rnd(shape, dt):
    x = rng.standard_normal(shape)
    if dt.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dt)


def cast(x, dt):
    return (x if dt.startswith("complex") else np.real(x)).astype(dt)


def herm(x):
    return np.conj(np.swapaxes(x, -1, -2))


def eyes(shape):
    return np.broadcast_to(np.eye(shape[-1]), shape)


def relerr(x, y):
    return float(np.linalg.norm((x - y).ravel())) / max(float(np.linalg.norm(np.asarray(y).ravel())), 1e-300)


def tol_res(dt):
    return 1e-5 if dt in BITS32 else 1e-12


def tol_val(dt):
    return 1e-4 if dt in BITS32 else 1e-10


def arr(got, label):
    return np.asarray(got[label], dtype=np.complex128)


def add_meta(label, dt, shape, split):
    def f(got, label=label, want=[dt, list(shape), split]):
        return got[label + ".meta"] == want or "meta %s, want %s" % (got[label + ".meta"], want)
    checks.append((label + ".meta", f))


def add_close(label, want, dt, elementwise=False):
    """Close to NumPy's values: relative to the largest entry (or, with
    elementwise, to each entry: determinants span many magnitudes)."""
    def f(got, label=label, want=np.asarray(want, dtype=np.complex128), dt=dt):
        g = arr(got, label)
        if g.shape != want.shape:
            return "shape %s, want %s" % (g.shape, want.shape)
        scale = np.maximum(1.0, np.abs(want)) if elementwise else \
            max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
        return bool(np.all(np.abs(g - want) <= tol_val(dt) * scale)) or "got %s want %s" % (g, want)
    checks.append((label, f))


def add_prop(label, fn):
    checks.append((label, fn))


def splits_for(fn, shape, split):
    """The documented result splits (ha_factor.h)."""
    nb = len(shape) - 2
    m, n = shape[-2:]
    nout = {"qr": 2, "svd": 3, "eigh": 2, "inv": 1, "det": 1, "chol": 1}[fn]
    if split is None:
        return [None] * nout
    if split < nb:
        return [split] * nout
    row = split == nb
    return {"qr": [nb if row else nb + 1, None if row else nb + 1],
            "svd": [nb, None, None] if m >= n else [None, None, nb + 1],
            "eigh": [None, split], "inv": [split], "det": [None], "chol": [split]}[fn]


def factor_cases(dt, shape, split):
    """qr, svd (and for square shapes eigh, inv, det, solve, cholesky) of one
    random array, checked by properties and against NumPy."""
    tag = "%s_%s_%s" % (dt, "x".join(map(str, shape)), split)
    M = rnd(shape, dt)
    Mc = M.astype(np.complex128)
    nb = len(shape) - 2
    m, n = shape[-2:]
    k = min(m, n)
    bshape = list(shape[:-2])
    rt = REAL[dt]
    prog.append("A = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(M), dt, split))
    prog.append("Q, R = ht.linalg.qr(A)\noutm('Q_%s', Q)\noutm('R_%s', R)" % (tag, tag))
    sq, sr = splits_for("qr", shape, split)
    add_meta("Q_" + tag, dt, bshape + [m, k], sq)
    add_meta("R_" + tag, dt, bshape + [k, n], sr)

    def qr_ok(got, tag=tag, A=Mc, dt=dt, k=k):
        Q, R = arr(got, "Q_" + tag), arr(got, "R_" + tag)
        e1, e2 = relerr(Q @ R, A), float(np.max(np.abs(herm(Q) @ Q - eyes(Q.shape[:-2] + (k, k))), initial=0))
        tri = bool(np.all(np.tril(R, -1) == 0))
        return (e1 < tol_res(dt) and e2 < tol_res(dt) and tri) or "QR=A %g, Q^H Q=I %g, triu %s" % (e1, e2, tri)
    add_prop("qr_" + tag, qr_ok)

    prog.append("U, S, Vh = ht.linalg.svd(A)\noutm('U_%s', U)\noutm('S_%s', S)\noutm('Vh_%s', Vh)\n"
                "outm('Sn_%s', ht.linalg.svd(A, compute_uv=False))" % (tag, tag, tag, tag))
    su, ss, sv = splits_for("svd", shape, split)
    add_meta("U_" + tag, dt, bshape + [m, k], su)
    add_meta("S_" + tag, rt, bshape + [k], ss)
    add_meta("Vh_" + tag, dt, bshape + [k, n], sv)
    add_meta("Sn_" + tag, rt, bshape + [k], ss)
    Sw = np.linalg.svd(Mc, compute_uv=False)
    add_close("S_" + tag, Sw, dt)
    add_close("Sn_" + tag, Sw, dt)

    def svd_ok(got, tag=tag, A=Mc, dt=dt, k=k):
        U, S, Vh = arr(got, "U_" + tag), arr(got, "S_" + tag), arr(got, "Vh_" + tag)
        I = eyes(U.shape[:-2] + (k, k))
        e1 = relerr((U * S[..., None, :]) @ Vh, A)
        e2 = float(np.max(np.abs(herm(U) @ U - I), initial=0))
        e3 = float(np.max(np.abs(Vh @ herm(Vh) - I), initial=0))
        return (max(e1, e2, e3) < tol_res(dt)) or "USVh=A %g, U^H U=I %g, Vh Vh^H=I %g" % (e1, e2, e3)
    add_prop("svd_" + tag, svd_ok)
    if m != n:
        return
    H = cast(Mc + herm(Mc), dt)
    Hc = H.astype(np.complex128)
    P = cast(Mc @ herm(Mc) + n * eyes(shape), dt)
    W = cast(Mc + 2 * n * eyes(shape), dt)          # well conditioned
    Wc = W.astype(np.complex128)
    b = rnd(shape[:-1], dt)
    B = rnd(shape[:-1] + (2,), dt)
    prog.append("H = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(H), dt, split))
    prog.append("P = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(P), dt, split))
    prog.append("W = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(W), dt, split))
    prog.append("b = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(b), dt, split if split is None or split < nb else None))
    prog.append("B = ht.array(%s, dtype=ht.%s, split=%s)" % (clit(B), dt, split))
    prog.append("w, V = ht.linalg.eigh(H)\noutm('w_%s', w)\noutm('V_%s', V)\n"
                "outm('inv_%s', ht.linalg.inv(W))\noutm('det_%s', ht.linalg.det(W))\n"
                "outm('chol_%s', ht.linalg.cholesky(P))\noutm('solveB_%s', ht.linalg.solve(W, B))"
                % ((tag,) * 6))
    sw, sV = splits_for("eigh", shape, split)
    add_meta("w_" + tag, rt, bshape + [n], sw)
    add_meta("V_" + tag, dt, bshape + [n, n], sV)
    add_meta("inv_" + tag, dt, list(shape), splits_for("inv", shape, split)[0])
    add_meta("det_" + tag, dt, bshape, splits_for("det", shape, split)[0])
    add_meta("chol_" + tag, dt, list(shape), split)
    add_meta("solveB_" + tag, dt, list(shape[:-1]) + [2], split)
    add_close("w_" + tag, np.linalg.eigvalsh(Hc), dt)

    def eigh_ok(got, tag=tag, H=Hc, dt=dt, n=n):
        w, V = arr(got, "w_" + tag), arr(got, "V_" + tag)
        e1 = relerr(H @ V, V * w[..., None, :])
        e2 = float(np.max(np.abs(herm(V) @ V - eyes(V.shape)), initial=0))
        return (max(e1, e2) < tol_res(dt)) or "AV=Vw %g, V^H V=I %g" % (e1, e2)
    add_prop("eigh_" + tag, eigh_ok)
    add_close("inv_" + tag, np.linalg.inv(Wc), dt)
    add_close("det_" + tag, np.linalg.det(Wc), dt, elementwise=True)
    add_close("chol_" + tag, np.linalg.cholesky(P.astype(np.complex128)), dt)
    add_close("solveB_" + tag, np.linalg.solve(Wc, B.astype(np.complex128)), dt)
    if nb == 0:
        prog.append("outm('solveb_%s', ht.linalg.solve(W, b))" % tag)
        add_meta("solveb_" + tag, dt, [n], split if split is None or split < nb else None)
        add_close("solveb_" + tag, np.linalg.solve(Wc, b.astype(np.complex128)), dt)


for dt in ("complex64", "complex128"):
    for shape in ((12, 4), (4, 11), (7, 7)):
        for split in (None, 0, 1):
            factor_cases(dt, shape, split)
        # lstsq (2-D only, as NumPy)
        for split in (None, 0):
            tag = "%s_%dx%d_%s" % (dt, shape[0], shape[1], split)
            M = rnd(shape, dt)
            b = rnd((shape[0],), dt)
            prog.append("A = ht.array(%s, dtype=ht.%s, split=%s)\nb = ht.array(%s, dtype=ht.%s, split=%s)\n"
                        "x, res, rk, s = ht.linalg.lstsq(A, b)\noutm('lsx_%s', x)\nout('lsrk_%s', rk)\n"
                        "outm('lss_%s', s)\noutm('lsres_%s', res)"
                        % (clit(M), dt, split, clit(b), dt, split, tag, tag, tag, tag))
            x, res, rk, sv = np.linalg.lstsq(M.astype(np.complex128), b.astype(np.complex128), rcond=None)
            add_close("lsx_" + tag, x, dt)
            add_close("lss_" + tag, sv, dt)
            add_close("lsres_" + tag, res, dt)
            add_meta("lss_" + tag, REAL[dt], [min(shape)], None)
            add_meta("lsres_" + tag, REAL[dt], list(res.shape), None)
            checks.append(("lsrk_" + tag, lambda got, tag=tag, rk=int(rk): got["lsrk_" + tag] == rk or "rank"))

for dt in ("float32", "float64", "complex64", "complex128"):
    for shape, splits in (((5, 6, 4), (None, 0, 1, 2)), ((2, 4, 7), (0, 1, 2)),
                          ((2, 3, 5, 5), (None, 0, 1, 2, 3)), ((5, 4, 4), (0, 1, 2))):
        for split in splits:
            factor_cases(dt, shape, split)


def solve_case(dt, ashape, asplit, bshape, bsplit, rsplit):
    """solve with broadcasting batch axes; rsplit: the documented result split."""
    tag = "%s_%s_%s_%s_%s" % (dt, "x".join(map(str, ashape)), asplit, "x".join(map(str, bshape)), bsplit)
    n = ashape[-1]
    A = cast(rnd(ashape, dt) + 2 * n * eyes(ashape), dt)
    b = rnd(bshape, dt)
    Ac, bc = A.astype(np.complex128), b.astype(np.complex128)
    vec = len(bshape) == 1 or len(bshape) == len(ashape) - 1
    if vec:
        full = np.broadcast_shapes(ashape[:-2], bshape[:-1]) + (n, 1)
        want = np.linalg.solve(Ac, np.broadcast_to(bc[..., None], full))[..., 0]
    else:
        want = np.linalg.solve(Ac, bc)
    prog.append("A = ht.array(%s, dtype=ht.%s, split=%s)\nb = ht.array(%s, dtype=ht.%s, split=%s)\n"
                "outm('bs_%s', ht.linalg.solve(A, b))" % (clit(A), dt, asplit, clit(b), dt, bsplit, tag))
    add_close("bs_" + tag, want, dt)
    add_meta("bs_" + tag, dt, list(want.shape), rsplit)


for dt in ("float32", "complex128"):
    for asplit, rs in ((None, None), (0, 0), (1, None), (2, None)):
        solve_case(dt, (3, 4, 4), asplit, (3, 4), None, rs)          # stacks of vectors
    solve_case(dt, (3, 4, 4), 2, (3, 4), 0, 0)
    solve_case(dt, (3, 4, 4), None, (4,), None, None)                  # 1-D b broadcasts
    for asplit, bsplit, rs in ((0, None, 0), (0, 1, 0), (2, None, None), (3, 2, 2), (None, 1, 1),
                               (None, 3, 3), (3, 3, 3), (None, None, None), (None, 0, None)):
        solve_case(dt, (2, 1, 4, 4), asplit, (1, 3, 4, 2), bsplit, rs)   # result (2, 3, 4, 2)
    for asplit, bsplit, rs in ((None, 0, 0), (0, 0, 0), (1, 2, 2), (0, 1, 1), (1, None, None)):
        solve_case(dt, (4, 4), asplit, (5, 4, 2), bsplit, rs)          # result (5, 4, 2)

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
        for label, fn in checks:
            try:
                ok = fn(got)
            except KeyError as e:
                ok = "missing %s (%s)" % (e, r.stderr.strip()[-300:])
            except Exception as e:       # a malformed result is a failure, not a crash
                ok = "%s: %s" % (type(e).__name__, e)
            if ok is True:
                passed += 1
            else:
                failed += 1
                print("FAIL -n %d %s: %s" % (p, label, ok))
finally:
    os.unlink(path)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
