/*
** parser.y — the grammar of ha (Python's statements and expressions, the
** subset LANGUAGE.md §1-3 describes), building the tree of ast.h.
**
** Pure and reentrant: all state lives in the hg_pstate passed through
** %parse-param; tokens come from hg_plex() in lexer.l.  Every node lives in
** the unit's arena, so error paths free nothing by hand.
**
** Precedence is spelled out as one nonterminal per level, as in CPython's
** old LL(1) grammar, which keeps the table conflict-free (%expect 0):
**   lambda < if-else < or < and < not < comparisons < | < ^ < & < << >>
**   < + - < * / // % @ < unary + - ~ < ** < primaries
** `**` takes a unary operand on its right and a primary on its left, so
** -2**2 is -(2**2) and 2**-1 is 2**(-1).
**
** Two start tokens select what is parsed: START_FILE a file of statements,
** START_EXPR the expression list inside an f-string field.
*/
%require "3.8"
%define api.pure full
%define api.prefix {hg_p}
%define api.value.type {union hg_sem}
%define api.location.type {hg_lloc}
%define parse.error custom
%locations
%expect 0
%parse-param {struct hg_pstate *ps}
%lex-param {struct hg_pstate *ps}

%code requires {
#include "parse.h"
}

%code provides {
int hg_plex(HG_PSTYPE *lval, HG_PLTYPE *lloc, struct hg_pstate *ps);
void hg_perror(HG_PLTYPE *lloc, struct hg_pstate *ps, const char *msg);
}

%code {
#include <stdio.h>
#include <string.h>

#define U (ps->u)
#define N(kind, l) hg_node_new(U, (kind), hg_mkloc(&(l)))
#define ADD(p, k) hg_node_add(U, (p), (k))
#define SETLOC(n, l) ((n)->loc = hg_mkloc(&(l)))

static hg_node *mk1(hg_pstate *ps, hg_kind k, const hg_lloc *l, hg_node *a)
{
	hg_node *n = hg_node_new(ps->u, k, hg_mkloc(l));
	hg_node_add(ps->u, n, a);
	return n;
}

static hg_node *mk2(hg_pstate *ps, hg_kind k, const hg_lloc *l, hg_node *a, hg_node *b)
{
	hg_node *n = mk1(ps, k, l, a);
	hg_node_add(ps->u, n, b);
	return n;
}

static hg_node *binop(hg_pstate *ps, int op, const hg_lloc *l, hg_node *a, hg_node *b)
{
	hg_node *n = mk2(ps, HG_BINOP, l, a, b);
	n->op = op;
	return n;
}

static hg_node *unary(hg_pstate *ps, int op, const hg_lloc *l, hg_node *a)
{
	hg_node *n = mk1(ps, HG_UNARY, l, a);
	n->op = op;
	return n;
}

static hg_node *name(hg_pstate *ps, const hg_lloc *l, char *s)
{
	hg_node *n = hg_node_new(ps->u, HG_NAME, hg_mkloc(l));
	n->v.s = s;
	n->v.len = strlen(s);
	return n;
}

/* A one-item sequence without a trailing comma is just the item. */
static hg_node *unwrap(hg_node *seq)
{
	return seq->nkids == 1 ? seq->kids[0] : seq;
}

/* Turn the clause holder built by comp_clauses into the comprehension. */
static hg_node *comp(hg_pstate *ps, hg_kind k, const hg_lloc *l, hg_node *elt,
                     hg_node *clauses)
{
	if (elt->kind == HG_STARARG) {
		hg_error_at(ps, elt->loc.line, elt->loc.col,
		            "iterable unpacking cannot be used in comprehension");
		return NULL;
	}
	clauses->kind = k;
	clauses->op = 0;
	clauses->kids[0] = elt;
	clauses->loc = hg_mkloc(l);
	return clauses;
}

static hg_node *dictcomp(hg_pstate *ps, const hg_lloc *l, hg_node *key,
                         hg_node *val, hg_node *clauses)
{
	hg_node *n = mk2(ps, HG_DICTCOMP, l, key, val);
	for (int i = 1; i < clauses->nkids; i++)
		hg_node_add(ps->u, n, clauses->kids[i]);
	return n;
}

static int no_star(hg_pstate *ps, hg_node *e)
{
	if (e->kind == HG_STARARG) {
		hg_error_at(ps, e->loc.line, e->loc.col, "cannot use starred expression here");
		return -1;
	}
	return 0;
}

static char *join_dotted(hg_pstate *ps, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = hg_alloc(ps->u, la + lb + 2);
	memcpy(s, a, la);
	s[la] = '.';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}
}

