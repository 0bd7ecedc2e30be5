/*
** array.c — the DNDarray value: its slots (printing, truth, len,
** iteration, operators, in-place operators, comparisons, format), its
** attributes (shape gshape lshape ndim size gnumel lnumel split device
** dtype comm larray T balanced lshape_map nbytes ...) and the methods that
** only arrays have (astype, resplit_, balance_, item, tolist, info ...).
** Methods that mirror ht functions (x.sum(), x.reshape() ...) are
** registered by the topic files together with the functions.
**
** Printing: str(x) of a global array is Heat's format, gathered to rank 0
** by the runtime and then broadcast, so every rank holds the same text and
** a program that inspects it stays in step.  print() writes it once.  A
** rank-local array (x.larray ...) is formatted from each rank's own data.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"
#include "../grammar/ast.h"

int hi_local_printing;

hi_val hi_array_new(ha_array *a)
{
	if (!a)
		return hi_raise_ha();
	hi_array *o = hi_obj_alloc(sizeof *o, HI_ARRAY);
	if (!o) {
		ha_release(a);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	o->a = a;
	return hi_setlocal(hi_objval(o, HI_ARRAY), a->comm == &hi_self_comm);
}

static void array_free(hi_obj *o)
{
	hi_halos_free(((hi_array *)o)->halos);
	ha_release(((hi_array *)o)->a);
	free(o);
}

/* ---- printing ---- */

static hi_val take_cstr(char *s, int local)
{
	if (!s)
		return hi_raise_ha();
	hi_val r = hi_str_cstr(s);
	free(s);
	return hi_setlocal(r, local);
}

static const char *split_text(const ha_array *a, char *buf, size_t n)
{
	if (a->split < 0)
		return "None";
	snprintf(buf, n, "%d", a->split);
	return buf;
}

/* This rank's own data in Heat's format (x.larray, rank-local values). */
static hi_val local_text(const ha_array *a)
{
	char *data = ha_local_format(a->dtype, a->ndim, a->lshape, a->data, 9);
	if (!data)
		return hi_raise(hi_MemoryError, "out of memory");
	char dev[32], sp[16];
	hi_val r = hi_str_fmt("DNDarray(%s, dtype=ht.%s, device=%s, split=%s)", data,
	                      ha_dtype_name(a->dtype), ha_device_str(a->device, dev, sizeof dev),
	                      split_text(a, sp, sizeof sp));
	free(data);
	return hi_setlocal(r, 1);
}

/* local_printing(): each rank shows its chunk as Heat does ("[...], device:
** cpu:0, split: 0"); the text is rank-local, so print() prefixes ranks. */
static hi_val chunk_text(const ha_array *a)
{
	char *data = ha_local_format(a->dtype, a->ndim, a->lshape, a->data, 0);
	if (!data)
		return hi_raise(hi_MemoryError, "out of memory");
	char dev[32], sp[16];
	hi_val r = hi_str_fmt("%s, device: %s, split: %s", data,
	                      ha_device_str(a->device, dev, sizeof dev), split_text(a, sp, sizeof sp));
	free(data);
	return hi_setlocal(r, 1);
}

static hi_val array_str(hi_val v)
{
	ha_array *a = hi_arr(v);
	if (hi_local_printing)
		return chunk_text(a);
	if (v.local || a->comm == &hi_self_comm)
		return local_text(a);
	char *s = ha_array_str(a);
	if (!s)
		return hi_raise_ha();
	if (a->comm->size > 1) {
		int64_t n = a->comm->rank == 0 ? (int64_t)strlen(s) : 0;
		if (ha_bcast(&n, sizeof n, 0, a->comm, "print")) {
			free(s);
			return hi_raise_ha();
		}
		char *t = a->comm->rank == 0 ? s : malloc((size_t)n + 1);
		if (!t) {
			free(s);
			return hi_raise(hi_MemoryError, "out of memory");
		}
		if (ha_bcast(t, n, 0, a->comm, "print")) {
			if (t != s)
				free(t);
			free(s);
			return hi_raise_ha();
		}
		t[n] = '\0';
		if (t != s) {
			free(s);
			s = t;
		}
	}
	return take_cstr(s, 0);
}

