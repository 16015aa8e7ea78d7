/* SPDX-License-Identifier: MIT */
/* crypt32's certificate revocation lists. CertCreateCRLContext parses a signed CRL (asn1.c)
 * into a CRL_CONTEXT and its CRL_INFO (the contexts are cert.c's, with a CRL's magic);
 * CertDuplicateCRLContext/CertFreeCRLContext count references; stores hold CRLs beside their
 * certificates (store.c): CertAddEncodedCRLToStore, CertAddCRLContextToStore,
 * CertEnumCRLsInStore, CertDeleteCRLFromStore, CertGetCRLFromStore (CRLs of an issuer, with
 * the CERT_STORE_SIGNATURE_FLAG/TIME_VALIDITY_FLAG checks reported in the flags),
 * CertFindCRLInStore (ANY, ISSUED_BY with the AKI/SIGNATURE/DELTA/BASE flags, EXISTING,
 * ISSUED_FOR). CertFindCertificateInCRL, CertVerifyCRLRevocation (by serial number),
 * CertVerifyCRLTimeValidity, CertIsValidCRLForCertificate (any CRL without an issuing
 * distribution point; with one, a certificate whose CRL distribution point names the same).
 *
 * Revocation: CertVerifyRevocation (CERT_CONTEXT_REVOCATION_TYPE) and the chains (chain.c) ask
 * c32_revocation_locked, the default provider's CRL check without a network: the CRLs of the
 * certificate's issuer (its name, signed by its key, the issuer allowed to sign CRLs by its key
 * usage) in the stores given. A current one (ThisUpdate <= the time <= NextUpdate) that lists
 * the serial number: revoked (the entry's reason code); that does not: good. No current one:
 * a stale one that lists it still revokes; otherwise the status is offline when the
 * certificate names a CRL distribution point (it would have to be fetched: cache only) and
 * unknown (CRYPT_E_NO_REVOCATION_CHECK) when it names none.
 * CertGet/SetCRLContextProperty are cert.c's (the hashes, set blobs), carried by
 * CertAddCRLContextToStore.
 * A delta CRL (Delta CRL Indicator) of the issuer in the stores completes a current base CRL
 * whose CRL number is at least the base number it names (RFC 5280 5.2.4): a certificate it
 * lists is revoked, one it lists as removeFromCRL is not (a hold lifted); the newest current
 * delta CRL is used, and only with a current base CRL.
 * Not done: OCSP, fetching CRLs by URL (Freshest CRL is not followed). */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/crypt32/crypt32_private.h"

#define C32_CRYPT_E_REVOKED 0x80092010u
#define C32_CRYPT_E_NO_REVOCATION_CHECK 0x80092012u
#define C32_CRYPT_E_REVOCATION_OFFLINE 0x80092013u
#define C32_CRYPT_E_NO_MATCH 0x80092009u

#define C32_STORE_SIGNATURE_FLAG 0x1u
#define C32_STORE_TIME_VALIDITY_FLAG 0x2u
#define C32_STORE_BASE_CRL_FLAG 0x100u
#define C32_STORE_DELTA_CRL_FLAG 0x200u
#define C32_STORE_NO_ISSUER_FLAG 0x20000u

#define C32_CRL_FIND_ANY 0u
#define C32_CRL_FIND_ISSUED_BY 1u
#define C32_CRL_FIND_EXISTING 2u
#define C32_CRL_FIND_ISSUED_FOR 3u
#define C32_FIND_AKI_FLAG 0x1u
#define C32_FIND_SIGNATURE_FLAG 0x2u
#define C32_FIND_DELTA_FLAG 0x4u
#define C32_FIND_BASE_FLAG 0x8u

#define C32_OID_DELTA_CRL "2.5.29.27"
#define C32_OID_AKI "2.5.29.35"
#define C32_OID_SKI "2.5.29.14"
#define C32_OID_KEY_USAGE "2.5.29.15"
#define C32_OID_CDP "2.5.29.31"
#define C32_OID_IDP "2.5.29.28"
#define C32_OID_REASON "2.5.29.21"
#define C32_OID_CRL_NUMBER "2.5.29.20"
#define C32_CRL_REASON_REMOVE_FROM_CRL 8u

