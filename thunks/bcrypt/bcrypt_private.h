/* SPDX-License-Identifier: MIT */
/* Shared by bcrypt's files: algorithm handles (alg.c) as BCryptGenRandom (random.c), the
 * symmetric keys (key.c) and PBKDF2 (kdf.c) see them. */
#ifndef NTRUN_THUNKS_BCRYPT_PRIVATE_H
#define NTRUN_THUNKS_BCRYPT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "thunks/advapi32/nettle_lazy.h"
#include "thunks/bcrypt/bcrypt.h"
#include "thunks/thunks_private.h"

#define BC_STATUS_SUCCESS ((NTSTATUS)0)
#define BC_STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define BC_STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define BC_STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define BC_STATUS_NO_MEMORY ((NTSTATUS)0xC0000017)
#define BC_STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define BC_STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BB)
#define BC_STATUS_INVALID_BUFFER_SIZE ((NTSTATUS)0xC0000206)
#define BC_STATUS_NOT_FOUND ((NTSTATUS)0xC0000225)
#define BC_STATUS_AUTH_TAG_MISMATCH ((NTSTATUS)0xC000A002)
#define BC_STATUS_INVALID_SIGNATURE ((NTSTATUS)0xC000A000)
#define BC_NTE_BAD_DATA ((NTSTATUS)0x80090005)

#define BC_ALG_MAGIC 0x414c4742u  /* "BGLA" */

/* An algorithm: BC_RNG, a digest (cd_algo, 0..6), a cipher (BC_AES ...), a public-key
 * algorithm (BC_RSA ..., pkey.c) or a key derivation function (BC_PBKDF2 ..., kdf.c). */
enum { BC_RNG = -1, BC_AES = 16, BC_3DES, BC_3DES_112, BC_DES, BC_CHACHA };
enum {
    BC_RSA = 32, BC_RSA_SIGN,
    BC_ECDSA_P256, BC_ECDSA_P384, BC_ECDSA_P521,
    BC_ECDH_P256, BC_ECDH_P384, BC_ECDH_P521, BC_ECDH_X25519,
    BC_ECDSA_GENERIC, BC_ECDH_GENERIC, /* "ECDSA", "ECDH": the curve is BCRYPT_ECC_CURVE_NAME's */
    BC_DH, BC_DSA,
};
enum { BC_PBKDF2 = 64, BC_SP800108, BC_SP80056A, BC_TLS11_KDF, BC_TLS12_KDF, BC_HKDF,
       BC_CAPI_KDF };
/* Chaining modes of the ciphers */
enum { BC_MODE_CBC, BC_MODE_ECB, BC_MODE_CFB, BC_MODE_GCM, BC_MODE_CCM, BC_MODE_NA };

typedef struct {
    uint32_t magic;
    int kind;
    bool hmac;
    uint32_t mode; /* ciphers: BC_MODE_*, set by BCryptSetProperty(ChainingMode) */
    int curve;     /* "ECDSA", "ECDH": the kind their ECCCurveName gives (BC_ECDH_P256 ...), 0 */
} bc_alg;

/* The algorithm behind a handle (a pseudo-handle or one we opened); NULL when neither. */
const bc_alg *bc_get_alg(const void *h);
/* Whether `alg` is an open "RNG" algorithm handle or BCRYPT_RNG_ALG_HANDLE. */
bool bc_is_rng(const void *alg);
static inline bool bc_is_cipher(int kind) { return kind >= BC_AES && kind < BC_RSA; }
static inline bool bc_is_digest(int kind) { return kind >= 0 && kind < BC_AES; }
static inline bool bc_is_asym(int kind) { return kind >= BC_RSA && kind < BC_PBKDF2; }
static inline bool bc_is_kdf(int kind) { return kind >= BC_PBKDF2 && kind <= BC_CAPI_KDF; }
static inline bool bc_is_rsa(int kind) { return kind == BC_RSA || kind == BC_RSA_SIGN; }
static inline bool bc_is_ecdh(int kind)
{
    return (kind >= BC_ECDH_P256 && kind <= BC_ECDH_X25519) || kind == BC_ECDH_GENERIC;
}
static inline bool bc_is_ecc_generic(int kind)
{
    return kind == BC_ECDSA_GENERIC || kind == BC_ECDH_GENERIC;
}
/* Case-insensitive compare of a foreign UTF-16 name with an upper-case ASCII one. */
bool bc_name_is(const WCHAR *w, const char *a);
/* A DWORD property: its size to *res, the value to out when there is one. */
NTSTATUS bc_put_dword(uint32_t v, uint8_t *out, uint32_t cb, uint32_t *res);
/* Bytes of a property: their size to *res, the bytes to out when there is one. */
NTSTATUS bc_put_bytes(const void *v, uint32_t n, uint8_t *out, uint32_t cb, uint32_t *res);

