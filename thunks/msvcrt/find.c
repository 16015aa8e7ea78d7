/* SPDX-License-Identifier: MIT */
/* msvcrt: directory search and path odds and ends that libstdc++-6.dll's std::filesystem
 * imports. _findfirst64/_wfindfirst64/_findnext64/_wfindnext64/_findclose on top of kernel32's
 * FindFirstFileW/FindNextFileW/FindClose (the search handle is msvcrt's intptr_t handle);
 * _fullpath/_wfullpath through GetFullPathNameW (buffer allocated with malloc when NULL);
 * _utime64/_wutime64 with utimensat on the Linux path (NULL times: now). Errors set errno the
 * way msvcrt does (ENOENT when nothing matches, ERANGE when the buffer is too small). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"

/* WIN32_FIND_DATAW, as kernel32 fills it. */
typedef struct {
    uint32_t attributes;       /* 0x00 */
    LARGE_INTEGER creation;    /* 0x04 (FILETIME, unaligned here) */
    LARGE_INTEGER access;      /* 0x0c */
    LARGE_INTEGER write;       /* 0x14 */
    uint32_t size_high;        /* 0x1c */
    uint32_t size_low;         /* 0x20 */
    uint32_t reserved[2];      /* 0x24 */
    WCHAR name[260];           /* 0x2c */
    WCHAR alt_name[14];        /* 0x234 */
} __attribute__((packed)) crt_wfd;
_Static_assert(offsetof(crt_wfd, write) == 0x14, "WIN32_FIND_DATAW.ftLastWriteTime");
_Static_assert(offsetof(crt_wfd, name) == 0x2c, "WIN32_FIND_DATAW.cFileName");
_Static_assert(sizeof(crt_wfd) == 0x250, "WIN32_FIND_DATAW");

/* struct __finddata64_t / _wfinddata64_t */
typedef struct {
    uint32_t attrib;           /* 0x00 */
    uint32_t pad;
    int64_t time_create;       /* 0x08 */
    int64_t time_access;       /* 0x10 */
    int64_t time_write;        /* 0x18 */
    int64_t size;              /* 0x20 */
    char name[260];            /* 0x28 */
} crt_finddata64;
_Static_assert(offsetof(crt_finddata64, name) == 0x28, "__finddata64_t.name");
_Static_assert(sizeof(crt_finddata64) == 0x130, "__finddata64_t");
typedef struct {
    uint32_t attrib;           /* 0x00 */
    uint32_t pad;
    int64_t time_create;       /* 0x08 */
    int64_t time_access;       /* 0x10 */
    int64_t time_write;        /* 0x18 */
    int64_t size;              /* 0x20 */
    WCHAR name[260];           /* 0x28 */
} crt_wfinddata64;
_Static_assert(sizeof(crt_wfinddata64) == 0x230, "_wfinddata64_t");

HANDLE WINAPI FindFirstFileW(const WCHAR *name, void *data);
BOOL WINAPI FindNextFileW(HANDLE h, void *data);
BOOL WINAPI FindClose(HANDLE h);
DWORD WINAPI GetFullPathNameW(const WCHAR *path, DWORD size, WCHAR *buf, WCHAR **file_part);

#define CRT_FIND_ATTRIBUTE_NORMAL 0x80

static int64_t crt_time_from_filetime(LARGE_INTEGER t)
{
    if (t.QuadPart == 0)
        return -1; /* msvcrt reports -1 for a time the file system does not keep */
    int64_t v = t.QuadPart - WIN_EPOCH_DIFF_100NS;
    return v >= 0 ? v / 10000000 : -((-v + 9999999) / 10000000);
}

