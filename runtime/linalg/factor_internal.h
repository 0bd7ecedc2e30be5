/*
** factor_internal.h — what the factorization files (qr.c svd.c hsvd.c
** solve.c eigh.c factor_batch.c) share: LAPACK/BLAS calls generic over
** float32/float64/complex64/complex128, input checks, gathering a matrix
** on every rank, agreeing on data-dependent failures, TSQR, and the
** batched (ndim > 2) drivers.  Not public API.
*/
#ifndef HA_FACTOR_INTERNAL_H
#define HA_FACTOR_INTERNAL_H

#include <lapacke.h>
#include <cblas.h>

#include "ha.h"

/* One LAPACKE call for float32, float64, complex64 or complex128 (s, d,
** c, z): pointer arguments are void * (converted implicitly), scalars
** convert to the routine's precision.  FL_LAPACK_RC names the real and the
** complex routine when they differ (orglq/unglq, syevd/heevd); the complex
** routines used here take the same arguments as their real partners, with
** real arrays where the result is real (singular values, eigenvalues).
** FL_LAPACK_MT runs with BLIS's current thread count (for big panels);
** FL_LAPACK runs BLIS single-threaded: the small factorizations make many
** tiny BLAS calls, and a parallel region per call costs far more than the
** work (on a loaded machine, seconds for a 9 x 9 Cholesky). */
#define FL_LAPACK_RC_MT(t, rfn, cfn, ...) \
	((t) == HA_FLOAT32 ? LAPACKE_s##rfn(__VA_ARGS__) \
	 : (t) == HA_FLOAT64 ? LAPACKE_d##rfn(__VA_ARGS__) \
	 : (t) == HA_COMPLEX64 ? LAPACKE_c##cfn(__VA_ARGS__) : LAPACKE_z##cfn(__VA_ARGS__))
#define FL_LAPACK_RC(t, rfn, cfn, ...) \
	__extension__({ int fl_old_ = fl_blis_serial(); \
	                lapack_int fl_r_ = FL_LAPACK_RC_MT(t, rfn, cfn, __VA_ARGS__); \
	                fl_blis_restore(fl_old_); fl_r_; })
#define FL_LAPACK_MT(t, fn, ...) FL_LAPACK_RC_MT(t, fn, fn, __VA_ARGS__)
#define FL_LAPACK(t, fn, ...) FL_LAPACK_RC(t, fn, fn, __VA_ARGS__)
/* Set BLIS to one thread; returns the previous count (0: left alone
** because the user fixed BLIS_NUM_THREADS). */
int fl_blis_serial(void);
void fl_blis_restore(int old);

/* Row-major C = alpha op(A) op(B) + beta C (BLIS), real alpha and beta.
** op is the transpose for float types and the CONJUGATE transpose for
** complex ones (Q^H b where the real code forms Q^T b). */
void fl_gemm(ha_dtype t, int transa, int transb, int64_t m, int64_t n, int64_t k, double alpha,
             const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
             int64_t ldc);

/* fl_input flags: also accept 1-D arrays (right-hand sides), complex64/
** complex128, and ndim > 2 (a batch of matrices in the last two axes). */
#define FL_1D      1
#define FL_COMPLEX 2
#define FL_BATCH   4
/* The input converted for factoring: 2-D (or what `flags` allows), float32
** or float64, or complex with FL_COMPLEX (bool/ints -> promote_types(t,
** float32)), a new reference.  TypeError for complex without FL_COMPLEX,
** ValueError for the wrong number of dimensions.  `fn` names the function
** in messages. */
ha_array *fl_input(const ha_array *a, const char *fn, int flags);
/* ValueError "Last 2 dimensions of the array must be square" unless a's
** last two dimensions are equal (a has at least 2).  Returns 0 or -1. */
int fl_require_square(const ha_array *a);

/* The whole matrix on every rank: a new reference to a replicated array
** (a itself when it is not distributed, else one Allgatherv). */
ha_array *fl_replicated(const ha_array *a);
/* A new array of shape (ndim, shape) from the same full data on every rank,
** keeping only this rank's chunk along split (like a's comm and device). */
ha_array *fl_from_full(const ha_array *like, ha_dtype t, int ndim, const int64_t *shape,
                       const void *data, int split);

/* 1 on every rank when `bad` is non-zero on any rank (one 4-byte Allreduce
** charged to `what` when the communicator has more than one rank); -1 when
** the Allreduce itself failed. */
int fl_any(int bad, ha_comm *c, const char *what);

/* Local QR of a row-major m x n buffer w (overwritten) by the LQ
** factorization of its column-major transposed view (no copies).  On
** return the first k = min(m, n) rows of w hold R in their upper triangle.
** tau gets k entries.  Returns the LAPACK info. */
int fl_qr_local(ha_dtype t, int64_t m, int64_t n, void *w, void *tau);
/* Copy R (k x n, zeros below the diagonal) out of a factored w. */
void fl_extract_r(ha_dtype t, int64_t k, int64_t n, const void *w, void *r);
/* After fl_qr_local: form Q (m x k) in place of w, then compact it to a
** contiguous m x k buffer q (q may equal w).  Returns the LAPACK info. */
int fl_form_q(ha_dtype t, int64_t m, int64_t n, void *w, void *tau, void *q);

/* TSQR of a 2-D float array that is split 0 or not distributed.  Writes
** *k = min(m, n), *r (k x n, malloc'd, identical on every rank) and, with
** want_q, *q (this rank's m_i x k rows of Q, malloc'd; m_i = lshape[0]).
** Distributed: ONE Allgatherv charged to `what`.  Returns 0 or -1 (agreed). */
int fl_tsqr(const ha_array *a, int want_q, void **q, void **r, int64_t *k, const char *what);

/* ---- per-matrix kernels on raw row-major buffers (factor_batch.c) ----
** The input is read, never written.  Each returns 0, a LAPACK info > 0
** (numerical failure: singular, not positive definite, no convergence) or
** -1 (allocation failure or LAPACK argument error).  Real outputs (s, w)
** have ha_dtype_real(t). */
int fl_k_qr(ha_dtype t, int64_t m, int64_t n, const void *a, void *q, void *r);
int fl_k_svd(ha_dtype t, int64_t m, int64_t n, const void *a, void *u, void *s, void *vt);
int fl_k_inv(ha_dtype t, int64_t n, const void *a, void *out);
int fl_k_det(ha_dtype t, int64_t n, const void *a, void *out);   /* singular: 0, not an error */
/* Multiply (*re, *im) by the determinant of an n x n getrf result: the
** product of lu's diagonal, negated once per row swap in ipiv (1-based). */
void fl_det_product(ha_dtype t, int64_t n, const void *lu, const lapack_int *ipiv, double *re,
                    double *im);
int fl_k_solve(ha_dtype t, int64_t n, int64_t nrhs, const void *a, const void *b, void *x);
int fl_k_cholesky(ha_dtype t, int64_t n, const void *a, void *out);
int fl_k_eigh(ha_dtype t, int64_t n, const void *a, void *w, void *v);

/* ---- batched entry points (factor_batch.c): a->ndim > 2 ----
** The same contracts as ha_qr ... ha_eigh with leading batch axes; see
** ha_factor.h for the distribution rules. */
int fl_batch_qr(const ha_array *a, int want_q, ha_array **q, ha_array **r);
int fl_batch_svd(const ha_array *a, int compute_uv, ha_array **u, ha_array **s, ha_array **vt);
ha_array *fl_batch_inv(const ha_array *a);
ha_array *fl_batch_det(const ha_array *a);
ha_array *fl_batch_cholesky(const ha_array *a);
int fl_batch_eigh(const ha_array *a, ha_array **w, ha_array **v);
/* solve with a->ndim > 2 or b->ndim > 2 (batch axes broadcast). */
ha_array *fl_batch_solve(const ha_array *a, const ha_array *b);

/* Frobenius norm of a distributed/replicated 2-D float array (one
** Allreduce charged to `what` when distributed). */
int fl_fro_norm(const ha_array *a, double *out, const char *what);

#endif
