/* SPDX-License-Identifier: MIT */
/* combase (ole32) CoCreateGuid: a new random GUID, rpcrt4's UuidCreate (a version 4 UUID);
 * E_INVALIDARG for a NULL pointer, as Windows. */
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/rpcrt4/rpcrt4_private.h"

#define CB_E_INVALIDARG ((int32_t)0x80070057)

int32_t WINAPI CoCreateGuid(void *guid)
{
    if (!guid)
        return CB_E_INVALIDARG;
    int32_t st = rpc_uuid_random(guid);
    /* HRESULT_FROM_WIN32 of UuidCreate's status */
    return st ? (int32_t)(0x80070000u | (uint32_t)st) : 0;
}
THK_EXPORT(combase, CoCreateGuid, 1);
