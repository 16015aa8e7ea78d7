/* The UCRT's math exports as an MSVC program calls them: the C99 functions (round, trunc,
 * log2, cbrt, fma, hypot, fmin/fmax, lround/llround, remainder, copysign, nextafter, tgamma,
 * erf, expm1, log1p, exp2, ilogb, scalbn, nan), the classification helpers behind math.h's
 * macros (_dclass = fpclassify, _dtest, _fdclass, _fdtest, _dsign = signbit, _dpcomp), errno
 * from domain and range errors, and fesetround's effect on rint-style rounding. */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
#define M1(f) __declspec(dllimport) double __cdecl f(double);
#define M2(f) __declspec(dllimport) double __cdecl f(double, double);
M1(round) M1(trunc) M1(log2) M1(cbrt) M1(tgamma) M1(erf) M1(expm1) M1(log1p) M1(exp2) M1(sqrt)
M1(floor) M1(log)
M2(hypot) M2(fmin) M2(fmax) M2(remainder) M2(copysign) M2(nextafter) M2(pow)
__declspec(dllimport) double __cdecl fma(double, double, double);
__declspec(dllimport) long __cdecl lround(double);
__declspec(dllimport) long long __cdecl llround(double);
__declspec(dllimport) int __cdecl ilogb(double);
__declspec(dllimport) double __cdecl scalbn(double, int);
__declspec(dllimport) double __cdecl nan(const char *);
__declspec(dllimport) float __cdecl roundf(float);
__declspec(dllimport) float __cdecl sqrtf(float);
__declspec(dllimport) short __cdecl _dclass(double);
__declspec(dllimport) short __cdecl _fdclass(float);
__declspec(dllimport) short __cdecl _dtest(double *);
__declspec(dllimport) short __cdecl _fdtest(float *);
__declspec(dllimport) int __cdecl _dsign(double);
__declspec(dllimport) int __cdecl _dpcomp(double, double);
__declspec(dllimport) int __cdecl fegetround(void);
__declspec(dllimport) int __cdecl fesetround(int);

int main(void)
{
    volatile double zero = 0, one = 1, big = 1e308;
    double inf = big * 10;
    printf("round: %g %g %g %g, roundf %g, trunc %g %g\n", round(2.5), round(-2.5), round(0.49999999999999994),
           round(-0.4), (double)roundf(1.5f), trunc(-3.7), trunc(3.7));
    printf("log2 %g cbrt %g fma %.17g hypot %g\n", log2(1024), cbrt(-27), fma(0.1, 10, -1),
           hypot(3, 4));
    printf("fmin %g fmax %g fmin(nan,1) %g\n", fmin(1, 2), fmax(1, 2), fmin(nan(""), 1));
    printf("lround %ld %ld llround %lld\n", lround(2.5), lround(-2.5), llround(1e15 + 0.5));
    printf("remainder %g copysign %g nextafter %.17g\n", remainder(7, 4), copysign(3, -0.0),
           nextafter(1, 2));
    printf("tgamma(5) %g erf(0) %g expm1(0) %g log1p(0) %g exp2(10) %g\n", tgamma(5), erf(0),
           expm1(0), log1p(0), exp2(10));
    printf("ilogb(1000) %d scalbn(1,10) %g sqrtf(2) %.7g\n", ilogb(1000), scalbn(1, 10),
           (double)sqrtf(2));

    double n = nan(""), sub = 4.9e-324, neg = -0.0;
    float ff = 1.5f;
    printf("_dclass: inf %d nan %d normal %d subnormal %d zero %d; _fdclass(1.5f) %d\n",
           _dclass(inf), _dclass(n), _dclass(1.0), _dclass(sub), _dclass(zero), _fdclass(ff));
    printf("_dtest(&inf) %d _fdtest(&1.5f) %d\n", _dtest(&inf), _fdtest(&ff));
    printf("_dsign: -0.0 %d, 1.0 %d\n", _dsign(neg) != 0, _dsign(one) != 0);
    printf("_dpcomp: 1<2 %d, 2==2 %d, 3>2 %d, nan %d\n", _dpcomp(1, 2), _dpcomp(2, 2),
           _dpcomp(3, 2), _dpcomp(n, 1));

    errno = 0;
    double r = sqrt(-one);
    printf("sqrt(-1): %s, errno %d\n", _dclass(r) == 2 ? "nan" : "number", errno);
    errno = 0;
    r = log(zero);
    printf("log(0): %g, errno %d\n", r, errno);
    errno = 0;
    r = pow(10, 400);
    printf("pow(10, 400): %g, errno %d\n", r, errno);

    printf("fegetround %d\n", fegetround());
    int set = fesetround(0x200 /* FE_UPWARD */);
    int mode = fegetround();
    volatile double third = one / 3.0; /* rounded up now */
    fesetround(0);
    printf("fesetround(FE_UPWARD) %d, fegetround %#x, 1/3 rounded up: %d\n", set, mode,
           third > 0.33333333333333331);
    printf("fesetround(bad) %d\n", fesetround(0x1234) != 0);
    return 0;
}
