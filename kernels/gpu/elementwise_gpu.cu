/*
** elementwise_gpu.cu — the GPU kernel table (hk_gpu_table): elementwise
** loops, casts, where, sum/prod/min/max reductions and device memory, for
** CUDA (nvcc -> build/libha_cuda.so) and HIP (hipcc -> build/libha_hip.so)
** from this one source through hk_gpu_port.h.
**
** What runs where:
**   - every hk_loop / hk_reduce_fn here is HOST code that launches a
**     device kernel on DEVICE pointers (p[k], in, out) and returns without
**     synchronising; `copy` (cudaMemcpyDefault) is the synchronising step;
**   - the scalar math is not written here: the per-class lists of
**     ops_list.h are instantiated with the helpers of hk_math.h, compiled
**     __host__ __device__ (HK_DEVICE), the same text the CPU backend
**     compiles as C, so the CPU tests exercise the expressions these
**     kernels evaluate;
**   - `run` walks the n-d iteration space on the host and launches the
**     1-d loop once per innermost row (operands whose dtype differs from
**     the loop's are first cast into contiguous device temporaries).
** Coverage: bool, integer and float dtypes.  Complex dtypes, argmin/argmax,
** moments, scans and all/any/count are NULL entries (the runtime treats
** NULL as unsupported); the table has no GEMM slot.
** Exports (C linkage): hk_gpu_table, hk_gpu_probe (device count or why
** none), hk_gpu_error (first runtime error since the last call: the
** table's entries return void).
** The runtime only sees this table after hk_gpu_probe() reports a device
** (runtime/gpu_load.c); with no driver or no device nothing here runs.
*/
#include <stdio.h>
#include <string.h>
#include "hk_gpu_port.h"
#include "hk.h"
#include "hk_math.h"

#define HK_OUT_S(T, R) T
#define HK_OUT_B(T, R) bool
#define HK_OUT_R(T, R) R

/* The table's loops, free and copy return void (like the CPU's, which
** cannot fail), so the first runtime error since the last hk_gpu_error()
** call is kept here for the runtime to collect. */
static hkgError_t hk_gpu_err = hkgSuccess;

static void hk_gpu_check(hkgError_t e)
{
	if (e != hkgSuccess && hk_gpu_err == hkgSuccess)
		hk_gpu_err = e;
}

/* after a launch: a bad configuration is reported here, not by the launch */
#define HK_LAUNCHED() hk_gpu_check(hkgGetLastError())

static unsigned hk_grid(int64_t n)
{
	int64_t b = (n + HK_GPU_THREADS - 1) / HK_GPU_THREADS;
	return (unsigned)(b < 65535 ? b : 65535);    /* grid-stride loops cover the rest */
}

/* ---- elementwise: one functor per (op, dtype) from the class lists ----
** operator() is host and device code, so tests/gpu/math_test.cu checks these
** exact functors against the CPU table on a machine without a GPU. */
#define HK_GPU_BIN(ID, SUF, TT, UU, RT, OK, EXPR) \
struct hk_gb_##ID##_##SUF { \
	typedef TT HK_T; \
	typedef UU HK_U; \
	typedef HK_OUT_##OK(TT, RT) HK_O; \
	HK_DEVICE HK_O operator()(HK_T a, HK_T b, double p0, double p1, double p2) const \
	{ \
		(void)a; (void)b; (void)p0; (void)p1; (void)p2; \
		return (HK_O)(EXPR); \
	} \
};

#define HK_GPU_UN(ID, SUF, TT, UU, RT, OK, EXPR) \
struct hk_gu_##ID##_##SUF { \
	typedef TT HK_T; \
	typedef UU HK_U; \
	typedef HK_OUT_##OK(TT, RT) HK_O; \
	HK_DEVICE HK_O operator()(HK_T a, double p0, double p1, double p2) const \
	{ \
		(void)a; (void)p0; (void)p1; (void)p2; \
		return (HK_O)(EXPR); \
	} \
};

