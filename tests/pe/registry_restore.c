/* Registry hive round trips beyond save/load (registry_hive covers those):
 *  - RegRestoreKeyW: a key's values and subkeys replaced by those of a file RegSaveKeyW wrote
 *    (the key's own former values and subkeys are gone, the saved subtree is there); a missing
 *    file fails with ERROR_FILE_NOT_FOUND, an empty name with ERROR_INVALID_PARAMETER;
 *  - NtLoadKeyEx with REG_LOAD_HIVE_OPEN_HANDLE: the hive is mounted and a handle to its root
 *    comes back (a value read through it);
 *  - RegReplaceKeyW on a loaded hive: the live hive goes on (its changes land in the old file's
 *    name), the new file takes the hive file's name, so loading that name again shows the new
 *    contents and loading the old file shows the live hive's last state.
 * The process enables SeBackupPrivilege and SeRestorePrivilege first, as Windows requires
 * (an elevated run). Output as on Windows. Wine 8.0 differs: RegRestoreKeyW and
 * RegReplaceKeyW are stubs that return ERROR_SUCCESS and change nothing, and its NtLoadKeyEx
 * with a root handle fails (STATUS_OBJECT_PATH_NOT_FOUND). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "privilege.h"

#define BASE L"Software\\ntrun-pe-registry-restore"
#define LOADED L"ntrun-pe-registry-restore-loaded"
#define REG_LOAD_HIVE_OPEN_HANDLE 0x800

typedef NTSTATUS(NTAPI *load_key_ex_fn)(OBJECT_ATTRIBUTES *, OBJECT_ATTRIBUTES *, ULONG, HANDLE,
                                        HANDLE, ACCESS_MASK, HANDLE *, void *);

/* The key's values (name=data for strings, name=number for DWORDs) and subkeys, in order. */
static void show(const char *label, HKEY k)
{
    printf("%s:", label);
    for (DWORD i = 0;; i++) {
        WCHAR name[64], data[64];
        DWORD nl = 64, dl = sizeof data, type;
        if (RegEnumValueW(k, i, name, &nl, NULL, &type, (BYTE *)data, &dl))
            break;
        DWORD n;
        memcpy(&n, data, sizeof n);
        if (type == REG_DWORD)
            printf(" %ls=%lu", name, n);
        else
            printf(" %ls=%ls", name, data);
    }
    for (DWORD i = 0;; i++) {
        WCHAR name[64];
        DWORD nl = 64;
        if (RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL, NULL))
            break;
        printf(" [%ls]", name);
    }
    printf("\n");
}

static void show_path(const char *label, HKEY root, const WCHAR *path)
{
    HKEY k;
    LONG r = RegOpenKeyExW(root, path, 0, KEY_READ, &k);
    if (r) {
        printf("%s: open %ld\n", label, r);
        return;
    }
    show(label, k);
    RegCloseKey(k);
}

static void set_sz(HKEY k, const WCHAR *name, const WCHAR *s)
{
    RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)s, (DWORD)(wcslen(s) + 1) * sizeof(WCHAR));
}

