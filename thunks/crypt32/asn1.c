/* SPDX-License-Identifier: MIT */
/* crypt32's DER decoder (X.690) for the certificate structures (RFC 5280): each structure is
 * built in one block, the structure first and everything it points to after it, as
 * CryptDecodeObjectEx hands it out. Native code over bytes the caller has copied in; the block
 * is native memory whose pointers name the address it will be copied to (c32_arena).
 * Integers of CRYPT_INTEGER_BLOBs are little-endian, as on Windows; names keep their DER bytes
 * in CERT_INFO; an RDN value in UTF8String or BMPString becomes UTF-16 (X509_NAME), every
 * string value does (X509_UNICODE_NAME). Only single-byte tags and definite lengths (DER). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"

uint32_t c32_der_read(const uint8_t **pp, const uint8_t *end, c32_tlv *t)
{
    const uint8_t *p = *pp;
    if (p >= end || end - p < 2)
        return C32_CRYPT_E_ASN1_EOD;
    t->tlv = p;
    t->tag = *p++;
    if ((t->tag & 0x1f) == 0x1f)
        return C32_CRYPT_E_ASN1_BADTAG;
    size_t len = *p++;
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0)
            return C32_CRYPT_E_ASN1_CORRUPT; /* indefinite length: BER, not DER */
        if (n > 4)
            return C32_CRYPT_E_ASN1_LARGE;
        if ((size_t)(end - p) < n)
            return C32_CRYPT_E_ASN1_EOD;
        len = 0;
        while (n--)
            len = len << 8 | *p++;
    }
    if ((size_t)(end - p) < len)
        return C32_CRYPT_E_ASN1_EOD;
    t->p = p;
    t->len = len;
    t->tlv_len = (size_t)(p + len - t->tlv);
    *pp = p + len;
    return 0;
}

uint32_t c32_der_expect(const uint8_t **pp, const uint8_t *end, uint8_t tag, c32_tlv *t)
{
    const uint8_t *p = *pp;
    uint32_t err = c32_der_read(&p, end, t);
    if (err)
        return err;
    if (t->tag != tag)
        return C32_CRYPT_E_ASN1_BADTAG;
    *pp = p;
    return 0;
}

void *c32_alloc(c32_arena *a, size_t n, size_t align)
{
    size_t o = (a->off + align - 1) & ~(align - 1);
    if (o > a->cap || a->cap - o < n) {
        a->over = true;
        return NULL;
    }
    memset(a->buf + o, 0, n);
    a->off = o + n;
    return a->buf + o;
}

uint64_t c32_addr(const c32_arena *a, const void *p)
{
    return p ? a->vbase + (uint64_t)((const uint8_t *)p - a->buf) : 0;
}

#define NOMEM C32_ERROR_NOT_ENOUGH_MEMORY /* only seen with a->over set */

/* A copy of n bytes (a NUL after them, not counted) into blob b; an empty one has no pointer. */
uint32_t c32_put_bytes(c32_arena *a, const uint8_t *p, size_t n, c32_blob *b)
{
    b->cb = (uint32_t)n;
    b->pb = 0;
    if (!n)
        return 0;
    uint8_t *d = c32_alloc(a, n + 1, 1);
    if (!d)
        return NOMEM;
    memcpy(d, p, n);
    b->pb = c32_addr(a, d);
    return 0;
}

/* An OBJECT IDENTIFIER's contents as "1.2.840..." in the arena. */
uint32_t c32_put_oid(c32_arena *a, const c32_tlv *t, uint64_t *out)
{
    if (t->tag != 0x06)
        return C32_CRYPT_E_ASN1_BADTAG;
    char s[512];
    size_t n = 0;
    uint64_t v = 0;
    bool first = true;
    for (size_t i = 0; i < t->len; i++) {
        if (v >> 56)
            return C32_CRYPT_E_ASN1_LARGE;
        v = v << 7 | (t->p[i] & 0x7f);
        if (t->p[i] & 0x80) {
            if (i + 1 == t->len)
                return C32_CRYPT_E_ASN1_CORRUPT;
            continue;
        }
        int k;
        if (first) {
            unsigned top = v < 40 ? 0 : v < 80 ? 1 : 2;
            k = snprintf(s + n, sizeof s - n, "%u.%llu", top,
                         (unsigned long long)(v - top * 40));
            first = false;
        } else {
            k = snprintf(s + n, sizeof s - n, ".%llu", (unsigned long long)v);
        }
        if (k < 0 || (size_t)k >= sizeof s - n)
            return C32_CRYPT_E_ASN1_LARGE;
        n += (size_t)k;
        v = 0;
    }
    if (first)
        return C32_CRYPT_E_ASN1_CORRUPT;
    char *d = c32_alloc(a, n + 1, 1);
    if (!d)
        return NOMEM;
    memcpy(d, s, n + 1);
    *out = c32_addr(a, d);
    return 0;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
uint32_t c32_dec_algid(c32_arena *a, const c32_tlv *t, c32_algid *out)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv oid, par;
    uint32_t err = c32_der_read(&p, end, &oid);
    if (!err)
        err = c32_put_oid(a, &oid, &out->oid);
    if (err)
        return err;
    if (p < end) {
        if ((err = c32_der_read(&p, end, &par)))
            return err;
        return c32_put_bytes(a, par.tlv, par.tlv_len, &out->params);
    }
    return 0;
}

