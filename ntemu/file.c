/* SPDX-License-Identifier: MIT */
/* File objects over Linux fds: NtCreateFile/NtOpenFile (dispositions, directory checks,
 * delete-on-close, access masks), NtReadFile/NtWriteFile (synchronous, with offsets),
 * NtQueryInformationFile/NtSetInformationFile, NtFlushBuffersFile(Ex), NtDeleteFile,
 * NtQueryAttributesFile, NtQueryFullAttributesFile, and the standard-stream wrapper nt_file_from_fd.
 *
 * What Windows reports and ntrun derives from Linux: file times are 100 ns since 1601 (creation
 * time is statx's birth time when the file system has one); attributes are DIRECTORY or ARCHIVE,
 * READONLY when the owner has no write permission (enforced here even for root, as Windows
 * enforces the attribute: no write opens, no deletion), HIDDEN for names starting with a dot.
 * Sharing modes are accepted but not enforced. Files opened without FILE_SYNCHRONOUS_IO_* (and
 * sockets) read and write through ntemu/async.c: events, APCs and completion ports are honoured
 * there; on synchronous files events and APCs of the I/O calls are ignored.
 *
 * Outputs are probed before any work and written only on success (or with the final status of
 * the I/O, as Windows fills the IO_STATUS_BLOCK), so a failed call leaves them as they were;
 * the one exception is NtCreateFile's handle, zeroed first. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

/* ---- access rights and information classes not in runtime/win.h ---- */
#define NT_FILE_READ_EA          0x00000008u
#define NT_FILE_WRITE_EA         0x00000010u
#define NT_FILE_EXECUTE          0x00000020u
#define NT_FILE_GENERIC_EXECUTE  0x001200A0u
#define NT_FILE_ALL_ACCESS       0x001F01FFu
#define NT_MAXIMUM_ALLOWED       0x02000000u
#define NT_FILE_NO_INTERMEDIATE_BUFFERING 0x00000008u

#define NT_FileInternalInformation      6
#define NT_FileEaInformation            7
#define NT_FileAccessInformation        8
#define NT_FileLinkInformation          11
#define NT_FileModeInformation          16
#define NT_FileAlignmentInformation     17
#define NT_FileAllocationInformation    19
#define NT_FileCompressionInformation   28
#define NT_FileDispositionInformationEx 64
#define NT_FileRenameInformationEx      65
#define NT_FileMaximumInformation       80

#define NT_FILE_DISPOSITION_DELETE            0x01u
#define NT_FILE_DISPOSITION_IGNORE_READONLY   0x10u
#define NT_FILE_RENAME_REPLACE_IF_EXISTS      0x01u
#define NT_FILE_RENAME_IGNORE_READONLY        0x40u

/* NtReadFile/NtWriteFile offsets with a meaning */
#define NT_FILE_WRITE_TO_END_OF_FILE      (-1LL)
#define NT_FILE_USE_FILE_POINTER_POSITION (-2LL)

typedef struct {
    LARGE_INTEGER CreationTime;   /* 0x00 */
    LARGE_INTEGER LastAccessTime; /* 0x08 */
    LARGE_INTEGER LastWriteTime;  /* 0x10 */
    LARGE_INTEGER ChangeTime;     /* 0x18 */
    LARGE_INTEGER AllocationSize; /* 0x20 */
    LARGE_INTEGER EndOfFile;      /* 0x28 */
    uint32_t FileAttributes;      /* 0x30 */
    uint32_t pad;
} nt_network_open_info;
_Static_assert(sizeof(nt_network_open_info) == 0x38, "FILE_NETWORK_OPEN_INFORMATION");

/* FILE_ALL_INFORMATION: the fixed part, then FILE_NAME_INFORMATION */
#define NT_ALL_BASIC     0x00
#define NT_ALL_STANDARD  0x28
#define NT_ALL_INTERNAL  0x40
#define NT_ALL_EA        0x48
#define NT_ALL_ACCESS    0x4c
#define NT_ALL_POSITION  0x50
#define NT_ALL_MODE      0x58
#define NT_ALL_ALIGNMENT 0x5c
#define NT_ALL_NAME      0x60
#define NT_ALL_MIN_SIZE  0x68 /* sizeof(FILE_ALL_INFORMATION) */

/* FILE_RENAME_INFORMATION / FILE_LINK_INFORMATION */
#define NT_RENAME_FLAGS    0x00 /* BOOLEAN ReplaceIfExists, or ULONG Flags for the Ex class */
#define NT_RENAME_ROOT     0x08
#define NT_RENAME_NAMELEN  0x10
#define NT_RENAME_NAME     0x14
#define NT_RENAME_MIN_SIZE 0x18

static inline void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static inline void put64(uint8_t *p, size_t off, int64_t v) { memcpy(p + off, &v, 8); }

