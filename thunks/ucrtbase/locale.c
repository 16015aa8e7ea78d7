/* SPDX-License-Identifier: MIT */
/* The UCRT's locales: setlocale/_wsetlocale with a locale per category, localeconv,
 * ___lc_codepage_func, ___lc_locale_name_func, and the locale objects (_create_locale,
 * _get_current_locale, _free_locale) whose public prefix the UCRT headers' inline functions
 * read directly (_locale->locinfo->_locale_pctype, _locale_mb_cur_max, _locale_lc_codepage:
 * ctype.h's _isctype_l and friends, MB_CUR_MAX via ___mb_cur_max_l_func).
 *
 * Two locales exist: "C", and the user's default, which is en-US with the ANSI code page,
 * UTF-8 (what Windows gives with "Use Unicode UTF-8 for worldwide language support", and a
 * program whose manifest asks for the UTF-8 code page): its name is "English_United
 * States.utf8", as the UCRT spells it. setlocale accepts "C", "" (the user's default), a code
 * page alone (".UTF-8", ".UTF8", ".utf8", ".65001", ...) with the default language, and
 * "English_United States.utf8" (the code page part in any of those spellings); any other name
 * (another language, another code page: ntrun's conversions are UTF-8 only) gives NULL and
 * changes nothing. A query of LC_ALL names the one locale when every category has it, else
 * "LC_COLLATE=...;LC_CTYPE=...;LC_MONETARY=...;LC_NUMERIC=...;LC_TIME=...". localeconv gives
 * en-US's numeric and monetary fields for the categories set to it. The multibyte functions
 * convert UTF-8 in either locale (msvcrt_lib.h). One locale for the process: the per-thread
 * locales of _configthreadlocale are not kept. msvcrt's own setlocale is unchanged ("C"). */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

/* __crt_locale_data_public: the first fields of the UCRT's locale data. */
typedef struct ucrt_locale_public {
    const uint16_t *pctype;  /* 0x00: _locale_pctype */
    int32_t mb_cur_max;      /* 0x08: _locale_mb_cur_max */
    uint32_t lc_codepage;    /* 0x0c: _locale_lc_codepage */
} ucrt_locale_public;
_Static_assert(sizeof(ucrt_locale_public) == 16, "__crt_locale_data_public");

/* __crt_locale_pointers */
typedef struct ucrt_locale {
    ucrt_locale_public *locinfo; /* 0x00 */
    void *mbcinfo;               /* 0x08 */
} ucrt_locale;

static ucrt_locale_public ucrt_c_data = {crt_ctype_table + 1, CRT_MB_CUR_MAX,
                                         CRT_LOCALE_CODEPAGE};
static ucrt_locale_public ucrt_utf8_data = {crt_ctype_table + 1, CRT_MB_CUR_MAX, 65001};
static uint8_t ucrt_c_mbcinfo[0x128]; /* opaque to programs */
static ucrt_locale ucrt_c_locale_obj = {&ucrt_c_data, ucrt_c_mbcinfo};

/* ---- the process's locale: per category, "C" or the user's default ---- */

enum { UCRT_LC_ALL, UCRT_LC_COLLATE, UCRT_LC_CTYPE, UCRT_LC_MONETARY, UCRT_LC_NUMERIC,
       UCRT_LC_TIME, UCRT_LC_MAX = UCRT_LC_TIME };
enum { UCRT_LOC_BAD = -1, UCRT_LOC_C = 0, UCRT_LOC_USER = 1 };

#define UCRT_USER_NAME "English_United States.utf8"
static const char *const ucrt_cat_names[] = {"LC_ALL", "LC_COLLATE", "LC_CTYPE",
                                             "LC_MONETARY", "LC_NUMERIC", "LC_TIME"};

static pthread_mutex_t ucrt_loc_lock = PTHREAD_MUTEX_INITIALIZER;
static int ucrt_loc[UCRT_LC_MAX + 1]; /* [1..5]: UCRT_LOC_* */
static char ucrt_loc_query[256];
static WCHAR ucrt_loc_wquery[256];

void ucrt_locale_reset(void)
{
    memset(ucrt_loc, 0, sizeof ucrt_loc);
}

