/* SPDX-License-Identifier: MIT */
/* ntdll's character case: RtlUpcaseUnicodeChar, the upper case Windows compares file, object
 * and registry key names with (ntemu/utf.c's nt_towupper, the same table ntemu uses). */
#include "thunks/thunks_private.h"
#include "ntemu/ntemu.h"

WCHAR WINAPI RtlUpcaseUnicodeChar(WCHAR c)
{
    return nt_towupper(c);
}
THK_EXPORT(ntdll, RtlUpcaseUnicodeChar, 1);
