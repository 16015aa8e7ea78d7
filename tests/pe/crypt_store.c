/* crypt32's certificate stores as a program sees an empty one: a memory store and the current
 * user's "MY" store (empty on a fresh Windows account and Wine prefix) open by number and by
 * name, enumerate and find nothing (CRYPT_E_NOT_FOUND), duplicate and close with their
 * reference count (CERT_CLOSE_STORE_CHECK_FLAG reports a store still open elsewhere).
 * Identical under Wine 8.0. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

static void enumerate(const char *what, HCERTSTORE s)
{
    SetLastError(0);
    PCCERT_CONTEXT c = CertEnumCertificatesInStore(s, NULL);
    printf("%s: open %d first cert %d err %08lx", what, s != NULL, c != NULL,
           c ? 0 : GetLastError());
    SetLastError(0);
    c = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL, NULL);
    printf(" find %d err %08lx\n", c != NULL, c ? 0 : GetLastError());
}

int main(void)
{
    HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    enumerate("memory", mem);
    HCERTSTORE dup = CertDuplicateStore(mem);
    printf("duplicate same %d\n", dup == mem);
    BOOL ok = CertCloseStore(mem, CERT_CLOSE_STORE_CHECK_FLAG);
    printf("close with a reference left: %d err %08lx\n", ok, ok ? 0 : GetLastError());
    printf("close last: %d\n", CertCloseStore(dup, CERT_CLOSE_STORE_CHECK_FLAG));
    HCERTSTORE my = CertOpenSystemStoreW(0, L"MY");
    enumerate("system MY", my);
    printf("close: %d\n", CertCloseStore(my, 0));
    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"MY");
    enumerate("CertOpenStore system MY", my);
    printf("close: %d\n", CertCloseStore(my, 0));
    my = CertOpenStore(sz_CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    enumerate("by name Memory", my);
    printf("close: %d\n", CertCloseStore(my, 0));
    printf("close NULL: %d free NULL context: %d\n", CertCloseStore(NULL, 0),
           CertFreeCertificateContext(NULL));
    return 0;
}
