/* SPDX-License-Identifier: MIT */
/* combase (ole32) CoInitialize/CoInitializeEx/CoUninitialize: COM's per-thread initialization
 * count. The first call on a thread returns S_OK, later ones S_FALSE; asking for another
 * apartment kind than the thread has gives RPC_E_CHANGED_MODE (and does not count). ntrun has
 * no COM objects to run yet, so nothing else happens. */
#include "thunks/kernel32/kernel32_private.h"

#define CB_S_OK 0
#define CB_S_FALSE 1
#define CB_E_INVALIDARG ((int32_t)0x80070057)
#define CB_RPC_E_CHANGED_MODE ((int32_t)0x80010106)
#define CB_COINIT_APARTMENTTHREADED 0x2

static __thread uint32_t cb_init_count;
static __thread uint32_t cb_init_mode; /* COINIT_* | 0x80000000 once set */

int32_t WINAPI CoInitializeEx(void *reserved, DWORD flags)
{
    if (reserved)
        return CB_E_INVALIDARG;
    uint32_t mode = (flags & CB_COINIT_APARTMENTTHREADED) | 0x80000000u;
    if (cb_init_count && cb_init_mode != mode)
        return CB_RPC_E_CHANGED_MODE;
    cb_init_mode = mode;
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
    if (cb_init_count && !--cb_init_count)
        cb_init_mode = 0;
}
THK_EXPORT(combase, CoUninitialize, 0);
