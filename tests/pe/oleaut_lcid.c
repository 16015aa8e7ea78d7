/* oleaut32's conversions with an LCID: VarBstrFromR8/R4/Cy/Dec write the locale's decimal
 * separator (LOCALE_SDECIMAL), VarBstrFromDate the locale's short date and time
 * (GetDateFormat DATE_SHORTDATE, GetTimeFormat; VAR_DATEVALUEONLY, VAR_TIMEVALUEONLY, a date
 * without a time, a time without a date), VariantChangeTypeEx to and from VT_BSTR with the LCID,
 * VarR8FromStr/VarCyFromStr/VarDecFromStr/VarParseNumFromStr read the locale's decimal and
 * thousands separators and currency symbol, VarDateFromStr the locale's day-month order. LCIDs:
 * en-US 0409, de-DE 0407, fr-FR 040c, ru-RU 0419, ja-JP 0411, pl-PL 0415; LOCALE_USER_DEFAULT
 * is en-US's. Non-ASCII characters print as <U+XXXX>.
 * Expected values: Microsoft's VarBstrFromDate / VarParseNumFromStr pages ("the locale
 * settings") with the locale data of pe.nls_numbers and pe.nls_datefmt; Wine 8.0 prints the
 * same but where that locale data differ (de-DE's short date, Wine d.M.yyyy). Not covered:
 * a thousands separator after the decimal one ("1.234,5" in en-US), which Wine reads as
 * 1.2345 and ntrun refuses. */
#include <stdbool.h>
#include <stdio.h>
#include <windows.h>
#include <oleauto.h>

static void put(const WCHAR *w)
{
    if (!w) {
        printf("(null)");
        return;
    }
    for (; *w; w++) {
        if (*w >= 0x20 && *w < 0x7f)
            putchar(*w);
        else
            printf("<U+%04X>", *w);
    }
}

static BSTR b; /* the result of the call in bstr()'s arguments */

static void bstr(const char *what, HRESULT hr)
{
    printf("  %s: %08lx [", what, (unsigned long)hr);
    put(hr >= 0 ? b : NULL);
    printf("]\n");
    if (hr >= 0)
        SysFreeString(b);
    b = NULL;
}

int main(void)
{
    static const LCID lcids[] = {0x0409, 0x0407, 0x040c, 0x0419, 0x0411, 0x0415,
                                 LOCALE_USER_DEFAULT};
    /* Saturday, 5 December 2026, 15:04:05 */
    DATE when = 46361.0 + (15 * 3600 + 4 * 60 + 5) / 86400.0, day = 46361.0,
         time = (9 * 3600 + 7 * 60 + 8) / 86400.0;
    for (size_t i = 0; i < sizeof lcids / sizeof *lcids; i++) {
        LCID l = lcids[i];
        printf("LCID %04lx:\n", (unsigned long)l);
        bstr("R8 -1234.5", VarBstrFromR8(-1234.5, l, 0, &b));
        bstr("R4 0.25", VarBstrFromR4(0.25f, l, 0, &b));
        CY cy;
        cy.int64 = 12345678;
        bstr("CY 1234.5678", VarBstrFromCy(cy, l, 0, &b));
        DECIMAL dec;
        VarDecFromR8(-3.125, &dec);
        bstr("DEC -3.125", VarBstrFromDec(&dec, l, 0, &b));
        bstr("DATE", VarBstrFromDate(when, l, 0, &b));
        bstr("DATE day", VarBstrFromDate(day, l, 0, &b));
        bstr("DATE time", VarBstrFromDate(time, l, 0, &b));
        bstr("DATE DATEVALUEONLY", VarBstrFromDate(when, l, VAR_DATEVALUEONLY, &b));
        bstr("DATE TIMEVALUEONLY", VarBstrFromDate(when, l, VAR_TIMEVALUEONLY, &b));
        VARIANT v, s;
        VariantInit(&v);
        VariantInit(&s);
        V_VT(&v) = VT_R8;
        V_R8(&v) = 2.5;
        HRESULT hr = VariantChangeTypeEx(&s, &v, l, 0, VT_BSTR);
        b = V_BSTR(&s);
        V_VT(&s) = VT_EMPTY;
        bstr("ChangeTypeEx R8 2.5", hr);
        /* the grouped forms where the locale's thousands separator is '.' (de-DE), ',' (en-US,
         * ja-JP) or a no-break space (fr-FR, ru-RU, pl-PL) */
        bool de = l == 0x0407, en = l == 0x0409 || l == 0x0411 || l == LOCALE_USER_DEFAULT;
        const WCHAR *grouped = de ? L"1.234,5" : en ? L"1,234.5" : L"1 234,5";
        const WCHAR *strs[] = {L"1234,5", L"1234.5", grouped, L"1 234,5", L"1\x00a0" L"234,5"};
        for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
            double d = -1;
            hr = VarR8FromStr((OLECHAR *)strs[k], l, 0, &d);
            printf("  R8FromStr [");
            put(strs[k]);
            printf("]: %08lx %g\n", (unsigned long)hr, hr >= 0 ? d : 0.0);
        }
        hr = VarCyFromStr((OLECHAR *)L"1,5", l, 0, &cy);
        printf("  CyFromStr [1,5]: %08lx %lld\n", (unsigned long)hr, hr >= 0 ? cy.int64 : 0);
        /* "5.12.2026" where the locale's date separator is '.' */
        static const WCHAR *const dates[] = {L"5.12.2026", L"12/5/2026", L"5/12/2026",
                                             L"2026-12-05"};
        bool dots = l == 0x0407 || l == 0x0419 || l == 0x0415;
        for (size_t k = !dots; k < sizeof dates / sizeof *dates; k++) {
            DATE d = -1;
            hr = VarDateFromStr((OLECHAR *)dates[k], l, 0, &d);
            printf("  DateFromStr [");
            put(dates[k]);
            printf("]: %08lx %g\n", (unsigned long)hr, hr >= 0 ? d : 0.0);
        }
        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(L"3,75");
        VariantClear(&s);
        hr = VariantChangeTypeEx(&s, &v, l, 0, VT_R8);
        printf("  ChangeTypeEx BSTR [3,75] -> R8: %08lx %g\n", (unsigned long)hr,
               hr >= 0 ? V_R8(&s) : 0.0);
        VariantClear(&v);
        NUMPARSE np = {16, NUMPRS_STD, 0, 0, 0, 0};
        BYTE dig[16];
        const WCHAR *num = de ? L"-1.234,50" : en ? L"-1,234.50" : L"-1 234,50";
        hr = VarParseNumFromStr((OLECHAR *)num, l, 0, &np, dig);
        printf("  ParseNumFromStr [");
        put(num);
        printf("]: %08lx", (unsigned long)hr);
        if (hr >= 0)
            printf(" used %d flags %08lx digits %d pwr10 %d", np.cchUsed,
                   (unsigned long)np.dwOutFlags, np.cDig, np.nPwr10);
        printf("\n");
    }
    return 0;
}
