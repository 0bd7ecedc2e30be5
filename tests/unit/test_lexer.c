/*
** test_lexer.c — the tokenizer alone: layout (NEWLINE/INDENT/DEDENT),
** literals, magic lines, positions and lexical errors.  The token stream
** is rendered as a line of words: source text for names, keywords and
** operators, `int:42` `float:2.5` `str:"..."` for literals, NL IN DE EOF for
** layout tokens, and `!ERR l:c message` when the lexer reports an error.
** No MPI: the grammar objects do not use it.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "parse.h"
#include "parser.h"

typedef struct out {
	char buf[4096];
	size_t n;
} out;

static void put(out *o, const char *s)
{
	size_t l = strlen(s);
	if (o->n + l + 2 >= sizeof o->buf)
		return;
	if (o->n)
		o->buf[o->n++] = ' ';
	memcpy(o->buf + o->n, s, l + 1);
	o->n += l;
}

/* Tokens of src; with_pos appends @line:col to each. */
static char *lex2(const char *src, int with_pos)
{
	static out o;
	static hg_syntax_error err;
	hg_unit *u = hg_parse(src, strlen(src), "<lex>", NULL);
	hg_pstate *ps;
	memset(&o, 0, sizeof o);
	memset(&err, 0, sizeof err);
	ps = hg_lex_begin(u, u->src, u->srclen, 1, 1, HG_MODE_FILE, &err);
	ck_assert_ptr_nonnull(ps);
	for (int guard = 0; guard < 1000; guard++) {
		hg_sem v;
		hg_lloc l;
		char w[400];
		int t = hg_plex(&v, &l, ps);
		w[0] = 0;
		switch (t) {
		case START_FILE: continue;
		case HG_PEOF: snprintf(w, sizeof w, "EOF"); break;
		case HG_Perror:
			snprintf(w, sizeof w, "!ERR %d:%d %s%s%s", err.line, err.col, err.msg,
			         err.incomplete ? " +incomplete" : "", err.indentation ? " +indent" : "");
			break;
		case NEWLINE: snprintf(w, sizeof w, "NL"); break;
		case INDENT: snprintf(w, sizeof w, "IN"); break;
		case DEDENT: snprintf(w, sizeof w, "DE"); break;
		case NUMBER:
		case STRING: {
			char *d = hg_dump(v.node);
			/* (int 42) -> int:42 */
			char *sp = strchr(d, ' ');
			d[strlen(d) - 1] = 0;
			*sp = ':';
			snprintf(w, sizeof w, "%s", d + 1);
			free(d);
			break;
		}
		case MAGIC:
			snprintf(w, sizeof w, "magic:%s|%s", v.node->v.s, v.node->name2);
			break;
		default: {
			size_t len;
			const char *line = hg_unit_line(u, l.first_line, &len);
			snprintf(w, sizeof w, "%.*s", l.last_column - l.first_column + 1,
			         line + l.first_column - 1);
		}
		}
		if (with_pos && t != HG_Perror) {
			size_t k = strlen(w);
			snprintf(w + k, sizeof w - k, "@%d:%d", l.first_line, l.first_column);
		}
		put(&o, w);
		if (t == HG_PEOF || t == HG_Perror)
			break;
	}
	hg_lex_end(ps);
	hg_unit_release(u);
	return o.buf;
}

static char *lex(const char *src)
{
	return lex2(src, 0);
}

START_TEST(layout_indent_dedent)
{
	ck_assert_str_eq(lex("if x:\n    y = 1\nz\n"),
	                 "if x : NL IN y = int:1 NL DE z NL EOF");
}
END_TEST

START_TEST(layout_several_dedents_at_eof)
{
	/* no final newline: the lexer adds NEWLINE and closes every block */
	ck_assert_str_eq(lex("if a:\n  if b:\n    c"),
	                 "if a : NL IN if b : NL IN c NL DE DE EOF");
	ck_assert_str_eq(lex("if a:\n  if b:\n    c\nd\n"),
	                 "if a : NL IN if b : NL IN c NL DE DE d NL EOF");
}
END_TEST

START_TEST(layout_blank_and_comment_lines)
{
	ck_assert_str_eq(lex("x  # one\n\n   # indented comment\n\t\n  \ny\n"),
	                 "x NL y NL EOF");
	ck_assert_str_eq(lex(""), "EOF");
	ck_assert_str_eq(lex("\n\n# only a comment"), "EOF");
}
END_TEST

START_TEST(layout_brackets_join_lines)
{
	ck_assert_str_eq(lex("f(1,\n        2,\n[3,\n  {4: 5}])\n"),
	                 "f ( int:1 , int:2 , [ int:3 , { int:4 : int:5 } ] ) NL EOF");
}
END_TEST

START_TEST(layout_backslash_continuation)
{
	ck_assert_str_eq(lex("x = 1 + \\\n      2\ny\n"), "x = int:1 + int:2 NL y NL EOF");
	ck_assert_str_eq(lex("x = 1 \\ 2\n"),
	                 "x = int:1 !ERR 1:8 unexpected character after line continuation character");
}
END_TEST

