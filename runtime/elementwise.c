/*
** elementwise.c — elementwise operations on distributed arrays: result
** dtypes, NumPy broadcasting, split alignment, and dispatch to the kernel
** table of the arrays' device.
**
** An operation is planned from replicated metadata only (shapes, splits,
** chunk maps, dtypes), so every rank raises the same errors.  The result
** takes the split and chunk map of the dominant operand (see ha_ops.h);
** the other operands are brought to the result's local block, in the
** cheapest way: a replicated operand is addressed in place through
** strides (a slice costs nothing), a differently distributed one is
** redistributed or resplit once.  The kernel loop is looked up once per
** call and driven over the local block by the table's `run`, which
** converts mixed dtypes block by block instead of making temporaries.
*/
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <stdbool.h>
#include "ha.h"
#include "ops_internal.h"

_Static_assert((int)HA_NDTYPES == (int)HK_NDTYPES, "dtype order");
_Static_assert((int)HA_COMPLEX128 == (int)HK_COMPLEX128, "dtype order");
_Static_assert((int)HA_NBINOPS == (int)HK_NBINARY, "binary op list");
_Static_assert((int)HA_ISCLOSE_OP == (int)HK_ISCLOSE, "binary op list");
_Static_assert((int)HA_GCD == (int)HK_GCD, "binary op list");
_Static_assert((int)HA_ARCTAN2 == (int)HK_ARCTAN2, "binary op list");
_Static_assert((int)HA_LOGICAL_AND == (int)HK_LAND, "binary op list");
_Static_assert((int)HA_MAXIMUM == (int)HK_MAXIMUM, "binary op list");
_Static_assert((int)HA_NUNOPS == (int)HK_NUNARY, "unary op list");
_Static_assert((int)HA_LOGICAL_NOT == (int)HK_LNOT, "unary op list");
_Static_assert((int)HA_FLOOR == (int)HK_FLOOR, "unary op list");
_Static_assert((int)HA_COPY_OP == (int)HK_COPY, "unary op list");

#define NAME_(ID, name, rule) name,
#define RULE_(ID, name, rule) rule,
static const char *const bin_names[] = { HK_BINARY_OPS(NAME_) };
static const int bin_rules[] = { HK_BINARY_OPS(RULE_) };
static const char *const un_names[] = { HK_UNARY_OPS(NAME_) };
static const int un_rules[] = { HK_UNARY_OPS(RULE_) };

const char *ha_binop_name(int op)
{
	return (op >= 0 && op < HA_NBINOPS) ? bin_names[op] : "?";
}

const char *ha_unop_name(int op)
{
	return (op >= 0 && op < HA_NUNOPS) ? un_names[op] : "?";
}

/* ---- kernel tables ---- */
static const hk_table *tables[2] = { &hk_cpu_table, NULL };

const struct hk_table *ha_kernels(ha_device dev)
{
	return ((unsigned)dev.kind < 2) ? tables[dev.kind] : NULL;
}

void ha_kernels_register(ha_devkind kind, const struct hk_table *t)
{
	if ((unsigned)kind < 2 && kind != HA_CPU)
		tables[kind] = t;
}

const hk_table *ha__table(ha_device dev)
{
	const hk_table *t = ha_kernels(dev);
	if (!t) {
		char b[32];
		ha_error_set(HA_ERUNTIME, "no kernels are available for device %s",
		             ha_device_str(dev, b, sizeof b));
	}
	return t;
}

const char *ha__shape_str(int ndim, const int64_t *shape, char *buf, size_t n)
{
	size_t k = 0;
	k += (size_t)snprintf(buf + k, n - k, "(");
	for (int d = 0; d < ndim && k < n; d++)
		k += (size_t)snprintf(buf + k, n - k, d ? ", %lld" : "%lld", (long long)shape[d]);
	if (k < n)
		snprintf(buf + k, n - k, ndim == 1 ? ",)" : ")");
	return buf;
}

void ha__gather_local(const hk_table *t, int dt, void *dst, int ndim, const int64_t *shape,
                      const hk_operand *src)
{
	hk_operand ops[2];
	int ldt[2] = { dt, dt };
	ops[0].ptr = dst;
	ops[0].dtype = dt;
	ha__cstrides(ndim, shape, ops[0].stride);
	ops[1] = *src;
	t->run(t, t->unary[HK_COPY][dt], ldt, NULL, 2, ndim, shape, ops);
}