static const void *ptr(uint64_t v) { return (const void *)(uintptr_t)v; }

static bool c32_blob_eq(const c32_blob *a, const c32_blob *b)
{
    return a->cb == b->cb && (!a->cb || !memcmp(ptr(a->pb), ptr(b->pb), a->cb));
}

static const c32_ext *c32_crl_ext(const c32_cert *crl, const char *oid)
{
    return c32_ext_in(ptr(crl->crl->exts), crl->crl->n_ext, oid);
}

static const c32_ext *c32_cert_ext(const c32_cert *c, const char *oid)
{
    return c32_ext_in(ptr(c->info->exts), c->info->n_ext, oid);
}

static bool c32_is_delta(const c32_cert *crl) { return c32_crl_ext(crl, C32_OID_DELTA_CRL); }
bool c32_crl_is_delta(const c32_cert *crl) { return c32_is_delta(crl); }

/* Whether `issuer` (a certificate) is the CRL's issuer by name */
static bool c32_crl_named_by(const c32_cert *crl, const c32_cert *issuer)
{
    return c32_blob_eq(&crl->crl->issuer, &issuer->info->subject);
}

/* Whether the CRL's authority key identifier (when it has one with a key identifier) names the
 * issuer's key: its subject key identifier, else the SHA-1 of its public key's bits. */
static bool c32_aki_matches(const c32_cert *crl, const c32_cert *issuer)
{
    const c32_ext *e = c32_crl_ext(crl, C32_OID_AKI);
    if (!e)
        return true;
    /* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
     * ... } */
    const uint8_t *p = ptr(e->value.pb), *end = p + e->value.cb;
    c32_tlv seq, id;
    if (c32_der_expect(&p, end, 0x30, &seq))
        return false;
    p = seq.p;
    if (c32_der_read(&p, seq.p + seq.len, &id) || id.tag != 0x80)
        return true; /* no key identifier: nothing to compare */
    uint8_t h[20];
    const uint8_t *want = h;
    size_t want_len = 20;
    const c32_ext *ski = c32_cert_ext(issuer, C32_OID_SKI);
    c32_tlv k;
    const uint8_t *q = ski ? ptr(ski->value.pb) : NULL;
    if (ski && !c32_der_expect(&q, q + ski->value.cb, 0x04, &k)) {
        want = k.p;
        want_len = k.len;
    } else {
        cd_ctx x;
        cd_init(&x, CD_SHA1);
        cd_update(&x, ptr(issuer->info->pk.key.pb), issuer->info->pk.key.cb);
        cd_final(&x, h);
    }
    return id.len == want_len && !memcmp(id.p, want, want_len);
}

/* Whether the issuer may sign CRLs: no key usage extension, or one with cRLSign (bit 6) */
static bool c32_may_sign_crls(const c32_cert *issuer)
{
    const c32_ext *e = c32_cert_ext(issuer, C32_OID_KEY_USAGE);
    if (!e)
        return true;
    const uint8_t *p = ptr(e->value.pb);
    c32_tlv b;
    if (c32_der_expect(&p, p + e->value.cb, 0x03, &b) || b.len < 2)
        return false;
    return b.p[1] & 0x02;
}

/* An integer blob (little-endian, two's complement) without its redundant sign bytes */
static size_t c32_int_len(const uint8_t *le, size_t n)
{
    while (n > 1 && ((le[n - 1] == 0 && !(le[n - 2] & 0x80)) ||
                     (le[n - 1] == 0xff && (le[n - 2] & 0x80))))
        n--;
    return n;
}

static bool c32_serial_eq(const c32_blob *a, const c32_blob *b)
{
    size_t na = c32_int_len(ptr(a->pb), a->cb), nb = c32_int_len(ptr(b->pb), b->cb);
    return na == nb && (!na || !memcmp(ptr(a->pb), ptr(b->pb), na));
}

