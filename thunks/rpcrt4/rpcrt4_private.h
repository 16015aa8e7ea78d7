/* SPDX-License-Identifier: MIT */
/* What rpcrt4 gives the other built-in DLLs: a random (version 4) UUID. */
#ifndef THUNKS_RPCRT4_PRIVATE_H
#define THUNKS_RPCRT4_PRIVATE_H
#include <stdint.h>

/* Fills the 16 bytes at uuid (foreign memory, copied fault-safe) with a version 4 UUID; 0
 * (RPC_S_OK), or 87 (RPC_S_INVALID_ARG) when uuid cannot be written. */
int32_t rpc_uuid_random(void *uuid);

#endif
