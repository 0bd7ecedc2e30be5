/*
** resolve.c — static name resolution, once per parsed unit.
**
** Python's rule: a name bound anywhere in a function body (assignment,
** for target, def, import, except-as, del) is local to that function
** unless declared global/nonlocal; other names come from enclosing
** function scopes (closures) or the module.  We compute this before
** running so the evaluator reads locals from an array slot instead of
** looking names up in a dictionary — the main reason calls are cheap.
**
** Pass 1 collects a scope's bindings without entering nested scopes;
** pass 2 resolves every name use, resolving nested scopes as it meets
** them (their free names mark our locals as cells); a final fix-up turns
** uses of locals that became cells into SC_CELL.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"

typedef struct scope {
	struct scope *parent;        /* NULL for the module */
	hi_code *code;               /* NULL for the module */
	char **globals; int nglobals, capglobals;     /* `global` declarations */
	char **nonlocals; int nnonlocals, capnonlocals;
	hg_node **uses; int nuses, capuses;           /* name nodes resolved as locals */
} scope;

static void *xgrow(void *p, int *cap, int need, size_t elt)
{
	if (need <= *cap)
		return p;
	int c = *cap ? *cap * 2 : 8;
	while (c < need)
		c *= 2;
	p = realloc(p, (size_t)c * elt);
	if (!p)
		abort();
	*cap = c;
	return p;
}

