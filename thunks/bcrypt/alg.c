/* SPDX-License-Identifier: MIT */
/* bcrypt's algorithm providers: BCryptOpenAlgorithmProvider for "RNG" (FFmpeg's
 * av_get_random_seed, through ncrypt's forwarders) and the hashes MD2, MD4, MD5, SHA1, SHA256,
 * SHA384, SHA512, also as HMAC (BCRYPT_ALG_HANDLE_HMAC_FLAG), and the pseudo-handles
 * BCRYPT_*_ALG_HANDLE of Windows 10; BCryptGetProperty (ObjectLength, HashDigestLength,
 * HashBlockLength, AlgorithmName), BCryptDeriveKeyCapi, BCryptCreateHash/HashData/FinishHash/DuplicateHash/
 * DestroyHash and the one-call BCryptHash. The hash object buffer a caller passes is not used
 * (the state lives in native memory), which Windows allows since Windows 7 (NULL buffer). The
 * digests and HMAC are Nettle's (thunks/advapi32/crypt_digest.h). An unknown algorithm is
 * STATUS_NOT_FOUND. The ciphers AES, 3DES, 3DES_112 and DES open here too, with
 * BCryptSetProperty(ChainingMode); their properties and keys are key.c's. The key derivation
 * algorithms PBKDF2, SP800_108_CTR_HMAC, SP800_56A_CONCAT, TLS1_1_KDF, TLS1_2_KDF, HKDF and
 * CAPI_KDF open here too; their keys are kdf.c's. */
#include <stdlib.h>
#include <string.h>
#include <nettle/hmac.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_HMAC_FLAG 0x8u

#define BC_HASH_MAGIC 0x48534842u /* "BHSH" */

typedef struct {
    uint32_t magic;
    bc_alg alg;
    /* the running state and, for the reset, the state after the key (HMAC's inner, Nettle's
     * hmac_set_key); HMAC's outer state after the key */
    cd_ctx ctx, start, outer;
} bc_hash;

static const struct {
    const char *name;
    int kind;
} bc_names[] = {
    {"RNG", BC_RNG},       {"MD2", CD_MD2},       {"MD4", CD_MD4},       {"MD5", CD_MD5},
    {"SHA1", CD_SHA1},     {"SHA256", CD_SHA256}, {"SHA384", CD_SHA384}, {"SHA512", CD_SHA512},
    {"AES", BC_AES},       {"3DES", BC_3DES},     {"3DES_112", BC_3DES_112}, {"DES", BC_DES},
    {"CHACHA20_POLY1305", BC_CHACHA},
    {"RSA", BC_RSA},       {"RSA_SIGN", BC_RSA_SIGN},
    {"ECDSA_P256", BC_ECDSA_P256}, {"ECDSA_P384", BC_ECDSA_P384}, {"ECDSA_P521", BC_ECDSA_P521},
    {"ECDH_P256", BC_ECDH_P256},   {"ECDH_P384", BC_ECDH_P384},   {"ECDH_P521", BC_ECDH_P521},
    {"ECDSA", BC_ECDSA_GENERIC},   {"ECDH", BC_ECDH_GENERIC},     {"DH", BC_DH},
    {"DSA", BC_DSA},
    {"PBKDF2", BC_PBKDF2},         {"SP800_108_CTR_HMAC", BC_SP800108},
    {"SP800_56A_CONCAT", BC_SP80056A}, {"TLS1_1_KDF", BC_TLS11_KDF},
    {"TLS1_2_KDF", BC_TLS12_KDF},  {"HKDF", BC_HKDF},             {"CAPI_KDF", BC_CAPI_KDF},
};

const char *bc_kind_name(int kind)
{
    for (size_t i = 0; i < sizeof bc_names / sizeof bc_names[0]; i++)
        if (bc_names[i].kind == kind)
            return bc_names[i].name;
    return "";
}

