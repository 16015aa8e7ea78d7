/* oleaut32's named formats: VarFormatNumber, VarFormatPercent, VarFormatCurrency (digits,
 * leading zero, parentheses, grouping, their defaults, rounding half away from zero, I4, R8,
 * CY, DECIMAL-free BSTR input, a value that is no number) and VarFormatDateTime's five named
 * formats. US English locale. Expected output: Wine 8.0's but where Wine 8.0 fails: a rounding
 * carry into a new group (999.995 -> "1,000.00": Wine drops the separator) and 1e-07 (a number,
 * "0.00"; Wine: DISP_E_TYPEMISMATCH). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

typedef HRESULT(WINAPI *fmt_fn)(LPVARIANT, int, int, int, int, ULONG, BSTR *);

static void one(const char *name, fmt_fn f, VARIANT *v, int dig, int lead, int par, int grp)
{
    BSTR out = NULL;
    HRESULT hr = f(v, dig, lead, par, grp, 0, &out);
    printf("%s(%d,%d,%d,%d): ", name, dig, lead, par, grp);
    if (FAILED(hr))
        printf("hr 0x%08lx\n", (unsigned long)hr);
    else
        printf("'%ls'\n", out);
    SysFreeString(out);
}

static void r8(double d, VARIANT *v) { VariantInit(v); V_VT(v) = VT_R8; V_R8(v) = d; }

int main(void)
{
    static const struct { const char *n; fmt_fn f; } fns[] = {
        {"Number", VarFormatNumber}, {"Percent", VarFormatPercent}, {"Currency", VarFormatCurrency}};
    static const double vals[] = {1234567.891, -1234.5, 0.5, -0.25, 2.675, 0, 999.995, 1e-7, 12};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 9; i++) {
            VARIANT v;
            r8(vals[i], &v);
            printf("%g ", vals[i]);
            one(fns[k].n, fns[k].f, &v, -1, -2, -2, -2);
        }
    VARIANT v;
    r8(-1234.5678, &v);
    int tri[3] = {-2, -1, 0};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            one("Number", VarFormatNumber, &v, 3, -2, tri[a], tri[b]);
            one("Currency", VarFormatCurrency, &v, 0, -2, tri[a], tri[b]);
        }
    r8(0.75, &v);
    one("Number", VarFormatNumber, &v, 1, 0, -2, -2);
    one("Number", VarFormatNumber, &v, 1, -1, -2, -2);
    one("Number", VarFormatNumber, &v, 0, 0, -2, -2);
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = -1000000;
    one("Number", VarFormatNumber, &v, 2, -2, -2, -2);
    V_VT(&v) = VT_CY;
    V_CY(&v).int64 = 123456789;
    one("Currency", VarFormatCurrency, &v, 4, -2, -2, -2);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(L"42.125");
    one("Number", VarFormatNumber, &v, 2, -2, -2, -2);
    SysFreeString(V_BSTR(&v));
    V_BSTR(&v) = SysAllocString(L"abc");
    one("Number", VarFormatNumber, &v, 2, -2, -2, -2);
    SysFreeString(V_BSTR(&v));
    V_VT(&v) = VT_NULL;
    one("Number", VarFormatNumber, &v, 2, -2, -2, -2);

    VariantInit(&v);
    V_VT(&v) = VT_DATE;
    V_DATE(&v) = 46361.6278125; /* 2026-12-05 15:04:03 */
    for (int n = 0; n <= 4; n++) {
        BSTR out = NULL;
        HRESULT hr = VarFormatDateTime(&v, n, 0, &out);
        printf("DateTime %d: 0x%lx '%ls'\n", n, (unsigned long)hr, out ? out : L"");
        SysFreeString(out);
    }
    V_DATE(&v) = 46361;
    BSTR out = NULL;
    VarFormatDateTime(&v, 0, 0, &out);
    printf("DateTime date only: '%ls'\n", out);
    SysFreeString(out);
    return 0;
}
