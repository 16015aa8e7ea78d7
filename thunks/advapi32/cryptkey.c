/* SPDX-License-Identifier: MIT */
/* CryptoAPI's session keys: CryptImportKey and CryptExportKey of a PLAINTEXTKEYBLOB,
 * CryptGenKey, CryptDeriveKey, CryptDuplicateKey, CryptDestroyKey, CryptSetKeyParam and
 * CryptGetKeyParam (KP_IV, KP_MODE, KP_PADDING, KP_ALGID, KP_KEYLEN, KP_BLOCKLEN), and
 * CryptEncrypt/CryptDecrypt with AES-128/192/256 (Nettle's, crypt_cipher.c) in CBC (the default, IV zero)
 * or ECB, PKCS#5 padding on the final call, on a PROV_RSA_AES (or SChannel) context as on
 * Windows. A key has one chaining value for both directions, carried from call to call and
 * reset to the IV by a final call, as Microsoft's providers keep it.
 *
 * Keys of other algorithms (RC2, RC4, DES, 3DES) are imported as bytes: they serve as HMAC keys
 * (CRYPT_IPSEC_HMAC_KEY, crypthash.c reads them through ck_key_secret); encrypting with them is
 * not implemented (NTE_BAD_ALGID, said once). No public/private keys (NTE_BAD_TYPE). A key is a
 * small number kept in a table, never a pointer: a made-up handle gives
 * ERROR_INVALID_PARAMETER. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/runtime.h"
#include "thunks/advapi32/crypt_cipher.h"
#include "thunks/advapi32/crypt_private.h"
#include "thunks/thunks_private.h"

#define CK_CALG_RC2 0x6602u
#define CK_CALG_DES 0x6601u
#define CK_CALG_3DES 0x6603u
#define CK_CALG_3DES_112 0x6609u
#define CK_CALG_RC4 0x6801u
#define CK_CALG_AES_128 0x660eu
#define CK_CALG_AES_192 0x660fu
#define CK_CALG_AES_256 0x6610u
#define CK_CALG_AES 0x6611u

/* The key length in bytes of an AES algorithm id, 0 for anything else. */
static uint32_t ck_aes_key_len(uint32_t algid)
{
    return algid == CK_CALG_AES_128 ? 16 : algid == CK_CALG_AES_192 ? 24
         : algid == CK_CALG_AES_256 ? 32 : 0;
}

#define CK_PLAINTEXTKEYBLOB 8u
#define CK_KP_IV 1u
#define CK_KP_PADDING 3u
#define CK_KP_MODE 4u
#define CK_KP_ALGID 7u
#define CK_KP_BLOCKLEN 8u
#define CK_KP_KEYLEN 9u
#define CK_CRYPT_MODE_CBC 1u
#define CK_CRYPT_MODE_ECB 2u
#define CK_PKCS5_PADDING 1u
#define CK_PROV_RSA_SCHANNEL 12u
#define CK_PROV_RSA_AES 24u

#define CK_NTE_BAD_DATA 0x80090005u
#define CK_NTE_BAD_ALGID 0x80090008u
#define CK_NTE_BAD_FLAGS 0x80090009u
#define CK_NTE_BAD_TYPE 0x8009000Au
#define CK_NTE_BAD_HASH 0x80090002u
#define CK_ERROR_INVALID_PARAMETER 87u
#define CK_ERROR_NOACCESS 998u
#define CK_ERROR_MORE_DATA 234u
#define CK_ERROR_NOT_ENOUGH_MEMORY 8u

#define CK_SLOTS 1024
#define CK_HANDLE_BASE 0x434b0000u /* "CK": slot i is CK_HANDLE_BASE + i + 1 */

typedef struct {
    uint32_t algid;
    uint32_t len;                   /* bytes of secret */
    uint8_t secret[CK_MAX_SECRET];
    cc_key aes;                     /* AES keys only */
    uint32_t mode;
    uint8_t iv[16], chain[16];
} ck_key;

static pthread_mutex_t ck_lock = PTHREAD_MUTEX_INITIALIZER;
static ck_key *ck_table[CK_SLOTS];

static BOOL ck_fail(uint32_t err)
{
    thk_set_last_error(err);
    return 0;
}

/* The key of a handle, or NULL. Called with ck_lock held. */
static ck_key *ck_get(ULONG_PTR h)
{
    if (h <= CK_HANDLE_BASE || h > CK_HANDLE_BASE + CK_SLOTS)
        return NULL;
    return ck_table[h - CK_HANDLE_BASE - 1];
}

