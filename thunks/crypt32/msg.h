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
/* CMSG_DATA 1, CMSG_SIGNED 2, CMSG_HASHED 5 */
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

#endif
