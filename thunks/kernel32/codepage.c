/* SPDX-License-Identifier: MIT */
/* The table-driven code pages (codepage.h): lookup and decoding of one character. */
#include "thunks/kernel32/codepage.h"
#define NLS_CODEPAGE_TABLES
#include "crt_codepages.h"

const nls_cp *nls_cp_get(uint32_t cp)
{
    for (size_t i = 0; i < sizeof nls_cp_table / sizeof *nls_cp_table; i++)
        if (nls_cp_table[i].cp == cp)
            return &nls_cp_table[i];
    return NULL;
}

static bool nls_pua(uint16_t u)
{
    return u >= 0xe000 && u <= 0xf8ff;
}

size_t nls_cp_decode(const nls_cp *c, const uint8_t *s, size_t n, bool glyphs, uint16_t *unit,
                     bool *valid)
{
    uint8_t row = c->lead_row ? c->lead_row[s[0]] : 0;
    if (!row) {
        uint16_t u = glyphs && c->glyph ? c->glyph[s[0]] : c->mb[s[0]];
        *unit = u;
        *valid = !(u == c->uni_def && s[0] != c->trans_uni_def) && !nls_pua(u);
        return 1;
    }
    if (n < 2 || !s[1]) {
        *unit = c->uni_def;
        *valid = false;
        return 1;
    }
    uint16_t u = c->dbcs[(size_t)(row - 1) * 256 + s[1]];
    *unit = u;
    *valid = !(u == c->uni_def && (s[0] << 8 | s[1]) != c->trans_uni_def);
    return 2;
}

uint16_t nls_cp_unit(const nls_cp *c, uint16_t code)
{
    if (code > 0xff) {
        uint8_t row = c->lead_row ? c->lead_row[code >> 8] : 0;
        return row ? c->dbcs[(size_t)(row - 1) * 256 + (code & 0xff)] : c->uni_def;
    }
    return c->mb[code];
}
