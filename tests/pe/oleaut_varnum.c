/* oleaut32's VT_CY, VT_DECIMAL and VT_DATE as Windows converts them (expected output from Wine
 * 8.0, whose oleaut32 is tested against Windows): VariantChangeType between them and the other
 * scalar types (banker's rounding, DISP_E_OVERFLOW, DISP_E_TYPEMISMATCH), the Var*From* and
 * VarBstrFrom* conversions, CY and DECIMAL arithmetic (VarCyAdd/Mul/..., VarDecAdd/Mul/Div/Cmp/...),
 * and the date functions (VarDateFromStr, VarBstrFromDate, SystemTimeToVariantTime,
 * VariantTimeToSystemTime, VarDateFromUdate, VarUdateFromDate, DosDateTimeToVariantTime).
 * Left out where Wine 8.0 is known to differ from Windows: DECIMAL sums and products with
 * trailing zeros (Wine drops them), R8 -> DECIMAL beyond 15 digits, CY arithmetic near the
 * limits (Wine goes through doubles), VarDecInt/VarDecRound on halves, two-digit years from 30
 * (Windows' cut-off is a setting), a time that rounds into the next day (Wine's day of the week
 * is the day before's). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>
#include <string.h>

#define EN_US MAKELCID(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), SORT_DEFAULT)

static void pbstr(BSTR b)
{
    putchar('"');
    for (UINT i = 0; b && i < SysStringLen(b); i++)
        putchar(b[i] < 0x80 ? (int)b[i] : '?');
    putchar('"');
}

static void pdec(const DECIMAL *d)
{
    printf("dec{scale %u sign %02x hi %08lx lo %016llx}", d->scale, d->sign,
           (unsigned long)d->Hi32, (unsigned long long)d->Lo64);
}

static void pvar(const VARIANT *v)
{
    BSTR b = NULL;
    printf("vt %u ", V_VT(v));
    switch (V_VT(v)) {
    case VT_I1: printf("%d", V_I1(v)); break;
    case VT_UI1: printf("%u", V_UI1(v)); break;
    case VT_I2: printf("%d", V_I2(v)); break;
    case VT_UI2: printf("%u", V_UI2(v)); break;
    case VT_I4: printf("%ld", (long)V_I4(v)); break;
    case VT_UI4: printf("%lu", (unsigned long)V_UI4(v)); break;
    case VT_I8: printf("%lld", (long long)V_I8(v)); break;
    case VT_UI8: printf("%llu", (unsigned long long)V_UI8(v)); break;
    case VT_R4: printf("%.9g", V_R4(v)); break;
    case VT_R8: printf("%.17g", V_R8(v)); break;
    case VT_DATE: printf("date %.17g", V_DATE(v)); break;
    case VT_BOOL: printf("%d", V_BOOL(v)); break;
    case VT_CY: printf("cy %lld", (long long)V_CY(v).int64); break;
    case VT_DECIMAL: pdec(&V_DECIMAL(v)); break;
    case VT_BSTR: pbstr(V_BSTR(v)); break;
    default: break;
    }
    (void)b;
}

static void change(const char *what, VARIANT *src, USHORT flags, VARTYPE vt)
{
    VARIANT dst;
    VariantInit(&dst);
    HRESULT hr = VariantChangeTypeEx(&dst, src, EN_US, flags, vt);
    printf("%s -> %u: 0x%08lx ", what, vt, (unsigned long)hr);
    if (SUCCEEDED(hr))
        pvar(&dst);
    printf("\n");
    VariantClear(&dst);
}

static void from_str(const char *s, VARTYPE vt)
{
    WCHAR w[128];
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, 128);
    VARIANT src;
    V_VT(&src) = VT_BSTR;
    V_BSTR(&src) = SysAllocString(w);
    char what[160];
    snprintf(what, sizeof what, "\"%s\"", s);
    change(what, &src, 0, vt);
    VariantClear(&src);
}

static void from_r8(double d, VARTYPE vt)
{
    VARIANT src;
    V_VT(&src) = VT_R8;
    V_R8(&src) = d;
    char what[64];
    snprintf(what, sizeof what, "r8 %.17g", d);
    change(what, &src, 0, vt);
}

static void from_cy(LONGLONG c, VARTYPE vt)
{
    VARIANT src;
    V_VT(&src) = VT_CY;
    V_CY(&src).int64 = c;
    char what[64];
    snprintf(what, sizeof what, "cy %lld", c);
    change(what, &src, 0, vt);
}

static void from_date(double d, VARTYPE vt)
{
    VARIANT src;
    V_VT(&src) = VT_DATE;
    V_DATE(&src) = d;
    char what[64];
    snprintf(what, sizeof what, "date %.17g", d);
    change(what, &src, 0, vt);
}

static DECIMAL dec_of(const char *s)
{
    WCHAR w[128];
    DECIMAL d;
    memset(&d, 0, sizeof d);
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, 128);
    HRESULT hr = VarDecFromStr(w, EN_US, 0, &d);
    if (FAILED(hr))
        printf("VarDecFromStr(%s) 0x%08lx\n", s, (unsigned long)hr);
    return d;
}

static void show_dec(const char *what, HRESULT hr, DECIMAL *d)
{
    printf("%s: 0x%08lx", what, (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        BSTR b = NULL;
        VarBstrFromDec(d, EN_US, 0, &b);
        printf(" ");
        pbstr(b);
        printf(" ");
        pdec(d);
        SysFreeString(b);
    }
    printf("\n");
}

static void dec_ops(const char *a, const char *b)
{
    DECIMAL x = dec_of(a), y = dec_of(b), r;
    char what[160];
    snprintf(what, sizeof what, "%s + %s", a, b);
    show_dec(what, VarDecAdd(&x, &y, &r), &r);
    snprintf(what, sizeof what, "%s - %s", a, b);
    show_dec(what, VarDecSub(&x, &y, &r), &r);
    snprintf(what, sizeof what, "%s * %s", a, b);
    show_dec(what, VarDecMul(&x, &y, &r), &r);
    snprintf(what, sizeof what, "%s / %s", a, b);
    show_dec(what, VarDecDiv(&x, &y, &r), &r);
    printf("cmp %s %s: %ld\n", a, b, (long)VarDecCmp(&x, &y));
}

static void dec_unary(const char *a)
{
    DECIMAL x = dec_of(a), r;
    char what[160];
    snprintf(what, sizeof what, "fix %s", a);
    show_dec(what, VarDecFix(&x, &r), &r);
    snprintf(what, sizeof what, "int %s", a);
    show_dec(what, VarDecInt(&x, &r), &r);
    snprintf(what, sizeof what, "neg %s", a);
    show_dec(what, VarDecNeg(&x, &r), &r);
    snprintf(what, sizeof what, "abs %s", a);
    show_dec(what, VarDecAbs(&x, &r), &r);
    snprintf(what, sizeof what, "round1 %s", a);
    show_dec(what, VarDecRound(&x, 1, &r), &r);
}

static void show_cy(const char *what, HRESULT hr, CY c)
{
    printf("%s: 0x%08lx", what, (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        BSTR b = NULL;
        VarBstrFromCy(c, EN_US, 0, &b);
        printf(" %lld ", (long long)c.int64);
        pbstr(b);
        SysFreeString(b);
    }
    printf("\n");
}

static void cy_ops(LONGLONG a, LONGLONG b)
{
    CY x, y, r;
    x.int64 = a;
    y.int64 = b;
    char what[160];
    r.int64 = 0;
    snprintf(what, sizeof what, "cy %lld + %lld", a, b);
    show_cy(what, VarCyAdd(x, y, &r), r);
    snprintf(what, sizeof what, "cy %lld - %lld", a, b);
    show_cy(what, VarCySub(x, y, &r), r);
    snprintf(what, sizeof what, "cy %lld * %lld", a, b);
    show_cy(what, VarCyMul(x, y, &r), r);
    snprintf(what, sizeof what, "cy %lld *i4 %ld", a, (long)(b / 10000));
    show_cy(what, VarCyMulI4(x, (LONG)(b / 10000), &r), r);
    snprintf(what, sizeof what, "cy %lld *i8 %lld", a, b / 10000);
    show_cy(what, VarCyMulI8(x, b / 10000, &r), r);
    printf("cy cmp %lld %lld: %ld\n", a, b, (long)VarCyCmp(x, y));
    snprintf(what, sizeof what, "cy fix %lld", a);
    show_cy(what, VarCyFix(x, &r), r);
    snprintf(what, sizeof what, "cy int %lld", a);
    show_cy(what, VarCyInt(x, &r), r);
    snprintf(what, sizeof what, "cy neg %lld", a);
    show_cy(what, VarCyNeg(x, &r), r);
    snprintf(what, sizeof what, "cy abs %lld", a);
    show_cy(what, VarCyAbs(x, &r), r);
    snprintf(what, sizeof what, "cy round2 %lld", a);
    show_cy(what, VarCyRound(x, 2, &r), r);
}

static void date_str(const char *s)
{
    WCHAR w[128];
    DATE d = 0;
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, 128);
    HRESULT hr = VarDateFromStr(w, EN_US, 0, &d);
    printf("VarDateFromStr \"%s\": 0x%08lx", s, (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        BSTR b = NULL;
        VarBstrFromDate(d, EN_US, 0, &b);
        printf(" %.17g ", d);
        pbstr(b);
        SysFreeString(b);
    }
    printf("\n");
}

static void date_out(double d)
{
    BSTR b = NULL;
    HRESULT hr = VarBstrFromDate(d, EN_US, 0, &b);
    printf("VarBstrFromDate %.17g: 0x%08lx ", d, (unsigned long)hr);
    pbstr(b);
    SysFreeString(b);
    b = NULL;
    VarBstrFromDate(d, EN_US, VAR_DATEVALUEONLY, &b);
    printf(" date-only ");
    pbstr(b);
    SysFreeString(b);
    b = NULL;
    VarBstrFromDate(d, EN_US, VAR_TIMEVALUEONLY, &b);
    printf(" time-only ");
    pbstr(b);
    SysFreeString(b);
    SYSTEMTIME st;
    memset(&st, 0xcc, sizeof st);
    INT ok = VariantTimeToSystemTime(d, &st);
    printf(" st %d", ok);
    if (ok)
        printf(" %u-%u-%u dow %u %u:%u:%u.%u", st.wYear, st.wMonth, st.wDay, st.wDayOfWeek,
               st.wHour, st.wMinute, st.wSecond, st.wMilliseconds);
    UDATE ud;
    memset(&ud, 0xcc, sizeof ud);
    hr = VarUdateFromDate(d, 0, &ud);
    printf(" ud 0x%08lx", (unsigned long)hr);
    if (SUCCEEDED(hr))
        printf(" %u-%u-%u dow %u doy %u %u:%u:%u.%u", ud.st.wYear, ud.st.wMonth, ud.st.wDay,
               ud.st.wDayOfWeek, ud.wDayOfYear, ud.st.wHour, ud.st.wMinute, ud.st.wSecond,
               ud.st.wMilliseconds);
    printf("\n");
}

static void st_in(WORD y, WORD mo, WORD d, WORD h, WORD mi, WORD s, WORD ms)
{
    SYSTEMTIME st = {y, mo, 0, d, h, mi, s, ms};
    double v = -1;
    INT ok = SystemTimeToVariantTime(&st, &v);
    printf("SystemTimeToVariantTime %u-%u-%u %u:%u:%u.%u: %d %.17g\n", y, mo, d, h, mi, s, ms,
           ok, v);
    UDATE ud;
    memset(&ud, 0, sizeof ud);
    ud.st = st;
    v = -1;
    HRESULT hr = VarDateFromUdate(&ud, 0, &v);
    printf("  VarDateFromUdate: 0x%08lx %.17g\n", (unsigned long)hr, v);
}

int main(void)
{
    /* ---- VariantChangeType ---- */
    from_r8(1.23456789, VT_CY);
    from_r8(0.00005, VT_CY);
    from_r8(0.00015, VT_CY);
    from_r8(-2.50005, VT_CY);
    from_r8(922337203685477.0, VT_CY);
    from_r8(1e15, VT_CY);
    from_r8(0.1, VT_DECIMAL);
    from_r8(-123456.789, VT_DECIMAL);
    from_r8(1e20, VT_DECIMAL);
    from_r8(1e30, VT_DECIMAL);
    from_r8(12345.5, VT_DATE);
    from_r8(3e6, VT_DATE);
    from_r8(-657434.0, VT_DATE);
    from_r8(-657435.0, VT_DATE);
    from_r8(2.5, VT_BSTR);
    from_cy(15000, VT_I4);
    from_cy(25000, VT_I4);
    from_cy(-25000, VT_I2);
    from_cy(12345678, VT_R8);
    from_cy(12345678, VT_BSTR);
    from_cy(-10000, VT_BSTR);
    from_cy(5, VT_BSTR);
    from_cy(12345678, VT_DECIMAL);
    from_cy(-15000, VT_BOOL);
    from_cy(0, VT_BOOL);
    from_cy(1280000, VT_I1);
    from_cy(1275000, VT_I1);
    from_cy(1285000, VT_UI1);
    from_cy(12345678, VT_DATE);
    from_cy(0x7fffffffffffffffLL, VT_I8);
    from_cy(0x7fffffffffffffffLL, VT_R4);
    from_date(45000.75, VT_BSTR);
    from_date(45000.0, VT_BSTR);
    from_date(0.5, VT_BSTR);
    from_date(0.0, VT_BSTR);
    from_date(-1.25, VT_BSTR);
    from_date(45000.5, VT_I4);
    from_date(45001.5, VT_I4);
    from_date(45000.75, VT_CY);
    from_date(45000.75, VT_DECIMAL);
    from_date(45000.75, VT_R8);
    from_date(1.0, VT_BOOL);
    from_str("12.345", VT_CY);
    from_str("12.34565", VT_CY);
    from_str("-0.00005", VT_CY);
    from_str("1,234.5", VT_CY);
    from_str("$12", VT_CY);
    from_str("(5)", VT_CY);
    from_str("123456789012345678901234567.89", VT_DECIMAL);
    from_str("79228162514264337593543950335", VT_DECIMAL);
    from_str("79228162514264337593543950336", VT_DECIMAL);
    from_str("0.0000000000000000000000000001", VT_DECIMAL);
    from_str("1.50", VT_DECIMAL);
    from_str("1e3", VT_DECIMAL);
    from_str("-0", VT_DECIMAL);
    from_str("abc", VT_DECIMAL);
    from_str("2.5", VT_I4);
    from_str("3.5", VT_I4);
    from_str("-2.5", VT_I2);
    from_str("1e2", VT_I4);
    from_str("&H1F", VT_I4);
    from_str("&O17", VT_I4);
    from_str("  42  ", VT_UI1);
    from_str("256", VT_UI1);
    from_str("1/15/2023", VT_DATE);
    from_str("2023-01-15 10:30", VT_DATE);
    from_str("1/15/2023 10:30:15 PM", VT_DATE);
    from_str("True", VT_CY);
    {
        VARIANT v;
        V_DECIMAL(&v) = dec_of("-12.5"); /* over the vt: set it after */
        V_VT(&v) = VT_DECIMAL;
        change("dec -12.5", &v, 0, VT_I4);
        change("dec -12.5", &v, 0, VT_R8);
        change("dec -12.5", &v, 0, VT_CY);
        change("dec -12.5", &v, 0, VT_BSTR);
        change("dec -12.5", &v, 0, VT_UI4);
        change("dec -12.5", &v, 0, VT_BOOL);
        change("dec -12.5", &v, 0, VT_DATE);
        change("dec -12.5", &v, 0, VT_DECIMAL);
        change("dec -12.5", &v, 0, VT_R4);
        V_DECIMAL(&v) = dec_of("123456789012345678901234.5678");
        V_VT(&v) = VT_DECIMAL;
        change("dec big", &v, 0, VT_CY);
        change("dec big", &v, 0, VT_R8);
        change("dec big", &v, 0, VT_I8);
        change("dec big", &v, 0, VT_BSTR);
        V_VT(&v) = VT_I8;
        V_I8(&v) = -9223372036854775807LL - 1;
        change("i8 min", &v, 0, VT_DECIMAL);
        change("i8 min", &v, 0, VT_CY);
        V_VT(&v) = VT_UI8;
        V_UI8(&v) = 18446744073709551615ULL;
        change("ui8 max", &v, 0, VT_DECIMAL);
        V_VT(&v) = VT_I4;
        V_I4(&v) = 40000;
        change("i4 40000", &v, 0, VT_DATE);
        change("i4 40000", &v, 0, VT_CY);
        V_I4(&v) = 3000000;
        change("i4 3000000", &v, 0, VT_DATE);
        V_VT(&v) = VT_BOOL;
        V_BOOL(&v) = VARIANT_TRUE;
        change("bool true", &v, 0, VT_CY);
        change("bool true", &v, 0, VT_DATE);
        V_VT(&v) = VT_NULL;
        change("null", &v, 0, VT_CY);
        V_VT(&v) = VT_EMPTY;
        change("empty", &v, 0, VT_CY);
        change("empty", &v, 0, VT_DECIMAL);
        change("empty", &v, 0, VT_DATE);
    }

    /* ---- direct conversions ---- */
    {
        CY c;
        double d;
        LONG l;
        DECIMAL dec;
        HRESULT hr = VarCyFromR8(2.71828, &c);
        printf("VarCyFromR8 2.71828: 0x%08lx %lld\n", (unsigned long)hr, (long long)c.int64);
        hr = VarR8FromCy(c, &d);
        printf("VarR8FromCy: 0x%08lx %.17g\n", (unsigned long)hr, d);
        hr = VarCyFromI4(-7, &c);
        printf("VarCyFromI4 -7: 0x%08lx %lld\n", (unsigned long)hr, (long long)c.int64);
        hr = VarI4FromCy(c, &l);
        printf("VarI4FromCy: 0x%08lx %ld\n", (unsigned long)hr, (long)l);
        hr = VarDecFromI4(-42, &dec);
        show_dec("VarDecFromI4 -42", hr, &dec);
        hr = VarDecFromR8(2.5e-5, &dec);
        show_dec("VarDecFromR8 2.5e-5", hr, &dec);
        hr = VarDecFromCy(c, &dec);
        show_dec("VarDecFromCy", hr, &dec);
        dec = dec_of("-2.5");
        hr = VarI4FromDec(&dec, &l);
        printf("VarI4FromDec -2.5: 0x%08lx %ld\n", (unsigned long)hr, (long)l);
        hr = VarR8FromDec(&dec, &d);
        printf("VarR8FromDec -2.5: 0x%08lx %.17g\n", (unsigned long)hr, d);
        hr = VarCyFromDec(&dec, &c);
        printf("VarCyFromDec -2.5: 0x%08lx %lld\n", (unsigned long)hr, (long long)c.int64);
        printf("VarDecCmpR8 -2.5 -2.5: %ld\n", (long)VarDecCmpR8(&dec, -2.5));
        printf("VarCyCmpR8 -7 -6.5: %ld\n", (long)VarCyCmpR8(c, -6.5));
        hr = VarCyFromStr((OLECHAR *)L"1.23456", EN_US, 0, &c);
        printf("VarCyFromStr 1.23456: 0x%08lx %lld\n", (unsigned long)hr, (long long)c.int64);
        hr = VarDecFromStr((OLECHAR *)L"  -3.14159 ", EN_US, 0, &dec);
        show_dec("VarDecFromStr -3.14159", hr, &dec);
        hr = VarDateFromR8(100.25, &d);
        printf("VarDateFromR8: 0x%08lx %.17g\n", (unsigned long)hr, d);
    }

    /* ---- arithmetic ---- */
    dec_ops("1.5", "2.25");
    dec_ops("1", "3");
    dec_ops("2", "3");
    dec_ops("-10.5", "4");
    dec_ops("79228162514264337593543950335", "1");
    dec_ops("0.0000000000000000000000000001", "0.1");
    dec_ops("12345678901234567890", "98765432109876543210");
    dec_ops("5", "0");
    dec_unary("2.55");
    dec_unary("-2.55");
    dec_unary("-7");
    dec_unary("0.07");
    cy_ops(12345, 20000);
    cy_ops(-15000, 25000);
    cy_ops(-155, 30000);
    {
        CY big = {.int64 = 9223372036854775807LL}, one = {.int64 = 10000}, r;
        printf("VarCyAdd max 1: 0x%08lx\n", (unsigned long)VarCyAdd(big, one, &r));
        printf("VarCyMulI4 max 2: 0x%08lx\n", (unsigned long)VarCyMulI4(big, 2, &r));
        printf("VarCyNeg max: 0x%08lx\n", (unsigned long)VarCyNeg(big, &r));
    }
    cy_ops(125, -10000);

    /* ---- dates ---- */
    date_str("1/15/2023");
    date_str("2023-01-15");
    date_str("2023/1/15");
    date_str("1/15/23");
    date_str("1/15/29");
    date_str("15 January 2023");
    date_str("Jan 15, 2023");
    date_str("January 15 2023 3:04:05 pm");
    date_str("10:30");
    date_str("10:30:15 PM");
    date_str("12:00 AM");
    date_str("12:00 PM");
    date_str("1/15/2023 23:59:59");
    date_str("2/29/2024");
    date_str("2/30/2023");
    date_str("13/1/2023");
    date_str("12/31/9999");
    date_str("1/1/100");
    date_str("hello");
    date_str("");
    date_out(45000.75);
    date_out(0.0);
    date_out(1.0);
    date_out(-1.25);
    date_out(2958465.9999884259);
    date_out(-657434.0);
    date_out(12.0000057870);
    date_out(60.5);
    date_out(2958466.0);
    date_out(-657435.0);
    st_in(2023, 1, 15, 10, 30, 15, 500);
    st_in(1899, 12, 30, 0, 0, 0, 0);
    st_in(1899, 12, 29, 6, 0, 0, 0);
    st_in(2024, 2, 29, 23, 59, 59, 999);
    st_in(23, 1, 15, 0, 0, 0, 0);
    st_in(2023, 13, 1, 0, 0, 0, 0);
    st_in(2023, 2, 30, 0, 0, 0, 0);
    st_in(2023, 1, 32, 0, 0, 0, 0);
    st_in(2023, 0, 1, 0, 0, 0, 0);
    st_in(2023, 1, 0, 0, 0, 0, 0);
    st_in(2023, 1, 1, 24, 0, 0, 0);
    st_in(2023, 1, 1, 10, 60, 0, 0);
    st_in(100, 1, 1, 0, 0, 0, 0);
    st_in(9999, 12, 31, 23, 59, 59, 0);
    st_in(10000, 1, 1, 0, 0, 0, 0);
    {
        double v = -1;
        /* 2023-01-15 (year 43, month 1, day 15) 10:30:16 */
        WORD dd = (WORD)((43 << 9) | (1 << 5) | 15), dt = (WORD)((10 << 11) | (30 << 5) | 8);
        INT ok = DosDateTimeToVariantTime(dd, dt, &v);
        printf("DosDateTimeToVariantTime: %d %.17g\n", ok, v);
        WORD od = 0, ot = 0;
        ok = VariantTimeToDosDateTime(v, &od, &ot);
        printf("VariantTimeToDosDateTime: %d %04x %04x\n", ok, od, ot);
        ok = DosDateTimeToVariantTime((WORD)((43 << 9) | (13 << 5) | 15), dt, &v);
        printf("DosDateTimeToVariantTime month 13: %d\n", ok);
        ok = DosDateTimeToVariantTime(dd, (WORD)((24 << 11)), &v);
        printf("DosDateTimeToVariantTime hour 24: %d\n", ok);
        ok = VariantTimeToDosDateTime(100.0, &od, &ot);
        printf("VariantTimeToDosDateTime 1900: %d\n", ok);
    }
    return 0;
}
