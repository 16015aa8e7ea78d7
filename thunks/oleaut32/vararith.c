/* SPDX-License-Identifier: MIT */
/* oleaut32's variant arithmetic: VarAdd, VarSub, VarMul, VarDiv and VarCmp on VT_EMPTY, NULL,
 * BOOL, UI1, I2, I4, I8, R4, R8, CY, DATE, BSTR and DECIMAL (also by reference). The result
 * type follows Windows' promotions: the wider operand's type (UI1 < I2 < I4 < I8 < R4 < R8 <
 * CY < DATE < DECIMAL), BOOL, EMPTY and a BOOL+UI1 pair giving I2, R4 with I4/I8 giving R8, a
 * BSTR operand read as R8 (two BSTRs, or a BSTR and EMPTY, concatenate in VarAdd); an integer
 * result that overflows moves up (UI1 -> I2 -> I4 -> R8, I8 -> R8). VarSub of two DATEs and
 * VarMul with a DATE give R8, VarMul of CY and a real gives R8; VarDiv gives R8 unless a
 * DECIMAL (DECIMAL) or an R4 with only I2/UI1/BOOL/EMPTY/R4 (R4) is in it. NULL wins; other
 * types (I1, UI2, UI4, UI8, INT, UINT, objects) are DISP_E_BADVARTYPE. VarCmp compares numbers
 * by value, strings as strings (NORM_IGNORECASE folds case; EMPTY is ""), a number below any
 * string; NULL gives VARCMP_NULL. VarNeg, VarAbs and VarNot at the end (their own rules). */
#include <math.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

HRESULT WINAPI VarCyAdd(CY a, CY b, CY *out);
HRESULT WINAPI VarCySub(CY a, CY b, CY *out);
HRESULT WINAPI VarCyMul(CY a, CY b, CY *out);
HRESULT WINAPI VarDecAdd(const DECIMAL *a, const DECIMAL *b, DECIMAL *out);
HRESULT WINAPI VarDecSub(const DECIMAL *a, const DECIMAL *b, DECIMAL *out);
HRESULT WINAPI VarDecMul(const DECIMAL *a, const DECIMAL *b, DECIMAL *out);
HRESULT WINAPI VarDecDiv(const DECIMAL *a, const DECIMAL *b, DECIMAL *out);
HRESULT WINAPI VarDecCmp(const DECIMAL *a, const DECIMAL *b);
HRESULT WINAPI VariantCopyInd(VARIANT *dst, const VARIANT *src);

#define VA_VARCMP_LT 0
#define VA_VARCMP_EQ 1
#define VA_VARCMP_GT 2
#define VA_VARCMP_NULL 3
#define VA_NORM_IGNORECASE 0x1u

typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW } va_op;

static HRESULT va_pow_compute(const VARIANT *a, const VARIANT *b, VARIANT *out);

/* the promotion order; -1 for a type arithmetic refuses */
static int va_rank(VARTYPE vt)
{
    switch (vt) {
    case VT_EMPTY: return 0;
    case VT_BOOL: return 1;
    case VT_UI1: return 2;
    case VT_I2: return 3;
    case VT_I4: return 4;
    case VT_I8: return 5;
    case VT_R4: return 6;
    case VT_R8: return 7;
    case VT_BSTR: return 7; /* read as R8 */
    case VT_CY: return 8;
    case VT_DATE: return 9;
    case VT_DECIMAL: return 10;
    case VT_NULL: return 11;
    default: return -1;
    }
}

static VARTYPE va_of_rank(int r)
{
    static const VARTYPE t[] = {VT_EMPTY, VT_BOOL, VT_UI1, VT_I2, VT_I4, VT_I8, VT_R4,
                                VT_R8, VT_CY, VT_DATE, VT_DECIMAL};
    return t[r];
}

/* A by-reference operand as a plain one (a copy the caller clears). */
static HRESULT va_plain(const VARIANT *in, VARIANT *tmp, const VARIANT **out)
{
    *out = in;
    if (!(in->vt & VT_BYREF))
        return OA_S_OK;
    memset(tmp, 0, sizeof *tmp);
    HRESULT hr = VariantCopyInd(tmp, in);
    *out = tmp;
    return hr;
}

