/* SPDX-License-Identifier: MIT */
/* SHFileOperationW/A for console programs (cmd.exe's rmdir /s): no user interface, so every
 * operation runs as with FOF_NOCONFIRMATION | FOF_SILENT | FOF_NOERRORUI whatever fFlags say,
 * and FOF_ALLOWUNDO deletes for good (there is no recycle bin).
 *  - FO_DELETE: each name of pFrom (a list ended by an empty name; a wildcard in the last part
 *    matches files and folders), a folder with everything under it; read-only files too.
 *  - FO_RENAME: pFrom's one name to pTo's (in the same folder or not: MoveFileW).
 *  - FO_COPY / FO_MOVE: each name of pFrom (wildcards as above) into the folder pTo names, or,
 *    with one source that is a file or FOF_MULTIDESTFILES, to pTo's names themselves; folders
 *    whole. An existing target file is replaced.
 * Returns 0, or the first failure's Win32 error (a name that matches nothing: ERROR_FILE_NOT_
 * FOUND; Vista and later give Win32 codes where older Windows gave its DE_* ones); the
 * operation stops at the first failure, fAnyOperationsAborted stays FALSE. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/shell32/shell32_private.h"

#define FO_MOVE 1
#define FO_COPY 2
#define FO_DELETE 3
#define FO_RENAME 4
#define FOF_MULTIDESTFILES 0x0001
#define SH_ATTR_DIR 0x10u
#define SH_ATTR_READONLY 0x01u

typedef struct {
    HANDLE hwnd;                   /* 0x00 */
    UINT wFunc;                    /* 0x08 */
    const WCHAR *pFrom;            /* 0x10 */
    const WCHAR *pTo;              /* 0x18 */
    uint16_t fFlags;               /* 0x20 */
    BOOL fAnyOperationsAborted;    /* 0x24 */
    void *hNameMappings;           /* 0x28 */
    const WCHAR *lpszProgressTitle; /* 0x30 */
} sh_fileop_w;
_Static_assert(sizeof(sh_fileop_w) == 0x38, "SHFILEOPSTRUCTW");

typedef struct {
    uint32_t dwFileAttributes;
    uint8_t times[24];
    uint32_t nFileSizeHigh, nFileSizeLow, dwReserved0, dwReserved1;
    WCHAR cFileName[260];
    WCHAR cAlternateFileName[14];
    uint32_t dwFileType, dwCreatorType;
    uint16_t wFinderFlags;
} sh_find_data;

DWORD WINAPI GetFileAttributesW(const WCHAR *name);
BOOL WINAPI SetFileAttributesW(const WCHAR *name, DWORD attrs);
BOOL WINAPI DeleteFileW(const WCHAR *name);
BOOL WINAPI RemoveDirectoryW(const WCHAR *name);
BOOL WINAPI CreateDirectoryW(const WCHAR *name, void *sa);
BOOL WINAPI CopyFileW(const WCHAR *from, const WCHAR *to, BOOL fail_if_exists);
BOOL WINAPI MoveFileExW(const WCHAR *from, const WCHAR *to, DWORD flags);
HANDLE WINAPI FindFirstFileW(const WCHAR *pattern, sh_find_data *fd);
BOOL WINAPI FindNextFileW(HANDLE h, sh_find_data *fd);
BOOL WINAPI FindClose(HANDLE h);
DWORD WINAPI GetLastError(void);

/* dir + "\" + name, malloc'd. */
static WCHAR *sh_join(const WCHAR *dir, size_t dlen, const WCHAR *name)
{
    size_t n = nt_wcslen(name);
    bool sep = dlen && dir[dlen - 1] != u'\\' && dir[dlen - 1] != u'/';
    WCHAR *r = malloc((dlen + sep + n + 1) * sizeof *r);
    if (!r)
        return NULL;
    memcpy(r, dir, dlen * sizeof *r);
    if (sep)
        r[dlen] = u'\\';
    memcpy(r + dlen + sep, name, (n + 1) * sizeof *r);
    return r;
}

static bool sh_dots(const WCHAR *n)
{
    return n[0] == u'.' && (!n[1] || (n[1] == u'.' && !n[2]));
}

static size_t sh_dir_len(const WCHAR *path)
{
    size_t n = nt_wcslen(path), d = 0;
    for (size_t i = 0; i < n; i++)
        if (path[i] == u'\\' || path[i] == u'/')
            d = i + 1;
    return d;
}

/* Each name a pattern matches but "." and "..", as a path in the pattern's folder: fn(path, ctx)
 * until one fails. No match at all: `none`. */
