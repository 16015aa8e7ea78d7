/* SPDX-License-Identifier: MIT */
/* crypt32's DER encoder: CryptEncodeObjectEx/CryptEncodeObject for the structures
 * CryptDecodeObjectEx decodes (asn1.c): X509_CERT, X509_CERT_TO_BE_SIGNED,
 * X509_CERT_CRL_TO_BE_SIGNED, X509_EXTENSIONS, X509_NAME, X509_UNICODE_NAME,
 * X509_PUBLIC_KEY_INFO, X509_ALTERNATE_NAME (and the subject/issuer alternative-name OIDs),
 * X509_KEY_USAGE, X509_BITS, X509_BASIC_CONSTRAINTS2, X509_OCTET_STRING, X509_INTEGER,
 * X509_MULTI_BYTE_INTEGER, X509_ENUMERATED (the CRL reason code), each the inverse of the
 * decoder so a decoded structure encodes to the same DER. The structures are the program's (read where
 * they are); the output follows CryptDecodeObjectEx's size rules and CRYPT_ENCODE_ALLOC_FLAG.
 * Not done: X509_UNICODE_NAME values of CERT_RDN_ANY_TYPE beyond PrintableString/UTF8String,
 * otherName/x400Address alternative names, the other X509_* structures (ERROR_FILE_NOT_FOUND). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/thunks_private.h"

#define C32_ENCODE_ALLOC_FLAG 0x8000u
#define C32_CRYPT_E_INVALID_IA5_STRING 0x80092022u
#define C32_CRYPT_E_ASN1_ERROR 0x80093100u

void c32_der_put(c32_der *d, const void *src, size_t n)
{
    if (d->err || !n)
        return;
    if (d->n + n > d->cap) {
        size_t cap = (d->cap ? d->cap * 2 : 256) + n;
        uint8_t *q = realloc(d->p, cap);
        if (!q) {
            d->err = C32_ERROR_NOT_ENOUGH_MEMORY;
            return;
        }
        d->p = q, d->cap = cap;
    }
    memcpy(d->p + d->n, src, n);
    d->n += n;
}

void c32_der_byte(c32_der *d, uint8_t b) { c32_der_put(d, &b, 1); }

void c32_der_head(c32_der *d, uint8_t tag, size_t len)
{
    uint8_t h[6] = {tag};
    size_t n = 1;
    if (len < 0x80) {
        h[n++] = (uint8_t)len;
    } else {
        int k = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
        h[n++] = (uint8_t)(0x80 | k);
        while (k--)
            h[n++] = (uint8_t)(len >> (8 * k));
    }
    c32_der_put(d, h, n);
}

/* tag, length, then the contents gathered in `in` (freed) */
void c32_der_wrap(c32_der *d, uint8_t tag, c32_der *in)
{
    if (in->err && !d->err)
        d->err = in->err;
    c32_der_head(d, tag, in->n);
    c32_der_put(d, in->p, in->n);
    free(in->p);
    *in = (c32_der){0};
}

void c32_der_tlv(c32_der *d, uint8_t tag, const void *p, size_t n)
{
    c32_der_head(d, tag, n);
    c32_der_put(d, p, n);
}

static const void *ptr(uint64_t v) { return (const void *)(uintptr_t)v; }

void c32_enc_oid(c32_der *d, const char *s)
{
    uint8_t b[128];
    size_t n = 0;
    unsigned long long v[64];
    int k = 0;
    while (s && *s && k < 64) {
        char *e;
        v[k++] = strtoull(s, &e, 10);
        if (e == s || (*e && *e != '.'))
            break;
        s = *e ? e + 1 : e;
    }
    if (k < 2) {
        d->err = d->err ? d->err : C32_CRYPT_E_ASN1_ERROR;
        return;
    }
    for (int i = 1; i < k; i++) {
        unsigned long long x = i == 1 ? v[0] * 40 + v[1] : v[i];
        uint8_t t[10];
        int m = 0;
        do {
            t[m++] = (uint8_t)(x & 0x7f);
            x >>= 7;
        } while (x);
        while (m-- && n < sizeof b)
            b[n++] = (uint8_t)(t[m] | (m ? 0x80 : 0));
    }
    c32_der_tlv(d, 0x06, b, n);
}

