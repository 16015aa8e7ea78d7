/* SPDX-License-Identifier: MIT */
/* The table-driven code pages (codepage.h): lookup and decoding of one character. */
#include <string.h>
#include "runtime/runtime.h"
#include "thunks/kernel32/codepage.h"
#define NLS_CODEPAGE_TABLES
#include "crt_codepages.h"

#define NLS_NCP (sizeof nls_cp_srcs / sizeof *nls_cp_srcs)

/* The records, made once from the generated descriptors (offsets in nls_cp_data, so that the
 * generated tables hold no pointer for the dynamic linker to write at start). */
static nls_cp nls_cp_table[NLS_NCP];
static rt_once_t nls_cp_table_once = RT_ONCE_INIT;

static const void *nls_cp_at(uint32_t off)
{
    return off == NLS_CP_NONE ? NULL : (const char *)&nls_cp_data + off;
}

static void nls_cp_table_make(void)
{
    for (size_t i = 0; i < NLS_NCP; i++) {
        const nls_cp_src *s = &nls_cp_srcs[i];
        nls_cp *c = &nls_cp_table[i];
        c->cp = s->cp;
        c->max_char = s->max_char;
        c->def_char = s->def_char;
        c->uni_def = s->uni_def;
        c->trans_def = s->trans_def;
        c->trans_uni_def = s->trans_uni_def;
        memcpy(c->lead, s->lead, sizeof c->lead);
        c->name = nls_cp_at(s->name);
        c->mb = nls_cp_at(s->mb);
        c->glyph = nls_cp_at(s->glyph);
        c->lead_row = nls_cp_at(s->lead_row);
        c->dbcs = nls_cp_at(s->dbcs);
        c->wc_hi = nls_cp_at(s->wc_hi);
        c->wc_sb = nls_cp_at(s->wc_sb);
        c->wc_db = nls_cp_at(s->wc_db);
    }
}

const nls_cp *nls_cp_get(uint32_t cp)
{
    for (size_t i = 0; i < NLS_NCP; i++)
        if (nls_cp_srcs[i].cp == cp) {
            rt_once(&nls_cp_table_once, nls_cp_table_make);
            return &nls_cp_table[i];
        }
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
