/*
** registry.c — builtins described by a Python-style signature text:
** parsing the signature once, binding a call's positional and keyword
** arguments to it with Python's error messages, calling the C function;
** per-kind method tables, attribute getters/setters and the generic
** hi_getattr / hi_setattr; bound methods.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

/* ==== signature parsing ==== */

/* A signature is written by the C programmer, so a malformed one is a bug
** in ha itself: say which and stop at start-up, where it is seen at once. */
static void bad_sig(const char *sig, const char *why)
{
	fprintf(stderr, "ha: internal error: bad builtin signature \"%s\": %s\n", sig, why);
	abort();
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		abort();
	return p;
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && isspace((unsigned char)*p))
		p++;
	return p;
}

/* The end of the item starting at q in a comma-separated list ending at
** end: the first comma outside quotes and parentheses, or end. */
static const char *item_end(const char *q, const char *end)
{
	int depth = 0;
	char quote = 0;
	for (; q < end; q++) {
		if (quote) {
			if (*q == '\\')
				q++;
			else if (*q == quote)
				quote = 0;
		} else if (*q == '\'' || *q == '"') {
			quote = *q;
		} else if (*q == '(') {
			depth++;
		} else if (*q == ')') {
			depth--;
		} else if (*q == ',' && depth == 0) {
			break;
		}
	}
	return q;
}

/* Parse one default-value literal in [p, e): None True False ? ints
** floats 'str' "str" and tuples of these.  *ok = 0 when malformed. */
static hi_val parse_literal(const char *p, const char *e, int *ok)
{
	p = skip_ws(p, e);
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	size_t n = (size_t)(e - p);
	*ok = 1;
	if (n == 1 && *p == '?')
		return hi_absent();
	if (n == 4 && !strncmp(p, "None", 4))
		return hi_none();
	if (n == 4 && !strncmp(p, "True", 4))
		return hi_bool(1);
	if (n == 5 && !strncmp(p, "False", 5))
		return hi_bool(0);
	if (n >= 2 && (*p == '\'' || *p == '"') && e[-1] == *p) {
		hi_buf b = {0};
		for (const char *q = p + 1; q < e - 1; q++) {
			char c = *q;
			if (c == '\\' && q + 1 < e - 1) {
				c = *++q;
				c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == '0' ? '\0' : c;
			}
			hi_buf_add(&b, &c, 1);
		}
		return hi_buf_finish(&b);
	}
	if (n >= 2 && *p == '(' && e[-1] == ')') {
		hi_val l = hi_list_new(0);
		const char *q = p + 1, *end = e - 1;
		while (skip_ws(q, end) < end) {
			const char *s = q;
			q = item_end(q, end);
			hi_val item = parse_literal(s, q, ok);
			if (!*ok || hi_isabsent(item)) {
				*ok = 0;
				hi_decref(l);
				return hi_none();
			}
			hi_list_append(l, item);
			hi_decref(item);
			if (q < end)
				q++;
		}
		hi_list *L = hi_as_list(l);
		hi_val t = hi_tuple_new(L->len);
		for (size_t i = 0; i < L->len; i++)
			hi_tuple_set(t, i, hi_incref(L->items[i]));
		hi_decref(l);
		return t;
	}
	char buf[64];
	if (n == 0 || n >= sizeof buf) {
		*ok = 0;
		return hi_none();
	}
	memcpy(buf, p, n);
	buf[n] = 0;
	char *end;
	if (!strpbrk(buf, ".eEn") || !strncmp(buf, "0x", 2) || !strncmp(buf, "-0x", 3)) {
		long long v = strtoll(buf, &end, 0);
		if (*end == 0)
			return hi_int(v);
	}
	double d = strtod(buf, &end);
	if (*end == 0 && (isdigit((unsigned char)buf[0]) || buf[0] == '-' || buf[0] == '+' || buf[0] == '.' ||
	                  !strcmp(buf, "inf") || !strcmp(buf, "nan")))
		return hi_float(d);
	*ok = 0;
	return hi_none();
}

