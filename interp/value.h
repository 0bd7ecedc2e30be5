/*
** value.h — ha's values and the conventions every interpreter file follows.
**
** A value (hi_val) is 16 bytes passed by value: a kind tag, a rank-local
** flag and a payload.  None, bool, int and float are immediates; every
** other kind points to a refcounted object (hi_obj header first).
**
** Ownership (CPython's rule, stated once):
**   - a function that RETURNS an hi_val returns a NEW reference;
**   - hi_val ARGUMENTS are BORROWED unless a comment says "steals";
**   - containers hold references to their items.
** Errors: a function that can fail returns hi_err() (kind HI_ERROR) after
** setting the pending exception with hi_raise(); callers test hi_iserr()
** and pass the error up.  Functions returning int use 0 = ok, -1 = error.
**
** Rank-locality (LANGUAGE.md §5): v.local is 1 when the value can differ
** between ranks (comm.rank, x.larray, x.lshape, anything computed from
** them).  Operations OR their operands' flags; print() of a local value
** gathers every rank's text to rank 0 in rank order.
*/
#ifndef HI_VALUE_H
#define HI_VALUE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef enum hi_kind {
	HI_NONE, HI_BOOL, HI_INT, HI_FLOAT,          /* immediates */
	HI_STR, HI_COMPLEX, HI_LIST, HI_TUPLE, HI_DICT, HI_SET,
	HI_RANGE, HI_SLICE, HI_ELLIPSIS,
	HI_FUNC,      /* a user function (def / lambda) */
	HI_BUILTIN,   /* a C function from the registry */
	HI_METHOD,    /* a bound method: self + builtin or function */
	HI_MODULE,    /* a namespace: ht, ht.linalg, math, ... */
	HI_TYPE,      /* a type object: int, str, ValueError, ht.float32's class ... */
	HI_EXC,       /* an exception instance */
	HI_CELL,      /* a closure cell (never visible to programs) */
	HI_ITER,      /* an iterator (enumerate, zip, reversed, iter(list) ...) */
	HI_DTYPE,     /* ht.float32 ... (payload: runtime dtype code) */
	HI_DEVICE,    /* cpu:0 */
	HI_COMM,      /* a communicator */
	HI_ARRAY,     /* a DNDarray (runtime object) */
	HI_OBJECT,    /* an instance of a class written in C (hi_instance: ht.cluster.KMeans) */
	HI_KIND_COUNT,
	HI_ERROR = 255 /* not a value: an exception is pending */
} hi_kind;

typedef struct hi_obj hi_obj;

typedef struct hi_val {
	union {
		struct {
			uint8_t kind;     /* hi_kind */
			uint8_t local;    /* 1: rank-local value */
			uint16_t _pad;
			uint32_t _pad2;
		};
		uint64_t tag;     /* kind | local << 8, written whole by the constructors */
	};
	union {
		int64_t i;    /* HI_BOOL (0/1), HI_INT */
		double f;     /* HI_FLOAT */
		hi_obj *o;    /* every kind >= HI_STR */
	};
} hi_val;

/* Every heap object begins with this header. */
struct hi_obj {
	int64_t refs;
	uint8_t kind;     /* hi_kind, the same as the value's */
};

/* ---- immediates ---- */
static inline hi_val hi_none(void) { hi_val v; v.tag = HI_NONE; v.i = 0; return v; }
static inline hi_val hi_bool(int b) { hi_val v; v.tag = HI_BOOL; v.i = b != 0; return v; }
static inline hi_val hi_int(int64_t i) { hi_val v; v.tag = HI_INT; v.i = i; return v; }
static inline hi_val hi_float(double f) { hi_val v; v.tag = HI_FLOAT; v.f = f; return v; }
static inline hi_val hi_err(void) { hi_val v; v.tag = HI_ERROR; v.i = 0; return v; }
static inline int hi_iserr(hi_val v) { return v.kind == HI_ERROR; }
static inline int hi_isobj(hi_val v) { return v.kind >= HI_STR && v.kind != HI_ERROR; }
static inline hi_val hi_objval(void *o, int kind) { hi_val v; v.tag = (uint8_t)kind; v.o = (hi_obj *)o; return v; }
static inline hi_val hi_setlocal(hi_val v, int local) { v.local = (uint8_t)(v.local | (local != 0)); return v; }

/* ---- reference counting ---- */
void hi_free_obj(hi_obj *o);                  /* called when refs drops to 0 */
static inline hi_val hi_incref(hi_val v) { if (hi_isobj(v)) v.o->refs++; return v; }
static inline void hi_decref(hi_val v) { if (hi_isobj(v) && --v.o->refs == 0) hi_free_obj(v.o); }