static BOOL ck_publish(ck_key *key, ULONG_PTR *out)
{
    pthread_mutex_lock(&ck_lock);
    int i = 0;
    while (i < CK_SLOTS && ck_table[i])
        i++;
    if (i < CK_SLOTS)
        ck_table[i] = key;
    pthread_mutex_unlock(&ck_lock);
    if (i == CK_SLOTS) {
        free(key);
        return ck_fail(CK_ERROR_NOT_ENOUGH_MEMORY);
    }
    ULONG_PTR h = CK_HANDLE_BASE + (ULONG_PTR)i + 1;
    if (rt_safe_copy(out, &h, sizeof h)) {
        pthread_mutex_lock(&ck_lock);
        ck_table[i] = NULL;
        pthread_mutex_unlock(&ck_lock);
        free(key);
        return ck_fail(CK_ERROR_NOACCESS);
    }
    return 1;
}

static int is_aes(uint32_t algid)
{
    return algid >= CK_CALG_AES_128 && algid <= CK_CALG_AES;
}

/* a new key of `algid` from `len` secret bytes on a provider of type `type`; 0 or an error */
static uint32_t ck_make(uint32_t type, uint32_t algid, const uint8_t *secret, uint32_t len,
                        ck_key **out)
{
    if (is_aes(algid)) {
        if (type != CK_PROV_RSA_AES && type != CK_PROV_RSA_SCHANNEL)
            return CK_NTE_BAD_ALGID;
        uint32_t want = ck_aes_key_len(algid);
        if (want ? len != want : (len != 16 && len != 24 && len != 32))
            return CK_NTE_BAD_DATA;
        if (algid == CK_CALG_AES)
            algid = len == 16 ? CK_CALG_AES_128 : len == 24 ? CK_CALG_AES_192 : CK_CALG_AES_256;
    } else if (algid != CK_CALG_RC2 && algid != CK_CALG_RC4 && algid != CK_CALG_DES &&
               algid != CK_CALG_3DES && algid != CK_CALG_3DES_112) {
        return CK_NTE_BAD_ALGID;
    }
    if (!len || len > CK_MAX_SECRET)
        return CK_NTE_BAD_DATA;
    ck_key *key = calloc(1, sizeof *key);
    if (!key)
        return CK_ERROR_NOT_ENOUGH_MEMORY;
    key->algid = algid;
    key->len = len;
    memcpy(key->secret, secret, len);
    key->mode = CK_CRYPT_MODE_CBC;
    if (is_aes(algid))
        cc_setkey(&key->aes, CC_AES, secret, len);
    *out = key;
    return 0;
}

BOOL WINAPI CryptImportKey(ULONG_PTR prov, const BYTE *data, DWORD len, ULONG_PTR pubkey,
                           DWORD flags, ULONG_PTR *out)
{
    uint32_t type;
    uint8_t hdr[12];
    (void)pubkey;
    (void)flags; /* CRYPT_EXPORTABLE, CRYPT_IPSEC_HMAC_KEY, ...: every key may be both */
    if (!out || !data || !cp_provider_type(prov, &type))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (len < sizeof hdr)
        return ck_fail(CK_NTE_BAD_DATA);
    if (!ntl_ready()) /* Nettle, opened on this first use */
        return ck_fail(NTL_NTE_PROV_DLL_NOT_FOUND);
    if (rt_safe_copy(hdr, data, sizeof hdr))
        return ck_fail(CK_ERROR_NOACCESS);
    /* BLOBHEADER: bType, bVersion, reserved (2), aiKeyAlg (4); then the key's length */
    uint32_t algid, klen;
    memcpy(&algid, hdr + 4, 4);
    memcpy(&klen, hdr + 8, 4);
    if (hdr[0] != CK_PLAINTEXTKEYBLOB)
        return ck_fail(CK_NTE_BAD_TYPE);
    if (klen > CK_MAX_SECRET || len < sizeof hdr + klen)
        return ck_fail(CK_NTE_BAD_DATA);
    uint8_t secret[CK_MAX_SECRET];
    if (rt_safe_copy(secret, data + sizeof hdr, klen))
        return ck_fail(CK_ERROR_NOACCESS);
    ck_key *key;
    uint32_t err = ck_make(type, algid, secret, klen, &key);
    memset(secret, 0, sizeof secret);
    return err ? ck_fail(err) : ck_publish(key, out);
}
THK_EXPORT(advapi32, CryptImportKey, 6);