/* ---- broadcasting ---- */
static int broadcast_n(int n, const ha_array *const *in, int *nout, int64_t *out)
{
	int nd = 0;
	for (int k = 0; k < n; k++)
		if (in[k] && in[k]->ndim > nd)
			nd = in[k]->ndim;
	for (int d = 0; d < nd; d++)
		out[d] = 1;
	for (int k = 0; k < n; k++) {
		if (!in[k])
			continue;
		int shift = nd - in[k]->ndim;
		for (int d = 0; d < in[k]->ndim; d++) {
			int64_t e = in[k]->gshape[d], *o = &out[d + shift];
			if (e == *o || e == 1)
				continue;
			if (*o == 1) {
				*o = e;
				continue;
			}
			char msg[512], sb[200];
			size_t len = 0;
			len += (size_t)snprintf(msg, sizeof msg, "operands could not be broadcast together with shapes");
			for (int j = 0; j < n && len < sizeof msg; j++)
				if (in[j])
					len += (size_t)snprintf(msg + len, sizeof msg - len, " %s",
					                        ha__shape_str(in[j]->ndim, in[j]->gshape, sb, sizeof sb));
			ha_error_set(HA_EVALUE, "%s", msg);
			return -1;
		}
	}
	*nout = nd;
	return 0;
}

int ha_broadcast_shapes(int na, const int64_t *sa, int nb, const int64_t *sb,
                        int *nout, int64_t *out)
{
	ha_array x, y;
	const ha_array *in[2] = { &x, &y };
	if (na < 0 || na > HA_MAXDIM || nb < 0 || nb > HA_MAXDIM)
		return ha_error_set(HA_EVALUE, "number of dimensions is out of range (at most %d)", HA_MAXDIM);
	x.ndim = na;
	y.ndim = nb;
	memcpy(x.gshape, sa, sizeof(int64_t) * (size_t)na);
	memcpy(y.gshape, sb, sizeof(int64_t) * (size_t)nb);
	return broadcast_n(2, in, nout, out);
}

static int check_devices(int n, const ha_array *const *in)
{
	const ha_array *first = NULL;
	for (int k = 0; k < n; k++) {
		if (!in[k])
			continue;
		if (!first) {
			first = in[k];
			continue;
		}
		if (in[k]->device.kind != first->device.kind || in[k]->device.id != first->device.id) {
			char b1[32], b2[32];
			ha_device d1 = first->device, d2 = in[k]->device;
			if (d2.kind == HA_CPU) {        /* name cpu first, like torch */
				ha_device t = d1;
				d1 = d2;
				d2 = t;
			}
			return ha_error_set(HA_ERUNTIME,
			        "Expected all tensors to be on the same device, but found at least two devices, %s and %s!",
			        ha_device_str(d1, b1, sizeof b1), ha_device_str(d2, b2, sizeof b2));
		}
	}
	return 0;
}

/* ---- split alignment ---- */

/* The dominant operand: split and not broadcast along its split axis
** (first such), else the first split operand.  Returns its index or -1;
** *split receives the result's split axis. */
static int dominant(int n, const ha_array *const *in, int nd, const int64_t *shape, int *split)
{
	int first = -1;
	*split = -1;
	for (int k = 0; k < n; k++) {
		const ha_array *x = in[k];
		if (!x || x->split < 0)
			continue;
		int s = x->split + nd - x->ndim;
		if (x->gshape[x->split] == shape[s]) {
			*split = s;
			return k;
		}
		if (first < 0)
			first = k;
	}
	if (first >= 0)
		*split = in[first]->split + nd - in[first]->ndim;
	return first;
}

static int same_lmap(const int64_t *a, const int64_t *b, int p)
{
	for (int r = 0; r < p; r++)
		if (a[r] != b[r])
			return 0;
	return 1;
}

