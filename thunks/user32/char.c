/* SPDX-License-Identifier: MIT */
/* user32 character functions: CharUpper/CharLower (a string, or one character passed in the
 * pointer's low word), CharUpperBuff/CharLowerBuff, CharNext/CharPrev, IsCharAlpha,
 * IsCharAlphaNumeric, IsCharUpper/Lower. The A forms work on the ANSI code page (UTF-8), the
 * Ex forms on the code page they are given. */
#include <locale.h>
#include <string.h>
#include <wctype.h>
#include "thunks/user32/user32_private.h"

static locale_t u32_locale(void)
{
    static locale_t loc;
    static bool tried;
    if (!__atomic_load_n(&tried, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&loc, newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0),
                         __ATOMIC_RELAXED);
        __atomic_store_n(&tried, true, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&loc, __ATOMIC_RELAXED);
}

/* CharUpper/CharLower use Windows' one-to-one case tables, the RtlUpcaseUnicodeChar one
 * (ntemu/utf.c): U+0131 and U+017F are not upper-cased to I and S, U+0130 is not lower-cased
 * to i. Microsoft's CharUpper page: it always maps i to I, even for Turkish. */
WCHAR u32_toupper(WCHAR c)
{
    return nt_towupper(c);
}

WCHAR u32_tolower(WCHAR c)
{
    return nt_towlower(c);
}

static bool u32_isalpha(WCHAR c)
{
    locale_t l = u32_locale();
    return l ? iswalpha_l(c, l) : ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool u32_isdigit(WCHAR c)
{
    locale_t l = u32_locale();
    return l ? iswdigit_l(c, l) : (c >= '0' && c <= '9');
}

DWORD WINAPI CharUpperBuffW(WCHAR *s, DWORD n)
{
    if (!s)
        return 0;
    for (DWORD i = 0; i < n; i++)
        s[i] = u32_toupper(s[i]);
    return n;
}
THK_EXPORT(user32, CharUpperBuffW, 2);

DWORD WINAPI CharLowerBuffW(WCHAR *s, DWORD n)
{
    if (!s)
        return 0;
    for (DWORD i = 0; i < n; i++)
        s[i] = u32_tolower(s[i]);
    return n;
}
THK_EXPORT(user32, CharLowerBuffW, 2);

WCHAR *WINAPI CharUpperW(WCHAR *s)
{
    if ((uintptr_t)s < 0x10000)
        return (WCHAR *)(uintptr_t)u32_toupper((WCHAR)(uintptr_t)s);
    for (WCHAR *p = s; *p; p++)
        *p = u32_toupper(*p);
    return s;
}
THK_EXPORT(user32, CharUpperW, 1);

WCHAR *WINAPI CharLowerW(WCHAR *s)
{
    if ((uintptr_t)s < 0x10000)
        return (WCHAR *)(uintptr_t)u32_tolower((WCHAR)(uintptr_t)s);
    for (WCHAR *p = s; *p; p++)
        *p = u32_tolower(*p);
    return s;
}
THK_EXPORT(user32, CharLowerW, 1);

/* The A forms change ASCII letters only (multi-byte UTF-8 sequences are left as they are). */
char *WINAPI CharUpperA(char *s)
{
    if ((uintptr_t)s < 0x10000) {
        unsigned c = (unsigned)(uintptr_t)s & 0xff;
        return (char *)(uintptr_t)(c >= 'a' && c <= 'z' ? c - 0x20 : c);
    }
    for (char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 0x20);
    return s;
}
THK_EXPORT(user32, CharUpperA, 1);

char *WINAPI CharLowerA(char *s)
{
    if ((uintptr_t)s < 0x10000) {
        unsigned c = (unsigned)(uintptr_t)s & 0xff;
        return (char *)(uintptr_t)(c >= 'A' && c <= 'Z' ? c + 0x20 : c);
    }
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 0x20);
    return s;
}
THK_EXPORT(user32, CharLowerA, 1);

DWORD WINAPI CharUpperBuffA(char *s, DWORD n)
{
    for (DWORD i = 0; s && i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 0x20);
    return s ? n : 0;
}
THK_EXPORT(user32, CharUpperBuffA, 2);

DWORD WINAPI CharLowerBuffA(char *s, DWORD n)
{
    for (DWORD i = 0; s && i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] + 0x20);
    return s ? n : 0;
}
THK_EXPORT(user32, CharLowerBuffA, 2);

