/* SPDX-License-Identifier: MIT */
/* bcrypt's DSA keys ("DSA", BCRYPT_DSA_ALG_HANDLE; pkey.c dispatches here) over Nettle's DSA
 * (hogweed): keys of 512 to 3072 bits (steps of 64), FIPS 186-2 up to 1024 bits (q of 160 bits,
 * BCRYPT_DSA_KEY_BLOB "DSPB"/"DSPV" and BCRYPT_DSA_PARAMETER_HEADER "DSPM"), FIPS 186-3 above
 * (q of 256 bits when generated, BCRYPT_DSA_KEY_BLOB_V2 "DPB2"/"DPV2" and
 * BCRYPT_DSA_PARAMETER_HEADER_V2 "DPM2"), as Go's crypto/dsa through CNG uses them:
 *
 *   BCryptGenerateKeyPair + BCryptFinalizeKeyPair   new parameters (Nettle's generator) and key
 *   BCryptSetProperty(BCRYPT_DSA_PARAMETERS)        before the finalize: the key's group
 *   BCryptImportKeyPair / BCryptExportKey           DSAPUBLICBLOB, DSAPRIVATEBLOB (and
 *                                                   PUBLICBLOB/PRIVATEBLOB)
 *   BCryptSignHash / BCryptVerifySignature          r || s, each q's size; the hash must be as
 *                                                   long as q (Windows' rule: Go truncates or
 *                                                   pads before it calls)
 *
 * The generation seed and counter are not kept: blobs and parameters come out with Count and
 * Seed all 0xff, which Windows reads as "do not verify" (the values Go passes in), and the
 * imported ones are not checked. An imported key must have 1 < g < p, 1 < y < p and, when
 * private, y = g^x mod p (STATUS_INVALID_PARAMETER otherwise). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_DSA_PUBLIC_MAGIC 0x42505344u        /* "DSPB" */
#define BC_DSA_PRIVATE_MAGIC 0x56505344u       /* "DSPV" */
#define BC_DSA_PUBLIC_MAGIC_V2 0x32425044u     /* "DPB2" */
#define BC_DSA_PRIVATE_MAGIC_V2 0x32565044u    /* "DPV2" */
#define BC_DSA_PARAMETERS_MAGIC 0x4d505344u    /* "DSPM" */
#define BC_DSA_PARAMETERS_MAGIC_V2 0x324d5044u /* "DPM2" */
#define BC_DSA_V1_MAX_BITS 1024
#define BC_DSA_V1_Q 20

enum { BC_DSA_HASH_SHA1, BC_DSA_HASH_SHA256, BC_DSA_HASH_SHA512 };  /* HASHALGORITHM_ENUM */
enum { BC_DSA_FIPS186_2, BC_DSA_FIPS186_3 };                        /* DSAFIPSVERSION_ENUM */

/* BCRYPT_DSA_KEY_BLOB; a BCRYPT_DSA_PARAMETER_HEADER is its cbLength and then these fields
 * (its cbKeyLength is cbKey), the rest of both the same: p, g (and y, x). */
typedef struct {
    uint32_t dwMagic;   /* 0x00 */
    uint32_t cbKey;     /* 0x04 */
    uint8_t Count[4];   /* 0x08 */
    uint8_t Seed[20];   /* 0x0c */
    uint8_t q[20];      /* 0x20 */
} bc_dsa_blob;
_Static_assert(sizeof(bc_dsa_blob) == 52, "BCRYPT_DSA_KEY_BLOB");

/* BCRYPT_DSA_KEY_BLOB_V2, likewise in BCRYPT_DSA_PARAMETER_HEADER_V2; then the seed and q
 * (cbSeedLength and cbGroupSize bytes), p, g (and y, x). */
typedef struct {
    uint32_t dwMagic;         /* 0x00 */
    uint32_t cbKey;           /* 0x04 */
    uint32_t hashAlgorithm;   /* 0x08 */
    uint32_t standardVersion; /* 0x0c */
    uint32_t cbSeedLength;    /* 0x10 */
    uint32_t cbGroupSize;     /* 0x14 */
    uint8_t Count[4];         /* 0x18 */
} bc_dsa_blob2;
_Static_assert(sizeof(bc_dsa_blob2) == 28, "BCRYPT_DSA_KEY_BLOB_V2");

/* BCRYPT_DSA_PARAMETER_HEADER and _V2 */
typedef struct {
    uint32_t cbLength; /* 0x00 */
    bc_dsa_blob b;     /* 0x04: dwMagic, cbKeyLength, Count 0x0c, Seed 0x10, q 0x24 */
} bc_dsa_header;
_Static_assert(sizeof(bc_dsa_header) == 56 && offsetof(bc_dsa_header, b.q) == 0x24,
               "BCRYPT_DSA_PARAMETER_HEADER");