static HRESULT va_conv(const VARIANT *v, VARTYPE vt, VARIANT *out)
{
    memset(out, 0, sizeof *out);
    if (v->vt == VT_EMPTY && vt == VT_DECIMAL) {
        out->vt = VT_DECIMAL;
        return OA_S_OK;
    }
    HRESULT hr = oa_convert_scalar(v, vt, 0, out);
    if (hr < 0)
        return v->vt == VT_BSTR && hr != OA_DISP_E_OVERFLOW ? OA_DISP_E_TYPEMISMATCH : hr;
    out->vt = vt;
    return OA_S_OK;
}

/* The result type of `op` on these operand types (not NULL, both valid). */
static VARTYPE va_result_type(va_op op, VARTYPE a, VARTYPE b)
{
    int ra = va_rank(a), rb = va_rank(b);
    int r = ra > rb ? ra : rb;
    VARTYPE t = va_of_rank(r);
    bool r4_wide = (a == VT_R4 && (b == VT_I4 || b == VT_I8 || b == VT_BSTR)) ||
                   (b == VT_R4 && (a == VT_I4 || a == VT_I8 || a == VT_BSTR));
    if (t == VT_R4 && r4_wide)
        t = VT_R8;
    if (a == VT_BSTR || b == VT_BSTR)
        if (t == VT_R4 || t == VT_BSTR)
            t = VT_R8;
    switch (op) {
    case OP_SUB:
        if (a == VT_DATE && b == VT_DATE)
            t = VT_R8;
        break;
    case OP_MUL:
        if (t == VT_DATE)
            t = VT_R8;
        if (t == VT_CY && (a == VT_R4 || a == VT_R8 || a == VT_BSTR || b == VT_R4 ||
                           b == VT_R8 || b == VT_BSTR))
            t = VT_R8;
        break;
    case OP_DIV:
        if (t == VT_DECIMAL)
            return VT_DECIMAL;
        if (t == VT_R4 && !r4_wide)
            return VT_R4;
        return VT_R8;
    default:
        break;
    }
    if (t == VT_EMPTY || t == VT_BOOL || (t == VT_UI1 && (a == VT_BOOL || b == VT_BOOL)))
        t = VT_I2;
    return t;
}

/* An integer result into the narrowest of t, then the wider types, as Windows promotes. */
static HRESULT va_store_int(__int128 v, VARTYPE t, VARIANT *out)
{
    if (t == VT_UI1) {
        if (v >= 0 && v <= 255) {
            out->vt = VT_UI1;
            out->u.bVal = (uint8_t)v;
            return OA_S_OK;
        }
        t = VT_I2;
    }
    if (t == VT_I2) {
        if (v >= INT16_MIN && v <= INT16_MAX) {
            out->vt = VT_I2;
            out->u.iVal = (int16_t)v;
            return OA_S_OK;
        }
        t = VT_I4;
    }
    if (t == VT_I4 && v >= INT32_MIN && v <= INT32_MAX) {
        out->vt = VT_I4;
        out->u.lVal = (int32_t)v;
        return OA_S_OK;
    }
    if (t == VT_I8 && v >= INT64_MIN && v <= INT64_MAX) {
        out->vt = VT_I8;
        out->u.llVal = (int64_t)v;
        return OA_S_OK;
    }
    out->vt = VT_R8;
    out->u.dblVal = (double)v;
    return OA_S_OK;
}

static HRESULT va_concat(const VARIANT *a, const VARIANT *b, VARIANT *out)
{
    BSTR x = a->vt == VT_BSTR ? a->u.bstrVal : NULL, y = b->vt == VT_BSTR ? b->u.bstrVal : NULL;
    UINT nx = x ? SysStringLen(x) : 0, ny = y ? SysStringLen(y) : 0;
    BSTR r = SysAllocStringLen(NULL, nx + ny);
    if (!r)
        return OA_E_OUTOFMEMORY;
    if (nx)
        memcpy(r, x, nx * sizeof(WCHAR));
    if (ny)
        memcpy(r + nx, y, ny * sizeof(WCHAR));
    out->vt = VT_BSTR;
    out->u.bstrVal = r;
    return OA_S_OK;
}

