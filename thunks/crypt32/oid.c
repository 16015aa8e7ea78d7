/* SPDX-License-Identifier: MIT */
/* crypt32's object identifier table: CryptFindOIDInfo (by OID, name, ALG_ID, signature
 * {hash, public key} ALG_ID pair, CNG algorithm name or CNG signature pair, within one group or
 * all), CryptEnumOIDInfo, CertOIDToAlgId and CertAlgIdToOID.
 *
 * The table is a subset of the one Windows has: the hash, encryption, public key and signature
 * algorithms programs look up, the common name attributes, extensions and attributes, enhanced
 * key usages and the any-policy OID, with the names, ALG_IDs, extra data and CNG names
 * Microsoft documents for them (wincrypt.h constants, "CRYPT_OID_INFO structure",
 * "CryptFindOIDInfo"). The entries are CRYPT_OID_INFO structures handed to the program as they are
 * (Windows also returns pointers into its own table), made at the first look-up from a table
 * without pointers (oid_table.h). Groups come in
 * Windows' order (hash, encrypt, public key, signature, RDN, extension/attribute, EKU, policy),
 * so a search in all groups finds what Windows finds first. Not done: registered OIDs
 * (CryptRegisterOIDInfo), the directory-service search, key-length matching within a group
 * (CRYPT_OID_INFO_OID_GROUP_BIT_LEN_MASK is ignored). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uchar.h>
#include "runtime/runtime.h"
#include "runtime/win.h"
#include "thunks/thunks.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

/* CRYPT_OID_INFO (x64), with CRYPT_OID_INFO_HAS_EXTRA_FIELDS */
typedef struct {
    uint32_t cb;              /* 0x00 cbSize */
    const char *oid;          /* 0x08 pszOID */
    const char16_t *name;     /* 0x10 pwszName */
    uint32_t group;           /* 0x18 dwGroupId */
    uint32_t value;           /* 0x1c dwValue / Algid / dwLength */
    uint32_t extra_cb;        /* 0x20 ExtraInfo.cbData */
    const void *extra;        /* 0x28 ExtraInfo.pbData */
    const char16_t *cng;      /* 0x30 pwszCNGAlgid */
    const char16_t *cng_extra; /* 0x38 pwszCNGExtraAlgid */
} oid_info;
_Static_assert(offsetof(oid_info, name) == 0x10, "CRYPT_OID_INFO.pwszName");
_Static_assert(offsetof(oid_info, value) == 0x1c, "CRYPT_OID_INFO.Algid");
_Static_assert(offsetof(oid_info, extra) == 0x28, "CRYPT_OID_INFO.ExtraInfo.pbData");
_Static_assert(offsetof(oid_info, cng_extra) == 0x38, "CRYPT_OID_INFO.pwszCNGExtraAlgid");
_Static_assert(sizeof(oid_info) == 0x40, "sizeof(CRYPT_OID_INFO)");

/* dwKeyType */
#define KEY_OID 1u
#define KEY_NAME 2u
#define KEY_ALGID 3u
#define KEY_SIGN 4u
#define KEY_CNG_ALGID 5u
#define KEY_CNG_SIGN 6u
#define KEY_TYPE_MASK 0x0000ffffu
#define KEY_PUBKEY_SIGN 0x80000000u    /* CRYPT_OID_INFO_PUBKEY_SIGN_KEY_FLAG */
#define KEY_PUBKEY_ENCRYPT 0x40000000u /* CRYPT_OID_INFO_PUBKEY_ENCRYPT_KEY_FLAG */
/* dwGroupId: the group is the low 16 bits; above are a key length and search flags */
#define GROUP_MASK 0x0000ffffu
/* public key ExtraInfo flags */
#define PUBKEY_ENCRYPT_ONLY 0x40000000u /* CRYPT_OID_PUBKEY_ENCRYPT_ONLY_FLAG */
#define PUBKEY_SIGN_ONLY 0x80000000u    /* CRYPT_OID_PUBKEY_SIGN_ONLY_FLAG */
/* signature ExtraInfo flags */
#define NO_NULL_PARAMS 0x1u /* CRYPT_OID_NO_NULL_ALGORITHM_PARA_FLAG */
#define INHIBIT_SIGN_FORMAT 0x2u /* CRYPT_OID_INHIBIT_SIGNATURE_FORMAT_FLAG */

enum { G_HASH = 1, G_ENCRYPT, G_PUBKEY, G_SIGN, G_RDN, G_EXT, G_EKU, G_POLICY };

