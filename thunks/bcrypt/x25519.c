/* SPDX-License-Identifier: MIT */
/* bcrypt's curve25519 keys (ecc.c dispatches here): ECDH ("ECDH" with BCRYPT_ECC_CURVE_NAME
 * curve25519, as rustls-cng and schannel-style TLS stacks use it for X25519) over Nettle's
 * curve25519_mul, RFC 7748. The blobs have the generic magics and cbKey 32:
 *
 *   BCRYPT_ECCPUBLIC_BLOB   "ECKP", then the public u-coordinate (32 bytes, RFC 7748's
 *                           encoding: what TLS sends as the key share)
 *   BCRYPT_ECCPRIVATE_BLOB  "ECKV", then the u-coordinate and the private scalar (32 bytes each,
 *                           RFC 7748's encoding)
 *
 * On import a public blob may carry a second (Y) coordinate, which curve25519 has none of and is
 * ignored, and a private blob may put the scalar after X and Y (cbKey * 3); a zero X takes the
 * point of the scalar, another X must be the scalar's (STATUS_INVALID_PARAMETER otherwise). The
 * public layout is the one TLS stacks over CNG send unchanged; the private one and its byte
 * order follow from it and are not confirmed on Windows. The secret is X25519's 32-byte output,
 * which BCRYPT_KDF_RAW_SECRET gives reversed like every secret (TLS stacks reverse it back). */
#include <string.h>
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_X25519_PUBLIC_MAGIC 0x504b4345u  /* BCRYPT_ECDH_PUBLIC_GENERIC_MAGIC "ECKP" */
#define BC_X25519_PRIVATE_MAGIC 0x564b4345u /* BCRYPT_ECDH_PRIVATE_GENERIC_MAGIC "ECKV" */
#define BC_X25519_LEN 32

NTSTATUS bc_x25519_generate(bc_pkey *k)
{
    uint8_t *d = k->u.x25519.key;
    bc_nettle_random(NULL, BC_X25519_LEN, d);
    d[0] &= 248, d[31] &= 127, d[31] |= 64; /* RFC 7748's decodeScalar25519 */
    curve25519_mul_g(k->u.x25519.pub, d);
    k->bits = 255;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_x25519_import(bc_pkey *k, bool priv, const uint8_t *in, uint32_t len)
{
    uint32_t hdr[2];
    if (len < sizeof hdr)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(hdr, in, sizeof hdr);
    const uint8_t *x = in + sizeof hdr, *d = x + BC_X25519_LEN;
    uint32_t data = len - (uint32_t)sizeof hdr;
    if (hdr[0] != (priv ? BC_X25519_PRIVATE_MAGIC : BC_X25519_PUBLIC_MAGIC) ||
        hdr[1] != BC_X25519_LEN || data < (priv ? 2u : 1u) * BC_X25519_LEN)
        return BC_STATUS_INVALID_PARAMETER;
    if (priv && data >= 3 * BC_X25519_LEN)
        d += BC_X25519_LEN; /* X, Y, d */
    if (priv) {
        static const uint8_t zero[BC_X25519_LEN];
        uint8_t q[BC_X25519_LEN];
        curve25519_mul_g(q, d);
        if (memcmp(x, zero, BC_X25519_LEN) && memcmp(x, q, BC_X25519_LEN))
            return BC_STATUS_INVALID_PARAMETER;
        memcpy(k->u.x25519.key, d, BC_X25519_LEN);
        memcpy(k->u.x25519.pub, q, BC_X25519_LEN);
    } else {
        memcpy(k->u.x25519.pub, x, BC_X25519_LEN);
    }
    k->priv = priv;
    k->bits = 255;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_x25519_export(bc_pkey *k, bool priv, uint8_t *out, uint32_t cb, uint32_t *res)
{
    uint32_t size = 8 + (priv ? 2 : 1) * BC_X25519_LEN;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    uint32_t hdr[2] = {priv ? BC_X25519_PRIVATE_MAGIC : BC_X25519_PUBLIC_MAGIC, BC_X25519_LEN};
    memcpy(out, hdr, sizeof hdr);
    memcpy(out + 8, k->u.x25519.pub, BC_X25519_LEN);
    if (priv)
        memcpy(out + 8 + BC_X25519_LEN, k->u.x25519.key, BC_X25519_LEN);
    return BC_STATUS_SUCCESS;
}