#define B_BOOL(ID, OK, E) HK_GPU_BIN(ID, b, bool, unsigned, bool, OK, E)
#define B_U8(ID, OK, E) HK_GPU_BIN(ID, u8, uint8_t, unsigned, uint8_t, OK, E)
#define B_I8(ID, OK, E) HK_GPU_BIN(ID, i8, int8_t, unsigned, int8_t, OK, E)
#define B_I16(ID, OK, E) HK_GPU_BIN(ID, i16, int16_t, unsigned, int16_t, OK, E)
#define B_I32(ID, OK, E) HK_GPU_BIN(ID, i32, int32_t, unsigned, int32_t, OK, E)
#define B_I64(ID, OK, E) HK_GPU_BIN(ID, i64, int64_t, uint64_t, int64_t, OK, E)
#define B_F32(ID, OK, E) HK_GPU_BIN(ID, f32, float, unsigned, float, OK, E)
#define B_F64(ID, OK, E) HK_GPU_BIN(ID, f64, double, unsigned, double, OK, E)
HK_BINARY_BOOL(B_BOOL)
HK_BINARY_INT(B_U8)
HK_BINARY_INT(B_I8)
HK_BINARY_INT(B_I16)
HK_BINARY_INT(B_I32)
HK_BINARY_INT(B_I64)
HK_BINARY_FLOAT(B_F32)
HK_BINARY_FLOAT(B_F64)

#define U_BOOL(ID, OK, E) HK_GPU_UN(ID, b, bool, unsigned, bool, OK, E)
#define U_U8(ID, OK, E) HK_GPU_UN(ID, u8, uint8_t, unsigned, uint8_t, OK, E)
#define U_I8(ID, OK, E) HK_GPU_UN(ID, i8, int8_t, unsigned, int8_t, OK, E)
#define U_I16(ID, OK, E) HK_GPU_UN(ID, i16, int16_t, unsigned, int16_t, OK, E)
#define U_I32(ID, OK, E) HK_GPU_UN(ID, i32, int32_t, unsigned, int32_t, OK, E)
#define U_I64(ID, OK, E) HK_GPU_UN(ID, i64, int64_t, uint64_t, int64_t, OK, E)
#define U_F32(ID, OK, E) HK_GPU_UN(ID, f32, float, unsigned, float, OK, E)
#define U_F64(ID, OK, E) HK_GPU_UN(ID, f64, double, unsigned, double, OK, E)
HK_UNARY_BOOL(U_BOOL)
HK_UNARY_INT(U_U8)
HK_UNARY_INT(U_I8)
HK_UNARY_INT(U_I16)
HK_UNARY_INT(U_I32)
HK_UNARY_INT(U_I64)
HK_UNARY_FLOAT(U_F32)
HK_UNARY_FLOAT(U_F64)

template <class OP>
__global__ void hk_bin_kernel(int64_t n, typename OP::HK_O *o, const typename OP::HK_T *x,
                              const typename OP::HK_T *y, int64_t so, int64_t sx, int64_t sy,
                              double p0, double p1, double p2)
{
	OP op;
	for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
	     i += (int64_t)blockDim.x * gridDim.x)
		o[i * so] = op(x[i * sx], y[i * sy], p0, p1, p2);
}

template <class OP>
__global__ void hk_un_kernel(int64_t n, typename OP::HK_O *o, const typename OP::HK_T *x,
                             int64_t so, int64_t sx, double p0, double p1, double p2)
{
	OP op;
	for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
	     i += (int64_t)blockDim.x * gridDim.x)
		o[i * so] = op(x[i * sx], p0, p1, p2);
}

/* The hk_loop entries: host functions, device pointers. */
template <class OP>
static void hk_bin_launch(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	if (n <= 0)
		return;
	hk_bin_kernel<OP><<<hk_grid(n), HK_GPU_THREADS>>>(n, (typename OP::HK_O *)p[0],
		(const typename OP::HK_T *)p[1], (const typename OP::HK_T *)p[2], s[0], s[1], s[2],
		prm ? prm[0] : 0, prm ? prm[1] : 0, prm ? prm[2] : 0);
	HK_LAUNCHED();
}

template <class OP>
static void hk_un_launch(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	if (n <= 0)
		return;
	hk_un_kernel<OP><<<hk_grid(n), HK_GPU_THREADS>>>(n, (typename OP::HK_O *)p[0],
		(const typename OP::HK_T *)p[1], s[0], s[1],
		prm ? prm[0] : 0, prm ? prm[1] : 0, prm ? prm[2] : 0);
	HK_LAUNCHED();
}

