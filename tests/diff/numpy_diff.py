#!/usr/bin/python3
"""numpy_diff.py [BUILD] — differential test of ha's arrays against NumPy.

Generates (fixed seed) several hundred random cases — elementwise unary and
binary operations with broadcasting, arrays split along the same, different
or no axes, Python scalar operands, and reductions (sum prod min max mean var
std argmin argmax all any cumsum cumprod, axis None/int/tuple, keepdims) —
writes them as ONE ha program, runs it under `tests/mpirun.sh -n P` for P = 1
and 3, and compares every printed result with NumPy's.

The expected dtype follows Heat's rules (promote_types, result_type with
Python scalars as weak operands, true division of ints -> float32, float
functions -> promote_types(t, float32), integer sums -> int64), not NumPy's;
the expected values are NumPy's, computed in that dtype.  Values compare
within |got - want| <= rtol * (|want| + scale): rtol 1e-5 for float32 and
complex64, 1e-12 for float64 and complex128, exact for integers and bools;
`scale` is the magnitude the result's rounding error is relative to (the
largest input for elementwise ops, n * max|x| for sums).  The result's
shape and split are checked too (split: Heat's dominant-operand and
reduction rules).  Ends with "N passed, N failed" (one count per case per
rank count); exit status 1 on any failure.  Run it with /usr/bin/python3
(Debian's python3-numpy).
"""
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

SEED = int(os.environ.get("HA_DIFF_SEED", "20240917"))
NCASES = 1000
RANKS = (1, 3)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------- Heat's dtype rules
ORDER = ["bool", "uint8", "int8", "int16", "int32", "int64",
         "float32", "float64", "complex64", "complex128"]
BITS = {"bool": 1, "uint8": 8, "int8": 8, "int16": 16, "int32": 32, "int64": 64,
        "float32": 32, "float64": 64, "complex64": 64, "complex128": 128}
KIND = {"bool": 0, "uint8": 1, "int8": 1, "int16": 1, "int32": 1, "int64": 1,
        "float32": 2, "float64": 2, "complex64": 3, "complex128": 3}


def castable(a, b):
    """Heat's 'intuitive' casting: NumPy-safe, plus int16->f16, int32->f32/c64."""
    if a == b or np.can_cast(np.dtype(a), np.dtype(b), "safe"):
        return True
    return (a, b) in (("int32", "float32"), ("int32", "complex64"))


def promote_types(a, b):
    """Smallest type (by bits, then Heat's order) both cast to intuitively."""
    cands = [t for t in ORDER if castable(a, t) and castable(b, t)]
    return min(cands, key=lambda t: (BITS[t], ORDER.index(t)))


SCALAR_TYPE = {bool: "bool", int: "int32", float: "float32", complex: "complex64"}


def result_type_scalar(arr_t, scalar):
    """result_type(array, Python scalar): the scalar is the weakest operand;
    it wins only when its kind is higher than the array's."""
    st = SCALAR_TYPE[type(scalar)]
    return arr_t if KIND[st] <= KIND[arr_t] else st


def float_of(t):
    return promote_types(t, "float32")


def is_int(t):
    return KIND[t] == 1


def is_float(t):
    return KIND[t] == 2


def is_complex(t):
    return KIND[t] == 3