%token START_FILE "start of file" START_EXPR "start of expression"
%token <str> NAME "name"
%token <node> NUMBER "number" STRING "string" MAGIC "magic command"
%token NEWLINE "end of line" INDENT "indent" DEDENT "dedent"
%token <op> AUGASSIGN "augmented assignment"
%token AND "and" OR "or" NOT "not" IN "in" IS "is" IF "if" ELIF "elif"
%token ELSE "else" WHILE "while" FOR "for" BREAK "break" CONTINUE "continue"
%token PASS "pass" DEF "def" RETURN "return" LAMBDA "lambda" GLOBAL "global"
%token NONLOCAL "nonlocal" TRY "try" EXCEPT "except" FINALLY "finally"
%token RAISE "raise" ASSERT "assert" DEL "del" IMPORT "import" FROM "from"
%token AS "as" TRUE "True" FALSE "False" NONE "None"
%token POW "**" FLOORDIV "//" LSHIFT "<<" RSHIFT ">>" LE "<=" GE ">="
%token EQ "==" NE "!=" ELLIPSIS "..."

%type <node> file_input stmt simple_line small_stmts small_stmt expr_stmt
%type <node> assign_lhs names dotted_as_names dotted_as_name import_as_names
%type <node> import_as_name compound_stmt if_stmt else_part while_stmt
%type <node> loop_else for_stmt try_stmt except_clauses except_clause
%type <node> try_else try_finally funcdef params_opt param_list param_item
%type <node> decorated decorators decorator suite stmts
%type <node> testlist_se tl_seq tl_item star_expr exprlist el_seq el_item
%type <node> test lambdef or_test and_test not_test comparison comp_chain
%type <node> expr xor_expr and_expr shift_expr arith_expr term factor power
%type <node> primary atom strings dict_seq subscripts sub_seq subscript
%type <node> opt_test arglist argument comp_clauses comp_for comp_if
%type <op> comp_op
%type <str> dotted_name

%%

start
	: START_FILE file_input      { ps->result = $2; }
	| START_EXPR testlist_se     { if (no_star(ps, $2)) YYABORT; ps->result = $2; }
	;

file_input
	: %empty                     { $$ = N(HG_BLOCK, @$); }
	| file_input stmt            { $$ = $1; hg_block_append(U, $$, $2); }
	;

stmt
	: simple_line
	| compound_stmt
	;

/* The statements of one line; the block is spliced into its parent. */
simple_line
	: small_stmts NEWLINE        { $$ = $1; }
	| small_stmts ';' NEWLINE    { $$ = $1; }
	;

small_stmts
	: small_stmt                 { $$ = mk1(ps, HG_BLOCK, &@$, $1); $$->op = HG_MARK_SPLICE; }
	| small_stmts ';' small_stmt { $$ = $1; ADD($$, $3); SETLOC($$, @$); }
	;

small_stmt
	: expr_stmt
	| DEL exprlist               { $$ = N(HG_DEL, @$); if (hg_check_del(ps, $$, $2)) YYABORT; }
	| PASS                       { $$ = N(HG_PASS, @$); }
	| BREAK
		{
			if (!ps->loops) { hg_error_at(ps, @1.first_line, @1.first_column, "'break' outside loop"); YYABORT; }
			$$ = N(HG_BREAK, @$);
		}
	| CONTINUE
		{
			if (!ps->loops) { hg_error_at(ps, @1.first_line, @1.first_column, "'continue' not properly in loop"); YYABORT; }
			$$ = N(HG_CONTINUE, @$);
		}
	| RETURN
		{
			if (!ps->funcs) { hg_error_at(ps, @1.first_line, @1.first_column, "'return' outside function"); YYABORT; }
			$$ = mk1(ps, HG_RETURN, &@$, NULL);
		}
	| RETURN testlist_se
		{
			if (!ps->funcs) { hg_error_at(ps, @1.first_line, @1.first_column, "'return' outside function"); YYABORT; }
			if (no_star(ps, $2)) YYABORT;
			$$ = mk1(ps, HG_RETURN, &@$, $2);
		}
	| RAISE                      { $$ = mk2(ps, HG_RAISE, &@$, NULL, NULL); }
	| RAISE test                 { $$ = mk2(ps, HG_RAISE, &@$, $2, NULL); }
	| RAISE test FROM test       { $$ = mk2(ps, HG_RAISE, &@$, $2, $4); }
	| GLOBAL names               { $$ = $2; $$->kind = HG_GLOBAL; SETLOC($$, @$); }
	| NONLOCAL names
		{
			if (!ps->funcs) {
				hg_error_at(ps, @1.first_line, @1.first_column,
				            "nonlocal declaration not allowed at module level");
				YYABORT;
			}
			$$ = $2; $$->kind = HG_NONLOCAL; SETLOC($$, @$);
		}
	| ASSERT test                { $$ = mk2(ps, HG_ASSERT, &@$, $2, NULL); }
	| ASSERT test ',' test       { $$ = mk2(ps, HG_ASSERT, &@$, $2, $4); }
	| IMPORT dotted_as_names     { $$ = unwrap($2); if ($$ == $2) SETLOC($$, @$); }
	| FROM dotted_name IMPORT '*'
	                             { $$ = N(HG_FROM_IMPORT, @$); $$->v.s = $2; $$->v.len = strlen($2); }
	| FROM dotted_name IMPORT import_as_names
	                             { $$ = $4; SETLOC($$, @$); $$->v.s = $2; $$->v.len = strlen($2); }
	| FROM dotted_name IMPORT '(' import_as_names ')'
	                             { $$ = $5; SETLOC($$, @$); $$->v.s = $2; $$->v.len = strlen($2); }
	| FROM dotted_name IMPORT '(' import_as_names ',' ')'
	                             { $$ = $5; SETLOC($$, @$); $$->v.s = $2; $$->v.len = strlen($2); }
	| MAGIC
	;

