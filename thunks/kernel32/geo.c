/* SPDX-License-Identifier: MIT */
/* The user's geographical location: GetUserGeoID, GetUserDefaultGeoName, GetGeoInfoW/A. ICU
 * (Node.js's Intl) asks GetUserGeoID(GEOCLASS_NATION) and GetGeoInfoW(GEO_ISO2) for the region
 * that picks the Olson name of the Windows time zone.
 *
 * The user's home location follows the user locale, which is en-US under ntrun (nls.c): the
 * United States, GEOID 244, as on a Windows installed in English for that country. Only the
 * nation class has a location set (another class: GEOID_NOT_AVAILABLE). GetGeoInfo knows the
 * nations of the locales kernel32 has data for (en-US de-DE fr-FR es-ES ru-RU ja-JP zh-CN) and
 * the GEOTYPEs below, in English; another GEOID or GEOTYPE is ERROR_INVALID_PARAMETER (a GEOTYPE
 * Windows has but with no data here, such as GEO_LATITUDE or GEO_OFFICIALNAME, is refused the same way, not
 * invented). Sizes are in characters with the terminating NUL; a size of 0 asks for the size;
 * a buffer too small is ERROR_INSUFFICIENT_BUFFER. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_GEOCLASS_NATION 16
#define K32_GEOID_NOT_AVAILABLE (-1)
#define K32_GEOID_US 244

/* GEOTYPE */
enum {
    K32_GEO_NATION = 1,
    K32_GEO_ISO2 = 4,
    K32_GEO_ISO3 = 5,
    K32_GEO_FRIENDLYNAME = 8,
    K32_GEO_ISO_UN_NUMBER = 12,
    K32_GEO_DIALINGCODE = 14,
    K32_GEO_CURRENCYCODE = 15,
    K32_GEO_CURRENCYSYMBOL = 16,
    K32_GEO_NAME = 17,
};

/* UTF-8; arrays, not pointers: read-only data the dynamic linker never writes at start */
typedef struct k32_geo {
    int32_t id;
    char iso2[4], iso3[4], un[4], friendly[24], dial[8], currency[4], symbol[8];
} k32_geo;

static const k32_geo k32_geos[] = {
    {244, "US", "USA", "840", "United States", "1", "USD", "$"},
    {94, "DE", "DEU", "276", "Germany", "49", "EUR", "\xe2\x82\xac"},
    {84, "FR", "FRA", "250", "France", "33", "EUR", "\xe2\x82\xac"},
    {217, "ES", "ESP", "724", "Spain", "34", "EUR", "\xe2\x82\xac"},
    {203, "RU", "RUS", "643", "Russia", "7", "RUB", "\xe2\x82\xbd"},
    {122, "JP", "JPN", "392", "Japan", "81", "JPY", "\xc2\xa5"},
    {45, "CN", "CHN", "156", "China", "86", "CNY", "\xc2\xa5"},
};

/* GEOID GetUserGeoID(GEOCLASS) */
int32_t WINAPI GetUserGeoID(DWORD geoclass)
{
    return geoclass == K32_GEOCLASS_NATION ? K32_GEOID_US : K32_GEOID_NOT_AVAILABLE;
}
THK_EXPORT(kernel32, GetUserGeoID, 1);

/* The value of `type` for `id` (UTF-8, in *buf when it is made), or NULL. */
static const char *k32_geo_value(int32_t id, DWORD type, char *num, size_t num_size)
{
    const k32_geo *g = NULL;
    for (size_t i = 0; i < sizeof k32_geos / sizeof k32_geos[0]; i++)
        if (k32_geos[i].id == id)
            g = &k32_geos[i];
    if (!g)
        return NULL;
    switch (type) {
    case K32_GEO_NATION:
        snprintf(num, num_size, "%d", (int)g->id);
        return num;
    case K32_GEO_ISO2:
    case K32_GEO_NAME:
        return g->iso2;
    case K32_GEO_ISO3: return g->iso3;
    case K32_GEO_FRIENDLYNAME: return g->friendly;
    case K32_GEO_ISO_UN_NUMBER: return g->un;
    case K32_GEO_DIALINGCODE: return g->dial;
    case K32_GEO_CURRENCYCODE: return g->currency;
    case K32_GEO_CURRENCYSYMBOL: return g->symbol;
    default: return NULL;
    }
}

/* Copies `s` (UTF-16, `len` characters and a NUL) out by the size protocol. */
static int k32_geo_put(const WCHAR *s, size_t len, WCHAR *buf, int size)
{
    if (size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    int need = (int)len + 1;
    if (size == 0)
        return need;
    if (size < need) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    WCHAR nul = 0;
    if (rt_safe_copy(buf, s, len * sizeof(WCHAR)) || rt_safe_copy(buf + len, &nul, sizeof nul)) {
        thk_set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return need;
}

/* int GetGeoInfoW(GEOID Location, GEOTYPE GeoType, LPWSTR lpGeoData, int cchData,
 *                 LANGID LangId) */
int WINAPI GetGeoInfoW(int32_t id, DWORD type, WCHAR *buf, int size, WORD lang)
{
    (void)lang; /* the names are English whatever the language */
    char num[16];
    const char *v = k32_geo_value(id, type, num, sizeof num);
    if (!v) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    size_t len;
    WCHAR *w = nt_utf8_to_utf16(v, strlen(v), &len);
    if (!w) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    int r = k32_geo_put(w, len, buf, size);
    free(w);
    return r;
}
THK_EXPORT(kernel32, GetGeoInfoW, 5);

/* The A form: the same text in the ANSI code page, sizes in bytes. */
int WINAPI GetGeoInfoA(int32_t id, DWORD type, char *buf, int size, WORD lang)
{
    int n = GetGeoInfoW(id, type, NULL, 0, lang);
    if (n == 0)
        return 0;
    WCHAR *w = malloc((size_t)n * sizeof(WCHAR));
    if (!w) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    GetGeoInfoW(id, type, w, n, lang);
    int need = WideCharToMultiByte(0 /* CP_ACP */, 0, w, n, NULL, 0, NULL, NULL);
    int r = 0;
    if (size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
    } else if (size == 0) {
        r = need;
    } else if (size < need) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
    } else {
        r = WideCharToMultiByte(0, 0, w, n, buf, size, NULL, NULL);
    }
    free(w);
    return r;
}
THK_EXPORT(kernel32, GetGeoInfoA, 5);

/* int GetUserDefaultGeoName(LPWSTR geoName, int geoNameCount): the ISO 3166 code, "US". */
int WINAPI GetUserDefaultGeoName(WCHAR *buf, int size)
{
    static const WCHAR us[] = {'U', 'S'};
    return k32_geo_put(us, 2, buf, size);
}
THK_EXPORT(kernel32, GetUserDefaultGeoName, 2);
