/*
** spmd.c — rank-ordered output and collective error agreement (spmd.h).
**
** Every exchange here goes through the counted wrappers of libha, charged
** to "print" (output), "agree" (errors) and "repl" (statement text), so
** --profile and %comm show what the interpreter itself costs.  With one
** rank nothing needs to move and no MPI call is made.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "interp.h"
#include "spmd.h"
#include "eval.h"

FILE *hi_out_stream;

/* stdout is not a constant expression; set the default before main(). */
__attribute__((constructor)) static void out_default(void)
{
	hi_out_stream = stdout;
}

static FILE *out(void)
{
	if (!hi_out_stream)
		hi_out_stream = stdout;
	return hi_out_stream;
}

/* Text printed during rank-dependent control flow, waiting for reconverge
** (global text too: only some ranks printed it, so it is shown with the
** printing rank's prefix). */
static char *dbuf;
static size_t dlen, dcap;

static int buffer_add(const char *s, size_t n)
{
	if (dlen + n > dcap) {
		size_t nc = dcap ? dcap : 256;
		while (nc < dlen + n)
			nc *= 2;
		char *p = realloc(dbuf, nc);
		if (!p)
			return hi_raisei(hi_MemoryError, "out of memory buffering output");
		dbuf = p;
		dcap = nc;
	}
	memcpy(dbuf + dlen, s, n);
	dlen += n;
	return 0;
}

/* Rank 0 writes rank r's text, every line prefixed "[r] "; a last line
** without a newline is terminated so the next rank starts a fresh line. */
static int write_local(FILE *f, int r, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : n;
		if (fprintf(f, "[%d] ", r) < 0 || fwrite(s + i, 1, end - i, f) != end - i)
			return -1;
		if (!nl && fputc('\n', f) == EOF)
			return -1;
		i = end;
	}
	return 0;
}

static int write_failed(void)
{
	return hi_raisei(hi_IOError, "cannot write program output");
}

/* Collective: every rank contributes n bytes; on rank 0 *all receives the
** concatenation (rank order) with lens[r] and displs[r] (each P entries,
** malloc'd together in *lens).  Small totals land in a static buffer, so
** the common print needs no allocation that could fail on rank 0 alone. */
static char small_buf[1 << 16];

static int gather_to_root(const char *s, size_t n, char **all, int64_t **lens_out, int64_t **displs_out)
{
	char *const small = small_buf;
	ha_comm *w = ha_comm_world();
	int P = w->size, me = w->rank, rc = 0;
	int64_t *lens = malloc(sizeof(int64_t) * 3 * (size_t)P);
	if (!lens)
		return hi_raisei(hi_MemoryError, "out of memory gathering output");
	int64_t *c8 = lens + P, *d8 = lens + 2 * P;
	int64_t mine = (int64_t)n;
	for (int i = 0; i < P; i++) {
		c8[i] = sizeof(int64_t);
		d8[i] = (int64_t)sizeof(int64_t) * i;
	}
	if (P == 1)
		lens[0] = mine;
	else if (ha_allgather_bytes(&mine, sizeof mine, lens, c8, d8, w, "print") < 0) {
		free(lens);
		return hi_raisei(hi_RuntimeError, "%s", ha_error_msg());
	}
	int64_t total = 0;
	for (int i = 0; i < P; i++) {
		d8[i] = total;
		total += lens[i];
	}
	char *buf = NULL;
	if (total <= (int64_t)sizeof small_buf) {
		buf = me == 0 ? small : NULL;
	} else {
		/* Every rank knows total, so all take this path together and
		** agree on whether rank 0 could allocate. */
		int oom = 0;
		if (me == 0 && !(buf = malloc((size_t)total)))
			oom = 1;
		if (P > 1)
			ha_bcast(&oom, sizeof oom, 0, w, "print");
		if (oom) {
			free(lens);
			return hi_raisei(hi_MemoryError, "out of memory gathering output");
		}
	}
	if (P == 1) {
		if (n)
			memcpy(buf, s, n);
	} else if (total > 0) {
		rc = ha_gather_bytes(s, mine, buf, lens, d8, 0, w, "print");
	}
	if (rc < 0) {
		if (buf != small)
			free(buf);
		free(lens);
		return hi_raisei(hi_RuntimeError, "%s", ha_error_msg());
	}
	*all = buf;
	*lens_out = lens;
	*displs_out = d8;
	return 0;
}