expr_stmt
	: testlist_se
		{
			if (no_star(ps, $1)) YYABORT;
			$$ = mk1(ps, HG_EXPR_STMT, &@$, $1);
		}
	| testlist_se AUGASSIGN testlist_se
		{
			if (hg_check_target(ps, $1, HG_TARGET_AUG) || no_star(ps, $3)) YYABORT;
			$$ = mk2(ps, HG_AUGASSIGN, &@$, $1, $3);
			$$->op = $2;
		}
	| assign_lhs testlist_se
		{
			if (no_star(ps, $2)) YYABORT;
			$$ = $1; ADD($$, $2); SETLOC($$, @$);
		}
	| assign_lhs MAGIC           { $$ = $1; ADD($$, $2); SETLOC($$, @$); }
	;

/* a = b = ... : every target, in order, before the value. */
assign_lhs
	: testlist_se '='
		{
			if (hg_check_target(ps, $1, HG_TARGET_ASSIGN)) YYABORT;
			$$ = mk1(ps, HG_ASSIGN, &@$, $1);
		}
	| assign_lhs testlist_se '='
		{
			if (hg_check_target(ps, $2, HG_TARGET_ASSIGN)) YYABORT;
			$$ = $1; ADD($$, $2);
		}
	;

names
	: NAME                       { $$ = mk1(ps, HG_GLOBAL, &@$, name(ps, &@1, $1)); }
	| names ',' NAME             { $$ = $1; ADD($$, name(ps, &@3, $3)); }
	;

dotted_name
	: NAME
	| dotted_name '.' NAME       { $$ = join_dotted(ps, $1, $3); }
	;

dotted_as_names
	: dotted_as_name             { $$ = mk1(ps, HG_BLOCK, &@$, $1); }
	| dotted_as_names ',' dotted_as_name { $$ = $1; ADD($$, $3); }
	;

dotted_as_name
	: dotted_name                { $$ = N(HG_IMPORT, @$); $$->v.s = $1; $$->v.len = strlen($1); }
	| dotted_name AS NAME
		{
			$$ = N(HG_IMPORT, @$); $$->v.s = $1; $$->v.len = strlen($1);
			$$->name2 = $3;
		}
	;

import_as_names
	: import_as_name             { $$ = mk1(ps, HG_FROM_IMPORT, &@$, $1); }
	| import_as_names ',' import_as_name { $$ = $1; ADD($$, $3); }
	;

import_as_name
	: NAME                       { $$ = name(ps, &@$, $1); }
	| NAME AS NAME               { $$ = name(ps, &@$, $1); $$->name2 = $3; }
	;

/* ---- compound statements ---- */

compound_stmt
	: if_stmt
	| while_stmt
	| for_stmt
	| try_stmt
	| funcdef
	| decorated
	;

suite
	: simple_line                { $$ = $1; $$->op = 0; }
	| NEWLINE INDENT stmts DEDENT { $$ = $3; }
	;

stmts
	: stmt                       { $$ = N(HG_BLOCK, @$); hg_block_append(U, $$, $1); }
	| stmts stmt                 { $$ = $1; hg_block_append(U, $$, $2); }
	;

