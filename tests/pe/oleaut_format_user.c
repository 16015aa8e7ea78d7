/* oleaut32's VarFormatNumber, VarFormatPercent, VarFormatCurrency and VarFormatDateTime format
 * for the user's default locale with the user's overrides, which SetLocaleInfoW sets (and
 * kernel32's GetLocaleInfoW, GetNumberFormatW and GetDateFormatW give for LOCALE_USER_DEFAULT,
 * not with LOCALE_NOUSEROVERRIDE nor for another locale): first en-US as it comes, then with
 * German settings (decimal ',', thousands '.', 3 digits, no leading zero, "1,1-" negatives,
 * "1.234,50 EUR" currency with "-1 EUR" negatives, day.month.year dates, a 24-hour clock), then
 * the settings put back as they were (SetLocaleInfo changes the user's settings for good).
 * A bad LCTYPE is ERROR_INVALID_FLAGS, a NULL or too long value ERROR_INVALID_PARAMETER.
 * Non-ASCII characters print as <U+XXXX>.
 * Expected values: Microsoft's pages of these functions, of SetLocaleInfo and of
 * NUMBERFMT/CURRENCYFMT's orders. Wine 8.0 prints the same for en-US but "(12.5)%" for a
 * percentage in parentheses (here "(12.5%)"); with the German settings most of its calls fail
 * with DISP_E_TYPEMISMATCH (it reads back its own text with the user's separators), and it
 * takes a 4-character LOCALE_SDECIMAL (Microsoft: at most 3 and the NUL). The test runs on a
 * C: drive of its own (tests/CMakeLists.txt): the overrides it sets would change other tests'
 * output. */
#include <stdio.h>
#include <windows.h>
#include <oleauto.h>
#include "wide_put.h"

typedef HRESULT(WINAPI *fmt_fn)(LPVARIANT, int, int, int, int, ULONG, BSTR *);

static void one(const char *name, fmt_fn f, double d, int dig, int lead, int par, int grp)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R8;
    V_R8(&v) = d;
    BSTR out = NULL;
    HRESULT hr = f(&v, dig, lead, par, grp, 0, &out);
    printf("  %s %g (%d,%d,%d,%d): ", name, d, dig, lead, par, grp);
    if (FAILED(hr)) {
        printf("hr 0x%08lx\n", (unsigned long)hr);
        return;
    }
    printf("[");
    put(out);
    printf("]\n");
    SysFreeString(out);
}

static void all(void)
{
    static const double vals[] = {1234567.891, -1234.5, 0.5, -0.25};
    for (int i = 0; i < 4; i++) {
        one("Number", VarFormatNumber, vals[i], -1, -2, -2, -2);
        one("Percent", VarFormatPercent, vals[i], -1, -2, -2, -2);
        one("Currency", VarFormatCurrency, vals[i], -1, -2, -2, -2);
    }
    one("Number", VarFormatNumber, -1234.5, 2, -1, -1, -1);
    one("Number", VarFormatNumber, -1234.5, 2, -1, 0, 0);
    one("Percent", VarFormatPercent, -0.125, 1, -2, -1, -2);
    one("Currency", VarFormatCurrency, -1.2, 2, -2, -1, -2);
    one("Currency", VarFormatCurrency, -1.2, 2, -2, 0, -2);
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_DATE;
    V_DATE(&v) = 46361.6278125; /* 2026-12-05 15:04:03 */
    for (int n = 0; n <= 4; n++) {
        BSTR out = NULL;
        HRESULT hr = VarFormatDateTime(&v, n, 0, &out);
        printf("  DateTime %d: 0x%lx [", n, (unsigned long)hr);
        put(out);
        printf("]\n");
        SysFreeString(out);
    }
    WCHAR buf[80];
    GetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SDECIMAL, buf, 80);
    printf("  GetLocaleInfoW(USER_DEFAULT, SDECIMAL) [");
    put(buf);
    GetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SDECIMAL | LOCALE_NOUSEROVERRIDE, buf, 80);
    printf("] NOUSEROVERRIDE [");
    put(buf);
    GetLocaleInfoW(0x0409, LOCALE_SSHORTDATE, buf, 80);
    printf("] 0409 SSHORTDATE [");
    put(buf);
    GetLocaleInfoW(LOCALE_INVARIANT, LOCALE_SDECIMAL, buf, 80);
    printf("] INVARIANT SDECIMAL [");
    put(buf);
    printf("]\n");
    GetNumberFormatW(LOCALE_USER_DEFAULT, 0, L"-1234.5", NULL, buf, 80);
    printf("  GetNumberFormatW(USER_DEFAULT) [");
    put(buf);
    GetNumberFormatW(LOCALE_USER_DEFAULT, LOCALE_NOUSEROVERRIDE, L"-1234.5", NULL, buf, 80);
    printf("] NOUSEROVERRIDE [");
    put(buf);
    GetNumberFormatW(0x0407, 0, L"-1234.5", NULL, buf, 80);
    printf("] de-DE [");
    put(buf);
    printf("]\n");
}

static const struct {
    LCTYPE type;
    const WCHAR *value;
} german[] = {
    {LOCALE_SDECIMAL, L","},        {LOCALE_STHOUSAND, L"."},
    {LOCALE_IDIGITS, L"3"},         {LOCALE_ILZERO, L"0"},
    {LOCALE_INEGNUMBER, L"3"},      {LOCALE_SCURRENCY, L"EUR"},
    {LOCALE_ICURRENCY, L"3"},       {LOCALE_INEGCURR, L"8"},
    {LOCALE_SMONDECIMALSEP, L","},  {LOCALE_SMONTHOUSANDSEP, L"."},
    {LOCALE_ICURRDIGITS, L"2"},     {LOCALE_SSHORTDATE, L"dd.MM.yyyy"},
    {LOCALE_SLONGDATE, L"dddd, d. MMMM yyyy"}, {LOCALE_STIMEFORMAT, L"HH:mm:ss"},
};
#define NSET (sizeof german / sizeof *german)

int main(void)
{
    WCHAR saved[NSET][80];
    for (size_t i = 0; i < NSET; i++)
        GetLocaleInfoW(LOCALE_USER_DEFAULT, german[i].type, saved[i], 80);
    printf("as it comes:\n");
    all();
    for (size_t i = 0; i < NSET; i++)
        if (!SetLocaleInfoW(LOCALE_USER_DEFAULT, german[i].type, german[i].value))
            printf("SetLocaleInfoW %lx: error %lu\n", (unsigned long)german[i].type,
                   GetLastError());
    printf("with German settings:\n");
    all();
    for (size_t i = 0; i < NSET; i++)
        SetLocaleInfoW(LOCALE_USER_DEFAULT, german[i].type, saved[i]);
    printf("put back:\n");
    one("Number", VarFormatNumber, -1234.5, -1, -2, -2, -2);
    one("Currency", VarFormatCurrency, -1234.5, -1, -2, -2, -2);

    SetLastError(0);
    BOOL ok = SetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SLANGUAGE, L"x");
    printf("SetLocaleInfoW SLANGUAGE: %d error %lu\n", ok, GetLastError());
    SetLastError(0);
    ok = SetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SDECIMAL, NULL);
    printf("SetLocaleInfoW SDECIMAL NULL: %d error %lu\n", ok, GetLastError());
    SetLastError(0);
    ok = SetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SDECIMAL, L"1234");
    printf("SetLocaleInfoW SDECIMAL \"1234\": %d error %lu\n", ok, GetLastError());
    return 0;
}