/* A NUL-terminated UTF-16 string property from ASCII. */
NTSTATUS bc_put_name(const char *n, uint8_t *out, uint32_t cb, uint32_t *res);
/* The algorithm's name ("AES", "SHA256", ...) */
const char *bc_kind_name(int kind);

/* key.c: BCryptGetProperty/BCryptSetProperty of a cipher algorithm (alg) or a key (h) */
NTSTATUS bc_cipher_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                                uint32_t cb, uint32_t *res);
NTSTATUS bc_cipher_set_property(bc_alg *alg, void *h, const WCHAR *prop, const uint8_t *in,
                                uint32_t cb);
/* Whether h is one of key.c's keys */
bool bc_is_key(const void *h);

/* pkey.c: the key pairs (RSA, ECDSA, ECDH). Whether h is one. */
bool bc_is_pkey(const void *h);
/* BCryptGetProperty of a public-key algorithm (alg) or a key pair (h) */
NTSTATUS bc_pkey_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                              uint32_t cb, uint32_t *res);
NTSTATUS bc_pkey_set_property(void *h, const WCHAR *prop, const uint8_t *in, uint32_t cb);
/* BCryptExportKey, BCryptEncrypt/Decrypt, BCryptDuplicateKey, BCryptDestroyKey of a key pair */
NTSTATUS bc_pkey_export(void *h, const WCHAR *type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_pkey_crypt(void *h, bool enc, const uint8_t *in, uint32_t inlen, const void *padinfo,
                       uint8_t *out, uint32_t outlen, uint32_t *res, uint32_t flags);
NTSTATUS bc_pkey_duplicate(void *h, void **out);
NTSTATUS bc_pkey_destroy(void *h);
/* A key pair of pkey.c: RSA (rsa.c) or a curve's (ecc.c). Numbers are GMP's, in native memory. */
typedef struct {
    uint32_t magic;
    int kind;       /* BC_RSA ... BC_ECDH_P521 */
    uint32_t bits;  /* the key's length in bits (RSA: asked for, then the modulus's) */
    bool final;     /* generated and finalized, or imported: usable */
    bool priv;      /* holds the private half */
    bool generic;   /* of "ECDSA"/"ECDH" (kind is the curve's; BC_*_GENERIC before it is set) */
    union {
        struct {
            struct rsa_public_key pub;
            struct rsa_private_key key;
        } rsa;
        struct {
            struct ecc_point pub;
            struct ecc_scalar key;
        } ecc;
        struct {
            uint8_t pub[32]; /* RFC 7748's encodings */
            uint8_t key[32];
        } x25519;
        struct {
            mpz_t p, g, y, x; /* the group, the public value, the private exponent */
            bool params;      /* p and g set (BCRYPT_DH_PARAMETERS) */
        } dh;
        struct {
            struct dsa_params params; /* p, q, g */
            mpz_t y, x;
            bool set;                 /* params set (given, imported or generated) */
            uint32_t qbytes;          /* q's size: the group size */
        } dsa;
    } u;
} bc_pkey;

/* Blob types of BCryptImportKeyPair/BCryptExportKey */
enum {
    BC_BLOB_PUBLIC, BC_BLOB_PRIVATE, /* PUBLICBLOB, PRIVATEBLOB: the magic says which */
    BC_BLOB_RSAPUBLIC, BC_BLOB_RSAPRIVATE, BC_BLOB_RSAFULLPRIVATE,
    BC_BLOB_CAPIPUBLIC, BC_BLOB_CAPIPRIVATE, BC_BLOB_ECCPUBLIC, BC_BLOB_ECCPRIVATE,
    BC_BLOB_DHPUBLIC, BC_BLOB_DHPRIVATE, BC_BLOB_DSAPUBLIC, BC_BLOB_DSAPRIVATE,
    BC_BLOB_ECCFULLPUBLIC, BC_BLOB_ECCFULLPRIVATE,
};

/* pkey.c, for the key pairs' files: a number's length in bytes; z as `len` bytes, big-endian
 * (msb) or little-endian, zeros in front (behind), and back. */
uint32_t bc_mpz_bytes(const mpz_t z);
void bc_mpz_put(uint8_t *p, uint32_t len, const mpz_t z, bool msb);
void bc_mpz_get(mpz_t z, const uint8_t *p, uint32_t len, bool msb);

/* rsa.c, for pkey.c: the key is new (zeroed but kind and bits) for generate and import. */
NTSTATUS bc_rsa_generate(bc_pkey *k);
NTSTATUS bc_rsa_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len);
NTSTATUS bc_rsa_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_rsa_sign(bc_pkey *k, const void *padinfo, const uint8_t *in, uint32_t inlen,
                     uint8_t *out, uint32_t cb, uint32_t *res, uint32_t flags);
