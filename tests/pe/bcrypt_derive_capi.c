/* bcrypt's BCryptDeriveKeyCapi: CryptDeriveKey's derivation from a finished hash. A key no
 * longer than the digest is the digest's first bytes; a longer one, up to twice the digest, the
 * first bytes of H(0x36-pad ^ digest) || H(0x5c-pad ^ digest) with 64-byte pads (Microsoft's
 * CryptDeriveKey page); longer than twice is STATUS_INVALID_PARAMETER (the BCryptDeriveKeyCapi
 * page). Hashes of "password" with SHA1, SHA256 and MD5 and an HMAC-SHA1 hash keyed "key"
 * (not expanded: how Windows expands an HMAC's digest is not known; ntrun uses the plain hash,
 * Wine 8.0 something else). Expected bytes: Python's hashlib/hmac computing the same
 * construction; Wine 8.0 prints the same. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include "bcrypt_hex.h"

static void derive(LPCWSTR alg_name, const char *name, ULONG flags, ULONG len)
{
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE h = NULL;
    UCHAR key[160];
    BCryptOpenAlgorithmProvider(&alg, alg_name, NULL, flags);
    BCryptCreateHash(alg, &h, NULL, 0, flags ? (UCHAR *)"key" : NULL, flags ? 3 : 0, 0);
    BCryptHashData(h, (UCHAR *)"password", 8, 0);
    NTSTATUS st = BCryptDeriveKeyCapi(h, NULL, key, len, 0);
    printf("%s %lu: %08lx\n", name, len, st);
    if (!st)
        hex(" ", key, len);
    BCryptDestroyHash(h);
    BCryptCloseAlgorithmProvider(alg, 0);
}

int main(void)
{
    derive(BCRYPT_SHA1_ALGORITHM, "sha1", 0, 16);
    derive(BCRYPT_SHA1_ALGORITHM, "sha1", 0, 20);
    derive(BCRYPT_SHA1_ALGORITHM, "sha1", 0, 32);
    derive(BCRYPT_SHA1_ALGORITHM, "sha1", 0, 40);
    derive(BCRYPT_SHA1_ALGORITHM, "sha1", 0, 41);
    derive(BCRYPT_SHA256_ALGORITHM, "sha256", 0, 32);
    derive(BCRYPT_SHA256_ALGORITHM, "sha256", 0, 48);
    derive(BCRYPT_SHA256_ALGORITHM, "sha256", 0, 64);
    derive(BCRYPT_MD5_ALGORITHM, "md5", 0, 24);
    derive(BCRYPT_SHA1_ALGORITHM, "hmac-sha1", BCRYPT_ALG_HANDLE_HMAC_FLAG, 16);
    NTSTATUS st = BCryptDeriveKeyCapi(NULL, NULL, NULL, 0, 0);
    printf("NULL hash: %08lx\n", st);
    return 0;
}
