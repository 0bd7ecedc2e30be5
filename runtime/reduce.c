/*
** reduce.c — reductions of distributed arrays: sum prod min max all any
** count_nonzero mean var std argmin argmax over axis None, one axis or a
** tuple of axes, with keepdims.
**
** Each rank reduces its own chunk with one kernel call on an
** [outer][n][inner] view (a local transpose first only when the reduced
** axes are not adjacent).  When the split axis is among the reduced axes
** the partial results meet in ONE collective: an Allreduce for the
** associative ops, an Allgatherv of (count, mean, M2) rows merged in rank
** order with the parallel-moment formulas for var/std, an Allgatherv of
** (value, global index) pairs for argmin/argmax.  Otherwise nothing is
** communicated and the result keeps a's chunk map.
*/
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <math.h>
#include <complex.h>
#include "ha.h"
#include "ops_internal.h"

static const char *const red_names[HA_NREDOPS] = {
	"sum", "prod", "min", "max", "all", "any", "count_nonzero",
	"mean", "var", "std", "argmin", "argmax"
};

const char *ha_redop_name(int op)
{
	return (op >= 0 && op < HA_NREDOPS) ? red_names[op] : "?";
}

int ha__axes(int ndim, int naxes, const int *axes, int *red)
{
	int n = 0;
	for (int d = 0; d < ndim; d++)
		red[d] = naxes < 0 || !axes;
	if (naxes < 0 || !axes)
		return ndim;
	for (int k = 0; k < naxes; k++) {
		int ax = axes[k];
		if (ax < -ndim || ax >= ndim)
			return ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d",
			                    ax, ndim);
		if (ax < 0)
			ax += ndim;
		if (red[ax])
			return ha_error_set(HA_EVALUE, "duplicate value in 'axis'");
		red[ax] = 1;
		n++;
	}
	return n;
}

/* NaN-propagating min/max across ranks (MPI's MIN/MAX drop NaN). */
static void nan_minmax(void *in, void *inout, int *len, MPI_Datatype *dt, int max)
{
	if (*dt == MPI_FLOAT) {
		float *a = in, *b = inout;
		for (int i = 0; i < *len; i++)
			if ((max ? a[i] > b[i] : a[i] < b[i]) || a[i] != a[i])
				b[i] = b[i] != b[i] ? b[i] : a[i];
	} else {
		double *a = in, *b = inout;
		for (int i = 0; i < *len; i++)
			if ((max ? a[i] > b[i] : a[i] < b[i]) || a[i] != a[i])
				b[i] = b[i] != b[i] ? b[i] : a[i];
	}
}
static void nan_min_fn(void *in, void *inout, int *len, MPI_Datatype *dt) { nan_minmax(in, inout, len, dt, 0); }
static void nan_max_fn(void *in, void *inout, int *len, MPI_Datatype *dt) { nan_minmax(in, inout, len, dt, 1); }

static MPI_Op nan_op(int max)
{
	static MPI_Op ops[2] = { MPI_OP_NULL, MPI_OP_NULL };
	if (ops[max] == MPI_OP_NULL)
		MPI_Op_create(max ? nan_max_fn : nan_min_fn, 1, &ops[max]);
	return ops[max];
}

/* The local chunk as [outer][n][inner] over the reduced axes; *buf gets a
** transposed copy (free it) when the reduced axes are not adjacent. */
static int local_view(const hk_table *t, const ha_array *a, const int *red, const void **src,
                      void **buf, int64_t *outer, int64_t *n, int64_t *inner)
{
	int nd = a->ndim, r0 = -1, r1 = -1, adjacent = 1;
	*buf = NULL;
	*src = a->data;
	for (int d = 0; d < nd; d++)
		if (red[d]) {
			if (r0 < 0)
				r0 = d;
			r1 = d;
		}
	for (int d = r0; r0 >= 0 && d <= r1; d++)
		if (!red[d])
			adjacent = 0;
	*outer = *n = *inner = 1;
	if (r0 < 0) {
		*outer = ha_lnumel(a);
		return 0;
	}
	if (adjacent) {
		for (int d = 0; d < nd; d++)
			*(d < r0 ? outer : d <= r1 ? n : inner) *= a->lshape[d];
		return 0;
	}
	/* kept axes first, reduced axes last */
	int64_t cst[HA_MAXDIM], pshape[HA_MAXDIM];
	hk_operand op;
	int k = 0;
	ha__cstrides(nd, a->lshape, cst);
	for (int pass = 0; pass < 2; pass++)
		for (int d = 0; d < nd; d++)
			if (red[d] == pass) {
				pshape[k] = a->lshape[d];
				op.stride[k++] = cst[d];
				*(pass ? n : outer) *= a->lshape[d];
			}
	op.ptr = a->data;
	op.dtype = a->dtype;
	*buf = malloc((size_t)(ha_lnumel(a) ? ha_lnumel(a) : 1) * ha_dtype_size(a->dtype));
	if (!*buf)
		return ha_error_set(HA_EMEMORY, "out of memory in a reduction");
	ha__gather_local(t, a->dtype, *buf, nd, pshape, &op);
	*src = *buf;
	return 0;
}

