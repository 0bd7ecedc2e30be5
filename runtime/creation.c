/*
** creation.c — factories: empty, zeros, ones, full (and *_like), arange,
** linspace, logspace, eye, arrays from replicated or per-rank data, and
** meshgrid.  Each rank computes only its own chunk from global indices,
** so no factory communicates (except from_local, which must learn the
** other ranks' lengths).  Fills are OpenMP SIMD loops over the local
** buffer: memory-bound, and first-touch places pages near their thread.
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"

#define PAR_N 32768

static ha_comm *comm_or_world(ha_comm *c)
{
	return c ? c : ha_comm_world();
}

/* One fill loop per element width: copy *elem into a register-sized
** value once, then store it n times (the compiler vectorises each). */
#define FILL_AS(T)                                                               \
	do {                                                                     \
		T v_, *d_ = dst;                                                 \
		memcpy(&v_, elem, sizeof v_);                                    \
		_Pragma("omp parallel for simd schedule(static) if (n > PAR_N)") \
		for (int64_t i = 0; i < n; i++)                                  \
			d_[i] = v_;                                              \
	} while (0)

/* Fill n elements of size es with *elem. */
static void fill_elems(void *dst, const void *elem, size_t es, int64_t n)
{
	switch (es) {
	case 1:
		FILL_AS(uint8_t);
		break;
	case 2:
		FILL_AS(uint16_t);
		break;
	case 4:
		FILL_AS(uint32_t);
		break;
	case 8:
		FILL_AS(uint64_t);
		break;
	default: {
		uint64_t v[2], *d = dst;
		memcpy(v, elem, 16);
#pragma omp parallel for simd schedule(static) if (n > PAR_N)
		for (int64_t i = 0; i < n; i++) {
			d[2 * i] = v[0];
			d[2 * i + 1] = v[1];
		}
		break;
	}
	}
}
#undef FILL_AS

ha_array *ha_empty(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev,
                   ha_comm *comm)
{
	return ha_array_alloc(dtype, ndim, shape, split, dev, comm_or_world(comm));
}

ha_array *ha_full(ha_dtype dtype, int ndim, const int64_t *shape, ha_scalar fill, int split,
                  ha_device dev, ha_comm *comm)
{
	unsigned char elem[16];
	ha_array *a = ha_empty(dtype, ndim, shape, split, dev, comm);
	if (!a)
		return NULL;
	ha_scalar_store(fill, dtype, elem);
	fill_elems(a->data, elem, ha_dtype_size(dtype), ha_lnumel(a));
	return a;
}

ha_array *ha_zeros(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev,
                   ha_comm *comm)
{
	return ha_full(dtype, ndim, shape, ha_scalar_int(0), split, dev, comm);
}

ha_array *ha_ones(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev,
                  ha_comm *comm)
{
	return ha_full(dtype, ndim, shape, ha_scalar_int(1), split, dev, comm);
}

static int like_args(const ha_array *a, int *dtype, int *split)
{
	if (*dtype < 0)
		*dtype = a->dtype;
	if (*split == HA_SPLIT_DEFAULT)
		*split = a->split;
	return 0;
}

ha_array *ha_empty_like(const ha_array *a, int dtype, int split)
{
	like_args(a, &dtype, &split);
	return ha_empty((ha_dtype)dtype, a->ndim, a->gshape, split, a->device, a->comm);
}

ha_array *ha_zeros_like(const ha_array *a, int dtype, int split)
{
	like_args(a, &dtype, &split);
	return ha_zeros((ha_dtype)dtype, a->ndim, a->gshape, split, a->device, a->comm);
}

ha_array *ha_ones_like(const ha_array *a, int dtype, int split)
{
	like_args(a, &dtype, &split);
	return ha_ones((ha_dtype)dtype, a->ndim, a->gshape, split, a->device, a->comm);
}

