/* crypt32's CryptEncodeObjectEx as the inverse of CryptDecodeObjectEx, on certificates made at
 * build time (crypt_encode.gen, openssl): each certificate (X509_CERT), its to-be-signed part
 * (X509_CERT_TO_BE_SIGNED), names (X509_NAME, X509_UNICODE_NAME), public key
 * (X509_PUBLIC_KEY_INFO), extensions (X509_EXTENSIONS) and every extension's value by its OID
 * decode and encode back to the same bytes. Then encodings built by hand: X509_INTEGER,
 * X509_MULTI_BYTE_INTEGER, X509_BASIC_CONSTRAINTS2, X509_KEY_USAGE, X509_OCTET_STRING, a unicode name with UTF-8 and printable values, alternative
 * names; and the size rules (size asked, ERROR_MORE_DATA, CRYPT_ENCODE_ALLOC_FLAG, an unknown
 * structure). (The authority key identifier is left out: neither direction knows it yet.)
 * Expected output: Wine 8.0's but for two Wine bugs: Wine fails to encode X509_INTEGER -1
 * (02 01 ff) and does not give back an issuer name decoded as X509_UNICODE_NAME unchanged. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static BYTE der[4096];
static DWORD der_len;

static int load(const char *name)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, MAX_PATH);
    while (n && path[n - 1] != '\\' && path[n - 1] != '/')
        n--;
    snprintf(path + n, MAX_PATH - n, "crypt_encode\\%s.der", name);
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    ReadFile(h, der, sizeof der, &der_len, NULL);
    CloseHandle(h);
    return 1;
}

static void hex(const char *what, const BYTE *p, DWORD n)
{
    printf("%s:", what);
    for (DWORD i = 0; i < n; i++)
        printf(" %02x", p[i]);
    printf("\n");
}

/* decode `in` as `type`, encode it back, say whether the bytes are the same */
static int round_trip(LPCSTR type, const BYTE *in, DWORD n)
{
    void *st = NULL;
    DWORD len = 0;
    if (!CryptDecodeObjectEx(X509_ASN_ENCODING, type, in, n, CRYPT_DECODE_ALLOC_FLAG, NULL, &st,
                             &len))
        return -1;
    BYTE *out = NULL;
    DWORD olen = 0;
    int same = -2;
    if (CryptEncodeObjectEx(X509_ASN_ENCODING, type, st, CRYPT_ENCODE_ALLOC_FLAG, NULL, &out,
                            &olen)) {
        same = olen == n && !memcmp(out, in, n);
        LocalFree(out);
    }
    LocalFree(st);
    return same;
}

static void enc(const char *what, LPCSTR type, const void *info)
{
    BYTE out[256];
    DWORD len = sizeof out;
    if (CryptEncodeObjectEx(X509_ASN_ENCODING, type, info, 0, NULL, out, &len))
        hex(what, out, len);
    else
        printf("%s: error %08lx\n", what, GetLastError());
}