# ---------------------------------------------------------------- data
def rand_value(r, t, domain):
    if t == "bool":
        return r.random() < 0.5
    if t == "uint8" and domain not in ("small", "exp"):
        lo = 1 if domain in ("nonzero", "pos") else 0
        return r.randint(lo, 250 if domain == "any" else 9)
    if domain == "pos":       # strictly positive (log, sqrt, pow base, divisor)
        lo, hi = 0.25, 6.0
    elif domain == "unit":    # open interval (-1, 1)
        lo, hi = -0.95, 0.95
    elif domain == "ge1":
        lo, hi = 1.0, 6.0
    elif domain == "exp":     # exponent for power
        lo, hi = 0.0, 3.0
    elif domain == "nonzero":
        lo, hi = -6.0, 6.0
    elif domain == "small":   # products of up to 343 stay finite in float32
        lo, hi = 0.8, 1.25
    else:
        lo, hi = -9.0, 9.0
    if is_int(t):
        lo, hi = math.ceil(lo), math.floor(hi)
        if domain == "small":
            lo, hi = (0 if t == "uint8" else -2), 2
        if domain == "exp":
            lo, hi = 0, 3
        v = r.randint(lo, hi)
        while domain in ("nonzero", "pos") and v == 0:
            v = r.randint(lo, hi)
        return v
    if domain in ("pos", "nonzero", "exp", "small", "any") and r.random() < 0.7:
        # quarters: exact in float32, so sums and divisions by them are exact
        v = round(r.uniform(lo, hi) * 4) / 4
    else:
        v = round(r.uniform(lo, hi), 3)
    if domain in ("nonzero",) and v == 0:
        v = 0.5
    if domain == "pos" and v <= 0:
        v = 0.25
    if is_complex(t):
        im = round(r.uniform(-3, 3) * 4) / 4 if domain != "small" else round(r.uniform(-0.25, 0.25), 3)
        return complex(v, im)
    return float(v)


SPECIALS = [math.nan, math.inf, -math.inf, -0.0]


def rand_array(r, t, shape, domain="any", special=False):
    """Random data of dtype t; `special`: some NaN, +-inf and -0.0 entries."""
    n = int(np.prod(shape)) if shape else 1
    vals = [rand_value(r, t, domain) for _ in range(n)]
    if special and is_float(t):
        for _ in range(r.randint(1, 3)):
            vals[r.randrange(n)] = r.choice(SPECIALS)
    return np.array(vals, dtype=t).reshape(shape)


def lit(v):
    """ha source of a Python value (nested lists of bool/int/float/complex)."""
    if isinstance(v, list):
        return "[" + ", ".join(lit(x) for x in v) + "]"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float) and not math.isfinite(v):
        return "ht.nan" if math.isnan(v) else ("ht.inf" if v > 0 else "(-ht.inf)")
    if isinstance(v, complex):
        im = repr(v.imag)
        return "(%r%s%sj)" % (v.real, "" if im.startswith("-") else "+", im)
    return repr(v)


def ha_array(x, split):
    """ht.array(...) source for a NumPy array; data as exact Python values."""
    t = str(x.dtype)
    if t == "float32":
        data = x.astype(np.float64).tolist()
    elif t == "complex64":
        data = x.astype(np.complex128).tolist()
    else:
        data = x.tolist()
    return "ht.array(%s, dtype=ht.%s, split=%s)" % (lit(data), t, split)


def rand_shape(r, nd=None):
    nd = nd or r.randint(1, 3)
    return tuple(r.randint(1, 7) for _ in range(nd))


def rand_split(r, nd):
    return None if r.random() < 0.3 else r.randrange(nd)


# ---------------------------------------------------------------- cases
TOL = {"float32": 1e-5, "complex64": 1e-5, "float64": 1e-12, "complex128": 1e-12}

UNARY = {
    # name: (NumPy function, dtype rule, allowed input kinds, domain)
    "exp": (np.exp, "float", "bifc", "any"),
    "log": (np.log, "float", "ifc", "pos"),
    "log2": (np.log2, "float", "if", "pos"),
    "log10": (np.log10, "float", "if", "pos"),
    "log1p": (np.log1p, "float", "if", "pos"),
    "expm1": (np.expm1, "float", "if", "any"),
    "sqrt": (np.sqrt, "float", "ifc", "pos"),
    "sin": (np.sin, "float", "ifc", "any"),
    "cos": (np.cos, "float", "if", "any"),
    "tan": (np.tan, "float", "f", "unit"),
    "arcsin": (np.arcsin, "float", "f", "unit"),
    "arccos": (np.arccos, "float", "f", "unit"),
    "arctan": (np.arctan, "float", "if", "any"),
    "sinh": (np.sinh, "float", "f", "unit"),
    "cosh": (np.cosh, "float", "f", "unit"),
    "tanh": (np.tanh, "float", "if", "any"),
    "arcsinh": (np.arcsinh, "float", "f", "any"),
    "arccosh": (np.arccosh, "float", "f", "ge1"),
    "arctanh": (np.arctanh, "float", "f", "unit"),
    "abs": (np.abs, "real", "ifc", "any"),
    "negative": (np.negative, "same", "ifc", "any"),
    "square": (np.square, "same", "ifc", "any"),
    "floor": (np.floor, "round", "if", "any"),
    "ceil": (np.ceil, "round", "if", "any"),
    "trunc": (np.trunc, "round", "if", "any"),
    "round": (np.round, "round", "if", "any"),
    "sign": (np.sign, "round", "if", "any"),
    "isnan": (np.isnan, "bool", "bifc", "any"),
    "isfinite": (np.isfinite, "bool", "bifc", "any"),
    "logical_not": (np.logical_not, "bool", "bif", "any"),
    "invert": (np.invert, "same", "bi", "any"),
    "real": (np.real, "real", "fc", "any"),
    "imag": (np.imag, "real", "fc", "any"),
    "conj": (np.conj, "same", "fc", "any"),
}

