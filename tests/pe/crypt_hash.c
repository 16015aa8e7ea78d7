/* CryptoAPI hash objects (advapi32 CryptCreateHash, CryptHashData, CryptGetHashParam,
 * CryptDuplicateHash, CryptDestroyHash): the FIPS 180 and RFC 1320/1321 test vectors through the
 * Microsoft providers, data fed in pieces across block boundaries, the size query and a short
 * buffer (ERROR_MORE_DATA), a finished hash refusing data, SHA-2 refused on PROV_RSA_FULL
 * (NTE_BAD_ALGID) and given on PROV_RSA_AES, and the error codes of bad flags and types. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static void hex(const char *label, const BYTE *p, DWORD n)
{
    printf("%s ", label);
    for (DWORD i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

/* Hashes `msg` in pieces of `step` bytes with `alg` and prints the value. */
static void digest(HCRYPTPROV prov, ALG_ID alg, const char *label, const char *msg, size_t step)
{
    HCRYPTHASH h = 0;
    if (!CryptCreateHash(prov, alg, 0, 0, &h)) {
        printf("%s CryptCreateHash failed %08lx\n", label, GetLastError());
        return;
    }
    size_t len = strlen(msg);
    for (size_t off = 0; off < len; off += step) {
        DWORD n = (DWORD)(len - off < step ? len - off : step);
        if (!CryptHashData(h, (const BYTE *)msg + off, n, 0))
            printf("%s CryptHashData failed %08lx\n", label, GetLastError());
    }
    BYTE value[64];
    DWORD size = sizeof value;
    if (CryptGetHashParam(h, HP_HASHVAL, value, &size, 0))
        hex(label, value, size);
    else
        printf("%s HP_HASHVAL failed %08lx\n", label, GetLastError());
    printf("destroy %d\n", CryptDestroyHash(h));
}

