/* crypt32's certificate parsing as Windows does it, on two certificates embedded below (made
 * once with OpenSSL 3.0: an ECDSA P-256 CA with a UTF-8 subject, a quoted OU, an e-mail RDN and
 * subject alternative names (DNS, e-mail, URL, IP); a plain RSA-1024 one with only a CN):
 * CertCreateCertificateContext (and its errors on bad DER), the CERT_INFO fields (serial
 * little-endian, algorithms, validity, public key, extensions), CertGetNameStringW
 * (simple display, e-mail, RDN in X.500/simple/OID forms, attribute, DNS, URL, issuer, size
 * asked and a short buffer), CertNameToStrW/A flags, CertGetCertificateContextProperty
 * (SHA-1, MD5, key identifier, friendly name set and not), CryptDecodeObjectEx (X509_NAME,
 * X509_UNICODE_NAME, X509_PUBLIC_KEY_INFO, X509_CERT_TO_BE_SIGNED, subject alternative names,
 * basic constraints, key usage, sizes and ERROR_MORE_DATA), a memory store
 * (CertAddEncodedCertificateToStore dispositions, CertEnumCertificatesInStore,
 * CertFindCertificateInStore by SHA-1 and subject string, CertDeleteCertificateFromStore,
 * CERT_CLOSE_STORE_CHECK_FLAG with a context out), CertVerifyTimeValidity,
 * CertGetPublicKeyLength, CertCompareCertificateName, CryptHashCertificate.
 * Expected output: Wine 8.0's, but for three lines where Windows differs: Windows gives an EC
 * P-256 key's length (256; Wine 0), honours CERT_NAME_STR_NO_QUOTING_FLAG (Wine quotes) and
 * counts the friendly name's characters (6; Wine its bytes). The A functions are shown on
 * ASCII names only (their bytes depend on the ANSI code page). */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static const BYTE cert_c[702] = {
    0x30, 0x82, 0x02, 0xba, 0x30, 0x82, 0x02, 0x5f, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x08, 0x00,
    0xc0, 0xff, 0xee, 0x12, 0x34, 0x56, 0x78, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x04, 0x03, 0x02, 0x30, 0x81, 0x8e, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13,
    0x02, 0x44, 0x45, 0x31, 0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55, 0x04, 0x08, 0x0c, 0x06, 0x42, 0x65,
    0x72, 0x6c, 0x69, 0x6e, 0x31, 0x1d, 0x30, 0x1b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x14, 0x47,
    0x72, 0xc3, 0xbc, 0x6e, 0x65, 0x20, 0xc3, 0x96, 0x72, 0x74, 0x63, 0x68, 0x65, 0x6e, 0x20, 0x47,
    0x6d, 0x62, 0x48, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 0x0a, 0x54, 0x65,
    0x73, 0x74, 0x2c, 0x20, 0x55, 0x6e, 0x69, 0x74, 0x31, 0x16, 0x30, 0x14, 0x06, 0x03, 0x55, 0x04,
    0x03, 0x0c, 0x0d, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
    0x31, 0x22, 0x30, 0x20, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01, 0x16,
    0x13, 0x61, 0x64, 0x6d, 0x69, 0x6e, 0x40, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61,
    0x6d, 0x70, 0x6c, 0x65, 0x30, 0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x32, 0x30, 0x35, 0x30, 0x36,
    0x32, 0x32, 0x35, 0x33, 0x5a, 0x17, 0x0d, 0x33, 0x36, 0x31, 0x32, 0x30, 0x32, 0x30, 0x36, 0x32,
    0x32, 0x35, 0x33, 0x5a, 0x30, 0x81, 0x8e, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06,
    0x13, 0x02, 0x44, 0x45, 0x31, 0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55, 0x04, 0x08, 0x0c, 0x06, 0x42,
    0x65, 0x72, 0x6c, 0x69, 0x6e, 0x31, 0x1d, 0x30, 0x1b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x14,
    0x47, 0x72, 0xc3, 0xbc, 0x6e, 0x65, 0x20, 0xc3, 0x96, 0x72, 0x74, 0x63, 0x68, 0x65, 0x6e, 0x20,
    0x47, 0x6d, 0x62, 0x48, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 0x0a, 0x54,
    0x65, 0x73, 0x74, 0x2c, 0x20, 0x55, 0x6e, 0x69, 0x74, 0x31, 0x16, 0x30, 0x14, 0x06, 0x03, 0x55,
    0x04, 0x03, 0x0c, 0x0d, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
    0x65, 0x31, 0x22, 0x30, 0x20, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01,
    0x16, 0x13, 0x61, 0x64, 0x6d, 0x69, 0x6e, 0x40, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78,
    0x61, 0x6d, 0x70, 0x6c, 0x65, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    0xc8, 0x45, 0x19, 0xb2, 0x51, 0x0c, 0xa5, 0x58, 0x43, 0xc4, 0x01, 0x9e, 0x91, 0x0d, 0xb1, 0xec,
    0x15, 0xb1, 0xd3, 0xc2, 0x94, 0x01, 0x0a, 0x77, 0xb6, 0x86, 0x48, 0xb5, 0xb6, 0xe7, 0xe6, 0xe4,
    0x8e, 0x89, 0x4b, 0x22, 0xd8, 0xc8, 0xce, 0x33, 0x3c, 0xd6, 0x0d, 0xa3, 0x2b, 0x8e, 0x7b, 0xe5,
    0x94, 0x06, 0xe0, 0x63, 0x5f, 0x30, 0x9e, 0xa8, 0x5f, 0xdc, 0x47, 0x3d, 0x51, 0x80, 0xa5, 0x6b,
    0xa3, 0x81, 0xa4, 0x30, 0x81, 0xa1, 0x30, 0x12, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff,
    0x04, 0x08, 0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x02, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
    0x0e, 0x04, 0x16, 0x04, 0x14, 0x95, 0x4c, 0xcb, 0x3c, 0x56, 0x62, 0x25, 0x4b, 0xb8, 0x00, 0x43,
    0xfa, 0xfb, 0xf0, 0xc6, 0x1c, 0xb7, 0x58, 0xe5, 0xf9, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x1d, 0x0f,
    0x01, 0x01, 0xff, 0x04, 0x04, 0x03, 0x02, 0x02, 0x84, 0x30, 0x5c, 0x06, 0x03, 0x55, 0x1d, 0x11,
    0x04, 0x55, 0x30, 0x53, 0x82, 0x11, 0x77, 0x77, 0x77, 0x2e, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e,
    0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x82, 0x0d, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65,
    0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x81, 0x11, 0x61, 0x6c, 0x74, 0x40, 0x6e, 0x74, 0x72, 0x75,
    0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x86, 0x16, 0x68, 0x74, 0x74, 0x70, 0x73,
    0x3a, 0x2f, 0x2f, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
    0x2f, 0x87, 0x04, 0xc0, 0x00, 0x02, 0x07, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x04, 0x03, 0x02, 0x03, 0x49, 0x00, 0x30, 0x46, 0x02, 0x21, 0x00, 0x87, 0x39, 0x6b, 0xc3, 0x81,
    0xc7, 0x84, 0x94, 0xb6, 0xf1, 0x60, 0xa8, 0x4b, 0x4c, 0x94, 0xec, 0xd2, 0xab, 0x1a, 0xf3, 0x99,
    0x15, 0xb6, 0x37, 0x4e, 0xcb, 0x1a, 0xc0, 0xde, 0x33, 0x17, 0x59, 0x02, 0x21, 0x00, 0xfb, 0xac,
    0xd6, 0x3b, 0x54, 0xfe, 0x2e, 0x85, 0x51, 0xc9, 0xb3, 0x53, 0xf3, 0x1d, 0x9d, 0xcd, 0xd6, 0x52,
    0x41, 0xa9, 0x43, 0x13, 0xfb, 0x01, 0xa5, 0xf8, 0xd9, 0x41, 0xf6, 0xee, 0xd7, 0x9a,
};
static const BYTE cert_r[523] = {
    0x30, 0x82, 0x02, 0x07, 0x30, 0x82, 0x01, 0x70, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x07,
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00, 0x30,
    0x1f, 0x31, 0x1d, 0x30, 0x1b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x14, 0x73, 0x65, 0x63, 0x6f,
    0x6e, 0x64, 0x2e, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
    0x30, 0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x32, 0x30, 0x35, 0x30, 0x36, 0x32, 0x32, 0x35, 0x39,
    0x5a, 0x17, 0x0d, 0x32, 0x37, 0x30, 0x31, 0x30, 0x34, 0x30, 0x36, 0x32, 0x32, 0x35, 0x39, 0x5a,
    0x30, 0x1f, 0x31, 0x1d, 0x30, 0x1b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x14, 0x73, 0x65, 0x63,
    0x6f, 0x6e, 0x64, 0x2e, 0x6e, 0x74, 0x72, 0x75, 0x6e, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
    0x65, 0x30, 0x81, 0x9f, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
    0x01, 0x05, 0x00, 0x03, 0x81, 0x8d, 0x00, 0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00, 0xd4, 0x1f,
    0xa1, 0xd0, 0x17, 0x00, 0x5e, 0xf7, 0x40, 0xb4, 0xb0, 0xb7, 0x12, 0x3d, 0x8c, 0xc0, 0xd3, 0xb6,
    0x22, 0x04, 0x9b, 0x90, 0xc4, 0x17, 0x14, 0xec, 0x57, 0xf2, 0xcf, 0x1e, 0xef, 0x32, 0xed, 0x6f,
    0xf1, 0x3e, 0xb3, 0x58, 0x0a, 0x64, 0xef, 0x00, 0x41, 0x76, 0x5d, 0x75, 0x29, 0x5a, 0xb1, 0x4a,
    0xf1, 0x28, 0xfa, 0x2f, 0x39, 0x36, 0xad, 0x6f, 0x9e, 0xc9, 0x2c, 0x56, 0x5c, 0x4c, 0x8a, 0x91,
    0x05, 0x03, 0x0a, 0x35, 0x85, 0xe6, 0x29, 0x3a, 0x5a, 0x53, 0x9d, 0xd7, 0x35, 0x0c, 0x23, 0x13,
    0xaa, 0xf1, 0x51, 0xd2, 0x24, 0xad, 0xd4, 0xdb, 0x6e, 0x73, 0xdc, 0x0b, 0x5c, 0xc0, 0x78, 0x58,
    0xca, 0xbb, 0x73, 0xc2, 0xb0, 0x88, 0xc2, 0x03, 0x03, 0xab, 0xa0, 0x16, 0xb5, 0x2c, 0xcf, 0xcf,
    0x9f, 0xa6, 0xab, 0x21, 0x19, 0x3f, 0x50, 0xa1, 0x37, 0x5f, 0x98, 0x1f, 0xec, 0x4b, 0x02, 0x03,
    0x01, 0x00, 0x01, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16,
    0x04, 0x14, 0x6a, 0x08, 0x6a, 0xa6, 0x78, 0x4a, 0xa6, 0xfd, 0x4e, 0x50, 0x97, 0x89, 0xfa, 0xf3,
    0x81, 0xbd, 0xf7, 0xe6, 0x1b, 0x99, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30,
    0x16, 0x80, 0x14, 0x6a, 0x08, 0x6a, 0xa6, 0x78, 0x4a, 0xa6, 0xfd, 0x4e, 0x50, 0x97, 0x89, 0xfa,
    0xf3, 0x81, 0xbd, 0xf7, 0xe6, 0x1b, 0x99, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01,
    0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
    0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00, 0x03, 0x81, 0x81, 0x00, 0x13, 0x37, 0x5d, 0x1c, 0xa0,
    0x2c, 0xb7, 0xc6, 0x8d, 0x0c, 0xef, 0x3c, 0xc9, 0xaf, 0xcd, 0xf9, 0x5c, 0x86, 0x1b, 0xe5, 0x96,
    0x8e, 0x2c, 0xf2, 0xad, 0x94, 0x89, 0xd6, 0x96, 0x34, 0x5e, 0x82, 0xb9, 0x8d, 0x94, 0xf5, 0x47,
    0x74, 0xf2, 0x05, 0x11, 0xa3, 0x0c, 0x8d, 0x96, 0xbc, 0x10, 0xef, 0xe0, 0x4e, 0x28, 0x24, 0xa7,
    0x6d, 0x0f, 0x6a, 0x82, 0xfa, 0xa0, 0xc2, 0x0e, 0xb9, 0xcc, 0x25, 0x9c, 0xd8, 0x54, 0xf7, 0x13,
    0xab, 0x75, 0x54, 0x4e, 0xd4, 0xb2, 0xf5, 0x6a, 0x0a, 0x18, 0x3b, 0x9e, 0x1b, 0xcb, 0x93, 0xf1,
    0x4a, 0x9d, 0x37, 0xda, 0x83, 0x7f, 0xfe, 0x71, 0xc8, 0x06, 0x59, 0x57, 0xe1, 0x38, 0xf2, 0xc4,
    0xf6, 0x6c, 0xd5, 0x17, 0x2e, 0x27, 0xbf, 0x16, 0xa9, 0x56, 0x92, 0x0b, 0xe2, 0x75, 0xf3, 0x03,
    0xf7, 0x3e, 0xb9, 0xb0, 0x4f, 0xa8, 0x13, 0x91, 0x34, 0xca, 0x95,
};

