/* SPDX-License-Identifier: MIT */
/* msvcrt math: the double functions (and the float ones x64 msvcrt exports) on top of glibc's
 * libm, with msvcrt's errno convention (EDOM for a NaN result from non-NaN arguments, ERANGE
 * for an infinite result from finite ones; underflow sets nothing), the IEEE helpers
 * (_finite, _isnan, _fpclass, _copysign, _chgsign, _logb, _nextafter, _scalb, _hypot, _cabs),
 * the Bessel functions, and floating-point control (_control87, _controlfp(_s), _clearfp,
 * _statusfp, _fpreset) on the SSE MXCSR and the x87 control word. */
#include <math.h>
#include "thunks/msvcrt/msvcrt_lib.h"

static double crt_huge = HUGE_VAL;
THK_EXPORT_DATA(msvcrt, _HUGE, &crt_huge);

static double crt_check1(double r, double x)
{
    if (isnan(r) && !isnan(x))
        crt_set_errno(CRT_EDOM);
    else if (isinf(r) && isfinite(x))
        crt_set_errno(CRT_ERANGE);
    return r;
}

static double crt_check2(double r, double x, double y)
{
    if (isnan(r) && !isnan(x) && !isnan(y))
        crt_set_errno(CRT_EDOM);
    else if (isinf(r) && isfinite(x) && isfinite(y))
        crt_set_errno(CRT_ERANGE);
    return r;
}

static float crt_check1f(float r, float x)
{
    return (float)crt_check1(r, x);
}

static float crt_check2f(float r, float x, float y)
{
    return (float)crt_check2(r, x, y);
}

#define CRT_MATH1(name)                                                                        \
    static double WINAPI msvcrt_##name(double x) { return crt_check1(name(x), x); }           \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, 1);
#define CRT_MATH2(name)                                                                        \
    static double WINAPI msvcrt_##name(double x, double y)                                     \
    {                                                                                          \
        return crt_check2(name(x, y), x, y);                                                   \
    }                                                                                          \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, 2);