BOOL WINAPI CryptGenKey(ULONG_PTR prov, uint32_t algid, DWORD flags, ULONG_PTR *out)
{
    uint32_t type, len = ck_aes_key_len(algid);
    if (!out || !cp_provider_type(prov, &type))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (!len)
        return ck_fail(CK_NTE_BAD_ALGID); /* no key pairs, no other ciphers */
    if (!ntl_ready())
        return ck_fail(NTL_NTE_PROV_DLL_NOT_FOUND);
    (void)flags;
    uint8_t secret[32];
    if (thk_random_fill(secret, len) != STATUS_SUCCESS)
        return ck_fail(CK_ERROR_NOT_ENOUGH_MEMORY);
    ck_key *key;
    uint32_t err = ck_make(type, algid, secret, len, &key);
    return err ? ck_fail(err) : ck_publish(key, out);
}
THK_EXPORT(advapi32, CryptGenKey, 4);

/* CryptDeriveKey's rule: the first bytes of the hash, or for AES and 3DES from a hash that is
 * not SHA-2, H(0x36 pad ^ hash) || H(0x5c pad ^ hash) */
BOOL WINAPI CryptDeriveKey(ULONG_PTR prov, uint32_t algid, ULONG_PTR hash, DWORD flags,
                           ULONG_PTR *out)
{
    uint32_t type, halg, hlen = 0, len;
    uint8_t value[128];
    if (!out || !cp_provider_type(prov, &type))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (!ch_hash_value(hash, value, &hlen, &halg))
        return ck_fail(CK_NTE_BAD_HASH);
    if (!(len = ck_aes_key_len(algid)))
        return ck_fail(CK_NTE_BAD_ALGID);
    uint32_t key_bits = flags >> 16; /* the upper word may ask for a length; only the natural */
    if (key_bits && key_bits != len * 8)
        return ck_fail(CK_NTE_BAD_FLAGS);
    int sha2 = halg == 0x800c || halg == 0x800d || halg == 0x800e;
    if (!sha2) {
        uint8_t pad[64], d1[64], d2[64];
        uint32_t n1, n2;
        memset(pad, 0x36, sizeof pad);
        for (uint32_t i = 0; i < hlen && i < 64; i++)
            pad[i] ^= value[i];
        if (!ch_digest(halg, pad, sizeof pad, d1, &n1))
            return ck_fail(CK_NTE_BAD_HASH);
        memset(pad, 0x5c, sizeof pad);
        for (uint32_t i = 0; i < hlen && i < 64; i++)
            pad[i] ^= value[i];
        ch_digest(halg, pad, sizeof pad, d2, &n2);
        memcpy(value, d1, n1);
        memcpy(value + n1, d2, n2);
        hlen = n1 + n2;
    }
    if (hlen < len)
        return ck_fail(CK_NTE_BAD_DATA);
    ck_key *key;
    uint32_t err = ck_make(type, algid, value, len, &key);
    return err ? ck_fail(err) : ck_publish(key, out);
}
THK_EXPORT(advapi32, CryptDeriveKey, 5);

BOOL WINAPI CryptExportKey(ULONG_PTR h, ULONG_PTR expkey, DWORD blob_type, DWORD flags,
                           BYTE *data, DWORD *len)
{
    uint8_t blob[12 + CK_MAX_SECRET];
    DWORD have, need;
    (void)flags;
    if (!len || rt_safe_copy(&have, len, sizeof have))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (expkey || blob_type != CK_PLAINTEXTKEYBLOB)
        return ck_fail(CK_NTE_BAD_TYPE);
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (key) {
        blob[0] = CK_PLAINTEXTKEYBLOB;
        blob[1] = 2; /* CUR_BLOB_VERSION */
        blob[2] = blob[3] = 0;
        memcpy(blob + 4, &key->algid, 4);
        memcpy(blob + 8, &key->len, 4);
        memcpy(blob + 12, key->secret, key->len);
        need = 12 + key->len;
    }
    pthread_mutex_unlock(&ck_lock);
    if (!key)
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (rt_safe_copy(len, &need, sizeof need))
        return ck_fail(CK_ERROR_NOACCESS);
    if (!data)
        return 1;
    if (have < need)
        return ck_fail(CK_ERROR_MORE_DATA);
    return rt_safe_copy(data, blob, need) ? ck_fail(CK_ERROR_NOACCESS) : 1;
}
THK_EXPORT(advapi32, CryptExportKey, 6);

BOOL WINAPI CryptDuplicateKey(ULONG_PTR h, DWORD *reserved, DWORD flags, ULONG_PTR *out)
{
    if (reserved || flags || !out)
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    ck_key *copy = malloc(sizeof *copy);
    if (!copy)
        return ck_fail(CK_ERROR_NOT_ENOUGH_MEMORY);
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (key)
        *copy = *key;
    pthread_mutex_unlock(&ck_lock);
    if (!key) {
        free(copy);
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    }
    return ck_publish(copy, out);
}
THK_EXPORT(advapi32, CryptDuplicateKey, 4);

