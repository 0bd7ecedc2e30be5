/*
** ha_factor.h — matrix factorizations and dense solvers on distributed
** arrays (runtime/linalg/qr.c svd.c hsvd.c solve.c eigh.c, batched forms
** in factor_batch.c solve_batch.c, per-matrix kernels in
** batch_kernels.c).  Included by ha.h; do not include directly.
**
** Dtypes: float32, float64, complex64 and complex128 are computed in their
** own precision (LAPACK s/d/c/z routines, BLIS GEMM).  Bool and integer
** inputs are first converted to promote_types(t, float32) (int32 ->
** float32, int64 -> float64).  Complex semantics are NumPy's: Q^H Q = I,
** A = U diag(S) V^H, A = L L^H, A = V diag(w) V^H for Hermitian A; S, w and
** lstsq's residuals and s are REAL (float32 for complex64, float64 for
** complex128); det is complex.  hsvd is real only (complex: TypeError).
**
** Batches (NumPy's linalg broadcasting): qr, svd, inv, det, solve,
** cholesky and eigh accept ndim > 2 — the last two axes are the matrix,
** the leading ones a batch, and every result gets the batch axes in front
** (qr of (b, m, n): Q (b, m, k), R (b, k, n); det of (b, n, n): (b,); svd
** S: (b, k); eigh w: (b, n)).  lstsq and hsvd take 2-D arrays only (as
** NumPy's lstsq): ValueError "3-dimensional array given. Array must be
** two-dimensional".  Fewer than 2 dimensions: ValueError "1-dimensional
** array given. Array must be at least two-dimensional".
**   split None:            every rank loops over all matrices (LAPACK per
**                          matrix); results replicated; no communication
**                          except the failure agreement below.
**   split on a batch axis: each rank factors the matrices it holds; every
**                          result keeps that split and chunk map.  No data
**                          moves: one 4-byte Allreduce agrees on failures.
**   split on a matrix axis: results get the split the 2-D function gives,
**                          shifted past the batch axes (qr row split: Q on
**                          the row axis, R replicated; ...).  When the
**                          longest batch axis has at least P entries the
**                          array is resplit to it (ONE Alltoallv), factored
**                          locally, and each result resplit to its split
**                          (one Alltoallv, or an Allgatherv for a
**                          replicated result); with fewer matrices than
**                          ranks the 2-D algorithm runs once per matrix
**                          (TSQR, gather + LAPACK) and the results are
**                          stacked.
**
** Every function is collective over the array's communicator.  Errors
** that depend on data (a singular or indefinite matrix, in any matrix of a
** batch) are found on replicated data (the distributed LU's pivots are
** decided on a panel every rank holds) or agreed with one 4-byte
** Allreduce, so every rank raises the same ValueError:
**   "Singular matrix"                                 inv, solve
**   "Matrix is not positive definite"                 cholesky
**   "Last 2 dimensions of the array must be square"   inv det solve cholesky eigh
** Communication is charged to the function's name ("qr", "svd", "hsvd",
** "inv", ...) in the comm counters.
*/
#ifndef HA_FACTOR_H
#define HA_FACTOR_H

/* ---- QR (runtime/linalg/qr.c) ----
** A = Q R with Q (m x k) orthonormal columns (Q^H Q = I) and R (k x n) upper
** triangular (trapezoidal when m < n), k = min(m, n): NumPy's "reduced".
** With want_q = 0 only R is computed (*q is set to NULL): mode "r".
**   split None:  local LAPACK (gelqf/orglq or unglq: the LQ of the
**                transposed row-major view, no copies; plain transposes
**                are right for complex data too, since Q' Q'^H = I gives
**                (Q'^T)^H Q'^T = I); Q and R replicated; no communication.
**   split 0:     TSQR: each rank factors its row block, the small R
**                factors (min(m_i, n) x n each) are gathered with ONE
**                Allgatherv ("qr"), every rank factors the stacked Rs
**                identically, and each rank multiplies its local Q by
**                its rows of the stacked Q (one local GEMM).  Any shape;
**                Q split 0 (A's chunk map), R replicated.  Bytes moved:
**                P * sum_i min(m_i, n) * n * elsize.
**   split 1:     m < 2 P n (square, wide, moderately tall): block
**                Gram-Schmidt over the ranks' column blocks, in rank
**                order (Heat's algorithm), with BCGS2 reorthogonalisation
**                of a block whose estimated loss of orthogonality needs
**                it, so ||Q^T Q - I|| ~ eps for eps * cond(A) < 1.  Per
**                block one Bcast of its m x k_r Q columns, plus one
**                Allreduce of (m + k_before) x k_r when reorthogonalised
**                ("qr").  Q's columns follow A's column distribution (rank
**                r holds the k_r columns its block adds; a wide matrix is
**                complete after m columns), R has A's chunk map; memory
**                per rank O(m n / P + m max n_r).
**                m >= 2 P n (tall-skinny): A is resplit to 0 (one
**                Alltoallv), factored by TSQR, and Q is resplit back to 1
**                (one Alltoallv); R is sliced locally to split 1.
**                Q and R split 1 like Heat's.
** Returns 0, or -1 with the error record set (every rank). */
int ha_qr(const ha_array *a, int want_q, ha_array **q, ha_array **r);

