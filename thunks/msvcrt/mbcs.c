/* SPDX-License-Identifier: MIT */
/* msvcrt multibyte conversion and the locale: mblen, mbtowc, wctomb, mbstowcs, wcstombs (and
 * their _s and _l forms), setlocale, localeconv, the code page and MB_CUR_MAX queries and
 * data, and the UTF-8 <-> UTF-16 helpers the other msvcrt files use.
 *
 * Code page choice (see msvcrt_lib.h): the conversions use the LC_CTYPE code page of the
 * locale (the _l forms: of their argument): UTF-8 in the "C" locale (Windows' msvcrt maps
 * bytes 1:1 to U+0000..U+00FF there) and in the .utf8 locales, else a single-byte code page
 * or the double-byte 936 (kernel32's tables, thunks/kernel32/codepage.h). In 936 a lead byte
 * and its trail byte are one character: a lead byte without one (at the end of the count, or
 * before the NUL) and the byte 0xFF fail with EILSEQ, as Windows' conversions (which ask
 * MultiByteToWideChar for MB_ERR_INVALID_CHARS) do. A character the page lacks fails with
 * EILSEQ in the string conversions (wcstombs: WideCharToMultiByte with WC_NO_BEST_FIT_CHARS),
 * while the one-character ones (wctomb, wcrtomb) take its best fit when it has one (1252:
 * U+03B1 -> 'a'), as Wine 8.0's CRTs do. msvcrt's
 * setlocale and the UCRT's (thunks/ucrtbase/locale.c) share one locale state (locale.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/codepage.h"
#include "thunks/msvcrt/msvcrt_lib.h"

#define CRT_TRUNCATE ((size_t)-1)

/* ---- UTF-8 / UTF-16 ---- */
int crt_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const uint8_t *s = (const uint8_t *)str;
    if (!n)
        return 0;
    uint32_t c = s[0];
    int len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2; c &= 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; c &= 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; c &= 0x07; min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -2;
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (s[i] & 0x3F);
        /* reject overlong / out-of-range prefixes as early as the second byte allows */
        if (i == 1 && len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F)))
            return -1;
        if (i == 1 && len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F)))
            return -1;
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return len;
}

int crt_utf8_encode(uint32_t cp, char out[4])
{
    uint8_t *o = (uint8_t *)out;
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | (cp >> 6));
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (cp >> 12));
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | (cp >> 18));
    o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

size_t crt_wcslen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* One code point from UTF-16 at s (units available: n): units used, 0 at NUL, -1 invalid. */
static int crt_utf16_decode(const WCHAR *s, size_t n, uint32_t *cp)
{
    if (!n || !s[0])
        return 0;
    uint32_t c = s[0];
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (n < 2 || s[1] < 0xDC00 || s[1] > 0xDFFF)
            return -1;
        *cp = 0x10000 + ((c - 0xD800) << 10) + (s[1] - 0xDC00);
        return 2;
    }
    if (c >= 0xDC00 && c <= 0xDFFF)
        return -1;
    *cp = c;
    return 1;
}

/* UTF-8 -> UTF-16 into dst (room: cap units, no terminator written). Returns units produced
 * (counting only when dst is NULL), stopping at NUL or when the next character does not fit;
 * *consumed gets the bytes used. -1 on an invalid sequence. */
static ptrdiff_t crt_mb_to_wide(const crt_locinfo *li, WCHAR *dst, size_t cap, const char *src,
                                size_t *consumed)
{
    size_t out = 0, in = 0;
    const uint16_t *sbcs = li ? crt_locale_sbcs(li) : NULL;
    if (sbcs) { /* a single-byte code page: one unit per byte */
        for (; src[in] && (!dst || out < cap); in++, out++)
            if (dst)
                dst[out] = sbcs[(uint8_t)src[in]];
        if (consumed)
            *consumed = in;
        return (ptrdiff_t)out;
    }
    const nls_cp *dbcs = li ? crt_locale_dbcs(li) : NULL;
    if (dbcs) { /* 936: a lead byte takes its trail byte (src[in + 1] is at most the NUL) */
        for (; src[in] && (!dst || out < cap); out++) {
            uint16_t unit;
            bool valid;
            in += nls_cp_decode(dbcs, (const uint8_t *)src + in, 2, false, &unit, &valid);
            if (!valid)
                return -1;
            if (dst)
                dst[out] = unit;
        }
        if (consumed)
            *consumed = in;
        return (ptrdiff_t)out;
    }
    for (;;) {
        uint32_t cp;
        if (!src[in])
            break;
        /* decoding stops at the first byte that is not a continuation byte (a NUL included),
         * so the 4-byte window never reads past the terminator */
        int len = crt_utf8_decode(src + in, 4, &cp);
        if (len < 0)
            return -1;
        size_t units = cp >= 0x10000 ? 2 : 1;
        if (dst) {
            if (out + units > cap)
                break;
            if (units == 2) {
                dst[out] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
                dst[out + 1] = (WCHAR)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                dst[out] = (WCHAR)cp;
            }
        }
        out += units;
        in += (size_t)len;
    }
    if (consumed)
        *consumed = in;
    return (ptrdiff_t)out;
}

