/* SPDX-License-Identifier: MIT */
/* Internal interfaces shared by the built-in msvcrt files (thunks/msvcrt_*.c).
 *
 *   thunks/msvcrt/stdio.c   FILE objects (_iobuf), buffering, text mode, fopen/fread/fwrite/..., _lock
 *   thunks/msvcrt/io.c      _open/_read/_write/_close/_lseek/_setmode (the fd layer under stdio)
 *   thunks/msvcrt/format.c  printf/scanf engines with msvcrt semantics, and the printf/scanf exports
 *   thunks/msvcrt/startup.c __getmainargs, _initterm, _onexit/atexit, exit/_exit/_cexit, data imports
 *   msvcrt_*.c       string, memory, ctype, math, time, env, heap, errno, qsort/bsearch, ...
 */
#ifndef NTRUN_THUNKS_CRT_H
#define NTRUN_THUNKS_CRT_H

#include <stdbool.h>
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
    /* 128 bytes in all: telling one of ours from any other pointer (every stream call does)
     * is then a mask and a shift, not a division by 88 */
    uint8_t pad_[128 - 48 - sizeof(CRITICAL_SECTION)];
} crt_filex;
_Static_assert(offsetof(crt_filex, lock) == 48, "_FILEX.lock");
_Static_assert(sizeof(crt_filex) == 128, "crt_filex: a power of two (crt_pool_index)");

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
#define CRT_IONBF    0x0004 /* unbuffered: _base is &_charbuf, _bufsiz 2 */
#define CRT_IOYOURBUF 0x0100 /* setvbuf with the caller's buffer */
#define CRT_IOSETVBUF 0x0400
#define CRT_IOCTRLZ  0x2000 /* the last buffer fill of a text stream met ^Z */
#define CRT_IOCOMMIT 0x4000 /* fflush also commits to disk ("c" mode, _commode) */

/* The stream primitives and locks below are ms_abi (CRT_HOT): the exports that call them per
 * character (getc, putc, fgets, fwrite, printf's output) are ms_abi, and one call from an
 * ms_abi function to a SysV one makes the caller save xmm6-15, rsi and rdi on every call.
 * Their slow paths (buffer fills and flushes, errno) are separate noinline functions. */
#define CRT_HOT __attribute__((ms_abi))

/* ---- stream primitives (thunks/msvcrt/stdio.c); the caller holds no lock, they lock ---- */
/* Writes n bytes through the stream (text-mode translation, buffering). Returns the number of
 * bytes of `buf` consumed; sets _IOERR on failure. */
CRT_HOT size_t crt_stream_write(crt_FILE *f, const void *buf, size_t n);
/* Next byte (text mode: CR LF -> LF, ^Z is end of file), or -1 at end of file / error. */
CRT_HOT int crt_stream_getc(crt_FILE *f);
int crt_stream_ungetc(int c, crt_FILE *f);
int crt_stream_flush(crt_FILE *f);
void crt_flush_all(void);
/* The UCRT's stderr: unbuffered from the start (msvcrt buffers it unless it is a console). */
void crt_stderr_unbuffered(void);
/* Validates a FILE* from foreign code; NULL for something that is not one of ours. */
CRT_HOT crt_FILE *crt_stream_check(void *f);
/* _fdopen and fclose for the CRT's own use (_popen/_pclose, thunks/msvcrt/process.c). */
crt_FILE *crt_fdopen(int fd, const char *mode);
int crt_fclose(crt_FILE *f);
/* The stream's recursive lock, the one msvcrt and mingw-w64's _lock_file take (_lock(16 + i)
 * for crt_iob[i], the CRITICAL_SECTION after the FILE otherwise): a caller may hold it across
 * several primitives (a whole printf) so that other threads' output does not interleave. */
CRT_HOT void crt_stream_lock(crt_FILE *f);
CRT_HOT void crt_stream_unlock(crt_FILE *f);
/* msvcrt's table of recursive locks (_lock/_unlock): 0..CRT_NLOCKS-1. */
#define CRT_NLOCKS 64
#define CRT_EXIT_LOCK 13 /* msvcrt's _EXIT_LOCK1: the atexit/_onexit table */
CRT_HOT void crt_lock(int n);
CRT_HOT void crt_unlock(int n);

/* Fills the CRT variables the program reads directly (thunks/msvcrt/startup.c); called by
 * thk_before_entry() right before the program's entry point. */