ha_array *ha_full_like(const ha_array *a, ha_scalar fill, int dtype, int split)
{
	like_args(a, &dtype, &split);
	return ha_full((ha_dtype)dtype, a->ndim, a->gshape, fill, split, a->device, a->comm);
}

/* Fill the local chunk of a 1-D array with f(global index) computed in
** double, converted by ha_convert's rules in blocks. */
static void fill_double(ha_array *a, double start, double step, int64_t last_i, double last_v)
{
	int64_t n = a->lshape[0], off = a->split == 0 ? a->loffset : 0;
	if (a->dtype == HA_FLOAT64) {
		double *d = a->data;
#pragma omp parallel for simd schedule(static) if (n > PAR_N)
		for (int64_t i = 0; i < n; i++)
			d[i] = start + (double)(off + i) * step;
	} else if (a->dtype == HA_FLOAT32) {
		float *d = a->data;
#pragma omp parallel for simd schedule(static) if (n > PAR_N)
		for (int64_t i = 0; i < n; i++)
			d[i] = (float)(start + (double)(off + i) * step);
	} else {
		size_t es = ha_dtype_size(a->dtype);
#pragma omp parallel for schedule(static) if (n > PAR_N)
		for (int64_t b = 0; b < (n + 1023) / 1024; b++) {
			double tmp[1024];
			int64_t lo = b * 1024, m = n - lo < 1024 ? n - lo : 1024;
			for (int64_t i = 0; i < m; i++)
				tmp[i] = start + (double)(off + lo + i) * step;
			ha_convert(a->dtype, (char *)a->data + (size_t)lo * es, HA_FLOAT64, tmp, m);
		}
	}
	if (last_i >= off && last_i < off + n)
		ha_scalar_store(ha_scalar_float(last_v), a->dtype,
		                (char *)a->data + (size_t)(last_i - off) * ha_dtype_size(a->dtype));
}

static int check_split_1d(int split)
{
	if (split != HA_SPLIT_NONE && split != 0)
		return ha_error_set(HA_EVALUE, "split axis %d is out of bounds for an array of "
		                    "dimension 1", split);
	return 0;
}

ha_array *ha_arange(double start, double stop, double step, ha_dtype dtype, int split,
                    ha_device dev, ha_comm *comm)
{
	int64_t n;
	ha_array *a;
	if (step == 0) {
		ha_error_set(HA_EVALUE, "arange: step must be nonzero");
		return NULL;
	}
	if (!isfinite(start) || !isfinite(stop) || !isfinite(step)) {
		ha_error_set(HA_EVALUE, "arange: start, stop and step must be finite");
		return NULL;
	}
	if (check_split_1d(split))
		return NULL;
	n = (int64_t)ceil((stop - start) / step);
	if (n < 0)
		n = 0;
	a = ha_empty(dtype, 1, &n, split, dev, comm);
	if (!a)
		return NULL;
	if (ha_dtype_kind(dtype) == HA_KIND_INT && start == floor(start) && step == floor(step) &&
	    fabs(start) < 9.0e15 && fabs(step) < 9.0e15) {
		/* exact integer arithmetic, then wrap to the dtype */
		int64_t s0 = (int64_t)start, st = (int64_t)step, m = a->lshape[0];
		int64_t off = split == 0 ? a->loffset : 0;
		if (dtype == HA_INT64) {
			int64_t *d = a->data;
#pragma omp parallel for simd schedule(static) if (m > PAR_N)
			for (int64_t i = 0; i < m; i++)
				d[i] = s0 + (off + i) * st;
		} else if (dtype == HA_INT32) {
			int32_t *d = a->data;
#pragma omp parallel for simd schedule(static) if (m > PAR_N)
			for (int64_t i = 0; i < m; i++)
				d[i] = (int32_t)(s0 + (off + i) * st);
		} else {
			for (int64_t i = 0; i < m; i++) {
				int64_t v = s0 + (off + i) * st;
				ha_convert(dtype, (char *)a->data + (size_t)i * ha_dtype_size(dtype),
				           HA_INT64, &v, 1);
			}
		}
		return a;
	}
	fill_double(a, start, step, -1, 0);
	return a;
}