/* Split "name(p1, p2=..., *args, **kw)" into b->name and b->params. */
static void parse_signature(hi_builtin *b, const char *sig)
{
	const char *lp = strchr(sig, '(');
	const char *rp = strrchr(sig, ')');
	if (!lp || !rp || rp < lp)
		bad_sig(sig, "expected NAME(PARAMS)");
	const char *ns = skip_ws(sig, lp), *ne = lp;
	while (ne > ns && isspace((unsigned char)ne[-1]))
		ne--;
	if (ne == ns)
		bad_sig(sig, "no name");
	b->name = xstrndup(ns, (size_t)(ne - ns));

	int cap = 4, n = 0, kwonly = 0, seen_dstar = 0;
	hi_param *ps = calloc((size_t)cap, sizeof *ps);
	const char *p = lp + 1;
	while (skip_ws(p, rp) < rp) {
		const char *s = skip_ws(p, rp), *q = item_end(s, rp);
		const char *pe = q;
		while (pe > s && isspace((unsigned char)pe[-1]))
			pe--;
		p = q < rp ? q + 1 : rp;
		if (pe == s)
			bad_sig(sig, "empty parameter");
		if (pe - s == 1 && *s == '/')
			continue;   /* positional-only marker: every builtin parameter may be positional */
		if (seen_dstar)
			bad_sig(sig, "parameter after **kwargs");
		if (pe - s == 1 && *s == '*') {
			if (kwonly)
				bad_sig(sig, "two '*' markers");
			kwonly = 1;
			continue;
		}
		hi_param prm = { 0 };
		prm.kind = kwonly ? HG_PARAM_KWONLY : HG_PARAM_PLAIN;
		if (pe - s > 2 && s[0] == '*' && s[1] == '*') {
			prm.kind = HG_PARAM_DSTAR;
			s += 2;
			seen_dstar = 1;
		} else if (pe - s > 1 && s[0] == '*') {
			if (kwonly)
				bad_sig(sig, "*args after '*'");
			prm.kind = HG_PARAM_STAR;
			s += 1;
			kwonly = 1;
		}
		const char *eq = memchr(s, '=', (size_t)(pe - s));
		const char *nend = eq ? eq : pe;
		while (nend > s && isspace((unsigned char)nend[-1]))
			nend--;
		for (const char *c = s; c < nend; c++)
			if (!(isalnum((unsigned char)*c) || *c == '_'))
				bad_sig(sig, "bad parameter name");
		if (nend == s)
			bad_sig(sig, "missing parameter name");
		prm.name = xstrndup(s, (size_t)(nend - s));
		prm.defval = hi_none();
		if (eq) {
			if (prm.kind == HG_PARAM_STAR || prm.kind == HG_PARAM_DSTAR)
				bad_sig(sig, "default for *args/**kwargs");
			int ok;
			prm.defval = parse_literal(eq + 1, pe, &ok);
			if (!ok)
				bad_sig(sig, "default value must be None, True, False, ?, a number, a string or a tuple");
			prm.has_default = 1;
		} else if (prm.kind == HG_PARAM_PLAIN) {
			for (int i = 0; i < n; i++)
				if (ps[i].kind == HG_PARAM_PLAIN && ps[i].has_default)
					bad_sig(sig, "parameter without default follows parameter with default");
		}
		for (int i = 0; i < n; i++)
			if (!strcmp(ps[i].name, prm.name))
				bad_sig(sig, "duplicate parameter name");
		if (n == cap) {
			cap *= 2;
			ps = realloc(ps, (size_t)cap * sizeof *ps);
			if (!ps)
				abort();
		}
		ps[n++] = prm;
	}
	b->params = ps;
	b->nparams = n;
}

/* ==== builtin objects ==== */

static void builtin_free(hi_obj *o)
{
	hi_builtin *b = (hi_builtin *)o;
	for (int i = 0; i < b->nparams; i++) {
		free(b->params[i].name);
		hi_decref(b->params[i].defval);
	}
	free(b->params);
	free(b->name);
	free(b->qualname);
	free(b);
}

static int is_method_builtin(const hi_builtin *b)
{
	return b->nparams > 0 && !strcmp(b->params[0].name, "self");
}

