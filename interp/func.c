/*
** func.c — user functions: objects, closures, argument binding, calls.
**
** Locals live in one growing value stack (not a malloc per call): a call
** takes nlocals slots from the top and gives them back on return.  This,
** slot-resolved names and immediate ints are what make `fib(27)` cheap.
*/
#include <stdlib.h>
#include <string.h>

#include "eval_fast.h"

hi_val *hi_vstack;
size_t hi_vtop, hi_vcap;

hi_frame *hi_cur_frame;

void hi_func_init(void)
{
	hi_vcap = (size_t)HI_RECURSION_LIMIT * 64 + 4096;
	hi_vstack = calloc(hi_vcap, sizeof(hi_val));
	if (!hi_vstack)
		abort();
}

static void cell_free(hi_obj *o)
{
	hi_cell *c = (hi_cell *)o;
	if (!hi_isabsent(c->v))
		hi_decref(c->v);
	free(c);
}

hi_val hi_cell_new(hi_val v)
{
	hi_cell *c = malloc(sizeof *c);
	if (!c)
		return hi_raise(hi_MemoryError, "out of memory");
	c->h.refs = 1;
	c->h.kind = HI_CELL;
	c->v = v;
	return hi_objval(c, HI_CELL);
}

static void func_free(hi_obj *o)
{
	hi_func *f = (hi_func *)o;
	for (int i = 0; i < f->code->nparams; i++)
		if (!hi_isabsent(f->defaults[i]))
			hi_decref(f->defaults[i]);
	for (int i = 0; i < f->code->nfree; i++)
		hi_decref(f->free[i]);
	free(f->defaults);
	free(f->free);
	hi_decref(f->name);
	hg_unit_release(f->unit);
	free(f);
}

static hi_val func_repr(hi_val v)
{
	hi_func *f = (hi_func *)v.o;
	return hi_str_fmt("<function %s at %p>", f->code->name, (void *)f);
}

/* A new function for `code` defined while `fr` runs: free variables are
** taken from fr's cells.  Defaults start absent; the caller fills them. */
hi_val hi_func_new(hi_code *code, hg_unit *u, hi_frame *fr)
{
	hi_func *f = calloc(1, sizeof *f);
	if (!f)
		return hi_raise(hi_MemoryError, "out of memory");
	f->h.refs = 1;
	f->h.kind = HI_FUNC;
	f->code = code;
	f->unit = u;
	hg_unit_retain(u);
	f->defaults = malloc(sizeof(hi_val) * (size_t)(code->nparams ? code->nparams : 1));
	for (int i = 0; i < code->nparams; i++)
		f->defaults[i] = hi_absent();
	f->free = malloc(sizeof(hi_val) * (size_t)(code->nfree ? code->nfree : 1));
	for (int i = 0; i < code->nfree; i++) {
		hi_freesrc s = code->freesrc[i];
		f->free[i] = hi_incref(s.from_free ? fr->free[s.idx] : fr->locals[s.idx]);
	}
	f->name = hi_str_cstr(code->name);
	f->globals = fr->globals;
	/* the stdlib's units are named "<stdlib/NAME.ha>" (start.c) */
	f->module = u->filename && strncmp(u->filename, "<stdlib/", 8) == 0 ? "heat" : "__main__";
	return hi_objval(f, HI_FUNC);
}

/* ---- argument binding (Python's rules and messages) ---- */

static hi_val too_many(hi_func *f, int given)
{
	hi_code *c = f->code;
	int min = 0;
	for (int i = 0; i < c->npos; i++)
		if (hi_isabsent(f->defaults[i]))
			min++;
	if (min == c->npos)
		return hi_raise(hi_TypeError, "%s() takes %d positional argument%s but %d %s given",
		                c->name, c->npos, c->npos == 1 ? "" : "s", given, given == 1 ? "was" : "were");
	return hi_raise(hi_TypeError, "%s() takes from %d to %d positional arguments but %d %s given",
	                c->name, min, c->npos, given, given == 1 ? "was" : "were");
}

