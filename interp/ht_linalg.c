/*
** ht_linalg.c — linear algebra in the language: matmul (and the @
** operator, which array.c sends here by name), dot, vdot, vecdot, inner,
** outer, cross, kron, trace, tril, triu, norm, vector_norm, matrix_norm,
** projection.  Registered into the heat module, the ht.linalg submodule and
** the builtins.  The runtime (runtime/linalg/) does the work; these
** wrappers convert arguments and say in their docstrings what moves.
*/
#include <math.h>
#include <string.h>

#include "ht_internal.h"

/* Two array-like operands (lists and numbers become replicated arrays). */
static int two(hi_val x, hi_val y, ha_array **a, ha_array **b)
{
	*a = hi_as_array(x, -1, NULL);
	if (!*a)
		return -1;
	*b = hi_as_array(y, -1, (*a)->comm);
	if (!*b) {
		ha_release(*a);
		return -1;
	}
	return 0;
}

typedef ha_array *(*binfn)(const ha_array *, const ha_array *);

static hi_val apply2(hi_val x, hi_val y, binfn f)
{
	ha_array *a, *b;
	if (two(x, y, &a, &b))
		return hi_err();
	ha_array *r = f(a, b);
	ha_release(a);
	ha_release(b);
	return hi_array_new(r);
}

static int opt_int(hi_val v, int64_t dflt, int64_t *out, const char *what)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	return hi_as_int64(v, out, what);
}

static int opt_flag(hi_val v, int *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = 0;
		return 0;
	}
	*out = hi_truthy(v);
	return *out < 0 ? -1 : 0;
}

static hi_val f_matmul(hi_val *a, void *ctx) { (void)ctx; return apply2(a[0], a[1], ha_matmul); }
static hi_val f_vdot(hi_val *a, void *ctx) { (void)ctx; return apply2(a[0], a[1], ha_vdot); }
static hi_val f_inner(hi_val *a, void *ctx) { (void)ctx; return apply2(a[0], a[1], ha_inner); }
static hi_val f_kron(hi_val *a, void *ctx) { (void)ctx; return apply2(a[0], a[1], ha_kron); }
static hi_val f_projection(hi_val *a, void *ctx) { (void)ctx; return apply2(a[0], a[1], ha_projection); }

/* dot(a, b, out=None): Heat returns a Python scalar for two vectors. */
static hi_val f_dot(hi_val *a, void *ctx)
{
	(void)ctx;
	if (!hi_isabsent(a[2]) && a[2].kind != HI_NONE) {
		if (a[2].kind != HI_ARRAY)
			return hi_raise(hi_TypeError, "out must be a DNDarray, not '%s'", hi_type_name(a[2]));
		hi_val r = apply2(a[0], a[1], ha_dot);
		if (hi_iserr(r))
			return r;
		hi_val key = hi_tuple_new(0);
		int rc = hi_iserr(key) ? -1 : hi_array_setitem(a[2], key, r);
		hi_decref(key);
		hi_decref(r);
		return rc ? hi_err() : hi_incref(a[2]);
	}
	return apply2(a[0], a[1], ha_dot);
}

/* outer(a, b, out=None, split=None) */
static hi_val f_outer(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x, *y;
	if (two(a[0], a[1], &x, &y))
		return hi_err();
	ha_array *r = ha_outer(x, y);
	ha_release(x);
	ha_release(y);
	if (r && !hi_isabsent(a[3]) && a[3].kind != HI_NONE) {
		int s;
		if (hi_get_split(a[3], 2, &s)) {
			ha_release(r);
			return hi_err();
		}
		if (ha_resplit_(r, s)) {
			ha_release(r);
			r = NULL;
		}
	}
	hi_val v = hi_array_new(r);
	if (hi_iserr(v) || hi_isabsent(a[2]) || a[2].kind == HI_NONE)
		return v;
	hi_val key = hi_tuple_new(0);
	int rc = hi_iserr(key) ? -1 : hi_array_setitem(a[2], key, v);
	hi_decref(key);
	hi_decref(v);
	return rc ? hi_err() : hi_incref(a[2]);
}