/* ---- casts and where: C++ conversions are C's (NumPy's unsafe casts) ---- */
template <class TF, class TT>
__global__ void hk_cast_kernel(int64_t n, TT *o, const TF *x, int64_t so, int64_t sx)
{
	for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
	     i += (int64_t)blockDim.x * gridDim.x)
		o[i * so] = (TT)x[i * sx];
}

template <class TF, class TT>
static void hk_cast_launch(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	(void)prm;
	if (n <= 0)
		return;
	hk_cast_kernel<TF, TT><<<hk_grid(n), HK_GPU_THREADS>>>(n, (TT *)p[0], (const TF *)p[1],
	                                                        s[0], s[1]);
	HK_LAUNCHED();
}

template <class T>
__global__ void hk_where_kernel(int64_t n, T *o, const bool *c, const T *x, const T *y,
                                int64_t so, int64_t sc, int64_t sx, int64_t sy)
{
	for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
	     i += (int64_t)blockDim.x * gridDim.x)
		o[i * so] = c[i * sc] ? x[i * sx] : y[i * sy];
}

template <class T>
static void hk_where_launch(int64_t n, char *const *p, const int64_t *s, const double *prm)
{
	(void)prm;
	if (n <= 0)
		return;
	hk_where_kernel<T><<<hk_grid(n), HK_GPU_THREADS>>>(n, (T *)p[0], (const bool *)p[1],
		(const T *)p[2], (const T *)p[3], s[0], s[1], s[2], s[3]);
	HK_LAUNCHED();
}

/* ---- reductions: one block per output slot of [outer][n][inner] ---- */
template <class T> __device__ inline bool hk_gisnan(T v) { (void)v; return false; }
template <> __device__ inline bool hk_gisnan<float>(float v) { return v != v; }
template <> __device__ inline bool hk_gisnan<double>(double v) { return v != v; }

/* The step rules are reduce_cpu.c's: min/max propagate NaN. */
template <class A> struct hk_rsum {
	static __device__ A init() { return (A)0; }
	static __device__ A step(A r, A v) { return r + v; }
};
template <class A> struct hk_rprod {
	static __device__ A init() { return (A)1; }
	static __device__ A step(A r, A v) { return r * v; }
};
template <class A> struct hk_rmin {
	static __device__ A init();
	static __device__ A step(A r, A v) { return (v < r || hk_gisnan(v)) ? v : r; }
};
template <class A> struct hk_rmax {
	static __device__ A init();
	static __device__ A step(A r, A v) { return (v > r || hk_gisnan(v)) ? v : r; }
};
#define HK_MINMAX_INIT(T, LO, HI) \
	template <> __device__ T hk_rmin<T>::init() { return HI; } \
	template <> __device__ T hk_rmax<T>::init() { return LO; }
HK_MINMAX_INIT(bool, false, true)
HK_MINMAX_INIT(uint8_t, 0, UINT8_MAX)
HK_MINMAX_INIT(int8_t, INT8_MIN, INT8_MAX)
HK_MINMAX_INIT(int16_t, INT16_MIN, INT16_MAX)
HK_MINMAX_INIT(int32_t, INT32_MIN, INT32_MAX)
HK_MINMAX_INIT(int64_t, INT64_MIN, INT64_MAX)
HK_MINMAX_INIT(float, -INFINITY, INFINITY)
HK_MINMAX_INIT(double, -INFINITY, INFINITY)

template <class T, class A, class R>
__global__ void hk_reduce_kernel(const T *in, int64_t n, int64_t inner, A *out, int64_t first)
{
	__shared__ A part[HK_GPU_THREADS];
	const int64_t slot = first + blockIdx.x;
	const int64_t o = slot / inner, j = slot % inner;
	const T *base = in + o * n * inner + j;
	A r = R::init();
	for (int64_t i = threadIdx.x; i < n; i += blockDim.x)
		r = R::step(r, (A)base[i * inner]);
	part[threadIdx.x] = r;
	__syncthreads();
	for (unsigned h = blockDim.x / 2; h > 0; h /= 2) {
		if (threadIdx.x < h)
			part[threadIdx.x] = R::step(part[threadIdx.x], part[threadIdx.x + h]);
		__syncthreads();
	}
	if (threadIdx.x == 0)
		out[slot] = part[0];
}

