/*
** test_parser.c — the grammar through hg_parse and hg_dump: every statement
** and expression form of LANGUAGE.md §1-3, precedence, f-strings, magic
** lines, syntax errors with their positions, IndentationError and the
** "incomplete input" signal the REPL relies on.
** A failed parse renders as "ERR line:col message [+incomplete] [+indent]".
** No MPI: the grammar objects do not use it.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

static char *parse(const char *src)
{
	static char out[8192];
	hg_syntax_error e;
	hg_unit *u = hg_parse(src, strlen(src), "<test>", &e);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->refs, 1);
	if (u->root) {
		char *d = hg_dump(u->root);
		snprintf(out, sizeof out, "%s", d);
		free(d);
	} else
		snprintf(out, sizeof out, "ERR %d:%d %s%s%s", e.line, e.col, e.msg,
		         e.incomplete ? " +incomplete" : "", e.indentation ? " +indent" : "");
	hg_unit_release(u);
	return out;
}

#define P(src, want) ck_assert_str_eq(parse(src), want)

/* ---- statements ---- */

START_TEST(assignments)
{
	P("x = 1 + 2", "(block (assign (name x) (binop + (int 1) (int 2))))");
	P("a = b = c", "(block (assign (name a) (name b) (name c)))");
	P("a, b = b, a", "(block (assign (tuple (name a) (name b)) (tuple (name b) (name a))))");
	P("(a, b), c = d", "(block (assign (tuple (tuple (name a) (name b)) (name c)) (name d)))");
	P("*a, b = c", "(block (assign (tuple (star (name a)) (name b)) (name c)))");
	P("[a, *b] = c", "(block (assign (list (name a) (star (name b))) (name c)))");
	P("x[i, 1:2] = v", "(block (assign (subscript (name x) (tuple (name i) (slice (int 1) (int 2) _))) (name v)))");
	P("x.y.z = 3", "(block (assign (attr (attr (name x) y) z) (int 3)))");
	P("x = 1, 2", "(block (assign (name x) (tuple (int 1) (int 2))))");
	P("x = 1,", "(block (assign (name x) (tuple (int 1))))");
	P("x = *a, *b", "(block (assign (name x) (tuple (star (name a)) (star (name b)))))");
}
END_TEST

START_TEST(augmented_assignments)
{
	P("x += 1\nx -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx **= 1\n"
	  "x @= 1\nx &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\n",
	  "(block (augassign += (name x) (int 1)) (augassign -= (name x) (int 1)) "
	  "(augassign *= (name x) (int 1)) (augassign /= (name x) (int 1)) "
	  "(augassign //= (name x) (int 1)) (augassign %= (name x) (int 1)) "
	  "(augassign **= (name x) (int 1)) (augassign @= (name x) (int 1)) "
	  "(augassign &= (name x) (int 1)) (augassign |= (name x) (int 1)) "
	  "(augassign ^= (name x) (int 1)) (augassign <<= (name x) (int 1)) "
	  "(augassign >>= (name x) (int 1)))");
	P("a[i] += b", "(block (augassign += (subscript (name a) (name i)) (name b)))");
}
END_TEST

START_TEST(if_while_for)
{
	P("if x:\n    a\nelif y:\n    b\nelif z: c\nelse:\n    d\n",
	  "(block (if (name x) (block (expr (name a))) (if (name y) (block (expr (name b))) "
	  "(if (name z) (block (expr (name c))) (block (expr (name d)))))))");
	P("if x: a; b\n", "(block (if (name x) (block (expr (name a)) (expr (name b))) _))");
	P("while i < 3:\n    i += 1\n    if i: break\nelse:\n    pass\n",
	  "(block (while (compare (name i) < (int 3)) (block (augassign += (name i) (int 1)) "
	  "(if (name i) (block (break)) _)) (block (pass))))");
	P("for i, j in enumerate(y):\n    continue\nelse: z\n",
	  "(block (for (tuple (name i) (name j)) (call (name enumerate) (name y)) "
	  "(block (continue)) (block (expr (name z)))))");
	P("for x in 1, 2: pass", "(block (for (name x) (tuple (int 1) (int 2)) (block (pass)) _))");
	P("for (a, b), c in z: pass",
	  "(block (for (tuple (tuple (name a) (name b)) (name c)) (name z) (block (pass)) _))");
}
END_TEST

