/* SPDX-License-Identifier: MIT */
/* crypt32's simplified message functions over the low-level messages (msg.c):
 * - CryptSignMessage: a signed message (CMSG_SIGNED, PKCS #7) of the pieces given, one signer:
 *   the signing certificate, whose private key is the NCrypt key its CERT_NCRYPT_KEY_HANDLE
 *   property or its CERT_KEY_CONTEXT property (dwKeySpec CERT_NCRYPT_KEY_SPEC) names
 *   (CRYPT_E_NO_KEY_PROPERTY without one: this advapi32 has no key containers); the
 *   certificates and CRLs asked for, attached or detached.
 * - CryptVerifyMessageSignature and CryptVerifyDetachedMessageSignature: signer dwSignerIndex's
 *   certificate from the program's callback (pfnGetSignerCertificate) or else the message's
 *   own certificates (by issuer and serial number), its signature checked; the content and the
 *   signer's certificate given back.
 * - CryptGetMessageSignerCount; CertOpenStore(CERT_STORE_PROV_MSG) of a message's certificates
 *   and CRLs (store.c calls c32_store_open_msg).
 * - CryptEncryptMessage: an enveloped message (CMSG_ENVELOPED) of the content for the
 *   recipients' certificates with the ContentEncryptionAlgorithm asked for.
 * - CryptDecryptMessage: the first recipient of the message whose certificate is in one of the
 *   stores (by issuer and serial number, or subject key identifier; for a key-agreement
 *   recipient, any of its encrypted keys') with an NCrypt key property as CryptSignMessage reads
 *   it decrypts it (CRYPT_E_NO_DECRYPT_CERT when none has); the content and that certificate
 *   given back. */
#include <stdlib.h>
#include <string.h>
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"

#define S_PKCS7_ENCODING 0x10000u
#define S_DETACHED_FLAG 4u
#define S_E_INVALIDARG 0x80070057u
#define S_CRYPT_E_NO_KEY_PROPERTY 0x8009200Bu
#define S_CRYPT_E_UNEXPECTED_MSG_TYPE 0x8009200Au
#define S_CRYPT_E_NO_SIGNER 0x8009200Eu
#define S_CRYPT_E_NO_DECRYPT_CERT 0x8009200Cu
#define S_NCRYPT_KEY_SPEC 0xffffffffu

/* CRYPT_SIGN_MESSAGE_PARA (x64) */
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t enc;          /* 0x04 dwMsgEncodingType */
    uint64_t cert;         /* 0x08 pSigningCert */
    c32_algid hash;        /* 0x10 HashAlgorithm */
    uint64_t hash_aux;     /* 0x28 pvHashAuxInfo */
    uint32_t n_certs;      /* 0x30 cMsgCert */
    uint32_t pad_;
    uint64_t certs;        /* 0x38 rgpMsgCert */
    uint32_t n_crls;       /* 0x40 cMsgCrl */
    uint32_t pad2_;
    uint64_t crls;         /* 0x48 rgpMsgCrl */
    uint32_t n_auth;       /* 0x50 cAuthAttr */
    uint32_t pad3_;
    uint64_t auth;         /* 0x58 rgAuthAttr */
    uint32_t n_unauth;     /* 0x60 cUnauthAttr */
    uint32_t pad4_;
    uint64_t unauth;       /* 0x68 rgUnauthAttr */
    uint32_t flags;        /* 0x70 dwFlags */
    uint32_t inner;        /* 0x74 dwInnerContentType */
} s_sign_para;
_Static_assert(offsetof(s_sign_para, n_certs) == 0x30 && sizeof(s_sign_para) == 0x78,
               "CRYPT_SIGN_MESSAGE_PARA");

