/* bcrypt's CAPI_KDF and SSL 3.0's PRF, against values openssl computes at build time
 * (bcrypt_kdf_capi.gen writes them to bcrypt_kdf_capi\expected.txt):
 * - BCryptKeyDerivation over a key of CAPI_KDF (BCRYPT_CAPI_KDF_ALG_HANDLE and
 *   BCryptOpenAlgorithmProvider(L"CAPI_KDF")), secret "password": CryptDeriveKey's derivation
 *   (Microsoft's CryptDeriveKey page) with SHA-1, MD5 and SHA-256: a key no longer than the
 *   digest is its first bytes, a longer one or any with BCRYPT_CAPI_AES_FLAG ("the key must be
 *   double expanded", BCryptKeyDerivation's page) H(0x36-pad ^ H) || H(0x5c-pad ^ H); no
 *   KDF_HASH_ALGORITHM and more than twice the digest fail (CAPI_KDF's required parameter,
 *   BCryptDeriveKeyCapi's limit). The fixed secret makes these values the same on every build.
 * - BCryptDeriveKey(BCRYPT_KDF_TLS_PRF) of an ECDH P-256 secret (keys made by openssl each
 *   build, so only the comparison is printed): KDF_TLS_PRF_PROTOCOL SSL3_PROTOCOL_VERSION
 *   (RFC 6101's master secret), TLS 1.0 and TLS 1.2 with the "master secret" label (SHA-256,
 *   SHA-384) and the "extended master secret" one (RFC 7627); SSL 2 is not supported; the raw
 *   secret (BCRYPT_KDF_RAW_SECRET, little-endian) is openssl's Z reversed.
 * Not checked on Windows: that CAPI_KDF doubles a SHA-2 digest under BCRYPT_CAPI_AES_FLAG
 * (CryptDeriveKey itself does not for SHA-2), and what BCryptDeriveKey's TLS_PRF does with SSL
 * 3.0 (its page lists the version; ntrun follows RFC 6101 and ignores the label there). Wine
 * 8.0 has neither KDF. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bcrypt_hex.h"

#define FOLDER "bcrypt_kdf_capi"
#ifndef BCRYPT_CAPI_KDF_ALG_HANDLE
#define BCRYPT_CAPI_KDF_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x321)
#endif
#ifndef BCRYPT_ECDH_P256_ALG_HANDLE
#define BCRYPT_ECDH_P256_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x2a1)
#endif
/* schannel.h's versions */
#define SSL2_VERSION 0x0002
#define SSL3_VERSION 0x0300
#define TLS1_0_VERSION 0x0301
#define TLS1_2_VERSION 0x0303

static char expected[4096];

static BYTE *load(const char *name, DWORD *len)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, MAX_PATH);
    while (n && path[n - 1] != '\\' && path[n - 1] != '/')
        n--;
    snprintf(path + n, MAX_PATH - n, FOLDER "\\%s", name);
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    BYTE *buf = calloc(1, 8192);
    *len = 0;
    if (h == INVALID_HANDLE_VALUE || !ReadFile(h, buf, 8191, len, NULL))
        printf("cannot read %s\n", name);
    CloseHandle(h);
    return buf;
}

/* "same as openssl" when p..n is expected.txt's value of `name` */
static const char *compare(const char *name, const UCHAR *p, ULONG n)
{
    char key[64], hexed[1024];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *at = strstr(expected, key);
    for (ULONG i = 0; i < n && i < 500; i++)
        sprintf(hexed + 2 * i, "%02x", p[i]);
    hexed[2 * n] = 0;
    if (!at)
        return "not in expected.txt";
    at += strlen(key);
    return !strncmp(at, hexed, 2 * n) && (at[2 * n] == '\n' || at[2 * n] == '\r')
               ? "same as openssl"
               : "DIFFERS from openssl";
}

static BCryptBuffer bufs[4];
static BCryptBufferDesc desc = {BCRYPTBUFFER_VERSION, 0, bufs};

static void param(ULONG type, const void *p, ULONG n)
{
    bufs[desc.cBuffers].BufferType = type;
    bufs[desc.cBuffers].pvBuffer = (void *)p;
    bufs[desc.cBuffers].cbBuffer = n;
    desc.cBuffers++;
}

/* CAPI_KDF of "password": len bytes with hash `hash` (NULL: none given) and flags */
static void capi(BCRYPT_ALG_HANDLE alg, const WCHAR *hash, ULONG len, ULONG flags,
                 const char *name)
{
    BCRYPT_KEY_HANDLE k = NULL;
    UCHAR out[128];
    ULONG got = 0;
    NTSTATUS st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0, (UCHAR *)"password", 8, 0);
    if (st) {
        printf("%s: key %08lx\n", name, st);
        return;
    }
    desc.cBuffers = 0;
    if (hash)
        param(KDF_HASH_ALGORITHM, hash, (ULONG)(wcslen(hash) + 1) * 2);
    st = BCryptKeyDerivation(k, &desc, out, len, &got, flags);
    printf("%s: %08lx %lu", name, st, st ? 0 : got);
    if (!st)
        printf(" %s\n", compare(name, out, got)), hex(" ", out, got);
    else
        printf("\n");
    BCryptDestroyKey(k);
}

