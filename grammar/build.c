/*
** build.c — node builders and the syntax checks that a context-free
** grammar cannot express: what may be assigned to or deleted, parameter
** order, argument order.  Messages follow CPython's wording so users can
** search for them.
*/
#include <stdio.h>
#include <string.h>
#include "parse.h"

int hg_error_at(hg_pstate *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;
	if (ps->failed)
		return 0;
	ps->failed = 1;
	ps->err->line = line;
	ps->err->col = col;
	ps->err->incomplete = 0;
	ps->err->indentation = 0;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
	va_end(ap);
	return 1;
}

hg_loc hg_mkloc(const hg_lloc *l)
{
	hg_loc r;
	r.line = l->first_line;
	r.col = l->first_column;
	r.end_line = l->last_line;
	r.end_col = l->last_column;
	return r;
}

/* Comparison operators grow with the operands (nkids - 1 of them), with
** the same capacity rule hg_node_add uses for kids. */
void hg_compare_add(hg_unit *u, hg_node *cmp, int op, hg_node *right)
{
	int n = cmp->nkids - 1;      /* operators so far */
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		int cap = n == 0 ? 4 : 2 * n;
		int *ops = hg_alloc(u, (size_t)cap * sizeof *ops);
		if (n)
			memcpy(ops, cmp->ops, (size_t)n * sizeof *ops);
		cmp->ops = ops;
	}
	cmp->ops[n] = op;
	hg_node_add(u, cmp, right);
}

static void extend(hg_node *block, const hg_node *s)
{
	if (block->nkids == 1) {
		block->loc.line = s->loc.line;
		block->loc.col = s->loc.col;
	}
	block->loc.end_line = s->loc.end_line;
	block->loc.end_col = s->loc.end_col;
}

void hg_block_append(hg_unit *u, hg_node *block, hg_node *stmt)
{
	if (stmt->kind == HG_BLOCK && stmt->op == HG_MARK_SPLICE) {
		for (int i = 0; i < stmt->nkids; i++) {
			hg_node_add(u, block, stmt->kids[i]);
			extend(block, stmt->kids[i]);
		}
	} else {
		hg_node_add(u, block, stmt);
		extend(block, stmt);
	}
}

/* What CPython calls an expression in "cannot assign to ...". */
static const char *describe(const hg_node *n)
{
	switch (n->kind) {
	case HG_INT: case HG_FLOAT: case HG_IMAG: case HG_STR: return "literal";
	case HG_FSTR: return "f-string expression";
	case HG_TRUE: return "True";
	case HG_FALSE: return "False";
	case HG_NONE: return "None";
	case HG_ELLIPSIS: return "ellipsis";
	case HG_CALL: return "function call";
	case HG_COMPARE: return "comparison";
	case HG_IFEXP: return "conditional expression";
	case HG_LAMBDA: return "lambda";
	case HG_DICT: return "dict literal";
	case HG_SET: return "set display";
	case HG_LISTCOMP: return "list comprehension";
	case HG_SETCOMP: return "set comprehension";
	case HG_DICTCOMP: return "dict comprehension";
	case HG_GENEXP: return "generator expression";
	case HG_MAGIC: return "magic command";
	default: return "expression";
	}
}

static int bad_target(hg_pstate *ps, const hg_node *t, int what)
{
	if (what == HG_TARGET_AUG)
		hg_error_at(ps, t->loc.line, t->loc.col,
		            "'%s' is an illegal expression for augmented assignment",
		            t->kind == HG_TUPLE ? "tuple" : t->kind == HG_LIST ? "list"
		            : t->kind == HG_STARARG ? "starred" : describe(t));
	else if (what == HG_TARGET_DEL)
		hg_error_at(ps, t->loc.line, t->loc.col, "cannot delete %s", describe(t));
	else
		hg_error_at(ps, t->loc.line, t->loc.col, "cannot assign to %s", describe(t));
	return -1;
}

static int check_target(hg_pstate *ps, hg_node *t, int what, int nested)
{
	switch (t->kind) {
	case HG_NAME:
	case HG_ATTR:
	case HG_SUBSCRIPT:
		return 0;
	case HG_TUPLE:
	case HG_LIST: {
		int stars = 0;
		if (what == HG_TARGET_AUG)
			return bad_target(ps, t, what);
		for (int i = 0; i < t->nkids; i++) {
			hg_node *k = t->kids[i];
			if (k->kind == HG_STARARG) {
				if (++stars > 1) {
					hg_error_at(ps, k->loc.line, k->loc.col,
					            "multiple starred expressions in assignment");
					return -1;
				}
				if (k->kids[0]->kind == HG_STARARG)
					return bad_target(ps, k->kids[0], what);
				if (check_target(ps, k->kids[0], what, 1))
					return -1;
			} else if (check_target(ps, k, what, 1))
				return -1;
		}
		return 0;
	}
	case HG_STARARG:
		if (what == HG_TARGET_AUG)
			return bad_target(ps, t, what);
		if (!nested) {
			hg_error_at(ps, t->loc.line, t->loc.col,
			            "starred assignment target must be in a list or tuple");
			return -1;
		}
		return check_target(ps, t->kids[0], what, 1);
	default:
		return bad_target(ps, t, what);
	}
}

