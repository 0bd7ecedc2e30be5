/* test_rt_factor.c — the factorization API (include/ha_factor.h) from C:
** QR / SVD / eigh reconstructions on every split, inv/det/solve/lstsq/
** cholesky values, hsvd on an exact low-rank matrix, and the error kinds
** and messages that every rank must raise together. */
#include <math.h>
#include "rt_common.h"

/* The whole array as doubles on every rank (malloc'd). */
static double *full(const ha_array *a)
{
	ha_array *r = ha_resplit(a, HA_SPLIT_NONE);
	int64_t n = ha_gnumel(r);
	double *d = malloc(sizeof(double) * (size_t)(n + 1));
	ha_convert(HA_FLOAT64, d, r->dtype, r->data, n);
	ha_release(r);
	return d;
}

/* ||A - B C||_F / ||A||_F for row-major dense matrices (A m x n, B m x k, C k x n) */
static double rel_prod(const double *A, const double *B, const double *C, int64_t m, int64_t k, int64_t n)
{
	double e = 0, s = 0;
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++) {
			double v = 0;
			for (int64_t l = 0; l < k; l++)
				v += B[i * k + l] * C[l * n + j];
			e += (A[i * n + j] - v) * (A[i * n + j] - v);
			s += A[i * n + j] * A[i * n + j];
		}
	return sqrt(e / s);
}

/* ||Q^T Q - I||_F for Q m x k */
static double orth(const double *Q, int64_t m, int64_t k)
{
	double e = 0;
	for (int64_t a = 0; a < k; a++)
		for (int64_t b = 0; b < k; b++) {
			double v = 0;
			for (int64_t i = 0; i < m; i++)
				v += Q[i * k + a] * Q[i * k + b];
			v -= a == b;
			e += v * v;
		}
	return sqrt(e);
}

START_TEST(qr_all_splits)
{
	int64_t shapes[3][2] = { { 50, 7 }, { 7, 30 }, { 10, 10 } };
	for (int dti = 0; dti < 2; dti++) {
		ha_dtype t = dti ? HA_FLOAT64 : HA_FLOAT32;
		double tol = dti ? 1e-12 : 1e-5;
		for (int s = 0; s < 3; s++)
			for (int split = -1; split <= 1; split++) {
				ha_array *A = ha_randn(t, 2, shapes[s], split, HA_DEVICE_CPU, NULL), *Q, *R;
				ck_assert_int_eq(ha_qr(A, 1, &Q, &R), 0);
				int64_t m = shapes[s][0], n = shapes[s][1], k = m < n ? m : n;
				ck_assert_int_eq(Q->gshape[1], k);
				ck_assert_int_eq(R->gshape[0], k);
				ck_assert_int_eq(Q->split, split);
				ck_assert_int_eq(R->split, split == 1 ? 1 : -1);
				double *a = full(A), *q = full(Q), *r = full(R);
				ck_assert(rt_all(rel_prod(a, q, r, m, k, n) < tol));
				ck_assert(rt_all(orth(q, m, k) < tol));
				for (int64_t i = 0; i < k; i++)
					for (int64_t j = 0; j < i && j < n; j++)
						ck_assert(r[i * n + j] == 0);
				free(a);
				free(q);
				free(r);
				ha_release(Q);
				ha_release(R);
				ck_assert_int_eq(ha_qr(A, 0, &Q, &R), 0);
				ck_assert_ptr_null(Q);
				ha_release(R);
				ha_release(A);
			}
	}
}
END_TEST

START_TEST(svd_all_splits)
{
	int64_t shapes[2][2] = { { 40, 5 }, { 5, 33 } };
	for (int dti = 0; dti < 2; dti++) {
		ha_dtype t = dti ? HA_FLOAT64 : HA_FLOAT32;
		double tol = dti ? 1e-12 : 1e-5;
		for (int s = 0; s < 2; s++)
			for (int split = -1; split <= 1; split++) {
				ha_array *A = ha_randn(t, 2, shapes[s], split, HA_DEVICE_CPU, NULL), *U, *S, *Vt;
				ck_assert_int_eq(ha_svd(A, 1, &U, &S, &Vt), 0);
				int64_t m = shapes[s][0], n = shapes[s][1], k = m < n ? m : n;
				double *a = full(A), *u = full(U), *sv = full(S), *vt = full(Vt);
				for (int64_t i = 0; i < m; i++)
					for (int64_t j = 0; j < k; j++)
						u[i * k + j] *= sv[j];
				ck_assert(rt_all(rel_prod(a, u, vt, m, k, n) < tol));
				for (int64_t j = 0; j + 1 < k; j++)
					ck_assert(sv[j] >= sv[j + 1]);
				ck_assert_int_eq(U->split, split < 0 ? -1 : (m >= n ? 0 : -1));
				ck_assert_int_eq(Vt->split, split < 0 ? -1 : (m >= n ? -1 : 1));
				free(a);
				free(u);
				free(sv);
				free(vt);
				ha_release(U);
				ha_release(S);
				ha_release(Vt);
				ha_release(A);
			}
	}
}
END_TEST

