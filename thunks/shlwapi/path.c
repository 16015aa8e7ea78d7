/* SPDX-License-Identifier: MIT */
/* shlwapi's Path* functions, W and A (path_tmpl.h, written once for both): file names,
 * extensions, components, roots, backslashes, arguments, quoting, PathCanonicalize's "." and
 * "..", PathCombine/PathAppend, PathMatchSpec's wildcards, with the answers Windows gives for
 * the odd inputs too ("C:" has no root to strip, "\\server\share" is a root, a ".." stops at
 * a share). PathFileExists and PathIsDirectory ask GetFileAttributesW. Paths are MAX_PATH
 * characters at most, as these functions have always assumed. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

DWORD WINAPI GetFileAttributesW(const WCHAR *name);

#define T WCHAR
#define F(name) name##W
#define S(name) sw_##name
#include "thunks/shlwapi/path_tmpl.h"
#undef T
#undef F
#undef S

#define T char
#define F(name) name##A
#define S(name) sa_##name
#include "thunks/shlwapi/path_tmpl.h"
#undef T
#undef F
#undef S

BOOL WINAPI PathFileExistsW(const WCHAR *path)
{
    return path && GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}
THK_EXPORT(shlwapi, PathFileExistsW, 1);

/* FILE_ATTRIBUTE_DIRECTORY (not TRUE) for a directory, as Windows */
BOOL WINAPI PathIsDirectoryW(const WCHAR *path)
{
    if (!path)
        return FALSE;
    DWORD a = GetFileAttributesW(path);
    return a == INVALID_FILE_ATTRIBUTES ? FALSE : (BOOL)(a & FILE_ATTRIBUTE_DIRECTORY);
}
THK_EXPORT(shlwapi, PathIsDirectoryW, 1);

BOOL WINAPI PathFileExistsA(const char *path)
{
    bool ok = true;
    WCHAR *w = k32_a_to_w(path, &ok);
    BOOL r = w && PathFileExistsW(w);
    free(w);
    return r;
}
THK_EXPORT(shlwapi, PathFileExistsA, 1);

BOOL WINAPI PathIsDirectoryA(const char *path)
{
    bool ok = true;
    WCHAR *w = k32_a_to_w(path, &ok);
    BOOL r = w ? PathIsDirectoryW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(shlwapi, PathIsDirectoryA, 1);
