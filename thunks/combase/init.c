/* SPDX-License-Identifier: MIT */
/* combase (ole32) apartments: CoInitialize/CoInitializeEx/CoUninitialize count per thread. The
 * first call on a thread returns S_OK, later ones S_FALSE; asking for another apartment kind
 * than the thread has gives RPC_E_CHANGED_MODE (and does not count); the thread leaves its
 * apartment when the count is back to 0, or when it ends. A thread that never initialised COM
 * is in the implicit MTA while the MTA exists: some thread is in it, or CoIncrementMTAUsage
 * holds it. OleInitialize/OleUninitialize keep their own count on top (ole32). */
#include <pthread.h>
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/combase/combase_private.h"

#define CB_S_OK 0
#define CB_S_FALSE 1
#define CB_E_INVALIDARG ((int32_t)0x80070057)
#define CB_RPC_E_CHANGED_MODE ((int32_t)0x80010106)
#define CB_COINIT_APARTMENTTHREADED 0x2

static __thread uint32_t cb_init_count;
static __thread uint32_t cb_init_mode; /* COINIT_* | 0x80000000 once set */
static __thread uint32_t cb_ole_inits; /* OleInitialize calls not yet undone */
static __thread DWORD cb_tid; /* the thread's id while in an STA (the TEB is gone at exit) */

/* For CoGetApartmentType: how many threads (and CoIncrementMTAUsage cookies) hold the MTA (the
 * others then run in the implicit MTA), and the thread of the main STA (the first thread that
 * entered an STA). */
static uint32_t cb_mta_threads;
static DWORD cb_main_sta;
DWORD WINAPI GetCurrentThreadId(void);

static void cb_apartment_leave(uint32_t mode);

/* A thread that ends inside its apartment leaves it (as Wine does at thread detach): an MTA
 * thread that never called CoUninitialize does not keep the MTA alive for ever. */
static pthread_key_t cb_exit_key;
static pthread_once_t cb_exit_once = PTHREAD_ONCE_INIT;

static void cb_thread_exit(void *mode)
{
    if (cb_init_count) {
        cb_init_count = 0;
        cb_apartment_leave((uint32_t)(uintptr_t)mode);
    }
}

static void cb_exit_key_make(void)
{
    if (pthread_key_create(&cb_exit_key, cb_thread_exit) != 0)
        cb_exit_key = (pthread_key_t)-1;
}

