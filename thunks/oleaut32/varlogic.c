/* SPDX-License-Identifier: MIT */
/* oleaut32's bitwise and integer VARIANT operators: VarAnd, VarOr, VarXor, VarEqv, VarImp,
 * VarIdiv and VarMod, on EMPTY, NULL, BOOL, UI1, I2, I4, I8, R4, R8, CY, DATE, BSTR and DECIMAL
 * (also by reference); other types are DISP_E_BADVARTYPE.
 *
 * Both operands are converted to the result type (reals, CY, DATE and DECIMAL rounded half to
 * even, a BSTR parsed), then combined. The result type: BOOL when both are BOOL or BSTR (a
 * logical operator only), UI1 when both are UI1, I8 when either is I8, I4 when either is a
 * real, CY, DATE, DECIMAL or I4 (for VarIdiv/VarMod also a BSTR), I2 otherwise (EMPTY, BOOL, UI1,
 * I2 and BSTR mixed). VarIdiv truncates toward zero, VarMod's result has the dividend's sign; a
 * zero divisor (EMPTY included) is DISP_E_DIVBYZERO.
 *
 * NULL follows the truth tables Microsoft documents for VBA's operators, extended bitwise: NULL
 * And x is x's zero when x is 0, else NULL; NULL Or x is x when x is not 0, else NULL; Xor and
 * Eqv with NULL are NULL; NULL Imp x is x when x is not 0, x Imp NULL is Not x when that is not
 * 0, else NULL; Idiv and Mod with NULL are NULL. (Wine 8.0 gives TRUE And NULL as FALSE and
 * x And NULL as 0 for any x, X \ EMPTY as DISP_E_BADVARTYPE and EMPTY Mod x as I4.) */
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

HRESULT WINAPI VariantCopyInd(VARIANT *dst, const VARIANT *src);

typedef enum { L_AND, L_OR, L_XOR, L_EQV, L_IMP, L_IDIV, L_MOD } vl_op;

/* 0 EMPTY, 1 BOOL, 2 BSTR, 3 UI1, 4 I2, 5 I4-like, 6 I8; -1 refused; 7 NULL */
static int vl_kind(VARTYPE vt)
{
    switch (vt) {
    case VT_EMPTY: return 0;
    case VT_BOOL: return 1;
    case VT_BSTR: return 2;
    case VT_UI1: return 3;
    case VT_I2: return 4;
    case VT_I4:
    case VT_R4:
    case VT_R8:
    case VT_CY:
    case VT_DATE:
    case VT_DECIMAL: return 5;
    case VT_I8: return 6;
    case VT_NULL: return 7;
    default: return -1;
    }
}

static VARTYPE vl_result_type(vl_op op, int ka, int kb)
{
    bool arith = op == L_IDIV || op == L_MOD;
    if (!arith && (ka == 1 || ka == 2) && (kb == 1 || kb == 2))
        return VT_BOOL;
    if (ka == 3 && kb == 3)
        return VT_UI1;
    if (ka == 6 || kb == 6)
        return VT_I8;
    if (ka == 5 || kb == 5 || (arith && (ka == 2 || kb == 2)))
        return VT_I4;
    return VT_I2;
}

/* v converted to an integer of type t (BOOL, UI1, I2, I4 or I8). */
static HRESULT vl_int(const VARIANT *v, VARTYPE t, int64_t *out)
{
    VARIANT x;
    memset(&x, 0, sizeof x);
    if (v->vt == VT_EMPTY) {
        *out = 0;
        return OA_S_OK;
    }
    HRESULT hr = oa_convert_scalar(v, t, 0, &x);
    if (hr < 0)
        return v->vt == VT_BSTR && hr != OA_DISP_E_OVERFLOW ? OA_DISP_E_TYPEMISMATCH : hr;
    switch (t) {
    case VT_BOOL: *out = x.u.boolVal; break;
    case VT_UI1: *out = x.u.bVal; break;
    case VT_I2: *out = x.u.iVal; break;
    case VT_I4: *out = x.u.lVal; break;
    default: *out = x.u.llVal; break;
    }
    return OA_S_OK;
}

static void vl_store(int64_t v, VARTYPE t, VARIANT *out)
{
    out->vt = t;
    switch (t) {
    case VT_BOOL: out->u.boolVal = (VARIANT_BOOL)v; break;
    case VT_UI1: out->u.bVal = (uint8_t)v; break;
    case VT_I2: out->u.iVal = (int16_t)v; break;
    case VT_I4: out->u.lVal = (int32_t)v; break;
    default: out->u.llVal = v; break;
    }
}

