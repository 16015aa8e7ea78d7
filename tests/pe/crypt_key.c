/* CryptoAPI keys (advapi32): CryptImportKey of a PLAINTEXTKEYBLOB (AES-128/192/256, and an RC2
 * blob with CRYPT_IPSEC_HMAC_KEY as an HMAC key), CryptEncrypt/CryptDecrypt in CBC (the default,
 * IV zero, PKCS#5 padding on the final block) and ECB (KP_MODE), KP_IV, the size query and a
 * short buffer, bad padding (NTE_BAD_DATA), CryptGetKeyParam; HMAC through CALG_HMAC and
 * HP_HMAC_INFO (RFC 2202 and RFC 4231 vectors); MD2 (RFC 1319). The AES values are FIPS-197 and
 * NIST SP 800-38A's; expected output checked under Wine 8.0. */
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

static void unhex(const char *s, BYTE *out)
{
    for (size_t i = 0; s[2 * i]; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (BYTE)v;
    }
}

static HCRYPTKEY import(HCRYPTPROV prov, ALG_ID alg, const BYTE *key, DWORD len, DWORD flags)
{
    BYTE blob[128];
    BLOBHEADER *h = (BLOBHEADER *)blob;
    h->bType = PLAINTEXTKEYBLOB;
    h->bVersion = CUR_BLOB_VERSION;
    h->reserved = 0;
    h->aiKeyAlg = alg;
    memcpy(blob + sizeof *h, &len, 4);
    memcpy(blob + sizeof *h + 4, key, len);
    HCRYPTKEY k = 0;
    BOOL ok = CryptImportKey(prov, blob, sizeof *h + 4 + len, 0, flags, &k);
    printf("import %04x len %lu: %d", alg, (unsigned long)len, ok);
    if (!ok)
        printf(" err %08lx", GetLastError());
    printf("\n");
    return k;
}

static void hmac(HCRYPTPROV prov, ALG_ID alg, const BYTE *key, DWORD klen, const char *msg)
{
    HCRYPTKEY k = import(prov, CALG_RC2, key, klen, CRYPT_IPSEC_HMAC_KEY);
    HCRYPTHASH h = 0;
    if (!CryptCreateHash(prov, CALG_HMAC, k, 0, &h)) {
        printf("CryptCreateHash HMAC failed %08lx\n", GetLastError());
        return;
    }
    HMAC_INFO info;
    memset(&info, 0, sizeof info);
    info.HashAlgid = alg;
    printf("set hmac info %d\n", CryptSetHashParam(h, HP_HMAC_INFO, (BYTE *)&info, 0));
    printf("hash data %d\n", CryptHashData(h, (const BYTE *)msg, (DWORD)strlen(msg), 0));
    BYTE v[64];
    DWORD n = sizeof v;
    if (CryptGetHashParam(h, HP_HASHVAL, v, &n, 0))
        hex("hmac", v, n);
    else
        printf("HP_HASHVAL failed %08lx\n", GetLastError());
    DWORD algid = 0, sz = 4;
    CryptGetHashParam(h, HP_ALGID, (BYTE *)&algid, &sz, 0);
    printf("hash algid %04lx\n", (unsigned long)algid);
    CryptDestroyHash(h);
    CryptDestroyKey(k);
}

static void md2(HCRYPTPROV prov, const char *msg)
{
    HCRYPTHASH h = 0;
    if (!CryptCreateHash(prov, CALG_MD2, 0, 0, &h)) {
        printf("md2 create failed %08lx\n", GetLastError());
        return;
    }
    CryptHashData(h, (const BYTE *)msg, (DWORD)strlen(msg), 0);
    BYTE v[16];
    DWORD n = sizeof v;
    if (CryptGetHashParam(h, HP_HASHVAL, v, &n, 0))
        hex("md2", v, n);
    CryptDestroyHash(h);
}

