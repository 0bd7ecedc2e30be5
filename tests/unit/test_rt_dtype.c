/* test_rt_dtype.c — dtype names, Heat's promotion table, can_cast,
** result_type precedence, finfo/iinfo, devices. */
#include <float.h>
#include "rt_common.h"

enum { b_ = HA_BOOL, u1 = HA_UINT8, i1 = HA_INT8, i2 = HA_INT16, i4 = HA_INT32, i8 = HA_INT64,
       f4 = HA_FLOAT32, f8 = HA_FLOAT64, c8 = HA_COMPLEX64, c16 = HA_COMPLEX128 };

/* Heat's __type_promotions restricted to ha's ten types (heat-facts §4). */
static const int table[10][10] = {
	/*        b_   u1   i1   i2   i4   i8   f4   f8   c8   c16 */
	[b_] = { b_,  u1,  i1,  i2,  i4,  i8,  f4,  f8,  c8,  c16 },
	[u1] = { u1,  u1,  i2,  i2,  i4,  i8,  f4,  f8,  c8,  c16 },
	[i1] = { i1,  i2,  i1,  i2,  i4,  i8,  f4,  f8,  c8,  c16 },
	[i2] = { i2,  i2,  i2,  i2,  i4,  i8,  f4,  f8,  c8,  c16 },
	[i4] = { i4,  i4,  i4,  i4,  i4,  i8,  f4,  f8,  c8,  c16 },
	[i8] = { i8,  i8,  i8,  i8,  i8,  i8,  f8,  f8,  c16, c16 },
	[f4] = { f4,  f4,  f4,  f4,  f4,  f8,  f4,  f8,  c8,  c16 },
	[f8] = { f8,  f8,  f8,  f8,  f8,  f8,  f8,  f8,  c16, c16 },
	[c8] = { c8,  c8,  c8,  c8,  c8,  c16, c8,  c16, c8,  c16 },
	[c16] = { c16, c16, c16, c16, c16, c16, c16, c16, c16, c16 },
};

START_TEST(promotion_table)
{
	for (int a = 0; a < 10; a++)
		for (int b = 0; b < 10; b++) {
			ck_assert_msg((int)ha_promote_types(a, b) == table[a][b], "promote(%s, %s) = %s",
			              ha_dtype_name(a), ha_dtype_name(b),
			              ha_dtype_name(ha_promote_types(a, b)));
			ck_assert_int_eq(ha_promote_types(a, b), ha_promote_types(b, a));
		}
	/* the pairs heat-facts lists explicitly */
	ck_assert_int_eq(ha_promote_types(HA_UINT8, HA_INT8), HA_INT16);
	ck_assert_int_eq(ha_promote_types(HA_INT32, HA_FLOAT32), HA_FLOAT32);
	ck_assert_int_eq(ha_promote_types(HA_INT64, HA_FLOAT32), HA_FLOAT64);
	ck_assert_int_eq(ha_promote_types(HA_FLOAT64, HA_COMPLEX64), HA_COMPLEX128);
	ck_assert_int_eq(ha_promote_types(HA_INT64, HA_COMPLEX64), HA_COMPLEX128);
	ck_assert_int_eq(ha_promote_types(HA_INT32, HA_COMPLEX64), HA_COMPLEX64);
	ck_assert_int_eq(ha_promote_types(HA_FLOAT32, HA_FLOAT64), HA_FLOAT64);
}
END_TEST

