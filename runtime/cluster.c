/*
** cluster.c — k-means (Lloyd's algorithm) on a data matrix split along
** the samples: ha_kmeans_init, ha_kmeans_fit, ha_kmeans_predict.
**
** The centroids are small (k x f) and replicated; the samples never move.
** Every iteration each rank assigns its own samples to the nearest
** centroid and sums them per cluster; ONE Allreduce of k * (f + 1)
** doubles gives every rank the same sums and counts, hence the same new
** centroids.  Arithmetic is in double whatever the data's dtype.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ha.h"
#include "internal.h"

#define WHAT "kmeans"

/* The local rows of X as doubles (split 0 or replicated X). */
typedef struct data {
	ha_array *X;        /* X resplit to 0 when it was split along 1 */
	double *v;          /* lshape[0] x f */
	int64_t n, f;       /* local rows, features */
} data;

static void data_free(data *d)
{
	free(d->v);
	if (d->X)
		ha_release(d->X);
}

static int data_load(const ha_array *X0, data *d, const char *fn)
{
	memset(d, 0, sizeof *d);
	if (X0->ndim != 2)
		return ha_error_set(HA_EVALUE, "%s: the data must be 2-D (samples x features), got %d-D",
		                    fn, X0->ndim);
	if (ha_dtype_is_complex(X0->dtype))
		return ha_error_set(HA_ETYPE, "%s is not supported for complex data", fn);
	d->X = X0->split > 0 ? ha_resplit(X0, 0) : ha_retain((ha_array *)X0);
	if (!d->X)
		return -1;
	d->n = d->X->lshape[0];
	d->f = d->X->gshape[1];
	d->v = ha__malloc((size_t)(d->n * d->f) * sizeof(double));
	if (ha__agree(!d->v, ha_gnumel(d->X) * 8, d->X->comm, WHAT)) {
		data_free(d);
		return -1;
	}
	ha_convert(HA_FLOAT64, d->v, d->X->dtype, d->X->data, d->n * d->f);
	return 0;
}

/* Nearest of the k centroids (ties: the lower index); *d2 its squared distance. */
static int64_t nearest(const double *x, const double *c, int64_t k, int64_t f, double *d2)
{
	int64_t best = 0;
	double bd = INFINITY;
	for (int64_t j = 0; j < k; j++) {
		double acc = 0;
		for (int64_t q = 0; q < f; q++) {
			double t = x[q] - c[j * f + q];
			acc += t * t;
		}
		if (acc < bd) {
			bd = acc;
			best = j;
		}
	}
	*d2 = bd;
	return best;
}

/* Replicated uniform numbers in [0, 1) from the global generator (the
** same on every rank, independent of the rank count). */
static int uniforms(ha_comm *c, int64_t n, double *out)
{
	int64_t shape[1] = { n };
	ha_array *u = ha_rand(HA_FLOAT64, 1, shape, HA_SPLIT_NONE, HA_DEVICE_CPU, c);
	if (!u)
		return -1;
	memcpy(out, u->data, (size_t)n * sizeof(double));
	ha_release(u);
	return 0;
}

/* Copy global row g of the data into row `slot` of the k x f buffer cbuf
** on the rank that holds it (zeros elsewhere: the caller sums over ranks). */
static void take_row(const data *d, int64_t g, double *cbuf, int64_t slot)
{
	const ha_array *X = d->X;
	int64_t off = X->split == 0 ? X->loffset : 0;
	if (g >= off && g < off + d->n)
		memcpy(cbuf + slot * d->f, d->v + (g - off) * d->f, (size_t)d->f * sizeof(double));
}

/* Sum the k x f buffer over the ranks when the data is split. */
static int share(const data *d, double *buf, int64_t count)
{
	if (d->X->split != 0 || d->X->comm->size == 1)
		return 0;
	return ha_allreduce(MPI_IN_PLACE, buf, count, MPI_DOUBLE, MPI_SUM, d->X->comm, WHAT);
}

static ha_array *centers_array(const data *d, const double *c, int64_t k)
{
	ha_dtype t = ha_promote_types(d->X->dtype, HA_FLOAT32);
	int64_t shape[2] = { k, d->f };
	ha_array *r = ha_array_alloc(t, 2, shape, HA_SPLIT_NONE, d->X->device, d->X->comm);
	if (r)
		ha_convert(t, r->data, HA_FLOAT64, c, k * d->f);
	return r;
}

