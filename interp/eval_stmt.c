/*
** eval_stmt.c — executing statements, and the SPMD points where ranks meet.
**
** Rank-dependent control flow (an `if`/`while` whose condition, or a `for`
** whose iterable, is rank-local) is a "divergent region": inside it ranks
** may run different statements, so nothing there may wait for the others.
** When the region ends every rank is at the same statement again and
** hi_spmd_reconverge() flushes the region's output in rank order and
** agrees on errors.  Outside such regions, a statement that touched a
** rank-local value ends with hi_spmd_agree(), because it may have failed
** on some ranks only (an index into x.larray, say).
**
** A region can end with the ranks still apart: under `if comm.rank == 0:`
** rank 0 returns (or breaks, or continues) while the others go on with
** the function (or loop).  The ranks then stay divergent — a "hold" —
** until the construct that absorbs that exit ends: the call for return
** (hi_frame.held, released by hi_release_holds), the loop for break and
** continue (loop_holds, released when the loop statement ends).  There
** every rank arrives, and they reconverge.
*/
#include <stdlib.h>
#include <string.h>

#include "eval_fast.h"
#include "spmd.h"

static hi_val handling;    /* the exception an `except` block is handling (for bare raise) */

/* After a statement or header expression that touched rank-local values. */
static int sync_point(int failed)
{
	if (!hi_S.touched_local || hi_S.divergent)
		return failed;
	hi_S.touched_local = 0;
	return hi_spmd_agree(failed);
}

static void enter_divergent(void) { hi_S.divergent++; }

static int loop_holds;   /* holds the innermost running loops will release */

/* Make the value bound to a name rank-local (if it is bound). */
static void mark_name(const hg_node *t, hi_frame *fr)
{
	hi_val *v = NULL;
	switch (t->scope) {
	case SC_LOCAL: v = &fr->locals[t->slot]; break;
	case SC_CELL: v = &((hi_cell *)fr->locals[t->slot].o)->v; break;
	case SC_FREE: v = &((hi_cell *)fr->free[t->slot].o)->v; break;
	default: {
		hi_namecache *c = t->info;
		hi_dict *g = hi_as_dict(fr->globals);
		int ok;
		int64_t ix = hi_dict_find(g, c->name, hi_hash(c->name, &ok));
		if (ix >= 0)
			v = &g->entries[ix].value;
	}
	}
	if (v && !hi_isabsent(*v))
		v->local = 1;
}

/* The name a store target binds or changes (x, x[i], x.a, x[i].a ...). */
static void mark_target(const hg_node *t, hi_frame *fr)
{
	switch (t->kind) {
	case HG_NAME: mark_name(t, fr); break;
	case HG_TUPLE: case HG_LIST:
		for (int i = 0; i < t->nkids; i++)
			mark_target(t->kids[i], fr);
		break;
	case HG_STARARG: case HG_ATTR: case HG_SUBSCRIPT:
		mark_target(t->kids[0], fr);
		break;
	default: break;
	}
}

/* After rank-dependent control flow the ranks may have run different
** stores: every variable a statement in the region stores to becomes
** rank-local on every rank (so they all agree on what is rank-local, and
** printing it shows each rank's value).  Nested function bodies are
** other scopes. */
static void mark_stores(const hg_node *n, hi_frame *fr)
{
	if (!n || n->kind == HG_DEF || n->kind == HG_LAMBDA)
		return;
	switch (n->kind) {
	case HG_ASSIGN:
		for (int i = 0; i < n->nkids - 1; i++)
			mark_target(n->kids[i], fr);
		return;
	case HG_AUGASSIGN:
		mark_target(n->kids[0], fr);
		return;
	case HG_FOR:
		mark_target(n->kids[0], fr);
		break;
	default:
		break;
	}
	if (n->kind < HG_BLOCK)
		return;   /* an expression: no stores */
	for (int i = 0; i < n->nkids; i++)
		mark_stores(n->kids[i], fr);
}