START_TEST(function_definitions)
{
	P("def f(a, b=1, *args, c, d=2, **kw):\n    \"\"\"doc\"\"\"\n    return a, b\n",
	  "(block (def f (params (param a) (param b (int 1)) (param *args) (param kwonly:c) "
	  "(param kwonly:d (int 2)) (param **kw)) (block (expr (str \"doc\")) "
	  "(return (tuple (name a) (name b))))))");
	P("def g(a, *, b, c=3,): return", "(block (def g (params (param a) (param kwonly:b) "
	  "(param kwonly:c (int 3))) (block (return _))))");
	P("def h(): pass", "(block (def h (params) (block (pass))))");
	P("@dec\n@mod.dec(1)\ndef f(): pass\n",
	  "(block (def f (params) (block (pass)) (name dec) (call (attr (name mod) dec) (int 1))))");
	P("def outer():\n    x = 0\n    def inner():\n        nonlocal x\n        global g, h\n"
	  "        x += 1\n    return inner\n",
	  "(block (def outer (params) (block (assign (name x) (int 0)) (def inner (params) "
	  "(block (nonlocal (name x)) (global (name g) (name h)) (augassign += (name x) (int 1)))) "
	  "(return (name inner)))))");
}
END_TEST

START_TEST(lambdas)
{
	P("f = lambda: 0", "(block (assign (name f) (lambda (params) (int 0))))");
	P("f = lambda x, y=2, *a, **k: x + y",
	  "(block (assign (name f) (lambda (params (param x) (param y (int 2)) (param *a) "
	  "(param **k)) (binop + (name x) (name y)))))");
	P("g = lambda x: lambda y: x if y else -x",
	  "(block (assign (name g) (lambda (params (param x)) (lambda (params (param y)) "
	  "(ifexp (name y) (name x) (unary - (name x)))))))");
}
END_TEST

START_TEST(try_raise_assert_del)
{
	P("try:\n    x\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nexcept:\n    raise\n"
	  "else:\n    y\nfinally:\n    z\n",
	  "(block (try (block (expr (name x))) (block (except (tuple (name A) (name B)) as e "
	  "(block (pass))) (except (name C) (block (pass))) (except _ (block (raise _ _)))) "
	  "(block (expr (name y))) (block (expr (name z)))))");
	P("try: x\nfinally: y\n", "(block (try (block (expr (name x))) (block) _ (block (expr (name y)))))");
	P("try:\n    del a, b\nexcept NameError:\n    pass\n",
	  "(block (try (block (del (name a) (name b))) (block (except (name NameError) "
	  "(block (pass)))) _ _))");
	P("raise ValueError(\"m\") from e",
	  "(block (raise (call (name ValueError) (str \"m\")) (name e)))");
	P("assert c", "(block (assert (name c) _))");
	P("assert x > 0, \"neg\"", "(block (assert (compare (name x) > (int 0)) (str \"neg\")))");
	P("del a, b[i], x.y, (c, [d])",
	  "(block (del (name a) (subscript (name b) (name i)) (attr (name x) y) (name c) (name d)))");
}
END_TEST

START_TEST(imports)
{
	P("import heat as ht", "(block (import heat as ht))");
	P("import a.b.c", "(block (import a.b.c))");
	P("import a, b as c", "(block (block (import a) (import b as c)))");
	P("from heat import *", "(block (from heat *))");
	P("from m import x as y, z", "(block (from m (name x as y) (name z)))");
	P("from a.b import (c,\n   d,)", "(block (from a.b (name c) (name d)))");
}
END_TEST

START_TEST(magic_lines)
{
	P("%timeit -n 1 x @ y", "(block (magic timeit \"-n 1 x @ y\"))");
	P("z = %timeit -n 1 -r 5 x @ y \n",
	  "(block (assign (name z) (magic timeit \"-n 1 -r 5 x @ y\")))");
	P("for i in r:\n    %time f(i)\n%who\n",
	  "(block (for (name i) (name r) (block (magic time \"f(i)\")) _) (magic who \"\"))");
	P("%comm on; x = 1", "(block (magic comm \"on; x = 1\"))");
	P("x = 1; %help sum", "(block (assign (name x) (int 1)) (magic help \"sum\"))");
	P("y = a %b", "(block (assign (name y) (binop % (name a) (name b))))");
	P("f(%x)", "ERR 1:3 invalid syntax: unexpected '%'");
}
END_TEST

