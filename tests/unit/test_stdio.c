/* The built-in msvcrt's stdio, fd layer and exit machinery, called through their export table
 * entries in a scratch directory (the current directory of each test). Covers: the _iob array
 * (48-byte FILEs, contiguous, __iob_func/__acrt_iob_func/_iob agree), an fopen'd FILE's
 * CRITICAL_SECTION at +48 and _lock_file/_unlock_file on it and on stdout (_IOLOCKED);
 * text mode both ways (LF -> CR LF on write, CR LF -> LF and ^Z as end of file on read, a CR LF
 * split across two buffer fills, one-byte _read steps), binary mode, fseek/ftell with text-mode
 * CR counting, fgets/ungetc/feof/clearerr, fopen errors and a write to a read-only stream;
 * _open/_write/_lseek/_read/_eof/_close, _setmode returning the previous mode, the trailing ^Z
 * removed by a text read/write open; crt_flush_all writing buffered output; _stat64/_stat/
 * _fstat64 layouts; rename refusing an existing target, remove, _mkdir/_rmdir; the command line
 * split with msvcrt's rules by __getmainargs; exit() running the atexit table last-in
 * first-out and flushing, _exit doing neither, and process exit by another road doing both. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"

#define O_TEXT_W 0x4000
#define O_BINARY_W 0x8000
#define S_IFMT_W 0xF000
#define S_IFDIR_W 0x4000
#define S_IFREG_W 0x8000
#define S_IRW_W 0x0180

static char scratch[1024];

static void *crt_fn(const char *name)
{
    for (const thk_export *e = __start_thk_exports; e < __stop_thk_exports; e++)
        if (strcmp(thk_export_dll(e), "msvcrt.dll") == 0 && strcmp(thk_export_name(e), name) == 0)
            return thk_export_native(e);
    cr_assert_fail("msvcrt!%s is not exported", name);
    return NULL;
}
#define CRT(name, type) ((type)crt_fn(#name))

/* getc and fgetc are raw entries (thunks/msvcrt/stdio_entry.S: foreign callers only, the
 * selector still BLOCK); native code calls what their crossing calls. */
int WINAPI msvcrt_fgetc(void *f);

static int crt_errno(void) { return *crt_errno_ptr(); }

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    char tmpl[] = "/tmp/ntrun-stdio-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    char *real = realpath(tmpl, NULL);
    cr_assert_not_null(real);
    cr_assert_lt(strlen(real), sizeof scratch);
    strcpy(scratch, real);
    free(real);
    cr_assert_eq(chdir(scratch), 0);
}

static void teardown(void)
{
    char cmd[2 * sizeof scratch + 64];
    if (chdir("/") != 0)
        cr_log_warn("chdir / failed");
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", scratch, scratch);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", scratch);
    rt_thread_fini_current();
}

TestSuite(stdio_iob, .init = setup, .fini = teardown);
TestSuite(stdio_text, .init = setup, .fini = teardown);
TestSuite(stdio_stream, .init = setup, .fini = teardown);
TestSuite(stdio_lowio, .init = setup, .fini = teardown);
TestSuite(stdio_names, .init = setup, .fini = teardown);
TestSuite(stdio_startup, .init = setup, .fini = teardown);

/* ---- helpers: the file as Linux sees it ---- */
static size_t raw_read(const char *name, char *buf, size_t size)
{
    int fd = open(name, O_RDONLY);
    cr_assert_geq(fd, 0, "open %s", name);
    ssize_t n = read(fd, buf, size);
    close(fd);
    cr_assert_geq(n, 0);
    return (size_t)n;
}

