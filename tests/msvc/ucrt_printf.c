/* The UCRT's printf family through __stdio_common_*: C99 sizes (hh, z, j, t, ll) and
 * conversions (%a, %F), floating point printed exactly and rounded to nearest-even (Windows 10
 * 2004+ with a VS 2019 16.2+ program), inf/nan spellings, two-digit exponents and the
 * LEGACY_THREE_DIGIT_EXPONENTS and LEGACY_MSVCRT_COMPATIBILITY bits, the string results of the
 * LEGACY_VSPRINTF_NULL_TERMINATION / STANDARD_SNPRINTF_BEHAVIOR / neither bits, sprintf_s and
 * _snprintf_s, the wide %s with and without LEGACY_WIDE_SPECIFIERS, and %n (refused through the
 * invalid-parameter handler unless _set_printf_count_output). Expected values: the UCRT
 * documentation (printf type field, _snprintf, snprintf, sprintf_s) and Windows' results as
 * recorded in Wine's ucrtbase tests. */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
typedef void(__cdecl *iph_t)(const wchar16 *, const wchar16 *, const wchar16 *, unsigned,
                             unsigned long long);
__declspec(dllimport) iph_t __cdecl _set_invalid_parameter_handler(iph_t h);
__declspec(dllimport) int __cdecl _set_printf_count_output(int enable);
__declspec(dllimport) int __cdecl _get_printf_count_output(void);

static int handler_calls;
static void __cdecl handler(const wchar16 *e, const wchar16 *f, const wchar16 *file, unsigned line,
                            unsigned long long r)
{
    handler_calls++;
}

static int vs(unsigned long long options, char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf(options, buf, n, fmt, 0, ap);
    va_end(ap);
    return r;
}

static int vsw(unsigned long long options, wchar16 *buf, size_t n, const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vswprintf(options, buf, n, fmt, 0, ap);
    va_end(ap);
    return r;
}

static void show(const char *what, const char *buf, int n)
{
    printf("%s: [", what);
    for (int i = 0; i < n; i++)
        printf(buf[i] ? "%c" : "\\0", buf[i]);
    printf("]\n");
}

static void narrow_of(char *out, const wchar16 *w)
{
    while ((*out++ = (char)*w++))
        ;
}

