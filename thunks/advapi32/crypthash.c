/* SPDX-License-Identifier: MIT */
/* CryptoAPI's hash objects: CryptCreateHash, CryptHashData, CryptGetHashParam, CryptDuplicateHash,
 * CryptDestroyHash, with MD4, MD5, SHA-1 on every provider and SHA-256/384/512 on PROV_RSA_AES
 * (and the SChannel provider), as Windows' Microsoft providers offer them: SHA-2 on a
 * PROV_RSA_FULL context fails with NTE_BAD_ALGID there too. libarchive (CMake's `-E tar`, its
 * file(ARCHIVE_*)) and libcurl's NTLM hash through these. The digests are crypt_digest.c's.
 *
 * MD2 (RFC 1319) too. CALG_HMAC takes a key (cryptkey.c; an RC2 PLAINTEXTKEYBLOB imported with
 * CRYPT_IPSEC_HMAC_KEY, as the documentation's example does) and its digest from
 * CryptSetHashParam(HP_HMAC_INFO), before any data; the pads are HMAC_INFO's strings (repeated
 * to the block) or RFC 2104's 0x36/0x5c. CryptSetHashParam also takes HP_HASHVAL.
 * Not done: CALG_MAC (NTE_BAD_ALGID, said once), CALG_SSL3_SHAMD5, CryptSignHash. A hash is a small number kept in a
 * table, never a pointer; 0 or a made-up handle gives ERROR_INVALID_PARAMETER, as advapi32's
 * checks of its handles do before a provider sees them. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/advapi32/crypt_private.h"
#include "thunks/thunks_private.h"

#define CH_CALG_MD2 0x8001u
#define CH_CALG_MD4 0x8002u
#define CH_CALG_MD5 0x8003u
#define CH_CALG_SHA1 0x8004u
#define CH_CALG_MAC 0x8005u
#define CH_CALG_HMAC 0x8009u
#define CH_CALG_SHA_256 0x800Cu
#define CH_CALG_SHA_384 0x800Du
#define CH_CALG_SHA_512 0x800Eu

#define CH_PROV_RSA_SCHANNEL 12u
#define CH_PROV_RSA_AES 24u

#define CH_HP_ALGID 1u
#define CH_HP_HASHVAL 2u
#define CH_HP_HASHSIZE 4u
#define CH_HP_HMAC_INFO 5u
#define CH_CRYPT_USERDATA 1u
#define CH_CRYPT_SECRETDIGEST 1u

#define CH_NTE_BAD_KEY 0x80090003u
#define CH_NTE_BAD_ALGID 0x80090008u
#define CH_NTE_BAD_FLAGS 0x80090009u
#define CH_NTE_BAD_TYPE 0x8009000Au
#define CH_NTE_BAD_HASH_STATE 0x8009000Cu
#define CH_NTE_BAD_HASH 0x80090002u
#define CH_ERROR_INVALID_PARAMETER 87u
#define CH_ERROR_NOACCESS 998u
#define CH_ERROR_MORE_DATA 234u
#define CH_ERROR_NOT_ENOUGH_MEMORY 8u

#define CH_SLOTS 1024
#define CH_HANDLE_BASE 0x43480000u /* "CH": slot i is CH_HANDLE_BASE + i + 1 */

typedef struct {
    uint32_t algid;
    bool finished;          /* HP_HASHVAL was read: the value is fixed, no more data */
    uint8_t value[CD_MAX_SIZE];
    cd_ctx ctx;
    /* CALG_HMAC: the key until HP_HMAC_INFO names the digest (ready), then the outer pad */
    bool hmac, ready;
    uint32_t keylen;
    uint8_t key[CK_MAX_SECRET];
    uint8_t outer[128];
} ch_hash;

/* One lock for the table and the hashes in it: a program hashing on several threads at once
 * takes turns, which CryptoAPI's callers (one hash per archive entry) do not notice. */
static pthread_mutex_t ch_lock = PTHREAD_MUTEX_INITIALIZER;
static ch_hash *ch_table[CH_SLOTS];

static BOOL ch_fail(uint32_t err)
{
    thk_set_last_error(err);
    return 0;
}

/* The hash of a handle, or NULL. Called with ch_lock held. */
static ch_hash *ch_get(ULONG_PTR h)
{
    if (h <= CH_HANDLE_BASE || h > CH_HANDLE_BASE + CH_SLOTS)
        return NULL;
    return ch_table[h - CH_HANDLE_BASE - 1];
}

