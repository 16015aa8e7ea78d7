/* SPDX-License-Identifier: MIT */
/* bcrypt's elliptic-curve keys (pkey.c dispatches here): ECDSA and ECDH on NIST P-256, P-384
 * and P-521, Nettle's curves and ECDSA (hogweed). Keys are generated, or imported and exported
 * as BCRYPT_ECCPUBLIC_BLOB / BCRYPT_ECCPRIVATE_BLOB (a BCRYPT_ECCKEY_BLOB, then X, Y and for a
 * private key d, each cbKey bytes big-endian, with the magic of the algorithm and curve:
 * "ECS1".."ECS6" for ECDSA, "ECK1".."ECK6" for ECDH). An imported point must lie on the curve
 * and an imported d must give that point (STATUS_INVALID_PARAMETER otherwise); a private blob with
 * X and Y zero takes the point d gives, and the generic magics "ECDP"/"ECDV"/"ECKP"/"ECKV" are
 * taken for every curve, as Windows does (Go's crypto through CNG relies on both).
 *
 * BCryptSignHash gives r||s, each cbKey bytes; the hash may be of any length (ECDSA truncates
 * it to the curve's size). Padding flags are refused (STATUS_INVALID_PARAMETER, as Windows).
 * BCryptSecretAgreement makes the x coordinate of d*Q, a secret for BCryptDeriveKey (derive.c).
 * The curve names of BCRYPT_ECC_CURVE_NAME (pkey.c): nistP256/secP256r1, nistP384/secP384r1,
 * nistP521/secP521r1 and, for ECDH, curve25519 (x25519.c). Not done: the other named curves
 * (brainpool, secp256k1, ...: STATUS_NOT_SUPPORTED). BCRYPT_ECCFULLPUBLIC_BLOB and
 * BCRYPT_ECCFULLPRIVATE_BLOB (BCRYPT_ECCFULLKEY_BLOB: the domain parameters spelled out, then the
 * key) are taken for the NIST curves (an explicit other curve is STATUS_NOT_SUPPORTED) and given
 * with the generic magic, a one-byte cofactor and no seed (the seed Windows gives is not
 * confirmed). */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

/* BCRYPT_ECCKEY_BLOB */
typedef struct {
    uint32_t dwMagic; /* 0x00 */
    uint32_t cbKey;   /* 0x04 */
} bc_ecc_blob;

/* 0, 1, 2 for P-256, P-384, P-521 */
static int bc_curve_index(int kind)
{
    return bc_is_ecdh(kind) ? kind - BC_ECDH_P256 : kind - BC_ECDSA_P256;
}

static const struct ecc_curve *bc_curve(int kind)
{
    switch (bc_curve_index(kind)) {
    case 0: return nettle_get_secp_256r1();
    case 1: return nettle_get_secp_384r1();
    default: return nettle_get_secp_521r1();
    }
}

/* The size of one coordinate in bytes */
static uint32_t bc_ecc_bytes(int kind)
{
    static const uint32_t n[] = {32, 48, 66};
    return n[bc_curve_index(kind)];
}

/* BCRYPT_ECDSA_PUBLIC_P256_MAGIC "ECS1" ... BCRYPT_ECDH_PRIVATE_P521_MAGIC "ECK6" */
static uint32_t bc_ecc_magic(int kind, bool priv)
{
    uint32_t digit = (uint32_t)('1' + 2 * bc_curve_index(kind) + priv);
    return (bc_is_ecdh(kind) ? 0x004b4345u : 0x00534345u) | digit << 24;
}

/* BCRYPT_ECDSA_PUBLIC/PRIVATE_GENERIC_MAGIC "ECDP"/"ECDV", BCRYPT_ECDH_..._GENERIC_MAGIC
 * "ECKP"/"ECKV": Windows takes them for every curve (Go's crypto through CNG imports with them) */
static uint32_t bc_ecc_generic_magic(int kind, bool priv)
{
    return (bc_is_ecdh(kind) ? 0x004b4345u : 0x00444345u) | (priv ? 0x56u : 0x50u) << 24;
}

