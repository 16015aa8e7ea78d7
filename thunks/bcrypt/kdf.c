/* SPDX-License-Identifier: MIT */
/* bcrypt's key derivation functions: BCryptDeriveKeyPBKDF2 (RFC 8018) over an HMAC algorithm
 * handle, and the KDF algorithms PBKDF2, SP800_108_CTR_HMAC, SP800_56A_CONCAT, TLS1_1_KDF,
 * TLS1_2_KDF and HKDF (BCryptOpenAlgorithmProvider or their BCRYPT_*_ALG_HANDLEs): a key of one
 * is made by BCryptGenerateSymmetricKey (or BCryptImportKey of a BCRYPT_KEY_DATA_BLOB) from its
 * secret, and BCryptKeyDerivation derives bytes from it with the parameters of a
 * BCryptBufferDesc, as Windows 10 does (Go's crypto through CNG: HKDF, PBKDF2, TLS 1.x PRF,
 * SP 800-108):
 *
 *   PBKDF2             KDF_HASH_ALGORITHM (required), KDF_SALT (or KDF_GENERIC_PARAMETER; none is
 *                      an empty salt, as Go passes it), KDF_ITERATION_COUNT (a ULONGLONG, 10000
 *                      if absent)
 *   SP800_108_CTR_HMAC HMAC in counter mode: HMAC(key, [i]32 || KDF_LABEL || 0x00 ||
 *                      KDF_CONTEXT || [bits]32); KDF_HASH_ALGORITHM required; KDF_GENERIC_PARAMETER
 *                      stands for label || 0x00 || context
 *   SP800_56A_CONCAT   hash([i]32 || key || KDF_ALGORITHMID || KDF_PARTYUINFO || KDF_PARTYVINFO ||
 *                      KDF_SUPPPUBINFO || KDF_SUPPPRIVINFO); the first three and the hash required
 *   TLS1_1_KDF         P_MD5 xor P_SHA1 (RFC 2246) of KDF_TLS_PRF_LABEL || KDF_TLS_PRF_SEED (an
 *                      absent one is empty: Go's TLS1PRF through CNG leaves empty ones out)
 *   TLS1_2_KDF         P_hash (RFC 5246), KDF_HASH_ALGORITHM (SHA256 or SHA384) required
 *   HKDF               RFC 5869: BCryptSetProperty(HkdfHashAlgorithm) names the hash, then
 *                      HkdfSaltAndFinalize (the key's secret is the input keying material: PRK =
 *                      HMAC(salt, IKM)) or HkdfPrkAndFinalize (the secret is the PRK); the
 *                      expansion takes KDF_HKDF_INFO. BCryptExportKey(BCRYPT_KEY_DATA_BLOB) of
 *                      a finalized key gives the PRK after the hash's name (a big-endian length,
 *                      the UTF-16 name), as Go's ExtractHKDF reads it.
 *
 * A missing required parameter is STATUS_INVALID_PARAMETER, an unknown hash STATUS_NOT_SUPPORTED,
 *   CAPI_KDF           CryptDeriveKey's derivation (Microsoft's CryptDeriveKey page): H =
 *                      hash(key) with KDF_HASH_ALGORITHM (required); a key no longer than H is
 *                      its first bytes, a longer one (up to twice H) or any with
 *                      BCRYPT_CAPI_AES_FLAG ("the target algorithm is AES and the key therefore
 *                      must be double expanded") the first bytes of hash(0x36-pad ^ H) ||
 *                      hash(0x5c-pad ^ H) with 64-byte pads; longer than twice H, or a hash of
 *                      more than 64 bytes, is STATUS_INVALID_PARAMETER (BCryptDeriveKeyCapi's
 *                      limits; the AES flag's doubling of a SHA-2 hash, which CryptDeriveKey
 *                      does not do, is the flag's documented meaning, not checked on Windows)
 *
 * A missing required parameter is STATUS_INVALID_PARAMETER, an unknown hash STATUS_NOT_SUPPORTED,
 * BCryptKeyDerivation before HKDF's finalize STATUS_INVALID_PARAMETER. Every KDF writes exactly
 * the cbDerivedKey bytes asked for (HKDF at most 255 digests). The derivation functions here
 * also serve BCryptDeriveKey's TLS_PRF (with SSL 3.0's PRF), SP800_56A_CONCAT and HKDF
 * (derive.c). */
