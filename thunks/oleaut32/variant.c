/* SPDX-License-Identifier: MIT */
/* oleaut32's VARIANTs: VariantInit, VariantClear, VariantCopy, VariantCopyInd and
 * VariantChangeType(Ex) between the scalar types (VT_EMPTY, VT_NULL, the integers, VT_R4/R8,
 * VT_BOOL, VT_ERROR, VT_BSTR). A VARIANT owns what its value points to: a BSTR (freed and
 * copied), an interface (released and AddRef'd), a SAFEARRAY, a record; VT_BYREF values are
 * borrowed; a SAFEARRAY is destroyed and deep-copied (thunks/oleaut32/safearray.c). Not yet:
 * VT_CY, VT_DATE and VT_DECIMAL conversions (DISP_E_TYPEMISMATCH, logged once). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"
#include "runtime/runtime.h"

/* "ntrun: oleaut32.dll!<what> is not implemented", once per call site */
#define OA_UNIMPLEMENTED(what)                                                                  \
    do {                                                                                        \
        static int oa_said_;                                                                    \
        if (!__atomic_exchange_n(&oa_said_, 1, __ATOMIC_RELAXED))                               \
            rt_message("oleaut32.dll!%s is not implemented", what);                             \
    } while (0)

/* a COM interface's vtable slot `i` (IUnknown: 0 QueryInterface, 1 AddRef, 2 Release) */
typedef uint32_t(WINAPI *oa_unk_fn)(void *self);
static uint32_t unk_call(void *unk, int i)
{
    void **vtbl = *(void ***)unk;
    return ((oa_unk_fn)vtbl[i])(unk);
}

/* Windows' check of a type a VARIANT may hold (DISP_E_BADVARTYPE otherwise): the base types up
 * to VT_UINT (not 15), VT_RECORD, VT_CLSID; with VT_BYREF or VT_ARRAY not VT_EMPTY/VT_NULL; never
 * VT_VECTOR or VT_RESERVED. */
static HRESULT vt_valid(VARTYPE vt)
{
    VARTYPE base = vt & VT_TYPEMASK, extra = vt & ~VT_TYPEMASK;
    if (extra & (VT_VECTOR | VT_RESERVED))
        return OA_DISP_E_BADVARTYPE;
    if (!(base < VT_VOID || base == VT_RECORD || base == VT_CLSID) || base == 15)
        return OA_DISP_E_BADVARTYPE;
    if ((extra & (VT_BYREF | VT_ARRAY)) && base <= VT_NULL)
        return OA_DISP_E_BADVARTYPE;
    return OA_S_OK;
}

void WINAPI VariantInit(VARIANT *v)
{
    v->vt = VT_EMPTY;
}
THK_EXPORT(oleaut32, VariantInit, 1);

HRESULT WINAPI VariantClear(VARIANT *v)
{
    HRESULT hr = vt_valid(v->vt);
    if (hr < 0)
        return hr;
    if (!(v->vt & VT_BYREF)) {
        if (v->vt & VT_ARRAY) {
            hr = SafeArrayDestroy(v->u.parray);
            if (hr < 0)
                return hr;
        } else if (v->vt == VT_BSTR) {
            SysFreeString(v->u.bstrVal);
        } else if (v->vt == VT_DISPATCH || v->vt == VT_UNKNOWN) {
            if (v->u.punkVal)
                unk_call(v->u.punkVal, 2);
        } else if (v->vt == VT_RECORD && v->u.brecVal.pRecInfo) {
            /* IRecordInfo: 4 RecordClear(this, pv), then Release */
            void *ri = v->u.brecVal.pRecInfo;
            void **vtbl = *(void ***)ri;
            ((HRESULT(WINAPI *)(void *, void *))vtbl[4])(ri, v->u.brecVal.pvRecord);
            unk_call(ri, 2);
        }
    }
    v->vt = VT_EMPTY;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VariantClear, 1);