/* Leave a divergent region (the statement `region`, or NULL for an
** expression); returns the (possibly agreed) outcome.  When the ranks
** ended it differently, they stay apart (a hold: see above). */
static hi_exit leave_divergent(hi_exit ex, hi_frame *fr, const hg_node *region)
{
	if (ex == EX_RETURN)
		fr->retval.local = 1;   /* returned under rank-dependent control flow */
	if (--hi_S.divergent > 0)
		return ex;
	hi_S.touched_local = 0;
	unsigned outcomes;
	int failed = hi_spmd_reconverge(ex == EX_ERROR, (int)ex, &outcomes);
	mark_stores(region, fr);
	if (failed)
		return EX_ERROR;
	if (outcomes & ~(1u << ex)) {
		hi_S.divergent++;
		if (outcomes & (1u << EX_RETURN))
			fr->held++;
		else
			loop_holds++;
	}
	return ex;
}

/* The end of a loop statement: release the holds its body made. */
static hi_exit loop_end(int holds_before, hi_exit ex, hi_frame *fr, const hg_node *loop)
{
	while (loop_holds > holds_before) {
		loop_holds--;
		ex = leave_divergent(ex, fr, loop);
	}
	return ex;
}

hi_val hi_release_holds(hi_frame *fr, hi_val result)
{
	hi_exit ex = hi_iserr(result) ? EX_ERROR : EX_RETURN;
	while (fr->held > 0) {
		fr->held--;
		ex = leave_divergent(ex, fr, fr->code ? fr->code->body : NULL);
	}
	if (ex == EX_ERROR && !hi_iserr(result)) {
		hi_decref(result);
		return hi_err();
	}
	if (!hi_iserr(result))
		result.local = 1;   /* the ranks took different paths to it */
	return result;
}

/* The end of a rank-dependent expression (x if comm.rank else y, a and
** b with a rank-local a): only some ranks evaluated the part inside. */
hi_val hi_leave_divergent_value(hi_val r, hi_frame *fr)
{
	hi_exit ex = leave_divergent(hi_iserr(r) ? EX_ERROR : EX_NORMAL, fr, NULL);
	if (ex == EX_ERROR && !hi_iserr(r)) {
		hi_decref(r);
		return hi_err();
	}
	return r;
}

/* ---- stores ---- */

static int local_slot(hi_code *c, const char *name)
{
	for (int i = 0; i < c->nlocals; i++)
		if (strcmp(c->localnames[i], name) == 0)
			return i;
	return -1;
}

/* Store by name (def, import, except-as): local slot, cell or global. */
int hi_store_named(hi_frame *fr, const char *name, hi_val v)
{
	if (fr->code) {
		int s = local_slot(fr->code, name);
		if (s >= 0) {
			hi_val *slot = &fr->locals[s];
			if (fr->code->iscell[s])
				slot = &((hi_cell *)slot->o)->v;
			hi_val old = *slot;
			*slot = hi_incref(v);
			if (!hi_isabsent(old))
				hi_decref(old);
			return 0;
		}
	}
	return hi_dict_set_str(fr->globals, name, v);
}

/* Replace a local slot's value with v (a new reference, stolen). */
HI_HOT void set_slot(hi_val *slot, hi_val v)
{
	hi_val old = *slot;
	*slot = v;
	if (!hi_isabsent(old))
		hi_decref(old);
}

/* A global store.  The name's cache (the entry index load_global also
** uses) lets a rebinding overwrite the value in place: the key set does
** not change, so the dict's version and every cached index stay valid. */
static int store_global(hg_node *t, hi_val v, hi_frame *fr)
{
	hi_namecache *c = t->info;
	hi_dict *g = hi_as_dict(fr->globals);
	if (c->idx >= 0 && !c->in_builtins && c->globals == g && c->gver == g->version) {
		hi_dict_entry *e = &g->entries[c->idx];
		hi_val old = e->value;
		e->value = hi_incref(v);
		hi_decref(old);
		return 0;
	}
	if (hi_dict_set(fr->globals, c->name, v))
		return -1;
	int ok;
	int64_t ix = hi_dict_find(g, c->name, hi_hash(c->name, &ok));
	if (ix >= 0) {
		c->globals = g;
		c->gver = g->version;
		c->idx = ix;
		c->in_builtins = 0;
	}
	return 0;
}

