/* test_rt_print.c — Heat's print format (torch formatter) for global and
** local arrays, summarisation, at every rank count. */
#include <complex.h>
#include <math.h>
#include <stdbool.h>
#include "rt_common.h"

static const ha_device CPU = { HA_CPU, 0 };

static void expect_str(ha_array *a, const char *want)
{
	ck_assert_ptr_nonnull(a);
	char *s = ha_array_str(a);
	int ok = rt_str_ok(s, want);
	free(s);
	ha_release(a);
	ck_assert(ok);
}

static void expect_data(ha_array *a, const char *want)
{
	ck_assert_ptr_nonnull(a);
	char *s = ha_array_format(a, 9);
	int ok = rt_str_ok(s, want);
	free(s);
	ha_release(a);
	ck_assert(ok);
}

static ha_array *f32(int n, const float *v, int split)
{
	int64_t sh = n;
	return ha_array_from_data(HA_FLOAT32, 1, &sh, v, split, CPU, NULL);
}

START_TEST(tutorial_cases)
{
	float s[5];
	for (int i = 0; i < 5; i++)
		s[i] = (float)sin((double)i);
	for (int split = -1; split <= 0; split++) {
		char want[200];
		snprintf(want, sizeof want, "DNDarray([ 0.0000,  0.8415,  0.9093,  0.1411, -0.7568], "
		         "dtype=ht.float32, device=cpu:0, split=%s)", split < 0 ? "None" : "0");
		expect_str(f32(5, s, split), want);
	}
	int64_t sh[2] = { 3, 2 };
	expect_str(ha_full(HA_FLOAT32, 2, sh, ha_scalar_int(9), -1, CPU, NULL),
	           "DNDarray([[9., 9.],\n          [9., 9.],\n          [9., 9.]], dtype=ht.float32, "
	           "device=cpu:0, split=None)");
	expect_str(ha_full(HA_FLOAT32, 2, sh, ha_scalar_int(9), 0, CPU, NULL),
	           "DNDarray([[9., 9.],\n          [9., 9.],\n          [9., 9.]], dtype=ht.float32, "
	           "device=cpu:0, split=0)");
	int32_t three = 3;
	expect_str(ha_array_from_data(HA_INT32, 0, NULL, &three, -1, CPU, NULL),
	           "DNDarray(3, dtype=ht.int32, device=cpu:0, split=None)");
	expect_str(ha_arange(3, 13, 1, HA_INT32, -1, CPU, NULL),
	           "DNDarray([ 3,  4,  5,  6,  7,  8,  9, 10, 11, 12], dtype=ht.int32, device=cpu:0, "
	           "split=None)");
	expect_str(ha_arange(0, 10, 1, HA_INT32, 0, CPU, NULL),
	           "DNDarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], dtype=ht.int32, device=cpu:0, split=0)");
	int64_t z[2] = { 3, 4 };
	expect_str(ha_zeros(HA_INT64, 2, z, 1, CPU, NULL),
	           "DNDarray([[0, 0, 0, 0],\n          [0, 0, 0, 0],\n          [0, 0, 0, 0]], "
	           "dtype=ht.int64, device=cpu:0, split=1)");
	expect_str(ha_zeros(HA_FLOAT32, 2, z, -1, CPU, NULL),
	           "DNDarray([[0., 0., 0., 0.],\n          [0., 0., 0., 0.],\n          [0., 0., 0., 0.]], "
	           "dtype=ht.float32, device=cpu:0, split=None)");
}
END_TEST

START_TEST(float_modes)
{
	float a[] = { 1e-3f, 5.f }, b[] = { 1.f, 2000.f }, c[] = { 100.f, -2.f }, d[] = { -0.f, 1.f };
	float e[] = { NAN, INFINITY, -INFINITY, 1.5f }, f[] = { NAN, 1.f };
	expect_data(f32(2, a, -1), "[1.0000e-03, 5.0000e+00]");
	expect_data(f32(2, b, 0), "[1.0000e+00, 2.0000e+03]");
	expect_data(f32(2, c, -1), "[100.,  -2.]");
	expect_data(f32(2, d, 0), "[-0., 1.]");
	expect_data(f32(4, e, -1), "[   nan,    inf,   -inf, 1.5000]");
	expect_data(f32(2, f, -1), "[nan, 1.]");
	float half = 2.5f;
	ha_array *x = ha_array_from_data(HA_FLOAT32, 0, NULL, &half, -1, CPU, NULL);
	expect_str(x, "DNDarray(2.5000, dtype=ht.float32, device=cpu:0, split=None)");
	bool bv[] = { true, false };
	int64_t two = 2;
	expect_data(ha_array_from_data(HA_BOOL, 1, &two, bv, 0, CPU, NULL), "[ True, False]");
	double complex cz[] = { 1.0 + 2.0 * I, -1.5 - 0.25 * I };
	expect_data(ha_array_from_data(HA_COMPLEX128, 1, &two, cz, -1, CPU, NULL),
	            "[ 1.0000+2.0000j, -1.5000-0.2500j]");
	float complex cw[] = { 1.0f + 2.0f * I };
	int64_t one = 1;
	expect_data(ha_array_from_data(HA_COMPLEX64, 1, &one, cw, -1, CPU, NULL), "[1.+2.j]");
	int64_t empty[2] = { 0, 3 };
	expect_data(ha_zeros(HA_FLOAT32, 2, empty, 1, CPU, NULL), "[]");
}
END_TEST

