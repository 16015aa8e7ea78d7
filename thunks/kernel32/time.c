/* SPDX-License-Identifier: MIT */
/* kernel32 time: the performance counter (NtQueryPerformanceCounter), tick counts, system and
 * local time as FILETIME and SYSTEMTIME, FILETIME <-> SYSTEMTIME and MS-DOS date/time
 * conversions, the time zone (GetTimeZoneInformation, built from the Linux TZ rules of the
 * current year) and GetProcessTimes (the calling process or a child) and GetThreadTimes (the
 * calling thread).
 *
 * Local time follows the Linux time zone (TZ / /etc/localtime). Time-zone names are the
 * Linux abbreviations ("CET"), not the Windows display names. FileTimeToLocalFileTime uses the
 * current bias, as Windows does; SystemTimeToTzSpecificLocalTime and its inverse use the Linux
 * rules of the current zone whatever zone they are given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_TICKS_PER_SEC 10000000LL
#define K32_TICKS_PER_DAY (86400LL * K32_TICKS_PER_SEC)
#define K32_TIME_ZONE_ID_UNKNOWN 0
#define K32_TIME_ZONE_ID_STANDARD 1
#define K32_TIME_ZONE_ID_DAYLIGHT 2

typedef struct {
    LONG Bias;                /* 0x00: minutes, UTC = local + Bias */
    WCHAR StandardName[32];   /* 0x04 */
    SYSTEMTIME StandardDate;  /* 0x44 */
    LONG StandardBias;        /* 0x54 */
    WCHAR DaylightName[32];   /* 0x58 */
    SYSTEMTIME DaylightDate;  /* 0x98 */
    LONG DaylightBias;        /* 0xa8 */
} TIME_ZONE_INFORMATION;
_Static_assert(offsetof(TIME_ZONE_INFORMATION, StandardDate) == 0x44, "TZI.StandardDate");
_Static_assert(offsetof(TIME_ZONE_INFORMATION, DaylightName) == 0x58, "TZI.DaylightName");
_Static_assert(offsetof(TIME_ZONE_INFORMATION, DaylightDate) == 0x98, "TZI.DaylightDate");
_Static_assert(offsetof(TIME_ZONE_INFORMATION, DaylightBias) == 0xa8, "TZI.DaylightBias");
_Static_assert(sizeof(TIME_ZONE_INFORMATION) == 0xac, "TIME_ZONE_INFORMATION");

_Static_assert(sizeof(FILETIME) == 8, "FILETIME");