static void gather_free(char *all, int64_t *lens)
{
	if (all != small_buf)
		free(all);
	free(lens);
}

/* Collective: rank-local text from every rank, printed in rank order with
** prefixes. */
static int gather_print(const char *s, size_t n)
{
	char *all = NULL;
	int64_t *lens = NULL, *displs = NULL;
	int rc = 0;
	if (gather_to_root(s, n, &all, &lens, &displs) < 0)
		return -1;
	if (ha_comm_world()->rank == 0)
		for (int i = 0; i < ha_comm_world()->size && rc == 0; i++)
			if (lens[i] > 0 && write_local(out(), i, all + displs[i], (size_t)lens[i]) < 0)
				rc = write_failed();
	gather_free(all, lens);
	return rc;
}

int hi_out_write(const char *s, size_t n, int local)
{
	/* Inside rank-dependent code not every rank prints: buffer everything
	** (global text too) and gather it when the ranks meet again. */
	if (hi_S.divergent > 0)
		return buffer_add(s, n);
	if (local)
		return gather_print(s, n);
	if (hi_S.rank != 0 || n == 0)
		return 0;
	return fwrite(s, 1, n, out()) == n ? 0 : write_failed();
}

void hi_out_flush(void)
{
	if (hi_S.rank == 0)
		fflush(out());
}

/* ---- the wire format of an exception (lowest failing rank -> all) ---- */

typedef struct pack { char *p; size_t len, cap; int bad; } pack;

static void put(pack *b, const void *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->len + n)
			nc *= 2;
		char *q = realloc(b->p, nc);
		if (!q) {
			b->bad = 1;
			return;
		}
		b->p = q;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}
static void put_i64(pack *b, int64_t v) { put(b, &v, sizeof v); }
static void put_str(pack *b, const char *s, int64_t n)
{
	if (!s) {
		put_i64(b, -1);
		return;
	}
	if (n < 0)
		n = (int64_t)strlen(s);
	put_i64(b, n);
	put(b, s, (size_t)n);
}

typedef struct unpack { const char *p; size_t len, pos; } unpack;

static int64_t get_i64(unpack *u)
{
	int64_t v = 0;
	if (u->pos + sizeof v <= u->len)
		memcpy(&v, u->p + u->pos, sizeof v);
	u->pos += sizeof v;
	return v;
}
/* malloc'd NUL-terminated copy, or NULL for an absent string */
static char *get_str(unpack *u, size_t *n)
{
	int64_t k = get_i64(u);
	if (k < 0 || u->pos + (size_t)k > u->len)
		return NULL;
	char *s = malloc((size_t)k + 1);
	if (s) {
		memcpy(s, u->p + u->pos, (size_t)k);
		s[k] = 0;
	}
	u->pos += (size_t)k;
	if (n)
		*n = (size_t)k;
	return s;
}

enum { ARG_NONE, ARG_BOOL, ARG_INT, ARG_FLOAT, ARG_STR };

static void pack_exc(pack *b, hi_val ev)
{
	if (ev.kind != HI_EXC) {
		put_str(b, "RuntimeError", -1);
		put_i64(b, 1);
		put_i64(b, ARG_STR);
		put_str(b, "an error occurred on another rank", -1);
		put_i64(b, 0);
		put_i64(b, 0); put_i64(b, 0); put_i64(b, 0);
		put_str(b, NULL, 0);
		put_str(b, NULL, 0);
		return;
	}
	hi_exc *e = (hi_exc *)ev.o;
	put_str(b, e->type->name, -1);
	/* Arguments: scalars and strings travel as themselves, anything else
	** as its str() (exceptions carry messages, rarely other objects). */
	if (e->args.kind == HI_TUPLE) {
		hi_tuple *t = hi_as_tuple(e->args);
		put_i64(b, (int64_t)t->len);
		for (size_t i = 0; i < t->len; i++) {
			hi_val a = t->items[i];
			switch (a.kind) {
			case HI_NONE: put_i64(b, ARG_NONE); break;
			case HI_BOOL: put_i64(b, ARG_BOOL); put_i64(b, a.i); break;
			case HI_INT: put_i64(b, ARG_INT); put_i64(b, a.i); break;
			case HI_FLOAT: put_i64(b, ARG_FLOAT); put(b, &a.f, sizeof a.f); break;
			case HI_STR: put_i64(b, ARG_STR); put_str(b, hi_as_str(a)->s, (int64_t)hi_as_str(a)->len); break;
			default: {
				hi_val s = hi_to_str(a);
				put_i64(b, ARG_STR);
				if (hi_iserr(s)) {
					hi_exc_clear();
					put_str(b, "?", -1);
				} else {
					put_str(b, hi_as_str(s)->s, (int64_t)hi_as_str(s)->len);
					hi_decref(s);
				}
			}
			}
		}
	} else {
		put_i64(b, 0);
	}
	put_i64(b, e->ntb);
	for (int i = 0; i < e->ntb; i++) {
		put_str(b, e->tb[i].file, -1);
		put_i64(b, e->tb[i].line);
		put_str(b, e->tb[i].func, -1);
	}
	put_i64(b, e->tb_sealed);
	put_i64(b, e->syntax_line);
	put_i64(b, e->syntax_col);
	put_str(b, e->syntax_file, -1);
	put_str(b, e->syntax_text, -1);
}