BOOL WINAPI CryptDestroyKey(ULONG_PTR h)
{
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (key)
        ck_table[h - CK_HANDLE_BASE - 1] = NULL;
    pthread_mutex_unlock(&ck_lock);
    if (!key)
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    memset(key, 0, sizeof *key);
    free(key);
    return 1;
}
THK_EXPORT(advapi32, CryptDestroyKey, 1);

BOOL WINAPI CryptSetKeyParam(ULONG_PTR h, DWORD param, const BYTE *data, DWORD flags)
{
    uint8_t v[16];
    uint32_t err = 0;
    (void)flags;
    if (!data)
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (rt_safe_copy(v, data, param == CK_KP_IV ? 16 : 4))
        return ck_fail(CK_ERROR_NOACCESS);
    uint32_t dw;
    memcpy(&dw, v, 4);
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (!key)
        err = CK_ERROR_INVALID_PARAMETER;
    else if (param == CK_KP_IV) {
        memcpy(key->iv, v, 16);
        memcpy(key->chain, v, 16);
    } else if (param == CK_KP_MODE) {
        if (dw == CK_CRYPT_MODE_CBC || dw == CK_CRYPT_MODE_ECB)
            key->mode = dw;
        else
            err = CK_NTE_BAD_DATA;
    } else if (param == CK_KP_PADDING) {
        if (dw != CK_PKCS5_PADDING)
            err = CK_NTE_BAD_DATA;
    } else {
        err = CK_NTE_BAD_TYPE;
    }
    pthread_mutex_unlock(&ck_lock);
    return err ? ck_fail(err) : 1;
}
THK_EXPORT(advapi32, CryptSetKeyParam, 4);

BOOL WINAPI CryptGetKeyParam(ULONG_PTR h, DWORD param, BYTE *data, DWORD *len, DWORD flags)
{
    uint8_t v[16];
    DWORD have, need = 4;
    uint32_t err = 0, dw = 0;
    if (!len || rt_safe_copy(&have, len, sizeof have))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (flags)
        return ck_fail(CK_NTE_BAD_FLAGS);
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (!key) {
        err = CK_ERROR_INVALID_PARAMETER;
    } else {
        int aes = is_aes(key->algid);
        switch (param) {
        case CK_KP_ALGID: dw = key->algid; break;
        case CK_KP_KEYLEN: dw = key->len * 8; break;
        case CK_KP_BLOCKLEN: dw = aes ? 128 : key->algid == CK_CALG_RC4 ? 0 : 64; break;
        case CK_KP_MODE: dw = key->mode; break;
        case CK_KP_PADDING: dw = CK_PKCS5_PADDING; break;
        case CK_KP_IV:
            need = aes ? 16 : 8;
            memcpy(v, key->iv, need);
            break;
        default: err = CK_NTE_BAD_TYPE; break;
        }
    }
    pthread_mutex_unlock(&ck_lock);
    if (err)
        return ck_fail(err);
    if (param != CK_KP_IV)
        memcpy(v, &dw, 4);
    if (rt_safe_copy(len, &need, sizeof need))
        return ck_fail(CK_ERROR_NOACCESS);
    if (!data)
        return 1;
    if (have < need)
        return ck_fail(CK_ERROR_MORE_DATA);
    return rt_safe_copy(data, v, need) ? ck_fail(CK_ERROR_NOACCESS) : 1;
}
THK_EXPORT(advapi32, CryptGetKeyParam, 5);

/* `n` bytes (a multiple of 16) of buf through the key in its mode; the chain moves on */
static void ck_run(ck_key *key, uint8_t *buf, size_t n, int encrypt)
{
    for (size_t off = 0; off < n; off += 16) {
        uint8_t *b = buf + off, in[16];
        memcpy(in, b, 16);
        if (encrypt) {
            if (key->mode == CK_CRYPT_MODE_CBC)
                for (int i = 0; i < 16; i++)
                    b[i] ^= key->chain[i];
            cc_encrypt(&key->aes, 16, b, b);
            if (key->mode == CK_CRYPT_MODE_CBC)
                memcpy(key->chain, b, 16);
        } else {
            cc_decrypt(&key->aes, 16, b, b);
            if (key->mode == CK_CRYPT_MODE_CBC) {
                for (int i = 0; i < 16; i++)
                    b[i] ^= key->chain[i];
                memcpy(key->chain, in, 16);
            }
        }
    }
}

