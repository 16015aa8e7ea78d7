/* ncrypt's key storage provider over bcrypt: MS_KEY_STORAGE_PROVIDER opened (its Name, Impl
 * Type), another provider refused; bcrypt_ecc's ECDSA P-256 key imported (Algorithm Name and
 * Group, Length, Export Policy 0, Key Usage), its public blob exported, its private blob refused
 * without plaintext export (NTE_NOT_SUPPORTED, the "requested operation is not supported" .NET
 * users meet), allowed with NCRYPT_DO_NOT_FINALIZE_FLAG + Export Policy + NCryptFinalizeKey;
 * openssl's signature (bcrypt_ecc's) verified, a changed one NTE_BAD_SIGNATURE, a signature made
 * here verified; an ephemeral RSA key created with Length 1024, PKCS#1 sign/verify and OAEP
 * encrypt/decrypt; ECDH between bcrypt_ecc's P-256 keys through NCryptSecretAgreement and
 * NCryptDeriveKey(TRUNCATE): openssl's secret; NCryptIsAlgSupported, NCryptOpenKey of a key that
 * does not exist (NTE_BAD_KEYSET), NCryptFreeObject of a bad handle (NTE_INVALID_HANDLE),
 * properties changed after the finalize. Where Windows' exact status is not documented the
 * output says only that the call fails. */
#include <windows.h>
#include <ncrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

static const char ecdsa_priv_hex[] =
    "45435332200000009a2427fc8c822365e01fad2c627532a36017e08d17efd88416be624b7f29d385"
    "44dd5bcd65346ed09eec7e72de09584b6f14c94d1a76ad60b6bc5d51ffbb197d166d4d9c57bd8698"
    "5d04694ffd199195f3f01ea46fc95163497f46d22d0be175";
static const char ecdsa_sig_hex[] =
    "cec5769c4963e6904e7bea68ba81eb5d080f47f7c2f3faabf9d7258ec41181ad4bb018ca49096b6f"
    "5d7910829ac24d6b72d0e8a148ed4c8426ee03f7fd93585e";
static const char ecdh_a_hex[] =
    "45434b3220000000546971b9672502f5e1a78404e52c1bf1a468c52f95cd1efcac6c534d82bfb77f"
    "cce8b73bea77c867844604e5bd0fcc12666b5d4cc992ab43dece1843be51c9b496b81957d35b25ac"
    "1097eeeaefc9ab1c094439417a637424eb15455d457eb9c1";
static const char ecdh_b_hex[] =
    "45434b3120000000df05831b43a51e297a62b7ca583a52142f472288b8dcc4400eea256a409e84d0"
    "e3e208f648767493851327dfa9819fa64bc6a334f4fc1eec1a627bc5c2b9b060";
static const char ecdh_raw_hex[] =
    "ef84a8212cad4a7c590c263df5a44d924abe6c3b44ec1d6bc4c342484a764379";
static const char hash_hex[] =
    "c3adfe4d47c48053df31697a4d56aa78dd2da14e566d659dd6fc7bfcfa009bc6";

static const char *verdict(SECURITY_STATUS st) { return st ? "fails" : "succeeds"; }

static void show_name(NCRYPT_HANDLE h, const WCHAR *prop)
{
    WCHAR v[64] = {0};
    DWORD got = 0;
    SECURITY_STATUS st = NCryptGetProperty(h, prop, (BYTE *)v, sizeof v, &got, 0);
    printf("  %ls: %08lx %ls\n", prop, (unsigned long)st, st ? L"" : v);
}

static void show_dword(NCRYPT_HANDLE h, const WCHAR *prop)
{
    DWORD v = 0, got = 0;
    SECURITY_STATUS st = NCryptGetProperty(h, prop, (BYTE *)&v, sizeof v, &got, 0);
    printf("  %ls: %08lx %lu (%lu bytes)\n", prop, (unsigned long)st, v, got);
}

