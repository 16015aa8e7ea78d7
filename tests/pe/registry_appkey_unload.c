/* Application hives' lifetime, as Windows keeps it:
 *  - RegLoadAppKeyW of the same file twice gives two handles to one hive (a value set through
 *    one is read through the other);
 *  - while a handle inside the hive is open, the file is held: DeleteFileW and a CreateFileW
 *    sharing everything get ERROR_SHARING_VIOLATION, even after the first handles are closed
 *    when a subkey handle is still open;
 *  - the last handle closed unloads the hive and releases the file (deletable; Windows may
 *    unload it a moment later, hence the bounded retry), and RegLoadAppKeyW then makes a new
 *    empty hive; what was written is in the file for the next load;
 *  - \Registry\A and the hive's own full name (NtQueryKey KeyNameInformation) are not openable
 *    by path: STATUS_ACCESS_DENIED;
 *  - NtSaveMergedKeys of two keys of one hive: STATUS_INVALID_PARAMETER. */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>
#include "privilege.h"

typedef LONG(NTAPI *open_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *);
typedef LONG(NTAPI *query_fn)(HANDLE, int, void *, ULONG, ULONG *);
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

static DWORD delete_error(void)
{
    return DeleteFileW(L"appu.dat") ? 0 : GetLastError();
}

static DWORD open_error(void)
{
    HANDLE f = CreateFileW(L"appu.dat", GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return GetLastError();
    CloseHandle(f);
    return 0;
}

static LONG open_path(const wchar_t *path)
{
    open_fn nt_open = (open_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtOpenKey");
    UNICODE_STRING us = {(USHORT)(wcslen(path) * 2), (USHORT)(wcslen(path) * 2), (PWSTR)path};
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us, .Attributes = OBJ_CASE_INSENSITIVE};
    HANDLE h = NULL;
    LONG st = nt_open(&h, KEY_READ, &oa);
    if (h)
        CloseHandle(h);
    return st;
}

int main(void)
{
    DeleteFileW(L"appu.dat");
    HKEY a1 = NULL, a2 = NULL, sub = NULL;
    LONG r1 = RegLoadAppKeyW(L"appu.dat", &a1, KEY_ALL_ACCESS, 0, 0);
    LONG r2 = RegLoadAppKeyW(L"appu.dat", &a2, KEY_ALL_ACCESS, 0, 0);
    printf("RegLoadAppKeyW twice: %ld %ld\n", r1, r2);
    set_dword(a1, L"S", L"X", 7);
    printf("set through one, read through the other: %lu\n", get_dword(a2, L"S", L"X"));
    printf("loaded: DeleteFileW error %lu, CreateFileW error %lu\n", delete_error(), open_error());

    /* the hive's full name, not openable by it */
    query_fn query = (query_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryKey");
    union { ULONG len; BYTE raw[1024]; } info = {0};
    ULONG got = 0;
    LONG st = query(a1, 3 /* KeyNameInformation */, &info, sizeof info - 2, &got);
    wchar_t *name = (wchar_t *)(info.raw + 4);
    name[info.len / 2] = 0;
    printf("KeyNameInformation: 0x%08lx, below \\REGISTRY\\A\\: %d\n", (unsigned long)st,
           _wcsnicmp(name, L"\\REGISTRY\\A\\", 12) == 0);
    printf("NtOpenKey by that name: 0x%08lx\n", (unsigned long)open_path(name));
    printf("NtOpenKey \\Registry\\A: 0x%08lx\n", (unsigned long)open_path(L"\\Registry\\A"));

    RegCloseKey(a1);
    printf("first handle closed: read %lu, DeleteFileW error %lu\n", get_dword(a2, L"S", L"X"),
           delete_error());
    RegOpenKeyExW(a2, L"S", 0, KEY_READ, &sub);
    RegCloseKey(a2);
    printf("root handles closed, subkey open: DeleteFileW error %lu, value %lu\n", delete_error(),
           get_dword(sub, NULL, L"X"));
    RegCloseKey(sub);
    DWORD err = 1;
    for (int i = 0; i < 500 && err; i++) {
        err = delete_error();
        if (err)
            Sleep(10);
    }
    printf("last handle closed: deleted %d\n", err == 0);

    HKEY a3 = NULL;
    LONG r3 = RegLoadAppKeyW(L"appu.dat", &a3, KEY_ALL_ACCESS, 0, 0);
    DWORD nsub = 99;
    RegQueryInfoKeyW(a3, NULL, NULL, NULL, &nsub, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    printf("loaded again: %ld, %lu subkeys\n", r3, nsub);
    set_dword(a3, L"T", L"Y", 9);
    RegCloseKey(a3);
    HKEY a4 = NULL;
    LONG r4 = 1;
    for (int i = 0; i < 500 && r4; i++) { /* the unload may come a moment after the close */
        r4 = open_error() ? 1 : RegLoadAppKeyW(L"appu.dat", &a4, KEY_READ, 0, 0);
        if (r4)
            Sleep(10);
    }
    printf("and again: %ld, T\\Y %lu\n", r4, get_dword(a4, L"T", L"Y"));
    RegCloseKey(a4);

    /* NtSaveMergedKeys wants two hives */
    merged_fn save_merged =
        (merged_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtSaveMergedKeys");
    HKEY hi = NULL, lo = NULL;
    RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun-test-unload\\hi", 0, NULL, 0,
                    KEY_ALL_ACCESS, NULL, &hi, NULL);
    RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun-test-unload\\lo", 0, NULL, 0,
                    KEY_ALL_ACCESS, NULL, &lo, NULL);
    DeleteFileW(L"merged_one.dat");
    HANDLE f = CreateFileW(L"merged_one.dat", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    printf("enable backup: %d\n", privilege_set(L"SeBackupPrivilege", TRUE));
    printf("NtSaveMergedKeys of one hive: 0x%08lx\n", (unsigned long)save_merged(hi, lo, f));
    CloseHandle(f);
    DeleteFileW(L"merged_one.dat");
    RegCloseKey(hi);
    RegCloseKey(lo);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ntrun-test-unload");
    DeleteFileW(L"appu.dat");
    return 0;
}
