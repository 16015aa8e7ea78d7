/* SPDX-License-Identifier: MIT */
/* kernel32 SearchPathA/W: find a file by name in a list of directories, or in the default
 * order of Windows' safe search mode: the program's directory, the system directory, the
 * Windows directory, the current directory, then PATH. A name with a directory part is only
 * checked where it points. `ext` (".exe") is appended when the name has no extension. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

DWORD WINAPI GetFileAttributesW(const WCHAR *path);
DWORD WINAPI GetModuleFileNameW(HMODULE mod, WCHAR *buf, DWORD size);
UINT WINAPI GetWindowsDirectoryW(WCHAR *buf, UINT size);
UINT WINAPI GetSystemDirectoryW(WCHAR *buf, UINT size);

#define K32_SP_MAX 32768

/* dir + '\' + name + ext when that file exists (not a directory): its full path in buf. */
static DWORD k32_sp_try(const WCHAR *dir, size_t dlen, const WCHAR *name, const WCHAR *ext,
                        DWORD size, WCHAR *buf, WCHAR **filepart)
{
    size_t nlen = nt_wcslen(name), elen = ext ? nt_wcslen(ext) : 0;
    WCHAR *p = malloc((dlen + nlen + elen + 2) * sizeof *p);
    if (!p)
        return 0;
    size_t k = 0;
    if (dlen) {
        memcpy(p, dir, dlen * sizeof *p);
        k = dlen;
        if (p[k - 1] != '\\' && p[k - 1] != '/')
            p[k++] = '\\';
    }
    memcpy(p + k, name, nlen * sizeof *p);
    k += nlen;
    if (elen) {
        memcpy(p + k, ext, elen * sizeof *p);
        k += elen;
    }
    p[k] = 0;
    DWORD attr = GetFileAttributesW(p), r = 0;
    if (attr != 0xffffffffu && !(attr & 0x10 /* FILE_ATTRIBUTE_DIRECTORY */))
        r = GetFullPathNameW(p, size, buf, filepart);
    free(p);
    return r;
}

/* Does the last component of name have an extension? */
static bool k32_sp_has_ext(const WCHAR *name)
{
    const WCHAR *dot = NULL;
    for (const WCHAR *p = name; *p; p++)
        if (*p == '.')
            dot = p;
        else if (*p == '\\' || *p == '/')
            dot = NULL;
    return dot != NULL;
}

DWORD WINAPI SearchPathW(const WCHAR *path, const WCHAR *name, const WCHAR *ext, DWORD size,
                         WCHAR *buf, WCHAR **filepart)
{
    if (!name || !name[0]) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (ext && k32_sp_has_ext(name))
        ext = NULL;
    DWORD r = 0;
    bool has_dir = false;
    for (const WCHAR *p = name; *p; p++)
        if (*p == '\\' || *p == '/' || *p == ':')
            has_dir = true;
    if (has_dir) {
        r = k32_sp_try(NULL, 0, name, ext, size, buf, filepart);
        goto out;
    }
    WCHAR *list = malloc(K32_SP_MAX * sizeof *list);
    if (!list) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    size_t n = 0;
    if (path) {
        size_t l = nt_wcslen(path);
        if (l >= K32_SP_MAX)
            l = K32_SP_MAX - 1;
        memcpy(list, path, l * sizeof *list);
        n = l;
    } else {
        WCHAR dir[MAX_PATH];
        DWORD l = GetModuleFileNameW(NULL, dir, MAX_PATH);
        while (l && dir[l - 1] != '\\' && dir[l - 1] != '/')
            l--;
        if (l > 1)
            l--; /* without the separator */
        memcpy(list + n, dir, l * sizeof *list);
        n += l;
        list[n++] = ';';
        n += GetSystemDirectoryW(list + n, MAX_PATH);
        list[n++] = ';';
        n += GetWindowsDirectoryW(list + n, MAX_PATH);
        list[n++] = ';';
        list[n++] = '.';
        list[n++] = ';';
        DWORD e = GetEnvironmentVariableW(u"PATH", list + n, (DWORD)(K32_SP_MAX - n - 1));
        if (e < K32_SP_MAX - n - 1)
            n += e;
    }
    list[n] = 0;
    for (WCHAR *d = list; *d && !r;) {
        WCHAR *end = d;
        while (*end && *end != ';')
            end++;
        if (end > d)
            r = k32_sp_try(d, (size_t)(end - d), name, ext, size, buf, filepart);
        d = *end ? end + 1 : end;
    }
    free(list);
out:
    if (!r)
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
    return r;
}
THK_EXPORT(kernel32, SearchPathW, 6);

DWORD WINAPI SearchPathA(const char *path, const char *name, const char *ext, DWORD size,
                         char *buf, char **filepart)
{
    WCHAR *wp, *wn, *we;
    WCHAR full[MAX_PATH * 4];
    DWORD r = 0;
    if (!k32_args_w(path, &wp, name, &wn, ext, &we))
        return 0;
    r = SearchPathW(wp, wn, we, MAX_PATH * 4, full, NULL);
    if (r && r < MAX_PATH * 4) {
        size_t alen;
        char *a = nt_utf16_to_utf8(full, r, &alen);
        if (!a) {
            r = 0;
            goto out;
        }
        if (alen + 1 > size) {
            r = (DWORD)alen + 1;
        } else {
            memcpy(buf, a, alen + 1);
            r = (DWORD)alen;
            if (filepart) {
                char *s = strrchr(buf, '\\');
                *filepart = s ? s + 1 : buf;
            }
        }
        free(a);
    }
out:
    free(wp);
    free(wn);
    free(we);
    return r;
}
THK_EXPORT(kernel32, SearchPathA, 6);
