/* bcrypt's CHACHA20_POLY1305 (Windows 11's AEAD, used by Go's crypto through CNG): RFC 8439
 * section 2.8.2's vector (key, nonce, additional data, "Ladies and Gentlemen..." plaintext) sealed
 * to its ciphertext and tag and opened again, by algorithm handle and by the
 * BCRYPT_CHACHA20_POLY1305_ALG_HANDLE pseudo-handle; its properties (ChainingMode "N/A",
 * AuthTagLength 16, KeyLengths 256); a changed tag (STATUS_AUTH_TAG_MISMATCH), a nonce of 8
 * bytes, a tag of 12 bytes, a 16-byte key, another chaining mode. Where Windows' exact status is
 * not documented the output says only that the call fails. Wine 8.0 has no ChaCha20-Poly1305. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

#define CHACHA_ALG L"CHACHA20_POLY1305"
#define CHACHA_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x3a1)

static const char key_hex[] = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char nonce_hex[] = "070000004041424344454647";
static const char aad_hex[] = "50515253c0c1c2c3c4c5c6c7";
static const char text[] = "Ladies and Gentlemen of the class of '99: If I could offer you only "
                           "one tip for the future, sunscreen would be it.";

static const char *verdict(NTSTATUS st) { return st ? "fails" : "succeeds"; }

static void init_info(BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO *ai, UCHAR *nonce, ULONG cbnonce,
                      UCHAR *aad, ULONG cbaad, UCHAR *tag, ULONG cbtag)
{
    BCRYPT_INIT_AUTH_MODE_INFO(*ai);
    ai->pbNonce = nonce, ai->cbNonce = cbnonce;
    ai->pbAuthData = aad, ai->cbAuthData = cbaad;
    ai->pbTag = tag, ai->cbTag = cbtag;
}

static void seal_open(BCRYPT_ALG_HANDLE alg, const char *what)
{
    UCHAR key[32], nonce[12], aad[12], tag[16], ct[128], pt[128];
    ULONG n = (ULONG)strlen(text), got = 0;
    unhex(key_hex, key);
    unhex(nonce_hex, nonce);
    unhex(aad_hex, aad);
    BCRYPT_KEY_HANDLE k = NULL;
    NTSTATUS st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0, key, 32, 0);
    printf("%s: key %08lx\n", what, st);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    init_info(&ai, nonce, 12, aad, 12, tag, 16);
    st = BCryptEncrypt(k, (UCHAR *)text, n, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("  seal %08lx %lu\n", st, got);
    hex("  ciphertext", ct, got);
    hex("  tag", tag, 16);
    st = BCryptDecrypt(k, ct, got, &ai, NULL, 0, pt, sizeof pt, &got, 0);
    printf("  open %08lx %lu, the text %d\n", st, got, got == n && !memcmp(pt, text, n));
    tag[0] ^= 1;
    st = BCryptDecrypt(k, ct, n, &ai, NULL, 0, pt, sizeof pt, &got, 0);
    printf("  open with a changed tag: %08lx\n", st);
    tag[0] ^= 1;
    init_info(&ai, nonce, 8, aad, 12, tag, 16);
    st = BCryptEncrypt(k, (UCHAR *)text, n, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("  an 8-byte nonce: %s\n", verdict(st));
    init_info(&ai, nonce, 12, aad, 12, tag, 12);
    st = BCryptEncrypt(k, (UCHAR *)text, n, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("  a 12-byte tag: %s\n", verdict(st));
    BCryptDestroyKey(k);
}

int main(void)
{
    BCRYPT_ALG_HANDLE alg;
    WCHAR mode[32] = {0};
    ULONG got = 0;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, CHACHA_ALG, NULL, 0);
    printf("open: %08lx\n", st);
    st = BCryptGetProperty(alg, BCRYPT_CHAINING_MODE, (UCHAR *)mode, sizeof mode, &got, 0);
    printf("chaining mode: %08lx %ls\n", st, mode);
    BCRYPT_AUTH_TAG_LENGTHS_STRUCT tl = {0};
    st = BCryptGetProperty(alg, BCRYPT_AUTH_TAG_LENGTH, (UCHAR *)&tl, sizeof tl, &got, 0);
    printf("tag lengths: %08lx %lu..%lu\n", st, tl.dwMinLength, tl.dwMaxLength);
    BCRYPT_KEY_LENGTHS_STRUCT kl = {0};
    st = BCryptGetProperty(alg, BCRYPT_KEY_LENGTHS, (UCHAR *)&kl, sizeof kl, &got, 0);
    printf("key lengths: %08lx %lu..%lu\n", st, kl.dwMinLength, kl.dwMaxLength);
    seal_open(alg, "by handle");
    seal_open(CHACHA_ALG_HANDLE, "by pseudo-handle");
    UCHAR key[32] = {0};
    BCRYPT_KEY_HANDLE k = NULL;
    st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0, key, 16, 0);
    printf("a 16-byte key: %s\n", verdict(st));
    st = BCryptSetProperty(alg, BCRYPT_CHAINING_MODE, (UCHAR *)BCRYPT_CHAIN_MODE_GCM,
                           sizeof BCRYPT_CHAIN_MODE_GCM, 0);
    printf("chaining mode GCM: %s\n", verdict(st));
    BCryptCloseAlgorithmProvider(alg, 0);
    return 0;
}
