/* SPDX-License-Identifier: MIT */
/* The random bytes behind advapi32's SystemFunction036, bcrypt's BCryptGenRandom and
 * bcryptprimitives' ProcessPrng: the kernel's getrandom(2), copied to the program's buffer with
 * a fault-safe copy. */
#include <errno.h>
#include <sys/random.h>
#include "thunks/thunks_private.h"

NTSTATUS thk_random_fill(void *out, size_t len)
{
    uint8_t tmp[256], *p = out;
    while (len > 0) {
        size_t n = len < sizeof tmp ? len : sizeof tmp;
        ssize_t got = getrandom(tmp, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return nt_status_from_errno(errno);
        }
        if (nt_copy_to_user(p, tmp, (size_t)got) != 0)
            return STATUS_ACCESS_VIOLATION;
        p += got;
        len -= (size_t)got;
    }
    return STATUS_SUCCESS;
}
