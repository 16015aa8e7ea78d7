/* The crypt32 tests' data: a DER file that the test's .gen script made in the folder named
 * after the test, beside the program (read whole into buf). */
#ifndef CRYPT_FILES_H
#define CRYPT_FILES_H
#include <stdio.h>
#include <windows.h>

/* Reads FOLDER\NAME.der beside the program; 0 (after saying so) when it cannot. */
static int crypt_load(const char *folder, const char *name, BYTE *buf, DWORD cap, DWORD *len)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, MAX_PATH);
    while (n && path[n - 1] != '\\' && path[n - 1] != '/')
        n--;
    snprintf(path + n, MAX_PATH - n, "%s\\%s.der", folder, name);
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("cannot open %s\n", name);
        return 0;
    }
    BOOL ok = ReadFile(h, buf, cap, len, NULL);
    CloseHandle(h);
    return ok;
}
#endif
