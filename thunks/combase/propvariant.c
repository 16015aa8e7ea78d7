/* SPDX-License-Identifier: MIT */
/* PROPVARIANTs (ole32/combase PropVariantClear, PropVariantCopy, FreePropVariantArray): the
 * tagged values of property sets and property stores. Clear frees what the value owns by its
 * type (a BSTR with SysFreeString; a string, CLSID, blob or clipboard data with CoTaskMemFree;
 * an interface with Release; a SAFEARRAY with SafeArrayDestroy; a vector its elements, then its
 * array) and zeroes the whole PROPVARIANT; a VT_BYREF value owns nothing. Copy makes a deep copy
 * (interfaces AddRef'd). A type a PROPVARIANT cannot hold: Clear STG_E_INVALIDPARAMETER, Copy
 * DISP_E_BADVARTYPE with the destination untouched; a NULL PROPVARIANT is S_OK to Clear. The
 * type rules and results follow Microsoft's PropVariantClear/PropVariantCopy pages and Wine
 * 8.0's combase, which answers the same (pe.propvariant). */
#include <stdlib.h>
#include <string.h>
#include "thunks/thunks.h"

typedef int32_t HRESULT;

#define PV_S_OK 0
#define PV_E_INVALIDARG ((HRESULT)0x80070057)
#define PV_E_OUTOFMEMORY ((HRESULT)0x8007000E)
#define PV_STG_E_INVALIDPARAMETER ((HRESULT)0x80030057)
#define PV_DISP_E_BADVARTYPE ((HRESULT)0x80020008)

enum {
    PV_EMPTY = 0, PV_NULL = 1, PV_I2 = 2, PV_I4 = 3, PV_R4 = 4, PV_R8 = 5, PV_CY = 6, PV_DATE = 7,
    PV_BSTR = 8, PV_DISPATCH = 9, PV_ERROR = 10, PV_BOOL = 11, PV_VARIANT = 12, PV_UNKNOWN = 13,
    PV_DECIMAL = 14, PV_I1 = 16, PV_UI1 = 17, PV_UI2 = 18, PV_UI4 = 19, PV_I8 = 20, PV_UI8 = 21,
    PV_INT = 22, PV_UINT = 23, PV_LPSTR = 30, PV_LPWSTR = 31, PV_FILETIME = 64, PV_BLOB = 65,
    PV_STREAM = 66, PV_STORAGE = 67, PV_STREAMED_OBJECT = 68, PV_STORED_OBJECT = 69,
    PV_BLOB_OBJECT = 70, PV_CF = 71, PV_CLSID = 72, PV_VERSIONED_STREAM = 73,
    PV_VECTOR = 0x1000, PV_ARRAY = 0x2000, PV_BYREF = 0x4000,
};

/* CLIPDATA: 16 bytes, the data's size counting the format's 4 bytes */
typedef struct pv_clipdata {
    uint32_t cbSize;    /* 0x0 */
    int32_t ulClipFmt;  /* 0x4 */
    uint8_t *pClipData; /* 0x8 */
} pv_clipdata;
_Static_assert(sizeof(pv_clipdata) == 16, "CLIPDATA");

/* PROPVARIANT (propidlbase.h), x64: 24 bytes, the value at 8. */
typedef struct pv_propvariant {
    uint16_t vt;          /* 0x00 */
    uint16_t reserved[3]; /* 0x02 */
    union {               /* 0x08 */
        void *ptr;        /* strings, CLSID*, CLIPDATA*, interfaces, SAFEARRAY* */
        struct {
            uint32_t count; /* 0x08: cElems / cbSize */
            void *elems;    /* 0x10: pElems / pBlobData */
        } v;
        uint8_t raw[16];
    } u;
} pv_propvariant;
_Static_assert(sizeof(pv_propvariant) == 24, "PROPVARIANT");
_Static_assert(offsetof(pv_propvariant, u) == 8, "PROPVARIANT value");