static const struct {
    const char *name; /* as BCryptGetProperty gives it */
    const char *upper, *alias; /* as BCryptSetProperty takes it (any case) */
    int ecdsa, ecdh;
    uint32_t bits;
} bc_ecc_curves[] = {
    {"nistP256", "NISTP256", "SECP256R1", BC_ECDSA_P256, BC_ECDH_P256, 256},
    {"nistP384", "NISTP384", "SECP384R1", BC_ECDSA_P384, BC_ECDH_P384, 384},
    {"nistP521", "NISTP521", "SECP521R1", BC_ECDSA_P521, BC_ECDH_P521, 521},
    {"curve25519", "CURVE25519", "CURVE25519", -1, BC_ECDH_X25519, 255},
};
#define BC_NCURVES (sizeof bc_ecc_curves / sizeof bc_ecc_curves[0])

int bc_ecc_curve_kind(int generic, const WCHAR *name, uint32_t cb)
{
    WCHAR w[24] = {0}; /* the name may lack its NUL within cb */
    memcpy(w, name, 2 * (cb / 2 < 23 ? cb / 2 : 23));
    for (size_t i = 0; i < BC_NCURVES; i++)
        if (bc_name_is(w, bc_ecc_curves[i].upper) || bc_name_is(w, bc_ecc_curves[i].alias))
            return generic == BC_ECDH_GENERIC ? bc_ecc_curves[i].ecdh : bc_ecc_curves[i].ecdsa;
    return -1;
}

const char *bc_ecc_curve_name(int kind)
{
    for (size_t i = 0; i < BC_NCURVES; i++)
        if (kind == bc_ecc_curves[i].ecdsa || kind == bc_ecc_curves[i].ecdh)
            return bc_ecc_curves[i].name;
    return NULL;
}

uint32_t bc_ecc_curve_bits(int kind)
{
    for (size_t i = 0; i < BC_NCURVES; i++)
        if (kind == bc_ecc_curves[i].ecdsa || kind == bc_ecc_curves[i].ecdh)
            return bc_ecc_curves[i].bits;
    return 0;
}

int bc_ecc_blob_kind(int generic, const uint8_t *in, uint32_t len)
{
    uint32_t magic;
    if (len < 4)
        return -1;
    memcpy(&magic, in, 4);
    int first = generic == BC_ECDH_GENERIC ? BC_ECDH_P256 : BC_ECDSA_P256;
    for (int i = 0; i < 3; i++)
        if (magic == bc_ecc_magic(first + i, false) || magic == bc_ecc_magic(first + i, true))
            return first + i;
    return -1;
}

/* The NIST curves' domain parameters (FIPS 186-4 D.1.2; `openssl ecparam -param_enc explicit`)
 * as BCRYPT_ECCFULLKEY_BLOB gives them: p, a, b, Gx, Gy, n, each the field's size, hex */