START_TEST(dense_values)
{
	double d[4] = { 4, 2, 2, 3 }, bv[2] = { 2, 1 };
	int64_t sh[2] = { 2, 2 }, sb[1] = { 2 };
	for (int split = -1; split <= 1; split++) {
		ha_array *A = ha_array_from_data(HA_FLOAT64, 2, sh, d, split, HA_DEVICE_CPU, NULL);
		ha_array *b = ha_array_from_data(HA_FLOAT64, 1, sb, bv, split < 0 ? -1 : 0, HA_DEVICE_CPU, NULL);
		ha_array *det = ha_det(A), *inv = ha_inv(A), *x = ha_solve(A, b), *L = ha_cholesky(A);
		ck_assert_ptr_nonnull(det);
		ck_assert(fabs(*(double *)det->data - 8) < 1e-12);
		double *iv = full(inv), *xv = full(x), *lv = full(L);
		ck_assert(fabs(iv[0] - 0.375) < 1e-12 && fabs(iv[1] + 0.25) < 1e-12 && fabs(iv[3] - 0.5) < 1e-12);
		ck_assert(fabs(xv[0] - 0.5) < 1e-12 && fabs(xv[1]) < 1e-12);
		ck_assert(fabs(lv[0] - 2) < 1e-12 && lv[1] == 0 && fabs(lv[2] - 1) < 1e-12 &&
		          fabs(lv[3] - sqrt(2)) < 1e-12);
		ck_assert_int_eq(inv->split, split);
		ha_array *w, *V;
		ck_assert_int_eq(ha_eigh(A, &w, &V), 0);
		double *wv = full(w);
		ck_assert(wv[0] < wv[1]);
		ck_assert(fabs(wv[0] + wv[1] - 7) < 1e-12 && fabs(wv[0] * wv[1] - 8) < 1e-12);
		free(iv);
		free(xv);
		free(lv);
		free(wv);
		ha_array *rel[] = { A, b, det, inv, x, L, w, V };
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
			ha_release(rel[i]);
	}
}
END_TEST

START_TEST(lstsq_tsqr)
{
	/* A = [[1,0],[0,1],[1,1]] repeated, b = 1,1,0: x = (1/3, 1/3) */
	int64_t sh[2] = { 30, 2 }, sb[1] = { 30 };
	double a[60], bv[30];
	for (int i = 0; i < 30; i++) {
		a[2 * i] = i % 3 != 1;
		a[2 * i + 1] = i % 3 != 0;
		bv[i] = i % 3 != 2;
	}
	for (int split = -1; split <= 1; split++) {
		ha_array *A = ha_array_from_data(HA_FLOAT64, 2, sh, a, split, HA_DEVICE_CPU, NULL);
		ha_array *b = ha_array_from_data(HA_FLOAT64, 1, sb, bv, split < 0 ? -1 : 0, HA_DEVICE_CPU, NULL);
		ha_array *x, *res, *s;
		int64_t rank;
		ck_assert_int_eq(ha_lstsq(A, b, -1, &x, &res, &rank, &s), 0);
		double *xv = full(x), *rv = full(res);
		ck_assert_int_eq(rank, 2);
		ck_assert(fabs(xv[0] - 1.0 / 3) < 1e-12 && fabs(xv[1] - 1.0 / 3) < 1e-12);
		ck_assert_int_eq(res->gshape[0], 1);
		ck_assert(fabs(rv[0] - 10 * 4.0 / 3) < 1e-10);
		free(xv);
		free(rv);
		ha_release(x);
		ha_release(res);
		ha_release(s);
		ha_release(A);
		ha_release(b);
	}
}
END_TEST

