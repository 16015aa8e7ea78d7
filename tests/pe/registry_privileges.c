/* The privileges the registry's hive calls ask for, enforced as Windows does (run elevated:
 * registry_privileges.token): SeBackupPrivilege for RegSaveKey(Ex), SeRestorePrivilege for
 * RegRestoreKey, RegLoadKey, RegReplaceKey and RegUnLoadKey, each ENABLED in the token
 * (ERROR_PRIVILEGE_NOT_HELD while it is only present, and again once disabled). A child process
 * starts with its parent's privilege state (CreateProcess copies the primary token): enabled
 * in the parent at the time, enabled in the child. Directories open with CreateFile only with
 * FILE_FLAG_BACKUP_SEMANTICS (ERROR_ACCESS_DENIED without), whatever the privileges.
 * Output as on Windows (an elevated administrator); Wine 8.0 prints the same but for the first
 * RegRestoreKeyW and RegReplaceKeyW, stubs that return 0 there. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "privilege.h"

/* registry_privileges_std.c includes this file with its own names: the two tests may run at
 * the same time on the one registry of the C: drive. */
#ifndef KEY
#define KEY L"Software\\ntrun-test-privileges"
#define LOADED L"ntrun-test-privileges-hive"
#endif

/* 1 enabled, 0 present but disabled, -1 absent. */
static int privilege_state(const wchar_t *name)
{
    HANDLE tok;
    LUID luid;
    BYTE buf[2048];
    DWORD len;
    int state = -1;
    LookupPrivilegeValueW(NULL, name, &luid);
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return -2;
    if (GetTokenInformation(tok, TokenPrivileges, buf, sizeof buf, &len)) {
        TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
        for (DWORD i = 0; i < tp->PrivilegeCount; i++)
            if (tp->Privileges[i].Luid.LowPart == luid.LowPart &&
                tp->Privileges[i].Luid.HighPart == luid.HighPart)
                state = (tp->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED) != 0;
    }
    CloseHandle(tok);
    return state;
}

static LONG save_to(HKEY k, const wchar_t *file)
{
    DeleteFileW(file);
    return RegSaveKeyW(k, file, NULL);
}

static void child(void)
{
    HKEY k;
    RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_READ, &k);
    printf("  child: backup %d restore %d, save %ld\n", privilege_state(L"SeBackupPrivilege"),
           privilege_state(L"SeRestorePrivilege"), save_to(k, L"child.hiv"));
    RegCloseKey(k);
    DeleteFileW(L"child.hiv");
}

static void run_child(const char *why)
{
    wchar_t exe[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    swprintf(cmd, MAX_PATH + 16, L"\"%ls\" child", exe);
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    printf("%s\n", why);
    fflush(stdout);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("  CreateProcess: %lu\n", GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        child();
        return 0;
    }
    HKEY k, sub;
    RegDeleteTreeW(HKEY_CURRENT_USER, KEY);
    RegCreateKeyExW(HKEY_CURRENT_USER, KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    RegCreateKeyExW(k, L"sub", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, NULL);
    RegSetValueExW(sub, L"v", 0, REG_DWORD, (const BYTE *)"\x2a\0\0\0", 4);
    RegCloseKey(sub);
    privilege_set(L"SeBackupPrivilege", FALSE);
    privilege_set(L"SeRestorePrivilege", FALSE);
    printf("present, disabled: backup %d restore %d\n", privilege_state(L"SeBackupPrivilege"),
           privilege_state(L"SeRestorePrivilege"));

    printf("save: %ld\n", save_to(k, L"a.hiv"));
    printf("save ex: %ld\n", RegSaveKeyExW(k, L"a.hiv", NULL, REG_LATEST_FORMAT));
    printf("enable backup: %d\n", privilege_set(L"SeBackupPrivilege", TRUE));
    printf("save: %ld\n", save_to(k, L"a.hiv"));
    HANDLE f = CreateFileW(L"r.hiv", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(f, "not a hive", 10, NULL, NULL);
    CloseHandle(f);
    printf("restore: %ld\n", RegRestoreKeyW(k, L"r.hiv", 0));
    printf("load: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, L"a.hiv"));
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));
    printf("enable restore: %d\n", privilege_set(L"SeRestorePrivilege", TRUE));
    printf("restore: %ld\n", RegRestoreKeyW(k, L"a.hiv", 0)); /* 2 without a saved file */
    printf("load: %ld\n", RegLoadKeyW(HKEY_USERS, LOADED, L"a.hiv"));
    printf("disable restore: %d\n", privilege_set(L"SeRestorePrivilege", FALSE));
    /* (a hive not loaded: ERROR_FILE_NOT_FOUND, its key is opened first) */
    printf("replace: %ld\n", RegReplaceKeyW(HKEY_USERS, LOADED, L"b.hiv", L"old.hiv"));
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));
    printf("enable restore: %d\n", privilege_set(L"SeRestorePrivilege", TRUE));
    printf("unload: %ld\n", RegUnLoadKeyW(HKEY_USERS, LOADED));

    run_child("child with both enabled:");
    printf("disable backup: %d\n", privilege_set(L"SeBackupPrivilege", FALSE));
    printf("save: %ld\n", save_to(k, L"b.hiv"));
    run_child("child with backup disabled:");
    privilege_set(L"SeRestorePrivilege", FALSE);

    /* directories and FILE_FLAG_BACKUP_SEMANTICS */
    CreateDirectoryW(L"dir", NULL);
    HANDLE h = CreateFileW(L"dir", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    printf("open directory: %d err %lu\n", h != INVALID_HANDLE_VALUE, GetLastError());
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    h = CreateFileW(L"dir", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    printf("open directory, backup semantics: %d\n", h != INVALID_HANDLE_VALUE);
    BY_HANDLE_FILE_INFORMATION fi;
    if (h != INVALID_HANDLE_VALUE) {
        printf("  a directory: %d\n", GetFileInformationByHandle(h, &fi) &&
                                          (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY));
        CloseHandle(h);
    }
    RemoveDirectoryW(L"dir");

    RegCloseKey(k);
    RegDeleteTreeW(HKEY_CURRENT_USER, KEY);
    DeleteFileW(L"a.hiv");
    DeleteFileW(L"b.hiv");
    DeleteFileW(L"r.hiv");
    return 0;
}
