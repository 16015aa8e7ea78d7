/* Writing to a stream opened read-only ("r"), as msvcrt does it: fwrite returns 0 and sets the
 * stream's error indicator (_IOERR) and errno EBADF, for a count that would go to the buffer and
 * for one (8 KiB) that msvcrt writes straight to the file; fputc returns EOF and fputs EOF with
 * the same indicator and errno (each after clearerr and errno = 0). The file is unchanged
 * afterwards, and reading it still works. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static char big[8192];

static void show(const char *what, long r, FILE *f)
{
    printf("%s: %ld, ferror %s, errno %d%s\n", what, r, ferror(f) ? "set" : "clear", errno,
           errno == EBADF ? " (EBADF)" : "");
    clearerr(f);
    errno = 0;
}

int main(void)
{
    const char *name = "stdio_write_readonly.txt";
    FILE *w = fopen(name, "w");
    if (!w || fputs("read only\n", w) == EOF || fclose(w)) {
        printf("cannot make %s\n", name);
        return 1;
    }
    FILE *f = fopen(name, "r");
    if (!f) {
        printf("cannot open %s\n", name);
        return 1;
    }
    memset(big, 'x', sizeof big);
    errno = 0;
    printf("ferror before: %s\n", ferror(f) ? "set" : "clear");
    show("fwrite 5 bytes", (long)fwrite("hello", 1, 5, f), f);
    show("fwrite 8192 bytes", (long)fwrite(big, 1, sizeof big, f), f);
    show("fwrite 2 elements of 3", (long)fwrite("abcdef", 3, 2, f), f);
    show("fputc", (long)fputc('z', f), f);
    show("fputs", (long)fputs("text", f), f);
    char line[64] = "";
    if (!fgets(line, sizeof line, f))
        strcpy(line, "(nothing)\n");
    printf("read back: %s", line);
    printf("ferror after the read: %s\n", ferror(f) ? "set" : "clear");
    fclose(f);
    remove(name);
    return 0;
}
