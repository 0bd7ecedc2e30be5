/*
** eval_expr.c — evaluating expressions.
**
** hi_eval returns a new reference or hi_err().  On the error path every
** node that can fail records its line in the frame (hi_err_at), so the
** traceback shows the innermost line of a multi-line statement.
*/
#include <stdlib.h>
#include <string.h>

#include "eval_fast.h"

#define MAXARGS_STACK 16

/* eval_fast.h holds the dispatcher (hi_ev); this file's own name for it. */
#define eval hi_ev

hi_val hi_eval(hg_node *n, hi_frame *fr) { return eval(n, fr); }

/* ---- names ---- */

static hi_val load_global(hg_node *n, hi_frame *fr)
{
	hi_namecache *c = n->info;
	hi_dict *g = hi_as_dict(fr->globals), *b = hi_as_dict(hi_S.builtins);
	if (c->idx >= 0 && c->globals == g && c->gver == g->version
	    && (!c->in_builtins || c->bver == b->version))
		return hi_incref((c->in_builtins ? b : g)->entries[c->idx].value);
	int ok;
	int64_t h = hi_hash(c->name, &ok);
	int64_t ix = hi_dict_find(g, c->name, h);
	int in_builtins = 0;
	if (ix == -1 && g != b) {
		ix = hi_dict_find(b, c->name, h);
		in_builtins = 1;
	}
	if (ix >= 0) {
		c->globals = g;
		c->gver = g->version;
		c->bver = b->version;
		c->idx = ix;
		c->in_builtins = in_builtins;
		return hi_incref((in_builtins ? b : g)->entries[ix].value);
	}
	if (ix == -1)
		hi_raise(hi_NameError, "name '%s' is not defined", n->v.s);
	return hi_err_at(fr, n);
}

static hi_val load_name(hg_node *n, hi_frame *fr)
{
	hi_val v;
	switch (n->scope) {
	case SC_LOCAL:
		v = fr->locals[n->slot];
		if (hi_isabsent(v)) {
			hi_raise(hi_UnboundLocalError,
			         "cannot access local variable '%s' where it is not associated with a value",
			         n->v.s);
			return hi_err_at(fr, n);
		}
		return hi_incref(v);
	case SC_CELL:
	case SC_FREE: {
		hi_val cell = n->scope == SC_CELL ? fr->locals[n->slot] : fr->free[n->slot];
		v = ((hi_cell *)cell.o)->v;
		if (hi_isabsent(v)) {
			if (n->scope == SC_CELL)
				hi_raise(hi_UnboundLocalError,
				         "cannot access local variable '%s' where it is not associated with a value",
				         n->v.s);
			else
				hi_raise(hi_NameError,
				         "cannot access free variable '%s' where it is not associated with a value in enclosing scope",
				         n->v.s);
			return hi_err_at(fr, n);
		}
		return hi_incref(v);
	}
	default:
		return load_global(n, fr);
	}
}

/* ---- calls ---- */

typedef struct callargs {
	int argc, nkw;
	hi_val *argv, *kwvals;
	const char **kwnames;
	hi_val kwkeep;               /* list keeping **kwargs key strings alive */
	hi_val sargv[MAXARGS_STACK];
	hi_val skw[MAXARGS_STACK];
	const char *sname[MAXARGS_STACK];
	int capv, capk;
} callargs;

static int push_arg(callargs *a, hi_val v)
{
	if (a->argc == a->capv) {
		int nc = a->capv * 2;
		hi_val *p = malloc(sizeof(hi_val) * (size_t)nc);
		if (!p)
			return -1;
		memcpy(p, a->argv, sizeof(hi_val) * (size_t)a->argc);
		if (a->argv != a->sargv)
			free(a->argv);
		a->argv = p;
		a->capv = nc;
	}
	a->argv[a->argc++] = v;
	return 0;
}

static int push_kw(callargs *a, const char *name, hi_val v)
{
	if (a->nkw == a->capk) {
		int nc = a->capk * 2;
		hi_val *p = malloc(sizeof(hi_val) * (size_t)nc);
		const char **q = malloc(sizeof(char *) * (size_t)nc);
		if (!p || !q)
			return -1;
		memcpy(p, a->kwvals, sizeof(hi_val) * (size_t)a->nkw);
		memcpy(q, a->kwnames, sizeof(char *) * (size_t)a->nkw);
		if (a->kwvals != a->skw) {
			free(a->kwvals);
			free(a->kwnames);
		}
		a->kwvals = p;
		a->kwnames = q;
		a->capk = nc;
	}
	for (int i = 0; i < a->nkw; i++)
		if (strcmp(a->kwnames[i], name) == 0) {
			hi_raise(hi_TypeError, "got multiple values for keyword argument '%s'", name);
			hi_decref(v);
			return -1;
		}
	a->kwnames[a->nkw] = name;
	a->kwvals[a->nkw++] = v;
	return 0;
}

