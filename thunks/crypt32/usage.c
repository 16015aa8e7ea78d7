/* SPDX-License-Identifier: MIT */
/* crypt32's enhanced key usage (RFC 5280 4.2.1.12, "extended key usage"): what a certificate
 * may be used for, from its property (CERT_ENH_KEY_USAGE_PROP_ID, the encoded
 * X509_ENHANCED_KEY_USAGE a program set) or its extension (2.5.29.37).
 * CertGetEnhancedKeyUsage reads the property, else the extension (CERT_FIND_EXT_ONLY_ and
 * CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG: one of them); with neither it gives an empty usage
 * and CRYPT_E_NOT_FOUND as the last error ("good for every use") when no flag was given, else
 * fails with CRYPT_E_NOT_FOUND. CertSetEnhancedKeyUsage encodes the usage into the property
 * (NULL removes it); CertAdd/RemoveEnhancedKeyUsageIdentifier edit the property's list. The
 * structure is decoded by asn1.c into the caller's buffer, its pointers pointing into it. */
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"

BOOL WINAPI CertGetCertificateContextProperty(const void *ctx, DWORD id, void *data, DWORD *len);
BOOL WINAPI CertSetCertificateContextProperty(const void *ctx, DWORD id, DWORD flags,
                                              const void *data);
BOOL WINAPI CryptEncodeObjectEx(DWORD enc, const char *type, const void *info, DWORD flags,
                                const void *para, void *out, DWORD *len);

#define C32_ENH_KEY_USAGE_PROP 9u
#define C32_FIND_EXT_ONLY 0x2u
#define C32_FIND_PROP_ONLY 0x4u
#define C32_X509_ASN 0x1u
#define C32_X509_ENHANCED_KEY_USAGE ((const char *)(uintptr_t)C32_T_ENHKEY_USAGE)

/* The property's DER (malloc'd) or NULL; *len its length. The last error is left alone. */
static uint8_t *c32_usage_prop(const void *ctx, DWORD *len)
{
    uint32_t saved = thk_get_last_error();
    *len = 0;
    if (!CertGetCertificateContextProperty(ctx, C32_ENH_KEY_USAGE_PROP, NULL, len)) {
        thk_set_last_error(saved);
        return NULL;
    }
    uint8_t *p = malloc(*len ? *len : 1);
    if (p && !CertGetCertificateContextProperty(ctx, C32_ENH_KEY_USAGE_PROP, p, len)) {
        free(p);
        p = NULL;
    }
    return p;
}

/* Decodes `der` as CERT_ENHKEY_USAGE for the address `at`: a native block (malloc'd) of *size
 * bytes, NULL with *err set. */
static uint8_t *c32_usage_decode(const uint8_t *der, size_t len, uint64_t at, size_t *size,
                                 uint32_t *err)
{
    for (size_t cap = 256 + len * 8;; cap *= 2) {
        c32_arena a = {malloc(cap), at, 0, cap, false};
        if (!a.buf) {
            *err = C32_ERROR_NOT_ENOUGH_MEMORY;
            return NULL;
        }
        if (!at)
            a.vbase = (uint64_t)(uintptr_t)a.buf;
        *err = c32_decode(&a, C32_T_ENHKEY_USAGE, der, len);
        if (!*err) {
            *size = a.off;
            return a.buf;
        }
        free(a.buf);
        if (!a.over || cap > ((size_t)16 << 20))
            return NULL;
    }
}