void crt_startup_init(void);
/* The process's start-up state, shared with ucrtbase (thunks/msvcrt/startup.c): the command
 * line (parsed once; __argc/__argv/__wargv filled), the environment at start (__initenv,
 * __winitenv), the _onexit/atexit table (0, or -1 when out of memory), and exit: `quick` skips
 * the table and the stream flush (_exit, _c_exit), `ret` returns instead of ending the process
 * (_cexit, _c_exit). */
void crt_cmdline_init(void);
/* The variables msvcrt exports as data, in one page of the program's memory (rt_progmem_alloc,
 * mapped before any import is bound): VirtualQuery shows them committed, as msvcrt.dll's data
 * is on Windows, and the arrays and strings they point to are process-heap blocks. The program
 * may write anything there: the runtime keeps its own copies of what it frees or resizes
 * (thunks/msvcrt/env.c, startup.c) and never frees through these. */
typedef struct crt_globals {
    int32_t argc;      /* __argc */
    char **argv;       /* __argv */
    WCHAR **wargv;     /* __wargv */
    char *acmdln;      /* _acmdln */
    WCHAR *wcmdln;     /* _wcmdln */
    char **initenv;    /* __initenv */
    WCHAR **winitenv;  /* __winitenv */
    char *pgmptr;      /* _pgmptr */
    WCHAR *wpgmptr;    /* _wpgmptr */
    char **environ_;   /* _environ */
    WCHAR **wenviron;  /* _wenviron */
} crt_globals;
extern crt_globals *crt_g;
const char *crt_command_line(void);
const WCHAR *crt_wcommand_line(void);
char **crt_initial_environ(void);
WCHAR **crt_initial_wenviron(void);
int crt_atexit_add(void *fn);
void crt_set_app_type(int type);
void crt_exit_common(uint32_t code, bool quick, bool ret);
/* clock()'s zero: the program's start (thunks/msvcrt/time.c), set by crt_startup_init. */
void crt_time_start(void);
/* _exit(code): ends the process without running the _onexit table or flushing the streams
 * (what raise's default action and abort do on Windows). rt_exit_process() instead counts as
 * ExitProcess: the exit hook then runs the table and flushes, as msvcrt.dll's DLL detach does. */
__attribute__((noreturn)) void crt_exit_quick(uint32_t code);
/* Has the program set a handler (or SIG_IGN) for msvcrt signal `sig`? (thunks/msvcrt/signal.c) */
bool crt_signal_handled(int sig);

/* ---- the fd layer (thunks/msvcrt/io.c) ---- */
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
#define CRT_O_RANDOM     0x0010
#define CRT_O_SEQUENTIAL 0x0020
#define CRT_O_TEMPORARY  0x0040
#define CRT_O_NOINHERIT  0x0080
#define CRT_O_SHORT_LIVED 0x1000
#define CRT_SH_DENYRW 0x10 /* share flags of _sopen/_fsopen */
#define CRT_SH_DENYWR 0x20
#define CRT_SH_DENYRD 0x30
#define CRT_SH_DENYNO 0x40
/* msvcrt's per-fd flags (_osfile), as crt_fd_flags() reports them; 0 for an fd not open. */
#define CRT_FDF_OPEN   0x01
#define CRT_FDF_EOF    0x02 /* a text-mode read met ^Z: reads return 0 until the next seek */
#define CRT_FDF_CRLF   0x04 /* the last text-mode read began with LF */
#define CRT_FDF_PIPE   0x08
#define CRT_FDF_NOINHERIT 0x10
#define CRT_FDF_APPEND 0x20
#define CRT_FDF_DEV    0x40 /* character device: console, NUL */
#define CRT_FDF_TEXT   0x80
uint32_t crt_fd_flags(int fd);
/* Is the fd a terminal (a console)? Other character devices (NUL) are not. */
bool crt_fd_is_console(int fd);
/* msvcrt's _read (text mode: CR LF -> LF, ^Z ends the file): count or -1 with errno set.
 * *raw, if not NULL, gets the number of bytes taken from the handle. */
