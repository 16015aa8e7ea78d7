/* SPDX-License-Identifier: MIT */
/* crypt32's messages (msg.c) for the files built on them: CryptSignMessage and
 * CryptVerifyMessageSignature (message.c), CryptQueryObject's message handle (serial.c) and
 * the message store provider (store.c). */
#ifndef NTRUN_THUNKS_CRYPT32_MSG_H
#define NTRUN_THUNKS_CRYPT32_MSG_H
#include "thunks/crypt32/crypt32_private.h"

typedef struct c32_msg c32_msg;

/* The message behind a handle a program passes, or NULL */
c32_msg *c32_msg_get(const void *h);
/* A decoded message (a ContentInfo) of these bytes, a handle a program may be given; NULL with
 * *err set */
c32_msg *c32_msg_decode(const uint8_t *p, size_t n, uint32_t *err);
void c32_msg_close(c32_msg *m);
/* CMSG_DATA 1, CMSG_SIGNED 2, CMSG_ENVELOPED 3, CMSG_HASHED 5 */
uint32_t c32_msg_type(const c32_msg *m);
size_t c32_msg_signers(const c32_msg *m);
/* Signer i's issuer (the DER Name) and serial number (the INTEGER); false for one named by its
 * key identifier */
bool c32_msg_signer_id(const c32_msg *m, size_t i, const uint8_t **issuer, size_t *issuer_len,
                       const c32_tlv **serial);
/* Whether a little-endian serial blob is the INTEGER's number */
bool c32_msg_serial_is(const uint8_t *le, size_t n, const c32_tlv *serial);
/* The certificates and CRLs a signed message carries (their DER) */
void c32_msg_certs(const c32_msg *m, const c32_tlv **certs, size_t *n_certs,
                   const c32_tlv **crls, size_t *n_crls);
/* A signed message's inner content type (the OID element) and content (the element inside
 * eContent's [0]); false when it has none (or is not signed) */
bool c32_msg_encap(const c32_msg *m, const c32_tlv **type, const c32_tlv **content);
/* The content the signatures cover (a data content's octets) */
void c32_msg_content(const c32_msg *m, const uint8_t **p, size_t *n);
/* Makes m a detached message whose content is these bytes; 0 or an error */
uint32_t c32_msg_detached_content(c32_msg *m, const uint8_t *p, size_t n);
/* Fills s with a message's certificates and CRLs (CertOpenStore's CERT_STORE_PROV_MSG, the
 * handle its pvPara); false with the last error set (message.c) */
bool c32_store_open_msg(c32_store *s, const void *h);
/* Verifies signer `index` with the public key `spki` (DER): 0, NTE_BAD_SIGNATURE,
 * CRYPT_E_HASH_VALUE, ... */
uint32_t c32_msg_verify(c32_msg *m, uint32_t index, const uint8_t *spki, size_t spki_len);

/* ---- enveloped data (envelope.c) ---- */
/* A RecipientInfo's kind, as CMSG_*_RECIPIENT numbers it (0: password or other) */
#define C32_ENV_KEY_TRANS 1u
#define C32_ENV_KEY_AGREE 2u
#define C32_ENV_MAIL_LIST 3u
/* A recipient to encrypt for: from its CERT_INFO (rgpRecipients) or a
 * CMSG_RECIPIENT_ENCODE_INFO (rgCmsRecipients); every pointer malloc'd */
typedef struct {
    uint32_t kind;         /* C32_ENV_KEY_TRANS or C32_ENV_MAIL_LIST */
    uint8_t *issuer;       /* key transport: the DER Name (NULL: named by kid) */
    size_t issuer_len;
    uint8_t *serial_le;    /* little-endian */
    size_t serial_len;
    char *keybits_oid;     /* key transport: the key-encryption algorithm (rsaEncryption,
                            * id-RSAES-OAEP);
                            * KEK: the key wrap (id-aes128/192/256-wrap) */
    uint8_t *keybits;      /* key transport: RSAPublicKey */
    size_t keybits_len;
    uint8_t *kparams;      /* key transport: the key-encryption algorithm's parameters (DER;
                            * id-RSAES-OAEP's RSAES-OAEP-params), NULL when none */
    size_t kparams_len;
    uint8_t *kid;          /* key transport: the subject key identifier; KEK: its KeyId */
    size_t kid_len;
    uint8_t kek[32];       /* KEK: the key-encryption key */
    size_t kek_len;
    uint64_t date;         /* KEK: a FILETIME, 0 when none */
    uint8_t *other;        /* KEK: the OtherKeyAttribute's DER, or NULL */
    size_t other_len;
    /* key agreement (keybits_oid: the scheme, dhSinglePass-stdDH-*kdf-scheme; kid: the user
     * keying material, or NULL): the key wrap, and each recipient's encrypted key to make */
    char *wrap_oid;
    /* key agreement with a static key (CMSG_KEY_AGREE_STATIC_KEY_CHOICE): the sender's NCrypt
     * ECDH key (the program's; 0: an ephemeral key is made) and its id, the issuer's DER Name
     * with orig_serial_le, or a subject key identifier (orig_serial_le NULL) */
    uintptr_t static_key;
    uint8_t *orig_id, *orig_serial_le;
    size_t orig_id_len, orig_serial_len;
    struct c32_env_rek_enc {
        uint8_t *pub;      /* the recipient's public key (an uncompressed point) */
        size_t pub_len;
        uint8_t *issuer, *serial_le, *ski; /* IssuerAndSerialNumber, or the key identifier */
        size_t issuer_len, serial_len, ski_len;
        uint64_t date;     /* with ski: a FILETIME, 0 when none */
        uint8_t *other;    /* with ski: the OtherKeyAttribute's DER, or NULL */
        size_t other_len;
    } *reks;
    size_t n_reks;
} c32_env_recipient;
/* What an EnvelopedData may carry besides its recipients: originatorInfo's certificates and
 * CRLs, and unprotectedAttrs (the DER of each element, one after another; 0 bytes: none) */