static bool ucrt_is_utf8_cp(const char *cp)
{
    static const char *const forms[] = {"utf8", "utf-8", "65001"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        if (!strcasecmp(cp, forms[i]))
            return true;
    return false;
}

/* Which locale a name asks for. */
static int ucrt_parse_locale(const char *name)
{
    if (!strcmp(name, "C"))
        return UCRT_LOC_C;
    if (!name[0])
        return UCRT_LOC_USER;
    const char *dot = strrchr(name, '.');
    if (!dot || !ucrt_is_utf8_cp(dot + 1))
        return UCRT_LOC_BAD;
    size_t lang = (size_t)(dot - name);
    if (lang == 0 || (lang == 21 && !strncasecmp(name, "English_United States", 21)))
        return UCRT_LOC_USER;
    return UCRT_LOC_BAD;
}

static const char *ucrt_loc_name(int loc) { return loc == UCRT_LOC_USER ? UCRT_USER_NAME : "C"; }

/* The name setlocale returns for a category (ucrt_loc_lock held): static storage. */
static const char *ucrt_query(int category)
{
    if (category != UCRT_LC_ALL)
        return ucrt_loc_name(ucrt_loc[category]);
    bool same = true;
    for (int c = UCRT_LC_COLLATE; c <= UCRT_LC_MAX; c++)
        same = same && ucrt_loc[c] == ucrt_loc[UCRT_LC_COLLATE];
    if (same)
        return ucrt_loc_name(ucrt_loc[UCRT_LC_COLLATE]);
    size_t n = 0;
    for (int c = UCRT_LC_COLLATE; c <= UCRT_LC_MAX; c++)
        n += (size_t)snprintf(ucrt_loc_query + n, sizeof ucrt_loc_query - n, "%s%s=%s",
                              c == UCRT_LC_COLLATE ? "" : ";", ucrt_cat_names[c],
                              ucrt_loc_name(ucrt_loc[c]));
    return ucrt_loc_query;
}

/* setlocale's work: the new name (static storage), or NULL. */
static const char *ucrt_setlocale(int category, const char *name)
{
    if (category < UCRT_LC_ALL || category > UCRT_LC_MAX) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    pthread_mutex_lock(&ucrt_loc_lock);
    const char *r = NULL;
    int loc = name ? ucrt_parse_locale(name) : UCRT_LOC_C;
    if (name && loc == UCRT_LOC_BAD)
        goto out_unlock;
    if (name) {
        for (int c = UCRT_LC_COLLATE; c <= UCRT_LC_MAX; c++)
            if (category == UCRT_LC_ALL || c == category)
                ucrt_loc[c] = loc;
    }
    r = ucrt_query(category);
out_unlock:
    pthread_mutex_unlock(&ucrt_loc_lock);
    return r;
}

static char *WINAPI ucrtbase_setlocale(int category, const char *name)
{
    return (char *)ucrt_setlocale(category, name);
}
THK_EXPORT_AS(ucrtbase, setlocale, ucrtbase_setlocale, 2);

static WCHAR *WINAPI ucrtbase__wsetlocale(int category, const WCHAR *name)
{
    char a[128];
    size_t i = 0;
    if (name) {
        for (; name[i] && i + 1 < sizeof a; i++)
            a[i] = name[i] < 0x80 ? (char)name[i] : '?';
        a[i] = 0;
        if (name[i]) /* too long for any name we know */
            return NULL;
    }
    const char *r = ucrt_setlocale(category, name ? a : NULL);
    if (!r)
        return NULL;
    pthread_mutex_lock(&ucrt_loc_lock);
    for (i = 0; r[i] && i + 1 < sizeof ucrt_loc_wquery / sizeof *ucrt_loc_wquery; i++)
        ucrt_loc_wquery[i] = (unsigned char)r[i];
    ucrt_loc_wquery[i] = 0;
    pthread_mutex_unlock(&ucrt_loc_lock);
    return ucrt_loc_wquery;
}
THK_EXPORT_AS(ucrtbase, _wsetlocale, ucrtbase__wsetlocale, 2);

static uint32_t WINAPI ucrtbase____lc_codepage_func(void)
{
    return __atomic_load_n(&ucrt_loc[UCRT_LC_CTYPE], __ATOMIC_RELAXED) == UCRT_LOC_USER ? 65001
                                                                                       : 0;
}
THK_EXPORT_AS(ucrtbase, ___lc_codepage_func, ucrtbase____lc_codepage_func, 0);

/* struct lconv (ten char pointers, then eight chars, then the UCRT's six wide pointers) */
typedef struct ucrt_lconv {
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
} ucrt_lconv;
_Static_assert(sizeof(ucrt_lconv) == 0x88, "the UCRT's struct lconv");

static ucrt_lconv *WINAPI ucrtbase_localeconv(void)
{
    static char dot[] = ".", comma[] = ",", three[] = "\3", empty[] = "", usd[] = "USD",
                dollar[] = "$", minus[] = "-";
    static WCHAR wdot[] = {'.', 0}, wcomma[] = {',', 0}, wempty[] = {0},
                 wusd[] = {'U', 'S', 'D', 0}, wdollar[] = {'$', 0};
    static __thread ucrt_lconv lc;
    bool num = __atomic_load_n(&ucrt_loc[UCRT_LC_NUMERIC], __ATOMIC_RELAXED) == UCRT_LOC_USER;
    bool mon = __atomic_load_n(&ucrt_loc[UCRT_LC_MONETARY], __ATOMIC_RELAXED) == UCRT_LOC_USER;
    lc.decimal_point = dot;
    lc.thousands_sep = num ? comma : empty;
    lc.grouping = num ? three : empty;
    lc.int_curr_symbol = mon ? usd : empty;
    lc.currency_symbol = mon ? dollar : empty;
    lc.mon_decimal_point = mon ? dot : empty;
    lc.mon_thousands_sep = mon ? comma : empty;
    lc.mon_grouping = mon ? three : empty;
    lc.positive_sign = empty;
    lc.negative_sign = mon ? minus : empty;
    char c = mon ? 2 : CHAR_MAX, one = mon ? 1 : CHAR_MAX, zero = mon ? 0 : CHAR_MAX;
    lc.int_frac_digits = c;
    lc.frac_digits = c;
    lc.p_cs_precedes = one;
    lc.p_sep_by_space = zero;
    lc.n_cs_precedes = one;
    lc.n_sep_by_space = zero;
    lc.p_sign_posn = mon ? 3 : CHAR_MAX;
    lc.n_sign_posn = mon ? 0 : CHAR_MAX;
    lc.w_decimal_point = wdot;
    lc.w_thousands_sep = num ? wcomma : wempty;
    lc.w_int_curr_symbol = mon ? wusd : wempty;
    lc.w_currency_symbol = mon ? wdollar : wempty;
    lc.w_mon_decimal_point = mon ? wdot : wempty;
    lc.w_mon_thousands_sep = mon ? wcomma : wempty;
    return &lc;
}
THK_EXPORT_AS(ucrtbase, localeconv, ucrtbase_localeconv, 0);

/* ---- locale objects ---- */

static ucrt_locale *ucrt_new_locale(int loc)
{
    ucrt_locale *l = crt_malloc(sizeof *l);
    if (l) {
        *l = ucrt_c_locale_obj;
        if (loc == UCRT_LOC_USER)
            l->locinfo = &ucrt_utf8_data;
    }
    return l;
}

static bool ucrt_is_c_name(const char *name) { return ucrt_parse_locale(name) != UCRT_LOC_BAD; }

static ucrt_locale *WINAPI ucrtbase__create_locale(int category, const char *name)
{
    if (category < 0 || category > 5 || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    int loc = ucrt_parse_locale(name);
    return loc == UCRT_LOC_BAD ? NULL : ucrt_new_locale(loc);
}
THK_EXPORT_AS(ucrtbase, _create_locale, ucrtbase__create_locale, 2);

static ucrt_locale *WINAPI ucrtbase__wcreate_locale(int category, const WCHAR *name)
{
    if (category < 0 || category > 5 || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    char a[128];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof a; i++)
        a[i] = name[i] < 0x80 ? (char)name[i] : '?';
    a[i] = 0;
    return !name[i] && ucrt_is_c_name(a) ? ucrt_new_locale(ucrt_parse_locale(a)) : NULL;
}
THK_EXPORT_AS(ucrtbase, _wcreate_locale, ucrtbase__wcreate_locale, 2);

static ucrt_locale *WINAPI ucrtbase__get_current_locale(void)
{
    return ucrt_new_locale(__atomic_load_n(&ucrt_loc[UCRT_LC_CTYPE], __ATOMIC_RELAXED));
}
THK_EXPORT_AS(ucrtbase, _get_current_locale, ucrtbase__get_current_locale, 0);

static void WINAPI ucrtbase__free_locale(ucrt_locale *l)
{
    if (l && l != &ucrt_c_locale_obj)
        crt_free(l);
}
THK_EXPORT_AS(ucrtbase, _free_locale, ucrtbase__free_locale, 1);

static int WINAPI ucrtbase____mb_cur_max_l_func(ucrt_locale *l)
{
    return l && l->locinfo ? l->locinfo->mb_cur_max : CRT_MB_CUR_MAX;
}
THK_EXPORT_AS(ucrtbase, ___mb_cur_max_l_func, ucrtbase____mb_cur_max_l_func, 1);

/* The locale names of the categories (NULL means the "C" locale to the UCRT). */
static const WCHAR *WINAPI ucrtbase____lc_locale_name_func(void)
{
    static const WCHAR en_us[] = {'e', 'n', '-', 'U', 'S', 0};
    static const WCHAR *names[6];
    for (int c = UCRT_LC_COLLATE; c <= UCRT_LC_MAX; c++)
        names[c] = __atomic_load_n(&ucrt_loc[c], __ATOMIC_RELAXED) == UCRT_LOC_USER ? en_us : NULL;
    return (const WCHAR *)names;
}
THK_EXPORT_AS(ucrtbase, ___lc_locale_name_func, ucrtbase____lc_locale_name_func, 0);

static void WINAPI ucrtbase__lock_locales(void) {}
THK_EXPORT_AS(ucrtbase, _lock_locales, ucrtbase__lock_locales, 0);
THK_EXPORT_AS(ucrtbase, _unlock_locales, ucrtbase__lock_locales, 0);
