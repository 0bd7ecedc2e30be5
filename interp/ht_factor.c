/*
** ht_factor.c — factorizations and dense solvers in the language: qr,
** svd, hsvd_rank, hsvd_rtol, inv, det, solve, lstsq, cholesky, eigh.
** Registered as ht.linalg.NAME, ht.NAME and global NAME.  The runtime
** (include/ha_factor.h) does the work; this file converts arguments and
** packs results into tuples the way Heat (and NumPy for lstsq) return
** them.
*/
#include <stdio.h>
#include <string.h>

#include "ht_internal.h"

static ha_array *arg_array(hi_val v)
{
	return hi_as_array(v, -1, NULL);
}

/* The matrix and the right-hand side of solve / lstsq (a[0], a[1]). */
static int arg_pair(const hi_val *a, ha_array **x, ha_array **b)
{
	if (!(*x = arg_array(a[0])))
		return -1;
	if (!(*b = arg_array(a[1]))) {
		ha_release(*x);
		return -1;
	}
	return 0;
}

static int opt_int(hi_val v, int64_t dflt, int64_t *out, const char *what)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	return hi_as_int64(v, out, what);
}

static int opt_flag(hi_val v, int dflt, int *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	*out = hi_truthy(v);
	return *out < 0 ? -1 : 0;
}

/* Steal the arrays into a tuple (NULL entries become None). */
static hi_val pack(int n, ha_array **arrs)
{
	hi_val t = hi_tuple_new((size_t)n);
	if (hi_iserr(t)) {
		for (int i = 0; i < n; i++)
			if (arrs[i])
				ha_release(arrs[i]);
		return t;
	}
	for (int i = 0; i < n; i++) {
		if (!arrs[i])
			continue;
		hi_val v = hi_array_new(arrs[i]);
		if (hi_iserr(v)) {
			for (int j = i + 1; j < n; j++)
				if (arrs[j])
					ha_release(arrs[j]);
			hi_decref(t);
			return v;
		}
		hi_tuple_set(t, (size_t)i, v);
	}
	return t;
}

/* qr(A, mode="reduced") */
static hi_val f_qr(hi_val *a, void *ctx)
{
	(void)ctx;
	int want_q = 1;
	if (!hi_isabsent(a[1]) && a[1].kind != HI_NONE) {
		if (a[1].kind != HI_STR)
			return hi_raise(hi_TypeError, "mode must be a string, not '%s'", hi_type_name(a[1]));
		const char *m = hi_as_str(a[1])->s;
		if (!strcmp(m, "r"))
			want_q = 0;
		else if (strcmp(m, "reduced"))
			return hi_raise(hi_ValueError, "Unrecognized mode '%s': qr supports 'reduced' and 'r'", m);
	}
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *res[2] = { NULL, NULL };
	int rc = ha_qr(x, want_q, &res[0], &res[1]);
	ha_release(x);
	if (rc)
		return hi_raise_ha();
	return pack(2, res);
}

/* svd(A, full_matrices=False, compute_uv=True) */
static hi_val f_svd(hi_val *a, void *ctx)
{
	(void)ctx;
	int full, uv;
	if (opt_flag(a[1], 0, &full) || opt_flag(a[2], 1, &uv))
		return hi_err();
	if (full)
		return hi_raise(hi_NotImplementedError,
		                "full_matrices=True is not supported: svd returns the reduced factors (as Heat)");
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *res[3] = { NULL, NULL, NULL };
	int rc = uv ? ha_svd(x, 1, &res[0], &res[1], &res[2]) : ha_svd(x, 0, NULL, &res[1], NULL);
	ha_release(x);
	if (rc)
		return hi_raise_ha();
	if (!uv)
		return hi_array_new(res[1]);
	return pack(3, res);
}