/* the value of `src` (not VT_BYREF) copied into `dst`'s value, owned: 0 or an HRESULT */
static HRESULT copy_value(VARIANT *dst, const VARIANT *src, VARTYPE vt)
{
    dst->u = src->u;
    if (vt & VT_ARRAY)
        return SafeArrayCopy(src->u.parray, (SAFEARRAY **)&dst->u.parray);
    switch (vt) {
    case VT_BSTR:
        if (src->u.bstrVal) {
            dst->u.bstrVal = SysAllocStringByteLen((const char *)src->u.bstrVal,
                                                   SysStringByteLen(src->u.bstrVal));
            if (!dst->u.bstrVal)
                return OA_E_OUTOFMEMORY;
        }
        return OA_S_OK;
    case VT_DISPATCH:
    case VT_UNKNOWN:
        if (src->u.punkVal)
            unk_call(src->u.punkVal, 1);
        return OA_S_OK;
    case VT_RECORD:
        if (src->u.brecVal.pRecInfo) {
            OA_UNIMPLEMENTED("VariantCopy of a VT_RECORD");
            return OA_E_OUTOFMEMORY;
        }
        return OA_S_OK;
    default:
        return OA_S_OK;
    }
}

HRESULT WINAPI VariantCopy(VARIANT *dst, const VARIANT *src)
{
    HRESULT hr = vt_valid(src->vt);
    if (hr < 0)
        return hr;
    if (dst == src)
        return OA_S_OK;
    hr = VariantClear(dst);
    if (hr < 0)
        return hr;
    VARIANT tmp = *src;
    if (!(src->vt & VT_BYREF)) {
        hr = copy_value(&tmp, src, src->vt);
        if (hr < 0)
            return hr;
    }
    *dst = tmp;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VariantCopy, 2);

/* the size of a by-reference scalar's value; 0 for a type VariantCopyInd does not read */
static size_t byref_size(VARTYPE base)
{
    switch (base) {
    case VT_I1: case VT_UI1: return 1;
    case VT_I2: case VT_UI2: case VT_BOOL: return 2;
    case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_R4: case VT_ERROR: return 4;
    case VT_I8: case VT_UI8: case VT_R8: case VT_CY: case VT_DATE: return 8;
    case VT_BSTR: case VT_DISPATCH: case VT_UNKNOWN: return sizeof(void *);
    case VT_DECIMAL: return 16;
    default: return 0;
    }
}

HRESULT WINAPI VariantCopyInd(VARIANT *dst, const VARIANT *src)
{
    HRESULT hr = vt_valid(src->vt);
    if (hr < 0)
        return hr;
    if (!(src->vt & VT_BYREF))
        return VariantCopy(dst, src);
    VARTYPE vt = src->vt & ~VT_BYREF, base = vt & VT_TYPEMASK;
    VARIANT val = {.vt = vt};
    if (vt & VT_ARRAY) {
        val.u.parray = src->u.byref ? *(void **)src->u.byref : NULL;
    } else if (base == VT_VARIANT) {
        const VARIANT *inner = src->u.pvarVal;
        if (!inner || (inner->vt & VT_BYREF) || inner->vt == (VT_VARIANT | VT_BYREF))
            return OA_E_INVALIDARG;
        val = *inner;
        vt = inner->vt;
    } else if (base == VT_DECIMAL) {
        /* a DECIMAL fills the whole VARIANT, its first two bytes are the vt */
        memcpy((char *)&val + 2, (const char *)src->u.byref + 2, 14);
    } else {
        size_t n = byref_size(base);
        if (!n)
            return OA_E_INVALIDARG;
        memcpy(&val.u, src->u.byref, n);
    }
    VARIANT tmp = val;
    hr = copy_value(&tmp, &val, vt);
    if (hr < 0)
        return hr;
    if (dst != src) {
        hr = VariantClear(dst);
        if (hr < 0) {
            VariantClear(&tmp);
            return hr;
        }
    }
    *dst = tmp;
    dst->vt = vt;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VariantCopyInd, 2);

/* ---- VariantChangeType ---- */

