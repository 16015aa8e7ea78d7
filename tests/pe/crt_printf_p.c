/* msvcrt's _p printf family (positional parameters "%2$s %1$d", msvcrt's conversions
 * otherwise) and its _p_l forms (the decimal point from the locale argument): _printf_p,
 * _printf_p_l, _fprintf_p, _sprintf_p_l, _vsprintf_p (a text that does not fit: an empty
 * string, -1, ERANGE), _scprintf_p_l, _vscprintf_p, _wprintf_p, _swprintf_p_l, _scwprintf_p_l;
 * an argument used twice, '*' widths by position, a format without positions, a mix of
 * positional and plain conversions and an argument left out (both -1 with EINVAL); and the
 * strtol family's _l forms (_strtol_l, _strtoul_l, _strtoi64_l, _strtoui64_l, _wcstol_l,
 * _wcstoul_l, _wcstoi64_l, _wcstoui64_l, _strtod_l, _atof_l with a locale whose
 * decimal point is ','). Expected: Windows' msvcrt as its documentation describes the _p
 * functions (printf with positional parameters; a mix or a gap is an invalid parameter) and
 * msvcrt's own conversions (%.1f of 0.25 is "0.3": it rounds its 17-digit string half up);
 * Wine 8.0's msvcrt has no _p functions (they stop as unimplemented), so only the UCRT's,
 * whose positional rules ntrun shares, were compared with it (msvc.ucrt_printf_p). */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>


static int vsp(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = _vsprintf_p(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

static int vscp(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = _vscprintf_p(fmt, ap);
    va_end(ap);
    return r;
}

static void wshow(const wchar_t *w)
{
    for (; *w; w++)
        putchar(*w < 0x80 ? (char)*w : '?');
}

int main(void)
{
    _locale_t de = _create_locale(LC_ALL, "German_Germany.1252");
    int r = _printf_p("[%2$s %1$d %2$s]\n", 42, "two");
    printf("  -> %d\n", r);
    r = _printf_p("[%1$*2$d|%3$-*2$s|%4$.*5$f]\n", 7, 5, "ab", 3.14159, 2);
    printf("  -> %d\n", r);
    r = _printf_p("[%d %s] no positions\n", 1, "x");
    printf("  -> %d\n", r);
    errno = 0;
    r = _printf_p("[%1$d %d]\n", 1, 2);
    printf("mix -> %d errno %d\n", r, errno);
    errno = 0;
    r = _printf_p("[%2$d]\n", 1, 2);
    printf("gap -> %d errno %d\n", r, errno);
    r = _printf_p_l("[%2$.2f %1$s]\n", de, "de", 2.5);
    printf("  -> %d\n", r);
    fflush(stdout);
    r = _fprintf_p(stdout, "[%3$c%2$c%1$c]\n", 'a', 'b', 'c');
    fflush(stdout);
    printf("  -> %d\n", r);
    char buf[16];
    r = _sprintf_p_l(buf, sizeof buf, "%2$s=%1$.1f", de, 0.25, "v");
    printf("_sprintf_p_l %d \"%s\"\n", r, buf);
    memset(buf, 'x', sizeof buf);
    errno = 0;
    r = vsp(buf, 4, "%2$s%1$s", "abc", "def");
    printf("_vsprintf_p small %d errno %d buf[0] %d\n", r, errno, buf[0]);
    r = vsp(buf, sizeof buf, "%2$s%1$s", "abc", "def");
    printf("_vsprintf_p %d \"%s\"\n", r, buf);
    printf("_scprintf_p_l %d _vscprintf_p %d\n", _scprintf_p_l("%2$s%1$.3f", de, 1.0, "xy"),
           vscp("%1$s%1$s", "abc"));
    fflush(stdout);
    r = _wprintf_p(L"[%2$s %1$d]\n", 9, L"wide");
    fflush(stdout);
    printf("  -> %d\n", r);
    wchar_t w[32];
    r = _swprintf_p_l(w, 32, L"%2$s|%1$.2f", de, 1.5, L"w");
    printf("_swprintf_p_l %d \"", r);
    wshow(w);
    printf("\" _scwprintf_p_l %d\n", _scwprintf_p_l(L"%1$s%1$s", de, L"ab"));

    char *end;
    wchar_t *wend;
    errno = 0;
    printf("_strtol_l %ld", _strtol_l("  -0x1fz", &end, 16, de));
    printf(" end %d _strtoul_l %lu", (int)(end - "  -0x1fz"), _strtoul_l("4294967296", NULL, 10, de));
    printf(" errno %d\n", errno);
    errno = 0;
    printf("_strtoi64_l %lld _strtoui64_l %llu _wcstol_l %ld",
           _strtoi64_l("-9223372036854775809", NULL, 10, de),
           _strtoui64_l("0777", NULL, 0, de), _wcstol_l(L" +12a", &wend, 10, de));
    printf(" errno %d\n", errno);
    printf("_wcstoul_l %lu _wcstoi64_l %lld _wcstoui64_l %llu\n", _wcstoul_l(L"z", NULL, 36, de),
           _wcstoi64_l(L"-077", NULL, 8, de), _wcstoui64_l(L"18446744073709551615", NULL, 10, de));
    double d = _strtod_l("3,25e1x", &end, de);
    printf("_strtod_l(de) %g end %d", d, (int)(end - "3,25e1x"));
    d = _strtod_l("3.25", &end, de);
    printf(" _strtod_l(de, \"3.25\") %g end %d", d, (int)(end - "3.25"));
    printf(" _atof_l %g", _atof_l("-1,5", de));
    printf(" _strtod_l(NULL locale) %g\n", _strtod_l("3,25", NULL, NULL));
    _free_locale(de);
    return 0;
}