/* CMSG_SIGNER_ENCODE_INFO and CMSG_SIGNED_ENCODE_INFO, as msg.c reads them */
typedef struct {
    uint32_t size;
    uint32_t pad_;
    uint64_t cert_info, key;
    uint32_t key_spec, pad2_;
    c32_algid hash;
    uint64_t hash_aux;
    uint32_t n_auth, pad3_;
    uint64_t auth;
    uint32_t n_unauth, pad4_;
    uint64_t unauth;
} s_signer_encode;
typedef struct {
    uint32_t size, n_signers;
    uint64_t signers;
    uint32_t n_certs, pad_;
    uint64_t certs;
    uint32_t n_crls, pad2_;
    uint64_t crls;
} s_signed_encode;
_Static_assert(sizeof(s_signer_encode) == 0x60 && sizeof(s_signed_encode) == 0x30,
               "CMSG_SIGNER_ENCODE_INFO, CMSG_SIGNED_ENCODE_INFO");

/* CRYPT_VERIFY_MESSAGE_PARA (x64) */
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t enc;          /* 0x04 dwMsgAndCertEncodingType */
    uint64_t prov;         /* 0x08 hCryptProv */
    uint64_t get_cert;     /* 0x10 pfnGetSignerCertificate */
    uint64_t arg;          /* 0x18 pvGetArg */
} s_verify_para;
_Static_assert(sizeof(s_verify_para) == 0x20, "CRYPT_VERIFY_MESSAGE_PARA");

void *WINAPI CryptMsgOpenToEncode(DWORD enc, DWORD flags, DWORD type, const void *info,
                                  const char *inner, const void *stream);
BOOL WINAPI CryptMsgUpdate(void *h, const BYTE *data, DWORD n, BOOL final);
BOOL WINAPI CryptMsgGetParam(void *h, DWORD param, DWORD index, void *out, DWORD *len);
BOOL WINAPI CryptMsgClose(void *h);
BOOL WINAPI CertCloseStore(void *h, DWORD flags);
void *WINAPI CertOpenStore(const char *provider, DWORD encoding, ULONG_PTR prov, DWORD flags,
                           const void *para);
const void *WINAPI CertEnumCertificatesInStore(void *h, const void *prev);
const void *WINAPI CertDuplicateCertificateContext(const void *ctx);

/* The NCrypt key a certificate's properties name, or 0 */
static uint64_t s_cert_key(c32_cert *c)
{
    uint64_t key = 0;
    c32_lock();
    for (const c32_prop *p = c->props; p && !key; p = p->next) {
        if (p->id == C32_NCRYPT_KEY_HANDLE_PROP && p->len == 8) {
            memcpy(&key, p->data, 8);
        } else if (p->id == C32_KEY_CONTEXT_PROP && p->len == 24) {
            uint32_t spec; /* CERT_KEY_CONTEXT: cbSize, hCryptProv/hNCryptKey, dwKeySpec */
            memcpy(&spec, p->data + 16, 4);
            if (spec == S_NCRYPT_KEY_SPEC)
                memcpy(&key, p->data + 8, 8);
        }
    }
    c32_unlock();
    return key;
}

/* A program's array of n certificate or CRL contexts as CERT_BLOBs (malloc'd); NULL on a bad
 * one (E_INVALIDARG) */
static c32_blob *s_blobs(uint64_t rg, uint32_t n, bool crl)
{
    c32_blob *b = calloc(n ? n : 1, sizeof *b);
    for (uint32_t i = 0; b && i < n; i++) {
        uint64_t ctx;
        c32_cert *c = NULL;
        if (!rt_safe_copy(&ctx, (const uint64_t *)(uintptr_t)rg + i, 8))
            c = crl ? c32_crl_get((const void *)(uintptr_t)ctx)
                    : c32_cert_get((const void *)(uintptr_t)ctx);
        if (!c) {
            free(b);
            return NULL;
        }
        b[i].cb = c->ctx.enc_len;
        b[i].pb = (uint64_t)(uintptr_t)c->enc;
    }
    return b;
}