static hi_val builtin_repr(hi_val v)
{
	hi_builtin *b = (hi_builtin *)v.o;
	if (is_method_builtin(b) && strchr(b->qualname, '.')) {
		const char *dot = strrchr(b->qualname, '.');
		return hi_str_fmt("<method '%s' of '%.*s' objects>", b->name,
		                  (int)(dot - b->qualname), b->qualname);
	}
	return hi_str_fmt("<built-in function %s>", b->name);
}

hi_val hi_builtin_new(const hi_builtin_def *d, const char *module, void *ctx)
{
	hi_builtin *b = hi_obj_alloc(sizeof *b, HI_BUILTIN);
	if (!b)
		return hi_raise(hi_MemoryError, "out of memory");
	parse_signature(b, d->sig);
	b->plain = 1;
	for (int i = 0; i < b->nparams; i++) {
		if (b->params[i].kind != HG_PARAM_PLAIN)
			b->plain = 0;
		else if (!b->params[i].has_default)
			b->nrequired = i + 1;
	}
	b->sig = d->sig;
	b->doc = d->doc;
	b->fn = d->fn;
	b->ctx = ctx;
	if (module && *module) {
		size_t n = strlen(module) + strlen(b->name) + 2;
		b->qualname = malloc(n);
		if (!b->qualname)
			abort();
		snprintf(b->qualname, n, "%s.%s", module, b->name);
	} else {
		b->qualname = xstrndup(b->name, strlen(b->name));
	}
	return hi_objval(b, HI_BUILTIN);
}

void hi_register(hi_val dict, const hi_builtin_def *defs, const char *module)
{
	for (; defs->sig; defs++) {
		hi_val b = hi_builtin_new(defs, module, NULL);
		if (hi_iserr(b))
			return;
		hi_dict_set_str(dict, ((hi_builtin *)b.o)->name, b);
		hi_decref(b);
	}
}

/* The signature as help() shows it: parameters whose default is "?"
** appear in brackets, as Python's documentation writes them:
** "range(start[, stop[, step]])", "next(iterator[, default])". */
char *hi_builtin_signature(const hi_builtin *b)
{
	hi_buf s = {0};
	hi_buf_adds(&s, b->name);
	hi_buf_add(&s, "(", 1);
	int open = 0, any = 0, star = 0;
	for (int i = 0; i < b->nparams; i++) {
		const hi_param *p = &b->params[i];
		int opt = p->has_default && hi_isabsent(p->defval);
		if (!opt)
			for (; open; open--)
				hi_buf_add(&s, "]", 1);
		if (p->kind == HG_PARAM_KWONLY && !star) {
			hi_buf_adds(&s, any ? ", *" : "*");
			star = any = 1;
		}
		if (opt) {
			hi_buf_adds(&s, any ? "[, " : "[");
			open++;
		} else if (any) {
			hi_buf_adds(&s, ", ");
		}
		any = 1;
		if (p->kind == HG_PARAM_STAR) {
			hi_buf_add(&s, "*", 1);
			star = 1;
		} else if (p->kind == HG_PARAM_DSTAR) {
			hi_buf_add(&s, "**", 2);
		}
		hi_buf_adds(&s, p->name);
		if (p->has_default && !opt) {
			hi_val r = hi_repr(p->defval);
			hi_buf_add(&s, "=", 1);
			if (!hi_iserr(r)) {
				hi_buf_addval(&s, r);
				hi_decref(r);
			} else {
				hi_exc_clear();
			}
		}
	}
	for (; open; open--)
		hi_buf_add(&s, "]", 1);
	hi_buf_add(&s, ")", 1);
	return s.p;
}

/* ==== binding arguments ==== */

static hi_val unset(void) { return hi_err(); }          /* kind ERROR, i == 0 */
static int isunset(hi_val v) { return v.kind == HI_ERROR && v.i == 0; }

static void release(hi_val *out, int n)
{
	for (int i = 0; i < n; i++) {
		hi_decref(out[i]);
		out[i] = unset();
	}
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" as CPython lists names. */
static void name_list(hi_buf *b, const char **names, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			hi_buf_adds(b, n == 2 ? " and " : i == n - 1 ? ", and " : ", ");
		hi_buf_addf(b, "'%s'", names[i]);
	}
}