if_stmt
	: IF test ':' suite else_part
		{ $$ = mk2(ps, HG_IF, &@$, $2, $4); ADD($$, $5); }
	;

else_part
	: %empty                     { $$ = NULL; }
	| ELSE ':' suite             { $$ = $3; }
	| ELIF test ':' suite else_part
		{ $$ = mk2(ps, HG_IF, &@$, $2, $4); ADD($$, $5); }
	;

while_stmt
	: WHILE test ':' { ps->loops++; } suite { ps->loops--; } loop_else
		{ $$ = mk2(ps, HG_WHILE, &@$, $2, $5); ADD($$, $7); }
	;

loop_else
	: %empty                     { $$ = NULL; }
	| ELSE ':' suite             { $$ = $3; }
	;

for_stmt
	: FOR exprlist IN testlist_se ':' { ps->loops++; } suite { ps->loops--; } loop_else
		{
			if (hg_check_target(ps, $2, HG_TARGET_FOR) || no_star(ps, $4)) YYABORT;
			$$ = mk2(ps, HG_FOR, &@$, $2, $4); ADD($$, $7); ADD($$, $9);
		}
	;

try_stmt
	: TRY ':' suite except_clauses try_else try_finally
		{ $$ = mk2(ps, HG_TRY, &@$, $3, $4); ADD($$, $5); ADD($$, $6); }
	| TRY ':' suite FINALLY ':' suite
		{
			$$ = mk2(ps, HG_TRY, &@$, $3, N(HG_BLOCK, @4));
			ADD($$, NULL); ADD($$, $6);
		}
	;

except_clauses
	: except_clause              { $$ = mk1(ps, HG_BLOCK, &@$, $1); }
	| except_clauses except_clause
		{
			hg_node *prev = $1->kids[$1->nkids - 1];
			if (!prev->kids[0]) {
				hg_error_at(ps, prev->loc.line, prev->loc.col,
				            "default 'except:' must be last");
				YYABORT;
			}
			$$ = $1; ADD($$, $2); SETLOC($$, @$);
		}
	;

except_clause
	: EXCEPT ':' suite           { $$ = mk2(ps, HG_EXCEPT, &@$, NULL, $3); }
	| EXCEPT test ':' suite      { $$ = mk2(ps, HG_EXCEPT, &@$, $2, $4); }
	| EXCEPT test AS NAME ':' suite
		{ $$ = mk2(ps, HG_EXCEPT, &@$, $2, $6); $$->v.s = $4; $$->v.len = strlen($4); }
	;

try_else
	: %empty                     { $$ = NULL; }
	| ELSE ':' suite             { $$ = $3; }
	;

try_finally
	: %empty                     { $$ = NULL; }
	| FINALLY ':' suite          { $$ = $3; }
	;

funcdef
	: DEF NAME '(' params_opt ')' ':'
		{
			/* a loop around the def does not reach into its body */
			$<op>$ = ps->loops;
			ps->loops = 0;
			ps->funcs++;
		}
	  suite
		{
			ps->loops = $<op>7;
			ps->funcs--;
			if (hg_check_params(ps, $4, 0)) YYABORT;
			$$ = mk2(ps, HG_DEF, &@$, $4, $8);
			$$->v.s = $2; $$->v.len = strlen($2);
		}
	;

params_opt
	: %empty                     { $$ = N(HG_PARAMS, @$); }
	| param_list
	| param_list ','             { $$ = $1; }
	;

param_list
	: param_item                 { $$ = mk1(ps, HG_PARAMS, &@$, $1); }
	| param_list ',' param_item  { $$ = $1; ADD($$, $3); SETLOC($$, @$); }
	;

param_item
	: NAME                       { $$ = mk1(ps, HG_PARAM, &@$, NULL); $$->v.s = $1; $$->op = HG_PARAM_PLAIN; }
	| NAME '=' test              { $$ = mk1(ps, HG_PARAM, &@$, $3); $$->v.s = $1; $$->op = HG_PARAM_PLAIN; }
	| '*' NAME                   { $$ = mk1(ps, HG_PARAM, &@$, NULL); $$->v.s = $2; $$->op = HG_PARAM_STAR; }
	| '*'                        { $$ = mk1(ps, HG_PARAM, &@$, NULL); $$->op = HG_PARAM_STAR; }
	| POW NAME                   { $$ = mk1(ps, HG_PARAM, &@$, NULL); $$->v.s = $2; $$->op = HG_PARAM_DSTAR; }
	;

decorated
	: decorators funcdef
		{
			$$ = $2;
			for (int i = 0; i < $1->nkids; i++)
				ADD($$, $1->kids[i]);
		}
	;