#define CRT_MATH1F(name)                                                                       \
    static float WINAPI msvcrt_##name##f(float x) { return crt_check1f(name##f(x), x); }      \
    THK_EXPORT_AS(msvcrt, name##f, msvcrt_##name##f, 1);
#define CRT_MATH2F(name)                                                                       \
    static float WINAPI msvcrt_##name##f(float x, float y)                                     \
    {                                                                                          \
        return crt_check2f(name##f(x, y), x, y);                                               \
    }                                                                                          \
    THK_EXPORT_AS(msvcrt, name##f, msvcrt_##name##f, 2);

CRT_MATH1(sin) CRT_MATH1(cos) CRT_MATH1(tan) CRT_MATH1(asin) CRT_MATH1(acos) CRT_MATH1(atan)
CRT_MATH1(sinh) CRT_MATH1(cosh) CRT_MATH1(tanh) CRT_MATH1(exp) CRT_MATH1(log) CRT_MATH1(log10)
CRT_MATH1(sqrt) CRT_MATH1(fabs) CRT_MATH1(floor) CRT_MATH1(ceil)
CRT_MATH2(atan2) CRT_MATH2(pow) CRT_MATH2(fmod)

CRT_MATH1F(sin) CRT_MATH1F(cos) CRT_MATH1F(tan) CRT_MATH1F(asin) CRT_MATH1F(acos)
CRT_MATH1F(atan) CRT_MATH1F(sinh) CRT_MATH1F(cosh) CRT_MATH1F(tanh) CRT_MATH1F(exp)
CRT_MATH1F(log) CRT_MATH1F(log10) CRT_MATH1F(sqrt) CRT_MATH1F(floor) CRT_MATH1F(ceil)
CRT_MATH2F(atan2) CRT_MATH2F(pow) CRT_MATH2F(fmod)

static double WINAPI msvcrt_ldexp(double x, int e) { return crt_check1(ldexp(x, e), x); }
THK_EXPORT_AS(msvcrt, ldexp, msvcrt_ldexp, 2);
static double WINAPI msvcrt_frexp(double x, int *e) { return frexp(x, e); }
THK_EXPORT_AS(msvcrt, frexp, msvcrt_frexp, 2);
static double WINAPI msvcrt_modf(double x, double *ip) { return modf(x, ip); }
THK_EXPORT_AS(msvcrt, modf, msvcrt_modf, 2);
static float WINAPI msvcrt_modff(float x, float *ip) { return modff(x, ip); }
THK_EXPORT_AS(msvcrt, modff, msvcrt_modff, 2);

static double WINAPI msvcrt__hypot(double x, double y) { return crt_check2(hypot(x, y), x, y); }
THK_EXPORT_AS(msvcrt, _hypot, msvcrt__hypot, 2);
static float WINAPI msvcrt__hypotf(float x, float y) { return crt_check2f(hypotf(x, y), x, y); }
THK_EXPORT_AS(msvcrt, _hypotf, msvcrt__hypotf, 2);

/* struct _complex is 16 bytes: the Windows ABI passes it by reference. */
typedef struct crt_complex {
    double x, y;
} crt_complex;
static double WINAPI msvcrt__cabs(crt_complex z) { return crt_check2(hypot(z.x, z.y), z.x, z.y); }
THK_EXPORT_AS(msvcrt, _cabs, msvcrt__cabs, 1);

/* ---- IEEE helpers ---- */
static double WINAPI msvcrt__chgsign(double x) { return -x; }
THK_EXPORT_AS(msvcrt, _chgsign, msvcrt__chgsign, 1);
static float WINAPI msvcrt__chgsignf(float x) { return -x; }
THK_EXPORT_AS(msvcrt, _chgsignf, msvcrt__chgsignf, 1);
static double WINAPI msvcrt__copysign(double x, double y) { return copysign(x, y); }
THK_EXPORT_AS(msvcrt, _copysign, msvcrt__copysign, 2);
static float WINAPI msvcrt__copysignf(float x, float y) { return copysignf(x, y); }
THK_EXPORT_AS(msvcrt, _copysignf, msvcrt__copysignf, 2);
static int WINAPI msvcrt__finite(double x) { return isfinite(x) ? 1 : 0; }
THK_EXPORT_AS(msvcrt, _finite, msvcrt__finite, 1);
static int WINAPI msvcrt__finitef(float x) { return isfinite(x) ? 1 : 0; }
THK_EXPORT_AS(msvcrt, _finitef, msvcrt__finitef, 1);
static int WINAPI msvcrt__isnan(double x) { return isnan(x) ? 1 : 0; }
THK_EXPORT_AS(msvcrt, _isnan, msvcrt__isnan, 1);
static int WINAPI msvcrt__isnanf(float x) { return isnan(x) ? 1 : 0; }
THK_EXPORT_AS(msvcrt, _isnanf, msvcrt__isnanf, 1);
static double WINAPI msvcrt__logb(double x) { return crt_check1(logb(x), x); }
THK_EXPORT_AS(msvcrt, _logb, msvcrt__logb, 1);
static float WINAPI msvcrt__logbf(float x) { return crt_check1f(logbf(x), x); }
THK_EXPORT_AS(msvcrt, _logbf, msvcrt__logbf, 1);
static double WINAPI msvcrt__nextafter(double x, double y) { return nextafter(x, y); }
THK_EXPORT_AS(msvcrt, _nextafter, msvcrt__nextafter, 2);
static float WINAPI msvcrt__nextafterf(float x, float y) { return nextafterf(x, y); }
THK_EXPORT_AS(msvcrt, _nextafterf, msvcrt__nextafterf, 2);
static double WINAPI msvcrt__scalb(double x, int32_t e) { return crt_check1(scalbn(x, e), x); }
THK_EXPORT_AS(msvcrt, _scalb, msvcrt__scalb, 2);
static float WINAPI msvcrt__scalbf(float x, int32_t e) { return crt_check1f(scalbnf(x, e), x); }
THK_EXPORT_AS(msvcrt, _scalbf, msvcrt__scalbf, 2);

/* _fpclass bits */
#define CRT_FPCLASS_SNAN 0x0001
#define CRT_FPCLASS_QNAN 0x0002
#define CRT_FPCLASS_NINF 0x0004
#define CRT_FPCLASS_NN   0x0008
#define CRT_FPCLASS_ND   0x0010
#define CRT_FPCLASS_NZ   0x0020
#define CRT_FPCLASS_PZ   0x0040
#define CRT_FPCLASS_PD   0x0080
#define CRT_FPCLASS_PN   0x0100
#define CRT_FPCLASS_PINF 0x0200

static int crt_fpclass_of(int cls, bool neg, bool quiet)
{
    switch (cls) {
    case FP_NAN: return quiet ? CRT_FPCLASS_QNAN : CRT_FPCLASS_SNAN;
    case FP_INFINITE: return neg ? CRT_FPCLASS_NINF : CRT_FPCLASS_PINF;
    case FP_ZERO: return neg ? CRT_FPCLASS_NZ : CRT_FPCLASS_PZ;
    case FP_SUBNORMAL: return neg ? CRT_FPCLASS_ND : CRT_FPCLASS_PD;
    default: return neg ? CRT_FPCLASS_NN : CRT_FPCLASS_PN;
    }
}
static int WINAPI msvcrt__fpclass(double x)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &x, 8);
    return crt_fpclass_of(fpclassify(x), signbit(x), bits & (1ull << 51));
}
THK_EXPORT_AS(msvcrt, _fpclass, msvcrt__fpclass, 1);
static int WINAPI msvcrt__fpclassf(float x)
{
    uint32_t bits;
    __builtin_memcpy(&bits, &x, 4);
    return crt_fpclass_of(fpclassify(x), signbit(x), bits & (1u << 22));
}
THK_EXPORT_AS(msvcrt, _fpclassf, msvcrt__fpclassf, 1);

/* ---- Bessel functions ---- */
static double WINAPI msvcrt__j0(double x) { return j0(x); }
THK_EXPORT_AS(msvcrt, _j0, msvcrt__j0, 1);
static double WINAPI msvcrt__j1(double x) { return j1(x); }
THK_EXPORT_AS(msvcrt, _j1, msvcrt__j1, 1);
static double WINAPI msvcrt__jn(int n, double x) { return jn(n, x); }
THK_EXPORT_AS(msvcrt, _jn, msvcrt__jn, 2);
static double WINAPI msvcrt__y0(double x) { return crt_check1(y0(x), x); }
THK_EXPORT_AS(msvcrt, _y0, msvcrt__y0, 1);
static double WINAPI msvcrt__y1(double x) { return crt_check1(y1(x), x); }
THK_EXPORT_AS(msvcrt, _y1, msvcrt__y1, 1);
static double WINAPI msvcrt__yn(int n, double x) { return crt_check1(yn(n, x), x); }
THK_EXPORT_AS(msvcrt, _yn, msvcrt__yn, 2);

/* ---- floating-point control ----
 * msvcrt's control word: _EM_* exception masks, _RC_* rounding, _PC_* precision (x87 only),
 * _DN_* denormal handling (SSE only). */
#define CRT_EM_INEXACT    0x00000001u
#define CRT_EM_UNDERFLOW  0x00000002u
#define CRT_EM_OVERFLOW   0x00000004u
#define CRT_EM_ZERODIVIDE 0x00000008u
#define CRT_EM_INVALID    0x00000010u
#define CRT_EM_DENORMAL   0x00080000u
#define CRT_MCW_EM        0x0008001Fu
#define CRT_MCW_RC        0x00000300u
#define CRT_MCW_PC        0x00030000u
#define CRT_MCW_DN        0x03000000u
#define CRT_RC_DOWN 0x100u
#define CRT_RC_UP   0x200u
#define CRT_PC_24   0x00020000u
#define CRT_PC_53   0x00010000u
#define CRT_DN_FLUSH 0x01000000u
#define CRT_DN_FLUSH_OPERANDS_SAVE_RESULTS 0x02000000u
#define CRT_DN_SAVE_OPERANDS_FLUSH_RESULTS 0x03000000u

/* exception bits in the same order in the x87 control/status words and MXCSR (<< 7 for its
 * masks): invalid, denormal, zero-divide, overflow, underflow, precision */
static const uint32_t crt_em_bits[6] = {CRT_EM_INVALID, CRT_EM_DENORMAL, CRT_EM_ZERODIVIDE,
                                        CRT_EM_OVERFLOW, CRT_EM_UNDERFLOW, CRT_EM_INEXACT};

static uint32_t crt_get_mxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}
static void crt_set_mxcsr(uint32_t v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }
static uint16_t crt_get_x87cw(void)
{
    uint16_t v;
    __asm__ volatile("fnstcw %0" : "=m"(v));
    return v;
}
static void crt_set_x87cw(uint16_t v) { __asm__ volatile("fldcw %0" : : "m"(v)); }
static uint16_t crt_get_x87sw(void)
{
    uint16_t v;
    __asm__ volatile("fnstsw %0" : "=m"(v));
    return v;
}

