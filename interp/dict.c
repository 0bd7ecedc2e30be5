/*
** dict.c — hashing (CPython's numeric hash, so 1, 1.0 and True are the
** same key) and the insertion-ordered hash table behind dict and set.
**
** Layout (value.h): entries[] in insertion order, deleted ones marked by
** key.kind == HI_ERROR; index[] is an open-addressing table (size a power
** of two, CPython's perturbed probing) holding entry positions.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

#define HASH_BITS 61
#define HASH_MOD (((uint64_t)1 << HASH_BITS) - 1)
#define IDX_EMPTY (-1)
#define IDX_DUMMY (-2)

static int64_t fix_hash(uint64_t x)
{
	return (int64_t)x == -1 ? -2 : (int64_t)x;
}

static int64_t hash_int(int64_t i)
{
	uint64_t a = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	uint64_t h = a % HASH_MOD;
	return fix_hash(i < 0 ? (uint64_t)0 - h : h);
}

/* CPython's _Py_HashDouble: consistent with hash_int for integral values. */
static int64_t hash_double(double v)
{
	if (isinf(v))
		return v > 0 ? 314159 : -314159;
	if (isnan(v))
		return 0;
	if (v == floor(v) && fabs(v) < 9.2e18)
		return hash_int((int64_t)v);
	int e;
	double m = frexp(v, &e);
	int sign = 1;
	if (m < 0) {
		sign = -1;
		m = -m;
	}
	uint64_t x = 0;
	while (m) {
		x = ((x << 28) & HASH_MOD) | x >> (HASH_BITS - 28);
		m *= 268435456.0;
		e -= 28;
		uint64_t y = (uint64_t)m;
		m -= (double)y;
		x += y;
		if (x >= HASH_MOD)
			x -= HASH_MOD;
	}
	e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
	x = ((x << e) & HASH_MOD) | x >> (HASH_BITS - e);
	x = x * (uint64_t)(int64_t)sign;
	return fix_hash(x);
}

static int64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return fix_hash(h);
}

/* CPython 3.8+'s tuple hash (xxHash-based). */
static int64_t hash_tuple(hi_tuple *t, int *ok)
{
	const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
		p5 = 2870177450012600261ULL;
	uint64_t acc = p5;
	for (size_t i = 0; i < t->len; i++) {
		uint64_t lane = (uint64_t)hi_hash(t->items[i], ok);
		if (!*ok)
			return -1;
		acc += lane * p2;
		acc = (acc << 31) | (acc >> 33);
		acc *= p1;
	}
	acc += t->len ^ (p5 ^ 3527539UL);
	if (acc == (uint64_t)-1)
		return 1546275796;
	return (int64_t)acc;
}

int64_t hi_hash(hi_val v, int *ok)
{
	*ok = 1;
	switch (v.kind) {
	case HI_NONE: return 0x5a5a5a5a;
	case HI_BOOL:
	case HI_INT: return hash_int(v.i);
	case HI_FLOAT: return hash_double(v.f);
	case HI_STR: {
		hi_str *s = hi_as_str(v);
		if (s->hash == -1)
			s->hash = hash_bytes(s->s, s->len);
		return s->hash;
	}
	case HI_COMPLEX: {
		hi_complex *c = (hi_complex *)v.o;
		uint64_t h = (uint64_t)hash_double(c->re) + 1000003ULL * (uint64_t)hash_double(c->im);
		return fix_hash(h);
	}
	case HI_TUPLE: return hash_tuple(hi_as_tuple(v), ok);
	case HI_RANGE: {
		hi_range *r = (hi_range *)v.o;
		return fix_hash((uint64_t)hash_int(r->start) * 31 + (uint64_t)hash_int(r->stop) * 7 + (uint64_t)r->step);
	}
	case HI_LIST: case HI_DICT: case HI_SET: case HI_SLICE:
		*ok = 0;
		hi_raise(hi_TypeError, "unhashable type: '%s'", hi_type_name(v));
		return -1;
	default:
		if (v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->hash)
			return hi_slots_of(v.kind)->hash(v, ok);
		return fix_hash((uint64_t)(uintptr_t)v.o >> 4);
	}
}

/* ---- the table ---- */

static hi_val dict_alloc(int kind)
{
	hi_dict *d = hi_obj_alloc(sizeof *d, kind);
	if (!d)
		return hi_raise(hi_MemoryError, "out of memory");
	return hi_objval(d, kind);
}

