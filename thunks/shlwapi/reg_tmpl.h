/* SPDX-License-Identifier: MIT */
/* The SH* registry helpers of thunks/shlwapi/reg.c, written once for both character types:
 * reg.c includes this file with T (the character) and F(name) (name##W or name##A) defined,
 * and F picks advapi32's function of the same character type. */

LSTATUS WINAPI F(SHGetValue)(HKEY hkey, const T *sub, const T *name, DWORD *type, void *data,
                             DWORD *size)
{
    return F(RegGetValue)(hkey, sub, name, SR_RRF_RT_ANY, type, data, size);
}
THK_EXPORT(shlwapi, F(SHGetValue), 6);

LSTATUS WINAPI F(SHRegGetValue)(HKEY hkey, const T *sub, const T *name, DWORD flags,
                                DWORD *type, void *data, DWORD *size)
{
    return F(RegGetValue)(hkey, sub, name, flags & ~SR_SRRF_RM_MASK, type, data, size);
}
THK_EXPORT(shlwapi, F(SHRegGetValue), 7);

LSTATUS WINAPI F(SHSetValue)(HKEY hkey, const T *sub, const T *name, DWORD type,
                             const void *data, DWORD size)
{
    HKEY k = hkey;
    LSTATUS r = 0;
    if (sub && *sub)
        r = F(RegCreateKeyEx)(hkey, sub, 0, NULL, 0, SR_KEY_SET_VALUE, NULL, &k, NULL);
    if (r)
        return r;
    r = F(RegSetValueEx)(k, name, 0, type, data, size);
    if (k != hkey)
        RegCloseKey(k);
    return r;
}
THK_EXPORT(shlwapi, F(SHSetValue), 6);

LSTATUS WINAPI F(SHDeleteValue)(HKEY hkey, const T *sub, const T *name)
{
    HKEY k = hkey;
    LSTATUS r = 0;
    if (sub && *sub)
        r = F(RegOpenKeyEx)(hkey, sub, 0, SR_KEY_SET_VALUE, &k);
    if (r)
        return r;
    r = F(RegDeleteValue)(k, name);
    if (k != hkey)
        RegCloseKey(k);
    return r;
}
THK_EXPORT(shlwapi, F(SHDeleteValue), 3);

LSTATUS WINAPI F(SHDeleteKey)(HKEY hkey, const T *sub)
{
    return F(RegDeleteTree)(hkey, sub); /* the named key goes too */
}
THK_EXPORT(shlwapi, F(SHDeleteKey), 2);