/* UTF-16 -> UTF-8 into dst (room: cap bytes, no terminator). Bytes produced, stopping at NUL
 * or when the next character does not fit; -1 for a lone surrogate. */
static ptrdiff_t crt_wide_to_mb(const crt_locinfo *li, char *dst, size_t cap, const WCHAR *src)
{
    size_t out = 0, in = 0;
    if (li && (crt_locale_sbcs(li) || crt_locale_dbcs(li))) {
        /* a table code page: a unit it lacks fails; a double-byte character goes whole */
        for (; src[in]; in++) {
            int code = crt_locale_code(li, src[in], false);
            if (code < 0)
                return -1;
            size_t len = code > 0xff ? 2 : 1;
            if (dst) {
                if (out + len > cap)
                    break;
                if (len == 2)
                    dst[out] = (char)(code >> 8);
                dst[out + len - 1] = (char)code;
            }
            out += len;
        }
        return (ptrdiff_t)out;
    }
    for (;;) {
        uint32_t cp;
        int units = crt_utf16_decode(src + in, 2, &cp);
        if (units == 0)
            break;
        if (units < 0)
            return -1;
        char buf[4];
        int len = crt_utf8_encode(cp, buf);
        if (dst) {
            if (out + (size_t)len > cap)
                break;
            memcpy(dst + out, buf, (size_t)len);
        }
        out += (size_t)len;
        in += (size_t)units;
    }
    return (ptrdiff_t)out;
}

WCHAR *crt_utf8_to_wide(const char *s)
{
    ptrdiff_t n = crt_mb_to_wide(NULL, NULL, 0, s, NULL);
    if (n < 0)
        return NULL;
    WCHAR *w = malloc(((size_t)n + 1) * sizeof(WCHAR));
    if (!w)
        return NULL;
    crt_mb_to_wide(NULL, w, (size_t)n, s, NULL);
    w[n] = 0;
    return w;
}

char *crt_wide_to_utf8(const WCHAR *s)
{
    ptrdiff_t n = crt_wide_to_mb(NULL, NULL, 0, s);
    if (n < 0)
        return NULL;
    char *m = malloc((size_t)n + 1);
    if (!m)
        return NULL;
    crt_wide_to_mb(NULL, m, (size_t)n, s);
    m[n] = 0;
    return m;
}

/* ---- exports: single characters (in the locale's LC_CTYPE code page) ---- */
static int crt_mbtowc(const crt_locinfo *li, WCHAR *dst, const char *s, size_t n)
{
    if (!s)
        return 0; /* no shift states */
    if (!n)
        return -1;
    if (!*s) {
        if (dst)
            *dst = 0;
        return 0;
    }
    const uint16_t *sbcs = crt_locale_sbcs(li);
    if (sbcs) {
        if (dst)
            *dst = sbcs[(uint8_t)*s];
        return 1;
    }
    const nls_cp *dbcs = crt_locale_dbcs(li);
    if (dbcs) {
        /* Windows' mbtowc: a lead byte needs n >= 2 and a trail byte that is not the NUL; a
         * single byte must be valid (MB_ERR_INVALID_CHARS: not 936's 0xFF) */
        uint16_t unit;
        bool valid;
        bool lead = nls_cp_is_lead(dbcs, (uint8_t)*s);
        if (lead && (n < 2 || !s[1])) {
            crt_set_errno(CRT_EILSEQ);
            return -1;
        }
        size_t len = nls_cp_decode(dbcs, (const uint8_t *)s, 2, false, &unit, &valid);
        if (!lead && !valid) {
            crt_set_errno(CRT_EILSEQ);
            return -1;
        }
        if (dst)
            *dst = unit;
        return (int)len;
    }
    uint32_t cp;
    int len = crt_utf8_decode(s, n, &cp);
    if (len <= 0 || cp > 0xFFFF) { /* a character outside the BMP needs two units */
        crt_set_errno(CRT_EILSEQ);
        return -1;
    }
    if (dst)
        *dst = (WCHAR)cp;
    return len;
}