static void free_args(callargs *a)
{
	for (int i = 0; i < a->argc; i++)
		hi_decref(a->argv[i]);
	for (int i = 0; i < a->nkw; i++)
		hi_decref(a->kwvals[i]);
	if (a->argv != a->sargv)
		free(a->argv);
	if (a->kwvals != a->skw) {
		free(a->kwvals);
		free(a->kwnames);
	}
	hi_decref(a->kwkeep);
}

static int eval_args(hg_node *call, hi_frame *fr, callargs *a)
{
	a->argc = a->nkw = 0;
	a->argv = a->sargv;
	a->kwvals = a->skw;
	a->kwnames = a->sname;
	a->capv = a->capk = MAXARGS_STACK;
	a->kwkeep = hi_none();
	for (int i = 1; i < call->nkids; i++) {
		hg_node *k = call->kids[i];
		if (k->kind == HG_KWARG) {
			hi_val v = eval(k->kids[0], fr);
			if (hi_iserr(v) || push_kw(a, k->v.s, v))
				return -1;
		} else if (k->kind == HG_STARARG) {
			hi_val seq = eval(k->kids[0], fr);
			if (hi_iserr(seq))
				return -1;
			hi_val it = hi_iter(seq);
			hi_decref(seq);
			if (hi_iserr(it))
				return -1;
			hi_val item;
			int r;
			while ((r = hi_next(it, &item)) > 0)
				if (push_arg(a, item)) {
					hi_decref(it);
					return -1;
				}
			hi_decref(it);
			if (r < 0)
				return -1;
		} else if (k->kind == HG_DSTARARG) {
			hi_val d = eval(k->kids[0], fr);
			if (hi_iserr(d))
				return -1;
			if (d.kind != HI_DICT) {
				hi_raise(hi_TypeError, "argument after ** must be a mapping, not %s", hi_type_name(d));
				hi_decref(d);
				return -1;
			}
			if (a->kwkeep.kind == HI_NONE)
				a->kwkeep = hi_list_new(4);
			hi_dict *dd = hi_as_dict(d);
			for (size_t e = 0; e < dd->used; e++) {
				hi_dict_entry *en = &dd->entries[e];
				if (en->key.kind == HI_ERROR)
					continue;
				if (en->key.kind != HI_STR) {
					hi_raise(hi_TypeError, "keywords must be strings");
					hi_decref(d);
					return -1;
				}
				hi_list_append(a->kwkeep, en->key);
				if (push_kw(a, hi_as_str(en->key)->s, hi_incref(en->value))) {
					hi_decref(d);
					return -1;
				}
			}
			hi_decref(d);
		} else {
			hi_val v = eval(k, fr);
			if (hi_iserr(v) || push_arg(a, v))
				return -1;
		}
	}
	return 0;
}

hi_val hi_call(hi_val fn, int argc, const hi_val *argv, int nkw,
               const char *const *kwnames, const hi_val *kwvals)
{
	switch (fn.kind) {
	case HI_FUNC:
		return hi_call_func((hi_func *)fn.o, argc, argv, nkw, kwnames, kwvals);
	case HI_BUILTIN:
		return hi_call_builtin((hi_builtin *)fn.o, argc, argv, nkw, kwnames, kwvals);
	case HI_METHOD: {
		hi_method *m = (hi_method *)fn.o;
		hi_val small[MAXARGS_STACK + 1];
		hi_val *v = argc < MAXARGS_STACK ? small : malloc(sizeof(hi_val) * (size_t)(argc + 1));
		if (!v)
			return hi_raise(hi_MemoryError, "out of memory");
		v[0] = m->self;
		memcpy(v + 1, argv, sizeof(hi_val) * (size_t)argc);
		hi_val r = hi_call(m->fn, argc + 1, v, nkw, kwnames, kwvals);
		if (v != small)
			free(v);
		return r;
	}
	case HI_TYPE:
		return hi_call_type((hi_type *)fn.o, argc, argv, nkw, kwnames, kwvals);
	default: {
		hi_slots *sl = fn.kind < HI_KIND_COUNT ? hi_slots_of(fn.kind) : NULL;
		if (sl && sl->call)
			return sl->call(fn, argc, argv, nkw, kwnames, kwvals);
		return hi_raise(hi_TypeError, "'%s' object is not callable", hi_type_name(fn));
	}
	}
}