WCHAR *WINAPI CharNextW(const WCHAR *s) { return (WCHAR *)(*s ? s + 1 : s); }
THK_EXPORT(user32, CharNextW, 1);

WCHAR *WINAPI CharPrevW(const WCHAR *start, const WCHAR *s)
{
    return (WCHAR *)(s > start ? s - 1 : start);
}
THK_EXPORT(user32, CharPrevW, 2);

/* UTF-8 (the ANSI code page): the next character starts after the continuation bytes. */
static char *u32_next_utf8(const char *s)
{
    if (!*s)
        return (char *)s;
    s++;
    while ((*s & 0xc0) == 0x80)
        s++;
    return (char *)s;
}

char *WINAPI CharNextA(const char *s) { return u32_next_utf8(s); }
THK_EXPORT(user32, CharNextA, 1);

BOOL WINAPI IsDBCSLeadByteEx(UINT cp, BYTE b); /* kernel32 */

/* The ANSI code page is UTF-8 (CP_ACP, CP_MACCP, CP_THREAD_ACP and CP_UTF8 itself); any other
 * code page steps over a lead byte and its trail byte (DBCS: 932, 936, 949, 950), else one
 * byte. A lead byte before the terminating NUL is one character, as on Windows. */
static bool u32_cp_utf8(uint16_t cp) { return cp == 0 || cp == 2 || cp == 3 || cp == 65001; }

static char *u32_next_cp(uint16_t cp, const char *s)
{
    if (u32_cp_utf8(cp))
        return u32_next_utf8(s);
    if (!*s)
        return (char *)s;
    if (s[1] && IsDBCSLeadByteEx(cp, (BYTE)s[0]))
        return (char *)s + 2;
    return (char *)s + 1;
}

char *WINAPI CharNextExA(uint16_t cp, const char *s, DWORD flags)
{
    (void)flags; /* reserved */
    return u32_next_cp(cp, s);
}
THK_EXPORT(user32, CharNextExA, 3);

/* The character before `s`, found by walking from `start` (a trail byte may look like a lead
 * byte: only a walk from the string's start tells); `start` itself when s <= start. The walk
 * stops at a NUL between them, as Windows' does. 7-Zip 26 reading a zip archive's names. */
char *WINAPI CharPrevExA(uint16_t cp, const char *start, const char *s, DWORD flags)
{
    (void)flags; /* reserved */
    const char *p = start;
    while (p < s && *p) {
        const char *next = u32_next_cp(cp, p);
        if (next >= s)
            break;
        p = next;
    }
    return (char *)p;
}
THK_EXPORT(user32, CharPrevExA, 4);

char *WINAPI CharPrevA(const char *start, const char *s)
{
    if (s <= start)
        return (char *)start;
    s--;
    while (s > start && (*s & 0xc0) == 0x80)
        s--;
    return (char *)s;
}
THK_EXPORT(user32, CharPrevA, 2);

BOOL WINAPI IsCharAlphaW(WCHAR c) { return u32_isalpha(c); }
THK_EXPORT(user32, IsCharAlphaW, 1);

BOOL WINAPI IsCharAlphaNumericW(WCHAR c) { return u32_isalpha(c) || u32_isdigit(c); }
THK_EXPORT(user32, IsCharAlphaNumericW, 1);

/* C1_UPPER/C1_LOWER: the letter's Unicode class, not whether the case table maps it (U+0131
 * and U+00DF are lower case letters the table leaves alone). */
BOOL WINAPI IsCharUpperW(WCHAR c)
{
    locale_t l = u32_locale();
    return l ? iswupper_l(c, l) != 0 : (c >= 'A' && c <= 'Z');
}
THK_EXPORT(user32, IsCharUpperW, 1);

BOOL WINAPI IsCharLowerW(WCHAR c)
{
    locale_t l = u32_locale();
    return l ? iswlower_l(c, l) != 0 : (c >= 'a' && c <= 'z');
}
THK_EXPORT(user32, IsCharLowerW, 1);

BOOL WINAPI IsCharAlphaA(char c) { return u32_isalpha((uint8_t)c) && (uint8_t)c < 0x80; }
THK_EXPORT(user32, IsCharAlphaA, 1);

BOOL WINAPI IsCharAlphaNumericA(char c)
{
    return (uint8_t)c < 0x80 && (u32_isalpha((uint8_t)c) || u32_isdigit((uint8_t)c));
}
THK_EXPORT(user32, IsCharAlphaNumericA, 1);