/* (U, S, V, err) or (U, err); err a 0-d array like Heat's */
static hi_val hsvd_result(const ha_array *x, int sv, ha_array *u, ha_array *s, ha_array *v, double err)
{
	ha_array *e = ha_full(u->dtype, 0, NULL, ha_scalar_float(err), HA_SPLIT_NONE, x->device, x->comm);
	if (!e) {
		ha_release(u);
		if (s)
			ha_release(s);
		if (v)
			ha_release(v);
		return hi_raise_ha();
	}
	if (sv) {
		ha_array *r[4] = { u, s, v, e };
		return pack(4, r);
	}
	ha_array *r[2] = { u, e };
	return pack(2, r);
}

/* hsvd_rank(A, maxrank, compute_sv=False, maxmergedim=None, safetyshift=5, silent=True) */
static hi_val f_hsvd_rank(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t maxrank, mmd, shift;
	int sv;
	if (hi_as_int64(a[1], &maxrank, "maxrank") || opt_flag(a[2], 0, &sv)
	    || opt_int(a[3], 0, &mmd, "maxmergedim") || opt_int(a[4], 5, &shift, "safetyshift"))
		return hi_err();
	if (!hi_isabsent(a[3]) && a[3].kind != HI_NONE && mmd <= 0)
		return hi_raise(hi_ValueError, "maxmergedim must be positive, got %lld", (long long)mmd);
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *u, *s = NULL, *v = NULL;
	double err;
	int rc = ha_hsvd_rank(x, maxrank, sv, mmd, shift, &u, &s, &v, &err);
	hi_val r = rc ? hi_raise_ha() : hsvd_result(x, sv, u, s, v, err);
	ha_release(x);
	return r;
}

/* hsvd_rtol(A, rtol, compute_sv=False, maxrank=None, maxmergedim=None,
** safetyshift=5, no_of_merges=None, silent=True) */
static hi_val f_hsvd_rtol(hi_val *a, void *ctx)
{
	(void)ctx;
	double rtol;
	int64_t maxrank, mmd, shift, merges;
	int sv;
	if (hi_as_double(a[1], &rtol, "rtol") || opt_flag(a[2], 0, &sv)
	    || opt_int(a[3], 0, &maxrank, "maxrank") || opt_int(a[4], 0, &mmd, "maxmergedim")
	    || opt_int(a[5], 5, &shift, "safetyshift") || opt_int(a[6], 0, &merges, "no_of_merges"))
		return hi_err();
	if (!hi_isabsent(a[3]) && a[3].kind != HI_NONE && maxrank <= 0)
		return hi_raise(hi_ValueError, "maxrank must be positive, got %lld", (long long)maxrank);
	if (!hi_isabsent(a[4]) && a[4].kind != HI_NONE && mmd <= 0)
		return hi_raise(hi_ValueError, "maxmergedim must be positive, got %lld", (long long)mmd);
	if (!hi_isabsent(a[6]) && a[6].kind != HI_NONE && merges < 2)
		return hi_raise(hi_ValueError, "`no_of_merges` must be >= 2.");
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *u, *s = NULL, *v = NULL;
	double err;
	int rc = ha_hsvd_rtol(x, rtol, sv, maxrank, mmd, shift, merges, &u, &s, &v, &err);
	hi_val r = rc ? hi_raise_ha() : hsvd_result(x, sv, u, s, v, err);
	ha_release(x);
	return r;
}

static hi_val f_inv(hi_val *a, void *ctx) { (void)ctx; return hi_array_apply(a[0], ha_inv); }
static hi_val f_det(hi_val *a, void *ctx) { (void)ctx; return hi_array_apply(a[0], ha_det); }
static hi_val f_cholesky(hi_val *a, void *ctx) { (void)ctx; return hi_array_apply(a[0], ha_cholesky); }

static hi_val f_solve(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x, *b;
	if (arg_pair(a, &x, &b))
		return hi_err();
	ha_array *r = ha_solve(x, b);
	ha_release(x);
	ha_release(b);
	return hi_array_new(r);
}

