/* SPDX-License-Identifier: MIT */
/* msvcrt memory and string functions, narrow and wide: mem*, str*, wcs*, the _s forms, the
 * case-insensitive ones ("C" locale: ASCII letters only), strtok/wcstok with per-thread state,
 * _strdup/_wcsdup (CRT heap), collation (the "C" locale collates like strcmp). vcruntime140.dll
 * exports the same mem*, strchr/strrchr/strstr and wcschr/wcsrchr/wcsstr.
 *
 * Return values follow msvcrt: strcmp/strncmp/memcmp/wcscmp give -1, 0 or 1; the
 * case-insensitive comparisons and wcsncmp give the difference of the first differing
 * (lower-cased) characters. Bad pointers fault as they do on Windows. */
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"

#define CRT_TRUNCATE ((size_t)-1)

static int crt_sign(int v) { return (v > 0) - (v < 0); }

/* ---- memory ---- */
/* memcpy/memmove: code in the DLL's image (string_entry.S), one for both: msvcrt's memcpy
 * tolerates overlap. Native callers (thk_export_native) call msvcrt_memmove. */
__attribute__((visibility("hidden"))) void *WINAPI msvcrt_memmove(void *d, const void *s, size_t n);
void *WINAPI msvcrt_memmove(void *d, const void *s, size_t n) { return memmove(d, s, n); }
extern const thk_inline msvcrt_memmove_inline;
THK_EXPORT_INLINE(msvcrt, memcpy, msvcrt_memmove_inline);
THK_EXPORT_INLINE(vcruntime140, memcpy, msvcrt_memmove_inline);
THK_EXPORT_INLINE(msvcrt, memmove, msvcrt_memmove_inline);
THK_EXPORT_INLINE(vcruntime140, memmove, msvcrt_memmove_inline);
static void *WINAPI msvcrt_memset(void *d, int c, size_t n) { return memset(d, c, n); }
THK_EXPORT_AS(msvcrt, memset, msvcrt_memset, 3);
THK_EXPORT_AS(vcruntime140, memset, msvcrt_memset, 3);
static int WINAPI msvcrt_memcmp(const void *a, const void *b, size_t n)
{
    return crt_sign(memcmp(a, b, n));
}
THK_EXPORT_AS(msvcrt, memcmp, msvcrt_memcmp, 3);
THK_EXPORT_AS(vcruntime140, memcmp, msvcrt_memcmp, 3);
static void *WINAPI msvcrt_memchr(const void *s, int c, size_t n) { return memchr(s, c, n); }
THK_EXPORT_AS(msvcrt, memchr, msvcrt_memchr, 3);
THK_EXPORT_AS(vcruntime140, memchr, msvcrt_memchr, 3);

/* _memicmp: bytes folded to lower case in the locale's LC_CTYPE code page. */
static int crt_memicmp(const crt_locinfo *li, const void *a, const void *b, size_t n)
{
    const uint8_t *p = a, *q = b;
    for (size_t i = 0; i < n; i++) {
        int x = crt_locale_tolower(li, p[i]), y = crt_locale_tolower(li, q[i]);
        if (x != y)
            return x - y;
    }
    return 0;
}
static int WINAPI msvcrt__memicmp(const void *a, const void *b, size_t n)
{
    return crt_memicmp(crt_locale_current(), a, b, n);
}
THK_EXPORT_AS(msvcrt, _memicmp, msvcrt__memicmp, 3);
static int WINAPI msvcrt__memicmp_l(const void *a, const void *b, size_t n, void *locale)
{
    return crt_memicmp(crt_locale_arg(locale), a, b, n);
}
THK_EXPORT_AS(msvcrt, _memicmp_l, msvcrt__memicmp_l, 4);

static void *WINAPI msvcrt__memccpy(void *d, const void *s, int c, size_t n)
{
    return memccpy(d, s, c, n);
}
THK_EXPORT_AS(msvcrt, _memccpy, msvcrt__memccpy, 4);

int WINAPI msvcrt_memcpy_s(void *d, size_t size, const void *s, size_t n)
{
    if (!n)
        return 0;
    if (!d) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (!s || size < n) {
        memset(d, 0, size);
        int e = !s ? CRT_EINVAL : CRT_ERANGE;
        crt_set_errno(e);
        return e;
    }
    memmove(d, s, n);
    return 0;
}
THK_EXPORT_AS(msvcrt, memcpy_s, msvcrt_memcpy_s, 4);

