/* oleaut_error_info: the thread's error object, oleaut32 SetErrorInfo/GetErrorInfo (CoreCLR
 * clears it with SetErrorInfo(0, NULL) around its calls out: tests/corpus3p's dotnet_* tasks).
 * Two IErrorInfo objects of the test's own count their references: none set at first
 * (GetErrorInfo: S_FALSE, NULL); SetErrorInfo references the new object and releases the one it
 * replaces; GetErrorInfo hands the reference over and leaves none behind; SetErrorInfo(0, NULL)
 * releases the object held; the error object is per thread (another thread sees none, and its
 * own does not replace this one's); a reserved argument other than 0 and a NULL output are
 * E_INVALIDARG. Without CoInitialize, as CoreCLR calls them.
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <windows.h>
#include <oleauto.h>

typedef struct {
    IErrorInfo iface;
    LONG refs;
    const char *name;
} err_obj;

static HRESULT WINAPI qi(IErrorInfo *This, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IErrorInfo)) {
        *out = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI addref(IErrorInfo *This) { return ++((err_obj *)This)->refs; }
static ULONG WINAPI release(IErrorInfo *This) { return --((err_obj *)This)->refs; }
static HRESULT WINAPI get_guid(IErrorInfo *This, GUID *g) { *g = GUID_NULL; return S_OK; }
static HRESULT WINAPI get_source(IErrorInfo *This, BSTR *s) { *s = NULL; return E_NOTIMPL; }
static HRESULT WINAPI get_description(IErrorInfo *This, BSTR *s)
{
    *s = SysAllocString(L"it failed");
    return S_OK;
}
static HRESULT WINAPI get_help_file(IErrorInfo *This, BSTR *s) { *s = NULL; return E_NOTIMPL; }
static HRESULT WINAPI get_help_context(IErrorInfo *This, DWORD *c) { *c = 0; return E_NOTIMPL; }

static IErrorInfoVtbl vtbl = {qi, addref, release, get_guid, get_source, get_description,
                              get_help_file, get_help_context};
static err_obj a = {{&vtbl}, 1, "a"}, b = {{&vtbl}, 1, "b"};

static const char *name(IErrorInfo *p)
{
    return !p ? "NULL" : p == &a.iface ? "a" : p == &b.iface ? "b" : "another";
}

static DWORD WINAPI other_thread(void *arg)
{
    IErrorInfo *p = (IErrorInfo *)0x1;
    HRESULT hr = GetErrorInfo(0, &p);
    printf("other thread: GetErrorInfo 0x%08lx %s\n", (unsigned long)hr, name(p));
    hr = SetErrorInfo(0, &b.iface);
    printf("other thread: SetErrorInfo(b) 0x%08lx, refs b %ld\n", (unsigned long)hr, b.refs);
    return 0;
}

int main(void)
{
    IErrorInfo *p = (IErrorInfo *)0x1;
    HRESULT hr = GetErrorInfo(0, &p);
    printf("none set: GetErrorInfo 0x%08lx %s\n", (unsigned long)hr, name(p));
    hr = SetErrorInfo(1, &a.iface);
    printf("SetErrorInfo reserved 1: 0x%08lx, refs a %ld\n", (unsigned long)hr, a.refs);
    hr = SetErrorInfo(0, &a.iface);
    printf("SetErrorInfo(a): 0x%08lx, refs a %ld\n", (unsigned long)hr, a.refs);
    hr = SetErrorInfo(0, &b.iface);
    printf("SetErrorInfo(b): 0x%08lx, refs a %ld b %ld\n", (unsigned long)hr, a.refs, b.refs);

    HANDLE t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);

    hr = GetErrorInfo(0, &p);
    printf("GetErrorInfo: 0x%08lx %s, refs a %ld b %ld\n", (unsigned long)hr, name(p), a.refs,
           b.refs);
    if (p) {
        BSTR d = NULL;
        p->lpVtbl->GetDescription(p, &d);
        printf("  its description: %ls\n", d ? d : L"(none)");
        SysFreeString(d);
        p->lpVtbl->Release(p);
    }
    p = (IErrorInfo *)0x1;
    hr = GetErrorInfo(0, &p);
    printf("again: GetErrorInfo 0x%08lx %s\n", (unsigned long)hr, name(p));
    hr = SetErrorInfo(0, &a.iface);
    printf("SetErrorInfo(a): 0x%08lx, refs a %ld\n", (unsigned long)hr, a.refs);
    hr = SetErrorInfo(0, NULL);
    printf("SetErrorInfo(NULL): 0x%08lx, refs a %ld\n", (unsigned long)hr, a.refs);
    hr = GetErrorInfo(0, &p);
    printf("cleared: GetErrorInfo 0x%08lx %s\n", (unsigned long)hr, name(p));
    hr = GetErrorInfo(0, NULL);
    printf("GetErrorInfo(0, NULL): 0x%08lx\n", (unsigned long)hr);
    hr = GetErrorInfo(1, &p);
    printf("GetErrorInfo reserved 1: 0x%08lx\n", (unsigned long)hr);
    return 0;
}
