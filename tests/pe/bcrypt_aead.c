/* bcrypt's authenticated AES modes beyond one GCM call: GCM over a chain of calls
 * (BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG, the tag at the last call) with the GCM specification's
 * test cases 4 (AES-128) and 16 (AES-256), split 16+16+28 and 48+12, encrypted and decrypted,
 * a changed tag at the end of a chain (STATUS_AUTH_TAG_MISMATCH), a chain's middle call that is
 * not whole blocks, a single call after a chain; CCM with the examples of NIST SP 800-38C
 * appendix C (C.1-C.3: nonces of 7, 8 and 12 bytes, tags of 4, 6 and 8 bytes), decrypted back,
 * a changed tag, a nonce and a tag of lengths CCM does not take, the AuthTagLength property;
 * CCM over a chain of calls (C.3 split 16+8: the same ciphertext and tag as one call, decrypted
 * back by a chain, a changed tag at its end STATUS_AUTH_TAG_MISMATCH, a middle call that is not
 * whole blocks refused).
 * Expected output: the published ciphertexts and tags; Windows' codes where known, otherwise
 * only that the call fails. Wine 8.0 is no second opinion here: it has no AES-CCM
 * (STATUS_NOT_SUPPORTED or STATUS_INVALID_BUFFER_SIZE for every CCM call) and its GCM chains
 * give other ciphertexts after the first call. */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <string.h>
#include "bcrypt_hex.h"

#ifndef BCRYPT_AES_CCM_ALG_HANDLE /* Windows 10's, not in mingw-w64's bcrypt.h */
#define BCRYPT_AES_CCM_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x1d1)
#define BCRYPT_AES_GCM_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x1e1)
#endif