/* errno for a failed search: nothing found is ENOENT. */
static void crt_find_errno(void)
{
    uint32_t e = thk_get_last_error();
    *crt_doserrno_ptr() = e;
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_NO_MORE_FILES:
    case ERROR_INVALID_NAME:
        crt_set_errno(CRT_ENOENT);
        break;
    case ERROR_NOT_ENOUGH_MEMORY:
        crt_set_errno(CRT_ENOMEM);
        break;
    default:
        crt_set_errno(CRT_EINVAL);
        break;
    }
}

static void crt_fill_w(crt_wfinddata64 *out, const crt_wfd *w)
{
    out->attrib = w->attributes == CRT_FIND_ATTRIBUTE_NORMAL ? 0 : w->attributes;
    out->pad = 0;
    out->time_create = crt_time_from_filetime(w->creation);
    out->time_access = crt_time_from_filetime(w->access);
    out->time_write = crt_time_from_filetime(w->write);
    out->size = ((int64_t)w->size_high << 32) | w->size_low;
    memcpy(out->name, w->name, sizeof out->name);
    out->name[259] = 0;
}

static bool crt_fill_a(crt_finddata64 *out, const crt_wfd *w)
{
    crt_wfinddata64 tmp;
    crt_fill_w(&tmp, w);
    size_t len = 0;
    char *a = nt_utf16_to_utf8(tmp.name, nt_wcslen(tmp.name), &len);
    if (!a || len >= sizeof out->name) {
        free(a);
        crt_set_errno(a ? CRT_ENOENT : CRT_ENOMEM);
        return false;
    }
    out->attrib = tmp.attrib;
    out->pad = 0;
    out->time_create = tmp.time_create;
    out->time_access = tmp.time_access;
    out->time_write = tmp.time_write;
    out->size = tmp.size;
    memcpy(out->name, a, len + 1);
    free(a);
    return true;
}

static intptr_t WINAPI msvcrt__wfindfirst64(const WCHAR *spec, crt_wfinddata64 *out)
{
    if (!spec || !out) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    crt_wfd w;
    HANDLE h = FindFirstFileW(spec, &w);
    if (h == INVALID_HANDLE_VALUE) {
        crt_find_errno();
        return -1;
    }
    crt_fill_w(out, &w);
    return (intptr_t)h;
}
THK_EXPORT_AS(msvcrt, _wfindfirst64, msvcrt__wfindfirst64, 2);

static int WINAPI msvcrt__wfindnext64(intptr_t handle, crt_wfinddata64 *out)
{
    crt_wfd w;
    if (!out) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (!FindNextFileW((HANDLE)handle, &w)) {
        crt_find_errno();
        return -1;
    }
    crt_fill_w(out, &w);
    return 0;
}
THK_EXPORT_AS(msvcrt, _wfindnext64, msvcrt__wfindnext64, 2);

static intptr_t WINAPI msvcrt__findfirst64(const char *spec, crt_finddata64 *out)
{
    if (!spec || !out) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    WCHAR *w = nt_utf8_to_utf16(spec, strlen(spec), NULL);
    if (!w) {
        crt_set_errno(CRT_ENOMEM);
        return -1;
    }
    crt_wfd d;
    HANDLE h = FindFirstFileW(w, &d);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        crt_find_errno();
        return -1;
    }
    if (!crt_fill_a(out, &d)) {
        FindClose(h);
        return -1;
    }
    return (intptr_t)h;
}
THK_EXPORT_AS(msvcrt, _findfirst64, msvcrt__findfirst64, 2);

static int WINAPI msvcrt__findnext64(intptr_t handle, crt_finddata64 *out)
{
    crt_wfd d;
    if (!out) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (!FindNextFileW((HANDLE)handle, &d)) {
        crt_find_errno();
        return -1;
    }
    return crt_fill_a(out, &d) ? 0 : -1;
}
THK_EXPORT_AS(msvcrt, _findnext64, msvcrt__findnext64, 2);

static int WINAPI msvcrt__findclose(intptr_t handle)
{
    if (!FindClose((HANDLE)handle)) {
        crt_find_errno();
        return -1;
    }
    return 0;
}
THK_EXPORT_AS(msvcrt, _findclose, msvcrt__findclose, 1);

