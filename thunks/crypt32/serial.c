/* SPDX-License-Identifier: MIT */
/* crypt32's store formats: what CertOpenStore reads and CertSaveStore writes besides memory.
 *
 * - PKCS #7 (CERT_STORE_PROV_PKCS7, "PKCS7"; CertSaveStore CERT_STORE_SAVE_AS_PKCS7): a
 *   ContentInfo of type signedData whose SignedData carries certificates ([0]) and CRLs ([1]);
 *   written as Windows writes a store, without signers: version 1, no digest algorithms, data
 *   content without content, the certificates and CRLs in the store's order.
 * - Serialized stores (CERT_STORE_PROV_SERIALIZED, "Serialized"; CERT_STORE_SAVE_AS_STORE):
 *   the header (a zero DWORD and "CERT"), then elements of a property id, an encoding type and
 *   a length (three DWORDs) followed by the data: a context's properties, then the context
 *   itself (id 32 a certificate, 33 a CRL, 34 a CTL: its signed message), and an element
 *   of twelve zero bytes at the end.
 * - Files (CERT_STORE_PROV_FILE: a handle; FILENAME_A/W, "File"): a serialized store, a PKCS #7
 *   message, a certificate or a CRL, DER or base64 with or without its PEM lines.
 * CryptQueryObject reads the same (from a file or a blob) for the content types asked: a
 * certificate, a CRL, a serialized store or a PKCS #7 signed message, in binary or base64, and
 * gives a store of what it found (and the certificate or CRL context) and, for a PKCS #7
 * message, a decoded message handle (phMsg; msg.c).
 * Loading adds every context (CERT_STORE_ADD_ALWAYS, as Windows does: a base and a delta CRL of
 * one issuer are both kept). A malformed input is the ASN.1 decoder's error
 * (CRYPT_E_ASN1_*) or CRYPT_E_FILE_ERROR for a serialized store cut short or without its
 * header. */
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"

#define C32_PROP_CERT 32u
#define C32_PROP_CRL 33u
#define C32_PROP_CTL 34u
#define C32_SERIAL_MAGIC 0x54524543u /* "CERT" */
#define C32_CRYPT_E_FILE_ERROR 0x80092003u
#define C32_CRYPT_E_NO_MATCH 0x80092009u
#define C32_ERROR_MORE_DATA 234u
#define C32_ERROR_INVALID_PARAMETER 87u

