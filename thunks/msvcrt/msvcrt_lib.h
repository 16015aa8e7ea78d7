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

/* ---- the multibyte code page ----
 * The ANSI code page is UTF-8 and the built-in msvcrt's multibyte functions (mbtowc,
 * mbstowcs, wcstombs, ...) use it even in the "C" locale, where Windows' msvcrt would map
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
