/* bcrypt's Diffie-Hellman ("DH") over RFC 7919's ffdhe2048 group (p from `openssl genpkey
 * -genparam -algorithm DH -pkeyopt group:ffdhe2048`, g = 2) and two fixed private exponents:
 * Alice's private blob ("DHPV": p, g, y, x) and Bob's public blob ("DHPB") imported, their
 * secret as BCRYPT_KDF_RAW_SECRET (Z little-endian, as Windows gives every secret) and through
 * BCRYPT_KDF_HASH (SHA-256 of Z), both computed by Python's pow() and hashlib; the group back
 * from BCryptGetProperty(BCRYPT_DH_PARAMETERS), the public blob exported; a key generated with
 * BCryptSetProperty(BCRYPT_DH_PARAMETERS) agrees with Bob's either way; duplicated keys; keys of
 * 512, 1024 and 1536 bits finalized without parameters get a group of their own (Windows' and
 * ntrun's groups differ from run to run: the output shows their form, that a second key given
 * the group agrees with the first and that the private blob imports again). Errors:
 * a group of another length or magic, a y that is not Alice's x's,
 * signing with a DH key, an agreement of DH with ECDH, a length that is no multiple of 64. Where
 * Windows' exact status is not documented the output says only that the call fails. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

#define DH_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x281)
#ifndef BCRYPT_ECDH_P256_ALG_HANDLE
#define BCRYPT_ECDH_P256_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x2a1)
#endif

static const char p_hex[] =
    "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695a9e13641146433fb"
    "cc939dce249b3ef97d2fe363630c75d8f681b202aec4617ad3df1ed5d5fd65612433f51f5f066ed0"
    "856365553ded1af3b557135e7f57c935984f0c70e0e68b77e2a689daf3efe8721df158a136ade735"
    "30acca4f483a797abc0ab182b324fb61d108a94bb2c8e3fbb96adab760d7f4681d4f42a3de394df4"
    "ae56ede76372bb190b07a7c8ee0a6d709e02fce1cdf7e2ecc03404cd28342f619172fe9ce98583ff"
    "8e4f1232eef28183c3fe3b1b4c6fad733bb5fcbc2ec22005c58ef1837d1683b2c6f34a26c1b2effa"
    "886b423861285c97ffffffffffffffff";
static const char ya_hex[] =
    "ddefe0ec00dac8e0a562098f417fdc47cd3ad99b434880b5b7290a50677a1b525184a207f9035e7a"
    "582e30049650f2f1e4049c92a8d4f2ebe1e10632e3d97f8545e9f9517d4934c018ee7b24d803a8d1"
    "ad34ee1b8467551d42bd151ad1ba95cf1ccf1919e77d5e6554d4cf383125c6a8ee6feac1f6c088e4"
    "d2a98dc30094e4f261024169ffb81c4b41596ae9d1ad4c1c36045e9934c84576e3ef01a4611bbc29"
    "999957d3ea0235428db62f1d10fdfee9d96421a6c3c38203a479b1b4d5f5aca8dac7827e28a26493"
    "7b429252d2db55477eaaad29e3b77bd50ee08689935af0f8b1c17947a3af698275de99b796870bf4"
    "f6501932dc7ab60e152e7012381e4e41";
static const char xa_hex[] =
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000b91f91c6cf411e6a"
    "c326dd18905e1963addf3ae66fc8a3bcc851b7650d1af429b91f91c6cf411e6ac326dd18905e1963"
    "addf3ae66fc8a3bcc851b7650d1af429";
static const char yb_hex[] =
    "de044e9cb3edf40430c9c914d84a9600505f4790526580ca2900002dcf01df2bfb78ae17e01447ba"
    "6b0ca591f6f13effc74e0792b82833b8adf4e34f2421d43d12a5f14af76d0d28266ef12cec6b679f"
    "580d431c2e48a55f1ba6f535b535b04d56c876b3f9d0e1fcc75e3b3b84c7a5628b752d403b9a20d6"
    "4b13d5c83e0a46daead00381b283e8eab9ccee5640e8d62845f6eb09589d311948ee5eb793099a26"
    "102b77e09a169ddb4c2d94f6376a6d23ffeef305d8392e8018e82a2f0960f619111328e04ec6f714"
    "99412c31cfe059c0471eae828197bf796417f2fe9ecbe4caf06d2cfe1f5c8ff71991c0f34a9a349b"
    "0665bee99ea15ba0d8f2957c1e62b6ad";
static const char xb_hex[] =
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000009310b3dc2048a8f8"
    "5d8dfba8800dc07cf73b62d15a2d3d2ed0897368b220cdff9310b3dc2048a8f85d8dfba8800dc07c"
    "f73b62d15a2d3d2ed0897368b220cdff";

static UCHAR p[256], g[256], ya[256], xa[256], yb[256], xb[256];

/* A DH key blob: magic, cbKey 256, p, g, y and (x) */
static ULONG key_blob(UCHAR *out, ULONG magic, const UCHAR *y, const UCHAR *x)
{
    BCRYPT_DH_KEY_BLOB h = {magic, 256};
    memcpy(out, &h, sizeof h);
    memcpy(out + 8, p, 256);
    memcpy(out + 8 + 256, g, 256);
    memcpy(out + 8 + 512, y, 256);
    if (x)
        memcpy(out + 8 + 768, x, 256);
    return 8 + (x ? 1024 : 768);
}