static int bind(hi_func *f, hi_val *L, int argc, const hi_val *argv, int nkw,
                const char *const *kwnames, const hi_val *kwvals)
{
	hi_code *c = f->code;
	for (int i = 0; i < c->nlocals; i++)
		L[i] = hi_absent();
	int npos = c->npos;
	int take = argc < npos ? argc : npos;
	for (int i = 0; i < take; i++)
		L[i] = hi_incref(argv[i]);
	if (argc > npos) {
		if (c->star < 0) {
			too_many(f, argc);
			return -1;
		}
		hi_val t = hi_tuple_new((size_t)(argc - npos));
		if (hi_iserr(t))
			return -1;
		for (int i = npos; i < argc; i++)
			hi_tuple_set(t, (size_t)(i - npos), hi_incref(argv[i]));
		L[c->star] = t;
	} else if (c->star >= 0) {
		L[c->star] = hi_tuple_new(0);
	}
	if (c->dstar >= 0)
		L[c->dstar] = hi_dict_new();
	for (int k = 0; k < nkw; k++) {
		int found = -1;
		for (int i = 0; i < c->nparams; i++) {
			if (i == c->star || i == c->dstar)
				continue;
			if (strcmp(c->localnames[i], kwnames[k]) == 0) {
				found = i;
				break;
			}
		}
		if (found < 0) {
			if (c->dstar < 0) {
				hi_raise(hi_TypeError, "%s() got an unexpected keyword argument '%s'",
				         c->name, kwnames[k]);
				return -1;
			}
			hi_dict_set_str(L[c->dstar], kwnames[k], kwvals[k]);
			continue;
		}
		if (!hi_isabsent(L[found])) {
			hi_raise(hi_TypeError, "%s() got multiple values for argument '%s'",
			         c->name, kwnames[k]);
			return -1;
		}
		L[found] = hi_incref(kwvals[k]);
	}
	/* defaults, then report what is still missing */
	int nmissing = 0;
	const char *missing[8];
	int kwmissing = 0;
	for (int i = 0; i < c->nparams; i++) {
		if (!hi_isabsent(L[i]) || i == c->star || i == c->dstar)
			continue;
		if (!hi_isabsent(f->defaults[i])) {
			L[i] = hi_incref(f->defaults[i]);
			continue;
		}
		if (nmissing < 8)
			missing[nmissing] = c->localnames[i];
		nmissing++;
		if (i > c->star && c->star >= 0)
			kwmissing = 1;
		else if (i >= c->npos)
			kwmissing = 1;
	}
	if (nmissing) {
		hi_buf b = {0};
		for (int i = 0; i < nmissing && i < 8; i++) {
			if (i)
				hi_buf_adds(&b, i == nmissing - 1 ? (nmissing > 2 ? ", and " : " and ") : ", ");
			hi_buf_addf(&b, "'%s'", missing[i]);
		}
		hi_buf_add(&b, "", 1);
		hi_raise(hi_TypeError, "%s() missing %d required %s argument%s: %s", c->name, nmissing,
		         kwmissing ? "keyword-only" : "positional", nmissing == 1 ? "" : "s", b.p);
		hi_buf_free(&b);
		return -1;
	}
	return 0;
}

/* The fast call: plain positional arguments to a simple function.  Steals
** the references in argv (the caller evaluated them just for this call). */
hi_val hi_call_func_steal(hi_func *f, int argc, hi_val *argv)
{
	hi_code *c = f->code;
	if (!c->simple || argc != c->nparams) {
		hi_val r = hi_call_func(f, argc, argv, 0, NULL, NULL);
		for (int i = 0; i < argc; i++)
			hi_decref(argv[i]);
		return r;
	}
	hi_val *L;
	if (hi_S.depth >= HI_RECURSION_LIMIT || !(L = hi_stack_take((size_t)c->nlocals))) {
		for (int i = 0; i < argc; i++)
			hi_decref(argv[i]);
		return hi_raise(hi_RecursionError, "maximum recursion depth exceeded");
	}
	hi_S.depth++;
	for (int i = 0; i < argc; i++)
		L[i] = argv[i];
	for (int i = argc; i < c->nlocals; i++)
		L[i] = hi_absent();
	hi_val result = hi_run_body(f, L);
	hi_release_locals(L, c->nlocals);
	hi_vtop -= (size_t)c->nlocals;
	hi_S.depth--;
	return result;
}

