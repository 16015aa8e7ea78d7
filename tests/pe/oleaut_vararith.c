/* oleaut32's variant arithmetic: VarAdd, VarSub, VarMul, VarDiv and VarCmp over a matrix of
 * operand types (EMPTY, NULL, I2, I4, R4, R8, CY, DATE, BSTR, BOOL, UI1, I8, DECIMAL, I1, UI4):
 * the result's type (the promotion rules: BOOL+BOOL is I2, UI1 overflows into I2, I4 into R8,
 * a DATE stays a DATE, a BSTR pair concatenates in VarAdd, NULL wins), its value, and the
 * errors (division by zero, type mismatch, types arithmetic refuses). Expected output: Wine
 * 8.0's. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

static VARIANT make(VARTYPE vt, int k)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = vt;
    switch (vt) {
    case VT_I2: V_I2(&v) = k == 2 ? 0 : k ? 30000 : 7; break;
    case VT_I4: V_I4(&v) = k ? 2000000000 : 7; break;
    case VT_R4: V_R4(&v) = k ? 1.5f : 2.25f; break;
    case VT_R8: V_R8(&v) = k == 2 ? 0 : k ? 1e300 : 2.5; break;
    case VT_CY: V_CY(&v).int64 = k ? 12345678 : 25000; break;
    case VT_DATE: V_DATE(&v) = k ? 45000.5 : 2.0; break;
    case VT_BSTR: V_BSTR(&v) = SysAllocString(k ? L"abc" : L"2.5"); break;
    case VT_BOOL: V_BOOL(&v) = k ? VARIANT_FALSE : VARIANT_TRUE; break;
    case VT_UI1: V_UI1(&v) = k ? 200 : 7; break;
    case VT_I8: V_I8(&v) = k ? 0x7fffffffffffffffLL : 7; break;
    case VT_DECIMAL: {
        DECIMAL d = {0};
        d.scale = 1;
        d.Lo64 = k ? 15 : 25; /* 1.5 or 2.5 */
        V_DECIMAL(&v) = d;
        V_VT(&v) = VT_DECIMAL;
        break;
    }
    case VT_I1: V_I1(&v) = k ? 100 : 7; break;
    case VT_UI4: V_UI4(&v) = k ? 4000000000u : 7; break;
    default: break;
    }
    return v;
}

static void show(const VARIANT *v)
{
    VARIANT s;
    VariantInit(&s);
    if (V_VT(v) == VT_NULL || V_VT(v) == VT_EMPTY) {
        printf("vt %d", V_VT(v));
        return;
    }
    HRESULT hr = VariantChangeTypeEx(&s, (VARIANT *)v, 0x409, 0, VT_BSTR);
    if (hr == S_OK)
        printf("vt %d %ls", V_VT(v), V_BSTR(&s));
    else
        printf("vt %d (no text %08lx)", V_VT(v), hr);
    VariantClear(&s);
}

static const VARTYPE types[] = {VT_EMPTY, VT_NULL, VT_I2, VT_I4, VT_R4, VT_R8, VT_CY,
                                VT_DATE, VT_BSTR, VT_BOOL, VT_UI1, VT_I8, VT_DECIMAL, VT_I1,
                                VT_UI4};
#define NT (sizeof types / sizeof types[0])

typedef HRESULT(WINAPI *op_fn)(LPVARIANT, LPVARIANT, LPVARIANT);

static void op(const char *name, op_fn f, VARTYPE a, int ka, VARTYPE b, int kb)
{
    VARIANT x = make(a, ka), y = make(b, kb), r;
    VariantInit(&r);
    HRESULT hr = f(&x, &y, &r);
    printf("%s %d%s %d%s: ", name, a, ka == 1 ? "'" : ka ? "0" : "", b,
           kb == 1 ? "'" : kb ? "0" : "");
    if (hr == S_OK)
        show(&r);
    else
        printf("hr %08lx", hr);
    printf("\n");
    VariantClear(&x);
    VariantClear(&y);
    VariantClear(&r);
}

int main(void)
{
    /* not shown: BOOL with DECIMAL, where Wine 8.0's VarAdd/VarSub/VarMul/VarDiv read TRUE
       as +1 (its VariantChangeType, like Windows, as -1) */
    for (size_t i = 0; i < NT; i++)
        for (size_t j = 0; j < NT; j++)
            if (!(types[i] == VT_BOOL && types[j] == VT_DECIMAL) &&
                !(types[i] == VT_DECIMAL && types[j] == VT_BOOL))
                op("add", VarAdd, types[i], 0, types[j], 0);
    /* overflows and other values */
    op("add", VarAdd, VT_I2, 1, VT_I2, 1);
    op("add", VarAdd, VT_I4, 1, VT_I4, 1);
    op("add", VarAdd, VT_UI1, 1, VT_UI1, 1);
    op("add", VarAdd, VT_I8, 1, VT_I8, 1);
    op("add", VarAdd, VT_BSTR, 1, VT_BSTR, 0);
    op("add", VarAdd, VT_BSTR, 1, VT_I4, 0);
    op("add", VarAdd, VT_R8, 1, VT_R8, 1);
    op("add", VarAdd, VT_I1, 1, VT_I1, 1);
    op("add", VarAdd, VT_UI4, 1, VT_UI4, 1);
    op("add", VarAdd, VT_BOOL, 1, VT_BOOL, 0);
    static const VARTYPE some[] = {VT_EMPTY, VT_NULL, VT_I2, VT_I4, VT_R4, VT_R8, VT_CY, VT_DATE,
                                   VT_BSTR, VT_BOOL, VT_UI1, VT_DECIMAL};
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
        for (size_t j = 0; j < sizeof some / sizeof some[0]; j++) {
            if ((some[i] == VT_BOOL && some[j] == VT_DECIMAL) ||
                (some[i] == VT_DECIMAL && some[j] == VT_BOOL))
                continue;
            /* not shown: EMPTY - UI1 (Wine wraps around in UI1) and a division by EMPTY
               (Wine: DISP_E_BADVARTYPE), which this test does not assert */
            if (!(some[i] == VT_EMPTY && some[j] == VT_UI1))
                op("sub", VarSub, some[i], 0, some[j], 0);
            op("mul", VarMul, some[i], 0, some[j], 0);
            if (some[j] != VT_EMPTY)
                op("div", VarDiv, some[i], 0, some[j], 0);
        }
    op("sub", VarSub, VT_DATE, 1, VT_DATE, 0);
    op("mul", VarMul, VT_I4, 1, VT_I4, 1);
    op("mul", VarMul, VT_I2, 1, VT_I2, 1);
    op("div", VarDiv, VT_I4, 0, VT_I2, 2);
    op("div", VarDiv, VT_R8, 0, VT_R8, 2);
    op("div", VarDiv, VT_CY, 1, VT_I4, 0);
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
        for (size_t j = 0; j < sizeof some / sizeof some[0]; j++) {
            VARIANT x = make(some[i], 0), y = make(some[j], 1);
            HRESULT hr = VarCmp(&x, &y, 0x409, 0);
            printf("cmp %d %d': %08lx\n", some[i], some[j], hr);
            VariantClear(&x);
            VariantClear(&y);
        }
    return 0;
}
