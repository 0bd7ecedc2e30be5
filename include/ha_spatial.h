/*
** ha_spatial.h — pairwise distances and kernels between the rows of two
** data matrices (runtime/spatial.c), and k-means clustering built on them
** (runtime/cluster.c).  Included by ha.h; do not include directly.
**
** Data matrices are 2-D (samples x features).  The result dtype is
** promote_types(X, Y, float32) (integers give float32, float64 stays);
** complex input is a TypeError.  ValueError when X and Y have different
** numbers of features.
**
** Distribution of the n x m result (Heat's table; a split other than 0 is
** first resplit to 0):
**   X None, Y None -> None   local
**   X 0,    Y None -> 0      local: each rank its rows of X against all of Y
**   X None, Y 0    -> 1      local: all of X against each rank's rows of Y
**   X 0,    Y 0    -> 0      ring: Y's chunks travel rank -> rank-1 in P-1
**                            non-blocking exchanges ("cdist"), each
**                            overlapped with the block of columns it gives
** Y NULL means Y = X (the ring of X's own chunks when X is split).
*/
#ifndef HA_SPATIAL_H
#define HA_SPATIAL_H

/* Euclidean distances sqrt(sum_k (x_k - y_k)^2).  quadratic_expansion
** computes ||x||^2 + ||y||^2 - 2 x.y with one GEMM per block (clamped at 0
** before the square root): much faster, less accurate for close points. */
ha_array *ha_cdist(const ha_array *X, const ha_array *Y, int quadratic_expansion);
/* Manhattan (L1) distances sum_k |x_k - y_k|. */
ha_array *ha_manhattan(const ha_array *X, const ha_array *Y);
/* Gaussian kernel exp(-||x - y||^2 / (2 sigma^2)); quadratic_expansion as
** for ha_cdist.  ValueError when sigma is not positive. */
ha_array *ha_rbf(const ha_array *X, const ha_array *Y, double sigma, int quadratic_expansion);

/* ---- k-means (runtime/cluster.c) ----
** Lloyd's algorithm on X (n x f, split 0 or None) from the k x f initial
** centroids `init` (replicated).  Each iteration: the squared distances of
** every local sample to the k centroids, the nearest one (ties: the lower
** index), then per-cluster sums and counts combined by ONE Allreduce
** ("kmeans") of k * (f + 1) doubles; a cluster that loses all its samples
** keeps its centroid.  Stops after max_iter iterations or when the sum of
** squared centroid shifts is <= tol.  Writes the new reference centers
** (k x f, replicated, the dtype of X as float), labels (n, int64, X's split),
** the inertia (sum of squared distances to the nearest centroid, after
** the last update) and the iteration count.  Collective. */
/* Initial centroids (k x f, replicated, float dtype of X): plusplus 0
** draws k distinct samples uniformly ("random"), 1 runs k-means++ seeding
** (each next centre drawn with probability proportional to the squared
** distance to the nearest centre so far; one Allgatherv of one double per
** rank and a row Allreduce per centre).  Random numbers come from the
** global generator (ha_rand), so the choice is the same for every rank
** count.  ValueError unless 1 <= k <= n_samples. */
ha_array *ha_kmeans_init(const ha_array *X, int64_t k, int plusplus);
typedef struct ha_kmeans_result {
	ha_array *centers;
	ha_array *labels;
	double inertia;
	int64_t n_iter;
} ha_kmeans_result;
int ha_kmeans_fit(const ha_array *X, const ha_array *init, int64_t max_iter, double tol,
                  ha_kmeans_result *out);
/* Index of the nearest center (int64, X's split) for each row of X;
** *inertia (when not NULL) gets the sum of the squared distances.
** Collective (one Allreduce "kmeans" for the inertia when X is split). */
ha_array *ha_kmeans_predict(const ha_array *X, const ha_array *centers, double *inertia);

#endif
