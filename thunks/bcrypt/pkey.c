/* SPDX-License-Identifier: MIT */
/* bcrypt's key pairs: BCryptGenerateKeyPair + BCryptFinalizeKeyPair, BCryptImportKeyPair,
 * BCryptSignHash, BCryptVerifySignature and, through key.c's exports, BCryptExportKey,
 * BCryptEncrypt/BCryptDecrypt, BCryptDuplicateKey and BCryptDestroyKey of a key pair, and the
 * properties of the public-key algorithms and their keys (KeyLength, KeyLengths,
 * AlgorithmName, PaddingSchemes, ECCCurveName). The algorithms are rsa.c's (RSA, RSA_SIGN) and
 * ecc.c's (ECDSA and ECDH on P-256, P-384, P-521, ECDH on curve25519), dh.c's (DH, with
 * its DHParameters property) and dsa.c's (DSA, DSAParameters); SignatureLength of the signing
 * keys; this file checks handles
 * and dispatches. The generic "ECDSA" and "ECDH" take their curve from
 * BCryptSetProperty(BCRYPT_ECC_CURVE_NAME) on the algorithm (or, before the finalize, on a
 * generated key), else from the length asked for (256, 384, 521: the NIST curves), else, for an
 * imported blob, from its curve-specific magic; a key without any is STATUS_INVALID_PARAMETER.
 *
 * As on Windows: a generated key is usable only after BCryptFinalizeKeyPair (a second
 * finalize, or one of an imported key, is STATUS_INVALID_HANDLE); BCryptSetProperty(KeyLength)
 * before the finalize changes the length that is generated, after it is accepted and ignored;
 * a wrong blob type or magic is STATUS_INVALID_PARAMETER. */
#include <stdlib.h>
#include <string.h>
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_PKEY_MAGIC 0x59454b50u /* "PKEY" */

uint32_t bc_mpz_bytes(const mpz_t z) { return (uint32_t)(mpz_sizeinbase(z, 2) + 7) / 8; }

/* z as `len` bytes, big-endian (msb) or little-endian, zeros in front (behind) */
void bc_mpz_put(uint8_t *p, uint32_t len, const mpz_t z, bool msb)
{
    size_t n = 0;
    uint32_t need = mpz_sgn(z) ? bc_mpz_bytes(z) : 0;
    memset(p, 0, len);
    if (need && need <= len)
        mpz_export(msb ? p + len - need : p, &n, msb ? 1 : -1, 1, 0, 0, z);
}

void bc_mpz_get(mpz_t z, const uint8_t *p, uint32_t len, bool msb)
{
    mpz_import(z, len, msb ? 1 : -1, 1, 0, 0, p);
}

/* BCRYPT_SUPPORTED_PAD_PKCS1_ENC | PKCS1_SIG | OAEP | PSS */
#define BC_RSA_PADDING_SCHEMES 0x1eu

bool bc_is_pkey(const void *h)
{
    const bc_pkey *k = h;
    return (uintptr_t)h >= 0x1000 && k->magic == BC_PKEY_MAGIC;
}

static bc_pkey *bc_get_pkey(void *h) { return bc_is_pkey(h) ? h : NULL; }

/* The key lengths an algorithm takes (BCRYPT_KEY_LENGTHS_STRUCT: min, max, step in bits) */
static void bc_pkey_lengths(int kind, uint32_t v[3])
{
    switch (kind) {
    case BC_ECDSA_P256: case BC_ECDH_P256: v[0] = v[1] = 256, v[2] = 0; break;
    case BC_ECDSA_P384: case BC_ECDH_P384: v[0] = v[1] = 384, v[2] = 0; break;
    case BC_ECDSA_P521: case BC_ECDH_P521: v[0] = v[1] = 521, v[2] = 0; break;
    case BC_ECDH_X25519: v[0] = v[1] = 255, v[2] = 0; break;
    case BC_ECDSA_GENERIC: case BC_ECDH_GENERIC: v[0] = 256, v[1] = 521, v[2] = 0; break;
    case BC_DH: v[0] = 512, v[1] = 4096, v[2] = 64; break;
    case BC_DSA: v[0] = 512, v[1] = 3072, v[2] = 64; break;
    default: v[0] = 512, v[1] = 16384, v[2] = 64; break;
    }
}

