/* SPDX-License-Identifier: MIT */
/* kernel32 GetDateFormatEx/W/A and GetTimeFormatEx/W/A with the locale's own data (names,
 * AM/PM and default pictures from thunks/kernel32/nls.c; a locale kernel32 has no data for is
 * en-US, as GetLocaleInfoEx answers): pictures d dd ddd dddd M MM MMM MMMM y yy yyyy g gg
 * (dates), h hh H HH m mm s ss t tt (times), text in single quotes ('' is a quote), any other
 * character itself. MMMM takes the genitive month name ("5 декабря") when the picture has a day
 * number (d or dd), as Windows and .NET do (Wine 8.0 also takes it beside a year alone). The
 * day of the week is computed from the date, not taken from wDayOfWeek. Defaults: the locale's
 * LOCALE_SSHORTDATE, LOCALE_SLONGDATE, LOCALE_STIMEFORMAT; TIME_NOSECONDS,
 * TIME_NOMINUTESORSECONDS and TIME_NOTIMEMARKER drop their fields with the text between them
 * and the field before ("h:mm:ss tt" -> "h tt"), TIME_FORCE24HOURFORMAT writes h as H. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

void WINAPI GetLocalTime(SYSTEMTIME *st);

#define K32_DATE_SHORTDATE 0x1
#define K32_DATE_LONGDATE 0x2
#define K32_DATE_YEARMONTH 0x8
#define K32_TIME_NOMINUTESORSECONDS 0x1
#define K32_TIME_NOSECONDS 0x2
#define K32_TIME_NOTIMEMARKER 0x4
#define K32_TIME_FORCE24HOURFORMAT 0x8
#define K32_LOCALE_USE_CP_ACP 0x40000000u
#define K32_LOCALE_NOUSEROVERRIDE 0x80000000u
#define K32_DF_CAP 512

typedef struct {
    WCHAR s[K32_DF_CAP];
    size_t n;
} k32_df_out;

static void k32_df_unit(k32_df_out *o, WCHAR c)
{
    if (o->n + 1 < K32_DF_CAP)
        o->s[o->n++] = c;
}

/* Appends UTF-8 text (the locale data) as UTF-16. */
static void k32_df_text(k32_df_out *o, const char *s, size_t max_units)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t done = 0; *p && done < max_units; done++) {
        uint32_t c = *p++;
        int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
        for (; more > 0 && (*p & 0xc0) == 0x80; more--)
            c = c << 6 | (*p++ & 0x3f);
        if (c >= 0x10000) {
            k32_df_unit(o, (WCHAR)(0xd800 + ((c - 0x10000) >> 10)));
            k32_df_unit(o, (WCHAR)(0xdc00 + (c & 0x3ff)));
        } else {
            k32_df_unit(o, (WCHAR)c);
        }
    }
}

static void k32_df_num(k32_df_out *o, unsigned v, int width)
{
    char t[16];
    snprintf(t, sizeof t, "%0*u", width, v);
    k32_df_text(o, t, sizeof t);
}

/* Day of the week (0 Sunday) of a Gregorian date. */
static unsigned k32_weekday(unsigned y, unsigned m, unsigned d)
{
    static const unsigned t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y--;
    return (y + y / 4 - y / 100 + y / 400 + t[(m - 1) % 12] + d) % 7;
}

/* True when the picture has a day number (d or dd outside quotes): MMMM is then genitive. */
static bool k32_has_day_number(const WCHAR *p)
{
    while (*p) {
        if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (*p)
                p++;
            continue;
        }
        size_t n = 1;
        while (p[n] == p[0])
            n++;
        if (*p == 'd' && n <= 2)
            return true;
        p += n;
    }
    return false;
}

