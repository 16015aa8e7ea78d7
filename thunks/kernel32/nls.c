/* SPDX-License-Identifier: MIT */
/* kernel32 national language support: code-page conversions (MultiByteToWideChar,
 * WideCharToMultiByte), code-page queries, lstr* functions, CompareString, locale queries and
 * FormatMessage; plus the A/W string helpers the other kernel32 files share.
 *
 * Code pages: the ANSI code page is UTF-8 (GetACP() == 65001; CP_ACP, CP_MACCP and
 * CP_THREAD_ACP too), and so is the console's (GetConsoleOutputCP: ntrun's console is a UTF-8
 * terminal). The OEM code page is 437, as on en-US Windows: console programs convert what they
 * write to a pipe or file with GetOEMCP() and a default character ("?"), which Windows refuses
 * for UTF-8 (Wine's cmd, attrib, xcopy, reg print nothing then). The other code pages come
 * from generated tables (codepage.h, from Python's codecs and glibc's iconv by
 * cmake/gen_codepages.py): the single-byte 1250-1254, 1257, 437, 850, 866, ISO-8859-1 (28591),
 * US-ASCII (20127) and the double-byte 932 (Shift-JIS), 936 (GBK), 949 (Unified Hangul Code)
 * and 950 (Big5). They convert as Windows' table code pages do:
 * - WideCharToMultiByte uses the page's best-fit mappings (U+0100 -> 'A' in 1252) unless
 *   WC_NO_BEST_FIT_CHARS is given; a best-fit mapping is not a use of the default character.
 *   ntrun's best fits come from rules over Unicode data and a look-alike list
 *   (gen_codepages.py; U+2013 -> '-' in 437, U+221E -> '8' in 1252), not Windows' own tables:
 *   docs/design.md gives how far they agree per page.
 *   A unit the page lacks (each unit of a surrogate pair too), and with WC_NO_BEST_FIT_CHARS
 *   one that does not convert back to itself, becomes lpDefaultChar (its first byte; in a
 *   double-byte page both bytes when the second is not NUL) or the page's DefaultChar, and
 *   sets *lpUsedDefaultChar. A double-byte character never goes half into a short buffer.
 * - MultiByteToWideChar: in the double-byte pages a lead byte takes the next byte with it; an
 *   undefined pair is the page's UnicodeDefaultChar (932: U+30FB, others '?'), and so is a
 *   lead byte at the end or before a NUL (which stays a character of its own). MB_ERR_INVALID_CHARS refuses
 *   undefined codes, single bytes that Windows maps into the private use area (1253's 0xAA,
 *   0xD2, 0xFF; 936's 0xFF; 936's user-defined pairs are valid) and a lead byte
 *   without its trail byte with ERROR_NO_UNICODE_TRANSLATION, before anything is converted.
 *   MB_USEGLYPHCHARS gives the OEM pages' glyphs for control bytes (437: 0x01 -> U+263A).
 * Not done: WC_COMPOSITECHECK composition and MB_COMPOSITE decomposition (the flags are
 * accepted and convert character by character).
 *
 * The UTF-8 decoder follows Windows: an ill-formed sequence becomes one U+FFFD per maximal
 * subpart (Unicode 3.9, Table 3-8; Windows 10 gives the same answers for the sequences it was
 * checked with), encoded surrogates and overlong forms are ill-formed, and MB_ERR_INVALID_CHARS
 * turns any of them into ERROR_NO_UNICODE_TRANSLATION once the whole input is converted (a short
 * buffer is reported first). WC_ERR_INVALID_CHARS does the same for unpaired surrogates.
 * Explicit CP_UTF8 validates flags and lpDefaultChar/lpUsedDefaultChar as Windows does; the
 * ANSI/OEM aliases accept the flags and default-character arguments that programs written for
 * a legacy ANSI code page pass (an unpaired surrogate then counts as a default-character use).
 * (Windows 10 was not available to check encoded surrogates and code points above U+10FFFF;
 * Wine 8 answers with fewer U+FFFD there.)
 *
 * Collation (CompareString, lstrcmp, LCMapString's sort keys, FindNLSString) is a compact
 * model of the Windows default table, not the full NLS data: symbols sort before digits before
 * letters; letters compare case-insensitively and without diacritics first, then by diacritic,
 * then by a third level of case (lower first), width (fullwidth after) and kana type
 * (katakana before hiragana), each cleared by its flag (NORM_IGNORECASE, NORM_IGNOREWIDTH,
 * NORM_IGNOREKANATYPE); in the default word sort '-' and '\'' are ignored except as a final
 * tie-break. Accented letters weigh as their base letter plus their marks' weights
 * (generated from Unicode's decompositions: U+00C0-U+024F, U+1E00-U+1EFF, the kana with
 * voicing marks, half-width katakana), so a combining sequence equals the precomposed letter
 * (e + U+0301 = U+00E9) and the marks order as Windows orders them (acute < grave <
 * circumflex < diaeresis < tilde < ring); U+00DF = "ss", U+00C6 = "AE", U+0152 = "OE" at every
 * level; katakana weigh as hiragana. The ASCII order, the tie-breaks and these rules were
 * checked against Wine 8 (which uses Windows' sort tables). Not modelled: a combining mark
 * without a base (ignored; Windows gives it a diacritic weight), small kana, the order of
 * scripts other than Latin (by code point after Latin), other expansions and contractions.
 * Locale data is
 * en-US's (LCID 0x409) for every locale, but for LC_TIME's values of the locales
 * cmake/glibc_locale.py lists (en-US, de-DE, fr-FR, es-ES, ru-RU, ja-JP, zh-CN, it-IT, pt-BR,
 * pt-PT, nl-NL, pl-PL, sv-SE, tr-TR, ko-KR, zh-TW, en-GB, cs-CZ, uk-UA: day and month names,
 * the genitive month names of GetDateFormat (datefmt.c), AM/PM, short/long date and time
 * pictures, from generated/nls_lctime.h: cmake/gen_lctime.py), their number and currency
 * values (LOCALE_SDECIMAL .. LOCALE_INEGCURR, LOCALE_SLIST, LOCALE_IMEASURE, the sign positions:
 * generated/nls_lcnumeric.h, cmake/gen_lcnumeric.py; GetNumberFormat/GetCurrencyFormat in
 * nls_format.c) and their names (LOCALE_SNAME,
 * LOCALE_SISO639LANGNAME, LOCALE_SISO3166CTRYNAME, LCIDToLocaleName, LocaleNameToLCID);
 * the user's and system's locale stay en-US. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/codepage.h"
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/resource.h"
#include "nls_lctime.h"
#include "nls_lcnumeric.h"
#include "thunks/kernel32/lcnumeric.h"
#include "thunks/kernel32/nls_tables.h"
#define NLS_COLLATION_TABLES
#include "crt_codepages.h"

#define K32_CP_MACCP 2
#define K32_CP_THREAD_ACP 3
#define K32_CP_437 437

#define K32_MB_PRECOMPOSED 0x01
#define K32_MB_COMPOSITE 0x02
#define K32_MB_USEGLYPHCHARS 0x04
#define K32_MB_ERR_INVALID_CHARS 0x08
#define K32_WC_COMPOSITECHECK 0x200
#define K32_WC_DISCARDNS 0x10
#define K32_WC_SEPCHARS 0x20
#define K32_WC_DEFAULTCHAR 0x40
#define K32_WC_ERR_INVALID_CHARS 0x80
#define K32_WC_NO_BEST_FIT_CHARS 0x400

/* ======================================================================================== */
/* String helpers shared by the kernel32 files                                              */
/* ======================================================================================== */

/* kernel32's case mapping (CharUpper/CharLower, CompareStringOrdinal, LCMapString without
 * LCMAP_LINGUISTIC_CASING, the word-sort weights) is Windows' one-to-one table, the one
 * RtlUpcaseUnicodeChar uses: ntemu/utf.c says which Unicode mappings it leaves out. */
WCHAR k32_towupper(WCHAR c)
{
    return nt_towupper(c);
}

static WCHAR k32_towlower(WCHAR c)
{
    return nt_towlower(c);
}

int k32_wcsnicmp(const WCHAR *a, const WCHAR *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        WCHAR x = k32_towupper(a[i]), y = k32_towupper(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            return 0;
    }
    return 0;
}

WCHAR *k32_a_to_w(const char *s, bool *ok)
{
    if (ok)
        *ok = true;
    if (!s)
        return NULL;
    WCHAR *w = nt_utf8_to_utf16(s, strlen(s), NULL);
    if (!w && ok)
        *ok = false;
    return w;
}

bool k32_arg_w(const char *a, WCHAR **w)
{
    bool ok;
    *w = k32_a_to_w(a, &ok);
    if (!ok)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return ok;
}

bool k32_args_w(const char *a, WCHAR **wa, const char *b, WCHAR **wb, const char *c, WCHAR **wc)
{
    *wa = *wb = NULL;
    if (wc)
        *wc = NULL;
    if (k32_arg_w(a, wa) && k32_arg_w(b, wb) && (!wc || k32_arg_w(c, wc)))
        return true;
    free(*wa);
    free(*wb);
    *wa = *wb = NULL;
    return false;
}

char *k32_w_to_a(const WCHAR *s, size_t len)
{
    return nt_utf16_to_utf8(s, len, NULL);
}

DWORD k32_return_w(const WCHAR *s, size_t len, WCHAR *buf, DWORD size)
{
    if (size > len && buf) {
        memcpy(buf, s, len * sizeof(WCHAR));
        buf[len] = 0;
        return (DWORD)len;
    }
    return (DWORD)(len + 1);
}

DWORD k32_return_a(const WCHAR *s, size_t len, char *buf, DWORD size)
{
    size_t alen = 0;
    char *a = nt_utf16_to_utf8(s, len, &alen);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD r;
    if (size > alen && buf) {
        memcpy(buf, a, alen + 1);
        r = (DWORD)alen;
    } else {
        r = (DWORD)(alen + 1);
    }
    free(a);
    return r;
}

/* ======================================================================================== */
/* Code pages                                                                               */
/* ======================================================================================== */

/* A code page argument: UTF-8 (explicitly, or as the ANSI code page), or a table
 * (codepage.h). */
typedef struct k32_charset {
    bool utf8;
    bool strict_utf8; /* named CP_UTF8 explicitly: its flag rules apply */
    const nls_cp *table;
} k32_charset;

/* false for a code page ntrun lacks. */
static bool k32_charset_of(UINT cp, k32_charset *cs)
{
    *cs = (k32_charset){false, false, NULL};
    switch (cp) {
    case CP_UTF8:
        cs->utf8 = cs->strict_utf8 = true;
        return true;
    case CP_ACP:
    case K32_CP_MACCP:
    case K32_CP_THREAD_ACP:
        cs->utf8 = true;
        return true;
    case CP_OEMCP:
        cp = K32_CP_437;
        break;
    }
    cs->table = nls_cp_get(cp);
    return cs->table != NULL;
}

/* Decodes one UTF-8 character at s[*i] (n bytes in all). Returns the code point, or -1 for an
 * ill-formed maximal subpart (which is consumed). */
static int32_t k32_utf8_next(const uint8_t *s, size_t n, size_t *i)
{
    uint8_t b = s[*i];
    (*i)++;
    if (b < 0x80)
        return b;
    int need;
    uint8_t lo = 0x80, hi = 0xbf;
    uint32_t cp;
    if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        if (b == 0xe0)
            lo = 0xa0;
        else if (b == 0xed)
            hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        if (b == 0xf0)
            lo = 0x90;
        else if (b == 0xf4)
            hi = 0x8f;
    } else {
        return -1;
    }
    for (int k = 0; k < need; k++) {
        if (*i >= n || s[*i] < lo || s[*i] > hi)
            return -1;
        cp = (cp << 6) | (s[*i] & 0x3f);
        (*i)++;
        lo = 0x80;
        hi = 0xbf;
    }
    return (int32_t)cp;
}

/* Converts src from a table code page to UTF-16. dst NULL: count only. Returns the number of
 * WCHARs (0 with the last error set on failure: an invalid sequence with `strict`, checked
 * first, as Windows does; an insufficient buffer). */
