/*
** valimpl.h — helpers shared by the value layer's own files (value.c,
** dict.c, ops.c, repr.c, str.c, format.c, containers.c, iter.c).  Not part
** of the interpreter's public contract: other layers use value.h.
*/
#ifndef HI_VALIMPL_H
#define HI_VALIMPL_H

#include "interp.h"

/* value.c */
int hi_list_reserve(hi_list *l, size_t need);
int64_t hi_range_len(const hi_range *r);
size_t hi_utf8_count(const char *s, size_t n);

/* dict.c */
void hi_dict_release(hi_dict *d);                /* free entries and index */
hi_val hi_dict_copy(hi_val d);                   /* same kind (dict or set) */
/* Find key: entry index or -1 (missing); -2 on error (unhashable). */
int hi_dict_equal(hi_val a, hi_val b);
int hi_dict_within(hi_dict *x, hi_dict *y, int values);   /* keys of x all in y (values equal) */

/* iter.c */
void hi_iter_release(hi_obj *o);
const char *hi_iter_kind_name(hi_val it);

/* str.c: UTF-8 helpers */
size_t hi_utf8_offset(const char *s, size_t n, size_t index);   /* byte offset of code point */
int hi_str_is_ascii(const hi_str *s);
hi_val hi_str_getitem(hi_val s, hi_val key);
int hi_str_contains(hi_val hay, hi_val needle);
void hi_init_str_methods(void);

/* containers.c */
void hi_init_container_methods(void);

/* ops.c: start op x0 op x1 ... over an iterable (start borrowed) */
hi_val hi_fold_binop(int op, hi_val iterable, hi_val start);

/* repr.c */
void hi_repr_into(hi_buf *b, hi_val v);          /* errors leave a pending exception */
/* print()'s text: items (a tuple) joined by sep, then end; -1 (b freed) on error */
int hi_print_text(hi_buf *b, hi_val items, hi_val sep, hi_val end, int *local);

/* Python's floor division and modulo on int64 (b != 0). */
static inline int64_t hi_floordiv_i(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}
static inline int64_t hi_mod_i(int64_t a, int64_t b)
{
	int64_t r = a % b;
	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

#endif
