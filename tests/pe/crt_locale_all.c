/* msvcrt's setlocale for every locale ntrun knows (cmake/glibc_locale.py's 19): each by its
 * Windows name "Language_Country" (the answer with its ANSI code page, __lc_codepage,
 * MB_CUR_MAX, the LCID in __lc_handle[LC_CTYPE]), then localeconv's decimal point, thousands
 * separator and currency symbol (bytes of the locale's code page), printf's decimal point and
 * strftime's day and month names, AM/PM and date/time pictures (bytes of the code page, the
 * double-byte 949 and 950 for Korean and Chinese (Traditional)). Then the other spellings: a
 * language alone ("Italian", "portuguese" meaning pt-BR, "Chinese (Traditional)"), Windows 7's
 * "Chinese_Taiwan" and "Czech_Czech Republic" (gone since "Czechia"), a code page of the locale
 * (".OCP": 852, 857, 850; ".949" alone with the default language), another locale's code page, a BCP-47 tag (NULL: msvcrt.dll predates them), _wsetlocale, and
 * _create_locale with _strtod_l.
 * Expected values: Windows 10's names (LOCALE_SENGLISHLANGUAGENAME/COUNTRYNAME, "Czechia"),
 * each locale's ANSI and OEM code pages and LCID (Microsoft's [MS-LCID]), and the date, number
 * and currency data of kernel32's GetLocaleInfo (pe.nls_lctime, pe.nls_numbers), converted to
 * the code page ('?' for a character it lacks, as msvcrt's conversion of LOCALE_STHOUSAND
 * gives). Wine 8.0's msvcrt prints the same names, code pages and LCIDs, except that it
 * answers "Chinese (Traditional)" with zh-HK, a locale ntrun lacks (Windows' primary Traditional
 * Chinese is zh-TW, LCID 0x0404); its data differ where its locale files do (pe.nls_lctime and
 * pe.nls_numbers say where: ko-KR's AM/PM, en-GB's "Sep", zh-TW's "NT$", n_sign_posn from
 * INEGCURR where Wine gives 0) and where a currency sign is not in the code page: '?' here
 * (the yen sign in 932 and 936, the won sign in 949), Wine's best fit there. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <windows.h>
#include "crt_locale_show.h"


static int set(const char *name)
{
    const char *r = setlocale(LC_ALL, name);
    printf("\"%s\" = %s, cp %u, MB_CUR_MAX %d, lcid %04lx\n", name, str(r), __lc_codepage,
           ___mb_cur_max_func(), __lc_handle[LC_CTYPE]);
    return r != NULL;
}

static void data(void)
{
    struct lconv *lc = localeconv();
    char buf[300];
    printf(" ");
    hex("dp", lc->decimal_point);
    hex("ts", lc->thousands_sep);
    hex("cur", lc->currency_symbol);
    hex("int", lc->int_curr_symbol);
    printf(" frac %d cs %d/%d posn %d/%d", lc->frac_digits, lc->p_cs_precedes,
           lc->n_cs_precedes, lc->p_sign_posn, lc->n_sign_posn);
    snprintf(buf, sizeof buf, "%.2f", 1234.5);
    printf(" printf %s\n ", buf);
    struct tm tm = {0};
    tm.tm_year = 126; tm.tm_mon = 8; tm.tm_mday = 4; tm.tm_wday = 5; tm.tm_yday = 246;
    tm.tm_hour = 15; tm.tm_min = 6; tm.tm_sec = 7;
    strftime(buf, sizeof buf, "%a|%A|%b|%B|%p|%x|%X|%#x", &tm);
    hex("strftime", buf);
    printf("\n");
}

int main(void)
{
    static const char *const names[] = {
        "English_United States", "German_Germany", "French_France", "Spanish_Spain",
        "Russian_Russia", "Japanese_Japan", "Chinese (Simplified)_China", "Italian_Italy",
        "Portuguese_Brazil", "Portuguese_Portugal", "Dutch_Netherlands", "Polish_Poland",
        "Swedish_Sweden", "Turkish_Turkey", "Korean_Korea", "Chinese (Traditional)_Taiwan",
        "English_United Kingdom", "Czech_Czechia", "Ukrainian_Ukraine"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (set(names[i]))
            data();

    static const char *const others[] = {
        "Italian", "portuguese", "Chinese (Traditional)", "Chinese", "KOREAN_KOREA.949",
        "Chinese_Taiwan", "Czech_Czech Republic", "Polish_Poland.OCP", "Turkish_Turkey.OCP",
        "Portuguese_Portugal.OCP", "Ukrainian_Ukraine.OCP", "Swedish_Sweden.850", ".949",
        ".950", ".852", "it-IT", "Korean_Korea.1253", "Klingon_Kronos"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        set(others[i]);

    const wchar_t *w = _wsetlocale(LC_ALL, L"Dutch");
    printf("_wsetlocale(L\"Dutch\") = %ls\n", w ? w : L"(null)");
    setlocale(LC_ALL, "C");
    _locale_t sv = _create_locale(LC_ALL, "Swedish_Sweden.1252");
    _locale_t tr = _create_locale(LC_ALL, "Turkish");
    char *end;
    double d = sv ? _strtod_l("2,75x", &end, sv) : 0;
    printf("_create_locale Swedish_Sweden.1252 %d: _strtod_l %g rest \"%s\"; Turkish %d; "
           "global locale %s\n",
           sv != NULL, d, sv ? end : "", tr != NULL, setlocale(LC_ALL, NULL));
    _free_locale(sv);
    _free_locale(tr);
    return 0;
}
