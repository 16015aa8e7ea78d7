/* COM apartments as Windows keeps them per thread: CoInitializeEx counts (S_OK, S_FALSE,
 * RPC_E_CHANGED_MODE for the other kind, not counted), CoUninitialize balances (and does
 * nothing on a thread outside COM), CoGetApartmentType (main STA, STA, MTA, implicit MTA,
 * CO_E_NOTINITIALIZED with APTTYPE_CURRENT), CoCreateInstance / CoGetClassObject /
 * CoRegisterClassObject on a thread outside any apartment (CO_E_NOTINITIALIZED, output NULL)
 * and in the implicit MTA that another thread's CoInitializeEx(MULTITHREADED) or
 * CoIncrementMTAUsage opens, OleInitialize/OleUninitialize counting on top of COM's (the
 * cases of Wine's ole32 tests, which record Windows' answers). */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <ole2.h>
#include <stdio.h>

static const GUID test_clsid = {0x5e1a0c01, 0x7a11, 0x4b0e,
                                {0x9a, 0x21, 0x31, 0x41, 0x59, 0x26, 0x53, 0x58}};
static const GUID unregistered_clsid = {0x5e1a0c02, 0x7a11, 0x4b0e,
                                        {0x9a, 0x21, 0x31, 0x41, 0x59, 0x26, 0x53, 0x58}};