START_TEST(wrap_rows)
{
	/* width 6 fixed mode: (120 - 9) / 8 = 13 entries per line */
	ha_array *a = ha_linspace(0, 1.5, 30, 1, HA_FLOAT32, 0, CPU, NULL);
	char *s = ha_array_format(a, 9);
	ck_assert_ptr_nonnull(s);
	int ok = 1;
	if (rt_rank() == 0) {
		char *nl = strchr(s, '\n');
		ok = nl && (int)(nl - s) == 1 + 13 * 8 - 1 &&   /* "[" + 13 entries + "," */
		     strncmp(nl + 1, "          0.", 12) == 0 &&
		     strcmp(s + strlen(s) - 8, " 1.5000]") == 0;
	}
	free(s);
	ha_release(a);
	ck_assert(rt_all(ok));
}
END_TEST

START_TEST(summarise)
{
	expect_data(ha_arange(0, 2000, 1, HA_INT32, 0, CPU, NULL),
	            "[   0,    1,    2,  ..., 1997, 1998, 1999]");
	expect_data(ha_arange(0, 2000, 1, HA_INT32, -1, CPU, NULL),
	            "[   0,    1,    2,  ..., 1997, 1998, 1999]");
	ha_array *r = ha_arange(0, 30000, 1, HA_INT32, 0, CPU, NULL);
	int64_t sh[2] = { 100, 300 };
	const char *want =
	    "DNDarray([[    0,     1,     2,  ...,   297,   298,   299],\n"
	    "          [  300,   301,   302,  ...,   597,   598,   599],\n"
	    "          [  600,   601,   602,  ...,   897,   898,   899],\n"
	    "          ...,\n"
	    "          [29100, 29101, 29102,  ..., 29397, 29398, 29399],\n"
	    "          [29400, 29401, 29402,  ..., 29697, 29698, 29699],\n"
	    "          [29700, 29701, 29702,  ..., 29997, 29998, 29999]], dtype=ht.int32, "
	    "device=cpu:0, split=%d)";
	for (int split = 0; split < 2; split++) {
		char w[1000];
		snprintf(w, sizeof w, want, split);
		ha_comm_stats_reset();
		expect_str(ha_reshape(r, 2, sh, split), w);
	}
	ha_release(r);
	/* summarising moves only the shown entries: 36 int32 at most */
	int64_t big[2] = { 4000, 5000 };
	ha_array *z = ha_zeros(HA_INT32, 2, big, 1, CPU, NULL);
	ha_comm_stats_reset();
	char *s = ha_array_format(z, 9);
	const ha_comm_stat *rows;
	int n = ha_comm_stats(&rows);
	int64_t bytes = 0;
	for (int i = 0; i < n; i++)
		bytes += rows[i].bytes;
	free(s);
	ha_release(z);
	ck_assert(rt_all(bytes <= 36 * 4));
}
END_TEST

START_TEST(local_format)
{
	int32_t v[24];
	int64_t sh[3] = { 2, 4, 3 };
	for (int i = 0; i < 24; i++)
		v[i] = i;
	char *s = ha_local_format(HA_INT32, 3, sh, v, 7);
	ck_assert_str_eq(s, "[[[ 0,  1,  2],\n"
	                    "         [ 3,  4,  5],\n"
	                    "         [ 6,  7,  8],\n"
	                    "         [ 9, 10, 11]],\n"
	                    "\n"
	                    "        [[12, 13, 14],\n"
	                    "         [15, 16, 17],\n"
	                    "         [18, 19, 20],\n"
	                    "         [21, 22, 23]]]");
	free(s);
	/* the tutorial's larray on rank 0 of 4: arange(60, split=0).reshape(5,4,3) */
	ha_array *a = ha_arange(0, 60, 1, HA_INT32, 0, CPU, NULL);
	int64_t sh3[3] = { 5, 4, 3 };
	ha_array *b = ha_reshape(a, 3, sh3, HA_SPLIT_DEFAULT);
	ck_assert_int_eq(b->split, 0);
	int ok = 1;
	if (rt_size() == 4 && rt_rank() == 1) {
		s = ha_local_format(b->dtype, b->ndim, b->lshape, b->data, 7);
		ok = strcmp(s, "[[[24, 25, 26],\n         [27, 28, 29],\n         [30, 31, 32],\n"
		               "         [33, 34, 35]]]") == 0;
		free(s);
	}
	ha_release(a);
	ha_release(b);
	ck_assert(rt_all(ok));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_print");
	TCase *t = tcase_create("print");
	tcase_add_test(t, tutorial_cases);
	tcase_add_test(t, float_modes);
	tcase_add_test(t, wrap_rows);
	tcase_add_test(t, summarise);
	tcase_add_test(t, local_format);
	suite_add_tcase(s, t);
	return s;
}

RT_MAIN(suite)