BOOL WINAPI CryptSignMessage(const void *para, BOOL detached, DWORD n, const BYTE **pieces,
                             const DWORD *sizes, BYTE *out, DWORD *out_len)
{
    s_sign_para sp;
    if (!para || !out_len || rt_safe_copy(&sp, para, sizeof sp) ||
        (sp.size != sizeof sp && sp.size != 0x98) || !(sp.enc & S_PKCS7_ENCODING)) {
        thk_set_last_error(S_E_INVALIDARG);
        return FALSE;
    }
    c32_cert *cert = c32_cert_get((const void *)(uintptr_t)sp.cert);
    if (!cert) {
        thk_set_last_error(S_E_INVALIDARG);
        return FALSE;
    }
    uint64_t key = s_cert_key(cert);
    if (!key) {
        thk_set_last_error(S_CRYPT_E_NO_KEY_PROPERTY);
        return FALSE;
    }
    s_signer_encode se = {.size = sizeof se,
                          .cert_info = (uint64_t)(uintptr_t)cert->info,
                          .key = key,
                          .key_spec = S_NCRYPT_KEY_SPEC,
                          .hash = sp.hash,
                          .n_auth = sp.n_auth,
                          .auth = sp.auth,
                          .n_unauth = sp.n_unauth,
                          .unauth = sp.unauth};
    c32_blob *certs = s_blobs(sp.certs, sp.n_certs, false);
    c32_blob *crls = s_blobs(sp.crls, sp.n_crls, true);
    BOOL ok = FALSE;
    void *m = NULL;
    if (!certs || !crls) {
        thk_set_last_error(S_E_INVALIDARG);
        goto free_blobs;
    }
    s_signed_encode info = {sizeof info, 1,        (uint64_t)(uintptr_t)&se, sp.n_certs, 0,
                            (uint64_t)(uintptr_t)certs, sp.n_crls, 0, (uint64_t)(uintptr_t)crls};
    /* the locks are the context references the program holds while this runs */
    m = CryptMsgOpenToEncode(sp.enc, detached ? S_DETACHED_FLAG : 0, 2 /* CMSG_SIGNED */, &info,
                             NULL, NULL);
    if (!m)
        goto free_blobs;
    for (DWORD i = 0; i < n || i == 0; i++) {
        const BYTE *piece = NULL;
        DWORD size = 0;
        if (n && (rt_safe_copy(&piece, pieces + i, sizeof piece) ||
                  rt_safe_copy(&size, sizes + i, sizeof size))) {
            thk_set_last_error(S_E_INVALIDARG);
            goto close_msg;
        }
        /* attached: the pieces as one content; detached: each hashed in turn */
        if (!CryptMsgUpdate(m, piece, size, i + 1 >= n))
            goto close_msg;
    }
    ok = CryptMsgGetParam(m, 2 /* CMSG_CONTENT_PARAM */, 0, out, out_len);
close_msg:
    CryptMsgClose(m);
free_blobs:
    free(certs);
    free(crls);
    return ok;
}
THK_EXPORT(crypt32, CryptSignMessage, 7);

/* The signer's certificate: the program's callback's, or the one in the message's store with
 * the signer's issuer and serial number; a reference, or NULL with the last error set */