hi_val hi_call_func(hi_func *f, int argc, const hi_val *argv, int nkw,
                    const char *const *kwnames, const hi_val *kwvals)
{
	hi_code *c = f->code;
	if (hi_S.depth >= HI_RECURSION_LIMIT)
		return hi_raise(hi_RecursionError, "maximum recursion depth exceeded");
	hi_val *L = hi_stack_take((size_t)c->nlocals);
	if (!L)
		return hi_raise(hi_RecursionError, "maximum recursion depth exceeded");
	hi_S.depth++;
	hi_val result;
	if (c->simple && nkw == 0 && argc == c->nparams) {
		/* fast path: plain positional call */
		for (int i = 0; i < argc; i++)
			L[i] = hi_incref(argv[i]);
		for (int i = argc; i < c->nlocals; i++)
			L[i] = hi_absent();
	} else if (bind(f, L, argc, argv, nkw, kwnames, kwvals)) {
		hi_release_locals(L, c->nlocals);
		hi_vtop -= (size_t)c->nlocals;
		hi_S.depth--;
		return hi_err();
	}
	if (c->anycell) {
		for (int i = 0; i < c->nlocals; i++)
			if (c->iscell[i]) {
				hi_val cell = hi_cell_new(L[i]);
				if (hi_iserr(cell)) {
					hi_release_locals(L, c->nlocals);
					hi_vtop -= (size_t)c->nlocals;
					hi_S.depth--;
					return cell;
				}
				L[i] = cell;
			}
	}
	result = hi_run_body(f, L);
	hi_release_locals(L, c->nlocals);
	hi_vtop -= (size_t)c->nlocals;
	hi_S.depth--;
	return result;
}

/* help() support: the signature text and docstring of a user function. */
hi_val hi_func_signature(hi_val fv)
{
	hi_func *f = (hi_func *)fv.o;
	hi_code *c = f->code;
	hi_buf b = {0};
	hi_buf_adds(&b, c->name);
	hi_buf_adds(&b, "(");
	int kwonly_marked = 0;
	for (int i = 0; i < c->nparams; i++) {
		if (i)
			hi_buf_adds(&b, ", ");
		if (i == c->star) {
			hi_buf_adds(&b, "*");
			kwonly_marked = 1;
		} else if (i == c->dstar) {
			hi_buf_adds(&b, "**");
		} else if (i >= c->npos && !kwonly_marked && c->star < 0) {
			hi_buf_adds(&b, "*, ");
			kwonly_marked = 1;
		}
		hi_buf_adds(&b, c->localnames[i]);
		if (!hi_isabsent(f->defaults[i])) {
			hi_val r = hi_repr(f->defaults[i]);
			if (hi_iserr(r)) {
				hi_buf_free(&b);
				return r;
			}
			hi_buf_adds(&b, "=");
			hi_buf_addval(&b, r);
			hi_decref(r);
		}
	}
	hi_buf_adds(&b, ")");
	return hi_buf_finish(&b);
}

hi_val hi_func_doc(hi_val fv)
{
	hi_func *f = (hi_func *)fv.o;
	return hi_incref(f->code->doc);
}

/* f.__name__, f.__doc__, f.__module__ */
static hi_val func_getattr(hi_val self, const char *name)
{
	hi_func *f = (hi_func *)self.o;
	if (strcmp(name, "__name__") == 0)
		return hi_incref(f->name);
	if (strcmp(name, "__doc__") == 0)
		return hi_incref(f->code->doc);
	if (strcmp(name, "__module__") == 0)
		return hi_str_cstr(f->module);
	return hi_absent();
}

static const char *const func_attrs[] = { "__name__", "__doc__", "__module__", NULL };

/* Called from start-up: the hooks of functions and cells. */
void hi_func_register(void)
{
	hi_register_getattr(HI_FUNC, func_getattr);
	hi_register_attrnames(HI_FUNC, func_attrs);
	hi_slots *s = hi_slots_of(HI_FUNC);
	s->free = func_free;
	s->repr = func_repr;
	hi_slots_of(HI_CELL)->free = cell_free;
}
