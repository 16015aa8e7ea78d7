/* SPDX-License-Identifier: MIT */
/* Block ciphers for CryptoAPI's keys (cryptkey.c) and bcrypt's symmetric keys: AES-128/192/256,
 * DES and 3DES (two or three keys), Nettle's (nettle-dev); the chaining modes are the callers'
 * (Nettle's cbc/cfb8/gcm helpers take cc_fn and cc_ctx). Native memory only. */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_CIPHER_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nettle/aes.h>
#include <nettle/des.h>
#include <nettle/nettle-types.h>
#include "thunks/advapi32/nettle_lazy.h" /* after the Nettle headers */

typedef enum { CC_AES, CC_DES, CC_3DES } cc_algo;

typedef struct {
    cc_algo algo;
    uint32_t block; /* 16 (AES) or 8 (DES) */
    nettle_cipher_func *enc_fn, *dec_fn;
    union cc_sched {
        struct aes128_ctx a128;
        struct aes192_ctx a192;
        struct aes256_ctx a256;
        struct des_ctx des;
        struct des3_ctx des3;
    } enc, dec; /* the encryption and decryption schedules */
} cc_key;

/* Whether `len` bytes make a key of `algo` (AES 16/24/32, DES 8, 3DES 16 or 24). */
bool cc_key_len_ok(cc_algo algo, size_t len);
/* Sets up k; false when the length does not fit (cc_key_len_ok). */
bool cc_setkey(cc_key *k, cc_algo algo, const uint8_t *key, size_t len);
/* ECB over whole blocks (len a multiple of k->block). */
void cc_encrypt(const cc_key *k, size_t len, uint8_t *dst, const uint8_t *src);
void cc_decrypt(const cc_key *k, size_t len, uint8_t *dst, const uint8_t *src);

#endif