static const char *u8(const WCHAR *w)
{
    static char buf[4][1024];
    static int k;
    char *b = buf[k++ & 3];
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL))
        strcpy(b, "(?)");
    return b;
}

static void hex(const BYTE *p, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static void show_time(const char *what, const FILETIME *ft)
{
    SYSTEMTIME st;
    FileTimeToSystemTime(ft, &st);
    printf("%s %04u-%02u-%02u %02u:%02u:%02u\n", what, st.wYear, st.wMonth, st.wDay, st.wHour,
           st.wMinute, st.wSecond);
}

static void show_name_info(const char *what, const CERT_NAME_INFO *ni, BOOL unicode)
{
    printf("%s: %lu RDNs\n", what, ni->cRDN);
    for (DWORD i = 0; i < ni->cRDN; i++)
        for (DWORD j = 0; j < ni->rgRDN[i].cRDNAttr; j++) {
            const CERT_RDN_ATTR *a = &ni->rgRDN[i].rgRDNAttr[j];
            printf("  %s type %lu ", a->pszObjId, a->dwValueType);
            if (!unicode) /* Wine 8.0 counts the NUL of some UTF-16 values, not of others */
                printf("len %lu ", a->Value.cbData);
            if (unicode || a->dwValueType == CERT_RDN_UTF8_STRING ||
                a->dwValueType == CERT_RDN_BMP_STRING)
                printf("\"%s\"\n", u8((const WCHAR *)a->Value.pbData));
            else
                printf("\"%.*s\"\n", (int)a->Value.cbData, (const char *)a->Value.pbData);
        }
}

static void name_string(PCCERT_CONTEXT c, DWORD type, DWORD flags, void *para, const char *what)
{
    WCHAR buf[512];
    DWORD need = CertGetNameStringW(c, type, flags, para, NULL, 0);
    DWORD got = CertGetNameStringW(c, type, flags, para, buf, 512);
    printf("name %s: need %lu got %lu \"%s\"\n", what, need, got, u8(buf));
}

static void name_to_str(const CERT_NAME_BLOB *b, DWORD type, const char *what)
{
    WCHAR buf[512];
    DWORD need = CertNameToStrW(X509_ASN_ENCODING, (CERT_NAME_BLOB *)b, type, NULL, 0);
    DWORD got = CertNameToStrW(X509_ASN_ENCODING, (CERT_NAME_BLOB *)b, type, buf, 512);
    printf("str %s: need %lu got %lu \"%s\"\n", what, need, got, u8(buf));
}

static void prop(PCCERT_CONTEXT c, DWORD id, const char *what)
{
    BYTE buf[64];
    DWORD n = 0;
    SetLastError(0);
    BOOL ok = CertGetCertificateContextProperty(c, id, NULL, &n);
    printf("prop %s: size ok %d n %lu err %08lx", what, ok, n, ok ? 0 : GetLastError());
    if (ok) {
        DWORD small = 4;
        SetLastError(0);
        BOOL r = CertGetCertificateContextProperty(c, id, buf, &small);
        printf(" short %d n %lu err %lu", r, small, GetLastError());
        n = sizeof buf;
        ok = CertGetCertificateContextProperty(c, id, buf, &n);
        printf(" value ");
        hex(buf, n);
    }
    printf("\n");
}

static void cert_info(PCCERT_CONTEXT c)
{
    const CERT_INFO *ci = c->pCertInfo;
    printf("encoding %lx encoded %lu same bytes %d version %lu\n", c->dwCertEncodingType,
           c->cbCertEncoded, c->pbCertEncoded != NULL, ci->dwVersion);
    printf("serial (%lu) ", ci->SerialNumber.cbData);
    hex(ci->SerialNumber.pbData, ci->SerialNumber.cbData);
    printf("\nsignature %s params %lu\n", ci->SignatureAlgorithm.pszObjId,
           ci->SignatureAlgorithm.Parameters.cbData);
    show_time("not before", &ci->NotBefore);
    show_time("not after", &ci->NotAfter);
    printf("issuer %lu bytes, subject %lu bytes, same %d\n", ci->Issuer.cbData,
           ci->Subject.cbData, CertCompareCertificateName(X509_ASN_ENCODING,
                                                          (CERT_NAME_BLOB *)&ci->Issuer,
                                                          (CERT_NAME_BLOB *)&ci->Subject));
    const CERT_PUBLIC_KEY_INFO *pk = &ci->SubjectPublicKeyInfo;
    printf("key %s params ", pk->Algorithm.pszObjId);
    hex(pk->Algorithm.Parameters.pbData, pk->Algorithm.Parameters.cbData);
    printf(" bits %lu unused %lu first %02x length %lu\n", pk->PublicKey.cbData,
           pk->PublicKey.cUnusedBits, pk->PublicKey.pbData[0],
           CertGetPublicKeyLength(X509_ASN_ENCODING, (CERT_PUBLIC_KEY_INFO *)pk));
    printf("unique ids %lu %lu, %lu extensions\n", ci->IssuerUniqueId.cbData,
           ci->SubjectUniqueId.cbData, ci->cExtension);
    for (DWORD i = 0; i < ci->cExtension; i++) {
        printf("  %s critical %d value %lu ", ci->rgExtension[i].pszObjId,
               ci->rgExtension[i].fCritical, ci->rgExtension[i].Value.cbData);
        hex(ci->rgExtension[i].Value.pbData, ci->rgExtension[i].Value.cbData > 8 ? 8 :
            ci->rgExtension[i].Value.cbData);
        printf("\n");
    }
}

static void bad_der(const char *what, const BYTE *p, DWORD n)
{
    SetLastError(0);
    PCCERT_CONTEXT c = CertCreateCertificateContext(X509_ASN_ENCODING, p, n);
    printf("create %s: %d err %08lx\n", what, c != NULL, c ? 0 : GetLastError());
    if (c)
        CertFreeCertificateContext(c);
}

static void decodes(PCCERT_CONTEXT c)
{
    const CERT_INFO *ci = c->pCertInfo;
    CERT_NAME_INFO *ni = NULL;
    DWORD n = 0;
    BOOL ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_NAME, ci->Subject.pbData,
                                  ci->Subject.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &ni, &n);
    printf("decode X509_NAME alloc: %d\n", ok);
    if (ok) {
        show_name_info("subject", ni, FALSE);
        LocalFree(ni);
    }
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_UNICODE_NAME, ci->Subject.pbData,
                             ci->Subject.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &ni, &n);
    printf("decode X509_UNICODE_NAME alloc: %d\n", ok);
    if (ok) {
        show_name_info("subject", ni, TRUE);
        LocalFree(ni);
    }
    /* a size, then a short buffer, then the buffer */
    DWORD need = 0;
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_NAME, ci->Issuer.pbData,
                             ci->Issuer.cbData, 0, NULL, NULL, &need);
    DWORD small = 16;
    BYTE sbuf[16];
    SetLastError(0);
    BOOL r = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_NAME, ci->Issuer.pbData,
                                 ci->Issuer.cbData, 0, NULL, sbuf, &small);
    printf("decode size: %d need>0 %d short %d err %lu small==need %d\n", ok, need > 0, r,
           GetLastError(), small == need);
    void *big = LocalAlloc(0, need);
    n = need;
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_NAME, ci->Issuer.pbData, ci->Issuer.cbData,
                             0, NULL, big, &n);
    printf("decode into buffer: %d\n", ok);
    if (ok)
        show_name_info("issuer", big, FALSE);
    LocalFree(big);

    /* the public key info as its own encoding: re-encode? take it from the certificate */
    CERT_INFO *tbs = NULL;
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT_TO_BE_SIGNED, c->pbCertEncoded,
                             c->cbCertEncoded, CRYPT_DECODE_ALLOC_FLAG, NULL, &tbs, &n);
    printf("decode X509_CERT_TO_BE_SIGNED: %d", ok);
    if (ok) {
        printf(" version %lu serial %lu extensions %lu key %s\n", tbs->dwVersion,
               tbs->SerialNumber.cbData, tbs->cExtension,
               tbs->SubjectPublicKeyInfo.Algorithm.pszObjId);
        LocalFree(tbs);
    } else
        printf(" err %08lx\n", GetLastError());

    CERT_SIGNED_CONTENT_INFO *sci = NULL;
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT, c->pbCertEncoded, c->cbCertEncoded,
                             CRYPT_DECODE_ALLOC_FLAG, NULL, &sci, &n);
    printf("decode X509_CERT: %d", ok);
    if (ok) {
        printf(" to-be-signed %lu alg %s signature %lu unused %lu\n", sci->ToBeSigned.cbData,
               sci->SignatureAlgorithm.pszObjId, sci->Signature.cbData,
               sci->Signature.cUnusedBits);
        CERT_PUBLIC_KEY_INFO *pki = NULL;
        /* the SubjectPublicKeyInfo of the RSA certificate starts at a known offset: find it
           by decoding the to-be-signed part again */
        CERT_INFO *ti = NULL;
        if (CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT_TO_BE_SIGNED,
                                sci->ToBeSigned.pbData, sci->ToBeSigned.cbData,
                                CRYPT_DECODE_ALLOC_FLAG, NULL, &ti, &n)) {
            printf("  bare to-be-signed decodes too: subject %lu bytes\n", ti->Subject.cbData);
            LocalFree(ti);
        }
        LocalFree(pki);
        LocalFree(sci);
    } else
        printf(" err %08lx\n", GetLastError());

    for (DWORD i = 0; i < ci->cExtension; i++) {
        const CERT_EXTENSION *e = &ci->rgExtension[i];
        if (!strcmp(e->pszObjId, szOID_SUBJECT_ALT_NAME2)) {
            CERT_ALT_NAME_INFO *an = NULL;
            ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, e->Value.pbData,
                                     e->Value.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &an, &n);
            printf("alt names: %d count %lu\n", ok, ok ? an->cAltEntry : 0);
            for (DWORD k = 0; ok && k < an->cAltEntry; k++) {
                CERT_ALT_NAME_ENTRY *en = &an->rgAltEntry[k];
                printf("  choice %lu ", en->dwAltNameChoice);
                if (en->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS)
                    hex(en->IPAddress.pbData, en->IPAddress.cbData);
                else
                    printf("%s", u8(en->pwszDNSName));
                printf("\n");
            }
            if (ok)
                LocalFree(an);
        } else if (!strcmp(e->pszObjId, szOID_BASIC_CONSTRAINTS2)) {
            CERT_BASIC_CONSTRAINTS2_INFO bc;
            n = sizeof bc;
            ok = CryptDecodeObjectEx(X509_ASN_ENCODING, szOID_BASIC_CONSTRAINTS2,
                                     e->Value.pbData, e->Value.cbData, 0, NULL, &bc, &n);
            printf("basic constraints: %d ca %d has path %d path %lu size %lu\n", ok, bc.fCA,
                   bc.fPathLenConstraint, bc.dwPathLenConstraint, n);
        } else if (!strcmp(e->pszObjId, szOID_KEY_USAGE)) {
            CRYPT_BIT_BLOB *bits = NULL;
            ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_KEY_USAGE, e->Value.pbData,
                                     e->Value.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &bits, &n);
            printf("key usage: %d bytes %lu unused %lu first %02x\n", ok, bits->cbData,
                   bits->cUnusedBits, bits->pbData[0]);
            LocalFree(bits);
        } else if (!strcmp(e->pszObjId, szOID_SUBJECT_KEY_IDENTIFIER)) {
            CRYPT_DATA_BLOB *ski = NULL;
            ok = CryptDecodeObjectEx(X509_ASN_ENCODING, szOID_SUBJECT_KEY_IDENTIFIER,
                                     e->Value.pbData, e->Value.cbData, CRYPT_DECODE_ALLOC_FLAG,
                                     NULL, &ski, &n);
            printf("key identifier: %d ", ok);
            hex(ski->pbData, ski->cbData);
            printf("\n");
            LocalFree(ski);
        }
    }
    CERT_PUBLIC_KEY_INFO *pki = NULL;
    /* the public key info's own DER: SEQUENCE { SEQUENCE { OID, OID }, BIT STRING } sits in the
       EC certificate; find it by its algorithm OID's first bytes */
    for (DWORD off = 0; off + 4 < c->cbCertEncoded; off++) {
        const BYTE *p = c->pbCertEncoded + off;
        if (p[0] == 0x30 && p[1] == 0x59 && p[2] == 0x30 && p[3] == 0x13) {
            ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_PUBLIC_KEY_INFO, p, 0x5b,
                                     CRYPT_DECODE_ALLOC_FLAG, NULL, &pki, &n);
            printf("decode X509_PUBLIC_KEY_INFO: %d %s bits %lu\n", ok,
                   ok ? pki->Algorithm.pszObjId : "-", ok ? pki->PublicKey.cbData : 0);
            if (ok)
                LocalFree(pki);
            break;
        }
    }
    SetLastError(0);
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_NAME, (const BYTE *)"\x31\x00", 2,
                             CRYPT_DECODE_ALLOC_FLAG, NULL, &ni, &n);
    printf("decode a SET as a name: %d err %08lx\n", ok, ok ? 0 : GetLastError());
}

