/* bcrypt's algorithm providers: "RNG" (BCryptGenRandom with its handle, as FFmpeg does),
 * SHA256/SHA1/MD5 hashes and HMAC (RFC 4231 case 2) through BCryptCreateHash/HashData/
 * FinishHash (reusable after the finish), BCryptDuplicateHash, the one-call BCryptHash with a
 * pseudo-handle, BCryptGetProperty (digest and block lengths, the algorithm name, sizes), and
 * the errors: an unknown algorithm (STATUS_NOT_FOUND), a wrong output size
 * (STATUS_INVALID_PARAMETER), a bad handle. Also userenv's GetUserProfileDirectoryW size rules.
 * Expected output: Wine 8.0's but for what Windows documents otherwise: an unknown algorithm is
 * STATUS_NOT_FOUND (Wine: STATUS_NOT_IMPLEMENTED), SHA-256's block is 64 bytes (Wine: 32) and
 * a NULL output buffer asks the size (Wine: STATUS_BUFFER_TOO_SMALL). */
#include <windows.h>
#include <bcrypt.h>
#include <userenv.h>
#include <stdio.h>
#include "bcrypt_hex.h"

int main(void)
{
    /* NULL until opened: cli.lazy_crypto runs this with libhogweed missing, where every open
     * but RNG's fails and the calls after it must see an invalid handle, not stack garbage. */
    BCRYPT_ALG_HANDLE rng = NULL, sha = NULL, hmac = NULL, md5 = NULL;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&rng, BCRYPT_RNG_ALGORITHM, MS_PRIMITIVE_PROVIDER,
                                              0);
    UCHAR buf[64] = {0}, zero[16] = {0};
    printf("open RNG: %08lx\n", st);
    st = BCryptGenRandom(rng, buf, 16, 0);
    printf("random with handle: %08lx nonzero %d\n", st, memcmp(buf, zero, 16) != 0);
    printf("close RNG: %08lx\n", BCryptCloseAlgorithmProvider(rng, 0));
    BCRYPT_ALG_HANDLE bad = (BCRYPT_ALG_HANDLE)1;
    printf("open FOO: %08lx\n", BCryptOpenAlgorithmProvider(&bad, L"FOO", NULL, 0));

    st = BCryptOpenAlgorithmProvider(&sha, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    DWORD v = 0, got = 0;
    BCryptGetProperty(sha, BCRYPT_HASH_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("open SHA256: %08lx digest %lu (%lu bytes)", st, v, got);
    BCryptGetProperty(sha, BCRYPT_HASH_BLOCK_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf(" block %lu", v);
    WCHAR name[32];
    BCryptGetProperty(sha, BCRYPT_ALGORITHM_NAME, (UCHAR *)name, sizeof name, &got, 0);
    printf(" name %ls (%lu bytes)", name, got);
    st = BCryptGetProperty(sha, BCRYPT_OBJECT_LENGTH, NULL, 0, &got, 0);
    printf(" object length asked %08lx %lu\n", st, got);
    BCRYPT_HASH_HANDLE h = NULL, h2 = NULL;
    st = BCryptCreateHash(sha, &h, NULL, 0, NULL, 0, 0);
    BCryptHashData(h, (UCHAR *)"ab", 2, 0);
    BCryptDuplicateHash(h, &h2, NULL, 0, 0);
    BCryptHashData(h, (UCHAR *)"c", 1, 0);
    st = BCryptFinishHash(h, buf, 32, 0);
    hex("sha256(abc)", buf, 32);
    printf("finish with 31 bytes: %08lx\n", BCryptFinishHash(h2, buf, 31, 0));
    BCryptHashData(h2, (UCHAR *)"d", 1, 0);
    BCryptFinishHash(h2, buf, 32, 0);
    hex("sha256(abd) from the duplicate", buf, 32);
    BCryptDestroyHash(h);
    BCryptDestroyHash(h2);
    printf("hash on a bad handle: %08lx\n", BCryptHashData(NULL, buf, 1, 0));
    BCryptCloseAlgorithmProvider(sha, 0);

    st = BCryptOpenAlgorithmProvider(&hmac, BCRYPT_SHA256_ALGORITHM, NULL,
                                     BCRYPT_ALG_HANDLE_HMAC_FLAG);
    st = BCryptCreateHash(hmac, &h, NULL, 0, (UCHAR *)"Jefe", 4, 0);
    BCryptHashData(h, (UCHAR *)"what do ya want for nothing?", 28, 0);
    BCryptFinishHash(h, buf, 32, 0);
    hex("hmac-sha256", buf, 32);
    BCryptDestroyHash(h);
    BCryptCloseAlgorithmProvider(hmac, 0);

    st = BCryptOpenAlgorithmProvider(&md5, BCRYPT_MD5_ALGORITHM, NULL, 0);
    st = BCryptHash(md5, NULL, 0, (UCHAR *)"abc", 3, buf, 16);
    printf("BCryptHash md5: %08lx ", st);
    hex("", buf, 16);
    BCryptCloseAlgorithmProvider(md5, 0);

    WCHAR dir[MAX_PATH];
    DWORD size = 3;
    BOOL ok = GetUserProfileDirectoryW(GetCurrentProcessToken(), dir, &size);
    DWORD err = GetLastError();
    printf("profile short: %d err %lu size>3 %d\n", ok, err, size > 3);
    DWORD need = size;
    ok = GetUserProfileDirectoryW(GetCurrentProcessToken(), dir, &size);
    printf("profile: %d size same %d length+1 %d\n", ok, size == need,
           size == (DWORD)lstrlenW(dir) + 1);
    return 0;
}
