/* SPDX-License-Identifier: MIT */
/* The CRT's locales, shared by ucrtbase (and later msvcrt): the languages and code pages a
 * locale can name, setlocale's name parsing and answers, the per-category locale of the
 * process and of threads that asked for their own (_configthreadlocale), and the data a
 * locale gives the rest of the CRT (the ctype table, MB_CUR_MAX, the code page, lconv).
 *
 * Names, as the UCRT takes them: "C"; "" (the user's default: en-US with the ANSI code page,
 * UTF-8, "English_United States.utf8"); a code page alone (".1252", ".437", ".850", ".852",
 * ".857", ".866", ".1250", ".1251", ".1253", ".1254", ".1257", ".932", ".936", ".949",
 * ".950", ".utf8", ".UTF-8", ".65001", ".ACP", ".OCP") with the default language; a locale of
 * cmake/glibc_locale.py (the only list: 19 of them) by its Windows name "Language_Country"
 * ("Italian_Italy", "Korean_Korea", "Chinese (Traditional)_Taiwan", any case; Windows 7's
 * "Chinese_China" and "Chinese_Taiwan" too), by its language alone ("Italian"; a language of several locales means
 * the first listed: "English" en-US, "Portuguese" pt-BR, "Chinese" zh-CN, "Chinese
 * (Traditional)" zh-TW), answered as "Italian_Italy.1252", the locale's ANSI code page (the
 * double-byte 932, 936, 949 and 950 give MB_CUR_MAX 2 and _LEADBYTE entries in the ctype
 * table), or by its BCP-47 tag "it-IT" (answered as given), each with an optional
 * ".codepage" (".OCP": the locale's OEM page, 850, 852, 857, 866, ...; a tag's
 * "de-DE.UTF-8" is answered so); and, for LC_ALL, the "LC_COLLATE=...;LC_CTYPE=...;..." string
 * setlocale(LC_ALL, NULL) gives for mixed categories. Other languages and code pages give NULL.
 * The "C" locale keeps ntrun's UTF-8 conversions and MB_CUR_MAX 4 (msvcrt_lib.h). LC_TIME,
 * LC_NUMERIC and LC_MONETARY data come from the tables generated for kernel32 (nls_lctime.h,
 * nls_lcnumeric.h), in the category's code page.
 *
 * Locale data objects (crt_locinfo) are built once per combination of category locales and
 * never freed, so a pointer read without a lock stays valid. */
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>
#include "thunks/kernel32/codepage.h"
#include "thunks/msvcrt/msvcrt_lib.h"
#include "nls_lctime.h"
#include "nls_lcnumeric.h"
#include "thunks/kernel32/lcnumeric.h"
#include "thunks/kernel32/nls_tables.h"

/* The locales: those of cmake/glibc_locale.py, in its order (the generated headers' order),
 * language CRT_LANG_EN_US + i being its i-th. */
#define CRT_LANG_COUNT (NLS_LCTIME_COUNT + 1)
_Static_assert(CRT_LANG_COUNT <= CRT_LANG_MAX, "msvcrt_lib.h: CRT_LANG_MAX");

/* Their C runtime names (glibc_locale.py's CRT_NAMES): "Language_Country" setlocale answers,
 * the language alone it also takes, the OEM code page of ".OCP", another name it takes */
typedef struct crt_langdef {
    const char *language; /* "Italian", "Chinese (Simplified)" */
    const char *country;  /* "Italy", "China" */
    uint32_t oem;         /* 850 */
    const char *alias;    /* "Chinese_China", or NULL */
} crt_langdef;
static const crt_langdef crt_langs[NLS_LCTIME_COUNT] = {NLS_LCTIME_CRT_NAMES};
static const char *const crt_lang_tags[NLS_LCTIME_COUNT] = {NLS_LCTIME_TAGS};
static const uint16_t crt_lang_lcids[NLS_LCTIME_COUNT] = {NLS_LCTIME_LCIDS};
static const uint16_t crt_lang_ansi[NLS_LCTIME_COUNT] = {NLS_LCTIME_ANSI_CPS};

static const crt_langdef *crt_lang(int lang) { return &crt_langs[lang - CRT_LANG_EN_US]; }

/* lconv comes from the number and currency data kernel32's GetLocaleInfoEx gives (generated
 * from glibc's locale sources with Windows' corrections: cmake/gen_lcnumeric.py, which says
 * where each comes from), as the UCRT takes it: fr-FR's thousands separator is U+202F (Windows
 * 10 1809 and later; 1252 lacks it: '?'), ru-RU's U+00A0, ja-JP's and zh-CN's yen sign U+00A5
 * (not in 932 or 936: '?' here; Windows' 932 best-fit table may give 0x5C), ru-RU's U+20BD ('?'
 * in 1251). */
