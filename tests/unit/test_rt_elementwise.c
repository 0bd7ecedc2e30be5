/* test_rt_elementwise.c — elementwise ops: every dtype class, weak scalar
** typing, division by zero, broadcasting (0-length, empty chunks), split
** alignment (different split axes, replicated vs split, unbalanced
** dominant), unary math and result types, in-place rules, where / clip /
** isclose / nan_to_num, device mismatch.  Expected values are computed
** here from the global index, never taken from the code under test. */
#include <float.h>
#include "ops_check.h"

static double f_small(int64_t g, const int64_t *i) { (void)i; return (double)(g % 7) - 3; }
static double f_pos(int64_t g, const int64_t *i) { (void)i; return (double)(g % 5) + 1; }
static double f_bit(int64_t g, const int64_t *i) { (void)i; return (double)(g % 2); }
static double f_u(int64_t g, const int64_t *i) { (void)i; return (double)(g % 7); }
static double f_rc(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 10 + i[1]); }
static double f_col(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 100); }
static double f_3d(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 100 + i[1] * 10 + i[2]); }

static const ha_dtype ALL_DT[] = { HA_BOOL, HA_UINT8, HA_INT8, HA_INT16, HA_INT32, HA_INT64,
                                   HA_FLOAT32, HA_FLOAT64, HA_COMPLEX64, HA_COMPLEX128 };

START_TEST(add_mul_every_dtype)
{
	int64_t lens[2] = { 10, 3 };     /* 3 over 4 ranks leaves one empty */
	for (int li = 0; li < 2; li++)
		for (int k = 0; k < 10; k++) {
			ha_dtype dt = ALL_DT[k];
			oc_fn fa = dt == HA_BOOL ? f_bit : dt == HA_UINT8 ? f_u : f_small;
			ha_array *a = oc_make(dt, 1, &lens[li], 0, fa);
			ha_array *b = oc_make(dt, 1, &lens[li], 0, dt == HA_BOOL ? f_bit : f_pos);
			ha_array *c = ha_binary(HA_ADD, a, b), *m = ha_binary(HA_MUL, a, b);
			int ok = c && m && c->dtype == dt && m->dtype == dt && c->split == 0 && rt_balanced(c);
			for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
				double complex x = oc_getc(a, l), y = oc_getc(b, l);
				double complex want_s = dt == HA_BOOL ? (double)(creal(x) || creal(y)) : x + y;
				double complex want_m = dt == HA_BOOL ? (double)(creal(x) && creal(y)) : x * y;
				ok = cabs(oc_getc(c, l) - want_s) < 1e-5 && cabs(oc_getc(m, l) - want_m) < 1e-5;
			}
			if (!rt_all(ok))
				ck_abort_msg("add/mul wrong for %s, length %lld", ha_dtype_name(dt), (long long)lens[li]);
			ha_release(a);
			ha_release(b);
			ha_release(c);
			ha_release(m);
		}
}
END_TEST

START_TEST(float_binary_ops)
{
	int64_t n = 13;
	ha_array *a = oc_make(HA_FLOAT64, 1, &n, 0, f_small), *b = oc_make(HA_FLOAT64, 1, &n, -1, f_pos);
	int ops[] = { HA_SUB, HA_TRUEDIV, HA_FLOORDIV, HA_MOD, HA_FMOD, HA_POW, HA_MAXIMUM,
	              HA_MINIMUM, HA_ARCTAN2, HA_HYPOT, HA_COPYSIGN, HA_LOGADDEXP, HA_LT, HA_GE, HA_NE };
	for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
		ha_array *c = ha_binary(ops[k], a, b);
		int ok = c && c->split == 0;
		for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
			int64_t idx[HA_MAXDIM] = { 0 };
			int64_t g = rt_global_idx(a, l, idx);
			double x = f_small(g, idx), y = f_pos(g, idx), w;
			switch (ops[k]) {
			case HA_SUB: w = x - y; break;
			case HA_TRUEDIV: w = x / y; break;
			case HA_FLOORDIV: w = floor(x / y); break;
			case HA_MOD: w = x - floor(x / y) * y; break;
			case HA_FMOD: w = fmod(x, y); break;
			case HA_POW: w = pow(x, y); break;
			case HA_MAXIMUM: w = x > y ? x : y; break;
			case HA_MINIMUM: w = x < y ? x : y; break;
			case HA_ARCTAN2: w = atan2(x, y); break;
			case HA_HYPOT: w = hypot(x, y); break;
			case HA_COPYSIGN: w = copysign(x, y); break;
			case HA_LOGADDEXP: w = log(exp(x) + exp(y)); break;
			case HA_LT: w = x < y; break;
			case HA_GE: w = x >= y; break;
			default: w = x != y; break;
			}
			ok = oc_close(oc_get(c, l), w, 1e-12);
			if (ops[k] >= HA_EQ && ops[k] <= HA_GE)
				ok = ok && c->dtype == HA_BOOL;
		}
		if (!rt_all(ok))
			ck_abort_msg("float op %s wrong", ha_binop_name(ops[k]));
		ha_release(c);
	}
	ha_release(a);
	ha_release(b);
}
END_TEST

