/* SPDX-License-Identifier: MIT */
/* Certificate signatures for crypt32's chains (chain.c): RSA PKCS#1 v1.5 with SHA-1/256/384/512
 * and ECDSA over P-256/P-384 with SHA-1/256/384/512, Nettle's (hogweed, with GMP numbers).
 * Native code over DER the caller holds (a certificate context's own copy). */
#include <string.h>
#include <gmp.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/rsa.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/crypt32/crypt32_private.h"

#define C32_OID(name, ...) static const uint8_t name[] = {__VA_ARGS__}
C32_OID(oid_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);
C32_OID(oid_ec, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
C32_OID(oid_p256, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
C32_OID(oid_p384, 0x2b, 0x81, 0x04, 0x00, 0x22);
#undef C32_OID

/* Signature algorithms: the OID's DER contents, the key type, the digest */
static const struct {
    uint8_t oid[9];
    uint8_t len;
    bool ec;
    cd_algo digest;
} c32_sigalgs[] = {
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05}, 9, false, CD_SHA1},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, 9, false, CD_SHA256},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}, 9, false, CD_SHA384},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d}, 9, false, CD_SHA512},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, 7, true, CD_SHA1},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, 8, true, CD_SHA256},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, 8, true, CD_SHA384},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, 8, true, CD_SHA512},
};

/* PKCS#1 DigestInfo prefixes (RFC 8017 9.2 note 1) */
static const uint8_t c32_di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                      0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t c32_di_sha2[3][19] = {
    {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
     0x05, 0x00, 0x04, 0x20},
    {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
     0x05, 0x00, 0x04, 0x30},
    {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
     0x05, 0x00, 0x04, 0x40},
};

static bool c32_oid_is(const c32_tlv *t, const uint8_t *oid, size_t len)
{
    return t->tag == 0x06 && t->len == len && !memcmp(t->p, oid, len);
}

/* An INTEGER's contents into z (unsigned, big-endian). */
static void c32_mpz(mpz_t z, const c32_tlv *t)
{
    mpz_import(z, t->len, 1, 1, 0, 0, t->p);
}

static int c32_verify_rsa(const c32_tlv *keybits, cd_algo dg, const uint8_t *digest,
                          const uint8_t *sig, size_t sig_len)
{
    /* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } after the
     * BIT STRING's unused-bits byte */
    const uint8_t *p = keybits->p + 1, *end = keybits->p + keybits->len;
    c32_tlv seq, n, e;
    if (keybits->len < 1 || c32_der_expect(&p, end, 0x30, &seq))
        return -1;
    p = seq.p, end = seq.p + seq.len;
    if (c32_der_expect(&p, end, 0x02, &n) || c32_der_expect(&p, end, 0x02, &e))
        return -1;
    uint8_t info[19 + CD_MAX_SIZE];
    size_t ilen;
    uint32_t dlen = cd_size(dg);
    if (dg == CD_SHA1) {
        memcpy(info, c32_di_sha1, sizeof c32_di_sha1), ilen = sizeof c32_di_sha1;
    } else {
        int i = dg == CD_SHA256 ? 0 : dg == CD_SHA384 ? 1 : 2;
        memcpy(info, c32_di_sha2[i], 19), ilen = 19;
    }
    memcpy(info + ilen, digest, dlen);
    struct rsa_public_key key;
    rsa_public_key_init(&key);
    c32_mpz(key.n, &n);
    c32_mpz(key.e, &e);
    int ok = 0;
    if (rsa_public_key_prepare(&key)) {
        mpz_t s;
        mpz_init(s);
        mpz_import(s, sig_len, 1, 1, 0, 0, sig);
        ok = rsa_pkcs1_verify(&key, ilen + dlen, info, s);
        mpz_clear(s);
    }
    rsa_public_key_clear(&key);
    return ok ? 0 : -1;
}

