/* SPDX-License-Identifier: MIT */
/* crypt32's certificate contexts: CertCreateCertificateContext parses the DER (asn1.c) into a
 * CERT_CONTEXT and its CERT_INFO; CertDuplicateCertificateContext/CertFreeCertificateContext
 * count references; CertGetCertificateContextProperty gives the SHA-1, MD5 and SHA-256 hashes,
 * the key identifier (the extension, else the SHA-1 of the encoded public key info) and what
 * CertSetCertificateContextProperty set (blobs: friendly name and the like);
 * CertGetNameStringW/A (e-mail, RDN, attribute, simple and friendly display, DNS, URL names of
 * the subject or issuer); CertVerifyTimeValidity, CertCompareCertificateName,
 * CertCompareCertificate, CertCompareIntegerBlob, CertGetPublicKeyLength (RSA, EC), CryptHashCertificate(2) and
 * CryptDecodeObject(Ex) with its size rules and CRYPT_DECODE_ALLOC_FLAG. CRL contexts are
 * made here the same way, with the same properties (CertGet/SetCRLContextProperty: the hashes
 * and set blobs; no key identifier) (crl.c has their functions); chains are chain.c's, signatures
 * verify.c's, encoding encode.c's; CTL contexts have the same properties too (ctl.c has their
 * functions). Not done: key provider properties. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/advapi32/crypt_private.h"
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"
#include "thunks/kernel32/kernel32_private.h"

#define C32_SHA1_HASH_PROP 3u
#define C32_MD5_HASH_PROP 4u
#define C32_FRIENDLY_NAME_PROP 11u
#define C32_KEY_IDENTIFIER_PROP 20u
#define C32_SHA256_HASH_PROP 107u
#define C32_DECODE_ALLOC_FLAG 0x8000u
#define C32_NAME_ISSUER_FLAG 1u

static pthread_mutex_t c32_mutex = PTHREAD_MUTEX_INITIALIZER;
void c32_lock(void) { pthread_mutex_lock(&c32_mutex); }
void c32_unlock(void) { pthread_mutex_unlock(&c32_mutex); }

c32_store c32_no_store = {C32_STORE_MAGIC, 1 << 30, NULL};

/* the SubjectPublicKeyInfo element of a certificate's DER */
static void c32_find_spki(c32_cert *c)
{
    const uint8_t *p = c->enc, *end = c->enc + c->ctx.enc_len;
    c32_tlv t, x;
    if (c32_der_read(&p, end, &t) || (p = t.p, c32_der_read(&p, t.p + t.len, &t)))
        return;
    p = t.p;
    end = t.p + t.len;
    int field = 0;
    while (!c32_der_read(&p, end, &x)) {
        if (field == 0 && x.tag == 0xa0)
            continue; /* the version */
        if (++field == 6) {
            c->spki = x.tlv;
            c->spki_len = x.tlv_len;
            return;
        }
    }
}

/* A context for a signed certificate (crl false) or CRL: the DER copied, decoded into its own
 * block; refs 1, in no store. */