void *WINAPI CoTaskMemAlloc(size_t size);
void WINAPI CoTaskMemFree(void *p);
/* oleaut32 (thunks/oleaut32/): ordinary ms_abi C functions */
void WINAPI SysFreeString(WCHAR *b);
uint32_t WINAPI SysStringByteLen(WCHAR *b);
WCHAR *WINAPI SysAllocStringByteLen(const char *s, uint32_t len);
HRESULT WINAPI SafeArrayDestroy(void *sa);
HRESULT WINAPI SafeArrayCopy(void *sa, void **out);

/* Size of a vector's element of type t (PV_VECTOR off), 0 if no vector may hold it. */
static size_t pv_elem_size(uint16_t t)
{
    switch (t) {
    case PV_I1: case PV_UI1: return 1;
    case PV_I2: case PV_UI2: case PV_BOOL: return 2;
    case PV_I4: case PV_UI4: case PV_R4: case PV_ERROR: return 4;
    case PV_I8: case PV_UI8: case PV_R8: case PV_CY: case PV_DATE: case PV_FILETIME: return 8;
    case PV_BSTR: case PV_LPSTR: case PV_LPWSTR: return sizeof(void *);
    case PV_CLSID: case PV_CF: return 16;
    case PV_VARIANT: return sizeof(pv_propvariant);
    default: return 0;
    }
}

/* A type a PROPVARIANT may hold (Wine's propvar_validatetype, from Windows' answers). */
static bool pv_valid(uint16_t vt)
{
    uint16_t t = vt & 0x0fff;
    switch (vt & 0xf000) {
    case 0:
        switch (t) {
        case PV_EMPTY: case PV_NULL: case PV_I1: case PV_I2: case PV_I4: case PV_I8: case PV_R4:
        case PV_R8: case PV_CY: case PV_DATE: case PV_BSTR: case PV_ERROR: case PV_BOOL:
        case PV_DECIMAL: case PV_UI1: case PV_UI2: case PV_UI4: case PV_UI8: case PV_INT:
        case PV_UINT: case PV_LPSTR: case PV_LPWSTR: case PV_FILETIME: case PV_BLOB:
        case PV_DISPATCH: case PV_UNKNOWN: case PV_STREAM: case PV_STORAGE:
        case PV_STREAMED_OBJECT: case PV_STORED_OBJECT: case PV_BLOB_OBJECT: case PV_CF:
        case PV_CLSID: case PV_VERSIONED_STREAM:
            return true;
        }
        return false;
    case PV_VECTOR:
        return pv_elem_size(t) != 0;
    case PV_ARRAY:
        switch (t) {
        case PV_I1: case PV_I2: case PV_I4: case PV_R4: case PV_R8: case PV_CY: case PV_DATE:
        case PV_BSTR: case PV_ERROR: case PV_BOOL: case PV_DECIMAL: case PV_UI1: case PV_UI2:
        case PV_UI4: case PV_INT: case PV_UINT: case PV_VARIANT: case PV_DISPATCH:
        case PV_UNKNOWN:
            return true;
        }
        return false;
    case PV_BYREF:
        switch (t) {
        case PV_I1: case PV_I2: case PV_I4: case PV_R4: case PV_R8: case PV_CY: case PV_DATE:
        case PV_BSTR: case PV_ERROR: case PV_BOOL: case PV_DECIMAL: case PV_UI1: case PV_UI2:
        case PV_UI4: case PV_INT: case PV_UINT: case PV_VARIANT: case PV_DISPATCH:
        case PV_UNKNOWN:
            return true;
        }
        return false;
    }
    return false;
}

static void pv_unknown_call(void *obj, int slot)
{
    if (obj)
        thk_call_foreign1((*(void ***)obj)[slot], (uint64_t)(uintptr_t)obj);
}

HRESULT WINAPI PropVariantClear(pv_propvariant *pv);

