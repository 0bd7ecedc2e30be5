/*
** dtypeval.c — dtype values (ht.float32 ..., also the bare global names)
** and device values (cpu:0).  One object per dtype and per device exists,
** so `x.dtype == ht.float32` and `x.dtype is ht.float32` both hold by
** identity.  A dtype prints as `ht.float32` (str and repr alike, as
** LANGUAGE.md asks); a device prints as `cpu:0` and reprs as
** `device(cpu:0)`, as Heat's Device does.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

typedef struct hi_dtypeobj {
	hi_obj h;
	ha_dtype t;
} hi_dtypeobj;

typedef struct hi_deviceobj {
	hi_obj h;
	ha_device d;
} hi_deviceobj;

static hi_val dtypes[HA_NDTYPES];
static hi_val cpu_device;

hi_val hi_dtype_value(ha_dtype t)
{
	return hi_incref(dtypes[t]);
}

ha_dtype hi_dtype_code(hi_val v)
{
	return ((hi_dtypeobj *)v.o)->t;
}

/* The dtype Heat picks for a Python type object: int -> int32, float ->
** float32, bool -> bool, complex -> complex64 (canonical_heat_type). */
static int python_type_dtype(hi_val v, ha_dtype *out)
{
	hi_type *t = (hi_type *)v.o;
	if (t == hi_types[HI_BOOL])
		*out = HA_BOOL;
	else if (t == hi_types[HI_INT])
		*out = HA_INT32;
	else if (t == hi_types[HI_FLOAT])
		*out = HA_FLOAT32;
	else if (t == hi_types[HI_COMPLEX])
		*out = HA_COMPLEX64;
	else
		return 0;
	return 1;
}

int hi_get_dtype(hi_val v, ha_dtype *out)
{
	if (v.kind == HI_DTYPE) {
		*out = hi_dtype_code(v);
		return 0;
	}
	if (v.kind == HI_TYPE && python_type_dtype(v, out))
		return 0;
	if (v.kind == HI_STR) {
		const char *s = hi_as_str(v)->s;
		if (!strncmp(s, "ht.", 3))
			s += 3;
		if (ha_dtype_from_name(s, out) == 0)
			return 0;
		ha_error_clear();
		return hi_raisei(hi_TypeError, "data type '%s' not understood", hi_as_str(v)->s);
	}
	hi_val r = hi_repr(v);
	if (hi_iserr(r))
		return -1;
	hi_raisei(hi_TypeError, "data type %s is not understood (expected one of ht.bool, ht.uint8, "
	          "ht.int8, ht.int16, ht.int32, ht.int64, ht.float32, ht.float64, ht.complex64, "
	          "ht.complex128)", hi_as_str(r)->s);
	hi_decref(r);
	return -1;
}

int hi_opt_dtype(hi_val v, ha_dtype dflt, ha_dtype *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	return hi_get_dtype(v, out);
}

hi_val hi_device_value(ha_device d)
{
	if (d.kind == HA_CPU)
		return hi_incref(cpu_device);
	hi_deviceobj *o = hi_obj_alloc(sizeof *o, HI_DEVICE);
	if (!o)
		return hi_raise(hi_MemoryError, "out of memory");
	o->d = d;
	return hi_objval(o, HI_DEVICE);
}

int hi_get_device(hi_val v, ha_device *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = HA_DEVICE_CPU;
		return 0;
	}
	if (v.kind == HI_DEVICE) {
		*out = ((hi_deviceobj *)v.o)->d;
		return 0;
	}
	if (v.kind == HI_STR) {
		if (ha_device_from_name(hi_as_str(v)->s, out) < 0)
			return hi_raise_hai();
		return 0;
	}
	return hi_raisei(hi_TypeError, "device must be None, a device or a string such as 'cpu', not '%s'",
	                 hi_type_name(v));
}

/* ---- slots ---- */

static hi_val dtype_str(hi_val v)
{
	return hi_str_fmt("ht.%s", ha_dtype_name(hi_dtype_code(v)));
}

static hi_val dtype_getattr(hi_val self, const char *name)
{
	ha_dtype t = hi_dtype_code(self);
	if (!strcmp(name, "__name__"))
		return hi_str_cstr(ha_dtype_name(t));
	if (!strcmp(name, "itemsize"))
		return hi_int((int64_t)ha_dtype_size(t));
	if (!strcmp(name, "char"))
		return hi_str_cstr(ha_dtype_char(t));
	return hi_absent();
}

static hi_val device_str(hi_val v)
{
	char buf[32];
	return hi_str_cstr(ha_device_str(((hi_deviceobj *)v.o)->d, buf, sizeof buf));
}

static hi_val device_repr(hi_val v)
{
	char buf[32];
	return hi_str_fmt("device(%s)", ha_device_str(((hi_deviceobj *)v.o)->d, buf, sizeof buf));
}