/* lstsq(a, b, rcond=None) -> (x, residuals, rank, s) */
static hi_val f_lstsq(hi_val *a, void *ctx)
{
	(void)ctx;
	double rcond = -1;
	if (!hi_isabsent(a[2]) && a[2].kind != HI_NONE && hi_as_double(a[2], &rcond, "rcond"))
		return hi_err();
	ha_array *x, *b;
	if (arg_pair(a, &x, &b))
		return hi_err();
	ha_array *sol, *res, *s;
	int64_t rank;
	int rc = ha_lstsq(x, b, rcond, &sol, &res, &rank, &s);
	ha_release(x);
	ha_release(b);
	if (rc)
		return hi_raise_ha();
	hi_val vs[4] = { hi_array_new(sol), hi_array_new(res), hi_int(rank), hi_array_new(s) };
	hi_val t = hi_tuple_new(4);
	if (hi_iserr(t)) {
		for (int i = 0; i < 4; i++)
			hi_decref(vs[i]);
		return t;
	}
	for (int i = 0; i < 4; i++)
		hi_tuple_set(t, (size_t)i, vs[i]);
	return t;
}

/* eigh(a) -> (w, v) */
static hi_val f_eigh(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *res[2] = { NULL, NULL };
	int rc = ha_eigh(x, &res[0], &res[1]);
	ha_release(x);
	if (rc)
		return hi_raise_ha();
	return pack(2, res);
}

#define DTYPES \
	"\n\nfloat32, float64, complex64 and complex128 are factored in their own\n" \
	"precision (LAPACK s/d/c/z); bool and integer inputs become float32 (int64:\n" \
	"float64). Complex results follow NumPy: conjugate transposes (Q^H Q = I,\n" \
	"A = U S Vh, A = L L^H), and singular values and eigenvalues are real\n" \
	"(float32 for complex64)."

#define FLOATS DTYPES \
	"\n\nBatches: an array with more than 2 dimensions is a stack of matrices in\n" \
	"its last two axes (NumPy's rule); every result gets the batch axes in front.\n" \
	"Split on a batch axis: each rank factors the matrices it holds and the\n" \
	"results keep the split (no data moves; one 4-byte Allreduce agrees on\n" \
	"errors). Split None: every rank factors all of them. Split on one of the\n" \
	"last two axes: the results get the 2-D splits shifted past the batch axes;\n" \
	"the array is resplit to its longest batch axis (one Alltoallv), factored\n" \
	"locally, and the results resplit back, or, with fewer matrices than ranks,\n" \
	"the 2-D algorithm runs once per matrix."

#define GATHER \
	"\n\nDistribution (2-D): a split matrix is gathered on every rank (one Allgatherv of\n" \
	"its n^2 elements, O(n^2) communication per rank), LAPACK runs there, and the\n" \
	"result is sliced back to the input's split without further communication."

#define DIST_LU \
	"\n\nDistribution: a replicated matrix is solved by LAPACK on every rank. A split\n" \
	"real matrix (split 0 or 1) is never gathered: a distributed LU with partial\n" \
	"pivoting keeps each rank's rows (O(n^2/P) memory); per panel of 128 columns,\n" \
	"one Allgatherv of the panel and one of its U rows, then a local GEMM; about\n" \
	"n^2 elements of communication per rank in all. A split complex matrix is\n" \
	"gathered on every rank (one Allgatherv) and solved by LAPACK there."