/* Frees what one element of a vector of type t owns. */
static void pv_free_elem(uint16_t t, void *e)
{
    void *p;
    switch (t) {
    case PV_BSTR:
        memcpy(&p, e, sizeof p);
        SysFreeString(p);
        break;
    case PV_LPSTR: case PV_LPWSTR:
        memcpy(&p, e, sizeof p);
        CoTaskMemFree(p);
        break;
    case PV_CF:
        CoTaskMemFree(((pv_clipdata *)e)->pClipData);
        break;
    case PV_VARIANT:
        PropVariantClear(e);
        break;
    }
}

HRESULT WINAPI PropVariantClear(pv_propvariant *pv)
{
    if (!pv)
        return PV_S_OK;
    HRESULT hr = PV_S_OK;
    uint16_t vt = pv->vt, t = vt & 0x0fff;
    if (!pv_valid(vt)) {
        hr = PV_STG_E_INVALIDPARAMETER;
    } else if (vt & PV_VECTOR) {
        size_t sz = pv_elem_size(t);
        for (uint32_t i = 0; pv->u.v.elems && i < pv->u.v.count; i++)
            pv_free_elem(t, (uint8_t *)pv->u.v.elems + (size_t)i * sz);
        CoTaskMemFree(pv->u.v.elems);
    } else if (vt & PV_ARRAY) {
        hr = SafeArrayDestroy(pv->u.ptr);
    } else if (!(vt & PV_BYREF)) {
        switch (t) {
        case PV_DISPATCH: case PV_UNKNOWN: case PV_STREAM: case PV_STREAMED_OBJECT:
        case PV_STORAGE: case PV_STORED_OBJECT:
            pv_unknown_call(pv->u.ptr, 2); /* Release */
            break;
        case PV_CLSID: case PV_LPSTR: case PV_LPWSTR:
            CoTaskMemFree(pv->u.ptr);
            break;
        case PV_BLOB: case PV_BLOB_OBJECT:
            CoTaskMemFree(pv->u.v.elems);
            break;
        case PV_BSTR:
            SysFreeString(pv->u.ptr);
            break;
        case PV_CF:
            if (pv->u.ptr) {
                CoTaskMemFree(((pv_clipdata *)pv->u.ptr)->pClipData);
                CoTaskMemFree(pv->u.ptr);
            }
            break;
        case PV_VERSIONED_STREAM:
            if (pv->u.ptr) {
                void *stream;
                memcpy(&stream, (uint8_t *)pv->u.ptr + 16, sizeof stream); /* after its GUID */
                pv_unknown_call(stream, 2);
                CoTaskMemFree(pv->u.ptr);
            }
            break;
        }
    }
    memset(pv, 0, sizeof *pv);
    return hr;
}
THK_EXPORT(combase, PropVariantClear, 1);

HRESULT WINAPI FreePropVariantArray(uint32_t count, pv_propvariant *pvs)
{
    if (!pvs)
        return PV_E_INVALIDARG;
    for (uint32_t i = 0; i < count; i++)
        PropVariantClear(&pvs[i]);
    return PV_S_OK;
}
THK_EXPORT(combase, FreePropVariantArray, 2);

/* A CoTaskMemAlloc copy of n bytes (NULL for NULL). false when out of memory. */
static bool pv_dup(void **dst, const void *src, size_t n)
{
    *dst = NULL;
    if (!src)
        return true;
    *dst = CoTaskMemAlloc(n ? n : 1);
    if (*dst)
        memcpy(*dst, src, n);
    return *dst != NULL;
}

HRESULT WINAPI PropVariantCopy(pv_propvariant *dst, const pv_propvariant *src);

