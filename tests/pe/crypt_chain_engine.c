/* crypt32's certificate chain engines on certificates made at build time by
 * crypt_chain_engine.gen (openssl): root -> intermediate -> server, read from the
 * crypt_chain_engine folder beside the program, and a root of the host's ROOT store.
 * CertCreateCertificateChainEngine's checks (cbSize, the old Windows Vista size, restricted roots
 * that are not in ROOT: CRYPT_E_NOT_FOUND); CertGetCertificateChain with an engine whose
 * hExclusiveRoot holds the test root (the chain is trusted; a host root no longer is; the store
 * may be closed by the program, the engine keeps it), whose exclusive store holds the
 * intermediate (a CA anchor only with CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG), whose
 * rghAdditionalStore gives the issuers, whose hRestrictedRoot holds a host root (trusted) or
 * nothing (no root trusted), whose hExclusiveTrustedPeople holds the server (peer trusted, the
 * documented CERT_TRUST_IS_PEER_TRUSTED); HCCE_LOCAL_MACHINE as the default engine;
 * CertVerifyCertificateChainPolicy on an engine's chain. This is the engine rustls-platform-
 * verifier makes for its extra roots (workerd).
 * Wine 8.0 accepts only the Windows Vista size of CERT_CHAIN_ENGINE_CONFIG (E_INVALIDARG for the
 * Windows 7 one with hExclusiveRoot, which rustls-platform-verifier passes), so its output
 * differs from the first full-size engine on; it also refuses restricted roots that are in ROOT. */
#include <windows.h>
#include <wincrypt.h>
#include "crypt_files.h"
#include <stdio.h>
#include <string.h>

#ifndef CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG
#define CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG 0x1
#endif
#ifndef CERT_TRUST_IS_PEER_TRUSTED
#define CERT_TRUST_IS_PEER_TRUSTED 0x800
#endif
#define OLD_CONFIG_SIZE 0x40 /* CERT_CHAIN_ENGINE_CONFIG up to CycleDetectionModulus */

enum { ROOT, INTER, LEAF, N };
static BYTE der[N][4096];
static DWORD der_len[N];
static PCCERT_CONTEXT cert[N];

static HCERTSTORE store_of(int a, int b)
{
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    if (a >= 0)
        CertAddCertificateContextToStore(s, cert[a], CERT_STORE_ADD_ALWAYS, NULL);
    if (b >= 0)
        CertAddCertificateContextToStore(s, cert[b], CERT_STORE_ADD_ALWAYS, NULL);
    return s;
}

static void show_chain(const char *what, HCERTCHAINENGINE engine, PCCERT_CONTEXT c, HCERTSTORE extra)
{
    CERT_CHAIN_PARA para = {sizeof para};
    PCCERT_CHAIN_CONTEXT ch = NULL;
    if (!CertGetCertificateChain(engine, c, NULL, extra, &para, 0, NULL, &ch)) {
        printf("%s: CertGetCertificateChain failed %08lx\n", what, GetLastError());
        return;
    }
    PCERT_SIMPLE_CHAIN s = ch->rgpChain[0];
    printf("%s: error %05lx elements %lu:", what, ch->TrustStatus.dwErrorStatus, s->cElement);
    for (DWORD i = 0; i < s->cElement; i++) {
        WCHAR name[128];
        CertGetNameStringW(s->rgpElement[i]->pCertContext, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL,
                           name, 128);
        DWORD info = s->rgpElement[i]->TrustStatus.dwInfoStatus;
        printf(" [%ls error %lx self-signed %d peer %d]", c == cert[LEAF] ? name : L"(host root)",
               s->rgpElement[i]->TrustStatus.dwErrorStatus, (info & CERT_TRUST_IS_SELF_SIGNED) != 0,
               (info & CERT_TRUST_IS_PEER_TRUSTED) != 0);
    }
    CERT_CHAIN_POLICY_PARA pp = {sizeof pp};
    CERT_CHAIN_POLICY_STATUS st = {sizeof st};
    CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_BASE, ch, &pp, &st);
    printf(" base policy %08lx\n", st.dwError);
    CertFreeCertificateChain(ch);
}

static HCERTCHAINENGINE engine_with(const char *what, CERT_CHAIN_ENGINE_CONFIG *cfg)
{
    HCERTCHAINENGINE e = NULL;
    SetLastError(0xdeadbeef);
    BOOL ok = CertCreateCertificateChainEngine(cfg, &e);
    printf("engine %s: %d", what, ok);
    if (!ok)
        printf(" error %08lx", GetLastError());
    printf("\n");
    return ok ? e : NULL;
}

