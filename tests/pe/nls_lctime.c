/* kernel32's LC_TIME locale data by name and by LCID: GetLocaleInfoEx and GetLocaleInfoW of
 * LOCALE_SABBREVDAYNAME1..7 and SDAYNAME1..7 (Monday first), SABBREVMONTHNAME1..12,
 * SMONTHNAME1..12, S1159/S2359, SSHORTDATE, SLONGDATE, STIMEFORMAT and LOCALE_SNAME for en-US,
 * de-DE, fr-FR, es-ES, ru-RU, ja-JP, zh-CN, it-IT, pt-BR, pt-PT, nl-NL, pl-PL, sv-SE, tr-TR,
 * ko-KR, zh-TW, en-GB, cs-CZ and uk-UA, printed as UTF-8; GetLocaleInfoA in the locale's ANSI
 * code page (1251, 932, 936, 1250, 1254, 1252: the bytes in hex); LocaleNameToLCID and
 * LCIDToLocaleName.
 * Expected values: Windows 10 takes these from CLDR; Wine 8.0 (locale data built from CLDR)
 * prints the same for every locale but de-DE, where Windows 10 has "Mo" and "dd.MM.yyyy" (as
 * ntrun's earlier tables and tests/msvc/ucrt_locale_time.c record) and Wine "Mo." and
 * "d.M.yyyy"; ko-KR, whose AM/PM are CLDR's 오전/오후 (Wine: AM/PM); and en-GB, where Windows
 * keeps "Sep" (CLDR and Wine: "Sept"; PowerShell/PowerShell#18165 shows Windows' NLS "Sep").
 * The names of it-IT .. uk-UA were also checked against CLDR 42 through Debian's libicu72.
 * Not confirmed on a Windows machine: Windows 10's ja-JP short date may be yyyy/MM/dd. */
#include <stdio.h>
#include <windows.h>

static void put(const WCHAR *w)
{
    char b[512];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof b, NULL, NULL);
    printf("%s", b);
}

static void list(const WCHAR *loc, const char *what, LCTYPE first, int n)
{
    WCHAR b[128];
    printf("  %s:", what);
    for (int i = 0; i < n; i++) {
        b[0] = 0;
        GetLocaleInfoEx(loc, first + i, b, 128);
        printf(" [");
        put(b);
        printf("]");
    }
    printf("\n");
}

int main(void)
{
    static const WCHAR *const locs[] = {
        L"en-US", L"de-DE", L"fr-FR", L"es-ES", L"ru-RU", L"ja-JP", L"zh-CN",
        L"it-IT", L"pt-BR", L"pt-PT", L"nl-NL", L"pl-PL", L"sv-SE", L"tr-TR",
        L"ko-KR", L"zh-TW", L"en-GB", L"cs-CZ", L"uk-UA"};
    static const struct { const char *name; LCTYPE type; } one[] = {
        {"S1159", LOCALE_S1159},         {"S2359", LOCALE_S2359},
        {"SSHORTDATE", LOCALE_SSHORTDATE}, {"SLONGDATE", LOCALE_SLONGDATE},
        {"STIMEFORMAT", LOCALE_STIMEFORMAT}, {"SNAME", LOCALE_SNAME}};
    for (size_t l = 0; l < sizeof locs / sizeof *locs; l++) {
        put(locs[l]);
        printf(" (LCID %04lx)\n", (unsigned long)LocaleNameToLCID(locs[l], 0));
        list(locs[l], "SABBREVDAYNAME", LOCALE_SABBREVDAYNAME1, 7);
        list(locs[l], "SDAYNAME", LOCALE_SDAYNAME1, 7);
        list(locs[l], "SABBREVMONTHNAME", LOCALE_SABBREVMONTHNAME1, 12);
        list(locs[l], "SMONTHNAME", LOCALE_SMONTHNAME1, 12);
        for (int i = 0; i < 6; i++) {
            WCHAR b[128] = {0};
            int n = GetLocaleInfoEx(locs[l], one[i].type, b, 128);
            printf("  %s: %d [", one[i].name, n);
            put(b);
            printf("]\n");
        }
    }
    /* by LCID, W and A */
    static const LCID lcids[] = {0x0419, 0x0411, 0x0804, 0x0c0a, 0x0415, 0x041f, 0x0405,
                                 0x0422, 0x0816, 0x0809};
    for (size_t i = 0; i < sizeof lcids / sizeof *lcids; i++) {
        WCHAR w[128] = {0}, name[16] = {0};
        char a[128] = {0};
        int nw = GetLocaleInfoW(lcids[i], LOCALE_SDAYNAME4, w, 128);
        int na = GetLocaleInfoA(lcids[i], LOCALE_SDAYNAME4, a, sizeof a);
        int nn = LCIDToLocaleName(lcids[i], name, 16, 0);
        printf("LCID %04lx: %d ", (unsigned long)lcids[i], nn);
        put(name);
        printf(" SDAYNAME4 W %d [", nw);
        put(w);
        printf("] A %d [", na);
        for (int k = 0; a[k]; k++)
            printf((unsigned char)a[k] < 0x80 ? "%c" : "<%02x>", (unsigned char)a[k]);
        printf("]\n");
    }
    return 0;
}