static int is_intlike(ha_dtype t)
{
	return t == HA_BOOL || ha_dtype_is_int(t);
}

/* var/std across ranks: every rank contributes (n, mean[], M2[]) */
static int merge_moments(ha_comm *c, int64_t nloc, int64_t slots, double *mean, double *m2)
{
	int p = c->size;
	int64_t row = 1 + 2 * slots;
	double *mine = malloc(sizeof(double) * (size_t)row);
	double *all = malloc(sizeof(double) * (size_t)(row * p));
	int64_t *cnt = malloc(sizeof(int64_t) * (size_t)p * 2);
	int failed = !mine || !all || !cnt;
	if (!failed) {
		mine[0] = (double)nloc;
		memcpy(mine + 1, mean, sizeof(double) * (size_t)slots);
		memcpy(mine + 1 + slots, m2, sizeof(double) * (size_t)slots);
		for (int r = 0; r < p; r++) {
			cnt[r] = row * 8;
			cnt[p + r] = r * row * 8;
		}
	}
	if (failed || ha_allgather_bytes(mine, row * 8, all, cnt, cnt + p, c, "var") < 0) {
		free(mine);
		free(all);
		free(cnt);
		return failed ? ha_error_set(HA_EMEMORY, "out of memory in var") : -1;
	}
	for (int64_t s = 0; s < slots; s++) {
		double na = 0, ma = 0, qa = 0;
		for (int r = 0; r < p; r++) {
			const double *q = all + r * row;
			double nb = q[0], mb = q[1 + s], qb = q[1 + slots + s];
			if (nb == 0)
				continue;
			double nn = na + nb, delta = mb - ma;
			ma += delta * nb / nn;
			qa += qb + delta * delta * na * nb / nn;
			na = nn;
		}
		mean[s] = ma;
		m2[s] = qa;
	}
	free(mine);
	free(all);
	free(cnt);
	return 0;
}

static void store_double(ha_dtype t, void *dst, int64_t i, double v)
{
	if (t == HA_FLOAT32)
		((float *)dst)[i] = (float)v;
	else
		((double *)dst)[i] = v;
}