/* Describe x as an operand over out's local block, in out's dimensions
** (broadcast dimensions get stride 0).  *tmp receives a redistributed or
** resplit copy when x's distribution does not match (release it after). */
static int align(const ha_array *x, const ha_array *out, ha_array **tmp, hk_operand *op)
{
	int nd = out->ndim, shift = nd - x->ndim, s = out->split;
	int xdim = s >= 0 ? s - shift : -1;
	int bcast = s >= 0 && (xdim < 0 || (x->gshape[xdim] == 1 && out->gshape[s] != 1));
	const ha_array *src = x;
	*tmp = NULL;
	if (s < 0 && x->split >= 0 && x->comm->size > 1) {
		/* only for in-place into a replicated array */
		if (!(*tmp = ha_resplit(x, HA_SPLIT_NONE)))
			return -1;
		src = *tmp;
	} else if (s >= 0 && x->split >= 0 && x->comm->size > 1) {
		int p = x->comm->size;
		if (bcast)
			*tmp = ha_resplit(x, HA_SPLIT_NONE);
		else if (x->split == xdim) {
			if (same_lmap(x->lmap, out->lmap, p))
				goto direct;
			*tmp = ha_redistribute(x, out->lmap);
		} else {
			*tmp = ha_resplit(x, xdim);
			if (*tmp && !same_lmap((*tmp)->lmap, out->lmap, p)) {
				ha_array *r = ha_redistribute(*tmp, out->lmap);
				ha_release(*tmp);
				*tmp = r;
			}
		}
		if (!*tmp)
			return -1;
		src = *tmp;
	}
direct:;
	int64_t cst[HA_MAXDIM];
	ha__cstrides(src->ndim, src->lshape, cst);
	char *ptr = src->data;
	for (int d = 0; d < nd; d++) {
		int xd = d - shift;
		if (xd < 0 || (src->gshape[xd] == 1 && out->gshape[d] != 1))
			op->stride[d] = 0;
		else
			op->stride[d] = cst[xd];
	}
	/* a whole (replicated) operand under a split result: slice locally */
	if (s >= 0 && !bcast && (src->split < 0 || src->comm->size == 1) && out->comm->size > 1)
		ptr += out->loffset * cst[xdim] * (int64_t)ha_dtype_size(src->dtype);
	op->ptr = ptr;
	op->dtype = (int)src->dtype;
	return 0;
}

/* ---- result types ---- */
static ha_dtype scalar_dtype(const ha_scalar *s)
{
	switch (s->kind) {
	case HA_SCALAR_BOOL: return HA_BOOL;
	case HA_SCALAR_INT: return HA_INT32;
	case HA_SCALAR_FLOAT: return HA_FLOAT32;
	default: return HA_COMPLEX64;
	}
}

static int is_intlike(ha_dtype t)
{
	return t == HA_BOOL || ha_dtype_is_int(t);
}

static int unsupported2(const char *name, ha_dtype a, ha_dtype b)
{
	return ha_error_set(HA_ETYPE, "ufunc '%s' not supported for the input types %s and %s",
	                    name, ha_dtype_name(a), ha_dtype_name(b));
}

/* Compute (ct) and output (ot) dtypes of a binary op whose operands
** promote to rt; -1 with TypeError when the op is undefined there. */
static int binary_types(const hk_table *t, int op, ha_dtype da, ha_dtype db, ha_dtype rt,
                        ha_dtype *ct, ha_dtype *ot)
{
	ha_dtype c = rt;
	switch (bin_rules[op]) {
	case HK_RULE_TRUEDIV:
		if (is_intlike(rt))
			c = HA_FLOAT32;
		break;
	case HK_RULE_FLOAT:
		if (is_intlike(rt))
			c = ha_promote_types(rt, HA_FLOAT32);
		break;
	case HK_RULE_INT:
		/* NumPy has no bool loop for gcd/lcm (the bitwise ops have one) */
		if (!is_intlike(rt) || (rt == HA_BOOL && (op == HA_GCD || op == HA_LCM)))
			return unsupported2(bin_names[op], da, db);
		break;
	default:
		break;
	}
	if (c == HA_BOOL && !t->binary[op][HA_BOOL]) {
		if (op == HA_SUB)
			return ha_error_set(HA_ETYPE, "boolean subtract, the `-` operator, is not supported, "
			                    "use the bitwise_xor, the `^` operator, or the logical_xor function instead");
		c = HA_INT8;      /* NumPy computes the other bool arithmetic in int8 */
	}
	if (!t->binary[op][c])
		return unsupported2(bin_names[op], da, db);
	*ct = c;
	*ot = bin_rules[op] == HK_RULE_BOOL ? HA_BOOL : c;
	return 0;
}

