/* test_rt_move.c — data movement: resplit between every axis pair,
** redistribute/balance, reshape, transpose, squeeze/expand_dims, flatten,
** and random numbers that do not depend on the rank count. */
#include <math.h>
#include "rt_common.h"

static const ha_device CPU = { HA_CPU, 0 };

/* arange(n) in the given shape and split, as float64 (value = flat index) */
static ha_array *iota(int ndim, const int64_t *shape, int split)
{
	int64_t n = 1;
	for (int d = 0; d < ndim; d++)
		n *= shape[d];
	ha_array *f = ha_arange(0, (double)n, 1, HA_FLOAT64, split >= 0 ? 0 : -1, CPU, NULL);
	ha_array *a = ha_reshape(f, ndim, shape, split);
	ha_release(f);
	return a;
}

/* every local element equals its global flat index; chunk map balanced */
static int holds_iota(const ha_array *a, int want_split)
{
	const double *v = a->data;
	int ok = a->split == want_split;
	for (int64_t l = 0; ok && l < ha_lnumel(a); l++)
		ok = v[l] == (double)rt_global_flat(a, l);
	return ok && rt_balanced(a);
}

START_TEST(resplit_all_pairs)
{
	int64_t s2[2] = { 7, 5 }, s3[3] = { 5, 7, 3 };
	const int64_t *shapes[2] = { s2, s3 };
	for (int k = 0; k < 2; k++) {
		int nd = k + 2;
		for (int from = -1; from < nd; from++)
			for (int to = -1; to < nd; to++) {
				ha_array *a = iota(nd, shapes[k], from);
				ck_assert(rt_all(a && holds_iota(a, from)));
				ha_comm_stats_reset();
				ha_array *b = ha_resplit(a, to);
				int64_t a2a = rt_calls("Alltoallv"), ag = rt_calls("Allgatherv"),
				        tot = rt_calls(NULL);
				int ok = b && holds_iota(b, to) && holds_iota(a, from);
				if (rt_size() > 1 && from >= 0 && to >= 0 && from != to)
					ok = ok && a2a == 1 && tot == 1;
				if (rt_size() > 1 && from >= 0 && to < 0)
					ok = ok && ag == 1 && tot == 1;
				if (from < 0)
					ok = ok && tot == 0;
				if (!ok)
					fprintf(stderr, "resplit nd=%d %d -> %d failed on rank %d\n", nd, from,
					        to, rt_rank());
				/* in place */
				int rc = ha_resplit_(a, to);
				ok = ok && rc == 0 && holds_iota(a, to);
				ha_release(a);
				ha_release(b);
				ck_assert(rt_all(ok));
			}
	}
}
END_TEST

START_TEST(redistribute_and_balance)
{
	int P = rt_size();
	int64_t shape[2] = { 9, 4 }, *map = calloc((size_t)P, sizeof(int64_t));
	for (int split = 0; split < 2; split++) {
		/* everything on the last rank, then back to balanced */
		memset(map, 0, sizeof(int64_t) * (size_t)P);
		map[P - 1] = shape[split];
		ha_array *a = iota(2, shape, split);
		ha_array *b = ha_redistribute(a, map);
		int ok = b && b->lmap[P - 1] == shape[split] && (P == 1 || b->balanced == 0) &&
		         ha_is_balanced(b) == (P == 1);
		if (ok && rt_rank() == P - 1) {
			const double *v = b->data;
			for (int64_t l = 0; l < ha_lnumel(b); l++)
				ok = ok && v[l] == (double)rt_global_flat(b, l);
		}
		ok = ok && ha_balance_(b) == 0 && holds_iota(b, split) && b->balanced;
		ha_release(a);
		ha_release(b);
		ck_assert(rt_all(ok));
	}
	free(map);
}
END_TEST

