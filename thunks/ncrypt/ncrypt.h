/* SPDX-License-Identifier: MIT */
/* ncrypt's exports that other built-in DLLs build on (crypt32 signs messages with a key a
 * program holds through NCrypt, and decrypts enveloped messages' keys, agrees ECDH secrets with their originators): the same functions programs call, with their
 * SECURITY_STATUS codes. */
#ifndef NTRUN_THUNKS_NCRYPT_H
#define NTRUN_THUNKS_NCRYPT_H
#include <stdint.h>
#include "thunks/thunks_private.h"

int32_t WINAPI nc_NCryptSignHash(uintptr_t key, const void *padinfo, const uint8_t *hash,
                                 uint32_t cbhash, uint8_t *sig, uint32_t cbsig, uint32_t *res,
                                 uint32_t flags);
int32_t WINAPI nc_NCryptDecrypt(uintptr_t key, uint8_t *in, uint32_t inlen, void *padinfo,
                                 uint8_t *out, uint32_t outlen, uint32_t *res, uint32_t flags);
/* crypt32's key agreement (ECDH recipients of enveloped messages) */
struct bc_buffer_desc;
int32_t WINAPI nc_NCryptOpenStorageProvider(uintptr_t *out, const WCHAR *name, uint32_t flags);
int32_t WINAPI nc_NCryptImportKey(uintptr_t prov, uintptr_t wrap, const WCHAR *type,
                                  const struct bc_buffer_desc *params, uintptr_t *out,
                                  const uint8_t *in, uint32_t cbin, uint32_t flags);
int32_t WINAPI nc_NCryptSecretAgreement(uintptr_t priv, uintptr_t pub, uintptr_t *out,
                                        uint32_t flags);
int32_t WINAPI nc_NCryptDeriveKey(uintptr_t secret, const WCHAR *kdf,
                                  const struct bc_buffer_desc *params, uint8_t *out, uint32_t cb,
                                  uint32_t *res, uint32_t flags);
int32_t WINAPI nc_NCryptFreeObject(uintptr_t h);
/* ... and encoding them: the originator's ephemeral key */
int32_t WINAPI nc_NCryptCreatePersistedKey(uintptr_t prov, uintptr_t *out, const WCHAR *alg,
                                           const WCHAR *name, uint32_t spec, uint32_t flags);
int32_t WINAPI nc_NCryptFinalizeKey(uintptr_t key, uint32_t flags);
int32_t WINAPI nc_NCryptExportKey(uintptr_t key, uintptr_t wrap, const WCHAR *type,
                                  const void *params, uint8_t *out, uint32_t cb, uint32_t *res,
                                  uint32_t flags);
int32_t WINAPI nc_NCryptGetProperty(uintptr_t h, const WCHAR *prop, uint8_t *out, uint32_t cb,
                                    uint32_t *res, uint32_t flags);

#endif
