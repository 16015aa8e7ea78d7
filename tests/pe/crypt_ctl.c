/* crypt32's certificate trust lists (CTLs), on pe.crypt_msg's data (crypt_msg.gen: the fixed
 * RSA-2048 signer key and its certificate, an ECDSA certificate):
 * - PKCS_CTL encoded (a CTL of two usages, a list identifier, a sequence number, both times,
 *   SHA-1 subjects with and without attributes, an extension; and the empty CTL, whose bytes
 *   are Windows' in Wine's tests) and decoded back; damaged and truncated CTLs refused.
 * - CryptMsgEncodeAndSignCTL (PKCS #7: the CTL itself in the content, contentType and
 *   messageDigest added; CMSG_CMS_ENCAPSULATED_CTL_FLAG: CMS) and CryptMsgSignCTL of an unsigned
 *   list; CertCreateCTLContext (the encoding type, CTL_INFO, content bytes, the message handle),
 *   its refusals (E_INVALIDARG, ERROR_INVALID_DATA for no bytes, a bare CTL and a data
 *   message) and every truncation and every one-byte change of the signed CTL (no crash).
 * - CertGetCTLContextProperty (SHA-1 and MD5 of the message), Set; the store functions
 *   (add, CERT_STORE_ADD_NEW's CRYPT_E_EXISTS, enumerate, delete) and CertFindCTLInStore by
 *   hash, usage (at least / exactly), list identifier, signer, no signer, subject, existing;
 *   a serialized store (CertSaveStore, CERT_STORE_PROV_SERIALIZED) keeps the CTLs and their
 *   properties.
 * - CertFindSubjectInCTL by certificate and by identifier; CertVerifyCTLUsage: trusted for
 *   the usage (the entry, the signer), more usages than asked (only with
 *   CERT_VERIFY_ALLOW_MORE_USAGE_FLAG), a subject not listed, no trusted signer, a bad
 *   signature, an expired list (CERT_VERIFY_NO_TIME_CHECK_FLAG), a bad status size.
 * With the arguments `write DIR` it writes the CTL and both signed forms for
 * tests/cli/crypt-ctl-openssl.sh (openssl asn1parse, pkcs7 -print, cms -verify).
 * Wine 8.0 cannot sign with an NCrypt key and lacks CertFindSubjectInCTL and
 * CertVerifyCTLUsage; it prints the same for the encoding, the empty CTL and the refusals. */
#include <windows.h>
#include <wincrypt.h>
#include <ncrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypt_files.h"
#include "crypt_msg_common.h"

#define ENC (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING)

static void save(const char *dir, const char *name, const BYTE *p, DWORD n)
{
    char path[MAX_PATH];
    DWORD done;
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE || !WriteFile(h, p, n, &done, NULL) || done != n)
        printf("cannot write %s\n", path);
    CloseHandle(h);
}

static FILETIME ft(WORD y, WORD m, WORD d)
{
    SYSTEMTIME st = {y, m, 0, d, 0, 0, 0, 0};
    FILETIME f;
    SystemTimeToFileTime(&st, &f);
    return f;
}

static void sha1(const BYTE *p, DWORD n, BYTE out[20])
{
    DWORD len = 20;
    CryptHashCertificate(0, CALG_SHA1, 0, p, n, out, &len);
}

static NCRYPT_KEY_HANDLE import_key(const char *file)
{
    NCRYPT_PROV_HANDLE prov = 0;
    NCRYPT_KEY_HANDLE key = 0;
    DWORD n;
    BYTE *blob = load(file, &n);
    SECURITY_STATUS st = NCryptOpenStorageProvider(&prov, MS_KEY_STORAGE_PROVIDER, 0);
    if (!st)
        st = NCryptImportKey(prov, 0, BCRYPT_RSAPRIVATE_BLOB, NULL, &key, blob, n, 0);
    if (st)
        printf("import %s: %08lx\n", file, (unsigned long)st);
    free(blob);
    return key;
}

