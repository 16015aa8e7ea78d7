/* SPDX-License-Identifier: MIT */
/* NeedCurrentDirectoryForExePathW/A: whether a search for the program `name` should look in the
 * current directory: always for a name with a backslash, otherwise unless the environment
 * variable NoDefaultCurrentDirectoryInExePath is set (to anything). */
#include "thunks/kernel32/kernel32_private.h"

DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size);

static BOOL k32_no_cwd_in_exe_path(void)
{
    WCHAR one[1];
    return GetEnvironmentVariableW(u"NoDefaultCurrentDirectoryInExePath", one, 0) != 0;
}

BOOL WINAPI NeedCurrentDirectoryForExePathW(const WCHAR *name)
{
    for (const WCHAR *p = name; p && *p; p++)
        if (*p == '\\')
            return TRUE;
    return !k32_no_cwd_in_exe_path();
}
THK_EXPORT(kernel32, NeedCurrentDirectoryForExePathW, 1);

BOOL WINAPI NeedCurrentDirectoryForExePathA(const char *name)
{
    for (const char *p = name; p && *p; p++)
        if (*p == '\\')
            return TRUE;
    return !k32_no_cwd_in_exe_path();
}
THK_EXPORT(kernel32, NeedCurrentDirectoryForExePathA, 1);
