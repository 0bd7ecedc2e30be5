/*
** eval_spec.c — an evaluator chosen per expression node, once, after name
** resolution (hi_specialize), and called through node->run by hi_ev.
**
** Why: choosing the evaluator from the node kind alone sent `n - 1` and
** `i < n` down the generic binary-operator path: a dispatch on each
** operand's node kind, then on the operator, then on the operand types.
** A binary operator or single comparison whose operands are local
** variables or number constants instead gets a function made for its
** operator and operand shape, which reads the slot and the constant
** directly (CPython's specialised instructions apply the same idea).
**
** Every function here handles only ints and floats that are not
** rank-local; anything else (other types, rank-local values, an unbound
** local, overflow, division by zero) takes the generic evaluator of the
** node's kind, which gives the same results and raises the errors.  When
** both operands are locals or constants the generic path simply evaluates
** them again (they have no side effects); an arbitrary left operand is
** evaluated once and then handed to the generic operator.
*/
#include "eval_fast.h"

/* Operand shapes: L a local variable, K a number constant, X anything. */
enum { SH_LK, SH_KL, SH_LL, SH_XK, SH_XX, SH_COUNT };

static inline hi_val konst(const hg_node *k)
{
	return k->kind == HG_INT ? hi_int(k->v.i) : hi_float(k->v.f);
}

/* The generic path for operands that hold no references (L and K). */
__attribute__((noinline)) static hi_val spec_generic(hg_node *n, hi_frame *fr)
{
	return hi_eval_table[n->kind](n, fr);
}

/* Operands already computed (shapes with an X) that are not plain
** numbers: the operator's generic protocol (ev_binop's tail); consumes
** both. */
__attribute__((noinline)) static hi_val spec_apply(hg_node *n, hi_frame *fr, int op, hi_val a,
                                                   hi_val b)
{
	hi_val r = hi_apply_op(op, a, b);
	hi_decref(a);
	hi_decref(b);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	return r;
}

HI_HOT hi_val spec_binop(hg_node *n, hi_frame *fr, int op, int shape)
{
	hg_node *x = n->kids[0], *y = n->kids[1];
	hi_val a, b, r;
	switch (shape) {
	case SH_LK:
		a = fr->locals[x->slot];
		b = konst(y);
		break;
	case SH_KL:
		a = konst(x);
		b = fr->locals[y->slot];
		break;
	case SH_LL:
		a = fr->locals[x->slot];
		b = fr->locals[y->slot];
		break;
	default:   /* SH_XK, SH_XX */
		a = hi_ev(x, fr);
		if (hi_iserr(a))
			return a;
		if (shape == SH_XK) {
			b = konst(y);
		} else {
			b = hi_ev(y, fr);
			if (hi_iserr(b)) {
				hi_decref(a);
				return b;
			}
		}
		if (hi_num_op(op, a, b, &r))
			return r;
		return spec_apply(n, fr, op, a, b);
	}
	if (!(a.local | b.local) && hi_num_op(op, a, b, &r))
		return r;
	return spec_generic(n, fr);
}

/* One function per operator and shape; the operator's switch in
** hi_num_op folds away in each. */
#define SPEC_SHAPES(OP) \
	static hi_val spec_##OP##_lk(hg_node *n, hi_frame *fr) { return spec_binop(n, fr, HG_OP_##OP, SH_LK); } \
	static hi_val spec_##OP##_kl(hg_node *n, hi_frame *fr) { return spec_binop(n, fr, HG_OP_##OP, SH_KL); } \
	static hi_val spec_##OP##_ll(hg_node *n, hi_frame *fr) { return spec_binop(n, fr, HG_OP_##OP, SH_LL); } \
	static hi_val spec_##OP##_xk(hg_node *n, hi_frame *fr) { return spec_binop(n, fr, HG_OP_##OP, SH_XK); } \
	static hi_val spec_##OP##_xx(hg_node *n, hi_frame *fr) { return spec_binop(n, fr, HG_OP_##OP, SH_XX); }
#define SPEC_ROW(OP) [HG_OP_##OP] = { spec_##OP##_lk, spec_##OP##_kl, spec_##OP##_ll, spec_##OP##_xk, \
                                      spec_##OP##_xx }

SPEC_SHAPES(ADD) SPEC_SHAPES(SUB) SPEC_SHAPES(MUL) SPEC_SHAPES(DIV)
SPEC_SHAPES(FLOORDIV) SPEC_SHAPES(MOD)
SPEC_SHAPES(LT) SPEC_SHAPES(LE) SPEC_SHAPES(GT) SPEC_SHAPES(GE) SPEC_SHAPES(EQ) SPEC_SHAPES(NE)

static const hi_eval_fn spec_table[HG_OP_COUNT][SH_COUNT] = {
	SPEC_ROW(ADD), SPEC_ROW(SUB), SPEC_ROW(MUL), SPEC_ROW(DIV), SPEC_ROW(FLOORDIV), SPEC_ROW(MOD),
	SPEC_ROW(LT), SPEC_ROW(LE), SPEC_ROW(GT), SPEC_ROW(GE), SPEC_ROW(EQ), SPEC_ROW(NE),
};

/* A call of a global name or of an attribute, with plain positional
** arguments. */
static hi_eval_fn call_spec_for(hg_node *n)
{
	const hg_node *f = n->kids[0];
	if (!hi_is_plain_call(n))
		return NULL;
	if (f->kind == HG_NAME && f->scope == SC_GLOBAL)
		return hi_eval_call_global;
	if (f->kind == HG_ATTR)
		return hi_eval_call_method;
	return NULL;
}

static int is_local(const hg_node *k) { return k->kind == HG_NAME && k->scope == SC_LOCAL; }
static int is_number(const hg_node *k) { return k->kind == HG_INT || k->kind == HG_FLOAT; }

/* The specialised evaluator of a binary operator or one comparison, or
** NULL when its operands have no shape above. */
static hi_eval_fn spec_for(const hg_node *n)
{
	int op;
	if (n->kind == HG_BINOP)
		op = n->op;
	else if (n->kind == HG_COMPARE && n->nkids == 2)
		op = n->ops[0];
	else
		return NULL;
	if (op <= 0 || op >= HG_OP_COUNT)
		return NULL;
	const hg_node *x = n->kids[0], *y = n->kids[1];
	int shape;
	if (is_local(x) && is_number(y))
		shape = SH_LK;
	else if (is_number(x) && is_local(y))
		shape = SH_KL;
	else if (is_local(x) && is_local(y))
		shape = SH_LL;
	else if (is_number(y))
		shape = SH_XK;
	else
		shape = SH_XX;
	return spec_table[op][shape];
}

/* Choose node->run for every expression node under n (statement-only
** kinds keep NULL; hi_ev then goes by kind). */
void hi_specialize(hg_node *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->nkids; i++)
		hi_specialize(n->kids[i]);
	hi_eval_fn f = n->kind == HG_CALL ? call_spec_for(n) : spec_for(n);
	if (!f)
		f = hi_eval_table[n->kind];
	n->run = (void (*)(void))f;
}
