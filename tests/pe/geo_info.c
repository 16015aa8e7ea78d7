/* The user's geographical location as ICU (Node.js's Intl) asks for it to name the time zone:
 * GetUserGeoID(GEOCLASS_NATION) is the United States (244) for ntrun's en-US user, and an
 * unknown class has none (GEOID_NOT_AVAILABLE); GetGeoInfoW/A give a nation's ISO codes, names,
 * numbers and currency by the size protocol (0: the size with the NUL; too small:
 * ERROR_INSUFFICIENT_BUFFER); an unknown GEOID is ERROR_INVALID_PARAMETER. Wine 8.0 prints the
 * same lines, but for the friendly names, which it does not have
 * (ERROR_CALL_NOT_IMPLEMENTED). */
#include <windows.h>
#include <stdio.h>

static void show(GEOID id, GEOTYPE type, const char *what)
{
    WCHAR buf[64];
    SetLastError(0);
    int need = GetGeoInfoW(id, type, NULL, 0, 0);
    int n = GetGeoInfoW(id, type, buf, 64, 0);
    printf("%d %s: size %d, got %d", (int)id, what, need, n);
    if (n) {
        printf(" \"");
        for (int i = 0; i < n - 1; i++)
            printf(buf[i] < 128 ? "%c" : "\\u%04x", buf[i]);
        printf("\"\n");
    } else {
        printf(", error %lu\n", GetLastError());
    }
}

int main(void)
{
    GEOID me = GetUserGeoID(GEOCLASS_NATION);
    printf("GetUserGeoID(GEOCLASS_NATION): %d\n", (int)me);
    printf("GetUserGeoID(99): %d\n", (int)GetUserGeoID(99));
    show(me, GEO_ISO2, "GEO_ISO2");
    show(me, GEO_ISO3, "GEO_ISO3");
    show(me, GEO_NATION, "GEO_NATION");
    show(me, GEO_FRIENDLYNAME, "GEO_FRIENDLYNAME");
    show(me, GEO_CURRENCYCODE, "GEO_CURRENCYCODE");
    show(me, GEO_ISO_UN_NUMBER, "GEO_ISO_UN_NUMBER");
    show(94, GEO_ISO2, "GEO_ISO2");
    show(94, GEO_FRIENDLYNAME, "GEO_FRIENDLYNAME");
    show(122, GEO_ISO3, "GEO_ISO3");
    show(0x7fff0000, GEO_ISO2, "GEO_ISO2");

    WCHAR small[2];
    SetLastError(0);
    int n = GetGeoInfoW(me, GEO_ISO3, small, 2, 0);
    printf("too small: %d, error %lu\n", n, GetLastError());

    char a[16];
    n = GetGeoInfoA(me, GEO_ISO3, a, sizeof a, 0);
    printf("GetGeoInfoA(GEO_ISO3): %d \"%s\"\n", n, n ? a : "");
    return 0;
}
