/* stdin_read: standard input redirected from a file (stdin_read.stdin, with CR LF and bare LF
 * line ends). ReadFile on the STD_INPUT_HANDLE before msvcrt reads anything, then msvcrt's
 * text-mode fgets continuing from the same file position (CR LF -> LF, a bare LF stays LF),
 * a last line without a line end, feof, and the handle being a disk file, not a console.
 *
 * Expected output checked with Wine 8. */
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

static void show(const char *label, const char *s, size_t n)
{
    printf("%s (%u bytes): [", label, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r')
            printf("\\r");
        else if (s[i] == '\n')
            printf("\\n");
        else
            putchar(s[i]);
    }
    printf("]\n");
}

int main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    CHECK(10, in != NULL && in != INVALID_HANDLE_VALUE);
    printf("stdin is a disk file: %s\n", GetFileType(in) == FILE_TYPE_DISK ? "yes" : "no");
    printf("_isatty(0): %d\n", _isatty(0) != 0);

    /* The first 5 bytes straight from the handle. */
    char buf[128];
    DWORD got = 0;
    CHECK(11, ReadFile(in, buf, 5, &got, NULL));
    show("ReadFile 5", buf, got);

    /* msvcrt continues where the handle's file position is. */
    int n = 0;
    while (fgets(buf, sizeof buf, stdin))
        show(n++ == 0 ? "fgets (rest of line 1)" : "fgets", buf, strlen(buf));
    printf("lines read by fgets: %d, feof %d, ferror %d\n", n, feof(stdin) != 0,
           ferror(stdin) != 0);
    CHECK(12, n == 5);
    /* At the end, ReadFile succeeds with 0 bytes. */
    got = 123;
    CHECK(13, ReadFile(in, buf, sizeof buf, &got, NULL));
    printf("ReadFile at the end: %lu bytes\n", got);
    return 0;
}
