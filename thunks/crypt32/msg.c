/* SPDX-License-Identifier: MIT */
/* crypt32's low-level messages (PKCS #7, RFC 2315, as Windows writes it; CMS, RFC 5652, read):
 * CryptMsgOpenToEncode, CryptMsgOpenToDecode, CryptMsgUpdate, CryptMsgGetParam,
 * CryptMsgControl, CryptMsgDuplicate and CryptMsgClose for three message types:
 *
 * - CMSG_DATA: a ContentInfo of id-data whose content is an OCTET STRING.
 * - CMSG_SIGNED: SignedData. Decoded: the inner content and its type, the certificates and CRLs,
 *   each SignerInfo (CMSG_SIGNER_INFO, CMSG_CMS_SIGNER_INFO, the signer's CERT_INFO and CERT_ID,
 *   its hash algorithm, authenticated and unauthenticated attributes, its DER); signatures are
 *   verified by CMSG_CTRL_VERIFY_SIGNATURE(_EX) with a public key (RSA PKCS #1 v1.5, ECDSA P-256
 *   and P-384; verify.c), through the messageDigest attribute when there are authenticated
 *   attributes. Encoded with signers whose keys a program holds through NCrypt (dwKeySpec
 *   CERT_NCRYPT_KEY_SPEC, or an NCrypt key handle as hCryptProv): version 1, issuer and serial
 *   number signer ids, digest algorithms with NULL parameters, rsaEncryption (or
 *   ecdsa-with-SHA*, RFC 5753) as the signature algorithm; with authenticated attributes given,
 *   or an inner content of another type than data (PKCS #7 9.2 wants them then), contentType
 *   and messageDigest are added and the set is sorted (DER). Another type's content is written
 *   as the element itself (PKCS #7, its contents digested) or, with
 *   CMSG_CMS_ENCAPSULATED_CONTENT_FLAG, in an OCTET STRING (CMS, version 3; CTLs, ctl.c).
 * - CMSG_HASHED: DigestedData (version 0), decoded and encoded; CMSG_CTRL_VERIFY_HASH compares
 *   the digest with the content's.
 * - CMSG_ENVELOPED: EnvelopedData (envelope.c): encoded for the recipients'
 *   CERT_INFOs (RSA key transport: rsaEncryption, or id-RSAES-OAEP when that is the key's
 *   algorithm) with the ContentEncryptionAlgorithm asked for (AES-CBC,
 *   3DES-CBC), or with the CMS fields for rgCmsRecipients (RSA key transport, PKCS #1 v1.5 or
 *   RSAES-OAEP with the KeyEncryptionAlgorithm's parameters, named by issuer
 *   and serial number or subject key identifier; KEK recipients with a CryptoAPI key handle,
 *   id-aes128/192/256-wrap, the KeyId, Date and pOtherAttr; key agreement with an ephemeral
 *   ECDH key, or the sender's static NCrypt key named by issuer and serial number or key
 *   identifier, dhSinglePass-stdDH-sha*kdf, AES key wrap, each recipient's point and id), the
 *   originator's certificates and CRLs (originatorInfo) and unprotected attributes
 *   (attribute certificates: E_NOTIMPL), the version as RFC 5652 6.1 sets it; decoded: CMSG_RECIPIENT_COUNT_PARAM, CMSG_RECIPIENT_INFO_PARAM (a CERT_INFO of
 *   the issuer and serial number), CMSG_ENVELOPE_ALGORITHM_PARAM, CMSG_INNER_CONTENT_TYPE_PARAM;
 *   CMSG_CTRL_DECRYPT with the recipient's NCrypt key (hNCryptKey, or dwKeySpec
 *   CERT_NCRYPT_KEY_SPEC), after which CMSG_CONTENT_PARAM is the content and
 *   CMSG_RECIPIENT_INDEX_PARAM the recipient (before: CRYPT_E_INVALID_MSG_TYPE as Wine gives;
 *   again: CRYPT_E_ALREADY_DECRYPTED). CMS recipients: CMSG_CMS_RECIPIENT_COUNT_PARAM,
 *   CMSG_CMS_RECIPIENT_INFO_PARAM (a key-transport recipient named by issuer and serial number
 *   or by subject key identifier, a KEK recipient: CMSG_KEY_TRANS/MAIL_LIST_RECIPIENT_INFO),
 *   CMSG_CMS_RECIPIENT_INDEX_PARAM; CMSG_CTRL_KEY_TRANS_DECRYPT with an NCrypt key,
 *   CMSG_CTRL_MAIL_LIST_DECRYPT with the key-encryption key as a CryptoAPI AES key handle
 *   (id-aes128/192/256-wrap). Key-agreement (ECDH, RFC 5753) recipients:
 *   CMSG_CMS_RECIPIENT_INFO_PARAM gives CMSG_KEY_AGREE_RECIPIENT_INFO (the originator's
 *   public key or certificate id, the user keying material, the scheme with the key wrap as its
 *   parameters, every RecipientEncryptedKey with its CERT_ID, date and other attribute);
 *   CMSG_CTRL_KEY_AGREE_DECRYPT with the recipient's NCrypt ECDH key and the para's
 *   OriginatorPublicKey (empty: the message's), after which
 *   CMSG_CMS_RECIPIENT_ENCRYPTED_KEY_INDEX_PARAM is the encrypted key's index. The
 *   originator's certificates and CRLs: CMSG_CERT_COUNT/CERT/CRL_COUNT/CRL_PARAM; the
 *   unprotected attributes: CMSG_UNPROTECTED_ATTR_PARAM (CRYPT_E_ATTRIBUTES_MISSING without).
 *
 * Detached messages (CMSG_DETACHED_FLAG) take their content in the updates after the message
 * (decode) or hash it without including it (encode). A type given to CryptMsgOpenToDecode
 * means the input is that type's bare content, without a ContentInfo (as Microsoft documents it
 * for messages without headers). Digests: MD5, SHA-1, SHA-256/384/512 (advapi32's,
 * Nettle's). Every message is read whole: updates gather the bytes and the final one decodes
 * or encodes them.
 * Not done: signed-and-enveloped messages (CRYPT_E_INVALID_MSG_TYPE), streaming (pStreamInfo: E_INVALIDARG), BER
 * indefinite lengths (an ASN.1 error), signing with a CryptoAPI key (NTE_NO_KEY: this
 * advapi32 has no key pairs), CMSG_CTRL_ADD_SIGNER and the other controls
 * that change a decoded message (CRYPT_E_CONTROL_TYPE). */
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/advapi32/crypt_private.h"
#include "thunks/crypt32/crypt32_private.h"
#include "thunks/crypt32/msg.h"
#include "thunks/ncrypt/ncrypt.h"

#define M_MAGIC 0x4753474du /* "MSGM" */

#define M_DATA 1u
#define M_SIGNED 2u
#define M_ENVELOPED 3u
#define M_HASHED 5u

#define M_PKCS7_ENCODING 0x10000u
#define M_DETACHED_FLAG 4u
#define M_CMS_ENCAPSULATED_CONTENT_FLAG 0x40u
#define M_NCRYPT_KEY_SPEC 0xffffffffu

#define M_E_INVALIDARG 0x80070057u
#define M_E_NOTIMPL 0x80004001u
#define M_NTE_BAD_KEY 0x80090003u
#define M_NTE_BAD_SIGNATURE 0x80090006u
#define M_NTE_BAD_ALGID 0x80090008u
#define M_NTE_NO_KEY 0x8009000Du
#define M_NTE_BAD_PUBLIC_KEY 0x80090015u
#define M_CRYPT_E_MSG_ERROR 0x80091001u
#define M_CRYPT_E_UNKNOWN_ALGO 0x80091002u
#define M_CRYPT_E_INVALID_MSG_TYPE 0x80091004u
#define M_CRYPT_E_UNEXPECTED_ENCODING 0x80091005u
#define M_CRYPT_E_AUTH_ATTR_MISSING 0x80091006u
#define M_CRYPT_E_HASH_VALUE 0x80091007u
#define M_CRYPT_E_INVALID_INDEX 0x80091008u
#define M_CRYPT_E_ALREADY_DECRYPTED 0x80091009u
#define M_CRYPT_E_CONTROL_TYPE 0x8009100Cu
#define M_CRYPT_E_SIGNER_NOT_FOUND 0x8009100Eu
#define M_CRYPT_E_STREAM_MSG_NOT_READY 0x80091010u
#define M_CRYPT_E_ATTRIBUTES_MISSING 0x8009100Fu

/* DER contents of the OIDs this reads */
static const uint8_t oid_p7[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07}; /* + type */
static const uint8_t oid_msg_digest[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04};

#define OID_DATA "1.2.840.113549.1.7.1"
#define OID_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_RSA "1.2.840.113549.1.1.1"

/* The digests a message may name: dotted OID, DER contents, bcrypt's name */
static const struct {
    const char *oid;
    uint8_t der[9], len;
    cd_algo algo;
    const WCHAR *name;
    const char *ecdsa; /* the ECDSA signature algorithm with this digest */
} m_digests[] = {
    {"1.2.840.113549.2.5", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05}, 8, CD_MD5, u"MD5",
     NULL},
    {"1.3.14.3.2.26", {0x2b, 0x0e, 0x03, 0x02, 0x1a}, 5, CD_SHA1, u"SHA1", "1.2.840.10045.4.1"},
    {"2.16.840.1.101.3.4.2.1", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, 9,
     CD_SHA256, u"SHA256", "1.2.840.10045.4.3.2"},
    {"2.16.840.1.101.3.4.2.2", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}, 9,
     CD_SHA384, u"SHA384", "1.2.840.10045.4.3.3"},
    {"2.16.840.1.101.3.4.2.3", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}, 9,
     CD_SHA512, u"SHA512", "1.2.840.10045.4.3.4"},
};
#define M_NDIGESTS (sizeof m_digests / sizeof m_digests[0])

/* The digest of an AlgorithmIdentifier's DER, or -1 */
static int m_digest_of_alg(const c32_tlv *alg)
{
    const uint8_t *p = alg->p;
    c32_tlv oid;
    if (alg->tag != 0x30 || c32_der_expect(&p, alg->p + alg->len, 0x06, &oid))
        return -1;
    for (size_t i = 0; i < M_NDIGESTS; i++)
        if (oid.len == m_digests[i].len && !memcmp(oid.p, m_digests[i].der, oid.len))
            return (int)i;
    return -1;
}

/* The digest of a dotted OID, or -1 */
static int m_digest_of_oid(const char *oid)
{
    for (size_t i = 0; oid && i < M_NDIGESTS; i++)
        if (!strcmp(oid, m_digests[i].oid))
            return (int)i;
    return -1;
}

/* ---- Windows layouts (x64) ---- */
typedef struct {
    uint64_t oid;   /* 0x00 pszObjId */
    uint32_t n;     /* 0x08 cValue */
    uint32_t pad_;
    uint64_t vals;  /* 0x10 rgValue (CRYPT_ATTR_BLOBs) */
} m_attr;
typedef struct {
    uint32_t version;      /* 0x00 dwVersion */
    uint32_t pad_;
    c32_blob issuer;       /* 0x08 Issuer */
    c32_blob serial;       /* 0x18 SerialNumber */
    c32_algid hash;        /* 0x28 HashAlgorithm */
    c32_algid enc;         /* 0x40 HashEncryptionAlgorithm */
    c32_blob sig;          /* 0x58 EncryptedHash */
    c32_array auth;        /* 0x68 AuthAttrs */
    c32_array unauth;      /* 0x78 UnauthAttrs */
} m_signer_info;
typedef struct {
    uint32_t choice;       /* 0x00 dwIdChoice: 1 issuer and serial, 2 key identifier */
    uint32_t pad_;
    c32_blob a;            /* 0x08 IssuerSerialNumber.Issuer or KeyId */
    c32_blob b;            /* 0x18 IssuerSerialNumber.SerialNumber */
} m_cert_id;
typedef struct {
    uint32_t version;      /* 0x00 dwVersion */
    uint32_t pad_;
    m_cert_id sid;         /* 0x08 SignerId */
    c32_algid hash;        /* 0x30 HashAlgorithm */
    c32_algid enc;         /* 0x48 HashEncryptionAlgorithm */
    c32_blob sig;          /* 0x60 EncryptedHash */
    c32_array auth;        /* 0x70 AuthAttrs */
    c32_array unauth;      /* 0x80 UnauthAttrs */
} m_cms_signer_info;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t cert_info;    /* 0x08 pCertInfo */
    uint64_t key;          /* 0x10 hCryptProv / hNCryptKey */
    uint32_t key_spec;     /* 0x18 dwKeySpec */
    uint32_t pad2_;
    c32_algid hash;        /* 0x20 HashAlgorithm */
    uint64_t hash_aux;     /* 0x38 pvHashAuxInfo */
    uint32_t n_auth;       /* 0x40 cAuthAttr */
    uint32_t pad3_;
    uint64_t auth;         /* 0x48 rgAuthAttr */
    uint32_t n_unauth;     /* 0x50 cUnauthAttr */
    uint32_t pad4_;
    uint64_t unauth;       /* 0x58 rgUnauthAttr */
} m_signer_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t n_signers;    /* 0x04 cSigners */
    uint64_t signers;      /* 0x08 rgSigners */
    uint32_t n_certs;      /* 0x10 cCertEncoded */
    uint32_t pad_;
    uint64_t certs;        /* 0x18 rgCertEncoded */
    uint32_t n_crls;       /* 0x20 cCrlEncoded */
    uint32_t pad2_;
    uint64_t crls;         /* 0x28 rgCrlEncoded */
} m_signed_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t prov;         /* 0x08 hCryptProv */
    c32_algid hash;        /* 0x10 HashAlgorithm */
    uint64_t hash_aux;     /* 0x28 pvHashAuxInfo */
} m_hashed_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t prov;         /* 0x08 hCryptProv */
    uint32_t index;        /* 0x10 dwSignerIndex */
    uint32_t type;         /* 0x14 dwSignerType */
    uint64_t signer;       /* 0x18 pvSigner */
} m_verify_ex_para;
_Static_assert(sizeof(m_attr) == 24, "CRYPT_ATTRIBUTE");
_Static_assert(offsetof(m_signer_info, hash) == 0x28 && offsetof(m_signer_info, auth) == 0x68 &&
                   sizeof(m_signer_info) == 0x88, "CMSG_SIGNER_INFO");
_Static_assert(sizeof(m_cert_id) == 40 && offsetof(m_cms_signer_info, hash) == 0x30 &&
                   sizeof(m_cms_signer_info) == 0x90, "CERT_ID, CMSG_CMS_SIGNER_INFO");
_Static_assert(offsetof(m_signer_encode, hash) == 0x20 && sizeof(m_signer_encode) == 0x60,
               "CMSG_SIGNER_ENCODE_INFO (without the CMS fields)");
_Static_assert(sizeof(m_signed_encode) == 0x30 && sizeof(m_hashed_encode) == 0x30,
               "CMSG_SIGNED_ENCODE_INFO, CMSG_HASHED_ENCODE_INFO");
