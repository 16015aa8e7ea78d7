/* SPDX-License-Identifier: MIT */
/* The process's extra DLL directory: SetDllDirectoryW/A and GetDllDirectoryW/A. Programs call
 * SetDllDirectory("") at start-up to take the current directory out of the DLL search (FFmpeg,
 * installers, anything hardened against DLL planting), or name a directory of their own.
 *
 * Not done yet: the loader (loader/dll.c search_dll) does not consult the setting, so the search
 * stays the program's directory, the current directory, --dll-path and NTRUN_DLL_PATH. For a
 * program that only hardens its search this changes nothing it can see (system DLLs are built in
 * and never searched for); one that names a folder of its own DLLs still needs --dll-path. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

static pthread_mutex_t k32_dlldir_lock = PTHREAD_MUTEX_INITIALIZER;
static WCHAR *k32_dlldir; /* NULL: the default search order */

static size_t k32_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

BOOL WINAPI SetDllDirectoryW(const WCHAR *dir)
{
    WCHAR *copy = NULL;
    if (dir) {
        size_t n = k32_wlen(dir);
        copy = malloc((n + 1) * sizeof *copy);
        if (!copy) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        memcpy(copy, dir, (n + 1) * sizeof *copy);
    }
    pthread_mutex_lock(&k32_dlldir_lock);
    WCHAR *old = k32_dlldir;
    k32_dlldir = copy;
    pthread_mutex_unlock(&k32_dlldir_lock);
    free(old);
    return TRUE;
}
THK_EXPORT(kernel32, SetDllDirectoryW, 1);

BOOL WINAPI SetDllDirectoryA(const char *dir)
{
    bool ok = true;
    WCHAR *w = k32_a_to_w(dir, &ok);
    if (!ok) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL r = SetDllDirectoryW(w);
    free(w);
    return r;
}
THK_EXPORT(kernel32, SetDllDirectoryA, 1);

/* The length copied, or the size needed (with the terminator) when `size` is too small; an
 * unset directory is the empty string. */
DWORD WINAPI GetDllDirectoryW(DWORD size, WCHAR *buf)
{
    static const WCHAR empty[1] = {0};
    pthread_mutex_lock(&k32_dlldir_lock);
    const WCHAR *d = k32_dlldir ? k32_dlldir : empty;
    DWORD r = k32_return_w(d, k32_wlen(d), buf, size);
    pthread_mutex_unlock(&k32_dlldir_lock);
    return r;
}
THK_EXPORT(kernel32, GetDllDirectoryW, 2);

DWORD WINAPI GetDllDirectoryA(DWORD size, char *buf)
{
    static const WCHAR empty[1] = {0};
    pthread_mutex_lock(&k32_dlldir_lock);
    const WCHAR *d = k32_dlldir ? k32_dlldir : empty;
    DWORD r = k32_return_a(d, k32_wlen(d), buf, size);
    pthread_mutex_unlock(&k32_dlldir_lock);
    return r;
}
THK_EXPORT(kernel32, GetDllDirectoryA, 2);
