/* SPDX-License-Identifier: MIT */
/* msvcrt time: time/_time32/_time64, clock, difftime, localtime/gmtime (one per-thread
 * struct tm shared by both, as in msvcrt), mktime/_mkgmtime, asctime/ctime (one shared
 * per-thread string), the _s forms, strftime/wcsftime (and _l) with msvcrt's "C" locale
 * formats and validation (the UCRT's exports add C99's conversions and its "C" %c), or LC_TIME's day and month names and date/time pictures in the
 * UCRT's other locales (thunks/msvcrt/locale.c), _ftime, _strdate/_strtime, _tzset and the _timezone/_daylight/_dstbias/_tzname
 * data.
 *
 * time_t is 64-bit on x64 (time == _time64). The local time zone is the host's, or the TZ
 * variable of the CRT environment ("EST5EDT", which is also a POSIX TZ) when set: glibc does
 * the conversions. Range limits are msvcrt's: local times from 1970 to 3000-12-31 23:59:59
 * UTC, gmtime 12 hours earlier / 13 hours later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include "thunks/msvcrt/msvcrt_lib.h"

/* struct tm: nine ints, the same order as C's. */
typedef struct crt_tm {
    int32_t tm_sec;   /* 0x00 */
    int32_t tm_min;   /* 0x04 */
    int32_t tm_hour;  /* 0x08 */
    int32_t tm_mday;  /* 0x0c */
    int32_t tm_mon;   /* 0x10 */
    int32_t tm_year;  /* 0x14 */
    int32_t tm_wday;  /* 0x18 */
    int32_t tm_yday;  /* 0x1c */
    int32_t tm_isdst; /* 0x20 */
} crt_tm;
_Static_assert(sizeof(crt_tm) == 36, "struct tm");

#define CRT_MAX_TIME64 32535215999LL  /* 3000-12-31 23:59:59 UTC */
#define CRT_MAX_TIME32 0x7fffd27fLL   /* 2038-01-18 19:14:07 UTC */
#define CRT_MIN_LOCAL_TIME (-12 * 3600LL)
#define CRT_MAX_LOCAL_TIME (13 * 3600LL)

/* ---- time zone ---- */
/* msvcrt's values before the first _tzset: Pacific time. */
static int32_t crt_timezone = 8 * 3600;
static int32_t crt_daylight = 1;
static int32_t crt_dstbias = -3600;
static char crt_tzname_std[64] = "PST", crt_tzname_dst[64] = "PDT";
static char *crt_tzname[2] = {crt_tzname_std, crt_tzname_dst};
THK_EXPORT_DATA(msvcrt, _timezone, &crt_timezone);
THK_EXPORT_DATA(msvcrt, _daylight, &crt_daylight);
THK_EXPORT_DATA(msvcrt, _dstbias, &crt_dstbias);
THK_EXPORT_DATA(msvcrt, _tzname, crt_tzname);
static pthread_mutex_t crt_tz_lock = PTHREAD_MUTEX_INITIALIZER;
static bool crt_tz_done;

/* Points glibc at the CRT's TZ (or the host zone) and copies glibc's view into the data. */
static void crt_tzset(void)
{
    pthread_mutex_lock(&crt_tz_lock);
    char *tz = crt_env_dup("TZ");
    if (tz && *tz)
        setenv("TZ", tz, 1);
    else
        unsetenv("TZ");
    free(tz);
    tzset();
    crt_timezone = (int32_t)timezone;
    crt_daylight = daylight ? 1 : 0;
    crt_dstbias = daylight ? -3600 : 0;
    snprintf(crt_tzname_std, sizeof crt_tzname_std, "%s", tzname[0] ? tzname[0] : "");
    snprintf(crt_tzname_dst, sizeof crt_tzname_dst, "%s", tzname[1] ? tzname[1] : "");
    crt_tz_done = true;
    pthread_mutex_unlock(&crt_tz_lock);
}

/* msvcrt reads the zone once, on the first call that needs it; _tzset re-reads it. */
static void crt_tzset_once(void)
{
    if (!__atomic_load_n(&crt_tz_done, __ATOMIC_ACQUIRE))
        crt_tzset();
}

static void WINAPI msvcrt__tzset(void) { crt_tzset(); }
THK_EXPORT_AS(msvcrt, _tzset, msvcrt__tzset, 0);
static int32_t *WINAPI msvcrt___daylight(void) { return &crt_daylight; }
THK_EXPORT_AS(msvcrt, __daylight, msvcrt___daylight, 0);
static int32_t *WINAPI msvcrt___timezone(void) { return &crt_timezone; }
THK_EXPORT_AS(msvcrt, __timezone, msvcrt___timezone, 0);
static int32_t *WINAPI msvcrt___dstbias(void) { return &crt_dstbias; }
THK_EXPORT_AS(msvcrt, __dstbias, msvcrt___dstbias, 0);
static char **WINAPI msvcrt___tzname(void) { return crt_tzname; }
THK_EXPORT_AS(msvcrt, __tzname, msvcrt___tzname, 0);

/* ---- conversions ---- */
static void crt_tm_from_host(crt_tm *o, const struct tm *t)
{
    o->tm_sec = t->tm_sec;
    o->tm_min = t->tm_min;
    o->tm_hour = t->tm_hour;
    o->tm_mday = t->tm_mday;
    o->tm_mon = t->tm_mon;
    o->tm_year = t->tm_year;
    o->tm_wday = t->tm_wday;
    o->tm_yday = t->tm_yday;
    o->tm_isdst = t->tm_isdst > 0 ? 1 : 0;
}

static void crt_tm_to_host(struct tm *t, const crt_tm *o)
{
    memset(t, 0, sizeof *t);
    t->tm_sec = o->tm_sec;
    t->tm_min = o->tm_min;
    t->tm_hour = o->tm_hour;
    t->tm_mday = o->tm_mday;
    t->tm_mon = o->tm_mon;
    t->tm_year = o->tm_year;
    t->tm_wday = o->tm_wday;
    t->tm_yday = o->tm_yday;
    t->tm_isdst = o->tm_isdst;
}