int main(void)
{
    NCRYPT_PROV_HANDLE prov = 0, other = 0;
    NCRYPT_KEY_HANDLE k = 0, k2 = 0, rsa = 0, a = 0, b = 0;
    NCRYPT_SECRET_HANDLE s = 0;
    static BYTE blob[512], out[512];
    BYTE hash[32], sig[256];
    DWORD n, got = 0;
    SECURITY_STATUS st = NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0);
    printf("open the software provider: %08lx\n", (unsigned long)st);
    show_name(prov, NCRYPT_NAME_PROPERTY);
    show_dword(prov, NCRYPT_IMPL_TYPE_PROPERTY);
    st = NCryptOpenStorageProvider(&other, L"No Such Key Storage Provider", 0);
    printf("open another provider: %s\n", verdict(st));

    n = unhex(ecdsa_priv_hex, blob);
    unhex(hash_hex, hash);
    st = NCryptImportKey(prov, 0, BCRYPT_ECCPRIVATE_BLOB, NULL, &k, blob, n, 0);
    printf("import ECDSA P-256: %08lx, a key handle %d\n", (unsigned long)st,
           NCryptIsKeyHandle(k));
    show_name(k, NCRYPT_ALGORITHM_PROPERTY);
    show_name(k, NCRYPT_ALGORITHM_GROUP_PROPERTY);
    show_dword(k, NCRYPT_LENGTH_PROPERTY);
    show_dword(k, NCRYPT_EXPORT_POLICY_PROPERTY);
    st = NCryptExportKey(k, 0, BCRYPT_ECCPUBLIC_BLOB, NULL, out, sizeof out, &got, 0);
    printf("export public: %08lx %lu, magic %.4s, the point %d\n", (unsigned long)st, got,
           (char *)out, got == 72 && !memcmp(out + 8, blob + 8, 64));
    st = NCryptExportKey(k, 0, BCRYPT_ECCPRIVATE_BLOB, NULL, out, sizeof out, &got, 0);
    printf("export private: %08lx\n", (unsigned long)st);
    DWORD policy = NCRYPT_ALLOW_EXPORT_FLAG | NCRYPT_ALLOW_PLAINTEXT_EXPORT_FLAG;
    st = NCryptSetProperty(k, NCRYPT_EXPORT_POLICY_PROPERTY, (BYTE *)&policy, 4, 0);
    printf("export policy after the finalize: %s\n", verdict(st));

    unhex(ecdsa_sig_hex, sig);
    st = NCryptVerifySignature(k, NULL, hash, 32, sig, 64, 0);
    printf("verify openssl's: %08lx\n", (unsigned long)st);
    sig[7] ^= 1;
    st = NCryptVerifySignature(k, NULL, hash, 32, sig, 64, 0);
    printf("verify a changed signature: %08lx\n", (unsigned long)st);
    st = NCryptSignHash(k, NULL, hash, 32, NULL, 0, &got, 0);
    printf("signature size: %08lx %lu", (unsigned long)st, got);
    st = NCryptSignHash(k, NULL, hash, 32, sig, sizeof sig, &got, NCRYPT_SILENT_FLAG);
    printf(", sign %08lx %lu", (unsigned long)st, got);
    st = NCryptVerifySignature(k, NULL, hash, 32, sig, got, 0);
    printf(", verify %08lx\n", (unsigned long)st);

    st = NCryptImportKey(prov, 0, BCRYPT_ECCPRIVATE_BLOB, NULL, &k2, blob, n,
                         NCRYPT_DO_NOT_FINALIZE_FLAG);
    printf("import, not finalized: %08lx", (unsigned long)st);
    st = NCryptSignHash(k2, NULL, hash, 32, sig, sizeof sig, &got, 0);
    printf(", sign before the finalize %s", verdict(st));
    st = NCryptSetProperty(k2, NCRYPT_EXPORT_POLICY_PROPERTY, (BYTE *)&policy, 4, 0);
    printf(", export policy %08lx", (unsigned long)st);
    st = NCryptFinalizeKey(k2, 0);
    printf(", finalize %08lx\n", (unsigned long)st);
    st = NCryptExportKey(k2, 0, BCRYPT_ECCPRIVATE_BLOB, NULL, out, sizeof out, &got, 0);
    printf("export private: %08lx %lu, the blob imported %d\n", (unsigned long)st, got,
           got == n && !memcmp(out, blob, n));
    NCryptFreeObject(k2);
    NCryptFreeObject(k);

    /* an ephemeral RSA key */
    st = NCryptCreatePersistedKey(prov, &rsa, NCRYPT_RSA_ALGORITHM, NULL, 0, 0);
    printf("create RSA: %08lx", (unsigned long)st);
    DWORD len = 1024;
    st = NCryptSetProperty(rsa, NCRYPT_LENGTH_PROPERTY, (BYTE *)&len, 4, 0);
    printf(", length %08lx", (unsigned long)st);
    st = NCryptFinalizeKey(rsa, 0);
    printf(", finalize %08lx\n", (unsigned long)st);
    show_dword(rsa, NCRYPT_LENGTH_PROPERTY);
    show_name(rsa, NCRYPT_ALGORITHM_GROUP_PROPERTY);
    BCRYPT_PKCS1_PADDING_INFO pk = {BCRYPT_SHA256_ALGORITHM};
    st = NCryptSignHash(rsa, &pk, hash, 32, sig, sizeof sig, &got, NCRYPT_PAD_PKCS1_FLAG);
    printf("pkcs1 sign: %08lx %lu", (unsigned long)st, got);
    st = NCryptVerifySignature(rsa, &pk, hash, 32, sig, got, NCRYPT_PAD_PKCS1_FLAG);
    printf(", verify %08lx\n", (unsigned long)st);
    BCRYPT_OAEP_PADDING_INFO oaep = {BCRYPT_SHA1_ALGORITHM, NULL, 0};
    BYTE msg[] = "ncrypt OAEP", dec[128];
    st = NCryptEncrypt(rsa, msg, sizeof msg, &oaep, out, sizeof out, &got, NCRYPT_PAD_OAEP_FLAG);
    printf("oaep encrypt: %08lx %lu", (unsigned long)st, got);
    DWORD got2 = 0;
    st = NCryptDecrypt(rsa, out, got, &oaep, dec, sizeof dec, &got2, NCRYPT_PAD_OAEP_FLAG);
    printf(", decrypt %08lx %lu \"%s\"\n", (unsigned long)st, got2, st ? "" : (char *)dec);
    st = NCryptSetProperty(rsa, NCRYPT_LENGTH_PROPERTY, (BYTE *)&len, 4, 0);
    printf("length after the finalize: %s\n", verdict(st));
    NCryptFreeObject(rsa);

    /* ECDH */
    n = unhex(ecdh_a_hex, blob);
    st = NCryptImportKey(prov, 0, BCRYPT_ECCPRIVATE_BLOB, NULL, &a, blob, n, 0);
    printf("import ECDH P-256 a: %08lx", (unsigned long)st);
    n = unhex(ecdh_b_hex, blob);
    st = NCryptImportKey(prov, 0, BCRYPT_ECCPUBLIC_BLOB, NULL, &b, blob, n, 0);
    printf(", b %08lx\n", (unsigned long)st);
    show_name(a, NCRYPT_ALGORITHM_PROPERTY);
    st = NCryptSecretAgreement(a, b, &s, 0);
    printf("agreement: %08lx", (unsigned long)st);
    BYTE want[32];
    unhex(ecdh_raw_hex, want);
    st = NCryptDeriveKey(s, BCRYPT_KDF_RAW_SECRET, NULL, out, sizeof out, &got, 0);
    printf(", raw secret %08lx %lu, openssl's %d\n", (unsigned long)st, got,
           got == 32 && !memcmp(out, want, 32));
    NCryptFreeObject(s);
    NCryptFreeObject(a);
    NCryptFreeObject(b);

    st = NCryptIsAlgSupported(prov, NCRYPT_ECDSA_P384_ALGORITHM, 0);
    printf("ECDSA_P384 supported: %08lx\n", (unsigned long)st);
    st = NCryptIsAlgSupported(prov, L"NO_SUCH_ALGORITHM", 0);
    printf("NO_SUCH_ALGORITHM supported: %08lx\n", (unsigned long)st);
    st = NCryptOpenKey(prov, &k, L"ntrun test key that does not exist", 0, 0);
    printf("open a key that does not exist: %08lx\n", (unsigned long)st);
    st = NCryptFreeObject(0);
    printf("free a NULL handle: %08lx\n", (unsigned long)st);
    st = NCryptFreeObject(prov);
    printf("free the provider: %08lx\n", (unsigned long)st);
    return 0;
}
