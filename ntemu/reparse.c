/* SPDX-License-Identifier: MIT */
/* Reparse points: a Linux symbolic link is one. A link made by CreateSymbolicLink is a
 * symbolic link reparse point (IO_REPARSE_TAG_SYMLINK): a directory one when its target is a
 * directory. A junction (IO_REPARSE_TAG_MOUNT_POINT: FSCTL_SET_REPARSE_POINT on an empty
 * directory, as MKLINK /J makes it) is a symbolic link to the target's absolute path followed
 * by "/." (the same directory to Linux; CreateSymbolicLink never writes that ending: its paths
 * are normalized), so the kind survives in the file system itself, where Linux keeps no
 * extended attributes on a link.
 *
 * What Windows shows of them: FILE_ATTRIBUTE_REPARSE_POINT in the link's own attributes
 * (GetFileAttributes and the directory queries do not follow links; the tag in a directory
 * entry's EaSize, FindFirstFile's dwReserved0), FILE_OPEN_REPARSE_POINT opening the link itself
 * (ntemu/file.c), and FSCTL_GET_REPARSE_POINT on such a handle giving the REPARSE_DATA_BUFFER:
 * SubstituteName "\??\C:\target" and PrintName "C:\target" for an absolute target, both the
 * target as written (backslashes) with SYMLINK_FLAG_RELATIVE for a relative one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_SYMLINK_FLAG_RELATIVE 1
#define NT_REPARSE_HEADER 8            /* ReparseTag, ReparseDataLength, Reserved */
#define NT_REPARSE_MAX (16 * 1024)     /* MAXIMUM_REPARSE_DATA_BUFFER_SIZE */
#ifndef STATUS_NOT_A_REPARSE_POINT
#define STATUS_NOT_A_REPARSE_POINT ((NTSTATUS)0xC0000275)
#endif
#ifndef STATUS_IO_REPARSE_DATA_INVALID
#define STATUS_IO_REPARSE_DATA_INVALID ((NTSTATUS)0xC0000278)
#endif
#ifndef STATUS_IO_REPARSE_TAG_INVALID
#define STATUS_IO_REPARSE_TAG_INVALID ((NTSTATUS)0xC0000276)
#endif
#ifndef STATUS_PRIVILEGE_NOT_HELD
#define STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061)
#endif
#ifndef STATUS_DIRECTORY_NOT_EMPTY
#define STATUS_DIRECTORY_NOT_EMPTY ((NTSTATUS)0xC0000101)
#endif

/* readlinkat into a malloc'd string, or NULL. An empty path: the link fd itself. */
static char *nt_reparse_target(int dirfd, const char *path)
{
    char buf[4096];
    ssize_t n = readlinkat(dirfd, path, buf, sizeof buf - 1);
    if (n < 0 || n == (ssize_t)sizeof buf - 1)
        return NULL;
    buf[n] = 0;
    return strdup(buf);
}

static bool nt_reparse_is_junction(const char *target)
{
    size_t n = strlen(target);
    return target[0] == '/' && n >= 2 && !strcmp(target + n - 2, "/.");
}

void nt_reparse_classify(int dirfd, const char *path, nt_stat *st)
{
    char *target = nt_reparse_target(dirfd, path);
    st->reparse_tag = NT_IO_REPARSE_TAG_SYMLINK;
    st->link_dir = false;
    if (target && nt_reparse_is_junction(target)) {
        st->reparse_tag = NT_IO_REPARSE_TAG_MOUNT_POINT;
        st->link_dir = true;
    } else {
        struct stat t;
        if (*path) {
            st->link_dir = fstatat(dirfd, path, &t, 0) == 0 && S_ISDIR(t.st_mode);
        } else { /* the link's fd: its own name, followed */
            char proc[64];
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", dirfd);
            char *self = nt_reparse_target(AT_FDCWD, proc);
            st->link_dir = self && stat(self, &t) == 0 && S_ISDIR(t.st_mode);
            free(self);
        }
    }
    free(target);
}

static size_t nt_w_append(WCHAR *dst, const WCHAR *src, size_t n)
{
    memcpy(dst, src, n * sizeof(WCHAR));
    return n;
}