static DWORD sh_each_match(const WCHAR *pattern, DWORD (*fn)(const WCHAR *path, void *ctx), void *ctx,
                           DWORD none)
{
    size_t dlen = sh_dir_len(pattern);
    sh_find_data fd;
    HANDLE h = FindFirstFileW(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return none;
    DWORD err = 0;
    do {
        if (sh_dots(fd.cFileName))
            continue;
        WCHAR *path = sh_join(pattern, dlen, fd.cFileName);
        err = path ? fn(path, ctx) : ERROR_NOT_ENOUGH_MEMORY;
        free(path);
    } while (!err && FindNextFileW(h, &fd));
    FindClose(h);
    return err;
}

/* fn over everything in a folder. */
static DWORD sh_each_child(const WCHAR *dir, DWORD (*fn)(const WCHAR *path, void *ctx), void *ctx)
{
    WCHAR *pat = sh_join(dir, nt_wcslen(dir), u"*");
    if (!pat)
        return ERROR_NOT_ENOUGH_MEMORY;
    DWORD err = sh_each_match(pat, fn, ctx, 0);
    free(pat);
    return err;
}

typedef struct {
    UINT func;
    const WCHAR *to; /* the target folder, or the target name itself (to_is_name) */
    bool to_is_name;
} sh_op_ctx;

static DWORD sh_op_delete(const WCHAR *path, void *ctx);
static DWORD sh_op_transfer(const WCHAR *path, void *ctx);

/* Everything in a folder, then the folder. */
static DWORD sh_delete_tree(const WCHAR *dir)
{
    DWORD err = sh_each_child(dir, sh_op_delete, NULL);
    if (!err && !RemoveDirectoryW(dir))
        err = GetLastError();
    return err;
}

DWORD sh_delete(const WCHAR *path)
{
    DWORD a = GetFileAttributesW(path);
    if (a == 0xffffffffu)
        return GetLastError();
    if (a & SH_ATTR_READONLY)
        SetFileAttributesW(path, a & ~SH_ATTR_READONLY);
    if (a & SH_ATTR_DIR)
        return sh_delete_tree(path);
    return DeleteFileW(path) ? 0 : GetLastError();
}

/* The folder made, then everything in it copied into it. */
static DWORD sh_copy_tree(const WCHAR *from, const WCHAR *to)
{
    if (!CreateDirectoryW(to, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
        return GetLastError();
    sh_op_ctx c = {FO_COPY, to, false};
    return sh_each_child(from, sh_op_transfer, &c);
}

static DWORD sh_copy(const WCHAR *from, const WCHAR *to)
{
    DWORD a = GetFileAttributesW(from);
    if (a == 0xffffffffu)
        return GetLastError();
    if (a & SH_ATTR_DIR)
        return sh_copy_tree(from, to);
    return CopyFileW(from, to, FALSE) ? 0 : GetLastError();
}

static DWORD sh_move(const WCHAR *from, const WCHAR *to)
{
    if (MoveFileExW(from, to, 1 | 2 /* REPLACE_EXISTING | COPY_ALLOWED */))
        return 0;
    DWORD a = GetFileAttributesW(from); /* a folder to another volume: copied, then deleted */
    if (a == 0xffffffffu || !(a & SH_ATTR_DIR))
        return GetLastError();
    DWORD err = sh_copy_tree(from, to);
    return err ? err : sh_delete_tree(from);
}

/* The names a source stands for (a wildcard in its last part: each match); calls fn(path, ctx)
 * for each until one fails. No match: ERROR_FILE_NOT_FOUND. */
static DWORD sh_each_source(const WCHAR *src, DWORD (*fn)(const WCHAR *path, void *ctx),
                            void *ctx)
{
    bool wild = false;
    for (const WCHAR *p = src + sh_dir_len(src); *p; p++)
        wild |= *p == u'*' || *p == u'?';
    if (!wild)
        return GetFileAttributesW(src) == 0xffffffffu ? ERROR_FILE_NOT_FOUND : fn(src, ctx);
    return sh_each_match(src, fn, ctx, ERROR_FILE_NOT_FOUND);
}

static DWORD sh_op_delete(const WCHAR *path, void *ctx)
{
    (void)ctx;
    return sh_delete(path);
}

static DWORD sh_op_transfer(const WCHAR *path, void *ctx)
{
    sh_op_ctx *c = ctx;
    WCHAR *target = c->to_is_name ? NULL : sh_join(c->to, nt_wcslen(c->to), path + sh_dir_len(path));
    if (!c->to_is_name && !target)
        return ERROR_NOT_ENOUGH_MEMORY;
    const WCHAR *t = target ? target : c->to;
    DWORD err = c->func == FO_COPY ? sh_copy(path, t) : sh_move(path, t);
    free(target);
    return err;
}

/* The names of a list ended by an empty one, copied out of the caller's memory. */
static WCHAR *sh_list_dup(const WCHAR *list)
{
    if (!list)
        return NULL;
    size_t n = 0;
    WCHAR c;
    for (;;) {
        if (rt_safe_copy(&c, list + n, sizeof c) != 0)
            return NULL;
        n++;
        if (!c) {
            if (rt_safe_copy(&c, list + n, sizeof c) != 0)
                return NULL;
            if (!c)
                break;
        }
    }
    WCHAR *r = malloc((n + 1) * sizeof *r);
    if (r)
        memcpy(r, list, (n + 1) * sizeof *r);
    return r;
}

int WINAPI SHFileOperationW(sh_fileop_w *op)
{
    sh_fileop_w o;
    if (!op || rt_safe_copy(&o, op, sizeof o) != 0)
        return ERROR_INVALID_PARAMETER;
    WCHAR *from = sh_list_dup(o.pFrom), *to = sh_list_dup(o.pTo);
    DWORD err = 0;
    if (!from || !*from || (o.wFunc != FO_DELETE && (!to || !*to)) || o.wFunc < FO_MOVE ||
        o.wFunc > FO_RENAME) {
        err = ERROR_INVALID_PARAMETER;
        goto out;
    }
    if (o.wFunc == FO_RENAME) {
        if (!MoveFileExW(from, to, 0))
            err = GetLastError();
        goto out;
    }
    size_t nsrc = 0;
    for (const WCHAR *s = from; *s; s += nt_wcslen(s) + 1)
        nsrc++;
    const WCHAR *t = to;
    for (const WCHAR *s = from; *s && !err; s += nt_wcslen(s) + 1) {
        if (o.wFunc == FO_DELETE) {
            err = sh_each_source(s, sh_op_delete, NULL);
            continue;
        }
        /* into the folder pTo names, or to pTo's name(s) themselves */
        DWORD ta = GetFileAttributesW(t);
        sh_op_ctx c = {o.wFunc, t, false};
        if (o.fFlags & FOF_MULTIDESTFILES)
            c.to_is_name = true;
        else if (ta == 0xffffffffu || !(ta & SH_ATTR_DIR)) {
            DWORD sa = GetFileAttributesW(s);
            c.to_is_name = nsrc == 1 && sa != 0xffffffffu; /* one named source: its new name */
            if (!c.to_is_name && ta == 0xffffffffu && !CreateDirectoryW(t, NULL))
                err = GetLastError();
        }
        if (!err)
            err = sh_each_source(s, sh_op_transfer, &c);
        if ((o.fFlags & FOF_MULTIDESTFILES) && *t)
            t += nt_wcslen(t) + 1;
    }
out:
    free(from);
    free(to);
    return (int)err;
}
THK_EXPORT(shell32, SHFileOperationW, 1);

/* SHFILEOPSTRUCTA: the same layout with ANSI lists (ended by an empty name). */
static WCHAR *sh_list_a_to_w(const char *list)
{
    if (!list)
        return NULL;
    size_t n = 0;
    while (list[n] || list[n + 1])
        n++;
    n += 2; /* both terminators */
    char *copy = malloc(n);
    if (!copy)
        return NULL;
    memcpy(copy, list, n);
    size_t cap = n, len = 0;
    WCHAR *w = malloc(cap * sizeof *w * 2);
    for (size_t off = 0; w && copy[off]; off += strlen(copy + off) + 1) {
        bool ok;
        WCHAR *one = k32_a_to_w(copy + off, &ok);
        if (!one) {
            free(w);
            w = NULL;
            break;
        }
        size_t l = nt_wcslen(one);
        memcpy(w + len, one, (l + 1) * sizeof *w);
        len += l + 1;
        free(one);
    }
    if (w)
        w[len] = 0;
    free(copy);
    return w;
}

int WINAPI SHFileOperationA(sh_fileop_w *op)
{
    sh_fileop_w o;
    if (!op || rt_safe_copy(&o, op, sizeof o) != 0)
        return ERROR_INVALID_PARAMETER;
    WCHAR *from = sh_list_a_to_w((const char *)o.pFrom), *to = sh_list_a_to_w((const char *)o.pTo);
    o.pFrom = from;
    o.pTo = to;
    int r = (o.pFrom || !op->pFrom) && (o.pTo || !op->pTo) ? SHFileOperationW(&o)
                                                             : ERROR_NOT_ENOUGH_MEMORY;
    free(from);
    free(to);
    return r;
}
THK_EXPORT(shell32, SHFileOperationA, 1);