static int missing_error(const hi_builtin *b, const char **names, int n, const char *what)
{
	hi_buf m = {0};
	hi_buf_addf(&m, "%s() missing %d required %s argument%s: ", b->name, n, what, n == 1 ? "" : "s");
	name_list(&m, names, n);
	hi_raise(hi_TypeError, "%s", m.p);
	hi_buf_free(&m);
	return -1;
}

int hi_bind_args(const hi_builtin *b, int argc, const hi_val *argv, int nkw,
                 const char *const *kwnames, const hi_val *kwvals, hi_val *out)
{
	int n = b->nparams, npos = 0, istar = -1, idstar = -1;
	for (int i = 0; i < n; i++) {
		out[i] = unset();
		if (b->params[i].kind == HG_PARAM_PLAIN && istar < 0)
			npos = i + 1;
		else if (b->params[i].kind == HG_PARAM_STAR)
			istar = i;
		else if (b->params[i].kind == HG_PARAM_DSTAR)
			idstar = i;
	}
	/* positional arguments */
	int k = argc < npos ? argc : npos;
	for (int i = 0; i < k; i++)
		out[i] = hi_incref(argv[i]);
	if (argc > npos && istar < 0) {
		int ndef = 0;
		for (int i = 0; i < npos; i++)
			ndef += b->params[i].has_default;
		release(out, n);
		if (ndef)
			return hi_raisei(hi_TypeError, "%s() takes from %d to %d positional arguments but %d were given",
			                 b->name, npos - ndef, npos, argc);
		return hi_raisei(hi_TypeError, "%s() takes %d positional argument%s but %d %s given",
		                 b->name, npos, npos == 1 ? "" : "s", argc, argc == 1 ? "was" : "were");
	}
	if (istar >= 0) {
		int extra = argc > npos ? argc - npos : 0;
		hi_val t = hi_tuple_new((size_t)extra);
		if (hi_iserr(t)) {
			release(out, n);
			return -1;
		}
		for (int i = 0; i < extra; i++)
			hi_tuple_set(t, (size_t)i, hi_incref(argv[npos + i]));
		out[istar] = t;
	}
	if (idstar >= 0) {
		out[idstar] = hi_dict_new();
		if (hi_iserr(out[idstar])) {
			out[idstar] = unset();
			release(out, n);
			return -1;
		}
	}
	/* keyword arguments */
	for (int j = 0; j < nkw; j++) {
		int p = -1;
		for (int i = 0; i < n; i++)
			if ((b->params[i].kind == HG_PARAM_PLAIN || b->params[i].kind == HG_PARAM_KWONLY) &&
			    !strcmp(b->params[i].name, kwnames[j])) {
				p = i;
				break;
			}
		if (p >= 0) {
			if (!isunset(out[p])) {
				release(out, n);
				return hi_raisei(hi_TypeError, "%s() got multiple values for argument '%s'", b->name, kwnames[j]);
			}
			out[p] = hi_incref(kwvals[j]);
		} else if (idstar >= 0) {
			hi_val dummy;
			if (hi_dict_get_str(out[idstar], kwnames[j], &dummy) == 1) {
				hi_decref(dummy);
				release(out, n);
				return hi_raisei(hi_TypeError, "%s() got multiple values for keyword argument '%s'",
				                 b->name, kwnames[j]);
			}
			if (hi_dict_set_str(out[idstar], kwnames[j], kwvals[j]) < 0) {
				release(out, n);
				return -1;
			}
		} else {
			release(out, n);
			return hi_raisei(hi_TypeError, "%s() got an unexpected keyword argument '%s'", b->name, kwnames[j]);
		}
	}
	/* defaults, then what is still missing */
	const char *miss_stack[8];
	const char **miss = n <= 8 ? miss_stack : malloc((size_t)n * sizeof *miss);
	int nmiss = 0, nmiss_kw = 0;
	for (int pass = 0; pass < 2 && !nmiss; pass++)
		for (int i = 0; i < n; i++) {
			if (!isunset(out[i]))
				continue;
			const hi_param *p = &b->params[i];
			if (p->has_default) {
				if (pass == 0)
					out[i] = hi_incref(p->defval);
			} else if ((pass == 0 && p->kind == HG_PARAM_PLAIN) ||
			           (pass == 1 && p->kind == HG_PARAM_KWONLY)) {
				miss[nmiss++] = p->name;
				nmiss_kw = pass;
			}
		}
	int rc = 0;
	if (nmiss) {
		release(out, n);
		rc = missing_error(b, miss, nmiss, nmiss_kw ? "keyword-only" : "positional");
	}
	if (miss != miss_stack)
		free(miss);
	return rc;
}

