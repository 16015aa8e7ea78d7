/* crypt32's CRLs in store formats and delta CRLs, on certificates and CRLs made at build time
 * by crypt_crl_formats.gen (openssl): a root, certificates "a", "b", "c", the root's base CRL
 * (number 5: "a" keyCompromise, "c" certificateHold; Freshest CRL) and delta CRL (number 6,
 * Delta CRL Indicator 5: "b" superseded, "c" removeFromCRL), a PKCS #7 bundle (.p7b) of the
 * root, "a" and the base CRL, DER and base64 (PEM), and one of "b" and the delta CRL.
 * - CertOpenStore(CERT_STORE_PROV_PKCS7) of the bundles: their certificates and CRLs;
 *   base and delta CRLs of one issuer are both kept by CertAddEncodedCRLToStore;
 *   CertFindCRLInStore(CRL_FIND_ISSUED_BY) with CRL_FIND_ISSUED_BY_DELTA_FLAG, _BASE_FLAG,
 *   both and neither; CertGetCRLFromStore with CERT_STORE_DELTA_CRL_FLAG/BASE_CRL_FLAG.
 * - CryptQueryObject of the bundle from a blob and a file, binary and base64 (content
 *   CERT_QUERY_CONTENT_PKCS7_SIGNED, format BINARY/BASE64_ENCODED, a store of both CRLs), of a
 *   CRL (its context), of a certificate asked only as a CRL (CRYPT_E_NO_MATCH).
 * - CertSaveStore: CERT_STORE_SAVE_AS_STORE to memory (the size asked first, ERROR_MORE_DATA
 *   when short) read back by CERT_STORE_PROV_SERIALIZED with a friendly name it carries;
 *   CERT_STORE_SAVE_AS_PKCS7 read back by CERT_STORE_PROV_PKCS7; both to a file name read back by
 *   CERT_STORE_PROV_FILENAME_W and CryptQueryObject; a serialized store without its header
 *   (CRYPT_E_FILE_ERROR) and a PKCS #7 blob that is none (an ASN.1 error).
 * - CertVerifyRevocation with the base CRL alone ("a" revoked keyCompromise, "b" good, "c"
 *   revoked certificateHold) and with both (RFC 5280's delta CRLs: "b" revoked superseded, "c"
 *   good again).
 * Expected output: Microsoft's pages of these functions and of the PKCS #7 and serialized
 * store formats (a .p7b saved by Windows is a ContentInfo of signedData), RFC 5280 5.2.4 for
 * delta CRLs. Wine 8.0 reads the bundles and answers CryptQueryObject the same, but: it keeps
 * one CRL of an issuer (the delta CRL counts as the base one's duplicate, so its finds and
 * CertGetCRLFromStore give the base CRL, leaving CERT_STORE_BASE/DELTA_CRL_FLAG set), a short
 * CertSaveStore buffer is error 6, not ERROR_MORE_DATA, the serialized store it saves reads back
 * empty, its PKCS #7 is no ContentInfo (30 82 .. 02 01 00), a serialized store without its header
 * leaves the last error alone, and in revocation dwReason stays 0, "b" with the base CRL alone is
 * CRYPT_E_REVOCATION_OFFLINE and the delta CRL is not applied. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROOT, A, B, C, NCERT };
static PCCERT_CONTEXT cert[NCERT];
static BYTE base_der[4096], delta_der[4096], p7b[16384], p7b64[24576];
static DWORD base_len, delta_len, p7b_len, p7b64_len;

/* FOLDER\NAME beside the program into path */
static void data_path(const char *name, WCHAR *path)
{
    char a[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, a, MAX_PATH);
    while (n && a[n - 1] != '\\' && a[n - 1] != '/')
        n--;
    snprintf(a + n, MAX_PATH - n, "crypt_crl_formats\\%s", name);
    MultiByteToWideChar(CP_ACP, 0, a, -1, path, MAX_PATH);
}

static DWORD load(const char *name, BYTE *buf, DWORD cap)
{
    WCHAR path[MAX_PATH];
    data_path(name, path);
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    if (h == INVALID_HANDLE_VALUE || !ReadFile(h, buf, cap, &got, NULL))
        printf("cannot read %s\n", name);
    CloseHandle(h);
    return got;
}

static int crl_number(PCCRL_CONTEXT c, const char *oid)
{
    PCERT_EXTENSION x = CertFindExtension(oid, c->pCrlInfo->cExtension,
                                          c->pCrlInfo->rgExtension);
    int v = -1;
    DWORD size = sizeof v;
    if (x)
        CryptDecodeObjectEx(X509_ASN_ENCODING, X509_INTEGER, x->Value.pbData, x->Value.cbData,
                            0, NULL, &v, &size);
    return v;
}