/* A language's number and currency data (NLS_NUM_*; the languages are the generated tables'
 * locales in their order, thunks/kernel32/nls_tables.c). */
static const char *const *crt_lang_numeric(int lang) { return nls_lcnumeric_of(lang - CRT_LANG_EN_US); }

/* Windows' "3;0" grouping as C's "\3" (digits as bytes, ';' dropped, ended by the 0), the
 * UCRT's conversion. */
static void crt_grouping(const char *win, char out[8])
{
    size_t k = 0;
    for (; *win && *win != '0' && k < 7; win++)
        if (*win >= '1' && *win <= '9')
            out[k++] = (char)(*win - '0');
    out[k] = 0;
}

static const uint32_t crt_cp_numbers[CRT_CP_COUNT] = {
    0, 1252, 437, 850, 65001, 1250, 1251, 1253, 1254, 1257, 866, 936, 932, 852, 857, 949, 950};
static const char *const crt_cp_spelling[CRT_CP_COUNT] = {
    "",    "1252", "437", "850", "utf8", "1250", "1251", "1253", "1254",
    "1257", "866", "936", "932", "852", "857", "949", "950"};

/* The CRT_CP_* of a code page number, or -1 */
static int crt_cp_of(uint32_t number)
{
    for (int cp = CRT_CP_C + 1; cp < CRT_CP_COUNT; cp++)
        if (crt_cp_numbers[cp] == number)
            return cp;
    return -1;
}
static const char *const crt_cat_names[] = {"LC_ALL", "LC_COLLATE", "LC_CTYPE",
                                            "LC_MONETARY", "LC_NUMERIC", "LC_TIME"};

/* A code page's tables (kernel32's, codepage.h); NULL for "C" and UTF-8. */
static const nls_cp *crt_cp_table(int cp)
{
    return cp == CRT_CP_C || cp == CRT_CP_UTF8 ? NULL : nls_cp_get(crt_cp_numbers[cp]);
}

static const uint16_t *crt_cp_units(int cp)
{
    const nls_cp *c = crt_cp_table(cp);
    return c ? c->mb : NULL;
}

/* ---- the classes and case mappings of the single-byte code pages ---- */
static uint16_t crt_cp_ctype[CRT_CP_COUNT][257];
static uint8_t crt_cp_upper[CRT_CP_COUNT][256], crt_cp_lower[CRT_CP_COUNT][256];
static pthread_once_t crt_cp_once = PTHREAD_ONCE_INIT;

static void crt_cp_init(void);

/* The byte of a single-byte code page for a UTF-16 unit, or -1 (`dbcs`: a double-byte code,
 * lead << 8 | trail, counts too). */
static int crt_cp_code(int cp, uint32_t u, bool dbcs)
{
    if (u < 0x80)
        return (int)u;
    const nls_cp *c = crt_cp_table(cp);
    int32_t code = c && u <= 0xFFFF ? nls_cp_encode(c, (uint16_t)u) : -1;
    return code <= 0xFF || dbcs ? code : -1;
}

static int crt_cp_byte(int cp, uint32_t u)
{
    return crt_cp_code(cp, u, false);
}

/* The code (a byte, or lead << 8 | trail) WideCharToMultiByte(cp, 0, ...) gives a unit,
 * best-fit mappings included (1252: U+0100 -> 'A'), or -1 when it would be the default character (the CRT's conversions then
 * fail with EILSEQ, as Windows' do when lpUsedDefaultChar comes back set). */
static int crt_cp_byte_fit(int cp, uint32_t u)
{
    if (u < 0x80)
        return (int)u;
    const nls_cp *c = crt_cp_table(cp);
    if (!c || u > 0xFFFF || !nls_cp_mapped(c, (uint16_t)u, true))
        return -1;
    return nls_cp_wc(c, (uint16_t)u);
}

static locale_t crt_cp_utf8;

/* The byte for a unit's case mapping (towupper/towlower in C.UTF-8), or the byte itself when
 * the code page lacks the mapped character (LCMapStringA's way). */
