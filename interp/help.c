/*
** help.c — help(obj) and dir(obj).  The text comes from the builtins'
** signatures and docstrings (the same ones the man pages are generated
** from) and from user functions' docstrings, laid out as pydoc does.
*/
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "eval.h"
#include "eval_internal.h"
#include "spmd.h"

/* ---- docstring layout ---- */

/* Append doc cleaned as inspect.cleandoc does (first line stripped, the
** common indentation of the others removed, blank lines at both ends
** dropped), every line prefixed by `indent` spaces (blank lines stay empty). */
static void add_doc(hi_buf *b, const char *doc, int indent)
{
	if (!doc)
		return;
	/* split into lines */
	int cap = 16, n = 0;
	const char **ls = malloc((size_t)cap * sizeof *ls);
	size_t *ln = malloc((size_t)cap * sizeof *ln);
	for (const char *p = doc;;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == cap) {
			cap *= 2;
			ls = realloc(ls, (size_t)cap * sizeof *ls);
			ln = realloc(ln, (size_t)cap * sizeof *ln);
		}
		ls[n] = p;
		ln[n++] = len;
		if (!e)
			break;
		p = e + 1;
	}
	/* strip trailing blanks of each line; first line's leading blanks */
	size_t margin = (size_t)-1;
	for (int i = 0; i < n; i++) {
		while (ln[i] && (ls[i][ln[i] - 1] == ' ' || ls[i][ln[i] - 1] == '\t' || ls[i][ln[i] - 1] == '\r'))
			ln[i]--;
		if (i == 0) {
			while (ln[0] && (*ls[0] == ' ' || *ls[0] == '\t')) {
				ls[0]++;
				ln[0]--;
			}
		} else if (ln[i]) {
			size_t k = 0;
			while (k < ln[i] && (ls[i][k] == ' ' || ls[i][k] == '\t'))
				k++;
			if (k < margin)
				margin = k;
		}
	}
	for (int i = 1; i < n; i++)
		if (ln[i]) {
			ls[i] += margin;
			ln[i] -= margin;
		}
	int first = 0, last = n - 1;
	while (first <= last && !ln[first])
		first++;
	while (last >= first && !ln[last])
		last--;
	for (int i = first; i <= last; i++) {
		if (ln[i])
			for (int k = 0; k < indent; k++)
				hi_buf_add(b, " ", 1);
		hi_buf_add(b, ls[i], ln[i]);
		hi_buf_add(b, "\n", 1);
	}
	free(ls);
	free(ln);
}

/* The summary of a docstring for listings: its first paragraph, skipping
** a leading paragraph that only repeats the signature ("log(x[, base])"). */
static void add_summary(hi_buf *b, const char *doc, const char *name, int indent)
{
	if (!doc)
		return;
	while (*doc == ' ' || *doc == '\n' || *doc == '\t')
		doc++;
	size_t nl = strlen(name);
	const char *para_end = strstr(doc, "\n\n");
	if (!strncmp(doc, name, nl) && doc[nl] == '(' && para_end) {
		doc = para_end;
		while (*doc == ' ' || *doc == '\n' || *doc == '\t')
			doc++;
		para_end = strstr(doc, "\n\n");
	}
	size_t len = para_end ? (size_t)(para_end - doc) : strlen(doc);
	char *para = strndup(doc, len);
	if (para) {
		add_doc(b, para, indent);
		free(para);
	}
}

/* A user function's signature and docstring (C strings, malloc'd). */
static char *func_sig(hi_val f)
{
	hi_val s = hi_func_signature(f);
	if (hi_iserr(s)) {
		hi_exc_clear();
		return strdup("function(...)");
	}
	char *r = strdup(hi_as_str(s)->s);
	hi_decref(s);
	return r;
}

static char *func_doc(hi_val f)
{
	hi_val d = hi_func_doc(f);
	if (hi_iserr(d)) {
		hi_exc_clear();
		return NULL;
	}
	char *r = d.kind == HI_STR ? strdup(hi_as_str(d)->s) : NULL;
	hi_decref(d);
	return r;
}

static const char *func_module(hi_val f)
{
	const char *m = ((hi_func *)f.o)->module;
	return m ? m : "__main__";
}