static double f_num(int64_t g, const int64_t *i) { (void)i; return (double)g - 10; }
static double f_den(int64_t g, const int64_t *i) { (void)i; return (double)(g % 5) - 2; }

START_TEST(integer_division_by_zero)
{
	int64_t n = 20;
	ha_array *a = oc_make(HA_INT32, 1, &n, 0, f_num), *b = oc_make(HA_INT32, 1, &n, 0, f_den);
	ha_array *fd = ha_binary(HA_FLOORDIV, a, b), *md = ha_binary(HA_MOD, a, b);
	ha_array *fm = ha_binary(HA_FMOD, a, b), *td = ha_binary(HA_TRUEDIV, a, b);
	int ok = fd && md && fm && td && fd->dtype == HA_INT32 && md->dtype == HA_INT32 &&
	         td->dtype == HA_FLOAT32;
	for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(a, l, idx);
		double x = f_num(g, idx), y = f_den(g, idx);
		double wfd = y == 0 ? 0 : floor(x / y), wmd = y == 0 ? 0 : x - floor(x / y) * y;
		double wfm = y == 0 ? 0 : fmod(x, y), wtd = x / y;
		ok = oc_get(fd, l) == wfd && oc_get(md, l) == wmd && oc_get(fm, l) == wfm &&
		     oc_close(oc_get(td, l), wtd, 1e-6);
	}
	OC_OK(ok);
	/* INT_MIN // -1 wraps instead of trapping */
	int64_t one = 1;
	ha_array *m = ha_full(HA_INT32, 1, &one, ha_scalar_int(INT32_MIN), -1, CPU, NULL);
	ha_array *q = ha_binary_scalar(HA_FLOORDIV, m, ha_scalar_int(-1), 0);
	ha_array *r = ha_binary_scalar(HA_MOD, m, ha_scalar_int(-1), 0);
	OC_OK(q && r && oc_geti(q, 0) == INT32_MIN && oc_geti(r, 0) == 0);
	/* int64 / int64 is float32 like Heat */
	ha_array *a64 = ha_astype(a, HA_INT64);
	ha_array *t64 = ha_binary(HA_TRUEDIV, a64, a64);
	OC_OK(t64 && t64->dtype == HA_FLOAT32);
	ha_release(a64);
	ha_release(t64);
	ha_release(m);
	ha_release(q);
	ha_release(r);
	ha_release(a);
	ha_release(b);
	ha_release(fd);
	ha_release(md);
	ha_release(fm);
	ha_release(td);
}
END_TEST