static uint32_t crt_cw_from_mxcsr(uint32_t m)
{
    uint32_t cw = 0;
    for (int i = 0; i < 6; i++)
        if (m & (0x80u << i))
            cw |= crt_em_bits[i];
    static const uint32_t rc[4] = {0, CRT_RC_DOWN, CRT_RC_UP, CRT_RC_DOWN | CRT_RC_UP};
    cw |= rc[(m >> 13) & 3];
    bool ftz = m & 0x8000, daz = m & 0x40;
    if (ftz && daz)
        cw |= CRT_DN_FLUSH;
    else if (daz)
        cw |= CRT_DN_FLUSH_OPERANDS_SAVE_RESULTS;
    else if (ftz)
        cw |= CRT_DN_SAVE_OPERANDS_FLUSH_RESULTS;
    return cw;
}

static uint32_t crt_mxcsr_from_cw(uint32_t m, uint32_t cw)
{
    m &= ~(0x3Fu << 7 | 3u << 13 | 0x8000u | 0x40u);
    for (int i = 0; i < 6; i++)
        if (cw & crt_em_bits[i])
            m |= 0x80u << i;
    uint32_t rc = (cw & CRT_MCW_RC) >> 8; /* near 0, down 1, up 2, chop 3: as MXCSR */
    m |= rc << 13;
    switch (cw & CRT_MCW_DN) {
    case CRT_DN_FLUSH: m |= 0x8040; break;
    case CRT_DN_FLUSH_OPERANDS_SAVE_RESULTS: m |= 0x40; break;
    case CRT_DN_SAVE_OPERANDS_FLUSH_RESULTS: m |= 0x8000; break;
    default: break;
    }
    return m;
}