static int64_t k32_ft_get(const FILETIME *ft)
{
    return (int64_t)(((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime);
}

static void k32_ft_set(FILETIME *ft, int64_t v)
{
    ft->dwLowDateTime = (uint32_t)v;
    ft->dwHighDateTime = (uint32_t)((uint64_t)v >> 32);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t k32_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void k32_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool k32_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int k32_days_in_month(int y, int m)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && k32_is_leap(y) ? 29 : days[m - 1];
}

/* Days between 1601-01-01 and 1970-01-01. */
#define K32_DAYS_1601_TO_1970 134774LL

static void k32_ticks_to_systemtime(int64_t t, SYSTEMTIME *st)
{
    int64_t days = t / K32_TICKS_PER_DAY, rem = t % K32_TICKS_PER_DAY;
    int64_t y;
    unsigned m, d;
    k32_civil_from_days(days - K32_DAYS_1601_TO_1970, &y, &m, &d);
    st->wYear = (uint16_t)y;
    st->wMonth = (uint16_t)m;
    st->wDay = (uint16_t)d;
    st->wDayOfWeek = (uint16_t)((days + 1) % 7); /* 1601-01-01 was a Monday */
    st->wHour = (uint16_t)(rem / (3600 * K32_TICKS_PER_SEC));
    rem %= 3600 * K32_TICKS_PER_SEC;
    st->wMinute = (uint16_t)(rem / (60 * K32_TICKS_PER_SEC));
    rem %= 60 * K32_TICKS_PER_SEC;
    st->wSecond = (uint16_t)(rem / K32_TICKS_PER_SEC);
    st->wMilliseconds = (uint16_t)(rem % K32_TICKS_PER_SEC / 10000);
}

static bool k32_systemtime_to_ticks(const SYSTEMTIME *st, int64_t *t)
{
    if (st->wYear < 1601 || st->wYear > 30827 || st->wMonth < 1 || st->wMonth > 12 ||
        st->wDay < 1 || st->wDay > k32_days_in_month(st->wYear, st->wMonth) || st->wHour > 23 ||
        st->wMinute > 59 || st->wSecond > 59 || st->wMilliseconds > 999)
        return false;
    int64_t days = k32_days_from_civil(st->wYear, st->wMonth, st->wDay) + K32_DAYS_1601_TO_1970;
    *t = days * K32_TICKS_PER_DAY +
         ((int64_t)st->wHour * 3600 + st->wMinute * 60 + st->wSecond) * K32_TICKS_PER_SEC +
         (int64_t)st->wMilliseconds * 10000;
    return true;
}

/* The hot paths below (GetSystemTimeAsFileTime, QueryPerformanceCounter) are ms_abi and call
 * only ms_abi code (NtQuerySystemTime, which calls no SysV code either: ntemu/time.c), so GCC
 * saves no xmm6-15 for them; their rare paths that need SysV code are these cold ms_abi
 * helpers. */
static __attribute__((ms_abi, noinline, cold)) int64_t k32_now_ticks_libc(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * K32_TICKS_PER_SEC + ts.tv_nsec / 100 + WIN_EPOCH_DIFF_100NS;
}

static __attribute__((ms_abi, noinline, cold)) BOOL k32_fail_status(NTSTATUS st)
{
    thk_set_last_status(st);
    return FALSE;
}

static int64_t k32_now_ticks(void)
{
    LARGE_INTEGER t;
    if (!NT_SUCCESS(NtQuerySystemTime(&t)))
        return k32_now_ticks_libc();
    return t.QuadPart;
}

/* Offset of local time from UTC, in seconds, at Unix time `t` (local = UTC + offset). */
static long k32_utc_offset_at(time_t t, int *isdst)
{
    struct tm tm;
    localtime_r(&t, &tm);
    if (isdst)
        *isdst = tm.tm_isdst > 0;
    return tm.tm_gmtoff;
}

static time_t k32_ticks_to_unix(int64_t t)
{
    return (time_t)((t - WIN_EPOCH_DIFF_100NS) / K32_TICKS_PER_SEC);
}

/* ---- counters ---- */
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *counter)
{
    NTSTATUS st = NtQueryPerformanceCounter(counter, NULL);
    if (!NT_SUCCESS(st))
        return k32_fail_status(st);
    return TRUE;
}
THK_EXPORT(kernel32, QueryPerformanceCounter, 1);

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *freq)
{
    LARGE_INTEGER counter;
    NTSTATUS st = NtQueryPerformanceCounter(&counter, freq);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, QueryPerformanceFrequency, 1);

/* Milliseconds since boot, like Windows' interrupt-time based tick count (suspend included). */
ULONGLONG WINAPI GetTickCount64(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (ULONGLONG)ts.tv_sec * 1000 + (ULONGLONG)ts.tv_nsec / 1000000;
}
THK_EXPORT(kernel32, GetTickCount64, 0);

DWORD WINAPI GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}
THK_EXPORT(kernel32, GetTickCount, 0);

/* ---- system and local time ---- */
void WINAPI GetSystemTimeAsFileTime(FILETIME *ft)
{
    k32_ft_set(ft, k32_now_ticks());
}
THK_EXPORT(kernel32, GetSystemTimeAsFileTime, 1);
THK_EXPORT_AS(kernel32, GetSystemTimePreciseAsFileTime, GetSystemTimeAsFileTime, 1);