static bool bc_pkey_length_ok(int kind, uint32_t bits)
{
    uint32_t v[3];
    bc_pkey_lengths(kind, v);
    return bits >= v[0] && bits <= v[1] && (!v[2] || (bits - v[0]) % v[2] == 0);
}

NTSTATUS bc_pkey_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                              uint32_t cb, uint32_t *res)
{
    const bc_pkey *k = h;
    int kind = alg ? alg->kind : k->kind;
    if (bc_name_is(prop, "ALGORITHMNAME")) {
        if (k && k->generic) /* the algorithm's name: "ECDH", "ECDSA" */
            kind = bc_is_ecdh(kind) ? BC_ECDH_GENERIC : BC_ECDSA_GENERIC;
        return bc_put_name(bc_kind_name(kind), out, cb, res);
    }
    if (bc_name_is(prop, "DHPARAMETERS") && kind == BC_DH)
        return alg ? BC_STATUS_NOT_SUPPORTED : bc_dh_get_params(k, out, cb, res);
    if (bc_name_is(prop, "DSAPARAMETERS") && kind == BC_DSA)
        return alg ? BC_STATUS_NOT_SUPPORTED : bc_dsa_get_params(k, out, cb, res);
    if (bc_name_is(prop, "SIGNATURELENGTH") && !alg && k->final && !bc_is_ecdh(kind) &&
        kind != BC_DH) /* r || s, or RSA's modulus */
        return bc_put_dword(kind == BC_DSA                ? bc_dsa_signature_length(k)
                            : bc_is_rsa(kind)             ? (k->bits + 7) / 8
                                                          : 2 * ((k->bits + 7) / 8),
                            out, cb, res);
    if (bc_name_is(prop, "ECCCURVENAME")) {
        const char *name = bc_ecc_curve_name(alg && alg->curve ? alg->curve : kind);
        return name ? bc_put_name(name, out, cb, res) : BC_STATUS_NOT_SUPPORTED;
    }
    if (bc_name_is(prop, "PADDINGSCHEMES") && bc_is_rsa(kind))
        return bc_put_dword(BC_RSA_PADDING_SCHEMES, out, cb, res);
    if (alg) {
        if (bc_name_is(prop, "KEYLENGTHS")) {
            uint32_t v[3];
            bc_pkey_lengths(kind, v);
            return bc_put_bytes(v, sizeof v, out, cb, res);
        }
    } else if (bc_name_is(prop, "KEYLENGTH")) {
        return bc_put_dword(k->bits, out, cb, res);
    }
    return BC_STATUS_NOT_SUPPORTED;
}

NTSTATUS bc_pkey_set_property(void *h, const WCHAR *prop, const uint8_t *in, uint32_t cb)
{
    bc_pkey *k = h;
    if (bc_name_is(prop, "DHPARAMETERS") && k->kind == BC_DH)
        return bc_dh_set_params(k, in, cb);
    if (bc_name_is(prop, "DSAPARAMETERS") && k->kind == BC_DSA)
        return bc_dsa_set_params(k, in, cb);
    if (bc_name_is(prop, "ECCCURVENAME") && k->generic) {
        if (!in)
            return BC_STATUS_INVALID_PARAMETER;
        if (k->final)
            return BC_STATUS_INVALID_PARAMETER; /* a finalized key keeps its curve */
        int kind = bc_ecc_curve_kind(bc_is_ecdh(k->kind) ? BC_ECDH_GENERIC : BC_ECDSA_GENERIC,
                                     (const WCHAR *)in, cb);
        if (kind < 0)
            return BC_STATUS_NOT_SUPPORTED;
        k->kind = kind;
        k->bits = bc_ecc_curve_bits(kind);
        return BC_STATUS_SUCCESS;
    }
    if (!bc_name_is(prop, "KEYLENGTH"))
        return BC_STATUS_NOT_SUPPORTED;
    if (!in || cb != 4)
        return BC_STATUS_INVALID_PARAMETER;
    if (k->final)
        return BC_STATUS_SUCCESS; /* Windows accepts it and keeps the key */
    uint32_t bits;
    memcpy(&bits, in, 4);
    if (!bc_pkey_length_ok(k->kind, bits))
        return BC_STATUS_INVALID_PARAMETER;
    k->bits = bits;
    return BC_STATUS_SUCCESS;
}

