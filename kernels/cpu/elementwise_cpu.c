/*
** elementwise_cpu.c — the CPU loops generated from ops_list.h, the cast
** and where loops, and the n-d driver (`run`) that applies a loop over a
** strided, broadcast iteration space with OpenMP threads.
**
** Each generated loop is a serial range function with contiguous fast
** paths (all unit strides, or one operand a broadcast scalar) that the
** compiler vectorises (`omp simd`), plus a general strided path.
** Parallelism lives in the driver: large spaces are cut into per-thread
** ranges, so a loop is called once per inner run, never per element.
*/
#include <string.h>
#include <stdlib.h>
#include <omp.h>
#include "hk.h"
#include "hk_math.h"

/* glibc's libmvec has SIMD versions of the float functions (at most 4
** ulp from the correctly rounded result, like NumPy's own SIMD loops), but
** <math.h> declares them only under -ffast-math.  Declaring them here
** lets the `omp simd` loops below call four floats at a time instead of
** one: exp on float32 runs several times faster.  float64 keeps glibc's
** scalar functions (below 1 ulp), the precision its users expect.  cbrtf
** stays scalar: its vector form misses exact cubes (cbrt(27.f) gave
** 2.9999995, printed `3.0000` instead of `3.`). */
#if defined(__x86_64__) && defined(__GLIBC__) && defined(_OPENMP) && !defined(__FAST_MATH__)
#define HK_MVEC(F) _Pragma("omp declare simd notinbranch") extern __typeof__(F) F;
HK_MVEC(expf) HK_MVEC(expm1f) HK_MVEC(exp2f) HK_MVEC(logf) HK_MVEC(log2f)
HK_MVEC(log10f) HK_MVEC(log1pf) HK_MVEC(sinf) HK_MVEC(cosf) HK_MVEC(tanf)
HK_MVEC(asinf) HK_MVEC(acosf) HK_MVEC(atanf) HK_MVEC(sinhf) HK_MVEC(coshf)
HK_MVEC(tanhf) HK_MVEC(asinhf) HK_MVEC(acoshf) HK_MVEC(atanhf)
#endif

#define HK_SIMD _Pragma("omp simd")
#define HK_UNUSED __attribute__((unused))

#define HK_OUT_S(T, R) T
#define HK_OUT_B(T, R) bool
#define HK_OUT_R(T, R) R

#define HK_PARAMS \
	const double p0 HK_UNUSED = prm ? prm[0] : 0; \
	const double p1 HK_UNUSED = prm ? prm[1] : 0; \
	const double p2 HK_UNUSED = prm ? prm[2] : 0;

/* The start of every generated kernel: the element types (HK_T the
** operands', HK_U its unsigned twin, HK_O the output's), the typed
** pointers and strides of the output and operands, and the parameters. */
#define HK_TYPES(TT, UU, RT, OK) \
	typedef TT HK_T; \
	typedef UU HK_U HK_UNUSED; \
	typedef HK_OUT_##OK(TT, RT) HK_O; \
	HK_O *o = (HK_O *)p[0]; \
	HK_PARAMS
#define HK_BIN_HEAD(TT, UU, RT, OK) \
	HK_TYPES(TT, UU, RT, OK) \
	const HK_T *x = (const HK_T *)p[1], *y = (const HK_T *)p[2]; \
	const int64_t so = s[0], sx = s[1], sy = s[2];
#define HK_UN_HEAD(TT, UU, RT, OK) \
	HK_TYPES(TT, UU, RT, OK) \
	const HK_T *x = (const HK_T *)p[1]; \
	const int64_t so = s[0], sx = s[1];

