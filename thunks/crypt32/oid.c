/* SPDX-License-Identifier: MIT */
/* crypt32's object identifier table: CryptFindOIDInfo (by OID, name, ALG_ID, signature
 * {hash, public key} ALG_ID pair, CNG algorithm name or CNG signature pair, within one group or
 * all), CryptEnumOIDInfo, CertOIDToAlgId and CertAlgIdToOID.
 *
 * The table is a subset of the one Windows has: the hash, encryption, public key and signature
 * algorithms programs look up, the common name attributes, extensions and attributes, enhanced
 * key usages and the any-policy OID, with the names, ALG_IDs, extra data and CNG names
 * Microsoft documents for them (wincrypt.h constants, "CRYPT_OID_INFO structure",
 * "CryptFindOIDInfo"). The entries are CRYPT_OID_INFO structures in read-only data handed to the
 * program as they are (Windows also returns pointers into its own table). Groups come in
 * Windows' order (hash, encrypt, public key, signature, RDN, extension/attribute, EKU, policy),
 * so a search in all groups finds what Windows finds first. Not done: registered OIDs
 * (CryptRegisterOIDInfo), the directory-service search, key-length matching within a group
 * (CRYPT_OID_INFO_OID_GROUP_BIT_LEN_MASK is ignored). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uchar.h>
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

/* Extra data: DWORD arrays (public key: flags; signature: public key ALG_ID, flags). */
static const uint32_t x_rsa_pub[] = {0};
static const uint32_t x_dsa_pub[] = {PUBKEY_SIGN_ONLY | NO_NULL_PARAMS};
static const uint32_t x_dh_pub[] = {PUBKEY_ENCRYPT_ONLY};
static const uint32_t x_ecc_pub[] = {PUBKEY_SIGN_ONLY | NO_NULL_PARAMS};
static const uint32_t x_sig_rsa[] = {CALG_RSA_SIGN};
static const uint32_t x_sig_dsa[] = {CALG_DSS_SIGN, NO_NULL_PARAMS};
static const uint32_t x_sig_ecdsa[] = {CALG_OID_INFO_CNG_ONLY, NO_NULL_PARAMS};
static const uint32_t x_sig_pss[] = {CALG_OID_INFO_CNG_ONLY, 0};
static const uint32_t x_sig_nosign[] = {CALG_NO_SIGN, 0};
/* RDN attributes: the value types they may be encoded in (CERT_RDN_*), 0-terminated */
static const uint32_t x_rdn_print[] = {4 /* PRINTABLE */, 0};
static const uint32_t x_rdn_ia5[] = {7 /* IA5 */, 0};
static const uint32_t x_rdn_any[] = {4, 12 /* UTF8 */, 0};

