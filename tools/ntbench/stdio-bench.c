/* SPDX-License-Identifier: MIT */
/* ntbench's stdio workload, one C source built twice: by mingw-w64 (ntbench-stdio.exe, run
 * under ntrun against msvcrt's built-in stdio) and by the host compiler (ntbench-stdio-native,
 * against glibc). ntbench spawns both in turn and compares whole-process times.
 *
 *   stdio-bench putc FILE BYTES   writes BYTES bytes with putc (a '\n' every 64), then reads
 *                                 them back with getc
 *   stdio-bench lines FILE BYTES  writes numbered lines with fputs until BYTES, then reads them
 *                                 back with fgets (what a script's line-by-line write and
 *                                 read-back does)
 *
 * Files are opened in text mode ("w", "r"), as C programs and Lua's io library open them: on
 * Windows that is the CR LF translation, on Linux nothing. Prints what it read (bytes, lines,
 * a checksum), the same on both sides; exits 1 if the read-back differs from what was written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int do_putc(const char *name, long bytes)
{
    FILE *f = fopen(name, "w");
    if (!f)
        return 2;
    unsigned long sum_w = 0;
    for (long i = 0; i < bytes; i++) {
        int c = (i & 63) == 63 ? '\n' : 'a' + (int)(i % 26);
        sum_w = sum_w * 31 + (unsigned)c;
        if (putc(c, f) == EOF)
            return 3;
    }
    if (fclose(f) != 0)
        return 3;
    f = fopen(name, "r");
    if (!f)
        return 2;
    unsigned long sum_r = 0;
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        sum_r = sum_r * 31 + (unsigned)c;
        n++;
    }
    fclose(f);
    printf("putc %ld bytes, checksum %08lx\n", n, sum_r & 0xffffffffUL);
    return n == bytes && sum_r == sum_w ? 0 : 1;
}

/* "<n> the quick brown fox jumps over the lazy dog\n" without printf: the bench is about
 * the stream, not the formatter. */
static size_t make_line(char *buf, long n)
{
    char digits[24];
    int k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    size_t len = 0;
    while (k)
        buf[len++] = digits[--k];
    static const char tail[] = " the quick brown fox jumps over the lazy dog\n";
    memcpy(buf + len, tail, sizeof tail);
    return len + sizeof tail - 1;
}

static int do_lines(const char *name, long bytes)
{
    FILE *f = fopen(name, "w");
    if (!f)
        return 2;
    char line[128];
    long written = 0, lines_w = 0;
    unsigned long sum_w = 0;
    while (written < bytes) {
        size_t len = make_line(line, lines_w++);
        for (size_t i = 0; i < len; i++)
            sum_w = sum_w * 31 + (unsigned char)line[i];
        if (fputs(line, f) == EOF)
            return 3;
        written += (long)len;
    }
    if (fclose(f) != 0)
        return 3;
    f = fopen(name, "r");
    if (!f)
        return 2;
    long lines_r = 0, read = 0;
    unsigned long sum_r = 0;
    while (fgets(line, sizeof line, f)) {
        for (const char *p = line; *p; p++, read++)
            sum_r = sum_r * 31 + (unsigned char)*p;
        lines_r++;
    }
    fclose(f);
    printf("lines %ld, %ld bytes, checksum %08lx\n", lines_r, read, sum_r & 0xffffffffUL);
    return lines_r == lines_w && read == written && sum_r == sum_w ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: stdio-bench putc|lines FILE BYTES\n");
        return 2;
    }
    long bytes = atol(argv[3]);
    int r = strcmp(argv[1], "putc") == 0    ? do_putc(argv[2], bytes)
            : strcmp(argv[1], "lines") == 0 ? do_lines(argv[2], bytes)
                                            : 2;
    remove(argv[2]);
    return r;
}
