/* SPDX-License-Identifier: MIT */
/* Helpers shared by the built-in msvcrt files for strings, ctype, conversions, time and the
 * environment (thunks/msvcrt/string.c, thunks/msvcrt/ctype.c, thunks/msvcrt/conv.c, thunks/msvcrt/env.c, ...): the "C"
 * locale classification table, UTF-8 <-> UTF-16 conversion (the ANSI code page is UTF-8),
 * and the msvcrt constants these files share. Not part of crt.h's contract. */
#ifndef NTRUN_THUNKS_MSVCRT_LIB_H
#define NTRUN_THUNKS_MSVCRT_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "thunks/kernel32/nls_tables.h"
#include "thunks/msvcrt/crt.h"

/* ---- ctype: msvcrt's _ctype bits ---- */
#define CRT_UPPER   0x0001
#define CRT_LOWER   0x0002
#define CRT_DIGIT   0x0004
#define CRT_SPACE   0x0008
#define CRT_PUNCT   0x0010
#define CRT_CONTROL 0x0020
#define CRT_BLANK   0x0040
#define CRT_HEX     0x0080
#define CRT_LEADBYTE 0x8000
#define CRT_ALPHA   (0x0100 | CRT_UPPER | CRT_LOWER)
#define CRT_C1_DEFINED 0x0200 /* GetStringTypeW's C1_DEFINED, reported by iswctype above 255 */

/* The "C" locale table, 257 entries: [0] is EOF (-1), [c + 1] is byte c. _pctype points at
 * [1]. Bytes 0x80-0xFF have no class in the "C" locale. */
extern const uint16_t crt_ctype_table[257];
/* msvcrt's _pctype variable: the process locale's table (+1). */
extern const uint16_t *crt_pctype_ptr;
/* The wide table for U+0000..U+00FF (_pwctype): Latin-1 letters are letters here. */
extern const uint16_t crt_wctype_table[256];

