/* SPDX-License-Identifier: MIT */
/* crypt32's certificate chains: CertGetCertificateChain builds one simple chain from the
 * certificate up through issuers found by name in the extra store the caller passes, the
 * certificate's own store and the "ROOT" store (the host's CA bundle, store.c), checking each
 * signature with the issuer's key (verify.c, Nettle) and each validity period against the
 * time asked; a self-signed end that is not in ROOT is CERT_TRUST_IS_UNTRUSTED_ROOT, a chain
 * whose top has no issuer CERT_TRUST_IS_PARTIAL_CHAIN. CertVerifyCertificateChainPolicy for
 * CERT_CHAIN_POLICY_BASE and CERT_CHAIN_POLICY_SSL (the server name against the DNS names of
 * subjectAltName, else the common name, "*." wildcards for one label), with their ignore flags;
 * CertFreeCertificateChain, CertDuplicateCertificateChain.
 * Revocation with the CERT_CHAIN_REVOCATION_CHECK_END_CERT / _CHAIN / _CHAIN_EXCLUDE_ROOT flags,
 * from the CRLs in the extra store and the certificates' own stores (crl.c's check; nothing is
 * fetched, as with CERT_CHAIN_REVOCATION_CHECK_CACHE_ONLY): CERT_TRUST_IS_REVOKED, or
 * CERT_TRUST_REVOCATION_STATUS_UNKNOWN | CERT_TRUST_IS_OFFLINE_REVOCATION when no current CRL of
 * the issuer is at hand; each checked element's pRevocationInfo gives the result and the CRL
 * (and entry) used. The base policy reports CRYPT_E_REVOKED, CRYPT_E_REVOCATION_OFFLINE or
 * CRYPT_E_NO_REVOCATION_CHECK, with the CERT_CHAIN_POLICY_IGNORE_*_REV_UNKNOWN_FLAG exemptions.
 * Chain engines (CertCreateCertificateChainEngine, CertFreeCertificateChainEngine): the
 * engine's stores replace the default ones. Trust anchors are hExclusiveRoot's certificates when
 * it is given (exclusive mode: the host's roots are not used at all; with
 * CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG a CA certificate of that store that is not self-signed
 * ends the chain as trusted), else hRestrictedRoot's (which must hold only roots of the ROOT
 * store: CRYPT_E_NOT_FOUND otherwise), else the host's roots; a leaf in
 * hExclusiveTrustedPeople is trusted alone (CERT_TRUST_IS_PEER_TRUSTED). Issuers are looked for
 * in the extra store, the certificate's own store, the engine's rghAdditionalStore and
 * hRestrictedOther stores, then the anchors. HCCE_CURRENT_USER (NULL), HCCE_LOCAL_MACHINE and
 * HCCE_SERIAL_LOCAL_MACHINE are the default engine.
 * Not done: OCSP, usage (EKU) and name/policy constraints, AKI key matching
 * (issuers are matched by name), lower-quality chains, CTLs (hRestrictedTrust is kept and not
 * read), the engine's cache and URL flags, the Authenticode/EV/Microsoft-root policies
 * (CRYPT_E_NOT_FOUND). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/thunks_private.h"

#define C32_TRUST_IS_NOT_TIME_VALID 0x1u
#define C32_TRUST_IS_NOT_SIGNATURE_VALID 0x8u
#define C32_TRUST_IS_UNTRUSTED_ROOT 0x20u
#define C32_TRUST_IS_CYCLIC 0x80u
#define C32_TRUST_INVALID_BASIC_CONSTRAINTS 0x400u
#define C32_TRUST_IS_PARTIAL_CHAIN 0x10000u
#define C32_TRUST_IS_REVOKED 0x4u
#define C32_TRUST_REVOCATION_STATUS_UNKNOWN 0x40u
#define C32_TRUST_IS_OFFLINE_REVOCATION 0x1000000u
#define C32_TRUST_HAS_NAME_MATCH_ISSUER 0x4u
#define C32_TRUST_IS_SELF_SIGNED 0x8u
#define C32_TRUST_HAS_PREFERRED_ISSUER 0x100u
#define C32_TRUST_IS_PEER_TRUSTED 0x800u
#define C32_EXCLUSIVE_ENABLE_CA 0x1u

#define C32_CERT_E_EXPIRED 0x800B0101u
#define C32_CERT_E_UNTRUSTEDROOT 0x800B0109u
#define C32_CERT_E_CHAINING 0x800B010Au
#define C32_CERT_E_CN_NO_MATCH 0x800B010Fu
#define C32_TRUST_E_CERT_SIGNATURE 0x80096004u
#define C32_TRUST_E_BASIC_CONSTRAINTS 0x80096019u
#define C32_CRYPT_E_REVOKED 0x80092010u
#define C32_CRYPT_E_NO_REVOCATION_CHECK 0x80092012u
#define C32_CRYPT_E_REVOCATION_OFFLINE 0x80092013u

#define C32_REVOCATION_CHECK_END_CERT 0x10000000u
#define C32_REVOCATION_CHECK_CHAIN 0x20000000u
#define C32_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT 0x40000000u
#define C32_POLICY_IGNORE_END_REV_UNKNOWN 0x100u
#define C32_POLICY_IGNORE_CA_REV_UNKNOWN 0x400u
#define C32_POLICY_IGNORE_ROOT_REV_UNKNOWN 0x800u

#define C32_POLICY_IGNORE_NOT_TIME_VALID 0x1u
#define C32_POLICY_IGNORE_CTL_NOT_TIME_VALID 0x2u
#define C32_POLICY_IGNORE_NOT_TIME_NESTED 0x4u
#define C32_POLICY_IGNORE_INVALID_BASIC_CONSTRAINTS 0x8u
#define C32_POLICY_ALLOW_UNKNOWN_CA 0x10u
#define C32_SECURITY_FLAG_IGNORE_UNKNOWN_CA 0x100u
#define C32_SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x1000u
#define C32_SECURITY_FLAG_IGNORE_CERT_DATE_INVALID 0x2000u

#define C32_MAX_DEPTH 16

/* Windows layouts (x64) */
typedef struct {
    uint32_t error, info; /* dwErrorStatus, dwInfoStatus */
} c32_trust;
typedef struct {
    uint32_t cbSize;        /* 0x00 */
    uint32_t pad_;
    const void *cert;       /* 0x08 pCertContext */
    c32_trust trust;        /* 0x10 TrustStatus */
    void *revocation;       /* 0x18 pRevocationInfo */
    void *issuance_usage;   /* 0x20 pIssuanceUsage */
    void *app_usage;        /* 0x28 pApplicationUsage */
    const WCHAR *ext_error; /* 0x30 pwszExtendedErrorInfo */
} c32_chain_element;
typedef struct {
    uint32_t cbSize;          /* 0x00 */
    c32_trust trust;          /* 0x04 TrustStatus */
    uint32_t n;               /* 0x0c cElement */
    c32_chain_element **elems; /* 0x10 rgpElement */
    void *trust_list;         /* 0x18 pTrustListInfo */
    uint32_t has_fresh, fresh; /* 0x20 */
} c32_simple_chain;
typedef struct {
    uint32_t cbSize;          /* 0x00 */
    c32_trust trust;          /* 0x04 TrustStatus */
    uint32_t n;               /* 0x0c cChain */
    c32_simple_chain **chains; /* 0x10 rgpChain */
    uint32_t n_lower;         /* 0x18 cLowerQualityChainContext */
    uint32_t pad_;
    void *lower;              /* 0x20 rgpLowerQualityChainContext */
    uint32_t has_fresh, fresh; /* 0x28 */
    uint32_t create_flags;    /* 0x30 dwCreateFlags */
    uint8_t chain_id[16];     /* 0x34 ChainId */
} c32_chain_context;
typedef struct {
    uint32_t cbSize, flags; /* 0x00 cbSize, dwFlags */
    const void *extra;      /* 0x08 pvExtraPolicyPara */
} c32_policy_para;
typedef struct {
    uint32_t cbSize, error;         /* 0x00 cbSize, dwError */
    int32_t chain_index, elem_index; /* 0x08 lChainIndex, lElementIndex */
    void *extra;                    /* 0x10 pvExtraPolicyStatus */
} c32_policy_status;
typedef struct {
    uint32_t cbSize, auth_type, checks; /* cbStruct, dwAuthType, fdwChecks */
    uint32_t pad_;
    const WCHAR *server; /* 0x10 pwszServerName */
} c32_ssl_para;
typedef struct {
    uint32_t cbSize;     /* 0x00 */
    uint32_t pad_;
    const void *base;    /* 0x08 pBaseCrlContext */
    const void *delta;   /* 0x10 pDeltaCrlContext */
    const c32_crl_entry *entry; /* 0x18 pCrlEntry */
    uint32_t delta_entry; /* 0x20 fDeltaCrlEntry */
    uint32_t pad2_;
} c32_rev_crl_info;
typedef struct {
    uint32_t cbSize;     /* 0x00 */
    uint32_t result;     /* 0x04 dwRevocationResult */
    const char *oid;     /* 0x08 pszRevocationOid */
    void *oid_info;      /* 0x10 pvOidSpecificInfo */
    uint32_t has_fresh, fresh; /* 0x18 fHasFreshnessTime, dwFreshnessTime */
    c32_rev_crl_info *crl; /* 0x20 pCrlInfo */
} c32_rev_info;
_Static_assert(sizeof(c32_rev_crl_info) == 40 && sizeof(c32_rev_info) == 40,
               "CERT_REVOCATION_CRL_INFO, CERT_REVOCATION_INFO layouts");