#define HK_GEN_BIN(ID, SUF, TT, UU, RT, OK, EXPR) \
static void hk_b_##ID##_##SUF(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	HK_BIN_HEAD(TT, UU, RT, OK) \
	if (so == 1 && sx == 1 && sy == 1) { \
		HK_SIMD for (int64_t i = 0; i < n; i++) { \
			const HK_T a = x[i], b = y[i]; \
			o[i] = (HK_O)(EXPR); \
		} \
	} else if (so == 1 && sx == 1 && sy == 0) { \
		const HK_T b = y[0]; \
		HK_SIMD for (int64_t i = 0; i < n; i++) { \
			const HK_T a = x[i]; \
			o[i] = (HK_O)(EXPR); \
		} \
	} else if (so == 1 && sx == 0 && sy == 1) { \
		const HK_T a = x[0]; \
		HK_SIMD for (int64_t i = 0; i < n; i++) { \
			const HK_T b = y[i]; \
			o[i] = (HK_O)(EXPR); \
		} \
	} else { \
		for (int64_t i = 0; i < n; i++) { \
			const HK_T a = x[i * sx], b = y[i * sy]; \
			o[i * so] = (HK_O)(EXPR); \
		} \
	} \
}

#define HK_GEN_UN(ID, SUF, TT, UU, RT, OK, EXPR) \
static void hk_u_##ID##_##SUF(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	HK_UN_HEAD(TT, UU, RT, OK) \
	if (so == 1 && sx == 1) { \
		HK_SIMD for (int64_t i = 0; i < n; i++) { \
			const HK_T a HK_UNUSED = x[i]; \
			o[i] = (HK_O)(EXPR); \
		} \
	} else { \
		for (int64_t i = 0; i < n; i++) { \
			const HK_T a HK_UNUSED = x[i * sx]; \
			o[i * so] = (HK_O)(EXPR); \
		} \
	} \
}

/* float32 loops call libmvec's SIMD functions in whole vectors but glibc's
** scalar ones in a vectorised loop's remainder and on strided data, and the
** two may differ in the last bit (exp(-1.f): 1 ulp).  Which elements land in
** a remainder depends on where a rank's chunk starts and ends, so the same
** program printed different digits under -n 1 and -n 2.  These variants
** push every element through the same vector code: whole blocks of HK_VB
** in place, the remainder and strided data through a padded aligned block.
** HK_VB is a multiple of every x86 vector width (4, 8, 16 floats). */
#define HK_VB 16

/* The whole blocks of HK_VB contiguous outputs from i on; the loads
** (__VA_ARGS__) declare a and b for element j of the block at i, and a
** broadcast operand is declared once before the call, so each stride case
** vectorises with its scalar hoisted. */
#define HK_VB_BLOCKS(EXPR, ...) \
	for (; i + HK_VB <= n; i += HK_VB) { \
		HK_O *ob = o + i; \
		HK_SIMD for (int j = 0; j < HK_VB; j++) { \
			__VA_ARGS__ \
			ob[j] = (HK_O)(EXPR); \
		} \
	}

#define HK_GEN_BIN_VB(ID, SUF, TT, UU, RT, OK, EXPR) \
static void hk_b_##ID##_##SUF(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	HK_BIN_HEAD(TT, UU, RT, OK) \
	int64_t i = 0; \
	if (so == 1 && sx == 1 && sy == 1) { \
		HK_VB_BLOCKS(EXPR, const HK_T a = x[i + j], b = y[i + j];) \
	} else if (so == 1 && sx == 1 && sy == 0) { \
		const HK_T b = y[0]; \
		HK_VB_BLOCKS(EXPR, const HK_T a = x[i + j];) \
	} else if (so == 1 && sx == 0 && sy == 1) { \
		const HK_T a = x[0]; \
		HK_VB_BLOCKS(EXPR, const HK_T b = y[i + j];) \
	} \
	while (i < n) { \
		_Alignas(64) HK_T xb[HK_VB], yb[HK_VB]; \
		_Alignas(64) HK_O ob[HK_VB]; \
		const int m = n - i < HK_VB ? (int)(n - i) : HK_VB; \
		for (int j = 0; j < HK_VB; j++) { \
			xb[j] = x[(i + (j < m ? j : 0)) * sx]; \
			yb[j] = y[(i + (j < m ? j : 0)) * sy]; \
		} \
		HK_SIMD for (int j = 0; j < HK_VB; j++) { \
			const HK_T a = xb[j], b = yb[j]; \
			ob[j] = (HK_O)(EXPR); \
		} \
		for (int j = 0; j < m; j++) \
			o[(i + j) * so] = ob[j]; \
		i += m; \
	} \
}

