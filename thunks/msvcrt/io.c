/* SPDX-License-Identifier: MIT */
/* msvcrt's low-level I/O: the table of CRT file descriptors, each an NT file HANDLE plus
 * msvcrt's per-fd flags (_osfile: text/binary, append, ^Z seen, pipe, device), and the exports
 * built on it: _open/_sopen/_creat, _read/_write with msvcrt's text-mode translation, _lseek,
 * _close, _dup/_dup2, _setmode, _isatty, _eof, _chsize, _commit, _get_osfhandle,
 * _open_osfhandle, the _stat/_fstat family (msvcrt's x64 layouts), _access, _unlink/remove,
 * rename, _mkdir/_rmdir, _getcwd/_chdir/_getdrive, _umask and the _fmode data export.
 *
 * Like msvcrt, fds 0, 1 and 2 always exist: they wrap the standard handles of the process
 * parameters (taken on first use, once the PEB has them) and are open in text mode even when a
 * standard handle is missing. Text mode: _write turns LF into CR LF and returns the caller's
 * count; _read turns CR LF into LF (a CR at the end of what was read looks at the next byte:
 * on a file it seeks back, on a pipe or device it keeps the byte for the next read), and a ^Z
 * ends the data (on a file for good, until the next seek). Everything goes through ntemu's
 * Nt* entry points; paths become "\??\X:\..." names through nt_path_to_unix_a and
 * nt_path_from_unix, so that a name is resolved (case, "..", drives) as Win32 resolves it. */
#include <emmintrin.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"

#define CRT_MAX_FDS 2048
#define CRT_CTRLZ 0x1a
#define CRT_FILE_RANDOM_ACCESS 0x00000800
#define CRT_SEEK_SET 0
#define CRT_SEEK_CUR 1
#define CRT_SEEK_END 2

/* _stat st_mode bits (msvcrt) */
#define CRT_S_IFMT   0xF000
#define CRT_S_IFDIR  0x4000
#define CRT_S_IFCHR  0x2000
#define CRT_S_IFIFO  0x1000
#define CRT_S_IFREG  0x8000
#define CRT_S_IREAD  0x0100
#define CRT_S_IWRITE 0x0080
#define CRT_S_IEXEC  0x0040

int32_t crt_fmode; /* 0: text, as msvcrt starts */
THK_EXPORT_DATA(msvcrt, _fmode, &crt_fmode);
static int32_t crt_umask_value;

typedef struct crt_fdinfo {
    HANDLE handle;
    uint8_t flags;         /* CRT_FDF_* */
    char pipech;           /* look-ahead byte of a text read on a pipe or device; LF: none
                              (set when the fd opens: a closed entry's is 0) */
    bool console;          /* a terminal: the device kind a console is */
    pthread_mutex_t lock;  /* held during I/O on the fd; taken after crt_fd_table_lock */
} crt_fdinfo;

/* Lock order: crt_fd_table_lock, then an entry's lock. The OPEN bit of an entry changes only
 * with both held; the other flag bits change with the entry's lock held. */
/* All zero (.bss, PTHREAD_MUTEX_INITIALIZER is zeros): 112 KB that were initialised data, the
 * first page of which a start wrote after the dynamic linker's read of .dynamic had mapped it
 * read-only (a copy and a TLB flush); a fresh page's first write is neither. */
static crt_fdinfo crt_fds[CRT_MAX_FDS];
static pthread_mutex_t crt_fd_table_lock = PTHREAD_MUTEX_INITIALIZER;
/* 0: nothing yet; 1: fds 0-2 reserved without handles; 2: the standard handles are in */
static int crt_fd_std_state;

/* FILE_RENAME_INFORMATION */
typedef struct {
    BOOLEAN ReplaceIfExists; /* 0x00 */
    uint8_t pad[7];
    HANDLE RootDirectory;    /* 0x08 */
    uint32_t FileNameLength; /* 0x10, bytes */
    WCHAR FileName[1];       /* 0x14 */
} crt_rename_info;
_Static_assert(offsetof(crt_rename_info, FileName) == 0x14, "FILE_RENAME_INFORMATION.FileName");

/* ---- errors ---- */

/* errno `e` with _doserrno 0, as msvcrt sets it for errors it finds itself. */
static int crt_io_fail(int e)
{
    crt_set_errno(e);
    *crt_doserrno_ptr() = 0;
    return -1;
}

/* errno and _doserrno from an NTSTATUS (msvcrt's _dosmaperr of the Win32 error). */
static int crt_io_fail_status(NTSTATUS st)
{
    crt_set_errno(crt_errno_from_status(st));
    return -1;
}

/* What msvcrt's _read and _write do with ERROR_ACCESS_DENIED: EBADF, _doserrno 5. */
static int crt_io_fail_rw(NTSTATUS st)
{
    if (st == STATUS_ACCESS_DENIED) {
        crt_set_errno(CRT_EBADF);
        *crt_doserrno_ptr() = ERROR_ACCESS_DENIED;
        return -1;
    }
    return crt_io_fail_status(st);
}

/* ---- paths ---- */

/* "\??\X:\dir\name" for a resolved Linux path, in a malloc'd UNICODE_STRING buffer. */
static NTSTATUS crt_nt_name_from_unix(const char *unix_path, UNICODE_STRING *us)
{
    static const WCHAR prefix[] = u"\\??\\";
    WCHAR *dos = nt_path_from_unix(unix_path);
    if (!dos)
        return STATUS_NO_MEMORY;
    size_t len = nt_wcslen(dos);
    bool has_prefix =
        len >= 4 && dos[0] == '\\' && dos[1] == '?' && dos[2] == '?' && dos[3] == '\\';
    size_t total = len + (has_prefix ? 0 : 4);
    if (total * sizeof(WCHAR) > 0xfffc) {
        free(dos);
        return STATUS_NAME_TOO_LONG;
    }
    WCHAR *buf = malloc((total + 1) * sizeof(WCHAR));
    if (!buf) {
        free(dos);
        return STATUS_NO_MEMORY;
    }
    size_t pos = 0;
    if (!has_prefix) {
        memcpy(buf, prefix, 4 * sizeof(WCHAR));
        pos = 4;
    }
    memcpy(buf + pos, dos, (len + 1) * sizeof(WCHAR));
    free(dos);
    us->Buffer = buf;
    us->Length = (uint16_t)(total * sizeof(WCHAR));
    us->MaximumLength = (uint16_t)((total + 1) * sizeof(WCHAR));
    us->pad = 0;
    return STATUS_SUCCESS;
}

/* The NT name of a Windows path given in the ANSI code page (UTF-8). */
static NTSTATUS crt_nt_name(const char *path, UNICODE_STRING *us)
{
    if (!*path)
        return STATUS_OBJECT_PATH_NOT_FOUND; /* CreateFile(""): ERROR_PATH_NOT_FOUND */
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix_a(path, &unix_path);
    if (!NT_SUCCESS(st))
        return st;
    st = crt_nt_name_from_unix(unix_path, us);
    free(unix_path);
    return st;
}

static void crt_init_attr(OBJECT_ATTRIBUTES *attr, UNICODE_STRING *name)
{
    memset(attr, 0, sizeof *attr);
    attr->Length = sizeof *attr;
    attr->ObjectName = name;
    attr->Attributes = OBJ_CASE_INSENSITIVE;
}

/* NtOpenFile of a path with all sharing allowed. */
static NTSTATUS crt_open_path(const char *path, uint32_t access, uint32_t options, HANDLE *h)
{
    UNICODE_STRING name;
    NTSTATUS st = crt_nt_name(path, &name);
    if (!NT_SUCCESS(st))
        return st;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    crt_init_attr(&attr, &name);
    st = NtOpenFile(h, access | SYNCHRONIZE, &attr, &io,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    options | FILE_SYNCHRONOUS_IO_NONALERT);
    free(name.Buffer);
    return st;
}

/* UTF-16 argument of a _w function -> malloc'd UTF-8; NULL stays NULL. *ok false on failure. */
static char *crt_path_from_wide(const WCHAR *w, bool *ok)
{
    *ok = true;
    if (!w)
        return NULL;
    char *s = nt_utf16_to_utf8(w, nt_wcslen(w), NULL);
    if (!s) {
        *ok = false;
        crt_io_fail(CRT_ENOMEM);
    }
    return s;
}

/* ---- the fd table ---- */

/* What a handle is, as GetFileType tells msvcrt: FDF_DEV (character device), FDF_PIPE, or 0;
 * *console (may be NULL) says whether the device is a terminal. */
static uint8_t crt_handle_kind_ex(HANDLE h, bool *console)
{
    nt_file *f;
    if (console)
        *console = false;
    if (!h || h == INVALID_HANDLE_VALUE || !NT_SUCCESS(nt_file_get(h, &f)))
        return 0;
    uint8_t kind = 0;
    struct stat st;
    /* a standard stream's type as kernel32's handle found it (no second fstat and ioctl) */
    mode_t fmt = nt_file_fmt(f);
    if (!fmt && f->fd >= 0 && fstat(f->fd, &st) == 0)
        fmt = st.st_mode & S_IFMT;
    if (S_ISCHR(fmt)) {
        kind = CRT_FDF_DEV;
        if (console)
            *console = nt_file_isatty(f);
    } else if (S_ISFIFO(fmt) || S_ISSOCK(fmt)) {
        kind = CRT_FDF_PIPE;
    }
    nt_object_release(&f->hdr);
    return kind;
}

