/* SPDX-License-Identifier: MIT */
/* msvcrt's stdio: FILE objects over the fd layer (thunks/msvcrt/io.c). The standard streams are
 * crt_iob[0..2] (__iob_func, __acrt_iob_func, the _iob data export); every other stream is
 * a crt_filex from a fixed pool: the 48-byte _iobuf followed by its CRITICAL_SECTION, which is
 * where mingw-w64's _lock_file looks (it takes _lock(16 + i) for crt_iob[i]). A closed standard
 * stream's slot is reused by the next fopen, as msvcrt reuses the lowest free _iob entry.
 *
 * The buffer state lives in the _iobuf fields exactly as msvcrt keeps it (_ptr, _cnt, _base,
 * _bufsiz, _flag), because mingw-w64's _fgetc_nolock/_fputc_nolock macros work on them and
 * call _filbuf/_flsbuf. Buffering follows msvcrt: a stream gets a 4096-byte buffer at its first
 * read or write, except stdout and stderr on a character device (console), which stay
 * unbuffered; stderr redirected to a file or pipe is buffered like any stream. The buffer holds
 * untranslated text: LF becomes CR LF when the fd layer writes it out, and reads are translated
 * by the fd layer as they fill the buffer. ftell in text mode follows msvcrt's arithmetic
 * (each LF in the buffer counts as CR LF). Everything written is flushed by exit() and on
 * process exit (crt_flush_all, run by thunks/msvcrt/startup.c's exit hook); _exit loses it, as on
 * Windows. The _lock table (64 recursive locks) is here too. */
#include <emmintrin.h>
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "runtime/exception.h"
#include "runtime/runtime.h"
#include "thunks/kernel32/cs_inline.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

#define CRT_EOF (-1)
#define CRT_WEOF 0xFFFF
#define CRT_INTERNAL_BUFSIZ 4096
#define CRT_BUFSIZ 512
#define CRT_IOFBF 0x0000
#define CRT_IOLBF 0x0040
#define CRT_IOB_SCAN_LOCK 1
#define CRT_STREAMS_LIMIT 2048 /* _setmaxstdio's ceiling */
#define CRT_SEEK_SET 0
#define CRT_SEEK_CUR 1
#define CRT_SEEK_END 2

void WINAPI InitializeCriticalSection(CRITICAL_SECTION *cs);

crt_FILE crt_iob[CRT_IOB_ENTRIES] = {
    [0] = {._file = 0, ._flag = CRT_IOREAD},
    [1] = {._file = 1, ._flag = CRT_IOWRT},
    [2] = {._file = 2, ._flag = CRT_IOWRT},
};
THK_EXPORT_DATA(msvcrt, _iob, crt_iob);

static int32_t crt_commode; /* _IOCOMMIT when the program linked commode.obj */
THK_EXPORT_DATA(msvcrt, _commode, &crt_commode);

/* The pool of fopen'd streams. An entry's lock is initialized when the entry is first handed
 * out (ready); `taken` marks entries between fopen and fclose. */
/* (hidden globals: stdio_entry.S's getc fast path checks a FILE* against them) */
__attribute__((visibility("hidden"))) crt_filex crt_pool[CRT_STREAMS_LIMIT];
__attribute__((visibility("hidden"))) bool crt_pool_ready[CRT_STREAMS_LIMIT];
static bool crt_pool_taken[CRT_STREAMS_LIMIT];
/* How many of crt_pool's slots were ever made ready: a prefix, as crt_stream_alloc takes the
 * lowest free slot and makes a slot ready only when it is taken. The walks over every stream
 * (crt_flush_all at every process exit) stop there instead of scanning the 2048 flags. */
static int crt_pool_used;
static bool crt_std_taken[3] = {true, true, true};
static int crt_max_streams = 512; /* _getmaxstdio, counting the three standard streams */

/* What a stream needs beyond the _iobuf: the bytes the fd layer took from the handle for the
 * last buffer fill (ftell in text mode). */
typedef struct {
    int64_t raw_fill;
} crt_stream_extra;
static crt_stream_extra crt_iob_extra[CRT_IOB_ENTRIES];
static crt_stream_extra crt_pool_extra[CRT_STREAMS_LIMIT];

/* ---- the _lock table ---- */

/* Statically the state InitializeCriticalSection leaves (thunks/kernel32/sync.c's protocol). */
static CRITICAL_SECTION crt_locks[CRT_NLOCKS] = {
    [0 ... CRT_NLOCKS - 1] = {(void *)(intptr_t)-1, -1, 0, NULL, NULL, 0},
};

/* Everything from here to the exports of whole streams keeps to one ABI on its fast paths
 * (crt.h, CRT_HOT): the per-character exports are ms_abi, so are the locks and the primitives
 * they inline, and whatever calls SysV code (the fd layer, malloc, errno) is a noinline ms_abi
 * function of its own (CRT_SLOW) that pays the xmm6-15 saves only when it runs. */
#define CRT_SLOW CRT_HOT __attribute__((noinline, cold))

/* errno for the exports' argument checks, out of their way. */
static CRT_SLOW void crt_fail(int crt_errno) { crt_set_errno(crt_errno); }

CRT_HOT void crt_lock(int n)
{
    if (n >= 0 && n < CRT_NLOCKS)
        k32_cs_enter_inline(&crt_locks[n]);
}

CRT_HOT void crt_unlock(int n)
{
    if (n >= 0 && n < CRT_NLOCKS)
        k32_cs_leave_inline(&crt_locks[n]);
}

/* The program's lock from here on: an exception in its frames does not release it. */
static void WINAPI msvcrt__lock(int n)
{
    crt_lock(n);
    if (n >= 0 && n < CRT_NLOCKS)
        thk_held_drop(&crt_locks[n]);
}
THK_EXPORT_AS(msvcrt, _lock, msvcrt__lock, 1);
static void WINAPI msvcrt__unlock(int n) { crt_unlock(n); }
THK_EXPORT_AS(msvcrt, _unlock, msvcrt__unlock, 1);

/* ---- which FILE is which ---- */

static inline int crt_iob_index(const void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)crt_iob;
    if (a < b || a >= b + sizeof crt_iob || (a - b) % sizeof(crt_FILE))
        return -1;
    return (int)((a - b) / sizeof(crt_FILE));
}

static inline int crt_pool_index(const void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)crt_pool;
    if (a < b || a >= b + sizeof crt_pool || (a - b) % sizeof(crt_filex))
        return -1;
    return (int)((a - b) / sizeof(crt_filex));
}

static inline crt_FILE *crt_check(void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)crt_iob;
    if (a >= b && a < b + sizeof crt_iob && (a - b) % sizeof(crt_FILE) == 0)
        return p; /* crt_iob_index(p) >= 0, without the division */
    int i = crt_pool_index(p);
    if (i >= 0 && __atomic_load_n(&crt_pool_ready[i], __ATOMIC_ACQUIRE))
        return p;
    return NULL;
}

CRT_HOT crt_FILE *crt_stream_check(void *p) { return crt_check(p); }

static crt_stream_extra *crt_extra(crt_FILE *f)
{
    int i = crt_iob_index(f);
    return i >= 0 ? &crt_iob_extra[i] : &crt_pool_extra[crt_pool_index(f)];
}

/* The stream's lock: _lock(16 + i) for crt_iob[i], the CRITICAL_SECTION after the FILE for
 * a pool stream (where mingw-w64's _lock_file looks for both). */
static inline CRITICAL_SECTION *crt_stream_cs(crt_FILE *f)
{
    size_t off = (uintptr_t)f - (uintptr_t)crt_iob; /* f is one of ours (crt_check) */
    return off < sizeof crt_iob ? &crt_locks[CRT_STREAM_LOCKS + off / sizeof(crt_FILE)]
                                : &((crt_filex *)f)->lock;
}

static inline void crt_slock(crt_FILE *f) { k32_cs_enter_inline(crt_stream_cs(f)); }
static inline void crt_sunlock(crt_FILE *f) { k32_cs_leave_inline(crt_stream_cs(f)); }

CRT_HOT void crt_stream_lock(crt_FILE *f) { crt_slock(f); }
CRT_HOT void crt_stream_unlock(crt_FILE *f) { crt_sunlock(f); }

/* A FILE* argument: ours, or NULL with errno EINVAL (msvcrt's invalid parameter path). */
static inline crt_FILE *crt_arg(void *p)
{
    crt_FILE *f = p ? crt_check(p) : NULL;
    if (__builtin_expect(!f, 0))
        crt_fail(CRT_EINVAL);
    return f;
}

/* A free stream: a closed standard slot first, then the pool. NULL with errno EMFILE. */
static crt_FILE *crt_stream_alloc(void)
{
    crt_FILE *f = NULL;
    crt_lock(CRT_IOB_SCAN_LOCK);
    for (int i = 0; i < 3 && !f; i++) {
        if (!crt_std_taken[i]) {
            crt_std_taken[i] = true;
            f = &crt_iob[i];
        }
    }
    for (int i = 0; i < crt_max_streams - 3 && !f; i++) {
        if (crt_pool_taken[i])
            continue;
        if (!crt_pool_ready[i]) {
            InitializeCriticalSection(&crt_pool[i].lock);
            __atomic_store_n(&crt_pool_ready[i], true, __ATOMIC_RELEASE);
            if (i + 1 > crt_pool_used)
                __atomic_store_n(&crt_pool_used, i + 1, __ATOMIC_RELEASE);
        }
        crt_pool_taken[i] = true;
        f = &crt_pool[i].file;
    }
    crt_unlock(CRT_IOB_SCAN_LOCK);
    if (!f)
        crt_set_errno(CRT_EMFILE);
    return f;
}

/* Marks f as handed out (freopen of a stream that was closed). */
static void crt_stream_take(crt_FILE *f)
{
    crt_lock(CRT_IOB_SCAN_LOCK);
    int i = crt_iob_index(f);
    if (i >= 0 && i < 3)
        crt_std_taken[i] = true;
    else if ((i = crt_pool_index(f)) >= 0)
        crt_pool_taken[i] = true;
    crt_unlock(CRT_IOB_SCAN_LOCK);
}

static void crt_stream_release(crt_FILE *f)
{
    crt_lock(CRT_IOB_SCAN_LOCK);
    int i = crt_iob_index(f);
    if (i >= 0 && i < 3)
        crt_std_taken[i] = false;
    else if ((i = crt_pool_index(f)) >= 0)
        crt_pool_taken[i] = false;
    crt_unlock(CRT_IOB_SCAN_LOCK);
}

