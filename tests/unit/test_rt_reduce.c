/* test_rt_reduce.c — reductions over every axis / split pair of 1-D, 2-D
** and 3-D arrays (with keepdims, tuples of axes, empty chunks), result
** dtypes and splits, argmin/argmax ties, var/std with ddof, pairwise
** float32 accuracy, cumsum/cumprod along and across the split, errors.
** Expected values are brute-force sums over the global index space. */
#include <float.h>
#include "ops_check.h"

static double f_tie(int64_t g, const int64_t *i) { (void)i; return (double)((g * 37) % 11) - 5; }
static double f_prodv(int64_t g, const int64_t *i) { (void)i; return 1.0 + (double)(g % 3) * 0.25; }

enum { K_SUM, K_PROD, K_MIN, K_MAX, K_MEAN, K_VAR, K_STD, K_ALL, K_ANY, K_COUNT, K_ARGMIN, K_ARGMAX };
static const int HA_OF[] = { HA_RSUM, HA_RPROD, HA_RMIN, HA_RMAX, HA_RMEAN, HA_RVAR, HA_RSTD,
                             HA_RALL, HA_RANY, HA_RCOUNT_NONZERO, HA_RARGMIN, HA_RARGMAX };

/* expected reduction of f over the axes marked in red, for output flat o */
static int expected(int kind, int nd, const int64_t *shape, const int *red, oc_fn f, double ddof,
                    int64_t nout, double *want)
{
	int64_t total = 1, idx[HA_MAXDIM];
	for (int d = 0; d < nd; d++)
		total *= shape[d];
	double *s1 = calloc((size_t)nout + 1, sizeof(double)), *s2 = calloc((size_t)nout + 1, sizeof(double));
	double *cnt = calloc((size_t)nout + 1, sizeof(double));
	for (int64_t o = 0; o < nout; o++) {
		want[o] = kind == K_PROD || kind == K_ALL ? 1 : kind == K_MIN ? INFINITY : kind == K_MAX ? -INFINITY : 0;
		if (kind == K_ARGMIN || kind == K_ARGMAX)
			s1[o] = kind == K_ARGMIN ? INFINITY : -INFINITY;
	}
	for (int64_t g = 0; g < total; g++) {
		int64_t rem = g, o = 0, r = 0;
		for (int d = nd - 1; d >= 0; d--) {
			idx[d] = rem % shape[d];
			rem /= shape[d];
		}
		for (int d = 0; d < nd; d++) {
			if (!red[d])
				o = o * shape[d] + idx[d];
			else
				r = r * shape[d] + idx[d];     /* index along the reduced axes */
		}
		double v = f(g, idx);
		switch (kind) {
		case K_SUM: want[o] += v; break;
		case K_PROD: want[o] *= v; break;
		case K_MIN: want[o] = v < want[o] ? v : want[o]; break;
		case K_MAX: want[o] = v > want[o] ? v : want[o]; break;
		case K_ALL: want[o] = want[o] && v != 0; break;
		case K_ANY: want[o] = want[o] || v != 0; break;
		case K_COUNT: want[o] += v != 0; break;
		case K_ARGMIN: if (v < s1[o]) { s1[o] = v; want[o] = (double)r; } break;
		case K_ARGMAX: if (v > s1[o]) { s1[o] = v; want[o] = (double)r; } break;
		default: s1[o] += v; s2[o] += v * v; cnt[o] += 1; break;
		}
	}
	for (int64_t o = 0; o < nout; o++) {
		if (kind == K_MEAN)
			want[o] = s1[o] / cnt[o];
		else if (kind == K_VAR || kind == K_STD) {
			double m = s1[o] / cnt[o], v = (s2[o] - cnt[o] * m * m) / (cnt[o] - ddof);
			want[o] = kind == K_STD ? sqrt(v) : v;
		}
	}
	free(s1);
	free(s2);
	free(cnt);
	return 0;
}

