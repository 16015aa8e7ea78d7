/* SPDX-License-Identifier: MIT */
/* The UCRT's locale objects: _create_locale, _get_current_locale and _free_locale hand out a
 * _locale_t whose public prefix the UCRT headers' inline functions read directly
 * (_locale->locinfo->_locale_pctype, _locale_mb_cur_max, _locale_lc_codepage: ctype.h's
 * _isctype_l and friends, MB_CUR_MAX via ___mb_cur_max_l_func). Only the "C" locale exists
 * (msvcrt_lib.h): every locale object describes it. */
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
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
static uint8_t ucrt_c_mbcinfo[0x128]; /* opaque to programs */
static ucrt_locale ucrt_c_locale_obj = {&ucrt_c_data, ucrt_c_mbcinfo};

/* LC_ALL .. LC_TIME are 0..5 */
static bool ucrt_is_c_name(const char *name)
{
    return name && (!strcmp(name, "C") || !strcmp(name, "") || !strcmp(name, ".utf8") ||
                    !strcmp(name, ".UTF8") || !strcmp(name, ".UTF-8"));
}

static ucrt_locale *ucrt_new_locale(void)
{
    ucrt_locale *l = crt_malloc(sizeof *l);
    if (l)
        *l = ucrt_c_locale_obj;
    return l;
}

static ucrt_locale *WINAPI ucrtbase__create_locale(int category, const char *name)
{
    if (category < 0 || category > 5 || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return ucrt_is_c_name(name) ? ucrt_new_locale() : NULL;
}
THK_EXPORT_AS(ucrtbase, _create_locale, ucrtbase__create_locale, 2);

static ucrt_locale *WINAPI ucrtbase__wcreate_locale(int category, const WCHAR *name)
{
    if (category < 0 || category > 5 || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    char a[16];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof a; i++)
        a[i] = name[i] < 0x80 ? (char)name[i] : '?';
    a[i] = 0;
    return !name[i] && ucrt_is_c_name(a) ? ucrt_new_locale() : NULL;
}
THK_EXPORT_AS(ucrtbase, _wcreate_locale, ucrtbase__wcreate_locale, 2);

static ucrt_locale *WINAPI ucrtbase__get_current_locale(void) { return ucrt_new_locale(); }
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

/* The locale names of the categories: all "C" (NULL means the "C" locale to the UCRT). */
static const WCHAR *WINAPI ucrtbase____lc_locale_name_func(void)
{
    static const WCHAR *names[6];
    return (const WCHAR *)names;
}
THK_EXPORT_AS(ucrtbase, ___lc_locale_name_func, ucrtbase____lc_locale_name_func, 0);

static void WINAPI ucrtbase__lock_locales(void) {}
THK_EXPORT_AS(ucrtbase, _lock_locales, ucrtbase__lock_locales, 0);
THK_EXPORT_AS(ucrtbase, _unlock_locales, ucrtbase__lock_locales, 0);