START_TEST(simple_statement_lists)
{
	P("a; b; c", "(block (expr (name a)) (expr (name b)) (expr (name c)))");
	P("a;\n", "(block (expr (name a)))");
	P("", "(block)");
	P("\n\n# just a comment\n", "(block)");
	P("pass\n\n\npass", "(block (pass) (pass))");
}
END_TEST

/* ---- expressions ---- */

START_TEST(precedence_arithmetic)
{
	P("-2**2", "(block (expr (unary - (binop ** (int 2) (int 2)))))");
	P("2**-1", "(block (expr (binop ** (int 2) (unary - (int 1)))))");
	P("2**3**2", "(block (expr (binop ** (int 2) (binop ** (int 3) (int 2)))))");
	P("a + b * c - d / e", "(block (expr (binop - (binop + (name a) (binop * (name b) (name c))) "
	  "(binop / (name d) (name e)))))");
	P("a @ b // c % d * e", "(block (expr (binop * (binop % (binop // (binop @ (name a) (name b)) "
	  "(name c)) (name d)) (name e))))");
	P("~-+x", "(block (expr (unary ~ (unary - (unary + (name x))))))");
	P("-x.y[1](2)", "(block (expr (unary - (call (subscript (attr (name x) y) (int 1)) (int 2)))))");
	P("(a + b) * c", "(block (expr (binop * (binop + (name a) (name b)) (name c))))");
}
END_TEST

START_TEST(precedence_bitwise_and_logic)
{
	P("a | b ^ c & d << e >> f + g",
	  "(block (expr (binop | (name a) (binop ^ (name b) (binop & (name c) "
	  "(binop >> (binop << (name d) (name e)) (binop + (name f) (name g))))))))");
	P("not a and b or c", "(block (expr (or (and (not (name a)) (name b)) (name c))))");
	P("a or b and c", "(block (expr (or (name a) (and (name b) (name c)))))");
	P("not a == b", "(block (expr (not (compare (name a) == (name b)))))");
	P("a | b == c & d", "(block (expr (compare (binop | (name a) (name b)) == "
	  "(binop & (name c) (name d)))))");
	P("x if c else y if d else z",
	  "(block (expr (ifexp (name c) (name x) (ifexp (name d) (name y) (name z)))))");
	P("a or b if c and d else e",
	  "(block (expr (ifexp (and (name c) (name d)) (or (name a) (name b)) (name e))))");
}
END_TEST

START_TEST(comparisons)
{
	P("a < b <= c != d not in e is not f in g is h > i >= j == k",
	  "(block (expr (compare (name a) < (name b) <= (name c) != (name d) not in (name e) "
	  "is not (name f) in (name g) is (name h) > (name i) >= (name j) == (name k))))");
	P("(a < b) < c", "(block (expr (compare (compare (name a) < (name b)) < (name c))))");
	P("a not in b", "(block (expr (compare (name a) not in (name b))))");
}
END_TEST

START_TEST(calls)
{
	P("f()", "(block (expr (call (name f))))");
	P("f(a, b=1, *c, **d)",
	  "(block (expr (call (name f) (name a) (kwarg b (int 1)) (star (name c)) (dstar (name d)))))");
	P("print(x, end=\"\",)", "(block (expr (call (name print) (name x) (kwarg end (str \"\")))))");
	P("sum(x for x in y)",
	  "(block (expr (call (name sum) (genexp (name x) (comp-for (name x) (name y))))))");
	P("f((x for x in y), 1)",
	  "(block (expr (call (name f) (genexp (name x) (comp-for (name x) (name y))) (int 1))))");
	P("f(a)(b).c[d]", "(block (expr (subscript (attr (call (call (name f) (name a)) (name b)) c) (name d))))");
	P("ht.zeros((3, 4), split=0)",
	  "(block (expr (call (attr (name ht) zeros) (tuple (int 3) (int 4)) (kwarg split (int 0)))))");
}
END_TEST