/* ---- foreign memory ---- */
static NTSTATUS put_io(IO_STATUS_BLOCK *io, NTSTATUS st, ULONG_PTR info)
{
    IO_STATUS_BLOCK v = {.Status = st, .Information = info};
    if (nt_copy_to_user(io, &v, sizeof v) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

/* ---- stat ---- */
static int64_t ts_of(const struct statx_timestamp *t)
{
    struct timespec ts = {.tv_sec = t->tv_sec, .tv_nsec = t->tv_nsec};
    return nt_time_from_timespec(&ts);
}

int nt_stat_at(int dirfd, const char *path, int flags, nt_stat *out)
{
    struct statx sx;
    if (statx(dirfd, path, flags | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_BTIME,
              &sx) != 0)
        return -errno;
    out->mode = sx.stx_mode;
    out->nlink = sx.stx_nlink;
    out->size = sx.stx_size;
    out->alloc = sx.stx_blocks * 512;
    out->ino = sx.stx_ino;
    out->access = ts_of(&sx.stx_atime);
    out->write = ts_of(&sx.stx_mtime);
    out->change = ts_of(&sx.stx_ctime);
    if (sx.stx_mask & STATX_BTIME)
        out->creation = ts_of(&sx.stx_btime);
    else
        out->creation = out->write < out->change ? out->write : out->change;
    out->reparse_tag = 0;
    out->link_dir = false;
    if (S_ISLNK(out->mode)) /* a reparse point (ntemu/reparse.c) */
        nt_reparse_classify(dirfd, path, out);
    return 0;
}

#ifndef FILE_ATTRIBUTE_REPARSE_POINT
#define FILE_ATTRIBUTE_REPARSE_POINT 0x400
#endif

uint32_t nt_file_attributes(const nt_stat *st, const char *name)
{
    uint32_t a;
    if (S_ISLNK(st->mode)) { /* the link itself: a reparse point */
        a = FILE_ATTRIBUTE_REPARSE_POINT |
            (st->link_dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE);
    } else if (S_ISDIR(st->mode)) {
        a = FILE_ATTRIBUTE_DIRECTORY;
    } else {
        a = FILE_ATTRIBUTE_ARCHIVE;
        if (!(st->mode & S_IWUSR))
            a |= FILE_ATTRIBUTE_READONLY;
    }
    if (name && name[0] == '.' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
        a |= FILE_ATTRIBUTE_HIDDEN;
    return a;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

static void fill_basic(FILE_BASIC_INFORMATION *b, const nt_stat *st, const char *name)
{
    memset(b, 0, sizeof *b);
    b->CreationTime.QuadPart = st->creation;
    b->LastAccessTime.QuadPart = st->access;
    b->LastWriteTime.QuadPart = st->write;
    b->ChangeTime.QuadPart = st->change;
    b->FileAttributes = nt_file_attributes(st, name);
}

/* ---- file objects ---- */
static void file_destroy(nt_object *obj)
{
    nt_file_ext *fx = (nt_file_ext *)obj;
    nt_file *f = &fx->f;
    nt_pipe_end_detach(fx->pipe); /* no client connects it any more (pipe.c) */
    nt_dirwatch_cleanup(fx); /* pending change notifications end (STATUS_NOTIFY_CLEANUP) */
    if (f->is_socket)
        nt_afd_socket_gone(f); /* the polls naming it see LOCAL_CLOSE (afd.c) */
    nt_async_file_close(fx); /* pending overlapped requests end cancelled */
    nt_dirwatch_free(fx);
    if (f->sock_events_free)
        f->sock_events_free(f->sock_events);
    nt_file_locks_drop(f); /* the OFD locks go with the descriptor (filelock.c) */
    if (fx->owns_fd && f->fd >= 0)
        close(f->fd);
    if (f->delete_on_close && f->unix_path) {
        if (f->is_dir) {
            if (rmdir(f->unix_path) != 0 && errno == ENOTDIR)
                unlink(f->unix_path); /* a symbolic link to a directory: the link goes */
        } else
            unlink(f->unix_path);
    }
    nt_share_remove(fx->share);
    nt_dir_scan_free(fx->scan);
    nt_pipe_end_free(fx->pipe);
    pthread_mutex_destroy(&fx->lock);
    free(f->unix_path);
    free(f->nt_name);
    free(fx);
}

/* A new file object (one reference) that takes over `path`. */
static nt_file_ext *file_new(int fd, uint32_t access, uint32_t options, bool is_dir, char *path,
                             bool owns_fd)
{
    nt_file_ext *fx = calloc(1, sizeof *fx);
    if (!fx)
        return NULL;
    nt_object_init(&fx->f.hdr, NT_OBJ_FILE, file_destroy);
    fx->f.fd = fd;
    fx->f.access = access;
    fx->f.options = options;
    fx->f.is_dir = is_dir;
    fx->f.append = (access & FILE_APPEND_DATA) && !(access & FILE_WRITE_DATA);
    fx->f.delete_on_close = (options & FILE_DELETE_ON_CLOSE) != 0;
    fx->f.unix_path = path;
    fx->f.nt_name = path ? nt_path_from_unix(path) : NULL;
    fx->owns_fd = owns_fd;
    fx->lock_fd = -1;
    pthread_mutex_init(&fx->lock, NULL);
    return fx;
}

/* CONIN$ is the console's input buffer and CONOUT$ its screen buffer whatever the access asked;
 * CON is the input buffer when opened for reading only, else the screen buffer (Windows'
 * CreateFile rule for "CON"). The name is the one the caller gave (path.c maps all three to
 * the controlling terminal). */
static uint8_t console_role(const OBJECT_ATTRIBUTES *attr, uint32_t access)
{
    WCHAR *name = NULL;
    size_t len = 0;
    uint8_t role = (access & FILE_WRITE_DATA) ? NT_CONSOLE_OUTPUT : NT_CONSOLE_INPUT;
    if (nt_object_attr_name(attr, &name, &len) != STATUS_SUCCESS || !name)
        return role;
    size_t start = len;
    while (start > 0 && name[start - 1] != '\\' && name[start - 1] != '/')
        start--;
    static const char in[] = "CONIN$", out[] = "CONOUT$";
    bool is_in = len - start == 6, is_out = len - start == 7;
    for (size_t i = start; i < len && (is_in || is_out); i++) {
        WCHAR c = name[i] >= 'a' && name[i] <= 'z' ? (WCHAR)(name[i] - 32) : name[i];
        is_in = is_in && c == (WCHAR)in[i - start];
        is_out = is_out && c == (WCHAR)out[i - start];
    }
    free(name);
    return is_in ? NT_CONSOLE_INPUT : is_out ? NT_CONSOLE_OUTPUT : role;
}

static uint32_t map_generic(uint32_t access)
{
    if (access & GENERIC_READ)
        access |= FILE_GENERIC_READ;
    if (access & GENERIC_WRITE)
        access |= FILE_GENERIC_WRITE;
    if (access & GENERIC_EXECUTE)
        access |= NT_FILE_GENERIC_EXECUTE;
    if (access & (GENERIC_ALL | NT_MAXIMUM_ALLOWED))
        access |= NT_FILE_ALL_ACCESS;
    return access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                      NT_MAXIMUM_ALLOWED);
}

NTSTATUS nt_file_from_fd(int fd, uint32_t access, HANDLE *out)
{
    struct stat st;
    nt_file_ext *fx;
    NTSTATUS status;
    *out = NULL;
    if (fstat(fd, &st) != 0)
        return STATUS_INVALID_HANDLE;
    fx = file_new(fd, map_generic(access) | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                  FILE_SYNCHRONOUS_IO_NONALERT, S_ISDIR(st.st_mode), NULL, false);
    if (!fx)
        return STATUS_NO_MEMORY;
    fx->regular = S_ISREG(st.st_mode);
    fx->f.fd_fmt = (uint8_t)((st.st_mode & S_IFMT) >> 12);
    /* Linux's memory devices (character major 1: /dev/null, zero, full, random, urandom, kmsg)
     * are no terminal: no TCGETS for a program's stdin from /dev/null. */
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1)
        fx->f.fd_tty = 1;
    status = nt_handle_alloc(&fx->f.hdr, out);
    nt_object_release(&fx->f.hdr);
    return status;
}

bool nt_file_isatty(nt_file *f)
{
    if (f->fd < 0)
        return false;
    if (!f->fd_fmt) /* not a standard stream's: ask each time */
        return isatty(f->fd);
    uint8_t t = __atomic_load_n(&f->fd_tty, __ATOMIC_RELAXED);
    if (!t) {
        /* a terminal is a character device: no ioctl for a pipe or a file */
        t = S_ISCHR(nt_file_fmt(f)) && isatty(f->fd) ? 2 : 1;
        __atomic_store_n(&f->fd_tty, t, __ATOMIC_RELAXED);
    }
    return t == 2;
}

nt_file *nt_file_new_owned(int fd, uint32_t access)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return NULL;
    nt_file_ext *fx = file_new(fd, map_generic(access) | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                               FILE_SYNCHRONOUS_IO_NONALERT, S_ISDIR(st.st_mode), NULL, true);
    if (fx)
        fx->regular = S_ISREG(st.st_mode);
    return fx ? &fx->f : NULL;
}

NTSTATUS nt_file_get(HANDLE h, nt_file **out)
{
    nt_object *obj;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_FILE, &obj);
    *out = st == STATUS_SUCCESS ? (nt_file *)obj : NULL;
    return st;
}

/* ---- names ---- */

/* Reads a UNICODE_STRING's characters from foreign memory into a malloc'd UTF-8 string. */
static NTSTATUS name_from_user(const WCHAR *user, size_t bytes, char **out)
{
    WCHAR *w;
    *out = NULL;
    if (bytes & 1)
        return STATUS_OBJECT_NAME_INVALID;
    w = malloc(bytes + 2);
    if (!w)
        return STATUS_NO_MEMORY;
    if (nt_copy_from_user(w, user, bytes) != 0) {
        free(w);
        return STATUS_ACCESS_VIOLATION;
    }
    for (size_t i = 0; i < bytes / 2; i++) {
        if (!w[i]) {
            free(w);
            return STATUS_OBJECT_NAME_INVALID;
        }
    }
    *out = nt_utf16_to_utf8(w, bytes / 2, NULL);
    free(w);
    return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* A name relative to the directory handle `root` (empty: the directory itself). */
static NTSTATUS resolve_with_root(HANDLE root, const char *name, char **out)
{
    nt_file *dir;
    NTSTATUS st = nt_file_get(root, &dir);
    if (st != STATUS_SUCCESS)
        return st;
    if (!dir->unix_path || (!dir->is_dir && *name)) {
        st = STATUS_INVALID_PARAMETER;
    } else if (!*name) {
        *out = strdup(dir->unix_path);
        st = *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    } else {
        st = nt_path_resolve_under(dir->unix_path, name, NT_PATH_STRICT, out);
    }
    nt_object_release(&dir->hdr);
    return st;
}

NTSTATUS nt_attr_to_unix(const OBJECT_ATTRIBUTES *user_attr, char **out)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING us = {0};
    char *name = NULL;
    NTSTATUS st;
    *out = NULL;
    if (nt_copy_from_user(&a, user_attr, sizeof a) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (a.Length != sizeof a)
        return STATUS_INVALID_PARAMETER;
    if (a.ObjectName && nt_copy_from_user(&us, a.ObjectName, sizeof us) != 0)
        return STATUS_ACCESS_VIOLATION;
    st = name_from_user(us.Buffer, us.Length, &name);
    if (st != STATUS_SUCCESS)
        return st;
    if (a.RootDirectory)
        st = resolve_with_root(a.RootDirectory, name, out);
    else if (!*name)
        st = STATUS_OBJECT_NAME_INVALID;
    else
        st = nt_path_to_unix_ex(name, NT_PATH_STRICT, out);
    free(name);
    return st;
}

/* ---- NtCreateFile ---- */
static bool wants_data_write(uint32_t access)
{
    return (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
}

static bool wants_data_read(uint32_t access)
{
    return (access & (FILE_READ_DATA | NT_FILE_EXECUTE)) != 0;
}

static int open_flags(uint32_t access)
{
    int flags = O_CLOEXEC | O_NOCTTY;
    bool r = wants_data_read(access), w = wants_data_write(access);
    if (r && w)
        flags |= O_RDWR;
    else if (w)
        flags |= O_WRONLY;
    else
        flags |= O_RDONLY;
    if ((access & FILE_APPEND_DATA) && !(access & FILE_WRITE_DATA))
        flags |= O_APPEND;
    return flags;
}

static int open_dir(const char *path, bool *path_only)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == EACCES) {
        fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0)
            *path_only = true;
    }
    return fd;
}

