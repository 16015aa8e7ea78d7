/* SPDX-License-Identifier: MIT */
/* The UCRT's number parsing where it differs from msvcrt's: strtod and friends follow C99
 * (hexadecimal floats "0x1.8p3", "inf"/"infinity", "nan"/"nan(...)", ERANGE on overflow and
 * underflow), and the C99 64-bit names msvcrt lacks (strtoll, strtoull, atoll, strtoimax,
 * strtoumax and their wide forms). Parsing is glibc's in the "C" locale, with the locale's decimal point; wide input
 * is read as its ASCII prefix. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static void ucrt_errno_from_host(int e)
{
    if (e == ERANGE)
        crt_set_errno(CRT_ERANGE);
    else if (e == EINVAL)
        crt_set_errno(CRT_EINVAL);
}

/* The ASCII prefix of a wide string, for the narrow parsers (1 char per unit, so end offsets
 * carry over). NULL when out of memory. */
static char *ucrt_ascii_prefix(const WCHAR *w)
{
    size_t n = 0;
    while (w[n] && w[n] < 0x80)
        n++;
    char *a = malloc(n + 1);
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        a[i] = (char)w[i];
    a[n] = 0;
    return a;
}

/* ---- floating point ----
 * The locale's decimal point (LC_NUMERIC, or the _l functions' locale) takes the place of '.':
 * glibc parses a copy in which that character is '.' and a '.' is not part of a number. */

/* The text glibc parses for s in locale li: s itself, or a translated copy of the same length
 * (*copy to free), or NULL when out of memory. */
static const char *ucrt_float_text(const char *s, const crt_locinfo *li, char **copy)
{
    *copy = NULL;
    char dp = li->decimal;
    if (dp == '.')
        return s;
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        c[i] = s[i] == dp ? '.' : s[i] == '.' ? '\x01' : s[i];
    *copy = c;
    return c;
}

static double ucrt_strtod(const char *s, char **end, const crt_locinfo *li, bool single)
{
    char *copy, *e = NULL;
    const char *t = ucrt_float_text(s, li, &copy);
    if (!t) {
        if (end)
            *end = (char *)s;
        crt_set_errno(CRT_ENOMEM);
        return 0;
    }
    int saved = errno;
    errno = 0;
    double v = single ? strtof_l(t, &e, crt_c_locale()) : strtod_l(t, &e, crt_c_locale());
    ucrt_errno_from_host(errno);
    errno = saved;
    if (end)
        *end = (char *)s + (e - t);
    free(copy);
    return v;
}

static double WINAPI ucrtbase__strtod_l(const char *s, char **end, void *locale)
{
    if (!s) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    return ucrt_strtod(s, end, crt_locale_arg(locale), false);
}
THK_EXPORT_AS(ucrtbase, _strtod_l, ucrtbase__strtod_l, 3);
/* long double is double */
THK_EXPORT_AS(ucrtbase, _strtold_l, ucrtbase__strtod_l, 3);

static double WINAPI ucrtbase_strtod(const char *s, char **end)
{
    return ucrtbase__strtod_l(s, end, NULL);
}
THK_EXPORT_AS(ucrtbase, strtod, ucrtbase_strtod, 2);
THK_EXPORT_AS(ucrtbase, strtold, ucrtbase_strtod, 2);

static float WINAPI ucrtbase__strtof_l(const char *s, char **end, void *locale)
{
    if (!s) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    return (float)ucrt_strtod(s, end, crt_locale_arg(locale), true);
}
THK_EXPORT_AS(ucrtbase, _strtof_l, ucrtbase__strtof_l, 3);

static float WINAPI ucrtbase_strtof(const char *s, char **end)
{
    return ucrtbase__strtof_l(s, end, NULL);
}
THK_EXPORT_AS(ucrtbase, strtof, ucrtbase_strtof, 2);

static double WINAPI ucrtbase__atof_l(const char *s, void *locale)
{
    return s ? ucrt_strtod(s, NULL, crt_locale_arg(locale), false) : 0;
}
THK_EXPORT_AS(ucrtbase, _atof_l, ucrtbase__atof_l, 2);