/* Windows 10's pseudo-handles (bcrypt.h: BCRYPT_MD2_ALG_HANDLE 0x01 ... BCRYPT_HMAC_SHA512 0xd1,
 * BCRYPT_RSA_ALG_HANDLE 0xe1, BCRYPT_ECDSA_ALG_HANDLE 0xf1, BCRYPT_DH_ALG_HANDLE 0x281, BCRYPT_DSA_ALG_HANDLE 0x2d1, BCRYPT_ECDH_ALG_HANDLE 0x291, BCRYPT_HMAC_MD2/MD4 0x121/0x131, BCRYPT_3DES_CBC_ALG_HANDLE 0x141
 * ... BCRYPT_DES_CFB 0x211, BCRYPT_ECDH_P256/P384/P521 0x2a1..0x2c1, BCRYPT_ECDSA_P256/P384/P521
 * 0x2e1..0x301, BCRYPT_RSA_SIGN 0x311, BCRYPT_CAPI_KDF 0x321, BCRYPT_PBKDF2 0x331,
 * BCRYPT_SP800108_CTR_HMAC 0x341,
 * BCRYPT_SP80056A_CONCAT 0x351, BCRYPT_TLS1_1_KDF 0x361, BCRYPT_TLS1_2_KDF 0x371, BCRYPT_HKDF
 * 0x391, BCRYPT_CHACHA20_POLY1305 0x3a1) */
#define BC_P(k, h, m) {BC_ALG_MAGIC, k, h, m, 0}
static const bc_alg bc_pseudo[] = {
    [0x0] = BC_P(CD_MD2, false, 0),     [0x1] = BC_P(CD_MD4, false, 0),
    [0x2] = BC_P(CD_MD5, false, 0),     [0x3] = BC_P(CD_SHA1, false, 0),
    [0x4] = BC_P(CD_SHA256, false, 0),  [0x5] = BC_P(CD_SHA384, false, 0),
    [0x6] = BC_P(CD_SHA512, false, 0),  [0x8] = BC_P(BC_RNG, false, 0),
    [0x9] = BC_P(CD_MD5, true, 0),      [0xa] = BC_P(CD_SHA1, true, 0),
    [0xb] = BC_P(CD_SHA256, true, 0),   [0xc] = BC_P(CD_SHA384, true, 0),
    [0xd] = BC_P(CD_SHA512, true, 0),   [0x12] = BC_P(CD_MD2, true, 0),
    [0x13] = BC_P(CD_MD4, true, 0),
    [0x14] = BC_P(BC_3DES, false, BC_MODE_CBC),     [0x15] = BC_P(BC_3DES, false, BC_MODE_ECB),
    [0x16] = BC_P(BC_3DES, false, BC_MODE_CFB),     [0x17] = BC_P(BC_3DES_112, false, BC_MODE_CBC),
    [0x18] = BC_P(BC_3DES_112, false, BC_MODE_ECB), [0x19] = BC_P(BC_3DES_112, false, BC_MODE_CFB),
    [0x1a] = BC_P(BC_AES, false, BC_MODE_CBC),      [0x1b] = BC_P(BC_AES, false, BC_MODE_ECB),
    [0x1c] = BC_P(BC_AES, false, BC_MODE_CFB),      [0x1d] = BC_P(BC_AES, false, BC_MODE_CCM),
    [0x1e] = BC_P(BC_AES, false, BC_MODE_GCM),
    [0x1f] = BC_P(BC_DES, false, BC_MODE_CBC),      [0x20] = BC_P(BC_DES, false, BC_MODE_ECB),
    [0x21] = BC_P(BC_DES, false, BC_MODE_CFB),
    [0xe] = BC_P(BC_RSA, false, 0),         [0xf] = BC_P(BC_ECDSA_GENERIC, false, 0),
    [0x28] = BC_P(BC_DH, false, 0),         [0x2d] = BC_P(BC_DSA, false, 0),         [0x29] = BC_P(BC_ECDH_GENERIC, false, 0),
    [0x2a] = BC_P(BC_ECDH_P256, false, 0),  [0x2b] = BC_P(BC_ECDH_P384, false, 0),
    [0x2c] = BC_P(BC_ECDH_P521, false, 0),  [0x2e] = BC_P(BC_ECDSA_P256, false, 0),
    [0x2f] = BC_P(BC_ECDSA_P384, false, 0), [0x30] = BC_P(BC_ECDSA_P521, false, 0),
    [0x31] = BC_P(BC_RSA_SIGN, false, 0),
    [0x3a] = BC_P(BC_CHACHA, false, BC_MODE_NA),
    [0x32] = BC_P(BC_CAPI_KDF, false, 0),
    [0x33] = BC_P(BC_PBKDF2, false, 0),     [0x34] = BC_P(BC_SP800108, false, 0),
    [0x35] = BC_P(BC_SP80056A, false, 0),   [0x36] = BC_P(BC_TLS11_KDF, false, 0),
    [0x37] = BC_P(BC_TLS12_KDF, false, 0),  [0x39] = BC_P(BC_HKDF, false, 0),
};
#undef BC_P

