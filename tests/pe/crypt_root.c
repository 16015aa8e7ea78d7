/* crypt32's "ROOT" system store holds the host's trusted roots (its CA bundle, as Wine reads
 * it), by CertOpenSystemStoreW/A and CertOpenStore(CERT_STORE_PROV_SYSTEM_W, "Root"): there
 * are some, each parses, has a name and is self-issued (issuer == subject, as roots are);
 * CertFindCertificateInStore finds one again by its SHA-1; "MY" stays empty. Identical under
 * Wine 8.0 on a host with a CA bundle (Debian's ca-certificates). */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

static void count(const char *what, HCERTSTORE s)
{
    int n = 0, named = 0, self = 0;
    PCCERT_CONTEXT c = NULL, first = NULL;
    while ((c = CertEnumCertificatesInStore(s, c))) {
        WCHAR name[256];
        n++;
        if (CertGetNameStringW(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, 256) > 1)
            named++;
        if (CertCompareCertificateName(X509_ASN_ENCODING, &c->pCertInfo->Issuer,
                                       &c->pCertInfo->Subject))
            self++;
        if (!first)
            first = CertDuplicateCertificateContext(c);
    }
    printf("%s: some %d all named %d all self-issued %d\n", what, n > 20, named == n,
           self == n);
    if (first) {
        BYTE sha[20];
        DWORD len = sizeof sha;
        CertGetCertificateContextProperty(first, CERT_SHA1_HASH_PROP_ID, sha, &len);
        CRYPT_HASH_BLOB b = {len, sha};
        PCCERT_CONTEXT f = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0,
                                                      CERT_FIND_SHA1_HASH, &b, NULL);
        printf("  found again: %d\n", f != NULL);
        CertFreeCertificateContext(f);
        CertFreeCertificateContext(first);
    }
    CertCloseStore(s, 0);
}

int main(void)
{
    count("ROOT", CertOpenSystemStoreW(0, L"ROOT"));
    count("root (A)", CertOpenSystemStoreA(0, "root"));
    count("CertOpenStore Root", CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                              CERT_SYSTEM_STORE_CURRENT_USER, L"Root"));
    HCERTSTORE my = CertOpenSystemStoreW(0, L"MY");
    printf("MY first: %d\n", CertEnumCertificatesInStore(my, NULL) != NULL);
    CertCloseStore(my, 0);
    return 0;
}
