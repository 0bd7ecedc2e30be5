/*
** eval_fast.h — the evaluator's hot paths, inlined into both eval_expr.c
** and eval_stmt.c: the expression dispatcher with its leaf cases, and the
** int/float arithmetic that skips the generic operator protocol.
**
** Why a header: statements (conditions, assignments, returns, loops) used
** to reach expressions through the out-of-line hi_eval, and numbers through
** hi_apply_op; on fib and on scalar float loops those two extra calls per
** node were a fifth of all instructions.  Everything here must stay exactly
** equivalent to the generic path it short-cuts (same results, same
** rank-local flags); anything unusual returns "not handled" and the caller
** takes the generic path, which also raises the errors.
*/
#ifndef HI_EVAL_FAST_H
#define HI_EVAL_FAST_H

#include "eval_internal.h"

#define HI_HOT static inline __attribute__((always_inline))

typedef hi_val (*hi_eval_fn)(hg_node *n, hi_frame *fr);
extern const hi_eval_fn hi_eval_table[HG_KIND_COUNT];
hi_val hi_eval_invalid(hg_node *n, hi_frame *fr);   /* SyntaxError: not an expression */
/* A node hi_specialize has not seen: its kind's evaluator, or the error. */
hi_val hi_eval_by_kind(hg_node *n, hi_frame *fr);

/* Local variables, the leaves that dominate real programs, are read
** inline, without a call (number constants mostly sit under a specialised
** operator, which reads them itself).  A rank-local value in a local slot
** goes the long way, which records that the statement touched it. */
HI_HOT hi_val hi_ev(hg_node *n, hi_frame *fr)
{
	/* an if-chain, not a switch: a jump table costs more than two tests */
	if (n->kind == HG_NAME) {
		if (n->scope == SC_LOCAL) {
			hi_val v = fr->locals[n->slot];
			if (!hi_isabsent(v) && !v.local)
				return hi_incref(v);
		}
	}
	/* run: chosen once per node by hi_specialize (eval_spec.c) */
	hi_eval_fn f = (hi_eval_fn)n->run;
	return f ? f(n, fr) : hi_eval_by_kind(n, fr);
}

/* The six comparisons as switch cases, for ints and doubles alike. */
#define HI_COMPARISONS(a, b, out) \
	case HG_OP_LT: *(out) = hi_bool((a) < (b)); return 1; \
	case HG_OP_LE: *(out) = hi_bool((a) <= (b)); return 1; \
	case HG_OP_GT: *(out) = hi_bool((a) > (b)); return 1; \
	case HG_OP_GE: *(out) = hi_bool((a) >= (b)); return 1; \
	case HG_OP_EQ: *(out) = hi_bool((a) == (b)); return 1; \
	case HG_OP_NE: *(out) = hi_bool((a) != (b)); return 1;

/* Ints whose conversion to double is exact: int/float mixes and int true
** division may then use double arithmetic and round exactly as Python. */
HI_HOT int hi_exact_double(int64_t i) { return i > -(1LL << 53) && i < (1LL << 53); }

HI_HOT int hi_int_fast(int op, int64_t a, int64_t b, hi_val *out)
{
	int64_t r;
	switch (op) {
	case HG_OP_ADD: if (__builtin_add_overflow(a, b, &r)) return 0; *out = hi_int(r); return 1;
	case HG_OP_SUB: if (__builtin_sub_overflow(a, b, &r)) return 0; *out = hi_int(r); return 1;
	case HG_OP_MUL: if (__builtin_mul_overflow(a, b, &r)) return 0; *out = hi_int(r); return 1;
	case HG_OP_DIV:
		if (b == 0 || !hi_exact_double(a) || !hi_exact_double(b))
			return 0;
		*out = hi_float((double)a / (double)b);
		return 1;
	case HG_OP_FLOORDIV:
	case HG_OP_MOD:
		/* Python floors; C truncates.  b == 0 and INT64_MIN // -1 raise
		** or overflow on the generic path. */
		if (b == 0 || (a == INT64_MIN && b == -1))
			return 0;
		r = a % b;
		int64_t q = a / b;
		if (r != 0 && ((r < 0) != (b < 0))) {
			r += b;
			q -= 1;
		}
		*out = hi_int(op == HG_OP_MOD ? r : q);
		return 1;
	HI_COMPARISONS(a, b, out)
	default: return 0;
	}
}

HI_HOT int hi_float_fast(int op, double a, double b, hi_val *out)
{
	switch (op) {
	case HG_OP_ADD: *out = hi_float(a + b); return 1;
	case HG_OP_SUB: *out = hi_float(a - b); return 1;
	case HG_OP_MUL: *out = hi_float(a * b); return 1;
	case HG_OP_DIV: if (b == 0.0) return 0; *out = hi_float(a / b); return 1;
	HI_COMPARISONS(a, b, out)
	default: return 0;
	}
}

/* A binary operator or comparison on two numbers (ints, floats, and their
** mixes, which promote to float as in Python).  1: *out is the result,
** rank-local if either operand is; 0: not handled here. */
HI_HOT int hi_num_op(int op, hi_val a, hi_val b, hi_val *out)
{
	int done;
	if (a.kind == HI_INT && b.kind == HI_INT) {
		done = hi_int_fast(op, a.i, b.i, out);
	} else if (a.kind == HI_FLOAT && b.kind == HI_FLOAT) {
		done = hi_float_fast(op, a.f, b.f, out);
	} else if (a.kind == HI_FLOAT && b.kind == HI_INT && hi_exact_double(b.i)) {
		done = hi_float_fast(op, a.f, (double)b.i, out);
	} else if (a.kind == HI_INT && b.kind == HI_FLOAT && hi_exact_double(a.i)) {
		done = hi_float_fast(op, (double)a.i, b.f, out);
	} else {
		return 0;
	}
	if (done)
		out->local = a.local | b.local;
	return done;
}