static uint32_t dec_bits(c32_arena *a, const c32_tlv *t, c32_bits *out)
{
    if ((t->tag & 0x1f) != 0x03 && t->tag != 0x81 && t->tag != 0x82)
        return C32_CRYPT_E_ASN1_BADTAG;
    if (t->len < 1 || t->p[0] > 7)
        return C32_CRYPT_E_ASN1_CORRUPT;
    c32_blob b;
    uint32_t err = c32_put_bytes(a, t->p + 1, t->len - 1, &b);
    out->cb = b.cb;
    out->pb = b.pb;
    out->unused = t->p[0];
    return err;
}

/* An INTEGER as a little-endian blob (all its bytes, the sign byte too, as Windows). */
uint32_t c32_dec_int_blob(c32_arena *a, const c32_tlv *t, c32_blob *out)
{
    if (t->tag != 0x02)
        return C32_CRYPT_E_ASN1_BADTAG;
    if (!t->len)
        return C32_CRYPT_E_ASN1_CORRUPT;
    out->cb = (uint32_t)t->len;
    uint8_t *d = c32_alloc(a, t->len, 1);
    if (!d)
        return NOMEM;
    for (size_t i = 0; i < t->len; i++)
        d[i] = t->p[t->len - 1 - i];
    out->pb = c32_addr(a, d);
    return 0;
}