/* ---- truth, len, format ---- */

static int array_truthy(hi_val v)
{
	ha_array *a = hi_arr(v);
	if (ha_gnumel(a) != 1)
		return hi_raisei(hi_ValueError, "The truth value of an array with more than one element is "
		                 "ambiguous. Use a.any() or a.all()");
	ha_scalar s;
	if (hi_array_item(a, &s))
		return -1;
	return s.kind == HA_SCALAR_FLOAT || s.kind == HA_SCALAR_COMPLEX ? (s.re != 0 || s.im != 0) : s.i != 0;
}

static hi_val array_len(hi_val v)
{
	ha_array *a = hi_arr(v);
	if (a->ndim == 0)
		return hi_raise(hi_TypeError, "len() of unsized object");
	return hi_int(a->gshape[0]);
}

static hi_val array_iter(hi_val v)
{
	if (hi_arr(v)->ndim == 0)
		return hi_raise(hi_TypeError, "iteration over a 0-d array");
	return hi_seq_iter_new(v);
}

static hi_val array_format(hi_val v, const char *spec)
{
	if (!spec || !*spec)
		return array_str(v);
	ha_array *a = hi_arr(v);
	if (ha_gnumel(a) != 1)
		return hi_raise(hi_TypeError, "unsupported format string passed to DNDarray.__format__");
	ha_scalar s;
	if (hi_array_item(a, &s))
		return hi_err();
	hi_val x = hi_scalar_to_val(s);
	hi_val r = hi_format_value(x, spec);
	hi_decref(x);
	return r;
}

static int array_equal_slot(hi_val a, hi_val b)
{
	return a.kind == b.kind && a.o == b.o;
}

static int64_t array_hash(hi_val v, int *ok)
{
	(void)v;
	*ok = 0;
	hi_raise(hi_TypeError, "unhashable type: 'DNDarray'");
	return -1;
}

/* ---- operators ---- */

static int binop_code(int op)
{
	switch (op) {
	case HG_OP_ADD: return HA_ADD;
	case HG_OP_SUB: return HA_SUB;
	case HG_OP_MUL: return HA_MUL;
	case HG_OP_DIV: return HA_TRUEDIV;
	case HG_OP_FLOORDIV: return HA_FLOORDIV;
	case HG_OP_MOD: return HA_MOD;
	case HG_OP_POW: return HA_POW;
	case HG_OP_AND: return HA_BITWISE_AND;
	case HG_OP_OR: return HA_BITWISE_OR;
	case HG_OP_XOR: return HA_BITWISE_XOR;
	case HG_OP_LSHIFT: return HA_LEFT_SHIFT;
	case HG_OP_RSHIFT: return HA_RIGHT_SHIFT;
	case HG_OP_EQ: return HA_EQ;
	case HG_OP_NE: return HA_NE;
	case HG_OP_LT: return HA_LT;
	case HG_OP_LE: return HA_LE;
	case HG_OP_GT: return HA_GT;
	case HG_OP_GE: return HA_GE;
	default: return -1;
	}
}

static hi_val unsupported(int op, hi_val a, hi_val b)
{
	return hi_raise(hi_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
	                hg_op_text(op), hi_type_name(a), hi_type_name(b));
}

/* a @ b goes to ht.matmul when the linear-algebra layer provides one. */
static hi_val matmul(hi_val a, hi_val b)
{
	hi_val f;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), "matmul", &f) != 1)
		return unsupported(HG_OP_MATMUL, a, b);
	hi_val argv[2] = { a, b };
	hi_val r = hi_call(f, 2, argv, 0, NULL, NULL);
	hi_decref(f);
	return r;
}

