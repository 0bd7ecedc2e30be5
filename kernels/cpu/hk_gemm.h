/*
** hk_gemm.h — local matrix products on one device, no MPI
** (kernels/cpu/gemm_cpu.c).  The distributed algorithms of
** runtime/linalg/ call these on their local blocks.
*/
#ifndef HK_GEMM_H
#define HK_GEMM_H

#include <stdint.h>

/* C (m x n) = A (m x k) @ B (k x n), or C += A @ B when `accumulate`.
** Row-major with leading dimensions lda, ldb, ldc in elements; all three
** operands have dtype `dtype` (an hk_dtype).  float32/64 and complex64/128
** go to BLIS (cblas_?gemm) with as many BLIS threads as this rank's
** OpenMP threads (unless BLIS_NUM_THREADS is set); integers and bool use a
** blocked OpenMP loop (integers wrap like NumPy; bool is OR of ANDs).
** k == 0 gives zeros (or leaves C when accumulating).  Returns 0, or -1
** for a dtype it does not know. */
int hk_cpu_gemm(int dtype, int64_t m, int64_t n, int64_t k,
                const void *A, int64_t lda, const void *B, int64_t ldb,
                void *C, int64_t ldc, int accumulate);

#endif