/* The algorithm behind a handle (a pseudo-handle or one we opened); NULL when neither. */
const bc_alg *bc_get_alg(const void *h)
{
    uintptr_t v = (uintptr_t)h;
    if (v && v < 0x1000) {
        if ((v & 0xf) != 1 || (v >> 4) >= sizeof bc_pseudo / sizeof bc_pseudo[0])
            return NULL;
        const bc_alg *a = &bc_pseudo[v >> 4];
        return a->magic == BC_ALG_MAGIC ? a : NULL;
    }
    const bc_alg *a = h;
    return a && a->magic == BC_ALG_MAGIC ? a : NULL;
}

bool bc_is_rng(const void *alg)
{
    const bc_alg *a = bc_get_alg(alg);
    return a && a->kind == BC_RNG;
}

bool bc_name_is(const WCHAR *w, const char *a)
{
    for (;; w++, a++) {
        WCHAR c = *w;
        if (c >= u'a' && c <= u'z')
            c = (WCHAR)(c - 32);
        if (c != (WCHAR)(unsigned char)*a)
            return false;
        if (!c)
            return true;
    }
}

int bc_hash_by_name(const WCHAR *name)
{
    for (size_t i = 0; name && i < sizeof bc_names / sizeof bc_names[0]; i++)
        if (bc_is_digest(bc_names[i].kind) && bc_name_is(name, bc_names[i].name))
            return bc_names[i].kind;
    return -1;
}

static NTSTATUS WINAPI bc_BCryptOpenAlgorithmProvider(void **out, const WCHAR *id,
                                                      const WCHAR *impl, uint32_t flags)
{
    (void)impl; /* MS_PRIMITIVE_PROVIDER or NULL: there is one provider */
    if (!out || !id)
        return BC_STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < sizeof bc_names / sizeof bc_names[0]; i++) {
        if (!bc_name_is(id, bc_names[i].name))
            continue;
        if ((flags & BC_HMAC_FLAG) && !bc_is_digest(bc_names[i].kind))
            return BC_STATUS_NOT_FOUND;
        if (bc_names[i].kind != BC_RNG && !ntl_ready()) /* Nettle, opened on this first use */
            return BC_STATUS_NOT_FOUND;
        bc_alg *a = malloc(sizeof *a);
        if (!a)
            return BC_STATUS_NO_MEMORY;
        a->magic = BC_ALG_MAGIC;
        a->kind = bc_names[i].kind;
        a->hmac = (flags & BC_HMAC_FLAG) != 0;
        a->mode = bc_names[i].kind == BC_CHACHA ? BC_MODE_NA : BC_MODE_CBC;
        a->curve = 0;
        *out = a;
        return BC_STATUS_SUCCESS;
    }
    return BC_STATUS_NOT_FOUND;
}
THK_EXPORT_AS(bcrypt, BCryptOpenAlgorithmProvider, bc_BCryptOpenAlgorithmProvider, 4);

