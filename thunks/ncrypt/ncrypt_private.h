/* SPDX-License-Identifier: MIT */
/* ncrypt's files: the key storage provider (ncrypt.c) and where it keeps named keys
 * (storage.c). */
#ifndef NTRUN_THUNKS_NCRYPT_PRIVATE_H
#define NTRUN_THUNKS_NCRYPT_PRIVATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "thunks/thunks_private.h"

/* A persisted key as its file holds it */
typedef struct {
    char alg[24];            /* "RSA", "ECDSA_P256", ... */
    uint32_t export_policy, usage;
    WCHAR name[256];         /* as it was created (names compare without case) */
    uint8_t *blob;           /* the private key, a BCRYPT_PRIVATE_KEY_BLOB (malloc'd) */
    uint32_t blob_len;
} nc_stored;

/* Whether a key of this name is stored (machine: the machine's keys, else the user's) */
bool nc_store_exists(const WCHAR *name, bool machine);
/* Writes the key's file (replacing one of the same name); 0 or NTE_* */
int32_t nc_store_save(const nc_stored *k, bool machine);
/* Reads the key named `name`; 0, NTE_BAD_KEYSET when there is none, or NTE_BAD_DATA */
int32_t nc_store_load(const WCHAR *name, bool machine, nc_stored *k);
/* Deletes the key's file; 0 or NTE_BAD_KEYSET */
int32_t nc_store_delete(const WCHAR *name, bool machine);
/* The names of the stored keys, one after another with their NULs, an empty one at the end
 * (malloc'd; NULL when there are none or the list cannot be made) */
WCHAR *nc_store_list(bool machine);
/* The file name a key is kept under (its "Unique Name"), into out (cap characters) */
void nc_store_file_name(const WCHAR *name, WCHAR *out, size_t cap);

#endif
