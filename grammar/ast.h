/*
** ast.h — the abstract syntax tree the parser builds and the interpreter walks.
**
** One node type for everything: a kind, a source span, a generic list of
** children and a small payload.  The child layout of every kind is listed
** below; the parser (grammar/parser.y) and the evaluator (interp/eval*.c)
** both follow this table, so keep it the single source of truth.
**
** Memory: every node, string and child array of one parse lives in the
** arena of its hg_unit.  Units are refcounted: a function value created
** from a `def` keeps its unit alive.
*/
#ifndef HG_AST_H
#define HG_AST_H

#include <stddef.h>
#include <stdint.h>

typedef enum hg_kind {
	/* ---- expressions ---- */
	HG_INT,        /* v.i */
	HG_FLOAT,      /* v.f */
	HG_IMAG,       /* v.f: the imaginary part of a literal like 3j */
	HG_STR,        /* v.s, v.len (escapes already decoded; may contain NUL;
	                  v.s is also NUL-terminated).  Adjacent literals are
	                  merged; an f-string without fields is an HG_STR */
	HG_FSTR,       /* kids: HG_STR pieces and HG_FMT fields, in order */
	HG_FMT,        /* kids[0] expr; v.s format spec text or NULL (nested
	                  {..} inside a spec is kids[1..]: an HG_FSTR giving the
	                  spec, else NULL); op = conversion 'r' 's' 'a' or 0.
	                  The parser always gives 2 kids: kids[1] is NULL unless
	                  the spec has nested fields (then v.s is NULL).
	                  f"{x=}" gives an HG_STR "x=" piece, then the field
	                  with op 'r' (unless a conversion or spec is given). */
	HG_TRUE, HG_FALSE, HG_NONE, HG_ELLIPSIS,
	HG_NAME,       /* v.s identifier; slot/scope filled by the resolver */
	HG_ATTR,       /* kids[0] object; v.s attribute name */
	HG_SUBSCRIPT,  /* kids[0] object; kids[1] index: expr, HG_SLICE or a
	                  HG_TUPLE whose items may be HG_SLICE */
	HG_SLICE,      /* kids[0] lower, kids[1] upper, kids[2] step; each may be NULL */
	HG_CALL,       /* kids[0] callee; kids[1..] args: expr, HG_KWARG,
	                  HG_STARARG or HG_DSTARARG */
	HG_KWARG,      /* v.s name; kids[0] value */
	HG_STARARG,    /* kids[0]: *expr in a call, or *name in an assignment target */
	HG_DSTARARG,   /* kids[0]: **expr in a call */
	HG_BINOP,      /* op (HG_OP_*); kids[0], kids[1] */
	HG_UNARY,      /* op HG_OP_NEG, HG_OP_POS, HG_OP_INVERT; kids[0] */
	HG_NOT,        /* kids[0] */
	HG_AND, HG_OR, /* kids[0], kids[1] (short-circuit) */
	HG_COMPARE,    /* kids[0..n] operands; ops[0..n-1] comparison ops (HG_OP_*) */
	HG_IFEXP,      /* kids[0] condition, kids[1] then, kids[2] else */
	HG_LAMBDA,     /* kids[0] HG_PARAMS, kids[1] body expression */
	HG_LIST, HG_TUPLE, HG_SET, /* kids: items (HG_STARARG allowed) */
	HG_DICT,       /* kids: key0, value0, key1, value1, ... */
	HG_LISTCOMP,   /* kids[0] element expr; kids[1..] HG_COMP_FOR / HG_COMP_IF clauses */
	HG_SETCOMP,    /* as HG_LISTCOMP */
	HG_GENEXP,     /* as HG_LISTCOMP; evaluated eagerly into a list-like iterable */
	HG_DICTCOMP,   /* kids[0] key, kids[1] value, kids[2..] clauses */
	HG_COMP_FOR,   /* kids[0] target, kids[1] iterable */
	HG_COMP_IF,    /* kids[0] condition */

	/* ---- statements ---- */
	HG_BLOCK,      /* kids: statements */
	HG_EXPR_STMT,  /* kids[0] expression */
	HG_ASSIGN,     /* kids[0..n-2] targets (a = b = e), kids[n-1] value.
	                  A target is HG_NAME, HG_ATTR, HG_SUBSCRIPT, or a
	                  HG_TUPLE/HG_LIST of targets (one HG_STARARG allowed) */
	HG_AUGASSIGN,  /* op (HG_OP_ADD ...); kids[0] target, kids[1] value */
	HG_IF,         /* kids[0] cond, kids[1] body, kids[2] else: HG_BLOCK, HG_IF (elif) or NULL */
	HG_WHILE,      /* kids[0] cond, kids[1] body, kids[2] else or NULL */
	HG_FOR,        /* kids[0] target, kids[1] iterable, kids[2] body, kids[3] else or NULL */
	HG_BREAK, HG_CONTINUE, HG_PASS,
	HG_DEF,        /* v.s name; kids[0] HG_PARAMS; kids[1] body HG_BLOCK;
	                  kids[2..] decorators (expressions), outermost first */
	HG_PARAMS,     /* kids: HG_PARAM in order */
	HG_PARAM,      /* v.s name; kids[0] default or NULL; op: HG_PARAM_PLAIN,
	                  HG_PARAM_STAR (*args), HG_PARAM_DSTAR (**kw), HG_PARAM_KWONLY
	                  (a plain parameter after * or *args).  A bare `*` is
	                  not a node: it only turns the following into KWONLY */
	HG_RETURN,     /* kids[0] value or NULL */
	HG_GLOBAL, HG_NONLOCAL, /* kids: HG_NAME nodes */
	HG_DEL,        /* kids: targets (HG_NAME, HG_SUBSCRIPT, HG_ATTR) */
	HG_TRY,        /* kids[0] body; kids[1] HG_BLOCK of HG_EXCEPT (possibly
	                  empty); kids[2] else body or NULL; kids[3] finally body or NULL */
	HG_EXCEPT,     /* kids[0] type expression or NULL (bare except); v.s the
	                  "as" name or NULL; kids[1] body */
	HG_RAISE,      /* kids[0] exception or NULL (re-raise); kids[1] "from" cause or NULL */
	HG_ASSERT,     /* kids[0] condition; kids[1] message or NULL */
	HG_IMPORT,     /* v.s dotted module name; name2 the "as" name or NULL.
	                  One node per module: `import a, b` gives an HG_BLOCK of two */
	HG_FROM_IMPORT,/* v.s module; kids: HG_NAME nodes (name, name2 = "as" or NULL);
	                  no kids means `from m import *` */
	HG_MAGIC,      /* v.s command name without '%' (e.g. "timeit"); name2 the
	                  rest of the line, leading blanks removed ("" if none) */
	               /* Also the value of a plain assignment: `z = %timeit x @ y`
	                  is an HG_ASSIGN whose last kid is the HG_MAGIC node.  An
	                  IPython cell magic line `%%px --target 0` gives v.s "%px". */
	HG_KIND_COUNT
} hg_kind;

