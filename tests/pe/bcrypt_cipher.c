/* bcrypt's symmetric keys: AES in ECB (FIPS-197 C.1), CBC and CFB-8 (SP 800-38A F.2.1, F.3.7)
 * and GCM (the GCM specification's test case 4, with additional data; a changed tag is
 * STATUS_AUTH_TAG_MISMATCH), 3DES-CBC, block padding both ways, the IV updated in place so two
 * calls chain like one, BCryptGetProperty/SetProperty (ChainingMode, BlockLength, KeyLengths,
 * KeyLength, AuthTagLength), BCryptExportKey/ImportKey of a BCRYPT_KEY_DATA_BLOB,
 * BCryptDuplicateKey, BCryptDeriveKeyPBKDF2 (RFC 6070 and RFC 7914 vectors), and the errors
 * (a wrong key length, a partial block, an IV in ECB, a short output, a bad handle).
 * Expected output: Wine 8.0's (bcrypt over GnuTLS) but where Windows documents otherwise: the
 * IV buffer is updated in place ("this function will modify the contents of this buffer"; Wine
 * leaves it and chains inside the key, so its two-call CBC and the decryption after it differ),
 * a key's KeyLength is its size in bits (Wine: 654) and a NULL output asks the export's size
 * (Wine: STATUS_BUFFER_TOO_SMALL). */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

static BCRYPT_KEY_HANDLE key_of(BCRYPT_ALG_HANDLE alg, const char *hexkey)
{
    UCHAR k[32];
    ULONG n = unhex(hexkey, k);
    BCRYPT_KEY_HANDLE key = NULL;
    NTSTATUS st = BCryptGenerateSymmetricKey(alg, &key, NULL, 0, k, n, 0);
    if (st)
        printf("generate key: %08lx\n", st);
    return key;
}

static void set_mode(BCRYPT_HANDLE h, const WCHAR *mode)
{
    NTSTATUS st = BCryptSetProperty(h, BCRYPT_CHAINING_MODE, (UCHAR *)mode,
                                    (ULONG)(wcslen(mode) + 1) * 2, 0);
    printf("set %ls: %08lx\n", mode, st);
}