static uint8_t crt_cp_case(int cp, int b, bool upper)
{
    uint32_t u = crt_cp_units(cp)[b];
    uint32_t m = crt_cp_utf8 ? (upper ? towupper_l(u, crt_cp_utf8) : towlower_l(u, crt_cp_utf8))
                             : u;
    int r = m == u ? -1 : crt_cp_byte(cp, m);
    return (uint8_t)(r < 0 ? b : r);
}

/* Every byte takes the class of its character (GetStringTypeA's CT_CTYPE1, as Windows' CRTs
 * build a locale's table: ASCII letters get C1_ALPHA, which the "C" table lacks); a lead byte
 * of a double-byte page is _LEADBYTE alone (Windows' CRTs set the entry to it). */
static void crt_cp_init(void)
{
    crt_cp_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    for (int cp = CRT_CP_C + 1; cp < CRT_CP_COUNT; cp++) {
        const uint16_t *t = crt_cp_units(cp);
        if (!t)
            continue;
        const nls_cp *c = crt_cp_table(cp);
        crt_cp_ctype[cp][0] = 0; /* EOF */
        for (int b = 0; b < 256; b++)
            crt_cp_ctype[cp][b + 1] = nls_cp_is_lead(c, (uint8_t)b)
                                          ? CRT_LEADBYTE
                                          : (uint16_t)(crt_wctype_of(t[b]) & 0x1FF);
        for (int b = 0; b < 256; b++) {
            crt_cp_upper[cp][b] = b < 0x80 ? (uint8_t)crt_toupper_c(b) : crt_cp_case(cp, b, true);
            crt_cp_lower[cp][b] = b < 0x80 ? (uint8_t)crt_tolower_c(b) : crt_cp_case(cp, b, false);
        }
    }
}

static const uint16_t *crt_cp_pctype(int cp)
{
    if (!crt_cp_units(cp))
        return crt_ctype_table + 1;
    pthread_once(&crt_cp_once, crt_cp_init);
    return crt_cp_ctype[cp] + 1;
}

int crt_locale_cp_byte(int cp, uint32_t unit)
{
    return crt_cp_units(cp) ? crt_cp_code(cp, unit, true) : -1;
}

/* Day and month names, AM/PM and the date and time pictures (LOCALE_SSHORTDATE,
 * LOCALE_SLONGDATE, LOCALE_STIMEFORMAT) of each language, generated from glibc's locale
 * sources with Windows' corrections (cmake/gen_lctime.py, which says where each comes from). */
const crt_timenames *crt_locale_time(const crt_locinfo *li, int *cp)
{
    *cp = li->cat[CRT_LC_TIME].cp;
    int lang = li->cat[CRT_LC_TIME].lang;
    return lang ? nls_lctime_of(lang - CRT_LANG_EN_US) : NULL;
}

WCHAR *crt_locale_widen(const crt_locinfo *li, int category, const char *s, size_t n,
                        size_t *len)
{
    size_t bytes = 0;
    while (bytes < n && s[bytes])
        bytes++;
    WCHAR *w = malloc((bytes + 1) * sizeof *w);
    if (!w)
        return NULL;
    const nls_cp *t = crt_cp_table(li->cat[category].cp);
    size_t o = 0;
    for (size_t i = 0; i < bytes;) {
        uint32_t u;
        int k;
        if (t) {
            uint16_t unit;
            bool valid;
            k = (int)nls_cp_decode(t, (const uint8_t *)s + i, bytes - i, false, &unit, &valid);
            u = unit;
        } else if ((k = crt_utf8_decode(s + i, bytes - i, &u)) <= 0 || u > 0xFFFF) {
            /* not a BMP character: one unit that sorts last */
            u = 0xFFFD, k = k <= 0 ? 1 : k;
        }
        w[o++] = (WCHAR)u;
        i += (size_t)k;
    }
    w[o] = 0;
    *len = o;
    return w;
}

const uint16_t *crt_locale_sbcs(const crt_locinfo *li)
{
    const nls_cp *c = crt_cp_table(li->cat[CRT_LC_CTYPE].cp);
    return c && c->max_char == 1 ? c->mb : NULL;
}

const nls_cp *crt_locale_dbcs(const crt_locinfo *li)
{
    const nls_cp *c = crt_cp_table(li->cat[CRT_LC_CTYPE].cp);
    return c && c->max_char > 1 ? c : NULL;
}

int crt_locale_code(const crt_locinfo *li, uint32_t unit, bool best_fit)
{
    int cp = li->cat[CRT_LC_CTYPE].cp;
    return best_fit ? crt_cp_byte_fit(cp, unit) : crt_cp_code(cp, unit, true);
}