decorators
	: decorator                  { $$ = mk1(ps, HG_BLOCK, &@$, $1); }
	| decorators decorator       { $$ = $1; ADD($$, $2); }
	;

decorator
	: '@' test NEWLINE           { $$ = $2; }
	;

/* ---- expressions ---- */

/* Expression lists where a bare comma makes a tuple; '*x' items allowed. */
testlist_se
	: tl_seq                     { $$ = unwrap($1); }
	| tl_seq ','                 { $$ = $1; SETLOC($$, @$); }
	;

tl_seq
	: tl_item                    { $$ = mk1(ps, HG_TUPLE, &@$, $1); }
	| tl_seq ',' tl_item         { $$ = $1; ADD($$, $3); SETLOC($$, @$); }
	;

tl_item
	: test
	| star_expr
	;

star_expr
	: '*' expr                   { $$ = mk1(ps, HG_STARARG, &@$, $2); }
	;

/* Targets of for and del: operands of '|', so 'in' ends them. */
exprlist
	: el_seq                     { $$ = unwrap($1); }
	| el_seq ','                 { $$ = $1; SETLOC($$, @$); }
	;

el_seq
	: el_item                    { $$ = mk1(ps, HG_TUPLE, &@$, $1); }
	| el_seq ',' el_item         { $$ = $1; ADD($$, $3); SETLOC($$, @$); }
	;

el_item
	: expr
	| star_expr
	;

test
	: or_test
	| or_test IF or_test ELSE test
		{ $$ = mk2(ps, HG_IFEXP, &@$, $3, $1); ADD($$, $5); }
	| lambdef
	;

lambdef
	: LAMBDA params_opt ':' test
		{
			if (hg_check_params(ps, $2, 1)) YYABORT;
			$$ = mk2(ps, HG_LAMBDA, &@$, $2, $4);
		}
	;

or_test
	: and_test
	| or_test OR and_test        { $$ = mk2(ps, HG_OR, &@$, $1, $3); }
	;

and_test
	: not_test
	| and_test AND not_test      { $$ = mk2(ps, HG_AND, &@$, $1, $3); }
	;

not_test
	: NOT not_test               { $$ = mk1(ps, HG_NOT, &@$, $2); }
	| comparison
	;

comparison
	: expr
	| comp_chain
	;

/* a < b <= c is one node; a parenthesised (a < b) < c is two. */
comp_chain
	: expr comp_op expr
		{ $$ = mk1(ps, HG_COMPARE, &@$, $1); hg_compare_add(U, $$, $2, $3); }
	| comp_chain comp_op expr
		{ $$ = $1; hg_compare_add(U, $$, $2, $3); SETLOC($$, @$); }
	;

comp_op
	: '<'                        { $$ = HG_OP_LT; }
	| '>'                        { $$ = HG_OP_GT; }
	| EQ                         { $$ = HG_OP_EQ; }
	| NE                         { $$ = HG_OP_NE; }
	| LE                         { $$ = HG_OP_LE; }
	| GE                         { $$ = HG_OP_GE; }
	| IN                         { $$ = HG_OP_IN; }
	| NOT IN                     { $$ = HG_OP_NOT_IN; }
	| IS                         { $$ = HG_OP_IS; }
	| IS NOT                     { $$ = HG_OP_IS_NOT; }
	;

expr
	: xor_expr
	| expr '|' xor_expr          { $$ = binop(ps, HG_OP_OR, &@$, $1, $3); }
	;

xor_expr
	: and_expr
	| xor_expr '^' and_expr      { $$ = binop(ps, HG_OP_XOR, &@$, $1, $3); }
	;

and_expr
	: shift_expr
	| and_expr '&' shift_expr    { $$ = binop(ps, HG_OP_AND, &@$, $1, $3); }
	;

shift_expr
	: arith_expr
	| shift_expr LSHIFT arith_expr { $$ = binop(ps, HG_OP_LSHIFT, &@$, $1, $3); }
	| shift_expr RSHIFT arith_expr { $$ = binop(ps, HG_OP_RSHIFT, &@$, $1, $3); }
	;

arith_expr
	: term
	| arith_expr '+' term        { $$ = binop(ps, HG_OP_ADD, &@$, $1, $3); }
	| arith_expr '-' term        { $$ = binop(ps, HG_OP_SUB, &@$, $1, $3); }
	;

