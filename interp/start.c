/*
** start.c — bringing the interpreter up and down on a rank: the state,
** the built-in namespaces (builtins, heat as `ht`, math, time, sys), the
** stdlib written in ha, and the name lists the REPL completes from.
*/
#include <stdlib.h>
#include <string.h>

#include <ha.h>
#include "eval_internal.h"
#include "stdlib_embed.h"
#include "spmd.h"

hi_state hi_S;

void hi_init_comm(void);
void hi_func_register(void);

static hi_val stdlib_globals;   /* the namespace stdlib functions run in */

static const char heat_doc[] =
	"ha's array namespace, modelled on Heat (helmholtz-analytics/heat).\n"
	"Every function here is also a global name; `import heat as ht` binds\n"
	"this module for code written for Heat.  Arrays are DNDarrays: one\n"
	"global array cut into chunks along the axis `split` (or replicated\n"
	"with split=None) over the MPI ranks.";

/* A stdlib file lists in __methods__ the functions that are DNDarray
** methods too (Heat attaches them in its modules: x.average(), x.skew()):
** they go into the array method table, bound to x as first argument.
** The list is removed so that the next file starts without one. */
static void add_stdlib_methods(void)
{
	hi_val names;
	if (hi_dict_get_str(stdlib_globals, "__methods__", &names) != 1)
		return;
	if (names.kind == HI_LIST) {
		hi_list *l = hi_as_list(names);
		for (size_t i = 0; i < l->len; i++) {
			hi_val f;
			if (l->items[i].kind == HI_STR && hi_dict_lookup(stdlib_globals, l->items[i], &f) == 1) {
				hi_dict_set(hi_method_table(HI_ARRAY), l->items[i], f);
				hi_decref(f);
			}
		}
	}
	hi_decref(names);
	hi_val key = hi_str_cstr("__methods__");
	hi_dict_del(stdlib_globals, key);
	hi_decref(key);
}

/* Run one embedded stdlib file; its definitions land in the heat module
** and in the builtins (ht.NAME and NAME). */
static int load_stdlib(void)
{
	stdlib_globals = hi_dict_new();
	for (int i = 0; i < hi_stdlib_count; i++) {
		hg_syntax_error err;
		memset(&err, 0, sizeof err);
		char fname[256];
		snprintf(fname, sizeof fname, "<stdlib/%s.ha>", hi_stdlib_names[i]);
		hg_unit *u = hg_parse(hi_stdlib_src[i], hi_stdlib_len[i], fname, &err);
		if (!u || !u->root) {
			if (hi_S.rank == 0)
				fprintf(stderr, "ha: stdlib %s line %d: %s\n", fname, err.line, err.msg);
			if (u)
				hg_unit_release(u);
			return -1;
		}
		hi_val saved = hi_S.globals;
		hi_S.globals = stdlib_globals;
		int rc = hi_run_unit(u, 0);
		hi_S.globals = saved;
		hg_unit_release(u);
		if (rc)
			return -1;
		add_stdlib_methods();
	}
	hi_dict *d = hi_as_dict(stdlib_globals);
	hi_val htd = hi_module_dict(hi_S.ht);
	for (size_t i = 0; i < d->used; i++) {
		hi_dict_entry *e = &d->entries[i];
		if (e->key.kind != HI_STR || hi_as_str(e->key)->s[0] == '_')
			continue;
		hi_dict_set(htd, e->key, e->value);
		hi_dict_set(hi_S.builtins, e->key, e->value);
	}
	/* stdlib/linalg.ha lists in __linalg__ the names that belong in
	** ht.linalg too (cg, lanczos) */
	hi_val names, linalg;
	if (hi_dict_get_str(stdlib_globals, "__linalg__", &names) == 1) {
		if (names.kind == HI_LIST && hi_dict_get_str(htd, "linalg", &linalg) == 1) {
			hi_list *l = hi_as_list(names);
			for (size_t i = 0; i < l->len; i++) {
				hi_val f;
				if (l->items[i].kind == HI_STR && hi_dict_lookup(stdlib_globals, l->items[i], &f) == 1) {
					hi_dict_set(hi_module_dict(linalg), l->items[i], f);
					hi_decref(f);
				}
			}
			hi_decref(linalg);
		}
		hi_decref(names);
	}
	return 0;
}

static void add_module(const char *name, hi_val m)
{
	hi_dict_set_str(hi_S.modules, name, m);
}

void hi_init_arrays(void);   /* interp/htfuncs.c */

/* Inside rank-dependent control flow some ranks may never reach a
** collective: refuse it with an error (agreed when the ranks meet again)
** instead of hanging. */
static int collective_guard(const char *what, const char *call)
{
	if (hi_S.divergent <= 0)
		return 0;
	ha_error_set(HA_ERUNTIME, "collective operation '%s' (MPI %s) inside rank-dependent control flow: "
	             "every rank must reach it; move it out of the branch on comm.rank", what, call);
	return 1;
}