hi_val hi_call_simple(hi_val fn, int argc, const hi_val *argv)
{
	return hi_call(fn, argc, argv, 0, NULL, NULL);
}

/* f(a, b): plain positional arguments, the common case; op caches the
** check (0 unknown, 1 plain, 2 not plain). */
static int plain_call(hg_node *n)
{
	if (n->op == 0) {
		n->op = (n->nkids - 1 <= MAXARGS_STACK) ? 1 : 2;
		for (int i = 1; i < n->nkids; i++) {
			hg_kind k = n->kids[i]->kind;
			if (k == HG_KWARG || k == HG_STARARG || k == HG_DSTARARG)
				n->op = 2;
		}
	}
	return n->op == 1;
}

/* The end of every call: release the callee, note the error line, and
** make the result rank-local when the callee or the result is. */
HI_HOT hi_val call_done(hg_node *n, hi_frame *fr, hi_val fn, hi_val r)
{
	int local = fn.local;
	hi_decref(fn);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	if (local)
		r.local = 1;
	if (r.local)
		hi_S.touched_local = 1;
	return r;
}

/* Positional arguments only, to anything but a simple user function. */
__attribute__((noinline)) static hi_val eval_call_plain(hg_node *n, hi_frame *fr, hi_val fn)
{
	hi_val av[MAXARGS_STACK];
	int argc = n->nkids - 1;
	for (int i = 0; i < argc; i++) {
		av[i] = eval(n->kids[i + 1], fr);
		if (hi_iserr(av[i])) {
			for (int j = 0; j < i; j++)
				hi_decref(av[j]);
			hi_decref(fn);
			return hi_err_at(fr, n);
		}
	}
	hi_val r;
	if (fn.kind == HI_FUNC) {
		r = hi_call_func_steal((hi_func *)fn.o, argc, av);
	} else {
		r = hi_call(fn, argc, av, 0, NULL, NULL);
		for (int i = 0; i < argc; i++)
			hi_decref(av[i]);
	}
	return call_done(n, fr, fn, r);
}

static hi_val eval_call_general(hg_node *n, hi_frame *fr, hi_val fn);

/* A global name whose cached entry is still valid (load_global's first
** test, inlined for the callee of a call: `f(x)` is mostly a global f). */
HI_HOT int cached_global(hg_node *n, hi_frame *fr, hi_val *out)
{
	if (n->kind != HG_NAME || n->scope != SC_GLOBAL)
		return 0;
	hi_namecache *c = n->info;
	hi_dict *g = hi_as_dict(fr->globals);
	if (c->idx < 0 || c->in_builtins || c->globals != g || c->gver != g->version)
		return 0;
	*out = hi_incref(g->entries[c->idx].value);
	if (out->local)
		hi_S.touched_local = 1;
	return 1;
}

/* A plain call once the callee is known. */
HI_HOT hi_val call_plain(hg_node *n, hi_frame *fr, hi_val fn)
{
	if (fn.kind == HI_FUNC && ((hi_func *)fn.o)->code->simple
	    && ((hi_func *)fn.o)->code->nparams == n->nkids - 1) {
		/* the common case, a user function: its frame is set up here */
		return call_done(n, fr, fn, hi_call_direct((hi_func *)fn.o, n, fr));
	}
	return eval_call_plain(n, fr, fn);
}

static hi_val eval_call(hg_node *n, hi_frame *fr)
{
	hi_val fn;
	if (!cached_global(n->kids[0], fr, &fn))
		fn = eval(n->kids[0], fr);
	if (hi_iserr(fn))
		return fn;
	if (!plain_call(n))
		return eval_call_general(n, fr, fn);
	return call_plain(n, fr, fn);
}

int hi_is_plain_call(hg_node *n) { return plain_call(n); }

/* f(a, b) where f is a global name: what hi_specialize picks for such
** calls when the arguments are plain (no test of the node's shape left). */
hi_val hi_eval_call_global(hg_node *n, hi_frame *fr)
{
	hi_val fn;
	if (!cached_global(n->kids[0], fr, &fn)) {
		fn = eval(n->kids[0], fr);
		if (hi_iserr(fn))
			return fn;
	}
	return call_plain(n, fr, fn);
}