hi_val hi_dict_new(void) { return dict_alloc(HI_DICT); }
hi_val hi_set_new(void) { return dict_alloc(HI_SET); }

void hi_dict_release(hi_dict *d)
{
	for (size_t i = 0; i < d->used; i++) {
		if (d->entries[i].key.kind == HI_ERROR)
			continue;
		hi_decref(d->entries[i].key);
		hi_decref(d->entries[i].value);
	}
	free(d->entries);
	free(d->index);
}

static int keys_equal(const hi_dict_entry *e, hi_val key, int64_t hash)
{
	if (e->hash != hash)
		return 0;
	if (e->key.kind == key.kind) {
		if (key.kind <= HI_FLOAT && e->key.i == key.i)
			return 1;
		if (hi_isobj(key) && e->key.o == key.o)
			return 1;
	}
	return hi_equal(e->key, key);
}

/* Probe for key; *slot gets the index position where it is or could go. */
static int64_t probe(hi_dict *d, hi_val key, int64_t hash, size_t *slot)
{
	size_t mask = d->nindex - 1, i = (size_t)hash & mask;
	uint64_t perturb = (uint64_t)hash;
	size_t free_slot = (size_t)-1;
	for (;;) {
		int64_t ix = d->index[i];
		if (ix == IDX_EMPTY) {
			*slot = free_slot != (size_t)-1 ? free_slot : i;
			return -1;
		}
		if (ix == IDX_DUMMY) {
			if (free_slot == (size_t)-1)
				free_slot = i;
		} else {
			int eq = keys_equal(&d->entries[ix], key, hash);
			if (eq < 0)
				return -2;
			if (eq) {
				*slot = i;
				return ix;
			}
		}
		perturb >>= 5;
		i = (i * 5 + 1 + (size_t)perturb) & mask;
	}
}

int64_t hi_dict_find(hi_dict *d, hi_val key, int64_t hash)
{
	if (!d->nindex)
		return -1;
	size_t slot;
	return probe(d, key, hash, &slot);
}

