/*
** ha_ops.h — elementwise operations, broadcasting, reductions and scans on
** distributed arrays (runtime/elementwise.c, runtime/reduce.c,
** runtime/scan.c).  Included by ha.h; do not include directly.
**
** Distribution rules (Heat's, plus what LANGUAGE.md asks for):
**   - Broadcasting is NumPy's; missing leading dimensions shift the split.
**   - The result's split and chunk map come from the DOMINANT operand: the
**     first operand that is split and not broadcast along its split axis,
**     else the first split operand (then the result is balanced along that
**     axis).  The result is as balanced as the dominant operand.
**   - Every other operand is aligned to the result's local block: a
**     replicated one is sliced locally (no communication); one split along
**     the same axis with another chunk map is redistributed (one Alltoallv,
**     "redistribute"); one split along a DIFFERENT axis is resplit to the
**     result's axis (one Alltoallv, "resplit"); an operand with extent 1
**     along the result's split axis (broadcast there) is gathered
**     (one Allgatherv) when it is split, else used whole.
**   - Errors (shapes, dtypes, devices) are decided from replicated
**     metadata, so every rank raises the same error.
** Dtypes: Heat's result_type (Python scalars are weak: int32 array + 3 is
** int32, + 1.5 is float32, int8 + 1000 wraps in int8); true division of
** integers gives float32; float functions of integers use
** promote_types(x, float32); floor/ceil/trunc/round/sign of integers give
** float32; comparisons and predicates give bool.  Integer // and % by zero
** give 0 (no signal), and INT_MIN // -1 wraps.
*/
#ifndef HA_OPS_H
#define HA_OPS_H

/* Binary operations (same order as kernels/cpu/ops_list.h). */
typedef enum ha_binop {
	HA_ADD, HA_SUB, HA_MUL, HA_TRUEDIV, HA_FLOORDIV, HA_MOD, HA_FMOD, HA_POW,
	HA_EQ, HA_NE, HA_LT, HA_LE, HA_GT, HA_GE,
	HA_LOGICAL_AND, HA_LOGICAL_OR, HA_LOGICAL_XOR,
	HA_BITWISE_AND, HA_BITWISE_OR, HA_BITWISE_XOR, HA_LEFT_SHIFT, HA_RIGHT_SHIFT,
	HA_MAXIMUM, HA_MINIMUM, HA_FMAX, HA_FMIN,
	HA_ARCTAN2, HA_HYPOT, HA_COPYSIGN, HA_LOGADDEXP, HA_LOGADDEXP2,
	HA_ISCLOSE_OP,          /* internal: use ha_isclose() */
	HA_GCD, HA_LCM,         /* integers only; |results| as NumPy, wrapping like it */
	HA_NBINOPS
} ha_binop;
#define HA_REMAINDER HA_MOD

/* Unary operations (same order as kernels/cpu/ops_list.h). */
typedef enum ha_unop {
	HA_NEGATIVE, HA_POSITIVE, HA_ABS, HA_SQRT, HA_CBRT, HA_SQUARE,
	HA_EXP, HA_EXPM1, HA_EXP2, HA_LOG, HA_LOG2, HA_LOG10, HA_LOG1P,
	HA_SIN, HA_COS, HA_TAN, HA_ARCSIN, HA_ARCCOS, HA_ARCTAN,
	HA_SINH, HA_COSH, HA_TANH, HA_ARCSINH, HA_ARCCOSH, HA_ARCTANH,
	HA_DEG2RAD, HA_RAD2DEG, HA_FLOOR, HA_CEIL, HA_TRUNC, HA_ROUND, HA_FIX, HA_SIGN,
	HA_ISNAN, HA_ISINF, HA_ISFINITE, HA_ISPOSINF, HA_ISNEGINF, HA_SIGNBIT,
	HA_LOGICAL_NOT, HA_INVERT, HA_REAL, HA_IMAG, HA_CONJ, HA_ANGLE,
	HA_NAN_TO_NUM_OP,       /* internal: use ha_nan_to_num() */
	HA_COPY_OP,             /* internal: elementwise copy */
	HA_NUNOPS
} ha_unop;
#define HA_BITWISE_NOT HA_INVERT

const char *ha_binop_name(int op);     /* "add", "floor_divide", ... */
const char *ha_unop_name(int op);      /* "negative", "sqrt", ... */

/* NumPy broadcasting of two shapes into out (HA_MAXDIM entries).  ValueError
** "operands could not be broadcast together with shapes (3, 4) (5,)".
** Not collective. */
int ha_broadcast_shapes(int na, const int64_t *sa, int nb, const int64_t *sb,
                        int *nout, int64_t *out);

