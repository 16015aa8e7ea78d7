/* COM in-process servers as Windows runs them: comsrv.dll (tests/pe/dlls) registered under
 * HKCU\Software\Classes (CLSID\{...}\InprocServer32 with ThreadingModel Apartment, a ProgID both
 * ways) is loaded by the first CoCreateInstance, not before; CLSIDFromProgID/ProgIDFromCLSID
 * read the registration; CoGetClassObject gives its IClassFactory; the factory's refusal of
 * aggregation and of an unknown interface comes back with a NULL output; CLSCTX_LOCAL_SERVER
 * alone finds no server (REGDB_E_CLASSNOTREG); a registered DLL that is missing gives
 * HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND); CoFreeUnusedLibraries leaves the DLL while the
 * factory is locked and unloads it once nothing is alive; CoRegisterClassObject makes a class of
 * the program's own, CoRevokeClassObject takes it away (a second revoke E_INVALIDARG); a thread
 * outside any apartment gets CO_E_NOTINITIALIZED. */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <stdio.h>

static const GUID clsid_counter = {0x4e7a1c52, 0x93b0, 0x4d1e,
                                   {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};
static const GUID iid_counter = {0x4e7a1c53, 0x93b0, 0x4d1e,
                                 {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};
static const GUID clsid_missing = {0x4e7a1c54, 0x93b0, 0x4d1e,
                                   {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};
static const GUID clsid_local = {0x4e7a1c55, 0x93b0, 0x4d1e,
                                 {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};
#define CLSID_COUNTER_STR L"{4E7A1C52-93B0-4D1E-A6F2-5C0D8E31B7A4}"
#define CLSID_MISSING_STR L"{4E7A1C54-93B0-4D1E-A6F2-5C0D8E31B7A4}"
#define PROGID L"NtrunTest.ComInproc.1"

typedef struct counter counter;
typedef struct {
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(counter *, REFIID, void **);
    ULONG(STDMETHODCALLTYPE *AddRef)(counter *);
    ULONG(STDMETHODCALLTYPE *Release)(counter *);
    HRESULT(STDMETHODCALLTYPE *Add)(counter *, int);
    HRESULT(STDMETHODCALLTYPE *Get)(counter *, int *);
} counter_vtbl;
struct counter {
    const counter_vtbl *vtbl;
};

/* The program's own class object (CoRegisterClassObject): CreateInstance hands out itself. */
static LONG local_refs = 1;
static HRESULT STDMETHODCALLTYPE local_qi(IClassFactory *f, REFIID iid, void **out)
{
    if (IsEqualGUID(iid, &IID_IUnknown) || IsEqualGUID(iid, &IID_IClassFactory)) {
        *out = f;
        InterlockedIncrement(&local_refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE local_addref(IClassFactory *f) { (void)f; return InterlockedIncrement(&local_refs); }
static ULONG STDMETHODCALLTYPE local_release(IClassFactory *f) { (void)f; return InterlockedDecrement(&local_refs); }
static HRESULT STDMETHODCALLTYPE local_create(IClassFactory *f, IUnknown *outer, REFIID iid, void **out)
{
    (void)outer;
    return local_qi(f, iid, out);
}
static HRESULT STDMETHODCALLTYPE local_lock(IClassFactory *f, BOOL lock) { (void)f; (void)lock; return S_OK; }
static IClassFactoryVtbl local_methods = {local_qi, local_addref, local_release, local_create, local_lock};
static IClassFactory local_factory = {&local_methods};

static void set_string(const wchar_t *key, const wchar_t *name, const wchar_t *value)
{
    HKEY k;
    LONG r = RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_SET_VALUE, NULL, &k, NULL);
    if (r == ERROR_SUCCESS) {
        r = RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)value,
                           (DWORD)((wcslen(value) + 1) * sizeof(wchar_t)));
        RegCloseKey(k);
    }
    if (r != ERROR_SUCCESS)
        printf("registering %ls failed: %ld\n", key, r);
}

static void unregister(void)
{
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\Classes\\CLSID\\" CLSID_COUNTER_STR);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\Classes\\CLSID\\" CLSID_MISSING_STR);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\Classes\\" PROGID);
}

static DWORD WINAPI no_apartment(void *arg)
{
    (void)arg;
    void *obj = (void *)1;
    HRESULT hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, &iid_counter, &obj);
    printf("thread outside any apartment: CoCreateInstance 0x%08lx NULL %d\n", (unsigned long)hr,
           obj == NULL);
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    printf("  CoInitializeEx MTA 0x%08lx, STA then 0x%08lx\n", (unsigned long)hr,
           (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    CoUninitialize();
    return 0;
}

int main(void)
{
    wchar_t dll[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, dll, MAX_PATH);
    while (n && dll[n - 1] != L'\\')
        n--;
    wcscpy(dll + n, L"comsrv.dll");

    unregister();
    set_string(L"Software\\Classes\\CLSID\\" CLSID_COUNTER_STR L"\\InprocServer32", NULL, dll);
    set_string(L"Software\\Classes\\CLSID\\" CLSID_COUNTER_STR L"\\InprocServer32",
               L"ThreadingModel", L"Apartment");
    set_string(L"Software\\Classes\\CLSID\\" CLSID_COUNTER_STR L"\\ProgID", NULL, PROGID);
    set_string(L"Software\\Classes\\" PROGID L"\\CLSID", NULL, CLSID_COUNTER_STR);
    set_string(L"Software\\Classes\\CLSID\\" CLSID_MISSING_STR L"\\InprocServer32", NULL,
               L"C:\\no\\such\\dir\\nosuch_comsrv.dll");

    HANDLE t = CreateThread(NULL, 0, no_apartment, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);

    printf("CoInitializeEx STA: 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));

    CLSID c1;
    HRESULT hr = CLSIDFromProgID(PROGID, &c1);
    printf("CLSIDFromProgID: 0x%08lx same %d\n", (unsigned long)hr, IsEqualGUID(&c1, &clsid_counter));
    hr = CLSIDFromProgID(L"NtrunTest.NoSuchProgID", &c1);
    printf("CLSIDFromProgID unknown: 0x%08lx null %d\n", (unsigned long)hr, IsEqualGUID(&c1, &GUID_NULL));
    LPOLESTR progid = NULL;
    hr = ProgIDFromCLSID(&clsid_counter, &progid);
    printf("ProgIDFromCLSID: 0x%08lx %ls\n", (unsigned long)hr, progid ? progid : L"(null)");
    CoTaskMemFree(progid);
    progid = (LPOLESTR)1;
    hr = ProgIDFromCLSID(&clsid_local, &progid);
    printf("ProgIDFromCLSID unregistered: 0x%08lx NULL %d\n", (unsigned long)hr, progid == NULL);
    wchar_t s[40];
    printf("StringFromGUID2: %d %ls, short buffer %d\n", StringFromGUID2(&clsid_counter, s, 40), s,
           StringFromGUID2(&clsid_counter, s, 38));
    hr = CLSIDFromString(CLSID_COUNTER_STR, &c1);
    printf("CLSIDFromString: 0x%08lx same %d\n", (unsigned long)hr, IsEqualGUID(&c1, &clsid_counter));
    hr = CLSIDFromString(PROGID, &c1);
    printf("CLSIDFromString(ProgID): 0x%08lx same %d\n", (unsigned long)hr, IsEqualGUID(&c1, &clsid_counter));
    hr = CLSIDFromString(L"{4E7A1C52-93B0-4D1E-A6F2-5C0D8E31B7A}", &c1);
    printf("CLSIDFromString short: 0x%08lx\n", (unsigned long)hr);

    printf("comsrv.dll loaded before: %d\n", GetModuleHandleW(L"comsrv.dll") != NULL);
    counter *c = NULL;
    hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, &iid_counter, (void **)&c);
    printf("CoCreateInstance: 0x%08lx, comsrv.dll loaded %d\n", (unsigned long)hr,
           GetModuleHandleW(L"comsrv.dll") != NULL);
    if (c) {
        int v = -1;
        c->vtbl->Add(c, 40);
        c->vtbl->Add(c, 2);
        c->vtbl->Get(c, &v);
        printf("  Add 40, Add 2, Get: %d\n", v);
    }
    HRESULT (WINAPI *can_unload)(void) = (HRESULT (WINAPI *)(void))(void *)GetProcAddress(
        GetModuleHandleW(L"comsrv.dll"), "DllCanUnloadNow");

    void *obj = (void *)1;
    hr = CoCreateInstance(&clsid_counter, (IUnknown *)c, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("aggregated: 0x%08lx NULL %d\n", (unsigned long)hr, obj == NULL);
    obj = (void *)1;
    hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, &IID_IDispatch, &obj);
    printf("IDispatch: 0x%08lx NULL %d\n", (unsigned long)hr, obj == NULL);
    obj = (void *)1;
    hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_LOCAL_SERVER, &iid_counter, &obj);
    printf("CLSCTX_LOCAL_SERVER only: 0x%08lx NULL %d\n", (unsigned long)hr, obj == NULL);
    obj = (void *)1;
    hr = CoCreateInstance(&clsid_missing, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("missing server DLL: 0x%08lx NULL %d\n", (unsigned long)hr, obj == NULL);
    hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, &iid_counter, NULL);
    printf("NULL output: 0x%08lx\n", (unsigned long)hr);

    MULTI_QI mqi[2] = {{&iid_counter, NULL, 0}, {&IID_IDispatch, NULL, 0}};
    hr = CoCreateInstanceEx(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, NULL, 2, mqi);
    printf("CoCreateInstanceEx: 0x%08lx [0x%08lx %d] [0x%08lx %d]\n", (unsigned long)hr,
           (unsigned long)mqi[0].hr, mqi[0].pItf != NULL, (unsigned long)mqi[1].hr,
           mqi[1].pItf != NULL);
    if (mqi[0].pItf)
        IUnknown_Release(mqi[0].pItf);

    IClassFactory *f = NULL;
    hr = CoGetClassObject(&clsid_counter, CLSCTX_INPROC_SERVER, NULL, &IID_IClassFactory, (void **)&f);
    printf("CoGetClassObject: 0x%08lx\n", (unsigned long)hr);
    hr = CoGetClassObject(&clsid_counter, CLSCTX_INPROC_SERVER, NULL, &IID_IClassFactory, NULL);
    printf("CoGetClassObject NULL output: 0x%08lx\n", (unsigned long)hr);
    if (f) {
        counter *c2 = NULL;
        hr = IClassFactory_CreateInstance(f, NULL, &iid_counter, (void **)&c2);
        printf("  IClassFactory::CreateInstance: 0x%08lx\n", (unsigned long)hr);
        if (c2)
            c2->vtbl->Release(c2);
        IClassFactory_LockServer(f, TRUE);
        IClassFactory_Release(f);
    }
    if (c)
        c->vtbl->Release(c);
    CoFreeUnusedLibraries();
    printf("locked: DllCanUnloadNow 0x%08lx, after CoFreeUnusedLibraries loaded %d\n",
           (unsigned long)(can_unload ? can_unload() : -1), GetModuleHandleW(L"comsrv.dll") != NULL);
    if (f)
        IClassFactory_LockServer(f, FALSE);
    printf("unlocked: DllCanUnloadNow 0x%08lx\n", (unsigned long)(can_unload ? can_unload() : -1));
    CoFreeUnusedLibraries();
    printf("after CoFreeUnusedLibraries loaded %d\n", GetModuleHandleW(L"comsrv.dll") != NULL);
    c = NULL;
    hr = CoCreateInstance(&clsid_counter, NULL, CLSCTX_INPROC_SERVER, &iid_counter, (void **)&c);
    printf("CoCreateInstance again: 0x%08lx, loaded %d\n", (unsigned long)hr,
           GetModuleHandleW(L"comsrv.dll") != NULL);
    if (c)
        c->vtbl->Release(c);

    DWORD cookie = 0;
    obj = (void *)1;
    hr = CoCreateInstance(&clsid_local, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("program's class before CoRegisterClassObject: 0x%08lx\n", (unsigned long)hr);
    hr = CoRegisterClassObject(&clsid_local, (IUnknown *)&local_factory, CLSCTX_INPROC_SERVER,
                               REGCLS_MULTIPLEUSE, &cookie);
    printf("CoRegisterClassObject: 0x%08lx cookie %d refs %ld\n", (unsigned long)hr, cookie != 0,
           local_refs);
    obj = NULL;
    hr = CoCreateInstance(&clsid_local, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("CoCreateInstance of it: 0x%08lx is the factory %d\n", (unsigned long)hr,
           obj == (void *)&local_factory);
    if (obj)
        IUnknown_Release((IUnknown *)obj);
    hr = CoRevokeClassObject(cookie);
    printf("CoRevokeClassObject: 0x%08lx refs %ld\n", (unsigned long)hr, local_refs);
    printf("again: 0x%08lx\n", (unsigned long)CoRevokeClassObject(cookie));
    hr = CoCreateInstance(&clsid_local, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("after revoking: 0x%08lx\n", (unsigned long)hr);

    CoUninitialize();
    unregister();
    return 0;
}
