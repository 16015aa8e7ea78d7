/* Conversions, locale and time in a UCRT program: strtod's C99 input (hexadecimal floats,
 * inf, nan, ERANGE), strtof, wcstod, strtoll/strtoull saturation, _strtoi64, atoll, _itoa_s,
 * sscanf and sscanf_s through __stdio_common_vsscanf, the "C" locale (setlocale, localeconv,
 * MB_CUR_MAX, a _create_locale object whose public part the headers read), and time
 * (_gmtime64_s, _mkgmtime64, strftime, timespec_get against _time64). */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
__declspec(dllimport) double __cdecl strtod(const char *s, char **end);
__declspec(dllimport) float __cdecl strtof(const char *s, char **end);
__declspec(dllimport) double __cdecl wcstod(const wchar16 *s, wchar16 **end);
__declspec(dllimport) long long __cdecl strtoll(const char *s, char **end, int base);
__declspec(dllimport) unsigned long long __cdecl strtoull(const char *s, char **end, int base);
__declspec(dllimport) long __cdecl strtol(const char *s, char **end, int base);
__declspec(dllimport) long long __cdecl _strtoi64(const char *s, char **end, int base);
__declspec(dllimport) long long __cdecl atoll(const char *s);
__declspec(dllimport) int __cdecl _itoa_s(int v, char *buf, size_t size, int radix);
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
struct lconv { char *decimal_point, *thousands_sep, *grouping; };
__declspec(dllimport) struct lconv *__cdecl localeconv(void);
__declspec(dllimport) int __cdecl ___mb_cur_max_func(void);
typedef struct { struct { const unsigned short *pctype; int mb_cur_max; unsigned cp; } *locinfo; void *mbcinfo; } *_locale_t;
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);
struct tm { int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst; };
__declspec(dllimport) long long __cdecl _time64(long long *t);
__declspec(dllimport) int __cdecl _gmtime64_s(struct tm *out, const long long *t);
__declspec(dllimport) long long __cdecl _mkgmtime64(struct tm *t);
__declspec(dllimport) size_t __cdecl strftime(char *buf, size_t n, const char *fmt, const struct tm *t);
struct timespec { long long tv_sec; long tv_nsec; };
__declspec(dllimport) int __cdecl timespec_get(struct timespec *ts, int base);

int main(void)
{
    char *end;
    /* (each call's results are read in statements of their own: argument order is unspecified) */
    double v = strtod("0x1.8p3", &end);
    printf("strtod hex: %g, ", v);
    v = strtod("-Infinity", &end);
    printf("inf: %f, ", v);
    v = strtod("nan(123)x", &end);
    printf("nan: %f [%s]\n", v, end);
    errno = 0;
    v = strtod("1e400", &end);
    printf("strtod(1e400): %f errno %d; ", v, errno);
    errno = 0;
    v = strtod("1e-400", &end);
    printf("strtod(1e-400): %g errno %d\n", v, errno);
    v = strtod("  -12.5e-1xyz", &end);
    printf("strtod(\"  -12.5e-1xyz\"): %g rest [%s]; ", v, end);
    v = strtod("abc", &end);
    printf("no digits: %g rest [%s]\n", v, end);
    printf("strtof: %.9g\n", (double)strtof("0.1", &end));
    wchar16 *wend;
    v = wcstod(L"2.5e2abc", &wend);
    printf("wcstod: %g rest %c\n", v, (char)*wend);

    errno = 0;
    long long ll = strtoll("99999999999999999999", &end, 10);
    printf("strtoll overflow: %lld errno %d; ", ll, errno);
    errno = 0;
    unsigned long long ull = strtoull("-1", &end, 10);
    printf("strtoull(\"-1\"): %llu errno %d\n", ull, errno);
    errno = 0;
    long l = strtol("4294967296", &end, 10);
    printf("strtol overflow: %ld errno %d; ", l, errno);
    printf("hex %ld; _strtoi64 %lld; atoll %lld\n", strtol("0x7f", &end, 16),
           _strtoi64("-0x10", &end, 16), atoll("  123456789012xyz"));
    char buf[64];
    int r = _itoa_s(-255, buf, sizeof buf, 16);
    printf("_itoa_s: %d [%s]\n", r, buf);

    int i = 0;
    double d = 0;
    char word[16];
    int got = sscanf(" 42 word 2.5", "%d %s %lf", &i, word, &d);
    printf("sscanf: %d -> %d [%s] %g\n", got, i, word, d);
    got = sscanf_s("abc 7", "%s %d", word, (unsigned)sizeof word, &i);
    printf("sscanf_s: %d -> [%s] %d\n", got, word, i);

    printf("setlocale: %s, decimal point [%s], MB_CUR_MAX >= 1: %d\n", setlocale(0, 0),
           localeconv()->decimal_point, ___mb_cur_max_func() >= 1);
    _locale_t loc = _create_locale(0 /* LC_ALL */, "C");
    printf("_create_locale(C): %s, 'A' upper in its table: %d\n", loc ? "ok" : "NULL",
           loc && (loc->locinfo->pctype['A'] & 1));
    _free_locale(loc);

    long long t = 86400LL * 365 + 3600 * 5 + 61; /* 1971-01-01 05:01:01 UTC */
    struct tm tm;
    r = _gmtime64_s(&tm, &t);
    printf("_gmtime64_s: %d -> %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n",
           r, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday);
    printf("_mkgmtime64: %lld\n", _mkgmtime64(&tm));
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j", &tm);
    printf("strftime: %s\n", buf);
    struct timespec ts;
    long long now = _time64(0);
    int base = timespec_get(&ts, 1 /* TIME_UTC */);
    printf("timespec_get: %d, agrees with _time64: %d, nsec in range: %d\n", base,
           ts.tv_sec - now >= 0 && ts.tv_sec - now <= 2, ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
    return 0;
}
