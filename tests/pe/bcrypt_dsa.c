/* bcrypt's DSA: a FIPS 186-2 key (1024 bits, q of 160, BCRYPT_DSA_KEY_BLOB "DSPV"/"DSPB") and
 * a FIPS 186-3 key (2048 bits, q of 256, BCRYPT_DSA_KEY_BLOB_V2 "DPV2"/"DPB2"), made by
 * `openssl genpkey -algorithm DSA` and imported with Count and Seed all 0xff (as Go's crypto/dsa
 * through CNG passes them), openssl's signatures (`openssl dgst -sha1|-sha256 -sign`, the DER
 * pair turned into r||s) of "ntrun bcrypt DSA test" verified, a changed one refused, signatures
 * made here verified; the exported public blob is the imported one; BCRYPT_DSA_PARAMETERS and
 * SignatureLength; a 1024-bit key generated with new parameters, a 2048-bit one in the
 * openssl group set by BCryptSetProperty(BCRYPT_DSA_PARAMETERS). Errors: a hash of another
 * length than q (Windows' rule), a y that is not x's, parameters with another magic, padding
 * flags. Where Windows' exact status is not documented the output says only that the call
 * fails. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

#ifndef BCRYPT_DSA_PUBLIC_MAGIC_V2
#define BCRYPT_DSA_PUBLIC_MAGIC_V2 0x32425044
#define BCRYPT_DSA_PRIVATE_MAGIC_V2 0x32565044
#define BCRYPT_DSA_PARAMETERS_MAGIC_V2 0x324d5044
#endif

static const char k1024_p[] =
    "9da963246d6035472a1894dc976a234391886abe5bc083eb4c223655e4461ae3789fb81a4a0fb17f"
    "0e41ea40689e26f719be16304a08c5170a6aa9e96ab8c77b168a1d6bbcc5a8701ce7ecdc840ae26b"
    "80747fc3c40ced52880f6047c5985b1d3bdc10e86cacb94369baada6dd19bc6bb56c74af7b8fca15"
    "5e702664a41b7469";
static const char k1024_q[] =
    "8a782b70971425ad60bdeb1953f2a3cc679b4325";
static const char k1024_g[] =
    "3105668b2b6980436c1da243f66c9e27c13ef5c5e2adf71fbe63c576b3b2942850510135043f808a"
    "6dbd5f5caad972f29871533c2cc8d4cbe4b4953b6eb8a482f9a0cdedb636d7bb1ca597ed2cae2584"
    "cdb133f29bb641ba721b6e8f868fafbd4f6fb2ed74f9ae7c4261c75c24143e89d91535c76d7c1270"
    "ef757b5aab404ba3";
static const char k1024_y[] =
    "4de9150c63100459c74b0cde9f316805741a5d2c5c910b8dbb9f1ec8d3027f3aad1ff0ec6683b8c3"
    "6cfde405caf7048a0bc3246981c10babd944549aec2cc910255447025c4b628b694c202902905f8a"
    "684757aa9497068737c595a0c816c4c583ed2075c709089cdfc7782b149e1944c1531a091399e420"
    "4bceda56b99eea1f";
static const char k1024_x[] =
    "1946915225ed6171df6913deb530075d555d8084";
static const char k1024_sig[] =
    "73df2b81355b6eba5944aae1e4cc73a467b4bd3569f8d9f5f27c8e402e9a2ab35d1bb615da89f8d5";
static const char k1024_hash[] =
    "1fdbbb4ff679ba7aeaa151f35abcadc1683ca354";
static const char k2048_p[] =
    "eefe7af867ecac1c960e118d69aa21364f5dec88c0472e858c0b4c538f028cee11927c1eaecfb473"
    "44a4e7f818dcfd7be71c3cf133f9b32769a05914b5292ea25d7e0d1273fdd0c1ac5c30655dc52f99"
    "9a1b53f940057a3df9f3b8560fba6aaefc7a3071d4b7309c432aa3a767bfbaf20fc326d4af87a3c0"
    "af01853cf91ebef5664afcc327d554cdca05d774f663ae517393d6bcdac7868e0de87c66b855c646"
    "1297f29c2d44965fbc52c9ebe2754ce4fc3e1d279880574ba96f23165229e2eec33f6abe3ce9dc5d"
    "a9d8c62e552e0bd69317ad6a4691f390efe1cab390a6b90b2200f6a9abf67e54b7e3aa598ecb17ec"
    "f1e02bd2e87dfc25c59bf0697cd13081";
static const char k2048_q[] =
    "c6d981de1e57695e760e075f7c5da2a36730f7cb65f3e5146f7cae83c9c06aed";
static const char k2048_g[] =
    "01b3b8a8c01ed870c73f52c3d52c22700d71a92500cb551b0a5cb752f5cbf96fdf066945382460bf"
    "c3f41291aee475ca445466d56f12b748003136fcfe2b32e5add4b98e0798260880d528a55189b746"
    "0445d2cacbde87a2275a7b13f229427e04aa0b20e7fd3dc9e4f948b6a906ca262afd396f06dc1477"
    "e53c1d78d2cbfc7660fb3c1d266f14c113b87a1d52d0b96bba9377c017d8ab6feccd03da8f48aa46"
    "281c17e8dbd085cb5cb181a378bd93014c39955ce21923ab0866608dfb271d5a5e9e6bbb28af9657"
    "b35b29b45d30095e292bf2912e3e1b6fcd01eca7d483c50ea9cb60e55dae7d36357685d811b9b5dd"
    "cfb3766b9cb26b72b66bff8afe2b8d71";
static const char k2048_y[] =
    "beb70f0412691496fef92ef5a33f396ab32cddd8b2ce07856cad89e98fa87d684f080e5e26de83c6"
    "f5437285257de37c8dd27b82e13d56b329d76f0f7298d7d837834c82b5d7cd529d4f40635d52b211"
    "290bb220092a460e99c9c13919d65624f7bd1cd0b2bd8eaf2b047516d803628495094c18f1fe94b3"
    "ea0a791f1c8df693515c404e275937da281cd17052ef3d40448b74972b5c7a7cfc9f0f605f12c3a0"
    "7706ad0ce982a35425a5bbc633a3e6ff2e0f4feae8b3b198ddbab8e15d2f7c5319443fc123618476"
    "56906375d14aab8dcffe6b2c04e393f42084c2e5fd608b7bb7dd02ef3ba877125bc263d5d702359e"
    "d4ffeb4cbff5387394565b9eda7aa879";
static const char k2048_x[] =
    "025a0f743e8351bb97c7c21ae8076072f726f591d1b882fcfd890ef0fe2c5894";
static const char k2048_sig[] =
    "0fe14620b813e89165776aa5aa6b2d0ab0a2306196ab8d16033b7b8127b5ef0c9817019417c4394a"
    "073b04dacc9a0231ac58712efdbf3210595581a71110cc9f";
static const char k2048_hash[] =
    "536c98192623134a031fbee149ae3ee6bbbeafff09577d028197ea973cfe9050";

typedef struct {
    ULONG bits, n, q;
    UCHAR p[256], qv[32], g[256], y[256], x[32], sig[64], hash[32];
} key;

static void load(key *k, ULONG bits, const char *p, const char *q, const char *g, const char *y,
                 const char *x, const char *sig, const char *hash)
{
    k->bits = bits;
    k->n = unhex(p, k->p);
    k->q = unhex(q, k->qv);
    unhex(g, k->g);
    unhex(y, k->y);
    unhex(x, k->x);
    unhex(sig, k->sig);
    unhex(hash, k->hash);
}

/* A key blob (v1 up to 1024 bits, v2 above); the private one with x */
static ULONG blob(const key *k, UCHAR *out, BOOL priv)
{
    UCHAR *p = out;
    if (k->bits <= 1024) {
        BCRYPT_DSA_KEY_BLOB h;
        h.dwMagic = priv ? BCRYPT_DSA_PRIVATE_MAGIC : BCRYPT_DSA_PUBLIC_MAGIC;
        h.cbKey = k->n;
        memset(h.Count, 0xff, 4);
        memset(h.Seed, 0xff, 20);
        memcpy(h.q, k->qv, 20);
        memcpy(p, &h, sizeof h);
        p += sizeof h;
    } else {
        BCRYPT_DSA_KEY_BLOB_V2 h;
        h.dwMagic = priv ? BCRYPT_DSA_PRIVATE_MAGIC_V2 : BCRYPT_DSA_PUBLIC_MAGIC_V2;
        h.cbKey = k->n;
        h.hashAlgorithm = DSA_HASH_ALGORITHM_SHA256;
        h.standardVersion = DSA_FIPS186_3;
        h.cbSeedLength = k->q;
        h.cbGroupSize = k->q;
        memset(h.Count, 0xff, 4);
        memcpy(p, &h, sizeof h);
        p += sizeof h;
        memset(p, 0xff, k->q);
        memcpy(p + k->q, k->qv, k->q);
        p += 2 * k->q;
    }
    memcpy(p, k->p, k->n);
    memcpy(p + k->n, k->g, k->n);
    memcpy(p + 2 * k->n, k->y, k->n);
    p += 3 * k->n;
    if (priv) {
        memcpy(p, k->x, k->q);
        p += k->q;
    }
    return (ULONG)(p - out);
}