static int unary_types(const hk_table *t, int op, ha_dtype a, ha_dtype *ct, ha_dtype *ot)
{
	ha_dtype c = a;
	switch (un_rules[op]) {
	case HK_RULE_FLOAT:
		if (is_intlike(a))
			c = ha_promote_types(a, HA_FLOAT32);
		break;
	case HK_RULE_ROUND:
		if (is_intlike(a))
			c = HA_FLOAT32;
		break;
	case HK_RULE_INT:
		if (!is_intlike(a))
			goto bad;
		break;
	case HK_RULE_REAL:
		if (op == HA_ANGLE && is_intlike(a))
			c = ha_promote_types(a, HA_FLOAT32);
		break;
	default:
		break;
	}
	if (c == HA_BOOL && !t->unary[op][HA_BOOL]) {
		if (op == HA_NEGATIVE)
			return ha_error_set(HA_ETYPE, "boolean negative, the `-` operator, is not supported, "
			                    "use the `~` operator or the logical_not function instead");
		c = HA_INT8;
	}
	if (!t->unary[op][c])
		goto bad;
	*ct = c;
	if (un_rules[op] == HK_RULE_PRED)
		*ot = HA_BOOL;
	else if (un_rules[op] == HK_RULE_REAL)
		*ot = ha_dtype_real(c);
	else
		*ot = c;
	return 0;
bad:
	return ha_error_set(HA_ETYPE, "ufunc '%s' not supported for the input type %s",
	                    un_names[op], ha_dtype_name(a));
}

/* ---- the generic n-ary driver ----
** in[k] NULL means slot k is the scalar *sc (already of the loop's dtype
** ldt[k + 1]).  `inplace` (or NULL) is the output array; otherwise a new
** array of dtype ot is allocated from the dominant operand. */
static ha_array *ew_run(const hk_table *t, hk_loop fn, const int *ldt, const double *prm,
                        int n, const ha_array *const *in, const void *scbuf,
                        ha_dtype ot, ha_array *inplace, const char *name)
{
	int nd, split;
	int64_t shape[HA_MAXDIM];
	ha_array *tmp[3] = { NULL, NULL, NULL };
	hk_operand ops[4];
	ha_array *out;
	const ha_array *any = NULL;
	for (int k = 0; k < n; k++)
		if (in[k] && !any)
			any = in[k];
	if (check_devices(n, in) || broadcast_n(n, in, &nd, shape))
		return NULL;
	if (inplace) {
		int ok = nd == inplace->ndim;
		for (int d = 0; ok && d < nd; d++)
			ok = shape[d] == inplace->gshape[d];
		if (!ok) {
			char s1[200], s2[200];
			ha_error_set(HA_EVALUE, "non-broadcastable output operand with shape %s doesn't match the broadcast shape %s",
			             ha__shape_str(inplace->ndim, inplace->gshape, s1, sizeof s1),
			             ha__shape_str(nd, shape, s2, sizeof s2));
			return NULL;
		}
		if (!ha_can_cast(ot, inplace->dtype, "same_kind")) {
			ha_error_set(HA_ETYPE, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
			             name, ha_dtype_name(ot),
			             ha_dtype_name(inplace->dtype));
			return NULL;
		}
		out = inplace;
	} else {
		int dom = dominant(n, in, nd, shape, &split);
		const int64_t *lmap = NULL;
		if (dom >= 0 && in[dom]->gshape[in[dom]->split] == shape[split])
			lmap = in[dom]->lmap;
		out = ha_array_alloc_lmap(ot, nd, shape, split, lmap, any->device, any->comm);
		if (!out)
			return NULL;
	}
	ha__operand(&ops[0], out);
	for (int k = 0; k < n; k++) {
		if (in[k]) {
			if (align(in[k], out, &tmp[k], &ops[k + 1]))
				goto fail;
		} else {
			ops[k + 1].ptr = (char *)scbuf;
			ops[k + 1].dtype = ldt[k + 1];
			memset(ops[k + 1].stride, 0, sizeof ops[k + 1].stride);
		}
	}
	t->run(t, fn, ldt, prm, n + 1, nd, out->lshape, ops);
	for (int k = 0; k < n; k++)
		ha_release(tmp[k]);
	return out;
fail:
	for (int k = 0; k < n; k++)
		ha_release(tmp[k]);
	if (!inplace)
		ha_release(out);
	return NULL;
}