ha_array *ha_linspace(double start, double stop, int64_t num, int endpoint, ha_dtype dtype,
                      int split, ha_device dev, ha_comm *comm)
{
	ha_array *a;
	double div, step;
	if (num < 0) {
		ha_error_set(HA_EVALUE, "Number of samples, %lld, must be non-negative",
		             (long long)num);
		return NULL;
	}
	if (check_split_1d(split))
		return NULL;
	a = ha_empty(dtype, 1, &num, split, dev, comm);
	if (!a)
		return NULL;
	div = endpoint ? (double)(num - 1) : (double)num;
	step = div > 0 ? (stop - start) / div : 0;
	/* NumPy puts stop itself at the end point */
	fill_double(a, start, step, endpoint && num > 1 ? num - 1 : -1, stop);
	return a;
}

ha_array *ha_logspace(double start, double stop, int64_t num, int endpoint, double base,
                      ha_dtype dtype, int split, ha_device dev, ha_comm *comm)
{
	ha_array *e = ha_linspace(start, stop, num, endpoint, HA_FLOAT64, split, dev, comm), *a;
	if (!e)
		return NULL;
	double *x = e->data;
	int64_t n = e->lshape[0];
#pragma omp parallel for schedule(static) if (n > PAR_N)
	for (int64_t i = 0; i < n; i++)
		x[i] = pow(base, x[i]);
	a = ha_astype(e, dtype);
	ha_release(e);
	return a;
}

ha_array *ha_eye(int64_t n, int64_t m, int64_t k, ha_dtype dtype, int split, ha_device dev,
                 ha_comm *comm)
{
	int64_t shape[2] = { n, m };
	unsigned char one[16];
	ha_array *a = ha_zeros(dtype, 2, shape, split, dev, comm);
	if (!a)
		return NULL;
	int64_t r0 = split == 0 ? a->loffset : 0, c0 = split == 1 ? a->loffset : 0;
	size_t es = ha_dtype_size(dtype);
	ha_scalar_store(ha_scalar_int(1), dtype, one);
	for (int64_t i = 0; i < a->lshape[0]; i++) {
		int64_t j = r0 + i + k - c0;   /* local column of the diagonal */
		if (j >= 0 && j < a->lshape[1])
			memcpy((char *)a->data + (size_t)(i * a->lshape[1] + j) * es, one, es);
	}
	return a;
}

ha_array *ha_array_from_data(ha_dtype dtype, int ndim, const int64_t *shape, const void *data,
                             int split, ha_device dev, ha_comm *comm)
{
	int64_t off[HA_MAXDIM] = { 0 }, zero[HA_MAXDIM] = { 0 };
	ha_array *a = ha_empty(dtype, ndim, shape, split, dev, comm);
	if (!a)
		return NULL;
	if (split >= 0)
		off[split] = a->loffset;
	ha_copy_box(ha_dtype_size(dtype), ndim, a->lshape, data, a->gshape, off, a->data,
	            a->lshape, zero);
	return a;
}

