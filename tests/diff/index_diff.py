#!/usr/bin/python3
"""index_diff.py [BUILD] [--cases N] [--seed S] [--ranks "1 3"] — NumPy differential test
of ha's indexing.

Generates random index expressions (1-3 dims, every split, ints, negative
ints, slices with any step including negative ones, None, Ellipsis, tuples
mixing them, boolean masks and integer lists with various splits) for GET
and for SET (a scalar and an array value, then the whole array is printed),
writes them as ONE ha program, computes the expected lines with NumPy, runs
the program with `sh tests/mpirun.sh -n P build/ha prog.ha` for each P and
compares line by line (int64 data, so the comparison is exact).
Prints the failures and ends with "N passed, N failed" (one count per case
and rank count).  Needs /usr/bin/python3 with numpy.
"""
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def args():
    build, cases, seed, ranks = "build", 600, 1234, [1, 3]
    it = iter(sys.argv[1:])
    for a in it:
        if a == "--cases":
            cases = int(next(it))
        elif a == "--seed":
            seed = int(next(it))
        elif a == "--ranks":
            ranks = [int(x) for x in next(it).split()]
        else:
            build = a
    return build, cases, seed, ranks


def ha_list(x):
    return repr(np.asarray(x).tolist())


def ha_arr(x, dtype, split):
    """ha text building array x (an empty one through zeros, keeping its shape)."""
    x = np.asarray(x)
    if x.size == 0:
        return "ht.zeros(%s, dtype=%s, split=%s)" % (tuple(x.shape), dtype, split)
    return "ht.array(%s, dtype=%s, split=%s)" % (ha_list(x), dtype, split)


def rand_slice(rng, n):
    def part():
        c = rng.random()
        if c < 0.3:
            return None
        return rng.randint(-n - 2, n + 2)
    step = None
    c = rng.random()
    if c < 0.35:
        step = rng.choice([-3, -2, -1, 2, 3])
    elif c < 0.45:
        step = 1
    start, stop = part(), part()
    text = "%s:%s" % ("" if start is None else start, "" if stop is None else stop)
    if step is not None:
        text += ":%d" % step
    return slice(start, stop, step), text


def rand_split(rng, ndim):
    return rng.choice([None] + list(range(ndim)))


class Case:
    pass


def make_adv(rng, shape, d, left, err):
    """An advanced item at source axis d: (numpy key, ha text, axes covered)."""
    if rng.random() < 0.5 and left >= 1:
        k = rng.randint(1, left)
        mshape = list(shape[d:d + k])
        if err:
            mshape[0] = mshape[0] + rng.choice([1, 2])
        m = np.array([rng.random() < 0.5 for _ in range(int(np.prod(mshape)))], dtype=bool).reshape(mshape)
        ms = rand_split(rng, k) if k > 0 else None
        return m, ha_arr(m, "ht.bool", ms), k
    n = shape[d]
    ln = rng.randint(0, 5)
    lo, hi = (-n, n - 1) if n > 0 else (0, 0)
    if n == 0:
        ln = 0
    idx = [rng.randint(lo, hi) for _ in range(ln)]
    if err and n > 0:
        idx.append(rng.choice([n, -n - 1, n + 3]))
    elif err:
        idx.append(1)
    c = rng.random()
    if c < 0.4:
        text = repr(idx)
    else:
        text = "ht.array(%s, dtype=ht.int64, split=%s)" % (repr(idx), rng.choice(["None", "0"]))
    return np.array(idx, dtype=np.int64), text, 1


def make_key(rng, shape, err_kind):
    nd = len(shape)
    items, texts = [], []
    use_adv = rng.random() < 0.4 or err_kind == "mask"
    adv_pos = rng.randint(0, nd - 1) if use_adv else -1
    d = 0
    ell = False
    while d < nd:
        if rng.random() < 0.12:
            items.append(None)
            texts.append("None")
        if not ell and rng.random() < 0.1:
            # an Ellipsis covering some axes, then indices for the rest
            skip = rng.randint(0, nd - d)
            if adv_pos >= d and adv_pos < d + skip:
                adv_pos = -1
            items.append(Ellipsis)
            texts.append("...")
            ell = True
            d += skip
            continue
        if d == adv_pos:
            k, t, cover = make_adv(rng, shape, d, nd - d, err_kind == ("mask" if True else ""))
            if err_kind == "mask" and k.dtype != bool:
                k, t, cover = make_adv(rng, shape, d, nd - d, False)
            items.append(k)
            texts.append(t)
            d += cover
            continue
        c = rng.random()
        if c < 0.3 and shape[d] > 0:
            i = rng.randint(-shape[d], shape[d] - 1)
            if err_kind == "int":
                i = rng.choice([shape[d], -shape[d] - 1, shape[d] + 5])
                err_kind = None
            items.append(i)
            texts.append(str(i))
        elif c < 0.85:
            s, t = rand_slice(rng, shape[d])
            items.append(s)
            texts.append(t)
        else:
            # stop early: the remaining axes are taken whole
            break
        d += 1
    if rng.random() < 0.1:
        items.append(None)
        texts.append("None")
    if len(items) == 1 and rng.random() < 0.5 and not isinstance(items[0], np.ndarray):
        return items[0], texts[0]
    return tuple(items), ", ".join(texts) if texts else "..."