/* ---- building a locale's data ---- */

/* A category's name into out (64 bytes). */
static void crt_cat_name(const crt_catloc *c, char *out)
{
    if (c->lang == CRT_LANG_C) {
        strcpy(out, "C");
        return;
    }
    const crt_langdef *l = crt_lang(c->lang);
    const char *tag = crt_lang_tags[c->lang - CRT_LANG_EN_US];
    if (c->form == CRT_FORM_TAG)
        strcpy(out, tag);
    else if (c->form == CRT_FORM_TAG_CP)
        snprintf(out, 64, "%s.%s", tag, c->cp == CRT_CP_UTF8 ? "UTF-8" : crt_cp_spelling[c->cp]);
    else
        snprintf(out, 64, "%s_%s.%s", l->language, l->country, crt_cp_spelling[c->cp]);
}

typedef struct crt_strbuf {
    char *p, *end;
    WCHAR *w, *wend;
} crt_strbuf;

/* A UTF-8 string in code page cp ('?' for a character it lacks), stored in the buffer. */
static char *crt_store(crt_strbuf *b, const char *utf8, int cp)
{
    char *start = b->p;
    for (size_t i = 0; utf8[i];) {
        uint32_t u = '?';
        int n = crt_utf8_decode(utf8 + i, strlen(utf8 + i), &u);
        if (n <= 0)
            break;
        if (cp == CRT_CP_UTF8 || cp == CRT_CP_C) {
            if (b->p + n < b->end) {
                memcpy(b->p, utf8 + i, (size_t)n);
                b->p += n;
            }
        } else if (b->p + 2 < b->end) {
            int code = crt_cp_code(cp, u, true);
            if (code > 0xff)
                *b->p++ = (char)(code >> 8);
            *b->p++ = (char)(code < 0 ? '?' : code);
        }
        i += (size_t)n;
    }
    *b->p++ = 0;
    return start;
}

static WCHAR *crt_wstore(crt_strbuf *b, const char *utf8)
{
    WCHAR *start = b->w;
    for (size_t i = 0; utf8[i];) {
        uint32_t u;
        int n = crt_utf8_decode(utf8 + i, strlen(utf8 + i), &u);
        if (n <= 0 || u > 0xFFFF)
            break;
        if (b->w + 1 < b->wend)
            *b->w++ = (WCHAR)u;
        i += (size_t)n;
    }
    *b->w++ = 0;
    return start;
}

