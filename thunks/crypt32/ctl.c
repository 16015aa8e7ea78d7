/* SPDX-License-Identifier: MIT */
/* crypt32's certificate trust lists (CTLs): a CTL is a PKCS #7 SignedData whose inner content
 * (type szOID_CTL) is Microsoft's CertificateTrustList, decoded as PKCS_CTL (asn1.c) and
 * encoded by CryptEncodeObjectEx (encode.c).
 * - CertCreateCTLContext decodes the message (msg.c) and its CTL into a CTL_CONTEXT: the whole
 *   message, its CTL_INFO, the message handle, the CTL's DER; not a signed message or not of
 *   type szOID_CTL: ERROR_INVALID_DATA (as Windows gives for Wine's test data); the signature
 *   is not checked here (Windows takes a bad one too).
 * - CertDuplicateCTLContext / CertFreeCTLContext count references; the properties
 *   (CertGet/SetCTLContextProperty, cert.c) are the certificates' (hashes of the message).
 * - CTLs live in a store's third list: CertAddEncodedCTLToStore, CertAddCTLContextToStore (the
 *   same CTL is the same content bytes; CERT_STORE_ADD_NEWER compares ThisUpdate),
 *   CertEnumCTLsInStore, CertDeleteCTLFromStore, CertFindCTLInStore (CTL_FIND_ANY, SHA1_HASH,
 *   MD5_HASH, USAGE: usage identifiers (all of them, or exactly them with
 *   CTL_FIND_SAME_USAGE_FLAG), list identifier (CTL_FIND_NO_LIST_ID_CBDATA: none), signer
 *   (issuer and serial number; CTL_FIND_NO_SIGNER_PTR: unsigned); SUBJECT: the usage and a
 *   subject in the list; EXISTING).
 * - CertFindSubjectInCTL: a certificate (CTL_CERT_SUBJECT_TYPE: its SHA-1, MD5 or SHA-256 as
 *   the CTL's SubjectAlgorithm names) or an identifier (CTL_ANY_SUBJECT_TYPE: same algorithm,
 *   same bytes); the CTL_ENTRY inside the CTL_INFO, or NULL with CRYPT_E_NOT_FOUND.
 * - CertVerifyCTLUsage: in the CTL stores given, a CTL with the usage (exactly, or at least
 *   with CERT_VERIFY_ALLOW_MORE_USAGE_FLAG), the list identifier, time-valid (NextUpdate,
 *   unless CERT_VERIFY_NO_TIME_CHECK_FLAG), holding the subject, whose signature verifies with
 *   a signer certificate found by issuer and serial number in the signer stores, and (without
 *   CERT_VERIFY_TRUSTED_SIGNERS_FLAG) in the message's own certificates, the CTL's store and
 *   ROOT. Errors, in this order of precedence: CRYPT_E_NO_TRUSTED_SIGNER (a CTL holds the
 *   subject, no signer verifies it), CRYPT_E_NOT_IN_CTL, CRYPT_E_NO_VERIFY_USAGE_CHECK (no CTL
 *   for the usage), also in the status's dwError.
 * - CryptMsgSignCTL signs a CTL's DER as SignedData (PKCS #7: the CTL itself in [0]; with
 *   CMSG_CMS_ENCAPSULATED_CTL_FLAG, CMS: in an OCTET STRING, version 3);
 *   CryptMsgEncodeAndSignCTL encodes the CTL_INFO first.
 * - Serialized stores (serial.c) keep CTLs with their properties (CertSaveStore
 *   CERT_STORE_SAVE_AS_STORE, CERT_STORE_PROV_SERIALIZED).
 * Not done: sorted CTLs (PKCS_SORTED_CTL, CMSG_ENCODE_SORTED_CTL_FLAG: E_NOTIMPL), the system
 * stores Windows searches when none is given (TRUST, CA, SPC: empty here), fetching a newer
 * CTL (NextUpdateLocation). */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/advapi32/nettle_lazy.h"
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"

#define CTL_ERROR_INVALID_DATA 13u
#define CTL_E_NOTIMPL 0x80004001u
#define CTL_CRYPT_E_NO_VERIFY_USAGE_CHECK 0x80092028u
#define CTL_CRYPT_E_NOT_IN_CTL 0x8009202Au
#define CTL_CRYPT_E_NO_TRUSTED_SIGNER 0x8009202Bu

