/*
** math_test.cu — the GPU backend's elementwise functors, run on the HOST,
** against the CPU table (hk_cpu_table) on the same inputs.
**
** Needs no GPU: the functors of kernels/gpu/elementwise_gpu.cu are
** __host__ __device__, so this checks that the text the kernels evaluate
** (ops_list.h + hk_math.h compiled as CUDA C++) gives the CPU's results
** for every (op, dtype) both tables have.  Integer and bool results must
** match bit for bit; floats within a few ulp (the CPU float32 loops call
** glibc's SIMD functions, up to 4 ulp).  Built and run by
** tests/gpu/build_test.sh; prints one line and exits 1 on any mismatch.
*/
extern "C" {
#include "hk.h"
}
#include "../../kernels/gpu/elementwise_gpu.cu"
#include <stdlib.h>

template <class OP>
static void host_bin(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	OP op;
	typedef typename OP::HK_T T;
	typedef typename OP::HK_O O;
	for (int64_t i = 0; i < n; i++)
		((O *)p[0])[i * s[0]] = op(((const T *)p[1])[i * s[1]], ((const T *)p[2])[i * s[2]],
		                           prm ? prm[0] : 0, prm ? prm[1] : 0, prm ? prm[2] : 0);
}

template <class OP>
static void host_un(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	OP op;
	typedef typename OP::HK_T T;
	typedef typename OP::HK_O O;
	for (int64_t i = 0; i < n; i++)
		((O *)p[0])[i * s[0]] = op(((const T *)p[1])[i * s[1]],
		                           prm ? prm[0] : 0, prm ? prm[1] : 0, prm ? prm[2] : 0);
}

/* a table of host loops over the same functors, filled by the same macros */
static hk_table host_table(void)
{
	hk_table t;
	memset(&t, 0, sizeof t);
#undef HK_BINL
#undef HK_UNL
#define HK_BINL host_bin
#define HK_UNL host_un
	HK_BINARY_BOOL(FB_BOOL)
	HK_BINARY_INT(FB_U8) HK_BINARY_INT(FB_I8) HK_BINARY_INT(FB_I16)
	HK_BINARY_INT(FB_I32) HK_BINARY_INT(FB_I64)
	HK_BINARY_FLOAT(FB_F32) HK_BINARY_FLOAT(FB_F64)
	HK_UNARY_BOOL(FU_BOOL)
	HK_UNARY_INT(FU_U8) HK_UNARY_INT(FU_I8) HK_UNARY_INT(FU_I16)
	HK_UNARY_INT(FU_I32) HK_UNARY_INT(FU_I64)
	HK_UNARY_FLOAT(FU_F32) HK_UNARY_FLOAT(FU_F64)
	return t;
}

/* whether an op's output is bool, per class (the S/B kind of the lists) */
static bool bbool[HK_NBINARY][3], ubool[HK_NUNARY][3];    /* [op][bool, int, float] */
#define KB_(CL, ID, OK) bbool[HK_##ID][CL] = (#OK[0] == 'B');
#define KU_(CL, ID, OK) ubool[HK_##ID][CL] = (#OK[0] == 'B');
#define KB0(ID, OK, E) KB_(0, ID, OK)
#define KB1(ID, OK, E) KB_(1, ID, OK)
#define KB2(ID, OK, E) KB_(2, ID, OK)
#define KU0(ID, OK, E) KU_(0, ID, OK)
#define KU1(ID, OK, E) KU_(1, ID, OK)
#define KU2(ID, OK, E) KU_(2, ID, OK)

static const double fsamples[] = {
	0.0, -0.0, 1.0, -1.0, 2.5, -3.75, 7.0, 0.5, -0.5, 1e-3, 100.0, -128.0, 3.0,
	64.0, 0.999, 1e30, NAN, INFINITY, -INFINITY, 0.25, -2.0, 10.0
};
static const double isamples[] = {
	0, 1, -1, 2, -3, 7, 100, -128, 127, 3, 64, -2, 5, 13, -7, 1000, 70000, -70000,
	2147483647.0, -2147483648.0, 63, 65
};
#define NS ((int64_t)(sizeof fsamples / sizeof fsamples[0]))

static void fill(int dt, void *buf, const double *v, int64_t n, int shift)
{
	for (int64_t i = 0; i < n; i++) {
		double x = v[(i + shift) % n];
		switch (dt) {
		case HK_BOOL: ((bool *)buf)[i] = x != 0; break;
		case HK_UINT8: ((uint8_t *)buf)[i] = (uint8_t)(int64_t)x; break;
		case HK_INT8: ((int8_t *)buf)[i] = (int8_t)(int64_t)x; break;
		case HK_INT16: ((int16_t *)buf)[i] = (int16_t)(int64_t)x; break;
		case HK_INT32: ((int32_t *)buf)[i] = (int32_t)(int64_t)x; break;
		case HK_INT64: ((int64_t *)buf)[i] = (int64_t)x; break;
		case HK_FLOAT32: ((float *)buf)[i] = (float)x; break;
		default: ((double *)buf)[i] = x; break;
		}
	}
}