static ha_array *reduce_core(int op, const ha_array *a, int naxes, const int *axes, int keepdims,
                             double ddof)
{
	int red[HA_MAXDIM];
	const hk_table *t = ha__table(a->device);
	if (!t)
		return NULL;
	int nred = ha__axes(a->ndim, naxes, axes, red);
	if (nred < 0)
		return NULL;
	ha_dtype dt = a->dtype, ot;
	int cplx = ha_dtype_is_complex(dt);
	if (cplx && (op == HA_RMIN || op == HA_RMAX)) {
		ha_error_set(HA_ETYPE, "%s is not supported for complex input (dtype %s)", red_names[op],
		             ha_dtype_name(dt));
		return NULL;
	}
	int64_t N = 1, oshape[HA_MAXDIM];
	int ond = 0, below = 0;
	for (int d = 0; d < a->ndim; d++) {
		if (red[d]) {
			N *= a->gshape[d];
			if (d < a->split)
				below++;
			if (keepdims)
				oshape[ond++] = 1;
		} else
			oshape[ond++] = a->gshape[d];
	}
	if (N == 0 && (op == HA_RMIN || op == HA_RMAX)) {
		ha_error_set(HA_EVALUE, "zero-size array to reduction operation %s which has no identity",
		             op == HA_RMIN ? "minimum" : "maximum");
		return NULL;
	}
	switch (op) {
	case HA_RSUM: ot = hk_reduce_acc(HK_RSUM, dt); break;
	case HA_RPROD: ot = hk_reduce_acc(HK_RPROD, dt); break;
	case HA_RMIN: case HA_RMAX: ot = dt; break;
	case HA_RALL: case HA_RANY: ot = HA_BOOL; break;
	case HA_RCOUNT_NONZERO: ot = HA_INT64; break;
	default: ot = is_intlike(dt) ? ha_promote_types(dt, HA_FLOAT32) : dt; break;
	}
	/* var/std of complex: the sum of the variances of the real and the
	** imaginary parts, computed on a real view with a trailing axis of 2 */
	ha_array view;
	int parts = 1;
	if (cplx && (op == HA_RVAR || op == HA_RSTD)) {
		if (a->ndim == HA_MAXDIM) {
			ha_error_set(HA_EVALUE, "%s of a complex array needs fewer than %d dimensions",
			             red_names[op], HA_MAXDIM);
			return NULL;
		}
		view = *a;
		view.dtype = dt = ha_dtype_real(a->dtype);
		view.gshape[view.ndim] = view.lshape[view.ndim] = 2;
		red[view.ndim] = 0;
		view.ndim++;
		a = &view;
		ot = dt;
		parts = 2;
	}
	int split_red = a->split >= 0 && red[a->split];
	int dist = split_red && a->comm->size > 1;
	int osplit = -1;
	const int64_t *lmap = NULL;
	if (a->split >= 0 && !split_red) {
		osplit = keepdims ? a->split : a->split - below;
		lmap = a->lmap;
	}
	ha_array *out = ha_array_alloc_lmap(ot, ond, oshape, osplit, lmap, a->device, a->comm);
	if (!out)
		return NULL;
	const void *src;
	void *buf;
	int64_t outer, n, inner;
	if (local_view(t, a, red, &src, &buf, &outer, &n, &inner)) {
		ha_release(out);
		return NULL;
	}
	int64_t slots = outer * inner;
	int rc = 0;
	if (op == HA_RVAR || op == HA_RSTD) {
		double *mean = malloc(sizeof(double) * (size_t)(slots ? slots : 1));
		double *m2 = malloc(sizeof(double) * (size_t)(slots ? slots : 1));
		if (!mean || !m2)
			rc = ha_error_set(HA_EMEMORY, "out of memory in %s", red_names[op]);
		else {
			t->moments[dt](src, outer, n, inner, mean, m2);
			if (dist)
				rc = merge_moments(a->comm, n, slots, mean, m2);
			double den = (double)N - ddof;
			if (den < 0)
				den = 0;
			for (int64_t s = 0; rc == 0 && s < slots / parts; s++) {
				double v = (parts == 2 ? m2[2 * s] + m2[2 * s + 1] : m2[s]) / den;
				store_double(ot, out->data, s, op == HA_RSTD ? sqrt(v) : v);
			}
		}
		free(mean);
		free(m2);
	} else if (op == HA_RMEAN) {
		/* sum (exact for integers, pairwise for floats), then divide */
		ha_dtype acc = hk_reduce_acc(HK_RSUM, dt);
		void *sum = acc == ot ? out->data : malloc((size_t)(slots ? slots : 1) * ha_dtype_size(acc));
		if (!sum)
			rc = ha_error_set(HA_EMEMORY, "out of memory in mean");
		else {
			t->reduce[HK_RSUM][dt](src, outer, n, inner, sum);
			if (dist)
				rc = ha_allreduce(MPI_IN_PLACE, sum, slots, ha_mpi_type(acc), MPI_SUM, a->comm, "mean");
			for (int64_t s = 0; rc == 0 && s < slots; s++) {
				switch (acc) {
				case HA_INT64: store_double(ot, out->data, s, (double)((int64_t *)sum)[s] / (double)N); break;
				case HA_FLOAT32: ((float *)sum)[s] = (float)((double)((float *)sum)[s] / (double)N); break;
				case HA_FLOAT64: ((double *)sum)[s] /= (double)N; break;
				case HA_COMPLEX64: ((float complex *)sum)[s] /= (float)N; break;
				default: ((double complex *)sum)[s] /= (double)N; break;
				}
			}
			if (sum != out->data)
				free(sum);
		}
	} else {
		static const int kop[] = { HK_RSUM, HK_RPROD, HK_RMIN, HK_RMAX, HK_RALL, HK_RANY, HK_RCOUNT };
		t->reduce[kop[op]][dt](src, outer, n, inner, out->data);
		if (dist) {
			MPI_Op mop;
			switch (op) {
			case HA_RSUM: case HA_RCOUNT_NONZERO: mop = MPI_SUM; break;
			case HA_RPROD: mop = MPI_PROD; break;
			case HA_RALL: mop = MPI_LAND; break;
			case HA_RANY: mop = MPI_LOR; break;
			case HA_RMIN:
				mop = dt == HA_BOOL ? MPI_LAND : ha_dtype_is_float(dt) ? nan_op(0) : MPI_MIN;
				break;
			default:
				mop = dt == HA_BOOL ? MPI_LOR : ha_dtype_is_float(dt) ? nan_op(1) : MPI_MAX;
				break;
			}
			rc = ha_allreduce(MPI_IN_PLACE, out->data, slots, ha_mpi_type(ot), mop, a->comm,
			                  red_names[op]);
		}
	}
	free(buf);
	if (rc) {
		ha_release(out);
		return NULL;
	}
	return out;
}