/* A static class object whose instances are the factory itself (enough to see the call). */
static LONG created;
static HRESULT WINAPI cf_qi(IClassFactory *cf, REFIID iid, void **out)
{
    if (IsEqualGUID(iid, &IID_IUnknown) || IsEqualGUID(iid, &IID_IClassFactory)) {
        *out = cf;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI cf_addref(IClassFactory *cf) { return 2; }
static ULONG WINAPI cf_release(IClassFactory *cf) { return 1; }
static HRESULT WINAPI cf_create(IClassFactory *cf, IUnknown *outer, REFIID iid, void **out)
{
    InterlockedIncrement(&created);
    return cf_qi(cf, iid, out);
}
static HRESULT WINAPI cf_lock(IClassFactory *cf, BOOL lock) { return S_OK; }
static IClassFactoryVtbl cf_vtbl = {cf_qi, cf_addref, cf_release, cf_create, cf_lock};
static IClassFactory factory = {&cf_vtbl};

static void show_type(const char *when)
{
    APTTYPE type = 0x1234;
    APTTYPEQUALIFIER qualifier = 0x1234;
    HRESULT hr = CoGetApartmentType(&type, &qualifier);
    printf("%s: CoGetApartmentType 0x%08lx type %d qualifier %d\n", when, (unsigned long)hr,
           (int)type, (int)qualifier);
}

/* What a thread outside any apartment is told. */
static void show_outside(const char *when)
{
    void *obj = (void *)1;
    HRESULT hr = CoCreateInstance(&unregistered_clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                  &obj);
    printf("%s: CoCreateInstance 0x%08lx NULL %d\n", when, (unsigned long)hr, obj == NULL);
    obj = (void *)1;
    hr = CoGetClassObject(&unregistered_clsid, CLSCTX_INPROC_SERVER, NULL, &IID_IClassFactory,
                          &obj);
    printf("%s: CoGetClassObject 0x%08lx NULL %d\n", when, (unsigned long)hr, obj == NULL);
}

static HANDLE go, done;

static DWORD WINAPI mta_thread(void *arg)
{
    printf("MTA thread: CoInitializeEx(MULTITHREADED) 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_MULTITHREADED));
    printf("MTA thread: again 0x%08lx, STA 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_MULTITHREADED),
           (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    show_type("MTA thread");
    SetEvent(go);
    WaitForSingleObject(done, INFINITE);
    CoUninitialize();
    CoUninitialize();
    return 0;
}

static DWORD WINAPI sta_thread(void *arg)
{
    show_type("second thread before");
    printf("second thread: CoInitialize 0x%08lx\n", (unsigned long)CoInitialize(NULL));
    show_type("second thread STA");
    CoUninitialize();
    show_type("second thread after");
    return 0;
}

static DWORD WINAPI implicit_thread(void *arg)
{
    show_type("other thread");
    void *obj = NULL;
    HRESULT hr = CoCreateInstance(&test_clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("other thread: CoCreateInstance of the test class 0x%08lx object %d\n",
           (unsigned long)hr, obj == &factory);
    return 0;
}

static void run(LPTHREAD_START_ROUTINE fn)
{
    HANDLE t = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* 1. Nothing initialised. */
    show_type("start");
    APTTYPE type = 0x1234;
    APTTYPEQUALIFIER qualifier = 0x1234;
    printf("CoGetApartmentType(NULL, &q) 0x%08lx q untouched %d\n",
           (unsigned long)CoGetApartmentType(NULL, &qualifier), qualifier == 0x1234);
    printf("CoGetApartmentType(&t, NULL) 0x%08lx t untouched %d\n",
           (unsigned long)CoGetApartmentType(&type, NULL), type == 0x1234);
    show_outside("start");
    printf("CoGetClassObject(out NULL) 0x%08lx\n",
           (unsigned long)CoGetClassObject(&unregistered_clsid, CLSCTX_INPROC_SERVER, NULL,
                                           &IID_IClassFactory, NULL));
    DWORD cookie = 0xdead;
    printf("CoRegisterClassObject 0x%08lx\n",
           (unsigned long)CoRegisterClassObject(&test_clsid, (IUnknown *)&factory,
                                                CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE,
                                                &cookie));
    CoUninitialize(); /* outside COM: nothing to undo */
    show_type("after a stray CoUninitialize");

    /* 2. The main thread's STA: counted, the other kind refused and not counted. */
    printf("CoInitializeEx(APARTMENTTHREADED) 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    printf("again 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    printf("with DISABLE_OLE1DDE 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE));
    printf("MULTITHREADED 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_MULTITHREADED));
    printf("CoInitialize 0x%08lx\n", (unsigned long)CoInitialize(NULL));
    show_type("main STA");
    run(sta_thread);
    CoUninitialize();
    CoUninitialize();
    CoUninitialize();
    show_type("three of four undone");
    show_outside("three of four undone");
    CoUninitialize();
    show_type("all undone");
    show_outside("all undone");

    /* 3. The implicit MTA while another thread is in the MTA. */
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    done = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE mta = CreateThread(NULL, 0, mta_thread, NULL, 0, NULL);
    WaitForSingleObject(go, INFINITE);
    show_type("main, MTA open");
    show_outside("main, MTA open");
    HRESULT hr = CoRegisterClassObject(&test_clsid, (IUnknown *)&factory, CLSCTX_INPROC_SERVER,
                                       REGCLS_MULTIPLEUSE, &cookie);
    printf("main, MTA open: CoRegisterClassObject 0x%08lx\n", (unsigned long)hr);
    void *obj = NULL;
    hr = CoCreateInstance(&test_clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("main, MTA open: CoCreateInstance 0x%08lx object %d created %ld\n", (unsigned long)hr,
           obj == &factory, created);
    run(implicit_thread);
    printf("main, MTA open: CoRevokeClassObject 0x%08lx\n",
           (unsigned long)CoRevokeClassObject(cookie));
    /* The implicit MTA does not stop the thread from entering an STA of its own. */
    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    type = 0x1234;
    qualifier = 0x1234;
    HRESULT hr2 = CoGetApartmentType(&type, &qualifier);
    printf("main, MTA open: CoInitializeEx(APARTMENTTHREADED) 0x%08lx, then 0x%08lx an STA %d "
           "qualifier %d\n", (unsigned long)hr, (unsigned long)hr2,
           type == APTTYPE_STA || type == APTTYPE_MAINSTA, (int)qualifier);
    CoUninitialize();
    show_type("main, MTA open, STA left");
    SetEvent(done);
    WaitForSingleObject(mta, INFINITE);
    CloseHandle(mta);
    show_type("MTA thread gone");
    show_outside("MTA thread gone");

    /* 4. CoIncrementMTAUsage keeps the MTA open without a thread in it. */
    CO_MTA_USAGE_COOKIE usage = NULL;
    hr = CoIncrementMTAUsage(&usage);
    printf("CoIncrementMTAUsage 0x%08lx cookie %d\n", (unsigned long)hr, usage != NULL);
    show_type("MTA usage held");
    run(implicit_thread);
    printf("CoDecrementMTAUsage 0x%08lx\n", (unsigned long)CoDecrementMTAUsage(usage));
    show_type("MTA usage released");

    /* 5. OleInitialize's own count (Wine's test_OleInitialize_InitCounting). */
    printf("CoInitializeEx(MULTITHREADED) 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_MULTITHREADED));
    printf("OleInitialize in the MTA 0x%08lx\n", (unsigned long)OleInitialize(NULL));
    OleUninitialize();
    show_type("after OleUninitialize of a refused OleInitialize");
    CoUninitialize();
    show_type("MTA left");

    printf("CoInitialize 0x%08lx\n", (unsigned long)CoInitialize(NULL));
    printf("OleInitialize 0x%08lx\n", (unsigned long)OleInitialize(NULL));
    printf("OleInitialize again 0x%08lx\n", (unsigned long)OleInitialize(NULL));
    OleUninitialize();
    OleUninitialize();
    OleUninitialize();
    OleUninitialize();
    show_type("three OleUninitialize too many");
    CoUninitialize();
    show_type("CoUninitialize");

    printf("CoInitialize 0x%08lx\n", (unsigned long)CoInitialize(NULL));
    printf("OleInitialize 0x%08lx\n", (unsigned long)OleInitialize(NULL));
    CoUninitialize();
    CoUninitialize();
    show_type("two CoUninitialize after OleInitialize");
    printf("OleInitialize after that 0x%08lx\n", (unsigned long)OleInitialize(NULL));
    show_type("OLE again");
    OleUninitialize();
    show_type("OleUninitialize");
    OleUninitialize();
    return 0;
}