typedef struct {
    uint32_t cbLength; /* 0x00 */
    bc_dsa_blob2 b;    /* 0x04: dwMagic, cbKeyLength, hashAlgorithm ... Count 0x1c */
} bc_dsa_header2;
_Static_assert(sizeof(bc_dsa_header2) == 32 && offsetof(bc_dsa_header2, b.Count) == 0x1c,
               "BCRYPT_DSA_PARAMETER_HEADER_V2");

void bc_dsa_init(bc_pkey *k)
{
    dsa_params_init(&k->u.dsa.params);
    mpz_inits(k->u.dsa.y, k->u.dsa.x, NULL);
    k->u.dsa.set = false;
}

void bc_dsa_free(bc_pkey *k)
{
    dsa_params_clear(&k->u.dsa.params);
    mpz_clears(k->u.dsa.y, k->u.dsa.x, NULL);
}

void bc_dsa_copy(bc_pkey *dst, const bc_pkey *src)
{
    mpz_set(dst->u.dsa.params.p, src->u.dsa.params.p);
    mpz_set(dst->u.dsa.params.q, src->u.dsa.params.q);
    mpz_set(dst->u.dsa.params.g, src->u.dsa.params.g);
    mpz_set(dst->u.dsa.y, src->u.dsa.y);
    mpz_set(dst->u.dsa.x, src->u.dsa.x);
    dst->u.dsa.set = src->u.dsa.set;
    dst->u.dsa.qbytes = src->u.dsa.qbytes;
}

static uint32_t bc_dsa_hash_enum(uint32_t qbytes)
{
    return qbytes <= 20 ? BC_DSA_HASH_SHA1 : qbytes <= 32 ? BC_DSA_HASH_SHA256 : BC_DSA_HASH_SHA512;
}

/* p of the key's length, q of qbytes, 1 < g < p */
static bool bc_dsa_group_ok(const bc_pkey *k, uint32_t n, uint32_t qbytes)
{
    const struct dsa_params *d = &k->u.dsa.params;
    return mpz_sizeinbase(d->p, 2) > 8 * (n - 1) && mpz_odd_p(d->p) &&
           mpz_sizeinbase(d->q, 2) > 8 * (qbytes - 1) && mpz_cmp_ui(d->g, 1) > 0 &&
           mpz_cmp(d->g, d->p) < 0;
}

/* The fixed part of a key blob, or of a parameter header after its cbLength (v1: bc_dsa_blob,
 * v2: bc_dsa_blob2, its seed and q), in `len` bytes at `in`: false when they do not hold it;
 * else q's length (*q) and where q is (*qp), p following it. */
static bool bc_dsa_get_head(bool v1, const uint8_t *in, uint32_t len, uint32_t *q,
                            const uint8_t **qp)
{
    if (v1) {
        if (len < sizeof(bc_dsa_blob))
            return false;
        *q = BC_DSA_V1_Q;
        *qp = in + offsetof(bc_dsa_blob, q);
        return true;
    }
    bc_dsa_blob2 h;
    if (len < sizeof h)
        return false;
    memcpy(&h, in, sizeof h);
    if (h.cbGroupSize < 20 || h.cbGroupSize > 64 || h.cbSeedLength > 64 ||
        len - sizeof h < h.cbSeedLength + h.cbGroupSize)
        return false;
    *q = h.cbGroupSize;
    *qp = in + sizeof h + h.cbSeedLength;
    return true;
}

/* That part's length for k's blobs (v1 up to 1024 bits, v2 above) */
static uint32_t bc_dsa_head_size(const bc_pkey *k)
{
    return k->bits <= BC_DSA_V1_MAX_BITS ? (uint32_t)sizeof(bc_dsa_blob)
                                         : (uint32_t)sizeof(bc_dsa_blob2) + 2 * k->u.dsa.qbytes;
}

/* Lays that part out at `out` with `magic`: Count and the seed all 0xff (not kept), q. Returns
 * where p goes. */
static uint8_t *bc_dsa_put_head(const bc_pkey *k, uint32_t magic, uint8_t *out)
{
    uint32_t n = k->bits / 8, q = k->u.dsa.qbytes;
    if (k->bits <= BC_DSA_V1_MAX_BITS) {
        bc_dsa_blob h = {magic, n, {0}, {0}, {0}};
        memset(h.Count, 0xff, sizeof h.Count);
        memset(h.Seed, 0xff, sizeof h.Seed);
        bc_mpz_put(h.q, sizeof h.q, k->u.dsa.params.q, true);
        memcpy(out, &h, sizeof h);
        return out + sizeof h;
    }
    bc_dsa_blob2 h = {magic, n, bc_dsa_hash_enum(q), BC_DSA_FIPS186_3, q, q,
                      {0xff, 0xff, 0xff, 0xff}};
    memcpy(out, &h, sizeof h);
    memset(out + sizeof h, 0xff, q); /* the seed */
    bc_mpz_put(out + sizeof h + q, q, k->u.dsa.params.q, true);
    return out + sizeof h + 2 * q;
}