int main(void)
{
    double inf = 1e308 * 10, zero = 0;
    /* the x64 default NaN (what 0 * inf gives at run time) and a positive quiet NaN */
    unsigned long long ind_bits = 0xfff8000000000000ULL, qnan_bits = 0x7ff8000000000000ULL;
    double nan_ind = *(double *)&ind_bits, qnan = *(double *)&qnan_bits;
    char buf[64];
    wchar16 wbuf[64];

    printf("sizes: %zu %zd %zx|%jd %ju|%td|%lld %llu|%hhd %hhu %hd|%lu %I64d %I32x\n",
           (size_t)123456789012ULL, (long long)-5, (size_t)-1, (long long)(-9223372036854775807LL - 1),
           18446744073709551615ULL, (long long)-77, -1234567890123LL, 1234567890123ULL, 300, -1,
           70000, 4294967295UL, -1234567890123LL, 0xdeadbeef);
    printf("%%p: %p, %%#x: %#x %#o\n", (void *)0x1234, 255, 8);
    printf("e: %e %E %.0e %e\n", 12345.678, 12345.678, 5e-300, zero);
    printf("g: %g %g %g %g %G %#g\n", 0.0001, 0.00001, 123456789.0, 100.0, 1e-10, 1.0);
    printf("f: %.20f %.0f %.0f %.0f %.2f %.1f\n", 0.1, 0.5, 1.5, 2.5, 2.675, 0.25);
    printf("F: %F %F\n", 1.5, inf);
    printf("a: %a %A %.2a %a %a\n", 1.0, 0.5, 1.0, -0.0, 3.0);
    printf("specials: %f %e %g %F %E|%f %F|%f %F|%f\n", inf, -inf, inf, -inf, inf, qnan, qnan,
           nan_ind, nan_ind, -nan_ind);
    printf("width: [%8.3f] [%-8.2e] [%+d] [% d] [%08.3f] [%5s] [%-5s] [%.2s]\n", 3.14159, 1.5,
           5, 5, -3.14159, "ab", "ab", "abcdef");

    vs(_CRT_INTERNAL_PRINTF_LEGACY_THREE_DIGIT_EXPONENTS, buf, sizeof buf, "%e %E %g", 1.23,
       1.23e123, 1e-5);
    printf("three-digit exponents: %s\n", buf);
    vs(_CRT_INTERNAL_PRINTF_LEGACY_MSVCRT_COMPATIBILITY, buf, sizeof buf, "%f %f %f|%Fd %Nd", inf,
       qnan, nan_ind, 123, 456);
    printf("msvcrt compatibility: %s\n", buf);
    vs(0, buf, sizeof buf, "%Ts|%hs|%ls", "natural", "narrow", L"wide");
    printf("narrow %%Ts %%hs %%ls: %s\n", buf);

    /* the three termination rules, with an 8-character buffer */
    static const char *texts[] = {"short", "justfit", "justfits", "muchlonger"};
    for (int i = 0; i < 4; i++) {
        char b[8];
        for (int k = 0; k < 8; k++)
            b[k] = '#';
        int r = vs(_CRT_INTERNAL_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION, b, 8, texts[i]);
        printf("legacy %-10s -> %2d ", texts[i], r);
        show("buffer", b, 8);
        for (int k = 0; k < 8; k++)
            b[k] = '#';
        r = vs(_CRT_INTERNAL_PRINTF_STANDARD_SNPRINTF_BEHAVIOR, b, 8, texts[i]);
        printf("C99    %-10s -> %2d ", texts[i], r);
        show("buffer", b, 8);
        for (int k = 0; k < 8; k++)
            b[k] = '#';
        r = vs(0, b, 8, texts[i]);
        printf("none   %-10s -> %2d ", texts[i], r);
        show("buffer", b, 8);
    }
    printf("count only: %d %d %d, _scprintf: %d\n",
           vs(_CRT_INTERNAL_PRINTF_STANDARD_SNPRINTF_BEHAVIOR, 0, 0, "abcd"),
           vs(_CRT_INTERNAL_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION, 0, 0, "abcd"),
           vs(0, 0, 0, "abcd"), _scprintf("%d-%s", 42, "xyz"));
    printf("snprintf(buf, 4, \"%%d\", 123456) = %d, buf = %s\n", snprintf(buf, 4, "%d", 123456),
           buf);
    printf("sprintf = %d, buf = %s\n", sprintf(buf, "%s/%d", "x", 7), buf);

    /* _snprintf_s with _TRUNCATE and a count */
    int r = _snprintf_s(buf, 6, _TRUNCATE, "AB%uC", 123);
    printf("_snprintf_s(6, _TRUNCATE) = %d [%s]\n", r, buf);
    r = _snprintf_s(buf, 14, _TRUNCATE, "AB%uC", 123);
    printf("_snprintf_s(14, _TRUNCATE) = %d [%s]\n", r, buf);
    r = _snprintf_s(buf, 14, 3, "AB%uC", 123);
    printf("_snprintf_s(14, 3) = %d [%s]\n", r, buf);

    /* invalid parameters, with a handler that returns */
    _set_invalid_parameter_handler(handler);
    errno = 0;
    r = sprintf_s(buf, 4, "%s", "toolong");
    printf("sprintf_s too small: %d, errno %d, buf[0] %d, handler calls %d\n", r, errno, buf[0],
           handler_calls);
    int count = -1;
    errno = 0;
    r = vs(0, buf, sizeof buf, "ab%ncd", &count);
    printf("%%n refused: %d, errno %d, count %d, handler calls %d, enabled %d\n", r, errno, count,
           handler_calls, _get_printf_count_output());
    printf("_set_printf_count_output(1) was %d\n", _set_printf_count_output(1));
    r = vs(0, buf, sizeof buf, "ab%ncd", &count);
    printf("%%n stored: %d [%s] count %d, enabled %d\n", r, buf, count, _get_printf_count_output());
    _set_printf_count_output(0);
    errno = 0;
    r = vs(0, buf, sizeof buf, 0);
    printf("NULL format: %d, errno %d, handler calls %d\n", r, errno, handler_calls);

    /* wide: %s is wide with LEGACY_WIDE_SPECIFIERS (what programs pass), narrow without */
    r = vsw(_CRT_INTERNAL_PRINTF_LEGACY_WIDE_SPECIFIERS, wbuf, 64, L"%s %hs %S %Ts", L"wide",
            "narrow", "narrow2", L"natural");
    narrow_of(buf, wbuf);
    printf("wide legacy: %d [%s]\n", r, buf);
    r = vsw(0, wbuf, 64, L"%s %ls %S %Ts %c", "narrow", L"wide", L"wide2", L"natural", 'c');
    narrow_of(buf, wbuf);
    printf("wide ISO: %d [%s]\n", r, buf);
    r = swprintf(wbuf, 4, L"%d", 123456);
    narrow_of(buf, wbuf);
    printf("swprintf too long: %d [%s]\n", r, buf);
    fwprintf(stdout, L"fwprintf: %s %d\n", L"ok", 1);
    return 0;
}
