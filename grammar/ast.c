/*
** ast.c — the arena that owns a parse, the hg_parse driver, node helpers,
** and hg_dump.
**
** Arena: a list of zeroed chunks with bump allocation.  Everything of one
** unit (nodes, strings, child arrays, the copy of the source and its line
** table) is freed at once when the unit's last reference goes.
**
** Dump format (stable; the unit tests compare against it):
**   - every node is "(KIND ...)" with KIND = hg_kind_name(kind);
**   - a NULL child prints as "_";
**   - payloads come before the children, except where noted:
**       (int 42) (float 2.5) (imag 3.0) (str "a\n") (name x)
**       (attr OBJ name)            name after the object
**       (kwarg name VALUE)
**       (binop + L R) (unary - X) (augassign += TARGET VALUE)
**       (compare A < B <= C)       operators between the operands
**       (fmt EXPR [!r] ["spec" | (fstr ...)])  conversion and spec only if present
**       (param a [DEFAULT]) (param *args) (param **kw) (param kwonly:b [DEFAULT])
**       (def name PARAMS BODY DECORATORS...)
**       (except TYPE|_ [as e] BODY)
**       (import a.b [as c]) (from m (name x as y) ...) (from m *)
**       (magic timeit "-n 1 x @ y")
**   - strings are double-quoted with C escapes (\" \\ \n \t \r \xNN);
**   - floats print in the shortest form that reads back exactly, always with
**     a '.', 'e', "inf" or "nan";
**   - the leaf constants print as (true) (false) (none) (ellipsis) and
**     statements without payload as (pass) (break) (continue).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/* ---- arena ---- */

typedef struct hg_chunk {
	struct hg_chunk *next;
	size_t cap, used;
	_Alignas(16) unsigned char data[];
} hg_chunk;

struct hg_arena {
	hg_chunk *head;
	size_t *lines;          /* byte offset of each line's start */
	int nlines;
};

#define CHUNK (64 * 1024 - 64)

static void oom(void)
{
	fputs("ha: out of memory while parsing\n", stderr);
	abort();
}

void *hg_alloc(hg_unit *u, size_t n)
{
	struct hg_arena *a = u->arena;
	hg_chunk *c = a->head;
	void *p;
	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK / 4 ? n : CHUNK;
		hg_chunk *nc = calloc(1, sizeof *nc + cap);
		if (!nc)
			oom();
		nc->cap = cap;
		if (c && n > CHUNK / 4) {
			/* a big block goes behind the current chunk, which stays in use */
			nc->next = c->next;
			c->next = nc;
			nc->used = n;
			return nc->data;
		}
		nc->next = c;
		a->head = c = nc;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

char *hg_strdup(hg_unit *u, const char *s, size_t len)
{
	char *d = hg_alloc(u, len + 1);
	memcpy(d, s, len);
	d[len] = 0;
	return d;
}

hg_node *hg_node_new(hg_unit *u, hg_kind kind, hg_loc loc)
{
	hg_node *n = hg_alloc(u, sizeof *n);
	n->kind = kind;
	n->loc = loc;
	return n;
}

/* Capacity is implicit: 4, then doubling at each power of two. */
void hg_node_add(hg_unit *u, hg_node *parent, hg_node *kid)
{
	int n = parent->nkids;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		int cap = n == 0 ? 4 : 2 * n;
		hg_node **k = hg_alloc(u, (size_t)cap * sizeof *k);
		if (n)
			memcpy(k, parent->kids, (size_t)n * sizeof *k);
		parent->kids = k;
	}
	parent->kids[n] = kid;
	parent->nkids = n + 1;
}

/* ---- units ---- */

static hg_unit *unit_new(const char *src, size_t len, const char *filename)
{
	hg_unit *u = calloc(1, sizeof *u);
	struct hg_arena *a = calloc(1, sizeof *a);
	const char *fn = filename ? filename : "<string>";
	int starts = 1;
	if (!u || !a)
		oom();
	u->refs = 1;
	u->arena = a;
	u->filename = hg_strdup(u, fn, strlen(fn));
	u->src = hg_strdup(u, src, len);
	u->srclen = len;
	for (size_t i = 0; i < len; i++)
		starts += src[i] == '\n';
	a->lines = hg_alloc(u, (size_t)starts * sizeof *a->lines);
	a->nlines = 0;
	a->lines[a->nlines++] = 0;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n')
			a->lines[a->nlines++] = i + 1;
	return u;
}

hg_unit *hg_parse(const char *src, size_t len, const char *filename, hg_syntax_error *err)
{
	hg_syntax_error local;
	hg_unit *u = unit_new(src, len, filename);
	hg_node *root;
	if (!err)
		err = &local;
	memset(err, 0, sizeof *err);
	if (hg_parse_text(u, u->src, len, 1, 1, HG_MODE_FILE, err, &root) == 0) {
		u->root = root;
		root->loc.line = 1;
		root->loc.col = 1;
	}
	return u;
}

