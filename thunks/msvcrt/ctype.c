/* SPDX-License-Identifier: MIT */
/* msvcrt character classification in the "C" locale: the _ctype / _pctype / _pwctype tables
 * (data exports), is* / isw* / to* / tow* and their _l variants, _isctype, iswctype.
 * Above U+00FF the wide classification follows Unicode (glibc's C.UTF-8 tables), reported
 * with GetStringTypeW's CT_CTYPE1 bits as msvcrt does. */
#include <pthread.h>
#include <wctype.h>
#include "thunks/msvcrt/msvcrt_lib.h"

/* msvcrt's _ctype: [0] is EOF; '\t' is _SPACE|_CONTROL (no _BLANK), ' ' is _SPACE|_BLANK,
 * letters carry no 0x100 bit here (unlike the wide table). */
const uint16_t crt_ctype_table[257] = {
    0,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0028, 0x0028, 0x0028, 0x0028, 0x0028, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0048, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084,
    0x0084, 0x0084, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0081, 0x0081, 0x0081, 0x0081, 0x0081, 0x0081, 0x0001,
    0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001,
    0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001, 0x0001,
    0x0001, 0x0001, 0x0001, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0082, 0x0082, 0x0082, 0x0082, 0x0082, 0x0082, 0x0002,
    0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002,
    0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002, 0x0002,
    0x0002, 0x0002, 0x0002, 0x0010, 0x0010, 0x0010, 0x0010, 0x0020,
    /* 0x80-0xFF: no class in the "C" locale */
};

/* msvcrt's _pwctype: U+0000..U+00FF as GetStringTypeW classifies them. */
const uint16_t crt_wctype_table[256] = {
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0068, 0x0028, 0x0028, 0x0028, 0x0028, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0048, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084, 0x0084,
    0x0084, 0x0084, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0181, 0x0181, 0x0181, 0x0181, 0x0181, 0x0181, 0x0101,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101,
    0x0101, 0x0101, 0x0101, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0182, 0x0182, 0x0182, 0x0182, 0x0182, 0x0182, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0010, 0x0010, 0x0010, 0x0010, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020, 0x0020,
    0x0048, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0010, 0x0014, 0x0014, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0010, 0x0014, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010, 0x0010,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0010,
    0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0101, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0010,
    0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102, 0x0102,
};

/* The data exports: msvcrt's _pctype/_pwctype are pointer variables, _ctype the array. */
const uint16_t *crt_pctype_ptr = crt_ctype_table + 1; /* the process locale's (mbcs.c) */
static const uint16_t *crt_pwctype_ptr = crt_wctype_table;
THK_EXPORT_DATA(msvcrt, _ctype, crt_ctype_table);
THK_EXPORT_DATA(msvcrt, _pctype, &crt_pctype_ptr);
THK_EXPORT_DATA(msvcrt, _pwctype, &crt_pwctype_ptr);

static const uint16_t *WINAPI msvcrt___pctype_func(void) { return crt_locale_current()->pctype; }
THK_EXPORT_AS(msvcrt, __pctype_func, msvcrt___pctype_func, 0);
static const uint16_t *WINAPI msvcrt___pwctype_func(void) { return crt_pwctype_ptr; }
THK_EXPORT_AS(msvcrt, __pwctype_func, msvcrt___pwctype_func, 0);

/* ---- Unicode classes above U+00FF ---- */
static locale_t crt_utf8_locale;
static pthread_once_t crt_utf8_once = PTHREAD_ONCE_INIT;

static void crt_utf8_locale_init(void)
{
    crt_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* First code points of the BMP's runs of ten decimal digits (Unicode Nd): glibc files these
 * under "alpha", Windows under C1_DIGIT. */
static const uint16_t crt_digit_zeros[] = {
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
    0xAA50, 0xABF0, 0xFF10,
};

static bool crt_is_unicode_digit(uint16_t c)
{
    for (size_t i = 0; i < sizeof crt_digit_zeros / sizeof crt_digit_zeros[0]; i++)
        if (c >= crt_digit_zeros[i] && c < crt_digit_zeros[i] + 10)
            return true;
    return false;
}

int crt_wdigit_value(uint16_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c < 0x660)
        return -1;
    for (size_t i = 0; i < sizeof crt_digit_zeros / sizeof crt_digit_zeros[0]; i++)
        if (c >= crt_digit_zeros[i] && c < crt_digit_zeros[i] + 10)
            return c - crt_digit_zeros[i];
    return -1;
}