static uint8_t crt_handle_kind(HANDLE h) { return crt_handle_kind_ex(h, NULL); }

/* The process parameters' field for standard fd 0-2 (what SetStdHandle changes), or NULL. */
static HANDLE *crt_std_handle_slot(int fd)
{
    RTL_USER_PROCESS_PARAMETERS *pp = rt_proc.peb ? rt_proc.peb->ProcessParameters : NULL;
    if (!pp)
        return NULL;
    switch (fd) {
    case 0: return &pp->StandardInput;
    case 1: return &pp->StandardOutput;
    case 2: return &pp->StandardError;
    default: return NULL;
    }
}

/* fds 0-2: msvcrt's _ioinit. Each is open in text mode; without a standard handle it is a
 * "device" with no handle, so that I/O on it fails with EBADF. */
static void crt_fd_init_std(void)
{
    if (__atomic_load_n(&crt_fd_std_state, __ATOMIC_ACQUIRE) == 2)
        return;
    pthread_mutex_lock(&crt_fd_table_lock);
    if (crt_fd_std_state == 0) {
        /* The table's first entries written before anything reads them (pthread_mutex_lock
         * reads the mutex's kind first): a fresh page, not the zero page's mapping and then
         * its copy and TLB flush at the lock's write; made present by one call rather than
         * by that write's fault (docs/performance.md, twenty-third pass; best effort). */
        uintptr_t first = (uintptr_t)&crt_fds[0] & ~(uintptr_t)0xfff;
        madvise((void *)first, ((uintptr_t)&crt_fds[3] - first + 0xfff) & ~(uintptr_t)0xfff,
                MADV_POPULATE_WRITE);
        __atomic_store_n(&crt_fds[0].pipech, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&crt_fds[2].pipech, 0, __ATOMIC_RELAXED);
        for (int i = 0; i < 3; i++) {
            crt_fdinfo *fi = &crt_fds[i];
            pthread_mutex_lock(&fi->lock);
            if (!(fi->flags & CRT_FDF_OPEN)) {
                fi->handle = INVALID_HANDLE_VALUE;
                fi->flags = CRT_FDF_OPEN | CRT_FDF_TEXT | CRT_FDF_DEV;
                fi->pipech = '\n';
            }
            pthread_mutex_unlock(&fi->lock);
        }
        crt_fd_std_state = 1;
    }
    if (crt_fd_std_state == 1 && rt_proc.peb && rt_proc.peb->ProcessParameters) {
        for (int i = 0; i < 3; i++) {
            crt_fdinfo *fi = &crt_fds[i];
            HANDLE h = *crt_std_handle_slot(i);
            pthread_mutex_lock(&fi->lock);
            if (fi->handle == INVALID_HANDLE_VALUE &&
                fi->flags == (CRT_FDF_OPEN | CRT_FDF_TEXT | CRT_FDF_DEV) && h &&
                h != INVALID_HANDLE_VALUE) {
                fi->handle = h;
                fi->flags = CRT_FDF_OPEN | CRT_FDF_TEXT | crt_handle_kind_ex(h, &fi->console);
            }
            pthread_mutex_unlock(&fi->lock);
        }
        __atomic_store_n(&crt_fd_std_state, 2, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&crt_fd_table_lock);
}

/* Locks fd's entry when the fd is open; NULL with errno EBADF otherwise. */
static crt_fdinfo *crt_fd_lock(int fd)
{
    crt_fd_init_std();
    if (fd < 0 || fd >= CRT_MAX_FDS) {
        crt_io_fail(CRT_EBADF);
        return NULL;
    }
    crt_fdinfo *fi = &crt_fds[fd];
    pthread_mutex_lock(&fi->lock);
    if (!(fi->flags & CRT_FDF_OPEN)) {
        pthread_mutex_unlock(&fi->lock);
        crt_io_fail(CRT_EBADF);
        return NULL;
    }
    return fi;
}

static void crt_fd_unlock(crt_fdinfo *fi) { pthread_mutex_unlock(&fi->lock); }

/* Puts `h` in the lowest free fd with flags `fdf` (CRT_FDF_*, OPEN implied). -1, EMFILE. */
static int crt_fd_install(HANDLE h, uint8_t fdf)
{
    crt_fd_init_std();
    pthread_mutex_lock(&crt_fd_table_lock);
    int fd = -1;
    for (int i = 0; i < CRT_MAX_FDS && fd < 0; i++) {
        crt_fdinfo *fi = &crt_fds[i];
        /* The OPEN bit changes only under the table lock, so an open fd is skipped without
         * waiting for its lock (another thread may be blocked reading it). */
        if (__atomic_load_n(&fi->flags, __ATOMIC_RELAXED) & CRT_FDF_OPEN)
            continue;
        pthread_mutex_lock(&fi->lock);
        if (!(fi->flags & CRT_FDF_OPEN)) {
            fi->handle = h;
            fi->flags = fdf | CRT_FDF_OPEN;
            fi->pipech = '\n';
            if (fdf & CRT_FDF_DEV)
                crt_handle_kind_ex(h, &fi->console);
            else
                fi->console = false;
            fd = i;
            HANDLE *slot = crt_std_handle_slot(i);
            if (slot) /* msvcrt's _set_osfhnd: SetStdHandle for fds 0-2 */
                *slot = h;
        }
        pthread_mutex_unlock(&fi->lock);
    }
    pthread_mutex_unlock(&crt_fd_table_lock);
    if (fd < 0)
        crt_io_fail(CRT_EMFILE);
    return fd;
}

/* CRT_FDF_* for a new fd from _O_* flags: text unless binary (_fmode decides when neither). */
static uint8_t crt_fdf_from_oflag(HANDLE h, int oflag)
{
    uint8_t fdf = crt_handle_kind(h);
    bool text;
    if (oflag & CRT_O_BINARY)
        text = false;
    else if (oflag & CRT_O_TEXT)
        text = true;
    else
        text = !(crt_fmode & CRT_O_BINARY);
    if (text)
        fdf |= CRT_FDF_TEXT;
    if ((oflag & CRT_O_APPEND) && !(fdf & (CRT_FDF_DEV | CRT_FDF_PIPE)))
        fdf |= CRT_FDF_APPEND;
    if (oflag & CRT_O_NOINHERIT)
        fdf |= CRT_FDF_NOINHERIT;
    return fdf;
}

int crt_fd_alloc(HANDLE h, int flags)
{
    return crt_fd_install(h, crt_fdf_from_oflag(h, flags));
}

HANDLE crt_fd_handle(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return INVALID_HANDLE_VALUE;
    HANDLE h = fi->handle;
    crt_fd_unlock(fi);
    return h;
}

uint32_t crt_fd_flags(int fd)
{
    crt_fd_init_std();
    if (fd < 0 || fd >= CRT_MAX_FDS)
        return 0;
    return __atomic_load_n(&crt_fds[fd].flags, __ATOMIC_RELAXED);
}

int crt_fd_is_text(int fd) { return (crt_fd_flags(fd) & CRT_FDF_TEXT) != 0; }

bool crt_fd_is_console(int fd)
{
    return (crt_fd_flags(fd) & CRT_FDF_DEV) &&
           __atomic_load_n(&crt_fds[fd].console, __ATOMIC_RELAXED);
}

/* ---- raw I/O on a locked fd ---- */

/* Bytes read from the handle; 0 at the end (also a broken pipe, as ReadFile reports it). */
static NTSTATUS crt_handle_read(HANDLE h, void *buf, uint32_t n, uint32_t *got)
{
    IO_STATUS_BLOCK io = {0};
    *got = 0;
    if (h == INVALID_HANDLE_VALUE)
        return STATUS_INVALID_HANDLE;
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &io, buf, n, NULL, NULL);
    if (st == STATUS_END_OF_FILE || st == STATUS_PIPE_BROKEN)
        return STATUS_SUCCESS;
    if (NT_SUCCESS(st))
        *got = (uint32_t)io.Information;
    return st;
}

static NTSTATUS crt_handle_write(HANDLE h, const void *buf, uint32_t n, uint32_t *put)
{
    IO_STATUS_BLOCK io = {0};
    *put = 0;
    if (h == INVALID_HANDLE_VALUE)
        return STATUS_INVALID_HANDLE;
    NTSTATUS st = NtWriteFile(h, NULL, NULL, NULL, &io, buf, n, NULL, NULL);
    if (NT_SUCCESS(st))
        *put = (uint32_t)io.Information;
    return st;
}

/* Moves the file position; `limit` is the largest result allowed (32-bit _lseek). Returns the
 * new position or -1 with errno set. A successful seek forgets a ^Z seen by a text read. */
