/* SPDX-License-Identifier: MIT */
/* kernel32 GetDateFormatA/W and GetTimeFormatA/W with the en-US locale every locale is in ntrun
 * (thunks/kernel32/nls.c): pictures d dd ddd dddd M MM MMM MMMM y yy yyyy g gg (dates), h hh H
 * HH m mm s ss t tt (times), text in single quotes ('' is a quote). Defaults: short date
 * "M/d/yyyy", long date "dddd, MMMM d, yyyy", time "h:mm:ss tt". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

void WINAPI GetLocalTime(SYSTEMTIME *st);

#define K32_DATE_LONGDATE 0x2
#define K32_TIME_NOMINUTESORSECONDS 0x1
#define K32_TIME_NOSECONDS 0x2
#define K32_TIME_NOTIMEMARKER 0x4
#define K32_TIME_FORCE24HOURFORMAT 0x8

static const char *const k32_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
static const char *const k32_months[] = {"January", "February", "March", "April",
                                         "May", "June", "July", "August",
                                         "September", "October", "November", "December"};

/* Formats st with the picture into out (UTF-8, cap bytes). false on a bad picture letter. */
static void k32_picture(const WCHAR *pic, const SYSTEMTIME *st, bool date, DWORD flags,
                        char *out, size_t cap)
{
    size_t k = 0;
    out[0] = 0;
#define PUT(...) (k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, __VA_ARGS__))
    for (const WCHAR *p = pic; *p && k < cap;) {
        WCHAR c = *p;
        size_t n = 1;
        if (c == '\'') {
            p++;
            while (*p) {
                if (*p == '\'' && p[1] == '\'') {
                    PUT("'");
                    p += 2;
                } else if (*p == '\'') {
                    p++;
                    break;
                } else {
                    PUT("%c", (char)(*p < 0x80 ? *p : '?'));
                    p++;
                }
            }
            continue;
        }
        while (p[n] == c)
            n++;
        p += n;
        int hour12 = st->wHour % 12 ? st->wHour % 12 : 12;
        if (date && c == 'd') {
            if (n == 1) PUT("%u", st->wDay);
            else if (n == 2) PUT("%02u", st->wDay);
            else if (n == 3) PUT("%.3s", k32_days[st->wDayOfWeek % 7]);
            else PUT("%s", k32_days[st->wDayOfWeek % 7]);
        } else if (date && c == 'M') {
            unsigned m = st->wMonth >= 1 && st->wMonth <= 12 ? st->wMonth : 1;
            if (n == 1) PUT("%u", m);
            else if (n == 2) PUT("%02u", m);
            else if (n == 3) PUT("%.3s", k32_months[m - 1]);
            else PUT("%s", k32_months[m - 1]);
        } else if (date && c == 'y') {
            if (n <= 2) PUT(n == 1 ? "%u" : "%02u", st->wYear % 100);
            else PUT("%u", st->wYear);
        } else if (date && c == 'g') {
            PUT("A.D.");
        } else if (!date && c == 'h') {
            PUT(n == 1 ? "%d" : "%02d", (flags & K32_TIME_FORCE24HOURFORMAT) ? st->wHour : hour12);
        } else if (!date && c == 'H') {
            PUT(n == 1 ? "%u" : "%02u", st->wHour);
        } else if (!date && c == 'm') {
            PUT(n == 1 ? "%u" : "%02u", st->wMinute);
        } else if (!date && c == 's') {
            PUT(n == 1 ? "%u" : "%02u", st->wSecond);
        } else if (!date && c == 't') {
            if (!(flags & K32_TIME_NOTIMEMARKER))
                PUT("%.*s", n == 1 ? 1 : 2, st->wHour < 12 ? "AM" : "PM");
        } else {
            for (size_t i = 0; i < n; i++)
                PUT("%c", (char)(c < 0x80 ? c : '?'));
        }
    }
#undef PUT
}

/* The result in buf (size WCHARs; 0: the size needed with the terminator). */
static int k32_date_time(const SYSTEMTIME *st_in, const WCHAR *fmt, WCHAR *buf, int size,
                         bool date, DWORD flags)
{
    SYSTEMTIME st;
    if (size < 0 || (size && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (st_in)
        st = *st_in;
    else
        GetLocalTime(&st);
    const WCHAR *pic = fmt;
    if (!pic) {
        if (date)
            pic = (flags & K32_DATE_LONGDATE) ? u"dddd, MMMM d, yyyy" : u"M/d/yyyy";
        else if (flags & K32_TIME_NOMINUTESORSECONDS)
            pic = u"h tt";
        else if (flags & K32_TIME_NOSECONDS)
            pic = u"h:mm tt";
        else
            pic = u"h:mm:ss tt";
    }
    char out[512];
    k32_picture(pic, &st, date, flags, out, sizeof out);
    size_t len = strlen(out);
    if (!size)
        return (int)len + 1;
    if ((size_t)size < len + 1) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (size_t i = 0; i <= len; i++)
        buf[i] = (WCHAR)(uint8_t)out[i];
    return (int)len + 1;
}

int WINAPI GetDateFormatW(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size)
{
    return k32_date_time(st, fmt, buf, size, true, flags);
}
THK_EXPORT(kernel32, GetDateFormatW, 6);

int WINAPI GetTimeFormatW(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size)
{
    return k32_date_time(st, fmt, buf, size, false, flags);
}
THK_EXPORT(kernel32, GetTimeFormatW, 6);

static int k32_date_time_a(const SYSTEMTIME *st, const char *fmt, char *buf, int size,
                           bool date, DWORD flags)
{
    bool ok = true;
    WCHAR *wf = fmt ? k32_a_to_w(fmt, &ok) : NULL, w[512];
    if (!ok) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    int r = k32_date_time(st, wf, w, 512, date, flags);
    free(wf);
    if (!r)
        return 0;
    if (!size)
        return r;
    if (size < r || !buf) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (int i = 0; i < r; i++)
        buf[i] = (char)w[i];
    return r;
}

int WINAPI GetDateFormatA(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const char *fmt,
                          char *buf, int size)
{
    return k32_date_time_a(st, fmt, buf, size, true, flags);
}
THK_EXPORT(kernel32, GetDateFormatA, 6);

int WINAPI GetTimeFormatA(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const char *fmt,
                          char *buf, int size)
{
    return k32_date_time_a(st, fmt, buf, size, false, flags);
}
THK_EXPORT(kernel32, GetTimeFormatA, 6);
