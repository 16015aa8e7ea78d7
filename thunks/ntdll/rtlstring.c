/* SPDX-License-Identifier: MIT */
/* ntdll's character case: RtlUpcaseUnicodeChar, the upper case Windows compares file, object
 * and registry key names with, and RtlDowncaseUnicodeChar (ntemu/utf.c's nt_towupper and
 * nt_towlower, Windows' one-to-one tables, the same ntemu and kernel32 use). */
#include "thunks/thunks_private.h"
#include "ntemu/ntemu.h"

WCHAR WINAPI RtlUpcaseUnicodeChar(WCHAR c)
{
    return nt_towupper(c);
}
THK_EXPORT(ntdll, RtlUpcaseUnicodeChar, 1);

WCHAR WINAPI RtlDowncaseUnicodeChar(WCHAR c)
{
    return nt_towlower(c);
}
THK_EXPORT(ntdll, RtlDowncaseUnicodeChar, 1);