/* The other operand of an array operator: a scalar (weakly typed), an
** array, or a list/tuple made into one.  Returns 1 scalar, 2 array (new
** reference in *arr), 0 not an operand, -1 error. */
static int operand(hi_val v, ha_scalar *s, ha_array **arr, ha_comm *comm)
{
	if (hi_val_scalar(v, s))
		return 1;
	if (v.kind == HI_ARRAY) {
		*arr = ha_retain(hi_arr(v));
		return 2;
	}
	if (v.kind == HI_LIST || v.kind == HI_TUPLE) {
		*arr = hi_as_array(v, -1, comm);
		return *arr ? 2 : -1;
	}
	return 0;
}

hi_val hi_array_binop(int op, hi_val a, hi_val b)
{
	if (op == HG_OP_MATMUL)
		return matmul(a, b);
	int code = binop_code(op);
	if (code < 0)
		return unsupported(op, a, b);
	int left_is_array = a.kind == HI_ARRAY;
	hi_val arr = left_is_array ? a : b, other = left_is_array ? b : a;
	ha_scalar s;
	ha_array *o = NULL;
	int k = operand(other, &s, &o, hi_arr(arr)->comm);
	if (k < 0)
		return hi_err();
	if (k == 0) {
		if (op == HG_OP_EQ || op == HG_OP_NE)
			return hi_bool((op == HG_OP_NE) ^ (a.kind == b.kind && a.o == b.o));
		if (op >= HG_OP_EQ)
			return hi_raise(hi_TypeError, "'%s' not supported between instances of '%s' and '%s'",
			                hg_op_text(op), hi_type_name(a), hi_type_name(b));
		return unsupported(op, a, b);
	}
	ha_array *r;
	if (k == 1) {
		r = ha_binary_scalar(code, hi_arr(arr), s, !left_is_array);
	} else {
		r = left_is_array ? ha_binary(code, hi_arr(arr), o) : ha_binary(code, o, hi_arr(arr));
		ha_release(o);
	}
	return hi_array_new(r);
}

static hi_val array_binop(int op, hi_val a, hi_val b)
{
	return hi_array_binop(op, a, b);
}

static hi_val array_compare(int op, hi_val a, hi_val b)
{
	return hi_array_binop(op, a, b);
}

static hi_val array_inplace(int op, hi_val a, hi_val b)
{
	int code = binop_code(op);
	if (code < 0 || op >= HG_OP_EQ) {
		/* a @= b and the like: a = a op b */
		return hi_binop(op, a, b);
	}
	ha_scalar s;
	ha_array *o = NULL;
	int k = operand(b, &s, &o, hi_arr(a)->comm);
	if (k < 0)
		return hi_err();
	if (k == 0)
		return unsupported(op, a, b);
	int rc;
	if (k == 1) {
		rc = ha_binary_scalar_inplace(code, hi_arr(a), s);
	} else {
		rc = ha_binary_inplace(code, hi_arr(a), o);
		ha_release(o);
	}
	if (rc)
		return hi_raise_ha();
	return hi_incref(a);
}

static hi_val array_unop(int op, hi_val a)
{
	int code = op == HG_OP_NEG ? HA_NEGATIVE : op == HG_OP_POS ? HA_POSITIVE : HA_INVERT;
	return hi_array_new(ha_unary(code, hi_arr(a)));
}

static int array_contains(hi_val arr, hi_val item)
{
	hi_val eq = hi_array_binop(HG_OP_EQ, arr, item);
	if (hi_iserr(eq))
		return -1;
	if (eq.kind != HI_ARRAY) {
		int t = hi_truthy(eq);
		hi_decref(eq);
		return t;
	}
	ha_array *r = ha_reduce(HA_RANY, hi_arr(eq), -1, NULL, 0);
	hi_decref(eq);
	if (!r)
		return hi_raise_hai();
	ha_scalar s;
	int rc = hi_array_item(r, &s);
	ha_release(r);
	return rc ? -1 : s.i != 0;
}

