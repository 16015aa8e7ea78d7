/* strftime, _strftime_l, wcsftime and _wcsftime_l in the UCRT's locales: the day and month
 * names (%a %A %b %B), AM/PM (%p), and the locale's date and time pictures (%x %X %c, and
 * the '#' long forms) for "C", en-US, de-DE and fr-FR; narrow text in the locale's code page
 * (1252: "März" has 0xE4), wide text in UTF-16. Expected values: Windows' locale data
 * (LOCALE_SDAYNAME1.., LOCALE_SMONTHNAME1.., LOCALE_SSHORTDATE, LOCALE_SLONGDATE,
 * LOCALE_STIMEFORMAT) of Windows 10, as Wine 8.0's ucrtbase prints them except: Wine's de-DE
 * (from CLDR) abbreviates days "Do." and has the short date "d.M.yyyy" where Windows 10 has
 * "Do" and "dd.MM.yyyy"; and Wine's "C" locale %c is C99's "Thu Mar  5 14:05:09 2026" where
 * the UCRT's "C" locale gives its short date and time, "03/05/26 14:05:09". */
#include "ucrt_time.h"

typedef void *_locale_t;
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);
__declspec(dllimport) size_t __cdecl strftime(char *s, size_t n, const char *f, const struct tm *t);
__declspec(dllimport) size_t __cdecl _strftime_l(char *s, size_t n, const char *f, const struct tm *t, _locale_t l);
__declspec(dllimport) size_t __cdecl wcsftime(wchar16 *s, size_t n, const wchar16 *f, const struct tm *t);
__declspec(dllimport) size_t __cdecl _wcsftime_l(wchar16 *s, size_t n, const wchar16 *f, const struct tm *t, _locale_t l);

static const struct tm t1 = {9, 5, 14, 5, 2, 126, 4, 63, 0};   /* Thu 2026-03-05 14:05:09 */
static const struct tm t2 = {0, 30, 9, 17, 7, 99, 2, 228, 0};  /* Tue 1999-08-17 09:30:00 */

static void one(const char *name)
{
    char buf[256];
    wchar16 w[256];
    printf("%s: %s\n", name, setlocale(LC_ALL, name) ? "ok" : "refused");
    strftime(buf, sizeof buf, "%a %A %b %B %p", &t1);
    show("names", buf, 0);
    strftime(buf, sizeof buf, "%a %A %b %B %p", &t2);
    show("names", buf, 0);
    strftime(buf, sizeof buf, "[%x] [%X] [%c]", &t1);
    show("x X c", buf, 0);
    strftime(buf, sizeof buf, "[%#x] [%#c]", &t2);
    show("#x #c", buf, 0);
    wcsftime(w, 256, L"%A %B [%x] [%X] %p", &t1);
    show("wide", 0, w);
}

int main(void)
{
    one("C");
    one("en-US");
    one("de-DE");
    one("fr-FR");
    one("German_Germany.850");
    one("French_France.utf8");
    setlocale(LC_ALL, "C");
    _locale_t de = _create_locale(LC_ALL, "de-DE");
    char buf[128];
    wchar16 w[128];
    _strftime_l(buf, sizeof buf, "%A %d. %B %Y [%x]", &t1, de);
    show("_strftime_l de-DE", buf, 0);
    _wcsftime_l(w, 128, L"%A %d. %B %Y", &t1, de);
    show("_wcsftime_l de-DE", 0, w);
    strftime(buf, sizeof buf, "%A %B", &t1);
    show("C again", buf, 0);
    setlocale(LC_TIME, "fr-FR");
    strftime(buf, sizeof buf, "%A %B", &t1);
    show("LC_TIME fr-FR only", buf, 0);
    _free_locale(de);
    return 0;
}