static int WINAPI msvcrt__mbtowc_l(WCHAR *dst, const char *s, size_t n, void *locale)
{
    return crt_mbtowc(crt_locale_arg(locale), dst, s, n);
}
THK_EXPORT_AS(msvcrt, _mbtowc_l, msvcrt__mbtowc_l, 4);
static int WINAPI msvcrt_mbtowc(WCHAR *dst, const char *s, size_t n)
{
    return crt_mbtowc(crt_locale_current(), dst, s, n);
}
THK_EXPORT_AS(msvcrt, mbtowc, msvcrt_mbtowc, 3);

static int WINAPI msvcrt_mblen(const char *s, size_t n)
{
    return crt_mbtowc(crt_locale_current(), NULL, s, n);
}
THK_EXPORT_AS(msvcrt, mblen, msvcrt_mblen, 2);
static int WINAPI msvcrt__mblen_l(const char *s, size_t n, void *locale)
{
    return crt_mbtowc(crt_locale_arg(locale), NULL, s, n);
}
THK_EXPORT_AS(msvcrt, _mblen_l, msvcrt__mblen_l, 3);

/* ---- restartable single characters: mbrtowc, mbrlen, wcrtomb; the UCRT's mbrtoc16,
 * mbrtoc32, c16rtomb, c32rtomb ----
 * The UCRT's mbstate_t keeps the bytes of a UTF-8 character split across calls, the high
 * surrogate wcrtomb/c16rtomb was given before its low one, and the low surrogate mbrtowc/
 * mbrtoc16 owe after giving the high one of a character outside the BMP: the next call gives
 * it and returns (size_t)-3, consuming nothing (C11 7.28.1.1). The char16_t/char32_t functions
 * convert UTF-8 whatever the locale, as the UCRT's do. */
typedef struct crt_mbstate {
    uint32_t wchar; /* 0x00: pending bytes (first in the low byte), or a surrogate */
    uint16_t bytes; /* 0x04: how many pending bytes */
    uint16_t state; /* 0x06: CRT_MBS_LOW: wchar is a low surrogate still to give */
} crt_mbstate;
_Static_assert(sizeof(crt_mbstate) == 8, "the UCRT's mbstate_t");
#define CRT_MBS_LOW 1

static __thread crt_mbstate crt_mbrtowc_state, crt_mbrlen_state, crt_wcrtomb_state,
    crt_mbrtoc16_state, crt_mbrtoc32_state, crt_c16rtomb_state, crt_c32rtomb_state;

/* One UTF-8 character (s not NULL, n > 0) after the bytes st holds: the bytes of s it took
 * (0 for NUL), (size_t)-2 when still incomplete (kept in st), (size_t)-1 with EILSEQ. */
static size_t crt_mbrtoc32_utf8(uint32_t *c32, const char *s, size_t n, crt_mbstate *st)
{
    char buf[4];
    size_t have = st->bytes < 4 && st->state != CRT_MBS_LOW ? st->bytes : 0;
    for (size_t k = 0; k < have; k++)
        buf[k] = (char)(st->wchar >> (8 * k));
    size_t take = n < 4 - have ? n : 4 - have;
    memcpy(buf + have, s, take);
    uint32_t cp = 0;
    int len = crt_utf8_decode(buf, have + take, &cp);
    if (len == -2 && have + take < 4) { /* incomplete: keep the bytes */
        st->wchar = 0;
        for (size_t k = 0; k < have + take; k++)
            st->wchar |= (uint32_t)(uint8_t)buf[k] << (8 * k);
        st->bytes = (uint16_t)(have + take);
        st->state = 0;
        return (size_t)-2;
    }
    *st = (crt_mbstate){0, 0, 0};
    if (len <= 0) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    *c32 = cp;
    return cp ? (size_t)len - have : 0;
}

/* The same as UTF-16: a character outside the BMP gives its high surrogate, and its low one
 * stays in st for the next call ((size_t)-3). */
static size_t crt_mbrtoc16_utf8(WCHAR *dst, const char *s, size_t n, crt_mbstate *st)
{
    if (st->state == CRT_MBS_LOW) {
        if (dst)
            *dst = (WCHAR)st->wchar;
        *st = (crt_mbstate){0, 0, 0};
        return (size_t)-3;
    }
    if (!n)
        return (size_t)-2;
    uint32_t cp = 0;
    size_t r = crt_mbrtoc32_utf8(&cp, s, n, st);
    if (r == (size_t)-1 || r == (size_t)-2)
        return r;
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        st->wchar = 0xDC00 + (cp & 0x3FF);
        st->state = CRT_MBS_LOW;
        cp = 0xD800 + (cp >> 10);
    }
    if (dst)
        *dst = (WCHAR)cp;
    return r;
}