/* run one reduction and compare every local element of the result */
static int check_one(int kind, const ha_array *a, int naxes, const int *axes, int keepdims, double ddof)
{
	int nd = a->ndim, red[HA_MAXDIM] = { 0 }, below = 0, nred = 0;
	for (int d = 0; d < nd; d++)
		red[d] = naxes < 0;
	for (int k = 0; k < naxes; k++)
		red[axes[k] < 0 ? axes[k] + nd : axes[k]] = 1;
	int64_t nout = 1, oshape[HA_MAXDIM];
	int ond = 0;
	for (int d = 0; d < nd; d++) {
		if (red[d]) {
			nred++;
			if (d < a->split)
				below++;
			if (keepdims)
				oshape[ond++] = 1;
		} else {
			nout *= a->gshape[d];
			oshape[ond++] = a->gshape[d];
		}
	}
	(void)nred;
	int want_split = (a->split < 0 || red[a->split]) ? -1 : keepdims ? a->split : a->split - below;
	double *want = malloc(sizeof(double) * (size_t)(nout + 1));
	expected(kind, nd, a->gshape, red, f_tie, ddof, nout, want);
	ha_array *r;
	if (kind == K_VAR)
		r = ha_var(a, naxes, axes, ddof, keepdims);
	else if (kind == K_STD)
		r = ha_std(a, naxes, axes, ddof, keepdims);
	else
		r = ha_reduce(HA_OF[kind], a, naxes, axes, keepdims);
	int ok = r && r->split == want_split && oc_shape_is(r, ond, oshape);
	if (ok && want_split >= 0)
		ok = r->lshape[want_split] == a->lshape[a->split];
	int64_t idx[HA_MAXDIM] = { 0 };
	for (int64_t l = 0; ok && l < ha_lnumel(r); l++) {
		rt_global_idx(r, l, idx);
		int64_t o = 0;
		for (int d = 0, k = 0; d < nd; d++) {
			if (red[d]) {
				if (keepdims)
					k++;
				continue;
			}
			o = o * a->gshape[d] + idx[k++];
		}
		ok = oc_close(oc_get(r, l), want[o], 1e-9);
	}
	if (!ok)
		fprintf(stderr, "[%d] %s nd=%d split=%d naxes=%d ax0=%d keep=%d: %s\n", rt_rank(),
		        ha_redop_name(HA_OF[kind]), nd, a->split, naxes, naxes > 0 ? axes[0] : -1, keepdims,
		        r ? "wrong values/split" : ha_error_msg());
	ha_release(r);
	free(want);
	return ok;
}

START_TEST(all_axes_all_splits)
{
	int64_t s1[1] = { 7 }, s2[2] = { 5, 4 }, s3[3] = { 3, 4, 5 }, s2e[2] = { 3, 2 };
	const int64_t *shapes[4] = { s1, s2, s3, s2e };
	const int nds[4] = { 1, 2, 3, 2 };
	int axes_list[][2] = { { 0 }, { 1 }, { 2 }, { -1 }, { 0, 2 }, { 2, 1 } };
	const int axes_n[] = { 1, 1, 1, 1, 2, 2 };
	for (int si = 0; si < 4; si++) {
		int nd = nds[si];
		for (int split = -1; split < nd; split++) {
			ha_array *a = oc_make(HA_FLOAT64, nd, shapes[si], split, f_tie);
			for (int kind = K_SUM; kind <= K_ARGMAX; kind++)
				for (int keep = 0; keep < 2; keep++) {
					if (kind != K_ARGMIN && kind != K_ARGMAX)
						OC_OK(check_one(kind, a, -1, NULL, keep, 0));
					for (size_t ai = 0; ai < sizeof axes_n / sizeof *axes_n; ai++) {
						int bad = 0;
						for (int k = 0; k < axes_n[ai]; k++)
							if (axes_list[ai][k] >= nd)
								bad = 1;
						if (bad || ((kind == K_ARGMIN || kind == K_ARGMAX) && axes_n[ai] > 1))
							continue;
						OC_OK(check_one(kind, a, axes_n[ai], axes_list[ai], keep,
						                kind == K_VAR || kind == K_STD ? 1 : 0));
					}
				}
			ha_release(a);
		}
	}
}
END_TEST