/* ---- object layouts ---- */
typedef struct hi_str { hi_obj h; size_t len; int64_t hash; char s[]; } hi_str; /* UTF-8, NUL-terminated */
typedef struct hi_complex { hi_obj h; double re, im; } hi_complex;
/* A list; `view` marks the snapshot lists that dict.keys()/values()/items()
** return, so they print as dict_keys([...]) etc. like Python's views. */
typedef struct hi_list { hi_obj h; size_t len, cap; hi_val *items; int view; } hi_list;
typedef struct hi_tuple { hi_obj h; size_t len; hi_val items[]; } hi_tuple;
typedef struct hi_dict_entry { hi_val key, value; int64_t hash; } hi_dict_entry;
typedef struct hi_dict {                          /* insertion-ordered hash map */
	hi_obj h;
	size_t len;      /* live entries */
	size_t used;     /* entries slots used (live + deleted) */
	size_t cap;      /* capacity of entries */
	hi_dict_entry *entries;   /* deleted entries have key.kind == HI_ERROR */
	size_t nindex;   /* power of two */
	int64_t *index;  /* open addressing: -1 empty, -2 deleted, else entry index */
	uint64_t version; /* bumped when a key is added or removed or entries move:
	                     an (entry index, version) pair cached by the evaluator
	                     stays valid while version is unchanged */
} hi_dict;
/* A set is an hi_dict whose values are all None (hi_as_dict works on it). */
typedef struct hi_range { hi_obj h; int64_t start, stop, step; } hi_range;
typedef struct hi_slice { hi_obj h; hi_val start, stop, step; } hi_slice;   /* each may be None */

/* ---- constructors (each returns a new reference, or hi_err() on failure) ---- */
hi_val hi_str_new(const char *s, size_t len);   /* s NULL: len zero bytes to fill */
hi_val hi_str_cstr(const char *s);
hi_val hi_str_fmt(const char *fmt, ...);         /* printf-style */
hi_val hi_complex_new(double re, double im);
hi_val hi_list_new(size_t cap);                  /* empty, with capacity */
int hi_list_append(hi_val list, hi_val item);    /* item borrowed (increfed) */
hi_val hi_tuple_new(size_t len);                 /* items start as None; fill with hi_tuple_set */
void hi_tuple_set(hi_val tuple, size_t i, hi_val item);  /* steals item */
hi_val hi_tuple_pack(size_t n, ...);             /* n borrowed hi_val arguments */
hi_val hi_dict_new(void);
int hi_dict_set(hi_val dict, hi_val key, hi_val value);  /* borrowed; -1 on unhashable key */
int hi_dict_lookup(hi_val dict, hi_val key, hi_val *out); /* 1 found (*out new ref), 0 missing, -1 error */
int hi_dict_del(hi_val dict, hi_val key);        /* 1 removed, 0 missing, -1 error */
int hi_dict_set_str(hi_val dict, const char *key, hi_val value);
int hi_dict_get_str(hi_val dict, const char *key, hi_val *out);   /* 1 found, 0 missing */
/* The entry index of key (hash = hi_hash(key)): -1 missing, -2 error. */
int64_t hi_dict_find(hi_dict *d, hi_val key, int64_t hash);
hi_val hi_range_new(int64_t start, int64_t stop, int64_t step);
hi_val hi_slice_new(hi_val start, hi_val stop, hi_val step);      /* borrowed */

/* ---- accessors ---- */
static inline hi_str *hi_as_str(hi_val v) { return (hi_str *)v.o; }
static inline hi_list *hi_as_list(hi_val v) { return (hi_list *)v.o; }
static inline hi_tuple *hi_as_tuple(hi_val v) { return (hi_tuple *)v.o; }
static inline hi_dict *hi_as_dict(hi_val v) { return (hi_dict *)v.o; }
const char *hi_kind_name(hi_kind k);             /* "int", "str", "DNDarray" ... as Python's type names */
const char *hi_type_name(hi_val v);              /* type name of a value, for messages */

