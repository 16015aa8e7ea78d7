/* The registry outlives a process: the program writes a value under HKEY_CURRENT_USER, starts
 * itself as a child (a second ntrun process), which reads the value, writes one of its own and
 * deletes one the parent made; the parent then sees the child's changes without reopening its
 * key. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define KEY L"Software\\ntrun-pe-registry-persist"

int main(int argc, char **argv)
{
    HKEY k;
    WCHAR buf[64];
    DWORD size, type;
    LONG r;
    if (argc > 2 && !strcmp(argv[1], "child")) {
        r = RegOpenKeyExW(HKEY_CURRENT_USER, KEY, 0, KEY_ALL_ACCESS, &k);
        printf("child: open %ld\n", r);
        size = sizeof buf;
        r = RegQueryValueExW(k, L"Stamp", NULL, &type, (BYTE *)buf, &size);
        WCHAR want[64];
        MultiByteToWideChar(CP_ACP, 0, argv[2], -1, want, 64);
        printf("child: stamp %ld, type %lu, same as the parent's: %d\n", r, type,
               !wcscmp(buf, want));
        DWORD v = 7;
        printf("child: set %ld\n", RegSetValueExW(k, L"FromChild", 0, REG_DWORD, (BYTE *)&v, 4));
        printf("child: delete %ld\n", RegDeleteValueW(k, L"Doomed"));
        RegCloseKey(k);
        return 3;
    }
    RegDeleteTreeW(HKEY_CURRENT_USER, KEY);
    r = RegCreateKeyExW(HKEY_CURRENT_USER, KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL);
    printf("parent: create %ld\n", r);
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%lu-%lu", GetCurrentProcessId(), GetTickCount());
    MultiByteToWideChar(CP_ACP, 0, stamp, -1, buf, 64);
    r = RegSetValueExW(k, L"Stamp", 0, REG_SZ, (BYTE *)buf, (DWORD)(wcslen(buf) + 1) * 2);
    printf("parent: set %ld\n", r);
    RegSetValueExW(k, L"Doomed", 0, REG_SZ, (BYTE *)L"x", 4);
    fflush(stdout);

    char exe[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" child %s", exe, stamp);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return 1;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("parent: child exited with %lu\n", code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);

    DWORD v = 0;
    size = sizeof v;
    r = RegQueryValueExW(k, L"FromChild", NULL, &type, (BYTE *)&v, &size);
    printf("parent: the child's value %ld, %lu\n", r, v);
    size = sizeof buf;
    printf("parent: the deleted value %ld\n",
           RegQueryValueExW(k, L"Doomed", NULL, &type, (BYTE *)buf, &size));
    RegCloseKey(k);
    printf("parent: delete tree %ld\n", RegDeleteTreeW(HKEY_CURRENT_USER, KEY));
    return 0;
}