ha_array *ha_array_from_local(ha_dtype dtype, int ndim, const int64_t *lshape, const void *data,
                              int split, ha_device dev, ha_comm *comm)
{
	ha_array *a;
	int64_t *all, *counts, *displs, *lmap, gshape[HA_MAXDIM];
	int P;
	comm = comm_or_world(comm);
	P = comm->size;
	if (ndim < 1 || ndim > HA_MAXDIM || split < 0 || split >= ndim) {
		ha_error_set(HA_EVALUE, "is_split needs a split axis in [0, %d), got %d", ndim, split);
		return NULL;
	}
	all = ha__malloc(sizeof(int64_t) * (size_t)P * (size_t)(ndim + 3));
	if (!all) {
		ha_error_set(HA_EMEMORY, "out of memory in array");
		return NULL;
	}
	counts = all + (size_t)P * (size_t)ndim;
	displs = counts + P;
	lmap = displs + P;
	for (int r = 0; r < P; r++) {
		counts[r] = ndim * (int64_t)sizeof(int64_t);
		displs[r] = r * counts[r];
	}
	if (ha_allgather_bytes(lshape, ndim * (int64_t)sizeof(int64_t), all, counts, displs, comm,
	                       "array") != 0) {
		free(all);
		return NULL;
	}
	for (int d = 0; d < ndim; d++)
		gshape[d] = d == split ? 0 : all[d];
	for (int r = 0; r < P; r++)
		for (int d = 0; d < ndim; d++) {
			int64_t v = all[(size_t)r * (size_t)ndim + (size_t)d];
			if (d == split) {
				lmap[r] = v;
				gshape[d] += v;
			} else if (v != gshape[d]) {
				ha_error_set(HA_EVALUE, "Unable to construct DNDarray: local shapes differ "
				             "outside the split axis %d (rank %d has length %lld on axis "
				             "%d, rank 0 has %lld)", split, r, (long long)v, d,
				             (long long)gshape[d]);
				free(all);
				return NULL;
			}
		}
	a = ha_array_alloc_lmap(dtype, ndim, gshape, split, lmap, dev, comm);
	free(all);
	if (!a)
		return NULL;
	memcpy(a->data, data, (size_t)ha_lnbytes(a));
	return a;
}

int ha_meshgrid(int n, ha_array *const *arrays, int indexing_xy, ha_array **out)
{
	int64_t shape[HA_MAXDIM];
	int ax[HA_MAXDIM], split_in = -1, oax;
	if (n < 1 || n > HA_MAXDIM)
		return ha_error_set(HA_EVALUE, "meshgrid needs 1 to %d arrays, got %d", HA_MAXDIM, n);
	for (int i = 0; i < n; i++) {
		if (arrays[i]->ndim != 1)
			return ha_error_set(HA_EVALUE, "meshgrid: all arrays must be 1-dimensional, "
			                    "argument %d has %d dimensions", i, arrays[i]->ndim);
		if (arrays[i]->split >= 0) {
			if (split_in >= 0)
				return ha_error_set(HA_EVALUE, "meshgrid: at most one array may be split");
			split_in = i;
		}
		ax[i] = (indexing_xy && n >= 2 && i < 2) ? 1 - i : i;
		shape[ax[i]] = arrays[i]->gshape[0];
	}
	oax = split_in >= 0 ? ax[split_in] : -1;
	for (int k = 0; k < n; k++)
		out[k] = NULL;
	for (int k = 0; k < n; k++) {
		const ha_array *in = arrays[k];
		ha_array *o = ha_array_alloc_lmap(in->dtype, n, shape, oax,
		                                  split_in >= 0 ? arrays[split_in]->lmap : NULL,
		                                  in->device, in->comm);
		if (!o) {
			for (int j = 0; j < k; j++)
				ha_release(out[j]);
			return -1;
		}
		size_t es = ha_dtype_size(in->dtype);
		int64_t outer = 1, mid = o->lshape[ax[k]], inner = 1;
		for (int d = 0; d < ax[k]; d++)
			outer *= o->lshape[d];
		for (int d = ax[k] + 1; d < n; d++)
			inner *= o->lshape[d];
#pragma omp parallel for collapse(2) schedule(static) if (outer * mid * inner > PAR_N)
		for (int64_t p = 0; p < outer; p++)
			for (int64_t j = 0; j < mid; j++)
				fill_elems((char *)o->data + (size_t)((p * mid + j) * inner) * es,
				           (const char *)in->data + (size_t)j * es, es, inner);
		out[k] = o;
	}
	return 0;
}
