/* The UCRT's lc_time blocks (__crt_lc_time_data) as msvcp140's time facets use them:
 * _Gettnames/_W_Gettnames copy the current LC_TIME's names and date/time pictures (narrow ones
 * in its ANSI code page, wide ones in UTF-16, and its locale name), _Getdays/_Getmonths (and
 * the _W_ forms) list them, and _Strftime/_Wcsftime format with the block they are given,
 * whatever the current locale, or with the current locale's when given NULL. A copy of the
 * block with one name and one picture replaced shows that the argument, not the locale, is
 * read. Expected values: Windows 10's de-DE and fr-FR locale data (LOCALE_SDAYNAME1..,
 * LOCALE_SMONTHNAME1.., LOCALE_SSHORTDATE, LOCALE_STIMEFORMAT) and the UCRT's "C" pictures
 * (MM/dd/yy, HH:mm:ss). Wine 8.0 prints the same except its de-DE data (from CLDR): "Do." and
 * the short date "d.M.yyyy" where Windows 10 has "Do" and "dd.MM.yyyy". */
#include "ucrt_time.h"

typedef struct {
    char *str[43];
    int caltype, refcount;
    wchar16 *wstr[43];
    wchar16 *locale_name;
} lc_time_data;
__declspec(dllimport) void __cdecl free(void *p);
__declspec(dllimport) void *__cdecl _Gettnames(void);
__declspec(dllimport) void *__cdecl _W_Gettnames(void);
__declspec(dllimport) char *__cdecl _Getdays(void);
__declspec(dllimport) char *__cdecl _Getmonths(void);
__declspec(dllimport) wchar16 *__cdecl _W_Getdays(void);
__declspec(dllimport) wchar16 *__cdecl _W_Getmonths(void);
__declspec(dllimport) size_t __cdecl _Strftime(char *b, size_t n, const char *f, const struct tm *t, void *lc);
__declspec(dllimport) size_t __cdecl _Wcsftime(wchar16 *b, size_t n, const wchar16 *f, const struct tm *t, void *lc);

static const struct tm t1 = {9, 5, 14, 5, 2, 126, 4, 63, 0}; /* Thu 2026-03-05 14:05:09 */

static void block(const char *name)
{
    printf("%s: %s\n", name, setlocale(LC_ALL, name) ? "ok" : "refused");
    lc_time_data *d = _Gettnames();
    show("wday[4]", d->str[7 + 4], 0);
    show("month_abbr[2]", d->str[14 + 2], 0);
    show("month[2]", d->str[26 + 2], 0);
    show("pictures", d->str[40], 0);
    show("", d->str[41], 0);
    show("", d->str[42], 0);
    show("wide month[2]", 0, d->wstr[26 + 2]);
    show("wide long date", 0, d->wstr[41]);
    printf("  caltype %d\n", d->caltype);
    free(d);
    char *s = _Getdays();
    show("_Getdays", s, 0);
    free(s);
    s = _Getmonths();
    show("_Getmonths", s, 0);
    free(s);
    wchar16 *w = _W_Getmonths();
    show("_W_Getmonths", 0, w);
    free(w);
    w = _W_Getdays();
    show("_W_Getdays", 0, w);
    free(w);
}

int main(void)
{
    block("C");
    block("de-DE");
    lc_time_data *w = _W_Gettnames();
    show("de-DE locale name", 0, w->locale_name);
    block("fr-FR");
    lc_time_data *f = _Gettnames();

    setlocale(LC_ALL, "de-DE");
    lc_time_data *de = _Gettnames();
    setlocale(LC_ALL, "C");
    char buf[256];
    wchar16 wb[256];
    size_t n = _Strftime(buf, sizeof buf, "%a %A %b %B %p [%x] [%X] [%c]", &t1, de);
    printf("_Strftime de-DE block in C: %d\n", (int)n);
    show("", buf, 0);
    n = _Wcsftime(wb, 256, L"%a %A %b %B [%x] [%X] [%#x]", &t1, de);
    printf("_Wcsftime de-DE block in C: %d\n", (int)n);
    show("", 0, wb);
    n = _Strftime(buf, sizeof buf, "%A %B [%x] [%X]", &t1, f);
    printf("_Strftime fr-FR block in C: %d\n", (int)n);
    show("", buf, 0);
    n = _Strftime(buf, sizeof buf, "%A %B [%x]", &t1, 0);
    printf("_Strftime NULL in C: %d\n", (int)n);
    show("", buf, 0);
    setlocale(LC_TIME, "fr-FR");
    n = _Strftime(buf, sizeof buf, "%A %B [%x]", &t1, 0);
    printf("_Strftime NULL in LC_TIME fr-FR: %d\n", (int)n);
    show("", buf, 0);
    n = _Wcsftime(wb, 256, L"%A %B [%x]", &t1, 0);
    printf("_Wcsftime NULL in LC_TIME fr-FR: %d\n", (int)n);
    show("", 0, wb);
    n = _Strftime(buf, sizeof buf, "%A %B [%x] [%X]", &t1, de);
    printf("_Strftime de-DE block in LC_TIME fr-FR: %d\n", (int)n);
    show("", buf, 0);

    /* a block of one's own: the names and pictures it holds are the ones used */
    lc_time_data mine = *de;
    mine.str[7 + 4] = "Thorsday";
    mine.wstr[7 + 4] = L"Thorsday";
    mine.str[40] = "yyyy'-'MM'-'dd";
    mine.wstr[40] = L"yyyy'-'MM'-'dd";
    mine.str[42] = "H'h'mm";
    mine.wstr[42] = L"H'h'mm";
    n = _Strftime(buf, sizeof buf, "%A %B [%x] [%X] [%c]", &t1, &mine);
    printf("_Strftime own block: %d\n", (int)n);
    show("", buf, 0);
    n = _Wcsftime(wb, 256, L"%A %B [%x] [%X] [%c]", &t1, &mine);
    printf("_Wcsftime own block: %d\n", (int)n);
    show("", 0, wb);
    free(de);
    free(f);
    free(w);
    return 0;
}