static const void *s_signer_cert(const s_verify_para *vp, c32_msg *m, uint32_t index,
                                 void *store)
{
    const uint8_t *issuer;
    size_t issuer_len;
    const c32_tlv *serial;
    if (!c32_msg_signer_id(m, index, &issuer, &issuer_len, &serial)) {
        thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
        return NULL;
    }
    if (vp->get_cert) {
        /* a CERT_INFO with the signer's Issuer and SerialNumber (little-endian) */
        c32_certinfo *ci = calloc(1, sizeof *ci);
        uint8_t *le = malloc(serial->len ? serial->len : 1);
        const void *c = NULL;
        if (ci && le) {
            for (size_t i = 0; i < serial->len; i++)
                le[i] = serial->p[serial->len - 1 - i];
            ci->issuer.cb = (uint32_t)issuer_len;
            ci->issuer.pb = (uint64_t)(uintptr_t)issuer;
            ci->serial.cb = (uint32_t)serial->len;
            ci->serial.pb = (uint64_t)(uintptr_t)le;
            c = (const void *)(uintptr_t)thk_call_foreign4(
                (const void *)(uintptr_t)vp->get_cert, vp->arg, vp->enc,
                (uint64_t)(uintptr_t)ci, (uint64_t)(uintptr_t)store);
            if (!c)
                thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
        }
        free(ci);
        free(le);
        return c;
    }
    for (const void *c = CertEnumCertificatesInStore(store, NULL); c;
         c = CertEnumCertificatesInStore(store, c)) {
        c32_cert *x = c32_cert_get(c);
        if (x && x->info->issuer.cb == issuer_len &&
            !memcmp((const void *)(uintptr_t)x->info->issuer.pb, issuer, issuer_len) &&
            c32_msg_serial_is((const uint8_t *)(uintptr_t)x->info->serial.pb,
                              x->info->serial.cb, serial))
            return c; /* the enumeration's reference is the one handed out */
    }
    thk_set_last_error(C32_CRYPT_E_NOT_FOUND);
    return NULL;
}

/* Both verifications: the message (with its content, or detached with `content`) */
static BOOL s_verify(const void *para, DWORD index, const BYTE *blob, DWORD blob_len,
                     bool detached, DWORD n_pieces, const BYTE **pieces, const DWORD *sizes,
                     BYTE *out, DWORD *out_len, const void **signer)
{
    s_verify_para vp;
    if (signer)
        *signer = NULL;
    uint32_t e = 0;
    uint8_t *data = NULL, *content = NULL;
    size_t content_len = 0;
    c32_msg *m = NULL;
    void *store = NULL;
    const void *cert = NULL;
    if (!para || rt_safe_copy(&vp, para, sizeof vp) || vp.size != sizeof vp ||
        !(vp.enc & S_PKCS7_ENCODING) || !blob ||
        !(data = malloc(blob_len ? blob_len : 1)) || rt_safe_copy(data, blob, blob_len)) {
        e = S_E_INVALIDARG;
        goto done;
    }
    if (detached) {
        for (DWORD i = 0; i < n_pieces && !e; i++) {
            const BYTE *piece;
            DWORD size;
            uint8_t *grown;
            if (rt_safe_copy(&piece, pieces + i, sizeof piece) ||
                rt_safe_copy(&size, sizes + i, sizeof size) ||
                !(grown = realloc(content, content_len + size + 1)) ||
                (content = grown, size && rt_safe_copy(content + content_len, piece, size)))
                e = S_E_INVALIDARG;
            else
                content_len += size;
        }
        if (e)
            goto done;
    }
    if (!(m = c32_msg_decode(data, blob_len, &e)))
        goto done;
    if (c32_msg_type(m) != 2) {
        e = S_CRYPT_E_UNEXPECTED_MSG_TYPE;
        goto done;
    }
    if (index >= c32_msg_signers(m)) {
        e = S_CRYPT_E_NO_SIGNER;
        goto done;
    }
    if (detached && (e = c32_msg_detached_content(m, content, content_len)))
        goto done;
    store = CertOpenStore((const char *)(uintptr_t)1 /* CERT_STORE_PROV_MSG */, vp.enc, 0, 0, m);
    if (!store || !(cert = s_signer_cert(&vp, m, index, store))) {
        e = thk_get_last_error();
        goto done;
    }
    c32_cert *c = c32_cert_get(cert);
    if (!c || !c->spki) {
        e = S_E_INVALIDARG;
        goto done;
    }
    if ((e = c32_msg_verify(m, index, c->spki, c->spki_len)))
        goto done;
    if (!detached && out_len) {
        const uint8_t *p;
        size_t n;
        c32_msg_content(m, &p, &n);
        if (out && *out_len < n) {
            *out_len = (DWORD)n;
            e = C32_ERROR_MORE_DATA;
            goto done;
        }
        if (out && rt_safe_copy(out, p, n)) {
            e = S_E_INVALIDARG;
            goto done;
        }
        *out_len = (DWORD)n;
    }
    if (signer) {
        *signer = cert;
        cert = NULL;
    }
done:
    if (e && out_len && e != C32_ERROR_MORE_DATA && !detached)
        *out_len = 0;
    if (cert)
        CertFreeCertificateContext(cert);
    if (store)
        CertCloseStore(store, 0);
    if (m)
        c32_msg_close(m);
    free(data);
    free(content);
    if (e)
        thk_set_last_error(e);
    return !e;
}