START_TEST(weak_scalar_typing)
{
	int64_t n = 10;
	ha_array *a = ha_arange(0, 10, 1, HA_INT32, 0, CPU, NULL);
	ha_array *p3 = ha_binary_scalar(HA_ADD, a, ha_scalar_int(3), 0);
	ha_array *pf = ha_binary_scalar(HA_ADD, a, ha_scalar_float(1.5), 0);
	ha_array *lm = ha_binary_scalar(HA_SUB, a, ha_scalar_int(3), 1);       /* 3 - a */
	ha_array *pj = ha_binary_scalar(HA_ADD, pf, ha_scalar_complex(0, 1), 0);
	int ok = p3 && pf && lm && pj && p3->dtype == HA_INT32 && pf->dtype == HA_FLOAT32 &&
	         lm->dtype == HA_INT32 && pj->dtype == HA_COMPLEX64;
	for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(a, l, idx);
		ok = oc_geti(p3, l) == g + 3 && oc_get(pf, l) == g + 1.5 && oc_geti(lm, l) == 3 - g &&
		     cabs(oc_getc(pj, l) - CMPLX(g + 1.5, 1)) < 1e-6;
	}
	OC_OK(ok);
	/* int8 + 1000 stays int8 and wraps */
	ha_array *i8 = oc_make(HA_INT8, 1, &n, 0, f_small);
	ha_array *w = ha_binary_scalar(HA_ADD, i8, ha_scalar_int(1000), 0);
	ok = w && w->dtype == HA_INT8;
	for (int64_t l = 0; ok && l < ha_lnumel(i8); l++)
		ok = oc_geti(w, l) == (int8_t)(uint8_t)(oc_geti(i8, l) + 1000);
	OC_OK(ok);
	/* bool + 1 -> int32; float32 array + 0-d float64 stays float32 */
	ha_array *bo = oc_make(HA_BOOL, 1, &n, 0, f_bit);
	ha_array *bi = ha_binary_scalar(HA_ADD, bo, ha_scalar_int(1), 0);
	OC_OK(bi && bi->dtype == HA_INT32);
	ha_array *z = ha_full(HA_FLOAT64, 0, NULL, ha_scalar_float(2), -1, CPU, NULL);
	ha_array *fz = ha_binary(HA_MUL, pf, z);
	OC_OK(fz && fz->dtype == HA_FLOAT32 && fz->split == 0);
	ha_release(a);
	ha_release(p3);
	ha_release(pf);
	ha_release(lm);
	ha_release(pj);
	ha_release(i8);
	ha_release(w);
	ha_release(bo);
	ha_release(bi);
	ha_release(z);
	ha_release(fz);
}
END_TEST

/* c(global idx) == want(idx) on every local element */
static int holds(const ha_array *c, double (*want)(const int64_t *idx))
{
	int64_t idx[HA_MAXDIM] = { 0 };
	int ok = c != NULL;
	for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
		rt_global_idx(c, l, idx);
		ok = oc_close(oc_get(c, l), want(idx), 1e-6);
	}
	return ok;
}

static double w_rc_col(const int64_t *i) { return (double)(i[0] * 10 + i[1]) + (double)(i[1] * 100); }
static double w_outer(const int64_t *i) { return (double)(i[0] * 100) + (double)(i[1] * 10); }
static double f_row(int64_t g, const int64_t *i) { (void)g; return (double)(i[1] * 10); }
static double w_3d(const int64_t *i) { return (double)(i[0] * 100 + i[2]) + (double)(i[1] * 10); }
static double f_3d_a(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 100 + i[2]); }
static double f_3d_b(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 10); }
static double f_colv(int64_t g, const int64_t *i) { (void)g; return (double)(i[0] * 100); }

