/* SPDX-License-Identifier: MIT */
/* bcrypt's RSA keys (pkey.c dispatches here): generation (Nettle's rsa_generate_keypair, public
 * exponent 65537), BCRYPT_RSAPUBLIC_BLOB / RSAPRIVATE_BLOB / RSAFULLPRIVATE_BLOB (big-endian
 * numbers after a BCRYPT_RSAKEY_BLOB) and the CryptoAPI layouts LEGACY_RSAPUBLIC_BLOB /
 * LEGACY_RSAPRIVATE_BLOB (little-endian, after a PUBLICKEYSTRUC and an RSAPUBKEY), signatures
 * with BCRYPT_PAD_PKCS1 (a DigestInfo for pszAlgId, the bare input for a NULL one) and
 * BCRYPT_PAD_PSS (MGF1 with the same digest, cbSalt random bytes), and BCryptEncrypt/Decrypt
 * with BCRYPT_PAD_NONE, BCRYPT_PAD_PKCS1 and BCRYPT_PAD_OAEP.
 *
 * The arithmetic is Nettle's and GMP's: PKCS#1 v1.5 signing and encryption, PSS's encoding and
 * MGF1, the private-key operation with blinding (rsa_compute_root_tr). Nettle 3.8 has no OAEP
 * (3.10 added it), so the OAEP encoding of RFC 8017 7.1 is done here over Nettle's digests and
 * MGF1, with the private-key operation Nettle's; its check of a decrypted block does not branch
 * on which part failed. A private key imported without its private exponent (RSAPRIVATE_BLOB)
 * gets d = e^-1 mod lcm(p-1, q-1).
 *
 * Status codes follow Windows (and Wine's tests of it): no padding flag, a NULL padding info or
 * a hash length that is not the digest's is STATUS_INVALID_PARAMETER, an unknown pszAlgId
 * STATUS_NOT_SUPPORTED, a signature that does not verify STATUS_INVALID_SIGNATURE, a public
 * exponent longer than 8 bytes NTE_BAD_DATA, a short output STATUS_BUFFER_TOO_SMALL with the
 * size needed in *pcbResult, signing or decrypting with a public key STATUS_INVALID_PARAMETER. */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_RSAPUBLIC_MAGIC 0x31415352u      /* "RSA1" */
#define BC_RSAPRIVATE_MAGIC 0x32415352u     /* "RSA2" */
#define BC_RSAFULLPRIVATE_MAGIC 0x33415352u /* "RSA3" */

#define BC_PAD_NONE 0x1u
#define BC_PAD_PKCS1 0x2u
#define BC_PAD_OAEP 0x4u
#define BC_PAD_PSS 0x8u

/* BCRYPT_RSAKEY_BLOB (bcrypt.h) */
typedef struct {
    uint32_t Magic;       /* 0x00 */
    uint32_t BitLength;   /* 0x04 */
    uint32_t cbPublicExp; /* 0x08 */
    uint32_t cbModulus;   /* 0x0c */
    uint32_t cbPrime1;    /* 0x10 */
    uint32_t cbPrime2;    /* 0x14 */
} bc_rsa_blob;
_Static_assert(sizeof(bc_rsa_blob) == 0x18, "BCRYPT_RSAKEY_BLOB");

/* PUBLICKEYSTRUC + RSAPUBKEY (wincrypt.h), the head of a CryptoAPI RSA key blob */
typedef struct {
    uint8_t bType;     /* 0x00: PUBLICKEYBLOB 6, PRIVATEKEYBLOB 7 */
    uint8_t bVersion;  /* 0x01: 2 */
    uint16_t reserved; /* 0x02 */
    uint32_t aiKeyAlg; /* 0x04: CALG_RSA_KEYX 0xa400 (or CALG_RSA_SIGN 0x2400) */
    uint32_t magic;    /* 0x08: "RSA1" public, "RSA2" private */
    uint32_t bitlen;   /* 0x0c */
    uint32_t pubexp;   /* 0x10 */
} bc_capi_rsa;
_Static_assert(sizeof(bc_capi_rsa) == 0x14, "PUBLICKEYSTRUC + RSAPUBKEY");