BOOL WINAPI CryptVerifyMessageSignature(const void *para, DWORD index, const BYTE *blob,
                                        DWORD blob_len, BYTE *out, DWORD *out_len,
                                        const void **signer)
{
    return s_verify(para, index, blob, blob_len, false, 0, NULL, NULL, out, out_len, signer);
}
THK_EXPORT(crypt32, CryptVerifyMessageSignature, 7);

BOOL WINAPI CryptVerifyDetachedMessageSignature(const void *para, DWORD index, const BYTE *blob,
                                                DWORD blob_len, DWORD n, const BYTE **pieces,
                                                const DWORD *sizes, const void **signer)
{
    return s_verify(para, index, blob, blob_len, true, n, pieces, sizes, NULL, NULL, signer);
}
THK_EXPORT(crypt32, CryptVerifyDetachedMessageSignature, 8);

LONG WINAPI CryptGetMessageSignerCount(DWORD enc, const BYTE *blob, DWORD len)
{
    uint32_t e = S_E_INVALIDARG;
    uint8_t *data = NULL;
    c32_msg *m = NULL;
    LONG n = -1;
    if (!(enc & S_PKCS7_ENCODING) || !blob || !(data = malloc(len ? len : 1)) ||
        rt_safe_copy(data, blob, len))
        goto done;
    if (!(m = c32_msg_decode(data, len, &e)))
        goto done;
    if (c32_msg_type(m) != 2)
        e = S_CRYPT_E_UNEXPECTED_MSG_TYPE;
    else
        n = (LONG)c32_msg_signers(m);
done:
    if (m)
        c32_msg_close(m);
    free(data);
    if (n < 0)
        thk_set_last_error(e);
    return n;
}
THK_EXPORT(crypt32, CryptGetMessageSignerCount, 3);

bool c32_store_open_msg(c32_store *s, const void *h)
{
    c32_msg *m = c32_msg_get(h);
    if (!m) {
        thk_set_last_error(S_E_INVALIDARG);
        return false;
    }
    const c32_tlv *certs, *crls;
    size_t n_certs, n_crls;
    c32_msg_certs(m, &certs, &n_certs, &crls, &n_crls);
    for (int crl = 0; crl < 2; crl++)
        for (size_t i = 0; i < (crl ? n_crls : n_certs); i++) {
            const c32_tlv *t = crl ? &crls[i] : &certs[i];
            c32_cert *c = crl ? c32_crl_new(1, t->tlv, (uint32_t)t->tlv_len)
                              : c32_cert_new(1, t->tlv, (uint32_t)t->tlv_len);
            if (!c || !c32_store_add(s, c, 4 /* CERT_STORE_ADD_ALWAYS */, NULL))
                return false;
        }
    return true;
}

