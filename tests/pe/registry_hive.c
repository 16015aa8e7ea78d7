/* Registry hives: RegCopyTreeW (values and subkeys), RegSaveKeyW (a new file: a second save to
 * the same name fails with ERROR_ALREADY_EXISTS; volatile subkeys are not saved), RegLoadKeyW
 * below HKEY_USERS (the saved values and subkeys are there),
 * a change made in the loaded hive survives RegUnLoadKeyW and a second load, RegUnLoadKeyW of a
 * key that is no hive fails. On Windows the process needs SeBackupPrivilege and
 * SeRestorePrivilege (an elevated run): it enables them first. Output as on Windows; Wine 8.0
 * differs: its RegSaveKeyW replaces an existing file and its loaded hives do not keep changes
 * after RegUnLoadKeyW. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "privilege.h"

#define BASE L"Software\\ntrun-pe-registry-hive"
#define LOADED L"ntrun-pe-registry-hive-loaded"

static void show_values(const char *label, HKEY root, const WCHAR *path)
{
    HKEY k;
    LONG r = RegOpenKeyExW(root, path, 0, KEY_READ, &k);
    if (r) {
        printf("%s: open %ld\n", label, r);
        return;
    }
    WCHAR s[64];
    DWORD d = 0, size = sizeof s, type;
    LONG r1 = RegQueryValueExW(k, L"Text", NULL, &type, (BYTE *)s, &size);
    DWORD dsize = sizeof d;
    LONG r2 = RegQueryValueExW(k, L"Number", NULL, NULL, (BYTE *)&d, &dsize);
    BYTE bin[8];
    DWORD bsize = sizeof bin;
    LONG r3 = RegQueryValueExW(k, L"Blob", NULL, NULL, bin, &bsize);
    HKEY sub;
    LONG r4 = RegOpenKeyExW(k, L"Sub\\Deeper", 0, KEY_READ, &sub);
    DWORD nested = 0;
    if (!r4) {
        DWORD ns = sizeof nested;
        r4 = RegQueryValueExW(sub, L"Nested", NULL, NULL, (BYTE *)&nested, &ns);
        RegCloseKey(sub);
    }
    LONG r5 = RegOpenKeyExW(k, L"Volatile", 0, KEY_READ, &sub);
    if (!r5)
        RegCloseKey(sub);
    DWORD added = 0, asize = sizeof added;
    LONG r6 = RegQueryValueExW(k, L"Added", NULL, NULL, (BYTE *)&added, &asize);
    printf("%s: text %ld %ls, number %ld %lu, blob %ld %lu %02x%02x, nested %ld %lu, "
           "volatile %ld, added %ld %lu\n",
           label, r1, r1 ? L"-" : s, r2, d, r3, bsize, bin[0], bin[1], r4, nested, r5, r6,
           added);
    RegCloseKey(k);
}

int main(void)
{
    privilege_set(L"SeBackupPrivilege", TRUE);
    privilege_set(L"SeRestorePrivilege", TRUE);
    WCHAR dir[MAX_PATH], file[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    swprintf(file, MAX_PATH, L"%lsntrun-hive-%lu.dat", dir, GetCurrentProcessId());
    DeleteFileW(file);
    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);

    HKEY src, k;
    RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\Src", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &src,
                    NULL);
    RegSetValueExW(src, L"Text", 0, REG_SZ, (BYTE *)L"hello hive", 22);
    DWORD v = 42;
    RegSetValueExW(src, L"Number", 0, REG_DWORD, (BYTE *)&v, 4);
    RegSetValueExW(src, L"Blob", 0, REG_BINARY, (BYTE *)"\xca\xfe\x01", 3);
    RegCreateKeyExW(src, L"Sub\\Deeper", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    v = 7;
    RegSetValueExW(k, L"Nested", 0, REG_DWORD, (BYTE *)&v, 4);
    RegCloseKey(k);

    /* RegCopyTree */
    HKEY dst;
    RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\Copy", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &dst,
                    NULL);
    printf("copy tree: %ld\n", RegCopyTreeW(src, NULL, dst));
    RegCloseKey(dst);
    show_values("copy", HKEY_CURRENT_USER, BASE L"\\Copy");
    printf("copy tree, missing source: %ld\n",
           RegCopyTreeW(HKEY_CURRENT_USER, BASE L"\\Nope", src));

    /* RegSaveKey */
    RegCreateKeyExW(src, L"Volatile", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, &k,
                    NULL);
    RegCloseKey(k);
    printf("save: %ld\n", RegSaveKeyW(src, file, NULL));
    printf("save again: %ld\n", RegSaveKeyW(src, file, NULL));
    RegCloseKey(src);

    /* RegLoadKey, a change, RegUnLoadKey, load again */
    printf("load: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, file));
    show_values("loaded", HKEY_USERS, LOADED);
    LONG r = RegOpenKeyExW(HKEY_USERS, LOADED, 0, KEY_ALL_ACCESS, &k);
    v = 99;
    printf("change: %ld %ld\n", r, RegSetValueExW(k, L"Added", 0, REG_DWORD, (BYTE *)&v, 4));
    RegCloseKey(k);
    printf("load again while loaded: %d\n", RegLoadKeyW(HKEY_USERS, LOADED, file) != 0);
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));
    show_values("unloaded", HKEY_USERS, LOADED);
    printf("load: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, file));
    show_values("reloaded", HKEY_USERS, LOADED);
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));
    WCHAR missing[MAX_PATH];
    swprintf(missing, MAX_PATH, L"%lsntrun-hive-missing-%lu.dat", dir, GetCurrentProcessId());
    printf("load missing file: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, missing));

    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    DeleteFileW(file);
    return 0;
}
