/* SPDX-License-Identifier: MIT */
/* Locale mapping and classification the static MSVC CRT imports: LCMapStringW/LCMapStringEx
 * (case mapping; the same characters without a case flag), GetStringTypeW/GetStringTypeExW
 * (CT_CTYPE1 as msvcrt's _pwctype below U+0100 plus C1_DEFINED, Unicode classes above; basic
 * CT_CTYPE2/CT_CTYPE3) and EnumSystemLocalesW/Ex (the one locale ntrun has, en-US).
 * LCMAP_SORTKEY keys in CompareString's order, LCMAP_HASH (a hash of that key) and
 * LCMAP_SORTHANDLE (a token for a locale's sort, which the other functions accept and need not:
 * every locale sorts alike here). Not yet: the other LCMapString transforms (LCMAP_HIRAGANA,
 * LCMAP_FULLWIDTH...: ERROR_INVALID_FLAGS).
 * The narrow forms LCMapStringA and GetStringTypeA/GetStringTypeExA (which the static CRT of
 * MSVC 2008 imports) convert through the ANSI code page, as Windows does for a locale that uses
 * it (ntrun's is UTF-8, as CompareStringA's), and call the wide ones: a sort key or a hash is
 * the wide form's bytes; a mapped string goes back to the code page; GetStringTypeA gives one
 * type per character converted. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ERROR_INSUFFICIENT_BUFFER 122
#define K32_ERROR_INVALID_PARAMETER 87
#define K32_ERROR_INVALID_FLAGS 1004
#define K32_LCMAP_LOWERCASE 0x00000100
#define K32_LCMAP_UPPERCASE 0x00000200
#define K32_LCMAP_LINGUISTIC_CASING 0x01000000
#define K32_LCMAP_SORTKEY 0x00000400
#define K32_LCMAP_HASH 0x00040000
#define K32_LCMAP_SORTHANDLE 0x20000000
#define K32_CT_CTYPE1 1
#define K32_CT_CTYPE2 2
#define K32_CT_CTYPE3 4

/* msvcrt's _pwctype (thunks/msvcrt/ctype.c): U+0000..U+00FF as GetStringTypeW's CT_CTYPE1
 * gives them, less C1_DEFINED */
extern const uint16_t crt_wctype_table[256];

static locale_t k32_nls_utf8(void)
{
    static locale_t loc;
    locale_t l = __atomic_load_n(&loc, __ATOMIC_ACQUIRE);
    if (l)
        return l;
    locale_t fresh = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!fresh)
        return (locale_t)0;
    locale_t expected = (locale_t)0;
    if (__atomic_compare_exchange_n(&loc, &expected, fresh, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return fresh;
    freelocale(fresh);
    return expected;
}

static size_t k32_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Without LCMAP_LINGUISTIC_CASING Windows maps with its one-to-one tables (nt_towupper, the
 * RtlUpcaseUnicodeChar table: U+0131 and U+017F stay, U+0130 stays lower-cased); with it, with
 * the locale's linguistic table, which for en-US is the full Unicode simple mapping (U+0131 to
 * I, U+017F to S, U+00B5 to U+039C, as Wine 8.0 gives too). */
static WCHAR k32_map_case(WCHAR c, DWORD flags)
{
    if (c >= 0xd800 && c <= 0xdfff)
        return c;
    if (!(flags & K32_LCMAP_LINGUISTIC_CASING)) {
        if (flags & K32_LCMAP_UPPERCASE)
            return nt_towupper(c);
        if (flags & K32_LCMAP_LOWERCASE)
            return nt_towlower(c);
        return c;
    }
    locale_t l = k32_nls_utf8();
    wint_t m = c;
    if (flags & K32_LCMAP_UPPERCASE)
        m = l ? towupper_l(c, l) : (c >= 'a' && c <= 'z' ? (wint_t)(c - 32) : c);
    else if (flags & K32_LCMAP_LOWERCASE)
        m = l ? towlower_l(c, l) : (c >= 'A' && c <= 'Z' ? (wint_t)(c + 32) : c);
    return m <= 0xffff ? (WCHAR)m : c;
}