_Static_assert(sizeof(c32_chain_element) == 56, "CERT_CHAIN_ELEMENT");
_Static_assert(sizeof(c32_simple_chain) == 40, "CERT_SIMPLE_CHAIN");
_Static_assert(offsetof(c32_chain_context, create_flags) == 0x30 &&
                   sizeof(c32_chain_context) == 72, "CERT_CHAIN_CONTEXT");
_Static_assert(sizeof(c32_policy_status) == 24 && sizeof(c32_ssl_para) == 24, "policy layouts");

/* One block: the context a program reads first, then its one simple chain, the element
 * pointers and the elements. */
typedef struct {
    c32_chain_context ctx;
    uint32_t magic;
    int32_t refs;
    c32_simple_chain simple;
    c32_simple_chain *chain_ptr; /* rgpChain's one entry */
    c32_chain_element *ptrs[C32_MAX_DEPTH];
    c32_chain_element elems[C32_MAX_DEPTH];
    c32_cert *certs[C32_MAX_DEPTH]; /* a reference each */
    c32_rev_info rev[C32_MAX_DEPTH]; /* the checked elements' pRevocationInfo */
    c32_rev_crl_info rev_crl[C32_MAX_DEPTH];
    c32_cert *crls[C32_MAX_DEPTH]; /* the CRL each used, a reference each, or NULL */
} c32_chain;
#define C32_CHAIN_MAGIC 0x4e494843u /* "CHIN" */

