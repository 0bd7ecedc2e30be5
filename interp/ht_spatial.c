/*
** ht_spatial.c — ht.spatial: cdist, manhattan, rbf (Heat's
** heat/spatial/distance.py).  The runtime (runtime/spatial.c) computes
** the blocks and runs the ring; these wrappers convert arguments.  As in
** Heat, the names live only in the ht.spatial module.
*/
#include "ht_internal.h"

static int opt_flag(hi_val v, int *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = 0;
		return 0;
	}
	*out = hi_truthy(v);
	return *out < 0 ? -1 : 0;
}

/* X and the optional Y (None: Y = X) as runtime arrays. */
static int operands(hi_val x, hi_val y, ha_array **X, ha_array **Y)
{
	*X = hi_as_array(x, -1, NULL);
	if (!*X)
		return -1;
	*Y = NULL;
	if (hi_isabsent(y) || y.kind == HI_NONE)
		return 0;
	*Y = hi_as_array(y, -1, (*X)->comm);
	if (!*Y) {
		ha_release(*X);
		return -1;
	}
	return 0;
}

static hi_val finish(ha_array *X, ha_array *Y, ha_array *r)
{
	ha_release(X);
	if (Y)
		ha_release(Y);
	return hi_array_new(r);
}

/* cdist(X, Y=None, quadratic_expansion=False) */
static hi_val f_cdist(hi_val *a, void *ctx)
{
	(void)ctx;
	int quad;
	ha_array *X, *Y;
	if (opt_flag(a[2], &quad) || operands(a[0], a[1], &X, &Y))
		return hi_err();
	return finish(X, Y, ha_cdist(X, Y, quad));
}

/* manhattan(X, Y=None, expand=False) */
static hi_val f_manhattan(hi_val *a, void *ctx)
{
	(void)ctx;
	int expand;
	ha_array *X, *Y;
	if (opt_flag(a[2], &expand) || operands(a[0], a[1], &X, &Y))
		return hi_err();
	return finish(X, Y, ha_manhattan(X, Y));
}

/* rbf(X, Y=None, sigma=1.0, quadratic_expansion=False) */
static hi_val f_rbf(hi_val *a, void *ctx)
{
	(void)ctx;
	int quad;
	double sigma;
	ha_array *X, *Y;
	if (hi_as_double(a[2], &sigma, "sigma") || opt_flag(a[3], &quad) || operands(a[0], a[1], &X, &Y))
		return hi_err();
	return finish(X, Y, ha_rbf(X, Y, sigma, quad));
}

#define DIST_DOC \
	"Distribution (X and Y are samples x features; a split other than 0 is\n" \
	"first resplit to 0):\n" \
	"    X split=None, Y split=None -> result split=None, local\n" \
	"    X split=0,    Y split=None -> result split=0, local (X's rows against all of Y)\n" \
	"    X split=None, Y split=0    -> result split=1, local (all of X against Y's rows)\n" \
	"    X split=0,    Y split=0    -> result split=0: Y's chunks travel around the\n" \
	"        ring (P-1 non-blocking exchanges, each overlapped with the block of\n" \
	"        columns it gives); every rank fills its own rows.\n" \
	"Y=None means Y = X. Memory per rank: its chunks, its rows of the result\n" \
	"and two chunk buffers. Result dtype: float32, or float64 when an input is\n" \
	"float64. ValueError when X and Y have different numbers of features."

static const hi_builtin_def spatial_defs[] = {
	{ "cdist(X, Y=None, quadratic_expansion=False)", f_cdist,
	  "Euclidean distances between the rows of X (n x f) and the rows of Y\n"
	  "(m x f): an n x m DNDarray with D[i, j] = ||X[i] - Y[j]||.\n\n"
	  "Parameters\n----------\n"
	  "X : DNDarray\n    2-D data, samples along axis 0.\n"
	  "Y : DNDarray, optional\n    2-D data with the same number of features; None means X.\n"
	  "quadratic_expansion : bool, optional\n"
	  "    Compute ||x||^2 + ||y||^2 - 2 x.y with one matrix product (GEMM) per\n"
	  "    block, clamped at 0 before the square root. Much faster for many\n"
	  "    features; loses accuracy for nearly equal points.\n\n"
	  DIST_DOC "\n\n"
	  "Examples\n--------\n"
	  ">>> X = ht.array([[0.0, 0.0], [3.0, 4.0]], split=0)\n"
	  ">>> ht.spatial.cdist(X)\n"
	  "DNDarray([[0., 5.],\n          [5., 0.]], dtype=ht.float32, device=cpu:0, split=0)" },
	{ "manhattan(X, Y=None, expand=False)", f_manhattan,
	  "Manhattan (L1, city-block) distances between the rows of X and Y:\n"
	  "D[i, j] = sum_k |X[i, k] - Y[j, k]|.\n\n"
	  "Parameters\n----------\n"
	  "X : DNDarray\n    2-D data, samples along axis 0.\n"
	  "Y : DNDarray, optional\n    2-D data with the same number of features; None means X.\n"
	  "expand : bool, optional\n"
	  "    Heat's choice between two torch formulations of the same values;\n"
	  "    accepted for compatibility (both give the same result here).\n\n"
	  DIST_DOC },
	{ "rbf(X, Y=None, sigma=1.0, quadratic_expansion=False)", f_rbf,
	  "Gaussian (radial basis function) kernel between the rows of X and Y:\n"
	  "K[i, j] = exp(-||X[i] - Y[j]||^2 / (2 sigma^2)).\n\n"
	  "Parameters\n----------\n"
	  "X : DNDarray\n    2-D data, samples along axis 0.\n"
	  "Y : DNDarray, optional\n    2-D data with the same number of features; None means X.\n"
	  "sigma : float, optional\n    Kernel width (positive; ValueError otherwise).\n"
	  "quadratic_expansion : bool, optional\n"
	  "    Squared distances through ||x||^2 + ||y||^2 - 2 x.y (one GEMM per block).\n\n"
	  DIST_DOC },
	{ 0 }
};

void hi_init_ht_spatial(hi_val spatial_module)
{
	hi_ht_register_into(spatial_module, spatial_defs);
}