void WINAPI GetSystemTime(SYSTEMTIME *st)
{
    k32_ticks_to_systemtime(k32_now_ticks(), st);
}
THK_EXPORT(kernel32, GetSystemTime, 1);

void WINAPI GetLocalTime(SYSTEMTIME *st)
{
    int64_t now = k32_now_ticks();
    long off = k32_utc_offset_at(k32_ticks_to_unix(now), NULL);
    k32_ticks_to_systemtime(now + (int64_t)off * K32_TICKS_PER_SEC, st);
}
THK_EXPORT(kernel32, GetLocalTime, 1);

BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, SYSTEMTIME *st)
{
    int64_t t = k32_ft_get(ft);
    if (t < 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_ticks_to_systemtime(t, st);
    return TRUE;
}
THK_EXPORT(kernel32, FileTimeToSystemTime, 2);

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *st, FILETIME *ft)
{
    int64_t t;
    if (!k32_systemtime_to_ticks(st, &t)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_ft_set(ft, t);
    return TRUE;
}
THK_EXPORT(kernel32, SystemTimeToFileTime, 2);

BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *ft, FILETIME *local)
{
    long off = k32_utc_offset_at(time(NULL), NULL); /* the current bias, as Windows */
    k32_ft_set(local, k32_ft_get(ft) + (int64_t)off * K32_TICKS_PER_SEC);
    return TRUE;
}
THK_EXPORT(kernel32, FileTimeToLocalFileTime, 2);

BOOL WINAPI LocalFileTimeToFileTime(const FILETIME *local, FILETIME *ft)
{
    long off = k32_utc_offset_at(time(NULL), NULL);
    k32_ft_set(ft, k32_ft_get(local) - (int64_t)off * K32_TICKS_PER_SEC);
    return TRUE;
}
THK_EXPORT(kernel32, LocalFileTimeToFileTime, 2);

