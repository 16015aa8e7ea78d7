/* SPDX-License-Identifier: MIT */
/* The UCRT's _s string and conversion functions: msvcrt's implementations (same results, same
 * clearing of the destination, errno set), plus what the UCRT adds on a failure: the
 * invalid-parameter handler (the thread's, else the process's; with none the process ends
 * with __fastfail, see startup.c), as its _VALIDATE_RETURN_ERRCODE does. STRUNCATE from a
 * _TRUNCATE copy is a result, not a failure. Covered: memcpy_s, memmove_s, strcpy_s, strcat_s,
 * strncpy_s, strncat_s, their wcs forms, _itoa_s, _ltoa_s, _ultoa_s, _i64toa_s, _ui64toa_s and
 * their wide forms. */
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static int ucrt_s_result(int r)
{
    if (r && r != CRT_STRUNCATE)
        ucrt_invalid_parameter(r);
    return r;
}

#define UCRT_S4(name, t1, t2, t3, t4)                                                      \
    static int WINAPI ucrtbase_##name(t1 a, t2 b, t3 c, t4 d)                              \
    {                                                                                      \
        return ucrt_s_result(msvcrt_##name(a, b, c, d));                                   \
    }                                                                                      \
    THK_EXPORT_AS(ucrtbase, name, ucrtbase_##name, 4)
#define UCRT_S3(name, t1, t2, t3)                                                          \
    static int WINAPI ucrtbase_##name(t1 a, t2 b, t3 c)                                    \
    {                                                                                      \
        return ucrt_s_result(msvcrt_##name(a, b, c));                                      \
    }                                                                                      \
    THK_EXPORT_AS(ucrtbase, name, ucrtbase_##name, 3)

UCRT_S4(memcpy_s, void *, size_t, const void *, size_t);
UCRT_S4(memmove_s, void *, size_t, const void *, size_t);
UCRT_S3(strcpy_s, char *, size_t, const char *);
UCRT_S3(strcat_s, char *, size_t, const char *);
UCRT_S4(strncpy_s, char *, size_t, const char *, size_t);
UCRT_S4(strncat_s, char *, size_t, const char *, size_t);
UCRT_S3(wcscpy_s, WCHAR *, size_t, const WCHAR *);
UCRT_S3(wcscat_s, WCHAR *, size_t, const WCHAR *);
UCRT_S4(wcsncpy_s, WCHAR *, size_t, const WCHAR *, size_t);
UCRT_S4(wcsncat_s, WCHAR *, size_t, const WCHAR *, size_t);
UCRT_S4(_itoa_s, int, char *, size_t, int);
UCRT_S4(_ultoa_s, uint32_t, char *, size_t, int);
UCRT_S4(_i64toa_s, int64_t, char *, size_t, int);
UCRT_S4(_ui64toa_s, uint64_t, char *, size_t, int);
UCRT_S4(_itow_s, int, WCHAR *, size_t, int);
UCRT_S4(_ultow_s, uint32_t, WCHAR *, size_t, int);
UCRT_S4(_i64tow_s, int64_t, WCHAR *, size_t, int);
UCRT_S4(_ui64tow_s, uint64_t, WCHAR *, size_t, int);
THK_EXPORT_AS(ucrtbase, _ltoa_s, ucrtbase__itoa_s, 4);
THK_EXPORT_AS(ucrtbase, _ltow_s, ucrtbase__itow_s, 4);
