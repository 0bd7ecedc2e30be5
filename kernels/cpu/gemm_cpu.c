/*
** gemm_cpu.c — local GEMM: BLIS for the floating and complex dtypes, a
** blocked OpenMP loop for integers and bool (BLAS has no integer GEMM).
**
** BLIS reads its thread count from the environment once; ha sets the
** OpenMP thread count per rank at start-up (cores / ranks on the node),
** so unless the user set BLIS_NUM_THREADS explicitly each call passes the
** current OpenMP count on to BLIS; small products run on one thread.
*/
#include <stdlib.h>
#include <string.h>
#include <complex.h>
#include <omp.h>
#include <blis.h>
#include <cblas.h>
#include "hk.h"
#include "hk_gemm.h"

/* Products below this many multiply-adds (m*n*k, a complex one counting
** as four) run on one thread: a parallel region costs more than the
** product, and on a busy machine waiting for a second thread to be
** scheduled took tens of milliseconds for a 4 x 4 product. */
#define GEMM_PAR_MIN ((int64_t)1 << 21)   /* 128^3 */

static void blis_threads(int64_t m, int64_t n, int64_t k, int complex_)
{
	static int from_env = -1;   /* the user's BLIS_NUM_THREADS, 0 if unset */
	if (from_env < 0) {
		const char *e = getenv("BLIS_NUM_THREADS");
		from_env = e && atoi(e) > 0 ? atoi(e) : 0;
	}
	if (m * n * k * (complex_ ? 4 : 1) < GEMM_PAR_MIN)
		bli_thread_set_num_threads(1);
	else
		bli_thread_set_num_threads(from_env ? from_env : omp_get_max_threads());
}

/* Integer GEMM: rows of C in parallel, k and n in cache blocks; the inner
** j loop is unit-stride.  Products are formed in uint64 and stored in the
** matching unsigned type, so overflow wraps (defined behaviour) like NumPy. */
#define KB 256
#define NB 512
#define INT_GEMM(NAME, T, U) \
static void NAME(int64_t m, int64_t n, int64_t k, const T *A, int64_t lda, \
                 const T *B, int64_t ldb, T *C, int64_t ldc, int acc) \
{ \
	_Pragma("omp parallel for schedule(static) if (m * n * k > 32768)") \
	for (int64_t i = 0; i < m; i++) { \
		U *c = (U *)(C + i * ldc); \
		if (!acc) \
			memset(c, 0, sizeof(T) * (size_t)n); \
		for (int64_t j0 = 0; j0 < n; j0 += NB) { \
			int64_t j1 = j0 + NB < n ? j0 + NB : n; \
			for (int64_t p0 = 0; p0 < k; p0 += KB) { \
				int64_t p1 = p0 + KB < k ? p0 + KB : k; \
				for (int64_t p = p0; p < p1; p++) { \
					U aip = (U)A[i * lda + p]; \
					const U *b = (const U *)(B + p * ldb); \
					for (int64_t j = j0; j < j1; j++) \
						c[j] = (U)(c[j] + (uint64_t)aip * b[j]); \
				} \
			} \
		} \
	} \
}
INT_GEMM(gemm_u8, uint8_t, uint8_t)
INT_GEMM(gemm_i8, int8_t, uint8_t)
INT_GEMM(gemm_i16, int16_t, uint16_t)
INT_GEMM(gemm_i32, int32_t, uint32_t)
INT_GEMM(gemm_i64, int64_t, uint64_t)

/* bool: C[i, j] = OR_p (A[i, p] AND B[p, j]), like NumPy's bool matmul. */
static void gemm_bool(int64_t m, int64_t n, int64_t k, const uint8_t *A, int64_t lda,
                      const uint8_t *B, int64_t ldb, uint8_t *C, int64_t ldc, int acc)
{
	#pragma omp parallel for schedule(static) if (m * n * k > 32768)
	for (int64_t i = 0; i < m; i++) {
		uint8_t *c = C + i * ldc;
		if (!acc)
			memset(c, 0, (size_t)n);
		for (int64_t p = 0; p < k; p++) {
			if (!A[i * lda + p])
				continue;
			const uint8_t *b = B + p * ldb;
			for (int64_t j = 0; j < n; j++)
				c[j] |= b[j] != 0;
		}
	}
}

int hk_cpu_gemm(int dtype, int64_t m, int64_t n, int64_t k,
                const void *A, int64_t lda, const void *B, int64_t ldb,
                void *C, int64_t ldc, int accumulate)
{
	if (m <= 0 || n <= 0)
		return 0;
	if (k <= 0) {
		if (!accumulate)
			for (int64_t i = 0; i < m; i++)
				memset((char *)C + (size_t)(i * ldc) * hk_dtype_size(dtype), 0,
				       (size_t)n * hk_dtype_size(dtype));
		return 0;
	}
	/* BLAS wants leading dimensions of at least 1 */
	if (lda < 1) lda = 1;
	if (ldb < 1) ldb = 1;
	if (ldc < 1) ldc = 1;
	switch (dtype) {
	case HK_FLOAT32:
		blis_threads(m, n, k, 0);
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, A, lda, B, ldb,
		            accumulate ? 1.0f : 0.0f, C, ldc);
		return 0;
	case HK_FLOAT64:
		blis_threads(m, n, k, 0);
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A, lda, B, ldb,
		            accumulate ? 1.0 : 0.0, C, ldc);
		return 0;
	case HK_COMPLEX64: {
		float complex one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
		blis_threads(m, n, k, 1);
		cblas_cgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, &one, A, lda, B, ldb,
		            &beta, C, ldc);
		return 0;
	}
	case HK_COMPLEX128: {
		double complex one = 1.0, beta = accumulate ? 1.0 : 0.0;
		blis_threads(m, n, k, 1);
		cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, &one, A, lda, B, ldb,
		            &beta, C, ldc);
		return 0;
	}
	case HK_BOOL: gemm_bool(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	case HK_UINT8: gemm_u8(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	case HK_INT8: gemm_i8(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	case HK_INT16: gemm_i16(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	case HK_INT32: gemm_i32(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	case HK_INT64: gemm_i64(m, n, k, A, lda, B, ldb, C, ldc, accumulate); return 0;
	default: return -1;
	}
}