int main(void)
{
    HCRYPTPROV prov = 0, full = 0;
    printf("acquire %d\n", CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_AES,
                                                 CRYPT_VERIFYCONTEXT));
    printf("acquire full %d\n", CryptAcquireContextW(&full, NULL, NULL, PROV_RSA_FULL,
                                                      CRYPT_VERIFYCONTEXT));
    BYTE key[32], buf[128];
    DWORD n;
    unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key);

    /* FIPS-197 C.1: CBC with a zero IV on one block is the cipher itself */
    HCRYPTKEY k = import(prov, CALG_AES_128, key, 16, 0);
    DWORD v = 0, sz = 4;
    CryptGetKeyParam(k, KP_ALGID, (BYTE *)&v, &sz, 0);
    printf("KP_ALGID %04lx\n", (unsigned long)v);
    sz = 4;
    CryptGetKeyParam(k, KP_KEYLEN, (BYTE *)&v, &sz, 0);
    printf("KP_KEYLEN %lu\n", (unsigned long)v);
    sz = 4;
    CryptGetKeyParam(k, KP_BLOCKLEN, (BYTE *)&v, &sz, 0);
    printf("KP_BLOCKLEN %lu\n", (unsigned long)v);
    sz = 4;
    CryptGetKeyParam(k, KP_MODE, (BYTE *)&v, &sz, 0);
    printf("KP_MODE %lu\n", (unsigned long)v);
    unhex("00112233445566778899aabbccddeeff", buf);
    n = 16;
    printf("encrypt %d\n", CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf));
    hex("aes128", buf, n);
    n = 16;
    printf("decrypt %d\n", CryptDecrypt(k, 0, FALSE, 0, buf, &n));
    hex("plain", buf, n);
    /* final: a whole block of padding, from a fresh key (the chain is back at the IV) */
    CryptDestroyKey(k);
    unhex("000102030405060708090a0b0c0d0e0f", key);
    k = import(prov, CALG_AES_128, key, 16, 0);
    n = 16;
    printf("size query %d", CryptEncrypt(k, 0, TRUE, 0, NULL, &n, 0));
    printf(" %lu\n", (unsigned long)n);
    n = 16;
    BOOL ok = CryptEncrypt(k, 0, TRUE, 0, buf, &n, 16);
    printf("short buffer %d err %lu n %lu\n", ok, ok ? 0 : GetLastError(), (unsigned long)n);
    unhex("00112233445566778899aabbccddeeff", buf);
    n = 16;
    printf("encrypt final %d\n", CryptEncrypt(k, 0, TRUE, 0, buf, &n, sizeof buf));
    hex("aes128 final", buf, n);
    printf("decrypt final %d", CryptDecrypt(k, 0, TRUE, 0, buf, &n));
    printf(" %lu\n", (unsigned long)n);
    hex("plain", buf, n);
    memcpy(buf, "hello", 5);
    n = 5;
    printf("encrypt 5 %d\n", CryptEncrypt(k, 0, TRUE, 0, buf, &n, sizeof buf));
    hex("hello", buf, n);
    buf[15] ^= 1;
    ok = CryptDecrypt(k, 0, TRUE, 0, buf, &n);
    printf("bad padding %d err %08lx\n", ok, ok ? 0 : GetLastError());
    n = 5;
    ok = CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf);
    printf("partial block not final %d err %08lx\n", ok, ok ? 0 : GetLastError());
    CryptDestroyKey(k);

    /* SP 800-38A F.2.1: CBC-AES128 with an IV, two blocks, not final */
    unhex("2b7e151628aed2a6abf7158809cf4f3c", key);
    k = import(prov, CALG_AES_128, key, 16, 0);
    BYTE iv[16];
    unhex("000102030405060708090a0b0c0d0e0f", iv);
    printf("set iv %d\n", CryptSetKeyParam(k, KP_IV, iv, 0));
    unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51", buf);
    n = 16;
    CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf);
    n = 16;
    CryptEncrypt(k, 0, FALSE, 0, buf + 16, &n, sizeof buf - 16); /* chained across calls */
    hex("cbc", buf, 32);
    /* ECB: F.1.1 */
    DWORD mode = CRYPT_MODE_ECB;
    printf("set ecb %d\n", CryptSetKeyParam(k, KP_MODE, (BYTE *)&mode, 0));
    unhex("6bc1bee22e409f96e93d7e117393172a", buf);
    n = 16;
    CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf);
    hex("ecb", buf, 16);
    CryptDestroyKey(k);

    /* FIPS-197 C.2 and C.3 */
    unhex("000102030405060708090a0b0c0d0e0f1011121314151617", key);
    k = import(prov, CALG_AES_192, key, 24, 0);
    unhex("00112233445566778899aabbccddeeff", buf);
    n = 16;
    CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf);
    hex("aes192", buf, 16);
    CryptDestroyKey(k);
    unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key);
    k = import(prov, CALG_AES_256, key, 32, 0);
    unhex("00112233445566778899aabbccddeeff", buf);
    n = 16;
    CryptEncrypt(k, 0, FALSE, 0, buf, &n, sizeof buf);
    hex("aes256", buf, 16);
    n = 16;
    CryptDecrypt(k, 0, FALSE, 0, buf, &n);
    hex("plain", buf, 16);
    CryptDestroyKey(k);
    import(prov, CALG_AES_128, key, 20, 0);
    printf("destroy bad %d\n", CryptDestroyKey(0x1234));

    /* HMAC: RFC 2202 (MD5, SHA-1) and RFC 4231 (SHA-256) case 1 and 2 */
    BYTE k0b[20];
    memset(k0b, 0x0b, 20);
    hmac(prov, CALG_SHA1, k0b, 20, "Hi There");
    hmac(prov, CALG_MD5, (const BYTE *)"Jefe", 4, "what do ya want for nothing?");
    hmac(prov, CALG_SHA_256, k0b, 20, "Hi There");
    hmac(prov, CALG_SHA_256, (const BYTE *)"Jefe", 4, "what do ya want for nothing?");
    md2(full, "");
    md2(full, "abc");
    md2(full, "abcdefghijklmnopqrstuvwxyz");
    CryptReleaseContext(prov, 0);
    CryptReleaseContext(full, 0);
    return 0;
}
