/* SPDX-License-Identifier: MIT */
/* combase (ole32) object creation: CoGetClassObject / CoCreateInstance(Ex) for class objects the
 * process registered (CoRegisterClassObject, CoRevokeClassObject, CoResumeClassObjects) and for
 * in-process servers of the registry: HKCU\Software\Classes\CLSID\{clsid}\InprocServer32 (the
 * user's classes win, as in Windows' merged HKEY_CLASSES_ROOT), then HKCR's. The server DLL is
 * loaded once, asked for its class object through DllGetClassObject, and unloaded by
 * CoFreeUnusedLibraries(Ex) once its DllCanUnloadNow says S_OK (at once for an apartment-threaded
 * server or with delay 0, after ten minutes for a free-threaded one, as Windows). ProgIDs:
 * CLSIDFromProgID(Ex), ProgIDFromCLSID; GUID strings: StringFromGUID2, StringFromCLSID/IID,
 * CLSIDFromString, IIDFromString. A class the registry does not name that Windows registers for
 * its own DLLs is served by the built-in DLL (thk_builtin_class_object: shell32's FileOperation).
 *
 * Errors as Windows gives them: a class without InprocServer32 (or only other contexts asked)
 * REGDB_E_CLASSNOTREG, a server DLL that does not load HRESULT_FROM_WIN32 of the loader's error,
 * one without DllGetClassObject CO_E_ERRORINDLL, a thread outside any apartment
 * CO_E_NOTINITIALIZED; the factory's own answer (CLASS_E_NOAGGREGATION, E_NOINTERFACE) is passed
 * through with the output NULL.
 *
 * Not done: objects are handed out directly whatever the ThreadingModel and the caller's
 * apartment (Windows marshals a proxy across apartments), no local servers (LocalServer32), no
 * InprocHandler32, class objects registered in one apartment are visible to all. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/combase/combase_private.h"
#include "thunks/com_native.h"

#define CB_S_OK 0
#define CB_S_FALSE 1
#define CB_E_POINTER ((int32_t)0x80004003)
#define CB_E_INVALIDARG ((int32_t)0x80070057)
#define CB_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define CB_E_NOINTERFACE ((int32_t)0x80004002)
#define CB_REGDB_E_CLASSNOTREG ((int32_t)0x80040154)
#define CB_CO_E_NOTINITIALIZED ((int32_t)0x800401F0)
#define CB_CO_E_CLASSSTRING ((int32_t)0x800401F3)
#define CB_CO_E_ERRORINDLL ((int32_t)0x800401F9)
#define CB_CO_S_NOTALLINTERFACES ((int32_t)0x00080012)
#define CB_RPC_E_WRONG_THREAD ((int32_t)0x8001010E)

#define CB_CLSCTX_INPROC_SERVER 0x1
#define CB_CLSCTX_LOCAL_SERVER 0x4
#define CB_REGCLS_MULTIPLEUSE 1
#define CB_REGCLS_SUSPENDED 4

#define CB_HKCR ((HANDLE)(intptr_t)(int32_t)0x80000000)
#define CB_HKCU ((HANDLE)(intptr_t)(int32_t)0x80000001)
#define CB_KEY_READ 0x20019
#define CB_REG_SZ 1
#define CB_REG_EXPAND_SZ 2
#define CB_LOAD_WITH_ALTERED_SEARCH_PATH 0x8

typedef struct {
    uint32_t d1;   /* 0x0 */
    uint16_t d2;   /* 0x4 */
    uint16_t d3;   /* 0x6 */
    uint8_t d4[8]; /* 0x8 */
} cb_guid;
_Static_assert(sizeof(cb_guid) == 16, "GUID");