#define HK_GEN_UN_VB(ID, SUF, TT, UU, RT, OK, EXPR) \
static void hk_u_##ID##_##SUF(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	HK_UN_HEAD(TT, UU, RT, OK) \
	int64_t i = 0; \
	if (so == 1 && sx == 1) { \
		HK_VB_BLOCKS(EXPR, const HK_T a HK_UNUSED = x[i + j];) \
	} \
	while (i < n) { \
		_Alignas(64) HK_T xb[HK_VB]; \
		_Alignas(64) HK_O ob[HK_VB]; \
		const int m = n - i < HK_VB ? (int)(n - i) : HK_VB; \
		for (int j = 0; j < HK_VB; j++) \
			xb[j] = x[(i + (j < m ? j : 0)) * sx]; \
		HK_SIMD for (int j = 0; j < HK_VB; j++) { \
			const HK_T a HK_UNUSED = xb[j]; \
			ob[j] = (HK_O)(EXPR); \
		} \
		for (int j = 0; j < m; j++) \
			o[(i + j) * so] = ob[j]; \
		i += m; \
	} \
}

typedef float _Complex hk_c64;
typedef double _Complex hk_c128;

/* ---- instantiate each class list once per dtype of the class ---- */
#define B_BOOL(ID, OK, E) HK_GEN_BIN(ID, b, bool, unsigned, bool, OK, E)
#define B_U8(ID, OK, E) HK_GEN_BIN(ID, u8, uint8_t, unsigned, uint8_t, OK, E)
#define B_I8(ID, OK, E) HK_GEN_BIN(ID, i8, int8_t, unsigned, int8_t, OK, E)
#define B_I16(ID, OK, E) HK_GEN_BIN(ID, i16, int16_t, unsigned, int16_t, OK, E)
#define B_I32(ID, OK, E) HK_GEN_BIN(ID, i32, int32_t, unsigned, int32_t, OK, E)
#define B_I64(ID, OK, E) HK_GEN_BIN(ID, i64, int64_t, uint64_t, int64_t, OK, E)
#define B_F32(ID, OK, E) HK_GEN_BIN_VB(ID, f32, float, unsigned, float, OK, E)
#define B_F64(ID, OK, E) HK_GEN_BIN(ID, f64, double, unsigned, double, OK, E)
#define B_C64(ID, OK, E) HK_GEN_BIN(ID, c64, hk_c64, unsigned, float, OK, E)
#define B_C128(ID, OK, E) HK_GEN_BIN(ID, c128, hk_c128, unsigned, double, OK, E)
HK_BINARY_BOOL(B_BOOL)
HK_BINARY_INT(B_U8)
HK_BINARY_INT(B_I8)
HK_BINARY_INT(B_I16)
HK_BINARY_INT(B_I32)
HK_BINARY_INT(B_I64)
HK_BINARY_FLOAT(B_F32)
HK_BINARY_FLOAT(B_F64)
HK_BINARY_COMPLEX(B_C64)
HK_BINARY_COMPLEX(B_C128)