#include <stdlib.h>
#include <string.h>
#include <nettle/hmac.h>
#include <nettle/pbkdf2.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_KDF_KEY_MAGIC 0x46444b42u /* "BKDF" */
#define BC_KEY_DATA_BLOB_MAGIC 0x4d42444bu
#define BC_PBKDF2_DEFAULT_ITERATIONS 10000
#define BC_CAPI_AES_FLAG 0x10u

enum {
    BC_KDF_HASH_ALGORITHM = 0x0, BC_KDF_SECRET_PREPEND, BC_KDF_SECRET_APPEND, BC_KDF_HMAC_KEY,
    BC_KDF_TLS_PRF_LABEL, BC_KDF_TLS_PRF_SEED, BC_KDF_SECRET_HANDLE, BC_KDF_TLS_PRF_PROTOCOL,
    BC_KDF_ALGORITHMID, BC_KDF_PARTYUINFO, BC_KDF_PARTYVINFO, BC_KDF_SUPPPUBINFO,
    BC_KDF_SUPPPRIVINFO, BC_KDF_LABEL, BC_KDF_CONTEXT, BC_KDF_SALT, BC_KDF_ITERATION_COUNT,
    BC_KDF_GENERIC_PARAMETER, BC_KDF_KEYBITLENGTH, BC_KDF_HKDF_SALT, BC_KDF_HKDF_INFO,
};

/* A key of a KDF algorithm: its secret (password, key derivation key, Z, IKM or PRK) */
typedef struct {
    uint32_t magic;
    int kind;      /* BC_PBKDF2 ... BC_HKDF */
    int hash;      /* HKDF: the hash BCryptSetProperty named, -1 before */
    bool final;    /* HKDF: finalized, the secret is the PRK */
    uint32_t len;  /* bytes of secret */
    uint8_t *secret;
} bc_kdf_key;

/* Nettle's generic HMAC keyed once: each digest starts the next message under the same key */
typedef struct {
    const struct nettle_hash *hash;
    cd_ctx outer, inner, state;
} bc_hmac;

static void bc_hmac_key(bc_hmac *m, int dg, const uint8_t *key, size_t n)
{
    m->hash = cd_nettle((cd_algo)dg);
    hmac_set_key(&m->outer.u, &m->inner.u, &m->state.u, m->hash, n, key);
}

static void bc_hmac_update(void *c, size_t n, const uint8_t *p)
{
    bc_hmac *m = c;
    if (n)
        hmac_update(&m->state.u, m->hash, n, p);
}

static void bc_hmac_digest(void *c, size_t n, uint8_t *out)
{
    bc_hmac *m = c;
    hmac_digest(&m->outer.u, &m->inner.u, &m->state.u, m->hash, n, out);
}

static void bc_be32(uint8_t b[4], uint32_t v)
{
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
}

NTSTATUS bc_kdf_parse(const bc_buffer_desc *d, bc_kdf_params *p)
{
    memset(p, 0, sizeof *p);
    p->desc = d;
    p->hash = -1;
    if (!d)
        return BC_STATUS_SUCCESS;
    if (d->cBuffers && !d->pBuffers)
        return BC_STATUS_INVALID_PARAMETER;
    for (uint32_t i = 0; i < d->cBuffers; i++) {
        const bc_buffer *b = &d->pBuffers[i];
        if (b->cbBuffer && !b->pvBuffer)
            return BC_STATUS_INVALID_PARAMETER;
        if (b->BufferType >= BC_KDF_TYPES || b->BufferType == BC_KDF_SECRET_HANDLE)
            return BC_STATUS_NOT_SUPPORTED;
        p->v[b->BufferType].p = b->pvBuffer;
        p->v[b->BufferType].n = b->cbBuffer;
        p->v[b->BufferType].set = true;
    }
    if (p->v[BC_KDF_HASH_ALGORITHM].set) {
        /* a UTF-16 name; its NUL may lie outside cbBuffer */
        WCHAR name[16] = {0};
        uint32_t n = p->v[BC_KDF_HASH_ALGORITHM].n / 2;
        memcpy(name, p->v[BC_KDF_HASH_ALGORITHM].p, 2 * (n < 15 ? n : 15));
        p->hash = bc_hash_by_name(name);
        if (p->hash < 0)
            return BC_STATUS_NOT_SUPPORTED;
    }
    return BC_STATUS_SUCCESS;
}