static HRESULT va_compute(va_op op, const VARIANT *a, const VARIANT *b, VARIANT *out)
{
    if (op == OP_POW)
        return va_pow_compute(a, b, out);
    if (va_rank(a->vt) < 0 || va_rank(b->vt) < 0)
        return OA_DISP_E_BADVARTYPE;
    if (a->vt == VT_NULL || b->vt == VT_NULL) {
        out->vt = VT_NULL;
        return OA_S_OK;
    }
    if (op == OP_ADD && (a->vt == VT_BSTR || a->vt == VT_EMPTY) &&
        (b->vt == VT_BSTR || b->vt == VT_EMPTY) && (a->vt == VT_BSTR || b->vt == VT_BSTR))
        return va_concat(a, b, out);
    VARTYPE t = va_result_type(op, a->vt, b->vt);
    VARIANT x, y;
    HRESULT hr;
    switch (t) {
    case VT_UI1:
    case VT_I2:
    case VT_I4:
    case VT_I8: {
        if ((hr = va_conv(a, VT_I8, &x)) < 0 || (hr = va_conv(b, VT_I8, &y)) < 0)
            return hr;
        __int128 p = x.u.llVal, q = y.u.llVal;
        return va_store_int(op == OP_ADD ? p + q : op == OP_SUB ? p - q : p * q, t, out);
    }
    case VT_R4:
    case VT_R8:
    case VT_DATE: {
        if ((hr = va_conv(a, VT_R8, &x)) < 0 || (hr = va_conv(b, VT_R8, &y)) < 0)
            return hr;
        double p = x.u.dblVal, q = y.u.dblVal, r;
        if (op == OP_DIV) {
            if (q == 0)
                return p == 0 ? OA_DISP_E_OVERFLOW : OA_DISP_E_DIVBYZERO;
            r = p / q;
        } else {
            r = op == OP_ADD ? p + q : op == OP_SUB ? p - q : p * q;
        }
        if (!isfinite(r))
            return OA_DISP_E_OVERFLOW;
        if (r == 0)
            r = 0; /* no negative zero (0 / -1) */
        if (t == VT_DATE && (r < OA_DATE_MIN || r >= OA_DATE_MAX + 1.0))
            return OA_DISP_E_OVERFLOW;
        if (t == VT_R4 && fabs(r) > 3.402823466e38)
            t = VT_R8;
        out->vt = t;
        if (t == VT_R4)
            out->u.fltVal = (float)r;
        else
            out->u.dblVal = r;
        return OA_S_OK;
    }
    case VT_CY: {
        if ((hr = va_conv(a, VT_CY, &x)) < 0 || (hr = va_conv(b, VT_CY, &y)) < 0)
            return hr;
        CY p = {x.u.llVal}, q = {y.u.llVal}, r;
        hr = op == OP_ADD ? VarCyAdd(p, q, &r) : op == OP_SUB ? VarCySub(p, q, &r)
                                                              : VarCyMul(p, q, &r);
        if (hr < 0)
            return hr;
        out->vt = VT_CY;
        out->u.llVal = r.int64;
        return OA_S_OK;
    }
    case VT_DECIMAL: {
        if ((hr = va_conv(a, VT_DECIMAL, &x)) < 0 || (hr = va_conv(b, VT_DECIMAL, &y)) < 0)
            return hr;
        DECIMAL r;
        const DECIMAL *p = (const DECIMAL *)&x, *q = (const DECIMAL *)&y;
        hr = op == OP_ADD ? VarDecAdd(p, q, &r) : op == OP_SUB ? VarDecSub(p, q, &r)
             : op == OP_MUL ? VarDecMul(p, q, &r) : VarDecDiv(p, q, &r);
        if (hr < 0)
            return hr;
        memcpy(out, &r, sizeof r);
        out->vt = VT_DECIMAL;
        return OA_S_OK;
    }
    default:
        return OA_DISP_E_BADVARTYPE;
    }
}