/* One operand NULL: the documented cases where the other decides, else NULL. */
static HRESULT vl_with_null(vl_op op, const VARIANT *x, bool x_first, VARIANT *out)
{
    int k = vl_kind(x->vt);
    out->vt = VT_NULL;
    if (k == 7 || op == L_XOR || op == L_EQV || op == L_IDIV || op == L_MOD)
        return OA_S_OK;
    VARTYPE t = vl_result_type(op, k, k);
    int64_t v;
    HRESULT hr = vl_int(x, t, &v);
    if (hr < 0)
        return hr;
    if (op == L_IMP && x_first)
        v = ~v; /* x Imp NULL = (Not x) Or NULL */
    int64_t mask = t == VT_UI1 ? 0xff : -1;
    v &= mask;
    switch (op) {
    case L_AND:
        if (v == 0)
            vl_store(0, t, out);
        break;
    default: /* Or, Imp */
        if (v != 0)
            vl_store(v, t, out);
        break;
    }
    return OA_S_OK;
}

static HRESULT vl_compute(vl_op op, const VARIANT *a, const VARIANT *b, VARIANT *out)
{
    int ka = vl_kind(a->vt), kb = vl_kind(b->vt);
    if (ka < 0 || kb < 0)
        return OA_DISP_E_BADVARTYPE;
    if (ka == 7)
        return vl_with_null(op, b, false, out);
    if (kb == 7)
        return vl_with_null(op, a, true, out);
    VARTYPE t = vl_result_type(op, ka, kb);
    int64_t x, y, r;
    HRESULT hr;
    if ((hr = vl_int(a, t, &x)) < 0 || (hr = vl_int(b, t, &y)) < 0)
        return hr;
    switch (op) {
    case L_AND: r = x & y; break;
    case L_OR: r = x | y; break;
    case L_XOR: r = x ^ y; break;
    case L_EQV: r = ~(x ^ y); break;
    case L_IMP: r = ~x | y; break;
    default:
        if (y == 0)
            return OA_DISP_E_DIVBYZERO;
        if (x == INT64_MIN && y == -1) {
            if (op == L_MOD) {
                r = 0;
                break;
            }
            return OA_DISP_E_OVERFLOW;
        }
        r = op == L_IDIV ? x / y : x % y;
        if (op == L_IDIV && ((t == VT_I2 && r > INT16_MAX) || (t == VT_I4 && r > INT32_MAX)))
            return OA_DISP_E_OVERFLOW;
        break;
    }
    vl_store(r, t, out);
    return OA_S_OK;
}

static HRESULT vl_binary(vl_op op, const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    if (!l || !r || !out)
        return OA_E_INVALIDARG;
    VARIANT tl, tr, res;
    memset(&tl, 0, sizeof tl);
    memset(&tr, 0, sizeof tr);
    memset(&res, 0, sizeof res);
    const VARIANT *a = l, *b = r;
    HRESULT hr = OA_S_OK;
    if (l->vt & VT_BYREF) {
        hr = VariantCopyInd(&tl, l);
        a = &tl;
    }
    if (hr >= 0 && (r->vt & VT_BYREF)) {
        hr = VariantCopyInd(&tr, r);
        b = &tr;
    }
    if (hr >= 0)
        hr = vl_compute(op, a, b, &res);
    VariantClear(&tl);
    VariantClear(&tr);
    if (hr >= 0) {
        VariantClear(out);
        *out = res;
    }
    return hr;
}

#define VL_EXPORT(name, op)                                                                   \
    static HRESULT WINAPI name(const VARIANT *l, const VARIANT *r, VARIANT *out)             \
    {                                                                                         \
        return vl_binary(op, l, r, out);                                                      \
    }                                                                                         \
    THK_EXPORT(oleaut32, name, 3)

VL_EXPORT(VarAnd, L_AND);
VL_EXPORT(VarOr, L_OR);
VL_EXPORT(VarXor, L_XOR);
VL_EXPORT(VarEqv, L_EQV);
VL_EXPORT(VarImp, L_IMP);
VL_EXPORT(VarIdiv, L_IDIV);
VL_EXPORT(VarMod, L_MOD);
