/* crypt32's certificate revocation lists on certificates and CRLs made at build time by
 * crypt_crl.gen (openssl): root (RSA) -> intermediate (ECDSA P-256) -> "good", "bad" and "cdp"
 * (a CRL distribution point); the intermediate's CRL revokes "bad" (keyCompromise), the root's
 * is empty, "forged" has the intermediate's name and another key's signature, "old" expired
 * eleven months ago.
 * CertCreateCRLContext and its CRL_INFO (entries, extensions, reason code, CRL number), bad
 * input (a cut CRL, a certificate, every shorter prefix, changed tags and lengths);
 * CertGet/SetCRLContextProperty (the hashes, no key identifier, a friendly name that
 * CertAddCRLContextToStore carries over); CryptDecodeObjectEx/CryptEncodeObjectEx of X509_CERT_CRL_TO_BE_SIGNED (a round trip to
 * the same DER) and X509_CRL_REASON_CODE; CertDuplicate/FreeCRLContext; memory stores
 * (CertAddEncodedCRLToStore, CertAddCRLContextToStore with NEW/NEWER, CertEnumCRLsInStore,
 * CertDeleteCRLFromStore); CertGetCRLFromStore's flags; CertFindCRLInStore (ANY, ISSUED_BY with
 * the signature and AKI flags, EXISTING, ISSUED_FOR); CertFindCertificateInCRL,
 * CertVerifyCRLRevocation, CertVerifyCRLTimeValidity, CertIsValidCRLForCertificate;
 * CertVerifyRevocation (the default provider with a CRL store: good, revoked and its reason, a
 * stale CRL, no CRL with and without a distribution point, CERT_VERIFY_REV_CHAIN_FLAG); chain
 * revocation (CERT_CHAIN_REVOCATION_CHECK_END_CERT, _CHAIN, _CHAIN_EXCLUDE_ROOT) from the CRLs
 * in the extra store, its pRevocationInfo and the base policy's verdicts and waivers.
 * Expected output: Microsoft's pages for these functions and structures (CertGetCRLFromStore's
 * flags left set for failed checks, CERT_STORE_NO_ISSUER_FLAG; any CRL without an issuing
 * distribution point is valid for any certificate; CERT_REVOCATION_STATUS's dwReason;
 * pRevocationInfo set when revocation was checked; CERT_TRUST_* and CRYPT_E_* meanings).
 * Wine 8.0 (built with -DWINE_SKIP, which leaves out the CertGetCRLFromStore call it crashes on:
 * no issuer with CERT_STORE_SIGNATURE_FLAG) prints the same for the contexts, the codec, the
 * stores and the checks, except: it cannot decode the CRL number; disposition 0 gives
 * c0000005; CRL_FIND_ISSUED_FOR finds 1 (it matches the issuer certificate's issuer). It
 * differs in revocation: a certificate a current CRL does not list is CRYPT_E_REVOCATION_OFFLINE
 * there (so "good" is never good), dwReason stays 0, CERT_VERIFY_REV_CHAIN_FLAG without
 * pIssuerCert is CRYPT_E_NO_REVOCATION_CHECK, a distribution point without a CRL at hand is not
 * reported by its chain, no element has pRevocationInfo, and its base policy ignores
 * revocation (CRYPT_E_REVOKED is what Windows' base and SSL policies give a revoked chain). */
#include <windows.h>
#include <wincrypt.h>
#include "crypt_files.h"
#include <stdio.h>
#include <string.h>

enum { ROOT, INTER, GOOD, BAD, CDP, NCERT };
enum { C_INTER, C_ROOT, C_FORGED, C_OLD, NCRL };
static BYTE der[NCERT + NCRL][4096];
static DWORD der_len[NCERT + NCRL];
static PCCERT_CONTEXT cert[NCERT];
static PCCRL_CONTEXT crl[NCRL];

static const char *issuer_of(PCCRL_CONTEXT c)
{
    static char name[256];
    CertNameToStrA(X509_ASN_ENCODING, &c->pCrlInfo->Issuer, CERT_SIMPLE_NAME_STR, name,
                   sizeof name);
    return name;
}

