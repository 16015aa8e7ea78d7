/* SPDX-License-Identifier: MIT */
/* user32 wsprintfA/W and wvsprintfA/W: printf without floating point, into a buffer Windows
 * assumes holds 1024 characters (the output is cut there, terminator included). The
 * conversions are the CRT's (%s is wide in the W forms, %S the other width, %ls/%hs explicit). */
#include "thunks/msvcrt/crt.h"
#include "thunks/user32/user32_private.h"

#define U32_WSPRINTF_MAX 1024

typedef struct {
    void *buf;
    size_t len; /* units written */
} u32_sink;

static size_t u32_wwrite(void *ctx, const WCHAR *s, size_t n)
{
    u32_sink *k = ctx;
    WCHAR *b = k->buf;
    for (size_t i = 0; i < n && k->len < U32_WSPRINTF_MAX - 1; i++)
        b[k->len++] = s[i];
    return n;
}

static size_t u32_awrite(void *ctx, const char *s, size_t n)
{
    u32_sink *k = ctx;
    char *b = k->buf;
    for (size_t i = 0; i < n && k->len < U32_WSPRINTF_MAX - 1; i++)
        b[k->len++] = s[i];
    return n;
}

int WINAPI wvsprintfW(WCHAR *buf, const WCHAR *fmt, __builtin_ms_va_list ap)
{
    u32_sink k = {buf, 0};
    crt_wout out = {u32_wwrite, &k};
    crt_vwformat(&out, fmt, ap);
    buf[k.len] = 0;
    return (int)k.len;
}
THK_EXPORT(user32, wvsprintfW, 3);

int WINAPI wvsprintfA(char *buf, const char *fmt, __builtin_ms_va_list ap)
{
    u32_sink k = {buf, 0};
    crt_out out = {u32_awrite, &k};
    crt_vformat(&out, fmt, ap);
    buf[k.len] = 0;
    return (int)k.len;
}
THK_EXPORT(user32, wvsprintfA, 3);

int WINAPI wsprintfW(WCHAR *buf, const WCHAR *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = wvsprintfW(buf, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT(user32, wsprintfW, THK_VARIADIC);

int WINAPI wsprintfA(char *buf, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = wvsprintfA(buf, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT(user32, wsprintfA, THK_VARIADIC);
