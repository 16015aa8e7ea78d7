/* SPDX-License-Identifier: MIT */
/* crypt32's names as text: CertNameToStrW/A (CERT_SIMPLE_NAME_STR, CERT_OID_NAME_STR,
 * CERT_X500_NAME_STR with its keys CN, O, OU, C, S, L, E, ...; "OID.x.y" for others; the
 * REVERSE, SEMICOLON, CRLF, NO_PLUS and NO_QUOTING flags; a value with , + = " < > # ; CR LF
 * or an outer space quoted, its quotes doubled) and CertRDNValueToStrW/A. Sizes count
 * characters with the NUL; a short buffer gets what fits and a NUL. */
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/kernel32/kernel32_private.h"

#define C32_SIMPLE_NAME_STR 1u
#define C32_OID_NAME_STR 2u
#define C32_X500_NAME_STR 3u
#define C32_STR_SEMICOLON 0x40000000u
#define C32_STR_NO_PLUS 0x20000000u
#define C32_STR_NO_QUOTING 0x10000000u
#define C32_STR_CRLF 0x08000000u
#define C32_STR_REVERSE 0x02000000u

void c32_wput(c32_wstr *s, const WCHAR *w, size_t n)
{
    if (s->failed)
        return;
    if (s->n + n + 1 > s->cap) {
        size_t cap = (s->n + n + 1) * 2;
        WCHAR *p = realloc(s->p, cap * sizeof(WCHAR));
        if (!p) {
            s->failed = true;
            return;
        }
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->n, w, n * sizeof(WCHAR));
    s->n += n;
    s->p[s->n] = 0;
}

void c32_wputa(c32_wstr *s, const char *a)
{
    for (; *a; a++) {
        WCHAR c = (WCHAR)(unsigned char)*a;
        c32_wput(s, &c, 1);
    }
}

DWORD c32_wgive(const c32_wstr *s, WCHAR *out, DWORD cch)
{
    if (!out || !cch)
        return (DWORD)s->n + 1;
    DWORD n = (DWORD)s->n < cch - 1 ? (DWORD)s->n : cch - 1;
    if (n)
        memcpy(out, s->p, n * sizeof(WCHAR));
    out[n] = 0;
    return n + 1;
}

void c32_value_str(uint32_t type, const c32_blob *v, c32_wstr *s)
{
    const uint8_t *p = (const uint8_t *)(uintptr_t)v->pb;
    if (type == C32_RDN_ENCODED_BLOB || type == C32_RDN_OCTET_STRING) {
        static const char hexd[] = "0123456789ABCDEF";
        for (uint32_t i = 0; i < v->cb; i++) {
            WCHAR h[2] = {(WCHAR)hexd[p[i] >> 4], (WCHAR)hexd[p[i] & 15]};
            c32_wput(s, h, 2);
        }
    } else if (type == C32_RDN_UTF8_STRING || type == C32_RDN_BMP_STRING ||
               type == C32_RDN_UNIVERSAL_STRING) {
        c32_wput(s, (const WCHAR *)p, v->cb / sizeof(WCHAR));
    } else {
        for (uint32_t i = 0; i < v->cb; i++) {
            WCHAR c = p[i];
            c32_wput(s, &c, 1);
        }
    }
}

static const struct {
    const char *oid, *key;
} c32_x500_keys[] = {
    {"2.5.4.3", "CN"},          {"2.5.4.4", "SN"},
    {"2.5.4.5", "SERIALNUMBER"}, {"2.5.4.6", "C"},
    {"2.5.4.7", "L"},           {"2.5.4.8", "S"},
    {"2.5.4.9", "STREET"},      {"2.5.4.10", "O"},
    {"2.5.4.11", "OU"},         {"2.5.4.12", "T"},
    {"2.5.4.13", "Description"}, {"2.5.4.17", "PostalCode"},
    {"2.5.4.18", "POBox"},      {"2.5.4.20", "Phone"},
    {"2.5.4.42", "G"},          {"2.5.4.43", "I"},
    {"2.5.4.46", "dnQualifier"}, {"1.2.840.113549.1.9.1", "E"},
    {"0.9.2342.19200300.100.1.25", "DC"},
};

static bool c32_needs_quotes(const c32_wstr *v)
{
    if (!v->n)
        return true;
    if (v->p[0] == u' ' || v->p[v->n - 1] == u' ')
        return true;
    for (size_t i = 0; i < v->n; i++)
        if (v->p[i] < 0x80 && strchr(",+=\"<>#;\r\n", (int)v->p[i]) && v->p[i])
            return true;
    return false;
}

const c32_rdn_attr *c32_find_attr(const c32_array *name, const char *oid)
{
    const c32_array *rdns = (const c32_array *)(uintptr_t)name->items;
    for (uint32_t i = 0; i < name->n; i++) {
        const c32_rdn_attr *at = (const c32_rdn_attr *)(uintptr_t)rdns[i].items;
        for (uint32_t j = 0; j < rdns[i].n; j++)
            if (!strcmp((const char *)(uintptr_t)at[j].oid, oid))
                return &at[j];
    }
    return NULL;
}