static void raw_write(const char *name, const char *data, size_t n)
{
    int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static off_t raw_size(const char *name)
{
    struct stat st;
    return stat(name, &st) == 0 ? st.st_size : -1;
}

typedef void *(WINAPI *fopen_fn)(const char *, const char *);
typedef int (WINAPI *fclose_fn)(void *);
typedef int (WINAPI *fputs_fn)(const char *, void *);
typedef size_t (WINAPI *fread_fn)(void *, size_t, size_t, void *);
typedef size_t (WINAPI *fwrite_fn)(const void *, size_t, size_t, void *);
typedef int (WINAPI *stream_int_fn)(void *);

/* ---- the _iob array and stream locks ---- */
Test(stdio_iob, standard_streams_are_contiguous_48_byte_iobufs)
{
    cr_expect_eq(sizeof(crt_FILE), 48);
    crt_FILE *(WINAPI *iob_func)(void) = crt_fn("__iob_func");
    crt_FILE *(WINAPI *acrt)(unsigned) = crt_fn("__acrt_iob_func");
    cr_expect_eq(iob_func(), crt_iob);
    cr_expect_eq(crt_fn("_iob"), (void *)crt_iob, "the _iob data export is the array itself");
    for (unsigned i = 0; i < 3; i++) {
        cr_expect_eq(acrt(i), &crt_iob[i]);
        cr_expect_eq((char *)acrt(i) - (char *)crt_iob, (ptrdiff_t)(48 * i));
        cr_expect_eq(crt_iob[i]._file, (int)i, "stream %u has fd %d", i, crt_iob[i]._file);
    }
    cr_expect_eq(crt_iob[0]._flag, CRT_IOREAD, "stdin _flag %#x", crt_iob[0]._flag);
    cr_expect_eq(crt_iob[1]._flag, CRT_IOWRT, "stdout _flag %#x", crt_iob[1]._flag);
    cr_expect_eq(crt_iob[2]._flag, CRT_IOWRT, "stderr _flag %#x", crt_iob[2]._flag);
}

Test(stdio_iob, fopen_stream_has_its_critical_section_at_48)
{
    void *f = CRT(fopen, fopen_fn)("locked.txt", "w");
    cr_assert_not_null(f);
    uintptr_t a = (uintptr_t)f, b = (uintptr_t)crt_iob;
    cr_expect(a < b || a >= b + sizeof crt_iob, "fopen'd FILE is outside the _iob array");
    cr_expect_eq(crt_stream_check(f), f);
    cr_expect_null(crt_stream_check((char *)f + 8), "a pointer into a FILE is not a FILE");
    CRITICAL_SECTION *cs = (CRITICAL_SECTION *)((char *)f + 48);
    cr_expect_eq(cs->LockCount, -1, "initialized and free: LockCount %d", cs->LockCount);
    void (WINAPI *lock)(void *) = crt_fn("_lock_file");
    void (WINAPI *unlock)(void *) = crt_fn("_unlock_file");
    lock(f);
    cr_expect_eq(cs->RecursionCount, 1, "RecursionCount %d", cs->RecursionCount);
    lock(f);
    cr_expect_eq(cs->RecursionCount, 2, "recursive: %d", cs->RecursionCount);
    unlock(f);
    unlock(f);
    cr_expect_eq(cs->LockCount, -1, "released: LockCount %d", cs->LockCount);
    cr_expect_eq(CRT(fclose, fclose_fn)(f), 0);

    lock(&crt_iob[1]);
    cr_expect(crt_iob[1]._flag & CRT_IOLOCKED, "stdout _flag %#x", crt_iob[1]._flag);
    unlock(&crt_iob[1]);
    cr_expect_not(crt_iob[1]._flag & CRT_IOLOCKED, "stdout _flag %#x", crt_iob[1]._flag);
}

/* ---- text and binary mode ---- */
Test(stdio_text, write_turns_lf_into_cr_lf)
{
    void *f = CRT(fopen, fopen_fn)("out.txt", "w");
    cr_assert_not_null(f);
    cr_expect_eq(CRT(fputs, fputs_fn)("a\nb\n", f), 0);
    int32_t (WINAPI *ftell_)(void *) = crt_fn("ftell");
    cr_expect_eq(ftell_(f), 6, "ftell counts the CRs to come: %d", ftell_(f));
    cr_expect_eq(CRT(fclose, fclose_fn)(f), 0);
    char buf[32];
    size_t n = raw_read("out.txt", buf, sizeof buf);
    cr_assert_eq(n, 6, "bytes on disk: %zu", n);
    cr_expect_eq(memcmp(buf, "a\r\nb\r\n", 6), 0);
}

/* Long text both ways (the fd layer translates in blocks between LFs and CRs, through a 5 KB
 * buffer on write): lines of every length from 0 to 299, LFs at every position relative to the
 * buffer's end, lone CRs and CR LFs inside lines; what is on disk is the text with each LF as
 * CR LF, and reading it back gives the text again (a lone CR stays). */
Test(stdio_text, long_text_round_trips_through_the_block_translation)
{
    static char text[60000], want[70000], disk[70000], back[60000];
    size_t n = 0, m = 0;
    for (unsigned line = 0; n < sizeof text - 400; line++) {
        for (unsigned i = 0; i < line % 300; i++) {
            char c = (char)('a' + (line + i) % 26);
            if ((line + i) % 97 == 0)
                c = '\r'; /* a lone CR: the next byte is a letter */
            text[n++] = c;
            want[m++] = c;
        }
        text[n++] = '\n';
        want[m++] = '\r';
        want[m++] = '\n';
    }
    void *f = CRT(fopen, fopen_fn)("long.txt", "w");
    cr_assert_not_null(f);
    cr_assert_eq(CRT(fwrite, fwrite_fn)(text, 1, n, f), n);
    cr_assert_eq(CRT(fclose, fclose_fn)(f), 0);
    size_t got = raw_read("long.txt", disk, sizeof disk);
    cr_assert_eq(got, m, "bytes on disk: %zu, expected %zu", got, m);
    size_t diff = 0;
    while (diff < m && disk[diff] == want[diff])
        diff++;
    cr_assert_eq(diff, m, "on disk differs from byte %zu", diff);
    f = CRT(fopen, fopen_fn)("long.txt", "r");
    cr_assert_not_null(f);
    got = CRT(fread, fread_fn)(back, 1, sizeof back, f);
    CRT(fclose, fclose_fn)(f);
    cr_assert_eq(got, n, "read back %zu bytes, expected %zu", got, n);
    diff = 0;
    while (diff < n && back[diff] == text[diff])
        diff++;
    cr_assert_eq(diff, n, "read back differs from byte %zu", diff);
}

Test(stdio_text, read_turns_cr_lf_into_lf_and_stops_at_ctrl_z)
{
    raw_write("in.txt", "a\r\nb\rc\r\n\x1atail", 13);
    void *f = CRT(fopen, fopen_fn)("in.txt", "r");
    cr_assert_not_null(f);
    char buf[32];
    size_t n = CRT(fread, fread_fn)(buf, 1, sizeof buf, f);
    cr_assert_eq(n, 6, "fread got %zu bytes", n);
    cr_expect_eq(memcmp(buf, "a\nb\rc\n", 6), 0, "a lone CR stays");
    cr_expect(CRT(feof, stream_int_fn)(f), "^Z is the end of the file");
    cr_expect_not(CRT(ferror, stream_int_fn)(f));
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_text, cr_lf_split_across_buffer_fills_is_one_lf)
{
    static char data[4100];
    memset(data, 'x', 4095);
    memcpy(data + 4095, "\r\ny", 3);
    raw_write("split.txt", data, 4098);
    void *f = CRT(fopen, fopen_fn)("split.txt", "r");
    cr_assert_not_null(f);
    static char buf[5000];
    size_t n = CRT(fread, fread_fn)(buf, 1, sizeof buf, f);
    cr_assert_eq(n, 4097, "fread got %zu bytes", n);
    cr_expect_eq(buf[4094], 'x');
    cr_expect_eq(buf[4095], '\n', "got %#x", buf[4095]);
    cr_expect_eq(buf[4096], 'y', "got %#x", buf[4096]);
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_text, binary_mode_leaves_bytes_alone)
{
    static const char raw[] = "a\nb\r\n\x1a" "c";
    void *f = CRT(fopen, fopen_fn)("bin.dat", "wb");
    cr_assert_not_null(f);
    cr_expect_eq(CRT(fwrite, fwrite_fn)(raw, 1, sizeof raw - 1, f), sizeof raw - 1);
    CRT(fclose, fclose_fn)(f);
    char buf[32];
    cr_assert_eq(raw_read("bin.dat", buf, sizeof buf), sizeof raw - 1);
    cr_expect_eq(memcmp(buf, raw, sizeof raw - 1), 0);
    f = CRT(fopen, fopen_fn)("bin.dat", "rb");
    size_t n = CRT(fread, fread_fn)(buf, 1, sizeof buf, f);
    cr_expect_eq(n, sizeof raw - 1, "fread got %zu", n);
    cr_expect_eq(memcmp(buf, raw, sizeof raw - 1), 0);
    CRT(fclose, fclose_fn)(f);
}

/* ---- streams: positions, lines, errors, flushing ---- */
Test(stdio_stream, fseek_and_ftell_in_text_mode_count_the_crs)
{
    void *f = CRT(fopen, fopen_fn)("seek.txt", "w+");
    cr_assert_not_null(f);
    CRT(fputs, fputs_fn)("ab\ncd\n", f);
    int32_t (WINAPI *ftell_)(void *) = crt_fn("ftell");
    int (WINAPI *fseek_)(void *, int32_t, int) = crt_fn("fseek");
    char *(WINAPI *fgets_)(char *, int, void *) = crt_fn("fgets");
    cr_expect_eq(ftell_(f), 8, "got %d", ftell_(f));
    cr_expect_eq(fseek_(f, 0, SEEK_SET), 0);
    char line[16];
    cr_assert_eq(fgets_(line, sizeof line, f), line);
    cr_expect_str_eq(line, "ab\n");
    cr_expect_eq(ftell_(f), 4, "after one line: %d", ftell_(f));
    cr_expect_eq(fseek_(f, 4, SEEK_SET), 0);
    cr_expect_eq(msvcrt_fgetc(f), 'c');
    crt_set_errno(0);
    cr_expect_eq(fseek_(f, -100, SEEK_SET), -1);
    cr_expect_eq(crt_errno(), CRT_EINVAL, "errno %d", crt_errno());
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_stream, fgets_ungetc_feof_clearerr)
{
    raw_write("lines.txt", "one\r\ntwo", 8);
    void *f = CRT(fopen, fopen_fn)("lines.txt", "r");
    cr_assert_not_null(f);
    char *(WINAPI *fgets_)(char *, int, void *) = crt_fn("fgets");
    int (WINAPI *ungetc_)(int, void *) = crt_fn("ungetc");
    char line[16];
    cr_assert_eq(fgets_(line, sizeof line, f), line);
    cr_expect_str_eq(line, "one\n");
    cr_expect_eq(ungetc_('X', f), 'X');
    cr_expect_eq(msvcrt_fgetc(f), 'X');
    cr_assert_eq(fgets_(line, sizeof line, f), line);
    cr_expect_str_eq(line, "two", "the last line has no LF");
    cr_expect(CRT(feof, stream_int_fn)(f), "fgets met the end after \"two\"");
    cr_expect_null(fgets_(line, sizeof line, f));
    cr_expect_eq(ungetc_(-1, f), -1, "EOF cannot be pushed back");
    CRT(clearerr, void (WINAPI *)(void *))(f);
    cr_expect_not(CRT(feof, stream_int_fn)(f));
    cr_expect_eq(fgets_(line, 1, f), line, "a 1-byte buffer gets an empty string");
    cr_expect_str_eq(line, "");
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_stream, errors_set_errno_and_the_error_flag)
{
    fopen_fn fopen_ = crt_fn("fopen");
    crt_set_errno(0);
    cr_expect_null(fopen_("missing.txt", "r"));
    cr_expect_eq(crt_errno(), CRT_ENOENT, "errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect_null(fopen_("x.txt", "q"));
    cr_expect_eq(crt_errno(), CRT_EINVAL, "bad mode: errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect_null(fopen_("no_dir/x.txt", "w"));
    cr_expect_eq(crt_errno(), CRT_ENOENT, "missing directory: errno %d", crt_errno());

    raw_write("ro.txt", "data", 4);
    void *f = fopen_("ro.txt", "r");
    cr_assert_not_null(f);
    cr_expect_eq(CRT(fputc, int (WINAPI *)(int, void *))('x', f), -1);
    cr_expect(CRT(ferror, stream_int_fn)(f));
    cr_expect_eq(CRT(fclose, fclose_fn)(f), 0);
    cr_expect_eq(raw_size("ro.txt"), 4);
}

/* getc, fgetc, ferror and clearerr are THK_INLINE exports (their code is copied into msvcrt's
 * image, foreign code): native callers get the C functions (thk_export_native), never the
 * descriptor, and those work on the stream the image's code remembers and on any other. */
Test(stdio_stream, inline_exports_give_native_callers_their_c_functions)
{
    raw_write("inl.txt", "ab", 2);
    raw_write("inl2.txt", "z", 1);
    fopen_fn fopen_ = crt_fn("fopen");
    void *f = fopen_("inl.txt", "rb"), *g = fopen_("inl2.txt", "rb");
    cr_assert(f && g);
    stream_int_fn getc_ = crt_fn("getc"), fgetc_ = crt_fn("fgetc"), ferror_ = crt_fn("ferror");
    stream_int_fn feof_ = crt_fn("feof");
    void (WINAPI *clearerr_)(void *) = crt_fn("clearerr");
    cr_expect_eq((void *)getc_, (void *)msvcrt_fgetc, "getc: %p", (void *)getc_);
    cr_expect_eq(getc_(f), 'a');
    cr_expect_eq(fgetc_(f), 'b');
    cr_expect_eq(getc_(f), -1);
    cr_expect(feof_(f));
    cr_expect_not(ferror_(f));
    cr_expect_eq(CRT(fputc, int (WINAPI *)(int, void *))('x', f), -1, "a read-only stream");
    cr_expect(ferror_(f));
    cr_expect_eq(getc_(g), 'z');
    cr_expect_eq(getc_(g), -1);
    cr_expect(ferror_(f), "another stream read since: the flag is the stream's");
    clearerr_(f);
    cr_expect_not(ferror_(f));
    cr_expect_not(feof_(f));
    cr_expect(feof_(g));
    clearerr_(g);
    cr_expect_not(feof_(g));
    CRT(fclose, fclose_fn)(g);
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_stream, crt_flush_all_writes_what_is_buffered)
{
    void *f = CRT(fopen, fopen_fn)("pending.txt", "w");
    cr_assert_not_null(f);
    CRT(fputs, fputs_fn)("pending\n", f);
    cr_expect_eq(raw_size("pending.txt"), 0, "still in the buffer");
    crt_flush_all();
    off_t size = raw_size("pending.txt");
    cr_expect_eq(size, 9, "flushed, with a CR: %ld", (long)size);
    CRT(fclose, fclose_fn)(f);
}

Test(stdio_stream, unbuffered_stream_writes_through)
{
    void *f = CRT(fopen, fopen_fn)("nbf.txt", "wb");
    cr_assert_not_null(f);
    int (WINAPI *setvbuf_)(void *, char *, int, size_t) = crt_fn("setvbuf");
    cr_expect_eq(setvbuf_(f, NULL, 0x0004 /* _IONBF */, 0), 0);
    CRT(fputs, fputs_fn)("now", f);
    cr_expect_eq(raw_size("nbf.txt"), 3);
    CRT(fclose, fclose_fn)(f);
}

/* ---- the fd layer ---- */
Test(stdio_lowio, open_write_lseek_read_eof_close)
{
    int (WINAPI *open_)(const char *, int, ...) = crt_fn("_open");
    int (WINAPI *write_)(int, const void *, unsigned) = crt_fn("_write");
    int (WINAPI *read_)(int, void *, unsigned) = crt_fn("_read");
    int32_t (WINAPI *lseek_)(int, int32_t, int) = crt_fn("_lseek");
    int (WINAPI *close_)(int) = crt_fn("_close");
    int fd = open_("low.dat", CRT_O_CREAT | CRT_O_RDWR | CRT_O_BINARY, S_IRW_W);
    cr_assert_geq(fd, 3, "fd %d (0-2 are the standard ones)", fd);
    cr_expect_eq(write_(fd, "ab\ncd", 5), 5);
    cr_expect_eq(lseek_(fd, 0, SEEK_END), 5);
    cr_expect_eq(lseek_(fd, 1, SEEK_SET), 1);
    char buf[16];
    cr_expect_eq(read_(fd, buf, sizeof buf), 4);
    cr_expect_eq(memcmp(buf, "b\ncd", 4), 0);
    cr_expect_eq(read_(fd, buf, sizeof buf), 0, "end of file");
    cr_expect_eq(CRT(_eof, int (WINAPI *)(int))(fd), 1);
    cr_expect_eq(close_(fd), 0);
    crt_set_errno(0);
    cr_expect_eq(close_(fd), -1);
    cr_expect_eq(crt_errno(), CRT_EBADF, "errno %d", crt_errno());
    crt_set_errno(0);
    cr_expect_eq(open_("nope.dat", CRT_O_RDONLY), -1);
    cr_expect_eq(crt_errno(), CRT_ENOENT);
}

Test(stdio_lowio, setmode_returns_the_previous_mode)
{
    int (WINAPI *open_)(const char *, int, ...) = crt_fn("_open");
    int (WINAPI *write_)(int, const void *, unsigned) = crt_fn("_write");
    int (WINAPI *setmode_)(int, int) = crt_fn("_setmode");
    int fd = open_("mode.txt", CRT_O_CREAT | CRT_O_WRONLY | CRT_O_TEXT, S_IRW_W);
    cr_assert_geq(fd, 0);
    cr_expect_eq(write_(fd, "a\n", 2), 2, "text mode returns the caller's count");
    cr_expect_eq(setmode_(fd, O_BINARY_W), O_TEXT_W);
    cr_expect_eq(write_(fd, "b\n", 2), 2);
    cr_expect_eq(setmode_(fd, O_TEXT_W), O_BINARY_W);
    crt_set_errno(0);
    cr_expect_eq(setmode_(fd, 7), -1);
    cr_expect_eq(crt_errno(), CRT_EINVAL);
    CRT(_close, int (WINAPI *)(int))(fd);
    char buf[16];
    size_t n = raw_read("mode.txt", buf, sizeof buf);
    cr_assert_eq(n, 5, "on disk: %zu bytes", n);
    cr_expect_eq(memcmp(buf, "a\r\nb\n", 5), 0);
}

Test(stdio_lowio, text_read_one_byte_at_a_time)
{
    raw_write("steps.txt", "a\r\nb\r", 5);
    int fd = CRT(_open, int (WINAPI *)(const char *, int, ...))("steps.txt", CRT_O_RDONLY);
    cr_assert_geq(fd, 0);
    int (WINAPI *read_)(int, void *, unsigned) = crt_fn("_read");
    char c;
    const char want[] = "a\nb\r";
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(read_(fd, &c, 1), 1, "byte %d", i);
        cr_expect_eq(c, want[i], "byte %d: %#x", i, c);
    }
    cr_expect_eq(read_(fd, &c, 1), 0);
    CRT(_close, int (WINAPI *)(int))(fd);
}

Test(stdio_lowio, text_read_write_open_drops_a_trailing_ctrl_z)
{
    raw_write("z.txt", "ab\x1a", 3);
    int fd = CRT(_open, int (WINAPI *)(const char *, int, ...))("z.txt", CRT_O_RDWR);
    cr_assert_geq(fd, 0);
    cr_expect_eq(raw_size("z.txt"), 2);
    CRT(_close, int (WINAPI *)(int))(fd);
}

Test(stdio_lowio, stat_layouts)
{
    raw_write("ten.txt", "0123456789", 10);
    uint8_t st64[56], st32[48];
    int (WINAPI *stat64_)(const char *, void *) = crt_fn("_stat64");
    int (WINAPI *stat_)(const char *, void *) = crt_fn("_stat");
    memset(st64, 0xcc, sizeof st64);
    cr_assert_eq(stat64_("ten.txt", st64), 0);
    uint16_t mode;
    int64_t size64;
    int32_t size32;
    memcpy(&mode, st64 + 6, 2);
    memcpy(&size64, st64 + 0x18, 8);
    cr_expect_eq(mode & S_IFMT_W, S_IFREG_W, "mode %#o", mode);
    cr_expect_eq(mode & 0777, 0666, "read-write, copied to group and other: %#o", mode);
    cr_expect_eq(size64, 10);
    memset(st32, 0xcc, sizeof st32);
    cr_assert_eq(stat_("ten.txt", st32), 0);
    memcpy(&size32, st32 + 0x14, 4);
    cr_expect_eq(size32, 10, "_stat's st_size at 0x14: %d", size32);

    cr_assert_eq(mkdir("sub", 0755), 0);
    cr_assert_eq(stat64_("sub", st64), 0);
    memcpy(&mode, st64 + 6, 2);
    cr_expect_eq(mode & S_IFMT_W, S_IFDIR_W, "mode %#o", mode);
    crt_set_errno(0);
    cr_expect_eq(stat64_("sub\\", st64), -1, "a trailing separator fails");
    cr_expect_eq(crt_errno(), CRT_ENOENT);

    int fd = CRT(_open, int (WINAPI *)(const char *, int, ...))("ten.txt", CRT_O_RDONLY);
    memset(st64, 0xcc, sizeof st64);
    cr_assert_eq(CRT(_fstat64, int (WINAPI *)(int, void *))(fd, st64), 0);
    memcpy(&size64, st64 + 0x18, 8);
    cr_expect_eq(size64, 10);
    CRT(_close, int (WINAPI *)(int))(fd);
}

/* ---- names ---- */
Test(stdio_names, rename_remove_mkdir_rmdir)
{
    int (WINAPI *rename_)(const char *, const char *) = crt_fn("rename");
    int (WINAPI *remove_)(const char *) = crt_fn("remove");
    raw_write("a.txt", "a", 1);
    raw_write("b.txt", "b", 1);
    crt_set_errno(0);
    cr_expect_eq(rename_("a.txt", "b.txt"), -1, "an existing target is kept");
    cr_expect_eq(crt_errno(), CRT_EEXIST, "errno %d", crt_errno());
    cr_expect_eq(rename_("a.txt", "c.txt"), 0);
    cr_expect_eq(raw_size("c.txt"), 1);
    cr_expect_eq(remove_("c.txt"), 0);
    crt_set_errno(0);
    cr_expect_eq(remove_("c.txt"), -1);
    cr_expect_eq(crt_errno(), CRT_ENOENT, "errno %d", crt_errno());

    int (WINAPI *mkdir_)(const char *) = crt_fn("_mkdir");
    int (WINAPI *rmdir_)(const char *) = crt_fn("_rmdir");
    cr_expect_eq(mkdir_("d"), 0);
    crt_set_errno(0);
    cr_expect_eq(mkdir_("d"), -1);
    cr_expect_eq(crt_errno(), CRT_EEXIST, "errno %d", crt_errno());
    cr_expect_eq(rmdir_("d"), 0);
    struct stat st;
    cr_expect_neq(stat("d", &st), 0, "gone");
}

/* ---- start-up and exit ---- */
static int handler_order[8], handler_count;
static void WINAPI on_exit_1(void) { handler_order[handler_count++] = 1; }
static void WINAPI on_exit_2(void) { handler_order[handler_count++] = 2; }

/* The body of a "process": buffered output, two atexit handlers, then the way out in arg. */
static uint32_t exit_body(void *arg)
{
    crt_startup_init();
    void *f = CRT(fopen, fopen_fn)("exit.txt", "w");
    cr_assert_not_null(f);
    CRT(fputs, fputs_fn)("buffered", f);
    int (WINAPI *atexit_)(const void *) = crt_fn("atexit");
    cr_assert_eq(atexit_((const void *)on_exit_1), 0);
    cr_assert_eq(atexit_((const void *)on_exit_2), 0);
    const char *how = arg;
    if (strcmp(how, "exit") == 0)
        CRT(exit, void (WINAPI *)(int))(5);
    else if (strcmp(how, "_exit") == 0)
        CRT(_exit, void (WINAPI *)(int))(6);
    else
        rt_exit_process(7); /* ExitProcess */
    return 99;
}

Test(stdio_startup, exit_runs_atexit_last_in_first_out_then_flushes)
{
    uint32_t code = rt_run_process(exit_body, (void *)"exit");
    cr_expect_eq(code, 5);
    cr_assert_eq(handler_count, 2, "handlers run: %d", handler_count);
    cr_expect_eq(handler_order[0], 2);
    cr_expect_eq(handler_order[1], 1);
    cr_expect_eq(raw_size("exit.txt"), 8, "flushed: %ld", (long)raw_size("exit.txt"));
}

Test(stdio_startup, underscore_exit_skips_handlers_and_buffers)
{
    uint32_t code = rt_run_process(exit_body, (void *)"_exit");
    cr_expect_eq(code, 6);
    cr_expect_eq(handler_count, 0, "handlers run: %d", handler_count);
    cr_expect_eq(raw_size("exit.txt"), 0, "lost, as on Windows: %ld", (long)raw_size("exit.txt"));
}

Test(stdio_startup, process_exit_runs_handlers_and_flushes)
{
    uint32_t code = rt_run_process(exit_body, (void *)"ExitProcess");
    cr_expect_eq(code, 7);
    cr_expect_eq(handler_count, 2, "handlers run: %d", handler_count);
    cr_expect_eq(raw_size("exit.txt"), 8);
}

Test(stdio_startup, getmainargs_splits_the_command_line_like_msvcrt)
{
    static RTL_USER_PROCESS_PARAMETERS params;
    /* "" inside quotes is a quote and ends the quoted part; the quote after j opens another */
#define CMDLINE "\"C:\\dir\\prog.exe\" a \"b c\" d\\\"e \"f\\\\\" g\"\"h k\\\\l \"i\"\"j\" m"
    static WCHAR cmd[] = u"" CMDLINE;
    params.CommandLine.Buffer = cmd;
    params.CommandLine.Length = (uint16_t)(sizeof cmd - sizeof(WCHAR));
    params.CommandLine.MaximumLength = sizeof cmd;
    cr_assert_not_null(rt_proc.peb);
    rt_proc.peb->ProcessParameters = &params;

    int (WINAPI *getmainargs)(int32_t *, char ***, char ***, int, void *) =
        crt_fn("__getmainargs");
    int32_t argc = -1;
    char **argv = NULL, **env = NULL;
    int32_t newmode = 0;
    cr_assert_eq(getmainargs(&argc, &argv, &env, 0, &newmode), 0);
    static const char *const want[] = {"C:\\dir\\prog.exe", "a", "b c", "d\"e", "f\\",
                                       "gh", "k\\\\l", "i\"j m"};
    cr_assert_eq(argc, 8, "argc %d", argc);
    for (int i = 0; i < argc; i++)
        cr_expect_str_eq(argv[i], want[i], "argv[%d] = [%s]", i, argv[i]);
    cr_expect_null(argv[argc]);
    char **acmdln = crt_fn("_acmdln");
    cr_expect_str_eq(*acmdln, CMDLINE);
    int32_t *argc_var = crt_fn("__argc");
    cr_expect_eq(*argc_var, 8);
    rt_proc.peb->ProcessParameters = NULL;
}