term
	: factor
	| term '*' factor            { $$ = binop(ps, HG_OP_MUL, &@$, $1, $3); }
	| term '/' factor            { $$ = binop(ps, HG_OP_DIV, &@$, $1, $3); }
	| term '%' factor            { $$ = binop(ps, HG_OP_MOD, &@$, $1, $3); }
	| term FLOORDIV factor       { $$ = binop(ps, HG_OP_FLOORDIV, &@$, $1, $3); }
	| term '@' factor            { $$ = binop(ps, HG_OP_MATMUL, &@$, $1, $3); }
	;

factor
	: '+' factor                 { $$ = unary(ps, HG_OP_POS, &@$, $2); }
	| '-' factor                 { $$ = unary(ps, HG_OP_NEG, &@$, $2); }
	| '~' factor                 { $$ = unary(ps, HG_OP_INVERT, &@$, $2); }
	| power
	;

power
	: primary
	| primary POW factor         { $$ = binop(ps, HG_OP_POW, &@$, $1, $3); }
	;

primary
	: atom
	| primary '.' NAME
		{ $$ = mk1(ps, HG_ATTR, &@$, $1); $$->v.s = $3; $$->v.len = strlen($3); }
	| primary '(' ')'            { $$ = mk1(ps, HG_CALL, &@$, $1); }
	| primary '(' arglist ')'
		{ $$ = $3; $$->kids[0] = $1; SETLOC($$, @$); if (hg_check_call(ps, $$)) YYABORT; }
	| primary '(' arglist ',' ')'
		{ $$ = $3; $$->kids[0] = $1; SETLOC($$, @$); if (hg_check_call(ps, $$)) YYABORT; }
	| primary '[' subscripts ']' { $$ = mk2(ps, HG_SUBSCRIPT, &@$, $1, $3); }
	;

atom
	: NAME                       { $$ = name(ps, &@$, $1); }
	| NUMBER
	| strings                    { $$ = hg_string_finish(ps, $1); SETLOC($$, @$); }
	| TRUE                       { $$ = N(HG_TRUE, @$); }
	| FALSE                      { $$ = N(HG_FALSE, @$); }
	| NONE                       { $$ = N(HG_NONE, @$); }
	| ELLIPSIS                   { $$ = N(HG_ELLIPSIS, @$); }
	| '(' ')'                    { $$ = N(HG_TUPLE, @$); }
	| '(' tl_seq ')'
		{
			$$ = unwrap($2);
			if (no_star(ps, $$)) YYABORT;
			if ($$ == $2) SETLOC($$, @$);
		}
	| '(' tl_seq ',' ')'         { $$ = $2; SETLOC($$, @$); }
	| '(' tl_item comp_clauses ')'
		{ $$ = comp(ps, HG_GENEXP, &@$, $2, $3); if (!$$) YYABORT; }
	| '[' ']'                    { $$ = N(HG_LIST, @$); }
	| '[' tl_seq ']'             { $$ = $2; $$->kind = HG_LIST; SETLOC($$, @$); }
	| '[' tl_seq ',' ']'         { $$ = $2; $$->kind = HG_LIST; SETLOC($$, @$); }
	| '[' tl_item comp_clauses ']'
		{ $$ = comp(ps, HG_LISTCOMP, &@$, $2, $3); if (!$$) YYABORT; }
	| '{' '}'                    { $$ = N(HG_DICT, @$); }
	| '{' dict_seq '}'           { $$ = $2; SETLOC($$, @$); }
	| '{' dict_seq ',' '}'       { $$ = $2; SETLOC($$, @$); }
	| '{' test ':' test comp_clauses '}'
		{ $$ = dictcomp(ps, &@$, $2, $4, $5); }
	| '{' tl_seq '}'             { $$ = $2; $$->kind = HG_SET; SETLOC($$, @$); }
	| '{' tl_seq ',' '}'         { $$ = $2; $$->kind = HG_SET; SETLOC($$, @$); }
	| '{' tl_item comp_clauses '}'
		{ $$ = comp(ps, HG_SETCOMP, &@$, $2, $3); if (!$$) YYABORT; }
	;

/* Adjacent literals ("a" 'b' f"{c}") form one string. */
strings
	: STRING                     { $$ = hg_string_concat(ps, NULL, $1); }
	| strings STRING             { $$ = hg_string_concat(ps, $1, $2); }
	;

dict_seq
	: test ':' test              { $$ = mk2(ps, HG_DICT, &@$, $1, $3); }
	| dict_seq ',' test ':' test { $$ = $1; ADD($$, $3); ADD($$, $5); }
	;

subscripts
	: sub_seq                    { $$ = unwrap($1); }
	| sub_seq ','                { $$ = $1; SETLOC($$, @$); }
	;

