/*
** spatial.c — ha_cdist, ha_manhattan, ha_rbf: pairwise distances and the
** Gaussian kernel between the rows of two data matrices (Heat's
** heat/spatial/distance.py).
**
** Every rank computes one block of the result: its own rows of X against
** some rows of Y.  When both X and Y are split along the samples, Y's
** chunks travel around the ring (rank r sends to r-1 and receives from
** r+1), so every rank sees every chunk once and fills the matching block
** of columns of its rows; the next chunk's exchange is posted before the
** block in hand is computed.  Memory per rank: its chunks, its rows of
** the result and two chunk buffers.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ha.h"
#include "internal.h"
#include "../kernels/cpu/hk_gemm.h"

#define WHAT "cdist"

enum { M_EUCLID, M_SQEUCLID, M_MANHATTAN };

typedef struct metric {
	int kind;           /* M_EUCLID: distances; M_SQEUCLID: squared (rbf); M_MANHATTAN */
	int quad;           /* quadratic expansion through one GEMM */
	double gamma;       /* rbf: result exp(-gamma * d^2); 0: no kernel */
} metric;

/* Per-rank scratch for the expansion: row norms of X, of the current Y
** chunk, and the chunk transposed (f x ny) for the GEMM. */
typedef struct scratch {
	double *xx, *yy;
	void *yt;
} scratch;

/* One block C[0:nx, 0:ny] (leading dimension ldc) of distances between
** the nx rows of X and the ny rows of Y (f features each).  Sums run in
** double; the result is rounded once to T. */
#define DEFINE_BLOCK(T, SUF)                                                         \
static void block_##SUF(const metric *m, int64_t nx, int64_t ny, int64_t f,         \
                        const T *X, const T *Y, T *C, int64_t ldc, scratch *s,      \
                        int dtype)                                                   \
{                                                                                    \
	if (m->quad && m->kind != M_MANHATTAN && f > 0) {                            \
		T *yt = s->yt;                                                       \
		for (int64_t j = 0; j < ny; j++) {                                   \
			double acc = 0;                                              \
			for (int64_t k = 0; k < f; k++) {                            \
				T v = Y[j * f + k];                                  \
				yt[k * ny + j] = v;                                  \
				acc += (double)v * v;                                \
			}                                                            \
			s->yy[j] = acc;                                              \
		}                                                                    \
		hk_cpu_gemm(dtype, nx, ny, f, X, f, yt, ny, C, ldc, 0);              \
		_Pragma("omp parallel for schedule(static)")                         \
		for (int64_t i = 0; i < nx; i++) {                                   \
			T *c = C + i * ldc;                                          \
			for (int64_t j = 0; j < ny; j++) {                           \
				double d = s->xx[i] + s->yy[j] - 2.0 * (double)c[j]; \
				if (d < 0)                                           \
					d = 0;                                       \
				c[j] = (T)(m->gamma > 0 ? exp(-m->gamma * d)         \
				           : m->kind == M_EUCLID ? sqrt(d) : d);     \
			}                                                            \
		}                                                                    \
		return;                                                              \
	}                                                                            \
	_Pragma("omp parallel for schedule(static)")                                 \
	for (int64_t i = 0; i < nx; i++) {                                           \
		const T *x = X + i * f;                                              \
		T *c = C + i * ldc;                                                  \
		for (int64_t j = 0; j < ny; j++) {                                   \
			const T *y = Y + j * f;                                      \
			double acc = 0;                                              \
			if (m->kind == M_MANHATTAN) {                                \
				for (int64_t k = 0; k < f; k++)                      \
					acc += fabs((double)x[k] - (double)y[k]);    \
			} else {                                                     \
				for (int64_t k = 0; k < f; k++) {                    \
					double d = (double)x[k] - (double)y[k];      \
					acc += d * d;                                \
				}                                                    \
			}                                                            \
			c[j] = (T)(m->gamma > 0 ? exp(-m->gamma * acc)               \
			           : m->kind == M_EUCLID ? sqrt(acc) : acc);         \
		}                                                                    \
	}                                                                            \
}
DEFINE_BLOCK(float, f32)
DEFINE_BLOCK(double, f64)

static void block(ha_dtype t, const metric *m, int64_t nx, int64_t ny, int64_t f,
                  const void *X, const void *Y, void *C, int64_t ldc, scratch *s)
{
	if (nx == 0 || ny == 0)
		return;
	if (t == HA_FLOAT32)
		block_f32(m, nx, ny, f, X, Y, C, ldc, s, t);
	else
		block_f64(m, nx, ny, f, X, Y, C, ldc, s, t);
}

/* Squared row norms of the local rows of X (the expansion's ||x||^2). */
static void row_norms(ha_dtype t, int64_t n, int64_t f, const void *X, double *out)
{
	for (int64_t i = 0; i < n; i++) {
		double acc = 0;
		for (int64_t k = 0; k < f; k++) {
			double v = t == HA_FLOAT32 ? ((const float *)X)[i * f + k] : ((const double *)X)[i * f + k];
			acc += v * v;
		}
		out[i] = acc;
	}
}

/* A 2-D float copy of `a` (dtype t) split along 0 or replicated. */
static ha_array *prepare(const ha_array *a, ha_dtype t)
{
	ha_array *r = ha_retain((ha_array *)a);
	if (r->split > 0) {
		ha_array *s = ha_resplit(r, 0);
		ha_release(r);
		if (!s)
			return NULL;
		r = s;
	}
	if (r->dtype != t) {
		ha_array *c = ha_astype(r, t);
		ha_release(r);
		r = c;
	}
	return r;
}

