/* SPDX-License-Identifier: MIT */
/* UTF-8 <-> UTF-16 conversion (the ANSI code page is UTF-8) and Windows-style case-insensitive
 * name comparison. Invalid input (bad UTF-8 sequences, lone surrogates) becomes U+FFFD. */
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "ntemu/ntemu_private.h"

size_t nt_wcslen(const WCHAR *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    while (s[n])
        n++;
    return n;
}

/* Decodes one code point from s[*i..len), advancing *i; U+FFFD for an invalid sequence (one
 * byte consumed). */
static uint32_t utf8_decode(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    uint32_t cp, min;
    int extra;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        extra = 1, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        extra = 2, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return 0xfffd;
    }
    if (*i + (size_t)extra >= len) { /* truncated sequence */
        (*i)++;
        return 0xfffd;
    }
    for (int k = 1; k <= extra; k++) {
        unsigned char cc = s[*i + (size_t)k];
        if ((cc & 0xc0) != 0x80) {
            (*i)++;
            return 0xfffd;
        }
        cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        (*i)++;
        return 0xfffd;
    }
    *i += (size_t)extra + 1;
    return cp;
}

WCHAR *nt_utf8_to_utf16(const char *s, size_t len, size_t *out_len)
{
    /* every byte gives at most one WCHAR (4-byte sequences give two WCHARs) */
    WCHAR *out = malloc((len + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t n = nt_utf8_to_utf16_into(s, len, out);
    if (out_len)
        *out_len = n;
    return out;
}

size_t nt_utf8_to_utf16_into(const char *s, size_t len, WCHAR *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) { /* ASCII, most of what a start converts (the environment) */
            out[n++] = u[i++];
            continue;
        }
        uint32_t cp = utf8_decode(u, len, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[n++] = (WCHAR)(0xd800 | (cp >> 10));
            out[n++] = (WCHAR)(0xdc00 | (cp & 0x3ff));
        } else {
            out[n++] = (WCHAR)cp;
        }
    }
    out[n] = 0;
    return n;
}

char *nt_utf16_to_utf8(const WCHAR *s, size_t len, size_t *out_len)
{
    /* every WCHAR gives at most 3 bytes (a surrogate pair gives 4 for 2 WCHARs) */
    char *out = malloc(len * 3 + 1);
    size_t n = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = s[i];
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < len && s[i + 1] >= 0xdc00 &&
            s[i + 1] <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (s[i + 1] - 0xdc00u);
            i++;
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            cp = 0xfffd;
        }
        if (cp < 0x80) {
            out[n++] = (char)cp;
        } else if (cp < 0x800) {
            out[n++] = (char)(0xc0 | (cp >> 6));
            out[n++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out[n++] = (char)(0xe0 | (cp >> 12));
            out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (char)(0x80 | (cp & 0x3f));
        } else {
            out[n++] = (char)(0xf0 | (cp >> 18));
            out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
            out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (char)(0x80 | (cp & 0x3f));
        }
    }
    out[n] = 0;
    if (out_len)
        *out_len = n;
    return out;
}

/* ---- case folding ----
 * Windows compares file, object and registry key names by upper-casing both sides with its
 * simple (one-to-one) case table (RtlUpcaseUnicodeChar); kernel32's CompareStringOrdinal,
 * CharUpper/CharLower and LCMapString without LCMAP_LINGUISTIC_CASING use the same tables.
 * Windows' tables hold only the Unicode simple mappings that map back: a letter goes to its
 * upper case U only when U's lower case is the letter again. So U+0131 (dotless i, whose upper
 * case I lowers to i), U+017F (long s), U+00B5 (micro sign, whose capital U+039C lowers to
 * U+03BC), U+03C2 (final sigma), U+01C5 (title-case Dz) stay as they are, and in the lower
 * table U+0130 (I with dot), U+212A (Kelvin) and U+2126 (Ohm) do. The NTFS $UpCase table
 * Windows 7/8 write (ntfs-3g's ntfs_upcase_table_build, checked against Windows' by md5)
 * leaves U+00B5, U+0131, U+017F, U+01C5 and U+03C2 alone; .NET's ordinal casing (which
 * matches CompareStringOrdinal) special-cases U+0131 and U+017F, and its invariant casing
 * (LCMapStringEx) U+0131 and U+0130. glibc's C.UTF-8 locale gives the Unicode simple
 * mappings; without it only ASCII folds. */
static locale_t nt_utf8_locale;
static pthread_once_t nt_locale_once = PTHREAD_ONCE_INIT;

static void nt_locale_init(void)
{
    nt_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static WCHAR nt_case_map(WCHAR c, bool upper)
{
    if (c >= 0xd800 && c <= 0xdfff)
        return c;
    pthread_once(&nt_locale_once, nt_locale_init);
    if (!nt_utf8_locale)
        return c;
    locale_t l = nt_utf8_locale;
    wint_t m = upper ? towupper_l((wint_t)c, l) : towlower_l((wint_t)c, l);
    if (m == (wint_t)c || m > 0xffff)
        return c;
    wint_t back = upper ? towlower_l(m, l) : towupper_l(m, l);
    return back == (wint_t)c ? (WCHAR)m : c;
}

WCHAR nt_towupper(WCHAR c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 32) : c;
    return nt_case_map(c, true);
}

WCHAR nt_towlower(WCHAR c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? (WCHAR)(c + 32) : c;
    return nt_case_map(c, false);
}

static uint32_t upper_cp(uint32_t cp)
{
    if (cp < 0x10000)
        return nt_towupper((WCHAR)cp);
    return cp;
}

bool nt_name_equal_utf8(const char *a, const char *b)
{
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    size_t la = strlen(a), lb = strlen(b), i = 0, j = 0;
    while (i < la && j < lb) {
        if (ua[i] < 0x80 && ub[j] < 0x80) {
            unsigned char ca = ua[i], cb = ub[j];
            if (ca >= 'a' && ca <= 'z')
                ca -= 32;
            if (cb >= 'a' && cb <= 'z')
                cb -= 32;
            if (ca != cb)
                return false;
            i++, j++;
            continue;
        }
        if (upper_cp(utf8_decode(ua, la, &i)) != upper_cp(utf8_decode(ub, lb, &j)))
            return false;
    }
    return i == la && j == lb;
}

int nt_wcsicmp_n(const WCHAR *a, size_t alen, const WCHAR *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++) {
        WCHAR ca = nt_towupper(a[i]), cb = nt_towupper(b[i]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}
