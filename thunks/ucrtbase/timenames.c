/* SPDX-License-Identifier: MIT */
/* The UCRT's time-name exports for the C++ library: _Getdays and _Getmonths (the day and month
 * names as one string, ":Sun:Sunday:Mon:Monday:..."), _Gettnames (a copy of the locale's
 * __crt_lc_time_data, its strings in the same block), all on the CRT heap for the caller to free.
 * _W_Getdays, _W_Getmonths and _W_Gettnames are their wide forms (_W_Gettnames gives the same
 * block: it holds both). msvcp140 calls them when it builds a std::locale's time facets (time_get, time_put), which
 * every program using <iostream> does at start-up. The names are the current LC_TIME's (narrow
 * ones in its code page); _Strftime (time.c) and _Wcsftime format with such a block. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

/* The "C" locale's names and pictures (the UCRT's __lc_time_c). */
static const crt_timenames ucrt_time_c = {
    {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    "AM", "PM", "MM/dd/yy", "dddd, MMMM dd, yyyy", "HH:mm:ss",
};

/* LC_TIME's names (UTF-8) of the current locale and their code page. */
static const crt_timenames *ucrt_time_current(int *cp)
{
    const crt_timenames *tn = crt_locale_time(crt_locale_current(), cp);
    if (tn)
        return tn;
    *cp = CRT_CP_C;
    return &ucrt_time_c;
}

/* A UTF-8 name in code page cp ('?' for what it lacks) into out when not NULL; the bytes
 * (without a NUL). */
static size_t ucrt_encode(const char *s, int cp, char *out)
{
    size_t len = strlen(s);
    if (cp == CRT_CP_C || cp == CRT_CP_UTF8) {
        if (out)
            memcpy(out, s, len);
        return len;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t u;
        int n = crt_utf8_decode(s + i, len - i, &u);
        if (n <= 0)
            break;
        int code = crt_locale_cp_byte(cp, u);
        if (code > 0xff) { /* a double-byte character */
            if (out)
                out[o] = (char)(code >> 8);
            o++;
        }
        if (out)
            out[o] = (char)(code < 0 ? '?' : code);
        o++;
        i += (size_t)n;
    }
    return o;
}

/* A UTF-8 name as UTF-16 into out when not NULL; the units (without a NUL). */
static size_t ucrt_encode_wide(const char *s, WCHAR *out)
{
    size_t len = strlen(s), o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t u;
        int n = crt_utf8_decode(s + i, len - i, &u);
        if (n <= 0)
            break;
        if (u >= 0x10000) {
            if (out) {
                out[o] = (WCHAR)(0xD800 + ((u - 0x10000) >> 10));
                out[o + 1] = (WCHAR)(0xDC00 + ((u - 0x10000) & 0x3FF));
            }
            o += 2;
        } else {
            if (out)
                out[o] = (WCHAR)u;
            o++;
        }
        i += (size_t)n;
    }
    return o;
}

/* __crt_lc_time_data (corecrt_internal.h), x64: 43 narrow strings (wday_abbr[7], wday[7],
 * month_abbr[12], month[12], ampm[2], ww_sdatefmt, ww_ldatefmt, ww_timefmt), ww_caltype,
 * refcount, the same 43 as wide strings (_W_wday_abbr...), _W_ww_locale_name. */
#define UCRT_TIME_STRINGS 43
typedef struct {
    char *str[UCRT_TIME_STRINGS];   /* 0x000 */
    int32_t ww_caltype;             /* 0x158 */
    int32_t refcount;               /* 0x15c */
    WCHAR *wstr[UCRT_TIME_STRINGS]; /* 0x160 */
    WCHAR *ww_locale_name;          /* 0x2b8 */
} ucrt_lc_time_data;
_Static_assert(offsetof(ucrt_lc_time_data, ww_caltype) == 0x158, "lc_time ww_caltype");
_Static_assert(offsetof(ucrt_lc_time_data, wstr) == 0x160, "lc_time _W_wday_abbr");
_Static_assert(offsetof(ucrt_lc_time_data, ww_locale_name) == 0x2b8, "lc_time locale name");
_Static_assert(sizeof(ucrt_lc_time_data) == 0x2c0, "__crt_lc_time_data");

/* ":A1:L1:A2:L2..." from n abbreviated and n long names of the current LC_TIME, in its code
 * page (or, wide, UTF-16), on the CRT heap */
static void *ucrt_names(int first, int n, bool wide)
{
    int cp;
    const char *const *s = &ucrt_time_current(&cp)->days_abbr[0];
    size_t units = 1;
    for (int pass = 0; pass < 2; pass++) {
        char *out = NULL;
        WCHAR *wout = NULL;
        if (pass) {
            void *block = crt_malloc(units * (wide ? sizeof(WCHAR) : 1));
            if (!block)
                return NULL;
            out = block;
            wout = block;
        }
        size_t o = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                const char *name = s[first + i + k * n];
                if (wide) {
                    if (wout)
                        wout[o] = ':';
                    o++;
                    o += ucrt_encode_wide(name, wout ? wout + o : NULL);
                } else {
                    if (out)
                        out[o] = ':';
                    o++;
                    o += ucrt_encode(name, cp, out ? out + o : NULL);
                }
            }
        }
        if (!pass) {
            units = o + 1;
        } else if (wide) {
            wout[o] = 0;
            return wout;
        } else {
            out[o] = 0;
            return out;
        }
    }
    return NULL;
}

