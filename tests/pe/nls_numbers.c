/* kernel32's number and currency locale data and formatting for en-US, de-DE, fr-FR, es-ES,
 * ru-RU, ja-JP, zh-CN, it-IT, pt-BR, pt-PT, nl-NL, pl-PL, sv-SE, tr-TR, ko-KR, zh-TW, en-GB,
 * cs-CZ and uk-UA: GetLocaleInfoEx of the LC_NUMERIC/LC_MONETARY LCTYPEs (LOCALE_SDECIMAL,
 * STHOUSAND, SGROUPING, IDIGITS, ILZERO, INEGNUMBER, SNEGATIVESIGN, SCURRENCY, SINTLSYMBOL,
 * ICURRDIGITS, ICURRENCY, INEGCURR, the C-style sign positions IPOSSIGNPOSN..INEGSEPBYSPACE,
 * SLIST, IMEASURE), GetLocaleInfoW/A by LCID with LOCALE_RETURN_NUMBER, GetNumberFormatEx and
 * GetCurrencyFormatEx with the locale's own format and with NUMBERFMT/CURRENCYFMT (every
 * negative and positive order, grouping 3, 32, 0, leading zero, rounding), GetNumberFormatW/A
 * and GetCurrencyFormatW/A by LCID, and the errors (malformed number, small buffer, flags with
 * a format).
 * Non-ASCII characters print as <U+XXXX>.
 * Expected values: Microsoft's documentation of LOCALE_SGROUPING ("3;0" groups by threes all the
 * way), LOCALE_ICURRENCY, LOCALE_INEGCURR, LOCALE_INEGNUMBER, NUMBERFMT (Grouping 3, 32, 320)
 * and CURRENCYFMT for the orders and groupings; the locales' values are Windows 10 (1809 and
 * later) / Windows 11's, where Windows' own data differ from glibc's (cmake/gen_lcnumeric.py
 * says which): fr-FR's thousands separator is U+202F (Windows before 10 1809: U+00A0),
 * ru-RU's U+00A0, the yen sign of ja-JP and zh-CN U+00A5, en-US's negative currency "($1.10)",
 * ja-JP's "-¥1", zh-CN's "¥-1.10"; the locales from it-IT on have CLDR 42's values (as
 * Debian's libicu72 gives them; not checked on a Windows machine) but zh-TW's "NT$" (Windows'
 * and glibc's; CLDR "$"). Wine 8.0 prints the same but for: one group only where a
 * locale's own "3;0" grouping applies ("1234,567.89") and where rounding adds a digit
 * ("1000 '000"), fr-FR's U+00A0 and INEGCURR 15, ja-JP's U+FFE5 and INEGCURR 0, zh-CN's
 * INEGCURR 0, and CLDR's accounting pattern as INEGCURR (pt-PT, pl-PL 15, nl-NL 14, tr-TR,
 * ko-KR, zh-TW, en-GB 0) with zh-TW's "$" (Wine's CLDR-derived data). */
#include <stdio.h>
#include <windows.h>
#include "wide_put.h"

static const WCHAR *const locs[] = {
    L"en-US", L"de-DE", L"fr-FR", L"es-ES", L"ru-RU", L"ja-JP", L"zh-CN",
    L"it-IT", L"pt-BR", L"pt-PT", L"nl-NL", L"pl-PL", L"sv-SE", L"tr-TR",
    L"ko-KR", L"zh-TW", L"en-GB", L"cs-CZ", L"uk-UA"};

static void info(const WCHAR *loc)
{
    static const struct { const char *name; LCTYPE type; } t[] = {
        {"SDECIMAL", LOCALE_SDECIMAL}, {"STHOUSAND", LOCALE_STHOUSAND},
        {"SGROUPING", LOCALE_SGROUPING}, {"IDIGITS", LOCALE_IDIGITS},
        {"ILZERO", LOCALE_ILZERO}, {"INEGNUMBER", LOCALE_INEGNUMBER},
        {"SPOSITIVESIGN", LOCALE_SPOSITIVESIGN}, {"SNEGATIVESIGN", LOCALE_SNEGATIVESIGN},
        {"SCURRENCY", LOCALE_SCURRENCY}, {"SINTLSYMBOL", LOCALE_SINTLSYMBOL},
        {"SMONDECIMALSEP", LOCALE_SMONDECIMALSEP}, {"SMONTHOUSANDSEP", LOCALE_SMONTHOUSANDSEP},
        {"SMONGROUPING", LOCALE_SMONGROUPING}, {"ICURRDIGITS", LOCALE_ICURRDIGITS},
        {"IINTLCURRDIGITS", LOCALE_IINTLCURRDIGITS}, {"ICURRENCY", LOCALE_ICURRENCY},
        {"INEGCURR", LOCALE_INEGCURR}, {"IPOSSIGNPOSN", LOCALE_IPOSSIGNPOSN},
        {"INEGSIGNPOSN", LOCALE_INEGSIGNPOSN}, {"IPOSSYMPRECEDES", LOCALE_IPOSSYMPRECEDES},
        {"IPOSSEPBYSPACE", LOCALE_IPOSSEPBYSPACE}, {"INEGSYMPRECEDES", LOCALE_INEGSYMPRECEDES},
        {"INEGSEPBYSPACE", LOCALE_INEGSEPBYSPACE}, {"SLIST", LOCALE_SLIST},
        {"IMEASURE", LOCALE_IMEASURE}};
    put(loc);
    printf(":\n");
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        WCHAR b[32] = {0};
        SetLastError(0xdeadbeef);
        int n = GetLocaleInfoEx(loc, t[i].type, b, 32);
        printf("  %s: %d [", t[i].name, n);
        put(b);
        printf("]\n");
    }
}

