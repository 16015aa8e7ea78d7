/* SPDX-License-Identifier: MIT */
/* bcrypt's symmetric keys: BCryptGenerateSymmetricKey, BCryptImportKey/BCryptExportKey
 * (BCRYPT_KEY_DATA_BLOB, BCRYPT_OPAQUE_KEY_BLOB), BCryptDuplicateKey, BCryptDestroyKey and
 * BCryptEncrypt/BCryptDecrypt for AES, 3DES, 3DES_112, DES and CHACHA20_POLY1305 (RFC 8439:
 * 32-byte key, 12-byte nonce, 16-byte tag, one call; chaining mode "ChainingModeN/A") (the
 * ciphers are Nettle's,
 * thunks/advapi32/crypt_cipher.h) in the chaining modes CBC (the default), ECB, CFB (8-bit
 * feedback, as Windows' default MessageBlockLength of 1) and, for AES, GCM and CCM with
 * BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO (GCM: 12-byte nonce, 12..16-byte tag; CCM: 7..13-byte
 * nonce, 4..16-byte tag of even length; a wrong tag is STATUS_AUTH_TAG_MISMATCH). GCM runs over
 * several calls with BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG: the first call of a chain takes the
 * nonce and the additional data, every call but the last a whole number of blocks
 * (STATUS_INVALID_BUFFER_SIZE otherwise), the last call (without the flag) gives or checks the
 * tag; the running state is the key's, as Windows keeps it with the key between the calls.
 * CCM's chains follow the same rules (the text is encrypted at each call, the tag of the whole
 * message at the last).
 * The properties of cipher algorithms and keys (ChainingMode,
 * BlockLength, KeyLengths, KeyLength, AuthTagLength, ObjectLength, AlgorithmName).
 *
 * The IV a caller passes is updated in place (CBC: the last cipher block, CFB: the shift
 * register), so consecutive calls chain as on Windows; without one a key keeps its own vector
 * from call to call, zero at first. Not done: MessageBlockLength (CFB-128), BCRYPT_AES_WRAP_KEY_BLOB and key wrapping
 * with hImportKey/hExportKey (STATUS_NOT_SUPPORTED). The key object buffer a caller passes is
 * not used (the key lives in native memory), which Windows allows since Windows 7. The keys of
 * the KDF algorithms (PBKDF2, HKDF, ...) come from the same BCryptGenerateSymmetricKey and
 * BCryptImportKey, and are kdf.c's. */
#include <stdlib.h>
#include <string.h>
#include <nettle/cbc.h>
#include <nettle/ccm.h>
#include <nettle/cfb.h>
#include <nettle/gcm.h>
#include <nettle/memops.h>
#include "thunks/advapi32/crypt_cipher.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_KEY_MAGIC 0x59454b42u /* "BKEY" */
#define BC_BLOCK_PADDING 0x1u
#define BC_KEY_DATA_BLOB_MAGIC 0x4d42444bu
#define BC_AUTH_MODE_CHAIN_CALLS_FLAG 0x1u

/* A CCM chain: its nonce and additional data (the first call's), the counter block of the next
 * byte, and the plaintext so far (CBC-MAC needs the whole length first: the tag is computed at
 * the last call) */
typedef struct {
    uint8_t nonce[13], ctr[16];
    uint32_t nonce_len;
    uint8_t *aad, *text;
    size_t aad_len, len;
} bc_ccm_chain;

static void bc_ccm_chain_free(bc_ccm_chain *c)
{
    if (!c)
        return;
    free(c->aad);
    if (c->text)
        memset(c->text, 0, c->len);
    free(c->text);
    free(c);
}

typedef struct {
    uint32_t magic;
    int kind;      /* BC_AES ... */
    uint32_t mode; /* BC_MODE_* */
    uint32_t len;  /* bytes of secret */
    uint8_t secret[32];
    uint8_t chain[16]; /* the vector carried when the caller passes none */
    bool gcm_chain;    /* a GCM chain of calls (BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG) is running */
    struct gcm_ctx gcm; /* its state */
    bc_ccm_chain *ccm; /* a CCM chain of calls running, or NULL */
    cc_key ck;
} bc_key;

/* BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO (bcrypt.h), x64 layout */
typedef struct {
    uint32_t cbSize;        /* 0x00 */
    uint32_t dwInfoVersion; /* 0x04 */
    uint8_t *pbNonce;       /* 0x08 */
    uint32_t cbNonce;       /* 0x10 */
    uint8_t *pbAuthData;    /* 0x18 */
    uint32_t cbAuthData;    /* 0x20 */
    uint8_t *pbTag;         /* 0x28 */
    uint32_t cbTag;         /* 0x30 */
    uint8_t *pbMacContext;  /* 0x38 */
    uint32_t cbMacContext;  /* 0x40 */
    uint32_t cbAAD;         /* 0x44 */
    uint64_t cbData;        /* 0x48 */
    uint32_t dwFlags;       /* 0x50 */
} bc_auth_info;
_Static_assert(offsetof(bc_auth_info, pbTag) == 0x28, "BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO");
_Static_assert(offsetof(bc_auth_info, dwFlags) == 0x50, "BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO");
_Static_assert(sizeof(bc_auth_info) == 0x58, "BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO");

static const char *const bc_mode_names[] = {
    [BC_MODE_CBC] = "ChainingModeCBC",
    [BC_MODE_ECB] = "ChainingModeECB",
    [BC_MODE_CFB] = "ChainingModeCFB",
    [BC_MODE_GCM] = "ChainingModeGCM",
    [BC_MODE_CCM] = "ChainingModeCCM",
    [BC_MODE_NA] = "ChainingModeN/A", /* CHACHA20_POLY1305's */
};

bool bc_is_key(const void *h)
{
    const bc_key *k = h;
    return (uintptr_t)h >= 0x1000 && k->magic == BC_KEY_MAGIC;
}

static bc_key *bc_get_key(void *h) { return bc_is_key(h) ? h : NULL; }

static cc_algo bc_cc(int kind)
{
    switch (kind) {
    case BC_AES: return CC_AES;
    case BC_DES: return CC_DES;
    default: return CC_3DES;
    }
}

static uint32_t bc_block_len(int kind) { return kind == BC_AES ? 16 : kind == BC_CHACHA ? 1 : 8; }

/* The key lengths the algorithm takes, in bits (BCRYPT_KEY_LENGTHS_STRUCT) */
static void bc_key_lengths(int kind, uint32_t v[3])
{
    switch (kind) {
    case BC_AES: v[0] = 128, v[1] = 256, v[2] = 64; break;
    case BC_3DES: v[0] = v[1] = 192, v[2] = 0; break;
    case BC_3DES_112: v[0] = v[1] = 128, v[2] = 0; break;
    case BC_CHACHA: v[0] = v[1] = 256, v[2] = 0; break;
    default: v[0] = v[1] = 64, v[2] = 0; break;
    }
}

static bool bc_secret_ok(int kind, uint32_t len)
{
    uint32_t v[3];
    bc_key_lengths(kind, v);
    return len * 8 >= v[0] && len * 8 <= v[1] && (v[2] ? (len * 8 - v[0]) % v[2] == 0 : true);
}

NTSTATUS bc_cipher_get_property(const bc_alg *alg, void *h, const WCHAR *prop, uint8_t *out,
                                uint32_t cb, uint32_t *res)
{
    const bc_key *k = h;
    int kind = alg ? alg->kind : k->kind;
    uint32_t mode = alg ? alg->mode : k->mode;
    if (bc_name_is(prop, "CHAININGMODE"))
        return bc_put_name(bc_mode_names[mode], out, cb, res);
    if (bc_name_is(prop, "BLOCKLENGTH"))
        return bc_put_dword(bc_block_len(kind), out, cb, res);
    if (bc_name_is(prop, "ALGORITHMNAME"))
        return bc_put_name(bc_kind_name(kind), out, cb, res);
    if (bc_name_is(prop, "AUTHTAGLENGTH")) {
        if (mode != BC_MODE_GCM && mode != BC_MODE_CCM && kind != BC_CHACHA)
            return BC_STATUS_NOT_SUPPORTED;
        uint32_t v[3] = {12, 16, 1}, ccm[3] = {4, 16, 2}, chacha[3] = {16, 16, 0};
        return bc_put_bytes(kind == BC_CHACHA ? chacha : mode == BC_MODE_CCM ? ccm : v, sizeof v,
                            out, cb, res);
    }
    if (alg) {
        if (bc_name_is(prop, "OBJECTLENGTH"))
            return bc_put_dword((uint32_t)sizeof(bc_key), out, cb, res);
        if (bc_name_is(prop, "KEYLENGTHS")) {
            uint32_t v[3];
            bc_key_lengths(kind, v);
            return bc_put_bytes(v, sizeof v, out, cb, res);
        }
    } else if (bc_name_is(prop, "KEYLENGTH")) {
        return bc_put_dword(k->len * 8, out, cb, res);
    }
    return BC_STATUS_NOT_SUPPORTED;
}