START_TEST(subscripts_and_slices)
{
	P("a[1:7]", "(block (expr (subscript (name a) (slice (int 1) (int 7) _))))");
	P("a[::2]", "(block (expr (subscript (name a) (slice _ _ (int 2)))))");
	P("a[::-1]", "(block (expr (subscript (name a) (slice _ _ (unary - (int 1))))))");
	P("a[:]", "(block (expr (subscript (name a) (slice _ _ _))))");
	P("a[-1]", "(block (expr (subscript (name a) (unary - (int 1)))))");
	P("a[..., None]", "(block (expr (subscript (name a) (tuple (ellipsis) (none)))))");
	P("a[i, j]", "(block (expr (subscript (name a) (tuple (name i) (name j)))))");
	P("a[1:2, ::3]", "(block (expr (subscript (name a) (tuple (slice (int 1) (int 2) _) "
	  "(slice _ _ (int 3))))))");
	P("a[i,]", "(block (expr (subscript (name a) (tuple (name i)))))");
	P("a[x > 0]", "(block (expr (subscript (name a) (compare (name x) > (int 0)))))");
}
END_TEST

START_TEST(displays)
{
	P("[]", "(block (expr (list)))");
	P("[1, 2,]", "(block (expr (list (int 1) (int 2))))");
	P("()", "(block (expr (tuple)))");
	P("(1,)", "(block (expr (tuple (int 1))))");
	P("(1)", "(block (expr (int 1)))");
	P("{}", "(block (expr (dict)))");
	P("{'a': 1, 'b': [2, 3],}", "(block (expr (dict (str \"a\") (int 1) (str \"b\") (list (int 2) (int 3)))))");
	P("{1, 2,}", "(block (expr (set (int 1) (int 2))))");
	P("[*a, *b]", "(block (expr (list (star (name a)) (star (name b)))))");
	P("True, False, None, ...", "(block (expr (tuple (true) (false) (none) (ellipsis))))");
}
END_TEST

START_TEST(comprehensions)
{
	P("[x * y for x in a if x for y in b if y if x != y]",
	  "(block (expr (listcomp (binop * (name x) (name y)) (comp-for (name x) (name a)) "
	  "(comp-if (name x)) (comp-for (name y) (name b)) (comp-if (name y)) "
	  "(comp-if (compare (name x) != (name y))))))");
	P("{k: v for k, v in d.items()}",
	  "(block (expr (dictcomp (name k) (name v) (comp-for (tuple (name k) (name v)) "
	  "(call (attr (name d) items))))))");
	P("{x for x in s}", "(block (expr (setcomp (name x) (comp-for (name x) (name s)))))");
	P("(x for x in range(3))",
	  "(block (expr (genexp (name x) (comp-for (name x) (call (name range) (int 3))))))");
	P("[a if c else b for x in y]",
	  "(block (expr (listcomp (ifexp (name c) (name a) (name b)) (comp-for (name x) (name y)))))");
}
END_TEST

START_TEST(literals)
{
	P("x = 3j + 2.5e-3 + 1. + .5 + 0x2A + 0o17 + 0b101 + 1_000_000",
	  "(block (assign (name x) (binop + (binop + (binop + (binop + (binop + (binop + "
	  "(binop + (imag 3.0) (float 0.0025)) (float 1.0)) (float 0.5)) (int 42)) (int 15)) "
	  "(int 5)) (int 1000000))))");
	P("1e16, 1e-5, 0.1, 123.456", "(block (expr (tuple (float 1e+16) (float 1e-05) (float 0.1) "
	  "(float 123.456))))");
	P("'a' \"b\" '''c'''", "(block (expr (str \"abc\")))");
	P("'\\t\\x41\\u00e9'", "(block (expr (str \"\\tA\xc3\xa9\")))");
	P("r'\\d+'", "(block (expr (str \"\\\\d+\")))");
}
END_TEST

START_TEST(fstrings)
{
	P("f\"{x.shape} {y:.3f} {n:>5} {v!r} {{lit}}\"",
	  "(block (expr (fstr (fmt (attr (name x) shape)) (str \" \") (fmt (name y) \".3f\") "
	  "(str \" \") (fmt (name n) \">5\") (str \" \") (fmt (name v) !r) (str \" {lit}\"))))");
	P("f\"{d['k']}\"", "(block (expr (fstr (fmt (subscript (name d) (str \"k\"))))))");
	P("f'{d[\"k\"]!s:>{w}}'",
	  "(block (expr (fstr (fmt (subscript (name d) (str \"k\")) !s (fstr (str \">\") (fmt (name w)))))))");
	P("f\"{x=}\"", "(block (expr (fstr (str \"x=\") (fmt (name x) !r))))");
	P("f\"{a != b}\"", "(block (expr (fstr (fmt (compare (name a) != (name b))))))");
	P("f\"{x:%H:%M}\"", "(block (expr (fstr (fmt (name x) \"%H:%M\"))))");
	P("'a' f'{b}' 'c'", "(block (expr (fstr (str \"a\") (fmt (name b)) (str \"c\"))))");
	P("f'plain\\n'", "(block (expr (str \"plain\\n\")))");
	P("f'{f\"{x}\"}'", "(block (expr (fstr (fmt (fstr (fmt (name x)))))))");
	P("f'{ {1: 2}[1] }'", "(block (expr (fstr (fmt (subscript (dict (int 1) (int 2)) (int 1))))))");
	P("f'{a, b}'", "(block (expr (fstr (fmt (tuple (name a) (name b))))))");
}
END_TEST