template <class T, class A, class R>
static void hk_reduce_launch(const void *in, int64_t outer, int64_t n, int64_t inner, void *out)
{
	int64_t slots = outer * inner;
	if (slots <= 0)
		return;
	/* one block per output slot, in grids of at most 2^31 - 1 blocks */
	for (int64_t first = 0; first < slots; first += 0x7fffffff) {
		int64_t m = slots - first < 0x7fffffff ? slots - first : 0x7fffffff;
		hk_reduce_kernel<T, A, R><<<(unsigned)m, HK_GPU_THREADS>>>((const T *)in, n, inner,
		                                                            (A *)out, first);
		HK_LAUNCHED();
	}
}

/* hk_dtype_size lives in the CPU backend, which this library does not link */
static size_t hk_gsize(int t)
{
	static const size_t sz[HK_NDTYPES] = { 1, 1, 1, 2, 4, 8, 4, 8, 8, 16 };
	return (t >= 0 && t < HK_NDTYPES) ? sz[t] : 0;
}

/* ---- device memory ---- */
static void *hk_gpu_alloc(size_t nbytes)
{
	void *p = NULL;
	hkgError_t e = hkgMalloc(&p, nbytes ? nbytes : 1);
	if (e != hkgSuccess) {
		hk_gpu_check(e);
		return NULL;
	}
	return p;
}

static void hk_gpu_free(void *p)
{
	if (p)
		hk_gpu_check(hkgFree(p));
}

/* Host<->device or device<->device: unified addressing picks the direction. */
static void hk_gpu_copy(void *dst, const void *src, size_t nbytes)
{
	if (nbytes)
		hk_gpu_check(hkgMemcpy(dst, src, nbytes, hkgMemcpyDefault));
}

/* ---- the n-d driver ---- */
static void hk_gpu_run(const hk_table *t, hk_loop fn, const int *loop_dt, const double *prm,
                       int nops, int ndim, const int64_t *shape, const hk_operand *ops)
{
	int64_t total = 1;
	for (int d = 0; d < ndim; d++)
		total *= shape[d];
	if (total <= 0)
		return;
	/* a dtype this table lacks (complex) has no loop or cast: report it */
	for (int k = 0; k < nops; k++)
		if (!fn || (ops[k].dtype != loop_dt[k] &&
		            !(k ? t->cast[ops[k].dtype][loop_dt[k]] : t->cast[loop_dt[k]][ops[k].dtype]))) {
			hk_gpu_check(hkgErrorInvalidValue);
			return;
		}
	hk_operand use[HK_MAXOPS];
	void *tmp[HK_MAXOPS] = { NULL };
	for (int k = 0; k < nops; k++) {
		use[k] = ops[k];
		if (ops[k].dtype == loop_dt[k])
			continue;
		/* a contiguous temporary in the loop's dtype */
		tmp[k] = hk_gpu_alloc((size_t)total * hk_gsize(loop_dt[k]));
		if (!tmp[k])
			goto out;
		use[k].ptr = (char *)tmp[k];
		use[k].dtype = loop_dt[k];
		int64_t st = 1;
		for (int d = ndim - 1; d >= 0; d--) {
			use[k].stride[d] = st;
			st *= shape[d];
		}
		if (k > 0) {
			int cdt[2] = { loop_dt[k], ops[k].dtype };
			hk_operand co[2] = { use[k], ops[k] };
			hk_gpu_run(t, t->cast[ops[k].dtype][loop_dt[k]], cdt, NULL, 2, ndim, shape, co);
		}
	}
	{
		int64_t idx[HK_MAXDIM] = { 0 };
		int64_t inner = ndim ? shape[ndim - 1] : 1;
		int64_t s[HK_MAXOPS];
		size_t sz[HK_MAXOPS];
		for (int k = 0; k < nops; k++) {
			s[k] = ndim ? use[k].stride[ndim - 1] : 0;
			sz[k] = hk_gsize(loop_dt[k]);
		}
		for (int64_t row = 0; row < total / inner; row++) {
			char *p[HK_MAXOPS];
			for (int k = 0; k < nops; k++) {
				int64_t off = 0;
				for (int d = 0; d < ndim - 1; d++)
					off += idx[d] * use[k].stride[d];
				p[k] = use[k].ptr + off * (int64_t)sz[k];
			}
			fn(inner, p, s, prm);
			for (int d = ndim - 2; d >= 0; d--) {
				if (++idx[d] < shape[d])
					break;
				idx[d] = 0;
			}
		}
	}
	if (tmp[0]) {
		int cdt[2] = { ops[0].dtype, loop_dt[0] };
		hk_operand co[2] = { ops[0], use[0] };
		hk_gpu_run(t, t->cast[loop_dt[0]][ops[0].dtype], cdt, NULL, 2, ndim, shape, co);
	}
out:
	for (int k = 0; k < nops; k++)
		hk_gpu_free(tmp[k]);
}