NTSTATUS bc_cipher_set_property(bc_alg *alg, void *h, const WCHAR *prop, const uint8_t *in,
                                uint32_t cb)
{
    bc_key *k = h;
    int kind = alg ? alg->kind : k->kind;
    if (!bc_name_is(prop, "CHAININGMODE"))
        return BC_STATUS_NOT_SUPPORTED;
    if (!in || cb < 2)
        return BC_STATUS_INVALID_PARAMETER;
    WCHAR name[24] = {0};
    memcpy(name, in, cb < sizeof name - 2 ? cb : sizeof name - 2);
    for (uint32_t m = 0; m < sizeof bc_mode_names / sizeof bc_mode_names[0]; m++) {
        char up[24];
        size_t i = 0;
        for (; bc_mode_names[m][i]; i++) {
            char c = bc_mode_names[m][i];
            up[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
        }
        up[i] = 0;
        if (!bc_name_is(name, up))
            continue;
        if ((m == BC_MODE_GCM || m == BC_MODE_CCM) && kind != BC_AES)
            return BC_STATUS_NOT_SUPPORTED;
        if ((m == BC_MODE_NA) != (kind == BC_CHACHA)) /* ChaCha20-Poly1305 has no other mode */
            return BC_STATUS_NOT_SUPPORTED;
        if (alg) {
            alg->mode = m;
        } else {
            k->mode = m;
            k->gcm_chain = false;
            bc_ccm_chain_free(k->ccm);
            k->ccm = NULL;
        }
        return BC_STATUS_SUCCESS;
    }
    return BC_STATUS_NOT_SUPPORTED;
}

/* A new key of `alg` from `len` bytes of secret (already checked). */
static NTSTATUS bc_new_key(const bc_alg *a, const uint8_t *secret, uint32_t len, void **out)
{
    bc_key *k = calloc(1, sizeof *k);
    if (!k)
        return BC_STATUS_NO_MEMORY;
    k->magic = BC_KEY_MAGIC;
    k->kind = a->kind;
    k->mode = a->mode;
    k->len = len;
    memcpy(k->secret, secret, len);
    if (a->kind != BC_CHACHA) /* the AEAD keys itself per call from the secret */
        cc_setkey(&k->ck, bc_cc(a->kind), secret, len);
    *out = k;
    return BC_STATUS_SUCCESS;
}

/* The cipher algorithm behind a handle: STATUS_INVALID_HANDLE, or STATUS_NOT_SUPPORTED for
 * another algorithm. */
static NTSTATUS bc_cipher_alg(void *alg, const bc_alg **out)
{
    const bc_alg *a = *out = bc_get_alg(alg);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    return bc_is_cipher(a->kind) ? BC_STATUS_SUCCESS : BC_STATUS_NOT_SUPPORTED;
}

static NTSTATUS WINAPI bc_BCryptGenerateSymmetricKey(void *alg, void **out, uint8_t *obj,
                                                     uint32_t cbobj, const uint8_t *secret,
                                                     uint32_t cbsecret, uint32_t flags)
{
    (void)obj, (void)cbobj, (void)flags;
    const bc_alg *a;
    NTSTATUS st = bc_cipher_alg(alg, &a);
    if (st == BC_STATUS_NOT_SUPPORTED && bc_is_kdf(a->kind)) /* PBKDF2, HKDF, ...: kdf.c's */
        return !out || (cbsecret && !secret) ? BC_STATUS_INVALID_PARAMETER
                                             : bc_kdf_new_key(a, secret, cbsecret, out);
    if (st)
        return st;
    if (!out || (cbsecret && !secret) || !bc_secret_ok(a->kind, cbsecret))
        return BC_STATUS_INVALID_PARAMETER;
    return bc_new_key(a, secret, cbsecret, out);
}
THK_EXPORT_AS(bcrypt, BCryptGenerateSymmetricKey, bc_BCryptGenerateSymmetricKey, 7);

static NTSTATUS WINAPI bc_BCryptImportKey(void *alg, void *wrap, const WCHAR *type, void **out,
                                          uint8_t *obj, uint32_t cbobj, const uint8_t *in,
                                          uint32_t cbin, uint32_t flags)
{
    (void)obj, (void)cbobj, (void)flags;
    const bc_alg *a;
    NTSTATUS st = bc_cipher_alg(alg, &a);
    bool kdf = st == BC_STATUS_NOT_SUPPORTED && bc_is_kdf(a->kind);
    if (st && !kdf)
        return st;
    if (!type || !out || !in)
        return BC_STATUS_INVALID_PARAMETER;
    if (wrap)
        return BC_STATUS_NOT_SUPPORTED;
    if (!bc_name_is(type, "KEYDATABLOB") && !bc_name_is(type, "OPAQUEKEYBLOB"))
        return BC_STATUS_NOT_SUPPORTED;
    uint32_t hdr[3];
    if (cbin < sizeof hdr)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(hdr, in, sizeof hdr);
    if (hdr[0] != BC_KEY_DATA_BLOB_MAGIC || hdr[1] != 1)
        return BC_STATUS_INVALID_PARAMETER;
    if (hdr[2] > cbin - sizeof hdr)
        return BC_STATUS_INVALID_PARAMETER;
    if (kdf)
        return bc_kdf_new_key(a, in + sizeof hdr, hdr[2], out);
    if (!bc_secret_ok(a->kind, hdr[2]))
        return BC_STATUS_INVALID_PARAMETER;
    return bc_new_key(a, in + sizeof hdr, hdr[2], out);
}
THK_EXPORT_AS(bcrypt, BCryptImportKey, bc_BCryptImportKey, 9);

NTSTATUS WINAPI bc_BCryptExportKey(void *key, void *wrap, const WCHAR *type, uint8_t *out,
                                   uint32_t cbout, uint32_t *res, uint32_t flags)
{
    (void)flags;
    if (bc_is_pkey(key)) {
        if (!type || !res)
            return BC_STATUS_INVALID_PARAMETER;
        return wrap ? BC_STATUS_NOT_SUPPORTED : bc_pkey_export(key, type, out, cbout, res);
    }
    if (bc_is_kdf_key(key)) {
        if (!type || !res)
            return BC_STATUS_INVALID_PARAMETER;
        return wrap ? BC_STATUS_NOT_SUPPORTED : bc_kdf_export(key, type, out, cbout, res);
    }
    bc_key *k = bc_get_key(key);
    if (!k)
        return BC_STATUS_INVALID_HANDLE;
    if (!type || !res)
        return BC_STATUS_INVALID_PARAMETER;
    if (wrap)
        return BC_STATUS_NOT_SUPPORTED;
    if (!bc_name_is(type, "KEYDATABLOB") && !bc_name_is(type, "OPAQUEKEYBLOB"))
        return BC_STATUS_NOT_SUPPORTED;
    uint8_t blob[12 + 32];
    uint32_t hdr[3] = {BC_KEY_DATA_BLOB_MAGIC, 1, k->len};
    memcpy(blob, hdr, sizeof hdr);
    memcpy(blob + sizeof hdr, k->secret, k->len);
    return bc_put_bytes(blob, (uint32_t)sizeof hdr + k->len, out, cbout, res);
}
THK_EXPORT_AS(bcrypt, BCryptExportKey, bc_BCryptExportKey, 7);

static NTSTATUS WINAPI bc_BCryptDuplicateKey(void *key, void **out, uint8_t *obj, uint32_t cbobj,
                                             uint32_t flags)
{
    (void)obj, (void)cbobj, (void)flags;
    if (bc_is_pkey(key))
        return out ? bc_pkey_duplicate(key, out) : BC_STATUS_INVALID_PARAMETER;
    if (bc_is_kdf_key(key))
        return out ? bc_kdf_duplicate(key, out) : BC_STATUS_INVALID_PARAMETER;
    bc_key *k = bc_get_key(key);
    if (!k)
        return BC_STATUS_INVALID_HANDLE;
    if (!out)
        return BC_STATUS_INVALID_PARAMETER;
    bc_key *n = malloc(sizeof *n);
    if (!n)
        return BC_STATUS_NO_MEMORY;
    *n = *k;
    n->ccm = NULL; /* a chain running stays the original's */
    *out = n;
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDuplicateKey, bc_BCryptDuplicateKey, 5);

NTSTATUS WINAPI bc_BCryptDestroyKey(void *key)
{
    if (bc_is_pkey(key))
        return bc_pkey_destroy(key);
    if (bc_is_kdf_key(key))
        return bc_kdf_destroy(key);
    bc_key *k = bc_get_key(key);
    if (!k)
        return BC_STATUS_INVALID_HANDLE;
    bc_ccm_chain_free(k->ccm);
    memset(k, 0, sizeof *k);
    free(k);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDestroyKey, bc_BCryptDestroyKey, 1);

/* GCM: one call, or one of a chain (BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG). The first call
 * takes the nonce and the additional data; the last gives or checks the tag. */
static NTSTATUS bc_gcm(bc_key *k, bool enc, const uint8_t *in, uint32_t inlen,
                       const bc_auth_info *ai, uint8_t *out, uint32_t outlen, uint32_t *res,
                       uint32_t flags)
{
    if (!ai || (flags & BC_BLOCK_PADDING))
        return BC_STATUS_INVALID_PARAMETER;
    bool chain = ai->dwFlags & BC_AUTH_MODE_CHAIN_CALLS_FLAG, last = !chain;
    if (ai->cbSize < sizeof *ai || ai->dwInfoVersion != 1 || !ai->pbNonce || ai->cbNonce != 12 ||
        (ai->cbAuthData && !ai->pbAuthData))
        return BC_STATUS_INVALID_PARAMETER;
    if (last && (!ai->pbTag || ai->cbTag < 12 || ai->cbTag > 16))
        return BC_STATUS_INVALID_PARAMETER;
    if (chain && (!ai->pbMacContext || !ai->cbMacContext))
        return BC_STATUS_INVALID_PARAMETER;
    if (chain && inlen % 16)
        return BC_STATUS_INVALID_BUFFER_SIZE; /* only the last call may end inside a block */
    *res = inlen;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (outlen < inlen)
        return BC_STATUS_BUFFER_TOO_SMALL;
    struct gcm_key *gk = malloc(sizeof *gk);
    uint8_t *buf = malloc(inlen ? inlen : 1);
    if (!gk || !buf) {
        free(gk), free(buf);
        return BC_STATUS_NO_MEMORY;
    }
    uint8_t tag[16];
    gcm_set_key(gk, &k->ck.enc, k->ck.enc_fn);
    if (!k->gcm_chain) { /* a single call or a chain's first */
        gcm_set_iv(&k->gcm, gk, ai->cbNonce, ai->pbNonce);
        if (ai->cbAuthData)
            gcm_update(&k->gcm, gk, ai->cbAuthData, ai->pbAuthData);
    }
    memcpy(buf, in, inlen);
    if (enc)
        gcm_encrypt(&k->gcm, gk, &k->ck.enc, k->ck.enc_fn, inlen, buf, buf);
    else
        gcm_decrypt(&k->gcm, gk, &k->ck.enc, k->ck.enc_fn, inlen, buf, buf);
    k->gcm_chain = chain;
    NTSTATUS st = BC_STATUS_SUCCESS;
    if (last) {
        gcm_digest(&k->gcm, gk, &k->ck.enc, k->ck.enc_fn, sizeof tag, tag);
        if (enc)
            memcpy(ai->pbTag, tag, ai->cbTag);
        else if (!memeql_sec(tag, ai->pbTag, ai->cbTag))
            st = BC_STATUS_AUTH_TAG_MISMATCH;
    }
    if (st == BC_STATUS_SUCCESS)
        memcpy(out, buf, inlen);
    free(gk), free(buf);
    return st;
}

/* CCM's tag of a whole message (Nettle's CCM, SP 800-38C) */
static bool bc_ccm_tag(bc_key *k, const uint8_t *nonce, uint32_t nonce_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *text, size_t len, uint32_t tag_len,
                       uint8_t *tag)
{
    uint8_t *dst = malloc(len + 16);
    if (!dst)
        return false;
    ccm_encrypt_message(&k->ck.enc, k->ck.enc_fn, nonce_len, nonce, aad_len, aad, tag_len,
                        len + tag_len, dst, text);
    memcpy(tag, dst + len, tag_len);
    memset(dst, 0, len + 16);
    free(dst);
    return true;
}

/* One call of a CCM chain (BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG on every call but the last): the
 * text goes through CCM's counter mode at once (the counter blocks A1, A2, ... after the
 * first call's nonce), the plaintext is kept, and the last call gives or checks the tag of the
 * whole message; the same bytes as one call over it all. Every call but the last is a whole
 * number of blocks, as in GCM's chains. */
static NTSTATUS bc_ccm_chained(bc_key *k, bool enc, bool last, const uint8_t *in,
                               uint32_t inlen, const bc_auth_info *ai, uint8_t *out)
{
    bc_ccm_chain *c = k->ccm;
    if (!c) { /* the first call: A0 = flags (L - 1) || nonce || 0, the text from A1 */
        if (!(c = calloc(1, sizeof *c)))
            return BC_STATUS_NO_MEMORY;
        c->nonce_len = ai->cbNonce;
        memcpy(c->nonce, ai->pbNonce, ai->cbNonce);
        c->ctr[0] = (uint8_t)(15 - ai->cbNonce - 1);
        memcpy(c->ctr + 1, ai->pbNonce, ai->cbNonce);
        c->ctr[15] = 1;
        if (ai->cbAuthData) {
            if (!(c->aad = malloc(ai->cbAuthData))) {
                free(c);
                return BC_STATUS_NO_MEMORY;
            }
            memcpy(c->aad, ai->pbAuthData, ai->cbAuthData);
            c->aad_len = ai->cbAuthData;
        }
        k->ccm = c;
    }
    uint8_t *text = realloc(c->text, c->len + inlen + 1);
    uint8_t *buf = malloc((size_t)inlen + 1);
    if (!text || !buf) {
        if (text)
            c->text = text;
        free(buf);
        return BC_STATUS_NO_MEMORY;
    }
    c->text = text;
    ctr_crypt(&k->ck.enc, k->ck.enc_fn, 16, c->ctr, inlen, buf, in);
    memcpy(c->text + c->len, enc ? in : buf, inlen);
    c->len += inlen;
    NTSTATUS st = BC_STATUS_SUCCESS;
    if (last) {
        uint8_t tag[16];
        if (!bc_ccm_tag(k, c->nonce, c->nonce_len, c->aad, c->aad_len, c->text, c->len,
                        ai->cbTag, tag))
            st = BC_STATUS_NO_MEMORY;
        else if (enc)
            memcpy(ai->pbTag, tag, ai->cbTag);
        else if (!memeql_sec(tag, ai->pbTag, ai->cbTag))
            st = BC_STATUS_AUTH_TAG_MISMATCH;
        bc_ccm_chain_free(c);
        k->ccm = NULL;
    }
    if (st == BC_STATUS_SUCCESS)
        memcpy(out, buf, inlen);
    memset(buf, 0, inlen);
    free(buf);
    return st;
}

/* CCM (Nettle's, SP 800-38C): in one call the nonce, the additional data, the text, the tag;
 * or a chain of calls (bc_ccm_chained). */
static NTSTATUS bc_ccm(bc_key *k, bool enc, const uint8_t *in, uint32_t inlen,
                       const bc_auth_info *ai, uint8_t *out, uint32_t outlen, uint32_t *res,
                       uint32_t flags)
{
    if (!ai || (flags & BC_BLOCK_PADDING))
        return BC_STATUS_INVALID_PARAMETER;
    bool chain = ai->dwFlags & BC_AUTH_MODE_CHAIN_CALLS_FLAG;
    if (ai->cbSize < sizeof *ai || ai->dwInfoVersion != 1 || !ai->pbNonce || ai->cbNonce < 7 ||
        ai->cbNonce > 13 || (ai->cbAuthData && !ai->pbAuthData))
        return BC_STATUS_INVALID_PARAMETER;
    if ((!chain || !k->ccm) && (!ai->pbTag || ai->cbTag < 4 || ai->cbTag > 16 || ai->cbTag % 2))
        return BC_STATUS_INVALID_PARAMETER;
    if (chain && (!ai->pbMacContext || !ai->cbMacContext))
        return BC_STATUS_INVALID_PARAMETER;
    if (chain && inlen % 16)
        return BC_STATUS_INVALID_BUFFER_SIZE; /* only the last call may end inside a block */
    *res = inlen;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (outlen < inlen)
        return BC_STATUS_BUFFER_TOO_SMALL;
    if (chain || k->ccm)
        return bc_ccm_chained(k, enc, !chain, in, inlen, ai, out);
    uint8_t *src = malloc((size_t)inlen + 16), *dst = malloc((size_t)inlen + 16);
    if (!src || !dst) {
        free(src), free(dst);
        return BC_STATUS_NO_MEMORY;
    }
    NTSTATUS st = BC_STATUS_SUCCESS;
    memcpy(src, in, inlen);
    if (enc) {
        ccm_encrypt_message(&k->ck.enc, k->ck.enc_fn, ai->cbNonce, ai->pbNonce, ai->cbAuthData,
                            ai->pbAuthData, ai->cbTag, (size_t)inlen + ai->cbTag, dst, src);
        memcpy(ai->pbTag, dst + inlen, ai->cbTag);
    } else {
        memcpy(src + inlen, ai->pbTag, ai->cbTag);
        if (!ccm_decrypt_message(&k->ck.enc, k->ck.enc_fn, ai->cbNonce, ai->pbNonce,
                                 ai->cbAuthData, ai->pbAuthData, ai->cbTag, inlen, dst, src))
            st = BC_STATUS_AUTH_TAG_MISMATCH;
    }
    if (st == BC_STATUS_SUCCESS)
        memcpy(out, dst, inlen);
    memset(dst, 0, (size_t)inlen + 16);
    free(src), free(dst);
    return st;
}

/* ChaCha20-Poly1305 (RFC 8439, Nettle's) in one call: a 12-byte nonce, the additional data,
 * the text, a 16-byte tag. */
static NTSTATUS bc_chacha(bc_key *k, bool enc, const uint8_t *in, uint32_t inlen,
                          const bc_auth_info *ai, uint8_t *out, uint32_t outlen, uint32_t *res,
                          uint32_t flags)
{
    if (!ai || (flags & BC_BLOCK_PADDING))
        return BC_STATUS_INVALID_PARAMETER;
    if (ai->cbSize < sizeof *ai || ai->dwInfoVersion != 1 || !ai->pbNonce ||
        ai->cbNonce != CHACHA_POLY1305_NONCE_SIZE || !ai->pbTag ||
        ai->cbTag != CHACHA_POLY1305_DIGEST_SIZE || (ai->cbAuthData && !ai->pbAuthData))
        return BC_STATUS_INVALID_PARAMETER;
    if (ai->dwFlags & BC_AUTH_MODE_CHAIN_CALLS_FLAG)
        return BC_STATUS_NOT_SUPPORTED;
    *res = inlen;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (outlen < inlen)
        return BC_STATUS_BUFFER_TOO_SMALL;
    struct chacha_poly1305_ctx *c = malloc(sizeof *c);
    uint8_t *buf = malloc(inlen ? inlen : 1), tag[CHACHA_POLY1305_DIGEST_SIZE];
    if (!c || !buf) {
        free(c), free(buf);
        return BC_STATUS_NO_MEMORY;
    }
    chacha_poly1305_set_key(c, k->secret);
    chacha_poly1305_set_nonce(c, ai->pbNonce);
    if (ai->cbAuthData)
        chacha_poly1305_update(c, ai->cbAuthData, ai->pbAuthData);
    memcpy(buf, in, inlen);
    if (enc)
        chacha_poly1305_encrypt(c, inlen, buf, buf);
    else
        chacha_poly1305_decrypt(c, inlen, buf, buf);
    chacha_poly1305_digest(c, sizeof tag, tag);
    NTSTATUS st = BC_STATUS_SUCCESS;
    if (enc)
        memcpy(ai->pbTag, tag, sizeof tag);
    else if (!memeql_sec(tag, ai->pbTag, sizeof tag))
        st = BC_STATUS_AUTH_TAG_MISMATCH;
    if (st == BC_STATUS_SUCCESS)
        memcpy(out, buf, inlen);
    memset(c, 0, sizeof *c);
    free(c), free(buf);
    return st;
}

/* CBC, ECB or CFB-8 over whole blocks of buf, in place; the vector moves on. */
static void bc_run(bc_key *k, bool enc, uint8_t *buf, size_t n, uint8_t *vec)
{
    const cc_key *c = &k->ck;
    switch (k->mode) {
    case BC_MODE_ECB:
        if (enc)
            cc_encrypt(c, n, buf, buf);
        else
            cc_decrypt(c, n, buf, buf);
        break;
    case BC_MODE_CFB: /* the cipher runs forwards in both directions */
        if (enc)
            cfb8_encrypt(&c->enc, c->enc_fn, c->block, vec, n, buf, buf);
        else
            cfb8_decrypt(&c->enc, c->enc_fn, c->block, vec, n, buf, buf);
        break;
    default:
        if (enc)
            cbc_encrypt(&c->enc, c->enc_fn, c->block, vec, n, buf, buf);
        else
            cbc_decrypt(&c->dec, c->dec_fn, c->block, vec, n, buf, buf);
        break;
    }
}

static NTSTATUS bc_crypt(void *key, bool enc, const uint8_t *in, uint32_t inlen, void *padinfo,
                         uint8_t *iv, uint32_t ivlen, uint8_t *out, uint32_t outlen,
                         uint32_t *res, uint32_t flags)
{
    if (bc_is_pkey(key)) { /* an IV means nothing to a key pair: ignored */
        if (!res || (inlen && !in))
            return BC_STATUS_INVALID_PARAMETER;
        return bc_pkey_crypt(key, enc, in, inlen, padinfo, out, outlen, res, flags);
    }
    bc_key *k = bc_get_key(key);
    if (!k)
        return BC_STATUS_INVALID_HANDLE;
    if (!res || (inlen && !in))
        return BC_STATUS_INVALID_PARAMETER;
    if (k->mode == BC_MODE_GCM)
        return bc_gcm(k, enc, in, inlen, padinfo, out, outlen, res, flags);
    if (k->mode == BC_MODE_CCM)
        return bc_ccm(k, enc, in, inlen, padinfo, out, outlen, res, flags);
    if (k->kind == BC_CHACHA)
        return bc_chacha(k, enc, in, inlen, padinfo, out, outlen, res, flags);
    const uint32_t bs = k->ck.block;
    if (iv && (k->mode == BC_MODE_ECB || ivlen != bs))
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t need = inlen;
    if (enc && (flags & BC_BLOCK_PADDING))
        need = (inlen / bs + 1) * bs;
    else if (inlen % bs)
        return BC_STATUS_INVALID_BUFFER_SIZE;
    if (!enc && (flags & BC_BLOCK_PADDING) && !inlen)
        return BC_STATUS_INVALID_BUFFER_SIZE;
    *res = need;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (outlen < need && (enc || !(flags & BC_BLOCK_PADDING)))
        return BC_STATUS_BUFFER_TOO_SMALL;
    uint8_t *buf = malloc(need ? need : 1);
    if (!buf)
        return BC_STATUS_NO_MEMORY;
    uint8_t vec[16];
    memcpy(vec, iv ? iv : k->chain, bs);
    memcpy(buf, in, inlen);
    if (enc && (flags & BC_BLOCK_PADDING)) /* PKCS#7: n bytes of n, a whole block at the end */
        memset(buf + inlen, (int)(need - inlen), need - inlen);
    bc_run(k, enc, buf, need, vec);
    NTSTATUS st = BC_STATUS_SUCCESS;
    if (!enc && (flags & BC_BLOCK_PADDING)) {
        uint8_t pad = buf[need - 1];
        if (!pad || pad > bs) {
            st = BC_STATUS_UNSUCCESSFUL;
        } else {
            for (uint32_t i = need - pad; i < need; i++)
                if (buf[i] != pad)
                    st = BC_STATUS_UNSUCCESSFUL;
        }
        if (st == BC_STATUS_SUCCESS) {
            need -= pad;
            *res = need;
            if (outlen < need)
                st = BC_STATUS_BUFFER_TOO_SMALL;
        }
    }
    if (st == BC_STATUS_SUCCESS) {
        memcpy(out, buf, need);
        memcpy(iv ? iv : k->chain, vec, bs);
    }
    free(buf);
    return st;
}

NTSTATUS WINAPI bc_BCryptEncrypt(void *key, uint8_t *in, uint32_t inlen, void *padinfo,
                                 uint8_t *iv, uint32_t ivlen, uint8_t *out,
                                 uint32_t outlen, uint32_t *res, uint32_t flags)
{
    return bc_crypt(key, true, in, inlen, padinfo, iv, ivlen, out, outlen, res, flags);
}
THK_EXPORT_AS(bcrypt, BCryptEncrypt, bc_BCryptEncrypt, 10);

NTSTATUS WINAPI bc_BCryptDecrypt(void *key, uint8_t *in, uint32_t inlen, void *padinfo,
                                 uint8_t *iv, uint32_t ivlen, uint8_t *out,
                                 uint32_t outlen, uint32_t *res, uint32_t flags)
{
    return bc_crypt(key, false, in, inlen, padinfo, iv, ivlen, out, outlen, res, flags);
}
THK_EXPORT_AS(bcrypt, BCryptDecrypt, bc_BCryptDecrypt, 10);