/* ALG_IDs */
#define CALG_MD2 0x8001u
#define CALG_MD4 0x8002u
#define CALG_MD5 0x8003u
#define CALG_SHA1 0x8004u
#define CALG_SHA_256 0x800cu
#define CALG_SHA_384 0x800du
#define CALG_SHA_512 0x800eu
#define CALG_RC2 0x6602u
#define CALG_RC4 0x6801u
#define CALG_DES 0x6601u
#define CALG_3DES 0x6603u
#define CALG_AES_128 0x660eu
#define CALG_AES_192 0x660fu
#define CALG_AES_256 0x6610u
#define CALG_RSA_SIGN 0x2400u
#define CALG_RSA_KEYX 0xa400u
#define CALG_DSS_SIGN 0x2200u
#define CALG_DH_SF 0xaa01u
#define CALG_ECDH 0xaa05u
#define CALG_NO_SIGN 0x2000u
#define CALG_OID_INFO_CNG_ONLY 0xffffffffu
#define CALG_OID_INFO_PARAMETERS 0xfffffffeu

/* Extra data: DWORD arrays (public key: flags; signature: public key ALG_ID, flags; RDN
 * attributes: the value types they may be encoded in (CERT_RDN_*), 0-terminated). */
#define OID_EXTRAS(X)                                                                         \
    X(x_rsa_pub, 0)                                                                           \
    X(x_dsa_pub, PUBKEY_SIGN_ONLY | NO_NULL_PARAMS)                                           \
    X(x_dh_pub, PUBKEY_ENCRYPT_ONLY)                                                          \
    X(x_ecc_pub, PUBKEY_SIGN_ONLY | NO_NULL_PARAMS)                                           \
    X(x_sig_rsa, CALG_RSA_SIGN)                                                               \
    X(x_sig_dsa, CALG_DSS_SIGN, NO_NULL_PARAMS)                                               \
    X(x_sig_ecdsa, CALG_OID_INFO_CNG_ONLY, NO_NULL_PARAMS)                                    \
    X(x_sig_pss, CALG_OID_INFO_CNG_ONLY, 0)                                                   \
    X(x_sig_nosign, CALG_NO_SIGN, 0)                                                          \
    X(x_rdn_print, 4 /* PRINTABLE */, 0)                                                      \
    X(x_rdn_ia5, 7 /* IA5 */, 0)                                                              \
    X(x_rdn_any, 4, 12 /* UTF8 */, 0)
#define OID_X_ENUM(name, ...) name,
#define OID_X_VALUES(name, ...) [name] = {__VA_ARGS__},
#define OID_X_CB(name, ...) [name] = sizeof((const uint32_t[]){__VA_ARGS__}),
enum { x_none, OID_EXTRAS(OID_X_ENUM) x_count };
static const uint32_t oid_extra_values[x_count][3] = {OID_EXTRAS(OID_X_VALUES)};
static const uint8_t oid_extra_cb[x_count] = {OID_EXTRAS(OID_X_CB)};

/* The table (oid_table.h) is kept without pointers, so that it stays read-only data the
 * dynamic linker never writes at start (docs/performance.md, fifteenth pass): its strings in
 * one block, four to an entry (OID, name, CNG name, CNG extra name, each NUL-ended), the
 * numbers beside. The CRYPT_OID_INFO structures the program is handed are made from them
 * once, at the first look-up. */
#define E(o, n, g, v) o "\0" n "\0" "\0" "\0"
#define EC(o, n, g, v, c) o "\0" n "\0" c "\0" "\0"
#define EX(o, n, g, v, x, c, c2) o "\0" n "\0" c "\0" c2 "\0"
static const char oid_text[] =
#include "thunks/crypt32/oid_table.h"
    ;
#undef E
#undef EC
#undef EX
typedef struct {
    uint8_t group, extra;
    uint32_t value;
} oid_num;
#define E(o, n, g, v) {g, x_none, v},
#define EC(o, n, g, v, c) {g, x_none, v},
#define EX(o, n, g, v, x, c, c2) {g, x, v},
static const oid_num oid_nums[] = {
#include "thunks/crypt32/oid_table.h"
};
#undef E
#undef EC
#undef EX
#define OID_COUNT (sizeof oid_nums / sizeof oid_nums[0])

static oid_info oid_table[OID_COUNT];
static char16_t oid_wtext[sizeof oid_text];
static rt_once_t oid_table_once = RT_ONCE_INIT;

static void oid_table_make(void)
{
    for (size_t i = 0; i < sizeof oid_text; i++)
        oid_wtext[i] = (unsigned char)oid_text[i];
    size_t at = 0;
    for (size_t i = 0; i < OID_COUNT; i++) {
        oid_info *e = &oid_table[i];
        size_t off[4];
        for (int k = 0; k < 4; k++) {
            off[k] = at;
            at += strlen(oid_text + at) + 1;
        }
        e->cb = sizeof(oid_info);
        e->oid = oid_text + off[0];
        e->name = oid_wtext + off[1];
        e->cng = oid_wtext + off[2];
        e->cng_extra = oid_wtext + off[3];
        e->group = oid_nums[i].group;
        e->value = oid_nums[i].value;
        if (oid_nums[i].extra != x_none) {
            e->extra_cb = oid_extra_cb[oid_nums[i].extra];
            e->extra = oid_extra_values[oid_nums[i].extra];
        }
    }
}

