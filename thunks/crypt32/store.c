/* SPDX-License-Identifier: MIT */
/* crypt32's certificate stores, honestly empty: there are no system certificates here (no
 * "ROOT", "CA" or "MY" contents), so CertOpenStore (memory, system and registry providers,
 * by number or by name) and CertOpenSystemStoreA/W give a store with nothing in it,
 * CertEnumCertificatesInStore/CertEnumCRLsInStore/CertFindCertificateInStore end at once with
 * CRYPT_E_NOT_FOUND, and CertCloseStore/CertDuplicateStore keep the reference count. A program
 * that verifies a server against the system roots therefore gets no trust anchor, as on a
 * machine whose root store was emptied. Not done: adding certificates to a store
 * (CertAddEncodedCertificateToStore) and parsing one (CertCreateCertificateContext). */
#include <stdlib.h>
#include "runtime/win.h"
#include "thunks/thunks.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define CST_MAGIC 0x4e545354u /* "TSTN" */
#define CST_CRYPT_E_NOT_FOUND 0x80092004u
#define CST_ERROR_INVALID_PARAMETER 87u
#define CST_ERROR_NOT_ENOUGH_MEMORY 8u
#define CST_CERT_CLOSE_STORE_CHECK_FLAG 2u
#define CST_CRYPT_E_PENDING_CLOSE 0x8009200Fu

typedef struct {
    uint32_t magic;
    int32_t refs;
} cst_store;

static cst_store *cst_new(void)
{
    cst_store *s = malloc(sizeof *s);
    if (!s) {
        thk_set_last_error(CST_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    s->magic = CST_MAGIC;
    s->refs = 1;
    return s;
}

/* every provider (CERT_STORE_PROV_MEMORY, _SYSTEM(_A/_W), _SYSTEM_REGISTRY, "Memory",
 * "System", ...) opens the same empty store */
void *WINAPI CertOpenStore(const char *provider, DWORD encoding, ULONG_PTR prov, DWORD flags,
                           const void *para)
{
    (void)provider, (void)encoding, (void)prov, (void)flags, (void)para;
    return cst_new();
}
THK_EXPORT(crypt32, CertOpenStore, 5);

void *WINAPI CertOpenSystemStoreW(ULONG_PTR prov, const WCHAR *name)
{
    (void)prov;
    if (!name) {
        thk_set_last_error(CST_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return cst_new();
}
THK_EXPORT(crypt32, CertOpenSystemStoreW, 2);

void *WINAPI CertOpenSystemStoreA(ULONG_PTR prov, const char *name)
{
    (void)prov;
    if (!name) {
        thk_set_last_error(CST_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return cst_new();
}
THK_EXPORT(crypt32, CertOpenSystemStoreA, 2);

void *WINAPI CertDuplicateStore(void *h)
{
    cst_store *s = h;
    if (s && s->magic == CST_MAGIC)
        __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    return h;
}
THK_EXPORT(crypt32, CertDuplicateStore, 1);

BOOL WINAPI CertCloseStore(void *h, DWORD flags)
{
    cst_store *s = h;
    if (!s)
        return TRUE;
    if (s->magic != CST_MAGIC) {
        thk_set_last_error(CST_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0) {
        if (flags & CST_CERT_CLOSE_STORE_CHECK_FLAG) {
            thk_set_last_error(CST_CRYPT_E_PENDING_CLOSE);
            return FALSE;
        }
        return TRUE;
    }
    s->magic = 0;
    free(s);
    return TRUE;
}
THK_EXPORT(crypt32, CertCloseStore, 2);

const void *WINAPI CertEnumCertificatesInStore(void *h, const void *prev)
{
    (void)h, (void)prev; /* no context was ever handed out, so `prev` is NULL or not ours */
    thk_set_last_error(CST_CRYPT_E_NOT_FOUND);
    return NULL;
}
THK_EXPORT(crypt32, CertEnumCertificatesInStore, 2);

const void *WINAPI CertEnumCRLsInStore(void *h, const void *prev)
{
    (void)h, (void)prev;
    thk_set_last_error(CST_CRYPT_E_NOT_FOUND);
    return NULL;
}
THK_EXPORT(crypt32, CertEnumCRLsInStore, 2);

const void *WINAPI CertFindCertificateInStore(void *h, DWORD encoding, DWORD flags, DWORD type,
                                              const void *para, const void *prev)
{
    (void)h, (void)encoding, (void)flags, (void)type, (void)para, (void)prev;
    thk_set_last_error(CST_CRYPT_E_NOT_FOUND);
    return NULL;
}
THK_EXPORT(crypt32, CertFindCertificateInStore, 6);

/* no certificate context exists, so there is nothing to free (NULL is fine, as on Windows) */
BOOL WINAPI CertFreeCertificateContext(const void *ctx)
{
    (void)ctx;
    return TRUE;
}
THK_EXPORT(crypt32, CertFreeCertificateContext, 1);
