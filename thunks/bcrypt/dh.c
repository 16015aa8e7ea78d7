/* SPDX-License-Identifier: MIT */
/* bcrypt's Diffie-Hellman keys ("DH", BCRYPT_DH_ALG_HANDLE; pkey.c dispatches here) over GMP:
 * BCryptGenerateKeyPair (512 to 4096 bits, steps of 64), BCryptSetProperty(BCRYPT_DH_PARAMETERS)
 * with a BCRYPT_DH_PARAMETER_HEADER ("DHPM", cbKeyLength the key's length in bytes) and the
 * prime p and generator g, then BCryptFinalizeKeyPair draws the private exponent x (2 <= x <=
 * p-2) and makes y = g^x mod p. BCryptImportKeyPair/BCryptExportKey take and give
 * BCRYPT_DH_PUBLIC_BLOB ("DHPB": p, g, y) and BCRYPT_DH_PRIVATE_BLOB ("DHPV": p, g, y, x), each
 * cbKey bytes big-endian after a BCRYPT_DH_KEY_BLOB; an imported y must lie in 2..p-2 and a
 * private x must give it (STATUS_INVALID_PARAMETER otherwise). BCryptGetProperty(DHParameters)
 * gives the group back. BCryptSecretAgreement of two keys of one group makes Z = y'^x mod p,
 * cbKey bytes (leading zeros kept, as SP 800-56A wants), for BCryptDeriveKey (derive.c).
 *
 * A key finalized without BCRYPT_DH_PARAMETERS gets a group of its own (bc_dh_new_group), as on
 * Windows (whose groups are its own too: only their form can be compared).
 *
 * Not done: the group checks Windows may make beyond the ones above. */
#include <stdlib.h>
#include <string.h>
#include <nettle/dsa.h>
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BC_DH_PUBLIC_MAGIC 0x42504844u     /* BCRYPT_DH_PUBLIC_MAGIC "DHPB" */
#define BC_DH_PRIVATE_MAGIC 0x56504844u    /* BCRYPT_DH_PRIVATE_MAGIC "DHPV" */
#define BC_DH_PARAMETERS_MAGIC 0x4d504844u /* BCRYPT_DH_PARAMETERS_MAGIC "DHPM" */

/* BCRYPT_DH_KEY_BLOB */
typedef struct {
    uint32_t dwMagic; /* 0x00 */
    uint32_t cbKey;   /* 0x04 */
} bc_dh_blob;

/* BCRYPT_DH_PARAMETER_HEADER */
typedef struct {
    uint32_t cbLength;    /* 0x00: the header and p and g */
    uint32_t dwMagic;     /* 0x04 */
    uint32_t cbKeyLength; /* 0x08 */
} bc_dh_header;
_Static_assert(sizeof(bc_dh_header) == 12, "BCRYPT_DH_PARAMETER_HEADER");

void bc_dh_init(bc_pkey *k)
{
    mpz_inits(k->u.dh.p, k->u.dh.g, k->u.dh.y, k->u.dh.x, NULL);
    k->u.dh.params = false;
}

void bc_dh_free(bc_pkey *k) { mpz_clears(k->u.dh.p, k->u.dh.g, k->u.dh.y, k->u.dh.x, NULL); }

void bc_dh_copy(bc_pkey *dst, const bc_pkey *src)
{
    bc_dh_init(dst);
    mpz_set(dst->u.dh.p, src->u.dh.p);
    mpz_set(dst->u.dh.g, src->u.dh.g);
    mpz_set(dst->u.dh.y, src->u.dh.y);
    mpz_set(dst->u.dh.x, src->u.dh.x);
    dst->u.dh.params = src->u.dh.params;
}