/* Deep copy of one vector element of type t (already copied shallowly into d). */
static bool pv_copy_elem(uint16_t t, void *d, const void *s)
{
    void *p, *q;
    switch (t) {
    case PV_BSTR:
        memcpy(&p, s, sizeof p);
        q = p ? SysAllocStringByteLen(p, SysStringByteLen(p)) : NULL;
        memcpy(d, &q, sizeof q);
        return !p || q;
    case PV_LPSTR:
        memcpy(&p, s, sizeof p);
        if (!pv_dup(&q, p, p ? strlen(p) + 1 : 0))
            return false;
        memcpy(d, &q, sizeof q);
        return true;
    case PV_LPWSTR: {
        memcpy(&p, s, sizeof p);
        size_t n = 0;
        while (p && ((const WCHAR *)p)[n])
            n++;
        if (!pv_dup(&q, p, (n + 1) * sizeof(WCHAR)))
            return false;
        memcpy(d, &q, sizeof q);
        return true;
    }
    case PV_CF: {
        pv_clipdata *cd = d;
        const pv_clipdata *cs = s;
        size_t n = cs->cbSize >= 4 ? cs->cbSize - 4 : 0;
        return pv_dup((void **)&cd->pClipData, cs->pClipData, n);
    }
    case PV_VARIANT:
        return PropVariantCopy(d, s) == PV_S_OK;
    }
    return true;
}

HRESULT WINAPI PropVariantCopy(pv_propvariant *dst, const pv_propvariant *src)
{
    if (!dst || !src)
        return PV_E_INVALIDARG;
    uint16_t vt = src->vt, t = vt & 0x0fff;
    if (!pv_valid(vt))
        return PV_DISP_E_BADVARTYPE;
    pv_propvariant c = *src;
    bool ok = true;
    if (vt & PV_VECTOR) {
        size_t sz = pv_elem_size(t);
        ok = pv_dup(&c.u.v.elems, src->u.v.elems, (size_t)src->u.v.count * sz);
        uint32_t i = 0;
        for (; ok && c.u.v.elems && i < src->u.v.count; i++)
            ok = pv_copy_elem(t, (uint8_t *)c.u.v.elems + i * sz,
                              (const uint8_t *)src->u.v.elems + i * sz);
        if (!ok && c.u.v.elems) { /* free the elements copied before the one that failed */
            while (i-- > 1)
                pv_free_elem(t, (uint8_t *)c.u.v.elems + (i - 1) * sz);
            CoTaskMemFree(c.u.v.elems);
        }
    } else if (vt & PV_ARRAY) {
        HRESULT hr = src->u.ptr ? SafeArrayCopy(src->u.ptr, &c.u.ptr) : PV_S_OK;
        if (hr < 0)
            return hr;
    } else if (!(vt & PV_BYREF)) {
        switch (t) {
        case PV_DISPATCH: case PV_UNKNOWN: case PV_STREAM: case PV_STREAMED_OBJECT:
        case PV_STORAGE: case PV_STORED_OBJECT:
            pv_unknown_call(src->u.ptr, 1); /* AddRef */
            break;
        case PV_CLSID:
            ok = pv_dup(&c.u.ptr, src->u.ptr, 16);
            break;
        case PV_BSTR: case PV_LPSTR: case PV_LPWSTR:
            ok = pv_copy_elem(t, &c.u.ptr, &src->u.ptr);
            break;
        case PV_BLOB: case PV_BLOB_OBJECT:
            ok = pv_dup(&c.u.v.elems, src->u.v.elems, src->u.v.count);
            break;
        case PV_CF:
            if (src->u.ptr) {
                ok = pv_dup(&c.u.ptr, src->u.ptr, sizeof(pv_clipdata)) &&
                     pv_copy_elem(PV_CF, c.u.ptr, src->u.ptr);
                if (!ok && c.u.ptr)
                    CoTaskMemFree(c.u.ptr);
            }
            break;
        case PV_VERSIONED_STREAM:
            if (src->u.ptr) {
                ok = pv_dup(&c.u.ptr, src->u.ptr, 24);
                void *stream;
                memcpy(&stream, (const uint8_t *)src->u.ptr + 16, sizeof stream);
                if (ok)
                    pv_unknown_call(stream, 1);
            }
            break;
        }
    }
    if (!ok)
        return PV_E_OUTOFMEMORY;
    *dst = c;
    return PV_S_OK;
}
THK_EXPORT(combase, PropVariantCopy, 2);
