/* crypt32's enhanced key usage: CertGetEnhancedKeyUsage of a certificate with the extension
 * (serverAuth, clientAuth) and of one without it, with no flag, CERT_FIND_EXT_ONLY_ and
 * CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG; the size query and a buffer too small;
 * CertSetEnhancedKeyUsage (the property wins over the extension; NULL removes it; an empty list
 * means no use at all), CertAddEnhancedKeyUsageIdentifier (twice: once is kept),
 * CertRemoveEnhancedKeyUsageIdentifier; CryptDecodeObjectEx and CryptEncodeObjectEx of
 * X509_ENHANCED_KEY_USAGE (the DER in hex). The certificates come from crypt_eku.gen.
 * Expected values: Microsoft's CertGetEnhancedKeyUsage page (an empty usage with
 * CRYPT_E_NOT_FOUND: good for every use; with last error 0: for none; a flag given and nothing
 * there: FALSE) and RFC 5280 4.2.1.12's DER; Wine 8.0 prints the same. */
#include <stdio.h>
#include <windows.h>
#include <wincrypt.h>
#include "crypt_files.h"

static BYTE der[2][4096];
static DWORD der_len[2];

static int load(int i, const char *name)
{
    return crypt_load("crypt_eku", name, der[i], sizeof der[i], &der_len[i]);
}

static void usage(const char *what, PCCERT_CONTEXT c, DWORD flags)
{
    union {
        CERT_ENHKEY_USAGE u;
        BYTE b[1024];
    } buf;
    DWORD size = 0;
    SetLastError(0xdeadbeef);
    BOOL ok = CertGetEnhancedKeyUsage(c, flags, NULL, &size);
    printf("%s: size query %d (%lu)", what, ok, ok ? 0 : GetLastError());
    if (!ok) {
        printf("\n");
        return;
    }
    DWORD big = sizeof buf;
    SetLastError(0);
    ok = CertGetEnhancedKeyUsage(c, flags, &buf.u, &big);
    DWORD err = GetLastError();
    printf(", get %d size %s, last error %08lx, %lu:", ok, big == size ? "same" : "differs", err,
           buf.u.cUsageIdentifier);
    for (DWORD i = 0; ok && i < buf.u.cUsageIdentifier; i++)
        printf(" %s%s", buf.u.rgpszUsageIdentifier[i],
               (BYTE *)buf.u.rgpszUsageIdentifier[i] > buf.b &&
                       (BYTE *)buf.u.rgpszUsageIdentifier[i] < buf.b + size
                   ? ""
                   : " (outside the buffer)");
    printf("\n");
}

static void hex(const BYTE *p, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        printf("%02x", p[i]);
}

int main(void)
{
    if (!load(0, "eku") || !load(1, "plain"))
        return 1;
    PCCERT_CONTEXT eku = CertCreateCertificateContext(X509_ASN_ENCODING, der[0], der_len[0]);
    PCCERT_CONTEXT plain = CertCreateCertificateContext(X509_ASN_ENCODING, der[1], der_len[1]);
    if (!eku || !plain) {
        printf("CertCreateCertificateContext failed %lu\n", GetLastError());
        return 1;
    }
    usage("extension, no flag", eku, 0);
    usage("extension, EXT_ONLY", eku, CERT_FIND_EXT_ONLY_ENHKEY_USAGE_FLAG);
    usage("extension, PROP_ONLY", eku, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG);
    usage("none, no flag", plain, 0);
    usage("none, EXT_ONLY", plain, CERT_FIND_EXT_ONLY_ENHKEY_USAGE_FLAG);

    CERT_ENHKEY_USAGE small;
    DWORD size = sizeof small;
    SetLastError(0xdeadbeef);
    BOOL ok = CertGetEnhancedKeyUsage(eku, 0, &small, &size);
    printf("buffer of %u: %d error %lu size %s\n", (unsigned)sizeof small, ok, GetLastError(),
           size > sizeof small ? "needed" : "unchanged");

    LPSTR sign[] = {szOID_PKIX_KP_CODE_SIGNING};
    CERT_ENHKEY_USAGE set = {1, sign};
    printf("set codeSigning: %d\n", CertSetEnhancedKeyUsage(eku, &set));
    usage("property, no flag", eku, 0);
    usage("property, EXT_ONLY", eku, CERT_FIND_EXT_ONLY_ENHKEY_USAGE_FLAG);
    usage("property, PROP_ONLY", eku, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG);
    printf("add emailProtection: %d\n",
           CertAddEnhancedKeyUsageIdentifier(eku, szOID_PKIX_KP_EMAIL_PROTECTION));
    printf("add it again: %d\n",
           CertAddEnhancedKeyUsageIdentifier(eku, szOID_PKIX_KP_EMAIL_PROTECTION));
    usage("after add", eku, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG);
    printf("remove codeSigning: %d\n",
           CertRemoveEnhancedKeyUsageIdentifier(eku, szOID_PKIX_KP_CODE_SIGNING));
    usage("after remove", eku, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG);
    printf("add to a certificate without any: %d\n",
           CertAddEnhancedKeyUsageIdentifier(plain, szOID_PKIX_KP_TIMESTAMP_SIGNING));
    usage("plain after add", plain, 0);
    printf("set NULL: %d\n", CertSetEnhancedKeyUsage(eku, NULL));
    usage("after set NULL, PROP_ONLY", eku, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG);
    usage("after set NULL, no flag", eku, 0);
    CERT_ENHKEY_USAGE none = {0, NULL};
    printf("set empty: %d\n", CertSetEnhancedKeyUsage(eku, &none));
    usage("empty, no flag", eku, 0);

    /* the structure itself */
    LPSTR two[] = {szOID_PKIX_KP_SERVER_AUTH, szOID_PKIX_KP_CLIENT_AUTH};
    CERT_ENHKEY_USAGE u2 = {2, two};
    BYTE enc[64];
    DWORD n = sizeof enc;
    ok = CryptEncodeObjectEx(X509_ASN_ENCODING, X509_ENHANCED_KEY_USAGE, &u2, 0, NULL, enc, &n);
    printf("encode: %d ", ok);
    hex(enc, ok ? n : 0);
    printf("\n");
    PCERT_ENHKEY_USAGE dec = NULL;
    DWORD dn = 0;
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, szOID_ENHANCED_KEY_USAGE, enc, n,
                             CRYPT_DECODE_ALLOC_FLAG, NULL, &dec, &dn);
    printf("decode: %d", ok);
    for (DWORD i = 0; ok && i < dec->cUsageIdentifier; i++)
        printf(" %s", dec->rgpszUsageIdentifier[i]);
    printf("\n");
    if (ok)
        LocalFree(dec);
    static const BYTE bad[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    SetLastError(0xdeadbeef);
    ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ENHANCED_KEY_USAGE, bad, sizeof bad,
                             CRYPT_DECODE_ALLOC_FLAG, NULL, &dec, &dn);
    printf("decode an INTEGER in the list: %d error %08lx\n", ok, GetLastError());
    CertFreeCertificateContext(eku);
    CertFreeCertificateContext(plain);
    return 0;
}