/* the key for CryptEncrypt/CryptDecrypt, locked; NULL with the error set */
static ck_key *ck_cipher(ULONG_PTR h)
{
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (key && is_aes(key->algid))
        return key;
    pthread_mutex_unlock(&ck_lock);
    if (key) {
        static int said;
        if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
            rt_message("advapi32.dll!CryptEncrypt/CryptDecrypt with a key other than AES is "
                       "not implemented");
        ck_fail(CK_NTE_BAD_ALGID);
    } else {
        ck_fail(CK_ERROR_INVALID_PARAMETER);
    }
    return NULL;
}

BOOL WINAPI CryptEncrypt(ULONG_PTR h, ULONG_PTR hash, BOOL final, DWORD flags, BYTE *data,
                         DWORD *len, DWORD buflen)
{
    DWORD n;
    (void)flags;
    if (!len || rt_safe_copy(&n, len, sizeof n))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (!final && n % 16)
        return ck_fail(CK_NTE_BAD_DATA);
    DWORD out = final ? (n / 16 + 1) * 16 : n;
    if (!data || buflen < out) {
        if (rt_safe_copy(len, &out, sizeof out))
            return ck_fail(CK_ERROR_NOACCESS);
        return data ? ck_fail(CK_ERROR_MORE_DATA) : 1;
    }
    uint8_t *buf = malloc(out ? out : 1);
    if (!buf)
        return ck_fail(CK_ERROR_NOT_ENOUGH_MEMORY);
    if (rt_safe_copy(buf, data, n)) {
        free(buf);
        return ck_fail(CK_ERROR_NOACCESS);
    }
    if (hash && !CryptHashData(hash, buf, n, 0)) {
        free(buf);
        return 0;
    }
    memset(buf + n, (int)(out - n), out - n);
    ck_key *key = ck_cipher(h);
    if (!key) {
        free(buf);
        return 0;
    }
    ck_run(key, buf, out, 1);
    if (final)
        memcpy(key->chain, key->iv, 16);
    pthread_mutex_unlock(&ck_lock);
    BOOL ok = !rt_safe_copy(data, buf, out) && !rt_safe_copy(len, &out, sizeof out);
    free(buf);
    return ok ? 1 : ck_fail(CK_ERROR_NOACCESS);
}
THK_EXPORT(advapi32, CryptEncrypt, 7);

BOOL WINAPI CryptDecrypt(ULONG_PTR h, ULONG_PTR hash, BOOL final, DWORD flags, BYTE *data,
                         DWORD *len)
{
    DWORD n;
    (void)flags;
    if (!len || !data || rt_safe_copy(&n, len, sizeof n))
        return ck_fail(CK_ERROR_INVALID_PARAMETER);
    if (n % 16)
        return ck_fail(CK_NTE_BAD_DATA);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return ck_fail(CK_ERROR_NOT_ENOUGH_MEMORY);
    if (rt_safe_copy(buf, data, n)) {
        free(buf);
        return ck_fail(CK_ERROR_NOACCESS);
    }
    ck_key *key = ck_cipher(h);
    if (!key) {
        free(buf);
        return 0;
    }
    ck_run(key, buf, n, 0);
    if (final)
        memcpy(key->chain, key->iv, 16);
    pthread_mutex_unlock(&ck_lock);
    if (final) {
        uint32_t pad = n ? buf[n - 1] : 0, bad = pad < 1 || pad > 16 || pad > n;
        for (uint32_t i = 1; !bad && i <= pad; i++)
            bad = buf[n - i] != pad;
        if (bad) {
            free(buf);
            return ck_fail(CK_NTE_BAD_DATA);
        }
        n -= pad;
    }
    BOOL ok = !rt_safe_copy(data, buf, n) && !rt_safe_copy(len, &n, sizeof n);
    if (ok && hash && !CryptHashData(hash, buf, n, 0)) {
        free(buf);
        return 0;
    }
    free(buf);
    return ok ? 1 : ck_fail(CK_ERROR_NOACCESS);
}
THK_EXPORT(advapi32, CryptDecrypt, 6);

/* crypt_private.h: an HMAC key's bytes */
bool ck_key_secret(ULONG_PTR h, uint8_t *out, uint32_t *len)
{
    pthread_mutex_lock(&ck_lock);
    ck_key *key = ck_get(h);
    if (key) {
        memcpy(out, key->secret, key->len);
        *len = key->len;
    }
    pthread_mutex_unlock(&ck_lock);
    return key != NULL;
}
