/* SPDX-License-Identifier: MIT */
/* oleaut32's SAFEARRAYs: SafeArrayCreate, SafeArrayCreateVector, SafeArrayCreateEx (with an
 * interface's IID), the descriptor and data allocators and destroyers, the bounds and element
 * queries, locking, SafeArrayAccessData, SafeArrayPtrOfIndex, SafeArrayGet/PutElement,
 * SafeArrayCopy, SafeArrayCopyData, SafeArrayRedim, SafeArrayGetVartype and Set/GetIID.
 *
 * As on Windows: the descriptor is preceded by 16 hidden bytes holding the element VARTYPE at
 * -4 (FADF_HAVEVARTYPE) or the interface's IID (FADF_HAVEIID); the bounds are stored with the
 * last dimension first (rgsabound[0] is the rightmost one, the one SafeArrayRedim changes) and
 * the data is column-major (the first index varies fastest); an array holds what its elements
 * point to (BSTRs are copied and freed, interfaces AddRef'd and released, VARIANTs copied and
 * cleared). Memory comes from the COM task allocator; a vector (SafeArrayCreateVector) has its
 * data in the descriptor's own block. Not yet: arrays of VT_RECORD (they need IRecordInfo),
 * SafeArrayCreate(Ex) of them fails. */
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

void *WINAPI CoTaskMemAlloc(SIZE_T size);
void WINAPI CoTaskMemFree(void *p);

#define FADF_AUTO 0x0001
#define FADF_STATIC 0x0002
#define FADF_EMBEDDED 0x0004
#define FADF_FIXEDSIZE 0x0010
#define FADF_RECORD 0x0020
#define FADF_HAVEIID 0x0040
#define FADF_HAVEVARTYPE 0x0080
#define FADF_BSTR 0x0100
#define FADF_UNKNOWN 0x0200
#define FADF_DISPATCH 0x0400
#define FADF_VARIANT 0x0800
#define FADF_CREATEVECTOR 0x2000 /* the data shares the descriptor's block */

#define SA_HIDDEN 16u /* bytes before the descriptor: the IID, or the VARTYPE at -4 */
#define SA_MAX_DIMS 0xffffu