/* P_hash (RFC 5246 5) of the secret over label || seed, XORed into out */
static void bc_p_hash(int dg, const uint8_t *secret, uint32_t slen, const bc_kdf_params *p,
                      uint8_t *out, uint32_t len)
{
    const uint32_t hl = cd_size((cd_algo)dg);
    const uint8_t *lab = p->v[BC_KDF_TLS_PRF_LABEL].p, *seed = p->v[BC_KDF_TLS_PRF_SEED].p;
    uint32_t llen = p->v[BC_KDF_TLS_PRF_LABEL].n, sdlen = p->v[BC_KDF_TLS_PRF_SEED].n;
    uint8_t a[CD_MAX_SIZE], blk[CD_MAX_SIZE];
    bc_hmac m;
    bc_hmac_key(&m, dg, secret, slen);
    bc_hmac_update(&m, llen, lab); /* A(1) = HMAC(secret, label || seed) */
    bc_hmac_update(&m, sdlen, seed);
    bc_hmac_digest(&m, hl, a);
    for (uint32_t done = 0; done < len; done += hl) {
        bc_hmac_update(&m, hl, a);
        bc_hmac_update(&m, llen, lab);
        bc_hmac_update(&m, sdlen, seed);
        bc_hmac_digest(&m, hl, blk);
        for (uint32_t i = 0; i < hl && done + i < len; i++)
            out[done + i] ^= blk[i];
        bc_hmac_update(&m, hl, a); /* A(i+1) = HMAC(secret, A(i)) */
        bc_hmac_digest(&m, hl, a);
    }
}

void bc_tls_prf(bool tls12, int dg, const uint8_t *secret, uint32_t slen,
                const bc_kdf_params *p, uint8_t *out, uint32_t len)
{
    memset(out, 0, len);
    if (tls12) {
        bc_p_hash(dg, secret, slen, p, out, len);
        return;
    }
    uint32_t half = (slen + 1) / 2; /* S1 and S2 share the middle byte of an odd secret */
    bc_p_hash(CD_MD5, secret, half, p, out, len);
    bc_p_hash(CD_SHA1, secret + (slen - half), half, p, out, len);
}

void bc_ssl3_prf(const uint8_t *secret, uint32_t slen, const uint8_t *seed, uint32_t seedlen,
                 uint8_t *out, uint32_t len)
{
    uint8_t letters[26], sha[20], md5[16];
    for (uint32_t i = 0, done = 0; done < len && i < 26; i++, done += 16) {
        cd_ctx c;
        memset(letters, 'A' + i, i + 1);
        cd_init(&c, CD_SHA1);
        cd_update(&c, letters, i + 1);
        cd_update(&c, secret, slen);
        cd_update(&c, seed, seedlen);
        cd_final(&c, sha);
        cd_init(&c, CD_MD5);
        cd_update(&c, secret, slen);
        cd_update(&c, sha, sizeof sha);
        cd_final(&c, md5);
        memcpy(out + done, md5, len - done < 16 ? len - done : 16);
    }
}