sub_seq
	: subscript                  { $$ = mk1(ps, HG_TUPLE, &@$, $1); }
	| sub_seq ',' subscript      { $$ = $1; ADD($$, $3); SETLOC($$, @$); }
	;

subscript
	: test
	| opt_test ':' opt_test      { $$ = mk2(ps, HG_SLICE, &@$, $1, $3); ADD($$, NULL); }
	| opt_test ':' opt_test ':' opt_test
		{ $$ = mk2(ps, HG_SLICE, &@$, $1, $3); ADD($$, $5); }
	;

opt_test
	: %empty                     { $$ = NULL; }
	| test
	;

/* The call node is built here with an empty callee slot. */
arglist
	: argument                   { $$ = mk2(ps, HG_CALL, &@$, NULL, $1); }
	| arglist ',' argument       { $$ = $1; ADD($$, $3); }
	;

argument
	: test
	| test comp_clauses
		{
			$$ = comp(ps, HG_GENEXP, &@$, $1, $2);
			if (!$$) YYABORT;
			$$->op = HG_MARK_BAREGEN;
		}
	| NAME '=' test
		{ $$ = mk1(ps, HG_KWARG, &@$, $3); $$->v.s = $1; $$->v.len = strlen($1); }
	| '*' test                   { $$ = mk1(ps, HG_STARARG, &@$, $2); }
	| POW test                   { $$ = mk1(ps, HG_DSTARARG, &@$, $2); }
	;

/* for/if clauses of a comprehension, collected behind an empty slot for
** the element (filled by comp()). */
comp_clauses
	: comp_for                   { $$ = mk2(ps, HG_GENEXP, &@$, NULL, $1); }
	| comp_clauses comp_for      { $$ = $1; ADD($$, $2); }
	| comp_clauses comp_if       { $$ = $1; ADD($$, $2); }
	;

comp_for
	: FOR exprlist IN or_test
		{
			if (hg_check_target(ps, $2, HG_TARGET_FOR)) YYABORT;
			$$ = mk2(ps, HG_COMP_FOR, &@$, $2, $4);
		}
	;

comp_if
	: IF or_test                 { $$ = mk1(ps, HG_COMP_IF, &@$, $2); }
	;

%%

/* ---- error messages ---- */

/* Does the source end with a blank line?  The REPL sends one to close an
** open block, so input that ends early after it is an error, not a request
** for more lines. */
static int ends_blank(const hg_pstate *ps)
{
	size_t n = ps->len;
	const char *s = ps->text;
	if (n && s[n - 1] == '\n')
		n--;
	if (n && s[n - 1] == '\r')
		n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\f' || s[n - 1] == '\r'))
		n--;
	return n > 0 && s[n - 1] == '\n';
}

/* The source text of a token, for "unexpected 'x'" (first line, short). */
static int token_text(const hg_pstate *ps, const hg_lloc *l, char *buf, size_t cap)
{
	size_t len, from, to;
	const char *line = hg_unit_line(ps->u, l->first_line, &len);
	if (!line || l->first_column < 1)
		return 0;
	from = (size_t)l->first_column - 1;
	to = l->last_line == l->first_line ? (size_t)l->last_column : len;
	if (to > len)
		to = len;
	if (from >= to)
		return 0;
	if (to - from > 24) {
		snprintf(buf, cap, "%.*s...", 20, line + from);
	} else
		snprintf(buf, cap, "%.*s", (int)(to - from), line + from);
	return strchr(buf, '\'') == NULL;
}

/* Token names for messages: keywords and operators in quotes, kinds of
** token ("name", "end of line") as they are. */
static const char *quoted(const char *sname, char *buf, size_t cap)
{
	static const char *const plain[] = {
		"name", "number", "string", "indent", "dedent", "end of line",
		"end of file", "magic command", "augmented assignment",
	};
	if (sname[0] == '\'')
		return sname;
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (!strcmp(sname, plain[i]))
			return sname;
	snprintf(buf, cap, "'%s'", sname);
	return buf;
}