/* vecdot(x1, x2, axis=-1, keepdims=False) */
static hi_val f_vecdot(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t axis;
	int keep;
	if (opt_int(a[2], -1, &axis, "axis") || opt_flag(a[3], &keep))
		return hi_err();
	ha_array *x, *y;
	if (two(a[0], a[1], &x, &y))
		return hi_err();
	ha_array *r = ha_vecdot(x, y, (int)axis, keep);
	ha_release(x);
	ha_release(y);
	return hi_array_new(r);
}

/* cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None) */
static hi_val f_cross(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t axa, axb, axc;
	if (opt_int(a[2], -1, &axa, "axisa") || opt_int(a[3], -1, &axb, "axisb") || opt_int(a[4], -1, &axc, "axisc"))
		return hi_err();
	if (!hi_isabsent(a[5]) && a[5].kind != HI_NONE) {
		if (hi_as_int64(a[5], &axa, "axis"))
			return hi_err();
		axb = axc = axa;
	}
	ha_array *x, *y;
	if (two(a[0], a[1], &x, &y))
		return hi_err();
	ha_array *r = ha_cross(x, y, (int)axa, (int)axb);
	ha_release(x);
	ha_release(y);
	if (r && r->ndim > 0 && axc != -1 && axc != r->ndim - 1) {
		if (axc < -r->ndim || axc >= r->ndim) {
			ha_release(r);
			return hi_raise(hi_ValueError, "cross: axisc %lld out of bounds", (long long)axc);
		}
		int c = (int)(axc < 0 ? axc + r->ndim : axc), perm[HA_MAXDIM], np = 0;
		for (int d = 0; d < r->ndim - 1; d++) {
			if (np == c)
				perm[np++] = r->ndim - 1;
			perm[np++] = d;
		}
		if (np < r->ndim)
			perm[np++] = r->ndim - 1;
		ha_array *t = ha_transpose(r, perm);
		ha_release(r);
		r = t;
	}
	return hi_array_new(r);
}

/* trace(a, offset=0): a Python number (Heat returns one for 2-D input). */
static hi_val f_trace(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t off;
	if (opt_int(a[1], 0, &off, "offset"))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_trace(x, off);
	ha_release(x);
	if (!r)
		return hi_raise_ha();
	ha_scalar s = ha_scalar_load(r->dtype, r->data);
	ha_release(r);
	return hi_scalar_to_val(s);
}

static hi_val tri(hi_val *a, int upper)
{
	int64_t k;
	if (opt_int(a[1], 0, &k, "k"))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = upper ? ha_triu(x, k) : ha_tril(x, k);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_tril(hi_val *a, void *ctx) { (void)ctx; return tri(a, 0); }
static hi_val f_triu(hi_val *a, void *ctx) { (void)ctx; return tri(a, 1); }

/* ---- norms ---- */

/* axis: None, an int or a tuple of ints -> (naxes, axes); naxes -1: None. */
static int norm_axes(hi_val v, int ndim, int *naxes, int *axes)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*naxes = -1;
		return 0;
	}
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*naxes = 1;
		return hi_get_axis(v, ndim, &axes[0]);
	}
	if (v.kind == HI_TUPLE || v.kind == HI_LIST) {
		size_t n = v.kind == HI_TUPLE ? hi_as_tuple(v)->len : hi_as_list(v)->len;
		hi_val *it = v.kind == HI_TUPLE ? hi_as_tuple(v)->items : hi_as_list(v)->items;
		if (n > HA_MAXDIM)
			return hi_raisei(hi_ValueError, "too many axes");
		for (size_t i = 0; i < n; i++)
			if (hi_get_axis(it[i], ndim, &axes[i]))
				return -1;
		*naxes = (int)n;
		return 0;
	}
	return hi_raisei(hi_TypeError, "axis must be None, an int or a tuple of ints, not '%s'", hi_type_name(v));
}