int WINAPI msvcrt_memmove_s(void *d, size_t size, const void *s, size_t n)
{
    if (!n)
        return 0;
    if (!d || !s) {
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (size < n) {
        crt_set_errno(CRT_ERANGE);
        return CRT_ERANGE;
    }
    memmove(d, s, n);
    return 0;
}
THK_EXPORT_AS(msvcrt, memmove_s, msvcrt_memmove_s, 4);

static void WINAPI msvcrt__swab(const char *src, char *dst, int n)
{
    while (n > 1) {
        char a = src[0], b = src[1];
        dst[0] = b;
        dst[1] = a;
        src += 2;
        dst += 2;
        n -= 2;
    }
}
THK_EXPORT_AS(msvcrt, _swab, msvcrt__swab, 3);

/* ---- narrow strings ---- */
static size_t WINAPI msvcrt_strlen(const char *s) { return strlen(s); }
THK_EXPORT_AS(msvcrt, strlen, msvcrt_strlen, 1);
static size_t WINAPI msvcrt_strnlen(const char *s, size_t n) { return strnlen(s, n); }
THK_EXPORT_AS(msvcrt, strnlen, msvcrt_strnlen, 2);
static char *WINAPI msvcrt_strcpy(char *d, const char *s) { return strcpy(d, s); }
THK_EXPORT_AS(msvcrt, strcpy, msvcrt_strcpy, 2);
static char *WINAPI msvcrt_strncpy(char *d, const char *s, size_t n) { return strncpy(d, s, n); }
THK_EXPORT_AS(msvcrt, strncpy, msvcrt_strncpy, 3);
static char *WINAPI msvcrt_strcat(char *d, const char *s) { return strcat(d, s); }
THK_EXPORT_AS(msvcrt, strcat, msvcrt_strcat, 2);
static char *WINAPI msvcrt_strncat(char *d, const char *s, size_t n) { return strncat(d, s, n); }
THK_EXPORT_AS(msvcrt, strncat, msvcrt_strncat, 3);
/* strcmp: code in msvcrt's image (string_entry.S); native callers call msvcrt_strcmp. */
__attribute__((visibility("hidden"))) int WINAPI msvcrt_strcmp(const char *a, const char *b);
int WINAPI msvcrt_strcmp(const char *a, const char *b) { return crt_sign(strcmp(a, b)); }
extern const thk_inline msvcrt_strcmp_inline;
THK_EXPORT_INLINE(msvcrt, strcmp, msvcrt_strcmp_inline);
static int WINAPI msvcrt_strncmp(const char *a, const char *b, size_t n)
{
    return crt_sign(strncmp(a, b, n));
}
THK_EXPORT_AS(msvcrt, strncmp, msvcrt_strncmp, 3);
static char *WINAPI msvcrt_strchr(const char *s, int c) { return strchr(s, c); }
THK_EXPORT_AS(msvcrt, strchr, msvcrt_strchr, 2);
THK_EXPORT_AS(vcruntime140, strchr, msvcrt_strchr, 2);
static char *WINAPI msvcrt_strrchr(const char *s, int c) { return strrchr(s, c); }
THK_EXPORT_AS(msvcrt, strrchr, msvcrt_strrchr, 2);
THK_EXPORT_AS(vcruntime140, strrchr, msvcrt_strrchr, 2);
static char *WINAPI msvcrt_strstr(const char *h, const char *n) { return strstr(h, n); }
THK_EXPORT_AS(msvcrt, strstr, msvcrt_strstr, 2);
THK_EXPORT_AS(vcruntime140, strstr, msvcrt_strstr, 2);
static size_t WINAPI msvcrt_strspn(const char *s, const char *set) { return strspn(s, set); }
THK_EXPORT_AS(msvcrt, strspn, msvcrt_strspn, 2);
static size_t WINAPI msvcrt_strcspn(const char *s, const char *set) { return strcspn(s, set); }
THK_EXPORT_AS(msvcrt, strcspn, msvcrt_strcspn, 2);
static char *WINAPI msvcrt_strpbrk(const char *s, const char *set) { return strpbrk(s, set); }
THK_EXPORT_AS(msvcrt, strpbrk, msvcrt_strpbrk, 2);

/* Fold letters to lower case in the locale's code page ("C": ASCII letters) and return the
 * difference. */
static int crt_strnicmp(const crt_locinfo *li, const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = crt_locale_tolower(li, (unsigned char)a[i]);
        int y = crt_locale_tolower(li, (unsigned char)b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}
static int WINAPI msvcrt__stricmp(const char *a, const char *b)
{
    return crt_strnicmp(crt_locale_current(), a, b, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _stricmp, msvcrt__stricmp, 2);
THK_EXPORT_AS(msvcrt, _strcmpi, msvcrt__stricmp, 2);
static int WINAPI msvcrt__stricmp_l(const char *a, const char *b, void *locale)
{
    return crt_strnicmp(crt_locale_arg(locale), a, b, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _stricmp_l, msvcrt__stricmp_l, 3);
static int WINAPI msvcrt__strnicmp(const char *a, const char *b, size_t n)
{
    return crt_strnicmp(crt_locale_current(), a, b, n);
}
THK_EXPORT_AS(msvcrt, _strnicmp, msvcrt__strnicmp, 3);
static int WINAPI msvcrt__strnicmp_l(const char *a, const char *b, size_t n, void *locale)
{
    return crt_strnicmp(crt_locale_arg(locale), a, b, n);
}
THK_EXPORT_AS(msvcrt, _strnicmp_l, msvcrt__strnicmp_l, 4);

/* Collation: byte order in the "C" locale (case folded to ASCII lower case for the i forms),
 * else LC_COLLATE's rules (collate.c) on the text in its code page. */
static int crt_strncoll(const crt_locinfo *li, const char *a, const char *b, size_t n,
                        bool nocase)
{
    if (!li->cat[CRT_LC_COLLATE].lang)
        return nocase ? crt_strnicmp(&crt_c_locinfo, a, b, n) : crt_sign(strncmp(a, b, n));
    size_t na, nb;
    WCHAR *wa = crt_locale_widen(li, CRT_LC_COLLATE, a, n, &na);
    WCHAR *wb = wa ? crt_locale_widen(li, CRT_LC_COLLATE, b, n, &nb) : NULL;
    int r = wb ? crt_wcscoll_locale(wa, na, wb, nb, nocase) : CRT_COLL_ERROR;
    free(wa);
    free(wb);
    return r;
}
static int WINAPI msvcrt_strcoll(const char *a, const char *b)
{
    return crt_strncoll(crt_locale_current(), a, b, (size_t)-1, false);
}
THK_EXPORT_AS(msvcrt, strcoll, msvcrt_strcoll, 2);
static int WINAPI msvcrt__strcoll_l(const char *a, const char *b, void *locale)
{
    return crt_strncoll(crt_locale_arg(locale), a, b, (size_t)-1, false);
}
THK_EXPORT_AS(msvcrt, _strcoll_l, msvcrt__strcoll_l, 3);
static int WINAPI msvcrt__strncoll(const char *a, const char *b, size_t n)
{
    return crt_strncoll(crt_locale_current(), a, b, n, false);
}
THK_EXPORT_AS(msvcrt, _strncoll, msvcrt__strncoll, 3);
static int WINAPI msvcrt__strncoll_l(const char *a, const char *b, size_t n, void *locale)
{
    return crt_strncoll(crt_locale_arg(locale), a, b, n, false);
}
THK_EXPORT_AS(msvcrt, _strncoll_l, msvcrt__strncoll_l, 4);
static int WINAPI msvcrt__stricoll(const char *a, const char *b)
{
    return crt_strncoll(crt_locale_current(), a, b, (size_t)-1, true);
}
THK_EXPORT_AS(msvcrt, _stricoll, msvcrt__stricoll, 2);
static int WINAPI msvcrt__stricoll_l(const char *a, const char *b, void *locale)
{
    return crt_strncoll(crt_locale_arg(locale), a, b, (size_t)-1, true);
}
THK_EXPORT_AS(msvcrt, _stricoll_l, msvcrt__stricoll_l, 3);
static int WINAPI msvcrt__strnicoll(const char *a, const char *b, size_t n)
{
    return crt_strncoll(crt_locale_current(), a, b, n, true);
}
THK_EXPORT_AS(msvcrt, _strnicoll, msvcrt__strnicoll, 3);
static int WINAPI msvcrt__strnicoll_l(const char *a, const char *b, size_t n, void *locale)
{
    return crt_strncoll(crt_locale_arg(locale), a, b, n, true);
}
THK_EXPORT_AS(msvcrt, _strnicoll_l, msvcrt__strnicoll_l, 4);

/* strxfrm: a copy in the "C" locale, else collate.c's key. The length it needs (without the
 * NUL) whether or not it fit; INT_MAX (_NLSCMPERROR) when out of memory. */
static size_t WINAPI msvcrt__strxfrm_l(char *d, const char *s, size_t n, void *locale)
{
    const crt_locinfo *li = crt_locale_arg(locale);
    if (!li->cat[CRT_LC_COLLATE].lang) {
        size_t len = strlen(s);
        if (d && len < n)
            memcpy(d, s, len + 1);
        return len;
    }
    size_t nw;
    WCHAR *w = crt_locale_widen(li, CRT_LC_COLLATE, s, (size_t)-1, &nw);
    size_t r = w ? crt_xfrm_locale(w, d, n) : (size_t)-1;
    free(w);
    return r == (size_t)-1 ? 0x7FFFFFFF : r;
}
THK_EXPORT_AS(msvcrt, _strxfrm_l, msvcrt__strxfrm_l, 4);
static size_t WINAPI msvcrt_strxfrm(char *d, const char *s, size_t n)
{
    return msvcrt__strxfrm_l(d, s, n, NULL);
}
THK_EXPORT_AS(msvcrt, strxfrm, msvcrt_strxfrm, 3);

static char *WINAPI msvcrt__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = crt_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}
THK_EXPORT_AS(msvcrt, _strdup, msvcrt__strdup, 1);

/* _strlwr/_strupr: case in the locale's LC_CTYPE code page (the "C" locale: ASCII only). */
static char *crt_strcase(const crt_locinfo *li, char *s, bool upper)
{
    for (char *p = s; *p; p++)
        *p = (char)(upper ? crt_locale_toupper(li, (unsigned char)*p)
                          : crt_locale_tolower(li, (unsigned char)*p));
    return s;
}
static char *WINAPI msvcrt__strlwr(char *s) { return crt_strcase(crt_locale_current(), s, false); }
THK_EXPORT_AS(msvcrt, _strlwr, msvcrt__strlwr, 1);
static char *WINAPI msvcrt__strlwr_l(char *s, void *locale)
{
    return crt_strcase(crt_locale_arg(locale), s, false);
}
THK_EXPORT_AS(msvcrt, _strlwr_l, msvcrt__strlwr_l, 2);
static char *WINAPI msvcrt__strupr(char *s) { return crt_strcase(crt_locale_current(), s, true); }
THK_EXPORT_AS(msvcrt, _strupr, msvcrt__strupr, 1);
static char *WINAPI msvcrt__strupr_l(char *s, void *locale)
{
    return crt_strcase(crt_locale_arg(locale), s, true);
}
THK_EXPORT_AS(msvcrt, _strupr_l, msvcrt__strupr_l, 2);

/* _strlwr_s/_strupr_s: EINVAL for NULL or a string not terminated within `size`. */
static int crt_strcase_s(const crt_locinfo *li, char *s, size_t size, bool upper)
{
    if (!s || !size || strnlen(s, size) == size) {
        if (s && size)
            s[0] = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    crt_strcase(li, s, upper);
    return 0;
}
static int WINAPI msvcrt__strlwr_s(char *s, size_t size)
{
    return crt_strcase_s(crt_locale_current(), s, size, false);
}
THK_EXPORT_AS(msvcrt, _strlwr_s, msvcrt__strlwr_s, 2);
static int WINAPI msvcrt__strupr_s(char *s, size_t size)
{
    return crt_strcase_s(crt_locale_current(), s, size, true);
}
THK_EXPORT_AS(msvcrt, _strupr_s, msvcrt__strupr_s, 2);

static char *WINAPI msvcrt__strrev(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
    return s;
}
THK_EXPORT_AS(msvcrt, _strrev, msvcrt__strrev, 1);
static char *WINAPI msvcrt__strset(char *s, int c)
{
    for (char *p = s; *p; p++)
        *p = (char)c;
    return s;
}
THK_EXPORT_AS(msvcrt, _strset, msvcrt__strset, 2);
static char *WINAPI msvcrt__strnset(char *s, int c, size_t n)
{
    for (char *p = s; *p && n; p++, n--)
        *p = (char)c;
    return s;
}
THK_EXPORT_AS(msvcrt, _strnset, msvcrt__strnset, 3);

/* strtok: the delimiter set as a bitmap, the position kept per thread. */
static char *crt_strtok(char *s, const char *delim, char **ctx)
{
    uint8_t map[32] = {0};
    for (const uint8_t *d = (const uint8_t *)delim; *d; d++)
        map[*d >> 3] |= (uint8_t)(1u << (*d & 7));
#define CRT_IN_SET(ch) (map[(uint8_t)(ch) >> 3] & (1u << ((uint8_t)(ch) & 7)))
    uint8_t *p = (uint8_t *)(s ? s : *ctx);
    if (!p)
        return NULL;
    while (*p && CRT_IN_SET(*p))
        p++;
    char *tok = (char *)p;
    while (*p && !CRT_IN_SET(*p))
        p++;
    if (*p)
        *p++ = 0;
#undef CRT_IN_SET
    *ctx = (char *)p;
    return tok == (char *)p ? NULL : tok;
}
static __thread char *crt_strtok_next;
static char *WINAPI msvcrt_strtok(char *s, const char *delim)
{
    return crt_strtok(s, delim, &crt_strtok_next);
}
THK_EXPORT_AS(msvcrt, strtok, msvcrt_strtok, 2);
char *WINAPI msvcrt_strtok_s(char *s, const char *delim, char **ctx)
{
    if (!delim || !ctx || (!s && !*ctx)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    return crt_strtok(s, delim, ctx);
}
THK_EXPORT_AS(msvcrt, strtok_s, msvcrt_strtok_s, 3);

/* ---- the _s copy functions (the default invalid-parameter handler returns) ---- */
static int crt_fail(int e)
{
    crt_set_errno(e);
    return e;
}

int WINAPI msvcrt_strcpy_s(char *d, size_t size, const char *s)
{
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = strlen(s);
    if (n >= size) {
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d, s, n + 1);
    return 0;
}
THK_EXPORT_AS(msvcrt, strcpy_s, msvcrt_strcpy_s, 3);

int WINAPI msvcrt_strcat_s(char *d, size_t size, const char *s)
{
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t len = strnlen(d, size);
    if (len == size) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = strlen(s);
    if (len + n >= size) {
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d + len, s, n + 1);
    return 0;
}
THK_EXPORT_AS(msvcrt, strcat_s, msvcrt_strcat_s, 3);

int WINAPI msvcrt_strncpy_s(char *d, size_t size, const char *s, size_t count)
{
    if (!count && !d && !size)
        return 0;
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!count) {
        d[0] = 0;
        return 0;
    }
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = strnlen(s, count);
    if (n >= size) {
        if (count == CRT_TRUNCATE) {
            memcpy(d, s, size - 1);
            d[size - 1] = 0;
            return CRT_STRUNCATE;
        }
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d, s, n);
    d[n] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, strncpy_s, msvcrt_strncpy_s, 4);

int WINAPI msvcrt_strncat_s(char *d, size_t size, const char *s, size_t count)
{
    if (!count && !d && !size)
        return 0;
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s && count) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t len = strnlen(d, size);
    if (len == size) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = count ? strnlen(s, count) : 0;
    if (len + n >= size) {
        if (count == CRT_TRUNCATE) {
            n = size - 1 - len;
            memcpy(d + len, s, n);
            d[len + n] = 0;
            return CRT_STRUNCATE;
        }
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d + len, s, n);
    d[len + n] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, strncat_s, msvcrt_strncat_s, 4);

/* ---- wide strings (16-bit units) ---- */
static size_t WINAPI msvcrt_wcslen(const WCHAR *s) { return crt_wcslen(s); }
THK_EXPORT_AS(msvcrt, wcslen, msvcrt_wcslen, 1);
static size_t WINAPI msvcrt_wcsnlen(const WCHAR *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i])
        i++;
    return i;
}
THK_EXPORT_AS(msvcrt, wcsnlen, msvcrt_wcsnlen, 2);
static WCHAR *WINAPI msvcrt_wcscpy(WCHAR *d, const WCHAR *s)
{
    WCHAR *r = d;
    while ((*d++ = *s++))
        ;
    return r;
}
THK_EXPORT_AS(msvcrt, wcscpy, msvcrt_wcscpy, 2);
static WCHAR *WINAPI msvcrt_wcsncpy(WCHAR *d, const WCHAR *s, size_t n)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = 0;
    return d;
}
THK_EXPORT_AS(msvcrt, wcsncpy, msvcrt_wcsncpy, 3);
static WCHAR *WINAPI msvcrt_wcscat(WCHAR *d, const WCHAR *s)
{
    msvcrt_wcscpy(d + crt_wcslen(d), s);
    return d;
}
THK_EXPORT_AS(msvcrt, wcscat, msvcrt_wcscat, 2);
static WCHAR *WINAPI msvcrt_wcsncat(WCHAR *d, const WCHAR *s, size_t n)
{
    WCHAR *p = d + crt_wcslen(d);
    size_t i = 0;
    for (; i < n && s[i]; i++)
        p[i] = s[i];
    p[i] = 0;
    return d;
}
THK_EXPORT_AS(msvcrt, wcsncat, msvcrt_wcsncat, 3);
static int WINAPI msvcrt_wcscmp(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b)
        a++, b++;
    return crt_sign((int)*a - (int)*b);
}
THK_EXPORT_AS(msvcrt, wcscmp, msvcrt_wcscmp, 2);
static int WINAPI msvcrt__wcscoll_l(const WCHAR *a, const WCHAR *b, void *locale)
{
    if (!crt_locale_arg(locale)->cat[CRT_LC_COLLATE].lang)
        return msvcrt_wcscmp(a, b);
    return crt_wcscoll_locale(a, (size_t)-1, b, (size_t)-1, false);
}
THK_EXPORT_AS(msvcrt, _wcscoll_l, msvcrt__wcscoll_l, 3);
static int WINAPI msvcrt_wcscoll(const WCHAR *a, const WCHAR *b)
{
    return msvcrt__wcscoll_l(a, b, NULL);
}
THK_EXPORT_AS(msvcrt, wcscoll, msvcrt_wcscoll, 2);
static int WINAPI msvcrt_wcsncmp(const WCHAR *a, const WCHAR *b, size_t n)
{
    if (!n)
        return 0;
    while (--n && *a && *a == *b)
        a++, b++;
    return (int)*a - (int)*b;
}
THK_EXPORT_AS(msvcrt, wcsncmp, msvcrt_wcsncmp, 3);
THK_EXPORT_AS(msvcrt, _wcsncoll, msvcrt_wcsncmp, 3);
static int WINAPI msvcrt__wcsncoll_l(const WCHAR *a, const WCHAR *b, size_t n, void *locale)
{
    return msvcrt_wcsncmp(a, b, n);
}
THK_EXPORT_AS(msvcrt, _wcsncoll_l, msvcrt__wcsncoll_l, 4);