/* Rebuild the index (and compact the entries) for at least `want` entries. */
static int rebuild(hi_dict *d, size_t want)
{
	size_t n = 8;
	while (n * 2 < want * 3)
		n *= 2;
	int64_t *index = malloc(n * sizeof(int64_t));
	if (!index) {
		hi_raisei(hi_MemoryError, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		index[i] = IDX_EMPTY;
	size_t j = 0;
	for (size_t i = 0; i < d->used; i++)
		if (d->entries[i].key.kind != HI_ERROR)
			d->entries[j++] = d->entries[i];
	d->used = j;
	for (size_t k = 0; k < j; k++) {
		size_t m = n - 1, s = (size_t)d->entries[k].hash & m;
		uint64_t perturb = (uint64_t)d->entries[k].hash;
		while (index[s] != IDX_EMPTY) {
			perturb >>= 5;
			s = (s * 5 + 1 + (size_t)perturb) & m;
		}
		index[s] = (int64_t)k;
	}
	free(d->index);
	d->index = index;
	d->nindex = n;
	d->version++;
	return 0;
}

static int insert(hi_val dict, hi_val key, hi_val value, int overwrite)
{
	hi_dict *d = hi_as_dict(dict);
	int ok;
	int64_t h = hi_hash(key, &ok);
	if (!ok)
		return -1;
	if (!d->nindex && rebuild(d, 8) < 0)
		return -1;
	size_t slot;
	int64_t ix = probe(d, key, h, &slot);
	if (ix == -2)
		return -1;
	if (ix >= 0) {
		if (overwrite) {
			hi_val old = d->entries[ix].value;
			d->entries[ix].value = hi_incref(value);
			hi_decref(old);
		}
		return 0;
	}
	if ((d->used + 1) * 3 > d->nindex * 2 || d->used == d->cap) {
		if ((d->used + 1) * 3 > d->nindex * 2 && rebuild(d, (d->len + 1) * 2) < 0)
			return -1;
		if (d->used == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 8;
			hi_dict_entry *e = realloc(d->entries, cap * sizeof *e);
			if (!e)
				return hi_raisei(hi_MemoryError, "out of memory");
			d->entries = e;
			d->cap = cap;
		}
		probe(d, key, h, &slot);
	}
	d->entries[d->used] = (hi_dict_entry){ hi_incref(key), hi_incref(value), h };
	d->index[slot] = (int64_t)d->used++;
	d->len++;
	d->version++;
	return 0;
}

int hi_dict_set(hi_val dict, hi_val key, hi_val value)
{
	return insert(dict, key, value, 1);
}

int hi_set_add(hi_val set, hi_val key)
{
	return insert(set, key, hi_none(), 0);
}

int hi_dict_lookup(hi_val dict, hi_val key, hi_val *out)
{
	hi_dict *d = hi_as_dict(dict);
	int ok;
	int64_t h = hi_hash(key, &ok);
	if (!ok)
		return -1;
	int64_t ix = hi_dict_find(d, key, h);
	if (ix == -2)
		return -1;
	if (ix < 0)
		return 0;
	if (out)
		*out = hi_incref(d->entries[ix].value);
	return 1;
}

int hi_dict_del(hi_val dict, hi_val key)
{
	hi_dict *d = hi_as_dict(dict);
	int ok;
	int64_t h = hi_hash(key, &ok);
	if (!ok)
		return -1;
	if (!d->nindex)
		return 0;
	size_t slot;
	int64_t ix = probe(d, key, h, &slot);
	if (ix == -2)
		return -1;
	if (ix < 0)
		return 0;
	hi_val k = d->entries[ix].key, v = d->entries[ix].value;
	d->entries[ix].key = hi_err();
	d->entries[ix].value = hi_none();
	d->index[slot] = IDX_DUMMY;
	d->len--;
	d->version++;
	hi_decref(k);
	hi_decref(v);
	return 1;
}

int hi_set_discard(hi_val set, hi_val key)
{
	return hi_dict_del(set, key);
}

int hi_dict_set_str(hi_val dict, const char *key, hi_val value)
{
	hi_val k = hi_str_cstr(key);
	if (hi_iserr(k))
		return -1;
	int r = hi_dict_set(dict, k, value);
	hi_decref(k);
	return r;
}

/* A lookup by C string without making a str key: attribute and method
** names, module members.  Only str keys can match a str (a str never
** equals a number or any other kind of key). */
int hi_dict_get_str(hi_val dict, const char *key, hi_val *out)
{
	hi_dict *d = hi_as_dict(dict);
	if (!d->nindex)
		return 0;
	size_t n = strlen(key);
	int64_t hash = hash_bytes(key, n);
	size_t mask = d->nindex - 1, i = (size_t)hash & mask;
	uint64_t perturb = (uint64_t)hash;
	for (;;) {
		int64_t ix = d->index[i];
		if (ix == IDX_EMPTY)
			return 0;
		if (ix != IDX_DUMMY) {
			const hi_dict_entry *e = &d->entries[ix];
			if (e->hash == hash && e->key.kind == HI_STR && hi_as_str(e->key)->len == n
			    && !memcmp(hi_as_str(e->key)->s, key, n)) {
				*out = hi_incref(e->value);
				return 1;
			}
		}
		perturb >>= 5;
		i = (i * 5 + 1 + (size_t)perturb) & mask;
	}
}

hi_val hi_dict_copy(hi_val src)
{
	hi_val d = dict_alloc(src.kind);
	if (hi_iserr(d))
		return d;
	hi_dict *s = hi_as_dict(src);
	for (size_t i = 0; i < s->used; i++) {
		hi_dict_entry *e = &s->entries[i];
		if (e->key.kind != HI_ERROR && insert(d, e->key, e->value, 1) < 0) {
			hi_decref(d);
			return hi_err();
		}
	}
	return d;
}

/* Every key of x is in y, with an equal value when values is set: 1, 0,
** or -1 on error. */
int hi_dict_within(hi_dict *x, hi_dict *y, int values)
{
	for (size_t i = 0; i < x->used; i++) {
		hi_dict_entry *e = &x->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		int64_t ix = hi_dict_find(y, e->key, e->hash);
		if (ix == -2)
			return -1;
		if (ix < 0)
			return 0;
		if (values) {
			int eq = hi_equal(e->value, y->entries[ix].value);
			if (eq <= 0)
				return eq;
		}
	}
	return 1;
}

/* dict == dict: same keys with equal values; set == set: same members. */
int hi_dict_equal(hi_val a, hi_val b)
{
	hi_dict *x = hi_as_dict(a), *y = hi_as_dict(b);
	if (x->len != y->len)
		return 0;
	return hi_dict_within(x, y, a.kind == HI_DICT);
}