static int k32_mb_to_wc_table(const nls_cp *t, bool strict, bool glyphs, const uint8_t *src,
                              size_t n, WCHAR *dst, size_t cap)
{
    uint16_t unit;
    bool valid;
    if (strict) {
        for (size_t i = 0; i < n;) {
            i += nls_cp_decode(t, src + i, n - i, glyphs, &unit, &valid);
            if (!valid) {
                thk_set_last_error(ERROR_NO_UNICODE_TRANSLATION);
                return 0;
            }
        }
    }
    size_t out = 0;
    for (size_t i = 0; i < n; out++) {
        i += nls_cp_decode(t, src + i, n - i, glyphs, &unit, &valid);
        if (dst) {
            if (out >= cap) {
                thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            dst[out] = unit;
        }
    }
    return (int)out;
}

/* Converts src from UTF-8 to UTF-16. dst NULL: count only. Returns the number of WCHARs (0
 * with the last error set on failure: insufficient buffer or, with `strict`, an invalid
 * sequence). */
static int k32_mb_to_wc(bool strict, const uint8_t *src, size_t n, WCHAR *dst, size_t cap)
{
    size_t out = 0, i = 0;
    bool invalid = false;
    while (i < n) {
        int32_t cp = k32_utf8_next(src, n, &i);
        if (cp < 0) {
            invalid = true;
            cp = 0xfffd;
        }
        size_t units = cp >= 0x10000 ? 2 : 1;
        if (dst) {
            if (out + units > cap) {
                thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            if (units == 2) {
                dst[out] = (WCHAR)(0xd800 + ((cp - 0x10000) >> 10));
                dst[out + 1] = (WCHAR)(0xdc00 + ((cp - 0x10000) & 0x3ff));
            } else {
                dst[out] = (WCHAR)cp;
            }
        }
        out += units;
        if (out > INT32_MAX) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
    }
    if (invalid && strict) { /* after the conversion: a short buffer is reported first */
        thk_set_last_error(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
    }
    return (int)out;
}

static int k32_encode_utf8(uint32_t cp, uint8_t *b)
{
    if (cp < 0x80) {
        b[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (uint8_t)(0xc0 | (cp >> 6));
        b[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (uint8_t)(0xe0 | (cp >> 12));
        b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (uint8_t)(0x80 | (cp & 0x3f));
        return 3;
    }
    b[0] = (uint8_t)(0xf0 | (cp >> 18));
    b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
    b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    b[3] = (uint8_t)(0x80 | (cp & 0x3f));
    return 4;
}

/* Converts UTF-16 to a table code page. dst NULL: count only. `defchar` (NULL: the page's
 * DefaultChar) replaces what cannot be converted, *used reports it; `best_fit`: without
 * WC_NO_BEST_FIT_CHARS. */
static int k32_wc_to_mb_table(const nls_cp *t, bool best_fit, const WCHAR *src, size_t n,
                              uint8_t *dst, size_t cap, const char *defchar, BOOL *used)
{
    uint16_t def = t->def_char;
    if (defchar)
        def = t->max_char > 1 && defchar[1]
                  ? (uint16_t)((uint8_t)defchar[0] << 8 | (uint8_t)defchar[1])
                  : (uint8_t)defchar[0];
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t code = nls_cp_wc(t, src[i]);
        if (!nls_cp_mapped(t, src[i], best_fit)) {
            code = def;
            if (used)
                *used = TRUE;
        }
        size_t len = code > 0xff ? 2 : 1;
        if (dst) {
            if (out + len > cap) {
                thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            if (len == 2)
                dst[out] = (uint8_t)(code >> 8);
            dst[out + len - 1] = (uint8_t)code;
        }
        out += len;
        if (out > INT32_MAX) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
    }
    return (int)out;
}

/* Converts UTF-16 to UTF-8. dst NULL: count only. `defchar` (NULL: U+FFFD) replaces an
 * unpaired surrogate; *used reports it. */
static int k32_wc_to_mb(bool strict, const WCHAR *src, size_t n, uint8_t *dst, size_t cap,
                        const char *defchar, BOOL *used)
{
    size_t out = 0;
    bool invalid = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t b[4];
        int len;
        uint32_t c = src[i];
        bool bad = false;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && src[i + 1] >= 0xdc00 &&
            src[i + 1] <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (src[i + 1] - 0xdc00);
            i++;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            bad = true;
        }
        if (bad) {
            invalid = true;
            if (used)
                *used = TRUE;
            if (defchar) {
                b[0] = (uint8_t)defchar[0];
                len = 1;
            } else {
                len = k32_encode_utf8(0xfffd, b);
            }
        } else {
            len = k32_encode_utf8(c, b);
        }
        if (dst) {
            if (out + (size_t)len > cap) {
                thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            memcpy(dst + out, b, (size_t)len);
        }
        out += (size_t)len;
        if (out > INT32_MAX) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
    }
    if (invalid && strict) {
        thk_set_last_error(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
    }
    return (int)out;
}

int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen)
{
    if (!src || srclen == 0 || dstlen < 0 || (dstlen > 0 && !dst) ||
        (dst && dstlen > 0 && (const void *)src == (const void *)dst)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    k32_charset cs;
    if (!k32_charset_of(cp, &cs)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    DWORD allowed = cs.strict_utf8 ? K32_MB_ERR_INVALID_CHARS
                                : (K32_MB_PRECOMPOSED | K32_MB_COMPOSITE | K32_MB_USEGLYPHCHARS |
                                   K32_MB_ERR_INVALID_CHARS);
    if ((flags & ~allowed) ||
        ((flags & K32_MB_PRECOMPOSED) && (flags & K32_MB_COMPOSITE))) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return 0;
    }
    size_t n = srclen < 0 ? strlen(src) + 1 : (size_t)srclen;
    bool strict = (flags & K32_MB_ERR_INVALID_CHARS) != 0;
    if (cs.table)
        return k32_mb_to_wc_table(cs.table, strict, (flags & K32_MB_USEGLYPHCHARS) != 0,
                                  (const uint8_t *)src, n, dstlen ? dst : NULL, (size_t)dstlen);
    return k32_mb_to_wc(strict, (const uint8_t *)src, n, dstlen ? dst : NULL, (size_t)dstlen);
}
THK_EXPORT(kernel32, MultiByteToWideChar, 6);

int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used)
{
    if (!src || srclen == 0 || dstlen < 0 || (dstlen > 0 && !dst) ||
        (dst && dstlen > 0 && (const void *)src == (const void *)dst)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    k32_charset cs;
    if (!k32_charset_of(cp, &cs)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (cs.strict_utf8) {
        if (flags & ~(DWORD)K32_WC_ERR_INVALID_CHARS) {
            thk_set_last_error(ERROR_INVALID_FLAGS);
            return 0;
        }
        if (defchar || used) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
    } else if (flags & ~(DWORD)(K32_WC_COMPOSITECHECK | K32_WC_DISCARDNS | K32_WC_SEPCHARS |
                                K32_WC_DEFAULTCHAR | K32_WC_ERR_INVALID_CHARS |
                                K32_WC_NO_BEST_FIT_CHARS)) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return 0;
    }
    size_t n = srclen < 0 ? nt_wcslen(src) + 1 : (size_t)srclen;
    BOOL used_local = FALSE;
    int r = cs.table ? k32_wc_to_mb_table(cs.table, !(flags & K32_WC_NO_BEST_FIT_CHARS), src, n,
                                          dstlen ? (uint8_t *)dst : NULL, (size_t)dstlen,
                                          defchar, used ? &used_local : NULL)
                     : k32_wc_to_mb(cs.strict_utf8 && (flags & K32_WC_ERR_INVALID_CHARS), src,
                                    n, dstlen ? (uint8_t *)dst : NULL, (size_t)dstlen, defchar,
                                    used ? &used_local : NULL);
    if (used)
        *used = used_local;
    return r;
}
THK_EXPORT(kernel32, WideCharToMultiByte, 8);

UINT WINAPI GetACP(void) { return CP_UTF8; }
THK_EXPORT(kernel32, GetACP, 0);
UINT WINAPI GetOEMCP(void) { return K32_CP_437; }
THK_EXPORT(kernel32, GetOEMCP, 0);

BOOL WINAPI IsValidCodePage(UINT cp)
{
    k32_charset cs;
    return cp != CP_ACP && cp != CP_OEMCP && cp != K32_CP_MACCP && cp != K32_CP_THREAD_ACP &&
           k32_charset_of(cp, &cs);
}
THK_EXPORT(kernel32, IsValidCodePage, 1);

typedef struct {
    UINT MaxCharSize;   /* 0x00 */
    BYTE DefaultChar[2];/* 0x04 */
    BYTE LeadByte[12];  /* 0x06 */
} CPINFO;
_Static_assert(sizeof(CPINFO) == 20, "CPINFO");

typedef struct {
    UINT MaxCharSize;        /* 0x00 */
    BYTE DefaultChar[2];     /* 0x04 */
    BYTE LeadByte[12];       /* 0x06 */
    WCHAR UnicodeDefaultChar;/* 0x12 */
    UINT CodePage;           /* 0x14 */
    char CodePageName[MAX_PATH]; /* 0x18 */
} CPINFOEXA;
_Static_assert(offsetof(CPINFOEXA, CodePage) == 0x14, "CPINFOEXA.CodePage");
_Static_assert(sizeof(CPINFOEXA) == 0x11c, "CPINFOEXA");

typedef struct {
    UINT MaxCharSize;
    BYTE DefaultChar[2];
    BYTE LeadByte[12];
    WCHAR UnicodeDefaultChar;
    UINT CodePage;
    WCHAR CodePageName[MAX_PATH]; /* 0x18 */
} CPINFOEXW;
_Static_assert(sizeof(CPINFOEXW) == 0x220, "CPINFOEXW");

/* What GetCPInfoExW tells of a code page (an alias: of the one it stands for); false when
 * unknown. */
static bool k32_cp_info(UINT cp, CPINFOEXW *info)
{
    k32_charset cs;
    if (!k32_charset_of(cp, &cs))
        return false;
    memset(info, 0, sizeof *info);
    info->DefaultChar[0] = '?';
    const char *name;
    if (cs.utf8) {
        info->MaxCharSize = 4;
        info->UnicodeDefaultChar = 0xfffd;
        info->CodePage = CP_UTF8;
        name = "65001 (UTF-8)";
    } else {
        info->MaxCharSize = cs.table->max_char;
        memcpy(info->LeadByte, cs.table->lead, sizeof info->LeadByte);
        info->UnicodeDefaultChar = cs.table->uni_def;
        if (cs.table->def_char > 0xff) {
            info->DefaultChar[0] = (BYTE)(cs.table->def_char >> 8);
            info->DefaultChar[1] = (BYTE)cs.table->def_char;
        } else {
            info->DefaultChar[0] = (BYTE)cs.table->def_char;
        }
        info->CodePage = cs.table->cp;
        name = cs.table->name;
    }
    for (size_t i = 0; name[i] && i < MAX_PATH - 1; i++)
        info->CodePageName[i] = (WCHAR)(uint8_t)name[i];
    return true;
}

BOOL WINAPI GetCPInfo(UINT cp, CPINFO *info)
{
    CPINFOEXW ex;
    if (!info || !k32_cp_info(cp, &ex)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    memcpy(info, &ex, sizeof *info);
    return TRUE;
}
THK_EXPORT(kernel32, GetCPInfo, 2);

BOOL WINAPI GetCPInfoExW(UINT cp, DWORD flags, CPINFOEXW *info)
{
    if (!info || !k32_cp_info(cp, info)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetCPInfoExW, 3);

BOOL WINAPI GetCPInfoExA(UINT cp, DWORD flags, CPINFOEXA *info)
{
    CPINFOEXW w;
    if (!info || !GetCPInfoExW(cp, flags, &w)) {
        if (!info)
            thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    memset(info, 0, sizeof *info);
    memcpy(info, &w, offsetof(CPINFOEXA, CodePageName));
    for (size_t i = 0; w.CodePageName[i]; i++)
        info->CodePageName[i] = (char)w.CodePageName[i];
    return TRUE;
}
THK_EXPORT(kernel32, GetCPInfoExA, 3);

/* The ANSI code page, UTF-8, has no lead bytes in the Windows (DBCS) sense. */
BOOL WINAPI IsDBCSLeadByteEx(UINT cp, BYTE b)
{
    k32_charset cs;
    if (!k32_charset_of(cp, &cs)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return cs.table && nls_cp_is_lead(cs.table, b);
}
THK_EXPORT(kernel32, IsDBCSLeadByteEx, 2);
BOOL WINAPI IsDBCSLeadByte(BYTE b) { return IsDBCSLeadByteEx(CP_ACP, b); }
THK_EXPORT(kernel32, IsDBCSLeadByte, 1);

/* ======================================================================================== */
/* lstr*                                                                                    */
/* ======================================================================================== */

/* Windows guards these with SEH: a bad pointer (NULL included) gives 0 (lstrlen) or NULL
 * (lstrcpy, lstrcpyn, lstrcat) and ERROR_INVALID_PARAMETER instead of an access violation.
 * Each reads and writes the program's memory through the fault-safe copy. lstrcmp(i) is not
 * guarded (a bad pointer faults inside CompareString, as in Wine and ReactOS). */
static size_t k32_lstr_len(const void *s, size_t unit, bool *bad)
{
    uint8_t buf[256];
    const uint8_t *p = s;
    size_t n = 0;
    *bad = false;
    for (;;) { /* a chunk never crosses a page the string may not reach */
        size_t chunk = 0x1000 - ((uintptr_t)p & 0xfff);
        if (chunk > sizeof buf)
            chunk = sizeof buf;
        chunk -= chunk % unit;
        if (!chunk)
            chunk = unit; /* a character split by a page boundary */
        if (rt_safe_copy(buf, p, chunk) != 0) {
            *bad = true;
            return 0;
        }
        for (size_t i = 0; i < chunk; i += unit, n++)
            if (buf[i] == 0 && (unit == 1 || buf[i + 1] == 0))
                return n;
        p += chunk;
    }
}

/* Copies src (with its terminator) to dst + at; false on a fault. */
static bool k32_lstr_copy(void *dst, size_t at, const void *src, size_t unit)
{
    bool bad;
    size_t n = k32_lstr_len(src, unit, &bad);
    if (bad)
        return false;
    const uint8_t *s = src;
    uint8_t *d = (uint8_t *)dst + at * unit;
    uint8_t buf[512];
    size_t total = (n + 1) * unit;
    if (d > s && d < s + total) { /* overlapping forward copy: go through a heap buffer */
        uint8_t *tmp = malloc(total);
        bool ok = tmp && rt_safe_copy(tmp, s, total) == 0 && rt_safe_copy(d, tmp, total) == 0;
        free(tmp);
        return ok;
    }
    for (size_t off = 0; off < total; off += sizeof buf) {
        size_t chunk = total - off < sizeof buf ? total - off : sizeof buf;
        if (rt_safe_copy(buf, s + off, chunk) != 0 || rt_safe_copy(d + off, buf, chunk) != 0)
            return false;
    }
    return true;
}

/* The guarded calls' answer to a fault. */
static void *k32_lstr_fault(void)
{
    thk_set_last_error(ERROR_INVALID_PARAMETER);
    return NULL;
}

static int k32_lstrlen(const void *s, size_t unit)
{
    bool bad;
    size_t n = k32_lstr_len(s, unit, &bad);
    if (bad)
        k32_lstr_fault();
    return (int)n;
}
int WINAPI lstrlenA(const char *s) { return k32_lstrlen(s, 1); }
THK_EXPORT(kernel32, lstrlenA, 1);
int WINAPI lstrlenW(const WCHAR *s) { return k32_lstrlen(s, 2); }
THK_EXPORT(kernel32, lstrlenW, 1);

char *WINAPI lstrcpyA(char *dst, const char *src)
{
    return k32_lstr_copy(dst, 0, src, 1) ? dst : k32_lstr_fault();
}
THK_EXPORT(kernel32, lstrcpyA, 2);

WCHAR *WINAPI lstrcpyW(WCHAR *dst, const WCHAR *src)
{
    return k32_lstr_copy(dst, 0, src, 2) ? dst : k32_lstr_fault();
}
THK_EXPORT(kernel32, lstrcpyW, 2);

/* lstrcpyn: at most n - 1 units and a terminator; n is taken as unsigned (a negative n copies
 * the whole string), 0 writes nothing. */
static void *k32_lstrcpyn(void *dst, const void *src, int n, size_t unit)
{
    uint32_t count = (uint32_t)n;
    size_t i = 0;
    uint16_t c = 0, zero = 0;
    if (!count)
        return dst;
    for (; i + 1 < count; i++) {
        if (rt_safe_copy(&c, (const uint8_t *)src + i * unit, unit) != 0)
            return k32_lstr_fault();
        if (!c)
            break;
        if (rt_safe_copy((uint8_t *)dst + i * unit, &c, unit) != 0)
            return k32_lstr_fault();
    }
    if (rt_safe_copy((uint8_t *)dst + i * unit, &zero, unit) != 0)
        return k32_lstr_fault();
    return dst;
}

char *WINAPI lstrcpynA(char *dst, const char *src, int n) { return k32_lstrcpyn(dst, src, n, 1); }
THK_EXPORT(kernel32, lstrcpynA, 3);
WCHAR *WINAPI lstrcpynW(WCHAR *dst, const WCHAR *src, int n) { return k32_lstrcpyn(dst, src, n, 2); }
THK_EXPORT(kernel32, lstrcpynW, 3);

static void *k32_lstrcat(void *dst, const void *src, size_t unit)
{
    bool bad;
    size_t at = k32_lstr_len(dst, unit, &bad);
    if (bad || !k32_lstr_copy(dst, at, src, unit))
        return k32_lstr_fault();
    return dst;
}

char *WINAPI lstrcatA(char *dst, const char *src) { return k32_lstrcat(dst, src, 1); }
THK_EXPORT(kernel32, lstrcatA, 2);
WCHAR *WINAPI lstrcatW(WCHAR *dst, const WCHAR *src) { return k32_lstrcat(dst, src, 2); }
THK_EXPORT(kernel32, lstrcatW, 2);

/* ======================================================================================== */
/* Collation                                                                                */
/* ======================================================================================== */

#define K32_NORM_IGNORECASE 0x00000001
#define K32_NORM_IGNORENONSPACE 0x00000002
#define K32_NORM_IGNORESYMBOLS 0x00000004
#define K32_SORT_DIGITSASNUMBERS 0x00000008
#define K32_LINGUISTIC_IGNORECASE 0x00000010
#define K32_LINGUISTIC_IGNOREDIACRITIC 0x00000020
#define K32_SORT_STRINGSORT 0x00001000
#define K32_NORM_IGNOREKANATYPE 0x00010000
#define K32_NORM_IGNOREWIDTH 0x00020000
#define K32_NORM_LINGUISTIC_CASING 0x08000000
#define K32_COLLATE_FLAGS                                                                       \
    (K32_NORM_IGNORECASE | K32_NORM_IGNORENONSPACE | K32_NORM_IGNORESYMBOLS |                   \
     K32_SORT_DIGITSASNUMBERS | K32_LINGUISTIC_IGNORECASE | K32_LINGUISTIC_IGNOREDIACRITIC |    \
     K32_SORT_STRINGSORT | K32_NORM_IGNOREKANATYPE | K32_NORM_IGNOREWIDTH |                     \
     K32_NORM_LINGUISTIC_CASING)
_Static_assert(K32_COLLATE_FLAGS == K32_COLLATE_VALID_FLAGS, "kernel32_private.h's copy");
#define K32_CSTR_LESS_THAN 1
#define K32_CSTR_EQUAL 2
#define K32_CSTR_GREATER_THAN 3

/* Order of the ASCII symbols and white space in the Windows default table (checked against
 * Wine 8, which uses Windows' sort data): then digits, then letters. */
static const char k32_symbol_order[] = "'-\t !\"#$%&()*,./:;?@[\\]^_`{|}~+<=>";

/* Latin-1 letters 0xc0..0xff without a decomposition nls_coll_base gives: their base letter */
static const char k32_latin1_base[64] = "AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTs"
                                        "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";

/* The third level: case, then width, then kana type, each a bit that its NORM_IGNORE* flag
 * clears (Windows: "a" < "A", "A" < fullwidth "A", katakana < hiragana; fullwidth "a" < "A"). */
#define K32_T_UPPER 4u
#define K32_T_WIDE 2u  /* a fullwidth form (and the kana, which are wide; half-width kana not) */
#define K32_T_HIRA 1u  /* hiragana (katakana and half-width katakana sort first) */

typedef struct {
    uint32_t primary;  /* 0: ignorable at the primary level */
    uint8_t diacritic; /* 0 none; the sum of the marks' weights (nls_mark_weight) */
    uint8_t third;     /* K32_T_* bits */
    bool word_ignored; /* '-' or '\'' under word sort: only a final tie-break */
} k32_weight;

static uint32_t k32_symbol_weight(WCHAR c)
{
    const char *p = c && c < 0x80 ? strchr(k32_symbol_order, (char)c) : NULL;
    if (p)
        return 0x10000u + (uint32_t)(p - k32_symbol_order);
    if (c == 0xa0)
        return 0x10000u + 3; /* no-break space sorts as space */
    return 0x10100u + c;     /* other symbols after the ASCII ones, by code point */
}

/* A combining mark's diacritic weight (0: not a mark): U+0300-U+036F and the kana voicing
 * marks U+3099, U+309A. */
static uint8_t k32_mark_weight(WCHAR c)
{
    if (c >= 0x300 && c < 0x370)
        return nls_mark_weight[c - 0x300];
    if (c == 0x3099)
        return NLS_DAKUTEN_WEIGHT;
    if (c == 0x309a)
        return NLS_HANDAKUTEN_WEIGHT;
    return 0;
}

/* The unit c collates as (itself when none) and its marks' weight, from the generated
 * decompositions (nls_coll_base: U+00E9 -> 'e' + acute, U+30AC -> U+30AB + voicing mark,
 * U+FF71 -> U+30A2). */
static WCHAR k32_coll_fold(WCHAR c, uint8_t *dia)
{
    static const uint16_t ranges[][3] = {{NLS_COLL_RANGE0}, {NLS_COLL_RANGE1}, {NLS_COLL_RANGE2},
                                         {NLS_COLL_RANGE3}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        if (c >= ranges[r][0] && c < ranges[r][1]) {
            size_t i = ranges[r][2] + (size_t)(c - ranges[r][0]);
            if (!nls_coll_base[i])
                return c;
            *dia = nls_coll_dia[i];
            return nls_coll_base[i];
        }
    return c;
}

static uint8_t k32_add_dia(uint8_t a, uint8_t b)
{
    return a + b > 0xff ? 0xff : (uint8_t)(a + b);
}

/* The weight of one character, and in *second the weight of the second character of an
 * expansion (U+00DF = "ss", U+00C6 = "AE", U+0152 = "OE"; primary 0 when none). */
static k32_weight k32_weigh(WCHAR c, DWORD flags, k32_weight *second)
{
    k32_weight w = {0};
    *second = w;
    if (c == 0 || (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0) || k32_mark_weight(c))
        return w; /* control characters and marks without a base are ignored */
    if (!(flags & K32_SORT_STRINGSORT) && (c == '-' || c == '\'' || c == 0xad)) {
        w.word_ignored = true;
        return w;
    }
    static const char expand[][3] = {{(char)0xdf, 's', 's'}, {(char)0xc6, 'A', 'E'},
                                     {(char)0xe6, 'a', 'e'}};
    for (size_t k = 0; k < sizeof expand / sizeof *expand; k++)
        if (c == (uint8_t)expand[k][0] || (c == 0x152 && k == 1) || (c == 0x153 && k == 2)) {
            WCHAR one = (WCHAR)expand[k][1], two = (WCHAR)expand[k][2];
            if (c == 0x152 || c == 0x153)
                one = c == 0x152 ? 'O' : 'o';
            k32_weight unused;
            *second = k32_weigh(two, flags, &unused);
            return k32_weigh(one, flags, &unused);
        }
    if (c >= 0xff01 && c <= 0xff5e) { /* fullwidth ASCII */
        c = (WCHAR)(c - 0xfee0);
        w.third |= K32_T_WIDE;
    } else if (c == 0x3000) {
        c = ' ';
        w.third |= K32_T_WIDE;
    } else if (c >= 0x3040 && c < 0x3100) {
        w.third |= K32_T_WIDE;
    }
    WCHAR base = k32_coll_fold(c, &w.diacritic);
    if (k32_mark_weight(base)) /* a half-width voicing mark alone */
        return (k32_weight){0};
    if (base >= 0x30a1 && base <= 0x30f6) {
        base = (WCHAR)(base - 0x60); /* katakana sort as hiragana, before them */
    } else if (base >= 0x3041 && base <= 0x3096) {
        w.third |= K32_T_HIRA;
    }
    if (base >= 0xc0 && base <= 0xff && k32_latin1_base[base - 0xc0])
        base = (WCHAR)(uint8_t)k32_latin1_base[base - 0xc0]; /* U+00DE/U+00FE: 'T'/'t' */
    if (base < 0x80 && ((base | 0x20) >= 'a' && (base | 0x20) <= 'z')) {
        if (base >= 'A' && base <= 'Z')
            w.third |= K32_T_UPPER;
        w.primary = 0x30000u + (uint32_t)((base | 0x20) - 'a') * 4;
        return w;
    }
    if (base >= '0' && base <= '9') {
        w.primary = 0x20000u + (uint32_t)(base - '0');
        return w;
    }
    if (base < 0xc0) {
        w.primary = k32_symbol_weight(base);
        return w;
    }
    /* Everything else: by its upper-case form after the Latin letters, case as a tie-break. */
    WCHAR up = k32_towupper(base);
    if (up == base && k32_towlower(base) != base)
        w.third |= K32_T_UPPER;
    w.primary = 0x40000u + up;
    return w;
}

#define K32_MAX_IGNORED 32

/* The characters word sort set aside: how many primary characters preceded each, and which. */
typedef struct {
    size_t n;
    size_t pos[K32_MAX_IGNORED];
    uint32_t weight[K32_MAX_IGNORED];
} k32_ignored;

/* A walk over a string's weights: the next index, and the second weight of an expansion not
 * yet given out. */
typedef struct {
    size_t i;
    k32_weight pending;
} k32_cursor;

static bool k32_weight_counts(k32_weight w, DWORD flags)
{
    return w.primary && !((flags & K32_NORM_IGNORESYMBOLS) && w.primary < 0x20000u);
}

/* The next weight of s (from the cursor) that has a primary weight; {0} at the end. Combining
 * marks after a character add to its diacritic weight (e + U+0301 weighs as U+00E9). Records
 * the word-sort-ignored characters passed on the way. */
static k32_weight k32_next_weight(const WCHAR *s, size_t n, k32_cursor *cur, DWORD flags,
                                  size_t primaries, k32_ignored *ign)
{
    if (cur->pending.primary) {
        k32_weight w = cur->pending;
        cur->pending = (k32_weight){0};
        return w;
    }
    while (cur->i < n) {
        WCHAR c = s[cur->i++];
        k32_weight second;
        k32_weight w = k32_weigh(c, flags, &second);
        if (w.word_ignored) {
            if (ign->n < K32_MAX_IGNORED) {
                ign->pos[ign->n] = primaries;
                ign->weight[ign->n] = k32_symbol_weight(c);
            }
            ign->n++;
        }
        if (!w.primary)
            continue;
        k32_weight *last = second.primary ? &second : &w;
        for (uint8_t m; cur->i < n && (m = k32_mark_weight(s[cur->i])); cur->i++)
            last->diacritic = k32_add_dia(last->diacritic, m);
        if (k32_weight_counts(w, flags)) {
            cur->pending = second;
            return w;
        }
    }
    return (k32_weight){0};
}

/* The third-level bits the flags keep. */
static uint8_t k32_third_mask(DWORD flags)
{
    uint8_t keep = K32_T_UPPER | K32_T_WIDE | K32_T_HIRA;
    if (flags & (K32_NORM_IGNORECASE | K32_LINGUISTIC_IGNORECASE))
        keep &= (uint8_t)~K32_T_UPPER;
    if (flags & K32_NORM_IGNOREWIDTH)
        keep &= (uint8_t)~K32_T_WIDE;
    if (flags & K32_NORM_IGNOREKANATYPE)
        keep &= (uint8_t)~K32_T_HIRA;
    return keep;
}

bool k32_collate_has_primary(WCHAR c, DWORD flags)
{
    k32_weight second;
    return k32_weight_counts(k32_weigh(c, flags, &second), flags);
}

uint32_t k32_collate_primary(WCHAR c, DWORD flags)
{
    k32_weight second;
    k32_weight w = k32_weigh(c, flags, &second);
    return k32_weight_counts(w, flags) ? w.primary : 0;
}

size_t k32_collate_match_primaries(DWORD flags, const WCHAR *src, size_t n, size_t start,
                                   const WCHAR *val, size_t m)
{
    k32_cursor a = {start, {0}}, b = {0, {0}};
    k32_ignored ign = {0};
    for (;;) {
        k32_weight wb = k32_next_weight(val, m, &b, flags, 0, &ign);
        if (!wb.primary)
            break;
        k32_weight wa = k32_next_weight(src, n, &a, flags, 0, &ign);
        if (wa.primary != wb.primary)
            return SIZE_MAX;
    }
    return a.pending.primary ? SIZE_MAX : a.i;
}

int k32_collate(DWORD flags, const WCHAR *s1, size_t n1, const WCHAR *s2, size_t n2)
{
    bool ignore_diacritic = flags & (K32_NORM_IGNORENONSPACE | K32_LINGUISTIC_IGNOREDIACRITIC);
    uint8_t third = k32_third_mask(flags);
    int diacritic_diff = 0, third_diff = 0;
    size_t seen = 0;
    k32_cursor i = {0, {0}}, j = {0, {0}};
    k32_ignored ign1 = {0}, ign2 = {0};
    for (;; seen++) {
        k32_weight a = k32_next_weight(s1, n1, &i, flags, seen, &ign1);
        k32_weight b = k32_next_weight(s2, n2, &j, flags, seen, &ign2);
        if (!a.primary && !b.primary)
            break;
        if (a.primary != b.primary)
            return a.primary < b.primary ? -1 : 1;
        if (!diacritic_diff && !ignore_diacritic && a.diacritic != b.diacritic)
            diacritic_diff = a.diacritic < b.diacritic ? -1 : 1;
        if (!third_diff && (a.third & third) != (b.third & third))
            third_diff = (a.third & third) < (b.third & third) ? -1 : 1;
    }
    if (diacritic_diff)
        return diacritic_diff;
    if (third_diff)
        return third_diff;
    /* word sort: the strings differ only by '-' and '\'': fewer of them sorts first, then the
     * one whose hyphen comes later ("coo-p" < "co-op"), then ' before - */
    if (ign1.n != ign2.n)
        return ign1.n < ign2.n ? -1 : 1;
    for (size_t k = 0; k < ign1.n && k < K32_MAX_IGNORED; k++) {
        if (ign1.pos[k] != ign2.pos[k])
            return ign1.pos[k] > ign2.pos[k] ? -1 : 1;
        if (ign1.weight[k] != ign2.weight[k])
            return ign1.weight[k] < ign2.weight[k] ? -1 : 1;
    }
    return 0;
}

/* LCMAP_SORTKEY's key (see kernel32_private.h): the levels k32_collate compares, in its order,
 * so that memcmp of two keys agrees with it. Level 1: each primary weight in 3 bytes (the first
 * 0x11 or more); level 2: each diacritic + 2; level 3: each third-level value (case, width,
 * kana type) + 2 (levels 2 and 3 empty when their flags ignore all they hold); level 4: the
 * count of word-sort-ignored characters, then for each (32 at most) how many primaries precede
 * it, inverted (a later one sorts first), and its weight, 3 bytes each. Levels end with 0x01,
 * the key with 0x00. */
static size_t k32_sort_key_emit(DWORD flags, const WCHAR *s, size_t n, uint8_t *out,
                                uint32_t *hash)
{
    bool ignore_diacritic = flags & (K32_NORM_IGNORENONSPACE | K32_LINGUISTIC_IGNOREDIACRITIC);
    uint8_t third = k32_third_mask(flags);
    size_t len = 0;
#define K32_KEY_PUT(b)                                                                          \
    do {                                                                                        \
        if (out)                                                                                \
            out[len] = (uint8_t)(b);                                                            \
        if (hash)                                                                               \
            *hash = (*hash ^ (uint8_t)(b)) * 16777619u; /* FNV-1a */                            \
        len++;                                                                                  \
    } while (0)
#define K32_KEY_PUT3(v)                                                                         \
    do {                                                                                        \
        K32_KEY_PUT((v) >> 16);                                                                 \
        K32_KEY_PUT((v) >> 8);                                                                  \
        K32_KEY_PUT(v);                                                                         \
    } while (0)
    for (int level = 1; level <= 3; level++) {
        size_t seen = 0;
        k32_cursor cur = {0, {0}};
        k32_ignored ign = {0};
        for (;; seen++) {
            k32_weight w = k32_next_weight(s, n, &cur, flags, seen, &ign);
            if (!w.primary)
                break;
            if (level == 1)
                K32_KEY_PUT3(w.primary + 0x100000u);
            else if (level == 2 && !ignore_diacritic)
                K32_KEY_PUT(w.diacritic + 2);
            else if (level == 3 && third)
                K32_KEY_PUT((w.third & third) + 2);
        }
        K32_KEY_PUT(1);
        if (level == 3) { /* level 4 from the last walk's record of ignored characters */
            K32_KEY_PUT3((uint32_t)(ign.n < 0xffffff ? ign.n : 0xffffff));
            for (size_t k = 0; k < ign.n && k < K32_MAX_IGNORED; k++) {
                K32_KEY_PUT3(0xffffffu - (uint32_t)(ign.pos[k] & 0xffffff));
                K32_KEY_PUT3(ign.weight[k]);
            }
        }
    }
    K32_KEY_PUT(0);
#undef K32_KEY_PUT3
#undef K32_KEY_PUT
    return len;
}

size_t k32_sort_key(DWORD flags, const WCHAR *s, size_t n, uint8_t *out)
{
    return k32_sort_key_emit(flags, s, n, out, NULL);
}

uint32_t k32_sort_hash(DWORD flags, const WCHAR *s, size_t n)
{
    uint32_t hash = 2166136261u;
    k32_sort_key_emit(flags, s, n, NULL, &hash);
    return hash;
}

int WINAPI CompareStringW(DWORD lcid, DWORD flags, const WCHAR *s1, int n1, const WCHAR *s2,
                          int n2)
{
    const DWORD valid = K32_COLLATE_FLAGS;
    if (!s1 || !s2) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (flags & ~valid) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return 0;
    }
    size_t l1 = n1 < 0 ? nt_wcslen(s1) : (size_t)n1;
    size_t l2 = n2 < 0 ? nt_wcslen(s2) : (size_t)n2;
    return k32_collate(flags, s1, l1, s2, l2) + K32_CSTR_EQUAL;
}
THK_EXPORT(kernel32, CompareStringW, 6);

int WINAPI CompareStringEx(const WCHAR *locale, DWORD flags, const WCHAR *s1, int n1,
                           const WCHAR *s2, int n2, void *version, void *reserved, LONG_PTR param)
{
    return CompareStringW(0x409, flags, s1, n1, s2, n2);
}
THK_EXPORT(kernel32, CompareStringEx, 9);

int WINAPI CompareStringA(DWORD lcid, DWORD flags, const char *s1, int n1, const char *s2, int n2)
{
    if (!s1 || !s2) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    size_t l1 = n1 < 0 ? strlen(s1) : strnlen(s1, (size_t)n1);
    size_t l2 = n2 < 0 ? strlen(s2) : strnlen(s2, (size_t)n2);
    size_t w1len = 0, w2len = 0;
    WCHAR *w1 = nt_utf8_to_utf16(s1, l1, &w1len);
    WCHAR *w2 = nt_utf8_to_utf16(s2, l2, &w2len);
    int r = 0;
    if (!w1 || !w2)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    else
        r = CompareStringW(lcid, flags, w1, (int)w1len, w2, (int)w2len);
    free(w1);
    free(w2);
    return r;
}
THK_EXPORT(kernel32, CompareStringA, 6);

int WINAPI CompareStringOrdinal(const WCHAR *s1, int n1, const WCHAR *s2, int n2, BOOL ignore_case)
{
    if (!s1 || !s2) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    size_t l1 = n1 < 0 ? nt_wcslen(s1) : (size_t)n1;
    size_t l2 = n2 < 0 ? nt_wcslen(s2) : (size_t)n2;
    size_t n = l1 < l2 ? l1 : l2;
    for (size_t i = 0; i < n; i++) {
        WCHAR a = ignore_case ? k32_towupper(s1[i]) : s1[i];
        WCHAR b = ignore_case ? k32_towupper(s2[i]) : s2[i];
        if (a != b)
            return a < b ? K32_CSTR_LESS_THAN : K32_CSTR_GREATER_THAN;
    }
    return l1 == l2 ? K32_CSTR_EQUAL : l1 < l2 ? K32_CSTR_LESS_THAN : K32_CSTR_GREATER_THAN;
}
THK_EXPORT(kernel32, CompareStringOrdinal, 5);

int WINAPI lstrcmpW(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return k32_collate(0, a, nt_wcslen(a), b, nt_wcslen(b));
}
THK_EXPORT(kernel32, lstrcmpW, 2);

int WINAPI lstrcmpiW(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return k32_collate(K32_NORM_IGNORECASE, a, nt_wcslen(a), b, nt_wcslen(b));
}
THK_EXPORT(kernel32, lstrcmpiW, 2);

static int k32_lstrcmp_a(const char *a, const char *b, DWORD flags)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    int r = CompareStringA(0x409, flags, a, -1, b, -1);
    return r ? r - K32_CSTR_EQUAL : 0;
}

int WINAPI lstrcmpA(const char *a, const char *b) { return k32_lstrcmp_a(a, b, 0); }
THK_EXPORT(kernel32, lstrcmpA, 2);
int WINAPI lstrcmpiA(const char *a, const char *b)
{
    return k32_lstrcmp_a(a, b, K32_NORM_IGNORECASE);
}
THK_EXPORT(kernel32, lstrcmpiA, 2);

/* ======================================================================================== */
/* Locale                                                                                   */
/* ======================================================================================== */

#define K32_LOCALE_EN_US 0x0409
#define K32_LOCALE_NOUSEROVERRIDE 0x80000000u
#define K32_LOCALE_USE_CP_ACP 0x40000000u
#define K32_LOCALE_RETURN_NUMBER 0x20000000u
#define K32_LOCALE_RETURN_GENITIVE_NAMES 0x10000000u

DWORD WINAPI GetUserDefaultLCID(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetUserDefaultLCID, 0);
DWORD WINAPI GetSystemDefaultLCID(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetSystemDefaultLCID, 0);
DWORD WINAPI GetThreadLocale(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetThreadLocale, 0);
BOOL WINAPI SetThreadLocale(DWORD lcid) { return TRUE; }
THK_EXPORT(kernel32, SetThreadLocale, 1);
WORD WINAPI GetUserDefaultLangID(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetUserDefaultLangID, 0);
WORD WINAPI GetSystemDefaultLangID(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetSystemDefaultLangID, 0);
WORD WINAPI GetUserDefaultUILanguage(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetUserDefaultUILanguage, 0);
WORD WINAPI GetSystemDefaultUILanguage(void) { return K32_LOCALE_EN_US; }
THK_EXPORT(kernel32, GetSystemDefaultUILanguage, 0);

/* The preferred UI languages (user, system, thread): en-US alone, as the UI language above, as
 * a double-NUL-ended list of names ("en-US") or of hexadecimal ids ("0409"), MUI_LANGUAGE_NAME
 * when neither is asked; .NET reads them for CultureInfo.CurrentUICulture. A NULL buffer with
 * *size 0 asks the size; a short one: ERROR_INSUFFICIENT_BUFFER and the size needed. */
#define K32_MUI_LANGUAGE_ID 0x4
#define K32_MUI_LANGUAGE_NAME 0x8
static BOOL k32_preferred_ui_languages(DWORD flags, DWORD allowed, ULONG *count, WCHAR *buf,
                                       ULONG *size)
{
    const char *list = (flags & K32_MUI_LANGUAGE_ID) ? "0409" : "en-US";
    ULONG need = (ULONG)strlen(list) + 2, have;
    if ((flags & ~allowed) ||
        (flags & (K32_MUI_LANGUAGE_ID | K32_MUI_LANGUAGE_NAME)) ==
            (K32_MUI_LANGUAGE_ID | K32_MUI_LANGUAGE_NAME) ||
        !count || !size || nt_copy_from_user(&have, size, sizeof have) != 0 || (have && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG one = 1;
    if (buf && have < need) {
        nt_copy_to_user(size, &need, sizeof need);
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    if (buf) {
        WCHAR w[8] = {0};
        for (ULONG i = 0; list[i]; i++)
            w[i] = (WCHAR)list[i];
        if (nt_copy_to_user(buf, w, need * sizeof(WCHAR)) != 0) {
            thk_set_last_error(ERROR_NOACCESS);
            return FALSE;
        }
    }
    if (nt_copy_to_user(count, &one, sizeof one) != 0 ||
        nt_copy_to_user(size, &need, sizeof need) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI GetUserPreferredUILanguages(DWORD flags, ULONG *count, WCHAR *buf, ULONG *size)
{
    return k32_preferred_ui_languages(flags, K32_MUI_LANGUAGE_ID | K32_MUI_LANGUAGE_NAME, count,
                                      buf, size);
}
THK_EXPORT(kernel32, GetUserPreferredUILanguages, 4);
BOOL WINAPI GetSystemPreferredUILanguages(DWORD flags, ULONG *count, WCHAR *buf, ULONG *size)
{
    /* MUI_MACHINE_LANGUAGE_SETTINGS (0x400) is allowed too */
    return k32_preferred_ui_languages(flags, K32_MUI_LANGUAGE_ID | K32_MUI_LANGUAGE_NAME | 0x400,
                                      count, buf, size);
}
THK_EXPORT(kernel32, GetSystemPreferredUILanguages, 4);
BOOL WINAPI GetThreadPreferredUILanguages(DWORD flags, ULONG *count, WCHAR *buf, ULONG *size)
{
    /* the MUI_MERGE_*_FALLBACK, MUI_THREAD_LANGUAGES and MUI_CONSOLE_FILTER bits: one list */
    return k32_preferred_ui_languages(flags, K32_MUI_LANGUAGE_ID | K32_MUI_LANGUAGE_NAME | 0x1f0,
                                      count, buf, size);
}
THK_EXPORT(kernel32, GetThreadPreferredUILanguages, 4);

/* The locales whose LC_TIME data kernel32 has (generated/nls_lctime.h, from glibc's locale
 * sources with Windows' corrections: cmake/gen_lctime.py; nls_lctime_of, nls_tables.c): day
 * and month names, AM/PM and the date/time pictures. Their other values are en-US's, but for
 * the name LCTYPEs. */
static const char *const k32_lctime_tags[NLS_LCTIME_COUNT] = {NLS_LCTIME_TAGS};
static const uint16_t k32_lctime_lcids[NLS_LCTIME_COUNT] = {NLS_LCTIME_LCIDS};

static int k32_locale_of_lcid(DWORD lcid);
static int k32_locale_of_name(const WCHAR *name);
static int k32_neutral_of_name(const WCHAR *name, char lang[4]);

/* The number and currency LCTYPEs of each locale (generated/nls_lcnumeric.h, from glibc's
 * locale sources with Windows' corrections: cmake/gen_lcnumeric.py; nls_lcnumeric_of), indexed
 * by NLS_NUM_*. */

/* A number or currency LCTYPE of locale `loc`, NULL if `type` is none of them. The C-style
 * sign positions (LOCALE_IPOSSIGNPOSN ..) follow from LOCALE_ICURRENCY and LOCALE_INEGCURR. */
static const char *k32_number_value(int loc, DWORD type)
{
    static const struct { uint16_t type; uint8_t field; } map[] = {
        {0x000e, NLS_NUM_DECIMAL},      {0x000f, NLS_NUM_THOUSAND},
        {0x0010, NLS_NUM_GROUPING},     {0x0011, NLS_NUM_DIGITS},
        {0x0012, NLS_NUM_LZERO},        {0x1010, NLS_NUM_NEGNUMBER},
        {0x0050, NLS_NUM_POSITIVE},     {0x0051, NLS_NUM_NEGATIVE},
        {0x0014, NLS_NUM_CURRENCY},     {0x0015, NLS_NUM_INTL_SYMBOL},
        {0x0016, NLS_NUM_MON_DECIMAL},  {0x0017, NLS_NUM_MON_THOUSAND},
        {0x0018, NLS_NUM_MON_GROUPING}, {0x0019, NLS_NUM_CURR_DIGITS},
        {0x001a, NLS_NUM_INTL_CURR_DIGITS}, {0x001b, NLS_NUM_ICURRENCY},
        {0x001c, NLS_NUM_INEGCURR},     {0x000c, NLS_NUM_LIST},
        {0x000d, NLS_NUM_MEASURE}};
    const char *const *v = nls_lcnumeric_of(loc);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].type == type)
            return v[map[i].field];
    if (type >= 0x52 && type <= 0x57) { /* LOCALE_IPOSSIGNPOSN .. LOCALE_INEGSEPBYSPACE */
        static const char digits[][2] = {"0", "1", "2", "3", "4"};
        nls_positions p = nls_currency_positions(atoi(v[NLS_NUM_ICURRENCY]),
                                                 atoi(v[NLS_NUM_INEGCURR]));
        static const uint8_t order[] = {4, 5, 0, 1, 2, 3}; /* 0x52 .. 0x57 in p.v */
        return digits[p.v[order[type - 0x52]]];
    }
    return NULL;
}

int k32_locale_index_lcid(DWORD lcid)
{
    int loc = k32_locale_of_lcid(lcid);
    return loc < 0 ? 0 : loc;
}

int k32_locale_index_name(const WCHAR *name)
{
    int loc = k32_locale_of_name(name);
    return loc < 0 ? 0 : loc;
}

const char *k32_locale_number(int loc, DWORD type)
{
    return k32_number_value(loc, type);
}

UINT k32_locale_ansi_cp(int loc)
{
    static const uint16_t ansi[NLS_LCTIME_COUNT] = {NLS_LCTIME_ANSI_CPS};
    return ansi[loc];
}

/* The locale of an LCID (0: en-US, also for the default and invariant locales), -1 if unknown. */
static int k32_locale_of_lcid(DWORD lcid)
{
    if (lcid == 0x7f || lcid == 0x400 || lcid == 0x800 || lcid == 0 || lcid == 0x0c00 ||
        lcid == 0x1000)
        return 0;
    for (int i = 0; i < NLS_LCTIME_COUNT; i++)
        if (k32_lctime_lcids[i] == (lcid & 0xffff))
            return i;
    return -1;
}

/* The locale of a name ("de-DE", any case, '_' for '-'; NULL, "" and the system default's
 * names: en-US), -1 if unknown. */
static int k32_locale_of_name(const WCHAR *name)
{
    if (!name || !name[0] || name[0] == '!')
        return 0;
    for (int i = 0; i < NLS_LCTIME_COUNT; i++) {
        const char *t = k32_lctime_tags[i];
        size_t k = 0;
        for (; t[k] && name[k]; k++) {
            WCHAR c = name[k] == '_' ? '-' : name[k];
            if (c >= 'A' && c <= 'Z')
                c = (WCHAR)(c + 32);
            char d = t[k] >= 'A' && t[k] <= 'Z' ? (char)(t[k] + 32) : t[k];
            if (c != (WCHAR)d)
                break;
        }
        if (!t[k] && !name[k])
            return i;
    }
    return -1;
}

bool k32_locale_lcid_known(DWORD lcid)
{
    return k32_locale_of_lcid(lcid) >= 0;
}

bool k32_locale_name_known(const WCHAR *name)
{
    char lang[4];
    return k32_locale_of_name(name) >= 0 || k32_neutral_of_name(name, lang) >= 0;
}

BOOL WINAPI IsValidLocale(DWORD lcid, DWORD flags)
{
    return lcid != 0 && lcid != 0x0c00 && lcid != 0x1000 && k32_locale_of_lcid(lcid) >= 0;
}
THK_EXPORT(kernel32, IsValidLocale, 2);

/* The values (UTF-8) of the LCTYPEs programs ask for: en-US's, and for locale `loc`
 * (nls_lctime_of) its day and month names, AM/PM, date/time pictures and names. */
static const char *k32_locale_value(int loc, DWORD type)
{
    static __thread char tag_part[8];
    const char *number = k32_number_value(loc, type);
    if (number)
        return number;
    if (loc > 0) {
        const nls_lctime *t = nls_lctime_of(loc);
        const char *tag = k32_lctime_tags[loc];
        switch (type) {
        case 0x0028: return t->am;         /* LOCALE_S1159 */
        case 0x0029: return t->pm;         /* LOCALE_S2359 */
        case 0x001f: return t->short_date; /* LOCALE_SSHORTDATE */
        case 0x0020: return t->long_date;  /* LOCALE_SLONGDATE */
        case 0x1003: return t->time;       /* LOCALE_STIMEFORMAT */
        case 0x0067: case 0x0068: case 0x005b: /* ISO 639-2, ISO 3166 alpha-3, GEOID */
        case 0x0072: case 0x0073:          /* LOCALE_SENGLISH/SNATIVEDISPLAYNAME */
        case 0x1007: case 0x1008:          /* LOCALE_SENGCURRNAME, SNATIVECURRNAME */
            return NULL;                   /* not in the tables: en-US's would be wrong */
        case 0x005c:                       /* LOCALE_SNAME */
        case 0x006e:                       /* LOCALE_SCONSOLEFALLBACKNAME */
        case 0x007b: return tag;           /* LOCALE_SSORTLOCALE */
        case 0x006d:                       /* LOCALE_SPARENT: the language */
        case 0x0059:                       /* LOCALE_SISO639LANGNAME */
        case 0x005a:                       /* LOCALE_SISO3166CTRYNAME */
            snprintf(tag_part, sizeof tag_part, "%s", type != 0x5a ? tag : tag + 3);
            tag_part[2] = 0;
            return tag_part;
        }
        if (type >= 0x2a && type <= 0x30) /* LOCALE_SDAYNAME1 (Monday) .. 7 */
            return t->days[(type - 0x2a + 1) % 7];
        if (type >= 0x31 && type <= 0x37) /* LOCALE_SABBREVDAYNAME1 .. 7 */
            return t->days_abbr[(type - 0x31 + 1) % 7];
        if (type >= 0x38 && type <= 0x43) /* LOCALE_SMONTHNAME1 .. 12 */
            return t->months[type - 0x38];
        if (type >= 0x44 && type <= 0x4f) /* LOCALE_SABBREVMONTHNAME1 .. 12 */
            return t->months_abbr[type - 0x44];
    }
    static const char *const days[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
    static const char *const months[12] = {"January", "February", "March", "April",
                                           "May", "June", "July", "August",
                                           "September", "October", "November", "December"};
    static char abbrev[8];
    switch (type) {
    case 0x0001: return "0409";          /* LOCALE_ILANGUAGE */
    case 0x0002: return "English (United States)"; /* LOCALE_SLANGUAGE */
    case 0x0003: return "ENU";           /* LOCALE_SABBREVLANGNAME */
    case 0x0004: return "English";       /* LOCALE_SNATIVELANGNAME */
    case 0x0005: return "1";             /* LOCALE_ICOUNTRY */
    case 0x0006: return "United States"; /* LOCALE_SCOUNTRY */
    case 0x0007: return "USA";           /* LOCALE_SABBREVCTRYNAME */
    case 0x0008: return "United States"; /* LOCALE_SNATIVECTRYNAME */
    case 0x0009: return "0409";          /* LOCALE_IDEFAULTLANGUAGE */
    case 0x000a: return "1";             /* LOCALE_IDEFAULTCOUNTRY */
    case 0x000b: return "65001";         /* LOCALE_IDEFAULTCODEPAGE (OEM) */
    case 0x0013: return "0123456789";    /* LOCALE_SNATIVEDIGITS */
    case 0x001d: return "/";             /* LOCALE_SDATE */
    case 0x001e: return ":";             /* LOCALE_STIME */
    case 0x001f: return "M/d/yyyy";      /* LOCALE_SSHORTDATE */
    case 0x0020: return "dddd, MMMM d, yyyy"; /* LOCALE_SLONGDATE */
    case 0x0021: return "0";             /* LOCALE_IDATE */
    case 0x0022: return "0";             /* LOCALE_ILDATE */
    case 0x0023: return "0";             /* LOCALE_ITIME (12-hour) */
    case 0x0024: return "0";             /* LOCALE_ICENTURY */
    case 0x0025: return "0";             /* LOCALE_ITLZERO */
    case 0x0026: return "0";             /* LOCALE_IDAYLZERO */
    case 0x0027: return "0";             /* LOCALE_IMONLZERO */
    case 0x0028: return "AM";            /* LOCALE_S1159 */
    case 0x0029: return "PM";            /* LOCALE_S2359 */
    case 0x0059: return "en";            /* LOCALE_SISO639LANGNAME */
    case 0x005a: return "US";            /* LOCALE_SISO3166CTRYNAME */
    case 0x005c: return "en-US";         /* LOCALE_SNAME */
    case 0x1001: return "English";       /* LOCALE_SENGLISHLANGUAGENAME */
    case 0x1002: return "United States"; /* LOCALE_SENGLISHCOUNTRYNAME */
    case 0x1003: return "h:mm:ss tt";    /* LOCALE_STIMEFORMAT */
    case 0x1004: return "65001";         /* LOCALE_IDEFAULTANSICODEPAGE */
    case 0x1005: return "0";             /* LOCALE_ITIMEMARKPOSN */
    case 0x1009: return "1";             /* LOCALE_ICALENDARTYPE */
    case 0x100c: return "6";             /* LOCALE_IFIRSTDAYOFWEEK (Sunday) */
    case 0x100d: return "0";             /* LOCALE_IFIRSTWEEKOFYEAR */
    case 0x1011: return "10000";         /* LOCALE_IDEFAULTMACCODEPAGE */
    case 0x1014: return "1";             /* LOCALE_IDIGITSUBSTITUTION */
    case 0x1016: return "2";             /* LOCALE_SSHORTTIME? (unused) */
    /* what .NET's CultureData asks when it falls back to NLS (no ICU) */
    case 0x005b: return "244";           /* LOCALE_IGEOID (United States) */
    case 0x0067: return "eng";           /* LOCALE_SISO639LANGNAME2 */
    case 0x0068: return "USA";           /* LOCALE_SISO3166CTRYNAME2 */
    case 0x0069: return "NaN";           /* LOCALE_SNAN */
    case 0x006a: return "\u221e";        /* LOCALE_SPOSINFINITY */
    case 0x006b: return "-\u221e";       /* LOCALE_SNEGINFINITY */
    case 0x006c: return "Latn;";         /* LOCALE_SSCRIPTS */
    case 0x006d: return "en";            /* LOCALE_SPARENT */
    case 0x006e: return "en-US";         /* LOCALE_SCONSOLEFALLBACKNAME */
    case 0x0070: return "0";             /* LOCALE_IREADINGLAYOUT (left to right) */
    case 0x0071: return "0";             /* LOCALE_INEUTRAL */
    case 0x0072: return "English (United States)"; /* LOCALE_SENGLISHDISPLAYNAME */
    case 0x0073: return "English (United States)"; /* LOCALE_SNATIVEDISPLAYNAME */
    case 0x0074: return "1";             /* LOCALE_INEGATIVEPERCENT (-n%) */
    case 0x0075: return "1";             /* LOCALE_IPOSITIVEPERCENT (n%) */
    case 0x0076: return "%";             /* LOCALE_SPERCENT */
    case 0x0077: return "\u2030";        /* LOCALE_SPERMILLE */
    case 0x0078: return "MMMM d";        /* LOCALE_SMONTHDAY */
    case 0x0079: return "h:mm tt";       /* LOCALE_SSHORTTIME */
    case 0x007a: return "dflt";          /* LOCALE_SOPENTYPELANGUAGETAG */
    case 0x007b: return "en-US";         /* LOCALE_SSORTLOCALE */
    case 0x1006: return "MMMM yyyy";     /* LOCALE_SYEARMONTH */
    case 0x1007: return "US Dollar";     /* LOCALE_SENGCURRNAME */
    case 0x1008: return "US Dollar";     /* LOCALE_SNATIVECURRNAME */
    case 0x100a: return "1";             /* LOCALE_IPAPERSIZE (letter) */
    case 0x100b: return "0";             /* LOCALE_IOPTIONALCALENDAR */
    case 0x1012: return "37";            /* LOCALE_IDEFAULTEBCDICCODEPAGE */
    case 0x1013: return "Default";       /* LOCALE_SSORTNAME */
    }
    if (type >= 0x60 && type <= 0x66) { /* LOCALE_SSHORTESTDAYNAME1 (Monday) .. 7 */
        snprintf(abbrev, sizeof abbrev, "%.2s", days[type - 0x60]);
        return abbrev;
    }
    if (type >= 0x2a && type <= 0x30)
        return days[type - 0x2a];
    if (type >= 0x31 && type <= 0x37) {
        snprintf(abbrev, sizeof abbrev, "%.3s", days[type - 0x31]);
        return abbrev;
    }
    if (type >= 0x38 && type <= 0x43)
        return months[type - 0x38];
    if (type >= 0x44 && type <= 0x4f) {
        snprintf(abbrev, sizeof abbrev, "%.3s", months[type - 0x44]);
        return abbrev;
    }
    return NULL;
}

const char *k32_locale_text(int loc, DWORD type)
{
    return k32_locale_value(loc < 0 || loc >= NLS_LCTIME_COUNT ? 0 : loc, type);
}

const char *k32_locale_genitive_month(int loc, int m)
{
    return nls_genitive_months_of(loc < 0 || loc >= NLS_LCTIME_COUNT ? 0 : loc)[(m - 1) % 12];
}

static int k32_locale_put(DWORD type, const char *v, WCHAR *buf, int size);

static int k32_locale_info(int loc, DWORD type, bool user, WCHAR *buf, int size)
{
    if (size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    DWORD base = type & ~(K32_LOCALE_NOUSEROVERRIDE | K32_LOCALE_USE_CP_ACP |
                          K32_LOCALE_RETURN_NUMBER | K32_LOCALE_RETURN_GENITIVE_NAMES);
    const char *v = k32_locale_user_text(loc < 0 ? 0 : loc, base, user);
    if (type & K32_LOCALE_RETURN_GENITIVE_NAMES) /* LOCALE_SMONTHNAME1..12 only */
        v = base >= 0x38 && base <= 0x43 && !(type & K32_LOCALE_RETURN_NUMBER)
                ? k32_locale_genitive_month(loc < 0 ? 0 : loc, (int)(base - 0x38 + 1))
                : NULL;
    return k32_locale_put(type, v, buf, size);
}

/* The value v (UTF-8; NULL: the LCTYPE is not known) into buf as GetLocaleInfoW gives it: a
 * number with LOCALE_RETURN_NUMBER, else the text with its NUL; the size protocol. */
static int k32_locale_put(DWORD type, const char *v, WCHAR *buf, int size)
{
    DWORD base = type & ~(K32_LOCALE_NOUSEROVERRIDE | K32_LOCALE_USE_CP_ACP |
                          K32_LOCALE_RETURN_NUMBER | K32_LOCALE_RETURN_GENITIVE_NAMES);
    if (!v) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return 0;
    }
    if (type & K32_LOCALE_RETURN_NUMBER) {
        char *end;
        unsigned long n = strtoul(v, &end, base == 0x0001 || base == 0x0009 ? 16 : 10);
        if (*v == 0 || *end) {
            thk_set_last_error(ERROR_INVALID_FLAGS);
            return 0;
        }
        if (size == 0)
            return 2;
        if (size < 2) {
            thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        DWORD d = (DWORD)n;
        memcpy(buf, &d, sizeof d);
        return 2;
    }
    int len = MultiByteToWideChar(CP_UTF8, 0, v, -1, NULL, 0);
    if (size == 0)
        return len;
    if (size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    return MultiByteToWideChar(CP_UTF8, 0, v, -1, buf, len);
}

/* An LCID kernel32 has no data for gets en-US's values (as before the locales above). */
int WINAPI GetLocaleInfoW(DWORD lcid, DWORD type, WCHAR *buf, int size)
{
    return k32_locale_info(k32_locale_of_lcid(lcid), type, k32_locale_lcid_user(lcid, type), buf,
                           size);
}
THK_EXPORT(kernel32, GetLocaleInfoW, 4);

int WINAPI GetLocaleInfoA(DWORD lcid, DWORD type, char *buf, int size)
{
    if (size < 0 || (size > 0 && !buf)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR w[128];
    int n = GetLocaleInfoW(lcid, type, w, 128);
    if (!n)
        return 0;
    if (type & K32_LOCALE_RETURN_NUMBER) {
        /* the A form returns the number in bytes: sizeof(DWORD) */
        if (size == 0)
            return 4;
        if (size < 4) {
            thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        memcpy(buf, w, 4);
        return 4;
    }
    /* in the locale's ANSI code page (LOCALE_USE_CP_ACP: the process's) */
    static const uint16_t ansi[NLS_LCTIME_COUNT] = {NLS_LCTIME_ANSI_CPS};
    int loc = k32_locale_of_lcid(lcid);
    UINT cp = (type & K32_LOCALE_USE_CP_ACP) || loc < 0 ? CP_ACP : ansi[loc];
    int len = WideCharToMultiByte(cp, 0, w, n, NULL, 0, NULL, NULL);
    if (size == 0)
        return len;
    if (size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    return WideCharToMultiByte(cp, 0, w, n, buf, size, NULL, NULL);
}
THK_EXPORT(kernel32, GetLocaleInfoA, 4);

/* A neutral locale's name: a language ("en", "de") of one of the locales above, without a
 * region. The index of the first locale of that language (its data stands for the neutral
 * locale's, as Windows' neutral locales take their specific locale's), the language in lang;
 * -1 for any other name. */
static int k32_neutral_of_name(const WCHAR *name, char lang[4])
{
    size_t n = 0;
    for (; name && n < 4 && name[n]; n++) {
        WCHAR c = name[n];
        if (c >= 'A' && c <= 'Z')
            c = (WCHAR)(c + 32);
        if (c < 'a' || c > 'z')
            return -1;
        lang[n] = (char)c;
    }
    if (n < 2 || n > 3 || name[n])
        return -1;
    lang[n] = 0;
    for (int i = 0; i < NLS_LCTIME_COUNT; i++)
        if (!strncmp(k32_lctime_tags[i], lang, n) && k32_lctime_tags[i][n] == '-')
            return i;
    return -1;
}

/* The LCTYPEs that differ between a neutral locale and its specific one (NULL: the specific
 * one's). LOCALE_SPARENT is the invariant locale's name, "". */
static const char *k32_neutral_value(int loc, const char *lang, DWORD base)
{
    static const uint16_t lcids[NLS_LCTIME_COUNT] = {NLS_LCTIME_LCIDS};
    static __thread char number[8];
    switch (base) {
    case 0x005c: /* LOCALE_SNAME */
    case 0x006e: /* LOCALE_SCONSOLEFALLBACKNAME */
    case 0x007b: /* LOCALE_SSORTLOCALE */
        return lang;
    case 0x006d: /* LOCALE_SPARENT */
        return "";
    case 0x0071: /* LOCALE_INEUTRAL */
        return "1";
    case 0x0001: /* LOCALE_ILANGUAGE: the primary language id, in hex */
        snprintf(number, sizeof number, "%04x", lcids[loc] & 0x3ffu);
        return number;
    case 0x0072: /* LOCALE_SENGLISHDISPLAYNAME */
    case 0x0073: /* LOCALE_SNATIVEDISPLAYNAME */
        return loc == 0 ? "English" : NULL;
    }
    return k32_locale_value(loc, base);
}

int WINAPI GetLocaleInfoEx(const WCHAR *name, DWORD type, WCHAR *buf, int size)
{
    char lang[4];
    int neutral = k32_locale_of_name(name) < 0 ? k32_neutral_of_name(name, lang) : -1;
    if (neutral >= 0) {
        if (size < 0 || (size > 0 && !buf)) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
        DWORD base = type & ~(K32_LOCALE_NOUSEROVERRIDE | K32_LOCALE_USE_CP_ACP |
                              K32_LOCALE_RETURN_NUMBER | K32_LOCALE_RETURN_GENITIVE_NAMES);
        return k32_locale_put(type, k32_neutral_value(neutral, lang, base), buf, size);
    }
    return k32_locale_info(k32_locale_of_name(name), type, k32_locale_name_user(name, type), buf,
                           size);
}
THK_EXPORT(kernel32, GetLocaleInfoEx, 4);

/* A locale's name ("en-US") into buf: its length with the NUL, 0 if buf is too small. */
static int k32_put_locale_name(int loc, WCHAR *buf, int size)
{
    const char *tag = k32_lctime_tags[loc < 0 ? 0 : loc];
    int len = (int)strlen(tag) + 1;
    if (size == 0)
        return len;
    if (!buf || size < len) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (int i = 0; i < len; i++)
        buf[i] = (WCHAR)tag[i];
    return len;
}

int WINAPI GetUserDefaultLocaleName(WCHAR *buf, int size)
{
    return k32_put_locale_name(0, buf, size);
}
THK_EXPORT(kernel32, GetUserDefaultLocaleName, 2);
int WINAPI GetSystemDefaultLocaleName(WCHAR *buf, int size)
{
    return k32_put_locale_name(0, buf, size);
}
THK_EXPORT(kernel32, GetSystemDefaultLocaleName, 2);
/* An LCID kernel32 has no data for is named en-US (as before the locales above). */
int WINAPI LCIDToLocaleName(DWORD lcid, WCHAR *buf, int size, DWORD flags)
{
    return k32_put_locale_name(k32_locale_of_lcid(lcid), buf, size);
}
THK_EXPORT(kernel32, LCIDToLocaleName, 4);
DWORD WINAPI LocaleNameToLCID(const WCHAR *name, DWORD flags)
{
    int loc = k32_locale_of_name(name);
    return k32_lctime_lcids[loc < 0 ? 0 : loc];
}
THK_EXPORT(kernel32, LocaleNameToLCID, 2);

/* The version of a locale's sorting (COMPARE_STRING, the only NLS function asked about):
 * Windows 10's, 6.3.5 (0x060305, which PostgreSQL records as collversion "1539.5,1539.5"),
 * for every locale kernel32 knows, and the locale's LCID as dwEffectiveId; guidCustomVersion
 * stays zero (no custom sort). An unknown name: ERROR_INVALID_PARAMETER; a structure smaller
 * than NLSVERSIONINFOEX (32 bytes) or than the old NLSVERSIONINFO (12, which gets the two
 * versions only): ERROR_INSUFFICIENT_BUFFER. */
#define K32_NLS_COMPARE_STRING 1
#define K32_NLS_SORT_VERSION 0x00060305u
BOOL WINAPI GetNLSVersionEx(DWORD function, const WCHAR *name, DWORD *info)
{
    if (function != K32_NLS_COMPARE_STRING) {
        thk_set_last_error(1004); /* ERROR_INVALID_FLAGS */
        return FALSE;
    }
    if (!info) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    DWORD size = info[0];
    if (size != 12 && size < 32) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    int loc = k32_locale_of_name(name);
    if (loc < 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    info[1] = info[2] = K32_NLS_SORT_VERSION; /* dwNLSVersion, dwDefinedVersion */
    if (size >= 32) {
        info[3] = k32_lctime_lcids[loc]; /* dwEffectiveId */
        memset(&info[4], 0, 16);         /* guidCustomVersion */
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetNLSVersionEx, 3);

/* ======================================================================================== */
/* FormatMessage                                                                            */
/* ======================================================================================== */

#define K32_FMT_ALLOCATE_BUFFER 0x00000100
#define K32_FMT_IGNORE_INSERTS 0x00000200
#define K32_FMT_FROM_STRING 0x00000400
#define K32_FMT_FROM_HMODULE 0x00000800
#define K32_FMT_FROM_SYSTEM 0x00001000
#define K32_FMT_ARGUMENT_ARRAY 0x00002000
#define K32_FMT_MAX_WIDTH_MASK 0x000000ff

/* System message texts, as Windows 10 (en-US) has them (messages.h): the codes in one array,
 * the texts in one block of NUL-ended strings in the same order, both without pointers, so
 * read-only data the dynamic linker never writes at start (docs/performance.md, fifteenth
 * pass). */
#define M(code, text) code,
static const uint32_t k32_message_codes[] = {
#include "thunks/kernel32/messages.h"
};
#undef M
#define M(code, text) text "\0"
static const char k32_message_texts[] =
#include "thunks/kernel32/messages.h"
    ;
#undef M

static const char *k32_message_text(uint32_t code)
{
    const char *text = k32_message_texts;
    for (size_t i = 0; i < sizeof k32_message_codes / sizeof k32_message_codes[0]; i++) {
        if (k32_message_codes[i] == code)
            return text;
        text += strlen(text) + 1;
    }
    return NULL;
}

typedef struct {
    WCHAR *buf;
    size_t len, cap;
    bool oom;
} k32_wbuf;

static void k32_wbuf_put(k32_wbuf *b, const WCHAR *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (b->len + n + 1 > cap)
            cap *= 2;
        WCHAR *p = realloc(b->buf, cap * sizeof *p);
        if (!p) {
            b->oom = true;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n * sizeof *s);
    b->len += n;
    b->buf[b->len] = 0;
}

static void k32_wbuf_putc(k32_wbuf *b, WCHAR c) { k32_wbuf_put(b, &c, 1); }

static void k32_wbuf_put_ascii(k32_wbuf *b, const char *s)
{
    for (; *s; s++)
        k32_wbuf_putc(b, (WCHAR)(uint8_t)*s);
}

typedef struct {
    const uint64_t *args; /* argument slots: DWORD_PTR array or the va_list's stack slots */
    bool ansi;            /* FormatMessageA: %s inserts are char* */
} k32_fmt_args;

/* One %n!spec! insert. `spec` is the printf specification between the '!' (default "s"). */
static bool k32_fmt_insert(k32_wbuf *out, const k32_fmt_args *fa, unsigned n, const WCHAR *spec,
                           size_t speclen)
{
    char flags[8] = "", length[4] = "";
    int width = -1, prec = -1;
    size_t i = 0, nf = 0;
    unsigned arg = n;
    while (i < speclen && strchr("-+ #0", (char)spec[i]) && nf < sizeof flags - 1)
        flags[nf++] = (char)spec[i++];
    flags[nf] = 0;
    if (i < speclen && spec[i] == '*') {
        width = (int)(int32_t)fa->args[arg++ - 1];
        i++;
    } else {
        for (; i < speclen && spec[i] >= '0' && spec[i] <= '9'; i++)
            width = (width < 0 ? 0 : width * 10) + (spec[i] - '0');
    }
    if (i < speclen && spec[i] == '.') {
        i++;
        prec = 0;
        if (i < speclen && spec[i] == '*') {
            prec = (int)(int32_t)fa->args[arg++ - 1];
            i++;
        } else {
            for (; i < speclen && spec[i] >= '0' && spec[i] <= '9'; i++)
                prec = prec * 10 + (spec[i] - '0');
        }
    }
    bool wide_str = !fa->ansi, is64 = false;
    if (i + 2 < speclen && spec[i] == 'I' && spec[i + 1] == '6' && spec[i + 2] == '4') {
        is64 = true;
        i += 3;
    } else if (i + 2 < speclen && spec[i] == 'I' && spec[i + 1] == '3' && spec[i + 2] == '2') {
        i += 3;
    } else if (i + 1 < speclen && spec[i] == 'l' && spec[i + 1] == 'l') {
        is64 = true;
        i += 2;
    } else if (i < speclen && (spec[i] == 'l' || spec[i] == 'w')) {
        wide_str = true;
        i++;
    } else if (i < speclen && spec[i] == 'h') {
        wide_str = false;
        i++;
    } else if (i < speclen && spec[i] == 'I') {
        is64 = true;
        i++;
    }
    if (i + 1 != speclen)
        return false;
    char conv = (char)spec[i];
    uint64_t v = fa->args[arg - 1];
    if (conv == 's' || conv == 'S' || conv == 'c' || conv == 'C') {
        if (conv == 'S' || conv == 'C')
            wide_str = fa->ansi;
        WCHAR *tmp = NULL;
        const WCHAR *s;
        size_t len;
        WCHAR ch;
        if (conv == 'c' || conv == 'C') {
            ch = wide_str ? (WCHAR)v : (WCHAR)(uint8_t)v;
            s = &ch;
            len = 1;
        } else if (!v) {
            s = u"(null)";
            len = 6;
        } else if (wide_str) {
            s = (const WCHAR *)(uintptr_t)v;
            len = nt_wcslen(s);
        } else {
            const char *a = (const char *)(uintptr_t)v;
            tmp = nt_utf8_to_utf16(a, strlen(a), &len);
            if (!tmp)
                return false;
            s = tmp;
        }
        if (prec >= 0 && (size_t)prec < len && conv != 'c' && conv != 'C')
            len = (size_t)prec;
        bool left = strchr(flags, '-') != NULL;
        size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;
        for (size_t k = 0; !left && k < pad; k++)
            k32_wbuf_putc(out, ' ');
        k32_wbuf_put(out, s, len);
        for (size_t k = 0; left && k < pad; k++)
            k32_wbuf_putc(out, ' ');
        free(tmp);
        return true;
    }
    char fmt[32], num[128];
    if (!strchr("diuxXop", conv))
        return false;
    if (conv == 'p') {
        snprintf(num, sizeof num, "%016llX", (unsigned long long)v);
    } else {
        if (is64)
            strcpy(length, "ll");
        int k = snprintf(fmt, sizeof fmt, "%%%s", flags);
        if (width >= 0)
            k += snprintf(fmt + k, sizeof fmt - (size_t)k, "%d", width);
        if (prec >= 0)
            k += snprintf(fmt + k, sizeof fmt - (size_t)k, ".%d", prec);
        snprintf(fmt + k, sizeof fmt - (size_t)k, "%s%c", is64 ? "ll" : "", conv);
        if (is64)
            snprintf(num, sizeof num, fmt, (long long)v);
        else if (conv == 'd' || conv == 'i')
            snprintf(num, sizeof num, fmt, (int)(int32_t)v);
        else
            snprintf(num, sizeof num, fmt, (unsigned)(uint32_t)v);
    }
    k32_wbuf_put_ascii(out, num);
    return true;
}

/* Formats message text `msg` into out. false with the last error set on a bad insert. */
static bool k32_format(k32_wbuf *out, const WCHAR *msg, DWORD flags, const k32_fmt_args *fa)
{
    DWORD width = flags & K32_FMT_MAX_WIDTH_MASK;
    for (const WCHAR *p = msg; *p;) {
        if (*p == '\r' || *p == '\n') {
            size_t skip = (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
            if (width == K32_FMT_MAX_WIDTH_MASK)
                k32_wbuf_putc(out, ' ');
            else
                k32_wbuf_put(out, u"\r\n", 2);
            p += skip;
            continue;
        }
        if (*p != '%') {
            k32_wbuf_putc(out, *p++);
            continue;
        }
        const WCHAR *start = p++;
        WCHAR c = *p;
        if (c == 0) {
            break;
        } else if (c == '0') {
            return true; /* end of message, no trailing newline */
        } else if (c >= '1' && c <= '9') {
            unsigned n = (unsigned)(c - '0');
            p++;
            if (*p >= '0' && *p <= '9')
                n = n * 10 + (unsigned)(*p++ - '0');
            const WCHAR *spec = u"s";
            size_t speclen = 1;
            if (*p == '!') {
                const WCHAR *end = p + 1;
                while (*end && *end != '!')
                    end++;
                if (!*end) {
                    thk_set_last_error(ERROR_INVALID_PARAMETER);
                    return false;
                }
                spec = p + 1;
                speclen = (size_t)(end - spec);
                p = end + 1;
            }
            if (flags & K32_FMT_IGNORE_INSERTS) {
                k32_wbuf_put(out, start, (size_t)(p - start));
                continue;
            }
            if (!fa->args || !k32_fmt_insert(out, fa, n, spec, speclen)) {
                thk_set_last_error(ERROR_INVALID_PARAMETER);
                return false;
            }
            continue;
        } else if (c == 'n') {
            k32_wbuf_put(out, u"\r\n", 2);
        } else if (c == 'r') {
            k32_wbuf_putc(out, '\r');
        } else if (c == 't') {
            k32_wbuf_putc(out, '\t');
        } else if (c == 'b') {
            k32_wbuf_putc(out, ' ');
        } else if (flags & K32_FMT_IGNORE_INSERTS) {
            k32_wbuf_putc(out, '%');
            k32_wbuf_putc(out, c);
        } else {
            k32_wbuf_putc(out, c); /* %% %. %! %space and any other: the character itself */
        }
        p++;
    }
    return true;
}

/* Message `id` of the message table (RT_MESSAGETABLE, name 1) of the module at `base`, as a
 * malloc'd UTF-16 string; NULL with *err: ERROR_RESOURCE_*_NOT_FOUND when the module has no
 * table, ERROR_MR_MID_NOT_FOUND when the table lacks the id. The table is
 * MESSAGE_RESOURCE_DATA: a block count, then {LowId, HighId, OffsetToEntries} per block; each
 * entry is {u16 Length (whole entry), u16 Flags (1: UTF-16), text}. */
static WCHAR *k32_module_message(const void *base, DWORD id, DWORD lang, uint32_t *err)
{
    const thk_res_data_entry *e;
    *err = thk_res_find(base, (const WCHAR *)(uintptr_t)THK_RT_MESSAGETABLE,
                        (const WCHAR *)(uintptr_t)1, lang ? (int)lang : THK_RES_LANG_DEFAULT, &e);
    if (*err)
        return NULL;
    uint32_t size, nblocks;
    const uint8_t *data = thk_res_data(base, e, &size);
    *err = K32_ERROR_MR_MID_NOT_FOUND;
    if (!data || size < 4)
        return NULL;
    memcpy(&nblocks, data, 4);
    for (uint32_t b = 0; b < nblocks && 4 + (b + 1) * 12ull <= size; b++) {
        uint32_t lo, hi, off;
        memcpy(&lo, data + 4 + b * 12, 4);
        memcpy(&hi, data + 4 + b * 12 + 4, 4);
        memcpy(&off, data + 4 + b * 12 + 8, 4);
        if (id < lo || id > hi)
            continue;
        for (uint32_t i = lo; off + 4ull <= size; i++) {
            uint16_t len, eflags;
            memcpy(&len, data + off, 2);
            memcpy(&eflags, data + off + 2, 2);
            if (len < 4 || off + (uint64_t)len > size)
                return NULL;
            if (i == id) {
                size_t n = (len - 4u), wl;
                WCHAR *w;
                if (eflags & 1) {
                    n /= 2;
                    w = malloc((n + 1) * sizeof *w);
                    if (w) {
                        memcpy(w, data + off + 4, n * sizeof *w);
                        w[n] = 0;
                    }
                } else {
                    const char *a = (const char *)data + off + 4;
                    w = nt_utf8_to_utf16(a, strnlen(a, n), &wl);
                }
                if (!w)
                    *err = ERROR_NOT_ENOUGH_MEMORY;
                return w;
            }
            off += len;
        }
        return NULL;
    }
    return NULL;
}

/* The formatted message as a malloc'd UTF-16 string (*len WCHARs), or NULL with the last error
 * set. `ansi`: called from FormatMessageA (source string and %s inserts are UTF-8). */
static WCHAR *k32_format_message(DWORD flags, const void *source, DWORD id, DWORD lang,
                                 void *args, bool ansi, size_t *len)
{
    WCHAR *msg = NULL;
    if (flags & K32_FMT_FROM_STRING) {
        if (!source) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        msg = ansi ? nt_utf8_to_utf16(source, strlen(source), NULL)
                   : nt_strdup_from_user_w(source, SIZE_MAX);
    } else if (flags & (K32_FMT_FROM_SYSTEM | K32_FMT_FROM_HMODULE)) {
        /* The module's message table first (a NULL module is the program), then the system's
         * texts when FROM_SYSTEM is given too. */
        uint32_t err = 0;
        if (flags & K32_FMT_FROM_HMODULE) {
            msg = k32_module_message(source ? source : GetModuleHandleW(NULL), id, lang, &err);
            if (!msg && err == ERROR_NOT_ENOUGH_MEMORY) {
                thk_set_last_error(err);
                return NULL;
            }
        }
        if (!msg) {
            const char *text = (flags & K32_FMT_FROM_SYSTEM) ? k32_message_text(id) : NULL;
            if (!text) {
                thk_set_last_error((flags & K32_FMT_FROM_SYSTEM) ? K32_ERROR_MR_MID_NOT_FOUND
                                                                 : err);
                return NULL;
            }
            msg = nt_utf8_to_utf16(text, strlen(text), NULL);
        }
    } else {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!msg) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    k32_fmt_args fa = {.ansi = ansi};
    if (args)
        fa.args = (flags & K32_FMT_ARGUMENT_ARRAY) ? (const uint64_t *)args
                                                   : *(const uint64_t *const *)args;
    k32_wbuf out = {0};
    bool ok = k32_format(&out, msg, flags, &fa);
    free(msg);
    if (!ok || out.oom) {
        if (ok)
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        free(out.buf);
        return NULL;
    }
    if (!out.buf) {
        out.buf = calloc(1, sizeof(WCHAR));
        if (!out.buf) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
    }
    *len = out.len;
    return out.buf;
}

DWORD WINAPI FormatMessageW(DWORD flags, const void *source, DWORD id, DWORD lang, WCHAR *buf,
                            DWORD size, void *args)
{
    size_t len;
    if (!buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR *text = k32_format_message(flags, source, id, lang, args, false, &len);
    if (!text)
        return 0;
    DWORD r = 0;
    if (flags & K32_FMT_ALLOCATE_BUFFER) {
        size_t cap = len + 1 > size ? len + 1 : size;
        WCHAR *mem = LocalAlloc(0, cap * sizeof(WCHAR));
        if (!mem) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            goto out;
        }
        memcpy(mem, text, (len + 1) * sizeof(WCHAR));
        *(WCHAR **)buf = mem;
        r = (DWORD)len;
    } else if (len + 1 > size) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
    } else {
        memcpy(buf, text, (len + 1) * sizeof(WCHAR));
        r = (DWORD)len;
    }
out:
    free(text);
    return r;
}
THK_EXPORT(kernel32, FormatMessageW, 7);

DWORD WINAPI FormatMessageA(DWORD flags, const void *source, DWORD id, DWORD lang, char *buf,
                            DWORD size, void *args)
{
    size_t wlen, alen;
    if (!buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR *text = k32_format_message(flags, source, id, lang, args, true, &wlen);
    if (!text)
        return 0;
    char *a = nt_utf16_to_utf8(text, wlen, &alen);
    free(text);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD r = 0;
    if (flags & K32_FMT_ALLOCATE_BUFFER) {
        size_t cap = alen + 1 > size ? alen + 1 : size;
        char *mem = LocalAlloc(0, cap);
        if (!mem) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            goto out;
        }
        memcpy(mem, a, alen + 1);
        *(char **)buf = mem;
        r = (DWORD)alen;
    } else if (alen + 1 > size) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
    } else {
        memcpy(buf, a, alen + 1);
        r = (DWORD)alen;
    }
out:
    free(a);
    return r;
}
THK_EXPORT(kernel32, FormatMessageA, 7);