/* An INTEGER from a little-endian two's-complement blob, in its shortest form. */
void c32_enc_int_le(c32_der *d, const uint8_t *le, size_t n)
{
    uint8_t *be = malloc(n ? n : 1);
    if (!be) {
        d->err = C32_ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    for (size_t i = 0; i < n; i++)
        be[i] = le[n - 1 - i];
    size_t s = 0;
    while (n - s > 1 && ((be[s] == 0 && !(be[s + 1] & 0x80)) ||
                         (be[s] == 0xff && (be[s + 1] & 0x80))))
        s++;
    if (!n)
        c32_der_tlv(d, 0x02, "", 1);
    else
        c32_der_tlv(d, 0x02, be + s, n - s);
    free(be);
}

static void enc_int32(c32_der *d, int32_t v)
{
    uint8_t le[4];
    for (int i = 0; i < 4; i++)
        le[i] = (uint8_t)((uint32_t)v >> (8 * i));
    c32_enc_int_le(d, le, 4);
}

void c32_enc_algid(c32_der *d, const c32_algid *a)
{
    c32_der in = {0};
    c32_enc_oid(&in, ptr(a->oid));
    c32_der_put(&in, ptr(a->params.pb), a->params.cb);
    c32_der_wrap(d, 0x30, &in);
}

static void enc_bits(c32_der *d, uint8_t tag, const c32_bits *b)
{
    c32_der_head(d, tag, (size_t)b->cb + 1);
    c32_der_byte(d, (uint8_t)(b->cb ? b->unused & 7 : 0));
    if (!b->cb)
        return;
    c32_der_put(d, ptr(b->pb), b->cb - 1);
    uint8_t last = ((const uint8_t *)ptr(b->pb))[b->cb - 1];
    c32_der_byte(d, (uint8_t)(last & (0xff << (b->unused & 7))));
}

static void enc_utf8(c32_der *d, uint8_t tag, const WCHAR *w, size_t n)
{
    c32_der in = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t c = w[i];
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && w[i + 1] >= 0xdc00 && w[i + 1] < 0xe000)
            c = 0x10000 + ((c - 0xd800) << 10) + (w[++i] - 0xdc00);
        uint8_t u[4];
        size_t k;
        if (c < 0x80)
            u[0] = (uint8_t)c, k = 1;
        else if (c < 0x800)
            u[0] = (uint8_t)(0xc0 | c >> 6), u[1] = (uint8_t)(0x80 | (c & 0x3f)), k = 2;
        else if (c < 0x10000)
            u[0] = (uint8_t)(0xe0 | c >> 12), u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)),
            u[2] = (uint8_t)(0x80 | (c & 0x3f)), k = 3;
        else
            u[0] = (uint8_t)(0xf0 | c >> 18), u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f)),
            u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), u[3] = (uint8_t)(0x80 | (c & 0x3f)), k = 4;
        c32_der_put(&in, u, k);
    }
    c32_der_wrap(d, tag, &in);
}

static const uint8_t c32_rdn_tags[] = {[2] = 0x04, [3] = 0x12, [4] = 0x13, [5] = 0x14,
                                       [6] = 0x15, [7] = 0x16, [8] = 0x19, [9] = 0x1a,
                                       [10] = 0x1b, [11] = 0x1c, [12] = 0x1e, [13] = 0x0c};

static bool c32_printable(const WCHAR *w, size_t n)
{
    static const char extra[] = " '()+,-./:=?";
    for (size_t i = 0; i < n; i++) {
        WCHAR c = w[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c < 0x80 && c && strchr(extra, (int)c))))
            return false;
    }
    return true;
}

/* One RDN value; `unicode`: X509_UNICODE_NAME, every string value is UTF-16. */
static void enc_name_value(c32_der *d, const c32_rdn_attr *a, bool unicode)
{
    const uint8_t *v = ptr(a->value.pb);
    uint32_t type = a->type, cb = a->value.cb;
    if (type == C32_RDN_ENCODED_BLOB) {
        c32_der_put(d, v, cb);
        return;
    }
    bool wide = unicode || type == C32_RDN_UTF8_STRING || type == C32_RDN_BMP_STRING;
    const WCHAR *w = (const WCHAR *)v;
    size_t wn = cb / 2;
    if (type == 0 && unicode) /* CERT_RDN_ANY_TYPE */
        type = c32_printable(w, wn) ? 4 : C32_RDN_UTF8_STRING;
    if (type >= sizeof c32_rdn_tags || !c32_rdn_tags[type] || type == C32_RDN_UNIVERSAL_STRING) {
        d->err = d->err ? d->err : C32_CRYPT_E_ASN1_ERROR;
        return;
    }
    uint8_t tag = c32_rdn_tags[type];
    if (type == C32_RDN_OCTET_STRING || !wide) {
        c32_der_tlv(d, tag, v, cb);
    } else if (type == C32_RDN_UTF8_STRING) {
        enc_utf8(d, tag, w, wn);
    } else if (type == C32_RDN_BMP_STRING) {
        c32_der_head(d, tag, wn * 2);
        for (size_t i = 0; i < wn; i++) {
            uint8_t be[2] = {(uint8_t)(w[i] >> 8), (uint8_t)w[i]};
            c32_der_put(d, be, 2);
        }
    } else { /* an 8-bit string type given as UTF-16 */
        c32_der_head(d, tag, wn);
        for (size_t i = 0; i < wn; i++)
            c32_der_byte(d, (uint8_t)w[i]);
    }
}

