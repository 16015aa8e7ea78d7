/* SPDX-License-Identifier: MIT */
/* Finding a string in another: FindNLSStringEx / FindNLSString (linguistic, with CompareString's
 * collation and flags: .NET's culture-aware IndexOf, LastIndexOf, StartsWith and EndsWith in its
 * NLS mode) and FindStringOrdinal (code unit by code unit, optionally with the one-to-one upper
 * case of CompareStringOrdinal).
 *
 * A linguistic match is a source range [start, end) that CompareString finds equal to the value:
 * FIND_FROMSTART takes the first start and its shortest range, FIND_FROMEND the last start,
 * FIND_STARTSWITH only start 0 and FIND_ENDSWITH only ranges ending at the source's end (Windows'
 * answers, as Wine's kernel32 tests record them: "--" in "opt1--opt2--opt3" is at 4 from the
 * start, 10 from the end; "-oss--" is not in "x-oss-security"). Ranges are tried only where the
 * primary weights agree, so a search costs about the source's length times the value's.
 * Matches follow the collation model of nls.c: "ss" is found in "stra\u00dfe" (U+00DF weighs
 * as "ss"), "e\u0301" matches U+00E9, katakana match hiragana under NORM_IGNOREKANATYPE and
 * fullwidth letters their ASCII forms under NORM_IGNOREWIDTH. A match starts and ends at a
 * character's edge: "s" alone is not found in U+00DF. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_FIND_STARTSWITH 0x00100000u
#define K32_FIND_ENDSWITH 0x00200000u
#define K32_FIND_FROMSTART 0x00400000u
#define K32_FIND_FROMEND 0x00800000u
#define K32_FIND_ANY (K32_FIND_STARTSWITH | K32_FIND_ENDSWITH | K32_FIND_FROMSTART | K32_FIND_FROMEND)

/* The length of the shortest range from `start` equal to the value (ending at n only, with
 * FIND_ENDSWITH), 0 if none. */
static size_t k32_find_at(DWORD flags, const WCHAR *src, size_t n, size_t start, const WCHAR *val,
                          size_t m)
{
    DWORD cmp = flags & ~K32_FIND_ANY;
    size_t end = k32_collate_match_primaries(cmp, src, n, start, val, m);
    if (end == SIZE_MAX)
        return 0;
    if (end == start)
        end++; /* a range holds one character at least */
    /* the range may go on over characters without a primary weight, up to the next one */
    size_t last = end;
    while (last < n && !k32_collate_has_primary(src[last], cmp))
        last++;
    if (flags & K32_FIND_ENDSWITH) {
        if (last != n)
            return 0;
        end = n;
    }
    for (; end <= last && end <= n; end++)
        if (k32_collate(cmp, src + start, end - start, val, m) == 0)
            return end - start;
    return 0;
}

static int k32_find_nls(DWORD flags, const WCHAR *src, int srclen, const WCHAR *val, int vallen,
                        int *found)
{
    const DWORD valid = K32_FIND_ANY | K32_COLLATE_VALID_FLAGS;
    DWORD mode = flags & K32_FIND_ANY;
    if (!src || !srclen || srclen < -1 || !val || !vallen || vallen < -1) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return -1;
    }
    if ((flags & ~valid) || (mode & (mode - 1))) { /* the find flags exclude each other */
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return -1;
    }
    size_t n = srclen < 0 ? nt_wcslen(src) : (size_t)srclen;
    size_t m = vallen < 0 ? nt_wcslen(val) : (size_t)vallen;
    thk_set_last_error(ERROR_SUCCESS); /* "completed successfully but yielded no results" */
    size_t len = 0;
    if (mode & (K32_FIND_FROMEND | K32_FIND_ENDSWITH)) {
        for (size_t start = n; start-- > 0;)
            if ((len = k32_find_at(flags, src, n, start, val, m))) {
                if (found)
                    *found = (int)len;
                return (int)start;
            }
        return -1;
    }
    size_t starts = mode == K32_FIND_STARTSWITH ? 1 : n;
    for (size_t start = 0; start < starts; start++)
        if ((len = k32_find_at(flags, src, n, start, val, m))) {
            if (found)
                *found = (int)len;
            return (int)start;
        }
    return -1;
}

/* int FindNLSStringEx(LPCWSTR lpLocaleName, DWORD dwFindNLSStringFlags, LPCWSTR lpStringSource,
 *     int cchSource, LPCWSTR lpStringValue, int cchValue, LPINT pcchFound,
 *     LPNLSVERSIONINFO lpVersionInformation, LPVOID lpReserved, LPARAM sortHandle)
 * The index of the match (-1: none, or an error), its length in *pcchFound. The sort handle
 * (LCMapStringEx's LCMAP_SORTHANDLE token) and the version are not needed: every locale sorts
 * alike here. */
int WINAPI FindNLSStringEx(const WCHAR *locale, DWORD flags, const WCHAR *src, int srclen,
                           const WCHAR *val, int vallen, int *found, void *version,
                           void *reserved, LONG_PTR handle)
{
    (void)version; (void)reserved; (void)handle;
    if (!k32_locale_name_known(locale)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return -1;
    }
    return k32_find_nls(flags, src, srclen, val, vallen, found);
}
THK_EXPORT(kernel32, FindNLSStringEx, 10);

int WINAPI FindNLSString(DWORD lcid, DWORD flags, const WCHAR *src, int srclen, const WCHAR *val,
                         int vallen, int *found)
{
    if (!k32_locale_lcid_known(lcid)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return -1;
    }
    return k32_find_nls(flags, src, srclen, val, vallen, found);
}
THK_EXPORT(kernel32, FindNLSString, 7);

/* int FindStringOrdinal(DWORD dwFindStringOrdinalFlags, LPCWSTR lpStringSource, int cchSource,
 *     LPCWSTR lpStringValue, int cchValue, BOOL bIgnoreCase)
 * Exactly one find flag; empty strings are allowed (an empty value is found at the start, or
 * at the end with FIND_FROMEND / FIND_ENDSWITH); success and not found both clear the last error
 * (Windows' answers, recorded by Wine's kernel32 tests). */
int WINAPI FindStringOrdinal(DWORD flags, const WCHAR *src, int srclen, const WCHAR *val,
                             int vallen, BOOL ignore_case)
{
    if (!src || !val) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return -1;
    }
    if (flags != K32_FIND_FROMSTART && flags != K32_FIND_FROMEND && flags != K32_FIND_STARTSWITH &&
        flags != K32_FIND_ENDSWITH) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return -1;
    }
    size_t n = srclen < 0 ? nt_wcslen(src) : (size_t)srclen;
    size_t m = vallen < 0 ? nt_wcslen(val) : (size_t)vallen;
    thk_set_last_error(ERROR_SUCCESS);
    if (m > n)
        return -1;
    bool forward = flags & (K32_FIND_FROMSTART | K32_FIND_STARTSWITH);
    size_t count = flags & (K32_FIND_FROMSTART | K32_FIND_FROMEND) ? n - m + 1 : 1;
    for (size_t k = 0; k < count; k++) {
        size_t at = forward ? k : n - m - k;
        size_t i = 0;
        for (; i < m; i++) {
            WCHAR a = src[at + i], b = val[i];
            if (ignore_case) {
                a = k32_towupper(a);
                b = k32_towupper(b);
            }
            if (a != b)
                break;
        }
        if (i == m)
            return (int)at;
    }
    return -1;
}
THK_EXPORT(kernel32, FindStringOrdinal, 6);
