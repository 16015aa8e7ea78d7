/* SPDX-License-Identifier: MIT */
/* The UCRT's time-name exports for the C++ library: _Getdays and _Getmonths (the day and month
 * names as one string, ":Sun:Sunday:Mon:Monday:..."), _Gettnames (a copy of the locale's
 * __crt_lc_time_data, its strings in the same block), all on the CRT heap for the caller to free.
 * _W_Getdays, _W_Getmonths and _W_Gettnames are their wide forms (_W_Gettnames gives the same
 * block: it holds both). msvcp140 calls them when it builds a std::locale's time facets (time_get, time_put), which
 * every program using <iostream> does at start-up. The names are the "C" locale's, the only
 * LC_TIME locale the built-in CRT has. (In the ucrt helper's area; added for hermesc of the
 * third-party corpus.) */
#include <stddef.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static const char *const ucrt_wday_abbr[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const ucrt_wday[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
static const char *const ucrt_month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const ucrt_month[12] = {"January", "February", "March",     "April",
                                           "May",     "June",     "July",      "August",
                                           "September", "October", "November", "December"};

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

/* ":A1:L1:A2:L2..." from n abbreviated and n long names, on the CRT heap */
static char *ucrt_names(const char *const *abbr, const char *const *full, int n)
{
    size_t size = 1;
    for (int i = 0; i < n; i++)
        size += strlen(abbr[i]) + strlen(full[i]) + 2;
    char *out = crt_malloc(size), *p = out;
    if (!out)
        return NULL;
    for (int i = 0; i < n; i++) {
        size_t a = strlen(abbr[i]), f = strlen(full[i]);
        *p++ = ':';
        memcpy(p, abbr[i], a);
        p += a;
        *p++ = ':';
        memcpy(p, full[i], f);
        p += f;
    }
    *p = 0;
    return out;
}

static char *WINAPI ucrtbase__Getdays(void)
{
    return ucrt_names(ucrt_wday_abbr, ucrt_wday, 7);
}
THK_EXPORT_AS(ucrtbase, _Getdays, ucrtbase__Getdays, 0);

static char *WINAPI ucrtbase__Getmonths(void)
{
    return ucrt_names(ucrt_month_abbr, ucrt_month, 12);
}
THK_EXPORT_AS(ucrtbase, _Getmonths, ucrtbase__Getmonths, 0);

/* the same as a wide string (the names are ASCII) */
static WCHAR *ucrt_wnames(const char *const *abbr, const char *const *full, int n)
{
    char *a = ucrt_names(abbr, full, n);
    if (!a)
        return NULL;
    size_t len = strlen(a) + 1;
    WCHAR *w = crt_malloc(len * sizeof *w);
    for (size_t i = 0; w && i < len; i++)
        w[i] = (unsigned char)a[i];
    crt_free(a);
    return w;
}

static WCHAR *WINAPI ucrtbase__W_Getdays(void)
{
    return ucrt_wnames(ucrt_wday_abbr, ucrt_wday, 7);
}
THK_EXPORT_AS(ucrtbase, _W_Getdays, ucrtbase__W_Getdays, 0);

static WCHAR *WINAPI ucrtbase__W_Getmonths(void)
{
    return ucrt_wnames(ucrt_month_abbr, ucrt_month, 12);
}
THK_EXPORT_AS(ucrtbase, _W_Getmonths, ucrtbase__W_Getmonths, 0);

/* The 43 strings of the narrow and of the wide half, in the structure's order. */
static void ucrt_time_strings(const char *s[UCRT_TIME_STRINGS])
{
    int k = 0;
    for (int i = 0; i < 7; i++)
        s[k++] = ucrt_wday_abbr[i];
    for (int i = 0; i < 7; i++)
        s[k++] = ucrt_wday[i];
    for (int i = 0; i < 12; i++)
        s[k++] = ucrt_month_abbr[i];
    for (int i = 0; i < 12; i++)
        s[k++] = ucrt_month[i];
    s[k++] = "AM";
    s[k++] = "PM";
    s[k++] = "MM/dd/yy";
    s[k++] = "dddd, MMMM dd, yyyy";
    s[k++] = "HH:mm:ss";
}

static void *WINAPI ucrtbase__Gettnames(void)
{
    static const char locale_name[] = "en-US";
    const char *s[UCRT_TIME_STRINGS];
    ucrt_time_strings(s);
    size_t chars = 0;
    for (int i = 0; i < UCRT_TIME_STRINGS; i++)
        chars += strlen(s[i]) + 1;
    size_t wide_at = sizeof(ucrt_lc_time_data) + chars;
    wide_at = (wide_at + 1) & ~(size_t)1;
    size_t size = wide_at + (chars + sizeof locale_name) * sizeof(WCHAR);
    ucrt_lc_time_data *d = crt_malloc(size);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    char *p = (char *)(d + 1);
    WCHAR *w = (WCHAR *)((char *)d + wide_at);
    for (int i = 0; i < UCRT_TIME_STRINGS; i++) {
        size_t n = strlen(s[i]) + 1;
        d->str[i] = memcpy(p, s[i], n);
        p += n;
        d->wstr[i] = w;
        for (size_t j = 0; j < n; j++) /* ASCII */
            *w++ = (unsigned char)s[i][j];
    }
    d->ww_locale_name = w;
    for (size_t j = 0; j < sizeof locale_name; j++)
        *w++ = (unsigned char)locale_name[j];
    d->ww_caltype = 1; /* CAL_GREGORIAN */
    d->refcount = 0;
    return d;
}
THK_EXPORT_AS(ucrtbase, _Gettnames, ucrtbase__Gettnames, 0);
THK_EXPORT_AS(ucrtbase, _W_Gettnames, ucrtbase__Gettnames, 0); /* the same block, as the UCRT */

/* _Wcsftime: wcsftime for the C++ library with _W_Gettnames' names (lc_time); the current
 * locale's are used, as by msvcrt's _Strftime. */
static size_t WINAPI ucrtbase__Wcsftime(WCHAR *buf, size_t max, const WCHAR *fmt,
                                        const struct crt_tm *tm, void *lc_time)
{
    (void)lc_time;
    return msvcrt__wcsftime_l(buf, max, fmt, tm, NULL);
}
THK_EXPORT_AS(ucrtbase, _Wcsftime, ucrtbase__Wcsftime, 5);