int crt_fd_read(int fd, void *buf, unsigned n, int64_t *raw);
int crt_fd_write(int fd, const void *buf, unsigned n); /* _write: LF -> CR LF in text mode */
int64_t crt_fd_seek(int fd, int64_t offset, int whence); /* _lseeki64 */
int crt_fd_close(int fd);                                /* _close */
/* _sopen: `path` in the ANSI code page (UTF-8), CRT_O_* flags, CRT_SH_* sharing, pmode
 * (_S_IREAD 0x100 | _S_IWRITE 0x80) for a file it creates. fd, or -1 with errno set. */
int crt_fd_open(const char *path, int oflag, int shflag, int pmode);
/* _stat/_wstat/_fstat: `wide_size` picks struct _stat64 (64-bit st_size), else the x64
 * struct _stat (= _stat64i32). 0, or -1 with errno set. */
int crt_stat_path(const char *path, void *out, bool wide_size);
int crt_wstat_path(const WCHAR *path, void *out, bool wide_size);
int crt_fstat(int fd, void *out, bool wide_size);
/* _fsopen: a new stream on `name` (UTF-8) with fopen's `mode` and CRT_SH_* sharing; NULL with
 * errno set. (thunks/msvcrt/stdio.c) */
crt_FILE *crt_fsopen(const char *name, const char *mode, int shflag);
extern int32_t crt_fmode; /* _fmode: translation mode of new fds (CRT_O_BINARY set: binary) */

/* ---- errno (msvcrt numbering) ---- */
int *crt_errno_ptr(void);
void crt_set_errno(int crt_errno);
/* Linux errno / NTSTATUS -> msvcrt errno value */
int crt_errno_from_unix(int unix_errno);
int crt_errno_from_status(NTSTATUS st);
/* msvcrt errno values (the same as Linux up to ERANGE, different above) */
#define CRT_EPERM 1
#define CRT_ENOENT 2
#define CRT_ESRCH 3
#define CRT_EINTR 4
#define CRT_EIO 5
#define CRT_ENXIO 6
#define CRT_E2BIG 7
#define CRT_ENOEXEC 8
#define CRT_EBADF 9
#define CRT_ECHILD 10
#define CRT_EAGAIN 11
#define CRT_ENOMEM 12
#define CRT_EACCES 13
#define CRT_EFAULT 14
#define CRT_EBUSY 16
#define CRT_EEXIST 17
#define CRT_EXDEV 18
#define CRT_ENODEV 19
#define CRT_ENOTDIR 20
#define CRT_EISDIR 21
#define CRT_EINVAL 22
#define CRT_ENFILE 23
#define CRT_EMFILE 24
#define CRT_ENOTTY 25
#define CRT_EFBIG 27
#define CRT_ENOSPC 28
#define CRT_ESPIPE 29
#define CRT_EROFS 30
#define CRT_EMLINK 31
#define CRT_EPIPE 32
#define CRT_EDOM 33
#define CRT_ERANGE 34
#define CRT_EDEADLK 36
#define CRT_ENAMETOOLONG 38
#define CRT_ENOLCK 39
#define CRT_ENOSYS 40
#define CRT_ENOTEMPTY 41
#define CRT_EILSEQ 42
#define CRT_STRUNCATE 80
/* __doserrno of the calling thread (the Win32 error behind the last errno set from a status) */
uint32_t *crt_doserrno_ptr(void);

/* ---- the CRT heap (thunks/msvcrt/heap.c) ----
 * Memory the program may free() or _msize() must come from here, not from glibc directly. */
void *crt_malloc(size_t n);             /* NULL with errno ENOMEM */
void *crt_calloc(size_t count, size_t n);
void *crt_realloc(void *p, size_t n);
void crt_free(void *p);
/* The same in the exports' ABI (no ms_abi -> SysV call on their common path). */
CRT_HOT void *crt_malloc_hot(size_t n);
CRT_HOT void *crt_realloc_hot(void *p, size_t n);
CRT_HOT void crt_free_hot(void *p);
/* Frees every CRT heap block the program left (end of a libntrun run). */
void crt_heap_reset(void);

/* ---- the CRT's environment copy (thunks/msvcrt/env.c) ----
 * Built from thk_startup_info.envp; crt_startup_init() should call crt_env_init() so that
 * the _environ data export is filled before the program runs (every env function also builds
 * it on first use). crt_env_get() returns the current _environ array (for __getmainargs). */
void crt_env_init(void);
char **crt_env_get(void);
WCHAR **crt_wenv_get(void); /* builds _wenviron on first call (for __wgetmainargs) */

