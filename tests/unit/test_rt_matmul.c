/*
** test_rt_matmul.c — ha_matmul for every split pair (odd sizes, so chunks
** are uneven at every rank count), integer dtypes, 1-D and batched
** operands and the shape errors, each against a product computed here
** from the same replicated data.  Plus the counted non-blocking exchange.
*/
#include <math.h>
#include "rt_common.h"

/* Deterministic small integers: exact in every dtype. */
static double val(int64_t i, int salt)
{
	return (double)((i * 7 + salt * 3) % 11) - 5.0;
}

static ha_array *make(ha_dtype t, int nd, const int64_t *shape, int split, int salt)
{
	int64_t n = 1;
	for (int d = 0; d < nd; d++)
		n *= shape[d];
	double *v = malloc(sizeof(double) * (size_t)(n ? n : 1));
	for (int64_t i = 0; i < n; i++)
		v[i] = val(i, salt);
	char *buf = malloc(ha_dtype_size(t) * (size_t)(n ? n : 1));
	ha_convert(t, buf, HA_FLOAT64, v, n);
	ha_array *a = ha_array_from_data(t, nd, shape, buf, split, HA_DEVICE_CPU, NULL);
	free(v);
	free(buf);
	return a;
}

/* Reference: batched product on replicated doubles with broadcasting. */
static void ref_mm(int nb, const int64_t *bs, int64_t n, int64_t k, int64_t m,
                   const double *A, const double *B, double *C, const int *amask, const int *bmask)
{
	int64_t nbatch = 1;
	for (int d = 0; d < nb; d++)
		nbatch *= bs[d];
	for (int64_t f = 0; f < nbatch; f++) {
		int64_t rem = f, fa = 0, fb = 0;
		int64_t idx[HA_MAXDIM];
		for (int d = nb - 1; d >= 0; d--) {
			idx[d] = rem % bs[d];
			rem /= bs[d];
		}
		for (int d = 0; d < nb; d++) {
			fa = fa * (amask[d] ? bs[d] : 1) + (amask[d] ? idx[d] : 0);
			fb = fb * (bmask[d] ? bs[d] : 1) + (bmask[d] ? idx[d] : 0);
		}
		for (int64_t i = 0; i < n; i++)
			for (int64_t j = 0; j < m; j++) {
				double s = 0;
				for (int64_t p = 0; p < k; p++)
					s += A[fa * n * k + i * k + p] * B[fb * k * m + p * m + j];
				C[f * n * m + i * m + j] = s;
			}
	}
}

/* r (any split) equals want (replicated doubles, count n). */
static int equals(ha_array *r, const double *want, int64_t n)
{
	ha_array *g = ha_resplit(r, HA_SPLIT_NONE);
	if (!g)
		return 0;
	double *got = malloc(sizeof(double) * (size_t)(n ? n : 1));
	ha_convert(HA_FLOAT64, got, g->dtype, g->data, n);
	int ok = ha_gnumel(g) == n;
	for (int64_t i = 0; ok && i < n; i++)
		if (fabs(got[i] - want[i]) > 1e-4 * (1 + fabs(want[i]))) {
			fprintf(stderr, "element %lld: got %g want %g\n", (long long)i, got[i], want[i]);
			ok = 0;
		}
	free(got);
	ha_release(g);
	return ok;
}

static const int splits[3] = { HA_SPLIT_NONE, 0, 1 };
static const int want_split[3][3] = {
	/* b: None 0 1 */
	{ -1, 0, 1 },     /* a None */
	{ 0, 0, 0 },      /* a 0 */
	{ 1, 1, 1 },      /* a 1 */
};

static void check_pairs(ha_dtype ta, ha_dtype tb, int64_t n, int64_t k, int64_t m)
{
	int64_t sa[2] = { n, k }, sb[2] = { k, m };
	double *A = malloc(sizeof(double) * (size_t)(n * k + 1)), *B = malloc(sizeof(double) * (size_t)(k * m + 1));
	double *C = malloc(sizeof(double) * (size_t)(n * m + 1));
	for (int64_t i = 0; i < n * k; i++)
		A[i] = val(i, 1);
	for (int64_t i = 0; i < k * m; i++)
		B[i] = val(i, 2);
	int z = 0;
	ref_mm(0, NULL, n, k, m, A, B, C, &z, &z);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			ha_array *a = make(ta, 2, sa, splits[i], 1), *b = make(tb, 2, sb, splits[j], 2);
			ha_array *r = ha_matmul(a, b);
			ck_assert_msg(rt_all(r != NULL), "matmul failed for %d/%d: %s", splits[i], splits[j], ha_error_msg());
			ck_assert_int_eq(r->dtype, ha_promote_types(ta, tb));
			ck_assert_int_eq(r->split, want_split[i][j]);
			ck_assert_int_eq(r->gshape[0], n);
			ck_assert_int_eq(r->gshape[1], m);
			ck_assert_msg(rt_all(equals(r, C, n * m)), "wrong product for split %d/%d (%s)",
			              splits[i], splits[j], ha_dtype_name(r->dtype));
			ha_release(a);
			ha_release(b);
			ha_release(r);
		}
	free(A);
	free(B);
	free(C);
}