#define CTL_PKCS7_ENCODING 0x10000u
#define CTL_ANY_SUBJECT_TYPE 1u
#define CTL_CERT_SUBJECT_TYPE 2u
#define CTL_FIND_ANY 0u
#define CTL_FIND_SHA1_HASH 1u
#define CTL_FIND_MD5_HASH 2u
#define CTL_FIND_USAGE 3u
#define CTL_FIND_SUBJECT 4u
#define CTL_FIND_EXISTING 5u
#define CTL_FIND_SAME_USAGE_FLAG 1u
#define CTL_FIND_NO_LIST_ID_CBDATA 0xffffffffu
#define CTL_FIND_NO_SIGNER_PTR UINT64_MAX
#define CTL_VERIFY_TRUSTED_SIGNERS_FLAG 2u
#define CTL_VERIFY_NO_TIME_CHECK_FLAG 4u
#define CTL_VERIFY_ALLOW_MORE_USAGE_FLAG 8u
#define CTL_ENCODE_SORTED_CTL_FLAG 1u
#define CTL_ENCODE_HASHED_SUBJECT_IDENTIFIER_FLAG 2u
#define CTL_CMS_ENCAPSULATED_CTL_FLAG 0x8000u
#define CTL_CMS_ENCAPSULATED_CONTENT_FLAG 0x40u

/* szOID_CTL, 1.3.6.1.4.1.311.10.1, as DER contents */
static const uint8_t ctl_oid_der[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x01};
#define CTL_OID "1.3.6.1.4.1.311.10.1"

/* ---- the program's structures (x64) ---- */
typedef struct {
    uint32_t size;      /* 0x00 cbSize */
    uint32_t pad_;
    c32_array usage;    /* 0x08 SubjectUsage */
    c32_blob list_id;   /* 0x18 ListIdentifier */
    uint64_t signer;    /* 0x28 pSigner (PCERT_INFO; CTL_FIND_NO_SIGNER_PTR) */
} ctl_find_usage_para;
typedef struct {
    uint32_t size;      /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t usage;     /* 0x08 pUsagePara (NULL: any) */
    uint32_t type;      /* 0x10 dwSubjectType */
    uint32_t pad2_;
    uint64_t subject;   /* 0x18 pvSubject */
} ctl_find_subject_para;
typedef struct {
    c32_algid alg;      /* 0x00 SubjectAlgorithm */
    c32_blob id;        /* 0x18 SubjectIdentifier */
} ctl_any_subject;
typedef struct {
    uint32_t size;      /* 0x00 cbSize */
    uint32_t pad_;
    c32_blob list_id;   /* 0x08 ListIdentifier */
    uint32_t n_ctl;     /* 0x18 cCtlStore */
    uint32_t pad2_;
    uint64_t ctl;       /* 0x20 rghCtlStore */
    uint32_t n_signer;  /* 0x28 cSignerStore */
    uint32_t pad3_;
    uint64_t signer;    /* 0x30 rghSignerStore */
} ctl_verify_para;
typedef struct {
    uint32_t size;      /* 0x00 cbSize */
    uint32_t error;     /* 0x04 dwError */
    uint32_t flags;     /* 0x08 dwFlags */
    uint32_t pad_;
    uint64_t pp_ctl;    /* 0x10 ppCtl */
    uint32_t entry;     /* 0x18 dwCtlEntryIndex */
    uint32_t pad2_;
    uint64_t pp_signer; /* 0x20 ppSigner */
    uint32_t signer;    /* 0x28 dwSignerIndex */
    uint32_t pad3_;
} ctl_verify_status;
_Static_assert(sizeof(ctl_find_usage_para) == 0x30 && sizeof(ctl_find_subject_para) == 0x20,
               "CTL_FIND_USAGE_PARA, CTL_FIND_SUBJECT_PARA");
_Static_assert(sizeof(ctl_any_subject) == 0x28 && sizeof(ctl_verify_para) == 0x38 &&
                   sizeof(ctl_verify_status) == 0x30,
               "CTL_ANY_SUBJECT_INFO, CTL_VERIFY_USAGE_PARA, CTL_VERIFY_USAGE_STATUS");

BOOL WINAPI CertFreeCTLContext(const void *ctx);
void *WINAPI CryptMsgOpenToEncode(DWORD enc, DWORD flags, DWORD type, const void *info,
                                  const char *inner, const void *stream);
BOOL WINAPI CryptMsgUpdate(void *h, const BYTE *data, DWORD n, BOOL final);
BOOL WINAPI CryptMsgGetParam(void *h, DWORD param, DWORD index, void *out, DWORD *len);
BOOL WINAPI CryptMsgClose(void *h);
BOOL WINAPI CryptEncodeObjectEx(DWORD enc, const char *type, const void *info, DWORD flags,
                                const void *para, void *out, DWORD *len);

static const void *ptr(uint64_t v) { return (const void *)(uintptr_t)v; }

