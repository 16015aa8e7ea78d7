/* SPDX-License-Identifier: MIT */
/* msvcrt's multibyte-character string functions (_mbs*, _mbc*, _ismbb*, _ismbs*) and the
 * multibyte code page they use (_setmbcp/_getmbcp, the _mbctype and _mbcasemap tables).
 *
 * The multibyte code page is the one _setmbcp chose (process-wide), or for the _l forms the
 * LC_CTYPE code page of their locale argument. In a double-byte code page (932, Shift-JIS;
 * 936, GBK) a lead byte (_mbctype's _M1: 932 0x81-0x9F, 0xE0-0xFC; 936 0x81-0xFE) and the
 * byte after it are one character, whose value is lead << 8 | trail; trail bytes (_M2) are
 * 0x40-0x7E and 0x80-0xFC in 932, 0x40-0xFE in 936 (0x7F included, as Windows' CRTs list
 * the range whole, though no GBK pair uses it). In the
 * single-byte ones, and with no multibyte code page (0, the start: the ANSI code page is UTF-8,
 * which msvcrt's _setmbcp does not take), every byte is a character and the functions are
 * their str* counterparts. _mbctype also marks single-byte upper (_SBUP) and lower (_SBLOW)
 * case letters, whose other case _mbcasemap gives, and in 932 the half-width katakana (_MS)
 * and punctuation (_MP). Case mapping of a double-byte character goes through its UTF-16 unit
 * (LCMapStringA's way on Windows: 932's full-width Latin letters change case).
 *
 * Values and edge cases follow Windows' msvcrt (Wine 8.0's as a second opinion): a lead byte
 * right before the terminator is no character for _mbslen/_mbsnlen/_mbsninc/_mbsnccnt, is cut
 * by _mbsnbcpy, and is overwritten by _mbsnbcat; comparisons of double-byte strings return
 * -1, 0 or 1 by character value. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "thunks/kernel32/codepage.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"

#define CRT_MB_MS 0x01    /* _MS: a single-byte katakana (932) */
#define CRT_MB_MP 0x02    /* _MP: a single-byte punctuation (932) */
#define CRT_MB_M1 0x04    /* _M1: a lead byte */
#define CRT_MB_M2 0x08    /* _M2: a trail byte */
#define CRT_MB_SBUP 0x10  /* _SBUP: a single-byte upper-case letter */
#define CRT_MB_SBLOW 0x20 /* _SBLOW: a single-byte lower-case letter */

#define CRT_MBC_SINGLE 0
#define CRT_MBC_LEAD 1
#define CRT_MBC_TRAIL 2
#define CRT_MBC_ILLEGAL (-1)

/* A multibyte code page's tables. Built once per code page, never freed. */
typedef struct crt_mbc {
    uint32_t cp;              /* 0: none (every byte a character) */
    const nls_cp *table;      /* kernel32's tables; NULL for cp 0 */
    bool dbcs;
    uint8_t ctype[257];       /* _mbctype: [0] is EOF's */
    uint8_t casemap[256];     /* _mbcasemap: the other case of a _SBUP/_SBLOW byte */
} crt_mbc;

#define CRT_MBC_MAX 16
static crt_mbc crt_mbcs[CRT_MBC_MAX];
static int crt_mbc_count;
static pthread_mutex_t crt_mbc_lock = PTHREAD_MUTEX_INITIALIZER;
static const crt_mbc *crt_mbc_cur; /* _setmbcp's; NULL: none yet (cp 0) */

/* The exported copies of the current tables, as msvcrt.dll exports its own. */
static uint8_t crt_mbctype[257];
static uint8_t crt_mbcasemap[256];
THK_EXPORT_DATA(msvcrt, _mbctype, crt_mbctype);
THK_EXPORT_DATA(msvcrt, _mbcasemap, crt_mbcasemap);

static locale_t crt_mbc_utf8;

static uint16_t crt_mbc_case_unit(uint16_t u, bool upper)
{
    if (!crt_mbc_utf8)
        return u < 0x80 ? (uint16_t)(upper ? crt_toupper_c(u) : crt_tolower_c(u)) : u;
    return (uint16_t)(upper ? towupper_l(u, crt_mbc_utf8) : towlower_l(u, crt_mbc_utf8));
}

static void crt_mbc_build(crt_mbc *m, uint32_t cp, const nls_cp *t)
{
    memset(m, 0, sizeof *m);
    m->cp = cp;
    m->table = t;
    m->dbcs = t && t->max_char > 1;
    if (!crt_mbc_utf8)
        crt_mbc_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    for (int b = 0; b < 256; b++) {
        if (t && nls_cp_is_lead(t, (uint8_t)b)) {
            m->ctype[b + 1] |= CRT_MB_M1;
            continue;
        }
        uint16_t u = t ? t->mb[b] : (b < 0x80 ? (uint16_t)b : 0);
        unsigned cls = u ? crt_wctype_of(u) : 0;
        uint16_t other = 0;
        if (cls & CRT_UPPER) {
            m->ctype[b + 1] |= CRT_MB_SBUP;
            other = crt_mbc_case_unit(u, false);
        } else if (cls & CRT_LOWER) {
            m->ctype[b + 1] |= CRT_MB_SBLOW;
            other = crt_mbc_case_unit(u, true);
        }
        if (other && other != u) {
            int32_t code = t ? nls_cp_encode(t, other) : (other < 0x80 ? other : -1);
            if (code >= 0 && code <= 0xff)
                m->casemap[b] = (uint8_t)code;
        }
    }
    if (m->dbcs) { /* trail bytes: 932 0x40-0x7E, 0x80-0xFC; 936 0x40-0xFE (0x7F too) */
        int last = cp == 936 ? 0xfe : 0xfc;
        for (int b = 0x40; b <= last; b++)
            if (b != 0x7f || cp == 936)
                m->ctype[b + 1] |= CRT_MB_M2;
    }
    if (cp == 932) {
        for (int b = 0xa1; b <= 0xa5; b++)
            m->ctype[b + 1] |= CRT_MB_MP;
        for (int b = 0xa6; b <= 0xdf; b++)
            m->ctype[b + 1] |= CRT_MB_MS;
    }
}