static c32_cert *c32_context_new(uint32_t enc_type, const void *der, uint32_t len, bool crl)
{
    if ((enc_type & 0xffff) != 1 /* X509_ASN_ENCODING */) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    if (!ntl_ready()) { /* Nettle, opened on this first use: every certificate is hashed */
        thk_set_last_error(NTL_ERROR_DLL_NOT_FOUND);
        return NULL;
    }
    c32_cert *c = calloc(1, sizeof *c);
    uint8_t *enc = malloc(len ? len : 1);
    if (!c || !enc) {
        free(c);
        free(enc);
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (len && (!der || rt_safe_copy(enc, der, len))) {
        free(c);
        free(enc);
        thk_set_last_error(0xC0000005u); /* STATUS_ACCESS_VIOLATION, as an exception would */
        return NULL;
    }
    uint32_t err;
    void *info = c32_decode_alloc(crl ? C32_T_CRL_TBS : C32_T_CERT_TBS, enc, len, &err);
    if (crl)
        c->crl = info;
    else
        c->info = info;
    if (!info) {
        free(c);
        free(enc);
        thk_set_last_error(err);
        return NULL;
    }
    /* only a signed certificate or CRL makes a context, not a bare TBSCertificate/TBSCertList */
    const uint8_t *p = enc;
    c32_tlv t, x;
    if (c32_der_read(&p, enc + len, &t) || (p = t.p, c32_der_expect(&p, t.p + t.len, 0x30, &x))) {
        free(info);
        free(c);
        free(enc);
        thk_set_last_error(C32_CRYPT_E_ASN1_BADTAG);
        return NULL;
    }
    c->enc = enc;
    c->ctx.enc_type = enc_type;
    c->ctx.enc = (uint64_t)(uintptr_t)enc;
    c->ctx.enc_len = len;
    c->ctx.info = (uint64_t)(uintptr_t)info;
    c->ctx.store = (uint64_t)(uintptr_t)&c32_no_store;
    c->magic = crl ? C32_CRL_MAGIC : C32_CERT_MAGIC;
    c->refs = 1;
    if (!crl)
        c32_find_spki(c);
    return c;
}

c32_cert *c32_cert_new(uint32_t enc_type, const void *der, uint32_t len)
{
    return c32_context_new(enc_type, der, len, false);
}

c32_cert *c32_crl_new(uint32_t enc_type, const void *der, uint32_t len)
{
    return c32_context_new(enc_type, der, len, true);
}

c32_cert *c32_cert_get(const void *ctx)
{
    c32_cert *c = (c32_cert *)ctx;
    return c && c->magic == C32_CERT_MAGIC ? c : NULL;
}

c32_cert *c32_crl_get(const void *ctx)
{
    c32_cert *c = (c32_cert *)ctx;
    return c && c->magic == C32_CRL_MAGIC ? c : NULL;
}

c32_cert *c32_ctl_get(const void *ctx)
{
    c32_cert *c = (c32_cert *)ctx;
    return c && c->magic == C32_CTL_MAGIC ? c : NULL;
}

void c32_context_unref_locked(c32_cert *c)
{
    c32_store *s = c->store;
    c32_cert_unref_locked(c);
    if (s)
        c32_store_unref_locked(s);
}

void c32_context_free(c32_cert *c)
{
    if (!c)
        return;
    c32_lock();
    c32_context_unref_locked(c);
    c32_unlock();
}

c32_cert *c32_context_ref(c32_cert *c)
{
    if (!c)
        return NULL;
    c32_lock();
    c32_cert_ref_locked(c);
    c32_unlock();
    return c;
}

void c32_cert_ref_locked(c32_cert *c)
{
    c->refs++;
    if (c->store)
        c->store->refs++;
}

static void c32_cert_free(c32_cert *c)
{
    c->magic = 0;
    for (c32_prop *p = c->props, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    free(c->info);
    free(c->crl);
    free(c->ctl);
    if (c->ctl_msg)
        c32_msg_close((c32_msg *)(uintptr_t)c->ctl_msg);
    free(c->enc);
    free(c);
}

void c32_cert_unref_locked(c32_cert *c)
{
    if (--c->refs <= 0)
        c32_cert_free(c);
}

void c32_cert_sha1(const c32_cert *c, uint8_t out[20])
{
    cd_ctx h;
    cd_init(&h, CD_SHA1);
    cd_update(&h, c->enc, c->ctx.enc_len);
    cd_final(&h, out);
}

void *WINAPI CertCreateCertificateContext(DWORD enc_type, const BYTE *der, DWORD len)
{
    c32_cert *c = c32_cert_new(enc_type, der, len);
    return c ? &c->ctx : NULL;
}
THK_EXPORT(crypt32, CertCreateCertificateContext, 3);

void *WINAPI CertDuplicateCertificateContext(const void *ctx)
{
    return c32_context_ref(c32_cert_get(ctx));
}
THK_EXPORT(crypt32, CertDuplicateCertificateContext, 1);

BOOL WINAPI CertFreeCertificateContext(const void *ctx)
{
    c32_context_free(c32_cert_get(ctx)); /* NULL: nothing, TRUE as on Windows */
    return TRUE;
}
THK_EXPORT(crypt32, CertFreeCertificateContext, 1);

/* ---- properties ---- */

static const c32_prop *c32_prop_find(const c32_cert *c, uint32_t id)
{
    for (const c32_prop *p = c->props; p; p = p->next)
        if (p->id == id)
            return p;
    return NULL;
}

const c32_ext *c32_ext_in(const c32_ext *e, uint32_t n, const char *oid)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp((const char *)(uintptr_t)e[i].oid, oid))
            return &e[i];
    return NULL;
}