/* ---- buffers ---- */

static bool crt_inuse(const crt_FILE *f) { return f->_flag & (CRT_IOREAD | CRT_IOWRT | CRT_IORW); }
static bool crt_anybuf(const crt_FILE *f)
{
    return f->_flag & (CRT_IOMYBUF | CRT_IONBF | CRT_IOYOURBUF);
}
static bool crt_bigbuf(const crt_FILE *f) { return f->_flag & (CRT_IOMYBUF | CRT_IOYOURBUF); }

/* stdout or stderr on a console: msvcrt never gives these a buffer. (msvcrt asks _isatty, which
 * is true for every character device; output to NUL is buffered here all the same, as nothing
 * can tell the difference and a write per character would make it very slow.) */
static bool crt_std_unbuffered(const crt_FILE *f)
{
    return (f == &crt_iob[1] || f == &crt_iob[2]) && crt_fd_is_console(f->_file);
}

static void crt_getbuf(crt_FILE *f)
{
    char *b = calloc(1, CRT_INTERNAL_BUFSIZ);
    if (b) {
        f->_flag |= CRT_IOMYBUF;
        f->_base = b;
        f->_bufsiz = CRT_INTERNAL_BUFSIZ;
    } else {
        f->_flag |= CRT_IONBF;
        f->_base = (char *)&f->_charbuf;
        f->_bufsiz = 2;
    }
    f->_ptr = f->_base;
    f->_cnt = 0;
}

static void crt_freebuf(crt_FILE *f)
{
    if ((f->_flag & CRT_IOMYBUF) && f->_base)
        free(f->_base);
    f->_flag &= ~(CRT_IOMYBUF | CRT_IOSETVBUF | CRT_IOYOURBUF | CRT_IONBF);
    f->_base = f->_ptr = NULL;
    f->_cnt = 0;
    f->_bufsiz = 0;
}

/* Writes out what the buffer holds (a stream in write mode) and empties it; a stream being
 * read loses its buffered input, as with msvcrt. 0 or EOF. */
static int crt_flush_locked(crt_FILE *f)
{
    int r = 0;
    if ((f->_flag & (CRT_IOREAD | CRT_IOWRT)) == CRT_IOWRT && crt_bigbuf(f)) {
        int n = (int)(f->_ptr - f->_base);
        if (n > 0) {
            if (crt_fd_write(f->_file, f->_base, (unsigned)n) == n) {
                if (f->_flag & CRT_IORW)
                    f->_flag &= ~CRT_IOWRT;
            } else {
                f->_flag |= CRT_IOERR;
                r = CRT_EOF;
            }
        }
    }
    f->_ptr = f->_base;
    f->_cnt = 0;
    return r;
}

static int crt_fflush_locked(crt_FILE *f)
{
    if (crt_flush_locked(f))
        return CRT_EOF;
    if (f->_flag & CRT_IOCOMMIT) {
        IO_STATUS_BLOCK io;
        HANDLE h = crt_fd_handle(f->_file);
        if (h == INVALID_HANDLE_VALUE || !NT_SUCCESS(NtFlushBuffersFile(h, &io)))
            return CRT_EOF;
    }
    return 0;
}

/* Is the stream open for writing ("w", "a", any "+" mode)? A read-only one is not: every write
 * to it fails with _IOERR and errno EBADF (crt_prepare_write, crt_write_slow), and the fast
 * paths (crt_fast_write, crt_write_locked, stdio_entry.S's fwrite) leave it to them. */
static inline bool crt_writable(const crt_FILE *f)
{
    return (f->_flag & (CRT_IOWRT | CRT_IORW)) != 0;
}

/* The switch to writing that msvcrt's _flsbuf makes: -1 (with _IOERR) when the stream may not
 * be written now (read-only: errno EBADF; a string: ERANGE; read-write in the middle of
 * reading). */
static int crt_prepare_write(crt_FILE *f)
{
    if (!crt_writable(f) || (f->_flag & CRT_IOSTRG)) {
        crt_set_errno(crt_writable(f) ? CRT_ERANGE : CRT_EBADF);
        f->_flag |= CRT_IOERR;
        return -1;
    }
    if (f->_flag & CRT_IOREAD) {
        f->_cnt = 0;
        if (!(f->_flag & CRT_IOEOF)) {
            f->_flag |= CRT_IOERR;
            return -1;
        }
        f->_ptr = f->_base;
        f->_flag &= ~CRT_IOREAD;
    }
    f->_flag |= CRT_IOWRT;
    f->_flag &= ~CRT_IOEOF;
    f->_cnt = 0;
    return 0;
}

/* msvcrt's _flsbuf: the buffer is full (or there is none); write it out and store ch. */
static CRT_SLOW int crt_flsbuf_locked(int ch, crt_FILE *f)
{
    if (crt_prepare_write(f) < 0)
        return CRT_EOF;
    if (!crt_anybuf(f) && !crt_std_unbuffered(f))
        crt_getbuf(f);
    int want, wrote;
    if (crt_bigbuf(f)) {
        want = (int)(f->_ptr - f->_base);
        f->_ptr = f->_base + 1;
        f->_cnt = f->_bufsiz - 1;
        wrote = 0;
        if (want > 0)
            wrote = crt_fd_write(f->_file, f->_base, (unsigned)want);
        else if (crt_fd_flags(f->_file) & CRT_FDF_APPEND)
            crt_fd_seek(f->_file, 0, CRT_SEEK_END);
        *f->_base = (char)ch;
    } else {
        char c = (char)ch;
        want = 1;
        wrote = crt_fd_write(f->_file, &c, 1);
    }
    if (wrote != want) {
        f->_flag |= CRT_IOERR;
        return CRT_EOF;
    }
    return ch & 0xff;
}

/* msvcrt's _filbuf: the buffer is empty; fill it and return the first byte. */
static CRT_SLOW int crt_filbuf_locked(crt_FILE *f)
{
    if (!crt_inuse(f) || (f->_flag & CRT_IOSTRG))
        return CRT_EOF;
    if (f->_flag & CRT_IOWRT) {
        f->_flag |= CRT_IOERR;
        return CRT_EOF;
    }
    f->_flag |= CRT_IOREAD;
    if (!crt_anybuf(f))
        crt_getbuf(f);
    else
        f->_ptr = f->_base;
    int64_t raw = 0;
    int n = crt_fd_read(f->_file, f->_base, (unsigned)f->_bufsiz, &raw);
    uint32_t fdf = crt_fd_flags(f->_file);
    crt_extra(f)->raw_fill = raw + ((fdf & CRT_FDF_CRLF) ? 1 : 0);
    if (n <= 0) {
        f->_flag |= n ? CRT_IOERR : CRT_IOEOF;
        f->_cnt = 0;
        return CRT_EOF;
    }
    f->_cnt = n;
    if (!(f->_flag & (CRT_IOWRT | CRT_IORW)) &&
        (fdf & (CRT_FDF_TEXT | CRT_FDF_EOF)) == (CRT_FDF_TEXT | CRT_FDF_EOF))
        f->_flag |= CRT_IOCTRLZ;
    f->_cnt--;
    return (unsigned char)*f->_ptr++;
}

static inline int crt_getc_locked(crt_FILE *f)
{
    return --f->_cnt >= 0 ? (unsigned char)*f->_ptr++ : crt_filbuf_locked(f);
}

static inline int crt_putc_locked(int c, crt_FILE *f)
{
    return --f->_cnt >= 0 ? 0xff & (*f->_ptr++ = (char)c) : crt_flsbuf_locked(c, f);
}

static CRT_SLOW void crt_getbuf_cold(crt_FILE *f) { crt_getbuf(f); }

static inline int crt_ungetc_locked(int c, crt_FILE *f)
{
    if (c == CRT_EOF ||
        !((f->_flag & CRT_IOREAD) || ((f->_flag & CRT_IORW) && !(f->_flag & CRT_IOWRT))))
        return CRT_EOF;
    if (!f->_base)
        crt_getbuf_cold(f);
    if (f->_ptr == f->_base) {
        if (f->_cnt > 0)
            return CRT_EOF; /* no room in front of unread data */
        f->_ptr++;
    }
    if (f->_flag & CRT_IOSTRG) {
        if (*--f->_ptr != (char)c) {
            ++f->_ptr;
            return CRT_EOF;
        }
    } else {
        *--f->_ptr = (char)c;
    }
    if (f->_cnt < 0)
        f->_cnt = 0;
    f->_cnt++;
    f->_flag &= ~CRT_IOEOF;
    f->_flag |= CRT_IOREAD;
    return c & 0xff;
}

/* A copy for the fast paths (memcpy is SysV). A line's worth (fputs, fgets, Lua's fwrite of a
 * string: tens of bytes) is copied 16 bytes a step, the last 16 over what the loop copied, as
 * rep movsb's start-up (~30 cycles here) was most of such a copy (stdio.lines' profile: fgets'
 * rep movsb a quarter of its samples); a long one is left to rep movsb, which the processor
 * runs as a block copy. The ranges must not overlap (memcpy's rule; no caller's do). */
#define CRT_COPY_REP_MIN 512
static inline void crt_copy(void *dst, const void *src, size_t n)
{
    char *d = dst;
    const char *s = src;
    if (n >= 16) {
        if (__builtin_expect(n >= CRT_COPY_REP_MIN, 0)) {
            __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
            return;
        }
        for (size_t i = 0; i + 16 < n; i += 16)
            _mm_storeu_si128((__m128i *)(d + i), _mm_loadu_si128((const __m128i *)(s + i)));
        _mm_storeu_si128((__m128i *)(d + n - 16), _mm_loadu_si128((const __m128i *)(s + n - 16)));
    } else if (n >= 8) {
        uint64_t a, b;
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(&b, s + n - 8, 8);
        __builtin_memcpy(d, &a, 8);
        __builtin_memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        __builtin_memcpy(&a, s, 4);
        __builtin_memcpy(&b, s + n - 4, 4);
        __builtin_memcpy(d, &a, 4);
        __builtin_memcpy(d + n - 4, &b, 4);
    } else if (n) {
        char a = s[0], b = s[n / 2], c = s[n - 1];
        d[0] = a;
        d[n / 2] = b;
        d[n - 1] = c;
    }
}