/* ---- format engines (thunks/msvcrt/format.c): msvcrt semantics ----
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
/* The UCRT's variant (ucrtbase's __stdio_common_* families, thunks/ucrtbase/stdio.c): C99
 * sizes hh, z, j, t and the %F conversion; floating point printed exactly (nearest-even, as
 * glibc prints it) with "inf", "nan", "-nan(ind)", "nan(snan)" and two-digit exponents; in wide
 * functions %s and %c narrow and %S %C wide unless LEGACY_WIDE_SPECIFIERS; %n stores the count
 * only with count_output (else `invalid` is set and the call fails with EINVAL). The option
 * bits are corecrt_stdio_config.h's _CRT_INTERNAL_PRINTF_*. */
#define CRT_PRINTF_LEGACY_VSPRINTF_NULL_TERMINATION (1ULL << 0)
#define CRT_PRINTF_STANDARD_SNPRINTF_BEHAVIOR (1ULL << 1)
#define CRT_PRINTF_LEGACY_WIDE_SPECIFIERS (1ULL << 2)
#define CRT_PRINTF_LEGACY_MSVCRT_COMPATIBILITY (1ULL << 3)
#define CRT_PRINTF_LEGACY_THREE_DIGIT_EXPONENTS (1ULL << 4)
typedef struct crt_fmt_mode {
    uint64_t options;  /* CRT_PRINTF_* */
    bool count_output; /* _set_printf_count_output(1): %n stores */
    bool positional;   /* the _p functions: %n$ positional parameters */
    bool invalid;      /* out: the call failed on an invalid parameter (%n refused, bad %n$) */
    const void *locale; /* the _locale_t argument: NULL for the thread's locale */
} crt_fmt_mode;
int crt_vformat_ucrt(const crt_out *out, const char *fmt, crt_fmt_mode *mode,
                     __builtin_ms_va_list ap);
int crt_vwformat_ucrt(const crt_wout *out, const WCHAR *fmt, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap);
/* To a stream, locked for the call (wide: WCHAR format, UTF-8 in text mode). Count or -1. */
int crt_format_stream(crt_FILE *f, const void *fmt, bool wide, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap);
/* Into buf: its first `cap` characters (no terminator); returns the length of the whole text
 * (buf NULL: only counts), -1 on a failed conversion. */
int crt_format_buffer(void *buf, size_t cap, const void *fmt, bool wide, crt_fmt_mode *mode,
                      __builtin_ms_va_list ap);
/* To the console (thunks/msvcrt/conio.c: CONOUT$, never stdout), under the console lock so
 * that one call's text stays together (mode NULL: msvcrt's rules). Count, or -1 when there is
 * no console. */
int crt_format_console(const void *fmt, bool wide, crt_fmt_mode *mode, __builtin_ms_va_list ap);

typedef struct crt_in {
    int (*getc)(void *ctx);          /* -1 at end */
    void (*ungetc)(void *ctx, int c);
    void *ctx;
} crt_in;
int crt_vscan(const crt_in *in, const char *fmt, __builtin_ms_va_list ap);
/* The wide form (wscanf rules): `in` yields UTF-16 units, %s %c %[ store WCHARs and %hs %S
 * store UTF-8. */
int crt_vwscan(const crt_in *in, const WCHAR *fmt, __builtin_ms_va_list ap);
/* A string of `len` characters (SIZE_MAX: up to its NUL) or a stream, narrow or wide; `flags`
 * CRT_SCAN_SECURE as the _s forms (a size after each %c %s %[ pointer), CRT_SCAN_UCRT for the
 * UCRT's sizes (hh, z, j, t). EOF (-1) with errno EINVAL for a NULL source, stream or
 * format. */
#define CRT_SCAN_SECURE 1u
#define CRT_SCAN_UCRT 2u
/* The decimal point of floating-point fields, when not '.' (the UCRT's locales). */
#define CRT_SCAN_DECIMAL(c) ((unsigned)(uint8_t)(c) << 8)
int crt_scan_string(const void *s, size_t len, bool wide, const void *fmt, unsigned flags,
                    __builtin_ms_va_list ap);
int crt_scan_stream(void *f, const void *fmt, bool wide, unsigned flags, __builtin_ms_va_list ap);
int crt_scan_console(const void *fmt, bool wide, unsigned flags, __builtin_ms_va_list ap);