static const cb_guid cb_iid_iunknown = {0x00000000, 0x0000, 0x0000,
                                        {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const cb_guid cb_iid_iclassfactory = {0x00000001, 0x0000, 0x0000,
                                             {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

int32_t WINAPI RegOpenKeyExW(HANDLE hkey, const WCHAR *sub, DWORD options, DWORD access,
                             HANDLE *out);
int32_t WINAPI RegQueryValueExW(HANDLE hkey, const WCHAR *name, DWORD *reserved, DWORD *type,
                                void *data, DWORD *len);
int32_t WINAPI RegCloseKey(HANDLE hkey);
DWORD WINAPI ExpandEnvironmentStringsW(const WCHAR *src, WCHAR *dst, DWORD size);
HMODULE WINAPI LoadLibraryExW(const WCHAR *name, HANDLE file, DWORD flags);
BOOL WINAPI FreeLibrary(HMODULE mod);
void *WINAPI GetProcAddress(HMODULE mod, const char *name);
void *WINAPI CoTaskMemAlloc(SIZE_T size);

/* ---- calls into a (foreign) COM object through its vtable ---- */

static void *cb_method(void *obj, int slot) { return (*(void ***)obj)[slot]; }

static int32_t cb_query_interface(void *obj, const void *iid, void **out)
{
    return (int32_t)thk_call_foreign3(cb_method(obj, 0), (uint64_t)obj, (uint64_t)iid,
                                      (uint64_t)out);
}
static void cb_addref(void *obj) { thk_call_foreign1(cb_method(obj, 1), (uint64_t)obj); }
static void cb_release(void *obj) { thk_call_foreign1(cb_method(obj, 2), (uint64_t)obj); }

/* ---- GUID strings ---- */

static const char cb_hex[] = "0123456789ABCDEF";

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" and a NUL: 39 WCHARs. */
static void cb_guid_format(const cb_guid *g, WCHAR *s)
{
    uint8_t b[16] = {(uint8_t)(g->d1 >> 24), (uint8_t)(g->d1 >> 16), (uint8_t)(g->d1 >> 8),
                     (uint8_t)g->d1, (uint8_t)(g->d2 >> 8), (uint8_t)g->d2,
                     (uint8_t)(g->d3 >> 8), (uint8_t)g->d3};
    memcpy(b + 8, g->d4, 8);
    int n = 0;
    s[n++] = '{';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            s[n++] = '-';
        s[n++] = (WCHAR)cb_hex[b[i] >> 4];
        s[n++] = (WCHAR)cb_hex[b[i] & 15];
    }
    s[n++] = '}';
    s[n] = 0;
}

static int cb_hexval(WCHAR c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The braced form only (what the registry and the String* functions write). */
static bool cb_guid_parse(const WCHAR *s, cb_guid *g)
{
    uint8_t b[16];
    int n = 0;
    if (s[n++] != '{')
        return false;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            if (s[n++] != '-')
                return false;
        }
        int hi = cb_hexval(s[n]), lo = hi < 0 ? -1 : cb_hexval(s[n + 1]);
        if (lo < 0)
            return false;
        b[i] = (uint8_t)(hi << 4 | lo);
        n += 2;
    }
    if (s[n] != '}' || s[n + 1])
        return false;
    g->d1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    g->d2 = (uint16_t)(b[4] << 8 | b[5]);
    g->d3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g->d4, b + 8, 8);
    return true;
}

/* ---- the classes part of the registry ---- */

static size_t cb_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* dst = a + b + c (any may be NULL); false if it does not fit in cap WCHARs. */
static bool cb_wcat3(WCHAR *dst, size_t cap, const WCHAR *a, const WCHAR *b, const WCHAR *c)
{
    const WCHAR *parts[3] = {a, b, c};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        size_t l = cb_wlen(parts[i]);
        if (n + l >= cap)
            return false;
        memcpy(dst + n, parts[i], l * sizeof(WCHAR));
        n += l;
    }
    dst[n] = 0;
    return true;
}

static const WCHAR cb_user_classes[] = u"Software\\Classes\\";