/* The index of the first LF in b[0, lim), or lim: 16 bytes compared a step (SSE2), as glibc's
 * fgets finds the line's end with memchr, instead of a byte loop (that loop was half of fgets'
 * samples in stdio.lines). The loads are aligned to 16, so none reaches a page that the range
 * does not touch; the bytes before b and from b + lim on that they read never count. */
static inline size_t crt_find_lf(const char *b, size_t lim)
{
    if (!lim)
        return 0;
    const __m128i lf = _mm_set1_epi8('\n');
    uintptr_t a = (uintptr_t)b & ~(uintptr_t)15, end = (uintptr_t)b + lim;
    unsigned skip = (unsigned)((uintptr_t)b & 15);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)a), lf));
    m = m >> skip << skip;
    while (!m) {
        a += 16;
        if (a >= end)
            return lim;
        m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)a), lf));
    }
    size_t i = a + (unsigned)__builtin_ctz(m) - (uintptr_t)b;
    return i < lim ? i : lim;
}

/* strlen for the ms_abi exports (the libc one is SysV): 16 bytes a step, aligned loads (never
 * into a page past the string's end). */
static inline size_t crt_strlen(const char *s)
{
    const __m128i zero = _mm_setzero_si128();
    uintptr_t a = (uintptr_t)s & ~(uintptr_t)15;
    unsigned skip = (unsigned)((uintptr_t)s & 15);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)a), zero));
    m = m >> skip << skip;
    while (!m) {
        a += 16;
        m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)a), zero));
    }
    return a + (unsigned)__builtin_ctz(m) - (uintptr_t)s;
}

/* fwrite's loop (msvcrt): fill the buffer, write whole buffers' worth directly, one byte at a
 * time through _flsbuf otherwise. stdout/stderr on a console take the whole call in one write,
 * as msvcrt's temporary buffering (_stbuf) makes it. Returns the bytes consumed. */
static CRT_SLOW size_t crt_write_slow(crt_FILE *f, const char *data, size_t count)
{
    size_t total = count;
    if (!crt_writable(f)) { /* before any path, the direct write of a big count too */
        crt_prepare_write(f); /* _IOERR, errno EBADF */
        return 0;
    }
    unsigned bufsize = crt_anybuf(f) ? (unsigned)f->_bufsiz : CRT_INTERNAL_BUFSIZ;
    while (count) {
        if (crt_bigbuf(f) && f->_cnt > 0) {
            size_t n = count < (size_t)f->_cnt ? count : (size_t)f->_cnt;
            memcpy(f->_ptr, data, n);
            f->_cnt -= (int32_t)n;
            f->_ptr += n;
            data += n;
            count -= n;
        } else if (!crt_anybuf(f) && crt_std_unbuffered(f)) {
            if (crt_prepare_write(f) < 0)
                break;
            unsigned n = count > INT_MAX ? INT_MAX : (unsigned)count;
            int w = crt_fd_write(f->_file, data, n);
            if (w < 0) {
                f->_flag |= CRT_IOERR;
                break;
            }
            data += w;
            count -= (size_t)w;
            if ((unsigned)w < n) {
                f->_flag |= CRT_IOERR;
                break;
            }
        } else if (count >= bufsize) {
            if (crt_bigbuf(f) && crt_flush_locked(f))
                break;
            size_t n = count > INT_MAX ? INT_MAX : count;
            if (bufsize)
                n -= n % bufsize;
            int w = crt_fd_write(f->_file, data, (unsigned)n);
            if (w < 0) {
                f->_flag |= CRT_IOERR;
                break;
            }
            data += w;
            count -= (size_t)w;
            if ((size_t)w < n) {
                f->_flag |= CRT_IOERR;
                break;
            }
        } else {
            if (crt_flsbuf_locked((unsigned char)*data, f) == CRT_EOF)
                break;
            data++;
            count--;
            bufsize = f->_bufsiz > 0 ? (unsigned)f->_bufsiz : 1;
        }
    }
    return total - count;
}

/* Fast path: what fits in the buffer's room is copied there. */
static inline size_t crt_write_locked(crt_FILE *f, const char *data, size_t count)
{
    if (crt_bigbuf(f) && f->_cnt > 0 && count <= (size_t)f->_cnt && crt_writable(f)) {
        crt_copy(f->_ptr, data, count);
        f->_cnt -= (int32_t)count;
        f->_ptr += count;
        return count;
    }
    return crt_write_slow(f, data, count);
}

/* fread's loop (msvcrt): take from the buffer, read whole buffers' worth directly into the
 * caller's memory, refill through _filbuf otherwise. Returns the bytes stored. */
static CRT_SLOW size_t crt_read_slow(crt_FILE *f, char *data, size_t count)
{
    size_t total = count;
    unsigned bufsize = crt_anybuf(f) ? (unsigned)f->_bufsiz : CRT_INTERNAL_BUFSIZ;
    while (count) {
        if (crt_anybuf(f) && f->_cnt > 0) {
            size_t n = count < (size_t)f->_cnt ? count : (size_t)f->_cnt;
            memcpy(data, f->_ptr, n);
            f->_cnt -= (int32_t)n;
            f->_ptr += n;
            data += n;
            count -= n;
        } else if (count >= bufsize) {
            size_t n = count > INT_MAX ? INT_MAX : count;
            if (bufsize)
                n -= n % bufsize;
            int r = crt_fd_read(f->_file, data, (unsigned)n, NULL);
            if (r == 0) {
                f->_flag |= CRT_IOEOF;
                break;
            }
            if (r < 0) {
                f->_flag |= CRT_IOERR;
                break;
            }
            data += r;
            count -= (size_t)r;
        } else {
            int c = crt_filbuf_locked(f);
            if (c == CRT_EOF)
                break;
            *data++ = (char)c;
            count--;
            bufsize = (unsigned)f->_bufsiz;
        }
    }
    return total - count;
}

/* Fast path: what the buffer holds already. */
static inline size_t crt_read_locked(crt_FILE *f, char *data, size_t count)
{
    if (crt_anybuf(f) && f->_cnt > 0 && count <= (size_t)f->_cnt) {
        crt_copy(data, f->_ptr, count);
        f->_cnt -= (int32_t)count;
        f->_ptr += count;
        return count;
    }
    return crt_read_slow(f, data, count);
}

/* ---- the single-thread fast paths ----
 * While the process has one thread that can run foreign code (runtime/runtime.h,
 * rt_single_enter), a byte or a run of bytes that the buffer holds already, or has room for,
 * moves without the stream's lock, as glibc's getc/putc skip theirs in a single-threaded
 * process. Everything else (a fill, a flush, a stream without a buffer) and every operation
 * once a second thread exists takes the lock. Locks taken by _lock_file and the like are
 * always real, so a stream locked before the second thread starts stays locked after. */

static inline bool crt_fast_getc(crt_FILE *f, int *c)
{
    if (!rt_single_enter())
        return false;
    bool ok = f->_cnt > 0;
    if (ok) {
        f->_cnt--;
        *c = (unsigned char)*f->_ptr++;
    }
    rt_single_leave();
    return ok;
}

extern crt_FILE *crt_fast_stream __attribute__((visibility("hidden")));

/* hand_over: f becomes the stream the inline code (getc, putc, fwrite, fputs, fgets) may use
 * unlocked, when it is open for writing with a buffer (putc's code wants both). */
static inline bool crt_fast_putc(int c, crt_FILE *f, bool hand_over)
{
    if (!rt_single_enter())
        return false;
    bool ok = f->_cnt > 0;
    if (ok) {
        f->_cnt--;
        *f->_ptr++ = (char)c;
        if (hand_over && crt_bigbuf(f) && (f->_flag & (CRT_IOWRT | CRT_IORW)))
            crt_fast_stream = f;
    }
    rt_single_leave();
    return ok;
}

/* hand_over: f becomes the stream the inline code (getc, fwrite) may use unlocked. */
static inline bool crt_fast_write(crt_FILE *f, const char *data, size_t count, bool hand_over)
{
    if (!rt_single_enter())
        return false;
    bool ok = crt_bigbuf(f) && f->_cnt > 0 && count <= (size_t)f->_cnt && crt_writable(f);
    if (ok) {
        crt_copy(f->_ptr, data, count);
        f->_cnt -= (int32_t)count;
        f->_ptr += count;
        if (hand_over)
            crt_fast_stream = f;
    }
    rt_single_leave();
    return ok;
}

static inline bool crt_fast_read(crt_FILE *f, char *data, size_t count)
{
    if (!rt_single_enter())
        return false;
    bool ok = crt_anybuf(f) && f->_cnt > 0 && count <= (size_t)f->_cnt;
    if (ok) {
        crt_copy(data, f->_ptr, count);
        f->_cnt -= (int32_t)count;
        f->_ptr += count;
    }
    rt_single_leave();
    return ok;
}

/* puts: the line and its LF, when the buffer has room for both. */
static inline bool crt_fast_puts(crt_FILE *f, const char *s, size_t len)
{
    if (!rt_single_enter())
        return false;
    bool ok = crt_bigbuf(f) && f->_cnt > 0 && len < (size_t)f->_cnt;
    if (ok) {
        crt_copy(f->_ptr, s, len);
        f->_ptr[len] = '\n';
        f->_cnt -= (int32_t)(len + 1);
        f->_ptr += len + 1;
    }
    rt_single_leave();
    return ok;
}

/* fgets from what the buffer holds: a whole line (or n - 1 bytes) there already. */
static inline bool crt_fast_gets(crt_FILE *f, char *s, int n)
{
    if (!rt_single_enter())
        return false;
    int avail = f->_cnt;
    bool ok = false;
    if (avail > 0) {
        size_t lim = (size_t)(avail < n - 1 ? avail : n - 1);
        const char *b = f->_ptr;
        size_t i = crt_find_lf(b, lim);
        if (i < lim || lim == (size_t)(n - 1)) {
            size_t len = i < lim ? i + 1 : lim;
            crt_copy(s, b, len);
            s[len] = 0;
            f->_ptr += len;
            f->_cnt -= (int32_t)len;
            crt_fast_stream = f; /* fgets' code in msvcrt's image takes the next line */
            ok = true;
        }
    }
    rt_single_leave();
    return ok;
}

/* ftell (msvcrt's arithmetic): the fd position, less what the buffer read ahead, plus what the
 * buffer holds for writing; in text mode every LF counts as the CR LF it stands for. */