/* ---- generic protocol (implemented per kind in interp/) ---- */
hi_val hi_repr(hi_val v);            /* str object, as Python's repr() */
hi_val hi_to_str(hi_val v);          /* str object, as Python's str() */
int hi_truthy(hi_val v);             /* 1, 0, or -1 on error */
int64_t hi_hash(hi_val v, int *ok);  /* *ok = 0 and exception set for unhashable */
int hi_equal(hi_val a, hi_val b);    /* Python ==: 1, 0, -1 error (scalars, str, containers) */
hi_val hi_binop(int op, hi_val a, hi_val b);     /* op: hg_op; result new ref */
hi_val hi_unop(int op, hi_val a);
hi_val hi_compare(int op, hi_val a, hi_val b);   /* HG_OP_EQ..HG_OP_IS_NOT; usually a bool */
hi_val hi_getattr(hi_val obj, const char *name);
int hi_setattr(hi_val obj, const char *name, hi_val value);
hi_val hi_getitem(hi_val obj, hi_val key);
int hi_setitem(hi_val obj, hi_val key, hi_val value);
int hi_delitem(hi_val obj, hi_val key);
hi_val hi_len(hi_val v);             /* int, or error */
hi_val hi_iter(hi_val v);            /* an iterator */
/* Next item: 1 with *out set (new ref), 0 when exhausted, -1 on error. */
int hi_next(hi_val iter, hi_val *out);
hi_val hi_call(hi_val fn, int argc, const hi_val *argv, int nkw,
               const char *const *kwnames, const hi_val *kwvals);
/* Convenience */
int hi_as_int64(hi_val v, int64_t *out, const char *what);   /* int/bool/index */
int hi_as_double(hi_val v, double *out, const char *what);

/* Float formatting exactly as CPython's repr (shortest round-trip). */
void hi_format_double(double d, char *buf, size_t n);

/* ---- string building ---- */
typedef struct hi_buf { char *p; size_t len, cap; } hi_buf;
void hi_buf_add(hi_buf *b, const char *s, size_t n);
void hi_buf_adds(hi_buf *b, const char *s);
void hi_buf_addf(hi_buf *b, const char *fmt, ...);
void hi_buf_addval(hi_buf *b, hi_val strobj);    /* append a str object's bytes */
hi_val hi_buf_finish(hi_buf *b);                 /* -> str object; frees the buffer */
void hi_buf_free(hi_buf *b);

/* ==== additions by the value layer (interp/value.c, ops.c, containers.c,
** iter.c, repr.c, str.c, format.c) ==== */

/* ---- per-kind hooks ("type slots") ----
** Kinds implemented outside the value layer (functions, modules, types,
** exceptions, dtypes, devices, communicators, arrays) plug their behaviour
** in here at start-up; the generic protocol above consults the slots.
** Every slot is optional (NULL = the generic behaviour in brackets).
**   free     release the object's memory when refs reach 0 [free()]
**   repr/str Python's repr()/str() as a str object [<NAME object at 0x..>;
**            str defaults to repr]
**   truthy   1/0/-1 [1]
**   binop    called by hi_binop when EITHER operand's kind has it, before
**            any scalar/sequence rule (arrays win over numbers and lists,
**            like NumPy's __radd__); op is an hg_op, a or b is of this kind
**   unop     -x +x ~x (HG_OP_NEG/POS/INVERT)
**   compare  EQ NE LT LE GT GE when either operand's kind has it; may return
**            a non-bool (an elementwise array)  [identity / TypeError]
**   equal    Python == as a C truth value, used by containers, `in`, dict
**            keys [identity]
**   hash     [identity hash of the pointer]; set *ok = 0 and raise for
**            unhashable kinds
**   getitem/setitem/delitem   x[k], x[k] = v, del x[k]
**   len      an int value
**   iter     a new iterator (hi_seq_iter_new(x) iterates x[0], x[1] ... up
**            to len(x))
**   contains `item in x`: 1/0/-1
**   format   format(x, spec); an empty spec falls back to str() anyway
**   inplace  a op= b updating a in place (arrays); returns a new reference
**            to the result (usually a itself) [a = a op b] */
typedef struct hi_slots {
	void (*free)(hi_obj *o);
	hi_val (*repr)(hi_val v);
	hi_val (*str)(hi_val v);
	int (*truthy)(hi_val v);
	hi_val (*binop)(int op, hi_val a, hi_val b);
	hi_val (*unop)(int op, hi_val a);
	hi_val (*compare)(int op, hi_val a, hi_val b);
	int (*equal)(hi_val a, hi_val b);
	int64_t (*hash)(hi_val v, int *ok);
	hi_val (*getitem)(hi_val obj, hi_val key);
	int (*setitem)(hi_val obj, hi_val key, hi_val value);
	int (*delitem)(hi_val obj, hi_val key);
	hi_val (*len)(hi_val v);
	hi_val (*iter)(hi_val v);
	int (*contains)(hi_val container, hi_val item);
	hi_val (*format)(hi_val v, const char *spec);
	hi_val (*inplace)(int op, hi_val a, hi_val b);   /* a op= b, a of this kind */
	/* x(...) for callable kinds other than functions/builtins/types (dtypes) */
	hi_val (*call)(hi_val self, int argc, const hi_val *argv, int nkw,
	               const char *const *kwnames, const hi_val *kwvals);
} hi_slots;
hi_slots *hi_slots_of(int kind);                 /* never NULL for kind < HI_KIND_COUNT */
void hi_register_free(int kind, void (*fn)(hi_obj *));   /* = hi_slots_of(kind)->free = fn */
/* Allocate a zeroed object of `size` bytes with refs = 1 and the kind set
** (aborts with MemoryError semantics left to the caller: NULL on failure). */
void *hi_obj_alloc(size_t size, int kind);

