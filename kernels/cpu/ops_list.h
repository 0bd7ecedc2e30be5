/*
** ops_list.h — every elementwise operation, written once.
**
** The master lists name each op and its result-type rule; the per-class
** lists give its scalar expression for one dtype class.  A backend
** instantiates a class list once per dtype of the class, with `a`, `b` the
** operands (already converted to the compute dtype HK_T), `p0..p2` the
** optional parameters and HK_U an unsigned integer type at least as wide
** as int (for wrap-around arithmetic without signed overflow).  Math goes
** through the HK_* function macros of hk_math.h (tgmath in C, overloads in
** CUDA/HIP), so this file is plain expressions that a .cu file can include.
** An op missing from a class list is unsupported for that class; the
** runtime decides what that means (TypeError, or computing bool in int8).
**
** Output kind per class entry: S = the compute dtype, B = bool,
** R = the real dtype of a complex compute dtype.
*/
#ifndef HK_OPS_LIST_H
#define HK_OPS_LIST_H

/* result-type rules (interpreted by runtime/elementwise.c) */
#define HK_RULE_SAME    0   /* result_type of the operands */
#define HK_RULE_TRUEDIV 1   /* ints/bool -> float32, else result_type */
#define HK_RULE_FLOAT   2   /* promote_types(result_type, float32) */
#define HK_RULE_BOOL    3   /* compare in result_type, output bool */
#define HK_RULE_INT     4   /* integers and bool only */
#define HK_RULE_ROUND   5   /* ints/bool -> float32, floats keep */
#define HK_RULE_REAL    6   /* complex -> its real dtype, others keep */
#define HK_RULE_PRED    7   /* any input, output bool */

/* ---- binary ops: X(ID, name, rule) ---- */
#define HK_BINARY_OPS(X) \
	X(ADD, "add", HK_RULE_SAME) \
	X(SUB, "subtract", HK_RULE_SAME) \
	X(MUL, "multiply", HK_RULE_SAME) \
	X(TRUEDIV, "true_divide", HK_RULE_TRUEDIV) \
	X(FLOORDIV, "floor_divide", HK_RULE_SAME) \
	X(MOD, "remainder", HK_RULE_SAME) \
	X(FMOD, "fmod", HK_RULE_SAME) \
	X(POW, "power", HK_RULE_SAME) \
	X(EQ, "equal", HK_RULE_BOOL) \
	X(NE, "not_equal", HK_RULE_BOOL) \
	X(LT, "less", HK_RULE_BOOL) \
	X(LE, "less_equal", HK_RULE_BOOL) \
	X(GT, "greater", HK_RULE_BOOL) \
	X(GE, "greater_equal", HK_RULE_BOOL) \
	X(LAND, "logical_and", HK_RULE_BOOL) \
	X(LOR, "logical_or", HK_RULE_BOOL) \
	X(LXOR, "logical_xor", HK_RULE_BOOL) \
	X(BAND, "bitwise_and", HK_RULE_INT) \
	X(BOR, "bitwise_or", HK_RULE_INT) \
	X(BXOR, "bitwise_xor", HK_RULE_INT) \
	X(SHL, "left_shift", HK_RULE_INT) \
	X(SHR, "right_shift", HK_RULE_INT) \
	X(MAXIMUM, "maximum", HK_RULE_SAME) \
	X(MINIMUM, "minimum", HK_RULE_SAME) \
	X(FMAX, "fmax", HK_RULE_SAME) \
	X(FMIN, "fmin", HK_RULE_SAME) \
	X(ARCTAN2, "arctan2", HK_RULE_FLOAT) \
	X(HYPOT, "hypot", HK_RULE_FLOAT) \
	X(COPYSIGN, "copysign", HK_RULE_FLOAT) \
	X(LOGADDEXP, "logaddexp", HK_RULE_FLOAT) \
	X(LOGADDEXP2, "logaddexp2", HK_RULE_FLOAT) \
	X(ISCLOSE, "isclose", HK_RULE_BOOL) \
	X(GCD, "gcd", HK_RULE_INT) \
	X(LCM, "lcm", HK_RULE_INT)

/* ---- binary, per class: X(ID, outkind, expression) ---- */
#define HK_BINARY_BOOL(X) \
	X(ADD, S, a | b) \
	X(MUL, S, a & b) \
	X(EQ, B, a == b) \
	X(NE, B, a != b) \
	X(LT, B, a < b) \
	X(LE, B, a <= b) \
	X(GT, B, a > b) \
	X(GE, B, a >= b) \
	X(LAND, B, a && b) \
	X(LOR, B, a || b) \
	X(LXOR, B, a != b) \
	X(BAND, S, a & b) \
	X(BOR, S, a | b) \
	X(BXOR, S, a ^ b) \
	X(MAXIMUM, S, a | b) \
	X(MINIMUM, S, a & b) \
	X(FMAX, S, a | b) \
	X(FMIN, S, a & b)