static void store_test(void)
{
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCERT_CONTEXT a = NULL, b = NULL, e;
    BOOL ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, cert_c, sizeof cert_c,
                                               CERT_STORE_ADD_NEW, &a);
    printf("store add new: %d store %d\n", ok, a && a->hCertStore == s);
    SetLastError(0);
    ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, cert_c, sizeof cert_c,
                                          CERT_STORE_ADD_NEW, &b);
    printf("store add again new: %d err %08lx out %d\n", ok, ok ? 0 : GetLastError(), b != NULL);
    ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, cert_c, sizeof cert_c,
                                          CERT_STORE_ADD_USE_EXISTING, &b);
    printf("store add use existing: %d same %d\n", ok, b == a);
    CertFreeCertificateContext(b);
    ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, cert_r, sizeof cert_r,
                                          CERT_STORE_ADD_ALWAYS, NULL);
    printf("store add second: %d\n", ok);
    int count = 0;
    e = NULL;
    while ((e = CertEnumCertificatesInStore(s, e))) {
        WCHAR nm[128];
        CertGetNameStringW(e, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, nm, 128);
        printf("  enum %d: %s\n", count++, u8(nm));
    }
    printf("enum end err %08lx\n", GetLastError());
    BYTE sha[20];
    DWORD n = sizeof sha;
    CertGetCertificateContextProperty(a, CERT_SHA1_HASH_PROP_ID, sha, &n);
    CRYPT_HASH_BLOB hb = {n, sha};
    e = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hb, NULL);
    printf("find sha1: %d same %d\n", e != NULL, e == a);
    CertFreeCertificateContext(e);
    e = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_W,
                                   L"SECOND.ntrun", NULL);
    WCHAR nm[128] = L"";
    if (e)
        CertGetNameStringW(e, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, nm, 128);
    printf("find subject str: %d %s\n", e != NULL, u8(nm));
    PCCERT_CONTEXT again = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0,
                                                      CERT_FIND_SUBJECT_STR_W, L"SECOND.ntrun",
                                                      e);
    printf("find next: %d err %08lx\n", again != NULL, again ? 0 : GetLastError());
    e = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_A, "nTrUn.EX",
                                   NULL);
    printf("find subject str A: %d\n", e != NULL);
    PCCERT_CONTEXT dup = CertDuplicateCertificateContext(e);
    printf("duplicate same: %d\n", dup == e);
    CertFreeCertificateContext(dup);
    ok = CertDeleteCertificateFromStore(e);
    printf("delete: %d\n", ok);
    count = 0;
    e = NULL;
    while ((e = CertEnumCertificatesInStore(s, e)))
        count++;
    printf("left: %d\n", count);
    SetLastError(0);
    ok = CertCloseStore(s, CERT_CLOSE_STORE_CHECK_FLAG);
    printf("close with a context out: %d err %08lx\n", ok, ok ? 0 : GetLastError());
    WCHAR still[128];
    CertGetNameStringW(a, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, still, 128);
    printf("context still usable: %s\n", u8(still));
    printf("free: %d\n", CertFreeCertificateContext(a));
}

