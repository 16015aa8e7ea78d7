/* SPDX-License-Identifier: MIT */
/* ntdll's own copies of C-runtime string formatting (ntdll exports a small CRT of its own on
 * Windows): _vsnprintf, _snprintf, _vsnwprintf, on msvcrt's format engine (thunks/msvcrt/). */
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"

typedef struct {
    void *buf;
    size_t cap, len; /* units: room in buf, units written (may exceed cap: counted only) */
} ntdll_sink;

static size_t ntdll_awrite(void *ctx, const char *s, size_t n)
{
    ntdll_sink *k = ctx;
    for (size_t i = 0; i < n; i++, k->len++)
        if (k->len < k->cap)
            ((char *)k->buf)[k->len] = s[i];
    return n;
}

static size_t ntdll_wwrite(void *ctx, const WCHAR *s, size_t n)
{
    ntdll_sink *k = ctx;
    for (size_t i = 0; i < n; i++, k->len++)
        if (k->len < k->cap)
            ((WCHAR *)k->buf)[k->len] = s[i];
    return n;
}

/* At most `count` characters; the terminator only when there is room for it; -1 when the
 * output did not fit (msvcrt's rules). */
static int WINAPI ntdll__vsnprintf(char *buf, size_t count, const char *fmt,
                                   __builtin_ms_va_list ap)
{
    ntdll_sink k = {buf, count, 0};
    crt_out out = {ntdll_awrite, &k};
    if (crt_vformat(&out, fmt, ap) < 0)
        return -1;
    if (k.len > count)
        return -1;
    if (k.len < count)
        buf[k.len] = 0;
    return k.len == count ? (int)count : (int)k.len;
}
THK_EXPORT_AS(ntdll, _vsnprintf, ntdll__vsnprintf, 4);

static int WINAPI ntdll__snprintf(char *buf, size_t count, const char *fmt, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, fmt);
    int r = ntdll__vsnprintf(buf, count, fmt, ap);
    __builtin_ms_va_end(ap);
    return r;
}
THK_EXPORT_AS(ntdll, _snprintf, ntdll__snprintf, THK_VARIADIC);

static int WINAPI ntdll__vsnwprintf(WCHAR *buf, size_t count, const WCHAR *fmt,
                                    __builtin_ms_va_list ap)
{
    ntdll_sink k = {buf, count, 0};
    crt_wout out = {ntdll_wwrite, &k};
    if (crt_vwformat(&out, fmt, ap) < 0)
        return -1;
    if (k.len > count)
        return -1;
    if (k.len < count)
        buf[k.len] = 0;
    return (int)k.len;
}
THK_EXPORT_AS(ntdll, _vsnwprintf, ntdll__vsnwprintf, 4);