/* The tables of code page cp (0: none); NULL for a code page ntrun lacks (UTF-8 too). */
static const crt_mbc *crt_mbc_get(uint32_t cp)
{
    const nls_cp *t = NULL;
    if (cp) {
        t = nls_cp_get(cp);
        if (!t)
            return NULL;
    }
    const crt_mbc *r = NULL;
    pthread_mutex_lock(&crt_mbc_lock);
    for (int i = 0; i < crt_mbc_count; i++)
        if (crt_mbcs[i].cp == cp)
            r = &crt_mbcs[i];
    if (!r && crt_mbc_count < CRT_MBC_MAX) {
        crt_mbc_build(&crt_mbcs[crt_mbc_count], cp, t);
        r = &crt_mbcs[crt_mbc_count++];
    }
    pthread_mutex_unlock(&crt_mbc_lock);
    return r;
}

static const crt_mbc *crt_mbc_current(void)
{
    const crt_mbc *m = __atomic_load_n(&crt_mbc_cur, __ATOMIC_ACQUIRE);
    return m ? m : crt_mbc_get(0);
}

/* A _l function's tables: its locale's LC_CTYPE code page, or _setmbcp's for NULL. */
static const crt_mbc *crt_mbc_arg(const void *locale)
{
    if (!locale || !((const crt_locale *)locale)->locinfo)
        return crt_mbc_current();
    const crt_mbc *m = crt_mbc_get(crt_locale_cp_number(crt_locale_arg(locale), CRT_LC_CTYPE));
    return m ? m : crt_mbc_get(0);
}

int crt_mbc_getcp(void)
{
    return (int)crt_mbc_current()->cp;
}

bool crt_mbc_setcp(uint32_t cp)
{
    const crt_mbc *m = cp == 65001 ? NULL : crt_mbc_get(cp);
    if (!m)
        return false;
    pthread_mutex_lock(&crt_mbc_lock);
    memcpy(crt_mbctype, m->ctype, sizeof crt_mbctype);
    memcpy(crt_mbcasemap, m->casemap, sizeof crt_mbcasemap);
    __atomic_store_n(&crt_mbc_cur, m, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&crt_mbc_lock);
    return true;
}

static uint8_t *WINAPI msvcrt___p__mbctype(void) { return crt_mbctype; }
THK_EXPORT_AS(msvcrt, __p__mbctype, msvcrt___p__mbctype, 0);
static uint8_t *WINAPI msvcrt___p__mbcasemap(void) { return crt_mbcasemap; }
THK_EXPORT_AS(msvcrt, __p__mbcasemap, msvcrt___p__mbcasemap, 0);

/* ---- bytes and characters ---- */
static inline bool crt_mb_lead(const crt_mbc *m, unsigned c)
{
    return m->ctype[(c & 0xff) + 1] & CRT_MB_M1;
}
static inline bool crt_mb_trail(const crt_mbc *m, unsigned c)
{
    return m->ctype[(c & 0xff) + 1] & CRT_MB_M2;
}

/* The character at s: lead << 8 | trail for a lead byte (the trail may be the NUL). */
static inline unsigned crt_mb_next(const crt_mbc *m, const uint8_t *s)
{
    return crt_mb_lead(m, s[0]) ? (unsigned)s[0] << 8 | s[1] : s[0];
}

/* Is s[at] the lead byte of a character, scanning from s (not past a NUL)? */
static bool crt_mb_is_lead_at(const crt_mbc *m, const uint8_t *s, const uint8_t *at)
{
    if (!m->dbcs)
        return false;
    bool lead = false;
    for (; s <= at; s++) {
        if (!*s)
            return false;
        lead = !lead && crt_mb_lead(m, *s);
    }
    return lead;
}

/* The case of one character (a byte, or lead << 8 | trail). */
static unsigned crt_mbc_case(const crt_mbc *m, unsigned c, bool upper)
{
    if (c < 0x100) {
        uint8_t flags = m->ctype[c + 1];
        if (upper ? (flags & CRT_MB_SBLOW) : (flags & CRT_MB_SBUP))
            return m->casemap[c] ? m->casemap[c] : c;
        return c;
    }
    if (!m->dbcs || !crt_mb_lead(m, c >> 8))
        return c;
    uint16_t u = nls_cp_unit(m->table, (uint16_t)c);
    uint16_t o = crt_mbc_case_unit(u, upper);
    if (o == u)
        return c;
    int32_t code = nls_cp_encode(m->table, o);
    return code > 0xff ? (unsigned)code : c;
}

