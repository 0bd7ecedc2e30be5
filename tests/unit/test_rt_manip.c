/* test_rt_manip.c — manipulation and sorting: distributed sort (PSRS) of
** random data with duplicates for sizes below, at and above the rank count,
** concatenate/stack split rules, unique, nonzero, and the row-moving
** operations (flip, roll, pad, repeat, tile, diff, split) along split and
** non-split axes, each compared with a replicated computation. */
#include <math.h>
#include "rt_common.h"

static const ha_device CPU = { HA_CPU, 0 };

/* deterministic pseudo-random integers with many duplicates */
static int64_t val(int64_t g, int64_t n)
{
	uint64_t x = (uint64_t)g * 0x9E3779B97F4A7C15ull + 12345;
	x ^= x >> 29;
	return (int64_t)(x % (uint64_t)(n / 3 + 2)) - (n / 6);
}

/* a full replicated copy of a as float64 values */
static double *full(const ha_array *a)
{
	ha_array *r = ha_resplit(a, HA_SPLIT_NONE);
	ha_array *d = ha_astype(r, HA_FLOAT64);
	int64_t n = ha_gnumel(a);
	double *out = malloc(sizeof(double) * (size_t)(n ? n : 1));
	memcpy(out, d->data, sizeof(double) * (size_t)n);
	ha_release(r);
	ha_release(d);
	return out;
}

static int is_balanced_split(const ha_array *a, int split)
{
	if (a->split != split)
		return 0;
	return split < 0 || ha_is_balanced(a);
}

typedef struct pair { double v; int64_t i; } pair;