/* Opens sub under the user's classes, else under HKEY_CLASSES_ROOT. */
static bool cb_open_class_key(const WCHAR *sub, HANDLE *out)
{
    WCHAR path[512];
    if (cb_wcat3(path, 512, cb_user_classes, sub, NULL) &&
        RegOpenKeyExW(CB_HKCU, path, 0, CB_KEY_READ, out) == 0)
        return true;
    return RegOpenKeyExW(CB_HKCR, sub, 0, CB_KEY_READ, out) == 0;
}

/* A string value (REG_SZ, REG_EXPAND_SZ expanded) of a classes key, malloc'ed; NULL if absent. */
static WCHAR *cb_class_string(const WCHAR *sub, const WCHAR *name)
{
    HANDLE key;
    if (!cb_open_class_key(sub, &key))
        return NULL;
    DWORD type = 0, len = 0;
    WCHAR *val = NULL;
    if (RegQueryValueExW(key, name, NULL, &type, NULL, &len) == 0 &&
        (type == CB_REG_SZ || type == CB_REG_EXPAND_SZ)) {
        val = calloc(len / sizeof(WCHAR) + 2, sizeof(WCHAR));
        if (val && RegQueryValueExW(key, name, NULL, &type, val, &len) != 0) {
            free(val);
            val = NULL;
        }
    }
    RegCloseKey(key);
    if (val && type == CB_REG_EXPAND_SZ) {
        DWORD need = ExpandEnvironmentStringsW(val, NULL, 0);
        WCHAR *exp = need ? calloc(need + 1, sizeof(WCHAR)) : NULL;
        if (exp && ExpandEnvironmentStringsW(val, exp, need + 1)) {
            free(val);
            val = exp;
        } else {
            free(exp);
        }
    }
    return val;
}

static bool cb_wieq(const WCHAR *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        WCHAR x = *a >= 'A' && *a <= 'Z' ? (WCHAR)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != (WCHAR)y)
            return false;
    }
    return !*a && !*b;
}

/* ---- class objects the process registered ---- */

typedef struct cb_regclass {
    struct cb_regclass *next;
    cb_guid clsid;
    void *obj;
    uint32_t ctx, cookie, apartment;
    bool suspended;
} cb_regclass;

/* ---- in-process server DLLs COM loaded ---- */

typedef struct cb_server {
    struct cb_server *next;
    HMODULE mod;
    void *can_unload_now; /* DllCanUnloadNow or NULL */
    bool free_threaded;   /* ThreadingModel Free / Both / Neutral */
    uint32_t unload_at;   /* GetTickCount() when it may go; 0: not asked yet */
} cb_server;

static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static cb_regclass *cb_classes;
static uint32_t cb_next_cookie;
static cb_server *cb_servers;

/* The registered class object for clsid in ctx, with a reference; NULL if none. */
static void *cb_registered_object(const cb_guid *clsid, DWORD ctx)
{
    void *obj = NULL;
    pthread_mutex_lock(&cb_lock);
    for (cb_regclass *r = cb_classes; r; r = r->next) {
        if (!r->suspended && (r->ctx & ctx) && !memcmp(&r->clsid, clsid, sizeof *clsid)) {
            obj = r->obj;
            break;
        }
    }
    pthread_mutex_unlock(&cb_lock);
    /* AddRef outside the lock (foreign code); a concurrent revoke could release it first, as
     * it can in Windows between the table look-up and the caller's use. */
    if (obj)
        cb_addref(obj);
    return obj;
}

/* Keeps mod in the servers list (one COM reference per DLL); returns its DllGetClassObject. */
static void *cb_server_add(HMODULE mod, bool free_threaded)
{
    cb_server *s;
    pthread_mutex_lock(&cb_lock);
    for (s = cb_servers; s && s->mod != mod; s = s->next)
        ;
    bool known = s != NULL;
    if (!s && (s = calloc(1, sizeof *s))) {
        s->mod = mod;
        s->can_unload_now = GetProcAddress(mod, "DllCanUnloadNow");
        s->free_threaded = free_threaded;
        s->next = cb_servers;
        cb_servers = s;
    }
    if (s)
        s->unload_at = 0;
    pthread_mutex_unlock(&cb_lock);
    if (known)
        FreeLibrary(mod); /* the list holds one reference already */
    return GetProcAddress(mod, "DllGetClassObject");
}

