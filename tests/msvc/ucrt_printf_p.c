/* The UCRT's positional printf (_sprintf_p, _swprintf_p, _printf_p: __stdio_common_v*printf_p):
 * "%n$" names the argument of a conversion and "*n$" that of a width or precision; arguments
 * may be used in any order and more than once; a format without positions behaves as in
 * sprintf_s. Mixing positional and plain conversions (once the first conversion named a
 * position), a position out of 1..100 and an unused argument below the highest used one are
 * invalid parameters: the handler runs, errno is EINVAL, the result is -1 and the buffer is
 * emptied. Expected values: the UCRT documentation ("printf_p Positional Parameters") and the
 * UCRT's sources (corecrt_internal_stdio_output.h, positional_parameter_base). */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
typedef void(__cdecl *iph_t)(const wchar16 *, const wchar16 *, const wchar16 *, unsigned,
                             unsigned long long);
__declspec(dllimport) iph_t __cdecl _set_invalid_parameter_handler(iph_t h);
__declspec(dllimport) int __cdecl __stdio_common_vsprintf_p(unsigned long long options,
                                                            char *buffer, size_t size,
                                                            const char *format, void *locale,
                                                            va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vswprintf_p(unsigned long long options,
                                                             wchar16 *buffer, size_t size,
                                                             const wchar16 *format, void *locale,
                                                             va_list args);
__declspec(dllimport) int __cdecl __stdio_common_vfprintf_p(unsigned long long options,
                                                            FILE *stream, const char *format,
                                                            void *locale, va_list args);

static int handler_calls;
static void __cdecl handler(const wchar16 *e, const wchar16 *f, const wchar16 *file, unsigned line,
                            unsigned long long r)
{
    handler_calls++;
}

/* _sprintf_p as the UCRT's stdio.h defines it */
static int _sprintf_p(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vsprintf_p(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, size, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}

static int _swprintf_p(wchar16 *buf, size_t size, const wchar16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vswprintf_p(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, buf, size, fmt, 0, ap);
    va_end(ap);
    return r < 0 ? -1 : r;
}

static int _printf_p(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __stdio_common_vfprintf_p(_CRT_INTERNAL_LOCAL_PRINTF_OPTIONS, __acrt_iob_func(1), fmt,
                                      0, ap);
    va_end(ap);
    return r;
}

static void bad(const char *what, int r, const char *buf)
{
    printf("%s: %d, errno %d, handler calls %d, buf[0] %d\n", what, r, errno, handler_calls,
           buf[0]);
}

int main(void)
{
    char buf[128];
    wchar16 wbuf[64];

    int r = _sprintf_p(buf, sizeof buf, "%2$s %1$s", "world", "hello");
    printf("swap: %d [%s]\n", r, buf);
    r = _sprintf_p(buf, sizeof buf, "%3$d|%1$.2f|%2$lld|%1$e|%3$x|%4$c", 2.5,
                   -1234567890123LL, 255, 'z');
    printf("mixed types, reuse: %d [%s]\n", r, buf);
    r = _sprintf_p(buf, sizeof buf, "[%1$*2$d] [%1$-*2$d] [%3$.*2$f] [%4$*2$s]", 42, 6, 3.14159,
                   "ab");
    printf("widths: %d [%s]\n", r, buf);
    r = _sprintf_p(buf, sizeof buf, "%1$s 100%% %1$s", "x");
    printf("percent: %d [%s]\n", r, buf);
    r = _sprintf_p(buf, sizeof buf, "plain %d %s %.1f", 7, "args", 0.25);
    printf("no positions: %d [%s]\n", r, buf);
    r = _sprintf_p(buf, sizeof buf, "no conversions");
    printf("no conversions: %d [%s]\n", r, buf);
    r = _swprintf_p(wbuf, 64, L"%2$s-%1$d", 5, L"wide");
    for (int i = 0; (buf[i] = (char)wbuf[i]) != 0; i++)
        ;
    printf("wide: %d [%s]\n", r, buf);
    r = _printf_p("%2$s %1$s (stdout)\n", "second", "first");
    printf("to stdout: %d\n", r);

    _set_invalid_parameter_handler(handler);
    errno = 0;
    r = _sprintf_p(buf, sizeof buf, "%1$d %d", 1, 2);
    bad("positional then plain", r, buf);
    errno = 0;
    r = _sprintf_p(buf, sizeof buf, "%1$d %3$d", 1, 2, 3);
    bad("unused argument 2", r, buf);
    errno = 0;
    r = _sprintf_p(buf, sizeof buf, "%0$d", 1);
    bad("position 0", r, buf);
    errno = 0;
    r = _sprintf_p(buf, sizeof buf, "%101$d", 1);
    bad("position 101", r, buf);
    errno = 0;
    r = _sprintf_p(buf, sizeof buf, "%1$*d", 1, 2);
    bad("plain * in positional", r, buf);
    errno = 0;
    r = _sprintf_p(buf, 4, "%1$s", "toolong");
    bad("too small", r, buf);
    return 0;
}