START_TEST(layout_tabs)
{
	/* a tab is 8 columns; a line of 8 spaces after a tab line is a TabError */
	ck_assert_str_eq(lex("if x:\n\ty\n\tz\n"), "if x : NL IN y NL z NL DE EOF");
	ck_assert_str_eq(lex("if x:\n\ty\n        z\n"),
	                 "if x : NL IN y NL !ERR 3:9 inconsistent use of tabs and spaces in indentation +indent");
}
END_TEST

START_TEST(layout_crlf)
{
	ck_assert_str_eq(lex("if x:\r\n  y\r\n"), "if x : NL IN y NL DE EOF");
}
END_TEST

START_TEST(indent_errors)
{
	ck_assert_str_eq(lex("if x:\n    y\n  z\n"),
	                 "if x : NL IN y NL !ERR 3:3 unindent does not match any outer indentation level +indent");
}
END_TEST

START_TEST(positions)
{
	ck_assert_str_eq(lex2("x = 10\n  \nfoo(bar,\n  'q')\n", 1),
	                 "x@1:1 =@1:3 int:10@1:5 NL@1:7 foo@3:1 (@3:4 bar@3:5 ,@3:8 "
	                 "str:\"q\"@4:3 )@4:6 NL@4:7 EOF@5:1");
	/* INDENT and DEDENT sit at the first token of their line */
	ck_assert_str_eq(lex2("if a:\n   b\nc", 1),
	                 "if@1:1 a@1:4 :@1:5 NL@1:6 IN@2:4 b@2:4 NL@2:5 DE@3:1 c@3:1 NL@3:2 EOF@3:2");
}
END_TEST

START_TEST(keywords_and_names)
{
	ck_assert_str_eq(lex("iff in_ not in is None True False lambda_ _x\n"),
	                 "iff in_ not in is None True False lambda_ _x NL EOF");
	ck_assert_str_eq(lex("a ... b\n"), "a ... b NL EOF");
}
END_TEST

START_TEST(operators)
{
	ck_assert_str_eq(lex("a**=b//=c>>=d<<=e@=f**g//h<=i>=j==k!=l<<m>>n\n"),
	                 "a **= b //= c >>= d <<= e @= f ** g // h <= i >= j == k != l << m >> n NL EOF");
}
END_TEST

START_TEST(integer_literals)
{
	ck_assert_str_eq(lex("42 0x2A 0o17 0b101 1_000_000 0 00 0_0 9223372036854775807\n"),
	                 "int:42 int:42 int:15 int:5 int:1000000 int:0 int:0 int:0 "
	                 "int:9223372036854775807 NL EOF");
	ck_assert_str_eq(lex("9223372036854775808"),
	                 "!ERR 1:1 integer literal too large: ha integers are 64-bit (at most 9223372036854775807)");
	ck_assert_str_eq(lex("0xFFFFFFFFFFFFFFFFFFFF"),
	                 "!ERR 1:1 integer literal too large: ha integers are 64-bit (at most 9223372036854775807)");
}
END_TEST

START_TEST(float_and_imag_literals)
{
	ck_assert_str_eq(lex("1. .5 2.5e-3 1e10 1_0.2_5 3j 2.5j 1e3J\n"),
	                 "float:1.0 float:0.5 float:0.0025 float:10000000000.0 float:10.25 "
	                 "imag:3.0 imag:2.5 imag:1000.0 NL EOF");
}
END_TEST

START_TEST(bad_number_literals)
{
	ck_assert_str_eq(lex("x = 0777"),
	                 "x = !ERR 1:5 leading zeros in decimal integer literals are not permitted; "
	                 "use an 0o prefix for octal integers");
	ck_assert_str_eq(lex("1__0"), "!ERR 1:1 invalid decimal literal");
	ck_assert_str_eq(lex("12abc"), "!ERR 1:1 invalid decimal literal");
	ck_assert_str_eq(lex("0b102"), "!ERR 1:1 invalid binary literal");
	ck_assert_str_eq(lex("0x"), "!ERR 1:1 invalid hexadecimal literal");
}
END_TEST

START_TEST(string_escapes)
{
	ck_assert_str_eq(lex("'a\\n\\t\\\\\\'\\\"\\x41\\u00e9\\101\\0\\q'"),
	                 "str:\"a\\n\\t\\\\'\\\"A\xc3\xa9" "A\\x00\\\\q\" NL EOF");
	ck_assert_str_eq(lex("r'\\n\\d' R\"\\\"\""), "str:\"\\\\n\\\\d\" str:\"\\\\\\\"\" NL EOF");
	ck_assert_str_eq(lex("'\\x4'"), "!ERR 1:2 truncated \\xXX escape");
}
END_TEST

START_TEST(string_quotes_and_triples)
{
	ck_assert_str_eq(lex("\"it's\" 'say \"hi\"' '''a\n'b'\n''' \"\"\"x\"\"\" '' \"\"\n"),
	                 "str:\"it's\" str:\"say \\\"hi\\\"\" str:\"a\\n'b'\\n\" str:\"x\" str:\"\" str:\"\" NL EOF");
	/* a backslash-newline inside a short string joins the lines */
	ck_assert_str_eq(lex("'ab\\\ncd'\n"), "str:\"abcd\" NL EOF");
}
END_TEST

