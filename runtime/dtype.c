/*
** dtype.c — the ten dtypes: sizes, names, Heat's casting tables, type
** promotion (promote_types / result_type) and machine limits.
**
** The casting tables are Heat's (heat/core/types.py, _can_be_cast_safely_to
** and _can_be_cast_intuitively_to) without float16, which ha does not have.
** promote_types is Heat's algorithm, not a hand-written table: among the
** types both operands cast to safely or intuitively, the one with the
** fewest bits, ties broken by the first operand's list order (which is how
** int32+int16 gives int32 rather than float32).
*/
#include <float.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "ha.h"

static const size_t sizes[HA_NDTYPES] = { 1, 1, 1, 2, 4, 8, 4, 8, 8, 16 };
static const char *const names[HA_NDTYPES] = {
	"bool", "uint8", "int8", "int16", "int32", "int64",
	"float32", "float64", "complex64", "complex128"
};
static const char *const chars[HA_NDTYPES] = {
	"?", "u1", "i1", "i2", "i4", "i8", "f4", "f8", "c8", "c16"
};
/* bit widths as Heat reads them from the type names (bool counts 1) */
static const int bits[HA_NDTYPES] = { 1, 8, 8, 16, 32, 64, 32, 64, 64, 128 };

/* Safe casts, in Heat's list order (order matters for promote_types). */
static const ha_dtype safe_list[HA_NDTYPES][HA_NDTYPES + 1] = {
	[HA_BOOL] = { HA_BOOL, HA_UINT8, HA_INT8, HA_INT16, HA_INT32, HA_INT64, HA_FLOAT32,
	              HA_FLOAT64, HA_COMPLEX64, HA_COMPLEX128, HA_NDTYPES },
	[HA_UINT8] = { HA_UINT8, HA_INT16, HA_INT32, HA_INT64, HA_FLOAT32, HA_FLOAT64,
	               HA_COMPLEX64, HA_COMPLEX128, HA_NDTYPES },
	[HA_INT8] = { HA_INT8, HA_INT16, HA_INT32, HA_INT64, HA_FLOAT32, HA_FLOAT64,
	              HA_COMPLEX64, HA_COMPLEX128, HA_NDTYPES },
	[HA_INT16] = { HA_INT16, HA_INT32, HA_INT64, HA_FLOAT32, HA_FLOAT64, HA_COMPLEX64,
	               HA_COMPLEX128, HA_NDTYPES },
	/* int32: safe list then the intuitive additions float32, complex64 */
	[HA_INT32] = { HA_INT32, HA_INT64, HA_FLOAT64, HA_COMPLEX128, HA_NDTYPES },
	[HA_INT64] = { HA_INT64, HA_FLOAT64, HA_COMPLEX128, HA_NDTYPES },
	[HA_FLOAT32] = { HA_FLOAT32, HA_FLOAT64, HA_COMPLEX64, HA_COMPLEX128, HA_NDTYPES },
	[HA_FLOAT64] = { HA_FLOAT64, HA_COMPLEX128, HA_NDTYPES },
	[HA_COMPLEX64] = { HA_COMPLEX64, HA_COMPLEX128, HA_NDTYPES },
	[HA_COMPLEX128] = { HA_COMPLEX128, HA_NDTYPES },
};
/* Intuitive (but not safe) casts: int32 -> float32, complex64 (int16 ->
** float16 is Heat's other one; no float16 here). */
static const ha_dtype intuitive_list[HA_NDTYPES][3] = {
	[HA_BOOL] = { HA_NDTYPES }, [HA_UINT8] = { HA_NDTYPES }, [HA_INT8] = { HA_NDTYPES },
	[HA_INT16] = { HA_NDTYPES },
	[HA_INT32] = { HA_FLOAT32, HA_COMPLEX64, HA_NDTYPES },
	[HA_INT64] = { HA_NDTYPES }, [HA_FLOAT32] = { HA_NDTYPES }, [HA_FLOAT64] = { HA_NDTYPES },
	[HA_COMPLEX64] = { HA_NDTYPES }, [HA_COMPLEX128] = { HA_NDTYPES },
};

static int valid(ha_dtype t)
{
	return (unsigned)t < HA_NDTYPES;
}