/* Formats st with the picture for locale loc. */
static void k32_picture(int loc, const WCHAR *pic, const SYSTEMTIME *st, bool date, DWORD flags,
                        k32_df_out *o)
{
    bool genitive = date && k32_has_day_number(pic);
    size_t field_end = 0; /* the output's length after the last field written */
    o->n = 0;
    for (const WCHAR *p = pic; *p;) {
        WCHAR c = *p;
        size_t n = 1;
        if (c == '\'') {
            for (p++; *p; p++) {
                if (*p == '\'' && p[1] == '\'') {
                    k32_df_unit(o, '\'');
                    p++;
                } else if (*p == '\'') {
                    p++;
                    break;
                } else {
                    k32_df_unit(o, *p);
                }
            }
            continue;
        }
        while (p[n] == c)
            n++;
        p += n;
        unsigned hour12 = st->wHour % 12 ? st->wHour % 12 : 12;
        bool drop = false, field = true;
        if (date && c == 'd') {
            unsigned wd = k32_weekday(st->wYear, st->wMonth, st->wDay);
            if (n <= 2)
                k32_df_num(o, st->wDay, (int)n);
            else /* LOCALE_SABBREVDAYNAME1 / SDAYNAME1 are Monday */
                k32_df_text(o, k32_locale_text(loc, (n == 3 ? 0x31 : 0x2a) + (wd + 6) % 7),
                            SIZE_MAX);
        } else if (date && c == 'M') {
            if (n <= 2)
                k32_df_num(o, st->wMonth, (int)n);
            else if (n == 3)
                k32_df_text(o, k32_locale_text(loc, 0x44 + st->wMonth - 1u), SIZE_MAX);
            else
                k32_df_text(o, genitive ? k32_locale_genitive_month(loc, st->wMonth)
                                        : k32_locale_text(loc, 0x38 + st->wMonth - 1u),
                            SIZE_MAX);
        } else if (date && c == 'y') {
            if (n <= 2)
                k32_df_num(o, st->wYear % 100u, (int)n);
            else
                k32_df_num(o, st->wYear, 1);
        } else if (date && c == 'g') {
            k32_df_text(o, "A.D.", SIZE_MAX);
        } else if (!date && (c == 'h' || c == 'H')) {
            bool h24 = c == 'H' || (flags & K32_TIME_FORCE24HOURFORMAT);
            k32_df_num(o, h24 ? st->wHour : hour12, n == 1 ? 1 : 2);
        } else if (!date && c == 'm') {
            drop = flags & K32_TIME_NOMINUTESORSECONDS;
            if (!drop)
                k32_df_num(o, st->wMinute, n == 1 ? 1 : 2);
        } else if (!date && c == 's') {
            drop = flags & (K32_TIME_NOMINUTESORSECONDS | K32_TIME_NOSECONDS);
            if (!drop)
                k32_df_num(o, st->wSecond, n == 1 ? 1 : 2);
        } else if (!date && c == 't') {
            drop = flags & K32_TIME_NOTIMEMARKER;
            if (!drop)
                k32_df_text(o, k32_locale_text(loc, st->wHour < 12 ? 0x28 : 0x29),
                            n == 1 ? 1 : SIZE_MAX);
        } else {
            field = false;
            for (size_t i = 0; i < n; i++)
                k32_df_unit(o, c);
        }
        if (drop) /* the text since the field before goes with the field */
            o->n = field_end;
        else if (field)
            field_end = o->n;
    }
    o->s[o->n] = 0;
}

static bool k32_valid_date(const SYSTEMTIME *st)
{
    static const uint8_t days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (st->wYear < 1601 || st->wYear > 30827 || st->wMonth < 1 || st->wMonth > 12 ||
        st->wDay < 1 || st->wDay > days[st->wMonth - 1])
        return false;
    bool leap = (st->wYear % 4 == 0 && st->wYear % 100 != 0) || st->wYear % 400 == 0;
    return !(st->wMonth == 2 && st->wDay == 29 && !leap);
}

/* The checks and the formatting shared by the W, A and Ex forms: the result in o, false with
 * the last error set. */
static bool k32_date_time(int loc, bool user, const SYSTEMTIME *st_in, const WCHAR *fmt,
                          bool date, DWORD flags, k32_df_out *o)
{
    SYSTEMTIME st;
    DWORD pic_flags = date ? K32_DATE_SHORTDATE | K32_DATE_LONGDATE | K32_DATE_YEARMONTH : 0;
    DWORD f = flags & ~(K32_LOCALE_NOUSEROVERRIDE | K32_LOCALE_USE_CP_ACP);
    DWORD known = date ? 0x3f : 0xf; /* DATE_SHORTDATE .. DATE_RTLREADING; TIME_* */
    if ((f & ~known) || (fmt && (f & pic_flags)) ||
        (date && ((f & K32_DATE_SHORTDATE) + !!(f & K32_DATE_LONGDATE) +
                  !!(f & K32_DATE_YEARMONTH)) > 1) ||
        (fmt && (flags & K32_LOCALE_NOUSEROVERRIDE))) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return false;
    }
    if (st_in) {
        st = *st_in;
        if (date ? !k32_valid_date(&st)
                 : st.wHour > 23 || st.wMinute > 59 || st.wSecond > 59 ||
                       st.wMilliseconds > 999) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return false;
        }
    } else {
        GetLocalTime(&st);
    }
    const char *def = NULL;
    if (!fmt)
        def = k32_locale_user_text(loc, !date                    ? 0x1003  /* STIMEFORMAT */
                                        : f & K32_DATE_LONGDATE  ? 0x0020  /* SLONGDATE */
                                        : f & K32_DATE_YEARMONTH ? 0x1006  /* SYEARMONTH */
                                                                 : 0x001f, /* SSHORTDATE */
                                   user);
    k32_df_out pic;
    if (!fmt) {
        pic.n = 0;
        k32_df_text(&pic, def ? def : "MMMM yyyy", SIZE_MAX);
        pic.s[pic.n] = 0;
        fmt = pic.s;
    }
    k32_picture(loc, fmt, &st, date, f, o);
    return true;
}