#define U_BOOL(ID, OK, E) HK_GEN_UN(ID, b, bool, unsigned, bool, OK, E)
#define U_U8(ID, OK, E) HK_GEN_UN(ID, u8, uint8_t, unsigned, uint8_t, OK, E)
#define U_I8(ID, OK, E) HK_GEN_UN(ID, i8, int8_t, unsigned, int8_t, OK, E)
#define U_I16(ID, OK, E) HK_GEN_UN(ID, i16, int16_t, unsigned, int16_t, OK, E)
#define U_I32(ID, OK, E) HK_GEN_UN(ID, i32, int32_t, unsigned, int32_t, OK, E)
#define U_I64(ID, OK, E) HK_GEN_UN(ID, i64, int64_t, uint64_t, int64_t, OK, E)
#define U_F32(ID, OK, E) HK_GEN_UN_VB(ID, f32, float, unsigned, float, OK, E)
#define U_F64(ID, OK, E) HK_GEN_UN(ID, f64, double, unsigned, double, OK, E)
#define U_C64(ID, OK, E) HK_GEN_UN(ID, c64, hk_c64, unsigned, float, OK, E)
#define U_C128(ID, OK, E) HK_GEN_UN(ID, c128, hk_c128, unsigned, double, OK, E)
HK_UNARY_BOOL(U_BOOL)
HK_UNARY_INT(U_U8)
HK_UNARY_INT(U_I8)
HK_UNARY_INT(U_I16)
HK_UNARY_INT(U_I32)
HK_UNARY_INT(U_I64)
HK_UNARY_FLOAT(U_F32)
HK_UNARY_FLOAT(U_F64)
HK_UNARY_COMPLEX(U_C64)
HK_UNARY_COMPLEX(U_C128)

/* ---- casts and where, over the dtype list ---- */
#define HK_DTYPES_A(X) \
	X(b, HK_BOOL, bool) X(u8, HK_UINT8, uint8_t) X(i8, HK_INT8, int8_t) \
	X(i16, HK_INT16, int16_t) X(i32, HK_INT32, int32_t) X(i64, HK_INT64, int64_t) \
	X(f32, HK_FLOAT32, float) X(f64, HK_FLOAT64, double) \
	X(c64, HK_COMPLEX64, hk_c64) X(c128, HK_COMPLEX128, hk_c128)
#define HK_DTYPES_B(X, SF, TF) \
	X(SF, TF, b, bool) X(SF, TF, u8, uint8_t) X(SF, TF, i8, int8_t) \
	X(SF, TF, i16, int16_t) X(SF, TF, i32, int32_t) X(SF, TF, i64, int64_t) \
	X(SF, TF, f32, float) X(SF, TF, f64, double) \
	X(SF, TF, c64, hk_c64) X(SF, TF, c128, hk_c128)

/* C's conversions are NumPy's unsafe casts: to bool is "!= 0" (complex:
** either part), complex to real drops the imaginary part. */
#define HK_GEN_CAST(SF, TF, ST, TT) \
static void hk_cast_##SF##_##ST(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	(void)prm; \
	TT *o = (TT *)p[0]; \
	const TF *x = (const TF *)p[1]; \
	if (s[0] == 1 && s[1] == 1) { \
		HK_SIMD for (int64_t i = 0; i < n; i++) \
			o[i] = (TT)x[i]; \
	} else { \
		for (int64_t i = 0; i < n; i++) \
			o[i * s[0]] = (TT)x[i * s[1]]; \
	} \
}
#define HK_CAST_FROM(SF, EF, TF) HK_DTYPES_B(HK_GEN_CAST, SF, TF)
HK_DTYPES_A(HK_CAST_FROM)

#define HK_GEN_WHERE(SUF, E, T) \
static void hk_where_##SUF(int64_t n, char *const *p, const int64_t *s, const double *prm) \
{ \
	(void)prm; \
	T *o = (T *)p[0]; \
	const bool *c = (const bool *)p[1]; \
	const T *x = (const T *)p[2], *y = (const T *)p[3]; \
	if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) { \
		HK_SIMD for (int64_t i = 0; i < n; i++) \
			o[i] = c[i] ? x[i] : y[i]; \
	} else { \
		for (int64_t i = 0; i < n; i++) \
			o[i * s[0]] = c[i * s[1]] ? x[i * s[2]] : y[i * s[3]]; \
	} \
}
HK_DTYPES_A(HK_GEN_WHERE)

size_t hk_dtype_size(int t)
{
	static const size_t sz[HK_NDTYPES] = { 1, 1, 1, 2, 4, 8, 4, 8, 8, 16 };
	return (t >= 0 && t < HK_NDTYPES) ? sz[t] : 0;
}

/* ---- the n-d driver ---- */