static uint16_t crt_x87cw_from_cw(uint16_t x, uint32_t cw)
{
    x &= (uint16_t)~(0x3Fu | 0x0C00u | 0x0300u);
    for (int i = 0; i < 6; i++)
        if (cw & crt_em_bits[i])
            x |= (uint16_t)(1u << i);
    x |= (uint16_t)(((cw & CRT_MCW_RC) >> 8) << 10);
    switch (cw & CRT_MCW_PC) {
    case CRT_PC_24: break;                   /* 00 */
    case CRT_PC_53: x |= 0x0200; break;      /* 10 */
    default: x |= 0x0300; break;             /* _PC_64: 11 */
    }
    return x;
}

/* _controlfp: the SSE unit (precision control does not exist there and is ignored). */
static uint32_t WINAPI msvcrt__controlfp(uint32_t value, uint32_t mask)
{
    mask &= CRT_MCW_EM | CRT_MCW_RC | CRT_MCW_DN;
    uint32_t m = crt_get_mxcsr();
    uint32_t cw = crt_cw_from_mxcsr(m);
    if (mask) {
        cw = (cw & ~mask) | (value & mask);
        crt_set_mxcsr(crt_mxcsr_from_cw(m, cw));
    }
    return cw;
}
THK_EXPORT_AS(msvcrt, _controlfp, msvcrt__controlfp, 2);

