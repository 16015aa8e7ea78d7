/* SPDX-License-Identifier: MIT */
/* rpcrt4 UUIDs: UuidCreate, a version 4 (random) UUID as Windows has made since Windows 2000
 * (RFC 4122 section 4.4: the version nibble 4 in Data3, the variant bits 10 in Data4[0]), from
 * the kernel's random bytes; UuidCreateNil. combase's CoCreateGuid is UuidCreate. */
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/rpcrt4/rpcrt4_private.h"

#define RPC_S_OK_W 0
#define RPC_S_INVALID_ARG_W 87

int32_t rpc_uuid_random(void *uuid)
{
    uint8_t b[16];
    if (thk_random_fill(b, sizeof b) != STATUS_SUCCESS)
        return RPC_S_INVALID_ARG_W;
    b[7] = (uint8_t)((b[7] & 0x0f) | 0x40); /* Data3's high byte (little-endian): version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* Data4[0]: the RFC 4122 variant */
    if (nt_copy_to_user(uuid, b, sizeof b) != 0)
        return RPC_S_INVALID_ARG_W;
    return RPC_S_OK_W;
}

int32_t WINAPI UuidCreate(void *uuid)
{
    if (!uuid)
        return RPC_S_INVALID_ARG_W;
    return rpc_uuid_random(uuid);
}
THK_EXPORT(rpcrt4, UuidCreate, 1);

int32_t WINAPI UuidCreateNil(void *uuid)
{
    static const uint8_t nil[16];
    if (!uuid || nt_copy_to_user(uuid, nil, sizeof nil) != 0)
        return RPC_S_INVALID_ARG_W;
    return RPC_S_OK_W;
}
THK_EXPORT(rpcrt4, UuidCreateNil, 1);