static bc_pkey *bc_pkey_new(int kind, uint32_t bits)
{
    bc_pkey *k = calloc(1, sizeof *k);
    if (k) {
        k->magic = BC_PKEY_MAGIC;
        k->kind = kind;
        k->bits = bits;
        if (kind == BC_DH) /* its group may come before the finalize */
            bc_dh_init(k);
        else if (kind == BC_DSA)
            bc_dsa_init(k);
    }
    return k;
}

static void bc_pkey_free(bc_pkey *k)
{
    if (k->kind == BC_DH) {
        bc_dh_free(k);
    } else if (k->kind == BC_DSA) {
        bc_dsa_free(k);
    } else if (k->final) {
        if (bc_is_rsa(k->kind))
            bc_rsa_free(k);
        else
            bc_ecc_free(k);
    }
    memset(k, 0, sizeof *k);
    free(k);
}

/* The public-key algorithm behind a handle: STATUS_INVALID_HANDLE, or STATUS_NOT_SUPPORTED
 * for another algorithm. */
static NTSTATUS bc_pkey_alg(void *alg, const bc_alg **out)
{
    const bc_alg *a = *out = bc_get_alg(alg);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    return bc_is_asym(a->kind) ? BC_STATUS_SUCCESS : BC_STATUS_NOT_SUPPORTED;
}

NTSTATUS WINAPI bc_BCryptGenerateKeyPair(void *alg, void **out, uint32_t bits,
                                         uint32_t flags)
{
    (void)flags;
    const bc_alg *a;
    NTSTATUS st = bc_pkey_alg(alg, &a);
    if (st)
        return st;
    int kind = a->kind;
    if (bc_is_ecc_generic(kind)) {
        /* the curve of the algorithm (the length 0 or the curve's), else the NIST curve of
         * that length, else none yet: BCryptSetProperty(ECCCurveName) on the key names it */
        if (a->curve) {
            kind = a->curve;
            if (bits && bits != bc_ecc_curve_bits(kind))
                return BC_STATUS_INVALID_PARAMETER;
        } else if (bits == 256 || bits == 384 || bits == 521) {
            kind = (kind == BC_ECDH_GENERIC ? BC_ECDH_P256 : BC_ECDSA_P256) +
                   (bits == 256 ? 0 : bits == 384 ? 1 : 2);
        } else if (bits) {
            return BC_STATUS_INVALID_PARAMETER;
        }
        bits = bc_ecc_curve_bits(kind);
    } else if (!bc_pkey_length_ok(kind, bits)) {
        return BC_STATUS_INVALID_PARAMETER;
    }
    if (!out)
        return BC_STATUS_INVALID_PARAMETER;
    if (!ntl_ready())
        return BC_STATUS_NOT_FOUND;
    bc_pkey *k = bc_pkey_new(kind, bits);
    if (!k)
        return BC_STATUS_NO_MEMORY;
    k->generic = bc_is_ecc_generic(a->kind);
    *out = k;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptGenerateKeyPair, bc_BCryptGenerateKeyPair, 4);

NTSTATUS WINAPI bc_BCryptFinalizeKeyPair(void *key, uint32_t flags)
{
    (void)flags;
    bc_pkey *k = bc_get_pkey(key);
    if (!k || k->final)
        return BC_STATUS_INVALID_HANDLE;
    if (bc_is_ecc_generic(k->kind))
        return BC_STATUS_INVALID_PARAMETER; /* no curve named */
    NTSTATUS st = bc_is_rsa(k->kind)    ? bc_rsa_generate(k)
                  : k->kind == BC_DH  ? bc_dh_generate(k)
                  : k->kind == BC_DSA ? bc_dsa_generate(k)
                                      : bc_ecc_generate(k);
    if (st == BC_STATUS_SUCCESS)
        k->final = k->priv = true;
    return st;
}
THK_EXPORT_AS(bcrypt, BCryptFinalizeKeyPair, bc_BCryptFinalizeKeyPair, 2);