START_TEST(broadcasting)
{
	/* (3,4) split 0 + (4,) replicated */
	int64_t s34[2] = { 3, 4 }, s4 = 4, s31[2] = { 3, 1 }, s14[2] = { 1, 4 };
	ha_array *a = oc_make(HA_FLOAT32, 2, s34, 0, f_rc);
	ha_array *v = oc_make(HA_FLOAT32, 1, &s4, -1, f_colv);
	ha_array *c = ha_binary(HA_ADD, a, v);
	OC_OK(c && c->split == 0 && rt_balanced(c) && holds(c, w_rc_col));
	ha_release(c);
	/* (3,1) split 0 + (1,4) replicated -> (3,4) split 0 */
	ha_array *col = oc_make(HA_FLOAT64, 2, s31, 0, f_col);
	ha_array *row = oc_make(HA_FLOAT64, 2, s14, -1, f_row);
	int64_t rc[2] = { 0, 0 };
	(void)rc;
	c = ha_binary(HA_ADD, row, col);
	/* row is replicated; col is split and not broadcast along axis 0 */
	OC_OK(c && c->split == 0 && oc_shape_is(c, 2, s34) && rt_balanced(c));
	{
		int64_t idx[HA_MAXDIM] = { 0 };
		int ok = 1;
		for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
			rt_global_idx(c, l, idx);
			ok = oc_get(c, l) == (double)(idx[0] * 100 + idx[1] * 10);
		}
		OC_OK(ok);
	}
	ha_release(c);
	/* split operand broadcast along its split axis: (1,4) split 0 + (3,4) */
	ha_array *r0 = oc_make(HA_FLOAT64, 2, s14, 0, f_row);
	ha_array *full = oc_make(HA_FLOAT64, 2, s34, -1, f_col);
	c = ha_binary(HA_ADD, r0, full);
	OC_OK(c && c->split == 0 && oc_shape_is(c, 2, s34) && rt_balanced(c) && holds(c, w_outer));
	ha_release(c);
	ha_release(r0);
	ha_release(full);
	/* 3-D: (2,1,4) split 2 + (3,1) replicated -> (2,3,4) split 2 */
	int64_t s214[3] = { 2, 1, 4 }, s31b[2] = { 3, 1 }, s234[3] = { 2, 3, 4 };
	ha_array *t3 = oc_make(HA_FLOAT64, 3, s214, 2, f_3d_a);
	ha_array *t2 = oc_make(HA_FLOAT64, 2, s31b, -1, f_3d_b);
	c = ha_binary(HA_ADD, t3, t2);
	OC_OK(c && c->split == 2 && oc_shape_is(c, 3, s234) && holds(c, w_3d));
	ha_release(c);
	/* 0-length */
	int64_t s04[2] = { 0, 4 };
	ha_array *e = ha_zeros(HA_FLOAT32, 2, s04, 0, CPU, NULL);
	c = ha_binary(HA_ADD, e, v);
	OC_OK(c && oc_shape_is(c, 2, s04) && c->split == 0);
	ha_release(c);
	ha_release(e);
	/* mismatch: a replicated decision, identical message on every rank */
	int64_t s5 = 5;
	ha_array *f5 = ha_zeros(HA_FLOAT32, 1, &s5, -1, CPU, NULL);
	c = ha_binary(HA_ADD, a, f5);
	OC_OK(!c && ha_error_kind() == HA_EVALUE &&
	      strcmp(ha_error_msg(), "operands could not be broadcast together with shapes (3, 4) (5,)") == 0);
	ha_error_clear();
	ha_release(f5);
	ha_release(a);
	ha_release(v);
	ha_release(col);
	ha_release(row);
	ha_release(t3);
	ha_release(t2);
}
END_TEST

static double w_sum3d(const int64_t *i) { return 2.0 * (double)(i[0] * 100 + i[1] * 10 + i[2]); }

START_TEST(split_alignment)
{
	/* different split axes: result takes the first operand's split */
	int64_t s2[2] = { 6, 5 }, s3[3] = { 4, 3, 5 }, s3r[2] = { 3, 5 };
	for (int order = 0; order < 2; order++) {
		ha_array *a = oc_make(HA_FLOAT64, 2, s2, order ? 1 : 0, f_rc);
		ha_array *b = oc_make(HA_FLOAT64, 2, s2, order ? 0 : 1, f_rc);
		ha_array *c = ha_binary(HA_ADD, a, b);
		int ok = c && c->split == (order ? 1 : 0) && rt_balanced(c);
		int64_t idx[HA_MAXDIM] = { 0 };
		for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
			rt_global_idx(c, l, idx);
			ok = oc_get(c, l) == 2.0 * (double)(idx[0] * 10 + idx[1]);
		}
		OC_OK(ok);
		ha_release(a);
		ha_release(b);
		ha_release(c);
	}
	for (int sa = 0; sa < 3; sa++)
		for (int sb = -1; sb < 3; sb++) {
			ha_array *a = oc_make(HA_FLOAT64, 3, s3, sa, f_3d);
			ha_array *b = oc_make(HA_FLOAT64, 3, s3, sb, f_3d);
			ha_array *c = ha_binary(HA_ADD, b, a);
			int want = sb >= 0 ? sb : sa;
			OC_OK(c && c->split == want && holds(c, w_sum3d));
			ha_release(a);
			ha_release(b);
			ha_release(c);
		}
	/* (4,3) replicated + (3,) split 0 -> split 1 (Heat) */
	int64_t s43[2] = { 4, 3 }, s3v = 3;
	ha_array *m = oc_make(HA_FLOAT64, 2, s43, -1, f_rc);
	ha_array *v = oc_make(HA_FLOAT64, 1, &s3v, 0, f_small);
	ha_array *c = ha_binary(HA_ADD, m, v);
	{
		int ok = c && c->split == 1;
		int64_t idx[HA_MAXDIM] = { 0 };
		for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
			rt_global_idx(c, l, idx);
			ok = oc_get(c, l) == (double)(idx[0] * 10 + idx[1]) + (double)(idx[1] % 7 - 3);
		}
		OC_OK(ok);
	}
	ha_release(c);
	/* an unbalanced dominant keeps its chunk map; the other operand follows */
	int p = rt_size();
	int64_t *lmap = calloc((size_t)p, sizeof *lmap);
	lmap[p - 1] = 6;
	ha_array *a = oc_make(HA_FLOAT64, 2, s2, 0, f_rc);
	ha_array *u = ha_redistribute(a, lmap);
	c = ha_binary(HA_MUL, u, a);
	{
		int ok = c && c->split == 0 && c->lmap[p - 1] == 6 && c->lshape[0] == lmap[rt_rank()];
		int64_t idx[HA_MAXDIM] = { 0 };
		for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
			rt_global_idx(c, l, idx);
			double x = (double)(idx[0] * 10 + idx[1]);
			ok = oc_get(c, l) == x * x;
		}
		OC_OK(ok);
	}
	/* replicated (3,5) against the (4,3,5) split 1 array: sliced locally */
	ha_array *r = oc_make(HA_FLOAT64, 2, s3r, -1, f_rc);
	ha_array *t = oc_make(HA_FLOAT64, 3, s3, 1, f_3d);
	ha_release(c);
	c = ha_binary(HA_SUB, t, r);
	{
		int ok = c && c->split == 1;
		int64_t idx[HA_MAXDIM] = { 0 };
		for (int64_t l = 0; ok && l < ha_lnumel(c); l++) {
			rt_global_idx(c, l, idx);
			ok = oc_get(c, l) == (double)(idx[0] * 100 + idx[1] * 10 + idx[2]) - (double)(idx[1] * 10 + idx[2]);
		}
		OC_OK(ok);
	}
	free(lmap);
	ha_release(r);
	ha_release(t);
	ha_release(a);
	ha_release(u);
	ha_release(c);
	ha_release(m);
	ha_release(v);
}
END_TEST