static int store_name(hg_node *t, hi_val v, hi_frame *fr)
{
	hi_val *slot;
	if (hi_S.divergent)
		v.local = 1;   /* bound under rank-dependent control flow: may differ */
	switch (t->scope) {
	case SC_LOCAL: slot = &fr->locals[t->slot]; break;
	case SC_CELL: slot = &((hi_cell *)fr->locals[t->slot].o)->v; break;
	case SC_FREE: slot = &((hi_cell *)fr->free[t->slot].o)->v; break;
	default: return store_global(t, v, fr);
	}
	hi_val old = *slot;
	*slot = hi_incref(v);
	if (!hi_isabsent(old))
		hi_decref(old);
	return 0;
}

static int unpack(hg_node *t, hi_val v, hi_frame *fr)
{
	hi_val it = hi_iter(v);
	if (hi_iserr(it)) {
		hi_exc_clear();
		return hi_raisei(hi_TypeError, "cannot unpack non-iterable %s object", hi_type_name(v));
	}
	hi_val items = hi_list_new((size_t)t->nkids);
	hi_val x;
	int r;
	while ((r = hi_next(it, &x)) > 0) {
		hi_list_append(items, x);
		hi_decref(x);
	}
	hi_decref(it);
	if (r < 0) {
		hi_decref(items);
		return -1;
	}
	hi_list *l = hi_as_list(items);
	int star = -1;
	for (int i = 0; i < t->nkids; i++)
		if (t->kids[i]->kind == HG_STARARG)
			star = i;
	size_t n = (size_t)t->nkids;
	int rc = 0;
	if (star < 0) {
		if (l->len != n) {
			if (l->len > n)
				rc = hi_raisei(hi_ValueError, "too many values to unpack (expected %zu)", n);
			else
				rc = hi_raisei(hi_ValueError, "not enough values to unpack (expected %zu, got %zu)", n, l->len);
		}
		for (size_t i = 0; !rc && i < n; i++)
			rc = hi_assign(t->kids[i], hi_setlocal(l->items[i], v.local), fr);
	} else {
		size_t after = n - (size_t)star - 1;
		if (l->len < n - 1) {
			rc = hi_raisei(hi_ValueError, "not enough values to unpack (expected at least %zu, got %zu)",
			               n - 1, l->len);
		}
		for (int i = 0; !rc && i < star; i++)
			rc = hi_assign(t->kids[i], l->items[i], fr);
		if (!rc) {
			size_t nstar = l->len - (size_t)star - after;
			hi_val mid = hi_list_new(nstar);
			for (size_t i = 0; i < nstar; i++)
				hi_list_append(mid, l->items[(size_t)star + i]);
			rc = hi_assign(t->kids[star]->kids[0], mid, fr);
			hi_decref(mid);
		}
		for (size_t i = 0; !rc && i < after; i++)
			rc = hi_assign(t->kids[(size_t)star + 1 + i], l->items[l->len - after + i], fr);
	}
	hi_decref(items);
	return rc;
}

/* The object and the index of the subscript target t (o[k]); both new
** references, or -1 with neither. */
static int eval_subscript(hg_node *t, hi_frame *fr, hi_val *o, hi_val *k)
{
	*o = hi_eval(t->kids[0], fr);
	if (hi_iserr(*o))
		return -1;
	*k = hi_eval_index(t->kids[1], fr);
	if (hi_iserr(*k)) {
		hi_decref(*o);
		return -1;
	}
	return 0;
}

int hi_assign(hg_node *t, hi_val v, hi_frame *fr)
{
	switch (t->kind) {
	case HG_NAME:
		return store_name(t, v, fr);
	case HG_TUPLE: case HG_LIST:
		return unpack(t, v, fr);
	case HG_ATTR: {
		hi_val o = hi_eval(t->kids[0], fr);
		if (hi_iserr(o))
			return -1;
		int rc = hi_setattr(o, t->v.s, v);
		hi_decref(o);
		return rc;
	}
	case HG_SUBSCRIPT: {
		hi_val o, k;
		if (eval_subscript(t, fr, &o, &k))
			return -1;
		int rc = hi_setitem(o, k, v);
		hi_decref(o);
		hi_decref(k);
		return rc;
	}
	default:
		return hi_raisei(hi_SyntaxError, "cannot assign to %s", hg_kind_name(t->kind));
	}
}

/* ---- augmented assignment: in place for arrays and lists, as Python/NumPy ---- */