/* _controlfp_s: _controlfp's change, the resulting word in *current (optional); EINVAL (errno
 * too, nothing changed, the word still given) for a value with bits outside the control word's
 * fields (_MCW_EM, _MCW_IC 0x40000, _MCW_RC, _MCW_PC, _MCW_DN) under the mask. */
static int32_t WINAPI msvcrt__controlfp_s(uint32_t *current, uint32_t value, uint32_t mask)
{
    const uint32_t all = CRT_MCW_EM | 0x00040000u | CRT_MCW_RC | CRT_MCW_PC | CRT_MCW_DN;
    int32_t r = 0;
    uint32_t cw;
    if (value & mask & ~all) {
        crt_set_errno(CRT_EINVAL);
        r = CRT_EINVAL;
        cw = msvcrt__controlfp(0, 0);
    } else {
        cw = msvcrt__controlfp(value, mask);
    }
    if (current)
        *current = cw;
    return r;
}
THK_EXPORT_AS(msvcrt, _controlfp_s, msvcrt__controlfp_s, 3);

/* _control87: the same word, also applied to the x87 unit (which has precision control). */
static uint32_t WINAPI msvcrt__control87(uint32_t value, uint32_t mask)
{
    uint32_t cw = msvcrt__controlfp(value, mask);
    if (mask & (CRT_MCW_EM | CRT_MCW_RC | CRT_MCW_PC)) {
        uint32_t want = (cw & ~CRT_MCW_PC) | (value & mask & CRT_MCW_PC);
        if (!(mask & CRT_MCW_PC)) {
            uint16_t pc = (crt_get_x87cw() >> 8) & 3;
            want |= pc == 0 ? CRT_PC_24 : pc == 2 ? CRT_PC_53 : 0;
        }
        crt_set_x87cw(crt_x87cw_from_cw(crt_get_x87cw(), want));
    }
    return cw;
}
THK_EXPORT_AS(msvcrt, _control87, msvcrt__control87, 2);

static uint32_t crt_status_from_bits(uint32_t bits) /* x87 SW / MXCSR flag layout */
{
    uint32_t sw = 0;
    for (int i = 0; i < 6; i++)
        if (bits & (1u << i))
            sw |= crt_em_bits[i]; /* the _SW_* bits have the _EM_* values */
    return sw;
}

static uint32_t WINAPI msvcrt__statusfp(void)
{
    return crt_status_from_bits((crt_get_mxcsr() | crt_get_x87sw()) & 0x3F);
}
THK_EXPORT_AS(msvcrt, _statusfp, msvcrt__statusfp, 0);

static uint32_t WINAPI msvcrt__clearfp(void)
{
    uint32_t st = msvcrt__statusfp();
    crt_set_mxcsr(crt_get_mxcsr() & ~0x3Fu);
    __asm__ volatile("fnclex");
    return st;
}
THK_EXPORT_AS(msvcrt, _clearfp, msvcrt__clearfp, 0);

/* _fpreset: the Windows x64 defaults, all exceptions masked, round to nearest (MXCSR 0x1F80,
 * x87 control word 0x27F: 53-bit precision). */
static void WINAPI msvcrt__fpreset(void)
{
    __asm__ volatile("fninit");
    crt_set_x87cw(0x27F);
    crt_set_mxcsr(0x1F80);
}
THK_EXPORT_AS(msvcrt, _fpreset, msvcrt__fpreset, 0);

static __thread int crt_fpecode;
static int *WINAPI msvcrt___fpecode(void) { return &crt_fpecode; }
THK_EXPORT_AS(msvcrt, __fpecode, msvcrt___fpecode, 0);