/* CAPI_KDF (see the top): len at most twice the digest, checked by the caller */
static void bc_capi_kdf(int dg, const uint8_t *secret, uint32_t slen, bool expand, uint8_t *out,
                        uint32_t len)
{
    const uint32_t hl = cd_size((cd_algo)dg);
    uint8_t h[CD_MAX_SIZE], both[2 * CD_MAX_SIZE], pad[64];
    cd_ctx c;
    cd_init(&c, (cd_algo)dg);
    cd_update(&c, secret, slen);
    cd_final(&c, h);
    if (!expand) {
        memcpy(out, h, len);
        return;
    }
    static const uint8_t fill[2] = {0x36, 0x5c};
    for (int k = 0; k < 2; k++) {
        memset(pad, fill[k], sizeof pad);
        for (uint32_t i = 0; i < hl; i++)
            pad[i] ^= h[i];
        cd_init(&c, (cd_algo)dg);
        cd_update(&c, pad, sizeof pad);
        cd_final(&c, both + k * hl);
    }
    memcpy(out, both, len);
}

void bc_concat_kdf(int dg, const uint8_t *z, uint32_t zlen, const bc_kdf_params *p,
                   uint8_t *out, uint32_t len)
{
    static const int parts[] = {BC_KDF_ALGORITHMID, BC_KDF_PARTYUINFO, BC_KDF_PARTYVINFO,
                                BC_KDF_SUPPPUBINFO, BC_KDF_SUPPPRIVINFO};
    const uint32_t hl = cd_size((cd_algo)dg);
    uint8_t blk[CD_MAX_SIZE], ctr[4];
    for (uint32_t i = 1, done = 0; done < len; i++, done += hl) {
        cd_ctx c;
        cd_init(&c, (cd_algo)dg);
        bc_be32(ctr, i);
        cd_update(&c, ctr, 4);
        cd_update(&c, z, zlen);
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
            if (p->v[parts[k]].n)
                cd_update(&c, p->v[parts[k]].p, p->v[parts[k]].n);
        cd_final(&c, blk);
        memcpy(out + done, blk, len - done < hl ? len - done : hl);
    }
}

void bc_hkdf_extract(int dg, const uint8_t *salt, uint32_t slen, const uint8_t *ikm,
                     uint32_t ilen, uint8_t *prk)
{
    bc_hmac m;
    bc_hmac_key(&m, dg, salt, slen); /* no salt: HMAC's zero-padded key is HashLen zeros */
    bc_hmac_update(&m, ilen, ikm);
    bc_hmac_digest(&m, cd_size((cd_algo)dg), prk);
}

void bc_hkdf_expand(int dg, const uint8_t *prk, uint32_t plen, const uint8_t *info,
                    uint32_t ilen, uint8_t *out, uint32_t len)
{
    const uint32_t hl = cd_size((cd_algo)dg);
    uint8_t t[CD_MAX_SIZE];
    bc_hmac m;
    bc_hmac_key(&m, dg, prk, plen);
    for (uint32_t i = 1, done = 0; done < len; i++, done += hl) {
        uint8_t c = (uint8_t)i;
        if (i > 1)
            bc_hmac_update(&m, hl, t);
        bc_hmac_update(&m, ilen, info);
        bc_hmac_update(&m, 1, &c);
        bc_hmac_digest(&m, hl, t);
        memcpy(out + done, t, len - done < hl ? len - done : hl);
    }
}

/* SP 800-108 KDF in counter mode with HMAC: [i]32 || fixed || [L]32 */
static void bc_sp800108(int dg, const uint8_t *key, uint32_t klen, const bc_kdf_params *p,
                        uint8_t *out, uint32_t len)
{
    const uint32_t hl = cd_size((cd_algo)dg);
    uint8_t blk[CD_MAX_SIZE], ctr[4], bits[4], zero = 0;
    bc_hmac m;
    bc_hmac_key(&m, dg, key, klen);
    bc_be32(bits, len * 8);
    for (uint32_t i = 1, done = 0; done < len; i++, done += hl) {
        bc_be32(ctr, i);
        bc_hmac_update(&m, 4, ctr);
        if (p->v[BC_KDF_GENERIC_PARAMETER].set) {
            bc_hmac_update(&m, p->v[BC_KDF_GENERIC_PARAMETER].n, p->v[BC_KDF_GENERIC_PARAMETER].p);
        } else {
            bc_hmac_update(&m, p->v[BC_KDF_LABEL].n, p->v[BC_KDF_LABEL].p);
            bc_hmac_update(&m, 1, &zero);
            bc_hmac_update(&m, p->v[BC_KDF_CONTEXT].n, p->v[BC_KDF_CONTEXT].p);
        }
        bc_hmac_update(&m, 4, bits);
        bc_hmac_digest(&m, hl, blk);
        memcpy(out + done, blk, len - done < hl ? len - done : hl);
    }
}