/* CERT_CHAIN_ENGINE_CONFIG (x64); Windows before 7 ends it at hExclusiveRoot (0x40 bytes). */
typedef struct {
    uint32_t cbSize;          /* 0x00 */
    uint32_t pad_;
    void *restricted_root;    /* 0x08 hRestrictedRoot */
    void *restricted_trust;   /* 0x10 hRestrictedTrust */
    void *restricted_other;   /* 0x18 hRestrictedOther */
    uint32_t n_additional;    /* 0x20 cAdditionalStore */
    uint32_t pad2_;
    void *const *additional;  /* 0x28 rghAdditionalStore */
    uint32_t flags;           /* 0x30 dwFlags */
    uint32_t url_timeout;     /* 0x34 dwUrlRetrievalTimeout */
    uint32_t max_cached;      /* 0x38 MaximumCachedCertificates */
    uint32_t cycle_modulus;   /* 0x3c CycleDetectionModulus */
    void *exclusive_root;     /* 0x40 hExclusiveRoot */
    void *exclusive_people;   /* 0x48 hExclusiveTrustedPeople */
    uint32_t exclusive_flags; /* 0x50 dwExclusiveFlags */
    uint32_t pad3_;
} c32_engine_config;
_Static_assert(offsetof(c32_engine_config, exclusive_root) == 0x40 &&
                   sizeof(c32_engine_config) == 0x58, "CERT_CHAIN_ENGINE_CONFIG");
#define C32_ENGINE_CONFIG_OLD_SIZE 0x40u

/* An engine: a reference on each store it names. */
typedef struct {
    uint32_t magic;
    uint32_t flags, exclusive_flags;
    c32_store *anchors; /* exclusive or restricted roots; NULL: the host's roots */
    bool exclusive;
    c32_store *people;  /* hExclusiveTrustedPeople, or NULL */
    c32_store *trust;   /* hRestrictedTrust (CTLs: kept, not read) */
    uint32_t n_search;
    c32_store **search; /* hRestrictedOther, then rghAdditionalStore */
} c32_engine;
#define C32_ENGINE_MAGIC 0x4e474e45u /* "ENGN" */

static bool c32_same_blob(const c32_blob *a, const c32_blob *b)
{
    return a->cb == b->cb && !memcmp((const void *)(uintptr_t)a->pb, (const void *)(uintptr_t)b->pb, a->cb);
}

static bool c32_self_issued(const c32_cert *c)
{
    return c32_same_blob(&c->info->issuer, &c->info->subject);
}

static bool c32_same_cert(const c32_cert *a, const c32_cert *b)
{
    return a->ctx.enc_len == b->ctx.enc_len && !memcmp(a->enc, b->enc, a->ctx.enc_len);
}

