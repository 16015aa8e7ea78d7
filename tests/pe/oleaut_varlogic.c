/* oleaut32's bitwise and integer VARIANT operators: VarAnd, VarOr, VarXor, VarEqv, VarImp,
 * VarIdiv and VarMod over every pair of EMPTY, NULL, BOOL, UI1, I2, I4, I8, R8, CY, DATE and a
 * numeric BSTR (result type and value, or the HRESULT), NULL with FALSE/TRUE/0/-1 (the cases
 * where NULL does not win), reals rounded to even before the operation, division by zero.
 * Expected output: Wine 8.0's where it follows one rule; where Wine 8.0 is inconsistent between
 * operators or with Microsoft's documented VBA truth tables it follows those (see
 * thunks/oleaut32/varlogic.c): TRUE And NULL and x And NULL (x not 0) are NULL as NULL And x
 * is; a CY operand is rounded to the nearest integer (Wine floors it: CY I8, Mod CY ...); a
 * BSTR is read as a number in every operator (Wine: as a BOOL in Or, as I4 in Xor/Eqv); a zero
 * EMPTY divisor is DISP_E_DIVBYZERO for Idiv as for Mod, and EMPTY Mod x types as EMPTY \ x. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>
#include "oleaut_show.h"


static void make(int i, VARIANT *v, int alt)
{
    VariantInit(v);
    switch (i) {
    case 0: V_VT(v) = VT_EMPTY; break;
    case 1: V_VT(v) = VT_NULL; break;
    case 2: V_VT(v) = VT_BOOL; V_BOOL(v) = alt ? VARIANT_FALSE : VARIANT_TRUE; break;
    case 3: V_VT(v) = VT_UI1; V_UI1(v) = alt ? 3 : 200; break;
    case 4: V_VT(v) = VT_I2; V_I2(v) = alt ? 5 : -7; break;
    case 5: V_VT(v) = VT_I4; V_I4(v) = alt ? 6 : 100000; break;
    case 6: V_VT(v) = VT_I8; V_I8(v) = alt ? 9 : -5000000000LL; break;
    case 7: V_VT(v) = VT_R8; V_R8(v) = alt ? 2.5 : -7.5; break;
    case 8: V_VT(v) = VT_CY; V_CY(v).int64 = alt ? 35000 : -123456; break;
    case 9: V_VT(v) = VT_DATE; V_DATE(v) = alt ? 3.5 : 40000.5; break;
    case 10: V_VT(v) = VT_BSTR; V_BSTR(v) = SysAllocString(alt ? L"4" : L"12"); break;
    }
}
static const char *const names[] = {"EMPTY", "NULL", "BOOL", "UI1", "I2", "I4", "I8", "R8",
                                    "CY", "DATE", "BSTR"};
#define NTYPES 11

typedef HRESULT(WINAPI *binop)(LPVARIANT, LPVARIANT, LPVARIANT);

static void run(const char *n, binop f, VARIANT *a, VARIANT *b, const char *an, const char *bn)
{
    VARIANT r;
    VariantInit(&r);
    HRESULT hr = f(a, b, &r);
    printf("%s %s %s: ", n, an, bn);
    if (FAILED(hr))
        printf("hr 0x%08lx", (unsigned long)hr);
    else
        show(&r);
    printf("\n");
    VariantClear(&r);
}

int main(void)
{
    static const struct { const char *n; binop f; } ops[] = {
        {"And", VarAnd}, {"Or", VarOr}, {"Xor", VarXor}, {"Eqv", VarEqv},
        {"Imp", VarImp}, {"Idiv", VarIdiv}, {"Mod", VarMod}};
    for (int k = 0; k < 7; k++)
        for (int i = 0; i < NTYPES; i++)
            for (int j = 0; j < NTYPES; j++) {
                VARIANT a, b;
                make(i, &a, 0);
                make(j, &b, 1);
                run(ops[k].n, ops[k].f, &a, &b, names[i], names[j]);
                VariantClear(&a);
                VariantClear(&b);
            }
    /* NULL against FALSE, TRUE, 0 and -1 */
    for (int k = 0; k < 5; k++) {
        VARIANT n, v;
        VariantInit(&n);
        V_VT(&n) = VT_NULL;
        static const int vals[] = {0, -1};
        for (int t = 0; t < 2; t++)
            for (int x = 0; x < 2; x++) {
                VariantInit(&v);
                if (t) {
                    V_VT(&v) = VT_I4;
                    V_I4(&v) = vals[x];
                } else {
                    V_VT(&v) = VT_BOOL;
                    V_BOOL(&v) = vals[x] ? VARIANT_TRUE : VARIANT_FALSE;
                }
                char name[16];
                sprintf(name, "%s%d", t ? "I4:" : "BOOL:", vals[x]);
                run(ops[k].n, ops[k].f, &n, &v, "NULL", name);
                run(ops[k].n, ops[k].f, &v, &n, name, "NULL");
            }
    }
    /* rounding, signs, zero */
    static const double reals[][2] = {{7.5, 2}, {-7.5, 2}, {6.5, 2.5}, {-9, 4}, {9, -4}, {5, 0},
                                      {0.4, 1}};
    for (int i = 0; i < 7; i++) {
        VARIANT a, b;
        VariantInit(&a);
        VariantInit(&b);
        V_VT(&a) = VT_R8;
        V_R8(&a) = reals[i][0];
        V_VT(&b) = VT_R8;
        V_R8(&b) = reals[i][1];
        char an[16], bn[16];
        sprintf(an, "%g", reals[i][0]);
        sprintf(bn, "%g", reals[i][1]);
        run("Idiv", VarIdiv, &a, &b, an, bn);
        run("Mod", VarMod, &a, &b, an, bn);
        run("And", VarAnd, &a, &b, an, bn);
    }
    return 0;
}
