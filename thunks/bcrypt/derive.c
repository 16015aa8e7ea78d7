/* SPDX-License-Identifier: MIT */
/* bcrypt's BCryptDeriveKey and BCryptDestroySecret: the key derivation functions over a secret
 * of BCryptSecretAgreement (Z, ecc.c). The KDFs:
 *
 *   TRUNCATE (BCRYPT_KDF_RAW_SECRET)  Z little-endian, as Windows gives it
 *   HASH     hash(prepend || Z || append): SHA-1 unless KDF_HASH_ALGORITHM names another; every
 *            KDF_SECRET_PREPEND and every KDF_SECRET_APPEND counts, in their order (Windows
 *            concatenates them); a shorter output than the digest gets its first bytes
 *   HMAC     the same under HMAC keyed with KDF_HMAC_KEY, or with Z under
 *            KDF_USE_SECRET_AS_HMAC_KEY_FLAG
 *   TLS_PRF  the master secret of TLS: 48 bytes (cbDerivedKey must be 48) of PRF(Z,
 *            KDF_TLS_PRF_LABEL, KDF_TLS_PRF_SEED), the seed 64 bytes; KDF_TLS_PRF_PROTOCOL
 *            picks TLS 1.0/1.1/DTLS 1.0's PRF (MD5 xor SHA-1, the default), TLS 1.2's and
 *            DTLS 1.2's (P_SHA256, or P_SHA384 by KDF_HASH_ALGORITHM) or SSL 3.0's
 *            (SSL3_PROTOCOL_VERSION 0x0300: RFC 6101's master secret, MD5/SHA-1 blocks over
 *            Z and the seed; the label, still required, takes no part, nor does the hash);
 *            SSL 2 is STATUS_NOT_SUPPORTED, an unknown version STATUS_INVALID_PARAMETER
 *   SP800_56A_CONCAT  SP 800-56A's concatenation KDF with KDF_ALGORITHMID, KDF_PARTYUINFO,
 *            KDF_PARTYVINFO (required) and KDF_SUPPPUBINFO, KDF_SUPPPRIVINFO; the hash is
 *            KDF_HASH_ALGORITHM's, SHA-1 without one (not confirmed on Windows)
 *   HKDF     RFC 5869 with KDF_HASH_ALGORITHM (required), KDF_HKDF_SALT, KDF_HKDF_INFO
 *
 * The last two write exactly cbDerivedKey bytes, so they need an output buffer
 * (STATUS_INVALID_PARAMETER without). The functions are kdf.c's. */
#include <stdlib.h>
#include <string.h>
#include <nettle/hmac.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_KDF_USE_SECRET_AS_HMAC_KEY 0x1u
#define BC_TLS_MASTER_LEN 48
#define BC_TLS_SEED_LEN 64

enum {
    BC_KDF_HASH_ALGORITHM = 0x0, BC_KDF_SECRET_PREPEND = 0x1, BC_KDF_SECRET_APPEND = 0x2,
    BC_KDF_HMAC_KEY = 0x3, BC_KDF_TLS_PRF_LABEL = 0x4, BC_KDF_TLS_PRF_SEED = 0x5,
    BC_KDF_TLS_PRF_PROTOCOL = 0x7, BC_KDF_ALGORITHMID = 0x8, BC_KDF_PARTYUINFO = 0x9,
    BC_KDF_PARTYVINFO = 0xa, BC_KDF_HKDF_SALT = 0x13, BC_KDF_HKDF_INFO = 0x14,
};

static bc_secret *bc_get_secret(void *h)
{
    bc_secret *s = h;
    return s && (uintptr_t)s >= 0x1000 && s->magic == BC_SECRET_MAGIC ? s : NULL;
}

NTSTATUS WINAPI bc_BCryptDestroySecret(void *secret)
{
    bc_secret *s = bc_get_secret(secret);
    if (!s)
        return BC_STATUS_INVALID_HANDLE;
    memset(s, 0, sizeof *s);
    free(s);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDestroySecret, bc_BCryptDestroySecret, 1);

/* Feeds every buffer of `type` in the list, in order, to the digest state of c (hash) */
static void bc_feed(const bc_kdf_params *p, uint32_t type, const struct nettle_hash *h,
                    void *state)
{
    for (uint32_t i = 0; p->desc && i < p->desc->cBuffers; i++) {
        const bc_buffer *b = &p->desc->pBuffers[i];
        if (b->BufferType == type && b->cbBuffer)
            h->update(state, b->cbBuffer, b->pvBuffer);
    }
}

/* BCRYPT_KDF_HASH and BCRYPT_KDF_HMAC: digest (or HMAC) of prepend || Z || append */
static NTSTATUS bc_kdf_hash(const bc_secret *s, bool hmac, const bc_kdf_params *p, uint8_t *out,
                            uint32_t cb, uint32_t *res, uint32_t flags)
{
    cd_algo dg = p->hash >= 0 ? (cd_algo)p->hash : CD_SHA1;
    uint32_t size = cd_size(dg);
    if (!out) {
        *res = size;
        return BC_STATUS_SUCCESS;
    }
    uint8_t digest[CD_MAX_SIZE];
    cd_ctx c, outer, inner;
    cd_init(&c, dg);
    if (hmac) {
        const uint8_t *k = s->z;
        size_t klen = s->len;
        if (!(flags & BC_KDF_USE_SECRET_AS_HMAC_KEY))
            k = p->v[BC_KDF_HMAC_KEY].p, klen = p->v[BC_KDF_HMAC_KEY].n;
        outer = inner = c;
        hmac_set_key(&outer.u, &inner.u, &c.u, c.hash, klen, k);
    }
    bc_feed(p, BC_KDF_SECRET_PREPEND, c.hash, &c.u);
    cd_update(&c, s->z, s->len);
    bc_feed(p, BC_KDF_SECRET_APPEND, c.hash, &c.u);
    if (hmac)
        hmac_digest(&outer.u, &inner.u, &c.u, c.hash, size, digest);
    else
        cd_final(&c, digest);
    *res = cb < size ? cb : size;
    memcpy(out, digest, *res);
    return BC_STATUS_SUCCESS;
}