/* DER of 1.2.840.113549.1.7.2 (signedData) and .1 (data) */
static const uint8_t c32_oid_signed[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
static const uint8_t c32_oid_data[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};

/* Adds one encoded certificate or CRL to s; false with the last error set. */
static bool c32_load_one(c32_store *s, bool crl, const uint8_t *der, size_t len)
{
    c32_cert *c = crl ? c32_crl_new(1, der, (uint32_t)len) : c32_cert_new(1, der, (uint32_t)len);
    return c && c32_store_add(s, c, 4 /* CERT_STORE_ADD_ALWAYS */, NULL);
}

/* The certificates and CRLs of a PKCS #7 signed message (ContentInfo) into s */
static uint32_t c32_load_pkcs7(c32_store *s, const uint8_t *p, size_t n)
{
    const uint8_t *q = p, *end = p + n;
    c32_tlv ci, oid, expl, sd, t;
    uint32_t e;
    if ((e = c32_der_expect(&q, end, 0x30, &ci)))
        return e;
    q = ci.p;
    end = ci.p + ci.len;
    if ((e = c32_der_expect(&q, end, 0x06, &oid)) || (e = c32_der_expect(&q, end, 0xa0, &expl)))
        return e;
    if (oid.len != sizeof c32_oid_signed || memcmp(oid.p, c32_oid_signed, oid.len))
        return C32_CRYPT_E_ASN1_BADTAG;
    q = expl.p;
    if ((e = c32_der_expect(&q, expl.p + expl.len, 0x30, &sd)))
        return e;
    q = sd.p;
    end = sd.p + sd.len;
    if ((e = c32_der_expect(&q, end, 0x02, &t)) || (e = c32_der_expect(&q, end, 0x31, &t)) ||
        (e = c32_der_expect(&q, end, 0x30, &t)))
        return e; /* version, digestAlgorithms, encapContentInfo */
    while (q < end) {
        if ((e = c32_der_read(&q, end, &t)))
            return e;
        if (t.tag != 0xa0 && t.tag != 0xa1)
            continue; /* signerInfos */
        for (const uint8_t *r = t.p; r < t.p + t.len;) {
            c32_tlv one;
            if ((e = c32_der_expect(&r, t.p + t.len, 0x30, &one)))
                return e;
            if (!c32_load_one(s, t.tag == 0xa1, one.tlv, one.tlv_len))
                return thk_get_last_error();
        }
    }
    return 0;
}

static uint32_t c32_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A serialized store into s: each context with the properties before it */
static uint32_t c32_load_serialized(c32_store *s, const uint8_t *p, size_t n)
{
    if (n < 8 || c32_le32(p) != 0 || c32_le32(p + 4) != C32_SERIAL_MAGIC)
        return C32_CRYPT_E_FILE_ERROR;
    c32_prop *pending = NULL;
    uint32_t err = C32_CRYPT_E_FILE_ERROR;
    for (size_t i = 8; i + 12 <= n;) {
        uint32_t id = c32_le32(p + i), len = c32_le32(p + i + 8);
        i += 12;
        if (len > n - i)
            break;
        if (id == 0 && len == 0) {
            err = 0;
            break;
        }
        const uint8_t *data = p + i;
        i += len;
        if (id == C32_PROP_CERT || id == C32_PROP_CRL || id == C32_PROP_CTL) {
            c32_cert *c = id == C32_PROP_CRL   ? c32_crl_new(1, data, len)
                          : id == C32_PROP_CTL ? c32_ctl_new(1, data, len)
                                               : c32_cert_new(1, data, len);
            if (!c) {
                err = thk_get_last_error();
                break;
            }
            c->props = pending;
            pending = NULL;
            if (!c32_store_add(s, c, 4 /* CERT_STORE_ADD_ALWAYS */, NULL)) {
                err = thk_get_last_error();
                break;
            }
        } else {
            c32_prop *x = malloc(sizeof *x + len);
            if (!x) {
                err = C32_ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            x->id = id;
            x->len = len;
            memcpy(x->data, data, len);
            x->next = pending;
            pending = x;
        }
    }
    while (pending) {
        c32_prop *x = pending;
        pending = x->next;
        free(x);
    }
    return err;
}

/* ---- base64 ---- */

static int c32_b64_value(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
           : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 text (PEM lines "-----..." skipped) as bytes, malloc'd; NULL when it is not base64 */
static uint8_t *c32_unbase64(const uint8_t *p, size_t n, size_t *out_len)
{
    uint8_t *out = malloc(n / 4 * 3 + 3);
    if (!out)
        return NULL;
    size_t k = 0;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        int c = p[i];
        if (c == '-') { /* a PEM line: to its end */
            while (i < n && p[i] != '\n')
                i++;
            continue;
        }
        if (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == 0)
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = c32_b64_value(c);
        if (v < 0 || pad) {
            free(out);
            return NULL;
        }
        acc = acc << 6 | (uint32_t)v;
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[k++] = (uint8_t)(acc >> bits);
        }
    }
    if (!k) {
        free(out);
        return NULL;
    }
    *out_len = k;
    return out;
}

/* ---- what an input is ---- */

enum { C32_IS_NONE, C32_IS_CERT, C32_IS_CRL, C32_IS_STORE, C32_IS_PKCS7 };

/* The kind of a binary input: a serialized store, a PKCS #7 signed message, a certificate or
 * a CRL. A certificate's TBS begins with its [0] version or has no time at its top level (they
 * are inside its validity); a CRL's has ThisUpdate (UTCTime or GeneralizedTime) after the
 * issuer, its third or fourth element. */
static int c32_kind_of(const uint8_t *p, size_t n)
{
    if (n >= 8 && c32_le32(p) == 0 && c32_le32(p + 4) == C32_SERIAL_MAGIC)
        return C32_IS_STORE;
    const uint8_t *q = p, *end = p + n;
    c32_tlv outer, first, e;
    if (c32_der_expect(&q, end, 0x30, &outer) || q != end)
        return C32_IS_NONE;
    q = outer.p;
    if (c32_der_read(&q, outer.p + outer.len, &first))
        return C32_IS_NONE;
    if (first.tag == 0x06)
        return first.len == sizeof c32_oid_signed && !memcmp(first.p, c32_oid_signed, first.len)
                   ? C32_IS_PKCS7
                   : C32_IS_NONE;
    if (first.tag != 0x30)
        return C32_IS_NONE;
    q = first.p;
    for (int i = 0; i < 4 && q < first.p + first.len; i++) {
        if (c32_der_read(&q, first.p + first.len, &e))
            return C32_IS_NONE;
        if (i == 0 && e.tag == 0xa0)
            return C32_IS_CERT;
        if (i >= 2 && (e.tag == 0x17 || e.tag == 0x18))
            return C32_IS_CRL;
    }
    return C32_IS_CERT;
}

/* Loads an input of kind `kind` into s; 0 or an error */
static uint32_t c32_load_kind(c32_store *s, int kind, const uint8_t *p, size_t n)
{
    switch (kind) {
    case C32_IS_STORE: return c32_load_serialized(s, p, n);
    case C32_IS_PKCS7: return c32_load_pkcs7(s, p, n);
    case C32_IS_CERT:
    case C32_IS_CRL: return c32_load_one(s, kind == C32_IS_CRL, p, n) ? 0 : thk_get_last_error();
    default: return C32_CRYPT_E_NO_MATCH;
    }
}

/* ---- files ---- */

typedef void *HANDLE_;
HANDLE_ WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *sa, DWORD disp,
                           DWORD flags, HANDLE_ tmpl);