static int64_t crt_ftell_locked(crt_FILE *f)
{
    if (f->_cnt < 0)
        f->_cnt = 0;
    int fd = f->_file;
    int64_t pos = crt_fd_seek(fd, 0, CRT_SEEK_CUR);
    if (pos < 0)
        return -1;
    if (!crt_bigbuf(f))
        return pos - f->_cnt;
    bool text = crt_fd_is_text(fd);
    int64_t off = f->_ptr - f->_base;
    if (f->_flag & (CRT_IOWRT | CRT_IOREAD)) {
        if (text)
            for (const char *p = f->_base; p < f->_ptr; p++)
                if (*p == '\n')
                    off++;
    } else if (!(f->_flag & CRT_IORW)) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (pos == 0)
        return off;
    if (f->_flag & CRT_IOREAD) {
        if (f->_cnt == 0) {
            off = 0; /* everything read was consumed: the fd position is the answer */
        } else {
            int64_t held = f->_cnt + (f->_ptr - f->_base), ahead = held;
            if (text) {
                if (crt_fd_seek(fd, 0, CRT_SEEK_END) == pos) {
                    for (const char *p = f->_base; p < f->_base + held; p++)
                        if (*p == '\n')
                            ahead++;
                    if (f->_flag & CRT_IOCTRLZ)
                        ahead++;
                } else {
                    crt_fd_seek(fd, pos, CRT_SEEK_SET);
                    ahead = crt_extra(f)->raw_fill;
                }
            }
            pos -= ahead;
        }
    }
    return pos + off;
}

static int crt_fseek_locked(crt_FILE *f, int64_t offset, int whence)
{
    if (!crt_inuse(f) || whence < CRT_SEEK_SET || whence > CRT_SEEK_END) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    f->_flag &= ~CRT_IOEOF;
    if (whence == CRT_SEEK_CUR) {
        int64_t here = crt_ftell_locked(f);
        if (here < 0)
            return -1;
        offset += here;
        whence = CRT_SEEK_SET;
    }
    crt_flush_locked(f);
    if (f->_flag & CRT_IORW)
        f->_flag &= ~(CRT_IOWRT | CRT_IOREAD);
    return crt_fd_seek(f->_file, offset, whence) < 0 ? -1 : 0;
}

static int crt_fclose_locked(crt_FILE *f)
{
    if (f->_flag & CRT_IOSTRG) {
        f->_flag = 0;
        return CRT_EOF;
    }
    int r = CRT_EOF;
    if (crt_inuse(f)) {
        r = crt_flush_locked(f);
        crt_freebuf(f);
        if (crt_fd_close(f->_file) < 0) {
            r = CRT_EOF;
        } else if (f->_tmpfname) {
            /* tmpfile's file went with its delete-on-close handle; should it still be there,
             * one more delete-on-close open and close removes it */
            char *name = f->_tmpfname;
            f->_tmpfname = NULL;
            int keep = *crt_errno_ptr();
            int fd = crt_fd_open(name, CRT_O_RDONLY | CRT_O_TEMPORARY, CRT_SH_DENYNO, 0);
            if (fd >= 0)
                crt_fd_close(fd);
            crt_set_errno(keep);
            free(name);
        }
    }
    f->_flag = 0;
    return r;
}

/* ---- the stream primitives of crt.h ---- */

CRT_HOT size_t crt_stream_write(crt_FILE *f, const void *buf, size_t n)
{
    if (crt_fast_write(f, buf, n, false))
        return n;
    crt_slock(f);
    size_t r = crt_write_locked(f, buf, n);
    crt_sunlock(f);
    return r;
}

CRT_HOT int crt_stream_getc(crt_FILE *f)
{
    int c;
    if (crt_fast_getc(f, &c))
        return c;
    crt_slock(f);
    c = crt_getc_locked(f);
    crt_sunlock(f);
    return c;
}

int crt_stream_ungetc(int c, crt_FILE *f)
{
    crt_stream_lock(f);
    int r = crt_ungetc_locked(c, f);
    crt_stream_unlock(f);
    return r;
}

int crt_stream_flush(crt_FILE *f)
{
    crt_stream_lock(f);
    int r = crt_fflush_locked(f);
    crt_stream_unlock(f);
    return r;
}

enum {
    CRT_EACH_STD = 1,     /* stdin, stdout and stderr too */
    CRT_EACH_WRITING = 2, /* only streams in write mode: a stream being read is not locked, so
                           * that a thread blocked reading stdin does not stop exit() */
};

/* Calls fn on every stream that may be in use, locked. */
static void crt_each_stream(void (*fn)(crt_FILE *f, void *ctx), void *ctx, unsigned which)
{
    int end = 3 + __atomic_load_n(&crt_pool_used, __ATOMIC_ACQUIRE);
    for (int i = (which & CRT_EACH_STD) ? 0 : 3; i < end; i++) {
        crt_FILE *f;
        if (i < 3)
            f = &crt_iob[i];
        else if (__atomic_load_n(&crt_pool_ready[i - 3], __ATOMIC_ACQUIRE))
            f = &crt_pool[i - 3].file;
        else
            continue;
        if ((which & CRT_EACH_WRITING) &&
            !(__atomic_load_n(&f->_flag, __ATOMIC_RELAXED) & CRT_IOWRT))
            continue;
        crt_stream_lock(f);
        fn(f, ctx);
        crt_stream_unlock(f);
    }
}

typedef struct {
    int count;
    int result;
    bool all; /* _flushall: read streams too (their buffers are dropped) */
} crt_flush_ctx;

static void crt_flush_one(crt_FILE *f, void *p)
{
    crt_flush_ctx *ctx = p;
    if (!crt_inuse(f))
        return;
    if (ctx->all) {
        if (crt_fflush_locked(f) != CRT_EOF)
            ctx->count++;
    } else if (f->_flag & CRT_IOWRT) {
        if (crt_fflush_locked(f) == CRT_EOF)
            ctx->result = CRT_EOF;
    }
}

void crt_flush_all(void)
{
    crt_flush_ctx ctx = {0, 0, false};
    crt_each_stream(crt_flush_one, &ctx, CRT_EACH_STD | CRT_EACH_WRITING);
}

/* ---- exports: the stream table ---- */

static crt_FILE *WINAPI msvcrt___iob_func(void) { return crt_iob; }
THK_EXPORT_AS(msvcrt, __iob_func, msvcrt___iob_func, 0);

static crt_FILE *WINAPI msvcrt___acrt_iob_func(unsigned index)
{
    return index < CRT_IOB_ENTRIES ? &crt_iob[index] : NULL;
}
THK_EXPORT_AS(msvcrt, __acrt_iob_func, msvcrt___acrt_iob_func, 1);

/* The UCRT starts stderr unbuffered whatever it is connected to (msvcrt buffers it when it is
 * not a console): a stream still in its initial state gets msvcrt's _IONBF set-up. */
void crt_stderr_unbuffered(void)
{
    crt_FILE *f = &crt_iob[2];
    crt_stream_lock(f);
    if (f->_file == 2 && !crt_anybuf(f)) {
        f->_flag |= CRT_IONBF;
        f->_base = f->_ptr = (char *)&f->_charbuf;
        f->_bufsiz = 2;
        f->_cnt = 0;
    }
    crt_stream_unlock(f);
}

static int32_t *WINAPI msvcrt___p__commode(void) { return &crt_commode; }
THK_EXPORT_AS(msvcrt, __p__commode, msvcrt___p__commode, 0);

static int WINAPI msvcrt__getmaxstdio(void) { return crt_max_streams; }
THK_EXPORT_AS(msvcrt, _getmaxstdio, msvcrt__getmaxstdio, 0);

static int WINAPI msvcrt__setmaxstdio(int n)
{
    if (n < CRT_IOB_ENTRIES || n > CRT_STREAMS_LIMIT)
        return -1;
    crt_lock(CRT_IOB_SCAN_LOCK);
    crt_max_streams = n;
    crt_unlock(CRT_IOB_SCAN_LOCK);
    return n;
}
THK_EXPORT_AS(msvcrt, _setmaxstdio, msvcrt__setmaxstdio, 1);

/* mingw-w64's _lock_file as msvcrt has it: standard streams also get _IOLOCKED. */
static void WINAPI msvcrt__lock_file(void *p)
{
    crt_FILE *f = crt_stream_check(p);
    if (!f)
        return;
    crt_stream_lock(f);
    thk_held_drop(crt_stream_cs(f)); /* the program's lock, as _lock's */
    if (crt_iob_index(f) >= 0)
        f->_flag |= CRT_IOLOCKED;
}
THK_EXPORT_AS(msvcrt, _lock_file, msvcrt__lock_file, 1);

static void WINAPI msvcrt__unlock_file(void *p)
{
    crt_FILE *f = crt_stream_check(p);
    if (!f)
        return;
    if (crt_iob_index(f) >= 0)
        f->_flag &= ~CRT_IOLOCKED;
    crt_stream_unlock(f);
}
THK_EXPORT_AS(msvcrt, _unlock_file, msvcrt__unlock_file, 1);

/* ---- exports: opening and closing ---- */