START_TEST(every_split_pair_float)
{
	check_pairs(HA_FLOAT64, HA_FLOAT64, 7, 5, 6);
	check_pairs(HA_FLOAT32, HA_FLOAT32, 7, 5, 6);
	check_pairs(HA_FLOAT32, HA_FLOAT64, 3, 9, 2);
	check_pairs(HA_COMPLEX64, HA_FLOAT32, 5, 4, 3);
	check_pairs(HA_COMPLEX128, HA_COMPLEX128, 2, 3, 5);
	check_pairs(HA_FLOAT64, HA_FLOAT64, 130, 150, 140);   /* panels, uneven chunks */
	check_pairs(HA_FLOAT64, HA_FLOAT64, 1, 1, 1);         /* empty chunks at P > 1 */
}
END_TEST

START_TEST(every_split_pair_int)
{
	check_pairs(HA_INT32, HA_INT32, 7, 5, 6);
	check_pairs(HA_INT64, HA_INT8, 4, 7, 3);
	check_pairs(HA_INT16, HA_INT8, 6, 6, 6);
	check_pairs(HA_INT32, HA_FLOAT32, 5, 3, 7);
}
END_TEST

START_TEST(bool_and_empty)
{
	int64_t s[2] = { 3, 0 }, s2[2] = { 0, 4 };
	for (int i = 0; i < 3; i++) {
		ha_array *a = make(HA_FLOAT32, 2, s, splits[i], 1), *b = make(HA_FLOAT32, 2, s2, splits[i] < 0 ? -1 : 1 - splits[i], 2);
		ha_array *r = ha_matmul(a, b);
		ck_assert(rt_all(r != NULL));
		double zero[12] = { 0 };
		ck_assert(rt_all(equals(r, zero, 12)));
		ha_release(a);
		ha_release(b);
		ha_release(r);
	}
	/* bool: OR of ANDs */
	int64_t sh[2] = { 2, 2 };
	uint8_t x[4] = { 1, 0, 0, 0 }, y[4] = { 0, 1, 1, 0 };
	ha_array *a = ha_array_from_data(HA_BOOL, 2, sh, x, 0, HA_DEVICE_CPU, NULL);
	ha_array *b = ha_array_from_data(HA_BOOL, 2, sh, y, 0, HA_DEVICE_CPU, NULL);
	ha_array *r = ha_matmul(a, b);
	ck_assert_int_eq(r->dtype, HA_BOOL);
	double w[4] = { 0, 1, 0, 0 };
	ck_assert(rt_all(equals(r, w, 4)));
	ha_release(a);
	ha_release(b);
	ha_release(r);
}
END_TEST

START_TEST(one_dimensional)
{
	int64_t k = 7, n = 5, m = 6;
	int64_t sv[1] = { k }, sa[2] = { n, k }, sb[2] = { k, m };
	double A[35], B[42], v[7], w[7];
	for (int i = 0; i < 35; i++) A[i] = val(i, 1);
	for (int i = 0; i < 42; i++) B[i] = val(i, 2);
	for (int i = 0; i < 7; i++) { v[i] = val(i, 3); w[i] = val(i, 4); }
	double dot = 0, mv[5] = { 0 }, vm[6] = { 0 };
	for (int i = 0; i < 7; i++) dot += v[i] * w[i];
	for (int i = 0; i < 5; i++) for (int p = 0; p < 7; p++) mv[i] += A[i * 7 + p] * v[p];
	for (int j = 0; j < 6; j++) for (int p = 0; p < 7; p++) vm[j] += v[p] * B[p * 6 + j];
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			ha_array *x = make(HA_FLOAT64, 1, sv, splits[i], 3), *y = make(HA_FLOAT64, 1, sv, splits[j], 4);
			ha_array *r = ha_matmul(x, y);
			ck_assert(rt_all(r != NULL));
			ck_assert_int_eq(r->ndim, 0);
			ck_assert_int_eq(r->split, -1);
			ck_assert(rt_all(equals(r, &dot, 1)));
			ha_release(r);
			ha_release(y);
			ha_release(x);
		}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 2; j++) {
			ha_array *a = make(HA_FLOAT64, 2, sa, splits[i], 1), *x = make(HA_FLOAT64, 1, sv, splits[j], 3);
			ha_array *b = make(HA_FLOAT64, 2, sb, splits[i], 2);
			ha_array *r = ha_matmul(a, x), *q = ha_matmul(x, b);
			ck_assert(rt_all(r != NULL && q != NULL));
			ck_assert_int_eq(r->ndim, 1);
			ck_assert_int_eq(q->ndim, 1);
			ck_assert(rt_all(equals(r, mv, 5)));
			ck_assert(rt_all(equals(q, vm, 6)));
			ha_release(a);
			ha_release(b);
			ha_release(x);
			ha_release(r);
			ha_release(q);
		}
}
END_TEST

