/* crypt32's certificate chains on certificates made at build time by crypt_chain.gen (openssl):
 * root (RSA-2048) -> intermediate (ECDSA P-384) -> server (ECDSA P-256, DNS www.example.test
 * and *.example.test), read from the crypt_chain folder beside the program.
 * CertGetCertificateChain with the issuers in an extra store (an untrusted root), at a time
 * after they expired, without the intermediate (a partial chain), with a certificate whose
 * signed part was changed (a bad signature), under a "CA:FALSE" issuer (basic constraints),
 * and a root of the host's ROOT store (trusted, no error); CertVerifyCertificateChainPolicy
 * BASE (with CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG) and SSL (server names, wildcards, the
 * ignore flags); CertDuplicateCertificateChain/CertFreeCertificateChain.
 * Expected output: Wine 8.0's but for two verdicts of the base policy, where Windows documents
 * its checks: a partial chain is CERT_E_CHAINING and an issuer that is no CA
 * TRUST_E_BASIC_CONSTRAINTS (CERT_CHAIN_POLICY_IGNORE_INVALID_BASIC_CONSTRAINTS_FLAG exists to
 * waive it); Wine 8.0 passes both. */
#include <windows.h>
#include <wincrypt.h>
#include "crypt_files.h"
#include <stdio.h>
#include <string.h>

#ifndef SECURITY_FLAG_IGNORE_UNKNOWN_CA /* wininet.h, for SSL_EXTRA_CERT_CHAIN_POLICY_PARA */
#define SECURITY_FLAG_IGNORE_UNKNOWN_CA 0x00000100
#define SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x00001000
#endif

static BYTE der[6][4096];
static DWORD der_len[6];

static int load(int i, const char *name)
{
    return crypt_load("crypt_chain", name, der[i], sizeof der[i], &der_len[i]);
}

enum { ROOT, INTER, LEAF, NOCA, UNDER };

static void show(const char *what, PCCERT_CHAIN_CONTEXT ch)
{
    printf("%s: error %05lx chains %lu", what, ch->TrustStatus.dwErrorStatus, ch->cChain);
    PCERT_SIMPLE_CHAIN s = ch->rgpChain[0];
    printf(" elements %lu:", s->cElement);
    for (DWORD i = 0; i < s->cElement; i++) {
        WCHAR name[128];
        CertGetNameStringW(s->rgpElement[i]->pCertContext, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL,
                           name, 128);
        printf(" [%ls error %lx self-signed %d]", name, s->rgpElement[i]->TrustStatus.dwErrorStatus,
               (s->rgpElement[i]->TrustStatus.dwInfoStatus & CERT_TRUST_IS_SELF_SIGNED) != 0);
    }
    printf("\n");
}

static void policy(const char *what, LPCSTR oid, PCCERT_CHAIN_CONTEXT ch, DWORD flags,
                   const WCHAR *server, DWORD checks)
{
    CERT_CHAIN_POLICY_PARA para = {sizeof para, flags, NULL};
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl = {{sizeof ssl}, AUTHTYPE_SERVER, checks, (WCHAR *)server};
    if (oid == CERT_CHAIN_POLICY_SSL)
        para.pvExtraPolicyPara = &ssl;
    CERT_CHAIN_POLICY_STATUS st = {sizeof st};
    BOOL ok = CertVerifyCertificateChainPolicy(oid, ch, &para, &st);
    printf("  %s: %d error %08lx chain %ld element %ld\n", what, ok, st.dwError, st.lChainIndex,
           st.lElementIndex);
}

static PCCERT_CHAIN_CONTEXT chain(PCCERT_CONTEXT c, HCERTSTORE extra, FILETIME *when)
{
    CERT_CHAIN_PARA para = {sizeof para};
    PCCERT_CHAIN_CONTEXT ch = NULL;
    if (!CertGetCertificateChain(NULL, c, when, extra, &para, 0, NULL, &ch)) {
        printf("CertGetCertificateChain failed %lu\n", GetLastError());
        return NULL;
    }
    return ch;
}