/* Exports a function and its _l form: NAME(args) is crt_NAME(crt_mbc_current(), args). */
#define CRT_MB_EXPORT(name, nargs)                                                     \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, nargs);                                 \
    THK_EXPORT_AS(msvcrt, name##_l, msvcrt_##name##_l, nargs + 1)

static int crt__ismbblead(const crt_mbc *m, unsigned c) { return crt_mb_lead(m, c) ? CRT_MB_M1 : 0; }
static int WINAPI msvcrt__ismbblead(unsigned c) { return crt__ismbblead(crt_mbc_current(), c); }
static int WINAPI msvcrt__ismbblead_l(unsigned c, void *l) { return crt__ismbblead(crt_mbc_arg(l), c); }
CRT_MB_EXPORT(_ismbblead, 1);

static int crt__ismbbtrail(const crt_mbc *m, unsigned c) { return crt_mb_trail(m, c) ? CRT_MB_M2 : 0; }
static int WINAPI msvcrt__ismbbtrail(unsigned c) { return crt__ismbbtrail(crt_mbc_current(), c); }
static int WINAPI msvcrt__ismbbtrail_l(unsigned c, void *l) { return crt__ismbbtrail(crt_mbc_arg(l), c); }
CRT_MB_EXPORT(_ismbbtrail, 1);

static int crt__ismbbkana(const crt_mbc *m, unsigned c)
{
    return m->cp == 932 && c >= 0xa1 && c <= 0xdf;
}
static int WINAPI msvcrt__ismbbkana(unsigned c) { return crt__ismbbkana(crt_mbc_current(), c); }
static int WINAPI msvcrt__ismbbkana_l(unsigned c, void *l) { return crt__ismbbkana(crt_mbc_arg(l), c); }
CRT_MB_EXPORT(_ismbbkana, 1);

static int crt__ismbclegal(const crt_mbc *m, unsigned c)
{
    return crt_mb_lead(m, c >> 8) && crt_mb_trail(m, c);
}
static int WINAPI msvcrt__ismbclegal(unsigned c) { return crt__ismbclegal(crt_mbc_current(), c); }
static int WINAPI msvcrt__ismbclegal_l(unsigned c, void *l) { return crt__ismbclegal(crt_mbc_arg(l), c); }
CRT_MB_EXPORT(_ismbclegal, 1);

/* _ismbslead/_ismbstrail: -1 when str points at a lead (trail) byte of start's string. */
static int crt__ismbslead(const crt_mbc *m, const uint8_t *start, const uint8_t *s)
{
    return crt_mb_is_lead_at(m, start, s) ? -1 : 0;
}
static int WINAPI msvcrt__ismbslead(const uint8_t *st, const uint8_t *s) { return crt__ismbslead(crt_mbc_current(), st, s); }
static int WINAPI msvcrt__ismbslead_l(const uint8_t *st, const uint8_t *s, void *l) { return crt__ismbslead(crt_mbc_arg(l), st, s); }
CRT_MB_EXPORT(_ismbslead, 2);

static int crt__ismbstrail(const crt_mbc *m, const uint8_t *start, const uint8_t *s)
{
    return s > start && crt_mb_is_lead_at(m, start, s - 1) ? -1 : 0;
}
static int WINAPI msvcrt__ismbstrail(const uint8_t *st, const uint8_t *s) { return crt__ismbstrail(crt_mbc_current(), st, s); }
static int WINAPI msvcrt__ismbstrail_l(const uint8_t *st, const uint8_t *s, void *l) { return crt__ismbstrail(crt_mbc_arg(l), st, s); }
CRT_MB_EXPORT(_ismbstrail, 2);

/* _mbbtype: type 1 asks whether c may be a trail byte, else whether it is a lead byte or a
 * printable single byte (_ismbbprint: printable in the locale's LC_CTYPE table, or a 932
 * katakana/punctuation byte; in the "C" locale 0x80-0xFF are not, whatever _setmbcp chose). */
static int crt__mbbtype(const crt_mbc *m, const crt_locinfo *li, unsigned c, int type)
{
    c &= 0xff;
    if (type == 1)
        return crt_mb_trail(m, c) ? CRT_MBC_TRAIL : CRT_MBC_ILLEGAL;
    if (crt_mb_lead(m, c))
        return CRT_MBC_LEAD;
    bool print = (li->pctype[c] & (CRT_ALPHA | CRT_DIGIT | CRT_PUNCT | CRT_BLANK)) ||
                 (m->ctype[c + 1] & (CRT_MB_MS | CRT_MB_MP));
    return print ? CRT_MBC_SINGLE : CRT_MBC_ILLEGAL;
}
static int WINAPI msvcrt__mbbtype(uint8_t c, int type)
{
    return crt__mbbtype(crt_mbc_current(), crt_locale_current(), c, type);
}
static int WINAPI msvcrt__mbbtype_l(uint8_t c, int type, void *l)
{
    return crt__mbbtype(crt_mbc_arg(l), crt_locale_arg(l), c, type);
}
CRT_MB_EXPORT(_mbbtype, 2);

/* _mbsbtype: the type of str[count] in the string (_MBC_ILLEGAL past its end). */
static int crt__mbsbtype(const crt_mbc *m, const uint8_t *s, size_t count)
{
    bool lead = false;
    for (size_t i = 0; i < count; i++) {
        if (!s[i])
            return CRT_MBC_ILLEGAL;
        lead = m->dbcs && !lead && crt_mb_lead(m, s[i]);
    }
    if (lead)
        return crt_mb_trail(m, s[count]) ? CRT_MBC_TRAIL : CRT_MBC_ILLEGAL;
    return crt_mb_lead(m, s[count]) ? CRT_MBC_LEAD : CRT_MBC_SINGLE;
}
static int WINAPI msvcrt__mbsbtype(const uint8_t *s, size_t n) { return crt__mbsbtype(crt_mbc_current(), s, n); }
static int WINAPI msvcrt__mbsbtype_l(const uint8_t *s, size_t n, void *l) { return crt__mbsbtype(crt_mbc_arg(l), s, n); }
CRT_MB_EXPORT(_mbsbtype, 2);

/* ---- moving through a string ---- */
static size_t crt__mbclen(const crt_mbc *m, const uint8_t *s) { return crt_mb_lead(m, *s) ? 2 : 1; }
static size_t WINAPI msvcrt__mbclen(const uint8_t *s) { return crt__mbclen(crt_mbc_current(), s); }
static size_t WINAPI msvcrt__mbclen_l(const uint8_t *s, void *l) { return crt__mbclen(crt_mbc_arg(l), s); }
CRT_MB_EXPORT(_mbclen, 1);

static uint8_t *WINAPI msvcrt__mbsinc(const uint8_t *s)
{
    return (uint8_t *)s + crt__mbclen(crt_mbc_current(), s);
}
static uint8_t *WINAPI msvcrt__mbsinc_l(const uint8_t *s, void *l)
{
    return (uint8_t *)s + crt__mbclen(crt_mbc_arg(l), s);
}
CRT_MB_EXPORT(_mbsinc, 1);

static uint8_t *crt__mbsninc(const crt_mbc *m, const uint8_t *s, size_t n)
{
    if (!s)
        return NULL;
    for (; n && *s; n--) {
        if (crt_mb_lead(m, *s)) {
            if (!s[1])
                break;
            s++;
        }
        s++;
    }
    return (uint8_t *)s;
}
static uint8_t *WINAPI msvcrt__mbsninc(const uint8_t *s, size_t n) { return crt__mbsninc(crt_mbc_current(), s, n); }
static uint8_t *WINAPI msvcrt__mbsninc_l(const uint8_t *s, size_t n, void *l) { return crt__mbsninc(crt_mbc_arg(l), s, n); }
CRT_MB_EXPORT(_mbsninc, 2);

static uint8_t *crt__mbsdec(const crt_mbc *m, const uint8_t *start, const uint8_t *cur)
{
    if (!start || !cur || start >= cur)
        return NULL;
    if (m->dbcs && crt__ismbstrail(m, start, cur - 1))
        return (uint8_t *)cur - 2;
    return (uint8_t *)cur - 1;
}
static uint8_t *WINAPI msvcrt__mbsdec(const uint8_t *st, const uint8_t *c) { return crt__mbsdec(crt_mbc_current(), st, c); }
static uint8_t *WINAPI msvcrt__mbsdec_l(const uint8_t *st, const uint8_t *c, void *l) { return crt__mbsdec(crt_mbc_arg(l), st, c); }
CRT_MB_EXPORT(_mbsdec, 2);

static unsigned WINAPI msvcrt__mbsnextc(const uint8_t *s) { return crt_mb_next(crt_mbc_current(), s); }
static unsigned WINAPI msvcrt__mbsnextc_l(const uint8_t *s, void *l) { return crt_mb_next(crt_mbc_arg(l), s); }
CRT_MB_EXPORT(_mbsnextc, 1);

/* _mbsnlen: characters in the first `max` bytes; a lead byte before the NUL is none. */
static size_t crt__mbsnlen(const crt_mbc *m, const uint8_t *s, size_t max)
{
    if (!m->dbcs)
        return strnlen((const char *)s, max);
    size_t i = 0, n = 0;
    while (i < max && s[i]) {
        if (crt_mb_lead(m, s[i]) && !s[++i])
            break;
        i++;
        n++;
    }
    return i < max ? n : max;
}
static size_t WINAPI msvcrt__mbsnlen(const uint8_t *s, size_t n) { return crt__mbsnlen(crt_mbc_current(), s, n); }
static size_t WINAPI msvcrt__mbsnlen_l(const uint8_t *s, size_t n, void *l) { return crt__mbsnlen(crt_mbc_arg(l), s, n); }
CRT_MB_EXPORT(_mbsnlen, 2);
static size_t WINAPI msvcrt__mbslen(const uint8_t *s) { return crt__mbsnlen(crt_mbc_current(), s, SIZE_MAX); }
static size_t WINAPI msvcrt__mbslen_l(const uint8_t *s, void *l) { return crt__mbsnlen(crt_mbc_arg(l), s, SIZE_MAX); }
CRT_MB_EXPORT(_mbslen, 1);

/* _mbsnccnt: characters in the first n bytes; _mbsnbcnt: bytes in the first n characters. */
static size_t crt__mbsnccnt(const crt_mbc *m, const uint8_t *s, size_t n)
{
    if (!m->dbcs) {
        size_t len = strlen((const char *)s);
        return len < n ? len : n;
    }
    size_t r = 0;
    while (*s && n--) {
        if (crt_mb_lead(m, *s)) {
            if (!n)
                break;
            n--;
            s++;
        }
        s++;
        r++;
    }
    return r;
}
static size_t WINAPI msvcrt__mbsnccnt(const uint8_t *s, size_t n) { return crt__mbsnccnt(crt_mbc_current(), s, n); }
static size_t WINAPI msvcrt__mbsnccnt_l(const uint8_t *s, size_t n, void *l) { return crt__mbsnccnt(crt_mbc_arg(l), s, n); }
CRT_MB_EXPORT(_mbsnccnt, 2);

static size_t crt__mbsnbcnt(const crt_mbc *m, const uint8_t *s, size_t n)
{
    if (!m->dbcs) {
        size_t len = strlen((const char *)s);
        return len < n ? len : n;
    }
    const uint8_t *p = s;
    while (*p && n--)
        if (crt_mb_lead(m, *p++))
            p++;
    return (size_t)(p - s);
}
static size_t WINAPI msvcrt__mbsnbcnt(const uint8_t *s, size_t n) { return crt__mbsnbcnt(crt_mbc_current(), s, n); }
static size_t WINAPI msvcrt__mbsnbcnt_l(const uint8_t *s, size_t n, void *l) { return crt__mbsnbcnt(crt_mbc_arg(l), s, n); }
CRT_MB_EXPORT(_mbsnbcnt, 2);

/* ---- searching ---- */
static uint8_t *crt__mbschr(const crt_mbc *m, const uint8_t *s, unsigned c)
{
    if (!m->dbcs)
        return (uint8_t *)strchr((const char *)s, (int)(c & 0xff));
    for (;;) {
        unsigned x = crt_mb_next(m, s);
        if (x == c)
            return (uint8_t *)s;
        if (!x || !s[x > 0xff])
            return NULL;
        s += x > 0xff ? 2 : 1;
    }
}
static uint8_t *WINAPI msvcrt__mbschr(const uint8_t *s, unsigned c) { return crt__mbschr(crt_mbc_current(), s, c); }
static uint8_t *WINAPI msvcrt__mbschr_l(const uint8_t *s, unsigned c, void *l) { return crt__mbschr(crt_mbc_arg(l), s, c); }
CRT_MB_EXPORT(_mbschr, 2);

static uint8_t *crt__mbsrchr(const crt_mbc *m, const uint8_t *s, unsigned c)
{
    if (!m->dbcs)
        return (uint8_t *)strrchr((const char *)s, (int)(c & 0xff));
    const uint8_t *found = NULL;
    for (;;) {
        unsigned x = crt_mb_next(m, s);
        if (x == c)
            found = s;
        if (!x || !s[x > 0xff])
            return (uint8_t *)found;
        s += x > 0xff ? 2 : 1;
    }
}
static uint8_t *WINAPI msvcrt__mbsrchr(const uint8_t *s, unsigned c) { return crt__mbsrchr(crt_mbc_current(), s, c); }
static uint8_t *WINAPI msvcrt__mbsrchr_l(const uint8_t *s, unsigned c, void *l) { return crt__mbsrchr(crt_mbc_arg(l), s, c); }
CRT_MB_EXPORT(_mbsrchr, 2);

/* _mbsstr: a match starts on a character boundary. */
static uint8_t *crt__mbsstr(const crt_mbc *m, const uint8_t *s, const uint8_t *sub)
{
    size_t n = strlen((const char *)sub);
    for (;;) {
        if (!strncmp((const char *)s, (const char *)sub, n))
            return (uint8_t *)s;
        if (!*s)
            return NULL;
        s += crt_mb_lead(m, *s) && s[1] ? 2 : 1;
    }
}
static uint8_t *WINAPI msvcrt__mbsstr(const uint8_t *s, const uint8_t *t) { return crt__mbsstr(crt_mbc_current(), s, t); }
static uint8_t *WINAPI msvcrt__mbsstr_l(const uint8_t *s, const uint8_t *t, void *l) { return crt__mbsstr(crt_mbc_arg(l), s, t); }
CRT_MB_EXPORT(_mbsstr, 2);

/* Is character c (its bytes at p) one of set's? */
static bool crt_mb_in_set(const crt_mbc *m, const uint8_t *p, const uint8_t *set)
{
    for (const uint8_t *q = set; *q; q++) {
        if (crt_mb_lead(m, *q)) {
            if (!q[1])
                return false;
            if (p[0] == q[0] && p[1] == q[1])
                return true;
            q++;
        } else if (p[0] == q[0]) {
            return true;
        }
    }
    return false;
}

static size_t crt__mbsspn(const crt_mbc *m, const uint8_t *s, const uint8_t *set)
{
    const uint8_t *p = s;
    while (*p && crt_mb_in_set(m, p, set))
        p += crt_mb_lead(m, *p) && p[1] ? 2 : 1;
    return (size_t)(p - s);
}
static size_t WINAPI msvcrt__mbsspn(const uint8_t *s, const uint8_t *t) { return crt__mbsspn(crt_mbc_current(), s, t); }
static size_t WINAPI msvcrt__mbsspn_l(const uint8_t *s, const uint8_t *t, void *l) { return crt__mbsspn(crt_mbc_arg(l), s, t); }
CRT_MB_EXPORT(_mbsspn, 2);

static uint8_t *WINAPI msvcrt__mbsspnp(const uint8_t *s, const uint8_t *t)
{
    s += crt__mbsspn(crt_mbc_current(), s, t);
    return *s ? (uint8_t *)s : NULL;
}
static uint8_t *WINAPI msvcrt__mbsspnp_l(const uint8_t *s, const uint8_t *t, void *l)
{
    s += crt__mbsspn(crt_mbc_arg(l), s, t);
    return *s ? (uint8_t *)s : NULL;
}
CRT_MB_EXPORT(_mbsspnp, 2);

static size_t crt__mbscspn(const crt_mbc *m, const uint8_t *s, const uint8_t *set)
{
    const uint8_t *p = s;
    while (*p && !crt_mb_in_set(m, p, set))
        p += crt_mb_lead(m, *p) && p[1] ? 2 : 1;
    return (size_t)(p - s);
}
static size_t WINAPI msvcrt__mbscspn(const uint8_t *s, const uint8_t *t) { return crt__mbscspn(crt_mbc_current(), s, t); }
static size_t WINAPI msvcrt__mbscspn_l(const uint8_t *s, const uint8_t *t, void *l) { return crt__mbscspn(crt_mbc_arg(l), s, t); }
CRT_MB_EXPORT(_mbscspn, 2);

static uint8_t *crt__mbspbrk(const crt_mbc *m, const uint8_t *s, const uint8_t *set)
{
    s += crt__mbscspn(m, s, set);
    return *s ? (uint8_t *)s : NULL;
}
static uint8_t *WINAPI msvcrt__mbspbrk(const uint8_t *s, const uint8_t *t) { return crt__mbspbrk(crt_mbc_current(), s, t); }
static uint8_t *WINAPI msvcrt__mbspbrk_l(const uint8_t *s, const uint8_t *t, void *l) { return crt__mbspbrk(crt_mbc_arg(l), s, t); }
CRT_MB_EXPORT(_mbspbrk, 2);

/* ---- comparing: by character value, -1/0/1 (the single-byte pages: as strcmp) ---- */
static int crt_mb_cmp(const crt_mbc *m, const uint8_t *a, const uint8_t *b, size_t n, bool bytes,
                      bool nocase)
{
    while (n) {
        if (!*a)
            return *b ? -1 : 0;
        if (!*b)
            return 1;
        unsigned ca, cb;
        size_t len = 1;
        if (m->dbcs && crt_mb_lead(m, *a)) {
            len = 2;
            ca = bytes && n < 2 ? 0 : crt_mb_next(m, a);
        } else {
            ca = *a;
        }
        if (m->dbcs && crt_mb_lead(m, *b))
            cb = bytes && n < 2 ? 0 : crt_mb_next(m, b);
        else
            cb = *b;
        if (nocase) {
            ca = crt_mbc_case(m, ca, false);
            cb = crt_mbc_case(m, cb, false);
        }
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (len == 2 && !a[1])
            return 0;
        a += len;
        b += len;
        n = bytes ? (n > len ? n - len : 0) : n - 1;
    }
    return 0;
}

static int WINAPI msvcrt__mbscmp(const uint8_t *a, const uint8_t *b) { return crt_mb_cmp(crt_mbc_current(), a, b, SIZE_MAX, false, false); }
static int WINAPI msvcrt__mbscmp_l(const uint8_t *a, const uint8_t *b, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, SIZE_MAX, false, false); }
CRT_MB_EXPORT(_mbscmp, 2);
static int WINAPI msvcrt__mbsicmp(const uint8_t *a, const uint8_t *b) { return crt_mb_cmp(crt_mbc_current(), a, b, SIZE_MAX, false, true); }
static int WINAPI msvcrt__mbsicmp_l(const uint8_t *a, const uint8_t *b, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, SIZE_MAX, false, true); }
CRT_MB_EXPORT(_mbsicmp, 2);
static int WINAPI msvcrt__mbsncmp(const uint8_t *a, const uint8_t *b, size_t n) { return crt_mb_cmp(crt_mbc_current(), a, b, n, false, false); }
static int WINAPI msvcrt__mbsncmp_l(const uint8_t *a, const uint8_t *b, size_t n, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, n, false, false); }
CRT_MB_EXPORT(_mbsncmp, 3);
static int WINAPI msvcrt__mbsnicmp(const uint8_t *a, const uint8_t *b, size_t n) { return crt_mb_cmp(crt_mbc_current(), a, b, n, false, true); }
static int WINAPI msvcrt__mbsnicmp_l(const uint8_t *a, const uint8_t *b, size_t n, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, n, false, true); }
CRT_MB_EXPORT(_mbsnicmp, 3);
static int WINAPI msvcrt__mbsnbcmp(const uint8_t *a, const uint8_t *b, size_t n) { return crt_mb_cmp(crt_mbc_current(), a, b, n, true, false); }
static int WINAPI msvcrt__mbsnbcmp_l(const uint8_t *a, const uint8_t *b, size_t n, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, n, true, false); }
CRT_MB_EXPORT(_mbsnbcmp, 3);
static int WINAPI msvcrt__mbsnbicmp(const uint8_t *a, const uint8_t *b, size_t n) { return crt_mb_cmp(crt_mbc_current(), a, b, n, true, true); }
static int WINAPI msvcrt__mbsnbicmp_l(const uint8_t *a, const uint8_t *b, size_t n, void *l) { return crt_mb_cmp(crt_mbc_arg(l), a, b, n, true, true); }
CRT_MB_EXPORT(_mbsnbicmp, 3);