#define HK_BINARY_INT(X) \
	X(ADD, S, (HK_U)a + (HK_U)b) \
	X(SUB, S, (HK_U)a - (HK_U)b) \
	X(MUL, S, (HK_U)a * (HK_U)b) \
	X(FLOORDIV, S, hk_ifloordiv((int64_t)a, (int64_t)b)) \
	X(MOD, S, hk_imod((int64_t)a, (int64_t)b)) \
	X(FMOD, S, hk_ifmod((int64_t)a, (int64_t)b)) \
	X(POW, S, hk_ipow((int64_t)a, (int64_t)b)) \
	X(EQ, B, a == b) \
	X(NE, B, a != b) \
	X(LT, B, a < b) \
	X(LE, B, a <= b) \
	X(GT, B, a > b) \
	X(GE, B, a >= b) \
	X(LAND, B, a && b) \
	X(LOR, B, a || b) \
	X(LXOR, B, !a != !b) \
	X(BAND, S, a & b) \
	X(BOR, S, a | b) \
	X(BXOR, S, a ^ b) \
	X(SHL, S, hk_shl((int64_t)a, (int64_t)b)) \
	X(SHR, S, hk_shr((int64_t)a, (int64_t)b)) \
	X(MAXIMUM, S, a > b ? a : b) \
	X(MINIMUM, S, a < b ? a : b) \
	X(FMAX, S, a > b ? a : b) \
	X(FMIN, S, a < b ? a : b) \
	X(ISCLOSE, B, hk_isclose((double)a, (double)b, p0, p1, p2)) \
	X(GCD, S, hk_igcd((int64_t)a, (int64_t)b)) \
	X(LCM, S, hk_ilcm((int64_t)a, (int64_t)b))

#define HK_BINARY_FLOAT(X) \
	X(ADD, S, a + b) \
	X(SUB, S, a - b) \
	X(MUL, S, a * b) \
	X(TRUEDIV, S, a / b) \
	X(FLOORDIV, S, HK_PYFLOORDIV(a, b)) \
	X(MOD, S, HK_PYMOD(a, b)) \
	X(FMOD, S, HK_FMOD(a, b)) \
	X(POW, S, HK_POW(a, b)) \
	X(EQ, B, a == b) \
	X(NE, B, a != b) \
	X(LT, B, a < b) \
	X(LE, B, a <= b) \
	X(GT, B, a > b) \
	X(GE, B, a >= b) \
	X(LAND, B, a != 0 && b != 0) \
	X(LOR, B, a != 0 || b != 0) \
	X(LXOR, B, (a != 0) != (b != 0)) \
	X(MAXIMUM, S, (a >= b || a != a) ? a : b) \
	X(MINIMUM, S, (a <= b || a != a) ? a : b) \
	X(FMAX, S, HK_FMAX(a, b)) \
	X(FMIN, S, HK_FMIN(a, b)) \
	X(ARCTAN2, S, HK_ATAN2(a, b)) \
	X(HYPOT, S, HK_HYPOT(a, b)) \
	X(COPYSIGN, S, HK_COPYSIGN(a, b)) \
	X(LOGADDEXP, S, HK_LOGADDEXP(a, b)) \
	X(LOGADDEXP2, S, HK_LOGADDEXP2(a, b)) \
	X(ISCLOSE, B, hk_isclose((double)a, (double)b, p0, p1, p2))

#define HK_BINARY_COMPLEX(X) \
	X(ADD, S, a + b) \
	X(SUB, S, a - b) \
	X(MUL, S, a * b) \
	X(TRUEDIV, S, a / b) \
	X(POW, S, HK_CPOW(a, b)) \
	X(EQ, B, a == b) \
	X(NE, B, a != b) \
	X(LAND, B, a != 0 && b != 0) \
	X(LOR, B, a != 0 || b != 0) \
	X(LXOR, B, (a != 0) != (b != 0)) \
	X(ISCLOSE, B, hk_cisclose(HK_CREAL(a), HK_CIMAG(a), HK_CREAL(b), HK_CIMAG(b), p0, p1, p2))

