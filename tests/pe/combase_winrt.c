/* combase_winrt: the Windows Runtime's strings and activation as a program finds them by name
 * (combase.dll and the api-ms-win-core-winrt sets, as .NET's runtime does). HSTRINGs:
 * WindowsCreateString (length 0: NULL; NULL characters: E_POINTER; NULL output: E_INVALIDARG),
 * WindowsCreateStringReference (the caller's characters in the caller's header; not
 * NUL-terminated at the length: E_INVALIDARG), WindowsDuplicateString (a reference is copied, an
 * allocated string shared), WindowsGetStringRawBuffer/Len/IsStringEmpty (NULL is ""),
 * WindowsCompareStringOrdinal, WindowsConcatString, WindowsSubstring(WithSpecifiedLength)
 * (past the end: E_BOUNDS), WindowsStringHasEmbeddedNull, WindowsDeleteString. Activation:
 * RoGetActivationFactory and RoActivateInstance of a class nobody registered give
 * REGDB_E_CLASSNOTREG (0x80040154) in the multithreaded apartment.
 * Microsoft's docs for each function; Wine 8.0 prints the same lines. (Not here: a call outside
 * any apartment, CO_E_NOTINITIALIZED by Microsoft's page, which Wine 8.0 answers from the MTA.) */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef struct HSTRING__ *HSTRING;
typedef struct {
    union {
        void *Reserved1;
        char Reserved2[24];
    } Reserved;
} HSTRING_HEADER;

static HRESULT(WINAPI *pCreate)(const WCHAR *, UINT32, HSTRING *);
static HRESULT(WINAPI *pCreateRef)(const WCHAR *, UINT32, HSTRING_HEADER *, HSTRING *);
static HRESULT(WINAPI *pDelete)(HSTRING);
static HRESULT(WINAPI *pDuplicate)(HSTRING, HSTRING *);
static const WCHAR *(WINAPI *pRaw)(HSTRING, UINT32 *);
static UINT32(WINAPI *pLen)(HSTRING);
static BOOL(WINAPI *pEmpty)(HSTRING);
static HRESULT(WINAPI *pCompare)(HSTRING, HSTRING, INT32 *);
static HRESULT(WINAPI *pConcat)(HSTRING, HSTRING, HSTRING *);
static HRESULT(WINAPI *pSub)(HSTRING, UINT32, HSTRING *);
static HRESULT(WINAPI *pSubLen)(HSTRING, UINT32, UINT32, HSTRING *);
static HRESULT(WINAPI *pEmbedded)(HSTRING, BOOL *);
static HRESULT(WINAPI *pRoInit)(int);
static void(WINAPI *pRoUninit)(void);
static HRESULT(WINAPI *pFactory)(HSTRING, REFIID, void **);
static HRESULT(WINAPI *pActivate)(HSTRING, void **);