/* One formatting: "    VALUE -> N [TEXT]", and GetLastError when N is 0. */
static void shown(const WCHAR *value, int n, const WCHAR *text)
{
    printf("    ");
    put(value);
    printf(" -> %d [", n);
    put(text);
    printf("]");
    if (!n)
        printf(" error %lu", GetLastError());
    printf("\n");
}

static void num(const WCHAR *loc, const WCHAR *value, const NUMBERFMTW *f)
{
    WCHAR b[64] = {0};
    SetLastError(0xdeadbeef);
    shown(value, GetNumberFormatEx(loc, 0, value, f, b, 64), b);
}

static void cur(const WCHAR *loc, const WCHAR *value, const CURRENCYFMTW *f)
{
    WCHAR b[64] = {0};
    SetLastError(0xdeadbeef);
    shown(value, GetCurrencyFormatEx(loc, 0, value, f, b, 64), b);
}

/* "  LABEL: N [TEXT]" of a W and of an A call (bytes outside ASCII as <xx>) */
static void shown_w(const char *label, int n, const WCHAR *text)
{
    printf("  %s: %d [", label, n);
    put(text);
    printf("]\n");
}

static void shown_a(const char *label, int n, const char *text)
{
    printf("  %s: %d [", label, n);
    for (int i = 0; i < n - 1; i++)
        printf(text[i] >= 0x20 && text[i] < 0x7f ? "%c" : "<%02x>", (unsigned char)text[i]);
    printf("]\n");
}