static void hex(const BYTE *p, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        printf("%02x", p[i]);
}

/* an integer blob (little-endian) as big-endian hex */
static void serial(const CRYPT_INTEGER_BLOB *b)
{
    for (DWORD i = b->cbData; i--;)
        printf("%02x", b->pbData[i]);
}

static void show_info(PCCRL_CONTEXT c)
{
    PCRL_INFO ci = c->pCrlInfo;
    ULARGE_INTEGER t = {{ci->ThisUpdate.dwLowDateTime, ci->ThisUpdate.dwHighDateTime}};
    ULARGE_INTEGER n = {{ci->NextUpdate.dwLowDateTime, ci->NextUpdate.dwHighDateTime}};
    printf("  version %lu algorithm %s issuer \"%s\" next update after %llu days\n",
           ci->dwVersion, ci->SignatureAlgorithm.pszObjId, issuer_of(c),
           (n.QuadPart - t.QuadPart) / 864000000000ull);
    printf("  %lu entries:", ci->cCRLEntry);
    for (DWORD i = 0; i < ci->cCRLEntry; i++) {
        PCRL_ENTRY e = &ci->rgCRLEntry[i];
        printf(" serial ");
        serial(&e->SerialNumber);
        printf(" revoked before the next update %d, %lu extensions",
               CompareFileTime(&e->RevocationDate, &ci->NextUpdate) < 0, e->cExtension);
        for (DWORD j = 0; j < e->cExtension; j++) {
            int reason = -1;
            DWORD size = sizeof reason;
            BOOL ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CRL_REASON_CODE,
                                          e->rgExtension[j].Value.pbData,
                                          e->rgExtension[j].Value.cbData, 0, NULL, &reason,
                                          &size);
            printf(" [%s critical %d reason %d (%d, size %lu)]", e->rgExtension[j].pszObjId,
                   e->rgExtension[j].fCritical, reason, ok, size);
        }
    }
    printf("\n  %lu extensions:", ci->cExtension);
    for (DWORD j = 0; j < ci->cExtension; j++) {
        PCERT_EXTENSION x = &ci->rgExtension[j];
        printf(" %s", x->pszObjId);
        if (!strcmp(x->pszObjId, szOID_CRL_NUMBER)) {
            int number = -1;
            DWORD size = sizeof number;
            BOOL ok = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_INTEGER, x->Value.pbData,
                                          x->Value.cbData, 0, NULL, &number, &size);
            printf(" (CRL number %d: %d)", number, ok);
        }
    }
    printf("\n");
}

static void properties(void)
{
    BYTE h[64], want[20];
    DWORD n = sizeof h, wn = sizeof want;
    BOOL ok = CertGetCRLContextProperty(crl[C_INTER], CERT_SHA1_HASH_PROP_ID, h, &n);
    CryptHashCertificate(0, CALG_SHA1, 0, der[NCERT + C_INTER], der_len[NCERT + C_INTER], want,
                         &wn);
    printf("CRL properties: SHA-1 %d size %lu, the DER's %d;", ok, n, n == 20 && !memcmp(h, want, 20));
    n = sizeof h;
    ok = CertGetCRLContextProperty(crl[C_INTER], CERT_MD5_HASH_PROP_ID, h, &n);
    printf(" MD5 %d size %lu;", ok, n);
    n = sizeof h;
    SetLastError(0xdeadbeef);
    ok = CertGetCRLContextProperty(crl[C_INTER], CERT_KEY_IDENTIFIER_PROP_ID, h, &n);
    printf(" key identifier %d %08lx\n", ok, GetLastError());
    static const WCHAR name[] = L"revocations";
    CRYPT_DATA_BLOB b = {sizeof name, (BYTE *)name};
    ok = CertSetCRLContextProperty(crl[C_ROOT], CERT_FRIENDLY_NAME_PROP_ID, 0, &b);
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCRL_CONTEXT in = NULL;
    CertAddCRLContextToStore(s, crl[C_ROOT], CERT_STORE_ADD_ALWAYS, &in);
    WCHAR got[32] = {0};
    n = sizeof got;
    BOOL ok2 = CertGetCRLContextProperty(in, CERT_FRIENDLY_NAME_PROP_ID, got, &n);
    printf("  friendly name set %d, on the store's copy %d \"%ls\" size %lu\n", ok, ok2, got, n);
    CertFreeCRLContext(in);
    CertCloseStore(s, 0);
    CertSetCRLContextProperty(crl[C_ROOT], CERT_FRIENDLY_NAME_PROP_ID, 0, NULL);
}