START_TEST(fstring_errors)
{
	P("f'{}'", "ERR 1:3 f-string: empty expression not allowed");
	P("f'{x!z}'", "ERR 1:6 f-string: invalid conversion character: expected 's', 'r', or 'a'");
	P("f'{x'", "ERR 1:3 f-string: expecting '}'");
	P("f'a}'", "ERR 1:4 f-string: single '}' is not allowed");
	P("f'{x +}'", "ERR 1:7 f-string: invalid syntax");
	/* the caret is at the real position inside a multi-line f-string */
	P("s = f\"\"\"\nab {x)}\"\"\"", "ERR 2:6 f-string: unmatched ')'");
}
END_TEST

START_TEST(node_locations)
{
	hg_syntax_error e;
	const char *src = "x = 1\nif y:\n    f(a,\n      b + c)\n";
	hg_unit *u = hg_parse(src, strlen(src), "<t>", &e);
	hg_node *r = u->root, *call, *bin;
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->nkids, 2);
	ck_assert_int_eq(r->kids[0]->loc.line, 1);
	ck_assert_int_eq(r->kids[1]->kind, HG_IF);
	ck_assert_int_eq(r->kids[1]->loc.line, 2);
	call = r->kids[1]->kids[1]->kids[0]->kids[0];
	ck_assert_int_eq(call->kind, HG_CALL);
	ck_assert_int_eq(call->loc.line, 3);
	ck_assert_int_eq(call->loc.col, 5);
	ck_assert_int_eq(call->loc.end_line, 4);
	ck_assert_int_eq(call->loc.end_col, 12);
	bin = call->kids[2];
	ck_assert_int_eq(bin->kind, HG_BINOP);
	ck_assert_int_eq(bin->loc.line, 4);
	ck_assert_int_eq(bin->loc.col, 7);
	ck_assert_int_eq(bin->loc.end_col, 11);
	hg_unit_release(u);
}
END_TEST

/* ---- errors ---- */

START_TEST(syntax_errors)
{
	P("x = )", "ERR 1:5 unmatched ')'");
	P("f(1,,2)", "ERR 1:5 invalid syntax: unexpected ','");
	P("x = 1 2", "ERR 1:7 invalid syntax: unexpected '2'");
	P("if x\n    y\n", "ERR 1:5 expected ':'");
	P("for x y in z: pass", "ERR 1:7 expected 'in'");
	P("if x = 1: pass", "ERR 1:6 invalid syntax: unexpected '=' (did you mean '=='?)");
	P("x = 1 +\n", "ERR 1:8 invalid syntax: unexpected end of line");
	P("a\nb = (1,\n  2 3)", "ERR 3:5 invalid syntax: unexpected '3'");
	P("class A: pass", "ERR 1:1 invalid syntax: 'class' is not part of the ha language");
	P("x = 'abc", "ERR 1:5 unterminated string literal (detected at line 1)");
	P("x = 9223372036854775808",
	  "ERR 1:5 integer literal too large: ha integers are 64-bit (at most 9223372036854775807)");
}
END_TEST