static LPSTR usages[] = {szOID_PKIX_KP_CODE_SIGNING, szOID_KP_CTL_USAGE_SIGNING};
static BYTE list_id[] = "ntrun-list", seq_no[] = {7}, other_id[20] = {1, 2, 3, 4, 5};
static BYTE signer_hash[20], ec_hash[20];
static BYTE attr_value[] = {0x04, 0x03, 'a', 'b', 'c'};
static CRYPT_ATTR_BLOB attr_blob = {sizeof attr_value, attr_value};
static CRYPT_ATTRIBUTE attr = {"1.3.6.1.4.1.311.10.11.11", 1, &attr_blob};
static CTL_ENTRY entries[3];
static BYTE ext_value[] = {0x05, 0x00};
static CERT_EXTENSION ext = {"1.2.3.4.5", FALSE, {sizeof ext_value, ext_value}};

static BYTE fixed1[20] = {0xaa, 0xbb}, fixed2[20] = {0xcc, 0xdd};

/* The CTL of this test; `fixed`: its first two subjects are fixed bytes instead of the
 * certificates' hashes (which change with every build's certificates) */
static void make_info(CTL_INFO *ci, FILETIME next, BOOL fixed)
{
    memset(ci, 0, sizeof *ci);
    ci->SubjectUsage.cUsageIdentifier = 2;
    ci->SubjectUsage.rgpszUsageIdentifier = usages;
    ci->ListIdentifier.cbData = sizeof list_id - 1;
    ci->ListIdentifier.pbData = list_id;
    ci->SequenceNumber.cbData = 1;
    ci->SequenceNumber.pbData = seq_no;
    ci->ThisUpdate = ft(2024, 1, 1);
    ci->NextUpdate = next;
    ci->SubjectAlgorithm.pszObjId = szOID_OIWSEC_sha1;
    entries[0] = (CTL_ENTRY){{20, fixed ? fixed1 : signer_hash}, 1, &attr};
    entries[1] = (CTL_ENTRY){{20, fixed ? fixed2 : ec_hash}, 0, NULL};
    entries[2] = (CTL_ENTRY){{20, other_id}, 0, NULL};
    ci->cCTLEntry = 3;
    ci->rgCTLEntry = entries;
    ci->cExtension = 1;
    ci->rgExtension = &ext;
}

static void print_time(const char *label, FILETIME f)
{
    SYSTEMTIME st;
    FileTimeToSystemTime(&f, &st);
    printf("  %s %04u-%02u-%02u\n", label, st.wYear, st.wMonth, st.wDay);
}

static void print_info(const CTL_INFO *ci)
{
    printf("  version %lu, usages %lu:", (unsigned long)ci->dwVersion,
           (unsigned long)ci->SubjectUsage.cUsageIdentifier);
    for (DWORD i = 0; i < ci->SubjectUsage.cUsageIdentifier; i++)
        printf(" %s", ci->SubjectUsage.rgpszUsageIdentifier[i]);
    printf("\n  list id \"%.*s\", sequence %lu byte(s) %02x\n", (int)ci->ListIdentifier.cbData,
           ci->ListIdentifier.pbData, (unsigned long)ci->SequenceNumber.cbData,
           ci->SequenceNumber.cbData ? ci->SequenceNumber.pbData[0] : 0);
    print_time("this update", ci->ThisUpdate);
    print_time("next update", ci->NextUpdate);
    printf("  subject algorithm %s, parameters %lu byte(s)\n", ci->SubjectAlgorithm.pszObjId,
           (unsigned long)ci->SubjectAlgorithm.Parameters.cbData);
    for (DWORD i = 0; i < ci->cCTLEntry; i++) {
        const CTL_ENTRY *e = &ci->rgCTLEntry[i];
        const BYTE *id = e->SubjectIdentifier.pbData;
        BOOL twenty = e->SubjectIdentifier.cbData == 20;
        printf("  entry %lu: %s (%lu bytes), %lu attribute(s)", (unsigned long)i,
               twenty && !memcmp(id, signer_hash, 20)  ? "the signer's SHA-1"
               : twenty && !memcmp(id, ec_hash, 20)    ? "the EC certificate's SHA-1"
               : twenty && !memcmp(id, other_id, 20)   ? "01020304050000.."
               : twenty && !memcmp(id, fixed1, 20)     ? "aabb0000.."
               : twenty && !memcmp(id, fixed2, 20)     ? "ccdd0000.."
                                                       : "another",
               (unsigned long)e->SubjectIdentifier.cbData, (unsigned long)e->cAttribute);
        for (DWORD j = 0; j < e->cAttribute; j++)
            printf(" %s (%lu value(s), first %lu bytes)", e->rgAttribute[j].pszObjId,
                   (unsigned long)e->rgAttribute[j].cValue,
                   (unsigned long)e->rgAttribute[j].rgValue[0].cbData);
        printf("\n");
    }
    for (DWORD i = 0; i < ci->cExtension; i++)
        printf("  extension %s, %lu bytes\n", ci->rgExtension[i].pszObjId,
               (unsigned long)ci->rgExtension[i].Value.cbData);
}