static ha_array *pairwise(const ha_array *X0, const ha_array *Y0, const metric *m, const char *fn)
{
	if (!Y0)
		Y0 = X0;
	if (X0->ndim != 2 || Y0->ndim != 2)
		return ha_error_set(HA_EVALUE, "%s: X and Y must be 2-D (samples x features), got %d-D and %d-D",
		                    fn, X0->ndim, Y0->ndim), NULL;
	if (X0->gshape[1] != Y0->gshape[1])
		return ha_error_set(HA_EVALUE, "%s: X and Y must have the same number of features, got %lld and %lld",
		                    fn, (long long)X0->gshape[1], (long long)Y0->gshape[1]), NULL;
	if (ha_dtype_is_complex(X0->dtype) || ha_dtype_is_complex(Y0->dtype))
		return ha_error_set(HA_ETYPE, "%s is not supported for complex input", fn), NULL;
	ha_dtype t = ha_promote_types(ha_promote_types(X0->dtype, Y0->dtype), HA_FLOAT32);
	int same = X0 == Y0;
	ha_array *X = prepare(X0, t);
	if (!X)
		return NULL;
	ha_array *Y = same ? ha_retain(X) : prepare(Y0, t);
	if (!Y) {
		ha_release(X);
		return NULL;
	}
	ha_comm *c = X->comm;
	int P = c->size, me = c->rank;
	int64_t n = X->gshape[0], mm = Y->gshape[0], f = X->gshape[1];
	int64_t shape[2] = { n, mm };
	ha_array *D;
	int ring = X->split == 0 && Y->split == 0 && P > 1;
	if (X->split == 0)
		D = ha_array_alloc_lmap(t, 2, shape, 0, X->lmap, X->device, c);
	else if (Y->split == 0)
		D = ha_array_alloc_lmap(t, 2, shape, 1, Y->lmap, X->device, c);
	else
		D = ha_array_alloc(t, 2, shape, HA_SPLIT_NONE, X->device, c);
	if (!D) {
		ha_release(X);
		ha_release(Y);
		return NULL;
	}
	size_t es = ha_dtype_size(t);
	int64_t maxy = Y->lshape[0];
	if (ring)
		for (int j = 0; j < P; j++)
			if (Y->lmap[j] > maxy)
				maxy = Y->lmap[j];
	int64_t nx = X->lshape[0];
	scratch s = { NULL, NULL, NULL };
	char *buf[2] = { NULL, NULL };
	int failed = 0;
	if (m->quad && m->kind != M_MANHATTAN) {
		s.xx = ha__malloc((size_t)nx * sizeof(double));
		s.yy = ha__malloc((size_t)maxy * sizeof(double));
		s.yt = ha__malloc((size_t)(maxy * f) * es);
		failed = !s.xx || !s.yy || !s.yt;
		if (!failed)
			row_norms(t, nx, f, X->data, s.xx);
	}
	if (ring) {
		buf[0] = ha__malloc((size_t)(maxy * f) * es);
		buf[1] = ha__malloc((size_t)(maxy * f) * es);
		failed |= !buf[0] || !buf[1];
	}
	int rc = ha__agree(failed, ha_gnbytes(D) + 2 * maxy * f * (int64_t)es * P, c, WHAT);
	if (rc == 0 && !ring) {
		/* X's local rows (all of X when replicated) against Y's local rows
		** (all of Y when replicated): exactly D's local block */
		block(t, m, nx, Y->lshape[0], f, X->data, Y->data, D->data, D->lshape[1], &s);
	} else if (rc == 0) {
		int64_t *off = ha__malloc((size_t)(P + 1) * sizeof(int64_t));
		if (ha__agree(!off, 0, c, WHAT))
			rc = -1;
		if (rc == 0) {
			off[0] = 0;
			for (int j = 0; j < P; j++)
				off[j + 1] = off[j] + Y->lmap[j];
			const char *cur = Y->data;
			int nb = 0;
			for (int st = 0; st < P && rc == 0; st++) {
				int j = (me + st) % P;
				ha_request req;
				int posted = 0;
				if (st + 1 < P) {
					int jn = (me + st + 1) % P;
					rc = ha_isendrecv_bytes(cur, Y->lmap[j] * f * (int64_t)es, (me + P - 1) % P,
					                        buf[nb], Y->lmap[jn] * f * (int64_t)es, (me + 1) % P,
					                        c, WHAT, &req);
					posted = rc == 0;
				}
				if (rc == 0)
					block(t, m, nx, Y->lmap[j], f, X->data, cur,
					      (char *)D->data + (size_t)off[j] * es, mm, &s);
				if (posted && ha_wait(&req))
					rc = -1;
				cur = buf[nb];
				nb ^= 1;
			}
		}
		free(off);
	}
	free(s.xx);
	free(s.yy);
	free(s.yt);
	free(buf[0]);
	free(buf[1]);
	ha_release(X);
	ha_release(Y);
	if (rc) {
		ha_release(D);
		return NULL;
	}
	return D;
}

ha_array *ha_cdist(const ha_array *X, const ha_array *Y, int quadratic_expansion)
{
	metric m = { M_EUCLID, quadratic_expansion != 0, 0 };
	return pairwise(X, Y, &m, "cdist");
}

ha_array *ha_manhattan(const ha_array *X, const ha_array *Y)
{
	metric m = { M_MANHATTAN, 0, 0 };
	return pairwise(X, Y, &m, "manhattan");
}

ha_array *ha_rbf(const ha_array *X, const ha_array *Y, double sigma, int quadratic_expansion)
{
	if (!(sigma > 0))
		return ha_error_set(HA_EVALUE, "rbf: sigma must be positive, got %g", sigma), NULL;
	metric m = { M_SQEUCLID, quadratic_expansion != 0, 1.0 / (2.0 * sigma * sigma) };
	return pairwise(X, Y, &m, "rbf");
}
