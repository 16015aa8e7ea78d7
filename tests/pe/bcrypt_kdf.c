/* bcrypt's key derivation functions. BCryptKeyDerivation over keys of the KDF algorithms:
 * HKDF (RFC 5869 test cases 1, 3 and 4: HkdfHashAlgorithm, HkdfSaltAndFinalize or
 * HkdfPrkAndFinalize, KDF_HKDF_INFO; the PRK from BCryptExportKey(BCRYPT_KEY_DATA_BLOB) as Go's
 * ExtractHKDF reads it), PBKDF2 (RFC 6070 test cases 1, 3, 5, 6; SHA-256 with the default
 * 10000 iterations; no KDF_SALT, as Go passes an empty salt: Python's hashlib.pbkdf2_hmac),
 * SP800_108_CTR_HMAC (label, context or the generic parameter), SP800_56A_CONCAT, TLS1_2_KDF
 * (SHA-256, SHA-384, no label) and TLS1_1_KDF (an odd secret, 104 bytes);
 * BCryptDeriveKey of an ECDH P-256 secret (bcrypt_ecc's keys) with TLS_PRF (TLS 1.0, 1.2 and
 * 1.2 with SHA-384), SP800_56A_CONCAT, HKDF, and HASH with two prepended and two appended
 * buffers (Windows concatenates them in order, as its documentation's example shows). The
 * values not from the RFCs are OpenSSL 3.0's, e.g.
 *   openssl kdf -keylen 42 -kdfopt mac:HMAC -kdfopt digest:SHA256 -kdfopt hexkey:0001..1f
 *       -kdfopt salt:label -kdfopt info:context KBKDF
 *   openssl kdf -keylen 40 -kdfopt digest:SHA256 -kdfopt hexkey:.. -kdfopt hexinfo:.. SSKDF
 *   openssl kdf -keylen 48 -kdfopt digest:SHA256 -kdfopt hexsecret:.. -kdfopt
 *       hexseed:<"master secret" || seed> TLS1-PRF        (MD5-SHA1 for TLS 1.0/1.1)
 *   openssl kdf -keylen 50 -kdfopt digest:SHA256 -kdfopt hexkey:Z -kdfopt salt:salt
 *       -kdfopt info:info HKDF
 * Error cases: a missing required parameter, HKDF before its finalize or past 255 digests,
 * a finalized HKDF key changed, TLS_PRF's fixed 48-byte output and 64-byte seed, a NULL key
 * handle (STATUS_INVALID_HANDLE). Where Windows' exact status is not documented, the output says
 * only that the call fails. Wine 8.0 has none of these KDFs. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"
#include "bcrypt_ecdh_p256.h"

/* Windows 10's names, behind NTDDI_VERSION in mingw-w64's bcrypt.h */
#ifndef BCRYPT_HKDF_HASH_ALGORITHM
#define BCRYPT_HKDF_HASH_ALGORITHM L"HkdfHashAlgorithm"
#define BCRYPT_HKDF_SALT_AND_FINALIZE L"HkdfSaltAndFinalize"
#define BCRYPT_HKDF_PRK_AND_FINALIZE L"HkdfPrkAndFinalize"
#define BCRYPT_KDF_HKDF L"HKDF"
#define KDF_HKDF_SALT 0x13
#define KDF_HKDF_INFO 0x14
#endif
#ifndef BCRYPT_ECDH_P256_ALG_HANDLE
#define BCRYPT_ECDH_P256_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x2a1)
#endif
#ifndef TLS1_PROTOCOL_VERSION
#define TLS1_PROTOCOL_VERSION 0x0301
#define TLS1_2_PROTOCOL_VERSION 0x0303
#endif
#define HKDF_ALG L"HKDF"
#define TLS11_ALG L"TLS1_1_KDF"
#define TLS12_ALG L"TLS1_2_KDF"
#define PBKDF2_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x331)
#define HKDF_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x391)

static BCryptBuffer bufs[8];
static BCryptBufferDesc desc = {BCRYPTBUFFER_VERSION, 0, bufs};

static void reset(void) { desc.cBuffers = 0; }