/* ord for matrices: 'fro', 'nuc' or a number. */
static int matrix_ord(hi_val v, char *kind, double *ord)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*kind = 'f';
		return 0;
	}
	if (v.kind == HI_STR) {
		const char *s = hi_as_str(v)->s;
		if (!strcmp(s, "fro") || !strcmp(s, "f")) {
			*kind = 'f';
			return 0;
		}
		if (!strcmp(s, "nuc")) {
			*kind = 'n';
			return 0;
		}
		return hi_raisei(hi_ValueError, "Invalid norm order '%s' for matrices", s);
	}
	*kind = 'o';
	return hi_as_double(v, ord, "ord");
}

static int vector_ord(hi_val v, double dflt, double *ord)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*ord = dflt;
		return 0;
	}
	if (v.kind == HI_STR)
		return hi_raisei(hi_ValueError, "Invalid norm order '%s' for vectors", hi_as_str(v)->s);
	return hi_as_double(v, ord, "ord");
}

/* vector_norm(x, axis=None, keepdims=False, ord=2) */
static hi_val f_vector_norm(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	int naxes, axes[HA_MAXDIM], keep;
	double ord;
	hi_val r;
	if (norm_axes(a[1], x->ndim, &naxes, axes) || opt_flag(a[2], &keep) || vector_ord(a[3], 2, &ord))
		r = hi_err();
	else
		r = hi_array_new(ha_vector_norm(x, ord, naxes, axes, keep));
	ha_release(x);
	return r;
}

/* matrix_norm(x, axis=None (= (-2, -1)), keepdims=False, ord='fro') */
static hi_val f_matrix_norm(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	int naxes, axes[HA_MAXDIM], keep;
	char kind;
	double ord = 0;
	hi_val r;
	if (norm_axes(a[1], x->ndim, &naxes, axes) || opt_flag(a[2], &keep) || matrix_ord(a[3], &kind, &ord)) {
		r = hi_err();
	} else if (naxes >= 0 && naxes != 2) {
		r = hi_raise(hi_ValueError, "matrix_norm: axis must be a 2-tuple of ints");
	} else {
		if (naxes < 0) {
			axes[0] = -2;
			axes[1] = -1;
		}
		r = hi_array_new(ha_matrix_norm(x, kind, ord, axes[0], axes[1], keep));
	}
	ha_release(x);
	return r;
}

/* norm(x, axis=None, keepdims=False, ord=None): NumPy's dispatch. */
static hi_val f_norm(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	int naxes, axes[HA_MAXDIM], keep;
	hi_val r;
	if (norm_axes(a[1], x->ndim, &naxes, axes) || opt_flag(a[2], &keep)) {
		r = hi_err();
		goto done;
	}
	int ord_none = hi_isabsent(a[3]) || a[3].kind == HI_NONE;
	if (naxes < 0 && ord_none) {
		/* the 2-norm of the flattened array */
		r = hi_array_new(ha_vector_norm(x, 2, -1, NULL, keep));
	} else if (naxes == 1 || (naxes < 0 && x->ndim == 1)) {
		double ord;
		if (vector_ord(a[3], 2, &ord)) {
			r = hi_err();
			goto done;
		}
		r = hi_array_new(ha_vector_norm(x, ord, naxes < 0 ? -1 : 1, axes, keep));
	} else if (naxes == 2 || (naxes < 0 && x->ndim == 2)) {
		char kind;
		double ord = 0;
		if (matrix_ord(a[3], &kind, &ord)) {
			r = hi_err();
			goto done;
		}
		if (naxes < 0) {
			axes[0] = 0;
			axes[1] = 1;
		}
		r = hi_array_new(ha_matrix_norm(x, kind, ord, axes[0], axes[1], keep));
	} else {
		r = hi_raise(hi_ValueError, "Improper number of dimensions to norm.");
	}
done:
	ha_release(x);
	return r;
}

#define TWO_OPS \
	"a, b : DNDarray or array-like\n    The operands (lists and numbers become replicated arrays).\n"