static int digits(const uint8_t *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* UTCTime (YYMMDDHHMMSSZ, 50-99 = 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ) as a FILETIME. */
static uint32_t dec_time(const c32_tlv *t, uint64_t *out)
{
    const uint8_t *p = t->p;
    int year, k;
    if (t->tag == 0x17 && t->len >= 11) {
        year = digits(p, 2);
        year += year < 50 ? 2000 : 1900;
        k = 2;
    } else if (t->tag == 0x18 && t->len >= 13) {
        year = digits(p, 4);
        k = 4;
    } else {
        return t->tag == 0x17 || t->tag == 0x18 ? C32_CRYPT_E_ASN1_CORRUPT
                                                : C32_CRYPT_E_ASN1_BADTAG;
    }
    int mon = digits(p + k, 2), day = digits(p + k + 2, 2), hour = digits(p + k + 4, 2),
        min = digits(p + k + 6, 2), sec = 0;
    size_t rest = (size_t)k + 8;
    if (t->len >= rest + 2 && p[rest] >= '0' && p[rest] <= '9') {
        sec = digits(p + rest, 2);
        rest += 2;
    }
    if (year < 1601 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
        min < 0 || min > 59 || sec < 0 || sec > 60)
        return C32_CRYPT_E_ASN1_CORRUPT;
    /* days since 1601-01-01 (proleptic Gregorian) */
    int y = mon <= 2 ? year - 1 : year;
    int m = mon <= 2 ? mon + 12 : mon;
    int64_t days = 365LL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + day - 1;
    int64_t base = 365LL * 1600 + 1600 / 4 - 1600 / 100 + 1600 / 400 + (153 * 10 + 2) / 5;
    int64_t secs = (days - base) * 86400 + hour * 3600 + min * 60 + sec;
    /* a zone offset (+hhmm / -hhmm) after the seconds */
    if (t->len >= rest + 5 && (p[rest] == '+' || p[rest] == '-')) {
        int oh = digits(p + rest + 1, 2), om = digits(p + rest + 3, 2);
        if (oh < 0 || om < 0)
            return C32_CRYPT_E_ASN1_CORRUPT;
        secs += (p[rest] == '+' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    *out = (uint64_t)secs * 10000000u;
    return 0;
}

uint32_t c32_dec_time(const c32_tlv *t, uint64_t *out) { return dec_time(t, out); }

/* UTF-8 (invalid bytes as U+FFFD) into UTF-16 at d (NULL: count only); the count of units. */
static size_t utf8_to_16(const uint8_t *p, size_t n, WCHAR *d)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = p[i], need = 0;
        if (c < 0x80)
            need = 0;
        else if ((c & 0xe0) == 0xc0)
            need = 1, c &= 0x1f;
        else if ((c & 0xf0) == 0xe0)
            need = 2, c &= 0x0f;
        else if ((c & 0xf8) == 0xf0)
            need = 3, c &= 0x07;
        else
            need = 99;
        i++;
        if (need == 99 || n - i < need) {
            c = 0xfffd;
        } else {
            for (uint32_t j = 0; j < need; j++, i++) {
                if ((p[i] & 0xc0) != 0x80) {
                    c = 0xfffd;
                    break;
                }
                c = c << 6 | (p[i] & 0x3f);
            }
        }
        if (c >= 0x10000 && c < 0x110000) {
            if (d) {
                d[k] = (WCHAR)(0xd800 + ((c - 0x10000) >> 10));
                d[k + 1] = (WCHAR)(0xdc00 + ((c - 0x10000) & 0x3ff));
            }
            k += 2;
        } else {
            if (d)
                d[k] = (WCHAR)(c > 0xffff ? 0xfffd : c);
            k++;
        }
    }
    return k;
}

/* The CERT_RDN_* type of a string tag; 0 for none. */
static uint32_t rdn_type(uint8_t tag)
{
    switch (tag) {
    case 0x04: return C32_RDN_OCTET_STRING;
    case 0x12: return 3;  /* NumericString */
    case 0x13: return 4;  /* PrintableString */
    case 0x14: return 5;  /* TeletexString (T61) */
    case 0x15: return 6;  /* VideotexString */
    case 0x16: return 7;  /* IA5String */
    case 0x19: return 8;  /* GraphicString */
    case 0x1a: return 9;  /* VisibleString */
    case 0x1b: return 10; /* GeneralString */
    case 0x1c: return C32_RDN_UNIVERSAL_STRING;
    case 0x1e: return C32_RDN_BMP_STRING;
    case 0x0c: return C32_RDN_UTF8_STRING;
    default: return 0;
    }
}

/* A string value as UTF-16 in the arena (NUL-ended, cb without it). */
static uint32_t put_wide(c32_arena *a, const c32_tlv *t, uint32_t type, c32_blob *out)
{
    size_t n;
    if (type == C32_RDN_UTF8_STRING)
        n = utf8_to_16(t->p, t->len, NULL);
    else if (type == C32_RDN_BMP_STRING)
        n = t->len / 2;
    else if (type == C32_RDN_UNIVERSAL_STRING)
        n = t->len / 4 * 2;
    else
        n = t->len;
    WCHAR *d = c32_alloc(a, (n + 1) * sizeof(WCHAR), 2);
    if (!d)
        return NOMEM;
    if (type == C32_RDN_UTF8_STRING) {
        utf8_to_16(t->p, t->len, d);
    } else if (type == C32_RDN_BMP_STRING) {
        for (size_t i = 0; i < n; i++)
            d[i] = (WCHAR)(t->p[2 * i] << 8 | t->p[2 * i + 1]);
    } else if (type == C32_RDN_UNIVERSAL_STRING) {
        size_t k = 0;
        for (size_t i = 0; i + 4 <= t->len; i += 4) {
            uint32_t c = (uint32_t)t->p[i] << 24 | t->p[i + 1] << 16 | t->p[i + 2] << 8 |
                         t->p[i + 3];
            if (c >= 0x10000 && c < 0x110000) {
                d[k++] = (WCHAR)(0xd800 + ((c - 0x10000) >> 10));
                d[k++] = (WCHAR)(0xdc00 + ((c - 0x10000) & 0x3ff));
            } else {
                d[k++] = (WCHAR)(c > 0xffff ? 0xfffd : c);
            }
        }
        n = k;
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = t->p[i]; /* the 8-bit string types as Latin-1 */
    }
    d[n] = 0;
    out->cb = (uint32_t)(n * sizeof(WCHAR));
    out->pb = c32_addr(a, d);
    return 0;
}

static uint32_t dec_name_value(c32_arena *a, const c32_tlv *t, bool unicode, c32_rdn_attr *out)
{
    uint32_t type = rdn_type(t->tag);
    if (!type) {
        out->type = C32_RDN_ENCODED_BLOB;
        return c32_put_bytes(a, t->tlv, t->tlv_len, &out->value);
    }
    out->type = type;
    if (type == C32_RDN_OCTET_STRING)
        return c32_put_bytes(a, t->p, t->len, &out->value);
    if (unicode || type == C32_RDN_UTF8_STRING || type == C32_RDN_BMP_STRING ||
        type == C32_RDN_UNIVERSAL_STRING)
        return put_wide(a, t, type, &out->value);
    return c32_put_bytes(a, t->p, t->len, &out->value);
}

/* Counts the elements of a constructed value (each must parse). */
static uint32_t count_items(const c32_tlv *t, uint32_t *n)
{
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv x;
    *n = 0;
    while (p < end) {
        uint32_t err = c32_der_read(&p, end, &x);
        if (err)
            return err;
        ++*n;
    }
    return 0;
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF SEQUENCE { OID, value }) */
/* A SEQUENCE OF: its count and an array of `size`-byte items in the arena (out->n,
 * out->items; *items for the caller to fill). */
static uint32_t dec_array(c32_arena *a, const c32_tlv *t, size_t size, c32_array *out,
                          void **items)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    uint32_t n, err = count_items(t, &n);
    if (err)
        return err;
    void *e = n ? c32_alloc(a, n * size, 8) : NULL;
    if (n && !e)
        return NOMEM;
    out->n = n;
    out->items = c32_addr(a, e);
    *items = e;
    return 0;
}

static uint32_t dec_name(c32_arena *a, const c32_tlv *t, bool unicode, c32_array *out)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    uint32_t n, err = count_items(t, &n);
    if (err)
        return err;
    c32_array *rdns = n ? c32_alloc(a, n * sizeof *rdns, 8) : NULL;
    if (n && !rdns)
        return NOMEM;
    out->n = n;
    out->items = c32_addr(a, rdns);
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < n; i++) {
        c32_tlv set;
        if ((err = c32_der_expect(&p, end, 0x31, &set)))
            return err;
        uint32_t m;
        if ((err = count_items(&set, &m)))
            return err;
        c32_rdn_attr *attrs = m ? c32_alloc(a, m * sizeof *attrs, 8) : NULL;
        if (m && !attrs)
            return NOMEM;
        rdns[i].n = m;
        rdns[i].items = c32_addr(a, attrs);
        const uint8_t *q = set.p, *qend = set.p + set.len;
        for (uint32_t j = 0; j < m; j++) {
            c32_tlv seq, oid, val;
            if ((err = c32_der_expect(&q, qend, 0x30, &seq)))
                return err;
            const uint8_t *r = seq.p, *rend = seq.p + seq.len;
            if ((err = c32_der_read(&r, rend, &oid)) || (err = c32_put_oid(a, &oid, &attrs[j].oid)) ||
                (err = c32_der_read(&r, rend, &val)) ||
                (err = dec_name_value(a, &val, unicode, &attrs[j])))
                return err;
        }
    }
    return 0;
}

