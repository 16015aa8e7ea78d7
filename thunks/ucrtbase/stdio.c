/* SPDX-License-Identifier: MIT */
/* The Universal CRT's stdio entry points: the __stdio_common_* families that the UCRT headers'
 * inline printf/scanf functions call, with their option bits (corecrt_stdio_config.h), and
 * _set_printf_count_output. Streams are msvcrt's (__acrt_iob_func(i) is &crt_iob[i]: the UCRT's
 * FILE is opaque to programs); the formatting engine is msvcrt's in its UCRT mode (crt.h:
 * crt_fmt_mode): C99 conversions and sizes, exact floating point, inf/nan.
 *
 * String results (__stdio_common_vsprintf), as the UCRT returns them:
 *  - buffer NULL: the length of the text (count only);
 *  - LEGACY_VSPRINTF_NULL_TERMINATION (_snprintf, _vsnprintf, sprintf): the text fits with
 *    room for a NUL: length, NUL-terminated; exactly `count` characters: count, no NUL;
 *    longer: the first `count` characters, no NUL, -1;
 *  - otherwise a text that does not fit is cut to count - 1 characters and NUL-terminated, and
 *    the result is its full length with STANDARD_SNPRINTF_BEHAVIOR (C99 snprintf), else -2
 *    (-1 when count is 0).
 * The _s forms fail on a text that does not fit (the invalid-parameter path, ERANGE) and
 * leave an empty string; __stdio_common_vsnprintf_s with _TRUNCATE cuts and returns -1.
 * The _p (positional) forms take "%2$s %1$d" (format.c: the rules and their checks); to a
 * string they behave as the _s forms. */
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static int ucrt_count_output; /* _set_printf_count_output */
static pthread_once_t ucrt_stderr_once = PTHREAD_ONCE_INIT;

void ucrt_stdio_reset(void)
{
    static const pthread_once_t once_init = PTHREAD_ONCE_INIT;
    ucrt_count_output = 0;
    ucrt_stderr_once = once_init;
}

