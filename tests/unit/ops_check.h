/*
** ops_check.h — helpers for the ops suites (test_rt_elementwise.c,
** test_rt_reduce.c): build arrays whose elements are a formula of their
** global index, read local elements, and agree on verdicts across ranks.
*/
#ifndef OPS_CHECK_H
#define OPS_CHECK_H

#include <math.h>
#include <complex.h>
#include "rt_common.h"

static const ha_device CPU = { HA_CPU, 0 };

typedef double (*oc_fn)(int64_t g, const int64_t *idx);

/* dtype dt, balanced, element = f(global index) (complex: f + i*f/2) */
static inline ha_array *oc_make(ha_dtype dt, int nd, const int64_t *shape, int split, oc_fn f)
{
	ha_array *a = ha_array_alloc(dt, nd, shape, split, CPU, NULL);
	int64_t idx[HA_MAXDIM];
	size_t es = ha_dtype_size(dt);
	for (int64_t l = 0; a && l < ha_lnumel(a); l++) {
		int64_t g = rt_global_idx(a, l, idx);
		double v = f(g, idx);
		if (ha_dtype_is_complex(dt)) {
			double complex z = CMPLX(v, v / 2);
			ha_convert(dt, (char *)a->data + l * (int64_t)es, HA_COMPLEX128, &z, 1);
		} else
			ha_convert(dt, (char *)a->data + l * (int64_t)es, HA_FLOAT64, &v, 1);
	}
	return a;
}

static inline double oc_get(const ha_array *a, int64_t l)
{
	double v;
	ha_convert(HA_FLOAT64, &v, a->dtype, (char *)a->data + l * (int64_t)ha_dtype_size(a->dtype), 1);
	return v;
}

static inline double complex oc_getc(const ha_array *a, int64_t l)
{
	double complex v;
	ha_convert(HA_COMPLEX128, &v, a->dtype, (char *)a->data + l * (int64_t)ha_dtype_size(a->dtype), 1);
	return v;
}

static inline int64_t oc_geti(const ha_array *a, int64_t l)
{
	int64_t v;
	ha_convert(HA_INT64, &v, a->dtype, (char *)a->data + l * (int64_t)ha_dtype_size(a->dtype), 1);
	return v;
}

static inline int oc_close(double got, double want, double tol)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= tol * (1 + fabs(want));
}

static inline int oc_shape_is(const ha_array *a, int nd, const int64_t *shape)
{
	if (!a || a->ndim != nd)
		return 0;
	for (int d = 0; d < nd; d++)
		if (a->gshape[d] != shape[d])
			return 0;
	return 1;
}

/* report and agree */
#define OC_OK(cond) ck_assert_msg(rt_all(cond), "failed on some rank: %s (line %d)", #cond, __LINE__)

#endif
