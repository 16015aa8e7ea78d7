/* SPDX-License-Identifier: MIT */
/* advapi32's RtlGenRandom, exported as SystemFunction036 (the Go runtime, Rust's std before
 * 1.78 and many CRTs seed themselves from it): bytes from the kernel's getrandom(2). */
#include <errno.h>
#include <sys/random.h>
#include "thunks/thunks_private.h"

/* BOOLEAN SystemFunction036(PVOID buffer, ULONG length): TRUE when the buffer was filled. */
static BOOLEAN WINAPI adv_SystemFunction036(void *buf, uint32_t len)
{
    uint8_t tmp[256];
    uint8_t *out = buf;
    while (len > 0) {
        size_t n = len < sizeof tmp ? len : sizeof tmp;
        ssize_t got = getrandom(tmp, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        if (nt_copy_to_user(out, tmp, (size_t)got) != 0)
            return 0;
        out += got;
        len -= (uint32_t)got;
    }
    return 1;
}
THK_EXPORT_AS(advapi32, SystemFunction036, adv_SystemFunction036, 2);