START_TEST(casting)
{
	ck_assert_int_eq(ha_can_cast(HA_INT32, HA_INT64, "intuitive"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT64, HA_FLOAT64, "intuitive"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT16, HA_INT8, "intuitive"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT64, HA_INT32, "no"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT64, HA_INT32, "safe"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT64, HA_INT32, "same_kind"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT64, HA_INT32, "unsafe"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT32, HA_FLOAT32, "safe"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT32, HA_FLOAT32, "intuitive"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT32, HA_COMPLEX64, "intuitive"), 1);
	ck_assert_int_eq(ha_can_cast(HA_INT32, HA_FLOAT32, "same_kind"), 0);
	ck_assert_int_eq(ha_can_cast(HA_UINT8, HA_INT8, "same_kind"), 1);
	ck_assert_int_eq(ha_can_cast(HA_FLOAT64, HA_FLOAT32, "same_kind"), 1);
	ck_assert_int_eq(ha_can_cast(HA_BOOL, HA_COMPLEX128, "safe"), 1);
	ck_assert_int_eq(ha_can_cast(HA_FLOAT32, HA_INT64, "safe"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT8, HA_UINT8, "safe"), 0);
	ck_assert_int_eq(ha_can_cast(HA_INT8, HA_INT8, "no"), 1);
	ha_error_clear();
	ck_assert_int_eq(ha_can_cast(HA_INT8, HA_INT8, "sometimes"), -1);
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ha_error_clear();
	/* every safe cast is intuitive; unsafe allows everything */
	for (int a = 0; a < 10; a++)
		for (int b = 0; b < 10; b++) {
			if (ha_can_cast(a, b, "safe"))
				ck_assert(ha_can_cast(a, b, "intuitive"));
			ck_assert(ha_can_cast(a, b, "unsafe"));
			ck_assert_int_eq(ha_can_cast(a, b, "no"), a == b);
		}
}
END_TEST

START_TEST(result_types)
{
	/* int8 array + 1000 -> int8; int32/int64 array + 1.5 -> float32 */
	ck_assert_int_eq(ha_result_type(HA_INT8, HA_OPERAND_ARRAY, HA_INT32, HA_OPERAND_SCALAR), HA_INT8);
	ck_assert_int_eq(ha_result_type(HA_INT32, HA_OPERAND_ARRAY, HA_FLOAT32, HA_OPERAND_SCALAR), HA_FLOAT32);
	ck_assert_int_eq(ha_result_type(HA_INT64, HA_OPERAND_ARRAY, HA_FLOAT32, HA_OPERAND_SCALAR), HA_FLOAT32);
	ck_assert_int_eq(ha_result_type(HA_BOOL, HA_OPERAND_ARRAY, HA_INT32, HA_OPERAND_SCALAR), HA_INT32);
	ck_assert_int_eq(ha_result_type(HA_FLOAT32, HA_OPERAND_ARRAY, HA_COMPLEX64, HA_OPERAND_SCALAR), HA_COMPLEX64);
	ck_assert_int_eq(ha_result_type(HA_INT64, HA_OPERAND_ARRAY, HA_COMPLEX64, HA_OPERAND_SCALAR), HA_COMPLEX64);
	ck_assert_int_eq(ha_result_type(HA_FLOAT32, HA_OPERAND_ARRAY, HA_FLOAT64, HA_OPERAND_0D), HA_FLOAT32);
	ck_assert_int_eq(ha_result_type(HA_INT32, HA_OPERAND_ARRAY, HA_FLOAT64, HA_OPERAND_0D), HA_FLOAT64);
	ck_assert_int_eq(ha_result_type(HA_INT64, HA_OPERAND_TYPE, HA_FLOAT32, HA_OPERAND_TYPE), HA_FLOAT64);
	ck_assert_int_eq(ha_result_type(HA_INT32, HA_OPERAND_ARRAY, HA_INT32, HA_OPERAND_SCALAR), HA_INT32);
	ck_assert_int_eq(ha_result_type(HA_UINT8, HA_OPERAND_ARRAY, HA_INT32, HA_OPERAND_SCALAR), HA_UINT8);
	ck_assert_int_eq(ha_result_type(HA_INT32, HA_OPERAND_SCALAR, HA_INT8, HA_OPERAND_ARRAY), HA_INT8);
	ck_assert_int_eq(ha_result_type(HA_FLOAT32, HA_OPERAND_TYPE, HA_INT8, HA_OPERAND_0D), HA_FLOAT32);
	ck_assert_int_eq(ha_result_type(HA_INT16, HA_OPERAND_ARRAY, HA_UINT8, HA_OPERAND_ARRAY), HA_INT16);
}
END_TEST