static HRESULT va_binary(va_op op, const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    if (!l || !r || !out)
        return OA_E_INVALIDARG;
    VARIANT tl, tr, res;
    const VARIANT *a, *b;
    memset(&tl, 0, sizeof tl);
    memset(&tr, 0, sizeof tr);
    memset(&res, 0, sizeof res);
    HRESULT hr = va_plain(l, &tl, &a);
    if (hr >= 0)
        hr = va_plain(r, &tr, &b);
    if (hr >= 0)
        hr = va_compute(op, a, b, &res);
    VariantClear(&tl);
    VariantClear(&tr);
    if (hr >= 0) {
        VariantClear(out);
        *out = res;
    }
    return hr;
}

HRESULT WINAPI VarAdd(const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    return va_binary(OP_ADD, l, r, out);
}
THK_EXPORT(oleaut32, VarAdd, 3);

HRESULT WINAPI VarSub(const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    return va_binary(OP_SUB, l, r, out);
}
THK_EXPORT(oleaut32, VarSub, 3);

HRESULT WINAPI VarMul(const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    return va_binary(OP_MUL, l, r, out);
}
THK_EXPORT(oleaut32, VarMul, 3);

HRESULT WINAPI VarDiv(const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    return va_binary(OP_DIV, l, r, out);
}
THK_EXPORT(oleaut32, VarDiv, 3);

static int va_cmp_str(const WCHAR *a, UINT na, const WCHAR *b, UINT nb, uint32_t flags)
{
    for (UINT i = 0; i < na && i < nb; i++) {
        WCHAR x = a[i], y = b[i];
        if (flags & VA_NORM_IGNORECASE) {
            if (x >= u'A' && x <= u'Z')
                x = (WCHAR)(x + 32);
            if (y >= u'A' && y <= u'Z')
                y = (WCHAR)(y + 32);
        }
        if (x != y)
            return x < y ? VA_VARCMP_LT : VA_VARCMP_GT;
    }
    return na == nb ? VA_VARCMP_EQ : na < nb ? VA_VARCMP_LT : VA_VARCMP_GT;
}

HRESULT WINAPI VarCmp(const VARIANT *l, const VARIANT *r, uint32_t lcid, uint32_t flags)
{
    (void)lcid;
    if (!l || !r)
        return OA_E_INVALIDARG;
    VARIANT tl, tr;
    const VARIANT *a, *b;
    memset(&tl, 0, sizeof tl);
    memset(&tr, 0, sizeof tr);
    HRESULT hr = va_plain(l, &tl, &a);
    if (hr >= 0)
        hr = va_plain(r, &tr, &b);
    if (hr < 0)
        goto done;
    if (va_rank(a->vt) < 0 || va_rank(b->vt) < 0) {
        hr = OA_DISP_E_BADVARTYPE;
    } else if (a->vt == VT_NULL || b->vt == VT_NULL) {
        hr = VA_VARCMP_NULL;
    } else if (a->vt == VT_BSTR || b->vt == VT_BSTR) {
        bool sa = a->vt == VT_BSTR || a->vt == VT_EMPTY, sb = b->vt == VT_BSTR || b->vt == VT_EMPTY;
        if (sa && sb) {
            BSTR x = a->vt == VT_BSTR ? a->u.bstrVal : NULL;
            BSTR y = b->vt == VT_BSTR ? b->u.bstrVal : NULL;
            hr = va_cmp_str(x, x ? SysStringLen(x) : 0, y, y ? SysStringLen(y) : 0, flags);
        } else {
            hr = sa ? VA_VARCMP_GT : VA_VARCMP_LT; /* a number is below any string */
        }
    } else {
        VARIANT x, y;
        hr = OA_DISP_E_OVERFLOW;
        if (a->vt == VT_DECIMAL || b->vt == VT_DECIMAL) {
            if ((hr = va_conv(a, VT_DECIMAL, &x)) >= 0 && (hr = va_conv(b, VT_DECIMAL, &y)) >= 0)
                hr = VarDecCmp((const DECIMAL *)&x, (const DECIMAL *)&y);
        }
        if (hr != OA_DISP_E_OVERFLOW) {
            /* decided; a real beyond DECIMAL's range is compared as a double below */
        } else if (va_rank(a->vt) <= 5 && va_rank(b->vt) <= 5) { /* integers: exactly */
            if ((hr = va_conv(a, VT_I8, &x)) >= 0 && (hr = va_conv(b, VT_I8, &y)) >= 0)
                hr = x.u.llVal < y.u.llVal ? VA_VARCMP_LT
                     : x.u.llVal > y.u.llVal ? VA_VARCMP_GT : VA_VARCMP_EQ;
        } else {
            if ((hr = va_conv(a, VT_R8, &x)) >= 0 && (hr = va_conv(b, VT_R8, &y)) >= 0)
                hr = x.u.dblVal < y.u.dblVal ? VA_VARCMP_LT
                     : x.u.dblVal > y.u.dblVal ? VA_VARCMP_GT : VA_VARCMP_EQ;
        }
    }
done:
    VariantClear(&tl);
    VariantClear(&tr);
    return hr;
}
THK_EXPORT(oleaut32, VarCmp, 4);