START_TEST(argmax_none_and_ties)
{
	/* flat argmax of a split-1 matrix: the flat order crosses ranks */
	int64_t s[2] = { 4, 9 };
	for (int split = -1; split < 2; split++) {
		ha_array *a = oc_make(HA_FLOAT64, 2, s, split, f_tie);
		ha_array *mx = ha_argreduce(HA_RARGMAX, a, HA_AXIS_NONE, 0);
		ha_array *mn = ha_argreduce(HA_RARGMIN, a, HA_AXIS_NONE, 1);
		int64_t bx = 0, bn = 0, idx[2] = { 0, 0 };
		for (int64_t g = 1; g < 36; g++) {
			if (f_tie(g, idx) > f_tie(bx, idx))
				bx = g;
			if (f_tie(g, idx) < f_tie(bn, idx))
				bn = g;
		}
		OC_OK(mx && mx->ndim == 0 && mx->split == -1 && mx->dtype == HA_INT64 && oc_geti(mx, 0) == bx);
		OC_OK(mn && mn->ndim == 2 && mn->gshape[0] == 1 && oc_geti(mn, 0) == bn);
		ha_release(a);
		ha_release(mx);
		ha_release(mn);
	}
	/* all equal: every rank ties, the smallest index wins */
	int64_t n = 10;
	ha_array *z = ha_zeros(HA_INT32, 1, &n, 0, CPU, NULL);
	ha_array *am = ha_argreduce(HA_RARGMAX, z, 0, 0);
	OC_OK(am && oc_geti(am, 0) == 0);
	ha_release(am);
	ha_release(z);
	/* NaN is the extreme */
	double vals[6] = { 1, 5, NAN, 7, NAN, 2 };
	int64_t n6 = 6;
	ha_array *v = ha_array_from_data(HA_FLOAT64, 1, &n6, vals, 0, CPU, NULL);
	ha_array *vm = ha_argreduce(HA_RARGMAX, v, HA_AXIS_NONE, 0);
	ha_array *vmin = ha_reduce(HA_RMIN, v, -1, NULL, 0);
	OC_OK(vm && oc_geti(vm, 0) == 2 && vmin && isnan(oc_get(vmin, 0)));
	ha_release(v);
	ha_release(vm);
	ha_release(vmin);
}
END_TEST