static double f_half(int64_t g, const int64_t *i) { (void)i; return (double)g * 0.5 - 2.0; }

START_TEST(unary_math)
{
	int64_t n = 9;
	ha_array *i32 = oc_make(HA_INT32, 1, &n, 0, f_u), *i64 = oc_make(HA_INT64, 1, &n, 0, f_u);
	ha_array *s32 = ha_unary(HA_SQRT, i32), *s64 = ha_unary(HA_SQRT, i64);
	ha_array *i8 = oc_make(HA_INT8, 1, &n, 0, f_small), *ab = ha_unary(HA_ABS, i8);
	ha_array *fl = ha_unary(HA_FLOOR, i32);
	OC_OK(s32 && s32->dtype == HA_FLOAT32 && s64 && s64->dtype == HA_FLOAT64 && ab &&
	      ab->dtype == HA_INT8 && fl && fl->dtype == HA_FLOAT32);
	int ok = 1;
	for (int64_t l = 0; ok && l < ha_lnumel(i32); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(i32, l, idx);
		ok = oc_close(oc_get(s32, l), sqrt((double)(g % 7)), 1e-6) &&
		     oc_get(s64, l) == sqrt((double)(g % 7)) && oc_get(ab, l) == fabs((double)(g % 7) - 3) &&
		     oc_get(fl, l) == (double)(g % 7);
	}
	OC_OK(ok);
	/* round half to even, trunc, sign, exp, sin on float64 */
	ha_array *h = oc_make(HA_FLOAT64, 1, &n, 0, f_half);
	ha_array *ro = ha_round(h, 0), *tr = ha_unary(HA_TRUNC, h), *sg = ha_unary(HA_SIGN, h);
	ha_array *ex = ha_unary(HA_EXP, h), *sn = ha_unary(HA_SIN, h), *nb = ha_unary(HA_SIGNBIT, h);
	ok = ro && tr && sg && ex && sn && nb && nb->dtype == HA_BOOL;
	for (int64_t l = 0; ok && l < ha_lnumel(h); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(h, l, idx);
		double x = f_half(g, idx);
		ok = oc_get(ro, l) == nearbyint(x) && oc_get(tr, l) == trunc(x) &&
		     oc_get(sg, l) == (double)((x > 0) - (x < 0)) && oc_get(ex, l) == exp(x) &&
		     oc_get(sn, l) == sin(x) && oc_get(nb, l) == (double)(signbit(x) != 0);
	}
	OC_OK(ok);
	/* complex: abs -> real dtype, conj, angle, exp */
	ha_array *z = oc_make(HA_COMPLEX64, 1, &n, 0, f_small);
	ha_array *za = ha_unary(HA_ABS, z), *zc = ha_unary(HA_CONJ, z), *zg = ha_unary(HA_ANGLE, z);
	ha_array *zi = ha_unary(HA_IMAG, z), *ze = ha_unary(HA_EXP, z);
	ok = za && za->dtype == HA_FLOAT32 && zc && zc->dtype == HA_COMPLEX64 && zg &&
	     zg->dtype == HA_FLOAT32 && zi && zi->dtype == HA_FLOAT32 && ze;
	for (int64_t l = 0; ok && l < ha_lnumel(z); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(z, l, idx);
		double complex w = CMPLX(f_small(g, idx), f_small(g, idx) / 2);
		ok = oc_close(oc_get(za, l), cabs(w), 1e-6) && cabs(oc_getc(zc, l) - conj(w)) < 1e-6 &&
		     oc_close(oc_get(zg, l), carg(w), 1e-6) && oc_get(zi, l) == cimag(w) &&
		     cabs(oc_getc(ze, l) - cexp(w)) < 1e-5 * (1 + cabs(cexp(w)));
	}
	OC_OK(ok);
	/* type errors, decided from the dtype on every rank */
	ha_array *bad = ha_unary(HA_INVERT, h);
	OC_OK(!bad && ha_error_kind() == HA_ETYPE);
	ha_error_clear();
	ha_array *bo = oc_make(HA_BOOL, 1, &n, 0, f_bit);
	bad = ha_unary(HA_NEGATIVE, bo);
	OC_OK(!bad && ha_error_kind() == HA_ETYPE);
	ha_error_clear();
	bad = ha_binary(HA_BITWISE_AND, h, h);
	OC_OK(!bad && ha_error_kind() == HA_ETYPE);
	ha_error_clear();
	ha_array *inv = ha_unary(HA_INVERT, bo), *bx = ha_binary(HA_BITWISE_XOR, i32, i32);
	ok = inv && inv->dtype == HA_BOOL && bx && bx->dtype == HA_INT32;
	for (int64_t l = 0; ok && l < ha_lnumel(bo); l++)
		ok = oc_geti(inv, l) == !oc_geti(bo, l) && oc_geti(bx, l) == 0;
	OC_OK(ok);
	ha_array *objs[] = { i8, i32, i64, s32, s64, ab, fl, h, ro, tr, sg, ex, sn, nb, z, za, zc, zg, zi, ze, bo, inv, bx };
	for (size_t k = 0; k < sizeof objs / sizeof *objs; k++)
		ha_release(objs[k]);
}
END_TEST

