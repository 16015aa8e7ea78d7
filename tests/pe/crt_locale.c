/* msvcrt's locales (Windows' msvcrt.dll): setlocale with Windows names ("English_United
 * States.1252", "German_Germany", "French"), a code page alone (".1252", ".437", ".850", ".OCP",
 * ".1251": Cyrillic letters' case and conversions),
 * the LC_ALL query string given back to restore; the data msvcrt publishes for the process's
 * locale (__mb_cur_max, __lc_codepage, __lc_handle's LCIDs, _pctype) and its functions
 * (___lc_codepage_func, ___mb_cur_max_func); localeconv; the decimal point in printf, sscanf,
 * strtod and atof; strftime's names and pictures; isalpha/isupper/islower/ispunct/toupper/
 * tolower of bytes above 0x7F in code pages 1252 and 850; mbstowcs/wcstombs/mbtowc/wctomb in the
 * locale's code page; _setmbcp/_getmbcp; _create_locale with _strtod_l and _free_locale.
 * Expected values: Windows' msvcrt.dll as Wine 8.0's msvcrt prints them (msvcrt.dll predates
 * BCP-47 names: "en-US" gives NULL), except where ntrun's set-up differs from Wine's or Wine
 * from Windows:
 * - ntrun's ANSI code page is UTF-8 (65001), which msvcrt.dll refuses as a locale code page, so
 *   "", ".ACP", ".65001" give NULL (Wine, ANSI code page 1252: "English_United States.1252";
 *   Wine takes ".65001" for all categories but LC_CTYPE); _getmbcp starts at 0 (Wine: 1252).
 * - the "C" locale's MB_CUR_MAX is 4 here (its conversions are UTF-8; Wine: 1).
 * - de-DE's short date is "dd.MM.yyyy" as on Windows 10 (Wine 8.0: "d.M.yyyy").
 * - code pages 850 and 1251 classify and map their own characters (850: 0x8a is e-grave, 0x9a
 *   U-umlaut; 1251: 0xb8 is yo); Wine classifies every locale's bytes as 1252.
 * - %a in de-DE is "Mi" as on Windows 10 (Wine: "Mi."); fr-FR's n_sign_posn is 1 (Wine: 0).
 * - fr-FR's thousands separator is U+202F, Windows 10 1809's and later (Wine: U+00A0), which
 *   1252 lacks: msvcrt converts LOCALE_STHOUSAND to the locale's code page, giving '?'. */
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <windows.h>
#include "crt_locale_show.h"

__declspec(dllimport) extern int __mb_cur_max;
int __cdecl _setmbcp(int cp);
int __cdecl _getmbcp(void);

static void set(int cat, const char *name)
{
    const char *r = setlocale(cat, name);
    printf("setlocale(%d, \"%s\") = %s, cp %u/%u, MB_CUR_MAX %d/%d, lcid %lx/%lx/%lx/%lx/%lx\n",
           cat, name, str(r), ___lc_codepage_func(), __lc_codepage, ___mb_cur_max_func(),
           __mb_cur_max, __lc_handle[1], __lc_handle[2], __lc_handle[3], __lc_handle[4],
           __lc_handle[5]);
}

static void numbers(const char *what)
{
    double d = 0, e = 0;
    char *end;
    char buf[64];
    struct lconv *lc = localeconv();
    printf("%s:", what);
    hex("dp", lc->decimal_point);
    hex("ts", lc->thousands_sep);
    hex("cur", lc->currency_symbol);
    hex("int", lc->int_curr_symbol);
    printf(" frac %d cs %d/%d posn %d/%d\n", lc->frac_digits, lc->p_cs_precedes,
           lc->n_cs_precedes, lc->p_sign_posn, lc->n_sign_posn);
    int n = sscanf("2,5 3.25", "%lf %lf", &d, &e);
    snprintf(buf, sizeof buf, "%.3f %e %g", 1234.5, 1234.5, 0.25);
    printf("  printf %s| sscanf %d %g %g|", buf, n, d, e);
    d = strtod("7,75x", &end);
    printf(" strtod %g rest \"%s\"| atof %g\n", d, end, atof("9,5"));
}

static void times(void)
{
    struct tm tm = {0};
    tm.tm_year = 126; tm.tm_mon = 2; tm.tm_mday = 4; tm.tm_wday = 3; tm.tm_yday = 62;
    tm.tm_hour = 15; tm.tm_min = 6; tm.tm_sec = 7;
    char buf[200];
    strftime(buf, sizeof buf, "%a|%A|%b|%B|%p|%c|%x|%X|%#x", &tm);
    hex("strftime", buf);
    printf("\n");
}

static void bytes(void)
{
    static const unsigned char b[] = {0x41, 0x61, 0x8a, 0x9a, 0x9f, 0xc9, 0xdf, 0xe9, 0xff,
                                      0xd7, 0x82};
    printf("  ctype:");
    for (size_t i = 0; i < sizeof b; i++)
        printf(" %02x:%c%c%c%c,%02x,%02x,%03x", b[i], isalpha(b[i]) ? 'a' : '-',
               isupper(b[i]) ? 'U' : '-', islower(b[i]) ? 'l' : '-', ispunct(b[i]) ? 'p' : '-',
               toupper(b[i]) & 0xff, tolower(b[i]) & 0xff, _pctype[b[i]] & 0x1ff);
    printf("\n");
}

