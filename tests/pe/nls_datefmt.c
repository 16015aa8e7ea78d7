/* kernel32's GetDateFormatEx/W/A and GetTimeFormatEx/W/A with the locale's own data: for every
 * locale kernel32 knows, the short and long date (DATE_SHORTDATE, DATE_LONGDATE) and the time
 * (0, TIME_NOSECONDS, TIME_NOMINUTESORSECONDS, TIME_NOTIMEMARKER, TIME_FORCE24HOURFORMAT) of an
 * afternoon and a morning; pictures with the locale's names (ddd dddd MMM MMMM), the genitive
 * month names where a day number goes with MMMM (ru-RU, pl-PL, cs-CZ, uk-UA: "5 декабря" but
 * "декабрь"), quoted text; by LCID (W) and in the locale's ANSI code page (A); and the errors
 * (a size query, a small buffer, DATE_SHORTDATE with DATE_LONGDATE, DATE_LONGDATE with a
 * picture, an invalid SYSTEMTIME; TIME_NOSECONDS goes with a picture).
 * Printed as UTF-8 (A forms: bytes in hex). Expected values: Microsoft's GetDateFormatEx and
 * GetTimeFormatEx pages (flags, errors, "use the genitive form when the day is in the
 * picture", as .NET's DateTimeFormatInfo documents it: dotnet/docs#40823) with the locales'
 * pictures of pe.nls_lctime. Wine 8.0 prints the same but where the locale data differ (see
 * pe.nls_lctime: de-DE's "dd.MM.yyyy", "Sa", "Dez"; ko-KR's 오전/오후), for "MMMM yyyy",
 * where Wine takes the genitive without a day number ("декабря 2026"), and for uk-UA's MMM
 * beside a day number, where Wine takes CLDR's abbreviated genitive "груд." and ntrun the
 * LOCALE_SABBREVMONTHNAME "гру" (ntrun has no abbreviated genitive names). */
#include <stdio.h>
#include <windows.h>

static void put(const WCHAR *w)
{
    char b[512];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof b, NULL, NULL);
    printf("%s", b);
}

static void date(const WCHAR *loc, DWORD flags, const SYSTEMTIME *st, const WCHAR *pic)
{
    WCHAR b[128] = {0};
    SetLastError(0xdeadbeef);
    int n = GetDateFormatEx(loc, flags, st, pic, b, 128, NULL);
    printf(" %d [", n);
    put(b);
    printf("]");
    if (!n)
        printf(" error %lu", GetLastError());
}

static void time_(const WCHAR *loc, DWORD flags, const SYSTEMTIME *st, const WCHAR *pic)
{
    WCHAR b[128] = {0};
    SetLastError(0xdeadbeef);
    int n = GetTimeFormatEx(loc, flags, st, pic, b, 128);
    printf(" %d [", n);
    put(b);
    printf("]");
    if (!n)
        printf(" error %lu", GetLastError());
}

