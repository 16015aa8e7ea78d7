/* SPDX-License-Identifier: MIT */
/* The UCRT's math beyond msvcrt's: the C99 functions (and float forms) on glibc's libm with
 * msvcrt's errno convention (EDOM for a NaN from non-NaN arguments, ERANGE for an infinity
 * from finite ones), the classification helpers the UCRT headers' macros call (_dclass,
 * _fdclass, _dtest, _fdtest, _dsign, _fdsign, _dpcomp, _fdpcomp: fpclassify, isnan, signbit and
 * the comparison macros) and <fenv.h> (rounding mode and exception flags). long double is
 * double on Windows: the _ld* and *l forms are the double ones. */
#include <fenv.h>
#include <math.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static double ucrt_check1(double r, double x)
{
    if (isnan(r) && !isnan(x))
        crt_set_errno(CRT_EDOM);
    else if (isinf(r) && isfinite(x))
        crt_set_errno(CRT_ERANGE);
    return r;
}

static double ucrt_check2(double r, double x, double y)
{
    if (isnan(r) && !isnan(x) && !isnan(y))
        crt_set_errno(CRT_EDOM);
    else if (isinf(r) && isfinite(x) && isfinite(y))
        crt_set_errno(CRT_ERANGE);
    return r;
}

#define UCRT_MATH1(name)                                                                       \
    static double WINAPI ucrtbase_##name(double x) { return ucrt_check1(name(x), x); }        \
    THK_EXPORT_AS(ucrtbase, name, ucrtbase_##name, 1);                                         \
    static float WINAPI ucrtbase_##name##f(float x) { return (float)ucrt_check1(name##f(x), x); } \
    THK_EXPORT_AS(ucrtbase, name##f, ucrtbase_##name##f, 1);                                   \
    THK_EXPORT_AS(ucrtbase, name##l, ucrtbase_##name, 1);
#define UCRT_MATH2(name)                                                                       \
    static double WINAPI ucrtbase_##name(double x, double y)                                   \
    {                                                                                          \
        return ucrt_check2(name(x, y), x, y);                                                  \
    }                                                                                          \
    THK_EXPORT_AS(ucrtbase, name, ucrtbase_##name, 2);                                         \
    static float WINAPI ucrtbase_##name##f(float x, float y)                                   \
    {                                                                                          \
        return (float)ucrt_check2(name##f(x, y), x, y);                                        \
    }                                                                                          \
    THK_EXPORT_AS(ucrtbase, name##f, ucrtbase_##name##f, 2);                                   \
    THK_EXPORT_AS(ucrtbase, name##l, ucrtbase_##name, 2);

UCRT_MATH1(acosh) UCRT_MATH1(asinh) UCRT_MATH1(atanh) UCRT_MATH1(cbrt) UCRT_MATH1(erf)
UCRT_MATH1(erfc) UCRT_MATH1(exp2) UCRT_MATH1(expm1) UCRT_MATH1(log1p) UCRT_MATH1(log2)
UCRT_MATH1(logb) UCRT_MATH1(nearbyint) UCRT_MATH1(rint) UCRT_MATH1(round) UCRT_MATH1(trunc)
UCRT_MATH1(tgamma) UCRT_MATH1(lgamma)
UCRT_MATH2(fdim) UCRT_MATH2(fmax) UCRT_MATH2(fmin) UCRT_MATH2(hypot) UCRT_MATH2(nextafter)
UCRT_MATH2(remainder) UCRT_MATH2(copysign)

static float WINAPI ucrtbase_fabsf(float x) { return fabsf(x); }
THK_EXPORT_AS(ucrtbase, fabsf, ucrtbase_fabsf, 1);

static double WINAPI ucrtbase_fma(double x, double y, double z) { return fma(x, y, z); }
THK_EXPORT_AS(ucrtbase, fma, ucrtbase_fma, 3);
THK_EXPORT_AS(ucrtbase, fmal, ucrtbase_fma, 3);
static float WINAPI ucrtbase_fmaf(float x, float y, float z) { return fmaf(x, y, z); }
THK_EXPORT_AS(ucrtbase, fmaf, ucrtbase_fmaf, 3);

static double WINAPI ucrtbase_remquo(double x, double y, int *q)
{
    return ucrt_check2(remquo(x, y, q), x, y);
}
THK_EXPORT_AS(ucrtbase, remquo, ucrtbase_remquo, 3);
THK_EXPORT_AS(ucrtbase, remquol, ucrtbase_remquo, 3);
static float WINAPI ucrtbase_remquof(float x, float y, int *q)
{
    return (float)ucrt_check2(remquof(x, y, q), x, y);
}
THK_EXPORT_AS(ucrtbase, remquof, ucrtbase_remquof, 3);

/* Integer results: long is 32 bits. A value out of range (or NaN) gives the "integer
 * indefinite" 0x80000000 / 0x8000000000000000 with EDOM, as SSE conversion does. */
static int32_t ucrt_to_long(double r)
{
    if (!(r >= -2147483648.0 && r < 2147483648.0)) {
        crt_set_errno(CRT_EDOM);
        return INT32_MIN;
    }
    return (int32_t)r;
}
static int64_t ucrt_to_llong(double r)
{
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
        crt_set_errno(CRT_EDOM);
        return INT64_MIN;
    }
    return (int64_t)r;
}
static int32_t WINAPI ucrtbase_lround(double x) { return ucrt_to_long(round(x)); }
THK_EXPORT_AS(ucrtbase, lround, ucrtbase_lround, 1);
THK_EXPORT_AS(ucrtbase, lroundl, ucrtbase_lround, 1);
static int32_t WINAPI ucrtbase_lroundf(float x) { return ucrt_to_long(roundf(x)); }
THK_EXPORT_AS(ucrtbase, lroundf, ucrtbase_lroundf, 1);
static int64_t WINAPI ucrtbase_llround(double x) { return ucrt_to_llong(round(x)); }
THK_EXPORT_AS(ucrtbase, llround, ucrtbase_llround, 1);
THK_EXPORT_AS(ucrtbase, llroundl, ucrtbase_llround, 1);
static int64_t WINAPI ucrtbase_llroundf(float x) { return ucrt_to_llong(roundf(x)); }
THK_EXPORT_AS(ucrtbase, llroundf, ucrtbase_llroundf, 1);
static int32_t WINAPI ucrtbase_lrint(double x) { return ucrt_to_long(rint(x)); }
THK_EXPORT_AS(ucrtbase, lrint, ucrtbase_lrint, 1);
THK_EXPORT_AS(ucrtbase, lrintl, ucrtbase_lrint, 1);
static int32_t WINAPI ucrtbase_lrintf(float x) { return ucrt_to_long(rintf(x)); }
THK_EXPORT_AS(ucrtbase, lrintf, ucrtbase_lrintf, 1);
static int64_t WINAPI ucrtbase_llrint(double x) { return ucrt_to_llong(rint(x)); }
THK_EXPORT_AS(ucrtbase, llrint, ucrtbase_llrint, 1);
THK_EXPORT_AS(ucrtbase, llrintl, ucrtbase_llrint, 1);
static int64_t WINAPI ucrtbase_llrintf(float x) { return ucrt_to_llong(rintf(x)); }
THK_EXPORT_AS(ucrtbase, llrintf, ucrtbase_llrintf, 1);

static int WINAPI ucrtbase_ilogb(double x) { return ilogb(x); }
THK_EXPORT_AS(ucrtbase, ilogb, ucrtbase_ilogb, 1);
THK_EXPORT_AS(ucrtbase, ilogbl, ucrtbase_ilogb, 1);
static int WINAPI ucrtbase_ilogbf(float x) { return ilogbf(x); }
THK_EXPORT_AS(ucrtbase, ilogbf, ucrtbase_ilogbf, 1);

static double WINAPI ucrtbase_scalbn(double x, int n) { return ucrt_check1(scalbn(x, n), x); }
THK_EXPORT_AS(ucrtbase, scalbn, ucrtbase_scalbn, 2);
THK_EXPORT_AS(ucrtbase, scalbnl, ucrtbase_scalbn, 2);
THK_EXPORT_AS(ucrtbase, scalbln, ucrtbase_scalbn, 2); /* long is int */
THK_EXPORT_AS(ucrtbase, scalblnl, ucrtbase_scalbn, 2);
static float WINAPI ucrtbase_scalbnf(float x, int n) { return (float)ucrt_check1(scalbnf(x, n), x); }
THK_EXPORT_AS(ucrtbase, scalbnf, ucrtbase_scalbnf, 2);
THK_EXPORT_AS(ucrtbase, scalblnf, ucrtbase_scalbnf, 2);

static double WINAPI ucrtbase_nan(const char *tag) { return nan(""); }
THK_EXPORT_AS(ucrtbase, nan, ucrtbase_nan, 1);
THK_EXPORT_AS(ucrtbase, nanl, ucrtbase_nan, 1);
static float WINAPI ucrtbase_nanf(const char *tag) { return nanf(""); }
THK_EXPORT_AS(ucrtbase, nanf, ucrtbase_nanf, 1);

/* ---- classification (the macros of the UCRT's math.h) ----
 * _dclass: FP_INFINITE 1, FP_NAN 2, FP_NORMAL -1, FP_SUBNORMAL -2, FP_ZERO 0. */
static short ucrt_class(int host)
{
    switch (host) {
    case FP_INFINITE: return 1;
    case FP_NAN: return 2;
    case FP_SUBNORMAL: return -2;
    case FP_ZERO: return 0;
    default: return -1;
    }
}
static short WINAPI ucrtbase__dclass(double x) { return ucrt_class(fpclassify(x)); }
THK_EXPORT_AS(ucrtbase, _dclass, ucrtbase__dclass, 1);
THK_EXPORT_AS(ucrtbase, _ldclass, ucrtbase__dclass, 1);
static short WINAPI ucrtbase__fdclass(float x) { return ucrt_class(fpclassify(x)); }
THK_EXPORT_AS(ucrtbase, _fdclass, ucrtbase__fdclass, 1);
static short WINAPI ucrtbase__dtest(const double *x) { return ucrt_class(fpclassify(*x)); }
THK_EXPORT_AS(ucrtbase, _dtest, ucrtbase__dtest, 1);
THK_EXPORT_AS(ucrtbase, _ldtest, ucrtbase__dtest, 1);
static short WINAPI ucrtbase__fdtest(const float *x) { return ucrt_class(fpclassify(*x)); }
THK_EXPORT_AS(ucrtbase, _fdtest, ucrtbase__fdtest, 1);

/* _dsign: non-zero (0x8000) when the sign bit is set */
static int WINAPI ucrtbase__dsign(double x) { return signbit(x) ? 0x8000 : 0; }
THK_EXPORT_AS(ucrtbase, _dsign, ucrtbase__dsign, 1);
THK_EXPORT_AS(ucrtbase, _ldsign, ucrtbase__dsign, 1);
static int WINAPI ucrtbase__fdsign(float x) { return signbit(x) ? 0x8000 : 0; }
THK_EXPORT_AS(ucrtbase, _fdsign, ucrtbase__fdsign, 1);

/* _dpcomp: _FP_LT 1, _FP_EQ 2, _FP_GT 4; 0 when unordered */
static int ucrt_pcomp(double x, double y)
{
    return isunordered(x, y) ? 0 : x < y ? 1 : x == y ? 2 : 4;
}
static int WINAPI ucrtbase__dpcomp(double x, double y) { return ucrt_pcomp(x, y); }
THK_EXPORT_AS(ucrtbase, _dpcomp, ucrtbase__dpcomp, 2);
THK_EXPORT_AS(ucrtbase, _ldpcomp, ucrtbase__dpcomp, 2);
static int WINAPI ucrtbase__fdpcomp(float x, float y) { return ucrt_pcomp(x, y); }
THK_EXPORT_AS(ucrtbase, _fdpcomp, ucrtbase__fdpcomp, 2);

/* ---- <fenv.h> ----
 * Windows' exception bits equal the x86 status bits glibc uses (FE_INVALID 1, FE_DIVBYZERO 4,
 * FE_OVERFLOW 8, FE_UNDERFLOW 0x10, FE_INEXACT 0x20); the rounding modes are the MXCSR values
 * shifted: FE_TONEAREST 0, FE_DOWNWARD 0x100, FE_UPWARD 0x200, FE_TOWARDZERO 0x300. */
#define UCRT_FE_ALL 0x3d

static int WINAPI ucrtbase_fegetround(void) { return fegetround() >> 2; }
THK_EXPORT_AS(ucrtbase, fegetround, ucrtbase_fegetround, 0);

static int WINAPI ucrtbase_fesetround(int mode)
{
    if (mode & ~0x300)
        return 1;
    return fesetround(mode << 2) != 0;
}
THK_EXPORT_AS(ucrtbase, fesetround, ucrtbase_fesetround, 1);

static int WINAPI ucrtbase_feclearexcept(int e) { return feclearexcept(e & UCRT_FE_ALL) != 0; }
THK_EXPORT_AS(ucrtbase, feclearexcept, ucrtbase_feclearexcept, 1);

static int WINAPI ucrtbase_fetestexcept(int e) { return fetestexcept(e & UCRT_FE_ALL); }
THK_EXPORT_AS(ucrtbase, fetestexcept, ucrtbase_fetestexcept, 1);

/* fexcept_t is an unsigned long: the flags themselves */
static int WINAPI ucrtbase_fegetexceptflag(uint32_t *flags, int e)
{
    *flags = (uint32_t)fetestexcept(e & UCRT_FE_ALL);
    return 0;
}
THK_EXPORT_AS(ucrtbase, fegetexceptflag, ucrtbase_fegetexceptflag, 2);

static int WINAPI ucrtbase_fesetexceptflag(const uint32_t *flags, int e)
{
    e &= UCRT_FE_ALL;
    feclearexcept(e);
    return (*flags & e) ? feraiseexcept((int)(*flags & e)) != 0 : 0;
}
THK_EXPORT_AS(ucrtbase, fesetexceptflag, ucrtbase_fesetexceptflag, 2);

/* fenv_t: { unsigned long _Fe_ctl, _Fe_stat } here holding the rounding mode and the flags. */
typedef struct ucrt_fenv {
    uint32_t ctl, stat;
} ucrt_fenv;

static int WINAPI ucrtbase_fegetenv(ucrt_fenv *env)
{
    env->ctl = (uint32_t)(fegetround() >> 2);
    env->stat = (uint32_t)fetestexcept(UCRT_FE_ALL);
    return 0;
}
THK_EXPORT_AS(ucrtbase, fegetenv, ucrtbase_fegetenv, 1);

static int WINAPI ucrtbase_fesetenv(const ucrt_fenv *env)
{
    feclearexcept(UCRT_FE_ALL);
    if (env->stat & UCRT_FE_ALL)
        feraiseexcept((int)(env->stat & UCRT_FE_ALL));
    return fesetround((int)(env->ctl & 0x300) << 2) != 0;
}
THK_EXPORT_AS(ucrtbase, fesetenv, ucrtbase_fesetenv, 1);

static int WINAPI ucrtbase_feholdexcept(ucrt_fenv *env)
{
    ucrtbase_fegetenv(env);
    feclearexcept(UCRT_FE_ALL);
    return 0;
}
THK_EXPORT_AS(ucrtbase, feholdexcept, ucrtbase_feholdexcept, 1);
