/* SPDX-License-Identifier: MIT */
/* kernel32: hard links and volumes, the calls libstdc++-6.dll's std::filesystem imports.
 * CreateHardLinkW/A: link(2) between the Linux paths of the two Windows paths.
 * FindFirstVolumeW/FindNextVolumeW/FindVolumeClose: one volume, the C: drive, named
 * "\\?\Volume{...}\" with a GUID made from the drive directory's filesystem id.
 * GetVolumeInformationW/A: for a root path ("C:\", "Z:\", a volume name): an empty label, the
 * filesystem id as serial number, 255 as the longest component, NTFS's usual flags and "NTFS"
 * as the filesystem name (what Windows programs expect of a local disk).
 * GetVolumePathNameW/A: the mount point of the volume a path (existing or not) is on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_FILE_CASE_SENSITIVE_SEARCH 0x00000001
#define K32_FILE_CASE_PRESERVED_NAMES 0x00000002
#define K32_FILE_UNICODE_ON_DISK 0x00000004
#define K32_FILE_PERSISTENT_ACLS 0x00000008
#define K32_FILE_SUPPORTS_HARD_LINKS 0x00400000
#define K32_VOLUME_FLAGS (K32_FILE_CASE_SENSITIVE_SEARCH | K32_FILE_CASE_PRESERVED_NAMES | \
                          K32_FILE_UNICODE_ON_DISK | K32_FILE_PERSISTENT_ACLS |             \
                          K32_FILE_SUPPORTS_HARD_LINKS)
#define K32_VOLUME_FIND_MAGIC 0x766f6c66u /* "volf" */
#define K32_ERROR_BAD_LENGTH 24

/* The Linux path of a Windows path (the last component may not exist). NULL, error set. */
static char *k32_unix_of(const WCHAR *path)
{
    char *out = NULL;
    if (!path) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    NTSTATUS st = nt_path_to_unix(path, nt_wcslen(path), &out);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return NULL;
    }
    return out;
}

BOOL WINAPI CreateHardLinkW(const WCHAR *new_name, const WCHAR *existing, void *sa)
{
    char *to = k32_unix_of(new_name);
    if (!to)
        return FALSE;
    char *from = k32_unix_of(existing);
    if (!from) {
        free(to);
        return FALSE;
    }
    BOOL ok = link(from, to) == 0;
    if (!ok)
        thk_set_last_status(errno == EEXIST ? (NTSTATUS)STATUS_OBJECT_NAME_COLLISION
                                            : nt_status_from_errno(errno));
    free(from);
    free(to);
    return ok;
}
THK_EXPORT(kernel32, CreateHardLinkW, 3);

BOOL WINAPI CreateHardLinkA(const char *new_name, const char *existing, void *sa)
{
    bool ok1 = true, ok2 = true;
    WCHAR *n = new_name ? k32_a_to_w(new_name, &ok1) : NULL;
    WCHAR *e = existing ? k32_a_to_w(existing, &ok2) : NULL;
    BOOL r = FALSE;
    if (n && e && ok1 && ok2)
        r = CreateHardLinkW(n, e, sa);
    else
        thk_set_last_error(ERROR_INVALID_PARAMETER);
    free(n);
    free(e);
    return r;
}
THK_EXPORT(kernel32, CreateHardLinkA, 3);

/* "\\?\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}\" of the C: drive; serial in *serial. */
static void k32_volume_name(WCHAR out[64], uint32_t *serial)
{
    const char *c = nt_path_get_drive('C');
    struct statvfs sv;
    uint64_t id = c && statvfs(c, &sv) == 0 ? (uint64_t)sv.f_fsid : 0x6e7472756eull;
    if (serial)
        *serial = (uint32_t)(id ^ (id >> 32));
    char buf[64];
    snprintf(buf, sizeof buf, "\\\\?\\Volume{%08x-%04x-%04x-%04x-%012llx}\\",
             (uint32_t)id, (unsigned)(id >> 32) & 0xffff, (unsigned)(id >> 48), 0x6e74u,
             (unsigned long long)(id & 0xffffffffffffull));
    size_t i = 0;
    for (; buf[i] && i < 63; i++)
        out[i] = (WCHAR)(unsigned char)buf[i];
    out[i] = 0;
}