static void param(ULONG type, const void *p, ULONG n)
{
    bufs[desc.cBuffers].BufferType = type;
    bufs[desc.cBuffers].pvBuffer = (void *)p;
    bufs[desc.cBuffers].cbBuffer = n;
    desc.cBuffers++;
}

static void param_str(ULONG type, const char *s) { param(type, s, (ULONG)strlen(s)); }

static void param_hash(const WCHAR *name)
{
    param(KDF_HASH_ALGORITHM, name, (ULONG)(wcslen(name) + 1) * 2);
}

static const char *verdict(NTSTATUS st) { return st ? "fails" : "succeeds"; }

/* BCryptKeyDerivation of outlen bytes from a new key of alg with the secret, params `desc` */
static void derive_key(BCRYPT_ALG_HANDLE alg, const UCHAR *secret, ULONG slen, ULONG outlen,
                       const char *what)
{
    BCRYPT_KEY_HANDLE k = NULL;
    UCHAR out[256];
    ULONG got = 0;
    NTSTATUS st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0, (UCHAR *)secret, slen, 0);
    if (st) {
        printf("%s: generate %08lx\n", what, st);
        return;
    }
    st = BCryptKeyDerivation(k, &desc, out, outlen, &got, 0);
    if (st)
        printf("%s: fails\n", what);
    else
        printf("%s: %08lx %lu\n", what, st, got), hex(" ", out, got);
    BCryptDestroyKey(k);
}

/* HKDF: a key of the input keying material (or the PRK, salt NULL and prk set) */
static void hkdf(BCRYPT_ALG_HANDLE alg, const WCHAR *hash, const char *ikm, const char *salt,
                 const char *info, ULONG outlen, BOOL prk, const char *what)
{
    UCHAR in[128], s[128], inf[128], out[256], blob[256];
    ULONG ilen = unhex(ikm, in), slen = unhex(salt, s), nlen = unhex(info, inf), got = 0;
    BCRYPT_KEY_HANDLE k = NULL;
    NTSTATUS st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0, in, ilen, 0);
    printf("%s: generate %08lx", what, st);
    st = BCryptSetProperty(k, BCRYPT_HKDF_HASH_ALGORITHM, (UCHAR *)hash,
                           (ULONG)(wcslen(hash) + 1) * 2, 0);
    printf(", hash %08lx", st);
    if (prk)
        st = BCryptSetProperty(k, BCRYPT_HKDF_PRK_AND_FINALIZE, NULL, 0, 0);
    else
        st = BCryptSetProperty(k, BCRYPT_HKDF_SALT_AND_FINALIZE, slen ? s : NULL, slen, 0);
    printf(", finalize %08lx\n", st);
    reset();
    if (nlen)
        param(KDF_HKDF_INFO, inf, nlen);
    st = BCryptKeyDerivation(k, &desc, out, outlen, &got, 0);
    printf("  okm %08lx %lu\n", st, got);
    if (!st)
        hex(" ", out, got);
    st = BCryptExportKey(k, NULL, BCRYPT_KEY_DATA_BLOB, blob, sizeof blob, &got, 0);
    BCRYPT_KEY_DATA_BLOB_HEADER *h = (BCRYPT_KEY_DATA_BLOB_HEADER *)blob;
    if (st) {
        printf("  export %08lx\n", st);
    } else {
        /* the data: cbHash (big-endian), the hash's name, the PRK */
        ULONG cbhash = (ULONG)blob[12] << 24 | blob[13] << 16 | blob[14] << 8 | blob[15];
        ULONG prklen = h->cbKeyData - 4 - cbhash;
        printf("  export %08lx magic %08lx version %lu, sizes agree %d\n", st, h->dwMagic,
               h->dwVersion, got == sizeof *h + h->cbKeyData && cbhash < h->cbKeyData);
        hex("  prk", blob + 16 + cbhash, prklen);
    }
    /* a finalized key does not change any more */
    st = BCryptSetProperty(k, BCRYPT_HKDF_SALT_AND_FINALIZE, s, slen, 0);
    printf("  finalize again: %s\n", verdict(st));
    BCryptDestroyKey(k);
}