/* 0 or EINVAL (and *out filled with -1s, as msvcrt's _s forms leave it). */
static int crt_localtime(crt_tm *out, int64_t t, int64_t max)
{
    if (t < 0 || t > max) {
        memset(out, 0xff, sizeof *out);
        return CRT_EINVAL;
    }
    crt_tzset_once();
    struct tm host;
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, &host)) {
        memset(out, 0xff, sizeof *out);
        return CRT_EINVAL;
    }
    crt_tm_from_host(out, &host);
    return 0;
}

static int crt_gmtime(crt_tm *out, int64_t t, int64_t max)
{
    if (t < CRT_MIN_LOCAL_TIME || t > max + CRT_MAX_LOCAL_TIME) {
        memset(out, 0xff, sizeof *out);
        return CRT_EINVAL;
    }
    struct tm host;
    time_t tt = (time_t)t;
    gmtime_r(&tt, &host);
    crt_tm_from_host(out, &host);
    out->tm_isdst = 0;
    return 0;
}

/* mktime/_mkgmtime: normalizes *tm; -1 (EINVAL) outside 1970..max. */
static int64_t crt_mktime(crt_tm *tm, bool utc, int64_t max)
{
    if (!tm) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    struct tm host;
    crt_tm_to_host(&host, tm);
    time_t t;
    if (utc) {
        t = timegm(&host);
    } else {
        crt_tzset_once();
        t = mktime(&host);
    }
    if (t < 0 || t > max) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    crt_tm_from_host(tm, &host);
    if (utc)
        tm->tm_isdst = 0;
    return t;
}

static __thread crt_tm crt_tm_buffer; /* shared by gmtime and localtime */

static crt_tm *crt_tm_result(int err)
{
    if (err) {
        crt_set_errno(err);
        return NULL;
    }
    return &crt_tm_buffer;
}

static int64_t crt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

/* ---- time, clock, difftime ---- */
static int64_t WINAPI msvcrt__time64(int64_t *out)
{
    int64_t t = crt_now();
    if (out)
        *out = t;
    return t;
}
THK_EXPORT_AS(msvcrt, _time64, msvcrt__time64, 1);
THK_EXPORT_AS(msvcrt, time, msvcrt__time64, 1);
static int32_t WINAPI msvcrt__time32(int32_t *out)
{
    int32_t t = (int32_t)crt_now();
    if (out)
        *out = t;
    return t;
}
THK_EXPORT_AS(msvcrt, _time32, msvcrt__time32, 1);

/* clock(): milliseconds since the program started (wall time, like msvcrt). The start is taken
 * by crt_startup_init for every run: a libntrun host may run programs long after its own start. */
static struct timespec crt_start_time;
void crt_time_start(void)
{
    clock_gettime(CLOCK_MONOTONIC, &crt_start_time);
}
static int32_t WINAPI msvcrt_clock(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ms = (now.tv_sec - crt_start_time.tv_sec) * 1000 +
                 (now.tv_nsec - crt_start_time.tv_nsec) / 1000000;
    return (int32_t)ms;
}
THK_EXPORT_AS(msvcrt, clock, msvcrt_clock, 0);

static double WINAPI msvcrt__difftime64(int64_t t1, int64_t t0) { return (double)(t1 - t0); }
THK_EXPORT_AS(msvcrt, _difftime64, msvcrt__difftime64, 2);
THK_EXPORT_AS(msvcrt, difftime, msvcrt__difftime64, 2);
static double WINAPI msvcrt__difftime32(int32_t t1, int32_t t0)
{
    return (double)((int64_t)t1 - t0);
}
THK_EXPORT_AS(msvcrt, _difftime32, msvcrt__difftime32, 2);

/* ---- localtime / gmtime / mktime ---- */
static crt_tm *WINAPI msvcrt__localtime64(const int64_t *t)
{
    if (!t)
        return crt_tm_result(CRT_EINVAL);
    return crt_tm_result(crt_localtime(&crt_tm_buffer, *t, CRT_MAX_TIME64));
}
THK_EXPORT_AS(msvcrt, _localtime64, msvcrt__localtime64, 1);
THK_EXPORT_AS(msvcrt, localtime, msvcrt__localtime64, 1);
static crt_tm *WINAPI msvcrt__localtime32(const int32_t *t)
{
    if (!t)
        return crt_tm_result(CRT_EINVAL);
    return crt_tm_result(crt_localtime(&crt_tm_buffer, *t, CRT_MAX_TIME32));
}
THK_EXPORT_AS(msvcrt, _localtime32, msvcrt__localtime32, 1);
static crt_tm *WINAPI msvcrt__gmtime64(const int64_t *t)
{
    if (!t)
        return crt_tm_result(CRT_EINVAL);
    return crt_tm_result(crt_gmtime(&crt_tm_buffer, *t, CRT_MAX_TIME64));
}
THK_EXPORT_AS(msvcrt, _gmtime64, msvcrt__gmtime64, 1);
THK_EXPORT_AS(msvcrt, gmtime, msvcrt__gmtime64, 1);
static crt_tm *WINAPI msvcrt__gmtime32(const int32_t *t)
{
    if (!t)
        return crt_tm_result(CRT_EINVAL);
    return crt_tm_result(crt_gmtime(&crt_tm_buffer, *t, CRT_MAX_TIME32));
}
THK_EXPORT_AS(msvcrt, _gmtime32, msvcrt__gmtime32, 1);