/* The issuer of c by name in store s: one whose key verifies c first, else any by name. */
static c32_cert *c32_find_issuer(c32_store *s, const c32_cert *c, bool *verified)
{
    c32_cert *byname = NULL;
    if (!s)
        return NULL;
    for (c32_cert *x = s->head; x; x = x->next) {
        if (x == c || !c32_same_blob(&x->info->subject, &c->info->issuer))
            continue;
        if (c32_signed_by(c, x) == 0) {
            *verified = true;
            return x;
        }
        if (!byname)
            byname = x;
    }
    *verified = false;
    return byname;
}

static bool c32_in_store(c32_store *s, const c32_cert *c)
{
    for (c32_cert *x = s ? s->head : NULL; x; x = x->next)
        if (c32_same_cert(x, c))
            return true;
    return false;
}

/* Whether the certificate may issue others: false when basicConstraints says it is no CA. */
static bool c32_may_issue(const c32_cert *c)
{
    const c32_ext *e = (const c32_ext *)(uintptr_t)c->info->exts;
    for (uint32_t i = 0; i < c->info->n_ext; i++) {
        if (strcmp((const char *)(uintptr_t)e[i].oid, "2.5.29.19"))
            continue;
        uint32_t err;
        c32_basic2 *b = c32_decode_alloc(C32_T_BASIC2, (const uint8_t *)(uintptr_t)e[i].value.pb,
                                         e[i].value.cb, &err);
        bool ca = b && b->ca;
        free(b);
        return ca;
    }
    return true;
}

/* Whether every certificate of s is in `roots` (the host's). Locked. */
static bool c32_all_in(c32_store *s, c32_store *roots)
{
    for (c32_cert *x = s->head; x; x = x->next)
        if (!c32_in_store(roots, x))
            return false;
    return true;
}

static void c32_engine_free_locked(c32_engine *e)
{
    c32_store *own[3] = {e->anchors, e->people, e->trust};
    for (int i = 0; i < 3; i++)
        if (own[i])
            c32_store_unref_locked(own[i]);
    for (uint32_t i = 0; i < e->n_search; i++)
        c32_store_unref_locked(e->search[i]);
    free(e->search);
    e->magic = 0;
    free(e);
}

/* A store handle of the configuration: NULL stays NULL; a handle that is no store fails. */
static bool c32_engine_store(void *h, c32_store **out)
{
    *out = NULL;
    if (!h)
        return true;
    *out = c32_store_from(h);
    return *out != NULL;
}