void hg_unit_retain(hg_unit *u)
{
	if (u)
		u->refs++;
}

void hg_unit_release(hg_unit *u)
{
	hg_chunk *c, *next;
	if (!u || --u->refs > 0)
		return;
	if (u->on_free)
		u->on_free(u);
	for (c = u->arena->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(u->arena);
	free(u);
}

const char *hg_unit_line(const hg_unit *u, int line, size_t *len)
{
	const struct hg_arena *a = u->arena;
	size_t b, e;
	/* a final newline ends the last line; it does not start another */
	int n = a->nlines - (u->srclen && u->src[u->srclen - 1] == '\n');
	if (line < 1 || line > n) {
		if (len)
			*len = 0;
		return NULL;
	}
	b = a->lines[line - 1];
	e = line < a->nlines ? a->lines[line] - 1 : u->srclen;
	if (e > b && u->src[e - 1] == '\r')
		e--;
	if (len)
		*len = e - b;
	return u->src + b;
}

/* ---- names ---- */

static const char *const kind_names[HG_KIND_COUNT] = {
	[HG_INT] = "int", [HG_FLOAT] = "float", [HG_IMAG] = "imag", [HG_STR] = "str",
	[HG_FSTR] = "fstr", [HG_FMT] = "fmt", [HG_TRUE] = "true", [HG_FALSE] = "false",
	[HG_NONE] = "none", [HG_ELLIPSIS] = "ellipsis", [HG_NAME] = "name",
	[HG_ATTR] = "attr", [HG_SUBSCRIPT] = "subscript", [HG_SLICE] = "slice",
	[HG_CALL] = "call", [HG_KWARG] = "kwarg", [HG_STARARG] = "star",
	[HG_DSTARARG] = "dstar", [HG_BINOP] = "binop", [HG_UNARY] = "unary",
	[HG_NOT] = "not", [HG_AND] = "and", [HG_OR] = "or", [HG_COMPARE] = "compare",
	[HG_IFEXP] = "ifexp", [HG_LAMBDA] = "lambda", [HG_LIST] = "list",
	[HG_TUPLE] = "tuple", [HG_SET] = "set", [HG_DICT] = "dict",
	[HG_LISTCOMP] = "listcomp", [HG_SETCOMP] = "setcomp", [HG_GENEXP] = "genexp",
	[HG_DICTCOMP] = "dictcomp", [HG_COMP_FOR] = "comp-for", [HG_COMP_IF] = "comp-if",
	[HG_BLOCK] = "block", [HG_EXPR_STMT] = "expr", [HG_ASSIGN] = "assign",
	[HG_AUGASSIGN] = "augassign", [HG_IF] = "if", [HG_WHILE] = "while",
	[HG_FOR] = "for", [HG_BREAK] = "break", [HG_CONTINUE] = "continue",
	[HG_PASS] = "pass", [HG_DEF] = "def", [HG_PARAMS] = "params",
	[HG_PARAM] = "param", [HG_RETURN] = "return", [HG_GLOBAL] = "global",
	[HG_NONLOCAL] = "nonlocal", [HG_DEL] = "del", [HG_TRY] = "try",
	[HG_EXCEPT] = "except", [HG_RAISE] = "raise", [HG_ASSERT] = "assert",
	[HG_IMPORT] = "import", [HG_FROM_IMPORT] = "from", [HG_MAGIC] = "magic",
};

const char *hg_kind_name(hg_kind k)
{
	return (unsigned)k < HG_KIND_COUNT && kind_names[k] ? kind_names[k] : "?";
}

static const char *const op_texts[HG_OP_COUNT] = {
	[HG_OP_NONE] = "", [HG_OP_ADD] = "+", [HG_OP_SUB] = "-", [HG_OP_MUL] = "*",
	[HG_OP_DIV] = "/", [HG_OP_FLOORDIV] = "//", [HG_OP_MOD] = "%",
	[HG_OP_POW] = "**", [HG_OP_MATMUL] = "@", [HG_OP_AND] = "&", [HG_OP_OR] = "|",
	[HG_OP_XOR] = "^", [HG_OP_LSHIFT] = "<<", [HG_OP_RSHIFT] = ">>",
	[HG_OP_NEG] = "-", [HG_OP_POS] = "+", [HG_OP_INVERT] = "~",
	[HG_OP_EQ] = "==", [HG_OP_NE] = "!=", [HG_OP_LT] = "<", [HG_OP_LE] = "<=",
	[HG_OP_GT] = ">", [HG_OP_GE] = ">=", [HG_OP_IN] = "in", [HG_OP_NOT_IN] = "not in",
	[HG_OP_IS] = "is", [HG_OP_IS_NOT] = "is not",
};

const char *hg_op_text(int op)
{
	return op >= 0 && op < HG_OP_COUNT ? op_texts[op] : "?";
}

/* ---- dump ---- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (b->n + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			oom();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	sb_puts(b, tmp);
}

static void sb_quoted(sbuf *b, const char *s, size_t n)
{
	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		case '\r': sb_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_printf(b, "\\x%02x", c);
			else
				sb_put(b, (const char *)&c, 1);
		}
	}
	sb_put(b, "\"", 1);
}

/* Python's repr of a float: the shortest digits that read back exactly,
** positional for exponents -4..15, else d.ddde+XX. */
static void sb_float(sbuf *b, double f)
{
	char tmp[64];
	int prec, exp;
	if (isnan(f)) {
		sb_puts(b, "nan");
		return;
	}
	if (isinf(f)) {
		sb_puts(b, f < 0 ? "-inf" : "inf");
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
	exp = atoi(strchr(tmp, 'e') + 1);
	if (exp >= -4 && exp < 16) {
		snprintf(tmp, sizeof tmp, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, f);
		if (!strchr(tmp, '.'))
			strcat(tmp, ".0");
	}
	sb_puts(b, tmp);
}

static void dump(sbuf *b, const hg_node *n);

static void kids_from(sbuf *b, const hg_node *n, int from)
{
	for (int i = from; i < n->nkids; i++) {
		sb_put(b, " ", 1);
		dump(b, n->kids[i]);
	}
}

static void dump(sbuf *b, const hg_node *n)
{
	if (!n) {
		sb_put(b, "_", 1);
		return;
	}
	sb_put(b, "(", 1);
	sb_puts(b, hg_kind_name(n->kind));
	switch (n->kind) {
	case HG_INT:
		sb_printf(b, " %lld", (long long)n->v.i);
		break;
	case HG_FLOAT:
	case HG_IMAG:
		sb_put(b, " ", 1);
		sb_float(b, n->v.f);
		break;
	case HG_STR:
		sb_put(b, " ", 1);
		sb_quoted(b, n->v.s, n->v.len);
		break;
	case HG_NAME:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		if (n->name2) {
			sb_puts(b, " as ");
			sb_puts(b, n->name2);
		}
		break;
	case HG_ATTR:
		kids_from(b, n, 0);
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		break;
	case HG_KWARG:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		kids_from(b, n, 0);
		break;
	case HG_BINOP:
	case HG_UNARY:
	case HG_AUGASSIGN:
		sb_put(b, " ", 1);
		sb_puts(b, hg_op_text(n->op));
		if (n->kind == HG_AUGASSIGN)
			sb_put(b, "=", 1);
		kids_from(b, n, 0);
		break;
	case HG_COMPARE:
		for (int i = 0; i < n->nkids; i++) {
			if (i > 0) {
				sb_put(b, " ", 1);
				sb_puts(b, hg_op_text(n->ops[i - 1]));
			}
			sb_put(b, " ", 1);
			dump(b, n->kids[i]);
		}
		break;
	case HG_FMT:
		sb_put(b, " ", 1);
		dump(b, n->kids[0]);
		if (n->op)
			sb_printf(b, " !%c", n->op);
		if (n->v.s) {
			sb_put(b, " ", 1);
			sb_quoted(b, n->v.s, n->v.len);
		}
		if (n->nkids > 1 && n->kids[1]) {
			sb_put(b, " ", 1);
			dump(b, n->kids[1]);
		}
		break;
	case HG_PARAM:
		sb_put(b, " ", 1);
		sb_puts(b, n->op == HG_PARAM_STAR ? "*" : n->op == HG_PARAM_DSTAR ? "**"
		        : n->op == HG_PARAM_KWONLY ? "kwonly:" : "");
		sb_puts(b, n->v.s ? n->v.s : "");
		if (n->nkids > 0 && n->kids[0]) {
			sb_put(b, " ", 1);
			dump(b, n->kids[0]);
		}
		break;
	case HG_DEF:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		kids_from(b, n, 0);
		break;
	case HG_EXCEPT:
		sb_put(b, " ", 1);
		dump(b, n->kids[0]);
		if (n->v.s) {
			sb_puts(b, " as ");
			sb_puts(b, n->v.s);
		}
		kids_from(b, n, 1);
		break;
	case HG_IMPORT:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		if (n->name2) {
			sb_puts(b, " as ");
			sb_puts(b, n->name2);
		}
		break;
	case HG_FROM_IMPORT:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		if (n->nkids == 0)
			sb_puts(b, " *");
		kids_from(b, n, 0);
		break;
	case HG_MAGIC:
		sb_put(b, " ", 1);
		sb_puts(b, n->v.s);
		sb_put(b, " ", 1);
		sb_quoted(b, n->name2 ? n->name2 : "", n->name2 ? strlen(n->name2) : 0);
		break;
	default:
		kids_from(b, n, 0);
		break;
	}
	sb_put(b, ")", 1);
}

char *hg_dump(const hg_node *n)
{
	sbuf b = {0};
	dump(&b, n);
	return b.p;
}
