/* SPDX-License-Identifier: MIT */
/* bcryptprimitives' ProcessPrng (Rust's std since 1.78, Go 1.22+): fills a buffer from the
 * process-wide generator and never fails; here the kernel's getrandom(2). */
#include "thunks/thunks_private.h"

/* BOOL ProcessPrng(PBYTE data, SIZE_T len): always TRUE on Windows. */
static BOOL WINAPI bcp_ProcessPrng(uint8_t *data, SIZE_T len)
{
    return thk_random_fill(data, len) == STATUS_SUCCESS;
}
THK_EXPORT_AS(bcryptprimitives, ProcessPrng, bcp_ProcessPrng, 2);