hi_val hi_call_builtin(hi_builtin *b, int argc, const hi_val *argv, int nkw,
                       const char *const *kwnames, const hi_val *kwvals)
{
	hi_val stackbuf[8];
	hi_val *args = b->nparams <= 8 ? stackbuf : malloc((size_t)b->nparams * sizeof *args);
	if (!args)
		return hi_raise(hi_MemoryError, "out of memory");
	hi_val r;
	int bound = 0;
	if (nkw == 0 && b->plain && argc >= b->nrequired && argc <= b->nparams) {
		/* positional arguments only, every parameter filled: what
		** hi_bind_args does without its checks */
		for (int i = 0; i < argc; i++)
			args[i] = hi_incref(argv[i]);
		for (int i = argc; i < b->nparams; i++)
			args[i] = hi_incref(b->params[i].defval);
		bound = 1;
	}
	if (!bound && hi_bind_args(b, argc, argv, nkw, kwnames, kwvals, args) < 0) {
		r = hi_err();
	} else {
		r = b->fn(args, b->ctx);
		for (int i = 0; i < b->nparams; i++)
			hi_decref(args[i]);
		if (!hi_iserr(r)) {
			/* local_result: 1 always rank-local, -1 never (a collective
			** that builds a global value from rank-local pieces), 0 local
			** when any argument is */
			int local = b->local_result > 0;
			for (int i = 0; i < argc && !local && b->local_result == 0; i++)
				local = argv[i].local;
			for (int i = 0; i < nkw && !local && b->local_result == 0; i++)
				local = kwvals[i].local;
			r = hi_setlocal(r, local);
		}
	}
	if (args != stackbuf)
		free(args);
	return r;
}

/* ==== per-kind methods, getters, setters, attribute names ==== */

#define MAX_HOOKS 4
#define MAX_NAMELISTS 8
static hi_val method_tables[HI_KIND_COUNT];
static hi_getattr_fn getters[HI_KIND_COUNT][MAX_HOOKS];
static hi_setattr_fn setters[HI_KIND_COUNT][MAX_HOOKS];
static const char *const *attrnames[HI_KIND_COUNT][MAX_NAMELISTS];

hi_val hi_method_table(int kind)
{
	if (method_tables[kind].kind != HI_DICT)
		method_tables[kind] = hi_dict_new();
	return method_tables[kind];
}

void hi_register_methods(int kind, const hi_builtin_def *defs)
{
	hi_register(hi_method_table(kind), defs,
	            kind == HI_ARRAY ? "DNDarray" : hi_kind_name((hi_kind)kind));
}

hi_val hi_method_lookup(int kind, const char *name)
{
	if (kind < 0 || kind >= HI_KIND_COUNT || method_tables[kind].kind != HI_DICT)
		return hi_absent();
	hi_val m;
	if (hi_dict_get_str(method_tables[kind], name, &m) == 1)
		return m;
	return hi_absent();
}

void hi_register_getattr(int kind, hi_getattr_fn fn)
{
	for (int i = 0; i < MAX_HOOKS; i++)
		if (!getters[kind][i] || getters[kind][i] == fn) {
			getters[kind][i] = fn;
			return;
		}
	fprintf(stderr, "ha: internal error: too many attribute getters for kind %s\n", hi_kind_name((hi_kind)kind));
	abort();
}

void hi_register_setattr(int kind, hi_setattr_fn fn)
{
	for (int i = 0; i < MAX_HOOKS; i++)
		if (!setters[kind][i] || setters[kind][i] == fn) {
			setters[kind][i] = fn;
			return;
		}
	fprintf(stderr, "ha: internal error: too many attribute setters for kind %s\n", hi_kind_name((hi_kind)kind));
	abort();
}

