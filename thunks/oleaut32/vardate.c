/* SPDX-License-Identifier: MIT */
/* oleaut32's DATEs: a double counting days from 12/30/1899 (midnight), its fraction the time of
 * day (for a negative date too: -1.25 is 12/29/1899 6:00 AM), from 1/1/100 to 12/31/9999 in the
 * proleptic Gregorian calendar. VarDateFromUdate(Ex) and SystemTimeToVariantTime roll fields
 * over as Windows does (month 13 is January of the next year, day 0 the last of the month
 * before, hour 24 the next day; years 0-29 are 2000-2029, 30-99 1930-1999; milliseconds are
 * ignored); VarUdateFromDate and VariantTimeToSystemTime round to the nearest second;
 * DosDateTimeToVariantTime and back pack FAT dates (1980-2107, 2-second steps).
 * Strings: out, the LCID's short date and time (GetDateFormatW DATE_SHORTDATE, GetTimeFormatW:
 * "M/d/yyyy h:mm:ss tt" in en-US; years before 1601, which GetDateFormat refuses, in en-US's
 * form); in, a date as M/D/Y (D/M/Y where the locale's short date has the day first, Y/M/D
 * where it has the year first), Y-M-D, Y/M/D or with a month name ("15 January 2023", "Jan 15,
 * 2023": English, or the locale's full, abbreviated or genitive name, any case: "5 décembre
 * 2026", "5. Dez. 2026", "5 декабря 2026"), '.' also a separator, a time as H:MM[:SS] with an
 * optional AM/PM (English, or the locale's designators), either or both; weekday names
 * (English or the locale's) are skipped. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/oleaut32/oleaut32_private.h"

void WINAPI GetLocalTime(SYSTEMTIME *st);
int WINAPI GetDateFormatW(uint32_t lcid, uint32_t flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size);
int WINAPI GetTimeFormatW(uint32_t lcid, uint32_t flags, const SYSTEMTIME *st, const WCHAR *fmt,
                          WCHAR *buf, int size);
int WINAPI GetLocaleInfoW(uint32_t lcid, uint32_t type, WCHAR *buf, int size);

#define OA_DATE_SHORTDATE 0x1

/* days from 1/1/1970 to y-m-d (proleptic Gregorian; m 1..12) */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 12/30/1899, day 0 of a DATE, in days_from_civil's count */
#define OA_DATE_EPOCH (-25569)

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const uint8_t n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* a day number and the seconds into it as a DATE, the hours, minutes and seconds added one by
 * one as fractions of a day (so the last bits are those Windows' and Wine's sums give) */
static DATE date_of(int64_t day, int64_t sec)
{
    double v = (double)day, sign = day < 0 ? -1.0 : 1.0;
    v += (double)(sec / 3600) / 24.0 * sign;
    v += (double)(sec / 60 % 60) / 1440.0 * sign;
    v += (double)(sec % 60) / 86400.0 * sign;
    return v;
}

static HRESULT udate_to_date(const UDATE *ud, DATE *out)
{
    int64_t y = (int16_t)ud->st.wYear, mo = (int16_t)ud->st.wMonth, d = (int16_t)ud->st.wDay;
    if (y >= 0 && y < 30)
        y += 2000;
    else if (y >= 30 && y < 100)
        y += 1900;
    y += floor_div(mo - 1, 12);
    mo = mo - 1 - floor_div(mo - 1, 12) * 12 + 1;
    int64_t sec = (int64_t)(int16_t)ud->st.wHour * 3600 + (int64_t)(int16_t)ud->st.wMinute * 60 +
                  (int16_t)ud->st.wSecond;
    int64_t carry = floor_div(sec, 86400);
    sec -= carry * 86400;
    if (y < 0 || y > 9999)
        return OA_E_INVALIDARG;
    int64_t day = days_from_civil(y, (int)mo, 1) + (d - 1) + carry - OA_DATE_EPOCH;
    if (day < OA_DATE_MIN || day > OA_DATE_MAX)
        return OA_E_INVALIDARG;
    *out = date_of(day, sec);
    return OA_S_OK;
}