int main(void)
{
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static const char long_msg[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    HCRYPTPROV full = 0, aes = 0;
    printf("acquire full %d\n", CryptAcquireContextW(&full, NULL, NULL, PROV_RSA_FULL,
                                                      CRYPT_VERIFYCONTEXT));
    printf("acquire aes %d\n", CryptAcquireContextW(&aes, NULL, NULL, PROV_RSA_AES,
                                                     CRYPT_VERIFYCONTEXT));

    digest(full, CALG_MD4, "md4(\"\")", "", 1);
    digest(full, CALG_MD4, "md4(abc)", "abc", 1);
    digest(full, CALG_MD4, "md4(1..0 x8)",
           "12345678901234567890123456789012345678901234567890123456789012345678901234567890", 7);
    digest(full, CALG_MD5, "md5(\"\")", "", 1);
    digest(full, CALG_MD5, "md5(abc)", "abc", 2);
    digest(full, CALG_MD5, "md5(a..z)", "abcdefghijklmnopqrstuvwxyz", 26);
    digest(full, CALG_SHA1, "sha1(abc)", "abc", 3);
    digest(full, CALG_SHA1, "sha1(2 blocks)", two_blocks, 5);
    digest(aes, CALG_SHA_256, "sha256(\"\")", "", 1);
    digest(aes, CALG_SHA_256, "sha256(abc)", "abc", 3);
    digest(aes, CALG_SHA_256, "sha256(2 blocks)", two_blocks, 13);
    digest(aes, CALG_SHA_384, "sha384(abc)", "abc", 1);
    digest(aes, CALG_SHA_384, "sha384(2 blocks)", long_msg, 64);
    digest(aes, CALG_SHA_512, "sha512(abc)", "abc", 3);
    digest(aes, CALG_SHA_512, "sha512(2 blocks)", long_msg, 100);

    /* a million 'a's (FIPS 180's third vector) in pieces of 1000 */
    HCRYPTHASH h = 0;
    BYTE a1000[1000];
    memset(a1000, 'a', sizeof a1000);
    CryptCreateHash(aes, CALG_SHA_256, 0, 0, &h);
    for (int i = 0; i < 1000; i++)
        CryptHashData(h, a1000, sizeof a1000, 0);
    BYTE value[64];
    DWORD size = sizeof value;
    CryptGetHashParam(h, HP_HASHVAL, value, &size, 0);
    hex("sha256(a x 1e6)", value, size);
    CryptDestroyHash(h);

    /* SHA-2 is not in PROV_RSA_FULL's provider */
    h = 0;
    SetLastError(0xdeadbeef);
    BOOL ok = CryptCreateHash(full, CALG_SHA_256, 0, 0, &h);
    printf("full sha256: %d %08lx\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CryptCreateHash(full, 0x1234, 0, 0, &h);
    printf("unknown algid: %d %08lx\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CryptCreateHash(full, CALG_MD5, 0, 0x10, &h);
    printf("create flags 0x10: %d %08lx\n", ok, GetLastError());

    /* parameters, sizes, state */
    CryptCreateHash(aes, CALG_SHA_384, 0, 0, &h);
    DWORD dw = 0, n = sizeof dw;
    ok = CryptGetHashParam(h, HP_ALGID, (BYTE *)&dw, &n, 0);
    printf("HP_ALGID %d %04lx %lu\n", ok, dw, n);
    n = sizeof dw;
    ok = CryptGetHashParam(h, HP_HASHSIZE, (BYTE *)&dw, &n, 0);
    printf("HP_HASHSIZE %d %lu %lu\n", ok, dw, n);
    SetLastError(0xdeadbeef);
    ok = CryptHashData(h, (const BYTE *)"ab", 2, 0x10);
    printf("hashdata flags 0x10: %d %08lx\n", ok, GetLastError());
    ok = CryptHashData(h, (const BYTE *)"ab", 2, 0);
    printf("hashdata ab: %d\n", ok);
    HCRYPTHASH dup = 0;
    ok = CryptDuplicateHash(h, NULL, 0, &dup);
    printf("duplicate %d %d\n", ok, dup != 0 && dup != h);
    CryptHashData(h, (const BYTE *)"c", 1, 0);
    CryptHashData(dup, (const BYTE *)"c", 1, 0);
    n = 0;
    ok = CryptGetHashParam(h, HP_HASHVAL, NULL, &n, 0);
    printf("HP_HASHVAL size %d %lu\n", ok, n);
    SetLastError(0xdeadbeef);
    n = 10;
    ok = CryptGetHashParam(h, HP_HASHVAL, value, &n, 0);
    printf("HP_HASHVAL short buffer: %d %lu %lu\n", ok, GetLastError(), n);
    n = sizeof value;
    ok = CryptGetHashParam(h, HP_HASHVAL, value, &n, 0);
    printf("HP_HASHVAL %d\n", ok);
    hex("sha384(abc)", value, n);
    SetLastError(0xdeadbeef);
    ok = CryptHashData(h, (const BYTE *)"d", 1, 0);
    printf("hashdata after value: %d %08lx\n", ok, GetLastError());
    n = sizeof value;
    ok = CryptGetHashParam(h, HP_HASHVAL, value, &n, 0);
    printf("HP_HASHVAL again %d\n", ok);
    hex("sha384(abc)", value, n);
    n = sizeof value;
    CryptGetHashParam(dup, HP_HASHVAL, value, &n, 0);
    hex("dup", value, n);
    SetLastError(0xdeadbeef);
    n = sizeof value;
    ok = CryptGetHashParam(h, 0x77, value, &n, 0);
    printf("param 0x77: %d %08lx\n", ok, GetLastError());
    printf("destroy %d %d\n", CryptDestroyHash(h), CryptDestroyHash(dup));
    SetLastError(0xdeadbeef);
    ok = CryptHashData(0, (const BYTE *)"a", 1, 0);
    printf("hashdata on 0: %d %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CryptDestroyHash(0);
    printf("destroy 0: %d %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CryptCreateHash(full, CALG_HMAC, 0, 0, &h);
    printf("hmac without a key: %d %08lx\n", ok, GetLastError());

    printf("release %d %d\n", CryptReleaseContext(full, 0), CryptReleaseContext(aes, 0));
    return 0;
}