static int32_t cb_inproc_class_object(const cb_guid *clsid, const void *iid, void **out)
{
    WCHAR sub[128], name[40];
    cb_guid_format(clsid, name);
    cb_wcat3(sub, 128, u"CLSID\\", name, u"\\InprocServer32");
    WCHAR *path = cb_class_string(sub, NULL);
    if (!path || !path[0]) {
        free(path);
        return CB_REGDB_E_CLASSNOTREG;
    }
    WCHAR *model = cb_class_string(sub, u"ThreadingModel");
    bool free_threaded = model && (cb_wieq(model, "free") || cb_wieq(model, "both") ||
                                   cb_wieq(model, "neutral"));
    free(model);
    HMODULE mod = LoadLibraryExW(path, NULL, CB_LOAD_WITH_ALTERED_SEARCH_PATH);
    free(path);
    if (!mod) {
        DWORD err = GetLastError();
        return err ? (int32_t)(0x80070000u | (err & 0xffff)) : CB_CO_E_ERRORINDLL;
    }
    void *get = cb_server_add(mod, free_threaded);
    if (!get)
        return CB_CO_E_ERRORINDLL;
    int32_t hr = (int32_t)thk_call_foreign3(get, (uint64_t)clsid, (uint64_t)iid, (uint64_t)out);
    if (hr < 0)
        *out = NULL;
    return hr;
}

/* CoGetClassObject's work once the arguments are checked and *out is NULL. */
static int32_t cb_class_object(const cb_guid *clsid, DWORD ctx, const void *iid, void **out)
{
    void *obj = cb_registered_object(clsid, ctx);
    if (obj) {
        int32_t hr = cb_query_interface(obj, iid, out);
        cb_release(obj);
        if (hr < 0)
            *out = NULL;
        return hr;
    }
    if (!(ctx & CB_CLSCTX_INPROC_SERVER))
        return CB_REGDB_E_CLASSNOTREG;
    int32_t hr = cb_inproc_class_object(clsid, iid, out);
    if (hr != CB_REGDB_E_CLASSNOTREG)
        return hr;
    /* a class Windows registers for its own DLLs, served by the built-in one */
    obj = thk_builtin_class_object((const thk_guid *)clsid);
    if (!obj)
        return hr;
    hr = cb_query_interface(obj, iid, out);
    if (hr < 0)
        *out = NULL;
    return hr;
}

int32_t WINAPI CoGetClassObject(const void *clsid, DWORD ctx, void *server, const void *iid,
                                void **out)
{
    (void)server;
    if (!out || !clsid || !iid)
        return CB_E_INVALIDARG;
    *out = NULL;
    if (!cb_thread_has_apartment())
        return CB_CO_E_NOTINITIALIZED;
    return cb_class_object(clsid, ctx, iid, out);
}
THK_EXPORT(combase, CoGetClassObject, 5);

/* A new object: the class factory's CreateInstance (slot 3), the factory released. */
static int32_t cb_create(const cb_guid *clsid, void *outer, DWORD ctx, const void *iid,
                         void **out)
{
    void *factory = NULL;
    int32_t hr = cb_class_object(clsid, ctx, &cb_iid_iclassfactory, &factory);
    if (hr < 0)
        return hr;
    hr = (int32_t)thk_call_foreign4(cb_method(factory, 3), (uint64_t)factory, (uint64_t)outer,
                                    (uint64_t)iid, (uint64_t)out);
    cb_release(factory);
    if (hr < 0)
        *out = NULL;
    return hr;
}