/* Puts `hash` in a free slot and writes its handle to the program's `out`. */
static BOOL ch_publish(ch_hash *hash, ULONG_PTR *out)
{
    pthread_mutex_lock(&ch_lock);
    int i = 0;
    while (i < CH_SLOTS && ch_table[i])
        i++;
    if (i < CH_SLOTS)
        ch_table[i] = hash;
    pthread_mutex_unlock(&ch_lock);
    if (i == CH_SLOTS) {
        free(hash);
        return ch_fail(CH_ERROR_NOT_ENOUGH_MEMORY);
    }
    ULONG_PTR h = CH_HANDLE_BASE + (ULONG_PTR)i + 1;
    if (rt_safe_copy(out, &h, sizeof h)) {
        pthread_mutex_lock(&ch_lock);
        ch_table[i] = NULL;
        pthread_mutex_unlock(&ch_lock);
        free(hash);
        return ch_fail(CH_ERROR_NOACCESS);
    }
    return 1;
}

/* The digest behind an ALG_ID on a provider of type `type`, or -1 (NTE_BAD_ALGID). */
static int ch_algo(uint32_t algid, uint32_t type)
{
    bool sha2 = type == CH_PROV_RSA_AES || type == CH_PROV_RSA_SCHANNEL;
    switch (algid) {
    case CH_CALG_MD2: return CD_MD2;
    case CH_CALG_MD4: return CD_MD4;
    case CH_CALG_MD5: return CD_MD5;
    case CH_CALG_SHA1: return CD_SHA1;
    case CH_CALG_SHA_256: return sha2 ? CD_SHA256 : -1;
    case CH_CALG_SHA_384: return sha2 ? CD_SHA384 : -1;
    case CH_CALG_SHA_512: return sha2 ? CD_SHA512 : -1;
    }
    return -1;
}

BOOL WINAPI CryptCreateHash(ULONG_PTR prov, uint32_t algid, ULONG_PTR key, DWORD flags,
                            ULONG_PTR *out)
{
    uint32_t type;
    if (!out)
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    if (!cp_provider_type(prov, &type))
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    if (flags & ~CH_CRYPT_SECRETDIGEST)
        return ch_fail(CH_NTE_BAD_FLAGS);
    if (!ntl_ready()) /* Nettle, opened on this first use */
        return ch_fail(NTL_NTE_PROV_DLL_NOT_FOUND);
    if (algid == CH_CALG_MAC) {
        static int said;
        if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
            rt_message("advapi32.dll!CryptCreateHash(CALG_MAC) is not implemented");
        return ch_fail(CH_NTE_BAD_ALGID);
    }
    int algo = algid == CH_CALG_HMAC ? 0 : ch_algo(algid, type);
    if (algo < 0)
        return ch_fail(CH_NTE_BAD_ALGID);
    ch_hash *hash = calloc(1, sizeof *hash);
    if (!hash)
        return ch_fail(CH_ERROR_NOT_ENOUGH_MEMORY);
    hash->algid = algid;
    if (algid == CH_CALG_HMAC) {
        hash->hmac = true;
        if (!ck_key_secret(key, hash->key, &hash->keylen)) {
            free(hash);
            return ch_fail(CH_NTE_BAD_KEY);
        }
    } else {
        cd_init(&hash->ctx, (cd_algo)algo); /* an unkeyed hash does not look at `key` */
    }
    return ch_publish(hash, out);
}
THK_EXPORT(advapi32, CryptCreateHash, 5);

BOOL WINAPI CryptHashData(ULONG_PTR h, const BYTE *data, DWORD len, DWORD flags)
{
    if (flags & ~CH_CRYPT_USERDATA)
        return ch_fail(CH_NTE_BAD_FLAGS);
    if (len && !data)
        return ch_fail(CH_ERROR_NOACCESS);
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    uint32_t err = 0;
    if (!hash)
        err = CH_ERROR_INVALID_PARAMETER;
    else if (hash->finished || (hash->hmac && !hash->ready))
        err = CH_NTE_BAD_HASH_STATE;
    /* foreign memory comes in through a bounce buffer: a bad pointer is ERROR_NOACCESS with
     * what came before it hashed, as a fault part-way would leave it on Windows */
    while (!err && len) {
        uint8_t chunk[4096];
        DWORD n = len < sizeof chunk ? len : (DWORD)sizeof chunk;
        if (rt_safe_copy(chunk, data, n)) {
            err = CH_ERROR_NOACCESS;
            break;
        }
        cd_update(&hash->ctx, chunk, n);
        data += n, len -= n;
    }
    pthread_mutex_unlock(&ch_lock);
    return err ? ch_fail(err) : 1;
}
THK_EXPORT(advapi32, CryptHashData, 4);

