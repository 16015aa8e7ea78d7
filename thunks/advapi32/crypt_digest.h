/* SPDX-License-Identifier: MIT */
/* Message digests for CryptoAPI's hash objects (crypthash.c): MD2 (RFC 1319), MD4 (RFC 1320), MD5 (RFC 1321),
 * SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4), written from the specifications. Plain
 * native code over memory the caller has already copied in: no foreign pointer reaches here. */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_DIGEST_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CD_MD4,
    CD_MD5,
    CD_SHA1,
    CD_SHA256,
    CD_SHA384,
    CD_SHA512,
    CD_MD2, /* RFC 1319: 16-byte blocks, its state (48 bytes) and checksum (16) in h */
} cd_algo;

#define CD_MAX_SIZE 64 /* SHA-512's 64 bytes */

typedef struct {
    cd_algo algo;
    uint32_t block;   /* 64 or 128 bytes */
    uint32_t fill;    /* bytes waiting in buf */
    uint64_t total;   /* bytes hashed so far (the length field; < 2^61 in practice) */
    union {
        uint32_t w32[8];
        uint64_t w64[8];
    } h;
    uint8_t buf[128];
} cd_ctx;

/* The digest's size in bytes. */
uint32_t cd_size(cd_algo algo);
void cd_init(cd_ctx *c, cd_algo algo);
void cd_update(cd_ctx *c, const void *data, size_t len);
/* Writes cd_size(c->algo) bytes to out; c is spent afterwards. */
void cd_final(cd_ctx *c, uint8_t *out);

#endif
