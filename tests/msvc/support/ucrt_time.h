/* What the UCRT time tests (ucrt_lctime.c, ucrt_locale_time.c) share: struct tm as the UCRT
 * lays it out, the locale categories they set, and show(), which prints a narrow or wide text
 * with its non-ASCII bytes (or UTF-16 units) in hex. */
#ifndef NTRUN_TESTS_MSVC_UCRT_TIME_H
#define NTRUN_TESTS_MSVC_UCRT_TIME_H
#include "ucrt.h"

struct tm {
    int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);

#define LC_ALL 0
#define LC_TIME 5

/* "  what: text", s narrow or (s NULL) w wide; at most about 380 characters. */
static void show(const char *what, const char *s, const wchar16 *w)
{
    char buf[400];
    int n = 0;
    for (; w ? *w : *s; w ? (void)w++ : (void)s++) {
        unsigned c = w ? *w : (unsigned char)*s;
        if (n > 380)
            break;
        if (c >= 0x20 && c < 0x7f)
            buf[n++] = (char)c;
        else
            n += sprintf(buf + n, w ? "<%04x>" : "<%02x>", c);
    }
    buf[n] = 0;
    printf("  %s: %s\n", what, buf);
}

#endif