LONG WINAPI CompareFileTime(const FILETIME *a, const FILETIME *b)
{
    uint64_t x = (uint64_t)k32_ft_get(a), y = (uint64_t)k32_ft_get(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
THK_EXPORT(kernel32, CompareFileTime, 2);

/* MS-DOS (FAT) date and time: date = (year - 1980) << 9 | month << 5 | day, time = hour << 11 |
 * minute << 5 | second / 2, so only 1980-01-01 to 2107-12-31 at two-second steps. The FILETIME
 * is taken as it is (callers convert to local time first: zip and FAT hold local times). A
 * negative FILETIME or a year outside the range fails with ERROR_INVALID_PARAMETER, as
 * Windows' (and ReactOS') kernelbase do; Wine 8.0 takes years before 1980 and wraps them. */
BOOL WINAPI FileTimeToDosDateTime(const FILETIME *ft, WORD *fat_date, WORD *fat_time)
{
    int64_t t = k32_ft_get(ft);
    SYSTEMTIME st;
    if (t >= 0)
        k32_ticks_to_systemtime(t, &st);
    if (t < 0 || st.wYear < 1980 || st.wYear > 2107) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *fat_date = (WORD)((st.wYear - 1980) << 9 | st.wMonth << 5 | st.wDay);
    *fat_time = (WORD)(st.wHour << 11 | st.wMinute << 5 | st.wSecond / 2);
    return TRUE;
}
THK_EXPORT(kernel32, FileTimeToDosDateTime, 3);

/* The other way: a field out of range (month 0 or 13-15, day 0 or past the month's end, hour
 * 24-31, minute 60-63, seconds 60-62) fails with ERROR_INVALID_PARAMETER and leaves *ft as it
 * was (RtlTimeFieldsToTime's checks). */
BOOL WINAPI DosDateTimeToFileTime(WORD fat_date, WORD fat_time, FILETIME *ft)
{
    SYSTEMTIME st = {
        .wYear = (WORD)((fat_date >> 9) + 1980),
        .wMonth = (WORD)((fat_date >> 5) & 0xf),
        .wDay = (WORD)(fat_date & 0x1f),
        .wHour = (WORD)(fat_time >> 11),
        .wMinute = (WORD)((fat_time >> 5) & 0x3f),
        .wSecond = (WORD)((fat_time & 0x1f) * 2),
    };
    int64_t t;
    if (!k32_systemtime_to_ticks(&st, &t)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_ft_set(ft, t);
    return TRUE;
}
THK_EXPORT(kernel32, DosDateTimeToFileTime, 3);

BOOL WINAPI SystemTimeToTzSpecificLocalTime(const void *tz, const SYSTEMTIME *utc,
                                            SYSTEMTIME *local)
{
    int64_t t;
    if (!k32_systemtime_to_ticks(utc, &t)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    long off = k32_utc_offset_at(k32_ticks_to_unix(t), NULL);
    k32_ticks_to_systemtime(t + (int64_t)off * K32_TICKS_PER_SEC, local);
    return TRUE;
}
THK_EXPORT(kernel32, SystemTimeToTzSpecificLocalTime, 3);

BOOL WINAPI TzSpecificLocalTimeToSystemTime(const void *tz, const SYSTEMTIME *local,
                                            SYSTEMTIME *utc)
{
    int64_t t;
    if (!k32_systemtime_to_ticks(local, &t)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    /* The offset at the UTC instant the wall time names: one refinement step is enough. */
    long off = k32_utc_offset_at(k32_ticks_to_unix(t), NULL);
    off = k32_utc_offset_at(k32_ticks_to_unix(t - (int64_t)off * K32_TICKS_PER_SEC), NULL);
    k32_ticks_to_systemtime(t - (int64_t)off * K32_TICKS_PER_SEC, utc);
    return TRUE;
}
THK_EXPORT(kernel32, TzSpecificLocalTimeToSystemTime, 3);

/* ---- time zone ---- */

/* The first second in [lo, hi) where the DST flag differs from its value at lo. */
static time_t k32_find_transition(time_t lo, time_t hi)
{
    int dst_lo;
    k32_utc_offset_at(lo, &dst_lo);
    while (hi - lo > 1) {
        time_t mid = lo + (hi - lo) / 2;
        int dst_mid;
        k32_utc_offset_at(mid, &dst_mid);
        if (dst_mid == dst_lo)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* A transition as Windows rules express it: month, weekday, which occurrence of it in the
 * month (5 = last), and the wall-clock time just before the change. */
static void k32_transition_rule(time_t t, long offset_before, SYSTEMTIME *rule)
{
    time_t wall = t + offset_before;
    struct tm tm;
    gmtime_r(&wall, &tm);
    memset(rule, 0, sizeof *rule);
    rule->wMonth = (uint16_t)(tm.tm_mon + 1);
    rule->wDayOfWeek = (uint16_t)tm.tm_wday;
    int occurrence = (tm.tm_mday - 1) / 7 + 1;
    if (tm.tm_mday + 7 > k32_days_in_month(tm.tm_year + 1900, tm.tm_mon + 1))
        occurrence = 5;
    rule->wDay = (uint16_t)occurrence;
    rule->wHour = (uint16_t)tm.tm_hour;
    rule->wMinute = (uint16_t)tm.tm_min;
    rule->wSecond = (uint16_t)tm.tm_sec;
}

static void k32_put_name(WCHAR *dst, const char *name)
{
    size_t i = 0;
    for (; name && name[i] && i < 31; i++)
        dst[i] = (WCHAR)(uint8_t)name[i];
    dst[i] = 0;
}

DWORD WINAPI GetTimeZoneInformation(TIME_ZONE_INFORMATION *tzi)
{
    if (!tzi) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0xffffffffu; /* TIME_ZONE_ID_INVALID */
    }
    tzset();
    memset(tzi, 0, sizeof *tzi);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int year = tm.tm_year + 1900;
    time_t start = (time_t)k32_days_from_civil(year, 1, 1) * 86400;
    time_t end = (time_t)k32_days_from_civil(year + 1, 1, 1) * 86400;
    /* Walk the year a week at a time looking for DST changes. */
    time_t changes[2];
    int nchanges = 0, dst_prev;
    k32_utc_offset_at(start, &dst_prev);
    for (time_t t = start; t < end && nchanges < 2; t += 7 * 86400) {
        time_t next = t + 7 * 86400 < end ? t + 7 * 86400 : end;
        int dst_next;
        k32_utc_offset_at(next, &dst_next);
        if (dst_next != dst_prev) {
            changes[nchanges++] = k32_find_transition(t, next);
            dst_prev = dst_next;
        }
    }
    int now_dst;
    long now_off = k32_utc_offset_at(now, &now_dst);
    if (nchanges < 2) {
        /* No daylight saving this year: the current offset is standard time. */
        tzi->Bias = (LONG)(-now_off / 60);
        k32_put_name(tzi->StandardName, tzname[0]);
        k32_put_name(tzi->DaylightName, tzname[1] ? tzname[1] : tzname[0]);
        return K32_TIME_ZONE_ID_UNKNOWN;
    }
    long std_off = 0, dst_off = 0;
    for (int i = 0; i < 2; i++) {
        int dst_after;
        long before = k32_utc_offset_at(changes[i] - 1, NULL);
        long after = k32_utc_offset_at(changes[i], &dst_after);
        if (dst_after) { /* daylight time starts */
            std_off = before;
            dst_off = after;
            k32_transition_rule(changes[i], before, &tzi->DaylightDate);
        } else {
            k32_transition_rule(changes[i], before, &tzi->StandardDate);
        }
    }
    tzi->Bias = (LONG)(-std_off / 60);
    tzi->StandardBias = 0;
    tzi->DaylightBias = (LONG)(-(dst_off - std_off) / 60);
    k32_put_name(tzi->StandardName, tzname[0]);
    k32_put_name(tzi->DaylightName, tzname[1]);
    return now_dst ? K32_TIME_ZONE_ID_DAYLIGHT : K32_TIME_ZONE_ID_STANDARD;
}
THK_EXPORT(kernel32, GetTimeZoneInformation, 1);

/* ---- process and thread times ---- */

static int64_t k32_timeval_ticks(struct timeval tv)
{
    return (int64_t)tv.tv_sec * K32_TICKS_PER_SEC + (int64_t)tv.tv_usec * 10;
}

/* The process start time from /proc/self/stat (clock ticks after boot). */
static int64_t k32_process_start_ticks(void)
{
    static int64_t cached;
    if (cached)
        return cached;
    int64_t result = k32_now_ticks();
    FILE *f = fopen("/proc/self/stat", "r");
    if (f) {
        char buf[1024];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        char *p = strrchr(buf, ')');
        unsigned long long start = 0;
        /* after the command: state ppid ... field 22 is starttime */
        for (int field = 2; p && field < 22; field++)
            p = strchr(p + 1, ' ');
        if (p && sscanf(p + 1, "%llu", &start) == 1) {
            struct timespec boot;
            clock_gettime(CLOCK_BOOTTIME, &boot);
            long hz = sysconf(_SC_CLK_TCK);
            int64_t since_boot = (int64_t)boot.tv_sec * K32_TICKS_PER_SEC + boot.tv_nsec / 100;
            int64_t started = (int64_t)(start * K32_TICKS_PER_SEC / (unsigned long long)hz);
            result = k32_now_ticks() - since_boot + started;
        }
    }
    cached = result;
    return result;
}

BOOL WINAPI GetProcessTimes(HANDLE process, FILETIME *creation, FILETIME *exit_time,
                            FILETIME *kernel, FILETIME *user)
{
    if (process != NtCurrentProcess()) {
        /* another process (a child: Go's os/exec asks after Wait): NtQueryInformationProcess,
         * which reads the child's /proc/<pid>/stat (zeros once it has been reaped) */
        int64_t t[4]; /* KERNEL_USER_TIMES: CreateTime, ExitTime, KernelTime, UserTime */
        NTSTATUS st = NtQueryInformationProcess(process, 4 /* ProcessTimes */, t, sizeof t, NULL);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return FALSE;
        }
        k32_ft_set(creation, t[0]);
        k32_ft_set(exit_time, t[1]);
        k32_ft_set(kernel, t[2]);
        k32_ft_set(user, t[3]);
        return TRUE;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    k32_ft_set(creation, k32_process_start_ticks());
    k32_ft_set(exit_time, 0);
    k32_ft_set(kernel, k32_timeval_ticks(ru.ru_stime));
    k32_ft_set(user, k32_timeval_ticks(ru.ru_utime));
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessTimes, 5);

BOOL WINAPI GetThreadTimes(HANDLE thread, FILETIME *creation, FILETIME *exit_time,
                           FILETIME *kernel, FILETIME *user)
{
    if (thread != NtCurrentThread()) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    /* getrusage(RUSAGE_THREAD) alone counts the thread's CPU time as the scheduler last booked
     * it (at a tick or a switch): a busy thread that makes no system call reads the same value
     * for up to a tick (4 ms at HZ=250), so two readings 2 ms apart were equal about half the
     * time (ntbench's CPU-timed cases measured 0 ns per call). CLOCK_THREAD_CPUTIME_ID counts
     * the slice running now; getrusage gives the kernel part, the rest is user time, never
     * less than this thread's previous answer. */
    static __thread int64_t last_user;
    struct timespec ts;
    struct rusage ru;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    getrusage(RUSAGE_THREAD, &ru);
    int64_t total = (int64_t)ts.tv_sec * K32_TICKS_PER_SEC + ts.tv_nsec / 100;
    int64_t kt = k32_timeval_ticks(ru.ru_stime), ut = k32_timeval_ticks(ru.ru_utime);
    if (total - kt > ut)
        ut = total - kt;
    if (ut < last_user)
        ut = last_user;
    last_user = ut;
    k32_ft_set(creation, k32_process_start_ticks());
    k32_ft_set(exit_time, 0);
    k32_ft_set(kernel, kt);
    k32_ft_set(user, ut);
    return TRUE;
}
THK_EXPORT(kernel32, GetThreadTimes, 5);

/* GetDynamicTimeZoneInformation: GetTimeZoneInformation's answer plus the zone's key name in
 * the registry's Time Zones list: "UTC" for a zone without offset and daylight time (the name
 * Windows uses), else the standard name; dynamic daylight time stays enabled. */
typedef struct {
    TIME_ZONE_INFORMATION tzi;
    WCHAR TimeZoneKeyName[128];
    uint8_t DynamicDaylightTimeDisabled;
} k32_dynamic_tzi;
_Static_assert(offsetof(k32_dynamic_tzi, TimeZoneKeyName) == 0xac, "DTZI.TimeZoneKeyName");
_Static_assert(sizeof(k32_dynamic_tzi) == 0x1b0, "DYNAMIC_TIME_ZONE_INFORMATION");

DWORD WINAPI GetDynamicTimeZoneInformation(k32_dynamic_tzi *dtzi)
{
    if (!dtzi) {
        SetLastError(87 /* ERROR_INVALID_PARAMETER */);
        return (DWORD)-1;
    }
    memset(dtzi, 0, sizeof *dtzi);
    DWORD id = GetTimeZoneInformation(&dtzi->tzi);
    if (dtzi->tzi.Bias == 0 && dtzi->tzi.DaylightDate.wMonth == 0)
        k32_put_name(dtzi->TimeZoneKeyName, "UTC");
    else
        memcpy(dtzi->TimeZoneKeyName, dtzi->tzi.StandardName, sizeof dtzi->tzi.StandardName);
    return id;
}
THK_EXPORT(kernel32, GetDynamicTimeZoneInformation, 1);
