/* oleaut32's format strings: VarFormat with number formats (0 and # placeholders, the point,
 * grouping and scaling commas, %, scientific E+/E-, literals quoted and escaped, the positive;
 * negative;zero sections, rounding half away from zero), date and time formats (d..dddddd,
 * m..mmmm and m as minutes after h, y/yy/yyyy, q, w/ww, h/hh/n/nn/s/ss, AM/PM, am/pm, A/P, c,
 * ttttt), text formats (@, &, <, >, !) and the named formats (Fixed, Standard, Percent,
 * Scientific, Currency, Yes/No, True/False, On/Off, General Number, the date and time ones);
 * a number given as text, a date given as a number; VarTokenizeFormatString and
 * VarFormatFromTokens (a short token buffer, the same results as VarFormat).
 * US English locale. Expected output: what Visual Basic's Format prints for these (VarFormat is
 * its engine; the rules as its documentation states them), checked against Wine 8.0, which
 * prints the same but where it does not follow them: a comma before the point or the end
 * scales by 1000 ("#,##0," gives 1,235 for 1234567; Wine ignores it), AM/PM makes h a 12-hour
 * clock (Wine: "15:25 PM"), w is the weekday counted from Sunday (Saturday is 7; Wine: 1), c
 * (Wine appends garbage), Medium Date is dd-mmm-yy (Wine: the long date), ! fills from the
 * left (Wine ignores it). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static void show(VARIANT *v, const WCHAR *fmt)
{
    BSTR out = NULL;
    HRESULT hr = VarFormat(v, (WCHAR *)fmt, 0, 0, 0, &out);
    if (FAILED(hr))
        printf("%-24ls hr 0x%08lx\n", fmt, (unsigned long)hr);
    else
        printf("%-24ls '%ls'\n", fmt, out);
    SysFreeString(out);
}

static void num(double d, const WCHAR *fmt)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R8;
    V_R8(&v) = d;
    printf("%-12g ", d);
    show(&v, fmt);
}

static void date(double d, const WCHAR *fmt)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_DATE;
    V_DATE(&v) = d;
    printf("date %-7g ", d);
    show(&v, fmt);
}

static void text(const WCHAR *s, const WCHAR *fmt)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(s);
    printf("%-12ls ", s);
    show(&v, fmt);
    VariantClear(&v);
}

int main(void)
{
    /* numbers */
    num(1234.5678, L"0");
    num(1234.5678, L"0.00");
    num(1234.5678, L"#,##0.00");
    num(1234567.891, L"#,##0");
    num(1234.5, L"00000.000");
    num(0.5, L"#.##");
    num(0.5, L"0.##");
    num(5, L"0.##");
    num(2.5, L"0");
    num(-2.5, L"0");
    num(0.125, L"0.00");
    num(-1234.5, L"#,##0.00");
    num(-1234.5, L"#,##0.00;(#,##0.00)");
    num(0, L"#,##0.00;(#,##0.00);\"zero\"");
    num(42, L"#,##0.00;(#,##0.00);\"zero\"");
    num(0.256, L"0%");
    num(0.256, L"0.0%");
    num(1234567, L"#,##0,");
    num(1234567890, L"#,##0,,\"M\"");
    num(12345.678, L"0.00E+00");
    num(0.000123, L"0.00E+00");
    num(0.000123, L"0.00E-00");
    num(12345.678, L"0.00E-00");
    num(9.999, L"0.00E+00");
    num(0, L"0.00E+00");
    num(5551234, L"(###) ###-####");
    num(1234, L"$#,##0.00");
    num(1234, L"\\$0 \"USD\"");
    /* named */
    num(1234.5, L"Fixed");
    num(1234.5, L"Standard");
    num(0.1234, L"Percent");
    num(1234.5, L"Scientific");
    num(-1234.5, L"Currency");
    num(1234.5, L"Currency");
    num(1234.5, L"General Number");
    num(0, L"Yes/No");
    num(2, L"Yes/No");
    num(-1, L"True/False");
    num(0, L"On/Off");
    /* dates: 46361.6423611111 is Saturday 5 December 2026 15:25:00 */
    double d = 46361.6423611111;
    date(d, L"m/d/yy");
    date(d, L"mm/dd/yyyy");
    date(d, L"d-mmm-yyyy");
    date(d, L"dddd, mmmm d, yyyy");
    date(d, L"ddd dd mmm");
    date(d, L"yyyy-mm-dd hh:nn:ss");
    date(d, L"h:mm AM/PM");
    date(d, L"hh:mm:ss am/pm");
    date(d, L"h A/P");
    date(d, L"q \"quarter\" yyyy");
    date(d, L"y");
    date(d, L"w ww");
    date(d, L"ddddd");
    date(d, L"dddddd");
    date(d, L"ttttt");
    date(d, L"c");
    date(46361, L"c");
    date(d, L"Long Date");
    date(d, L"Medium Date");
    date(d, L"Short Date");
    date(d, L"Long Time");
    date(d, L"Medium Time");
    date(d, L"Short Time");
    num(46361, L"yyyy-mm-dd");
    /* text */
    text(L"abc", L">@@@@");
    text(L"ABC", L"<&&&&&");
    text(L"abc", L"(@@@@@)");
    text(L"abc", L"!(@@@@@)");
    text(L"12.5", L"0.00");
    text(L"hello", L"0.00");

    /* tokens */
    BYTE tok[1024];
    int used = 0;
    HRESULT hr = VarTokenizeFormatString((WCHAR *)L"#,##0.00", tok, 4, 1, 1, 0x409, &used);
    printf("tokenize into 4 bytes: 0x%08lx\n", (unsigned long)hr);
    hr = VarTokenizeFormatString((WCHAR *)L"#,##0.00", tok, sizeof tok, 1, 1, 0x409, &used);
    printf("tokenize: 0x%08lx used %d\n", (unsigned long)hr, used > 0);
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R8;
    V_R8(&v) = 9876.545;
    BSTR out = NULL;
    hr = VarFormatFromTokens(&v, (WCHAR *)L"#,##0.00", tok, 0, &out, 0x409);
    printf("from tokens: 0x%08lx '%ls'\n", (unsigned long)hr, out);
    SysFreeString(out);
    hr = VarTokenizeFormatString((WCHAR *)L"dddd d mmmm", tok, sizeof tok, 1, 1, 0x409, &used);
    V_VT(&v) = VT_DATE;
    V_DATE(&v) = d;
    hr = VarFormatFromTokens(&v, (WCHAR *)L"dddd d mmmm", tok, 0, &out, 0x409);
    printf("from tokens: 0x%08lx '%ls'\n", (unsigned long)hr, out);
    SysFreeString(out);
    return 0;
}