static int64_t crt_seek_locked(crt_fdinfo *fi, int64_t offset, int whence, int64_t limit)
{
    IO_STATUS_BLOCK io;
    int64_t base;
    NTSTATUS st;
    if (fi->handle == INVALID_HANDLE_VALUE)
        return crt_io_fail_status(STATUS_INVALID_HANDLE);
    switch (whence) {
    case CRT_SEEK_SET:
        base = 0;
        break;
    case CRT_SEEK_CUR: {
        FILE_POSITION_INFORMATION pos;
        st = NtQueryInformationFile(fi->handle, &io, &pos, sizeof pos, FilePositionInformation);
        if (!NT_SUCCESS(st))
            return crt_io_fail_status(st);
        base = pos.CurrentByteOffset.QuadPart;
        break;
    }
    case CRT_SEEK_END: {
        FILE_STANDARD_INFORMATION std;
        st = NtQueryInformationFile(fi->handle, &io, &std, sizeof std, FileStandardInformation);
        if (!NT_SUCCESS(st))
            return crt_io_fail_status(st);
        base = std.EndOfFile.QuadPart;
        break;
    }
    default:
        return crt_io_fail(CRT_EINVAL);
    }
    if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) {
        crt_set_errno(CRT_EINVAL); /* SetFilePointer: ERROR_NEGATIVE_SEEK */
        *crt_doserrno_ptr() = ERROR_NEGATIVE_SEEK;
        return -1;
    }
    if (base + offset > limit)
        return crt_io_fail(CRT_EINVAL);
    FILE_POSITION_INFORMATION pos = {{.QuadPart = base + offset}};
    st = NtSetInformationFile(fi->handle, &io, &pos, sizeof pos, FilePositionInformation);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    fi->flags &= ~CRT_FDF_EOF;
    return base + offset;
}

/* Text-mode reads: the run from `in` up to the next CR or Ctrl-Z (or end) moved down to *out
 * (*out <= in) in one pass, 16 bytes a step (SSE2: loaded, compared with both, stored whole
 * when neither is in them — the store ends at or before the step's own last byte, so it never
 * overwrites bytes not yet read), the bytes before the first one found a byte at a time.
 * Returns where the run stopped. (Lua reading a file line by line: a memchr for CR, one for
 * Ctrl-Z and a memmove per ~50-byte line were 1.4% of its 50 MB run; a byte at a time, 4%.) */
static char *crt_crlf_run(char *in, const char *end, char **out)
{
    char *o = *out;
    const __m128i cr = _mm_set1_epi8('\r'), cz = _mm_set1_epi8(CRT_CTRLZ);
    while (end - in >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)in);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, cz)));
        if (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            for (unsigned i = 0; i < k; i++)
                o[i] = in[i];
            *out = o + k;
            return in + k;
        }
        _mm_storeu_si128((__m128i *)(void *)o, v);
        in += 16;
        o += 16;
    }
    while (in < end && *in != '\r' && *in != CRT_CTRLZ)
        *o++ = *in++;
    *out = o;
    return in;
}

/* msvcrt's _read on a locked fd. */
static int crt_read_locked(crt_fdinfo *fi, char *buf, unsigned n, int64_t *raw)
{
    *raw = 0;
    if (n == 0 || (fi->flags & CRT_FDF_EOF))
        return 0;
    char *p = buf;
    unsigned left = n;
    if ((fi->flags & (CRT_FDF_PIPE | CRT_FDF_DEV)) && fi->pipech != '\n') {
        *p++ = fi->pipech;
        fi->pipech = '\n';
        left--;
    }
    uint32_t got = 0;
    NTSTATUS st = crt_handle_read(fi->handle, p, left, &got);
    if (!NT_SUCCESS(st))
        return crt_io_fail_rw(st);
    *raw = got;
    char *end = p + got;
    if (!(fi->flags & CRT_FDF_TEXT))
        return (int)(end - buf);

    if (got && *p == '\n')
        fi->flags |= CRT_FDF_CRLF;
    else
        fi->flags &= ~CRT_FDF_CRLF;
    char *in = buf, *out = buf;
    while (in < end) {
        in = crt_crlf_run(in, end, &out);
        if (in == end)
            break;
        if (*in == CRT_CTRLZ) {
            if (!(fi->flags & CRT_FDF_DEV))
                fi->flags |= CRT_FDF_EOF;
            break;
        }
        if (in + 1 < end) {
            if (in[1] == '\n') {
                in += 2;
                *out++ = '\n';
            } else {
                *out++ = *in++;
            }
            continue;
        }
        /* The CR is the last byte read: what follows decides. */
        in++;
        char next;
        uint32_t one = 0;
        st = crt_handle_read(fi->handle, &next, 1, &one);
        if (!NT_SUCCESS(st) || one == 0) {
            *out++ = '\r';
        } else if (fi->flags & (CRT_FDF_DEV | CRT_FDF_PIPE)) {
            *raw += 1;
            if (next == '\n') {
                *out++ = '\n';
            } else {
                *out++ = '\r';
                fi->pipech = next;
            }
        } else if (out == buf && next == '\n') {
            *raw += 1;
            *out++ = '\n';
        } else {
            /* Give the byte back; the LF of a CR LF then starts the next read. */
            uint8_t keep = fi->flags & CRT_FDF_EOF;
            crt_seek_locked(fi, -1, CRT_SEEK_CUR, INT64_MAX);
            fi->flags |= keep;
            if (next != '\n')
                *out++ = '\r';
        }
    }
    return (int)(out - buf);
}

/* Source bytes of a text-mode write whose translation fills `put` output bytes. */
static unsigned crt_text_consumed(const char *src, unsigned n, uint32_t put)
{
    unsigned i = 0;
    while (i < n && put > 0) {
        unsigned need = src[i] == '\n' ? 2 : 1;
        if (put < need)
            break;
        put -= need;
        i++;
    }
    return i;
}

/* Text mode's LF -> CR LF into dst (room bytes): src's bytes copied 16 at a time while both
 * sides have room, each chunk's first LF found in the same pass (SSE2 compare and mask), an LF
 * only with room for its CR. *took: the source bytes consumed; returns the bytes put in dst.
 * (Lua writing a file line by line: memchr and memcpy per run between LFs were two calls per
 * ~50-byte line.) */
static unsigned crt_lf_to_crlf(char *dst, size_t room, const char *src, size_t avail,
                               unsigned *took)
{
    size_t i = 0, o = 0;
    const __m128i lf = _mm_set1_epi8('\n');
    while (avail - i >= 16 && room - o >= 17) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        _mm_storeu_si128((__m128i *)(void *)(dst + o), v);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        if (!m) {
            i += 16;
            o += 16;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctz(m); /* bytes after it are stored again later */
        dst[o + k] = '\r';
        dst[o + k + 1] = '\n';
        i += k + 1;
        o += k + 2;
    }
    while (i < avail && o < room) {
        char c = src[i];
        if (c == '\n') {
            if (room - o < 2)
                break;
            dst[o++] = '\r';
        }
        dst[o++] = c;
        i++;
    }
    *took = (unsigned)i;
    return (unsigned)o;
}

/* msvcrt's _write on a locked fd: the count of the caller's bytes written. */
static int crt_write_locked(crt_fdinfo *fi, const char *buf, unsigned n)
{
    if (n == 0)
        return 0;
    if (fi->flags & CRT_FDF_APPEND) {
        uint8_t keep = fi->flags & CRT_FDF_EOF;
        crt_seek_locked(fi, 0, CRT_SEEK_END, INT64_MAX);
        fi->flags |= keep;
    }
    NTSTATUS st = STATUS_SUCCESS;
    uint64_t done = 0; /* caller's bytes written */
    if (!(fi->flags & CRT_FDF_TEXT)) {
        uint32_t put = 0;
        st = crt_handle_write(fi->handle, buf, n, &put);
        done = put;
    } else {
        /* One system call for a full stream buffer (4 KB) of ordinary text: its LFs become
         * CR LF in a buffer with room for them (a 1 KB buffer made five writes of it). */
        char tmp[5 * 1024];
        while (done < n) {
            const char *src = buf + done;
            unsigned take = 0;
            unsigned len = crt_lf_to_crlf(tmp, sizeof tmp, src, n - done, &take);
            uint32_t put = 0;
            st = crt_handle_write(fi->handle, tmp, len, &put);
            if (!NT_SUCCESS(st))
                break;
            if (put < len) {
                done += crt_text_consumed(src, take, put);
                break;
            }
            done += take;
        }
    }
    if (done)
        return (int)done;
    if (!NT_SUCCESS(st))
        return crt_io_fail_rw(st);
    if ((fi->flags & CRT_FDF_DEV) && *buf == CRT_CTRLZ)
        return 0;
    return crt_io_fail(CRT_ENOSPC);
}

int crt_fd_read(int fd, void *buf, unsigned n, int64_t *raw)
{
    int64_t dummy;
    if (!raw)
        raw = &dummy;
    *raw = 0;
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int r;
    if (n > INT_MAX || !buf)
        r = crt_io_fail(CRT_EINVAL);
    else
        r = crt_read_locked(fi, buf, n, raw);
    crt_fd_unlock(fi);
    return r;
}

int crt_fd_write(int fd, const void *buf, unsigned n)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int r;
    if (n > INT_MAX || (!buf && n))
        r = crt_io_fail(CRT_EINVAL);
    else
        r = crt_write_locked(fi, buf, n);
    crt_fd_unlock(fi);
    return r;
}

int64_t crt_fd_seek(int fd, int64_t offset, int whence)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int64_t r = crt_seek_locked(fi, offset, whence, INT64_MAX);
    crt_fd_unlock(fi);
    return r;
}

int64_t crt_fd_read_raw(int fd, void *buf, size_t n)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    uint32_t got = 0;
    NTSTATUS st = crt_handle_read(fi->handle, buf, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n, &got);
    crt_fd_unlock(fi);
    if (!NT_SUCCESS(st))
        return crt_io_fail_rw(st);
    return got;
}