START_TEST(unterminated_strings)
{
	ck_assert_str_eq(lex("x = 'abc\ny = 1\n"),
	                 "x = !ERR 1:5 unterminated string literal (detected at line 1)");
	ck_assert_str_eq(lex("x = '''abc\ny = 1\n"),
	                 "x = !ERR 1:5 unterminated triple-quoted string literal (detected at line 2) +incomplete");
	ck_assert_str_eq(lex("b'x'"), "!ERR 1:1 bytes literals are not supported in ha");
}
END_TEST

START_TEST(magic_lines)
{
	ck_assert_str_eq(lex("%timeit -n 1 x @ y  \n"), "magic:timeit|-n 1 x @ y NL EOF");
	ck_assert_str_eq(lex("z = %timeit -n 1 -r 5 x @ y\n"), "z = magic:timeit|-n 1 -r 5 x @ y NL EOF");
	ck_assert_str_eq(lex("if c:\n    %who\n"), "if c : NL IN magic:who| NL DE EOF");
	ck_assert_str_eq(lex("%%px --target 0\n"), "magic:%px|--target 0 NL EOF");
	/* after an operand, '%' is the modulo operator */
	ck_assert_str_eq(lex("a %b\nc %= d\n"), "a % b NL c %= d NL EOF");
}
END_TEST

START_TEST(bad_characters_and_brackets)
{
	ck_assert_str_eq(lex("x = $"), "x = !ERR 1:5 invalid character '$' (U+0024)");
	ck_assert_str_eq(lex("a)"), "a !ERR 1:2 unmatched ')'");
	ck_assert_str_eq(lex("(a]"), "( a !ERR 1:3 closing parenthesis ']' does not match opening parenthesis '('");
	ck_assert_str_eq(lex("x\0y"), "x NL EOF");    /* C string: ends at the NUL */
}
END_TEST

START_TEST(null_byte_in_source)
{
	hg_syntax_error e;
	hg_unit *u = hg_parse("x = 1\0", 6, "<t>", &e);
	ck_assert_ptr_null(u->root);
	ck_assert_str_eq(e.msg, "source code cannot contain null bytes");
	ck_assert_int_eq(e.line, 1);
	ck_assert_int_eq(e.col, 6);
	hg_unit_release(u);
}
END_TEST

START_TEST(eof_after_continuation_is_incomplete)
{
	ck_assert_str_eq(lex("x = 1 + \\\n"), "x = int:1 + !ERR 2:1 unexpected EOF while parsing +incomplete");
	ck_assert_str_eq(lex("x = 1 + \\"), "x = int:1 + !ERR 1:9 unexpected EOF while parsing +incomplete");
}
END_TEST

START_TEST(unit_lines)
{
	size_t n;
	const char *l;
	hg_unit *u = hg_parse("a = 1\r\nbb = 2\n\nc\n", 17, "f.ha", NULL);
	ck_assert_ptr_nonnull(u->root);
	ck_assert_str_eq(u->filename, "f.ha");
	l = hg_unit_line(u, 1, &n);
	ck_assert_int_eq((int)n, 5);
	ck_assert_int_eq(strncmp(l, "a = 1", n), 0);
	l = hg_unit_line(u, 2, &n);
	ck_assert_int_eq(strncmp(l, "bb = 2", n), 0);
	ck_assert_int_eq((int)n, 6);
	hg_unit_line(u, 3, &n);
	ck_assert_int_eq((int)n, 0);
	l = hg_unit_line(u, 4, &n);
	ck_assert_int_eq((int)n, 1);
	ck_assert_ptr_null(hg_unit_line(u, 5, &n));
	ck_assert_ptr_null(hg_unit_line(u, 0, &n));
	hg_unit_retain(u);
	ck_assert_int_eq(u->refs, 2);
	hg_unit_release(u);
	hg_unit_release(u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("lexer");
	SRunner *sr;
	int failed;
	tcase_add_test(tc, layout_indent_dedent);
	tcase_add_test(tc, layout_several_dedents_at_eof);
	tcase_add_test(tc, layout_blank_and_comment_lines);
	tcase_add_test(tc, layout_brackets_join_lines);
	tcase_add_test(tc, layout_backslash_continuation);
	tcase_add_test(tc, layout_tabs);
	tcase_add_test(tc, layout_crlf);
	tcase_add_test(tc, indent_errors);
	tcase_add_test(tc, positions);
	tcase_add_test(tc, keywords_and_names);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, integer_literals);
	tcase_add_test(tc, float_and_imag_literals);
	tcase_add_test(tc, bad_number_literals);
	tcase_add_test(tc, string_escapes);
	tcase_add_test(tc, string_quotes_and_triples);
	tcase_add_test(tc, unterminated_strings);
	tcase_add_test(tc, magic_lines);
	tcase_add_test(tc, bad_characters_and_brackets);
	tcase_add_test(tc, null_byte_in_source);
	tcase_add_test(tc, eof_after_continuation_is_incomplete);
	tcase_add_test(tc, unit_lines);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