/* x.f(a, b) with positional arguments: when f is a method of x's kind it
** is called with x as its first argument, without making a bound method
** (what ev_attr and the HI_METHOD call would do, minus the allocation). */
hi_val hi_eval_call_method(hg_node *n, hi_frame *fr)
{
	hg_node *an = n->kids[0];
	hi_val o = eval(an->kids[0], fr);
	if (hi_iserr(o))
		return o;
	int unbound;
	hi_val fn = hi_getattr_for_call(o, an->v.s, &unbound);
	if (hi_iserr(fn)) {
		hi_decref(o);
		return hi_err_at(fr, an);
	}
	if (!unbound) {
		/* an attribute that is not a method: the ordinary call */
		fn.local |= o.local;
		hi_decref(o);
		if (fn.local)
			hi_S.touched_local = 1;
		return call_plain(n, fr, fn);
	}
	fn.local = o.local;   /* as the bound method would be */
	hi_val av[MAXARGS_STACK + 1];
	int argc = n->nkids - 1;
	av[0] = o;
	for (int i = 0; i < argc; i++) {
		av[i + 1] = eval(n->kids[i + 1], fr);
		if (hi_iserr(av[i + 1])) {
			for (int j = 0; j <= i; j++)
				hi_decref(av[j]);
			hi_decref(fn);
			return hi_err_at(fr, n);
		}
	}
	hi_val r = hi_call(fn, argc + 1, av, 0, NULL, NULL);
	for (int i = 0; i <= argc; i++)
		hi_decref(av[i]);
	return call_done(n, fr, fn, r);
}

/* keyword, *args or **kwargs arguments (its big argument buffers stay off
** the plain call's stack frame) */
__attribute__((noinline)) static hi_val eval_call_general(hg_node *n, hi_frame *fr, hi_val fn)
{
	callargs a;
	if (eval_args(n, fr, &a)) {
		free_args(&a);
		hi_decref(fn);
		return hi_err_at(fr, n);
	}
	hi_val r = hi_call(fn, a.argc, a.argv, a.nkw, a.kwnames, a.kwvals);
	free_args(&a);
	return call_done(n, fr, fn, r);
}

/* ---- subscripts and slices ---- */

static hi_val eval_index(hg_node *n, hi_frame *fr)
{
	if (n->kind == HG_SLICE) {
		hi_val p[3];
		for (int i = 0; i < 3; i++) {
			p[i] = n->kids[i] ? eval(n->kids[i], fr) : hi_none();
			if (hi_iserr(p[i])) {
				for (int j = 0; j < i; j++)
					hi_decref(p[j]);
				return p[i];
			}
		}
		hi_val s = hi_slice_new(p[0], p[1], p[2]);
		int local = p[0].local | p[1].local | p[2].local;
		for (int i = 0; i < 3; i++)
			hi_decref(p[i]);
		return hi_setlocal(s, local);
	}
	if (n->kind == HG_TUPLE) {
		hi_val t = hi_tuple_new((size_t)n->nkids);
		if (hi_iserr(t))
			return t;
		int local = 0;
		for (int i = 0; i < n->nkids; i++) {
			hi_val v = eval_index(n->kids[i], fr);
			if (hi_iserr(v)) {
				hi_decref(t);
				return v;
			}
			local |= v.local;
			hi_tuple_set(t, (size_t)i, v);
		}
		return hi_setlocal(t, local);
	}
	return eval(n, fr);
}

hi_val hi_eval_index(hg_node *n, hi_frame *fr) { return eval_index(n, fr); }

/* ---- operators ---- */

/* Binary operator or comparison on two values (borrowed). */
hi_val hi_apply_op(int op, hi_val a, hi_val b)
{
	hi_val r;
	if (hi_num_op(op, a, b, &r))
		return r;
	if (op >= HG_OP_EQ)
		r = hi_compare(op, a, b);
	else
		r = hi_binop(op, a, b);
	if (!hi_iserr(r))
		r.local |= a.local | b.local;
	return r;
}

