/* The locale data .NET's CultureInfo reads through GetLocaleInfoEx when it runs without ICU
 * (NLS mode), as azmcp.exe does: for en-US the neutral flag, parent, display names, NaN and
 * infinity, percent and per-mille signs and patterns, reading layout, sort and console
 * fallback names, shortest day names, ISO 639-2/3166 alpha-3 names, geo id, year-month and
 * month-day pictures; a neutral locale ("en": its name, LOCALE_INEUTRAL 1, the invariant
 * locale "" as its parent, its language id 9, as CultureInfo("en").LCID is on Windows; Wine
 * 8.0 says en-US's 1033); another locale's parent and sort name (de-DE). */
#include <windows.h>
#include <stdio.h>

static void text(const WCHAR *loc, LCTYPE type, const char *what)
{
    WCHAR buf[100];
    int n = GetLocaleInfoEx(loc, type, buf, 100);
    if (!n) {
        printf("%ls %s: error %lu\n", loc, what, GetLastError());
        return;
    }
    printf("%ls %s (%d):", loc, what, n);
    for (int i = 0; buf[i]; i++)
        printf(buf[i] < 0x80 ? "%c" : "<U+%04X>", buf[i]);
    printf("\n");
}

static void number(const WCHAR *loc, LCTYPE type, const char *what)
{
    DWORD v = 0xcccccccc;
    int n = GetLocaleInfoEx(loc, type | LOCALE_RETURN_NUMBER, (WCHAR *)&v, sizeof v / sizeof(WCHAR));
    if (!n)
        printf("%ls %s: error %lu\n", loc, what, GetLastError());
    else
        printf("%ls %s: %lu\n", loc, what, (unsigned long)v);
}

int main(void)
{
    const WCHAR *us = L"en-US";
    text(us, LOCALE_SNAME, "SNAME");
    number(us, LOCALE_INEUTRAL, "INEUTRAL");
    text(us, LOCALE_SPARENT, "SPARENT");
    text(us, LOCALE_SENGLISHDISPLAYNAME, "SENGLISHDISPLAYNAME");
    text(us, LOCALE_SNATIVEDISPLAYNAME, "SNATIVEDISPLAYNAME");
    text(us, LOCALE_SNAN, "SNAN");
    text(us, LOCALE_SPOSINFINITY, "SPOSINFINITY");
    text(us, LOCALE_SNEGINFINITY, "SNEGINFINITY");
    text(us, LOCALE_SPERCENT, "SPERCENT");
    text(us, LOCALE_SPERMILLE, "SPERMILLE");
    number(us, LOCALE_IPOSITIVEPERCENT, "IPOSITIVEPERCENT");
    number(us, LOCALE_INEGATIVEPERCENT, "INEGATIVEPERCENT");
    number(us, LOCALE_IREADINGLAYOUT, "IREADINGLAYOUT");
    text(us, LOCALE_SSORTLOCALE, "SSORTLOCALE");
    text(us, LOCALE_SCONSOLEFALLBACKNAME, "SCONSOLEFALLBACKNAME");
    text(us, LOCALE_SSHORTESTDAYNAME1, "SSHORTESTDAYNAME1");
    text(us, LOCALE_SSHORTESTDAYNAME7, "SSHORTESTDAYNAME7");
    text(us, LOCALE_SISO639LANGNAME2, "SISO639LANGNAME2");
    text(us, LOCALE_SISO3166CTRYNAME2, "SISO3166CTRYNAME2");
    number(us, LOCALE_IGEOID, "IGEOID");
    text(us, LOCALE_SYEARMONTH, "SYEARMONTH");
    text(us, LOCALE_SMONTHDAY, "SMONTHDAY");

    const WCHAR *en = L"en";
    text(en, LOCALE_SNAME, "SNAME");
    number(en, LOCALE_INEUTRAL, "INEUTRAL");
    text(en, LOCALE_SPARENT, "SPARENT");
    number(en, LOCALE_ILANGUAGE, "ILANGUAGE");
    text(en, LOCALE_SENGLISHDISPLAYNAME, "SENGLISHDISPLAYNAME");

    const WCHAR *de = L"de-DE";
    number(de, LOCALE_INEUTRAL, "INEUTRAL");
    text(de, LOCALE_SPARENT, "SPARENT");
    text(de, LOCALE_SSORTLOCALE, "SSORTLOCALE");
    return 0;
}