static double WINAPI ucrtbase_atof(const char *s) { return ucrtbase__atof_l(s, NULL); }
THK_EXPORT_AS(ucrtbase, atof, ucrtbase_atof, 1);

/* Wide input: its ASCII prefix (a decimal point outside ASCII is not one of ours). */
static double ucrt_wcstod(const WCHAR *s, WCHAR **end, void *locale, bool single)
{
    if (!s) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    char *a = ucrt_ascii_prefix(s), *e = NULL;
    double v = a ? ucrt_strtod(a, &e, crt_locale_arg(locale), single) : 0;
    if (end)
        *end = (WCHAR *)s + (a ? e - a : 0);
    free(a);
    return v;
}

static double WINAPI ucrtbase__wcstod_l(const WCHAR *s, WCHAR **end, void *locale)
{
    return ucrt_wcstod(s, end, locale, false);
}
THK_EXPORT_AS(ucrtbase, _wcstod_l, ucrtbase__wcstod_l, 3);
THK_EXPORT_AS(ucrtbase, _wcstold_l, ucrtbase__wcstod_l, 3);

static double WINAPI ucrtbase_wcstod(const WCHAR *s, WCHAR **end)
{
    return ucrt_wcstod(s, end, NULL, false);
}
THK_EXPORT_AS(ucrtbase, wcstod, ucrtbase_wcstod, 2);
THK_EXPORT_AS(ucrtbase, wcstold, ucrtbase_wcstod, 2);

static float WINAPI ucrtbase__wcstof_l(const WCHAR *s, WCHAR **end, void *locale)
{
    return (float)ucrt_wcstod(s, end, locale, true);
}
THK_EXPORT_AS(ucrtbase, _wcstof_l, ucrtbase__wcstof_l, 3);

static float WINAPI ucrtbase_wcstof(const WCHAR *s, WCHAR **end)
{
    return (float)ucrt_wcstod(s, end, NULL, true);
}
THK_EXPORT_AS(ucrtbase, wcstof, ucrtbase_wcstof, 2);

static double WINAPI ucrtbase__wtof_l(const WCHAR *s, void *locale)
{
    return s ? ucrt_wcstod(s, NULL, locale, false) : 0;
}
THK_EXPORT_AS(ucrtbase, _wtof_l, ucrtbase__wtof_l, 2);

static double WINAPI ucrtbase__wtof(const WCHAR *s) { return s ? ucrt_wcstod(s, NULL, NULL, false) : 0; }
THK_EXPORT_AS(ucrtbase, _wtof, ucrtbase__wtof, 1);

/* ---- 64-bit integers (C99): saturate with ERANGE, as msvcrt's _strtoi64 does ---- */

static int64_t ucrt_strtoll(const char *s, char **end, int base)
{
    if (!s || base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)s;
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    int saved = errno;
    errno = 0;
    long long v = strtoll_l(s, end, base, crt_c_locale());
    ucrt_errno_from_host(errno);
    errno = saved;
    return v;
}

static uint64_t ucrt_strtoull(const char *s, char **end, int base)
{
    if (!s || base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)s;
        ucrt_invalid_parameter(CRT_EINVAL);
        return 0;
    }
    int saved = errno;
    errno = 0;
    unsigned long long v = strtoull_l(s, end, base, crt_c_locale());
    ucrt_errno_from_host(errno);
    errno = saved;
    return v;
}

static int64_t WINAPI ucrtbase_strtoll(const char *s, char **end, int base)
{
    return ucrt_strtoll(s, end, base);
}
THK_EXPORT_AS(ucrtbase, strtoll, ucrtbase_strtoll, 3);
THK_EXPORT_AS(ucrtbase, strtoimax, ucrtbase_strtoll, 3);

static int64_t WINAPI ucrtbase__strtoll_l(const char *s, char **end, int base, void *locale)
{
    return ucrt_strtoll(s, end, base);
}
THK_EXPORT_AS(ucrtbase, _strtoll_l, ucrtbase__strtoll_l, 4);
THK_EXPORT_AS(ucrtbase, _strtoimax_l, ucrtbase__strtoll_l, 4);