/* a scalar as one of three shapes: signed, unsigned or floating */
typedef struct {
    enum { NUM_INT, NUM_UINT, NUM_REAL } kind;
    int64_t i;
    uint64_t u;
    double d;
} oa_num;

static HRESULT num_of(const VARIANT *v, oa_num *n)
{
    switch (v->vt) {
    case VT_EMPTY: *n = (oa_num){NUM_INT, 0, 0, 0}; return OA_S_OK;
    case VT_I1: *n = (oa_num){NUM_INT, v->u.cVal, 0, 0}; return OA_S_OK;
    case VT_I2: *n = (oa_num){NUM_INT, v->u.iVal, 0, 0}; return OA_S_OK;
    case VT_BOOL: *n = (oa_num){NUM_INT, v->u.boolVal, 0, 0}; return OA_S_OK;
    case VT_I4: case VT_INT: *n = (oa_num){NUM_INT, v->u.lVal, 0, 0}; return OA_S_OK;
    case VT_I8: *n = (oa_num){NUM_INT, v->u.llVal, 0, 0}; return OA_S_OK;
    case VT_UI1: *n = (oa_num){NUM_UINT, 0, v->u.bVal, 0}; return OA_S_OK;
    case VT_UI2: *n = (oa_num){NUM_UINT, 0, v->u.uiVal, 0}; return OA_S_OK;
    case VT_UI4: case VT_UINT: *n = (oa_num){NUM_UINT, 0, v->u.ulVal, 0}; return OA_S_OK;
    case VT_UI8: *n = (oa_num){NUM_UINT, 0, v->u.ullVal, 0}; return OA_S_OK;
    case VT_R4: *n = (oa_num){NUM_REAL, 0, 0, v->u.fltVal}; return OA_S_OK;
    case VT_R8: *n = (oa_num){NUM_REAL, 0, 0, v->u.dblVal}; return OA_S_OK;
    default: return OA_DISP_E_TYPEMISMATCH;
    }
}

/* a BSTR as a number: blanks, a sign, digits, an optional fraction and exponent, blanks */
static HRESULT num_of_bstr(BSTR s, oa_num *n)
{
    char buf[128];
    UINT len = SysStringLen(s), k = 0;
    for (UINT i = 0; i < len; i++) {
        WCHAR c = s[i];
        if (c > 0x7f || k + 1 >= sizeof buf)
            return OA_DISP_E_TYPEMISMATCH;
        buf[k++] = (char)c;
    }
    buf[k] = 0;
    char *p = buf;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return OA_DISP_E_TYPEMISMATCH;
    char *end;
    double d = strtod(p, &end);
    if (end == p)
        return OA_DISP_E_TYPEMISMATCH;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) || isinf(d) || isnan(d))
        return OA_DISP_E_TYPEMISMATCH;
    *n = (oa_num){NUM_REAL, 0, 0, d};
    return OA_S_OK;
}

/* round half to even, as Windows' conversions of reals to integers do */
static double round_even(double d)
{
    double r = nearbyint(d); /* the default rounding mode is to nearest, ties to even */
    return r;
}

static HRESULT to_int_range(const oa_num *n, int64_t lo, uint64_t hi, int64_t *is, uint64_t *iu,
                            int *neg)
{
    if (n->kind == NUM_REAL) {
        double r = round_even(n->d);
        if (!(r >= (double)lo - 0.0 && r <= (double)hi))
            return OA_DISP_E_OVERFLOW;
        if (r < 0) {
            *is = (int64_t)r;
            *neg = 1;
        } else {
            *iu = (r >= 9223372036854775808.0) ? (uint64_t)(r - 9223372036854775808.0) +
                                                     0x8000000000000000ull
                                               : (uint64_t)(int64_t)r;
            *neg = 0;
        }
        if (*neg && *is < lo)
            return OA_DISP_E_OVERFLOW;
        if (!*neg && *iu > hi)
            return OA_DISP_E_OVERFLOW;
        return OA_S_OK;
    }
    if (n->kind == NUM_INT && n->i < 0) {
        if (n->i < lo)
            return OA_DISP_E_OVERFLOW;
        *is = n->i;
        *neg = 1;
        return OA_S_OK;
    }
    uint64_t u = n->kind == NUM_INT ? (uint64_t)n->i : n->u;
    if (u > hi)
        return OA_DISP_E_OVERFLOW;
    *iu = u;
    *neg = 0;
    return OA_S_OK;
}