START_TEST(inplace_rules)
{
	int64_t s34[2] = { 3, 4 }, s4 = 4;
	ha_array *a = ha_arange(0, 12, 1, HA_INT32, 0, CPU, NULL);
	OC_OK(ha_binary_scalar_inplace(HA_ADD, a, ha_scalar_float(1.5)) < 0 && ha_error_kind() == HA_ETYPE);
	ha_error_clear();
	OC_OK(ha_binary_scalar_inplace(HA_ADD, a, ha_scalar_int(5)) == 0);
	int ok = a->dtype == HA_INT32;
	for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
		int64_t idx[HA_MAXDIM] = { 0 };
		ok = oc_geti(a, l) == rt_global_idx(a, l, idx) + 5;
	}
	OC_OK(ok);
	/* float32 (3,4) split 1 += (4,) int32 split 0 */
	ha_array *f = oc_make(HA_FLOAT32, 2, s34, 1, f_rc);
	ha_array *v = oc_make(HA_INT32, 1, &s4, 0, f_small);
	OC_OK(ha_binary_inplace(HA_ADD, f, v) == 0 && f->dtype == HA_FLOAT32 && f->split == 1);
	ok = 1;
	for (int64_t l = 0; ok && l < ha_lnumel(f); l++) {
		int64_t idx[HA_MAXDIM] = { 0 };
		rt_global_idx(f, l, idx);
		ok = oc_get(f, l) == (double)(idx[0] * 10 + idx[1]) + (double)(idx[1] % 7 - 3);
	}
	OC_OK(ok);
	/* the output cannot grow: (4,) += (3,4) */
	OC_OK(ha_binary_inplace(HA_ADD, v, f) < 0 && ha_error_kind() == HA_EVALUE);
	ha_error_clear();
	/* replicated += split */
	ha_array *r = oc_make(HA_FLOAT64, 2, s34, -1, f_rc), *sp = oc_make(HA_FLOAT64, 2, s34, 0, f_rc);
	OC_OK(ha_binary_inplace(HA_MUL, r, sp) == 0 && r->split == -1);
	ok = 1;
	for (int64_t l = 0; ok && l < ha_lnumel(r); l++) {
		int64_t idx[HA_MAXDIM] = { 0 };
		rt_global_idx(r, l, idx);
		double x = (double)(idx[0] * 10 + idx[1]);
		ok = oc_get(r, l) == x * x;
	}
	OC_OK(ok);
	ha_array *sq = oc_make(HA_FLOAT64, 2, s34, 0, f_rc);
	OC_OK(ha_unary_inplace(HA_SQRT, sq) == 0);
	ha_array *i = ha_arange(0, 4, 1, HA_INT32, -1, CPU, NULL);
	OC_OK(ha_unary_inplace(HA_SQRT, i) < 0 && ha_error_kind() == HA_ETYPE);
	ha_error_clear();
	ha_release(i);
	ha_release(sq);
	ha_release(a);
	ha_release(f);
	ha_release(v);
	ha_release(r);
	ha_release(sp);
}
END_TEST