static uint32_t dec_pkinfo(c32_arena *a, const c32_tlv *t, c32_pkinfo *out)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv alg, key;
    uint32_t err;
    if ((err = c32_der_read(&p, end, &alg)) || (err = c32_dec_algid(a, &alg, &out->alg)) ||
        (err = c32_der_read(&p, end, &key)) || (err = dec_bits(a, &key, &out->key)))
        return err;
    return 0;
}

/* Extensions ::= SEQUENCE OF SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING } */
static uint32_t dec_exts(c32_arena *a, const c32_tlv *t, c32_array *out)
{
    c32_ext *e;
    uint32_t err = dec_array(a, t, sizeof *e, out, (void **)&e);
    if (err)
        return err;
    uint32_t n = out->n;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < n; i++) {
        c32_tlv seq, oid, x;
        if ((err = c32_der_expect(&p, end, 0x30, &seq)))
            return err;
        const uint8_t *q = seq.p, *qend = seq.p + seq.len;
        if ((err = c32_der_read(&q, qend, &oid)) || (err = c32_put_oid(a, &oid, &e[i].oid)) ||
            (err = c32_der_read(&q, qend, &x)))
            return err;
        if (x.tag == 0x01) {
            e[i].critical = x.len && x.p[0];
            if ((err = c32_der_read(&q, qend, &x)))
                return err;
        }
        if (x.tag != 0x04)
            return C32_CRYPT_E_ASN1_BADTAG;
        if ((err = c32_put_bytes(a, x.p, x.len, &e[i].value)))
            return err;
    }
    return 0;
}

/* [n] EXPLICIT Extensions (a certificate's [3], a CRL's and a CTL's [0]): the context tag's
 * content is one SEQUENCE OF Extension */
static uint32_t dec_explicit_exts(c32_arena *a, const c32_tlv *x, uint32_t *n, uint64_t *items)
{
    const uint8_t *r = x->p;
    c32_tlv seq;
    c32_array arr = {0};
    uint32_t err;
    if ((err = c32_der_expect(&r, x->p + x->len, 0x30, &seq)) || (err = dec_exts(a, &seq, &arr)))
        return err;
    *n = arr.n;
    *items = arr.items;
    return 0;
}

/* ExtKeyUsageSyntax (RFC 5280 4.2.1.12): a SEQUENCE OF KeyPurposeId as CERT_ENHKEY_USAGE,
 * whose items are OID strings (the c32_array's items: pointers to them) */
static uint32_t dec_enhkey_usage(c32_arena *a, const c32_tlv *t, c32_array *out)
{
    uint64_t *oids;
    uint32_t err = dec_array(a, t, sizeof *oids, out, (void **)&oids);
    if (err)
        return err;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < out->n; i++) {
        c32_tlv oid;
        if ((err = c32_der_read(&p, end, &oid)) || (err = c32_put_oid(a, &oid, &oids[i])))
            return err;
    }
    return 0;
}

/* TBSCertificate (RFC 5280 4.1) */
static uint32_t dec_certinfo(c32_arena *a, const c32_tlv *t, c32_certinfo *ci)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv x, v;
    uint32_t err;
    if ((err = c32_der_read(&p, end, &x)))
        return err;
    if (x.tag == 0xa0) { /* [0] EXPLICIT Version */
        const uint8_t *q = x.p;
        if ((err = c32_der_expect(&q, x.p + x.len, 0x02, &v)))
            return err;
        if (v.len != 1)
            return C32_CRYPT_E_ASN1_CORRUPT;
        ci->version = v.p[0];
        if ((err = c32_der_read(&p, end, &x)))
            return err;
    }
    if ((err = c32_dec_int_blob(a, &x, &ci->serial)))
        return err;
    if ((err = c32_der_read(&p, end, &x)) || (err = c32_dec_algid(a, &x, &ci->sigalg)))
        return err;
    if ((err = c32_der_expect(&p, end, 0x30, &x)) ||
        (err = c32_put_bytes(a, x.tlv, x.tlv_len, &ci->issuer)))
        return err;
    if ((err = c32_der_expect(&p, end, 0x30, &x)))
        return err;
    const uint8_t *q = x.p, *qend = x.p + x.len;
    if ((err = c32_der_read(&q, qend, &v)) || (err = dec_time(&v, &ci->not_before)) ||
        (err = c32_der_read(&q, qend, &v)) || (err = dec_time(&v, &ci->not_after)))
        return err;
    if ((err = c32_der_expect(&p, end, 0x30, &x)) ||
        (err = c32_put_bytes(a, x.tlv, x.tlv_len, &ci->subject)))
        return err;
    if ((err = c32_der_read(&p, end, &x)) || (err = dec_pkinfo(a, &x, &ci->pk)))
        return err;
    while (p < end) {
        if ((err = c32_der_read(&p, end, &x)))
            return err;
        if (x.tag == 0x81) {
            err = dec_bits(a, &x, &ci->issuer_uid);
        } else if (x.tag == 0x82) {
            err = dec_bits(a, &x, &ci->subject_uid);
        } else if (x.tag == 0xa3) {
            err = dec_explicit_exts(a, &x, &ci->n_ext, &ci->exts);
        } else {
            err = C32_CRYPT_E_ASN1_BADTAG;
        }
        if (err)
            return err;
    }
    return 0;
}

/* revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
 * revocationDate Time, crlEntryExtensions Extensions OPTIONAL } (RFC 5280 5.1) */
static uint32_t dec_crl_entries(c32_arena *a, const c32_tlv *t, c32_crlinfo *ci)
{
    c32_crl_entry *e;
    c32_array arr;
    uint32_t err = dec_array(a, t, sizeof *e, &arr, (void **)&e);
    if (err)
        return err;
    ci->n_entry = arr.n;
    ci->entries = arr.items;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < arr.n; i++) {
        c32_tlv seq, x;
        if ((err = c32_der_expect(&p, end, 0x30, &seq)))
            return err;
        const uint8_t *q = seq.p, *qend = seq.p + seq.len;
        if ((err = c32_der_read(&q, qend, &x)) || (err = c32_dec_int_blob(a, &x, &e[i].serial)) ||
            (err = c32_der_read(&q, qend, &x)) || (err = dec_time(&x, &e[i].when)))
            return err;
        if (q < qend) {
            c32_array exts = {0};
            if ((err = c32_der_read(&q, qend, &x)) || (err = dec_exts(a, &x, &exts)))
                return err;
            e[i].n_ext = exts.n;
            e[i].exts = exts.items;
        }
        if (q != qend)
            return C32_CRYPT_E_ASN1_CORRUPT;
    }
    return 0;
}

/* TBSCertList (RFC 5280 5.1): version (v2) OPTIONAL, signature, issuer, thisUpdate,
 * nextUpdate OPTIONAL, revokedCertificates OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL */
static uint32_t dec_crlinfo(c32_arena *a, const c32_tlv *t, c32_crlinfo *ci)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv x;
    uint32_t err;
    if ((err = c32_der_read(&p, end, &x)))
        return err;
    if (x.tag == 0x02) {
        if (x.len != 1)
            return C32_CRYPT_E_ASN1_CORRUPT;
        ci->version = x.p[0];
        if ((err = c32_der_read(&p, end, &x)))
            return err;
    }
    if ((err = c32_dec_algid(a, &x, &ci->sigalg)))
        return err;
    if ((err = c32_der_expect(&p, end, 0x30, &x)) ||
        (err = c32_put_bytes(a, x.tlv, x.tlv_len, &ci->issuer)))
        return err;
    if ((err = c32_der_read(&p, end, &x)) || (err = dec_time(&x, &ci->this_update)))
        return err;
    while (p < end) {
        if ((err = c32_der_read(&p, end, &x)))
            return err;
        if ((x.tag == 0x17 || x.tag == 0x18) && !ci->next_update && !ci->entries &&
            !ci->n_ext) {
            err = dec_time(&x, &ci->next_update);
        } else if (x.tag == 0x30 && !ci->entries && !ci->n_ext) {
            err = dec_crl_entries(a, &x, ci);
        } else if (x.tag == 0xa0 && !ci->n_ext) {
            err = dec_explicit_exts(a, &x, &ci->n_ext, &ci->exts);
        } else {
            err = C32_CRYPT_E_ASN1_BADTAG;
        }
        if (err)
            return err;
    }
    return 0;
}

/* Attributes ::= SET OF SEQUENCE { type OID, values SET OF ANY } as CRYPT_ATTRIBUTEs, each
 * value its DER */
static uint32_t dec_attrs(c32_arena *a, const c32_tlv *t, uint32_t *n_out, uint64_t *out)
{
    uint32_t n, err;
    if (t->tag != 0x31)
        return C32_CRYPT_E_ASN1_BADTAG;
    if ((err = count_items(t, &n)))
        return err;
    c32_attr *at = n ? c32_alloc(a, n * sizeof *at, 8) : NULL;
    if (n && !at)
        return NOMEM;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < n; i++) {
        c32_tlv seq, oid, set, v;
        if ((err = c32_der_expect(&p, end, 0x30, &seq)))
            return err;
        const uint8_t *q = seq.p, *qend = seq.p + seq.len;
        if ((err = c32_der_read(&q, qend, &oid)) || (err = c32_put_oid(a, &oid, &at[i].oid)) ||
            (err = c32_der_expect(&q, qend, 0x31, &set)) || (err = count_items(&set, &at[i].n)))
            return err;
        if (q != qend)
            return C32_CRYPT_E_ASN1_CORRUPT;
        c32_blob *vals = at[i].n ? c32_alloc(a, at[i].n * sizeof *vals, 8) : NULL;
        if (at[i].n && !vals)
            return NOMEM;
        at[i].values = c32_addr(a, vals);
        const uint8_t *r = set.p;
        for (uint32_t j = 0; j < at[i].n; j++)
            if ((err = c32_der_read(&r, set.p + set.len, &v)) ||
                (err = c32_put_bytes(a, v.tlv, v.tlv_len, &vals[j])))
                return err;
    }
    *n_out = n;
    *out = c32_addr(a, at);
    return 0;
}