static HKEY create(HKEY root, const WCHAR *path)
{
    HKEY k = NULL;
    RegCreateKeyExW(root, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    return k;
}

static void nt_name(UNICODE_STRING *us, WCHAR *buf, const WCHAR *prefix, const WCHAR *name)
{
    wcscpy(buf, prefix);
    wcscat(buf, name);
    us->Buffer = buf;
    us->Length = (USHORT)(wcslen(buf) * sizeof(WCHAR));
    us->MaximumLength = us->Length + sizeof(WCHAR);
}

static int exists(const WCHAR *file)
{
    return GetFileAttributesW(file) != INVALID_FILE_ATTRIBUTES;
}

int main(void)
{
    privilege_set(L"SeBackupPrivilege", TRUE);
    privilege_set(L"SeRestorePrivilege", TRUE);
    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    DeleteFileW(L"saved.hiv");
    DeleteFileW(L"next.hiv");
    DeleteFileW(L"old.hiv");

    HKEY src = create(HKEY_CURRENT_USER, BASE L"\\src");
    set_sz(src, L"a", L"one");
    DWORD two = 2;
    RegSetValueExW(src, L"b", 0, REG_DWORD, (const BYTE *)&two, sizeof two);
    HKEY sub = create(src, L"sub");
    set_sz(sub, L"c", L"three");
    RegCloseKey(sub);
    printf("save: %ld\n", RegSaveKeyW(src, L"saved.hiv", NULL));

    HKEY dst = create(HKEY_CURRENT_USER, BASE L"\\dst");
    set_sz(dst, L"x", L"gone");
    RegCloseKey(create(dst, L"old"));
    show("dst before", dst);
    printf("restore: %ld\n", RegRestoreKeyW(dst, L"saved.hiv", 0));
    show("dst after", dst);
    show_path("dst\\sub", HKEY_CURRENT_USER, BASE L"\\dst\\sub");
    show_path("dst\\old", HKEY_CURRENT_USER, BASE L"\\dst\\old");
    printf("restore missing file: %ld\n", RegRestoreKeyW(dst, L"missing.hiv", 0));
    printf("restore empty name: %ld\n", RegRestoreKeyW(dst, L"", 0));

    /* NtLoadKeyEx with a handle to the hive's root */
    load_key_ex_fn load_key_ex =
        (load_key_ex_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtLoadKeyEx");
    WCHAR tbuf[200], fbuf[MAX_PATH + 8], full[MAX_PATH];
    UNICODE_STRING tu, fu;
    nt_name(&tu, tbuf, L"\\Registry\\User\\", LOADED);
    GetFullPathNameW(L"saved.hiv", MAX_PATH, full, NULL);
    nt_name(&fu, fbuf, L"\\??\\", full);
    OBJECT_ATTRIBUTES ta, fa;
    InitializeObjectAttributes(&ta, &tu, OBJ_CASE_INSENSITIVE, NULL, NULL);
    InitializeObjectAttributes(&fa, &fu, OBJ_CASE_INSENSITIVE, NULL, NULL);
    HANDLE root = NULL;
    NTSTATUS st = load_key_ex(&ta, &fa, REG_LOAD_HIVE_OPEN_HANDLE, NULL, NULL, KEY_READ, &root,
                              NULL);
    printf("NtLoadKeyEx: 0x%08lx, root handle %d\n", (unsigned long)st, root != NULL);
    if (root) {
        show("through the root handle", (HKEY)root);
        CloseHandle(root);
    }
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));

    /* RegReplaceKeyW: next.hiv holds dst as changed below, saved.hiv is the live hive */
    set_sz(dst, L"z", L"next");
    printf("save next: %ld\n", RegSaveKeyW(dst, L"next.hiv", NULL));
    printf("load: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, L"saved.hiv"));
    printf("replace: %ld\n", RegReplaceKeyW(HKEY_USERS, LOADED, L"next.hiv", L"old.hiv"));
    show_path("live after replace", HKEY_USERS, LOADED);
    HKEY live = create(HKEY_USERS, LOADED);
    set_sz(live, L"d", L"late");
    RegCloseKey(live);
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));
    printf("files: saved.hiv %d, next.hiv %d, old.hiv %d\n", exists(L"saved.hiv"),
           exists(L"next.hiv"), exists(L"old.hiv"));
    printf("load saved.hiv: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, L"saved.hiv"));
    show_path("saved.hiv now", HKEY_USERS, LOADED);
    RegUnLoadKeyW(HKEY_USERS, LOADED);
    printf("load old.hiv: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, L"old.hiv"));
    show_path("old.hiv", HKEY_USERS, LOADED);
    RegUnLoadKeyW(HKEY_USERS, LOADED);

    RegCloseKey(dst);
    RegCloseKey(src);
    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    DeleteFileW(L"saved.hiv");
    DeleteFileW(L"next.hiv");
    DeleteFileW(L"old.hiv");
    return 0;
}