static hi_val eval_compare(hg_node *n, hi_frame *fr)
{
	hi_val left = eval(n->kids[0], fr);
	if (hi_iserr(left))
		return left;
	hi_val result = hi_none();
	for (int i = 1; i < n->nkids; i++) {
		hi_val right = eval(n->kids[i], fr);
		if (hi_iserr(right)) {
			hi_decref(left);
			return right;
		}
		hi_decref(result);
		result = hi_apply_op(n->ops[i - 1], left, right);
		hi_decref(left);
		left = right;
		if (hi_iserr(result)) {
			hi_decref(left);
			return hi_err_at(fr, n);
		}
		if (i < n->nkids - 1) {
			int t = hi_truthy(result);
			if (t < 0) {
				hi_decref(left);
				hi_decref(result);
				return hi_err_at(fr, n);
			}
			if (!t)
				break;
		}
	}
	hi_decref(left);
	return result;
}

static hi_val eval_boolop(hg_node *n, hi_frame *fr)
{
	hi_val a = eval(n->kids[0], fr);
	if (hi_iserr(a))
		return a;
	int t = hi_truthy(a);
	if (t < 0) {
		hi_decref(a);
		return hi_err_at(fr, n);
	}
	int done = (n->kind == HG_AND) ? !t : t;
	if (a.local) {
		/* a rank-local left operand: only some ranks evaluate the right,
		** and every rank meets the others again here */
		hi_S.divergent++;
		hi_val b = a;
		if (!done) {
			hi_decref(a);
			b = eval(n->kids[1], fr);
		}
		b = hi_leave_divergent_value(b, fr);
		if (!hi_iserr(b))
			b.local = 1;
		return b;
	}
	if (done)
		return a;
	hi_decref(a);
	return eval(n->kids[1], fr);
}

/* ---- displays ---- */

static int add_items(hi_val list, hg_node *n, hi_frame *fr, int *local)
{
	for (int i = 0; i < n->nkids; i++) {
		hg_node *k = n->kids[i];
		if (k->kind == HG_STARARG) {
			hi_val seq = eval(k->kids[0], fr);
			if (hi_iserr(seq))
				return -1;
			*local |= seq.local;
			hi_val it = hi_iter(seq);
			hi_decref(seq);
			if (hi_iserr(it))
				return -1;
			hi_val item;
			int r;
			while ((r = hi_next(it, &item)) > 0) {
				hi_list_append(list, item);
				hi_decref(item);
			}
			hi_decref(it);
			if (r < 0)
				return -1;
			continue;
		}
		hi_val v = eval(k, fr);
		if (hi_iserr(v))
			return -1;
		*local |= v.local;
		hi_list_append(list, v);
		hi_decref(v);
	}
	return 0;
}

static hi_val list_to_tuple(hi_val list)
{
	hi_list *l = hi_as_list(list);
	hi_val t = hi_tuple_new(l->len);
	if (hi_iserr(t))
		return t;
	for (size_t i = 0; i < l->len; i++)
		hi_tuple_set(t, i, hi_incref(l->items[i]));
	return t;
}

static hi_val eval_display(hg_node *n, hi_frame *fr)
{
	hi_val list = hi_list_new((size_t)n->nkids);
	if (hi_iserr(list))
		return list;
	int local = 0;
	if (add_items(list, n, fr, &local)) {
		hi_decref(list);
		return hi_err_at(fr, n);
	}
	hi_val r = list;
	if (n->kind == HG_TUPLE) {
		r = list_to_tuple(list);
		hi_decref(list);
	} else if (n->kind == HG_SET) {
		hi_val setctor = hi_objval(hi_types[HI_SET], HI_TYPE);
		r = hi_call_simple(setctor, 1, &list);
		hi_decref(list);
	}
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	return hi_setlocal(r, local);
}

static hi_val eval_dict(hg_node *n, hi_frame *fr)
{
	hi_val d = hi_dict_new();
	if (hi_iserr(d))
		return d;
	int local = 0;
	for (int i = 0; i + 1 < n->nkids; i += 2) {
		hi_val k = eval(n->kids[i], fr);
		if (hi_iserr(k))
			goto fail;
		hi_val v = eval(n->kids[i + 1], fr);
		if (hi_iserr(v)) {
			hi_decref(k);
			goto fail;
		}
		local |= k.local | v.local;
		int rc = hi_dict_set(d, k, v);
		hi_decref(k);
		hi_decref(v);
		if (rc < 0)
			goto fail;
	}
	return hi_setlocal(d, local);
fail:
	hi_decref(d);
	return hi_err_at(fr, n);
}

/* ---- f-strings ---- */