int64_t crt_fd_write_raw(int fd, const void *buf, size_t n)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    uint32_t put = 0;
    uint32_t len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    NTSTATUS st = crt_handle_write(fi->handle, buf, len, &put);
    crt_fd_unlock(fi);
    if (!NT_SUCCESS(st))
        return crt_io_fail_rw(st);
    return put;
}

/* ---- _close, _open ---- */

int crt_fd_close(int fd)
{
    crt_fd_init_std();
    if (fd < 0 || fd >= CRT_MAX_FDS)
        return crt_io_fail(CRT_EBADF);
    pthread_mutex_lock(&crt_fd_table_lock);
    crt_fdinfo *fi = &crt_fds[fd];
    pthread_mutex_lock(&fi->lock);
    int r = 0;
    if (!(fi->flags & CRT_FDF_OPEN)) {
        r = crt_io_fail(CRT_EBADF);
        goto unlock;
    }
    HANDLE h = fi->handle;
    /* msvcrt keeps the handle when fds 1 and 2 share it (a console). */
    bool shared = (fd == 1 || fd == 2) && (crt_fds[3 - fd].flags & CRT_FDF_OPEN) &&
                  crt_fds[3 - fd].handle == h;
    if (h != INVALID_HANDLE_VALUE && !shared) {
        NTSTATUS st = NtClose(h);
        if (!NT_SUCCESS(st))
            r = crt_io_fail_status(st);
    }
    HANDLE *slot = crt_std_handle_slot(fd);
    if (slot) /* _free_osfhnd: SetStdHandle(..., NULL) */
        *slot = NULL;
    fi->handle = NULL;
    fi->flags = 0;
    fi->pipech = '\n';
unlock:
    pthread_mutex_unlock(&fi->lock);
    pthread_mutex_unlock(&crt_fd_table_lock);
    return r;
}

/* msvcrt's _sopen removes a ^Z that ends a file opened for text read/write, so that appends
 * are not hidden behind it. */
static int crt_strip_ctrlz(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int r = 0;
    int64_t last = crt_seek_locked(fi, -1, CRT_SEEK_END, INT64_MAX);
    if (last >= 0) {
        char c = 0;
        uint32_t got = 0;
        if (NT_SUCCESS(crt_handle_read(fi->handle, &c, 1, &got)) && got == 1 && c == CRT_CTRLZ) {
            IO_STATUS_BLOCK io;
            FILE_END_OF_FILE_INFORMATION eof = {{.QuadPart = last}};
            NTSTATUS st = NtSetInformationFile(fi->handle, &io, &eof, sizeof eof,
                                               FileEndOfFileInformation);
            if (!NT_SUCCESS(st))
                r = crt_io_fail_status(st);
        }
    }
    if (r == 0 && crt_seek_locked(fi, 0, CRT_SEEK_SET, INT64_MAX) < 0)
        r = -1;
    crt_fd_unlock(fi);
    return r;
}

int crt_fd_open(const char *path, int oflag, int shflag, int pmode)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    uint32_t access;
    switch (oflag & (CRT_O_WRONLY | CRT_O_RDWR)) {
    case CRT_O_RDONLY: access = GENERIC_READ; break;
    case CRT_O_WRONLY: access = GENERIC_WRITE; break;
    case CRT_O_RDWR: access = GENERIC_READ | GENERIC_WRITE; break;
    default: return crt_io_fail(CRT_EINVAL);
    }
    uint32_t sharing;
    switch (shflag) {
    case CRT_SH_DENYRW: sharing = 0; break;
    case CRT_SH_DENYWR: sharing = FILE_SHARE_READ; break;
    case CRT_SH_DENYRD: sharing = FILE_SHARE_WRITE; break;
    case CRT_SH_DENYNO: sharing = FILE_SHARE_READ | FILE_SHARE_WRITE; break;
    default: return crt_io_fail(CRT_EINVAL);
    }
    uint32_t disposition;
    switch (oflag & (CRT_O_CREAT | CRT_O_EXCL | CRT_O_TRUNC)) {
    case CRT_O_CREAT: disposition = FILE_OPEN_IF; break;
    case CRT_O_CREAT | CRT_O_TRUNC: disposition = FILE_OVERWRITE_IF; break;
    case CRT_O_CREAT | CRT_O_EXCL:
    case CRT_O_CREAT | CRT_O_EXCL | CRT_O_TRUNC: disposition = FILE_CREATE; break;
    case CRT_O_TRUNC:
    case CRT_O_TRUNC | CRT_O_EXCL: disposition = FILE_OVERWRITE; break;
    default: disposition = FILE_OPEN; break;
    }
    uint32_t attributes = FILE_ATTRIBUTE_NORMAL;
    if ((oflag & CRT_O_CREAT) && !((pmode & ~crt_umask_value) & CRT_S_IWRITE))
        attributes = FILE_ATTRIBUTE_READONLY;
    uint32_t options = FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE;
    if (oflag & CRT_O_TEMPORARY) {
        options |= FILE_DELETE_ON_CLOSE;
        access |= DELETE;
        sharing |= FILE_SHARE_DELETE;
    }
    if (oflag & CRT_O_SEQUENTIAL)
        options |= FILE_SEQUENTIAL_ONLY;
    else if (oflag & CRT_O_RANDOM)
        options |= CRT_FILE_RANDOM_ACCESS;
    access |= SYNCHRONIZE | FILE_READ_ATTRIBUTES;

    UNICODE_STRING name;
    NTSTATUS st = crt_nt_name(path, &name);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    crt_init_attr(&attr, &name);
    st = NtCreateFile(&h, access, &attr, &io, NULL, attributes, sharing, disposition, options,
                      NULL, 0);
    free(name.Buffer);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    int fd = crt_fd_alloc(h, oflag);
    if (fd < 0) {
        NtClose(h);
        return -1;
    }
    uint32_t fdf = crt_fd_flags(fd);
    if ((fdf & (CRT_FDF_DEV | CRT_FDF_PIPE | CRT_FDF_TEXT)) == CRT_FDF_TEXT &&
        (oflag & CRT_O_RDWR) && crt_strip_ctrlz(fd) < 0) {
        crt_fd_close(fd);
        return -1;
    }
    return fd;
}

/* ---- exports: open/close/read/write/seek ---- */

/* The _open family's optional third (or fourth) argument, read only with _O_CREAT as the CRT does:
 * without it the caller may not have passed one. */
#define CRT_OPEN_PMODE(pmode, oflag, last)                                                         \
    do {                                                                                           \
        if ((oflag) & CRT_O_CREAT) {                                                               \
            __builtin_ms_va_list ap_;                                                              \
            __builtin_ms_va_start(ap_, last);                                                      \
            (pmode) = __builtin_va_arg(ap_, int);                                                  \
            __builtin_ms_va_end(ap_);                                                              \
        }                                                                                          \
    } while (0)

static int WINAPI msvcrt__open(const char *path, int oflag, ...)
{
    int pmode = 0;
    CRT_OPEN_PMODE(pmode, oflag, oflag);
    return crt_fd_open(path, oflag, CRT_SH_DENYNO, pmode);
}
THK_EXPORT_AS(msvcrt, _open, msvcrt__open, THK_VARIADIC);

static int WINAPI msvcrt__sopen(const char *path, int oflag, int shflag, ...)
{
    int pmode = 0;
    CRT_OPEN_PMODE(pmode, oflag, shflag);
    return crt_fd_open(path, oflag, shflag, pmode);
}
THK_EXPORT_AS(msvcrt, _sopen, msvcrt__sopen, THK_VARIADIC);

static int crt_wopen(const WCHAR *path, int oflag, int shflag, int pmode)
{
    bool ok;
    char *a = crt_path_from_wide(path, &ok);
    if (!ok)
        return -1;
    int r = crt_fd_open(a, oflag, shflag, pmode);
    free(a);
    return r;
}

static int WINAPI msvcrt__wopen(const WCHAR *path, int oflag, ...)
{
    int pmode = 0;
    CRT_OPEN_PMODE(pmode, oflag, oflag);
    return crt_wopen(path, oflag, CRT_SH_DENYNO, pmode);
}
THK_EXPORT_AS(msvcrt, _wopen, msvcrt__wopen, THK_VARIADIC);

static int WINAPI msvcrt__wsopen(const WCHAR *path, int oflag, int shflag, ...)
{
    int pmode = 0;
    CRT_OPEN_PMODE(pmode, oflag, shflag);
    return crt_wopen(path, oflag, shflag, pmode);
}
THK_EXPORT_AS(msvcrt, _wsopen, msvcrt__wsopen, THK_VARIADIC);

/* The _s forms: the fd through *pfh, an errno value back. (Other pmode bits than _S_IREAD and
 * _S_IWRITE are ignored, as Wine's msvcrt does.) */
static int crt_sopen_s(int *pfh, const char *path, const WCHAR *wpath, int oflag, int shflag,
                       int pmode)
{
    if (!pfh || (!path && !wpath)) {
        if (pfh)
            *pfh = -1;
        crt_io_fail(CRT_EINVAL);
        return CRT_EINVAL;
    }
    *pfh = path ? crt_fd_open(path, oflag, shflag, pmode) : crt_wopen(wpath, oflag, shflag, pmode);
    return *pfh < 0 ? *crt_errno_ptr() : 0;
}

static int WINAPI msvcrt__sopen_s(int *pfh, const char *path, int oflag, int shflag, int pmode)
{
    return crt_sopen_s(pfh, path, NULL, oflag, shflag, pmode);
}
THK_EXPORT_AS(msvcrt, _sopen_s, msvcrt__sopen_s, 5);