static int c32_verify_ec(const c32_tlv *params, const c32_tlv *keybits, const uint8_t *digest,
                         uint32_t dlen, const uint8_t *sig, size_t sig_len)
{
    const struct ecc_curve *curve;
    size_t coord;
    if (c32_oid_is(params, oid_p256, sizeof oid_p256))
        curve = nettle_get_secp_256r1(), coord = 32;
    else if (c32_oid_is(params, oid_p384, sizeof oid_p384))
        curve = nettle_get_secp_384r1(), coord = 48;
    else
        return -2;
    /* the key: an unused-bits byte, then 04 || X || Y (uncompressed) */
    if (keybits->len != 2 + 2 * coord || keybits->p[1] != 0x04)
        return -2;
    /* Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } */
    const uint8_t *p = sig, *end = sig + sig_len;
    c32_tlv seq, r, s;
    if (c32_der_expect(&p, end, 0x30, &seq))
        return -1;
    p = seq.p, end = seq.p + seq.len;
    if (c32_der_expect(&p, end, 0x02, &r) || c32_der_expect(&p, end, 0x02, &s))
        return -1;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    mpz_import(x, coord, 1, 1, 0, 0, keybits->p + 2);
    mpz_import(y, coord, 1, 1, 0, 0, keybits->p + 2 + coord);
    struct ecc_point pub;
    ecc_point_init(&pub, curve);
    int ok = 0;
    if (ecc_point_set(&pub, x, y)) {
        struct dsa_signature ds;
        dsa_signature_init(&ds);
        c32_mpz(ds.r, &r);
        c32_mpz(ds.s, &s);
        ok = ecdsa_verify(&pub, dlen, digest, &ds);
        dsa_signature_clear(&ds);
    }
    ecc_point_clear(&pub);
    mpz_clears(x, y, NULL);
    return ok ? 0 : -1;
}

int c32_verify_signed(const uint8_t *der, size_t len, const uint8_t *spki, size_t spki_len)
{
    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
    const uint8_t *p = der, *end = der + len;
    c32_tlv outer, tbs, alg, algoid, sig;
    if (c32_der_expect(&p, end, 0x30, &outer))
        return -1;
    p = outer.p, end = outer.p + outer.len;
    if (c32_der_expect(&p, end, 0x30, &tbs) || c32_der_expect(&p, end, 0x30, &alg) ||
        c32_der_expect(&p, end, 0x03, &sig))
        return -1;
    const uint8_t *q = alg.p;
    if (c32_der_expect(&q, alg.p + alg.len, 0x06, &algoid))
        return -1;
    int which = -1;
    for (size_t i = 0; i < sizeof c32_sigalgs / sizeof c32_sigalgs[0]; i++)
        if (c32_oid_is(&algoid, c32_sigalgs[i].oid, c32_sigalgs[i].len))
            which = (int)i;
    if (which < 0)
        return -2;
    if (sig.len < 1)
        return -1;
    cd_ctx h;
    uint8_t digest[CD_MAX_SIZE];
    cd_algo dg = c32_sigalgs[which].digest;
    cd_init(&h, dg);
    cd_update(&h, tbs.tlv, tbs.tlv_len);
    cd_final(&h, digest);
    /* the signature algorithm names the key's type too */
    c32_tlv ki, kalg, koid;
    p = spki, end = spki + spki_len;
    if (c32_der_expect(&p, end, 0x30, &ki))
        return -1;
    p = ki.p, end = ki.p + ki.len;
    if (c32_der_expect(&p, end, 0x30, &kalg))
        return -1;
    q = kalg.p;
    if (c32_der_expect(&q, kalg.p + kalg.len, 0x06, &koid))
        return -1;
    if (!c32_oid_is(&koid, c32_sigalgs[which].ec ? oid_ec : oid_rsa,
                    c32_sigalgs[which].ec ? sizeof oid_ec : sizeof oid_rsa))
        return -1;
    /* the BIT STRING's unused-bits byte first */
    return c32_verify_digest(spki, spki_len, (int)dg, digest, sig.p + 1, sig.len - 1);
}

int c32_verify_digest(const uint8_t *spki, size_t spki_len, int dg, const uint8_t *digest,
                      const uint8_t *sig, size_t sig_len)
{
    /* SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { algorithm, parameters }, BIT STRING } */
    c32_tlv ki, kalg, koid, kparams = {0}, kbits;
    const uint8_t *p = spki, *end = spki + spki_len, *q;
    if (c32_der_expect(&p, end, 0x30, &ki))
        return -1;
    p = ki.p, end = ki.p + ki.len;
    if (c32_der_expect(&p, end, 0x30, &kalg) || c32_der_expect(&p, end, 0x03, &kbits))
        return -1;
    q = kalg.p;
    if (c32_der_expect(&q, kalg.p + kalg.len, 0x06, &koid))
        return -1;
    if (q < kalg.p + kalg.len)
        (void)c32_der_read(&q, kalg.p + kalg.len, &kparams);
    if (c32_oid_is(&koid, oid_ec, sizeof oid_ec))
        return c32_verify_ec(&kparams, &kbits, digest, cd_size((cd_algo)dg), sig, sig_len);
    if (c32_oid_is(&koid, oid_rsa, sizeof oid_rsa))
        return c32_verify_rsa(&kbits, (cd_algo)dg, digest, sig, sig_len);
    return -2;
}

int c32_signed_by(const c32_cert *c, const c32_cert *issuer)
{
    return c32_verify_signed(c->enc, c->ctx.enc_len, issuer->spki, issuer->spki_len);
}
