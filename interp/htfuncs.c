/*
** htfuncs.c — putting the array layer into the language: hi_init_arrays()
** (called by start.c) registers the DNDarray value, the dtypes, every ht
** function of the topic files (ht_creation.c, ht_math.c, ht_reduce.c,
** ht_shape.c, ht_random.c, ht_types.c, ht_print.c) into the heat module
** AND the builtins, the submodules ht.random and ht.linalg, and the
** constants.  Python's abs min max round sum any all become functions that
** call the Heat version for arrays and Python's for everything else.
*/
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

/* Names that Python's builtins own: the builtins get a dispatching
** wrapper, the heat module the pure Heat function. */
static const char *const shadowed[] = { "abs", "min", "max", "round", "sum", "any", "all", NULL };

static int is_shadowed(const char *name)
{
	for (int i = 0; shadowed[i]; i++)
		if (!strcmp(shadowed[i], name))
			return 1;
	return 0;
}

void hi_ht_register_into(hi_val module, const hi_builtin_def *defs)
{
	hi_register(hi_module_dict(module), defs, ((hi_module *)module.o)->name);
}

/* "sum(a, axis=None)" -> "sum(self, axis=None)" */
static char *method_sig(const char *sig)
{
	const char *open = strchr(sig, '(');
	if (!open)
		return strdup(sig);
	const char *p = open + 1;
	size_t n = strcspn(p, ",)");
	size_t len = (size_t)(open + 1 - sig) + 4 + strlen(p + n) + 1;
	char *r = malloc(len);
	if (!r)
		abort();
	snprintf(r, len, "%.*sself%s", (int)(open + 1 - sig), sig, p + n);
	return r;
}

static void register_method_table(const hi_builtin_def *defs, const char *const *names);

void hi_ht_mirror(const hi_builtin_def *defs, const char *const *names)
{
	register_method_table(defs, names);
}

void hi_ht_register(const hi_builtin_def *defs, int as_methods)
{
	hi_val htd = hi_module_dict(hi_S.ht);
	for (const hi_builtin_def *d = defs; d->sig; d++) {
		hi_val b = hi_builtin_new(d, "heat", NULL);
		if (hi_iserr(b))
			abort();
		const char *name = ((hi_builtin *)b.o)->name;
		hi_dict_set_str(htd, name, b);
		if (!is_shadowed(name))
			hi_dict_set_str(hi_S.builtins, name, b);
		hi_decref(b);
	}
	if (as_methods)
		register_method_table(defs, NULL);
}

/* "tril(m, k=0)" names "tril" */
static int def_named(const hi_builtin_def *d, const char *const *names)
{
	size_t len = strcspn(d->sig, "(");
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], d->sig, len))
			return 1;
	return 0;
}

/* defs (all of them, or those named in `names`) as DNDarray methods */
static void register_method_table(const hi_builtin_def *defs, const char *const *names)
{
	size_t n = 0;
	for (const hi_builtin_def *d = defs; d->sig; d++)
		n++;
	/* the method table keeps the defs' strings: they live for the process,
	** reachable from `tables` (so leak checkers do not report them) */
	static hi_builtin_def **tables;
	static size_t ntables;
	hi_builtin_def **t = realloc(tables, (ntables + 1) * sizeof *t);
	hi_builtin_def *m = calloc(n + 1, sizeof *m);
	if (!t || !m)
		abort();
	tables = t;
	tables[ntables++] = m;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (names && !def_named(&defs[i], names))
			continue;
		m[k] = defs[i];
		m[k++].sig = method_sig(defs[i].sig);
	}
	hi_register_methods(HI_ARRAY, m);
}

/* ---- Python builtins that dispatch to Heat for arrays ---- */

typedef struct dual {
	hi_val heat, py;
	char *doc;
} dual;

static const char *const heat_only_kw[] = { "axis", "out", "keepdims", "decimals", "dtype", NULL };

