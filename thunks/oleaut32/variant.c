/* SPDX-License-Identifier: MIT */
/* oleaut32's VARIANTs: VariantInit, VariantClear, VariantCopy, VariantCopyInd and
 * VariantChangeType(Ex) between the scalar types (VT_EMPTY, VT_NULL, the integers, VT_R4/R8,
 * VT_BOOL, VT_ERROR, VT_BSTR, VT_CY, VT_DATE, VT_DECIMAL). A VARIANT owns what its value points to: a BSTR (freed and
 * copied), an interface (released and AddRef'd), a SAFEARRAY, a record; VT_BYREF values are
 * borrowed; a SAFEARRAY is destroyed and deep-copied (thunks/oleaut32/safearray.c). The scalar
 * conversions themselves, VT_CY, VT_DATE and VT_DECIMAL included, are thunks/oleaut32/varnum.c's. */
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
    if (vt == VT_DECIMAL) /* the DECIMAL starts at offset 2, over the reserved words */
        memcpy((char *)dst + 2, (const char *)src + 2, 6);
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

/* a scalar `src` (not by reference) converted to `vt` in `out` (its vt set by the caller) */
static HRESULT convert(const VARIANT *src, VARTYPE vt, uint16_t flags, uint32_t lcid,
                       VARIANT *out)
{
    if (vt == src->vt)
        return copy_value(out, src, vt);
    return oa_convert_scalar_lcid(src, vt, flags, lcid, out); /* thunks/oleaut32/varnum.c */
}

HRESULT WINAPI VariantChangeTypeEx(VARIANT *dst, const VARIANT *src, uint32_t lcid,
                                   uint16_t flags, VARTYPE vt)
{
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
        hr = convert(&val, vt, flags, lcid, &res);
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