static hi_type *exc_type_named(const char *name)
{
	hi_val t;
	hi_type *found = hi_RuntimeError;
	if (name && hi_S.builtins.kind == HI_DICT && hi_dict_get_str(hi_S.builtins, name, &t) == 1) {
		if (t.kind == HI_TYPE && ((hi_type *)t.o)->is_exc)
			found = (hi_type *)t.o;     /* the builtins dict keeps it alive */
		hi_decref(t);
	}
	return found;
}

/* Build the exception described by the blob and make it pending. */
static void unpack_exc(const char *p, size_t len)
{
	unpack u = { p, len, 0 };
	char *tname = get_str(&u, NULL);
	hi_type *type = exc_type_named(tname);
	free(tname);
	int64_t nargs = get_i64(&u);
	if (nargs < 0 || nargs > 1 << 20)
		nargs = 0;
	hi_val args = hi_tuple_new((size_t)nargs);
	for (int64_t i = 0; i < nargs; i++) {
		hi_val a = hi_none();
		switch (get_i64(&u)) {
		case ARG_BOOL: a = hi_bool((int)get_i64(&u)); break;
		case ARG_INT: a = hi_int(get_i64(&u)); break;
		case ARG_FLOAT: {
			double d = 0;
			if (u.pos + sizeof d <= u.len)
				memcpy(&d, u.p + u.pos, sizeof d);
			u.pos += sizeof d;
			a = hi_float(d);
			break;
		}
		case ARG_STR: {
			size_t n = 0;
			char *s = get_str(&u, &n);
			a = s ? hi_str_new(s, n) : hi_str_cstr("");
			free(s);
			if (hi_iserr(a))
				a = hi_none();
			break;
		}
		default: break;
		}
		if (!hi_iserr(args))
			hi_tuple_set(args, (size_t)i, a);
	}
	hi_val ev = hi_iserr(args) ? hi_err() : hi_exc_new(type, args);
	if (!hi_iserr(args))
		hi_decref(args);
	hi_exc_clear();
	if (hi_iserr(ev)) {
		hi_raise(hi_MemoryError, "out of memory receiving an error from another rank");
		return;
	}
	int64_t ntb = get_i64(&u);
	for (int64_t i = 0; i < ntb && u.pos < u.len; i++) {
		char *file = get_str(&u, NULL);
		int line = (int)get_i64(&u);
		char *func = get_str(&u, NULL);
		hi_exc_add_tb(ev, file ? file : "?", line, func ? func : "?");
		free(file);
		free(func);
	}
	hi_exc *e = (hi_exc *)ev.o;
	e->tb_sealed = (int)get_i64(&u);
	e->syntax_line = (int)get_i64(&u);
	e->syntax_col = (int)get_i64(&u);
	char *sf = get_str(&u, NULL), *st = get_str(&u, NULL);
	if (sf) {
		free(e->syntax_file);
		e->syntax_file = sf;
	}
	if (st) {
		free(e->syntax_text);
		e->syntax_text = st;
	}
	hi_raise_exc(ev);
}