static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_pt[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

/* An AEAD over calls of the given sizes (0 ends the list); enc or dec; nonce and associated
   data in hex; the tag of tag_len bytes in/out */
static NTSTATUS aead_chain(BCRYPT_KEY_HANDLE key, BOOL enc, const ULONG *sizes, const UCHAR *in,
                           UCHAR *out, const char *nonce_hex, const char *aad_hex, UCHAR *tag,
                           ULONG tag_len)
{
    UCHAR nonce[16], aad[32], mac[16];
    ULONG nonce_len = (ULONG)strlen(nonce_hex) / 2, aad_len = (ULONG)strlen(aad_hex) / 2;
    unhex(nonce_hex, nonce);
    unhex(aad_hex, aad);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = nonce;
    ai.cbNonce = nonce_len;
    ai.pbAuthData = aad;
    ai.cbAuthData = aad_len;
    ai.pbTag = tag;
    ai.cbTag = tag_len;
    ai.pbMacContext = mac;
    ai.cbMacContext = sizeof mac;
    ai.dwFlags = BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
    ULONG off = 0, got;
    NTSTATUS st = 0;
    for (int i = 0; sizes[i]; i++) {
        if (!sizes[i + 1])
            ai.dwFlags &= ~BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
        got = 0;
        st = enc ? BCryptEncrypt(key, (UCHAR *)in + off, sizes[i], &ai, NULL, 0, out + off,
                                 sizes[i], &got, 0)
                 : BCryptDecrypt(key, (UCHAR *)in + off, sizes[i], &ai, NULL, 0, out + off,
                                 sizes[i], &got, 0);
        if (st || got != sizes[i]) {
            printf("  call %d of %lu bytes: %08lx %lu\n", i, sizes[i], st, got);
            return st;
        }
        off += sizes[i];
    }
    return st;
}

/* GCM over calls of the given sizes, the test vector's IV and associated data */
static NTSTATUS gcm_chain(BCRYPT_KEY_HANDLE key, BOOL enc, const ULONG *sizes, const UCHAR *in,
                          UCHAR *out, UCHAR *tag)
{
    return aead_chain(key, enc, sizes, in, out, gcm_iv, gcm_aad, tag, 16);
}

static void gcm(const char *keyhex, const ULONG *sizes)
{
    UCHAR k[32], pt[60], ct[60], back[60], tag[16];
    ULONG kl = unhex(keyhex, k);
    unhex(gcm_pt, pt);
    BCRYPT_KEY_HANDLE key = NULL;
    NTSTATUS st = BCryptGenerateSymmetricKey(BCRYPT_AES_GCM_ALG_HANDLE, &key, NULL, 0, k, kl, 0);
    printf("AES-%lu-GCM key: %08lx\n", kl * 8, st);
    st = gcm_chain(key, TRUE, sizes, pt, ct, tag);
    printf("chained encryption: %08lx\n", st);
    hex("  ciphertext", ct, sizeof ct);
    hex("  tag", tag, sizeof tag);
    st = gcm_chain(key, FALSE, sizes, ct, back, tag);
    printf("chained decryption: %08lx same %d\n", st, !memcmp(back, pt, sizeof pt));
    tag[15] ^= 1;
    st = gcm_chain(key, FALSE, sizes, ct, back, tag);
    printf("chained decryption, changed tag: %08lx\n", st);
    BCryptDestroyKey(key);
}

static void ccm(const char *n, const char *a, const char *p, ULONG taglen)
{
    UCHAR k[16], nonce[16], aad[32], pt[32], ct[32], back[32], tag[16];
    ULONG kl = unhex("404142434445464748494a4b4c4d4e4f", k), nl = unhex(n, nonce),
          al = unhex(a, aad), pl = unhex(p, pt), got = 0;
    BCRYPT_KEY_HANDLE key = NULL;
    BCryptGenerateSymmetricKey(BCRYPT_AES_CCM_ALG_HANDLE, &key, NULL, 0, k, kl, 0);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = nonce;
    ai.cbNonce = nl;
    ai.pbAuthData = aad;
    ai.cbAuthData = al;
    ai.pbTag = tag;
    ai.cbTag = taglen;
    NTSTATUS st = BCryptEncrypt(key, pt, pl, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("CCM, %lu-byte nonce, %lu-byte tag: %08lx %lu\n", nl, taglen, st, got);
    hex("  ciphertext", ct, got);
    hex("  tag", tag, taglen);
    st = BCryptDecrypt(key, ct, pl, &ai, NULL, 0, back, sizeof back, &got, 0);
    printf("  decrypt: %08lx %lu same %d\n", st, got, !memcmp(back, pt, pl));
    tag[0] ^= 0x80;
    st = BCryptDecrypt(key, ct, pl, &ai, NULL, 0, back, sizeof back, &got, 0);
    printf("  changed tag: %08lx\n", st);
    BCryptDestroyKey(key);
}

/* CCM over calls of the given sizes (0 ends the list), SP 800-38C's C.3 */
static NTSTATUS ccm_chain(BCRYPT_KEY_HANDLE key, BOOL enc, const ULONG *sizes, const UCHAR *in,
                          UCHAR *out, UCHAR *tag)
{
    return aead_chain(key, enc, sizes, in, out, "101112131415161718191a1b",
                      "000102030405060708090a0b0c0d0e0f10111213", tag, 8);
}

static void ccm_chained(void)
{
    static const ULONG split[] = {16, 8, 0};
    UCHAR k[16], pt[24], ct[24], back[24], tag[8];
    unhex("404142434445464748494a4b4c4d4e4f", k);
    unhex("202122232425262728292a2b2c2d2e2f3031323334353637", pt);
    BCRYPT_KEY_HANDLE key = NULL;
    BCryptGenerateSymmetricKey(BCRYPT_AES_CCM_ALG_HANDLE, &key, NULL, 0, k, 16, 0);
    NTSTATUS st = ccm_chain(key, TRUE, split, pt, ct, tag);
    printf("CCM chained encryption (16+8): %08lx\n", st);
    hex("  ciphertext", ct, sizeof ct);
    hex("  tag", tag, sizeof tag);
    st = ccm_chain(key, FALSE, split, ct, back, tag);
    printf("CCM chained decryption: %08lx same %d\n", st, !memcmp(back, pt, sizeof pt));
    tag[7] ^= 1;
    st = ccm_chain(key, FALSE, split, ct, back, tag);
    printf("CCM chained decryption, changed tag: %08lx\n", st);
    UCHAR nonce[12], mac[16];
    ULONG got = 0;
    unhex("101112131415161718191a1b", nonce);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = nonce;
    ai.cbNonce = sizeof nonce;
    ai.pbTag = tag;
    ai.cbTag = 8;
    ai.pbMacContext = mac;
    ai.cbMacContext = sizeof mac;
    ai.dwFlags = BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
    st = BCryptEncrypt(key, pt, 5, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("CCM chained call of 5 bytes fails %d\n", st != 0);
    BCryptDestroyKey(key);
}

int main(void)
{
    static const ULONG split3[] = {16, 16, 28, 0}, split2[] = {48, 12, 0};
    gcm("feffe9928665731c6d6a8f9467308308", split3);
    gcm("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", split2);

    /* a chain's middle call of 20 bytes; then one call on the same key */
    UCHAR k[16], pt[60], ct[60], tag[16], iv[12], mac[16];
    ULONG got = 0;
    unhex("feffe9928665731c6d6a8f9467308308", k);
    unhex(gcm_pt, pt);
    unhex(gcm_iv, iv);
    BCRYPT_KEY_HANDLE key = NULL;
    BCryptGenerateSymmetricKey(BCRYPT_AES_GCM_ALG_HANDLE, &key, NULL, 0, k, 16, 0);
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO ai;
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = iv;
    ai.cbNonce = 12;
    ai.pbTag = tag;
    ai.cbTag = 16;
    ai.pbMacContext = mac;
    ai.cbMacContext = sizeof mac;
    ai.dwFlags = BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
    NTSTATUS st = BCryptEncrypt(key, pt, 20, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("chained call of 20 bytes fails %d\n", st != 0);
    st = BCryptEncrypt(key, pt, 16, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("chained call of 16 bytes: %08lx\n", st);
    ai.dwFlags = 0;
    st = BCryptEncrypt(key, pt + 16, 44, &ai, NULL, 0, ct + 16, 44, &got, 0);
    printf("last call: %08lx\n", st);
    hex("  tag (no additional data)", tag, 16);
    st = BCryptEncrypt(key, pt, 60, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("one call after: %08lx\n", st);
    hex("  tag", tag, 16);
    BCryptDestroyKey(key);

    /* CCM */
    BCRYPT_AUTH_TAG_LENGTHS_STRUCT tl;
    st = BCryptGetProperty(BCRYPT_AES_CCM_ALG_HANDLE, BCRYPT_AUTH_TAG_LENGTH, (UCHAR *)&tl,
                           sizeof tl, &got, 0);
    printf("CCM tag lengths %08lx %lu..%lu step %lu\n", st, tl.dwMinLength, tl.dwMaxLength,
           tl.dwIncrement);
    ccm("10111213141516", "0001020304050607", "20212223", 4);
    ccm("1011121314151617", "000102030405060708090a0b0c0d0e0f",
        "202122232425262728292a2b2c2d2e2f", 6);
    ccm("101112131415161718191a1b", "000102030405060708090a0b0c0d0e0f10111213",
        "202122232425262728292a2b2c2d2e2f3031323334353637", 8);
    unhex("404142434445464748494a4b4c4d4e4f", k);
    BCryptGenerateSymmetricKey(BCRYPT_AES_CCM_ALG_HANDLE, &key, NULL, 0, k, 16, 0);
    BCRYPT_INIT_AUTH_MODE_INFO(ai);
    ai.pbNonce = iv;
    ai.cbNonce = 6;
    ai.pbTag = tag;
    ai.cbTag = 8;
    st = BCryptEncrypt(key, pt, 16, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("CCM 6-byte nonce: %08lx\n", st);
    ai.cbNonce = 12;
    ai.cbTag = 5;
    st = BCryptEncrypt(key, pt, 16, &ai, NULL, 0, ct, sizeof ct, &got, 0);
    printf("CCM 5-byte tag: %08lx\n", st);
    BCryptDestroyKey(key);
    ccm_chained();
    return 0;
}
