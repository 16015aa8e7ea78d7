/* SPDX-License-Identifier: MIT */
/* SetHandleCount, from Win16 and Win32s, where a process had a fixed number of file handles and
 * asked for more. Windows NT has no such limit: the call does nothing and returns the number it
 * was given (Microsoft's documentation; Wine does the same). The static CRTs of MSVC up to 2008
 * call it at start-up (_ioinit) and still import it. */
#include "thunks/kernel32/kernel32_private.h"

UINT WINAPI SetHandleCount(UINT count) { return count; }
THK_EXPORT(kernel32, SetHandleCount, 1);