BOOL WINAPI CertCreateCertificateChainEngine(const c32_engine_config *cfg, void **out)
{
    if (!cfg || !out || cfg->cbSize < C32_ENGINE_CONFIG_OLD_SIZE ||
        (cfg->n_additional && !cfg->additional)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    *out = NULL;
    bool has_exclusive = cfg->cbSize >= sizeof *cfg;
    c32_store *root, *trust, *other, *excl = NULL, *people = NULL;
    if (!c32_engine_store(cfg->restricted_root, &root) ||
        !c32_engine_store(cfg->restricted_trust, &trust) ||
        !c32_engine_store(cfg->restricted_other, &other) ||
        (has_exclusive && (!c32_engine_store(cfg->exclusive_root, &excl) ||
                           !c32_engine_store(cfg->exclusive_people, &people)))) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_store **adds = calloc(cfg->n_additional + 1u, sizeof *adds);
    c32_engine *e = calloc(1, sizeof *e);
    if (!adds || !e) {
        free(adds);
        free(e);
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    uint32_t n = 0;
    if (other)
        adds[n++] = other;
    for (uint32_t i = 0; i < cfg->n_additional; i++) {
        c32_store *a = c32_store_from(cfg->additional[i]);
        if (!a) {
            free(adds);
            free(e);
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
        adds[n++] = a;
    }
    c32_store *host_roots = root ? c32_root_store() : NULL; /* loads them: not under the lock */
    c32_lock();
    /* restricted roots must be roots the host trusts (Windows: CRYPT_E_NOT_FOUND) */
    if (root && !c32_all_in(root, host_roots)) {
        c32_unlock();
        free(adds);
        free(e);
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
        return FALSE;
    }
    e->magic = C32_ENGINE_MAGIC;
    e->flags = cfg->flags;
    e->exclusive = excl || people;
    e->exclusive_flags = has_exclusive ? cfg->exclusive_flags : 0;
    e->anchors = e->exclusive ? excl : root;
    e->people = people;
    e->trust = trust;
    e->search = adds;
    e->n_search = n;
    c32_store *refs[3] = {e->anchors, e->people, e->trust};
    for (int i = 0; i < 3; i++)
        if (refs[i])
            refs[i]->refs++;
    for (uint32_t i = 0; i < n; i++)
        adds[i]->refs++;
    c32_unlock();
    *out = e;
    return TRUE;
}
THK_EXPORT(crypt32, CertCreateCertificateChainEngine, 2);

/* HCCE_CURRENT_USER (NULL), HCCE_LOCAL_MACHINE (1), HCCE_SERIAL_LOCAL_MACHINE (2): the default */
static bool c32_engine_is_default(const void *h) { return (uintptr_t)h <= 2; }

static c32_engine *c32_engine_get(const void *h)
{
    c32_engine *e = (c32_engine *)h;
    return !c32_engine_is_default(h) && e->magic == C32_ENGINE_MAGIC ? e : NULL;
}

void WINAPI CertFreeCertificateChainEngine(void *h)
{
    c32_engine *e = c32_engine_get(h);
    if (!e)
        return;
    c32_lock();
    c32_engine_free_locked(e);
    c32_unlock();
}
THK_EXPORT(crypt32, CertFreeCertificateChainEngine, 1);

/* The revocation checks the flags ask for, on the n elements of ch: each element against the
 * CRLs of the next one (a self-signed top against its own). Locked. */
static void c32_chain_revocation_locked(c32_chain *ch, uint32_t n, c32_store *extra,
                                        uint32_t flags, uint64_t when)
{
    uint32_t last = n;
    if (flags & C32_REVOCATION_CHECK_END_CERT)
        last = 1;
    else if ((flags & C32_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT) &&
             !(flags & C32_REVOCATION_CHECK_CHAIN) && n > 1 &&
             (ch->elems[n - 1].trust.info & C32_TRUST_IS_SELF_SIGNED))
        last = n - 1;
    for (uint32_t i = 0; i < last; i++) {
        c32_cert *c = ch->certs[i];
        bool top = i + 1 == n;
        c32_cert *issuer = !top ? ch->certs[i + 1]
                           : (ch->elems[i].trust.info & C32_TRUST_IS_SELF_SIGNED) ? c : NULL;
        c32_store *stores[3] = {extra, c->store != &c32_no_store ? c->store : NULL,
                                issuer && issuer->store != &c32_no_store ? issuer->store : NULL};
        const c32_crl_entry *entry;
        c32_rev rev = c32_revocation_locked(stores, 3, c, issuer, when, &ch->crls[i], &entry);
        c32_rev_info *ri = &ch->rev[i];
        ri->cbSize = sizeof *ri;
        ch->elems[i].revocation = ri;
        if (ch->crls[i]) {
            ch->rev_crl[i].cbSize = sizeof ch->rev_crl[i];
            ch->rev_crl[i].base = &ch->crls[i]->ctx;
            ch->rev_crl[i].entry = entry;
            ri->crl = &ch->rev_crl[i];
        }
        switch (rev) {
        case C32_REV_GOOD:
            break;
        case C32_REV_REVOKED:
            ri->result = C32_CRYPT_E_REVOKED;
            ch->elems[i].trust.error |= C32_TRUST_IS_REVOKED;
            break;
        case C32_REV_OFFLINE:
        case C32_REV_NO_CHECK:
            ri->result = rev == C32_REV_OFFLINE ? C32_CRYPT_E_REVOCATION_OFFLINE
                                                : C32_CRYPT_E_NO_REVOCATION_CHECK;
            /* unknown is offline too, as Windows reports it (the element's result says which) */
            ch->elems[i].trust.error |= C32_TRUST_REVOCATION_STATUS_UNKNOWN |
                                        C32_TRUST_IS_OFFLINE_REVOCATION;
            break;
        }
    }
}

BOOL WINAPI CertGetCertificateChain(void *engine, const void *ctx, const uint64_t *when,
                                    void *extra, const void *para, DWORD flags, void *reserved,
                                    const void **out)
{
    (void)para, (void)reserved;
    c32_cert *leaf = c32_cert_get(ctx);
    c32_engine *eng = c32_engine_get(engine);
    if (!leaf || !out || (!eng && !c32_engine_is_default(engine))) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    *out = NULL;
    c32_chain *ch = calloc(1, sizeof *ch);
    if (!ch) {
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    uint64_t t = when ? *when : c32_filetime_now();
    c32_store *extra_s = extra ? c32_store_from(extra) : NULL;
    c32_store *roots = eng && (eng->anchors || eng->exclusive) ? eng->anchors : c32_root_store();
    c32_lock();
    uint32_t n = 0, err = 0;
    c32_cert *cur = leaf;
    for (;;) {
        c32_chain_element *e = &ch->elems[n];
        e->cbSize = sizeof *e;
        c32_cert_ref_locked(cur);
        ch->certs[n] = cur;
        e->cert = &cur->ctx;
        ch->ptrs[n++] = e;
        if (CertVerifyTimeValidity(&t, cur->info))
            e->trust.error |= C32_TRUST_IS_NOT_TIME_VALID;
        if (n > 1 && !c32_may_issue(cur))
            e->trust.error |= C32_TRUST_INVALID_BASIC_CONSTRAINTS;
        if (n == 1 && eng && eng->people && c32_in_store(eng->people, cur)) {
            e->trust.info |= C32_TRUST_IS_PEER_TRUSTED;
            break;
        }
        if (n > 1 && eng && (eng->exclusive_flags & C32_EXCLUSIVE_ENABLE_CA) && !c32_self_issued(cur) &&
            c32_in_store(eng->anchors, cur) && c32_may_issue(cur))
            break; /* a CA anchor of the exclusive store: trusted, not looked at further */
        if (c32_self_issued(cur)) {
            e->trust.info |= C32_TRUST_IS_SELF_SIGNED | C32_TRUST_HAS_NAME_MATCH_ISSUER;
            if (c32_signed_by(cur, cur))
                e->trust.error |= C32_TRUST_IS_NOT_SIGNATURE_VALID;
            if (!c32_in_store(roots, cur))
                e->trust.error |= C32_TRUST_IS_UNTRUSTED_ROOT;
            break;
        }
        bool verified = false;
        c32_cert *issuer = c32_find_issuer(extra_s, cur, &verified);
        if (!issuer || !verified) {
            bool v2 = false;
            c32_cert *i2 = c32_find_issuer(cur->store != &c32_no_store ? cur->store : NULL, cur, &v2);
            if (i2 && (v2 || !issuer))
                issuer = i2, verified = v2;
        }
        for (uint32_t k = 0; eng && k < eng->n_search && (!issuer || !verified); k++) {
            bool v = false;
            c32_cert *ik = c32_find_issuer(eng->search[k], cur, &v);
            if (ik && (v || !issuer))
                issuer = ik, verified = v;
        }
        if (!issuer || !verified) {
            bool v3 = false;
            c32_cert *i3 = c32_find_issuer(roots, cur, &v3);
            if (i3 && (v3 || !issuer))
                issuer = i3, verified = v3;
        }
        if (!issuer) {
            err |= C32_TRUST_IS_PARTIAL_CHAIN;
            break;
        }
        e->trust.info |= C32_TRUST_HAS_NAME_MATCH_ISSUER | C32_TRUST_HAS_PREFERRED_ISSUER;
        if (!verified)
            e->trust.error |= C32_TRUST_IS_NOT_SIGNATURE_VALID;
        bool cyclic = false;
        for (uint32_t i = 0; i < n; i++)
            cyclic |= c32_same_cert(ch->certs[i], issuer);
        if (cyclic || n == C32_MAX_DEPTH) {
            e->trust.error |= C32_TRUST_IS_CYCLIC;
            err |= C32_TRUST_IS_PARTIAL_CHAIN;
            break;
        }
        cur = issuer;
    }
    if (flags & (C32_REVOCATION_CHECK_END_CERT | C32_REVOCATION_CHECK_CHAIN |
                 C32_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT))
        c32_chain_revocation_locked(ch, n, extra_s, flags, t);
    c32_unlock();
    for (uint32_t i = 0; i < n; i++)
        err |= ch->elems[i].trust.error;
    ch->magic = C32_CHAIN_MAGIC;
    ch->refs = 1;
    ch->simple.cbSize = sizeof ch->simple;
    ch->simple.n = n;
    ch->simple.elems = ch->ptrs;
    ch->simple.trust.error = err;
    ch->simple.trust.info = ch->elems[0].trust.info & C32_TRUST_HAS_PREFERRED_ISSUER;
    ch->ctx.cbSize = sizeof ch->ctx;
    ch->ctx.trust = ch->simple.trust;
    ch->ctx.n = 1;
    ch->chain_ptr = &ch->simple;
    ch->ctx.chains = &ch->chain_ptr;
    ch->ctx.create_flags = flags;
    *out = &ch->ctx;
    return TRUE;
}
THK_EXPORT(crypt32, CertGetCertificateChain, 8);

static c32_chain *c32_chain_get(const void *ctx)
{
    c32_chain *ch = (c32_chain *)ctx;
    return ch && ch->magic == C32_CHAIN_MAGIC ? ch : NULL;
}

void WINAPI CertFreeCertificateChain(const void *ctx)
{
    c32_chain *ch = c32_chain_get(ctx);
    if (!ch)
        return;
    c32_lock();
    bool last = --ch->refs == 0;
    if (last)
        for (uint32_t i = 0; i < ch->simple.n; i++) { /* the references c32_cert_ref_locked took */
            c32_context_unref_locked(ch->certs[i]);
            if (ch->crls[i])
                c32_context_unref_locked(ch->crls[i]);
        }
    c32_unlock();
    if (last) {
        ch->magic = 0;
        free(ch);
    }
}
THK_EXPORT(crypt32, CertFreeCertificateChain, 1);

const void *WINAPI CertDuplicateCertificateChain(const void *ctx)
{
    c32_chain *ch = c32_chain_get(ctx);
    if (!ch)
        return NULL;
    c32_lock();
    ch->refs++;
    c32_unlock();
    return ctx;
}
THK_EXPORT(crypt32, CertDuplicateCertificateChain, 1);

/* The first element (chain 0) with any of these error bits, or -1. */
static int32_t c32_elem_with(const c32_chain *ch, uint32_t bits)
{
    for (uint32_t i = 0; i < ch->simple.n; i++)
        if (ch->elems[i].trust.error & bits)
            return (int32_t)i;
    return -1;
}

/* CERT_CHAIN_POLICY_BASE's verdict on the chain, after the flags' exemptions. */
static void c32_base_policy(const c32_chain *ch, uint32_t flags, c32_policy_status *st)
{
    static const struct {
        uint32_t bits, error, ignore;
    } checks[] = {
        {C32_TRUST_IS_NOT_SIGNATURE_VALID, C32_TRUST_E_CERT_SIGNATURE, 0},
        {C32_TRUST_IS_UNTRUSTED_ROOT, C32_CERT_E_UNTRUSTEDROOT, C32_POLICY_ALLOW_UNKNOWN_CA},
        {C32_TRUST_IS_CYCLIC, C32_CERT_E_CHAINING, 0},
        {C32_TRUST_IS_PARTIAL_CHAIN, C32_CERT_E_CHAINING, 0},
        {C32_TRUST_IS_NOT_TIME_VALID, C32_CERT_E_EXPIRED, C32_POLICY_IGNORE_NOT_TIME_VALID},
        {C32_TRUST_INVALID_BASIC_CONSTRAINTS, C32_TRUST_E_BASIC_CONSTRAINTS,
         C32_POLICY_IGNORE_INVALID_BASIC_CONSTRAINTS},
    };
    uint32_t err = ch->ctx.trust.error;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (!(err & checks[i].bits) || (flags & checks[i].ignore))
            continue;
        st->error = checks[i].error;
        st->chain_index = 0;
        st->elem_index = c32_elem_with(ch, checks[i].bits);
        if (checks[i].bits == C32_TRUST_IS_PARTIAL_CHAIN)
            st->elem_index = (int32_t)ch->simple.n - 1;
        return;
    }
    if (err & C32_TRUST_IS_REVOKED) {
        st->error = C32_CRYPT_E_REVOKED;
        st->chain_index = 0;
        st->elem_index = c32_elem_with(ch, C32_TRUST_IS_REVOKED);
        return;
    }
    /* unknown revocation: waived by the flag for the element's place (end, CA, root) */
    for (uint32_t i = 0; i < ch->simple.n; i++) {
        uint32_t e = ch->elems[i].trust.error;
        if (!(e & C32_TRUST_REVOCATION_STATUS_UNKNOWN))
            continue;
        bool root = i + 1 == ch->simple.n && (ch->elems[i].trust.info & C32_TRUST_IS_SELF_SIGNED);
        uint32_t waive = i == 0 ? C32_POLICY_IGNORE_END_REV_UNKNOWN
                         : root ? C32_POLICY_IGNORE_ROOT_REV_UNKNOWN
                                : C32_POLICY_IGNORE_CA_REV_UNKNOWN;
        if (flags & waive)
            continue;
        const c32_rev_info *ri = ch->elems[i].revocation;
        st->error = ri ? ri->result : C32_CRYPT_E_NO_REVOCATION_CHECK;
        st->chain_index = 0;
        st->elem_index = (int32_t)i;
        return;
    }
}

/* Whether a DNS name (ASCII, any case) matches a certificate's name, "*." matching one label */
static bool c32_host_match(const WCHAR *pat, size_t plen, const WCHAR *host)
{
    size_t hlen = 0;
    while (host[hlen])
        hlen++;
    while (plen && !pat[plen - 1])
        plen--;
    if (plen > 2 && pat[0] == '*' && pat[1] == '.') {
        const WCHAR *dot = host;
        while (*dot && *dot != '.')
            dot++;
        if (!*dot || dot == host)
            return false;
        host = dot + 1;
        hlen = 0;
        while (host[hlen])
            hlen++;
        pat += 2, plen -= 2;
    }
    if (plen != hlen)
        return false;
    for (size_t i = 0; i < plen; i++) {
        WCHAR a = pat[i], b = host[i];
        a = (WCHAR)(a >= 'A' && a <= 'Z' ? a + 32 : a);
        b = (WCHAR)(b >= 'A' && b <= 'Z' ? b + 32 : b);
        if (a != b)
            return false;
    }
    return true;
}

/* The server name against the leaf: subjectAltName's DNS names when it has any, else the
 * common names. */
static bool c32_name_matches(const c32_cert *c, const WCHAR *server)
{
    const c32_ext *e = (const c32_ext *)(uintptr_t)c->info->exts;
    for (uint32_t i = 0; i < c->info->n_ext; i++) {
        if (strcmp((const char *)(uintptr_t)e[i].oid, "2.5.29.17"))
            continue;
        uint32_t err;
        c32_array *alt = c32_decode_alloc(C32_T_ALT_NAME,
                                          (const uint8_t *)(uintptr_t)e[i].value.pb,
                                          e[i].value.cb, &err);
        if (!alt)
            continue;
        bool any = false, hit = false;
        const c32_alt_entry *ae = (const c32_alt_entry *)(uintptr_t)alt->items;
        for (uint32_t j = 0; j < alt->n; j++) {
            if (ae[j].choice != 3 /* CERT_ALT_NAME_DNS_NAME */)
                continue;
            any = true;
            const WCHAR *w = (const WCHAR *)(uintptr_t)ae[j].u.str;
            size_t n = 0;
            while (w[n])
                n++;
            hit |= c32_host_match(w, n, server);
        }
        free(alt);
        if (any)
            return hit;
    }
    uint32_t err;
    c32_array *name = c32_decode_alloc(C32_T_UNICODE_NAME,
                                       (const uint8_t *)(uintptr_t)c->info->subject.pb,
                                       c->info->subject.cb, &err);
    if (!name)
        return false;
    bool hit = false;
    const c32_array *rdns = (const c32_array *)(uintptr_t)name->items;
    for (uint32_t i = 0; i < name->n; i++) {
        const c32_rdn_attr *a = (const c32_rdn_attr *)(uintptr_t)rdns[i].items;
        for (uint32_t j = 0; j < rdns[i].n; j++)
            if (!strcmp((const char *)(uintptr_t)a[j].oid, "2.5.4.3"))
                hit |= c32_host_match((const WCHAR *)(uintptr_t)a[j].value.pb,
                                      a[j].value.cb / 2, server);
    }
    free(name);
    return hit;
}

BOOL WINAPI CertVerifyCertificateChainPolicy(const char *policy, const void *ctx,
                                             const c32_policy_para *para, c32_policy_status *st)
{
    c32_chain *ch = c32_chain_get(ctx);
    if (!ch || !st) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    uintptr_t which = (uintptr_t)policy;
    if (which != 1 /* CERT_CHAIN_POLICY_BASE */ && which != 4 /* CERT_CHAIN_POLICY_SSL */) {
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
        return FALSE;
    }
    st->error = 0;
    st->chain_index = st->elem_index = -1;
    uint32_t flags = para ? para->flags : 0;
    const c32_ssl_para *ssl = which == 4 && para ? para->extra : NULL;
    if (ssl) {
        if (ssl->checks & C32_SECURITY_FLAG_IGNORE_UNKNOWN_CA)
            flags |= C32_POLICY_ALLOW_UNKNOWN_CA;
        if (ssl->checks & C32_SECURITY_FLAG_IGNORE_CERT_DATE_INVALID)
            flags |= C32_POLICY_IGNORE_NOT_TIME_VALID;
    }
    c32_base_policy(ch, flags, st);
    if (!st->error && ssl && ssl->server && !(ssl->checks & C32_SECURITY_FLAG_IGNORE_CERT_CN_INVALID) &&
        !c32_name_matches(ch->certs[0], ssl->server)) {
        st->error = C32_CERT_E_CN_NO_MATCH;
        st->chain_index = 0;
        st->elem_index = 0;
    }
    return TRUE;
}
THK_EXPORT(crypt32, CertVerifyCertificateChainPolicy, 4);