NTSTATUS bc_rsa_verify(bc_pkey *k, const void *padinfo, const uint8_t *hash, uint32_t hlen,
                       const uint8_t *sig, uint32_t slen, uint32_t flags);
NTSTATUS bc_rsa_crypt(bc_pkey *k, bool enc, const uint8_t *in, uint32_t inlen,
                      const void *padinfo, uint8_t *out, uint32_t outlen, uint32_t *res,
                      uint32_t flags);
void bc_rsa_copy(bc_pkey *dst, const bc_pkey *src);
void bc_rsa_free(bc_pkey *k);

/* ecc.c, for pkey.c: the same for ECDSA and ECDH keys */
NTSTATUS bc_ecc_generate(bc_pkey *k);
NTSTATUS bc_ecc_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len);
NTSTATUS bc_ecc_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_ecc_sign(bc_pkey *k, const void *padinfo, const uint8_t *in, uint32_t inlen,
                     uint8_t *out, uint32_t cb, uint32_t *res, uint32_t flags);
NTSTATUS bc_ecc_verify(bc_pkey *k, const void *padinfo, const uint8_t *hash, uint32_t hlen,
                       const uint8_t *sig, uint32_t slen, uint32_t flags);
void bc_ecc_copy(bc_pkey *dst, const bc_pkey *src);
void bc_ecc_free(bc_pkey *k);
/* A secret of BCryptSecretAgreement (ecc.c, dh.c): Z, big-endian, for derive.c */
#define BC_SECRET_MAGIC 0x52434553u /* "SECR" */
#define BC_SECRET_MAX 512           /* a 4096-bit DH group's */
typedef struct {
    uint32_t magic;
    uint32_t len;
    uint8_t z[BC_SECRET_MAX];
} bc_secret;

/* dh.c, for pkey.c and ecc.c's BCryptSecretAgreement: Diffie-Hellman (BC_DH) */
void bc_dh_init(bc_pkey *k);
NTSTATUS bc_dh_generate(bc_pkey *k);
NTSTATUS bc_dh_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len);
NTSTATUS bc_dh_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_dh_get_params(const bc_pkey *k, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_dh_set_params(bc_pkey *k, const uint8_t *in, uint32_t cb);
NTSTATUS bc_dh_agree(const bc_pkey *a, const bc_pkey *b, bc_secret *s);
void bc_dh_copy(bc_pkey *dst, const bc_pkey *src);
void bc_dh_free(bc_pkey *k);

/* dsa.c, for pkey.c: DSA (BC_DSA) */
void bc_dsa_init(bc_pkey *k);
void bc_dsa_free(bc_pkey *k);
void bc_dsa_copy(bc_pkey *dst, const bc_pkey *src);
NTSTATUS bc_dsa_generate(bc_pkey *k);
NTSTATUS bc_dsa_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len);
NTSTATUS bc_dsa_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_dsa_get_params(const bc_pkey *k, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_dsa_set_params(bc_pkey *k, const uint8_t *in, uint32_t cb);
uint32_t bc_dsa_signature_length(const bc_pkey *k);
NTSTATUS bc_dsa_sign(bc_pkey *k, const uint8_t *in, uint32_t inlen, uint8_t *out, uint32_t cb,
                     uint32_t *res, uint32_t flags);
NTSTATUS bc_dsa_verify(bc_pkey *k, const uint8_t *hash, uint32_t hlen, const uint8_t *sig,
                       uint32_t slen, uint32_t flags);

/* x25519.c, for ecc.c: curve25519's keys (BC_ECDH_X25519) */
NTSTATUS bc_x25519_generate(bc_pkey *k);
NTSTATUS bc_x25519_import(bc_pkey *k, bool priv, const uint8_t *in, uint32_t len);
NTSTATUS bc_x25519_export(bc_pkey *k, bool priv, uint8_t *out, uint32_t cb, uint32_t *res);
/* The kind a curve name gives on a generic algorithm ("nistP256" on ECDH: BC_ECDH_P256), -1
 * for a curve the algorithm does not have. */
int bc_ecc_curve_kind(int generic, const WCHAR *name, uint32_t cb);
/* The name of a kind's curve ("nistP256"), NULL for none */
const char *bc_ecc_curve_name(int kind);
/* The key length of a kind's curve in bits (255 for curve25519) */
uint32_t bc_ecc_curve_bits(int kind);
/* The kind of curve a blob's magic names on a generic algorithm ("ECK1": BC_ECDH_P256), -1 for
 * none (the generic magics name no curve). */
int bc_ecc_blob_kind(int generic, const uint8_t *in, uint32_t len);

/* BCryptBuffer / BCryptBufferDesc (x64): the parameters of the key derivation functions */
typedef struct {
    uint32_t cbBuffer;   /* 0x00 */
    uint32_t BufferType; /* 0x04: KDF_* */
    void *pvBuffer;      /* 0x08 */
} bc_buffer;
typedef struct bc_buffer_desc {
    uint32_t ulVersion;  /* 0x00 */
    uint32_t cBuffers;   /* 0x04 */
    bc_buffer *pBuffers; /* 0x08 */
} bc_buffer_desc;
_Static_assert(sizeof(bc_buffer) == 16, "BCryptBuffer");
_Static_assert(offsetof(bc_buffer_desc, pBuffers) == 8, "BCryptBufferDesc");


/* kdf.c: the keys of the KDF algorithms (BCryptGenerateSymmetricKey on PBKDF2, HKDF, ...) */
bool bc_is_kdf_key(const void *h);
NTSTATUS bc_kdf_new_key(const bc_alg *a, const uint8_t *secret, uint32_t len, void **out);
NTSTATUS bc_kdf_export(void *h, const WCHAR *type, uint8_t *out, uint32_t cb, uint32_t *res);
NTSTATUS bc_kdf_duplicate(void *h, void **out);
NTSTATUS bc_kdf_destroy(void *h);
NTSTATUS bc_kdf_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                             uint32_t cb, uint32_t *res);
NTSTATUS bc_kdf_set_property(void *h, const WCHAR *prop, const uint8_t *in, uint32_t cb);