/* The scalar in dtype ct, through the table's cast loop (one element:
** no threads, no allocation). */
static void scalar_to(const hk_table *t, const ha_scalar *sc, ha_dtype ct, void *dst)
{
	_Alignas(16) unsigned char raw[16];
	int sdt;
	switch (sc->kind) {
	case HA_SCALAR_BOOL:
		*(bool *)raw = sc->i != 0;
		sdt = HA_BOOL;
		break;
	case HA_SCALAR_INT:
		memcpy(raw, &sc->i, sizeof sc->i);
		sdt = HA_INT64;
		break;
	case HA_SCALAR_FLOAT:
		memcpy(raw, &sc->re, sizeof sc->re);
		sdt = HA_FLOAT64;
		break;
	default: {
		double z[2] = { sc->re, sc->im };
		memcpy(raw, z, sizeof z);
		sdt = HA_COMPLEX128;
		break;
	}
	}
	char *p[2] = { dst, (char *)raw };
	int64_t st[2] = { 1, 1 };
	t->cast[sdt][ct](1, p, st, NULL);
}

/* x OP y where either side may be the scalar *sc */
static ha_array *binary_core(int op, const ha_array *x, const ha_array *y, const ha_scalar *sc,
                             const double *prm, ha_array *inplace)
{
	if (op < 0 || op >= HA_NBINOPS) {
		ha_error_set(HA_EVALUE, "unknown binary operation %d", op);
		return NULL;
	}
	const ha_array *arr = x ? x : y;
	const hk_table *t = ha__table(arr->device);
	if (!t)
		return NULL;
	ha_dtype dx = x ? x->dtype : scalar_dtype(sc), dy = y ? y->dtype : scalar_dtype(sc);
	int kx = x ? (x->ndim ? HA_OPERAND_ARRAY : HA_OPERAND_0D) : HA_OPERAND_SCALAR;
	int ky = y ? (y->ndim ? HA_OPERAND_ARRAY : HA_OPERAND_0D) : HA_OPERAND_SCALAR;
	ha_dtype rt = ha_result_type(dx, kx, dy, ky), ct = rt, ot = rt;
	if (binary_types(t, op, dx, dy, rt, &ct, &ot))
		return NULL;
	_Alignas(16) unsigned char buf[16];
	if (sc)
		scalar_to(t, sc, ct, buf);
	const ha_array *in[2] = { x, y };
	int ldt[3] = { ot, ct, ct };
	return ew_run(t, t->binary[op][ct], ldt, prm, 2, in, buf, ot, inplace, bin_names[op]);
}

ha_array *ha_binary(int op, const ha_array *a, const ha_array *b)
{
	return binary_core(op, a, b, NULL, NULL, NULL);
}

ha_array *ha_binary_scalar(int op, const ha_array *a, ha_scalar s, int scalar_on_left)
{
	return scalar_on_left ? binary_core(op, NULL, a, &s, NULL, NULL)
	                      : binary_core(op, a, NULL, &s, NULL, NULL);
}

int ha_binary_inplace(int op, ha_array *a, const ha_array *b)
{
	return binary_core(op, a, b, NULL, NULL, a) ? 0 : -1;
}

int ha_binary_scalar_inplace(int op, ha_array *a, ha_scalar s)
{
	return binary_core(op, a, NULL, &s, NULL, a) ? 0 : -1;
}

ha_array *ha_isclose(const ha_array *a, const ha_array *b, double rtol, double atol, int equal_nan)
{
	double prm[3] = { rtol, atol, equal_nan ? 1.0 : 0.0 };
	return binary_core(HA_ISCLOSE_OP, a, b, NULL, prm, NULL);
}