/* fopen's mode string -> _O_* flags and _flag bits. -1 (errno EINVAL) when unusable. */
static int crt_parse_mode(const char *mode, int *oflag, int *sflag)
{
    if (!mode)
        return -1;
    while (*mode == ' ')
        mode++;
    int commit = crt_commode & CRT_IOCOMMIT;
    switch (*mode++) {
    case 'r':
        *oflag = CRT_O_RDONLY;
        *sflag = CRT_IOREAD;
        break;
    case 'w':
        *oflag = CRT_O_WRONLY | CRT_O_CREAT | CRT_O_TRUNC;
        *sflag = CRT_IOWRT;
        break;
    case 'a':
        *oflag = CRT_O_WRONLY | CRT_O_CREAT | CRT_O_APPEND;
        *sflag = CRT_IOWRT;
        break;
    default:
        return -1;
    }
    /* As msvcrt: a second letter of a kind already seen, or an unknown one, ends the mode. */
    bool more = true, seen_commit = false, seen_seq = false;
    while (more && *mode) {
        switch (*mode) {
        case '+':
            if (*oflag & CRT_O_RDWR) {
                more = false;
            } else {
                *oflag = (*oflag & ~CRT_O_WRONLY) | CRT_O_RDWR;
                *sflag = CRT_IORW;
            }
            break;
        case 'b':
        case 't':
            if (*oflag & (CRT_O_TEXT | CRT_O_BINARY))
                more = false;
            else
                *oflag |= *mode == 'b' ? CRT_O_BINARY : CRT_O_TEXT;
            break;
        case 'c':
        case 'n':
            if (seen_commit)
                more = false;
            else {
                seen_commit = true;
                commit = *mode == 'c' ? CRT_IOCOMMIT : 0;
            }
            break;
        case 'S':
        case 'R':
            if (seen_seq)
                more = false;
            else {
                seen_seq = true;
                *oflag |= *mode == 'S' ? CRT_O_SEQUENTIAL : CRT_O_RANDOM;
            }
            break;
        case 'T':
            *oflag |= CRT_O_SHORT_LIVED;
            break;
        case 'D':
            *oflag |= CRT_O_TEMPORARY;
            break;
        case 'N':
            *oflag |= CRT_O_NOINHERIT;
            break;
        case ' ':
            break;
        case ',': {
            /* ", ccs=ENCODING": Unicode stream modes are not supported. */
            const char *p = mode + 1;
            while (*p == ' ')
                p++;
            if (strncmp(p, "ccs", 3) == 0)
                return -1;
            more = false;
            break;
        }
        default:
            more = false;
            break;
        }
        mode++;
    }
    *sflag |= commit;
    return 0;
}

static void crt_stream_init(crt_FILE *f, int fd, int sflag)
{
    f->_ptr = f->_base = NULL;
    f->_cnt = 0;
    f->_bufsiz = 0;
    f->_charbuf = 0;
    f->_tmpfname = NULL;
    f->_file = fd;
    f->_flag = sflag;
    crt_extra(f)->raw_fill = 0;
}

/* Opens `name` into stream f (held locked by the caller). */
static crt_FILE *crt_openfile(const char *name, const char *mode, int shflag, crt_FILE *f)
{
    int oflag, sflag;
    if (!name || crt_parse_mode(mode, &oflag, &sflag) < 0) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    int fd = crt_fd_open(name, oflag, shflag, 0x180 /* _S_IREAD | _S_IWRITE */);
    if (fd < 0)
        return NULL;
    crt_stream_init(f, fd, sflag);
    return f;
}

crt_FILE *crt_fsopen(const char *name, const char *mode, int shflag)
{
    int oflag, sflag;
    if (!name || crt_parse_mode(mode, &oflag, &sflag) < 0) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    crt_FILE *f = crt_stream_alloc();
    if (!f)
        return NULL;
    crt_stream_lock(f);
    crt_FILE *r = crt_openfile(name, mode, shflag, f);
    crt_stream_unlock(f);
    if (!r)
        crt_stream_release(f);
    return r;
}

/* Wide name and mode -> UTF-8 copies; false (errno set) on failure. */
static bool crt_wide_args(const WCHAR *name, const WCHAR *mode, char **a, char **m)
{
    *a = *m = NULL;
    if (!name || !mode) {
        crt_set_errno(CRT_EINVAL);
        return false;
    }
    *a = nt_utf16_to_utf8(name, nt_wcslen(name), NULL);
    *m = nt_utf16_to_utf8(mode, nt_wcslen(mode), NULL);
    if (!*a || !*m) {
        free(*a);
        free(*m);
        *a = *m = NULL;
        crt_set_errno(CRT_ENOMEM);
        return false;
    }
    return true;
}

static crt_FILE *WINAPI msvcrt_fopen(const char *name, const char *mode)
{
    return crt_fsopen(name, mode, CRT_SH_DENYNO);
}
THK_EXPORT_AS(msvcrt, fopen, msvcrt_fopen, 2);

static crt_FILE *WINAPI msvcrt__fsopen(const char *name, const char *mode, int shflag)
{
    return crt_fsopen(name, mode, shflag);
}
THK_EXPORT_AS(msvcrt, _fsopen, msvcrt__fsopen, 3);

static crt_FILE *WINAPI msvcrt__wfsopen(const WCHAR *name, const WCHAR *mode, int shflag)
{
    char *a, *m;
    if (!crt_wide_args(name, mode, &a, &m))
        return NULL;
    crt_FILE *f = crt_fsopen(a, m, shflag);
    free(a);
    free(m);
    return f;
}
THK_EXPORT_AS(msvcrt, _wfsopen, msvcrt__wfsopen, 3);

static crt_FILE *WINAPI msvcrt__wfopen(const WCHAR *name, const WCHAR *mode)
{
    return msvcrt__wfsopen(name, mode, CRT_SH_DENYNO);
}
THK_EXPORT_AS(msvcrt, _wfopen, msvcrt__wfopen, 2);

static crt_FILE *WINAPI msvcrt_freopen(const char *name, const char *mode, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return NULL;
    crt_stream_take(f);
    crt_stream_lock(f);
    if (crt_inuse(f))
        crt_fclose_locked(f);
    crt_FILE *r = crt_openfile(name, mode, CRT_SH_DENYNO, f);
    crt_stream_unlock(f);
    if (!r)
        crt_stream_release(f);
    return r;
}
THK_EXPORT_AS(msvcrt, freopen, msvcrt_freopen, 3);

static crt_FILE *WINAPI msvcrt__wfreopen(const WCHAR *name, const WCHAR *mode, void *p)
{
    char *a, *m;
    if (!crt_wide_args(name, mode, &a, &m))
        return NULL;
    crt_FILE *f = msvcrt_freopen(a, m, p);
    free(a);
    free(m);
    return f;
}
THK_EXPORT_AS(msvcrt, _wfreopen, msvcrt__wfreopen, 3);

crt_FILE *crt_fdopen(int fd, const char *mode)
{
    int oflag, sflag;
    if (crt_parse_mode(mode, &oflag, &sflag) < 0) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    if (!(crt_fd_flags(fd) & CRT_FDF_OPEN)) {
        crt_set_errno(CRT_EBADF);
        return NULL;
    }
    crt_FILE *f = crt_stream_alloc();
    if (!f)
        return NULL;
    crt_stream_lock(f);
    crt_stream_init(f, fd, sflag);
    crt_stream_unlock(f);
    return f;
}

static crt_FILE *WINAPI msvcrt__fdopen(int fd, const char *mode) { return crt_fdopen(fd, mode); }
THK_EXPORT_AS(msvcrt, _fdopen, msvcrt__fdopen, 2);

static crt_FILE *WINAPI msvcrt__wfdopen(int fd, const WCHAR *mode)
{
    if (!mode) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    char *m = nt_utf16_to_utf8(mode, nt_wcslen(mode), NULL);
    if (!m) {
        crt_set_errno(CRT_ENOMEM);
        return NULL;
    }
    crt_FILE *f = crt_fdopen(fd, m);
    free(m);
    return f;
}
THK_EXPORT_AS(msvcrt, _wfdopen, msvcrt__wfdopen, 2);

static int WINAPI msvcrt_fclose(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    crt_stream_lock(f);
    bool was_open = crt_inuse(f) || (f->_flag & CRT_IOSTRG);
    int r = crt_fclose_locked(f);
    crt_stream_unlock(f);
    if (was_open)
        crt_stream_release(f);
    return r;
}
THK_EXPORT_AS(msvcrt, fclose, msvcrt_fclose, 1);

int crt_fclose(crt_FILE *f) { return msvcrt_fclose(f); }

static void crt_close_one(crt_FILE *f, void *p)
{
    if (crt_inuse(f)) {
        crt_fclose_locked(f);
        crt_stream_release(f);
        ++*(int *)p;
    }
}

/* Closes every stream but stdin, stdout and stderr; the number closed. */
static int WINAPI msvcrt__fcloseall(void)
{
    int n = 0;
    crt_each_stream(crt_close_one, &n, 0);
    return n;
}
THK_EXPORT_AS(msvcrt, _fcloseall, msvcrt__fcloseall, 0);

/* A temporary file, deleted when closed: "w+b" in the temporary directory. */
static crt_FILE *WINAPI msvcrt_tmpfile(void)
{
    static unsigned counter;
    const char *dir = NULL;
    char **env = crt_env_get();
    for (int pass = 0; pass < 2 && !dir; pass++) {
        const char *want = pass == 0 ? "TMP=" : "TEMP=";
        for (char **e = env; e && *e && !dir; e++)
            if (strncasecmp(*e, want, strlen(want)) == 0 && (*e)[strlen(want)])
                dir = *e + strlen(want);
    }
    char *fallback = NULL;
    if (!dir) {
        WCHAR *w = nt_path_from_unix("/tmp");
        fallback = w ? nt_utf16_to_utf8(w, nt_wcslen(w), NULL) : NULL;
        free(w);
        dir = fallback ? fallback : ".";
    }
    crt_FILE *f = crt_stream_alloc();
    if (!f) {
        free(fallback);
        return NULL;
    }
    size_t len = strlen(dir);
    bool sep = len && (dir[len - 1] == '\\' || dir[len - 1] == '/');
    crt_FILE *r = NULL;
    for (int tries = 0; tries < 100 && !r; tries++) {
        unsigned n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
        char *name = malloc(len + 40);
        if (!name) {
            crt_set_errno(CRT_ENOMEM);
            break;
        }
        snprintf(name, len + 40, "%s%st%x.%x", dir, sep ? "" : "\\", (unsigned)getpid(), n);
        int fd = crt_fd_open(name,
                             CRT_O_CREAT | CRT_O_EXCL | CRT_O_RDWR | CRT_O_BINARY |
                                 CRT_O_TEMPORARY,
                             CRT_SH_DENYNO, 0x180);
        if (fd < 0) {
            free(name);
            if (*crt_errno_ptr() != CRT_EEXIST)
                break;
            continue;
        }
        crt_stream_lock(f);
        crt_stream_init(f, fd, CRT_IORW);
        f->_tmpfname = name;
        crt_stream_unlock(f);
        r = f;
    }
    free(fallback);
    if (!r)
        crt_stream_release(f);
    return r;
}
THK_EXPORT_AS(msvcrt, tmpfile, msvcrt_tmpfile, 0);

/* ---- exports: flushing and positions ---- */

static int WINAPI msvcrt_fflush(void *p)
{
    if (!p) {
        crt_flush_ctx ctx = {0, 0, false};
        crt_each_stream(crt_flush_one, &ctx, CRT_EACH_STD | CRT_EACH_WRITING);
        return ctx.result;
    }
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    return crt_stream_flush(f);
}
THK_EXPORT_AS(msvcrt, fflush, msvcrt_fflush, 1);

