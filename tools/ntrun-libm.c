/* SPDX-License-Identifier: MIT */
/* The ntrun command's libm, opened on the first math call (issue 12, start-up).
 *
 * The C runtime's math exports (msvcrt, ucrtbase) call glibc's libm. Linked, libm is mapped and
 * relocated at every start: 4 mmaps and an open/read/fstat/close, the symbol lookups of its 97
 * functions, and the IFUNC resolvers of its relocations (cosf, exp, exp2f, ...), which read
 * 256 KB of its text (docs/performance.md, sixth and seventh passes). hello.exe calls none of
 * them. Here each function the core uses is defined once more, in the executable only: the
 * first call opens libm (dlopen, as thunks/advapi32/nettle_lazy.c opens Nettle) and keeps the
 * address of libm's own function; later calls are one load and an indirect jump, what a PLT
 * call costs. Linked with --as-needed, ntrun then has no DT_NEEDED libm (libntrun.so and .a
 * link libm as before: an embedding program has it anyway).
 *
 * A libm function the core starts to use and that is not listed below would be taken from libm
 * at link time, making it needed again: the build of ntrun fails then (a check after the link,
 * CMakeLists.txt) and names this file. Add the function here. */
#include <dlfcn.h>
#include <fenv.h>
#include <gnu/lib-names.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include "runtime/runtime.h"

static void *lm_handle;
static pthread_once_t lm_once = PTHREAD_ONCE_INIT;

static void lm_open(void) { lm_handle = dlopen(LIBM_SO, RTLD_NOW | RTLD_LOCAL); }

/* libm's `name`; a host without libm cannot compute it: said, and the process ends. */
__attribute__((noinline, cold)) static void *lm_resolve(void **slot, const char *name)
{
    pthread_once(&lm_once, lm_open);
    void *p = lm_handle ? dlsym(lm_handle, name) : NULL;
    if (!p) {
        rt_message("cannot load %s!%s (%s): the C runtime's math functions need it", LIBM_SO,
                   name, lm_handle ? "no such function" : dlerror());
        abort();
    }
    __atomic_store_n(slot, p, __ATOMIC_RELEASE);
    return p;
}

#define LM_PTR(name)                                                                           \
    static void *lm_##name;                                                                    \
    static inline void *lm_get_##name(void)                                                    \
    {                                                                                          \
        void *p = __atomic_load_n(&lm_##name, __ATOMIC_ACQUIRE);                                \
        return __builtin_expect(p != NULL, 1) ? p : lm_resolve(&lm_##name, #name);             \
    }

/* ret name(params) { return libm's name(args); } */
#define LM_FN(ret, name, params, args)                                                         \
    LM_PTR(name)                                                                               \
    ret name params { return ((ret(*) params)lm_get_##name()) args; }

#define LM_D1(name) LM_FN(double, name, (double x), (x))
#define LM_F1(name) LM_FN(float, name, (float x), (x))
#define LM_D2(name) LM_FN(double, name, (double x, double y), (x, y))
#define LM_F2(name) LM_FN(float, name, (float x, float y), (x, y))

LM_D1(acos) LM_D1(acosh) LM_D1(asin) LM_D1(asinh) LM_D1(atan) LM_D1(atanh) LM_D1(cbrt)
LM_D1(cos) LM_D1(cosh) LM_D1(erf) LM_D1(erfc) LM_D1(exp) LM_D1(exp2) LM_D1(expm1) LM_D1(j0)
LM_D1(j1) LM_D1(lgamma) LM_D1(log) LM_D1(log10) LM_D1(log1p) LM_D1(log2) LM_D1(logb)
LM_D1(nearbyint) LM_D1(round) LM_D1(sin) LM_D1(sinh) LM_D1(sqrt) LM_D1(tan) LM_D1(tanh)
LM_D1(tgamma) LM_D1(y0) LM_D1(y1)

LM_F1(acosf) LM_F1(acoshf) LM_F1(asinf) LM_F1(asinhf) LM_F1(atanf) LM_F1(atanhf) LM_F1(cbrtf)
LM_F1(cosf) LM_F1(coshf) LM_F1(erff) LM_F1(erfcf) LM_F1(expf) LM_F1(exp2f) LM_F1(expm1f)
LM_F1(lgammaf) LM_F1(logf) LM_F1(log10f) LM_F1(log1pf) LM_F1(log2f) LM_F1(logbf)
LM_F1(nearbyintf) LM_F1(roundf) LM_F1(sinf) LM_F1(sinhf) LM_F1(sqrtf) LM_F1(tanf)
LM_F1(tanhf) LM_F1(tgammaf)

LM_D2(atan2) LM_D2(fdim) LM_D2(fmax) LM_D2(fmin) LM_D2(fmod) LM_D2(hypot) LM_D2(nextafter)
LM_D2(pow) LM_D2(remainder)

LM_F2(atan2f) LM_F2(fdimf) LM_F2(fmaxf) LM_F2(fminf) LM_F2(fmodf) LM_F2(hypotf)
LM_F2(nextafterf) LM_F2(powf) LM_F2(remainderf)

LM_FN(double, fma, (double x, double y, double z), (x, y, z))
LM_FN(float, fmaf, (float x, float y, float z), (x, y, z))
LM_FN(double, frexp, (double x, int *e), (x, e))
LM_FN(double, ldexp, (double x, int e), (x, e))
LM_FN(double, scalbn, (double x, int e), (x, e))
LM_FN(float, scalbnf, (float x, int e), (x, e))
LM_FN(int, ilogb, (double x), (x))
LM_FN(int, ilogbf, (float x), (x))
LM_FN(double, modf, (double x, double *i), (x, i))
LM_FN(float, modff, (float x, float *i), (x, i))
LM_FN(double, remquo, (double x, double y, int *q), (x, y, q))
LM_FN(float, remquof, (float x, float y, int *q), (x, y, q))
LM_FN(double, jn, (int n, double x), (n, x))
LM_FN(double, yn, (int n, double x), (n, x))

LM_FN(int, feclearexcept, (int e), (e))
LM_FN(int, feraiseexcept, (int e), (e))
LM_FN(int, fetestexcept, (int e), (e))
LM_FN(int, fegetround, (void), ())
LM_FN(int, fesetround, (int r), (r))