static const hi_builtin_def linalg_defs[] = {
	{ "matmul(a, b)", f_matmul,
	  "Matrix product of two arrays (also the ``@`` operator), NumPy's rules:\n"
	  "1-D operands become a row (left) or column (right) vector and that axis is\n"
	  "removed again; more than two dimensions are stacks of matrices whose batch\n"
	  "dimensions broadcast. dtype: promote_types(a.dtype, b.dtype); float and\n"
	  "complex products run in BLIS, integer ones in a blocked loop.\n\n"
	  "Parameters\n----------\n" TWO_OPS "\n"
	  "Collective. Result split by (a.split, b.split) for 2-D operands:\n"
	  "  None/None -> None   local, nothing communicated\n"
	  "  0/None -> 0, None/1 -> 1   local, nothing communicated\n"
	  "  0/0, 0/1, None/0 -> 0   ring: b's chunks pass rank to rank (P-1\n"
	  "      non-blocking exchanges, each overlapped with a local GEMM)\n"
	  "  1/1, 1/None -> 1   ring of a's column chunks\n"
	  "  1/0 -> 1   b is resplit to 1 (one Alltoallv), then the 1/1 ring\n"
	  "Memory per rank stays O(n^2 / P). Vector . vector: one Allreduce, result\n"
	  "replicated (0-d). Stacks split on a batch axis keep that split (the other\n"
	  "operand is aligned to it) and multiply locally.\n\n"
	  "Raises ValueError when the core dimensions differ, e.g. \"matmul: Input\n"
	  "operand 1 has a mismatch in its core dimension 0, with gufunc signature\n"
	  "(n?,k),(k,m?)->(n?,m?) (size 5 is different from 4)\".\n\n"
	  "Examples\n--------\n"
	  ">>> a = ht.ones((3, 4), split=0); b = ht.ones((4, 2))\n"
	  ">>> (a @ b).split\n0" },
	{ "dot(a, b, out=None)", f_dot,
	  "Dot product of two arrays (NumPy's dot): scalars multiply, vector . vector\n"
	  "is the inner product (a 0-d replicated array), 2-D operands multiply as\n"
	  "matrices, and N-D . M-D sums over a's last and b's second-to-last axis.\n\n"
	  "Parameters\n----------\n" TWO_OPS
	  "out : DNDarray, optional\n    Array the result is written into.\n\n"
	  "Collective; split and communication as ht.matmul (vector . vector: one\n"
	  "Allreduce; N-D . M-D: reshapes, which may move data with one Alltoallv)." },
	{ "vdot(x1, x2)", f_vdot,
	  "sum(conj(x1.flatten()) * x2.flatten()): a 0-d replicated array.\n\n"
	  "Collective: flattening a split array moves data (Alltoallv), then one\n"
	  "Allreduce of the local dot products. ValueError when the sizes differ." },
	{ "vecdot(x1, x2, axis=-1, keepdims=False)", f_vecdot,
	  "sum(conj(x1) * x2, axis): dot products of vectors along `axis`, with\n"
	  "broadcasting. Split and communication as elementwise operations followed\n"
	  "by a reduction: an Allreduce only when `axis` is the split axis." },
	{ "inner(a, b)", f_inner,
	  "Inner product over the last axes: shape a.shape[:-1] + b.shape[:-1].\n"
	  "Collective: the operands are reshaped to 2-D (a split operand may move\n"
	  "with one Alltoallv) and multiplied with ht.matmul (see its splits)." },
	{ "outer(a, b, out=None, split=None)", f_outer,
	  "Outer product of two vectors (inputs are flattened): out[i, j] = a[i] * b[j].\n\n"
	  "Parameters\n----------\n" TWO_OPS
	  "out : DNDarray, optional\nsplit : None or int, optional\n"
	  "    Split of the result; by default that of the elementwise product: 0 when\n"
	  "    a is split, 1 when only b is, else None.\n\n"
	  "Collective: computed as a broadcast elementwise product, so nothing is\n"
	  "communicated unless a split= different from the default is asked for\n"
	  "(one resplit)." },
	{ "cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None)", f_cross,
	  "Cross product of 3-vectors (or the z component for 2-vectors) along the\n"
	  "given axes, with broadcasting of the other axes; `axis` sets all three.\n\n"
	  "Collective: the operands are aligned like an elementwise operation (the\n"
	  "result keeps a split on a non-vector axis; a split vector axis is moved\n"
	  "to axis 0 with one resplit); the products are local. Computed in double\n"
	  "precision and stored in promote_types(a, b)." },
	{ "kron(a, b)", f_kron,
	  "Kronecker product: blocks a[i, j] * b. Collective: a broadcast elementwise\n"
	  "product followed by a reshape (one Alltoallv when the result is split)." },
	{ "trace(a, offset=0)", f_trace,
	  "Sum along a diagonal of a 2-D array (offset > 0: above the main one), as\n"
	  "a Python number like Heat. Integers and bool sum in int64. Collective:\n"
	  "each rank sums the diagonal elements it holds, then one Allreduce." },
	{ "tril(m, k=0)", f_tril,
	  "Lower triangle of the last two axes: elements above diagonal k are zero.\n"
	  "Local: the result keeps m's split and chunk map; nothing is communicated." },
	{ "triu(m, k=0)", f_triu,
	  "Upper triangle of the last two axes: elements below diagonal k are zero.\n"
	  "Local: the result keeps m's split and chunk map; nothing is communicated." },
	{ "vector_norm(x, axis=None, keepdims=False, ord=2)", f_vector_norm,
	  "Vector norm over `axis` (None: all elements): ord inf = max|x|, -inf =\n"
	  "min|x|, 0 = number of nonzeros, 1 = sum|x|, 2 = sqrt(sum|x|^2), other p =\n"
	  "sum(|x|^p)^(1/p). Real floating result (integers: float32, int64: float64).\n"
	  "Collective: a reduction; one Allreduce when the split axis is reduced,\n"
	  "the result is then replicated." },
	{ "matrix_norm(x, axis=None, keepdims=False, ord='fro')", f_matrix_norm,
	  "Matrix norm over the axes `axis` (default (-2, -1)): 'fro' Frobenius, 1 /\n"
	  "-1 max/min column sum of |x|, inf / -inf max/min row sum, 'nuc' sum of\n"
	  "the singular values, 2 / -2 largest/smallest singular value.\n\n"
	  "Collective: 'fro' and the sums are reductions (an Allreduce when the split\n"
	  "axis is reduced). 'nuc' and +-2 need singular values: the (2-D only)\n"
	  "matrix is gathered to every rank (Allgatherv), rank 0 runs LAPACK's\n"
	  "?gesdd and broadcasts the result; meant for small matrices." },
	{ "norm(x, axis=None, keepdims=False, ord=None)", f_norm,
	  "Matrix or vector norm (NumPy's dispatch): with axis and ord None the\n"
	  "2-norm of the flattened array; an int axis (or 1-D x) -> vector_norm;\n"
	  "a 2-tuple axis (or 2-D x) -> matrix_norm. Collective: see those." },
	{ "projection(a, b)", f_projection,
	  "Projection of vector a onto vector b: dot(a, b) / dot(b, b) * b.\n"
	  "Collective: two dot products (an Allreduce each when split) and an\n"
	  "elementwise product; the result has b's split." },
	{ 0 }
};

/* The functions Heat's linalg/basics.py also attaches to DNDarray. */
static const char *const linalg_methods[] = { "dot", "norm", "trace", "tril", "triu", NULL };

static const hi_builtin_def matmul_method[] = {
	{ "__matmul__(self, other)", f_matmul,
	  "x.__matmul__(y) is x @ y: ht.matmul(x, y) (see its splits and\n"
	  "communication)." },
	{ 0 }
};

void hi_init_ht_linalg(hi_val linalg_module)
{
	hi_ht_register(linalg_defs, 0);
	hi_ht_register_into(linalg_module, linalg_defs);
	hi_ht_mirror(linalg_defs, linalg_methods);
	hi_register_methods(HI_ARRAY, matmul_method);
}
