/* SPDX-License-Identifier: MIT */
/* The locale an LCID gives oleaut32's string conversions (kernel32's data: GetLocaleInfoW, and
 * GetDateFormatW/GetTimeFormatW for dates): its decimal separator (LOCALE_SDECIMAL), thousands
 * separator (LOCALE_STHOUSAND; where it is U+00A0 or U+202F, a plain space and either of those
 * are read as one too: people type a space, and Windows before 10 1809 wrote U+00A0 for fr-FR), currency symbol (LOCALE_SCURRENCY) and day-month-year order (LOCALE_SSHORTDATE).
 * The parsers and writers of varnum.c, parsenum.c and vardate.c work in en-US's form ('.' and
 * ','); a string is mapped to that form before it is read and a number's text back after it is
 * written. LOCALE_USER_DEFAULT (0x400) and LCIDs kernel32 has no data for are en-US. */
#include <stdlib.h>
#include <string.h>
#include "thunks/oleaut32/oleaut32_private.h"

int WINAPI GetLocaleInfoW(uint32_t lcid, uint32_t type, WCHAR *buf, int size);

#define OA_LOCALE_SDECIMAL 0x0e
#define OA_LOCALE_STHOUSAND 0x0f
#define OA_LOCALE_SCURRENCY 0x14
#define OA_LOCALE_SSHORTDATE 0x1f
#define OA_LOCALE_NOUSEROVERRIDE 0x80000000u

void oa_locale_get(uint32_t lcid, oa_locale *l)
{
    WCHAR b[16];
    memset(l, 0, sizeof *l);
    l->dec = '.';
    l->thou = ',';
    l->cur[0] = '$';
    if (GetLocaleInfoW(lcid, OA_LOCALE_SDECIMAL | OA_LOCALE_NOUSEROVERRIDE, b, 16) == 2)
        l->dec = b[0];
    if (GetLocaleInfoW(lcid, OA_LOCALE_STHOUSAND | OA_LOCALE_NOUSEROVERRIDE, b, 16) == 2)
        l->thou = b[0];
    if (GetLocaleInfoW(lcid, OA_LOCALE_SCURRENCY | OA_LOCALE_NOUSEROVERRIDE, b, 16) > 1)
        memcpy(l->cur, b, sizeof l->cur - sizeof(WCHAR));
    WCHAR pic[40];
    if (GetLocaleInfoW(lcid, OA_LOCALE_SSHORTDATE | OA_LOCALE_NOUSEROVERRIDE, pic, 40)) {
        const WCHAR *d = pic, *m = pic;
        while (*d && *d != 'd')
            d++;
        while (*m && *m != 'M')
            m++;
        l->dmy = *d && *m && d < m;
        l->ymd = pic[0] == 'y';
    }
}

bool oa_locale_is_us(const oa_locale *l)
{
    return l->dec == '.' && l->thou == ',' && l->cur[0] == '$' && !l->cur[1];
}

WCHAR *oa_locale_to_us(const oa_locale *l, const WCHAR *s, size_t len, bool keep_length)
{
    WCHAR *out = malloc((len + 1) * sizeof(WCHAR));
    if (!out)
        return NULL;
    size_t curlen = 0;
    while (curlen < 7 && l->cur[curlen])
        curlen++;
    bool space_thou = l->thou == 0xa0 || l->thou == 0x202f;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        WCHAR c = s[i];
        if (curlen && (curlen == 1 || !keep_length) && i + curlen <= len &&
            !memcmp(s + i, l->cur, curlen * sizeof(WCHAR))) {
            out[k++] = '$';
            i += curlen - 1;
        } else if (c == l->dec) {
            out[k++] = '.';
        } else if (c == l->thou || (space_thou && (c == ' ' || c == 0xa0 || c == 0x202f))) {
            out[k++] = ',';
        } else if (c == '.' || c == ',' || (c == '$' && !oa_locale_is_us(l))) {
            out[k++] = 1; /* en-US's separator, no separator of this locale: not a number */
        } else {
            out[k++] = c;
        }
    }
    out[k] = 0;
    return out;
}

void oa_locale_from_us(const oa_locale *l, WCHAR *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '.')
            s[i] = l->dec;
}
