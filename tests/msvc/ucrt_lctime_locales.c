/* strftime and wcsftime (%a %A %b %B %p %x %X %c, %#x) in the UCRT's es-ES, ru-RU, ja-JP and
 * zh-CN locales, named by tag and as "Language_Country.CP" (Spanish_Spain.1252,
 * Russian_Russia.1251, Japanese_Japan.932, Chinese_China.936) and with ".utf8"; narrow text in
 * the locale's ANSI code page (1251: 0xF7 for 'ч'; 932/936: double-byte characters; a
 * character the page lacks, as U+202F in es-ES's "a. m.", is '?'), wide text in UTF-16.
 * The names and pictures are Windows' LOCALE_SABBREVDAYNAME1.., SDAYNAME1.., SABBREVMONTHNAME1..,
 * SMONTHNAME1.., S1159/S2359, SSHORTDATE, SLONGDATE and STIMEFORMAT, which Windows 10 takes
 * from CLDR (cmake/gen_lctime.py: glibc's locale sources corrected to CLDR's values); every
 * value printed here is what Wine 8.0's GetLocaleInfoEx gives for these locales (its locale
 * data is built from CLDR; checked with tests/pe/nls_lctime.c under Wine), and Wine 8.0's
 * ucrtbase prints the same text; it answers setlocale with the tag ("es-ES") where Windows'
 * UCRT gives the name asked for ("Spanish_Spain.1252", as with "German_Germany.1252") and
 * ".65001" where the UCRT says ".utf8". Not confirmed on a Windows machine: Windows 10's own
 * ja-JP short date may be yyyy/MM/dd. */
#include "ucrt_time.h"

__declspec(dllimport) size_t __cdecl strftime(char *s, size_t n, const char *f, const struct tm *t);
__declspec(dllimport) size_t __cdecl wcsftime(wchar16 *s, size_t n, const wchar16 *f, const struct tm *t);

static const struct tm t1 = {9, 5, 14, 5, 2, 126, 4, 63, 0};   /* Thu 2026-03-05 14:05:09 */
static const struct tm t2 = {0, 30, 9, 17, 7, 99, 2, 228, 0};  /* Tue 1999-08-17 09:30:00 */

static void one(const char *name, int wide_too)
{
    char buf[256];
    wchar16 w[256];
    const char *r = setlocale(LC_ALL, name);
    printf("%s: %s\n", name, r ? r : "refused");
    if (!r)
        return;
    strftime(buf, sizeof buf, "%a %A %b %B %p", &t1);
    show("names", buf, 0);
    strftime(buf, sizeof buf, "%a %A %b %B %p", &t2);
    show("names", buf, 0);
    strftime(buf, sizeof buf, "[%x] [%X] [%c] [%#x]", &t1);
    show("x X c #x", buf, 0);
    if (wide_too) {
        wcsftime(w, 256, L"%a %A %b %B %p [%x] [%X] [%#x]", &t2);
        show("wide", 0, w);
    }
}

int main(void)
{
    one("es-ES", 1);
    one("Spanish_Spain.1252", 0);
    one("ru-RU", 1);
    one("Russian_Russia.1251", 0);
    one("Russian_Russia.utf8", 0);
    one("ja-JP", 1);
    one("Japanese_Japan.932", 0);
    one("zh-CN", 1);
    one("Chinese_China.936", 0);
    one("Chinese (Simplified)_China.utf8", 0);
    return 0;
}
