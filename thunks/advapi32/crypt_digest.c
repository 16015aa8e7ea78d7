/* SPDX-License-Identifier: MIT */
/* The digests of crypt_digest.h, chosen by cd_algo from Nettle's descriptions. */
#include "thunks/advapi32/crypt_digest.h"

const struct nettle_hash *cd_nettle(cd_algo algo)
{
    switch (algo) {
    case CD_MD2: return &nettle_md2;
    case CD_MD4: return &nettle_md4;
    case CD_MD5: return &nettle_md5;
    case CD_SHA1: return &nettle_sha1;
    case CD_SHA256: return &nettle_sha256;
    case CD_SHA384: return &nettle_sha384;
    case CD_SHA512: return &nettle_sha512;
    }
    return &nettle_sha1;
}

uint32_t cd_size(cd_algo algo) { return cd_nettle(algo)->digest_size; }

void cd_init(cd_ctx *c, cd_algo algo)
{
    c->algo = algo;
    c->hash = cd_nettle(algo);
    c->block = c->hash->block_size;
    c->hash->init(&c->u);
}

void cd_update(cd_ctx *c, const void *data, size_t len) { c->hash->update(&c->u, len, data); }

void cd_final(cd_ctx *c, uint8_t *out) { c->hash->digest(&c->u, c->hash->digest_size, out); }
