/* SPDX-License-Identifier: MIT */
/* combase (ole32) CoInitialize/CoInitializeEx/CoUninitialize: COM's per-thread initialization
 * count. The first call on a thread returns S_OK, later ones S_FALSE; asking for another
 * apartment kind than the thread has gives RPC_E_CHANGED_MODE (and does not count). ntrun has
 * no COM objects to run yet, so nothing else happens. */
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/combase/combase_private.h"

#define CB_S_OK 0
#define CB_S_FALSE 1
#define CB_E_INVALIDARG ((int32_t)0x80070057)
#define CB_RPC_E_CHANGED_MODE ((int32_t)0x80010106)
#define CB_COINIT_APARTMENTTHREADED 0x2

static __thread uint32_t cb_init_count;
static __thread uint32_t cb_init_mode; /* COINIT_* | 0x80000000 once set */

/* For CoGetApartmentType: how many threads are in the MTA (the others then run in the implicit
 * MTA), and the thread of the main STA (the first thread that entered an STA). */
static uint32_t cb_mta_threads;
static DWORD cb_main_sta;
DWORD WINAPI GetCurrentThreadId(void);

static void cb_apartment_enter(uint32_t mode)
{
    if (mode & CB_COINIT_APARTMENTTHREADED) {
        DWORD none = 0;
        __atomic_compare_exchange_n(&cb_main_sta, &none, GetCurrentThreadId(), false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    } else {
        __atomic_add_fetch(&cb_mta_threads, 1, __ATOMIC_ACQ_REL);
    }
}

static void cb_apartment_leave(uint32_t mode)
{
    if (mode & CB_COINIT_APARTMENTTHREADED) {
        DWORD me = GetCurrentThreadId();
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
