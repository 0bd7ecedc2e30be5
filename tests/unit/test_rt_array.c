/* test_rt_array.c — chunk maps, allocation, factories, astype. */
#include <complex.h>
#include <math.h>
#include <stdbool.h>
#include "rt_common.h"

static const ha_device CPU = { HA_CPU, 0 };

START_TEST(chunk_maps)
{
	int64_t m[4];
	ha_chunk_map(10, 3, m);
	ck_assert(m[0] == 4 && m[1] == 3 && m[2] == 3);
	ha_chunk_map(3, 4, m);
	ck_assert(m[0] == 1 && m[1] == 1 && m[2] == 1 && m[3] == 0);
	ha_chunk_map(7, 4, m);
	ck_assert(m[0] == 2 && m[1] == 2 && m[2] == 2 && m[3] == 1);
	ha_chunk_map(5, 4, m);
	ck_assert(m[0] == 2 && m[1] == 1 && m[2] == 1 && m[3] == 1);
	/* the array's map at this rank count */
	int P = rt_size(), me = rt_rank();
	int64_t sh[2] = { 10, 3 };
	for (int split = -1; split < 2; split++) {
		ha_array *a = ha_array_alloc(HA_FLOAT32, 2, sh, split, CPU, NULL);
		ck_assert_ptr_nonnull(a);
		ck_assert_int_eq(a->refs, 1);
		ck_assert(a->balanced && ha_is_balanced(a));
		ck_assert_int_eq(ha_gnumel(a), 30);
		if (split >= 0) {
			int64_t sum = 0, off = 0;
			for (int r = 0; r < P; r++) {
				int64_t want = sh[split] / P + (r < sh[split] % P);
				ck_assert_int_eq(a->lmap[r], want);
				if (r < me)
					off += want;
				sum += a->lmap[r];
			}
			ck_assert_int_eq(sum, sh[split]);
			ck_assert_int_eq(a->loffset, off);
			ck_assert_int_eq(a->lshape[split], a->lmap[me]);
			ck_assert_int_eq(ha_lnumel(a), a->lmap[me] * sh[1 - split]);
			ck_assert_int_eq(ha_is_distributed(a), P > 1);
		} else {
			ck_assert_ptr_null(a->lmap);
			ck_assert_int_eq(ha_lnumel(a), 30);
		}
		ck_assert_ptr_eq(ha_retain(a), a);
		ck_assert_int_eq(a->refs, 2);
		ha_release(a);
		ha_release(a);
	}
	/* 3 over the ranks: trailing ranks may be empty */
	int64_t three = 3;
	ha_array *t = ha_zeros(HA_INT32, 1, &three, 0, CPU, NULL);
	if (P == 4)
		ck_assert_int_eq(t->lshape[0], me < 3 ? 1 : 0);
	ck_assert(rt_all(t->lshape[0] == t->lmap[me] && t->lmap[me] == 3 / P + (me < 3 % P)));
	ha_release(t);
	ha_error_clear();
	int64_t neg = -1;
	ck_assert_ptr_null(ha_zeros(HA_INT32, 1, &neg, 0, CPU, NULL));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_error_clear();
	ck_assert_ptr_null(ha_zeros(HA_INT32, 1, &three, 1, CPU, NULL));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_error_clear();
}
END_TEST

/* value of local element l as double, via astype's rules */
static double at(const ha_array *a, int64_t l)
{
	double v;
	ha_convert(HA_FLOAT64, &v, a->dtype, (const char *)a->data + (size_t)l * ha_dtype_size(a->dtype), 1);
	return v;
}