static void enc_name(c32_der *d, const c32_array *name, bool unicode)
{
    c32_der seq = {0};
    const c32_array *rdns = ptr(name->items);
    for (uint32_t i = 0; i < name->n; i++) {
        c32_der set = {0};
        const c32_rdn_attr *a = ptr(rdns[i].items);
        for (uint32_t j = 0; j < rdns[i].n; j++) {
            c32_der av = {0};
            c32_enc_oid(&av, ptr(a[j].oid));
            enc_name_value(&av, &a[j], unicode);
            c32_der_wrap(&set, 0x30, &av);
        }
        c32_der_wrap(&seq, 0x31, &set);
    }
    c32_der_wrap(d, 0x30, &seq);
}

static void enc_pkinfo(c32_der *d, const c32_pkinfo *pk)
{
    c32_der in = {0};
    c32_enc_algid(&in, &pk->alg);
    enc_bits(&in, 0x03, &pk->key);
    c32_der_wrap(d, 0x30, &in);
}

static void enc_exts(c32_der *d, uint32_t n, const c32_ext *e)
{
    c32_der seq = {0};
    for (uint32_t i = 0; i < n; i++) {
        c32_der x = {0};
        c32_enc_oid(&x, ptr(e[i].oid));
        if (e[i].critical)
            c32_der_tlv(&x, 0x01, "\xff", 1);
        c32_der_tlv(&x, 0x04, ptr(e[i].value.pb), e[i].value.cb);
        c32_der_wrap(&seq, 0x30, &x);
    }
    c32_der_wrap(d, 0x30, &seq);
}

static void enc_ia5(c32_der *d, uint8_t tag, const WCHAR *w)
{
    size_t n = 0;
    while (w && w[n])
        n++;
    c32_der_head(d, tag, n);
    for (size_t i = 0; i < n; i++) {
        if (w[i] > 0x7f)
            d->err = d->err ? d->err : C32_CRYPT_E_INVALID_IA5_STRING;
        c32_der_byte(d, (uint8_t)w[i]);
    }
}

static void enc_alt_names(c32_der *d, const c32_array *alt)
{
    c32_der seq = {0};
    const c32_alt_entry *e = ptr(alt->items);
    for (uint32_t i = 0; i < alt->n; i++) {
        switch (e[i].choice) {
        case 2: /* CERT_ALT_NAME_RFC822_NAME */
        case 3: /* CERT_ALT_NAME_DNS_NAME */
        case 7: /* CERT_ALT_NAME_URL */
            enc_ia5(&seq, (uint8_t)(0x80 | (e[i].choice - 1)), ptr(e[i].u.str));
            break;
        case 8: /* CERT_ALT_NAME_IP_ADDRESS */
            c32_der_tlv(&seq, 0x87, ptr(e[i].u.blob.pb), e[i].u.blob.cb);
            break;
        case 5: /* CERT_ALT_NAME_DIRECTORY_NAME: [4] EXPLICIT Name */
            c32_der_tlv(&seq, 0xa4, ptr(e[i].u.blob.pb), e[i].u.blob.cb);
            break;
        case 9: { /* CERT_ALT_NAME_REGISTERED_ID: [8] IMPLICIT OBJECT IDENTIFIER */
            c32_der o = {0};
            c32_enc_oid(&o, ptr(e[i].u.str));
            if (!o.err && o.n > 2) {
                o.p[0] = 0x88;
                c32_der_put(&seq, o.p, o.n);
            }
            free(o.p);
            break;
        }
        default:
            seq.err = seq.err ? seq.err : C32_E_INVALIDARG;
            break;
        }
    }
    c32_der_wrap(d, 0x30, &seq);
}