static hi_val eval_fstring(hg_node *n, hi_frame *fr)
{
	hi_buf b = {0};
	int local = 0;
	for (int i = 0; i < n->nkids; i++) {
		hg_node *k = n->kids[i];
		if (k->kind == HG_STR) {
			hi_buf_add(&b, k->v.s, k->v.len);
			continue;
		}
		hi_val v = eval(k->kids[0], fr);
		if (hi_iserr(v))
			goto fail;
		local |= v.local;
		if (k->op == 'r' || k->op == 's' || k->op == 'a') {
			hi_val s = k->op == 's' ? hi_to_str(v) : hi_repr(v);
			hi_decref(v);
			if (hi_iserr(s))
				goto fail;
			v = s;
		}
		hi_val spec = hi_none();
		if (k->nkids > 1 && k->kids[1]) {
			spec = eval_fstring(k->kids[1], fr);
			if (hi_iserr(spec)) {
				hi_decref(v);
				goto fail;
			}
			local |= spec.local;
		}
		const char *sp = spec.kind == HI_STR ? hi_as_str(spec)->s : (k->v.s ? k->v.s : "");
		hi_val s = hi_format_value(v, sp);
		hi_decref(v);
		hi_decref(spec);
		if (hi_iserr(s))
			goto fail;
		hi_buf_addval(&b, s);
		hi_decref(s);
	}
	return hi_setlocal(hi_buf_finish(&b), local);
fail:
	hi_buf_free(&b);
	return hi_err_at(fr, n);
}

/* ---- lambdas and comprehensions ---- */

hi_val hi_make_function(hg_node *n, hi_frame *fr)
{
	hi_code *c = hi_code_of(n);
	hi_val f = hi_func_new(c, fr->unit, fr);
	if (hi_iserr(f))
		return f;
	hg_node *params = n->kids[0];
	hi_func *fo = (hi_func *)f.o;
	for (int i = 0; i < params->nkids; i++) {
		hg_node *p = params->kids[i];
		if (p->nkids && p->kids[0]) {
			hi_val d = eval(p->kids[0], fr);
			if (hi_iserr(d)) {
				hi_decref(f);
				return d;
			}
			fo->defaults[i] = d;
		}
	}
	return f;
}

typedef struct compstate {
	hg_node *n;
	hi_frame *fr;
	hi_val out;
	int first;          /* index of the first clause */
	int local;
} compstate;

static int comp_clause(compstate *cs, int i)
{
	hg_node *n = cs->n;
	hi_frame *fr = cs->fr;
	if (i == n->nkids) {
		if (n->kind == HG_DICTCOMP) {
			hi_val k = eval(n->kids[0], fr);
			if (hi_iserr(k))
				return -1;
			hi_val v = eval(n->kids[1], fr);
			if (hi_iserr(v)) {
				hi_decref(k);
				return -1;
			}
			cs->local |= k.local | v.local;
			int rc = hi_dict_set(cs->out, k, v);
			hi_decref(k);
			hi_decref(v);
			return rc;
		}
		hi_val v = eval(n->kids[0], fr);
		if (hi_iserr(v))
			return -1;
		cs->local |= v.local;
		hi_list_append(cs->out, v);
		hi_decref(v);
		return 0;
	}
	hg_node *c = n->kids[i];
	if (c->kind == HG_COMP_IF) {
		hi_val t = eval(c->kids[0], fr);
		if (hi_iserr(t))
			return -1;
		int b = hi_truthy(t);
		hi_decref(t);
		if (b < 0)
			return -1;
		return b ? comp_clause(cs, i + 1) : 0;
	}
	hi_val seq = eval(c->kids[1], fr);
	if (hi_iserr(seq))
		return -1;
	cs->local |= seq.local;
	hi_val it = hi_iter(seq);
	hi_decref(seq);
	if (hi_iserr(it))
		return -1;
	hi_val item;
	int r;
	while ((r = hi_next(it, &item)) > 0) {
		int rc = hi_assign(c->kids[0], item, fr);
		hi_decref(item);
		if (rc || comp_clause(cs, i + 1)) {
			hi_decref(it);
			return -1;
		}
	}
	hi_decref(it);
	return r < 0 ? -1 : 0;
}

