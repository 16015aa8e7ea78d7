/* SPDX-License-Identifier: MIT */
/* bcrypt's BCryptGenRandom (Rust's std, .NET, Go's crypto/rand on Windows): bytes from the
 * kernel's getrandom(2), with the system-preferred generator (a NULL handle and
 * BCRYPT_USE_SYSTEM_PREFERRED_RNG) or an "RNG" algorithm handle (alg.c, FFmpeg's
 * av_get_random_seed) or BCRYPT_RNG_ALG_HANDLE. */
#include "thunks/bcrypt/bcrypt_private.h"
#include "thunks/thunks_private.h"

#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x00000002
#define NT_STATUS_INVALID_HANDLE_ ((NTSTATUS)0xC0000008)
#define NT_STATUS_INVALID_PARAMETER_ ((NTSTATUS)0xC000000D)

/* NTSTATUS BCryptGenRandom(BCRYPT_ALG_HANDLE alg, PUCHAR buffer, ULONG length, ULONG flags) */
static NTSTATUS WINAPI bcrypt_BCryptGenRandom(void *alg, uint8_t *buf, uint32_t len,
                                              uint32_t flags)
{
    if (!(flags & BCRYPT_USE_SYSTEM_PREFERRED_RNG)) {
        if (!bc_is_rng(alg))
            return NT_STATUS_INVALID_HANDLE_;
    } else if (alg) {
        return NT_STATUS_INVALID_PARAMETER_;
    }
    if (len && !buf)
        return NT_STATUS_INVALID_PARAMETER_;
    return thk_random_fill(buf, len);
}
THK_EXPORT_AS(bcrypt, BCryptGenRandom, bcrypt_BCryptGenRandom, 4);

void bc_nettle_random(void *ctx, size_t n, uint8_t *dst)
{
    (void)ctx;
    thk_random_fill(dst, n);
}