static const struct {
    const char *name;
    int type;
} bc_blob_names[] = {
    {"PUBLICBLOB", BC_BLOB_PUBLIC},
    {"PRIVATEBLOB", BC_BLOB_PRIVATE},
    {"RSAPUBLICBLOB", BC_BLOB_RSAPUBLIC},
    {"RSAPRIVATEBLOB", BC_BLOB_RSAPRIVATE},
    {"RSAFULLPRIVATEBLOB", BC_BLOB_RSAFULLPRIVATE},
    {"CAPIPUBLICBLOB", BC_BLOB_CAPIPUBLIC},
    {"CAPIPRIVATEBLOB", BC_BLOB_CAPIPRIVATE},
    {"ECCPUBLICBLOB", BC_BLOB_ECCPUBLIC},
    {"ECCPRIVATEBLOB", BC_BLOB_ECCPRIVATE},
    {"DHPUBLICBLOB", BC_BLOB_DHPUBLIC},
    {"DHPRIVATEBLOB", BC_BLOB_DHPRIVATE},
    {"DSAPUBLICBLOB", BC_BLOB_DSAPUBLIC},
    {"DSAPRIVATEBLOB", BC_BLOB_DSAPRIVATE},
    {"ECCFULLPUBLICBLOB", BC_BLOB_ECCFULLPUBLIC},
    {"ECCFULLPRIVATEBLOB", BC_BLOB_ECCFULLPRIVATE},
};

/* The blob type named by a foreign string, -1 for one that is not a key pair's. */
static int bc_blob_type(const WCHAR *name)
{
    for (size_t i = 0; i < sizeof bc_blob_names / sizeof bc_blob_names[0]; i++)
        if (bc_name_is(name, bc_blob_names[i].name))
            return bc_blob_names[i].type;
    return -1;
}

NTSTATUS WINAPI bc_BCryptImportKeyPair(void *alg, void *wrap, const WCHAR *type,
                                       void **out, const uint8_t *in, uint32_t cbin,
                                       uint32_t flags)
{
    (void)flags;
    const bc_alg *a;
    NTSTATUS st = bc_pkey_alg(alg, &a);
    if (st)
        return st;
    if (!type || !out || !in)
        return BC_STATUS_INVALID_PARAMETER;
    if (wrap)
        return BC_STATUS_NOT_SUPPORTED;
    int t = bc_blob_type(type);
    if (t < 0)
        return BC_STATUS_NOT_SUPPORTED;
    if (!ntl_ready())
        return BC_STATUS_NOT_FOUND;
    int kind = a->kind;
    if (bc_is_ecc_generic(kind)) { /* the algorithm's curve, else the one the magic names */
        kind = a->curve ? a->curve : bc_ecc_blob_kind(kind, in, cbin);
        if (kind < 0)
            return BC_STATUS_INVALID_PARAMETER;
    }
    bc_pkey *k = bc_pkey_new(kind, 0);
    if (!k)
        return BC_STATUS_NO_MEMORY;
    k->generic = bc_is_ecc_generic(a->kind);
    st = bc_is_rsa(kind)    ? bc_rsa_import(k, t, in, cbin)
         : kind == BC_DH  ? bc_dh_import(k, t, in, cbin)
         : kind == BC_DSA ? bc_dsa_import(k, t, in, cbin)
                          : bc_ecc_import(k, t, in, cbin);
    if (st) {
        bc_pkey_free(k);
        return st;
    }
    k->final = true;
    *out = k;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptImportKeyPair, bc_BCryptImportKeyPair, 7);