static hi_exit exec_augassign(hg_node *s, hi_frame *fr)
{
	hg_node *t = s->kids[0];
	if (t->kind == HG_NAME && t->scope == SC_LOCAL) {
		/* x op= y with x a local number: no lookups; numbers are immutable,
		** so this is x = x op y (hi_inplace_binop has the generic cases) */
		hi_val *slot = &fr->locals[t->slot];
		if (slot->kind == HI_INT || slot->kind == HI_FLOAT) {
			hi_val v = hi_ev(s->kids[1], fr), r;
			if (hi_iserr(v)) {
				hi_err_at(fr, s);
				return EX_ERROR;
			}
			hi_val cur = *slot;   /* still a number: only this statement stores to it */
			if (!hi_num_op(s->op, cur, v, &r)) {
				r = hi_inplace_binop(s->op, cur, v);
				hi_decref(v);
				if (hi_iserr(r)) {
					hi_err_at(fr, s);
					return EX_ERROR;
				}
			}
			if (r.local)
				hi_S.touched_local = 1;
			*slot = r;   /* the old value was a number: nothing to release */
			return EX_NORMAL;
		}
	}
	hi_val obj = hi_none(), key = hi_none(), cur;
	if (t->kind == HG_NAME) {
		cur = hi_eval(t, fr);
	} else if (t->kind == HG_ATTR) {
		obj = hi_eval(t->kids[0], fr);
		if (hi_iserr(obj))
			return EX_ERROR;
		cur = hi_getattr(obj, t->v.s);
	} else if (t->kind == HG_SUBSCRIPT) {
		if (eval_subscript(t, fr, &obj, &key))
			return EX_ERROR;
		cur = hi_getitem(obj, key);
	} else {
		hi_raise(hi_SyntaxError, "illegal expression for augmented assignment");
		hi_err_at(fr, s);
		return EX_ERROR;
	}
	hi_exit ex = EX_ERROR;
	if (hi_iserr(cur))
		goto out;
	hi_val v = hi_eval(s->kids[1], fr);
	if (hi_iserr(v)) {
		hi_decref(cur);
		goto out;
	}
	/* numbers first; arrays and lists update in place (hi_inplace_binop) */
	hi_val r;
	if (!hi_num_op(s->op, cur, v, &r))
		r = hi_inplace_binop(s->op, cur, v);
	int local = cur.local | v.local;
	hi_decref(cur);
	hi_decref(v);
	if (hi_iserr(r))
		goto out;
	r.local |= local;
	int rc;
	if (t->kind == HG_NAME)
		rc = store_name(t, r, fr);
	else if (t->kind == HG_ATTR)
		rc = hi_setattr(obj, t->v.s, r);
	else
		rc = hi_setitem(obj, key, r);
	hi_decref(r);
	if (!rc)
		ex = EX_NORMAL;
out:
	hi_decref(obj);
	hi_decref(key);
	if (ex == EX_ERROR)
		hi_err_at(fr, s);
	return ex;
}

/* ---- compound statements ---- */

static int is_compound(hg_kind k)
{
	return k == HG_IF || k == HG_WHILE || k == HG_FOR || k == HG_TRY || k == HG_BLOCK || k == HG_DEF;
}

/* After a statement that failed or touched rank-local values (hi_exec_one):
** note the line and meet the other ranks (sync_point). */
hi_exit hi_exec_after(hg_node *s, hi_frame *fr, hi_exit ex, int outer_touched)
{
	if (ex == EX_ERROR && !fr->err_line)
		fr->err_line = s->loc.line;
	if (!is_compound(s->kind) && sync_point(ex == EX_ERROR) && ex != EX_ERROR) {
		ex = EX_ERROR;
		if (!fr->err_line)
			fr->err_line = s->loc.line;
	}
	hi_S.touched_local |= outer_touched;
	return ex;
}

#define exec_one hi_exec_one

/* The truth of a condition that did not give a bool (consumes c). */
__attribute__((noinline)) static int value_truth(hg_node *cond, hi_frame *fr, hi_val c)
{
	int t = hi_truthy(c);
	hi_decref(c);
	if (t < 0)
		hi_err_at(fr, cond);
	return t;
}