/* Class bits of an int argument as msvcrt's is* functions see it (0 outside -1..255). */
static inline unsigned crt_ctype_of(int c)
{
    return (unsigned)(c + 1) <= 256 ? crt_ctype_table[c + 1] : 0;
}
static inline bool crt_isspace_c(int c) { return crt_ctype_of(c) & CRT_SPACE; }
static inline bool crt_isdigit_c(int c) { return c >= '0' && c <= '9'; }
static inline int crt_tolower_c(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
static inline int crt_toupper_c(int c) { return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c; }
/* GetStringTypeW-style CT_CTYPE1 bits of a UTF-16 unit (table below 256, Unicode above). */
unsigned crt_wctype_of(uint16_t c);
/* The value of a decimal digit (ASCII or another script's Unicode digit), or -1. */
int crt_wdigit_value(uint16_t c);
/* towlower/towupper as the "C" locale does them: ASCII letters only. */
static inline uint16_t crt_towlower_c(uint16_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static inline uint16_t crt_towupper_c(uint16_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
struct crt_locinfo;
/* towlower/towupper in a locale (ctype.c): "C" as above, others the Unicode simple mapping,
 * below 256 as well (Windows' do not use the code page there: see crt_towcase_l). */
uint16_t crt_towlower_l(const struct crt_locinfo *li, uint16_t c);
uint16_t crt_towupper_l(const struct crt_locinfo *li, uint16_t c);

/* ---- the multibyte code page ----
 * The ANSI code page is UTF-8 and the built-in msvcrt's multibyte functions (mbtowc,
 * mbstowcs, wcstombs, ...) use it in the "C" locale too (other locales: their code page), where Windows' msvcrt would map
 * bytes 0x80-0xFF one to one onto U+0080..U+00FF. MB_CUR_MAX is therefore 4, so that buffers
 * sized with it hold any character. The locale code page (___lc_codepage_func, __lc_codepage)
 * stays 0, the "C" locale's: mingw-w64's own mbrtowc/wcrtomb (linked into programs) use it
 * and, given 65001, would call WideCharToMultiByte with flags Windows rejects for CP_UTF8 and
 * fail on every character; given 0 they map Latin-1 themselves. */
#define CRT_MB_CUR_MAX 4
#define CRT_LOCALE_CODEPAGE 0

/* Decodes one UTF-8 sequence from at most n bytes: the byte count (1-4) with *cp set, 0 for
 * an empty input, -1 for an invalid sequence, -2 for a valid but incomplete one. Overlong
 * forms, surrogates and values above U+10FFFF are invalid. */
int crt_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes a code point (not a surrogate, <= U+10FFFF): byte count 1-4. */
int crt_utf8_encode(uint32_t cp, char out[4]);
/* NUL-terminated conversions into glibc-malloc'd memory (free with free()); NULL for an
 * invalid sequence or no memory. Lone surrogates do not convert. */
WCHAR *crt_utf8_to_wide(const char *s);
char *crt_wide_to_utf8(const WCHAR *s);
size_t crt_wcslen(const WCHAR *s);

/* ---- locales (thunks/msvcrt/locale.c) ----
 * A locale names, per category, a language (the "C" locale, or one of the locales of
 * cmake/glibc_locale.py: CRT_LANG_EN_US + its index there) and a code page ("C"'s own, 65001, a
 * single-byte page of kernel32's tables: 1250-1254, 1257, 437, 850, 852, 857, 866, or the
 * double-byte 932, 936, 949 and 950). Locale data objects are immutable and interned: a
 * pointer to one stays valid for the process's life, so readers need no lock. */
enum { CRT_LC_ALL, CRT_LC_COLLATE, CRT_LC_CTYPE, CRT_LC_MONETARY, CRT_LC_NUMERIC, CRT_LC_TIME,
       CRT_LC_LAST = CRT_LC_TIME };
/* the "C" locale, en-US (the first locale of the list), and room for the others */
enum { CRT_LANG_C, CRT_LANG_EN_US, CRT_LANG_MAX = 64 };
enum { CRT_CP_C, CRT_CP_1252, CRT_CP_437, CRT_CP_850, CRT_CP_UTF8, CRT_CP_1250, CRT_CP_1251,
       CRT_CP_1253, CRT_CP_1254, CRT_CP_1257, CRT_CP_866, CRT_CP_936, CRT_CP_932, CRT_CP_852,
       CRT_CP_857, CRT_CP_949, CRT_CP_950, CRT_CP_COUNT };

/* A category's locale: language, code page, and how setlocale spells its name. */
typedef struct crt_catloc {
    uint8_t lang; /* CRT_LANG_* */
    uint8_t cp;   /* CRT_CP_* */
    uint8_t form; /* CRT_FORM_* */
} crt_catloc;
enum { CRT_FORM_LONG, CRT_FORM_TAG, CRT_FORM_TAG_CP };

/* struct lconv with the UCRT's wide fields (msvcrt's is its first 0x58 bytes). */
typedef struct crt_lconv {
    char *decimal_point;     /* 0x00 */
    char *thousands_sep;     /* 0x08 */
    char *grouping;          /* 0x10 */
    char *int_curr_symbol;   /* 0x18 */
    char *currency_symbol;   /* 0x20 */
    char *mon_decimal_point; /* 0x28 */
    char *mon_thousands_sep; /* 0x30 */
    char *mon_grouping;      /* 0x38 */
    char *positive_sign;     /* 0x40 */
    char *negative_sign;     /* 0x48 */
    char int_frac_digits;    /* 0x50 */
    char frac_digits;
    char p_cs_precedes;
    char p_sep_by_space;
    char n_cs_precedes;
    char n_sep_by_space;
    char p_sign_posn;
    char n_sign_posn;
    WCHAR *w_decimal_point;  /* 0x58 */
    WCHAR *w_thousands_sep;
    WCHAR *w_int_curr_symbol;
    WCHAR *w_currency_symbol;
    WCHAR *w_mon_decimal_point;
    WCHAR *w_mon_thousands_sep;
} crt_lconv;
_Static_assert(sizeof(crt_lconv) == 0x88, "the UCRT's struct lconv");

typedef struct crt_locinfo {
    /* the UCRT's __crt_locale_data_public, read by its headers' inline functions */
    const uint16_t *pctype; /* 0x00: _locale_pctype (LC_CTYPE) */
    int32_t mb_cur_max;     /* 0x08: _locale_mb_cur_max */
    uint32_t lc_codepage;   /* 0x0c: _locale_lc_codepage */
    /* ours */
    crt_catloc cat[CRT_LC_LAST + 1]; /* [1..5] */
    char decimal;                    /* LC_NUMERIC's decimal point (its first byte) */
    const uint8_t *upper, *lower;    /* LC_CTYPE's case tables; NULL: ASCII only */
    crt_lconv lconv;
    char names[CRT_LC_LAST + 1][64]; /* setlocale's answers; [0] is the LC_ALL query */
    WCHAR wnames[CRT_LC_LAST + 1][64];
    char strings[160];               /* lconv's narrow strings */
    WCHAR wstrings[40];              /* and its wide ones */
} crt_locinfo;
_Static_assert(offsetof(crt_locinfo, mb_cur_max) == 8, "_locale_mb_cur_max");
_Static_assert(offsetof(crt_locinfo, lc_codepage) == 12, "_locale_lc_codepage");

/* _locale_t points at this (__crt_locale_pointers). */
typedef struct crt_locale {
    const crt_locinfo *locinfo; /* 0x00 */
    void *mbcinfo;              /* 0x08: opaque to programs */
} crt_locale;

extern const crt_locinfo crt_c_locinfo;
extern __thread const crt_locinfo *crt_thread_loc; /* NULL: the thread uses the process's */
extern const crt_locinfo *crt_global_loc;
/* The calling thread's locale: its own after _configthreadlocale(_ENABLE_PER_THREAD_LOCALE),
 * else the process's. Inline: the ctype exports (ms_abi) call it per character. */
static inline const crt_locinfo *crt_locale_current(void)
{
    const crt_locinfo *t = crt_thread_loc;
    return t ? t : __atomic_load_n(&crt_global_loc, __ATOMIC_ACQUIRE);
}
/* A _locale_t argument's data, or the current locale's for NULL. */
static inline const crt_locinfo *crt_locale_arg(const void *l)
{
    return l && ((const crt_locale *)l)->locinfo ? ((const crt_locale *)l)->locinfo
                                                 : crt_locale_current();
}
/* The names a CRT's setlocale understands: the UCRT's, or Windows' msvcrt.dll's (no BCP-47
 * tags, no UTF-8 code page: see crt_parse_one). */
enum { CRT_NAMES_UCRT, CRT_NAMES_MSVCRT };
/* setlocale: the new (or, name NULL, current) name of `category` as static storage, NULL for
 * a name not understood or a bad category (nothing changes then). */
const char *crt_setlocale(int category, const char *name, int names);
const WCHAR *crt_wsetlocale(int category, const WCHAR *name, int names);
/* _create_locale's data: NULL for a name not understood. */
const crt_locinfo *crt_locale_create(int category, const char *name, int names);
/* A _locale_t for li (crt_malloc'd, freed by _free_locale); NULL for li NULL or no memory. */
crt_locale *crt_locale_new(const crt_locinfo *li);
/* The process's locale changed to li: msvcrt's data exports follow it (mbcs.c). */
void crt_locale_publish(const crt_locinfo *li);
/* A category's LCID (0 in the "C" locale) and code page number (0 in the "C" locale). */
uint32_t crt_locale_lcid(const crt_locinfo *li, int category);
uint32_t crt_locale_cp_number(const crt_locinfo *li, int category);
/* Is cp a code page the locales can name (UTF-8 excluded)? */
bool crt_locale_cp_known(uint32_t cp);
/* _configthreadlocale: the previous setting (1 per-thread, 2 process), -1 for a bad type. */
int crt_configthreadlocale(int type);
/* LC_CTYPE's double-byte code page (936), NULL for any other. */
struct nls_cp;
const struct nls_cp *crt_locale_dbcs(const crt_locinfo *li);
/* LC_CTYPE's single-byte code page: its table byte -> UTF-16 unit, NULL for UTF-8 (the "C"
 * locale too) and a double-byte page;
 * the code of a unit in LC_CTYPE's table code page (a byte, or lead << 8 | trail in 936; -1:
 * none; units below 0x80 are themselves), with `best_fit` as WideCharToMultiByte without
 * WC_NO_BEST_FIT_CHARS gives it (1252: U+03B1 -> 'a'). */
const uint16_t *crt_locale_sbcs(const crt_locinfo *li);
int crt_locale_code(const crt_locinfo *li, uint32_t unit, bool best_fit);
/* toupper/tolower in LC_CTYPE's code page (ASCII in the "C" locale and UTF-8). */
static inline int crt_locale_toupper(const crt_locinfo *li, int c)
{
    return (unsigned)c < 256 && li->upper ? li->upper[c] : crt_toupper_c(c);
}
static inline int crt_locale_tolower(const crt_locinfo *li, int c)
{
    return (unsigned)c < 256 && li->lower ? li->lower[c] : crt_tolower_c(c);
}
/* LC_TIME's names (UTF-8) and Windows date/time pictures ("M/d/yyyy", "h:mm:ss tt"), and
 * its code page (CRT_CP_*) in *cp; NULL for the "C" locale. */
typedef nls_lctime crt_timenames; /* thunks/kernel32/nls_tables.h */
const crt_timenames *crt_locale_time(const crt_locinfo *li, int *cp);
struct crt_tm;
/* wcsftime with the UTF-8 names and pictures tn, or (tn NULL) LC_TIME's of li (time.c);
 * ucrt: the UCRT's conversions (C99's, and the "C" locale's %c). */
size_t crt_wcsftime_names(WCHAR *buf, size_t max, const WCHAR *fmt, const struct crt_tm *tm,
                          const crt_locinfo *li, const crt_timenames *tn, bool ucrt);
/* The code of a UTF-16 unit in a code page (CRT_CP_*): a byte, or lead << 8 | trail in a
 * double-byte page; -1 when the page lacks it. */
int crt_locale_cp_byte(int cp, uint32_t unit);
/* A narrow string (at most n bytes, or up to its NUL) as UTF-16 in the code page of a
 * category of li, glibc-malloc'd, *len units; NULL when out of memory. */
WCHAR *crt_locale_widen(const crt_locinfo *li, int category, const char *s, size_t n,
                        size_t *len);
/* Collation in a locale other than "C" (collate.c): <0, 0, >0, or CRT_COLL_ERROR when out
 * of memory; n: units to compare at most. The transformed key of s: its length (without the
 * NUL), written with a NUL when it fits in cap bytes; (size_t)-1 when out of memory. */
#define CRT_COLL_ERROR 0x7FFFFFFF
int crt_wcscoll_locale(const WCHAR *a, size_t na, const WCHAR *b, size_t nb, bool nocase);
size_t crt_xfrm_locale(const WCHAR *s, char *d, size_t cap);
/* Back to the "C" locale (the runtime's teardown, before another program runs). */
void crt_locale_reset(void);
/* The BCP-47 name of a category's language ("en-US"), NULL for the "C" locale. */
const WCHAR *crt_locale_tag(const crt_locinfo *li, int category);

/* ---- the multibyte code page of the _mbs* functions (mbstring.c) ---- */
/* _getmbcp's answer (0: none); _setmbcp's work: false for a code page ntrun lacks or UTF-8. */
int crt_mbc_getcp(void);
bool crt_mbc_setcp(uint32_t cp);

/* ---- misc ---- */
/* A glibc-malloc'd copy of a variable of the CRT's environment copy, or NULL. */
char *crt_env_dup(const char *name);
/* A per-thread buffer shared by strerror-style functions that return static storage. */
#define CRT_ERRMSG_SIZE 134
char *crt_errmsg_buffer(void);
/* The message text of a msvcrt errno value ("Unknown error" outside the table). */
const char *crt_errno_text(int e);
/* The "C" locale for glibc's *_l functions. */
#include <locale.h>
locale_t crt_c_locale(void);

#endif
