/* comsrv.dll: a small in-process COM server for pe.com_inproc. One class, the counter
 * {4E7A1C52-93B0-4D1E-A6F2-5C0D8E31B7A4}, with one custom interface ICounter
 * {4E7A1C53-93B0-4D1E-A6F2-5C0D8E31B7A4} (Add, Get) beside IUnknown; its class factory refuses
 * aggregation (CLASS_E_NOAGGREGATION) as most classes do. DllCanUnloadNow says S_OK when no
 * object, factory or LockServer lock is alive. */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>

static const GUID clsid_counter = {0x4e7a1c52, 0x93b0, 0x4d1e,
                                   {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};
static const GUID iid_counter = {0x4e7a1c53, 0x93b0, 0x4d1e,
                                 {0xa6, 0xf2, 0x5c, 0x0d, 0x8e, 0x31, 0xb7, 0xa4}};

/* IUnknown and IClassFactory, here as the DLL links no uuid library */
static const GUID iid_unknown = {0, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID iid_factory = {1, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

static LONG live; /* objects, factories and locks */

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
    LONG refs;
    int value;
};

static HRESULT STDMETHODCALLTYPE counter_qi(counter *c, REFIID iid, void **out)
{
    if (IsEqualGUID(iid, &iid_unknown) || IsEqualGUID(iid, &iid_counter)) {
        *out = c;
        InterlockedIncrement(&c->refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE counter_addref(counter *c) { return InterlockedIncrement(&c->refs); }
static ULONG STDMETHODCALLTYPE counter_release(counter *c)
{
    ULONG n = InterlockedDecrement(&c->refs);
    if (!n) {
        HeapFree(GetProcessHeap(), 0, c);
        InterlockedDecrement(&live);
    }
    return n;
}
static HRESULT STDMETHODCALLTYPE counter_add(counter *c, int n)
{
    c->value += n;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE counter_get(counter *c, int *v)
{
    *v = c->value;
    return S_OK;
}
static const counter_vtbl counter_methods = {counter_qi, counter_addref, counter_release,
                                             counter_add, counter_get};

static HRESULT STDMETHODCALLTYPE factory_qi(IClassFactory *f, REFIID iid, void **out)
{
    if (IsEqualGUID(iid, &iid_unknown) || IsEqualGUID(iid, &iid_factory)) {
        *out = f;
        IClassFactory_AddRef(f);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE factory_addref(IClassFactory *f)
{
    (void)f;
    InterlockedIncrement(&live);
    return 2;
}
static ULONG STDMETHODCALLTYPE factory_release(IClassFactory *f)
{
    (void)f;
    InterlockedDecrement(&live);
    return 1;
}
static HRESULT STDMETHODCALLTYPE factory_create(IClassFactory *f, IUnknown *outer, REFIID iid,
                                                void **out)
{
    (void)f;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    counter *c = HeapAlloc(GetProcessHeap(), 0, sizeof *c);
    if (!c)
        return E_OUTOFMEMORY;
    c->vtbl = &counter_methods;
    c->refs = 1;
    c->value = 0;
    InterlockedIncrement(&live);
    HRESULT hr = counter_qi(c, iid, out);
    counter_release(c);
    return hr;
}
static HRESULT STDMETHODCALLTYPE factory_lock(IClassFactory *f, BOOL lock)
{
    (void)f;
    if (lock)
        InterlockedIncrement(&live);
    else
        InterlockedDecrement(&live);
    return S_OK;
}
static IClassFactoryVtbl factory_methods = {factory_qi, factory_addref, factory_release,
                                            factory_create, factory_lock};
static IClassFactory factory = {&factory_methods};

__declspec(dllexport) HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID iid, void **out)
{
    *out = NULL;
    if (!IsEqualGUID(clsid, &clsid_counter))
        return CLASS_E_CLASSNOTAVAILABLE;
    return factory_qi(&factory, iid, out);
}

__declspec(dllexport) HRESULT WINAPI DllCanUnloadNow(void)
{
    return live ? S_FALSE : S_OK;
}
