/* RegRestoreKeyW with REG_WHOLE_HIVE_VOLATILE: the saved file becomes a new memory-only hive
 * below HKEY_USERS, named as the key that was saved, with its values and subkeys. Below
 * another key than HKEY_USERS / HKEY_LOCAL_MACHINE: ERROR_INVALID_PARAMETER. Needs SeBackupPrivilege and
 * SeRestorePrivilege (an elevated run). Wine 8.0's RegRestoreKeyW is a stub. */
#include <stdio.h>
#include <windows.h>
#include "privilege.h"

static DWORD get_dword(HKEY k, const wchar_t *sub, const wchar_t *name)
{
    DWORD v = 0, size = sizeof v;
    LONG r = RegGetValueW(k, sub, name, RRF_RT_REG_DWORD, NULL, &v, &size);
    return r ? 1000000 + (DWORD)r : v;
}

int main(void)
{
    privilege_set(L"SeBackupPrivilege", TRUE);
    privilege_set(L"SeRestorePrivilege", TRUE);
    wchar_t name[64], path[96];
    swprintf(name, 64, L"ntrun-pe-wholevolatile-%lu", GetCurrentProcessId());
    swprintf(path, 96, L"Software\\%ls", name);
    HKEY k, s;
    DWORD one = 1, two = 2;
    RegCreateKeyExW(HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    RegSetValueExW(k, L"A", 0, REG_DWORD, (const BYTE *)&one, sizeof one);
    RegCreateKeyExW(k, L"Sub", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &s, NULL);
    RegSetValueExW(s, L"B", 0, REG_DWORD, (const BYTE *)&two, sizeof two);
    RegCloseKey(s);
    DeleteFileW(L"wholevolatile.dat");
    printf("RegSaveKeyW: %ld\n", RegSaveKeyW(k, L"wholevolatile.dat", NULL));
    RegCloseKey(k);
    RegDeleteTreeW(HKEY_CURRENT_USER, path);
    RegDeleteKeyW(HKEY_CURRENT_USER, path);

    printf("below HKCU\\Software: %ld\n",
           RegRestoreKeyW(HKEY_CURRENT_USER, L"wholevolatile.dat", REG_WHOLE_HIVE_VOLATILE));
    printf("below HKEY_USERS: %ld\n",
           RegRestoreKeyW(HKEY_USERS, L"wholevolatile.dat", REG_WHOLE_HIVE_VOLATILE));
    HKEY h = NULL;
    LONG r = RegOpenKeyExW(HKEY_USERS, name, 0, KEY_ALL_ACCESS, &h);
    printf("HKEY_USERS\\<saved key's name>: %ld, A %lu, Sub\\B %lu\n", r, get_dword(h, NULL, L"A"),
           get_dword(h, L"Sub", L"B"));
    RegCloseKey(h);
    RegDeleteTreeW(HKEY_USERS, name); /* ntrun's session would keep it; Windows until reboot */
    RegDeleteKeyW(HKEY_USERS, name);
    DeleteFileW(L"wholevolatile.dat");
    return 0;
}