/* Flushes every stream; the number of streams open. */
static int WINAPI msvcrt__flushall(void)
{
    crt_flush_ctx ctx = {0, 0, true};
    crt_each_stream(crt_flush_one, &ctx, CRT_EACH_STD);
    return ctx.count;
}
THK_EXPORT_AS(msvcrt, _flushall, msvcrt__flushall, 0);

static int64_t crt_ftell(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return -1;
    crt_stream_lock(f);
    int64_t r = crt_ftell_locked(f);
    crt_stream_unlock(f);
    return r;
}

static int32_t WINAPI msvcrt_ftell(void *p)
{
    int64_t r = crt_ftell(p);
    if (r > INT32_MAX) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return (int32_t)r;
}
THK_EXPORT_AS(msvcrt, ftell, msvcrt_ftell, 1);

static int64_t WINAPI msvcrt__ftelli64(void *p) { return crt_ftell(p); }
THK_EXPORT_AS(msvcrt, _ftelli64, msvcrt__ftelli64, 1);

static int crt_fseek(void *p, int64_t offset, int whence)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return -1;
    crt_stream_lock(f);
    int r = crt_fseek_locked(f, offset, whence);
    crt_stream_unlock(f);
    return r;
}

static int WINAPI msvcrt_fseek(void *p, int32_t offset, int whence)
{
    return crt_fseek(p, offset, whence);
}
THK_EXPORT_AS(msvcrt, fseek, msvcrt_fseek, 3);

static int WINAPI msvcrt__fseeki64(void *p, int64_t offset, int whence)
{
    return crt_fseek(p, offset, whence);
}
THK_EXPORT_AS(msvcrt, _fseeki64, msvcrt__fseeki64, 3);

static int WINAPI msvcrt_fgetpos(void *p, int64_t *pos)
{
    if (!pos) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    int64_t r = crt_ftell(p);
    if (r < 0)
        return -1;
    *pos = r;
    return 0;
}
THK_EXPORT_AS(msvcrt, fgetpos, msvcrt_fgetpos, 2);

static int WINAPI msvcrt_fsetpos(void *p, const int64_t *pos)
{
    if (!pos) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return crt_fseek(p, *pos, CRT_SEEK_SET);
}
THK_EXPORT_AS(msvcrt, fsetpos, msvcrt_fsetpos, 2);

static void WINAPI msvcrt_rewind(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return;
    crt_stream_lock(f);
    crt_flush_locked(f);
    f->_flag &= ~(CRT_IOERR | CRT_IOEOF);
    if (f->_flag & CRT_IORW)
        f->_flag &= ~(CRT_IOREAD | CRT_IOWRT);
    crt_fd_seek(f->_file, 0, CRT_SEEK_SET);
    crt_stream_unlock(f);
}
THK_EXPORT_AS(msvcrt, rewind, msvcrt_rewind, 1);

static int WINAPI msvcrt_feof(void *p)
{
    crt_FILE *f = crt_arg(p);
    return f ? f->_flag & CRT_IOEOF : 0;
}
THK_EXPORT_AS(msvcrt, feof, msvcrt_feof, 1);

/* The inline entries' (getc, ferror, clearerr) and getc's raw entry's memory of the last stream they found to be ours (stdin at start; a standard
 * stream or a pool entry handed out once stays ours until crt_stdio_reset, so the memory never
 * goes stale before it). */
__attribute__((visibility("hidden"))) crt_FILE *crt_getc_stream = &crt_iob[0];

/* The one stream the inline getc and fwrite may use without the lock (stdio_entry.S: their
 * restartable regions, one compare): getc's raw entry hands it the stream it read last, and
 * msvcrt_fwrite the stream it wrote last, each inside its single-thread region; once the
 * process may have a second foreign thread it is crt_fast_none for good (crt_single_revoke),
 * whose empty, unbuffered state sends every call the ordinary way. */
static crt_FILE crt_fast_none;
__attribute__((visibility("hidden"))) crt_FILE *crt_fast_stream = &crt_iob[0];

/* ferror and clearerr: code in msvcrt's image (stdio_entry.S) takes the stream getc last found
 * ours, and hands any other to these functions through the ordinary crossing; native callers
 * (thk_export_native) call these functions. */
__attribute__((visibility("hidden"))) int WINAPI msvcrt_ferror(void *p);
int WINAPI msvcrt_ferror(void *p)
{
    crt_FILE *f = crt_arg(p);
    return f ? f->_flag & CRT_IOERR : 0;
}
extern const thk_inline msvcrt_ferror_inline; /* stdio_entry.S: its targets, native callers' entry */
THK_EXPORT_INLINE(msvcrt, ferror, msvcrt_ferror_inline);

__attribute__((visibility("hidden"))) void WINAPI msvcrt_clearerr(void *p);
void WINAPI msvcrt_clearerr(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return;
    if (rt_single_enter()) { /* Lua clears the flags before every read */
        f->_flag &= ~(CRT_IOERR | CRT_IOEOF);
        rt_single_leave();
        return;
    }
    crt_stream_lock(f);
    f->_flag &= ~(CRT_IOERR | CRT_IOEOF);
    crt_stream_unlock(f);
}
extern const thk_inline msvcrt_clearerr_inline;
THK_EXPORT_INLINE(msvcrt, clearerr, msvcrt_clearerr_inline);

static int WINAPI msvcrt__fileno(void *p)
{
    crt_FILE *f = crt_arg(p);
    return f ? f->_file : -1;
}
THK_EXPORT_AS(msvcrt, _fileno, msvcrt__fileno, 1);

static int WINAPI msvcrt_setvbuf(void *p, char *buf, int mode, size_t size)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return -1;
    if (mode != CRT_IOFBF && mode != CRT_IOLBF && mode != CRT_IONBF) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    if (mode != CRT_IONBF && (size < 2 || size > INT_MAX)) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    size &= ~(size_t)1;
    crt_stream_lock(f);
    int r = 0;
    crt_flush_locked(f);
    crt_freebuf(f);
    f->_flag &= ~(CRT_IOMYBUF | CRT_IOYOURBUF | CRT_IONBF | CRT_IOSETVBUF | CRT_IOCTRLZ);
    if (mode == CRT_IONBF) {
        f->_flag |= CRT_IONBF;
        buf = (char *)&f->_charbuf;
        size = 2;
    } else if (!buf) {
        buf = malloc(size);
        if (!buf) {
            crt_set_errno(CRT_ENOMEM);
            r = -1;
            goto unlock;
        }
        f->_flag |= CRT_IOMYBUF | CRT_IOSETVBUF;
    } else {
        f->_flag |= CRT_IOYOURBUF | CRT_IOSETVBUF;
    }
    f->_bufsiz = (int32_t)size;
    f->_ptr = f->_base = buf;
    f->_cnt = 0;
unlock:
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, setvbuf, msvcrt_setvbuf, 4);

static void WINAPI msvcrt_setbuf(void *p, char *buf)
{
    if (buf)
        msvcrt_setvbuf(p, buf, CRT_IOFBF, CRT_BUFSIZ);
    else
        msvcrt_setvbuf(p, NULL, CRT_IONBF, 0);
}
THK_EXPORT_AS(msvcrt, setbuf, msvcrt_setbuf, 2);

/* ---- exports: bytes ---- */


/* _filbuf/_flsbuf: called by the _fgetc_nolock/_fputc_nolock macros; no locking. */
static int WINAPI msvcrt__filbuf(void *p)
{
    crt_FILE *f = crt_arg(p);
    return f ? crt_filbuf_locked(f) : CRT_EOF;
}
THK_EXPORT_AS(msvcrt, _filbuf, msvcrt__filbuf, 1);

static int WINAPI msvcrt__flsbuf(int c, void *p)
{
    crt_FILE *f = crt_arg(p);
    return f ? crt_flsbuf_locked(c, f) : CRT_EOF;
}
THK_EXPORT_AS(msvcrt, _flsbuf, msvcrt__flsbuf, 2);

/* The crossing's target of getc/fgetc (stdio_entry.S takes what the buffer holds first). */
__attribute__((visibility("hidden"))) int WINAPI msvcrt_fgetc(void *p);
int WINAPI msvcrt_fgetc(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    int c;
    if (crt_fast_getc(f, &c))
        return c;
    crt_slock(f);
    c = crt_getc_locked(f);
    crt_sunlock(f);
    return c;
}
void msvcrt_getc_raw(void); /* stdio_entry.S */
extern char msvcrt_getc_raw_end[];
/* The exports: stdio_entry.S's inline code in msvcrt's image (THK_INLINE), which hands what it
 * does not take to msvcrt_getc_raw; its descriptor (beside the code) names msvcrt_fgetc for
 * native callers. */
extern const thk_inline msvcrt_getc_inline;
THK_EXPORT_INLINE(msvcrt, fgetc, msvcrt_getc_inline);
THK_EXPORT_INLINE(msvcrt, getc, msvcrt_getc_inline);
_Static_assert(sizeof(crt_FILE) == 48 && sizeof(crt_filex) == 128 && sizeof crt_pool == 0x40000 &&
                   offsetof(crt_FILE, _ptr) == 0 && offsetof(crt_FILE, _cnt) == 8 &&
                   offsetof(rt_single_state, multi) == 0 && offsetof(rt_single_state, busy) == 1,
               "stdio_entry.S's layout constants");

/* rt_single_go_multi's revoke function (runtime/runtime.h): the inline code's permission goes
 * (its compare with crt_fast_stream fails from the next call on), and with `out` the regions
 * that may be running: the code of getc, fgetc, fwrite, putc, fputc, fputs and fgets in
 * msvcrt's image and in ucrtbase's, those that were made. */
extern const uint16_t msvcrt_getc_inline_rs[4]; /* stdio_entry.S: start, tail, end, abort */
extern const uint16_t msvcrt_fwrite_inline_rs[4];
extern const uint16_t msvcrt_fputs_inline_rs[4];
extern const uint16_t msvcrt_putc_inline_rs[4];
extern const thk_inline msvcrt_fwrite_inline, msvcrt_putc_inline, msvcrt_fputs_inline,
    msvcrt_fgets_inline; /* stdio_entry.S */
