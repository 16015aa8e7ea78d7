/* files_crt: msvcrt file I/O in the current directory. FILE streams: fopen modes, text mode
 * turning "\n" into CR LF on disk and back, binary mode leaving bytes alone, a lone CR and the
 * ^Z (0x1A) end-of-file mark of text mode, fgets, fread partial reads, feof/ferror,
 * fseek/ftell/rewind, "a" appends, remove/rename, errno for a missing file. Low-level I/O:
 * _open/_read/_write/_lseek/_close with _O_BINARY and _O_TEXT, _fstat sizes. At the end
 * _setmode(_fileno(stdout), _O_BINARY) so the last line has no CR.
 *
 * Expected output checked with Wine 8. */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fail_check.h"

/* Size on disk, opened in binary mode. */
static long disk_size(const char *name)
{
    FILE *f = fopen(name, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* The file's bytes, with CR and LF spelled out. */
static void dump(const char *name)
{
    FILE *f = fopen(name, "rb");
    CHECK(2, f != NULL);
    printf("  bytes of %s:", name);
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c == '\r')
            printf(" CR");
        else if (c == '\n')
            printf(" LF");
        else if (c < 0x20 || c > 0x7e)
            printf(" %02X", c);
        else
            printf(" %c", c);
    }
    printf("\n");
    fclose(f);
}

