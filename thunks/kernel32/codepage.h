/* SPDX-License-Identifier: MIT */
/* The table-driven code pages (thunks/kernel32/codepage.c): the single-byte Windows, OEM and
 * ISO pages and the double-byte 932 (Shift-JIS) and 936 (GBK), generated at build time by
 * cmake/gen_codepages.py from Python's codecs (Microsoft's published mappings) and glibc's
 * iconv (936) in the layout
 * of Windows' c_<cp>.nls. The best-fit mappings are an approximation derived from Unicode
 * decompositions (U+0100 -> 'A', fullwidth forms -> ASCII), not Windows' hand-made tables:
 * Windows' look-alikes without a decomposition (1252: U+221E -> '8') are missing. kernel32's conversions (MultiByteToWideChar,
 * WideCharToMultiByte, GetCPInfo, IsDBCSLeadByteEx) and the CRT's locales
 * (thunks/msvcrt/locale.c, mbcs.c) read them; UTF-8 is not one of them. */
#ifndef NTRUN_THUNKS_KERNEL32_CODEPAGE_H
#define NTRUN_THUNKS_KERNEL32_CODEPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nls_cp {
    uint16_t cp;            /* its number */
    uint8_t max_char;       /* 1, or 2 for a double-byte page */
    uint16_t def_char;      /* CPINFO.DefaultChar: the code an unmapped unit becomes */
    uint16_t uni_def;       /* CPINFOEX.UnicodeDefaultChar: the unit of an undefined code */
    uint16_t trans_def;     /* the code that legitimately decodes to uni_def's look-alike */
    uint16_t trans_uni_def; /* the code whose unit is uni_def although it is defined */
    uint8_t lead[12];       /* lead byte ranges in pairs, 0-terminated (CPINFO.LeadByte) */
    const char *name;       /* CPINFOEX.CodePageName */
    const uint16_t *mb;     /* [256]: the unit of each single byte */
    const uint16_t *glyph;  /* [256] or NULL: the same with MB_USEGLYPHCHARS */
    const uint8_t *lead_row; /* double-byte: [byte] 0, or 1 + its row in dbcs */
    const uint16_t *dbcs;   /* double-byte: [row * 256 + trail], uni_def when undefined */
    const uint8_t *wc_hi;   /* [unit >> 8]: block of wc_sb / wc_db */
    const uint8_t *wc_sb;   /* single-byte: [block * 256 + (unit & 0xff)] -> byte */
    const uint16_t *wc_db;  /* double-byte: the same -> byte or lead << 8 | trail */
} nls_cp;

/* A code page's tables; NULL for UTF-8 and code pages ntrun lacks. */
const nls_cp *nls_cp_get(uint32_t cp);

/* Is b a lead byte of c? */
static inline bool nls_cp_is_lead(const nls_cp *c, uint8_t b)
{
    return c->lead_row && c->lead_row[b];
}

/* One character from s (n > 0 bytes) as MultiByteToWideChar decodes it: the bytes it takes
 * (1 or 2), its unit in *unit (`glyphs`: MB_USEGLYPHCHARS). A lead byte at the end, or
 * followed by NUL, is one byte that decodes to uni_def. *valid is false where
 * MB_ERR_INVALID_CHARS refuses the sequence: undefined codes (uni_def but not trans_uni_def),
 * bytes mapped into the private use area, a lead byte without its trail byte. */
size_t nls_cp_decode(const nls_cp *c, const uint8_t *s, size_t n, bool glyphs, uint16_t *unit,
                     bool *valid);

/* The code WideCharToMultiByte gives a unit (a byte, or lead << 8 | trail), best-fit mappings
 * included: def_char for a unit the page lacks. */
static inline uint16_t nls_cp_wc(const nls_cp *c, uint16_t unit)
{
    size_t i = (size_t)c->wc_hi[unit >> 8] * 256 + (unit & 0xff);
    return c->wc_sb ? c->wc_sb[i] : c->wc_db[i];
}

/* The unit a code (a byte, or lead << 8 | trail) decodes to. */
uint16_t nls_cp_unit(const nls_cp *c, uint16_t code);

/* Does `unit` convert without the default character? With `best_fit` (WideCharToMultiByte
 * without WC_NO_BEST_FIT_CHARS) any mapping but def_char counts; without it only a code that
 * converts back to `unit`. */
static inline bool nls_cp_mapped(const nls_cp *c, uint16_t unit, bool best_fit)
{
    uint16_t code = nls_cp_wc(c, unit);
    if (best_fit && code != c->def_char)
        return true;
    return nls_cp_unit(c, code) == unit;
}

/* The code of a unit that converts back to it exactly, -1 when c has none. */
static inline int32_t nls_cp_encode(const nls_cp *c, uint16_t unit)
{
    return nls_cp_mapped(c, unit, false) ? nls_cp_wc(c, unit) : -1;
}

#endif