START_TEST(reshape_cases)
{
	int64_t s3[3] = { 5, 4, 3 }, s2[2] = { 12, 5 }, s2b[2] = { 6, -1 }, s1[1] = { 60 };
	for (int from = -1; from < 3; from++) {
		ha_array *a = iota(3, s3, from);
		for (int ns = -2; ns < 2; ns++) {
			ha_array *b = ha_reshape(a, 2, ns == -1 ? s2b : s2, ns);
			int want = ns == HA_SPLIT_DEFAULT ? (from < 0 ? -1 : 0) : ns;
			int ok = b && holds_iota(b, want) && holds_iota(a, from) &&
			         b->gshape[0] == (ns == -1 ? 6 : 12);
			ha_release(b);
			ck_assert(rt_all(ok));
		}
		ha_array *f = ha_flatten(a);
		ck_assert(rt_all(f && f->ndim == 1 && holds_iota(f, from < 0 ? -1 : 0)));
		ha_array *back = ha_reshape(f, 3, s3, 2);
		ck_assert(rt_all(back && holds_iota(back, 2)));
		ha_array *one = ha_reshape(f, 1, s1, HA_SPLIT_DEFAULT);
		ck_assert(rt_all(one && holds_iota(one, from < 0 ? -1 : 0)));
		ha_release(one);
		ha_release(back);
		ha_release(f);
		ha_release(a);
	}
	/* one Alltoallv for a distributed reshape */
	ha_array *a = iota(3, s3, 1);
	ha_comm_stats_reset();
	ha_array *b = ha_reshape(a, 2, s2, 1);
	int ok = rt_size() == 1 || (rt_calls("Alltoallv") == 1 && rt_calls(NULL) == 1);
	ck_assert(rt_all(ok && holds_iota(b, 1)));
	ha_release(b);
	/* errors */
	int64_t bad[2] = { 7, 9 };
	ha_error_clear();
	ck_assert_ptr_null(ha_reshape(a, 2, bad, HA_SPLIT_DEFAULT));
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ck_assert_str_eq(ha_error_msg(), "cannot reshape array of size 60 into shape (7, 9)");
	ha_error_clear();
	ha_release(a);
}
END_TEST

START_TEST(transpose_rules)
{
	int64_t s3[3] = { 2, 3, 4 };
	int perms[3][3] = { { 2, 1, 0 }, { 2, 0, 1 }, { 0, 2, 1 } };
	/* (2,3,4) split 2: .T -> 0, (2,0,1) -> 0, (0,2,1) -> 1 */
	int want[3] = { 0, 0, 1 };
	for (int split = -1; split < 3; split++) {
		ha_array *a = iota(3, s3, split);
		for (int p = 0; p < 3; p++) {
			ha_array *t = ha_transpose(a, p == 0 ? NULL : perms[p]);
			int ws = split < 0 ? -1 : (split == 2 ? want[p] : -1);
			int ok = t != NULL;
			if (ok && split >= 0)
				for (int d = 0; d < 3; d++)
					if (perms[p][d] == split)
						ws = d;
			ok = ok && t->split == ws;
			/* values: t[i0,i1,i2] = a[idx] with idx[perm[d]] = i_d */
			const double *v = t->data;
			for (int64_t l = 0; ok && l < ha_lnumel(t); l++) {
				int64_t rem = l, ti[3], ai[3];
				for (int d = 2; d >= 0; d--) {
					ti[d] = rem % t->lshape[d];
					rem /= t->lshape[d];
				}
				if (t->split >= 0)
					ti[t->split] += t->loffset;
				for (int d = 0; d < 3; d++)
					ai[perms[p][d]] = ti[d];
				ok = v[l] == (double)((ai[0] * 3 + ai[1]) * 4 + ai[2]);
			}
			ha_release(t);
			ck_assert(rt_all(ok));
		}
		ha_release(a);
	}
	/* matrices go through the tiled path: (37, 41) split s -> split 1 - s */
	int64_t s2[2] = { 37, 41 };
	for (int split = -1; split < 2; split++) {
		ha_array *a = iota(2, s2, split), *t = ha_transpose(a, NULL);
		int ok = t && t->split == (split < 0 ? -1 : 1 - split);
		const double *v = t->data;
		for (int64_t l = 0; ok && l < ha_lnumel(t); l++) {
			int64_t g = rt_global_flat(t, l), i = g / 37, j = g % 37;
			ok = v[l] == (double)(j * 41 + i);
		}
		ha_release(a);
		ha_release(t);
		ck_assert(rt_all(ok));
	}
}
END_TEST

START_TEST(squeeze_expand)
{
	int64_t s[4] = { 1, 5, 1, 3 };
	for (int split = -1; split < 4; split++) {
		ha_array *a = iota(4, s, split);
		ha_array *q = ha_squeeze(a, 0, NULL);
		int ws = split == 1 ? 0 : split == 3 ? 1 : -1;
		ck_assert(rt_all(q && q->ndim == 2 && holds_iota(q, ws)));
		int ax = 2;
		ha_array *q2 = ha_squeeze(a, 1, &ax);
		int ws2 = split == 3 ? 2 : split == 2 ? -1 : split;
		ck_assert(rt_all(q2 && q2->ndim == 3 && holds_iota(q2, ws2)));
		ha_array *e = ha_expand_dims(q, 0);
		ck_assert(rt_all(e && e->ndim == 3 && holds_iota(e, ws < 0 ? -1 : ws + 1)));
		ha_array *e2 = ha_expand_dims(q, -1);
		ck_assert(rt_all(e2 && e2->gshape[2] == 1 && holds_iota(e2, ws)));
		ax = 1;
		ha_error_clear();
		ck_assert_ptr_null(ha_squeeze(a, 1, &ax));
		ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
		ha_error_clear();
		ha_release(a);
		ha_release(q);
		ha_release(q2);
		ha_release(e);
		ha_release(e2);
	}
}
END_TEST