START_TEST(semantic_syntax_errors)
{
	P("1 = x", "ERR 1:1 cannot assign to literal");
	P("f() = 1", "ERR 1:1 cannot assign to function call");
	P("a, f() = 1, 2", "ERR 1:4 cannot assign to function call");
	P("x + 1 += 2", "ERR 1:1 'expression' is an illegal expression for augmented assignment");
	P("a, b += 1", "ERR 1:1 'tuple' is an illegal expression for augmented assignment");
	P("for f() in x: pass", "ERR 1:5 cannot assign to function call");
	P("*a = 1", "ERR 1:1 starred assignment target must be in a list or tuple");
	P("a, *b, *c = d", "ERR 1:8 multiple starred expressions in assignment");
	P("x = *a", "ERR 1:5 cannot use starred expression here");
	P("del f()", "ERR 1:5 cannot delete function call");
	P("def f(a=1, b): pass", "ERR 1:12 non-default argument follows default argument");
	P("def f(a, a): pass", "ERR 1:10 duplicate argument 'a' in function definition");
	P("def f(*, **k): pass", "ERR 1:7 named arguments must follow bare *");
	P("def f(**k, a): pass", "ERR 1:12 arguments cannot follow var-keyword argument");
	P("f(a=1, b)", "ERR 1:8 positional argument follows keyword argument");
	P("f(a=1, a=2)", "ERR 1:8 keyword argument repeated: a");
	P("f(x for x in y, 1)", "ERR 1:3 Generator expression must be parenthesized");
	P("[*a for a in b]", "ERR 1:2 iterable unpacking cannot be used in comprehension");
	P("return 1", "ERR 1:1 'return' outside function");
	P("break", "ERR 1:1 'break' outside loop");
	P("nonlocal x", "ERR 1:1 nonlocal declaration not allowed at module level");
	P("for x in y:\n    def f():\n        continue\n", "ERR 3:9 'continue' not properly in loop");
	P("try:\n    x\nexcept:\n    y\nexcept E:\n    z\n", "ERR 3:1 default 'except:' must be last");
}
END_TEST

START_TEST(indentation_errors)
{
	P("x = 1\n    y = 2\n", "ERR 2:5 unexpected indent +indent");
	P("  x = 1\n", "ERR 1:3 unexpected indent +indent");
	P("def f():\nreturn 1\n", "ERR 2:1 expected an indented block +indent");
	P("if x:\n        a\n    b\n", "ERR 3:5 unindent does not match any outer indentation level +indent");
	P("if x:\n\ta\n        b\n", "ERR 3:9 inconsistent use of tabs and spaces in indentation +indent");
}
END_TEST

START_TEST(incomplete_input)
{
	P("def f():\n", "ERR 2:1 expected an indented block +incomplete +indent");
	P("def f():", "ERR 1:9 expected an indented block +incomplete +indent");
	P("(1,\n", "ERR 1:1 '(' was never closed +incomplete");
	P("x = [1, 2,\n   3", "ERR 1:5 '[' was never closed +incomplete");
	P("if x:\n    y\nelse:\n", "ERR 4:1 expected an indented block +incomplete +indent");
	P("x = '''abc\n", "ERR 1:5 unterminated triple-quoted string literal (detected at line 1) +incomplete");
	P("x = 1 + \\\n", "ERR 2:1 unexpected EOF while parsing +incomplete");
	P("try:\n    x\n", "ERR 3:1 expected 'except' or 'finally' block +incomplete");
	/* a blank line closes the block: now it is an error, not a request for more */
	P("try:\n    x\n\n", "ERR 4:1 expected 'except' or 'finally' block");
	P("if x:\n\n", "ERR 3:1 expected an indented block +indent");
	/* complete, or wrong, but not incomplete */
	P("x = )", "ERR 1:5 unmatched ')'");
	P("x = 'abc\n", "ERR 1:5 unterminated string literal (detected at line 1)");
	P("x = 1 +", "ERR 1:8 invalid syntax: unexpected end of line");
	P("if x:\n    y\n", "(block (if (name x) (block (expr (name y))) _))");
}
END_TEST

START_TEST(nesting_limits)
{
	char src[1200];
	int n = 0;
	for (int i = 0; i < 150; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < 150; i++)
		src[n++] = ')';
	src[n] = 0;
	P(src, "(block (expr (int 1)))");
	n = 0;
	for (int i = 0; i < 250; i++)
		src[n++] = '[';
	src[n] = 0;
	P(src, "ERR 1:201 too many nested parentheses");
}
END_TEST