int ha_allclose(const ha_array *a, const ha_array *b, double rtol, double atol, int equal_nan,
                int *out)
{
	ha_array *c = ha_isclose(a, b, rtol, atol, equal_nan);
	if (!c)
		return -1;
	ha_array *r = ha_reduce(HA_RALL, c, -1, NULL, 0);
	ha_release(c);
	if (!r)
		return -1;
	*out = *(const bool *)r->data;
	ha_release(r);
	return 0;
}

/* ---- unary ---- */
static ha_array *unary_core(int op, const ha_array *a, const double *prm, ha_array *inplace)
{
	if (op < 0 || op >= HA_NUNOPS) {
		ha_error_set(HA_EVALUE, "unknown unary operation %d", op);
		return NULL;
	}
	const hk_table *t = ha__table(a->device);
	ha_dtype ct = a->dtype, ot = a->dtype;
	if (!t || unary_types(t, op, a->dtype, &ct, &ot))
		return NULL;
	const ha_array *in[1] = { a };
	int ldt[2] = { ot, ct };
	return ew_run(t, t->unary[op][ct], ldt, prm, 1, in, NULL, ot, inplace, un_names[op]);
}

ha_array *ha_unary(int op, const ha_array *a)
{
	return unary_core(op, a, NULL, NULL);
}

int ha_unary_inplace(int op, ha_array *a)
{
	return unary_core(op, a, NULL, a) ? 0 : -1;
}

ha_array *ha_round(const ha_array *a, int decimals)
{
	double prm[3] = { (double)decimals, 0, 0 };
	return unary_core(HA_ROUND, a, prm, NULL);
}

ha_array *ha_nan_to_num(const ha_array *a, double nan, const double *posinf, const double *neginf)
{
	double prm[3] = { nan, 0, 0 };
	ha_finfo fi;
	if (ha_dtype_is_complex(a->dtype)) {
		ha_error_set(HA_ETYPE, "nan_to_num is not supported for complex input (dtype %s)",
		             ha_dtype_name(a->dtype));
		return NULL;
	}
	if (ha_dtype_is_float(a->dtype) && ha_finfo_get(a->dtype, &fi) == 0) {
		prm[1] = posinf ? *posinf : fi.max;
		prm[2] = neginf ? *neginf : -fi.max;
	}
	return unary_core(HA_NAN_TO_NUM_OP, a, prm, NULL);
}

/* ---- where and clip ---- */
ha_array *ha_where(const ha_array *cond, const ha_array *x, const ha_array *y)
{
	const hk_table *t = ha__table(cond->device);
	if (!t)
		return NULL;
	ha_dtype rt = ha_result_type(x->dtype, x->ndim ? HA_OPERAND_ARRAY : HA_OPERAND_0D,
	                             y->dtype, y->ndim ? HA_OPERAND_ARRAY : HA_OPERAND_0D);
	const ha_array *in[3] = { cond, x, y };
	int ldt[4] = { rt, HA_BOOL, rt, rt };
	return ew_run(t, t->where[rt], ldt, NULL, 3, in, NULL, rt, NULL, "where");
}

ha_array *ha_clip(const ha_array *a, const ha_array *lo, const ha_array *hi)
{
	if (!lo && !hi) {
		ha_error_set(HA_EVALUE, "One of max or min must be given");
		return NULL;
	}
	ha_array *r = lo ? ha_binary(HA_MAXIMUM, a, lo) : ha_retain((ha_array *)a);
	if (!r || !hi)
		return r;
	ha_array *s = ha_binary(HA_MINIMUM, r, hi);
	ha_release(r);
	return s;
}

ha_array *ha_clip_scalar(const ha_array *a, const ha_scalar *lo, const ha_scalar *hi)
{
	if (!lo && !hi) {
		ha_error_set(HA_EVALUE, "One of max or min must be given");
		return NULL;
	}
	ha_array *r = lo ? ha_binary_scalar(HA_MAXIMUM, a, *lo, 0) : ha_retain((ha_array *)a);
	if (!r || !hi)
		return r;
	ha_array *s = ha_binary_scalar(HA_MINIMUM, r, *hi, 0);
	ha_release(r);
	return s;
}