static int name_in(char **v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int local_index(hi_code *c, const char *s)
{
	for (int i = 0; i < c->nlocals; i++)
		if (strcmp(c->localnames[i], s) == 0)
			return i;
	return -1;
}

static int add_local(hi_code *c, const char *s)
{
	int i = local_index(c, s);
	if (i >= 0)
		return i;
	int cap = c->nlocals;   /* grown one at a time: functions have few locals */
	c->localnames = realloc(c->localnames, (size_t)(cap + 1) * sizeof(char *));
	c->iscell = realloc(c->iscell, (size_t)(cap + 1));
	if (!c->localnames || !c->iscell)
		abort();
	c->localnames[cap] = strdup(s);
	c->iscell[cap] = 0;
	return c->nlocals++;
}

static int free_index(hi_code *c, const char *s)
{
	for (int i = 0; i < c->nfree; i++)
		if (strcmp(c->freenames[i], s) == 0)
			return i;
	return -1;
}

/* ---- pass 1: bindings ---- */

static void bind_name(scope *sc, const char *s)
{
	if (!sc->code)
		return;                           /* module level: globals */
	if (name_in(sc->globals, sc->nglobals, s) || name_in(sc->nonlocals, sc->nnonlocals, s))
		return;
	add_local(sc->code, s);
}

static void bind_target(scope *sc, hg_node *t)
{
	if (!t)
		return;
	switch (t->kind) {
	case HG_NAME: bind_name(sc, t->v.s); break;
	case HG_TUPLE: case HG_LIST:
		for (int i = 0; i < t->nkids; i++)
			bind_target(sc, t->kids[i]);
		break;
	case HG_STARARG: bind_target(sc, t->kids[0]); break;
	default: break;                       /* x.a / x[i] bind nothing */
	}
}

static void collect(scope *sc, hg_node *n);

static void collect_kids(scope *sc, hg_node *n)
{
	for (int i = 0; i < n->nkids; i++)
		if (n->kids[i])
			collect(sc, n->kids[i]);
}

static void collect(scope *sc, hg_node *n)
{
	switch (n->kind) {
	case HG_ASSIGN:
		for (int i = 0; i < n->nkids - 1; i++)
			bind_target(sc, n->kids[i]);
		collect_kids(sc, n);
		break;
	case HG_AUGASSIGN:
		bind_target(sc, n->kids[0]);
		collect_kids(sc, n);
		break;
	case HG_FOR:
		bind_target(sc, n->kids[0]);
		collect_kids(sc, n);
		break;
	case HG_DEF:
		bind_name(sc, n->v.s);
		/* defaults and decorators belong to this scope; the body does not */
		for (int i = 0; i < n->kids[0]->nkids; i++)
			if (n->kids[0]->kids[i]->nkids && n->kids[0]->kids[i]->kids[0])
				collect(sc, n->kids[0]->kids[i]->kids[0]);
		for (int i = 2; i < n->nkids; i++)
			collect(sc, n->kids[i]);
		break;
	case HG_LAMBDA:
		for (int i = 0; i < n->kids[0]->nkids; i++)
			if (n->kids[0]->kids[i]->nkids && n->kids[0]->kids[i]->kids[0])
				collect(sc, n->kids[0]->kids[i]->kids[0]);
		break;
	case HG_LISTCOMP: case HG_SETCOMP: case HG_GENEXP: case HG_DICTCOMP:
		break;                            /* a scope of its own */
	case HG_IMPORT:
		if (n->name2)
			bind_name(sc, n->name2);
		else {
			char buf[256];
			size_t k = strcspn(n->v.s, ".");
			if (k >= sizeof buf)
				k = sizeof buf - 1;
			memcpy(buf, n->v.s, k);
			buf[k] = 0;
			bind_name(sc, buf);
		}
		break;
	case HG_FROM_IMPORT:
		for (int i = 0; i < n->nkids; i++)
			bind_name(sc, n->kids[i]->name2 ? n->kids[i]->name2 : n->kids[i]->v.s);
		break;
	case HG_EXCEPT:
		if (n->v.s)
			bind_name(sc, n->v.s);
		collect_kids(sc, n);
		break;
	case HG_DEL:
		for (int i = 0; i < n->nkids; i++)
			bind_target(sc, n->kids[i]);
		collect_kids(sc, n);
		break;
	case HG_GLOBAL:
		for (int i = 0; i < n->nkids; i++) {
			sc->globals = xgrow(sc->globals, &sc->capglobals, sc->nglobals + 1, sizeof(char *));
			sc->globals[sc->nglobals++] = n->kids[i]->v.s;
		}
		break;
	case HG_NONLOCAL:
		for (int i = 0; i < n->nkids; i++) {
			sc->nonlocals = xgrow(sc->nonlocals, &sc->capnonlocals, sc->nnonlocals + 1, sizeof(char *));
			sc->nonlocals[sc->nnonlocals++] = n->kids[i]->v.s;
		}
		break;
	default:
		collect_kids(sc, n);
	}
}

/* ---- pass 2: uses ---- */

static int resolve_scope(scope *sc, hg_node *body, hg_syntax_error *err, int is_comp);

/* Find `s` as a free variable of sc->code: search enclosing function
** scopes; returns the free index in sc->code or -1 (then it is global). */
static int find_free(scope *sc, const char *s)
{
	int fi = free_index(sc->code, s);
	if (fi >= 0)
		return fi;
	scope *p = sc->parent;
	if (!p || !p->code)
		return -1;
	if (name_in(p->globals, p->nglobals, s))
		return -1;
	hi_freesrc src;
	int li = local_index(p->code, s);
	if (li >= 0 && !name_in(p->nonlocals, p->nnonlocals, s)) {
		p->code->iscell[li] = 1;
		p->code->anycell = 1;
		src.from_free = 0;
		src.idx = li;
	} else {
		int pf = find_free(p, s);
		if (pf < 0)
			return -1;
		src.from_free = 1;
		src.idx = pf;
	}
	hi_code *c = sc->code;
	c->freenames = realloc(c->freenames, (size_t)(c->nfree + 1) * sizeof(char *));
	c->freesrc = realloc(c->freesrc, (size_t)(c->nfree + 1) * sizeof(hi_freesrc));
	if (!c->freenames || !c->freesrc)
		abort();
	c->freenames[c->nfree] = strdup(s);
	c->freesrc[c->nfree] = src;
	return c->nfree++;
}

static int resolve_name(scope *sc, hg_node *n, hg_syntax_error *err)
{
	const char *s = n->v.s;
	n->scope = SC_GLOBAL;
	n->slot = 0;
	if (!n->info) {
		hi_namecache *c = calloc(1, sizeof *c);
		if (!c)
			abort();
		c->name = hi_str_cstr(s);        /* made once: its hash is cached */
		c->idx = -1;
		n->info = c;
	}
	if (!sc->code || name_in(sc->globals, sc->nglobals, s))
		return 0;
	if (name_in(sc->nonlocals, sc->nnonlocals, s)) {
		int fi = find_free(sc, s);
		if (fi < 0) {
			err->line = n->loc.line;
			err->col = n->loc.col;
			snprintf(err->msg, sizeof err->msg, "no binding for nonlocal '%s' found", s);
			return -1;
		}
		n->scope = SC_FREE;
		n->slot = fi;
		return 0;
	}
	int li = local_index(sc->code, s);
	if (li >= 0) {
		n->scope = SC_LOCAL;
		n->slot = li;
		sc->uses = xgrow(sc->uses, &sc->capuses, sc->nuses + 1, sizeof(hg_node *));
		sc->uses[sc->nuses++] = n;
		return 0;
	}
	int fi = find_free(sc, s);
	if (fi >= 0) {
		n->scope = SC_FREE;
		n->slot = fi;
	}
	return 0;
}

static hi_code *code_new(hg_node *n, const char *name)
{
	hi_code *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->node = n;
	if (n->kind == HG_DEF || n->kind == HG_LAMBDA)
		c->body = n->kids[1];
	c->is_lambda = n->kind == HG_LAMBDA;
	c->name = strdup(name);
	c->star = c->dstar = -1;
	c->doc = hi_none();
	n->info = c;
	return c;
}

static int resolve(scope *sc, hg_node *n, hg_syntax_error *err);

/* A def/lambda: parameters become the first locals. */
static int resolve_function(scope *sc, hg_node *n, hg_syntax_error *err)
{
	int is_def = n->kind == HG_DEF;
	hg_node *params = n->kids[0];
	/* defaults and decorators are evaluated in the enclosing scope */
	for (int i = 0; i < params->nkids; i++)
		if (params->kids[i]->nkids && params->kids[i]->kids[0])
			if (resolve(sc, params->kids[i]->kids[0], err))
				return -1;
	for (int i = 2; is_def && i < n->nkids; i++)
		if (resolve(sc, n->kids[i], err))
			return -1;
	hi_code *c = n->info ? (hi_code *)n->info : code_new(n, is_def ? n->v.s : "<lambda>");
	int seen_star = 0;
	for (int i = 0; i < params->nkids; i++) {
		hg_node *p = params->kids[i];
		int idx = add_local(c, p->v.s);
		if (idx != i) {
			err->line = p->loc.line;
			err->col = p->loc.col;
			snprintf(err->msg, sizeof err->msg,
			         "duplicate argument '%s' in function definition", p->v.s);
			return -1;
		}
		if (p->op == HG_PARAM_STAR) { c->star = i; seen_star = 1; }
		else if (p->op == HG_PARAM_DSTAR) c->dstar = i;
		else if (p->op == HG_PARAM_KWONLY || seen_star) c->nkwonly++;
		else c->npos++;
	}
	c->nparams = params->nkids;
	scope inner = {0};
	inner.parent = sc;
	inner.code = c;
	hg_node *body = n->kids[1];
	if (is_def) {
		hg_node *first = body->nkids ? body->kids[0] : NULL;
		if (first && first->kind == HG_EXPR_STMT && first->kids[0]->kind == HG_STR)
			c->doc = hi_str_new(first->kids[0]->v.s, first->kids[0]->v.len);
	}
	collect(&inner, body);
	int rc = resolve_scope(&inner, body, err, 0);
	c->simple = c->star < 0 && c->dstar < 0 && c->nkwonly == 0 && !c->anycell;
	return rc;
}

/* A comprehension: its for-targets are its locals. */
static int resolve_comprehension(scope *sc, hg_node *n, hg_syntax_error *err)
{
	const char *nm = n->kind == HG_LISTCOMP ? "<listcomp>" : n->kind == HG_SETCOMP ? "<setcomp>"
	               : n->kind == HG_DICTCOMP ? "<dictcomp>" : "<genexpr>";
	hi_code *c = n->info ? (hi_code *)n->info : code_new(n, nm);
	scope inner = {0};
	inner.parent = sc;
	inner.code = c;
	int first = n->kind == HG_DICTCOMP ? 2 : 1;
	for (int i = first; i < n->nkids; i++)
		if (n->kids[i]->kind == HG_COMP_FOR)
			bind_target(&inner, n->kids[i]->kids[0]);
	int rc = resolve_scope(&inner, n, err, 1);
	c->simple = 0;
	return rc;
}

static int resolve(scope *sc, hg_node *n, hg_syntax_error *err)
{
	if (!n)
		return 0;
	switch (n->kind) {
	case HG_NAME:
		return resolve_name(sc, n, err);
	case HG_DEF:     /* its own name is stored by name when the def runs */
	case HG_LAMBDA:
		return resolve_function(sc, n, err);
	case HG_LISTCOMP: case HG_SETCOMP: case HG_GENEXP: case HG_DICTCOMP:
		return resolve_comprehension(sc, n, err);
	case HG_GLOBAL: case HG_NONLOCAL:
		return 0;
	default:
		for (int i = 0; i < n->nkids; i++)
			if (resolve(sc, n->kids[i], err))
				return -1;
		return 0;
	}
}

static int resolve_scope(scope *sc, hg_node *body, hg_syntax_error *err, int is_comp)
{
	int rc;
	if (is_comp) {
		rc = 0;
		for (int i = 0; i < body->nkids && !rc; i++)
			rc = resolve(sc, body->kids[i], err);
	} else {
		rc = resolve(sc, body, err);
	}
	if (!rc && sc->code) {
		for (int i = 0; i < sc->nuses; i++) {
			hg_node *u = sc->uses[i];
			if (sc->code->iscell[u->slot])
				u->scope = SC_CELL;
		}
	}
	free(sc->globals);
	free(sc->nonlocals);
	free(sc->uses);
	return rc;
}

static void code_free(hi_code *c)
{
	for (int i = 0; i < c->nlocals; i++)
		free(c->localnames[i]);
	for (int i = 0; i < c->nfree; i++)
		free(c->freenames[i]);
	free(c->localnames);
	free(c->iscell);
	free(c->freenames);
	free(c->freesrc);
	free(c->name);
	hi_decref(c->doc);
	free(c);
}

/* What the interpreter hung on a unit's nodes: name caches, code objects,
** string constants.  Runs when the unit's last reference goes. */
static void free_info(hg_node *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->nkids; i++)
		free_info(n->kids[i]);
	if (!n->info)
		return;
	switch (n->kind) {
	case HG_NAME: {
		hi_namecache *c = n->info;
		hi_decref(c->name);
		free(c);
		break;
	}
	case HG_DEF: case HG_LAMBDA: case HG_LISTCOMP: case HG_SETCOMP: case HG_GENEXP:
	case HG_DICTCOMP:
		code_free(n->info);
		break;
	case HG_STR:
		hi_decref(hi_objval(n->info, HI_STR));
		break;
	default:
		break;
	}
	n->info = NULL;
}

static void unit_on_free(hg_unit *u)
{
	free_info(u->root);
}

/* Resolve a whole unit as module-level code. */
int hi_resolve_unit(hg_unit *u)
{
	if (!u->root)
		return 0;
	u->on_free = unit_on_free;
	scope top = {0};
	hg_syntax_error err = {0};
	if (resolve_scope(&top, u->root, &err, 0)) {
		hi_raise_syntax(&err, u, u->filename);
		return -1;
	}
	hi_specialize(u->root);
	return 0;
}

hi_code *hi_code_of(hg_node *n) { return (hi_code *)n->info; }
