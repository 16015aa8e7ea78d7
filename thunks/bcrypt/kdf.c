/* SPDX-License-Identifier: MIT */
/* bcrypt's BCryptDeriveKeyPBKDF2 (RFC 8018) over an HMAC algorithm handle (opened with
 * BCRYPT_ALG_HANDLE_HMAC_FLAG, or a BCRYPT_HMAC_*_ALG_HANDLE): Nettle's pbkdf2 with Nettle's
 * HMAC of the handle's digest. */
#include <nettle/hmac.h>
#include <nettle/pbkdf2.h>
#include "thunks/advapi32/crypt_digest.h"
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

/* Nettle's generic HMAC as a MAC for its pbkdf2 */
typedef struct {
    const struct nettle_hash *hash;
    cd_ctx outer, inner, state;
} bc_hmac;

static void bc_hmac_update(void *c, size_t n, const uint8_t *p)
{
    bc_hmac *m = c;
    hmac_update(&m->state.u, m->hash, n, p);
}

static void bc_hmac_digest(void *c, size_t n, uint8_t *out)
{
    bc_hmac *m = c;
    hmac_digest(&m->outer.u, &m->inner.u, &m->state.u, m->hash, n, out);
}

static NTSTATUS WINAPI bc_BCryptDeriveKeyPBKDF2(void *prf, const uint8_t *pass, uint32_t cbpass,
                                                const uint8_t *salt, uint32_t cbsalt,
                                                uint64_t iterations, uint8_t *out,
                                                uint32_t cbout, uint32_t flags)
{
    const bc_alg *a = bc_get_alg(prf);
    if (!a)
        return BC_STATUS_INVALID_HANDLE;
    if (!a->hmac || !bc_is_digest(a->kind))
        return BC_STATUS_NOT_SUPPORTED;
    if (flags || !iterations || iterations > UINT32_MAX || (cbpass && !pass) ||
        (cbsalt && !salt) || (cbout && !out))
        return BC_STATUS_INVALID_PARAMETER;
    bc_hmac m;
    m.hash = cd_nettle((cd_algo)a->kind);
    hmac_set_key(&m.outer.u, &m.inner.u, &m.state.u, m.hash, cbpass, pass);
    pbkdf2(&m, bc_hmac_update, bc_hmac_digest, m.hash->digest_size, (unsigned)iterations,
           cbsalt, salt, cbout, out);
    return BC_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptDeriveKeyPBKDF2, bc_BCryptDeriveKeyPBKDF2, 9);