/* The CRL's entry for a serial number, or NULL */
static const c32_crl_entry *c32_crl_entry_for(const c32_crlinfo *ci, const c32_blob *serial)
{
    const c32_crl_entry *e = ptr(ci->entries);
    for (uint32_t i = 0; i < ci->n_entry; i++)
        if (c32_serial_eq(&e[i].serial, serial))
            return &e[i];
    return NULL;
}

uint32_t c32_entry_reason(const c32_crl_entry *e)
{
    const c32_ext *x = c32_ext_in(ptr(e->exts), e->n_ext, C32_OID_REASON);
    if (!x)
        return 0;
    const uint8_t *p = ptr(x->value.pb);
    c32_tlv t;
    if (c32_der_expect(&p, p + x->value.cb, 0x0a, &t) || t.len != 1)
        return 0;
    return t.p[0];
}

/* The INTEGER value of a CRL's extension (CRL Number, Delta CRL Indicator), -1 without it or
 * when it does not fit 63 bits */
static int64_t c32_crl_number(const c32_cert *crl, const char *oid)
{
    const c32_ext *x = c32_crl_ext(crl, oid);
    if (!x)
        return -1;
    const uint8_t *p = ptr(x->value.pb);
    c32_tlv t;
    if (c32_der_expect(&p, p + x->value.cb, 0x02, &t) || !t.len || t.len > 8 || (t.p[0] & 0x80))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < t.len; i++)
        v = v << 8 | t.p[i];
    return v;
}

/* -1 before ThisUpdate, 1 after NextUpdate (when it has one), else 0 */
static int c32_crl_time(const c32_crlinfo *ci, uint64_t when)
{
    if (when < ci->this_update)
        return -1;
    return ci->next_update && when > ci->next_update ? 1 : 0;
}

/* ---- contexts ---- */

void *WINAPI CertCreateCRLContext(DWORD enc, const BYTE *der, DWORD len)
{
    c32_cert *c = c32_crl_new(enc, der, len);
    return c ? &c->ctx : NULL;
}
THK_EXPORT(crypt32, CertCreateCRLContext, 3);

const void *WINAPI CertDuplicateCRLContext(const void *ctx)
{
    return c32_context_ref(c32_crl_get(ctx)) ? ctx : NULL;
}
THK_EXPORT(crypt32, CertDuplicateCRLContext, 1);

BOOL WINAPI CertFreeCRLContext(const void *ctx)
{
    c32_context_free(c32_crl_get(ctx));
    return TRUE;
}
THK_EXPORT(crypt32, CertFreeCRLContext, 1);

/* ---- stores ---- */

BOOL WINAPI CertAddEncodedCRLToStore(void *h, DWORD enc, const BYTE *der, DWORD len, DWORD how,
                                     void **out)
{
    if (out)
        *out = NULL;
    c32_cert *c = c32_crl_new(enc, der, len);
    if (!c)
        return FALSE;
    c32_store *s = c32_store_from(h);
    if (!s) { /* a NULL store: just the context */
        if (out)
            *out = &c->ctx;
        else
            c32_context_free(c);
        return TRUE;
    }
    return c32_store_add(s, c, how, out);
}
THK_EXPORT(crypt32, CertAddEncodedCRLToStore, 6);

BOOL WINAPI CertAddCRLContextToStore(void *h, const void *ctx, DWORD how, void **out)
{
    c32_cert *src = c32_crl_get(ctx);
    if (out)
        *out = NULL;
    if (!src) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_cert *c = c32_crl_new(src->ctx.enc_type, src->enc, src->ctx.enc_len);
    if (!c)
        return FALSE;
    c32_props_copy(c, src); /* the properties come along */
    c32_store *s = c32_store_from(h);
    if (!s) {
        if (out)
            *out = &c->ctx;
        else
            c32_context_free(c);
        return TRUE;
    }
    return c32_store_add(s, c, how, out);
}
THK_EXPORT(crypt32, CertAddCRLContextToStore, 4);

const void *WINAPI CertEnumCRLsInStore(void *h, const void *prev)
{
    c32_store *s = c32_store_from(h);
    if (!s) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    return c32_next_matching(s, prev, C32_KIND_CRL, NULL, NULL);
}
THK_EXPORT(crypt32, CertEnumCRLsInStore, 2);