/* ---- attributes ---- */

static hi_val lshape_map(const ha_array *a)
{
	int p = a->comm->size, nd = a->ndim;
	int64_t *buf = malloc(sizeof(int64_t) * (size_t)(p * (nd ? nd : 1)));
	if (!buf)
		return hi_raise(hi_MemoryError, "out of memory");
	for (int r = 0; r < p; r++)
		for (int d = 0; d < nd; d++)
			buf[r * nd + d] = d == a->split && a->lmap ? a->lmap[r] : a->gshape[d];
	int64_t shape[2] = { p, nd };
	ha_array *m = ha_array_from_data(HA_INT64, 2, shape, buf, HA_SPLIT_NONE, a->device,
	                                 a->comm == &hi_self_comm ? &hi_self_comm : ha_comm_world());
	free(buf);
	return hi_array_new(m);
}

static hi_val comm_of_array(const ha_array *a)
{
	if (a->comm == ha_comm_world()) {
		hi_val c;
		if (hi_dict_get_str(hi_S.builtins, "comm", &c) == 1 && c.kind == HI_COMM)
			return c;
	}
	return hi_setlocal(hi_comm_value(a->comm), a->comm == &hi_self_comm);
}

static hi_val array_getattr(hi_val self, const char *name)
{
	ha_array *a = hi_arr(self);
	switch (name[0]) {
	case 'T':
		if (!strcmp(name, "T"))
			return hi_array_new(ha_transpose(a, NULL));
		break;
	case 'b':
		if (!strcmp(name, "balanced"))
			return hi_bool(ha_is_balanced(a));
		break;
	case 'c':
		if (!strcmp(name, "comm"))
			return comm_of_array(a);
		break;
	case 'd':
		if (!strcmp(name, "dtype"))
			return hi_dtype_value(a->dtype);
		if (!strcmp(name, "device"))
			return hi_device_value(a->device);
		break;
	case 'g':
		if (!strcmp(name, "gshape"))
			return hi_shape_tuple(a->ndim, a->gshape);
		if (!strcmp(name, "gnumel"))
			return hi_int(ha_gnumel(a));
		if (!strcmp(name, "gnbytes"))
			return hi_int(ha_gnbytes(a));
		break;
	case 'i':
		if (!strcmp(name, "itemsize"))
			return hi_int((int64_t)ha_dtype_size(a->dtype));
		break;
	case 'l':
		if (!strcmp(name, "lshape"))
			return hi_setlocal(hi_shape_tuple(a->ndim, a->lshape), 1);
		if (!strcmp(name, "lnumel"))
			return hi_setlocal(hi_int(ha_lnumel(a)), 1);
		if (!strcmp(name, "lnbytes"))
			return hi_setlocal(hi_int(ha_lnbytes(a)), 1);
		if (!strcmp(name, "larray"))
			return hi_setlocal(hi_array_new(ha_array_from_data(a->dtype, a->ndim, a->lshape, a->data,
			                                                   HA_SPLIT_NONE, a->device, &hi_self_comm)), 1);
		if (!strcmp(name, "lshape_map"))
			return lshape_map(a);
		break;
	case 'n':
		if (!strcmp(name, "ndim"))
			return hi_int(a->ndim);
		if (!strcmp(name, "nbytes"))
			return hi_int(ha_gnbytes(a));
		break;
	case 'r':
		if (!strcmp(name, "real"))
			return hi_array_new(ha_unary(HA_REAL, a));
		break;
	case 's':
		if (!strcmp(name, "shape"))
			return hi_shape_tuple(a->ndim, a->gshape);
		if (!strcmp(name, "size"))
			return hi_int(ha_gnumel(a));
		if (!strcmp(name, "split"))
			return a->split < 0 ? hi_none() : hi_int(a->split);
		if (!strcmp(name, "strides")) {
			int64_t st[HA_MAXDIM], s = (int64_t)ha_dtype_size(a->dtype);
			for (int d = a->ndim - 1; d >= 0; d--) {
				st[d] = s;
				s *= a->lshape[d];
			}
			return hi_setlocal(hi_shape_tuple(a->ndim, st), 1);
		}
		break;
	}
	if (!strcmp(name, "imag"))
		return hi_array_new(ha_unary(HA_IMAG, a));
	return hi_absent();
}