/* ---- case ---- */
static unsigned WINAPI msvcrt__mbctolower(unsigned c) { return crt_mbc_case(crt_mbc_current(), c, false); }
static unsigned WINAPI msvcrt__mbctolower_l(unsigned c, void *l) { return crt_mbc_case(crt_mbc_arg(l), c, false); }
CRT_MB_EXPORT(_mbctolower, 1);
static unsigned WINAPI msvcrt__mbctoupper(unsigned c) { return crt_mbc_case(crt_mbc_current(), c, true); }
static unsigned WINAPI msvcrt__mbctoupper_l(unsigned c, void *l) { return crt_mbc_case(crt_mbc_arg(l), c, true); }
CRT_MB_EXPORT(_mbctoupper, 1);

/* Changes the case of s in place, at most `size` bytes; false when no NUL came first. */
static bool crt_mbs_case(const crt_mbc *m, uint8_t *s, size_t size, bool upper)
{
    while (size && *s) {
        if (m->dbcs && crt_mb_lead(m, *s) && s[1] && size >= 2) {
            unsigned c = crt_mbc_case(m, crt_mb_next(m, s), upper);
            s[0] = (uint8_t)(c >> 8);
            s[1] = (uint8_t)c;
            s += 2;
            size -= 2;
        } else {
            *s = (uint8_t)crt_mbc_case(m, *s, upper);
            s++;
            size--;
        }
    }
    return size != 0;
}
static uint8_t *WINAPI msvcrt__mbsupr(uint8_t *s)
{
    if (s)
        crt_mbs_case(crt_mbc_current(), s, SIZE_MAX, true);
    return s;
}
static uint8_t *WINAPI msvcrt__mbsupr_l(uint8_t *s, void *l)
{
    if (s)
        crt_mbs_case(crt_mbc_arg(l), s, SIZE_MAX, true);
    return s;
}
CRT_MB_EXPORT(_mbsupr, 1);
static uint8_t *WINAPI msvcrt__mbslwr(uint8_t *s)
{
    if (s)
        crt_mbs_case(crt_mbc_current(), s, SIZE_MAX, false);
    return s;
}
static uint8_t *WINAPI msvcrt__mbslwr_l(uint8_t *s, void *l)
{
    if (s)
        crt_mbs_case(crt_mbc_arg(l), s, SIZE_MAX, false);
    return s;
}
CRT_MB_EXPORT(_mbslwr, 1);