HANDLE_ WINAPI CreateFileA(const char *name, DWORD access, DWORD share, void *sa, DWORD disp,
                           DWORD flags, HANDLE_ tmpl);
BOOL WINAPI ReadFile(HANDLE_ h, void *buf, DWORD n, DWORD *got, void *ov);
BOOL WINAPI WriteFile(HANDLE_ h, const void *buf, DWORD n, DWORD *put, void *ov);
BOOL WINAPI CloseHandle(HANDLE_ h);
#define C32_INVALID_HANDLE ((HANDLE_)(intptr_t)-1)
#define C32_GENERIC_READ 0x80000000u
#define C32_GENERIC_WRITE 0x40000000u
#define C32_FILE_SHARE_READ 1u
#define C32_OPEN_EXISTING 3u
#define C32_CREATE_ALWAYS 2u

/* A file's contents from its handle (from where it stands), malloc'd; NULL with the error */
static uint8_t *c32_read_handle(HANDLE_ h, size_t *len)
{
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return NULL;
        DWORD got = 0;
        if (!ReadFile(h, buf + n, (DWORD)(cap - n), &got, NULL)) {
            free(buf);
            return NULL;
        }
        if (!got)
            break;
        n += got;
        if (n == cap) {
            uint8_t *m = cap < (64u << 20) ? realloc(buf, cap *= 2) : NULL;
            if (!m)
                free(buf);
            buf = m;
        }
    }
    *len = n;
    return buf;
}

/* Reads `data` (a binary or base64 input, as `binary`/`base64` allow) into s, which kind it
 * is in *kind when given; 0 or an error */
static uint32_t c32_load_any(c32_store *s, const uint8_t *data, size_t n, bool binary,
                             bool base64, unsigned kinds, int *kind, bool *was_base64,
                             c32_msg **msg)
{
    int k = binary ? c32_kind_of(data, n) : C32_IS_NONE;
    uint8_t *dec = NULL;
    size_t dlen = 0;
    if (k == C32_IS_NONE && base64 && (dec = c32_unbase64(data, n, &dlen))) {
        k = c32_kind_of(dec, dlen);
        data = dec;
        n = dlen;
    }
    if (kind)
        *kind = k;
    if (was_base64)
        *was_base64 = dec != NULL;
    uint32_t e = k != C32_IS_NONE && (kinds & (1u << k)) ? c32_load_kind(s, k, data, n)
                                                         : C32_CRYPT_E_NO_MATCH;
    if (!e && msg && k == C32_IS_PKCS7)
        *msg = c32_msg_decode(data, n, &e);
    free(dec);
    return e;
}

/* CertOpenStore's providers of this file (store.c calls it): PKCS7 (5), SERIALIZED (6),
 * FILE (3), FILENAME_A (7), FILENAME_W (8). false with the last error set. */