static const char *const array_attrs[] = {
	"T", "balanced", "comm", "device", "dtype", "gnbytes", "gnumel", "gshape", "imag",
	"itemsize", "larray", "lnbytes", "lnumel", "lshape", "lshape_map", "nbytes", "ndim",
	"real", "shape", "size", "split", "strides", NULL
};

/* ---- methods only arrays have ---- */

static ha_array *self_arr(hi_val *args) { return hi_arr(args[0]); }

static hi_val m_astype(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	if (hi_get_dtype(args[1], &t))
		return hi_err();
	int copy = hi_truthy(args[2]);
	if (copy < 0)
		return hi_err();
	if (!copy) {
		if (ha_astype_(self_arr(args), t))
			return hi_raise_ha();
		return hi_incref(args[0]);
	}
	return hi_array_new(ha_astype(self_arr(args), t));
}

static hi_val m_is_balanced(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_bool(ha_is_balanced(self_arr(args)));
}

static hi_val m_is_distributed(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_bool(ha_is_distributed(self_arr(args)));
}

static hi_val m_balance_(hi_val *args, void *ctx)
{
	(void)ctx;
	if (ha_balance_(self_arr(args)))
		return hi_raise_ha();
	return hi_incref(args[0]);
}

static hi_val m_balance(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *c = ha_copy(self_arr(args));
	if (!c)
		return hi_raise_ha();
	if (ha_balance_(c)) {
		ha_release(c);
		return hi_raise_ha();
	}
	return hi_array_new(c);
}

static hi_val m_resplit_(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	int axis;
	if (hi_get_split(args[1], a->ndim, &axis))
		return hi_err();
	if (ha_resplit_(a, axis))
		return hi_raise_ha();
	return hi_incref(args[0]);
}

static hi_val m_copy(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_array_new(ha_copy(self_arr(args)));
}

static hi_val m_item(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_scalar s;
	if (hi_array_item(self_arr(args), &s))
		return hi_err();
	return hi_scalar_to_val(s);
}

static hi_val m_tolist(hi_val *args, void *ctx)
{
	(void)ctx;
	int keep = hi_truthy(args[1]);
	if (keep < 0)
		return hi_err();
	ha_array *a = self_arr(args);
	if (keep && ha_is_distributed(a)) {
		/* this rank's chunk only: a rank-local list */
		ha_array *l = ha_array_from_data(a->dtype, a->ndim, a->lshape, a->data, HA_SPLIT_NONE,
		                                 a->device, &hi_self_comm);
		if (!l)
			return hi_raise_ha();
		hi_val r = hi_array_tolist(l);
		ha_release(l);
		return hi_setlocal(r, 1);
	}
	return hi_array_tolist(a);
}

/* Heat's x.numpy() hands every rank the whole array as a NumPy array.
** ha has no second array type, so the nearest equivalent is a replicated
** copy: the same global values on every rank, usable with every array
** function, indexing, len, tolist and item. */
static hi_val m_numpy(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	ha_array *r = a->split >= 0 ? ha_resplit(a, HA_SPLIT_NONE) : ha_copy(a);
	if (!r)
		return hi_raise_ha();
	return hi_array_new(r);
}

static hi_val m_cpu(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_incref(args[0]);
}

static hi_val m_gpu(hi_val *args, void *ctx)
{
	(void)ctx;
	(void)args;
	ha_device d;
	if (ha_device_from_name("gpu", &d) < 0)
		return hi_raise_ha();
	return hi_raise(hi_RuntimeError, "arrays cannot move to %s: ha has no GPU backend loaded",
	                "gpu");
}