static size_t crt_mbrtowc(const crt_locinfo *li, WCHAR *dst, const char *s, size_t n,
                          crt_mbstate *st)
{
    if (!s) {
        s = "";
        n = 1;
        dst = NULL;
    }
    const uint16_t *sbcs = crt_locale_sbcs(li);
    if (sbcs) {
        if (!n)
            return (size_t)-2;
        *st = (crt_mbstate){0, 0, 0};
        if (dst)
            *dst = sbcs[(uint8_t)*s];
        return *s ? 1 : 0;
    }
    const nls_cp *dbcs = crt_locale_dbcs(li);
    if (dbcs) { /* a lead byte alone waits in st for its trail byte */
        if (!n)
            return (size_t)-2;
        uint8_t pair[2] = {(uint8_t)s[0], n > 1 ? (uint8_t)s[1] : 0};
        size_t took = 1;
        if (st->bytes == 1 && st->state != CRT_MBS_LOW) {
            pair[0] = (uint8_t)st->wchar;
            pair[1] = (uint8_t)s[0];
        } else if (nls_cp_is_lead(dbcs, pair[0])) {
            if (n < 2) {
                *st = (crt_mbstate){pair[0], 1, 0};
                return (size_t)-2;
            }
            took = 2;
        }
        *st = (crt_mbstate){0, 0, 0};
        uint16_t unit;
        bool valid;
        nls_cp_decode(dbcs, pair, 2, false, &unit, &valid);
        if (!valid) {
            crt_set_errno(CRT_EILSEQ);
            return (size_t)-1;
        }
        if (dst)
            *dst = unit;
        return unit ? took : 0;
    }
    return crt_mbrtoc16_utf8(dst, s, n, st);
}

static size_t WINAPI msvcrt_mbrtowc(WCHAR *dst, const char *s, size_t n, crt_mbstate *st)
{
    return crt_mbrtowc(crt_locale_current(), dst, s, n, st ? st : &crt_mbrtowc_state);
}
THK_EXPORT_AS(msvcrt, mbrtowc, msvcrt_mbrtowc, 4);
static size_t WINAPI msvcrt_mbrlen(const char *s, size_t n, crt_mbstate *st)
{
    return crt_mbrtowc(crt_locale_current(), NULL, s, n, st ? st : &crt_mbrlen_state);
}
THK_EXPORT_AS(msvcrt, mbrlen, msvcrt_mbrlen, 3);

static size_t WINAPI ucrtbase_mbrtoc16(WCHAR *dst, const char *s, size_t n, crt_mbstate *st)
{
    if (!st)
        st = &crt_mbrtoc16_state;
    if (!s) {
        s = "";
        n = 1;
        dst = NULL;
    }
    return crt_mbrtoc16_utf8(dst, s, n, st);
}
THK_EXPORT_AS(ucrtbase, mbrtoc16, ucrtbase_mbrtoc16, 4);

static size_t WINAPI ucrtbase_mbrtoc32(uint32_t *dst, const char *s, size_t n, crt_mbstate *st)
{
    if (!st)
        st = &crt_mbrtoc32_state;
    if (!s) {
        s = "";
        n = 1;
        dst = NULL;
    }
    if (!n)
        return (size_t)-2;
    uint32_t cp = 0;
    size_t r = crt_mbrtoc32_utf8(&cp, s, n, st);
    if (dst && r != (size_t)-1 && r != (size_t)-2)
        *dst = cp;
    return r;
}
THK_EXPORT_AS(ucrtbase, mbrtoc32, ucrtbase_mbrtoc32, 4);

/* A UTF-16 unit as UTF-8: 0 for a high surrogate (kept in st until its low one). */
static size_t crt_c16rtomb_utf8(char *s, WCHAR wc, crt_mbstate *st)
{
    uint32_t high = st->state == CRT_MBS_LOW ? 0 : st->wchar;
    *st = (crt_mbstate){0, 0, 0};
    if (wc >= 0xD800 && wc <= 0xDBFF && !high) {
        st->wchar = wc; /* the low surrogate completes it */
        return 0;
    }
    uint32_t cp = wc;
    if (high) {
        if (wc < 0xDC00 || wc > 0xDFFF) {
            crt_set_errno(CRT_EILSEQ);
            return (size_t)-1;
        }
        cp = 0x10000 + ((high - 0xD800) << 10) + (wc - 0xDC00);
    } else if (wc >= 0xDC00 && wc <= 0xDFFF) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    return (size_t)crt_utf8_encode(cp, s);
}

