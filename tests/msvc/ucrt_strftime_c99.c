/* The UCRT's strftime and wcsftime in the "C" locale beside msvcrt's: %c is C99's
 * "%a %b %e %H:%M:%S %Y" ("Thu Mar  5 14:05:09 2026"; msvcrt keeps "03/05/26 14:05:09", which
 * tests/pe/crt_locale.c checks), %x and %X stay "03/05/26" and "14:05:09", '#' still gives the
 * long date; and the conversions C99 adds (%C %D %e %F %g %G %h %n %r %R %t %T %u %V), with the
 * ISO 8601 week-based year at year ends. Expected values: Wine 8.0's ucrtbase prints the same
 * (Microsoft's strftime documentation lists these conversions for the UCRT). */
#include "ucrt_time.h"

__declspec(dllimport) size_t __cdecl strftime(char *s, size_t n, const char *f, const struct tm *t);
__declspec(dllimport) size_t __cdecl wcsftime(wchar16 *s, size_t n, const wchar16 *f, const struct tm *t);

static const struct tm t1 = {9, 5, 14, 5, 2, 126, 4, 63, 0};   /* Thu 2026-03-05 14:05:09 */
static const struct tm t2 = {49, 52, 23, 6, 11, 126, 0, 339, 0}; /* Sun 2026-12-06 23:52:49 */
static const struct tm jan1 = {0, 0, 0, 1, 0, 121, 5, 0, 0};    /* Fri 2021-01-01: ISO 2020-W53 */
static const struct tm dec31 = {0, 0, 12, 31, 11, 124, 2, 365, 0}; /* Tue 2024-12-31: 2025-W01 */

static void one(const char *what, const char *fmt, const struct tm *t)
{
    char buf[128];
    size_t n = strftime(buf, sizeof buf, fmt, t);
    printf("%s: %u ", what, (unsigned)n);
    show(fmt, buf, 0);
}

int main(void)
{
    wchar16 w[128];
    one("c", "[%c]", &t1);
    one("c", "[%c]", &t2);
    one("x X", "[%x] [%X]", &t2);
    one("#c #x", "[%#c] [%#x]", &t1);
    one("C D e F", "%C|%D|%e|%F", &t1);
    one("#e", "%#e", &t1);
    one("h r R T u", "%h|%r|%R|%T|%u", &t2);
    one("n t", "a%nb%tc", &t1);
    one("g G V", "%g|%G|%V", &t1);
    one("g G V", "%g|%G|%V", &jan1);
    one("g G V", "%g|%G|%V", &dec31);
    wcsftime(w, 128, L"[%c] %e %F %T", &t1);
    show("wide", 0, w);
    return 0;
}