/* ---- VarNeg, VarAbs, VarNot ----
 * EMPTY gives I2 (0, 0, -1), NULL stays NULL, BOOL gives I2 for Neg/Abs and BOOL for Not, UI1
 * gives I2 for Neg and stays UI1 otherwise; I2, I4, I8, R4, R8, CY, DATE and DECIMAL keep their
 * type for Neg/Abs (the smallest I2/I4 moves up to I4/I8), a BSTR is read as R8; Not of a
 * real, CY, DATE, BSTR or DECIMAL is the complement of the value rounded to I4. */
typedef enum { UN_NEG, UN_ABS, UN_NOT } va_unop;

static HRESULT va_unary_compute(va_unop op, const VARIANT *a, VARIANT *out)
{
    VARIANT x;
    HRESULT hr;
    VARTYPE vt = a->vt;
    if (vt == VT_NULL) {
        out->vt = VT_NULL;
        return OA_S_OK;
    }
    if (va_rank(vt) < 0)
        return OA_DISP_E_BADVARTYPE;
    if (op == UN_NOT) {
        switch (vt) {
        case VT_EMPTY: return va_store_int(-1, VT_I2, out);
        case VT_BOOL:
            out->vt = VT_BOOL;
            out->u.boolVal = (int16_t)~a->u.boolVal;
            return OA_S_OK;
        case VT_UI1:
            out->vt = VT_UI1;
            out->u.bVal = (uint8_t)~a->u.bVal;
            return OA_S_OK;
        case VT_I2: return va_store_int(~(int64_t)a->u.iVal, VT_I2, out);
        case VT_I4: return va_store_int(~(int64_t)a->u.lVal, VT_I4, out);
        case VT_I8: return va_store_int(~a->u.llVal, VT_I8, out);
        default:
            if ((hr = va_conv(a, VT_I4, &x)) < 0)
                return hr;
            return va_store_int(~(int64_t)x.u.lVal, VT_I4, out);
        }
    }
    switch (vt) {
    case VT_EMPTY: return va_store_int(0, VT_I2, out);
    case VT_BOOL: {
        int64_t v = a->u.boolVal;
        return va_store_int(op == UN_NEG || v < 0 ? -v : v, VT_I2, out);
    }
    case VT_UI1:
        if (op == UN_ABS) {
            *out = *a;
            return OA_S_OK;
        }
        return va_store_int(-(int64_t)a->u.bVal, VT_I2, out);
    case VT_I2:
    case VT_I4:
    case VT_I8: {
        __int128 v = vt == VT_I2 ? a->u.iVal : vt == VT_I4 ? a->u.lVal : a->u.llVal;
        if (op == UN_NEG || v < 0)
            v = -v;
        if (vt == VT_I8 && v > INT64_MAX)
            return OA_DISP_E_OVERFLOW;
        return va_store_int(v, vt, out);
    }
    case VT_R4:
        out->vt = VT_R4;
        out->u.fltVal = op == UN_NEG ? -a->u.fltVal : fabsf(a->u.fltVal);
        return OA_S_OK;
    case VT_R8:
    case VT_DATE:
    case VT_BSTR: {
        if ((hr = va_conv(a, VT_R8, &x)) < 0)
            return hr;
        out->vt = vt == VT_DATE ? VT_DATE : VT_R8;
        out->u.dblVal = op == UN_NEG ? -x.u.dblVal : fabs(x.u.dblVal);
        return OA_S_OK;
    }
    case VT_CY:
        if (a->u.llVal == INT64_MIN)
            return OA_DISP_E_OVERFLOW;
        out->vt = VT_CY;
        out->u.llVal = op == UN_NEG || a->u.llVal < 0 ? -a->u.llVal : a->u.llVal;
        return OA_S_OK;
    case VT_DECIMAL: { /* DECIMAL's sign byte sits at offset 3, after wReserved and scale */
        *out = *a;
        uint8_t *sign = (uint8_t *)out + 3;
        *sign = op == UN_NEG ? (uint8_t)(*sign ^ 0x80) : (uint8_t)(*sign & 0x7f);
        out->vt = VT_DECIMAL;
        return OA_S_OK;
    }
    default: return OA_DISP_E_BADVARTYPE;
    }
}