BOOL WINAPI CertGetEnhancedKeyUsage(const void *ctx, DWORD flags, void *usage, DWORD *len)
{
    c32_cert *c = c32_cert_get(ctx);
    if (!c || !len) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    uint8_t *prop = NULL;
    const uint8_t *der = NULL;
    DWORD der_len = 0;
    if (!(flags & C32_FIND_EXT_ONLY) && (prop = c32_usage_prop(ctx, &der_len)))
        der = prop;
    if (!der && !(flags & C32_FIND_PROP_ONLY)) {
        const c32_ext *e = (const c32_ext *)(uintptr_t)c->info->exts;
        for (uint32_t i = 0; i < c->info->n_ext && !der; i++)
            if (!strcmp((const char *)(uintptr_t)e[i].oid, "2.5.29.37")) {
                der = (const uint8_t *)(uintptr_t)e[i].value.pb;
                der_len = e[i].value.cb;
            }
    }
    if (!der) {
        if (flags) {
            thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
            return FALSE;
        }
        /* no usage anywhere: good for every use */
        if (usage && *len < sizeof(c32_array)) {
            *len = sizeof(c32_array);
            thk_set_last_error(C32_ERROR_MORE_DATA);
            return FALSE;
        }
        if (usage)
            memset(usage, 0, sizeof(c32_array));
        *len = sizeof(c32_array);
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
        return TRUE;
    }
    size_t size;
    uint32_t err;
    uint8_t *block = c32_usage_decode(der, der_len, (uint64_t)(uintptr_t)usage, &size, &err);
    free(prop);
    if (!block) {
        thk_set_last_error(err);
        return FALSE;
    }
    BOOL ok = TRUE;
    if (usage && *len < size) {
        thk_set_last_error(C32_ERROR_MORE_DATA);
        ok = FALSE;
    } else if (usage) {
        memcpy(usage, block, size);
    }
    *len = (DWORD)size;
    free(block);
    return ok;
}
THK_EXPORT(crypt32, CertGetEnhancedKeyUsage, 4);

BOOL WINAPI CertSetEnhancedKeyUsage(const void *ctx, const void *usage)
{
    if (!c32_cert_get(ctx)) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    if (!usage)
        return CertSetCertificateContextProperty(ctx, C32_ENH_KEY_USAGE_PROP, 0, NULL);
    DWORD n = 0;
    if (!CryptEncodeObjectEx(C32_X509_ASN, C32_X509_ENHANCED_KEY_USAGE, usage, 0, NULL, NULL, &n))
        return FALSE;
    uint8_t *der = malloc(n);
    if (!der) {
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = CryptEncodeObjectEx(C32_X509_ASN, C32_X509_ENHANCED_KEY_USAGE, usage, 0, NULL, der,
                                  &n);
    if (ok) {
        c32_blob b = {n, 0, (uint64_t)(uintptr_t)der};
        ok = CertSetCertificateContextProperty(ctx, C32_ENH_KEY_USAGE_PROP, 0, &b);
    }
    free(der);
    return ok;
}
THK_EXPORT(crypt32, CertSetEnhancedKeyUsage, 2);

/* The property's OIDs with `oid` added (add) or taken out, set back; native memory only. */
static BOOL c32_usage_edit(const void *ctx, const char *oid, bool add)
{
    if (!c32_cert_get(ctx) || !oid) {
        thk_set_last_error(C32_E_INVALIDARG);
        return FALSE;
    }
    DWORD der_len;
    uint8_t *prop = c32_usage_prop(ctx, &der_len);
    const c32_array *cur = NULL;
    uint8_t *block = NULL;
    size_t size;
    uint32_t err;
    if (prop && !(block = c32_usage_decode(prop, der_len, 0, &size, &err))) {
        free(prop);
        thk_set_last_error(err);
        return FALSE;
    }
    free(prop);
    cur = (const c32_array *)block;
    uint32_t n = cur ? cur->n : 0;
    const uint64_t *old = cur ? (const uint64_t *)(uintptr_t)cur->items : NULL;
    uint64_t *oids = malloc((n + 1) * sizeof *oids);
    if (!oids) {
        free(block);
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    uint32_t k = 0;
    bool found = false;
    for (uint32_t i = 0; i < n; i++) {
        bool same = !strcmp((const char *)(uintptr_t)old[i], oid);
        found |= same;
        if (!same || add)
            oids[k++] = old[i];
    }
    BOOL ok = TRUE;
    if (add && !found)
        oids[k++] = (uint64_t)(uintptr_t)oid;
    if (add ? !found : found) {
        c32_array u = {k, 0, (uint64_t)(uintptr_t)oids};
        ok = CertSetEnhancedKeyUsage(ctx, &u);
    }
    free(oids);
    free(block);
    return ok;
}

BOOL WINAPI CertAddEnhancedKeyUsageIdentifier(const void *ctx, const char *oid)
{
    return c32_usage_edit(ctx, oid, true);
}
THK_EXPORT(crypt32, CertAddEnhancedKeyUsageIdentifier, 2);

BOOL WINAPI CertRemoveEnhancedKeyUsageIdentifier(const void *ctx, const char *oid)
{
    return c32_usage_edit(ctx, oid, false);
}
THK_EXPORT(crypt32, CertRemoveEnhancedKeyUsageIdentifier, 2);
