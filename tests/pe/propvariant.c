/* propvariant: ole32's PROPVARIANT functions. PropVariantClear frees what the value owns by
 * its type and zeroes all 24 bytes (NULL: S_OK; a type no PROPVARIANT holds:
 * STG_E_INVALIDPARAMETER); an interface is Released (a counting object of the test's own).
 * PropVariantCopy copies deeply: strings, CLSIDs, BSTRs and blobs into new memory, vectors element by element (nested PROPVARIANTs too), an interface
 * AddRef'd; a type no PROPVARIANT holds is DISP_E_BADVARTYPE and the destination is left alone.
 * FreePropVariantArray clears each (NULL array: E_INVALIDARG). The memory is CoTaskMemAlloc's,
 * as the functions require. Microsoft's PropVariantClear/PropVariantCopy/FreePropVariantArray
 * pages; Wine 8.0 prints the same lines. (Not here: VT_BYREF values, which Wine 8.0's Clear
 * refuses as invalid and ntrun's takes as owning nothing; a BSTR with an embedded NUL, which
 * Wine's Copy cuts at the NUL and ntrun's copies whole.) */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <propidl.h>

typedef struct {
    IUnknown iface;
    LONG refs;
} counted;

static HRESULT WINAPI qi(IUnknown *This, REFIID riid, void **out)
{
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI addref(IUnknown *This) { return ++((counted *)This)->refs; }
static ULONG WINAPI release(IUnknown *This) { return --((counted *)This)->refs; }
static IUnknownVtbl counted_vtbl = {qi, addref, release};

static WCHAR *co_wcs(const WCHAR *s)
{
    WCHAR *p = CoTaskMemAlloc((wcslen(s) + 1) * sizeof(WCHAR));
    wcscpy(p, s);
    return p;
}

static char *co_str(const char *s)
{
    char *p = CoTaskMemAlloc(strlen(s) + 1);
    strcpy(p, s);
    return p;
}

static int all_zero(const PROPVARIANT *pv)
{
    static const BYTE zero[sizeof(PROPVARIANT)];
    return !memcmp(pv, zero, sizeof *pv);
}

static void clear(const char *what, PROPVARIANT *pv)
{
    HRESULT hr = PropVariantClear(pv);
    printf("Clear %s: 0x%08lx, zeroed %s\n", what, (unsigned long)hr, all_zero(pv) ? "yes" : "no");
}

int main(void)
{
    printf("sizeof(PROPVARIANT) %u\n", (unsigned)sizeof(PROPVARIANT));
    printf("Clear NULL: 0x%08lx\n", (unsigned long)PropVariantClear(NULL));
    PROPVARIANT pv, cp;
    counted obj = {{&counted_vtbl}, 1};

    memset(&pv, 0, sizeof pv);
    pv.vt = VT_LPWSTR;
    pv.pwszVal = co_wcs(L"wide");
    clear("VT_LPWSTR", &pv);
    pv.vt = VT_BSTR;
    pv.bstrVal = SysAllocString(L"bstr");
    clear("VT_BSTR", &pv);
    pv.vt = VT_UNKNOWN;
    pv.punkVal = &obj.iface;
    obj.refs = 2;
    clear("VT_UNKNOWN", &pv);
    printf("  object's count 2 -> %ld\n", obj.refs);
    pv.vt = VT_VECTOR | VT_LPWSTR;
    pv.calpwstr.cElems = 2;
    pv.calpwstr.pElems = CoTaskMemAlloc(2 * sizeof(WCHAR *));
    pv.calpwstr.pElems[0] = co_wcs(L"one");
    pv.calpwstr.pElems[1] = co_wcs(L"two");
    clear("VT_VECTOR|VT_LPWSTR", &pv);
    pv.vt = VT_I4;
    pv.lVal = 42;
    clear("VT_I4", &pv);
    pv.vt = VT_VOID;
    printf("Clear VT_VOID: 0x%08lx\n", (unsigned long)PropVariantClear(&pv));
    pv.vt = 0x7fff;
    printf("Clear 0x7fff: 0x%08lx\n", (unsigned long)PropVariantClear(&pv));

    printf("-- PropVariantCopy\n");
    memset(&pv, 0, sizeof pv);
    pv.vt = VT_LPWSTR;
    pv.pwszVal = co_wcs(L"copy me");
    HRESULT hr = PropVariantCopy(&cp, &pv);
    printf("VT_LPWSTR: 0x%08lx, vt %u, \"%ls\", new memory %s\n", (unsigned long)hr, cp.vt,
           cp.pwszVal, cp.pwszVal != pv.pwszVal ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    pv.vt = VT_BSTR;
    pv.bstrVal = SysAllocString(L"bstr value");
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_BSTR: 0x%08lx, \"%ls\" length %u, new %s\n", (unsigned long)hr, cp.bstrVal,
           SysStringLen(cp.bstrVal), cp.bstrVal != pv.bstrVal ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    static const CLSID clsid = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};
    pv.vt = VT_CLSID;
    pv.puuid = CoTaskMemAlloc(sizeof(CLSID));
    *pv.puuid = clsid;
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_CLSID: 0x%08lx, equal %s, new %s\n", (unsigned long)hr,
           IsEqualGUID(cp.puuid, &clsid) ? "yes" : "no", cp.puuid != pv.puuid ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    pv.vt = VT_BLOB;
    pv.blob.cbSize = 5;
    pv.blob.pBlobData = CoTaskMemAlloc(5);
    memcpy(pv.blob.pBlobData, "\x01\x02\x03\x04\x05", 5);
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_BLOB: 0x%08lx, size %lu, same bytes %s, new %s\n", (unsigned long)hr,
           cp.blob.cbSize, !memcmp(cp.blob.pBlobData, pv.blob.pBlobData, 5) ? "yes" : "no",
           cp.blob.pBlobData != pv.blob.pBlobData ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    obj.refs = 1;
    pv.vt = VT_UNKNOWN;
    pv.punkVal = &obj.iface;
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_UNKNOWN: 0x%08lx, same object %s, count %ld\n", (unsigned long)hr,
           cp.punkVal == &obj.iface ? "yes" : "no", obj.refs);
    PropVariantClear(&cp);
    printf("  after clearing the copy: %ld\n", obj.refs);

    pv.vt = VT_VECTOR | VT_LPSTR;
    pv.calpstr.cElems = 2;
    pv.calpstr.pElems = CoTaskMemAlloc(2 * sizeof(char *));
    pv.calpstr.pElems[0] = co_str("alpha");
    pv.calpstr.pElems[1] = co_str("beta");
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_VECTOR|VT_LPSTR: 0x%08lx, %lu elements \"%s\" \"%s\", new array %s, new strings %s\n",
           (unsigned long)hr, cp.calpstr.cElems, cp.calpstr.pElems[0], cp.calpstr.pElems[1],
           cp.calpstr.pElems != pv.calpstr.pElems ? "yes" : "no",
           cp.calpstr.pElems[0] != pv.calpstr.pElems[0] ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    pv.vt = VT_VECTOR | VT_VARIANT;
    pv.capropvar.cElems = 2;
    pv.capropvar.pElems = CoTaskMemAlloc(2 * sizeof(PROPVARIANT));
    memset(pv.capropvar.pElems, 0, 2 * sizeof(PROPVARIANT));
    pv.capropvar.pElems[0].vt = VT_I4;
    pv.capropvar.pElems[0].lVal = -7;
    pv.capropvar.pElems[1].vt = VT_LPWSTR;
    pv.capropvar.pElems[1].pwszVal = co_wcs(L"inner");
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_VECTOR|VT_VARIANT: 0x%08lx, %ld, \"%ls\", inner string new %s\n", (unsigned long)hr,
           cp.capropvar.pElems[0].lVal, cp.capropvar.pElems[1].pwszVal,
           cp.capropvar.pElems[1].pwszVal != pv.capropvar.pElems[1].pwszVal ? "yes" : "no");
    PropVariantClear(&cp);
    PropVariantClear(&pv);

    memset(&cp, 0, sizeof cp);
    cp.vt = VT_I2;
    cp.iVal = 3;
    pv.vt = VT_VOID;
    hr = PropVariantCopy(&cp, &pv);
    printf("VT_VOID: 0x%08lx, destination left alone %s\n", (unsigned long)hr,
           cp.vt == VT_I2 && cp.iVal == 3 ? "yes" : "no");

    printf("-- FreePropVariantArray\n");
    PROPVARIANT arr[2];
    memset(arr, 0, sizeof arr);
    arr[0].vt = VT_LPWSTR;
    arr[0].pwszVal = co_wcs(L"x");
    arr[1].vt = VT_R8;
    arr[1].dblVal = 1.5;
    hr = FreePropVariantArray(2, arr);
    printf("2 values: 0x%08lx, zeroed %s %s\n", (unsigned long)hr, all_zero(&arr[0]) ? "yes" : "no",
           all_zero(&arr[1]) ? "yes" : "no");
    printf("NULL: 0x%08lx\n", (unsigned long)FreePropVariantArray(1, NULL));
    return 0;
}