static NTSTATUS WINAPI bc_BCryptCloseAlgorithmProvider(void *h, uint32_t flags)
{
    (void)flags;
    if ((uintptr_t)h < 0x1000 || !bc_get_alg(h))
        return BC_STATUS_INVALID_HANDLE;
    ((bc_alg *)h)->magic = 0;
    free(h);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptCloseAlgorithmProvider, bc_BCryptCloseAlgorithmProvider, 2);

NTSTATUS bc_put_bytes(const void *v, uint32_t n, uint8_t *out, uint32_t cb, uint32_t *res)
{
    if (!res)
        return BC_STATUS_INVALID_PARAMETER;
    *res = n;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < n)
        return BC_STATUS_BUFFER_TOO_SMALL;
    memcpy(out, v, n);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_put_dword(uint32_t v, uint8_t *out, uint32_t cb, uint32_t *res)
{
    return bc_put_bytes(&v, 4, out, cb, res);
}

NTSTATUS bc_put_name(const char *n, uint8_t *out, uint32_t cb, uint32_t *res)
{
    WCHAR w[40];
    uint32_t i = 0;
    for (; n[i] && i < 39; i++)
        w[i] = (WCHAR)(unsigned char)n[i];
    w[i++] = 0;
    return bc_put_bytes(w, i * 2, out, cb, res);
}

NTSTATUS WINAPI bc_BCryptGetProperty(void *h, const WCHAR *prop, uint8_t *out, uint32_t cb,
                                     uint32_t *res, uint32_t flags)
{
    (void)flags;
    const bc_alg *a = bc_get_alg(h);
    if (!a && bc_is_key(h))
        return prop ? bc_cipher_get_property(NULL, h, prop, out, cb, res)
                    : BC_STATUS_INVALID_PARAMETER;
    if (!a && bc_is_pkey(h))
        return prop ? bc_pkey_get_property(NULL, h, prop, out, cb, res)
                    : BC_STATUS_INVALID_PARAMETER;
    if (!a && bc_is_kdf_key(h))
        return prop ? bc_kdf_get_property(NULL, h, prop, out, cb, res)
                    : BC_STATUS_INVALID_PARAMETER;
    if (!a) {
        const bc_hash *hs = h;
        if (!hs || (uintptr_t)hs < 0x1000 || hs->magic != BC_HASH_MAGIC)
            return BC_STATUS_INVALID_HANDLE;
        a = &hs->alg;
    }
    if (!prop)
        return BC_STATUS_INVALID_PARAMETER;
    if (a->kind == BC_RNG)
        return BC_STATUS_NOT_SUPPORTED;
    if (bc_is_cipher(a->kind))
        return bc_cipher_get_property(a, NULL, prop, out, cb, res);
    if (bc_is_asym(a->kind))
        return bc_pkey_get_property(a, NULL, prop, out, cb, res);
    if (bc_is_kdf(a->kind))
        return bc_kdf_get_property(a, NULL, prop, out, cb, res);
    if (bc_name_is(prop, "OBJECTLENGTH"))
        return bc_put_dword((uint32_t)sizeof(bc_hash), out, cb, res);
    if (bc_name_is(prop, "HASHDIGESTLENGTH"))
        return bc_put_dword(cd_size((cd_algo)a->kind), out, cb, res);
    if (bc_name_is(prop, "HASHBLOCKLENGTH"))
        return bc_put_dword(cd_nettle((cd_algo)a->kind)->block_size, out, cb, res);
    if (bc_name_is(prop, "ALGORITHMNAME"))
        return bc_put_name(bc_kind_name(a->kind), out, cb, res);
    return BC_STATUS_NOT_SUPPORTED;
}
THK_EXPORT_AS(bcrypt, BCryptGetProperty, bc_BCryptGetProperty, 6);