static HRESULT date_to_udate(DATE d, UDATE *ud)
{
    if (!(d >= OA_DATE_MIN && d < OA_DATE_MAX + 1.0))
        return OA_E_INVALIDARG;
    double whole = trunc(d);
    int64_t day = (int64_t)whole;
    int64_t sec = (int64_t)floor(fabs(d - whole) * 86400.0 + 0.5);
    if (sec >= 86400) {
        sec -= 86400;
        day++;
    }
    int y, m, dd;
    civil_from_days(day + OA_DATE_EPOCH, &y, &m, &dd);
    ud->st.wYear = (uint16_t)y;
    ud->st.wMonth = (uint16_t)m;
    ud->st.wDay = (uint16_t)dd;
    ud->st.wDayOfWeek = (uint16_t)(((day % 7) + 7 + 6) % 7); /* day 0 was a Saturday */
    ud->st.wHour = (uint16_t)(sec / 3600);
    ud->st.wMinute = (uint16_t)(sec / 60 % 60);
    ud->st.wSecond = (uint16_t)(sec % 60);
    ud->st.wMilliseconds = 0;
    ud->wDayOfYear = (uint16_t)(days_from_civil(y, m, dd) - days_from_civil(y, 1, 1) + 1);
    return OA_S_OK;
}

HRESULT WINAPI VarDateFromUdateEx(const UDATE *ud, uint32_t lcid, uint32_t flags, DATE *out)
{
    (void)lcid;
    (void)flags;
    if (!ud || !out)
        return OA_E_INVALIDARG;
    return udate_to_date(ud, out);
}
THK_EXPORT(oleaut32, VarDateFromUdateEx, 4);

HRESULT WINAPI VarDateFromUdate(const UDATE *ud, uint32_t flags, DATE *out)
{
    return VarDateFromUdateEx(ud, 0x0400, flags, out);
}
THK_EXPORT(oleaut32, VarDateFromUdate, 3);

HRESULT WINAPI VarUdateFromDate(DATE d, uint32_t flags, UDATE *out)
{
    (void)flags;
    if (!out)
        return OA_E_INVALIDARG;
    return date_to_udate(d, out);
}
THK_EXPORT(oleaut32, VarUdateFromDate, 3);

int32_t WINAPI SystemTimeToVariantTime(const SYSTEMTIME *st, double *out)
{
    if (!st || !out)
        return FALSE;
    if (st->wMonth > 12 || st->wDay > 31 || (int16_t)st->wYear < 0)
        return FALSE;
    UDATE ud = {.st = *st};
    return udate_to_date(&ud, out) >= 0;
}
THK_EXPORT(oleaut32, SystemTimeToVariantTime, 2);

int32_t WINAPI VariantTimeToSystemTime(double d, SYSTEMTIME *st)
{
    UDATE ud;
    if (!st || date_to_udate(d, &ud) < 0)
        return FALSE;
    *st = ud.st;
    return TRUE;
}
THK_EXPORT(oleaut32, VariantTimeToSystemTime, 2);

int32_t WINAPI DosDateTimeToVariantTime(uint16_t dos_date, uint16_t dos_time, double *out)
{
    UDATE ud = {0};
    ud.st.wYear = (uint16_t)((dos_date >> 9) + 1980);
    ud.st.wMonth = (dos_date >> 5) & 0xf;
    ud.st.wDay = dos_date & 0x1f;
    ud.st.wHour = dos_time >> 11;
    ud.st.wMinute = (dos_time >> 5) & 0x3f;
    ud.st.wSecond = (uint16_t)((dos_time & 0x1f) * 2);
    if (!out || ud.st.wMonth > 12 || ud.st.wDay > 31 || ud.st.wHour > 23 ||
        ud.st.wMinute > 59 || ud.st.wSecond > 59)
        return FALSE;
    return udate_to_date(&ud, out) >= 0;
}
THK_EXPORT(oleaut32, DosDateTimeToVariantTime, 3);

int32_t WINAPI VariantTimeToDosDateTime(double d, uint16_t *dos_date, uint16_t *dos_time)
{
    UDATE ud;
    if (!dos_date || !dos_time || date_to_udate(d, &ud) < 0 || ud.st.wYear < 1980 ||
        ud.st.wYear > 2107)
        return FALSE;
    *dos_date = (uint16_t)(((ud.st.wYear - 1980) << 9) | (ud.st.wMonth << 5) | ud.st.wDay);
    *dos_time = (uint16_t)((ud.st.wHour << 11) | (ud.st.wMinute << 5) | (ud.st.wSecond / 2));
    return TRUE;
}
THK_EXPORT(oleaut32, VariantTimeToDosDateTime, 3);