/* 1, 0, or -1 on error; *local: the condition was rank-local.  Comparisons
** give bools; `i < n` on locals is one specialised call (eval_spec.c). */
HI_HOT int truth_of(hg_node *cond, hi_frame *fr, int *local)
{
	hi_val c = hi_ev(cond, fr);
	if (hi_iserr(c))
		return -1;
	*local = c.local;
	if (c.kind == HI_BOOL)
		return (int)c.i;
	return value_truth(cond, fr, c);
}

static hi_exit exec_if(hg_node *s, hi_frame *fr)
{
	int local = 0;
	int t = truth_of(s->kids[0], fr, &local);
	if (sync_point(t < 0))
		return EX_ERROR;
	hg_node *branch = t ? s->kids[1] : s->kids[2];
	if (!local) {
		if (!branch)
			return EX_NORMAL;
		if (branch->kind == HG_BLOCK && branch->nkids == 1)
			return exec_one(branch->kids[0], fr);   /* `if c: return x`: skip a level */
		return branch->kind == HG_BLOCK ? hi_exec_block(branch, fr) : hi_exec(branch, fr);
	}
	enter_divergent();
	hi_exit ex = branch ? hi_exec(branch, fr) : EX_NORMAL;
	return leave_divergent(ex, fr, s);
}

static hi_exit while_loop(hg_node *s, hi_frame *fr)
{
	int diverged = 0;
	hi_exit ex = EX_NORMAL;
	for (;;) {
		int local = 0;
		int t = truth_of(s->kids[0], fr, &local);
		if (!diverged && sync_point(t < 0)) {
			ex = EX_ERROR;
			break;
		}
		if (t < 0) {
			ex = EX_ERROR;
			break;
		}
		if (local && !diverged) {
			diverged = 1;
			enter_divergent();
		}
		if (!t) {
			if (s->kids[2])
				ex = hi_exec(s->kids[2], fr);
			break;
		}
		hi_exit b = hi_exec(s->kids[1], fr);
		if (b == EX_BREAK)
			break;
		if (b == EX_RETURN || b == EX_ERROR) {
			ex = b;
			break;
		}
	}
	return diverged ? leave_divergent(ex, fr, s) : ex;
}

/* `for i in range(...)` over a global range: count in C, no iterator. */
static hi_exit for_range(hg_node *s, hi_frame *fr, const hi_range *r)
{
	int64_t v = r->start, stop = r->stop, step = r->step;
	hg_node *t = s->kids[0];
	hi_val *slot = t->kind == HG_NAME && t->scope == SC_LOCAL ? &fr->locals[t->slot] : NULL;
	for (; step > 0 ? v < stop : v > stop; v += step) {
		if (slot)
			set_slot(slot, hi_int(v));
		else if (hi_assign(t, hi_int(v), fr)) {
			hi_err_at(fr, s);
			return EX_ERROR;
		}
		hi_exit b = hi_exec_block(s->kids[2], fr);
		if (b == EX_BREAK)
			return EX_NORMAL;
		if (b == EX_RETURN || b == EX_ERROR)
			return b;
	}
	return s->kids[3] ? hi_exec(s->kids[3], fr) : EX_NORMAL;
}

static hi_exit for_loop(hg_node *s, hi_frame *fr)
{
	hi_val seq = hi_eval(s->kids[1], fr);
	if (seq.kind == HI_RANGE && !seq.local && s->kids[2]->kind == HG_BLOCK) {
		hi_exit ex = for_range(s, fr, (const hi_range *)seq.o);
		hi_decref(seq);
		return ex;
	}
	int failed = hi_iserr(seq);
	hi_val it = failed ? hi_err() : hi_iter(seq);
	int local = failed ? 0 : seq.local;
	if (!failed)
		hi_decref(seq);
	failed = failed || hi_iserr(it);
	if (failed)
		hi_err_at(fr, s);
	if (sync_point(failed)) {
		if (!failed)
			hi_decref(it);
		return EX_ERROR;
	}
	if (local)
		enter_divergent();
	hi_exit ex = EX_NORMAL;
	hi_val item;
	int r;
	for (;;) {
		r = hi_next(it, &item);
		if (r <= 0)
			break;
		item.local |= local;
		int rc = hi_assign(s->kids[0], item, fr);
		hi_decref(item);
		if (rc) {
			hi_err_at(fr, s);
			ex = EX_ERROR;
			break;
		}
		hi_exit b = hi_exec(s->kids[2], fr);
		if (b == EX_BREAK)
			break;
		if (b == EX_RETURN || b == EX_ERROR) {
			ex = b;
			break;
		}
	}
	if (r < 0) {
		hi_err_at(fr, s);
		ex = EX_ERROR;
	} else if (r == 0 && ex == EX_NORMAL && s->kids[3]) {
		ex = hi_exec(s->kids[3], fr);
	}
	hi_decref(it);
	return local ? leave_divergent(ex, fr, s) : ex;
}