/* "sum" of "heat.sum"; the module part is what precedes the last dot. */
static void builtin_module(const hi_builtin *b, char *out, size_t n)
{
	const char *dot = strrchr(b->qualname, '.');
	if (!dot) {
		snprintf(out, n, "builtins");
		return;
	}
	snprintf(out, n, "%.*s", (int)(dot - b->qualname), b->qualname);
}

static int is_method(const hi_builtin *b)
{
	return b->nparams > 0 && !strcmp(b->params[0].name, "self");
}

/* ---- one entry per kind of object ---- */

static void help_builtin(hi_buf *b, const hi_builtin *f, const char *bound_to)
{
	char mod[128];
	builtin_module(f, mod, sizeof mod);
	if (bound_to)
		hi_buf_addf(b, "Help on built-in method %s of %s object:\n\n", f->name, bound_to);
	else if (is_method(f))
		hi_buf_addf(b, "Help on method %s of %s objects:\n\n", f->name, mod);
	else
		hi_buf_addf(b, "Help on built-in function %s in module %s:\n\n", f->name, mod);
	char *sig = hi_builtin_signature(f);
	hi_buf_adds(b, sig);
	hi_buf_add(b, "\n", 1);
	free(sig);
	add_doc(b, f->doc, 4);
}

static void help_func(hi_buf *b, hi_val f, const char *bound_to)
{
	char *sig = func_sig(f), *doc = func_doc(f);
	size_t nlen = strcspn(sig, "(");
	if (bound_to)
		hi_buf_addf(b, "Help on method %.*s of %s object:\n\n", (int)nlen, sig, bound_to);
	else
		hi_buf_addf(b, "Help on function %.*s in module %s:\n\n", (int)nlen, sig, func_module(f));
	hi_buf_adds(b, sig);
	hi_buf_add(b, "\n", 1);
	add_doc(b, doc, 4);
	free(sig);
	free(doc);
}