void c32_name_to_str(const c32_array *name, uint32_t str_type, c32_wstr *s)
{
    uint32_t form = str_type & 0xff;
    const char *sep = str_type & C32_STR_SEMICOLON ? "; " : str_type & C32_STR_CRLF ? "\r\n"
                                                                                     : ", ";
    const char *plus = str_type & C32_STR_NO_PLUS ? " " : " + ";
    const c32_array *rdns = (const c32_array *)(uintptr_t)name->items;
    for (uint32_t k = 0; k < name->n; k++) {
        uint32_t i = str_type & C32_STR_REVERSE ? name->n - 1 - k : k;
        if (k)
            c32_wputa(s, sep);
        const c32_rdn_attr *at = (const c32_rdn_attr *)(uintptr_t)rdns[i].items;
        for (uint32_t j = 0; j < rdns[i].n; j++) {
            if (j)
                c32_wputa(s, plus);
            const char *oid = (const char *)(uintptr_t)at[j].oid;
            if (form == C32_OID_NAME_STR) {
                c32_wputa(s, oid);
                c32_wputa(s, "=");
            } else if (form == C32_X500_NAME_STR) {
                const char *key = NULL;
                for (size_t m = 0; m < sizeof c32_x500_keys / sizeof c32_x500_keys[0]; m++)
                    if (!strcmp(oid, c32_x500_keys[m].oid))
                        key = c32_x500_keys[m].key;
                if (!key)
                    c32_wputa(s, "OID.");
                c32_wputa(s, key ? key : oid);
                c32_wputa(s, "=");
            }
            c32_wstr v = {0};
            c32_value_str(at[j].type, &at[j].value, &v);
            if (at[j].type == C32_RDN_ENCODED_BLOB || at[j].type == C32_RDN_OCTET_STRING) {
                c32_wputa(s, "#");
                c32_wput(s, v.p, v.n);
            } else if (!(str_type & C32_STR_NO_QUOTING) && c32_needs_quotes(&v)) {
                c32_wputa(s, "\"");
                for (size_t m = 0; m < v.n; m++) {
                    if (v.p[m] == u'"')
                        c32_wputa(s, "\"");
                    c32_wput(s, &v.p[m], 1);
                }
                c32_wputa(s, "\"");
            } else {
                c32_wput(s, v.p, v.n);
            }
            if (v.failed)
                s->failed = true;
            free(v.p);
        }
    }
}

/* A W string given as A in the ANSI code page, Windows' sizes (bytes with the NUL). */
static DWORD c32_give_a(const c32_wstr *s, char *out, DWORD cch)
{
    int need = WideCharToMultiByte(0 /* CP_ACP */, 0, s->p ? s->p : u"", (int)s->n + 1, NULL, 0,
                                   NULL, NULL);
    if (!out || !cch)
        return (DWORD)need;
    int got = WideCharToMultiByte(0, 0, s->p ? s->p : u"", (int)s->n + 1, out, (int)cch, NULL,
                                  NULL);
    if (!got) { /* too short: what fits, ended */
        char *tmp = malloc((size_t)need);
        if (!tmp) {
            out[0] = 0;
            return 1;
        }
        WideCharToMultiByte(0, 0, s->p ? s->p : u"", (int)s->n + 1, tmp, need, NULL, NULL);
        memcpy(out, tmp, cch - 1);
        out[cch - 1] = 0;
        free(tmp);
        return cch;
    }
    return (DWORD)got;
}

static DWORD c32_name_str(uint32_t enc, const c32_blob *blob, uint32_t type, c32_wstr *s)
{
    (void)enc;
    if (!blob)
        return C32_ERROR_INVALID_PARAMETER;
    uint8_t *in = blob->cb ? malloc(blob->cb) : NULL;
    if (blob->cb && (!in || rt_safe_copy(in, (const void *)(uintptr_t)blob->pb, blob->cb))) {
        free(in);
        return C32_CRYPT_E_ASN1_EOD;
    }
    uint32_t err;
    c32_array *name = c32_decode_alloc(C32_T_NAME, in, blob->cb, &err);
    free(in);
    if (!name)
        return err;
    c32_name_to_str(name, type, s);
    free(name);
    return 0;
}

DWORD WINAPI CertNameToStrW(DWORD enc, const c32_blob *blob, DWORD type, WCHAR *out, DWORD cch)
{
    c32_wstr s = {0};
    DWORD err = c32_name_str(enc, blob, type, &s);
    DWORD n;
    if (err) { /* an empty string, as Windows gives for a name it cannot read */
        s.n = 0;
        n = c32_wgive(&s, out, cch);
        if (out && cch)
            out[0] = 0;
    } else {
        n = c32_wgive(&s, out, cch);
    }
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertNameToStrW, 5);

DWORD WINAPI CertNameToStrA(DWORD enc, const c32_blob *blob, DWORD type, char *out, DWORD cch)
{
    c32_wstr s = {0};
    if (c32_name_str(enc, blob, type, &s))
        s.n = 0;
    DWORD n = c32_give_a(&s, out, cch);
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertNameToStrA, 5);

DWORD WINAPI CertRDNValueToStrW(DWORD type, const c32_blob *v, WCHAR *out, DWORD cch)
{
    c32_wstr s = {0};
    if (v && v->cb && v->pb && type != C32_RDN_ENCODED_BLOB && type != C32_RDN_OCTET_STRING)
        c32_value_str(type, v, &s);
    DWORD n = c32_wgive(&s, out, cch);
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertRDNValueToStrW, 4);

DWORD WINAPI CertRDNValueToStrA(DWORD type, const c32_blob *v, char *out, DWORD cch)
{
    c32_wstr s = {0};
    if (v && v->cb && v->pb && type != C32_RDN_ENCODED_BLOB && type != C32_RDN_OCTET_STRING)
        c32_value_str(type, v, &s);
    DWORD n = c32_give_a(&s, out, cch);
    free(s.p);
    return n;
}
THK_EXPORT(crypt32, CertRDNValueToStrA, 4);