int main(void)
{
    static const char *const names[] = {"root", "inter", "leaf", "noca", "under"};
    for (int i = 0; i < 5; i++)
        if (!load(i, names[i]))
            return 1;
    PCCERT_CONTEXT cert[5];
    for (int i = 0; i < 5; i++)
        cert[i] = CertCreateCertificateContext(X509_ASN_ENCODING, der[i], der_len[i]);
    HCERTSTORE all = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    for (int i = ROOT; i <= INTER; i++)
        CertAddCertificateContextToStore(all, cert[i], CERT_STORE_ADD_ALWAYS, NULL);

    PCCERT_CHAIN_CONTEXT ch = chain(cert[LEAF], all, NULL);
    show("server with its issuers", ch);
    policy("base", CERT_CHAIN_POLICY_BASE, ch, 0, NULL, 0);
    policy("base, unknown CA allowed", CERT_CHAIN_POLICY_BASE, ch,
           CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG, NULL, 0);
    policy("ssl www.example.test", CERT_CHAIN_POLICY_SSL, ch, 0, L"www.example.test", 0);
    static const WCHAR *const hosts[] = {L"www.example.test", L"WWW.Example.Test",
                                         L"mail.example.test", L"a.b.example.test",
                                         L"example.test", L"www.example.org"};
    for (int i = 0; i < 6; i++) {
        char what[80];
        snprintf(what, sizeof what, "ssl %ls, unknown CA ignored", hosts[i]);
        policy(what, CERT_CHAIN_POLICY_SSL, ch, 0, hosts[i], SECURITY_FLAG_IGNORE_UNKNOWN_CA);
    }
    policy("ssl wrong name ignored", CERT_CHAIN_POLICY_SSL, ch, 0, L"www.example.org",
           SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_CN_INVALID);
    PCCERT_CHAIN_CONTEXT dup = CertDuplicateCertificateChain(ch);
    printf("duplicate is the same: %d\n", dup == ch);
    CertFreeCertificateChain(dup);
    CertFreeCertificateChain(ch);

    /* twenty years on: every certificate has expired */
    FILETIME later;
    GetSystemTimeAsFileTime(&later);
    ULARGE_INTEGER u = {{later.dwLowDateTime, later.dwHighDateTime}};
    u.QuadPart += 20ull * 365 * 86400 * 10000000;
    later.dwLowDateTime = u.LowPart, later.dwHighDateTime = u.HighPart;
    ch = chain(cert[LEAF], all, &later);
    show("in twenty years", ch);
    policy("base, unknown CA allowed", CERT_CHAIN_POLICY_BASE, ch,
           CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG, NULL, 0);
    policy("base, unknown CA and time ignored", CERT_CHAIN_POLICY_BASE, ch,
           CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG | CERT_CHAIN_POLICY_IGNORE_NOT_TIME_VALID_FLAG,
           NULL, 0);
    policy("ssl, unknown CA ignored", CERT_CHAIN_POLICY_SSL, ch, 0, L"www.example.test",
           SECURITY_FLAG_IGNORE_UNKNOWN_CA);
    CertFreeCertificateChain(ch);

    /* without the intermediate */
    HCERTSTORE rootonly = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddCertificateContextToStore(rootonly, cert[ROOT], CERT_STORE_ADD_ALWAYS, NULL);
    ch = chain(cert[LEAF], rootonly, NULL);
    show("server without the intermediate", ch);
    policy("base", CERT_CHAIN_POLICY_BASE, ch, 0, NULL, 0);
    CertFreeCertificateChain(ch);

    /* the signed part changed: one letter of the subject's common name */
    BYTE bad[4096];
    memcpy(bad, der[LEAF], der_len[LEAF]);
    for (DWORD i = 0; i + 7 < der_len[LEAF]; i++)
        if (!memcmp(bad + i, "example", 7)) {
            bad[i] = 'E';
            break;
        }
    PCCERT_CONTEXT forged = CertCreateCertificateContext(X509_ASN_ENCODING, bad, der_len[LEAF]);
    ch = chain(forged, all, NULL);
    show("changed server", ch);
    policy("base", CERT_CHAIN_POLICY_BASE, ch, 0, NULL, 0);
    CertFreeCertificateChain(ch);
    CertFreeCertificateContext(forged);

    /* issued by a certificate that is no CA */
    CertAddCertificateContextToStore(all, cert[NOCA], CERT_STORE_ADD_ALWAYS, NULL);
    ch = chain(cert[UNDER], all, NULL);
    show("under a non-CA", ch);
    policy("base, unknown CA allowed", CERT_CHAIN_POLICY_BASE, ch,
           CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG, NULL, 0);
    CertFreeCertificateChain(ch);

    /* a root of the host's ROOT store, valid now and signed with SHA-256: trusted */
    HCERTSTORE roots = CertOpenSystemStoreW(0, L"ROOT");
    PCCERT_CONTEXT r = NULL;
    int found = 0;
    while (!found && (r = CertEnumCertificatesInStore(roots, r)))
        found = !CertVerifyTimeValidity(NULL, r->pCertInfo) &&
                !strcmp(r->pCertInfo->SignatureAlgorithm.pszObjId, szOID_RSA_SHA256RSA);
    if (found) {
        ch = chain(r, NULL, NULL);
        printf("a host root: error %05lx elements %lu self-signed %d\n",
               ch->TrustStatus.dwErrorStatus, ch->rgpChain[0]->cElement,
               (ch->rgpChain[0]->rgpElement[0]->TrustStatus.dwInfoStatus &
                CERT_TRUST_IS_SELF_SIGNED) != 0);
        policy("base", CERT_CHAIN_POLICY_BASE, ch, 0, NULL, 0);
        CertFreeCertificateChain(ch);
        CertFreeCertificateContext(r);
    } else {
        printf("no SHA-256 root in the host's store\n");
    }
    CertCloseStore(roots, 0);
    for (int i = 0; i < 5; i++)
        CertFreeCertificateContext(cert[i]);
    CertCloseStore(rootonly, 0);
    CertCloseStore(all, 0);
    return 0;
}