_Static_assert(sizeof(m_verify_ex_para) == 0x20, "CMSG_CTRL_VERIFY_SIGNATURE_EX_PARA");
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t prov;         /* 0x08 hCryptProv */
    c32_algid alg;         /* 0x10 ContentEncryptionAlgorithm */
    uint64_t aux;          /* 0x28 pvEncryptionAuxInfo */
    uint32_t n_recips;     /* 0x30 cRecipients */
    uint32_t pad2_;
    uint64_t recips;       /* 0x38 rgpRecipients (PCERT_INFO *) */
    /* CMSG_ENVELOPED_ENCODE_INFO_HAS_CMS_FIELDS (cbSize 0x88) */
    uint64_t cms_recips;   /* 0x40 rgCmsRecipients (CMSG_RECIPIENT_ENCODE_INFO *) */
    uint32_t n_certs;      /* 0x48 cCertEncoded */
    uint32_t pad3_;
    uint64_t certs;        /* 0x50 rgCertEncoded */
    uint32_t n_crls;       /* 0x58 cCrlEncoded */
    uint32_t pad4_;
    uint64_t crls;         /* 0x60 rgCrlEncoded */
    uint32_t n_attr_certs; /* 0x68 cAttrCertEncoded */
    uint32_t pad5_;
    uint64_t attr_certs;   /* 0x70 rgAttrCertEncoded */
    uint32_t n_unprot;     /* 0x78 cUnprotectedAttr */
    uint32_t pad6_;
    uint64_t unprot;       /* 0x80 rgUnprotectedAttr */
} m_enveloped_encode;
typedef struct {
    uint32_t choice;       /* 0x00 dwRecipientChoice */
    uint32_t pad_;
    uint64_t info;         /* 0x08 pKeyTrans / pKeyAgree / pMailList */
} m_recipient_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    c32_algid kalg;        /* 0x08 KeyEncryptionAlgorithm */
    uint64_t aux;          /* 0x20 pvKeyEncryptionAuxInfo */
    uint64_t prov;         /* 0x28 hCryptProv */
    c32_bits pub;          /* 0x30 RecipientPublicKey */
    m_cert_id rid;         /* 0x48 RecipientId */
} m_key_trans_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    c32_algid kalg;        /* 0x08 KeyEncryptionAlgorithm */
    uint64_t aux;          /* 0x20 pvKeyEncryptionAuxInfo */
    uint64_t prov;         /* 0x28 hCryptProv */
    uint32_t key_choice;   /* 0x30 dwKeyChoice: CMSG_MAIL_LIST_HANDLE_KEY_CHOICE 1 */
    uint32_t pad2_;
    uint64_t kek;          /* 0x38 hKeyEncryptionKey */
    c32_blob kid;          /* 0x40 KeyId */
    uint64_t date;         /* 0x50 Date (FILETIME) */
    uint64_t other;        /* 0x58 pOtherAttr (CRYPT_ATTRIBUTE_TYPE_VALUE *) */
} m_mail_list_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    c32_algid kalg;        /* 0x08 KeyEncryptionAlgorithm */
    uint64_t aux;          /* 0x20 pvKeyEncryptionAuxInfo */
    c32_algid walg;        /* 0x28 KeyWrapAlgorithm */
    uint64_t waux;         /* 0x40 pvKeyWrapAuxInfo */
    uint64_t prov;         /* 0x48 hCryptProv */
    uint32_t key_spec;     /* 0x50 dwKeySpec */
    uint32_t key_choice;   /* 0x54 dwKeyChoice: CMSG_KEY_AGREE_EPHEMERAL_KEY_CHOICE 1 */
    uint64_t eph_alg;      /* 0x58 pEphemeralAlgorithm / pSenderId */
    c32_blob ukm;          /* 0x60 UserKeyingMaterial */
    uint32_t n_keys;       /* 0x70 cRecipientEncryptedKeys */
    uint32_t pad2_;
    uint64_t keys;         /* 0x78 rgpRecipientEncryptedKeys */
} m_key_agree_encode;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    c32_bits pub;          /* 0x08 RecipientPublicKey */
    m_cert_id rid;         /* 0x20 RecipientId */
    uint64_t date;         /* 0x48 Date (FILETIME) */
    uint64_t other;        /* 0x50 pOtherAttr */
} m_rek_encode;
_Static_assert(offsetof(m_key_agree_encode, ukm) == 0x60 && sizeof(m_key_agree_encode) == 0x80 &&
                   offsetof(m_rek_encode, rid) == 0x20 && sizeof(m_rek_encode) == 0x58,
               "CMSG_KEY_AGREE_RECIPIENT_ENCODE_INFO, CMSG_RECIPIENT_ENCRYPTED_KEY_ENCODE_INFO");
_Static_assert(offsetof(m_enveloped_encode, cms_recips) == 0x40 &&
                   sizeof(m_enveloped_encode) == 0x88 && sizeof(m_recipient_encode) == 0x10 &&
                   offsetof(m_key_trans_encode, rid) == 0x48 &&
                   sizeof(m_key_trans_encode) == 0x70 && sizeof(m_mail_list_encode) == 0x60,
               "CMSG_ENVELOPED_ENCODE_INFO (CMS fields), CMSG_RECIPIENT_ENCODE_INFO, "
               "CMSG_KEY_TRANS_RECIPIENT_ENCODE_INFO, CMSG_MAIL_LIST_RECIPIENT_ENCODE_INFO");
#define M_ENVELOPED_ENCODE_V1_SIZE 0x40u /* without the CMS fields */
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t key;          /* 0x08 hCryptProv / hNCryptKey */
    uint32_t key_spec;     /* 0x10 dwKeySpec */
    uint32_t index;        /* 0x14 dwRecipientIndex */
} m_decrypt_para;
_Static_assert(sizeof(m_decrypt_para) == 0x18, "CMSG_CTRL_DECRYPT_PARA");
typedef struct {
    uint32_t version;      /* 0x00 dwVersion */
    uint32_t pad_;
    m_cert_id rid;         /* 0x08 RecipientId */
    c32_algid kalg;        /* 0x30 KeyEncryptionAlgorithm */
    c32_blob ekey;         /* 0x48 EncryptedKey */
} m_key_trans_info;
typedef struct {
    uint32_t version;      /* 0x00 dwVersion */
    uint32_t pad_;
    c32_blob kid;          /* 0x08 KeyId */
    c32_algid kalg;        /* 0x18 KeyEncryptionAlgorithm */
    c32_blob ekey;         /* 0x30 EncryptedKey */
    uint64_t date;         /* 0x40 Date (FILETIME) */
    uint64_t other;        /* 0x48 pOtherAttr (CRYPT_ATTRIBUTE_TYPE_VALUE *) */
} m_mail_list_info;
typedef struct {
    uint32_t version;      /* 0x00 dwVersion */
    uint32_t orig_choice;  /* 0x04 dwOriginatorChoice: CMSG_KEY_AGREE_ORIGINATOR_CERT 1,
                            *      CMSG_KEY_AGREE_ORIGINATOR_PUBLIC_KEY 2 */
    union {
        m_cert_id cert;    /* 0x08 OriginatorCertId */
        c32_pkinfo key;    /* 0x08 OriginatorPublicKeyInfo */
    } orig;
    c32_blob ukm;          /* 0x38 UserKeyingMaterial */
    c32_algid kalg;        /* 0x48 KeyEncryptionAlgorithm */
    uint32_t n_keys;       /* 0x60 cRecipientEncryptedKeys */
    uint32_t pad_;
    uint64_t keys;         /* 0x68 rgpRecipientEncryptedKeys (CMSG_RECIPIENT_ENCRYPTED_KEY_INFO **) */
} m_key_agree_info;
typedef struct {
    m_cert_id rid;         /* 0x00 RecipientId */
    c32_blob ekey;         /* 0x28 EncryptedKey */
    uint64_t date;         /* 0x38 Date (FILETIME) */
    uint64_t other;        /* 0x40 pOtherAttr */
} m_rek_info;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t key;          /* 0x08 hCryptProv / hNCryptKey */
    uint32_t key_spec;     /* 0x10 dwKeySpec */
    uint32_t pad2_;
    uint64_t info;         /* 0x18 pKeyAgree */
    uint32_t index;        /* 0x20 dwRecipientIndex */
    uint32_t key_index;    /* 0x24 dwRecipientEncryptedKeyIndex */
    c32_bits opub;         /* 0x28 OriginatorPublicKey */
} m_key_agree_decrypt_para;
_Static_assert(offsetof(m_key_agree_info, ukm) == 0x38 && offsetof(m_key_agree_info, kalg) == 0x48 &&
                   sizeof(m_key_agree_info) == 0x70 && sizeof(m_rek_info) == 0x48 &&
                   sizeof(m_key_agree_decrypt_para) == 0x40,
               "CMSG_KEY_AGREE_RECIPIENT_INFO, CMSG_RECIPIENT_ENCRYPTED_KEY_INFO, "
               "CMSG_CTRL_KEY_AGREE_DECRYPT_PARA");
typedef struct {
    uint32_t choice;       /* 0x00 dwRecipientChoice: CMSG_KEY_TRANS/KEY_AGREE/MAIL_LIST_RECIPIENT */
    uint32_t pad_;
    uint64_t info;         /* 0x08 pKeyTrans / pKeyAgree / pMailList */
} m_cms_recipient_info;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t key;          /* 0x08 hCryptProv / hNCryptKey */
    uint32_t key_spec;     /* 0x10 dwKeySpec */
    uint32_t pad2_;
    uint64_t info;         /* 0x18 pKeyTrans */
    uint32_t index;        /* 0x20 dwRecipientIndex */
    uint32_t pad3_;
} m_key_trans_decrypt_para;
typedef struct {
    uint32_t size;         /* 0x00 cbSize */
    uint32_t pad_;
    uint64_t prov;         /* 0x08 hCryptProv */
    uint64_t info;         /* 0x10 pMailList */
    uint32_t index;        /* 0x18 dwRecipientIndex */
    uint32_t key_choice;   /* 0x1c dwKeyChoice: CMSG_MAIL_LIST_HANDLE_KEY_CHOICE 1 */
    uint64_t kek;          /* 0x20 hKeyEncryptionKey */
} m_mail_list_decrypt_para;
_Static_assert(sizeof(m_key_trans_info) == 0x58 && sizeof(m_mail_list_info) == 0x50 &&
                   sizeof(m_cms_recipient_info) == 0x10,
               "CMSG_KEY_TRANS_RECIPIENT_INFO, CMSG_MAIL_LIST_RECIPIENT_INFO, "
               "CMSG_CMS_RECIPIENT_INFO");
_Static_assert(sizeof(m_key_trans_decrypt_para) == 0x28 &&
                   sizeof(m_mail_list_decrypt_para) == 0x28,
               "CMSG_CTRL_KEY_TRANS_DECRYPT_PARA, CMSG_CTRL_MAIL_LIST_DECRYPT_PARA");

/* ---- the message ---- */

/* A SignerInfo read from a message (pointers into the message's bytes) */
typedef struct {
    c32_tlv all, sid, issuer, serial, digest_alg, auth, sig_alg, sig, unauth;
    uint32_t version;
    bool has_auth, has_unauth, by_key_id;
} m_signer;

/* A signer to encode: copies of what the program gave */
typedef struct {
    uint8_t *issuer;          /* the DER Name */
    size_t issuer_len;
    uint8_t *serial_le;       /* little-endian */
    size_t serial_len;
    int digest;               /* m_digests index */
    uintptr_t key;            /* an NCrypt key handle */
    c32_der auth, unauth;     /* the program's attributes, each one's DER, one after another */
    uint32_t n_auth, n_unauth;
} m_enc_signer;

struct c32_msg {
    uint32_t magic;
    int32_t refs;
    bool encode, detached;
    bool cms_encap;           /* encode: another inner type's content in an OCTET STRING */
    uint32_t type;            /* M_* (decode: 0 until known) */
    bool given_type;          /* decode: a type given at open, the input is bare content */
    bool done;                /* the final update came (and decoding succeeded) */
    c32_der in;               /* decode: the message; encode: the content */
    c32_der detached_content; /* decode: a detached message's content */
    char *inner_oid;          /* encode: the inner content type */
    /* decoded (pointers into in.p) */
    uint32_t version;
    c32_tlv inner_type;       /* the inner content type's OID (tag 0: none) */
    c32_tlv content;          /* the inner content's element ([0]'s contents) */
    bool has_content;
    c32_tlv *certs, *crls;
    size_t n_certs, n_crls;
    m_signer *signers;
    size_t n_signers;
    c32_tlv hash_alg, hash_value; /* a hashed message's */
    /* to encode */
    m_enc_signer *esigners;
    size_t n_esigners;
    c32_der ecerts, ecrls;    /* the certificates' and CRLs' DER, one after another */
    int hash_digest;          /* a hashed message's digest (m_digests index) */
    c32_env_recipient *erecips; /* an enveloped message's recipients */
    c32_der eunprot;          /* its unprotected attributes (ecerts, ecrls: its originator's) */
    size_t n_erecips;
    char *env_alg;            /* its content-encryption algorithm's OID */
    c32_env env;              /* decoded: an enveloped message */
    c32_der out;              /* the encoded message, made by the final update */
};

c32_msg *c32_msg_get(const void *h)
{
    c32_msg *m = (c32_msg *)h;
    uint32_t magic;
    if (!m || rt_safe_copy(&magic, &m->magic, sizeof magic) || magic != M_MAGIC)
        return NULL;
    return m;
}

static void m_free(c32_msg *m)
{
    free(m->in.p);
    free(m->detached_content.p);
    free(m->inner_oid);
    free(m->certs);
    free(m->crls);
    free(m->signers);
    for (size_t i = 0; i < m->n_esigners; i++) {
        free(m->esigners[i].issuer);
        free(m->esigners[i].serial_le);
        free(m->esigners[i].auth.p);
        free(m->esigners[i].unauth.p);
    }
    free(m->esigners);
    for (size_t i = 0; i < m->n_erecips; i++) {
        free(m->erecips[i].issuer);
        free(m->erecips[i].serial_le);
        free(m->erecips[i].keybits_oid);
        free(m->erecips[i].keybits);
        free(m->erecips[i].kparams);
        free(m->erecips[i].orig_id);
        free(m->erecips[i].orig_serial_le);
        free(m->erecips[i].kid);
        free(m->erecips[i].other);
        free(m->erecips[i].wrap_oid);
        for (size_t k = 0; k < m->erecips[i].n_reks; k++) {
            struct c32_env_rek_enc *q = &m->erecips[i].reks[k];
            free(q->pub), free(q->issuer), free(q->serial_le), free(q->ski), free(q->other);
        }
        free(m->erecips[i].reks);
        memset(m->erecips[i].kek, 0, sizeof m->erecips[i].kek);
    }
    free(m->eunprot.p);
    free(m->erecips);
    free(m->env_alg);
    c32_env_free(&m->env);
    free(m->ecerts.p);
    free(m->ecrls.p);
    free(m->out.p);
    m->magic = 0;
    free(m);
}

/* ---- reading ---- */

/* Adds an element to a growing array of TLVs */
static bool m_push(c32_tlv **arr, size_t *n, const c32_tlv *t)
{
    c32_tlv *a = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!a)
        return false;
    a[(*n)++] = *t;
    *arr = a;
    return true;
}

/* A small INTEGER's value */
static uint32_t m_small_int(const c32_tlv *t)
{
    uint32_t v = 0;
    for (size_t i = 0; i < t->len && i < 4; i++)
        v = v << 8 | t->p[i];
    return v;
}

/* encapContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT ANY OPTIONAL } */
static uint32_t m_read_encap(c32_msg *m, const c32_tlv *seq)
{
    const uint8_t *p = seq->p, *end = seq->p + seq->len;
    c32_tlv expl;
    uint32_t e;
    if ((e = c32_der_expect(&p, end, 0x06, &m->inner_type)))
        return e;
    if (p < end) {
        if ((e = c32_der_expect(&p, end, 0xa0, &expl)))
            return e;
        const uint8_t *q = expl.p;
        if ((e = c32_der_read(&q, expl.p + expl.len, &m->content)))
            return e;
        m->has_content = true;
    }
    return 0;
}

/* SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL,
 *   signatureAlgorithm, signature OCTET STRING, [1] unsignedAttrs OPTIONAL } */
static uint32_t m_read_signer(const c32_tlv *t, m_signer *s)
{
    memset(s, 0, sizeof *s);
    s->all = *t;
    const uint8_t *p = t->p, *end = t->p + t->len;
    c32_tlv v;
    uint32_t e;
    if ((e = c32_der_expect(&p, end, 0x02, &v)) || (e = c32_der_read(&p, end, &s->sid)))
        return e;
    s->version = m_small_int(&v);
    if (s->sid.tag == 0x30) { /* IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serial } */
        const uint8_t *q = s->sid.p, *qe = s->sid.p + s->sid.len;
        if ((e = c32_der_expect(&q, qe, 0x30, &s->issuer)) ||
            (e = c32_der_expect(&q, qe, 0x02, &s->serial)))
            return e;
    } else if (s->sid.tag == 0x80) { /* [0] SubjectKeyIdentifier */
        s->by_key_id = true;
    } else {
        return C32_CRYPT_E_ASN1_BADTAG;
    }
    if ((e = c32_der_expect(&p, end, 0x30, &s->digest_alg)) || (e = c32_der_read(&p, end, &v)))
        return e;
    if (v.tag == 0xa0) {
        s->auth = v;
        s->has_auth = true;
        if ((e = c32_der_read(&p, end, &v)))
            return e;
    }
    if (v.tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    s->sig_alg = v;
    if ((e = c32_der_expect(&p, end, 0x04, &s->sig)))
        return e;
    if (p < end) {
        if ((e = c32_der_expect(&p, end, 0xa1, &s->unauth)))
            return e;
        s->has_unauth = true;
    }
    return 0;
}

/* SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
 *   [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos SET } */
static uint32_t m_read_signed(c32_msg *m, const c32_tlv *sd)
{
    const uint8_t *p = sd->p, *end = sd->p + sd->len;
    c32_tlv v, t;
    uint32_t e;
    if ((e = c32_der_expect(&p, end, 0x02, &v)) || (e = c32_der_expect(&p, end, 0x31, &t)) ||
        (e = c32_der_expect(&p, end, 0x30, &t)) || (e = m_read_encap(m, &t)))
        return e;
    m->version = m_small_int(&v);
    while (p < end) {
        if ((e = c32_der_read(&p, end, &t)))
            return e;
        if (t.tag == 0xa0 || t.tag == 0xa1) {
            for (const uint8_t *q = t.p; q < t.p + t.len;) {
                c32_tlv one;
                if ((e = c32_der_read(&q, t.p + t.len, &one)))
                    return e;
                if (one.tag != 0x30)
                    continue; /* attribute certificates and other forms */
                if (!(t.tag == 0xa0 ? m_push(&m->certs, &m->n_certs, &one)
                                    : m_push(&m->crls, &m->n_crls, &one)))
                    return C32_ERROR_NOT_ENOUGH_MEMORY;
            }
        } else if (t.tag == 0x31) {
            for (const uint8_t *q = t.p; q < t.p + t.len;) {
                c32_tlv one;
                if ((e = c32_der_expect(&q, t.p + t.len, 0x30, &one)))
                    return e;
                m_signer *s = realloc(m->signers, (m->n_signers + 1) * sizeof *s);
                if (!s)
                    return C32_ERROR_NOT_ENOUGH_MEMORY;
                m->signers = s;
                if ((e = m_read_signer(&one, &s[m->n_signers])))
                    return e;
                m->n_signers++;
            }
        } else {
            return C32_CRYPT_E_ASN1_BADTAG;
        }
    }
    return 0;
}

/* DigestedData ::= SEQUENCE { version, digestAlgorithm, encapContentInfo, digest OCTET STRING } */
static uint32_t m_read_hashed(c32_msg *m, const c32_tlv *dd)
{
    const uint8_t *p = dd->p, *end = dd->p + dd->len;
    c32_tlv v, t;
    uint32_t e;
    if ((e = c32_der_expect(&p, end, 0x02, &v)) ||
        (e = c32_der_expect(&p, end, 0x30, &m->hash_alg)) ||
        (e = c32_der_expect(&p, end, 0x30, &t)) || (e = m_read_encap(m, &t)) ||
        (e = c32_der_expect(&p, end, 0x04, &m->hash_value)))
        return e;
    m->version = m_small_int(&v);
    return 0;
}

/* A content of m->type (the bare content, or the contents of a ContentInfo's [0]) */
static uint32_t m_read_content(c32_msg *m, const c32_tlv *c)
{
    switch (m->type) {
    case M_DATA:
        if (c->tag != 0x04)
            return C32_CRYPT_E_ASN1_BADTAG;
        m->content = *c;
        m->has_content = true;
        return 0;
    case M_SIGNED:
        return c->tag == 0x30 ? m_read_signed(m, c) : C32_CRYPT_E_ASN1_BADTAG;
    case M_HASHED:
        return c->tag == 0x30 ? m_read_hashed(m, c) : C32_CRYPT_E_ASN1_BADTAG;
    case M_ENVELOPED: {
        uint32_t e = c32_env_read(c, &m->env);
        m->version = m->env.version;
        m->inner_type = m->env.inner_type;
        /* originatorInfo: [0] certificates, [1] crls (as a signed message's) */
        const c32_tlv *o = &m->env.originator;
        for (const uint8_t *p = o->p; !e && o->tag && p < o->p + o->len;) {
            c32_tlv t, one;
            if ((e = c32_der_read(&p, o->p + o->len, &t)))
                break;
            if (t.tag != 0xa0 && t.tag != 0xa1)
                return C32_CRYPT_E_ASN1_BADTAG;
            for (const uint8_t *q = t.p; !e && q < t.p + t.len;) {
                if ((e = c32_der_read(&q, t.p + t.len, &one)))
                    break;
                if (one.tag == 0x30 && !(t.tag == 0xa0 ? m_push(&m->certs, &m->n_certs, &one)
                                                       : m_push(&m->crls, &m->n_crls, &one)))
                    e = C32_ERROR_NOT_ENOUGH_MEMORY;
            }
        }
        return e;
    }
    default:
        return M_CRYPT_E_INVALID_MSG_TYPE;
    }
}

/* Reads the whole message in m->in */
static uint32_t m_decode(c32_msg *m)
{
    const uint8_t *p = m->in.p, *end = m->in.p + m->in.n;
    c32_tlv top, oid, expl, c;
    uint32_t e;
    if ((e = c32_der_read(&p, end, &top)))
        return e;
    if (m->given_type)
        return m_read_content(m, &top);
    if (top.tag != 0x30)
        return C32_CRYPT_E_ASN1_BADTAG;
    /* ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY } */
    p = top.p, end = top.p + top.len;
    if ((e = c32_der_expect(&p, end, 0x06, &oid)) || (e = c32_der_expect(&p, end, 0xa0, &expl)))
        return e;
    if (oid.len != sizeof oid_p7 + 1 || memcmp(oid.p, oid_p7, sizeof oid_p7) ||
        (oid.p[sizeof oid_p7] != M_DATA && oid.p[sizeof oid_p7] != M_SIGNED &&
         oid.p[sizeof oid_p7] != M_HASHED && oid.p[sizeof oid_p7] != M_ENVELOPED))
        return M_CRYPT_E_INVALID_MSG_TYPE;
    m->type = oid.p[sizeof oid_p7];
    p = expl.p;
    if ((e = c32_der_read(&p, expl.p + expl.len, &c)))
        return e;
    return m_read_content(m, &c);
}

/* The bytes a signature or digest covers: a data content's octets, another type's contents
 * (PKCS #7's rule: its element without tag and length), a detached message's content */
static void m_hashed_bytes(const c32_msg *m, const uint8_t **p, size_t *n)
{
    if (m->detached || !m->has_content) {
        *p = m->detached_content.p;
        *n = m->detached_content.n;
    } else {
        *p = m->content.p;
        *n = m->content.len;
    }
}

static void m_digest(int which, const uint8_t *p, size_t n, uint8_t *out)
{
    cd_ctx h;
    cd_init(&h, m_digests[which].algo);
    cd_update(&h, p, n);
    cd_final(&h, out);
}

/* ---- giving results ---- */

/* Builds a structure into a block for the program: `build` fills the arena (the structure
 * first); the size asked (out NULL), ERROR_MORE_DATA when *len is short. */
typedef uint32_t (*m_builder)(c32_arena *a, const void *ctx);

static BOOL m_give_built(m_builder build, const void *ctx, void *out, DWORD *len)
{
    if (!len) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    size_t need = 0;
    uint32_t e = 0;
    for (size_t cap = 1024;; cap *= 4) {
        c32_arena a = {malloc(cap), 0, 0, cap, false};
        if (!a.buf) {
            e = C32_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        e = build(&a, ctx);
        free(a.buf);
        if (!e) {
            need = a.off;
            break;
        }
        if (!a.over || cap > (64u << 20))
            break;
    }
    if (e) {
        thk_set_last_error(e);
        return FALSE;
    }
    if (!out) {
        *len = (DWORD)need;
        return TRUE;
    }
    if (*len < need) {
        *len = (DWORD)need;
        thk_set_last_error(C32_ERROR_MORE_DATA);
        return FALSE;
    }
    c32_arena a = {malloc(need ? need : 1), (uint64_t)(uintptr_t)out, 0, need, false};
    if (!a.buf || build(&a, ctx) || rt_safe_copy(out, a.buf, need)) {
        free(a.buf);
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    free(a.buf);
    *len = (DWORD)need;
    return TRUE;
}

/* Bytes, with the same rules */
static BOOL m_give(const void *p, size_t n, void *out, DWORD *len)
{
    if (!len) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    if (!out) {
        *len = (DWORD)n;
        return TRUE;
    }
    if (*len < n) {
        *len = (DWORD)n;
        thk_set_last_error(C32_ERROR_MORE_DATA);
        return FALSE;
    }
    if (n && rt_safe_copy(out, p, n)) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    *len = (DWORD)n;
    return TRUE;
}

static BOOL m_give_dword(uint32_t v, void *out, DWORD *len)
{
    return m_give(&v, 4, out, len);
}

/* Attributes ([0]/[1] IMPLICIT SET OF Attribute) as CRYPT_ATTRIBUTES */
static uint32_t m_put_attrs(c32_arena *a, const c32_tlv *set, c32_array *out)
{
    out->n = 0;
    out->items = 0;
    if (!set || !set->len)
        return 0;
    uint32_t n = 0, e;
    c32_tlv t;
    for (const uint8_t *p = set->p; p < set->p + set->len; n++)
        if ((e = c32_der_expect(&p, set->p + set->len, 0x30, &t)))
            return e;
    m_attr *attrs = c32_alloc(a, n * sizeof *attrs, 8);
    if (!attrs)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    out->n = n;
    out->items = c32_addr(a, attrs);
    const uint8_t *p = set->p;
    for (uint32_t i = 0; i < n; i++) {
        c32_tlv oid, vals;
        (void)c32_der_expect(&p, set->p + set->len, 0x30, &t);
        const uint8_t *q = t.p, *qe = t.p + t.len;
        if ((e = c32_der_read(&q, qe, &oid)) || (e = c32_put_oid(a, &oid, &attrs[i].oid)) ||
            (e = c32_der_expect(&q, qe, 0x31, &vals)))
            return e;
        uint32_t k = 0;
        c32_tlv v;
        for (const uint8_t *r = vals.p; r < vals.p + vals.len; k++)
            if ((e = c32_der_read(&r, vals.p + vals.len, &v)))
                return e;
        c32_blob *blobs = c32_alloc(a, k * sizeof *blobs, 8);
        if (k && !blobs)
            return C32_ERROR_NOT_ENOUGH_MEMORY;
        attrs[i].n = k;
        attrs[i].vals = c32_addr(a, k ? blobs : NULL);
        const uint8_t *r = vals.p;
        for (uint32_t j = 0; j < k; j++) {
            (void)c32_der_read(&r, vals.p + vals.len, &v);
            if ((e = c32_put_bytes(a, v.tlv, v.tlv_len, &blobs[j])))
                return e;
        }
    }
    return 0;
}

static uint32_t m_build_attrs(c32_arena *a, const void *ctx)
{
    c32_array *arr = c32_alloc(a, sizeof *arr, 8);
    return arr ? m_put_attrs(a, ctx, arr) : C32_ERROR_NOT_ENOUGH_MEMORY;
}

/* An INTEGER's bytes, reversed (a CRYPT_INTEGER_BLOB) */
static uint32_t m_put_serial(c32_arena *a, const c32_tlv *t, c32_blob *out)
{
    return t->len ? c32_dec_int_blob(a, t, out) : 0;
}

static uint32_t m_build_signer_info(c32_arena *a, const void *ctx)
{
    const m_signer *s = ctx;
    m_signer_info *si = c32_alloc(a, sizeof *si, 8);
    uint32_t e;
    if (!si)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    si->version = s->version;
    if (!s->by_key_id &&
        ((e = c32_put_bytes(a, s->issuer.tlv, s->issuer.tlv_len, &si->issuer)) ||
         (e = m_put_serial(a, &s->serial, &si->serial))))
        return e;
    if ((e = c32_dec_algid(a, &s->digest_alg, &si->hash)) ||
        (e = c32_dec_algid(a, &s->sig_alg, &si->enc)) ||
        (e = c32_put_bytes(a, s->sig.p, s->sig.len, &si->sig)) ||
        (e = m_put_attrs(a, s->has_auth ? &s->auth : NULL, &si->auth)) ||
        (e = m_put_attrs(a, s->has_unauth ? &s->unauth : NULL, &si->unauth)))
        return e;
    return 0;
}

static uint32_t m_put_cert_id(c32_arena *a, const m_signer *s, m_cert_id *id)
{
    uint32_t e;
    if (s->by_key_id) {
        id->choice = 2; /* CERT_ID_KEY_IDENTIFIER */
        return c32_put_bytes(a, s->sid.p, s->sid.len, &id->a);
    }
    id->choice = 1; /* CERT_ID_ISSUER_SERIAL_NUMBER */
    if ((e = c32_put_bytes(a, s->issuer.tlv, s->issuer.tlv_len, &id->a)))
        return e;
    return m_put_serial(a, &s->serial, &id->b);
}

static uint32_t m_build_cms_signer_info(c32_arena *a, const void *ctx)
{
    const m_signer *s = ctx;
    m_cms_signer_info *si = c32_alloc(a, sizeof *si, 8);
    uint32_t e;
    if (!si)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    si->version = s->version;
    if ((e = m_put_cert_id(a, s, &si->sid)) || (e = c32_dec_algid(a, &s->digest_alg, &si->hash)) ||
        (e = c32_dec_algid(a, &s->sig_alg, &si->enc)) ||
        (e = c32_put_bytes(a, s->sig.p, s->sig.len, &si->sig)) ||
        (e = m_put_attrs(a, s->has_auth ? &s->auth : NULL, &si->auth)) ||
        (e = m_put_attrs(a, s->has_unauth ? &s->unauth : NULL, &si->unauth)))
        return e;
    return 0;
}

static uint32_t m_build_cert_id(c32_arena *a, const void *ctx)
{
    m_cert_id *id = c32_alloc(a, sizeof *id, 8);
    return id ? m_put_cert_id(a, ctx, id) : C32_ERROR_NOT_ENOUGH_MEMORY;
}

/* The signer's CERT_INFO: only Issuer and SerialNumber are set */
static uint32_t m_build_signer_cert_info(c32_arena *a, const void *ctx)
{
    const m_signer *s = ctx;
    c32_certinfo *ci = c32_alloc(a, sizeof *ci, 8);
    uint32_t e;
    if (!ci)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    if (s->by_key_id)
        return 0;
    if ((e = c32_put_bytes(a, s->issuer.tlv, s->issuer.tlv_len, &ci->issuer)) ||
        (e = m_put_serial(a, &s->serial, &ci->serial)))
        return e;
    return 0;
}

/* CMSG_RECIPIENT_INFO_PARAM: a CERT_INFO with the recipient's issuer and serial number */
typedef struct {
    c32_tlv issuer, serial;
} m_recipient;
static uint32_t m_build_recipient_info(c32_arena *a, const void *ctx)
{
    const m_recipient *r = ctx;
    c32_certinfo *ci = c32_alloc(a, sizeof *ci, 8);
    if (!ci)
        return 0;
    memset(ci, 0, sizeof *ci);
    uint32_t e = m_put_serial(a, &r->serial, &ci->serial);
    return e ? e : c32_put_bytes(a, r->issuer.tlv, r->issuer.tlv_len, &ci->issuer);
}

/* A CERT_ID of an IssuerAndSerialNumber's parts, or (issuer tag 0) of a key identifier */
static uint32_t m_put_rid(c32_arena *a, const c32_tlv *issuer, const c32_tlv *serial,
                          const c32_tlv *kid, m_cert_id *id)
{
    uint32_t e;
    if (!issuer->tag) {
        id->choice = 2; /* CERT_ID_KEY_IDENTIFIER */
        return c32_put_bytes(a, kid->p, kid->len, &id->a);
    }
    id->choice = 1; /* CERT_ID_ISSUER_SERIAL_NUMBER */
    if ((e = c32_put_bytes(a, issuer->tlv, issuer->tlv_len, &id->a)))
        return e;
    return m_put_serial(a, serial, &id->b);
}

/* A key-agreement recipient (CMSG_KEY_AGREE_RECIPIENT_INFO) with its encrypted keys */
static uint32_t m_put_key_agree(c32_arena *a, const c32_env_ri *r, m_cms_recipient_info *ri)
{
    m_key_agree_info *ka = c32_alloc(a, sizeof *ka, 8);
    uint32_t e;
    if (!ka)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    memset(ka, 0, sizeof *ka);
    ri->info = c32_addr(a, ka);
    ka->version = r->version;
    const uint8_t *p = r->orig.p, *end = r->orig.p + r->orig.len;
    c32_tlv none = {0}, issuer, serial, alg, bits;
    if (r->orig.tag == 0xa1) { /* [1] OriginatorPublicKey: algorithm, publicKey */
        ka->orig_choice = 2;
        if ((e = c32_der_expect(&p, end, 0x30, &alg)) ||
            (e = c32_der_expect(&p, end, 0x03, &bits)))
            return e;
        if (bits.len < 1 || bits.p[0] > 7)
            return C32_CRYPT_E_ASN1_CORRUPT;
        c32_blob b;
        if ((e = c32_dec_algid(a, &alg, &ka->orig.key.alg)) ||
            (e = c32_put_bytes(a, bits.p + 1, bits.len - 1, &b)))
            return e;
        ka->orig.key.key.cb = b.cb;
        ka->orig.key.key.pb = b.pb;
        ka->orig.key.key.unused = bits.p[0];
    } else if (r->orig.tag == 0x30) { /* an originator's certificate by issuer and serial */
        ka->orig_choice = 1;
        if ((e = c32_der_expect(&p, end, 0x30, &issuer)) ||
            (e = c32_der_expect(&p, end, 0x02, &serial)) ||
            (e = m_put_rid(a, &issuer, &serial, NULL, &ka->orig.cert)))
            return e;
    } else { /* [0] its subject key identifier */
        ka->orig_choice = 1;
        if ((e = m_put_rid(a, &none, NULL, &r->orig, &ka->orig.cert)))
            return e;
    }
    if (r->ukm.tag && (e = c32_put_bytes(a, r->ukm.p, r->ukm.len, &ka->ukm)))
        return e;
    if ((e = c32_dec_algid(a, &r->kalg, &ka->kalg)))
        return e;
    ka->n_keys = (uint32_t)r->n_reks;
    uint64_t *arr = r->n_reks ? c32_alloc(a, 8 * r->n_reks, 8) : NULL;
    if (r->n_reks && !arr)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    ka->keys = arr ? c32_addr(a, arr) : 0;
    for (size_t k = 0; k < r->n_reks; k++) {
        c32_env_rek rek;
        m_rek_info *ki = c32_alloc(a, sizeof *ki, 8);
        if (!ki)
            return C32_ERROR_NOT_ENOUGH_MEMORY;
        memset(ki, 0, sizeof *ki);
        arr[k] = c32_addr(a, ki);
        if ((e = c32_env_agree_key(r, k, &rek)) ||
            (e = m_put_rid(a, &rek.issuer, &rek.serial, &rek.ski, &ki->rid)) ||
            (e = c32_put_bytes(a, rek.ekey.p, rek.ekey.len, &ki->ekey)))
            return e;
        if (rek.date.tag && (e = c32_dec_time(&rek.date, &ki->date)))
            return e;
        if (rek.other.tag) { /* OtherKeyAttribute: a CRYPT_ATTRIBUTE_TYPE_VALUE, an
                              * AlgorithmIdentifier's layout and shape */
            c32_algid *o = c32_alloc(a, sizeof *o, 8);
            if (!o)
                return C32_ERROR_NOT_ENOUGH_MEMORY;
            memset(o, 0, sizeof *o);
            ki->other = c32_addr(a, o);
            if ((e = c32_dec_algid(a, &rek.other, o)))
                return e;
        }
    }
    return 0;
}

/* CMSG_CMS_RECIPIENT_INFO_PARAM: a key-transport, key-agreement or KEK recipient as CMS
 * names it */
static uint32_t m_build_cms_recipient_info(c32_arena *a, const void *ctx)
{
    const c32_env_ri *r = ctx;
    m_cms_recipient_info *ri = c32_alloc(a, sizeof *ri, 8);
    uint32_t e;
    if (!ri)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    ri->choice = r->kind;
    if (r->kind == C32_ENV_KEY_TRANS) {
        m_key_trans_info *kt = c32_alloc(a, sizeof *kt, 8);
        if (!kt)
            return C32_ERROR_NOT_ENOUGH_MEMORY;
        memset(kt, 0, sizeof *kt);
        ri->info = c32_addr(a, kt);
        kt->version = r->version;
        if (r->rid.tag == 0x80) {
            kt->rid.choice = 2; /* CERT_ID_KEY_IDENTIFIER */
            e = c32_put_bytes(a, r->rid.p, r->rid.len, &kt->rid.a);
        } else {
            const uint8_t *p = r->rid.p, *end = r->rid.p + r->rid.len;
            c32_tlv issuer, serial;
            kt->rid.choice = 1; /* CERT_ID_ISSUER_SERIAL_NUMBER */
            e = c32_der_expect(&p, end, 0x30, &issuer);
            if (!e)
                e = c32_der_expect(&p, end, 0x02, &serial);
            if (!e)
                e = c32_put_bytes(a, issuer.tlv, issuer.tlv_len, &kt->rid.a);
            if (!e)
                e = m_put_serial(a, &serial, &kt->rid.b);
        }
        if (e || (e = c32_dec_algid(a, &r->kalg, &kt->kalg)))
            return e;
        return c32_put_bytes(a, r->ekey.p, r->ekey.len, &kt->ekey);
    }
    if (r->kind == C32_ENV_KEY_AGREE)
        return m_put_key_agree(a, r, ri);
    m_mail_list_info *ml = c32_alloc(a, sizeof *ml, 8);
    if (!ml)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    memset(ml, 0, sizeof *ml);
    ri->info = c32_addr(a, ml);
    ml->version = r->version;
    if ((e = c32_put_bytes(a, r->kek_id.p, r->kek_id.len, &ml->kid)) ||
        (e = c32_dec_algid(a, &r->kalg, &ml->kalg)) ||
        (e = c32_put_bytes(a, r->ekey.p, r->ekey.len, &ml->ekey)))
        return e;
    if (r->kek_date.tag && (e = c32_dec_time(&r->kek_date, &ml->date)))
        return e;
    return 0;
}

static uint32_t m_build_algid(c32_arena *a, const void *ctx)
{
    c32_algid *id = c32_alloc(a, sizeof *id, 8);
    return id ? c32_dec_algid(a, ctx, id) : C32_ERROR_NOT_ENOUGH_MEMORY;
}

/* An OID as its dotted string (the string itself is the result) */
static uint32_t m_build_string(c32_arena *a, const void *ctx)
{
    uint64_t where;
    return c32_put_oid(a, ctx, &where);
}

/* ---- encoding ---- */

/* The encoded content of a data message: the OCTET STRING */
static void m_enc_data(c32_der *d, const c32_msg *m)
{
    c32_der_tlv(d, 0x04, m->in.p, m->in.n);
}

static void m_enc_digest_alg(c32_der *d, int which)
{
    c32_algid a = {(uint64_t)(uintptr_t)m_digests[which].oid, {2, 0, (uint64_t)(uintptr_t)"\x05"}};
    c32_enc_algid(d, &a);
}

/* encapContentInfo: the inner type and, unless detached, the content */
static void m_enc_encap(c32_der *d, const c32_msg *m)
{
    c32_der in = {0};
    const char *oid = m->inner_oid ? m->inner_oid : OID_DATA;
    c32_enc_oid(&in, oid);
    if (!m->detached && m->in.n) {
        c32_der x = {0};
        if (!strcmp(oid, OID_DATA) || m->cms_encap)
            c32_der_tlv(&x, 0x04, m->in.p, m->in.n);
        else
            c32_der_put(&x, m->in.p, m->in.n); /* the program gives the element itself */
        c32_der_wrap(&in, 0xa0, &x);
    }
    c32_der_wrap(d, 0x30, &in);
}

/* The bytes an encoded message's signature or digest covers */
static void m_enc_hashed_bytes(const c32_msg *m, const uint8_t **p, size_t *n)
{
    *p = m->in.p;
    *n = m->in.n;
    const char *oid = m->inner_oid ? m->inner_oid : OID_DATA;
    if (strcmp(oid, OID_DATA) && !m->cms_encap && m->in.n) { /* another type: its element's
                                                                 contents */
        const uint8_t *q = m->in.p;
        c32_tlv t;
        if (!c32_der_read(&q, m->in.p + m->in.n, &t)) {
            *p = t.p;
            *n = t.len;
        }
    }
}

static void m_enc_hashed(c32_der *d, const c32_msg *m)
{
    c32_der in = {0};
    uint8_t digest[CD_MAX_SIZE];
    const uint8_t *hp;
    size_t hn;
    m_enc_hashed_bytes(m, &hp, &hn);
    m_digest(m->hash_digest, hp, hn, digest);
    uint8_t v = 0;
    c32_enc_int_le(&in, &v, 1);
    m_enc_digest_alg(&in, m->hash_digest);
    m_enc_encap(&in, m);
    c32_der_tlv(&in, 0x04, digest, cd_size(m_digests[m->hash_digest].algo));
    c32_der_wrap(d, 0x30, &in);
}

static int m_cmp_der(const void *a, const void *b)
{
    const c32_tlv *x = a, *y = b;
    size_t n = x->tlv_len < y->tlv_len ? x->tlv_len : y->tlv_len;
    int c = memcmp(x->tlv, y->tlv, n);
    return c ? c : (x->tlv_len > y->tlv_len) - (x->tlv_len < y->tlv_len);
}

/* A SET OF the elements in `items` (one DER after another), sorted as DER wants, with `tag` */
static void m_enc_set(c32_der *d, uint8_t tag, const c32_der *items)
{
    c32_tlv *v = NULL;
    size_t n = 0;
    for (const uint8_t *p = items->p; p && p < items->p + items->n;) {
        c32_tlv t;
        if (c32_der_read(&p, items->p + items->n, &t) || !m_push(&v, &n, &t)) {
            d->err = d->err ? d->err : C32_ERROR_NOT_ENOUGH_MEMORY;
            free(v);
            return;
        }
    }
    if (n > 1)
        qsort(v, n, sizeof *v, m_cmp_der);
    c32_der in = {0};
    for (size_t i = 0; i < n; i++)
        c32_der_put(&in, v[i].tlv, v[i].tlv_len);
    free(v);
    c32_der_wrap(d, tag, &in);
}

/* An Attribute with one value */
static void m_enc_attr1(c32_der *d, const char *oid, const c32_der *value)
{
    c32_der in = {0}, set = {0};
    c32_enc_oid(&in, oid);
    c32_der_put(&set, value->p, value->n);
    c32_der_wrap(&in, 0x31, &set);
    c32_der_wrap(d, 0x30, &in);
}

/* Signs a digest with the signer's NCrypt key: the signature algorithm's DER into alg and
 * the signature into sig; 0 or an error */
static uint32_t m_sign(const m_enc_signer *s, const uint8_t *digest, c32_der *alg, c32_der *sig)
{
    WCHAR group[16] = {0};
    uint32_t got = 0;
    int32_t ss = nc_NCryptGetProperty(s->key, u"Algorithm Group", (uint8_t *)group,
                                      sizeof group, &got, 0);
    if (ss)
        return (uint32_t)ss;
    bool rsa = group[0] == u'R';
    struct {
        const WCHAR *alg;
    } pad = {m_digests[s->digest].name};
    uint32_t dlen = cd_size(m_digests[s->digest].algo), n = 0;
    const void *padinfo = rsa ? &pad : NULL;
    uint32_t flags = rsa ? 2u /* BCRYPT_PAD_PKCS1 */ : 0;
    if ((ss = nc_NCryptSignHash(s->key, padinfo, digest, dlen, NULL, 0, &n, flags)))
        return (uint32_t)ss;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    if ((ss = nc_NCryptSignHash(s->key, padinfo, digest, dlen, buf, n, &n, flags))) {
        free(buf);
        return (uint32_t)ss;
    }
    if (rsa) {
        c32_algid a = {(uint64_t)(uintptr_t)OID_RSA, {2, 0, (uint64_t)(uintptr_t)"\x05"}};
        c32_enc_algid(alg, &a);
        c32_der_put(sig, buf, n);
    } else {
        /* r || s as Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } */
        if (!m_digests[s->digest].ecdsa) {
            free(buf);
            return M_NTE_BAD_ALGID;
        }
        c32_algid a = {(uint64_t)(uintptr_t)m_digests[s->digest].ecdsa, {0, 0, 0}};
        c32_enc_algid(alg, &a);
        c32_der in = {0};
        for (int half = 0; half < 2; half++) {
            uint8_t le[70];
            size_t k = n / 2;
            for (size_t i = 0; i < k && k < sizeof le; i++)
                le[i] = buf[half * k + k - 1 - i];
            le[k] = 0; /* unsigned: a zero sign byte, dropped when not needed */
            c32_enc_int_le(&in, le, k + 1);
        }
        c32_der_wrap(sig, 0x30, &in);
    }
    free(buf);
    return sig->err ? sig->err : alg->err;
}

/* One SignerInfo */
static uint32_t m_enc_signer_info(c32_der *d, const c32_msg *m, const m_enc_signer *s)
{
    uint8_t digest[CD_MAX_SIZE];
    const uint8_t *hp;
    size_t hn;
    m_enc_hashed_bytes(m, &hp, &hn);
    m_digest(s->digest, hp, hn, digest);
    uint32_t dlen = cd_size(m_digests[s->digest].algo);
    c32_der in = {0}, auth = {0}, alg = {0}, sig = {0};
    uint8_t v = 1;
    c32_enc_int_le(&in, &v, 1);
    c32_der ias = {0};
    c32_der_put(&ias, s->issuer, s->issuer_len);
    c32_enc_int_le(&ias, s->serial_le, s->serial_len);
    c32_der_wrap(&in, 0x30, &ias);
    m_enc_digest_alg(&in, s->digest);
    /* contentType and messageDigest first, then the program's; a content of another type than
     * data always has them (RFC 2315 9.2, RFC 5652 5.3) */
    if (s->n_auth || (m->inner_oid && strcmp(m->inner_oid, OID_DATA))) {
        c32_der items = {0}, val = {0};
        c32_enc_oid(&val, m->inner_oid ? m->inner_oid : OID_DATA);
        m_enc_attr1(&items, OID_CONTENT_TYPE, &val);
        free(val.p);
        val = (c32_der){0};
        c32_der_tlv(&val, 0x04, digest, dlen);
        m_enc_attr1(&items, OID_MESSAGE_DIGEST, &val);
        free(val.p);
        c32_der_put(&items, s->auth.p, s->auth.n);
        m_enc_set(&auth, 0x31, &items);
        free(items.p);
        if (auth.err || !auth.n) {
            free(auth.p);
            free(in.p);
            return auth.err ? auth.err : C32_ERROR_NOT_ENOUGH_MEMORY;
        }
        /* the signature covers the attributes' SET OF */
        m_digest(s->digest, auth.p, auth.n, digest);
        auth.p[0] = 0xa0; /* [0] IMPLICIT in the SignerInfo */
        c32_der_put(&in, auth.p, auth.n);
        free(auth.p);
    }
    uint32_t e = m_sign(s, digest, &alg, &sig);
    if (!e) {
        c32_der_put(&in, alg.p, alg.n);
        c32_der_tlv(&in, 0x04, sig.p, sig.n);
        if (s->n_unauth)
            m_enc_set(&in, 0xa1, &s->unauth);
        e = in.err;
        c32_der_wrap(d, 0x30, &in);
    }
    free(alg.p);
    free(sig.p);
    free(in.p);
    return e;
}

static uint32_t m_enc_signed(c32_der *d, const c32_msg *m)
{
    c32_der in = {0}, algs = {0}, signers = {0};
    /* CMS (RFC 5652 5.1): version 3 for an encapsulated content of another type */
    uint8_t v = m->cms_encap && m->inner_oid && strcmp(m->inner_oid, OID_DATA) ? 3 : 1;
    c32_enc_int_le(&in, &v, 1);
    for (size_t i = 0; i < m->n_esigners; i++) { /* each digest once */
        size_t j = 0;
        while (j < i && m->esigners[j].digest != m->esigners[i].digest)
            j++;
        if (j == i)
            m_enc_digest_alg(&algs, m->esigners[i].digest);
    }
    c32_der_wrap(&in, 0x31, &algs);
    m_enc_encap(&in, m);
    if (m->ecerts.n)
        c32_der_tlv(&in, 0xa0, m->ecerts.p, m->ecerts.n);
    if (m->ecrls.n)
        c32_der_tlv(&in, 0xa1, m->ecrls.p, m->ecrls.n);
    uint32_t e = 0;
    for (size_t i = 0; i < m->n_esigners && !e; i++)
        e = m_enc_signer_info(&signers, m, &m->esigners[i]);
    if (e) {
        free(signers.p);
        free(in.p);
        return e;
    }
    c32_der_wrap(&in, 0x31, &signers);
    e = in.err;
    c32_der_wrap(d, 0x30, &in);
    return e;
}

/* The bare content (without the ContentInfo) of the message being encoded */
static uint32_t m_enc_bare(c32_der *d, const c32_msg *m)
{
    switch (m->type) {
    case M_DATA: m_enc_data(d, m); return d->err;
    case M_HASHED: m_enc_hashed(d, m); return d->err;
    case M_ENVELOPED:
    {
        c32_env_extra x = {m->ecerts.p, m->ecrls.p, m->eunprot.p,
                           m->ecerts.n, m->ecrls.n, m->eunprot.n};
        return c32_env_encode(d, m->env_alg, m->inner_oid ? m->inner_oid : OID_DATA, m->erecips,
                              m->n_erecips, &x, m->in.p, m->in.n);
    }
    default: return m_enc_signed(d, m);
    }
}

/* The whole ContentInfo */
static uint32_t m_enc_message(c32_der *d, const c32_msg *m)
{
    c32_der in = {0}, bare = {0};
    static const char *const oids[] = {NULL, "1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2",
                                       "1.2.840.113549.1.7.3", NULL, "1.2.840.113549.1.7.5"};
    uint32_t e = m_enc_bare(&bare, m);
    if (e) {
        free(bare.p);
        return e;
    }
    c32_enc_oid(&in, oids[m->type]);
    c32_der_wrap(&in, 0xa0, &bare);
    c32_der_wrap(d, 0x30, &in);
    return d->err;
}

/* ---- reading what a program gives ---- */

/* A copy of n bytes at a program's address (a NUL after them); NULL when unreadable */
static uint8_t *m_copy_in(uint64_t addr, size_t n)
{
    uint8_t *p = malloc(n + 1);
    if (!p || (n && (!addr || rt_safe_copy(p, (const void *)(uintptr_t)addr, n)))) {
        free(p);
        return NULL;
    }
    p[n] = 0;
    return p;
}

/* A program's NUL-terminated string (up to 255 characters), copied; NULL when unreadable */
static char *m_copy_str(uint64_t addr)
{
    char buf[256];
    for (size_t i = 0; addr && i < sizeof buf; i++) {
        if (rt_safe_copy(&buf[i], (const char *)(uintptr_t)addr + i, 1))
            return NULL;
        if (!buf[i])
            return strdup(buf);
    }
    return NULL;
}

/* A program's CRYPT_ATTRIBUTE array as the DER of each Attribute, one after another */
static uint32_t m_enc_program_attrs(c32_der *d, uint64_t rg, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        m_attr at;
        if (rt_safe_copy(&at, (const m_attr *)(uintptr_t)rg + i, sizeof at))
            return M_E_INVALIDARG;
        char *oid = m_copy_str(at.oid);
        if (!oid)
            return M_E_INVALIDARG;
        c32_der in = {0}, set = {0};
        c32_enc_oid(&in, oid);
        free(oid);
        for (uint32_t j = 0; j < at.n; j++) {
            c32_blob b;
            if (rt_safe_copy(&b, (const c32_blob *)(uintptr_t)at.vals + j, sizeof b)) {
                free(in.p);
                free(set.p);
                return M_E_INVALIDARG;
            }
            uint8_t *v = m_copy_in(b.pb, b.cb);
            if (!v) {
                free(in.p);
                free(set.p);
                return M_E_INVALIDARG;
            }
            c32_der_put(&set, v, b.cb);
            free(v);
        }
        m_enc_set(&in, 0x31, &set);
        free(set.p);
        c32_der_wrap(d, 0x30, &in);
    }
    return d->err;
}

/* A program's CERT_BLOB array appended to d */
static uint32_t m_copy_blobs(c32_der *d, uint64_t rg, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        c32_blob b;
        if (rt_safe_copy(&b, (const c32_blob *)(uintptr_t)rg + i, sizeof b))
            return M_E_INVALIDARG;
        uint8_t *v = m_copy_in(b.pb, b.cb);
        if (!v)
            return M_E_INVALIDARG;
        c32_der_put(d, v, b.cb);
        free(v);
    }
    return d->err;
}

/* The key a signer names: an NCrypt key handle (CERT_NCRYPT_KEY_SPEC, or any key spec with an
 * NCrypt handle); 0 when it is none */
static uintptr_t m_ncrypt_key(uint64_t handle)
{
    uint32_t got = 0;
    WCHAR group[16];
    return handle && !nc_NCryptGetProperty((uintptr_t)handle, u"Algorithm Group",
                                           (uint8_t *)group, sizeof group, &got, 0)
               ? (uintptr_t)handle
               : 0;
}

static uint32_t m_read_signer_encode(m_enc_signer *s, uint64_t addr)
{
    m_signer_encode se;
    c32_certinfo ci;
    memset(s, 0, sizeof *s);
    if (!addr || rt_safe_copy(&se, (const void *)(uintptr_t)addr, sizeof se) ||
        se.size < sizeof se || !se.cert_info ||
        rt_safe_copy(&ci, (const void *)(uintptr_t)se.cert_info, sizeof ci))
        return M_E_INVALIDARG;
    char *oid = m_copy_str(se.hash.oid);
    s->digest = m_digest_of_oid(oid);
    free(oid);
    if (s->digest < 0)
        return M_CRYPT_E_UNKNOWN_ALGO;
    s->key = m_ncrypt_key(se.key);
    if (!s->key)
        return M_NTE_NO_KEY;
    s->issuer = m_copy_in(ci.issuer.pb, ci.issuer.cb);
    s->issuer_len = ci.issuer.cb;
    s->serial_le = m_copy_in(ci.serial.pb, ci.serial.cb);
    s->serial_len = ci.serial.cb;
    if (!s->issuer || !s->serial_le)
        return M_E_INVALIDARG;
    uint32_t e = m_enc_program_attrs(&s->auth, se.auth, se.n_auth);
    if (!e)
        e = m_enc_program_attrs(&s->unauth, se.unauth, se.n_unauth);
    s->n_auth = se.n_auth;
    s->n_unauth = se.n_unauth;
    return e;
}

/* A key-transport recipient's key-encryption parameters (an id-RSAES-OAEP key's or
 * KeyEncryptionAlgorithm's RSAES-OAEP-params): copied when there are any */
static uint32_t m_read_kparams(c32_env_recipient *r, const c32_blob *params)
{
    if (!params->cb)
        return 0;
    if (!(r->kparams = m_copy_in(params->pb, params->cb)))
        return M_E_INVALIDARG;
    r->kparams_len = params->cb;
    return 0;
}

/* A CERT_INFO's recipient (rgpRecipients): issuer and serial number, RSA public key (its
 * algorithm: rsaEncryption, or id-RSAES-OAEP with its parameters) */
static uint32_t m_read_cert_recipient(c32_env_recipient *r, uint64_t at)
{
    c32_certinfo ci;
    if (!at || rt_safe_copy(&ci, (const void *)(uintptr_t)at, sizeof ci))
        return M_E_INVALIDARG;
    r->kind = C32_ENV_KEY_TRANS;
    r->issuer = m_copy_in(ci.issuer.pb, ci.issuer.cb);
    r->issuer_len = ci.issuer.cb;
    r->serial_le = m_copy_in(ci.serial.pb, ci.serial.cb);
    r->serial_len = ci.serial.cb;
    r->keybits_oid = m_copy_str(ci.pk.alg.oid);
    r->keybits = m_copy_in(ci.pk.key.pb, ci.pk.key.cb);
    r->keybits_len = ci.pk.key.cb;
    if (!r->issuer || !r->serial_le || !r->keybits_oid || !r->keybits)
        return M_E_INVALIDARG;
    return m_read_kparams(r, &ci.pk.alg.params);
}

/* A CRYPT_ATTRIBUTE_TYPE_VALUE (OtherKeyAttribute) as its DER, malloc'd; 0 or E_INVALIDARG */
static uint32_t m_read_other_attr(uint64_t at, uint8_t **out, size_t *out_len)
{
    c32_algid o;
    if (rt_safe_copy(&o, (const void *)(uintptr_t)at, sizeof o))
        return M_E_INVALIDARG;
    char *oid = m_copy_str(o.oid);
    uint8_t *v = m_copy_in(o.params.pb, o.params.cb);
    c32_der in = {0}, d = {0};
    if (oid && v) {
        c32_enc_oid(&in, oid);
        c32_der_put(&in, v, o.params.cb);
        c32_der_wrap(&d, 0x30, &in);
    }
    free(oid);
    free(v);
    free(in.p);
    if (!d.p || d.err) {
        free(d.p);
        return M_E_INVALIDARG;
    }
    *out = d.p;
    *out_len = d.n;
    return 0;
}

/* A CMSG_KEY_AGREE_RECIPIENT_ENCODE_INFO: an ephemeral originator key
 * (CMSG_KEY_AGREE_EPHEMERAL_KEY_CHOICE) or the sender's static key (CMSG_KEY_AGREE_STATIC_KEY_
 * CHOICE: an NCrypt ECDH key, dwKeySpec CERT_NCRYPT_KEY_SPEC, named by pSenderId), the scheme,
 * the key wrap, the ukm and each recipient's public key and id */
static uint32_t m_read_key_agree_recipient(c32_env_recipient *r, uint64_t at)
{
    m_key_agree_encode ka;
    if (rt_safe_copy(&ka, (const void *)(uintptr_t)at, sizeof ka) || ka.size < sizeof ka)
        return M_E_INVALIDARG;
    if (ka.key_choice != 1 && ka.key_choice != 2)
        return M_E_INVALIDARG;
    r->kind = C32_ENV_KEY_AGREE;
    if (ka.key_choice == 2) { /* a static key: the sender's NCrypt ECDH key and its id */
        m_cert_id sid;
        if (ka.key_spec != M_NCRYPT_KEY_SPEC || !(r->static_key = m_ncrypt_key(ka.prov)))
            return M_NTE_NO_KEY;
        if (!ka.eph_alg || rt_safe_copy(&sid, (const void *)(uintptr_t)ka.eph_alg, sizeof sid) ||
            (sid.choice != 1 && sid.choice != 2) || !sid.a.cb ||
            !(r->orig_id = m_copy_in(sid.a.pb, sid.a.cb)))
            return M_E_INVALIDARG;
        r->orig_id_len = sid.a.cb;
        if (sid.choice == 1) { /* issuer and serial number */
            if (!sid.b.cb || !(r->orig_serial_le = m_copy_in(sid.b.pb, sid.b.cb)))
                return M_E_INVALIDARG;
            r->orig_serial_len = sid.b.cb;
        }
    }
    if (!(r->keybits_oid = m_copy_str(ka.kalg.oid)) || !(r->wrap_oid = m_copy_str(ka.walg.oid)))
        return M_E_INVALIDARG;
    if (ka.ukm.cb) {
        if (!(r->kid = m_copy_in(ka.ukm.pb, ka.ukm.cb)))
            return M_E_INVALIDARG;
        r->kid_len = ka.ukm.cb;
    }
    if (!ka.n_keys || ka.n_keys > 1024 || !(r->reks = calloc(ka.n_keys, sizeof *r->reks)))
        return ka.n_keys ? C32_ERROR_NOT_ENOUGH_MEMORY : M_E_INVALIDARG;
    for (uint32_t k = 0; k < ka.n_keys; k++) {
        uint64_t p;
        m_rek_encode re;
        struct c32_env_rek_enc *q = &r->reks[k];
        r->n_reks = k + 1;
        if (!ka.keys || rt_safe_copy(&p, (const void *)(uintptr_t)(ka.keys + 8 * k), 8) || !p ||
            rt_safe_copy(&re, (const void *)(uintptr_t)p, sizeof re) || re.size < sizeof re ||
            re.pub.unused || !re.pub.cb || !(q->pub = m_copy_in(re.pub.pb, re.pub.cb)))
            return M_E_INVALIDARG;
        q->pub_len = re.pub.cb;
        if (re.rid.choice == 1) {
            q->issuer = m_copy_in(re.rid.a.pb, re.rid.a.cb);
            q->issuer_len = re.rid.a.cb;
            q->serial_le = m_copy_in(re.rid.b.pb, re.rid.b.cb);
            q->serial_len = re.rid.b.cb;
            if (!q->issuer || !q->serial_le || !q->issuer_len || !q->serial_len)
                return M_E_INVALIDARG;
        } else if (re.rid.choice == 2) {
            q->ski = m_copy_in(re.rid.a.pb, re.rid.a.cb);
            q->ski_len = re.rid.a.cb;
            if (!q->ski || !q->ski_len)
                return M_E_INVALIDARG;
            q->date = re.date;
            uint32_t e;
            if (re.other && (e = m_read_other_attr(re.other, &q->other, &q->other_len)))
                return e;
        } else {
            return M_E_INVALIDARG;
        }
    }
    return 0;
}

/* A CMSG_RECIPIENT_ENCODE_INFO (rgCmsRecipients[i]): key transport to an RSA public key named
 * by issuer and serial number or subject key identifier, a KEK (mail list) recipient whose
 * key-encryption key is a CryptoAPI key handle, or key agreement with an ephemeral key */
static uint32_t m_read_cms_recipient(c32_env_recipient *r, uint64_t at)
{
    m_recipient_encode re;
    if (!at || rt_safe_copy(&re, (const void *)(uintptr_t)at, sizeof re) || !re.info)
        return M_E_INVALIDARG;
    if (re.choice == C32_ENV_KEY_TRANS) {
        m_key_trans_encode kt;
        if (rt_safe_copy(&kt, (const void *)(uintptr_t)re.info, sizeof kt) ||
            kt.size < sizeof kt)
            return M_E_INVALIDARG;
        r->kind = C32_ENV_KEY_TRANS;
        if (!(r->keybits_oid = m_copy_str(kt.kalg.oid)) ||
            !(r->keybits = m_copy_in(kt.pub.pb, kt.pub.cb)) || kt.pub.unused)
            return M_E_INVALIDARG;
        r->keybits_len = kt.pub.cb;
        if (m_read_kparams(r, &kt.kalg.params))
            return M_E_INVALIDARG;
        if (kt.rid.choice == 1) { /* CERT_ID_ISSUER_SERIAL_NUMBER */
            r->issuer = m_copy_in(kt.rid.a.pb, kt.rid.a.cb);
            r->issuer_len = kt.rid.a.cb;
            r->serial_le = m_copy_in(kt.rid.b.pb, kt.rid.b.cb);
            r->serial_len = kt.rid.b.cb;
            if (!r->issuer || !r->serial_le || !r->issuer_len || !r->serial_len)
                return M_E_INVALIDARG;
        } else if (kt.rid.choice == 2) { /* CERT_ID_KEY_IDENTIFIER */
            r->kid = m_copy_in(kt.rid.a.pb, kt.rid.a.cb);
            r->kid_len = kt.rid.a.cb;
            if (!r->kid || !r->kid_len)
                return M_E_INVALIDARG;
        } else {
            return M_E_INVALIDARG; /* CERT_ID_SHA1_HASH does not name a CMS recipient */
        }
        return 0;
    }
    if (re.choice == C32_ENV_KEY_AGREE)
        return m_read_key_agree_recipient(r, re.info);
    if (re.choice != C32_ENV_MAIL_LIST)
        return M_E_INVALIDARG;
    m_mail_list_encode ml;
    if (rt_safe_copy(&ml, (const void *)(uintptr_t)re.info, sizeof ml) || ml.size < sizeof ml ||
        ml.key_choice != 1 /* CMSG_MAIL_LIST_HANDLE_KEY_CHOICE */)
        return M_E_INVALIDARG;
    r->kind = C32_ENV_MAIL_LIST;
    uint8_t kek[CK_MAX_SECRET];
    uint32_t kek_len = 0;
    if (!ck_key_secret((ULONG_PTR)ml.kek, kek, &kek_len))
        return C32_ERROR_INVALID_PARAMETER; /* not a key handle */
    if (kek_len > sizeof r->kek) {
        memset(kek, 0, sizeof kek);
        return M_NTE_BAD_KEY;
    }
    memcpy(r->kek, kek, r->kek_len = kek_len);
    memset(kek, 0, sizeof kek);
    if (!(r->keybits_oid = m_copy_str(ml.kalg.oid)) ||
        !(r->kid = m_copy_in(ml.kid.pb, ml.kid.cb)) || !ml.kid.cb)
        return M_E_INVALIDARG;
    r->kid_len = ml.kid.cb;
    r->date = ml.date;
    /* OtherKeyAttribute: keyAttrId and, when given, keyAttr (DER) */
    return ml.other ? m_read_other_attr(ml.other, &r->other, &r->other_len) : 0;
}

/* CMSG_ENVELOPED_ENCODE_INFO: the content-encryption algorithm and the recipients (the
 * CERT_INFOs of rgpRecipients, or with the CMS fields rgCmsRecipients, the originator's
 * certificates and CRLs and the unprotected attributes) */
static uint32_t m_read_enveloped_encode(c32_msg *m, const void *info)
{
    m_enveloped_encode ei;
    memset(&ei, 0, sizeof ei);
    if (!info || rt_safe_copy(&ei, info, M_ENVELOPED_ENCODE_V1_SIZE) ||
        ei.size < M_ENVELOPED_ENCODE_V1_SIZE || !ei.n_recips)
        return M_E_INVALIDARG;
    if (ei.size >= sizeof ei && rt_safe_copy(&ei, info, sizeof ei))
        return M_E_INVALIDARG;
    if (ei.size < sizeof ei)
        memset((uint8_t *)&ei + M_ENVELOPED_ENCODE_V1_SIZE, 0,
               sizeof ei - M_ENVELOPED_ENCODE_V1_SIZE);
    if (ei.cms_recips && ei.recips) /* one or the other */
        return M_E_INVALIDARG;
    if (ei.n_attr_certs) /* attribute certificates in originatorInfo: not written */
        return M_E_NOTIMPL;
    if (!(m->env_alg = m_copy_str(ei.alg.oid)))
        return M_E_INVALIDARG;
    if (!(m->erecips = calloc(ei.n_recips, sizeof *m->erecips)))
        return C32_ERROR_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < ei.n_recips; i++) {
        uint64_t at;
        m->n_erecips = i + 1;
        uint32_t e;
        if (ei.cms_recips)
            e = m_read_cms_recipient(&m->erecips[i], ei.cms_recips + sizeof(m_recipient_encode) * i);
        else if (!ei.recips || rt_safe_copy(&at, (const void *)(uintptr_t)(ei.recips + 8 * i), 8))
            e = M_E_INVALIDARG;
        else
            e = m_read_cert_recipient(&m->erecips[i], at);
        if (e)
            return e;
    }
    uint32_t e = m_copy_blobs(&m->ecerts, ei.certs, ei.n_certs);
    if (!e)
        e = m_copy_blobs(&m->ecrls, ei.crls, ei.n_crls);
    if (!e)
        e = m_enc_program_attrs(&m->eunprot, ei.unprot, ei.n_unprot);
    return e;
}