/* ---- elementwise (collective; see the distribution rules above) ---- */
ha_array *ha_binary(int op, const ha_array *a, const ha_array *b);
/* `s` is a Python scalar (weakly typed); scalar_on_left computes s OP a. */
ha_array *ha_binary_scalar(int op, const ha_array *a, ha_scalar s, int scalar_on_left);
/* In place (a OP= b): a keeps its dtype, shape, split and chunk map.
** TypeError when the result dtype does not cast same-kind to a's dtype
** (int32 += 1.5); ValueError when broadcasting would change a's shape. */
int ha_binary_inplace(int op, ha_array *a, const ha_array *b);
int ha_binary_scalar_inplace(int op, ha_array *a, ha_scalar s);
ha_array *ha_unary(int op, const ha_array *a);
int ha_unary_inplace(int op, ha_array *a);           /* result must cast same-kind to a */
/* round half to even with `decimals` (NumPy: rint(x * 10**d) / 10**d);
** integers give float32 like Heat. */
ha_array *ha_round(const ha_array *a, int decimals);
/* where(cond, x, y): cond is converted to bool; dtype = result_type(x, y);
** the dominant operand is searched in the order cond, x, y. */
ha_array *ha_where(const ha_array *cond, const ha_array *x, const ha_array *y);
/* clip(a, lo, hi) = minimum(maximum(a, lo), hi); NULL = None (not both). */
ha_array *ha_clip(const ha_array *a, const ha_array *lo, const ha_array *hi);
ha_array *ha_clip_scalar(const ha_array *a, const ha_scalar *lo, const ha_scalar *hi);
/* |a - b| <= atol + rtol * |b| (NumPy defaults rtol 1e-5, atol 1e-8). */
ha_array *ha_isclose(const ha_array *a, const ha_array *b, double rtol, double atol, int equal_nan);
/* 1/0 in *out, identical on every rank (one Allreduce "allclose" when
** the compared arrays are distributed); -1 on error. */
int ha_allclose(const ha_array *a, const ha_array *b, double rtol, double atol, int equal_nan,
                int *out);
/* NaN -> nan, +inf -> *posinf (NULL: the dtype's largest finite), -inf ->
** *neginf (NULL: the most negative finite); other dtypes are copied. */
ha_array *ha_nan_to_num(const ha_array *a, double nan, const double *posinf,
                        const double *neginf);

/* ---- reductions (collective) ----
** axes: naxes < 0 means axis=None (all axes); negative axes count from
** the end; an axis out of range raises ValueError "axis 2 is out of bounds
** for array of dimension 2".  Local reduction first, then ONE collective
** when the split axis is reduced ("sum", "max", ... as the counter name).
** Result split: None when the split axis is reduced (or a is replicated),
** otherwise a's split minus the reduced axes below it (unchanged with
** keepdims); the chunk map is a's.  Result dtypes: sum/prod of bool and
** integers -> int64, min/max keep the dtype, all/any -> bool,
** count_nonzero -> int64, mean/var/std of integers -> promote_types(x,
** float32) (int32 -> float32, int64 -> float64). */
typedef enum ha_redop {
	HA_RSUM, HA_RPROD, HA_RMIN, HA_RMAX, HA_RALL, HA_RANY, HA_RCOUNT_NONZERO,
	HA_RMEAN, HA_RVAR, HA_RSTD, HA_RARGMIN, HA_RARGMAX,
	HA_NREDOPS
} ha_redop;
const char *ha_redop_name(int op);
ha_array *ha_reduce(int op, const ha_array *a, int naxes, const int *axes, int keepdims);
/* var/std with ddof (sum of squared deviations / (N - ddof)); complex
** input gives var(real) + var(imag) in the real dtype.  The split
** case merges per-rank (n, mean, M2) with the parallel-moment formulas
** after one Allgatherv of 2 doubles per output element and rank. */
ha_array *ha_var(const ha_array *a, int naxes, const int *axes, double ddof, int keepdims);
ha_array *ha_std(const ha_array *a, int naxes, const int *axes, double ddof, int keepdims);
/* argmin/argmax -> int64; axis HA_AXIS_NONE = index into the flattened
** array.  Ties go to the smaller index, NaN counts as the extreme.  Along
** the split axis: one Allgatherv of (value, global index) per output
** element and rank.  ValueError on an empty array. */
#define HA_AXIS_NONE (-1000)
ha_array *ha_argreduce(int op, const ha_array *a, int axis, int keepdims);

/* cumsum / cumprod along axis (HA_AXIS_NONE: of the flattened array);
** dtype -1 = default (bool/integers -> int64, others keep).  The result
** keeps a's split and chunk map; along the split axis: local scan plus
** ONE Exscan ("cumsum"/"cumprod") of each rank's last slice. */
ha_array *ha_cumsum(const ha_array *a, int axis, int dtype);
ha_array *ha_cumprod(const ha_array *a, int axis, int dtype);

/* ---- kernel tables ----
** Each device has one table (kernels/cpu/hk.h, struct hk_table); the CPU
** table always exists.  A GPU backend registers its table at start-up. */
struct hk_table;
const struct hk_table *ha_kernels(ha_device dev);     /* NULL when none */
void ha_kernels_register(ha_devkind kind, const struct hk_table *t);

#endif