static void conv(void)
{
    wchar_t w[8];
    char m[8];
    size_t r = mbstowcs(w, "\x80\xe9\x9f", 8);
    printf("  mbstowcs %d:", (int)r);
    for (size_t i = 0; i < r && r != (size_t)-1; i++)
        printf(" %04x", w[i]);
    static const wchar_t ws[] = {0x20ac, 0xe9, 0x178, 0};
    r = wcstombs(m, ws, sizeof m);
    printf(" | wcstombs %d:", (int)r);
    for (size_t i = 0; i < r && r != (size_t)-1; i++)
        printf(" %02x", (unsigned char)m[i]);
    static const wchar_t bad[] = {0x100, 0};
    r = wcstombs(m, bad, sizeof m);
    printf(" | U+0100 %d", (int)r);
    wchar_t wc = 0;
    int k = mbtowc(&wc, "\x8a", 1);
    int k2 = wctomb(m, 0x161);
    printf(" | mbtowc %d %04x wctomb %d %02x\n", k, wc, k2, (unsigned char)m[0]);
}

int main(void)
{
    printf("start: %s, mbcp %d\n", setlocale(LC_ALL, NULL), _getmbcp());
    set(LC_ALL, "English_United States.1252");
    set(LC_ALL, "German_Germany");
    set(LC_ALL, "French");
    set(LC_ALL, "en-US");
    set(LC_ALL, "de-DE");
    set(LC_ALL, "fr-FR");
    set(LC_ALL, ".1252");
    set(LC_ALL, ".437");
    set(LC_ALL, ".850");
    set(LC_ALL, ".OCP");
    set(LC_ALL, ".ACP");
    set(LC_ALL, "German_Germany.850");
    set(LC_ALL, "");
    set(LC_ALL, ".utf8");
    set(LC_ALL, ".65001");
    set(LC_ALL, "German_Germany.utf8");
    set(LC_ALL, "xx-YY");
    set(LC_ALL, "C");
    set(LC_NUMERIC, "German_Germany.1252");
    set(LC_CTYPE, ".850");
    char saved[300];
    snprintf(saved, sizeof saved, "%s", setlocale(LC_ALL, NULL));
    printf("query: %s\n", saved);
    set(LC_ALL, "C");
    set(LC_ALL, saved);
    set(LC_ALL, "C");

    set(LC_ALL, "German_Germany.1252");
    numbers("de");
    times();
    bytes();
    conv();
    set(LC_ALL, "French_France.1252");
    numbers("fr");
    times();
    set(LC_ALL, "English_United States.1252");
    numbers("en");
    times();
    set(LC_ALL, "English_United States.850");
    bytes();
    set(LC_ALL, ".1251");
    {
        wchar_t w[4] = {0};
        char m[4] = {0};
        static const wchar_t zhe[] = {0x416, 0x451, 0};
        size_t n = mbstowcs(w, "\xc6\xe6\xb8", 4), k = wcstombs(m, zhe, sizeof m);
        printf("  1251: toupper(e6) %02x tolower(c6) %02x isalpha(b8) %d mbstowcs %d %04x %04x"
               " %04x wcstombs %d %02x %02x\n", toupper(0xe6), tolower(0xc6), isalpha(0xb8) != 0,
               (int)n, w[0], w[1], w[2], (int)k, (unsigned char)m[0], (unsigned char)m[1]);
    }
    set(LC_ALL, "C");
    numbers("C");
    times();

    int r = _setmbcp(1252);
    printf("_setmbcp(1252) %d -> %d", r, _getmbcp());
    r = _setmbcp(12345);
    printf(", _setmbcp(12345) %d -> %d\n", r, _getmbcp());

    HMODULE crt = GetModuleHandleA("msvcrt.dll");
    typedef void *(__cdecl * create_fn)(int, const char *);
    typedef void(__cdecl * free_fn)(void *);
    typedef double(__cdecl * strtod_l_fn)(const char *, char **, void *);
    create_fn create = (create_fn)GetProcAddress(crt, "_create_locale");
    free_fn freel = (free_fn)GetProcAddress(crt, "_free_locale");
    strtod_l_fn strtod_l = (strtod_l_fn)GetProcAddress(crt, "_strtod_l");
    void *de = create ? create(LC_ALL, "German_Germany.1252") : NULL;
    void *bad = create ? create(LC_ALL, "xx") : NULL;
    printf("_create_locale: %s %s, _strtod_l %g, global %s\n", de ? "ok" : "NULL",
           bad ? "ok" : "NULL", de && strtod_l ? strtod_l("1,5", NULL, de) : -1.0,
           setlocale(LC_ALL, NULL));
    if (de)
        freel(de);
    return 0;
}