static PCCERT_CONTEXT signer_cert, ec_cert;
static NCRYPT_KEY_HANDLE key;

/* A signed CTL of `ci` (n_signers 0 or 1, the certificate included), *len its size */
static BYTE *sign_ctl(const CTL_INFO *ci, DWORD n_signers, DWORD flags, DWORD *len)
{
    CMSG_SIGNER_ENCODE_INFO signer = {sizeof signer};
    signer.pCertInfo = signer_cert->pCertInfo;
    signer.hNCryptKey = key;
    signer.dwKeySpec = CERT_NCRYPT_KEY_SPEC;
    signer.HashAlgorithm.pszObjId = szOID_NIST_sha256;
    CERT_BLOB certs[1] = {{signer_cert->cbCertEncoded, signer_cert->pbCertEncoded}};
    CMSG_SIGNED_ENCODE_INFO info = {sizeof info, n_signers, &signer, n_signers, certs};
    *len = 0;
    if (!CryptMsgEncodeAndSignCTL(ENC, (CTL_INFO *)ci, &info, flags, NULL, len)) {
        printf("CryptMsgEncodeAndSignCTL (size): error %08lx\n", (unsigned long)GetLastError());
        return NULL;
    }
    BYTE *p = malloc(*len);
    if (!CryptMsgEncodeAndSignCTL(ENC, (CTL_INFO *)ci, &info, flags, p, len)) {
        printf("CryptMsgEncodeAndSignCTL: error %08lx\n", (unsigned long)GetLastError());
        free(p);
        return NULL;
    }
    return p;
}

static void create_refused(const char *what, DWORD enc, const BYTE *p, DWORD n)
{
    SetLastError(0xdeadbeef);
    PCCTL_CONTEXT c = CertCreateCTLContext(enc, p, n);
    printf("create from %s: %s, error %08lx\n", what, c ? "made" : "refused",
           (unsigned long)GetLastError());
    CertFreeCTLContext(c);
}

static int count_found(HCERTSTORE s, DWORD flags, DWORD type, const void *para)
{
    int n = 0;
    PCCTL_CONTEXT c = NULL;
    while ((c = CertFindCTLInStore(s, ENC, flags, type, para, c)))
        n++;
    return n;
}