static const oid_info *oid_table_get(void)
{
    rt_once(&oid_table_once, oid_table_make);
    return oid_table;
}

static bool wstr_ieq(const char16_t *a, const char16_t *b)
{
    for (;; a++, b++) {
        char16_t x = *a, y = *b;
        if (x >= 'a' && x <= 'z')
            x = (char16_t)(x - 32);
        if (y >= 'a' && y <= 'z')
            y = (char16_t)(y - 32);
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

static uint32_t extra_dword(const oid_info *e, size_t i)
{
    return e->extra_cb >= (i + 1) * 4 ? ((const uint32_t *)e->extra)[i] : 0;
}

/* Does entry `e` answer the key? */
static bool oid_matches(const oid_info *e, uint32_t key_type, const void *key)
{
    switch (key_type & KEY_TYPE_MASK) {
    case KEY_OID:
        return !strcmp(e->oid, key);
    case KEY_NAME:
        return wstr_ieq(e->name, key);
    case KEY_ALGID: {
        uint32_t alg = *(const uint32_t *)key;
        if (!alg || e->value != alg)
            return false;
        if (e->group == G_PUBKEY && (key_type & KEY_PUBKEY_SIGN) &&
            (extra_dword(e, 0) & PUBKEY_ENCRYPT_ONLY))
            return false;
        if (e->group == G_PUBKEY && (key_type & KEY_PUBKEY_ENCRYPT) &&
            (extra_dword(e, 0) & PUBKEY_SIGN_ONLY))
            return false;
        return true;
    }
    case KEY_SIGN: {
        const uint32_t *pair = key; /* {hash ALG_ID, public key ALG_ID} */
        return e->group == G_SIGN && e->value == pair[0] && extra_dword(e, 0) == pair[1];
    }
    case KEY_CNG_ALGID:
        return e->cng[0] && wstr_ieq(e->cng, key);
    case KEY_CNG_SIGN: {
        const char16_t *const *pair = key; /* {hash, public key} CNG names */
        return e->group == G_SIGN && e->cng[0] && wstr_ieq(e->cng, pair[0]) &&
               wstr_ieq(e->cng_extra, pair[1]);
    }
    }
    return false;
}

static const oid_info *oid_find(uint32_t key_type, const void *key, uint32_t group_id)
{
    uint32_t group = group_id & GROUP_MASK;
    if (!key)
        return NULL;
    const oid_info *table = oid_table_get();
    for (size_t i = 0; i < OID_COUNT; i++) {
        const oid_info *e = &table[i];
        if ((!group || e->group == group) && oid_matches(e, key_type, key))
            return e;
    }
    return NULL;
}

static const void *__attribute__((ms_abi))
CryptFindOIDInfo(DWORD key_type, const void *key, DWORD group_id)
{
    return oid_find(key_type, key, group_id);
}
THK_EXPORT(crypt32, CryptFindOIDInfo, 3);

/* Calls fn(info, arg) (a foreign BOOL WINAPI callback) for each entry of the group (0: all)
 * until it returns FALSE; the result is FALSE then, else TRUE. */
static BOOL __attribute__((ms_abi))
CryptEnumOIDInfo(DWORD group_id, DWORD flags, void *arg, const void *fn)
{
    uint32_t group = group_id & GROUP_MASK;
    (void)flags;
    if (!fn)
        return TRUE;
    const oid_info *table = oid_table_get();
    for (size_t i = 0; i < OID_COUNT; i++) {
        const oid_info *e = &table[i];
        if (group && e->group != group)
            continue;
        if (!(uint32_t)thk_call_foreign2(fn, (uint64_t)(uintptr_t)e, (uint64_t)(uintptr_t)arg))
            return FALSE;
    }
    return TRUE;
}
THK_EXPORT(crypt32, CryptEnumOIDInfo, 4);

/* The ALG_ID of an OID (any group), 0 when unknown. */
static DWORD __attribute__((ms_abi)) CertOIDToAlgId(const char *oid)
{
    const oid_info *e = oid_find(KEY_OID, oid, 0);
    return e ? e->value : 0;
}
THK_EXPORT(crypt32, CertOIDToAlgId, 1);

/* The OID of an ALG_ID (any group), NULL when unknown. */
static const char *__attribute__((ms_abi)) CertAlgIdToOID(DWORD alg)
{
    const oid_info *e = oid_find(KEY_ALGID, &alg, 0);
    return e ? e->oid : NULL;
}
THK_EXPORT(crypt32, CertAlgIdToOID, 1);