size_t ha_dtype_size(ha_dtype t)
{
	return valid(t) ? sizes[t] : 0;
}

const char *ha_dtype_name(ha_dtype t)
{
	return valid(t) ? names[t] : "?";
}

const char *ha_dtype_char(ha_dtype t)
{
	return valid(t) ? chars[t] : "?";
}

int ha_dtype_bits(ha_dtype t)
{
	return valid(t) ? bits[t] : 0;
}

int ha_dtype_is_int(ha_dtype t)
{
	return t >= HA_UINT8 && t <= HA_INT64;
}

int ha_dtype_is_float(ha_dtype t)
{
	return t == HA_FLOAT32 || t == HA_FLOAT64;
}

int ha_dtype_is_complex(ha_dtype t)
{
	return t == HA_COMPLEX64 || t == HA_COMPLEX128;
}

ha_typekind ha_dtype_kind(ha_dtype t)
{
	if (t == HA_BOOL)
		return HA_KIND_BOOL;
	if (ha_dtype_is_int(t))
		return HA_KIND_INT;
	if (ha_dtype_is_float(t))
		return HA_KIND_FLOAT;
	return HA_KIND_COMPLEX;
}

ha_dtype ha_dtype_real(ha_dtype t)
{
	if (t == HA_COMPLEX64)
		return HA_FLOAT32;
	if (t == HA_COMPLEX128)
		return HA_FLOAT64;
	return t;
}

/* Names: Heat's class names and aliases, NumPy codes (optionally with a
** byte-order prefix), Python type names (canonical_heat_type: int ->
** int32, float -> float32, complex -> complex64, bool -> bool). */
static const struct { const char *name; ha_dtype t; } aliases[] = {
	{ "bool", HA_BOOL }, { "bool_", HA_BOOL }, { "?", HA_BOOL }, { "b1", HA_BOOL },
	{ "uint8", HA_UINT8 }, { "ubyte", HA_UINT8 }, { "u1", HA_UINT8 }, { "B", HA_UINT8 },
	{ "u", HA_UINT8 },
	{ "int8", HA_INT8 }, { "byte", HA_INT8 }, { "i1", HA_INT8 }, { "b", HA_INT8 },
	{ "int16", HA_INT16 }, { "short", HA_INT16 }, { "i2", HA_INT16 }, { "h", HA_INT16 },
	{ "int32", HA_INT32 }, { "int", HA_INT32 }, { "int_", HA_INT32 }, { "i4", HA_INT32 },
	{ "i", HA_INT32 },
	{ "int64", HA_INT64 }, { "long", HA_INT64 }, { "i8", HA_INT64 }, { "l", HA_INT64 },
	{ "q", HA_INT64 },
	{ "float32", HA_FLOAT32 }, { "float", HA_FLOAT32 }, { "float_", HA_FLOAT32 },
	{ "single", HA_FLOAT32 }, { "f4", HA_FLOAT32 }, { "f", HA_FLOAT32 },
	{ "float64", HA_FLOAT64 }, { "double", HA_FLOAT64 }, { "f8", HA_FLOAT64 }, { "d", HA_FLOAT64 },
	{ "complex64", HA_COMPLEX64 }, { "cfloat", HA_COMPLEX64 }, { "csingle", HA_COMPLEX64 },
	{ "complex", HA_COMPLEX64 }, { "c8", HA_COMPLEX64 }, { "F", HA_COMPLEX64 },
	{ "complex128", HA_COMPLEX128 }, { "cdouble", HA_COMPLEX128 }, { "c16", HA_COMPLEX128 },
	{ "D", HA_COMPLEX128 },
};

int ha_dtype_from_name(const char *name, ha_dtype *out)
{
	const char *s = name;
	if (!s)
		return ha_error_set(HA_ETYPE, "data type None is not understood");
	if (strncmp(s, "ht.", 3) == 0)
		s += 3;
	else if (strncmp(s, "heat.", 5) == 0)
		s += 5;
	/* byte-order prefixes of NumPy codes ('<f4', '=i8', '|b1') */
	if ((s[0] == '<' || s[0] == '=' || s[0] == '|') && s[1])
		s++;
	for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
		if (strcmp(s, aliases[k].name) == 0) {
			*out = aliases[k].t;
			return 0;
		}
	return ha_error_set(HA_ETYPE, "data type %s is not understood", name);
}