/* Fixes the value of `hash` (HMAC: the outer digest over the inner one). Called with ch_lock
 * held. */
static void ch_finish(ch_hash *hash)
{
    if (hash->finished)
        return;
    cd_final(&hash->ctx, hash->value);
    if (hash->hmac) {
        cd_algo algo = hash->ctx.algo;
        cd_init(&hash->ctx, algo);
        cd_update(&hash->ctx, hash->outer, hash->ctx.block);
        cd_update(&hash->ctx, hash->value, cd_size(algo));
        cd_final(&hash->ctx, hash->value);
    }
    hash->finished = true;
}

BOOL WINAPI CryptGetHashParam(ULONG_PTR h, DWORD param, BYTE *data, DWORD *len, DWORD flags)
{
    DWORD have;
    if (!len)
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    if (rt_safe_copy(&have, len, sizeof have))
        return ch_fail(CH_ERROR_NOACCESS);
    if (flags)
        return ch_fail(CH_NTE_BAD_FLAGS);
    uint8_t value[CD_MAX_SIZE];
    DWORD need = 0;
    uint32_t err = 0;
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    if (!hash) {
        err = CH_ERROR_INVALID_PARAMETER;
    } else if (hash->hmac && !hash->ready && param != CH_HP_ALGID) {
        err = CH_NTE_BAD_HASH_STATE;
    } else if (param == CH_HP_ALGID || param == CH_HP_HASHSIZE) {
        uint32_t v = param == CH_HP_ALGID ? hash->algid : cd_size(hash->ctx.algo);
        memcpy(value, &v, sizeof v);
        need = sizeof v;
    } else if (param == CH_HP_HASHVAL) {
        need = cd_size(hash->ctx.algo);
        /* asking for the size only leaves the hash open; any other ask closes it */
        if (data)
            ch_finish(hash);
        memcpy(value, hash->value, need);
    } else {
        err = CH_NTE_BAD_TYPE;
    }
    pthread_mutex_unlock(&ch_lock);
    if (err)
        return ch_fail(err);
    if (rt_safe_copy(len, &need, sizeof need))
        return ch_fail(CH_ERROR_NOACCESS);
    if (!data)
        return 1;
    if (have < need)
        return ch_fail(CH_ERROR_MORE_DATA);
    if (rt_safe_copy(data, value, need))
        return ch_fail(CH_ERROR_NOACCESS);
    return 1;
}
THK_EXPORT(advapi32, CryptGetHashParam, 5);

BOOL WINAPI CryptDuplicateHash(ULONG_PTR h, DWORD *reserved, DWORD flags, ULONG_PTR *out)
{
    if (reserved || flags || !out)
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    ch_hash *copy = malloc(sizeof *copy);
    if (!copy)
        return ch_fail(CH_ERROR_NOT_ENOUGH_MEMORY);
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    if (hash)
        *copy = *hash;
    pthread_mutex_unlock(&ch_lock);
    if (!hash) {
        free(copy);
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    }
    return ch_publish(copy, out);
}
THK_EXPORT(advapi32, CryptDuplicateHash, 4);

BOOL WINAPI CryptDestroyHash(ULONG_PTR h)
{
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    if (hash)
        ch_table[h - CH_HANDLE_BASE - 1] = NULL;
    pthread_mutex_unlock(&ch_lock);
    if (!hash)
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    free(hash);
    return 1;
}
THK_EXPORT(advapi32, CryptDestroyHash, 1);

/* HMAC_INFO (wincrypt.h), x64 */
typedef struct {
    uint32_t HashAlgid;     /* 0x00 */
    uint8_t *pbInnerString; /* 0x08 */
    uint32_t cbInnerString; /* 0x10 */
    uint8_t *pbOuterString; /* 0x18 */
    uint32_t cbOuterString; /* 0x20 */
} ch_hmac_info;
_Static_assert(offsetof(ch_hmac_info, pbOuterString) == 0x18, "HMAC_INFO.pbOuterString");