/* p odd and of the key's length, 1 < g < p-1 */
static bool bc_dh_group_ok(const bc_pkey *k, uint32_t bytes)
{
    mpz_t pm1;
    mpz_init(pm1);
    mpz_sub_ui(pm1, k->u.dh.p, 1);
    bool ok = mpz_sizeinbase(k->u.dh.p, 2) > 8 * (bytes - 1) && mpz_odd_p(k->u.dh.p) &&
              mpz_cmp_ui(k->u.dh.g, 1) > 0 && mpz_cmp(k->u.dh.g, pm1) < 0;
    mpz_clear(pm1);
    return ok;
}

NTSTATUS bc_dh_set_params(bc_pkey *k, const uint8_t *in, uint32_t cb)
{
    bc_dh_header h;
    if (!in || cb < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    uint32_t n = k->bits / 8;
    if (h.dwMagic != BC_DH_PARAMETERS_MAGIC || h.cbKeyLength != n || h.cbLength != cb ||
        cb != sizeof h + 2 * n)
        return BC_STATUS_INVALID_PARAMETER;
    if (k->final)
        return BC_STATUS_INVALID_HANDLE; /* a finalized key keeps its group */
    bc_mpz_get(k->u.dh.p, in + sizeof h, n, true);
    bc_mpz_get(k->u.dh.g, in + sizeof h + n, n, true);
    k->u.dh.params = bc_dh_group_ok(k, n);
    return k->u.dh.params ? BC_STATUS_SUCCESS : BC_STATUS_INVALID_PARAMETER;
}

NTSTATUS bc_dh_get_params(const bc_pkey *k, uint8_t *out, uint32_t cb, uint32_t *res)
{
    if (!k->u.dh.params)
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t n = k->bits / 8, size = (uint32_t)sizeof(bc_dh_header) + 2 * n;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    bc_dh_header h = {size, BC_DH_PARAMETERS_MAGIC, n};
    memcpy(out, &h, sizeof h);
    bc_mpz_put(out + sizeof h, n, k->u.dh.p, true);
    bc_mpz_put(out + sizeof h + n, n, k->u.dh.g, true);
    return BC_STATUS_SUCCESS;
}

/* A group of the key's length for a key finalized without BCRYPT_DH_PARAMETERS, as Windows
 * makes one: Nettle's FIPS 186 generation, a prime p of the key's length with a subgroup of
 * prime order q (160 bits up to 1024-bit keys, 256 above) and g of order q. */
static NTSTATUS bc_dh_new_group(bc_pkey *k)
{
    struct dsa_params params;
    dsa_params_init(&params);
    NTSTATUS st = BC_STATUS_SUCCESS;
    if (dsa_generate_params(&params, NULL, bc_nettle_random, NULL, NULL, k->bits,
                            k->bits <= 1024 ? 160 : 256)) {
        mpz_set(k->u.dh.p, params.p);
        mpz_set(k->u.dh.g, params.g);
        k->u.dh.params = true;
    } else {
        st = BC_STATUS_INVALID_PARAMETER;
    }
    dsa_params_clear(&params);
    return st;
}

NTSTATUS bc_dh_generate(bc_pkey *k)
{
    if (!k->u.dh.params) {
        NTSTATUS st = bc_dh_new_group(k);
        if (st)
            return st;
    }
    uint32_t n = k->bits / 8;
    uint8_t *r = malloc(n);
    if (!r)
        return BC_STATUS_NO_MEMORY;
    bc_nettle_random(NULL, n, r);
    mpz_t m;
    mpz_init(m);
    mpz_sub_ui(m, k->u.dh.p, 3);
    bc_mpz_get(k->u.dh.x, r, n, true);
    mpz_fdiv_r(k->u.dh.x, k->u.dh.x, m); /* 0 .. p-4, then 2 .. p-2 */
    mpz_add_ui(k->u.dh.x, k->u.dh.x, 2);
    mpz_powm(k->u.dh.y, k->u.dh.g, k->u.dh.x, k->u.dh.p);
    mpz_clear(m);
    memset(r, 0, n);
    free(r);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dh_import(bc_pkey *k, int type, const uint8_t *in, uint32_t len)
{
    bool priv = type == BC_BLOB_PRIVATE || type == BC_BLOB_DHPRIVATE;
    if (!priv && type != BC_BLOB_PUBLIC && type != BC_BLOB_DHPUBLIC)
        return BC_STATUS_NOT_SUPPORTED;
    bc_dh_blob h;
    if (len < sizeof h)
        return BC_STATUS_INVALID_PARAMETER;
    memcpy(&h, in, sizeof h);
    uint32_t n = h.cbKey;
    if (h.dwMagic != (priv ? BC_DH_PRIVATE_MAGIC : BC_DH_PUBLIC_MAGIC) || n < 64 || n > 512 ||
        n % 8 || len - sizeof h < (priv ? 4 : 3) * n)
        return BC_STATUS_INVALID_PARAMETER;
    const uint8_t *p = in + sizeof h;
    k->bits = 8 * n;
    bc_mpz_get(k->u.dh.p, p, n, true);
    bc_mpz_get(k->u.dh.g, p + n, n, true);
    bc_mpz_get(k->u.dh.y, p + 2 * n, n, true);
    bool ok = bc_dh_group_ok(k, n);
    mpz_t t;
    mpz_init(t);
    mpz_sub_ui(t, k->u.dh.p, 1);
    ok = ok && mpz_cmp_ui(k->u.dh.y, 1) > 0 && mpz_cmp(k->u.dh.y, t) < 0;
    if (ok && priv) {
        bc_mpz_get(k->u.dh.x, p + 3 * n, n, true);
        mpz_powm(t, k->u.dh.g, k->u.dh.x, k->u.dh.p);
        ok = mpz_sgn(k->u.dh.x) && !mpz_cmp(t, k->u.dh.y);
    }
    mpz_clear(t);
    if (!ok)
        return BC_STATUS_INVALID_PARAMETER;
    k->u.dh.params = true;
    k->priv = priv;
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dh_export(bc_pkey *k, int type, uint8_t *out, uint32_t cb, uint32_t *res)
{
    bool priv = type == BC_BLOB_PRIVATE || type == BC_BLOB_DHPRIVATE;
    if (!priv && type != BC_BLOB_PUBLIC && type != BC_BLOB_DHPUBLIC)
        return BC_STATUS_NOT_SUPPORTED;
    if (priv && !k->priv)
        return BC_STATUS_INVALID_PARAMETER;
    uint32_t n = k->bits / 8, size = (uint32_t)sizeof(bc_dh_blob) + (priv ? 4 : 3) * n;
    *res = size;
    if (!out)
        return BC_STATUS_SUCCESS;
    if (cb < size)
        return BC_STATUS_BUFFER_TOO_SMALL;
    bc_dh_blob h = {priv ? BC_DH_PRIVATE_MAGIC : BC_DH_PUBLIC_MAGIC, n};
    memcpy(out, &h, sizeof h);
    uint8_t *p = out + sizeof h;
    bc_mpz_put(p, n, k->u.dh.p, true);
    bc_mpz_put(p + n, n, k->u.dh.g, true);
    bc_mpz_put(p + 2 * n, n, k->u.dh.y, true);
    if (priv)
        bc_mpz_put(p + 3 * n, n, k->u.dh.x, true);
    return BC_STATUS_SUCCESS;
}

NTSTATUS bc_dh_agree(const bc_pkey *a, const bc_pkey *b, bc_secret *s)
{
    if (a->bits != b->bits || mpz_cmp(a->u.dh.p, b->u.dh.p) || mpz_cmp(a->u.dh.g, b->u.dh.g))
        return BC_STATUS_INVALID_PARAMETER; /* not one group */
    uint32_t n = a->bits / 8;
    if (n > sizeof s->z)
        return BC_STATUS_INVALID_PARAMETER;
    mpz_t z;
    mpz_init(z);
    mpz_powm(z, b->u.dh.y, a->u.dh.x, a->u.dh.p);
    s->len = n;
    bc_mpz_put(s->z, n, z, true);
    mpz_clear(z);
    return BC_STATUS_SUCCESS;
}