int hi_start(int argc, char **argv)
{
	ha_comm *w = ha_comm_world();
	hi_S.rank = w->rank;
	hi_S.size = w->size;
	hi_S.exc = hi_none();
	hi_func_init();
	hi_S.builtins = hi_dict_new();
	hi_S.modules = hi_dict_new();
	hi_S.globals = hi_dict_new();
	hi_exc_init();
	hi_init_values();
	hi_func_register();
	hi_init_builtins();
	hi_init_math();
	hi_init_time();

	hi_S.ht = hi_module_new("heat", heat_doc);
	add_module("heat", hi_S.ht);
	hi_dict_set_str(hi_S.builtins, "ht", hi_S.ht);
	hi_init_comm();
	hi_val c;
	if (hi_dict_get_str(hi_S.builtins, "comm", &c) > 0) {
		hi_dict_set_str(hi_module_dict(hi_S.ht), "MPI_WORLD", c);
		hi_decref(c);
	}
	hi_init_arrays();
	ha_comm_set_guard(collective_guard);

	hi_val sys = hi_module_new("sys", "System-specific names: argv, the script's arguments.");
	hi_val av = hi_list_new((size_t)argc);
	for (int i = 0; i < argc; i++) {
		hi_val s = hi_str_cstr(argv[i]);
		hi_list_append(av, s);
		hi_decref(s);
	}
	hi_dict_set_str(hi_module_dict(sys), "argv", av);
	hi_decref(av);
	add_module("sys", sys);
	hi_decref(sys);
	hi_val name = hi_str_cstr("__main__");
	hi_dict_set_str(hi_S.globals, "__name__", name);
	hi_decref(name);
	return load_stdlib();
}

static void clear_dict(hi_val d)
{
	if (d.kind != HI_DICT)
		return;
	hi_dict *dd = hi_as_dict(d);
	for (size_t i = 0; i < dd->used; i++) {
		hi_dict_entry *e = &dd->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		hi_val v = e->value;
		e->value = hi_none();
		hi_decref(v);
	}
}

/* Namespaces reference functions that reference namespaces: clear the
** values first to break those cycles, then drop the dicts. */
void hi_stop(void)
{
	hi_out_flush();
	clear_dict(hi_S.globals);
	clear_dict(stdlib_globals);
	hi_decref(hi_S.globals);
	hi_decref(stdlib_globals);
	hi_S.globals = hi_none();
	stdlib_globals = hi_none();
}

/* ---- names for completion ---- */

static void add_keys(hi_val d, char ***out, int *n, int *cap)
{
	hi_dict *dd = hi_as_dict(d);
	for (size_t i = 0; i < dd->used; i++) {
		hi_dict_entry *e = &dd->entries[i];
		if (e->key.kind != HI_STR)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*out = realloc(*out, sizeof(char *) * (size_t)*cap);
		}
		(*out)[(*n)++] = strdup(hi_as_str(e->key)->s);
	}
}

int hi_global_names(char ***out)
{
	int n = 0, cap = 0;
	*out = NULL;
	add_keys(hi_S.globals, out, &n, &cap);
	add_keys(hi_S.builtins, out, &n, &cap);
	return n;
}

/* Attribute names of the value a dotted name refers to; nothing is
** called, only names and attributes are looked up. */
int hi_attr_names(const char *dotted, char ***out)
{
	*out = NULL;
	char *copy = strdup(dotted);
	char *save = NULL;
	char *part = strtok_r(copy, ".", &save);
	hi_val v = hi_none();
	int ok = 0;
	if (part) {
		ok = hi_dict_get_str(hi_S.globals, part, &v) > 0
		     || hi_dict_get_str(hi_S.builtins, part, &v) > 0;
		while (ok && (part = strtok_r(NULL, ".", &save))) {
			hi_val w = hi_getattr(v, part);
			hi_decref(v);
			if (hi_iserr(w)) {
				hi_exc_clear();
				ok = 0;
				break;
			}
			v = w;
		}
	}
	free(copy);
	if (!ok)
		return 0;
	hi_val dir;
	int n = 0;
	if (hi_dict_get_str(hi_S.builtins, "dir", &dir) > 0) {
		hi_val names = hi_call_simple(dir, 1, &v);
		hi_decref(dir);
		if (hi_iserr(names)) {
			hi_exc_clear();
		} else if (names.kind == HI_LIST) {
			hi_list *l = hi_as_list(names);
			*out = malloc(sizeof(char *) * (l->len ? l->len : 1));
			for (size_t i = 0; i < l->len; i++)
				if (l->items[i].kind == HI_STR)
					(*out)[n++] = strdup(hi_as_str(l->items[i])->s);
			hi_decref(names);
		}
	}
	hi_decref(v);
	return n;
}