/* The result into buf (size WCHARs; 0: the size needed with the terminator). */
static int k32_date_time_w(int loc, bool user, DWORD flags, const SYSTEMTIME *st, const WCHAR *fmt,
                           WCHAR *buf, int size, bool date)
{
    if (size < 0 || (size && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    k32_df_out o;
    if (!k32_date_time(loc, user, st, fmt, date, flags, &o))
        return 0;
    if (!size)
        return (int)o.n + 1;
    if ((size_t)size < o.n + 1) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    memcpy(buf, o.s, (o.n + 1) * sizeof(WCHAR));
    return (int)o.n + 1;
}

int WINAPI GetDateFormatW(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size)
{
    return k32_date_time_w(k32_locale_index_lcid(lcid), k32_locale_lcid_user(lcid, flags), flags, st, fmt, buf, size, true);
}
THK_EXPORT(kernel32, GetDateFormatW, 6);

int WINAPI GetTimeFormatW(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size)
{
    return k32_date_time_w(k32_locale_index_lcid(lcid), k32_locale_lcid_user(lcid, flags), flags, st, fmt, buf, size, false);
}
THK_EXPORT(kernel32, GetTimeFormatW, 6);

int WINAPI GetDateFormatEx(const WCHAR *name, DWORD flags, const SYSTEMTIME *st,
                           const WCHAR *fmt, WCHAR *buf, int size, const WCHAR *calendar)
{
    (void)calendar; /* reserved: NULL */
    return k32_date_time_w(k32_locale_index_name(name), k32_locale_name_user(name, flags), flags, st, fmt, buf, size, true);
}
THK_EXPORT(kernel32, GetDateFormatEx, 7);

int WINAPI GetTimeFormatEx(const WCHAR *name, DWORD flags, const SYSTEMTIME *st,
                           const WCHAR *fmt, WCHAR *buf, int size)
{
    return k32_date_time_w(k32_locale_index_name(name), k32_locale_name_user(name, flags), flags, st, fmt, buf, size, false);
}
THK_EXPORT(kernel32, GetTimeFormatEx, 6);

/* The A forms: the picture read and the result written in the locale's ANSI code page (with
 * LOCALE_USE_CP_ACP: the process's). Sizes in bytes. */
static int k32_date_time_a(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const char *fmt,
                           char *buf, int size, bool date)
{
    if (size < 0 || (size && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    int loc = k32_locale_index_lcid(lcid);
    UINT cp = (flags & K32_LOCALE_USE_CP_ACP) ? CP_ACP : k32_locale_ansi_cp(loc);
    WCHAR wf[K32_DF_CAP];
    if (fmt && !MultiByteToWideChar(cp, 0, fmt, -1, wf, K32_DF_CAP))
        return 0; /* the last error is set */
    k32_df_out o;
    if (!k32_date_time(loc, k32_locale_lcid_user(lcid, flags), st, fmt ? wf : NULL, date, flags,
                       &o))
        return 0;
    int len = WideCharToMultiByte(cp, 0, o.s, (int)o.n + 1, NULL, 0, NULL, NULL);
    if (!size)
        return len;
    if (size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    return WideCharToMultiByte(cp, 0, o.s, (int)o.n + 1, buf, size, NULL, NULL);
}

int WINAPI GetDateFormatA(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const char *fmt,
                          char *buf, int size)
{
    return k32_date_time_a(lcid, flags, st, fmt, buf, size, true);
}
THK_EXPORT(kernel32, GetDateFormatA, 6);

int WINAPI GetTimeFormatA(DWORD lcid, DWORD flags, const SYSTEMTIME *st, const char *fmt,
                          char *buf, int size)
{
    return k32_date_time_a(lcid, flags, st, fmt, buf, size, false);
}
THK_EXPORT(kernel32, GetTimeFormatA, 6);
