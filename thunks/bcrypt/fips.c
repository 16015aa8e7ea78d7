/* SPDX-License-Identifier: MIT */
/* bcrypt's BCryptGetFipsAlgorithmMode: whether the system enforces FIPS 140 algorithms. Windows
 * reads HKLM\System\CurrentControlSet\Control\Lsa\FipsAlgorithmPolicy\Enabled, which is 0 on a
 * default installation; ntrun has no such policy, so it is always off. Microsoft's Go toolchain
 * (crypto through CNG, e.g. tsgo) looks it up at start-up and panics when it is missing. */
#include "thunks/thunks_private.h"

#define BC_FIPS_STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define BC_FIPS_STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)

/* NTSTATUS BCryptGetFipsAlgorithmMode(BOOLEAN *pfEnabled) */
static NTSTATUS WINAPI bc_BCryptGetFipsAlgorithmMode(uint8_t *enabled)
{
    if (!enabled)
        return BC_FIPS_STATUS_INVALID_PARAMETER;
    *enabled = 0;
    return BC_FIPS_STATUS_SUCCESS;
}
THK_EXPORT_AS(bcrypt, BCryptGetFipsAlgorithmMode, bc_BCryptGetFipsAlgorithmMode, 1);