START_TEST(factories)
{
	int64_t sh[2] = { 5, 4 };
	for (int split = -1; split < 2; split++) {
		ha_array *z = ha_zeros(HA_FLOAT32, 2, sh, split, CPU, NULL);
		ha_array *o = ha_ones_like(z, HA_INT16, HA_SPLIT_DEFAULT);
		ha_array *f = ha_full(HA_COMPLEX64, 2, sh, ha_scalar_complex(1.5, -2), split, CPU, NULL);
		ha_array *e = ha_eye(5, 4, 1, HA_FLOAT64, split, CPU, NULL);
		ha_array *fl = ha_full_like(z, ha_scalar_float(9.0), -1, HA_SPLIT_NONE);
		ck_assert(o->dtype == HA_INT16 && o->split == split && fl->split == -1);
		for (int64_t l = 0; l < ha_lnumel(z); l++) {
			int64_t g = rt_global_flat(e, l), i = g / 4, j = g % 4;
			ck_assert(at(z, l) == 0 && at(o, l) == 1);
			ck_assert(((float complex *)f->data)[l] == 1.5f - 2.0f * I);
			ck_assert(at(e, l) == (j == i + 1 ? 1 : 0));
		}
		for (int64_t l = 0; l < 20; l++)
			ck_assert(at(fl, l) == 9.0);
		ha_release(z);
		ha_release(o);
		ha_release(f);
		ha_release(e);
		ha_release(fl);
	}
	/* arange: length ceil((stop - start) / step) */
	struct { double a, b, s; int64_t n; ha_dtype t; } ar[] = {
		{ 0, 10, 1, 10, HA_INT32 }, { 3, 13, 1, 10, HA_INT32 }, { 0, 1, 0.1, 10, HA_FLOAT32 },
		{ 10, 0, -3, 4, HA_INT64 }, { 0, 10, 3, 4, HA_INT32 }, { 5, 1, 1, 0, HA_INT32 },
		{ 0.5, 2, 0.5, 3, HA_FLOAT64 },
	};
	for (size_t k = 0; k < sizeof ar / sizeof ar[0]; k++)
		for (int split = -1; split < 1; split++) {
			ha_array *a = ha_arange(ar[k].a, ar[k].b, ar[k].s, ar[k].t, split, CPU, NULL);
			ck_assert_ptr_nonnull(a);
			ck_assert_int_eq(a->gshape[0], ar[k].n);
			for (int64_t l = 0; l < a->lshape[0]; l++) {
				double want = ar[k].a + (double)rt_global_flat(a, l) * ar[k].s;
				if (ar[k].t == HA_FLOAT32)
					want = (float)want;
				ck_assert(at(a, l) == want);
			}
			ha_release(a);
		}
	ck_assert_ptr_null(ha_arange(0, 1, 0, HA_INT32, -1, CPU, NULL));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_error_clear();
	/* linspace / logspace */
	for (int split = -1; split < 1; split++) {
		ha_array *a = ha_linspace(0, 1, 11, 1, HA_FLOAT64, split, CPU, NULL);
		ha_array *b = ha_linspace(0, 1, 10, 0, HA_FLOAT32, split, CPU, NULL);
		ha_array *c = ha_logspace(0, 3, 4, 1, 10.0, HA_FLOAT64, split, CPU, NULL);
		for (int64_t l = 0; l < a->lshape[0]; l++) {
			int64_t g = rt_global_flat(a, l);
			ck_assert(fabs(at(a, l) - g * 0.1) < 1e-15);
			if (g == 10)
				ck_assert(at(a, l) == 1.0);
		}
		for (int64_t l = 0; l < b->lshape[0]; l++)
			ck_assert(at(b, l) == (float)(rt_global_flat(b, l) * 0.1));
		for (int64_t l = 0; l < c->lshape[0]; l++)
			ck_assert(fabs(at(c, l) - pow(10, (double)rt_global_flat(c, l))) < 1e-9);
		ha_release(a);
		ha_release(b);
		ha_release(c);
	}
}
END_TEST

START_TEST(from_data_and_local)
{
	int P = rt_size(), me = rt_rank();
	int64_t sh[3] = { 3, 7, 2 };
	int32_t full[42];
	for (int i = 0; i < 42; i++)
		full[i] = i * 3;
	for (int split = -1; split < 3; split++) {
		ha_array *a = ha_array_from_data(HA_INT32, 3, sh, full, split, CPU, NULL);
		for (int64_t l = 0; l < ha_lnumel(a); l++)
			ck_assert_int_eq(((int32_t *)a->data)[l], 3 * rt_global_flat(a, l));
		ha_release(a);
	}
	/* is_split: rank r holds r+1 rows of (r+1 rows, 2) */
	int64_t ls[2] = { me + 1, 2 };
	double rows[16];
	int64_t before = (int64_t)me * (me + 1) / 2;
	for (int i = 0; i < 2 * (me + 1); i++)
		rows[i] = (double)(2 * before + i);
	ha_array *b = ha_array_from_local(HA_FLOAT64, 2, ls, rows, 0, CPU, NULL);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->gshape[0], (int64_t)P * (P + 1) / 2);
	ck_assert_int_eq(b->balanced, P == 1);
	ck_assert_int_eq(b->loffset, before);
	for (int64_t l = 0; l < ha_lnumel(b); l++)
		ck_assert(((double *)b->data)[l] == (double)rt_global_flat(b, l));
	ck_assert_int_eq(ha_balance_(b), 0);
	ck_assert(b->balanced && ha_is_balanced(b));
	for (int64_t l = 0; l < ha_lnumel(b); l++)
		ck_assert(((double *)b->data)[l] == (double)rt_global_flat(b, l));
	ha_release(b);
	/* mismatched other dimensions: ValueError on every rank */
	int64_t bad[2] = { 1, me == P - 1 ? 3 : 2 };
	ha_array *c = ha_array_from_local(HA_FLOAT64, 2, bad, rows, 0, CPU, NULL);
	ck_assert(P == 1 ? c != NULL : c == NULL);
	if (P > 1)
		ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_release(c);
	ha_error_clear();
}
END_TEST