/* ---- statements ---- */

typedef hi_exit (*hi_exec_fn)(hg_node *s, hi_frame *fr);
/* eval_stmt.c; kinds that are not statements map to hi_exec_invalid */
extern const hi_exec_fn hi_exec_table[HG_KIND_COUNT];
hi_exit hi_exec_invalid(hg_node *s, hi_frame *fr);      /* SyntaxError: not a statement */
__attribute__((noinline)) hi_exit hi_exec_after(hg_node *s, hi_frame *fr, hi_exit ex,
                                                int outer_touched);

/* A statement run while the enclosing statement has already touched a
** rank-local value (an argument computed from comm.rank, say): the flag
** is kept aside for it (eval_stmt.c). */
__attribute__((noinline)) hi_exit hi_exec_one_nested(hg_node *s, hi_frame *fr);

/* One statement.  hi_S.touched_local tells whether it used a rank-local
** value; only then (or on an error) does it go to hi_exec_after, which
** agrees with the other ranks.  The flag is normally clear on entry, so
** nothing needs saving. */
HI_HOT hi_exit hi_exec_one(hg_node *s, hi_frame *fr)
{
	if (__builtin_expect(hi_S.touched_local, 0))
		return hi_exec_one_nested(s, fr);
	hi_exit ex = hi_exec_table[s->kind](s, fr);
	if (__builtin_expect(!hi_S.touched_local && ex != EX_ERROR, 1))
		return ex;
	return hi_exec_after(s, fr, ex, 0);
}

/* The statements of a block, until one does not end normally.  Inlined
** into a call's body so a user function costs one C frame less. */
HI_HOT hi_exit hi_exec_stmts(hg_node *b, hi_frame *fr)
{
	hg_node **k = b->kids;
	for (int i = 0, n = b->nkids; i < n; i++) {
		hi_exit ex = hi_exec_one(k[i], fr);
		if (ex != EX_NORMAL)
			return ex;
	}
	return EX_NORMAL;
}

/* ---- calls (func.c has the general binding; these are the plain ones) ---- */

#define HI_RECURSION_LIMIT 1000

/* Locals live in one value stack (func.c), not a malloc per call: a call
** takes nlocals slots from the top and gives them back on return.  Frames
** keep pointers into it, so it never moves: a call past its end is a
** RecursionError. */
extern hi_val *hi_vstack;
extern size_t hi_vtop, hi_vcap;

HI_HOT hi_val *hi_stack_take(size_t n)
{
	if (hi_vtop + n > hi_vcap)
		return NULL;
	hi_val *p = hi_vstack + hi_vtop;
	hi_vtop += n;
	return p;
}

HI_HOT void hi_release_locals(hi_val *L, int n)
{
	for (int i = 0; i < n; i++)
		if (!hi_isabsent(L[i]))
			hi_decref(L[i]);
}

/* The body of a call: run it in a new frame and add this frame's
** traceback line if an error leaves it. */
HI_HOT hi_val hi_run_body(hi_func *f, hi_val *L)
{
	hi_code *c = f->code;
	hi_frame fr;
	fr.back = hi_cur_frame;
	fr.locals = L;
	fr.free = f->free;
	fr.globals = f->globals;
	fr.code = c;
	fr.unit = f->unit;
	fr.retval = hi_none();
	fr.err_line = 0;
	fr.held = 0;
	hi_cur_frame = &fr;
	hi_val result;
	if (c->is_lambda) {
		result = hi_ev(c->body, &fr);
	} else {
		hi_exit ex = hi_exec_stmts(c->body, &fr);
		if (ex == EX_ERROR)
			result = hi_err();
		else if (ex == EX_RETURN)
			result = fr.retval;
		else
			result = hi_none();
	}
	if (__builtin_expect(fr.held, 0))
		result = hi_release_holds(&fr, result);
	if (hi_iserr(result))
		hi_exc_add_tb(hi_exc_pending(), f->unit->filename, fr.err_line ? fr.err_line
		              : c->node->loc.line, c->name);
	hi_cur_frame = fr.back;
	return result;
}

/* f(a, b) from an HG_CALL with plain positional arguments to a simple
** function (eval_expr.c checks that): the arguments are evaluated straight
** into the new frame's slots (calls made while evaluating them use the
** stack above those).  Inlined into the call node's evaluation, so a
** user-function call costs one C frame less. */
HI_HOT hi_val hi_call_direct(hi_func *f, hg_node *call, hi_frame *caller)
{
	hi_code *c = f->code;
	int argc = call->nkids - 1;
	hi_val *L;
	if (hi_S.depth >= HI_RECURSION_LIMIT || !(L = hi_stack_take((size_t)c->nlocals)))
		return hi_raise(hi_RecursionError, "maximum recursion depth exceeded");
	for (int i = 0; i < argc; i++) {
		hi_val v = hi_ev(call->kids[i + 1], caller);
		if (hi_iserr(v)) {
			hi_release_locals(L, i);
			hi_vtop -= (size_t)c->nlocals;
			return v;
		}
		L[i] = v;
	}
	for (int i = argc; i < c->nlocals; i++)
		L[i] = hi_absent();
	hi_S.depth++;
	hi_val result = hi_run_body(f, L);
	hi_release_locals(L, c->nlocals);
	hi_vtop -= (size_t)c->nlocals;
	hi_S.depth--;
	return result;
}

#endif