typedef struct {
    const uint8_t *certs, *crls, *unprot;
    size_t certs_len, crls_len, unprot_len;
} c32_env_extra;
/* EnvelopedData (the bare content) of `content` for the recipients, encrypted with the
 * algorithm `alg_oid` names; 0, CRYPT_E_UNKNOWN_ALGO, NTE_BAD_KEY, ... */
uint32_t c32_env_encode(c32_der *d, const char *alg_oid, const char *inner_oid,
                        const c32_env_recipient *r, size_t nr, const c32_env_extra *x,
                        const uint8_t *content, size_t len);
/* A decoded EnvelopedData (pointers into the message) and, once decrypted, its content */
typedef struct {
    uint32_t version;
    c32_tlv *recipients;   /* the RecipientInfo elements (malloc'd array) */
    size_t n_recipients;
    c32_tlv inner_type, alg, encrypted; /* encrypted: tag 0 when absent */
    c32_tlv originator, unprot; /* originatorInfo [0], unprotectedAttrs [1] (tag 0: absent) */
    bool decrypted;
    uint32_t index;        /* the recipient it was decrypted for */
    uint32_t key_index;    /* a key-agreement recipient's encrypted key it was decrypted with */
    uint8_t *plain;
    size_t plain_len;
} c32_env;
uint32_t c32_env_read(const c32_tlv *bare, c32_env *e);
void c32_env_free(c32_env *e);
/* Recipient i's parts (pointers into the message) */
typedef struct {
    uint32_t kind, version;
    c32_tlv rid;        /* key transport: IssuerAndSerialNumber (0x30) or [0] key identifier */
    c32_tlv kek_id, kek_date, kek_other; /* KEK: the KEKIdentifier's (tag 0: absent) */
    c32_tlv kalg, ekey; /* key transport, KEK: the key-encryption algorithm, the encrypted key */
    /* key agreement (kalg too): the originator (IssuerAndSerialNumber 0x30, [0] key
     * identifier 0x80 or [1] OriginatorPublicKey 0xa1), the user keying material's OCTET STRING
     * (tag 0: absent), the RecipientEncryptedKeys and how many there are */
    c32_tlv orig, ukm, reks;
    size_t n_reks;
} c32_env_ri;
/* A key-agreement recipient's RecipientEncryptedKey k: rid is IssuerAndSerialNumber (0x30) or
 * [0] RecipientKeyIdentifier (0xa0: ski, and date, other when present; tag 0 absent) */
typedef struct {
    c32_tlv rid, issuer, serial, ski, date, other, ekey;
} c32_env_rek;
uint32_t c32_env_agree_key(const c32_env_ri *r, size_t k, c32_env_rek *out);
uint32_t c32_env_recipient_parts(const c32_env *e, size_t i, c32_env_ri *r);
/* Recipient i's issuer (the Name element) and serial number (the INTEGER element) */
uint32_t c32_env_recipient_id(const c32_env *e, size_t i, c32_tlv *issuer, c32_tlv *serial);
/* Decrypts the content for key-transport recipient i with its NCrypt key: 0 or an error */
uint32_t c32_env_decrypt(c32_env *e, size_t i, uintptr_t key);
/* Decrypts the content for KEK recipient i with the key-encryption key's bytes (AES key wrap,
 * RFC 3394/3565): 0 or an error */
uint32_t c32_env_decrypt_kek(c32_env *e, size_t i, const uint8_t *kek, size_t kek_len);
/* Decrypts the content for key-agreement recipient i, its encrypted key k, with the
 * recipient's NCrypt ECDH key and the originator's public key (an uncompressed point; NULL:
 * the message's): ECDH, the X9.63 KDF of RFC 5753 (dhSinglePass-stdDH-sha1/256/384/512kdf),
 * AES key unwrap; 0 or an error */
uint32_t c32_env_decrypt_agree(c32_env *e, size_t i, size_t k, uintptr_t key,
                               const uint8_t *opub, size_t opub_len);
/* A decoded enveloped message's recipients (msg.c): how many; whether recipient i is the
 * certificate of this issuer (DER Name) and little-endian serial; decrypting for recipient i
 * with an NCrypt key (0 or an error); the content once decrypted */
size_t c32_msg_recipients(const c32_msg *m);
bool c32_msg_recipient_is(const c32_msg *m, size_t i, const uint8_t *issuer, size_t issuer_len,
                          const uint8_t *serial_le, size_t serial_len);
/* Whether key-transport recipient i is named by this subject key identifier */
bool c32_msg_recipient_key_is(const c32_msg *m, size_t i, const uint8_t *kid, size_t n);
uint32_t c32_msg_decrypt(c32_msg *m, size_t i, uintptr_t key);
void c32_msg_plain(const c32_msg *m, const uint8_t **p, size_t *n);

#endif