ha_array *ha_reduce(int op, const ha_array *a, int naxes, const int *axes, int keepdims)
{
	if (op == HA_RARGMIN || op == HA_RARGMAX) {
		if (naxes > 1) {
			ha_error_set(HA_ETYPE, "%s takes a single axis, not a tuple", red_names[op]);
			return NULL;
		}
		return ha_argreduce(op, a, (naxes < 0 || !axes) ? HA_AXIS_NONE : axes[0], keepdims);
	}
	if (op < 0 || op >= HA_NREDOPS) {
		ha_error_set(HA_EVALUE, "unknown reduction %d", op);
		return NULL;
	}
	return reduce_core(op, a, naxes, axes, keepdims, 0);
}

ha_array *ha_var(const ha_array *a, int naxes, const int *axes, double ddof, int keepdims)
{
	return reduce_core(HA_RVAR, a, naxes, axes, keepdims, ddof);
}

ha_array *ha_std(const ha_array *a, int naxes, const int *axes, double ddof, int keepdims)
{
	return reduce_core(HA_RSTD, a, naxes, axes, keepdims, ddof);
}

/* ---- argmin / argmax ---- */
typedef struct argrec {
	int64_t idx;                 /* global index, -1 = this rank had none */
	unsigned char val[8];
} argrec;

/* is v strictly better than b (NaN is the extreme) */
static int arg_better(ha_dtype t, int max, const void *v, const void *b)
{
	if (ha_dtype_is_float(t)) {
		double x = t == HA_FLOAT32 ? *(const float *)v : *(const double *)v;
		double y = t == HA_FLOAT32 ? *(const float *)b : *(const double *)b;
		if (x != x || y != y)
			return x != x && y == y;
		return max ? x > y : x < y;
	}
	ha_scalar x = ha_scalar_load(t, v), y = ha_scalar_load(t, b);
	return max ? x.i > y.i : x.i < y.i;
}

static int arg_equal(ha_dtype t, const void *v, const void *b)
{
	return !arg_better(t, 0, v, b) && !arg_better(t, 0, b, v);
}