/* ---- SVD (runtime/linalg/svd.c) ----
** A = U diag(S) Vt, reduced (k = min(m, n)); S descending (NumPy's and
** Heat's order) and real; Vt = V^H for complex A.  full_matrices is not
** offered (Heat neither).
** Distribution: the factor that carries A's long dimension stays
** distributed, the small ones are replicated.
**   split None:          local gesdd; all replicated.
**   m >= n, split 0/1:   TSQR of A (split 1 is first resplit to 0, one
**                        Alltoallv), then an SVD of the n x n R on every
**                        rank; U = Q Ur is one local GEMM.  U split 0,
**                        S and Vt replicated.
**   m <  n, split 0/1:   the same on A^T (a local transpose; for complex
**                        A^T = U' S V'^H gives U = (V'^H)^T, Vt = U'^T,
**                        no conjugation); U and S replicated, Vt split 1.
** compute_uv = 0: only S (*u and *vt set to NULL; Q is never formed). */
int ha_svd(const ha_array *a, int compute_uv, ha_array **u, ha_array **s, ha_array **vt);

/* ---- hierarchical SVD (runtime/linalg/hsvd.c), Heat's hsvd ----
** Truncated SVD A ~ U diag(S) V^T (V, not V^T, like Heat).  Works on the
** column blocks of a split-1 view (a split-0 input is transposed and the
** roles of U and V swap at the end).  Each rank computes a truncated SVD
** of its column block; the scaled U*S blocks are sent up a merge tree
** (at most maxmergedim columns and 2 blocks per merge: Heat's grouping)
** and re-truncated at every level; rank 0 broadcasts the final U.  Then
** V = A^T U (local GEMM), S = column norms of V (one Allreduce), V /= S.
** Singular values below 1e-7 (float32) / 1e-14 (float64) are dropped.
** *err receives Heat's a-posteriori estimate of ||A - U S V^T||_F/||A||_F
** (from the discarded singular values along the true merge tree).
** A replicated input is one node: no communication.
** Result splits: split-1 (or None) input: U replicated, V split 0 (rows of
** V follow A's columns); split-0 input: U split 0, V replicated.
** With compute_sv = 0 only U is formed (*s, *v set to NULL).
**
** hsvd_rank: truncation rank maxrank (>= 1); maxmergedim <= 0 means
** Heat's default (max local column count, at least 2*(maxrank +
** safetyshift) + 1); RuntimeError when maxmergedim is given and smaller
** than 2*(maxrank + safetyshift) + 1. */
int ha_hsvd_rank(const ha_array *a, int64_t maxrank, int compute_sv, int64_t maxmergedim,
                 int64_t safetyshift, ha_array **u, ha_array **s, ha_array **v, double *err);
/* hsvd_rtol: local absolute tolerance ||A||_F * rtol / sqrt(2P - 1)
** (worst case of a binary tree); maxrank/maxmergedim <= 0 mean None
** (Heat's defaults), no_of_merges <= 0 means 2. */
int ha_hsvd_rtol(const ha_array *a, double rtol, int compute_sv, int64_t maxrank,
                 int64_t maxmergedim, int64_t safetyshift, int64_t no_of_merges,
                 ha_array **u, ha_array **s, ha_array **v, double *err);