static hi_exit exec_while(hg_node *s, hi_frame *fr)
{
	int holds = loop_holds;
	return loop_end(holds, while_loop(s, fr), fr, s);
}

static hi_exit exec_for(hg_node *s, hi_frame *fr)
{
	int holds = loop_holds;
	return loop_end(holds, for_loop(s, fr), fr, s);
}

static hi_exit exec_def(hg_node *s, hi_frame *fr)
{
	hi_val f = hi_make_function(s, fr);
	if (hi_iserr(f)) {
		hi_err_at(fr, s);
		return EX_ERROR;
	}
	/* decorators: kids[2..], outermost first, so apply innermost first */
	for (int i = s->nkids - 1; i >= 2; i--) {
		hi_val d = hi_eval(s->kids[i], fr);
		if (hi_iserr(d)) {
			hi_decref(f);
			return EX_ERROR;
		}
		hi_val g = hi_call_simple(d, 1, &f);
		hi_decref(d);
		hi_decref(f);
		if (hi_iserr(g)) {
			hi_err_at(fr, s);
			return EX_ERROR;
		}
		f = g;
	}
	int rc = hi_store_named(fr, s->v.s, f);
	hi_decref(f);
	return rc ? EX_ERROR : EX_NORMAL;
}

static hi_exit exec_try(hg_node *s, hi_frame *fr)
{
	hi_exit ex = hi_exec(s->kids[0], fr);
	if (ex == EX_ERROR) {
		hi_val exc = hi_exc_take();
		hg_node *handlers = s->kids[1];
		hg_node *h = NULL;
		for (int i = 0; i < handlers->nkids; i++) {
			hg_node *c = handlers->kids[i];
			if (!c->kids[0]) {
				h = c;
				break;
			}
			hi_val spec = hi_eval(c->kids[0], fr);
			if (hi_iserr(spec)) {
				hi_decref(exc);
				exc = hi_none();
				break;
			}
			int m = hi_exc_matches(exc, spec);
			hi_decref(spec);
			if (m) {
				h = c;
				break;
			}
		}
		if (exc.kind == HI_NONE) {
			ex = EX_ERROR;               /* the except expression itself failed */
		} else if (!h) {
			hi_raise_exc(exc);           /* not ours: keep propagating */
		} else {
			fr->err_line = 0;
			hi_val saved = handling;
			handling = exc;
			ex = EX_NORMAL;
			if (h->v.s && hi_store_named(fr, h->v.s, exc))
				ex = EX_ERROR;
			if (ex == EX_NORMAL)
				ex = hi_exec(h->kids[1], fr);
			handling = saved;
			hi_decref(exc);
		}
	} else if (ex == EX_NORMAL && s->kids[2]) {
		ex = hi_exec(s->kids[2], fr);
	}
	if (s->kids[3]) {
		/* finally: runs with any pending exception set aside */
		hi_val pending = ex == EX_ERROR ? hi_exc_take() : hi_none();
		hi_val ret = ex == EX_RETURN ? fr->retval : hi_none();
		hi_exit fex = hi_exec(s->kids[3], fr);
		if (fex != EX_NORMAL) {
			hi_decref(pending);
			if (ex == EX_RETURN && fex == EX_RETURN)
				hi_decref(ret);
			ex = fex;
		} else if (ex == EX_ERROR) {
			hi_raise_exc(pending);
		}
	}
	return ex;
}

