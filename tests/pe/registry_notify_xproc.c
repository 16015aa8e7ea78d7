/* RegNotifyChangeKeyValue sees changes another process makes, as on Windows: the parent watches
 * a key of its own (values, with REG_NOTIFY_CHANGE_LAST_SET; subkey names only, with
 * REG_NOTIFY_CHANGE_NAME; the subtree's names) and starts itself as a child that sets a value,
 * then one that creates a subkey of a subkey. Each event is signalled or not as the filter says:
 * the value change completes the LAST_SET watch and leaves the NAME watch pending; the new
 * subkey completes the NAME watch on the tree. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define KEY L"Software\\ntrun-pe-notify"

static void run_child(const char *what)
{
    char self[MAX_PATH], cmd[MAX_PATH + 32];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, what);
    if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: %lu\n", GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child %s: exit %lu\n", what, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

static const char *state(HANDLE ev, DWORD ms)
{
    DWORD r = WaitForSingleObject(ev, ms);
    return r == WAIT_OBJECT_0 ? "signalled" : r == WAIT_TIMEOUT ? "pending" : "error";
}

int main(int argc, char **argv)
{
    HKEY k;
    if (argc > 1) {
        RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_ALL_ACCESS, &k);
        if (!strcmp(argv[1], "value")) {
            DWORD v = 1;
            return (int)RegSetValueExW(k, L"v", 0, REG_DWORD, (const BYTE *)&v, 4);
        }
        HKEY s;
        return (int)RegCreateKeyExW(k, L"a\\b", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &s, NULL);
    }
    RegDeleteTreeW(HKEY_CURRENT_USER, KEY);
    RegCreateKeyExW(HKEY_CURRENT_USER, KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    HKEY s;
    RegCreateKeyExW(k, L"a", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &s, NULL);
    HANDLE values = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE names = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE tree = CreateEventW(NULL, TRUE, FALSE, NULL);
    HKEY k2, k3;
    RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_NOTIFY, &k2);
    RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_NOTIFY, &k3);
    printf("watch values: %ld\n",
           RegNotifyChangeKeyValue(k, FALSE, REG_NOTIFY_CHANGE_LAST_SET, values, TRUE));
    printf("watch names: %ld\n",
           RegNotifyChangeKeyValue(k2, FALSE, REG_NOTIFY_CHANGE_NAME, names, TRUE));
    printf("watch tree names: %ld\n",
           RegNotifyChangeKeyValue(k3, TRUE, REG_NOTIFY_CHANGE_NAME, tree, TRUE));
    printf("before: values %s, names %s, tree %s\n", state(values, 0), state(names, 0),
           state(tree, 0));
    run_child("value");
    printf("after a value: values %s, names %s, tree %s\n", state(values, 10000),
           state(names, 0), state(tree, 0));
    run_child("subkey");
    printf("after a sub-subkey: tree %s, names %s\n", state(tree, 10000), state(names, 0));
    RegCloseKey(s);
    RegCloseKey(k2);
    RegCloseKey(k3);
    RegCloseKey(k);
    printf("cleanup: %ld\n", RegDeleteTreeW(HKEY_CURRENT_USER, KEY));
    return 0;
}