START_TEST(dtypes_and_accuracy)
{
	int64_t n = 11;
	ha_array *i32 = ha_arange(0, 11, 1, HA_INT32, 0, CPU, NULL);
	ha_array *s = ha_reduce(HA_RSUM, i32, -1, NULL, 0), *m = ha_reduce(HA_RMEAN, i32, -1, NULL, 0);
	ha_array *mx = ha_reduce(HA_RMAX, i32, -1, NULL, 0);
	OC_OK(s && s->dtype == HA_INT64 && oc_geti(s, 0) == 55 && m && m->dtype == HA_FLOAT32 &&
	      oc_get(m, 0) == 5.0 && mx && mx->dtype == HA_INT32 && oc_geti(mx, 0) == 10);
	ha_array *i64 = ha_astype(i32, HA_INT64);
	ha_array *m64 = ha_reduce(HA_RMEAN, i64, -1, NULL, 0), *v64 = ha_var(i64, -1, NULL, 0, 0);
	OC_OK(m64 && m64->dtype == HA_FLOAT64 && v64 && v64->dtype == HA_FLOAT64 && oc_get(v64, 0) == 10.0);
	ha_array *b = ha_binary_scalar(HA_GT, i32, ha_scalar_int(3), 0);
	ha_array *bs = ha_reduce(HA_RSUM, b, -1, NULL, 0), *bc = ha_reduce(HA_RCOUNT_NONZERO, i32, -1, NULL, 0);
	OC_OK(bs && bs->dtype == HA_INT64 && oc_geti(bs, 0) == 7 && bc && oc_geti(bc, 0) == 10);
	/* complex sum and mean */
	ha_array *c = oc_make(HA_COMPLEX128, 1, &n, 0, f_tie);
	ha_array *cs = ha_reduce(HA_RSUM, c, -1, NULL, 0), *cm = ha_reduce(HA_RMEAN, c, -1, NULL, 0);
	double t = 0;
	int64_t idx[1] = { 0 };
	for (int64_t g = 0; g < n; g++)
		t += f_tie(g, idx);
	OC_OK(cs && cs->dtype == HA_COMPLEX128 && cabs(oc_getc(cs, 0) - CMPLX(t, t / 2)) < 1e-12 &&
	      cm && cabs(oc_getc(cm, 0) - CMPLX(t / n, t / n / 2)) < 1e-12);
	/* complex var = var(real) + var(imag); std its root; dtype real */
	ha_array *cv = ha_var(c, -1, NULL, 1, 0), *cd = ha_std(c, -1, NULL, 0, 0);
	double mu = t / n, q = 0;
	for (int64_t g = 0; g < n; g++)
		q += (f_tie(g, idx) - mu) * (f_tie(g, idx) - mu);
	OC_OK(cv && cv->dtype == HA_FLOAT64 && oc_close(oc_get(cv, 0), 1.25 * q / (n - 1), 1e-12) &&
	      cd && oc_close(oc_get(cd, 0), sqrt(1.25 * q / n), 1e-12));
	ha_release(cv);
	ha_release(cd);
	/* long runs (the blocked SIMD min/max path) with and without a NaN */
	int64_t nl = 40000;
	ha_array *lg = oc_make(HA_FLOAT32, 1, &nl, 0, f_tie);
	ha_array *lmax = ha_reduce(HA_RMAX, lg, -1, NULL, 0), *lmin = ha_reduce(HA_RMIN, lg, -1, NULL, 0);
	OC_OK(lmax && oc_get(lmax, 0) == 5 && lmin && oc_get(lmin, 0) == -5);
	for (int64_t l = 0; l < ha_lnumel(lg); l++)
		if (rt_global_flat(lg, l) == 30001)
			((float *)lg->data)[l] = NAN;
	ha_array *nmax = ha_reduce(HA_RMAX, lg, -1, NULL, 0), *nmin = ha_reduce(HA_RMIN, lg, -1, NULL, 0);
	OC_OK(nmax && isnan(oc_get(nmax, 0)) && nmin && isnan(oc_get(nmin, 0)));
	ha_release(lg);
	ha_release(lmax);
	ha_release(lmin);
	ha_release(nmax);
	ha_release(nmin);
	/* pairwise float32 accuracy: 2^20 times 0.1f */
	int64_t big = 1 << 20;
	ha_array *f = ha_full(HA_FLOAT32, 1, &big, ha_scalar_float(0.1), 0, CPU, NULL);
	ha_array *fs = ha_reduce(HA_RSUM, f, -1, NULL, 0);
	double want = (double)0.1f * (double)big;
	OC_OK(fs && fs->dtype == HA_FLOAT32 && fabs(oc_get(fs, 0) - want) / want < 1e-6);
	/* along a strided axis too */
	int64_t s2[2] = { 1 << 16, 8 };
	ha_array *f2 = ha_full(HA_FLOAT32, 2, s2, ha_scalar_float(0.1), 1, CPU, NULL);
	int ax0 = 0;
	ha_array *f2s = ha_reduce(HA_RSUM, f2, 1, &ax0, 0);
	want = (double)0.1f * (double)(1 << 16);
	int ok = f2s != NULL;
	for (int64_t l = 0; ok && l < ha_lnumel(f2s); l++)
		ok = fabs(oc_get(f2s, l) - want) / want < 1e-5;
	OC_OK(ok);
	ha_array *objs[] = { i32, s, m, mx, i64, m64, v64, b, bs, bc, c, cs, cm, f, fs, f2, f2s };
	for (size_t k = 0; k < sizeof objs / sizeof *objs; k++)
		ha_release(objs[k]);
}
END_TEST