KINDCH = {0: "b", 1: "i", 2: "f", 3: "c"}

BINARY = {
    # op: (NumPy function, rule, allowed kinds of the computing dtype, ha template)
    "+": (np.add, "same", "bifc", "({a} + {b})"),
    "-": (np.subtract, "same", "ifc", "({a} - {b})"),
    "*": (np.multiply, "same", "bifc", "({a} * {b})"),
    "/": (np.true_divide, "truediv", "bifc", "({a} / {b})"),
    "//": (np.floor_divide, "same", "if", "({a} // {b})"),
    "%": (np.remainder, "same", "if", "({a} % {b})"),
    "**": (np.power, "same", "if", "({a} ** {b})"),
    "==": (np.equal, "bool", "bifc", "({a} == {b})"),
    "!=": (np.not_equal, "bool", "bifc", "({a} != {b})"),
    "<": (np.less, "bool", "bif", "({a} < {b})"),
    "<=": (np.less_equal, "bool", "bif", "({a} <= {b})"),
    ">": (np.greater, "bool", "bif", "({a} > {b})"),
    ">=": (np.greater_equal, "bool", "bif", "({a} >= {b})"),
    "&": (np.bitwise_and, "same", "bi", "({a} & {b})"),
    "|": (np.bitwise_or, "same", "bi", "({a} | {b})"),
    "^": (np.bitwise_xor, "same", "bi", "({a} ^ {b})"),
    "maximum": (np.maximum, "same", "bif", "ht.maximum({a}, {b})"),
    "minimum": (np.minimum, "same", "bif", "ht.minimum({a}, {b})"),
}
# domains of the right/left operand per op (divisors nonzero, power bases positive)
RHS_DOMAIN = {"/": "nonzero", "//": "nonzero", "%": "nonzero", "**": "exp"}
LHS_DOMAIN = {"**": "pos"}

DTYPES = ["bool", "int32", "int64", "float32", "float64", "complex64"] * 4 + \
    ["uint8", "int8", "int16", "complex128"]
# ops whose NaN/inf behaviour is compared (IEEE results, NumPy = torch)
SPECIAL_OK = {"isnan", "isfinite", "abs", "negative", "floor", "ceil", "trunc", "sign",
              "square", "exp", "+", "-", "*", "==", "!=", "<", "<=", ">", ">=",
              "maximum", "minimum", "sum", "max", "min", "any", "all", "cumsum",
              "argmax", "argmin", "mean"}



class Case:
    def __init__(self, idx, desc, src, want, dtype, split, scale, ddof_ok=True):
        self.idx, self.desc, self.src = idx, desc, src
        self.want, self.dtype, self.split, self.scale = want, dtype, split, scale


def apply_rule(rule, t):
    if rule == "same":
        return t
    if rule == "float":
        return float_of(t)
    if rule == "truediv":
        return "float32" if KIND[t] <= 1 else t
    if rule == "round":
        return "float32" if KIND[t] <= 1 else t
    if rule == "real":
        return {"complex64": "float32", "complex128": "float64"}.get(t, t)
    if rule == "bool":
        return "bool"
    raise ValueError(rule)