hi_val hi_eval_comprehension(hg_node *n, hi_frame *outer)
{
	hi_code *c = hi_code_of(n);
	hi_val small[16];
	hi_val *L = c->nlocals <= 16 ? small : malloc(sizeof(hi_val) * (size_t)c->nlocals);
	hi_val freev[16];
	hi_val *F = c->nfree <= 16 ? freev : malloc(sizeof(hi_val) * (size_t)c->nfree);
	if (!L || !F)
		return hi_raise(hi_MemoryError, "out of memory");
	for (int i = 0; i < c->nlocals; i++)
		L[i] = c->iscell[i] ? hi_cell_new(hi_absent()) : hi_absent();
	for (int i = 0; i < c->nfree; i++)
		F[i] = c->freesrc[i].from_free ? outer->free[c->freesrc[i].idx]
		                               : outer->locals[c->freesrc[i].idx];
	hi_frame fr = *outer;
	fr.locals = L;
	fr.free = F;
	fr.code = c;
	fr.err_line = 0;
	fr.held = 0;
	compstate cs;
	cs.n = n;
	cs.fr = &fr;
	cs.local = 0;
	cs.first = n->kind == HG_DICTCOMP ? 2 : 1;
	cs.out = n->kind == HG_DICTCOMP ? hi_dict_new() : hi_list_new(8);
	int rc = comp_clause(&cs, cs.first);
	for (int i = 0; i < c->nlocals; i++)
		if (!hi_isabsent(L[i]))
			hi_decref(L[i]);
	if (L != small)
		free(L);
	if (F != freev)
		free(F);
	if (fr.err_line && !outer->err_line)
		outer->err_line = fr.err_line;
	if (rc) {
		hi_decref(cs.out);
		return hi_err_at(outer, n);
	}
	hi_val r = cs.out;
	if (n->kind == HG_SETCOMP) {
		hi_val setctor = hi_objval(hi_types[HI_SET], HI_TYPE);
		r = hi_call_simple(setctor, 1, &cs.out);
		hi_decref(cs.out);
		if (hi_iserr(r))
			return hi_err_at(outer, n);
	}
	return hi_setlocal(r, cs.local);
}

/* ---- the dispatcher ---- */

static hi_val ellipsis_value(void)
{
	static hi_obj ell = { 1, HI_ELLIPSIS };
	ell.refs = INT64_MAX / 2;     /* immortal */
	return hi_objval(&ell, HI_ELLIPSIS);
}

static hi_val ev_int(hg_node *n, hi_frame *fr) { (void)fr; return hi_int(n->v.i); }
static hi_val ev_float(hg_node *n, hi_frame *fr) { (void)fr; return hi_float(n->v.f); }
static hi_val ev_imag(hg_node *n, hi_frame *fr) { (void)fr; return hi_complex_new(0.0, n->v.f); }
static hi_val ev_true(hg_node *n, hi_frame *fr) { (void)n; (void)fr; return hi_bool(1); }
static hi_val ev_false(hg_node *n, hi_frame *fr) { (void)n; (void)fr; return hi_bool(0); }
static hi_val ev_none(hg_node *n, hi_frame *fr) { (void)n; (void)fr; return hi_none(); }
static hi_val ev_ellipsis(hg_node *n, hi_frame *fr) { (void)n; (void)fr; return ellipsis_value(); }

/* string constants are made once per node and shared */
static hi_val ev_str(hg_node *n, hi_frame *fr)
{
	(void)fr;
	if (!n->info)
		n->info = hi_str_new(n->v.s, n->v.len).o;
	hi_val s = hi_objval(n->info, HI_STR);
	return hi_incref(s);
}

static hi_val ev_name(hg_node *n, hi_frame *fr)
{
	hi_val v = load_name(n, fr);
	if (v.local)
		hi_S.touched_local = 1;
	return v;
}

static hi_val ev_attr(hg_node *n, hi_frame *fr)
{
	hi_val o = eval(n->kids[0], fr);
	if (hi_iserr(o))
		return o;
	hi_val r = hi_getattr(o, n->v.s);
	int local = o.local;
	hi_decref(o);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	r.local |= local;
	if (r.local)
		hi_S.touched_local = 1;
	return r;
}

/* Evaluate a node's two operands (the second as a subscript when index);
** on failure nothing is held and the error value is returned in *a. */
HI_HOT int eval_two(hg_node *n, hi_frame *fr, int index, hi_val *a, hi_val *b)
{
	*a = eval(n->kids[0], fr);
	if (hi_iserr(*a))
		return -1;
	*b = index ? eval_index(n->kids[1], fr) : eval(n->kids[1], fr);
	if (hi_iserr(*b)) {
		hi_decref(*a);
		*a = *b;
		return -1;
	}
	return 0;
}

static hi_val ev_subscript(hg_node *n, hi_frame *fr)
{
	hi_val o, k;
	if (eval_two(n, fr, 1, &o, &k))
		return o;
	hi_val r = hi_getitem(o, k);
	int local = o.local | k.local;
	hi_decref(o);
	hi_decref(k);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	r.local |= local;
	return r;
}