static char *WINAPI ucrtbase__Getdays(void)
{
    return ucrt_names(0, 7, false);
}
THK_EXPORT_AS(ucrtbase, _Getdays, ucrtbase__Getdays, 0);

static char *WINAPI ucrtbase__Getmonths(void)
{
    return ucrt_names(14, 12, false);
}
THK_EXPORT_AS(ucrtbase, _Getmonths, ucrtbase__Getmonths, 0);

static WCHAR *WINAPI ucrtbase__W_Getdays(void)
{
    return ucrt_names(0, 7, true);
}
THK_EXPORT_AS(ucrtbase, _W_Getdays, ucrtbase__W_Getdays, 0);

static WCHAR *WINAPI ucrtbase__W_Getmonths(void)
{
    return ucrt_names(14, 12, true);
}
THK_EXPORT_AS(ucrtbase, _W_Getmonths, ucrtbase__W_Getmonths, 0);

/* A copy of the current LC_TIME's names and pictures: the narrow ones in its code page, the
 * wide ones in UTF-16, and its locale name ("en-US" for "C"), all in one block. */
static void *WINAPI ucrtbase__Gettnames(void)
{
    int cp;
    const char *const *s = &ucrt_time_current(&cp)->days_abbr[0];
    static const WCHAR en_us[] = {'e', 'n', '-', 'U', 'S', 0}; /* the "C" locale's, as __lc_time_c */
    const WCHAR *tag = crt_locale_tag(crt_locale_current(), CRT_LC_TIME);
    if (!tag)
        tag = en_us;
    size_t tag_len = 0;
    while (tag && tag[tag_len])
        tag_len++;
    size_t chars = 0, wchars = tag_len + 1;
    for (int i = 0; i < UCRT_TIME_STRINGS; i++) {
        chars += ucrt_encode(s[i], cp, NULL) + 1;
        wchars += ucrt_encode_wide(s[i], NULL) + 1;
    }
    size_t wide_at = sizeof(ucrt_lc_time_data) + chars;
    wide_at = (wide_at + 1) & ~(size_t)1;
    ucrt_lc_time_data *d = crt_malloc(wide_at + wchars * sizeof(WCHAR));
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    char *p = (char *)(d + 1);
    WCHAR *w = (WCHAR *)((char *)d + wide_at);
    for (int i = 0; i < UCRT_TIME_STRINGS; i++) {
        d->str[i] = p;
        p += ucrt_encode(s[i], cp, p);
        *p++ = 0;
        d->wstr[i] = w;
        w += ucrt_encode_wide(s[i], w);
        *w++ = 0;
    }
    d->ww_locale_name = w;
    for (size_t j = 0; j < tag_len; j++)
        *w++ = tag[j];
    *w = 0;
    d->ww_caltype = 1; /* CAL_GREGORIAN */
    d->refcount = 0;
    return d;
}
THK_EXPORT_AS(ucrtbase, _Gettnames, ucrtbase__Gettnames, 0);
THK_EXPORT_AS(ucrtbase, _W_Gettnames, ucrtbase__Gettnames, 0); /* the same block, as the UCRT */

/* _Wcsftime: wcsftime for the C++ library with the wide names and pictures of lc_time (what
 * _W_Gettnames gave); NULL: the current locale's. */
static size_t WINAPI ucrtbase__Wcsftime(WCHAR *buf, size_t max, const WCHAR *fmt,
                                        const struct crt_tm *tm, void *lc_time)
{
    if (!lc_time)
        return crt_wcsftime_names(buf, max, fmt, tm, crt_locale_current(), NULL, true);
    const ucrt_lc_time_data *d = lc_time;
    char *utf8[UCRT_TIME_STRINGS];
    crt_timenames tn;
    const char **field = &tn.days_abbr[0];
    size_t out = 0;
    int made = 0;
    for (; made < UCRT_TIME_STRINGS; made++) {
        utf8[made] = crt_wide_to_utf8(d->wstr[made]);
        if (!utf8[made])
            break;
        field[made] = utf8[made];
    }
    if (made == UCRT_TIME_STRINGS)
        out = crt_wcsftime_names(buf, max, fmt, tm, crt_locale_current(), &tn, true);
    else
        crt_set_errno(CRT_ENOMEM);
    while (made--)
        free(utf8[made]);
    return out;
}
THK_EXPORT_AS(ucrtbase, _Wcsftime, ucrtbase__Wcsftime, 5);
