/* getc/fgetc (msvcrt's exports are code in msvcrt's image that takes a buffered byte itself and
 * hands everything else on) along every road a stream takes: after ungetc (the pushed-back byte,
 * then the buffer's next), after fseek and rewind (the byte at the new position), on a
 * text-mode stream (CRLF read as LF, a lone CR kept, Ctrl-Z ends the text), at EOF (EOF, feof
 * set, again EOF; clearerr clears feof, a seek back reads again), switching between two streams at
 * every call, by address through GetProcAddress (the same code as the import), through a stream
 * made by _fdopen, and with the stream locked by the main thread (_lock_file) while a second
 * thread's getc waits: it returns only after _unlock_file, with the byte the main thread left
 * (as msvcrt's getc takes the lock mingw-w64's _lock_file takes; Wine 8.0's does not wait). */
#include <io.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

extern int(__cdecl *__imp_getc)(FILE *);
static FILE *shared;
static volatile LONG started, got = -2;

static DWORD WINAPI reader(void *arg)
{
    (void)arg;
    InterlockedExchange(&started, 1);
    InterlockedExchange(&got, getc(shared));
    return 0;
}

static void put(const char *name, const char *bytes, size_t n)
{
    FILE *f = fopen(name, "wb");
    fwrite(bytes, 1, n, f);
    fclose(f);
}

int main(void)
{
    put("getcp_a.bin", "abcdefghijkl", 12);
    put("getcp_t.txt", "l1\r\nl2\rx\r\n\x1a" "after", 15);
    FILE *f = fopen("getcp_a.bin", "rb");
    int c1 = getc(f);
    int c2 = fgetc(f);
    printf("first: %c%c\n", c1, c2);
    int u = ungetc('Z', f);
    int u1 = getc(f);
    int u2 = getc(f);
    printf("ungetc('Z'): %c, then getc: %c, then %c\n", u, u1, u2);
    u = ungetc('d', f);
    u1 = getc(f);
    u2 = getc(f);
    printf("ungetc('d') before d: %c, getc: %c, then %c\n", u, u1, u2);
    fseek(f, 6, SEEK_SET);
    printf("after fseek 6: %c\n", getc(f));
    fseek(f, -3, SEEK_CUR);
    u1 = getc(f);
    printf("after fseek -3 from 7: %c, ftell %ld\n", u1, ftell(f));
    rewind(f);
    printf("after rewind: %c\n", fgetc(f));
    fseek(f, 0, SEEK_END);
    int e1 = getc(f);
    int e2 = feof(f) != 0;
    printf("at EOF: %d, feof %d, again %d\n", e1, e2, getc(f));
    clearerr(f);
    e2 = feof(f) != 0;
    printf("after clearerr: feof %d, getc %d\n", e2, getc(f));
    fseek(f, -2, SEEK_END);
    u1 = getc(f);
    u2 = getc(f);
    printf("after fseek -2 from the end: %c%c, then %d\n", u1, u2, getc(f));

    FILE *t = fopen("getcp_t.txt", "r");
    printf("text mode:");
    for (int c; (c = getc(t)) != EOF;)
        printf(c == '\n' ? " LF" : c == '\r' ? " CR" : " %c", c);
    printf(" | EOF, feof %d\n", feof(t) != 0);
    fclose(t);

    FILE *b = fopen("getcp_t.txt", "rb");
    rewind(f);
    printf("two streams in turn:");
    for (int i = 0; i < 5; i++) {
        int x = getc(f);
        int y = getc(b);
        printf(" %c%c", x, y == '\r' ? 'R' : y == '\n' ? 'N' : y);
    }
    printf("\n");
    fclose(b);

    int(__cdecl * by_name)(FILE *) =
        (int(__cdecl *)(FILE *))(void *)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "getc");
    printf("GetProcAddress(getc) is the import: %d, reads: %c\n", by_name == __imp_getc,
           by_name(f));

    int fd = _open("getcp_a.bin", _O_RDONLY | _O_BINARY);
    FILE *d = _fdopen(fd, "rb");
    int d1 = getc(d);
    int d2 = getc(d);
    printf("_fdopen stream: %c%c\n", d1, d2);
    fclose(d);

    shared = f; /* at 'g' after rewind + 5 getc + 1 */
    printf("before the lock: %c\n", getc(shared));
    _lock_file(shared);
    HANDLE h = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    while (!started)
        Sleep(1);
    Sleep(50); /* the reader now waits for the lock */
    printf("while locked, the other thread has: %ld\n", got);
    int mine = getc(shared);
    _unlock_file(shared);
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    printf("main thread read %c under the lock, the other thread then %c\n", mine, (int)got);
    u1 = getc(shared);
    printf("two threads now, getc: %c, then %d\n", u1, getc(shared));
    fclose(f);
    remove("getcp_a.bin");
    remove("getcp_t.txt");
    return 0;
}