static void crt_locinfo_build(crt_locinfo *li)
{
    const crt_catloc *ct = &li->cat[CRT_LC_CTYPE];
    li->pctype = crt_cp_pctype(ct->cp);
    li->lc_codepage = crt_cp_numbers[ct->cp];
    const nls_cp *table = crt_cp_table(ct->cp);
    li->mb_cur_max = table ? table->max_char : CRT_MB_CUR_MAX;
    if (crt_cp_units(ct->cp)) {
        li->upper = crt_cp_upper[ct->cp];
        li->lower = crt_cp_lower[ct->cp];
    }

    bool same = true;
    for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++) {
        crt_cat_name(&li->cat[c], li->names[c]);
        same = same && !strcmp(li->names[c], li->names[CRT_LC_COLLATE]);
    }
    if (same) {
        strcpy(li->names[0], li->names[CRT_LC_COLLATE]);
    } else {
        /* the composite query does not fit 64 bytes: it lives after the others */
        li->names[0][0] = 0;
    }
    for (int c = 0; c <= CRT_LC_LAST; c++) {
        size_t i = 0;
        for (; li->names[c][i]; i++)
            li->wnames[c][i] = (unsigned char)li->names[c][i];
        li->wnames[c][i] = 0;
    }

    const crt_catloc *nc = &li->cat[CRT_LC_NUMERIC], *mc = &li->cat[CRT_LC_MONETARY];
    crt_strbuf b = {li->strings, li->strings + sizeof li->strings, li->wstrings,
                    li->wstrings + sizeof li->wstrings / sizeof *li->wstrings};
    crt_lconv *lc = &li->lconv;
    if (nc->lang) {
        const char *const *n = crt_lang_numeric(nc->lang);
        char grouping[8];
        crt_grouping(n[NLS_NUM_GROUPING], grouping);
        lc->decimal_point = crt_store(&b, n[NLS_NUM_DECIMAL], nc->cp);
        lc->thousands_sep = crt_store(&b, n[NLS_NUM_THOUSAND], nc->cp);
        lc->grouping = crt_store(&b, grouping, CRT_CP_C);
        lc->w_decimal_point = crt_wstore(&b, n[NLS_NUM_DECIMAL]);
        lc->w_thousands_sep = crt_wstore(&b, n[NLS_NUM_THOUSAND]);
    } else {
        lc->decimal_point = crt_store(&b, ".", CRT_CP_C);
        lc->thousands_sep = lc->grouping = crt_store(&b, "", CRT_CP_C);
        lc->w_decimal_point = crt_wstore(&b, ".");
        lc->w_thousands_sep = crt_wstore(&b, "");
    }
    if (mc->lang) {
        const char *const *m = crt_lang_numeric(mc->lang);
        char grouping[8];
        crt_grouping(m[NLS_NUM_MON_GROUPING], grouping);
        lc->int_curr_symbol = crt_store(&b, m[NLS_NUM_INTL_SYMBOL], mc->cp);
        lc->currency_symbol = crt_store(&b, m[NLS_NUM_CURRENCY], mc->cp);
        lc->mon_decimal_point = crt_store(&b, m[NLS_NUM_MON_DECIMAL], mc->cp);
        lc->mon_thousands_sep = crt_store(&b, m[NLS_NUM_MON_THOUSAND], mc->cp);
        lc->mon_grouping = crt_store(&b, grouping, CRT_CP_C);
        lc->positive_sign = crt_store(&b, m[NLS_NUM_POSITIVE], mc->cp);
        lc->negative_sign = crt_store(&b, m[NLS_NUM_NEGATIVE], mc->cp);
        lc->int_frac_digits = (char)atoi(m[NLS_NUM_INTL_CURR_DIGITS]);
        lc->frac_digits = (char)atoi(m[NLS_NUM_CURR_DIGITS]);
        nls_positions p = nls_currency_positions(atoi(m[NLS_NUM_ICURRENCY]),
                                                 atoi(m[NLS_NUM_INEGCURR]));
        lc->p_cs_precedes = (char)p.v[0];
        lc->p_sep_by_space = (char)p.v[1];
        lc->n_cs_precedes = (char)p.v[2];
        lc->n_sep_by_space = (char)p.v[3];
        lc->p_sign_posn = (char)p.v[4];
        lc->n_sign_posn = (char)p.v[5];
        lc->w_int_curr_symbol = crt_wstore(&b, m[NLS_NUM_INTL_SYMBOL]);
        lc->w_currency_symbol = crt_wstore(&b, m[NLS_NUM_CURRENCY]);
        lc->w_mon_decimal_point = crt_wstore(&b, m[NLS_NUM_MON_DECIMAL]);
        lc->w_mon_thousands_sep = crt_wstore(&b, m[NLS_NUM_MON_THOUSAND]);
    } else {
        char *empty = crt_store(&b, "", CRT_CP_C);
        lc->int_curr_symbol = lc->currency_symbol = lc->mon_decimal_point = empty;
        lc->mon_thousands_sep = lc->mon_grouping = lc->positive_sign = empty;
        lc->negative_sign = empty;
        lc->int_frac_digits = lc->frac_digits = CHAR_MAX;
        lc->p_cs_precedes = lc->p_sep_by_space = lc->n_cs_precedes = CHAR_MAX;
        lc->n_sep_by_space = lc->p_sign_posn = lc->n_sign_posn = CHAR_MAX;
        WCHAR *wempty = crt_wstore(&b, "");
        lc->w_int_curr_symbol = lc->w_currency_symbol = wempty;
        lc->w_mon_decimal_point = lc->w_mon_thousands_sep = wempty;
    }
    li->decimal = lc->decimal_point[0] ? lc->decimal_point[0] : '.';
}

/* The interned data objects. A composite LC_ALL query is kept beside each. */
typedef struct crt_locnode {
    crt_locinfo info;
    char query[5 * 80];
    WCHAR wquery[5 * 80];
    struct crt_locnode *next;
} crt_locnode;

const crt_locinfo crt_c_locinfo = {
    .pctype = crt_ctype_table + 1,
    .mb_cur_max = CRT_MB_CUR_MAX,
    .lc_codepage = 0,
    .decimal = '.',
    .lconv = {".", "", "", "", "", "", "", "", "", "", CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX,
              CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, (WCHAR[]){'.', 0}, (WCHAR[]){0},
              (WCHAR[]){0}, (WCHAR[]){0}, (WCHAR[]){0}, (WCHAR[]){0}},
    .names = {"C", "C", "C", "C", "C", "C"},
    .wnames = {{'C'}, {'C'}, {'C'}, {'C'}, {'C'}, {'C'}},
};