START_TEST(hsvd_low_rank)
{
	int64_t m = 30, n = 26, r = 3;
	double *a = malloc(sizeof(double) * (size_t)(m * n));
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++) {
			double v = 0;
			for (int64_t l = 0; l < r; l++)
				v += sin((double)(i + 1) * (l + 1)) * cos((double)(j + 2) * (l + 1));
			a[i * n + j] = v;
		}
	int64_t sh[2] = { m, n };
	for (int split = -1; split <= 1; split++) {
		ha_array *A = ha_array_from_data(HA_FLOAT64, 2, sh, a, split, HA_DEVICE_CPU, NULL), *U, *S, *V;
		double err;
		ck_assert_int_eq(ha_hsvd_rank(A, r, 1, 0, 5, &U, &S, &V, &err), 0);
		ck_assert_int_eq(U->gshape[1], r);
		double *u = full(U), *s = full(S), *v = full(V), *vt = malloc(sizeof(double) * (size_t)(r * n));
		for (int64_t i = 0; i < m; i++)
			for (int64_t j = 0; j < r; j++)
				u[i * r + j] *= s[j];
		for (int64_t i = 0; i < n; i++)
			for (int64_t j = 0; j < r; j++)
				vt[j * n + i] = v[i * r + j];
		ck_assert(rt_all(rel_prod(a, u, vt, m, r, n) < 1e-10));
		ck_assert(err < 1e-10);
		free(u);
		free(s);
		free(v);
		free(vt);
		ha_release(U);
		ha_release(S);
		ha_release(V);
		ck_assert_int_eq(ha_hsvd_rank(A, 2, 0, 5, 5, &U, &S, &V, &err), -1);
		ck_assert_int_eq(ha_error_kind(), HA_ERUNTIME);
		ha_error_clear();
		ha_release(A);
	}
	free(a);
}
END_TEST

START_TEST(errors)
{
	int64_t sq[2] = { 3, 3 }, rect[2] = { 3, 4 };
	for (int split = -1; split <= 1; split++) {
		ha_array *O = ha_ones(HA_FLOAT64, 2, sq, split, HA_DEVICE_CPU, NULL);
		ha_array *Rc = ha_ones(HA_FLOAT32, 2, rect, split, HA_DEVICE_CPU, NULL);
		ck_assert_ptr_null(ha_inv(O));
		ck_assert_int_eq(ha_error_kind(), HA_ELINALG);
		ck_assert_str_eq(ha_error_msg(), "Singular matrix");
		ha_error_clear();
		ck_assert_ptr_null(ha_solve(O, O));
		ck_assert_str_eq(ha_error_msg(), "Singular matrix");
		ha_error_clear();
		ck_assert_ptr_null(ha_cholesky(O));
		ck_assert_str_eq(ha_error_msg(), "Matrix is not positive definite");
		ha_error_clear();
		ck_assert_ptr_null(ha_det(Rc));
		ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
		ck_assert_str_eq(ha_error_msg(), "Last 2 dimensions of the array must be square");
		ha_error_clear();
		ck_assert_ptr_null(ha_inv(Rc));
		ck_assert_str_eq(ha_error_msg(), "Last 2 dimensions of the array must be square");
		ha_error_clear();
		ha_array *z = ha_det(O);
		ck_assert(*(double *)z->data == 0);
		ha_release(z);
		ha_release(O);
		ha_release(Rc);
	}
	/* complex input is factored (c/z LAPACK); hsvd stays real only */
	int64_t c[2] = { 2, 2 };
	ha_array *C = ha_ones(HA_COMPLEX64, 2, c, -1, HA_DEVICE_CPU, NULL), *q, *r, *u, *s = NULL, *v = NULL;
	ck_assert_int_eq(ha_qr(C, 1, &q, &r), 0);
	ck_assert_int_eq(q->dtype, HA_COMPLEX64);
	ck_assert_int_eq(r->dtype, HA_COMPLEX64);
	ha_release(q);
	ha_release(r);
	double err;
	ck_assert_int_eq(ha_hsvd_rank(C, 1, 0, 0, 5, &u, &s, &v, &err), -1);
	ck_assert_int_eq(ha_error_kind(), HA_ETYPE);
	ha_error_clear();
	ha_release(C);
	/* a batch of two singular-free 2 x 2 matrices split on the batch axis */
	int64_t b3[3] = { 2, 2, 2 };
	double bd[8] = { 2, 0, 0, 3, 1, 2, 3, 4 };
	ha_array *B = ha_array_from_data(HA_FLOAT64, 3, b3, bd, 0, HA_DEVICE_CPU, NULL);
	ha_array *d = ha_det(B);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->ndim, 1);
	ck_assert_int_eq(d->gshape[0], 2);
	ck_assert_int_eq(d->split, 0);
	ha_array *dr = ha_resplit(d, HA_SPLIT_NONE);
	ck_assert(fabs(((double *)dr->data)[0] - 6) < 1e-12 && fabs(((double *)dr->data)[1] + 2) < 1e-12);
	ha_release(dr);
	ha_release(d);
	ha_release(B);
}
END_TEST

static Suite *factor_suite(void)
{
	Suite *s = suite_create("factor");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, qr_all_splits);
	tcase_add_test(tc, svd_all_splits);
	tcase_add_test(tc, dense_values);
	tcase_add_test(tc, lstsq_tsqr);
	tcase_add_test(tc, hsvd_low_rank);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return s;
}

RT_MAIN(factor_suite)