static void verify(const char *what, DWORD type, void *subject, LPSTR *use, DWORD n_use,
                   DWORD flags, HCERTSTORE ctls, HCERTSTORE signers)
{
    CTL_USAGE usage = {n_use, use};
    CTL_VERIFY_USAGE_PARA para = {sizeof para, {0, NULL}, 1, &ctls, signers ? 1 : 0, &signers};
    PCCTL_CONTEXT ctl = NULL;
    PCCERT_CONTEXT signer = NULL;
    CTL_VERIFY_USAGE_STATUS st = {sizeof st, 0, 0, &ctl, 0, &signer, 0};
    SetLastError(0xdeadbeef);
    BOOL ok = CertVerifyCTLUsage(ENC, type, subject, &usage, flags, &para, &st);
    if (!ok) {
        printf("verify %s: error %08lx, status %08lx\n", what, (unsigned long)GetLastError(),
               (unsigned long)st.dwError);
        return;
    }
    char name[128] = "";
    if (signer)
        CertGetNameStringA(signer, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof name);
    printf("verify %s: trusted, entry %lu, signer %lu \"%s\", list \"%.*s\"\n", what,
           (unsigned long)st.dwCtlEntryIndex, (unsigned long)st.dwSignerIndex, name,
           ctl ? (int)ctl->pCtlInfo->ListIdentifier.cbData : 0,
           ctl ? (char *)ctl->pCtlInfo->ListIdentifier.pbData : "");
    CertFreeCTLContext(ctl);
    CertFreeCertificateContext(signer);
}