/* The REPARSE_DATA_BUFFER of the link open as `fd` (malloc'd, *len bytes). */
static NTSTATUS nt_reparse_build(int fd, uint8_t **out, size_t *len)
{
    nt_stat st;
    *out = NULL;
    *len = 0;
    int err = nt_stat_at(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &st);
    if (err || !S_ISLNK(st.mode))
        return STATUS_NOT_A_REPARSE_POINT;
    char *target = nt_reparse_target(fd, "");
    if (!target)
        return STATUS_NOT_A_REPARSE_POINT;
    bool junction = st.reparse_tag == NT_IO_REPARSE_TAG_MOUNT_POINT;
    if (junction)
        target[strlen(target) - 2] = 0; /* the marker */
    WCHAR *print = NULL;
    bool relative = target[0] != '/';
    if (relative) {
        print = nt_utf8_to_utf16(target, strlen(target), NULL);
        for (WCHAR *p = print; p && *p; p++)
            if (*p == '/')
                *p = '\\';
    } else {
        print = nt_path_from_unix(target);
    }
    free(target);
    if (!print)
        return STATUS_NO_MEMORY;
    static const WCHAR nt_prefix[] = {'\\', '?', '?', '\\'};
    size_t pn = nt_wcslen(print), sn = relative ? pn : pn + 4;
    /* the names after the fixed part: SubstituteName then PrintName (a mount point's each
     * ended by a NUL, as Windows writes them) */
    size_t fixed = junction ? 8 : 12, nul = junction ? 1 : 0;
    size_t data = fixed + (sn + nul + pn + nul) * sizeof(WCHAR);
    uint8_t *b = calloc(1, NT_REPARSE_HEADER + data);
    if (!b) {
        free(print);
        return STATUS_NO_MEMORY;
    }
    uint32_t tag = st.reparse_tag;
    uint16_t dlen = (uint16_t)data;
    uint16_t names[4] = {0, (uint16_t)(sn * sizeof(WCHAR)),
                         (uint16_t)((sn + nul) * sizeof(WCHAR)), (uint16_t)(pn * sizeof(WCHAR))};
    memcpy(b, &tag, 4);
    memcpy(b + 4, &dlen, 2);
    memcpy(b + 8, names, sizeof names);
    if (!junction) {
        uint32_t flags = relative ? NT_SYMLINK_FLAG_RELATIVE : 0;
        memcpy(b + 16, &flags, 4);
    }
    WCHAR *w = (WCHAR *)(b + NT_REPARSE_HEADER + fixed);
    size_t k = 0;
    if (!relative)
        k += nt_w_append(w + k, nt_prefix, 4);
    k += nt_w_append(w + k, print, pn);
    k += nul;
    nt_w_append(w + k, print, pn);
    free(print);
    *out = b;
    *len = NT_REPARSE_HEADER + data;
    return STATUS_SUCCESS;
}

/* FSCTL_SET_REPARSE_POINT: a mount point (junction) on an empty directory: the directory
 * becomes the link. Symbolic link reparse data needs SeCreateSymbolicLinkPrivilege on Windows:
 * CreateSymbolicLink makes those. */
static NTSTATUS nt_reparse_set(nt_file *f, const uint8_t *in, uint32_t in_len)
{
    uint8_t hdr[16];
    if (in_len < NT_REPARSE_HEADER)
        return STATUS_IO_REPARSE_DATA_INVALID;
    if (nt_copy_from_user(hdr, in, in_len < sizeof hdr ? in_len : sizeof hdr) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t tag;
    uint16_t dlen, so, sl;
    memcpy(&tag, hdr, 4);
    memcpy(&dlen, hdr + 4, 2);
    if (tag != NT_IO_REPARSE_TAG_MOUNT_POINT)
        return tag == NT_IO_REPARSE_TAG_SYMLINK ? STATUS_PRIVILEGE_NOT_HELD
                                                : STATUS_IO_REPARSE_TAG_INVALID;
    if (in_len < 16 || (uint32_t)dlen + NT_REPARSE_HEADER != in_len)
        return STATUS_IO_REPARSE_DATA_INVALID;
    memcpy(&so, hdr + 8, 2);
    memcpy(&sl, hdr + 10, 2);
    if ((uint32_t)16 + so + sl > in_len || (sl & 1) || !sl)
        return STATUS_IO_REPARSE_DATA_INVALID;
    if (!f->is_dir || !f->unix_path)
        return STATUS_NOT_A_DIRECTORY;
    WCHAR *name = malloc(sl + sizeof(WCHAR));
    if (!name)
        return STATUS_NO_MEMORY;
    if (nt_copy_from_user(name, in + 16 + so, sl) != 0) {
        free(name);
        return STATUS_ACCESS_VIOLATION;
    }
    char *target = NULL;
    NTSTATUS st = nt_path_to_unix(name, sl / sizeof(WCHAR), &target);
    free(name);
    if (st != STATUS_SUCCESS)
        return st;
    size_t n = strlen(target);
    char *link = malloc(n + 3);
    if (!link) {
        free(target);
        return STATUS_NO_MEMORY;
    }
    while (n > 1 && target[n - 1] == '/')
        n--;
    snprintf(link, n + 3, "%.*s/.", (int)n, target);
    free(target);
    if (rmdir(f->unix_path) != 0)
        st = errno == ENOTEMPTY || errno == EEXIST ? STATUS_DIRECTORY_NOT_EMPTY
                                                   : nt_status_from_errno(errno);
    else if (symlink(link, f->unix_path) != 0)
        st = nt_status_from_errno(errno);
    free(link);
    return st;
}

NTSTATUS nt_reparse_fsctl(nt_file *f, uint32_t code, const void *in, uint32_t in_len, void *out,
                          uint32_t out_len, ULONG_PTR *info)
{
    *info = 0;
    if (code == NT_FSCTL_SET_REPARSE_POINT)
        return nt_reparse_set(f, in, in_len);
    if (code != NT_FSCTL_GET_REPARSE_POINT)
        return STATUS_INVALID_DEVICE_REQUEST;
    uint8_t *b;
    size_t len;
    NTSTATUS st = nt_reparse_build(f->fd, &b, &len);
    if (st != STATUS_SUCCESS)
        return st;
    if (out_len < NT_REPARSE_HEADER) {
        free(b);
        return STATUS_BUFFER_TOO_SMALL;
    }
    size_t n = len < out_len ? len : out_len;
    if (nt_copy_to_user(out, b, n) != 0)
        st = STATUS_ACCESS_VIOLATION;
    else if (n < len)
        st = STATUS_BUFFER_OVERFLOW;
    free(b);
    *info = n;
    return st;
}