static int pair_cmp(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static int pair_cmp_desc(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

START_TEST(sort_1d_psrs)
{
	int64_t sizes[] = { 0, 1, 2, 3, 5, 7, 10, 17, 100, 1001, 20011 };
	ha_dtype types[] = { HA_FLOAT32, HA_INT32, HA_INT64, HA_FLOAT64, HA_UINT8, HA_INT8 };
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
		for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++)
			for (int desc = 0; desc < 2; desc++) {
				int64_t n = sizes[si];
				double *src = malloc(sizeof(double) * (size_t)(n + 1));
				pair *ref = malloc(sizeof(pair) * (size_t)(n + 1));
				for (int64_t g = 0; g < n; g++) {
					int64_t v = val(g, n);
					if (types[ti] == HA_UINT8)
						v = (v % 200 + 200) % 200;
					if (types[ti] == HA_INT8)
						v = v % 100;
					src[g] = ha_dtype_is_float(types[ti]) ? (double)v / 4 : (double)v;
					ref[g].v = src[g];
					ref[g].i = g;
				}
				qsort(ref, (size_t)n, sizeof(pair), desc ? pair_cmp_desc : pair_cmp);
				ha_array *f = ha_array_from_data(HA_FLOAT64, 1, &n, src, 0, CPU, NULL);
				ha_array *a = ha_astype(f, types[ti]);
				ha_array *ix = NULL;
				ha_comm_stats_reset();
				ha_array *s = ha_sort(a, 0, desc, &ix);
				int64_t gathers = rt_calls("Gatherv") + rt_calls("Bcast");
				ck_assert(rt_all(s != NULL && ix != NULL));
				ck_assert_msg(rt_all(gathers == 0), "sort used a gather");
				ck_assert(rt_all(is_balanced_split(s, 0) && is_balanced_split(ix, 0)));
				ck_assert(rt_all(s->dtype == types[ti] && ix->dtype == HA_INT64));
				double *sv = full(s), *iv = full(ix);
				int ok = 1;
				for (int64_t g = 0; g < n && ok; g++)
					ok = sv[g] == ref[g].v && iv[g] == (double)ref[g].i;
				ck_assert_msg(rt_all(ok), "sort n=%lld type=%s desc=%d", (long long)n,
				              ha_dtype_name(types[ti]), desc);
				/* values only: one exchange plus one redistribute at most */
				ha_comm_stats_reset();
				ha_array *s2 = ha_sort(a, 0, desc, NULL);
				ck_assert(rt_all(rt_calls("Alltoallv") <= 2));
				double *sv2 = full(s2);
				ok = 1;
				for (int64_t g = 0; g < n && ok; g++)
					ok = sv2[g] == ref[g].v;
				ck_assert(rt_all(ok));
				free(sv);
				free(iv);
				free(sv2);
				free(src);
				free(ref);
				ha_release(s2);
				ha_release(s);
				ha_release(ix);
				ha_release(a);
				ha_release(f);
			}
}
END_TEST

START_TEST(sort_nan_and_all_equal)
{
	int64_t n = 37;
	float *src = malloc(sizeof(float) * (size_t)n);
	for (int64_t g = 0; g < n; g++)
		src[g] = g % 5 == 0 ? NAN : 1.5f;
	ha_array *a = ha_array_from_data(HA_FLOAT32, 1, &n, src, 0, CPU, NULL);
	ha_array *ix = NULL;
	ha_array *s = ha_sort(a, 0, 0, &ix);
	double *sv = full(s), *iv = full(ix);
	int ok = 1;
	int64_t k = 0;
	for (int64_t g = 0; g < n; g++)
		if (g % 5 != 0) {
			ok &= sv[k] == 1.5 && iv[k] == (double)g;
			k++;
		}
	for (int64_t g = 0; g < n; g += 5) {
		ok &= isnan(sv[k]) && iv[k] == (double)g;
		k++;
	}
	ck_assert(rt_all(ok && ha_is_balanced(s)));
	free(sv);
	free(iv);
	free(src);
	ha_release(s);
	ha_release(ix);
	ha_release(a);
}
END_TEST

/* 2-D sort along each axis, split along each axis, against replicated */
START_TEST(sort_2d)
{
	int64_t sh[2] = { 7, 5 }, n = 35;
	double src[35];
	for (int g = 0; g < 35; g++)
		src[g] = (double)val(g, 35);
	ha_array *rep = ha_array_from_data(HA_FLOAT64, 2, sh, src, HA_SPLIT_NONE, CPU, NULL);
	for (int axis = 0; axis < 2; axis++) {
		ha_array *rix = NULL, *rs = ha_sort(rep, axis, 0, &rix);
		double *rv = full(rs), *ri = full(rix);
		for (int split = 0; split < 2; split++) {
			ha_array *a = ha_array_from_data(HA_FLOAT64, 2, sh, src, split, CPU, NULL);
			ha_array *ix = NULL, *s = ha_sort(a, axis, 0, &ix);
			ck_assert(rt_all(s && ix && s->split == split && ha_is_balanced(s)));
			double *sv = full(s), *iv = full(ix);
			int ok = 1;
			for (int64_t g = 0; g < n; g++)
				ok &= sv[g] == rv[g] && iv[g] == ri[g];
			ck_assert_msg(rt_all(ok), "2-D sort axis %d split %d", axis, split);
			free(sv);
			free(iv);
			ha_release(s);
			ha_release(ix);
			ha_release(a);
		}
		free(rv);
		free(ri);
		ha_release(rs);
		ha_release(rix);
	}
	ha_release(rep);
}
END_TEST

START_TEST(concat_split_rules)
{
	int64_t s1[2] = { 5, 3 }, s2[2] = { 4, 3 };
	ha_array *a = ha_arange(0, 15, 1, HA_INT32, 0, CPU, NULL);
	ha_array *b = ha_arange(100, 112, 1, HA_INT64, 0, CPU, NULL);
	ha_array *a2 = ha_reshape(a, 2, s1, 0);
	ha_array *b2 = ha_reshape(b, 2, s2, HA_SPLIT_NONE);
	ha_array *b1 = ha_reshape(b, 2, s2, 1);
	ha_array *in[2] = { a2, b2 };
	/* split + None -> split; dtype promoted */
	ha_array *c = ha_concatenate(2, in, 0);
	ck_assert(rt_all(c && c->split == 0 && c->dtype == HA_INT64 && c->gshape[0] == 9));
	double *cv = full(c);
	int ok = 1;
	for (int g = 0; g < 27; g++)
		ok &= cv[g] == (g < 15 ? g : 100 + g - 15);
	ck_assert(rt_all(ok));
	/* different splits: the second follows the first */
	in[1] = b1;
	ha_array *d = ha_concatenate(2, in, 0);
	ck_assert(rt_all(d && d->split == 0));
	double *dv = full(d);
	ok = 1;
	for (int g = 0; g < 27; g++)
		ok &= dv[g] == cv[g];
	ck_assert(rt_all(ok));
	/* along a non-split axis: local, split kept */
	ha_array *e1 = ha_reshape(a, 2, (int64_t[]){ 3, 5 }, 0);
	ha_array *e2 = ha_ones(HA_INT32, 2, (int64_t[]){ 3, 2 }, 0, CPU, NULL);
	ha_array *ein[2] = { e1, e2 };
	ha_comm_stats_reset();
	ha_array *e = ha_concatenate(2, ein, 1);
	ck_assert(rt_all(e && e->split == 0 && e->gshape[1] == 7 && rt_calls("Alltoallv") == 0));
	/* shape mismatch and ndim mismatch */
	ha_array *bad[2] = { a2, a };
	ck_assert(rt_all(ha_concatenate(2, bad, 0) == NULL && ha_error_kind() == HA_EVALUE));
	bad[1] = e1;
	ck_assert(rt_all(ha_concatenate(2, bad, 0) == NULL && ha_error_kind() == HA_EVALUE));
	ck_assert(strstr(ha_error_msg(), "along dimension 1") != NULL);
	/* stack of split-0 vectors on axis 0 -> split 1 */
	ha_array *v1 = ha_arange(0, 6, 1, HA_INT32, 0, CPU, NULL);
	ha_array *v2 = ha_arange(6, 12, 1, HA_INT32, 0, CPU, NULL);
	ha_array *vs[2] = { v1, v2 };
	ha_array *st = ha_stack(2, vs, 0);
	ck_assert(rt_all(st && st->split == 1 && st->gshape[0] == 2 && st->gshape[1] == 6));
	double *sv = full(st);
	ok = 1;
	for (int g = 0; g < 12; g++)
		ok &= sv[g] == g;
	ck_assert(rt_all(ok));
	ha_array *st1 = ha_stack(2, vs, 1);
	ck_assert(rt_all(st1 && st1->split == 0));
	double *sv1 = full(st1);
	ok = 1;
	for (int g = 0; g < 12; g++)
		ok &= sv1[g] == (g % 2) * 6 + g / 2;
	ck_assert(rt_all(ok));
	free(cv);
	free(dv);
	free(sv);
	free(sv1);
	ha_array *rel[] = { a, b, a2, b2, b1, c, d, e1, e2, e, v1, v2, st, st1 };
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++)
		ha_release(rel[i]);
}
END_TEST