bool c32_store_open_format(c32_store *s, uintptr_t kind, const void *para)
{
    c32_blob b;
    uint32_t e;
    if (kind == 5 || kind == 6) {
        if (!para || rt_safe_copy(&b, para, sizeof b) || (b.cb && !b.pb)) {
            thk_set_last_error(C32_E_INVALIDARG);
            return false;
        }
        const uint8_t *p = (const uint8_t *)(uintptr_t)b.pb;
        e = kind == 5 ? c32_load_pkcs7(s, p, b.cb) : c32_load_serialized(s, p, b.cb);
    } else {
        HANDLE_ h = (HANDLE_)para;
        if (kind != 3) {
            h = kind == 8 ? CreateFileW(para, C32_GENERIC_READ, C32_FILE_SHARE_READ, NULL,
                                        C32_OPEN_EXISTING, 0, NULL)
                          : CreateFileA(para, C32_GENERIC_READ, C32_FILE_SHARE_READ, NULL,
                                        C32_OPEN_EXISTING, 0, NULL);
            if (h == C32_INVALID_HANDLE)
                return false;
        }
        size_t n = 0;
        uint8_t *data = c32_read_handle(h, &n);
        if (kind != 3)
            CloseHandle(h);
        if (!data)
            return false;
        /* a file provider takes a serialized store; a file name any of the formats */
        unsigned kinds = kind == 3 ? 1u << C32_IS_STORE : ~0u;
        e = n ? c32_load_any(s, data, n, true, kind != 3, kinds, NULL, NULL, NULL) : 0;
        free(data);
    }
    if (e)
        thk_set_last_error(e);
    return !e;
}

/* ---- writing ---- */

typedef struct {
    uint8_t *p;
    size_t n, cap;
    bool failed;
} c32_buf;