/* One unit in LC_CTYPE's table code page (best fit included) into s: 1 or 2 bytes, or -1
 * with EILSEQ for a unit the page lacks. */
static int crt_wctomb_table(const crt_locinfo *li, char *s, WCHAR wc)
{
    int code = crt_locale_code(li, wc, true);
    if (code < 0) {
        crt_set_errno(CRT_EILSEQ);
        return -1;
    }
    if (code > 0xff) {
        s[0] = (char)(code >> 8);
        s[1] = (char)code;
        return 2;
    }
    *s = (char)code;
    return 1;
}

static size_t WINAPI msvcrt_wcrtomb(char *s, WCHAR wc, crt_mbstate *st)
{
    char tmp[4];
    if (!st)
        st = &crt_wcrtomb_state;
    if (!s) {
        s = tmp;
        wc = 0;
    }
    const crt_locinfo *li = crt_locale_current();
    if (crt_locale_sbcs(li) || crt_locale_dbcs(li))
        return (size_t)crt_wctomb_table(li, s, wc);
    return crt_c16rtomb_utf8(s, wc, st);
}
THK_EXPORT_AS(msvcrt, wcrtomb, msvcrt_wcrtomb, 3);

static size_t WINAPI ucrtbase_c16rtomb(char *s, WCHAR c16, crt_mbstate *st)
{
    char tmp[4];
    if (!st)
        st = &crt_c16rtomb_state;
    if (!s) {
        s = tmp;
        c16 = 0;
    }
    return crt_c16rtomb_utf8(s, c16, st);
}
THK_EXPORT_AS(ucrtbase, c16rtomb, ucrtbase_c16rtomb, 3);

static size_t WINAPI ucrtbase_c32rtomb(char *s, uint32_t c32, crt_mbstate *st)
{
    char tmp[4];
    if (!st)
        st = &crt_c32rtomb_state;
    if (!s) {
        s = tmp;
        c32 = 0;
    }
    *st = (crt_mbstate){0, 0, 0};
    if (c32 > 0x10FFFF || (c32 >= 0xD800 && c32 <= 0xDFFF)) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    return (size_t)crt_utf8_encode(c32, s);
}
THK_EXPORT_AS(ucrtbase, c32rtomb, ucrtbase_c32rtomb, 3);

/* One character into s (room for MB_CUR_MAX bytes): its length, or -1 with EILSEQ. */
static int crt_wctomb(const crt_locinfo *li, char *s, WCHAR wc)
{
    if (!s)
        return 0;
    if (crt_locale_sbcs(li) || crt_locale_dbcs(li))
        return crt_wctomb_table(li, s, wc);
    if (wc >= 0xD800 && wc <= 0xDFFF) {
        crt_set_errno(CRT_EILSEQ);
        return -1;
    }
    return crt_utf8_encode(wc, s);
}

static int WINAPI msvcrt_wctomb(char *s, WCHAR wc)
{
    return crt_wctomb(crt_locale_current(), s, wc);
}
THK_EXPORT_AS(msvcrt, wctomb, msvcrt_wctomb, 2);
static int WINAPI msvcrt__wctomb_l(char *s, WCHAR wc, void *locale)
{
    return crt_wctomb(crt_locale_arg(locale), s, wc);
}
THK_EXPORT_AS(msvcrt, _wctomb_l, msvcrt__wctomb_l, 3);