/* ---- strings ---- */

HRESULT oa_date_to_str(DATE d, uint32_t flags, uint32_t lcid, BSTR *out)
{
    UDATE ud;
    *out = NULL;
    HRESULT hr = date_to_udate(d, &ud);
    if (hr < 0)
        return hr;
    double whole = trunc(d);
    int show_date = !(flags & OA_VAR_TIMEVALUEONLY) && whole != 0;
    int show_time = !(flags & OA_VAR_DATEVALUEONLY) && (d != whole || whole == 0);
    if (ud.st.wYear >= 1601) { /* the years GetDateFormat takes: the locale's pictures */
        WCHAR w[160];
        int n = 0, k;
        if (show_date) {
            k = GetDateFormatW(lcid, OA_DATE_SHORTDATE, &ud.st, NULL, w, 80);
            n = k > 0 ? k - 1 : 0;
        }
        if (show_time) {
            if (n)
                w[n++] = ' ';
            k = GetTimeFormatW(lcid, 0, &ud.st, NULL, w + n, 80);
            n += k > 0 ? k - 1 : 0;
        }
        *out = SysAllocStringLen(w, (UINT)n);
        return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
    }
    char buf[64];
    int n = 0;
    if (show_date)
        n += snprintf(buf + n, sizeof buf - n, "%u/%u/%u", ud.st.wMonth, ud.st.wDay, ud.st.wYear);
    if (show_time) {
        unsigned h = ud.st.wHour % 12 ? ud.st.wHour % 12 : 12;
        n += snprintf(buf + n, sizeof buf - n, "%s%u:%02u:%02u %s", show_date ? " " : "", h,
                      ud.st.wMinute, ud.st.wSecond, ud.st.wHour < 12 ? "AM" : "PM");
    }
    WCHAR w[64];
    for (int i = 0; i < n; i++)
        w[i] = (unsigned char)buf[i];
    *out = SysAllocStringLen(w, (UINT)n);
    return *out ? OA_S_OK : OA_E_OUTOFMEMORY;
}

/* The words of a locale's dates, lower case: month names (full, abbreviated, genitive, without
 * a final '.'), weekday names (full, abbreviated) and the AM/PM designators */
#define OA_DATE_WORD 24
typedef struct {
    WCHAR months[12][3][OA_DATE_WORD];
    WCHAR days[7][2][OA_DATE_WORD];
    WCHAR am[OA_DATE_WORD], pm[OA_DATE_WORD];
} date_words;

#define OA_LOCALE_RETURN_GENITIVE_NAMES 0x10000000u

static void date_word_get(uint32_t lcid, uint32_t type, WCHAR *w)
{
    int n = GetLocaleInfoW(lcid, type | 0x80000000u /* LOCALE_NOUSEROVERRIDE */, w,
                           OA_DATE_WORD);
    n = n > 0 ? n - 1 : 0;
    if (n && w[n - 1] == '.')
        n--;
    w[n] = 0;
    for (int i = 0; i < n; i++)
        w[i] = nt_towlower(w[i]);
}

static void date_words_get(uint32_t lcid, date_words *dw)
{
    for (uint32_t i = 0; i < 12; i++) {
        date_word_get(lcid, 0x38 + i, dw->months[i][0]); /* LOCALE_SMONTHNAME1 */
        date_word_get(lcid, 0x44 + i, dw->months[i][1]); /* LOCALE_SABBREVMONTHNAME1 */
        date_word_get(lcid, (0x38 + i) | OA_LOCALE_RETURN_GENITIVE_NAMES, dw->months[i][2]);
    }
    for (uint32_t i = 0; i < 7; i++) {
        date_word_get(lcid, 0x2a + i, dw->days[i][0]); /* LOCALE_SDAYNAME1 */
        date_word_get(lcid, 0x31 + i, dw->days[i][1]); /* LOCALE_SABBREVDAYNAME1 */
    }
    date_word_get(lcid, 0x28, dw->am); /* LOCALE_S1159 */
    date_word_get(lcid, 0x29, dw->pm); /* LOCALE_S2359 */
}