def maxabs(*xs):
    m = 1.0
    for x in xs:
        if isinstance(x, np.ndarray) and x.size:
            a = np.abs(x.astype(np.complex128))
            m = max(m, float(np.max(a[np.isfinite(a)], initial=0.0)))
        elif not isinstance(x, np.ndarray):
            m = max(m, abs(complex(x)))
    return m


def gen_unary(r, idx):
    while True:
        name = r.choice(sorted(UNARY))
        fn, rule, kinds, dom = UNARY[name]
        t = r.choice(DTYPES)
        if KINDCH[KIND[t]] in kinds:
            break
    shape = rand_shape(r)
    x = rand_array(r, t, shape, dom, name in SPECIAL_OK and r.random() < 0.2)
    split = rand_split(r, len(shape))
    ot = apply_rule(rule, t)
    want = fn(x.astype(ot) if rule in ("float", "round") else x)
    want = np.asarray(want).astype(ot)
    style = r.random()
    a = ha_array(x, split)
    if name in ("abs",) and style < 0.3:
        src = "abs(%s)" % a
    elif name == "negative" and style < 0.5:
        src = "(-%s)" % a
    elif name == "invert" and style < 0.5:
        src = "(~%s)" % a
    elif style < 0.2 and name in ("exp", "sqrt", "sin", "cos", "floor", "abs"):
        src = "%s.%s()" % (a, name)
    else:
        src = "ht.%s(%s)" % (name, a)
    # one correctly rounded (or few-ulp libm) operation: error relative to the result
    return Case(idx, "%s %s%s split=%s" % (name, t, shape, split), src, want, ot, split, 0.0)


def broadcast_pair(r):
    out = rand_shape(r)
    nd = len(out)
    sa = [d if r.random() < 0.75 else 1 for d in out]
    nb = r.randint(1, nd)
    sb = [d if r.random() < 0.75 else 1 for d in out[nd - nb:]]
    if r.random() < 0.5:  # swap which side loses leading dims
        sa, sb = sb, sa
    return tuple(sa), tuple(sb)


def expected_split(shapes_splits, out_shape):
    """Heat's dominant operand: first split operand not broadcast along its
    split axis, else the first split operand; None when no operand is split."""
    nd = len(out_shape)
    first = None
    for shape, split in shapes_splits:
        if split is None:
            continue
        s = split + nd - len(shape)
        if shape[split] == out_shape[s]:
            return s
        if first is None:
            first = s
    return first


def binop_ok(op, ct):
    return KINDCH[KIND[ct]] in BINARY[op][2]


def gen_binary(r, idx):
    while True:
        op = r.choice(sorted(BINARY))
        ta, tb = r.choice(DTYPES), r.choice(DTYPES)
        if r.random() < 0.5:
            tb = ta
        ct = promote_types(ta, tb)
        if not binop_ok(op, ct):
            continue
        if op == "**" and (ta == "bool" or tb == "bool"):
            continue
        break
    sa, sb = broadcast_pair(r)
    sp = op in SPECIAL_OK and r.random() < 0.2
    x = rand_array(r, ta, sa, LHS_DOMAIN.get(op, "any"), sp and r.random() < 0.7)
    y = rand_array(r, tb, sb, RHS_DOMAIN.get(op, "any"), sp and r.random() < 0.7)
    spa, spb = rand_split(r, len(sa)), rand_split(r, len(sb))
    fn, rule = BINARY[op][0], BINARY[op][1]
    ot = apply_rule(rule, ct)
    kt = apply_rule("truediv", ct) if rule == "truediv" else ct
    with np.errstate(all="ignore"):
        want = np.asarray(fn(x.astype(kt), y.astype(kt))).astype(ot)
    src = BINARY[op][3].format(a=ha_array(x, spa), b=ha_array(y, spb))
    split = expected_split([(sa, spa), (sb, spb)], want.shape)
    return Case(idx, "%s%s split=%s %s %s%s split=%s" % (ta, sa, spa, op, tb, sb, spb),
                src, want, ot, split, 0.0)


