/* SPDX-License-Identifier: MIT */
/* shlwapi's registry helpers over advapi32's (thunks/advapi32/registry.c): SHGetValue (any
 * type, REG_EXPAND_SZ expanded and given as REG_SZ), SHRegGetValue (RegGetValue's type
 * filters; the SRRF_RM_* boot-mode bits are accepted and ignored), SHSetValue (the key is
 * created), SHDeleteValue, SHDeleteKey (the key and everything under it) and SHRegGetIntW
 * (ordinal 280: a REG_SZ's number, else the default), W and A. They return the Win32 error
 * (LSTATUS) as Windows does. The W and A functions are written once, in reg_tmpl.h. */
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"

typedef void *HKEY;
typedef int32_t LSTATUS;
LSTATUS WINAPI RegGetValueW(HKEY hkey, const WCHAR *sub, const WCHAR *name, DWORD flags,
                            DWORD *type, void *data, DWORD *count);
LSTATUS WINAPI RegGetValueA(HKEY hkey, const char *sub, const char *name, DWORD flags,
                            DWORD *type, void *data, DWORD *count);
LSTATUS WINAPI RegCreateKeyExW(HKEY hkey, const WCHAR *sub, DWORD reserved, WCHAR *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp);
LSTATUS WINAPI RegCreateKeyExA(HKEY hkey, const char *sub, DWORD reserved, char *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp);
LSTATUS WINAPI RegOpenKeyExW(HKEY hkey, const WCHAR *sub, DWORD options, DWORD access, HKEY *out);
LSTATUS WINAPI RegOpenKeyExA(HKEY hkey, const char *sub, DWORD options, DWORD access, HKEY *out);
LSTATUS WINAPI RegSetValueExW(HKEY hkey, const WCHAR *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD size);
LSTATUS WINAPI RegSetValueExA(HKEY hkey, const char *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD size);
LSTATUS WINAPI RegDeleteValueW(HKEY hkey, const WCHAR *name);
LSTATUS WINAPI RegDeleteValueA(HKEY hkey, const char *name);
LSTATUS WINAPI RegDeleteTreeW(HKEY hkey, const WCHAR *sub);
LSTATUS WINAPI RegDeleteTreeA(HKEY hkey, const char *sub);
LSTATUS WINAPI RegCloseKey(HKEY hkey);

#define SR_RRF_RT_ANY 0x0000ffffu
#define SR_SRRF_RM_MASK 0x00070000u
#define SR_KEY_SET_VALUE 0x0002u

#define T WCHAR
#define F(name) name##W
#include "thunks/shlwapi/reg_tmpl.h"
#undef T
#undef F

#define T char
#define F(name) name##A
#include "thunks/shlwapi/reg_tmpl.h"
#undef T
#undef F

/* #280: the value as a decimal number in a REG_SZ (leading digits; "" gives 0), else def */
int WINAPI SHRegGetIntW(HKEY hkey, const WCHAR *name, int def)
{
    WCHAR buf[32];
    DWORD size = sizeof buf, type;
    if (RegGetValueW(hkey, NULL, name, SR_RRF_RT_ANY, &type, buf, &size) || type != 1 /* SZ */)
        return def;
    int v = 0;
    for (const WCHAR *p = buf; *p >= u'0' && *p <= u'9'; p++)
        v = v * 10 + (*p - u'0');
    return v;
}
THK_EXPORT(shlwapi, SHRegGetIntW, 3);
