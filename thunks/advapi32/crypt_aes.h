/* SPDX-License-Identifier: MIT */
/* AES (FIPS-197) for CryptoAPI's keys (cryptkey.c): 128-, 192- and 256-bit keys, one 16-byte
 * block at a time; the chaining modes are cryptkey.c's. Written from the specification, byte by
 * byte (no tables indexed by secret data beyond the S-box: not hardened against timing). */
#ifndef NTRUN_THUNKS_ADVAPI32_CRYPT_AES_H
#define NTRUN_THUNKS_ADVAPI32_CRYPT_AES_H

#include <stdint.h>

typedef struct {
    uint8_t rk[240]; /* the round keys: 16 bytes for each of rounds + 1 */
    int rounds;      /* 10, 12 or 14 */
} ca_key;

/* `len` is 16, 24 or 32 */
void ca_setkey(ca_key *k, const uint8_t *key, int len);
void ca_encrypt(const ca_key *k, const uint8_t in[16], uint8_t out[16]);
void ca_decrypt(const ca_key *k, const uint8_t in[16], uint8_t out[16]);

#endif