/* k distinct samples drawn uniformly ("random"), or k-means++ seeding:
** the first centre uniformly, each next one with probability proportional
** to the squared distance to the nearest centre chosen so far. */
static int init_centers(const data *d, int64_t k, int plusplus, double *c)
{
	ha_comm *cm = d->X->comm;
	int64_t N = d->X->gshape[0], f = d->f;
	int64_t *chosen = ha__malloc((size_t)k * sizeof(int64_t));
	double *d2 = plusplus ? ha__malloc((size_t)d->n * sizeof(double)) : NULL;
	if (ha__agree(!chosen || (plusplus && !d2), 0, cm, WHAT)) {
		free(chosen);
		free(d2);
		return -1;
	}
	int rc = 0;
	memset(c, 0, (size_t)(k * f) * sizeof(double));
	if (!plusplus) {
		int64_t got = 0;
		double u[64];
		while (got < k && rc == 0) {
			if ((rc = uniforms(cm, 64, u)))
				break;
			for (int i = 0; i < 64 && got < k; i++) {
				int64_t g = (int64_t)(u[i] * (double)N);
				int dup = 0;
				for (int64_t j = 0; j < got; j++)
					dup |= chosen[j] == g;
				if (!dup) {
					take_row(d, g, c, got);
					chosen[got++] = g;
				}
			}
		}
		if (rc == 0)
			rc = share(d, c, k * f);
	} else {
		double u;
		rc = uniforms(cm, 1, &u);
		if (rc == 0) {
			take_row(d, (int64_t)(u * (double)N), c, 0);
			rc = share(d, c, f);
		}
		for (int64_t i = 0; i < d->n && rc == 0; i++) {
			double t;
			nearest(d->v + i * f, c, 1, f, &t);
			d2[i] = t;
		}
		int P = d->X->split == 0 ? cm->size : 1;
		double *tots = ha__malloc((size_t)P * sizeof(double));
		int64_t *cnt = ha__malloc((size_t)P * 2 * sizeof(int64_t));
		if (ha__agree(!tots || !cnt, 0, cm, WHAT))
			rc = -1;
		for (int r = 0; r < P && rc == 0; r++) {
			cnt[r] = sizeof(double);
			cnt[P + r] = r * (int64_t)sizeof(double);
		}
		for (int64_t m = 1; m < k && rc == 0; m++) {
			/* every rank's total, gathered so that all ranks add them up
			** in the same order and agree on the owner of the draw */
			double loc = 0, tot = 0, before = 0;
			for (int64_t i = 0; i < d->n; i++)
				loc += d2[i];
			tots[0] = loc;
			if (P > 1 && (rc = ha_allgather_bytes(&loc, sizeof(double), tots, cnt, cnt + P, cm, WHAT)))
				break;
			for (int r = 0; r < P; r++)
				tot += tots[r];
			if ((rc = uniforms(cm, 1, &u)))
				break;
			double target = u * tot;
			int owner = -1;
			for (int r = 0; r < P && tot > 0; r++) {
				if (tots[r] > 0)
					owner = r;
				if (tots[r] > 0 && target < before + tots[r])
					break;
				before += tots[r];
			}
			double *row = c + m * f;
			int me = P > 1 ? cm->rank : 0;
			if (owner == me) {
				if (before > target)
					before = target;
				double acc = before;
				int64_t i = 0;
				for (; i < d->n - 1; i++) {
					acc += d2[i];
					if (target < acc && d2[i] > 0)
						break;
				}
				while (i > 0 && d2[i] == 0)
					i--;
				memcpy(row, d->v + i * f, (size_t)f * sizeof(double));
			} else if (owner < 0) {
				/* every sample already is a centre: repeat the first one */
				take_row(d, 0, row, 0);
			}
			if ((rc = share(d, row, f)))
				break;
			for (int64_t i = 0; i < d->n; i++) {
				double t;
				nearest(d->v + i * f, row, 1, f, &t);
				if (t < d2[i])
					d2[i] = t;
			}
		}
		free(tots);
		free(cnt);
	}
	free(chosen);
	free(d2);
	return rc;
}

ha_array *ha_kmeans_init(const ha_array *X, int64_t k, int plusplus)
{
	data d;
	if (data_load(X, &d, "KMeans"))
		return NULL;
	if (k < 1 || k > d.X->gshape[0]) {
		data_free(&d);
		return ha_error_set(HA_EVALUE, "n_samples=%lld should be >= n_clusters=%lld",
		                    (long long)X->gshape[0], (long long)k), NULL;
	}
	double *c = ha__malloc((size_t)(k * d.f) * sizeof(double));
	ha_array *r = NULL;
	if (!ha__agree(!c, 0, d.X->comm, WHAT) && init_centers(&d, k, plusplus, c) == 0)
		r = centers_array(&d, c, k);
	free(c);
	data_free(&d);
	return r;
}

/* Labels against centroids c (k x f) into lab (local rows); returns the
** local sum of squared distances. */
static double assign(const data *d, const double *c, int64_t k, int64_t *lab)
{
	double inertia = 0;
	#pragma omp parallel for schedule(static) reduction(+:inertia)
	for (int64_t i = 0; i < d->n; i++) {
		double t;
		lab[i] = nearest(d->v + i * d->f, c, k, d->f, &t);
		inertia += t;
	}
	return inertia;
}