static int device_equal(hi_val a, hi_val b)
{
	if (a.kind != HI_DEVICE || b.kind != HI_DEVICE)
		return 0;
	ha_device x = ((hi_deviceobj *)a.o)->d, y = ((hi_deviceobj *)b.o)->d;
	return x.kind == y.kind && x.id == y.id;
}

static int64_t device_hash(hi_val v, int *ok)
{
	*ok = 1;
	ha_device d = ((hi_deviceobj *)v.o)->d;
	return (int64_t)d.kind * 1000003 + d.id;
}

static hi_val device_getattr(hi_val self, const char *name)
{
	ha_device d = ((hi_deviceobj *)self.o)->d;
	if (!strcmp(name, "device_type"))
		return hi_str_cstr(d.kind == HA_GPU ? "gpu" : "cpu");
	if (!strcmp(name, "device_id"))
		return hi_int(d.kind == HA_GPU ? d.id : 0);
	return hi_absent();
}

static const char *const dtype_attrs[] = { "__name__", "itemsize", "char", NULL };
static const char *const device_attrs[] = { "device_type", "device_id", NULL };

/* The names under which each dtype is reachable as ht.NAME (Heat's
** aliases), and which of them also become bare global names (those that
** do not shadow a Python builtin). */
static const struct { const char *name; ha_dtype t; int global; } dtype_names[] = {
	{ "bool", HA_BOOL, 0 }, { "bool_", HA_BOOL, 1 },
	{ "uint8", HA_UINT8, 1 }, { "ubyte", HA_UINT8, 0 },
	{ "int8", HA_INT8, 1 }, { "byte", HA_INT8, 0 },
	{ "int16", HA_INT16, 1 }, { "short", HA_INT16, 0 },
	{ "int32", HA_INT32, 1 }, { "int", HA_INT32, 0 }, { "int_", HA_INT32, 0 },
	{ "int64", HA_INT64, 1 }, { "long", HA_INT64, 0 },
	{ "float32", HA_FLOAT32, 1 }, { "float", HA_FLOAT32, 0 }, { "float_", HA_FLOAT32, 0 },
	{ "float64", HA_FLOAT64, 1 }, { "double", HA_FLOAT64, 0 },
	{ "complex64", HA_COMPLEX64, 1 }, { "cfloat", HA_COMPLEX64, 0 }, { "csingle", HA_COMPLEX64, 0 },
	{ "complex128", HA_COMPLEX128, 1 }, { "cdouble", HA_COMPLEX128, 0 },
};

/* ht.float32(x): Heat's type classes build an array of that type. */
static hi_val dtype_call(hi_val self, int argc, const hi_val *argv, int nkw,
                         const char *const *kwnames, const hi_val *kwvals)
{
	if (argc != 1)
		return hi_raise(hi_TypeError, "%s() takes exactly one argument (%d given)",
		                hi_type_name(self), argc);
	hi_val array;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), "array", &array) <= 0)
		return hi_raise(hi_NameError, "name 'array' is not defined");
	const char *names[17];
	hi_val vals[17];
	if (nkw > 15)
		nkw = 15;
	for (int i = 0; i < nkw; i++) {
		names[i] = kwnames[i];
		vals[i] = kwvals[i];
	}
	names[nkw] = "dtype";
	vals[nkw] = self;
	hi_val r = hi_call(array, 1, argv, nkw + 1, names, vals);
	hi_decref(array);
	return r;
}

void hi_init_dtypes(hi_val htdict)
{
	hi_slots *s = hi_slots_of(HI_DTYPE);
	s->repr = dtype_str;
	s->str = dtype_str;
	hi_register_getattr(HI_DTYPE, dtype_getattr);
	hi_slots_of(HI_DTYPE)->call = dtype_call;
	hi_register_attrnames(HI_DTYPE, dtype_attrs);
	s = hi_slots_of(HI_DEVICE);
	s->repr = device_repr;
	s->str = device_str;
	s->equal = device_equal;
	s->hash = device_hash;
	hi_register_getattr(HI_DEVICE, device_getattr);
	hi_register_attrnames(HI_DEVICE, device_attrs);

	for (int t = 0; t < HA_NDTYPES; t++) {
		hi_dtypeobj *o = hi_obj_alloc(sizeof *o, HI_DTYPE);
		if (!o)
			abort();
		o->t = (ha_dtype)t;
		dtypes[t] = hi_objval(o, HI_DTYPE);
	}
	hi_deviceobj *c = hi_obj_alloc(sizeof *c, HI_DEVICE);
	if (!c)
		abort();
	c->d = HA_DEVICE_CPU;
	cpu_device = hi_objval(c, HI_DEVICE);

	for (size_t i = 0; i < sizeof dtype_names / sizeof dtype_names[0]; i++) {
		hi_dict_set_str(htdict, dtype_names[i].name, dtypes[dtype_names[i].t]);
		if (dtype_names[i].global)
			hi_dict_set_str(hi_S.builtins, dtype_names[i].name, dtypes[dtype_names[i].t]);
	}
	hi_dict_set_str(htdict, "cpu", cpu_device);
}
