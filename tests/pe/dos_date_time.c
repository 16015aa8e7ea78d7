/* FileTimeToDosDateTime and DosDateTimeToFileTime: MS-DOS (FAT, zip) dates and times, packed as
 * date = (year - 1980) << 9 | month << 5 | day and time = hour << 11 | minute << 5 | second / 2.
 * The range's two ends (1980-01-01, 2107-12-31 23:59:58), an odd second rounded down and the
 * milliseconds dropped, a leap day; the year before and after the range and a negative
 * FILETIME fail with ERROR_INVALID_PARAMETER. Back: every field checked (month 0 and 13, day
 * 0, 30 February, 29 February of 1981, hour 24, minute 60, a seconds field of 30, i.e. 60 s),
 * ERROR_INVALID_PARAMETER and the FILETIME left as it was on a failure (kernelbase's
 * RtlTimeFieldsToTime checks, as ReactOS has them). Wine 8.0 differs in three lines: 2108
 * wraps to 1980 (date 0021), a failed DosDateTimeToFileTime sets no last error, and 29
 * February 1981 becomes 1 March. 7-Zip 26 (7z.exe a -tzip) stopped at the first. */
#include <windows.h>
#include <stdio.h>

static FILETIME ft_of(WORD y, WORD mo, WORD d, WORD h, WORD mi, WORD s, WORD ms)
{
    SYSTEMTIME st = {y, mo, 0, d, h, mi, s, ms};
    FILETIME ft = {0, 0};
    if (!SystemTimeToFileTime(&st, &ft))
        printf("SystemTimeToFileTime failed for %u-%u-%u\n", y, mo, d);
    return ft;
}

static void to_dos(const char *what, FILETIME ft)
{
    WORD date = 0xcccc, time = 0xcccc;
    SetLastError(0xdeadbeef);
    BOOL ok = FileTimeToDosDateTime(&ft, &date, &time);
    if (ok)
        printf("%s: date %04x time %04x\n", what, date, time);
    else
        printf("%s: FALSE error %lu, date %04x time %04x\n", what, GetLastError(), date, time);
}

static void from_dos(const char *what, WORD date, WORD time)
{
    FILETIME ft = {0x11111111, 0x22222222};
    SYSTEMTIME st;
    SetLastError(0xdeadbeef);
    BOOL ok = DosDateTimeToFileTime(date, time, &ft);
    if (!ok) {
        printf("%s: FALSE error %lu, ft %s\n", what, GetLastError(),
               ft.dwLowDateTime == 0x11111111 && ft.dwHighDateTime == 0x22222222 ? "untouched"
                                                                                  : "written");
        return;
    }
    FileTimeToSystemTime(&ft, &st);
    printf("%s: %04u-%02u-%02u %02u:%02u:%02u.%03u (%08lx%08lx)\n", what, st.wYear, st.wMonth,
           st.wDay, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds, ft.dwHighDateTime,
           ft.dwLowDateTime);
}

int main(void)
{
    to_dos("1980-01-01 00:00:00", ft_of(1980, 1, 1, 0, 0, 0, 0));
    to_dos("2107-12-31 23:59:59.999", ft_of(2107, 12, 31, 23, 59, 59, 999));
    to_dos("2024-02-29 12:34:57.500", ft_of(2024, 2, 29, 12, 34, 57, 500));
    to_dos("2026-12-06 08:05:02", ft_of(2026, 12, 6, 8, 5, 2, 0));
    to_dos("1979-12-31 23:59:59", ft_of(1979, 12, 31, 23, 59, 59, 0));
    to_dos("2108-01-01 00:00:00", ft_of(2108, 1, 1, 0, 0, 0, 0));
    FILETIME negative = {0, 0x80000000};
    to_dos("negative", negative);

    from_dos("0021 0000", 0x0021, 0x0000);
    from_dos("ff9f bf7d", 0xff9f, 0xbf7d);
    from_dos("585d 645c", 0x585d, 0x645c);
    from_dos("leap day 2024", (44 << 9) | (2 << 5) | 29, (12 << 11) | (34 << 5) | 28);
    from_dos("seconds field 29", 0x0021, 29);
    from_dos("seconds field 30", 0x0021, 30);
    from_dos("minute 60", 0x0021, 60 << 5);
    from_dos("hour 24", 0x0021, 24 << 11);
    from_dos("month 0", (0 << 5) | 1, 0);
    from_dos("month 13", (13 << 5) | 1, 0);
    from_dos("day 0", 1 << 5, 0);
    from_dos("30 February 2000", (20 << 9) | (2 << 5) | 30, 0);
    from_dos("29 February 1981", (1 << 9) | (2 << 5) | 29, 0);
    from_dos("29 February 2000", (20 << 9) | (2 << 5) | 29, 0);
    from_dos("date 0", 0, 0);

    /* a round trip keeps every even second */
    int bad = 0;
    for (WORD date = (10 << 9) | (1 << 5) | 1; date < ((10 << 9) | (13 << 5)); date += 0x1f) {
        for (WORD t = 0; t < 0xc000; t += 0x3a1) {
            FILETIME ft;
            WORD d2, t2;
            if (!DosDateTimeToFileTime(date, t, &ft))
                continue;
            if (!FileTimeToDosDateTime(&ft, &d2, &t2) || d2 != date || t2 != t)
                bad++;
        }
    }
    printf("round trips that differ: %d\n", bad);
    return 0;
}