int main(void)
{
    char line[128];
    FILE *f;
    size_t n;

    /* ---- text mode write: LF becomes CR LF ---- */
    f = fopen("text.txt", "w");
    CHECK(10, f != NULL);
    CHECK(11, fputs("first line\nsecond\n", f) >= 0);
    CHECK(12, fprintf(f, "third %d\n", 3) == 8);
    CHECK(13, fwrite("no newline", 1, 10, f) == 10);
    /* ftell in text mode counts the CRs that will be written. */
    printf("ftell after text writes: %ld\n", ftell(f));
    CHECK(14, fclose(f) == 0);
    printf("text.txt size on disk: %ld\n", disk_size("text.txt"));
    dump("text.txt");

    /* ---- text mode read: CR LF back to LF, fgets ---- */
    f = fopen("text.txt", "r");
    CHECK(20, f != NULL);
    int count = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        printf("  fgets %d: %u bytes, ends with LF: %s, has CR: %s\n", ++count, (unsigned)len,
               len && line[len - 1] == '\n' ? "yes" : "no", strchr(line, '\r') ? "yes" : "no");
    }
    printf("feof: %d, ferror: %d\n", feof(f) != 0, ferror(f) != 0);
    rewind(f);
    printf("after rewind feof: %d, ftell: %ld\n", feof(f) != 0, ftell(f));
    CHECK(21, fgets(line, 6, f) == line);
    printf("fgets with a 6-byte buffer: [%s]\n", line);
    fclose(f);

    /* ---- binary mode: bytes unchanged, partial fread ---- */
    f = fopen("bin.dat", "wb");
    CHECK(30, f != NULL);
    static const char raw[] = "a\nb\r\nc\rd\x1a" "e";
    CHECK(31, fwrite(raw, 1, sizeof raw - 1, f) == sizeof raw - 1);
    fclose(f);
    printf("bin.dat size on disk: %ld\n", disk_size("bin.dat"));
    f = fopen("bin.dat", "rb");
    CHECK(32, f != NULL);
    n = fread(line, 1, 4, f);
    printf("fread 4: %u, ftell %ld\n", (unsigned)n, ftell(f));
    n = fread(line, 1, 100, f);
    printf("fread 100 (partial): %u, feof %d, ftell %ld\n", (unsigned)n, feof(f) != 0, ftell(f));
    /* Whole records only: 3 records of 4 bytes asked, 10 bytes there -> 2 records. */
    rewind(f);
    n = fread(line, 4, 3, f);
    printf("fread 3 records of 4: %u\n", (unsigned)n);
    fclose(f);

    /* The same file read in text mode: CR LF -> LF, a lone CR stays, ^Z ends the file. */
    f = fopen("bin.dat", "r");
    CHECK(33, f != NULL);
    n = fread(line, 1, sizeof line, f);
    printf("text-mode read of bin.dat: %u bytes:", (unsigned)n);
    for (size_t i = 0; i < n; i++)
        printf(" %02X", (unsigned char)line[i]);
    printf("\n");
    printf("feof after ^Z: %d\n", feof(f) != 0);
    fclose(f);

    /* ---- fseek / ftell ---- */
    f = fopen("seek.dat", "w+b");
    CHECK(40, f != NULL);
    fputs("0123456789", f);
    CHECK(41, fseek(f, 3, SEEK_SET) == 0);
    printf("fseek(3, SET) then getc: %c\n", getc(f));
    CHECK(42, fseek(f, -2, SEEK_END) == 0);
    int c = getc(f);
    printf("fseek(-2, END) then getc: %c, ftell %ld\n", c, ftell(f));
    CHECK(43, fseek(f, -5, SEEK_CUR) == 0);
    printf("fseek(-5, CUR) then ftell: %ld\n", ftell(f));
    /* Seeking past the end and writing leaves a zero-filled gap. */
    CHECK(44, fseek(f, 12, SEEK_SET) == 0);
    fputc('!', f);
    fflush(f);
    CHECK(45, fseek(f, 0, SEEK_END) == 0);
    printf("size after writing at 12: %ld\n", ftell(f));
    rewind(f);
    n = fread(line, 1, sizeof line, f);
    printf("gap bytes: %02X %02X\n", (unsigned char)line[10], (unsigned char)line[11]);
    /* fseek before the start fails. */
    errno = 0;
    int rc = fseek(f, -100, SEEK_SET);
    printf("fseek(-100): %d, errno %d\n", rc, errno);
    fclose(f);

    /* ---- "a" appends ---- */
    f = fopen("app.txt", "w");
    fputs("one\n", f);
    fclose(f);
    f = fopen("app.txt", "a");
    CHECK(50, f != NULL);
    fseek(f, 0, SEEK_SET); /* appends go to the end anyway */
    fputs("two\n", f);
    fclose(f);
    printf("app.txt size: %ld\n", disk_size("app.txt"));
    dump("app.txt");

    /* ---- read-only stream: writing fails and sets the error flag ---- */
    f = fopen("app.txt", "r");
    CHECK(51, f != NULL);
    rc = fputc('x', f);
    printf("fputc on a read-only stream: %d, ferror %d\n", rc, ferror(f) != 0);
    clearerr(f);
    printf("after clearerr: ferror %d\n", ferror(f) != 0);
    fclose(f);

    /* ---- missing files, rename, remove ---- */
    errno = 0;
    f = fopen("does_not_exist.txt", "r");
    printf("fopen missing: %s, errno %d\n", f ? "opened" : "NULL", errno);
    CHECK(60, f == NULL && errno == ENOENT);
    errno = 0;
    f = fopen("no_such_dir/x.txt", "w");
    printf("fopen in a missing directory: %s, errno %d\n", f ? "opened" : "NULL", errno);
    CHECK(61, rename("app.txt", "renamed.txt") == 0);
    printf("after rename: app.txt %ld, renamed.txt %ld\n", disk_size("app.txt"),
           disk_size("renamed.txt"));
    errno = 0;
    rc = rename("app.txt", "x.txt");
    printf("rename of a missing file: %d, errno %d\n", rc, errno);
    /* Unlike POSIX, rename onto an existing file fails (EEXIST). */
    errno = 0;
    rc = rename("renamed.txt", "text.txt");
    printf("rename onto an existing file: %d, errno %d\n", rc, errno);
    CHECK(62, remove("renamed.txt") == 0);
    errno = 0;
    rc = remove("renamed.txt");
    printf("remove twice: %d, errno %d\n", rc, errno);

    /* ---- low-level I/O ---- */
    int fd = _open("low.dat", _O_CREAT | _O_TRUNC | _O_WRONLY | _O_BINARY, _S_IREAD | _S_IWRITE);
    CHECK(70, fd >= 3);
    printf("_open: fd >= 3: yes\n");
    printf("_write binary: %d\n", _write(fd, "ab\ncd\n", 6));
    CHECK(71, _close(fd) == 0);
    printf("low.dat size: %ld\n", disk_size("low.dat"));
    fd = _open("low.dat", _O_WRONLY | _O_APPEND | _O_TEXT);
    CHECK(72, fd >= 0);
    /* In text mode _write returns the caller's count although it writes CR LF. */
    printf("_write text: %d\n", _write(fd, "ef\n", 3));
    _close(fd);
    printf("low.dat size: %ld\n", disk_size("low.dat"));
    dump("low.dat");
    fd = _open("low.dat", _O_RDONLY | _O_BINARY);
    CHECK(73, fd >= 0);
    struct _stat st;
    CHECK(74, _fstat(fd, &st) == 0);
    printf("_fstat size: %ld, regular file: %s\n", (long)st.st_size,
           (st.st_mode & _S_IFMT) == _S_IFREG ? "yes" : "no");
    printf("_lseek(0, END): %ld\n", _lseek(fd, 0, SEEK_END));
    printf("_lseek(2, SET): %ld\n", _lseek(fd, 2, SEEK_SET));
    int got = _read(fd, line, 4);
    printf("_read 4 at 2: %d [%02X %02X %02X %02X]\n", got, (unsigned char)line[0],
           (unsigned char)line[1], (unsigned char)line[2], (unsigned char)line[3]);
    _lseek(fd, 0, SEEK_END);
    printf("_read at EOF: %d\n", _read(fd, line, 4));
    printf("_eof: %d\n", _eof(fd));
    _close(fd);
    fd = _open("low.dat", _O_RDONLY | _O_TEXT);
    got = _read(fd, line, sizeof line);
    printf("_read text mode: %d bytes (CR LF -> LF)\n", got);
    _close(fd);
    errno = 0;
    rc = _close(99);
    printf("_close(bad fd): %d, errno %d\n", rc, errno);
    errno = 0;
    rc = _open("missing.dat", _O_RDONLY);
    printf("_open missing: %d, errno %d\n", rc, errno);
    errno = 0;
    rc = _open("low.dat", _O_CREAT | _O_EXCL | _O_WRONLY, _S_IWRITE);
    printf("_open O_EXCL existing: %d, errno %d\n", rc, errno);

    /* ---- stdout in binary mode: no CR added ---- */
    fflush(stdout);
    printf("last text-mode line\n");
    fflush(stdout);
    CHECK(80, _setmode(_fileno(stdout), _O_BINARY) == _O_TEXT);
    printf("binary stdout: this line ends in LF only\n");
    return 0;
}