/* A CTL's subjectAlgorithm: an AlgorithmIdentifier whose OID may be empty (06 00, as Windows
 * writes a CTL_INFO without one), given as a NULL pszObjId (as Wine 8.0 gives it) */
static uint32_t dec_ctl_algid(c32_arena *a, const c32_tlv *t, c32_algid *out)
{
    const uint8_t *p = t->p;
    c32_tlv oid;
    if (t->tag == 0x30 && !c32_der_read(&p, t->p + t->len, &oid) && oid.tag == 0x06 &&
        !oid.len) {
        if (p < t->p + t->len) {
            c32_tlv par;
            uint32_t err = c32_der_read(&p, t->p + t->len, &par);
            return err ? err : c32_put_bytes(a, par.tlv, par.tlv_len, &out->params);
        }
        return 0;
    }
    return c32_dec_algid(a, t, out);
}

/* TrustedSubjects ::= SEQUENCE OF SEQUENCE { subjectIdentifier OCTET STRING,
 * subjectAttributes Attributes OPTIONAL } */
static uint32_t dec_ctl_entries(c32_arena *a, const c32_tlv *t, c32_ctlinfo *ci)
{
    c32_ctl_entry *e;
    c32_array arr;
    uint32_t err = dec_array(a, t, sizeof *e, &arr, (void **)&e);
    if (err)
        return err;
    ci->n_entry = arr.n;
    ci->entries = arr.items;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < arr.n; i++) {
        c32_tlv seq, x;
        if ((err = c32_der_expect(&p, end, 0x30, &seq)))
            return err;
        const uint8_t *q = seq.p, *qend = seq.p + seq.len;
        if ((err = c32_der_expect(&q, qend, 0x04, &x)) ||
            (err = c32_put_bytes(a, x.p, x.len, &e[i].subject)))
            return err;
        if (q < qend && ((err = c32_der_read(&q, qend, &x)) ||
                         (err = dec_attrs(a, &x, &e[i].n_attr, &e[i].attrs))))
            return err;
        if (q != qend)
            return C32_CRYPT_E_ASN1_CORRUPT;
    }
    return 0;
}

/* CertificateTrustList (Microsoft's): version INTEGER DEFAULT v1, subjectUsage SEQUENCE OF
 * OID, listIdentifier OCTET STRING OPTIONAL, sequenceNumber INTEGER OPTIONAL, ctlThisUpdate
 * Time, ctlNextUpdate Time OPTIONAL, subjectAlgorithm AlgorithmIdentifier, trustedSubjects
 * OPTIONAL, ctlExtensions [0] EXPLICIT Extensions OPTIONAL */
static uint32_t dec_ctlinfo(c32_arena *a, const c32_tlv *t, c32_ctlinfo *ci)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv x;
    uint32_t err;
    if ((err = c32_der_read(&p, end, &x)))
        return err;
    if (x.tag == 0x02) {
        if (!x.len || x.len > 4 || (x.p[0] & 0x80))
            return C32_CRYPT_E_ASN1_LARGE;
        for (size_t i = 0; i < x.len; i++)
            ci->version = ci->version << 8 | x.p[i];
        if ((err = c32_der_read(&p, end, &x)))
            return err;
    }
    if ((err = dec_enhkey_usage(a, &x, &ci->usage)) || (err = c32_der_read(&p, end, &x)))
        return err;
    if (x.tag == 0x04) {
        if ((err = c32_put_bytes(a, x.p, x.len, &ci->list_id)) ||
            (err = c32_der_read(&p, end, &x)))
            return err;
    }
    if (x.tag == 0x02) {
        if ((err = c32_dec_int_blob(a, &x, &ci->seq)) || (err = c32_der_read(&p, end, &x)))
            return err;
    }
    if ((err = dec_time(&x, &ci->this_update)) || (err = c32_der_read(&p, end, &x)))
        return err;
    if (x.tag == 0x17 || x.tag == 0x18) {
        if ((err = dec_time(&x, &ci->next_update)) || (err = c32_der_read(&p, end, &x)))
            return err;
    }
    if ((err = dec_ctl_algid(a, &x, &ci->subject_alg)))
        return err;
    if (p < end && *p == 0x30) {
        if ((err = c32_der_read(&p, end, &x)) || (err = dec_ctl_entries(a, &x, ci)))
            return err;
    }
    if (p < end && ((err = c32_der_expect(&p, end, 0xa0, &x)) ||
                    (err = dec_explicit_exts(a, &x, &ci->n_ext, &ci->exts))))
        return err;
    return p == end ? 0 : C32_CRYPT_E_ASN1_CORRUPT;
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } */
static uint32_t dec_signed(c32_arena *a, const c32_tlv *t, c32_signed *out)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv tbs, alg, sig;
    uint32_t err;
    if ((err = c32_der_expect(&p, end, 0x30, &tbs)) ||
        (err = c32_put_bytes(a, tbs.tlv, tbs.tlv_len, &out->tbs)) ||
        (err = c32_der_read(&p, end, &alg)) || (err = c32_dec_algid(a, &alg, &out->alg)) ||
        (err = c32_der_read(&p, end, &sig)) || (err = dec_bits(a, &sig, &out->sig)))
        return err;
    return 0;
}