/* CRYPT_ENCRYPT_MESSAGE_PARA and CRYPT_DECRYPT_MESSAGE_PARA (x64) */
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t enc;          /* 0x04 dwMsgEncodingType */
    uint64_t prov;         /* 0x08 hCryptProv */
    c32_algid alg;         /* 0x10 ContentEncryptionAlgorithm */
    uint64_t aux;          /* 0x28 pvEncryptionAuxInfo */
    uint32_t flags;        /* 0x30 dwFlags */
    uint32_t inner;        /* 0x34 dwInnerContentType */
} s_encrypt_para;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t enc;          /* 0x04 dwMsgAndCertEncodingType */
    uint32_t n_stores;     /* 0x08 cCertStore */
    uint32_t pad_;
    uint64_t stores;       /* 0x10 rghCertStore */
    uint32_t flags;        /* 0x18 dwFlags (cbSize 0x20) */
    uint32_t pad2_;
} s_decrypt_para;
typedef struct {
    uint32_t size, pad_;
    uint64_t prov;
    c32_algid alg;
    uint64_t aux;
    uint32_t n_recips, pad2_;
    uint64_t recips;
} s_enveloped_encode;
_Static_assert(sizeof(s_encrypt_para) == 0x38 && sizeof(s_decrypt_para) == 0x20 &&
                   sizeof(s_enveloped_encode) == 0x40,
               "CRYPT_ENCRYPT_MESSAGE_PARA, CRYPT_DECRYPT_MESSAGE_PARA, "
               "CMSG_ENVELOPED_ENCODE_INFO");