int main(void)
{
    static const WCHAR *const values[] = {L"1234567.891", L"-1234.5", L"0.5", L"-0.75", L"7"};
    for (size_t l = 0; l < sizeof locs / sizeof *locs; l++) {
        info(locs[l]);
        printf("  GetNumberFormatEx:\n");
        for (int v = 0; v < 5; v++)
            num(locs[l], values[v], NULL);
        printf("  GetCurrencyFormatEx:\n");
        for (int v = 0; v < 5; v++)
            cur(locs[l], values[v], NULL);
    }

    printf("NUMBERFMT:\n");
    NUMBERFMTW nf = {2, 1, 3, L".", L",", 1};
    for (UINT o = 0; o <= 4; o++) {
        nf.NegativeOrder = o;
        printf("  NegativeOrder %u\n", o);
        num(L"en-US", L"-1234.5", &nf);
    }
    nf.NegativeOrder = 1;
    static const UINT groupings[] = {0, 3, 32, 30, 320, 2};
    for (int g = 0; g < 6; g++) {
        nf.Grouping = groupings[g];
        printf("  Grouping %u\n", groupings[g]);
        num(L"en-US", L"1234567890.5", &nf);
    }
    nf.Grouping = 3;
    nf.LeadingZero = 0;
    nf.NumDigits = 3;
    nf.lpDecimalSep = L"<>";
    nf.lpThousandSep = L" '";
    printf("  LeadingZero 0, NumDigits 3, separators \"<>\" \" '\"\n");
    num(L"en-US", L"0.5", &nf);
    num(L"en-US", L"-0.25", &nf);
    num(L"en-US", L"1234567", &nf);
    nf.NumDigits = 0;
    printf("  NumDigits 0 (rounding)\n");
    num(L"en-US", L"1234.5", &nf);
    num(L"en-US", L"1234.49", &nf);
    num(L"en-US", L"999999.5", &nf);
    nf.NumDigits = 2;
    nf.LeadingZero = 1;
    nf.lpDecimalSep = L".";
    nf.lpThousandSep = L",";
    printf("  rounding to 2 digits\n");
    num(L"en-US", L"0.995", &nf);
    num(L"en-US", L"999.996", &nf);
    num(L"en-US", L"1.004", &nf);
    num(L"en-US", L"12", &nf);
    num(L"en-US", L"00012.5", &nf);

    printf("CURRENCYFMT:\n");
    CURRENCYFMTW cf = {2, 1, 3, L".", L",", 0, 0, L"$"};
    for (UINT o = 0; o <= 15; o++) {
        cf.NegativeOrder = o;
        printf("  NegativeOrder %u\n", o);
        cur(L"en-US", L"-1234.5", &cf);
    }
    for (UINT o = 0; o <= 3; o++) {
        cf.PositiveOrder = o;
        printf("  PositiveOrder %u\n", o);
        cur(L"en-US", L"1234.5", &cf);
    }
    cf.PositiveOrder = 0;
    cf.NumDigits = 0;
    cf.lpCurrencySymbol = L"EUR";
    printf("  NumDigits 0, symbol EUR\n");
    cur(L"en-US", L"1234.5", &cf);

    printf("errors:\n");
    static const WCHAR *const bad[] = {L"12a", L"1.2.3", L" 1", L"1 ", L"+1", L"1e3", L"--1",
                                       L"1,000"};
    for (int i = 0; i < 8; i++)
        num(L"en-US", bad[i], NULL);
    cur(L"en-US", L"x", NULL);
    WCHAR b[64];
    SetLastError(0xdeadbeef);
    int n = GetNumberFormatEx(L"en-US", 0, L"1234.5", NULL, NULL, 0);
    printf("  size query: %d\n", n);
    SetLastError(0xdeadbeef);
    n = GetNumberFormatEx(L"en-US", 0, L"1234.5", NULL, b, 8);
    printf("  buffer of 8: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetCurrencyFormatEx(L"en-US", 0, L"1234.5", NULL, b, 9);
    printf("  currency into 9: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetNumberFormatEx(L"en-US", LOCALE_NOUSEROVERRIDE, L"1", &nf, b, 64);
    printf("  NOUSEROVERRIDE with a format: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetNumberFormatEx(L"en-US", 0, NULL, NULL, b, 64);
    printf("  NULL value: %d error %lu\n", n, GetLastError());

    printf("by LCID:\n");
    DWORD d = 0;
    n = GetLocaleInfoW(0x0411, LOCALE_ICURRDIGITS | LOCALE_RETURN_NUMBER, (WCHAR *)&d, 2);
    printf("  W 0411 ICURRDIGITS number: %d %lu\n", n, d);
    n = GetLocaleInfoW(0x0407, LOCALE_INEGCURR | LOCALE_RETURN_NUMBER, (WCHAR *)&d, 2);
    printf("  W 0407 INEGCURR number: %d %lu\n", n, d);
    shown_w("GetNumberFormatW 0407",
            GetNumberFormatW(0x0407, 0, L"-1234567.891", NULL, b, 64), b);
    shown_w("GetCurrencyFormatW 0419",
            GetCurrencyFormatW(0x0419, 0, L"-1234567.891", NULL, b, 64), b);
    char a[64];
    shown_a("GetNumberFormatA 0419", GetNumberFormatA(0x0419, 0, "1234.5", NULL, a, 64), a);
    shown_a("GetCurrencyFormatA 0407", GetCurrencyFormatA(0x0407, 0, "-1234.5", NULL, a, 64), a);
    n = GetLocaleInfoA(0x0407, LOCALE_SCURRENCY, a, 64);
    printf("  GetLocaleInfoA 0407 SCURRENCY: %d %02x\n", n, (unsigned char)a[0]);
    /* the A forms in the locale's own ANSI code page: 1250 (pl-PL, cs-CZ), 1254 (tr-TR, which
     * lacks U+20BA TURKISH LIRA SIGN), 1251 (uk-UA, which lacks U+20B4 HRYVNIA SIGN) */
    static const LCID alcids[] = {0x0415, 0x0405, 0x041f, 0x0422, 0x0816};
    for (size_t k = 0; k < sizeof alcids / sizeof *alcids; k++) {
        n = GetCurrencyFormatA(alcids[k], 0, "-1234.5", NULL, a, 64);
        printf("  GetCurrencyFormatA %04lx: %d [", (unsigned long)alcids[k], n);
        for (int i = 0; i < n - 1; i++)
            printf(a[i] >= 0x20 && a[i] < 0x7f ? "%c" : "<%02x>", (unsigned char)a[i]);
        printf("]\n");
    }
    return 0;
}