static pthread_mutex_t crt_loc_lock = PTHREAD_MUTEX_INITIALIZER;
static crt_locnode *crt_loc_nodes;
const crt_locinfo *crt_global_loc = &crt_c_locinfo;
__thread const crt_locinfo *crt_thread_loc;

static bool crt_cats_equal(const crt_catloc *a, const crt_catloc *b)
{
    for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++)
        if (a[c].lang != b[c].lang || a[c].cp != b[c].cp || a[c].form != b[c].form)
            return false;
    return true;
}

/* The data object for these category locales (crt_loc_lock held); NULL when out of memory. */
static const crt_locinfo *crt_intern(const crt_catloc *cats)
{
    if (crt_cats_equal(cats, crt_c_locinfo.cat))
        return &crt_c_locinfo;
    for (crt_locnode *n = crt_loc_nodes; n; n = n->next)
        if (crt_cats_equal(cats, n->info.cat))
            return &n->info;
    crt_locnode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    memcpy(n->info.cat, cats, sizeof n->info.cat);
    crt_locinfo_build(&n->info);
    if (!n->info.names[0][0]) {
        size_t len = 0;
        for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++)
            len += (size_t)snprintf(n->query + len, sizeof n->query - len, "%s%s=%s",
                                    c == CRT_LC_COLLATE ? "" : ";", crt_cat_names[c],
                                    n->info.names[c]);
        for (size_t i = 0; i <= len; i++)
            n->wquery[i] = (unsigned char)n->query[i];
    }
    n->next = crt_loc_nodes;
    __atomic_store_n(&crt_loc_nodes, n, __ATOMIC_RELEASE);
    return &n->info;
}

static const char *crt_query_name(const crt_locinfo *li, int category)
{
    if (category || li->names[0][0])
        return li->names[category];
    return ((const crt_locnode *)li)->query;
}

static const WCHAR *crt_query_wname(const crt_locinfo *li, int category)
{
    if (category || li->names[0][0])
        return li->wnames[category];
    return ((const crt_locnode *)li)->wquery;
}

static WCHAR crt_wtags[NLS_LCTIME_COUNT][8];
static pthread_once_t crt_wtags_once = PTHREAD_ONCE_INIT;
static void crt_wtags_init(void)
{
    for (int i = 0; i < NLS_LCTIME_COUNT; i++)
        for (size_t k = 0; crt_lang_tags[i][k] && k < 7; k++)
            crt_wtags[i][k] = (unsigned char)crt_lang_tags[i][k];
}

const WCHAR *crt_locale_tag(const crt_locinfo *li, int category)
{
    int lang = li->cat[category].lang;
    if (!lang)
        return NULL;
    pthread_once(&crt_wtags_once, crt_wtags_init);
    return crt_wtags[lang - CRT_LANG_EN_US];
}

void crt_locale_reset(void)
{
    __atomic_store_n(&crt_global_loc, &crt_c_locinfo, __ATOMIC_RELEASE);
    crt_thread_loc = NULL;
    crt_locale_publish(&crt_c_locinfo);
}

uint32_t crt_locale_lcid(const crt_locinfo *li, int category)
{
    int lang = li->cat[category].lang;
    return lang ? crt_lang_lcids[lang - CRT_LANG_EN_US] : 0;
}

uint32_t crt_locale_cp_number(const crt_locinfo *li, int category)
{
    return crt_cp_numbers[li->cat[category].cp];
}

bool crt_locale_cp_known(uint32_t cp)
{
    for (int i = CRT_CP_C + 1; i < CRT_CP_COUNT; i++)
        if (crt_cp_numbers[i] == cp && i != CRT_CP_UTF8)
            return true;
    return false;
}

/* ---- _locale_t objects ---- */
static uint8_t crt_mbcinfo[0x128]; /* opaque to programs */

crt_locale *crt_locale_new(const crt_locinfo *li)
{
    crt_locale *l = li ? crt_malloc(sizeof *l) : NULL;
    if (l) {
        l->locinfo = li;
        l->mbcinfo = crt_mbcinfo;
    }
    return l;
}

/* ---- names ---- */

