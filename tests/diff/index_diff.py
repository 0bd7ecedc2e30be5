#!/usr/bin/python3
"""index_diff.py [BUILD] [--cases N] [--seed S] [--ranks "1 3"] — NumPy differential test
of ha's indexing.

Generates random index expressions (1-3 dims, every split, ints, negative
ints, slices with any step including negative ones, None, Ellipsis, tuples
mixing them, boolean masks and integer lists with various splits; nearly half
the keys hold 2-3 advanced items: index arrays of broadcastable shapes, scalar
ints and masks among them, adjacent or separated) for GET
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
import warnings

import numpy as np

# NumPy still ignores an out-of-range index when the result is empty (an
# empty slice next to it) but deprecates that; ha raises, as NumPy will.
warnings.simplefilter("error", DeprecationWarning)

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


def int_text(rng, idx):
    """ha text of an integer index array: a (nested) list or an int64 array of any split."""
    idx = np.asarray(idx, dtype=np.int64)
    if idx.size and rng.random() < 0.4:
        return repr(idx.tolist())
    return ha_arr(idx, "ht.int64", rand_split(rng, idx.ndim))


def make_multi(rng, shape, err_kind):
    """Several advanced items: {source axis: (numpy key, ha text, axes covered)}.
    Index arrays of broadcastable shapes (a mask counts as its nonzero()
    arrays), scalar ints among them, with a shape mismatch or an
    out-of-range index when asked."""
    nd = len(shape)
    axes = [0] if nd == 1 else sorted(rng.sample(range(nd), rng.randint(2, min(3, nd))))
    out = {}
    bshape = None
    mask_at = rng.choice(axes) if nd > 1 and rng.random() < 0.3 else None
    if mask_at is not None:
        cover = 2 if (mask_at + 1 < nd and mask_at + 1 not in axes and rng.random() < 0.4) else 1
        m = np.array([rng.random() < 0.5 for _ in range(int(np.prod(shape[mask_at:mask_at + cover])))],
                     dtype=bool).reshape(shape[mask_at:mask_at + cover])
        out[mask_at] = (m, ha_arr(m, "ht.bool", rand_split(rng, cover)), cover)
        bshape = (int(m.sum()),)
    else:
        bnd = 2 if nd == 1 else rng.choice([1, 1, 2])
        bshape = tuple(rng.choice([0] + [1, 2, 3] * 6) for _ in range(bnd))
    others = [a for a in axes if a != mask_at]
    bad_bcast = err_kind == "bcast"
    bad_range = err_kind == "advrange"
    scalars = 0
    for j, ax in enumerate(others):
        n = shape[ax]
        c = rng.random()
        if c < 0.2 and (len(others) > 1 or mask_at is not None) and scalars == 0 and n > 0:
            i = rng.randint(-n, n - 1)
            out[ax] = (i, str(i), 1)
            scalars += 1
            continue
        if c < 0.55 or not bshape:
            sh = list(bshape)
        elif c < 0.8:
            sh = [d if rng.random() < 0.5 else 1 for d in bshape]
        else:
            sh = list(bshape[rng.randint(0, len(bshape) - 1):])
        if bad_bcast and sh:
            sh[-1] = (bshape[-1] if bshape else 1) + rng.choice([1, 2])
            bad_bcast = False
        size = int(np.prod(sh)) if sh else 1
        lo, hi = (-n, n - 1) if n > 0 else (0, 0)
        vals = [rng.randint(lo, hi) for _ in range(size)]
        if bad_range and size:
            vals[rng.randint(0, size - 1)] = rng.choice([n, -n - 1, n + 3])
            bad_range = False
        idx = np.array(vals, dtype=np.int64).reshape(sh)
        out[ax] = (idx, int_text(rng, idx), 1)
    return out


def make_key(rng, shape, err_kind):
    nd = len(shape)
    r = rng.random()
    if err_kind == "mask":
        mode = "one"
    elif err_kind in ("bcast", "advrange"):
        mode = "multi"
    else:
        mode = "none" if r < 0.35 else "one" if r < 0.55 else "multi"
    advs = {}
    if mode == "one":
        pos = rng.randint(0, nd - 1)
        advs[pos] = make_adv(rng, shape, pos, nd - pos, err_kind == "mask")
        if err_kind == "mask" and advs[pos][0].dtype != bool:
            advs[pos] = make_adv(rng, shape, pos, nd - pos, False)
    elif mode == "multi":
        advs = make_multi(rng, shape, err_kind)
    items, texts = [], []
    d = 0
    ell = False
    while d < nd:
        if rng.random() < 0.12:
            items.append(None)
            texts.append("None")
        nxt = min([a for a in advs if a >= d], default=nd)
        if not ell and rng.random() < 0.1:
            # an Ellipsis covering some axes (none holding an advanced item)
            skip = rng.randint(0, nxt - d)
            items.append(Ellipsis)
            texts.append("...")
            ell = True
            d += skip
            continue
        if d in advs:
            k, t, cover = advs[d]
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
        elif c < 0.85 or nxt < nd:
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
    elif r < 0.10:
        err = "bcast"
    elif r < 0.13:
        err = "advrange"
    c.key, c.ktext = make_key(rng, shape, err)
    c.mode = rng.choice(["get", "get", "set_scalar", "set_array"])
    lines = ["a = " + ha_arr(c.data, "ht.int64", c.split)]
    x = c.data.copy()
    expect = None
    try:
        sel = x[c.key]
        sel_shape = np.shape(sel)
    except (IndexError, DeprecationWarning):
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