static hi_exit exec_raise(hg_node *s, hi_frame *fr)
{
	if (!s->kids[0]) {
		if (handling.kind != HI_EXC) {
			hi_raise(hi_RuntimeError, "No active exception to reraise");
			hi_err_at(fr, s);
			return EX_ERROR;
		}
		hi_raise_exc(hi_incref(handling));
		hi_err_at(fr, s);
		return EX_ERROR;
	}
	hi_val e = hi_eval(s->kids[0], fr);
	if (hi_iserr(e))
		return EX_ERROR;
	if (e.kind == HI_TYPE && ((hi_type *)e.o)->is_exc) {
		hi_val inst = hi_call_simple(e, 0, NULL);
		hi_decref(e);
		if (hi_iserr(inst))
			return EX_ERROR;
		e = inst;
	}
	if (e.kind != HI_EXC) {
		hi_decref(e);
		hi_raise(hi_TypeError, "exceptions must derive from BaseException");
		hi_err_at(fr, s);
		return EX_ERROR;
	}
	hi_exc *x = (hi_exc *)e.o;
	x->ntb = 0;                      /* a fresh raise starts a fresh traceback */
	hi_raise_exc(e);
	hi_err_at(fr, s);
	return EX_ERROR;
}

static hi_exit exec_assert(hg_node *s, hi_frame *fr)
{
	int local = 0;
	int t = truth_of(s->kids[0], fr, &local);
	if (t < 0)
		return EX_ERROR;
	if (t)
		return EX_NORMAL;
	if (s->kids[1]) {
		hi_val m = hi_eval(s->kids[1], fr);
		if (hi_iserr(m))
			return EX_ERROR;
		hi_val args = hi_tuple_pack(1, m);
		hi_decref(m);
		hi_raise_exc(hi_exc_new(hi_AssertionError, args));
		hi_decref(args);
	} else {
		hi_val args = hi_tuple_new(0);
		hi_raise_exc(hi_exc_new(hi_AssertionError, args));
		hi_decref(args);
	}
	hi_err_at(fr, s);
	return EX_ERROR;
}

static int del_target(hg_node *t, hi_frame *fr)
{
	switch (t->kind) {
	case HG_NAME: {
		hi_val *slot = NULL;
		if (t->scope == SC_LOCAL)
			slot = &fr->locals[t->slot];
		else if (t->scope == SC_CELL)
			slot = &((hi_cell *)fr->locals[t->slot].o)->v;
		else if (t->scope == SC_FREE)
			slot = &((hi_cell *)fr->free[t->slot].o)->v;
		if (slot) {
			if (hi_isabsent(*slot))
				return hi_raisei(hi_UnboundLocalError,
				                 "cannot access local variable '%s' where it is not associated with a value",
				                 t->v.s);
			hi_decref(*slot);
			*slot = hi_absent();
			return 0;
		}
		int r = hi_dict_del(fr->globals, hi_name_str(t));
		if (r == 0)
			return hi_raisei(hi_NameError, "name '%s' is not defined", t->v.s);
		return r < 0 ? -1 : 0;
	}
	case HG_TUPLE: case HG_LIST:
		for (int i = 0; i < t->nkids; i++)
			if (del_target(t->kids[i], fr))
				return -1;
		return 0;
	case HG_SUBSCRIPT: {
		hi_val o, k;
		if (eval_subscript(t, fr, &o, &k))
			return -1;
		int rc = hi_delitem(o, k);
		hi_decref(o);
		hi_decref(k);
		return rc;
	}
	default:
		return hi_raisei(hi_SyntaxError, "cannot delete %s", hg_kind_name(t->kind));
	}
}

/* Echo an expression statement's value in the REPL (module level only). */
static int echo(hi_val v)
{
	if (v.kind == HI_NONE)
		return 0;
	hi_val r = hi_repr(v);
	if (hi_iserr(r))
		return -1;
	hi_buf b = {0};
	hi_buf_addval(&b, r);
	hi_buf_add(&b, "\n", 1);
	int rc = hi_out_write(b.p, b.len, v.local | r.local);
	hi_buf_free(&b);
	hi_decref(r);
	/* keep `_` like Python's REPL */
	hi_dict_set_str(hi_S.globals, "_", v);
	return rc;
}

static hi_exit ex_expr(hg_node *s, hi_frame *fr)
{
	hi_val v = hi_eval(s->kids[0], fr);
	if (hi_iserr(v))
		return EX_ERROR;
	int rc = 0;
	if (hi_S.interactive && !fr->code)
		rc = echo(v);
	hi_decref(v);
	return rc ? EX_ERROR : EX_NORMAL;
}