static void c32_put(c32_buf *b, const void *d, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n > b->cap) {
        size_t cap = (b->n + n) * 2 + 256;
        uint8_t *m = realloc(b->p, cap);
        if (!m) {
            b->failed = true;
            return;
        }
        b->p = m;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void c32_put32(c32_buf *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    c32_put(b, le, 4);
}

/* A DER header (tag, length) */
static void c32_put_hdr(c32_buf *b, uint8_t tag, size_t len)
{
    uint8_t h[6] = {tag};
    size_t k = 1;
    if (len < 0x80) {
        h[k++] = (uint8_t)len;
    } else {
        int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
        h[k++] = (uint8_t)(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--)
            h[k++] = (uint8_t)(len >> (8 * i));
    }
    c32_put(b, h, k);
}

static void c32_save_serialized(c32_store *s, c32_buf *b)
{
    c32_put32(b, 0);
    c32_put32(b, C32_SERIAL_MAGIC);
    for (int list = 0; list < 3; list++)
        for (c32_cert *c = list == 2 ? s->ctls : list ? s->crls : s->head; c; c = c->next) {
            for (const c32_prop *p = c->props; p; p = p->next) {
                c32_put32(b, p->id);
                c32_put32(b, 1);
                c32_put32(b, p->len);
                c32_put(b, p->data, p->len);
            }
            c32_put32(b, list == 2 ? C32_PROP_CTL : list ? C32_PROP_CRL : C32_PROP_CERT);
            c32_put32(b, c->ctx.enc_type);
            c32_put32(b, c->ctx.enc_len);
            c32_put(b, c->enc, c->ctx.enc_len);
        }
    uint8_t zero[12] = {0};
    c32_put(b, zero, 12);
}

static size_t c32_hdr_len(size_t len)
{
    return len < 0x80 ? 2 : len <= 0xff ? 3 : len <= 0xffff ? 4 : len <= 0xffffff ? 5 : 6;
}

static void c32_save_pkcs7(c32_store *s, c32_buf *b)
{
    size_t certs = 0, crls = 0;
    for (c32_cert *c = s->head; c; c = c->next)
        certs += c->ctx.enc_len;
    for (c32_cert *c = s->crls; c; c = c->next)
        crls += c->ctx.enc_len;
    static const uint8_t head[] = {0x02, 0x01, 0x01, /* version 1 */
                                   0x31, 0x00,       /* digestAlgorithms */
                                   0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                                   0x01, 0x07, 0x01}; /* encapContentInfo: data */
    _Static_assert(sizeof c32_oid_data == 9, "data OID");
    size_t sd = sizeof head + 2 /* signerInfos */;
    if (certs)
        sd += c32_hdr_len(certs) + certs;
    if (crls)
        sd += c32_hdr_len(crls) + crls;
    size_t expl = c32_hdr_len(sd) + sd;
    size_t ci = 2 + sizeof c32_oid_signed + c32_hdr_len(expl) + expl;
    c32_put_hdr(b, 0x30, ci);
    c32_put_hdr(b, 0x06, sizeof c32_oid_signed);
    c32_put(b, c32_oid_signed, sizeof c32_oid_signed);
    c32_put_hdr(b, 0xa0, expl);
    c32_put_hdr(b, 0x30, sd);
    c32_put(b, head, sizeof head);
    if (certs) {
        c32_put_hdr(b, 0xa0, certs);
        for (c32_cert *c = s->head; c; c = c->next)
            c32_put(b, c->enc, c->ctx.enc_len);
    }
    if (crls) {
        c32_put_hdr(b, 0xa1, crls);
        for (c32_cert *c = s->crls; c; c = c->next)
            c32_put(b, c->enc, c->ctx.enc_len);
    }
    c32_put_hdr(b, 0x31, 0);
}

#define C32_SAVE_AS_STORE 1u
#define C32_SAVE_AS_PKCS7 2u
#define C32_SAVE_TO_FILE 1u
#define C32_SAVE_TO_MEMORY 2u
#define C32_SAVE_TO_FILENAME_A 3u
#define C32_SAVE_TO_FILENAME_W 4u

/* CERT_STORE_SAVE_AS_STORE or AS_PKCS7 to a file handle, a file name or memory (a
 * CRYPT_DATA_BLOB: its size asked with pbData NULL, ERROR_MORE_DATA and the size when too
 * small). AS_PKCS12 and other values: E_INVALIDARG. */
BOOL WINAPI CertSaveStore(void *h, DWORD enc, DWORD as, DWORD to, void *para, DWORD flags)
{
    (void)enc, (void)flags;
    c32_store *s = c32_store_from(h);
    if (!s || (as != C32_SAVE_AS_STORE && as != C32_SAVE_AS_PKCS7) || !para ||
        to < C32_SAVE_TO_FILE || to > C32_SAVE_TO_FILENAME_W) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    c32_buf b = {0};
    c32_lock();
    if (as == C32_SAVE_AS_STORE)
        c32_save_serialized(s, &b);
    else
        c32_save_pkcs7(s, &b);
    c32_unlock();
    if (b.failed || b.n > UINT32_MAX) {
        free(b.p);
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = TRUE;
    if (to == C32_SAVE_TO_MEMORY) {
        c32_blob out;
        if (rt_safe_copy(&out, para, sizeof out)) {
            thk_set_last_error(C32_E_INVALIDARG);
            ok = FALSE;
        } else {
            uint32_t have = out.cb;
            out.cb = (uint32_t)b.n;
            if (out.pb && have < b.n) {
                thk_set_last_error(C32_ERROR_MORE_DATA);
                ok = FALSE;
            } else if (out.pb && rt_safe_copy((void *)(uintptr_t)out.pb, b.p, b.n)) {
                thk_set_last_error(C32_E_INVALIDARG);
                ok = FALSE;
            }
            rt_safe_copy(para, &out.cb, sizeof out.cb); /* cbData, first in the blob */
        }
    } else {
        HANDLE_ f = para;
        if (to != C32_SAVE_TO_FILE) {
            f = to == C32_SAVE_TO_FILENAME_W
                    ? CreateFileW(para, C32_GENERIC_WRITE, 0, NULL, C32_CREATE_ALWAYS, 0, NULL)
                    : CreateFileA(para, C32_GENERIC_WRITE, 0, NULL, C32_CREATE_ALWAYS, 0, NULL);
        }
        DWORD put = 0;
        ok = f != C32_INVALID_HANDLE && WriteFile(f, b.p, (DWORD)b.n, &put, NULL);
        if (to != C32_SAVE_TO_FILE && f != C32_INVALID_HANDLE)
            CloseHandle(f);
    }
    free(b.p);
    return ok;
}
THK_EXPORT(crypt32, CertSaveStore, 6);

/* ---- CryptQueryObject ---- */

#define C32_QUERY_OBJECT_FILE 1u
#define C32_QUERY_OBJECT_BLOB 2u
#define C32_QUERY_CONTENT_CERT 1u
#define C32_QUERY_CONTENT_CRL 3u
#define C32_QUERY_CONTENT_SERIALIZED_STORE 4u
#define C32_QUERY_CONTENT_PKCS7_SIGNED 8u
#define C32_QUERY_FORMAT_BINARY 1u
#define C32_QUERY_FORMAT_BASE64 2u

BOOL WINAPI CertCloseStore(void *h, DWORD flags);
void *WINAPI CertOpenStore(const char *provider, DWORD encoding, ULONG_PTR prov, DWORD flags,
                           const void *para);
const void *WINAPI CertEnumCertificatesInStore(void *h, const void *prev);
const void *WINAPI CertEnumCRLsInStore(void *h, const void *prev);

BOOL WINAPI CryptQueryObject(DWORD type, const void *object, DWORD content_flags,
                             DWORD format_flags, DWORD flags, DWORD *enc_out, DWORD *content_out,
                             DWORD *format_out, void **store_out, void **msg_out,
                             const void **ctx_out)
{
    (void)flags;
    if (store_out)
        *store_out = NULL;
    if (msg_out)
        *msg_out = NULL;
    if (ctx_out)
        *ctx_out = NULL;
    if (!object || (type != C32_QUERY_OBJECT_FILE && type != C32_QUERY_OBJECT_BLOB)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    uint8_t *data = NULL;
    size_t n = 0;
    if (type == C32_QUERY_OBJECT_FILE) {
        HANDLE_ f = CreateFileW(object, C32_GENERIC_READ, C32_FILE_SHARE_READ, NULL,
                                C32_OPEN_EXISTING, 0, NULL);
        if (f == C32_INVALID_HANDLE)
            return FALSE;
        data = c32_read_handle(f, &n);
        CloseHandle(f);
        if (!data)
            return FALSE;
    } else {
        c32_blob b;
        if (rt_safe_copy(&b, object, sizeof b) || (b.cb && !b.pb) ||
            !(data = malloc(b.cb ? b.cb : 1)) ||
            (b.cb && rt_safe_copy(data, (const void *)(uintptr_t)b.pb, b.cb))) {
            free(data);
            thk_set_last_error(C32_E_INVALIDARG);
            return FALSE;
        }
        n = b.cb;
    }
    /* CERT_QUERY_CONTENT_FLAG_* bits of the kinds this reads */
    unsigned kinds = 0;
    if (content_flags & (1u << C32_QUERY_CONTENT_CERT))
        kinds |= 1u << C32_IS_CERT;
    if (content_flags & (1u << C32_QUERY_CONTENT_CRL))
        kinds |= 1u << C32_IS_CRL;
    if (content_flags & (1u << C32_QUERY_CONTENT_SERIALIZED_STORE))
        kinds |= 1u << C32_IS_STORE;
    if (content_flags & (1u << C32_QUERY_CONTENT_PKCS7_SIGNED))
        kinds |= 1u << C32_IS_PKCS7;
    c32_store *s = CertOpenStore((const char *)(uintptr_t)2 /* MEMORY */, 0, 0, 0, NULL);
    int kind = C32_IS_NONE;
    bool b64 = false;
    c32_msg *msg = NULL;
    uint32_t e = s ? c32_load_any(s, data, n, format_flags & (1u << C32_QUERY_FORMAT_BINARY),
                                  format_flags & (1u << C32_QUERY_FORMAT_BASE64), kinds, &kind,
                                  &b64, msg_out ? &msg : NULL)
                   : C32_ERROR_NOT_ENOUGH_MEMORY;
    free(data);
    if (e) {
        if (s)
            CertCloseStore(s, 0);
        thk_set_last_error(e == C32_CRYPT_E_NO_MATCH || e >= 0x80093000u ? C32_CRYPT_E_NO_MATCH
                                                                         : e);
        return FALSE;
    }
    static const DWORD content_of[] = {0, C32_QUERY_CONTENT_CERT, C32_QUERY_CONTENT_CRL,
                                       C32_QUERY_CONTENT_SERIALIZED_STORE,
                                       C32_QUERY_CONTENT_PKCS7_SIGNED};
    if (enc_out) /* X509_ASN_ENCODING, with PKCS_7_ASN_ENCODING for a message */
        *enc_out = kind == C32_IS_PKCS7 ? 0x00010001 : 1;
    if (content_out)
        *content_out = content_of[kind];
    if (format_out)
        *format_out = b64 ? C32_QUERY_FORMAT_BASE64 : C32_QUERY_FORMAT_BINARY;
    if (ctx_out && (kind == C32_IS_CERT || kind == C32_IS_CRL))
        *ctx_out = kind == C32_IS_CERT ? CertEnumCertificatesInStore(s, NULL)
                                       : CertEnumCRLsInStore(s, NULL);
    if (msg_out)
        *msg_out = msg;
    if (store_out)
        *store_out = s;
    else
        CertCloseStore(s, 0);
    return TRUE;
}
THK_EXPORT(crypt32, CryptQueryObject, 11);