BOOL WINAPI CertDeleteCRLFromStore(const void *ctx)
{
    return c32_store_delete(c32_crl_get(ctx));
}
THK_EXPORT(crypt32, CertDeleteCRLFromStore, 1);

typedef struct {
    uint32_t type, flags;
    const c32_cert *issuer; /* ISSUED_BY, ISSUED_FOR; NULL: any issuer */
    const c32_cert *subject; /* ISSUED_FOR */
    const c32_cert *existing;
} c32_crl_find;

static bool c32_crl_match(const c32_cert *crl, const void *arg)
{
    const c32_crl_find *f = arg;
    switch (f->type) {
    case C32_CRL_FIND_ANY:
        return true;
    case C32_CRL_FIND_EXISTING: /* the same issuer, both base or both delta CRLs */
        return c32_blob_eq(&crl->crl->issuer, &f->existing->crl->issuer) &&
               c32_is_delta(crl) == c32_is_delta(f->existing);
    case C32_CRL_FIND_ISSUED_FOR: /* the subject's issuer's name, then ISSUED_BY's flags */
    case C32_CRL_FIND_ISSUED_BY:
        if (f->type == C32_CRL_FIND_ISSUED_FOR &&
            !c32_blob_eq(&crl->crl->issuer, &f->subject->info->issuer))
            return false;
        if ((f->flags & C32_FIND_DELTA_FLAG) && !(f->flags & C32_FIND_BASE_FLAG) &&
            !c32_is_delta(crl))
            return false;
        if ((f->flags & C32_FIND_BASE_FLAG) && !(f->flags & C32_FIND_DELTA_FLAG) &&
            c32_is_delta(crl))
            return false;
        if (!f->issuer)
            return true;
        if (f->type == C32_CRL_FIND_ISSUED_BY && !c32_crl_named_by(crl, f->issuer))
            return false;
        if ((f->flags & C32_FIND_AKI_FLAG) && !c32_aki_matches(crl, f->issuer))
            return false;
        return !(f->flags & C32_FIND_SIGNATURE_FLAG) || c32_signed_by(crl, f->issuer) == 0;
    default:
        return false;
    }
}

typedef struct {
    uint64_t subject; /* pSubjectCert */
    uint64_t issuer;  /* pIssuerCert */
} c32_issued_for_para;

const void *WINAPI CertFindCRLInStore(void *h, DWORD enc, DWORD flags, DWORD type,
                                      const void *para, const void *prev)
{
    (void)enc;
    c32_store *s = c32_store_from(h);
    c32_crl_find f = {type, flags, NULL, NULL, NULL};
    bool ok = s != NULL;
    switch (type) {
    case C32_CRL_FIND_ANY:
        break;
    case C32_CRL_FIND_ISSUED_BY:
        f.issuer = c32_cert_get(para);
        ok &= !para || f.issuer;
        break;
    case C32_CRL_FIND_EXISTING:
        ok &= (f.existing = c32_crl_get(para)) != NULL;
        break;
    case C32_CRL_FIND_ISSUED_FOR: {
        c32_issued_for_para fp;
        ok &= para && !rt_safe_copy(&fp, para, sizeof fp) &&
              (f.subject = c32_cert_get(ptr(fp.subject))) && (f.issuer = c32_cert_get(ptr(fp.issuer)));
        break;
    }
    default:
        ok = false;
        break;
    }
    if (!ok) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    return c32_next_matching(s, prev, C32_KIND_CRL, c32_crl_match, &f);
}
THK_EXPORT(crypt32, CertFindCRLInStore, 6);