void hi_register_attrnames(int kind, const char *const *names)
{
	for (int i = 0; i < MAX_NAMELISTS; i++)
		if (!attrnames[kind][i] || attrnames[kind][i] == names) {
			attrnames[kind][i] = names;
			return;
		}
	fprintf(stderr, "ha: internal error: too many attribute name lists for kind %s\n", hi_kind_name((hi_kind)kind));
	abort();
}

/* Every attribute name of a kind: registered names and method names,
** appended to list (unsorted, possibly with repeats). */
int hi_kind_attr_names(int kind, hi_val list)
{
	if (kind < 0 || kind >= HI_KIND_COUNT)
		return 0;
	for (int i = 0; i < MAX_NAMELISTS && attrnames[kind][i]; i++)
		for (const char *const *p = attrnames[kind][i]; *p; p++) {
			hi_val s = hi_str_cstr(*p);
			if (hi_iserr(s))
				return -1;
			hi_list_append(list, s);
			hi_decref(s);
		}
	if (method_tables[kind].kind == HI_DICT) {
		hi_dict *d = hi_as_dict(method_tables[kind]);
		for (size_t i = 0; i < d->used; i++)
			if (d->entries[i].key.kind != HI_ERROR)
				hi_list_append(list, d->entries[i].key);
	}
	return 0;
}

/* ==== bound methods ==== */

static void method_free(hi_obj *o)
{
	hi_method *m = (hi_method *)o;
	hi_decref(m->self);
	hi_decref(m->fn);
	free(m);
}

static hi_val method_repr(hi_val v)
{
	hi_method *m = (hi_method *)v.o;
	if (m->fn.kind == HI_BUILTIN)
		return hi_str_fmt("<built-in method %s of %s object>", ((hi_builtin *)m->fn.o)->name,
		                  hi_type_name(m->self));
	const char *name = "function";
	hi_val nm = hi_none();
	if (m->fn.kind == HI_FUNC) {
		nm = hi_getattr(m->fn, "__name__");
		if (hi_iserr(nm)) {
			hi_exc_clear();
			nm = hi_none();
		} else if (nm.kind == HI_STR) {
			name = hi_as_str(nm)->s;
		}
	}
	hi_val r = hi_str_fmt("<bound method %s of %s object>", name, hi_type_name(m->self));
	hi_decref(nm);
	return r;
}

hi_val hi_method_new(hi_val self, hi_val fn)
{
	hi_method *m = hi_obj_alloc(sizeof *m, HI_METHOD);
	if (!m)
		return hi_raise(hi_MemoryError, "out of memory");
	m->self = hi_incref(self);
	m->fn = hi_incref(fn);
	return hi_setlocal(hi_objval(m, HI_METHOD), self.local);
}

/* ==== generic attribute access ==== */

static hi_val no_attr(hi_val obj, const char *name)
{
	if (obj.kind == HI_MODULE)
		return hi_raise(hi_AttributeError, "module '%s' has no attribute '%s'",
		                ((hi_module *)obj.o)->name, name);
	if (obj.kind == HI_TYPE)
		return hi_raise(hi_AttributeError, "type object '%s' has no attribute '%s'",
		                ((hi_type *)obj.o)->name, name);
	return hi_raise(hi_AttributeError, "'%s' object has no attribute '%s'", hi_type_name(obj), name);
}

/* hi_getattr, except that a method of obj's kind comes back unbound
** (*unbound = 1; the caller passes obj as the first argument), which
** spares `x.f(a)` making a bound method per call. */
hi_val hi_getattr_for_call(hi_val obj, const char *name, int *unbound)
{
	*unbound = 0;
	int kind = obj.kind;
	if (kind >= HI_KIND_COUNT || kind == HI_MODULE || kind == HI_TYPE)
		return hi_getattr(obj, name);
	for (int i = 0; i < MAX_HOOKS && getters[kind][i]; i++) {
		hi_val v = getters[kind][i](obj, name);
		if (!hi_isabsent(v))
			return hi_iserr(v) ? v : hi_setlocal(v, obj.local);
	}
	hi_val m = hi_method_lookup(kind, name);
	if (hi_isabsent(m))
		return no_attr(obj, name);
	*unbound = 1;
	return m;
}