/* LCMAP_SORTKEY: a key of bytes (dst and dstlen count bytes) whose memcmp order is
 * CompareString's under the same collation flags (k32_sort_key): .NET's culture-aware
 * GetHashCode (StringComparer.CurrentCulture(IgnoreCase), InvariantCulture...) hashes it in NLS
 * mode. Its bytes are ntrun's own, not Windows' weights; what holds as on Windows is the order
 * and that strings CompareString calls equal get equal keys. */
static int k32_lcmap_sortkey(DWORD flags, const WCHAR *src, int srclen, uint8_t *dst,
                             int dstlen)
{
    if ((flags & ~(K32_LCMAP_SORTKEY | K32_COLLATE_VALID_FLAGS)) ||
        (flags & K32_LCMAP_LINGUISTIC_CASING)) {
        SetLastError(K32_ERROR_INVALID_FLAGS);
        return 0;
    }
    DWORD cmp = flags & K32_COLLATE_VALID_FLAGS;
    size_t n = srclen < 0 ? k32_wlen(src) : (size_t)srclen;
    size_t need = k32_sort_key(cmp, src, n, NULL);
    if (dstlen == 0)
        return (int)need;
    if ((size_t)dstlen < need) {
        SetLastError(K32_ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    k32_sort_key(cmp, src, n, dst);
    return (int)need;
}

/* LCMAP_HASH: a 32-bit hash of the string's sort key under the collation flags in dst (dstlen
 * counts bytes, sizeof(int) at least; 0 asks for the size): strings CompareString finds equal
 * hash alike (.NET tests a sort handle with it). The values are ntrun's own, not Windows'. */
static int k32_lcmap_hash(DWORD flags, const WCHAR *src, int srclen, uint8_t *dst, int dstlen)
{
    if ((flags & ~(K32_LCMAP_HASH | K32_COLLATE_VALID_FLAGS)) ||
        (flags & K32_LCMAP_LINGUISTIC_CASING)) {
        SetLastError(K32_ERROR_INVALID_FLAGS);
        return 0;
    }
    if (dstlen == 0)
        return (int)sizeof(uint32_t);
    if ((size_t)dstlen < sizeof(uint32_t)) {
        SetLastError(K32_ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    size_t n = srclen < 0 ? k32_wlen(src) : (size_t)srclen;
    uint32_t h = k32_sort_hash(flags & K32_COLLATE_VALID_FLAGS, src, n);
    memcpy(dst, &h, sizeof h);
    return (int)sizeof h;
}

int WINAPI LCMapStringW(DWORD lcid, DWORD flags, const WCHAR *src, int srclen, WCHAR *dst,
                        int dstlen)
{
    if ((flags & K32_LCMAP_HASH) && src && srclen && dstlen >= 0 && (!dstlen || dst))
        return k32_lcmap_hash(flags, src, srclen, (uint8_t *)dst, dstlen);
    if ((flags & K32_LCMAP_SORTKEY) && src && srclen && dstlen >= 0 && (!dstlen || dst))
        return k32_lcmap_sortkey(flags, src, srclen, (uint8_t *)dst, dstlen);
    DWORD known = K32_LCMAP_LOWERCASE | K32_LCMAP_UPPERCASE | K32_LCMAP_LINGUISTIC_CASING;
    if (!src || srclen == 0 || dstlen < 0 || (dstlen && !dst) || (dst == src && dstlen)) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    if ((flags & ~known) ||
        (flags & (K32_LCMAP_LOWERCASE | K32_LCMAP_UPPERCASE)) ==
            (K32_LCMAP_LOWERCASE | K32_LCMAP_UPPERCASE)) {
        SetLastError(K32_ERROR_INVALID_FLAGS);
        return 0;
    }
    size_t n = srclen < 0 ? k32_wlen(src) + 1 : (size_t)srclen;
    if (dstlen == 0)
        return (int)n;
    if ((size_t)dstlen < n) {
        SetLastError(K32_ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = k32_map_case(src[i], flags);
    return (int)n;
}
THK_EXPORT(kernel32, LCMapStringW, 6);

int WINAPI LCMapStringEx(const WCHAR *locale, DWORD flags, const WCHAR *src, int srclen,
                         WCHAR *dst, int dstlen, void *version, void *reserved, LONG_PTR handle)
{
    (void)version; (void)reserved; (void)handle;
    if (flags & K32_LCMAP_SORTHANDLE) {
        /* A token for the locale's sort, for the sortHandle argument of the *Ex functions
         * (.NET asks for one per culture): only alone, into a buffer of a handle's size in
         * bytes; its value is the locale's index + 1 (never 0). */
        if (flags != K32_LCMAP_SORTHANDLE) {
            SetLastError(K32_ERROR_INVALID_FLAGS);
            return 0;
        }
        bool known = k32_locale_name_known(locale);
        if (!known || !dst || dstlen < (int)sizeof(LONG_PTR)) {
            SetLastError(!known || !dst ? K32_ERROR_INVALID_PARAMETER
                                        : K32_ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        int loc = k32_locale_index_name(locale);
        LONG_PTR token = (LONG_PTR)loc + 1;
        memcpy(dst, &token, sizeof token);
        return (int)sizeof token;
    }
    (void)locale;
    return LCMapStringW(0x0409, flags, src, srclen, dst, dstlen);
}
THK_EXPORT(kernel32, LCMapStringEx, 9);

static WORD k32_ctype1(WCHAR c)
{
    if (c < 256)
        return (WORD)(crt_wctype_table[c] | 0x200);
    locale_t l = k32_nls_utf8();
    if (!l || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    WORD t = 0;
    if (iswupper_l(c, l)) t |= 0x001;
    if (iswlower_l(c, l)) t |= 0x002;
    if (iswdigit_l(c, l)) t |= 0x004;
    if (iswspace_l(c, l)) t |= 0x008;
    if (iswpunct_l(c, l)) t |= 0x010;
    if (iswcntrl_l(c, l)) t |= 0x020;
    if (iswblank_l(c, l)) t |= 0x040;
    if (iswalpha_l(c, l)) t |= 0x100;
    if (t || iswprint_l(c, l)) t |= 0x200;
    return t;
}

static WORD k32_ctype2(WCHAR c)
{
    WORD t1 = k32_ctype1(c);
    if (t1 & 0x100) return 1;          /* C2_LEFTTORIGHT */
    if (t1 & 0x004) return 3;          /* C2_EUROPENUMBER */
    if (t1 & 0x008) return c == '\n' || c == '\r' ? 9 /* C2_BLOCKSEPARATOR */ : 10;
    if (t1 & 0x010) return 11;         /* C2_OTHERNEUTRAL */
    return 0;                          /* C2_NOTAPPLICABLE */
}

static WORD k32_ctype3(WCHAR c)
{
    WORD t1 = k32_ctype1(c), t = 0;
    if (t1 & 0x100) t |= 0x8000;       /* C3_ALPHA */
    if ((t1 & 0x010) && c < 128) t |= 0x0008; /* C3_SYMBOL */
    if (c >= 0xff00 && c <= 0xffef) t |= 0x0080; /* C3_FULLWIDTH */
    return t;
}

BOOL WINAPI GetStringTypeW(DWORD type, const WCHAR *src, int count, WORD *out)
{
    if (!src || !out || count == 0) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t n = count < 0 ? k32_wlen(src) + 1 : (size_t)count;
    WORD (*f)(WCHAR) = type == K32_CT_CTYPE1 ? k32_ctype1 : type == K32_CT_CTYPE2 ? k32_ctype2
                     : type == K32_CT_CTYPE3 ? k32_ctype3 : NULL;
    if (!f) {
        SetLastError(K32_ERROR_INVALID_FLAGS);
        return FALSE;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = f(src[i]);
    return TRUE;
}
THK_EXPORT(kernel32, GetStringTypeW, 4);

BOOL WINAPI GetStringTypeExW(DWORD lcid, DWORD type, const WCHAR *src, int count, WORD *out)
{
    (void)lcid;
    return GetStringTypeW(type, src, count, out);
}
THK_EXPORT(kernel32, GetStringTypeExW, 5);

/* src converted from the ANSI code page (srclen bytes, or up to and with its NUL when < 0) into
 * a buffer of the caller's to free, its length in units in *wlen; NULL (last error set) when the
 * bytes do not convert or memory is short. */
static WCHAR *k32_ansi_to_wide(const char *src, int srclen, int *wlen)
{
    int n = MultiByteToWideChar(CP_ACP, 0, src, srclen, NULL, 0);
    if (n <= 0)
        return NULL;
    WCHAR *w = malloc((size_t)n * sizeof(WCHAR));
    if (!w) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    *wlen = MultiByteToWideChar(CP_ACP, 0, src, srclen, w, n);
    return w;
}

int WINAPI LCMapStringA(DWORD lcid, DWORD flags, const char *src, int srclen, char *dst,
                        int dstlen)
{
    if (!src || srclen == 0 || dstlen < 0 || (dstlen && !dst)) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    if ((flags & (K32_LCMAP_SORTKEY | K32_LCMAP_HASH)) && dst == src && dstlen) {
        SetLastError(K32_ERROR_INVALID_FLAGS);
        return 0;
    }
    int wlen = 0, ret = 0;
    WCHAR *w = k32_ansi_to_wide(src, srclen, &wlen), *mapped = NULL;
    if (!w)
        return 0;
    if (flags & (K32_LCMAP_SORTKEY | K32_LCMAP_HASH)) {
        /* bytes either way: the wide function fills dst as it would */
        ret = LCMapStringW(lcid, flags, w, wlen, (WCHAR *)dst, dstlen);
        goto free_w;
    }
    int need = LCMapStringW(lcid, flags, w, wlen, NULL, 0);
    if (!need)
        goto free_w;
    mapped = malloc((size_t)need * sizeof(WCHAR));
    if (!mapped) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        goto free_w;
    }
    if (LCMapStringW(lcid, flags, w, wlen, mapped, need) == need)
        ret = WideCharToMultiByte(CP_ACP, 0, mapped, need, dstlen ? dst : NULL, dstlen, NULL,
                                  NULL);
    free(mapped);
free_w:
    free(w);
    return ret;
}
THK_EXPORT(kernel32, LCMapStringA, 6);

BOOL WINAPI GetStringTypeExA(DWORD lcid, DWORD type, const char *src, int count, WORD *out)
{
    (void)lcid;
    if (!src || !out || count == 0) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    int wlen = 0;
    WCHAR *w = k32_ansi_to_wide(src, count, &wlen);
    if (!w)
        return FALSE;
    BOOL ok = GetStringTypeW(type, w, wlen, out);
    free(w);
    return ok;
}
THK_EXPORT(kernel32, GetStringTypeExA, 5);

/* GetStringTypeA takes the locale first, as GetStringTypeExA does (not GetStringTypeW's order) */
BOOL WINAPI GetStringTypeA(DWORD lcid, DWORD type, const char *src, int count, WORD *out)
{
    return GetStringTypeExA(lcid, type, src, count, out);
}
THK_EXPORT(kernel32, GetStringTypeA, 5);

typedef BOOL(WINAPI *k32_locale_enum_w)(WCHAR *name);
typedef BOOL(WINAPI *k32_locale_enum_ex)(WCHAR *name, DWORD flags, LONG_PTR param);

BOOL WINAPI EnumSystemLocalesW(k32_locale_enum_w proc, DWORD flags)
{
    if (!proc) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    WCHAR name[] = u"00000409";
    proc(name);
    return TRUE;
}
THK_EXPORT(kernel32, EnumSystemLocalesW, 2);

BOOL WINAPI EnumSystemLocalesEx(k32_locale_enum_ex proc, DWORD flags, LONG_PTR param, void *res)
{
    (void)res;
    if (!proc) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    WCHAR name[] = u"en-US";
    proc(name, 1 /* LOCALE_WINDOWS */, param);
    return TRUE;
}
THK_EXPORT(kernel32, EnumSystemLocalesEx, 4);