typedef struct k32_volume_find {
    uint32_t magic;
    int next; /* index of the next volume to return */
} k32_volume_find;

static BOOL k32_volume_put(WCHAR *buf, DWORD len)
{
    WCHAR name[64];
    k32_volume_name(name, NULL);
    size_t n = nt_wcslen(name);
    if (!buf || len < n + 1) {
        thk_set_last_error(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    memcpy(buf, name, (n + 1) * sizeof *buf);
    return TRUE;
}

HANDLE WINAPI FindFirstVolumeW(WCHAR *buf, DWORD len)
{
    if (!k32_volume_put(buf, len))
        return INVALID_HANDLE_VALUE;
    k32_volume_find *f = malloc(sizeof *f);
    if (!f) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    f->magic = K32_VOLUME_FIND_MAGIC;
    f->next = 1;
    return (HANDLE)f;
}
THK_EXPORT(kernel32, FindFirstVolumeW, 2);

/* A search handle from FindFirstVolumeW, checked fault-safely; NULL if it is not one. */
static k32_volume_find *k32_volume_handle(HANDLE h)
{
    uint32_t magic = 0;
    if (!h || h == INVALID_HANDLE_VALUE || rt_safe_copy(&magic, h, sizeof magic) != 0 ||
        magic != K32_VOLUME_FIND_MAGIC) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return h;
}

BOOL WINAPI FindNextVolumeW(HANDLE h, WCHAR *buf, DWORD len)
{
    k32_volume_find *f = k32_volume_handle(h);
    if (!f)
        return FALSE;
    thk_set_last_error(ERROR_NO_MORE_FILES); /* one volume only */
    return FALSE;
}
THK_EXPORT(kernel32, FindNextVolumeW, 3);

BOOL WINAPI FindVolumeClose(HANDLE h)
{
    k32_volume_find *f = k32_volume_handle(h);
    if (!f)
        return FALSE;
    f->magic = 0;
    free(f);
    return TRUE;
}
THK_EXPORT(kernel32, FindVolumeClose, 1);

/* Copies `s` (ASCII) into an optional output buffer of `size` WCHARs. */
static bool k32_put_ascii_w(WCHAR *buf, DWORD size, const char *s)
{
    if (!buf)
        return true;
    size_t n = strlen(s);
    if (size < n + 1)
        return false;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (WCHAR)(unsigned char)s[i];
    return true;
}

static BOOL k32_volume_info(const struct statvfs *sv, uint32_t ser, WCHAR *name,
                            DWORD name_size, DWORD *serial, DWORD *max_component, DWORD *flags,
                            WCHAR *fs_name, DWORD fs_name_size);

BOOL WINAPI GetVolumeInformationW(const WCHAR *root, WCHAR *name, DWORD name_size,
                                  DWORD *serial, DWORD *max_component, DWORD *flags,
                                  WCHAR *fs_name, DWORD fs_name_size)
{
    const char *dir = NULL;
    char *owned = NULL;
    uint32_t ser = 0;
    if (!root) {
        owned = k32_unix_of(u".\\");
        dir = owned;
    } else if (root[0] == u'\\' && root[1] == u'\\' && root[2] == u'?' && root[3] == u'\\' &&
               (root[4] == u'V' || root[4] == u'v')) {
        WCHAR mine[64];
        k32_volume_name(mine, &ser);
        if (k32_wcsnicmp(root, mine, nt_wcslen(mine) + 1) != 0) {
            thk_set_last_error(ERROR_INVALID_NAME);
            return FALSE;
        }
        dir = nt_path_get_drive('C');
    } else {
        size_t n = nt_wcslen(root);
        if (n == 0 || (root[n - 1] != u'\\' && root[n - 1] != u'/')) {
            thk_set_last_error(ERROR_INVALID_NAME); /* a root must end with a backslash */
            return FALSE;
        }
        owned = k32_unix_of(root);
        dir = owned;
    }
    struct statvfs sv;
    if (!dir || statvfs(dir, &sv) != 0) {
        if (dir)
            thk_set_last_status(nt_status_from_errno(errno));
        free(owned);
        return FALSE;
    }
    free(owned);
    return k32_volume_info(&sv, ser, name, name_size, serial, max_component, flags, fs_name,
                           fs_name_size);
}
THK_EXPORT(kernel32, GetVolumeInformationW, 8);

/* The same for the volume that holds an open file (Go's os.SameFile and file walks). */
BOOL WINAPI GetVolumeInformationByHandleW(HANDLE h, WCHAR *name, DWORD name_size,
                                          DWORD *serial, DWORD *max_component, DWORD *flags,
                                          WCHAR *fs_name, DWORD fs_name_size)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    struct statvfs sv;
    int r = fstatvfs(f->fd, &sv);
    int e = errno;
    nt_object_release(&f->hdr);
    if (r != 0) {
        thk_set_last_status(nt_status_from_errno(e));
        return FALSE;
    }
    return k32_volume_info(&sv, 0, name, name_size, serial, max_component, flags, fs_name,
                           fs_name_size);
}
THK_EXPORT(kernel32, GetVolumeInformationByHandleW, 8);

/* GetVolumeInformation*'s outputs for the filesystem `sv` (ser: 0 = from its id). */
static BOOL k32_volume_info(const struct statvfs *svp, uint32_t ser, WCHAR *name,
                            DWORD name_size, DWORD *serial, DWORD *max_component, DWORD *flags,
                            WCHAR *fs_name, DWORD fs_name_size)
{
    struct statvfs sv = *svp;
    if (!ser) {
        uint64_t id = (uint64_t)sv.f_fsid;
        ser = (uint32_t)(id ^ (id >> 32));
    }
    if (!k32_put_ascii_w(name, name_size, "") || !k32_put_ascii_w(fs_name, fs_name_size, "NTFS")) {
        thk_set_last_error(K32_ERROR_BAD_LENGTH);
        return FALSE;
    }
    if (serial)
        *serial = ser;
    if (max_component)
        *max_component = sv.f_namemax ? (DWORD)sv.f_namemax : 255;
    if (flags)
        *flags = K32_VOLUME_FLAGS;
    return TRUE;
}

BOOL WINAPI GetVolumeInformationA(const char *root, char *name, DWORD name_size, DWORD *serial,
                                  DWORD *max_component, DWORD *flags, char *fs_name,
                                  DWORD fs_name_size)
{
    bool ok = true;
    WCHAR *wroot = root ? k32_a_to_w(root, &ok) : NULL;
    if (root && (!wroot || !ok)) {
        free(wroot);
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    WCHAR wname[MAX_PATH + 1], wfs[MAX_PATH + 1];
    BOOL r = GetVolumeInformationW(wroot, name ? wname : NULL, MAX_PATH + 1, serial,
                                   max_component, flags, fs_name ? wfs : NULL, MAX_PATH + 1);
    free(wroot);
    if (!r)
        return FALSE;
    if ((name && nt_wcslen(wname) + 1 > name_size) || (fs_name && nt_wcslen(wfs) + 1 > fs_name_size)) {
        thk_set_last_error(K32_ERROR_BAD_LENGTH);
        return FALSE;
    }
    for (size_t i = 0; name && i <= nt_wcslen(wname); i++)
        name[i] = (char)wname[i];
    for (size_t i = 0; fs_name && i <= nt_wcslen(wfs); i++)
        fs_name[i] = (char)wfs[i];
    return TRUE;
}
THK_EXPORT(kernel32, GetVolumeInformationA, 8);

/* ======================================================================================== */
/* GetVolumePathName                                                                        */
/* ======================================================================================== */

/* Puts the mount point src[0..len) (it ends with a backslash) into buf of `size` WCHARs, the
 * drive letter at `letter` (-1: none) upper-cased. As on Windows, a buffer one WCHAR short gets
 * it without its backslash ("C:"), a shorter one ERROR_FILENAME_EXCED_RANGE. */
static BOOL k32_put_mount_point(WCHAR *buf, DWORD size, const WCHAR *src, size_t len,
                                ptrdiff_t letter)
{
    if ((size_t)size < len) {
        thk_set_last_error(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    if ((size_t)size == len)
        len--;
    memmove(buf, src, len * sizeof *buf);
    if (letter >= 0)
        buf[letter] = k32_towupper(buf[letter]);
    buf[len] = 0;
    return TRUE;
}

static bool k32_is_drive_spec(const WCHAR *p)
{
    WCHAR l = k32_towupper(p[0]);
    return l >= u'A' && l <= u'Z' && p[1] == u':';
}

/* Each drive is one volume here (ntrun has no folder mount points), so the mount point of a
 * path, existing or not, is the root of its drive: "C:\" for C:\dir\file, C:/dir or a path
 * relative to the current directory on C:, "\\?\c:\" (as written) for \\?\c:\dir, the current
 * drive's for a \??\ or device path, the volume's own name for \\?\Volume{...}\dir.
 * ERROR_INVALID_PARAMETER for a NULL or empty name, a NULL buffer or a zero size;
 * ERROR_FILE_NOT_FOUND for a drive letter that is not mapped; ERROR_INVALID_NAME for another
 * volume name, a \\?\ name that is not a drive, and a UNC path (no server answers here, and
 * Windows says so for a server that does not). */
BOOL WINAPI GetVolumePathNameW(const WCHAR *name, WCHAR *buf, DWORD size)
{
    if (!name || !name[0] || !buf || !size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (name[0] == u'\\' && name[1] == u'\\' && name[2] == u'?' && name[3] == u'\\') {
        const WCHAR *p = name + 4;
        if (k32_is_drive_spec(p) && (p[2] == u'\\' || p[2] == 0)) {
            if (!nt_path_get_drive((char)k32_towupper(p[0]))) {
                thk_set_last_error(ERROR_FILE_NOT_FOUND);
                return FALSE;
            }
            WCHAR root[7] = {u'\\', u'\\', u'?', u'\\', p[0], u':', u'\\'};
            return k32_put_mount_point(buf, size, root, 7, -1);
        }
        WCHAR mine[64];
        k32_volume_name(mine, NULL);
        size_t n = nt_wcslen(mine);
        if (k32_wcsnicmp(name, mine, n) != 0) {
            thk_set_last_error(ERROR_INVALID_NAME);
            return FALSE;
        }
        return k32_put_mount_point(buf, size, mine, n, -1);
    }
    WCHAR *full = k32_full_path(name, NULL);
    if (!full)
        return FALSE;
    BOOL ok = FALSE;
    if (k32_is_drive_spec(full)) {
        WCHAR root[3] = {full[0], u':', u'\\'};
        if (nt_path_get_drive((char)k32_towupper(full[0])))
            ok = k32_put_mount_point(buf, size, root, 3, 0);
        else
            thk_set_last_error(ERROR_FILE_NOT_FOUND);
    } else if (full[0] && full[1] == u':') {
        thk_set_last_error(ERROR_FILE_NOT_FOUND); /* "?:dir": no such drive */
    } else if (full[0] == u'\\' && full[1] == u'\\' && full[2] != u'.' && full[2] != u'?') {
        thk_set_last_error(ERROR_INVALID_NAME); /* UNC */
    } else {
        /* a device (\\.\NUL, \\.\COM1): the volume of the current directory, as on Windows */
        WCHAR *cwd = k32_current_dir();
        if (cwd && k32_is_drive_spec(cwd)) {
            WCHAR root[3] = {cwd[0], u':', u'\\'};
            ok = k32_put_mount_point(buf, size, root, 3, 0);
        } else if (cwd) {
            thk_set_last_error(ERROR_INVALID_NAME);
        }
        free(cwd);
    }
    free(full);
    return ok;
}
THK_EXPORT(kernel32, GetVolumePathNameW, 3);

BOOL WINAPI GetVolumePathNameA(const char *name, char *buf, DWORD size)
{
    if (!name || !name[0] || !buf || !size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    WCHAR *wname;
    if (!k32_arg_w(name, &wname))
        return FALSE;
    /* mount points are ASCII: as many WCHARs as the caller has bytes */
    WCHAR wbuf[MAX_PATH + 64];
    BOOL r = GetVolumePathNameW(wname, wbuf, size < MAX_PATH + 64 ? size : MAX_PATH + 64);
    free(wname);
    if (!r)
        return FALSE;
    char *a = k32_w_to_a(wbuf, nt_wcslen(wbuf));
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    size_t n = strlen(a);
    r = n + 1 <= size;
    if (r)
        memcpy(buf, a, n + 1);
    else
        thk_set_last_error(ERROR_FILENAME_EXCED_RANGE);
    free(a);
    return r;
}
THK_EXPORT(kernel32, GetVolumePathNameA, 3);