static int in_list(const ha_dtype *l, ha_dtype t)
{
	for (; *l != HA_NDTYPES; l++)
		if (*l == t)
			return 1;
	return 0;
}

static int cast_safe(ha_dtype from, ha_dtype to)
{
	return in_list(safe_list[from], to);
}

static int cast_intuitive(ha_dtype from, ha_dtype to)
{
	return cast_safe(from, to) || in_list(intuitive_list[from], to);
}

int ha_can_cast(ha_dtype from, ha_dtype to, const char *casting)
{
	if (!valid(from) || !valid(to))
		return 0;
	if (!casting || strcmp(casting, "intuitive") == 0)
		return cast_intuitive(from, to);
	if (strcmp(casting, "safe") == 0)
		return cast_safe(from, to);
	if (strcmp(casting, "same_kind") == 0)
		/* Heat: both in the same family (bool, integer, floating, complex) */
		return ha_dtype_kind(from) == ha_dtype_kind(to);
	if (strcmp(casting, "unsafe") == 0)
		return 1;
	if (strcmp(casting, "no") == 0)
		return from == to;
	ha_error_set(HA_EVALUE, "casting must be one of ['no', 'unsafe', 'safe', 'same_kind', "
	             "'intuitive'], not %s", casting);
	return -1;
}

ha_dtype ha_promote_types(ha_dtype a, ha_dtype b)
{
	ha_dtype opts[2 * HA_NDTYPES + 2];
	int n = 0, best = -1;
	if (!valid(a) || !valid(b))
		return HA_NDTYPES;
	for (const ha_dtype *l = safe_list[a]; *l != HA_NDTYPES; l++)
		opts[n++] = *l;
	for (const ha_dtype *l = intuitive_list[a]; *l != HA_NDTYPES; l++)
		opts[n++] = *l;
	for (int k = 0; k < n; k++)
		if (cast_intuitive(b, opts[k]) && (best < 0 || bits[opts[k]] < bits[opts[best]]))
			best = k;
	return opts[best];   /* complex128 is always shared */
}

ha_dtype ha_result_type(ha_dtype a, int a_kind, ha_dtype b, int b_kind)
{
	if (a == b)
		return a;
	if (a_kind == b_kind)
		return ha_promote_types(a, b);
	if (ha_dtype_kind(a) == ha_dtype_kind(b))
		return a_kind < b_kind ? a : b;
	return ha_dtype_kind(a) < ha_dtype_kind(b) ? b : a;
}

int ha_finfo_get(ha_dtype t, ha_finfo *out)
{
	switch (ha_dtype_real(t)) {
	case HA_FLOAT32:
		out->bits = 32;
		out->eps = FLT_EPSILON;
		out->max = FLT_MAX;
		out->min = -FLT_MAX;
		out->tiny = FLT_MIN;
		return 0;
	case HA_FLOAT64:
		out->bits = 64;
		out->eps = DBL_EPSILON;
		out->max = DBL_MAX;
		out->min = -DBL_MAX;
		out->tiny = DBL_MIN;
		return 0;
	default:
		return ha_error_set(HA_ETYPE, "Data type ht.%s not inexact, not supported",
		                    ha_dtype_name(t));
	}
}

int ha_iinfo_get(ha_dtype t, ha_iinfo *out)
{
	switch (t) {
	case HA_UINT8: out->bits = 8; out->min = 0; out->max = UINT8_MAX; return 0;
	case HA_INT8: out->bits = 8; out->min = INT8_MIN; out->max = INT8_MAX; return 0;
	case HA_INT16: out->bits = 16; out->min = INT16_MIN; out->max = INT16_MAX; return 0;
	case HA_INT32: out->bits = 32; out->min = INT32_MIN; out->max = INT32_MAX; return 0;
	case HA_INT64: out->bits = 64; out->min = INT64_MIN; out->max = INT64_MAX; return 0;
	default:
		return ha_error_set(HA_ETYPE, "Data type ht.%s not exact, not supported",
		                    ha_dtype_name(t));
	}
}