typedef struct {
    int fd;
    bool is_dir;
    bool path_only;
    uint32_t access; /* after MAXIMUM_ALLOWED is settled */
    ULONG_PTR info;  /* FILE_OPENED, FILE_CREATED, ... */
} nt_open_result;

/* stat(path) as the caller just asked it: its result and, when it failed, its errno. */
typedef struct {
    struct stat st;
    int err;
} nt_path_stat;

/* The Linux side of NtCreateFile on a resolved path. `pre`: NtCreateFile's stat of it, taken
 * the moment before (share modes), which the first attempt uses instead of asking again. */
static NTSTATUS open_path(const char *path, uint32_t access, bool max_allowed,
                          uint32_t attributes, uint32_t disposition, uint32_t options,
                          const nt_path_stat *pre, nt_open_result *r)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    nt_stat ls;
    if ((options & NT_FILE_OPEN_REPARSE_POINT) &&
        nt_stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &ls) == 0 && S_ISLNK(ls.mode)) {
        /* the reparse point itself: the link (read, renamed, deleted as itself) */
        if (disposition == FILE_CREATE)
            return STATUS_OBJECT_NAME_COLLISION;
        if ((options & FILE_NON_DIRECTORY_FILE) && ls.link_dir)
            return STATUS_FILE_IS_A_DIRECTORY;
        if ((options & FILE_DIRECTORY_FILE) && !ls.link_dir)
            return STATUS_NOT_A_DIRECTORY;
        r->fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (r->fd < 0)
            return nt_status_from_errno(errno);
        r->path_only = true;
        r->is_dir = ls.link_dir;
        r->access = access;
        r->info = FILE_OPENED;
        return STATUS_SUCCESS;
    }
    for (int attempt = 0; attempt < 16; attempt++) {
        struct stat st;
        int sr;
        if (attempt == 0 && pre) {
            st = pre->st;
            sr = pre->err ? -1 : 0;
            errno = pre->err;
        } else {
            sr = stat(path, &st);
        }
        if (sr == 0) {
            bool trunc = disposition == FILE_SUPERSEDE || disposition == FILE_OVERWRITE ||
                            disposition == FILE_OVERWRITE_IF;
            bool read_only = S_ISREG(st.st_mode) && !(st.st_mode & S_IWUSR);
            if (disposition == FILE_CREATE)
                return STATUS_OBJECT_NAME_COLLISION;
            if (S_ISDIR(st.st_mode)) {
                if ((options & FILE_NON_DIRECTORY_FILE) || trunc)
                    return STATUS_FILE_IS_A_DIRECTORY;
                r->fd = open_dir(path, &r->path_only);
                if (r->fd < 0) {
                    if (errno == ENOENT)
                        continue; /* removed meanwhile */
                    return nt_status_from_errno(errno);
                }
                r->is_dir = true;
                r->access = access;
                r->info = FILE_OPENED;
                return STATUS_SUCCESS;
            }
            if (options & FILE_DIRECTORY_FILE)
                return STATUS_NOT_A_DIRECTORY;
            if (read_only) {
                if (max_allowed && !trunc)
                    access &= ~(FILE_WRITE_DATA | FILE_APPEND_DATA | NT_FILE_WRITE_EA);
                if (trunc || wants_data_write(access))
                    return STATUS_ACCESS_DENIED;
                if (options & FILE_DELETE_ON_CLOSE)
                    return STATUS_CANNOT_DELETE;
            }
            int flags = open_flags(access);
            if (trunc && S_ISREG(st.st_mode)) {
                if ((flags & O_ACCMODE) != O_RDONLY)
                    flags |= O_TRUNC;
                else if (truncate(path, 0) != 0)
                    return nt_status_from_errno(errno);
            }
            r->fd = open(path, flags);
            if (r->fd < 0 && errno == EACCES && !wants_data_read(access) &&
                !wants_data_write(access) && !trunc) {
                r->fd = open(path, O_PATH | O_CLOEXEC);
                r->path_only = r->fd >= 0;
            }
            if (r->fd < 0) {
                if (errno == ENOENT)
                    continue;
                return nt_status_from_errno(errno);
            }
            r->access = access;
            r->info = disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED
                      : trunc                       ? FILE_OVERWRITTEN
                                                    : FILE_OPENED;
            return STATUS_SUCCESS;
        }
        if (errno != ENOENT)
            return nt_status_from_path_errno(errno, false);
        if (disposition == FILE_OPEN || disposition == FILE_OVERWRITE)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        if (options & FILE_DIRECTORY_FILE) {
            if (mkdir(path, 0777) != 0) {
                if (errno == EEXIST)
                    continue;
                return nt_status_from_path_errno(errno, errno == ENOENT);
            }
            r->fd = open_dir(path, &r->path_only);
            if (r->fd < 0)
                return nt_status_from_errno(errno);
            r->is_dir = true;
        } else {
            mode_t mode = (attributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
            r->fd = open(path, open_flags(access) | O_CREAT | O_EXCL, mode);
            if (r->fd < 0 && errno == EEXIST) {
                struct stat lst;
                if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && stat(path, &st) != 0 &&
                    errno == ENOENT) /* a dangling symbolic link: create its target */
                    r->fd = open(path, open_flags(access) | O_CREAT, mode);
                else
                    errno = EEXIST;
            }
            if (r->fd < 0) {
                if (errno == EEXIST)
                    continue;
                return nt_status_from_path_errno(errno, errno == ENOENT);
            }
        }
        r->access = access;
        r->info = FILE_CREATED;
        return STATUS_SUCCESS;
    }
    return STATUS_SHARING_VIOLATION; /* the name kept changing under us */
}

NTSTATUS NTAPI NtCreateFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                            IO_STATUS_BLOCK *io, LARGE_INTEGER *alloc_size, uint32_t attributes,
                            uint32_t sharing, uint32_t disposition, uint32_t options,
                            void *ea_buffer, uint32_t ea_length)
{
    HANDLE h = NULL;
    char *path = NULL;
    nt_open_result r;
    nt_file_ext *fx;
    NTSTATUS st;
    bool max_allowed = (access & NT_MAXIMUM_ALLOWED) != 0;
    const uint32_t sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;

    if (nt_copy_to_user(handle, &h, sizeof h) != 0 || !nt_probe_write(io, sizeof *io))
        return STATUS_ACCESS_VIOLATION;
    access = map_generic(access);
    if (disposition > FILE_OVERWRITE_IF ||
        ((options & FILE_DIRECTORY_FILE) && (options & FILE_NON_DIRECTORY_FILE)) ||
        ((options & FILE_DIRECTORY_FILE) && disposition != FILE_OPEN &&
         disposition != FILE_CREATE && disposition != FILE_OPEN_IF) ||
        ((options & FILE_DELETE_ON_CLOSE) && !(access & DELETE)) ||
        (options & sync) == sync || ((options & sync) && !(access & SYNCHRONIZE)))
        return STATUS_INVALID_PARAMETER;

    if (nt_pipe_create_file(attr, access, options, &h, &st) || /* the pipe file system (pipe.c) */
        nt_afd_create_file(attr, access, options, &h, &st)) {  /* the socket driver (afd.c) */
        if (st != STATUS_SUCCESS)
            return st;
        if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
            nt_handle_close(h);
            return STATUS_ACCESS_VIOLATION;
        }
        put_io(io, STATUS_SUCCESS, 1 /* FILE_OPENED */);
        return STATUS_SUCCESS;
    }
    st = nt_attr_to_unix(attr, &path);
    if (st != STATUS_SUCCESS)
        return st;
    struct stat post;
    nt_path_stat ps;
    /* Share modes before anything is opened or truncated (a conflicting CREATE_ALWAYS must
     * leave the file as it is); recorded for good once the file is open (share.c). */
    bool exists = stat(path, &ps.st) == 0;
    ps.err = exists ? 0 : errno;
    if (exists && S_ISREG(ps.st.st_mode) &&
        (st = nt_share_check(ps.st.st_dev, ps.st.st_ino, access, sharing)) != STATUS_SUCCESS)
        goto free_path;
    /* The current directory is held open sharing read and write, not delete (Windows' PEB
     * handle): RemoveDirectory or MoveFile of it fails. */
    if (exists && (access & DELETE) && S_ISDIR(ps.st.st_mode) &&
        nt_cwd_is(ps.st.st_dev, ps.st.st_ino)) {
        st = STATUS_SHARING_VIOLATION;
        goto free_path;
    }
    st = open_path(path, access, max_allowed, attributes, disposition, options, &ps, &r);
    if (st != STATUS_SUCCESS)
        goto free_path;
    fx = file_new(r.fd, r.access, options, r.is_dir, path, true);
    if (!fx) {
        close(r.fd);
        st = STATUS_NO_MEMORY;
        goto free_path;
    }
    path = NULL; /* owned by the object now */
    fx->is_path_only = r.path_only;
    if (!strcmp(fx->f.unix_path, "/dev/tty"))
        fx->f.console = console_role(attr, r.access);
    if (!r.is_dir && fstat(r.fd, &post) == 0 && S_ISREG(post.st_mode) &&
        (st = nt_share_add(post.st_dev, post.st_ino, r.access, sharing, &fx->share)) !=
            STATUS_SUCCESS) {
        fx->f.delete_on_close = false;
        nt_object_release(&fx->f.hdr);
        return st;
    }
    OBJECT_ATTRIBUTES oa;
    bool inherit = nt_copy_from_user(&oa, attr, sizeof oa) == 0 &&
                   (oa.Attributes & 0x2 /* OBJ_INHERIT */);
    st = nt_handle_alloc_inherit(&fx->f.hdr, inherit, &h);
    if (st != STATUS_SUCCESS)
        fx->f.delete_on_close = false;
    nt_object_release(&fx->f.hdr);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    put_io(io, STATUS_SUCCESS, r.info);
    return STATUS_SUCCESS;