def gen(rng, i):
    c = Case()
    nd = rng.randint(1, 3)
    shape = tuple(rng.randint(0 if rng.random() < 0.05 else 1, 6) for _ in range(nd))
    c.split = rand_split(rng, nd)
    c.data = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape) * 3 - 7
    r = rng.random()
    err = None
    if r < 0.04:
        err = "int"
    elif r < 0.07:
        err = "mask"
    c.key, c.ktext = make_key(rng, shape, err)
    c.mode = rng.choice(["get", "get", "set_scalar", "set_array"])
    lines = ["a = " + ha_arr(c.data, "ht.int64", c.split)]
    x = c.data.copy()
    expect = None
    try:
        sel = x[c.key]
        sel_shape = np.shape(sel)
    except IndexError:
        expect = "%d IndexError" % i
    if c.mode == "get":
        lines.append("r = a[%s]" % c.ktext)
        lines.append("print(%d, r.shape, r.tolist())" % i)
        if expect is None:
            s = np.asarray(sel)
            expect = "%d %s %s" % (i, tuple(s.shape), s.tolist())
    elif c.mode == "set_scalar":
        v = rng.randint(-100, 100)
        lines.append("a[%s] = %d" % (c.ktext, v))
        lines.append("print(%d, a.tolist())" % i)
        if expect is None:
            x[c.key] = v
            expect = "%d %s" % (i, x.tolist())
    else:
        if expect is None:
            vs = list(sel_shape)
            c2 = rng.random()
            if c2 < 0.2 and vs:
                vs = vs[1:]                          # trailing shape broadcast
            elif c2 < 0.3 and vs:
                vs[-1] = 1
            elif c2 < 0.36:
                vs = vs + [0] if not vs else vs[:-1] + [vs[-1] + 1]   # wrong shape
            vshape = tuple(vs)
        else:
            vshape = (2,)
        val = (np.arange(int(np.prod(vshape)), dtype=np.int64).reshape(vshape) + 1) * 11
        vsplit = rand_split(rng, len(vshape)) if vshape else None
        lines.append("v = " + ha_arr(val, "ht.int64", vsplit))
        lines.append("a[%s] = v" % c.ktext)
        lines.append("print(%d, a.tolist())" % i)
        if expect is None:
            try:
                x[c.key] = val
                expect = "%d %s" % (i, x.tolist())
            except ValueError:
                expect = "%d ValueError" % i
    c.lines = lines
    c.expect = expect
    return c


def program(cases):
    out = []
    for i, c in enumerate(cases):
        out.append("try:")
        out.extend("    " + ln for ln in c.lines)
        out.append("except IndexError:")
        out.append("    print(%d, 'IndexError')" % i)
        out.append("except ValueError:")
        out.append("    print(%d, 'ValueError')" % i)
    return "\n".join(out) + "\n"


def main():
    build, ncases, seed, ranks = args()
    rng = random.Random(seed)
    cases = [gen(rng, i) for i in range(ncases)]
    ha = os.path.join(ROOT, build, "ha") if not os.path.isabs(build) else os.path.join(build, "ha")
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "index_diff.ha")
        with open(prog, "w") as f:
            f.write(program(cases))
        if os.environ.get("HA_KEEP_DIFF"):
            with open(os.environ["HA_KEEP_DIFF"], "w") as f:
                f.write(program(cases))
        for p in ranks:
            res = subprocess.run(["sh", os.path.join(ROOT, "tests", "mpirun.sh"), "-n", str(p), ha, prog],
                                 capture_output=True, text=True, timeout=600)
            got = {}
            for ln in res.stdout.splitlines():
                k = ln.split(" ", 1)[0]
                if k.isdigit():
                    got.setdefault(int(k), ln)
            if res.returncode != 0:
                print("ha -n %d exited with status %d:\n%s" % (p, res.returncode, res.stderr[-2000:]))
            for i, c in enumerate(cases):
                g = got.get(i)
                if g == c.expect:
                    passed += 1
                else:
                    failed += 1
                    if failed <= 30:
                        print("FAIL -n %d case %d: shape %s split %s key [%s]\n  %s\n  expected: %s\n  got:      %s"
                              % (p, i, c.data.shape, c.split, c.ktext, " ; ".join(c.lines[1:]), c.expect, g))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