static int crt_parse_cp(const char *s, size_t n, int lang_default, int oem)
{
    if ((n == 4 && !strncasecmp(s, "utf8", 4)) || (n == 5 && !strncasecmp(s, "utf-8", 5)))
        return CRT_CP_UTF8;
    for (int cp = CRT_CP_C + 1; cp < CRT_CP_COUNT; cp++) {
        char num[8];
        int len = snprintf(num, sizeof num, "%u", crt_cp_numbers[cp]);
        if ((size_t)len == n && !strncmp(s, num, n))
            return cp;
    }
    if (n == 3 && !strncasecmp(s, "ACP", 3))
        return lang_default;
    if (n == 3 && !strncasecmp(s, "OCP", 3))
        return oem;
    return -1;
}

/* Is s[0..n) "Language_Country" (any case)? */
static bool crt_long_match(const char *s, size_t n, const crt_langdef *d)
{
    size_t a = strlen(d->language), b = strlen(d->country);
    return n == a + 1 + b && !strncasecmp(s, d->language, a) && s[a] == '_' &&
           !strncasecmp(s + a + 1, d->country, b);
}

/* Is s[0..n) the language alone: "Italian", or "Chinese" for "Chinese (Simplified)"? */
static bool crt_language_match(const char *s, size_t n, const crt_langdef *d)
{
    size_t a = strlen(d->language);
    const char *paren = strstr(d->language, " (");
    return (n == a && !strncasecmp(s, d->language, a)) ||
           (paren && n == (size_t)(paren - d->language) && !strncasecmp(s, d->language, n));
}

/* Is s[0..n) the BCP-47 tag (either '-' or '_' between its parts)? */
static bool crt_tag_match(const char *s, size_t n, const char *tag)
{
    if (n != strlen(tag))
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = s[i] == '_' ? '-' : s[i];
        if (crt_tolower_c((unsigned char)a) != crt_tolower_c((unsigned char)tag[i]))
            return false;
    }
    return true;
}

/* One locale name (not a composite) into *out; false if not understood. msvcrt's names
 * (CRT_NAMES_MSVCRT) are those of Windows' msvcrt.dll, which predates BCP-47 tags and refuses
 * UTF-8: a tag, a "utf8"/"65001" code page, and the ANSI code page (".ACP" and "", the user's
 * default) give NULL, the ANSI code page being UTF-8 here. */
static bool crt_parse_one(const char *name, size_t len, crt_catloc *out, int names)
{
    if (len == 1 && name[0] == 'C') {
        *out = (crt_catloc){CRT_LANG_C, CRT_CP_C, CRT_FORM_LONG};
        return true;
    }
    if (len == 0) { /* the user's default */
        if (names == CRT_NAMES_MSVCRT)
            return false;
        *out = (crt_catloc){CRT_LANG_EN_US, CRT_CP_UTF8, CRT_FORM_LONG};
        return true;
    }
    const char *dot = memchr(name, '.', len);
    size_t lang_len = dot ? (size_t)(dot - name) : len;
    int lang = -1, form = CRT_FORM_LONG;
    if (lang_len == 0) {
        lang = CRT_LANG_EN_US;
    } else {
        /* a full name or tag first, then a language alone (its first locale in the list) */
        for (int l = CRT_LANG_EN_US; l < CRT_LANG_COUNT && lang < 0; l++) {
            const crt_langdef *d = crt_lang(l);
            if (names == CRT_NAMES_UCRT &&
                crt_tag_match(name, lang_len, crt_lang_tags[l - CRT_LANG_EN_US])) {
                lang = l;
                form = dot ? CRT_FORM_TAG_CP : CRT_FORM_TAG;
            } else if (crt_long_match(name, lang_len, d) ||
                       (d->alias && lang_len == strlen(d->alias) &&
                        !strncasecmp(name, d->alias, lang_len))) {
                lang = l;
            }
        }
        for (int l = CRT_LANG_EN_US; l < CRT_LANG_COUNT && lang < 0; l++)
            if (crt_language_match(name, lang_len, crt_lang(l)))
                lang = l;
    }
    if (lang < 0)
        return false;
    int cp = crt_cp_of(crt_lang_ansi[lang - CRT_LANG_EN_US]);
    if (cp < 0)
        cp = CRT_CP_1252;
    if (dot) {
        int oem = crt_cp_of(crt_lang(lang)->oem);
        cp = crt_parse_cp(dot + 1, len - lang_len - 1,
                          names == CRT_NAMES_MSVCRT ? CRT_CP_UTF8 : cp, oem < 0 ? cp : oem);
        if (cp < 0 || (names == CRT_NAMES_MSVCRT && cp == CRT_CP_UTF8))
            return false;
    }
    *out = (crt_catloc){(uint8_t)lang, (uint8_t)cp, (uint8_t)form};
    return true;
}