free_path:
    free(path);
    return st;
}

int nt_cwd_dup(char **name); /* path.c */

NTSTATUS nt_cwd_handle(uint32_t access, HANDLE *out)
{
    char *path = NULL;
    *out = NULL;
    int fd = nt_cwd_dup(&path);
    if (fd < 0)
        return fd == -ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_NO_MEMORY;
    nt_file_ext *fx = file_new(fd, map_generic(access), FILE_DIRECTORY_FILE |
                               FILE_SYNCHRONOUS_IO_NONALERT, true, path, true);
    if (!fx) {
        close(fd);
        free(path);
        return STATUS_NO_MEMORY;
    }
    fx->is_path_only = true; /* the O_PATH fd of nt_cwd_set: traversal and queries, no data */
    NTSTATUS st = nt_handle_alloc(&fx->f.hdr, out);
    nt_object_release(&fx->f.hdr);
    return st;
}

NTSTATUS NTAPI NtOpenFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                          IO_STATUS_BLOCK *io, uint32_t sharing, uint32_t options)
{
    return NtCreateFile(handle, access, attr, io, NULL, 0, sharing, FILE_OPEN, options, NULL, 0);
}

/* ---- read and write ---- */
/* The event an I/O call is to signal: a handle of another type, or a closed one, fails the
 * call before any I/O, as Windows' reference of EventHandle (ExEventObjectType) does. */
static NTSTATUS check_io_event(HANDLE event)
{
    nt_object *o;
    if (!event)
        return STATUS_SUCCESS;
    NTSTATUS st = nt_object_from_handle(event, NT_OBJ_EVENT, &o);
    if (st == STATUS_SUCCESS)
        nt_object_release(o);
    return st;
}

/* NtReadFile's and NtWriteFile's first checks, in this order: the status block writable, the
 * offset and the lock key readable (copied to *off and *lock_key when given), the event an
 * event, the file not a directory. */
