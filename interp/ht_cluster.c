/*
** ht_cluster.c — ht.cluster.KMeans: an object (kind HI_OBJECT) whose
** attributes live in a dict (the constructor's parameters, then the
** fitted cluster_centers_, labels_, inertia_, n_iter_) and whose methods
** fit / predict / fit_predict call the runtime (runtime/cluster.c).
** Parameters are read from the attributes at fit time, so `km.max_iter =
** 10` works as in scikit-learn and Heat.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

static hi_type *kmeans_type;   /* type(km) */
static hi_val kmeans_methods;     /* dict of the KMeans methods */

static void instance_free(hi_obj *o)
{
	hi_decref(((hi_instance *)o)->attrs);
	free(o);
}

static hi_val instance_getattr(hi_val self, const char *name)
{
	hi_instance *o = (hi_instance *)self.o;
	hi_val v;
	if (hi_dict_get_str(o->attrs, name, &v) == 1)
		return v;
	if (o->methods.kind == HI_DICT && hi_dict_get_str(o->methods, name, &v) == 1) {
		hi_val bm = hi_method_new(self, v);
		hi_decref(v);
		return bm;
	}
	return hi_absent();
}

static int instance_setattr(hi_val self, const char *name, hi_val value)
{
	hi_instance *o = (hi_instance *)self.o;
	if (o->methods.kind == HI_DICT) {
		hi_val v;
		if (hi_dict_get_str(o->methods, name, &v) == 1) {
			hi_decref(v);
			return hi_raisei(hi_AttributeError, "'%s' object attribute '%s' is read-only", o->cls, name);
		}
	}
	return hi_dict_set_str(o->attrs, name, value);
}

/* KMeans(n_clusters=8, init='random', max_iter=300, tol=0.0001, random_state=None) */
static hi_val instance_repr(hi_val self)
{
	hi_instance *o = (hi_instance *)self.o;
	static const char *const shown[] = { "n_clusters", "init", "max_iter", "tol", "random_state", NULL };
	hi_buf b = { 0 };
	hi_buf_adds(&b, o->cls);
	hi_buf_adds(&b, "(");
	for (int i = 0; shown[i]; i++) {
		hi_val v, r;
		if (hi_dict_get_str(o->attrs, shown[i], &v) != 1)
			continue;
		r = v.kind == HI_ARRAY ? hi_str_fmt("DNDarray") : hi_repr(v);
		hi_decref(v);
		if (hi_iserr(r)) {
			hi_buf_free(&b);
			return r;
		}
		hi_buf_addf(&b, "%s%s=", i ? ", " : "", shown[i]);
		hi_buf_addval(&b, r);
		hi_decref(r);
	}
	hi_buf_adds(&b, ")");
	return hi_buf_finish(&b);
}

static hi_val attr(hi_val self, const char *name)
{
	hi_val v;
	if (hi_dict_get_str(((hi_instance *)self.o)->attrs, name, &v) == 1)
		return v;
	return hi_none();
}

static int set(hi_val self, const char *name, hi_val v)
{
	if (hi_iserr(v))
		return -1;
	int rc = hi_dict_set_str(((hi_instance *)self.o)->attrs, name, v);
	hi_decref(v);
	return rc;
}

static hi_val f_kmeans(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[0].kind != HI_INT || a[0].i < 1)
		return hi_raise(hi_ValueError, "n_clusters must be a positive int, got %s",
		                a[0].kind == HI_INT ? "a non-positive value" : hi_type_name(a[0]));
	if (a[1].kind == HI_STR) {
		const char *s = hi_as_str(a[1])->s;
		if (strcmp(s, "random") && strcmp(s, "k-means++") && strcmp(s, "kmeans++"))
			return hi_raise(hi_ValueError, "init needs to be one of 'random', 'k-means++' or a DNDarray "
			                "of initial centroids, but was '%s'", s);
	} else if (a[1].kind != HI_ARRAY) {
		return hi_raise(hi_TypeError, "init needs to be a str or a DNDarray, not '%s'", hi_type_name(a[1]));
	}
	int64_t mi;
	double tol;
	if (hi_as_int64(a[2], &mi, "max_iter") || hi_as_double(a[3], &tol, "tol"))
		return hi_err();
	if (mi < 1)
		return hi_raise(hi_ValueError, "max_iter must be positive, got %lld", (long long)mi);
	if (a[4].kind != HI_NONE && a[4].kind != HI_INT)
		return hi_raise(hi_TypeError, "random_state must be None or an int, not '%s'", hi_type_name(a[4]));
	hi_instance *o = hi_obj_alloc(sizeof *o, HI_OBJECT);
	if (!o)
		return hi_raise(hi_MemoryError, "out of memory");
	o->cls = "KMeans";
	o->type = kmeans_type;
	o->methods = kmeans_methods;
	o->attrs = hi_dict_new();
	hi_val self = hi_objval(o, HI_OBJECT);
	if (hi_iserr(o->attrs)) {
		o->attrs = hi_none();
		hi_decref(self);
		return hi_err();
	}
	static const char *const names[] = { "n_clusters", "init", "max_iter", "tol", "random_state" };
	for (int i = 0; i < 5; i++)
		hi_dict_set_str(o->attrs, names[i], a[i]);
	static const char *const fitted[] = { "cluster_centers_", "labels_", "inertia_", "n_iter_" };
	for (int i = 0; i < 4; i++)
		hi_dict_set_str(o->attrs, fitted[i], hi_none());
	return self;
}

