/* oleaut32's conversions with an explicit LCID for each of the 19 locales kernel32 knows: the
 * number written by VarBstrFromR8 (the locale's decimal separator), read back by VarR8FromStr
 * with and without the locale's thousands separator, VarParseNumFromStr and VarNumFromParseNum
 * on a grouped negative number; the date written by VarBstrFromDate (the locale's short date and
 * time) and read back by VarDateFromStr, a day-month-year string in the locale's order of day,
 * month and year, and "5 <December> 2026" with the locale's full, abbreviated and genitive month
 * names (LOCALE_SMONTHNAME12, LOCALE_SABBREVMONTHNAME12, LOCALE_RETURN_GENITIVE_NAMES; not
 * for ja/zh/ko, whose names are "12月", "12월": what Windows reads there is not checked). The
 * strings are built from the locale's own GetLocaleInfoW values, so each line says whether the
 * locale's text is read back as Windows documents ("the locale settings"). Non-ASCII characters
 * print as <U+XXXX>.
 * Expected values: the locale data of pe.nls_numbers and pe.nls_datefmt, Microsoft's
 * VarBstrFromR8 / VarBstrFromDate / VarDateFromStr / VarParseNumFromStr pages ("the locale
 * settings"). Wine 8.0 prints the same but where its locale data differ (de-DE's short date
 * d.M.yyyy, fr-FR's thousands separator U+00A0, ko-KR's "PM"), and it refuses the genitive
 * month names ("5 декабря 2026", "5 grudnia 2026", "5 prosince 2026") and a designator before
 * the time ("2026/12/5 下午3:04:05", zh-TW's own VarBstrFromDate text), which ntrun reads. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <oleauto.h>
#include "wide_put.h"

static void info(LCID l, LCTYPE t, WCHAR *buf, int n)
{
    if (!GetLocaleInfoW(l, t | LOCALE_NOUSEROVERRIDE, buf, n))
        buf[0] = 0;
}

static void date_from(LCID l, const WCHAR *s)
{
    DATE d = -1;
    HRESULT hr = VarDateFromStr((OLECHAR *)s, l, 0, &d);
    printf("  DateFromStr [");
    put(s);
    printf("]: %08lx %.6f\n", (unsigned long)hr, hr >= 0 ? d : 0.0);
}

int main(void)
{
    static const LCID lcids[] = {0x0409, 0x0407, 0x040c, 0x0c0a, 0x0419, 0x0411, 0x0804,
                                 0x0410, 0x0416, 0x0816, 0x0413, 0x0415, 0x041d, 0x041f,
                                 0x0412, 0x0404, 0x0809, 0x0405, 0x0422};
    DATE when = 46361.0 + (15 * 3600 + 4 * 60 + 5) / 86400.0; /* 2026-12-05 15:04:05 */
    for (size_t i = 0; i < sizeof lcids / sizeof *lcids; i++) {
        LCID l = lcids[i];
        WCHAR dec[8], thou[8], s[160], pic[40];
        info(l, LOCALE_SDECIMAL, dec, 8);
        info(l, LOCALE_STHOUSAND, thou, 8);
        info(l, LOCALE_SSHORTDATE, pic, 40);
        printf("LCID %04lx [", (unsigned long)l);
        put(dec);
        printf("] [");
        put(thou);
        printf("] [");
        put(pic);
        printf("]:\n");
        BSTR b = NULL;
        HRESULT hr = VarBstrFromR8(-1234.5, l, 0, &b);
        printf("  BstrFromR8 -1234.5: %08lx [", (unsigned long)hr);
        put(b);
        printf("]\n");
        SysFreeString(b);
        /* "1234<dec>5" and "1<thou>234<dec>5" */
        for (int grouped = 0; grouped < 2; grouped++) {
            swprintf(s, 160, L"1%ls234%ls5", grouped ? thou : L"", dec);
            double r = -1;
            hr = VarR8FromStr(s, l, 0, &r);
            printf("  R8FromStr [");
            put(s);
            printf("]: %08lx %g\n", (unsigned long)hr, hr >= 0 ? r : 0.0);
        }
        swprintf(s, 160, L"-1%ls234%ls50", thou, dec);
        NUMPARSE np = {16, NUMPRS_STD, 0, 0, 0, 0};
        BYTE dig[16];
        hr = VarParseNumFromStr(s, l, 0, &np, dig);
        printf("  ParseNumFromStr [");
        put(s);
        printf("]: %08lx", (unsigned long)hr);
        if (hr >= 0) {
            VARIANT v;
            VariantInit(&v);
            printf(" used %d digits %d pwr10 %d", np.cchUsed, np.cDig, np.nPwr10);
            hr = VarNumFromParseNum(&np, dig, VTBIT_R8, &v);
            printf(" -> %08lx %g", (unsigned long)hr, hr >= 0 ? V_R8(&v) : 0.0);
        }
        printf("\n");
        hr = VarBstrFromDate(when, l, 0, &b);
        printf("  BstrFromDate: %08lx [", (unsigned long)hr);
        put(b);
        printf("]\n");
        if (hr >= 0)
            date_from(l, b);
        SysFreeString(b);
        /* day 5, month 12, year 2026 in the short date's order, '/' between */
        const WCHAR *d = wcschr(pic, L'd'), *m = wcschr(pic, L'M'), *y = wcschr(pic, L'y');
        if (y && y < m)
            swprintf(s, 160, L"2026/12/05");
        else if (d && d < m)
            swprintf(s, 160, L"5/12/2026");
        else
            swprintf(s, 160, L"12/5/2026");
        date_from(l, s);
        if (y && y < m) {
            swprintf(s, 160, L"26/12/05"); /* a 2-digit year first */
            date_from(l, s);
        }
        WCHAR full[40], abbr[40], gen[40];
        info(l, LOCALE_SMONTHNAME12, full, 40);
        info(l, LOCALE_SABBREVMONTHNAME12, abbr, 40);
        info(l, LOCALE_SMONTHNAME12 | LOCALE_RETURN_GENITIVE_NAMES, gen, 40);
        const WCHAR *digits = L"0123456789";
        if (wcspbrk(full, digits)) {
            printf("  (month names with digits: not asked)\n");
            continue;
        }
        swprintf(s, 160, L"5 %ls 2026", full);
        date_from(l, s);
        if (wcscmp(abbr, full) && !wcspbrk(abbr, digits)) {
            swprintf(s, 160, L"5 %ls 2026", abbr);
            date_from(l, s);
        }
        if (wcscmp(gen, full)) {
            swprintf(s, 160, L"5 %ls 2026", gen);
            date_from(l, s);
        }
    }
    return 0;
}
