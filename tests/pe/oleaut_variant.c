/* oleaut32's BSTRs and VARIANTs as Windows documents them: SysAllocString & co (the 4-byte byte
 * length before the characters, the NUL after them, NULL as the empty string), VariantInit/Clear/
 * Copy/CopyInd (BSTRs copied, interfaces AddRef'd and Released, bad types refused) and
 * VariantChangeType between the scalar types (rounding half to even, overflow, "True"/"-1"), and
 * oleaut32's exports found by their Windows ordinals (2 SysAllocString ... 10 VariantCopy), which
 * MSVC-built programs such as 7-Zip import by number. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>
#include <string.h>

static void show(const char *what, BSTR b)
{
    printf("%s: len %u bytes %u prefix %lu nul %d \"", what, SysStringLen(b), SysStringByteLen(b),
           b ? (unsigned long)((DWORD *)b)[-1] : 0ul, b ? b[SysStringLen(b)] == 0 : -1);
    for (UINT i = 0; b && i < SysStringLen(b); i++)
        putchar(b[i] < 0x80 ? (int)b[i] : '?');
    printf("\"\n");
}

/* a COM object that counts its references */
typedef struct {
    IUnknownVtbl *lpVtbl;
    LONG refs;
} counted;
static HRESULT STDMETHODCALLTYPE c_qi(IUnknown *u, REFIID iid, void **out)
{
    (void)u; (void)iid;
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE c_addref(IUnknown *u) { return ++((counted *)u)->refs; }
static ULONG STDMETHODCALLTYPE c_release(IUnknown *u) { return --((counted *)u)->refs; }
static IUnknownVtbl c_vtbl = {c_qi, c_addref, c_release};

static void change(const char *what, VARIANT *src, USHORT flags, VARTYPE vt)
{
    VARIANT dst;
    VariantInit(&dst);
    HRESULT hr = VariantChangeType(&dst, src, flags, vt);
    printf("%s -> vt %u: hr 0x%08lx", what, vt, (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        printf(" vt %u ", dst.vt);
        switch (dst.vt) {
        case VT_BSTR: show("", dst.bstrVal); break;
        case VT_I2: printf("%d\n", dst.iVal); break;
        case VT_I4: printf("%ld\n", (long)dst.lVal); break;
        case VT_UI1: printf("%u\n", dst.bVal); break;
        case VT_UI4: printf("%lu\n", (unsigned long)dst.ulVal); break;
        case VT_I8: printf("%lld\n", (long long)dst.llVal); break;
        case VT_BOOL: printf("%d\n", dst.boolVal); break;
        case VT_R8: printf("%g\n", dst.dblVal); break;
        default: printf("\n"); break;
        }
    } else {
        printf("\n");
    }
    VariantClear(&dst);
}

int main(void)
{
    /* ---- BSTR ---- */
    BSTR b = SysAllocString(L"hello");
    show("SysAllocString", b);
    printf("SysAllocString(NULL) is NULL: %d, SysStringLen(NULL) %u\n",
           SysAllocString(NULL) == NULL, SysStringLen(NULL));
    BSTR c = SysAllocStringLen(L"abcdef", 3);
    show("SysAllocStringLen 3", c);
    BSTR d = SysAllocStringLen(NULL, 4);
    printf("SysAllocStringLen(NULL, 4): len %u nul %d\n", SysStringLen(d), d[4] == 0);
    BSTR e = SysAllocStringByteLen("abc", 3);
    printf("SysAllocStringByteLen 3: bytes %u len %u \"%s\" %d\n", SysStringByteLen(e),
           SysStringLen(e), (char *)e, ((char *)e)[3] == 0);
    BSTR f = SysAllocStringByteLen(NULL, 5);
    printf("SysAllocStringByteLen(NULL, 5): bytes %u len %u\n", SysStringByteLen(f),
           SysStringLen(f));
    int ok = SysReAllocString(&b, L"a longer string");
    printf("SysReAllocString: %d\n", ok);
    show("  now", b);
    ok = SysReAllocStringLen(&b, b + 2, 6);
    printf("SysReAllocStringLen from itself: %d\n", ok);
    show("  now", b);
    ok = SysReAllocStringLen(&b, NULL, 9);
    printf("SysReAllocStringLen(NULL, 9): %d len %u nul %d\n", ok, SysStringLen(b), b[9] == 0);
    BSTR g = NULL;
    ok = SysReAllocString(&g, L"xy");
    printf("SysReAllocString of NULL: %d\n", ok);
    show("  now", g);
    SysFreeString(NULL);
    SysFreeString(b);
    SysFreeString(c);
    SysFreeString(d);
    SysFreeString(f);
    SysFreeString(g);

    /* ---- VARIANT ---- */
    VARIANT v, w;
    memset(&v, 0xcc, sizeof v);
    VariantInit(&v);
    printf("VariantInit: vt %u\n", v.vt);
    v.vt = VT_BSTR;
    v.bstrVal = e; /* 3 bytes: an odd length survives the copy */
    VariantInit(&w);
    HRESULT hr = VariantCopy(&w, &v);
    printf("VariantCopy BSTR: hr 0x%08lx vt %u same %d bytes %u \"%s\"\n", (unsigned long)hr,
           w.vt, w.bstrVal == v.bstrVal, SysStringByteLen(w.bstrVal), (char *)w.bstrVal);
    hr = VariantClear(&w);
    printf("VariantClear: hr 0x%08lx vt %u\n", (unsigned long)hr, w.vt);
    hr = VariantClear(&v);
    printf("VariantClear: hr 0x%08lx vt %u\n", (unsigned long)hr, v.vt);

    v.vt = VT_I4;
    v.lVal = -7;
    hr = VariantCopy(&w, &v);
    printf("VariantCopy I4: hr 0x%08lx vt %u %ld\n", (unsigned long)hr, w.vt, (long)w.lVal);

    counted obj = {&c_vtbl, 1};
    v.vt = VT_UNKNOWN;
    v.punkVal = (IUnknown *)&obj;
    hr = VariantCopy(&w, &v);
    printf("VariantCopy UNKNOWN: hr 0x%08lx refs %ld\n", (unsigned long)hr, (long)obj.refs);
    VariantClear(&w);
    printf("VariantClear UNKNOWN: refs %ld\n", (long)obj.refs);

    v.vt = VT_VECTOR | VT_I4;
    hr = VariantClear(&v);
    printf("VariantClear VT_VECTOR|VT_I4: hr 0x%08lx vt 0x%x\n", (unsigned long)hr, v.vt);
    v.vt = 15;
    printf("VariantClear vt 15: hr 0x%08lx\n", (unsigned long)VariantClear(&v));
    v.vt = VT_BYREF | VT_EMPTY;
    printf("VariantCopy VT_BYREF|VT_EMPTY: hr 0x%08lx\n", (unsigned long)VariantCopy(&w, &v));

    LONG target = 1234;
    v.vt = VT_BYREF | VT_I4;
    v.plVal = &target;
    hr = VariantCopyInd(&w, &v);
    printf("VariantCopyInd I4: hr 0x%08lx vt %u %ld\n", (unsigned long)hr, w.vt, (long)w.lVal);
    BSTR s = SysAllocString(L"by ref");
    v.vt = VT_BYREF | VT_BSTR;
    v.pbstrVal = &s;
    hr = VariantCopyInd(&w, &v);
    printf("VariantCopyInd BSTR: hr 0x%08lx vt %u same %d ", (unsigned long)hr, w.vt,
           w.bstrVal == s);
    show("", w.bstrVal);
    VariantClear(&w);
    SysFreeString(s);

    /* ---- VariantChangeType ---- */
    v.vt = VT_I4; v.lVal = 42;
    change("I4 42", &v, 0, VT_BSTR);
    v.vt = VT_I4; v.lVal = 300;
    change("I4 300", &v, 0, VT_UI1);
    change("I4 300", &v, 0, VT_I2);
    v.vt = VT_I4; v.lVal = -1;
    change("I4 -1", &v, 0, VT_UI2);
    v.vt = VT_I4; v.lVal = 5;
    change("I4 5", &v, 0, VT_BOOL);
    v.vt = VT_R8; v.dblVal = 2.5;
    change("R8 2.5", &v, 0, VT_I4);
    v.vt = VT_R8; v.dblVal = 3.5;
    change("R8 3.5", &v, 0, VT_I4);
    v.vt = VT_R8; v.dblVal = -2.5;
    change("R8 -2.5", &v, 0, VT_I4);
    v.vt = VT_R8; v.dblVal = 1.5;
    change("R8 1.5", &v, 0, VT_BSTR);
    v.vt = VT_BOOL; v.boolVal = VARIANT_TRUE;
    change("BOOL TRUE", &v, 0, VT_BSTR);
    change("BOOL TRUE", &v, VARIANT_ALPHABOOL, VT_BSTR);
    change("BOOL TRUE", &v, 0, VT_I4);
    v.vt = VT_EMPTY;
    change("EMPTY", &v, 0, VT_I4);
    change("EMPTY", &v, 0, VT_BSTR);
    v.vt = VT_NULL;
    change("NULL", &v, 0, VT_I4);
    v.vt = VT_BSTR; v.bstrVal = SysAllocString(L" 17 ");
    change("BSTR \" 17 \"", &v, 0, VT_I2);
    SysFreeString(v.bstrVal);
    v.bstrVal = SysAllocString(L"abc");
    change("BSTR \"abc\"", &v, 0, VT_I4);
    SysFreeString(v.bstrVal);
    v.bstrVal = SysAllocString(L"True");
    change("BSTR \"True\"", &v, 0, VT_BOOL);
    SysFreeString(v.bstrVal);
    v.bstrVal = SysAllocString(L"-9000000000");
    change("BSTR \"-9000000000\"", &v, 0, VT_I8);
    change("BSTR \"-9000000000\"", &v, 0, VT_I4);
    /* in place: the source's BSTR is freed */
    hr = VariantChangeType(&v, &v, 0, VT_R8);
    printf("in place BSTR -> R8: hr 0x%08lx vt %u %.0f\n", (unsigned long)hr, v.vt, v.dblVal);

    /* ---- ordinals ---- */
    HMODULE oa = GetModuleHandleA("oleaut32.dll");
    static const struct { WORD ord; const char *name; } ords[] = {
        {2, "SysAllocString"}, {3, "SysReAllocString"}, {4, "SysAllocStringLen"},
        {5, "SysReAllocStringLen"}, {6, "SysFreeString"}, {7, "SysStringLen"},
        {8, "VariantInit"}, {9, "VariantClear"}, {10, "VariantCopy"}, {11, "VariantCopyInd"},
        {12, "VariantChangeType"}, {147, "VariantChangeTypeEx"}, {149, "SysStringByteLen"},
        {150, "SysAllocStringByteLen"}};
    for (size_t i = 0; i < sizeof ords / sizeof ords[0]; i++) {
        FARPROC byord = GetProcAddress(oa, (LPCSTR)(ULONG_PTR)ords[i].ord);
        FARPROC byname = GetProcAddress(oa, ords[i].name);
        printf("ordinal %u: %s %s\n", ords[i].ord, ords[i].name,
               byord && byord == byname ? "ok" : "WRONG");
    }
    SetLastError(0);
    FARPROC none = GetProcAddress(oa, (LPCSTR)(ULONG_PTR)1);
    DWORD err = GetLastError();
    printf("ordinal 1: NULL %d error %lu\n", none == NULL, err);
    return 0;
}