/* BCRYPT_PKCS1_PADDING_INFO, BCRYPT_PSS_PADDING_INFO, BCRYPT_OAEP_PADDING_INFO (x64) */
typedef struct {
    const WCHAR *pszAlgId; /* 0x00 */
} bc_pkcs1_info;
typedef struct {
    const WCHAR *pszAlgId; /* 0x00 */
    uint32_t cbSalt;       /* 0x08 */
} bc_pss_info;
typedef struct {
    const WCHAR *pszAlgId; /* 0x00 */
    const uint8_t *pbLabel; /* 0x08 */
    uint32_t cbLabel;      /* 0x10 */
} bc_oaep_info;
_Static_assert(offsetof(bc_pss_info, cbSalt) == 8, "BCRYPT_PSS_PADDING_INFO");
_Static_assert(offsetof(bc_oaep_info, cbLabel) == 0x10, "BCRYPT_OAEP_PADDING_INFO");

/* PKCS#1 DigestInfo prefixes (RFC 8017 9.2 note 1), by cd_algo */
static const struct {
    uint8_t len;
    uint8_t der[19];
} bc_digest_info[] = {
    [CD_MD2] = {18, {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                     0x02, 0x02, 0x05, 0x00, 0x04, 0x10}},
    [CD_MD4] = {18, {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                     0x02, 0x04, 0x05, 0x00, 0x04, 0x10}},
    [CD_MD5] = {18, {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                     0x02, 0x05, 0x05, 0x00, 0x04, 0x10}},
    [CD_SHA1] = {15, {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05,
                      0x00, 0x04, 0x14}},
    [CD_SHA256] = {19, {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                        0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}},
    [CD_SHA384] = {19, {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                        0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}},
    [CD_SHA512] = {19, {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                        0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}},
};

/* The modulus's length in bytes */
static uint32_t bc_rsa_bytes(const bc_pkey *k) { return (uint32_t)k->u.rsa.pub.size; }

static void bc_rsa_init(bc_pkey *k)
{
    rsa_public_key_init(&k->u.rsa.pub);
    rsa_private_key_init(&k->u.rsa.key);
}

void bc_rsa_free(bc_pkey *k)
{
    rsa_public_key_clear(&k->u.rsa.pub);
    rsa_private_key_clear(&k->u.rsa.key);
}

void bc_rsa_copy(bc_pkey *dst, const bc_pkey *src)
{
    bc_rsa_init(dst);
    mpz_set(dst->u.rsa.pub.n, src->u.rsa.pub.n);
    mpz_set(dst->u.rsa.pub.e, src->u.rsa.pub.e);
    dst->u.rsa.pub.size = src->u.rsa.pub.size;
    mpz_set(dst->u.rsa.key.d, src->u.rsa.key.d);
    mpz_set(dst->u.rsa.key.p, src->u.rsa.key.p);
    mpz_set(dst->u.rsa.key.q, src->u.rsa.key.q);
    mpz_set(dst->u.rsa.key.a, src->u.rsa.key.a);
    mpz_set(dst->u.rsa.key.b, src->u.rsa.key.b);
    mpz_set(dst->u.rsa.key.c, src->u.rsa.key.c);
    dst->u.rsa.key.size = src->u.rsa.key.size;
}

NTSTATUS bc_rsa_generate(bc_pkey *k)
{
    bc_rsa_init(k);
    mpz_set_ui(k->u.rsa.pub.e, 65537);
    if (!rsa_generate_keypair(&k->u.rsa.pub, &k->u.rsa.key, NULL, bc_nettle_random, NULL, NULL,
                              k->bits, 0)) {
        bc_rsa_free(k);
        return BC_STATUS_INVALID_PARAMETER;
    }
    k->bits = (uint32_t)mpz_sizeinbase(k->u.rsa.pub.n, 2);
    return BC_STATUS_SUCCESS;
}

/* The private parts from p, q and e (d when the blob had none): a, b, c and the checks.
 * Returns false for numbers that are not a key. */