hi_val hi_getattr(hi_val obj, const char *name)
{
	if (hi_iserr(obj))
		return obj;
	int kind = obj.kind;
	if (kind >= HI_KIND_COUNT)
		return no_attr(obj, name);
	if (kind == HI_MODULE) {
		hi_val v;
		if (hi_dict_get_str(hi_module_dict(obj), name, &v) == 1)
			return hi_setlocal(v, obj.local);
	}
	for (int i = 0; i < MAX_HOOKS && getters[kind][i]; i++) {
		hi_val v = getters[kind][i](obj, name);
		if (!hi_isabsent(v))
			return hi_iserr(v) ? v : hi_setlocal(v, obj.local);
	}
	if (kind != HI_MODULE && kind != HI_TYPE) {
		hi_val m = hi_method_lookup(kind, name);
		if (!hi_isabsent(m)) {
			hi_val bm = hi_method_new(obj, m);
			hi_decref(m);
			return bm;
		}
	}
	return no_attr(obj, name);
}

int hi_setattr(hi_val obj, const char *name, hi_val value)
{
	int kind = obj.kind;
	if (kind == HI_MODULE)
		return hi_dict_set_str(hi_module_dict(obj), name, value);
	if (kind < HI_KIND_COUNT)
		for (int i = 0; i < MAX_HOOKS && setters[kind][i]; i++) {
			int r = setters[kind][i](obj, name, value);
			if (r <= 0)
				return r;
		}
	/* a known attribute that no setter accepts is read-only */
	hi_val cur = hi_getattr(obj, name);
	if (hi_iserr(cur)) {
		hi_exc_clear();
		if (kind == HI_TYPE)
			return hi_raisei(hi_TypeError, "cannot set '%s' attribute of immutable type '%s'",
			                 name, ((hi_type *)obj.o)->name);
		return hi_raisei(hi_AttributeError, "'%s' object has no attribute '%s'", hi_type_name(obj), name);
	}
	hi_decref(cur);
	if (kind == HI_TYPE)
		return hi_raisei(hi_TypeError, "cannot set '%s' attribute of immutable type '%s'",
		                 name, ((hi_type *)obj.o)->name);
	return hi_raisei(hi_AttributeError, "'%s' object attribute '%s' is read-only", hi_type_name(obj), name);
}

/* __name__ / __doc__ / __qualname__ of builtins and bound methods */
static hi_val builtin_getattr(hi_val self, const char *name)
{
	hi_builtin *b = (hi_builtin *)self.o;
	if (!strcmp(name, "__name__"))
		return hi_str_cstr(b->name);
	if (!strcmp(name, "__qualname__"))
		return hi_str_cstr(b->qualname);
	if (!strcmp(name, "__doc__"))
		return b->doc ? hi_str_cstr(b->doc) : hi_none();
	if (!strcmp(name, "__text_signature__")) {
		char *sig = hi_builtin_signature(b);
		hi_val r = sig ? hi_str_cstr(sig) : hi_none();
		free(sig);
		return r;
	}
	return hi_absent();
}

static hi_val method_getattr(hi_val self, const char *name)
{
	hi_method *m = (hi_method *)self.o;
	if (!strcmp(name, "__self__"))
		return hi_incref(m->self);
	if (!strcmp(name, "__func__"))
		return hi_incref(m->fn);
	if (!strcmp(name, "__name__") || !strcmp(name, "__doc__") || !strcmp(name, "__qualname__"))
		return hi_getattr(m->fn, name);
	return hi_absent();
}

void hi_registry_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	hi_slots *s = hi_slots_of(HI_BUILTIN);
	s->free = builtin_free;
	s->repr = builtin_repr;
	s = hi_slots_of(HI_METHOD);
	s->free = method_free;
	s->repr = method_repr;
	hi_register_getattr(HI_BUILTIN, builtin_getattr);
	hi_register_getattr(HI_METHOD, method_getattr);
	static const char *const bnames[] = { "__name__", "__qualname__", "__doc__", "__text_signature__", NULL };
	static const char *const mnames[] = { "__name__", "__qualname__", "__doc__", "__self__", "__func__", NULL };
	hi_register_attrnames(HI_BUILTIN, bnames);
	hi_register_attrnames(HI_METHOD, mnames);
}
