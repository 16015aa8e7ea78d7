/* SPDX-License-Identifier: MIT */
/* crypt32's enveloped messages (PKCS #7 EnvelopedData, RFC 2315 10; CMS, RFC 5652 6) for msg.c:
 * written as Windows writes them (version 0, one KeyTransRecipientInfo a recipient: version 0,
 * issuer and serial number, rsaEncryption with NULL parameters, the content-encryption key
 * encrypted with the recipient's RSA key, PKCS #1 v1.5, big-endian; or id-RSAES-OAEP (the
 * recipient's key algorithm or the KeyEncryptionAlgorithm asked for) with its parameters,
 * RSAES-OAEP through bcrypt with SHA-1/256/384/512; the content encrypted in
 * CBC mode with PKCS #7 padding under a new random key and IV, the IV as the algorithm's
 * OCTET STRING parameter; for CMS recipients also key transport by subject key identifier,
 * version 2, and KEK recipients, version 4, the key wrapped with Nettle's nist_keywrap16; the
 * EnvelopedData version 2 then, or with an originatorInfo or unprotected attributes) and read
 * as CMS writes them (openssl cms -encrypt: also recipients named by subject key identifier,
 * an originatorInfo, unprotected attributes, a constructed encryptedContent; KEK recipients,
 * whose key is unwrapped with AES key wrap, RFC 3394/3565, Nettle's nist_keyunwrap16;
 * key-agreement recipients, RFC 5753: ECDH of the recipient's NCrypt key with the originator's
 * ephemeral P-256/384/521 key through ncrypt, ANSI X9.63's KDF with SHA-1/256/384/512 over
 * ECC-CMS-SharedInfo, then the key unwrapped). Content-encryption algorithms:
 * AES-128/192/256-CBC (2.16.840.1.101.3.4.1.2, .22, .42) and DES-EDE3-CBC
 * (1.2.840.113549.3.7), Nettle's; RSA encryption is Nettle's, RSA decryption the recipient's
 * NCrypt key's (NCryptDecrypt: BCRYPT_PAD_PKCS1 for rsaEncryption, BCRYPT_PAD_OAEP for
 * id-RSAES-OAEP with SHA-1/256/384/512, MGF1 over the same digest, any pSpecified label). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/cbc.h>
#include <nettle/des.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/advapi32/nettle_lazy.h"
#include "thunks/bcrypt/bcrypt.h"
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"
#include "thunks/ncrypt/ncrypt.h"

#define E_CRYPT_E_UNKNOWN_ALGO 0x80091002u
#define E_CRYPT_E_INVALID_INDEX 0x80091008u
#define E_NTE_BAD_DATA 0x80090005u
#define E_NTE_BAD_KEY 0x80090003u
#define E_NTE_BAD_PUBLIC_KEY 0x80090015u
#define E_OID_RSA "1.2.840.113549.1.1.1"
#define E_OID_OAEP "1.2.840.113549.1.1.7"

/* BCRYPT_OAEP_PADDING_INFO (x64) */
typedef struct {
    const WCHAR *alg;      /* 0x00 pszAlgId */
    const uint8_t *label;  /* 0x08 pbLabel */
    uint32_t label_len;    /* 0x10 cbLabel */
} bc_oaep_padding;
_Static_assert(sizeof(bc_oaep_padding) == 0x18, "BCRYPT_OAEP_PADDING_INFO");

/* The content-encryption algorithms, in e_cipher's order */
static const struct {
    const char *oid;
} e_algs[] = {
    {"2.16.840.1.101.3.4.1.2"}, {"2.16.840.1.101.3.4.1.22"}, {"2.16.840.1.101.3.4.1.42"},
    {"1.2.840.113549.3.7"},
};

/* Nettle has no nettle_cipher of DES-EDE3 (des.h only) */
static void e_des3_key(void *ctx, const uint8_t *key) { des3_set_key(ctx, key); }
static void e_des3_enc(const void *ctx, size_t n, uint8_t *dst, const uint8_t *src)
{
    des3_encrypt(ctx, n, dst, src);
}
static void e_des3_dec(const void *ctx, size_t n, uint8_t *dst, const uint8_t *src)
{
    des3_decrypt(ctx, n, dst, src);
}
static const struct nettle_cipher e_des3 = {
    "des3", sizeof(struct des3_ctx), DES3_BLOCK_SIZE, DES3_KEY_SIZE,
    e_des3_key, e_des3_key, e_des3_enc, e_des3_dec,
};

static const struct nettle_cipher *e_cipher(size_t i)
{
    switch (i) {
    case 0: return &nettle_aes128;
    case 1: return &nettle_aes192;
    case 2: return &nettle_aes256;
    default: return &e_des3;
    }
}

/* The algorithm index of a dotted OID, -1 when unknown */
static int e_alg_of_oid(const char *oid)
{
    for (size_t i = 0; oid && i < sizeof e_algs / sizeof e_algs[0]; i++)
        if (!strcmp(oid, e_algs[i].oid))
            return (int)i;
    return -1;
}

/* The DER contents of a dotted OID (for comparing with a message's), into buf; its length */
static size_t e_oid_der(const char *oid, uint8_t *buf, size_t cap)
{
    c32_der d = {0};
    c32_enc_oid(&d, oid);
    size_t n = 0;
    if (!d.err && d.n >= 2 && d.n - 2 <= cap) {
        n = d.n - 2;
        memcpy(buf, d.p + 2, n);
    }
    free(d.p);
    return n;
}

static int e_alg_of_tlv(const c32_tlv *oid)
{
    for (size_t i = 0; i < sizeof e_algs / sizeof e_algs[0]; i++) {
        uint8_t der[16];
        size_t n = e_oid_der(e_algs[i].oid, der, sizeof der);
        if (n && n == oid->len && !memcmp(der, oid->p, n))
            return (int)i;
    }
    return -1;
}

static void e_random(void *ctx, size_t n, uint8_t *dst)
{
    (void)ctx;
    thk_random_fill(dst, n);
}

/* The key encrypted for one recipient (RSAPublicKey bits): its OCTET STRING's bytes in *out */
static uint32_t e_rsa_encrypt(const c32_env_recipient *r, const uint8_t *key, size_t klen,
                              c32_der *out)
{
    const uint8_t *p = r->keybits, *end = r->keybits + r->keybits_len;
    c32_tlv seq, n, e;
    if (c32_der_expect(&p, end, 0x30, &seq))
        return E_NTE_BAD_KEY;
    p = seq.p, end = seq.p + seq.len;
    if (c32_der_expect(&p, end, 0x02, &n) || c32_der_expect(&p, end, 0x02, &e))
        return E_NTE_BAD_KEY;
    struct rsa_public_key pub;
    rsa_public_key_init(&pub);
    mpz_import(pub.n, n.len, 1, 1, 0, 0, n.p);
    mpz_import(pub.e, e.len, 1, 1, 0, 0, e.p);
    uint32_t err = E_NTE_BAD_KEY;
    if (rsa_public_key_prepare(&pub)) {
        mpz_t c;
        mpz_init(c);
        if (rsa_encrypt(&pub, NULL, e_random, klen, key, c)) {
            uint8_t *buf = calloc(1, pub.size);
            size_t got = 0, sz = (mpz_sizeinbase(c, 2) + 7) / 8;
            if (buf && sz <= pub.size) {
                mpz_export(buf + pub.size - sz, &got, 1, 1, 0, 0, c);
                c32_der_tlv(out, 0x04, buf, pub.size);
                err = out->err;
                free(buf);
            } else {
                err = C32_ERROR_NOT_ENOUGH_MEMORY;
            }
        }
        mpz_clear(c);
    }
    rsa_public_key_clear(&pub);
    return err;
}