/* fit(self, x): the parameters as the attributes say now. */
static int kmeans_fit(hi_val self, hi_val xv)
{
	hi_val k = attr(self, "n_clusters"), init = attr(self, "init"), mi = attr(self, "max_iter"),
	       tol = attr(self, "tol"), rs = attr(self, "random_state");
	int rc = -1;
	int64_t K, MI, seed;
	double TOL;
	ha_array *X = NULL, *C0 = NULL;
	if (hi_as_int64(k, &K, "n_clusters") || hi_as_int64(mi, &MI, "max_iter") || hi_as_double(tol, &TOL, "tol"))
		goto out;
	if (!(X = hi_as_array(xv, -1, NULL)))
		goto out;
	if (X->ndim != 2) {
		hi_raise(hi_ValueError, "KMeans.fit: x must be 2-D (samples x features), got %d-D", X->ndim);
		goto out;
	}
	if (K < 1 || K > X->gshape[0]) {
		hi_raise(hi_ValueError, "n_samples=%lld should be >= n_clusters=%lld", (long long)X->gshape[0],
		         (long long)K);
		goto out;
	}
	if (rs.kind != HI_NONE) {
		if (hi_as_int64(rs, &seed, "random_state"))
			goto out;
		if (ha_random_seed(seed)) {
			hi_raise_hai();
			goto out;
		}
	}
	if (init.kind == HI_ARRAY) {
		C0 = ha_retain(hi_arr(init));
	} else if (init.kind == HI_STR) {
		C0 = ha_kmeans_init(X, K, strcmp(hi_as_str(init)->s, "random") != 0);
		if (!C0) {
			hi_raise_hai();
			goto out;
		}
	} else {
		hi_raise(hi_TypeError, "init needs to be a str or a DNDarray, not '%s'", hi_type_name(init));
		goto out;
	}
	ha_kmeans_result res;
	if (ha_kmeans_fit(X, C0, MI, TOL, &res)) {
		hi_raise_hai();
		goto out;
	}
	if (set(self, "cluster_centers_", hi_array_new(res.centers)) || set(self, "labels_", hi_array_new(res.labels))
	    || set(self, "inertia_", hi_float(res.inertia)) || set(self, "n_iter_", hi_int(res.n_iter)))
		goto out;
	rc = 0;
out:
	if (X)
		ha_release(X);
	if (C0)
		ha_release(C0);
	hi_decref(k);
	hi_decref(init);
	hi_decref(mi);
	hi_decref(tol);
	hi_decref(rs);
	return rc;
}

static hi_val m_fit(hi_val *a, void *ctx)
{
	(void)ctx;
	if (kmeans_fit(a[0], a[1]))
		return hi_err();
	return hi_incref(a[0]);
}

static hi_val m_fit_predict(hi_val *a, void *ctx)
{
	(void)ctx;
	if (kmeans_fit(a[0], a[1]))
		return hi_err();
	return attr(a[0], "labels_");
}

static hi_val m_predict(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val c = attr(a[0], "cluster_centers_");
	if (c.kind != HI_ARRAY) {
		hi_decref(c);
		return hi_raise(hi_RuntimeError, "This KMeans instance is not fitted yet: call fit(x) first");
	}
	ha_array *X = hi_as_array(a[1], -1, NULL);
	if (!X) {
		hi_decref(c);
		return hi_err();
	}
	ha_array *r = ha_kmeans_predict(X, hi_arr(c), NULL);
	ha_release(X);
	hi_decref(c);
	return hi_array_new(r);
}

