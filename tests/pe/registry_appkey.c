/* Application hives and merged saves:
 *  - RegLoadAppKeyW on a missing file creates it and gives a handle to the empty hive's root,
 *    with no privilege enabled; keys and values made there are in the file: after the handle
 *    is closed, RegLoadAppKeyA of the same file sees them;
 *  - the hive is not reachable below HKEY_LOCAL_MACHINE or HKEY_USERS;
 *  - RegLoadAppKeyW with reserved != 0: ERROR_INVALID_PARAMETER;
 *  - NtSaveMergedKeys (a key of HKEY_CURRENT_USER over one of the application hive: two
 *    hives, as Windows wants) without SeBackupPrivilege: STATUS_PRIVILEGE_NOT_HELD; with it,
 *    the hive RegLoadAppKey then opens holds both keys' subkeys, the first key's value where
 *    both have one;
 *  - RegSaveKeyExW with REG_LATEST_FORMAT and REG_NO_COMPRESSION saves.
 * Output as on Windows; Wine 8.0 has neither (RegLoadAppKey is a stub there). */
#include <stdio.h>
#include <windows.h>
#include "privilege.h"

typedef LONG(NTAPI *merged_fn)(HANDLE, HANDLE, HANDLE);

static DWORD get_dword(HKEY k, const wchar_t *sub, const wchar_t *name)
{
    DWORD v = 0, size = sizeof v;
    LONG r = RegGetValueW(k, sub, name, RRF_RT_REG_DWORD, NULL, &v, &size);
    return r ? 1000000 + (DWORD)r : v;
}

static void set_dword(HKEY k, const wchar_t *sub, const wchar_t *name, DWORD v)
{
    HKEY s;
    RegCreateKeyExW(k, sub, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &s, NULL);
    RegSetValueExW(s, name, 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    RegCloseKey(s);
}

int main(void)
{
    privilege_set(L"SeBackupPrivilege", FALSE);
    privilege_set(L"SeRestorePrivilege", FALSE);
    DeleteFileW(L"app.dat");
    HKEY app = NULL;
    LONG r = RegLoadAppKeyW(L"app.dat", &app, KEY_ALL_ACCESS, 0, 0);
    printf("RegLoadAppKeyW new file: %ld, file exists %d\n", r,
           GetFileAttributesW(L"app.dat") != INVALID_FILE_ATTRIBUTES);
    DWORD nsub = 99, nval = 99;
    RegQueryInfoKeyW(app, NULL, NULL, NULL, &nsub, NULL, NULL, &nval, NULL, NULL, NULL, NULL);
    printf("empty: %lu subkeys %lu values\n", nsub, nval);
    set_dword(app, L"Settings", L"Width", 640);
    printf("create in the hive: %lu\n", get_dword(app, L"Settings", L"Width"));
    RegCloseKey(app);
    HKEY again = NULL;
    r = RegLoadAppKeyA("app.dat", &again, KEY_READ, 0, 0);
    printf("RegLoadAppKeyA again: %ld, Width %lu\n", r, get_dword(again, L"Settings", L"Width"));
    HKEY probe;
    printf("below HKLM: %ld\n", RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Settings", 0, KEY_READ, &probe));
    RegCloseKey(again);
    HKEY bad;
    printf("reserved: %ld\n", RegLoadAppKeyW(L"app.dat", &bad, KEY_READ, 0, 1));

    /* NtSaveMergedKeys */
    merged_fn save_merged =
        (merged_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtSaveMergedKeys");
    HKEY hi, lo;
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ntrun-test-merge");
    RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun-test-merge\\hi", 0, NULL, 0,
                    KEY_ALL_ACCESS, NULL, &hi, NULL);
    HKEY app2 = NULL;
    RegLoadAppKeyW(L"app.dat", &app2, KEY_ALL_ACCESS, 0, 0);
    RegCreateKeyExW(app2, L"lo", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &lo, NULL);
    set_dword(hi, L"both", L"v", 1);
    set_dword(lo, L"both", L"v", 2);
    set_dword(lo, L"both", L"w", 3);
    set_dword(hi, L"hionly", L"v", 4);
    set_dword(lo, L"loonly", L"v", 5);
    DeleteFileW(L"merged.dat");
    HANDLE f = CreateFileW(L"merged.dat", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    printf("NtSaveMergedKeys, no privilege: 0x%08lx\n", (unsigned long)save_merged(hi, lo, f));
    printf("enable backup: %d\n", privilege_set(L"SeBackupPrivilege", TRUE));
    printf("NtSaveMergedKeys: 0x%08lx\n", (unsigned long)save_merged(hi, lo, f));
    CloseHandle(f);
    HKEY m = NULL;
    r = RegLoadAppKeyW(L"merged.dat", &m, KEY_READ, 0, 0);
    printf("merged hive: %ld, both\\v %lu both\\w %lu hionly %lu loonly %lu\n", r,
           get_dword(m, L"both", L"v"), get_dword(m, L"both", L"w"),
           get_dword(m, L"hionly", L"v"), get_dword(m, L"loonly", L"v"));
    RegCloseKey(m);

    /* RegSaveKeyEx formats */
    DeleteFileW(L"latest.dat");
    printf("RegSaveKeyExW latest: %ld\n", RegSaveKeyExW(hi, L"latest.dat", NULL, REG_LATEST_FORMAT));
    DeleteFileW(L"nocomp.dat");
    printf("RegSaveKeyExW no compression: %ld\n",
           RegSaveKeyExW(hi, L"nocomp.dat", NULL, REG_NO_COMPRESSION));
    RegCloseKey(hi);
    RegCloseKey(lo);
    RegCloseKey(app2);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ntrun-test-merge");
    privilege_set(L"SeBackupPrivilege", FALSE);
    return 0;
}