START_TEST(random_invariant)
{
	int64_t shape[2] = { 37, 11 };
	ha_dtype types[2] = { HA_FLOAT32, HA_FLOAT64 };
	for (int t = 0; t < 2; t++)
		for (int kind = 0; kind < 3; kind++)
			for (int split = 0; split < 2; split++) {
				ha_array *r[2];
				for (int rep = 0; rep < 2; rep++) {
					ck_assert_int_eq(ha_random_seed(42), 0);
					int sp = rep == 0 ? -1 : split;
					r[rep] = kind == 0 ? ha_rand(types[t], 2, shape, sp, CPU, NULL) :
					         kind == 1 ? ha_randn(types[t], 2, shape, sp, CPU, NULL) :
					         ha_randint(-5, 17, HA_INT32, 2, shape, sp, CPU, NULL);
				}
				/* the replicated array is computed whole on every rank, so it
				** is the single-rank result; the split one must match it */
				ha_array *g = ha_resplit(r[1], HA_SPLIT_NONE);
				size_t nb = (size_t)ha_lnbytes(g);
				int ok = memcmp(g->data, r[0]->data, nb) == 0;
				ha_release(g);
				ha_release(r[0]);
				ha_release(r[1]);
				ck_assert(rt_all(ok));
			}
	/* successive calls differ; the same seed repeats */
	ha_random_seed(7);
	ha_array *a = ha_rand(HA_FLOAT64, 1, shape, 0, CPU, NULL);
	ha_array *b = ha_rand(HA_FLOAT64, 1, shape, 0, CPU, NULL);
	ha_random_seed(7);
	ha_array *c = ha_rand(HA_FLOAT64, 1, shape, 0, CPU, NULL);
	int ok = memcmp(a->data, c->data, (size_t)ha_lnbytes(a)) == 0 &&
	         (ha_lnumel(a) == 0 || memcmp(a->data, b->data, (size_t)ha_lnbytes(a)) != 0);
	ck_assert(rt_all(ok));
	ha_release(a);
	ha_release(b);
	ha_release(c);
}
END_TEST

START_TEST(random_moments)
{
	int64_t n = 200000;
	double s[4] = { 0 }, g[4];
	ha_random_seed(1234);
	ha_array *u = ha_rand(HA_FLOAT64, 1, &n, 0, CPU, NULL);
	ha_array *z = ha_randn(HA_FLOAT32, 1, &n, 0, CPU, NULL);
	ha_array *k = ha_randint(0, 10, HA_INT64, 1, &n, 0, CPU, NULL);
	int ok = 1;
	for (int64_t i = 0; i < u->lshape[0]; i++) {
		double x = ((double *)u->data)[i], y = ((float *)z->data)[i];
		int64_t m = ((int64_t *)k->data)[i];
		ok = ok && x >= 0 && x < 1 && m >= 0 && m < 10;
		s[0] += x;
		s[1] += y;
		s[2] += y * y;
		s[3] += (double)m;
	}
	MPI_Allreduce(s, g, 4, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
	ok = ok && fabs(g[0] / n - 0.5) < 0.01 && fabs(g[1] / n) < 0.01 &&
	     fabs(g[2] / n - 1) < 0.02 && fabs(g[3] / n - 4.5) < 0.05;
	ck_assert(rt_all(ok));
	ha_release(u);
	ha_release(z);
	ha_release(k);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_move");
	TCase *t = tcase_create("move");
	tcase_add_test(t, resplit_all_pairs);
	tcase_add_test(t, redistribute_and_balance);
	tcase_add_test(t, reshape_cases);
	tcase_add_test(t, transpose_rules);
	tcase_add_test(t, squeeze_expand);
	tcase_add_test(t, random_invariant);
	tcase_add_test(t, random_moments);
	suite_add_tcase(s, t);
	return s;
}

RT_MAIN(suite)
