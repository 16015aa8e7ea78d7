/* SPDX-License-Identifier: MIT */
/* bcryptprimitives' ProcessPrng (Rust's std since 1.78, Go 1.22+): fills a buffer from the
 * process-wide generator and never fails; here the kernel's getrandom(2). */
#include <errno.h>
#include <sys/random.h>
#include "thunks/thunks_private.h"

/* BOOL ProcessPrng(PBYTE data, SIZE_T len): always TRUE on Windows. */
static BOOL WINAPI bcp_ProcessPrng(uint8_t *data, SIZE_T len)
{
    uint8_t tmp[256];
    while (len > 0) {
        size_t n = len < sizeof tmp ? len : sizeof tmp;
        ssize_t got = getrandom(tmp, n, 0);
        if (got < 0)
            continue; /* EINTR; the call is documented never to fail */
        if (nt_copy_to_user(data, tmp, (size_t)got) != 0)
            return 0;
        data += got;
        len -= (size_t)got;
    }
    return 1;
}
THK_EXPORT_AS(bcryptprimitives, ProcessPrng, bcp_ProcessPrng, 2);