static hi_val dual_call(hi_val *args, void *ctx)
{
	dual *d = ctx;
	hi_tuple *pos = hi_as_tuple(args[0]);
	hi_dict *kw = hi_as_dict(args[1]);
	int heat = pos->len > 0 && pos->items[0].kind == HI_ARRAY;
	size_t nkw = 0;
	const char **names = malloc(sizeof(char *) * (kw->len + 1));
	hi_val *vals = malloc(sizeof(hi_val) * (kw->len + 1));
	if (!names || !vals) {
		free(names);
		free(vals);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	for (size_t i = 0; i < kw->used; i++) {
		hi_dict_entry *e = &kw->entries[i];
		if (e->key.kind != HI_STR)
			continue;
		names[nkw] = hi_as_str(e->key)->s;
		vals[nkw++] = e->value;
		for (int k = 0; heat_only_kw[k]; k++)
			if (!strcmp(heat_only_kw[k], hi_as_str(e->key)->s))
				heat = 1;
	}
	hi_val r = hi_call(heat ? d->heat : d->py, (int)pos->len, pos->items, (int)nkw, names, vals);
	free(names);
	free(vals);
	return r;
}

static void install_dual(const char *name)
{
	hi_val heat, py;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), name, &heat) != 1)
		return;
	if (hi_dict_get_str(hi_S.builtins, name, &py) != 1) {
		hi_dict_set_str(hi_S.builtins, name, heat);
		hi_decref(heat);
		return;
	}
	dual *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->heat = heat;
	d->py = py;
	const hi_builtin *hb = (const hi_builtin *)heat.o, *pb = (const hi_builtin *)py.o;
	char *hsig = hi_builtin_signature(hb), *psig = hi_builtin_signature(pb);
	hi_buf b = { 0 };
	hi_buf_addf(&b, "%s\n    (arrays: ht.%s)\n%s\n    (anything else: Python's built-in %s)\n\n", hsig,
	            name, psig, name);
	hi_buf_addf(&b, "With a DNDarray as first argument (or an array keyword such as axis=)\n"
	            "this is ht.%s:\n\n", name);
	if (hb->doc)
		hi_buf_adds(&b, hb->doc);
	hi_buf_addf(&b, "\n\nOtherwise it is Python's %s:\n\n", name);
	if (pb->doc)
		hi_buf_adds(&b, pb->doc);
	hi_buf_add(&b, "", 0);
	free(hsig);
	free(psig);
	d->doc = b.p;
	char sig[64];
	snprintf(sig, sizeof sig, "%s(*args, **kwargs)", name);
	hi_builtin_def def = { strdup(sig), dual_call, d->doc };
	hi_val w = hi_builtin_new(&def, NULL, d);
	if (!hi_iserr(w)) {
		hi_dict_set_str(hi_S.builtins, name, w);
		hi_decref(w);
	}
}

/* ---- modules and constants ---- */

static const char random_doc[] =
	"Random numbers for DNDarrays (ht.random).\n"
	"A counter-based generator (Philox) keyed by the seed: element g of a call\n"
	"(its global C-order index) depends only on the seed, the sequence of calls\n"
	"and g, never on the number of ranks, so -n 1 and -n 4 print the same\n"
	"numbers. Each rank generates only its own elements: no communication.";

static const char linalg_doc[] =
	"Linear algebra on DNDarrays (ht.linalg). Every function here is also\n"
	"reachable as ht.NAME.";

static void set_float(hi_val d, const char *name, double v)
{
	hi_dict_set_str(d, name, hi_float(v));
}

static hi_val f_linalg_transpose(hi_val *args, void *ctx)
{
	(void)ctx;
	hi_val f;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), "transpose", &f) != 1)
		return hi_raise(hi_RuntimeError, "ht.transpose is missing");
	hi_val argv[2] = { args[0], args[1] };
	hi_val r = hi_call(f, 2, argv, 0, NULL, NULL);
	hi_decref(f);
	return r;
}