static void cb_apartment_enter(uint32_t mode)
{
    pthread_once(&cb_exit_once, cb_exit_key_make);
    if (cb_exit_key != (pthread_key_t)-1)
        pthread_setspecific(cb_exit_key, (void *)(uintptr_t)mode);
    if (mode & CB_COINIT_APARTMENTTHREADED) {
        DWORD none = 0;
        cb_tid = GetCurrentThreadId();
        __atomic_compare_exchange_n(&cb_main_sta, &none, cb_tid, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    } else {
        __atomic_add_fetch(&cb_mta_threads, 1, __ATOMIC_ACQ_REL);
    }
}

static void cb_apartment_leave(uint32_t mode)
{
    if (cb_exit_key != (pthread_key_t)-1)
        pthread_setspecific(cb_exit_key, NULL);
    if (mode & CB_COINIT_APARTMENTTHREADED) {
        DWORD me = cb_tid;
        __atomic_compare_exchange_n(&cb_main_sta, &me, 0, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE);
    } else {
        __atomic_sub_fetch(&cb_mta_threads, 1, __ATOMIC_ACQ_REL);
    }
}

int32_t WINAPI CoInitializeEx(void *reserved, DWORD flags)
{
    if (reserved)
        return CB_E_INVALIDARG;
    uint32_t mode = (flags & CB_COINIT_APARTMENTTHREADED) | 0x80000000u;
    if (cb_init_count && cb_init_mode != mode)
        return CB_RPC_E_CHANGED_MODE;
    cb_init_mode = mode;
    if (!cb_init_count)
        cb_apartment_enter(mode);
    return cb_init_count++ ? CB_S_FALSE : CB_S_OK;
}
THK_EXPORT(combase, CoInitializeEx, 2);

int32_t WINAPI CoInitialize(void *reserved)
{
    return CoInitializeEx(reserved, CB_COINIT_APARTMENTTHREADED);
}
THK_EXPORT(ole32, CoInitialize, 1);

void WINAPI CoUninitialize(void)
{
    if (cb_init_count && !--cb_init_count) {
        cb_apartment_leave(cb_init_mode);
        cb_init_mode = 0;
    }
}
THK_EXPORT(combase, CoUninitialize, 0);

/* RoInitialize(RO_INIT_TYPE): the Windows Runtime's start of a thread, COM's apartments under
 * another name: RO_INIT_SINGLETHREADED (0) an STA, RO_INIT_MULTITHREADED (1) the MTA, with
 * CoInitializeEx's answers (S_FALSE again, RPC_E_CHANGED_MODE for the other kind); any other
 * type is E_INVALIDARG. .NET's runtime enters the MTA this way on its threads. */
int32_t WINAPI RoInitialize(int32_t type)
{
    if (type != 0 && type != 1)
        return CB_E_INVALIDARG;
    return CoInitializeEx(NULL, type ? 0 /* COINIT_MULTITHREADED */ : CB_COINIT_APARTMENTTHREADED);
}
THK_EXPORT(combase, RoInitialize, 1);

void WINAPI RoUninitialize(void)
{
    CoUninitialize();
}
THK_EXPORT(combase, RoUninitialize, 0);

/* OleInitialize enters a single-threaded apartment (RPC_E_CHANGED_MODE in the MTA, not
 * counted) and answers S_OK the first time on the thread even when COM was already
 * initialised, S_FALSE after; the count outlives CoUninitialize (Windows answers S_FALSE after
 * a CoUninitialize that undid it). OleUninitialize past the count does nothing. */
int32_t WINAPI OleInitialize(void *reserved)
{
    (void)reserved;
    int32_t hr = CoInitializeEx(NULL, CB_COINIT_APARTMENTTHREADED);
    if (hr < 0)
        return hr;
    return cb_ole_inits++ ? CB_S_FALSE : CB_S_OK;
}
THK_EXPORT(ole32, OleInitialize, 1);

void WINAPI OleUninitialize(void)
{
    if (!cb_ole_inits)
        return;
    cb_ole_inits--;
    CoUninitialize();
}
THK_EXPORT(ole32, OleUninitialize, 0);

/* CoIncrementMTAUsage keeps the MTA alive without putting the caller in it; the cookie is the
 * usage record, checked against the list before CoDecrementMTAUsage trusts it. */
typedef struct cb_mta_usage {
    struct cb_mta_usage *next;
} cb_mta_usage;
static cb_mta_usage *cb_mta_usages;
static pthread_mutex_t cb_mta_usage_lock = PTHREAD_MUTEX_INITIALIZER;
#define CB_E_OUTOFMEMORY ((int32_t)0x8007000E)

int32_t WINAPI CoIncrementMTAUsage(void **cookie)
{
    if (!cookie)
        return CB_E_INVALIDARG;
    *cookie = NULL;
    cb_mta_usage *u = malloc(sizeof *u);
    if (!u)
        return CB_E_OUTOFMEMORY;
    pthread_mutex_lock(&cb_mta_usage_lock);
    u->next = cb_mta_usages;
    cb_mta_usages = u;
    __atomic_add_fetch(&cb_mta_threads, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_unlock(&cb_mta_usage_lock);
    *cookie = u;
    return CB_S_OK;
}
THK_EXPORT(combase, CoIncrementMTAUsage, 1);

int32_t WINAPI CoDecrementMTAUsage(void *cookie)
{
    if (!cookie)
        return CB_E_INVALIDARG;
    cb_mta_usage *found = NULL;
    pthread_mutex_lock(&cb_mta_usage_lock);
    for (cb_mta_usage **p = &cb_mta_usages; *p; p = &(*p)->next) {
        if (*p == cookie) {
            found = *p;
            *p = found->next;
            __atomic_sub_fetch(&cb_mta_threads, 1, __ATOMIC_ACQ_REL);
            break;
        }
    }
    pthread_mutex_unlock(&cb_mta_usage_lock);
    free(found);
    return CB_S_OK;
}
THK_EXPORT(combase, CoDecrementMTAUsage, 1);

/* CoGetApartmentType(APTTYPE *type, APTTYPEQUALIFIER *qualifier): the calling thread's
 * apartment: APTTYPE_MAINSTA (3) / APTTYPE_STA (0) / APTTYPE_MTA (1); a thread that did not
 * initialise COM is in the implicit MTA (APTTYPEQUALIFIER_IMPLICIT_MTA) while another thread is
 * in the MTA, else CO_E_NOTINITIALIZED with APTTYPE_CURRENT (-1). */
#define CB_CO_E_NOTINITIALIZED ((int32_t)0x800401F0)
int32_t WINAPI CoGetApartmentType(int32_t *type, int32_t *qualifier)
{
    if (!type || !qualifier)
        return CB_E_INVALIDARG;
    *type = -1;
    *qualifier = 0;
    if (!cb_init_count) {
        if (!__atomic_load_n(&cb_mta_threads, __ATOMIC_ACQUIRE))
            return CB_CO_E_NOTINITIALIZED;
        *type = 1;      /* APTTYPE_MTA */
        *qualifier = 1; /* APTTYPEQUALIFIER_IMPLICIT_MTA */
        return CB_S_OK;
    }
    if (cb_init_mode & CB_COINIT_APARTMENTTHREADED)
        *type = __atomic_load_n(&cb_main_sta, __ATOMIC_ACQUIRE) == GetCurrentThreadId() ? 3 : 0;
    else
        *type = 1;
    return CB_S_OK;
}
THK_EXPORT(combase, CoGetApartmentType, 2);

bool cb_thread_has_apartment(void)
{
    return cb_init_count || __atomic_load_n(&cb_mta_threads, __ATOMIC_ACQUIRE);
}

bool cb_thread_is_sta(void)
{
    return cb_init_count && (cb_init_mode & CB_COINIT_APARTMENTTHREADED);
}

uint32_t cb_apartment_id(void)
{
    return cb_thread_is_sta() ? GetCurrentThreadId() : 0;
}