int main(void)
{
    static const char *const names[] = {"root", "inter", "leaf", "noca", "under"};
    for (int i = 0; i < 5; i++) {
        if (!load(names[i])) {
            printf("cannot open %s\n", names[i]);
            return 1;
        }
        PCCERT_CONTEXT c = CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len);
        PCERT_INFO ci = c->pCertInfo;
        printf("%s: cert %d", names[i], round_trip(X509_CERT, der, der_len));
        CERT_SIGNED_CONTENT_INFO *sc = NULL;
        DWORD len;
        CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT, der, der_len, CRYPT_DECODE_ALLOC_FLAG,
                            NULL, &sc, &len);
        printf(" to-be-signed %d", round_trip(X509_CERT_TO_BE_SIGNED, sc->ToBeSigned.pbData,
                                              sc->ToBeSigned.cbData));
        LocalFree(sc);
        printf(" issuer %d %d", round_trip(X509_NAME, ci->Issuer.pbData, ci->Issuer.cbData),
               round_trip(X509_UNICODE_NAME, ci->Issuer.pbData, ci->Issuer.cbData));
        printf(" subject %d", round_trip(X509_NAME, ci->Subject.pbData, ci->Subject.cbData));
        BYTE *pk = NULL;
        DWORD pklen = 0;
        CryptEncodeObjectEx(X509_ASN_ENCODING, X509_PUBLIC_KEY_INFO, &ci->SubjectPublicKeyInfo,
                            CRYPT_ENCODE_ALLOC_FLAG, NULL, &pk, &pklen);
        printf(" key %d", round_trip(X509_PUBLIC_KEY_INFO, pk, pklen));
        LocalFree(pk);
        printf(" extensions:");
        for (DWORD e = 0; e < ci->cExtension; e++)
            if (strcmp(ci->rgExtension[e].pszObjId, szOID_AUTHORITY_KEY_IDENTIFIER2))
                printf(" %s %d", ci->rgExtension[e].pszObjId,
                   round_trip(ci->rgExtension[e].pszObjId, ci->rgExtension[e].Value.pbData,
                              ci->rgExtension[e].Value.cbData));
        printf("\n");
        CertFreeCertificateContext(c);
    }

    static const int ints[] = {0, 1, 127, 128, 256, -1, -128, -129, 0x12345678};
    for (int i = 0; i < 9; i++) {
        char what[32];
        snprintf(what, sizeof what, "integer %d", ints[i]);
        enc(what, X509_INTEGER, &ints[i]);
    }
    BYTE le[] = {0x01, 0x02, 0x80, 0x00, 0x00};
    CRYPT_INTEGER_BLOB mb = {5, le};
    enc("multi-byte integer", X509_MULTI_BYTE_INTEGER, &mb);
    CERT_BASIC_CONSTRAINTS2_INFO bc = {TRUE, TRUE, 3}, bc0 = {FALSE, FALSE, 0};
    enc("basic constraints CA, path 3", X509_BASIC_CONSTRAINTS2, &bc);
    enc("basic constraints end entity", X509_BASIC_CONSTRAINTS2, &bc0);
    BYTE ku[1] = {CERT_DIGITAL_SIGNATURE_KEY_USAGE | CERT_KEY_CERT_SIGN_KEY_USAGE};
    CRYPT_BIT_BLOB kub = {1, ku, 2};
    enc("key usage", X509_KEY_USAGE, &kub);
    CRYPT_DATA_BLOB os = {3, (BYTE *)"abc"};
    enc("octet string", X509_OCTET_STRING, &os);
    static WCHAR cn[] = L"Gr\x00fc\x00df" L"e", org[] = L"ntrun";
    CERT_RDN_ATTR attrs[2] = {
        {(LPSTR)szOID_COMMON_NAME, CERT_RDN_UTF8_STRING, {sizeof cn - 2, (BYTE *)cn}},
        {(LPSTR)szOID_ORGANIZATION_NAME, CERT_RDN_PRINTABLE_STRING, {sizeof org - 2, (BYTE *)org}},
    };
    CERT_RDN rdn[2] = {{1, &attrs[0]}, {1, &attrs[1]}};
    CERT_NAME_INFO ni = {2, rdn};
    enc("unicode name", X509_UNICODE_NAME, &ni);
    CERT_ALT_NAME_ENTRY alt[3];
    alt[0].dwAltNameChoice = CERT_ALT_NAME_DNS_NAME, alt[0].pwszDNSName = (LPWSTR)L"a.example";
    alt[1].dwAltNameChoice = CERT_ALT_NAME_RFC822_NAME, alt[1].pwszRfc822Name = (LPWSTR)L"x@y";
    BYTE ip[4] = {10, 0, 0, 1};
    alt[2].dwAltNameChoice = CERT_ALT_NAME_IP_ADDRESS, alt[2].IPAddress.cbData = 4,
    alt[2].IPAddress.pbData = ip;
    CERT_ALT_NAME_INFO ai = {3, alt};
    enc("alternative names", X509_ALTERNATE_NAME, &ai);

    DWORD len = 0;
    BOOL ok = CryptEncodeObjectEx(X509_ASN_ENCODING, X509_INTEGER, &ints[8], 0, NULL, NULL, &len);
    printf("size asked: %d %lu\n", ok, len);
    BYTE small[2];
    len = sizeof small;
    SetLastError(0);
    ok = CryptEncodeObjectEx(X509_ASN_ENCODING, X509_INTEGER, &ints[8], 0, NULL, small, &len);
    printf("short buffer: %d %lu error %lu\n", ok, len, GetLastError());
    len = 0;
    SetLastError(0);
    ok = CryptEncodeObjectEx(X509_ASN_ENCODING, "1.2.3.4.5", &ints[0], 0, NULL, NULL, &len);
    printf("unknown structure: %d error %08lx\n", ok, GetLastError());
    BYTE buf[16];
    len = sizeof buf;
    ok = CryptEncodeObject(X509_ASN_ENCODING, X509_INTEGER, &ints[3], buf, &len);
    printf("CryptEncodeObject: %d ", ok);
    hex("", buf, len);
    return 0;
}
