/* oleaut32's SAFEARRAYs as Windows lays them out: SafeArrayCreate's features (FADF_HAVEVARTYPE
 * and the type in the hidden DWORD before the descriptor, FADF_BSTR, FADF_VARIANT, FADF_HAVEIID
 * with IID_IUnknown), the bounds stored last dimension first, column-major data (the first
 * index varies fastest), DISP_E_BADINDEX for a bad dimension or index, locking (a locked array
 * is not destroyed, an unlocked one not unlocked), BSTR and VARIANT elements copied on put and
 * get, SafeArrayCopy's deep copy, SafeArrayRedim of the last dimension, SafeArrayCreateVector,
 * VariantCopy/VariantClear of a VT_ARRAY variant, and what fails (VT_EMPTY, no dimensions). */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

int main(void)
{
    SAFEARRAYBOUND b[2] = {{3, 1}, {2, 10}}; /* dimension 1: 1..3, dimension 2: 10..11 */
    SAFEARRAY *sa = SafeArrayCreate(VT_I4, 2, b);
    LONG lo, hi, idx[2];
    VARTYPE vt;
    HRESULT hr;
    printf("2-D VT_I4: dims %u, elemsize %u, features 0x%x, hidden vt %lu, locks %lu\n",
           SafeArrayGetDim(sa), SafeArrayGetElemsize(sa), sa->fFeatures, ((DWORD *)sa)[-1],
           sa->cLocks);
    printf("stored bounds: [0] %lu from %ld, [1] %lu from %ld\n", sa->rgsabound[0].cElements,
           sa->rgsabound[0].lLbound, sa->rgsabound[1].cElements, sa->rgsabound[1].lLbound);
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    printf("dimension 1: %ld..%ld\n", lo, hi);
    SafeArrayGetLBound(sa, 2, &lo);
    SafeArrayGetUBound(sa, 2, &hi);
    printf("dimension 2: %ld..%ld\n", lo, hi);
    printf("dimension 3: 0x%08lx, dimension 0: 0x%08lx\n", SafeArrayGetUBound(sa, 3, &hi),
           SafeArrayGetLBound(sa, 0, &lo));
    for (idx[0] = 1; idx[0] <= 3; idx[0]++)
        for (idx[1] = 10; idx[1] <= 11; idx[1]++) {
            LONG v = idx[0] * 100 + idx[1];
            SafeArrayPutElement(sa, idx, &v);
        }
    LONG *data;
    SafeArrayAccessData(sa, (void **)&data);
    printf("data:");
    for (int i = 0; i < 6; i++)
        printf(" %ld", data[i]);
    printf(" (locks %lu)\n", sa->cLocks);
    printf("destroy while locked: 0x%08lx\n", SafeArrayDestroy(sa));
    SafeArrayUnaccessData(sa);
    printf("unlock once more: 0x%08lx\n", SafeArrayUnlock(sa));
    idx[0] = 4;
    idx[1] = 10;
    void *p;
    printf("index (4,10): 0x%08lx\n", SafeArrayPtrOfIndex(sa, idx, &p));
    idx[0] = 2;
    idx[1] = 11;
    LONG got = 0;
    SafeArrayGetElement(sa, idx, &got);
    SafeArrayPtrOfIndex(sa, idx, &p);
    printf("element (2,11): %ld, at cell %d\n", got, (int)((LONG *)p - data));
    SafeArrayGetVartype(sa, &vt);
    printf("vartype %u\n", vt);
    printf("destroy: 0x%08lx\n", SafeArrayDestroy(sa));

    SAFEARRAYBOUND one = {2, 0};
    sa = SafeArrayCreate(VT_BSTR, 1, &one);
    SafeArrayGetVartype(sa, &vt);
    printf("VT_BSTR: features 0x%x, vartype %u, elemsize %u\n", sa->fFeatures, vt,
           SafeArrayGetElemsize(sa));
    BSTR s = SysAllocString(L"hello");
    idx[0] = 1;
    SafeArrayPutElement(sa, idx, s);
    BSTR in = ((BSTR *)sa->pvData)[1], out = NULL;
    SafeArrayGetElement(sa, idx, &out);
    printf("put copies: %d, get copies: %d, text %ls\n", in != s, out != in, out);
    SysFreeString(out);
    SAFEARRAY *copy;
    hr = SafeArrayCopy(sa, &copy);
    printf("copy: 0x%08lx, features 0x%x, deep %d, text %ls, empty %p\n", hr, copy->fFeatures,
           ((BSTR *)copy->pvData)[1] != in, ((BSTR *)copy->pvData)[1],
           ((BSTR *)copy->pvData)[0]);
    SafeArrayDestroy(copy);
    SysFreeString(s);

    SAFEARRAYBOUND three = {3, 0};
    printf("redim to 3: 0x%08lx", SafeArrayRedim(sa, &three));
    SafeArrayGetUBound(sa, 1, &hi);
    printf(", ubound %ld, kept %ls, new %p\n", hi, ((BSTR *)sa->pvData)[1],
           ((BSTR *)sa->pvData)[2]);
    SafeArrayDestroy(sa);

    sa = SafeArrayCreate(VT_VARIANT, 1, &one);
    SafeArrayGetVartype(sa, &vt);
    printf("VT_VARIANT: features 0x%x, vartype %u, elemsize %u\n", sa->fFeatures, vt,
           SafeArrayGetElemsize(sa));
    VARIANT v, w;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(L"in a variant");
    idx[0] = 0;
    SafeArrayPutElement(sa, idx, &v);
    VariantClear(&v);
    SafeArrayGetElement(sa, idx, &w);
    printf("variant element: vt %u, %ls\n", w.vt, w.bstrVal);
    VariantClear(&w);

    VariantInit(&v);
    v.vt = VT_ARRAY | VT_VARIANT;
    v.parray = sa;
    VariantInit(&w);
    hr = VariantCopy(&w, &v);
    printf("VariantCopy of an array: 0x%08lx, new array %d, vt 0x%x\n", hr, w.parray != sa, w.vt);
    VARIANT e;
    SafeArrayGetElement(w.parray, idx, &e);
    printf("its element: %ls\n", e.bstrVal);
    VariantClear(&e);
    printf("VariantClear: 0x%08lx 0x%08lx\n", VariantClear(&w), VariantClear(&v));

    sa = SafeArrayCreate(VT_UNKNOWN, 1, &one);
    GUID iid;
    SafeArrayGetIID(sa, &iid);
    SafeArrayGetVartype(sa, &vt);
    printf("VT_UNKNOWN: features 0x%x, vartype %u, IID_IUnknown %d\n", sa->fFeatures, vt,
           IsEqualGUID(&iid, &IID_IUnknown));
    SafeArrayDestroy(sa);

    sa = SafeArrayCreateVector(VT_UI1, 5, 4);
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    printf("vector: dims %u, %ld..%ld, elemsize %u\n", SafeArrayGetDim(sa), lo, hi,
           SafeArrayGetElemsize(sa));
    BYTE by = 7;
    idx[0] = 8;
    SafeArrayPutElement(sa, idx, &by);
    printf("vector data: %u %u %u %u\n", ((BYTE *)sa->pvData)[0], ((BYTE *)sa->pvData)[1],
           ((BYTE *)sa->pvData)[2], ((BYTE *)sa->pvData)[3]);
    SafeArrayDestroy(sa);

    printf("VT_EMPTY: %p, no dimensions: %p\n", SafeArrayCreate(VT_EMPTY, 1, &one),
           SafeArrayCreate(VT_I4, 0, &one));
    printf("destroy NULL: 0x%08lx, dim of NULL: %u\n", SafeArrayDestroy(NULL),
           SafeArrayGetDim(NULL));
    return 0;
}
