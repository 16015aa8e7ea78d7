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
#define TEXT_(loc, name) { L##loc, LOCALE_##name, #name, 0 }
#define NUM_(loc, name) { L##loc, LOCALE_##name, #name, 1 }
    static const struct { const WCHAR *loc; LCTYPE type; const char *what; int is_number; } cases[] = {
        TEXT_("en-US", SNAME),
        NUM_("en-US", INEUTRAL),
        TEXT_("en-US", SPARENT),
        TEXT_("en-US", SENGLISHDISPLAYNAME),
        TEXT_("en-US", SNATIVEDISPLAYNAME),
        TEXT_("en-US", SNAN),
        TEXT_("en-US", SPOSINFINITY),
        TEXT_("en-US", SNEGINFINITY),
        TEXT_("en-US", SPERCENT),
        TEXT_("en-US", SPERMILLE),
        NUM_("en-US", IPOSITIVEPERCENT),
        NUM_("en-US", INEGATIVEPERCENT),
        NUM_("en-US", IREADINGLAYOUT),
        TEXT_("en-US", SSORTLOCALE),
        TEXT_("en-US", SCONSOLEFALLBACKNAME),
        TEXT_("en-US", SSHORTESTDAYNAME1),
        TEXT_("en-US", SSHORTESTDAYNAME7),
        TEXT_("en-US", SISO639LANGNAME2),
        TEXT_("en-US", SISO3166CTRYNAME2),
        NUM_("en-US", IGEOID),
        TEXT_("en-US", SYEARMONTH),
        TEXT_("en-US", SMONTHDAY),
        TEXT_("en", SNAME),
        NUM_("en", INEUTRAL),
        TEXT_("en", SPARENT),
        NUM_("en", ILANGUAGE),
        TEXT_("en", SENGLISHDISPLAYNAME),
        NUM_("de-DE", INEUTRAL),
        TEXT_("de-DE", SPARENT),
        TEXT_("de-DE", SSORTLOCALE),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        (cases[i].is_number ? number : text)(cases[i].loc, cases[i].type, cases[i].what);
    return 0;
}