static void hkdf_tests(void)
{
    BCRYPT_ALG_HANDLE alg;
    WCHAR name[32];
    ULONG got = 0;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, HKDF_ALG, NULL, 0);
    printf("open HKDF: %08lx\n", st);
    st = BCryptGetProperty(alg, BCRYPT_ALGORITHM_NAME, (UCHAR *)name, sizeof name, &got, 0);
    printf("name %08lx %ls\n", st, name);
    const char *ikm1 = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
    hkdf(alg, L"SHA256", ikm1, "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42, FALSE,
         "rfc5869 1");
    hkdf(alg, L"SHA256", ikm1, "", "", 42, FALSE, "rfc5869 3");
    hkdf(HKDF_ALG_HANDLE, L"SHA1", "0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
         "f0f1f2f3f4f5f6f7f8f9", 42, FALSE, "rfc5869 4");
    /* expanding test case 1's PRK */
    hkdf(alg, L"SHA256", "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", "",
         "f0f1f2f3f4f5f6f7f8f9", 42, TRUE, "rfc5869 1 from its prk");

    BCRYPT_KEY_HANDLE k = NULL;
    UCHAR ikm[22], out[8200];
    memset(ikm, 0x0b, sizeof ikm);
    BCryptGenerateSymmetricKey(alg, &k, NULL, 0, ikm, sizeof ikm, 0);
    reset();
    st = BCryptKeyDerivation(k, &desc, out, 32, &got, 0);
    printf("derive before the finalize: %s\n", verdict(st));
    st = BCryptSetProperty(k, BCRYPT_HKDF_SALT_AND_FINALIZE, NULL, 0, 0);
    printf("finalize before the hash: %s\n", verdict(st));
    BCryptSetProperty(k, BCRYPT_HKDF_HASH_ALGORITHM, (UCHAR *)L"SHA256", 14, 0);
    BCryptSetProperty(k, BCRYPT_HKDF_SALT_AND_FINALIZE, NULL, 0, 0);
    st = BCryptKeyDerivation(k, &desc, out, 255 * 32, &got, 0);
    printf("255 digests: %08lx %lu\n", st, got);
    st = BCryptKeyDerivation(k, &desc, out, 255 * 32 + 1, &got, 0);
    printf("one byte more: %s\n", verdict(st));
    BCryptDestroyKey(k);
    BCryptCloseAlgorithmProvider(alg, 0);
}

static void pbkdf2_tests(void)
{
    BCRYPT_ALG_HANDLE alg;
    ULONGLONG it;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_PBKDF2_ALGORITHM, NULL, 0);
    printf("open PBKDF2: %08lx\n", st);
    static const struct {
        const char *pass, *salt;
        ULONG plen, slen;
        ULONGLONG it;
        ULONG out;
    } v[] = {
        {"password", "salt", 8, 4, 1, 20},
        {"password", "salt", 8, 4, 4096, 20},
        {"passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 24, 36, 4096, 25},
        {"pass\0word", "sa\0lt", 9, 5, 4096, 16},
    };
    for (int i = 0; i < 4; i++) {
        char what[32];
        snprintf(what, sizeof what, "rfc6070 %d", i == 0 ? 1 : i == 1 ? 3 : i + 3);
        reset();
        param_hash(BCRYPT_SHA1_ALGORITHM);
        param(KDF_SALT, v[i].salt, v[i].slen);
        it = v[i].it;
        param(KDF_ITERATION_COUNT, &it, sizeof it);
        derive_key(alg, (const UCHAR *)v[i].pass, v[i].plen, v[i].out, what);
    }
    reset(); /* the default count, the salt as the generic parameter, the pseudo-handle */
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_GENERIC_PARAMETER, "salt");
    derive_key(PBKDF2_ALG_HANDLE, (const UCHAR *)"password", 8, 32, "sha256, 10000 iterations");
    reset();
    param_str(KDF_SALT, "salt");
    derive_key(alg, (const UCHAR *)"password", 8, 32, "no hash");
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    derive_key(alg, (const UCHAR *)"password", 8, 32, "no salt (Go's empty salt)");
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_SALT, "salt");
    ULONG it4 = 2;
    param(KDF_ITERATION_COUNT, &it4, sizeof it4);
    derive_key(alg, (const UCHAR *)"password", 8, 32, "4-byte count");
    BCryptCloseAlgorithmProvider(alg, 0);
}

