/* Internal interfaces shared by the built-in msvcrt files (thunks/msvcrt_*.c).
 *
 *   msvcrt_stdio.c   FILE objects (_iobuf), buffering, text mode, fopen/fread/fwrite/..., _lock
 *   msvcrt_io.c      _open/_read/_write/_close/_lseek/_setmode (the fd layer under stdio)
 *   msvcrt_format.c  printf/scanf engines with msvcrt semantics, and the printf/scanf exports
 *   msvcrt_startup.c __getmainargs, _initterm, _onexit/atexit, exit/_exit/_cexit, data imports
 *   msvcrt_*.c       string, memory, ctype, math, time, env, heap, errno, qsort/bsearch, ...
 */
#ifndef NTRUN_THUNKS_CRT_H
#define NTRUN_THUNKS_CRT_H

#include <stddef.h>
#include <stdint.h>
#include "thunks/thunks.h"

/* msvcrt's FILE: a 48-byte _iobuf. mingw-w64's own stdio (mingw_lock.c) locks the first
 * CRT_IOB_ENTRIES streams with _lock(_STREAM_LOCKS + index), computing the index from the
 * address, and any other FILE with EnterCriticalSection on the CRITICAL_SECTION that follows
 * the 48 bytes (_FILEX). So the standard streams are one contiguous array and every fopen'd
 * stream is a crt_filex. */
typedef struct crt_FILE {
    char *_ptr;        /* 0x00 */
    int32_t _cnt;      /* 0x08 */
    int32_t pad0;
    char *_base;       /* 0x10 */
    int32_t _flag;     /* 0x18 */
    int32_t _file;     /* 0x1c */
    int32_t _charbuf;  /* 0x20 */
    int32_t _bufsiz;   /* 0x24 */
    char *_tmpfname;   /* 0x28 */
} crt_FILE;
_Static_assert(sizeof(crt_FILE) == 48, "msvcrt FILE is 48 bytes");
_Static_assert(offsetof(crt_FILE, _flag) == 0x18, "_iobuf._flag");
_Static_assert(offsetof(crt_FILE, _file) == 0x1c, "_iobuf._file");

typedef struct crt_filex {
    crt_FILE file;         /* 0x00 */
    CRITICAL_SECTION lock; /* 0x30: where mingw's _lock_file looks */
} crt_filex;
_Static_assert(offsetof(crt_filex, lock) == 48, "_FILEX.lock");

#define CRT_IOB_ENTRIES 20
#define CRT_STREAM_LOCKS 16 /* _lock() index of stream 0 */
extern crt_FILE crt_iob[CRT_IOB_ENTRIES]; /* stdin, stdout, stderr, then free slots */

/* _flag bits (msvcrt) */
#define CRT_IOREAD   0x0001
#define CRT_IOWRT    0x0002
#define CRT_IOMYBUF  0x0008
#define CRT_IOEOF    0x0010
#define CRT_IOERR    0x0020
#define CRT_IOSTRG   0x0040
#define CRT_IORW     0x0080
#define CRT_IOLOCKED 0x8000

/* ---- stream primitives (msvcrt_stdio.c); the caller holds no lock, they lock ---- */
/* Writes n bytes through the stream (text-mode translation, buffering). Returns the number of
 * bytes of `buf` consumed; sets _IOERR on failure. */
size_t crt_stream_write(crt_FILE *f, const void *buf, size_t n);
/* Next byte (text mode: CR LF -> LF, ^Z is end of file), or -1 at end of file / error. */
int crt_stream_getc(crt_FILE *f);
int crt_stream_ungetc(int c, crt_FILE *f);
int crt_stream_flush(crt_FILE *f);
void crt_flush_all(void);
/* Validates a FILE* from foreign code; NULL for something that is not one of ours. */
crt_FILE *crt_stream_check(void *f);

/* Fills the CRT variables the program reads directly (msvcrt_startup.c); called by
 * thk_before_entry() right before the program's entry point. */
void crt_startup_init(void);

/* ---- the fd layer (msvcrt_io.c) ---- */
#define CRT_O_RDONLY 0x0000
#define CRT_O_WRONLY 0x0001
#define CRT_O_RDWR   0x0002
#define CRT_O_APPEND 0x0008
#define CRT_O_CREAT  0x0100
#define CRT_O_TRUNC  0x0200
#define CRT_O_EXCL   0x0400
#define CRT_O_TEXT   0x4000
#define CRT_O_BINARY 0x8000
/* A msvcrt fd wraps an NT file HANDLE. Text/binary mode is per fd. */
HANDLE crt_fd_handle(int fd);      /* INVALID_HANDLE_VALUE if not open */
int crt_fd_is_text(int fd);
int crt_fd_alloc(HANDLE h, int flags); /* lowest free fd or -1 (errno EMFILE) */
/* Raw byte I/O on an fd, no translation: count, or -1 with errno set. */
int64_t crt_fd_read_raw(int fd, void *buf, size_t n);
int64_t crt_fd_write_raw(int fd, const void *buf, size_t n);

/* ---- errno (msvcrt numbering) ---- */
int *crt_errno_ptr(void);
void crt_set_errno(int crt_errno);
/* Linux errno / NTSTATUS -> msvcrt errno value */
int crt_errno_from_unix(int unix_errno);
int crt_errno_from_status(NTSTATUS st);

/* ---- format engines (msvcrt_format.c): msvcrt semantics ----
 * `long` is 32 bits; %I64d %I32d %I64x, %ll, %h, %hh, %z? (not in msvcrt), %ls/%S wide strings,
 * %hs narrow, %p is 16 upper-case hex digits, %e has a 3-digit exponent, infinities print as
 * 1.#INF00 and NaNs as 1.#QNAN0 / -1.#IND00, %n is refused. */
typedef struct crt_out {
    size_t (*write)(void *ctx, const char *s, size_t n); /* returns bytes taken */
    void *ctx;
} crt_out;
int crt_vformat(const crt_out *out, const char *fmt, __builtin_ms_va_list ap);
typedef struct crt_wout {
    size_t (*write)(void *ctx, const WCHAR *s, size_t n);
    void *ctx;
} crt_wout;
int crt_vwformat(const crt_wout *out, const WCHAR *fmt, __builtin_ms_va_list ap);
typedef struct crt_in {
    int (*getc)(void *ctx);          /* -1 at end */
    void (*ungetc)(void *ctx, int c);
    void *ctx;
} crt_in;
int crt_vscan(const crt_in *in, const char *fmt, __builtin_ms_va_list ap);

#endif