static void codec(void)
{
    /* the whole CRL as X509_CERT_CRL_TO_BE_SIGNED, then its TBSCertList encoded back */
    PCRL_INFO info = NULL;
    DWORD size = 0, query = 0;
    BOOL ok1 = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT_CRL_TO_BE_SIGNED,
                                   der[NCERT + C_INTER], der_len[NCERT + C_INTER], 0, NULL, NULL,
                                   &query);
    BOOL ok2 = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT_CRL_TO_BE_SIGNED,
                                   der[NCERT + C_INTER], der_len[NCERT + C_INTER],
                                   CRYPT_DECODE_ALLOC_FLAG, NULL, &info, &size);
    printf("decode X509_CERT_CRL_TO_BE_SIGNED: %d %d same size %d, entries %lu extensions %lu\n",
           ok1, ok2, query == size, ok2 ? info->cCRLEntry : 0, ok2 ? info->cExtension : 0);
    PCERT_SIGNED_CONTENT_INFO sc = NULL;
    DWORD scsize = 0;
    BOOL ok3 = CryptDecodeObjectEx(X509_ASN_ENCODING, X509_CERT, der[NCERT + C_INTER],
                                   der_len[NCERT + C_INTER], CRYPT_DECODE_ALLOC_FLAG, NULL, &sc,
                                   &scsize);
    BYTE *enc = NULL;
    DWORD enclen = 0;
    BOOL ok4 = ok2 && CryptEncodeObjectEx(X509_ASN_ENCODING, X509_CERT_CRL_TO_BE_SIGNED, info,
                                          CRYPT_ENCODE_ALLOC_FLAG, NULL, &enc, &enclen);
    printf("encode it back: %d, the signed part byte for byte %d\n", ok4,
           ok3 && ok4 && enclen == sc->ToBeSigned.cbData &&
               !memcmp(enc, sc->ToBeSigned.pbData, enclen));
    /* a v1 CRL: no version, no next update, no entries, no extensions */
    CRL_INFO v1 = {0};
    v1.SignatureAlgorithm.pszObjId = szOID_ECDSA_SHA256;
    v1.Issuer = info->Issuer;
    SYSTEMTIME st = {2030, 1, 0, 2, 3, 4, 5, 0};
    SystemTimeToFileTime(&st, &v1.ThisUpdate);
    BYTE out[512];
    DWORD outlen = sizeof out;
    BOOL ok5 = CryptEncodeObjectEx(X509_ASN_ENCODING, X509_CERT_CRL_TO_BE_SIGNED, &v1, 0, NULL,
                                   out, &outlen);
    printf("a v1 CRL without entries: %d ", ok5);
    hex(out, ok5 ? 14 : 0);
    printf("... ");
    hex(out + outlen - 15, ok5 ? 15 : 0);
    printf("\n");
    int hold = CRL_REASON_CERTIFICATE_HOLD;
    outlen = sizeof out;
    BOOL ok6 = CryptEncodeObjectEx(X509_ASN_ENCODING, X509_CRL_REASON_CODE, &hold, 0, NULL, out,
                                   &outlen);
    printf("reason code certificateHold: %d ", ok6);
    hex(out, ok6 ? outlen : 0);
    printf("\n");
    LocalFree(info);
    LocalFree(sc);
    LocalFree(enc);
}