int main(void)
{
    static const WCHAR *const locs[] = {
        L"en-US", L"de-DE", L"fr-FR", L"es-ES", L"ru-RU", L"ja-JP", L"zh-CN",
        L"it-IT", L"pt-BR", L"pt-PT", L"nl-NL", L"pl-PL", L"sv-SE", L"tr-TR",
        L"ko-KR", L"zh-TW", L"en-GB", L"cs-CZ", L"uk-UA"};
    /* Saturday, 5 December 2026, 15:04:05 and Tuesday, 3 March 2026, 09:07:08 */
    SYSTEMTIME pm = {2026, 12, 6, 5, 15, 4, 5, 0}, am = {2026, 3, 2, 3, 9, 7, 8, 0};
    for (size_t l = 0; l < sizeof locs / sizeof *locs; l++) {
        put(locs[l]);
        printf(":\n  short:");
        date(locs[l], DATE_SHORTDATE, &pm, NULL);
        date(locs[l], DATE_SHORTDATE, &am, NULL);
        printf("\n  long:");
        date(locs[l], DATE_LONGDATE, &pm, NULL);
        date(locs[l], DATE_LONGDATE, &am, NULL);
        printf("\n  time:");
        time_(locs[l], 0, &pm, NULL);
        time_(locs[l], 0, &am, NULL);
        printf("\n  NOSECONDS:");
        time_(locs[l], TIME_NOSECONDS, &pm, NULL);
        printf("\n  NOMINUTESORSECONDS:");
        time_(locs[l], TIME_NOMINUTESORSECONDS, &pm, NULL);
        printf("\n  NOTIMEMARKER:");
        time_(locs[l], TIME_NOTIMEMARKER, &pm, NULL);
        printf("\n  FORCE24HOURFORMAT:");
        time_(locs[l], TIME_FORCE24HOURFORMAT, &pm, NULL);
        printf("\n  pictures:");
        date(locs[l], 0, &pm, L"ddd d MMM");
        date(locs[l], 0, &pm, L"MMMM");
        date(locs[l], 0, &pm, L"d MMMM");
        date(locs[l], 0, &pm, L"MMMM yyyy");
        date(locs[l], 0, &pm, L"dddd MMMM");
        printf("\n");
    }
    printf("quoted and plain text:");
    date(L"de-DE", 0, &pm, L"'Heute ist' dddd, 'der' d. MMMM ''yy");
    date(L"en-US", 0, &am, L"y yy yyy yyyy M MM d dd");
    time_(L"en-US", 0, &am, L"h hh H HH m mm s ss t tt 'o''clock'");
    time_(L"en-US", 0, &pm, L"h hh H HH t tt");
    printf("\nby LCID (W, A):\n");
    static const LCID lcids[] = {0x0407, 0x0419, 0x0415, 0x0411, 0x041f, 0x0409};
    for (size_t i = 0; i < sizeof lcids / sizeof *lcids; i++) {
        WCHAR w[128] = {0};
        char a[128] = {0};
        int nw = GetDateFormatW(lcids[i], DATE_LONGDATE, &pm, NULL, w, 128);
        int na = GetDateFormatA(lcids[i], DATE_LONGDATE, &pm, NULL, a, sizeof a);
        int nt = GetTimeFormatA(lcids[i], 0, &am, NULL, a + 64, 64);
        printf("  %04lx: W %d [", (unsigned long)lcids[i], nw);
        put(w);
        printf("] A %d [", na);
        for (int k = 0; a[k]; k++)
            printf((unsigned char)a[k] < 0x80 ? "%c" : "<%02x>", (unsigned char)a[k]);
        printf("] time A %d [", nt);
        for (int k = 64; a[k]; k++)
            printf((unsigned char)a[k] < 0x80 ? "%c" : "<%02x>", (unsigned char)a[k]);
        printf("]\n");
    }
    printf("errors:\n");
    WCHAR b[8];
    SetLastError(0xdeadbeef);
    printf("  size query: %d\n", GetDateFormatEx(L"en-US", DATE_LONGDATE, &pm, NULL, NULL, 0, NULL));
    SetLastError(0xdeadbeef);
    int n = GetDateFormatEx(L"en-US", DATE_LONGDATE, &pm, NULL, b, 8, NULL);
    printf("  buffer of 8: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetDateFormatEx(L"en-US", DATE_LONGDATE | DATE_SHORTDATE, &pm, NULL, b, 8, NULL);
    printf("  SHORTDATE|LONGDATE: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetDateFormatEx(L"en-US", DATE_LONGDATE, &pm, L"d", b, 8, NULL);
    printf("  LONGDATE with a picture: %d error %lu\n", n, GetLastError());
    SetLastError(0xdeadbeef);
    n = GetTimeFormatEx(L"en-US", TIME_NOSECONDS, &pm, L"h", b, 8);
    printf("  NOSECONDS with a picture: %d [", n);
    put(n ? b : L"");
    printf("] error %lu\n", n ? 0 : GetLastError());
    SYSTEMTIME bad = pm;
    bad.wMonth = 13;
    SetLastError(0xdeadbeef);
    n = GetDateFormatEx(L"en-US", DATE_SHORTDATE, &bad, NULL, b, 8, NULL);
    printf("  month 13: %d error %lu\n", n, GetLastError());
    bad = pm;
    bad.wHour = 24;
    SetLastError(0xdeadbeef);
    n = GetTimeFormatEx(L"en-US", 0, &bad, NULL, b, 8);
    printf("  hour 24: %d error %lu\n", n, GetLastError());
    return 0;
}