/* Case-blind comparison, both sides lower-cased as towlower does in li's LC_CTYPE. */
static int crt_wcsnicmp_l(const crt_locinfo *li, const WCHAR *a, const WCHAR *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = crt_towlower_l(li, a[i]), y = crt_towlower_l(li, b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}
static int crt_wcsnicmp(const WCHAR *a, const WCHAR *b, size_t n)
{
    return crt_wcsnicmp_l(crt_locale_current(), a, b, n);
}
static int WINAPI msvcrt__wcsicmp(const WCHAR *a, const WCHAR *b)
{
    return crt_wcsnicmp(a, b, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _wcsicmp, msvcrt__wcsicmp, 2);

static int WINAPI msvcrt__wcsicmp_l(const WCHAR *a, const WCHAR *b, void *locale)
{
    return crt_wcsnicmp_l(crt_locale_arg(locale), a, b, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _wcsicmp_l, msvcrt__wcsicmp_l, 3);
static int WINAPI msvcrt__wcsicoll_l(const WCHAR *a, const WCHAR *b, void *locale)
{
    if (!crt_locale_arg(locale)->cat[CRT_LC_COLLATE].lang)
        return crt_wcsnicmp_l(crt_locale_arg(locale), a, b, (size_t)-1);
    return crt_wcscoll_locale(a, (size_t)-1, b, (size_t)-1, true);
}
THK_EXPORT_AS(msvcrt, _wcsicoll_l, msvcrt__wcsicoll_l, 3);
static int WINAPI msvcrt__wcsicoll(const WCHAR *a, const WCHAR *b)
{
    return msvcrt__wcsicoll_l(a, b, NULL);
}
THK_EXPORT_AS(msvcrt, _wcsicoll, msvcrt__wcsicoll, 2);
static int WINAPI msvcrt__wcsnicmp(const WCHAR *a, const WCHAR *b, size_t n)
{
    return crt_wcsnicmp(a, b, n);
}
THK_EXPORT_AS(msvcrt, _wcsnicmp, msvcrt__wcsnicmp, 3);
THK_EXPORT_AS(msvcrt, _wcsnicoll, msvcrt__wcsnicmp, 3);
static int WINAPI msvcrt__wcsnicmp_l(const WCHAR *a, const WCHAR *b, size_t n, void *locale)
{
    return crt_wcsnicmp_l(crt_locale_arg(locale), a, b, n);
}
THK_EXPORT_AS(msvcrt, _wcsnicmp_l, msvcrt__wcsnicmp_l, 4);
THK_EXPORT_AS(msvcrt, _wcsnicoll_l, msvcrt__wcsnicmp_l, 4);

static WCHAR *WINAPI msvcrt_wcschr(const WCHAR *s, WCHAR c)
{
    for (;; s++) {
        if (*s == c)
            return (WCHAR *)s;
        if (!*s)
            return NULL;
    }
}
THK_EXPORT_AS(msvcrt, wcschr, msvcrt_wcschr, 2);
THK_EXPORT_AS(vcruntime140, wcschr, msvcrt_wcschr, 2);
static WCHAR *WINAPI msvcrt_wcsrchr(const WCHAR *s, WCHAR c)
{
    const WCHAR *last = NULL;
    for (;; s++) {
        if (*s == c)
            last = s;
        if (!*s)
            return (WCHAR *)last;
    }
}
THK_EXPORT_AS(msvcrt, wcsrchr, msvcrt_wcsrchr, 2);
THK_EXPORT_AS(vcruntime140, wcsrchr, msvcrt_wcsrchr, 2);
static WCHAR *WINAPI msvcrt_wcsstr(const WCHAR *h, const WCHAR *n)
{
    size_t nl = crt_wcslen(n);
    if (!nl)
        return (WCHAR *)h;
    for (; *h; h++)
        if (*h == *n && memcmp(h, n, nl * sizeof(WCHAR)) == 0)
            return (WCHAR *)h;
    return NULL;
}
THK_EXPORT_AS(msvcrt, wcsstr, msvcrt_wcsstr, 2);
THK_EXPORT_AS(vcruntime140, wcsstr, msvcrt_wcsstr, 2);
static bool crt_wcs_in(const WCHAR *set, WCHAR c)
{
    for (; *set; set++)
        if (*set == c)
            return true;
    return false;
}
static size_t WINAPI msvcrt_wcsspn(const WCHAR *s, const WCHAR *set)
{
    size_t i = 0;
    while (s[i] && crt_wcs_in(set, s[i]))
        i++;
    return i;
}
THK_EXPORT_AS(msvcrt, wcsspn, msvcrt_wcsspn, 2);
static size_t WINAPI msvcrt_wcscspn(const WCHAR *s, const WCHAR *set)
{
    size_t i = 0;
    while (s[i] && !crt_wcs_in(set, s[i]))
        i++;
    return i;
}
THK_EXPORT_AS(msvcrt, wcscspn, msvcrt_wcscspn, 2);
static WCHAR *WINAPI msvcrt_wcspbrk(const WCHAR *s, const WCHAR *set)
{
    for (; *s; s++)
        if (crt_wcs_in(set, *s))
            return (WCHAR *)s;
    return NULL;
}
THK_EXPORT_AS(msvcrt, wcspbrk, msvcrt_wcspbrk, 2);

static WCHAR *crt_wcstok(WCHAR *s, const WCHAR *delim, WCHAR **ctx)
{
    WCHAR *p = s ? s : *ctx;
    if (!p)
        return NULL;
    while (*p && crt_wcs_in(delim, *p))
        p++;
    WCHAR *tok = p;
    while (*p && !crt_wcs_in(delim, *p))
        p++;
    if (*p)
        *p++ = 0;
    *ctx = p;
    return tok == p ? NULL : tok;
}
/* msvcrt's wcstok is the two-argument form, with per-thread state. */
static __thread WCHAR *crt_wcstok_next;
static WCHAR *WINAPI msvcrt_wcstok(WCHAR *s, const WCHAR *delim)
{
    return crt_wcstok(s, delim, &crt_wcstok_next);
}
THK_EXPORT_AS(msvcrt, wcstok, msvcrt_wcstok, 2);
WCHAR *WINAPI msvcrt_wcstok_s(WCHAR *s, const WCHAR *delim, WCHAR **ctx)
{
    if (!delim || !ctx || (!s && !*ctx)) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    return crt_wcstok(s, delim, ctx);
}
THK_EXPORT_AS(msvcrt, wcstok_s, msvcrt_wcstok_s, 3);

static WCHAR *WINAPI msvcrt__wcsdup(const WCHAR *s)
{
    if (!s)
        return NULL;
    size_t n = (crt_wcslen(s) + 1) * sizeof(WCHAR);
    WCHAR *d = crt_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}
THK_EXPORT_AS(msvcrt, _wcsdup, msvcrt__wcsdup, 1);

/* Case mapping of a whole string in li's LC_CTYPE (towlower/towupper's). */
static WCHAR *crt_wcscase_l(const crt_locinfo *li, WCHAR *s, bool upper)
{
    for (WCHAR *p = s; *p; p++)
        *p = upper ? crt_towupper_l(li, *p) : crt_towlower_l(li, *p);
    return s;
}
static WCHAR *WINAPI msvcrt__wcslwr(WCHAR *s)
{
    return crt_wcscase_l(crt_locale_current(), s, false);
}
THK_EXPORT_AS(msvcrt, _wcslwr, msvcrt__wcslwr, 1);
static WCHAR *WINAPI msvcrt__wcslwr_l(WCHAR *s, void *locale)
{
    return crt_wcscase_l(crt_locale_arg(locale), s, false);
}
THK_EXPORT_AS(msvcrt, _wcslwr_l, msvcrt__wcslwr_l, 2);
static WCHAR *WINAPI msvcrt__wcsupr(WCHAR *s)
{
    return crt_wcscase_l(crt_locale_current(), s, true);
}
THK_EXPORT_AS(msvcrt, _wcsupr, msvcrt__wcsupr, 1);
static WCHAR *WINAPI msvcrt__wcsupr_l(WCHAR *s, void *locale)
{
    return crt_wcscase_l(crt_locale_arg(locale), s, true);
}
THK_EXPORT_AS(msvcrt, _wcsupr_l, msvcrt__wcsupr_l, 2);

static int crt_wcscase_s(const crt_locinfo *li, WCHAR *s, size_t size, bool upper)
{
    if (!s || !size || msvcrt_wcsnlen(s, size) == size) {
        if (s && size)
            s[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    crt_wcscase_l(li, s, upper);
    return 0;
}
static int WINAPI msvcrt__wcslwr_s(WCHAR *s, size_t size)
{
    return crt_wcscase_s(crt_locale_current(), s, size, false);
}
THK_EXPORT_AS(msvcrt, _wcslwr_s, msvcrt__wcslwr_s, 2);
static int WINAPI msvcrt__wcsupr_s(WCHAR *s, size_t size)
{
    return crt_wcscase_s(crt_locale_current(), s, size, true);
}
THK_EXPORT_AS(msvcrt, _wcsupr_s, msvcrt__wcsupr_s, 2);

static WCHAR *WINAPI msvcrt__wcsrev(WCHAR *s)
{
    size_t n = crt_wcslen(s);
    for (size_t i = 0; i < n / 2; i++) {
        WCHAR t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
    return s;
}
THK_EXPORT_AS(msvcrt, _wcsrev, msvcrt__wcsrev, 1);
static WCHAR *WINAPI msvcrt__wcsset(WCHAR *s, WCHAR c)
{
    for (WCHAR *p = s; *p; p++)
        *p = c;
    return s;
}
THK_EXPORT_AS(msvcrt, _wcsset, msvcrt__wcsset, 2);
static WCHAR *WINAPI msvcrt__wcsnset(WCHAR *s, WCHAR c, size_t n)
{
    for (WCHAR *p = s; *p && n; p++, n--)
        *p = c;
    return s;
}
THK_EXPORT_AS(msvcrt, _wcsnset, msvcrt__wcsnset, 3);

/* wcsxfrm: a copy in the "C" locale, else collate.c's key, one unit per key byte. */
static size_t WINAPI msvcrt__wcsxfrm_l(WCHAR *d, const WCHAR *s, size_t n, void *locale)
{
    if (!crt_locale_arg(locale)->cat[CRT_LC_COLLATE].lang) {
        size_t len = crt_wcslen(s);
        if (d && len < n)
            memcpy(d, s, (len + 1) * sizeof(WCHAR));
        return len;
    }
    size_t len = crt_xfrm_locale(s, NULL, 0);
    char *key = len != (size_t)-1 && d && len < n ? malloc(len + 1) : NULL;
    if (len == (size_t)-1 || (d && len < n && !key))
        return 0x7FFFFFFF;
    if (key) {
        crt_xfrm_locale(s, key, len + 1);
        for (size_t i = 0; i <= len; i++)
            d[i] = (uint8_t)key[i];
        free(key);
    }
    return len;
}
THK_EXPORT_AS(msvcrt, _wcsxfrm_l, msvcrt__wcsxfrm_l, 4);
static size_t WINAPI msvcrt_wcsxfrm(WCHAR *d, const WCHAR *s, size_t n)
{
    return msvcrt__wcsxfrm_l(d, s, n, NULL);
}
THK_EXPORT_AS(msvcrt, wcsxfrm, msvcrt_wcsxfrm, 3);

int WINAPI msvcrt_wcscpy_s(WCHAR *d, size_t size, const WCHAR *s)
{
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = crt_wcslen(s);
    if (n >= size) {
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d, s, (n + 1) * sizeof(WCHAR));
    return 0;
}
THK_EXPORT_AS(msvcrt, wcscpy_s, msvcrt_wcscpy_s, 3);

int WINAPI msvcrt_wcscat_s(WCHAR *d, size_t size, const WCHAR *s)
{
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t len = msvcrt_wcsnlen(d, size);
    if (len == size) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = crt_wcslen(s);
    if (len + n >= size) {
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d + len, s, (n + 1) * sizeof(WCHAR));
    return 0;
}
THK_EXPORT_AS(msvcrt, wcscat_s, msvcrt_wcscat_s, 3);

int WINAPI msvcrt_wcsncpy_s(WCHAR *d, size_t size, const WCHAR *s, size_t count)
{
    if (!count && !d && !size)
        return 0;
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!count) {
        d[0] = 0;
        return 0;
    }
    if (!s) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = msvcrt_wcsnlen(s, count);
    if (n >= size) {
        if (count == CRT_TRUNCATE) {
            memcpy(d, s, (size - 1) * sizeof(WCHAR));
            d[size - 1] = 0;
            return CRT_STRUNCATE;
        }
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d, s, n * sizeof(WCHAR));
    d[n] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, wcsncpy_s, msvcrt_wcsncpy_s, 4);

int WINAPI msvcrt_wcsncat_s(WCHAR *d, size_t size, const WCHAR *s, size_t count)
{
    if (!count && !d && !size)
        return 0;
    if (!d || !size)
        return crt_fail(CRT_EINVAL);
    if (!s && count) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t len = msvcrt_wcsnlen(d, size);
    if (len == size) {
        d[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    size_t n = count ? msvcrt_wcsnlen(s, count) : 0;
    if (len + n >= size) {
        if (count == CRT_TRUNCATE) {
            n = size - 1 - len;
            memcpy(d + len, s, n * sizeof(WCHAR));
            d[len + n] = 0;
            return CRT_STRUNCATE;
        }
        d[0] = 0;
        return crt_fail(CRT_ERANGE);
    }
    memcpy(d + len, s, n * sizeof(WCHAR));
    d[len + n] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, wcsncat_s, msvcrt_wcsncat_s, 4);

/* ---- the remaining _s and _l forms ---- */
static int WINAPI msvcrt__strlwr_s_l(char *s, size_t size, void *locale)
{
    return crt_strcase_s(crt_locale_arg(locale), s, size, false);
}
THK_EXPORT_AS(msvcrt, _strlwr_s_l, msvcrt__strlwr_s_l, 3);
static int WINAPI msvcrt__strupr_s_l(char *s, size_t size, void *locale)
{
    return crt_strcase_s(crt_locale_arg(locale), s, size, true);
}
THK_EXPORT_AS(msvcrt, _strupr_s_l, msvcrt__strupr_s_l, 3);
static int WINAPI msvcrt__wcslwr_s_l(WCHAR *s, size_t size, void *locale)
{
    return crt_wcscase_s(crt_locale_arg(locale), s, size, false);
}
THK_EXPORT_AS(msvcrt, _wcslwr_s_l, msvcrt__wcslwr_s_l, 3);
static int WINAPI msvcrt__wcsupr_s_l(WCHAR *s, size_t size, void *locale)
{
    return crt_wcscase_s(crt_locale_arg(locale), s, size, true);
}
THK_EXPORT_AS(msvcrt, _wcsupr_s_l, msvcrt__wcsupr_s_l, 3);

/* _strnset_s/_strset_s: EINVAL for NULL or a string not terminated within `size`. */
static int WINAPI msvcrt__strnset_s(char *s, size_t size, int c, size_t count)
{
    if (!s && !size && !count)
        return 0;
    if (!s || !size || strnlen(s, size) == size) {
        if (s && size)
            s[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    msvcrt__strnset(s, c, count);
    return 0;
}
THK_EXPORT_AS(msvcrt, _strnset_s, msvcrt__strnset_s, 4);
static int WINAPI msvcrt__strset_s(char *s, size_t size, int c)
{
    return msvcrt__strnset_s(s, size, c, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _strset_s, msvcrt__strset_s, 3);
static int WINAPI msvcrt__wcsnset_s(WCHAR *s, size_t size, WCHAR c, size_t count)
{
    if (!s && !size && !count)
        return 0;
    if (!s || !size || msvcrt_wcsnlen(s, size) == size) {
        if (s && size)
            s[0] = 0;
        return crt_fail(CRT_EINVAL);
    }
    msvcrt__wcsnset(s, c, count);
    return 0;
}
THK_EXPORT_AS(msvcrt, _wcsnset_s, msvcrt__wcsnset_s, 4);
static int WINAPI msvcrt__wcsset_s(WCHAR *s, size_t size, WCHAR c)
{
    return msvcrt__wcsnset_s(s, size, c, (size_t)-1);
}
THK_EXPORT_AS(msvcrt, _wcsset_s, msvcrt__wcsset_s, 3);