START_TEST(batched)
{
	/* (3,1,5,4) @ (2,4,6) -> (3,2,5,6) for every split of both */
	int64_t sa[4] = { 3, 1, 5, 4 }, sb[3] = { 2, 4, 6 }, bs[2] = { 3, 2 };
	double A[60], B[48], C[180];
	for (int i = 0; i < 60; i++) A[i] = val(i, 1);
	for (int i = 0; i < 48; i++) B[i] = val(i, 2);
	int am[2] = { 1, 0 }, bm[2] = { 0, 1 };
	ref_mm(2, bs, 5, 4, 6, A, B, C, am, bm);
	for (int i = -1; i < 4; i++)
		for (int j = -1; j < 3; j++) {
			ha_array *a = make(HA_FLOAT32, 4, sa, i, 1), *b = make(HA_FLOAT64, 3, sb, j, 2);
			ha_array *r = ha_matmul(a, b);
			ck_assert_msg(rt_all(r != NULL), "batched %d/%d: %s", i, j, ha_error_msg());
			ck_assert_int_eq(r->ndim, 4);
			ck_assert_int_eq(r->gshape[1], 2);
			ck_assert_int_eq(r->dtype, HA_FLOAT64);
			ck_assert_msg(rt_all(equals(r, C, 180)), "batched split %d/%d wrong", i, j);
			ha_release(a);
			ha_release(b);
			ha_release(r);
		}
	/* both split on the same batch axis */
	int64_t s3[3] = { 5, 3, 4 }, t3[3] = { 5, 4, 2 }, b1[1] = { 5 };
	double X[60], Y[40], Z[30];
	for (int i = 0; i < 60; i++) X[i] = val(i, 1);
	for (int i = 0; i < 40; i++) Y[i] = val(i, 2);
	int one = 1;
	ref_mm(1, b1, 3, 4, 2, X, Y, Z, &one, &one);
	ha_array *x = make(HA_INT64, 3, s3, 0, 1), *y = make(HA_INT64, 3, t3, 0, 2);
	ha_array *r = ha_matmul(x, y);
	ck_assert(rt_all(r != NULL));
	ck_assert_int_eq(r->split, 0);
	ck_assert(rt_all(equals(r, Z, 30)));
	ha_release(x);
	ha_release(y);
	ha_release(r);
}
END_TEST

START_TEST(errors)
{
	int64_t sa[2] = { 3, 4 }, sb[2] = { 5, 2 };
	ha_array *a = make(HA_FLOAT32, 2, sa, 0, 1), *b = make(HA_FLOAT32, 2, sb, 1, 2);
	ck_assert_ptr_null(ha_matmul(a, b));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ck_assert_str_eq(ha_error_msg(), "matmul: Input operand 1 has a mismatch in its core dimension 0, "
	                 "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 5 is different from 4)");
	ha_array *s = ha_array_alloc(HA_FLOAT32, 0, NULL, -1, HA_DEVICE_CPU, NULL);
	ck_assert_ptr_null(ha_matmul(s, a));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	int64_t s3[3] = { 2, 3, 4 }, t3[3] = { 3, 4, 2 };
	ha_array *x = make(HA_FLOAT32, 3, s3, -1, 1), *y = make(HA_FLOAT32, 3, t3, -1, 1);
	ck_assert_ptr_null(ha_matmul(x, y));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_release(a);
	ha_release(b);
	ha_release(s);
	ha_release(x);
	ha_release(y);
}
END_TEST

START_TEST(ring_counts)
{
	/* 0/0: P-1 Isendrecv steps charged to "matmul", nothing else */
	int64_t sa[2] = { 8, 8 };
	ha_array *a = make(HA_FLOAT64, 2, sa, 0, 1), *b = make(HA_FLOAT64, 2, sa, 0, 2);
	ha_comm_stats_reset();
	ha_array *r = ha_matmul(a, b);
	const ha_comm_stat *rows;
	int nr = ha_comm_stats(&rows);
	int64_t calls = 0;
	for (int i = 0; i < nr; i++) {
		ck_assert_str_eq(rows[i].what, "matmul");
		ck_assert_str_eq(rows[i].call, "Isendrecv");
		calls += rows[i].calls;
	}
	ck_assert_int_eq(calls, rt_size() - 1);
	ha_release(a);
	ha_release(b);
	ha_release(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_matmul");
	TCase *tc = tcase_create("matmul");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_split_pair_float);
	tcase_add_test(tc, every_split_pair_int);
	tcase_add_test(tc, bool_and_empty);
	tcase_add_test(tc, one_dimensional);
	tcase_add_test(tc, batched);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, ring_counts);
	suite_add_tcase(s, tc);
	return s;
}

RT_MAIN(suite)