static void bad_input(void)
{
    static const BYTE cut[] = {0x30, 0x82, 0x01, 0x00, 0x30, 0x03};
    SetLastError(0xdeadbeef);
    PCCRL_CONTEXT c = CertCreateCRLContext(X509_ASN_ENCODING, cut, sizeof cut);
    printf("a cut CRL: %p %08lx\n", (void *)c, GetLastError());
    SetLastError(0xdeadbeef);
    c = CertCreateCRLContext(X509_ASN_ENCODING, der[GOOD], der_len[GOOD]);
    printf("a certificate as a CRL: %p %08lx\n", (void *)c, GetLastError());
    SetLastError(0xdeadbeef);
    c = CertCreateCRLContext(PKCS_7_ASN_ENCODING, der[NCERT + C_INTER], der_len[NCERT + C_INTER]);
    printf("PKCS_7_ASN_ENCODING alone: %p %08lx\n", (void *)c, GetLastError());
    /* every shorter prefix, and every length byte of the outer and signed parts made larger */
    int taken = 0, asn1 = 0;
    for (DWORD n = 0; n < der_len[NCERT + C_INTER]; n++) {
        SetLastError(0);
        c = CertCreateCRLContext(X509_ASN_ENCODING, der[NCERT + C_INTER], n);
        taken += c != NULL;
        asn1 += (GetLastError() & 0xffff0000u) == 0x80090000u;
        CertFreeCRLContext(c);
    }
    BYTE bad[4096];
    int grown = 0;
    for (DWORD i = 0; i < 8; i++) {
        memcpy(bad, der[NCERT + C_INTER], der_len[NCERT + C_INTER]);
        bad[i] = (BYTE)(bad[i] + 1);
        c = CertCreateCRLContext(X509_ASN_ENCODING, bad, der_len[NCERT + C_INTER]);
        grown += c != NULL;
        CertFreeCRLContext(c);
    }
    printf("shorter prefixes taken %d, each refused with a CRYPT_E error %d; each of the first "
           "8 bytes changed, taken %d\n",
           taken, asn1 == (int)der_len[NCERT + C_INTER], grown);
}

static int count(HCERTSTORE s, DWORD type, DWORD flags, const void *para)
{
    int n = 0;
    PCCRL_CONTEXT c = NULL;
    while ((c = CertFindCRLInStore(s, X509_ASN_ENCODING, flags, type, para, c)))
        n++;
    return n;
}