extern const uint16_t msvcrt_fgets_inline_rs[4];
static int crt_single_revoke(rt_single_region *out)
{
    __atomic_store_n(&crt_fast_stream, &crt_fast_none, __ATOMIC_SEQ_CST);
    if (!out)
        return 0;
    static const struct {
        const char *name;
        const thk_inline *in;
        const uint16_t *rs;
    } regions[] = {{"getc", &msvcrt_getc_inline, msvcrt_getc_inline_rs},
                   {"fgetc", &msvcrt_getc_inline, msvcrt_getc_inline_rs},
                   {"fwrite", &msvcrt_fwrite_inline, msvcrt_fwrite_inline_rs},
                   {"putc", &msvcrt_putc_inline, msvcrt_putc_inline_rs},
                   {"fputc", &msvcrt_putc_inline, msvcrt_putc_inline_rs},
                   {"fputs", &msvcrt_fputs_inline, msvcrt_fputs_inline_rs},
                   {"fgets", &msvcrt_fgets_inline, msvcrt_fgets_inline_rs}};
    /* msvcrt's image, and ucrtbase's: its exports fall back to msvcrt's, so it holds copies of
     * the same code (a UCRT program's fwrite or fgets runs there) */
    static const char *const dlls[] = {"msvcrt.dll", "ucrtbase.dll"};
    int n = 0;
    for (size_t k = 0; k < sizeof dlls / sizeof *dlls; k++) {
        HMODULE m = thk_builtin_loaded(dlls[k]);
        for (size_t i = 0; m && i < sizeof regions / sizeof *regions && n < RT_SINGLE_REGIONS;
             i++) {
            uintptr_t code = (uintptr_t)thk_builtin_inline_code(m, regions[i].name, regions[i].in);
            const uint16_t *rs = regions[i].rs;
            if (code)
                out[n++] = (rt_single_region){code + rs[0], code + rs[1], code + rs[2],
                                              code + rs[3]};
        }
    }
    return n;
}

/* A fault in the raw entry's fast path (a _ptr the program damaged) is the program's access
 * violation at its call: the code pushes nothing, as a registered leaf must. */
__attribute__((constructor)) static void crt_getc_register_leaf(void)
{
    rt_exc_register_leaf((const void *)msvcrt_getc_raw, msvcrt_getc_raw_end);
    rt_single_set_revoke(crt_single_revoke);
}

static int WINAPI msvcrt_getchar(void) { return crt_stream_getc(&crt_iob[0]); }
THK_EXPORT_AS(msvcrt, getchar, msvcrt_getchar, 0);
THK_EXPORT_AS(msvcrt, _fgetchar, msvcrt_getchar, 0);

/* The crossing's target of putc/fputc (stdio_entry.S's code in msvcrt's image stores a byte
 * the buffer has room for first). */
__attribute__((visibility("hidden"))) int WINAPI msvcrt_fputc(int c, void *p);
int WINAPI msvcrt_fputc(int c, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    if (crt_fast_putc(c, f, true))
        return c & 0xff;
    crt_slock(f);
    int r = crt_putc_locked(c, f);
    crt_sunlock(f);
    return r;
}
extern const thk_inline msvcrt_putc_inline; /* stdio_entry.S */
THK_EXPORT_INLINE(msvcrt, fputc, msvcrt_putc_inline);
THK_EXPORT_INLINE(msvcrt, putc, msvcrt_putc_inline);

static int WINAPI msvcrt_putchar(int c) { return msvcrt_fputc(c, &crt_iob[1]); }
THK_EXPORT_AS(msvcrt, putchar, msvcrt_putchar, 1);
THK_EXPORT_AS(msvcrt, _fputchar, msvcrt_putchar, 1);

static int WINAPI msvcrt_ungetc(int c, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    crt_slock(f);
    int r = crt_ungetc_locked(c, f);
    crt_sunlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, ungetc, msvcrt_ungetc, 2);

static size_t WINAPI msvcrt_fread(void *buf, size_t size, size_t count, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f || size == 0 || count == 0)
        return 0;
    if (!buf || count > SIZE_MAX / size) {
        crt_fail(CRT_EINVAL);
        return 0;
    }
    if (crt_fast_read(f, buf, size * count))
        return count;
    crt_slock(f);
    size_t n = crt_read_locked(f, buf, size * count);
    crt_sunlock(f);
    return n / size;
}
THK_EXPORT_AS(msvcrt, fread, msvcrt_fread, 4);

/* fwrite: stdio_entry.S's inline code in msvcrt's image (THK_INLINE) copies into the buffer
 * of crt_fast_stream, which this function hands it (a write that fit the buffer, while the
 * process has one thread); everything else, and native callers, come here. */
__attribute__((visibility("hidden"))) size_t WINAPI msvcrt_fwrite(const void *buf, size_t size,
                                                                   size_t count, void *p);
size_t WINAPI msvcrt_fwrite(const void *buf, size_t size, size_t count, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f || size == 0 || count == 0)
        return 0;
    if (!buf || count > SIZE_MAX / size) {
        crt_fail(CRT_EINVAL);
        return 0;
    }
    size_t n = size * count;
    if (crt_fast_write(f, buf, n, true))
        return count;
    crt_slock(f);
    n = crt_write_locked(f, buf, n);
    crt_sunlock(f);
    return n / size;
}
extern const thk_inline msvcrt_fwrite_inline; /* stdio_entry.S */
THK_EXPORT_INLINE(msvcrt, fwrite, msvcrt_fwrite_inline);
_Static_assert(CRT_IOMYBUF == 0x0008 && CRT_IOYOURBUF == 0x0100 && CRT_IOWRT == 0x0002 &&
                   CRT_IORW == 0x0080 &&
                   offsetof(crt_FILE, _flag) == 0x18,
               "stdio_entry.S's fwrite constants");

/* fgets beyond what the buffer holds: msvcrt's loop of _fgetc_nolock up to n - 1 bytes or an
 * LF, run by run (what the buffer holds is scanned and copied whole, a refill through
 * crt_getc_locked on an empty buffer brings the next byte). A line across a refill or longer
 * than the buffer, n of 1 (an empty string; s returned even at EOF, as msvcrt does), a second
 * thread take this way. Its own function, so that fgets' fast path pays none of its frame. */
static CRT_HOT __attribute__((noinline)) char *crt_gets_locked(crt_FILE *f, char *s, int n)
{
    char *q = s, *r = s;
    size_t left = (size_t)n - 1;
    crt_slock(f);
    while (left) {
        if (f->_cnt > 0) {
            size_t lim = (size_t)f->_cnt < left ? (size_t)f->_cnt : left;
            size_t i = crt_find_lf(f->_ptr, lim), len = i < lim ? i + 1 : lim;
            crt_copy(q, f->_ptr, len);
            q += len;
            f->_ptr += len;
            f->_cnt -= (int32_t)len;
            left -= len;
            if (i < lim)
                break;
            continue;
        }
        int c = crt_getc_locked(f);
        if (c == CRT_EOF) {
            if (q == s)
                r = NULL;
            break;
        }
        left--;
        if ((*q++ = (char)c) == '\n')
            break;
    }
    if (r)
        *q = 0;
    crt_sunlock(f);
    return r;
}

/* The crossing's target of fgets (stdio_entry.S's code in msvcrt's image takes a line the
 * buffer holds first). */
__attribute__((visibility("hidden"))) char *WINAPI msvcrt_fgets(char *s, int n, void *p);
char *WINAPI msvcrt_fgets(char *s, int n, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return NULL;
    if (!s || n <= 0) {
        crt_fail(CRT_EINVAL);
        return NULL;
    }
    if (crt_fast_gets(f, s, n))
        return s;
    return crt_gets_locked(f, s, n);
}
extern const thk_inline msvcrt_fgets_inline; /* stdio_entry.S */
THK_EXPORT_INLINE(msvcrt, fgets, msvcrt_fgets_inline);

/* gets has no bound, on Windows too. */
static char *WINAPI msvcrt_gets(char *s)
{
    crt_FILE *f = &crt_iob[0];
    char *q = s, *r = s;
    crt_slock(f);
    for (;;) {
        int c = crt_getc_locked(f);
        if (c == '\n')
            break;
        if (c == CRT_EOF) {
            if (q == s)
                r = NULL;
            break;
        }
        *q++ = (char)c;
    }
    if (r)
        *q = 0;
    crt_sunlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, gets, msvcrt_gets, 1);

/* The crossing's target of fputs (stdio_entry.S's code in msvcrt's image copies a string the
 * buffer has room for first). */
__attribute__((visibility("hidden"))) int WINAPI msvcrt_fputs(const char *s, void *p);
int WINAPI msvcrt_fputs(const char *s, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    if (!s) {
        crt_fail(CRT_EINVAL);
        return CRT_EOF;
    }
    size_t len = crt_strlen(s);
    if (crt_fast_write(f, s, len, true))
        return 0;
    return crt_stream_write(f, s, len) == len ? 0 : CRT_EOF;
}
extern const thk_inline msvcrt_fputs_inline; /* stdio_entry.S */
THK_EXPORT_INLINE(msvcrt, fputs, msvcrt_fputs_inline);

static int WINAPI msvcrt_puts(const char *s)
{
    crt_FILE *f = &crt_iob[1];
    if (!s) {
        crt_fail(CRT_EINVAL);
        return CRT_EOF;
    }
    size_t len = crt_strlen(s);
    if (crt_fast_puts(f, s, len))
        return 0;
    crt_slock(f);
    int r = crt_write_locked(f, s, len) == len && crt_putc_locked('\n', f) != CRT_EOF ? 0
                                                                                        : CRT_EOF;
    crt_sunlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, puts, msvcrt_puts, 1);

static int WINAPI msvcrt__getw(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    unsigned char b[4];
    crt_stream_lock(f);
    int r = 0;
    for (int i = 0; i < 4; i++) {
        int c = crt_getc_locked(f);
        if (c == CRT_EOF) {
            r = CRT_EOF;
            break;
        }
        b[i] = (unsigned char)c;
    }
    crt_stream_unlock(f);
    if (r == CRT_EOF)
        return CRT_EOF;
    int32_t w;
    memcpy(&w, b, 4);
    return w;
}
THK_EXPORT_AS(msvcrt, _getw, msvcrt__getw, 1);

static int WINAPI msvcrt__putw(int w, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_EOF;
    int32_t v = w;
    crt_stream_lock(f);
    size_t n = crt_write_locked(f, (const char *)&v, 4);
    crt_stream_unlock(f);
    return n == 4 ? w : CRT_EOF;
}
THK_EXPORT_AS(msvcrt, _putw, msvcrt__putw, 2);