#define HK_BLOCK 256            /* elements per conversion block */
#define HK_PAR_MIN 32768        /* smaller spaces run on the calling thread */
#define HK_PIECE 32768          /* inner runs longer than 2 pieces are cut */

typedef struct run_ctx {
	const hk_table *t;
	hk_loop fn;
	const int *loop_dt;
	const double *prm;
	int nops, nd;
	int64_t shape[HK_MAXDIM];
	int64_t st[HK_MAXOPS][HK_MAXDIM];   /* strides in elements */
	size_t es[HK_MAXOPS];               /* element sizes of the operands */
	int ops_dt[HK_MAXOPS];              /* operand dtypes */
	char *base[HK_MAXOPS];
	int cast;                           /* any operand needs conversion */
	int64_t inner, pieces, piece_len;
} run_ctx;

/* One inner run of n elements starting at ptr[k] with inner strides. */
static void run_inner(const run_ctx *c, int64_t n, char **ptr)
{
	int64_t s[HK_MAXOPS];
	int d = c->nd - 1;
	for (int k = 0; k < c->nops; k++)
		s[k] = c->st[k][d];
	if (!c->cast) {
		c->fn(n, ptr, s, c->prm);
		return;
	}
	/* convert block-wise through stack buffers (16 bytes per element max) */
	_Alignas(64) char buf[HK_MAXOPS][HK_BLOCK * 16];
	for (int64_t off = 0; off < n; off += HK_BLOCK) {
		int64_t m = n - off < HK_BLOCK ? n - off : HK_BLOCK;
		char *p[HK_MAXOPS];
		int64_t ls[HK_MAXOPS];
		for (int k = 0; k < c->nops; k++) {
			char *src = ptr[k] + off * s[k] * (int64_t)c->es[k];
			int sdt = c->ops_dt[k], ldt = c->loop_dt[k];
			if (sdt == ldt) {
				p[k] = src;
				ls[k] = s[k];
			} else {
				p[k] = buf[k];
				ls[k] = 1;
				if (k > 0) {
					char *cp[2] = { buf[k], src };
					int64_t cs[2] = { 1, s[k] };
					c->t->cast[sdt][ldt](m, cp, cs, NULL);
				}
			}
		}
		c->fn(m, p, ls, c->prm);
		if (c->ops_dt[0] != c->loop_dt[0]) {
			char *cp[2] = { ptr[0] + off * s[0] * (int64_t)c->es[0], buf[0] };
			int64_t cs[2] = { s[0], 1 };
			c->t->cast[c->loop_dt[0]][c->ops_dt[0]](m, cp, cs, NULL);
		}
	}
}

/* Work items [w0, w1): item w is piece (w % pieces) of outer run (w / pieces). */
static void run_items(const run_ctx *c, int64_t w0, int64_t w1)
{
	int64_t idx[HK_MAXDIM] = { 0 };
	int64_t o = w0 / c->pieces, piece = w0 % c->pieces;
	int outer_nd = c->nd - 1;
	for (int d = outer_nd - 1; d >= 0; d--) {
		idx[d] = o % c->shape[d];
		o /= c->shape[d];
	}
	char *row[HK_MAXOPS];
	for (int k = 0; k < c->nops; k++) {
		int64_t off = 0;
		for (int d = 0; d < outer_nd; d++)
			off += idx[d] * c->st[k][d];
		row[k] = c->base[k] + off * (int64_t)c->es[k];
	}
	int din = c->nd - 1;
	for (int64_t w = w0; w < w1; w++) {
		int64_t lo = piece * c->piece_len;
		int64_t hi = lo + c->piece_len < c->inner ? lo + c->piece_len : c->inner;
		char *p[HK_MAXOPS];
		for (int k = 0; k < c->nops; k++)
			p[k] = row[k] + lo * c->st[k][din] * (int64_t)c->es[k];
		run_inner(c, hi - lo, p);
		if (++piece == c->pieces) {
			piece = 0;
			/* odometer step over the outer dimensions */
			for (int d = outer_nd - 1; d >= 0; d--) {
				for (int k = 0; k < c->nops; k++)
					row[k] += c->st[k][d] * (int64_t)c->es[k];
				if (++idx[d] < c->shape[d])
					break;
				for (int k = 0; k < c->nops; k++)
					row[k] -= c->st[k][d] * c->shape[d] * (int64_t)c->es[k];
				idx[d] = 0;
			}
		}
	}
}