/* ---- the table ---- */
#define HK_GPU_DTYPES(X) \
	X(b, HK_BOOL, bool) X(u8, HK_UINT8, uint8_t) X(i8, HK_INT8, int8_t) \
	X(i16, HK_INT16, int16_t) X(i32, HK_INT32, int32_t) X(i64, HK_INT64, int64_t) \
	X(f32, HK_FLOAT32, float) X(f64, HK_FLOAT64, double)

static hk_table hk_gpu_make_table(void)
{
	hk_table t;
	memset(&t, 0, sizeof t);
	t.name = "gpu";
	/* the fill macros name the loop template through HK_BINL / HK_UNL so
	** tests/gpu/math_test.cu can fill a host table from the same functors */
#define HK_BINL hk_bin_launch
#define HK_UNL hk_un_launch
#define FB_BOOL(ID, OK, X) t.binary[HK_##ID][HK_BOOL] = HK_BINL<hk_gb_##ID##_b>;
#define FB_U8(ID, OK, X) t.binary[HK_##ID][HK_UINT8] = HK_BINL<hk_gb_##ID##_u8>;
#define FB_I8(ID, OK, X) t.binary[HK_##ID][HK_INT8] = HK_BINL<hk_gb_##ID##_i8>;
#define FB_I16(ID, OK, X) t.binary[HK_##ID][HK_INT16] = HK_BINL<hk_gb_##ID##_i16>;
#define FB_I32(ID, OK, X) t.binary[HK_##ID][HK_INT32] = HK_BINL<hk_gb_##ID##_i32>;
#define FB_I64(ID, OK, X) t.binary[HK_##ID][HK_INT64] = HK_BINL<hk_gb_##ID##_i64>;
#define FB_F32(ID, OK, X) t.binary[HK_##ID][HK_FLOAT32] = HK_BINL<hk_gb_##ID##_f32>;
#define FB_F64(ID, OK, X) t.binary[HK_##ID][HK_FLOAT64] = HK_BINL<hk_gb_##ID##_f64>;
	HK_BINARY_BOOL(FB_BOOL)
	HK_BINARY_INT(FB_U8) HK_BINARY_INT(FB_I8) HK_BINARY_INT(FB_I16)
	HK_BINARY_INT(FB_I32) HK_BINARY_INT(FB_I64)
	HK_BINARY_FLOAT(FB_F32) HK_BINARY_FLOAT(FB_F64)
#define FU_BOOL(ID, OK, X) t.unary[HK_##ID][HK_BOOL] = HK_UNL<hk_gu_##ID##_b>;
#define FU_U8(ID, OK, X) t.unary[HK_##ID][HK_UINT8] = HK_UNL<hk_gu_##ID##_u8>;
#define FU_I8(ID, OK, X) t.unary[HK_##ID][HK_INT8] = HK_UNL<hk_gu_##ID##_i8>;
#define FU_I16(ID, OK, X) t.unary[HK_##ID][HK_INT16] = HK_UNL<hk_gu_##ID##_i16>;
#define FU_I32(ID, OK, X) t.unary[HK_##ID][HK_INT32] = HK_UNL<hk_gu_##ID##_i32>;
#define FU_I64(ID, OK, X) t.unary[HK_##ID][HK_INT64] = HK_UNL<hk_gu_##ID##_i64>;
#define FU_F32(ID, OK, X) t.unary[HK_##ID][HK_FLOAT32] = HK_UNL<hk_gu_##ID##_f32>;
#define FU_F64(ID, OK, X) t.unary[HK_##ID][HK_FLOAT64] = HK_UNL<hk_gu_##ID##_f64>;
	HK_UNARY_BOOL(FU_BOOL)
	HK_UNARY_INT(FU_U8) HK_UNARY_INT(FU_I8) HK_UNARY_INT(FU_I16)
	HK_UNARY_INT(FU_I32) HK_UNARY_INT(FU_I64)
	HK_UNARY_FLOAT(FU_F32) HK_UNARY_FLOAT(FU_F64)
#define CAST_TO(SF, EF, TF, ST, ET, TT) t.cast[EF][ET] = hk_cast_launch<TF, TT>;
#define CAST_B(ST, ET, TT) \
	CAST_TO(b, HK_BOOL, bool, ST, ET, TT) CAST_TO(u8, HK_UINT8, uint8_t, ST, ET, TT) \
	CAST_TO(i8, HK_INT8, int8_t, ST, ET, TT) CAST_TO(i16, HK_INT16, int16_t, ST, ET, TT) \
	CAST_TO(i32, HK_INT32, int32_t, ST, ET, TT) CAST_TO(i64, HK_INT64, int64_t, ST, ET, TT) \
	CAST_TO(f32, HK_FLOAT32, float, ST, ET, TT) CAST_TO(f64, HK_FLOAT64, double, ST, ET, TT)
	HK_GPU_DTYPES(CAST_B)
#define WHERE_(SUF, E, T) t.where[E] = hk_where_launch<T>;
	HK_GPU_DTYPES(WHERE_)
	/* sum/prod accumulate in int64 for bool and integers (hk_reduce_acc) */
#define RED_(SUF, E, T) \
	t.reduce[HK_RSUM][E] = E <= HK_INT64 ? hk_reduce_launch<T, int64_t, hk_rsum<int64_t> > \
	                                     : hk_reduce_launch<T, T, hk_rsum<T> >; \
	t.reduce[HK_RPROD][E] = E <= HK_INT64 ? hk_reduce_launch<T, int64_t, hk_rprod<int64_t> > \
	                                      : hk_reduce_launch<T, T, hk_rprod<T> >; \
	t.reduce[HK_RMIN][E] = hk_reduce_launch<T, T, hk_rmin<T> >; \
	t.reduce[HK_RMAX][E] = hk_reduce_launch<T, T, hk_rmax<T> >;
	HK_GPU_DTYPES(RED_)
	t.run = hk_gpu_run;
	t.alloc = hk_gpu_alloc;
	t.free = hk_gpu_free;
	t.copy = hk_gpu_copy;
	return t;
}

/* Filled when the library is loaded (dynamic initialisation at dlopen). */
HK_GPU_EXPORT const hk_table hk_gpu_table = hk_gpu_make_table();

/* The first error since the last call (NULL when none), then clears it;
** waits for the launched kernels first so their faults are included. */
HK_GPU_EXPORT const char *hk_gpu_error(void)
{
	hk_gpu_check(hkgDeviceSynchronize());
	hkgError_t e = hk_gpu_err;
	hk_gpu_err = hkgSuccess;
	return e == hkgSuccess ? NULL : hkgGetErrorString(e);
}

/* The device count, or 0 with the reason in why[] (no driver, no device,
** any runtime error: every failure means "no GPU"). */
HK_GPU_EXPORT int hk_gpu_probe(char *why, size_t n)
{
	int count = 0;
	hkgError_t e = hkgGetDeviceCount(&count);
	if (e != hkgSuccess) {
		snprintf(why, n, "%s runtime: %s", HK_GPU_NAME, hkgGetErrorString(e));
		return 0;
	}
	if (count <= 0) {
		snprintf(why, n, "%s runtime reports no device", HK_GPU_NAME);
		return 0;
	}
	return count;
}