/* ---- unary ops: X(ID, name, rule) ---- */
#define HK_UNARY_OPS(X) \
	X(NEG, "negative", HK_RULE_SAME) \
	X(POS, "positive", HK_RULE_SAME) \
	X(ABS, "abs", HK_RULE_REAL) \
	X(SQRT, "sqrt", HK_RULE_FLOAT) \
	X(CBRT, "cbrt", HK_RULE_FLOAT) \
	X(SQUARE, "square", HK_RULE_SAME) \
	X(EXP, "exp", HK_RULE_FLOAT) \
	X(EXPM1, "expm1", HK_RULE_FLOAT) \
	X(EXP2, "exp2", HK_RULE_FLOAT) \
	X(LOG, "log", HK_RULE_FLOAT) \
	X(LOG2, "log2", HK_RULE_FLOAT) \
	X(LOG10, "log10", HK_RULE_FLOAT) \
	X(LOG1P, "log1p", HK_RULE_FLOAT) \
	X(SIN, "sin", HK_RULE_FLOAT) \
	X(COS, "cos", HK_RULE_FLOAT) \
	X(TAN, "tan", HK_RULE_FLOAT) \
	X(ARCSIN, "arcsin", HK_RULE_FLOAT) \
	X(ARCCOS, "arccos", HK_RULE_FLOAT) \
	X(ARCTAN, "arctan", HK_RULE_FLOAT) \
	X(SINH, "sinh", HK_RULE_FLOAT) \
	X(COSH, "cosh", HK_RULE_FLOAT) \
	X(TANH, "tanh", HK_RULE_FLOAT) \
	X(ARCSINH, "arcsinh", HK_RULE_FLOAT) \
	X(ARCCOSH, "arccosh", HK_RULE_FLOAT) \
	X(ARCTANH, "arctanh", HK_RULE_FLOAT) \
	X(DEG2RAD, "deg2rad", HK_RULE_FLOAT) \
	X(RAD2DEG, "rad2deg", HK_RULE_FLOAT) \
	X(FLOOR, "floor", HK_RULE_ROUND) \
	X(CEIL, "ceil", HK_RULE_ROUND) \
	X(TRUNC, "trunc", HK_RULE_ROUND) \
	X(ROUND, "round", HK_RULE_ROUND) \
	X(FIX, "fix", HK_RULE_ROUND) \
	X(SIGN, "sign", HK_RULE_ROUND) \
	X(ISNAN, "isnan", HK_RULE_PRED) \
	X(ISINF, "isinf", HK_RULE_PRED) \
	X(ISFINITE, "isfinite", HK_RULE_PRED) \
	X(ISPOSINF, "isposinf", HK_RULE_PRED) \
	X(ISNEGINF, "isneginf", HK_RULE_PRED) \
	X(SIGNBIT, "signbit", HK_RULE_PRED) \
	X(LNOT, "logical_not", HK_RULE_PRED) \
	X(INVERT, "invert", HK_RULE_INT) \
	X(REAL, "real", HK_RULE_REAL) \
	X(IMAG, "imag", HK_RULE_REAL) \
	X(CONJ, "conj", HK_RULE_SAME) \
	X(ANGLE, "angle", HK_RULE_REAL) \
	X(NAN_TO_NUM, "nan_to_num", HK_RULE_SAME) \
	X(COPY, "copy", HK_RULE_SAME)

/* ---- unary, per class: X(ID, outkind, expression) ---- */
#define HK_UNARY_BOOL(X) \
	X(POS, S, a) \
	X(ABS, S, a) \
	X(ISNAN, B, 0) \
	X(ISINF, B, 0) \
	X(ISFINITE, B, 1) \
	X(ISPOSINF, B, 0) \
	X(ISNEGINF, B, 0) \
	X(SIGNBIT, B, 0) \
	X(LNOT, B, !a) \
	X(INVERT, S, !a) \
	X(REAL, S, a) \
	X(IMAG, S, 0) \
	X(CONJ, S, a) \
	X(NAN_TO_NUM, S, a) \
	X(COPY, S, a)

#define HK_UNARY_INT(X) \
	X(NEG, S, (HK_U)0 - (HK_U)a) \
	X(POS, S, a) \
	X(ABS, S, hk_iabs((int64_t)a)) \
	X(SQUARE, S, (HK_U)a * (HK_U)a) \
	X(ISNAN, B, 0) \
	X(ISINF, B, 0) \
	X(ISFINITE, B, 1) \
	X(ISPOSINF, B, 0) \
	X(ISNEGINF, B, 0) \
	X(SIGNBIT, B, hk_isneg((int64_t)a)) \
	X(LNOT, B, !a) \
	X(INVERT, S, ~a) \
	X(REAL, S, a) \
	X(IMAG, S, 0) \
	X(CONJ, S, a) \
	X(NAN_TO_NUM, S, a) \
	X(COPY, S, a)