/* an HMAC pad: `s` repeated over the block (`dflt` repeated when there is none) XOR the key */
static bool ch_pad(uint8_t *pad, uint32_t block, const uint8_t *s, uint32_t n, uint8_t dflt,
                   const uint8_t *key, uint32_t keylen)
{
    uint8_t str[128];
    if (n > sizeof str)
        n = sizeof str;
    if (n && rt_safe_copy(str, s, n))
        return false;
    for (uint32_t i = 0; i < block; i++)
        pad[i] = (uint8_t)((n ? str[i % n] : dflt) ^ (i < keylen ? key[i] : 0));
    return true;
}

BOOL WINAPI CryptSetHashParam(ULONG_PTR h, DWORD param, const BYTE *data, DWORD flags)
{
    ch_hmac_info info;
    uint8_t value[CD_MAX_SIZE];
    uint32_t err = 0;
    if (!data)
        return ch_fail(CH_ERROR_INVALID_PARAMETER);
    if (flags)
        return ch_fail(CH_NTE_BAD_FLAGS);
    if (param == CH_HP_HMAC_INFO && rt_safe_copy(&info, data, sizeof info))
        return ch_fail(CH_ERROR_NOACCESS);
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    if (!hash) {
        err = CH_ERROR_INVALID_PARAMETER;
    } else if (param == CH_HP_HMAC_INFO) {
        int algo = ch_algo(info.HashAlgid, CH_PROV_RSA_AES);
        if (!hash->hmac || hash->ready) {
            err = CH_NTE_BAD_HASH_STATE;
        } else if (algo < 0 || algo == CD_MD2) {
            err = CH_NTE_BAD_ALGID;
        } else {
            uint8_t key[CD_MAX_SIZE > CK_MAX_SECRET ? CD_MAX_SIZE : CK_MAX_SECRET], inner[128];
            uint32_t keylen = hash->keylen;
            cd_init(&hash->ctx, (cd_algo)algo);
            uint32_t block = hash->ctx.block;
            memcpy(key, hash->key, keylen);
            if (keylen > block) { /* RFC 2104: a longer key is hashed first */
                cd_update(&hash->ctx, key, keylen);
                cd_final(&hash->ctx, key);
                keylen = cd_size((cd_algo)algo);
                cd_init(&hash->ctx, (cd_algo)algo);
            }
            if (!ch_pad(inner, block, info.pbInnerString, info.cbInnerString, 0x36, key, keylen) ||
                !ch_pad(hash->outer, block, info.pbOuterString, info.cbOuterString, 0x5c, key,
                        keylen)) {
                err = CH_ERROR_NOACCESS;
            } else {
                cd_update(&hash->ctx, inner, block);
                hash->ready = true;
            }
        }
    } else if (param == CH_HP_HASHVAL) {
        if (hash->hmac && !hash->ready) {
            err = CH_NTE_BAD_HASH_STATE;
        } else if (rt_safe_copy(value, data, cd_size(hash->ctx.algo))) {
            err = CH_ERROR_NOACCESS;
        } else {
            memcpy(hash->value, value, cd_size(hash->ctx.algo));
            hash->finished = true;
        }
    } else {
        err = CH_NTE_BAD_TYPE;
    }
    pthread_mutex_unlock(&ch_lock);
    return err ? ch_fail(err) : 1;
}
THK_EXPORT(advapi32, CryptSetHashParam, 4);

bool ch_hash_value(ULONG_PTR h, uint8_t *out, uint32_t *len, uint32_t *algid)
{
    pthread_mutex_lock(&ch_lock);
    ch_hash *hash = ch_get(h);
    bool ok = hash && (!hash->hmac || hash->ready);
    if (ok) {
        ch_finish(hash);
        *len = cd_size(hash->ctx.algo);
        memcpy(out, hash->value, *len);
        *algid = hash->algid;
    }
    pthread_mutex_unlock(&ch_lock);
    return ok;
}

bool ch_digest(uint32_t algid, const void *data, size_t len, uint8_t *out, uint32_t *size)
{
    int algo = ch_algo(algid, CH_PROV_RSA_AES);
    if (algo < 0 || !ntl_ready())
        return false;
    cd_ctx ctx;
    cd_init(&ctx, (cd_algo)algo);
    cd_update(&ctx, data, len);
    cd_final(&ctx, out);
    *size = cd_size((cd_algo)algo);
    return true;
}