/* A member's line in a module or class listing: signature, then the first
** line of its docstring. */
static void list_callable(hi_buf *b, hi_val v, int indent)
{
	char *sig = NULL, *doc = NULL;
	const char *cdoc = NULL, *name = "";
	if (v.kind == HI_BUILTIN) {
		name = ((hi_builtin *)v.o)->name;
		sig = hi_builtin_signature((hi_builtin *)v.o);
		cdoc = ((hi_builtin *)v.o)->doc;
	} else {
		sig = func_sig(v);
		doc = func_doc(v);
		cdoc = doc;
	}
	for (int k = 0; k < indent; k++)
		hi_buf_add(b, " ", 1);
	hi_buf_adds(b, sig);
	hi_buf_add(b, "\n", 1);
	if (v.kind != HI_BUILTIN)
		name = sig;
	size_t nlen = strcspn(name, "(");
	char *nm = strndup(name, nlen);
	add_summary(b, cdoc, nm ? nm : "", indent + 4);
	free(nm);
	hi_buf_add(b, "\n", 1);
	free(sig);
	free(doc);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of a dict, sorted (pointers into the dict's str keys). */
static const char **sorted_keys(hi_val dict, size_t *n)
{
	hi_dict *d = hi_as_dict(dict);
	const char **k = malloc((d->len + 1) * sizeof *k);
	size_t m = 0;
	for (size_t i = 0; i < d->used; i++)
		if (d->entries[i].key.kind == HI_STR)
			k[m++] = hi_as_str(d->entries[i].key)->s;
	qsort(k, m, sizeof *k, cmp_cstr);
	*n = m;
	return k;
}

static void help_module(hi_buf *b, hi_val mv)
{
	hi_module *m = (hi_module *)mv.o;
	hi_buf_addf(b, "Help on module %s:\n\nNAME\n    %s", m->name, m->name);
	if (m->doc) {
		hi_buf_adds(b, " - ");
		const char *d = m->doc;
		while (*d == ' ' || *d == '\n')
			d++;
		hi_buf_add(b, d, strcspn(d, "\n"));
		const char *rest = strchr(d, '\n');
		hi_buf_add(b, "\n", 1);
		if (rest && rest[strspn(rest, " \n")]) {
			hi_buf_adds(b, "\nDESCRIPTION\n");
			add_doc(b, rest + 1, 4);
		}
	} else {
		hi_buf_add(b, "\n", 1);
	}
	size_t n;
	const char **keys = sorted_keys(m->dict, &n);
	static const char *const titles[] = { "SUBMODULES", "CLASSES", "FUNCTIONS", "DATA" };
	for (int sec = 0; sec < 4; sec++) {
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			if (keys[i][0] == '_')
				continue;
			hi_val v;
			if (hi_dict_get_str(m->dict, keys[i], &v) != 1)
				continue;
			int s = v.kind == HI_MODULE ? 0 : v.kind == HI_TYPE ? 1
			      : (v.kind == HI_BUILTIN || v.kind == HI_FUNC) ? 2 : 3;
			if (s == sec) {
				if (!any)
					hi_buf_addf(b, "%s%s\n", b->len >= 2 && !strcmp(b->p + b->len - 2, "\n\n") ? "" : "\n",
					            titles[sec]);
				any = 1;
				if (s == 0) {
					hi_buf_addf(b, "    %s\n", keys[i]);
				} else if (s == 1) {
					hi_type *t = (hi_type *)v.o;
					if (strcmp(t->name, keys[i]))
						hi_buf_addf(b, "    %s = class %s\n", keys[i], t->name);
					else
						hi_buf_addf(b, "    class %s\n", keys[i]);
					add_summary(b, t->doc, t->name, 8);
				} else if (s == 2) {
					list_callable(b, v, 4);
				} else {
					hi_val r = v.kind == HI_ARRAY ? hi_str_cstr("DNDarray(...)") : hi_repr(v);
					if (hi_iserr(r)) {
						hi_exc_clear();
						r = hi_str_cstr("...");
					}
					hi_buf_addf(b, "    %s = ", keys[i]);
					hi_buf_addval(b, r);
					hi_buf_add(b, "\n", 1);
					hi_decref(r);
				}
			}
			hi_decref(v);
		}
	}
	free(keys);
}

static void help_type(hi_buf *b, const hi_type *t)
{
	hi_buf_addf(b, "Help on class %s in module builtins:\n\nclass %s", t->name, t->name);
	if (t->base)
		hi_buf_addf(b, "(%s)", t->base->name);
	hi_buf_add(b, "\n", 1);
	add_doc(b, t->doc, 4);
	if (t->match_kind < 0 || t->match_kind >= HI_KIND_COUNT || t->is_exc)
		return;
	hi_val tab = hi_method_table(t->match_kind);
	if (hi_as_dict(tab)->len == 0)
		return;
	hi_buf_adds(b, "\n    Methods defined here:\n\n");
	size_t n;
	const char **keys = sorted_keys(tab, &n);
	for (size_t i = 0; i < n; i++) {
		if (keys[i][0] == '_')
			continue;
		hi_val v;
		if (hi_dict_get_str(tab, keys[i], &v) == 1) {
			list_callable(b, v, 8);
			hi_decref(v);
		}
	}
	free(keys);
}

/* help('name'): the object a (dotted) name denotes, or absent. */
static hi_val lookup_name(const char *name)
{
	char *copy = strdup(name);
	char *save = NULL, *part = strtok_r(copy, ".", &save);
	hi_val v = hi_absent();
	if (part) {
		hi_val spaces[3] = { hi_S.globals, hi_S.builtins, hi_S.modules };
		for (int i = 0; i < 3 && hi_isabsent(v); i++)
			if (spaces[i].kind == HI_DICT && hi_dict_get_str(spaces[i], part, &v) != 1)
				v = hi_absent();
		while (!hi_isabsent(v) && (part = strtok_r(NULL, ".", &save))) {
			hi_val w = hi_getattr(v, part);
			hi_decref(v);
			if (hi_iserr(w)) {
				hi_exc_clear();
				w = hi_absent();
			}
			v = w;
		}
	}
	free(copy);
	return v;
}

static void help_into(hi_buf *b, hi_val obj, int depth)
{
	switch (obj.kind) {
	case HI_BUILTIN:
		help_builtin(b, (hi_builtin *)obj.o, NULL);
		return;
	case HI_FUNC:
		help_func(b, obj, NULL);
		return;
	case HI_METHOD: {
		hi_method *m = (hi_method *)obj.o;
		if (m->fn.kind == HI_BUILTIN)
			help_builtin(b, (hi_builtin *)m->fn.o, hi_type_name(m->self));
		else if (m->fn.kind == HI_FUNC)
			help_func(b, m->fn, hi_type_name(m->self));
		else
			help_into(b, m->fn, depth + 1);
		return;
	}
	case HI_MODULE:
		help_module(b, obj);
		return;
	case HI_TYPE:
		help_type(b, (hi_type *)obj.o);
		return;
	case HI_STR:
		if (depth == 0) {
			hi_val v = lookup_name(hi_as_str(obj)->s);
			if (hi_isabsent(v)) {
				hi_buf_addf(b, "No documentation found for '%s'.\n"
				            "Use help(obj) on a value, or dir(module) to list names.\n",
				            hi_as_str(obj)->s);
			} else {
				help_into(b, v, depth + 1);
				hi_decref(v);
			}
			return;
		}
		help_type(b, hi_types[HI_STR]);
		return;
	default:
		help_type(b, (hi_type *)hi_type_of(obj).o);
		return;
	}
}

char *hi_help_text(hi_val obj)
{
	hi_buf b = {0};
	if (hi_isabsent(obj)) {
		hi_buf_adds(&b,
		            "Welcome to ha, a Python-flavoured language for distributed arrays.\n\n"
		            "help(obj) shows the documentation of a function, module or type, e.g.\n"
		            "help(ht.sum), help(ht.linalg), help(print), help('ht.zeros').\n"
		            "dir(obj) lists the attributes of a value or the names in a module;\n"
		            "dir() lists the names you have defined.  Every Heat function is a global\n"
		            "name and also reachable as ht.NAME.\n");
	} else {
		help_into(&b, obj, 0);
	}
	return b.p ? b.p : strdup("");
}

static hi_val bi_help(hi_val *a, void *ctx)
{
	(void)ctx;
	char *t = hi_help_text(a[0]);
	int rc = hi_out_write(t, strlen(t), 0);
	free(t);
	return rc < 0 ? hi_err() : hi_none();
}

/* ---- dir ---- */

static hi_val sorted_unique(hi_val list)
{
	hi_list *l = hi_as_list(list);
	const char **k = malloc((l->len + 1) * sizeof *k);
	size_t m = 0;
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i].kind == HI_STR)
			k[m++] = hi_as_str(l->items[i])->s;
	qsort(k, m, sizeof *k, cmp_cstr);
	hi_val out = hi_list_new(m);
	for (size_t i = 0; i < m && !hi_iserr(out); i++) {
		if (i && !strcmp(k[i], k[i - 1]))
			continue;
		hi_val s = hi_str_cstr(k[i]);
		if (hi_iserr(s)) {
			hi_decref(out);
			out = s;
			break;
		}
		hi_list_append(out, s);
		hi_decref(s);
	}
	free(k);
	return out;
}