static const char key32[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void sp800_tests(void)
{
    BCRYPT_ALG_HANDLE alg;
    UCHAR k[32];
    unhex(key32, k);
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SP800108_CTR_HMAC_ALGORITHM, NULL, 0);
    printf("open SP800_108_CTR_HMAC: %08lx\n", st);
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_LABEL, "label");
    param_str(KDF_CONTEXT, "context");
    derive_key(alg, k, 32, 42, "sp800-108 sha256");
    reset();
    param_hash(BCRYPT_SHA512_ALGORITHM);
    param(KDF_GENERIC_PARAMETER, "label\0context", 13);
    derive_key(alg, k, 32, 20, "sp800-108 sha512 generic");
    reset();
    param_str(KDF_LABEL, "label");
    param_str(KDF_CONTEXT, "context");
    derive_key(alg, k, 32, 20, "sp800-108 no hash");
    BCryptCloseAlgorithmProvider(alg, 0);

    st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SP80056A_CONCAT_ALGORITHM, NULL, 0);
    printf("open SP800_56A_CONCAT: %08lx\n", st);
    static const UCHAR supp[4] = {0, 0, 1, 0};
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_ALGORITHMID, "A256GCM");
    param_str(KDF_PARTYUINFO, "Alice");
    param_str(KDF_PARTYVINFO, "Bob");
    param(KDF_SUPPPUBINFO, supp, 4);
    derive_key(alg, k, 32, 40, "concat sha256");
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_ALGORITHMID, "A256GCM");
    param_str(KDF_PARTYUINFO, "Alice");
    derive_key(alg, k, 32, 40, "concat without party v");
    BCryptCloseAlgorithmProvider(alg, 0);
}

static void tls_tests(void)
{
    BCRYPT_ALG_HANDLE a11, a12;
    UCHAR secret[48], seed[64];
    for (int i = 0; i < 48; i++)
        secret[i] = (UCHAR)(0x40 + i);
    for (int i = 0; i < 64; i++)
        seed[i] = (UCHAR)(0x80 + i);
    NTSTATUS st = BCryptOpenAlgorithmProvider(&a12, TLS12_ALG, NULL, 0);
    printf("open TLS1_2_KDF: %08lx\n", st);
    st = BCryptOpenAlgorithmProvider(&a11, TLS11_ALG, NULL, 0);
    printf("open TLS1_1_KDF: %08lx\n", st);
    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 64);
    param_hash(BCRYPT_SHA256_ALGORITHM);
    derive_key(a12, secret, 48, 48, "tls 1.2 sha256");
    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 64);
    param_hash(BCRYPT_SHA384_ALGORITHM);
    derive_key(a12, secret, 48, 48, "tls 1.2 sha384");
    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 64);
    derive_key(a12, secret, 48, 48, "tls 1.2 without a hash");
    reset(); /* Go's TLS1PRF leaves an empty label out */
    param(KDF_TLS_PRF_SEED, seed, 64);
    param_hash(BCRYPT_SHA256_ALGORITHM);
    derive_key(a12, secret, 48, 32, "tls 1.2 without a label");
    reset();
    param_str(KDF_TLS_PRF_LABEL, "key expansion");
    param(KDF_TLS_PRF_SEED, seed, 64);
    derive_key(a11, secret, 47, 104, "tls 1.1, 47-byte secret");
    BCryptCloseAlgorithmProvider(a11, 0);
    BCryptCloseAlgorithmProvider(a12, 0);
}

/* BCryptDeriveKey(kdf) with `desc`: the size it asks for, then into cb bytes */
static void derive_secret(BCRYPT_SECRET_HANDLE s, const WCHAR *kdf, ULONG cb, const char *what)
{
    UCHAR out[128];
    ULONG got = 0;
    NTSTATUS st = BCryptDeriveKey(s, kdf, &desc, NULL, 0, &got, 0);
    printf("%s: size %08lx %lu", what, st, st ? 0 : got);
    st = BCryptDeriveKey(s, kdf, &desc, out, cb, &got, 0);
    printf(", derive %08lx %lu\n", st, st ? 0 : got);
    if (!st)
        hex(" ", out, got);
}