static int WINAPI msvcrt__wsopen_s(int *pfh, const WCHAR *path, int oflag, int shflag,
                                   int pmode)
{
    return crt_sopen_s(pfh, NULL, path, oflag, shflag, pmode);
}
THK_EXPORT_AS(msvcrt, _wsopen_s, msvcrt__wsopen_s, 5);

static int WINAPI msvcrt__creat(const char *path, int pmode)
{
    return crt_fd_open(path, CRT_O_CREAT | CRT_O_TRUNC | CRT_O_RDWR, CRT_SH_DENYNO, pmode);
}
THK_EXPORT_AS(msvcrt, _creat, msvcrt__creat, 2);

static int WINAPI msvcrt__wcreat(const WCHAR *path, int pmode)
{
    return crt_wopen(path, CRT_O_CREAT | CRT_O_TRUNC | CRT_O_RDWR, CRT_SH_DENYNO, pmode);
}
THK_EXPORT_AS(msvcrt, _wcreat, msvcrt__wcreat, 2);

static int WINAPI msvcrt__close(int fd) { return crt_fd_close(fd); }
THK_EXPORT_AS(msvcrt, _close, msvcrt__close, 1);

static int WINAPI msvcrt__read(int fd, void *buf, unsigned n)
{
    return crt_fd_read(fd, buf, n, NULL);
}
THK_EXPORT_AS(msvcrt, _read, msvcrt__read, 3);

static int WINAPI msvcrt__write(int fd, const void *buf, unsigned n)
{
    return crt_fd_write(fd, buf, n);
}
THK_EXPORT_AS(msvcrt, _write, msvcrt__write, 3);

static int32_t WINAPI msvcrt__lseek(int fd, int32_t offset, int whence)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int64_t r = crt_seek_locked(fi, offset, whence, INT32_MAX);
    crt_fd_unlock(fi);
    return (int32_t)r;
}
THK_EXPORT_AS(msvcrt, _lseek, msvcrt__lseek, 3);

static int64_t WINAPI msvcrt__lseeki64(int fd, int64_t offset, int whence)
{
    return crt_fd_seek(fd, offset, whence);
}
THK_EXPORT_AS(msvcrt, _lseeki64, msvcrt__lseeki64, 3);

static int32_t WINAPI msvcrt__tell(int fd) { return msvcrt__lseek(fd, 0, CRT_SEEK_CUR); }
THK_EXPORT_AS(msvcrt, _tell, msvcrt__tell, 1);

static int64_t WINAPI msvcrt__telli64(int fd) { return crt_fd_seek(fd, 0, CRT_SEEK_CUR); }
THK_EXPORT_AS(msvcrt, _telli64, msvcrt__telli64, 1);

/* 1 at the end of the file, 0 before it (the position is kept), -1 on error. */
static int WINAPI msvcrt__eof(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int r = -1;
    int64_t here = crt_seek_locked(fi, 0, CRT_SEEK_CUR, INT64_MAX);
    if (here < 0)
        goto unlock;
    int64_t end = crt_seek_locked(fi, 0, CRT_SEEK_END, INT64_MAX);
    if (end < 0)
        goto unlock;
    if (end == here)
        r = 1;
    else
        r = crt_seek_locked(fi, here, CRT_SEEK_SET, INT64_MAX) < 0 ? -1 : 0;
unlock:
    crt_fd_unlock(fi);
    return r;
}
THK_EXPORT_AS(msvcrt, _eof, msvcrt__eof, 1);

static int64_t crt_filelength(int fd, int64_t limit)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    IO_STATUS_BLOCK io;
    FILE_STANDARD_INFORMATION std;
    int64_t r;
    NTSTATUS st = fi->handle == INVALID_HANDLE_VALUE
                      ? STATUS_INVALID_HANDLE
                      : NtQueryInformationFile(fi->handle, &io, &std, sizeof std,
                                               FileStandardInformation);
    if (!NT_SUCCESS(st))
        r = crt_io_fail_status(st);
    else if (std.EndOfFile.QuadPart > limit)
        r = crt_io_fail(CRT_EINVAL);
    else
        r = std.EndOfFile.QuadPart;
    crt_fd_unlock(fi);
    return r;
}

static int32_t WINAPI msvcrt__filelength(int fd) { return (int32_t)crt_filelength(fd, INT32_MAX); }
THK_EXPORT_AS(msvcrt, _filelength, msvcrt__filelength, 1);

static int64_t WINAPI msvcrt__filelengthi64(int fd) { return crt_filelength(fd, INT64_MAX); }
THK_EXPORT_AS(msvcrt, _filelengthi64, msvcrt__filelengthi64, 1);

/* _chsize: the file grows with zeros or is cut; the position does not move. errno value. */
static int crt_chsize(int fd, int64_t size)
{
    if (size < 0) {
        crt_io_fail(CRT_EINVAL);
        return CRT_EINVAL;
    }
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return CRT_EBADF;
    IO_STATUS_BLOCK io;
    FILE_END_OF_FILE_INFORMATION eof = {{.QuadPart = size}};
    NTSTATUS st = fi->handle == INVALID_HANDLE_VALUE
                      ? STATUS_INVALID_HANDLE
                      : NtSetInformationFile(fi->handle, &io, &eof, sizeof eof,
                                             FileEndOfFileInformation);
    crt_fd_unlock(fi);
    if (NT_SUCCESS(st))
        return 0;
    if (st == STATUS_ACCESS_DENIED) { /* not open for writing */
        crt_set_errno(CRT_EACCES);
        *crt_doserrno_ptr() = ERROR_ACCESS_DENIED;
        return CRT_EACCES;
    }
    crt_io_fail_status(st);
    return *crt_errno_ptr();
}

static int WINAPI msvcrt__chsize(int fd, int32_t size) { return crt_chsize(fd, size) ? -1 : 0; }
THK_EXPORT_AS(msvcrt, _chsize, msvcrt__chsize, 2);

static int WINAPI msvcrt__chsize_s(int fd, int64_t size) { return crt_chsize(fd, size); }
THK_EXPORT_AS(msvcrt, _chsize_s, msvcrt__chsize_s, 2);

static int WINAPI msvcrt__commit(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    IO_STATUS_BLOCK io;
    NTSTATUS st = fi->handle == INVALID_HANDLE_VALUE ? STATUS_INVALID_HANDLE
                                                     : NtFlushBuffersFile(fi->handle, &io);
    crt_fd_unlock(fi);
    if (NT_SUCCESS(st))
        return 0;
    *crt_doserrno_ptr() = nt_status_to_win32(st);
    crt_set_errno(CRT_EBADF);
    return -1;
}
THK_EXPORT_AS(msvcrt, _commit, msvcrt__commit, 1);

/* ---- modes, handles, duplicates ---- */

#define CRT_O_WTEXT 0x10000
#define CRT_O_U16TEXT 0x20000
#define CRT_O_U8TEXT 0x40000

/* Returns the previous mode (_O_TEXT or _O_BINARY). */
static int WINAPI msvcrt__setmode(int fd, int mode)
{
    if (mode != CRT_O_TEXT && mode != CRT_O_BINARY)
        return crt_io_fail(CRT_EINVAL);
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    int old = (fi->flags & CRT_FDF_TEXT) ? CRT_O_TEXT : CRT_O_BINARY;
    if (mode == CRT_O_TEXT)
        fi->flags |= CRT_FDF_TEXT;
    else
        fi->flags &= ~CRT_FDF_TEXT;
    crt_fd_unlock(fi);
    return old;
}
THK_EXPORT_AS(msvcrt, _setmode, msvcrt__setmode, 2);

/* Non-zero (msvcrt's FDEV bit) for a character device: a console, NUL. */
static int WINAPI msvcrt__isatty(int fd)
{
    crt_fd_init_std();
    if (fd < 0 || fd >= CRT_MAX_FDS)
        return 0;
    return crt_fds[fd].flags & CRT_FDF_DEV;
}
THK_EXPORT_AS(msvcrt, _isatty, msvcrt__isatty, 1);

static intptr_t WINAPI msvcrt__get_osfhandle(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    HANDLE h = fi->handle;
    crt_fd_unlock(fi);
    return (intptr_t)h;
}
THK_EXPORT_AS(msvcrt, _get_osfhandle, msvcrt__get_osfhandle, 1);

/* msvcrt's _open_osfhandle: binary unless _O_TEXT is given (no _fmode default here). */
static int WINAPI msvcrt__open_osfhandle(intptr_t handle, int flags)
{
    HANDLE h = (HANDLE)handle;
    nt_object *obj;
    if (!h || h == INVALID_HANDLE_VALUE || !NT_SUCCESS(nt_handle_get(h, NT_OBJ_ANY, &obj)))
        return crt_io_fail(CRT_EBADF);
    nt_object_release(obj);
    if (!(flags & CRT_O_TEXT))
        flags |= CRT_O_BINARY;
    return crt_fd_alloc(h, flags);
}
THK_EXPORT_AS(msvcrt, _open_osfhandle, msvcrt__open_osfhandle, 2);

/* _pipe: an anonymous pipe (kernel32's CreatePipe) as two fds, read end first; mode's _O_TEXT/
 * _O_BINARY (else _fmode) and _O_NOINHERIT apply to both. */