#define E(o, n, g, v) {sizeof(oid_info), o, u##n, g, v, 0, NULL, u"", u""}
#define EC(o, n, g, v, c) {sizeof(oid_info), o, u##n, g, v, 0, NULL, u##c, u""}
#define EX(o, n, g, v, x, c, c2) \
    {sizeof(oid_info), o, u##n, g, v, sizeof(x), x, u##c, u##c2}

static const oid_info oid_table[] = {
    /* hash algorithms */
    EC("1.3.14.3.2.26", "sha1", G_HASH, CALG_SHA1, "SHA1"),
    EC("1.2.840.113549.2.5", "md5", G_HASH, CALG_MD5, "MD5"),
    EC("1.2.840.113549.2.4", "md4", G_HASH, CALG_MD4, "MD4"),
    EC("1.2.840.113549.2.2", "md2", G_HASH, CALG_MD2, "MD2"),
    EC("2.16.840.1.101.3.4.2.1", "sha256", G_HASH, CALG_SHA_256, "SHA256"),
    EC("2.16.840.1.101.3.4.2.2", "sha384", G_HASH, CALG_SHA_384, "SHA384"),
    EC("2.16.840.1.101.3.4.2.3", "sha512", G_HASH, CALG_SHA_512, "SHA512"),
    EC("1.3.14.3.2.26", "sha", G_HASH, CALG_SHA1, "SHA1"),
    /* encryption algorithms */
    EC("1.2.840.113549.3.2", "rc2", G_ENCRYPT, CALG_RC2, "RC2"),
    EC("1.2.840.113549.3.4", "rc4", G_ENCRYPT, CALG_RC4, "RC4"),
    EC("1.3.14.3.2.7", "des", G_ENCRYPT, CALG_DES, "DES"),
    EC("1.2.840.113549.3.7", "3des", G_ENCRYPT, CALG_3DES, "3DES"),
    EC("2.16.840.1.101.3.4.1.2", "aes128", G_ENCRYPT, CALG_AES_128, "AES"),
    EC("2.16.840.1.101.3.4.1.22", "aes192", G_ENCRYPT, CALG_AES_192, "AES"),
    EC("2.16.840.1.101.3.4.1.42", "aes256", G_ENCRYPT, CALG_AES_256, "AES"),
    /* public key algorithms */
    EX("1.2.840.113549.1.1.1", "RSA", G_PUBKEY, CALG_RSA_KEYX, x_rsa_pub, "RSA", ""),
    EX("1.2.840.10040.4.1", "DSA", G_PUBKEY, CALG_DSS_SIGN, x_dsa_pub, "DSA", ""),
    EX("1.2.840.10046.2.1", "DH", G_PUBKEY, CALG_DH_SF, x_dh_pub, "DH", ""),
    EX("1.2.840.113549.1.1.7", "RSAES_OAEP", G_PUBKEY, CALG_RSA_KEYX, x_rsa_pub, "RSA", ""),
    EX("1.2.840.10045.2.1", "ECC", G_PUBKEY, CALG_OID_INFO_PARAMETERS, x_ecc_pub,
       "CryptOIDInfoECCParameters", ""),
    EX("1.2.840.10045.3.1.7", "ECDSA_P256", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub,
       "ECDSA_P256", "ECDH_P256"),
    EX("1.3.132.0.34", "ECDSA_P384", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub, "ECDSA_P384",
       "ECDH_P384"),
    EX("1.3.132.0.35", "ECDSA_P521", G_PUBKEY, CALG_OID_INFO_CNG_ONLY, x_ecc_pub, "ECDSA_P521",
       "ECDH_P521"),
    EX("1.2.840.113549.1.1.1", "RSA", G_PUBKEY, CALG_RSA_SIGN, x_rsa_pub, "RSA", ""),
    /* signature algorithms: Algid is the hash's, ExtraInfo starts with the public key's */
    EX("1.2.840.113549.1.1.5", "sha1RSA", G_SIGN, CALG_SHA1, x_sig_rsa, "SHA1", "RSA"),
    EX("1.2.840.113549.1.1.4", "md5RSA", G_SIGN, CALG_MD5, x_sig_rsa, "MD5", "RSA"),
    EX("1.2.840.113549.1.1.3", "md4RSA", G_SIGN, CALG_MD4, x_sig_rsa, "MD4", "RSA"),
    EX("1.2.840.113549.1.1.2", "md2RSA", G_SIGN, CALG_MD2, x_sig_rsa, "MD2", "RSA"),
    EX("1.2.840.113549.1.1.11", "sha256RSA", G_SIGN, CALG_SHA_256, x_sig_rsa, "SHA256", "RSA"),
    EX("1.2.840.113549.1.1.12", "sha384RSA", G_SIGN, CALG_SHA_384, x_sig_rsa, "SHA384", "RSA"),
    EX("1.2.840.113549.1.1.13", "sha512RSA", G_SIGN, CALG_SHA_512, x_sig_rsa, "SHA512", "RSA"),
    EX("1.3.14.3.2.29", "sha1RSA", G_SIGN, CALG_SHA1, x_sig_rsa, "SHA1", "RSA"),
    EX("1.2.840.113549.1.1.10", "RSASSA-PSS", G_SIGN, CALG_OID_INFO_PARAMETERS, x_sig_pss,
       "CryptOIDInfoHashParameters", "RSA"),
    EX("1.2.840.10040.4.3", "sha1DSA", G_SIGN, CALG_SHA1, x_sig_dsa, "SHA1", "DSA"),
    EX("1.2.840.10045.4.1", "sha1ECDSA", G_SIGN, CALG_SHA1, x_sig_ecdsa, "SHA1", "ECDSA"),
    EX("1.2.840.10045.4.3.2", "sha256ECDSA", G_SIGN, CALG_SHA_256, x_sig_ecdsa, "SHA256",
       "ECDSA"),
    EX("1.2.840.10045.4.3.3", "sha384ECDSA", G_SIGN, CALG_SHA_384, x_sig_ecdsa, "SHA384",
       "ECDSA"),
    EX("1.2.840.10045.4.3.4", "sha512ECDSA", G_SIGN, CALG_SHA_512, x_sig_ecdsa, "SHA512",
       "ECDSA"),
    EX("1.2.840.10045.4.3", "specifiedECDSA", G_SIGN, CALG_OID_INFO_PARAMETERS, x_sig_ecdsa,
       "CryptOIDInfoHashParameters", "ECDSA"),
    EX("1.3.6.1.5.5.7.6.2", "NULL", G_SIGN, CALG_NO_SIGN, x_sig_nosign, "", ""),
    /* name (RDN) attributes */
    EX("2.5.4.3", "CN", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.4", "SN", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.5", "SERIALNUMBER", G_RDN, 0, x_rdn_print, "", ""),
    EX("2.5.4.6", "C", G_RDN, 0, x_rdn_print, "", ""),
    EX("2.5.4.7", "L", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.8", "S", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.9", "STREET", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.10", "O", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.11", "OU", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.12", "T", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.12", "Title", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.42", "G", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.42", "GivenName", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.43", "I", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.43", "Initials", G_RDN, 0, x_rdn_any, "", ""),
    EX("2.5.4.46", "dnQualifier", G_RDN, 0, x_rdn_print, "", ""),
    EX("1.2.840.113549.1.9.1", "E", G_RDN, 0, x_rdn_ia5, "", ""),
    EX("1.2.840.113549.1.9.1", "Email", G_RDN, 0, x_rdn_ia5, "", ""),
    EX("0.9.2342.19200300.100.1.25", "DC", G_RDN, 0, x_rdn_ia5, "", ""),
    EX("0.9.2342.19200300.100.1.1", "UID", G_RDN, 0, x_rdn_any, "", ""),
    /* extensions and attributes */
    E("2.5.29.14", "Subject Key Identifier", G_EXT, 0),
    E("2.5.29.15", "Key Usage", G_EXT, 0),
    E("2.5.29.17", "Subject Alternative Name", G_EXT, 0),
    E("2.5.29.18", "Issuer Alternative Name", G_EXT, 0),
    E("2.5.29.19", "Basic Constraints", G_EXT, 0),
    E("2.5.29.20", "CRL Number", G_EXT, 0),
    E("2.5.29.30", "Name Constraints", G_EXT, 0),
    E("2.5.29.31", "CRL Distribution Points", G_EXT, 0),
    E("2.5.29.32", "Certificate Policies", G_EXT, 0),
    E("2.5.29.35", "Authority Key Identifier", G_EXT, 0),
    E("2.5.29.37", "Enhanced Key Usage", G_EXT, 0),
    E("1.3.6.1.5.5.7.1.1", "Authority Information Access", G_EXT, 0),
    E("1.2.840.113549.1.9.3", "Content Type", G_EXT, 0),
    E("1.2.840.113549.1.9.4", "Message Digest", G_EXT, 0),
    E("1.2.840.113549.1.9.5", "Signing Time", G_EXT, 0),
    E("1.2.840.113549.1.9.6", "Counter Sign", G_EXT, 0),
    E("1.2.840.113549.1.9.15", "SMIME Capabilities", G_EXT, 0),
    /* enhanced key usages */
    E("1.3.6.1.5.5.7.3.1", "Server Authentication", G_EKU, 0),
    E("1.3.6.1.5.5.7.3.2", "Client Authentication", G_EKU, 0),
    E("1.3.6.1.5.5.7.3.3", "Code Signing", G_EKU, 0),
    E("1.3.6.1.5.5.7.3.4", "Secure Email", G_EKU, 0),
    E("1.3.6.1.5.5.7.3.8", "Time Stamping", G_EKU, 0),
    E("1.3.6.1.5.5.7.3.9", "OCSP Signing", G_EKU, 0),
    E("1.3.6.1.4.1.311.10.3.13", "Lifetime Signing", G_EKU, 0),
    /* policies */
    E("2.5.29.32.0", "All Issuance Policies", G_POLICY, 0),
};
#define OID_COUNT (sizeof oid_table / sizeof oid_table[0])

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
    for (size_t i = 0; i < OID_COUNT; i++) {
        const oid_info *e = &oid_table[i];
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
    for (size_t i = 0; i < OID_COUNT; i++) {
        const oid_info *e = &oid_table[i];
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
