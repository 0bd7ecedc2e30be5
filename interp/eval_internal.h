/*
** eval_internal.h — what the evaluator's files share: resolved scopes
** (code objects), function objects, frames and the statement outcomes.
**
** Name resolution happens once per parsed unit (resolve.c), before it
** runs.  Every HG_NAME node gets a scope kind and a slot:
**   SC_GLOBAL  module namespace (dict), then builtins
**   SC_LOCAL   frame->locals[slot]
**   SC_CELL    frame->locals[slot] holds a cell (captured by an inner def)
**   SC_FREE    frame->free[slot] is a cell of an enclosing function
** Comprehensions and lambdas are scopes of their own, as in Python 3.
*/
#ifndef HI_EVAL_INTERNAL_H
#define HI_EVAL_INTERNAL_H

#include "interp.h"
#include "eval.h"

enum { SC_GLOBAL = 0, SC_LOCAL, SC_CELL, SC_FREE };

/* Where an inner function's free variable comes from in its parent frame. */
typedef struct hi_freesrc {
	int from_free;   /* 1: parent's free[idx]; 0: parent's locals[idx] (a cell) */
	int idx;
} hi_freesrc;

/* A resolved function body (def, lambda or comprehension); node->info. */
typedef struct hi_code {
	hg_node *node;         /* HG_DEF, HG_LAMBDA or a comprehension */
	hg_node *body;         /* def: its HG_BLOCK; lambda: its expression */
	int is_lambda;
	char *name;            /* "f", "<lambda>", "<listcomp>" */
	int nparams;           /* leading locals that are parameters */
	int star, dstar;       /* index of *args / **kwargs parameter, or -1 */
	int nkwonly;           /* keyword-only parameters (after the positional ones) */
	int npos;              /* positional parameters (before * / *args) */
	int nlocals;
	char **localnames;
	unsigned char *iscell; /* per local: captured by an inner scope */
	int anycell;
	int nfree;
	char **freenames;
	hi_freesrc *freesrc;
	hi_val doc;            /* docstring str or None */
	int simple;            /* only plain positional params, no cells */
} hi_code;

typedef struct hi_cell { hi_obj h; hi_val v; } hi_cell;   /* v may be hi_absent() */

typedef struct hi_func {
	hi_obj h;
	hi_code *code;
	hg_unit *unit;
	hi_val *defaults;      /* per parameter: value or hi_absent() (nparams) */
	hi_val *free;          /* cells (nfree) */
	hi_val name;           /* str */
	hi_val globals;        /* dict its global names live in (borrowed: namespaces live forever) */
	const char *module;    /* "__main__", or "heat" for the stdlib, for help() */
} hi_func;

/* How a statement ended. */
typedef enum { EX_NORMAL = 0, EX_RETURN, EX_BREAK, EX_CONTINUE, EX_ERROR } hi_exit;

typedef struct hi_frame {
	struct hi_frame *back;
	hi_val *locals;
	hi_val *free;
	hi_code *code;         /* NULL at module level */
	hg_unit *unit;
	hi_val globals;        /* dict for SC_GLOBAL names */
	hi_val retval;
	int err_line;          /* line where the pending error passed first */
	int held;              /* ranks apart until this call returns (eval_stmt.c) */
} hi_frame;

extern hi_frame *hi_cur_frame;

/* A global name's node->info: its interned str, and where the last lookup
** found it (valid while both dicts keep their version). */
typedef struct hi_namecache {
	hi_val name;           /* str */
	hi_dict *globals;      /* the dict the cache belongs to */
	uint64_t gver, bver;
	int64_t idx;           /* entry index, or -1: not cached */
	int in_builtins;
} hi_namecache;

static inline hi_val hi_name_str(const hg_node *n) { return ((hi_namecache *)n->info)->name; }

/* resolve.c */
int hi_resolve_unit(hg_unit *u);   /* 0, or -1 with a SyntaxError pending */
hi_code *hi_code_of(hg_node *n);

/* func.c */
hi_val hi_func_new(hi_code *code, hg_unit *u, hi_frame *fr);   /* defaults filled by caller */
hi_val hi_call_func(hi_func *f, int argc, const hi_val *argv, int nkw,
                    const char *const *kwnames, const hi_val *kwvals);
hi_val hi_call_func_steal(hi_func *f, int argc, hi_val *argv);   /* steals argv's refs */
hi_val hi_cell_new(hi_val v);      /* steals v */
void hi_func_init(void);

/* eval_spec.c: choose each expression node's evaluator (node->run); run
** on every unit after name resolution. */
void hi_specialize(hg_node *n);
int hi_is_plain_call(hg_node *n);                      /* positional arguments only */
hi_val hi_eval_call_global(hg_node *n, hi_frame *fr);  /* f(a, b), f a global name */
hi_val hi_eval_call_method(hg_node *n, hi_frame *fr);  /* x.f(a, b) */

/* eval_stmt.c: the ends of rank-dependent control flow (see there) */
hi_val hi_release_holds(hi_frame *fr, hi_val result);
hi_val hi_leave_divergent_value(hi_val r, hi_frame *fr);

/* eval_expr.c / eval_stmt.c */
hi_val hi_eval(hg_node *n, hi_frame *fr);
hi_exit hi_exec_block(hg_node *block, hi_frame *fr);
hi_exit hi_exec(hg_node *s, hi_frame *fr);
int hi_assign(hg_node *target, hi_val v, hi_frame *fr);   /* v borrowed */
/* Store by name (def, import, except-as): the local slot if the name is a
** local of the running function, else the frame's globals. */
int hi_store_named(hi_frame *fr, const char *name, hi_val v);
hi_val hi_eval_index(hg_node *n, hi_frame *fr);   /* subscript: slices, tuples */
hi_val hi_apply_op(int op, hi_val a, hi_val b);    /* binary op or comparison */
hi_val hi_make_function(hg_node *def_or_lambda, hi_frame *fr);
hi_val hi_eval_comprehension(hg_node *n, hi_frame *fr);

/* Note where an error passed in this frame (innermost wins). */
static inline hi_val hi_err_at(hi_frame *fr, const hg_node *n)
{
	if (!fr->err_line)
		fr->err_line = n->loc.line;
	return hi_err();
}

/* magic.c */
hi_val hi_exec_magic(hg_node *n, hi_frame *fr);

/* import.c */
hi_exit hi_exec_import(hg_node *s, hi_frame *fr);

/* SyntaxError from the resolver or a nested parse. */
hi_val hi_raise_syntax(const hg_syntax_error *e, const hg_unit *u, const char *filename);

#endif