/* kdf.c: the derivation functions over native memory, for kdf.c's keys and derive.c's secrets.
 * A KDF's parameters as BCryptBufferDesc gives them: the last buffer of each type (prepend
 * and append data: all of theirs, in order) and the hash KDF_HASH_ALGORITHM names (-1: none). */
#define BC_KDF_TYPES 0x15 /* KDF_HASH_ALGORITHM 0x0 ... KDF_HKDF_INFO 0x14 */
typedef struct {
    const bc_buffer_desc *desc;
    int hash;
    struct {
        const uint8_t *p;
        uint32_t n;
        bool set;
    } v[BC_KDF_TYPES];
} bc_kdf_params;
/* STATUS_INVALID_PARAMETER for a malformed list, STATUS_NOT_SUPPORTED for an unknown buffer
 * type or hash. */
NTSTATUS bc_kdf_parse(const bc_buffer_desc *d, bc_kdf_params *p);
/* TLS's PRF (RFC 2246 with version < 0x0303: P_MD5 xor P_SHA1; RFC 5246: P_hash of dg) */
void bc_tls_prf(bool tls12, int dg, const uint8_t *secret, uint32_t slen,
                const bc_kdf_params *p, uint8_t *out, uint32_t len);
/* SSL 3.0's (RFC 6101 6.1, 6.2.2): MD5(secret || SHA1("A" || secret || seed)) ||
 * MD5(secret || SHA1("BB" || secret || seed)) || ..., at most 26 blocks (416 bytes) */
void bc_ssl3_prf(const uint8_t *secret, uint32_t slen, const uint8_t *seed, uint32_t seedlen,
                 uint8_t *out, uint32_t len);
/* SP 800-56A's concatenation KDF: hash(counter || Z || AlgorithmID || PartyUInfo ||
 * PartyVInfo || SuppPubInfo || SuppPrivInfo) */
void bc_concat_kdf(int dg, const uint8_t *z, uint32_t zlen, const bc_kdf_params *p,
                   uint8_t *out, uint32_t len);
/* RFC 5869 */
void bc_hkdf_extract(int dg, const uint8_t *salt, uint32_t slen, const uint8_t *ikm,
                     uint32_t ilen, uint8_t *prk);
void bc_hkdf_expand(int dg, const uint8_t *prk, uint32_t plen, const uint8_t *info,
                    uint32_t ilen, uint8_t *out, uint32_t len);

/* The digest named by a foreign UTF-16 algorithm id ("SHA256"), -1 when none. */
int bc_hash_by_name(const WCHAR *name);
/* Nettle's random function over getrandom(2) */
void bc_nettle_random(void *ctx, size_t n, uint8_t *dst);

#endif
