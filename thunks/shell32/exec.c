/* SPDX-License-Identifier: MIT */
/* What a shell asks before it starts a program: FindExecutableW/A (a program is its own
 * executable; other files have no association here) and SHGetFileInfoW/A's SHGFI_EXETYPE (the
 * PE header's subsystem: a console program is MAKELONG('PE', 0), which tells cmd.exe to wait
 * for it). Other SHGetFileInfo flags (icons, display names, type names) are not done and fail. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define SH_SE_ERR_FNF 2
#define SH_SE_ERR_NOASSOC 31
#define SH_FOUND ((void *)(uintptr_t)42) /* any value above 32 */
#define SH_SHGFI_EXETYPE 0x2000
#define SH_SHGFI_USEFILEATTRIBUTES 0x10

DWORD WINAPI GetFullPathNameW(const WCHAR *name, DWORD n, WCHAR *buf, WCHAR **file);
DWORD WINAPI GetFileAttributesW(const WCHAR *name);
DWORD WINAPI SearchPathW(const WCHAR *path, const WCHAR *name, const WCHAR *ext, DWORD n,
                         WCHAR *buf, WCHAR **file);

static bool sh_is_program(const WCHAR *path)
{
    size_t n = nt_wcslen(path);
    if (n < 4 || path[n - 4] != u'.')
        return false;
    WCHAR e[3];
    for (int i = 0; i < 3; i++) {
        e[i] = path[n - 3 + i];
        if (e[i] >= u'A' && e[i] <= u'Z')
            e[i] = (WCHAR)(e[i] + 32);
    }
    return !memcmp(e, u"exe", 6) || !memcmp(e, u"com", 6) || !memcmp(e, u"bat", 6) ||
           !memcmp(e, u"cmd", 6);
}

void *WINAPI FindExecutableW(const WCHAR *file, const WCHAR *dir, WCHAR *result)
{
    if (!result)
        return (void *)(uintptr_t)SH_SE_ERR_FNF;
    result[0] = 0;
    if (!file)
        return (void *)(uintptr_t)SH_SE_ERR_FNF;
    WCHAR full[MAX_PATH];
    DWORD n = SearchPathW(dir, file, NULL, MAX_PATH, full, NULL);
    if (!n || n >= MAX_PATH || GetFileAttributesW(full) == INVALID_FILE_ATTRIBUTES)
        return (void *)(uintptr_t)SH_SE_ERR_FNF;
    if (!sh_is_program(full))
        return (void *)(uintptr_t)SH_SE_ERR_NOASSOC;
    memcpy(result, full, (n + 1) * sizeof *full);
    return SH_FOUND;
}
THK_EXPORT(shell32, FindExecutableW, 3);

void *WINAPI FindExecutableA(const char *file, const char *dir, char *result)
{
    bool ok1 = true, ok2 = true;
    WCHAR *wf = k32_a_to_w(file, &ok1), *wd = k32_a_to_w(dir, &ok2), wr[MAX_PATH];
    void *r = (void *)(uintptr_t)SH_SE_ERR_FNF;
    if (ok1 && ok2 && result) {
        r = FindExecutableW(wf, wd, wr);
        char *a = k32_w_to_a(wr, nt_wcslen(wr));
        if (a && strlen(a) < MAX_PATH)
            strcpy(result, a);
        else
            result[0] = 0;
        free(a);
    }
    free(wf);
    free(wd);
    return r;
}
THK_EXPORT(shell32, FindExecutableA, 3);

/* MAKELONG('PE', subsystem version) for a PE program, 0 otherwise; console programs: HIWORD 0. */
static ULONG_PTR sh_exe_type(const WCHAR *path)
{
    char *unix_path = NULL;
    if (!NT_SUCCESS(nt_path_to_unix(path, nt_wcslen(path), &unix_path)))
        return 0;
    int fd = open(unix_path, O_RDONLY | O_CLOEXEC);
    free(unix_path);
    if (fd < 0)
        return 0;
    uint8_t h[0x200];
    ssize_t got = pread(fd, h, sizeof h, 0);
    close(fd);
    if (got < 0x40 || h[0] != 'M' || h[1] != 'Z')
        return 0;
    uint32_t lfanew;
    memcpy(&lfanew, h + 0x3c, 4);
    if (lfanew > (uint32_t)got - 0x60 || memcmp(h + lfanew, "PE\0\0", 4))
        return 0;
    const uint8_t *opt = h + lfanew + 0x18; /* the optional header */
    uint16_t subsystem, major, minor;
    memcpy(&major, opt + 0x30, 2);  /* MajorSubsystemVersion */
    memcpy(&minor, opt + 0x32, 2);
    memcpy(&subsystem, opt + 0x44, 2);
    if (subsystem == 3) /* IMAGE_SUBSYSTEM_WINDOWS_CUI */
        return 0x4550;
    return 0x4550 | ((ULONG_PTR)((major << 8) | (minor & 0xff)) << 16);
}

ULONG_PTR WINAPI SHGetFileInfoW(const WCHAR *path, DWORD attrs, void *info, UINT size,
                                UINT flags)
{
    if (info && size)
        memset(info, 0, size);
    if (!path || !(flags & SH_SHGFI_EXETYPE) || (flags & SH_SHGFI_USEFILEATTRIBUTES))
        return 0;
    return sh_exe_type(path);
}
THK_EXPORT(shell32, SHGetFileInfoW, 5);

ULONG_PTR WINAPI SHGetFileInfoA(const char *path, DWORD attrs, void *info, UINT size, UINT flags)
{
    bool ok = true;
    WCHAR *w = k32_a_to_w(path, &ok);
    if (info && size)
        memset(info, 0, size);
    ULONG_PTR r = ok && w && (flags & SH_SHGFI_EXETYPE) && !(flags & SH_SHGFI_USEFILEATTRIBUTES)
                      ? sh_exe_type(w)
                      : 0;
    free(w);
    return r;
}
THK_EXPORT(shell32, SHGetFileInfoA, 5);
