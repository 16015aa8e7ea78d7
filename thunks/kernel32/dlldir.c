/* SPDX-License-Identifier: MIT */
/* The process's DLL search settings: SetDllDirectoryW/A and GetDllDirectoryW/A (programs call
 * SetDllDirectory("") at start-up to take the current directory out of the DLL search: FFmpeg,
 * installers, anything hardened against DLL planting; or name a directory of their own),
 * AddDllDirectory / RemoveDllDirectory and SetDefaultDllDirectories.
 *
 * The loader (loader/dll.c search_dll) reads them through thk_dll_search_get, with the
 * LOAD_LIBRARY_SEARCH_* flags of the LoadLibraryEx in progress: without flags (and without
 * SetDefaultDllDirectories) the search is the program's directory, the DLL directory when one
 * is set, else the current directory unless SetDllDirectory("") removed it; with flags it is the
 * loaded DLL's own directory (DLL_LOAD_DIR), the program's directory (APPLICATION_DIR), the DLL
 * directory and the AddDllDirectory ones in the order added (USER_DIRS), and never the current
 * directory. System DLLs are built in and never searched for; --dll-path and NTRUN_DLL_PATH come
 * last in every case. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/held_locks.h"
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
    thk_held_mutex_lock(&k32_dlldir_lock);
    WCHAR *old = k32_dlldir;
    k32_dlldir = copy;
    thk_held_mutex_unlock(&k32_dlldir_lock);
    free(old);
    return TRUE;
}
THK_EXPORT(kernel32, SetDllDirectoryW, 1);

BOOL WINAPI SetDllDirectoryA(const char *dir)
{
    WCHAR *w;
    BOOL r = k32_arg_w(dir, &w) ? SetDllDirectoryW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, SetDllDirectoryA, 1);

/* The length copied, or the size needed (with the terminator) when `size` is too small; an
 * unset directory is the empty string. */
DWORD WINAPI GetDllDirectoryW(DWORD size, WCHAR *buf)
{
    static const WCHAR empty[1] = {0};
    thk_held_mutex_lock(&k32_dlldir_lock);
    const WCHAR *d = k32_dlldir ? k32_dlldir : empty;
    DWORD r = k32_return_w(d, k32_wlen(d), buf, size);
    thk_held_mutex_unlock(&k32_dlldir_lock);
    return r;
}
THK_EXPORT(kernel32, GetDllDirectoryW, 2);

DWORD WINAPI GetDllDirectoryA(DWORD size, char *buf)
{
    static const WCHAR empty[1] = {0};
    thk_held_mutex_lock(&k32_dlldir_lock);
    const WCHAR *d = k32_dlldir ? k32_dlldir : empty;
    DWORD r = k32_return_a(d, k32_wlen(d), buf, size);
    thk_held_mutex_unlock(&k32_dlldir_lock);
    return r;
}
THK_EXPORT(kernel32, GetDllDirectoryA, 2);

/* ---- AddDllDirectory & co ---- */
#define K32_SEARCH_DLL_LOAD_DIR 0x100u
#define K32_SEARCH_APPLICATION_DIR 0x200u
#define K32_SEARCH_USER_DIRS 0x400u
#define K32_SEARCH_SYSTEM32 0x800u
#define K32_SEARCH_DEFAULT_DIRS 0x1000u

typedef struct k32_user_dir {
    struct k32_user_dir *next;
    WCHAR *dir;
} k32_user_dir;

static k32_user_dir *k32_user_dirs; /* in the order added */
static uint32_t k32_default_dirs;   /* SetDefaultDllDirectories, 0 when never called */