static const hi_builtin_def factor_defs[] = {
	{ "qr(A, mode='reduced')", f_qr,
	  "QR decomposition A = Q R (reduced: Q is m x k with orthonormal columns, R is\n"
	  "k x n upper triangular, k = min(m, n)). Returns the tuple (Q, R); with\n"
	  "mode='r' only R is computed and the tuple is (None, R), as in Heat.\n\n"
	  "Parameters\n----------\nA : DNDarray\n    (..., m, n) array.\n"
	  "mode : str, optional\n    'reduced' (default) or 'r'.\n\n"
	  "Distribution (collective):\n"
	  "- split=None: local LAPACK; Q and R replicated, no communication.\n"
	  "- split=0: TSQR. Each rank factors its rows, the small R factors\n"
	  "  (min(rows, n) x n each) are gathered with ONE Allgatherv, every rank\n"
	  "  factors the stacked Rs, and each rank forms its rows of Q with one local\n"
	  "  GEMM. Works for every shape. Q split=0, R replicated.\n"
	  "- split=1, m < 2 P n: block Gram-Schmidt over the ranks' column blocks\n"
	  "  in rank order (one Bcast of each block's Q columns), reorthogonalised\n"
	  "  where needed (one Allreduce) so Q stays orthogonal to working precision.\n"
	  "- split=1, m >= 2 P n: A is resplit to 0 (one Alltoallv), factored by\n"
	  "  TSQR, and Q is resplit back (one Alltoallv). Q and R split=1, as in\n"
	  "  Heat." FLOATS "\n\n"
	  "Examples\n--------\n"
	  ">>> A = ht.random.randn(1000, 10, split=0)\n>>> Q, R = ht.linalg.qr(A)   # Q split=0, R replicated" },
	{ "svd(A, full_matrices=False, compute_uv=True)", f_svd,
	  "Singular value decomposition A = U diag(S) Vh (reduced, k = min(m, n)).\n"
	  "Returns (U, S, Vh), or S alone with compute_uv=False. S is real and\n"
	  "descending.\n"
	  "full_matrices=True raises NotImplementedError (Heat neither offers it).\n\n"
	  "Distribution (collective): the factor that carries A's long dimension\n"
	  "stays distributed, the small ones are replicated.\n"
	  "- split=None: local LAPACK (gesdd); all replicated.\n"
	  "- m >= n, split 0 or 1: TSQR of A (split 1 is first resplit to 0, one\n"
	  "  Alltoallv), then an SVD of the n x n R on every rank; U = Q Ur is one\n"
	  "  local GEMM. U split=0, S and Vh replicated.\n"
	  "- m < n: the same on A^T (a local transpose): U and S replicated, Vh\n"
	  "  split=1." FLOATS },
	{ "hsvd_rank(A, maxrank, compute_sv=False, maxmergedim=None, safetyshift=5, silent=True)",
	  f_hsvd_rank,
	  "Hierarchical truncated SVD with truncation rank maxrank (Heat's hsvd_rank).\n"
	  "Returns (U, S, V, err) with compute_sv=True, else (U, err); V (not V^T)\n"
	  "like Heat; err is a 0-d array estimating ||A - U diag(S) V^T||_F / ||A||_F\n"
	  "from the singular values discarded along the merge tree.\n\n"
	  "Each rank truncates the SVD of its column block (a split=0 input is\n"
	  "handled as its transpose and U and V swap at the end) to maxrank +\n"
	  "safetyshift columns; the U*S blocks are merged up a tree (point-to-point\n"
	  "messages, at most maxmergedim columns per merge) and re-truncated, and\n"
	  "rank 0 broadcasts the final U. Then V = A^T U (local GEMM), S = the column\n"
	  "norms of V (one Allreduce) and V /= S. Singular values below 1e-7\n"
	  "(float32) / 1e-14 (float64) are dropped. A replicated input is one node\n"
	  "(no communication). Splits: split=1 input -> U replicated, V split=0;\n"
	  "split=0 input -> U split=0, V replicated. RuntimeError when maxmergedim\n"
	  "is given and smaller than 2*(maxrank + safetyshift) + 1. `silent` is\n"
	  "accepted for Heat compatibility (nothing is printed)." },
	{ "hsvd_rtol(A, rtol, compute_sv=False, maxrank=None, maxmergedim=None, safetyshift=5, "
	  "no_of_merges=None, silent=True)",
	  f_hsvd_rtol,
	  "Hierarchical truncated SVD with a prescribed bound rtol on the relative\n"
	  "reconstruction error (Heat's hsvd_rtol). Each local truncation keeps the\n"
	  "fewest singular values whose discarded tail has norm below\n"
	  "||A||_F * rtol / sqrt(2P - 1) (the worst case of a binary merge tree),\n"
	  "limited by maxrank. Defaults as Heat: with neither maxrank nor\n"
	  "maxmergedim, a binary tree (no_of_merges=2) that may keep every column.\n"
	  "Returns (U, S, V, err) or (U, err); see hsvd_rank for the algorithm and\n"
	  "the splits. 2-D float32/float64 input only (complex: TypeError)." },
	{ "inv(a)", f_inv,
	  "Inverse of a square matrix (LU: getrf + getri). ValueError \"Singular\n"
	  "matrix\" for an exactly singular matrix; \"Last 2 dimensions of the array\n"
	  "must be square\" otherwise. The result has a's split." DIST_LU FLOATS },
	{ "det(a)", f_det,
	  "Determinant of a square matrix (LU: getrf; exactly singular gives 0).\n"
	  "Returns a 0-d replicated array (complex for complex input); a batch gives\n"
	  "one determinant per matrix, shape a.shape[:-2]." DIST_LU FLOATS },
	{ "solve(a, b)", f_solve,
	  "Solve a x = b for a square a and b of shape (n,) or (n, k) (gesv).\n"
	  "ValueError \"Singular matrix\" for a singular a (any matrix of a batch).\n"
	  "The result has b's shape and split.\n\n"
	  "Batches: b is a stack of vectors when b.ndim == a.ndim - 1 or b is 1-D,\n"
	  "else a stack of n x k matrices; the batch axes of a and b broadcast. The\n"
	  "result is split along a batch axis on which a (first) or b is already\n"
	  "split, with no data moved; otherwise it has b's split." DIST_LU FLOATS },
	{ "lstsq(a, b, rcond=None)", f_lstsq,
	  "Least-squares solution of a x = b, as NumPy: returns (x, residuals, rank,\n"
	  "s) with the minimum-norm x, the sums of squared residuals per column (only\n"
	  "when rank == n < m, else an empty array), the rank (int) and a's singular\n"
	  "values. rcond=None means eps * max(m, n).\n\n"
	  "Distribution (collective): a split=0 matrix with m >= n is reduced by TSQR\n"
	  "(ONE Allgatherv of the small R factors), Q^T b is formed locally and summed\n"
	  "with one Allreduce, the n x n problem is solved on every rank (gelsd) and\n"
	  "the residuals come from each rank's rows (one Allreduce): the m x n data\n"
	  "never moves. Other layouts gather a and b (Allgatherv). x, residuals and s\n"
	  "are replicated. s and residuals are real for complex input. Only 2-D a\n"
	  "(and 1-D or 2-D b), like NumPy." DTYPES },
	{ "cholesky(a)", f_cholesky,
	  "Lower Cholesky factor L with a = L L^H (potrf). Like NumPy only the lower\n"
	  "triangle of a is read (symmetry is assumed, not checked). ValueError\n"
	  "\"Matrix is not positive definite\" when the factorization fails. The\n"
	  "result has a's split." GATHER FLOATS },
	{ "eigh(a)", f_eigh,
	  "Eigenvalues and eigenvectors of a symmetric (real) or Hermitian (complex)\n"
	  "matrix: returns (w, v) with a = v diag(w) v^H. w is real, in ASCENDING\n"
	  "order, as NumPy returns it (Heat's eigh returns it descending). Only the\n"
	  "lower triangle is read (NumPy's UPLO='L'; symmetry is not checked). w is\n"
	  "replicated; v (eigenvectors in columns) has a's split." GATHER FLOATS },
	{ 0 }
};

void hi_init_ht_factor(void)
{
	hi_ht_register(factor_defs, 0);
	hi_val htd = hi_module_dict(hi_S.ht), linalg;
	if (hi_dict_get_str(htd, "linalg", &linalg) != 1)
		return;
	for (const hi_builtin_def *d = factor_defs; d->sig; d++) {
		char name[32];
		size_t n = strcspn(d->sig, "(");
		snprintf(name, sizeof name, "%.*s", (int)n, d->sig);
		hi_val f;
		if (hi_dict_get_str(htd, name, &f) == 1) {
			hi_dict_set_str(hi_module_dict(linalg), name, f);
			hi_decref(f);
		}
	}
	hi_decref(linalg);
}