/* Operators: binary, augmented, unary and comparisons share one list. */
typedef enum hg_op {
	HG_OP_NONE = 0,
	HG_OP_ADD, HG_OP_SUB, HG_OP_MUL, HG_OP_DIV, HG_OP_FLOORDIV, HG_OP_MOD,
	HG_OP_POW, HG_OP_MATMUL, HG_OP_AND, HG_OP_OR, HG_OP_XOR, HG_OP_LSHIFT,
	HG_OP_RSHIFT,
	HG_OP_NEG, HG_OP_POS, HG_OP_INVERT,
	HG_OP_EQ, HG_OP_NE, HG_OP_LT, HG_OP_LE, HG_OP_GT, HG_OP_GE,
	HG_OP_IN, HG_OP_NOT_IN, HG_OP_IS, HG_OP_IS_NOT,
	HG_OP_COUNT
} hg_op;

enum { HG_PARAM_PLAIN, HG_PARAM_STAR, HG_PARAM_DSTAR, HG_PARAM_KWONLY };

/* A span in the source: 1-based lines, 1-based columns (in bytes);
** end_line:end_col is the span's last byte (inclusive). */
typedef struct hg_loc {
	int line, col;
	int end_line, end_col;
} hg_loc;

typedef struct hg_unit hg_unit;