static void add_dict_keys(hi_val list, hi_val dict)
{
	hi_dict *d = hi_as_dict(dict);
	for (size_t i = 0; i < d->used; i++)
		if (d->entries[i].key.kind == HI_STR)
			hi_list_append(list, d->entries[i].key);
}

hi_val hi_dir(hi_val obj)
{
	hi_val l = hi_list_new(0);
	if (hi_iserr(l))
		return l;
	if (hi_isabsent(obj)) {
		if (hi_S.globals.kind == HI_DICT)
			add_dict_keys(l, hi_S.globals);
	} else if (obj.kind == HI_MODULE) {
		add_dict_keys(l, hi_module_dict(obj));
		hi_kind_attr_names(HI_MODULE, l);
	} else {
		hi_kind_attr_names(obj.kind, l);
		if (obj.kind == HI_TYPE) {
			hi_type *t = (hi_type *)obj.o;
			if (t->match_kind >= 0 && t->match_kind < HI_KIND_COUNT && t->match_kind != HI_TYPE)
				hi_kind_attr_names(t->match_kind, l);
		}
	}
	hi_val r = sorted_unique(l);
	hi_decref(l);
	return r;
}

static hi_val bi_dir(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_dir(a[0]);
}

static const hi_builtin_def defs[] = {
	{ "help(object=?)", bi_help,
	  "Show the documentation of object: a function's signature and docstring, a\n"
	  "module's functions with a one-line summary each, a type's description and\n"
	  "methods.  help('name') looks the (dotted) name up first; help() alone\n"
	  "explains how to get help.  Rank 0 prints; nothing is communicated." },
	{ "dir(object=?)", bi_dir,
	  "Return the sorted list of attribute names of object (for a module, the names\n"
	  "it defines).  dir() alone lists the names defined in the global namespace." },
	{ NULL, NULL, NULL }
};

void hi_register_help(hi_val dict)
{
	hi_register(dict, defs, NULL);
}