int main(int argc, char **argv)
{
    DWORD n;
    BYTE *der = load("signer.der", &n);
    signer_cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, n);
    sha1(der, n, signer_hash);
    free(der);
    der = load("ec.der", &n);
    ec_cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, n);
    sha1(der, n, ec_hash);
    free(der);
    key = import_key("signer.blob");
    if (!signer_cert || !ec_cert || !key)
        return 1;

    /* ---- PKCS_CTL ---- */
    CTL_INFO ci, empty = {0};
    make_info(&ci, ft(2040, 1, 1), TRUE);
    BYTE *ctl_der = NULL;
    DWORD ctl_len = 0;
    result("encode CTL", CryptEncodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, &ci,
                                             CRYPT_ENCODE_ALLOC_FLAG, NULL, &ctl_der, &ctl_len));
    hex("CTL", ctl_der, ctl_len);
    LocalFree(ctl_der);
    make_info(&ci, ft(2040, 1, 1), FALSE); /* the one signed below */
    result("encode CTL of the certificates",
           CryptEncodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, &ci, CRYPT_ENCODE_ALLOC_FLAG, NULL,
                               &ctl_der, &ctl_len));
    BYTE *e_der = NULL;
    DWORD e_len = 0;
    result("encode empty CTL", CryptEncodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, &empty,
                                                   CRYPT_ENCODE_ALLOC_FLAG, NULL, &e_der, &e_len));
    hex("empty CTL", e_der, e_len);
    CTL_INFO *dec = NULL;
    DWORD dec_len = 0;
    result("decode CTL", CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, ctl_der, ctl_len,
                                             CRYPT_DECODE_ALLOC_FLAG, NULL, &dec, &dec_len));
    if (dec)
        print_info(dec);
    LocalFree(dec);
    dec = NULL;
    result("decode empty CTL", CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, e_der, e_len,
                                                   CRYPT_DECODE_ALLOC_FLAG, NULL, &dec,
                                                   &dec_len));
    if (dec)
        printf("  usages %lu, this update %08lx%08lx, algorithm \"%s\", entries %lu\n",
               (unsigned long)dec->SubjectUsage.cUsageIdentifier,
               (unsigned long)dec->ThisUpdate.dwHighDateTime,
               (unsigned long)dec->ThisUpdate.dwLowDateTime,
               dec->SubjectAlgorithm.pszObjId ? dec->SubjectAlgorithm.pszObjId : "(null)",
               (unsigned long)dec->cCTLEntry);
    LocalFree(dec);
    int refused = 0;
    for (DWORD k = 0; k < ctl_len; k++) {
        dec = NULL;
        if (!CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_CTL, ctl_der, k,
                                 CRYPT_DECODE_ALLOC_FLAG, NULL, &dec, &dec_len))
            refused++;
        LocalFree(dec);
    }
    printf("decode truncated CTLs: %d of %lu refused\n", refused, (unsigned long)ctl_len);

    /* ---- signing and CertCreateCTLContext ---- */
    DWORD s_len, c_len, u_len;
    BYTE *signed_ctl = sign_ctl(&ci, 1, 0, &s_len);
    BYTE *cms_ctl = sign_ctl(&ci, 1, CMSG_CMS_ENCAPSULATED_CTL_FLAG, &c_len);
    if (!signed_ctl || !cms_ctl)
        return 1;
    if (argc == 3 && !strcmp(argv[1], "write")) {
        save(argv[2], "ctl.der", ctl_der, ctl_len);
        save(argv[2], "ctl_pkcs7.p7", signed_ctl, s_len);
        save(argv[2], "ctl_cms.p7", cms_ctl, c_len);
        save(argv[2], "signer.der", signer_cert->pbCertEncoded, signer_cert->cbCertEncoded);
        return 0;
    }
    PCCTL_CONTEXT ctl = CertCreateCTLContext(X509_ASN_ENCODING, signed_ctl, s_len);
    result("CertCreateCTLContext", ctl != NULL);
    if (!ctl)
        return 1;
    printf("  encoding %08lx, message %s, the bytes given: %s, content is the CTL: %s\n",
           (unsigned long)ctl->dwMsgAndCertEncodingType, ctl->hCryptMsg ? "open" : "none",
           ctl->cbCtlEncoded == s_len && !memcmp(ctl->pbCtlEncoded, signed_ctl, s_len) ? "yes"
                                                                                   : "no",
           ctl->cbCtlContent == ctl_len && !memcmp(ctl->pbCtlContent, ctl_der, ctl_len) ? "yes"
                                                                                     : "no");
    print_info(ctl->pCtlInfo);
    char inner[64] = "";
    DWORD inner_len = sizeof inner;
    CryptMsgGetParam(ctl->hCryptMsg, CMSG_INNER_CONTENT_TYPE_PARAM, 0, inner, &inner_len);
    DWORD signers = 0, sz = sizeof signers;
    CryptMsgGetParam(ctl->hCryptMsg, CMSG_SIGNER_COUNT_PARAM, 0, &signers, &sz);
    printf("  inner content type %s, %lu signer(s)\n", inner, (unsigned long)signers);
    PCCTL_CONTEXT cms = CertCreateCTLContext(ENC, cms_ctl, c_len);
    printf("CMS form: %s, content is the CTL: %s\n", cms ? "made" : "refused",
           cms && cms->cbCtlContent == ctl_len && !memcmp(cms->pbCtlContent, ctl_der, ctl_len)
               ? "yes" : "no");
    CertFreeCTLContext(cms);

    create_refused("no encoding", 0, signed_ctl, s_len);
    create_refused("no bytes", X509_ASN_ENCODING, NULL, 0);
    create_refused("a bare CTL", X509_ASN_ENCODING, ctl_der, ctl_len);
    static const BYTE data_msg[] = {0x30, 0x12, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                                    0x01, 0x07, 0x01, 0xa0, 0x05, 0x04, 0x03, 'a', 'b', 'c'};
    create_refused("a data message", X509_ASN_ENCODING, data_msg, sizeof data_msg);
    int made = 0;
    refused = 0;
    for (DWORD k = 1; k < s_len; k++) {
        PCCTL_CONTEXT c = CertCreateCTLContext(X509_ASN_ENCODING, signed_ctl, k);
        refused += !c;
        CertFreeCTLContext(c);
    }
    printf("truncated signed CTLs: every one refused: %s\n",
           refused == (int)s_len - 1 ? "yes" : "no");
    BYTE *copy = malloc(s_len);
    for (DWORD k = 0; k < s_len; k++) {
        memcpy(copy, signed_ctl, s_len);
        copy[k] ^= 0xa5;
        PCCTL_CONTEXT c = CertCreateCTLContext(X509_ASN_ENCODING, copy, s_len);
        made += c != NULL;
        CertFreeCTLContext(c);
    }
    printf("changed signed CTLs: each read without a crash, some refused: %s\n",
           made < (int)s_len ? "yes" : "no");

    /* ---- properties ---- */
    BYTE prop[20], want[20];
    DWORD plen = sizeof prop;
    sha1(signed_ctl, s_len, want);
    result("SHA-1 property", CertGetCTLContextProperty(ctl, CERT_SHA1_HASH_PROP_ID, prop, &plen));
    printf("  the message's SHA-1: %s\n", plen == 20 && !memcmp(prop, want, 20) ? "yes" : "no");
    plen = 0;
    result("MD5 property size", CertGetCTLContextProperty(ctl, CERT_MD5_HASH_PROP_ID, NULL, &plen));
    printf("  %lu bytes\n", (unsigned long)plen);
    CRYPT_DATA_BLOB fname = {sizeof L"ntrun CTL", (BYTE *)L"ntrun CTL"};
    result("set friendly name", CertSetCTLContextProperty(ctl, CERT_FRIENDLY_NAME_PROP_ID, 0, &fname));
    WCHAR wname[32];
    plen = sizeof wname;
    result("get friendly name",
           CertGetCTLContextProperty(ctl, CERT_FRIENDLY_NAME_PROP_ID, wname, &plen));
    printf("  %ls\n", wname);

    /* ---- stores ---- */
    HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE signer_store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddCertificateContextToStore(signer_store, signer_cert, CERT_STORE_ADD_ALWAYS, NULL);
    PCCTL_CONTEXT in_store = NULL;
    result("add encoded CTL", CertAddEncodedCTLToStore(store, ENC, signed_ctl, s_len,
                                                       CERT_STORE_ADD_NEW, &in_store));
    printf("  its store is the store: %s\n", in_store && in_store->hCertStore == store ? "yes" : "no");
    SetLastError(0xdeadbeef);
    result("add it again (new)", CertAddCTLContextToStore(store, ctl, CERT_STORE_ADD_NEW, NULL));
    /* a second list: other usage, no list identifier, unsigned */
    CTL_INFO ci2;
    make_info(&ci2, ft(2040, 1, 1), FALSE);
    LPSTR usage2[] = {szOID_PKIX_KP_SERVER_AUTH};
    ci2.SubjectUsage.cUsageIdentifier = 1;
    ci2.SubjectUsage.rgpszUsageIdentifier = usage2;
    ci2.ListIdentifier.cbData = 0;
    DWORD u2;
    BYTE *unsigned_ctl = sign_ctl(&ci2, 0, 0, &u2);
    result("add unsigned CTL",
           unsigned_ctl && CertAddEncodedCTLToStore(store, ENC, unsigned_ctl, u2,
                                                    CERT_STORE_ADD_NEW, NULL));
    int count = 0;
    for (PCCTL_CONTEXT c = NULL; (c = CertEnumCTLsInStore(store, c));)
        count++;
    printf("CTLs in the store: %d\n", count);
    CRYPT_HASH_BLOB hb = {20, want};
    printf("find by SHA-1: %d\n", count_found(store, 0, CTL_FIND_SHA1_HASH, &hb));
    CTL_FIND_USAGE_PARA up = {sizeof up, {1, usages}};
    printf("find by usage (code signing): %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    printf("find by usage, the same usage only: %d\n",
           count_found(store, CTL_FIND_SAME_USAGE_FLAG, CTL_FIND_USAGE, &up));
    up.SubjectUsage.cUsageIdentifier = 0;
    up.ListIdentifier.cbData = sizeof list_id - 1;
    up.ListIdentifier.pbData = list_id;
    printf("find by list identifier: %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    up.ListIdentifier.cbData = CTL_FIND_NO_LIST_ID_CBDATA;
    printf("find without list identifier: %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    up.ListIdentifier.cbData = 0;
    up.pSigner = signer_cert->pCertInfo;
    printf("find by signer: %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    up.pSigner = ec_cert->pCertInfo;
    printf("find by another signer: %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    up.pSigner = CTL_FIND_NO_SIGNER_PTR;
    printf("find unsigned: %d\n", count_found(store, 0, CTL_FIND_USAGE, &up));
    CTL_FIND_SUBJECT_PARA sp = {sizeof sp, NULL, CTL_CERT_SUBJECT_TYPE, (void *)ec_cert};
    printf("find by subject: %d\n", count_found(store, 0, CTL_FIND_SUBJECT, &sp));
    printf("find existing: %d\n", count_found(store, 0, CTL_FIND_EXISTING, ctl));
    SetLastError(0xdeadbeef);
    PCCTL_CONTEXT f99 = CertFindCTLInStore(store, ENC, 0, 99, NULL, NULL);
    printf("find type 99: %s, error %08lx\n", f99 ? "found" : "none",
           (unsigned long)GetLastError());

    /* ---- subjects ---- */
    PCTL_ENTRY e = CertFindSubjectInCTL(ENC, CTL_CERT_SUBJECT_TYPE, (void *)signer_cert, ctl, 0);
    printf("subject signer: entry %ld, %lu attribute(s)\n",
           e ? (long)(e - ctl->pCtlInfo->rgCTLEntry) : -1L, e ? (unsigned long)e->cAttribute : 0);
    e = CertFindSubjectInCTL(ENC, CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, ctl, 0);
    printf("subject EC: entry %ld\n", e ? (long)(e - ctl->pCtlInfo->rgCTLEntry) : -1L);
    CTL_ANY_SUBJECT_INFO any = {{szOID_OIWSEC_sha1}, {20, other_id}};
    e = CertFindSubjectInCTL(ENC, CTL_ANY_SUBJECT_TYPE, &any, ctl, 0);
    printf("subject by identifier: entry %ld\n", e ? (long)(e - ctl->pCtlInfo->rgCTLEntry) : -1L);
    any.SubjectAlgorithm.pszObjId = szOID_RSA_MD5;
    SetLastError(0xdeadbeef);
    e = CertFindSubjectInCTL(ENC, CTL_ANY_SUBJECT_TYPE, &any, ctl, 0);
    printf("subject by identifier, MD5: %s, error %08lx\n", e ? "found" : "none",
           (unsigned long)GetLastError());
    BYTE unknown[20] = {9};
    CTL_ANY_SUBJECT_INFO nobody = {{szOID_OIWSEC_sha1}, {20, unknown}};
    SetLastError(0xdeadbeef);
    e = CertFindSubjectInCTL(ENC, CTL_ANY_SUBJECT_TYPE, &nobody, ctl, 0);
    printf("subject unknown: %s, error %08lx\n", e ? "found" : "none",
           (unsigned long)GetLastError());

    /* ---- CertVerifyCTLUsage ---- */
    verify("EC for both usages", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2, 0, store,
           signer_store);
    verify("EC for code signing", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 1, 0, store,
           signer_store);
    verify("EC for code signing, more allowed", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages,
           1, CERT_VERIFY_ALLOW_MORE_USAGE_FLAG, store, signer_store);
    verify("an identifier", CTL_ANY_SUBJECT_TYPE, &any, usages, 2, 0, store, signer_store);
    any.SubjectAlgorithm.pszObjId = szOID_OIWSEC_sha1;
    verify("the identifier", CTL_ANY_SUBJECT_TYPE, &any, usages, 2, 0, store, signer_store);
    verify("a subject not listed", CTL_ANY_SUBJECT_TYPE, &nobody, usages, 2, 0, store,
           signer_store);
    verify("server auth (unsigned list)", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usage2, 1, 0,
           store, signer_store);
    verify("trusted signers only, none given", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2,
           CERT_VERIFY_TRUSTED_SIGNERS_FLAG, store, NULL);
    verify("signer from the message", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2, 0,
           store, NULL);
    HCERTSTORE bad = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    memcpy(copy, signed_ctl, s_len);
    copy[s_len - 1] ^= 1; /* the signature's last byte */
    result("add a CTL with a bad signature",
           CertAddEncodedCTLToStore(bad, ENC, copy, s_len, CERT_STORE_ADD_NEW, NULL));
    verify("bad signature", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2, 0, bad,
           signer_store);
    HCERTSTORE old = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CTL_INFO ci3;
    make_info(&ci3, ft(2024, 6, 1), FALSE);
    BYTE *expired = sign_ctl(&ci3, 1, 0, &u_len);
    result("add an expired CTL",
           expired && CertAddEncodedCTLToStore(old, ENC, expired, u_len, CERT_STORE_ADD_NEW, NULL));
    verify("expired", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2, 0, old, signer_store);
    verify("expired, no time check", CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, usages, 2,
           CERT_VERIFY_NO_TIME_CHECK_FLAG, old, signer_store);
    CTL_USAGE cu = {2, usages};
    CTL_VERIFY_USAGE_STATUS st = {sizeof st - 8};
    SetLastError(0xdeadbeef);
    BOOL ok = CertVerifyCTLUsage(ENC, CTL_CERT_SUBJECT_TYPE, (void *)ec_cert, &cu, 0, NULL, &st);
    printf("verify with a short status: %s, error %08lx\n", ok ? "trusted" : "refused",
           (unsigned long)GetLastError());

    /* ---- a serialized store keeps the CTLs and their properties ---- */
    result("set the stored CTL's friendly name",
           CertSetCTLContextProperty(in_store, CERT_FRIENDLY_NAME_PROP_ID, 0, &fname));
    CRYPT_DATA_BLOB saved = {0};
    BOOL ok_save = CertSaveStore(store, ENC, CERT_STORE_SAVE_AS_STORE, CERT_STORE_SAVE_TO_MEMORY,
                                 &saved, 0);
    saved.pbData = malloc(saved.cbData);
    ok_save = ok_save && CertSaveStore(store, ENC, CERT_STORE_SAVE_AS_STORE,
                                       CERT_STORE_SAVE_TO_MEMORY, &saved, 0);
    result("save as a serialized store", ok_save);
    HCERTSTORE back = CertOpenStore(CERT_STORE_PROV_SERIALIZED, ENC, 0, 0, &saved);
    result("open the serialized store", back != NULL);
    count = 0;
    int named = 0;
    for (PCCTL_CONTEXT c = NULL; back && (c = CertEnumCTLsInStore(back, c));) {
        count++;
        plen = sizeof wname;
        named += CertGetCTLContextProperty(c, CERT_FRIENDLY_NAME_PROP_ID, wname, &plen) &&
                 !wcscmp(wname, L"ntrun CTL");
    }
    printf("CTLs read back: %d, with the friendly name: %d\n", count, named);
    printf("find by SHA-1 there: %d\n", back ? count_found(back, 0, CTL_FIND_SHA1_HASH, &hb) : 0);
    CertCloseStore(back, 0);
    free(saved.pbData);

    /* ---- delete, free ---- */
    result("delete", CertDeleteCTLFromStore(in_store));
    count = 0;
    for (PCCTL_CONTEXT c = NULL; (c = CertEnumCTLsInStore(store, c));)
        count++;
    printf("CTLs in the store: %d\n", count);
    PCCTL_CONTEXT dup = CertDuplicateCTLContext(ctl);
    printf("duplicate is the same context: %s\n", dup == ctl ? "yes" : "no");
    CertFreeCTLContext(dup);
    CertFreeCTLContext(ctl);
    CertCloseStore(store, 0);
    CertCloseStore(signer_store, 0);
    CertCloseStore(bad, 0);
    CertCloseStore(old, 0);
    free(copy);
    free(signed_ctl);
    free(cms_ctl);
    free(unsigned_ctl);
    free(expired);
    LocalFree(ctl_der);
    LocalFree(e_der);
    CertFreeCertificateContext(signer_cert);
    CertFreeCertificateContext(ec_cert);
    NCryptFreeObject(key);
    printf("done\n");
    return 0;
}