/* A name for `category` applied to cats; false (cats unchanged in meaning) if not understood. */
static bool crt_parse_name(int category, const char *name, crt_catloc *cats, int names)
{
    if (category == CRT_LC_ALL && strchr(name, '=')) {
        /* "LC_COLLATE=...;LC_CTYPE=...;...": each named category */
        crt_catloc tmp[CRT_LC_LAST + 1];
        memcpy(tmp, cats, sizeof tmp);
        const char *p = name;
        while (*p) {
            const char *eq = strchr(p, '=');
            if (!eq)
                return false;
            int c = -1;
            for (int k = CRT_LC_COLLATE; k <= CRT_LC_LAST; k++)
                if ((size_t)(eq - p) == strlen(crt_cat_names[k]) &&
                    !strncmp(p, crt_cat_names[k], (size_t)(eq - p)))
                    c = k;
            const char *semi = strchr(eq + 1, ';');
            size_t vlen = semi ? (size_t)(semi - eq - 1) : strlen(eq + 1);
            if (c < 0 || !crt_parse_one(eq + 1, vlen, &tmp[c], names))
                return false;
            p = semi ? semi + 1 : eq + 1 + vlen;
        }
        memcpy(cats, tmp, sizeof tmp);
        return true;
    }
    crt_catloc one;
    if (!crt_parse_one(name, strlen(name), &one, names))
        return false;
    for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++)
        if (category == CRT_LC_ALL || c == category)
            cats[c] = one;
    return true;
}

/* setlocale's work (crt_loc_lock held): the locale data now in effect, NULL on failure. */
static const crt_locinfo *crt_setlocale_locked(int category, const char *name, int names)
{
    const crt_locinfo *cur = crt_locale_current();
    if (!name)
        return cur;
    crt_catloc cats[CRT_LC_LAST + 1];
    memcpy(cats, cur->cat, sizeof cats);
    if (!crt_parse_name(category, name, cats, names))
        return NULL;
    const crt_locinfo *li = crt_intern(cats);
    if (!li)
        return NULL;
    if (crt_thread_loc) {
        crt_thread_loc = li;
    } else {
        __atomic_store_n(&crt_global_loc, li, __ATOMIC_RELEASE);
        crt_locale_publish(li);
    }
    return li;
}

const char *crt_setlocale(int category, const char *name, int names)
{
    if (category < CRT_LC_ALL || category > CRT_LC_LAST)
        return NULL;
    pthread_mutex_lock(&crt_loc_lock);
    const crt_locinfo *li = crt_setlocale_locked(category, name, names);
    pthread_mutex_unlock(&crt_loc_lock);
    return li ? crt_query_name(li, category) : NULL;
}

const WCHAR *crt_wsetlocale(int category, const WCHAR *name, int names)
{
    char a[5 * 80];
    size_t i = 0;
    if (name) {
        for (; name[i] && i + 1 < sizeof a; i++) {
            if (name[i] >= 0x80)
                return NULL; /* no name we know has such a character */
            a[i] = (char)name[i];
        }
        a[i] = 0;
        if (name[i])
            return NULL;
    }
    if (category < CRT_LC_ALL || category > CRT_LC_LAST)
        return NULL;
    pthread_mutex_lock(&crt_loc_lock);
    const crt_locinfo *li = crt_setlocale_locked(category, name ? a : NULL, names);
    pthread_mutex_unlock(&crt_loc_lock);
    return li ? crt_query_wname(li, category) : NULL;
}

const crt_locinfo *crt_locale_create(int category, const char *name, int names)
{
    crt_catloc cats[CRT_LC_LAST + 1];
    memcpy(cats, crt_c_locinfo.cat, sizeof cats);
    if (!crt_parse_name(category, name, cats, names))
        return NULL;
    pthread_mutex_lock(&crt_loc_lock);
    const crt_locinfo *li = crt_intern(cats);
    pthread_mutex_unlock(&crt_loc_lock);
    return li;
}

/* ---- per-thread locales ---- */

int crt_configthreadlocale(int type)
{
    int old = crt_thread_loc ? 1 : 2;
    if (type == 1 && !crt_thread_loc)
        crt_thread_loc = __atomic_load_n(&crt_global_loc, __ATOMIC_ACQUIRE);
    else if (type == 2)
        crt_thread_loc = NULL;
    else if (type != 0 && type != 1)
        return -1;
    return old;
}