static HRESULT num_to(const oa_num *n, VARTYPE vt, VARIANT *out)
{
    static const struct { VARTYPE vt; int64_t lo; uint64_t hi; } ranges[] = {
        {VT_I1, INT8_MIN, INT8_MAX}, {VT_UI1, 0, UINT8_MAX}, {VT_I2, INT16_MIN, INT16_MAX},
        {VT_UI2, 0, UINT16_MAX}, {VT_I4, INT32_MIN, INT32_MAX}, {VT_INT, INT32_MIN, INT32_MAX},
        {VT_UI4, 0, UINT32_MAX}, {VT_UINT, 0, UINT32_MAX}, {VT_I8, INT64_MIN, INT64_MAX},
        {VT_UI8, 0, UINT64_MAX}};
    double d = n->kind == NUM_REAL ? n->d : n->kind == NUM_INT ? (double)n->i : (double)n->u;
    switch (vt) {
    case VT_R8:
        out->u.dblVal = d;
        return OA_S_OK;
    case VT_R4:
        if (fabs(d) > 3.402823466e38)
            return OA_DISP_E_OVERFLOW;
        out->u.fltVal = (float)d;
        return OA_S_OK;
    case VT_BOOL:
        out->u.boolVal = d != 0 || (n->kind == NUM_UINT && n->u) ? OA_VARIANT_TRUE : 0;
        return OA_S_OK;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (ranges[i].vt != vt)
            continue;
        int64_t s = 0;
        uint64_t u = 0;
        int neg = 0;
        HRESULT hr = to_int_range(n, ranges[i].lo, ranges[i].hi, &s, &u, &neg);
        if (hr < 0)
            return hr;
        uint64_t bits = neg ? (uint64_t)s : u;
        out->u.ullVal = 0;
        memcpy(&out->u, &bits, 8); /* little-endian: the low bytes are the narrower value */
        if (vt == VT_I1 || vt == VT_UI1)
            memset((char *)&out->u + 1, 0, 7);
        else if (vt == VT_I2 || vt == VT_UI2)
            memset((char *)&out->u + 2, 0, 6);
        else if (vt != VT_I8 && vt != VT_UI8)
            memset((char *)&out->u + 4, 0, 4);
        return OA_S_OK;
    }
    return OA_DISP_E_TYPEMISMATCH;
}

static BSTR bstr_of_ascii(const char *s)
{
    WCHAR w[64];
    size_t n = strlen(s);
    for (size_t i = 0; i < n && i < 64; i++)
        w[i] = (unsigned char)s[i];
    return SysAllocStringLen(w, (UINT)(n < 64 ? n : 64));
}

static HRESULT to_bstr(const VARIANT *src, uint16_t flags, BSTR *out)
{
    char buf[64];
    switch (src->vt) {
    case VT_EMPTY:
        *out = SysAllocStringLen(NULL, 0);
        return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
    case VT_BOOL:
        if (flags & OA_VARIANT_ALPHABOOL)
            snprintf(buf, sizeof buf, "%s", src->u.boolVal ? "True" : "False");
        else
            snprintf(buf, sizeof buf, "%d", src->u.boolVal ? -1 : 0);
        break;
    case VT_R4:
        snprintf(buf, sizeof buf, "%.7G", (double)src->u.fltVal);
        break;
    case VT_R8:
        snprintf(buf, sizeof buf, "%.15G", src->u.dblVal);
        break;
    default: {
        oa_num n;
        HRESULT hr = num_of(src, &n);
        if (hr < 0)
            return hr;
        if (n.kind == NUM_INT)
            snprintf(buf, sizeof buf, "%lld", (long long)n.i);
        else
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)n.u);
    }
    }
    *out = bstr_of_ascii(buf);
    return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
}