static int crt_mbs_case_s(const crt_mbc *m, uint8_t *s, size_t size, bool upper)
{
    if (!s && !size)
        return 0;
    if (!s || !size || !crt_mbs_case(m, s, size, upper)) {
        if (s && size)
            *s = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    return 0;
}
static int WINAPI msvcrt__mbsupr_s(uint8_t *s, size_t n) { return crt_mbs_case_s(crt_mbc_current(), s, n, true); }
static int WINAPI msvcrt__mbsupr_s_l(uint8_t *s, size_t n, void *l) { return crt_mbs_case_s(crt_mbc_arg(l), s, n, true); }
CRT_MB_EXPORT(_mbsupr_s, 2);
static int WINAPI msvcrt__mbslwr_s(uint8_t *s, size_t n) { return crt_mbs_case_s(crt_mbc_current(), s, n, false); }
static int WINAPI msvcrt__mbslwr_s_l(uint8_t *s, size_t n, void *l) { return crt_mbs_case_s(crt_mbc_arg(l), s, n, false); }
CRT_MB_EXPORT(_mbslwr_s, 2);

/* ---- copying ---- */
static uint8_t *WINAPI msvcrt__mbscpy(uint8_t *d, const uint8_t *s)
{
    return (uint8_t *)strcpy((char *)d, (const char *)s);
}
THK_EXPORT_AS(msvcrt, _mbscpy, msvcrt__mbscpy, 2);
static uint8_t *WINAPI msvcrt__mbscat(uint8_t *d, const uint8_t *s)
{
    return (uint8_t *)strcat((char *)d, (const char *)s);
}
THK_EXPORT_AS(msvcrt, _mbscat, msvcrt__mbscat, 2);
static uint8_t *WINAPI msvcrt__mbsdup(const uint8_t *s)
{
    if (!s)
        return NULL;
    size_t n = strlen((const char *)s) + 1;
    uint8_t *d = crt_malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}
THK_EXPORT_AS(msvcrt, _mbsdup, msvcrt__mbsdup, 1);

/* _mbccpy: one character (two bytes for a lead byte). */
static int crt__mbccpy_s(const crt_mbc *m, uint8_t *d, size_t size, int *copied,
                         const uint8_t *s)
{
    if (copied)
        *copied = 0;
    if (!d || !size) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    d[0] = 0;
    if (!s) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (crt_mb_lead(m, *s)) {
        if (!s[1]) {
            if (copied)
                *copied = 1;
            crt_set_errno(CRT_EILSEQ);
            return CRT_EILSEQ;
        }
        if (size < 2) {
            crt_set_errno(CRT_ERANGE);
            return CRT_ERANGE;
        }
        d[0] = s[0];
        d[1] = s[1];
        if (copied)
            *copied = 2;
        return 0;
    }
    d[0] = s[0];
    if (copied)
        *copied = 1;
    return 0;
}
static void WINAPI msvcrt__mbccpy(uint8_t *d, const uint8_t *s) { crt__mbccpy_s(crt_mbc_current(), d, 2, NULL, s); }
static void WINAPI msvcrt__mbccpy_l(uint8_t *d, const uint8_t *s, void *l) { crt__mbccpy_s(crt_mbc_arg(l), d, 2, NULL, s); }
CRT_MB_EXPORT(_mbccpy, 2);
static int WINAPI msvcrt__mbccpy_s(uint8_t *d, size_t n, int *c, const uint8_t *s) { return crt__mbccpy_s(crt_mbc_current(), d, n, c, s); }
static int WINAPI msvcrt__mbccpy_s_l(uint8_t *d, size_t n, int *c, const uint8_t *s, void *l) { return crt__mbccpy_s(crt_mbc_arg(l), d, n, c, s); }
CRT_MB_EXPORT(_mbccpy_s, 4);

/* strncpy for a single-byte code page: up to n bytes, NUL padding to n. */
static uint8_t *crt_sb_ncpy_pad(uint8_t *d, const uint8_t *s, size_t n)
{
    uint8_t *r = d;
    while (n) {
        n--;
        if (!(*d++ = *s++))
            break;
    }
    while (n--)
        *d++ = 0;
    return r;
}

/* _mbsncpy: n characters, then NULs up to n more bytes (as strncpy pads). */
static uint8_t *crt__mbsncpy(const crt_mbc *m, uint8_t *d, const uint8_t *s, size_t n)
{
    uint8_t *r = d;
    if (!n)
        return d;
    if (m->dbcs) {
        while (*s && n) {
            n--;
            if (crt_mb_lead(m, *s)) {
                if (!s[1]) {
                    *d++ = 0;
                    *d++ = 0;
                    break;
                }
                *d++ = *s++;
            }
            *d++ = *s++;
        }
    } else {
        return crt_sb_ncpy_pad(d, s, n);
    }
    while (n--)
        *d++ = 0;
    return r;
}
static uint8_t *WINAPI msvcrt__mbsncpy(uint8_t *d, const uint8_t *s, size_t n) { return crt__mbsncpy(crt_mbc_current(), d, s, n); }
static uint8_t *WINAPI msvcrt__mbsncpy_l(uint8_t *d, const uint8_t *s, size_t n, void *l) { return crt__mbsncpy(crt_mbc_arg(l), d, s, n); }
CRT_MB_EXPORT(_mbsncpy, 3);

/* _mbsnbcpy: n bytes, a lead byte left last is cleared, NUL padding. */
static uint8_t *crt__mbsnbcpy(const crt_mbc *m, uint8_t *d, const uint8_t *s, size_t n)
{
    uint8_t *r = d;
    if (!n)
        return d;
    if (m->dbcs) {
        bool lead = false;
        while (*s && n) {
            lead = !lead && crt_mb_lead(m, *s);
            n--;
            *d++ = *s++;
        }
        if (lead)
            d[-1] = 0;
    } else {
        return crt_sb_ncpy_pad(d, s, n);
    }
    while (n--)
        *d++ = 0;
    return r;
}
static uint8_t *WINAPI msvcrt__mbsnbcpy(uint8_t *d, const uint8_t *s, size_t n) { return crt__mbsnbcpy(crt_mbc_current(), d, s, n); }
static uint8_t *WINAPI msvcrt__mbsnbcpy_l(uint8_t *d, const uint8_t *s, size_t n, void *l) { return crt__mbsnbcpy(crt_mbc_arg(l), d, s, n); }
CRT_MB_EXPORT(_mbsnbcpy, 3);

static int crt_mb_fail(uint8_t *d, int e)
{
    if (d)
        d[0] = 0;
    crt_set_errno(e);
    return e;
}

/* _mbsnbcpy_s: at most n bytes (a cut character dropped), NUL-terminated, no padding. */
static int crt__mbsnbcpy_s(const crt_mbc *m, uint8_t *d, size_t size, const uint8_t *s, size_t n)
{
    if (!d || !size) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (!s)
        return crt_mb_fail(d, CRT_EINVAL);
    size_t pos = 0;
    bool lead = false;
    while (n && *s) {
        if (pos == size)
            return crt_mb_fail(d, CRT_ERANGE);
        lead = m->dbcs && !lead && crt_mb_lead(m, *s);
        d[pos++] = *s++;
        n--;
    }
    if (lead)
        pos--;
    if (pos >= size)
        return crt_mb_fail(d, CRT_ERANGE);
    d[pos] = 0;
    return 0;
}
static int WINAPI msvcrt__mbsnbcpy_s(uint8_t *d, size_t z, const uint8_t *s, size_t n) { return crt__mbsnbcpy_s(crt_mbc_current(), d, z, s, n); }
static int WINAPI msvcrt__mbsnbcpy_s_l(uint8_t *d, size_t z, const uint8_t *s, size_t n, void *l) { return crt__mbsnbcpy_s(crt_mbc_arg(l), d, z, s, n); }
CRT_MB_EXPORT(_mbsnbcpy_s, 4);
static int WINAPI msvcrt__mbscpy_s(uint8_t *d, size_t z, const uint8_t *s) { return crt__mbsnbcpy_s(crt_mbc_current(), d, z, s, SIZE_MAX); }
static int WINAPI msvcrt__mbscpy_s_l(uint8_t *d, size_t z, const uint8_t *s, void *l) { return crt__mbsnbcpy_s(crt_mbc_arg(l), d, z, s, SIZE_MAX); }
CRT_MB_EXPORT(_mbscpy_s, 3);

/* The end of d's string for appending: a lead byte right before its NUL is overwritten. */
static uint8_t *crt_mb_append_at(const crt_mbc *m, uint8_t *d)
{
    if (!m->dbcs)
        return d + strlen((char *)d);
    while (*d) {
        if (crt_mb_lead(m, *d++)) {
            if (!*d)
                return d - 1;
            d++;
        }
    }
    return d;
}

/* _mbsncat: n characters of s; _mbsnbcat: n bytes. */
static uint8_t *crt__mbsncat(const crt_mbc *m, uint8_t *d, const uint8_t *s, size_t n, bool bytes)
{
    uint8_t *p = crt_mb_append_at(m, d);
    while (*s && n--) {
        if (!bytes && crt_mb_lead(m, *s) && s[1])
            *p++ = *s++;
        *p++ = *s++;
    }
    *p = 0;
    return d;
}
static uint8_t *WINAPI msvcrt__mbsncat(uint8_t *d, const uint8_t *s, size_t n) { return crt__mbsncat(crt_mbc_current(), d, s, n, false); }
static uint8_t *WINAPI msvcrt__mbsncat_l(uint8_t *d, const uint8_t *s, size_t n, void *l) { return crt__mbsncat(crt_mbc_arg(l), d, s, n, false); }
CRT_MB_EXPORT(_mbsncat, 3);
static uint8_t *WINAPI msvcrt__mbsnbcat(uint8_t *d, const uint8_t *s, size_t n) { return crt__mbsncat(crt_mbc_current(), d, s, n, true); }
static uint8_t *WINAPI msvcrt__mbsnbcat_l(uint8_t *d, const uint8_t *s, size_t n, void *l) { return crt__mbsncat(crt_mbc_arg(l), d, s, n, true); }
CRT_MB_EXPORT(_mbsnbcat, 3);

/* ---- tokens ---- */
static __thread uint8_t *crt_mbstok_next;

static uint8_t *crt__mbstok_s(const crt_mbc *m, uint8_t *s, const uint8_t *delim, uint8_t **ctx)
{
    if (!delim || !ctx || (!s && !*ctx)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    if (!s)
        s = *ctx;
    unsigned c;
    while ((c = crt_mb_next(m, s)) && crt__mbschr(m, delim, c))
        s += c > 0xff ? 2 : 1;
    if (!*s) {
        *ctx = s;
        return NULL;
    }
    uint8_t *e = s + (c > 0xff && s[1] ? 2 : 1);
    while ((c = crt_mb_next(m, e)) && !crt__mbschr(m, delim, c))
        e += c > 0xff && e[1] ? 2 : 1;
    if (*e) {
        *e++ = 0;
        if (c > 0xff)
            *e++ = 0;
    }
    *ctx = e;
    return s;
}
static uint8_t *WINAPI msvcrt__mbstok_s(uint8_t *s, const uint8_t *d, uint8_t **ctx) { return crt__mbstok_s(crt_mbc_current(), s, d, ctx); }
static uint8_t *WINAPI msvcrt__mbstok_s_l(uint8_t *s, const uint8_t *d, uint8_t **ctx, void *l) { return crt__mbstok_s(crt_mbc_arg(l), s, d, ctx); }
CRT_MB_EXPORT(_mbstok_s, 3);
static uint8_t *WINAPI msvcrt__mbstok(uint8_t *s, const uint8_t *d)
{
    if (!s && !crt_mbstok_next)
        return NULL;
    return crt__mbstok_s(crt_mbc_current(), s, d, &crt_mbstok_next);
}
static uint8_t *WINAPI msvcrt__mbstok_l(uint8_t *s, const uint8_t *d, void *l)
{
    if (!s && !crt_mbstok_next)
        return NULL;
    return crt__mbstok_s(crt_mbc_arg(l), s, d, &crt_mbstok_next);
}
CRT_MB_EXPORT(_mbstok, 2);

/* ---- reversing and filling ---- */
static uint8_t *crt__mbsrev(const crt_mbc *m, uint8_t *s)
{
    size_t n = strlen((char *)s);
    if (m->dbcs) { /* reverse the bytes of each double-byte character, then the whole */
        for (size_t i = 0; i < n; i++) {
            if (crt_mb_lead(m, s[i]) && i + 1 < n) {
                uint8_t t = s[i];
                s[i] = s[i + 1];
                s[i + 1] = t;
                i++;
            }
        }
    }
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        uint8_t t = s[i];
        s[i] = s[j - 1];
        s[j - 1] = t;
    }
    return s;
}
static uint8_t *WINAPI msvcrt__mbsrev(uint8_t *s) { return crt__mbsrev(crt_mbc_current(), s); }
static uint8_t *WINAPI msvcrt__mbsrev_l(uint8_t *s, void *l) { return crt__mbsrev(crt_mbc_arg(l), s); }
CRT_MB_EXPORT(_mbsrev, 1);

/* _mbsset/_mbsnset: every character (n of them) becomes c; a double-byte c over a string of
 * odd length leaves the last byte a NUL. _mbsnbset counts bytes and pads with a space. */
static uint8_t *crt__mbsnset(const crt_mbc *m, uint8_t *s, unsigned c, size_t n, bool bytes)
{
    uint8_t *r = s;
    if (!m->dbcs || c < 0x100) {
        for (; n && *s; n--)
            *s++ = (uint8_t)c;
        return r;
    }
    while (n && s[0] && s[1] && (!bytes || n > 1)) {
        *s++ = (uint8_t)(c >> 8);
        *s++ = (uint8_t)c;
        n -= bytes ? 2 : 1;
    }
    if (n && s[0])
        s[0] = bytes ? ' ' : 0;
    return r;
}
static uint8_t *WINAPI msvcrt__mbsset(uint8_t *s, unsigned c) { return crt__mbsnset(crt_mbc_current(), s, c, SIZE_MAX, false); }
static uint8_t *WINAPI msvcrt__mbsset_l(uint8_t *s, unsigned c, void *l) { return crt__mbsnset(crt_mbc_arg(l), s, c, SIZE_MAX, false); }
CRT_MB_EXPORT(_mbsset, 2);
static uint8_t *WINAPI msvcrt__mbsnset(uint8_t *s, unsigned c, size_t n) { return crt__mbsnset(crt_mbc_current(), s, c, n, false); }
static uint8_t *WINAPI msvcrt__mbsnset_l(uint8_t *s, unsigned c, size_t n, void *l) { return crt__mbsnset(crt_mbc_arg(l), s, c, n, false); }
CRT_MB_EXPORT(_mbsnset, 3);
static uint8_t *WINAPI msvcrt__mbsnbset(uint8_t *s, unsigned c, size_t n) { return crt__mbsnset(crt_mbc_current(), s, c, n, true); }
static uint8_t *WINAPI msvcrt__mbsnbset_l(uint8_t *s, unsigned c, size_t n, void *l) { return crt__mbsnset(crt_mbc_arg(l), s, c, n, true); }
CRT_MB_EXPORT(_mbsnbset, 3);