static hi_val m_to_device(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_device d;
	if (hi_get_device(args[1], &d))
		return hi_err();
	if (d.kind != self_arr(args)->device.kind)
		return hi_raise(hi_RuntimeError, "arrays cannot move between devices: ha has no GPU backend loaded");
	return hi_incref(args[0]);
}

static hi_val m_info(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	char dev[32], sp[16];
	hi_val gs = hi_shape_tuple(a->ndim, a->gshape), ls = hi_shape_tuple(a->ndim, a->lshape);
	if (hi_iserr(gs) || hi_iserr(ls)) {
		hi_decref(gs);
		hi_decref(ls);
		return hi_err();
	}
	hi_val g = hi_repr(gs), l = hi_repr(ls);
	hi_decref(gs);
	hi_decref(ls);
	if (hi_iserr(g) || hi_iserr(l)) {
		hi_decref(g);
		hi_decref(l);
		return hi_err();
	}
	hi_val r = hi_str_fmt("<DNDarray(MPI-rank: %d, Shape: %s, Split: %s, Local Shape: %s, "
	                      "Device: %s, Dtype: %s)>", a->comm->rank, hi_as_str(g)->s,
	                      split_text(a, sp, sizeof sp), hi_as_str(l)->s,
	                      ha_device_str(a->device, dev, sizeof dev), ha_dtype_name(a->dtype));
	hi_decref(g);
	hi_decref(l);
	return hi_setlocal(r, 1);
}

static hi_val m_counts_displs(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	if (a->split < 0)
		return hi_raise(hi_ValueError, "Non-distributed DNDarray. Cannot calculate counts and displacements.");
	int p = a->comm->size;
	hi_val c = hi_tuple_new((size_t)p), d = hi_tuple_new((size_t)p);
	if (hi_iserr(c) || hi_iserr(d)) {
		hi_decref(c);
		hi_decref(d);
		return hi_err();
	}
	int64_t off = 0;
	for (int r = 0; r < p; r++) {
		hi_tuple_set(c, (size_t)r, hi_int(a->lmap[r]));
		hi_tuple_set(d, (size_t)r, hi_int(off));
		off += a->lmap[r];
	}
	hi_val t = hi_tuple_pack(2, c, d);
	hi_decref(c);
	hi_decref(d);
	return t;
}

static hi_val to_scalar(hi_val self, const char *what, int kind)
{
	ha_array *a = hi_arr(self);
	if (ha_gnumel(a) != 1)
		return hi_raise(hi_TypeError, "only size-1 arrays can be converted to Python scalars");
	ha_scalar s;
	if (hi_array_item(a, &s))
		return hi_err();
	(void)what;
	switch (kind) {
	case 'i':
		if (s.kind == HA_SCALAR_FLOAT || s.kind == HA_SCALAR_COMPLEX)
			return hi_int_from_double(s.re);
		return hi_int(s.i);
	case 'f':
		if (s.kind == HA_SCALAR_COMPLEX && s.im != 0)
			return hi_raise(hi_TypeError, "can't convert complex to float");
		return hi_float(s.kind == HA_SCALAR_FLOAT || s.kind == HA_SCALAR_COMPLEX ? s.re : (double)s.i);
	case 'b':
		return hi_bool(s.kind == HA_SCALAR_FLOAT || s.kind == HA_SCALAR_COMPLEX ? (s.re != 0 || s.im != 0) : s.i != 0);
	default:
		return hi_complex_new(s.kind == HA_SCALAR_FLOAT || s.kind == HA_SCALAR_COMPLEX ? s.re : (double)s.i,
		                      s.kind == HA_SCALAR_COMPLEX ? s.im : 0.0);
	}
}