/* After the all-reduce: `failed` is the lowest failing rank, or size. */
static int agree_on(int failed)
{
	ha_comm *w = ha_comm_world();
	if (failed >= w->size)
		return 0;
	if (w->size == 1)
		return 1;
	pack b = { 0 };
	/* header: the packed exception's size and the source line where the
	** error passed in the failing rank's current frame (the other ranks
	** are at the same statement, so their traceback shows that line) */
	int64_t hdr[2] = { 0, 0 };
	if (w->rank == failed) {
		pack_exc(&b, hi_exc_pending());
		hdr[0] = b.bad ? 0 : (int64_t)b.len;
		hdr[1] = hi_frame_err_line();
	}
	ha_bcast(hdr, sizeof hdr, failed, w, "agree");
	int64_t n = hdr[0];
	if (w->rank != failed)
		hi_frame_set_err_line((int)hdr[1]);
	if (w->rank != failed) {
		b.p = malloc(n > 0 ? (size_t)n : 1);
		if (b.p && n > 0)
			ha_bcast(b.p, n, failed, w, "agree");
		else if (n > 0) {
			char *tmp = malloc((size_t)n);
			ha_bcast(tmp, n, failed, w, "agree");
			free(tmp);
		}
		if (b.p)
			unpack_exc(b.p, (size_t)n);
		else {
			hi_exc_clear();
			hi_raise(hi_MemoryError, "out of memory receiving an error from another rank");
		}
	} else if (n > 0) {
		ha_bcast(b.p, n, failed, w, "agree");
	}
	free(b.p);
	return 1;
}

int hi_spmd_agree(int have_error)
{
	ha_comm *w = ha_comm_world();
	int mine = have_error ? w->rank : w->size, failed = mine;
	if (w->size > 1 && ha_allreduce(&mine, &failed, 1, MPI_INT, MPI_MIN, w, "agree") < 0)
		failed = mine;
	return agree_on(failed);
}

int hi_spmd_reconverge(int have_error, int outcome, unsigned *outcomes)
{
	ha_comm *w = ha_comm_world();
	/* One all-reduce answers every question: who failed first, does any
	** rank hold buffered text, and which outcomes occur (entry 2 + k is 0
	** when some rank's outcome is k). */
	enum { NQ = 2 + HI_SPMD_OUTCOMES };
	int mine[NQ], all[NQ];
	mine[0] = have_error ? w->rank : w->size;
	mine[1] = dlen > 0 ? 0 : 1;
	for (int k = 0; k < HI_SPMD_OUTCOMES; k++)
		mine[2 + k] = k == outcome ? 0 : 1;
	memcpy(all, mine, sizeof all);
	if (w->size > 1 && ha_allreduce(mine, all, NQ, MPI_INT, MPI_MIN, w, "agree") < 0)
		memcpy(all, mine, sizeof all);
	*outcomes = 0;
	for (int k = 0; k < HI_SPMD_OUTCOMES; k++)
		if (all[2 + k] == 0)
			*outcomes |= 1u << k;
	if (all[1] == 0) {
		char *text = dbuf;
		size_t n = dlen;
		int saved = hi_S.divergent;
		dbuf = NULL;
		dlen = dcap = 0;
		hi_val pending = hi_exc_take();    /* keep an error out of the way of printing */
		hi_S.divergent = 0;
		if (gather_print(text ? text : "", n) < 0)
			hi_exc_clear();
		hi_S.divergent = saved;
		if (pending.kind == HI_EXC)
			hi_raise_exc(pending);
		else
			hi_decref(pending);
		free(text);
	}
	return agree_on(all[0]);
}

void hi_spmd_bcast_text(char **s, size_t *n)
{
	ha_comm *w = ha_comm_world();
	if (w->size == 1)
		return;
	int64_t len = w->rank == 0 ? (*s ? (int64_t)*n : -1) : 0;
	ha_bcast(&len, sizeof len, 0, w, "repl");
	if (w->rank == 0)
		return (void)(len > 0 ? ha_bcast(*s, len, 0, w, "repl") : 0);
	if (len < 0) {
		*s = NULL;
		*n = 0;
		return;
	}
	*s = malloc((size_t)len + 1);
	if (!*s) {
		/* Keep the collective matched, then report no text. */
		char *tmp = malloc((size_t)len);
		if (len > 0)
			ha_bcast(tmp, len, 0, w, "repl");
		free(tmp);
		*n = 0;
		return;
	}
	if (len > 0)
		ha_bcast(*s, len, 0, w, "repl");
	(*s)[len] = 0;
	*n = (size_t)len;
}