void hi_init_arrays(void)
{
	ha_comm *w = ha_comm_world();
	hi_self_comm.mpi = MPI_COMM_SELF;
	hi_self_comm.rank = 0;
	hi_self_comm.size = 1;
	(void)w;

	hi_val htd = hi_module_dict(hi_S.ht);
	hi_init_dtypes(htd);
	hi_init_array_value();

	hi_val random = hi_module_new("heat.random", random_doc);
	hi_val linalg = hi_module_new("heat.linalg", linalg_doc);
	hi_dict_set_str(htd, "random", random);
	hi_dict_set_str(htd, "linalg", linalg);
	hi_module_install(random);
	hi_module_install(linalg);

	hi_init_ht_creation();
	static const char *const global_results[] = { "array", "asarray", NULL };
	for (int i = 0; global_results[i]; i++) {
		hi_val f;
		if (hi_dict_get_str(htd, global_results[i], &f) > 0) {
			if (f.kind == HI_BUILTIN)
				((hi_builtin *)f.o)->local_result = -1;
			hi_decref(f);
		}
	}
	hi_init_ht_shape();
	hi_init_ht_types();
	hi_init_ht_print();
	hi_init_ht_math();
	hi_init_ht_inplace();
	hi_init_ht_reduce();
	hi_init_ht_manip();
	hi_init_ht_factor();
	hi_init_ht_io();
	hi_init_ht_random(random);
	hi_init_ht_linalg(linalg);
	hi_val spatial = hi_module_new("heat.spatial", "Pairwise distances and kernels between the rows of data matrices (ht.spatial).");
	hi_val cluster = hi_module_new("heat.cluster", "Clustering of distributed data (ht.cluster).");
	hi_dict_set_str(htd, "spatial", spatial);
	hi_dict_set_str(htd, "cluster", cluster);
	hi_module_install(spatial);
	hi_module_install(cluster);
	hi_init_ht_spatial(spatial);
	hi_init_ht_cluster(cluster);
	hi_init_ht_stats();
	hi_decref(spatial);
	hi_decref(cluster);

	/* ht.linalg holds what the runtime offers; transpose always */
	static const hi_builtin_def linalg_defs[] = {
		{ "transpose(a, axes=None)", f_linalg_transpose,
		  "Permute the dimensions of an array (the same as ht.transpose).\n\n"
		  "Local: no communication. The split axis follows its dimension: the\n"
		  "new split is the position of the old split axis in `axes`." },
		{ 0 }
	};
	hi_ht_register_into(linalg, linalg_defs);
	static const char *const linalg_names[] = { "matmul", "dot", "tril", "triu", NULL };
	for (int i = 0; linalg_names[i]; i++) {
		hi_val f;
		if (hi_dict_get_str(htd, linalg_names[i], &f) == 1) {
			hi_dict_set_str(hi_module_dict(linalg), linalg_names[i], f);
			hi_decref(f);
		}
	}
	hi_decref(random);
	hi_decref(linalg);

	set_float(htd, "pi", M_PI);
	set_float(htd, "e", M_E);
	set_float(htd, "Euler", 0.57721566490153286061);
	set_float(htd, "inf", INFINITY);
	set_float(htd, "Inf", INFINITY);
	set_float(htd, "Infty", INFINITY);
	set_float(htd, "Infinity", INFINITY);
	set_float(htd, "nan", NAN);
	set_float(htd, "NaN", NAN);
	hi_dict_set_str(htd, "newaxis", hi_none());
	static const char *const globals[] = { "pi", "e", "inf", "nan", "newaxis", NULL };
	for (int i = 0; globals[i]; i++) {
		hi_val v;
		if (hi_dict_get_str(htd, globals[i], &v) == 1) {
			/* the math module keeps its own pi/e; these are ht's */
			hi_dict_set_str(hi_S.builtins, globals[i], v);
			hi_decref(v);
		}
	}
	hi_val t = hi_objval(hi_types[HI_ARRAY], HI_TYPE);
	hi_dict_set_str(htd, "DNDarray", t);
	hi_dict_set_str(hi_S.builtins, "DNDarray", t);
	hi_val ver = hi_str_cstr("1.9.0");
	hi_dict_set_str(htd, "__version__", ver);
	hi_decref(ver);

	for (int i = 0; shadowed[i]; i++)
		install_dual(shadowed[i]);
}