static int crt_tm_s(crt_tm *out, int err)
{
    if (err)
        crt_set_errno(err);
    return err;
}
static int WINAPI msvcrt__localtime64_s(crt_tm *out, const int64_t *t)
{
    if (!out || !t) {
        if (out)
            memset(out, 0xff, sizeof *out);
        return crt_tm_s(NULL, CRT_EINVAL);
    }
    return crt_tm_s(out, crt_localtime(out, *t, CRT_MAX_TIME64));
}
THK_EXPORT_AS(msvcrt, _localtime64_s, msvcrt__localtime64_s, 2);
static int WINAPI msvcrt__localtime32_s(crt_tm *out, const int32_t *t)
{
    if (!out || !t) {
        if (out)
            memset(out, 0xff, sizeof *out);
        return crt_tm_s(NULL, CRT_EINVAL);
    }
    return crt_tm_s(out, crt_localtime(out, *t, CRT_MAX_TIME32));
}
THK_EXPORT_AS(msvcrt, _localtime32_s, msvcrt__localtime32_s, 2);
static int WINAPI msvcrt__gmtime64_s(crt_tm *out, const int64_t *t)
{
    if (!out || !t) {
        if (out)
            memset(out, 0xff, sizeof *out);
        return crt_tm_s(NULL, CRT_EINVAL);
    }
    return crt_tm_s(out, crt_gmtime(out, *t, CRT_MAX_TIME64));
}
THK_EXPORT_AS(msvcrt, _gmtime64_s, msvcrt__gmtime64_s, 2);
static int WINAPI msvcrt__gmtime32_s(crt_tm *out, const int32_t *t)
{
    if (!out || !t) {
        if (out)
            memset(out, 0xff, sizeof *out);
        return crt_tm_s(NULL, CRT_EINVAL);
    }
    return crt_tm_s(out, crt_gmtime(out, *t, CRT_MAX_TIME32));
}
THK_EXPORT_AS(msvcrt, _gmtime32_s, msvcrt__gmtime32_s, 2);

static int64_t WINAPI msvcrt__mktime64(crt_tm *tm) { return crt_mktime(tm, false, CRT_MAX_TIME64); }
THK_EXPORT_AS(msvcrt, _mktime64, msvcrt__mktime64, 1);
THK_EXPORT_AS(msvcrt, mktime, msvcrt__mktime64, 1);
static int32_t WINAPI msvcrt__mktime32(crt_tm *tm)
{
    return (int32_t)crt_mktime(tm, false, CRT_MAX_TIME32);
}
THK_EXPORT_AS(msvcrt, _mktime32, msvcrt__mktime32, 1);
static int64_t WINAPI msvcrt__mkgmtime64(crt_tm *tm)
{
    return crt_mktime(tm, true, CRT_MAX_TIME64);
}
THK_EXPORT_AS(msvcrt, _mkgmtime64, msvcrt__mkgmtime64, 1);
THK_EXPORT_AS(msvcrt, _mkgmtime, msvcrt__mkgmtime64, 1);
static int32_t WINAPI msvcrt__mkgmtime32(crt_tm *tm)
{
    return (int32_t)crt_mktime(tm, true, CRT_MAX_TIME32);
}
THK_EXPORT_AS(msvcrt, _mkgmtime32, msvcrt__mkgmtime32, 1);