typedef struct crt_secattr {
    uint32_t nLength;
    void *lpSecurityDescriptor;
    int32_t bInheritHandle;
} crt_secattr;
BOOL WINAPI CreatePipe(HANDLE *read_end, HANDLE *write_end, crt_secattr *sa, DWORD size);
BOOL WINAPI CloseHandle(HANDLE h);

static int WINAPI msvcrt__pipe(int *fds, unsigned size, int mode)
{
    if (!fds || (mode & ~(CRT_O_TEXT | CRT_O_BINARY | CRT_O_NOINHERIT)))
        return crt_io_fail(CRT_EINVAL);
    crt_secattr sa = {sizeof sa, NULL, !(mode & CRT_O_NOINHERIT)};
    HANDLE r, w;
    if (!CreatePipe(&r, &w, &sa, size))
        return crt_io_fail(CRT_EMFILE);
    int fr = crt_fd_alloc(r, mode);
    int fw = fr < 0 ? -1 : crt_fd_alloc(w, mode);
    if (fw < 0) {
        if (fr >= 0)
            crt_fd_close(fr);
        else
            CloseHandle(r);
        CloseHandle(w);
        return crt_io_fail(CRT_EMFILE);
    }
    fds[0] = fr;
    fds[1] = fw;
    return 0;
}
THK_EXPORT_AS(msvcrt, _pipe, msvcrt__pipe, 3);

/* DuplicateHandle within the process: a second handle on the same object. */
static NTSTATUS crt_dup_handle(HANDLE h, HANDLE *out)
{
    nt_object *obj;
    if (h == INVALID_HANDLE_VALUE)
        return STATUS_INVALID_HANDLE;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_ANY, &obj);
    if (!NT_SUCCESS(st))
        return st;
    st = nt_handle_alloc(obj, out);
    nt_object_release(obj);
    return st;
}

static int WINAPI msvcrt__dup(int fd)
{
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    HANDLE h = fi->handle;
    uint8_t flags = fi->flags & ~(CRT_FDF_NOINHERIT | CRT_FDF_OPEN);
    crt_fd_unlock(fi);
    HANDLE nh;
    NTSTATUS st = crt_dup_handle(h, &nh);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    int newfd = crt_fd_install(nh, flags);
    if (newfd < 0)
        NtClose(nh);
    return newfd;
}
THK_EXPORT_AS(msvcrt, _dup, msvcrt__dup, 1);

/* fd2 becomes a duplicate of fd1 (closing what fd2 was). 0 or -1. */
static int WINAPI msvcrt__dup2(int fd1, int fd2)
{
    if (fd2 < 0 || fd2 >= CRT_MAX_FDS)
        return crt_io_fail(CRT_EBADF);
    crt_fdinfo *fi = crt_fd_lock(fd1);
    if (!fi)
        return -1;
    HANDLE h = fi->handle;
    uint8_t flags = fi->flags & ~CRT_FDF_NOINHERIT;
    crt_fd_unlock(fi);
    HANDLE nh;
    NTSTATUS st = crt_dup_handle(h, &nh);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    if (crt_fd_flags(fd2) & CRT_FDF_OPEN)
        crt_fd_close(fd2);
    pthread_mutex_lock(&crt_fd_table_lock);
    crt_fdinfo *f2 = &crt_fds[fd2];
    pthread_mutex_lock(&f2->lock);
    int r = 0;
    if (f2->flags & CRT_FDF_OPEN) { /* another thread took it meanwhile */
        NtClose(nh);
        r = crt_io_fail(CRT_EBADF);
    } else {
        f2->handle = nh;
        f2->flags = flags | CRT_FDF_OPEN;
        f2->pipech = '\n';
        crt_handle_kind_ex(nh, &f2->console);
        HANDLE *slot = crt_std_handle_slot(fd2);
        if (slot)
            *slot = nh;
    }
    pthread_mutex_unlock(&f2->lock);
    pthread_mutex_unlock(&crt_fd_table_lock);
    return r;
}
THK_EXPORT_AS(msvcrt, _dup2, msvcrt__dup2, 2);

static int WINAPI msvcrt__umask(int mode)
{
    int old = crt_umask_value;
    crt_umask_value = mode & (CRT_S_IREAD | CRT_S_IWRITE);
    return old;
}
THK_EXPORT_AS(msvcrt, _umask, msvcrt__umask, 1);

static int32_t *WINAPI msvcrt___p__fmode(void) { return &crt_fmode; }
THK_EXPORT_AS(msvcrt, __p__fmode, msvcrt___p__fmode, 0);

/* ---- the _stat family ---- */

/* msvcrt's x64 `struct _stat` (= mingw's _stat64i32): what _stat, _fstat, _wstat fill. */
typedef struct {
    uint32_t dev;   /* 0x00 */
    uint16_t ino;   /* 0x04 */
    uint16_t mode;  /* 0x06 */
    int16_t nlink;  /* 0x08 */
    int16_t uid;    /* 0x0a */
    int16_t gid;    /* 0x0c */
    int16_t pad0;
    uint32_t rdev;  /* 0x10 */
    int32_t size;   /* 0x14 */
    int64_t atime;  /* 0x18 */
    int64_t mtime;  /* 0x20 */
    int64_t ctime;  /* 0x28 */
} crt_stat64i32;
_Static_assert(sizeof(crt_stat64i32) == 48, "struct _stat64i32");
_Static_assert(offsetof(crt_stat64i32, size) == 0x14, "_stat64i32.st_size");
_Static_assert(offsetof(crt_stat64i32, atime) == 0x18, "_stat64i32.st_atime");

/* `struct _stat64` (also `struct _stati64` on x64): _stat64, _stati64, _fstat64, ... */
typedef struct {
    uint32_t dev;   /* 0x00 */
    uint16_t ino;   /* 0x04 */
    uint16_t mode;  /* 0x06 */
    int16_t nlink;  /* 0x08 */
    int16_t uid;    /* 0x0a */
    int16_t gid;    /* 0x0c */
    int16_t pad0;
    uint32_t rdev;  /* 0x10 */
    uint32_t pad1;
    int64_t size;   /* 0x18 */
    int64_t atime;  /* 0x20 */
    int64_t mtime;  /* 0x28 */
    int64_t ctime;  /* 0x30 */
} crt_stat64;
_Static_assert(sizeof(crt_stat64) == 56, "struct _stat64");
_Static_assert(offsetof(crt_stat64, size) == 0x18, "_stat64.st_size");
_Static_assert(offsetof(crt_stat64, ctime) == 0x30, "_stat64.st_ctime");

static int64_t crt_unix_time(LARGE_INTEGER t)
{
    int64_t v = t.QuadPart - WIN_EPOCH_DIFF_100NS;
    return v >= 0 ? v / 10000000 : -((-v + 9999999) / 10000000);
}

/* Permission bits copied to "group" and "other", as msvcrt does. */
static uint16_t crt_mode_spread(uint16_t mode)
{
    return mode | ((mode & 0700) >> 3) | ((mode & 0700) >> 6);
}

static bool crt_is_exe_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strpbrk(dot, "\\/"))
        return false;
    static const char *const exts[] = {".exe", ".com", ".bat", ".cmd"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return true;
    return false;
}

/* 0-based drive of the current directory (C: is 2), -1 when it has no letter. */
static int crt_current_drive(void)
{
    char *cwd = nt_cwd_get();
    if (!cwd)
        return -1;
    WCHAR *dos = nt_path_from_unix(cwd);
    free(cwd);
    int d = -1;
    if (dos && dos[0] && dos[1] == ':') {
        WCHAR c = dos[0];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (c >= 'A' && c <= 'Z')
            d = c - 'A';
    }
    free(dos);
    return d;
}

static void crt_stat_to_64(const crt_stat64 *s, void *out, bool wide_size)
{
    if (wide_size) {
        memcpy(out, s, sizeof *s);
        return;
    }
    crt_stat64i32 t = {
        .dev = s->dev, .ino = s->ino, .mode = s->mode, .nlink = s->nlink, .uid = s->uid,
        .gid = s->gid, .rdev = s->rdev, .size = (int32_t)s->size, .atime = s->atime,
        .mtime = s->mtime, .ctime = s->ctime,
    };
    memcpy(out, &t, sizeof t);
}

static NTSTATUS crt_query_info(HANDLE h, FILE_BASIC_INFORMATION *bi, FILE_STANDARD_INFORMATION *si)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtQueryInformationFile(h, &io, bi, sizeof *bi, FileBasicInformation);
    if (NT_SUCCESS(st))
        st = NtQueryInformationFile(h, &io, si, sizeof *si, FileStandardInformation);
    return st;
}

static bool crt_is_sep(char c) { return c == '\\' || c == '/'; }

