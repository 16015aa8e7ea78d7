/* oleaut32's format strings in a locale: VarTokenizeFormatString + VarFormatFromTokens with the
 * LCIDs of en-US, de-DE, fr-FR, ja-JP and ko-KR: the decimal and thousands separators "." and
 * "," print, the date and time separators "/" and ":" print, day and month names (full and
 * abbreviated), AMPM (the locale's designators; AM/PM stays itself), c, ddddd, dddddd, ttttt
 * and the named formats Currency, Standard, Short Date, Long Date and Long Time; and VarFormat,
 * which formats for the user's default locale (en-US here). Non-ASCII output is shown as \uXXXX.
 * Expected output: Visual Basic's Format rules ("the actual character used as the date separator
 * ... is determined by your system settings"), with the locales' data as kernel32's
 * GetLocaleInfo gives them (pe.nls_lctime, pe.nls_numbers: Windows 10's values); Currency in
 * the locale's arrangement and digits (LOCALE_ICURRENCY, LOCALE_INEGCURR, LOCALE_ICURRDIGITS:
 * "Output is based on system locale settings"). Wine 8.0 prints the same but for: Currency
 * (it keeps "$1;($1)" and two digits with the locale's symbol), AM/PM and c (as
 * pe.oleaut_varformatstr says), and its locale data (de-DE "Fr." and "d.M.yyyy", fr-FR's
 * U+00A0, ko-KR's "PM": pe.nls_lctime and pe.nls_numbers say where they differ). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static void show_bstr(BSTR s)
{
    putchar('\'');
    for (; s && *s; s++)
        if (*s >= 0x20 && *s < 0x7f)
            putchar(*s);
        else
            printf("\\u%04x", *s);
    putchar('\'');
}

static void fmt(LCID lcid, VARIANT *v, const WCHAR *f)
{
    BYTE tok[1024];
    BSTR out = NULL;
    HRESULT hr = VarTokenizeFormatString((WCHAR *)f, tok, sizeof tok, 0, 0, lcid, NULL);
    if (SUCCEEDED(hr))
        hr = VarFormatFromTokens(v, (WCHAR *)f, tok, 0, &out, lcid);
    printf("  %-26ls ", f);
    if (FAILED(hr))
        printf("hr 0x%08lx", (unsigned long)hr);
    else
        show_bstr(out);
    printf("\n");
    SysFreeString(out);
}

int main(void)
{
    static const LCID lcids[] = {0x0409, 0x0407, 0x040c, 0x0411, 0x0412};
    static const WCHAR *const numfmts[] = {L"#,##0.00", L"0.000", L"Standard", L"Currency",
                                           L"#,##0.00;(#,##0.00)"};
    static const WCHAR *const datefmts[] = {
        L"dddd d mmmm yyyy", L"ddd, mmm d", L"dd/mm/yyyy hh:nn:ss", L"h:nn AMPM",
        L"h:nn AM/PM", L"ddddd", L"dddddd", L"ttttt", L"c", L"Short Date", L"Long Date",
        L"Long Time"};
    VARIANT num, neg, date;
    VariantInit(&num);
    V_VT(&num) = VT_R8;
    V_R8(&num) = 1234567.891;
    VariantInit(&neg);
    V_VT(&neg) = VT_R8;
    V_R8(&neg) = -1234.5;
    VariantInit(&date);
    V_VT(&date) = VT_DATE;
    V_DATE(&date) = 46269.6423958333; /* 2026-09-04 15:25:03 */
    for (size_t i = 0; i < sizeof lcids / sizeof lcids[0]; i++) {
        printf("LCID %04lx\n", lcids[i]);
        for (size_t k = 0; k < sizeof numfmts / sizeof numfmts[0]; k++)
            fmt(lcids[i], &num, numfmts[k]);
        fmt(lcids[i], &neg, L"Currency");
        fmt(lcids[i], &neg, L"#,##0.00;(#,##0.00)");
        for (size_t k = 0; k < sizeof datefmts / sizeof datefmts[0]; k++)
            fmt(lcids[i], &date, datefmts[k]);
    }
    BSTR out = NULL;
    HRESULT hr = VarFormat(&num, (WCHAR *)L"#,##0.00", 0, 0, 0, &out);
    printf("VarFormat (the user's default locale): 0x%08lx ", (unsigned long)hr);
    show_bstr(out);
    printf("\n");
    SysFreeString(out);
    return 0;
}