static void bc_pbkdf2(int dg, const uint8_t *pass, uint32_t plen, const uint8_t *salt,
                      uint32_t slen, uint32_t iterations, uint8_t *out, uint32_t len)
{
    bc_hmac m;
    bc_hmac_key(&m, dg, pass, plen);
    pbkdf2(&m, bc_hmac_update, bc_hmac_digest, m.hash->digest_size, iterations, slen, salt, len,
           out);
}

static NTSTATUS WINAPI bc_BCryptDeriveKeyPBKDF2(void *prf, const uint8_t *pass, uint32_t cbpass,
                                                const uint8_t *salt, uint32_t cbsalt,
                                                uint64_t iterations, uint8_t *out,
                                                uint32_t cbout, uint32_t flags)
{
    const bc_alg *a = bc_get_alg(prf);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    if (!a->hmac || !bc_is_digest(a->kind))
        return BC_STATUS_NOT_SUPPORTED;
    if (flags || !iterations || iterations > UINT32_MAX || (cbpass && !pass) ||
        (cbsalt && !salt) || (cbout && !out))
        return BC_STATUS_INVALID_PARAMETER;
    bc_pbkdf2(a->kind, pass, cbpass, salt, cbsalt, (uint32_t)iterations, out, cbout);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDeriveKeyPBKDF2, bc_BCryptDeriveKeyPBKDF2, 9);

bool bc_is_kdf_key(const void *h)
{
    const bc_kdf_key *k = h;
    return (uintptr_t)h >= 0x1000 && k->magic == BC_KDF_KEY_MAGIC;
}