/* ---- exports: wide characters ----
 * A text-mode stream holds multibyte text in the ANSI code page (UTF-8): fgetwc decodes one
 * character, fputwc encodes one (a character outside the BMP has no single-WCHAR form, so it
 * fails with EILSEQ, as msvcrt's mbtowc/wctomb do). A binary stream holds raw UTF-16LE. */

static int crt_fgetwc_locked(crt_FILE *f)
{
    if (!crt_fd_is_text(f->_file)) {
        int lo = crt_getc_locked(f);
        if (lo == CRT_EOF)
            return CRT_WEOF;
        int hi = crt_getc_locked(f);
        if (hi == CRT_EOF)
            return CRT_WEOF;
        return lo | hi << 8;
    }
    int c = crt_getc_locked(f);
    if (c == CRT_EOF)
        return CRT_WEOF;
    if (c < 0x80)
        return c;
    char mb[4] = {(char)c};
    int want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    int have = 1;
    while (have < want) {
        int d = crt_getc_locked(f);
        if (d == CRT_EOF)
            break;
        if ((d & 0xC0) != 0x80) {
            crt_ungetc_locked(d, f);
            break;
        }
        mb[have++] = (char)d;
    }
    uint32_t cp;
    if (crt_utf8_decode(mb, (size_t)have, &cp) <= 0 || cp > 0xFFFF) {
        crt_set_errno(CRT_EILSEQ);
        return CRT_WEOF;
    }
    return (int)cp;
}

static int crt_fputwc_locked(WCHAR wc, crt_FILE *f)
{
    char mb[16]; /* 4 used; 16 for GCC's bounds check of crt_copy's 16-byte path */
    size_t n;
    if (!crt_fd_is_text(f->_file)) {
        mb[0] = (char)(wc & 0xff);
        mb[1] = (char)(wc >> 8);
        n = 2;
    } else {
        if (wc >= 0xD800 && wc <= 0xDFFF) {
            crt_set_errno(CRT_EILSEQ);
            return CRT_WEOF;
        }
        n = (size_t)crt_utf8_encode(wc, mb);
    }
    return crt_write_locked(f, mb, n) == n ? wc : CRT_WEOF;
}

static uint16_t WINAPI msvcrt_fgetwc(void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_WEOF;
    crt_stream_lock(f);
    int c = crt_fgetwc_locked(f);
    crt_stream_unlock(f);
    return (uint16_t)c;
}
THK_EXPORT_AS(msvcrt, fgetwc, msvcrt_fgetwc, 1);
THK_EXPORT_AS(msvcrt, getwc, msvcrt_fgetwc, 1);

static uint16_t WINAPI msvcrt__fgetwchar(void) { return msvcrt_fgetwc(&crt_iob[0]); }
THK_EXPORT_AS(msvcrt, _fgetwchar, msvcrt__fgetwchar, 0);
THK_EXPORT_AS(msvcrt, getwchar, msvcrt__fgetwchar, 0);

static uint16_t WINAPI msvcrt_fputwc(WCHAR wc, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_WEOF;
    crt_stream_lock(f);
    int r = crt_fputwc_locked(wc, f);
    crt_stream_unlock(f);
    return (uint16_t)r;
}
THK_EXPORT_AS(msvcrt, fputwc, msvcrt_fputwc, 2);
THK_EXPORT_AS(msvcrt, putwc, msvcrt_fputwc, 2);

static uint16_t WINAPI msvcrt__fputwchar(WCHAR wc) { return msvcrt_fputwc(wc, &crt_iob[1]); }
THK_EXPORT_AS(msvcrt, _fputwchar, msvcrt__fputwchar, 1);
THK_EXPORT_AS(msvcrt, putwchar, msvcrt__fputwchar, 1);

static uint16_t WINAPI msvcrt_ungetwc(uint16_t wc, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f || wc == CRT_WEOF)
        return CRT_WEOF;
    char mb[4];
    int n;
    if (!crt_fd_is_text(f->_file)) {
        mb[0] = (char)(wc & 0xff);
        mb[1] = (char)(wc >> 8);
        n = 2;
    } else if (wc >= 0xD800 && wc <= 0xDFFF) {
        crt_set_errno(CRT_EILSEQ);
        return CRT_WEOF;
    } else {
        n = crt_utf8_encode(wc, mb);
    }
    /* msvcrt pushes the whole character back at once, like ungetc does one byte. */
    crt_stream_lock(f);
    uint16_t r = wc;
    if (!((f->_flag & CRT_IOREAD) || ((f->_flag & CRT_IORW) && !(f->_flag & CRT_IOWRT)))) {
        r = CRT_WEOF;
        goto unlock;
    }
    if (!f->_base)
        crt_getbuf(f);
    if (f->_ptr == f->_base) {
        if (f->_cnt > 0 || f->_bufsiz < n) {
            r = CRT_WEOF;
            goto unlock;
        }
        f->_ptr += n;
    }
    if (f->_ptr - f->_base < n) {
        r = CRT_WEOF;
        goto unlock;
    }
    f->_ptr -= n;
    memcpy(f->_ptr, mb, (size_t)n);
    if (f->_cnt < 0)
        f->_cnt = 0;
    f->_cnt += n;
    f->_flag &= ~CRT_IOEOF;
    f->_flag |= CRT_IOREAD;
unlock:
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, ungetwc, msvcrt_ungetwc, 2);

static WCHAR *WINAPI msvcrt_fgetws(WCHAR *s, int n, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return NULL;
    if (!s || n <= 0) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    WCHAR *q = s, *r = s;
    crt_stream_lock(f);
    while (--n > 0) {
        int c = crt_fgetwc_locked(f);
        if (c == CRT_WEOF) {
            if (q == s)
                r = NULL;
            break;
        }
        if ((*q++ = (WCHAR)c) == '\n')
            break;
    }
    if (r)
        *q = 0;
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, fgetws, msvcrt_fgetws, 3);

static int crt_fputws_locked(const WCHAR *s, crt_FILE *f)
{
    size_t len = nt_wcslen(s);
    if (!crt_fd_is_text(f->_file))
        return crt_write_locked(f, (const char *)s, len * 2) == len * 2 ? 0 : CRT_WEOF;
    for (size_t i = 0; i < len; i++)
        if (crt_fputwc_locked(s[i], f) == CRT_WEOF)
            return CRT_WEOF;
    return 0;
}

static int WINAPI msvcrt_fputws(const WCHAR *s, void *p)
{
    crt_FILE *f = crt_arg(p);
    if (!f)
        return CRT_WEOF;
    if (!s) {
        crt_set_errno(CRT_EINVAL);
        return CRT_WEOF;
    }
    crt_stream_lock(f);
    int r = crt_fputws_locked(s, f);
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, fputws, msvcrt_fputws, 2);

static int WINAPI msvcrt__putws(const WCHAR *s)
{
    crt_FILE *f = &crt_iob[1];
    if (!s) {
        crt_set_errno(CRT_EINVAL);
        return CRT_WEOF;
    }
    crt_stream_lock(f);
    int r = crt_fputws_locked(s, f);
    if (r == 0 && crt_fputwc_locked('\n', f) == CRT_WEOF)
        r = CRT_WEOF;
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, _putws, msvcrt__putws, 1);

static WCHAR *WINAPI msvcrt__getws(WCHAR *s)
{
    crt_FILE *f = &crt_iob[0];
    WCHAR *q = s, *r = s;
    crt_stream_lock(f);
    for (;;) {
        int c = crt_fgetwc_locked(f);
        if (c == '\n')
            break;
        if (c == CRT_WEOF) {
            if (q == s)
                r = NULL;
            break;
        }
        *q++ = (WCHAR)c;
    }
    if (r)
        *q = 0;
    crt_stream_unlock(f);
    return r;
}
THK_EXPORT_AS(msvcrt, _getws, msvcrt__getws, 1);

/* libntrun teardown (thk_process_teardown): buffers freed, every stream back to its state at
 * process start (the pool entries' locks stay initialized). Output was flushed at exit. */
void crt_stdio_reset(void)
{
    /* A run ended inside a fast path (a fault in a built-in ends the run) leaves no region. */
    rt_single.busy = 0;
    crt_getc_stream = &crt_iob[0]; /* stdin: the pool entries are no longer ours below */
    crt_fast_stream = rt_single.multi ? &crt_fast_none : &crt_iob[0];
    for (int i = 0; i < CRT_IOB_ENTRIES; i++) {
        crt_freebuf(&crt_iob[i]);
        memset(&crt_iob[i], 0, sizeof crt_iob[i]);
        memset(&crt_iob_extra[i], 0, sizeof crt_iob_extra[i]);
    }
    crt_iob[0]._file = 0;
    crt_iob[0]._flag = CRT_IOREAD;
    crt_iob[1]._file = 1;
    crt_iob[1]._flag = CRT_IOWRT;
    crt_iob[2]._file = 2;
    crt_iob[2]._flag = CRT_IOWRT;
    /* Only the slots ever made ready (a prefix): a start that opened no stream reads neither
     * 2 KB array, which then stay out of the pages every start writes (wdata-not.list). */
    int used = __atomic_load_n(&crt_pool_used, __ATOMIC_ACQUIRE);
    if (used)
        __atomic_store_n(&crt_pool_used, 0, __ATOMIC_RELEASE);
    for (int i = 0; i < used; i++) {
        if (!crt_pool_ready[i])
            continue;
        crt_freebuf(&crt_pool[i].file);
        /* Its lock may be held by a thread that no longer exists: initialized again when
         * the entry is next handed out. */
        memset(&crt_pool[i], 0, sizeof crt_pool[i]);
        memset(&crt_pool_extra[i], 0, sizeof crt_pool_extra[i]);
        crt_pool_taken[i] = false;
        crt_pool_ready[i] = false;
    }
    /* exit() ends the process with the exit lock held (as msvcrt does): release them all. */
    static const CRITICAL_SECTION crt_lock_init = {(void *)(intptr_t)-1, -1, 0, NULL, NULL, 0};
    for (int i = 0; i < CRT_NLOCKS; i++)
        crt_locks[i] = crt_lock_init;
    for (int i = 0; i < 3; i++)
        crt_std_taken[i] = true;
    crt_max_streams = 512;
    crt_commode = 0;
}
