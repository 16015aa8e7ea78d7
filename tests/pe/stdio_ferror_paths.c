/* ferror and clearerr (msvcrt's exports are code in msvcrt's image: on the stream getc last
 * read they read or clear the flags themselves, any other stream goes through the ordinary
 * crossing) after getc reached EOF and after an error, on the stream getc last read and on
 * another one: a file read to its end by getc (feof set, ferror clear; clearerr clears feof
 * and getc at the end sets it again), a write to a read-only stream (ferror set, clearerr clears
 * both; a write into a read buffer that holds bytes is msvcrt's putc macro storing into it, no
 * error), getc on a write-only stream (EOF with ferror set, as msvcrt's _filbuf does; Wine 8.0
 * leaves ferror clear there) while the first stream keeps its own error, the standard streams, GetProcAddress giving the import's address, and clearerr once a
 * second thread exists (the single-thread path closed: the stream lock instead). */
#include <stdio.h>
#include <windows.h>

extern int(__cdecl *__imp_ferror)(FILE *);
extern void(__cdecl *__imp_clearerr)(FILE *);

static DWORD WINAPI idle(void *arg)
{
    (void)arg;
    return 0;
}

static void show(const char *what, FILE *f)
{
    printf("%s: feof %d, ferror %d\n", what, feof(f) != 0, ferror(f) != 0);
}

int main(void)
{
    FILE *w = fopen("ferrp_a.bin", "wb");
    fwrite("0123456789", 1, 10, w);
    fclose(w);

    FILE *f = fopen("ferrp_a.bin", "rb");
    int n = 0;
    while (getc(f) != EOF)
        n++;
    printf("read %d bytes by getc\n", n);
    show("at EOF", f);
    clearerr(f);
    show("after clearerr", f);
    printf("getc at the end: %d\n", getc(f));
    show("again at EOF", f);

    printf("fputc on a read-only stream: %d\n", fputc('x', f));
    show("after the write error", f);
    clearerr(f);
    show("after clearerr", f);
    fseek(f, 3, SEEK_SET);
    printf("after fseek 3, getc: %c\n", getc(f));
    show("reading again", f);
    printf("fputc into the read buffer: %c\n", fputc('x', f)); /* msvcrt's putc: no error */
    show("after it", f);
    fseek(f, 0, SEEK_END);
    fputc('x', f);
    show("a write at the end", f);

    FILE *o = fopen("ferrp_b.bin", "wb");
    printf("getc on a write-only stream: %d\n", getc(o));
    show("that stream", o);
    show("the first stream keeps its error", f);
    clearerr(f);
    show("the first stream after clearerr", f);
    show("the write-only stream still", o);
    clearerr(o);
    show("the write-only stream after clearerr", o);
    fseek(f, 4, SEEK_SET);
    printf("getc on the first stream again: %c\n", getc(f));
    fputc('x', o);
    show("the write-only stream after a write", o);

    show("stdin", stdin);
    show("stdout", stdout);

    HMODULE crt = GetModuleHandleA("msvcrt.dll");
    printf("GetProcAddress(ferror) is the import: %d, clearerr: %d\n",
           (void *)GetProcAddress(crt, "ferror") == (void *)__imp_ferror,
           (void *)GetProcAddress(crt, "clearerr") == (void *)__imp_clearerr);

    HANDLE h = CreateThread(NULL, 0, idle, NULL, 0, NULL);
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    fseek(f, 0, SEEK_END);
    fputc('x', f);
    show("two threads, after a write error", f);
    clearerr(f);
    show("two threads, after clearerr", f);
    fseek(f, 0, SEEK_END);
    getc(f);
    show("two threads, at EOF", f);
    clearerr(f);
    show("two threads, after clearerr", f);

    fclose(o);
    fclose(f);
    remove("ferrp_a.bin");
    remove("ferrp_b.bin");
    return 0;
}