static void cpu_run(const hk_table *t, hk_loop fn, const int *loop_dt, const double *prm,
                    int nops, int ndim, const int64_t *shape, const hk_operand *ops)
{
	run_ctx c;
	c.t = t;
	c.fn = fn;
	c.loop_dt = loop_dt;
	c.prm = prm;
	c.nops = nops;
	c.cast = 0;
	for (int k = 0; k < nops; k++) {
		c.base[k] = ops[k].ptr;
		c.ops_dt[k] = ops[k].dtype;
		c.es[k] = hk_dtype_size(ops[k].dtype);
		if (ops[k].dtype != loop_dt[k])
			c.cast = 1;
	}
	/* drop unit dimensions, then merge dimensions that are contiguous
	** with their successor in every operand */
	int nd = 0;
	for (int d = 0; d < ndim; d++) {
		if (shape[d] == 0)
			return;
		if (shape[d] == 1)
			continue;
		if (nd > 0) {
			int merge = 1;
			for (int k = 0; k < nops; k++)
				if (c.st[k][nd - 1] != ops[k].stride[d] * shape[d])
					merge = 0;
			if (merge) {
				c.shape[nd - 1] *= shape[d];
				for (int k = 0; k < nops; k++)
					c.st[k][nd - 1] = ops[k].stride[d];
				continue;
			}
		}
		c.shape[nd] = shape[d];
		for (int k = 0; k < nops; k++)
			c.st[k][nd] = ops[k].stride[d];
		nd++;
	}
	if (nd == 0) {
		c.shape[0] = 1;
		for (int k = 0; k < nops; k++)
			c.st[k][0] = 1;
		nd = 1;
	}
	c.nd = nd;
	c.inner = c.shape[nd - 1];
	int64_t outer = 1;
	for (int d = 0; d < nd - 1; d++)
		outer *= c.shape[d];
	int64_t total = outer * c.inner;
	int nth = total >= HK_PAR_MIN ? omp_get_max_threads() : 1;
	if (nth > 1 && omp_in_parallel())
		nth = 1;
	c.pieces = 1;
	if (nth > 1 && c.inner >= 2 * HK_PIECE && outer < 4 * nth)
		c.pieces = (c.inner + HK_PIECE - 1) / HK_PIECE;
	c.piece_len = (c.inner + c.pieces - 1) / c.pieces;
	int64_t items = outer * c.pieces;
	if (nth <= 1 || items < 2) {
		run_items(&c, 0, items);
		return;
	}
	#pragma omp parallel num_threads(nth)
	{
		int64_t nt = omp_get_num_threads(), id = omp_get_thread_num();
		int64_t w0 = items * id / nt, w1 = items * (id + 1) / nt;
		if (w0 < w1)
			run_items(&c, w0, w1);
	}
}

static void *cpu_alloc(size_t n)
{
	return malloc(n ? n : 1);
}

