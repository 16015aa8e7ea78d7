/* SPDX-License-Identifier: MIT */
/* advapi32's RtlGenRandom, exported as SystemFunction036 (the Go runtime, Rust's std before
 * 1.78 and many CRTs seed themselves from it): bytes from the kernel's getrandom(2). */
#include "thunks/thunks_private.h"

/* BOOLEAN SystemFunction036(PVOID buffer, ULONG length): TRUE when the buffer was filled. */
static BOOLEAN WINAPI adv_SystemFunction036(void *buf, uint32_t len)
{
    return thk_random_fill(buf, len) == STATUS_SUCCESS;
}
THK_EXPORT_AS(advapi32, SystemFunction036, adv_SystemFunction036, 2);