typedef struct {
    uint32_t d1;
    uint16_t d2, d3;
    uint8_t d4[8];
} oa_guid;
static const oa_guid oa_iid_iunknown = {0, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const oa_guid oa_iid_idispatch = {0x20400, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

/* the size of one element of type vt; 0 for a type an array cannot hold */
static uint32_t sa_vt_size(VARTYPE vt)
{
    switch (vt) {
    case VT_I1: case VT_UI1: return 1;
    case VT_BOOL: case VT_I2: case VT_UI2: return 2;
    case VT_I4: case VT_UI4: case VT_R4: case VT_ERROR: case VT_INT: case VT_UINT: return 4;
    case VT_R8: case VT_CY: case VT_DATE: case VT_I8: case VT_UI8: return 8;
    case 37: case 38: return 8; /* VT_INT_PTR, VT_UINT_PTR */
    case VT_BSTR: case VT_DISPATCH: case VT_UNKNOWN: return sizeof(void *);
    case VT_DECIMAL: return 16;
    case VT_VARIANT: return sizeof(VARIANT);
    default: return 0;
    }
}

static char *sa_block(SAFEARRAY *psa)
{
    return (char *)psa - SA_HIDDEN;
}

static void sa_set_features(SAFEARRAY *psa, VARTYPE vt)
{
    if (vt == VT_DISPATCH) {
        psa->fFeatures = FADF_HAVEIID | FADF_DISPATCH;
        memcpy(sa_block(psa), &oa_iid_idispatch, sizeof(oa_guid));
    } else if (vt == VT_UNKNOWN) {
        psa->fFeatures = FADF_HAVEIID | FADF_UNKNOWN;
        memcpy(sa_block(psa), &oa_iid_iunknown, sizeof(oa_guid));
    } else {
        uint32_t v = vt;
        psa->fFeatures = FADF_HAVEVARTYPE;
        memcpy((char *)psa - 4, &v, 4);
        if (vt == VT_BSTR)
            psa->fFeatures |= FADF_BSTR;
        else if (vt == VT_VARIANT)
            psa->fFeatures |= FADF_VARIANT;
    }
}

static size_t sa_cells(const SAFEARRAY *psa)
{
    size_t n = 1;
    for (unsigned i = 0; i < psa->cDims; i++)
        n *= psa->rgsabound[i].cElements;
    return n;
}

/* a descriptor for cDims dimensions, zeroed, with `extra` bytes after it in the same block */
static SAFEARRAY *sa_alloc_descriptor(UINT dims, size_t extra)
{
    size_t size = SA_HIDDEN + offsetof(SAFEARRAY, rgsabound) + dims * sizeof(SAFEARRAYBOUND);
    size = (size + 15) & ~(size_t)15;
    char *blk = CoTaskMemAlloc(size + extra);
    if (!blk)
        return NULL;
    memset(blk, 0, size + extra);
    SAFEARRAY *psa = (SAFEARRAY *)(blk + SA_HIDDEN);
    psa->cDims = (uint16_t)dims;
    return psa;
}

HRESULT WINAPI SafeArrayAllocDescriptor(UINT dims, SAFEARRAY **out)
{
    if (!out)
        return OA_E_INVALIDARG;
    *out = NULL;
    if (!dims || dims > SA_MAX_DIMS)
        return OA_E_INVALIDARG;
    *out = sa_alloc_descriptor(dims, 0);
    return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
}
THK_EXPORT(oleaut32, SafeArrayAllocDescriptor, 2);

HRESULT WINAPI SafeArrayAllocDescriptorEx(VARTYPE vt, UINT dims, SAFEARRAY **out)
{
    uint32_t size = sa_vt_size(vt);
    if (!size)
        return OA_E_INVALIDARG;
    HRESULT hr = SafeArrayAllocDescriptor(dims, out);
    if (hr < 0)
        return hr;
    (*out)->cbElements = size;
    sa_set_features(*out, vt);
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayAllocDescriptorEx, 3);

HRESULT WINAPI SafeArrayAllocData(SAFEARRAY *psa)
{
    if (!psa)
        return OA_E_INVALIDARG;
    size_t bytes = sa_cells(psa) * psa->cbElements;
    void *p = CoTaskMemAlloc(bytes ? bytes : 1);
    if (!p)
        return OA_E_OUTOFMEMORY;
    memset(p, 0, bytes);
    psa->pvData = p;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayAllocData, 1);

static SAFEARRAY *sa_create(VARTYPE vt, UINT dims, const SAFEARRAYBOUND *bounds, const void *iid)
{
    SAFEARRAY *psa;
    if (!bounds || SafeArrayAllocDescriptorEx(vt, dims, &psa) < 0)
        return NULL;
    if (iid && (psa->fFeatures & FADF_HAVEIID))
        memcpy(sa_block(psa), iid, sizeof(oa_guid));
    for (UINT i = 0; i < dims; i++)
        psa->rgsabound[i] = bounds[dims - 1 - i];
    if (SafeArrayAllocData(psa) < 0) {
        CoTaskMemFree(sa_block(psa));
        return NULL;
    }
    return psa;
}

SAFEARRAY *WINAPI SafeArrayCreate(VARTYPE vt, UINT dims, SAFEARRAYBOUND *bounds)
{
    return sa_create(vt, dims, bounds, NULL);
}
THK_EXPORT(oleaut32, SafeArrayCreate, 3);

SAFEARRAY *WINAPI SafeArrayCreateEx(VARTYPE vt, UINT dims, SAFEARRAYBOUND *bounds, void *extra)
{
    return sa_create(vt, dims, bounds, vt == VT_UNKNOWN || vt == VT_DISPATCH ? extra : NULL);
}
THK_EXPORT(oleaut32, SafeArrayCreateEx, 4);

SAFEARRAY *WINAPI SafeArrayCreateVector(VARTYPE vt, LONG lbound, ULONG count)
{
    uint32_t size = sa_vt_size(vt);
    if (!size)
        return NULL;
    SAFEARRAY *psa = sa_alloc_descriptor(1, (size_t)size * count);
    if (!psa)
        return NULL;
    size_t head = (SA_HIDDEN + sizeof(SAFEARRAY) + 15) & ~(size_t)15;
    psa->cbElements = size;
    sa_set_features(psa, vt);
    psa->fFeatures |= FADF_CREATEVECTOR;
    psa->rgsabound[0].cElements = count;
    psa->rgsabound[0].lLbound = lbound;
    psa->pvData = sa_block(psa) + head;
    return psa;
}
THK_EXPORT(oleaut32, SafeArrayCreateVector, 3);

SAFEARRAY *WINAPI SafeArrayCreateVectorEx(VARTYPE vt, LONG lbound, ULONG count, void *extra)
{
    SAFEARRAY *psa = SafeArrayCreateVector(vt, lbound, count);
    if (psa && extra && (psa->fFeatures & FADF_HAVEIID))
        memcpy(sa_block(psa), extra, sizeof(oa_guid));
    return psa;
}
THK_EXPORT(oleaut32, SafeArrayCreateVectorEx, 4);

/* releases what `n` elements at `p` hold (BSTRs, interfaces, VARIANTs) and zeroes them */
static void sa_clear_cells(const SAFEARRAY *psa, char *p, size_t n)
{
    if (psa->fFeatures & FADF_BSTR) {
        for (size_t i = 0; i < n; i++)
            SysFreeString(((BSTR *)p)[i]);
    } else if (psa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
        for (size_t i = 0; i < n; i++) {
            void *unk = ((void **)p)[i];
            if (unk)
                ((uint32_t(WINAPI *)(void *))(*(void ***)unk)[2])(unk);
        }
    } else if (psa->fFeatures & FADF_VARIANT) {
        for (size_t i = 0; i < n; i++)
            VariantClear((VARIANT *)p + i);
    }
    memset(p, 0, n * psa->cbElements);
}

HRESULT WINAPI SafeArrayDestroyData(SAFEARRAY *psa)
{
    if (!psa)
        return OA_E_INVALIDARG;
    if (psa->cLocks)
        return OA_DISP_E_ARRAYISLOCKED;
    if (!psa->pvData)
        return OA_S_OK;
    sa_clear_cells(psa, psa->pvData, sa_cells(psa));
    if (!(psa->fFeatures & (FADF_STATIC | FADF_AUTO | FADF_EMBEDDED | FADF_CREATEVECTOR))) {
        CoTaskMemFree(psa->pvData);
        psa->pvData = NULL;
    }
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayDestroyData, 1);

HRESULT WINAPI SafeArrayDestroyDescriptor(SAFEARRAY *psa)
{
    if (!psa)
        return OA_S_OK;
    if (psa->cLocks)
        return OA_DISP_E_ARRAYISLOCKED;
    CoTaskMemFree(sa_block(psa));
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayDestroyDescriptor, 1);

HRESULT WINAPI SafeArrayDestroy(SAFEARRAY *psa)
{
    if (!psa)
        return OA_S_OK;
    if (psa->cLocks)
        return OA_DISP_E_ARRAYISLOCKED;
    SafeArrayDestroyData(psa);
    return SafeArrayDestroyDescriptor(psa);
}
THK_EXPORT(oleaut32, SafeArrayDestroy, 1);

UINT WINAPI SafeArrayGetDim(SAFEARRAY *psa)
{
    return psa ? psa->cDims : 0;
}
THK_EXPORT(oleaut32, SafeArrayGetDim, 1);

UINT WINAPI SafeArrayGetElemsize(SAFEARRAY *psa)
{
    return psa ? psa->cbElements : 0;
}
THK_EXPORT(oleaut32, SafeArrayGetElemsize, 1);

/* dimension `dim` (1 = the leftmost) of psa, or NULL */
static const SAFEARRAYBOUND *sa_dim(const SAFEARRAY *psa, UINT dim)
{
    return dim && dim <= psa->cDims ? &psa->rgsabound[psa->cDims - dim] : NULL;
}

HRESULT WINAPI SafeArrayGetUBound(SAFEARRAY *psa, UINT dim, LONG *ubound)
{
    if (!psa || !ubound)
        return OA_E_INVALIDARG;
    const SAFEARRAYBOUND *b = sa_dim(psa, dim);
    if (!b)
        return OA_DISP_E_BADINDEX;
    *ubound = (LONG)(b->lLbound + (int64_t)b->cElements - 1);
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayGetUBound, 3);

HRESULT WINAPI SafeArrayGetLBound(SAFEARRAY *psa, UINT dim, LONG *lbound)
{
    if (!psa || !lbound)
        return OA_E_INVALIDARG;
    const SAFEARRAYBOUND *b = sa_dim(psa, dim);
    if (!b)
        return OA_DISP_E_BADINDEX;
    *lbound = b->lLbound;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayGetLBound, 3);

HRESULT WINAPI SafeArrayLock(SAFEARRAY *psa)
{
    if (!psa)
        return OA_E_INVALIDARG;
    if (psa->cLocks >= 0xffff)
        return OA_E_UNEXPECTED;
    __atomic_add_fetch(&psa->cLocks, 1, __ATOMIC_ACQ_REL);
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayLock, 1);

HRESULT WINAPI SafeArrayUnlock(SAFEARRAY *psa)
{
    if (!psa)
        return OA_E_INVALIDARG;
    if (!psa->cLocks)
        return OA_E_UNEXPECTED;
    __atomic_sub_fetch(&psa->cLocks, 1, __ATOMIC_ACQ_REL);
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayUnlock, 1);

HRESULT WINAPI SafeArrayAccessData(SAFEARRAY *psa, void **data)
{
    if (!psa || !data)
        return OA_E_INVALIDARG;
    HRESULT hr = SafeArrayLock(psa);
    *data = hr < 0 ? NULL : psa->pvData;
    return hr;
}
THK_EXPORT(oleaut32, SafeArrayAccessData, 2);

HRESULT WINAPI SafeArrayUnaccessData(SAFEARRAY *psa)
{
    return SafeArrayUnlock(psa);
}
THK_EXPORT(oleaut32, SafeArrayUnaccessData, 1);

HRESULT WINAPI SafeArrayPtrOfIndex(SAFEARRAY *psa, LONG *idx, void **out)
{
    if (!psa || !idx || !out)
        return OA_E_INVALIDARG;
    size_t cell = 0, stride = 1;
    for (UINT d = 1; d <= psa->cDims; d++) { /* the first index varies fastest */
        const SAFEARRAYBOUND *b = sa_dim(psa, d);
        int64_t i = (int64_t)idx[d - 1] - b->lLbound;
        if (i < 0 || i >= (int64_t)b->cElements)
            return OA_DISP_E_BADINDEX;
        cell += (size_t)i * stride;
        stride *= b->cElements;
    }
    *out = (char *)psa->pvData + cell * psa->cbElements;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayPtrOfIndex, 3);

/* copies one element from src to dst (both cells of psa's kind); dst holds nothing */
static HRESULT sa_copy_cell(const SAFEARRAY *psa, void *dst, const void *src)
{
    if (psa->fFeatures & FADF_BSTR) {
        BSTR s = *(BSTR const *)src, d = NULL;
        if (s && !(d = SysAllocStringByteLen((const char *)s, SysStringByteLen(s))))
            return OA_E_OUTOFMEMORY;
        *(BSTR *)dst = d;
    } else if (psa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
        void *unk = *(void *const *)src;
        if (unk)
            ((uint32_t(WINAPI *)(void *))(*(void ***)unk)[1])(unk);
        *(void **)dst = unk;
    } else if (psa->fFeatures & FADF_VARIANT) {
        ((VARIANT *)dst)->vt = VT_EMPTY;
        return VariantCopy(dst, src);
    } else {
        memcpy(dst, src, psa->cbElements);
    }
    return OA_S_OK;
}

HRESULT WINAPI SafeArrayGetElement(SAFEARRAY *psa, LONG *idx, void *out)
{
    void *cell;
    if (!psa || !idx || !out)
        return OA_E_INVALIDARG;
    HRESULT hr = SafeArrayPtrOfIndex(psa, idx, &cell);
    if (hr < 0)
        return hr;
    SafeArrayLock(psa);
    hr = sa_copy_cell(psa, out, cell);
    SafeArrayUnlock(psa);
    return hr;
}
THK_EXPORT(oleaut32, SafeArrayGetElement, 3);

/* pv: the BSTR or interface itself for arrays of those, else a pointer to the value */
HRESULT WINAPI SafeArrayPutElement(SAFEARRAY *psa, LONG *idx, void *pv)
{
    void *cell;
    if (!psa || !idx)
        return OA_E_INVALIDARG;
    HRESULT hr = SafeArrayPtrOfIndex(psa, idx, &cell);
    if (hr < 0)
        return hr;
    if (!pv && !(psa->fFeatures & (FADF_BSTR | FADF_UNKNOWN | FADF_DISPATCH)))
        return OA_E_INVALIDARG;
    SafeArrayLock(psa);
    if (psa->fFeatures & (FADF_BSTR | FADF_UNKNOWN | FADF_DISPATCH)) {
        char tmp[sizeof(void *)];
        hr = sa_copy_cell(psa, tmp, &pv); /* the new one first: it may be the old one */
        if (hr >= 0) {
            sa_clear_cells(psa, cell, 1);
            memcpy(cell, tmp, sizeof tmp);
        }
    } else if (psa->fFeatures & FADF_VARIANT) {
        hr = VariantCopy(cell, pv);
    } else {
        memcpy(cell, pv, psa->cbElements);
    }
    SafeArrayUnlock(psa);
    return hr;
}
THK_EXPORT(oleaut32, SafeArrayPutElement, 3);

HRESULT WINAPI SafeArrayGetVartype(SAFEARRAY *psa, VARTYPE *vt)
{
    if (!psa || !vt)
        return OA_E_INVALIDARG;
    if (psa->fFeatures & FADF_RECORD) {
        *vt = VT_RECORD;
    } else if ((psa->fFeatures & (FADF_HAVEIID | FADF_DISPATCH)) ==
               (FADF_HAVEIID | FADF_DISPATCH)) {
        *vt = VT_DISPATCH;
    } else if (psa->fFeatures & FADF_HAVEIID) {
        *vt = VT_UNKNOWN;
    } else if (psa->fFeatures & FADF_HAVEVARTYPE) {
        uint32_t v;
        memcpy(&v, (char *)psa - 4, 4);
        *vt = (VARTYPE)v;
    } else {
        return OA_E_INVALIDARG;
    }
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayGetVartype, 2);

HRESULT WINAPI SafeArraySetIID(SAFEARRAY *psa, const void *iid)
{
    if (!psa || !iid || !(psa->fFeatures & FADF_HAVEIID))
        return OA_E_INVALIDARG;
    memcpy(sa_block(psa), iid, sizeof(oa_guid));
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArraySetIID, 2);

HRESULT WINAPI SafeArrayGetIID(SAFEARRAY *psa, void *iid)
{
    if (!psa || !iid || !(psa->fFeatures & FADF_HAVEIID))
        return OA_E_INVALIDARG;
    memcpy(iid, sa_block(psa), sizeof(oa_guid));
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayGetIID, 2);

/* deep copy of every cell of src into dst's (empty) data, same shape */
static HRESULT sa_copy_cells(const SAFEARRAY *src, SAFEARRAY *dst)
{
    size_t n = sa_cells(src);
    const char *s = src->pvData;
    char *d = dst->pvData;
    if (!(src->fFeatures & (FADF_BSTR | FADF_UNKNOWN | FADF_DISPATCH | FADF_VARIANT))) {
        memcpy(d, s, n * src->cbElements);
        return OA_S_OK;
    }
    for (size_t i = 0; i < n; i++) {
        HRESULT hr = sa_copy_cell(src, d + i * src->cbElements, s + i * src->cbElements);
        if (hr < 0)
            return hr;
    }
    return OA_S_OK;
}

HRESULT WINAPI SafeArrayCopyData(SAFEARRAY *src, SAFEARRAY *dst)
{
    if (!src || !dst || src->cDims != dst->cDims || src->cbElements != dst->cbElements ||
        !src->pvData || !dst->pvData)
        return OA_E_INVALIDARG;
    for (UINT i = 0; i < src->cDims; i++)
        if (src->rgsabound[i].cElements != dst->rgsabound[i].cElements)
            return OA_E_INVALIDARG;
    sa_clear_cells(dst, dst->pvData, sa_cells(dst));
    return sa_copy_cells(src, dst);
}
THK_EXPORT(oleaut32, SafeArrayCopyData, 2);

HRESULT WINAPI SafeArrayCopy(SAFEARRAY *psa, SAFEARRAY **out)
{
    if (!out)
        return OA_E_INVALIDARG;
    *out = NULL;
    if (!psa)
        return OA_S_OK;
    if (!psa->cbElements || (psa->fFeatures & FADF_RECORD))
        return OA_E_INVALIDARG;
    SAFEARRAY *c = sa_alloc_descriptor(psa->cDims, 0);
    if (!c)
        return OA_E_OUTOFMEMORY;
    memcpy(sa_block(c), sa_block(psa), SA_HIDDEN);
    c->fFeatures = psa->fFeatures & ~(FADF_AUTO | FADF_STATIC | FADF_EMBEDDED | FADF_FIXEDSIZE |
                                      FADF_CREATEVECTOR);
    c->cbElements = psa->cbElements;
    memcpy(c->rgsabound, psa->rgsabound, psa->cDims * sizeof(SAFEARRAYBOUND));
    HRESULT hr = OA_S_OK;
    if (psa->pvData) {
        hr = SafeArrayAllocData(c);
        if (hr >= 0)
            hr = sa_copy_cells(psa, c);
    }
    if (hr < 0) {
        SafeArrayDestroy(c);
        return hr;
    }
    *out = c;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayCopy, 2);

/* changes the last (rightmost) dimension; cells past the new end are released, new cells zero */
HRESULT WINAPI SafeArrayRedim(SAFEARRAY *psa, SAFEARRAYBOUND *bound)
{
    if (!psa || !bound)
        return OA_E_INVALIDARG;
    if (psa->cLocks)
        return OA_DISP_E_ARRAYISLOCKED;
    if (psa->fFeatures & FADF_FIXEDSIZE)
        return OA_E_INVALIDARG;
    size_t old_cells = sa_cells(psa), slab = 1; /* cells per index of the last dimension */
    for (UINT i = 1; i < psa->cDims; i++)
        slab *= psa->rgsabound[i].cElements;
    size_t new_cells = slab * bound->cElements;
    if (new_cells != old_cells) {
        size_t keep = new_cells < old_cells ? new_cells : old_cells;
        char *p = CoTaskMemAlloc(new_cells ? new_cells * psa->cbElements : 1);
        if (!p)
            return OA_E_OUTOFMEMORY;
        memset(p, 0, new_cells * psa->cbElements);
        if (psa->pvData) {
            memcpy(p, psa->pvData, keep * psa->cbElements);
            if (old_cells > keep)
                sa_clear_cells(psa, (char *)psa->pvData + keep * psa->cbElements,
                               old_cells - keep);
            if (!(psa->fFeatures & (FADF_STATIC | FADF_AUTO | FADF_EMBEDDED | FADF_CREATEVECTOR)))
                CoTaskMemFree(psa->pvData);
        }
        psa->pvData = p;
        psa->fFeatures &= (uint16_t)~(FADF_STATIC | FADF_AUTO | FADF_EMBEDDED | FADF_CREATEVECTOR);
    }
    psa->rgsabound[0] = *bound;
    return OA_S_OK;
}
THK_EXPORT(oleaut32, SafeArrayRedim, 2);