const void *WINAPI CertGetCRLFromStore(void *h, const void *issuer_ctx, const void *prev,
                                       DWORD *flags)
{
    c32_store *s = c32_store_from(h);
    c32_cert *issuer = c32_cert_get(issuer_ctx);
    DWORD want;
    if (!s || !flags || (issuer_ctx && !issuer) || rt_safe_copy(&want, flags, sizeof want) ||
        (want & ~(C32_STORE_SIGNATURE_FLAG | C32_STORE_TIME_VALIDITY_FLAG |
                  C32_STORE_BASE_CRL_FLAG | C32_STORE_DELTA_CRL_FLAG))) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    c32_crl_find f = {C32_CRL_FIND_ISSUED_BY, 0, issuer, NULL, NULL};
    if (want & C32_STORE_BASE_CRL_FLAG)
        f.flags |= C32_FIND_BASE_FLAG;
    if (want & C32_STORE_DELTA_CRL_FLAG)
        f.flags |= C32_FIND_DELTA_FLAG;
    const void *got = c32_next_matching(s, prev, C32_KIND_CRL, c32_crl_match, &f);
    if (!got)
        return NULL;
    const c32_cert *crl = c32_crl_get(got);
    DWORD left = want & (C32_STORE_SIGNATURE_FLAG | C32_STORE_TIME_VALIDITY_FLAG);
    if (left & C32_STORE_SIGNATURE_FLAG) {
        if (!issuer)
            left |= C32_STORE_NO_ISSUER_FLAG;
        else if (c32_signed_by(crl, issuer) == 0)
            left &= ~C32_STORE_SIGNATURE_FLAG;
    }
    if ((left & C32_STORE_TIME_VALIDITY_FLAG) && !c32_crl_time(crl->crl, c32_filetime_now()))
        left &= ~C32_STORE_TIME_VALIDITY_FLAG;
    *flags = left;
    return got;
}
THK_EXPORT(crypt32, CertGetCRLFromStore, 4);

/* ---- checks ---- */

BOOL WINAPI CertFindCertificateInCRL(const void *cert, const void *crl_ctx, DWORD flags,
                                     void *reserved, const c32_crl_entry **out)
{
    (void)flags, (void)reserved;
    c32_cert *c = c32_cert_get(cert), *crl = c32_crl_get(crl_ctx);
    if (!c || !crl || !out) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    *out = c32_crl_entry_for(crl->crl, &c->info->serial);
    return TRUE;
}
THK_EXPORT(crypt32, CertFindCertificateInCRL, 5);

/* FALSE when any of the CRLs lists the certificate's serial number (no issuer check, as
 * Microsoft documents: the caller picked the CRLs) */