int main(void)
{
    BYTE bad[sizeof cert_c];
    bad_der("empty", cert_c, 0);
    bad_der("truncated", cert_c, 100);
    memcpy(bad, cert_c, sizeof bad);
    bad[0] = 0x31;
    bad_der("a SET", bad, sizeof bad);
    bad_der("an INTEGER", (const BYTE *)"\x02\x01\x05", 3);

    PCCERT_CONTEXT c = CertCreateCertificateContext(X509_ASN_ENCODING, cert_c, sizeof cert_c);
    printf("create: %d\n", c != NULL);
    if (!c)
        return 1;
    cert_info(c);
    name_string(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, "simple");
    name_string(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, "issuer simple");
    name_string(c, CERT_NAME_FRIENDLY_DISPLAY_TYPE, 0, NULL, "friendly");
    name_string(c, CERT_NAME_EMAIL_TYPE, 0, NULL, "email");
    name_string(c, CERT_NAME_DNS_TYPE, 0, NULL, "dns");
    name_string(c, CERT_NAME_URL_TYPE, 0, NULL, "url");
    name_string(c, CERT_NAME_ATTR_TYPE, 0, szOID_ORGANIZATION_NAME, "attr O");
    name_string(c, CERT_NAME_ATTR_TYPE, 0, szOID_LOCALITY_NAME, "attr L");
    DWORD t = CERT_X500_NAME_STR;
    name_string(c, CERT_NAME_RDN_TYPE, 0, &t, "rdn x500");
    t = CERT_SIMPLE_NAME_STR;
    name_string(c, CERT_NAME_RDN_TYPE, 0, &t, "rdn simple");
    t = CERT_OID_NAME_STR | CERT_NAME_STR_SEMICOLON_FLAG;
    name_string(c, CERT_NAME_RDN_TYPE, 0, &t, "rdn oid;");
    t = CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG;
    name_string(c, CERT_NAME_RDN_TYPE, 0, &t, "rdn x500 reverse");
    WCHAR sbuf[6];
    DWORD got = CertGetNameStringW(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, sbuf, 6);
    printf("name short buffer: %lu \"%s\"\n", got, u8(sbuf));

    const CERT_NAME_BLOB *subj = &c->pCertInfo->Subject;
    name_to_str(subj, CERT_X500_NAME_STR, "x500");
    name_to_str(subj, CERT_X500_NAME_STR | CERT_NAME_STR_NO_QUOTING_FLAG, "x500 no quoting");
    name_to_str(subj, CERT_X500_NAME_STR | CERT_NAME_STR_CRLF_FLAG, "x500 crlf");
    name_to_str(subj, CERT_SIMPLE_NAME_STR | CERT_NAME_STR_REVERSE_FLAG, "simple reverse");
    name_to_str(subj, CERT_OID_NAME_STR, "oid");
    prop(c, CERT_SHA1_HASH_PROP_ID, "sha1");
    prop(c, CERT_MD5_HASH_PROP_ID, "md5");
    prop(c, CERT_KEY_IDENTIFIER_PROP_ID, "key id");
    prop(c, CERT_FRIENDLY_NAME_PROP_ID, "friendly");
    CRYPT_DATA_BLOB fn = {sizeof L"My CA", (BYTE *)L"My CA"};
    printf("set friendly: %d\n",
           CertSetCertificateContextProperty(c, CERT_FRIENDLY_NAME_PROP_ID, 0, &fn));
    prop(c, CERT_FRIENDLY_NAME_PROP_ID, "friendly");
    name_string(c, CERT_NAME_FRIENDLY_DISPLAY_TYPE, 0, NULL, "friendly after set");
    decodes(c);

    BYTE h[20];
    DWORD hn = sizeof h;
    BOOL ok = CryptHashCertificate(0, CALG_SHA1, 0, cert_r, sizeof cert_r, h, &hn);
    printf("hash certificate: %d ", ok);
    hex(h, hn);
    printf("\n");

    FILETIME ft;
    SYSTEMTIME st = {2030, 1, 0, 1, 0, 0, 0, 0};
    SystemTimeToFileTime(&st, &ft);
    printf("valid 2030: %ld", CertVerifyTimeValidity(&ft, c->pCertInfo));
    st.wYear = 2020;
    SystemTimeToFileTime(&st, &ft);
    printf(" 2020: %ld", CertVerifyTimeValidity(&ft, c->pCertInfo));
    st.wYear = 2040;
    SystemTimeToFileTime(&st, &ft);
    printf(" 2040: %ld\n", CertVerifyTimeValidity(&ft, c->pCertInfo));

    PCCERT_CONTEXT r = CertCreateCertificateContext(X509_ASN_ENCODING, cert_r, sizeof cert_r);
    printf("second: %d\n", r != NULL);
    cert_info(r);
    name_string(r, CERT_NAME_EMAIL_TYPE, 0, NULL, "email");
    name_string(r, CERT_NAME_DNS_TYPE, 0, NULL, "dns");
    name_string(r, CERT_NAME_ATTR_TYPE, 0, szOID_ORGANIZATION_NAME, "attr O");
    char abuf[64];
    DWORD an = CertNameToStrA(X509_ASN_ENCODING, &r->pCertInfo->Subject,
                              CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG, abuf, sizeof abuf);
    printf("str A: %lu \"%s\"", an, abuf);
    an = CertGetNameStringA(r, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, abuf, sizeof abuf);
    printf(" name A: %lu \"%s\"\n", an, abuf);
    prop(r, CERT_KEY_IDENTIFIER_PROP_ID, "key id");
    CertFreeCertificateContext(r);
    printf("free: %d\n", CertFreeCertificateContext(c));
    store_test();
    return 0;
}
