/* SPDX-License-Identifier: MIT */
/* The block ciphers of crypt_cipher.h over Nettle. */
#include <string.h>
#include <nettle/nettle-meta.h>
#include "thunks/advapi32/crypt_cipher.h"

bool cc_key_len_ok(cc_algo algo, size_t len)
{
    switch (algo) {
    case CC_AES: return len == 16 || len == 24 || len == 32;
    case CC_DES: return len == 8;
    case CC_3DES: return len == 16 || len == 24;
    }
    return false;
}

/* Nettle's DES functions as nettle_cipher_func (their contexts are the first argument). */
static void cc_des_enc(const void *c, size_t n, uint8_t *d, const uint8_t *s) { des_encrypt(c, n, d, s); }
static void cc_des_dec(const void *c, size_t n, uint8_t *d, const uint8_t *s) { des_decrypt(c, n, d, s); }
static void cc_des3_enc(const void *c, size_t n, uint8_t *d, const uint8_t *s) { des3_encrypt(c, n, d, s); }
static void cc_des3_dec(const void *c, size_t n, uint8_t *d, const uint8_t *s) { des3_decrypt(c, n, d, s); }

bool cc_setkey(cc_key *k, cc_algo algo, const uint8_t *key, size_t len)
{
    if (!cc_key_len_ok(algo, len))
        return false;
    memset(k, 0, sizeof *k);
    k->algo = algo;
    switch (algo) {
    case CC_AES: {
        k->block = 16;
        const struct nettle_cipher *c = len == 16 ? &nettle_aes128
                                        : len == 24 ? &nettle_aes192 : &nettle_aes256;
        c->set_encrypt_key(&k->enc, key);
        c->set_decrypt_key(&k->dec, key);
        k->enc_fn = c->encrypt, k->dec_fn = c->decrypt;
        return true;
    }
    case CC_DES:
        k->block = 8;
        /* a weak key is still a key to Windows: Nettle's verdict is not used */
        (void)des_set_key(&k->enc.des, key);
        k->dec = k->enc;
        k->enc_fn = cc_des_enc, k->dec_fn = cc_des_dec;
        return true;
    case CC_3DES: {
        uint8_t k3[24];
        memcpy(k3, key, len);
        if (len == 16) /* two-key 3DES: K1 K2 K1 */
            memcpy(k3 + 16, key, 8);
        k->block = 8;
        (void)des3_set_key(&k->enc.des3, k3);
        k->dec = k->enc;
        k->enc_fn = cc_des3_enc, k->dec_fn = cc_des3_dec;
        return true;
    }
    }
    return false;
}

void cc_encrypt(const cc_key *k, size_t len, uint8_t *dst, const uint8_t *src)
{
    k->enc_fn(&k->enc, len, dst, src);
}

void cc_decrypt(const cc_key *k, size_t len, uint8_t *dst, const uint8_t *src)
{
    k->dec_fn(&k->dec, len, dst, src);
}