static bool word_is(const WCHAR *w, size_t n, const WCHAR *name)
{
    size_t k = 0;
    while (k < n && name[k] == w[k])
        k++;
    return k == n && !name[k] && n;
}

static const char *const month_names[12] = {"january", "february", "march", "april",
                                            "may", "june", "july", "august",
                                            "september", "october", "november", "december"};
static const char *const day_names[7] = {"sunday", "monday", "tuesday", "wednesday",
                                         "thursday", "friday", "saturday"};

/* n units of w (ASCII) begin the name `name` with at least 3 of them */
static bool word_abbrev(const WCHAR *w, size_t n, const char *name)
{
    if (n < 3 || n > strlen(name))
        return false;
    for (size_t i = 0; i < n; i++)
        if (w[i] != (unsigned char)name[i])
            return false;
    return true;
}

/* a word (lower case) as a month 1..12, 13 AM, 14 PM, 15 a weekday, or 0: the locale's
 * words, then English */
static int date_word(const WCHAR *w, size_t n, const date_words *dw)
{
    for (int i = 0; i < 12; i++)
        for (int k = 0; k < 3; k++)
            if (word_is(w, n, dw->months[i][k]))
                return i + 1;
    if (word_is(w, n, dw->am))
        return 13;
    if (word_is(w, n, dw->pm))
        return 14;
    for (int i = 0; i < 7; i++)
        if (word_is(w, n, dw->days[i][0]) || word_is(w, n, dw->days[i][1]))
            return 15;
    static const WCHAR sept[] = u"sept";
    for (int i = 0; i < 12; i++)
        if (word_abbrev(w, n, month_names[i]) || (i == 8 && word_is(w, n, sept)))
            return i + 1;
    if ((n == 2 && w[0] == 'a' && w[1] == 'm') || (n == 1 && w[0] == 'a'))
        return 13;
    if ((n == 2 && w[0] == 'p' && w[1] == 'm') || (n == 1 && w[0] == 'p'))
        return 14;
    for (int i = 0; i < 7; i++)
        if (word_abbrev(w, n, day_names[i]))
            return 15;
    return 0;
}

/* a letter of a month or day name or designator: ASCII letters, and from U+00C0 on all but
 * punctuation and spaces */
static bool date_letter(WCHAR c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    return c >= 0xc0 && c != 0xd7 && c != 0xf7 && !(c >= 0x2000 && c <= 0x206f) &&
           !(c >= 0x3000 && c <= 0x3003) && c != 0xff0c && c != 0xff0e && c != 0xff1a;
}