static void capi_tests(void)
{
    BCRYPT_ALG_HANDLE alg = NULL;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, L"CAPI_KDF", NULL, 0);
    printf("open CAPI_KDF: %08lx\n", st);
    capi(alg, L"SHA1", 16, 0, "capi_sha1_16");
    capi(alg, L"SHA1", 16, BCRYPT_CAPI_AES_FLAG, "capi_sha1_16_aes");
    capi(alg, L"SHA1", 20, 0, "capi_sha1_20");
    capi(BCRYPT_CAPI_KDF_ALG_HANDLE, L"SHA1", 32, 0, "capi_sha1_32");
    capi(BCRYPT_CAPI_KDF_ALG_HANDLE, L"SHA1", 40, 0, "capi_sha1_40");
    capi(BCRYPT_CAPI_KDF_ALG_HANDLE, L"SHA1", 41, 0, "SHA1 41 bytes (more than twice)");
    capi(BCRYPT_CAPI_KDF_ALG_HANDLE, NULL, 16, 0, "no KDF_HASH_ALGORITHM");
    capi(alg, L"MD5", 24, 0, "capi_md5_24");
    capi(alg, L"SHA256", 32, 0, "capi_sha256_32");
    capi(alg, L"SHA256", 32, BCRYPT_CAPI_AES_FLAG, "capi_sha256_32_aes");
    capi(alg, L"SHA256", 48, 0, "capi_sha256_48");
    ULONG got = 0;
    UCHAR name[64];
    st = BCryptGetProperty(alg, BCRYPT_ALGORITHM_NAME, name, sizeof name, &got, 0);
    printf("algorithm name: %08lx %ls\n", st, st ? L"" : (WCHAR *)name);
    BCryptCloseAlgorithmProvider(alg, 0);
}

/* BCryptDeriveKey(TLS_PRF) with a protocol version, label and hash (NULL: none) */
static void prf(BCRYPT_SECRET_HANDLE s, ULONG version, const char *label, const WCHAR *hash,
                const char *name)
{
    UCHAR seed[64], out[48];
    ULONG got = 0;
    for (int i = 0; i < 64; i++)
        seed[i] = (UCHAR)(0x80 + i);
    desc.cBuffers = 0;
    param(KDF_TLS_PRF_LABEL, label, (ULONG)strlen(label));
    param(KDF_TLS_PRF_SEED, seed, 64);
    param(KDF_TLS_PRF_PROTOCOL, &version, 4);
    if (hash)
        param(KDF_HASH_ALGORITHM, hash, (ULONG)(wcslen(hash) + 1) * 2);
    NTSTATUS st = BCryptDeriveKey(s, BCRYPT_KDF_TLS_PRF, &desc, out, sizeof out, &got, 0);
    printf("%s: %08lx %lu%s%s\n", name, st, st ? 0 : got, st ? "" : " ",
           st ? "" : compare(name, out, got));
}

static void prf_tests(void)
{
    DWORD alen, blen;
    BYTE *a = load("a.blob", &alen), *b = load("b.blob", &blen);
    BCRYPT_KEY_HANDLE ka = NULL, kb = NULL;
    BCRYPT_SECRET_HANDLE s = NULL;
    NTSTATUS st = BCryptImportKeyPair(BCRYPT_ECDH_P256_ALG_HANDLE, NULL, BCRYPT_ECCPRIVATE_BLOB,
                                      &ka, a, alen, 0);
    printf("import the private key: %08lx\n", st);
    st = BCryptImportKeyPair(BCRYPT_ECDH_P256_ALG_HANDLE, NULL, BCRYPT_ECCPUBLIC_BLOB, &kb, b,
                             blen, 0);
    printf("import the peer's public key: %08lx\n", st);
    st = BCryptSecretAgreement(ka, kb, &s, 0);
    printf("agreement: %08lx\n", st);

    UCHAR raw[32], z[32];
    ULONG got = 0;
    st = BCryptDeriveKey(s, BCRYPT_KDF_RAW_SECRET, NULL, raw, sizeof raw, &got, 0);
    for (ULONG i = 0; i < got && i < 32; i++)
        z[i] = raw[got - 1 - i];
    printf("raw secret, reversed: %08lx %lu %s\n", st, got, compare("z", z, got));

    prf(s, SSL3_VERSION, "master secret", NULL, "ssl3");
    prf(s, TLS1_0_VERSION, "master secret", NULL, "tls10");
    prf(s, TLS1_2_VERSION, "master secret", NULL, "tls12");
    prf(s, TLS1_2_VERSION, "master secret", BCRYPT_SHA384_ALGORITHM, "tls12_384");
    prf(s, TLS1_2_VERSION, "extended master secret", NULL, "tls12_ems");
    prf(s, SSL2_VERSION, "master secret", NULL, "ssl2");
    BCryptDestroySecret(s);
    BCryptDestroyKey(ka);
    BCryptDestroyKey(kb);
    free(a);
    free(b);
}

int main(void)
{
    DWORD n;
    BYTE *e = load("expected.txt", &n);
    expected[0] = '\n';
    memcpy(expected + 1, e, n < sizeof expected - 2 ? n : sizeof expected - 2);
    free(e);
    capi_tests();
    prf_tests();
    return 0;
}