int crt_stat_path(const char *path, void *out, bool wide_size)
{
    if (!path || !out)
        return crt_io_fail(CRT_EINVAL);
    size_t len = strlen(path);
    /* msvcrt looks the name up with FindFirstFile: no wildcards, and a trailing separator
     * fails except on a root ("X:\", "\"). */
    if (len == 0 || strpbrk(path, "*?"))
        return crt_io_fail(CRT_ENOENT);
    bool root = (len == 1 && crt_is_sep(path[0])) ||
                (len == 3 && path[1] == ':' && crt_is_sep(path[2])) || (len == 2 && path[1] == ':');
    if (crt_is_sep(path[len - 1]) && !root)
        return crt_io_fail(CRT_ENOENT);
    HANDLE h;
    NTSTATUS st = crt_open_path(path, FILE_READ_ATTRIBUTES, FILE_OPEN_FOR_BACKUP_INTENT, &h);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    FILE_BASIC_INFORMATION bi;
    FILE_STANDARD_INFORMATION si;
    st = crt_query_info(h, &bi, &si);
    NtClose(h);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);

    crt_stat64 s = {0};
    bool dir = (bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) || si.Directory;
    uint16_t mode = dir ? (CRT_S_IFDIR | CRT_S_IEXEC) : CRT_S_IFREG;
    mode |= (bi.FileAttributes & FILE_ATTRIBUTE_READONLY) ? CRT_S_IREAD
                                                          : (CRT_S_IREAD | CRT_S_IWRITE);
    if (!dir && crt_is_exe_name(path))
        mode |= CRT_S_IEXEC;
    s.mode = crt_mode_spread(mode);
    int drive;
    if (len >= 2 && path[1] == ':' && ((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z'))
        drive = (path[0] | 0x20) - 'a';
    else
        drive = crt_current_drive();
    s.dev = s.rdev = drive < 0 ? 0 : (uint32_t)drive;
    s.nlink = 1;
    s.size = dir ? 0 : si.EndOfFile.QuadPart;
    s.atime = crt_unix_time(bi.LastAccessTime);
    s.mtime = crt_unix_time(bi.LastWriteTime);
    s.ctime = crt_unix_time(bi.CreationTime);
    crt_stat_to_64(&s, out, wide_size);
    return 0;
}

int crt_wstat_path(const WCHAR *path, void *out, bool wide_size)
{
    bool ok;
    char *a = crt_path_from_wide(path, &ok);
    if (!ok)
        return -1;
    int r = crt_stat_path(a, out, wide_size);
    free(a);
    return r;
}

int crt_fstat(int fd, void *out, bool wide_size)
{
    if (!out)
        return crt_io_fail(CRT_EINVAL);
    crt_fdinfo *fi = crt_fd_lock(fd);
    if (!fi)
        return -1;
    crt_stat64 s = {0};
    s.dev = s.rdev = (uint32_t)fd;
    s.nlink = 1;
    int r = 0;
    if (fi->flags & CRT_FDF_DEV) {
        s.mode = CRT_S_IFCHR;
    } else if (fi->flags & CRT_FDF_PIPE) {
        s.mode = CRT_S_IFIFO;
        nt_file *f; /* PeekNamedPipe's bytes available */
        if (NT_SUCCESS(nt_file_get(fi->handle, &f))) {
            int avail = 0;
            if (ioctl(f->fd, FIONREAD, &avail) == 0)
                s.size = avail;
            nt_object_release(&f->hdr);
        }
    } else {
        FILE_BASIC_INFORMATION bi;
        FILE_STANDARD_INFORMATION si;
        NTSTATUS st = crt_query_info(fi->handle, &bi, &si);
        if (!NT_SUCCESS(st)) {
            r = crt_io_fail_status(st);
            goto unlock;
        }
        bool dir = (bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) || si.Directory;
        uint16_t mode = (dir ? CRT_S_IFDIR : CRT_S_IFREG) | CRT_S_IREAD;
        if (!(bi.FileAttributes & FILE_ATTRIBUTE_READONLY))
            mode |= CRT_S_IWRITE;
        s.mode = crt_mode_spread(mode);
        s.dev = s.rdev = 0; /* a disk file: fd only for devices and pipes */
        s.nlink = (int16_t)si.NumberOfLinks;
        s.size = si.EndOfFile.QuadPart;
        s.atime = crt_unix_time(bi.LastAccessTime);
        s.mtime = crt_unix_time(bi.LastWriteTime);
        s.ctime = crt_unix_time(bi.CreationTime);
    }
    crt_stat_to_64(&s, out, wide_size);
unlock:
    crt_fd_unlock(fi);
    return r;
}

static int WINAPI msvcrt__stat(const char *path, void *buf)
{
    return crt_stat_path(path, buf, false);
}
THK_EXPORT_AS(msvcrt, _stat, msvcrt__stat, 2);
static int WINAPI msvcrt__stat64(const char *path, void *buf)
{
    return crt_stat_path(path, buf, true);
}
THK_EXPORT_AS(msvcrt, _stat64, msvcrt__stat64, 2);
THK_EXPORT_AS(msvcrt, _stati64, msvcrt__stat64, 2);
static int WINAPI msvcrt__wstat(const WCHAR *path, void *buf)
{
    return crt_wstat_path(path, buf, false);
}
THK_EXPORT_AS(msvcrt, _wstat, msvcrt__wstat, 2);
static int WINAPI msvcrt__wstat64(const WCHAR *path, void *buf)
{
    return crt_wstat_path(path, buf, true);
}
THK_EXPORT_AS(msvcrt, _wstat64, msvcrt__wstat64, 2);
THK_EXPORT_AS(msvcrt, _wstati64, msvcrt__wstat64, 2);
static int WINAPI msvcrt__fstat(int fd, void *buf) { return crt_fstat(fd, buf, false); }
THK_EXPORT_AS(msvcrt, _fstat, msvcrt__fstat, 2);
static int WINAPI msvcrt__fstat64(int fd, void *buf) { return crt_fstat(fd, buf, true); }
THK_EXPORT_AS(msvcrt, _fstat64, msvcrt__fstat64, 2);
THK_EXPORT_AS(msvcrt, _fstati64, msvcrt__fstat64, 2);

/* ---- names: _access, _unlink, rename, _mkdir, _rmdir ---- */

/* _access: 0 (exists), 2 (write), 4 (read), 6; other bits are not checked (msvcrt's _access,
 * unlike _access_s). */
static int crt_access(const char *path, int mode)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    UNICODE_STRING name;
    NTSTATUS st = crt_nt_name(path, &name);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    OBJECT_ATTRIBUTES attr;
    FILE_BASIC_INFORMATION bi;
    crt_init_attr(&attr, &name);
    st = NtQueryAttributesFile(&attr, &bi);
    free(name.Buffer);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    if (!(bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
        (bi.FileAttributes & FILE_ATTRIBUTE_READONLY) && (mode & 2)) {
        crt_set_errno(CRT_EACCES);
        *crt_doserrno_ptr() = ERROR_ACCESS_DENIED;
        return -1;
    }
    return 0;
}

/* Opens with DELETE access and marks for deletion (DeleteFile / RemoveDirectory). */
static int crt_delete(const char *path, uint32_t options)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    HANDLE h;
    NTSTATUS st = crt_open_path(path, DELETE, options, &h);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    IO_STATUS_BLOCK io;
    FILE_DISPOSITION_INFORMATION disp = {1};
    st = NtSetInformationFile(h, &io, &disp, sizeof disp, FileDispositionInformation);
    NTSTATUS st_close = NtClose(h);
    if (NT_SUCCESS(st))
        st = st_close;
    return NT_SUCCESS(st) ? 0 : crt_io_fail_status(st);
}

static int crt_unlink(const char *path) { return crt_delete(path, FILE_NON_DIRECTORY_FILE); }

static int crt_rmdir(const char *path)
{
    return crt_delete(path, FILE_DIRECTORY_FILE | FILE_OPEN_FOR_BACKUP_INTENT);
}

/* MoveFile: fails when `to` exists (EEXIST), unlike POSIX rename. */
static int crt_rename(const char *from, const char *to)
{
    if (!from || !to)
        return crt_io_fail(CRT_EINVAL);
    UNICODE_STRING target;
    NTSTATUS st = crt_nt_name(to, &target);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    HANDLE h;
    st = crt_open_path(from, DELETE, FILE_OPEN_FOR_BACKUP_INTENT, &h);
    if (!NT_SUCCESS(st)) {
        free(target.Buffer);
        return crt_io_fail_status(st);
    }
    size_t size = offsetof(crt_rename_info, FileName) + target.Length;
    crt_rename_info *ri = calloc(1, size + sizeof(WCHAR));
    if (!ri) {
        st = STATUS_NO_MEMORY;
    } else {
        IO_STATUS_BLOCK io;
        ri->ReplaceIfExists = 0;
        ri->RootDirectory = NULL;
        ri->FileNameLength = target.Length;
        memcpy(ri->FileName, target.Buffer, target.Length);
        st = NtSetInformationFile(h, &io, ri, (uint32_t)size, FileRenameInformation);
        free(ri);
    }
    NtClose(h);
    free(target.Buffer);
    return NT_SUCCESS(st) ? 0 : crt_io_fail_status(st);
}

static int crt_mkdir(const char *path)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    UNICODE_STRING name;
    NTSTATUS st = crt_nt_name(path, &name);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE h;
    crt_init_attr(&attr, &name);
    st = NtCreateFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &attr, &io, NULL,
                      FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                      FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT |
                          FILE_OPEN_FOR_BACKUP_INTENT,
                      NULL, 0);
    free(name.Buffer);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    NtClose(h);
    return 0;
}

static int crt_chdir(const char *path)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    if (!*path)
        return crt_io_fail_status(STATUS_OBJECT_PATH_NOT_FOUND);
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix_a(path, &unix_path);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    int r = 0, rc = nt_cwd_set(unix_path); /* the run's, not the process's working directory */
    if (rc < 0) {
        /* SetCurrentDirectory: a missing directory is ERROR_FILE_NOT_FOUND, a file
         * ERROR_DIRECTORY; both reach msvcrt's errno through _dosmaperr. */
        int e = -rc;
        r = crt_io_fail_status(e == ENOTDIR ? STATUS_NOT_A_DIRECTORY : nt_status_from_errno(e));
    } else {
        k32_update_peb_cwd(); /* as msvcrt's _chdir, through SetCurrentDirectory */
    }
    free(unix_path);
    return r;
}