static void cpu_copy(void *dst, const void *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

/* ---- the table ---- */
#define TB_BOOL(ID, OK, E) .binary[HK_##ID][HK_BOOL] = hk_b_##ID##_b,
#define TB_U8(ID, OK, E) .binary[HK_##ID][HK_UINT8] = hk_b_##ID##_u8,
#define TB_I8(ID, OK, E) .binary[HK_##ID][HK_INT8] = hk_b_##ID##_i8,
#define TB_I16(ID, OK, E) .binary[HK_##ID][HK_INT16] = hk_b_##ID##_i16,
#define TB_I32(ID, OK, E) .binary[HK_##ID][HK_INT32] = hk_b_##ID##_i32,
#define TB_I64(ID, OK, E) .binary[HK_##ID][HK_INT64] = hk_b_##ID##_i64,
#define TB_F32(ID, OK, E) .binary[HK_##ID][HK_FLOAT32] = hk_b_##ID##_f32,
#define TB_F64(ID, OK, E) .binary[HK_##ID][HK_FLOAT64] = hk_b_##ID##_f64,
#define TB_C64(ID, OK, E) .binary[HK_##ID][HK_COMPLEX64] = hk_b_##ID##_c64,
#define TB_C128(ID, OK, E) .binary[HK_##ID][HK_COMPLEX128] = hk_b_##ID##_c128,
#define TU_BOOL(ID, OK, E) .unary[HK_##ID][HK_BOOL] = hk_u_##ID##_b,
#define TU_U8(ID, OK, E) .unary[HK_##ID][HK_UINT8] = hk_u_##ID##_u8,
#define TU_I8(ID, OK, E) .unary[HK_##ID][HK_INT8] = hk_u_##ID##_i8,
#define TU_I16(ID, OK, E) .unary[HK_##ID][HK_INT16] = hk_u_##ID##_i16,
#define TU_I32(ID, OK, E) .unary[HK_##ID][HK_INT32] = hk_u_##ID##_i32,
#define TU_I64(ID, OK, E) .unary[HK_##ID][HK_INT64] = hk_u_##ID##_i64,
#define TU_F32(ID, OK, E) .unary[HK_##ID][HK_FLOAT32] = hk_u_##ID##_f32,
#define TU_F64(ID, OK, E) .unary[HK_##ID][HK_FLOAT64] = hk_u_##ID##_f64,
#define TU_C64(ID, OK, E) .unary[HK_##ID][HK_COMPLEX64] = hk_u_##ID##_c64,
#define TU_C128(ID, OK, E) .unary[HK_##ID][HK_COMPLEX128] = hk_u_##ID##_c128,
#define TC_PAIR(SF, TF, ST, TT) .cast[HK_DT_##SF][HK_DT_##ST] = hk_cast_##SF##_##ST,
#define TC_FROM(SF, EF, TF) HK_DTYPES_B(TC_PAIR, SF, TF)
#define TW(SUF, E, T) .where[E] = hk_where_##SUF,
#define HK_DT_b HK_BOOL
#define HK_DT_u8 HK_UINT8
#define HK_DT_i8 HK_INT8
#define HK_DT_i16 HK_INT16
#define HK_DT_i32 HK_INT32
#define HK_DT_i64 HK_INT64
#define HK_DT_f32 HK_FLOAT32
#define HK_DT_f64 HK_FLOAT64
#define HK_DT_c64 HK_COMPLEX64
#define HK_DT_c128 HK_COMPLEX128

/* the reduction entries are defined in reduce_cpu.c */
#include "reduce_cpu.h"

const hk_table hk_cpu_table = {
	.name = "cpu",
	HK_BINARY_BOOL(TB_BOOL)
	HK_BINARY_INT(TB_U8) HK_BINARY_INT(TB_I8) HK_BINARY_INT(TB_I16)
	HK_BINARY_INT(TB_I32) HK_BINARY_INT(TB_I64)
	HK_BINARY_FLOAT(TB_F32) HK_BINARY_FLOAT(TB_F64)
	HK_BINARY_COMPLEX(TB_C64) HK_BINARY_COMPLEX(TB_C128)
	HK_UNARY_BOOL(TU_BOOL)
	HK_UNARY_INT(TU_U8) HK_UNARY_INT(TU_I8) HK_UNARY_INT(TU_I16)
	HK_UNARY_INT(TU_I32) HK_UNARY_INT(TU_I64)
	HK_UNARY_FLOAT(TU_F32) HK_UNARY_FLOAT(TU_F64)
	HK_UNARY_COMPLEX(TU_C64) HK_UNARY_COMPLEX(TU_C128)
	HK_DTYPES_A(TC_FROM)
	HK_DTYPES_A(TW)
	.run = cpu_run,
	HK_REDUCE_ENTRIES
	.alloc = cpu_alloc,
	.free = free,
	.copy = cpu_copy,
};