/* BCRYPT_DSA_PARAMETERS of the key's group (v2: the 2048-bit key) */
static ULONG params(const key *k, UCHAR *out, ULONG magic)
{
    BCRYPT_DSA_PARAMETER_HEADER_V2 h;
    h.cbLength = sizeof h + 2 * k->q + 2 * k->n;
    h.dwMagic = magic;
    h.cbKeyLength = k->n;
    h.hashAlgorithm = DSA_HASH_ALGORITHM_SHA256;
    h.standardVersion = DSA_FIPS186_3;
    h.cbSeedLength = k->q;
    h.cbGroupSize = k->q;
    memset(h.Count, 0xff, 4);
    memcpy(out, &h, sizeof h);
    UCHAR *p = out + sizeof h;
    memset(p, 0xff, k->q);
    memcpy(p + k->q, k->qv, k->q);
    memcpy(p + 2 * k->q, k->p, k->n);
    memcpy(p + 2 * k->q + k->n, k->g, k->n);
    return h.cbLength;
}

static const char *verdict(NTSTATUS st) { return st ? "fails" : "succeeds"; }

static void test_key(BCRYPT_ALG_HANDLE alg, const key *k)
{
    static UCHAR b[1200], out[1200];
    UCHAR sig[64];
    ULONG n, got = 0, v = 0;
    BCRYPT_KEY_HANDLE priv = NULL, pub = NULL;
    printf("%lu-bit key:\n", k->bits);
    n = blob(k, b, TRUE);
    NTSTATUS st = BCryptImportKeyPair(alg, NULL, BCRYPT_DSA_PRIVATE_BLOB, &priv, b, n, 0);
    printf("  import private: %08lx\n", st);
    n = blob(k, b, FALSE);
    st = BCryptImportKeyPair(alg, NULL, BCRYPT_DSA_PUBLIC_BLOB, &pub, b, n, 0);
    printf("  import public: %08lx\n", st);
    st = BCryptGetProperty(pub, BCRYPT_KEY_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("  key length %08lx %lu", st, v);
    st = BCryptGetProperty(priv, BCRYPT_SIGNATURE_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf(", signature length %08lx %lu\n", st, v);
    st = BCryptVerifySignature(pub, NULL, (UCHAR *)k->hash, k->q, (UCHAR *)k->sig, 2 * k->q, 0);
    printf("  verify openssl's: %08lx\n", st);
    memcpy(sig, k->sig, 2 * k->q);
    sig[3] ^= 1;
    st = BCryptVerifySignature(pub, NULL, (UCHAR *)k->hash, k->q, sig, 2 * k->q, 0);
    printf("  verify a changed signature: %08lx\n", st);
    st = BCryptSignHash(priv, NULL, (UCHAR *)k->hash, k->q, NULL, 0, &got, 0);
    printf("  signature size %08lx %lu", st, got);
    st = BCryptSignHash(priv, NULL, (UCHAR *)k->hash, k->q, sig, sizeof sig, &got, 0);
    printf(", sign %08lx %lu", st, got);
    st = BCryptVerifySignature(pub, NULL, (UCHAR *)k->hash, k->q, sig, got, 0);
    printf(", verify it %08lx\n", st);
    st = BCryptSignHash(priv, NULL, (UCHAR *)k->hash, k->q - 1, sig, sizeof sig, &got, 0);
    printf("  sign a shorter hash: %s\n", verdict(st));
    st = BCryptVerifySignature(pub, NULL, (UCHAR *)k->hash, k->q - 1, sig, 2 * k->q, 0);
    printf("  verify a shorter hash: %s\n", verdict(st));
    BCRYPT_PKCS1_PADDING_INFO pk = {BCRYPT_SHA1_ALGORITHM};
    st = BCryptSignHash(priv, &pk, (UCHAR *)k->hash, k->q, sig, sizeof sig, &got,
                        BCRYPT_PAD_PKCS1);
    printf("  sign with pkcs1 padding: %s\n", verdict(st));
    st = BCryptExportKey(priv, NULL, BCRYPT_DSA_PUBLIC_BLOB, out, sizeof out, &got, 0);
    printf("  export public: %08lx %lu, the blob imported %d\n", st, got,
           got == n && !memcmp(out, b, n));
    n = blob(k, b, TRUE);
    st = BCryptExportKey(priv, NULL, BCRYPT_DSA_PRIVATE_BLOB, out, sizeof out, &got, 0);
    printf("  export private: %08lx %lu, the blob imported %d\n", st, got,
           got == n && !memcmp(out, b, n));
    st = BCryptGetProperty(priv, BCRYPT_DSA_PARAMETERS, out, sizeof out, &got, 0);
    printf("  parameters: %08lx %lu, magic %.4s\n", st, got, (char *)out + 4);
    BCryptDestroyKey(priv);
    BCryptDestroyKey(pub);
}

int main(void)
{
    static key k1, k2;
    static UCHAR b[1200], out[1200];
    UCHAR sig[64];
    ULONG n, got = 0;
    BCRYPT_ALG_HANDLE alg;
    BCRYPT_KEY_HANDLE k = NULL;
    load(&k1, 1024, k1024_p, k1024_q, k1024_g, k1024_y, k1024_x, k1024_sig, k1024_hash);
    load(&k2, 2048, k2048_p, k2048_q, k2048_g, k2048_y, k2048_x, k2048_sig, k2048_hash);
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_DSA_ALGORITHM, NULL, 0);
    printf("open DSA: %08lx\n", st);
    BCRYPT_KEY_LENGTHS_STRUCT kl = {0};
    st = BCryptGetProperty(alg, BCRYPT_KEY_LENGTHS, (UCHAR *)&kl, sizeof kl, &got, 0);
    printf("key lengths: %08lx %lu..%lu step %lu\n", st, kl.dwMinLength, kl.dwMaxLength,
           kl.dwIncrement);
    test_key(alg, &k1);
    test_key(alg, &k2);

    /* generated keys */
    st = BCryptGenerateKeyPair(alg, &k, 1024, 0);
    printf("generate 1024: %08lx", st);
    st = BCryptFinalizeKeyPair(k, 0);
    printf(", finalize %08lx", st);
    st = BCryptExportKey(k, NULL, BCRYPT_DSA_PUBLIC_BLOB, out, sizeof out, &got, 0);
    printf(", public blob %08lx %lu magic %.4s", st, got, (char *)out);
    st = BCryptSignHash(k, NULL, k1.hash, 20, sig, sizeof sig, &got, 0);
    printf(", sign %08lx %lu", st, got);
    st = BCryptVerifySignature(k, NULL, k1.hash, 20, sig, got, 0);
    printf(", verify %08lx\n", st);
    BCryptDestroyKey(k);
    st = BCryptGenerateKeyPair(alg, &k, 2048, 0);
    printf("generate 2048: %08lx", st);
    n = params(&k2, b, BCRYPT_DSA_PARAMETERS_MAGIC_V2);
    st = BCryptSetProperty(k, BCRYPT_DSA_PARAMETERS, b, n, 0);
    printf(", parameters %08lx", st);
    st = BCryptFinalizeKeyPair(k, 0);
    printf(", finalize %08lx", st);
    st = BCryptGetProperty(k, BCRYPT_DSA_PARAMETERS, out, sizeof out, &got, 0);
    printf(", parameters back %08lx, the same %d", st, got == n && !memcmp(out, b, n));
    st = BCryptSignHash(k, NULL, k2.hash, 32, sig, sizeof sig, &got, 0);
    printf(", sign %08lx %lu", st, got);
    st = BCryptVerifySignature(k, NULL, k2.hash, 32, sig, got, 0);
    printf(", verify %08lx\n", st);
    BCryptDestroyKey(k);

    /* errors */
    BCryptGenerateKeyPair(alg, &k, 2048, 0);
    n = params(&k2, b, BCRYPT_DSA_PUBLIC_MAGIC_V2);
    st = BCryptSetProperty(k, BCRYPT_DSA_PARAMETERS, b, n, 0);
    printf("parameters with a key blob's magic: %s\n", verdict(st));
    BCryptDestroyKey(k);
    n = blob(&k1, b, TRUE);
    b[n - 21] ^= 1; /* y's last byte */
    st = BCryptImportKeyPair(alg, NULL, BCRYPT_DSA_PRIVATE_BLOB, &k, b, n, 0);
    printf("a y that is not x's: %s\n", verdict(st));
    st = BCryptGenerateKeyPair(alg, &k, 1000, 0);
    printf("generate 1000 bits: %s\n", verdict(st));
    BCryptCloseAlgorithmProvider(alg, 0);
    return 0;
}