static bool k32_path_absolute(const WCHAR *p)
{
    return p && ((((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
                  (p[2] == '\\' || p[2] == '/')) ||
                 (p[0] == '\\' && p[1] == '\\'));
}

static void *WINAPI k32_AddDllDirectory(const WCHAR *dir)
{
    if (!k32_path_absolute(dir)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    size_t n = k32_wlen(dir);
    k32_user_dir *d = malloc(sizeof *d);
    WCHAR *copy = malloc((n + 1) * sizeof *copy);
    if (!d || !copy) {
        free(d);
        free(copy);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    memcpy(copy, dir, (n + 1) * sizeof *copy);
    d->dir = copy;
    d->next = NULL;
    thk_held_mutex_lock(&k32_dlldir_lock);
    k32_user_dir **pp = &k32_user_dirs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = d;
    thk_held_mutex_unlock(&k32_dlldir_lock);
    return d; /* the DLL_DIRECTORY_COOKIE */
}
THK_EXPORT_AS(kernel32, AddDllDirectory, k32_AddDllDirectory, 1);

static BOOL WINAPI k32_RemoveDllDirectory(void *cookie)
{
    thk_held_mutex_lock(&k32_dlldir_lock);
    for (k32_user_dir **pp = &k32_user_dirs; *pp; pp = &(*pp)->next) {
        if (*pp == cookie) {
            k32_user_dir *d = *pp;
            *pp = d->next;
            thk_held_mutex_unlock(&k32_dlldir_lock);
            free(d->dir);
            free(d);
            return TRUE;
        }
    }
    thk_held_mutex_unlock(&k32_dlldir_lock);
    thk_set_last_error(ERROR_INVALID_PARAMETER);
    return FALSE;
}
THK_EXPORT_AS(kernel32, RemoveDllDirectory, k32_RemoveDllDirectory, 1);

static BOOL WINAPI k32_SetDefaultDllDirectories(DWORD flags)
{
    const uint32_t valid = K32_SEARCH_DLL_LOAD_DIR | K32_SEARCH_APPLICATION_DIR |
                           K32_SEARCH_USER_DIRS | K32_SEARCH_SYSTEM32 | K32_SEARCH_DEFAULT_DIRS;
    if (!flags || (flags & ~valid)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    thk_held_mutex_lock(&k32_dlldir_lock);
    k32_default_dirs = flags;
    thk_held_mutex_unlock(&k32_dlldir_lock);
    return TRUE;
}
THK_EXPORT_AS(kernel32, SetDefaultDllDirectories, k32_SetDefaultDllDirectories, 1);

/* A Windows directory as a Linux path (malloc'd), or NULL. */
static char *k32_dir_unix(const WCHAR *dir)
{
    char *a = nt_utf16_to_utf8(dir, k32_wlen(dir), NULL), *out = NULL;
    if (a && !NT_SUCCESS(nt_path_to_unix_a(a, &out)))
        out = NULL;
    free(a);
    return out;
}

void thk_dll_search_get(thk_dll_search *s)
{
    memset(s, 0, sizeof *s);
    thk_held_mutex_lock(&k32_dlldir_lock);
    s->default_flags = k32_default_dirs;
    if (k32_dlldir) {
        s->dll_dir_set = true;
        if (k32_dlldir[0])
            s->dll_dir = k32_dir_unix(k32_dlldir);
    }
    size_t n = 0;
    for (k32_user_dir *d = k32_user_dirs; d; d = d->next)
        n++;
    s->user = n ? calloc(n, sizeof *s->user) : NULL;
    if (s->user)
        for (k32_user_dir *d = k32_user_dirs; d; d = d->next)
            if ((s->user[s->nuser] = k32_dir_unix(d->dir)) != NULL)
                s->nuser++;
    thk_held_mutex_unlock(&k32_dlldir_lock);
}

void thk_dll_search_free(thk_dll_search *s)
{
    free(s->dll_dir);
    for (size_t i = 0; i < s->nuser; i++)
        free(s->user[i]);
    free(s->user);
    memset(s, 0, sizeof *s);
}

void k32_dlldir_reset(void)
{
    thk_held_mutex_lock(&k32_dlldir_lock);
    free(k32_dlldir);
    k32_dlldir = NULL;
    while (k32_user_dirs) {
        k32_user_dir *d = k32_user_dirs;
        k32_user_dirs = d->next;
        free(d->dir);
        free(d);
    }
    k32_default_dirs = 0;
    thk_held_mutex_unlock(&k32_dlldir_lock);
}
