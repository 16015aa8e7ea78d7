/* SPDX-License-Identifier: MIT */
/* bcrypt's exports that other built-in DLLs build on (ncrypt's key storage provider is a layer
 * over them, as Windows' is): the same functions programs call, with Windows' NTSTATUS codes. */
#ifndef NTRUN_THUNKS_BCRYPT_H
#define NTRUN_THUNKS_BCRYPT_H
#include <stdint.h>
#include "thunks/thunks_private.h"

struct bc_buffer_desc; /* BCryptBufferDesc */

NTSTATUS WINAPI bc_BCryptGetProperty(void *h, const WCHAR *prop, uint8_t *out, uint32_t cb,
                                     uint32_t *res, uint32_t flags);
NTSTATUS WINAPI bc_BCryptSetProperty(void *h, const WCHAR *prop, uint8_t *in, uint32_t cb,
                                     uint32_t flags);
NTSTATUS WINAPI bc_BCryptGenerateKeyPair(void *alg, void **out, uint32_t bits, uint32_t flags);
NTSTATUS WINAPI bc_BCryptFinalizeKeyPair(void *key, uint32_t flags);
NTSTATUS WINAPI bc_BCryptImportKeyPair(void *alg, void *wrap, const WCHAR *type, void **out,
                                       const uint8_t *in, uint32_t cbin, uint32_t flags);
NTSTATUS WINAPI bc_BCryptExportKey(void *key, void *wrap, const WCHAR *type, uint8_t *out,
                                   uint32_t cbout, uint32_t *res, uint32_t flags);
NTSTATUS WINAPI bc_BCryptDestroyKey(void *key);
NTSTATUS WINAPI bc_BCryptSignHash(void *key, const void *padinfo, const uint8_t *in,
                                  uint32_t cbin, uint8_t *out, uint32_t cbout, uint32_t *res,
                                  uint32_t flags);
NTSTATUS WINAPI bc_BCryptVerifySignature(void *key, const void *padinfo, const uint8_t *hash,
                                         uint32_t cbhash, const uint8_t *sig, uint32_t cbsig,
                                         uint32_t flags);
NTSTATUS WINAPI bc_BCryptEncrypt(void *key, uint8_t *in, uint32_t inlen, void *padinfo,
                                 uint8_t *iv, uint32_t ivlen, uint8_t *out, uint32_t outlen,
                                 uint32_t *res, uint32_t flags);
NTSTATUS WINAPI bc_BCryptDecrypt(void *key, uint8_t *in, uint32_t inlen, void *padinfo,
                                 uint8_t *iv, uint32_t ivlen, uint8_t *out, uint32_t outlen,
                                 uint32_t *res, uint32_t flags);
NTSTATUS WINAPI bc_BCryptSecretAgreement(void *privkey, void *pubkey, void **out,
                                         uint32_t flags);
NTSTATUS WINAPI bc_BCryptDeriveKey(void *secret, const WCHAR *kdf,
                                   const struct bc_buffer_desc *params, uint8_t *out,
                                   uint32_t cb, uint32_t *res, uint32_t flags);
NTSTATUS WINAPI bc_BCryptDestroySecret(void *secret);

#endif