/* Console I/O (conio.c): the _cprintf family's sinks write to CONOUT$ (failed: no console),
 * the _cscanf family's source reads CONIN$'s keys with echo. Formatting holds the console lock
 * (recursive) so that one call's text stays together. */
typedef struct crt_conio_sink {
    bool failed;
} crt_conio_sink;
crt_out crt_conio_out(crt_conio_sink *k);
crt_wout crt_conio_wout(crt_conio_sink *k);
crt_in crt_conio_in(bool wide);
/* The UCRT's __conio_common_vc(w)scanf: its option bits (1: the _s forms), its locale. */
int crt_conio_vscan(uint64_t ucrt_options, const void *fmt, bool wide, const void *locale,
                    __builtin_ms_va_list ap);
void crt_conio_lock(void);
void crt_conio_unlock(void);
int WINAPI msvcrt__vcprintf(const char *fmt, __builtin_ms_va_list ap);   /* format.c */
int WINAPI msvcrt__vcwprintf(const WCHAR *fmt, __builtin_ms_va_list ap);

/* The _s string and conversion functions (string.c, conv.c): errno_t results, errno set,
 * destination cleared as Windows clears it, no invalid-parameter handler (msvcrt's way);
 * ucrtbase wraps them to call its handler (thunks/ucrtbase/secure.c). */
int WINAPI msvcrt_memcpy_s(void *d, size_t size, const void *s, size_t n);
int WINAPI msvcrt_memmove_s(void *d, size_t size, const void *s, size_t n);
int WINAPI msvcrt_strcpy_s(char *d, size_t size, const char *s);
int WINAPI msvcrt_strcat_s(char *d, size_t size, const char *s);
int WINAPI msvcrt_strncpy_s(char *d, size_t size, const char *s, size_t count);
int WINAPI msvcrt_strncat_s(char *d, size_t size, const char *s, size_t count);
int WINAPI msvcrt_wcscpy_s(WCHAR *d, size_t size, const WCHAR *s);
int WINAPI msvcrt_wcscat_s(WCHAR *d, size_t size, const WCHAR *s);
int WINAPI msvcrt_wcsncpy_s(WCHAR *d, size_t size, const WCHAR *s, size_t count);
int WINAPI msvcrt_wcsncat_s(WCHAR *d, size_t size, const WCHAR *s, size_t count);
int WINAPI msvcrt__itoa_s(int v, char *b, size_t n, int r);
char *WINAPI msvcrt_strtok_s(char *s, const char *delim, char **ctx);
WCHAR *WINAPI msvcrt_wcstok_s(WCHAR *s, const WCHAR *delim, WCHAR **ctx);
/* wcsftime with a locale argument (NULL: the current locale); for the UCRT's _Wcsftime. */
struct crt_tm;
size_t WINAPI msvcrt__wcsftime_l(WCHAR *buf, size_t max, const WCHAR *fmt,
                                 const struct crt_tm *tm, void *locale);
int WINAPI msvcrt__mbstowcs_s_l(size_t *ret, WCHAR *dst, size_t size, const char *src,
                                size_t count, void *locale);            /* mbcs.c */
int WINAPI msvcrt__wcstombs_s_l(size_t *ret, char *dst, size_t size, const WCHAR *src,
                                size_t count, void *locale);
int WINAPI msvcrt_getenv_s(size_t *ret, char *buf, size_t size, const char *name); /* env.c */
int WINAPI msvcrt__wgetenv_s(size_t *ret, WCHAR *buf, size_t size, const WCHAR *name);
int WINAPI msvcrt__ultoa_s(uint32_t v, char *b, size_t n, int r);
int WINAPI msvcrt__i64toa_s(int64_t v, char *b, size_t n, int r);
int WINAPI msvcrt__ui64toa_s(uint64_t v, char *b, size_t n, int r);
int WINAPI msvcrt__itow_s(int v, WCHAR *b, size_t n, int r);
int WINAPI msvcrt__ultow_s(uint32_t v, WCHAR *b, size_t n, int r);
int WINAPI msvcrt__i64tow_s(int64_t v, WCHAR *b, size_t n, int r);
int WINAPI msvcrt__ui64tow_s(uint64_t v, WCHAR *b, size_t n, int r);

#endif