HRESULT oa_date_from_str(const WCHAR *s, size_t len, uint32_t lcid, DATE *out)
{
    oa_locale l;
    oa_locale_get(lcid, &l);
    bool dmy = l.dmy, ymd = l.ymd;
    date_words dw;
    date_words_get(lcid, &dw);
    int num[3], ndig[3], nnum = 0, month = 0, ampm = 0;
    int tim[3], ntim = 0, have_time = 0;
    size_t i = 0;
    while (i < len) {
        WCHAR c = s[i];
        if (c >= '0' && c <= '9') {
            int v = 0, dig = 0;
            for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, dig++)
                if (v < 100000)
                    v = v * 10 + (s[i] - '0');
            if ((i < len && s[i] == ':') || (have_time && ntim && s[i - dig - 1] == ':')) {
                if (ntim >= 3 || (have_time && ntim && s[i - dig - 1] != ':'))
                    return OA_DISP_E_TYPEMISMATCH;
                have_time = 1;
                tim[ntim++] = v;
                if (i < len && s[i] == ':')
                    i++;
                continue;
            }
            if (nnum >= 3)
                return OA_DISP_E_TYPEMISMATCH;
            num[nnum] = v;
            ndig[nnum++] = dig;
        } else if (date_letter(c)) {
            WCHAR w[OA_DATE_WORD];
            size_t n = 0;
            for (; i < len && date_letter(s[i]); i++)
                if (n < OA_DATE_WORD)
                    w[n++] = nt_towlower(s[i]);
            if (i < len && s[i] == '.')
                i++; /* "Jan." */
            int k = n < OA_DATE_WORD ? date_word(w, n, &dw) : 0;
            if (!k)
                return OA_DISP_E_TYPEMISMATCH;
            if (k <= 12) {
                if (month)
                    return OA_DISP_E_TYPEMISMATCH;
                month = k;
            } else if (k <= 14) {
                if (ampm)
                    return OA_DISP_E_TYPEMISMATCH;
                ampm = k - 12;
                size_t j = i, first;
                while (j < len && (s[j] == ' ' || s[j] == 0xa0))
                    j++;
                for (first = j; j < len && s[j] >= '0' && s[j] <= '9';)
                    j++;
                bool time_next = j > first && j < len && s[j] == ':'; /* "PM 3:04" (ko, zh) */
                if (!have_time && !time_next) { /* "3 PM": the last number is the hour */
                    if (!nnum)
                        return OA_DISP_E_TYPEMISMATCH;
                    tim[0] = num[--nnum];
                    ntim = 1;
                    have_time = 1;
                }
            }
        } else if (c == ' ' || c == '\t' || c == ',' || c == '/' || c == '-' || c == '.' ||
                   c == 0xa0) {
            i++;
        } else {
            return OA_DISP_E_TYPEMISMATCH;
        }
    }
    if (!nnum && !month && !have_time)
        return OA_DISP_E_TYPEMISMATCH;

    int64_t day = 0;
    if (nnum || month) {
        int y, m, d, ydig = 4;
        SYSTEMTIME now;
        if (month) {
            m = month;
            if (nnum == 2) {
                int yfirst = num[0] > 31 || ndig[0] > 2;
                d = yfirst ? num[1] : num[0];
                y = yfirst ? num[0] : num[1];
                ydig = yfirst ? ndig[0] : ndig[1];
            } else if (nnum == 1 && (num[0] > 31 || ndig[0] > 2)) {
                d = 1;
                y = num[0];
                ydig = ndig[0];
            } else if (nnum == 1) {
                GetLocalTime(&now);
                d = num[0];
                y = now.wYear;
            } else {
                return OA_DISP_E_TYPEMISMATCH;
            }
        } else if (nnum == 3) {
            if (num[0] > 31 || ndig[0] > 2 || (ymd && num[2] <= 31 && ndig[2] <= 2)) { /* Y M D */
                y = num[0], m = num[1], d = num[2], ydig = ndig[0];
            } else {                          /* M D Y (D M Y) */
                m = num[dmy], d = num[!dmy], y = num[2], ydig = ndig[2];
                if (m > 12 && d <= 12) {
                    int t = m;
                    m = d;
                    d = t;
                }
            }
        } else if (nnum == 2) {
            if (num[1] > 31 || ndig[1] > 2) { /* M Y */
                m = num[0], d = 1, y = num[1], ydig = ndig[1];
            } else {                          /* M D (D M) of this year */
                GetLocalTime(&now);
                m = num[dmy], d = num[!dmy], y = now.wYear;
                if (m > 12 && d <= 12) {
                    int t = m;
                    m = d;
                    d = t;
                }
            }
        } else {
            return OA_DISP_E_TYPEMISMATCH;
        }
        if (ydig <= 2)
            y += y < 30 ? 2000 : 1900;
        if (m < 1 || m > 12 || y < 100 || y > 9999 || d < 1 || d > month_days(y, m))
            return OA_DISP_E_TYPEMISMATCH;
        day = days_from_civil(y, m, d) - OA_DATE_EPOCH;
    }
    int64_t sec = 0;
    if (have_time) {
        int h = tim[0], mi = ntim > 1 ? tim[1] : 0, se = ntim > 2 ? tim[2] : 0;
        if (ampm) {
            if (h < 1 || h > 12)
                return OA_DISP_E_TYPEMISMATCH;
            h = h % 12 + (ampm == 2 ? 12 : 0);
        }
        if (h > 23 || mi > 59 || se > 59)
            return OA_DISP_E_TYPEMISMATCH;
        sec = h * 3600 + mi * 60 + se;
    }
    *out = date_of(day, sec);
    return OA_S_OK;
}