START_TEST(errors)
{
	int64_t s[2] = { 3, 4 }, e[2] = { 0, 4 };
	ha_array *a = ha_zeros(HA_FLOAT32, 2, s, 0, CPU, NULL);
	int ax = 2;
	ha_array *r = ha_reduce(HA_RSUM, a, 1, &ax, 0);
	OC_OK(!r && ha_error_kind() == HA_EVALUE &&
	      strcmp(ha_error_msg(), "axis 2 is out of bounds for array of dimension 2") == 0);
	ha_error_clear();
	int dup[2] = { 0, -2 };
	r = ha_reduce(HA_RSUM, a, 2, dup, 0);
	OC_OK(!r && ha_error_kind() == HA_EVALUE);
	ha_error_clear();
	ha_array *z = ha_zeros(HA_FLOAT32, 2, e, 0, CPU, NULL);
	int a0 = 0, a1 = 1;
	r = ha_reduce(HA_RMAX, z, 1, &a0, 0);
	OC_OK(!r && ha_error_kind() == HA_EVALUE);
	ha_error_clear();
	r = ha_reduce(HA_RMAX, z, 1, &a1, 0);      /* reduced axis not empty: fine */
	OC_OK(r && r->gshape[0] == 0);
	ha_release(r);
	r = ha_reduce(HA_RSUM, z, 1, &a0, 0);      /* sum of nothing is 0 */
	int ok = r && r->gshape[0] == 4;
	for (int64_t l = 0; ok && l < ha_lnumel(r); l++)
		ok = oc_get(r, l) == 0;
	OC_OK(ok);
	ha_release(r);
	r = ha_argreduce(HA_RARGMAX, z, HA_AXIS_NONE, 0);
	OC_OK(!r && ha_error_kind() == HA_EVALUE);
	ha_error_clear();
	ha_release(a);
	ha_release(z);
}
END_TEST

START_TEST(cumsum_cumprod)
{
	int64_t s[2] = { 5, 4 }, s3[3] = { 3, 2, 3 };
	for (int split = -1; split < 2; split++)
		for (int axis = 0; axis < 2; axis++) {
			ha_array *a = oc_make(HA_INT32, 2, s, split, f_tie);
			ha_array *c = ha_cumsum(a, axis, -1);
			ha_array *fp = oc_make(HA_FLOAT64, 2, s, split, f_prodv);
			ha_array *p = ha_cumprod(fp, axis, -1);
			int ok = c && c->dtype == HA_INT64 && c->split == split && p && p->split == split;
			int64_t idx[2] = { 0, 0 }, j[2];
			for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
				rt_global_idx(c, l, idx);
				double ws = 0, wp = 1;
				for (int64_t k = 0; k <= idx[axis]; k++) {
					j[0] = axis == 0 ? k : idx[0];
					j[1] = axis == 1 ? k : idx[1];
					ws += f_tie(j[0] * 4 + j[1], j);
					wp *= f_prodv(j[0] * 4 + j[1], j);
				}
				ok = oc_geti(c, l) == (int64_t)ws && oc_close(oc_get(p, l), wp, 1e-12);
			}
			OC_OK(ok);
			ha_release(a);
			ha_release(c);
			ha_release(fp);
			ha_release(p);
		}
	/* 3-D along the split (middle) axis, with ranks holding nothing */
	ha_array *a = oc_make(HA_FLOAT64, 3, s3, 1, f_tie);
	ha_array *c = ha_cumsum(a, 1, -1);
	int ok = c && c->split == 1;
	int64_t idx[3] = { 0, 0, 0 };
	for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
		rt_global_idx(c, l, idx);
		double w = 0;
		for (int64_t k = 0; k <= idx[1]; k++)
			w += f_tie(idx[0] * 6 + k * 3 + idx[2], idx);
		ok = oc_get(c, l) == w;
	}
	OC_OK(ok);
	/* axis None: the flattened scan */
	ha_array *fl = ha_cumsum(a, HA_AXIS_NONE, -1);
	ok = fl && fl->ndim == 1 && fl->gshape[0] == 18;
	for (int64_t l = 0; ok && l < ha_lnumel(fl); l++) {
		int64_t i1[1], g = rt_global_idx(fl, l, i1);
		double w = 0;
		for (int64_t k = 0; k <= g; k++)
			w += f_tie(k, i1);
		ok = oc_get(fl, l) == w;
	}
	OC_OK(ok);
	ha_release(a);
	ha_release(c);
	ha_release(fl);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_reduce");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, all_axes_all_splits);
	tcase_add_test(tc, argmax_none_and_ties);
	tcase_add_test(tc, dtypes_and_accuracy);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, cumsum_cumprod);
	suite_add_tcase(s, tc);
	return s;
}

RT_MAIN(suite)