NTSTATUS WINAPI bc_BCryptSetProperty(void *h, const WCHAR *prop, uint8_t *in, uint32_t cb,
                                     uint32_t flags)
{
    (void)flags;
    if (!prop)
        return BC_STATUS_INVALID_PARAMETER;
    if (bc_is_key(h))
        return bc_cipher_set_property(NULL, h, prop, in, cb);
    if (bc_is_pkey(h))
        return bc_pkey_set_property(h, prop, in, cb);
    if (bc_is_kdf_key(h))
        return bc_kdf_set_property(h, prop, in, cb);
    const bc_alg *a = bc_get_alg(h);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    if ((uintptr_t)h < 0x1000)
        return BC_STATUS_NOT_SUPPORTED; /* a pseudo-handle's mode or curve is fixed */
    if (bc_is_ecc_generic(a->kind) && bc_name_is(prop, "ECCCURVENAME")) {
        int kind = in ? bc_ecc_curve_kind(a->kind, (const WCHAR *)in, cb) : -1;
        if (kind < 0)
            return in ? BC_STATUS_NOT_SUPPORTED : BC_STATUS_INVALID_PARAMETER;
        ((bc_alg *)a)->curve = kind;
        return BC_STATUS_SUCCESS;
    }
    if (!bc_is_cipher(a->kind))
        return BC_STATUS_NOT_SUPPORTED; /* hashes have no settable property */
    return bc_cipher_set_property((bc_alg *)a, NULL, prop, in, cb);
}
THK_EXPORT_AS(bcrypt, BCryptSetProperty, bc_BCryptSetProperty, 5);

/* Starts a hash of `a` with the HMAC key `key` (ignored for a plain hash). */
static void bc_hash_start(bc_hash *h, const bc_alg *a, const uint8_t *key, size_t klen)
{
    memset(h, 0, sizeof *h);
    h->magic = BC_HASH_MAGIC;
    h->alg = *a;
    cd_init(&h->ctx, (cd_algo)a->kind);
    h->start = h->outer = h->ctx;
    if (a->hmac)
        hmac_set_key(&h->outer.u, &h->start.u, &h->ctx.u, h->ctx.hash, klen, key);
}

/* The digest into out (cd_size bytes); the hash starts again afterwards (as a reusable one). */
static void bc_hash_finish(bc_hash *h, uint8_t *out)
{
    if (h->alg.hmac)
        hmac_digest(&h->outer.u, &h->start.u, &h->ctx.u, h->ctx.hash, h->ctx.hash->digest_size,
                    out);
    else
        cd_final(&h->ctx, out); /* Nettle starts the context again */
}

static NTSTATUS WINAPI bc_BCryptCreateHash(void *alg, void **out, uint8_t *obj, uint32_t cbobj,
                                           const uint8_t *secret, uint32_t cbsecret, uint32_t flags)
{
    (void)obj, (void)cbobj, (void)flags;
    const bc_alg *a = bc_get_alg(alg);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    if (!out || !bc_is_digest(a->kind) || (cbsecret && !secret))
        return BC_STATUS_INVALID_PARAMETER;
    bc_hash *h = malloc(sizeof *h);
    if (!h)
        return BC_STATUS_NO_MEMORY;
    bc_hash_start(h, a, secret, cbsecret);
    *out = h;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptCreateHash, bc_BCryptCreateHash, 7);

static bc_hash *bc_get_hash(void *h)
{
    bc_hash *hs = h;
    return hs && (uintptr_t)hs >= 0x1000 && hs->magic == BC_HASH_MAGIC ? hs : NULL;
}

static NTSTATUS WINAPI bc_BCryptHashData(void *h, const uint8_t *data, uint32_t len,
                                         uint32_t flags)
{
    (void)flags;
    bc_hash *hs = bc_get_hash(h);
    if (!hs)
        return BC_STATUS_INVALID_HANDLE;
    if (len && !data)
        return BC_STATUS_INVALID_PARAMETER;
    cd_update(&hs->ctx, data, len);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptHashData, bc_BCryptHashData, 4);