static hi_exit ex_assign(hg_node *s, hi_frame *fr)
{
	hi_val v = hi_ev(s->kids[s->nkids - 1], fr);
	if (hi_iserr(v))
		return EX_ERROR;
	hg_node *t = s->kids[0];
	if (s->nkids == 2 && t->kind == HG_NAME && t->scope == SC_LOCAL) {
		set_slot(&fr->locals[t->slot], v);   /* x = expr: the reference moves */
		return EX_NORMAL;
	}
	for (int i = 0; i < s->nkids - 1; i++)
		if (hi_assign(s->kids[i], v, fr)) {
			hi_decref(v);
			hi_err_at(fr, s);
			return EX_ERROR;
		}
	hi_decref(v);
	return EX_NORMAL;
}

static hi_exit ex_return(hg_node *s, hi_frame *fr)
{
	hi_val v = s->kids[0] ? hi_ev(s->kids[0], fr) : hi_none();
	if (hi_iserr(v))
		return EX_ERROR;
	fr->retval = v;
	return EX_RETURN;
}

static hi_exit ex_del(hg_node *s, hi_frame *fr)
{
	for (int i = 0; i < s->nkids; i++)
		if (del_target(s->kids[i], fr)) {
			hi_err_at(fr, s);
			return EX_ERROR;
		}
	return EX_NORMAL;
}

static hi_exit ex_magic(hg_node *s, hi_frame *fr)
{
	hi_val v = hi_exec_magic(s, fr);
	if (hi_iserr(v))
		return EX_ERROR;
	hi_decref(v);
	return EX_NORMAL;
}

static hi_exit ex_break(hg_node *s, hi_frame *fr) { (void)s; (void)fr; return EX_BREAK; }
static hi_exit ex_continue(hg_node *s, hi_frame *fr) { (void)s; (void)fr; return EX_CONTINUE; }
static hi_exit ex_nothing(hg_node *s, hi_frame *fr) { (void)s; (void)fr; return EX_NORMAL; }

hi_exit hi_exec_invalid(hg_node *s, hi_frame *fr)
{
	hi_raise(hi_SyntaxError, "invalid statement (%s)", hg_kind_name(s->kind));
	hi_err_at(fr, s);
	return EX_ERROR;
}

hi_exit hi_exec(hg_node *s, hi_frame *fr) { return exec_one(s, fr); }

hi_exit hi_exec_block(hg_node *b, hi_frame *fr) { return hi_exec_stmts(b, fr); }

/* One function per statement kind (small stack frames; see eval_expr.c). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"   /* the range default, then the statements */
const hi_exec_fn hi_exec_table[HG_KIND_COUNT] = {
	[0 ... HG_KIND_COUNT - 1] = hi_exec_invalid,
	[HG_EXPR_STMT] = ex_expr, [HG_ASSIGN] = ex_assign, [HG_AUGASSIGN] = exec_augassign,
	[HG_BLOCK] = hi_exec_block, [HG_IF] = exec_if, [HG_WHILE] = exec_while, [HG_FOR] = exec_for,
	[HG_BREAK] = ex_break, [HG_CONTINUE] = ex_continue, [HG_PASS] = ex_nothing,
	[HG_DEF] = exec_def, [HG_RETURN] = ex_return, [HG_GLOBAL] = ex_nothing,
	[HG_NONLOCAL] = ex_nothing, [HG_DEL] = ex_del, [HG_TRY] = exec_try, [HG_RAISE] = exec_raise,
	[HG_ASSERT] = exec_assert, [HG_IMPORT] = hi_exec_import, [HG_FROM_IMPORT] = hi_exec_import,
	[HG_MAGIC] = ex_magic,
};
#pragma GCC diagnostic pop

hi_exit hi_exec_one_nested(hg_node *s, hi_frame *fr)
{
	hi_S.touched_local = 0;
	hi_exit ex = hi_exec_table[s->kind](s, fr);
	if (!hi_S.touched_local && ex != EX_ERROR) {
		hi_S.touched_local = 1;
		return ex;
	}
	return hi_exec_after(s, fr, ex, 1);
}

