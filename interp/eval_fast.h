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

/* The leaves that dominate real programs (locals and number constants) are
** handled inline, without a call.  A rank-local value in a local slot goes
** the long way, which records that the statement touched it. */
HI_HOT hi_val hi_ev(hg_node *n, hi_frame *fr)
{
	/* an if-chain, not a switch: a jump table costs more than two tests */
	if (n->kind == HG_NAME) {
		if (n->scope == SC_LOCAL) {
			hi_val v = fr->locals[n->slot];
			if (!hi_isabsent(v) && !v.local)
				return hi_incref(v);
		}
	} else if (n->kind == HG_INT) {
		return hi_int(n->v.i);
	} else if (n->kind == HG_FLOAT) {
		return hi_float(n->v.f);
	}
	hi_eval_fn f = hi_eval_table[n->kind];
	return f ? f(n, fr) : hi_eval_invalid(n, fr);
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

#endif
