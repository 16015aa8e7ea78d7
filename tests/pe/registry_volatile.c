/* Volatile registry keys (REG_OPTION_VOLATILE): created under HKEY_CURRENT_USER, a non-volatile
 * subkey refused (ERROR_CHILD_MUST_BE_VOLATILE), volatile subkeys (also made by RegCreateKeyEx
 * for each missing level) and values work as usual, an existing non-volatile key opens with
 * REG_OPTION_VOLATILE (REG_OPENED_EXISTING_KEY) and keeps taking non-volatile children, a child
 * process sees the volatile keys while this one runs. Output as on Windows. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define BASE L"Software\\ntrun-pe-registry-volatile"

int main(int argc, char **argv)
{
    HKEY k, sub;
    DWORD disp, v, size, type;
    LONG r;
    if (argc > 1 && !strcmp(argv[1], "child")) {
        r = RegOpenKeyExW(HKEY_CURRENT_USER, BASE L"\\Vol\\Deeper\\Deepest", 0, KEY_READ, &k);
        size = sizeof v;
        LONG q = r ? r : RegQueryValueExW(k, L"Seven", NULL, &type, (BYTE *)&v, &size);
        printf("child: open %ld, query %ld, value %lu\n", r, q, q ? 0 : v);
        if (!r)
            RegCloseKey(k);
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    r = RegCreateKeyExW(HKEY_CURRENT_USER, BASE, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, &disp);
    printf("base: %ld disp %lu\n", r, disp);

    r = RegCreateKeyExW(k, L"Vol", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, &sub,
                        &disp);
    printf("volatile: %ld disp %lu\n", r, disp);
    RegCloseKey(sub);
    r = RegCreateKeyExW(k, L"Vol", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, &disp);
    printf("volatile opened without the option: %ld disp %lu\n", r, disp);
    HKEY bad = (HKEY)(ULONG_PTR)0xdead;
    LONG r2 = RegCreateKeyExW(sub, L"Persistent", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &bad, &disp);
    printf("non-volatile child: %ld\n", r2);
    RegCloseKey(sub);
    r = RegCreateKeyExW(k, L"Vol\\Deeper\\Deepest", 0, NULL, REG_OPTION_VOLATILE,
                        KEY_ALL_ACCESS, NULL, &sub, &disp);
    printf("volatile path: %ld disp %lu\n", r, disp);
    v = 7;
    printf("set: %ld\n", RegSetValueExW(sub, L"Seven", 0, REG_DWORD, (BYTE *)&v, 4));
    RegCloseKey(sub);
    r = RegCreateKeyExW(k, L"Vol\\Other\\Nope", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, &disp);
    printf("non-volatile path below: %ld\n", r);
    r = RegOpenKeyExW(k, L"Vol\\Other", 0, KEY_READ, &sub);
    printf("its missing level: %ld\n", r);

    r = RegCreateKeyExW(k, L"Plain", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, &disp);
    RegCloseKey(sub);
    r = RegCreateKeyExW(k, L"Plain", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, &sub,
                        &disp);
    printf("plain opened volatile: %ld disp %lu\n", r, disp);
    HKEY child;
    r = RegCreateKeyExW(sub, L"Child", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &child, &disp);
    printf("plain's non-volatile child: %ld disp %lu\n", r, disp);
    RegCloseKey(child);
    RegCloseKey(sub);

    DWORD nsub = 0;
    RegQueryInfoKeyW(k, NULL, NULL, NULL, &nsub, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    printf("subkeys: %lu\n", nsub);

    /* another process sees them */
    char cmd[MAX_PATH + 16];
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    } else {
        printf("CreateProcess failed: %lu\n", GetLastError());
    }

    RegCloseKey(k);
    printf("delete tree: %ld\n", RegDeleteTreeW(HKEY_CURRENT_USER, BASE));
    return 0;
}