static int WINAPI msvcrt__wctomb_s_l(int *ret, char *s, size_t size, WCHAR wc, void *locale)
{
    if (!s && size) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (!s) {
        if (ret)
            *ret = 0;
        return 0;
    }
    char buf[4];
    int len = crt_wctomb(crt_locale_arg(locale), buf, wc); /* sets EILSEQ */
    if (len < 0) {
        if (ret)
            *ret = -1;
        return CRT_EILSEQ;
    }
    if ((size_t)len > size) {
        if (ret)
            *ret = -1;
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    memcpy(s, buf, (size_t)len);
    if (ret)
        *ret = len;
    return 0;
}
THK_EXPORT_AS(msvcrt, _wctomb_s_l, msvcrt__wctomb_s_l, 5);
static int WINAPI msvcrt_wctomb_s(int *ret, char *s, size_t size, WCHAR wc)
{
    return msvcrt__wctomb_s_l(ret, s, size, wc, NULL);
}
THK_EXPORT_AS(msvcrt, wctomb_s, msvcrt_wctomb_s, 4);

/* ---- exports: strings ---- */
static size_t WINAPI msvcrt__mbstowcs_l(WCHAR *dst, const char *src, size_t n, void *locale)
{
    ptrdiff_t r = crt_mb_to_wide(crt_locale_arg(locale), dst, dst ? n : 0, src, NULL);
    if (r < 0) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    if (dst && (size_t)r < n)
        dst[r] = 0;
    return (size_t)r;
}
THK_EXPORT_AS(msvcrt, _mbstowcs_l, msvcrt__mbstowcs_l, 4);
static size_t WINAPI msvcrt_mbstowcs(WCHAR *dst, const char *src, size_t n)
{
    return msvcrt__mbstowcs_l(dst, src, n, NULL);
}
THK_EXPORT_AS(msvcrt, mbstowcs, msvcrt_mbstowcs, 3);

static size_t WINAPI msvcrt__wcstombs_l(char *dst, const WCHAR *src, size_t n, void *locale)
{
    ptrdiff_t r = crt_wide_to_mb(crt_locale_arg(locale), dst, dst ? n : 0, src);
    if (r < 0) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    if (dst && (size_t)r < n)
        dst[r] = 0;
    return (size_t)r;
}
THK_EXPORT_AS(msvcrt, _wcstombs_l, msvcrt__wcstombs_l, 4);
static size_t WINAPI msvcrt_wcstombs(char *dst, const WCHAR *src, size_t n)
{
    return msvcrt__wcstombs_l(dst, src, n, NULL);
}
THK_EXPORT_AS(msvcrt, wcstombs, msvcrt_wcstombs, 3);

/* _mbstrlen: the characters of a string in LC_CTYPE's code page, -1 with EILSEQ for an
 * invalid one (Windows: strlen where MB_CUR_MAX is 1). */
static size_t WINAPI msvcrt__mbstrlen_l(const char *s, void *locale)
{
    const crt_locinfo *li = crt_locale_arg(locale);
    if (li->mb_cur_max == 1)
        return strlen(s);
    ptrdiff_t r = crt_mb_to_wide(li, NULL, 0, s, NULL);
    if (r < 0) {
        crt_set_errno(CRT_EILSEQ);
        return (size_t)-1;
    }
    return (size_t)r;
}
THK_EXPORT_AS(msvcrt, _mbstrlen_l, msvcrt__mbstrlen_l, 2);
static size_t WINAPI msvcrt__mbstrlen(const char *s) { return msvcrt__mbstrlen_l(s, NULL); }
THK_EXPORT_AS(msvcrt, _mbstrlen, msvcrt__mbstrlen, 1);

/* The conversion an _s form makes: into dst (room: cap elements) or, dst NULL, only counted;
 * the elements, -1 for a character that does not convert. */
typedef ptrdiff_t crt_conv_fn(const crt_locinfo *li, void *dst, size_t cap, const void *src);

static ptrdiff_t crt_conv_to_wide(const crt_locinfo *li, void *dst, size_t cap, const void *src)
{
    return crt_mb_to_wide(li, dst, cap, src, NULL);
}

static ptrdiff_t crt_conv_to_mb(const crt_locinfo *li, void *dst, size_t cap, const void *src)
{
    return crt_wide_to_mb(li, dst, cap, src);
}

/* A NUL at element i of dst (WCHAR elements when `wide`). */
static void crt_conv_terminate(void *dst, size_t i, bool wide)
{
    if (wide)
        ((WCHAR *)dst)[i] = 0;
    else
        ((char *)dst)[i] = 0;
}

/* mbstowcs_s / wcstombs_s: converts at most `count` elements (CRT_TRUNCATE: as many as fit),
 * always terminates; *ret counts the terminator. Too small a buffer: ERANGE and an empty
 * string, or STRUNCATE and a truncated string when count is _TRUNCATE. */
static int crt_conv_s(crt_conv_fn *conv, bool wide, size_t *ret, void *dst, size_t size,
                      const void *src, size_t count, void *locale)
{
    const crt_locinfo *li = crt_locale_arg(locale);
    if (ret)
        *ret = 0;
    if ((!dst && size) || (dst && !size) || !src) {
        if (dst && size)
            crt_conv_terminate(dst, 0, wide);
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    ptrdiff_t need = conv(li, NULL, 0, src);
    if (need < 0) {
        if (dst)
            crt_conv_terminate(dst, 0, wide);
        crt_set_errno(CRT_EILSEQ);
        return CRT_EILSEQ;
    }
    if (!dst) { /* the size the whole string needs, whatever count says */
        if (ret)
            *ret = (size_t)need + 1;
        return 0;
    }
    size_t want = (size_t)need;
    if (count != CRT_TRUNCATE && count < want)
        want = count;
    int status = 0;
    if (want + 1 > size) {
        if (count != CRT_TRUNCATE) {
            crt_conv_terminate(dst, 0, wide);
            crt_set_errno(CRT_ERANGE);
            return CRT_ERANGE;
        }
        want = size - 1;
        status = CRT_STRUNCATE;
    }
    ptrdiff_t got = conv(li, dst, want, src);
    crt_conv_terminate(dst, (size_t)got, wide);
    if (ret)
        *ret = (size_t)got + 1;
    return status;
}

int WINAPI msvcrt__mbstowcs_s_l(size_t *ret, WCHAR *dst, size_t size, const char *src,
                                size_t count, void *locale)
{
    return crt_conv_s(crt_conv_to_wide, true, ret, dst, size, src, count, locale);
}
THK_EXPORT_AS(msvcrt, _mbstowcs_s_l, msvcrt__mbstowcs_s_l, 6);
int WINAPI msvcrt_mbstowcs_s(size_t *ret, WCHAR *dst, size_t size, const char *src, size_t count)
{
    return msvcrt__mbstowcs_s_l(ret, dst, size, src, count, NULL);
}
THK_EXPORT_AS(msvcrt, mbstowcs_s, msvcrt_mbstowcs_s, 5);

int WINAPI msvcrt__wcstombs_s_l(size_t *ret, char *dst, size_t size, const WCHAR *src,
                                size_t count, void *locale)
{
    return crt_conv_s(crt_conv_to_mb, false, ret, dst, size, src, count, locale);
}
THK_EXPORT_AS(msvcrt, _wcstombs_s_l, msvcrt__wcstombs_s_l, 6);
int WINAPI msvcrt_wcstombs_s(size_t *ret, char *dst, size_t size, const WCHAR *src, size_t count)
{
    return msvcrt__wcstombs_s_l(ret, dst, size, src, count, NULL);
}
THK_EXPORT_AS(msvcrt, wcstombs_s, msvcrt_wcstombs_s, 5);

/* ---- locale ----
 * msvcrt's setlocale takes Windows' msvcrt.dll names (CRT_NAMES_MSVCRT: no BCP-47 tags, no
 * UTF-8) and shares the UCRT's locale data and state (locale.c). The data exports describe the
 * process's locale and follow it (crt_locale_publish); the functions answer for the calling
 * thread's. */
#define CRT_LC_MAX 5
#define CRT_MB_CP_SBCS 0
#define CRT_MB_CP_OEM (-2)
#define CRT_MB_CP_ANSI (-3)
#define CRT_MB_CP_LOCALE (-4)

static int32_t crt_mb_cur_max = CRT_MB_CUR_MAX;
static uint32_t crt_lc_codepage = CRT_LOCALE_CODEPAGE;
static uint32_t crt_lc_collate_cp = CRT_LOCALE_CODEPAGE;
static uint32_t crt_lc_handle[6]; /* LCIDs per category: 0 in the "C" locale */
THK_EXPORT_DATA(msvcrt, __mb_cur_max, &crt_mb_cur_max);
THK_EXPORT_DATA(msvcrt, __lc_codepage, &crt_lc_codepage);
THK_EXPORT_DATA(msvcrt, __lc_collate_cp, &crt_lc_collate_cp);
THK_EXPORT_DATA(msvcrt, __lc_handle, crt_lc_handle);

void crt_locale_publish(const crt_locinfo *li)
{
    __atomic_store_n(&crt_mb_cur_max, li->mb_cur_max, __ATOMIC_RELAXED);
    __atomic_store_n(&crt_lc_codepage, li->lc_codepage, __ATOMIC_RELAXED);
    __atomic_store_n(&crt_lc_collate_cp, crt_locale_cp_number(li, CRT_LC_COLLATE),
                     __ATOMIC_RELAXED);
    for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++)
        __atomic_store_n(&crt_lc_handle[c], crt_locale_lcid(li, c), __ATOMIC_RELAXED);
    __atomic_store_n(&crt_pctype_ptr, li->pctype, __ATOMIC_RELEASE);
}

static int WINAPI msvcrt____mb_cur_max_func(void) { return crt_locale_current()->mb_cur_max; }
THK_EXPORT_AS(msvcrt, ___mb_cur_max_func, msvcrt____mb_cur_max_func, 0);
static int32_t *WINAPI msvcrt___p___mb_cur_max(void) { return &crt_mb_cur_max; }
THK_EXPORT_AS(msvcrt, __p___mb_cur_max, msvcrt___p___mb_cur_max, 0);
static uint32_t WINAPI msvcrt____lc_codepage_func(void)
{
    return crt_locale_current()->lc_codepage;
}
THK_EXPORT_AS(msvcrt, ___lc_codepage_func, msvcrt____lc_codepage_func, 0);
static uint32_t WINAPI msvcrt____lc_collate_cp_func(void)
{
    return crt_locale_cp_number(crt_locale_current(), CRT_LC_COLLATE);
}
THK_EXPORT_AS(msvcrt, ___lc_collate_cp_func, msvcrt____lc_collate_cp_func, 0);
static uint32_t *WINAPI msvcrt____lc_handle_func(void) { return crt_lc_handle; }
THK_EXPORT_AS(msvcrt, ___lc_handle_func, msvcrt____lc_handle_func, 0);

/* _getmbcp/_setmbcp: the multibyte code page of the _mbs* functions (mbstring.c). _setmbcp
 * takes a code page kernel32's tables have (not UTF-8, as msvcrt.dll refuses it), 0 (none) or
 * _MB_CP_OEM/_MB_CP_LOCALE; -1 and EINVAL otherwise. */
static int WINAPI msvcrt__getmbcp(void) { return crt_mbc_getcp(); }
THK_EXPORT_AS(msvcrt, _getmbcp, msvcrt__getmbcp, 0);

static int WINAPI msvcrt__setmbcp(int cp)
{
    if (cp == CRT_MB_CP_OEM)
        cp = 437;
    else if (cp == CRT_MB_CP_LOCALE)
        cp = (int)crt_locale_current()->lc_codepage;
    else if (cp == CRT_MB_CP_ANSI)
        cp = 65001;
    if (cp < 0 || !crt_mbc_setcp((uint32_t)cp)) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return 0;
}
THK_EXPORT_AS(msvcrt, _setmbcp, msvcrt__setmbcp, 1);

static char *WINAPI msvcrt_setlocale(int category, const char *locale)
{
    return (char *)crt_setlocale(category, locale, CRT_NAMES_MSVCRT);
}
THK_EXPORT_AS(msvcrt, setlocale, msvcrt_setlocale, 2);

static WCHAR *WINAPI msvcrt__wsetlocale(int category, const WCHAR *locale)
{
    return (WCHAR *)crt_wsetlocale(category, locale, CRT_NAMES_MSVCRT);
}
THK_EXPORT_AS(msvcrt, _wsetlocale, msvcrt__wsetlocale, 2);

/* msvcrt's struct lconv is the first 0x58 bytes of crt_lconv (msvcrt_lib.h). */
static crt_lconv *WINAPI msvcrt_localeconv(void)
{
    return (crt_lconv *)&crt_locale_current()->lconv;
}
THK_EXPORT_AS(msvcrt, localeconv, msvcrt_localeconv, 0);

/* _locale_t objects: the UCRT's layout (msvcrt_lib.h), which programs built for msvcrt do not
 * look into. */
static crt_locale *WINAPI msvcrt__create_locale(int category, const char *name)
{
    if (category < CRT_LC_ALL || category > CRT_LC_MAX || !name)
        return NULL;
    return crt_locale_new(crt_locale_create(category, name, CRT_NAMES_MSVCRT));
}
THK_EXPORT_AS(msvcrt, _create_locale, msvcrt__create_locale, 2);

static crt_locale *WINAPI msvcrt__get_current_locale(void)
{
    return crt_locale_new(crt_locale_current());
}
THK_EXPORT_AS(msvcrt, _get_current_locale, msvcrt__get_current_locale, 0);

static void WINAPI msvcrt__free_locale(crt_locale *l)
{
    if (l)
        crt_free(l);
}
THK_EXPORT_AS(msvcrt, _free_locale, msvcrt__free_locale, 1);

/* Locale bookkeeping the CRT start-up and old code touch: nothing to set up here. */
static int32_t crt_setlc_active, crt_unguarded_readlc_active;
THK_EXPORT_DATA(msvcrt, __setlc_active, &crt_setlc_active);
THK_EXPORT_DATA(msvcrt, __unguarded_readlc_active, &crt_unguarded_readlc_active);
static int WINAPI msvcrt____setlc_active_func(void) { return crt_setlc_active; }
THK_EXPORT_AS(msvcrt, ___setlc_active_func, msvcrt____setlc_active_func, 0);
static int32_t *WINAPI msvcrt____unguarded_readlc_active_add_func(void)
{
    return &crt_unguarded_readlc_active;
}
THK_EXPORT_AS(msvcrt, ___unguarded_readlc_active_add_func,
              msvcrt____unguarded_readlc_active_add_func, 0);
static int WINAPI msvcrt___lconv_init(void) { return 0; }
THK_EXPORT_AS(msvcrt, __lconv_init, msvcrt___lconv_init, 0);
