/* SPDX-License-Identifier: MIT */
/* GetLongPathNameW/A and GetShortPathNameW/A: the long and the 8.3 forms of an existing path.
 *
 * ntrun's files live on a Linux file system, which has no 8.3 aliases: every name is its own
 * long name, as on an NTFS volume with 8.3 name generation turned off. GetLongPathName then
 * gives the path back as written (Windows only replaces short components, it does not change the
 * case or the form of a long one, nor make a relative path absolute), and GetShortPathName does
 * the same (Windows returns the long name of a component that has no short one). Both first look
 * the path up: one that does not exist fails with ERROR_FILE_NOT_FOUND, whichever component is
 * missing, as Windows walks the path component by component; a \\?\ path keeps its prefix.
 * GHC's directory package (canonicalizePath: elm-format), libgit2's realpath (git-cliff) and
 * installers call them.
 *
 * Result sizes follow the Win32 rule: the length without the terminator when it fits, else the
 * size needed including it (in WCHARs, or in bytes for the A forms); input and output may be the
 * same buffer. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_INVALID_FILE_ATTRIBUTES 0xffffffffu

DWORD WINAPI GetFileAttributesW(const WCHAR *name);

/* Does `path` name an existing file or directory? Sets the last error when not. */
static bool k32_path_exists(const WCHAR *path)
{
    if (!path) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    if (!path[0]) {
        thk_set_last_error(ERROR_PATH_NOT_FOUND);
        return false;
    }
    /* the ? of a \\?\ prefix is no wildcard (libgit2's realpath passes \\?\X:\... paths) */
    const WCHAR *rest = path;
    if (rest[0] == '\\' && rest[1] == '\\' && rest[2] == '?' && rest[3] == '\\')
        rest += 4;
    for (const WCHAR *p = rest; *p; p++) {
        if (*p == '*' || *p == '?') { /* wildcards name no one file */
            thk_set_last_error(ERROR_INVALID_NAME);
            return false;
        }
    }
    if (GetFileAttributesW(path) == K32_INVALID_FILE_ATTRIBUTES) {
        DWORD err = GetLastError();
        thk_set_last_error(err == ERROR_PATH_NOT_FOUND ? ERROR_FILE_NOT_FOUND : err);
        return false;
    }
    return true;
}

static DWORD k32_same_path_w(const WCHAR *in, WCHAR *out, DWORD size)
{
    if (!k32_path_exists(in))
        return 0;
    size_t n = nt_wcslen(in);
    if (n + 1 > size)
        return (DWORD)(n + 1);
    memmove(out, in, (n + 1) * sizeof *out);
    thk_set_last_error(0);
    return (DWORD)n;
}

static DWORD k32_same_path_a(const char *in, char *out, DWORD size)
{
    if (!in) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR *w;
    if (!k32_arg_w(in, &w))
        return 0;
    DWORD r = 0;
    if (k32_path_exists(w)) {
        size_t n = strlen(in);
        if (n + 1 > size) {
            r = (DWORD)(n + 1);
        } else {
            memmove(out, in, n + 1);
            thk_set_last_error(0);
            r = (DWORD)n;
        }
    }
    free(w);
    return r;
}

DWORD WINAPI GetLongPathNameW(const WCHAR *short_path, WCHAR *long_path, DWORD size)
{
    return k32_same_path_w(short_path, long_path, size);
}
THK_EXPORT(kernel32, GetLongPathNameW, 3);

DWORD WINAPI GetLongPathNameA(const char *short_path, char *long_path, DWORD size)
{
    return k32_same_path_a(short_path, long_path, size);
}
THK_EXPORT(kernel32, GetLongPathNameA, 3);

DWORD WINAPI GetShortPathNameW(const WCHAR *long_path, WCHAR *short_path, DWORD size)
{
    return k32_same_path_w(long_path, short_path, size);
}
THK_EXPORT(kernel32, GetShortPathNameW, 3);

DWORD WINAPI GetShortPathNameA(const char *long_path, char *short_path, DWORD size)
{
    return k32_same_path_a(long_path, short_path, size);
}
THK_EXPORT(kernel32, GetShortPathNameA, 3);