static int WINAPI ucrtbase__set_printf_count_output(int enable)
{
    return __atomic_exchange_n(&ucrt_count_output, enable != 0, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(ucrtbase, _set_printf_count_output, ucrtbase__set_printf_count_output, 1);

static int WINAPI ucrtbase__get_printf_count_output(void)
{
    return __atomic_load_n(&ucrt_count_output, __ATOMIC_ACQUIRE);
}
THK_EXPORT_AS(ucrtbase, _get_printf_count_output, ucrtbase__get_printf_count_output, 0);

/* __acrt_iob_func(i): the standard streams are msvcrt's crt_iob[0..2]; the first look at
 * them gives stderr the UCRT's unbuffered set-up. */
static crt_FILE *WINAPI ucrtbase___acrt_iob_func(unsigned index)
{
    pthread_once(&ucrt_stderr_once, crt_stderr_unbuffered);
    return index < 3 ? &crt_iob[index] : NULL;
}
THK_EXPORT_AS(ucrtbase, __acrt_iob_func, ucrtbase___acrt_iob_func, 1);

crt_fmt_mode ucrt_mode(uint64_t options, const void *locale)
{
    return (crt_fmt_mode){
        .locale = locale,
        .options = options & ~UCRT_POSITIONAL,
        .positional = (options & UCRT_POSITIONAL) != 0,
        .count_output = __atomic_load_n(&ucrt_count_output, __ATOMIC_ACQUIRE) != 0,
    };
}

/* A failed call's invalid-parameter report (after the engine refused %n). */
int ucrt_fmt_result(const crt_fmt_mode *m, int r)
{
    if (m->invalid)
        ucrt_invalid_parameter(CRT_EINVAL);
    return r;
}

/* ---- to a stream ---- */

static int ucrt_vfprintf(uint64_t options, void *stream, const void *fmt, bool wide,
                         const void *locale, __builtin_ms_va_list ap)
{
    crt_FILE *f = stream ? crt_stream_check(stream) : NULL;
    if (!f || !fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    crt_fmt_mode m = ucrt_mode(options, locale);
    return ucrt_fmt_result(&m, crt_format_stream(f, fmt, wide, &m, ap));
}

static int WINAPI ucrtbase___stdio_common_vfprintf(uint64_t options, void *stream,
                                                   const char *fmt, void *locale,
                                                   __builtin_ms_va_list ap)
{
    return ucrt_vfprintf(options, stream, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfprintf, ucrtbase___stdio_common_vfprintf, 5);
THK_EXPORT_AS(ucrtbase, __stdio_common_vfprintf_s, ucrtbase___stdio_common_vfprintf, 5);

static int WINAPI ucrtbase___stdio_common_vfprintf_p(uint64_t options, void *stream,
                                                     const char *fmt, void *locale,
                                                     __builtin_ms_va_list ap)
{
    return ucrt_vfprintf(options | UCRT_POSITIONAL, stream, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfprintf_p, ucrtbase___stdio_common_vfprintf_p, 5);

static int WINAPI ucrtbase___stdio_common_vfwprintf(uint64_t options, void *stream,
                                                    const WCHAR *fmt, void *locale,
                                                    __builtin_ms_va_list ap)
{
    return ucrt_vfprintf(options, stream, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfwprintf, ucrtbase___stdio_common_vfwprintf, 5);
THK_EXPORT_AS(ucrtbase, __stdio_common_vfwprintf_s, ucrtbase___stdio_common_vfwprintf, 5);

static int WINAPI ucrtbase___stdio_common_vfwprintf_p(uint64_t options, void *stream,
                                                      const WCHAR *fmt, void *locale,
                                                      __builtin_ms_va_list ap)
{
    return ucrt_vfprintf(options | UCRT_POSITIONAL, stream, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfwprintf_p, ucrtbase___stdio_common_vfwprintf_p, 5);

/* ---- to a string ---- */

static void ucrt_put_nul(void *buf, bool wide, size_t at)
{
    if (wide)
        ((WCHAR *)buf)[at] = 0;
    else
        ((char *)buf)[at] = 0;
}

static int ucrt_vsprintf(uint64_t options, void *buf, size_t count, const void *fmt, bool wide,
                         const void *locale, __builtin_ms_va_list ap)
{
    if (!fmt || (count && !buf)) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    crt_fmt_mode m = ucrt_mode(options, locale);
    int r = crt_format_buffer(buf, count, fmt, wide, &m, ap);
    if (m.invalid) {
        if (buf && count)
            ucrt_put_nul(buf, wide, 0);
        return ucrt_fmt_result(&m, -1);
    }
    if (!buf)
        return r;
    if (r < 0) { /* a conversion failed: what was written stays, terminated */
        if (count)
            ucrt_put_nul(buf, wide, count - 1);
        return -1;
    }
    if (options & CRT_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION) {
        if ((size_t)r < count)
            ucrt_put_nul(buf, wide, (size_t)r);
        return (size_t)r > count ? -1 : r;
    }
    if ((size_t)r >= count) {
        if (count)
            ucrt_put_nul(buf, wide, count - 1);
        if (options & CRT_PRINTF_STANDARD_SNPRINTF_BEHAVIOR)
            return r;
        return count ? -2 : -1;
    }
    ucrt_put_nul(buf, wide, (size_t)r);
    return r;
}

static int WINAPI ucrtbase___stdio_common_vsprintf(uint64_t options, char *buf, size_t count,
                                                   const char *fmt, void *locale,
                                                   __builtin_ms_va_list ap)
{
    return ucrt_vsprintf(options, buf, count, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsprintf, ucrtbase___stdio_common_vsprintf, 6);

static int WINAPI ucrtbase___stdio_common_vswprintf(uint64_t options, WCHAR *buf, size_t count,
                                                    const WCHAR *fmt, void *locale,
                                                    __builtin_ms_va_list ap)
{
    return ucrt_vsprintf(options, buf, count, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vswprintf, ucrtbase___stdio_common_vswprintf, 6);

/* sprintf_s: the whole text and its NUL must fit; else an empty string, ERANGE through the
 * invalid-parameter path, -1. */
static int ucrt_vsprintf_s(uint64_t options, void *buf, size_t size, const void *fmt, bool wide,
                           const void *locale, __builtin_ms_va_list ap)
{
    if (!fmt || !buf || !size) {
        if (buf && size)
            ucrt_put_nul(buf, wide, 0);
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    crt_fmt_mode m = ucrt_mode(options, locale);
    int r = crt_format_buffer(buf, size, fmt, wide, &m, ap);
    if (m.invalid || r < 0) {
        ucrt_put_nul(buf, wide, 0);
        return ucrt_fmt_result(&m, -1);
    }
    if ((size_t)r >= size) {
        ucrt_put_nul(buf, wide, 0);
        ucrt_invalid_parameter(CRT_ERANGE);
        return -1;
    }
    ucrt_put_nul(buf, wide, (size_t)r);
    return r;
}

static int WINAPI ucrtbase___stdio_common_vsprintf_s(uint64_t options, char *buf, size_t size,
                                                     const char *fmt, void *locale,
                                                     __builtin_ms_va_list ap)
{
    return ucrt_vsprintf_s(options, buf, size, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsprintf_s, ucrtbase___stdio_common_vsprintf_s, 6);

static int WINAPI ucrtbase___stdio_common_vsprintf_p(uint64_t options, char *buf, size_t size,
                                                     const char *fmt, void *locale,
                                                     __builtin_ms_va_list ap)
{
    return ucrt_vsprintf_s(options | UCRT_POSITIONAL, buf, size, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsprintf_p, ucrtbase___stdio_common_vsprintf_p, 6);

static int WINAPI ucrtbase___stdio_common_vswprintf_s(uint64_t options, WCHAR *buf, size_t size,
                                                      const WCHAR *fmt, void *locale,
                                                      __builtin_ms_va_list ap)
{
    return ucrt_vsprintf_s(options, buf, size, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vswprintf_s, ucrtbase___stdio_common_vswprintf_s, 6);

static int WINAPI ucrtbase___stdio_common_vswprintf_p(uint64_t options, WCHAR *buf, size_t size,
                                                      const WCHAR *fmt, void *locale,
                                                      __builtin_ms_va_list ap)
{
    return ucrt_vsprintf_s(options | UCRT_POSITIONAL, buf, size, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vswprintf_p, ucrtbase___stdio_common_vswprintf_p, 6);

#define UCRT_TRUNCATE ((size_t)-1)

/* _vsnprintf_s: at most `count` characters (_TRUNCATE: as many as fit), always terminated; a
 * cut text returns -1 when cutting was asked for (count < size or _TRUNCATE), otherwise the
 * buffer is emptied and ERANGE goes through the invalid-parameter path. */
static int ucrt_vsnprintf_s(uint64_t options, void *buf, size_t size, size_t count,
                            const void *fmt, bool wide, const void *locale,
                            __builtin_ms_va_list ap)
{
    if (fmt && !buf && !size && !count)
        return 0;
    if (!fmt || !buf || !size) {
        if (buf && size)
            ucrt_put_nul(buf, wide, 0);
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    bool cut_ok = count == UCRT_TRUNCATE || count < size;
    size_t cap = count < size ? count : size - 1;
    crt_fmt_mode m = ucrt_mode(options, locale);
    int r = crt_format_buffer(buf, cap, fmt, wide, &m, ap);
    if (m.invalid || r < 0) {
        ucrt_put_nul(buf, wide, 0);
        return ucrt_fmt_result(&m, -1);
    }
    if ((size_t)r <= cap) {
        ucrt_put_nul(buf, wide, (size_t)r);
        return r;
    }
    if (cut_ok) {
        ucrt_put_nul(buf, wide, cap);
        return -1;
    }
    ucrt_put_nul(buf, wide, 0);
    ucrt_invalid_parameter(CRT_ERANGE);
    return -1;
}

static int WINAPI ucrtbase___stdio_common_vsnprintf_s(uint64_t options, char *buf, size_t size,
                                                      size_t count, const char *fmt,
                                                      void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vsnprintf_s(options, buf, size, count, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsnprintf_s, ucrtbase___stdio_common_vsnprintf_s, 7);

static int WINAPI ucrtbase___stdio_common_vsnwprintf_s(uint64_t options, WCHAR *buf, size_t size,
                                                       size_t count, const WCHAR *fmt,
                                                       void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vsnprintf_s(options, buf, size, count, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsnwprintf_s, ucrtbase___stdio_common_vsnwprintf_s, 7);

/* ---- scanf ----
 * Options: _CRT_INTERNAL_SCANF_SECURECRT (1: the _s forms' buffer sizes),
 * LEGACY_WIDE_SPECIFIERS (2), LEGACY_MSVCRT_COMPATIBILITY (4). The input engine is msvcrt's,
 * with the UCRT's sizes hh (char), z, j and t (64 bits). */
#define UCRT_SCANF_SECURECRT 1ULL

static unsigned ucrt_scan_flags(uint64_t options, const void *locale)
{
    return CRT_SCAN_UCRT | (options & UCRT_SCANF_SECURECRT ? CRT_SCAN_SECURE : 0) |
           CRT_SCAN_DECIMAL(crt_locale_arg(locale)->decimal);
}

static int WINAPI ucrtbase___stdio_common_vfscanf(uint64_t options, void *stream,
                                                  const char *fmt, void *locale,
                                                  __builtin_ms_va_list ap)
{
    if (!stream || !fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    return crt_scan_stream(stream, fmt, false, ucrt_scan_flags(options, locale), ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfscanf, ucrtbase___stdio_common_vfscanf, 5);

static int WINAPI ucrtbase___stdio_common_vfwscanf(uint64_t options, void *stream,
                                                   const WCHAR *fmt, void *locale,
                                                   __builtin_ms_va_list ap)
{
    if (!stream || !fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    return crt_scan_stream(stream, fmt, true, ucrt_scan_flags(options, locale), ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vfwscanf, ucrtbase___stdio_common_vfwscanf, 5);

/* count: the characters of buf to read; (size_t)-1 for sscanf: up to the NUL. */
static int WINAPI ucrtbase___stdio_common_vsscanf(uint64_t options, const char *buf,
                                                  size_t count, const char *fmt, void *locale,
                                                  __builtin_ms_va_list ap)
{
    if (!buf || !fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    return crt_scan_string(buf, count, false, fmt, ucrt_scan_flags(options, locale), ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vsscanf, ucrtbase___stdio_common_vsscanf, 6);

static int WINAPI ucrtbase___stdio_common_vswscanf(uint64_t options, const WCHAR *buf,
                                                   size_t count, const WCHAR *fmt, void *locale,
                                                   __builtin_ms_va_list ap)
{
    if (!buf || !fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    return crt_scan_string(buf, count, true, fmt, ucrt_scan_flags(options, locale), ap);
}
THK_EXPORT_AS(ucrtbase, __stdio_common_vswscanf, ucrtbase___stdio_common_vswscanf, 6);
