/* SPDX-License-Identifier: MIT */
/* The UCRT's console printf and scanf: __conio_common_vcprintf(_s, _p) and
 * __conio_common_vcwprintf(_s, _p), which conio.h's inline _cprintf/_cwprintf family calls
 * with the option bits of corecrt_stdio_config.h, and __conio_common_vcscanf/vcwscanf. The
 * engine is the UCRT's (stdio.c's mode), the sink and source the console's
 * (thunks/msvcrt/conio.c: CONOUT$/CONIN$, never stdout). */
#include "thunks/msvcrt/crt.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static int ucrt_vcprintf(uint64_t options, const void *fmt, bool wide, const void *locale,
                         __builtin_ms_va_list ap)
{
    if (!fmt) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return -1;
    }
    crt_fmt_mode m = ucrt_mode(options, locale);
    return ucrt_fmt_result(&m, crt_format_console(fmt, wide, &m, ap));
}

static int WINAPI ucrtbase___conio_common_vcprintf(uint64_t options, const char *fmt,
                                                   void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vcprintf(options, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcprintf, ucrtbase___conio_common_vcprintf, 4);
THK_EXPORT_AS(ucrtbase, __conio_common_vcprintf_s, ucrtbase___conio_common_vcprintf, 4);

static int WINAPI ucrtbase___conio_common_vcprintf_p(uint64_t options, const char *fmt,
                                                     void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vcprintf(options | UCRT_POSITIONAL, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcprintf_p, ucrtbase___conio_common_vcprintf_p, 4);

static int WINAPI ucrtbase___conio_common_vcwprintf(uint64_t options, const WCHAR *fmt,
                                                    void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vcprintf(options, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcwprintf, ucrtbase___conio_common_vcwprintf, 4);
THK_EXPORT_AS(ucrtbase, __conio_common_vcwprintf_s, ucrtbase___conio_common_vcwprintf, 4);

static int WINAPI ucrtbase___conio_common_vcwprintf_p(uint64_t options, const WCHAR *fmt,
                                                      void *locale, __builtin_ms_va_list ap)
{
    return ucrt_vcprintf(options | UCRT_POSITIONAL, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcwprintf_p, ucrtbase___conio_common_vcwprintf_p, 4);

static int WINAPI ucrtbase___conio_common_vcscanf(uint64_t options, const char *fmt,
                                                  void *locale, __builtin_ms_va_list ap)
{
    return crt_conio_vscan(options, fmt, false, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcscanf, ucrtbase___conio_common_vcscanf, 4);

static int WINAPI ucrtbase___conio_common_vcwscanf(uint64_t options, const WCHAR *fmt,
                                                   void *locale, __builtin_ms_va_list ap)
{
    return crt_conio_vscan(options, fmt, true, locale, ap);
}
THK_EXPORT_AS(ucrtbase, __conio_common_vcwscanf, ucrtbase___conio_common_vcwscanf, 4);