int32_t WINAPI CoCreateInstance(const void *clsid, void *outer, DWORD ctx, const void *iid,
                                void **out)
{
    if (!out)
        return CB_E_POINTER;
    *out = NULL;
    if (!clsid || !iid)
        return CB_E_POINTER;
    if (!cb_thread_has_apartment())
        return CB_CO_E_NOTINITIALIZED;
    return cb_create(clsid, outer, ctx, iid, out);
}
THK_EXPORT(combase, CoCreateInstance, 5);

typedef struct {
    const void *pIID; /* 0x00 */
    void *pItf;       /* 0x08 */
    int32_t hr;       /* 0x10 */
} CB_MULTI_QI;
_Static_assert(sizeof(CB_MULTI_QI) == 0x18, "MULTI_QI");

/* The object is made for the first interface, the others are asked of it: S_OK when all are
 * there, CO_S_NOTALLINTERFACES when some, E_NOINTERFACE when none. */
int32_t WINAPI CoCreateInstanceEx(const void *clsid, void *outer, DWORD ctx, void *server,
                                  DWORD count, CB_MULTI_QI *results)
{
    (void)server;
    if (!count || !results || !clsid)
        return CB_E_INVALIDARG;
    for (DWORD i = 0; i < count; i++) {
        results[i].pItf = NULL;
        results[i].hr = CB_E_NOINTERFACE;
    }
    int32_t hr = cb_thread_has_apartment() ? CB_S_OK : CB_CO_E_NOTINITIALIZED;
    void *unk = NULL;
    if (hr == CB_S_OK)
        hr = cb_create(clsid, outer, ctx, &cb_iid_iunknown, &unk);
    if (hr < 0)
        return hr; /* the results keep E_NOINTERFACE */
    DWORD got = 0;
    for (DWORD i = 0; i < count; i++) {
        results[i].hr = cb_query_interface(unk, results[i].pIID, &results[i].pItf);
        if (results[i].hr >= 0)
            got++;
        else
            results[i].pItf = NULL;
    }
    cb_release(unk);
    return got == count ? CB_S_OK : got ? CB_CO_S_NOTALLINTERFACES : CB_E_NOINTERFACE;
}
THK_EXPORT(combase, CoCreateInstanceEx, 6);

/* CoRegisterClassObject: REGCLS_MULTIPLEUSE with CLSCTX_LOCAL_SERVER registers the in-process
 * context too; REGCLS_SUSPENDED waits for CoResumeClassObjects. The object gets a reference. */
int32_t WINAPI CoRegisterClassObject(const void *clsid, void *obj, DWORD ctx, DWORD flags,
                                     DWORD *cookie)
{
    if (!cookie || !obj || !clsid)
        return CB_E_INVALIDARG;
    *cookie = 0;
    if (!cb_thread_has_apartment())
        return CB_CO_E_NOTINITIALIZED;
    cb_regclass *r = calloc(1, sizeof *r);
    if (!r)
        return CB_E_OUTOFMEMORY;
    memcpy(&r->clsid, clsid, sizeof r->clsid);
    r->obj = obj;
    r->ctx = ctx;
    if ((flags & CB_REGCLS_MULTIPLEUSE) && (ctx & CB_CLSCTX_LOCAL_SERVER))
        r->ctx |= CB_CLSCTX_INPROC_SERVER;
    r->apartment = cb_apartment_id();
    r->suspended = (flags & CB_REGCLS_SUSPENDED) != 0;
    cb_addref(obj);
    pthread_mutex_lock(&cb_lock);
    r->cookie = ++cb_next_cookie;
    r->next = cb_classes;
    cb_classes = r;
    *cookie = r->cookie;
    pthread_mutex_unlock(&cb_lock);
    return CB_S_OK;
}
THK_EXPORT(combase, CoRegisterClassObject, 5);