static void stores(void)
{
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCRL_CONTEXT in = NULL;
    BOOL ok = CertAddEncodedCRLToStore(s, X509_ASN_ENCODING, der[NCERT + C_INTER],
                                       der_len[NCERT + C_INTER], CERT_STORE_ADD_ALWAYS, &in);
    printf("add the intermediate's CRL: %d, its store is the store %d, a copy %d\n", ok,
           in && in->hCertStore == s, in != crl[C_INTER]);
    CertFreeCRLContext(in);
    ok = CertAddCRLContextToStore(s, crl[C_ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    printf("add the root's: %d\n", ok);
    SetLastError(0xdeadbeef);
    ok = CertAddCRLContextToStore(s, crl[C_FORGED], CERT_STORE_ADD_NEW, NULL);
    printf("add another of the intermediate's name, ADD_NEW: %d %08lx\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CertAddCRLContextToStore(s, crl[C_OLD], CERT_STORE_ADD_NEWER, NULL);
    printf("add an older one, ADD_NEWER: %d %08lx\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CertAddCRLContextToStore(s, crl[C_ROOT], 0, NULL);
    printf("disposition 0: %d %08lx\n", ok, GetLastError());
    printf("in the store:");
    PCCRL_CONTEXT c = NULL;
    while ((c = CertEnumCRLsInStore(s, c)))
        printf(" \"%s\"", issuer_of(c));
    printf(", then %08lx\n", GetLastError());

    DWORD flags = CERT_STORE_SIGNATURE_FLAG | CERT_STORE_TIME_VALIDITY_FLAG;
    c = CertGetCRLFromStore(s, cert[INTER], NULL, &flags);
    printf("CertGetCRLFromStore(intermediate): \"%s\" flags %lx", c ? issuer_of(c) : "-", flags);
    flags = CERT_STORE_SIGNATURE_FLAG;
    c = CertGetCRLFromStore(s, cert[INTER], c, &flags);
    printf(", next %p %08lx\n", (void *)c, GetLastError());
    flags = CERT_STORE_SIGNATURE_FLAG | CERT_STORE_TIME_VALIDITY_FLAG;
#ifdef WINE_SKIP
    c = NULL;
#else
    c = CertGetCRLFromStore(s, NULL, NULL, &flags);
#endif
    printf("CertGetCRLFromStore(no issuer): \"%s\" flags %lx\n", c ? issuer_of(c) : "-", flags);
    CertFreeCRLContext(c);
    flags = CERT_STORE_REVOCATION_FLAG;
    SetLastError(0xdeadbeef);
    c = CertGetCRLFromStore(s, cert[INTER], NULL, &flags);
    printf("CertGetCRLFromStore(CERT_STORE_REVOCATION_FLAG): %p %08lx\n", (void *)c,
           GetLastError());

    HCERTSTORE s2 = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddCRLContextToStore(s2, crl[C_FORGED], CERT_STORE_ADD_ALWAYS, NULL);
    CertAddCRLContextToStore(s2, crl[C_OLD], CERT_STORE_ADD_ALWAYS, NULL);
    CertAddCRLContextToStore(s2, crl[C_INTER], CERT_STORE_ADD_ALWAYS, NULL);
    printf("the intermediate's name in a store of three, signature and time checked:");
    c = NULL;
    for (;;) {
        flags = CERT_STORE_SIGNATURE_FLAG | CERT_STORE_TIME_VALIDITY_FLAG;
        if (!(c = CertGetCRLFromStore(s2, cert[INTER], c, &flags)))
            break;
        printf(" %s flags %lx;",
               c->cbCrlEncoded == der_len[NCERT + C_FORGED] &&
                       !memcmp(c->pbCrlEncoded, der[NCERT + C_FORGED], c->cbCrlEncoded)
                   ? "forged"
               : CertVerifyCRLTimeValidity(NULL, c->pCrlInfo) ? "old"
                                                               : "current",
               flags);
    }
    printf("\n");
    CertAddCRLContextToStore(s2, crl[C_ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    CRL_FIND_ISSUED_FOR_PARA fp = {cert[GOOD], cert[INTER]};
    /* Wine 8.0: issued for "good" 1 (it compares the intermediate's issuer) */
    printf("CertFindCRLInStore: any %d, issued by the intermediate %d, with its signature %d, "
           "with its key identifier %d, by the root %d, existing %d, issued for \"good\" with "
           "the signature %d\n",
           count(s2, CRL_FIND_ANY, 0, NULL), count(s2, CRL_FIND_ISSUED_BY, 0, cert[INTER]),
           count(s2, CRL_FIND_ISSUED_BY, CRL_FIND_ISSUED_BY_SIGNATURE_FLAG, cert[INTER]),
           count(s2, CRL_FIND_ISSUED_BY, CRL_FIND_ISSUED_BY_AKI_FLAG, cert[INTER]),
           count(s2, CRL_FIND_ISSUED_BY, 0, cert[ROOT]),
           count(s2, CRL_FIND_EXISTING, 0, crl[C_ROOT]),
           count(s2, CRL_FIND_ISSUED_FOR, CRL_FIND_ISSUED_BY_SIGNATURE_FLAG, &fp));
    c = CertFindCRLInStore(s2, X509_ASN_ENCODING, 0, CRL_FIND_ISSUED_BY, cert[ROOT], NULL);
    ok = CertDeleteCRLFromStore(c);
    printf("CertDeleteCRLFromStore: %d, the root's left %d\n", ok,
           count(s2, CRL_FIND_ISSUED_BY, 0, cert[ROOT]));
    CertCloseStore(s2, 0);
    CertCloseStore(s, 0);
}

static void checks(void)
{
    PCRL_ENTRY e = (PCRL_ENTRY)1;
    BOOL ok = CertFindCertificateInCRL(cert[BAD], crl[C_INTER], 0, NULL, &e);
    printf("CertFindCertificateInCRL(bad): %d ", ok);
    if (e)
        serial(&e->SerialNumber);
    e = (PCRL_ENTRY)1;
    ok = CertFindCertificateInCRL(cert[GOOD], crl[C_INTER], 0, NULL, &e);
    printf(", (good): %d %p\n", ok, (void *)e);
    PCRL_INFO both[2] = {crl[C_ROOT]->pCrlInfo, crl[C_INTER]->pCrlInfo};
    printf("CertVerifyCRLRevocation: good %d, bad %d, bad against the root's alone %d, "
           "bad against both %d\n",
           CertVerifyCRLRevocation(X509_ASN_ENCODING, cert[GOOD]->pCertInfo, 2, both),
           CertVerifyCRLRevocation(X509_ASN_ENCODING, cert[BAD]->pCertInfo, 1, &both[1]),
           CertVerifyCRLRevocation(X509_ASN_ENCODING, cert[BAD]->pCertInfo, 1, both),
           CertVerifyCRLRevocation(X509_ASN_ENCODING, cert[BAD]->pCertInfo, 2, both));
    FILETIME before = crl[C_INTER]->pCrlInfo->ThisUpdate;
    ULARGE_INTEGER u = {{before.dwLowDateTime, before.dwHighDateTime}};
    u.QuadPart -= 864000000000ull;
    before.dwLowDateTime = u.LowPart, before.dwHighDateTime = u.HighPart;
    printf("CertVerifyCRLTimeValidity: now %ld, the old one now %ld, a day before %ld, at the "
           "next update %ld\n",
           CertVerifyCRLTimeValidity(NULL, crl[C_INTER]->pCrlInfo),
           CertVerifyCRLTimeValidity(NULL, crl[C_OLD]->pCrlInfo),
           CertVerifyCRLTimeValidity(&before, crl[C_INTER]->pCrlInfo),
           CertVerifyCRLTimeValidity(&crl[C_INTER]->pCrlInfo->NextUpdate,
                                     crl[C_INTER]->pCrlInfo));
    printf("CertIsValidCRLForCertificate (no issuing distribution point): good/intermediate's "
           "%d, good/root's %d\n",
           CertIsValidCRLForCertificate(cert[GOOD], crl[C_INTER], 0, NULL),
           CertIsValidCRLForCertificate(cert[GOOD], crl[C_ROOT], 0, NULL));
}

static void revocation(const char *what, PCCERT_CONTEXT *list, DWORD n, DWORD flags,
                       PCCERT_CONTEXT issuer, HCERTSTORE crls, int with_para)
{
    CERT_REVOCATION_PARA para = {sizeof para, issuer, 0, NULL, crls, NULL};
    CERT_REVOCATION_STATUS st = {sizeof st, 0xcc, 0xcc, 0xcc};
    SetLastError(0xdeadbeef);
    BOOL ok = CertVerifyRevocation(X509_ASN_ENCODING, CERT_CONTEXT_REVOCATION_TYPE, n,
                                   (void **)list, flags, with_para ? &para : NULL, &st);
    printf("CertVerifyRevocation %s: %d", what, ok);
    if (!ok)
        printf(" (%08lx) index %lu error %08lx reason %lu", GetLastError(), st.dwIndex,
               st.dwError, st.dwReason);
    printf("\n");
}

static PCCERT_CHAIN_CONTEXT chain(PCCERT_CONTEXT c, HCERTSTORE extra, DWORD flags)
{
    CERT_CHAIN_PARA para = {sizeof para};
    PCCERT_CHAIN_CONTEXT ch = NULL;
    if (!CertGetCertificateChain(NULL, c, NULL, extra, &para, flags, NULL, &ch))
        printf("CertGetCertificateChain failed %lu\n", GetLastError());
    return ch;
}

static void show_chain(const char *what, PCCERT_CHAIN_CONTEXT ch)
{
    PCERT_SIMPLE_CHAIN s = ch->rgpChain[0];
    printf("%s: error %07lx, elements:", what, ch->TrustStatus.dwErrorStatus);
    for (DWORD i = 0; i < s->cElement; i++) {
        PCERT_CHAIN_ELEMENT e = s->rgpElement[i];
        printf(" [%lx", e->TrustStatus.dwErrorStatus);
        PCERT_REVOCATION_INFO ri = e->pRevocationInfo;
        if (ri) {
            printf(" revocation %08lx", ri->dwRevocationResult);
            if (ri->pCrlInfo) {
                printf(" crl \"%s\"", ri->pCrlInfo->pBaseCrlContext
                                          ? issuer_of(ri->pCrlInfo->pBaseCrlContext)
                                          : "-");
                if (ri->pCrlInfo->pCrlEntry) {
                    printf(" entry ");
                    serial(&ri->pCrlInfo->pCrlEntry->SerialNumber);
                }
            }
        }
        printf("]");
    }
    printf("\n");
}

static void policy(const char *what, PCCERT_CHAIN_CONTEXT ch, DWORD flags)
{
    CERT_CHAIN_POLICY_PARA para = {sizeof para, flags, NULL};
    CERT_CHAIN_POLICY_STATUS st = {sizeof st};
    BOOL ok = CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_BASE, ch, &para, &st);
    printf("  base policy %s: %d error %08lx element %ld\n", what, ok, st.dwError,
           st.lElementIndex);
}

static void chains(void)
{
    HCERTSTORE all = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE nocrl = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    for (int i = ROOT; i <= INTER; i++) {
        CertAddCertificateContextToStore(all, cert[i], CERT_STORE_ADD_ALWAYS, NULL);
        CertAddCertificateContextToStore(nocrl, cert[i], CERT_STORE_ADD_ALWAYS, NULL);
    }
    CertAddCRLContextToStore(all, crl[C_INTER], CERT_STORE_ADD_ALWAYS, NULL);
    CertAddCRLContextToStore(all, crl[C_ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    const DWORD unknown_ca = CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;

    PCCERT_CHAIN_CONTEXT ch = chain(cert[GOOD], all, 0);
    show_chain("good, no revocation check", ch);
    CertFreeCertificateChain(ch);
    ch = chain(cert[GOOD], all, CERT_CHAIN_REVOCATION_CHECK_END_CERT);
    show_chain("good, end certificate", ch);
    policy("(unknown CA allowed)", ch, unknown_ca);
    CertFreeCertificateChain(ch);
    ch = chain(cert[BAD], all, CERT_CHAIN_REVOCATION_CHECK_END_CERT);
    show_chain("bad, end certificate", ch);
    policy("(unknown CA allowed)", ch, unknown_ca);
    policy("(unknown CA, every unknown revocation allowed)", ch,
           unknown_ca | CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS);
    CertFreeCertificateChain(ch);
    ch = chain(cert[GOOD], all, CERT_CHAIN_REVOCATION_CHECK_CHAIN);
    show_chain("good, whole chain", ch);
    CertFreeCertificateChain(ch);
    ch = chain(cert[BAD], all,
               CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT |
                   CERT_CHAIN_REVOCATION_CHECK_CACHE_ONLY);
    show_chain("bad, chain but the root, cache only", ch);
    CertFreeCertificateChain(ch);

    ch = chain(cert[GOOD], nocrl, CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT);
    show_chain("good without CRLs, chain but the root", ch);
    policy("(unknown CA allowed)", ch, unknown_ca);
    policy("(unknown CA, end unknown revocation allowed)", ch,
           unknown_ca | CERT_CHAIN_POLICY_IGNORE_END_REV_UNKNOWN_FLAG);
    policy("(unknown CA, every unknown revocation allowed)", ch,
           unknown_ca | CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS);
    CertFreeCertificateChain(ch);
    ch = chain(cert[CDP], nocrl, CERT_CHAIN_REVOCATION_CHECK_END_CERT);
    show_chain("cdp without CRLs, end certificate", ch);
    policy("(unknown CA allowed)", ch, unknown_ca);
    CertFreeCertificateChain(ch);
    CertCloseStore(nocrl, 0);
    CertCloseStore(all, 0);
}

int main(void)
{
    static const char *const names[] = {"root", "inter", "good", "bad", "cdp",
                                        "inter.crl", "root.crl", "forged.crl", "old.crl"};
    for (int i = 0; i < NCERT + NCRL; i++)
        if (!crypt_load("crypt_crl", names[i], der[i], sizeof der[i], &der_len[i]))
            return 1;
    for (int i = 0; i < NCERT; i++)
        cert[i] = CertCreateCertificateContext(X509_ASN_ENCODING, der[i], der_len[i]);
    for (int i = 0; i < NCRL; i++) {
        crl[i] = CertCreateCRLContext(X509_ASN_ENCODING, der[NCERT + i], der_len[NCERT + i]);
        if (!crl[i]) {
            printf("CertCreateCRLContext(%s) failed %08lx\n", names[NCERT + i], GetLastError());
            return 1;
        }
    }
    PCCRL_CONTEXT c = crl[C_INTER];
    printf("the intermediate's CRL: encoding %lu, %s, a store %d\n", c->dwCertEncodingType,
           c->cbCrlEncoded == der_len[NCERT + C_INTER] &&
                   !memcmp(c->pbCrlEncoded, der[NCERT + C_INTER], c->cbCrlEncoded)
               ? "its DER"
               : "other bytes",
           c->hCertStore != NULL);
    show_info(c);
    printf("the root's CRL:\n");
    show_info(crl[C_ROOT]);
    properties();
    PCCRL_CONTEXT dup = CertDuplicateCRLContext(c);
    printf("duplicate is the same %d, freed %d, NULL freed %d\n", dup == c,
           CertFreeCRLContext(dup), CertFreeCRLContext(NULL));
    codec();
    bad_input();
    stores();
    checks();

    HCERTSTORE crls = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddCRLContextToStore(crls, crl[C_INTER], CERT_STORE_ADD_ALWAYS, NULL);
    CertAddCRLContextToStore(crls, crl[C_ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    HCERTSTORE stale = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddCRLContextToStore(stale, crl[C_OLD], CERT_STORE_ADD_ALWAYS, NULL);
    HCERTSTORE empty = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    PCCERT_CONTEXT good_bad[2] = {cert[GOOD], cert[BAD]};
    PCCERT_CONTEXT bad_inter[2] = {cert[BAD], cert[INTER]};
    PCCERT_CONTEXT inter_root[2] = {cert[INTER], cert[ROOT]};
    revocation("good", &cert[GOOD], 1, 0, cert[INTER], crls, 1);
    revocation("bad", &cert[BAD], 1, 0, cert[INTER], crls, 1);
    revocation("good, bad", good_bad, 2, 0, cert[INTER], crls, 1);
    revocation("cdp", &cert[CDP], 1, 0, cert[INTER], crls, 1);
    revocation("good, a stale CRL", &cert[GOOD], 1, 0, cert[INTER], stale, 1);
    revocation("good, no CRL", &cert[GOOD], 1, 0, cert[INTER], empty, 1);
    revocation("cdp, no CRL", &cert[CDP], 1, 0, cert[INTER], empty, 1);
    revocation("good, no parameters", &cert[GOOD], 1, 0, NULL, NULL, 0);
    revocation("bad, intermediate as a chain", bad_inter, 2, CERT_VERIFY_REV_CHAIN_FLAG, NULL,
               crls, 1);
    revocation("intermediate, root as a chain", inter_root, 2, CERT_VERIFY_REV_CHAIN_FLAG,
               cert[ROOT], crls, 1);
    CERT_REVOCATION_STATUS st = {0};
    SetLastError(0xdeadbeef);
    BOOL ok = CertVerifyRevocation(X509_ASN_ENCODING, CERT_CONTEXT_REVOCATION_TYPE, 1,
                                   (void **)&cert[GOOD], 0, NULL, &st);
    printf("CertVerifyRevocation with a status of size 0: %d %08lx\n", ok, GetLastError());
    CertCloseStore(crls, 0);
    CertCloseStore(stale, 0);
    CertCloseStore(empty, 0);

    chains();
    for (int i = 0; i < NCRL; i++)
        CertFreeCRLContext(crl[i]);
    for (int i = 0; i < NCERT; i++)
        CertFreeCertificateContext(cert[i]);
    return 0;
}