static uint64_t WINAPI ucrtbase_strtoull(const char *s, char **end, int base)
{
    return ucrt_strtoull(s, end, base);
}
THK_EXPORT_AS(ucrtbase, strtoull, ucrtbase_strtoull, 3);
THK_EXPORT_AS(ucrtbase, strtoumax, ucrtbase_strtoull, 3);

static uint64_t WINAPI ucrtbase__strtoull_l(const char *s, char **end, int base, void *locale)
{
    return ucrt_strtoull(s, end, base);
}
THK_EXPORT_AS(ucrtbase, _strtoull_l, ucrtbase__strtoull_l, 4);
THK_EXPORT_AS(ucrtbase, _strtoumax_l, ucrtbase__strtoull_l, 4);

static int64_t WINAPI ucrtbase_atoll(const char *s) { return s ? ucrt_strtoll(s, NULL, 10) : 0; }
THK_EXPORT_AS(ucrtbase, atoll, ucrtbase_atoll, 1);

static int64_t WINAPI ucrtbase__atoll_l(const char *s, void *locale) { return ucrtbase_atoll(s); }
THK_EXPORT_AS(ucrtbase, _atoll_l, ucrtbase__atoll_l, 2);

static int64_t WINAPI ucrtbase_wcstoll(const WCHAR *s, WCHAR **end, int base)
{
    char *a = s ? ucrt_ascii_prefix(s) : NULL, *e = NULL;
    int64_t v = ucrt_strtoll(s ? (a ? a : "") : NULL, &e, base);
    if (end)
        *end = (WCHAR *)s + (a && e ? e - a : 0);
    free(a);
    return v;
}
THK_EXPORT_AS(ucrtbase, wcstoll, ucrtbase_wcstoll, 3);
THK_EXPORT_AS(ucrtbase, wcstoimax, ucrtbase_wcstoll, 3);

static uint64_t WINAPI ucrtbase_wcstoull(const WCHAR *s, WCHAR **end, int base)
{
    char *a = s ? ucrt_ascii_prefix(s) : NULL, *e = NULL;
    uint64_t v = ucrt_strtoull(s ? (a ? a : "") : NULL, &e, base);
    if (end)
        *end = (WCHAR *)s + (a && e ? e - a : 0);
    free(a);
    return v;
}
THK_EXPORT_AS(ucrtbase, wcstoull, ucrtbase_wcstoull, 3);
THK_EXPORT_AS(ucrtbase, wcstoumax, ucrtbase_wcstoull, 3);

static int64_t WINAPI ucrtbase__wtoll(const WCHAR *s) { return s ? ucrtbase_wcstoll(s, NULL, 10) : 0; }
THK_EXPORT_AS(ucrtbase, _wtoll, ucrtbase__wtoll, 1);

/* The _l forms: no locale changes how an integer parses. */
static int64_t WINAPI ucrtbase__wcstoll_l(const WCHAR *s, WCHAR **end, int base, void *locale)
{
    return ucrtbase_wcstoll(s, end, base);
}
THK_EXPORT_AS(ucrtbase, _wcstoll_l, ucrtbase__wcstoll_l, 4);
THK_EXPORT_AS(ucrtbase, _wcstoimax_l, ucrtbase__wcstoll_l, 4);
static uint64_t WINAPI ucrtbase__wcstoull_l(const WCHAR *s, WCHAR **end, int base, void *locale)
{
    return ucrtbase_wcstoull(s, end, base);
}
THK_EXPORT_AS(ucrtbase, _wcstoull_l, ucrtbase__wcstoull_l, 4);
THK_EXPORT_AS(ucrtbase, _wcstoumax_l, ucrtbase__wcstoull_l, 4);
static int64_t WINAPI ucrtbase__wtoll_l(const WCHAR *s, void *locale) { return ucrtbase__wtoll(s); }
THK_EXPORT_AS(ucrtbase, _wtoll_l, ucrtbase__wtoll_l, 2);
