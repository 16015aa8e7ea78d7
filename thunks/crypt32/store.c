/* SPDX-License-Identifier: MIT */
/* crypt32's certificate stores. CertOpenStore (every provider, by number or by name) and
 * CertOpenSystemStoreA/W give a store in memory. The system store "ROOT" holds the host's
 * trusted roots, read from its CA bundle (/etc/ssl/certs/ca-certificates.crt, Debian's, or
 * Fedora's /etc/pki/tls/certs/ca-bundle.crt), as Wine does; the other system stores ("MY",
 * "CA", ...) start empty. Certificates are added with
 * CertAddEncodedCertificateToStore / CertAddCertificateContextToStore (CERT_STORE_ADD_NEW,
 * USE_EXISTING, REPLACE_EXISTING, ALWAYS, NEWER; the same certificate is the same SHA-1),
 * newest first, as Windows and Wine enumerate a memory store; CertEnumCertificatesInStore and
 * CertFindCertificateInStore (any, SHA-1, MD5, subject/issuer name blob or string, an existing
 * certificate, a public key) free the previous context they are given; CertDeleteCertificate
 * FromStore frees the one passed. A store lives while it has handles or contexts handed out
 * from it: CertCloseStore with CERT_CLOSE_STORE_CHECK_FLAG reports CRYPT_E_PENDING_CLOSE then.
 * CRLs live in a list of their own beside the certificates, with the same rules (crl.c); a CRL
 * is "the same" as one in the store when it has the same issuer and both are base CRLs or both
 * delta CRLs (CRL_FIND_EXISTING), and
 * CERT_STORE_ADD_NEWER compares ThisUpdate.
 * The PKCS #7, serialized and file providers read their formats (serial.c), which
 * CertSaveStore also writes; the message provider (CERT_STORE_PROV_MSG, "Msg") takes a message
 * handle's certificates and CRLs (message.c).
 * CTLs live in a third list (ctl.c); a CTL is "the same" as one whose content is the same
 * bytes.
 * Not done: collections, the contents of the other system stores. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"

#define C32_CLOSE_STORE_FORCE_FLAG 1u
#define C32_CLOSE_STORE_CHECK_FLAG 2u
#define C32_ADD_NEW 1u
#define C32_ADD_USE_EXISTING 2u
#define C32_ADD_REPLACE_EXISTING 3u
#define C32_ADD_ALWAYS 4u
#define C32_ADD_REPLACE_EXISTING_INHERIT 5u
#define C32_ADD_NEWER 6u
#define C32_ADD_NEWER_INHERIT 7u

DWORD WINAPI CertNameToStrW(DWORD enc, const c32_blob *blob, DWORD type, WCHAR *out, DWORD cch);

static c32_store *c32_store_new(void)
{
    c32_store *s = calloc(1, sizeof *s);
    if (!s) {
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    s->magic = C32_STORE_MAGIC;
    s->refs = 1;
    return s;
}

static c32_store *c32_store_get(const void *h)
{
    c32_store *s = (c32_store *)h;
    return s && s->magic == C32_STORE_MAGIC ? s : NULL;
}

c32_store *c32_store_from(const void *h) { return c32_store_get(h); }

void c32_store_unref_locked(c32_store *s)
{
    if (s == &c32_no_store || --s->refs > 0)
        return;
    for (int list = 0; list < 3; list++)
        for (c32_cert *c = list == 2 ? s->ctls : list ? s->crls : s->head, *n; c; c = n) {
            n = c->next;
            c->in_store = false;
            c->next = NULL;
            c32_cert_unref_locked(c);
        }
    s->magic = 0;
    free(s);
}

static int c32_b64(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
           : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Every PEM certificate of the host's CA bundle into s. */