START_TEST(names)
{
	struct { const char *n; ha_dtype t; } cases[] = {
		{ "float32", HA_FLOAT32 }, { "f4", HA_FLOAT32 }, { "float", HA_FLOAT32 },
		{ "int", HA_INT32 }, { "i8", HA_INT64 }, { "long", HA_INT64 }, { "c16", HA_COMPLEX128 },
		{ "complex", HA_COMPLEX64 }, { "cfloat", HA_COMPLEX64 }, { "bool", HA_BOOL },
		{ "?", HA_BOOL }, { "<f8", HA_FLOAT64 }, { "double", HA_FLOAT64 }, { "u1", HA_UINT8 },
		{ "ubyte", HA_UINT8 }, { "byte", HA_INT8 }, { "short", HA_INT16 }, { "i2", HA_INT16 },
		{ "ht.int64", HA_INT64 }, { "cdouble", HA_COMPLEX128 }, { "D", HA_COMPLEX128 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ha_dtype t;
		ck_assert_msg(ha_dtype_from_name(cases[k].n, &t) == 0, "%s", cases[k].n);
		ck_assert_int_eq(t, cases[k].t);
	}
	ha_dtype t;
	ck_assert_int_eq(ha_dtype_from_name("float16", &t), -1);
	ck_assert_int_eq(ha_error_kind(), HA_ETYPE);
	ck_assert_str_eq(ha_error_msg(), "data type float16 is not understood");
	ha_error_clear();
	for (int a = 0; a < 10; a++) {
		ck_assert_int_eq(ha_dtype_from_name(ha_dtype_name(a), &t), 0);
		ck_assert_int_eq(t, a);
		ck_assert_int_eq(ha_dtype_from_name(ha_dtype_char(a), &t), 0);
		ck_assert_int_eq(t, a);
	}
	ck_assert_str_eq(ha_dtype_name(HA_COMPLEX128), "complex128");
	ck_assert_int_eq(ha_dtype_size(HA_COMPLEX64), 8);
	ck_assert_int_eq(ha_dtype_real(HA_COMPLEX64), HA_FLOAT32);
}
END_TEST

START_TEST(limits_and_devices)
{
	ha_finfo f;
	ha_iinfo i;
	ck_assert_int_eq(ha_finfo_get(HA_FLOAT32, &f), 0);
	ck_assert_int_eq(f.bits, 32);
	ck_assert(f.eps == 1.1920928955078125e-07);
	ck_assert(f.max == FLT_MAX && f.min == -FLT_MAX && f.tiny == FLT_MIN);
	ck_assert_int_eq(ha_finfo_get(HA_COMPLEX128, &f), 0);
	ck_assert_int_eq(f.bits, 64);
	ck_assert_int_eq(ha_finfo_get(HA_INT32, &f), -1);
	ck_assert_int_eq(ha_error_kind(), HA_ETYPE);
	ck_assert_int_eq(ha_iinfo_get(HA_INT16, &i), 0);
	ck_assert(i.bits == 16 && i.min == -32768 && i.max == 32767);
	ck_assert_int_eq(ha_iinfo_get(HA_UINT8, &i), 0);
	ck_assert(i.bits == 8 && i.min == 0 && i.max == 255);
	ck_assert_int_eq(ha_iinfo_get(HA_FLOAT32, &i), -1);
	ha_error_clear();

	ha_device d;
	char buf[16];
	ck_assert_int_eq(ha_device_from_name(" CPU ", &d), 0);
	ck_assert_str_eq(ha_device_str(d, buf, sizeof buf), "cpu:0");
	ck_assert_int_eq(ha_device_from_name("gpu", &d), -1);
	ck_assert_int_eq(ha_error_kind(), HA_EVALUE);
	ck_assert_str_eq(ha_error_msg(), "Unknown device, must be one of cpu");
	ha_error_clear();
	ck_assert_int_eq(ha_device_from_name("gpu:1", &d), -1);
	ha_error_clear();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rt_dtype");
	TCase *t = tcase_create("dtype");
	tcase_add_test(t, promotion_table);
	tcase_add_test(t, casting);
	tcase_add_test(t, result_types);
	tcase_add_test(t, names);
	tcase_add_test(t, limits_and_devices);
	suite_add_tcase(s, t);
	return s;
}

RT_MAIN(suite)