/* GeneralNames ::= SEQUENCE OF GeneralName (RFC 5280 4.2.1.6) */
static uint32_t dec_alt_names(c32_arena *a, const c32_tlv *t, c32_array *out)
{
    c32_alt_entry *e;
    uint32_t err = dec_array(a, t, sizeof *e, out, (void **)&e);
    if (err)
        return err;
    uint32_t n = out->n;
    const uint8_t *p = t->p, *end = t->p + t->len;
    for (uint32_t i = 0; i < n; i++) {
        c32_tlv x;
        if ((err = c32_der_read(&p, end, &x)))
            return err;
        uint32_t choice = (x.tag & 0x1f) + 1;
        e[i].choice = choice;
        switch (x.tag) {
        case 0x81: /* rfc822Name */
        case 0x82: /* dNSName */
        case 0x86: /* uniformResourceIdentifier */
            err = put_wide(a, &x, 7 /* IA5 */, &e[i].u.blob);
            e[i].u.str = e[i].u.blob.pb; /* the union holds the string pointer first */
            break;
        case 0x87: /* iPAddress */
            err = c32_put_bytes(a, x.p, x.len, &e[i].u.blob);
            break;
        case 0xa4: { /* directoryName: [4] EXPLICIT Name */
            const uint8_t *q = x.p;
            c32_tlv nm;
            if (!(err = c32_der_expect(&q, x.p + x.len, 0x30, &nm)))
                err = c32_put_bytes(a, nm.tlv, nm.tlv_len, &e[i].u.blob);
            break;
        }
        case 0x88: { /* registeredID */
            c32_tlv oid = x;
            oid.tag = 0x06;
            err = c32_put_oid(a, &oid, &e[i].u.str);
            break;
        }
        default: /* otherName, x400Address, ediPartyName: their DER */
            err = c32_put_bytes(a, x.tlv, x.tlv_len, &e[i].u.blob);
            break;
        }
        if (err)
            return err;
    }
    return 0;
}

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } */
static uint32_t dec_basic2(const c32_tlv *t, c32_basic2 *out)
{
    if (t->tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv x;
    uint32_t err;
    while (p < end) {
        if ((err = c32_der_read(&p, end, &x)))
            return err;
        if (x.tag == 0x01 && x.len == 1) {
            out->ca = x.p[0] != 0;
        } else if (x.tag == 0x02 && x.len >= 1 && x.len <= 5 && !(x.p[0] & 0x80)) {
            uint64_t v = 0;
            for (size_t i = 0; i < x.len; i++)
                v = v << 8 | x.p[i];
            if (v > 0xffffffffu)
                return C32_CRYPT_E_ASN1_LARGE;
            out->has_path = 1;
            out->path = (uint32_t)v;
        } else {
            return C32_CRYPT_E_ASN1_BADTAG;
        }
    }
    return 0;
}

static const struct {
    const char *oid;
    int type;
} c32_oid_types[] = {
    {"2.5.29.7", C32_T_ALT_NAME},   {"2.5.29.8", C32_T_ALT_NAME},
    {"2.5.29.17", C32_T_ALT_NAME},  {"2.5.29.18", C32_T_ALT_NAME},
    {"2.5.29.19", C32_T_BASIC2},    {"2.5.29.14", C32_T_OCTETS},
    {"2.5.29.15", C32_T_KEY_USAGE}, {"2.5.29.20", C32_T_MULTI_INTEGER}, /* CRL number */
    {"2.5.29.21", C32_T_ENUMERATED}, /* CRL reason code */
    {"2.5.29.37", C32_T_ENHKEY_USAGE},
};

int c32_struct_type(const char *type)
{
    uintptr_t v = (uintptr_t)type;
    if (v < 0x10000) {
        switch (v) {
        case C32_T_CERT: case C32_T_CERT_TBS: case C32_T_CRL_TBS: case C32_T_EXTENSIONS:
        case C32_T_NAME: case C32_T_ENUMERATED:
        case C32_T_PUBKEY: case C32_T_ALT_NAME: case C32_T_KEY_USAGE: case C32_T_BASIC2:
        case C32_T_UNICODE_NAME: case C32_T_OCTETS: case C32_T_BITS: case C32_T_INTEGER:
        case C32_T_MULTI_INTEGER: case C32_T_ENHKEY_USAGE: case C32_T_CTL:
            return (int)v;
        default:
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof c32_oid_types / sizeof c32_oid_types[0]; i++)
        if (!strcmp(type, c32_oid_types[i].oid))
            return c32_oid_types[i].type;
    return 0;
}

static uint32_t dec_certinfo_any(c32_arena *a, const c32_tlv *t, void *out)
{
    return dec_certinfo(a, t, out);
}

static uint32_t dec_crlinfo_any(c32_arena *a, const c32_tlv *t, void *out)
{
    return dec_crlinfo(a, t, out);
}

/* X509_CERT_TO_BE_SIGNED and X509_CERT_CRL_TO_BE_SIGNED take the signed structure (its first
 * element is the TBS) or the bare TBS: the first element is tried with `dec`, and when that
 * fails the arena is rewound and `out` (size bytes) cleared for the whole element. */
static uint32_t dec_signed_or_tbs(c32_arena *a, const c32_tlv *t, void *out, size_t size,
                                  uint32_t (*dec)(c32_arena *, const c32_tlv *, void *))
{
    const uint8_t *q = t->p;
    c32_tlv tbs;
    if (t->tag == 0x30 && !c32_der_expect(&q, t->p + t->len, 0x30, &tbs)) {
        size_t mark = a->off;
        if (!dec(a, &tbs, out))
            return 0;
        if (a->over)
            return NOMEM;
        memset(out, 0, size);
        a->off = mark;
    }
    return dec(a, t, out);
}

uint32_t c32_decode(c32_arena *a, int type, const uint8_t *in, size_t len)
{
    const uint8_t *p = in, *end = in + len;
    c32_tlv t;
    uint32_t err = c32_der_read(&p, end, &t);
    if (err)
        return err;
    switch (type) {
    case C32_T_CERT: {
        c32_signed *s = c32_alloc(a, sizeof *s, 8);
        return s ? dec_signed(a, &t, s) : NOMEM;
    }
    case C32_T_CERT_TBS: {
        c32_certinfo *ci = c32_alloc(a, sizeof *ci, 8);
        return ci ? dec_signed_or_tbs(a, &t, ci, sizeof *ci, dec_certinfo_any) : NOMEM;
    }
    case C32_T_CRL_TBS: {
        c32_crlinfo *ci = c32_alloc(a, sizeof *ci, 8);
        return ci ? dec_signed_or_tbs(a, &t, ci, sizeof *ci, dec_crlinfo_any) : NOMEM;
    }
    case C32_T_EXTENSIONS: {
        c32_array *arr = c32_alloc(a, sizeof *arr, 8);
        return arr ? dec_exts(a, &t, arr) : NOMEM;
    }
    case C32_T_NAME:
    case C32_T_UNICODE_NAME: {
        c32_array *arr = c32_alloc(a, sizeof *arr, 8);
        return arr ? dec_name(a, &t, type == C32_T_UNICODE_NAME, arr) : NOMEM;
    }
    case C32_T_PUBKEY: {
        c32_pkinfo *pk = c32_alloc(a, sizeof *pk, 8);
        return pk ? dec_pkinfo(a, &t, pk) : NOMEM;
    }
    case C32_T_ALT_NAME: {
        c32_array *arr = c32_alloc(a, sizeof *arr, 8);
        return arr ? dec_alt_names(a, &t, arr) : NOMEM;
    }
    case C32_T_KEY_USAGE:
    case C32_T_BITS: {
        c32_bits *b = c32_alloc(a, sizeof *b, 8);
        if (!b)
            return NOMEM;
        return t.tag == 0x03 ? dec_bits(a, &t, b) : C32_CRYPT_E_ASN1_BADTAG;
    }
    case C32_T_BASIC2: {
        c32_basic2 *b = c32_alloc(a, sizeof *b, 4);
        return b ? dec_basic2(&t, b) : NOMEM;
    }
    case C32_T_OCTETS: {
        c32_blob *b = c32_alloc(a, sizeof *b, 8);
        if (!b)
            return NOMEM;
        return t.tag == 0x04 ? c32_put_bytes(a, t.p, t.len, b) : C32_CRYPT_E_ASN1_BADTAG;
    }
    case C32_T_INTEGER:
    case C32_T_ENUMERATED: {
        int32_t *v = c32_alloc(a, sizeof *v, 4);
        if (!v)
            return NOMEM;
        if (t.tag != (type == C32_T_INTEGER ? 0x02 : 0x0a))
            return C32_CRYPT_E_ASN1_BADTAG;
        if (!t.len || t.len > 4)
            return C32_CRYPT_E_ASN1_LARGE;
        uint32_t x = (t.p[0] & 0x80) ? 0xffffffffu : 0;
        for (size_t i = 0; i < t.len; i++)
            x = x << 8 | t.p[i];
        *v = (int32_t)x;
        return 0;
    }
    case C32_T_MULTI_INTEGER: {
        c32_blob *b = c32_alloc(a, sizeof *b, 8);
        return b ? c32_dec_int_blob(a, &t, b) : NOMEM;
    }
    case C32_T_ENHKEY_USAGE: {
        c32_array *arr = c32_alloc(a, sizeof *arr, 8);
        return arr ? dec_enhkey_usage(a, &t, arr) : NOMEM;
    }
    case C32_T_CTL: {
        c32_ctlinfo *ci = c32_alloc(a, sizeof *ci, 8);
        return ci ? dec_ctlinfo(a, &t, ci) : NOMEM;
    }
    default:
        return C32_ERROR_FILE_NOT_FOUND;
    }
}

void *c32_decode_alloc(int type, const uint8_t *in, size_t len, uint32_t *err)
{
    for (size_t cap = 512 + len * 8;; cap *= 2) {
        c32_arena a = {malloc(cap), 0, 0, cap, false};
        if (!a.buf) {
            *err = C32_ERROR_NOT_ENOUGH_MEMORY;
            return NULL;
        }
        a.vbase = (uint64_t)(uintptr_t)a.buf;
        *err = c32_decode(&a, type, in, len);
        if (!*err)
            return a.buf;
        free(a.buf);
        if (!a.over || cap > ((size_t)64 << 20))
            return NULL;
    }
}