NTSTATUS bc_pkey_export(void *h, const WCHAR *type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    bc_pkey *k = h;
    if (!k->final)
        return BC_STATUS_INVALID_HANDLE;
    int t = bc_blob_type(type);
    if (t < 0)
        return BC_STATUS_NOT_SUPPORTED;
    return bc_is_rsa(k->kind)    ? bc_rsa_export(k, t, out, cb, res)
           : k->kind == BC_DH  ? bc_dh_export(k, t, out, cb, res)
           : k->kind == BC_DSA ? bc_dsa_export(k, t, out, cb, res)
                               : bc_ecc_export(k, t, out, cb, res);
}

NTSTATUS bc_pkey_crypt(void *h, bool enc, const uint8_t *in, uint32_t inlen, const void *padinfo,
                       uint8_t *out, uint32_t outlen, uint32_t *res, uint32_t flags)
{
    bc_pkey *k = h;
    if (!k->final)
        return BC_STATUS_INVALID_HANDLE;
    if (k->kind != BC_RSA)
        return BC_STATUS_NOT_SUPPORTED; /* RSA_SIGN and the curves do not encrypt */
    return bc_rsa_crypt(k, enc, in, inlen, padinfo, out, outlen, res, flags);
}

NTSTATUS bc_pkey_duplicate(void *h, void **out)
{
    bc_pkey *k = h, *n = bc_pkey_new(k->kind, k->bits);
    if (!n)
        return BC_STATUS_NO_MEMORY;
    n->generic = k->generic;
    n->final = k->final;
    n->priv = k->priv;
    if (k->kind == BC_DH) {
        bc_dh_free(n); /* bc_pkey_new's, replaced by the copy */
        bc_dh_copy(n, k);
    } else if (k->kind == BC_DSA) {
        bc_dsa_copy(n, k);
    } else if (k->final) {
        if (bc_is_rsa(k->kind))
            bc_rsa_copy(n, k);
        else
            bc_ecc_copy(n, k);
    }
    *out = n;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_pkey_destroy(void *h)
{
    bc_pkey_free(h);
    return BC_STATUS_SUCCESS;
}

NTSTATUS WINAPI bc_BCryptSignHash(void *key, const void *padinfo, const uint8_t *in,
                                  uint32_t cbin, uint8_t *out, uint32_t cbout,
                                  uint32_t *res, uint32_t flags)
{
    bc_pkey *k = bc_get_pkey(key);
    if (!k || !k->final)
        return BC_STATUS_INVALID_HANDLE;
    if (!res || (cbin && !in))
        return BC_STATUS_INVALID_PARAMETER;
    if (bc_is_ecdh(k->kind) || k->kind == BC_DH)
        return BC_STATUS_NOT_SUPPORTED;
    if (k->kind == BC_DSA)
        return bc_dsa_sign(k, in, cbin, out, cbout, res, flags);
    return bc_is_rsa(k->kind) ? bc_rsa_sign(k, padinfo, in, cbin, out, cbout, res, flags)
                              : bc_ecc_sign(k, padinfo, in, cbin, out, cbout, res, flags);
}
THK_EXPORT_AS(bcrypt, BCryptSignHash, bc_BCryptSignHash, 8);

NTSTATUS WINAPI bc_BCryptVerifySignature(void *key, const void *padinfo,
                                         const uint8_t *hash, uint32_t cbhash,
                                         const uint8_t *sig, uint32_t cbsig,
                                         uint32_t flags)
{
    bc_pkey *k = bc_get_pkey(key);
    if (!k || !k->final)
        return BC_STATUS_INVALID_HANDLE;
    if ((cbhash && !hash) || !sig || !cbsig)
        return BC_STATUS_INVALID_PARAMETER;
    if (bc_is_ecdh(k->kind) || k->kind == BC_DH)
        return BC_STATUS_NOT_SUPPORTED;
    if (k->kind == BC_DSA)
        return bc_dsa_verify(k, hash, cbhash, sig, cbsig, flags);
    return bc_is_rsa(k->kind) ? bc_rsa_verify(k, padinfo, hash, cbhash, sig, cbsig, flags)
                              : bc_ecc_verify(k, padinfo, hash, cbhash, sig, cbsig, flags);
}
THK_EXPORT_AS(bcrypt, BCryptVerifySignature, bc_BCryptVerifySignature, 7);