/* Only the apartment that registered a class object may revoke it (RPC_E_WRONG_THREAD). */
int32_t WINAPI CoRevokeClassObject(DWORD cookie)
{
    if (!cb_thread_has_apartment())
        return CB_CO_E_NOTINITIALIZED;
    int32_t hr = CB_E_INVALIDARG; /* a cookie it does not know */
    void *obj = NULL;
    pthread_mutex_lock(&cb_lock);
    for (cb_regclass **p = &cb_classes; *p; p = &(*p)->next) {
        cb_regclass *r = *p;
        if (r->cookie != cookie)
            continue;
        if (r->apartment != cb_apartment_id()) {
            hr = CB_RPC_E_WRONG_THREAD;
            break;
        }
        *p = r->next;
        obj = r->obj;
        free(r);
        hr = CB_S_OK;
        break;
    }
    pthread_mutex_unlock(&cb_lock);
    if (obj)
        cb_release(obj);
    return hr;
}
THK_EXPORT(combase, CoRevokeClassObject, 1);

int32_t WINAPI CoResumeClassObjects(void)
{
    pthread_mutex_lock(&cb_lock);
    for (cb_regclass *r = cb_classes; r; r = r->next)
        r->suspended = false;
    pthread_mutex_unlock(&cb_lock);
    return CB_S_OK;
}
THK_EXPORT(combase, CoResumeClassObjects, 0);

/* CoFreeUnusedLibrariesEx(delay, reserved): unloads the servers whose DllCanUnloadNow gives
 * S_OK once delay ms have passed since the first call that saw it (INFINITE: none for an
 * apartment-threaded server, ten minutes for a free-threaded one). */
void WINAPI CoFreeUnusedLibrariesEx(DWORD delay, DWORD reserved)
{
    (void)reserved;
    pthread_mutex_lock(&cb_lock);
    cb_server *list = cb_servers;
    cb_servers = NULL;
    pthread_mutex_unlock(&cb_lock);
    /* DllCanUnloadNow is foreign code that may call COM: asked with the list detached. */
    cb_server *keep = NULL;
    while (list) {
        cb_server *s = list;
        list = s->next;
        bool can = s->can_unload_now && (int32_t)thk_call_foreign0(s->can_unload_now) == CB_S_OK;
        if (can) {
            uint32_t wait = delay == 0xffffffffu ? (s->free_threaded ? 600000u : 0u) : delay;
            uint32_t now = GetTickCount();
            if (!wait || (s->unload_at && (int32_t)(now - s->unload_at) >= 0)) {
                FreeLibrary(s->mod);
                free(s);
                continue;
            }
            if (!s->unload_at)
                s->unload_at = (now + wait) | 1;
        } else {
            s->unload_at = 0;
        }
        s->next = keep;
        keep = s;
    }
    pthread_mutex_lock(&cb_lock);
    while (keep) {
        cb_server *s = keep, *dup;
        keep = s->next;
        for (dup = cb_servers; dup && dup->mod != s->mod; dup = dup->next)
            ;
        if (dup) { /* loaded again meanwhile: one list reference is enough */
            FreeLibrary(s->mod);
            free(s);
            continue;
        }
        s->next = cb_servers;
        cb_servers = s;
    }
    pthread_mutex_unlock(&cb_lock);
}
THK_EXPORT(combase, CoFreeUnusedLibrariesEx, 2);

void WINAPI CoFreeUnusedLibraries(void) { CoFreeUnusedLibrariesEx(0xffffffffu, 0); }
THK_EXPORT(combase, CoFreeUnusedLibraries, 0);

/* ---- ProgIDs and GUID strings ---- */

int32_t WINAPI CLSIDFromProgID(const WCHAR *progid, void *clsid)
{
    if (!progid || !clsid)
        return CB_E_INVALIDARG;
    memset(clsid, 0, sizeof(cb_guid));
    WCHAR sub[300];
    if (!cb_wcat3(sub, 300, progid, u"\\CLSID", NULL))
        return CB_CO_E_CLASSSTRING;
    WCHAR *s = cb_class_string(sub, NULL);
    cb_guid g;
    bool ok = s && cb_guid_parse(s, &g);
    free(s);
    if (!ok)
        return CB_CO_E_CLASSSTRING;
    memcpy(clsid, &g, sizeof g);
    return CB_S_OK;
}
THK_EXPORT(combase, CLSIDFromProgID, 2);