static hi_val m_int(hi_val *args, void *ctx) { (void)ctx; return to_scalar(args[0], "int", 'i'); }
static hi_val m_float(hi_val *args, void *ctx) { (void)ctx; return to_scalar(args[0], "float", 'f'); }
static hi_val m_bool(hi_val *args, void *ctx) { (void)ctx; return to_scalar(args[0], "bool", 'b'); }
static hi_val m_complex(hi_val *args, void *ctx) { (void)ctx; return to_scalar(args[0], "complex", 'c'); }

static hi_val m_len(hi_val *args, void *ctx)
{
	(void)ctx;
	return array_len(args[0]);
}

static hi_val m_getitem(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_array_getitem(args[0], args[1]);
}

static hi_val m_setitem(hi_val *args, void *ctx)
{
	(void)ctx;
	if (hi_array_setitem(args[0], args[1], args[2]))
		return hi_err();
	return hi_none();
}

static const hi_builtin_def array_methods[] = {
	{ "astype(self, dtype, copy=True)", m_astype,
	  "Cast the array to dtype.\n\n"
	  "Returns a new array of the given dtype (copy=True), or converts this\n"
	  "array in place and returns it (copy=False). Local: each rank converts\n"
	  "its own chunk, nothing is communicated; split and chunk map are kept.\n\n"
	  "Example: ht.zeros((3, 4)).astype(ht.int64)" },
	{ "is_balanced(self, force_check=False)", m_is_balanced,
	  "True when every rank holds its balanced share of rows along the split\n"
	  "axis (the first n % P ranks hold one row more). Decided from the\n"
	  "replicated chunk map: no communication. Replicated arrays are balanced." },
	{ "is_distributed(self)", m_is_distributed,
	  "True when the array is split and the communicator has more than one rank." },
	{ "balance_(self)", m_balance_,
	  "Redistribute the array in place to the balanced chunk map and return it.\n"
	  "Collective: one Alltoallv moving only the rows that change owner;\n"
	  "nothing when already balanced or replicated." },
	{ "balance(self)", m_balance,
	  "A balanced copy of the array (see balance_). Collective." },
	{ "resplit_(self, axis=None)", m_resplit_,
	  "Change the split axis of the array in place and return it.\n\n"
	  "axis=None gathers a full copy onto every rank (one Allgatherv); None\n"
	  "-> k slices locally (no communication); k -> j is one Alltoallv.\n"
	  "Collective. The result is balanced." },
	{ "copy(self)", m_copy,
	  "A deep copy with the same split and chunk map. Local, no communication." },
	{ "item(self)", m_item,
	  "The single element of a one-element array as a Python number.\n"
	  "Collective when the array is split: the rank that holds the element\n"
	  "broadcasts it. ValueError for arrays with more than one element." },
	{ "tolist(self, keepsplit=False)", m_tolist,
	  "The array as nested Python lists.\n\n"
	  "Collective: a split array is gathered (Allgatherv) so every rank gets\n"
	  "the whole list. keepsplit=True returns each rank's own chunk instead\n"
	  "(a rank-local value)." },
	{ "numpy(self)", m_numpy,
	  "The whole array on every rank (Heat returns a NumPy array; ha, which\n"
	  "has one array type, returns a replicated copy, split=None, with the\n"
	  "same values, shape and dtype). Collective: one Allgatherv when the\n"
	  "array is split." },
	{ "cpu(self)", m_cpu,
	  "Move the array to the CPU in place and return it (ha arrays live on\n"
	  "the CPU unless a GPU backend is loaded). Local." },
	{ "gpu(self)", m_gpu,
	  "Move the array to the GPU in place and return it. Raises ValueError\n"
	  "'Unknown device, must be one of cpu' when no GPU backend is loaded." },
	{ "to_device(self, device)", m_to_device,
	  "Move the array to device ('cpu', 'gpu' or a device value) in place." },
	{ "info(self)", m_info,
	  "A one-line description of this rank's view of the array (rank, global\n"
	  "shape, split, local shape, device, dtype), as Heat's developer repr\n"
	  "shows it. Rank-local: print(x.info()) shows one line per rank." },
	{ "counts_displs(self)", m_counts_displs,
	  "(counts, displacements) of the chunks along the split axis, from the\n"
	  "replicated chunk map. Not collective." },
	{ "__int__(self)", m_int, "int(x) of a one-element array." },
	{ "__float__(self)", m_float, "float(x) of a one-element array." },
	{ "__bool__(self)", m_bool, "bool(x) of a one-element array." },
	{ "__complex__(self)", m_complex, "complex(x) of a one-element array." },
	{ "__len__(self)", m_len, "len(x): the length of the first axis (the global shape[0])." },
	{ "__getitem__(self, key)", m_getitem, "x[key], with NumPy's rules for every key.\n\n"
	  "A key holds integers (negative count from the end), slices with any step,\n"
	  "None (newaxis), one Ellipsis, boolean masks and integer arrays or lists\n"
	  "(of any dimensions and splits). With several advanced items (masks,\n"
	  "arrays, and then integers too) the index arrays broadcast together; the\n"
	  "broadcast axes replace the advanced items when these are adjacent, and go\n"
	  "first when a slice, None or Ellipsis separates them.\n\n"
	  "Distribution of the result, and its cost:\n"
	  "  integer on the split axis: the owner broadcasts the slab; replicated.\n"
	  "  slice, positive step: each rank keeps its part; stays split, no\n"
	  "    communication, not rebalanced (balance_() if needed).\n"
	  "  negative step on the split axis: the global reversal, balanced, one\n"
	  "    Alltoallv.\n"
	  "  mask over the split axis: split along the selected elements, each rank\n"
	  "    keeping its own (unbalanced); no data moves when the mask is split\n"
	  "    like the array.\n"
	  "  integer list/array on the split axis: rows are fetched from their\n"
	  "    owners in one request/response exchange; the result is split along\n"
	  "    the (first broadcast) index axis, balanced. On other axes the\n"
	  "    selection is local and the split axis stays split.\n"
	  "  a replicated array gives a replicated result (split along the index\n"
	  "    axis when the index array or mask is distributed).\n"
	  "Errors (out of range, mask shape, broadcast mismatch) are the same on\n"
	  "every rank. A 0-d result is a 0-d array (x.item() for the number)." },
	{ "__setitem__(self, key, value)", m_setitem, "x[key] = value, for every key __getitem__ accepts.\n\n"
	  "value is a number or an array broadcastable to x[key]'s shape, of any\n"
	  "split (it is redistributed to the target's layout). Each rank writes the\n"
	  "elements it owns; integer-array targets send values to their owners in\n"
	  "one exchange. With repeated indices the last one (in C order of the\n"
	  "broadcast index) wins, at every rank count. Augmented assignment\n"
	  "(x[key] += v) reads, computes and writes back the same way. On any\n"
	  "error (IndexError, a non-broadcastable ValueError) nothing is modified." },
	{ 0 }
};

void hi_init_array_value(void)
{
	hi_slots *s = hi_slots_of(HI_ARRAY);
	s->free = array_free;
	s->repr = array_str;
	s->str = array_str;
	s->truthy = array_truthy;
	s->binop = array_binop;
	s->unop = array_unop;
	s->compare = array_compare;
	s->equal = array_equal_slot;
	s->hash = array_hash;
	s->getitem = hi_array_getitem;
	s->setitem = hi_array_setitem;
	s->len = array_len;
	s->iter = array_iter;
	s->contains = array_contains;
	s->format = array_format;
	s->inplace = array_inplace;
	hi_register_getattr(HI_ARRAY, array_getattr);
	hi_register_attrnames(HI_ARRAY, array_attrs);
	hi_register_methods(HI_ARRAY, array_methods);
	hi_init_array_dist();
}