int main(void)
{
    static const char *const names[N] = {"root", "inter", "leaf"};
    for (int i = 0; i < N; i++) {
        if (!crypt_load("crypt_chain_engine", names[i], der[i], sizeof der[i], &der_len[i]))
            return 1;
        cert[i] = CertCreateCertificateContext(X509_ASN_ENCODING, der[i], der_len[i]);
    }
    /* a root of the host's store, valid now */
    HCERTSTORE roots = CertOpenSystemStoreW(0, L"ROOT");
    PCCERT_CONTEXT host = NULL;
    while ((host = CertEnumCertificatesInStore(roots, host)) &&
           CertVerifyTimeValidity(NULL, host->pCertInfo))
        ;
    if (!host) {
        printf("no valid root in the host's store\n");
        return 1;
    }
    HCERTSTORE both = store_of(INTER, ROOT), inter_only = store_of(INTER, -1);

    CERT_CHAIN_ENGINE_CONFIG cfg;
    memset(&cfg, 0, sizeof cfg);
    engine_with("cbSize 0", &cfg);
    cfg.cbSize = OLD_CONFIG_SIZE;
    HCERTCHAINENGINE e = engine_with("Windows Vista size", &cfg);
    CertFreeCertificateChainEngine(e);
    cfg.cbSize = sizeof cfg;
    e = engine_with("default stores", &cfg);
    show_chain("  server, issuers in the extra store", e, cert[LEAF], both);
    show_chain("  host root", e, host, NULL);
    CertFreeCertificateChainEngine(e);
    show_chain("HCCE_LOCAL_MACHINE: server", HCCE_LOCAL_MACHINE, cert[LEAF], both);
    CertFreeCertificateChainEngine(NULL);

    /* the test root as the only trust anchor */
    HCERTSTORE excl = store_of(ROOT, -1);
    cfg.hExclusiveRoot = excl;
    e = engine_with("exclusive root", &cfg);
    CertCloseStore(excl, 0); /* the engine keeps its own reference */
    show_chain("  server, issuers in the extra store", e, cert[LEAF], both);
    show_chain("  server, intermediate in the extra store", e, cert[LEAF], inter_only);
    show_chain("  server alone", e, cert[LEAF], NULL);
    show_chain("  host root", e, host, NULL);
    CertFreeCertificateChainEngine(e);

    /* the intermediate in the exclusive store: a trust anchor only with the CA flag */
    excl = store_of(INTER, -1);
    cfg.hExclusiveRoot = excl;
    HCERTSTORE root_only = store_of(ROOT, -1);
    e = engine_with("exclusive intermediate", &cfg);
    show_chain("  server, root in the extra store", e, cert[LEAF], root_only);
    CertFreeCertificateChainEngine(e);
    cfg.dwExclusiveFlags = CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG;
    e = engine_with("exclusive intermediate, CA flag", &cfg);
    show_chain("  server, root in the extra store", e, cert[LEAF], root_only);
    CertFreeCertificateChainEngine(e);
    CertCloseStore(excl, 0);
    cfg.dwExclusiveFlags = 0;

    /* issuers from the engine's additional stores */
    excl = store_of(ROOT, -1);
    cfg.hExclusiveRoot = excl;
    cfg.cAdditionalStore = 1;
    cfg.rghAdditionalStore = &inter_only;
    e = engine_with("exclusive root, intermediate in an additional store", &cfg);
    show_chain("  server alone", e, cert[LEAF], NULL);
    CertFreeCertificateChainEngine(e);
    cfg.cAdditionalStore = 0;
    cfg.rghAdditionalStore = NULL;
    cfg.hExclusiveRoot = NULL;
    CertCloseStore(excl, 0);

    /* an application's trusted people: the server itself */
    HCERTSTORE people = store_of(LEAF, -1);
    cfg.hExclusiveTrustedPeople = people;
    e = engine_with("trusted people", &cfg);
    show_chain("  server alone", e, cert[LEAF], NULL);
    CertFreeCertificateChainEngine(e);
    cfg.hExclusiveTrustedPeople = NULL;
    CertCloseStore(people, 0);

    /* restricted roots: a subset of ROOT */
    HCERTSTORE restricted = store_of(ROOT, -1);
    cfg.hRestrictedRoot = restricted;
    engine_with("restricted root not in ROOT", &cfg);
    CertCloseStore(restricted, 0);
    restricted = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    cfg.hRestrictedRoot = restricted;
    e = engine_with("empty restricted root", &cfg);
    show_chain("  host root", e, host, NULL);
    CertFreeCertificateChainEngine(e);
    CertAddCertificateContextToStore(restricted, host, CERT_STORE_ADD_ALWAYS, NULL);
    e = engine_with("restricted root: the host root", &cfg);
    show_chain("  host root", e, host, NULL);
    CertFreeCertificateChainEngine(e);
    CertCloseStore(restricted, 0);

    CertFreeCertificateContext(host);
    CertCloseStore(roots, 0);
    CertCloseStore(both, 0);
    CertCloseStore(inter_only, 0);
    CertCloseStore(root_only, 0);
    for (int i = 0; i < N; i++)
        CertFreeCertificateContext(cert[i]);
    printf("done\n");
    return 0;
}
