/* SPDX-License-Identifier: MIT */
/* Shared by advapi32's CryptoAPI files (cryptprov.c, crypthash.c, cryptkey.c). */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_PRIVATE_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_PRIVATE_H

#include <stdbool.h>
#include "thunks/thunks.h"

/* The provider type a live provider context was acquired with (PROV_RSA_FULL, PROV_RSA_AES,
 * ...); false when `prov` is not a live context. */
bool cp_provider_type(ULONG_PTR prov, uint32_t *type);

/* cryptkey.c: the most secret bytes a key holds (an HMAC key of any reasonable length) */
#define CK_MAX_SECRET 256
/* The bytes of a live key (up to CK_MAX_SECRET); false when `key` is not one. */
bool ck_key_secret(ULONG_PTR key, uint8_t *out, uint32_t *len);

/* crypthash.c: the value of a live hash (finishing it, as HP_HASHVAL does), its size and ALG_ID;
 * false when `hash` is not one */
bool ch_hash_value(ULONG_PTR hash, uint8_t *out, uint32_t *len, uint32_t *algid);
/* The digest of `data` with the hash algorithm `algid`; false for an algorithm there is none
 * of. */
bool ch_digest(uint32_t algid, const void *data, size_t len, uint8_t *out, uint32_t *size);
BOOL WINAPI CryptHashData(ULONG_PTR h, const BYTE *data, DWORD len, DWORD flags);

#endif