static bool close_enough(double a, double b, double tol)
{
	if (a != a || b != b)
		return a != a && b != b;
	if (a == b)
		return true;
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= tol * (m > 1 ? m : 1);
}

/* 0 when the outputs agree */
static int compare(int odt, const char *name, int dt, const void *c, const void *g, int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		bool ok;
		double a = 0, b = 0;
		if (odt == HK_FLOAT32) {
			a = ((const float *)c)[i]; b = ((const float *)g)[i];
			ok = close_enough(a, b, 5e-7);
		} else if (odt == HK_FLOAT64) {
			a = ((const double *)c)[i]; b = ((const double *)g)[i];
			ok = close_enough(a, b, 1e-15);
		} else {
			size_t sz = hk_gsize(odt);
			ok = memcmp((const char *)c + i * sz, (const char *)g + i * sz, sz) == 0;
		}
		if (!ok) {
			printf("math_test: %s on dtype %d differs at element %lld (cpu %.17g, gpu functor %.17g)\n",
			       name, dt, (long long)i, a, b);
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	static const char *bnames[] = {
#define BN_(ID, name, rule) name,
		HK_BINARY_OPS(BN_)
	};
	static const char *unames[] = {
#define UN_(ID, name, rule) name,
		HK_UNARY_OPS(UN_)
	};
	HK_BINARY_BOOL(KB0) HK_BINARY_INT(KB1) HK_BINARY_FLOAT(KB2)
	HK_UNARY_BOOL(KU0) HK_UNARY_INT(KU1) HK_UNARY_FLOAT(KU2)
	hk_table h = host_table();
	const hk_table *c = &hk_cpu_table;
	/* isclose's rtol/atol/equal_nan; round's decimals = 0; nan_to_num's fills */
	const double prm[3] = { 1e-5, 1e-8, 0 };
	int64_t s3[3] = { 1, 1, 1 };
	int checked = 0, bad = 0;
	for (int dt = HK_BOOL; dt <= HK_FLOAT64; dt++) {
		int cl = dt == HK_BOOL ? 0 : dt <= HK_INT64 ? 1 : 2;
		const double *v = cl == 2 ? fsamples : isamples;
		alignas(16) char x[NS * 8], y[NS * 8], oc[NS * 8], og[NS * 8];
		fill(dt, x, v, NS, 0);
		fill(dt, y, v, NS, 5);
		for (int op = 0; op < HK_NBINARY; op++) {
			if (!c->binary[op][dt] || !h.binary[op][dt])
				continue;
			int odt = bbool[op][cl] ? HK_BOOL : dt;
			char *pc[3] = { oc, x, y }, *pg[3] = { og, x, y };
			memset(oc, 0, sizeof oc);
			memset(og, 0, sizeof og);
			c->binary[op][dt](NS, pc, s3, prm);
			h.binary[op][dt](NS, pg, s3, prm);
			bad |= compare(odt, bnames[op], dt, oc, og, NS);
			checked++;
		}
		for (int op = 0; op < HK_NUNARY; op++) {
			if (!c->unary[op][dt] || !h.unary[op][dt])
				continue;
			int odt = ubool[op][cl] ? HK_BOOL : dt;
			const double up[3] = { 0, 1e300, -1e300 };
			char *pc[2] = { oc, x }, *pg[2] = { og, x };
			memset(oc, 0, sizeof oc);
			memset(og, 0, sizeof og);
			c->unary[op][dt](NS, pc, s3, up);
			h.unary[op][dt](NS, pg, s3, up);
			bad |= compare(odt, unames[op], dt, oc, og, NS);
			checked++;
		}
	}
	/* the GPU table must offer every non-complex loop the CPU table has */
	for (int dt = HK_BOOL; dt <= HK_FLOAT64; dt++) {
		for (int op = 0; op < HK_NBINARY; op++)
			if (!!c->binary[op][dt] != !!hk_gpu_table.binary[op][dt]) {
				printf("math_test: %s on dtype %d is in one table only\n", bnames[op], dt);
				bad = 1;
			}
		for (int op = 0; op < HK_NUNARY; op++)
			if (!!c->unary[op][dt] != !!hk_gpu_table.unary[op][dt]) {
				printf("math_test: %s on dtype %d is in one table only\n", unames[op], dt);
				bad = 1;
			}
	}
	printf("math_test: %d (op, dtype) loops compared, %s\n", checked, bad ? "FAILED" : "all agree");
	return bad;
}