static int centers_in(const ha_array *init, int64_t k, int64_t f, double *c)
{
	if (init->ndim != 2 || init->gshape[0] != k || init->gshape[1] != f)
		return ha_error_set(HA_EVALUE, "the initial centroids must have shape (%lld, %lld)",
		                    (long long)k, (long long)f);
	ha_array *r = init->split >= 0 ? ha_resplit(init, HA_SPLIT_NONE) : ha_retain((ha_array *)init);
	if (!r)
		return -1;
	ha_convert(HA_FLOAT64, c, r->dtype, r->data, k * f);
	ha_release(r);
	return 0;
}

static ha_array *labels_array(const data *d, const int64_t *lab)
{
	const ha_array *X = d->X;
	int64_t shape[1] = { X->gshape[0] };
	ha_array *r = ha_array_alloc_lmap(HA_INT64, 1, shape, X->split == 0 ? 0 : HA_SPLIT_NONE,
	                                  X->split == 0 ? X->lmap : NULL, X->device, X->comm);
	if (r)
		memcpy(r->data, lab, (size_t)d->n * sizeof(int64_t));
	return r;
}

int ha_kmeans_fit(const ha_array *X, const ha_array *init, int64_t max_iter, double tol,
                  ha_kmeans_result *out)
{
	memset(out, 0, sizeof *out);
	data d;
	if (data_load(X, &d, "KMeans"))
		return -1;
	int64_t k = init->ndim == 2 ? init->gshape[0] : 0, f = d.f;
	double *c = ha__malloc((size_t)(k * f) * sizeof(double));
	double *acc = ha__malloc((size_t)(k * (f + 1)) * sizeof(double));
	int64_t *lab = ha__malloc((size_t)d.n * sizeof(int64_t));
	int rc = ha__agree(!c || !acc || !lab, 0, d.X->comm, WHAT);
	if (rc == 0)
		rc = centers_in(init, k, f, c);
	int64_t it = 0;
	while (rc == 0 && it < max_iter) {
		it++;
		assign(&d, c, k, lab);
		memset(acc, 0, (size_t)(k * (f + 1)) * sizeof(double));
		for (int64_t i = 0; i < d.n; i++) {
			double *s = acc + lab[i] * (f + 1);
			const double *x = d.v + i * f;
			for (int64_t q = 0; q < f; q++)
				s[q] += x[q];
			s[f] += 1;
		}
		if ((rc = share(&d, acc, k * (f + 1))))
			break;
		double shift = 0;
		for (int64_t j = 0; j < k; j++) {
			const double *s = acc + j * (f + 1);
			if (s[f] == 0)
				continue;   /* an empty cluster keeps its centroid */
			for (int64_t q = 0; q < f; q++) {
				double nv = s[q] / s[f], t = nv - c[j * f + q];
				shift += t * t;
				c[j * f + q] = nv;
			}
		}
		if (shift <= tol)
			break;
	}
	if (rc == 0) {
		double inertia = assign(&d, c, k, lab);
		rc = share(&d, &inertia, 1);
		out->inertia = inertia;
		out->n_iter = it;
	}
	if (rc == 0) {
		out->centers = centers_array(&d, c, k);
		out->labels = out->centers ? labels_array(&d, lab) : NULL;
		if (!out->labels) {
			if (out->centers)
				ha_release(out->centers);
			out->centers = NULL;
			rc = -1;
		}
	}
	free(c);
	free(acc);
	free(lab);
	data_free(&d);
	return rc;
}

ha_array *ha_kmeans_predict(const ha_array *X, const ha_array *centers, double *inertia)
{
	data d;
	if (data_load(X, &d, "KMeans.predict"))
		return NULL;
	int64_t k = centers->ndim == 2 ? centers->gshape[0] : 0;
	if (centers->ndim != 2 || centers->gshape[1] != d.f) {
		data_free(&d);
		return ha_error_set(HA_EVALUE, "X has %lld features, but the model was fitted with %lld",
		                    (long long)d.f, (long long)(centers->ndim == 2 ? centers->gshape[1] : 0)), NULL;
	}
	double *c = ha__malloc((size_t)(k * d.f) * sizeof(double));
	int64_t *lab = ha__malloc((size_t)d.n * sizeof(int64_t));
	ha_array *r = NULL;
	if (!ha__agree(!c || !lab, 0, d.X->comm, WHAT) && centers_in(centers, k, d.f, c) == 0) {
		double in = assign(&d, c, k, lab);
		if (share(&d, &in, 1) == 0) {
			if (inertia)
				*inertia = in;
			r = labels_array(&d, lab);
		}
	}
	free(c);
	free(lab);
	data_free(&d);
	return r;
}