BOOL WINAPI CryptEncryptMessage(const void *para, DWORD n, const void **certs, const BYTE *in,
                                DWORD in_len, BYTE *out, DWORD *out_len)
{
    s_encrypt_para ep;
    if (!para || !out_len || rt_safe_copy(&ep, para, sizeof ep) || ep.size != sizeof ep ||
        !(ep.enc & S_PKCS7_ENCODING) || (n && !certs)) {
        thk_set_last_error(S_E_INVALIDARG);
        return FALSE;
    }
    uint64_t *infos = calloc(n ? n : 1, sizeof *infos);
    if (!infos) {
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = FALSE;
    for (DWORD i = 0; i < n; i++) {
        const void *ctx = NULL;
        c32_cert *c = rt_safe_copy(&ctx, certs + i, sizeof ctx) ? NULL : c32_cert_get(ctx);
        if (!c || !c->info) {
            thk_set_last_error(S_E_INVALIDARG);
            goto free_infos;
        }
        infos[i] = (uint64_t)(uintptr_t)c->info;
    }
    s_enveloped_encode info = {.size = sizeof info, .alg = ep.alg, .aux = ep.aux,
                               .n_recips = n, .recips = (uint64_t)(uintptr_t)infos};
    void *m = CryptMsgOpenToEncode(ep.enc, 0, 3 /* CMSG_ENVELOPED */, &info, NULL, NULL);
    if (!m)
        goto free_infos;
    if (CryptMsgUpdate(m, in, in_len, TRUE))
        ok = CryptMsgGetParam(m, 2 /* CMSG_CONTENT_PARAM */, 0, out, out_len);
    CryptMsgClose(m);
free_infos:
    free(infos);
    return ok;
}
THK_EXPORT(crypt32, CryptEncryptMessage, 7);

BOOL WINAPI CertFreeCertificateContext(const void *ctx);
BOOL WINAPI CertGetCertificateContextProperty(const void *ctx, DWORD id, void *data, DWORD *len);

/* The certificate of one of the stores that is recipient i's and has an NCrypt key: the
 * enumeration's reference, and the key in *key; NULL when none */
static const void *s_recipient_cert(const s_decrypt_para *dp, c32_msg *m, size_t i,
                                    uint64_t *key)
{
    for (uint32_t k = 0; k < dp->n_stores; k++) {
        void *store = NULL;
        if (rt_safe_copy(&store, (const void *)(uintptr_t)(dp->stores + 8 * k), sizeof store))
            return NULL;
        for (const void *c = CertEnumCertificatesInStore(store, NULL); c;
             c = CertEnumCertificatesInStore(store, c)) {
            c32_cert *x = c32_cert_get(c);
            uint8_t kid[64];
            DWORD kid_len = sizeof kid;
            bool named = x && x->info &&
                         c32_msg_recipient_is(m, i, (const uint8_t *)(uintptr_t)x->info->issuer.pb,
                                              x->info->issuer.cb,
                                              (const uint8_t *)(uintptr_t)x->info->serial.pb,
                                              x->info->serial.cb);
            if (x && x->info && !named && /* by its subject key identifier */
                CertGetCertificateContextProperty(c, 20 /* CERT_KEY_IDENTIFIER_PROP_ID */, kid,
                                                  &kid_len))
                named = c32_msg_recipient_key_is(m, i, kid, kid_len);
            if (named && (*key = s_cert_key(x)))
                return c;
        }
    }
    return NULL;
}

BOOL WINAPI CryptDecryptMessage(const void *para, const BYTE *blob, DWORD blob_len, BYTE *out,
                                DWORD *out_len, const void **xchg_cert)
{
    s_decrypt_para dp = {0};
    if (xchg_cert)
        rt_safe_copy(xchg_cert, &(const void *){NULL}, sizeof(void *));
    if (!para || rt_safe_copy(&dp, para, 0x18) ||
        (dp.size != 0x18 && dp.size != sizeof dp) || !(dp.enc & S_PKCS7_ENCODING) ||
        (dp.n_stores && !dp.stores) || !blob) {
        thk_set_last_error(S_E_INVALIDARG);
        return FALSE;
    }
    uint8_t *copy = malloc(blob_len ? blob_len : 1);
    if (!copy || rt_safe_copy(copy, blob, blob_len)) {
        free(copy);
        thk_set_last_error(S_E_INVALIDARG);
        return FALSE;
    }
    uint32_t err = 0;
    c32_msg *m = c32_msg_decode(copy, blob_len, &err);
    free(copy);
    if (!m) {
        thk_set_last_error(err);
        return FALSE;
    }
    BOOL ok = FALSE;
    const void *cert = NULL;
    uint64_t key = 0;
    if (c32_msg_type(m) != 3 /* CMSG_ENVELOPED */) {
        thk_set_last_error(S_CRYPT_E_UNEXPECTED_MSG_TYPE);
        goto close_msg;
    }
    for (size_t i = 0; i < c32_msg_recipients(m) && !cert; i++) {
        if (!(cert = s_recipient_cert(&dp, m, i, &key)))
            continue;
        if ((err = c32_msg_decrypt(m, i, (uintptr_t)key))) {
            CertFreeCertificateContext(cert);
            thk_set_last_error(err);
            goto close_msg;
        }
    }
    if (!cert) {
        thk_set_last_error(S_CRYPT_E_NO_DECRYPT_CERT);
        goto close_msg;
    }
    const uint8_t *p;
    size_t n;
    c32_msg_plain(m, &p, &n);
    if (!out_len) {
        ok = TRUE;
    } else {
        DWORD have = 0;
        if (out && rt_safe_copy(&have, out_len, sizeof have)) {
            thk_set_last_error(S_E_INVALIDARG);
        } else {
            DWORD need = (DWORD)n;
            ok = !out || have >= need;
            if (out && ok && n && rt_safe_copy(out, p, n))
                ok = FALSE;
            rt_safe_copy(out_len, &need, sizeof need);
            if (!ok)
                thk_set_last_error(C32_ERROR_MORE_DATA);
        }
    }
    if (ok && xchg_cert) {
        const void *dup = CertDuplicateCertificateContext(cert);
        rt_safe_copy(xchg_cert, &dup, sizeof dup);
    }
    CertFreeCertificateContext(cert);
close_msg:
    c32_msg_close(m);
    return ok;
}
THK_EXPORT(crypt32, CryptDecryptMessage, 6);
