/* SPDX-License-Identifier: MIT */
/* GetBinaryTypeW/A: what kind of program a file is, from its headers (start.exe asks it before
 * it starts a program). A PE image: SCS_64BIT_BINARY for PE32+, SCS_32BIT_BINARY for PE32 (a
 * DLL is no program: ERROR_BAD_EXE_FORMAT, as Windows); an NE image SCS_WOW_BINARY (SCS_OS216_
 * BINARY when it targets OS/2), an LE/LX one SCS_DOS_BINARY (a VxD or OS/2 2.x program, which
 * Windows hands to its DOS support), an MZ image with none of those SCS_DOS_BINARY. A file
 * without an MZ header: by its name's suffix, .com SCS_DOS_BINARY and .pif SCS_PIF_BINARY, else
 * ERROR_BAD_EXE_FORMAT. A file that cannot be opened: CreateFile's error. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_SCS_32BIT_BINARY 0
#define K32_SCS_DOS_BINARY 1
#define K32_SCS_WOW_BINARY 2
#define K32_SCS_PIF_BINARY 3
#define K32_SCS_OS216_BINARY 5
#define K32_SCS_64BIT_BINARY 6
#define K32_ERROR_BAD_EXE_FORMAT 193u

BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *done, OVERLAPPED *ov);
DWORD WINAPI SetFilePointer(HANDLE h, LONG lo, LONG *hi, DWORD how);

/* Reads `n` bytes at `off`; false when the file is shorter. */
static bool bt_read_at(HANDLE h, uint32_t off, void *buf, DWORD n)
{
    DWORD got = 0;
    if (SetFilePointer(h, (LONG)off, NULL, 0 /* FILE_BEGIN */) == 0xffffffffu)
        return false;
    return ReadFile(h, buf, n, &got, NULL) && got == n;
}

/* The type from the headers: 0 and *type set, 1 not an MZ image, 2 a DLL or a bad image. */
static int bt_classify(HANDLE h, DWORD *type)
{
    uint8_t mz[0x40];
    if (!bt_read_at(h, 0, mz, sizeof mz) || mz[0] != 'M' || mz[1] != 'Z')
        return 1;
    uint32_t lfanew;
    memcpy(&lfanew, mz + 0x3c, sizeof lfanew);
    uint8_t nt[0x40]; /* the signature, the file header, the optional header's magic; NE's 0x36 */
    if (lfanew < sizeof mz || !bt_read_at(h, lfanew, nt, sizeof nt)) {
        *type = K32_SCS_DOS_BINARY; /* a DOS program: no new header */
        return 0;
    }
    if (!memcmp(nt, "PE\0\0", 4)) {
        uint16_t characteristics, magic;
        memcpy(&characteristics, nt + 4 + 18, sizeof characteristics);
        memcpy(&magic, nt + 4 + 20, sizeof magic);
        if (characteristics & 0x2000) /* IMAGE_FILE_DLL */
            return 2;
        if (magic == 0x20b)
            *type = K32_SCS_64BIT_BINARY;
        else if (magic == 0x10b)
            *type = K32_SCS_32BIT_BINARY;
        else
            return 2;
        return 0;
    }
    if (nt[0] == 'N' && nt[1] == 'E') {
        *type = nt[0x36] == 1 /* ne_exetyp: OS/2 */ ? K32_SCS_OS216_BINARY : K32_SCS_WOW_BINARY;
        return 0;
    }
    *type = K32_SCS_DOS_BINARY; /* MZ with LE/LX or an unknown new header */
    return 0;
}

BOOL WINAPI GetBinaryTypeW(const WCHAR *name, DWORD *type)
{
    if (!name || !type) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    HANDLE h = CreateFileW(name, 0x80000000u /* GENERIC_READ */, 1 | 2 /* read, write */, NULL,
                           3 /* OPEN_EXISTING */, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    DWORD t = 0;
    int r = bt_classify(h, &t);
    CloseHandle(h);
    if (r == 1) { /* no MZ header: the name's suffix */
        size_t n = nt_wcslen(name);
        if (n >= 4 && !k32_wcsnicmp(name + n - 4, u".com", 4)) {
            t = K32_SCS_DOS_BINARY;
            r = 0;
        } else if (n >= 4 && !k32_wcsnicmp(name + n - 4, u".pif", 4)) {
            t = K32_SCS_PIF_BINARY;
            r = 0;
        }
    }
    if (r != 0) {
        thk_set_last_error(K32_ERROR_BAD_EXE_FORMAT);
        return FALSE;
    }
    if (rt_safe_copy(type, &t, sizeof t) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetBinaryTypeW, 2);

BOOL WINAPI GetBinaryTypeA(const char *name, DWORD *type)
{
    WCHAR *w;
    if (!k32_arg_w(name, &w))
        return FALSE;
    BOOL r = GetBinaryTypeW(w, type);
    free(w);
    return r;
}
THK_EXPORT(kernel32, GetBinaryTypeA, 2);
