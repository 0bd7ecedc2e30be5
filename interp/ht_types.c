/*
** ht_types.c — dtype functions: astype promote_types result_type can_cast
** finfo iinfo issubdtype heat_type_of canonical_heat_type.  None of them
** communicates.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

static hi_val f_astype(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	if (hi_get_dtype(a[1], &t))
		return hi_err();
	int copy = hi_truthy(a[2]);
	if (copy < 0)
		return hi_err();
	if (a[0].kind != HI_ARRAY) {
		ha_array *x = hi_as_array(a[0], (int)t, NULL);
		return hi_array_new(x);
	}
	if (!copy) {
		if (ha_astype_(hi_arr(a[0]), t))
			return hi_raise_ha();
		return hi_incref(a[0]);
	}
	return hi_array_new(ha_astype(hi_arr(a[0]), t));
}

static hi_val f_promote_types(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype x, y;
	if (hi_get_dtype(a[0], &x) || hi_get_dtype(a[1], &y))
		return hi_err();
	return hi_dtype_value(ha_promote_types(x, y));
}

/* The dtype and result_type precedence of one argument. */
static int operand_type(hi_val v, ha_dtype *t, int *kind)
{
	if (hi_operand_type(v, t, kind))
		return 0;
	*kind = HA_OPERAND_TYPE;
	return hi_get_dtype(v, t);
}

static hi_val f_result_type(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	if (t->len == 0)
		return hi_raise(hi_ValueError, "at least one array or dtype is required");
	ha_dtype r;
	int rk;
	if (operand_type(t->items[0], &r, &rk))
		return hi_err();
	for (size_t i = 1; i < t->len; i++) {
		ha_dtype x;
		int xk;
		if (operand_type(t->items[i], &x, &xk))
			return hi_err();
		r = ha_result_type(r, rk, x, xk);
		if (xk < rk)
			rk = xk;
	}
	return hi_dtype_value(r);
}

static hi_val f_can_cast(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype from, to;
	int kind;
	if (operand_type(a[0], &from, &kind) || hi_get_dtype(a[1], &to))
		return hi_err();
	if (a[2].kind != HI_STR)
		return hi_raise(hi_TypeError, "casting must be a string");
	int r = ha_can_cast(from, to, hi_as_str(a[2])->s);
	if (r < 0)
		return hi_raise_ha();
	return hi_bool(r);
}

static hi_val info_module(const char *name, ha_dtype t)
{
	char nm[64];
	snprintf(nm, sizeof nm, "%s(dtype=%s)", name, ha_dtype_name(t));
	return hi_module_new(nm, NULL);
}

static hi_val f_finfo(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	int kind;
	if (operand_type(a[0], &t, &kind))
		return hi_err();
	ha_finfo f;
	if (ha_finfo_get(t, &f))
		return hi_raise_ha();
	hi_val m = info_module("finfo", ha_dtype_real(t));
	if (hi_iserr(m))
		return m;
	hi_val d = hi_module_dict(m);
	hi_dict_set_str(d, "bits", hi_int(f.bits));
	hi_dict_set_str(d, "eps", hi_float(f.eps));
	hi_dict_set_str(d, "max", hi_float(f.max));
	hi_dict_set_str(d, "min", hi_float(f.min));
	hi_dict_set_str(d, "tiny", hi_float(f.tiny));
	hi_dict_set_str(d, "resolution", hi_float(f.bits == 32 ? 1e-6 : 1e-15));
	hi_val dt = hi_dtype_value(ha_dtype_real(t));
	hi_dict_set_str(d, "dtype", dt);
	hi_decref(dt);
	return m;
}

static hi_val f_iinfo(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	int kind;
	if (operand_type(a[0], &t, &kind))
		return hi_err();
	ha_iinfo f;
	if (ha_iinfo_get(t, &f))
		return hi_raise_ha();
	hi_val m = info_module("iinfo", t);
	if (hi_iserr(m))
		return m;
	hi_val d = hi_module_dict(m);
	hi_dict_set_str(d, "bits", hi_int(f.bits));
	hi_dict_set_str(d, "min", hi_int(f.min));
	hi_dict_set_str(d, "max", hi_int(f.max));
	hi_val dt = hi_dtype_value(t);
	hi_dict_set_str(d, "dtype", dt);
	hi_decref(dt);
	return m;
}