static HRESULT va_unary(va_unop op, const VARIANT *in, VARIANT *out)
{
    if (!in || !out)
        return OA_E_INVALIDARG;
    VARIANT t, res;
    const VARIANT *a;
    memset(&t, 0, sizeof t);
    memset(&res, 0, sizeof res);
    HRESULT hr = va_plain(in, &t, &a);
    if (hr >= 0)
        hr = va_unary_compute(op, a, &res);
    VariantClear(&t);
    if (hr >= 0) {
        VariantClear(out);
        *out = res;
    }
    return hr;
}

HRESULT WINAPI VarNeg(const VARIANT *in, VARIANT *out) { return va_unary(UN_NEG, in, out); }
THK_EXPORT(oleaut32, VarNeg, 2);

HRESULT WINAPI VarAbs(const VARIANT *in, VARIANT *out) { return va_unary(UN_ABS, in, out); }
THK_EXPORT(oleaut32, VarAbs, 2);

HRESULT WINAPI VarNot(const VARIANT *in, VARIANT *out) { return va_unary(UN_NOT, in, out); }
THK_EXPORT(oleaut32, VarNot, 2);

/* VarPow: both operands read as R8, the result R8 (NULL wins) */
static HRESULT va_pow_compute(const VARIANT *a, const VARIANT *b, VARIANT *out)
{
    if (va_rank(a->vt) < 0 || va_rank(b->vt) < 0)
        return OA_DISP_E_BADVARTYPE;
    if (a->vt == VT_NULL || b->vt == VT_NULL) {
        out->vt = VT_NULL;
        return OA_S_OK;
    }
    VARIANT x, y;
    HRESULT hr;
    if ((hr = va_conv(a, VT_R8, &x)) < 0 || (hr = va_conv(b, VT_R8, &y)) < 0)
        return hr;
    double r = pow(x.u.dblVal, y.u.dblVal);
    if (!isfinite(r))
        return OA_DISP_E_OVERFLOW;
    out->vt = VT_R8;
    out->u.dblVal = r;
    return OA_S_OK;
}

HRESULT WINAPI VarPow(const VARIANT *l, const VARIANT *r, VARIANT *out)
{
    return va_binary(OP_POW, l, r, out);
}
THK_EXPORT(oleaut32, VarPow, 3);