static int bstr_ieq(BSTR s, const char *word)
{
    UINT n = SysStringLen(s);
    if (n != strlen(word))
        return 0;
    for (UINT i = 0; i < n; i++) {
        WCHAR c = s[i] >= 'A' && s[i] <= 'Z' ? (WCHAR)(s[i] + 32) : s[i];
        if (c != (WCHAR)word[i])
            return 0;
    }
    return 1;
}

/* a scalar `src` (not by reference) converted to `vt` in `out` (its vt set by the caller) */
static HRESULT convert(const VARIANT *src, VARTYPE vt, uint16_t flags, VARIANT *out)
{
    if (vt == src->vt)
        return copy_value(out, src, vt);
    if (vt == VT_EMPTY)
        return OA_S_OK;
    if (src->vt == VT_NULL || vt == VT_NULL)
        return OA_DISP_E_TYPEMISMATCH;
    if (vt == VT_BSTR)
        return to_bstr(src, flags, &out->u.bstrVal);
    if (vt == VT_ERROR || src->vt == VT_ERROR)
        return OA_DISP_E_TYPEMISMATCH;
    oa_num n;
    HRESULT hr;
    if (src->vt == VT_BSTR) {
        if (vt == VT_BOOL && (bstr_ieq(src->u.bstrVal, "true") ||
                              bstr_ieq(src->u.bstrVal, "false"))) {
            out->u.boolVal = bstr_ieq(src->u.bstrVal, "true") ? OA_VARIANT_TRUE : 0;
            return OA_S_OK;
        }
        hr = num_of_bstr(src->u.bstrVal, &n);
    } else {
        hr = num_of(src, &n);
        if (hr < 0 && (src->vt == VT_CY || src->vt == VT_DATE || src->vt == VT_DECIMAL))
            OA_UNIMPLEMENTED("VariantChangeType from VT_CY/VT_DATE/VT_DECIMAL");
    }
    if (hr < 0)
        return hr;
    hr = num_to(&n, vt, out);
    if (hr == OA_DISP_E_TYPEMISMATCH && (vt == VT_CY || vt == VT_DATE || vt == VT_DECIMAL))
        OA_UNIMPLEMENTED("VariantChangeType to VT_CY/VT_DATE/VT_DECIMAL");
    return hr;
}

HRESULT WINAPI VariantChangeTypeEx(VARIANT *dst, const VARIANT *src, uint32_t lcid,
                                   uint16_t flags, VARTYPE vt)
{
    (void)lcid; /* numbers are formatted and parsed the en-US way */
    HRESULT hr = vt_valid(src->vt);
    if (hr < 0)
        return hr;
    if (vt == VT_CLSID || (vt_valid(vt) < 0 && vt != VT_EMPTY))
        return OA_DISP_E_BADVARTYPE;
    VARIANT val;
    VariantInit(&val);
    hr = VariantCopyInd(&val, src);
    if (hr < 0)
        return hr;
    VARIANT res = {.vt = vt};
    if (((val.vt | vt) & (VT_ARRAY | VT_BYREF)) ||
        ((val.vt == VT_DISPATCH || val.vt == VT_UNKNOWN || val.vt == VT_RECORD) && vt != val.vt))
        hr = vt == val.vt ? copy_value(&res, &val, vt) : OA_DISP_E_TYPEMISMATCH;
    else
        hr = convert(&val, vt, flags, &res);
    VariantClear(&val);
    if (hr < 0)
        return hr;
    hr = VariantClear(dst);
    if (hr < 0) {
        VariantClear(&res);
        return hr;
    }
    *dst = res;
    dst->vt = vt;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, VariantChangeTypeEx, 5);

HRESULT WINAPI VariantChangeType(VARIANT *dst, const VARIANT *src, uint16_t flags, VARTYPE vt)
{
    return VariantChangeTypeEx(dst, src, 0x0400 /* LOCALE_USER_DEFAULT */, flags, vt);
}
THK_EXPORT(oleaut32, VariantChangeType, 4);