unsigned crt_wctype_of(uint16_t c)
{
    if (c < 256)
        return crt_wctype_table[c];
    if (c >= 0xD800 && c <= 0xDFFF)
        return 0; /* a lone surrogate unit has no class */
    pthread_once(&crt_utf8_once, crt_utf8_locale_init);
    locale_t l = crt_utf8_locale;
    if (!l)
        return 0;
    unsigned f = 0;
    if (crt_is_unicode_digit(c)) {
        f |= CRT_DIGIT;
    } else {
        if (iswupper_l(c, l))
            f |= CRT_UPPER | 0x100;
        if (iswlower_l(c, l))
            f |= CRT_LOWER | 0x100;
        if (iswalpha_l(c, l))
            f |= 0x100;
    }
    if (iswspace_l(c, l))
        f |= CRT_SPACE;
    if (iswpunct_l(c, l))
        f |= CRT_PUNCT;
    if (iswcntrl_l(c, l))
        f |= CRT_CONTROL;
    if (iswblank_l(c, l))
        f |= CRT_BLANK;
    if (f || iswprint_l(c, l))
        f |= CRT_C1_DEFINED;
    return f;
}

/* ---- narrow classification: the locale's table (LC_CTYPE) ---- */
static inline unsigned crt_ctype_l(const crt_locinfo *li, int c)
{
    return (unsigned)(c + 1) <= 256 ? li->pctype[c] : 0;
}