static double f_nanish(int64_t g, const int64_t *i)
{
	(void)i;
	return g % 4 == 0 ? NAN : g % 4 == 1 ? INFINITY : g % 4 == 2 ? -INFINITY : (double)g;
}

START_TEST(where_clip_isclose)
{
	int64_t n = 11, s34[2] = { 3, 4 };
	ha_array *a = oc_make(HA_FLOAT64, 1, &n, 0, f_small), *b = oc_make(HA_INT32, 1, &n, -1, f_pos);
	ha_array *cond = ha_binary_scalar(HA_GT, a, ha_scalar_int(0), 0);
	ha_array *w = ha_where(cond, a, b);
	ha_array *cl = ha_clip_scalar(a, &(ha_scalar){ HA_SCALAR_INT, -1, 0, 0 }, &(ha_scalar){ HA_SCALAR_FLOAT, 0, 1.5, 0 });
	ha_array *lo = ha_clip_scalar(a, NULL, &(ha_scalar){ HA_SCALAR_INT, 0, 0, 0 });
	int ok = w && w->dtype == HA_FLOAT64 && w->split == 0 && cl && lo;
	for (int64_t l = 0; ok && l < ha_lnumel(a); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(a, l, idx);
		double x = f_small(g, idx), y = f_pos(g, idx);
		ok = oc_get(w, l) == (x > 0 ? x : y) && oc_get(cl, l) == (x < -1 ? -1 : x > 1.5 ? 1.5 : x) &&
		     oc_get(lo, l) == (x > 0 ? 0 : x);
	}
	OC_OK(ok);
	/* isclose / allclose */
	ha_array *a2 = ha_binary_scalar(HA_ADD, a, ha_scalar_float(1e-9), 0);
	ha_array *ic = ha_isclose(a, a2, 1e-5, 1e-8, 0);
	int all = -1;
	OC_OK(ic && ic->dtype == HA_BOOL && ha_allclose(a, a2, 1e-5, 1e-8, 0, &all) == 0 && all == 1);
	ha_array *a3 = ha_binary_scalar(HA_ADD, a, ha_scalar_float(1e-3), 0);
	OC_OK(ha_allclose(a, a3, 1e-5, 1e-8, 0, &all) == 0 && all == 0);
	/* NaN handling */
	ha_array *nn = oc_make(HA_FLOAT32, 1, &n, 0, f_nanish);
	ha_array *i1 = ha_isclose(nn, nn, 1e-5, 1e-8, 0), *i2 = ha_isclose(nn, nn, 1e-5, 1e-8, 1);
	ha_array *nt = ha_nan_to_num(nn, 0.0, NULL, NULL);
	double big = 7;
	ha_array *nt2 = ha_nan_to_num(nn, -1.0, &big, NULL);
	ok = i1 && i2 && nt && nt2;
	for (int64_t l = 0; ok && l < ha_lnumel(nn); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(nn, l, idx);
		double x = f_nanish(g, idx);
		ok = oc_geti(i1, l) == !isnan(x) && oc_geti(i2, l) == 1 &&
		     oc_get(nt, l) == (isnan(x) ? 0 : isinf(x) ? (x > 0 ? FLT_MAX : -FLT_MAX) : x) &&
		     oc_get(nt2, l) == (isnan(x) ? -1 : x == INFINITY ? 7 : isinf(x) ? -FLT_MAX : x);
	}
	OC_OK(ok);
	/* maximum propagates NaN, fmax ignores it */
	ha_array *z = ha_zeros(HA_FLOAT32, 1, &n, 0, CPU, NULL);
	ha_array *mx = ha_binary(HA_MAXIMUM, nn, z), *fm = ha_binary(HA_FMAX, nn, z);
	ok = mx && fm;
	for (int64_t l = 0; ok && l < ha_lnumel(nn); l++) {
		int64_t idx[HA_MAXDIM] = { 0 }, g = rt_global_idx(nn, l, idx);
		double x = f_nanish(g, idx);
		ok = (isnan(x) ? isnan(oc_get(mx, l)) : oc_get(mx, l) == (x > 0 ? x : 0)) &&
		     oc_get(fm, l) == (isnan(x) ? 0 : x > 0 ? x : 0);
	}
	OC_OK(ok);
	/* where with split condition and replicated branches of another shape */
	ha_array *c2 = ha_zeros(HA_BOOL, 2, s34, 1, CPU, NULL);
	ha_array *w2 = ha_where(c2, a, b);
	OC_OK(!w2 && ha_error_kind() == HA_EVALUE);
	ha_error_clear();
	ha_array *objs[] = { a, b, cond, w, cl, lo, a2, ic, a3, nn, i1, i2, nt, nt2, z, mx, fm, c2 };
	for (size_t k = 0; k < sizeof objs / sizeof *objs; k++)
		ha_release(objs[k]);
}
END_TEST

