/* SPDX-License-Identifier: MIT */
/* Shared by bcrypt's files: algorithm handles (alg.c) as BCryptGenRandom (random.c), the
 * symmetric keys (key.c) and PBKDF2 (kdf.c) see them. */
#ifndef NTRUN_THUNKS_BCRYPT_PRIVATE_H
#define NTRUN_THUNKS_BCRYPT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include "thunks/thunks_private.h"

#define BC_STATUS_SUCCESS ((NTSTATUS)0)
#define BC_STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define BC_STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define BC_STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define BC_STATUS_NO_MEMORY ((NTSTATUS)0xC0000017)
#define BC_STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define BC_STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BB)
#define BC_STATUS_INVALID_BUFFER_SIZE ((NTSTATUS)0xC0000206)
#define BC_STATUS_NOT_FOUND ((NTSTATUS)0xC0000225)
#define BC_STATUS_AUTH_TAG_MISMATCH ((NTSTATUS)0xC000A002)

#define BC_ALG_MAGIC 0x414c4742u  /* "BGLA" */

/* An algorithm: BC_RNG, a digest (cd_algo, 0..6) or a cipher (BC_AES ...). */
enum { BC_RNG = -1, BC_AES = 16, BC_3DES, BC_3DES_112, BC_DES };
/* Chaining modes of the ciphers */
enum { BC_MODE_CBC, BC_MODE_ECB, BC_MODE_CFB, BC_MODE_GCM };

typedef struct {
    uint32_t magic;
    int kind;
    bool hmac;
    uint32_t mode; /* ciphers: BC_MODE_*, set by BCryptSetProperty(ChainingMode) */
} bc_alg;

/* The algorithm behind a handle (a pseudo-handle or one we opened); NULL when neither. */
const bc_alg *bc_get_alg(const void *h);
/* Whether `alg` is an open "RNG" algorithm handle or BCRYPT_RNG_ALG_HANDLE. */
bool bc_is_rng(const void *alg);
static inline bool bc_is_cipher(int kind) { return kind >= BC_AES; }
/* Case-insensitive compare of a foreign UTF-16 name with an upper-case ASCII one. */
bool bc_name_is(const WCHAR *w, const char *a);
/* A DWORD property: its size to *res, the value to out when there is one. */
NTSTATUS bc_put_dword(uint32_t v, uint8_t *out, uint32_t cb, uint32_t *res);
/* Bytes of a property: their size to *res, the bytes to out when there is one. */
NTSTATUS bc_put_bytes(const void *v, uint32_t n, uint8_t *out, uint32_t cb, uint32_t *res);

/* A NUL-terminated UTF-16 string property from ASCII. */
NTSTATUS bc_put_name(const char *n, uint8_t *out, uint32_t cb, uint32_t *res);
/* The algorithm's name ("AES", "SHA256", ...) */
const char *bc_kind_name(int kind);

/* key.c: BCryptGetProperty/BCryptSetProperty of a cipher algorithm (alg) or a key (h) */
NTSTATUS bc_cipher_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                                uint32_t cb, uint32_t *res);
NTSTATUS bc_cipher_set_property(bc_alg *alg, void *h, const WCHAR *prop, const uint8_t *in,
                                uint32_t cb);
/* Whether h is one of key.c's keys */
bool bc_is_key(const void *h);

#endif