#define CRT_IS_FUNC(name, mask)                                                                 \
    static int WINAPI msvcrt_##name(int c)                                                    \
    {                                                                                         \
        return (int)(crt_ctype_l(crt_locale_current(), c) & (mask));                          \
    }                                                                                         \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, 1);                                            \
    static int WINAPI msvcrt__##name##_l(int c, void *locale)                                 \
    {                                                                                         \
        return (int)(crt_ctype_l(crt_locale_arg(locale), c) & (mask));                        \
    }                                                                                         \
    THK_EXPORT_AS(msvcrt, _##name##_l, msvcrt__##name##_l, 2);

CRT_IS_FUNC(isalpha, CRT_ALPHA)
CRT_IS_FUNC(isupper, CRT_UPPER)
CRT_IS_FUNC(islower, CRT_LOWER)
CRT_IS_FUNC(isdigit, CRT_DIGIT)
CRT_IS_FUNC(isxdigit, CRT_HEX)
CRT_IS_FUNC(isspace, CRT_SPACE)
CRT_IS_FUNC(ispunct, CRT_PUNCT)
CRT_IS_FUNC(isalnum, CRT_ALPHA | CRT_DIGIT)
CRT_IS_FUNC(isprint, CRT_BLANK | CRT_PUNCT | CRT_ALPHA | CRT_DIGIT)
CRT_IS_FUNC(isgraph, CRT_PUNCT | CRT_ALPHA | CRT_DIGIT)
CRT_IS_FUNC(iscntrl, CRT_CONTROL)

static int WINAPI msvcrt__isctype(int c, int mask)
{
    return (int)(crt_ctype_l(crt_locale_current(), c) & mask);
}
THK_EXPORT_AS(msvcrt, _isctype, msvcrt__isctype, 2);
static int WINAPI msvcrt__isctype_l(int c, int mask, void *locale)
{
    return (int)(crt_ctype_l(crt_locale_arg(locale), c) & mask);
}
THK_EXPORT_AS(msvcrt, _isctype_l, msvcrt__isctype_l, 3);

static int WINAPI msvcrt___isascii(int c) { return (unsigned)c < 0x80; }
THK_EXPORT_AS(msvcrt, __isascii, msvcrt___isascii, 1);
THK_EXPORT_AS(msvcrt, isascii, msvcrt___isascii, 1);
static int WINAPI msvcrt___toascii(int c) { return c & 0x7f; }
THK_EXPORT_AS(msvcrt, __toascii, msvcrt___toascii, 1);
THK_EXPORT_AS(msvcrt, toascii, msvcrt___toascii, 1);
static int WINAPI msvcrt___iscsym(int c) { return msvcrt_isalnum(c) || c == '_'; }
THK_EXPORT_AS(msvcrt, __iscsym, msvcrt___iscsym, 1);
THK_EXPORT_AS(msvcrt, iscsym, msvcrt___iscsym, 1);
static int WINAPI msvcrt___iscsymf(int c) { return msvcrt_isalpha(c) || c == '_'; }
THK_EXPORT_AS(msvcrt, __iscsymf, msvcrt___iscsymf, 1);
THK_EXPORT_AS(msvcrt, iscsymf, msvcrt___iscsymf, 1);

/* A lead byte of LC_CTYPE's double-byte code page (936); none in the others. */
static int crt_isleadbyte(const crt_locinfo *li, int c)
{
    return (unsigned)(c + 1) <= 256 ? li->pctype[c] & CRT_LEADBYTE : 0;
}
static int WINAPI msvcrt_isleadbyte(int c) { return crt_isleadbyte(crt_locale_current(), c); }
THK_EXPORT_AS(msvcrt, isleadbyte, msvcrt_isleadbyte, 1);
static int WINAPI msvcrt__isleadbyte_l(int c, void *locale)
{
    return crt_isleadbyte(crt_locale_arg(locale), c);
}
THK_EXPORT_AS(msvcrt, _isleadbyte_l, msvcrt__isleadbyte_l, 2);

/* Case mapping in the locale's code page (the "C" locale: ASCII letters only); anything
 * outside 0..255 (EOF, 300, -20) unchanged. */
static int WINAPI msvcrt_tolower(int c) { return crt_locale_tolower(crt_locale_current(), c); }
THK_EXPORT_AS(msvcrt, tolower, msvcrt_tolower, 1);
static int WINAPI msvcrt_toupper(int c) { return crt_locale_toupper(crt_locale_current(), c); }
THK_EXPORT_AS(msvcrt, toupper, msvcrt_toupper, 1);
static int WINAPI msvcrt__tolower_l(int c, void *locale)
{
    return crt_locale_tolower(crt_locale_arg(locale), c);
}
THK_EXPORT_AS(msvcrt, _tolower_l, msvcrt__tolower_l, 2);
static int WINAPI msvcrt__toupper_l(int c, void *locale)
{
    return crt_locale_toupper(crt_locale_arg(locale), c);
}
THK_EXPORT_AS(msvcrt, _toupper_l, msvcrt__toupper_l, 2);
/* _tolower/_toupper do not check: they assume an upper/lower case letter. */
static int WINAPI msvcrt__tolower(int c) { return c - 'A' + 'a'; }
THK_EXPORT_AS(msvcrt, _tolower, msvcrt__tolower, 1);
static int WINAPI msvcrt__toupper(int c) { return c - 'a' + 'A'; }
THK_EXPORT_AS(msvcrt, _toupper, msvcrt__toupper, 1);

/* ---- wide classification (wint_t is 16 bits) ---- */
#define CRT_ISW_FUNC(name, mask)                                                                \
    static int WINAPI msvcrt_##name(uint16_t c) { return (int)(crt_wctype_of(c) & (mask)); } \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, 1);                                            \
    static int WINAPI msvcrt__##name##_l(uint16_t c, void *locale) { return msvcrt_##name(c); } \
    THK_EXPORT_AS(msvcrt, _##name##_l, msvcrt__##name##_l, 2);

CRT_ISW_FUNC(iswalpha, CRT_ALPHA)
CRT_ISW_FUNC(iswupper, CRT_UPPER)
CRT_ISW_FUNC(iswlower, CRT_LOWER)
CRT_ISW_FUNC(iswdigit, CRT_DIGIT)
CRT_ISW_FUNC(iswxdigit, CRT_HEX)
CRT_ISW_FUNC(iswspace, CRT_SPACE)
CRT_ISW_FUNC(iswpunct, CRT_PUNCT)
CRT_ISW_FUNC(iswalnum, CRT_ALPHA | CRT_DIGIT)
CRT_ISW_FUNC(iswprint, CRT_BLANK | CRT_PUNCT | CRT_ALPHA | CRT_DIGIT)
CRT_ISW_FUNC(iswgraph, CRT_PUNCT | CRT_ALPHA | CRT_DIGIT)
CRT_ISW_FUNC(iswcntrl, CRT_CONTROL)

static int WINAPI msvcrt_iswctype(uint16_t c, uint16_t mask)
{
    return (int)(crt_wctype_of(c) & mask);
}
THK_EXPORT_AS(msvcrt, iswctype, msvcrt_iswctype, 2);
THK_EXPORT_AS(msvcrt, is_wctype, msvcrt_iswctype, 2);
static int WINAPI msvcrt__iswctype_l(uint16_t c, uint16_t mask, void *locale)
{
    return msvcrt_iswctype(c, mask);
}
THK_EXPORT_AS(msvcrt, _iswctype_l, msvcrt__iswctype_l, 3);
static int WINAPI msvcrt_iswascii(uint16_t c) { return c < 0x80; }
THK_EXPORT_AS(msvcrt, iswascii, msvcrt_iswascii, 1);

/* Wide case mapping in a locale: the "C" locale maps the ASCII letters only, any other
 * LC_CTYPE the Unicode simple case mapping (as the CRT's LCMapStringEx LCMAP_LOWERCASE/
 * LCMAP_UPPERCASE in the locale's name does); WEOF and surrogates unchanged. Below 256 too
 * the code page plays no part: Windows' towlower/towupper (msvcrt's __towlower_mt, the
 * UCRT's _towlower_l) test c < 256 against the wide table _pwctype, which is Unicode's
 * Latin-1 whatever the locale, and map through LCMapStringW with the locale's LCID/name,
 * never through the narrow pclmap/pcumap of the code page (so in a 1252 locale
 * towupper(0x9A) stays U+009A, while toupper(0x9A) is 0x8A). */
static uint16_t crt_towcase_l(const crt_locinfo *li, uint16_t c, bool upper)
{
    if (c < 0x80 || li->cat[CRT_LC_CTYPE].cp == CRT_CP_C || (c >= 0xD800 && c <= 0xDFFF) ||
        c == 0xFFFF)
        return upper ? crt_towupper_c(c) : crt_towlower_c(c);
    pthread_once(&crt_utf8_once, crt_utf8_locale_init);
    locale_t l = crt_utf8_locale;
    if (!l)
        return upper ? crt_towupper_c(c) : crt_towlower_c(c);
    wint_t u = upper ? towupper_l(c, l) : towlower_l(c, l);
    return u <= 0xFFFF ? (uint16_t)u : c;
}
uint16_t crt_towlower_l(const crt_locinfo *li, uint16_t c) { return crt_towcase_l(li, c, false); }
uint16_t crt_towupper_l(const crt_locinfo *li, uint16_t c) { return crt_towcase_l(li, c, true); }

static uint16_t WINAPI msvcrt_towlower(uint16_t c)
{
    return crt_towlower_l(crt_locale_current(), c);
}
THK_EXPORT_AS(msvcrt, towlower, msvcrt_towlower, 1);
static uint16_t WINAPI msvcrt_towupper(uint16_t c)
{
    return crt_towupper_l(crt_locale_current(), c);
}
THK_EXPORT_AS(msvcrt, towupper, msvcrt_towupper, 1);
static uint16_t WINAPI msvcrt__towlower_l(uint16_t c, void *locale)
{
    return crt_towlower_l(crt_locale_arg(locale), c);
}
THK_EXPORT_AS(msvcrt, _towlower_l, msvcrt__towlower_l, 2);
static uint16_t WINAPI msvcrt__towupper_l(uint16_t c, void *locale)
{
    return crt_towupper_l(crt_locale_arg(locale), c);
}
THK_EXPORT_AS(msvcrt, _towupper_l, msvcrt__towupper_l, 2);