int main(void)
{
    BCRYPT_ALG_HANDLE aes;
    UCHAR in[96], out[128], iv[16], back[128];
    ULONG got = 0, n;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&aes, BCRYPT_AES_ALGORITHM, NULL, 0);
    printf("open AES: %08lx\n", st);
    DWORD v = 0;
    WCHAR name[64];
    BCryptGetProperty(aes, BCRYPT_BLOCK_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("block length %lu (%lu bytes)\n", v, got);
    BCryptGetProperty(aes, BCRYPT_CHAINING_MODE, (UCHAR *)name, sizeof name, &got, 0);
    printf("chaining mode %ls\n", name);
    BCRYPT_KEY_LENGTHS_STRUCT kl;
    st = BCryptGetProperty(aes, BCRYPT_KEY_LENGTHS, (UCHAR *)&kl, sizeof kl, &got, 0);
    printf("key lengths %08lx %lu..%lu step %lu (%lu bytes)\n", st, kl.dwMinLength,
           kl.dwMaxLength, kl.dwIncrement, got);
    st = BCryptGetProperty(aes, BCRYPT_OBJECT_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("object length %08lx nonzero %d\n", st, v != 0);
    st = BCryptGetProperty(aes, BCRYPT_AUTH_TAG_LENGTH, (UCHAR *)&kl, sizeof kl, &got, 0);
    printf("auth tag length in CBC: %08lx\n", st);

    /* wrong key length */
    BCRYPT_KEY_HANDLE key = NULL;
    st = BCryptGenerateSymmetricKey(aes, &key, NULL, 0, in, 15, 0);
    printf("15-byte key: %08lx\n", st);

    /* ECB, FIPS-197 C.1 */
    set_mode(aes, BCRYPT_CHAIN_MODE_ECB);
    key = key_of(aes, "000102030405060708090a0b0c0d0e0f");
    n = unhex("00112233445566778899aabbccddeeff", in);
    st = BCryptEncrypt(key, in, n, NULL, NULL, 0, out, sizeof out, &got, 0);
    printf("ECB encrypt %08lx %lu: ", st, got);
    hex("", out, got);
    st = BCryptDecrypt(key, out, got, NULL, NULL, 0, back, sizeof back, &got, 0);
    printf("ECB decrypt %08lx %lu: ", st, got);
    hex("", back, got);
    memset(iv, 0, sizeof iv);
    st = BCryptEncrypt(key, in, n, NULL, iv, 16, out, sizeof out, &got, 0);
    printf("ECB with an IV: %08lx\n", st);
    BCryptGetProperty(key, BCRYPT_KEY_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("key length %lu bits\n", v);
    BCryptGetProperty(key, BCRYPT_CHAINING_MODE, (UCHAR *)name, sizeof name, &got, 0);
    printf("key chaining mode %ls\n", name);
    BCryptDestroyKey(key);

    /* CBC, SP 800-38A F.2.1, in one call and in two chained calls */
    set_mode(aes, BCRYPT_CHAIN_MODE_CBC);
    key = key_of(aes, "2b7e151628aed2a6abf7158809cf4f3c");
    n = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51", in);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    st = BCryptEncrypt(key, in, n, NULL, iv, 16, NULL, 0, &got, 0);
    printf("CBC size asked %08lx %lu\n", st, got);
    st = BCryptEncrypt(key, in, n, NULL, iv, 16, out, 16, &got, 0);
    printf("CBC short output %08lx\n", st);
    st = BCryptEncrypt(key, in, n, NULL, iv, 16, out, sizeof out, &got, 0);
    printf("CBC encrypt %08lx %lu: ", st, got);
    hex("", out, got);
    hex("IV after", iv, 16);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    BCryptEncrypt(key, in, 16, NULL, iv, 16, out, sizeof out, &got, 0);
    BCryptEncrypt(key, in + 16, 16, NULL, iv, 16, out + 16, sizeof out - 16, &got, 0);
    hex("CBC in two calls", out, 32);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    st = BCryptDecrypt(key, out, 32, NULL, iv, 16, back, sizeof back, &got, 0);
    printf("CBC decrypt %08lx %lu: ", st, got);
    hex("", back, got);
    st = BCryptEncrypt(key, in, 15, NULL, iv, 16, out, sizeof out, &got, 0);
    printf("CBC partial block: %08lx\n", st);

    /* block padding */
    static const char msg[] = "attack at dawn!";
    for (ULONG len = 15; len <= 16; len++) {
        memset(iv, 0x11, 16);
        st = BCryptEncrypt(key, (UCHAR *)msg, len, NULL, iv, 16, NULL, 0, &got, BCRYPT_BLOCK_PADDING);
        printf("padded size of %lu: %08lx %lu\n", len, st, got);
        memset(iv, 0x11, 16);
        st = BCryptEncrypt(key, (UCHAR *)msg, len, NULL, iv, 16, out, sizeof out, &got,
                           BCRYPT_BLOCK_PADDING);
        printf("padded encrypt %08lx %lu: ", st, got);
        hex("", out, got);
        ULONG clen = got;
        memset(iv, 0x11, 16);
        st = BCryptDecrypt(key, out, clen, NULL, iv, 16, back, sizeof back, &got,
                           BCRYPT_BLOCK_PADDING);
        printf("padded decrypt %08lx %lu: %.*s\n", st, got, (int)got, back);
    }
    /* duplicate and export/import */
    BCRYPT_KEY_HANDLE dup = NULL, imp = NULL;
    st = BCryptDuplicateKey(key, &dup, NULL, 0, 0);
    printf("duplicate %08lx\n", st);
    st = BCryptExportKey(dup, NULL, BCRYPT_KEY_DATA_BLOB, NULL, 0, &got, 0);
    printf("export size %08lx %lu\n", st, got);
    UCHAR blob[64];
    st = BCryptExportKey(dup, NULL, BCRYPT_KEY_DATA_BLOB, blob, 8, &got, 0);
    printf("export short %08lx\n", st);
    st = BCryptExportKey(dup, NULL, BCRYPT_KEY_DATA_BLOB, blob, sizeof blob, &got, 0);
    printf("export %08lx %lu: ", st, got);
    hex("", blob, got);
    st = BCryptImportKey(aes, NULL, BCRYPT_KEY_DATA_BLOB, &imp, NULL, 0, blob, got, 0);
    printf("import %08lx\n", st);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    BCryptEncrypt(imp, in, 16, NULL, iv, 16, out, sizeof out, &got, 0);
    hex("imported key encrypts", out, 16);
    blob[0] ^= 1;
    st = BCryptImportKey(aes, NULL, BCRYPT_KEY_DATA_BLOB, &imp, NULL, 0, blob, 28, 0);
    printf("import bad magic %08lx\n", st);
    BCryptDestroyKey(dup);
    BCryptDestroyKey(key);
    printf("destroy destroyed: %08lx\n", BCryptDestroyKey(NULL));

    /* CFB (8-bit), SP 800-38A F.3.7 */
    set_mode(aes, BCRYPT_CHAIN_MODE_CFB);
    key = key_of(aes, "2b7e151628aed2a6abf7158809cf4f3c");
    n = unhex("6bc1bee22e409f96e93d7e117393172a", in);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    st = BCryptEncrypt(key, in, n, NULL, iv, 16, out, sizeof out, &got, 0);
    printf("CFB encrypt %08lx %lu: ", st, got);
    hex("", out, got);
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    st = BCryptDecrypt(key, out, got, NULL, iv, 16, back, sizeof back, &got, 0);
    printf("CFB decrypt %08lx %lu: ", st, got);
    hex("", back, got);
    BCryptDestroyKey(key);

    /* GCM, test case 4 of the GCM specification */
    set_mode(aes, BCRYPT_CHAIN_MODE_GCM);
    st = BCryptGetProperty(aes, BCRYPT_AUTH_TAG_LENGTH, (UCHAR *)&kl, sizeof kl, &got, 0);
    printf("auth tag lengths %08lx %lu..%lu step %lu\n", st, kl.dwMinLength, kl.dwMaxLength,
           kl.dwIncrement);
    key = key_of(aes, "feffe9928665731c6d6a8f9467308308");
    n = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
              "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39", in);
    UCHAR nonce[12], aad[20], tag[16];
    unhex("cafebabefacedbaddecaf888", nonce);
    unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = nonce, ai.cbNonce = 12;
    ai.pbAuthData = aad, ai.cbAuthData = 20;
    ai.pbTag = tag, ai.cbTag = 16;
    st = BCryptEncrypt(key, in, n, &ai, NULL, 0, out, sizeof out, &got, 0);
    printf("GCM encrypt %08lx %lu: ", st, got);
    hex("", out, got);
    hex("GCM tag", tag, 16);
    st = BCryptDecrypt(key, out, n, &ai, NULL, 0, back, sizeof back, &got, 0);
    printf("GCM decrypt %08lx %lu: ", st, got);
    hex("", back, got);
    tag[0] ^= 1;
    st = BCryptDecrypt(key, out, n, &ai, NULL, 0, back, sizeof back, &got, 0);
    printf("GCM decrypt with a changed tag: %08lx\n", st);
    st = BCryptEncrypt(key, in, n, NULL, NULL, 0, out, sizeof out, &got, 0);
    printf("GCM without auth info: %08lx\n", st);
    BCryptDestroyKey(key);
    BCryptCloseAlgorithmProvider(aes, 0);

    /* 3DES-CBC: encrypt and decrypt back */
    BCRYPT_ALG_HANDLE des3;
    st = BCryptOpenAlgorithmProvider(&des3, BCRYPT_3DES_ALGORITHM, NULL, 0);
    BCryptGetProperty(des3, BCRYPT_BLOCK_LENGTH, (UCHAR *)&v, sizeof v, &got, 0);
    printf("open 3DES %08lx block %lu\n", st, v);
    key = key_of(des3, "0123456789abcdef23456789abcdef01456789abcdef0123");
    n = unhex("6bc1bee22e409f96e93d7e117393172a", in);
    memset(iv, 0, 8);
    st = BCryptEncrypt(key, in, n, NULL, iv, 8, out, sizeof out, &got, 0);
    printf("3DES encrypt %08lx %lu: ", st, got);
    hex("", out, got);
    memset(iv, 0, 8);
    st = BCryptDecrypt(key, out, got, NULL, iv, 8, back, sizeof back, &got, 0);
    printf("3DES decrypt %08lx %lu: ", st, got);
    hex("", back, got);
    BCryptDestroyKey(key);
    BCryptCloseAlgorithmProvider(des3, 0);

    /* PBKDF2 */
    BCRYPT_ALG_HANDLE h1, h256, plain;
    BCryptOpenAlgorithmProvider(&h1, BCRYPT_SHA1_ALGORITHM, NULL, BCRYPT_ALG_HANDLE_HMAC_FLAG);
    BCryptOpenAlgorithmProvider(&h256, BCRYPT_SHA256_ALGORITHM, NULL,
                                BCRYPT_ALG_HANDLE_HMAC_FLAG);
    static const ULONGLONG iters[] = {1, 2, 4096};
    for (int i = 0; i < 3; i++) {
        st = BCryptDeriveKeyPBKDF2(h1, (UCHAR *)"password", 8, (UCHAR *)"salt", 4, iters[i],
                                   out, 20, 0);
        printf("PBKDF2-SHA1 c=%llu %08lx ", iters[i], st);
        hex("", out, 20);
    }
    st = BCryptDeriveKeyPBKDF2(h256, (UCHAR *)"passwd", 6, (UCHAR *)"salt", 4, 1, out, 64, 0);
    printf("PBKDF2-SHA256 %08lx ", st);
    hex("", out, 64);
    BCryptOpenAlgorithmProvider(&plain, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    st = BCryptDeriveKeyPBKDF2(h1, (UCHAR *)"password", 8, (UCHAR *)"salt", 4, 0, out, 20, 0);
    printf("PBKDF2 zero iterations: %08lx\n", st);
    BCryptCloseAlgorithmProvider(h1, 0);
    BCryptCloseAlgorithmProvider(h256, 0);
    BCryptCloseAlgorithmProvider(plain, 0);
    return 0;
}