static void c32_load_roots(c32_store *s)
{
    static const char *const bundles[] = {"/etc/ssl/certs/ca-certificates.crt",
                                           "/etc/pki/tls/certs/ca-bundle.crt"};
    static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
    char *text = NULL;
    size_t len = 0;
    for (size_t i = 0; i < 2 && !text; i++) {
        int fd = open(bundles[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        size_t cap = 0;
        for (;;) {
            if (len + 65536 > cap) {
                char *p = realloc(text, cap = len + 262144);
                if (!p)
                    break;
                text = p;
            }
            ssize_t n = read(fd, text + len, cap - len - 1);
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        close(fd);
    }
    if (!text)
        return;
    text[len] = 0;
    uint8_t *der = malloc(len / 4 * 3 + 3);
    for (char *p = text; der && (p = strstr(p, begin));) {
        p += sizeof begin - 1;
        char *stop = strstr(p, end);
        if (!stop)
            break;
        uint32_t n = 0, acc = 0;
        int bits = 0;
        for (; p < stop; p++) {
            int v = c32_b64((unsigned char)*p);
            if (v < 0)
                continue; /* line ends, '=' */
            acc = acc << 6 | (uint32_t)v;
            if ((bits += 6) >= 8) {
                bits -= 8;
                der[n++] = (uint8_t)(acc >> bits);
            }
        }
        c32_cert *c = c32_cert_new(1 /* X509_ASN_ENCODING */, der, n);
        if (c)
            c32_store_add(s, c, C32_ADD_USE_EXISTING, NULL);
    }
    free(der);
    free(text);
}

/* A store for a system store's name: "ROOT" (any case) has the host's roots. */
static void *c32_open_system(const WCHAR *wname, const char *aname)
{
    c32_store *s = c32_store_new();
    static const char root[] = "root";
    bool is_root = true;
    for (size_t i = 0; i < sizeof root; i++) {
        unsigned c = wname ? wname[i] : (unsigned char)aname[i];
        if ((c | (c >= 'A' && c <= 'Z' ? 0x20 : 0)) != (unsigned char)root[i]) {
            is_root = false;
            break;
        }
    }
    if (s && is_root)
        c32_load_roots(s);
    return s;
}

static c32_store *c32_roots;
static void c32_roots_load(void)
{
    c32_roots = c32_store_new();
    if (c32_roots)
        c32_load_roots(c32_roots);
}

c32_store *c32_root_store(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, c32_roots_load);
    return c32_roots;
}

void *WINAPI CertOpenStore(const char *provider, DWORD encoding, ULONG_PTR prov, DWORD flags,
                           const void *para)
{
    (void)encoding, (void)prov, (void)flags;
    uintptr_t kind = (uintptr_t)provider;
    bool wide = kind == 10 /* SYSTEM_W */ || kind == 13 /* SYSTEM_REGISTRY_W */;
    bool narrow = kind == 9 /* SYSTEM_A */ || kind == 12 /* SYSTEM_REGISTRY_A */;
    if (kind >= 0x10000 && (!strcmp(provider, "System") || !strcmp(provider, "SystemRegistry")))
        wide = true;
    if (para && (wide || narrow))
        return c32_open_system(wide ? para : NULL, narrow ? para : NULL);
    if (kind >= 0x10000)
        kind = !strcmp(provider, "PKCS7") ? 5 : !strcmp(provider, "Serialized") ? 6
               : !strcmp(provider, "File") ? 8 : !strcmp(provider, "Msg") ? 1 : 2;
    c32_store *s = c32_store_new();
    if (s && ((kind == 1 && !c32_store_open_msg(s, para)) ||
              ((kind == 3 || (kind >= 5 && kind <= 8)) && !c32_store_open_format(s, kind, para)))) {
        uint32_t e = thk_get_last_error();
        c32_lock();
        c32_store_unref_locked(s);
        c32_unlock();
        thk_set_last_error(e);
        return NULL;
    }
    return s;
}
THK_EXPORT(crypt32, CertOpenStore, 5);

void *WINAPI CertOpenSystemStoreW(ULONG_PTR prov, const WCHAR *name)
{
    (void)prov;
    if (!name) {
        thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return c32_open_system(name, NULL);
}
THK_EXPORT(crypt32, CertOpenSystemStoreW, 2);

void *WINAPI CertOpenSystemStoreA(ULONG_PTR prov, const char *name)
{
    (void)prov;
    if (!name) {
        thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return c32_open_system(NULL, name);
}
THK_EXPORT(crypt32, CertOpenSystemStoreA, 2);

void *WINAPI CertDuplicateStore(void *h)
{
    c32_store *s = c32_store_get(h);
    if (s) {
        c32_lock();
        s->refs++;
        c32_unlock();
    }
    return h;
}
THK_EXPORT(crypt32, CertDuplicateStore, 1);

BOOL WINAPI CertCloseStore(void *h, DWORD flags)
{
    c32_store *s = c32_store_get(h);
    if (!h)
        return TRUE;
    if (!s) {
        thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    c32_lock();
    bool pending = s != &c32_no_store && s->refs > 1;
    c32_store_unref_locked(s);
    c32_unlock();
    if (pending && (flags & C32_CLOSE_STORE_CHECK_FLAG)) {
        thk_set_last_error(C32_CRYPT_E_PENDING_CLOSE);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(crypt32, CertCloseStore, 2);

/* A context for the caller: a reference on the certificate and its store. Locked. */
static void *c32_hand_out(c32_cert *c)
{
    c32_cert_ref_locked(c);
    return &c->ctx;
}

static c32_cert **c32_store_list(c32_store *s, const c32_cert *c)
{
    return c->ctl ? &s->ctls : c->crl ? &s->crls : &s->head;
}

/* The context in s that c would replace: the same certificate (its SHA-1), a CRL of the same
 * issuer that is a base CRL as c is, or a delta CRL as c is, a CTL of the same content (as
 * CTL_FIND_EXISTING finds it) */
static c32_cert *c32_store_find_same(c32_store *s, const c32_cert *c)
{
    if (c->ctl) {
        for (c32_cert *x = s->ctls; x; x = x->next)
            if (x->ctl_content_len == c->ctl_content_len &&
                !memcmp((const void *)(uintptr_t)x->ctl_content,
                        (const void *)(uintptr_t)c->ctl_content, c->ctl_content_len))
                return x;
        return NULL;
    }
    if (c->crl) {
        bool delta = c32_crl_is_delta(c);
        for (c32_cert *x = s->crls; x; x = x->next)
            if (x->crl->issuer.cb == c->crl->issuer.cb &&
                !memcmp((const void *)(uintptr_t)x->crl->issuer.pb,
                        (const void *)(uintptr_t)c->crl->issuer.pb, c->crl->issuer.cb) &&
                c32_crl_is_delta(x) == delta)
                return x;
        return NULL;
    }
    uint8_t h[20], k[20];
    c32_cert_sha1(c, h);
    for (c32_cert *x = s->head; x; x = x->next) {
        c32_cert_sha1(x, k);
        if (!memcmp(h, k, 20))
            return x;
    }
    return NULL;
}

static void c32_store_remove(c32_store *s, c32_cert *c)
{
    for (c32_cert **pp = c32_store_list(s, c); *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            c->next = NULL;
            c->in_store = false;
            c32_cert_unref_locked(c); /* the store's own reference */
            return;
        }
}

void c32_props_copy(c32_cert *dst, const c32_cert *src)
{
    c32_lock();
    c32_prop **tail = &dst->props;
    for (const c32_prop *p = src->props; p; p = p->next) {
        c32_prop *n = malloc(sizeof *n + p->len);
        if (!n)
            break;
        memcpy(n, p, sizeof *n + p->len);
        n->next = NULL;
        *tail = n;
        tail = &n->next;
    }
    c32_unlock();
}

BOOL c32_store_add(c32_store *s, c32_cert *c, DWORD how, void **out)
{
    if (out)
        *out = NULL;
    if (how < C32_ADD_NEW || how > C32_ADD_NEWER_INHERIT) {
        c32_lock();
        c32_cert_unref_locked(c);
        c32_unlock();
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_lock();
    c32_cert *old = how == C32_ADD_ALWAYS ? NULL : c32_store_find_same(s, c);
    if (old) {
        bool keep_old = how == C32_ADD_NEW || how == C32_ADD_USE_EXISTING;
        if (how == C32_ADD_NEWER || how == C32_ADD_NEWER_INHERIT)
            keep_old = c->ctl   ? c->ctl->this_update <= old->ctl->this_update
                       : c->crl ? c->crl->this_update <= old->crl->this_update
                                : c->info->not_before <= old->info->not_before;
        if (keep_old) {
            c32_cert_unref_locked(c);
            BOOL ok = how != C32_ADD_NEW && how != C32_ADD_NEWER && how != C32_ADD_NEWER_INHERIT;
            if (ok && out)
                *out = c32_hand_out(old);
            c32_unlock();
            if (!ok)
                thk_set_last_error(C32_CRYPT_E_EXISTS);
            return ok;
        }
        c32_store_remove(s, old);
    }
    c->store = s;
    c->in_store = true;
    c->ctx.store = (uint64_t)(uintptr_t)s;
    c32_cert **list = c32_store_list(s, c);
    c->next = *list;
    *list = c; /* refs 1: the store's */
    if (out)
        *out = c32_hand_out(c);
    c32_unlock();
    return TRUE;
}

BOOL WINAPI CertAddEncodedCertificateToStore(void *h, DWORD enc, const BYTE *der, DWORD len,
                                             DWORD how, void **out)
{
    c32_store *s = c32_store_get(h);
    if (out)
        *out = NULL;
    c32_cert *c = c32_cert_new(enc, der, len);
    if (!c)
        return FALSE;
    if (!s) { /* a NULL store: just the context (Windows allows it) */
        if (out)
            *out = &c->ctx;
        else
            CertFreeCertificateContext(&c->ctx);
        return TRUE;
    }
    return c32_store_add(s, c, how, out);
}
THK_EXPORT(crypt32, CertAddEncodedCertificateToStore, 6);

BOOL WINAPI CertAddCertificateContextToStore(void *h, const void *ctx, DWORD how, void **out)
{
    c32_cert *src = c32_cert_get(ctx);
    if (!src) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_cert *c = c32_cert_new(src->ctx.enc_type, src->enc, src->ctx.enc_len);
    if (!c)
        return FALSE;
    c32_props_copy(c, src); /* the properties come along */
    c32_store *s = c32_store_get(h);
    if (!s) {
        if (out)
            *out = &c->ctx;
        else
            CertFreeCertificateContext(&c->ctx);
        return TRUE;
    }
    return c32_store_add(s, c, how, out);
}
THK_EXPORT(crypt32, CertAddCertificateContextToStore, 4);

void *c32_next_matching(c32_store *s, const void *prev, int kind,
                        bool (*match)(const c32_cert *, const void *), const void *arg)
{
    c32_cert *p = kind == C32_KIND_CTL   ? c32_ctl_get(prev)
                  : kind == C32_KIND_CRL ? c32_crl_get(prev)
                                         : c32_cert_get(prev);
    void *got = NULL;
    c32_lock();
    c32_cert *c = p ? (p->in_store && p->store == s ? p->next : NULL)
                : kind == C32_KIND_CTL ? s->ctls
                : kind == C32_KIND_CRL ? s->crls
                                       : s->head;
    for (; c; c = c->next)
        if (!match || match(c, arg)) {
            got = c32_hand_out(c);
            break;
        }
    if (p) {
        c32_store *ps = p->store;
        c32_cert_unref_locked(p);
        if (ps)
            c32_store_unref_locked(ps);
    }
    c32_unlock();
    if (!got)
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
    return got;
}

const void *WINAPI CertEnumCertificatesInStore(void *h, const void *prev)
{
    c32_store *s = c32_store_get(h);
    if (!s) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    return c32_next_matching(s, prev, C32_KIND_CERT, NULL, NULL);
}
THK_EXPORT(crypt32, CertEnumCertificatesInStore, 2);

BOOL c32_store_delete(c32_cert *c)
{
    if (!c) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_lock();
    c32_store *s = c->store;
    if (s && c->in_store)
        c32_store_remove(s, c);
    c32_cert_unref_locked(c); /* the context passed is freed */
    if (s)
        c32_store_unref_locked(s);
    c32_unlock();
    return TRUE;
}

BOOL WINAPI CertDeleteCertificateFromStore(const void *ctx)
{
    return c32_store_delete(c32_cert_get(ctx));
}
THK_EXPORT(crypt32, CertDeleteCertificateFromStore, 1);

/* ---- CertFindCertificateInStore ---- */

typedef struct {
    uint32_t cmp; /* CERT_COMPARE_* */
    bool issuer;
    const void *para;
    WCHAR *str; /* the lower-cased search string of the *_STR finds */
    uint8_t blob[64];
    uint32_t blob_len;
} c32_find;

static WCHAR c32_lower(WCHAR c)
{
    if (c >= u'A' && c <= u'Z')
        return (WCHAR)(c + 32);
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return (WCHAR)(c + 32);
    return c;
}

static bool c32_match(const c32_cert *c, const void *arg)
{
    const c32_find *f = arg;
    switch (f->cmp) {
    case 0: /* CERT_COMPARE_ANY */
        return true;
    case 1: /* SHA1 */
    case 4: { /* MD5 */
        uint8_t h[20];
        if (f->cmp == 1) {
            c32_cert_sha1(c, h);
        } else {
            cd_ctx x;
            cd_init(&x, CD_MD5);
            cd_update(&x, c->enc, c->ctx.enc_len);
            cd_final(&x, h);
        }
        return f->blob_len == (f->cmp == 1 ? 20u : 16u) && !memcmp(h, f->blob, f->blob_len);
    }
    case 2: { /* NAME: the blob is a CERT_NAME_BLOB */
        const c32_blob *want = f->para;
        const c32_blob *have = f->issuer ? &c->info->issuer : &c->info->subject;
        return want->cb == have->cb &&
               !memcmp((const void *)(uintptr_t)want->pb, (const void *)(uintptr_t)have->pb,
                       want->cb);
    }
    case 7:
    case 8: { /* NAME_STR_A / NAME_STR_W: a substring of the simple name, any case */
        const c32_blob *nb = f->issuer ? &c->info->issuer : &c->info->subject;
        DWORD n = CertNameToStrW(1, nb, 1 /* CERT_SIMPLE_NAME_STR */, NULL, 0);
        WCHAR *s = malloc(n * sizeof(WCHAR));
        if (!s)
            return false;
        CertNameToStrW(1, nb, 1, s, n);
        for (DWORD i = 0; i < n; i++)
            s[i] = c32_lower(s[i]);
        bool found = false;
        size_t k = 0;
        while (f->str[k])
            k++;
        for (DWORD i = 0; !found && i + k < n; i++)
            found = !memcmp(s + i, f->str, k * sizeof(WCHAR));
        free(s);
        return found;
    }
    case 13: { /* EXISTING: the same encoded certificate */
        const c32_cert *o = c32_cert_get(f->para);
        return o && o->ctx.enc_len == c->ctx.enc_len &&
               !memcmp(o->enc, c->enc, c->ctx.enc_len);
    }
    case 6: { /* PUBLIC_KEY: a CERT_PUBLIC_KEY_INFO */
        const c32_pkinfo *pk = f->para;
        return pk->key.cb == c->info->pk.key.cb &&
               !memcmp((const void *)(uintptr_t)pk->key.pb,
                       (const void *)(uintptr_t)c->info->pk.key.pb, pk->key.cb);
    }
    default:
        return false;
    }
}

int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen);

const void *WINAPI CertFindCertificateInStore(void *h, DWORD encoding, DWORD flags, DWORD type,
                                              const void *para, const void *prev)
{
    (void)encoding, (void)flags;
    c32_store *s = c32_store_get(h);
    if (!s) {
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    c32_find f = {type >> 16, (type & 0xffff) == 4 /* CERT_INFO_ISSUER_FLAG */, para, NULL,
                  {0}, 0};
    switch (f.cmp) {
    case 0:
        break;
    case 1:
    case 4: {
        c32_blob b;
        if (!para || rt_safe_copy(&b, para, sizeof b) || b.cb > sizeof f.blob ||
            rt_safe_copy(f.blob, (const void *)(uintptr_t)b.pb, b.cb)) {
            thk_set_last_error(C32_E_INVALIDARG);
            return NULL;
        }
        f.blob_len = b.cb;
        break;
    }
    case 7:
    case 8: {
        if (!para) {
            thk_set_last_error(C32_E_INVALIDARG);
            return NULL;
        }
        size_t n = 0;
        if (f.cmp == 8) {
            while (((const WCHAR *)para)[n])
                n++;
            f.str = malloc((n + 1) * sizeof(WCHAR));
            if (f.str)
                memcpy(f.str, para, (n + 1) * sizeof(WCHAR));
        } else {
            int k = MultiByteToWideChar(0 /* CP_ACP */, 0, para, -1, NULL, 0);
            f.str = malloc((size_t)(k > 0 ? k : 1) * sizeof(WCHAR));
            if (f.str && k > 0)
                MultiByteToWideChar(0, 0, para, -1, f.str, k);
            else if (f.str)
                f.str[0] = 0;
        }
        if (!f.str) {
            thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        for (size_t i = 0; f.str[i]; i++)
            f.str[i] = c32_lower(f.str[i]);
        break;
    }
    case 2:
    case 6:
    case 13:
        if (!para) {
            thk_set_last_error(C32_E_INVALIDARG);
            return NULL;
        }
        break;
    default:
        thk_set_last_error(C32_E_INVALIDARG);
        return NULL;
    }
    const void *got = c32_next_matching(s, prev, C32_KIND_CERT, c32_match, &f);
    free(f.str);
    return got;
}
THK_EXPORT(crypt32, CertFindCertificateInStore, 6);
