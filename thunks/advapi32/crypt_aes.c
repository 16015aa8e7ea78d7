/* SPDX-License-Identifier: MIT */
/* AES (FIPS-197), byte-oriented: the S-box is computed once from its definition (the inverse in
 * GF(2^8) followed by the affine map), the state is 16 bytes in column order. */
#include <pthread.h>
#include <string.h>
#include "thunks/advapi32/crypt_aes.h"

static uint8_t sbox[256], inv_sbox[256];
static pthread_once_t sbox_once = PTHREAD_ONCE_INIT;

/* multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 */
static uint8_t xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ (a & 0x80 ? 0x1b : 0));
}

static uint8_t gmul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    for (; b; b >>= 1, a = xtime(a))
        if (b & 1)
            r ^= a;
    return r;
}

static void sbox_init(void)
{
    for (int x = 0; x < 256; x++) {
        uint8_t inv = 0;
        for (int y = 1; y < 256 && x; y++)
            if (gmul((uint8_t)x, (uint8_t)y) == 1) {
                inv = (uint8_t)y;
                break;
            }
        uint8_t s = inv;
        for (int i = 1; i < 5; i++)
            s ^= (uint8_t)((inv << i) | (inv >> (8 - i)));
        s ^= 0x63;
        sbox[x] = s;
        inv_sbox[s] = (uint8_t)x;
    }
}

void ca_setkey(ca_key *k, const uint8_t *key, int len)
{
    pthread_once(&sbox_once, sbox_init);
    int nk = len / 4, words = 4 * (nk + 7);
    uint8_t rcon = 1;
    k->rounds = nk + 6;
    memcpy(k->rk, key, (size_t)len);
    for (int i = nk; i < words; i++) {
        uint8_t t[4];
        memcpy(t, k->rk + 4 * (i - 1), 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0];
            t[0] = (uint8_t)(sbox[t[1]] ^ rcon);
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[t0];
            rcon = xtime(rcon);
        } else if (nk > 6 && i % nk == 4) {
            for (int j = 0; j < 4; j++)
                t[j] = sbox[t[j]];
        }
        for (int j = 0; j < 4; j++)
            k->rk[4 * i + j] = k->rk[4 * (i - nk) + j] ^ t[j];
    }
}

static void add_round_key(uint8_t *s, const uint8_t *rk)
{
    for (int i = 0; i < 16; i++)
        s[i] ^= rk[i];
}

void ca_encrypt(const ca_key *k, const uint8_t in[16], uint8_t out[16])
{
    uint8_t s[16], t[16];
    memcpy(s, in, 16);
    add_round_key(s, k->rk);
    for (int r = 1; r <= k->rounds; r++) {
        for (int c = 0; c < 4; c++) /* SubBytes and ShiftRows: row i moves left by i */
            for (int i = 0; i < 4; i++)
                t[4 * c + i] = sbox[s[4 * ((c + i) % 4) + i]];
        if (r < k->rounds) {
            for (int c = 0; c < 4; c++) { /* MixColumns */
                uint8_t *col = t + 4 * c, a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
                s[4 * c + 0] = (uint8_t)(xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3);
                s[4 * c + 1] = (uint8_t)(a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3);
                s[4 * c + 2] = (uint8_t)(a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3);
                s[4 * c + 3] = (uint8_t)(xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3));
            }
        } else {
            memcpy(s, t, 16);
        }
        add_round_key(s, k->rk + 16 * r);
    }
    memcpy(out, s, 16);
}

void ca_decrypt(const ca_key *k, const uint8_t in[16], uint8_t out[16])
{
    uint8_t s[16], t[16];
    memcpy(s, in, 16);
    add_round_key(s, k->rk + 16 * k->rounds);
    for (int r = k->rounds - 1; r >= 0; r--) {
        for (int c = 0; c < 4; c++) /* InvShiftRows and InvSubBytes */
            for (int i = 0; i < 4; i++)
                t[4 * ((c + i) % 4) + i] = inv_sbox[s[4 * c + i]];
        add_round_key(t, k->rk + 16 * r);
        if (r > 0) {
            for (int c = 0; c < 4; c++) { /* InvMixColumns */
                uint8_t *col = t + 4 * c, a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
                s[4 * c + 0] = gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9);
                s[4 * c + 1] = gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13);
                s[4 * c + 2] = gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11);
                s[4 * c + 3] = gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14);
            }
        } else {
            memcpy(s, t, 16);
        }
    }
    memcpy(out, s, 16);
}