/* UTCTime for 1950-2049, else GeneralizedTime (RFC 5280 4.1.2.5) */
static void enc_time(c32_der *d, uint64_t ft)
{
    int64_t secs = (int64_t)(ft / 10000000u) - 11644473600ll;
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0)
        rem += 86400, days--;
    /* days since 1970-01-01 to a civil date (Howard Hinnant's algorithm) */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned day = doy - (153 * mp + 2) / 5 + 1, mon = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = (int64_t)yoe + era * 400 + (mon <= 2);
    char s[24];
    int n;
    if (year >= 1950 && year < 2050)
        n = snprintf(s, sizeof s, "%02d%02u%02u%02d%02d%02dZ", (int)(year % 100), mon, day,
                     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    else
        n = snprintf(s, sizeof s, "%04d%02u%02u%02d%02d%02dZ", (int)year, mon, day,
                     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    c32_der_tlv(d, year >= 1950 && year < 2050 ? 0x17 : 0x18, s, (size_t)n);
}

static void enc_certinfo(c32_der *d, const c32_certinfo *ci)
{
    c32_der in = {0};
    if (ci->version) {
        c32_der v = {0};
        enc_int32(&v, (int32_t)ci->version);
        c32_der_wrap(&in, 0xa0, &v);
    }
    c32_enc_int_le(&in, ptr(ci->serial.pb), ci->serial.cb);
    c32_enc_algid(&in, &ci->sigalg);
    c32_der_put(&in, ptr(ci->issuer.pb), ci->issuer.cb);
    c32_der val = {0};
    enc_time(&val, ci->not_before);
    enc_time(&val, ci->not_after);
    c32_der_wrap(&in, 0x30, &val);
    c32_der_put(&in, ptr(ci->subject.pb), ci->subject.cb);
    enc_pkinfo(&in, &ci->pk);
    if (ci->issuer_uid.cb)
        enc_bits(&in, 0x81, &ci->issuer_uid);
    if (ci->subject_uid.cb)
        enc_bits(&in, 0x82, &ci->subject_uid);
    if (ci->n_ext) {
        c32_der x = {0};
        enc_exts(&x, ci->n_ext, ptr(ci->exts));
        c32_der_wrap(&in, 0xa3, &x);
    }
    c32_der_wrap(d, 0x30, &in);
}

/* TBSCertList (RFC 5280 5.1): the version only for v2, nextUpdate when set, the revoked
 * certificates when there are any, the extensions in [0] when there are any */
static void enc_crlinfo(c32_der *d, const c32_crlinfo *ci)
{
    c32_der in = {0};
    if (ci->version)
        enc_int32(&in, (int32_t)ci->version);
    c32_enc_algid(&in, &ci->sigalg);
    c32_der_put(&in, ptr(ci->issuer.pb), ci->issuer.cb);
    enc_time(&in, ci->this_update);
    if (ci->next_update)
        enc_time(&in, ci->next_update);
    if (ci->n_entry) {
        c32_der list = {0};
        const c32_crl_entry *e = ptr(ci->entries);
        for (uint32_t i = 0; i < ci->n_entry; i++) {
            c32_der x = {0};
            c32_enc_int_le(&x, ptr(e[i].serial.pb), e[i].serial.cb);
            enc_time(&x, e[i].when);
            if (e[i].n_ext)
                enc_exts(&x, e[i].n_ext, ptr(e[i].exts));
            c32_der_wrap(&list, 0x30, &x);
        }
        c32_der_wrap(&in, 0x30, &list);
    }
    if (ci->n_ext) {
        c32_der x = {0};
        enc_exts(&x, ci->n_ext, ptr(ci->exts));
        c32_der_wrap(&in, 0xa0, &x);
    }
    c32_der_wrap(d, 0x30, &in);
}

static int cmp_der_blob(const void *a, const void *b)
{
    const c32_der *x = a, *y = b;
    size_t k = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, k);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* A SET OF these n encoded elements (the program's blobs, copied as they are) in DER's order */
static void enc_set_of(c32_der *d, const c32_der *items, size_t n)
{
    c32_der *v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v) {
        d->err = d->err ? d->err : C32_ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    if (n)
        memcpy(v, items, n * sizeof *v);
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_der_blob);
    c32_der in = {0};
    for (size_t i = 0; i < n; i++)
        c32_der_put(&in, v[i].p, v[i].n);
    free(v);
    c32_der_wrap(d, 0x31, &in);
}

/* Attributes (a SET OF Attribute, each a SEQUENCE { OID, SET OF value }) */
static void enc_attrs(c32_der *d, uint32_t n, const c32_attr *at)
{
    c32_der *each = n ? calloc(n, sizeof *each) : NULL;
    if (n && !each) {
        d->err = d->err ? d->err : C32_ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        c32_der x = {0};
        if (!at[i].oid) {
            d->err = d->err ? d->err : C32_E_INVALIDARG;
            break;
        }
        c32_enc_oid(&x, ptr(at[i].oid));
        const c32_blob *v = ptr(at[i].values);
        c32_der *vals = at[i].n ? malloc(at[i].n * sizeof *vals) : NULL;
        if (at[i].n && !vals) {
            d->err = d->err ? d->err : C32_ERROR_NOT_ENOUGH_MEMORY;
            free(x.p);
            break;
        }
        for (uint32_t j = 0; j < at[i].n; j++)
            vals[j] = (c32_der){(uint8_t *)(uintptr_t)v[j].pb, v[j].cb, v[j].cb, 0};
        enc_set_of(&x, vals, at[i].n);
        free(vals);
        c32_der_wrap(&each[i], 0x30, &x);
        if (each[i].err && !d->err)
            d->err = each[i].err;
    }
    enc_set_of(d, each, n);
    for (uint32_t i = 0; i < n; i++)
        free(each[i].p);
    free(each);
}

/* CertificateTrustList as Windows writes it: the version only when not CTL_V1, the list
 * identifier and sequence number when given, the next update when set, the subject algorithm
 * with NULL parameters when it has none (06 00 for no OID at all), the subjects when there are
 * any (each with its SET OF attributes, empty or not), the extensions in [0] */
static void enc_ctlinfo(c32_der *d, const c32_ctlinfo *ci)
{
    c32_der in = {0}, x = {0};
    if (ci->version)
        enc_int32(&in, (int32_t)ci->version);
    const uint64_t *oids = ptr(ci->usage.items);
    for (uint32_t i = 0; i < ci->usage.n; i++)
        c32_enc_oid(&x, ptr(oids[i]));
    c32_der_wrap(&in, 0x30, &x);
    if (ci->list_id.cb)
        c32_der_tlv(&in, 0x04, ptr(ci->list_id.pb), ci->list_id.cb);
    if (ci->seq.cb)
        c32_enc_int_le(&in, ptr(ci->seq.pb), ci->seq.cb);
    enc_time(&in, ci->this_update);
    if (ci->next_update)
        enc_time(&in, ci->next_update);
    const char *alg = ptr(ci->subject_alg.oid);
    if (alg && *alg) {
        c32_enc_oid(&x, alg);
        if (ci->subject_alg.params.cb)
            c32_der_put(&x, ptr(ci->subject_alg.params.pb), ci->subject_alg.params.cb);
        else
            c32_der_tlv(&x, 0x05, "", 0);
    } else {
        c32_der_tlv(&x, 0x06, "", 0);
    }
    c32_der_wrap(&in, 0x30, &x);
    if (ci->n_entry) {
        const c32_ctl_entry *e = ptr(ci->entries);
        for (uint32_t i = 0; i < ci->n_entry; i++) {
            c32_der y = {0};
            c32_der_tlv(&y, 0x04, ptr(e[i].subject.pb), e[i].subject.cb);
            enc_attrs(&y, e[i].n_attr, ptr(e[i].attrs));
            c32_der_wrap(&x, 0x30, &y);
        }
        c32_der_wrap(&in, 0x30, &x);
    }
    if (ci->n_ext) {
        enc_exts(&x, ci->n_ext, ptr(ci->exts));
        c32_der_wrap(&in, 0xa0, &x);
    }
    c32_der_wrap(d, 0x30, &in);
}

static void enc_signed(c32_der *d, const c32_signed *s)
{
    c32_der in = {0};
    c32_der_put(&in, ptr(s->tbs.pb), s->tbs.cb);
    c32_enc_algid(&in, &s->alg);
    enc_bits(&in, 0x03, &s->sig);
    c32_der_wrap(d, 0x30, &in);
}

static uint32_t c32_encode(c32_der *d, int type, const void *info)
{
    switch (type) {
    case C32_T_CERT: enc_signed(d, info); break;
    case C32_T_CERT_TBS: enc_certinfo(d, info); break;
    case C32_T_CRL_TBS: enc_crlinfo(d, info); break;
    case C32_T_EXTENSIONS: {
        const c32_array *a = info;
        enc_exts(d, a->n, ptr(a->items));
        break;
    }
    case C32_T_NAME:
    case C32_T_UNICODE_NAME: enc_name(d, info, type == C32_T_UNICODE_NAME); break;
    case C32_T_PUBKEY: enc_pkinfo(d, info); break;
    case C32_T_ALT_NAME: enc_alt_names(d, info); break;
    case C32_T_KEY_USAGE:
    case C32_T_BITS: enc_bits(d, 0x03, info); break;
    case C32_T_BASIC2: {
        const c32_basic2 *b = info;
        c32_der in = {0};
        if (b->ca)
            c32_der_tlv(&in, 0x01, "\xff", 1);
        if (b->has_path)
            enc_int32(&in, (int32_t)b->path);
        c32_der_wrap(d, 0x30, &in);
        break;
    }
    case C32_T_OCTETS: {
        const c32_blob *b = info;
        c32_der_tlv(d, 0x04, ptr(b->pb), b->cb);
        break;
    }
    case C32_T_INTEGER: enc_int32(d, *(const int32_t *)info); break;
    case C32_T_ENUMERATED: { /* the INTEGER's contents under ENUMERATED's tag */
        c32_der x = {0};
        enc_int32(&x, *(const int32_t *)info);
        if (!x.err && x.n)
            x.p[0] = 0x0a;
        c32_der_put(d, x.p, x.n);
        if (x.err && !d->err)
            d->err = x.err;
        free(x.p);
        break;
    }
    case C32_T_MULTI_INTEGER: {
        const c32_blob *b = info;
        c32_enc_int_le(d, ptr(b->pb), b->cb);
        break;
    }
    case C32_T_ENHKEY_USAGE: {
        const c32_array *a = info;
        const uint64_t *oids = ptr(a->items);
        c32_der in = {0};
        for (uint32_t i = 0; i < a->n; i++)
            c32_enc_oid(&in, ptr(oids[i]));
        c32_der_wrap(d, 0x30, &in);
        break;
    }
    case C32_T_CTL: enc_ctlinfo(d, info); break;
    default: return C32_ERROR_FILE_NOT_FOUND;
    }
    return d->err;
}

typedef struct {
    uint32_t size; /* cbSize */
    uint32_t pad_;
    uint64_t alloc; /* pfnAlloc */
    uint64_t free_; /* pfnFree */
} c32_encode_para;

BOOL WINAPI CryptEncodeObjectEx(DWORD enc, const char *type, const void *info, DWORD flags,
                                const c32_encode_para *para, void *out, DWORD *len)
{
    int t = c32_struct_type_checked(enc, type, len && info);
    if (!t)
        return FALSE;
    c32_der d = {0};
    uint32_t err = c32_encode(&d, t, info);
    if (err) {
        free(d.p);
        thk_set_last_error(err);
        return FALSE;
    }
    BOOL ok = FALSE;
    if (flags & C32_ENCODE_ALLOC_FLAG) {
        uint8_t *dest;
        if (!out) {
            thk_set_last_error(C32_ERROR_INVALID_PARAMETER);
            goto done;
        }
        if (para && para->size >= 16 && para->alloc)
            dest = (uint8_t *)(uintptr_t)thk_call_foreign1((const void *)(uintptr_t)para->alloc,
                                                            d.n);
        else
            dest = LocalAlloc(0, d.n);
        if (!dest) {
            thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
            goto done;
        }
        memcpy(dest, d.p, d.n);
        *(void **)out = dest;
        ok = TRUE;
    } else if (!out) {
        ok = TRUE;
    } else if (*len < d.n) {
        thk_set_last_error(C32_ERROR_MORE_DATA);
    } else {
        memcpy(out, d.p, d.n);
        ok = TRUE;
    }
    *len = (DWORD)d.n;
done:
    free(d.p);
    return ok;
}
THK_EXPORT(crypt32, CryptEncodeObjectEx, 7);

BOOL WINAPI CryptEncodeObject(DWORD enc, const char *type, const void *info, BYTE *out,
                              DWORD *len)
{
    return CryptEncodeObjectEx(enc, type, info, 0, NULL, out, len);
}
THK_EXPORT(crypt32, CryptEncodeObject, 5);