START_TEST(large_inputs)
{
	/* many statements and a long display: linear building, growing kid arrays */
	size_t cap = 40000 * 12 + 16, n = 0;
	char *src = malloc(cap);
	hg_syntax_error e;
	hg_unit *u;
	for (int i = 0; i < 40000; i++)
		n += (size_t)snprintf(src + n, cap - n, "x = x + %d\n", i % 10);
	u = hg_parse(src, n, "<big>", &e);
	ck_assert_ptr_nonnull(u->root);
	ck_assert_int_eq(u->root->nkids, 40000);
	ck_assert_int_eq(u->root->kids[39999]->loc.line, 40000);
	hg_unit_release(u);
	n = 0;
	src[n++] = '[';
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(src + n, cap - n, "%d,", i);
	src[n++] = ']';
	u = hg_parse(src, n, "<big>", &e);
	ck_assert_ptr_nonnull(u->root);
	ck_assert_int_eq(u->root->kids[0]->kids[0]->nkids, 5000);
	ck_assert_int_eq((int)u->root->kids[0]->kids[0]->kids[4999]->v.i, 4999);
	hg_unit_release(u);
	free(src);
}
END_TEST

START_TEST(names_and_ops)
{
	ck_assert_str_eq(hg_kind_name(HG_COMP_FOR), "comp-for");
	ck_assert_str_eq(hg_kind_name(HG_MAGIC), "magic");
	ck_assert_str_eq(hg_kind_name(HG_EXPR_STMT), "expr");
	ck_assert_str_eq(hg_op_text(HG_OP_NOT_IN), "not in");
	ck_assert_str_eq(hg_op_text(HG_OP_IS_NOT), "is not");
	ck_assert_str_eq(hg_op_text(HG_OP_MATMUL), "@");
	ck_assert_str_eq(hg_op_text(HG_OP_FLOORDIV), "//");
	for (int k = 0; k < HG_KIND_COUNT; k++)
		ck_assert_str_ne(hg_kind_name((hg_kind)k), "?");
}
END_TEST

START_TEST(tutorial_snippets)
{
	P("print(f\"Global shape of the dndarray: {dndarray.shape}\")\n"
	  "print(f\"On rank {dndarray.comm.rank}/{dndarray.comm.size}, local shape: {dndarray.lshape}\")\n",
	  "(block (expr (call (name print) (fstr (str \"Global shape of the dndarray: \") "
	  "(fmt (attr (name dndarray) shape))))) (expr (call (name print) (fstr (str \"On rank \") "
	  "(fmt (attr (attr (name dndarray) comm) rank)) (str \"/\") (fmt (attr (attr (name dndarray) "
	  "comm) size)) (str \", local shape: \") (fmt (attr (name dndarray) lshape))))))");
	P("%timeit -n 1 dndarray.sum(axis=0)", "(block (magic timeit \"-n 1 dndarray.sum(axis=0)\"))");
	P("x = ht.arange(10, split=0)[::-1]\nx[x > 5] = 0\n",
	  "(block (assign (name x) (subscript (call (attr (name ht) arange) (int 10) (kwarg split (int 0))) "
	  "(slice _ _ (unary - (int 1))))) (assign (subscript (name x) (compare (name x) > (int 5))) (int 0)))");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("parser");
	SRunner *sr;
	int failed;
	tcase_add_test(tc, assignments);
	tcase_add_test(tc, augmented_assignments);
	tcase_add_test(tc, if_while_for);
	tcase_add_test(tc, function_definitions);
	tcase_add_test(tc, lambdas);
	tcase_add_test(tc, try_raise_assert_del);
	tcase_add_test(tc, imports);
	tcase_add_test(tc, magic_lines);
	tcase_add_test(tc, simple_statement_lists);
	tcase_add_test(tc, precedence_arithmetic);
	tcase_add_test(tc, precedence_bitwise_and_logic);
	tcase_add_test(tc, comparisons);
	tcase_add_test(tc, calls);
	tcase_add_test(tc, subscripts_and_slices);
	tcase_add_test(tc, displays);
	tcase_add_test(tc, comprehensions);
	tcase_add_test(tc, literals);
	tcase_add_test(tc, fstrings);
	tcase_add_test(tc, fstring_errors);
	tcase_add_test(tc, node_locations);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, semantic_syntax_errors);
	tcase_add_test(tc, indentation_errors);
	tcase_add_test(tc, incomplete_input);
	tcase_add_test(tc, nesting_limits);
	tcase_add_test(tc, large_inputs);
	tcase_add_test(tc, names_and_ops);
	tcase_add_test(tc, tutorial_snippets);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
