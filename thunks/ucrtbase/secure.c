/* SPDX-License-Identifier: MIT */
/* The UCRT's _s string and conversion functions: msvcrt's implementations (same results, same
 * clearing of the destination, errno set), plus what the UCRT adds on a failure: the
 * invalid-parameter handler (the thread's, else the process's; with none the process ends
 * with __fastfail, see startup.c), as its _VALIDATE_RETURN_ERRCODE does. STRUNCATE from a
 * _TRUNCATE copy is a result, not a failure. Covered: memcpy_s, memmove_s, strcpy_s, strcat_s,
 * strncpy_s, strncat_s, their wcs forms, _itoa_s, _ltoa_s, _ultoa_s, _i64toa_s, _ui64toa_s and
 * their wide forms; strtok_s, wcstok_s; mbstowcs_s, wcstombs_s (an unconvertible character is
 * EILSEQ without the handler); getenv_s, _wgetenv_s (a buffer too small is ERANGE without
 * the handler: the caller asks again with the size it was told). */
#include <string.h>
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

/* strtok_s/wcstok_s: no context, no delimiters, or neither a string nor a saved position. */
static char *WINAPI ucrtbase_strtok_s(char *str, const char *delim, char **ctx)
{
    if (!ctx || !delim || (!str && !*ctx)) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return msvcrt_strtok_s(str, delim, ctx);
}
THK_EXPORT_AS(ucrtbase, strtok_s, ucrtbase_strtok_s, 3);

static WCHAR *WINAPI ucrtbase_wcstok_s(WCHAR *str, const WCHAR *delim, WCHAR **ctx)
{
    if (!ctx || !delim || (!str && !*ctx)) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return msvcrt_wcstok_s(str, delim, ctx);
}
THK_EXPORT_AS(ucrtbase, wcstok_s, ucrtbase_wcstok_s, 3);

/* EINVAL and ERANGE (a destination too small for a count other than _TRUNCATE) are the
 * handler's; EILSEQ and STRUNCATE are plain results. */
static int ucrt_conv_result(int r)
{
    if (r == CRT_EINVAL || r == CRT_ERANGE)
        ucrt_invalid_parameter(r);
    return r;
}

/* The UCRT's order: the buffer and its size must agree (nothing written otherwise), the
 * destination and *ret are cleared, then the source is checked. */
static int ucrt_conv_validate(size_t *ret, void *dst, size_t size, bool wide, const void *src)
{
    if (dst ? !size : size != 0) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (dst && wide)
        *(WCHAR *)dst = 0;
    else if (dst)
        *(char *)dst = 0;
    if (ret)
        *ret = 0;
    if (!src) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    return 0;
}

static int WINAPI ucrtbase__mbstowcs_s_l(size_t *ret, WCHAR *dst, size_t size, const char *src,
                                         size_t count, void *locale)
{
    int r = ucrt_conv_validate(ret, dst, size, true, src);
    return r ? r
             : ucrt_conv_result(msvcrt__mbstowcs_s_l(ret, dst, size, src, count, locale));
}
THK_EXPORT_AS(ucrtbase, _mbstowcs_s_l, ucrtbase__mbstowcs_s_l, 6);

static int WINAPI ucrtbase_mbstowcs_s(size_t *ret, WCHAR *dst, size_t size, const char *src,
                                      size_t count)
{
    return ucrtbase__mbstowcs_s_l(ret, dst, size, src, count, NULL);
}
THK_EXPORT_AS(ucrtbase, mbstowcs_s, ucrtbase_mbstowcs_s, 5);

static int WINAPI ucrtbase__wcstombs_s_l(size_t *ret, char *dst, size_t size, const WCHAR *src,
                                         size_t count, void *locale)
{
    int r = ucrt_conv_validate(ret, dst, size, false, src);
    return r ? r
             : ucrt_conv_result(msvcrt__wcstombs_s_l(ret, dst, size, src, count, locale));
}
THK_EXPORT_AS(ucrtbase, _wcstombs_s_l, ucrtbase__wcstombs_s_l, 6);

static int WINAPI ucrtbase_wcstombs_s(size_t *ret, char *dst, size_t size, const WCHAR *src,
                                      size_t count)
{
    return ucrtbase__wcstombs_s_l(ret, dst, size, src, count, NULL);
}
THK_EXPORT_AS(ucrtbase, wcstombs_s, ucrtbase_wcstombs_s, 5);

/* getenv_s as the UCRT validates it: *ret cleared first, the buffer and its size must agree
 * (both absent: a query of the size), the buffer cleared, then the name. */
static bool ucrt_getenv_s_args(size_t *ret, void *buf, size_t size, const void *name,
                               size_t unit)
{
    if (ret && !buf == !size && name)
        return true;
    if (ret)
        *ret = 0;
    if (buf && size)
        memset(buf, 0, unit); /* the first character */
    ucrt_invalid_parameter(CRT_EINVAL);
    return false;
}

static int WINAPI ucrtbase_getenv_s(size_t *ret, char *buf, size_t size, const char *name)
{
    if (!ucrt_getenv_s_args(ret, buf, size, name, sizeof *buf))
        return CRT_EINVAL;
    return msvcrt_getenv_s(ret, buf, size, name);
}
THK_EXPORT_AS(ucrtbase, getenv_s, ucrtbase_getenv_s, 4);

static int WINAPI ucrtbase__wgetenv_s(size_t *ret, WCHAR *buf, size_t size, const WCHAR *name)
{
    if (!ucrt_getenv_s_args(ret, buf, size, name, sizeof *buf))
        return CRT_EINVAL;
    return msvcrt__wgetenv_s(ret, buf, size, name);
}
THK_EXPORT_AS(ucrtbase, _wgetenv_s, ucrtbase__wgetenv_s, 4);
