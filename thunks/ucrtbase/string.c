/* SPDX-License-Identifier: MIT */
/* The UCRT's string helpers for the C++ library: __strncnt and __wcsncnt, the length of a
 * string up to a maximum (strnlen/wcsnlen), which msvcp140 imports. */
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

static size_t WINAPI ucrtbase___strncnt(const char *s, size_t max) { return strnlen(s, max); }
THK_EXPORT_AS(ucrtbase, __strncnt, ucrtbase___strncnt, 2);

static size_t WINAPI ucrtbase___wcsncnt(const WCHAR *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}
THK_EXPORT_AS(ucrtbase, __wcsncnt, ucrtbase___wcsncnt, 2);