static NTSTATUS WINAPI bc_BCryptFinishHash(void *h, uint8_t *out, uint32_t cb, uint32_t flags)
{
    (void)flags;
    bc_hash *hs = bc_get_hash(h);
    if (!hs)
        return BC_STATUS_INVALID_HANDLE;
    if (!out || cb != cd_size((cd_algo)hs->alg.kind))
        return BC_STATUS_INVALID_PARAMETER;
    bc_hash_finish(hs, out);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptFinishHash, bc_BCryptFinishHash, 4);

static NTSTATUS WINAPI bc_BCryptDuplicateHash(void *h, void **out, uint8_t *obj, uint32_t cbobj,
                                              uint32_t flags)
{
    (void)obj, (void)cbobj, (void)flags;
    bc_hash *hs = bc_get_hash(h);
    if (!hs)
        return BC_STATUS_INVALID_HANDLE;
    if (!out)
        return BC_STATUS_INVALID_PARAMETER;
    bc_hash *n = malloc(sizeof *n);
    if (!n)
        return BC_STATUS_NO_MEMORY;
    *n = *hs;
    *out = n;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDuplicateHash, bc_BCryptDuplicateHash, 5);

static NTSTATUS WINAPI bc_BCryptDestroyHash(void *h)
{
    bc_hash *hs = bc_get_hash(h);
    if (!hs)
        return BC_STATUS_INVALID_HANDLE;
    hs->magic = 0;
    free(hs);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDestroyHash, bc_BCryptDestroyHash, 1);

/* BCryptDeriveKeyCapi: CryptDeriveKey's derivation from a hash, which this finishes: a key no
 * longer than the digest is its first bytes; a longer one (at most twice the digest,
 * STATUS_INVALID_PARAMETER beyond) the first bytes of H(pad36 ^ digest) || H(pad5c ^ digest),
 * 64-byte pads of 0x36 and 0x5c (CryptDeriveKey's documented expansion; an HMAC hash expands
 * with its plain hash). hTargetAlg is not looked at (as in Wine 8.0). */
static NTSTATUS WINAPI bc_BCryptDeriveKeyCapi(void *h, void *target, uint8_t *key,
                                              uint32_t keylen, uint32_t flags)
{
    (void)target, (void)flags;
    bc_hash *hs = bc_get_hash(h);
    if (!hs)
        return BC_STATUS_INVALID_HANDLE;
    cd_algo algo = (cd_algo)hs->alg.kind;
    uint32_t n = cd_size(algo);
    if ((keylen && !key) || keylen > 2 * n)
        return BC_STATUS_INVALID_PARAMETER;
    uint8_t d[2 * CD_MAX_SIZE];
    bc_hash_finish(hs, d);
    if (keylen > n) {
        uint8_t pad[2][64];
        for (int i = 0; i < 2; i++) {
            memset(pad[i], i ? 0x5c : 0x36, sizeof pad[i]);
            for (uint32_t j = 0; j < n && j < sizeof pad[i]; j++)
                pad[i][j] ^= d[j];
        }
        for (int i = 0; i < 2; i++) {
            cd_ctx c;
            cd_init(&c, algo);
            cd_update(&c, pad[i], sizeof pad[i]);
            cd_final(&c, d + i * n);
        }
    }
    memcpy(key, d, keylen);
    memset(d, 0, sizeof d);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDeriveKeyCapi, bc_BCryptDeriveKeyCapi, 5);

static NTSTATUS WINAPI bc_BCryptHash(void *alg, const uint8_t *secret, uint32_t cbsecret,
                                     const uint8_t *in, uint32_t cbin, uint8_t *out, uint32_t cbout)
{
    const bc_alg *a = bc_get_alg(alg);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    if (!bc_is_digest(a->kind) || (cbsecret && !secret) || (cbin && !in) ||
        !out ||
        cbout != cd_size((cd_algo)a->kind))
        return BC_STATUS_INVALID_PARAMETER;
    bc_hash h;
    bc_hash_start(&h, a, secret, cbsecret);
    cd_update(&h.ctx, in, cbin);
    bc_hash_finish(&h, out);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptHash, bc_BCryptHash, 7);