typedef struct hg_node {
	hg_kind kind;
	int op;                 /* hg_op, conversion char, or HG_PARAM_* */
	hg_loc loc;
	int nkids;
	struct hg_node **kids;
	int *ops;               /* HG_COMPARE only: nkids-1 operators */
	union {
		int64_t i;
		double f;
		struct { char *s; size_t len; };
	} v;
	char *name2;            /* HG_IMPORT / HG_FROM_IMPORT names / HG_MAGIC text */
	/* Filled by the interpreter's resolver; the parser leaves them zero. */
	int scope;              /* how an HG_NAME is found (interp-defined) */
	int slot;               /* its slot index in that scope */
	void *info;             /* per-node cache owned by the interpreter */
	void (*run)(void);      /* the interpreter's evaluator chosen for this
	                           node (cast to its real type there) */
} hg_node;

/* One parsed piece of source: a file, a -c string, or a REPL statement. */
struct hg_unit {
	int refs;
	char *filename;         /* as shown in tracebacks, e.g. "prog.ha", "<stdin>" */
	char *src;              /* the whole source text, NUL-terminated */
	size_t srclen;
	hg_node *root;          /* an HG_BLOCK, or NULL after a syntax error */
	struct hg_arena *arena; /* owns every node of this unit */
	/* Called once before the arena is freed, so the interpreter can free
	** what it hung on the nodes (hg_node.info); NULL if nothing to do. */
	void (*on_free)(struct hg_unit *u);
};

/* A syntax error as the parser reports it. */
typedef struct hg_syntax_error {
	int line, col;          /* where the caret goes (1-based) */
	char msg[256];          /* e.g. "invalid syntax", "unexpected indent" */
	int incomplete;         /* 1 when the input simply ended too early (an
	                           open block, bracket or string): the REPL then
	                           asks for a continuation line.  Text ending in
	                           a blank line closes open blocks, so it is only
	                           incomplete inside a bracket or string */
	int indentation;        /* 1 for an IndentationError */
} hg_syntax_error;

/* Parse src (a copy is kept in the unit).  Returns a unit with refs == 1.
** On a syntax error, unit->root is NULL and *err is filled. */
hg_unit *hg_parse(const char *src, size_t len, const char *filename,
                  hg_syntax_error *err);

void hg_unit_retain(hg_unit *u);
void hg_unit_release(hg_unit *u);

/* The text of line `line` (1-based) of the unit, without its newline;
** *len receives its length.  NULL when out of range. */
const char *hg_unit_line(const hg_unit *u, int line, size_t *len);

/* Node construction, for the parser (and tests). */
hg_node *hg_node_new(hg_unit *u, hg_kind kind, hg_loc loc);
void hg_node_add(hg_unit *u, hg_node *parent, hg_node *kid);  /* kid may be NULL */
char *hg_strdup(hg_unit *u, const char *s, size_t len);
void *hg_alloc(hg_unit *u, size_t n);                          /* zeroed */

/* Debug/test dump: an S-expression of the tree, e.g.
** (block (assign (name x) (binop + (int 1) (int 2)))).  Caller frees.
** The format (NULL kids as "_", payload placement) is documented in ast.c. */
char *hg_dump(const hg_node *n);

const char *hg_kind_name(hg_kind k);
const char *hg_op_text(int op);       /* "+", "not in", "@" ... */

#endif