static c32_msg *m_new(bool encode, uint32_t type, uint32_t flags)
{
    c32_msg *m = calloc(1, sizeof *m);
    if (!m) {
        thk_set_last_error(C32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    m->magic = M_MAGIC;
    m->refs = 1;
    m->encode = encode;
    m->type = type;
    m->detached = flags & M_DETACHED_FLAG;
    m->cms_encap = flags & M_CMS_ENCAPSULATED_CONTENT_FLAG;
    return m;
}

static void *m_fail(c32_msg *m, uint32_t e)
{
    if (m)
        m_free(m);
    thk_set_last_error(e);
    return NULL;
}

void *WINAPI CryptMsgOpenToEncode(DWORD enc, DWORD flags, DWORD type, const void *info,
                                  const char *inner, const void *stream)
{
    if (!(enc & M_PKCS7_ENCODING) || stream)
        return m_fail(NULL, M_E_INVALIDARG);
    if (type != M_DATA && type != M_SIGNED && type != M_HASHED && type != M_ENVELOPED)
        return m_fail(NULL, M_CRYPT_E_INVALID_MSG_TYPE);
    c32_msg *m = m_new(true, type, flags);
    if (!m)
        return NULL;
    if (inner && type != M_DATA && !(m->inner_oid = m_copy_str((uint64_t)(uintptr_t)inner)))
        return m_fail(m, M_E_INVALIDARG);
    if (type == M_HASHED) {
        m_hashed_encode h;
        if (!info || rt_safe_copy(&h, info, sizeof h) || h.size != sizeof h)
            return m_fail(m, M_E_INVALIDARG);
        char *oid = m_copy_str(h.hash.oid);
        m->hash_digest = m_digest_of_oid(oid);
        free(oid);
        if (m->hash_digest < 0)
            return m_fail(m, M_CRYPT_E_UNKNOWN_ALGO);
    } else if (type == M_ENVELOPED) {
        uint32_t e = m_read_enveloped_encode(m, info);
        if (e)
            return m_fail(m, e);
    } else if (type == M_SIGNED) {
        m_signed_encode s;
        if (!info || rt_safe_copy(&s, info, sizeof s) || s.size < sizeof s)
            return m_fail(m, M_E_INVALIDARG);
        if (s.n_signers &&
            !(m->esigners = calloc(s.n_signers, sizeof *m->esigners)))
            return m_fail(m, C32_ERROR_NOT_ENOUGH_MEMORY);
        /* the elements are cbSize long (the CMS form is longer): the first one's */
        uint32_t stride = 0;
        if (s.n_signers &&
            (rt_safe_copy(&stride, (const void *)(uintptr_t)s.signers, 4) ||
             stride < sizeof(m_signer_encode)))
            return m_fail(m, M_E_INVALIDARG);
        for (uint32_t i = 0; i < s.n_signers; i++) {
            uint32_t e = m_read_signer_encode(&m->esigners[i],
                                              s.signers + (uint64_t)i * stride);
            m->n_esigners = i + 1;
            if (e)
                return m_fail(m, e);
        }
        uint32_t e = m_copy_blobs(&m->ecerts, s.certs, s.n_certs);
        if (!e)
            e = m_copy_blobs(&m->ecrls, s.crls, s.n_crls);
        if (e)
            return m_fail(m, e);
    }
    return m;
}
THK_EXPORT(crypt32, CryptMsgOpenToEncode, 6);

void *WINAPI CryptMsgOpenToDecode(DWORD enc, DWORD flags, DWORD type, ULONG_PTR prov,
                                  const void *recipient, const void *stream)
{
    (void)prov, (void)recipient;
    if (!(enc & M_PKCS7_ENCODING) || stream)
        return m_fail(NULL, M_E_INVALIDARG);
    if (type && type != M_DATA && type != M_SIGNED && type != M_HASHED && type != M_ENVELOPED)
        return m_fail(NULL, M_CRYPT_E_INVALID_MSG_TYPE);
    c32_msg *m = m_new(false, type, flags);
    if (m)
        m->given_type = type != 0;
    return m;
}
THK_EXPORT(crypt32, CryptMsgOpenToDecode, 6);

void *WINAPI CryptMsgDuplicate(void *h)
{
    c32_msg *m = c32_msg_get(h);
    if (m)
        __atomic_add_fetch(&m->refs, 1, __ATOMIC_ACQ_REL);
    return h;
}
THK_EXPORT(crypt32, CryptMsgDuplicate, 1);

BOOL WINAPI CryptMsgClose(void *h)
{
    c32_msg *m = c32_msg_get(h);
    if (m && !__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL))
        m_free(m);
    return TRUE;
}
THK_EXPORT(crypt32, CryptMsgClose, 1);

BOOL WINAPI CryptMsgUpdate(void *h, const BYTE *data, DWORD n, BOOL final)
{
    c32_msg *m = c32_msg_get(h);
    if (!m) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    uint8_t *copy = m_copy_in((uint64_t)(uintptr_t)data, n);
    if (!copy) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    uint32_t e = 0;
    if (m->encode) {
        /* a message not detached takes its content in one final update */
        if (m->done)
            e = M_CRYPT_E_MSG_ERROR;
        else if (!final && !m->detached)
            e = M_CRYPT_E_MSG_ERROR;
        else
            c32_der_put(&m->in, copy, n);
        if (!e && final) {
            e = m->in.err ? m->in.err : m_enc_message(&m->out, m);
            if (e) {
                free(m->out.p);
                m->out = (c32_der){0};
            } else {
                m->done = true;
            }
        }
    } else if (!m->done) {
        c32_der_put(&m->in, copy, n);
        if (final) {
            e = m->in.err ? m->in.err : m_decode(m);
            if (!e)
                m->done = true;
        }
    } else if (m->detached && m->type != M_DATA) {
        c32_der_put(&m->detached_content, copy, n); /* the content of a detached message */
        e = m->detached_content.err;
    } else {
        e = M_CRYPT_E_MSG_ERROR;
    }
    free(copy);
    if (e)
        thk_set_last_error(e);
    return !e;
}
THK_EXPORT(crypt32, CryptMsgUpdate, 4);

#define P_TYPE 1u
#define P_CONTENT 2u
#define P_BARE_CONTENT 3u
#define P_INNER_CONTENT_TYPE 4u
#define P_SIGNER_COUNT 5u
#define P_SIGNER_INFO 6u
#define P_SIGNER_CERT_INFO 7u
#define P_SIGNER_HASH_ALGORITHM 8u
#define P_SIGNER_AUTH_ATTR 9u
#define P_SIGNER_UNAUTH_ATTR 10u
#define P_CERT_COUNT 11u
#define P_CERT 12u
#define P_CRL_COUNT 13u
#define P_CRL 14u
#define P_HASH_ALGORITHM 20u
#define P_HASH_DATA 21u
#define P_COMPUTED_HASH 22u
#define P_ENCODED_SIGNER 28u
#define P_ENCODED_MESSAGE 29u
#define P_VERSION 30u
#define P_ENVELOPE_ALGORITHM 15u
#define P_RECIPIENT_COUNT 17u
#define P_RECIPIENT_INDEX 18u
#define P_RECIPIENT_INFO 19u
#define P_CMS_RECIPIENT_COUNT 33u
#define P_CMS_RECIPIENT_INDEX 34u
#define P_CMS_RECIPIENT_ENCRYPTED_KEY_INDEX 35u
#define P_CMS_RECIPIENT_INFO 36u
#define P_UNPROTECTED_ATTR 37u
#define P_SIGNER_CERT_ID 38u
#define P_CMS_SIGNER_INFO 39u

/* The bare content inside an encoded ContentInfo; false when it is not one */
static bool m_bare_of(const c32_der *msg, c32_tlv *bare)
{
    const uint8_t *p = msg->p, *end = msg->p + msg->n;
    c32_tlv top, oid, expl;
    if (c32_der_expect(&p, end, 0x30, &top))
        return false;
    p = top.p, end = top.p + top.len;
    if (c32_der_expect(&p, end, 0x06, &oid) || c32_der_expect(&p, end, 0xa0, &expl))
        return false;
    p = expl.p;
    return !c32_der_read(&p, expl.p + expl.len, bare);
}

static BOOL m_get_encoded(c32_msg *m, DWORD param, DWORD index, void *out, DWORD *len)
{
    (void)index;
    c32_der d = {0};
    uint32_t e;
    switch (param) {
    case P_CONTENT:
        if (m->done)
            return m_give(m->out.p, m->out.n, out, len);
        e = m_enc_message(&d, m);
        break;
    case P_BARE_CONTENT:
        if (m->done) { /* the final update's message without its ContentInfo: the same bytes
                          (an enveloped message's key and IV, an ECDSA signature are random) */
            c32_tlv bare;
            if (m_bare_of(&m->out, &bare))
                return m_give(bare.tlv, bare.tlv_len, out, len);
        }
        e = m_enc_bare(&d, m);
        break;
    case P_COMPUTED_HASH:
        if (m->type != M_HASHED) {
            e = M_CRYPT_E_INVALID_MSG_TYPE;
            break;
        }
        {
            uint8_t digest[CD_MAX_SIZE];
            const uint8_t *hp;
            size_t hn;
            m_enc_hashed_bytes(m, &hp, &hn);
            m_digest(m->hash_digest, hp, hn, digest);
            return m_give(digest, cd_size(m_digests[m->hash_digest].algo), out, len);
        }
    default:
        e = M_CRYPT_E_INVALID_MSG_TYPE;
    }
    BOOL ok = FALSE;
    if (e)
        thk_set_last_error(e);
    else
        ok = m_give(d.p, d.n, out, len);
    free(d.p);
    return ok;
}

static const m_signer *m_signer_at(const c32_msg *m, DWORD index)
{
    if (m->type != M_SIGNED) {
        thk_set_last_error(M_CRYPT_E_INVALID_MSG_TYPE);
        return NULL;
    }
    if (index >= m->n_signers) {
        thk_set_last_error(M_CRYPT_E_INVALID_INDEX);
        return NULL;
    }
    return &m->signers[index];
}

static BOOL m_get_decoded(c32_msg *m, DWORD param, DWORD index, void *out, DWORD *len)
{
    const m_signer *s;
    if (!m->done) {
        thk_set_last_error(M_CRYPT_E_STREAM_MSG_NOT_READY);
        return FALSE;
    }
    switch (param) {
    case P_TYPE:
        return m_give_dword(m->type, out, len);
    case P_CONTENT:
        if (m->type == M_ENVELOPED) {
            if (!m->env.decrypted)
                break;
            return m_give(m->env.plain, m->env.plain_len, out, len);
        }
        if (m->type == M_DATA || m->inner_type.tag == 0 ||
            (m->inner_type.len == sizeof oid_p7 + 1 && !memcmp(m->inner_type.p, oid_p7,
                                                              sizeof oid_p7) &&
             m->inner_type.p[sizeof oid_p7] == M_DATA)) {
            /* data: the OCTET STRING's octets */
            if (m->has_content && !m->detached)
                return m_give(m->content.p, m->content.len, out, len);
            return m_give(NULL, 0, out, len);
        }
        return m->has_content ? m_give(m->content.tlv, m->content.tlv_len, out, len)
                              : m_give(NULL, 0, out, len);
    case P_INNER_CONTENT_TYPE:
        if (m->type == M_DATA) {
            thk_set_last_error(M_CRYPT_E_INVALID_MSG_TYPE);
            return FALSE;
        }
        return m_give_built(m_build_string, &m->inner_type, out, len);
    case P_SIGNER_COUNT:
        if (m->type != M_SIGNED)
            break;
        return m_give_dword((uint32_t)m->n_signers, out, len);
    case P_SIGNER_INFO:
        return (s = m_signer_at(m, index)) && m_give_built(m_build_signer_info, s, out, len);
    case P_CMS_SIGNER_INFO:
        return (s = m_signer_at(m, index)) && m_give_built(m_build_cms_signer_info, s, out, len);
    case P_SIGNER_CERT_INFO:
        return (s = m_signer_at(m, index)) &&
               m_give_built(m_build_signer_cert_info, s, out, len);
    case P_SIGNER_CERT_ID:
        return (s = m_signer_at(m, index)) && m_give_built(m_build_cert_id, s, out, len);
    case P_SIGNER_HASH_ALGORITHM:
        return (s = m_signer_at(m, index)) && m_give_built(m_build_algid, &s->digest_alg, out, len);
    case P_SIGNER_AUTH_ATTR:
    case P_SIGNER_UNAUTH_ATTR: {
        if (!(s = m_signer_at(m, index)))
            return FALSE;
        bool auth = param == P_SIGNER_AUTH_ATTR;
        if (auth ? !s->has_auth : !s->has_unauth) {
            thk_set_last_error(M_CRYPT_E_AUTH_ATTR_MISSING);
            return FALSE;
        }
        return m_give_built(m_build_attrs, auth ? &s->auth : &s->unauth, out, len);
    }
    case P_ENCODED_SIGNER:
        return (s = m_signer_at(m, index)) && m_give(s->all.tlv, s->all.tlv_len, out, len);
    case P_UNPROTECTED_ATTR:
        if (m->type != M_ENVELOPED)
            break;
        if (!m->env.unprot.tag) {
            thk_set_last_error(M_CRYPT_E_ATTRIBUTES_MISSING);
            return FALSE;
        }
        return m_give_built(m_build_attrs, &m->env.unprot, out, len);
    case P_CERT_COUNT:
    case P_CRL_COUNT:
        if (m->type != M_SIGNED && m->type != M_ENVELOPED)
            break;
        return m_give_dword((uint32_t)(param == P_CERT_COUNT ? m->n_certs : m->n_crls), out, len);
    case P_CERT:
    case P_CRL: {
        if (m->type != M_SIGNED && m->type != M_ENVELOPED)
            break;
        size_t n = param == P_CERT ? m->n_certs : m->n_crls;
        const c32_tlv *arr = param == P_CERT ? m->certs : m->crls;
        if (index >= n) {
            thk_set_last_error(M_CRYPT_E_INVALID_INDEX);
            return FALSE;
        }
        return m_give(arr[index].tlv, arr[index].tlv_len, out, len);
    }
    case P_HASH_ALGORITHM:
        if (m->type != M_HASHED)
            break;
        return m_give_built(m_build_algid, &m->hash_alg, out, len);
    case P_HASH_DATA:
        if (m->type != M_HASHED)
            break;
        return m_give(m->hash_value.p, m->hash_value.len, out, len);
    case P_COMPUTED_HASH: {
        if (m->type != M_HASHED)
            break;
        int which = m_digest_of_alg(&m->hash_alg);
        if (which < 0) {
            thk_set_last_error(M_CRYPT_E_UNKNOWN_ALGO);
            return FALSE;
        }
        uint8_t digest[CD_MAX_SIZE];
        const uint8_t *hp;
        size_t hn;
        m_hashed_bytes(m, &hp, &hn);
        m_digest(which, hp, hn, digest);
        return m_give(digest, cd_size(m_digests[which].algo), out, len);
    }
    case P_RECIPIENT_COUNT:
        if (m->type != M_ENVELOPED)
            break;
        return m_give_dword((uint32_t)m->env.n_recipients, out, len);
    case P_RECIPIENT_INDEX:
        if (m->type != M_ENVELOPED || !m->env.decrypted)
            break;
        return m_give_dword(m->env.index, out, len);
    case P_RECIPIENT_INFO: {
        if (m->type != M_ENVELOPED)
            break;
        m_recipient r;
        uint32_t e = c32_env_recipient_id(&m->env, index, &r.issuer, &r.serial);
        if (e) {
            thk_set_last_error(e);
            return FALSE;
        }
        return m_give_built(m_build_recipient_info, &r, out, len);
    }
    case P_CMS_RECIPIENT_COUNT:
        if (m->type != M_ENVELOPED)
            break;
        return m_give_dword((uint32_t)m->env.n_recipients, out, len);
    case P_CMS_RECIPIENT_INDEX:
        if (m->type != M_ENVELOPED || !m->env.decrypted)
            break;
        return m_give_dword(m->env.index, out, len);
    case P_CMS_RECIPIENT_ENCRYPTED_KEY_INDEX: { /* after a key-agreement recipient's decryption */
        c32_env_ri r;
        if (m->type != M_ENVELOPED || !m->env.decrypted ||
            c32_env_recipient_parts(&m->env, m->env.index, &r) || r.kind != C32_ENV_KEY_AGREE)
            break;
        return m_give_dword(m->env.key_index, out, len);
    }
    case P_CMS_RECIPIENT_INFO: {
        if (m->type != M_ENVELOPED)
            break;
        c32_env_ri r;
        uint32_t e = c32_env_recipient_parts(&m->env, index, &r);
        if (!e && !r.kind)
            e = M_CRYPT_E_UNKNOWN_ALGO; /* password, other: not read */
        if (e) {
            thk_set_last_error(e);
            return FALSE;
        }
        return m_give_built(m_build_cms_recipient_info, &r, out, len);
    }
    case P_ENVELOPE_ALGORITHM:
        if (m->type != M_ENVELOPED)
            break;
        return m_give_built(m_build_algid, &m->env.alg, out, len);
    case P_ENCODED_MESSAGE:
        return m_give(m->in.p, m->in.n, out, len);
    case P_VERSION:
        if (m->type == M_DATA)
            break;
        return m_give_dword(m->version, out, len);
    default:
        break;
    }
    thk_set_last_error(M_CRYPT_E_INVALID_MSG_TYPE);
    return FALSE;
}

BOOL WINAPI CryptMsgGetParam(void *h, DWORD param, DWORD index, void *out, DWORD *len)
{
    c32_msg *m = c32_msg_get(h);
    if (!m || !len) {
        thk_set_last_error(M_E_INVALIDARG);
        return FALSE;
    }
    return m->encode ? m_get_encoded(m, param, index, out, len)
                     : m_get_decoded(m, param, index, out, len);
}
THK_EXPORT(crypt32, CryptMsgGetParam, 5);

/* ---- verifying ---- */

/* Whether a little-endian serial blob names the same number as an INTEGER's contents (leading
 * zero bytes of either ignored, as CertCompareIntegerBlob) */
static bool m_same_serial(const uint8_t *le, size_t n, const c32_tlv *t)
{
    while (n > 1 && le[n - 1] == 0)
        n--;
    const uint8_t *be = t->p;
    size_t m = t->len;
    while (m > 1 && be[0] == 0)
        be++, m--;
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (le[i] != be[m - 1 - i])
            return false;
    return true;
}

/* The DER SubjectPublicKeyInfo of a program's CERT_PUBLIC_KEY_INFO; 0 or an error */
static uint32_t m_spki_of(const void *pkinfo, c32_der *d)
{
    c32_pkinfo pk;
    if (!pkinfo || rt_safe_copy(&pk, pkinfo, sizeof pk))
        return M_E_INVALIDARG;
    char *oid = m_copy_str(pk.alg.oid);
    uint8_t *params = m_copy_in(pk.alg.params.pb, pk.alg.params.cb);
    uint8_t *bits = m_copy_in(pk.key.pb, pk.key.cb);
    uint32_t e = M_E_INVALIDARG;
    if (oid && params && bits) {
        c32_der in = {0}, bs = {0};
        c32_algid a = {(uint64_t)(uintptr_t)oid,
                       {pk.alg.params.cb, 0, (uint64_t)(uintptr_t)params}};
        c32_enc_algid(&in, &a);
        c32_der_byte(&bs, (uint8_t)pk.key.unused);
        c32_der_put(&bs, bits, pk.key.cb);
        c32_der_wrap(&in, 0x03, &bs);
        c32_der_wrap(d, 0x30, &in);
        e = d->err;
    }
    free(oid);
    free(params);
    free(bits);
    return e;
}

/* The value of the messageDigest attribute in a signer's attributes, or false */
static bool m_message_digest(const m_signer *s, c32_tlv *value)
{
    for (const uint8_t *p = s->auth.p; p < s->auth.p + s->auth.len;) {
        c32_tlv at, oid, set;
        if (c32_der_expect(&p, s->auth.p + s->auth.len, 0x30, &at))
            return false;
        const uint8_t *q = at.p;
        if (c32_der_expect(&q, at.p + at.len, 0x06, &oid) ||
            c32_der_expect(&q, at.p + at.len, 0x31, &set))
            return false;
        if (oid.len == sizeof oid_msg_digest && !memcmp(oid.p, oid_msg_digest, oid.len)) {
            q = set.p;
            return !c32_der_expect(&q, set.p + set.len, 0x04, value);
        }
    }
    return false;
}

/* Verifies signer s of a decoded message with the public key `spki` (DER); 0 or an error */
static uint32_t m_verify_signer(const c32_msg *m, const m_signer *s, const uint8_t *spki,
                                size_t spki_len)
{
    int which = m_digest_of_alg(&s->digest_alg);
    if (which < 0)
        return M_CRYPT_E_UNKNOWN_ALGO;
    uint8_t digest[CD_MAX_SIZE];
    uint32_t dlen = cd_size(m_digests[which].algo);
    const uint8_t *hp;
    size_t hn;
    m_hashed_bytes(m, &hp, &hn);
    m_digest(which, hp, hn, digest);
    if (s->has_auth) {
        c32_tlv md;
        if (!m_message_digest(s, &md))
            return M_CRYPT_E_AUTH_ATTR_MISSING;
        if (md.len != dlen || memcmp(md.p, digest, dlen))
            return M_CRYPT_E_HASH_VALUE;
        /* the signature covers the attributes as a SET OF (tag 0x31, not [0]) */
        cd_ctx h;
        uint8_t tag = 0x31;
        cd_init(&h, m_digests[which].algo);
        cd_update(&h, &tag, 1);
        cd_update(&h, s->auth.tlv + 1, s->auth.tlv_len - 1);
        cd_final(&h, digest);
    }
    int r = c32_verify_digest(spki, spki_len, (int)m_digests[which].algo, digest, s->sig.p,
                              s->sig.len);
    return r == 0 ? 0 : r == -2 ? M_NTE_BAD_ALGID : M_NTE_BAD_SIGNATURE;
}

uint32_t c32_msg_verify(c32_msg *m, uint32_t index, const uint8_t *spki, size_t spki_len)
{
    if (!m->done || m->type != M_SIGNED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (index >= m->n_signers)
        return M_CRYPT_E_SIGNER_NOT_FOUND;
    return m_verify_signer(m, &m->signers[index], spki, spki_len);
}

/* CMSG_CTRL_VERIFY_SIGNATURE: the signer whose issuer and serial number the CERT_INFO has,
 * verified with its public key */
static uint32_t m_verify_by_cert_info(c32_msg *m, const void *info)
{
    c32_certinfo ci;
    if (!info || rt_safe_copy(&ci, info, sizeof ci))
        return M_E_INVALIDARG;
    if (m->type != M_SIGNED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    uint8_t *issuer = m_copy_in(ci.issuer.pb, ci.issuer.cb);
    uint8_t *serial = m_copy_in(ci.serial.pb, ci.serial.cb);
    uint32_t e = M_CRYPT_E_SIGNER_NOT_FOUND;
    if (!issuer || !serial) {
        e = M_E_INVALIDARG;
        goto free_copies;
    }
    for (size_t i = 0; i < m->n_signers; i++) {
        const m_signer *s = &m->signers[i];
        if (s->by_key_id || s->issuer.tlv_len != ci.issuer.cb ||
            memcmp(s->issuer.tlv, issuer, ci.issuer.cb) ||
            !m_same_serial(serial, ci.serial.cb, &s->serial))
            continue;
        c32_der spki = {0};
        e = m_spki_of((const uint8_t *)info + offsetof(c32_certinfo, pk), &spki);
        if (!e)
            e = m_verify_signer(m, s, spki.p, spki.n);
        free(spki.p);
        break;
    }
free_copies:
    free(issuer);
    free(serial);
    return e;
}

static uint32_t m_verify_ex(c32_msg *m, const void *para)
{
    m_verify_ex_para v;
    if (!para || rt_safe_copy(&v, para, sizeof v) || v.size < sizeof v)
        return M_E_INVALIDARG;
    if (m->type != M_SIGNED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (v.index >= m->n_signers)
        return M_CRYPT_E_SIGNER_NOT_FOUND;
    c32_der spki = {0};
    uint32_t e;
    switch (v.type) {
    case 1: /* CMSG_VERIFY_SIGNER_PUBKEY: a CERT_PUBLIC_KEY_INFO */
        e = m_spki_of((const void *)(uintptr_t)v.signer, &spki);
        break;
    case 2: { /* CMSG_VERIFY_SIGNER_CERT: a certificate context */
        c32_cert *c = c32_cert_get((const void *)(uintptr_t)v.signer);
        if (!c || !c->spki) {
            e = M_E_INVALIDARG;
            break;
        }
        c32_der_put(&spki, c->spki, c->spki_len);
        e = spki.err;
        break;
    }
    default: /* chains and the NULL signer */
        e = M_E_INVALIDARG;
    }
    if (!e)
        e = m_verify_signer(m, &m->signers[v.index], spki.p, spki.n);
    free(spki.p);
    return e;
}

#define C_VERIFY_SIGNATURE 1u
#define C_DECRYPT 2u
#define C_VERIFY_HASH 5u
#define C_VERIFY_SIGNATURE_EX 19u
#define C_KEY_TRANS_DECRYPT 16u
#define C_KEY_AGREE_DECRYPT 17u
#define C_MAIL_LIST_DECRYPT 18u

/* CMSG_CTRL_DECRYPT: the content for recipient dwRecipientIndex, with its NCrypt key */
static uint32_t m_decrypt(c32_msg *m, const void *para)
{
    m_decrypt_para d;
    if (m->type != M_ENVELOPED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (!para || rt_safe_copy(&d, para, sizeof d) || d.size < sizeof d)
        return M_E_INVALIDARG;
    if (m->env.decrypted)
        return M_CRYPT_E_ALREADY_DECRYPTED;
    if (d.index >= m->env.n_recipients)
        return M_CRYPT_E_INVALID_INDEX;
    uintptr_t key = m_ncrypt_key(d.key);
    if (!key)
        return M_NTE_NO_KEY; /* a CryptoAPI key: this advapi32 has no key pairs */
    return c32_env_decrypt(&m->env, d.index, key);
}

/* CMSG_CTRL_KEY_TRANS_DECRYPT and CMSG_CTRL_MAIL_LIST_DECRYPT: the content for recipient
 * dwRecipientIndex (the CMS index), of that kind: key transport with its NCrypt key, KEK with
 * the key-encryption key as a CryptoAPI key handle (CMSG_MAIL_LIST_HANDLE_KEY_CHOICE) */
static uint32_t m_cms_decrypt(c32_msg *m, const void *para, uint32_t kind)
{
    union {
        m_key_trans_decrypt_para kt;
        m_mail_list_decrypt_para ml;
    } d;
    _Static_assert(sizeof d.kt == sizeof d.ml, "the two paras' sizes");
    c32_env_ri r;
    if (m->type != M_ENVELOPED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (!para || rt_safe_copy(&d, para, sizeof d) || d.kt.size < sizeof d)
        return M_E_INVALIDARG;
    if (m->env.decrypted)
        return M_CRYPT_E_ALREADY_DECRYPTED;
    uint32_t index = kind == C32_ENV_KEY_TRANS ? d.kt.index : d.ml.index;
    uint32_t e = c32_env_recipient_parts(&m->env, index, &r);
    if (e)
        return e;
    if (r.kind != kind)
        return M_E_INVALIDARG;
    if (kind == C32_ENV_KEY_TRANS) {
        uintptr_t key = m_ncrypt_key(d.kt.key);
        if (!key)
            return M_NTE_NO_KEY; /* a CryptoAPI key: this advapi32 has no key pairs */
        return c32_env_decrypt(&m->env, index, key);
    }
    uint8_t kek[CK_MAX_SECRET];
    uint32_t kek_len = 0;
    if (d.ml.key_choice != 1)
        return M_E_INVALIDARG;
    if (!ck_key_secret((ULONG_PTR)d.ml.kek, kek, &kek_len))
        return C32_ERROR_INVALID_PARAMETER; /* not a key handle */
    e = c32_env_decrypt_kek(&m->env, index, kek, kek_len);
    memset(kek, 0, sizeof kek);
    return e;
}

/* CMSG_CTRL_KEY_AGREE_DECRYPT: the content for key-agreement recipient dwRecipientIndex, its
 * encrypted key dwRecipientEncryptedKeyIndex, with the recipient's NCrypt ECDH key and the
 * originator's public key OriginatorPublicKey (empty: the one the message carries) */
static uint32_t m_agree_decrypt(c32_msg *m, const void *para)
{
    m_key_agree_decrypt_para d;
    c32_env_ri r;
    if (m->type != M_ENVELOPED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (!para || rt_safe_copy(&d, para, sizeof d) || d.size < sizeof d)
        return M_E_INVALIDARG;
    if (m->env.decrypted)
        return M_CRYPT_E_ALREADY_DECRYPTED;
    uint32_t e = c32_env_recipient_parts(&m->env, d.index, &r);
    if (e)
        return e;
    if (r.kind != C32_ENV_KEY_AGREE)
        return M_E_INVALIDARG;
    if (d.key_index >= r.n_reks)
        return M_CRYPT_E_INVALID_INDEX;
    uintptr_t key = m_ncrypt_key(d.key);
    if (!key)
        return M_NTE_NO_KEY; /* a CryptoAPI key: this advapi32 has no key pairs */
    uint8_t pub[1 + 2 * 66];
    const uint8_t *opub = NULL;
    if (d.opub.cb) {
        if (d.opub.cb > sizeof pub || d.opub.unused)
            return M_NTE_BAD_PUBLIC_KEY;
        if (!d.opub.pb || rt_safe_copy(pub, (const void *)(uintptr_t)d.opub.pb, d.opub.cb))
            return M_E_INVALIDARG;
        opub = pub;
    }
    return c32_env_decrypt_agree(&m->env, d.index, d.key_index, key, opub, d.opub.cb);
}

BOOL WINAPI CryptMsgControl(void *h, DWORD flags, DWORD ctrl, const void *para)
{
    (void)flags;
    c32_msg *m = c32_msg_get(h);
    uint32_t e;
    if (!m)
        e = M_E_INVALIDARG;
    else if (m->encode)
        e = M_CRYPT_E_CONTROL_TYPE;
    else if (!m->done)
        e = M_CRYPT_E_STREAM_MSG_NOT_READY;
    else if (ctrl == C_DECRYPT)
        e = m_decrypt(m, para);
    else if (ctrl == C_KEY_TRANS_DECRYPT)
        e = m_cms_decrypt(m, para, C32_ENV_KEY_TRANS);
    else if (ctrl == C_MAIL_LIST_DECRYPT)
        e = m_cms_decrypt(m, para, C32_ENV_MAIL_LIST);
    else if (ctrl == C_KEY_AGREE_DECRYPT)
        e = m_agree_decrypt(m, para);
    else if (ctrl == C_VERIFY_SIGNATURE)
        e = m_verify_by_cert_info(m, para);
    else if (ctrl == C_VERIFY_SIGNATURE_EX)
        e = m_verify_ex(m, para);
    else if (ctrl == C_VERIFY_HASH) {
        int which = m->type == M_HASHED ? m_digest_of_alg(&m->hash_alg) : -1;
        if (m->type != M_HASHED)
            e = M_CRYPT_E_INVALID_MSG_TYPE;
        else if (which < 0)
            e = M_CRYPT_E_UNKNOWN_ALGO;
        else {
            uint8_t digest[CD_MAX_SIZE];
            const uint8_t *hp;
            size_t hn;
            m_hashed_bytes(m, &hp, &hn);
            m_digest(which, hp, hn, digest);
            uint32_t dlen = cd_size(m_digests[which].algo);
            e = m->hash_value.len == dlen && !memcmp(m->hash_value.p, digest, dlen)
                    ? 0
                    : M_CRYPT_E_HASH_VALUE;
        }
    } else
        e = M_CRYPT_E_CONTROL_TYPE;
    if (e)
        thk_set_last_error(e);
    return !e;
}
THK_EXPORT(crypt32, CryptMsgControl, 4);

/* ---- for the other files ---- */

c32_msg *c32_msg_decode(const uint8_t *p, size_t n, uint32_t *err)
{
    c32_msg *m = m_new(false, 0, 0);
    if (!m) {
        *err = C32_ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    c32_der_put(&m->in, p, n);
    *err = m->in.err ? m->in.err : m_decode(m);
    if (*err) {
        m_free(m);
        return NULL;
    }
    m->done = true;
    return m;
}

uint32_t c32_msg_type(const c32_msg *m) { return m->type; }

size_t c32_msg_recipients(const c32_msg *m)
{
    return m->type == M_ENVELOPED ? m->env.n_recipients : 0;
}

/* Whether key-agreement recipient i has an encrypted key for this issuer and serial number
 * (issuer non-NULL) or subject key identifier */
static bool m_agree_names(const c32_msg *m, size_t i, const uint8_t *issuer, size_t issuer_len,
                          const uint8_t *id, size_t id_len)
{
    c32_env_ri r;
    c32_env_rek k;
    if (m->type != M_ENVELOPED || c32_env_recipient_parts(&m->env, i, &r) ||
        r.kind != C32_ENV_KEY_AGREE)
        return false;
    for (size_t n = 0; n < r.n_reks; n++) {
        if (c32_env_agree_key(&r, n, &k))
            return false;
        if (issuer ? k.issuer.tag && k.issuer.tlv_len == issuer_len &&
                         !memcmp(k.issuer.tlv, issuer, issuer_len) &&
                         c32_msg_serial_is(id, id_len, &k.serial)
                   : k.ski.tag && k.ski.len == id_len && !memcmp(k.ski.p, id, id_len))
            return true;
    }
    return false;
}

bool c32_msg_recipient_is(const c32_msg *m, size_t i, const uint8_t *issuer, size_t issuer_len,
                          const uint8_t *serial_le, size_t serial_len)
{
    c32_tlv is, serial;
    if (m->type == M_ENVELOPED && !c32_env_recipient_id(&m->env, i, &is, &serial))
        return is.tlv_len == issuer_len && !memcmp(is.tlv, issuer, issuer_len) &&
               c32_msg_serial_is(serial_le, serial_len, &serial);
    return m_agree_names(m, i, issuer, issuer_len, serial_le, serial_len);
}

bool c32_msg_recipient_key_is(const c32_msg *m, size_t i, const uint8_t *kid, size_t n)
{
    c32_env_ri r;
    if (m->type != M_ENVELOPED || c32_env_recipient_parts(&m->env, i, &r))
        return false;
    if (r.kind == C32_ENV_KEY_AGREE)
        return m_agree_names(m, i, NULL, 0, kid, n);
    return r.kind == C32_ENV_KEY_TRANS && r.rid.tag == 0x80 && r.rid.len == n &&
           !memcmp(r.rid.p, kid, n);
}

uint32_t c32_msg_decrypt(c32_msg *m, size_t i, uintptr_t key)
{
    c32_env_ri r;
    if (m->type != M_ENVELOPED)
        return M_CRYPT_E_INVALID_MSG_TYPE;
    if (m->env.decrypted)
        return M_CRYPT_E_ALREADY_DECRYPTED;
    uint32_t e = c32_env_recipient_parts(&m->env, i, &r);
    if (e || r.kind != C32_ENV_KEY_AGREE)
        return e ? e : c32_env_decrypt(&m->env, i, key);
    /* key agreement: the encrypted key that unwraps under the key (AES key wrap checks its
     * integrity; the originator's key, so the KEK, is the same for all of them) */
    e = M_CRYPT_E_INVALID_INDEX;
    for (size_t k = 0; k < r.n_reks && e; k++)
        e = c32_env_decrypt_agree(&m->env, i, k, key, NULL, 0);
    return e;
}

void c32_msg_plain(const c32_msg *m, const uint8_t **p, size_t *n)
{
    *p = m->env.plain;
    *n = m->env.plain_len;
}

size_t c32_msg_signers(const c32_msg *m) { return m->n_signers; }

bool c32_msg_signer_id(const c32_msg *m, size_t i, const uint8_t **issuer, size_t *issuer_len,
                       const c32_tlv **serial)
{
    if (i >= m->n_signers || m->signers[i].by_key_id)
        return false;
    *issuer = m->signers[i].issuer.tlv;
    *issuer_len = m->signers[i].issuer.tlv_len;
    *serial = &m->signers[i].serial;
    return true;
}

bool c32_msg_serial_is(const uint8_t *le, size_t n, const c32_tlv *serial)
{
    return m_same_serial(le, n, serial);
}

void c32_msg_certs(const c32_msg *m, const c32_tlv **certs, size_t *n_certs,
                   const c32_tlv **crls, size_t *n_crls)
{
    *certs = m->certs;
    *n_certs = m->n_certs;
    *crls = m->crls;
    *n_crls = m->n_crls;
}

bool c32_msg_encap(const c32_msg *m, const c32_tlv **type, const c32_tlv **content)
{
    *type = &m->inner_type;
    *content = &m->content;
    return m->type == M_SIGNED && m->has_content && m->inner_type.tag == 0x06;
}

void c32_msg_content(const c32_msg *m, const uint8_t **p, size_t *n)
{
    m_hashed_bytes(m, p, n);
}

uint32_t c32_msg_detached_content(c32_msg *m, const uint8_t *p, size_t n)
{
    m->detached = true;
    free(m->detached_content.p);
    m->detached_content = (c32_der){0};
    c32_der_put(&m->detached_content, p, n);
    return m->detached_content.err;
}

void c32_msg_close(c32_msg *m)
{
    CryptMsgClose(m);
}