/* ---- more constructors and container helpers ---- */
hi_val hi_set_new(void);
int hi_set_add(hi_val set, hi_val key);          /* borrowed; -1 on unhashable */
int hi_set_discard(hi_val set, hi_val key);      /* 1 removed, 0 missing, -1 error */
hi_val hi_list_from(hi_val iterable);            /* list(iterable) */
hi_val hi_tuple_from(hi_val iterable);           /* tuple(iterable) */
hi_val hi_set_from(hi_val iterable);             /* set(iterable) */
hi_val hi_dict_from(hi_val mapping_or_pairs);    /* dict(x): a dict or an iterable of pairs */
int hi_dict_update(hi_val dict, hi_val other);   /* d.update(other): dict or pairs */
/* Sort a list in place, stably; key: None or a callable (via hi_call). */
int hi_list_sort(hi_val list, hi_val key, int reverse);
int hi_contains(hi_val container, hi_val item);  /* `item in container`: 1/0/-1 */
/* Augmented assignment a op= b: lists extend in place, kinds with an
** inplace slot update in place, otherwise hi_binop.  New reference. */
hi_val hi_inplace_binop(int op, hi_val a, hi_val b);
/* Python's total ordering test a < b for scalars/str/sequences: 1/0/-1. */
int hi_less(hi_val a, hi_val b);
/* Normalise a slice against a length (CPython's PySlice_GetIndicesEx);
** returns the number of selected items, or -1 on error. */
int64_t hi_slice_indices(hi_val slice, int64_t len, int64_t *start,
                         int64_t *stop, int64_t *step);
/* Index normalisation: i (possibly negative) against len; -1 if out of range. */
static inline int64_t hi_norm_index(int64_t i, int64_t len) { if (i < 0) i += len; return (i < 0 || i >= len) ? -1 : i; }

/* ---- iterators (kind HI_ITER) ----
** The builtins expose these: enumerate(it, start), zip(*its), reversed(seq),
** map(fn, *its), filter(fn_or_None, it), iter(x). */
hi_val hi_enumerate_new(hi_val iterable, int64_t start);
hi_val hi_zip_new(int n, const hi_val *iterables);
hi_val hi_reversed_new(hi_val seq);              /* list/tuple/str/range/dict or len+getitem */
hi_val hi_map_new(hi_val fn, int n, const hi_val *iterables);
hi_val hi_filter_new(hi_val fn, hi_val iterable);
hi_val hi_seq_iter_new(hi_val seq);              /* seq[0], seq[1] ... while i < len(seq) */
/* An iterator driven by C: next() fills *out (new ref) and returns 1, 0 at
** the end, -1 on error; free_state (may be NULL) runs when the iterator dies. */
typedef int (*hi_iter_next_fn)(void *state, hi_val *out);
hi_val hi_iter_from_c(hi_iter_next_fn next, void (*free_state)(void *), void *state);

/* ---- formatting ---- */
/* format(v, spec) with Python's format-spec mini-language for
** int/bool/float/complex/str/None; other kinds use their format slot, or
** str() when spec is empty. */
hi_val hi_format_value(hi_val v, const char *spec);
/* fmt.format(*args, **kwargs): kwargs is a dict or None (borrowed). */
hi_val hi_str_format(hi_val fmt, int argc, const hi_val *argv, hi_val kwargs);
/* fmt % args (printf-style formatting on a str). */
hi_val hi_str_percent(hi_val fmt, hi_val args);
/* repr(str) for raw bytes: appends the quoted, escaped form to b. */
void hi_buf_add_quoted(hi_buf *b, const char *s, size_t n);

/* Integer arithmetic is 64-bit: a result that does not fit raises
** OverflowError("integer overflow") (ha has no big integers). */

#endif