def rand_scalar(r, op, ct_kind_max, right):
    kinds = [bool, int, float, complex]
    while True:
        k = r.choice(kinds)
        if k is bool:
            v = r.random() < 0.5
        elif k is int:
            v = r.choice([2, 3, -1, -4, 7, 1000]) if op != "**" else r.randint(0, 3)
        elif k is float:
            v = r.choice([1.5, -0.25, 2.5, 0.1, -3.75]) if op != "**" else r.choice([0.5, 2.0, 1.5])
        else:
            v = r.choice([1j, 2 - 1.5j, -0.5 + 0.25j])
        if right and op in ("/", "//", "%") and v == 0:
            continue
        return v


def gen_scalar(r, idx):
    while True:
        op = r.choice(sorted(BINARY))
        t = r.choice(DTYPES)
        right = r.random() < 0.65
        s = rand_scalar(r, op, None, right)
        ct = result_type_scalar(t, s)
        if not binop_ok(op, ct):
            continue
        if op == "**" and (t == "bool" or isinstance(s, (bool, complex))):
            continue
        if op in ("/", "//", "%") and not right and t == "bool":
            continue
        if op == "**" and not right and (isinstance(s, int) and s <= 0):
            continue
        break
    shape = rand_shape(r)
    if op == "**":
        dom = "pos" if right else "exp"
    elif op in ("/", "//", "%") and not right:
        dom = "nonzero"
    else:
        dom = "any"
    x = rand_array(r, t, shape, dom, op in SPECIAL_OK and r.random() < 0.2)
    split = rand_split(r, len(shape))
    fn, rule = BINARY[op][0], BINARY[op][1]
    ot = apply_rule(rule, ct)
    kt = apply_rule("truediv", ct) if rule == "truediv" else ct
    sv = np.array(s).astype(kt)
    with np.errstate(all="ignore"):
        if right:
            want = fn(x.astype(kt), sv)
        else:
            want = fn(sv, x.astype(kt))
    want = np.asarray(want).astype(ot)
    a = ha_array(x, split)
    sl = lit(s)
    src = BINARY[op][3].format(a=a, b=sl) if right else BINARY[op][3].format(a=sl, b=a)
    desc = "%s%s split=%s %s %r" % (t, shape, split, op, s) if right else \
        "%r %s %s%s split=%s" % (s, op, t, shape, split)
    return Case(idx, desc, src, want, ot, split, 0.0)


REDUCE = {
    # name: (kinds allowed, tuple axis ok, keepdims ok, domain)
    "sum": ("bifc", True, True, "any"),
    "prod": ("bifc", True, True, "small"),
    "min": ("bif", True, True, "any"),
    "max": ("bif", True, True, "any"),
    "mean": ("bifc", True, True, "any"),
    "var": ("if", True, True, "any"),
    "std": ("if", True, True, "any"),
    "argmin": ("if", False, True, "any"),
    "argmax": ("if", False, True, "any"),
    "all": ("bifc", True, True, "any"),
    "any": ("bifc", True, True, "any"),
    "cumsum": ("bifc", False, False, "any"),
    "cumprod": ("bif", False, False, "small"),
}


def reduce_dtype(name, t):
    if name in ("sum", "prod", "cumsum", "cumprod"):
        return "int64" if KIND[t] <= 1 else t
    if name in ("mean", "var", "std"):
        return float_of(t)
    if name in ("argmin", "argmax"):
        return "int64"
    if name in ("all", "any"):
        return "bool"
    return t


def reduce_split(split, nd, axes, keepdims):
    if split is None or axes is None or split in axes:
        return None
    if keepdims:
        return split
    return split - sum(1 for a in axes if a < split)