/* Do the brackets open at the error stay open to the end of the source?
** A rough scan of the unread text (strings and comments skipped). */
static int never_closed(const hg_pstate *ps)
{
	int depth = ps->depth;
	for (size_t i = ps->off; i < ps->len && depth > 0; i++) {
		char c = ps->text[i];
		if (c == '#') {
			while (i < ps->len && ps->text[i] != '\n')
				i++;
		} else if (c == '\'' || c == '"') {
			for (i++; i < ps->len && ps->text[i] != c && ps->text[i] != '\n'; i++)
				if (ps->text[i] == '\\')
					i++;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		}
	}
	return depth > 0;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, hg_pstate *ps)
{
	yysymbol_kind_t tok = yypcontext_token(ctx);
	const hg_lloc *l = yypcontext_location(ctx);
	yysymbol_kind_t exp[3];
	int nexp = yypcontext_expected_tokens(ctx, exp, 3);
	int only_indent = nexp == 1 && exp[0] == YYSYMBOL_INDENT;
	int except_finally = nexp == 2 &&
		((exp[0] == YYSYMBOL_EXCEPT && exp[1] == YYSYMBOL_FINALLY) ||
		 (exp[0] == YYSYMBOL_FINALLY && exp[1] == YYSYMBOL_EXCEPT));
	hg_syntax_error *e = ps->err;
	char text[64];

	if (ps->failed)
		return 0;
	if (ps->prev_tok == NAME && token_text(ps, &ps->prev_loc, text, sizeof text) &&
	    (!strcmp(text, "class") || !strcmp(text, "with") || !strcmp(text, "yield") ||
	     !strcmp(text, "async") || !strcmp(text, "await"))) {
		hg_error_at(ps, ps->prev_loc.first_line, ps->prev_loc.first_column,
		            "invalid syntax: '%s' is not part of the ha language", text);
	} else if (tok != YYSYMBOL_YYEOF && ps->depth > 0 &&
	           ps->paren[ps->depth - 1].line < l->first_line && never_closed(ps)) {
		/* as CPython: an error inside a bracket that the rest of the
		** source never closes is reported at that bracket */
		hg_error_at(ps, ps->paren[ps->depth - 1].line, ps->paren[ps->depth - 1].col,
		            "'%c' was never closed", ps->paren[ps->depth - 1].c);
	} else if (tok == YYSYMBOL_INDENT) {
		hg_error_at(ps, l->first_line, l->first_column, "unexpected indent");
		e->indentation = 1;
	} else if (tok == YYSYMBOL_YYEOF && ps->mode == HG_MODE_EXPR) {
		hg_error_at(ps, l->first_line, l->first_column, "invalid syntax");
	} else if (tok == YYSYMBOL_YYEOF) {
		if (ps->depth > 0) {
			hg_error_at(ps, ps->paren[ps->depth - 1].line, ps->paren[ps->depth - 1].col,
			            "'%c' was never closed", ps->paren[ps->depth - 1].c);
			e->incomplete = 1;
		} else {
			hg_error_at(ps, l->first_line, l->first_column, "%s",
			            only_indent ? "expected an indented block"
			            : except_finally ? "expected 'except' or 'finally' block"
			            : "unexpected EOF while parsing");
			e->indentation = only_indent;
			e->incomplete = !ends_blank(ps);
		}
	} else if (only_indent) {
		hg_error_at(ps, l->first_line, l->first_column, "expected an indented block");
		e->indentation = 1;
	} else if (except_finally) {
		hg_error_at(ps, l->first_line, l->first_column, "expected 'except' or 'finally' block");
	} else if (!strcmp(yysymbol_name(tok), "'='")) {
		hg_error_at(ps, l->first_line, l->first_column,
		            "invalid syntax: unexpected '=' (did you mean '=='?)");
	} else if (nexp == 1 && exp[0] != YYSYMBOL_NEWLINE) {
		hg_error_at(ps, l->first_line, l->first_column, "expected %s",
		            quoted(yysymbol_name(exp[0]), text, sizeof text));
	} else if (tok == YYSYMBOL_NEWLINE || tok == YYSYMBOL_DEDENT) {
		hg_error_at(ps, l->first_line, l->first_column,
		            "invalid syntax: unexpected end of line");
	} else if (tok == YYSYMBOL_MAGIC) {
		hg_error_at(ps, l->first_line, l->first_column,
		            "invalid syntax: a magic command must start the statement");
	} else if (token_text(ps, l, text, sizeof text)) {
		hg_error_at(ps, l->first_line, l->first_column, "invalid syntax: unexpected '%s'", text);
	} else {
		hg_error_at(ps, l->first_line, l->first_column, "invalid syntax: unexpected %s",
		            yysymbol_name(tok));
	}
	return 0;
}

void hg_perror(HG_PLTYPE *lloc, struct hg_pstate *ps, const char *msg)
{
	/* Only reached when the parser's stack is exhausted. */
	if (strstr(msg, "memory"))
		hg_error_at(ps, lloc->first_line, lloc->first_column,
		            "too many nested parentheses or expressions");
	else
		hg_error_at(ps, lloc->first_line, lloc->first_column, "%s", msg);
}