static hi_val ev_binop(hg_node *n, hi_frame *fr)
{
	hi_val a, b, r;
	if (eval_two(n, fr, 0, &a, &b))
		return a;
	if (hi_num_op(n->op, a, b, &r))
		return r;
	r = hi_apply_op(n->op, a, b);
	hi_decref(a);
	hi_decref(b);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	return r;
}

static hi_val ev_unary(hg_node *n, hi_frame *fr)
{
	hi_val a = eval(n->kids[0], fr);
	if (hi_iserr(a))
		return a;
	hi_val r;
	if (n->op == HG_OP_NEG && a.kind == HI_INT && a.i != INT64_MIN)
		r = hi_int(-a.i);
	else if (n->op == HG_OP_NEG && a.kind == HI_FLOAT)
		r = hi_float(-a.f);
	else
		r = hi_unop(n->op, a);
	int local = a.local;
	hi_decref(a);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	r.local |= local;
	return r;
}

/* The truth of an expression: 1, 0, or -1 on error; *local its locality. */
static int eval_truth(hg_node *e, hi_frame *fr, int *local)
{
	hi_val c = eval(e, fr);
	if (hi_iserr(c))
		return -1;
	*local = c.local;
	int t = hi_truthy(c);
	hi_decref(c);
	return t;
}

static hi_val ev_not(hg_node *n, hi_frame *fr)
{
	int local = 0, t = eval_truth(n->kids[0], fr, &local);
	if (t < 0)
		return hi_err_at(fr, n);
	return hi_setlocal(hi_bool(!t), local);
}

static hi_val ev_ifexp(hg_node *n, hi_frame *fr)
{
	int local = 0, t = eval_truth(n->kids[0], fr, &local);
	if (t < 0)
		return hi_err_at(fr, n);
	if (local) {
		/* only some ranks evaluate each branch */
		hi_S.divergent++;
		hi_val r = hi_leave_divergent_value(eval(n->kids[t ? 1 : 2], fr), fr);
		if (!hi_iserr(r))
			r.local = 1;
		return r;
	}
	hi_val r = eval(n->kids[t ? 1 : 2], fr);
	return r;
}

static hi_val ev_starred(hg_node *n, hi_frame *fr)
{
	hi_raise(hi_SyntaxError, "can't use starred expression here");
	return hi_err_at(fr, n);
}

hi_val hi_eval_invalid(hg_node *n, hi_frame *fr)
{
	hi_raise(hi_SyntaxError, "invalid expression (%s)", hg_kind_name(n->kind));
	return hi_err_at(fr, n);
}

hi_val hi_eval_by_kind(hg_node *n, hi_frame *fr)
{
	hi_eval_fn f = hi_eval_table[n->kind];
	return f ? f(n, fr) : hi_eval_invalid(n, fr);
}

/* One small function per node kind: each has only the stack frame it
** needs, which matters for the deep call chains of recursive programs. */
const hi_eval_fn hi_eval_table[HG_KIND_COUNT] = {
	[HG_INT] = ev_int, [HG_FLOAT] = ev_float, [HG_IMAG] = ev_imag, [HG_STR] = ev_str,
	[HG_FSTR] = eval_fstring, [HG_TRUE] = ev_true, [HG_FALSE] = ev_false,
	[HG_NONE] = ev_none, [HG_ELLIPSIS] = ev_ellipsis, [HG_NAME] = ev_name,
	[HG_ATTR] = ev_attr, [HG_SUBSCRIPT] = ev_subscript, [HG_SLICE] = eval_index,
	[HG_CALL] = eval_call, [HG_BINOP] = ev_binop, [HG_UNARY] = ev_unary, [HG_NOT] = ev_not,
	[HG_AND] = eval_boolop, [HG_OR] = eval_boolop, [HG_COMPARE] = eval_compare,
	[HG_IFEXP] = ev_ifexp, [HG_LAMBDA] = hi_make_function, [HG_LIST] = eval_display,
	[HG_TUPLE] = eval_display, [HG_SET] = eval_display, [HG_DICT] = eval_dict,
	[HG_LISTCOMP] = hi_eval_comprehension, [HG_SETCOMP] = hi_eval_comprehension,
	[HG_GENEXP] = hi_eval_comprehension, [HG_DICTCOMP] = hi_eval_comprehension,
	[HG_MAGIC] = hi_exec_magic, [HG_STARARG] = ev_starred,
};