def gen_reduce(r, idx):
    while True:
        name = r.choice(sorted(REDUCE))
        kinds, tup, kd, dom = REDUCE[name]
        t = r.choice(DTYPES)
        if KINDCH[KIND[t]] in kinds:
            break
    shape = rand_shape(r)
    nd = len(shape)
    x = rand_array(r, t, shape, dom, name in SPECIAL_OK and r.random() < 0.2)
    split = rand_split(r, nd)
    u = r.random()
    if name.startswith("cum"):
        axis = r.randrange(-nd, nd) if u < 0.85 else None
    elif u < 0.25:
        axis = None
    elif u < 0.7 or not tup or nd == 1:
        axis = r.randrange(-nd, nd)
    else:
        axis = tuple(sorted(r.sample(range(nd), r.randint(1, nd))))
    keepdims = kd and r.random() < 0.35
    ddof = 1 if name in ("var", "std") and r.random() < 0.3 else 0
    ot = reduce_dtype(name, t)
    if axis is None:
        axes = None
        nred = x.size
    else:
        axes = tuple(a % nd for a in (axis if isinstance(axis, tuple) else (axis,)))
        nred = int(np.prod([shape[a] for a in axes]))
    if ddof and nred <= 1:
        ddof = 0
    kw = {}
    if keepdims:
        kw["keepdims"] = True
    # reference: in float64/complex128/int64 (sums exact or well rounded), then cast
    hi = {0: "int64", 1: "int64", 2: "float64", 3: "complex128"}[KIND[ot]]
    xa = x.astype(ot if name in ("sum", "prod", "cumsum", "cumprod", "mean", "var", "std") else t)
    if name in ("argmin", "argmax"):
        want = getattr(np, name)(x, axis=axis, **kw)
    elif name in ("cumsum", "cumprod"):
        want = getattr(np, name)(xa.astype(hi) if KIND[ot] >= 2 else xa, axis=axis)
    elif name in ("var", "std"):
        want = getattr(np, name)(xa.astype(hi), axis=axis, ddof=ddof, **kw)
    elif name in ("sum", "prod", "mean"):
        want = getattr(np, name)(xa.astype(hi) if KIND[ot] >= 2 else xa, axis=axis, **kw)
    else:
        want = getattr(np, {"min": "amin", "max": "amax"}.get(name, name))(x, axis=axis, **kw)
    want = np.asarray(want).astype(ot)
    args = [ha_array(x, split)]
    if axis is not None or r.random() < 0.3:
        args.append("axis=%r" % (axis,))
    if keepdims:
        args.append("keepdims=True")
    if ddof:
        args.append("ddof=1")
    if r.random() < 0.25 and name not in ("all", "any", "argmin", "argmax") and not ddof:
        src = "%s.%s(%s)" % (args[0], name, ", ".join(args[1:]))
    else:
        src = "ht.%s(%s)" % (name, ", ".join(args))
    if name.startswith("cum") and axis is None:
        osplit = None if split is None else 0
    elif name.startswith("cum"):
        osplit = split
    else:
        osplit = reduce_split(split, nd, axes, keepdims)
    m = maxabs(x)
    scale = {"sum": nred * m, "cumsum": nred * m, "mean": m, "var": 4 * m * m,
             "std": m}.get(name, m)
    if name in ("prod", "cumprod"):
        wa = np.abs(want.astype(np.complex128))
        scale = nred * (float(np.max(wa[np.isfinite(wa)], initial=1.0)) + 1.0)
    if name == "std":
        # std's rounding error is that of var divided by 2*std
        sd = np.asarray(want, dtype=np.float64)
        scale = m + (4 * m * m / max(1e-6, float(np.min(sd)) if sd.size else 1.0))
    desc = "%s %s%s split=%s axis=%r keepdims=%s ddof=%d" % (name, t, shape, split, axis, keepdims, ddof)
    return Case(idx, desc, src, want, ot, osplit, scale)


def generate():
    r = random.Random(SEED)
    gens = [(gen_unary, 0.25), (gen_binary, 0.30), (gen_scalar, 0.15), (gen_reduce, 0.30)]
    cases = []
    for i in range(NCASES):
        u, acc = r.random(), 0.0
        for g, w in gens:
            acc += w
            if u < acc:
                break
        cases.append(g(r, i))
    return cases


def program(cases):
    lines = ["import heat as ht", ""]
    for c in cases:
        lines += ["try:",
                  "    r = %s" % c.src,
                  "    print('CASE', %d, '|', r.dtype, '|', r.shape, '|', r.split, '|', r.tolist())" % c.idx,
                  "except Exception as e:",
                  "    print('CASE', %d, 'ERROR', type(e).__name__, e)" % c.idx]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- compare