#define HK_UNARY_FLOAT(X) \
	X(NEG, S, -a) \
	X(POS, S, a) \
	X(ABS, S, HK_FABS(a)) \
	X(SQRT, S, HK_SQRT(a)) \
	X(CBRT, S, HK_CBRT(a)) \
	X(SQUARE, S, a * a) \
	X(EXP, S, HK_EXP(a)) \
	X(EXPM1, S, HK_EXPM1(a)) \
	X(EXP2, S, HK_EXP2(a)) \
	X(LOG, S, HK_LOG(a)) \
	X(LOG2, S, HK_LOG2(a)) \
	X(LOG10, S, HK_LOG10(a)) \
	X(LOG1P, S, HK_LOG1P(a)) \
	X(SIN, S, HK_SIN(a)) \
	X(COS, S, HK_COS(a)) \
	X(TAN, S, HK_TAN(a)) \
	X(ARCSIN, S, HK_ASIN(a)) \
	X(ARCCOS, S, HK_ACOS(a)) \
	X(ARCTAN, S, HK_ATAN(a)) \
	X(SINH, S, HK_SINH(a)) \
	X(COSH, S, HK_COSH(a)) \
	X(TANH, S, HK_TANH(a)) \
	X(ARCSINH, S, HK_ASINH(a)) \
	X(ARCCOSH, S, HK_ACOSH(a)) \
	X(ARCTANH, S, HK_ATANH(a)) \
	X(DEG2RAD, S, a * (HK_T)(3.14159265358979323846 / 180.0)) \
	X(RAD2DEG, S, a * (HK_T)(180.0 / 3.14159265358979323846)) \
	X(FLOOR, S, HK_FLOOR(a)) \
	X(CEIL, S, HK_CEIL(a)) \
	X(TRUNC, S, HK_TRUNC(a)) \
	X(ROUND, S, p0 == 0 ? HK_RINT(a) : (HK_T)hk_round_dec((double)a, p0)) \
	X(FIX, S, HK_TRUNC(a)) \
	X(SIGN, S, a != a ? a : (HK_T)((a > 0) - (a < 0))) \
	X(ISNAN, B, a != a) \
	X(ISINF, B, HK_ISINF(a)) \
	X(ISFINITE, B, HK_ISFINITE(a)) \
	X(ISPOSINF, B, HK_ISINF(a) && a > 0) \
	X(ISNEGINF, B, HK_ISINF(a) && a < 0) \
	X(SIGNBIT, B, HK_SIGNBIT(a)) \
	X(LNOT, B, a == 0) \
	X(REAL, S, a) \
	X(IMAG, S, 0) \
	X(CONJ, S, a) \
	X(ANGLE, S, HK_ATAN2((HK_T)0, a)) \
	X(NAN_TO_NUM, S, a != a ? (HK_T)p0 : HK_ISINF(a) ? (HK_T)(a > 0 ? p1 : p2) : a) \
	X(COPY, S, a)

#define HK_UNARY_COMPLEX(X) \
	X(NEG, S, -a) \
	X(POS, S, a) \
	X(ABS, R, HK_CABS(a)) \
	X(SQRT, S, HK_CSQRT(a)) \
	X(SQUARE, S, a * a) \
	X(EXP, S, HK_CEXP(a)) \
	X(LOG, S, HK_CLOG(a)) \
	X(SIN, S, HK_CSIN(a)) \
	X(COS, S, HK_CCOS(a)) \
	X(TAN, S, HK_CTAN(a)) \
	X(ARCSIN, S, HK_CASIN(a)) \
	X(ARCCOS, S, HK_CACOS(a)) \
	X(ARCTAN, S, HK_CATAN(a)) \
	X(SINH, S, HK_CSINH(a)) \
	X(COSH, S, HK_CCOSH(a)) \
	X(TANH, S, HK_CTANH(a)) \
	X(ISNAN, B, HK_CREAL(a) != HK_CREAL(a) || HK_CIMAG(a) != HK_CIMAG(a)) \
	X(ISINF, B, HK_ISINF(HK_CREAL(a)) || HK_ISINF(HK_CIMAG(a))) \
	X(ISFINITE, B, HK_ISFINITE(HK_CREAL(a)) && HK_ISFINITE(HK_CIMAG(a))) \
	X(LNOT, B, a == 0) \
	X(REAL, R, HK_CREAL(a)) \
	X(IMAG, R, HK_CIMAG(a)) \
	X(CONJ, S, HK_CONJ(a)) \
	X(ANGLE, R, HK_CARG(a)) \
	X(COPY, S, a)

#endif
