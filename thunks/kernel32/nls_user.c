/* SPDX-License-Identifier: MIT */
/* The user's overrides of their locale's values, as Windows keeps them: SetLocaleInfoW/A set
 * one (LOCALE_SDECIMAL, LOCALE_STHOUSAND, LOCALE_SSHORTDATE, ...) for the user's locale and
 * store it under HKEY_CURRENT_USER\Control Panel\International by its registry name
 * ("sDecimal", "iNegCurr", ...), where the process also reads them from the first time it needs
 * one. An override applies where Windows applies it: to the user's locale (en-US here: the
 * LCIDs LOCALE_USER_DEFAULT, LOCALE_SYSTEM_DEFAULT and 0409, the names NULL and "en-US") without
 * LOCALE_NOUSEROVERRIDE, in GetLocaleInfo(Ex), GetNumberFormat and GetCurrencyFormat without a
 * NUMBERFMT/CURRENCYFMT, and GetDateFormat/GetTimeFormat without a picture; never to the
 * invariant locale or another locale.
 * SetLocaleInfo takes the LCTYPEs below (others: ERROR_INVALID_FLAGS); a NULL value, one of
 * more than 79 units, a separator (SDECIMAL, STHOUSAND, SMONDECIMALSEP, SMONTHOUSANDSEP) of more
 * than 3 or a currency symbol of more than 12 is ERROR_INVALID_PARAMETER. Windows also rewrites
 * the values derived from a picture (LOCALE_SDATE, LOCALE_IDATE from SSHORTDATE, ...): not
 * here, those keep the locale's. Another process's SetLocaleInfo is seen by processes started
 * after it (Windows broadcasts the change to running ones). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

typedef void *K32_HKEY;
#define K32_HKEY_CURRENT_USER ((K32_HKEY)(uintptr_t)0x80000001u)
#define K32_KEY_QUERY_VALUE 0x0001
#define K32_KEY_SET_VALUE 0x0002
#define K32_REG_SZ 1
int32_t WINAPI RegOpenKeyExW(K32_HKEY key, const WCHAR *sub, DWORD options, DWORD access,
                             K32_HKEY *out);
int32_t WINAPI RegCreateKeyExW(K32_HKEY key, const WCHAR *sub, DWORD reserved, WCHAR *cls,
                               DWORD options, DWORD access, void *sa, K32_HKEY *out,
                               DWORD *disposition);
int32_t WINAPI RegQueryValueExW(K32_HKEY key, const WCHAR *name, DWORD *reserved, DWORD *type,
                                BYTE *data, DWORD *size);
int32_t WINAPI RegSetValueExW(K32_HKEY key, const WCHAR *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD size);
int32_t WINAPI RegCloseKey(K32_HKEY key);

#define K32_LOCALE_NOUSEROVERRIDE 0x80000000u
#define K32_USER_MAX 80 /* units of a value with its NUL (Windows: 80) */

/* The LCTYPEs a user may override, with their registry names and longest value (units). The
 * names are arrays, not pointers: read-only data the dynamic linker never writes at start. */
static const struct {
    uint16_t type;
    uint8_t max;
    char name[20];
} k32_user_types[] = {
    {0x000c, 3, "sList"},          {0x000d, 1, "iMeasure"},
    {0x000e, 3, "sDecimal"},       {0x000f, 3, "sThousand"},
    {0x0010, 9, "sGrouping"},      {0x0011, 1, "iDigits"},
    {0x0012, 1, "iLZero"},         {0x1010, 1, "iNegNumber"},
    {0x0014, 12, "sCurrency"},      {0x0016, 3, "sMonDecimalSep"},
    {0x0017, 3, "sMonThousandSep"}, {0x0018, 9, "sMonGrouping"},
    {0x0019, 1, "iCurrDigits"},    {0x001b, 1, "iCurrency"},
    {0x001c, 2, "iNegCurr"},       {0x001f, 79, "sShortDate"},
    {0x0020, 79, "sLongDate"},     {0x1003, 79, "sTimeFormat"},
    {0x0028, 14, "s1159"},         {0x0029, 14, "s2359"},
    {0x0050, 4, "sPositiveSign"},  {0x0051, 4, "sNegativeSign"},
    {0x100c, 1, "iFirstDayOfWeek"}, {0x100d, 1, "iFirstWeekOfYear"},
};
#define K32_USER_COUNT (sizeof k32_user_types / sizeof *k32_user_types)

/* The overrides (UTF-8), NULL where none; a value replaced is left allocated, as a reader may
 * still hold it. */
static _Atomic(const char *) k32_user_values[K32_USER_COUNT];
static atomic_int k32_user_loaded; /* 0 not yet, 1 loading, 2 loaded */

static const WCHAR k32_intl_key[] = u"Control Panel\\International";

static int k32_user_index(DWORD type)
{
    for (size_t i = 0; i < K32_USER_COUNT; i++)
        if (k32_user_types[i].type == type)
            return (int)i;
    return -1;
}