BOOL WINAPI CertVerifyCRLRevocation(DWORD enc, const c32_certinfo *cert, DWORD n,
                                    const c32_crlinfo *const *crls)
{
    (void)enc;
    if (!cert || (n && !crls)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    for (DWORD i = 0; i < n; i++)
        if (crls[i] && c32_crl_entry_for(crls[i], &cert->serial))
            return FALSE;
    return TRUE;
}
THK_EXPORT(crypt32, CertVerifyCRLRevocation, 4);

LONG WINAPI CertVerifyCRLTimeValidity(const uint64_t *when, const c32_crlinfo *ci)
{
    return c32_crl_time(ci, when ? *when : c32_filetime_now());
}
THK_EXPORT(crypt32, CertVerifyCRLTimeValidity, 2);

/* The distributionPoint [0] fields of a CRLDistributionPoints extension (a SEQUENCE OF
 * DistributionPoint) or of an IssuingDistributionPoint (a SEQUENCE whose first field it is):
 * whether one of `a`'s is byte for byte one of `b`'s. */
static bool c32_dp_find(const uint8_t *p, const uint8_t *end, const c32_tlv *want)
{
    c32_tlv seq, dp;
    while (!c32_der_expect(&p, end, 0x30, &seq)) {
        const uint8_t *q = seq.p;
        if (!c32_der_read(&q, seq.p + seq.len, &dp) && dp.tag == 0xa0 &&
            dp.tlv_len == want->tlv_len && !memcmp(dp.tlv, want->tlv, dp.tlv_len))
            return true;
    }
    return false;
}

BOOL WINAPI CertIsValidCRLForCertificate(const void *cert, const void *crl_ctx, DWORD flags,
                                         void *reserved)
{
    (void)flags, (void)reserved;
    c32_cert *c = c32_cert_get(cert), *crl = c32_crl_get(crl_ctx);
    if (!c || !crl) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    const c32_ext *idp = c32_crl_ext(crl, C32_OID_IDP);
    if (!idp)
        return TRUE; /* a CRL without an issuing distribution point covers any certificate */
    const c32_ext *cdp = c32_cert_ext(c, C32_OID_CDP);
    const uint8_t *p = ptr(idp->value.pb);
    c32_tlv seq, name, list;
    if (cdp && !c32_der_expect(&p, p + idp->value.cb, 0x30, &seq)) {
        p = seq.p;
        if (!c32_der_read(&p, seq.p + seq.len, &name) && name.tag == 0xa0) {
            const uint8_t *q = ptr(cdp->value.pb);
            if (!c32_der_expect(&q, q + cdp->value.cb, 0x30, &list) &&
                c32_dp_find(list.p, list.p + list.len, &name))
                return TRUE;
        }
    }
    thk_set_last_error(C32_CRYPT_E_NO_MATCH);
    return FALSE;
}
THK_EXPORT(crypt32, CertIsValidCRLForCertificate, 4);

/* ---- revocation ---- */

c32_rev c32_revocation_locked(c32_store *const *stores, size_t n, const c32_cert *cert,
                              const c32_cert *issuer, uint64_t when, c32_cert **crl_out,
                              const c32_crl_entry **entry)
{
    c32_cert *current = NULL, *stale = NULL, *delta = NULL;
    if (crl_out)
        *crl_out = NULL;
    *entry = NULL;
    if (issuer && c32_may_sign_crls(issuer))
        for (size_t i = 0; i < n; i++) {
            bool seen = !stores[i];
            for (size_t j = 0; j < i && !seen; j++)
                seen = stores[j] == stores[i];
            for (c32_cert *crl = seen ? NULL : stores[i]->crls; crl; crl = crl->next) {
                if (!c32_crl_named_by(crl, issuer) || c32_signed_by(crl, issuer) != 0)
                    continue;
                if (c32_is_delta(crl)) { /* the newest current one */
                    if (!c32_crl_time(crl->crl, when) &&
                        (!delta || crl->crl->this_update > delta->crl->this_update))
                        delta = crl;
                    continue;
                }
                c32_cert **slot = c32_crl_time(crl->crl, when) ? &stale : &current;
                if (!*slot || crl->crl->this_update > (*slot)->crl->this_update)
                    *slot = crl;
            }
        }
    c32_cert *used = current ? current : stale;
    /* a delta CRL completes a current base CRL whose CRL number is at least the one it names
     * (RFC 5280 5.2.4): its entry decides, removeFromCRL lifting the base CRL's hold */
    int64_t base_no = current ? c32_crl_number(current, C32_OID_CRL_NUMBER) : -1;
    int64_t delta_base = delta ? c32_crl_number(delta, C32_OID_DELTA_CRL) : -1;
    const c32_crl_entry *de = NULL;
    if (current && delta && base_no >= 0 && delta_base >= 0 && base_no >= delta_base &&
        (de = c32_crl_entry_for(delta->crl, &cert->info->serial)))
        used = delta;
    c32_rev rev;
    if (de && c32_entry_reason(de) == C32_CRL_REASON_REMOVE_FROM_CRL)
        rev = C32_REV_GOOD;
    else if ((*entry = de))
        rev = C32_REV_REVOKED;
    else if (used && (*entry = c32_crl_entry_for(used->crl, &cert->info->serial)))
        rev = C32_REV_REVOKED;
    else if (current)
        rev = C32_REV_GOOD;
    else if (stale || c32_cert_ext(cert, C32_OID_CDP))
        rev = C32_REV_OFFLINE;
    else
        rev = C32_REV_NO_CHECK;
    if (crl_out && used && rev <= C32_REV_REVOKED) {
        c32_cert_ref_locked(used);
        *crl_out = used;
    }
    return rev;
}

typedef struct {
    uint32_t cbSize;   /* 0x00 */
    uint32_t pad_;
    uint64_t issuer;   /* 0x08 pIssuerCert */
    uint32_t n_store;  /* 0x10 cCertStore */
    uint32_t pad2_;
    uint64_t stores;   /* 0x18 rgCertStore */
    uint64_t crl_store; /* 0x20 hCrlStore */
    uint64_t time;     /* 0x28 pftTimeToUse */
} c32_rev_para;
typedef struct {
    uint32_t cbSize, index, error, reason; /* 0x00 cbSize, dwIndex, dwError, dwReason */
    uint32_t has_fresh, fresh;             /* 0x10 fHasFreshnessTime, dwFreshnessTime */
} c32_rev_status;
_Static_assert(sizeof(c32_rev_para) == 0x30 && sizeof(c32_rev_status) == 24,
               "CERT_REVOCATION_PARA, CERT_REVOCATION_STATUS layouts");

#define C32_VERIFY_REV_CHAIN_FLAG 0x1u
#define C32_MAX_REV_STORES 16

/* The issuer of c by name among the stores, one whose key signed c */
static c32_cert *c32_issuer_in(c32_store *const *stores, size_t n, const c32_cert *c)
{
    for (size_t i = 0; i < n; i++)
        for (c32_cert *x = stores[i] ? stores[i]->head : NULL; x; x = x->next)
            if (c32_blob_eq(&x->info->subject, &c->info->issuer) && c32_signed_by(c, x) == 0)
                return x;
    return NULL;
}

BOOL WINAPI CertVerifyRevocation(DWORD enc, DWORD type, DWORD n, void *const *contexts,
                                 DWORD flags, const c32_rev_para *para, c32_rev_status *st)
{
    (void)enc;
    if (!st || st->cbSize < 16 || (n && !contexts)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    st->index = st->error = st->reason = 0;
    if (type != 1 /* CERT_CONTEXT_REVOCATION_TYPE */) {
        st->error = C32_CRYPT_E_NO_REVOCATION_CHECK;
        thk_set_last_error(st->error);
        return FALSE;
    }
    c32_rev_para pr = {0};
    if (para) {
        uint32_t size;
        if (rt_safe_copy(&size, para, sizeof size) ||
            rt_safe_copy(&pr, para, size < sizeof pr ? size : sizeof pr)) {
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
        if (size < sizeof pr)
            memset((uint8_t *)&pr + size, 0, sizeof pr - size);
    }
    /* the stores: hCrlStore, rgCertStore, then each certificate's own */
    c32_store *stores[C32_MAX_REV_STORES + 2];
    size_t ns = 0;
    stores[ns++] = c32_store_from(ptr(pr.crl_store));
    for (uint32_t i = 0; i < pr.n_store && ns < C32_MAX_REV_STORES; i++) {
        uint64_t h = 0;
        if (!rt_safe_copy(&h, (const uint64_t *)ptr(pr.stores) + i, sizeof h))
            stores[ns++] = c32_store_from(ptr(h));
    }
    uint64_t when = c32_filetime_now();
    if (pr.time && rt_safe_copy(&when, ptr(pr.time), sizeof when)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_cert *given_issuer = c32_cert_get(ptr(pr.issuer));
    for (DWORD i = 0; i < n; i++) {
        c32_cert *c = c32_cert_get(contexts[i]);
        if (!c) {
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
        c32_lock();
        stores[ns] = c->store != &c32_no_store ? c->store : NULL;
        c32_cert *issuer = NULL;
        if ((flags & C32_VERIFY_REV_CHAIN_FLAG) && i + 1 < n)
            issuer = c32_cert_get(contexts[i + 1]);
        else if (given_issuer)
            issuer = given_issuer;
        else
            issuer = c32_issuer_in(stores, ns + 1, c);
        const c32_crl_entry *entry;
        c32_rev rev = c32_revocation_locked(stores, ns + 1, c, issuer, when, NULL, &entry);
        uint32_t reason = entry ? c32_entry_reason(entry) : 0;
        c32_unlock();
        if (rev == C32_REV_GOOD)
            continue;
        st->index = i;
        st->error = rev == C32_REV_REVOKED   ? C32_CRYPT_E_REVOKED
                    : rev == C32_REV_OFFLINE ? C32_CRYPT_E_REVOCATION_OFFLINE
                                             : C32_CRYPT_E_NO_REVOCATION_CHECK;
        st->reason = reason;
        thk_set_last_error(st->error);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(crypt32, CertVerifyRevocation, 7);
