/* SPDX-License-Identifier: MIT */
/* kernel32: hard links and volumes, the calls libstdc++-6.dll's std::filesystem imports.
 * CreateHardLinkW/A: link(2) between the Linux paths of the two Windows paths.
 * FindFirstVolumeW/FindNextVolumeW/FindVolumeClose: one volume, the C: drive, named
 * "\\?\Volume{...}\" with a GUID made from the drive directory's filesystem id.
 * GetVolumeInformationW/A: for a root path ("C:\", "Z:\", a volume name): an empty label, the
 * filesystem id as serial number, 255 as the longest component, NTFS's usual flags and "NTFS"
 * as the filesystem name (what Windows programs expect of a local disk). */
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
