/* SPDX-License-Identifier: MIT */
/* Shared by advapi32's CryptoAPI files (cryptprov.c, crypthash.c). */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_PRIVATE_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_PRIVATE_H

#include <stdbool.h>
#include "thunks/thunks.h"

/* The provider type a live provider context was acquired with (PROV_RSA_FULL, PROV_RSA_AES,
 * ...); false when `prov` is not a live context. */
bool cp_provider_type(ULONG_PTR prov, uint32_t *type);

#endif