static void k32_user_name(size_t i, WCHAR *w)
{
    const char *n = k32_user_types[i].name;
    size_t k = 0;
    for (; n[k]; k++)
        w[k] = (WCHAR)n[k];
    w[k] = 0;
}

static void k32_user_store(size_t i, const WCHAR *w, size_t len)
{
    char *u = malloc(len * 3 + 1);
    if (!u)
        return;
    int n = WideCharToMultiByte(CP_UTF8, 0, w, (int)len, u, (int)(len * 3), NULL, NULL);
    u[n > 0 ? n : 0] = 0;
    atomic_store(&k32_user_values[i], u);
}

/* Reads the stored overrides once per process (the first lookup that may use one). */
static void k32_user_load(void)
{
    int expect = 0;
    if (atomic_load(&k32_user_loaded) == 2 ||
        !atomic_compare_exchange_strong(&k32_user_loaded, &expect, 1)) {
        while (atomic_load(&k32_user_loaded) != 2)
            ;
        return;
    }
    K32_HKEY key;
    if (RegOpenKeyExW(K32_HKEY_CURRENT_USER, k32_intl_key, 0, K32_KEY_QUERY_VALUE, &key) == 0) {
        for (size_t i = 0; i < K32_USER_COUNT; i++) {
            WCHAR name[24], v[K32_USER_MAX];
            DWORD type = 0, size = sizeof v - sizeof(WCHAR);
            k32_user_name(i, name);
            if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)v, &size) != 0 ||
                type != K32_REG_SZ)
                continue;
            size_t len = size / sizeof(WCHAR);
            while (len && !v[len - 1])
                len--;
            if (!atomic_load(&k32_user_values[i]))
                k32_user_store(i, v, len);
        }
        RegCloseKey(key);
    }
    atomic_store(&k32_user_loaded, 2);
}

bool k32_locale_lcid_user(DWORD lcid, DWORD flags)
{
    lcid &= 0xffff;
    return !(flags & K32_LOCALE_NOUSEROVERRIDE) && lcid != 0x7f &&
           k32_locale_index_lcid(lcid) == 0 &&
           (lcid == 0x400 || lcid == 0x800 || lcid == 0 || lcid == 0x409);
}

bool k32_locale_name_user(const WCHAR *name, DWORD flags)
{
    if (flags & K32_LOCALE_NOUSEROVERRIDE)
        return false;
    if (!name || name[0] == '!')
        return true;
    static const char en[] = "en-us";
    for (size_t i = 0; i < sizeof en; i++) {
        WCHAR c = name[i] == '_' ? '-' : name[i];
        if (c >= 'A' && c <= 'Z')
            c = (WCHAR)(c + 32);
        if (c != (WCHAR)en[i])
            return false;
    }
    return true;
}

const char *k32_locale_user_text(int loc, DWORD type, bool user)
{
    if (user) {
        int i = k32_user_index(type);
        if (i >= 0) {
            k32_user_load();
            const char *v = atomic_load(&k32_user_values[i]);
            if (v)
                return v;
        }
    }
    return k32_locale_text(loc, type);
}

BOOL WINAPI SetLocaleInfoW(DWORD lcid, DWORD type, const WCHAR *data)
{
    (void)lcid; /* the user's locale's values, whichever LCID names it */
    int i = k32_user_index(type & ~K32_LOCALE_NOUSEROVERRIDE);
    if (i < 0) {
        thk_set_last_error(ERROR_INVALID_FLAGS);
        return FALSE;
    }
    size_t len = 0;
    while (data && data[len] && len < K32_USER_MAX)
        len++;
    if (!data || len > k32_user_types[i].max) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_user_load();
    K32_HKEY key;
    int32_t r = RegCreateKeyExW(K32_HKEY_CURRENT_USER, k32_intl_key, 0, NULL, 0,
                                K32_KEY_SET_VALUE, NULL, &key, NULL);
    if (r == 0) {
        WCHAR name[24];
        k32_user_name((size_t)i, name);
        r = RegSetValueExW(key, name, 0, K32_REG_SZ, (const BYTE *)data,
                           (DWORD)((len + 1) * sizeof(WCHAR)));
        RegCloseKey(key);
    }
    if (r != 0) {
        thk_set_last_error((DWORD)r);
        return FALSE;
    }
    k32_user_store((size_t)i, data, len);
    return TRUE;
}
THK_EXPORT(kernel32, SetLocaleInfoW, 3);

/* The A form: the value in the locale's ANSI code page. */
BOOL WINAPI SetLocaleInfoA(DWORD lcid, DWORD type, const char *data)
{
    if (!data) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    WCHAR w[K32_USER_MAX + 1];
    UINT cp = k32_locale_ansi_cp(k32_locale_index_lcid(lcid));
    if (!MultiByteToWideChar(cp, 0, data, -1, w, K32_USER_MAX + 1)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return SetLocaleInfoW(lcid, type, w);
}
THK_EXPORT(kernel32, SetLocaleInfoA, 3);
