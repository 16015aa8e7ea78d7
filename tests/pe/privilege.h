/* The privilege switch of the registry tests that need SeBackupPrivilege or SeRestorePrivilege
 * (registry_appkey, registry_appkey_unload, registry_privileges, registry_hive,
 * registry_restore, registry_restore_volatile): privilege_set(name, on) enables (or disables)
 * the privilege in the process's token. TRUE when AdjustTokenPrivileges succeeded and assigned
 * it, GetLastError 0; a token without the privilege gives ERROR_NOT_ALL_ASSIGNED: FALSE. */
#ifndef NTRUN_TESTS_PE_PRIVILEGE_H
#define NTRUN_TESTS_PE_PRIVILEGE_H
#include <windows.h>

static inline BOOL privilege_set(const WCHAR *name, BOOL on)
{
    HANDLE tok;
    TOKEN_PRIVILEGES tp = {1};
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &tok))
        return FALSE;
    LookupPrivilegeValueW(NULL, name, &tp.Privileges[0].Luid);
    tp.Privileges[0].Attributes = on ? SE_PRIVILEGE_ENABLED : 0;
    BOOL r = AdjustTokenPrivileges(tok, FALSE, &tp, 0, NULL, NULL) && GetLastError() == 0;
    CloseHandle(tok);
    return r;
}
#endif