static bool bc_rsa_complete(bc_pkey *k, bool have_d, bool have_crt)
{
    struct rsa_private_key *key = &k->u.rsa.key;
    mpz_t p1, q1, l;
    mpz_inits(p1, q1, l, NULL);
    bool ok = mpz_cmp_ui(key->p, 1) > 0 && mpz_cmp_ui(key->q, 1) > 0;
    if (ok) {
        mpz_sub_ui(p1, key->p, 1);
        mpz_sub_ui(q1, key->q, 1);
        mpz_mul(l, key->p, key->q);
        ok = !mpz_cmp(l, k->u.rsa.pub.n); /* n = pq */
    }
    if (ok && !have_d) {
        mpz_lcm(l, p1, q1);
        ok = mpz_invert(key->d, k->u.rsa.pub.e, l) != 0;
    }
    if (ok && !have_crt) {
        mpz_fdiv_r(key->a, key->d, p1);
        mpz_fdiv_r(key->b, key->d, q1);
        ok = mpz_invert(key->c, key->q, key->p) != 0;
    }
    mpz_clears(p1, q1, l, NULL);
    return ok && rsa_private_key_prepare(key);
}

/* A BCRYPT_RSAKEY_BLOB: RSA1 public, RSA2 private, RSA3 full private */
static NTSTATUS bc_rsa_import_blob(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    bc_rsa_blob h;
    if (len < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    bool ok;
    switch (type) {
    case BC_BLOB_PUBLIC: case BC_BLOB_RSAPUBLIC: ok = h.Magic == BC_RSAPUBLIC_MAGIC; break;
    case BC_BLOB_RSAPRIVATE: ok = h.Magic == BC_RSAPRIVATE_MAGIC; break;
    case BC_BLOB_RSAFULLPRIVATE: ok = h.Magic == BC_RSAFULLPRIVATE_MAGIC; break;
    default:
        ok = h.Magic == BC_RSAPRIVATE_MAGIC || h.Magic == BC_RSAFULLPRIVATE_MAGIC;
        break;
    }
    if (!ok)
        return BC_STATUS_INVALID_PARAMETER;
    if (h.cbPublicExp > 8)
        return BC_NTE_BAD_DATA;
    bool priv = h.Magic != BC_RSAPUBLIC_MAGIC, full = h.Magic == BC_RSAFULLPRIVATE_MAGIC;
    uint64_t need = (uint64_t)sizeof h + h.cbPublicExp + h.cbModulus;
    if (priv)
        need += (uint64_t)h.cbPrime1 + h.cbPrime2;
    if (full)
        need += (uint64_t)h.cbPrime1 * 2 + h.cbPrime2 + h.cbModulus;
    if (!h.cbPublicExp || !h.cbModulus || (priv && (!h.cbPrime1 || !h.cbPrime2)) || len < need)
        return BC_STATUS_INVALID_PARAMETER;
    bc_rsa_init(k);
    const uint8_t *p = in + sizeof h;
    struct rsa_private_key *key = &k->u.rsa.key;
    bc_mpz_get(k->u.rsa.pub.e, p, h.cbPublicExp, true), p += h.cbPublicExp;
    bc_mpz_get(k->u.rsa.pub.n, p, h.cbModulus, true), p += h.cbModulus;
    ok = rsa_public_key_prepare(&k->u.rsa.pub);
    if (ok && priv) {
        bc_mpz_get(key->p, p, h.cbPrime1, true), p += h.cbPrime1;
        bc_mpz_get(key->q, p, h.cbPrime2, true), p += h.cbPrime2;
        if (full) {
            bc_mpz_get(key->a, p, h.cbPrime1, true), p += h.cbPrime1;
            bc_mpz_get(key->b, p, h.cbPrime2, true), p += h.cbPrime2;
            bc_mpz_get(key->c, p, h.cbPrime1, true), p += h.cbPrime1;
            bc_mpz_get(key->d, p, h.cbModulus, true);
        }
        ok = bc_rsa_complete(k, full, full);
    }
    if (!ok) {
        bc_rsa_free(k);
        return BC_STATUS_INVALID_PARAMETER;
    }
    k->priv = priv;
    k->bits = (uint32_t)mpz_sizeinbase(k->u.rsa.pub.n, 2);
    return BC_STATUS_SUCCESS;
}

/* A CryptoAPI PUBLICKEYBLOB / PRIVATEKEYBLOB of an RSA key (little-endian numbers) */
static NTSTATUS bc_rsa_import_capi(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    bc_capi_rsa h;
    if (len < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    bool priv = type == BC_BLOB_CAPIPRIVATE;
    if (h.bType != (priv ? 7 : 6) || h.magic != (priv ? BC_RSAPRIVATE_MAGIC : BC_RSAPUBLIC_MAGIC)
        || !h.bitlen || h.bitlen % 8)
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t nb = h.bitlen / 8, pb = (h.bitlen + 15) / 16;
    uint64_t need = sizeof h + (uint64_t)nb + (priv ? (uint64_t)pb * 5 + nb : 0);
    if (len < need)
        return BC_STATUS_INVALID_PARAMETER;
    bc_rsa_init(k);
    const uint8_t *p = in + sizeof h;
    struct rsa_private_key *key = &k->u.rsa.key;
    mpz_set_ui(k->u.rsa.pub.e, h.pubexp);
    bc_mpz_get(k->u.rsa.pub.n, p, nb, false), p += nb;
    bool ok = rsa_public_key_prepare(&k->u.rsa.pub);
    if (ok && priv) {
        mpz_t *parts[] = {&key->p, &key->q, &key->a, &key->b, &key->c};
        for (size_t i = 0; i < 5; i++)
            bc_mpz_get(*parts[i], p, pb, false), p += pb;
        bc_mpz_get(key->d, p, nb, false);
        ok = bc_rsa_complete(k, true, true);
    }
    if (!ok) {
        bc_rsa_free(k);
        return BC_STATUS_INVALID_PARAMETER;
    }
    k->priv = priv;
    k->bits = (uint32_t)mpz_sizeinbase(k->u.rsa.pub.n, 2);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_rsa_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    switch (type) {
    case BC_BLOB_CAPIPUBLIC: case BC_BLOB_CAPIPRIVATE: return bc_rsa_import_capi(k, type, in, len);
    case BC_BLOB_ECCPUBLIC: case BC_BLOB_ECCPRIVATE: return BC_STATUS_NOT_SUPPORTED;
    default: return bc_rsa_import_blob(k, type, in, len);
    }
}

/* The blob into out (its size to *res first): STATUS_BUFFER_TOO_SMALL when cb is short. */
static NTSTATUS bc_rsa_export_blob(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    const struct rsa_private_key *key = &k->u.rsa.key;
    bool priv = type != BC_BLOB_RSAPUBLIC && type != BC_BLOB_PUBLIC;
    bool full = type == BC_BLOB_RSAFULLPRIVATE;
    bc_rsa_blob h = {full   ? BC_RSAFULLPRIVATE_MAGIC
                     : priv ? BC_RSAPRIVATE_MAGIC
                            : BC_RSAPUBLIC_MAGIC,
                     k->bits, bc_mpz_bytes(k->u.rsa.pub.e), bc_rsa_bytes(k), 0, 0};
    if (priv) {
        uint32_t half = (k->bits / 2 + 7) / 8, b1 = bc_mpz_bytes(key->p), b2 = bc_mpz_bytes(key->q);
        h.cbPrime1 = b1 > half ? b1 : half;
        h.cbPrime2 = b2 > half ? b2 : half;
    }
    uint32_t size = (uint32_t)sizeof h + h.cbPublicExp + h.cbModulus + h.cbPrime1 + h.cbPrime2;
    if (full)
        size += h.cbPrime1 * 2 + h.cbPrime2 + h.cbModulus;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    memcpy(out, &h, sizeof h);
    uint8_t *p = out + sizeof h;
    bc_mpz_put(p, h.cbPublicExp, k->u.rsa.pub.e, true), p += h.cbPublicExp;
    bc_mpz_put(p, h.cbModulus, k->u.rsa.pub.n, true), p += h.cbModulus;
    if (priv) {
        bc_mpz_put(p, h.cbPrime1, key->p, true), p += h.cbPrime1;
        bc_mpz_put(p, h.cbPrime2, key->q, true), p += h.cbPrime2;
    }
    if (full) {
        bc_mpz_put(p, h.cbPrime1, key->a, true), p += h.cbPrime1;
        bc_mpz_put(p, h.cbPrime2, key->b, true), p += h.cbPrime2;
        bc_mpz_put(p, h.cbPrime1, key->c, true), p += h.cbPrime1;
        bc_mpz_put(p, h.cbModulus, key->d, true);
    }
    return BC_STATUS_SUCCESS;
}

static NTSTATUS bc_rsa_export_capi(bc_pkey *k, int type, uint8_t *out, uint32_t cb,
                                   uint32_t *res)
{
    bool priv = type == BC_BLOB_CAPIPRIVATE;
    if (mpz_sizeinbase(k->u.rsa.pub.e, 2) > 32)
        return BC_STATUS_NOT_SUPPORTED; /* RSAPUBKEY's pubexp is a DWORD */
    uint32_t nb = bc_rsa_bytes(k), pb = (nb * 8 + 15) / 16;
    bc_capi_rsa h = {priv ? 7 : 6, 2, 0, k->kind == BC_RSA_SIGN ? 0x2400u : 0xa400u,
                     priv ? BC_RSAPRIVATE_MAGIC : BC_RSAPUBLIC_MAGIC, nb * 8,
                     (uint32_t)mpz_get_ui(k->u.rsa.pub.e)};
    uint32_t size = (uint32_t)sizeof h + nb + (priv ? pb * 5 + nb : 0);
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    memcpy(out, &h, sizeof h);
    uint8_t *p = out + sizeof h;
    bc_mpz_put(p, nb, k->u.rsa.pub.n, false), p += nb;
    if (priv) {
        const struct rsa_private_key *key = &k->u.rsa.key;
        const mpz_t *parts[] = {&key->p, &key->q, &key->a, &key->b, &key->c};
        for (size_t i = 0; i < 5; i++)
            bc_mpz_put(p, pb, *parts[i], false), p += pb;
        bc_mpz_put(p, nb, key->d, false);
    }
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_rsa_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    bool priv = type == BC_BLOB_PRIVATE || type == BC_BLOB_RSAPRIVATE ||
                type == BC_BLOB_RSAFULLPRIVATE || type == BC_BLOB_CAPIPRIVATE;
    if (type == BC_BLOB_ECCPUBLIC || type == BC_BLOB_ECCPRIVATE)
        return BC_STATUS_NOT_SUPPORTED;
    if (priv && !k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    if (type == BC_BLOB_CAPIPUBLIC || type == BC_BLOB_CAPIPRIVATE)
        return bc_rsa_export_capi(k, type, out, cb, res);
    return bc_rsa_export_blob(k, type, out, cb, res);
}

/* The digest a padding info names: STATUS_NOT_SUPPORTED for another name. */
static NTSTATUS bc_pad_hash(const WCHAR *name, cd_algo *out)
{
    int h = bc_hash_by_name(name);
    if (h < 0)
        return BC_STATUS_NOT_SUPPORTED;
    *out = (cd_algo)h;
    return BC_STATUS_SUCCESS;
}

/* The EMSA-PKCS1-v1_5 payload: DigestInfo || hash, or the bare input for no pszAlgId */
static NTSTATUS bc_pkcs1_payload(const bc_pkcs1_info *pi, const uint8_t *in, uint32_t inlen,
                                 uint8_t *buf, size_t *len)
{
    if (!pi->pszAlgId) {
        if (inlen > 512 + CD_MAX_SIZE)
            return BC_STATUS_INVALID_PARAMETER;
        memcpy(buf, in, inlen);
        *len = inlen;
        return BC_STATUS_SUCCESS;
    }
    cd_algo dg;
    NTSTATUS st = bc_pad_hash(pi->pszAlgId, &dg);
    if (st)
        return st;
    if (inlen != cd_size(dg))
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(buf, bc_digest_info[dg].der, bc_digest_info[dg].len);
    memcpy(buf + bc_digest_info[dg].len, in, inlen);
    *len = bc_digest_info[dg].len + inlen;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_rsa_sign(bc_pkey *k, const void *padinfo, const uint8_t *in, uint32_t inlen,
                     uint8_t *out, uint32_t cb, uint32_t *res, uint32_t flags)
{
    uint32_t nb = bc_rsa_bytes(k);
    if (!(flags & (BC_PAD_PKCS1 | BC_PAD_PSS)) || !padinfo)
        return BC_STATUS_INVALID_PARAMETER;
    if (!out) { /* the size, even for a public key or no input */
        *res = nb;
        return BC_STATUS_SUCCESS;
    }
    if (!k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    if (cb < nb) {
        *res = nb;
        return BC_STATUS_BUFFER_TOO_SMALL;
    }
    NTSTATUS st;
    mpz_t s, m;
    mpz_inits(s, m, NULL);
    if (flags & BC_PAD_PKCS1) {
        uint8_t payload[512 + 2 * CD_MAX_SIZE];
        size_t plen;
        st = bc_pkcs1_payload(padinfo, in, inlen, payload, &plen);
        if (!st && !rsa_pkcs1_sign_tr(&k->u.rsa.pub, &k->u.rsa.key, NULL, bc_nettle_random,
                                      plen, payload, s))
            st = BC_STATUS_INVALID_PARAMETER; /* too long for the key */
    } else {
        const bc_pss_info *pi = padinfo;
        cd_algo dg;
        st = bc_pad_hash(pi->pszAlgId, &dg);
        if (!st && inlen != cd_size(dg))
            st = BC_STATUS_INVALID_PARAMETER;
        uint8_t *salt = NULL;
        if (!st && pi->cbSalt > nb)
            st = BC_STATUS_INVALID_PARAMETER;
        if (!st && !(salt = malloc(pi->cbSalt + 1)))
            st = BC_STATUS_NO_MEMORY;
        if (!st) {
            bc_nettle_random(NULL, pi->cbSalt, salt);
            if (!pss_encode_mgf1(m, mpz_sizeinbase(k->u.rsa.pub.n, 2) - 1, cd_nettle(dg),
                                 pi->cbSalt, salt, in) ||
                !rsa_compute_root_tr(&k->u.rsa.pub, &k->u.rsa.key, NULL, bc_nettle_random, s,
                                     m))
                st = BC_STATUS_INVALID_PARAMETER; /* the salt does not fit */
        }
        free(salt);
    }
    if (!st) {
        bc_mpz_put(out, nb, s, true);
        *res = nb;
    }
    mpz_clears(s, m, NULL);
    return st;
}

NTSTATUS bc_rsa_verify(bc_pkey *k, const void *padinfo, const uint8_t *hash, uint32_t hlen,
                       const uint8_t *sig, uint32_t slen, uint32_t flags)
{
    if (!(flags & (BC_PAD_PKCS1 | BC_PAD_PSS)) || !padinfo)
        return BC_STATUS_INVALID_PARAMETER;
    NTSTATUS st;
    bool ok = false;
    mpz_t s, m;
    mpz_inits(s, m, NULL);
    bc_mpz_get(s, sig, slen, true);
    if (flags & BC_PAD_PKCS1) {
        uint8_t payload[512 + 2 * CD_MAX_SIZE];
        size_t plen;
        st = bc_pkcs1_payload(padinfo, hash, hlen, payload, &plen);
        if (!st)
            ok = rsa_pkcs1_verify(&k->u.rsa.pub, plen, payload, s);
    } else {
        const bc_pss_info *pi = padinfo;
        cd_algo dg;
        st = bc_pad_hash(pi->pszAlgId, &dg);
        if (!st && hlen != cd_size(dg))
            st = BC_STATUS_INVALID_PARAMETER;
        if (!st && mpz_cmp(s, k->u.rsa.pub.n) < 0) {
            mpz_powm(m, s, k->u.rsa.pub.e, k->u.rsa.pub.n);
            ok = pss_verify_mgf1(m, mpz_sizeinbase(k->u.rsa.pub.n, 2) - 1, cd_nettle(dg),
                                 pi->cbSalt, hash);
        }
    }
    mpz_clears(s, m, NULL);
    if (st)
        return st;
    return ok && slen == bc_rsa_bytes(k) ? BC_STATUS_SUCCESS : BC_STATUS_INVALID_SIGNATURE;
}

/* MGF1 of seed with the digest, XORed into p[0..n); false when out of memory */
static bool bc_mgf1_xor(cd_algo dg, const uint8_t *seed, size_t slen, uint8_t *p, size_t n)
{
    cd_ctx c;
    uint8_t *mask = malloc(n ? n : 1);
    if (!mask)
        return false;
    cd_init(&c, dg);
    cd_update(&c, seed, slen);
    pss_mgf1(&c.u, c.hash, n, mask);
    for (size_t i = 0; i < n; i++)
        p[i] ^= mask[i];
    free(mask);
    return true;
}

/* EME-OAEP encoding (RFC 8017 7.1.1 step 2) of msg into em[0..k) */
static bool bc_oaep_encode(cd_algo dg, const bc_oaep_info *oi, const uint8_t *msg, size_t mlen,
                           uint8_t *em, size_t k)
{
    size_t h = cd_size(dg);
    if (k < 2 * h + 2 || mlen > k - 2 * h - 2)
        return false;
    cd_ctx c;
    uint8_t *seed = em + 1, *db = em + 1 + h;
    size_t dblen = k - h - 1;
    em[0] = 0;
    cd_init(&c, dg);
    cd_update(&c, oi->pbLabel, oi->cbLabel);
    cd_final(&c, db); /* lHash */
    memset(db + h, 0, dblen - h - mlen - 1);
    db[dblen - mlen - 1] = 1;
    memcpy(db + dblen - mlen, msg, mlen);
    bc_nettle_random(NULL, h, seed);
    return bc_mgf1_xor(dg, seed, h, db, dblen) && bc_mgf1_xor(dg, db, dblen, seed, h);
}

/* EME-OAEP decoding (RFC 8017 7.1.2 step 3) of em[0..k) in place: the message's offset and
 * length, false for a block that is not one (one answer for every way it is not). */
static bool bc_oaep_decode(cd_algo dg, const bc_oaep_info *oi, uint8_t *em, size_t k,
                           size_t *off, size_t *mlen)
{
    size_t h = cd_size(dg);
    if (k < 2 * h + 2)
        return false;
    uint8_t *seed = em + 1, *db = em + 1 + h, lhash[CD_MAX_SIZE];
    size_t dblen = k - h - 1;
    cd_ctx c;
    cd_init(&c, dg);
    cd_update(&c, oi->pbLabel, oi->cbLabel);
    cd_final(&c, lhash);
    if (!bc_mgf1_xor(dg, db, dblen, seed, h) || !bc_mgf1_xor(dg, seed, h, db, dblen))
        return false;
    unsigned bad = em[0];
    for (size_t i = 0; i < h; i++)
        bad |= db[i] ^ lhash[i];
    /* the first non-zero byte after lHash must be 0x01; look at every byte */
    size_t one = 0;
    unsigned looking = 1;
    for (size_t i = h; i < dblen; i++) {
        unsigned nz = db[i] != 0;
        unsigned first = looking & nz;
        bad |= first & (db[i] != 1);
        one = first ? i : one;
        looking &= !nz;
    }
    bad |= looking;
    *off = 1 + h + one + 1;
    *mlen = dblen - one - 1;
    return !bad;
}

NTSTATUS bc_rsa_crypt(bc_pkey *k, bool enc, const uint8_t *in, uint32_t inlen,
                      const void *padinfo, uint8_t *out, uint32_t outlen, uint32_t *res,
                      uint32_t flags)
{
    uint32_t nb = bc_rsa_bytes(k);
    uint32_t pad = flags & (BC_PAD_NONE | BC_PAD_PKCS1 | BC_PAD_OAEP);
    if (pad != BC_PAD_NONE && pad != BC_PAD_PKCS1 && pad != BC_PAD_OAEP)
        return BC_STATUS_INVALID_PARAMETER;
    cd_algo dg = CD_SHA1;
    const bc_oaep_info *oi = padinfo;
    if (pad == BC_PAD_OAEP) {
        if (!oi || (oi->cbLabel && !oi->pbLabel))
            return BC_STATUS_INVALID_PARAMETER;
        NTSTATUS st = bc_pad_hash(oi->pszAlgId, &dg);
        if (st)
            return st;
    }
    if (enc) {
        if (pad == BC_PAD_NONE ? inlen > nb
            : pad == BC_PAD_PKCS1 ? inlen + 11 > nb
                                  : inlen + 2 * cd_size(dg) + 2 > nb)
            return BC_STATUS_INVALID_PARAMETER;
        *res = nb;
        if (!out)
            return BC_STATUS_SUCCESS;
        if (outlen < nb)
            return BC_STATUS_BUFFER_TOO_SMALL;
    } else {
        if (!k->priv || inlen != nb)
            return BC_STATUS_INVALID_PARAMETER;
    }
    NTSTATUS st = BC_STATUS_SUCCESS;
    uint8_t *em = malloc(nb);
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    if (!em) {
        st = BC_STATUS_NO_MEMORY;
        goto free_nums;
    }
    if (enc) {
        if (pad == BC_PAD_PKCS1) {
            if (!rsa_encrypt(&k->u.rsa.pub, NULL, bc_nettle_random, inlen, in, y))
                st = BC_STATUS_INVALID_PARAMETER;
        } else {
            if (pad == BC_PAD_NONE)
                bc_mpz_get(x, in, inlen, true);
            else if (bc_oaep_encode(dg, oi, in, inlen, em, nb)) /* its length checked above */
                bc_mpz_get(x, em, nb, true);
            else
                st = BC_STATUS_NO_MEMORY;
            if (!st && mpz_cmp(x, k->u.rsa.pub.n) >= 0)
                st = BC_STATUS_INVALID_PARAMETER;
            if (!st)
                mpz_powm(y, x, k->u.rsa.pub.e, k->u.rsa.pub.n);
        }
        if (!st)
            bc_mpz_put(out, nb, y, true);
        goto free_em;
    }
    /* decryption: the plain text's size is known only once decrypted */
    size_t off = 0, mlen = 0;
    bc_mpz_get(x, in, inlen, true);
    if (pad == BC_PAD_PKCS1) {
        mlen = nb;
        if (!rsa_decrypt_tr(&k->u.rsa.pub, &k->u.rsa.key, NULL, bc_nettle_random, &mlen, em, x))
            st = BC_STATUS_INVALID_PARAMETER;
    } else if (mpz_cmp(x, k->u.rsa.pub.n) >= 0 ||
               !rsa_compute_root_tr(&k->u.rsa.pub, &k->u.rsa.key, NULL, bc_nettle_random, y, x)) {
        st = BC_STATUS_INVALID_PARAMETER;
    } else {
        bc_mpz_put(em, nb, y, true);
        mlen = nb;
        if (pad == BC_PAD_OAEP && !bc_oaep_decode(dg, oi, em, nb, &off, &mlen))
            st = BC_STATUS_INVALID_PARAMETER;
    }
    if (!st) {
        *res = (uint32_t)mlen;
        if (out && outlen < mlen)
            st = BC_STATUS_BUFFER_TOO_SMALL;
        else if (out)
            memcpy(out, em + off, mlen);
    }
free_em:
    memset(em, 0, nb);
    free(em);
free_nums:
    mpz_clears(x, y, NULL);
    return st;
}