/* Runs an ANSI path function on a wide path. */
static int crt_wide_call(const WCHAR *path, int (*fn)(const char *))
{
    bool ok;
    char *a = crt_path_from_wide(path, &ok);
    if (!ok)
        return -1;
    int r = fn(a);
    free(a);
    return r;
}

static int WINAPI msvcrt__access(const char *path, int mode) { return crt_access(path, mode); }
THK_EXPORT_AS(msvcrt, _access, msvcrt__access, 2);

static int WINAPI msvcrt__waccess(const WCHAR *path, int mode)
{
    bool ok;
    char *a = crt_path_from_wide(path, &ok);
    if (!ok)
        return -1;
    int r = crt_access(a, mode);
    free(a);
    return r;
}
THK_EXPORT_AS(msvcrt, _waccess, msvcrt__waccess, 2);

/* _chmod: _S_IWRITE clear makes the file read-only, set makes it writable. */
static int crt_chmod(const char *path, int mode)
{
    if (!path)
        return crt_io_fail(CRT_EINVAL);
    HANDLE h;
    NTSTATUS st = crt_open_path(path, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES,
                                FILE_OPEN_FOR_BACKUP_INTENT, &h);
    if (!NT_SUCCESS(st))
        return crt_io_fail_status(st);
    IO_STATUS_BLOCK io;
    FILE_BASIC_INFORMATION bi;
    st = NtQueryInformationFile(h, &io, &bi, sizeof bi, FileBasicInformation);
    if (NT_SUCCESS(st)) {
        uint32_t attr = bi.FileAttributes;
        if (mode & CRT_S_IWRITE)
            attr &= ~FILE_ATTRIBUTE_READONLY;
        else
            attr |= FILE_ATTRIBUTE_READONLY;
        memset(&bi, 0, sizeof bi); /* zero times: left as they are */
        bi.FileAttributes = attr ? attr : FILE_ATTRIBUTE_NORMAL;
        st = NtSetInformationFile(h, &io, &bi, sizeof bi, FileBasicInformation);
    }
    NtClose(h);
    return NT_SUCCESS(st) ? 0 : crt_io_fail_status(st);
}

static int WINAPI msvcrt__chmod(const char *path, int mode) { return crt_chmod(path, mode); }
THK_EXPORT_AS(msvcrt, _chmod, msvcrt__chmod, 2);

static int WINAPI msvcrt__wchmod(const WCHAR *path, int mode)
{
    bool ok;
    char *a = crt_path_from_wide(path, &ok);
    if (!ok)
        return -1;
    int r = crt_chmod(a, mode);
    free(a);
    return r;
}
THK_EXPORT_AS(msvcrt, _wchmod, msvcrt__wchmod, 2);

static int WINAPI msvcrt__unlink(const char *path) { return crt_unlink(path); }
THK_EXPORT_AS(msvcrt, _unlink, msvcrt__unlink, 1);
THK_EXPORT_AS(msvcrt, remove, msvcrt__unlink, 1);
static int WINAPI msvcrt__wunlink(const WCHAR *path) { return crt_wide_call(path, crt_unlink); }
THK_EXPORT_AS(msvcrt, _wunlink, msvcrt__wunlink, 1);
THK_EXPORT_AS(msvcrt, _wremove, msvcrt__wunlink, 1);

static int WINAPI msvcrt_rename(const char *from, const char *to) { return crt_rename(from, to); }
THK_EXPORT_AS(msvcrt, rename, msvcrt_rename, 2);

static int WINAPI msvcrt__wrename(const WCHAR *from, const WCHAR *to)
{
    bool ok1, ok2;
    char *a = crt_path_from_wide(from, &ok1);
    char *b = ok1 ? crt_path_from_wide(to, &ok2) : NULL;
    int r = ok1 && ok2 ? crt_rename(a, b) : -1;
    free(a);
    free(b);
    return r;
}
THK_EXPORT_AS(msvcrt, _wrename, msvcrt__wrename, 2);

static int WINAPI msvcrt__mkdir(const char *path) { return crt_mkdir(path); }
THK_EXPORT_AS(msvcrt, _mkdir, msvcrt__mkdir, 1);
static int WINAPI msvcrt__wmkdir(const WCHAR *path) { return crt_wide_call(path, crt_mkdir); }
THK_EXPORT_AS(msvcrt, _wmkdir, msvcrt__wmkdir, 1);
static int WINAPI msvcrt__rmdir(const char *path) { return crt_rmdir(path); }
THK_EXPORT_AS(msvcrt, _rmdir, msvcrt__rmdir, 1);
static int WINAPI msvcrt__wrmdir(const WCHAR *path) { return crt_wide_call(path, crt_rmdir); }
THK_EXPORT_AS(msvcrt, _wrmdir, msvcrt__wrmdir, 1);
static int WINAPI msvcrt__chdir(const char *path) { return crt_chdir(path); }
THK_EXPORT_AS(msvcrt, _chdir, msvcrt__chdir, 1);
static int WINAPI msvcrt__wchdir(const WCHAR *path) { return crt_wide_call(path, crt_chdir); }
THK_EXPORT_AS(msvcrt, _wchdir, msvcrt__wchdir, 1);

/* ---- the current directory ---- */

/* The current directory in DOS form, malloc'd UTF-16, NULL (errno set) on failure. */
static WCHAR *crt_cwd_w(size_t *len)
{
    char *cwd = nt_cwd_get();
    if (!cwd) {
        crt_io_fail(crt_errno_from_unix(errno));
        return NULL;
    }
    WCHAR *dos = nt_path_from_unix(cwd);
    free(cwd);
    if (!dos) {
        crt_io_fail(CRT_ENOMEM);
        return NULL;
    }
    *len = nt_wcslen(dos);
    return dos;
}

/* _getcwd: into buf (size bytes), or a CRT-heap buffer of at least `size` when buf is NULL. */
static char *WINAPI msvcrt__getcwd(char *buf, int size)
{
    size_t wlen, len;
    WCHAR *dos = crt_cwd_w(&wlen);
    if (!dos)
        return NULL;
    char *s = nt_utf16_to_utf8(dos, wlen, &len);
    free(dos);
    if (!s) {
        crt_io_fail(CRT_ENOMEM);
        return NULL;
    }
    char *r = NULL;
    if (!buf) {
        size_t want = len + 1 > (size_t)(size > 0 ? size : 0) ? len + 1 : (size_t)size;
        r = crt_malloc(want);
        if (!r)
            crt_io_fail(CRT_ENOMEM);
        else
            memcpy(r, s, len + 1);
    } else if (size <= 0 || len + 1 > (size_t)size) {
        crt_io_fail(CRT_ERANGE);
    } else {
        memcpy(buf, s, len + 1);
        r = buf;
    }
    free(s);
    return r;
}
THK_EXPORT_AS(msvcrt, _getcwd, msvcrt__getcwd, 2);

static WCHAR *WINAPI msvcrt__wgetcwd(WCHAR *buf, int size)
{
    size_t len;
    WCHAR *dos = crt_cwd_w(&len);
    if (!dos)
        return NULL;
    WCHAR *r = NULL;
    if (!buf) {
        size_t want = len + 1 > (size_t)(size > 0 ? size : 0) ? len + 1 : (size_t)size;
        r = crt_malloc(want * sizeof(WCHAR));
        if (!r)
            crt_io_fail(CRT_ENOMEM);
        else
            memcpy(r, dos, (len + 1) * sizeof(WCHAR));
    } else if (size <= 0 || len + 1 > (size_t)size) {
        crt_io_fail(CRT_ERANGE);
    } else {
        memcpy(buf, dos, (len + 1) * sizeof(WCHAR));
        r = buf;
    }
    free(dos);
    return r;
}
THK_EXPORT_AS(msvcrt, _wgetcwd, msvcrt__wgetcwd, 2);

/* 1-based drive number of the current directory (A: is 1), 0 if it has none. */
static int WINAPI msvcrt__getdrive(void) { return crt_current_drive() + 1; }
THK_EXPORT_AS(msvcrt, _getdrive, msvcrt__getdrive, 0);

/* libntrun teardown (thk_process_teardown): every fd closed, the standard ones to be taken from
 * the next run's standard handles. The handles themselves are closed by ntemu afterwards. */
void crt_io_reset(void)
{
    pthread_mutex_lock(&crt_fd_table_lock);
    for (int i = 0; i < CRT_MAX_FDS; i++) {
        crt_fdinfo *fi = &crt_fds[i];
        /* Write only entries that changed: the table is 112 KB, and writing every entry
         * made all its pages present (~30 page faults at each start-up). */
        if (!fi->handle && !fi->flags && !fi->pipech && !fi->console)
            continue;
        fi->handle = NULL;
        fi->flags = 0;
        fi->pipech = 0;
        fi->console = false;
        /* A run ended by TerminateProcess may have left it held (a thread stopped inside
         * _read, blocked on a pipe); no thread of the program is left to release it. */
        fi->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    }
    crt_fd_std_state = 0;
    crt_fmode = 0;
    crt_umask_value = 0;
    pthread_mutex_unlock(&crt_fd_table_lock);
}
