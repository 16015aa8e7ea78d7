/* SPDX-License-Identifier: MIT */
/* Message digests for CryptoAPI's hash objects (crypthash.c), bcrypt's hash providers and
 * crypt32's certificate hashes: MD2, MD4, MD5, SHA-1, SHA-256, SHA-384 and SHA-512, all
 * Nettle's (nettle-dev); this is only the selection by algorithm. Plain native code over memory
 * the caller has already copied in: no foreign pointer reaches here. */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_DIGEST_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <nettle/md2.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include "thunks/advapi32/nettle_lazy.h" /* after the Nettle headers */

typedef enum {
    CD_MD4,
    CD_MD5,
    CD_SHA1,
    CD_SHA256,
    CD_SHA384,
    CD_SHA512,
    CD_MD2,
} cd_algo;

#define CD_MAX_SIZE 64   /* SHA-512's 64 bytes */
#define CD_MAX_BLOCK 128 /* SHA-384/512's block */

typedef struct {
    cd_algo algo;
    uint32_t block; /* the block size in bytes: 16 (MD2), 64 or 128 (HMAC's pad length) */
    const struct nettle_hash *hash;
    union {
        struct md2_ctx md2;
        struct md4_ctx md4;
        struct md5_ctx md5;
        struct sha1_ctx sha1;
        struct sha256_ctx sha256;
        struct sha512_ctx sha512; /* and SHA-384 */
    } u;
} cd_ctx;

/* Nettle's description of a digest (for its HMAC and PBKDF2). */
const struct nettle_hash *cd_nettle(cd_algo algo);
/* The digest's size in bytes. */
uint32_t cd_size(cd_algo algo);
void cd_init(cd_ctx *c, cd_algo algo);
void cd_update(cd_ctx *c, const void *data, size_t len);
/* Writes cd_size(c->algo) bytes to out; c is spent afterwards (Nettle starts it again). */
void cd_final(cd_ctx *c, uint8_t *out);

#endif