/* issubdtype(arg1, arg2): arg2 may be a dtype or one of the abstract
** names 'number', 'integer', 'signedinteger', 'unsignedinteger',
** 'floating', 'complexfloating', 'inexact', 'bool'. */
static hi_val f_issubdtype(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	int kind;
	if (operand_type(a[0], &t, &kind))
		return hi_err();
	if (a[1].kind == HI_STR) {
		const char *c = hi_as_str(a[1])->s;
		ha_typekind k = ha_dtype_kind(t);
		int r;
		if (!strcmp(c, "number"))
			r = k != HA_KIND_BOOL;
		else if (!strcmp(c, "integer"))
			r = k == HA_KIND_INT;
		else if (!strcmp(c, "signedinteger"))
			r = k == HA_KIND_INT && t != HA_UINT8;
		else if (!strcmp(c, "unsignedinteger"))
			r = t == HA_UINT8;
		else if (!strcmp(c, "floating"))
			r = k == HA_KIND_FLOAT;
		else if (!strcmp(c, "complexfloating"))
			r = k == HA_KIND_COMPLEX;
		else if (!strcmp(c, "inexact"))
			r = k == HA_KIND_FLOAT || k == HA_KIND_COMPLEX;
		else if (!strcmp(c, "bool") || !strcmp(c, "bool_"))
			r = k == HA_KIND_BOOL;
		else {
			ha_dtype u;
			if (hi_get_dtype(a[1], &u))
				return hi_err();
			r = t == u;
		}
		return hi_bool(r);
	}
	ha_dtype u;
	if (hi_get_dtype(a[1], &u))
		return hi_err();
	return hi_bool(t == u);
}

static hi_val f_heat_type_of(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	int kind;
	if (a[0].kind == HI_LIST || a[0].kind == HI_TUPLE) {
		ha_array *x = hi_as_array(a[0], -1, NULL);
		if (!x)
			return hi_err();
		t = x->dtype;
		ha_release(x);
		return hi_dtype_value(t);
	}
	if (operand_type(a[0], &t, &kind))
		return hi_err();
	return hi_dtype_value(t);
}

static hi_val f_canonical_heat_type(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_dtype t;
	if (hi_get_dtype(a[0], &t))
		return hi_err();
	return hi_dtype_value(t);
}

static const hi_builtin_def types_defs[] = {
	{ "promote_types(type1, type2)", f_promote_types,
	  "The smallest dtype both types can be cast to 'safely or intuitively'\n"
	  "(Heat's rule: int32 with float32 gives float32, int64 with float32 gives\n"
	  "float64, uint8 with int8 gives int16). Not collective.\n\n"
	  "Example: ht.promote_types(ht.int32, ht.float32) -> ht.float32" },
	{ "result_type(*arrays_and_types)", f_result_type,
	  "The dtype of an operation on the arguments (arrays, dtypes, Python\n"
	  "numbers). Arrays with ndim > 0 take precedence over dtypes, those over\n"
	  "0-d arrays, those over Python numbers: a Python number only changes the\n"
	  "kind (int32 array + 1.5 -> float32), never widens the type. Not collective." },
	{ "can_cast(from_, to, casting='intuitive')", f_can_cast,
	  "Whether a cast from from_ (a dtype, array or number) to `to` is allowed\n"
	  "under the casting rule: 'no', 'safe', 'same_kind', 'unsafe' or Heat's\n"
	  "'intuitive' (safe, plus int32 -> float32/complex64)." },
	{ "finfo(type)", f_finfo,
	  "Machine limits of a floating dtype: bits, eps, max, min, tiny, resolution." },
	{ "iinfo(type)", f_iinfo,
	  "Machine limits of an integer dtype: bits, min, max." },
	{ "issubdtype(arg1, arg2)", f_issubdtype,
	  "Whether dtype arg1 is arg2 or belongs to the abstract kind named by arg2\n"
	  "('number', 'integer', 'signedinteger', 'unsignedinteger', 'floating',\n"
	  "'complexfloating', 'inexact', 'bool')." },
	{ "heat_type_of(obj)", f_heat_type_of,
	  "The dtype of an array, a number or nested list (as ht.array would infer it)." },
	{ "canonical_heat_type(a_type)", f_canonical_heat_type,
	  "The ht dtype for a dtype, Python type (int -> int32, float -> float32) or name." },
	{ 0 }
};

static const hi_builtin_def astype_defs[] = {
	{ "astype(x, dtype, copy=True)", f_astype,
	  "Cast x to dtype: a new array (copy=True) or x converted in place\n"
	  "(copy=False). Local: each rank converts its own chunk; split and chunk\n"
	  "map are kept; nothing is communicated." },
	{ 0 }
};

void hi_init_ht_types(void)
{
	hi_ht_register(types_defs, 0);
	hi_ht_register(astype_defs, 0);
}