int hg_check_target(hg_pstate *ps, hg_node *t, int what)
{
	return check_target(ps, t, what, 0);
}

/* del a, (b, c), d[i]: flattened into the kids of the HG_DEL node. */
int hg_check_del(hg_pstate *ps, hg_node *del, hg_node *t)
{
	switch (t->kind) {
	case HG_NAME:
	case HG_ATTR:
	case HG_SUBSCRIPT:
		hg_node_add(ps->u, del, t);
		return 0;
	case HG_TUPLE:
	case HG_LIST:
		for (int i = 0; i < t->nkids; i++)
			if (hg_check_del(ps, del, t->kids[i]))
				return -1;
		return 0;
	case HG_STARARG:
		hg_error_at(ps, t->loc.line, t->loc.col, "cannot delete starred");
		return -1;
	default:
		return bad_target(ps, t, HG_TARGET_DEL);
	}
}

/* Orders parameters as Python requires and turns the bare '*' into
** keyword-only marks on the parameters after it. */
int hg_check_params(hg_pstate *ps, hg_node *params, int is_lambda)
{
	int seen_default = 0, seen_star = 0, seen_dstar = 0, bare = -1, w = 0;
	const char *what = is_lambda ? "lambda" : "function definition";
	for (int i = 0; i < params->nkids; i++) {
		hg_node *p = params->kids[i];
		if (seen_dstar) {
			hg_error_at(ps, p->loc.line, p->loc.col,
			            "arguments cannot follow var-keyword argument");
			return -1;
		}
		if (p->v.s) {
			p->v.len = strlen(p->v.s);
			for (int j = 0; j < w; j++)
				if (!strcmp(params->kids[j]->v.s, p->v.s)) {
					hg_error_at(ps, p->loc.line, p->loc.col,
					            "duplicate argument '%s' in %s", p->v.s, what);
					return -1;
				}
		}
		switch (p->op) {
		case HG_PARAM_PLAIN:
			if (seen_star)
				p->op = HG_PARAM_KWONLY;
			else if (p->kids[0])
				seen_default = 1;
			else if (seen_default) {
				hg_error_at(ps, p->loc.line, p->loc.col,
				            "non-default argument follows default argument");
				return -1;
			}
			if (bare >= 0)
				bare = -2;      /* satisfied */
			break;
		case HG_PARAM_STAR:
			if (seen_star) {
				hg_error_at(ps, p->loc.line, p->loc.col,
				            "* argument may appear only once");
				return -1;
			}
			seen_star = 1;
			if (!p->v.s) {
				bare = i;
				continue;       /* a bare '*' is not a parameter */
			}
			break;
		case HG_PARAM_DSTAR:
			seen_dstar = 1;
			break;
		}
		params->kids[w++] = p;
	}
	if (bare >= 0) {
		hg_error_at(ps, params->loc.line, params->loc.col,
		            "named arguments must follow bare *");
		return -1;
	}
	params->nkids = w;
	return 0;
}

int hg_check_call(hg_pstate *ps, hg_node *call)
{
	int seen_kw = 0, seen_dstar = 0, nargs = call->nkids - 1;
	for (int i = 1; i < call->nkids; i++) {
		hg_node *a = call->kids[i];
		switch (a->kind) {
		case HG_KWARG:
			for (int j = 1; j < i; j++)
				if (call->kids[j]->kind == HG_KWARG &&
				    !strcmp(call->kids[j]->v.s, a->v.s)) {
					hg_error_at(ps, a->loc.line, a->loc.col,
					            "keyword argument repeated: %s", a->v.s);
					return -1;
				}
			seen_kw = 1;
			break;
		case HG_DSTARARG:
			seen_dstar = 1;
			break;
		case HG_STARARG:
			if (seen_dstar) {
				hg_error_at(ps, a->loc.line, a->loc.col,
				            "iterable argument unpacking follows keyword argument unpacking");
				return -1;
			}
			break;
		default:
			if (a->kind == HG_GENEXP && a->op == HG_MARK_BAREGEN) {
				a->op = 0;
				if (nargs > 1) {
					hg_error_at(ps, a->loc.line, a->loc.col,
					            "Generator expression must be parenthesized");
					return -1;
				}
			}
			if (seen_dstar || seen_kw) {
				hg_error_at(ps, a->loc.line, a->loc.col,
				            "positional argument follows keyword argument%s",
				            seen_dstar ? " unpacking" : "");
				return -1;
			}
		}
	}
	return 0;
}