NTSTATUS bc_kdf_new_key(const bc_alg *a, const uint8_t *secret, uint32_t len, void **out)
{
    bc_kdf_key *k = calloc(1, sizeof *k);
    uint8_t *s = malloc(len ? len : 1);
    if (!k || !s) {
        free(k), free(s);
        return BC_STATUS_NO_MEMORY;
    }
    k->magic = BC_KDF_KEY_MAGIC;
    k->kind = a->kind;
    k->hash = -1;
    k->len = len;
    k->secret = s;
    if (len)
        memcpy(s, secret, len);
    *out = k;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_kdf_destroy(void *h)
{
    bc_kdf_key *k = h;
    memset(k->secret, 0, k->len);
    free(k->secret);
    memset(k, 0, sizeof *k);
    free(k);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_kdf_duplicate(void *h, void **out)
{
    const bc_kdf_key *k = h;
    bc_alg a = {BC_ALG_MAGIC, k->kind, false, 0, 0};
    NTSTATUS st = bc_kdf_new_key(&a, k->secret, k->len, out);
    if (st == BC_STATUS_SUCCESS) {
        ((bc_kdf_key *)*out)->hash = k->hash;
        ((bc_kdf_key *)*out)->final = k->final;
    }
    return st;
}

/* BCRYPT_KEY_DATA_BLOB: the header, then the secret; HKDF's: the hash's name first */
NTSTATUS bc_kdf_export(void *h, const WCHAR *type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    bc_kdf_key *k = h;
    if (!bc_name_is(type, "KEYDATABLOB"))
        return BC_STATUS_NOT_SUPPORTED;
    if (k->kind == BC_HKDF && !k->final)
        return BC_STATUS_INVALID_PARAMETER;
    const char *hname = k->kind == BC_HKDF ? bc_kind_name(k->hash) : NULL;
    uint32_t nlen = hname ? 2 * ((uint32_t)strlen(hname) + 1) : 0;
    uint32_t data = (hname ? 4 + nlen : 0) + k->len, size = 12 + data;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    uint32_t hdr[3] = {BC_KEY_DATA_BLOB_MAGIC, 1, data};
    memcpy(out, hdr, sizeof hdr);
    uint8_t *p = out + sizeof hdr;
    if (hname) {
        bc_be32(p, nlen);
        p += 4;
        for (uint32_t i = 0; i < nlen / 2; i++, p += 2)
            p[0] = (uint8_t)hname[i], p[1] = 0; /* the NUL too: strlen + 1 characters */
    }
    memcpy(p, k->secret, k->len);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_kdf_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                             uint32_t cb, uint32_t *res)
{
    const bc_kdf_key *k = h;
    int kind = alg ? alg->kind : k->kind;
    if (bc_name_is(prop, "ALGORITHMNAME"))
        return bc_put_name(bc_kind_name(kind), out, cb, res);
    if (alg && bc_name_is(prop, "OBJECTLENGTH"))
        return bc_put_dword((uint32_t)sizeof(bc_kdf_key), out, cb, res);
    if (!alg && bc_name_is(prop, "KEYLENGTH"))
        return bc_put_dword(k->len * 8, out, cb, res);
    return BC_STATUS_NOT_SUPPORTED;
}

/* HKDF's three properties, set in that order */
NTSTATUS bc_kdf_set_property(void *h, const WCHAR *prop, const uint8_t *in, uint32_t cb)
{
    bc_kdf_key *k = h;
    bool hash = bc_name_is(prop, "HKDFHASHALGORITHM"), salt = bc_name_is(prop, "HKDFSALTANDFINALIZE"),
         prk = bc_name_is(prop, "HKDFPRKANDFINALIZE");
    if (k->kind != BC_HKDF || (!hash && !salt && !prk))
        return BC_STATUS_NOT_SUPPORTED;
    if (cb && !in)
        return BC_STATUS_INVALID_PARAMETER;
    if (k->final)
        return BC_STATUS_INVALID_PARAMETER; /* finalized: nothing changes any more */
    if (hash) {
        WCHAR name[16] = {0};
        memcpy(name, in, 2 * (cb / 2 < 15 ? cb / 2 : 15));
        int dg = bc_hash_by_name(name);
        if (dg < 0 || dg == CD_MD2 || dg == CD_MD4)
            return BC_STATUS_NOT_SUPPORTED;
        k->hash = dg;
        return BC_STATUS_SUCCESS;
    }
    if (k->hash < 0)
        return BC_STATUS_INVALID_PARAMETER; /* the hash comes first */
    if (prk) {
        if (cb)
            return BC_STATUS_INVALID_PARAMETER;
    } else {
        uint8_t t[CD_MAX_SIZE];
        uint32_t hl = cd_size((cd_algo)k->hash);
        bc_hkdf_extract(k->hash, in, cb, k->secret, k->len, t);
        uint8_t *s = malloc(hl);
        if (!s)
            return BC_STATUS_NO_MEMORY;
        memcpy(s, t, hl);
        memset(k->secret, 0, k->len);
        free(k->secret);
        k->secret = s;
        k->len = hl;
    }
    k->final = true;
    return BC_STATUS_SUCCESS;
}

static NTSTATUS bc_kdf_derive(bc_kdf_key *k, const bc_kdf_params *p, uint8_t *out, uint32_t len,
                              uint32_t flags)
{
#define BC_HAS(t) (p->v[t].set)
    switch (k->kind) {
    case BC_PBKDF2: {
        uint64_t it = BC_PBKDF2_DEFAULT_ITERATIONS;
        if (p->hash < 0)
            return BC_STATUS_INVALID_PARAMETER;
        if (BC_HAS(BC_KDF_ITERATION_COUNT)) {
            if (p->v[BC_KDF_ITERATION_COUNT].n != 8)
                return BC_STATUS_INVALID_PARAMETER;
            memcpy(&it, p->v[BC_KDF_ITERATION_COUNT].p, 8);
            if (!it || it > UINT32_MAX)
                return BC_STATUS_INVALID_PARAMETER;
        }
        int s = BC_HAS(BC_KDF_SALT) ? BC_KDF_SALT : BC_KDF_GENERIC_PARAMETER;
        bc_pbkdf2(p->hash, k->secret, k->len, p->v[s].p, p->v[s].n, (uint32_t)it, out, len);
        return BC_STATUS_SUCCESS;
    }
    case BC_SP800108:
        if (p->hash < 0 || (!BC_HAS(BC_KDF_GENERIC_PARAMETER) &&
                            (!BC_HAS(BC_KDF_LABEL) || !BC_HAS(BC_KDF_CONTEXT))))
            return BC_STATUS_INVALID_PARAMETER;
        if (len > UINT32_MAX / 8)
            return BC_STATUS_INVALID_PARAMETER;
        bc_sp800108(p->hash, k->secret, k->len, p, out, len);
        return BC_STATUS_SUCCESS;
    case BC_SP80056A:
        if (p->hash < 0 || !BC_HAS(BC_KDF_ALGORITHMID) || !BC_HAS(BC_KDF_PARTYUINFO) ||
            !BC_HAS(BC_KDF_PARTYVINFO))
            return BC_STATUS_INVALID_PARAMETER;
        bc_concat_kdf(p->hash, k->secret, k->len, p, out, len);
        return BC_STATUS_SUCCESS;
    case BC_TLS11_KDF:
    case BC_TLS12_KDF: {
        bool tls12 = k->kind == BC_TLS12_KDF;
        if (tls12 && p->hash < 0) /* an absent label or seed is empty: Go leaves them out */
            return BC_STATUS_INVALID_PARAMETER;
        if (tls12 && p->hash != CD_SHA256 && p->hash != CD_SHA384 && p->hash != CD_SHA512)
            return BC_STATUS_NOT_SUPPORTED;
        bc_tls_prf(tls12, p->hash, k->secret, k->len, p, out, len);
        return BC_STATUS_SUCCESS;
    }
    case BC_CAPI_KDF: {
        if (p->hash < 0)
            return BC_STATUS_INVALID_PARAMETER;
        uint32_t hl = cd_size((cd_algo)p->hash);
        if (hl > 64 || len > 2 * hl)
            return BC_STATUS_INVALID_PARAMETER;
        bc_capi_kdf(p->hash, k->secret, k->len, len > hl || (flags & BC_CAPI_AES_FLAG), out, len);
        return BC_STATUS_SUCCESS;
    }
    case BC_HKDF:
        if (!k->final)
            return BC_STATUS_INVALID_PARAMETER;
        if (len > 255 * cd_size((cd_algo)k->hash))
            return BC_STATUS_INVALID_PARAMETER;
        bc_hkdf_expand(k->hash, k->secret, k->len, p->v[BC_KDF_HKDF_INFO].p,
                       p->v[BC_KDF_HKDF_INFO].n, out, len);
        return BC_STATUS_SUCCESS;
    }
#undef BC_HAS
    return BC_STATUS_NOT_SUPPORTED;
}

static NTSTATUS WINAPI bc_BCryptKeyDerivation(void *key, const bc_buffer_desc *params,
                                              uint8_t *out, uint32_t cb, uint32_t *res,
                                              uint32_t flags)
{
    if (!bc_is_kdf_key(key))
        return bc_is_key(key) || bc_is_pkey(key) ? BC_STATUS_NOT_SUPPORTED
                                                 : BC_STATUS_INVALID_HANDLE;
    if (!res || !out || !cb)
        return BC_STATUS_INVALID_PARAMETER;
    bc_kdf_params p;
    NTSTATUS st = bc_kdf_parse(params, &p);
    if (st)
        return st;
    st = bc_kdf_derive(key, &p, out, cb, flags); /* BCRYPT_CAPI_AES_FLAG: CAPI_KDF's only */
    if (st == BC_STATUS_SUCCESS)
        *res = cb;
    return st;
}
THK_EXPORT_AS(bcrypt, BCryptKeyDerivation, bc_BCryptKeyDerivation, 6);