static WCHAR *WINAPI msvcrt__wfullpath(WCHAR *buf, const WCHAR *path, size_t max)
{
    const WCHAR *p = path && *path ? path : u".";
    DWORD need = GetFullPathNameW(p, 0, NULL, NULL);
    if (!need) {
        crt_find_errno();
        return NULL;
    }
    WCHAR *tmp = malloc(need * sizeof *tmp);
    if (!tmp) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    DWORD len = GetFullPathNameW(p, need, tmp, NULL);
    if (!len || len >= need) {
        free(tmp);
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    if (!buf) {
        buf = crt_malloc((len + 1) * sizeof *buf);
        if (!buf) {
            free(tmp);
            return NULL;
        }
    } else if (len + 1 > max) {
        free(tmp);
        crt_set_errno(CRT_ERANGE);
        return NULL;
    }
    memcpy(buf, tmp, (len + 1) * sizeof *buf);
    free(tmp);
    return buf;
}
THK_EXPORT_AS(msvcrt, _wfullpath, msvcrt__wfullpath, 3);

static char *WINAPI msvcrt__fullpath(char *buf, const char *path, size_t max)
{
    WCHAR *w = NULL;
    if (path && *path && !(w = nt_utf8_to_utf16(path, strlen(path), NULL))) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    WCHAR *full = msvcrt__wfullpath(NULL, w, 0);
    free(w);
    if (!full)
        return NULL;
    size_t len = 0;
    char *a = nt_utf16_to_utf8(full, nt_wcslen(full), &len);
    crt_free(full);
    if (!a) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    if (!buf) {
        buf = crt_malloc(len + 1);
        if (!buf) {
            free(a);
            return NULL;
        }
    } else if (len + 1 > max) {
        free(a);
        crt_set_errno(CRT_ERANGE);
        return NULL;
    }
    memcpy(buf, a, len + 1);
    free(a);
    return buf;
}
THK_EXPORT_AS(msvcrt, _fullpath, msvcrt__fullpath, 3);

/* struct __utimbuf64 */
typedef struct {
    int64_t actime;
    int64_t modtime;
} crt_utimbuf64;

static int crt_utime_unix(const char *unix_path, const crt_utimbuf64 *t)
{
    struct timespec ts[2];
    if (t) {
        ts[0].tv_sec = t->actime;
        ts[0].tv_nsec = 0;
        ts[1].tv_sec = t->modtime;
        ts[1].tv_nsec = 0;
    }
    if (utimensat(AT_FDCWD, unix_path, t ? ts : NULL, 0) != 0) {
        crt_set_errno(crt_errno_from_unix(errno));
        return -1;
    }
    return 0;
}

static int WINAPI msvcrt__wutime64(const WCHAR *path, const crt_utimbuf64 *t)
{
    char *unix_path = NULL;
    if (!path) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    NTSTATUS st = nt_path_to_unix(path, nt_wcslen(path), &unix_path);
    if (!NT_SUCCESS(st)) {
        crt_set_errno(crt_errno_from_status(st));
        return -1;
    }
    int r = crt_utime_unix(unix_path, t);
    free(unix_path);
    return r;
}
THK_EXPORT_AS(msvcrt, _wutime64, msvcrt__wutime64, 2);

static int WINAPI msvcrt__utime64(const char *path, const crt_utimbuf64 *t)
{
    char *unix_path = NULL;
    if (!path) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    NTSTATUS st = nt_path_to_unix_a(path, &unix_path);
    if (!NT_SUCCESS(st)) {
        crt_set_errno(crt_errno_from_status(st));
        return -1;
    }
    int r = crt_utime_unix(unix_path, t);
    free(unix_path);
    return r;
}
THK_EXPORT_AS(msvcrt, _utime64, msvcrt__utime64, 2);