static const char *const bc_ecc_domain[3][6] = {
    {
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    },
    {
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff"
        "0000000000000000ffffffff",
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff"
        "0000000000000000fffffffc",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d"
        "8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25d"
        "bf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce"
        "1d7e819d7a431d7c90ea0e5f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db2"
        "48b0a77aecec196accc52973",
    },
    {
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e15619"
        "3951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b"
        "5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee"
        "72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa5186"
        "8783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    },
};

/* BCRYPT_ECCFULLKEY_BLOB, then p, a, b, Gx, Gy, n, the cofactor, the seed, X, Y (and d) */
typedef struct {
    uint32_t dwMagic;                /* 0x00 */
    uint32_t dwVersion;              /* 0x04: BCRYPT_ECC_FULLKEY_BLOB_V1 */
    uint32_t dwCurveType;            /* 0x08: BCRYPT_ECC_PRIME_SHORT_WEIERSTRASS_CURVE */
    uint32_t dwCurveGenerationAlgId; /* 0x0c */
    uint32_t cbFieldLength;          /* 0x10 */
    uint32_t cbSubgroupOrder;        /* 0x14 */
    uint32_t cbCofactor;             /* 0x18 */
    uint32_t cbSeed;                 /* 0x1c */
} bc_ecc_full;
_Static_assert(sizeof(bc_ecc_full) == 32, "BCRYPT_ECCFULLKEY_BLOB");

static void bc_unhex(const char *h, uint8_t *out)
{
    for (; h[0] && h[1]; h += 2) {
        int hi = h[0] <= '9' ? h[0] - '0' : h[0] - 'a' + 10;
        int lo = h[1] <= '9' ? h[1] - '0' : h[1] - 'a' + 10;
        *out++ = (uint8_t)(hi << 4 | lo);
    }
}

/* A full blob of a NIST curve as the plain blob of the key's curve (out: 8 + 3 * 66 bytes) */
static NTSTATUS bc_ecc_from_full(const bc_pkey *k, bool priv, const uint8_t *in, uint32_t len,
                                 uint8_t *out, uint32_t *outlen)
{
    bc_ecc_full h;
    uint32_t n = bc_ecc_bytes(k->kind);
    if (len < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    if ((h.dwMagic != bc_ecc_magic(k->kind, priv) &&
         h.dwMagic != bc_ecc_generic_magic(k->kind, priv)) || h.dwVersion != 1 ||
        h.dwCurveType != 1 || h.cbFieldLength != n || h.cbSubgroupOrder != n ||
        !h.cbCofactor || h.cbCofactor > n || h.cbSeed > 64)
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t need = (uint32_t)sizeof h + 6 * n + h.cbCofactor + h.cbSeed + (priv ? 3 : 2) * n;
    if (len < need)
        return BC_STATUS_INVALID_PARAMETER;
    const uint8_t *p = in + sizeof h;
    uint8_t want[66];
    for (int i = 0; i < 6; i++, p += n) { /* only the NIST curves: explicit others are not */
        bc_unhex(bc_ecc_domain[bc_curve_index(k->kind)][i], want);
        if (memcmp(p, want, n))
            return BC_STATUS_NOT_SUPPORTED;
    }
    for (uint32_t i = 0; i < h.cbCofactor; i++) /* a cofactor of 1 */
        if (p[i] != (i + 1 == h.cbCofactor))
            return BC_STATUS_INVALID_PARAMETER;
    p += h.cbCofactor + h.cbSeed;
    bc_ecc_blob b = {bc_ecc_magic(k->kind, priv), n};
    memcpy(out, &b, sizeof b);
    memcpy(out + sizeof b, p, (priv ? 3 : 2) * n);
    *outlen = (uint32_t)sizeof b + (priv ? 3 : 2) * n;
    return BC_STATUS_SUCCESS;
}

static void bc_ecc_init(bc_pkey *k)
{
    const struct ecc_curve *c = bc_curve(k->kind);
    ecc_point_init(&k->u.ecc.pub, c);
    ecc_scalar_init(&k->u.ecc.key, c);
}

void bc_ecc_free(bc_pkey *k)
{
    if (k->kind == BC_ECDH_X25519)
        return; /* two arrays, zeroed with the key */
    ecc_point_clear(&k->u.ecc.pub);
    ecc_scalar_clear(&k->u.ecc.key);
}

void bc_ecc_copy(bc_pkey *dst, const bc_pkey *src)
{
    if (src->kind == BC_ECDH_X25519) {
        dst->u.x25519 = src->u.x25519;
        return;
    }
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    bc_ecc_init(dst);
    ecc_point_get(&src->u.ecc.pub, x, y);
    ecc_point_set(&dst->u.ecc.pub, x, y);
    if (src->priv) {
        ecc_scalar_get(&src->u.ecc.key, x);
        ecc_scalar_set(&dst->u.ecc.key, x);
    }
    mpz_clears(x, y, NULL);
}

NTSTATUS bc_ecc_generate(bc_pkey *k)
{
    if (k->kind == BC_ECDH_X25519)
        return bc_x25519_generate(k);
    bc_ecc_init(k);
    ecdsa_generate_keypair(&k->u.ecc.pub, &k->u.ecc.key, NULL, bc_nettle_random);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_ecc_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    if ((type == BC_BLOB_ECCFULLPUBLIC || type == BC_BLOB_ECCFULLPRIVATE) &&
        k->kind != BC_ECDH_X25519) {
        uint8_t plain[8 + 3 * 66];
        uint32_t n = 0;
        bool fpriv = type == BC_BLOB_ECCFULLPRIVATE;
        NTSTATUS st = bc_ecc_from_full(k, fpriv, in, len, plain, &n);
        return st ? st
                  : bc_ecc_import(k, fpriv ? BC_BLOB_ECCPRIVATE : BC_BLOB_ECCPUBLIC, plain, n);
    }
    bool priv = type == BC_BLOB_PRIVATE || type == BC_BLOB_ECCPRIVATE;
    if (type != BC_BLOB_PUBLIC && type != BC_BLOB_PRIVATE && type != BC_BLOB_ECCPUBLIC &&
        type != BC_BLOB_ECCPRIVATE)
        return BC_STATUS_NOT_SUPPORTED;
    if (k->kind == BC_ECDH_X25519)
        return bc_x25519_import(k, priv, in, len);
    bc_ecc_blob h;
    uint32_t n = bc_ecc_bytes(k->kind);
    if (len < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    if ((h.dwMagic != bc_ecc_magic(k->kind, priv) &&
         h.dwMagic != bc_ecc_generic_magic(k->kind, priv)) || h.cbKey != n ||
        len < sizeof h + (priv ? 3 : 2) * n)
        return BC_STATUS_INVALID_PARAMETER;
    const uint8_t *p = in + sizeof h;
    bc_ecc_init(k);
    mpz_t x, y, d, x2, y2;
    mpz_inits(x, y, d, x2, y2, NULL);
    mpz_import(x, n, 1, 1, 0, 0, p);
    mpz_import(y, n, 1, 1, 0, 0, p + n);
    /* a private blob may leave X and Y zero: the point is d's (Go's ecdh.NewPrivateKey) */
    bool from_d = priv && !mpz_sgn(x) && !mpz_sgn(y);
    bool ok = from_d || ecc_point_set(&k->u.ecc.pub, x, y);
    if (ok && priv) {
        mpz_import(d, n, 1, 1, 0, 0, p + 2 * n);
        ok = ecc_scalar_set(&k->u.ecc.key, d);
        if (ok) { /* d must give the point */
            struct ecc_point q;
            ecc_point_init(&q, bc_curve(k->kind));
            ecc_point_mul_g(&q, &k->u.ecc.key);
            ecc_point_get(&q, x2, y2);
            if (from_d)
                ok = ecc_point_set(&k->u.ecc.pub, x2, y2);
            else
                ok = !mpz_cmp(x, x2) && !mpz_cmp(y, y2);
            ecc_point_clear(&q);
        }
    }
    mpz_clears(x, y, d, x2, y2, NULL);
    if (!ok) {
        bc_ecc_free(k);
        return BC_STATUS_INVALID_PARAMETER;
    }
    k->priv = priv;
    k->bits = ecc_bit_size(bc_curve(k->kind));
    return BC_STATUS_SUCCESS;
}

/* BCRYPT_ECCFULLPUBLIC_BLOB / BCRYPT_ECCFULLPRIVATE_BLOB of a NIST curve's key: the generic
 * magic, no generation algorithm, a one-byte cofactor, no seed */
static NTSTATUS bc_ecc_export_full(bc_pkey *k, bool priv, uint8_t *out, uint32_t cb,
                                   uint32_t *res)
{
    uint32_t n = bc_ecc_bytes(k->kind);
    uint32_t size = (uint32_t)sizeof(bc_ecc_full) + 6 * n + 1 + (priv ? 3 : 2) * n, got = 0;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    bc_ecc_full h = {bc_ecc_generic_magic(k->kind, priv), 1, 1, 0, n, n, 1, 0};
    memcpy(out, &h, sizeof h);
    uint8_t *p = out + sizeof h;
    for (int i = 0; i < 6; i++, p += n)
        bc_unhex(bc_ecc_domain[bc_curve_index(k->kind)][i], p);
    *p++ = 1;
    uint8_t plain[8 + 3 * 66];
    NTSTATUS st = bc_ecc_export(k, priv ? BC_BLOB_ECCPRIVATE : BC_BLOB_ECCPUBLIC, plain,
                                sizeof plain, &got);
    if (st == BC_STATUS_SUCCESS)
        memcpy(p, plain + 8, got - 8);
    return st;
}

NTSTATUS bc_ecc_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    if ((type == BC_BLOB_ECCFULLPUBLIC || type == BC_BLOB_ECCFULLPRIVATE) &&
        k->kind != BC_ECDH_X25519) {
        if (type == BC_BLOB_ECCFULLPRIVATE && !k->priv)
            return BC_STATUS_INVALID_PARAMETER;
        return bc_ecc_export_full(k, type == BC_BLOB_ECCFULLPRIVATE, out, cb, res);
    }
    bool priv = type == BC_BLOB_PRIVATE || type == BC_BLOB_ECCPRIVATE;
    if (type != BC_BLOB_PUBLIC && type != BC_BLOB_PRIVATE && type != BC_BLOB_ECCPUBLIC &&
        type != BC_BLOB_ECCPRIVATE)
        return BC_STATUS_NOT_SUPPORTED;
    if (priv && !k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    if (k->kind == BC_ECDH_X25519)
        return bc_x25519_export(k, priv, out, cb, res);
    uint32_t n = bc_ecc_bytes(k->kind);
    uint32_t size = (uint32_t)sizeof(bc_ecc_blob) + (priv ? 3 : 2) * n;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    bc_ecc_blob h = {bc_ecc_magic(k->kind, priv), n};
    memcpy(out, &h, sizeof h);
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    ecc_point_get(&k->u.ecc.pub, x, y);
    bc_mpz_put(out + sizeof h, n, x, true);
    bc_mpz_put(out + sizeof h + n, n, y, true);
    if (priv) {
        ecc_scalar_get(&k->u.ecc.key, x);
        bc_mpz_put(out + sizeof h + 2 * n, n, x, true);
    }
    mpz_clears(x, y, NULL);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_ecc_sign(bc_pkey *k, const void *padinfo, const uint8_t *in, uint32_t inlen,
                     uint8_t *out, uint32_t cb, uint32_t *res, uint32_t flags)
{
    (void)padinfo;
    uint32_t n = bc_ecc_bytes(k->kind);
    if (flags)
        return BC_STATUS_INVALID_PARAMETER;
    *res = 2 * n;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (!k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    if (cb < 2 * n)
        return BC_STATUS_BUFFER_TOO_SMALL;
    struct dsa_signature sig;
    dsa_signature_init(&sig);
    ecdsa_sign(&k->u.ecc.key, NULL, bc_nettle_random, inlen, in, &sig);
    bc_mpz_put(out, n, sig.r, true);
    bc_mpz_put(out + n, n, sig.s, true);
    dsa_signature_clear(&sig);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_ecc_verify(bc_pkey *k, const void *padinfo, const uint8_t *hash, uint32_t hlen,
                       const uint8_t *sig, uint32_t slen, uint32_t flags)
{
    (void)padinfo;
    uint32_t n = bc_ecc_bytes(k->kind);
    if (flags)
        return BC_STATUS_INVALID_PARAMETER;
    if (slen != 2 * n)
        return BC_STATUS_INVALID_SIGNATURE;
    struct dsa_signature ds;
    dsa_signature_init(&ds);
    mpz_import(ds.r, n, 1, 1, 0, 0, sig);
    mpz_import(ds.s, n, 1, 1, 0, 0, sig + n);
    int ok = ecdsa_verify(&k->u.ecc.pub, hlen, hash, &ds);
    dsa_signature_clear(&ds);
    return ok ? BC_STATUS_SUCCESS : BC_STATUS_INVALID_SIGNATURE;
}

NTSTATUS WINAPI bc_BCryptSecretAgreement(void *privkey, void *pubkey, void **out,
                                         uint32_t flags)
{
    (void)flags;
    bc_pkey *a = bc_is_pkey(privkey) ? privkey : NULL, *b = bc_is_pkey(pubkey) ? pubkey : NULL;
    if (!a || !b || !a->final || !b->final)
        return BC_STATUS_INVALID_HANDLE;
    if (!out)
        return BC_STATUS_INVALID_PARAMETER;
    if ((!bc_is_ecdh(a->kind) && a->kind != BC_DH) || b->kind != a->kind)
        return BC_STATUS_NOT_SUPPORTED;
    if (!a->priv)
        return BC_STATUS_INVALID_PARAMETER;
    bc_secret *s = calloc(1, sizeof *s);
    if (!s)
        return BC_STATUS_NO_MEMORY;
    s->magic = BC_SECRET_MAGIC;
    if (a->kind == BC_DH) { /* dh.c's */
        NTSTATUS st = bc_dh_agree(a, b, s);
        if (st)
            free(s);
        else
            *out = s;
        return st;
    }
    if (a->kind == BC_ECDH_X25519) { /* Z: RFC 7748's X25519 output */
        s->len = 32;
        curve25519_mul(s->z, a->u.x25519.key, b->u.x25519.pub);
        *out = s;
        return BC_STATUS_SUCCESS;
    }
    struct ecc_point r;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    ecc_point_init(&r, bc_curve(a->kind));
    ecc_point_mul(&r, &a->u.ecc.key, &b->u.ecc.pub);
    ecc_point_get(&r, x, y);
    s->len = bc_ecc_bytes(a->kind);
    bc_mpz_put(s->z, s->len, x, true);
    ecc_point_clear(&r);
    mpz_clears(x, y, NULL);
    *out = s;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptSecretAgreement, bc_BCryptSecretAgreement, 4);