static void secret_tests(void)
{
    BCRYPT_KEY_HANDLE ka = NULL, kb = NULL;
    BCRYPT_SECRET_HANDLE s = NULL;
    UCHAR seed[64];
    ULONG v12 = TLS1_2_PROTOCOL_VERSION, v10 = TLS1_PROTOCOL_VERSION, got;
    for (int i = 0; i < 64; i++)
        seed[i] = (UCHAR)(0x80 + i);
    BCryptImportKeyPair(BCRYPT_ECDH_P256_ALG_HANDLE, NULL, BCRYPT_ECCPRIVATE_BLOB, &ka,
                        (UCHAR *)ecdh_p256_a, sizeof ecdh_p256_a, 0);
    BCryptImportKeyPair(BCRYPT_ECDH_P256_ALG_HANDLE, NULL, BCRYPT_ECCPUBLIC_BLOB, &kb,
                        (UCHAR *)ecdh_p256_b, sizeof ecdh_p256_b, 0);
    NTSTATUS st = BCryptSecretAgreement(ka, kb, &s, 0);
    printf("agreement: %08lx\n", st);

    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 64);
    param(KDF_TLS_PRF_PROTOCOL, &v12, 4);
    derive_secret(s, BCRYPT_KDF_TLS_PRF, 48, "tls_prf 1.2");
    derive_secret(s, BCRYPT_KDF_TLS_PRF, 47, "tls_prf 1.2 into 47 bytes");
    param_hash(BCRYPT_SHA384_ALGORITHM);
    derive_secret(s, BCRYPT_KDF_TLS_PRF, 48, "tls_prf 1.2 sha384");
    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 64);
    param(KDF_TLS_PRF_PROTOCOL, &v10, 4);
    derive_secret(s, BCRYPT_KDF_TLS_PRF, 48, "tls_prf 1.0");
    reset();
    param_str(KDF_TLS_PRF_LABEL, "master secret");
    param(KDF_TLS_PRF_SEED, seed, 63);
    param(KDF_TLS_PRF_PROTOCOL, &v12, 4);
    st = BCryptDeriveKey(s, BCRYPT_KDF_TLS_PRF, &desc, seed, 48, &got, 0);
    printf("tls_prf with a 63-byte seed: %s\n", verdict(st));

    static const UCHAR supp[4] = {0, 0, 1, 0};
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_ALGORITHMID, "A256GCM");
    param_str(KDF_PARTYUINFO, "Alice");
    param_str(KDF_PARTYVINFO, "Bob");
    param(KDF_SUPPPUBINFO, supp, 4);
    UCHAR out[64];
    st = BCryptDeriveKey(s, BCRYPT_KDF_SP80056A_CONCAT, &desc, out, 40, &got, 0);
    printf("concat sha256: %08lx %lu\n", st, got);
    hex(" ", out, 40);

    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param_str(KDF_HKDF_SALT, "salt");
    param_str(KDF_HKDF_INFO, "info");
    st = BCryptDeriveKey(s, BCRYPT_KDF_HKDF, &desc, out, 50, &got, 0);
    printf("hkdf sha256: %08lx %lu\n", st, got);
    hex(" ", out, 50);

    /* the documentation's example: prepend 04 05 20 21 22 23, append 01 10 11 12 */
    static const UCHAR v0[1] = {0x01}, v1[2] = {0x04, 0x05}, v2[3] = {0x10, 0x11, 0x12},
                       v3[4] = {0x20, 0x21, 0x22, 0x23};
    reset();
    param_hash(BCRYPT_SHA256_ALGORITHM);
    param(KDF_SECRET_APPEND, v0, 1);
    param(KDF_SECRET_PREPEND, v1, 2);
    param(KDF_SECRET_APPEND, v2, 3);
    param(KDF_SECRET_PREPEND, v3, 4);
    derive_secret(s, BCRYPT_KDF_HASH, 32, "hash, two prepends and two appends");

    BCryptDestroySecret(s);
    BCryptDestroyKey(ka);
    BCryptDestroyKey(kb);
}

int main(void)
{
    hkdf_tests();
    pbkdf2_tests();
    sp800_tests();
    tls_tests();
    secret_tests();
    ULONG got = 0;
    UCHAR out[4];
    NTSTATUS st = BCryptKeyDerivation(NULL, NULL, out, 4, &got, 0);
    printf("derive with a NULL key: %08lx\n", st);
    return 0;
}