/* The group from a parameter header (v1 up to 1024 bits, v2 above), for the key's length. */
NTSTATUS bc_dsa_set_params(bc_pkey *k, const uint8_t *in, uint32_t cb)
{
    uint32_t n = k->bits / 8, q;
    bool v1 = k->bits <= BC_DSA_V1_MAX_BITS;
    const size_t head = offsetof(bc_dsa_header, b);
    const uint8_t *qp;
    if (!in)
        return BC_STATUS_INVALID_PARAMETER;
    if (k->final)
        return BC_STATUS_INVALID_HANDLE; /* a finalized key keeps its group */
    if (cb < head || !bc_dsa_get_head(v1, in + head, cb - head, &q, &qp))
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t length, magic, key_length; /* cbLength, dwMagic, cbKeyLength in either version */
    memcpy(&length, in, 4);
    memcpy(&magic, in + 4, 4);
    memcpy(&key_length, in + 8, 4);
    if (magic != (v1 ? BC_DSA_PARAMETERS_MAGIC : BC_DSA_PARAMETERS_MAGIC_V2) || key_length != n ||
        length != cb || cb != (size_t)(qp - in) + q + 2 * n)
        return BC_STATUS_INVALID_PARAMETER;
    const uint8_t *p = qp + q;
    bc_mpz_get(k->u.dsa.params.q, qp, q, true);
    bc_mpz_get(k->u.dsa.params.p, p, n, true);
    bc_mpz_get(k->u.dsa.params.g, p + n, n, true);
    if (!bc_dsa_group_ok(k, n, q))
        return BC_STATUS_INVALID_PARAMETER;
    k->u.dsa.qbytes = q;
    k->u.dsa.set = true;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dsa_get_params(const bc_pkey *k, uint8_t *out, uint32_t cb, uint32_t *res)
{
    if (!k->u.dsa.set)
        return BC_STATUS_INVALID_PARAMETER;
    const struct dsa_params *d = &k->u.dsa.params;
    uint32_t n = k->bits / 8;
    bool v1 = k->bits <= BC_DSA_V1_MAX_BITS;
    const size_t head = offsetof(bc_dsa_header, b);
    uint32_t size = (uint32_t)head + bc_dsa_head_size(k) + 2 * n;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    memcpy(out, &size, 4); /* cbLength */
    uint8_t *p = bc_dsa_put_head(k, v1 ? BC_DSA_PARAMETERS_MAGIC : BC_DSA_PARAMETERS_MAGIC_V2,
                                 out + head);
    bc_mpz_put(p, n, d->p, true);
    bc_mpz_put(p + n, n, d->g, true);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dsa_generate(bc_pkey *k)
{
    if (!k->u.dsa.set) { /* new parameters: FIPS 186-2's q of 160 bits, 186-3's of 256 */
        uint32_t qbits = k->bits <= BC_DSA_V1_MAX_BITS ? 160 : 256;
        if (!dsa_generate_params(&k->u.dsa.params, NULL, bc_nettle_random, NULL, NULL, k->bits,
                                 qbits))
            return BC_STATUS_INVALID_PARAMETER;
        k->u.dsa.qbytes = qbits / 8;
        k->u.dsa.set = true;
    }
    dsa_generate_keypair(&k->u.dsa.params, k->u.dsa.y, k->u.dsa.x, NULL, bc_nettle_random);
    return BC_STATUS_SUCCESS;
}

static bool bc_dsa_priv_type(int type) { return type == BC_BLOB_PRIVATE || type == BC_BLOB_DSAPRIVATE; }

NTSTATUS bc_dsa_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    bool priv = bc_dsa_priv_type(type);
    if (!priv && type != BC_BLOB_PUBLIC && type != BC_BLOB_DSAPUBLIC)
        return BC_STATUS_NOT_SUPPORTED;
    uint32_t magic, n, q;
    const uint8_t *qp;
    if (len < 8)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&magic, in, 4);
    memcpy(&n, in + 4, 4);
    bool v1 = magic == (priv ? BC_DSA_PRIVATE_MAGIC : BC_DSA_PUBLIC_MAGIC);
    if (!v1 && magic != (priv ? BC_DSA_PRIVATE_MAGIC_V2 : BC_DSA_PUBLIC_MAGIC_V2))
        return BC_STATUS_INVALID_PARAMETER;
    if (n % 8 || (v1 ? n < 64 || n > 128 : n <= 128 || n > 384) ||
        !bc_dsa_get_head(v1, in, len, &q, &qp) ||
        len - (size_t)(qp + q - in) < 3 * n + (priv ? q : 0))
        return BC_STATUS_INVALID_PARAMETER;
    const uint8_t *p = qp + q;
    k->bits = 8 * n;
    bc_mpz_get(k->u.dsa.params.q, qp, q, true);
    bc_mpz_get(k->u.dsa.params.p, p, n, true);
    bc_mpz_get(k->u.dsa.params.g, p + n, n, true);
    bc_mpz_get(k->u.dsa.y, p + 2 * n, n, true);
    bool ok = bc_dsa_group_ok(k, n, q) && mpz_cmp_ui(k->u.dsa.y, 1) > 0 &&
              mpz_cmp(k->u.dsa.y, k->u.dsa.params.p) < 0;
    if (ok && priv) {
        mpz_t t;
        mpz_init(t);
        bc_mpz_get(k->u.dsa.x, p + 3 * n, q, true);
        mpz_powm(t, k->u.dsa.params.g, k->u.dsa.x, k->u.dsa.params.p);
        ok = mpz_sgn(k->u.dsa.x) && !mpz_cmp(t, k->u.dsa.y);
        mpz_clear(t);
    }
    if (!ok)
        return BC_STATUS_INVALID_PARAMETER;
    k->u.dsa.qbytes = q;
    k->u.dsa.set = true;
    k->priv = priv;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dsa_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    bool priv = bc_dsa_priv_type(type);
    if (!priv && type != BC_BLOB_PUBLIC && type != BC_BLOB_DSAPUBLIC)
        return BC_STATUS_NOT_SUPPORTED;
    if (priv && !k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    const struct dsa_params *d = &k->u.dsa.params;
    uint32_t n = k->bits / 8, q = k->u.dsa.qbytes;
    bool v1 = k->bits <= BC_DSA_V1_MAX_BITS;
    uint32_t size = bc_dsa_head_size(k) + 3 * n + (priv ? q : 0);
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    uint32_t magic = v1 ? (priv ? BC_DSA_PRIVATE_MAGIC : BC_DSA_PUBLIC_MAGIC)
                        : (priv ? BC_DSA_PRIVATE_MAGIC_V2 : BC_DSA_PUBLIC_MAGIC_V2);
    uint8_t *p = bc_dsa_put_head(k, magic, out);
    bc_mpz_put(p, n, d->p, true);
    bc_mpz_put(p + n, n, d->g, true);
    bc_mpz_put(p + 2 * n, n, k->u.dsa.y, true);
    if (priv)
        bc_mpz_put(p + 3 * n, q, k->u.dsa.x, true);
    return BC_STATUS_SUCCESS;
}

uint32_t bc_dsa_signature_length(const bc_pkey *k) { return 2 * k->u.dsa.qbytes; }

NTSTATUS bc_dsa_sign(bc_pkey *k, const uint8_t *in, uint32_t inlen, uint8_t *out, uint32_t cb,
                     uint32_t *res, uint32_t flags)
{
    uint32_t q = k->u.dsa.qbytes;
    if (flags)
        return BC_STATUS_INVALID_PARAMETER; /* no padding schemes */
    *res = 2 * q;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (!k->priv || inlen != q)
        return BC_STATUS_INVALID_PARAMETER;
    if (cb < 2 * q)
        return BC_STATUS_BUFFER_TOO_SMALL;
    struct dsa_signature sig;
    dsa_signature_init(&sig);
    int ok = dsa_sign(&k->u.dsa.params, k->u.dsa.x, NULL, bc_nettle_random, inlen, in, &sig);
    if (ok) {
        bc_mpz_put(out, q, sig.r, true);
        bc_mpz_put(out + q, q, sig.s, true);
    }
    dsa_signature_clear(&sig);
    return ok ? BC_STATUS_SUCCESS : BC_STATUS_INVALID_PARAMETER;
}

NTSTATUS bc_dsa_verify(bc_pkey *k, const uint8_t *hash, uint32_t hlen, const uint8_t *sig,
                       uint32_t slen, uint32_t flags)
{
    uint32_t q = k->u.dsa.qbytes;
    if (flags || hlen != q)
        return BC_STATUS_INVALID_PARAMETER;
    if (slen != 2 * q)
        return BC_STATUS_INVALID_SIGNATURE;
    struct dsa_signature ds;
    dsa_signature_init(&ds);
    bc_mpz_get(ds.r, sig, q, true);
    bc_mpz_get(ds.s, sig + q, q, true);
    int ok = dsa_verify(&k->u.dsa.params, k->u.dsa.y, hlen, hash, &ds);
    dsa_signature_clear(&ds);
    return ok ? BC_STATUS_SUCCESS : BC_STATUS_INVALID_SIGNATURE;
}