/* ---- asctime / ctime ---- */
static const char crt_day_abbr[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const crt_day_name[7] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
static const char crt_mon_abbr[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const crt_mon_name[12] = {"January", "February", "March", "April",
                                             "May", "June", "July", "August", "September",
                                             "October", "November", "December"};

#define CRT_ASCBUFSIZE 26
static __thread char crt_asc_buffer[CRT_ASCBUFSIZE];
static __thread WCHAR crt_wasc_buffer[CRT_ASCBUFSIZE];

static bool crt_tm_valid(const crt_tm *tm)
{
    return tm->tm_sec >= 0 && tm->tm_sec <= 59 && tm->tm_min >= 0 && tm->tm_min <= 59 &&
           tm->tm_hour >= 0 && tm->tm_hour <= 23 && tm->tm_mday >= 1 && tm->tm_mday <= 31 &&
           tm->tm_mon >= 0 && tm->tm_mon <= 11 && tm->tm_year >= 0 && tm->tm_year <= 8099 &&
           tm->tm_wday >= 0 && tm->tm_wday <= 6;
}

/* "Wed Jan 02 02:03:05 1980\n": 25 characters and the NUL. */
static int crt_asctime_into(char *buf, size_t size, const crt_tm *tm)
{
    if (!buf || size < CRT_ASCBUFSIZE || !tm || !crt_tm_valid(tm)) {
        if (buf && size)
            buf[0] = 0;
        return CRT_EINVAL;
    }
    snprintf(buf, size, "%s %s %02d %02d:%02d:%02d %04d\n", crt_day_abbr[tm->tm_wday],
             crt_mon_abbr[tm->tm_mon], tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
             tm->tm_year + 1900);
    return 0;
}

static void crt_widen(WCHAR *dst, const char *src)
{
    while ((*dst++ = (unsigned char)*src++))
        ;
}

static char *WINAPI msvcrt_asctime(const crt_tm *tm)
{
    int e = crt_asctime_into(crt_asc_buffer, sizeof crt_asc_buffer, tm);
    if (e) {
        crt_set_errno(e);
        return NULL;
    }
    return crt_asc_buffer;
}
THK_EXPORT_AS(msvcrt, asctime, msvcrt_asctime, 1);
static WCHAR *WINAPI msvcrt__wasctime(const crt_tm *tm)
{
    char tmp[CRT_ASCBUFSIZE];
    int e = crt_asctime_into(tmp, sizeof tmp, tm);
    if (e) {
        crt_set_errno(e);
        return NULL;
    }
    crt_widen(crt_wasc_buffer, tmp);
    return crt_wasc_buffer;
}
THK_EXPORT_AS(msvcrt, _wasctime, msvcrt__wasctime, 1);
static int WINAPI msvcrt_asctime_s(char *buf, size_t size, const crt_tm *tm)
{
    int e = crt_asctime_into(buf, size, tm);
    if (e)
        crt_set_errno(e);
    return e;
}
THK_EXPORT_AS(msvcrt, asctime_s, msvcrt_asctime_s, 3);

static char *crt_ctime(int64_t t, int64_t max)
{
    crt_tm tm;
    int e = crt_localtime(&tm, t, max);
    if (e) {
        crt_set_errno(e);
        return NULL;
    }
    crt_asctime_into(crt_asc_buffer, sizeof crt_asc_buffer, &tm);
    return crt_asc_buffer;
}
static char *WINAPI msvcrt__ctime64(const int64_t *t)
{
    if (!t) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    return crt_ctime(*t, CRT_MAX_TIME64);
}
THK_EXPORT_AS(msvcrt, _ctime64, msvcrt__ctime64, 1);
THK_EXPORT_AS(msvcrt, ctime, msvcrt__ctime64, 1);
static char *WINAPI msvcrt__ctime32(const int32_t *t)
{
    if (!t) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    return crt_ctime(*t, CRT_MAX_TIME32);
}
THK_EXPORT_AS(msvcrt, _ctime32, msvcrt__ctime32, 1);
static WCHAR *WINAPI msvcrt__wctime64(const int64_t *t)
{
    char *s = t ? crt_ctime(*t, CRT_MAX_TIME64) : NULL;
    if (!t)
        crt_set_errno(CRT_EINVAL);
    if (!s)
        return NULL;
    crt_widen(crt_wasc_buffer, s);
    return crt_wasc_buffer;
}
THK_EXPORT_AS(msvcrt, _wctime64, msvcrt__wctime64, 1);
THK_EXPORT_AS(msvcrt, _wctime, msvcrt__wctime64, 1);
static WCHAR *WINAPI msvcrt__wctime32(const int32_t *t)
{
    char *s = t ? crt_ctime(*t, CRT_MAX_TIME32) : NULL;
    if (!t)
        crt_set_errno(CRT_EINVAL);
    if (!s)
        return NULL;
    crt_widen(crt_wasc_buffer, s);
    return crt_wasc_buffer;
}
THK_EXPORT_AS(msvcrt, _wctime32, msvcrt__wctime32, 1);
static int WINAPI msvcrt__ctime64_s(char *buf, size_t size, const int64_t *t)
{
    if (!buf || !size || size < CRT_ASCBUFSIZE || !t) {
        if (buf && size)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    crt_tm tm;
    int e = crt_localtime(&tm, *t, CRT_MAX_TIME64);
    if (!e)
        e = crt_asctime_into(buf, size, &tm);
    if (e) {
        buf[0] = 0;
        crt_set_errno(e);
    }
    return e;
}
THK_EXPORT_AS(msvcrt, _ctime64_s, msvcrt__ctime64_s, 3);

/* ---- strftime ---- */
typedef struct crt_sbuf {
    char *p;
    size_t cap, n;
    bool full;
    const crt_timenames *tn; /* LC_TIME's names; NULL: the "C" locale's */
    int cp;                  /* LC_TIME's code page (CRT_CP_*) */
    bool utf8;               /* names in UTF-8 whatever the code page (wcsftime) */
    bool ucrt;               /* the UCRT's conversions: C99's, and its "C" locale's %c */
} crt_sbuf;

static void crt_sput(crt_sbuf *b, const char *s)
{
    for (; *s; s++) {
        if (b->n + 1 >= b->cap) {
            b->full = true;
            return;
        }
        b->p[b->n++] = *s;
    }
}

/* A locale name (UTF-8) in LC_TIME's code page ('?' for a character it lacks). */
static void crt_sput_name(crt_sbuf *b, const char *s)
{
    if (b->utf8 || b->cp == CRT_CP_UTF8 || b->cp == CRT_CP_C) {
        crt_sput(b, s);
        return;
    }
    for (size_t i = 0; s[i];) {
        uint32_t u;
        int n = crt_utf8_decode(s + i, strlen(s + i), &u);
        if (n <= 0)
            return;
        int code = crt_locale_cp_byte(b->cp, u);
        char one[3] = {(char)(code < 0 ? '?' : code), 0, 0};
        if (code > 0xff) /* a double-byte character */
            one[0] = (char)(code >> 8), one[1] = (char)code;
        crt_sput(b, one);
        i += (size_t)n;
    }
}

/* A number, zero-padded to `width` digits unless the '#' flag asked for no leading zeros. */
static void crt_sput_num(crt_sbuf *b, int v, int width, bool alt)
{
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%0*d", alt ? 1 : width, v);
    crt_sput(b, tmp);
}

static bool crt_strftime_spec(crt_sbuf *b, char c, bool alt, const crt_tm *tm);

static bool crt_strftime_fmt(crt_sbuf *b, const char *f, const crt_tm *tm)
{
    for (; *f && !b->full; f++) {
        if (*f != '%') {
            char s[2] = {*f, 0};
            crt_sput(b, s);
            continue;
        }
        bool alt = false;
        if (f[1] == '#') {
            alt = true;
            f++;
        }
        if (!f[1] || !crt_strftime_spec(b, f[1], alt, tm))
            return false;
        f++;
    }
    return true;
}

#define CRT_IN(v, lo, hi) ((v) >= (lo) && (v) <= (hi))

/* The character at *p of a picture (UTF-8, or bytes already in their code page when the
 * block came from _Gettnames) as crt_sput_name puts names; *p moves past it. */
static void crt_sput_char(crt_sbuf *b, const char **p)
{
    uint32_t u;
    int n = (uint8_t)**p < 0x80 ? 1 : crt_utf8_decode(*p, strlen(*p), &u);
    char one[5] = {0};
    if (n <= 0 || n > 4)
        n = 1;
    memcpy(one, *p, (size_t)n);
    *p += n;
    if (n == 1)
        crt_sput(b, one);
    else
        crt_sput_name(b, one);
}

/* A Windows date or time picture (GetDateFormat/GetTimeFormat: d dd ddd dddd, M MM MMM MMMM,
 * y yy yyyy, h hh H HH, m mm, s ss, t tt, 'quoted text') in the locale's names. */
static bool crt_strftime_picture(crt_sbuf *b, const char *pic, const crt_tm *tm)
{
    const crt_timenames *tn = b->tn;
    for (const char *p = pic; *p && !b->full;) {
        char c = *p;
        if (c == '\'') { /* quoted text; '' is a quote */
            for (p++; *p && !(*p == '\'' && p[1] != '\'');) {
                if (*p == '\'')
                    p++;
                crt_sput_char(b, &p);
            }
            if (*p)
                p++;
            continue;
        }
        if ((uint8_t)c >= 0x80) { /* a character of the locale's own ("年") */
            crt_sput_char(b, &p);
            continue;
        }
        int run = 1;
        while (p[run] == c)
            run++;
        p += run;
        int pad = run >= 2 ? 2 : 1;
        switch (c) {
        case 'd':
            if (run >= 3 ? !CRT_IN(tm->tm_wday, 0, 6) : !CRT_IN(tm->tm_mday, 1, 31))
                return false;
            if (run >= 3)
                crt_sput_name(b, run == 3 ? tn->days_abbr[tm->tm_wday] : tn->days[tm->tm_wday]);
            else
                crt_sput_num(b, tm->tm_mday, pad, false);
            break;
        case 'M':
            if (!CRT_IN(tm->tm_mon, 0, 11))
                return false;
            if (run >= 3)
                crt_sput_name(b, run == 3 ? tn->months_abbr[tm->tm_mon] : tn->months[tm->tm_mon]);
            else
                crt_sput_num(b, tm->tm_mon + 1, pad, false);
            break;
        case 'y':
            if (!CRT_IN(tm->tm_year, -1900, 8099))
                return false;
            if (run >= 3)
                crt_sput_num(b, tm->tm_year + 1900, 4, false);
            else
                crt_sput_num(b, (tm->tm_year + 1900) % 100, pad, false);
            break;
        case 'h':
        case 'H':
            if (!CRT_IN(tm->tm_hour, 0, 23))
                return false;
            crt_sput_num(b, c == 'H' ? tm->tm_hour : tm->tm_hour % 12 ? tm->tm_hour % 12 : 12,
                         pad, false);
            break;
        case 'm':
            if (!CRT_IN(tm->tm_min, 0, 59))
                return false;
            crt_sput_num(b, tm->tm_min, pad, false);
            break;
        case 's':
            if (!CRT_IN(tm->tm_sec, 0, 59))
                return false;
            crt_sput_num(b, tm->tm_sec, pad, false);
            break;
        case 't': {
            if (!CRT_IN(tm->tm_hour, 0, 23))
                return false;
            const char *ampm = tm->tm_hour < 12 ? tn->am : tn->pm;
            if (run == 1) { /* its first character */
                if (*ampm)
                    crt_sput_char(b, &ampm);
            } else {
                crt_sput_name(b, ampm);
            }
            break;
        }
        default:
            for (int i = 0; i < run; i++) {
                char one[2] = {c, 0};
                crt_sput(b, one);
            }
        }
    }
    return true;
}

/* One conversion; false for an unknown one or a field out of range (EINVAL). */
/* ISO 8601 week-based year and week (%G %g %V): years with 53 weeks start on a Thursday, or
 * on a Wednesday in a leap year. */
static int crt_iso_p(int y) { return (y + y / 4 - y / 100 + y / 400) % 7; }
static int crt_iso_weeks(int y) { return crt_iso_p(y) == 4 || crt_iso_p(y - 1) == 3 ? 53 : 52; }
static int crt_iso_week(const crt_tm *tm, int *year)
{
    int y = tm->tm_year + 1900;
    int week = (tm->tm_yday - (tm->tm_wday + 6) % 7 + 10) / 7;
    if (week < 1)
        week = crt_iso_weeks(--y);
    else if (week > crt_iso_weeks(y))
        week = 1, y++;
    *year = y;
    return week;
}

/* The conversions the UCRT adds to msvcrt's (C99's); false: not one of them, or out of range. */
static bool crt_strftime_c99(crt_sbuf *b, char c, bool alt, const crt_tm *tm, bool *handled)
{
    *handled = true;
    switch (c) {
    case 'C':
        if (!CRT_IN(tm->tm_year, -1900, 8099))
            return false;
        crt_sput_num(b, (tm->tm_year + 1900) / 100, 2, alt);
        return true;
    case 'D':
        return crt_strftime_fmt(b, "%m/%d/%y", tm);
    case 'e':
        if (!CRT_IN(tm->tm_mday, 1, 31))
            return false;
        if (!alt && tm->tm_mday < 10)
            crt_sput(b, " ");
        crt_sput_num(b, tm->tm_mday, 1, alt);
        return true;
    case 'F':
        return crt_strftime_fmt(b, "%Y-%m-%d", tm);
    case 'g':
    case 'G':
    case 'V': {
        if (!CRT_IN(tm->tm_wday, 0, 6) || !CRT_IN(tm->tm_yday, 0, 365) ||
            !CRT_IN(tm->tm_year, -1900, 8099))
            return false;
        int y, w = crt_iso_week(tm, &y);
        if (c == 'V')
            crt_sput_num(b, w, 2, alt);
        else if (c == 'G')
            crt_sput_num(b, y, 4, alt);
        else
            crt_sput_num(b, y % 100, 2, alt);
        return true;
    }
    case 'h':
        return crt_strftime_spec(b, 'b', alt, tm);
    case 'n':
        crt_sput(b, "\n");
        return true;
    case 'r':
        return crt_strftime_fmt(b, "%I:%M:%S %p", tm);
    case 'R':
        return crt_strftime_fmt(b, "%H:%M", tm);
    case 't':
        crt_sput(b, "\t");
        return true;
    case 'T':
        return crt_strftime_fmt(b, "%H:%M:%S", tm);
    case 'u':
        if (!CRT_IN(tm->tm_wday, 0, 6))
            return false;
        crt_sput_num(b, tm->tm_wday ? tm->tm_wday : 7, 1, alt);
        return true;
    }
    *handled = false;
    return false;
}

static bool crt_strftime_spec(crt_sbuf *b, char c, bool alt, const crt_tm *tm)
{
    if (b->ucrt) {
        bool handled;
        bool ok = crt_strftime_c99(b, c, alt, tm, &handled);
        if (handled)
            return ok;
        if (c == 'c' && !alt && !b->tn) /* the UCRT's "C" locale: C99's %c */
            return crt_strftime_fmt(b, "%a %b %e %H:%M:%S %Y", tm);
    }
    switch (c) {
    case 'a':
        if (!CRT_IN(tm->tm_wday, 0, 6))
            return false;
        if (b->tn)
            crt_sput_name(b, b->tn->days_abbr[tm->tm_wday]);
        else
            crt_sput(b, crt_day_abbr[tm->tm_wday]);
        return true;
    case 'A':
        if (!CRT_IN(tm->tm_wday, 0, 6))
            return false;
        crt_sput_name(b, b->tn ? b->tn->days[tm->tm_wday] : crt_day_name[tm->tm_wday]);
        return true;
    case 'b':
        if (!CRT_IN(tm->tm_mon, 0, 11))
            return false;
        if (b->tn)
            crt_sput_name(b, b->tn->months_abbr[tm->tm_mon]);
        else
            crt_sput(b, crt_mon_abbr[tm->tm_mon]);
        return true;
    case 'B':
        if (!CRT_IN(tm->tm_mon, 0, 11))
            return false;
        crt_sput_name(b, b->tn ? b->tn->months[tm->tm_mon] : crt_mon_name[tm->tm_mon]);
        return true;
    case 'c': /* the short (or, with '#', long) date, a space, the time */
        if (b->tn)
            return crt_strftime_picture(b, alt ? b->tn->long_date : b->tn->short_date, tm) &&
                   (crt_sput(b, " "), crt_strftime_picture(b, b->tn->time, tm));
        return crt_strftime_fmt(b, alt ? "%A, %B %d, %Y %H:%M:%S" : "%m/%d/%y %H:%M:%S", tm);
    case 'x':
        if (b->tn)
            return crt_strftime_picture(b, alt ? b->tn->long_date : b->tn->short_date, tm);
        return crt_strftime_fmt(b, alt ? "%A, %B %d, %Y" : "%m/%d/%y", tm);
    case 'X':
        if (b->tn)
            return crt_strftime_picture(b, b->tn->time, tm);
        return crt_strftime_fmt(b, "%H:%M:%S", tm);
    case 'd':
        if (!CRT_IN(tm->tm_mday, 1, 31))
            return false;
        crt_sput_num(b, tm->tm_mday, 2, alt);
        return true;
    case 'H':
        if (!CRT_IN(tm->tm_hour, 0, 23))
            return false;
        crt_sput_num(b, tm->tm_hour, 2, alt);
        return true;
    case 'I':
        if (!CRT_IN(tm->tm_hour, 0, 23))
            return false;
        crt_sput_num(b, tm->tm_hour % 12 ? tm->tm_hour % 12 : 12, 2, alt);
        return true;
    case 'j':
        if (!CRT_IN(tm->tm_yday, 0, 365))
            return false;
        crt_sput_num(b, tm->tm_yday + 1, 3, alt);
        return true;
    case 'm':
        if (!CRT_IN(tm->tm_mon, 0, 11))
            return false;
        crt_sput_num(b, tm->tm_mon + 1, 2, alt);
        return true;
    case 'M':
        if (!CRT_IN(tm->tm_min, 0, 59))
            return false;
        crt_sput_num(b, tm->tm_min, 2, alt);
        return true;
    case 'p':
        if (!CRT_IN(tm->tm_hour, 0, 23))
            return false;
        if (b->tn)
            crt_sput_name(b, tm->tm_hour < 12 ? b->tn->am : b->tn->pm);
        else
            crt_sput(b, tm->tm_hour < 12 ? "AM" : "PM");
        return true;
    case 'S':
        if (!CRT_IN(tm->tm_sec, 0, 59))
            return false;
        crt_sput_num(b, tm->tm_sec, 2, alt);
        return true;
    case 'U':
    case 'W': {
        if (!CRT_IN(tm->tm_wday, 0, 6) || !CRT_IN(tm->tm_yday, 0, 365))
            return false;
        int wday = c == 'U' ? tm->tm_wday : (tm->tm_wday + 6) % 7;
        crt_sput_num(b, (tm->tm_yday + 7 - wday) / 7, 2, alt);
        return true;
    }
    case 'w':
        if (!CRT_IN(tm->tm_wday, 0, 6))
            return false;
        crt_sput_num(b, tm->tm_wday, 1, alt);
        return true;
    case 'y':
        if (!CRT_IN(tm->tm_year, 0, 8099))
            return false;
        crt_sput_num(b, (tm->tm_year + 1900) % 100, 2, alt);
        return true;
    case 'Y':
        if (!CRT_IN(tm->tm_year, -1900, 8099))
            return false;
        crt_sput_num(b, tm->tm_year + 1900, 4, alt);
        return true;
    case 'z':
    case 'Z': /* msvcrt gives the zone name for both */
        crt_tzset_once();
        crt_sput(b, crt_tzname[tm->tm_isdst > 0 ? 1 : 0]);
        return true;
    case '%':
        crt_sput(b, "%");
        return true;
    default:
        return false;
    }
}

/* Length written (without the NUL), or 0 with errno: EINVAL for a bad format or field,
 * ERANGE when it does not fit. The buffer holds "" after a failure. Names and pictures are
 * LC_TIME's of the locale li; `utf8`: names in UTF-8 (for wcsftime), else in its code page. */
static size_t crt_strftime_tn(char *buf, size_t max, const char *fmt, const crt_tm *tm,
                              const crt_timenames *tn, int cp, bool utf8, bool ucrt)
{
    if (!buf || !max || !fmt || !tm) {
        if (buf && max)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return 0;
    }
    crt_sbuf b = {buf, max, 0, false, tn, cp, utf8, ucrt};
    bool ok = crt_strftime_fmt(&b, fmt, tm);
    if (!ok || b.full) {
        buf[0] = 0;
        crt_set_errno(ok ? CRT_ERANGE : CRT_EINVAL);
        return 0;
    }
    buf[b.n] = 0;
    return b.n;
}

static size_t crt_strftime(char *buf, size_t max, const char *fmt, const crt_tm *tm,
                           const crt_locinfo *li, bool utf8, bool ucrt)
{
    int cp;
    const crt_timenames *tn = crt_locale_time(li, &cp);
    return crt_strftime_tn(buf, max, fmt, tm, tn, cp, utf8, ucrt);
}

static size_t WINAPI msvcrt__strftime_l(char *buf, size_t max, const char *fmt,
                                        const crt_tm *tm, void *locale)
{
    return crt_strftime(buf, max, fmt, tm, crt_locale_arg(locale), false, false);
}
THK_EXPORT_AS(msvcrt, _strftime_l, msvcrt__strftime_l, 5);
static size_t WINAPI msvcrt_strftime(char *buf, size_t max, const char *fmt, const crt_tm *tm)
{
    return crt_strftime(buf, max, fmt, tm, crt_locale_current(), false, false);
}
THK_EXPORT_AS(msvcrt, strftime, msvcrt_strftime, 4);
/* The UCRT's: C99's conversions (%C %D %e %F %g %G %h %n %r %R %t %T %u %V) and, in the "C"
 * locale, C99's %c ("Sun Dec  6 23:52:49 2026", as Wine 8.0's ucrtbase gives too). */
static size_t WINAPI ucrtbase__strftime_l(char *buf, size_t max, const char *fmt,
                                          const crt_tm *tm, void *locale)
{
    return crt_strftime(buf, max, fmt, tm, crt_locale_arg(locale), false, true);
}
THK_EXPORT_AS(ucrtbase, _strftime_l, ucrtbase__strftime_l, 5);
static size_t WINAPI ucrtbase_strftime(char *buf, size_t max, const char *fmt, const crt_tm *tm)
{
    return crt_strftime(buf, max, fmt, tm, crt_locale_current(), false, true);
}
THK_EXPORT_AS(ucrtbase, strftime, ucrtbase_strftime, 4);
/* The 43 names and pictures an lc_time block (msvcrt's __lc_time_data, the UCRT's
 * __crt_lc_time_data) starts with are crt_timenames' fields in the same order. */
_Static_assert(sizeof(crt_timenames) == 43 * sizeof(char *), "lc_time's 43 strings");

/* _Strftime: strftime for the C++ library with the names and pictures of lc_time (what
 * _Gettnames gave: its narrow strings, already in their code page); NULL: the current
 * locale's. */
static size_t WINAPI msvcrt__Strftime(char *buf, size_t max, const char *fmt, const crt_tm *tm,
                                      void *lc_time)
{
    if (!lc_time)
        return crt_strftime(buf, max, fmt, tm, crt_locale_current(), false, false);
    crt_timenames tn;
    memcpy(&tn, lc_time, sizeof tn);
    return crt_strftime_tn(buf, max, fmt, tm, &tn, CRT_CP_C, false, false); /* CP_C: bytes as given */
}
THK_EXPORT_AS(msvcrt, _Strftime, msvcrt__Strftime, 5);
static size_t WINAPI ucrtbase__Strftime(char *buf, size_t max, const char *fmt, const crt_tm *tm,
                                        void *lc_time)
{
    if (!lc_time)
        return crt_strftime(buf, max, fmt, tm, crt_locale_current(), false, true);
    crt_timenames tn;
    memcpy(&tn, lc_time, sizeof tn);
    return crt_strftime_tn(buf, max, fmt, tm, &tn, CRT_CP_C, false, true);
}
THK_EXPORT_AS(ucrtbase, _Strftime, ucrtbase__Strftime, 5);

/* The format (UTF-16) goes through UTF-8, and the names stay UTF-8 whatever the code page:
 * tn (UTF-8 names) when given, else LC_TIME's of li. */
size_t crt_wcsftime_names(WCHAR *buf, size_t max, const WCHAR *fmt, const crt_tm *tm,
                          const crt_locinfo *li, const crt_timenames *tn, bool ucrt)
{
    if (!buf || !max || !fmt || !tm) {
        if (buf && max)
            buf[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return 0;
    }
    buf[0] = 0;
    char *nfmt = crt_wide_to_utf8(fmt);
    size_t cap = max * 3 + 64;
    char *tmp = malloc(cap);
    size_t n = 0, out = 0;
    if (nfmt && tmp)
        n = tn ? crt_strftime_tn(tmp, cap, nfmt, tm, tn, CRT_CP_UTF8, true, ucrt)
               : crt_strftime(tmp, cap, nfmt, tm, li, true, ucrt);
    WCHAR *w = n ? crt_utf8_to_wide(tmp) : NULL;
    if (w) {
        out = crt_wcslen(w);
        if (out + 1 > max) {
            crt_set_errno(CRT_ERANGE);
            out = 0;
        } else {
            memcpy(buf, w, (out + 1) * sizeof(WCHAR));
        }
    } else if (!nfmt || !tmp) {
        crt_set_errno(CRT_ENOMEM);
    }
    free(w);
    free(tmp);
    free(nfmt);
    return out;
}
size_t WINAPI msvcrt__wcsftime_l(WCHAR *buf, size_t max, const WCHAR *fmt, const crt_tm *tm,
                                 void *locale)
{
    return crt_wcsftime_names(buf, max, fmt, tm, crt_locale_arg(locale), NULL, false);
}
THK_EXPORT_AS(msvcrt, _wcsftime_l, msvcrt__wcsftime_l, 5);
static size_t WINAPI msvcrt_wcsftime(WCHAR *buf, size_t max, const WCHAR *fmt, const crt_tm *tm)
{
    return msvcrt__wcsftime_l(buf, max, fmt, tm, NULL);
}
THK_EXPORT_AS(msvcrt, wcsftime, msvcrt_wcsftime, 4);
static size_t WINAPI ucrtbase__wcsftime_l(WCHAR *buf, size_t max, const WCHAR *fmt,
                                          const crt_tm *tm, void *locale)
{
    return crt_wcsftime_names(buf, max, fmt, tm, crt_locale_arg(locale), NULL, true);
}
THK_EXPORT_AS(ucrtbase, _wcsftime_l, ucrtbase__wcsftime_l, 5);
static size_t WINAPI ucrtbase_wcsftime(WCHAR *buf, size_t max, const WCHAR *fmt, const crt_tm *tm)
{
    return ucrtbase__wcsftime_l(buf, max, fmt, tm, NULL);
}
THK_EXPORT_AS(ucrtbase, wcsftime, ucrtbase_wcsftime, 4);

/* ---- _ftime ---- */
typedef struct crt_timeb64 {
    int64_t time;     /* 0x00 */
    uint16_t millitm; /* 0x08 */
    int16_t timezone; /* 0x0a: minutes west of UTC */
    int16_t dstflag;  /* 0x0c */
} crt_timeb64;
_Static_assert(sizeof(crt_timeb64) == 16, "struct __timeb64");
typedef struct crt_timeb32 {
    int32_t time;
    uint16_t millitm;
    int16_t timezone;
    int16_t dstflag;
} crt_timeb32;
_Static_assert(sizeof(crt_timeb32) == 12, "struct __timeb32");

static void crt_ftime(crt_timeb64 *tb)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    crt_tzset_once();
    tb->time = ts.tv_sec;
    tb->millitm = (uint16_t)(ts.tv_nsec / 1000000);
    tb->timezone = (int16_t)(crt_timezone / 60);
    crt_tm tm;
    tb->dstflag = crt_localtime(&tm, ts.tv_sec, CRT_MAX_TIME64) == 0 ? (int16_t)tm.tm_isdst : 0;
}

static void WINAPI msvcrt__ftime64(crt_timeb64 *tb) { crt_ftime(tb); }
THK_EXPORT_AS(msvcrt, _ftime64, msvcrt__ftime64, 1);
THK_EXPORT_AS(msvcrt, _ftime, msvcrt__ftime64, 1);
static void WINAPI msvcrt__ftime32(crt_timeb32 *tb)
{
    crt_timeb64 t;
    crt_ftime(&t);
    tb->time = (int32_t)t.time;
    tb->millitm = t.millitm;
    tb->timezone = t.timezone;
    tb->dstflag = t.dstflag;
}
THK_EXPORT_AS(msvcrt, _ftime32, msvcrt__ftime32, 1);
static int WINAPI msvcrt__ftime64_s(crt_timeb64 *tb)
{
    if (!tb) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    crt_ftime(tb);
    return 0;
}
THK_EXPORT_AS(msvcrt, _ftime64_s, msvcrt__ftime64_s, 1);
THK_EXPORT_AS(msvcrt, _ftime_s, msvcrt__ftime64_s, 1);
static int WINAPI msvcrt__ftime32_s(crt_timeb32 *tb)
{
    if (!tb) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    msvcrt__ftime32(tb);
    return 0;
}
THK_EXPORT_AS(msvcrt, _ftime32_s, msvcrt__ftime32_s, 1);

/* ---- _strdate / _strtime: "MM/DD/YY" and "HH:MM:SS", local time ---- */
static void crt_now_text(char buf[9], bool date)
{
    crt_tm tm;
    if (crt_localtime(&tm, crt_now(), CRT_MAX_TIME64) != 0)
        memset(&tm, 0, sizeof tm);
    unsigned a = date ? tm.tm_mon + 1 : tm.tm_hour, b = date ? tm.tm_mday : tm.tm_min;
    unsigned c = date ? tm.tm_year % 100 : tm.tm_sec;
    char sep = date ? '/' : ':';
    buf[0] = (char)('0' + a / 10 % 10);
    buf[1] = (char)('0' + a % 10);
    buf[2] = sep;
    buf[3] = (char)('0' + b / 10 % 10);
    buf[4] = (char)('0' + b % 10);
    buf[5] = sep;
    buf[6] = (char)('0' + c / 10 % 10);
    buf[7] = (char)('0' + c % 10);
    buf[8] = 0;
}

static char *WINAPI msvcrt__strdate(char *buf)
{
    crt_now_text(buf, true);
    return buf;
}
THK_EXPORT_AS(msvcrt, _strdate, msvcrt__strdate, 1);
static char *WINAPI msvcrt__strtime(char *buf)
{
    crt_now_text(buf, false);
    return buf;
}
THK_EXPORT_AS(msvcrt, _strtime, msvcrt__strtime, 1);
static WCHAR *WINAPI msvcrt__wstrdate(WCHAR *buf)
{
    char tmp[9];
    crt_now_text(tmp, true);
    crt_widen(buf, tmp);
    return buf;
}
THK_EXPORT_AS(msvcrt, _wstrdate, msvcrt__wstrdate, 1);
static WCHAR *WINAPI msvcrt__wstrtime(WCHAR *buf)
{
    char tmp[9];
    crt_now_text(tmp, false);
    crt_widen(buf, tmp);
    return buf;
}
THK_EXPORT_AS(msvcrt, _wstrtime, msvcrt__wstrtime, 1);
static int crt_strnow_s(char *buf, size_t size, bool date)
{
    if (!buf || !size) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (size < 9) {
        buf[0] = 0;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    crt_now_text(buf, date);
    return 0;
}
static int WINAPI msvcrt__strdate_s(char *buf, size_t size)
{
    return crt_strnow_s(buf, size, true);
}
THK_EXPORT_AS(msvcrt, _strdate_s, msvcrt__strdate_s, 2);
static int WINAPI msvcrt__strtime_s(char *buf, size_t size)
{
    return crt_strnow_s(buf, size, false);
}
THK_EXPORT_AS(msvcrt, _strtime_s, msvcrt__strtime_s, 2);