static bool fail(uint32_t e)
{
    thk_set_last_error(e);
    return false;
}

/* ---- contexts ---- */

c32_cert *c32_ctl_new(uint32_t enc_type, const void *der, uint32_t len)
{
    if ((enc_type & 0xffff) != 1 /* X509_ASN_ENCODING */)
        return fail(C32_E_INVALIDARG), NULL;
    if (!der || !len)
        return fail(CTL_ERROR_INVALID_DATA), NULL;
    if (!ntl_ready()) /* Nettle, opened on this first use: the hashes */
        return fail(NTL_ERROR_DLL_NOT_FOUND), NULL;
    uint8_t *in = malloc(len);
    if (!in)
        return fail(C32_ERROR_NOT_ENOUGH_MEMORY), NULL;
    if (rt_safe_copy(in, der, len)) {
        free(in);
        return fail(0xC0000005u), NULL; /* STATUS_ACCESS_VIOLATION, as an exception would */
    }
    uint32_t err;
    c32_msg *m = c32_msg_decode(in, len, &err);
    const c32_tlv *type, *content;
    if (!m || !c32_msg_encap(m, &type, &content) || type->len != sizeof ctl_oid_der ||
        memcmp(type->p, ctl_oid_der, sizeof ctl_oid_der)) {
        if (m)
            c32_msg_close(m);
        free(in);
        return fail(CTL_ERROR_INVALID_DATA), NULL;
    }
    /* PKCS #7 puts the CTL itself in [0], CMS an OCTET STRING of it */
    const uint8_t *cp = content->tag == 0x04 ? content->p : content->tlv;
    size_t cn = content->tag == 0x04 ? content->len : content->tlv_len;
    c32_cert *c = calloc(1, sizeof *c);
    uint8_t *block = malloc(len + cn);
    c32_ctlinfo *info = c && block ? c32_decode_alloc(C32_T_CTL, cp, cn, &err) : NULL;
    if (!info) {
        if (!c || !block)
            err = C32_ERROR_NOT_ENOUGH_MEMORY;
        c32_msg_close(m);
        free(c);
        free(block);
        free(in);
        return fail(err), NULL;
    }
    memcpy(block, in, len);
    memcpy(block + len, cp, cn);
    free(in);
    c->enc = block;
    c->ctl = info;
    c->ctx.enc_type = 1 | CTL_PKCS7_ENCODING; /* the message's encoding too, as Windows sets */
    c->ctx.enc = (uint64_t)(uintptr_t)block;
    c->ctx.enc_len = len;
    c->ctx.info = (uint64_t)(uintptr_t)info;
    c->ctx.store = (uint64_t)(uintptr_t)&c32_no_store;
    c->ctl_msg = (uint64_t)(uintptr_t)m;
    c->ctl_content = (uint64_t)(uintptr_t)(block + len);
    c->ctl_content_len = (uint32_t)cn;
    c->magic = C32_CTL_MAGIC;
    c->refs = 1;
    return c;
}

void *WINAPI CertCreateCTLContext(DWORD enc, const BYTE *der, DWORD len)
{
    c32_cert *c = c32_ctl_new(enc, der, len);
    return c ? &c->ctx : NULL;
}
THK_EXPORT(crypt32, CertCreateCTLContext, 3);

const void *WINAPI CertDuplicateCTLContext(const void *ctx)
{
    return c32_context_ref(c32_ctl_get(ctx)) ? ctx : NULL;
}
THK_EXPORT(crypt32, CertDuplicateCTLContext, 1);

BOOL WINAPI CertFreeCTLContext(const void *ctx)
{
    c32_context_free(c32_ctl_get(ctx));
    return TRUE;
}
THK_EXPORT(crypt32, CertFreeCTLContext, 1);

/* ---- stores ---- */