#define KM_DIST \
	"Distribution: x is split along the samples (axis 0; another split is\n" \
	"resplit to 0) or replicated. The k centroids are replicated; samples never\n" \
	"move. Each iteration every rank assigns its own samples to the nearest\n" \
	"centroid (squared Euclidean distance, ties to the lower index) and sums\n" \
	"them per cluster; ONE Allreduce of k * (features + 1) doubles gives every\n" \
	"rank the new centroids."

static const hi_builtin_def kmeans_method_defs[] = {
	{ "fit(self, x)", m_fit,
	  "Compute the k-means clustering of x (samples x features) and return the\n"
	  "estimator. Sets cluster_centers_ (k x features, replicated), labels_ (the\n"
	  "nearest centroid of every sample, int64, x's split), inertia_ (the sum of\n"
	  "squared distances of the samples to their nearest centroid) and n_iter_.\n\n"
	  "Lloyd's algorithm: at most max_iter iterations, stopping early when the\n"
	  "sum of squared centroid shifts is <= tol; a cluster that loses all its\n"
	  "samples keeps its centroid. labels_ and inertia_ refer to the final\n"
	  "centroids (one extra assignment pass after the last update).\n\n" KM_DIST },
	{ "predict(self, x)", m_predict,
	  "The index of the nearest fitted centroid for every sample of x (int64,\n"
	  "x's split). Local apart from nothing: no communication when x is split\n"
	  "along the samples. RuntimeError before fit." },
	{ "fit_predict(self, x)", m_fit_predict,
	  "fit(x), then return labels_." },
	{ 0 }
};

static const hi_builtin_def cluster_defs[] = {
	{ "KMeans(n_clusters=8, init='random', max_iter=300, tol=0.0001, random_state=None)", f_kmeans,
	  "K-means clustering (Heat's ht.cluster.KMeans).\n\n"
	  "Parameters\n----------\n"
	  "n_clusters : int, optional\n    The number of clusters k (at most the number of samples).\n"
	  "init : str or DNDarray, optional\n"
	  "    'random': k distinct samples drawn uniformly; 'k-means++' (or\n"
	  "    'kmeans++'): k-means++ seeding (each next centroid a sample drawn with\n"
	  "    probability proportional to its squared distance to the nearest\n"
	  "    centroid so far); or a (k x features) DNDarray of initial centroids.\n"
	  "max_iter : int, optional\n    Maximum number of iterations.\n"
	  "tol : float, optional\n"
	  "    Stop when the sum of squared centroid shifts is at most tol.\n"
	  "random_state : int, optional\n"
	  "    Seed ht.random with it at fit time (as Heat does). The draws do not\n"
	  "    depend on the number of ranks, so the same seed gives the same\n"
	  "    clustering for any -n.\n\n"
	  "Methods: fit(x), predict(x), fit_predict(x). Attributes: the parameters\n"
	  "(settable), cluster_centers_, labels_, inertia_, n_iter_ (None before fit).\n\n"
	  KM_DIST "\n\n"
	  "Examples\n--------\n"
	  ">>> km = ht.cluster.KMeans(n_clusters=2, init='k-means++', random_state=1)\n"
	  ">>> km.fit(ht.array([[0.0], [0.1], [5.0], [5.1]], split=0)).n_iter_" },
	{ 0 }
};

void hi_init_ht_cluster(hi_val cluster_module)
{
	hi_val t = hi_type_new("KMeans", NULL, 0, -1, "K-means clustering (see help(ht.cluster.KMeans)).");
	kmeans_type = hi_iserr(t) ? NULL : (hi_type *)t.o;   /* kept for the process's life */
	kmeans_methods = hi_dict_new();
	hi_register(kmeans_methods, kmeans_method_defs, "heat.cluster.KMeans");
	hi_register_free(HI_OBJECT, instance_free);
	hi_register_getattr(HI_OBJECT, instance_getattr);
	hi_register_setattr(HI_OBJECT, instance_setattr);
	hi_slots_of(HI_OBJECT)->repr = instance_repr;
	hi_ht_register_into(cluster_module, cluster_defs);
}
