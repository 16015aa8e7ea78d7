/* The crypt32 tests' data: a file that the test's .gen script made in a folder beside the
 * program: crypt_load reads FOLDER\NAME.der whole into the caller's buf; crypt_load_new reads
 * FOLDER\NAME into a new 64 KiB buffer (crypt_msg_common.h, crypt_envelope_common.h). */
#ifndef CRYPT_FILES_H
#define CRYPT_FILES_H
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

/* FOLDER\NAME then SUFFIX, opened for reading in the program's folder. */
static inline HANDLE crypt_open_beside(const char *folder, const char *name, const char *suffix)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, MAX_PATH);
    while (n && path[n - 1] != '\\' && path[n - 1] != '/')
        n--;
    snprintf(path + n, MAX_PATH - n, "%s\\%s%s", folder, name, suffix);
    return CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
}

/* Reads FOLDER\NAME.der beside the program; 0 (after saying so) when it cannot. */
static inline int crypt_load(const char *folder, const char *name, BYTE *buf, DWORD cap, DWORD *len)
{
    HANDLE h = crypt_open_beside(folder, name, ".der");
    if (h == INVALID_HANDLE_VALUE) {
        printf("cannot open %s\n", name);
        return 0;
    }
    BOOL ok = ReadFile(h, buf, cap, len, NULL);
    CloseHandle(h);
    return ok;
}

/* FOLDER\NAME beside the program, read whole into a new 64 KiB buffer (malloc: the caller
 * frees it); *len 0, after saying "cannot read NAME", when it cannot. */
static inline BYTE *crypt_load_new(const char *folder, const char *name, DWORD *len)
{
    HANDLE h = crypt_open_beside(folder, name, "");
    BYTE *buf = malloc(65536);
    *len = 0;
    if (h == INVALID_HANDLE_VALUE || !ReadFile(h, buf, 65536, len, NULL))
        printf("cannot read %s\n", name);
    CloseHandle(h);
    return buf;
}
#endif