START_TEST(meshgrid)
{
	int64_t n3 = 3, n4 = 4;
	ha_array *x = ha_arange(0, 3, 1, HA_INT32, -1, CPU, NULL);
	ha_array *y = ha_arange(10, 14, 1, HA_FLOAT32, 0, CPU, NULL);
	ha_array *in[2] = { x, y }, *out[2];
	(void)n3;
	(void)n4;
	for (int xy = 0; xy < 2; xy++) {
		ck_assert_int_eq(ha_meshgrid(2, in, xy, out), 0);
		for (int k = 0; k < 2; k++) {
			ha_array *g = out[k];
			ck_assert_int_eq(g->gshape[0], xy ? 4 : 3);
			ck_assert_int_eq(g->split, xy ? 0 : 1);
			for (int64_t l = 0; l < ha_lnumel(g); l++) {
				int64_t f = rt_global_flat(g, l), i = f / g->gshape[1], j = f % g->gshape[1];
				int64_t xi = xy ? j : i, yi = xy ? i : j;
				ck_assert(at(g, l) == (k == 0 ? (double)xi : 10.0 + (double)yi));
			}
			ha_release(g);
		}
	}
	ha_release(x);
	ha_release(y);
}
END_TEST

START_TEST(astype_all)
{
	double vals[] = { 0, 1, -1, 2.75, -2.75, 300, -129.5, 1e10, NAN, 0.5 };
	int64_t n = 10;
	ha_array *src = ha_array_from_data(HA_FLOAT64, 1, &n, vals, 0, CPU, NULL);
	/* through every dtype and back: each result is the C/torch conversion */
	for (int t = 0; t < HA_NDTYPES; t++) {
		ha_array *a = ha_astype(src, t);
		ck_assert_ptr_nonnull(a);
		ck_assert_int_eq(a->dtype, t);
		ck_assert_int_eq(a->split, 0);
		for (int64_t l = 0; l < a->lshape[0]; l++) {
			double v = vals[rt_global_flat(a, l)], got = at(a, l), want;
			switch (t) {
			case HA_BOOL: want = v != 0; break;
			case HA_UINT8: want = (double)(uint8_t)(isnan(v) || fabs(v) > 2e9 ? INT32_MIN : (int32_t)v); break;
			case HA_INT8: want = (double)(int8_t)(isnan(v) || fabs(v) > 2e9 ? INT32_MIN : (int32_t)v); break;
			case HA_INT16: want = (double)(int16_t)(isnan(v) || fabs(v) > 2e9 ? INT32_MIN : (int32_t)v); break;
			case HA_INT32: want = isnan(v) || fabs(v) > 2e9 ? INT32_MIN : (int32_t)v; break;
			case HA_INT64: want = isnan(v) ? (double)INT64_MIN : (double)(int64_t)v; break;
			case HA_FLOAT32: want = (float)v; break;
			default: want = v; break;
			}
			ck_assert_msg((isnan(want) && isnan(got)) || got == want, "%s of %g: %g != %g",
			              ha_dtype_name(t), v, got, want);
		}
		ha_release(a);
	}
	/* complex -> real takes the real part; -> bool looks at both parts */
	double complex z[3] = { 1.5 + 2 * I, 0 + 1 * I, 0 };
	int64_t three = 3;
	ha_array *c = ha_array_from_data(HA_COMPLEX128, 1, &three, z, -1, CPU, NULL);
	ha_array *r = ha_astype(c, HA_FLOAT32), *b = ha_astype(c, HA_BOOL), *i = ha_astype(c, HA_INT64);
	ck_assert(((float *)r->data)[0] == 1.5f && ((float *)r->data)[1] == 0);
	ck_assert(((bool *)b->data)[0] && ((bool *)b->data)[1] && !((bool *)b->data)[2]);
	ck_assert(((int64_t *)i->data)[0] == 1);
	/* in place */
	ck_assert_int_eq(ha_astype_(c, HA_COMPLEX64), 0);
	ck_assert_int_eq(c->dtype, HA_COMPLEX64);
	ck_assert(((float complex *)c->data)[0] == 1.5f + 2.0f * I);
	/* int64 keeps exact large values; narrowing wraps */
	int64_t big[2] = { INT64_MAX, 257 };
	int64_t two = 2;
	ha_array *bi = ha_array_from_data(HA_INT64, 1, &two, big, -1, CPU, NULL);
	ha_array *u = ha_astype(bi, HA_UINT8);
	ck_assert(((uint8_t *)u->data)[0] == 255 && ((uint8_t *)u->data)[1] == 1);
	ha_array *cp = ha_copy(bi);
	ck_assert(((int64_t *)cp->data)[0] == INT64_MAX);
	ha_release(cp);
	ha_release(bi);
	ha_release(u);
	ha_release(c);
	ha_release(r);
	ha_release(b);
	ha_release(i);
	ha_release(src);
	/* scalars */
	int16_t s16;
	ha_scalar_store(ha_scalar_float(-3.9), HA_INT16, &s16);
	ck_assert_int_eq(s16, -3);
	ha_scalar sc = ha_scalar_load(HA_INT16, &s16);
	ck_assert(sc.kind == HA_SCALAR_INT && sc.i == -3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_array");
	TCase *t = tcase_create("array");
	tcase_add_test(t, chunk_maps);
	tcase_add_test(t, factories);
	tcase_add_test(t, from_data_and_local);
	tcase_add_test(t, meshgrid);
	tcase_add_test(t, astype_all);
	suite_add_tcase(s, t);
	return s;
}

RT_MAIN(suite)