static BOOL ctl_add(void *h, c32_cert *c, DWORD how, void **out)
{
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

BOOL WINAPI CertAddEncodedCTLToStore(void *h, DWORD enc, const BYTE *der, DWORD len, DWORD how,
                                     void **out)
{
    if (out)
        *out = NULL;
    c32_cert *c = c32_ctl_new(enc, der, len);
    return c ? ctl_add(h, c, how, out) : FALSE;
}
THK_EXPORT(crypt32, CertAddEncodedCTLToStore, 6);

BOOL WINAPI CertAddCTLContextToStore(void *h, const void *ctx, DWORD how, void **out)
{
    c32_cert *src = c32_ctl_get(ctx);
    if (out)
        *out = NULL;
    if (!src)
        return fail(C32_E_INVALIDARG);
    c32_cert *c = c32_ctl_new(src->ctx.enc_type, src->enc, src->ctx.enc_len);
    if (!c)
        return FALSE;
    c32_props_copy(c, src); /* the properties come along */
    return ctl_add(h, c, how, out);
}
THK_EXPORT(crypt32, CertAddCTLContextToStore, 4);

const void *WINAPI CertEnumCTLsInStore(void *h, const void *prev)
{
    c32_store *s = c32_store_from(h);
    if (!s)
        return fail(C32_E_INVALIDARG), NULL;
    return c32_next_matching(s, prev, C32_KIND_CTL, NULL, NULL);
}
THK_EXPORT(crypt32, CertEnumCTLsInStore, 2);

BOOL WINAPI CertDeleteCTLFromStore(const void *ctx)
{
    return c32_store_delete(c32_ctl_get(ctx));
}
THK_EXPORT(crypt32, CertDeleteCTLFromStore, 1);

/* ---- what to look for (copied from the program before any store is walked) ---- */

typedef struct {
    uint32_t type;            /* CTL_FIND_* */
    uint8_t hash[20];         /* SHA1_HASH, MD5_HASH */
    uint32_t hash_len;
    const c32_cert *existing; /* EXISTING */
    /* usage: the identifiers (none: any), exactly them or at least them */
    char **oids;
    uint32_t n_oids;
    bool exact;
    int list_mode;            /* 0 any, 1 none, 2 list_id */
    uint8_t *list_id;
    uint32_t list_len;
    int signer_mode;          /* 0 any, 1 unsigned, 2 this issuer and serial number */
    uint8_t *issuer, *serial_le;
    uint32_t issuer_len, serial_len;
    /* subject (type 0: none) */
    uint32_t subject_type;
    uint8_t sha1[20], md5[16], sha256[32]; /* a certificate's */
    char *any_alg;            /* an identifier's algorithm and bytes */
    uint8_t *any_id;
    uint32_t any_len;
    bool check_time;
    uint64_t now;
} ctl_find;

static void find_free(ctl_find *f)
{
    for (uint32_t i = 0; i < f->n_oids; i++)
        free(f->oids[i]);
    free(f->oids);
    free(f->list_id);
    free(f->issuer);
    free(f->serial_le);
    free(f->any_alg);
    free(f->any_id);
}

static char *copy_str(uint64_t addr)
{
    if (!addr)
        return NULL;
    size_t n = 0, cap = 64;
    char *s = malloc(cap);
    while (s) {
        if (rt_safe_copy(&s[n], (const char *)(uintptr_t)addr + n, 1)) {
            free(s);
            return NULL;
        }
        if (!s[n])
            return s;
        if (++n == cap) {
            char *t = n < 4096 ? realloc(s, cap *= 2) : NULL;
            if (!t)
                free(s);
            s = t;
        }
    }
    return NULL;
}

static uint8_t *copy_bytes(uint64_t addr, uint32_t n, bool *ok)
{
    uint8_t *p = malloc(n ? n : 1);
    *ok = p && (!n || (addr && !rt_safe_copy(p, ptr(addr), n)));
    if (!*ok) {
        free(p);
        return NULL;
    }
    return p;
}

/* A CTL_USAGE's identifiers */
static bool read_usage(ctl_find *f, const c32_array *u)
{
    if (!u->n)
        return true;
    if (u->n > 4096 || !(f->oids = calloc(u->n, sizeof *f->oids)))
        return false;
    for (uint32_t i = 0; i < u->n; i++) {
        uint64_t a;
        if (rt_safe_copy(&a, (const uint64_t *)ptr(u->items) + i, 8) ||
            !(f->oids[f->n_oids] = copy_str(a)))
            return false;
        f->n_oids++;
    }
    return true;
}

/* CTL_FIND_USAGE_PARA (at addr; 0: any usage, list and signer) */
static bool read_usage_para(ctl_find *f, uint64_t addr)
{
    ctl_find_usage_para up;
    bool ok;
    if (!addr)
        return true;
    if (rt_safe_copy(&up, ptr(addr), sizeof up) || up.size < sizeof up || !read_usage(f, &up.usage))
        return false;
    if (up.list_id.cb == CTL_FIND_NO_LIST_ID_CBDATA) {
        f->list_mode = 1;
    } else if (up.list_id.cb) {
        f->list_mode = 2;
        f->list_len = up.list_id.cb;
        if (!(f->list_id = copy_bytes(up.list_id.pb, up.list_id.cb, &ok)))
            return false;
    }
    if (up.signer == CTL_FIND_NO_SIGNER_PTR) {
        f->signer_mode = 1;
    } else if (up.signer) {
        c32_certinfo ci;
        if (rt_safe_copy(&ci, ptr(up.signer), sizeof ci))
            return false;
        f->signer_mode = 2;
        f->issuer_len = ci.issuer.cb;
        f->serial_len = ci.serial.cb;
        if (!(f->issuer = copy_bytes(ci.issuer.pb, ci.issuer.cb, &ok)) ||
            !(f->serial_le = copy_bytes(ci.serial.pb, ci.serial.cb, &ok)))
            return false;
    }
    return true;
}

static void hash_of(cd_algo algo, const uint8_t *p, size_t n, uint8_t *out)
{
    cd_ctx h;
    cd_init(&h, algo);
    cd_update(&h, p, n);
    cd_final(&h, out);
}

/* The subject: a certificate context (CTL_CERT_SUBJECT_TYPE) or a CTL_ANY_SUBJECT_INFO */
static bool read_subject(ctl_find *f, uint32_t type, uint64_t subject)
{
    if (type == CTL_CERT_SUBJECT_TYPE) {
        c32_cert *c = c32_cert_get(ptr(subject));
        if (!c)
            return false;
        hash_of(CD_SHA1, c->enc, c->ctx.enc_len, f->sha1);
        hash_of(CD_MD5, c->enc, c->ctx.enc_len, f->md5);
        hash_of(CD_SHA256, c->enc, c->ctx.enc_len, f->sha256);
    } else if (type == CTL_ANY_SUBJECT_TYPE) {
        ctl_any_subject as;
        bool ok;
        if (!subject || rt_safe_copy(&as, ptr(subject), sizeof as))
            return false;
        f->any_alg = as.alg.oid ? copy_str(as.alg.oid) : calloc(1, 1);
        f->any_len = as.id.cb;
        if (!f->any_alg || !(f->any_id = copy_bytes(as.id.pb, as.id.cb, &ok)))
            return false;
    } else {
        return false;
    }
    f->subject_type = type;
    return true;
}

static bool has_oid(const c32_ctlinfo *ci, const char *oid)
{
    const uint64_t *o = ptr(ci->usage.items);
    for (uint32_t i = 0; i < ci->usage.n; i++)
        if (!strcmp(ptr(o[i]), oid))
            return true;
    return false;
}

static bool usage_matches(const ctl_find *f, const c32_ctlinfo *ci)
{
    for (uint32_t i = 0; i < f->n_oids; i++)
        if (!has_oid(ci, f->oids[i]))
            return false;
    if (f->exact) { /* and no other identifier (each of the CTL's is asked for) */
        const uint64_t *o = ptr(ci->usage.items);
        for (uint32_t i = 0; i < ci->usage.n; i++) {
            uint32_t j = 0;
            while (j < f->n_oids && strcmp(f->oids[j], ptr(o[i])))
                j++;
            if (j == f->n_oids)
                return false;
        }
    }
    if (f->list_mode == 1 && ci->list_id.cb)
        return false;
    if (f->list_mode == 2 && (ci->list_id.cb != f->list_len ||
                              memcmp(ptr(ci->list_id.pb), f->list_id, f->list_len)))
        return false;
    return true;
}

static bool signer_matches(const ctl_find *f, const c32_cert *c)
{
    const c32_msg *m = ptr(c->ctl_msg);
    if (f->signer_mode == 1)
        return c32_msg_signers(m) == 0;
    if (f->signer_mode != 2)
        return true;
    for (size_t i = 0; i < c32_msg_signers(m); i++) {
        const uint8_t *issuer;
        size_t issuer_len;
        const c32_tlv *serial;
        if (c32_msg_signer_id(m, i, &issuer, &issuer_len, &serial) &&
            issuer_len == f->issuer_len && !memcmp(issuer, f->issuer, issuer_len) &&
            c32_msg_serial_is(f->serial_le, f->serial_len, serial))
            return true;
    }
    return false;
}

/* The index of the subject's entry in the CTL, or -1 */
static long subject_index(const ctl_find *f, const c32_ctlinfo *ci)
{
    const uint8_t *want = NULL;
    uint32_t want_len = 0;
    const char *alg = ptr(ci->subject_alg.oid);
    alg = alg ? alg : "";
    if (f->subject_type == CTL_CERT_SUBJECT_TYPE) {
        if (!strcmp(alg, "1.3.14.3.2.26"))
            want = f->sha1, want_len = 20;
        else if (!strcmp(alg, "1.2.840.113549.2.5"))
            want = f->md5, want_len = 16;
        else if (!strcmp(alg, "2.16.840.1.101.3.4.2.1"))
            want = f->sha256, want_len = 32;
    } else if (f->subject_type == CTL_ANY_SUBJECT_TYPE && !strcmp(alg, f->any_alg)) {
        want = f->any_id, want_len = f->any_len;
    }
    if (!want)
        return -1;
    const c32_ctl_entry *e = ptr(ci->entries);
    for (uint32_t i = 0; i < ci->n_entry; i++)
        if (e[i].subject.cb == want_len && !memcmp(ptr(e[i].subject.pb), want, want_len))
            return (long)i;
    return -1;
}

static bool ctl_match(const c32_cert *c, const void *arg)
{
    const ctl_find *f = arg;
    uint8_t h[20];
    switch (f->type) {
    case UINT32_MAX: return false;
    case CTL_FIND_ANY: return true;
    case CTL_FIND_SHA1_HASH:
    case CTL_FIND_MD5_HASH:
        hash_of(f->type == CTL_FIND_SHA1_HASH ? CD_SHA1 : CD_MD5, c->enc, c->ctx.enc_len, h);
        return !memcmp(h, f->hash, f->hash_len);
    case CTL_FIND_EXISTING:
        return c->ctl_content_len == f->existing->ctl_content_len &&
               !memcmp(ptr(c->ctl_content), ptr(f->existing->ctl_content),
                       c->ctl_content_len);
    case CTL_FIND_SUBJECT:
        if (f->subject_type && subject_index(f, c->ctl) < 0)
            return false;
        __attribute__((fallthrough)); /* and the usage */
    default:
        if (!usage_matches(f, c->ctl) || !signer_matches(f, c))
            return false;
        return !f->check_time || !c->ctl->next_update || f->now <= c->ctl->next_update;
    }
}

const void *WINAPI CertFindCTLInStore(void *h, DWORD enc, DWORD flags, DWORD type,
                                      const void *para, const void *prev)
{
    (void)enc;
    c32_store *s = c32_store_from(h);
    ctl_find f = {.type = type, .exact = flags & CTL_FIND_SAME_USAGE_FLAG};
    bool ok = s != NULL;
    if (ok) {
        switch (type) {
        case CTL_FIND_ANY: break;
        case CTL_FIND_SHA1_HASH:
        case CTL_FIND_MD5_HASH: {
            c32_blob b;
            f.hash_len = type == CTL_FIND_SHA1_HASH ? 20 : 16;
            ok = para && !rt_safe_copy(&b, para, sizeof b) &&
                 (b.cb != f.hash_len || !rt_safe_copy(f.hash, ptr(b.pb), f.hash_len));
            if (ok && b.cb != f.hash_len) /* a hash of another size matches nothing */
                f.type = UINT32_MAX;
            break;
        }
        case CTL_FIND_USAGE: ok = read_usage_para(&f, (uint64_t)(uintptr_t)para); break;
        case CTL_FIND_SUBJECT: {
            ctl_find_subject_para sp;
            ok = para && !rt_safe_copy(&sp, para, sizeof sp) && sp.size >= sizeof sp &&
                 read_usage_para(&f, sp.usage) &&
                 (!sp.subject || read_subject(&f, sp.type, sp.subject));
            break;
        }
        case CTL_FIND_EXISTING: ok = (f.existing = c32_ctl_get(para)) != NULL; break;
        default: ok = false;
        }
    }
    if (!ok) {
        find_free(&f);
        return fail(C32_E_INVALIDARG), NULL;
    }
    const void *got = c32_next_matching(s, prev, C32_KIND_CTL, ctl_match, &f);
    find_free(&f);
    return got;
}
THK_EXPORT(crypt32, CertFindCTLInStore, 6);

const void *WINAPI CertFindSubjectInCTL(DWORD enc, DWORD type, const void *subject,
                                        const void *ctx, DWORD flags)
{
    (void)enc, (void)flags;
    c32_cert *c = c32_ctl_get(ctx);
    ctl_find f = {0};
    if (!c || !read_subject(&f, type, (uint64_t)(uintptr_t)subject)) {
        find_free(&f);
        return fail(C32_E_INVALIDARG), NULL;
    }
    long i = subject_index(&f, c->ctl);
    find_free(&f);
    if (i < 0)
        return fail(C32_CRYPT_E_NOT_FOUND), NULL;
    return (const c32_ctl_entry *)ptr(c->ctl->entries) + i;
}
THK_EXPORT(crypt32, CertFindSubjectInCTL, 5);

/* ---- CertVerifyCTLUsage ---- */

typedef struct {
    const uint8_t *issuer;
    size_t issuer_len;
    const c32_tlv *serial;
} ctl_signer_id;

static bool cert_is_signer(const c32_cert *c, const void *arg)
{
    const ctl_signer_id *id = arg;
    return c->info && c->info->issuer.cb == id->issuer_len &&
           !memcmp(ptr(c->info->issuer.pb), id->issuer, id->issuer_len) &&
           c32_msg_serial_is(ptr(c->info->serial.pb), c->info->serial.cb, id->serial);
}

/* A certificate of signer i in store s whose key verifies the CTL's signature, handed out */
static c32_cert *signer_in(c32_store *s, c32_msg *m, size_t i, const ctl_signer_id *id)
{
    for (const void *got = NULL;
         (got = c32_next_matching(s, got, C32_KIND_CERT, cert_is_signer, id));) {
        c32_cert *c = c32_cert_get(got);
        if (c->spki && !c32_msg_verify(m, (uint32_t)i, c->spki, c->spki_len))
            return c;
    }
    return NULL;
}

/* The signer certificate (handed out) that verifies the CTL c; *index its signer */
static c32_cert *ctl_signer(const c32_cert *c, c32_store *const *stores, size_t n_stores,
                            bool trusted_only, uint32_t *index)
{
    c32_msg *m = (c32_msg *)(uintptr_t)c->ctl_msg;
    for (size_t i = 0; i < c32_msg_signers(m); i++) {
        ctl_signer_id id;
        if (!c32_msg_signer_id(m, i, &id.issuer, &id.issuer_len, &id.serial))
            continue;
        *index = (uint32_t)i;
        c32_cert *got = NULL;
        for (size_t k = 0; k < n_stores && !got; k++)
            got = signer_in(stores[k], m, i, &id);
        if (got || trusted_only)
            return got;
        /* the message's own certificates, the CTL's store, ROOT */
        const c32_tlv *certs, *crls;
        size_t n_certs, n_crls;
        c32_msg_certs(m, &certs, &n_certs, &crls, &n_crls);
        for (size_t k = 0; k < n_certs; k++) {
            c32_cert *x = c32_cert_new(1, certs[k].tlv, (uint32_t)certs[k].tlv_len);
            if (x && cert_is_signer(x, &id) && x->spki &&
                !c32_msg_verify(m, (uint32_t)i, x->spki, x->spki_len))
                return x;
            c32_context_free(x);
        }
        if (c->store && c->store != &c32_no_store && (got = signer_in(c->store, m, i, &id)))
            return got;
        c32_store *root = c32_root_store();
        if (root && (got = signer_in(root, m, i, &id)))
            return got;
    }
    return NULL;
}

BOOL WINAPI CertVerifyCTLUsage(DWORD enc, DWORD subject_type, const void *subject,
                               const c32_array *usage, DWORD flags, const void *para_in,
                               void *status_out)
{
    (void)enc;
    ctl_verify_status st;
    ctl_verify_para vp = {0};
    c32_array u;
    ctl_find f = {.type = CTL_FIND_SUBJECT, .exact = !(flags & CTL_VERIFY_ALLOW_MORE_USAGE_FLAG),
                  .check_time = !(flags & CTL_VERIFY_NO_TIME_CHECK_FLAG),
                  .now = c32_filetime_now()};
    c32_store **stores = NULL;
    if (!status_out || rt_safe_copy(&st, status_out, sizeof st) || st.size < sizeof st ||
        !usage || rt_safe_copy(&u, usage, sizeof u) ||
        (para_in && (rt_safe_copy(&vp, para_in, sizeof vp) || vp.size < sizeof vp)))
        return fail(C32_E_INVALIDARG);
    bool ok = read_usage(&f, &u) && read_subject(&f, subject_type, (uint64_t)(uintptr_t)subject);
    if (ok && vp.list_id.cb == CTL_FIND_NO_LIST_ID_CBDATA) {
        f.list_mode = 1;
    } else if (ok && vp.list_id.cb) {
        f.list_mode = 2;
        f.list_len = vp.list_id.cb;
        ok = (f.list_id = copy_bytes(vp.list_id.pb, vp.list_id.cb, &ok)) != NULL;
    }
    size_t n_all = (size_t)vp.n_ctl + vp.n_signer;
    if (ok && n_all && (n_all > 4096 || !(stores = calloc(n_all, sizeof *stores))))
        ok = false;
    for (size_t i = 0; ok && i < n_all; i++) {
        uint64_t h;
        uint64_t base = i < vp.n_ctl ? vp.ctl + i * 8 : vp.signer + (i - vp.n_ctl) * 8;
        ok = !rt_safe_copy(&h, ptr(base), 8) && (stores[i] = c32_store_from(ptr(h)));
    }
    if (!ok) {
        find_free(&f);
        free(stores);
        return fail(C32_E_INVALIDARG);
    }
    /* without the subject: the CTLs for the usage; then each is checked for it and a signer */
    uint32_t subject_kind = f.subject_type;
    f.subject_type = 0;
    uint32_t err = CTL_CRYPT_E_NO_VERIFY_USAGE_CHECK;
    c32_cert *found = NULL, *signer = NULL;
    long entry = -1;
    uint32_t signer_index = 0;
    for (size_t k = 0; k < vp.n_ctl && !found; k++) {
        for (const void *got = NULL;
             !found && (got = c32_next_matching(stores[k], got, C32_KIND_CTL, ctl_match, &f));) {
            c32_cert *c = c32_ctl_get(got);
            f.subject_type = subject_kind;
            entry = subject_index(&f, c->ctl);
            f.subject_type = 0;
            if (entry < 0) {
                if (err == CTL_CRYPT_E_NO_VERIFY_USAGE_CHECK)
                    err = CTL_CRYPT_E_NOT_IN_CTL;
                continue;
            }
            signer = ctl_signer(c, stores + vp.n_ctl, vp.n_signer,
                                flags & CTL_VERIFY_TRUSTED_SIGNERS_FLAG, &signer_index);
            if (!signer) {
                err = CTL_CRYPT_E_NO_TRUSTED_SIGNER;
                continue;
            }
            found = c; /* the reference c32_next_matching handed out */
        }
    }
    find_free(&f);
    free(stores);
    st.flags = 0;
    if (!found) {
        st.error = err;
        rt_safe_copy(status_out, &st, sizeof st);
        return fail(err);
    }
    st.error = 0;
    st.entry = (uint32_t)entry;
    st.signer = signer_index;
    void *ctl_ctx = &found->ctx, *signer_ctx = &signer->ctx;
    if (!st.pp_ctl || rt_safe_copy((void *)(uintptr_t)st.pp_ctl, &ctl_ctx, 8))
        c32_context_free(found);
    if (!st.pp_signer || rt_safe_copy((void *)(uintptr_t)st.pp_signer, &signer_ctx, 8))
        c32_context_free(signer);
    rt_safe_copy(status_out, &st, sizeof st);
    return TRUE;
}
THK_EXPORT(crypt32, CertVerifyCTLUsage, 7);

/* ---- signing ---- */

BOOL WINAPI CryptMsgSignCTL(DWORD enc, const BYTE *content, DWORD len, const void *sign_info,
                            DWORD flags, BYTE *out, DWORD *out_len)
{
    if (flags & ~CTL_CMS_ENCAPSULATED_CTL_FLAG)
        return fail(C32_E_INVALIDARG);
    void *h = CryptMsgOpenToEncode(enc,
                                   flags & CTL_CMS_ENCAPSULATED_CTL_FLAG
                                       ? CTL_CMS_ENCAPSULATED_CONTENT_FLAG : 0,
                                   2 /* CMSG_SIGNED */, sign_info, CTL_OID, NULL);
    if (!h)
        return FALSE;
    BOOL ok = CryptMsgUpdate(h, content, len, TRUE) &&
              CryptMsgGetParam(h, 2 /* CMSG_CONTENT_PARAM */, 0, out, out_len);
    uint32_t e = ok ? 0 : thk_get_last_error();
    CryptMsgClose(h);
    if (!ok)
        thk_set_last_error(e);
    return ok;
}
THK_EXPORT(crypt32, CryptMsgSignCTL, 7);

BOOL WINAPI CryptMsgEncodeAndSignCTL(DWORD enc, const void *info, const void *sign_info,
                                     DWORD flags, BYTE *out, DWORD *out_len)
{
    if (flags & (CTL_ENCODE_SORTED_CTL_FLAG | CTL_ENCODE_HASHED_SUBJECT_IDENTIFIER_FLAG))
        return fail(CTL_E_NOTIMPL); /* sorted CTLs are not written */
    if (flags & ~CTL_CMS_ENCAPSULATED_CTL_FLAG)
        return fail(C32_E_INVALIDARG);
    DWORD n = 0;
    const char *pkcs_ctl = (const char *)(uintptr_t)C32_T_CTL;
    if (!CryptEncodeObjectEx(enc, pkcs_ctl, info, 0, NULL, NULL, &n))
        return FALSE;
    BYTE *der = malloc(n ? n : 1);
    if (!der)
        return fail(C32_ERROR_NOT_ENOUGH_MEMORY);
    BOOL ok = CryptEncodeObjectEx(enc, pkcs_ctl, info, 0, NULL, der, &n) &&
              CryptMsgSignCTL(enc, der, n, sign_info, flags, out, out_len);
    free(der);
    return ok;
}
THK_EXPORT(crypt32, CryptMsgEncodeAndSignCTL, 6);