/* The key-wrap algorithms of KEK recipients (RFC 3565): id-aes128/192/256-wrap */
static const char *const e_wraps[] = {
    "2.16.840.1.101.3.4.1.5", "2.16.840.1.101.3.4.1.25", "2.16.840.1.101.3.4.1.45",
};
static const uint8_t e_wrap_iv[8] = {0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6};

/* The key-agreement schemes (dhSinglePass-stdDH-*kdf-scheme) and the hash of their KDF (no
 * pointers in the table: nothing for the loader to relocate at start-up) */
static const struct {
    char oid[24];
    cd_algo hash;
} e_agrees[] = {
    {"1.3.133.16.840.63.0.2", CD_SHA1}, {"1.3.132.1.11.1", CD_SHA256},
    {"1.3.132.1.11.2", CD_SHA384}, {"1.3.132.1.11.3", CD_SHA512},
};

/* A FILETIME as GeneralizedTime (YYYYMMDDHHMMSSZ) */
static void e_enc_gentime(c32_der *d, uint64_t ft)
{
    uint64_t secs = ft / 10000000u;
    int64_t days = (int64_t)(secs / 86400u) - 134774; /* 1601-01-01 to 1970-01-01 */
    uint32_t sod = (uint32_t)(secs % 86400u);
    /* days since 1970-01-01 to the civil date (H. Hinnant's algorithm) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1, mon = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (mon <= 2);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%04d%02d%02d%02u%02u%02uZ", (int)year, (int)mon, (int)day,
                     sod / 3600, sod / 60 % 60, sod % 60);
    c32_der_tlv(d, 0x18, buf, (size_t)n);
}

/* A KEKRecipientInfo ([2]): version 4, the KEKIdentifier, the key wrap, the content-encryption
 * key wrapped with the KEK (AES key wrap, RFC 3394) */
static uint32_t e_kek_info(c32_der *set, const c32_env_recipient *r, const uint8_t *key,
                           size_t klen)
{
    int w = -1;
    for (size_t k = 0; r->keybits_oid && k < sizeof e_wraps / sizeof e_wraps[0]; k++)
        if (!strcmp(r->keybits_oid, e_wraps[k]))
            w = (int)k;
    if (w < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    const struct nettle_cipher *c = e_cipher((size_t)w);
    if (r->kek_len != c->key_size)
        return E_NTE_BAD_KEY;
    uint8_t wrapped[40];
    void *ctx = malloc(c->context_size);
    if (!ctx)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    c->set_encrypt_key(ctx, r->kek);
    nist_keywrap16(ctx, c->encrypt, e_wrap_iv, klen + 8, wrapped, key);
    free(ctx);
    c32_der ri = {0}, kekid = {0}, kalg = {0};
    c32_der_byte(&ri, 0x02), c32_der_byte(&ri, 0x01), c32_der_byte(&ri, 0x04);
    c32_der_tlv(&kekid, 0x04, r->kid, r->kid_len);
    if (r->date)
        e_enc_gentime(&kekid, r->date);
    if (r->other)
        c32_der_put(&kekid, r->other, r->other_len);
    c32_der_wrap(&ri, 0x30, &kekid);
    c32_enc_oid(&kalg, e_wraps[w]);
    c32_der_wrap(&ri, 0x30, &kalg);
    c32_der_tlv(&ri, 0x04, wrapped, klen + 8);
    c32_der_wrap(set, 0xa2, &ri);
    memset(wrapped, 0, sizeof wrapped);
    return set->err;
}

static uint32_t e_oaep_params(const c32_tlv *kalg, bc_oaep_padding *pad);

/* The key encrypted for one recipient with RSAES-OAEP (RFC 8017 7.1; kalg: the
 * AlgorithmIdentifier's contents, whose parameters give the digest and label): bcrypt's RSA
 * (BCRYPT_PAD_OAEP) with the recipient's key imported as a BCRYPT_RSAPUBLIC_BLOB; its OCTET
 * STRING's bytes in *out */
static uint32_t e_rsa_oaep_encrypt(const c32_env_recipient *r, const c32_tlv *kalg,
                                   const uint8_t *key, size_t klen, c32_der *out)
{
    bc_oaep_padding pad;
    uint32_t err = e_oaep_params(kalg, &pad);
    if (err)
        return err;
    const uint8_t *p = r->keybits, *end = r->keybits + r->keybits_len;
    c32_tlv seq, n, e;
    if (c32_der_expect(&p, end, 0x30, &seq))
        return E_NTE_BAD_KEY;
    p = seq.p, end = seq.p + seq.len;
    if (c32_der_expect(&p, end, 0x02, &n) || c32_der_expect(&p, end, 0x02, &e))
        return E_NTE_BAD_KEY;
    while (n.len > 1 && !n.p[0])
        n.p++, n.len--;
    while (e.len > 1 && !e.p[0])
        e.p++, e.len--;
    if (!n.len || !e.len || n.len > 2048 || e.len > 2048)
        return E_NTE_BAD_KEY;
    /* BCRYPT_RSAKEY_BLOB: "RSA1", bits, cbPublicExp, cbModulus, cbPrime1, cbPrime2; e, n */
    uint32_t bits = (uint32_t)(n.len - 1) * 8;
    for (unsigned top = n.p[0]; top; top >>= 1)
        bits++;
    uint32_t head[6] = {0x31415352u, bits, (uint32_t)e.len, (uint32_t)n.len, 0, 0};
    size_t blob_len = sizeof head + e.len + n.len;
    uint8_t *blob = malloc(blob_len), *buf = NULL;
    if (!blob)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(blob, head, sizeof head);
    memcpy(blob + sizeof head, e.p, e.len);
    memcpy(blob + sizeof head + e.len, n.p, n.len);
    void *bkey = NULL;
    uint32_t got = 0;
    err = E_NTE_BAD_KEY;
    if (!bc_BCryptImportKeyPair((void *)(uintptr_t)0xe1 /* BCRYPT_RSA_ALG_HANDLE */, NULL,
                                u"RSAPUBLICBLOB", &bkey, blob, (uint32_t)blob_len, 0) &&
        !bc_BCryptEncrypt(bkey, (uint8_t *)key, (uint32_t)klen, &pad, NULL, 0, NULL, 0, &got,
                          4u /* BCRYPT_PAD_OAEP */) &&
        (buf = malloc(got ? got : 1)) &&
        !bc_BCryptEncrypt(bkey, (uint8_t *)key, (uint32_t)klen, &pad, NULL, 0, buf, got, &got,
                          4u)) {
        c32_der_tlv(out, 0x04, buf, got);
        err = out->err;
    }
    if (bkey)
        bc_BCryptDestroyKey(bkey);
    free(buf);
    free(blob);
    return err;
}

/* A KeyTransRecipientInfo: version 0 with the issuer and serial number, 2 with the subject
 * key identifier; rsaEncryption with NULL parameters, the key encrypted with RSA (PKCS #1
 * v1.5), or id-RSAES-OAEP with the parameters given (none: an empty SEQUENCE, RFC 4055's
 * defaults, SHA-1 and MGF1 with SHA-1), the key encrypted with RSAES-OAEP */
static uint32_t e_key_trans_info(c32_der *set, const c32_env_recipient *r, const uint8_t *key,
                                 size_t klen)
{
    bool oaep = r->keybits_oid && !strcmp(r->keybits_oid, E_OID_OAEP);
    if (!oaep && (!r->keybits_oid || strcmp(r->keybits_oid, E_OID_RSA)))
        return E_CRYPT_E_UNKNOWN_ALGO;
    c32_der ri = {0}, ias = {0}, kalg = {0};
    c32_der_byte(&ri, 0x02), c32_der_byte(&ri, 0x01), c32_der_byte(&ri, r->issuer ? 0x00 : 0x02);
    if (r->issuer) {
        c32_der_put(&ias, r->issuer, r->issuer_len);
        c32_enc_int_le(&ias, r->serial_le, r->serial_len);
        c32_der_wrap(&ri, 0x30, &ias);
    } else {
        c32_der_tlv(&ri, 0x80, r->kid, r->kid_len);
    }
    c32_enc_oid(&kalg, oaep ? E_OID_OAEP : E_OID_RSA);
    if (oaep && r->kparams_len)
        c32_der_put(&kalg, r->kparams, r->kparams_len);
    else if (oaep)
        c32_der_byte(&kalg, 0x30), c32_der_byte(&kalg, 0x00);
    else
        c32_der_byte(&kalg, 0x05), c32_der_byte(&kalg, 0x00);
    c32_der ekey = {0};
    uint32_t err = kalg.err;
    if (!err && oaep) {
        c32_tlv t = {0x30, kalg.p, kalg.n, NULL, 0};
        err = e_rsa_oaep_encrypt(r, &t, key, klen, &ekey);
    } else if (!err) {
        err = e_rsa_encrypt(r, key, klen, &ekey);
    }
    c32_der_wrap(&ri, 0x30, &kalg);
    c32_der_put(&ri, ekey.p, ekey.n);
    if (!err)
        c32_der_wrap(set, 0x30, &ri), err = set->err;
    free(ekey.p);
    free(ri.p);
    return err;
}

static uint32_t e_ecdh(uintptr_t key, const uint8_t *pub, size_t n, uint8_t *z, size_t *zlen);
static void e_x963(cd_algo h, const uint8_t *z, size_t zlen, const uint8_t *info, size_t ilen,
                   uint8_t *out, size_t n);
static int e_agree_scheme(const char *oid);
static void e_shared_info(c32_der *seq, const uint8_t *walg, size_t walg_len, const uint8_t *ukm,
                          size_t ukm_len, bool has_ukm, size_t kek_len);

/* The originator's ephemeral ECDH key on the curve of a recipient's point (65, 97 or 133
 * bytes: P-256, P-384, P-521) and its public point; 0 or an error */
/* The public point of an NCrypt ECDH key, which must be on the curve of points of pub_len
 * bytes (NTE_BAD_DATA else) */
static uint32_t e_public_point(uintptr_t key, size_t pub_len, uint8_t *point, size_t *point_len)
{
    uint8_t blob[8 + 2 * 66];
    uint32_t got = 0;
    int32_t ss = nc_NCryptExportKey(key, 0, u"ECCPUBLICBLOB", NULL, blob, sizeof blob, &got, 0);
    if (!ss && got != 8 + (pub_len - 1))
        ss = (int32_t)E_NTE_BAD_DATA;
    if (!ss) {
        point[0] = 0x04;
        memcpy(point + 1, blob + 8, pub_len - 1);
        *point_len = pub_len;
    }
    return (uint32_t)ss;
}

static uint32_t e_ephemeral(size_t pub_len, uintptr_t *key, uint8_t *point, size_t *point_len)
{
    const WCHAR *alg = pub_len == 65 ? u"ECDH_P256" : pub_len == 97 ? u"ECDH_P384"
                       : pub_len == 133 ? u"ECDH_P521" : NULL;
    if (!alg)
        return E_NTE_BAD_PUBLIC_KEY;
    uintptr_t prov = 0;
    *key = 0;
    int32_t ss = nc_NCryptOpenStorageProvider(&prov, NULL, 0);
    if (!ss)
        ss = nc_NCryptCreatePersistedKey(prov, key, alg, NULL, 0, 0);
    if (!ss)
        ss = nc_NCryptFinalizeKey(*key, 0);
    if (!ss)
        ss = (int32_t)e_public_point(*key, pub_len, point, point_len);
    if (ss && *key) {
        nc_NCryptFreeObject(*key);
        *key = 0;
    }
    if (prov)
        nc_NCryptFreeObject(prov);
    return (uint32_t)ss;
}

/* A KeyAgreeRecipientInfo ([1], RFC 5753): version 3, the originator's ephemeral public key,
 * the ukm, the scheme with the key wrap as its parameters, and for each recipient the
 * content-encryption key wrapped under the KEK of ECDH(ephemeral, recipient) and X9.63's KDF */
static uint32_t e_key_agree_info(c32_der *set, const c32_env_recipient *r, const uint8_t *key,
                                 size_t klen)
{
    int scheme = e_agree_scheme(r->keybits_oid), w = -1;
    for (size_t k = 0; r->wrap_oid && k < sizeof e_wraps / sizeof e_wraps[0]; k++)
        if (!strcmp(r->wrap_oid, e_wraps[k]))
            w = (int)k;
    if (scheme < 0 || w < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    if (!r->n_reks)
        return E_NTE_BAD_PUBLIC_KEY;
    const struct nettle_cipher *c = e_cipher((size_t)w);
    uintptr_t eph = 0;
    uint8_t point[1 + 2 * 66], z[66], kek[32], wrapped[40];
    size_t point_len = 0, zlen = 0;
    if (r->reks[0].pub_len != 65 && r->reks[0].pub_len != 97 && r->reks[0].pub_len != 133)
        return E_NTE_BAD_PUBLIC_KEY;
    uint32_t err = r->static_key
                       ? e_public_point(r->static_key, r->reks[0].pub_len, point, &point_len)
                       : e_ephemeral(r->reks[0].pub_len, &eph, point, &point_len);
    if (err)
        return err;
    uintptr_t agree = r->static_key ? r->static_key : eph;
    void *ctx = malloc(c->context_size);
    c32_der ri = {0}, orig = {0}, okey = {0}, alg = {0}, walg = {0}, kalg = {0}, reks = {0},
            info = {0}, t = {0};
    if (!ctx) {
        err = C32_ERROR_NOT_ENOUGH_MEMORY;
        goto free_all;
    }
    c32_enc_oid(&walg, e_wraps[w]);
    c32_der_wrap(&t, 0x30, &walg); /* the wrap's AlgorithmIdentifier, parameters absent */
    e_shared_info(&info, t.p, t.n, r->kid, r->kid_len, r->kid != NULL, c->key_size);
    if ((err = info.err ? info.err : t.err))
        goto free_all;
    for (size_t k = 0; k < r->n_reks; k++) {
        const struct c32_env_rek_enc *q = &r->reks[k];
        c32_der rek = {0}, rid = {0};
        if (q->pub_len != point_len) {
            err = E_NTE_BAD_PUBLIC_KEY; /* all on the ephemeral key's curve */
            goto free_all;
        }
        if ((err = e_ecdh(agree, q->pub, q->pub_len, z, &zlen)))
            goto free_all;
        e_x963(e_agrees[scheme].hash, z, zlen, info.p, info.n, kek, c->key_size);
        c->set_encrypt_key(ctx, kek);
        nist_keywrap16(ctx, c->encrypt, e_wrap_iv, klen + 8, wrapped, key);
        if (q->issuer) {
            c32_der_put(&rid, q->issuer, q->issuer_len);
            c32_enc_int_le(&rid, q->serial_le, q->serial_len);
            c32_der_wrap(&rek, 0x30, &rid);
        } else {
            c32_der_tlv(&rid, 0x04, q->ski, q->ski_len);
            if (q->date)
                e_enc_gentime(&rid, q->date);
            if (q->other)
                c32_der_put(&rid, q->other, q->other_len);
            c32_der_wrap(&rek, 0xa0, &rid);
        }
        c32_der_tlv(&rek, 0x04, wrapped, klen + 8);
        c32_der_wrap(&reks, 0x30, &rek);
    }
    c32_der_byte(&ri, 0x02), c32_der_byte(&ri, 0x01), c32_der_byte(&ri, 0x03);
    if (r->static_key && r->orig_serial_le) { /* the sender's IssuerAndSerialNumber */
        c32_der_put(&okey, r->orig_id, r->orig_id_len);
        c32_enc_int_le(&okey, r->orig_serial_le, r->orig_serial_len);
        c32_der_wrap(&orig, 0x30, &okey);
    } else if (r->static_key) { /* its subjectKeyIdentifier [0] */
        c32_der_tlv(&orig, 0x80, r->orig_id, r->orig_id_len);
    } else { /* originatorKey [1]: the ephemeral key */
        c32_enc_oid(&alg, "1.2.840.10045.2.1"); /* id-ecPublicKey, parameters absent (RFC 5753) */
        c32_der_wrap(&okey, 0x30, &alg);
        c32_der_head(&okey, 0x03, point_len + 1);
        c32_der_byte(&okey, 0x00);
        c32_der_put(&okey, point, point_len);
        c32_der_wrap(&orig, 0xa1, &okey);
    }
    c32_der_wrap(&ri, 0xa0, &orig);
    if (r->kid) {
        c32_der u = {0};
        c32_der_tlv(&u, 0x04, r->kid, r->kid_len);
        c32_der_wrap(&ri, 0xa1, &u);
    }
    c32_enc_oid(&kalg, r->keybits_oid);
    c32_der_put(&kalg, t.p, t.n);
    c32_der_wrap(&ri, 0x30, &kalg);
    c32_der_wrap(&ri, 0x30, &reks);
    c32_der_wrap(set, 0xa1, &ri);
    err = set->err;
free_all:
    memset(z, 0, sizeof z);
    memset(kek, 0, sizeof kek);
    memset(wrapped, 0, sizeof wrapped);
    if (eph)
        nc_NCryptFreeObject(eph);
    free(ctx);
    free(ri.p), free(orig.p), free(okey.p), free(alg.p), free(walg.p), free(kalg.p);
    free(reks.p), free(info.p), free(t.p);
    return err;
}

uint32_t c32_env_encode(c32_der *d, const char *alg_oid, const char *inner_oid,
                        const c32_env_recipient *r, size_t nr, const c32_env_extra *x,
                        const uint8_t *content, size_t len)
{
    int alg = e_alg_of_oid(alg_oid);
    if (alg < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    if (!ntl_ready())
        return NTL_NTE_PROV_DLL_NOT_FOUND;
    const struct nettle_cipher *c = e_cipher((size_t)alg);
    uint8_t key[32], iv[16];
    thk_random_fill(key, c->key_size);
    thk_random_fill(iv, c->block_size);
    size_t pad = c->block_size - len % c->block_size, total = len + pad;
    uint8_t *plain = malloc(total), *enc = malloc(total);
    void *ctx = malloc(c->context_size);
    c32_der recips = {0}, eci = {0}, algid = {0}, top = {0}, set = {0}, oi = {0};
    uint32_t err = C32_ERROR_NOT_ENOUGH_MEMORY;
    if (!plain || !enc || !ctx)
        goto free_all;
    memcpy(plain, content, len);
    memset(plain + len, (int)pad, pad);
    c->set_encrypt_key(ctx, key);
    uint8_t civ[16];
    memcpy(civ, iv, c->block_size);
    cbc_encrypt(ctx, c->encrypt, c->block_size, civ, total, enc, plain);

    /* recipientInfos, in the order given; version 0 unless a recipient's version is not 0
     * (a key identifier, a KEK) or there is an originatorInfo or unprotectedAttrs (RFC 5652
     * 6.1: then 2) */
    bool v2 = x && (x->certs_len || x->crls_len || x->unprot_len);
    for (size_t i = 0; i < nr; i++) {
        if (r[i].kind == C32_ENV_MAIL_LIST)
            err = e_kek_info(&set, &r[i], key, c->key_size);
        else if (r[i].kind == C32_ENV_KEY_AGREE)
            err = e_key_agree_info(&set, &r[i], key, c->key_size);
        else
            err = e_key_trans_info(&set, &r[i], key, c->key_size);
        if (err)
            goto free_all;
        v2 = v2 || r[i].kind != C32_ENV_KEY_TRANS || !r[i].issuer;
    }
    c32_der_byte(&recips, 0x02), c32_der_byte(&recips, 0x01), c32_der_byte(&recips, v2 ? 2 : 0);
    if (x && (x->certs_len || x->crls_len)) { /* originatorInfo [0] */
        if (x->certs_len)
            c32_der_tlv(&oi, 0xa0, x->certs, x->certs_len);
        if (x->crls_len)
            c32_der_tlv(&oi, 0xa1, x->crls, x->crls_len);
        c32_der_wrap(&recips, 0xa0, &oi);
    }
    c32_der_wrap(&recips, 0x31, &set);
    /* encryptedContentInfo */
    c32_enc_oid(&eci, inner_oid);
    c32_enc_oid(&algid, e_algs[alg].oid);
    c32_der_tlv(&algid, 0x04, iv, c->block_size);
    c32_der_wrap(&eci, 0x30, &algid);
    c32_der_tlv(&eci, 0x80, enc, total);
    c32_der_wrap(&recips, 0x30, &eci);
    if (x && x->unprot_len)
        c32_der_tlv(&recips, 0xa1, x->unprot, x->unprot_len);
    c32_der_wrap(&top, 0x30, &recips);
    err = top.err;
    if (!err)
        c32_der_put(d, top.p, top.n), err = d->err;
free_all:
    memset(key, 0, sizeof key);
    if (plain)
        memset(plain, 0, total);
    free(plain);
    free(enc);
    free(ctx);
    free(recips.p);
    free(eci.p);
    free(algid.p);
    free(top.p);
    free(set.p);
    free(oi.p);
    return err;
}

uint32_t c32_env_read(const c32_tlv *bare, c32_env *e)
{
    memset(e, 0, sizeof *e);
    const uint8_t *p = bare->p, *end = bare->p + bare->len;
    c32_tlv v, set, eci, t;
    uint32_t err;
    if (bare->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    if ((err = c32_der_expect(&p, end, 0x02, &v)))
        return err;
    e->version = v.len == 1 ? v.p[0] : 0;
    if (p < end && *p == 0xa0 && (err = c32_der_read(&p, end, &e->originator)))
        return err;
    if ((err = c32_der_expect(&p, end, 0x31, &set)) ||
        (err = c32_der_expect(&p, end, 0x30, &eci)))
        return err;
    for (const uint8_t *q = set.p; q < set.p + set.len;) {
        if ((err = c32_der_read(&q, set.p + set.len, &t)))
            return err;
        c32_tlv *a = realloc(e->recipients, (e->n_recipients + 1) * sizeof *a);
        if (!a)
            return C32_ERROR_NOT_ENOUGH_MEMORY;
        a[e->n_recipients++] = t;
        e->recipients = a;
    }
    p = eci.p, end = eci.p + eci.len;
    if ((err = c32_der_expect(&p, end, 0x06, &e->inner_type)) ||
        (err = c32_der_expect(&p, end, 0x30, &e->alg)))
        return err;
    if (p < end && (err = c32_der_read(&p, end, &e->encrypted)))
        return err;
    if (e->encrypted.tag && e->encrypted.tag != 0x80 && e->encrypted.tag != 0xa0)
        return C32_CRYPT_E_ASN1_BADTAG;
    p = eci.p + eci.len, end = bare->p + bare->len;
    if (p < end && (err = c32_der_expect(&p, end, 0xa1, &e->unprot)))
        return err;
    return 0;
}

void c32_env_free(c32_env *e)
{
    free(e->recipients);
    if (e->plain)
        memset(e->plain, 0, e->plain_len);
    free(e->plain);
    memset(e, 0, sizeof *e);
}

/* A RecipientEncryptedKey (SEQUENCE t): rid, encryptedKey */
static uint32_t e_rek_parts(const c32_tlv *t, c32_env_rek *k)
{
    memset(k, 0, sizeof *k);
    const uint8_t *p = t->p, *end = t->p + t->len;
    uint32_t err;
    if ((err = c32_der_read(&p, end, &k->rid)) || (err = c32_der_expect(&p, end, 0x04, &k->ekey)))
        return err;
    const uint8_t *q = k->rid.p, *qend = k->rid.p + k->rid.len;
    if (k->rid.tag == 0x30) { /* IssuerAndSerialNumber */
        if ((err = c32_der_expect(&q, qend, 0x30, &k->issuer)) ||
            (err = c32_der_expect(&q, qend, 0x02, &k->serial)))
            return err;
    } else if (k->rid.tag == 0xa0) { /* [0] RecipientKeyIdentifier */
        if ((err = c32_der_expect(&q, qend, 0x04, &k->ski)))
            return err;
        if (q < qend && *q == 0x18 && (err = c32_der_read(&q, qend, &k->date)))
            return err;
        if (q < qend && (err = c32_der_expect(&q, qend, 0x30, &k->other)))
            return err;
    } else {
        return C32_CRYPT_E_ASN1_BADTAG;
    }
    return 0;
}

uint32_t c32_env_agree_key(const c32_env_ri *r, size_t k, c32_env_rek *out)
{
    memset(out, 0, sizeof *out);
    if (r->kind != C32_ENV_KEY_AGREE || k >= r->n_reks)
        return E_CRYPT_E_INVALID_INDEX;
    const uint8_t *q = r->reks.p, *end = r->reks.p + r->reks.len;
    c32_tlv x;
    uint32_t err = 0;
    for (size_t n = 0; n <= k && !err; n++)
        err = c32_der_expect(&q, end, 0x30, &x);
    return err ? err : e_rek_parts(&x, out);
}

/* A KeyAgreeRecipientInfo's contents: version, originator [0], ukm [1] (optional),
 * keyEncryptionAlgorithm, recipientEncryptedKeys (each one's shape checked here) */
static uint32_t e_agree_parts(const uint8_t *p, const uint8_t *end, c32_env_ri *r)
{
    c32_tlv v, o, u, x;
    uint32_t err;
    r->kind = C32_ENV_KEY_AGREE;
    if ((err = c32_der_expect(&p, end, 0x02, &v)) || (err = c32_der_expect(&p, end, 0xa0, &o)))
        return err;
    r->version = v.len == 1 ? v.p[0] : 0;
    const uint8_t *q = o.p, *qend = o.p + o.len;
    if ((err = c32_der_read(&q, qend, &r->orig)))
        return err;
    if (q != qend)
        return C32_CRYPT_E_ASN1_CORRUPT;
    if (r->orig.tag != 0x30 && r->orig.tag != 0x80 && r->orig.tag != 0xa1)
        return C32_CRYPT_E_ASN1_BADTAG;
    if (p < end && *p == 0xa1) {
        if ((err = c32_der_read(&p, end, &u)))
            return err;
        q = u.p;
        if ((err = c32_der_expect(&q, u.p + u.len, 0x04, &r->ukm)))
            return err;
    }
    if ((err = c32_der_expect(&p, end, 0x30, &r->kalg)) ||
        (err = c32_der_expect(&p, end, 0x30, &r->reks)))
        return err;
    for (q = r->reks.p; q < r->reks.p + r->reks.len; r->n_reks++) {
        c32_env_rek k;
        if ((err = c32_der_expect(&q, r->reks.p + r->reks.len, 0x30, &x)) ||
            (err = e_rek_parts(&x, &k)))
            return err;
    }
    return 0;
}

uint32_t c32_env_recipient_parts(const c32_env *e, size_t i, c32_env_ri *r)
{
    memset(r, 0, sizeof *r);
    if (i >= e->n_recipients)
        return E_CRYPT_E_INVALID_INDEX;
    const c32_tlv *t = &e->recipients[i];
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv v, kid;
    uint32_t err;
    if (t->tag == 0x30) { /* KeyTransRecipientInfo */
        r->kind = C32_ENV_KEY_TRANS;
        if ((err = c32_der_expect(&p, end, 0x02, &v)) || (err = c32_der_read(&p, end, &r->rid)))
            return err;
        if (r->rid.tag != 0x30 && r->rid.tag != 0x80)
            return C32_CRYPT_E_ASN1_BADTAG;
    } else if (t->tag == 0xa2) { /* [2] KEKRecipientInfo */
        r->kind = C32_ENV_MAIL_LIST;
        if ((err = c32_der_expect(&p, end, 0x02, &v)) || (err = c32_der_expect(&p, end, 0x30, &kid)))
            return err;
        const uint8_t *q = kid.p, *qend = kid.p + kid.len;
        if ((err = c32_der_expect(&q, qend, 0x04, &r->kek_id)))
            return err;
        if (q < qend && *q == 0x18 && (err = c32_der_read(&q, qend, &r->kek_date)))
            return err;
        if (q < qend && (err = c32_der_expect(&q, qend, 0x30, &r->kek_other)))
            return err;
    } else if (t->tag == 0xa1) { /* [1] KeyAgreeRecipientInfo */
        return e_agree_parts(p, end, r);
    } else { /* Password- [3] and OtherRecipientInfo [4] */
        return 0;
    }
    r->version = v.len == 1 ? v.p[0] : 0;
    if ((err = c32_der_expect(&p, end, 0x30, &r->kalg)) ||
        (err = c32_der_expect(&p, end, 0x04, &r->ekey)))
        return err;
    return 0;
}

uint32_t c32_env_recipient_id(const c32_env *e, size_t i, c32_tlv *issuer, c32_tlv *serial)
{
    c32_env_ri r;
    uint32_t err = c32_env_recipient_parts(e, i, &r);
    if (err)
        return err;
    if (r.kind != C32_ENV_KEY_TRANS || r.rid.tag != 0x30)
        return E_CRYPT_E_UNKNOWN_ALGO; /* named by a key identifier, or not key transport */
    const uint8_t *p = r.rid.p, *end = r.rid.p + r.rid.len;
    if ((err = c32_der_expect(&p, end, 0x30, issuer)) ||
        (err = c32_der_expect(&p, end, 0x02, serial)))
        return err;
    return 0;
}

/* The encrypted content's bytes (a constructed one's pieces joined), malloc'd */
static uint8_t *e_encrypted(const c32_env *e, size_t *n)
{
    *n = 0;
    if (e->encrypted.tag == 0x80) {
        uint8_t *b = malloc(e->encrypted.len ? e->encrypted.len : 1);
        if (b)
            memcpy(b, e->encrypted.p, *n = e->encrypted.len);
        return b;
    }
    uint8_t *b = malloc(e->encrypted.len ? e->encrypted.len : 1);
    const uint8_t *p = e->encrypted.p, *end = p + e->encrypted.len;
    while (b && p < end) {
        c32_tlv t;
        if (c32_der_expect(&p, end, 0x04, &t)) {
            free(b);
            return NULL;
        }
        memcpy(b + *n, t.p, t.len);
        *n += t.len;
    }
    return b;
}

/* The content decrypted with the content-encryption key; e->plain on success */
static uint32_t e_open(c32_env *e, size_t i, const uint8_t *cek, size_t cek_len)
{
    c32_tlv oid, ivt;
    const uint8_t *p = e->alg.p, *end = e->alg.p + e->alg.len;
    uint32_t err;
    if ((err = c32_der_expect(&p, end, 0x06, &oid)))
        return err;
    int alg = e_alg_of_tlv(&oid);
    if (alg < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    const struct nettle_cipher *c = e_cipher((size_t)alg);
    if ((err = c32_der_expect(&p, end, 0x04, &ivt)) || ivt.len != c->block_size)
        return err ? err : E_NTE_BAD_DATA;
    if (cek_len != c->key_size)
        return E_NTE_BAD_DATA;
    size_t n;
    uint8_t *enc = e_encrypted(e, &n), *plain = malloc(n ? n : 1);
    void *ctx = malloc(c->context_size);
    err = C32_ERROR_NOT_ENOUGH_MEMORY;
    if (enc && plain && ctx) {
        err = E_NTE_BAD_DATA;
        if (n && n % c->block_size == 0) {
            uint8_t iv[16];
            memcpy(iv, ivt.p, c->block_size);
            c->set_decrypt_key(ctx, cek);
            cbc_decrypt(ctx, c->decrypt, c->block_size, iv, n, plain, enc);
            uint8_t pad = plain[n - 1];
            bool ok = pad >= 1 && pad <= c->block_size;
            for (size_t k = 0; ok && k < pad; k++)
                ok = plain[n - 1 - k] == pad;
            if (ok) {
                free(e->plain);
                e->plain = plain;
                e->plain_len = n - pad;
                e->decrypted = true;
                e->index = (uint32_t)i;
                plain = NULL;
                err = 0;
            }
        }
    }
    free(enc);
    free(plain);
    free(ctx);
    return err;
}

/* The digests RSAES-OAEP's parameters may name, as CNG names them (no pointers in the table) */
static const struct {
    char oid[24];
    WCHAR name[8];
} e_oaep_hashes[] = {
    {"1.3.14.3.2.26", u"SHA1"}, {"2.16.840.1.101.3.4.2.1", u"SHA256"},
    {"2.16.840.1.101.3.4.2.2", u"SHA384"}, {"2.16.840.1.101.3.4.2.3", u"SHA512"},
};

/* The CNG name of the digest an AlgorithmIdentifier's contents (from its OID on) name; NULL
 * when it is none of e_oaep_hashes */
static const WCHAR *e_oaep_hash(const c32_tlv *alg)
{
    const uint8_t *p = alg->p;
    c32_tlv oid;
    if (c32_der_expect(&p, alg->p + alg->len, 0x06, &oid))
        return NULL;
    for (size_t k = 0; k < sizeof e_oaep_hashes / sizeof e_oaep_hashes[0]; k++) {
        uint8_t der[16];
        size_t n = e_oid_der(e_oaep_hashes[k].oid, der, sizeof der);
        if (n && n == oid.len && !memcmp(der, oid.p, n))
            return e_oaep_hashes[k].name;
    }
    return NULL;
}

/* RSAES-OAEP-params (RFC 4055 4.1; kalg: the AlgorithmIdentifier's contents): the digest (SHA-1
 * by default), MGF1 with that same digest (CNG's OAEP has no other), the label of
 * pSpecified (empty by default); 0 or CRYPT_E_UNKNOWN_ALGO / an ASN.1 error */
static uint32_t e_oaep_params(const c32_tlv *kalg, bc_oaep_padding *pad)
{
    const uint8_t *p = kalg->p, *end = kalg->p + kalg->len;
    c32_tlv oid, params, t, alg, x;
    uint32_t err;
    pad->alg = u"SHA1";
    pad->label = NULL;
    pad->label_len = 0;
    if ((err = c32_der_expect(&p, end, 0x06, &oid)))
        return err;
    if (p >= end || *p == 0x05)
        return 0; /* no parameters (or NULL): the defaults */
    if ((err = c32_der_expect(&p, end, 0x30, &params)))
        return err;
    const WCHAR *mgf_hash = u"SHA1";
    p = params.p, end = params.p + params.len;
    while (p < end) {
        if ((err = c32_der_read(&p, end, &t)))
            return err;
        const uint8_t *q = t.p, *qend = t.p + t.len;
        if ((err = c32_der_expect(&q, qend, 0x30, &alg)))
            return err;
        if (t.tag == 0xa0) { /* hashAlgorithm */
            if (!(pad->alg = e_oaep_hash(&alg)))
                return E_CRYPT_E_UNKNOWN_ALGO;
        } else if (t.tag == 0xa1) { /* maskGenAlgorithm: id-mgf1 with its digest */
            static const uint8_t mgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};
            q = alg.p, qend = alg.p + alg.len;
            if ((err = c32_der_expect(&q, qend, 0x06, &oid)) ||
                (err = c32_der_expect(&q, qend, 0x30, &x)))
                return err;
            if (oid.len != sizeof mgf1 || memcmp(oid.p, mgf1, sizeof mgf1) ||
                !(mgf_hash = e_oaep_hash(&x)))
                return E_CRYPT_E_UNKNOWN_ALGO;
        } else if (t.tag == 0xa2) { /* pSourceAlgorithm: id-pSpecified with the label */
            static const uint8_t pspec[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x09};
            q = alg.p, qend = alg.p + alg.len;
            if ((err = c32_der_expect(&q, qend, 0x06, &oid)) ||
                (err = c32_der_expect(&q, qend, 0x04, &x)))
                return err;
            if (oid.len != sizeof pspec || memcmp(oid.p, pspec, sizeof pspec))
                return E_CRYPT_E_UNKNOWN_ALGO;
            pad->label = x.p;
            pad->label_len = (uint32_t)x.len;
        } else {
            return C32_CRYPT_E_ASN1_BADTAG;
        }
    }
    for (size_t k = 0; pad->alg[k] || mgf_hash[k]; k++)
        if (pad->alg[k] != mgf_hash[k])
            return E_CRYPT_E_UNKNOWN_ALGO; /* MGF1 over another digest */
    return 0;
}

uint32_t c32_env_decrypt(c32_env *e, size_t i, uintptr_t key)
{
    c32_env_ri r;
    uint32_t err = c32_env_recipient_parts(e, i, &r);
    if (err)
        return err;
    if (r.kind != C32_ENV_KEY_TRANS)
        return E_CRYPT_E_UNKNOWN_ALGO;
    /* rsaEncryption (PKCS #1 v1.5) or id-RSAES-OAEP */
    static const uint8_t rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
    static const uint8_t oaep[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x07};
    const uint8_t *p = r.kalg.p;
    c32_tlv oid;
    if ((err = c32_der_expect(&p, r.kalg.p + r.kalg.len, 0x06, &oid)))
        return err;
    bool is_oaep = oid.len == sizeof oaep && !memcmp(oid.p, oaep, sizeof oaep);
    if (!is_oaep && (oid.len != sizeof rsa || memcmp(oid.p, rsa, sizeof rsa)))
        return E_CRYPT_E_UNKNOWN_ALGO;
    bc_oaep_padding pad;
    if (is_oaep && (err = e_oaep_params(&r.kalg, &pad)))
        return err;
    if (!ntl_ready())
        return NTL_NTE_PROV_DLL_NOT_FOUND;
    uint8_t cek[512];
    uint32_t got = 0;
    int32_t ss = nc_NCryptDecrypt(key, (uint8_t *)r.ekey.p, (uint32_t)r.ekey.len,
                                  is_oaep ? &pad : NULL, cek, sizeof cek, &got,
                                  is_oaep ? 4u /* NCRYPT_PAD_OAEP_FLAG */
                                          : 2u /* NCRYPT_PAD_PKCS1_FLAG */);
    if (ss)
        return (uint32_t)ss;
    err = e_open(e, i, cek, got);
    memset(cek, 0, sizeof cek);
    return err;
}

/* The key-wrap algorithm an OBJECT IDENTIFIER's element names (e_wraps index), -1 if none */
static int e_wrap_of_tlv(const c32_tlv *oid)
{
    for (size_t k = 0; k < sizeof e_wraps / sizeof e_wraps[0]; k++) {
        uint8_t der[16];
        size_t n = e_oid_der(e_wraps[k], der, sizeof der);
        if (n && n == oid->len && !memcmp(der, oid->p, n))
            return (int)k;
    }
    return -1;
}

/* The content-encryption key unwrapped from `ekey` with the key-encryption key (AES key wrap of
 * the e_wraps index w), then the content decrypted with it for recipient i */
static uint32_t e_unwrap_open(c32_env *e, size_t i, int w, const uint8_t *kek, size_t kek_len,
                              const c32_tlv *ekey)
{
    const struct nettle_cipher *c = e_cipher((size_t)w); /* AES of the wrap's size */
    if (kek_len != c->key_size)
        return E_NTE_BAD_KEY;
    if (ekey->len < 24 || ekey->len % 8 || ekey->len - 8 > 64)
        return E_NTE_BAD_DATA;
    uint8_t cek[64];
    size_t cek_len = ekey->len - 8;
    void *ctx = malloc(c->context_size);
    if (!ctx)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    c->set_decrypt_key(ctx, kek);
    uint32_t err = nist_keyunwrap16(ctx, c->decrypt, e_wrap_iv, cek_len, cek, ekey->p)
                       ? e_open(e, i, cek, cek_len)
                       : E_NTE_BAD_DATA;
    memset(cek, 0, sizeof cek);
    free(ctx);
    return err;
}

uint32_t c32_env_decrypt_kek(c32_env *e, size_t i, const uint8_t *kek, size_t kek_len)
{
    c32_env_ri r;
    uint32_t err = c32_env_recipient_parts(e, i, &r);
    if (err)
        return err;
    if (r.kind != C32_ENV_MAIL_LIST)
        return E_CRYPT_E_UNKNOWN_ALGO;
    const uint8_t *p = r.kalg.p, *end = r.kalg.p + r.kalg.len;
    c32_tlv oid;
    if ((err = c32_der_expect(&p, end, 0x06, &oid)))
        return err;
    int w = e_wrap_of_tlv(&oid);
    if (w < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    if (!ntl_ready())
        return NTL_NTE_PROV_DLL_NOT_FOUND;
    return e_unwrap_open(e, i, w, kek, kek_len, &r.ekey);
}

/* ---- key agreement (RFC 5753: ECDH, the originator's key ephemeral) ---- */


/* The e_agrees index of a dotted OID, -1 when unknown */
static int e_agree_scheme(const char *oid)
{
    for (size_t a = 0; oid && a < sizeof e_agrees / sizeof e_agrees[0]; a++)
        if (!strcmp(oid, e_agrees[a].oid))
            return (int)a;
    return -1;
}

/* ECC-CMS-SharedInfo (RFC 5753 7.2): keyInfo (the wrap's AlgorithmIdentifier, its DER),
 * entityUInfo [0] (the ukm, when there is one), suppPubInfo [2] (the KEK's size in bits) */
static void e_shared_info(c32_der *seq, const uint8_t *walg, size_t walg_len, const uint8_t *ukm,
                          size_t ukm_len, bool has_ukm, size_t kek_len)
{
    c32_der info = {0}, t = {0}, s = {0};
    uint8_t bitsz[4] = {0, 0, (uint8_t)(kek_len * 8 >> 8), (uint8_t)(kek_len * 8)};
    c32_der_put(&info, walg, walg_len);
    if (has_ukm) {
        c32_der_tlv(&t, 0x04, ukm, ukm_len);
        c32_der_wrap(&info, 0xa0, &t);
    }
    c32_der_tlv(&s, 0x04, bitsz, 4);
    c32_der_wrap(&info, 0xa2, &s);
    c32_der_wrap(seq, 0x30, &info);
    free(t.p);
    free(s.p);
}

/* Z, the x coordinate of the shared point (big-endian, the field's size), of the recipient's
 * NCrypt key and the originator's uncompressed point, through ncrypt as a program would:
 * NCryptImportKey(BCRYPT_ECCPUBLIC_BLOB), NCryptSecretAgreement, NCryptDeriveKey
 * (BCRYPT_KDF_RAW_SECRET, little-endian) */
static uint32_t e_ecdh(uintptr_t key, const uint8_t *pub, size_t n, uint8_t *z, size_t *zlen)
{
    size_t half = n > 1 ? (n - 1) / 2 : 0;
    uint32_t magic = half == 32 ? 0x314b4345u : half == 48 ? 0x334b4345u /* "ECK1", "ECK3" */
                     : half == 66 ? 0x354b4345u : 0;                     /* "ECK5" */
    if (!magic || n != 1 + 2 * half || pub[0] != 0x04)
        return E_NTE_BAD_PUBLIC_KEY; /* not an uncompressed point of P-256/384/521 */
    uint8_t blob[8 + 2 * 66], le[66];
    uint32_t cb = (uint32_t)half, got = 0;
    memcpy(blob, &magic, 4);
    memcpy(blob + 4, &cb, 4);
    memcpy(blob + 8, pub + 1, 2 * half);
    uintptr_t prov = 0, pk = 0, secret = 0;
    int32_t ss = nc_NCryptOpenStorageProvider(&prov, NULL, 0);
    if (!ss)
        ss = nc_NCryptImportKey(prov, 0, u"ECCPUBLICBLOB", NULL, &pk, blob, 8 + 2 * cb, 0);
    if (!ss)
        ss = nc_NCryptSecretAgreement(key, pk, &secret, 0);
    if (!ss)
        ss = nc_NCryptDeriveKey(secret, u"TRUNCATE", NULL, le, sizeof le, &got, 0);
    if (!ss && got != half)
        ss = (int32_t)E_NTE_BAD_DATA;
    for (uint32_t k = 0; !ss && k < got; k++)
        z[k] = le[got - 1 - k];
    *zlen = ss ? 0 : got;
    memset(le, 0, sizeof le);
    if (secret)
        nc_NCryptFreeObject(secret);
    if (pk)
        nc_NCryptFreeObject(pk);
    if (prov)
        nc_NCryptFreeObject(prov);
    return (uint32_t)ss;
}

/* ANSI X9.63's KDF: out = Hash(Z || counter || SharedInfo) for counter 1, 2, ... (32 bits,
 * big-endian), cut to n bytes */
static void e_x963(cd_algo h, const uint8_t *z, size_t zlen, const uint8_t *info, size_t ilen,
                   uint8_t *out, size_t n)
{
    uint8_t block[CD_MAX_SIZE];
    size_t hl = cd_size(h);
    for (uint32_t ctr = 1, done = 0; done < n; ctr++) {
        cd_ctx c;
        uint8_t be[4] = {(uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16), (uint8_t)(ctr >> 8),
                         (uint8_t)ctr};
        cd_init(&c, h);
        cd_update(&c, z, zlen);
        cd_update(&c, be, 4);
        cd_update(&c, info, ilen);
        cd_final(&c, block);
        size_t take = n - done < hl ? n - done : hl;
        memcpy(out + done, block, take);
        done += (uint32_t)take;
    }
    memset(block, 0, sizeof block);
}

uint32_t c32_env_decrypt_agree(c32_env *e, size_t i, size_t k, uintptr_t key,
                               const uint8_t *opub, size_t opub_len)
{
    c32_env_ri r;
    c32_env_rek rek;
    uint32_t err = c32_env_recipient_parts(e, i, &r);
    if (err)
        return err;
    if (r.kind != C32_ENV_KEY_AGREE)
        return E_CRYPT_E_UNKNOWN_ALGO;
    if ((err = c32_env_agree_key(&r, k, &rek)))
        return err;
    /* the scheme, and its parameters: the key-wrap AlgorithmIdentifier */
    const uint8_t *p = r.kalg.p, *end = r.kalg.p + r.kalg.len;
    c32_tlv oid, walg, woid;
    if ((err = c32_der_expect(&p, end, 0x06, &oid)) ||
        (err = c32_der_expect(&p, end, 0x30, &walg)))
        return err;
    int scheme = -1;
    for (size_t a = 0; a < sizeof e_agrees / sizeof e_agrees[0]; a++) {
        uint8_t der[16];
        size_t n = e_oid_der(e_agrees[a].oid, der, sizeof der);
        if (n && n == oid.len && !memcmp(der, oid.p, n))
            scheme = (int)a;
    }
    p = walg.p;
    if ((err = c32_der_expect(&p, walg.p + walg.len, 0x06, &woid)))
        return err;
    int w = e_wrap_of_tlv(&woid);
    if (scheme < 0 || w < 0)
        return E_CRYPT_E_UNKNOWN_ALGO;
    if (!opub) { /* the originator's key from the message: [1] OriginatorPublicKey */
        c32_tlv alg, bits;
        p = r.orig.p, end = r.orig.p + r.orig.len;
        if (r.orig.tag != 0xa1)
            return E_NTE_BAD_PUBLIC_KEY; /* named by a certificate the message does not hold */
        if ((err = c32_der_expect(&p, end, 0x30, &alg)) ||
            (err = c32_der_expect(&p, end, 0x03, &bits)))
            return err;
        if (bits.len < 2 || bits.p[0])
            return E_NTE_BAD_PUBLIC_KEY;
        opub = bits.p + 1;
        opub_len = bits.len - 1;
    }
    if (!ntl_ready())
        return NTL_NTE_PROV_DLL_NOT_FOUND;
    uint8_t z[66], kek[32];
    size_t zlen = 0, kek_len = e_cipher((size_t)w)->key_size;
    if ((err = e_ecdh(key, opub, opub_len, z, &zlen)))
        return err;
    /* ECC-CMS-SharedInfo: keyInfo (the wrap's AlgorithmIdentifier as the message has it),
     * entityUInfo [0] (the ukm, when there is one), suppPubInfo [2] (the KEK's size in bits) */
    c32_der seq = {0};
    e_shared_info(&seq, walg.tlv, walg.tlv_len, r.ukm.p, r.ukm.len, r.ukm.tag != 0, kek_len);
    if (!(err = seq.err)) {
        e_x963(e_agrees[scheme].hash, z, zlen, seq.p, seq.n, kek, kek_len);
        err = e_unwrap_open(e, i, w, kek, kek_len, &rek.ekey);
        if (!err)
            e->key_index = (uint32_t)k;
    }
    memset(z, 0, sizeof z);
    memset(kek, 0, sizeof kek);
    free(seq.p);
    return err;
}