static NTSTATUS check_rw_args(const nt_file *f, HANDLE event, IO_STATUS_BLOCK *io,
                              const LARGE_INTEGER *offset, const uint32_t *key,
                              LARGE_INTEGER *off, uint32_t *lock_key)
{
    if (!nt_probe_write(io, sizeof *io))
        return STATUS_ACCESS_VIOLATION;
    if (offset && nt_copy_from_user(off, offset, sizeof *off) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (key && nt_copy_from_user(lock_key, key, sizeof *lock_key) != 0)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = check_io_event(event);
    if (st != STATUS_SUCCESS)
        return st;
    return f->is_dir ? STATUS_INVALID_DEVICE_REQUEST : STATUS_SUCCESS;
}

static bool is_pipe_fd(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

NTSTATUS NTAPI NtReadFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                          void *buffer, uint32_t length, LARGE_INTEGER *offset, uint32_t *key)
{
    nt_file *f;
    LARGE_INTEGER off = {.QuadPart = NT_FILE_USE_FILE_POINTER_POSITION};
    ssize_t n;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t lock_key = 0; /* the byte-range lock key the read is made with (filelock.c) */
    if ((st = check_rw_args(f, event, io, offset, key, &off, &lock_key)) != STATUS_SUCCESS)
        goto release;
    if (!(nt_handle_granted(h, f->access) & FILE_READ_DATA) || nt_file_ext_of(f)->is_path_only) {
        st = STATUS_ACCESS_DENIED;
        goto release;
    }
    if (off.QuadPart < 0 && off.QuadPart != NT_FILE_USE_FILE_POINTER_POSITION) {
        st = STATUS_INVALID_PARAMETER;
        goto release;
    }
    /* The whole buffer first, as Windows' ProbeForWrite: a length beyond the caller's memory
     * fails before anything is read (read(2) would consume the data it cannot store). */
    if (!nt_probe_write(buffer, length)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    /* a range another file object locks (filelock.c; regular files only: they have a share
     * record, see share.c) */
    if (nt_file_has_ranges(nt_file_ext_of(f)) &&
        (st = nt_file_lock_check(f, off.QuadPart, length, false, lock_key)) != STATUS_SUCCESS)
        goto release;
    NTSTATUS (*console_read)(int, void *, size_t, size_t *) = nt_console_reader();
    if (nt_console_is_input(f) && console_read) { /* the console's input buffer (console.c) */
        size_t got = 0;
        st = console_read(f->fd, buffer, length, &got);
        st = put_io(io, st, got);
        nt_console_input_was_read(f->fd);
        goto release;
    }
    if (nt_file_ext_of(f)->pipe &&
        nt_pipe_goes_async(f, false, event || apc || apc_ctx)) { /* overlapped (pipe.c) */
        nt_async_notify an = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        st = nt_pipe_read_async(f, &an, buffer, length);
        goto release;
    }
    if (nt_file_ext_of(f)->pipe) { /* a named pipe: its state, message mode (pipe.c) */
        size_t got = 0;
        st = nt_pipe_read(f, buffer, length, &got);
        if (st != STATUS_MORE_PROCESSING_REQUIRED) {
            st = put_io(io, st, got);
            goto release;
        }
        off.QuadPart = NT_FILE_USE_FILE_POINTER_POSITION;
        st = STATUS_SUCCESS;
    } else if (!(f->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))) {
        nt_async_notify an = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        st = nt_file_rw_async(f, false, &an, buffer, length, off.QuadPart);
        goto release;
    }
    do {
        if (off.QuadPart >= 0) {
            n = pread(f->fd, buffer, length, off.QuadPart);
            if (n < 0 && errno == ESPIPE) { /* pipes and terminals have no position */
                off.QuadPart = NT_FILE_USE_FILE_POINTER_POSITION;
                n = -1, errno = EINTR;
            }
        } else {
            n = read(f->fd, buffer, length);
        }
        /* A blocking read (a pipe, a terminal) is a wait point: TerminateThread, ExitProcess on
         * another thread or the host's TerminateProcess interrupt it with a signal, and the
         * thread ends here instead of reading on. A request that lands just before read()
         * is repeated by the requester until the thread has gone. */
        if (n < 0 && errno == EINTR && rt_thread_pending()) {
            nt_object_release(&f->hdr);
            rt_thread_check_pending(); /* does not return while the request stands */
            if ((st = nt_file_get(h, &f)) != STATUS_SUCCESS)
                return st;
        }
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        st = nt_status_from_errno(errno);
        goto release;
    }
    if (off.QuadPart >= 0 && n > 0) /* synchronous files: the position follows the read */
        lseek(f->fd, off.QuadPart + n, SEEK_SET);
    if (n == 0 && length > 0)
        st = nt_file_ext_of(f)->pipe ? nt_pipe_eof_status(f) /* disconnected or broken */
             : is_pipe_fd(f->fd)     ? STATUS_PIPE_BROKEN
                                     : STATUS_END_OF_FILE;
    st = put_io(io, st, (ULONG_PTR)n);
    if (nt_console_is_input(f))
        nt_console_input_was_read(f->fd); /* the pending-input event looks again (console.c) */
release:
    nt_object_release(&f->hdr);
    return st;
}

/* pwrite (offset >= 0) or write everything; bytes written, or -1 with errno when nothing was. */
static ssize_t write_all(int fd, const void *buffer, size_t length, int64_t offset)
{
    size_t done = 0;
    rt_lazy_fill(buffer, length); /* the kernel does not fault pages in for us (runtime/lazy.c) */
    while (done < length) {
        ssize_t n = offset >= 0 ? pwrite(fd, (const char *)buffer + done, length - done,
                                         offset + (int64_t)done)
                                : write(fd, (const char *)buffer + done, length - done);
        if (n < 0 && errno == ESPIPE && offset >= 0) {
            offset = -1;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return done ? (ssize_t)done : -1;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

NTSTATUS NTAPI NtWriteFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                           const void *buffer, uint32_t length, LARGE_INTEGER *offset,
                           uint32_t *key)
{
    nt_file *f;
    nt_file_ext *fx;
    LARGE_INTEGER off = {.QuadPart = NT_FILE_USE_FILE_POINTER_POSITION};
    ssize_t n = 0;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    fx = nt_file_ext_of(f);
    uint32_t lock_key = 0; /* the byte-range lock key the write is made with (filelock.c) */
    if ((st = check_rw_args(f, event, io, offset, key, &off, &lock_key)) != STATUS_SUCCESS)
        goto release;
    if (!wants_data_write(nt_handle_granted(h, f->access)) || fx->is_path_only) {
        st = STATUS_ACCESS_DENIED;
        goto release;
    }
    if (off.QuadPart < 0 && off.QuadPart != NT_FILE_USE_FILE_POINTER_POSITION &&
        off.QuadPart != NT_FILE_WRITE_TO_END_OF_FILE) {
        st = STATUS_INVALID_PARAMETER;
        goto release;
    }
    /* The whole buffer must be the caller's readable memory: a length past its end fails with
     * nothing written instead of writing what write(2) finds beyond it up to a hole. */
    if (!nt_probe_read(buffer, length)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    if (nt_file_has_ranges(fx) && off.QuadPart != NT_FILE_WRITE_TO_END_OF_FILE &&
        (st = nt_file_lock_check(f, off.QuadPart, length, true, lock_key)) != STATUS_SUCCESS)
        goto release; /* a range locked by another file object, or shared-locked (filelock.c) */
    if (nt_file_has_ranges(fx) && off.QuadPart == NT_FILE_WRITE_TO_END_OF_FILE) {
        struct stat end;
        if (fstat(f->fd, &end) == 0 &&
            (st = nt_file_lock_check(f, end.st_size, length, true, lock_key)) != STATUS_SUCCESS)
            goto release;
    }
    if (fx->pipe && nt_pipe_goes_async(f, true, event || apc || apc_ctx)) { /* overlapped */
        nt_async_notify an = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        st = nt_file_rw_async(f, true, &an, (void *)buffer, length,
                              NT_FILE_USE_FILE_POINTER_POSITION);
        goto release;
    }
    if (fx->pipe) { /* a named pipe: its state, messages, no SIGPIPE (pipe.c) */
        size_t done = 0;
        st = nt_pipe_write(f, buffer, length, &done);
        st = put_io(io, st, done);
        goto release;
    }
    if (!(f->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) && !f->append &&
        off.QuadPart != NT_FILE_WRITE_TO_END_OF_FILE) {
        nt_async_notify an = {.iosb = io, .event = event, .apc = apc, .apc_ctx = apc_ctx};
        st = nt_file_rw_async(f, true, &an, (void *)buffer, length, off.QuadPart);
        goto release;
    }
    if (length == 0) /* nothing is written, nothing changes */
        goto done;
    if (f->console == NT_CONSOLE_OUTPUT) { /* the console's output mode (kernel32's filter) */
        size_t flen = 0;
        char *shown = nt_console_filter(f->fd, buffer, length, &flen);
        if (shown) {
            ssize_t k = write_all(f->fd, shown, flen, -1);
            int err = errno;
            free(shown);
            if (k < 0) {
                st = err == EPIPE ? STATUS_PIPE_CLOSING : nt_status_from_errno(err);
                goto release;
            }
            n = (size_t)k == flen ? (ssize_t)length : 0; /* short: none of the caller's known */
            if (n > 0)
                nt_console_output_text(f->fd, buffer, (size_t)n);
            goto done;
        }
    }
    if (f->append) {
        n = write_all(f->fd, buffer, length, -1); /* O_APPEND: always at the end */
    } else if (off.QuadPart == NT_FILE_WRITE_TO_END_OF_FILE) {
        pthread_mutex_lock(&fx->lock);
        off_t end = lseek(f->fd, 0, SEEK_END);
        n = write_all(f->fd, buffer, length, end < 0 ? -1 : end);
        if (n > 0 && end >= 0)
            lseek(f->fd, end + n, SEEK_SET);
        pthread_mutex_unlock(&fx->lock);
    } else if (off.QuadPart >= 0) {
        n = write_all(f->fd, buffer, length, off.QuadPart);
        if (n > 0)
            lseek(f->fd, off.QuadPart + n, SEEK_SET);
    } else {
        n = write_all(f->fd, buffer, length, -1);
    }
    if (n < 0) { /* EPIPE: the reader has gone (SIGPIPE is ignored): ERROR_NO_DATA */
        st = errno == EPIPE ? STATUS_PIPE_CLOSING : nt_status_from_errno(errno);
        goto release;
    }
    if (f->console == NT_CONSOLE_OUTPUT && n > 0)
        nt_console_output_text(f->fd, buffer, (size_t)n); /* the screen follows (console.c) */
    else if (f->console && n > 0)
        nt_console_output_written(); /* the cursor has moved (console.c) */
done:
    st = put_io(io, STATUS_SUCCESS, (ULONG_PTR)n);
release:
    nt_object_release(&f->hdr);
    return st;
}

/* FLUSH_FLAGS_* of NtFlushBuffersFileEx */
#define NT_FLUSH_FILE_DATA_ONLY 0x1      /* the data, not the metadata: fdatasync */
#define NT_FLUSH_NO_SYNC 0x2             /* to the device's cache only: nothing to do here */
#define NT_FLUSH_FILE_DATA_SYNC_ONLY 0x4 /* the data and what is needed to read it: fdatasync */

static NTSTATUS flush_file(HANDLE h, ULONG flags, IO_STATUS_BLOCK *io)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    int r = 0;
    if (!nt_probe_write(io, sizeof *io)) {
        st = STATUS_ACCESS_VIOLATION;
    } else if (!wants_data_write(f->access) && !f->is_dir) {
        st = STATUS_ACCESS_DENIED;
    } else if (nt_pipe_is_named(f)) {
        st = nt_pipe_flush(f); /* until the other end has read it all */
        if (st == STATUS_SUCCESS)
            st = put_io(io, STATUS_SUCCESS, 0);
    } else {
        if (!(flags & NT_FLUSH_NO_SYNC))
            r = flags ? fdatasync(f->fd) : fsync(f->fd);
        if (r != 0 && errno != EINVAL && errno != EROFS && errno != EBADF)
            st = nt_status_from_errno(errno); /* pipes and terminals have nothing to flush */
        else
            st = put_io(io, STATUS_SUCCESS, 0);
    }
    nt_object_release(&f->hdr);
    return st;
}

NTSTATUS NTAPI NtFlushBuffersFile(HANDLE h, IO_STATUS_BLOCK *io)
{
    return flush_file(h, 0, io);
}

/* Windows 8's form with flags (PostgreSQL's fdatasync: FLUSH_FLAGS_FILE_DATA_SYNC_ONLY): the
 * parameters are reserved (NULL and 0), so any is STATUS_INVALID_PARAMETER, as is an unknown
 * flag. */
NTSTATUS NTAPI NtFlushBuffersFileEx(HANDLE h, ULONG flags, void *params, ULONG params_size,
                                    IO_STATUS_BLOCK *io)
{
    if ((flags & ~(ULONG)(NT_FLUSH_FILE_DATA_ONLY | NT_FLUSH_NO_SYNC |
                          NT_FLUSH_FILE_DATA_SYNC_ONLY)) ||
        params || params_size)
        return STATUS_INVALID_PARAMETER;
    return flush_file(h, flags, io);
}

/* ---- NtQueryInformationFile ---- */

/* The DOS name without its drive ("\dir\file") as FileNameInformation reports it: malloc'd
 * UTF-16 and its length in WCHARs. The devices without a file system answer no name query:
 * NUL STATUS_INVALID_PARAMETER (ReactOS's apitest kernel32/GetFinalPathNameByHandle.c, written
 * against Windows, gets ERROR_INVALID_PARAMETER for \Device\Null, and Windows' kernelbase asks
 * this class before any other), the console (ConDrv) and sockets (AFD)
 * STATUS_INVALID_DEVICE_REQUEST, the I/O manager's answer for a driver without a routine for the
 * request (inferred: their ObjectNameInformation is the bare device name, which the I/O
 * manager gives when the driver's name query fails; the status itself is not confirmed). A
 * pipe made without a name (CreatePipe, NtCreateNamedPipeFile of an empty name under
 * \Device\NamedPipe\, as Windows 7 and later make anonymous pipes) is "\", the pipe file
 * system's root (inferred, not confirmed). */
static NTSTATUS file_name_w(nt_file *f, WCHAR **out, size_t *len)
{
    WCHAR *name = NULL;
    const char *dev = nt_file_device_name(f);
    if (dev)
        return strcmp(dev, "\\Device\\Null") ? STATUS_INVALID_DEVICE_REQUEST
                                               : STATUS_INVALID_PARAMETER;
    nt_file_ext *fx = nt_file_ext_of(f);
    pthread_mutex_lock(&fx->lock);
    if (f->nt_name) {
        size_t n = nt_wcslen(f->nt_name);
        name = malloc((n + 1) * sizeof *name);
        if (name)
            memcpy(name, f->nt_name, (n + 1) * sizeof *name);
    }
    pthread_mutex_unlock(&fx->lock);
    if (!name && nt_file_is_pipe_end(f)) {
        name = malloc(2 * sizeof *name);
        if (!name)
            return STATUS_NO_MEMORY;
        name[0] = u'\\';
        name[1] = 0;
        *out = name;
        *len = 1;
        return STATUS_SUCCESS;
    }
    if (!name && !f->unix_path) {
        char link[64], target[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", f->fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0 || target[0] != '/')
            return STATUS_INVALID_PARAMETER; /* a pipe or socket has no file name */
        target[n] = 0;
        name = nt_path_from_unix(target);
    }
    if (!name)
        return STATUS_NO_MEMORY;
    size_t n = nt_wcslen(name);
    if (n >= 2 && name[1] == ':') { /* drop "C:" */
        memmove(name, name + 2, (n - 1) * sizeof *name);
        n -= 2;
    }
    *out = name;
    *len = n;
    return STATUS_SUCCESS;
}

/* Writes FILE_NAME_INFORMATION at buf+off within len bytes; STATUS_BUFFER_OVERFLOW when the
 * name is cut. *used: bytes filled. */
static NTSTATUS put_name(nt_file *f, uint8_t *buf, size_t off, size_t len, size_t *used)
{
    WCHAR *name;
    size_t n;
    NTSTATUS st = file_name_w(f, &name, &n);
    if (st != STATUS_SUCCESS)
        return st;
    size_t bytes = n * sizeof(WCHAR), room = len - off - 4, copy = bytes < room ? bytes : room;
    put32(buf, off, (uint32_t)bytes);
    memcpy(buf + off + 4, name, copy);
    free(name);
    *used = off + 4 + copy;
    return copy < bytes ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static void put_standard(uint8_t *p, const nt_stat *s, nt_file *f)
{
    bool dir = S_ISDIR(s->mode);
    put64(p, 0x00, dir ? 0 : (int64_t)s->alloc);
    put64(p, 0x08, dir ? 0 : (int64_t)s->size);
    put32(p, 0x10, dir ? 1 : s->nlink);
    p[0x14] = f->delete_on_close;
    p[0x15] = dir;
}

/* Fills `buf` (len bytes, zeroed) for class klass; *used = bytes to copy out. */
static NTSTATUS query_class(nt_file *f, uint32_t klass, uint8_t *buf, size_t len, size_t *used)
{
    static const struct { uint32_t klass; uint32_t size; uint32_t access; } fixed[] = {
        {FileBasicInformation, sizeof(FILE_BASIC_INFORMATION), FILE_READ_ATTRIBUTES},
        {FileStandardInformation, sizeof(FILE_STANDARD_INFORMATION), 0},
        {NT_FileInternalInformation, 8, 0},
        {NT_FileEaInformation, 4, 0},
        {NT_FileAccessInformation, 4, 0},
        {FileNameInformation, 8, 0},
        {FilePositionInformation, 8, 0},
        {NT_FileModeInformation, 4, 0},
        {NT_FileAlignmentInformation, 4, 0},
        {FileAllInformation, NT_ALL_MIN_SIZE, FILE_READ_ATTRIBUTES},
        {FileNetworkOpenInformation, sizeof(nt_network_open_info), FILE_READ_ATTRIBUTES},
        {FileAttributeTagInformation, 8, FILE_READ_ATTRIBUTES},
        {NT_FileCompressionInformation, 16, 0},
    };
    size_t i;
    nt_stat s;
    if (klass >= 23 && klass <= 25) /* FilePipeInformation .. FilePipeRemoteInformation */
        return nt_pipe_query_class(f, klass, buf, len, used);
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i].klass == klass)
            break;
    if (i == sizeof fixed / sizeof fixed[0])
        return klass == 0 || klass >= NT_FileMaximumInformation ? STATUS_INVALID_INFO_CLASS
                                                                 : STATUS_NOT_IMPLEMENTED;
    if (len < fixed[i].size)
        return STATUS_INFO_LENGTH_MISMATCH;
    if ((f->access & fixed[i].access) != fixed[i].access)
        return STATUS_ACCESS_DENIED;
    *used = fixed[i].size;
    int err = nt_stat_at(f->fd, "", AT_EMPTY_PATH, &s);
    if (err)
        return nt_status_from_errno(-err);
    const char *name = base_name(f->unix_path);
    off_t pos = f->is_dir ? 0 : lseek(f->fd, 0, SEEK_CUR);
    if (pos < 0)
        pos = 0;
    uint32_t mode = f->options & (FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY |
                                  NT_FILE_NO_INTERMEDIATE_BUFFERING | FILE_SYNCHRONOUS_IO_ALERT |
                                  FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE);
    switch (klass) {
    case FileBasicInformation:
        fill_basic((FILE_BASIC_INFORMATION *)buf, &s, name);
        return STATUS_SUCCESS;
    case FileStandardInformation:
        put_standard(buf, &s, f);
        return STATUS_SUCCESS;
    case NT_FileInternalInformation:
        put64(buf, 0, (int64_t)s.ino);
        return STATUS_SUCCESS;
    case NT_FileEaInformation:
    case NT_FileAlignmentInformation: /* FILE_BYTE_ALIGNMENT */
        return STATUS_SUCCESS;
    case NT_FileAccessInformation:
        put32(buf, 0, f->access);
        return STATUS_SUCCESS;
    case FileNameInformation:
        return put_name(f, buf, 0, len, used);
    case FilePositionInformation:
        put64(buf, 0, pos);
        return STATUS_SUCCESS;
    case NT_FileModeInformation:
        put32(buf, 0, mode);
        return STATUS_SUCCESS;
    case FileAllInformation: {
        FILE_BASIC_INFORMATION b;
        fill_basic(&b, &s, name);
        memcpy(buf + NT_ALL_BASIC, &b, sizeof b);
        put_standard(buf + NT_ALL_STANDARD, &s, f);
        put64(buf, NT_ALL_INTERNAL, (int64_t)s.ino);
        put32(buf, NT_ALL_ACCESS, f->access);
        put64(buf, NT_ALL_POSITION, pos);
        put32(buf, NT_ALL_MODE, mode);
        NTSTATUS st = put_name(f, buf, NT_ALL_NAME, len, used);
        if (st == STATUS_INVALID_DEVICE_REQUEST || st == STATUS_INVALID_PARAMETER)
            st = STATUS_SUCCESS; /* a device's record without a name (not confirmed) */
        if (*used < NT_ALL_MIN_SIZE)
            *used = NT_ALL_MIN_SIZE;
        return st;
    }
    case FileNetworkOpenInformation: {
        nt_network_open_info n = {0};
        n.CreationTime.QuadPart = s.creation;
        n.LastAccessTime.QuadPart = s.access;
        n.LastWriteTime.QuadPart = s.write;
        n.ChangeTime.QuadPart = s.change;
        n.AllocationSize.QuadPart = S_ISDIR(s.mode) ? 0 : (int64_t)s.alloc;
        n.EndOfFile.QuadPart = S_ISDIR(s.mode) ? 0 : (int64_t)s.size;
        n.FileAttributes = nt_file_attributes(&s, name);
        memcpy(buf, &n, sizeof n);
        return STATUS_SUCCESS;
    }
    case FileAttributeTagInformation:
        put32(buf, 0, nt_file_attributes(&s, name));
        put32(buf, 4, s.reparse_tag);
        return STATUS_SUCCESS;
    case NT_FileCompressionInformation:
        /* FILE_COMPRESSION_INFORMATION of a file that is not compressed: CompressionFormat
         * COMPRESSION_FORMAT_NONE and no unit, chunk or cluster shift (0x08..0x0c zero), and as
         * CompressedFileSize the size on disk, which is the file's size unless it is sparse
         * (fewer blocks than bytes), as GetCompressedFileSize says; 0 for a directory */
        put64(buf, 0, S_ISDIR(s.mode) ? 0 : (int64_t)(s.alloc < s.size ? s.alloc : s.size));
        return STATUS_SUCCESS;
    }
    return STATUS_NOT_IMPLEMENTED;
}

/* The access the I/O manager checks before a query (Windows' IopQueryOperationAccess): the
 * attribute-bearing classes want FILE_READ_ATTRIBUTES, the rest nothing. */
static uint32_t query_class_access(uint32_t klass)
{
    switch (klass) {
    case FileBasicInformation:
    case 18: /* FileAllInformation */
    case 23: /* FilePipeInformation */
    case 24: /* FilePipeLocalInformation */
    case 25: /* FilePipeRemoteInformation */
    case 34: /* FileNetworkOpenInformation */
    case 35: /* FileAttributeTagInformation */
        return FILE_READ_ATTRIBUTES;
    default: return 0;
    }
}

NTSTATUS NTAPI NtQueryInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                      uint32_t klass)
{
    nt_file *f;
    uint8_t *buf = NULL;
    size_t used = 0;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if ((st = nt_handle_access(h, &f->hdr, query_class_access(klass))) != STATUS_SUCCESS)
        goto release;
    /* The whole buffer, before anything is written (Windows' ProbeForWrite): one that runs
     * into a page it cannot write gets nothing. */
    if (!nt_probe_write(io, sizeof *io) || !nt_probe_write(info, len)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    buf = calloc(1, len ? len : 1);
    if (!buf) {
        st = STATUS_NO_MEMORY;
        goto release;
    }
    st = query_class(f, klass, buf, len, &used);
    if (st == STATUS_SUCCESS || st == STATUS_BUFFER_OVERFLOW) {
        if (nt_copy_to_user(info, buf, used) != 0)
            st = STATUS_ACCESS_VIOLATION;
        else
            st = put_io(io, st, used);
    }
    free(buf);
release:
    nt_object_release(&f->hdr);
    return st;
}

/* ---- NtSetInformationFile ---- */
static NTSTATUS set_basic(nt_file *f, const FILE_BASIC_INFORMATION *b)
{
    struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_nsec = UTIME_OMIT}};
    int err = 0;
    if (!(f->access & FILE_WRITE_ATTRIBUTES))
        return STATUS_ACCESS_DENIED;
    /* 0: leave alone; -1 and -2: stop/resume automatic updates (not emulated) */
    if (b->LastAccessTime.QuadPart > 0)
        times[0] = nt_timespec_from_time(b->LastAccessTime.QuadPart);
    if (b->LastWriteTime.QuadPart > 0)
        times[1] = nt_timespec_from_time(b->LastWriteTime.QuadPart);
    if (times[0].tv_nsec != UTIME_OMIT || times[1].tv_nsec != UTIME_OMIT) {
        if (f->unix_path ? utimensat(AT_FDCWD, f->unix_path, times, 0) != 0
                         : futimens(f->fd, times) != 0)
            err = errno;
    }
    if (!err && b->FileAttributes) {
        nt_stat s;
        int e = nt_stat_at(f->fd, "", AT_EMPTY_PATH, &s);
        if (e)
            return nt_status_from_errno(-e);
        mode_t mode = s.mode & 07777;
        if (b->FileAttributes & FILE_ATTRIBUTE_READONLY)
            mode &= ~(mode_t)0222;
        else if (!(mode & S_IWUSR))
            mode |= S_IWUSR;
        if (mode != (s.mode & 07777) && !S_ISDIR(s.mode)) {
            if (f->unix_path ? chmod(f->unix_path, mode) != 0 : fchmod(f->fd, mode) != 0)
                err = errno;
        }
    }
    return err ? nt_status_from_errno(err) : STATUS_SUCCESS;
}

static NTSTATUS set_disposition(nt_file *f, bool del, bool ignore_readonly)
{
    nt_stat s;
    if (!(f->access & DELETE))
        return STATUS_ACCESS_DENIED;
    struct stat ls;
    if (del && f->unix_path && lstat(f->unix_path, &ls) == 0 && S_ISLNK(ls.st_mode)) {
        f->delete_on_close = true; /* a symbolic link (MKLINK, MKLINK /D /J): the link goes */
        return STATUS_SUCCESS;
    }
    if (del) {
        if (!f->unix_path)
            return STATUS_CANNOT_DELETE;
        int e = nt_stat_at(f->fd, "", AT_EMPTY_PATH, &s);
        if (e)
            return nt_status_from_errno(-e);
        if (!ignore_readonly && !S_ISDIR(s.mode) && !(s.mode & S_IWUSR))
            return STATUS_CANNOT_DELETE;
        if (S_ISDIR(s.mode) && s.nlink > 2)
            return STATUS_DIRECTORY_NOT_EMPTY;
        if (S_ISDIR(s.mode)) { /* files do not raise nlink: look */
            int dfd = openat(f->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
            struct dirent *de;
            bool empty = true;
            while (d && (de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                    empty = false;
            if (d)
                closedir(d);
            else if (dfd >= 0)
                close(dfd);
            if (!empty)
                return STATUS_DIRECTORY_NOT_EMPTY;
        }
    }
    f->delete_on_close = del;
    return STATUS_SUCCESS;
}

/* The Linux path of a rename or link target named by FILE_RENAME_INFORMATION. */
static NTSTATUS rename_target(nt_file *f, HANDLE root, const char *name, char **out)
{
    if (root)
        return resolve_with_root(root, name, out);
    if (!strpbrk(name, "\\/")) { /* a bare name: in the file's own directory */
        char *dir = strdup(f->unix_path), *slash = dir ? strrchr(dir, '/') : NULL;
        NTSTATUS st;
        if (!dir)
            return STATUS_NO_MEMORY;
        if (slash == dir)
            slash[1] = 0;
        else if (slash)
            *slash = 0;
        st = nt_path_resolve_under(dir, name, NT_PATH_STRICT, out);
        free(dir);
        return st;
    }
    return nt_path_to_unix_ex(name, NT_PATH_STRICT, out);
}

static NTSTATUS set_rename(nt_file *f, const uint8_t *buf, size_t len, uint32_t klass)
{
    uint32_t flags, name_len;
    HANDLE root;
    char *name = NULL, *target = NULL;
    struct stat src_st, dst_st;
    bool link_only = klass == NT_FileLinkInformation, replace;
    NTSTATUS st;
    nt_file_ext *fx = nt_file_ext_of(f);

    if (len < NT_RENAME_MIN_SIZE)
        return STATUS_INFO_LENGTH_MISMATCH;
    memcpy(&flags, buf + NT_RENAME_FLAGS, 4);
    memcpy(&root, buf + NT_RENAME_ROOT, sizeof root);
    memcpy(&name_len, buf + NT_RENAME_NAMELEN, 4);
    if (klass == NT_FileRenameInformationEx)
        replace = flags & NT_FILE_RENAME_REPLACE_IF_EXISTS;
    else
        replace = (flags & 0xff) != 0; /* BOOLEAN ReplaceIfExists */
    if ((size_t)name_len + NT_RENAME_NAME > len || !name_len || (name_len & 1))
        return STATUS_INVALID_PARAMETER;
    if (!link_only && !(f->access & DELETE))
        return STATUS_ACCESS_DENIED;
    if (!f->unix_path)
        return STATUS_INVALID_PARAMETER;
    WCHAR *w = malloc(name_len);
    if (!w)
        return STATUS_NO_MEMORY;
    memcpy(w, buf + NT_RENAME_NAME, name_len);
    name = nt_utf16_to_utf8(w, name_len / 2, NULL);
    free(w);
    if (!name)
        return STATUS_NO_MEMORY;
    st = rename_target(f, root, name, &target);
    if (st != STATUS_SUCCESS)
        goto free_name;

    pthread_mutex_lock(&fx->lock);
    if (lstat(f->unix_path, &src_st) != 0) {
        st = nt_status_from_errno(errno);
        goto unlock;
    }
    if (lstat(target, &dst_st) == 0) {
        if (dst_st.st_dev == src_st.st_dev && dst_st.st_ino == src_st.st_ino) {
            /* The case-insensitive lookup found the file itself: a change of case. Use the
             * last component exactly as given. */
            char *slash = strrchr(target, '/');
            const char *given = name + strlen(name);
            while (given > name && given[-1] != '\\' && given[-1] != '/')
                given--;
            size_t dir_len = slash ? (size_t)(slash - target) : 0;
            char *t = malloc(dir_len + strlen(given) + 2);
            if (!t) {
                st = STATUS_NO_MEMORY;
                goto unlock;
            }
            sprintf(t, "%.*s/%s", (int)dir_len, target, given);
            free(target);
            target = t;
            if (link_only) {
                st = STATUS_OBJECT_NAME_COLLISION;
                goto unlock;
            }
        } else {
            if (!replace) {
                st = STATUS_OBJECT_NAME_COLLISION;
                goto unlock;
            }
            if (S_ISDIR(dst_st.st_mode) || S_ISDIR(src_st.st_mode) ||
                (!(dst_st.st_mode & S_IWUSR) &&
                 !(klass == NT_FileRenameInformationEx && (flags & NT_FILE_RENAME_IGNORE_READONLY)))) {
                st = STATUS_ACCESS_DENIED;
                goto unlock;
            }
            if (link_only && unlink(target) != 0) {
                st = nt_status_from_errno(errno);
                goto unlock;
            }
        }
    } else if (errno != ENOENT) {
        st = nt_status_from_path_errno(errno, false);
        goto unlock;
    }
    if (link_only) {
        if (link(f->unix_path, target) != 0)
            st = nt_status_from_errno(errno);
        goto unlock;
    }
    if (rename(f->unix_path, target) != 0) {
        st = nt_status_from_errno(errno);
        goto unlock;
    }
    free(f->unix_path);
    free(f->nt_name);
    f->unix_path = target;
    f->nt_name = nt_path_from_unix(target);
    target = NULL;
unlock:
    pthread_mutex_unlock(&fx->lock);
free_name:
    free(target);
    free(name);
    return st;
}

static NTSTATUS set_class(nt_file *f, uint32_t klass, const uint8_t *buf, size_t len)
{
    int64_t v;
    switch (klass) {
    case FileBasicInformation:
        if (len < sizeof(FILE_BASIC_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        return set_basic(f, (const FILE_BASIC_INFORMATION *)buf);
    case FilePositionInformation:
        if (len < 8)
            return STATUS_INFO_LENGTH_MISMATCH;
        memcpy(&v, buf, 8);
        if (v < 0)
            return STATUS_INVALID_PARAMETER;
        if (!f->is_dir && lseek(f->fd, v, SEEK_SET) < 0 && errno != ESPIPE)
            return nt_status_from_errno(errno);
        return STATUS_SUCCESS;
    case FileEndOfFileInformation:
    case NT_FileAllocationInformation: {
        struct stat st;
        if (len < 8)
            return STATUS_INFO_LENGTH_MISMATCH;
        memcpy(&v, buf, 8);
        if (!(f->access & FILE_WRITE_DATA) || nt_file_ext_of(f)->is_path_only)
            return STATUS_ACCESS_DENIED;
        if (v < 0 || f->is_dir)
            return STATUS_INVALID_PARAMETER;
        if (klass == NT_FileAllocationInformation &&
            (fstat(f->fd, &st) != 0 || v >= (int64_t)st.st_size))
            return STATUS_SUCCESS; /* growing the allocation does not change the size */
        if (ftruncate(f->fd, v) != 0)
            return nt_status_from_errno(errno);
        return STATUS_SUCCESS;
    }
    case FileDispositionInformation:
        if (len < 1)
            return STATUS_INFO_LENGTH_MISMATCH;
        return set_disposition(f, buf[0] != 0, false);
    case NT_FileDispositionInformationEx: {
        uint32_t fl;
        if (len < 4)
            return STATUS_INFO_LENGTH_MISMATCH;
        memcpy(&fl, buf, 4);
        return set_disposition(f, fl & NT_FILE_DISPOSITION_DELETE,
                               fl & NT_FILE_DISPOSITION_IGNORE_READONLY);
    }
    case FileRenameInformation:
    case NT_FileRenameInformationEx:
    case NT_FileLinkInformation:
        return set_rename(f, buf, len, klass);
    case NT_FileModeInformation:
        return len < 4 ? STATUS_INFO_LENGTH_MISMATCH : STATUS_SUCCESS;
    }
    return klass == 0 || klass >= NT_FileMaximumInformation ? STATUS_INVALID_INFO_CLASS
                                                             : STATUS_NOT_IMPLEMENTED;
}

/* The access the I/O manager checks before setting a class (Windows' IopSetOperationAccess). */
static uint32_t set_class_access(uint32_t klass)
{
    switch (klass) {
    case FileBasicInformation:
    case 23: /* FilePipeInformation */
        return FILE_WRITE_ATTRIBUTES;
    case FileRenameInformation:
    case NT_FileRenameInformationEx:
    case FileDispositionInformation:
    case NT_FileDispositionInformationEx:
    case 40: /* FileShortNameInformation */
        return DELETE;
    case NT_FileAllocationInformation:
    case FileEndOfFileInformation:
    case 39: /* FileValidDataLengthInformation */
        return FILE_WRITE_DATA;
    default: return 0;
    }
}

NTSTATUS NTAPI NtSetInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                    uint32_t klass)
{
    nt_file *f;
    uint8_t *buf = NULL;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if ((st = nt_handle_access(h, &f->hdr, set_class_access(klass))) != STATUS_SUCCESS)
        goto release;
    if (!nt_probe_write(io, sizeof *io)) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    buf = malloc(len ? len : 1);
    if (!buf) {
        st = STATUS_NO_MEMORY;
        goto release;
    }
    if (nt_copy_from_user(buf, info, len) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto free_buf;
    }
    if (klass == 30 || klass == 41 || klass == 61) /* completion port binding, notify modes */
        st = nt_async_set_info(f, klass, buf, len);
    else if (klass == 23) /* FilePipeInformation */
        st = nt_pipe_set_class(f, buf, len);
    else
        st = set_class(f, klass, buf, len);
    if (st == STATUS_SUCCESS)
        st = put_io(io, STATUS_SUCCESS, 0);
free_buf:
    free(buf);
release:
    nt_object_release(&f->hdr);
    return st;
}

/* ---- operations by name ---- */
NTSTATUS NTAPI NtDeleteFile(OBJECT_ATTRIBUTES *attr)
{
    char *path;
    struct stat st;
    NTSTATUS status = nt_attr_to_unix(attr, &path);
    if (status != STATUS_SUCCESS)
        return status;
    if (lstat(path, &st) != 0)
        status = nt_status_from_path_errno(errno, false);
    else if (S_ISDIR(st.st_mode))
        status = rmdir(path) == 0 ? STATUS_SUCCESS : nt_status_from_errno(errno);
    else if (S_ISREG(st.st_mode) && !(st.st_mode & S_IWUSR))
        status = STATUS_CANNOT_DELETE;
    else
        status = unlink(path) == 0 ? STATUS_SUCCESS : nt_status_from_errno(errno);
    free(path);
    return status;
}

NTSTATUS NTAPI NtQueryAttributesFile(OBJECT_ATTRIBUTES *attr, FILE_BASIC_INFORMATION *info)
{
    char *path;
    nt_stat s;
    FILE_BASIC_INFORMATION b;
    NTSTATUS status;
    if (!nt_probe_write(info, sizeof *info))
        return STATUS_ACCESS_VIOLATION;
    status = nt_attr_to_unix(attr, &path);
    if (status != STATUS_SUCCESS)
        return status;
    /* a symbolic link: the link's own attributes (a reparse point), as Windows gives them */
    int err = nt_stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &s);
    if (err) {
        status = nt_status_from_path_errno(-err, false);
    } else {
        fill_basic(&b, &s, base_name(path));
        if (nt_copy_to_user(info, &b, sizeof b) != 0)
            status = STATUS_ACCESS_VIOLATION;
    }
    free(path);
    return status;
}

/* FILE_NETWORK_OPEN_INFORMATION by name: NtQueryAttributesFile plus sizes. */
NTSTATUS NTAPI NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *attr, void *info)
{
    char *path;
    nt_stat s;
    NTSTATUS status;
    if (!nt_probe_write(info, sizeof(nt_network_open_info)))
        return STATUS_ACCESS_VIOLATION;
    status = nt_attr_to_unix(attr, &path);
    if (status != STATUS_SUCCESS)
        return status;
    int err = nt_stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &s); /* a link: itself */
    if (err) {
        status = nt_status_from_path_errno(-err, false);
    } else {
        nt_network_open_info n = {0};
        n.CreationTime.QuadPart = s.creation;
        n.LastAccessTime.QuadPart = s.access;
        n.LastWriteTime.QuadPart = s.write;
        n.ChangeTime.QuadPart = s.change;
        bool empty = S_ISDIR(s.mode) || S_ISLNK(s.mode);
        n.AllocationSize.QuadPart = empty ? 0 : (int64_t)s.alloc;
        n.EndOfFile.QuadPart = empty ? 0 : (int64_t)s.size;
        n.FileAttributes = nt_file_attributes(&s, base_name(path));
        if (nt_copy_to_user(info, &n, sizeof n) != 0)
            status = STATUS_ACCESS_VIOLATION;
    }
    free(path);
    return status;
}