/* "base 5" or "delta 6 (of 5)" */
static void crl_name(PCCRL_CONTEXT c)
{
    int delta = crl_number(c, szOID_DELTA_CRL_INDICATOR);
    if (delta >= 0)
        printf("delta %d (of %d)", crl_number(c, szOID_CRL_NUMBER), delta);
    else
        printf("base %d", crl_number(c, szOID_CRL_NUMBER));
}

static void show_store(const char *what, HCERTSTORE s)
{
    printf("%s:", what);
    if (!s) {
        printf(" no store (%08lx)\n", GetLastError());
        return;
    }
    char name[128];
    for (PCCERT_CONTEXT c = NULL; (c = CertEnumCertificatesInStore(s, c));) {
        CertGetNameStringA(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
        printf(" [%s]", name);
    }
    for (PCCRL_CONTEXT c = NULL; (c = CertEnumCRLsInStore(s, c));) {
        printf(" [CRL ");
        crl_name(c);
        printf("]");
    }
    printf("\n");
}

static void find_flags(HCERTSTORE s)
{
    static const struct {
        DWORD flags;
        const char *what;
    } fl[] = {{0, "no flag"},
              {CRL_FIND_ISSUED_BY_DELTA_FLAG, "DELTA"},
              {CRL_FIND_ISSUED_BY_BASE_FLAG, "BASE"},
              {CRL_FIND_ISSUED_BY_DELTA_FLAG | CRL_FIND_ISSUED_BY_BASE_FLAG, "DELTA|BASE"},
              {CRL_FIND_ISSUED_BY_DELTA_FLAG | CRL_FIND_ISSUED_BY_SIGNATURE_FLAG |
                   CRL_FIND_ISSUED_BY_AKI_FLAG,
               "DELTA|SIGNATURE|AKI"}};
    for (size_t i = 0; i < sizeof fl / sizeof *fl; i++) {
        printf("  CertFindCRLInStore ISSUED_BY root %s:", fl[i].what);
        for (PCCRL_CONTEXT c = NULL;
             (c = CertFindCRLInStore(s, X509_ASN_ENCODING, fl[i].flags, CRL_FIND_ISSUED_BY,
                                     cert[ROOT], c));) {
            printf(" ");
            crl_name(c);
        }
        printf("\n");
    }
    static const DWORD get[] = {CERT_STORE_BASE_CRL_FLAG, CERT_STORE_DELTA_CRL_FLAG,
                                CERT_STORE_DELTA_CRL_FLAG | CERT_STORE_SIGNATURE_FLAG};
    for (size_t i = 0; i < 3; i++) {
        DWORD f = get[i];
        PCCRL_CONTEXT c = CertGetCRLFromStore(s, cert[ROOT], NULL, &f);
        printf("  CertGetCRLFromStore flags %lx: ", get[i]);
        if (c) {
            crl_name(c);
            printf(", flags left %lx\n", f);
            CertFreeCRLContext(c);
        } else {
            printf("none (%08lx)\n", GetLastError());
        }
    }
}

static void query(const char *what, DWORD type, const void *object, DWORD content,
                  DWORD format)
{
    DWORD enc = 0xcc, ctype = 0xcc, ftype = 0xcc;
    HCERTSTORE s = (HCERTSTORE)1;
    HCRYPTMSG msg = (HCRYPTMSG)1;
    const void *ctx = (const void *)1;
    SetLastError(0xdeadbeef);
    BOOL ok = CryptQueryObject(type, object, content, format, 0, &enc, &ctype, &ftype, &s,
                               &msg, &ctx);
    printf("CryptQueryObject %s: %d", what, ok);
    if (!ok) {
        printf(" (%08lx)\n", GetLastError());
        return;
    }
    printf(" encoding %lx content %lu format %lu context %s\n", enc, ctype, ftype,
           !ctx ? "none" : ctype == CERT_QUERY_CONTENT_CRL ? "a CRL" : "a certificate");
    show_store("  its store", s);
    if (ctx && ctype == CERT_QUERY_CONTENT_CRL)
        CertFreeCRLContext(ctx);
    else if (ctx)
        CertFreeCertificateContext(ctx);
    CertCloseStore(s, 0);
}

static void revocation(const char *what, HCERTSTORE crls)
{
    printf("CertVerifyRevocation, %s:", what);
    for (int i = A; i <= C; i++) {
        CERT_REVOCATION_PARA para = {sizeof para, cert[ROOT], 0, NULL, crls, NULL};
        CERT_REVOCATION_STATUS st = {sizeof st};
        BOOL ok = CertVerifyRevocation(X509_ASN_ENCODING, CERT_CONTEXT_REVOCATION_TYPE, 1,
                                       (void **)&cert[i], 0, &para, &st);
        printf(" %c %d", 'a' + i - A, ok);
        if (!ok)
            printf(" (%08lx reason %lu)", st.dwError, st.dwReason);
    }
    printf("\n");
}

int main(void)
{
    static const char *const names[NCERT] = {"root.der", "a.der", "b.der", "c.der"};
    for (int i = 0; i < NCERT; i++) {
        BYTE der[4096];
        DWORD n = load(names[i], der, sizeof der);
        cert[i] = CertCreateCertificateContext(X509_ASN_ENCODING, der, n);
    }
    base_len = load("base.crl.der", base_der, sizeof base_der);
    delta_len = load("delta.crl.der", delta_der, sizeof delta_der);
    p7b_len = load("bundle.p7b", p7b, sizeof p7b);
    p7b64_len = load("bundle.p7b.b64", p7b64, sizeof p7b64);

    CRYPT_DATA_BLOB blob = {p7b_len, p7b};
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_PKCS7, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
                                 0, 0, &blob);
    show_store("PKCS7 store of the bundle", s);
    CertCloseStore(s, 0);
    BYTE dp7b[8192];
    CRYPT_DATA_BLOB dblob = {load("delta.p7b", dp7b, sizeof dp7b), dp7b};
    s = CertOpenStore(CERT_STORE_PROV_PKCS7, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0,
                      &dblob);
    show_store("PKCS7 store of the delta bundle", s);
    CertCloseStore(s, 0);
    s = CertOpenStore(sz_CERT_STORE_PROV_PKCS7, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0,
                      &blob);
    show_store("the same by the name \"PKCS7\"", s);
    CertCloseStore(s, 0);
    BYTE junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    CRYPT_DATA_BLOB bad = {sizeof junk, junk};
    SetLastError(0xdeadbeef);
    s = CertOpenStore(CERT_STORE_PROV_PKCS7, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0, &bad);
    printf("PKCS7 store of no PKCS #7: %s (%s)\n", s ? "a store" : "none",
           HRESULT_FACILITY(GetLastError()) == FACILITY_SECURITY ? "a crypt32 error" : "other");

    HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    BOOL b1 = CertAddEncodedCRLToStore(mem, X509_ASN_ENCODING, base_der, base_len,
                                       CERT_STORE_ADD_USE_EXISTING, NULL);
    BOOL b2 = CertAddEncodedCRLToStore(mem, X509_ASN_ENCODING, delta_der, delta_len,
                                       CERT_STORE_ADD_USE_EXISTING, NULL);
    SetLastError(0xdeadbeef);
    BOOL b3 = CertAddEncodedCRLToStore(mem, X509_ASN_ENCODING, delta_der, delta_len,
                                       CERT_STORE_ADD_NEW, NULL);
    printf("CertAddEncodedCRLToStore base %d, delta %d, the delta again (ADD_NEW) %d %08lx\n",
           b1, b2, b3, GetLastError());
    CertAddCertificateContextToStore(mem, cert[ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    show_store("memory store", mem);
    find_flags(mem);

    query("blob, binary", CERT_QUERY_OBJECT_BLOB, &blob, CERT_QUERY_CONTENT_FLAG_ALL,
          CERT_QUERY_FORMAT_FLAG_ALL);
    CRYPT_DATA_BLOB blob64 = {p7b64_len, p7b64};
    query("blob, base64", CERT_QUERY_OBJECT_BLOB, &blob64, CERT_QUERY_CONTENT_FLAG_PKCS7_SIGNED,
          CERT_QUERY_FORMAT_FLAG_ALL);
    query("blob, base64 asked as binary only", CERT_QUERY_OBJECT_BLOB, &blob64,
          CERT_QUERY_CONTENT_FLAG_ALL, CERT_QUERY_FORMAT_FLAG_BINARY);
    WCHAR path[MAX_PATH];
    data_path("bundle.p7b", path);
    query("file", CERT_QUERY_OBJECT_FILE, path, CERT_QUERY_CONTENT_FLAG_ALL,
          CERT_QUERY_FORMAT_FLAG_ALL);
    CRYPT_DATA_BLOB crl_blob = {delta_len, delta_der};
    query("a CRL", CERT_QUERY_OBJECT_BLOB, &crl_blob, CERT_QUERY_CONTENT_FLAG_ALL,
          CERT_QUERY_FORMAT_FLAG_ALL);
    CRYPT_DATA_BLOB cert_blob = {cert[A]->cbCertEncoded, cert[A]->pbCertEncoded};
    query("a certificate", CERT_QUERY_OBJECT_BLOB, &cert_blob, CERT_QUERY_CONTENT_FLAG_ALL,
          CERT_QUERY_FORMAT_FLAG_ALL);
    query("a certificate asked as a CRL", CERT_QUERY_OBJECT_BLOB, &cert_blob,
          CERT_QUERY_CONTENT_FLAG_CRL, CERT_QUERY_FORMAT_FLAG_ALL);

    /* CertSaveStore */
    PCCERT_CONTEXT in_mem = CertEnumCertificatesInStore(mem, NULL);
    CRYPT_DATA_BLOB fname = {sizeof L"Root of the test", (BYTE *)L"Root of the test"};
    CertSetCertificateContextProperty(in_mem, CERT_FRIENDLY_NAME_PROP_ID, 0, &fname);
    CertFreeCertificateContext(in_mem);
    for (int as = CERT_STORE_SAVE_AS_STORE; as <= CERT_STORE_SAVE_AS_PKCS7; as++) {
        const char *how = as == CERT_STORE_SAVE_AS_STORE ? "AS_STORE" : "AS_PKCS7";
        CRYPT_DATA_BLOB out = {0, NULL};
        BOOL ok = CertSaveStore(mem, 0, as, CERT_STORE_SAVE_TO_MEMORY, &out, 0);
        DWORD need = out.cbData;
        BYTE *buf = malloc(need);
        out.pbData = buf;
        out.cbData = need - 1;
        SetLastError(0xdeadbeef);
        BOOL short_ok = CertSaveStore(mem, 0, as, CERT_STORE_SAVE_TO_MEMORY, &out, 0);
        DWORD short_err = GetLastError(), short_size = out.cbData;
        out.cbData = need;
        BOOL ok2 = CertSaveStore(mem, 0, as, CERT_STORE_SAVE_TO_MEMORY, &out, 0);
        /* (bytes 2 and 3: a PKCS #7's length, which the ECDSA signatures' vary) */
        printf("CertSaveStore %s to memory: size %d, one short %d %lu (size %d), %d size %d; "
               "begins %02x %02x .. .. %02x %02x %02x %02x\n",
               how, ok && need > 100, short_ok, short_err, short_size == need, ok2,
               out.cbData == need, buf[0], buf[1], buf[4], buf[5], buf[6], buf[7]);
        s = CertOpenStore(as == CERT_STORE_SAVE_AS_STORE ? CERT_STORE_PROV_SERIALIZED
                                                         : CERT_STORE_PROV_PKCS7,
                          X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0, &out);
        show_store("  read back", s);
        PCCERT_CONTEXT c = s ? CertEnumCertificatesInStore(s, NULL) : NULL;
        WCHAR fn[64] = L"";
        DWORD fnl = sizeof fn;
        BOOL has = c && CertGetCertificateContextProperty(c, CERT_FRIENDLY_NAME_PROP_ID, fn, &fnl);
        printf("  its friendly name: %d \"%ls\"\n", has, has ? fn : L"");
        CertFreeCertificateContext(c);
        CertCloseStore(s, 0);
        free(buf);
        WCHAR file[MAX_PATH];
        GetTempPathW(MAX_PATH, file);
        wcscat(file, as == CERT_STORE_SAVE_AS_STORE ? L"crl_formats.sst" : L"crl_formats.p7b");
        ok = CertSaveStore(mem, 0, as, CERT_STORE_SAVE_TO_FILENAME_W, file, 0);
        s = CertOpenStore(CERT_STORE_PROV_FILENAME_W, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
                          0, 0, file);
        printf("CertSaveStore %s to a file: %d\n", how, ok);
        show_store("  CERT_STORE_PROV_FILENAME_W", s);
        CertCloseStore(s, 0);
        query("of the file", CERT_QUERY_OBJECT_FILE, file, CERT_QUERY_CONTENT_FLAG_ALL,
              CERT_QUERY_FORMAT_FLAG_ALL);
        DeleteFileW(file);
    }
    BYTE noheader[12] = {0x20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    CRYPT_DATA_BLOB nh = {sizeof noheader, noheader};
    SetLastError(0xdeadbeef);
    s = CertOpenStore(CERT_STORE_PROV_SERIALIZED, 0, 0, 0, &nh);
    printf("serialized store without its header: %s %08lx\n", s ? "a store" : "none",
           GetLastError());
    CertCloseStore(mem, 0);

    HCERTSTORE crls = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddEncodedCRLToStore(crls, X509_ASN_ENCODING, base_der, base_len, CERT_STORE_ADD_ALWAYS,
                             NULL);
    revocation("the base CRL", crls);
    CertAddEncodedCRLToStore(crls, X509_ASN_ENCODING, delta_der, delta_len,
                             CERT_STORE_ADD_ALWAYS, NULL);
    revocation("the base and the delta CRL", crls);
    CertCloseStore(crls, 0);
    for (int i = 0; i < NCERT; i++)
        CertFreeCertificateContext(cert[i]);
    return 0;
}