/* BCRYPT_DH_PARAMETERS for a key of `bytes` bytes */
static ULONG params(UCHAR *out, ULONG magic, ULONG bytes)
{
    BCRYPT_DH_PARAMETER_HEADER h = {12 + 2 * bytes, magic, bytes};
    memcpy(out, &h, 12);
    memcpy(out + 12, p + 256 - bytes, bytes);
    memcpy(out + 12 + bytes, g + 256 - bytes, bytes);
    return 12 + 2 * bytes;
}

static ULONG raw(BCRYPT_KEY_HANDLE a, BCRYPT_KEY_HANDLE b, UCHAR *out)
{
    BCRYPT_SECRET_HANDLE s = NULL;
    ULONG got = 0;
    NTSTATUS st = BCryptSecretAgreement(a, b, &s, 0);
    if (st)
        return 0;
    BCryptDeriveKey(s, BCRYPT_KDF_RAW_SECRET, NULL, out, 256, &got, 0);
    BCryptDestroySecret(s);
    return got;
}

static const char *verdict(NTSTATUS st) { return st ? "fails" : "succeeds"; }

int main(void)
{
    BCRYPT_ALG_HANDLE alg;
    BCRYPT_KEY_HANDLE alice = NULL, bob = NULL, bobpriv = NULL, k = NULL, k2 = NULL;
    BCRYPT_SECRET_HANDLE s = NULL;
    static UCHAR b[1100], out[1100], z1[256], z2[256];
    ULONG n, got = 0;
    unhex(p_hex, p);
    g[255] = 2;
    unhex(ya_hex, ya);
    unhex(xa_hex, xa);
    unhex(yb_hex, yb);
    unhex(xb_hex, xb);
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_DH_ALGORITHM, NULL, 0);
    printf("open DH: %08lx\n", st);
    n = key_blob(b, BCRYPT_DH_PRIVATE_MAGIC, ya, xa);
    st = BCryptImportKeyPair(alg, NULL, BCRYPT_DH_PRIVATE_BLOB, &alice, b, n, 0);
    printf("import alice's private key: %08lx\n", st);
    n = key_blob(b, BCRYPT_DH_PUBLIC_MAGIC, yb, NULL);
    st = BCryptImportKeyPair(alg, NULL, BCRYPT_DH_PUBLIC_BLOB, &bob, b, n, 0);
    printf("import bob's public key: %08lx\n", st);
    ULONG len = 0;
    st = BCryptGetProperty(alice, BCRYPT_KEY_LENGTH, (UCHAR *)&len, sizeof len, &got, 0);
    printf("key length %08lx %lu\n", st, len);

    st = BCryptSecretAgreement(alice, bob, &s, 0);
    printf("agreement: %08lx\n", st);
    st = BCryptDeriveKey(s, BCRYPT_KDF_RAW_SECRET, NULL, NULL, 0, &got, 0);
    printf("raw secret size %08lx %lu", st, got);
    st = BCryptDeriveKey(s, BCRYPT_KDF_RAW_SECRET, NULL, out, sizeof out, &got, 0);
    printf(", %08lx\n", st);
    hex(" ", out, got);
    BCryptBuffer buf = {sizeof BCRYPT_SHA256_ALGORITHM, KDF_HASH_ALGORITHM,
                        (void *)BCRYPT_SHA256_ALGORITHM};
    BCryptBufferDesc desc = {BCRYPTBUFFER_VERSION, 1, &buf};
    st = BCryptDeriveKey(s, BCRYPT_KDF_HASH, &desc, out, 32, &got, 0);
    printf("hash sha256: %08lx\n", st);
    hex(" ", out, got);
    BCryptDestroySecret(s);

    st = BCryptGetProperty(alice, BCRYPT_DH_PARAMETERS, out, sizeof out, &got, 0);
    BCRYPT_DH_PARAMETER_HEADER *h = (BCRYPT_DH_PARAMETER_HEADER *)out;
    printf("parameters: %08lx %lu, magic %.4s cbLength %lu cbKeyLength %lu, p %d g %d\n", st, got,
           (char *)&h->dwMagic, h->cbLength, h->cbKeyLength, !memcmp(out + 12, p, 256),
           !memcmp(out + 12 + 256, g, 256));
    st = BCryptExportKey(alice, NULL, BCRYPT_DH_PUBLIC_BLOB, out, sizeof out, &got, 0);
    printf("export public: %08lx %lu, magic %.4s cbKey %lu, y %d\n", st, got, (char *)out,
           *(ULONG *)(out + 4), !memcmp(out + 8 + 512, ya, 256));
    st = BCryptExportKey(alice, NULL, BCRYPT_DH_PRIVATE_BLOB, out, sizeof out, &got, 0);
    n = key_blob(b, BCRYPT_DH_PRIVATE_MAGIC, ya, xa);
    printf("export private: %08lx %lu, the blob imported %d\n", st, got,
           got == n && !memcmp(out, b, n));
    st = BCryptExportKey(bob, NULL, BCRYPT_DH_PRIVATE_BLOB, out, sizeof out, &got, 0);
    printf("private blob of a public key: %s\n", verdict(st));

    /* a generated key in the same group */
    n = key_blob(b, BCRYPT_DH_PRIVATE_MAGIC, yb, xb);
    BCryptImportKeyPair(alg, NULL, BCRYPT_DH_PRIVATE_BLOB, &bobpriv, b, n, 0);
    st = BCryptGenerateKeyPair(alg, &k, 2048, 0);
    printf("generate 2048: %08lx", st);
    n = params(b, BCRYPT_DH_PARAMETERS_MAGIC, 256);
    st = BCryptSetProperty(k, BCRYPT_DH_PARAMETERS, b, n, 0);
    printf(", parameters %08lx", st);
    st = BCryptFinalizeKeyPair(k, 0);
    printf(", finalize %08lx\n", st);
    ULONG n1 = raw(k, bobpriv, z1), n2 = raw(bobpriv, k, z2);
    printf("it agrees with bob %d (%lu bytes)\n", n1 == 256 && n1 == n2 && !memcmp(z1, z2, n1),
           n1);
    st = BCryptDuplicateKey(alice, &k2, NULL, 0, 0);
    n1 = raw(k2, bob, z1);
    n2 = raw(bobpriv, alice, z2);
    printf("duplicate: %08lx, agrees %d\n", st, n1 == 256 && n1 == n2 && !memcmp(z1, z2, n1));
    BCryptDestroyKey(k2);
    BCryptDestroyKey(k);

    /* keys finalized without parameters get a group of their own: its form, and a second key
     * given that group agrees with the first */
    static const ULONG lengths[] = {512, 1024, 1536};
    for (int i = 0; i < 3; i++) {
        ULONG bytes = lengths[i] / 8;
        BCryptGenerateKeyPair(alg, &k, lengths[i], 0);
        st = BCryptFinalizeKeyPair(k, 0);
        printf("finalize %lu without parameters: %08lx", lengths[i], st);
        st = BCryptGetProperty(k, BCRYPT_DH_PARAMETERS, b, sizeof b, &got, 0);
        h = (BCRYPT_DH_PARAMETER_HEADER *)b;
        UCHAR *gp = b + 12, *gg = b + 12 + bytes;
        int g_big = 0;
        for (ULONG j = 0; j + 1 < bytes; j++)
            g_big |= gg[j];
        printf(", parameters %08lx %lu, magic %.4s cbKeyLength %lu, p odd with its top bit %d, "
               "g > 1 %d\n", st, got, (char *)&h->dwMagic, h->cbKeyLength,
               (gp[0] & 0x80) && (gp[bytes - 1] & 1), g_big || gg[bytes - 1] > 1);
        BCryptGenerateKeyPair(alg, &k2, lengths[i], 0);
        st = BCryptSetProperty(k2, BCRYPT_DH_PARAMETERS, b, got, 0);
        printf("  a second key in its group: %08lx, finalize %08lx", st,
               BCryptFinalizeKeyPair(k2, 0));
        static UCHAR z3[512], z4[512];
        n1 = raw(k, k2, z3);
        n2 = raw(k2, k, z4);
        printf(", they agree %d (%lu bytes)\n", n1 == bytes && n1 == n2 && !memcmp(z3, z4, n1),
               n1);
        st = BCryptExportKey(k, NULL, BCRYPT_DH_PRIVATE_BLOB, out, sizeof out, &got, 0);
        BCRYPT_KEY_HANDLE k3 = NULL;
        printf("  export private %08lx %lu, imported again %08lx\n", st, got,
               BCryptImportKeyPair(alg, NULL, BCRYPT_DH_PRIVATE_BLOB, &k3, out, got, 0));
        BCryptDestroyKey(k3);
        BCryptDestroyKey(k2);
        BCryptDestroyKey(k);
    }

    /* errors */
    BCryptGenerateKeyPair(alg, &k, 2048, 0);
    n = params(b, BCRYPT_DH_PUBLIC_MAGIC, 256);
    st = BCryptSetProperty(k, BCRYPT_DH_PARAMETERS, b, n, 0);
    printf("parameters with the public magic: %s\n", verdict(st));
    n = params(b, BCRYPT_DH_PARAMETERS_MAGIC, 128);
    st = BCryptSetProperty(k, BCRYPT_DH_PARAMETERS, b, n, 0);
    printf("1024-bit parameters for a 2048-bit key: %s\n", verdict(st));
    BCryptDestroyKey(k);
    st = BCryptGenerateKeyPair(alg, &k, 2000, 0);
    printf("generate 2000 bits: %s\n", verdict(st));
    n = key_blob(b, BCRYPT_DH_PRIVATE_MAGIC, yb, xa);
    st = BCryptImportKeyPair(alg, NULL, BCRYPT_DH_PRIVATE_BLOB, &k, b, n, 0);
    printf("a y that is not x's: %s\n", verdict(st));
    UCHAR hash[32] = {0};
    st = BCryptSignHash(alice, NULL, hash, 32, out, sizeof out, &got, 0);
    printf("sign with a DH key: %s\n", verdict(st));
    BCRYPT_KEY_HANDLE ec = NULL;
    BCryptGenerateKeyPair(BCRYPT_ECDH_P256_ALG_HANDLE, &ec, 256, 0);
    BCryptFinalizeKeyPair(ec, 0);
    st = BCryptSecretAgreement(alice, ec, &s, 0);
    printf("agreement of DH and ECDH: %s\n", verdict(st));
    BCryptDestroyKey(ec);
    st = BCryptGenerateKeyPair(DH_ALG_HANDLE, &k, 1024, 0);
    printf("generate 1024 by pseudo-handle: %08lx\n", st);
    BCryptDestroyKey(k);
    BCryptDestroyKey(alice);
    BCryptDestroyKey(bob);
    BCryptDestroyKey(bobpriv);
    BCryptCloseAlgorithmProvider(alg, 0);
    return 0;
}