/* ---- dense solvers (runtime/linalg/solve.c, lu.c) ----
** Replicated matrices: LAPACK on every rank, no communication.
** inv, det, solve of a distributed (split 0 or 1) real matrix: a
** distributed LU with partial pivoting (lu.c), never gathering A.  A is
** held by rows (split 1 is first resplit to 0, one Alltoallv); rows stay
** on their rank.  Per panel of 128 columns: ONE Allgatherv of the panel
** columns of the active rows (every rank factors the same panel; pivot =
** largest magnitude, lowest global row on ties, so the pivots do not
** depend on the rank count) and ONE Allgatherv of the panel's U rows, then
** one local GEMM for the trailing update.  Right-hand sides (b, or I for
** inv) ride along as extra columns; the back substitution takes one
** Allgatherv per 128 rows.  Memory per rank O(n (n + k) / P + 128 (n + k));
** communication per rank about n^2 + 2 n k elements in 3n/128 calls, plus a
** resplit of a split-1 A and a resplit/redistribute of a distributed b to
** A's rows.  det needs nothing after the factorization.  Flops per rank
** about (n^3/3 + n^2 k) / P when the pivots spread over the ranks, plus a
** redundant panel factorization (n^2 * 32); a strongly diagonally dominant
** matrix finishes rank 0's rows first (block-row load balance).
** cholesky gathers a distributed matrix on every rank (one Allgatherv, n^2
** elements) and runs LAPACK there; the result is sliced back locally. */
/* Inverse (getrf + getri; distributed: LU of [A | I]); result split =
** a's.  "Singular matrix". */
ha_array *ha_inv(const ha_array *a);
/* Determinant (getrf, or the distributed LU: product of the pivots in a
** scaled form, times the permutation's sign; exactly singular gives 0);
** 0-d replicated array. */
ha_array *ha_det(const ha_array *a);
/* Solve A x = b for square A; b (n,) or (n, k); result has b's shape and
** split (gesv, or the distributed LU of [A | b]).  ValueError for mismatched shapes; "Singular matrix".
** Batched (a or b with ndim > 2): b is a stack of vectors when b.ndim ==
** a.ndim - 1 (NumPy 1.x) or b is 1-D (NumPy 2), else a stack of n x k
** matrices; the batch axes broadcast (ValueError when they do not).  The
** result is split on a batch axis on which a (first) or b is already
** split, with that operand's chunk map (the other operand is used where it
** is, or gathered); otherwise, when an operand is split on a matrix axis,
** both are resplit to the longest batch axis, solved there, and the
** result is resplit to b's split (None when b is not split). */
ha_array *ha_solve(const ha_array *a, const ha_array *b);
/* Lower Cholesky factor L (A = L L^H; potrf reads the lower triangle only,
** like NumPy); result split = a's.  "Matrix is not positive definite". */
ha_array *ha_cholesky(const ha_array *a);
/* Least squares min ||A x - b||_2 (NumPy's lstsq): x (n,) or (n, k),
** residuals (sums of squared residuals per column; shape (k,) / (1,)
** only when rank == n < m, else (0,)), *rank, singular values s of A
** (descending).  rcond < 0 means NumPy's default eps * max(m, n).
**   A split 0 (distributed) with m >= n: TSQR of A, Q^H b by local GEMMs
**     plus one Allreduce, then gelsd on the n x n R (its singular values
**     are A's); residuals from the local rows plus one Allreduce; b is
**     aligned to A's rows (a local slice when replicated, a redistribute
**     or resplit otherwise).  No n x m data moves.
**   otherwise: A and b are gathered (Allgatherv) and gelsd runs on every
**     rank.
** x, residuals and s are replicated. */
int ha_lstsq(const ha_array *a, const ha_array *b, double rcond, ha_array **x,
             ha_array **residuals, int64_t *rank, ha_array **s);

/* ---- symmetric / Hermitian eigenproblem (runtime/linalg/eigh.c) ----
** A = V diag(w) V^H for symmetric or Hermitian A (syevd/heevd; reads the
** lower triangle, like NumPy's UPLO='L'; symmetry is not checked).  w is
** real and ASCENDING (NumPy's order; Heat's eigh returns them
** descending).  Gather-based (one Allgatherv of n^2 elements); w
** replicated, V (columns = eigenvectors) has a's split. */
int ha_eigh(const ha_array *a, ha_array **w, ha_array **v);

#endif