START_TEST(unique_values_inverse)
{
	int64_t n = 53;
	int32_t src[53];
	for (int g = 0; g < 53; g++)
		src[g] = (int32_t)val(g, 30);
	for (int split = -1; split <= 0; split++) {
		ha_array *a = ha_array_from_data(HA_INT32, 1, &n, src, split, CPU, NULL);
		ha_array *inv = NULL, *u = ha_unique(a, &inv);
		ck_assert(rt_all(u && inv && u->split == split && inv->split == split));
		double *uv = full(u), *iv = full(inv);
		int ok = 1;
		for (int64_t i = 1; i < u->gshape[0]; i++)
			ok &= uv[i - 1] < uv[i];
		for (int g = 0; g < 53; g++)
			ok &= uv[(int64_t)iv[g]] == src[g];
		/* every value appears */
		for (int g = 0; g < 53; g++) {
			int found = 0;
			for (int64_t i = 0; i < u->gshape[0]; i++)
				found |= uv[i] == src[g];
			ok &= found;
		}
		ck_assert(rt_all(ok));
		free(uv);
		free(iv);
		ha_release(u);
		ha_release(inv);
		ha_release(a);
	}
}
END_TEST

START_TEST(nonzero_c_order)
{
	int64_t sh[2] = { 4, 6 };
	int32_t src[24];
	for (int g = 0; g < 24; g++)
		src[g] = (g % 3 == 0 || g == 7) ? g + 1 : 0;
	for (int split = -1; split < 2; split++) {
		ha_array *a = ha_array_from_data(HA_INT32, 2, sh, src, split, CPU, NULL);
		ha_array *out[2];
		ck_assert(rt_all(ha_nonzero(a, out) == 0));
		ck_assert(rt_all(out[0]->split == (split >= 0 ? 0 : -1)));
		double *r = full(out[0]), *c = full(out[1]);
		int ok = out[0]->gshape[0] == 9, k = 0;
		for (int g = 0; g < 24 && ok; g++)
			if (src[g]) {
				ok = r[k] == g / 6 && c[k] == g % 6;
				k++;
			}
		ck_assert(rt_all(ok));
		free(r);
		free(c);
		ha_release(out[0]);
		ha_release(out[1]);
		ha_release(a);
	}
}
END_TEST

