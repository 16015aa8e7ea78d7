/* oleaut32's unary VARIANT operators: VarNeg, VarAbs, VarNot over EMPTY, NULL, BOOL, UI1, I2,
 * I4, I8, R8, CY, DATE and a numeric BSTR (result type and value), the smallest I2 negated
 * (I4) and a BSTR that is no number (DISP_E_TYPEMISMATCH); and VarPow (R8, NULL). Expected output: Wine 8.0's, but VarAbs of the BSTR
 * "12" is R8 12 (Wine 8.0 returns an R8 of garbage). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>
#include "oleaut_show.h"


static int make(int i, VARIANT *v, int alt)
{
    VariantInit(v);
    switch (i) {
    case 0: V_VT(v) = VT_EMPTY; return 1;
    case 1: V_VT(v) = VT_NULL; return 1;
    case 2: V_VT(v) = VT_BOOL; V_BOOL(v) = alt ? VARIANT_FALSE : VARIANT_TRUE; return 1;
    case 3: V_VT(v) = VT_UI1; V_UI1(v) = alt ? 3 : 200; return 1;
    case 4: V_VT(v) = VT_I2; V_I2(v) = alt ? 5 : -7; return 1;
    case 5: V_VT(v) = VT_I4; V_I4(v) = alt ? 6 : 100000; return 1;
    case 6: V_VT(v) = VT_I8; V_I8(v) = alt ? 9 : -5000000000LL; return 1;
    case 7: V_VT(v) = VT_R8; V_R8(v) = alt ? 2.5 : -7.5; return 1;
    case 8: V_VT(v) = VT_CY; V_CY(v).int64 = alt ? 35000 : -123456; return 1;
    case 9: V_VT(v) = VT_DATE; V_DATE(v) = alt ? 3.25 : 40000.5; return 1;
    case 10: V_VT(v) = VT_BSTR; V_BSTR(v) = SysAllocString(alt ? L"4" : L"12"); return 1;
    }
    return 0;
}
static const char *const names[] = {"EMPTY", "NULL", "BOOL", "UI1", "I2", "I4", "I8", "R8",
                                    "CY", "DATE", "BSTR"};

typedef HRESULT(WINAPI *unop)(LPVARIANT, LPVARIANT);

int main(void)
{
    static const struct { const char *n; unop f; } un[] = {{"Neg", VarNeg}, {"Abs", VarAbs},
                                                           {"Not", VarNot}};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 11; i++) {
            VARIANT a, r;
            make(i, &a, 0);
            VariantInit(&r);
            HRESULT hr = un[k].f(&a, &r);
            printf("%s %s: %08lx ", un[k].n, names[i], hr);
            if (hr >= 0)
                show(&r);
            printf("\n");
            VariantClear(&a);
            VariantClear(&r);
        }
    VARIANT a, r;
    VariantInit(&r);
    V_VT(&a) = VT_I2, V_I2(&a) = -32768;
    printf("Neg of I2 min: %08lx ", VarNeg(&a, &r));
    show(&r);
    printf("\n");
    V_VT(&a) = VT_BSTR, V_BSTR(&a) = SysAllocString(L"x1");
    printf("Neg of a BSTR not a number: %08lx\n", VarNeg(&a, &r));
    VariantClear(&a);
    /* VarPow: R8 of both read as R8 */
    static const int pw[][2] = {{0, 4}, {4, 4}, {5, 7}, {7, 4}, {10, 4}, {1, 4}, {4, 1}};
    for (int i = 0; i < 7; i++) {
        VARIANT x, y;
        make(pw[i][0], &x, 1);
        make(pw[i][1], &y, 1);
        HRESULT hr = VarPow(&x, &y, &r);
        printf("Pow %s %s: %08lx ", names[pw[i][0]], names[pw[i][1]], hr);
        if (hr >= 0)
            show(&r);
        printf("\n");
        VariantClear(&x);
        VariantClear(&y);
        VariantClear(&r);
    }
    return 0;
}