int32_t WINAPI CLSIDFromProgIDEx(const WCHAR *progid, void *clsid)
{
    return CLSIDFromProgID(progid, clsid);
}
THK_EXPORT(combase, CLSIDFromProgIDEx, 2);

/* The ProgID of CLSID\{clsid}\ProgID in task memory; REGDB_E_CLASSNOTREG when there is none. */
int32_t WINAPI ProgIDFromCLSID(const void *clsid, WCHAR **out)
{
    if (!out)
        return CB_E_INVALIDARG;
    *out = NULL;
    if (!clsid)
        return CB_E_INVALIDARG;
    WCHAR sub[128], name[40];
    cb_guid_format(clsid, name);
    cb_wcat3(sub, 128, u"CLSID\\", name, u"\\ProgID");
    WCHAR *s = cb_class_string(sub, NULL);
    if (!s || !s[0]) {
        free(s);
        return CB_REGDB_E_CLASSNOTREG;
    }
    size_t bytes = (cb_wlen(s) + 1) * sizeof(WCHAR);
    *out = CoTaskMemAlloc(bytes);
    if (*out)
        memcpy(*out, s, bytes);
    free(s);
    return *out ? CB_S_OK : CB_E_OUTOFMEMORY;
}
THK_EXPORT(combase, ProgIDFromCLSID, 2);

/* StringFromGUID2: the braced form, 39 characters with the NUL; 0 if the buffer is shorter. */
int WINAPI StringFromGUID2(const void *guid, WCHAR *buf, int cch)
{
    if (!guid || !buf || cch < 39)
        return 0;
    cb_guid_format(guid, buf);
    return 39;
}
THK_EXPORT(combase, StringFromGUID2, 3);

int32_t WINAPI StringFromCLSID(const void *clsid, WCHAR **out)
{
    if (!out)
        return CB_E_INVALIDARG;
    *out = CoTaskMemAlloc(39 * sizeof(WCHAR));
    if (!*out)
        return CB_E_OUTOFMEMORY;
    if (clsid)
        cb_guid_format(clsid, *out);
    else
        cb_guid_format(&(cb_guid){0}, *out);
    return CB_S_OK;
}
THK_EXPORT(combase, StringFromCLSID, 2);

int32_t WINAPI StringFromIID(const void *iid, WCHAR **out) { return StringFromCLSID(iid, out); }
THK_EXPORT(combase, StringFromIID, 2);

/* CLSIDFromString: NULL gives CLSID_NULL; a string without braces is taken as a ProgID. */
int32_t WINAPI CLSIDFromString(const WCHAR *s, void *clsid)
{
    if (!clsid)
        return CB_E_INVALIDARG;
    memset(clsid, 0, sizeof(cb_guid));
    if (!s)
        return CB_S_OK;
    cb_guid g;
    if (cb_guid_parse(s, &g)) {
        memcpy(clsid, &g, sizeof g);
        return CB_S_OK;
    }
    if (s[0] != '{' && CLSIDFromProgID(s, clsid) == CB_S_OK)
        return CB_S_OK;
    return CB_CO_E_CLASSSTRING;
}
THK_EXPORT(combase, CLSIDFromString, 2);

int32_t WINAPI IIDFromString(const WCHAR *s, void *iid)
{
    if (!iid)
        return CB_E_INVALIDARG;
    memset(iid, 0, sizeof(cb_guid));
    if (!s)
        return CB_S_OK;
    cb_guid g;
    if (!cb_guid_parse(s, &g))
        return CB_E_INVALIDARG;
    memcpy(iid, &g, sizeof g);
    return CB_S_OK;
}
THK_EXPORT(combase, IIDFromString, 2);
