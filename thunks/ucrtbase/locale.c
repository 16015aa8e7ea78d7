/* SPDX-License-Identifier: MIT */
/* The UCRT's locale exports: setlocale/_wsetlocale, _configthreadlocale, localeconv,
 * ___lc_codepage_func, ___mb_cur_max_func, __pctype_func, ___lc_locale_name_func, and
 * _create_locale's locale objects (_get_current_locale and _free_locale are msvcrt's), whose
 * public prefix the UCRT headers' inline functions read directly
 * (_locale->locinfo->_locale_pctype, _locale_mb_cur_max, _locale_lc_codepage). The names, languages and code pages, and the
 * per-thread locales, are the CRT's shared locale code (thunks/msvcrt/locale.c). */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

void ucrt_locale_reset(void) { crt_locale_reset(); }

static char *WINAPI ucrtbase_setlocale(int category, const char *name)
{
    if (category < CRT_LC_ALL || category > CRT_LC_LAST) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return (char *)crt_setlocale(category, name, CRT_NAMES_UCRT);
}
THK_EXPORT_AS(ucrtbase, setlocale, ucrtbase_setlocale, 2);

static WCHAR *WINAPI ucrtbase__wsetlocale(int category, const WCHAR *name)
{
    if (category < CRT_LC_ALL || category > CRT_LC_LAST) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return (WCHAR *)crt_wsetlocale(category, name, CRT_NAMES_UCRT);
}
THK_EXPORT_AS(ucrtbase, _wsetlocale, ucrtbase__wsetlocale, 2);

static int WINAPI ucrtbase__configthreadlocale(int type)
{
    int r = crt_configthreadlocale(type);
    if (r < 0)
        ucrt_invalid_parameter(CRT_EINVAL);
    return r;
}
THK_EXPORT_AS(ucrtbase, _configthreadlocale, ucrtbase__configthreadlocale, 1);

static uint32_t WINAPI ucrtbase____lc_codepage_func(void)
{
    return crt_locale_current()->lc_codepage;
}
THK_EXPORT_AS(ucrtbase, ___lc_codepage_func, ucrtbase____lc_codepage_func, 0);

static int WINAPI ucrtbase____mb_cur_max_func(void) { return crt_locale_current()->mb_cur_max; }
THK_EXPORT_AS(ucrtbase, ___mb_cur_max_func, ucrtbase____mb_cur_max_func, 0);

static const uint16_t *WINAPI ucrtbase___pctype_func(void) { return crt_locale_current()->pctype; }
THK_EXPORT_AS(ucrtbase, __pctype_func, ucrtbase___pctype_func, 0);

static crt_lconv *WINAPI ucrtbase_localeconv(void)
{
    return (crt_lconv *)&crt_locale_current()->lconv;
}
THK_EXPORT_AS(ucrtbase, localeconv, ucrtbase_localeconv, 0);

/* ---- locale objects ---- */

static crt_locale *WINAPI ucrtbase__create_locale(int category, const char *name)
{
    if (category < CRT_LC_ALL || category > CRT_LC_LAST || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    return crt_locale_new(crt_locale_create(category, name, CRT_NAMES_UCRT));
}
THK_EXPORT_AS(ucrtbase, _create_locale, ucrtbase__create_locale, 2);

static crt_locale *WINAPI ucrtbase__wcreate_locale(int category, const WCHAR *name)
{
    if (category < CRT_LC_ALL || category > CRT_LC_LAST || !name) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return NULL;
    }
    char a[5 * 80];
    size_t i = 0;
    for (; name[i] && name[i] < 0x80 && i + 1 < sizeof a; i++)
        a[i] = (char)name[i];
    a[i] = 0;
    return name[i] ? NULL : crt_locale_new(crt_locale_create(category, a, CRT_NAMES_UCRT));
}
THK_EXPORT_AS(ucrtbase, _wcreate_locale, ucrtbase__wcreate_locale, 2);

/* _get_current_locale and _free_locale are msvcrt's (thunks/msvcrt/mbcs.c). */

static int WINAPI ucrtbase____mb_cur_max_l_func(crt_locale *l)
{
    return crt_locale_arg(l)->mb_cur_max;
}
THK_EXPORT_AS(ucrtbase, ___mb_cur_max_l_func, ucrtbase____mb_cur_max_l_func, 1);

/* The locale names of the categories (NULL means the "C" locale to the UCRT). */
static const WCHAR *WINAPI ucrtbase____lc_locale_name_func(void)
{
    static __thread const WCHAR *names[6];
    const crt_locinfo *li = crt_locale_current();
    for (int c = CRT_LC_COLLATE; c <= CRT_LC_LAST; c++)
        names[c] = crt_locale_tag(li, c);
    return (const WCHAR *)names;
}
THK_EXPORT_AS(ucrtbase, ___lc_locale_name_func, ucrtbase____lc_locale_name_func, 0);

static void WINAPI ucrtbase__lock_locales(void) {}
THK_EXPORT_AS(ucrtbase, _lock_locales, ucrtbase__lock_locales, 0);
THK_EXPORT_AS(ucrtbase, _unlock_locales, ucrtbase__lock_locales, 0);