def parse(out):
    res = {}
    # "(inf-infj)": infj/nanj become names bound to complex values, since
    # inf*1j would be (nan+infj)
    env = {"inf": math.inf, "nan": math.nan, "INFJ": complex(0, math.inf),
           "NANJ": complex(0, math.nan), "__builtins__": {}}
    for line in out.splitlines():
        if not line.startswith("CASE "):
            continue
        head, _, rest = line[5:].partition(" ")
        idx = int(head)
        if rest.startswith("ERROR"):
            res[idx] = ("ERROR", rest[6:])
            continue
        parts = rest.split(" | ")
        if len(parts) != 4 or not parts[0].startswith("| "):
            res[idx] = ("ERROR", "unparsable line: " + line)
            continue
        dtype = parts[0][2:].replace("ht.", "")
        shape = eval(parts[1], env)
        split = eval(parts[2], env)
        values = eval(parts[3].replace("infj", "INFJ").replace("nanj", "NANJ"), env)
        res[idx] = (dtype, shape, split, values)
    return res


def compare(c, got):
    if got is None:
        return "no output"
    if got[0] == "ERROR":
        return "raised " + got[1]
    dtype, shape, split, values = got
    errs = []
    if dtype != c.dtype:
        errs.append("dtype %s, want %s" % (dtype, c.dtype))
    if tuple(shape) != c.want.shape:
        errs.append("shape %s, want %s" % (tuple(shape), c.want.shape))
    if split != c.split:
        errs.append("split %s, want %s" % (split, c.split))
    if errs:
        return "; ".join(errs)
    try:
        g = np.array(values, dtype=c.want.dtype).reshape(c.want.shape)
    except (ValueError, TypeError) as e:
        return "values do not convert: %s" % e
    w = c.want
    if KIND[c.dtype] <= 1:
        bad = g != w
    else:
        rtol = TOL[c.dtype]
        g64, w64 = g.astype(np.complex128), w.astype(np.complex128)
        both_nan = np.isnan(g64) & np.isnan(w64)
        same_inf = (g64 == w64)
        with np.errstate(all="ignore"):
            close = np.abs(g64 - w64) <= rtol * (np.abs(w64) + c.scale)
        bad = ~(both_nan | same_inf | close)
    if np.any(bad):
        k = np.argwhere(np.asarray(bad).reshape(w.shape if w.ndim else (1,)))[0]
        gi = g.reshape(-1)[0] if w.ndim == 0 else g[tuple(k)]
        wi = w.reshape(-1)[0] if w.ndim == 0 else w[tuple(k)]
        return "%d value(s) differ, first at %s: got %r, want %r" % (
            int(np.sum(bad)), tuple(int(i) for i in k), gi.item(), wi.item())
    return None


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    if not os.path.isabs(build):
        build = os.path.join(ROOT, build)
    ha = os.path.join(build, "ha")
    cases = generate()
    tmpdir = tempfile.mkdtemp(prefix="ha-diff.")
    prog = os.path.join(tmpdir, "numpy_diff.ha")
    with open(prog, "w") as f:
        f.write(program(cases))
    passed = failed = 0
    for p in RANKS:
        cmd = ["sh", os.path.join(ROOT, "tests", "mpirun.sh"), "-n", str(p), ha, prog]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=300)
            out = proc.stdout
            if proc.returncode != 0:
                print("ha -n %d exited with status %d:\n%s" % (p, proc.returncode, proc.stderr[-2000:]))
        except subprocess.TimeoutExpired:
            out = ""
            print("ha -n %d timed out" % p)
        got = parse(out)
        for c in cases:
            msg = compare(c, got.get(c.idx))
            if msg is None:
                passed += 1
            else:
                failed += 1
                print("FAIL -n %d case %d: %s\n    %s\n    %s" % (p, c.idx, c.desc, msg,
                      c.src if len(c.src) < 240 else c.src[:240] + " ..."))
    os.remove(prog)
    os.rmdir(tmpdir)
    kinds = {}
    for c in cases:
        k = c.desc.split()[0] if c.desc.split()[0] in UNARY or c.desc.split()[0] in REDUCE else "binary"
        kinds[k] = kinds.get(k, 0) + 1
    print("numpy_diff: %d cases x ranks %s (seed %d)" % (len(cases), ",".join(map(str, RANKS)), SEED))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