/* The first extension with this OID among a program's n (CERT_EXTENSION array); NULL with
 * CRYPT_E_NOT_FOUND when there is none, E_INVALIDARG for a bad array or OID. */
const void *WINAPI CertFindExtension(const char *oid, DWORD n, const c32_ext *exts)
{
    char want[128];
    size_t k = 0;
    for (; oid && k < sizeof want; k++)
        if (rt_safe_copy(&want[k], oid + k, 1) || !want[k])
            break;
    if (!oid || k == sizeof want || (n && !exts)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    for (DWORD i = 0; i < n; i++) {
        c32_ext e;
        char have[128];
        if (rt_safe_copy(&e, &exts[i], sizeof e)) {
            thk_set_last_error(C32_E_INVALIDARG);
            return NULL;
        }
        size_t j = 0;
        bool end = false;
        for (; e.oid && j <= k; j++) {
            if (rt_safe_copy(&have[j], (const char *)(uintptr_t)e.oid + j, 1))
                break;
            if (!have[j]) {
                end = true;
                break;
            }
        }
        if (end && j == k && !memcmp(have, want, k))
            return &exts[i];
    }
    thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
    return NULL;
}
THK_EXPORT(crypt32, CertFindExtension, 3);

static const c32_ext *c32_ext_find(const c32_certinfo *ci, const char *oid)
{
    return c32_ext_in((const c32_ext *)(uintptr_t)ci->exts, ci->n_ext, oid);
}

/* The value of a property into buf (up to 64 bytes for the computed ones); its length, or -1
 * when the certificate has none. *set: the set value (not copied). */
static int c32_prop_value(const c32_cert *c, uint32_t id, uint8_t *buf, const c32_prop **set)
{
    *set = c32_prop_find(c, id);
    if (*set)
        return (int)(*set)->len;
    cd_ctx h;
    switch (id) {
    case C32_SHA1_HASH_PROP:
        c32_cert_sha1(c, buf);
        return 20;
    case C32_MD5_HASH_PROP:
    case C32_SHA256_HASH_PROP:
        cd_init(&h, id == C32_MD5_HASH_PROP ? CD_MD5 : CD_SHA256);
        cd_update(&h, c->enc, c->ctx.enc_len);
        cd_final(&h, buf);
        return id == C32_MD5_HASH_PROP ? 16 : 32;
    case C32_KEY_IDENTIFIER_PROP: {
        if (!c->info) /* a CRL has no key */
            return -1;
        const c32_ext *e = c32_ext_find(c->info, "2.5.29.14");
        if (e) {
            const uint8_t *p = (const uint8_t *)(uintptr_t)e->value.pb;
            c32_tlv t;
            if (!c32_der_expect(&p, p + e->value.cb, 0x04, &t) && t.len <= 64) {
                memcpy(buf, t.p, t.len);
                return (int)t.len;
            }
        }
        if (!c->spki)
            return -1;
        cd_init(&h, CD_SHA1);
        cd_update(&h, c->spki, c->spki_len);
        cd_final(&h, buf);
        return 20;
    }
    default:
        return -1;
    }
}

/* CertGet{Certificate,CRL}ContextProperty's work on a context of either kind */
static BOOL c32_get_property(c32_cert *c, DWORD id, void *data, DWORD *len)
{
    if (!c || !len) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    uint8_t buf[64];
    c32_lock();
    const c32_prop *set;
    int n = c32_prop_value(c, id, buf, &set);
    BOOL ok = FALSE;
    if (n < 0) {
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
    } else if (!data) {
        *len = (DWORD)n;
        ok = TRUE;
    } else if (*len < (DWORD)n) {
        *len = (DWORD)n;
        thk_set_last_error(C32_ERROR_MORE_DATA);
    } else {
        memcpy(data, set ? set->data : buf, (size_t)n);
        *len = (DWORD)n;
        ok = TRUE;
    }
    c32_unlock();
    return ok;
}

BOOL WINAPI CertGetCertificateContextProperty(const void *ctx, DWORD id, void *data, DWORD *len)
{
    return c32_get_property(c32_cert_get(ctx), id, data, len);
}
THK_EXPORT(crypt32, CertGetCertificateContextProperty, 4);

BOOL WINAPI CertGetCRLContextProperty(const void *ctx, DWORD id, void *data, DWORD *len)
{
    return c32_get_property(c32_crl_get(ctx), id, data, len);
}
THK_EXPORT(crypt32, CertGetCRLContextProperty, 4);

/* Properties whose data is a CRYPT_DATA_BLOB (the friendly name, hashes, key identifier and
 * the other byte-valued ones); KEY_CONTEXT (5: a CERT_KEY_CONTEXT, kept as its 24 bytes) and
 * NCRYPT_KEY_HANDLE (78: the handle the data points to, kept as its 8 bytes) name the key
 * CryptSignMessage signs with (msg.c); KEY_PROV_INFO (2), KEY_PROV_HANDLE (1) and KEY_SPEC (6)
 * are structures or handles this crypt32 has no keys for. */
static BOOL c32_set_property(c32_cert *c, DWORD id, const void *data)
{
    if (!c || id == 0 || id == 1 || id == 2 || id == 6) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_prop *np = NULL;
    if (data && (id == C32_KEY_CONTEXT_PROP || id == C32_NCRYPT_KEY_HANDLE_PROP)) {
        uint32_t n = id == C32_KEY_CONTEXT_PROP ? 24 : 8;
        np = malloc(sizeof *np + n);
        if (!np) {
            thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        np->id = id;
        np->len = n;
        if (rt_safe_copy(np->data, data, n) ||
            (id == C32_KEY_CONTEXT_PROP && *(const uint32_t *)np->data != n)) {
            free(np); /* CERT_KEY_CONTEXT's cbSize must be its size */
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
    } else if (data) {
        c32_blob b;
        if (rt_safe_copy(&b, data, sizeof b) || (b.cb && !b.pb)) {
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
        np = malloc(sizeof *np + b.cb);
        if (!np) {
            thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        np->id = id;
        np->len = b.cb;
        if (b.cb && rt_safe_copy(np->data, (const void *)(uintptr_t)b.pb, b.cb)) {
            free(np);
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
    }
    c32_lock();
    for (c32_prop **pp = &c->props; *pp; pp = &(*pp)->next)
        if ((*pp)->id == id) {
            c32_prop *old = *pp;
            *pp = old->next;
            free(old);
            break;
        }
    if (np) {
        np->next = c->props;
        c->props = np;
    }
    c32_unlock();
    return TRUE;
}

BOOL WINAPI CertSetCertificateContextProperty(const void *ctx, DWORD id, DWORD flags,
                                              const void *data)
{
    (void)flags;
    return c32_set_property(c32_cert_get(ctx), id, data);
}
THK_EXPORT(crypt32, CertSetCertificateContextProperty, 4);

BOOL WINAPI CertSetCRLContextProperty(const void *ctx, DWORD id, DWORD flags, const void *data)
{
    (void)flags;
    return c32_set_property(c32_crl_get(ctx), id, data);
}
THK_EXPORT(crypt32, CertSetCRLContextProperty, 4);

/* A CTL's properties: the same rules (the hashes are of the whole signed message) */
BOOL WINAPI CertGetCTLContextProperty(const void *ctx, DWORD id, void *data, DWORD *len)
{
    return c32_get_property(c32_ctl_get(ctx), id, data, len);
}
THK_EXPORT(crypt32, CertGetCTLContextProperty, 4);

BOOL WINAPI CertSetCTLContextProperty(const void *ctx, DWORD id, DWORD flags, const void *data)
{
    (void)flags;
    return c32_set_property(c32_ctl_get(ctx), id, data);
}
THK_EXPORT(crypt32, CertSetCTLContextProperty, 4);

/* ---- names ---- */

#define C32_NAME_EMAIL 1u
#define C32_NAME_RDN 2u
#define C32_NAME_ATTR 3u
#define C32_NAME_SIMPLE_DISPLAY 4u
#define C32_NAME_FRIENDLY_DISPLAY 5u
#define C32_NAME_DNS 6u
#define C32_NAME_URL 7u

/* The first alternative name of this choice (2 rfc822, 3 DNS, 7 URL), or false. */
static bool c32_alt_name(const c32_cert *c, bool issuer, uint32_t choice, c32_wstr *s)
{
    const c32_ext *e = c32_ext_find(c->info, issuer ? "2.5.29.18" : "2.5.29.17");
    if (!e)
        e = c32_ext_find(c->info, issuer ? "2.5.29.8" : "2.5.29.7");
    if (!e)
        return false;
    uint32_t err;
    c32_array *alt = c32_decode_alloc(C32_T_ALT_NAME, (const uint8_t *)(uintptr_t)e->value.pb,
                                      e->value.cb, &err);
    if (!alt)
        return false;
    bool found = false;
    const c32_alt_entry *en = (const c32_alt_entry *)(uintptr_t)alt->items;
    for (uint32_t i = 0; i < alt->n && !found; i++)
        if (en[i].choice == choice) {
            const WCHAR *w = (const WCHAR *)(uintptr_t)en[i].u.str;
            size_t n = 0;
            while (w[n])
                n++;
            c32_wput(s, w, n);
            found = true;
        }
    free(alt);
    return found;
}

static bool c32_attr_str(const c32_array *name, const char *oid, c32_wstr *s)
{
    const c32_rdn_attr *at = name ? c32_find_attr(name, oid) : NULL;
    if (!at)
        return false;
    c32_value_str(at->type, &at->value, s);
    return true;
}

static void c32_name_string(const c32_cert *c, uint32_t type, uint32_t flags, const void *para,
                            c32_wstr *s)
{
    bool issuer = flags & C32_NAME_ISSUER_FLAG;
    const c32_blob *nb = issuer ? &c->info->issuer : &c->info->subject;
    uint32_t err;
    c32_array *name = c32_decode_alloc(C32_T_NAME, (const uint8_t *)(uintptr_t)nb->pb, nb->cb,
                                       &err);
    switch (type) {
    case C32_NAME_EMAIL:
        if (!c32_alt_name(c, issuer, 2, s))
            c32_attr_str(name, "1.2.840.113549.1.9.1", s);
        break;
    case C32_NAME_RDN: {
        uint32_t str_type = 0;
        if (para)
            rt_safe_copy(&str_type, para, sizeof str_type);
        if (name)
            c32_name_to_str(name, str_type, s);
        break;
    }
    case C32_NAME_ATTR: {
        char oid[128] = "";
        if (para) {
            size_t i = 0;
            for (; i + 1 < sizeof oid; i++)
                if (rt_safe_copy(&oid[i], (const char *)para + i, 1) || !oid[i])
                    break;
            oid[i] = 0;
        }
        c32_attr_str(name, oid, s);
        break;
    }
    case C32_NAME_FRIENDLY_DISPLAY: {
        const c32_prop *p = c32_prop_find(c, C32_FRIENDLY_NAME_PROP);
        if (p && p->len >= 2) {
            const WCHAR *w = (const WCHAR *)p->data;
            size_t n = 0;
            while (n < p->len / 2 && w[n])
                n++;
            c32_wput(s, w, n);
            break;
        }
        __attribute__((fallthrough)); /* no friendly name: the simple display name */
    }
    case C32_NAME_SIMPLE_DISPLAY: {
        static const char *const oids[] = {"2.5.4.3", "2.5.4.11", "2.5.4.10",
                                           "1.2.840.113549.1.9.1"};
        bool found = false;
        for (size_t i = 0; i < 4 && !found; i++)
            found = c32_attr_str(name, oids[i], s);
        if (!found)
            found = c32_alt_name(c, issuer, 2, s);
        if (!found && name && name->n) {
            const c32_array *rdn = (const c32_array *)(uintptr_t)name->items;
            const c32_rdn_attr *at = (const c32_rdn_attr *)(uintptr_t)rdn[0].items;
            if (rdn[0].n)
                c32_value_str(at->type, &at->value, s);
        }
        break;
    }
    case C32_NAME_DNS:
        if (!c32_alt_name(c, issuer, 3, s))
            c32_attr_str(name, "2.5.4.3", s);
        break;
    case C32_NAME_URL:
        c32_alt_name(c, issuer, 7, s);
        break;
    default:
        break;
    }
    free(name);
}

DWORD WINAPI CertGetNameStringW(const void *ctx, DWORD type, DWORD flags, void *para,
                                WCHAR *out, DWORD cch)
{
    c32_cert *c = c32_cert_get(ctx);
    c32_wstr s = {0};
    if (c) {
        c32_lock();
        c32_name_string(c, type, flags, para, &s);
        c32_unlock();
    }
    DWORD n = c32_wgive(&s, out, cch);
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertGetNameStringW, 6);

DWORD WINAPI CertGetNameStringA(const void *ctx, DWORD type, DWORD flags, void *para, char *out,
                                DWORD cch)
{
    c32_cert *c = c32_cert_get(ctx);
    c32_wstr s = {0};
    if (c) {
        c32_lock();
        c32_name_string(c, type, flags, para, &s);
        c32_unlock();
    }
    int need = WideCharToMultiByte(0, 0, s.p ? s.p : u"", (int)s.n + 1, NULL, 0, NULL, NULL);
    DWORD n = (DWORD)need;
    if (out && cch) {
        char *tmp = malloc((size_t)need);
        if (tmp) {
            WideCharToMultiByte(0, 0, s.p ? s.p : u"", (int)s.n + 1, tmp, need, NULL, NULL);
            n = (DWORD)need <= cch ? (DWORD)need : cch;
            memcpy(out, tmp, n);
            out[n - 1] = 0;
            free(tmp);
        } else {
            out[0] = 0;
            n = 1;
        }
    }
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertGetNameStringA, 6);

/* ---- comparisons, validity, keys ---- */

uint64_t c32_filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000u + (uint64_t)ts.tv_nsec / 100;
}

LONG WINAPI CertVerifyTimeValidity(const uint64_t *when, const c32_certinfo *ci)
{
    uint64_t now = when ? *when : c32_filetime_now();
    if (now < ci->not_before)
        return -1;
    return now > ci->not_after ? 1 : 0;
}
THK_EXPORT(crypt32, CertVerifyTimeValidity, 2);

BOOL WINAPI CertCompareCertificateName(DWORD enc, const c32_blob *a, const c32_blob *b)
{
    (void)enc;
    thk_set_last_error(0);
    return a->cb == b->cb &&
           (!a->cb || !memcmp((const void *)(uintptr_t)a->pb, (const void *)(uintptr_t)b->pb,
                              a->cb));
}
THK_EXPORT(crypt32, CertCompareCertificateName, 3);

BOOL WINAPI CertCompareCertificate(DWORD enc, const c32_certinfo *a, const c32_certinfo *b)
{
    return CertCompareCertificateName(enc, &a->issuer, &b->issuer) &&
           CertCompareCertificateName(enc, &a->serial, &b->serial);
}
THK_EXPORT(crypt32, CertCompareCertificate, 3);

/* The significant length of a little-endian integer: without the sign bytes at its top (0x00
 * above a byte whose top bit is clear, 0xFF above one whose top bit is set) */
static uint32_t c32_int_len(const uint8_t *p, uint32_t n)
{
    while (n > 1 && ((p[n - 1] == 0x00 && !(p[n - 2] & 0x80)) ||
                     (p[n - 1] == 0xff && (p[n - 2] & 0x80))))
        n--;
    return n;
}

/* Equal numbers, whatever their sign bytes (Microsoft: leading zeros of a positive number and
 * leading 0xFFs of a negative one do not count) */
BOOL WINAPI CertCompareIntegerBlob(const c32_blob *a, const c32_blob *b)
{
    const uint8_t *pa = (const uint8_t *)(uintptr_t)a->pb, *pb = (const uint8_t *)(uintptr_t)b->pb;
    uint32_t na = c32_int_len(pa, a->cb), nb = c32_int_len(pb, b->cb);
    return na == nb && (!na || !memcmp(pa, pb, na));
}
THK_EXPORT(crypt32, CertCompareIntegerBlob, 2);

/* RSA: the modulus' bits; EC: the named curve's size (Windows asks BCrypt, which knows them);
 * other algorithms 0. */
DWORD WINAPI CertGetPublicKeyLength(DWORD enc, const c32_pkinfo *pk)
{
    (void)enc;
    if (!pk || !pk->alg.oid) {
        thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    const char *oid = (const char *)(uintptr_t)pk->alg.oid;
    const uint8_t *key = (const uint8_t *)(uintptr_t)pk->key.pb;
    if (!strcmp(oid, "1.2.840.113549.1.1.1") || !strcmp(oid, "1.2.840.113549.1.1.10")) {
        const uint8_t *p = key;
        c32_tlv seq, n;
        if (c32_der_expect(&p, key + pk->key.cb, 0x30, &seq))
            return 0;
        p = seq.p;
        if (c32_der_expect(&p, seq.p + seq.len, 0x02, &n))
            return 0;
        size_t i = 0;
        while (i < n.len && !n.p[i])
            i++;
        if (i == n.len)
            return 0;
        DWORD bits = (DWORD)(n.len - i - 1) * 8;
        for (uint8_t top = n.p[i]; top; top >>= 1)
            bits++;
        return bits;
    }
    if (!strcmp(oid, "1.2.840.10045.2.1")) {
        static const struct {
            const char *der;
            size_t len;
            DWORD bits;
        } curves[] = {
            {"\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10, 256},
            {"\x06\x05\x2b\x81\x04\x00\x22", 7, 384},
            {"\x06\x05\x2b\x81\x04\x00\x23", 7, 521},
        };
        const void *par = (const void *)(uintptr_t)pk->alg.params.pb;
        for (size_t i = 0; i < 3; i++)
            if (pk->alg.params.cb == curves[i].len && !memcmp(par, curves[i].der, curves[i].len))
                return curves[i].bits;
    }
    return 0;
}
THK_EXPORT(crypt32, CertGetPublicKeyLength, 2);

/* ---- hashes of encoded data ---- */

static BOOL c32_give_hash(const uint8_t *h, uint32_t n, BYTE *out, DWORD *len)
{
    if (!len) {
        thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!out) {
        *len = n;
        return TRUE;
    }
    if (*len < n) {
        *len = n;
        thk_set_last_error(C32_ERROR_MORE_DATA);
        return FALSE;
    }
    memcpy(out, h, n);
    *len = n;
    return TRUE;
}

BOOL WINAPI CryptHashCertificate(ULONG_PTR prov, DWORD algid, DWORD flags, const BYTE *data,
                                 DWORD cb, BYTE *out, DWORD *len)
{
    (void)prov, (void)flags;
    uint8_t h[CD_MAX_SIZE];
    uint32_t n;
    if (!algid)
        algid = 0x8004; /* CALG_SHA1 */
    if (!ch_digest(algid, data, cb, h, &n)) {
        thk_set_last_error(0x80090008u); /* NTE_BAD_ALGID */
        return FALSE;
    }
    return c32_give_hash(h, n, out, len);
}
THK_EXPORT(crypt32, CryptHashCertificate, 7);

BOOL WINAPI CryptHashCertificate2(const WCHAR *alg, DWORD flags, void *reserved,
                                  const BYTE *data, DWORD cb, BYTE *out, DWORD *len)
{
    (void)flags, (void)reserved;
    static const struct {
        const char *name;
        cd_algo algo;
    } algs[] = {{"MD5", CD_MD5},       {"SHA1", CD_SHA1},     {"SHA256", CD_SHA256},
                {"SHA384", CD_SHA384}, {"SHA512", CD_SHA512}, {"MD4", CD_MD4}};
    for (size_t i = 0; alg && i < sizeof algs / sizeof algs[0]; i++) {
        size_t k = 0;
        while (algs[i].name[k] && (alg[k] & ~0x20) == (algs[i].name[k] & ~0x20))
            k++;
        if (algs[i].name[k] || alg[k])
            continue;
        if (!ntl_ready()) {
            thk_set_last_error(NTL_ERROR_DLL_NOT_FOUND);
            return FALSE;
        }
        uint8_t h[CD_MAX_SIZE];
        cd_ctx c;
        cd_init(&c, algs[i].algo);
        cd_update(&c, data, cb);
        cd_final(&c, h);
        return c32_give_hash(h, cd_size(algs[i].algo), out, len);
    }
    thk_set_last_error(0x80090008u); /* NTE_BAD_ALGID */
    return FALSE;
}
THK_EXPORT(crypt32, CryptHashCertificate2, 7);

/* ---- CryptDecodeObject(Ex) ---- */

int c32_struct_type_checked(uint32_t enc, const char *type, bool args_ok)
{
    uint32_t err = C32_ERROR_FILE_NOT_FOUND;
    int t = 0;
    if ((enc & 0xffff) == 1 || (enc & 0xffff0000u) == 0x10000) {
        if (!args_ok)
            err = C32_ERROR_INVALID_PARAMETER;
        else
            t = c32_struct_type(type);
    }
    if (!t)
        thk_set_last_error(err);
    return t;
}

typedef struct {
    uint32_t size;     /* cbSize */
    uint32_t pad_;
    uint64_t alloc;    /* pfnAlloc: LPVOID (WINAPI *)(size_t) */
    uint64_t free_;    /* pfnFree */
} c32_decode_para;

BOOL WINAPI CryptDecodeObjectEx(DWORD enc, const char *type, const BYTE *data, DWORD cb,
                                DWORD flags, const c32_decode_para *para, void *out, DWORD *len)
{
    int t = c32_struct_type_checked(enc, type, len && (data || !cb));
    if (!t)
        return FALSE;
    uint8_t *in = malloc(cb ? cb : 1);
    if (!in || (cb && rt_safe_copy(in, data, cb))) {
        free(in);
        thk_set_last_error(in ? C32_ERROR_INVALID_PARAMETER : C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    /* the size: decode once into a scratch block */
    uint32_t err;
    void *scratch = NULL;
    size_t need = 0;
    for (size_t cap = 512 + (size_t)cb * 8;; cap *= 2) {
        c32_arena a = {malloc(cap), 0, 0, cap, false};
        if (!a.buf) {
            err = C32_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        err = c32_decode(&a, t, in, cb);
        if (!err) {
            scratch = a.buf;
            need = a.off;
            break;
        }
        free(a.buf);
        if (!a.over)
            break;
    }
    if (!scratch) {
        free(in);
        thk_set_last_error(err);
        return FALSE;
    }
    free(scratch);
    BOOL ok = FALSE;
    uint8_t *dest = NULL;
    if (flags & C32_DECODE_ALLOC_FLAG) {
        if (!out) {
            thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
            goto done;
        }
        if (para && para->size >= 16 && para->alloc)
            dest = (uint8_t *)(uintptr_t)thk_call_foreign1((const void *)(uintptr_t)para->alloc,
                                                            need);
        else
            dest = LocalAlloc(0, need);
        if (!dest) {
            thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
            goto done;
        }
    } else if (!out) {
        *len = (DWORD)need;
        ok = TRUE;
        goto done;
    } else if (*len < need) {
        *len = (DWORD)need;
        thk_set_last_error(C32_ERROR_MORE_DATA);
        goto done;
    } else {
        dest = out;
    }
    /* again, for the address it will live at, then copied there */
    c32_arena a = {malloc(need ? need : 1), (uint64_t)(uintptr_t)dest, 0, need, false};
    if (!a.buf || c32_decode(&a, t, in, cb) || rt_safe_copy(dest, a.buf, need)) {
        free(a.buf);
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        goto done;
    }
    free(a.buf);
    if (flags & C32_DECODE_ALLOC_FLAG)
        *(void **)out = dest;
    *len = (DWORD)need;
    ok = TRUE;
done:
    free(in);
    return ok;
}
THK_EXPORT(crypt32, CryptDecodeObjectEx, 8);

BOOL WINAPI CryptDecodeObject(DWORD enc, const char *type, const BYTE *data, DWORD cb,
                              DWORD flags, void *out, DWORD *len)
{
    return CryptDecodeObjectEx(enc, type, data, cb, flags & ~C32_DECODE_ALLOC_FLAG, NULL, out,
                               len);
}
THK_EXPORT(crypt32, CryptDecodeObject, 7);