/* IActivationFactory {00000035-0000-0000-C000-000000000046} */
static const GUID iid_activation_factory = {0x35, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

static void show(const char *what, HSTRING h)
{
    UINT32 n = 12345;
    const WCHAR *p = pRaw(h, &n);
    printf("%s: %s, \"%ls\", length %u (GetStringLen %u), empty %d, NUL-terminated %s\n", what,
           h ? "HSTRING" : "NULL", p, n, pLen(h), pEmpty(h), p[n] == 0 ? "yes" : "no");
}

#define GET(var, mod, name)                                                                \
    do {                                                                                   \
        FARPROC fp_ = GetProcAddress(mod, name);                                           \
        if (!fp_) {                                                                        \
            printf("FAIL: %s not found\n", name);                                          \
            return 1;                                                                      \
        }                                                                                  \
        memcpy(&var, &fp_, sizeof fp_);                                                    \
    } while (0)

/* A result and then what the call left in its output (C leaves the order of a call's arguments
 * open: the call goes first). */
static void said(const char *what, HRESULT hr, const void *out)
{
    printf("%s: 0x%08lx, %s\n", what, (unsigned long)hr, out ? "set" : "NULL");
}

int main(void)
{
    HMODULE cb = LoadLibraryA("combase.dll");
    HMODULE str = LoadLibraryA("api-ms-win-core-winrt-string-l1-1-0.dll");
    HMODULE rt = LoadLibraryA("api-ms-win-core-winrt-l1-1-0.dll");
    printf("combase %s, winrt-string set %s, winrt set %s\n", cb ? "loaded" : "missing",
           str ? "loaded" : "missing", rt ? "loaded" : "missing");
    if (!cb || !str || !rt)
        return 1;
    GET(pCreate, str, "WindowsCreateString");
    GET(pCreateRef, str, "WindowsCreateStringReference");
    GET(pDelete, str, "WindowsDeleteString");
    GET(pDuplicate, str, "WindowsDuplicateString");
    GET(pRaw, str, "WindowsGetStringRawBuffer");
    GET(pLen, str, "WindowsGetStringLen");
    GET(pEmpty, str, "WindowsIsStringEmpty");
    GET(pCompare, str, "WindowsCompareStringOrdinal");
    GET(pConcat, str, "WindowsConcatString");
    GET(pSub, str, "WindowsSubstring");
    GET(pSubLen, str, "WindowsSubstringWithSpecifiedLength");
    GET(pEmbedded, str, "WindowsStringHasEmbeddedNull");
    GET(pRoInit, rt, "RoInitialize");
    GET(pRoUninit, rt, "RoUninitialize");
    GET(pFactory, rt, "RoGetActivationFactory");
    GET(pActivate, rt, "RoActivateInstance");

    printf("-- WindowsCreateString\n");
    HSTRING h = (HSTRING)0x1, e = (HSTRING)0x1;
    printf("\"hello\", 5: 0x%08lx\n", (unsigned long)pCreate(L"hello", 5, &h));
    show("hello", h);
    HRESULT hr = pCreate(NULL, 0, &e);
    said("NULL, 0", hr, e);
    show("empty", e);
    HSTRING x = (HSTRING)0x1;
    hr = pCreate(L"x", 0, &x);
    said("\"x\", 0", hr, x);
    printf("NULL, 3: 0x%08lx\n", (unsigned long)pCreate(NULL, 3, &x));
    printf("no output: 0x%08lx\n", (unsigned long)pCreate(L"x", 1, NULL));
    HSTRING part;
    printf("\"hello\", 2: 0x%08lx\n", (unsigned long)pCreate(L"hello", 2, &part));
    show("he", part);

    printf("-- WindowsCreateStringReference\n");
    static const WCHAR lit[] = L"reference";
    HSTRING_HEADER hdr, hdr2;
    HSTRING r = NULL, bad = (HSTRING)0x1;
    printf("\"reference\", 9: 0x%08lx\n", (unsigned long)pCreateRef(lit, 9, &hdr, &r));
    show("reference", r);
    printf("its characters are the caller's: %s\n", pRaw(r, NULL) == lit ? "yes" : "no");
    printf("not NUL-terminated at 3: 0x%08lx\n", (unsigned long)pCreateRef(lit, 3, &hdr2, &bad));
    printf("no header: 0x%08lx\n", (unsigned long)pCreateRef(lit, 9, NULL, &bad));

    printf("-- WindowsDuplicateString\n");
    HSTRING d1 = NULL, d2 = NULL, d3 = (HSTRING)0x1;
    hr = pDuplicate(r, &d1);
    printf("of the reference: 0x%08lx, a copy: %s\n", (unsigned long)hr,
           d1 && d1 != r && pRaw(d1, NULL) != lit ? "yes" : "no");
    show("copy", d1);
    hr = pDuplicate(h, &d2);
    printf("of an allocated string: 0x%08lx, the same HSTRING: %s\n", (unsigned long)hr,
           d2 == h ? "yes" : "no");
    hr = pDuplicate(NULL, &d3);
    said("of NULL", hr, d3);
    pDelete(d2); /* h is still referenced once */
    show("hello after one delete", h);

    printf("-- WindowsCompareStringOrdinal\n");
    HSTRING abc, abd, ab;
    pCreate(L"abc", 3, &abc);
    pCreate(L"abd", 3, &abd);
    pCreate(L"ab", 2, &ab);
    INT32 c = 99;
    pCompare(abc, abd, &c);
    printf("abc abd: %d\n", c);
    pCompare(abd, abc, &c);
    printf("abd abc: %d\n", c);
    pCompare(ab, abc, &c);
    printf("ab abc: %d\n", c);
    pCompare(abc, abc, &c);
    printf("abc abc: %d\n", c);
    pCompare(NULL, e, &c);
    printf("NULL empty: %d\n", c);
    printf("no result: 0x%08lx\n", (unsigned long)pCompare(abc, abd, NULL));

    printf("-- WindowsConcatString, WindowsSubstring\n");
    HSTRING cat = NULL, s = NULL;
    printf("hello + reference: 0x%08lx\n", (unsigned long)pConcat(h, r, &cat));
    show("concat", cat);
    HSTRING none = (HSTRING)0x1;
    hr = pConcat(NULL, NULL, &none);
    said("NULL + NULL", hr, none);
    printf("Substring(hello, 1): 0x%08lx\n", (unsigned long)pSub(h, 1, &s));
    show("ello", s);
    pDelete(s);
    s = (HSTRING)0x1;
    hr = pSub(h, 5, &s);
    said("Substring(hello, 5)", hr, s);
    printf("Substring(hello, 6): 0x%08lx\n", (unsigned long)pSub(h, 6, &s));
    printf("SubstringWithSpecifiedLength(hello, 1, 3): 0x%08lx\n", (unsigned long)pSubLen(h, 1, 3, &s));
    show("ell", s);
    pDelete(s);
    printf("SubstringWithSpecifiedLength(hello, 3, 3): 0x%08lx\n",
           (unsigned long)pSubLen(h, 3, 3, &s));

    HSTRING z;
    BOOL has = 7;
    pCreate(L"a\0b", 3, &z);
    pEmbedded(z, &has);
    printf("embedded NUL in \"a\\0b\": %d", has);
    pEmbedded(h, &has);
    printf(", in hello: %d\n", has);

    printf("WindowsDeleteString: 0x%08lx 0x%08lx 0x%08lx\n", (unsigned long)pDelete(h),
           (unsigned long)pDelete(r), (unsigned long)pDelete(NULL));
    pDelete(d1);
    pDelete(part);
    pDelete(abc);
    pDelete(abd);
    pDelete(ab);
    pDelete(cat);
    pDelete(z);

    printf("-- activation\n");
    printf("RoInitialize(MULTITHREADED): 0x%08lx\n", (unsigned long)pRoInit(1));
    HSTRING cls;
    pCreate(L"Ntrun.Tests.NoSuchClass", 23, &cls);
    void *f = (void *)0x1, *inst = (void *)0x1;
    /* (what the output holds then is not printed: Wine 8.0 leaves it alone, ntrun sets NULL) */
    printf("RoGetActivationFactory: 0x%08lx\n",
           (unsigned long)pFactory(cls, &iid_activation_factory, &f));
    printf("RoActivateInstance: 0x%08lx\n", (unsigned long)pActivate(cls, &inst));
    pDelete(cls);
    pRoUninit();
    return 0;
}