/* flip / roll / pad / repeat / tile / diff / split along every axis and split */
START_TEST(rowmaps_match_replicated)
{
	int64_t sh[2] = { 7, 4 };
	double src[28];
	for (int g = 0; g < 28; g++)
		src[g] = g * g % 11;
	ha_array *rep = ha_array_from_data(HA_FLOAT64, 2, sh, src, HA_SPLIT_NONE, CPU, NULL);
	for (int split = 0; split < 2; split++) {
		ha_array *a = ha_array_from_data(HA_FLOAT64, 2, sh, src, split, CPU, NULL);
		for (int axis = 0; axis < 2; axis++) {
			ha_array *want[7], *got[7];
			int64_t sft = -3, w[4] = { 0, 0, 0, 0 }, reps[2] = { 1, 1 }, rp = 2;
			w[2 * axis] = 2;
			w[2 * axis + 1] = 1;
			reps[axis] = 3;
			ha_scalar cv[4] = { ha_scalar_float(7), ha_scalar_float(8), ha_scalar_float(9),
			                    ha_scalar_float(10) };
			for (int t = 0; t < 2; t++) {
				ha_array *x = t ? a : rep, **o = t ? got : want;
				o[0] = ha_flip(x, 1, &axis);
				o[1] = ha_roll(x, 1, &sft, &axis);
				o[2] = ha_pad(x, w, HA_PAD_CONSTANT, cv);
				o[3] = ha_pad(x, w, HA_PAD_REFLECT, NULL);
				o[4] = ha_repeat(x, 1, &rp, axis);
				o[5] = ha_tile(x, 2, reps);
				o[6] = ha_diff(x, 2, axis);
			}
			for (int i = 0; i < 7; i++) {
				ck_assert(rt_all(got[i] && want[i] && got[i]->split == split));
				double *gv = full(got[i]), *wv = full(want[i]);
				int ok = ha_gnumel(got[i]) == ha_gnumel(want[i]);
				for (int64_t e = 0; ok && e < ha_gnumel(got[i]); e++)
					ok = gv[e] == wv[e];
				ck_assert_msg(rt_all(ok), "op %d axis %d split %d", i, axis, split);
				free(gv);
				free(wv);
				ha_release(got[i]);
				ha_release(want[i]);
			}
			/* array_split into 3 */
			ha_array *pw[3], *pg[3];
			ck_assert(rt_all(ha_split_sections(rep, 3, axis, 0, pw) == 0));
			ck_assert(rt_all(ha_split_sections(a, 3, axis, 0, pg) == 0));
			for (int i = 0; i < 3; i++) {
				double *gv = full(pg[i]), *wv = full(pw[i]);
				int ok = ha_gnumel(pg[i]) == ha_gnumel(pw[i]) && pg[i]->split == split;
				for (int64_t e = 0; ok && e < ha_gnumel(pg[i]); e++)
					ok = gv[e] == wv[e];
				ck_assert(rt_all(ok));
				free(gv);
				free(wv);
				ha_release(pg[i]);
				ha_release(pw[i]);
			}
		}
		ha_release(a);
	}
	/* a known case: pad of [0..6] rows, reflect, matches NumPy */
	int64_t n = 4, w[2] = { 3, 2 };
	ha_array *v = ha_arange(0, 4, 1, HA_INT64, 0, CPU, NULL);
	ha_array *p = ha_pad(v, w, HA_PAD_REFLECT, NULL);
	double *pv = full(p), want[9] = { 3, 2, 1, 0, 1, 2, 3, 2, 1 };
	int ok = p->gshape[0] == 9;
	for (int i = 0; ok && i < 9; i++)
		ok = pv[i] == want[i];
	ck_assert(rt_all(ok));
	(void)n;
	free(pv);
	ha_release(p);
	ha_release(v);
	ha_release(rep);
}
END_TEST

START_TEST(percentile_median)
{
	int64_t n = 11;
	double src[11] = { 5, 1, 9, 3, 7, 2, 8, 4, 6, 0, 10 };
	ha_array *a = ha_array_from_data(HA_FLOAT64, 1, &n, src, 0, CPU, NULL);
	double q[3] = { 0, 25, 95 };
	ha_array *p = ha_percentile(a, 3, q, 0, HA_AXIS_NONE, HA_INTERP_LINEAR, 0);
	ha_array *m = ha_median(a, 0, 0);
	ck_assert(rt_all(p && m && p->split == -1));
	double *pv = full(p), *mv = full(m);
	ck_assert(rt_all(pv[0] == 0 && pv[1] == 2.5 && fabs(pv[2] - 9.5) < 1e-12 && mv[0] == 5));
	free(pv);
	free(mv);
	ha_release(p);
	ha_release(m);
	ha_release(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_manip");
	TCase *t = tcase_create("manip");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, sort_1d_psrs);
	tcase_add_test(t, sort_nan_and_all_equal);
	tcase_add_test(t, sort_2d);
	tcase_add_test(t, concat_split_rules);
	tcase_add_test(t, unique_values_inverse);
	tcase_add_test(t, nonzero_c_order);
	tcase_add_test(t, rowmaps_match_replicated);
	tcase_add_test(t, percentile_median);
	suite_add_tcase(s, t);
	return s;
}

RT_MAIN(suite)
