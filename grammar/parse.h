/*
** parse.h — private interface between the pieces of the front end:
** lexer.l (tokens, layout), parser.y (grammar), fstring.c (string and
** f-string literals), build.c (node builders and syntax checks used by the
** grammar actions) and ast.c (arena, hg_parse).  Nothing outside grammar/
** includes this file; the public contract is ast.h.
*/
#ifndef HG_PARSE_H
#define HG_PARSE_H

#include <stdarg.h>
#include "ast.h"

/* What one parse reads: a whole file (statements) or the text of one
** f-string replacement field (a single expression list). */
enum { HG_MODE_FILE, HG_MODE_EXPR };

#define HG_MAXINDENT 100        /* Python's limit on nested blocks */
#define HG_MAXPAREN  200        /* Python's limit on nested brackets */
#define HG_QUEUE     (HG_MAXINDENT + 8)

/* Semantic value and location of a token or grammar symbol. */
typedef union hg_sem {
	hg_node *node;
	char *str;
	int op;
} hg_sem;

typedef struct hg_lloc {
	int first_line, first_column;
	int last_line, last_column;     /* the last byte, inclusive */
} hg_lloc;

typedef struct hg_qtok {
	int tok;
	hg_sem val;
	hg_lloc loc;
} hg_qtok;

/* State of one parse: the reentrant scanner, the layout machine that turns
** physical lines into NEWLINE/INDENT/DEDENT, and the error slot. */
typedef struct hg_pstate {
	hg_unit *u;
	hg_syntax_error *err;
	int failed;                 /* err is filled: later errors are ignored */
	int mode;
	void *scanner;              /* yyscan_t */
	const char *text;           /* the text being scanned (not a copy) */
	size_t len;
	hg_node *result;

	int start_tok;              /* first token handed to the parser */
	int line, col;              /* position of the next unread byte */
	size_t off;                 /* its offset in text */
	int at_line_start;          /* no token yet on this logical line */
	int cont;                   /* the last thing read was a '\' line join */
	int last_tok;               /* last token handed to the parser */
	int prev_tok;               /* the one before it, and its span */
	hg_lloc prev_loc, last_loc;
	int indent, altindent;      /* leading blank width of the current line
	                               (tabs to 8, and tabs counted as 1) */
	int nindent;
	int indents[HG_MAXINDENT + 1], altindents[HG_MAXINDENT + 1];
	int depth;                  /* open brackets */
	struct { char c; int line, col; } paren[HG_MAXPAREN];
	int qhead, qlen;            /* tokens produced but not yet handed out */
	hg_qtok q[HG_QUEUE];
	int eof;
	int loops, funcs;           /* enclosing loops (in this def) and defs */
} hg_pstate;

/* Lexer side (lexer.l).  hg_parse_text parses text (part of u's source,
** starting at line:col) and returns 0 with *out set, or -1 with *err
** filled.  hg_lex_begin/hg_plex/hg_lex_end drive the tokenizer alone (the
** lexer's unit tests do). */
hg_pstate *hg_lex_begin(hg_unit *u, const char *text, size_t len, int line, int col,
                        int mode, hg_syntax_error *err);
int hg_plex(hg_sem *lval, hg_lloc *lloc, hg_pstate *ps);
void hg_lex_end(hg_pstate *ps);
int hg_parse_text(hg_unit *u, const char *text, size_t len, int line, int col,
                  int mode, hg_syntax_error *err, hg_node **out);

/* Errors: the first one wins. */
int hg_error_at(hg_pstate *ps, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* String literals (fstring.c): text is the whole token, prefix and quotes
** included.  Returns an HG_STR or HG_FSTR node, or NULL with an error set. */
hg_node *hg_string_literal(hg_pstate *ps, const char *text, size_t len,
                           const hg_lloc *loc);
/* Adjacent literal concatenation: acc is NULL or a previous result. */
hg_node *hg_string_concat(hg_pstate *ps, hg_node *acc, hg_node *next);
/* The node for a run of adjacent literals: HG_STR, or HG_FSTR if any
** piece has a replacement field. */
hg_node *hg_string_finish(hg_pstate *ps, hg_node *acc);

/* Node builders and checks for the grammar actions (build.c).  The check
** functions set the error and return -1 when the tree is not valid. */
hg_loc hg_mkloc(const hg_lloc *l);
void hg_compare_add(hg_unit *u, hg_node *cmp, int op, hg_node *right);
void hg_block_append(hg_unit *u, hg_node *block, hg_node *stmt);
int hg_check_target(hg_pstate *ps, hg_node *t, int what);
int hg_check_del(hg_pstate *ps, hg_node *del, hg_node *targets);
int hg_check_params(hg_pstate *ps, hg_node *params, int is_lambda);
int hg_check_call(hg_pstate *ps, hg_node *call);
enum { HG_TARGET_ASSIGN, HG_TARGET_AUG, HG_TARGET_FOR, HG_TARGET_DEL };

/* Marks for temporary nodes that the grammar reshapes (kept in node->op). */
enum { HG_MARK_SPLICE = 1, HG_MARK_BAREGEN = 2, HG_MARK_BARESTAR = 3 };

#endif