static NTSTATUS bc_kdf_tls(const bc_secret *s, const bc_kdf_params *p, uint8_t *out, uint32_t cb,
                           uint32_t *res)
{
    if (!p->v[BC_KDF_TLS_PRF_LABEL].set || !p->v[BC_KDF_TLS_PRF_SEED].set ||
        p->v[BC_KDF_TLS_PRF_SEED].n != BC_TLS_SEED_LEN)
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t version = 0x0301; /* TLS1_PROTOCOL_VERSION */
    if (p->v[BC_KDF_TLS_PRF_PROTOCOL].set) {
        if (p->v[BC_KDF_TLS_PRF_PROTOCOL].n != 4)
            return BC_STATUS_INVALID_PARAMETER;
        memcpy(&version, p->v[BC_KDF_TLS_PRF_PROTOCOL].p, 4);
    }
    bool tls12 = false, ssl3 = false;
    switch (version) {
    case 0x0301: case 0x0302: case 0xfeff: break;                /* TLS 1.0, 1.1, DTLS 1.0 */
    case 0x0303: case 0xfefd: tls12 = true; break;               /* TLS 1.2, DTLS 1.2 */
    case 0x0300: ssl3 = true; break;                             /* SSL 3.0 */
    case 0x0002: return BC_STATUS_NOT_SUPPORTED;                 /* SSL 2 */
    default: return BC_STATUS_INVALID_PARAMETER;
    }
    int dg = p->hash >= 0 ? p->hash : CD_SHA256;
    if (tls12 && dg != CD_SHA256 && dg != CD_SHA384)
        return BC_STATUS_NOT_SUPPORTED;
    *res = BC_TLS_MASTER_LEN;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb != BC_TLS_MASTER_LEN)
        return BC_STATUS_INVALID_PARAMETER;
    if (ssl3)
        bc_ssl3_prf(s->z, s->len, p->v[BC_KDF_TLS_PRF_SEED].p, BC_TLS_SEED_LEN, out, cb);
    else
        bc_tls_prf(tls12, dg, s->z, s->len, p, out, cb);
    return BC_STATUS_SUCCESS;
}

NTSTATUS WINAPI bc_BCryptDeriveKey(void *secret, const WCHAR *kdf,
                                   const bc_buffer_desc *params, uint8_t *out,
                                   uint32_t cb, uint32_t *res, uint32_t flags)
{
    bc_secret *s = bc_get_secret(secret);
    if (!s)
        return BC_STATUS_INVALID_HANDLE;
    if (!kdf || !res)
        return BC_STATUS_INVALID_PARAMETER;
    if (bc_name_is(kdf, "TRUNCATE")) { /* BCRYPT_KDF_RAW_SECRET: Z little-endian */
        *res = s->len;
        if (!out)
            return BC_STATUS_SUCCESS;
        if (cb < s->len)
            return BC_STATUS_BUFFER_TOO_SMALL;
        for (uint32_t i = 0; i < s->len; i++)
            out[i] = s->z[s->len - 1 - i];
        return BC_STATUS_SUCCESS;
    }
    bool hash = bc_name_is(kdf, "HASH"), hmac = bc_name_is(kdf, "HMAC");
    bool tls = bc_name_is(kdf, "TLS_PRF"), concat = bc_name_is(kdf, "SP800_56A_CONCAT");
    bool hkdf = bc_name_is(kdf, "HKDF");
    if (!hash && !hmac && !tls && !concat && !hkdf)
        return BC_STATUS_NOT_SUPPORTED;
    bc_kdf_params p;
    NTSTATUS st = bc_kdf_parse(params, &p);
    if (st)
        return st;
    if (hash || hmac)
        return bc_kdf_hash(s, hmac, &p, out, cb, res, flags);
    if (tls)
        return bc_kdf_tls(s, &p, out, cb, res);
    if (!out || !cb)
        return BC_STATUS_INVALID_PARAMETER;
    if (concat) {
        if (!p.v[BC_KDF_ALGORITHMID].set || !p.v[BC_KDF_PARTYUINFO].set ||
            !p.v[BC_KDF_PARTYVINFO].set)
            return BC_STATUS_INVALID_PARAMETER;
        bc_concat_kdf(p.hash >= 0 ? p.hash : CD_SHA1, s->z, s->len, &p, out, cb);
    } else {
        if (p.hash < 0 || cb > 255 * cd_size((cd_algo)p.hash))
            return BC_STATUS_INVALID_PARAMETER;
        uint8_t prk[CD_MAX_SIZE];
        bc_hkdf_extract(p.hash, p.v[BC_KDF_HKDF_SALT].p, p.v[BC_KDF_HKDF_SALT].n, s->z, s->len,
                        prk);
        bc_hkdf_expand(p.hash, prk, cd_size((cd_algo)p.hash), p.v[BC_KDF_HKDF_INFO].p,
                       p.v[BC_KDF_HKDF_INFO].n, out, cb);
    }
    *res = cb;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDeriveKey, bc_BCryptDeriveKey, 7);