ha_array *ha_argreduce(int op, const ha_array *a, int axis, int keepdims)
{
	const hk_table *t = ha__table(a->device);
	if (!t)
		return NULL;
	int max = op == HA_RARGMAX;
	const char *name = max ? "argmax" : "argmin";
	if (op != HA_RARGMIN && op != HA_RARGMAX) {
		ha_error_set(HA_EVALUE, "unknown arg-reduction %d", op);
		return NULL;
	}
	if (ha_dtype_is_complex(a->dtype)) {
		ha_error_set(HA_ETYPE, "%s is not supported for complex input (dtype %s)", name,
		             ha_dtype_name(a->dtype));
		return NULL;
	}
	if (axis != HA_AXIS_NONE && (axis < -a->ndim || axis >= a->ndim || a->ndim == 0)) {
		ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d", axis, a->ndim);
		return NULL;
	}
	if (axis != HA_AXIS_NONE && axis < 0)
		axis += a->ndim;
	if (ha_gnumel(a) == 0) {
		ha_error_set(HA_EVALUE, "attempt to get %s of an empty sequence", name);
		return NULL;
	}
	int64_t oshape[HA_MAXDIM], outer = 1, n = 1, inner = 1;
	int ond = 0, osplit = -1, along_split;
	const int64_t *lmap = NULL;
	if (axis == HA_AXIS_NONE) {
		for (int d = 0; keepdims && d < a->ndim; d++)
			oshape[ond++] = 1;
		n = ha_lnumel(a);
		along_split = a->split >= 0;
	} else {
		for (int d = 0; d < a->ndim; d++) {
			if (d == axis) {
				if (keepdims)
					oshape[ond++] = 1;
			} else
				oshape[ond++] = a->gshape[d];
			*(d < axis ? &outer : d == axis ? &n : &inner) *= a->lshape[d];
		}
		along_split = a->split == axis;
		if (a->split >= 0 && !along_split) {
			osplit = (keepdims || a->split < axis) ? a->split : a->split - 1;
			lmap = a->lmap;
		}
	}
	int dist = along_split && a->comm->size > 1;
	ha_array *out = ha_array_alloc_lmap(HA_INT64, ond, oshape, osplit, lmap, a->device, a->comm);
	if (!out)
		return NULL;
	int64_t slots = outer * inner, *idx = out->data;
	size_t es = ha_dtype_size(a->dtype);
	argrec *mine = malloc(sizeof(argrec) * (size_t)(slots ? slots : 1));
	unsigned char *vals = malloc(es * (size_t)(slots ? slots : 1));
	int rc = 0;
	if (!mine || !vals) {
		rc = ha_error_set(HA_EMEMORY, "out of memory in %s", name);
		goto done;
	}
	(max ? t->argmax : t->argmin)[a->dtype](a->data, outer, n, inner, vals, idx);
	/* local -> global indices */
	for (int64_t s = 0; s < slots; s++) {
		if (idx[s] < 0)
			continue;
		if (axis == HA_AXIS_NONE && a->split >= 0) {
			int64_t rem = idx[s], g = 0, mi[HA_MAXDIM];
			for (int d = a->ndim - 1; d >= 0; d--) {
				mi[d] = a->lshape[d] ? rem % a->lshape[d] : 0;
				rem = a->lshape[d] ? rem / a->lshape[d] : 0;
			}
			mi[a->split] += a->loffset;
			for (int d = 0; d < a->ndim; d++)
				g = g * a->gshape[d] + mi[d];
			idx[s] = g;
		} else if (along_split)
			idx[s] += a->loffset;
	}
	if (dist) {
		int p = a->comm->size;
		argrec *all = malloc(sizeof(argrec) * (size_t)(slots * p));
		int64_t *cnt = malloc(sizeof(int64_t) * 2 * (size_t)p);
		if (!all || !cnt) {
			free(all);
			free(cnt);
			rc = ha_error_set(HA_EMEMORY, "out of memory in %s", name);
			goto done;
		}
		for (int64_t s = 0; s < slots; s++) {
			mine[s].idx = idx[s];
			memset(mine[s].val, 0, sizeof mine[s].val);
			memcpy(mine[s].val, vals + s * es, es);
		}
		for (int r = 0; r < p; r++) {
			cnt[r] = slots * (int64_t)sizeof(argrec);
			cnt[p + r] = r * cnt[r];
		}
		rc = ha_allgather_bytes(mine, cnt[0], all, cnt, cnt + p, a->comm, name);
		for (int64_t s = 0; rc == 0 && s < slots; s++) {
			const argrec *best = NULL;
			for (int r = 0; r < p; r++) {
				const argrec *q = &all[r * slots + s];
				if (q->idx < 0)
					continue;
				if (!best || arg_better(a->dtype, max, q->val, best->val) ||
				    (arg_equal(a->dtype, q->val, best->val) && q->idx < best->idx))
					best = q;
			}
			idx[s] = best ? best->idx : -1;
		}
		free(all);
		free(cnt);
	}
done:
	free(mine);
	free(vals);
	if (rc) {
		ha_release(out);
		return NULL;
	}
	return out;
}