START_TEST(communication_volume)
{
	int64_t s[2] = { 6, 5 };
	ha_array *r = oc_make(HA_FLOAT64, 2, s, -1, f_rc), *a = oc_make(HA_FLOAT64, 2, s, 0, f_rc);
	ha_array *b = oc_make(HA_FLOAT64, 2, s, 1, f_rc);
	ha_comm_stats_reset();
	ha_array *c = ha_binary(HA_ADD, a, r);            /* replicated operand: sliced, free */
	OC_OK(c && rt_calls(NULL) == 0);
	ha_release(c);
	ha_comm_stats_reset();
	c = ha_binary(HA_ADD, a, b);                      /* split 0 + split 1: one Alltoallv */
	OC_OK(c && rt_calls(NULL) == (rt_size() > 1 ? 1 : 0));
	ha_release(c);
	ha_comm_stats_reset();
	int ax = 0;
	c = ha_reduce(HA_RSUM, a, 1, &ax, 0);             /* across the split: one Allreduce */
	OC_OK(c && rt_calls(NULL) == (rt_size() > 1 ? 1 : 0) &&
	      rt_calls("Allreduce") == (rt_size() > 1 ? 1 : 0));
	ha_release(c);
	ha_comm_stats_reset();
	c = ha_var(b, 1, &ax, 0, 0);                      /* along a non-split axis: local */
	OC_OK(c && rt_calls(NULL) == 0 && c->split == 0);
	ha_release(c);
	ha_release(r);
	ha_release(a);
	ha_release(b);
}
END_TEST

START_TEST(device_mismatch)
{
	int64_t n = 4;
	ha_array *a = ha_zeros(HA_FLOAT32, 1, &n, -1, CPU, NULL);
	ha_array g = *a;
	g.device.kind = HA_GPU;
	g.refs = 1;
	ha_array *c = ha_binary(HA_ADD, a, &g);
	OC_OK(!c && ha_error_kind() == HA_ERUNTIME &&
	      strcmp(ha_error_msg(), "Expected all tensors to be on the same device, but found at least "
	                             "two devices, cpu:0 and gpu:0!") == 0);
	ha_error_clear();
	ha_release(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_elementwise");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, add_mul_every_dtype);
	tcase_add_test(tc, float_binary_ops);
	tcase_add_test(tc, integer_division_by_zero);
	tcase_add_test(tc, weak_scalar_typing);
	tcase_add_test(tc, broadcasting);
	tcase_add_test(tc, split_alignment);
	tcase_add_test(tc, unary_math);
	tcase_add_test(tc, inplace_rules);
	tcase_add_test(tc, where_clip_isclose);
	tcase_add_test(tc, communication_volume);
	tcase_add_test(tc, device_mismatch);
	suite_add_tcase(s, tc);
	return s;
}

RT_MAIN(suite)
